//! The dense kernels of the networks: matrix products through faer's GEMM (cache-blocked,
//! SIMD: AVX2/AVX-512 with fused multiply-adds natively, chosen at run time; 128-bit SIMD
//! without fused multiply-adds in wasm32), the hyperbolic tangent four lanes at a time, and the
//! ordered sums of batch normalisation.
//!
//! Matrices of activations are stored feature-major: row k holds feature k of every sample,
//! so a layer's forward pass is one product W·A of its weights (fan_out × fan_in, row by row)
//! and its input (fan_in × n), and the backward pass two, G·Aᵀ and Wᵀ·G (BENCHMARKS.md,
//! issue 12, for the choice of faer among the GEMM crates).
//!
//! # Reproducibility
//! On one machine every result is deterministic: the products run on one thread (`Par::Seq`)
//! with a blocking that depends only on the shapes. Across machines the last bits may differ,
//! since the GEMM picks its kernel (and whether it fuses multiply-adds) from the CPU it finds:
//! the native and the wasm32 builds of the networks agree to rounding (tests/e2e, the
//! one-file module against the native command), not bit for bit. [`tanh`] uses no fused
//! operation on x86-64 and wasm32, so it gives the same bits on both.

use faer::linalg::matmul::matmul;
use faer::{Accum, MatMut, MatRef, Par};
use wide::f64x4;

/// `data` (at least rows × cols long) as a rows × cols matrix stored row by row.
pub fn matrix(data: &[f64], rows: usize, cols: usize) -> MatRef<'_, f64> {
    MatRef::from_row_major_slice(&data[..rows * cols], rows, cols)
}

/// out ← lhs·rhs, or out ← out + lhs·rhs when `accumulate`, with `out` stored row by row
/// (lhs.nrows() × rhs.ncols()).
pub fn multiply(out: &mut [f64], lhs: MatRef<'_, f64>, rhs: MatRef<'_, f64>, accumulate: bool) {
    let (rows, cols) = (lhs.nrows(), rhs.ncols());
    let out = MatMut::from_row_major_slice_mut(&mut out[..rows * cols], rows, cols);
    matmul(out, if accumulate { Accum::Add } else { Accum::Replace }, lhs, rhs, 1.0, Par::Seq);
}

/// tanh of every entry of `u` into `out`, four at a time (`wide`'s branch-free tanh through
/// expm1: tanh|u| = −t/(t + 2) with t = expm1(−2|u|); within 3 ulp of libm's, tested below).
pub fn tanh(u: &[f64], out: &mut [f64]) {
    let mut chunks = out.chunks_exact_mut(4);
    let mut inputs = u.chunks_exact(4);
    for (o, x) in (&mut chunks).zip(&mut inputs) {
        o.copy_from_slice(&f64x4::from([x[0], x[1], x[2], x[3]]).tanh().to_array());
    }
    let (rest, x) = (chunks.into_remainder(), inputs.remainder());
    if !rest.is_empty() {
        let mut lanes = [0.0; 4];
        lanes[..x.len()].copy_from_slice(x);
        rest.copy_from_slice(&f64x4::from(lanes).tanh().to_array()[..x.len()]);
    }
}

/// Σ_i x\[i\]·y\[i\] with four interleaved partial sums, combined as (s₀ + s₁) + (s₂ + s₃), then the
/// remainder in order.
pub fn dot(x: &[f64], y: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let (xc, yc) = (x.chunks_exact(4), y.chunks_exact(4));
    let (xr, yr) = (xc.remainder(), yc.remainder());
    for (a, b) in xc.zip(yc) {
        for j in 0..4 {
            acc[j] += a[j] * b[j];
        }
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for (a, b) in xr.iter().zip(yr) {
        s += a * b;
    }
    s
}

/// Σ_i x\[i\], in the same order as [`dot`].
pub fn sum(x: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let chunks = x.chunks_exact(4);
    let rest = chunks.remainder();
    for a in chunks {
        for j in 0..4 {
            acc[j] += a[j];
        }
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for a in rest {
        s += a;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_and_sums_compute_what_they_say() {
        // A (2 × 3) · B (3 × 2), B given as the transpose of a row-major 2 × 3 matrix.
        let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let bt = [1.0, 0.0, -1.0, 2.0, 1.0, 0.5];
        let mut out = [10.0, 20.0, 30.0, 40.0];
        multiply(&mut out, matrix(&a, 2, 3), matrix(&bt, 2, 3).transpose(), false);
        assert_eq!(out, [-2.0, 5.5, -2.0, 16.0]);
        multiply(&mut out, matrix(&a, 2, 3), matrix(&bt, 2, 3).transpose(), true);
        assert_eq!(out, [-4.0, 11.0, -4.0, 32.0]);
        // Aᵀ (3 × 2) · C (2 × 1).
        let mut col = [0.0; 3];
        multiply(&mut col, matrix(&a, 2, 3).transpose(), matrix(&[1.0, -1.0], 2, 1), false);
        assert_eq!(col, [-3.0, -3.0, -3.0]);
        let x: Vec<f64> = (0..11).map(|i| i as f64).collect();
        assert_eq!(dot(&x, &x), 385.0);
        assert_eq!(sum(&x), 55.0);
    }

    #[test]
    fn tanh_is_within_three_ulp_of_libm_and_odd() {
        let u: Vec<f64> = (0..20_003).map(|i| (i as f64 - 10_001.0) * 2.5e-3).chain([0.0, -0.0, 1e-300, 1e-9, 19.0, 25.0, -800.0, f64::INFINITY]).collect();
        let mut t = vec![0.0; u.len()];
        tanh(&u, &mut t);
        let mut worst = 0.0f64;
        for (x, y) in u.iter().zip(&t) {
            let exact = libm::tanh(*x);
            // One ulp of |exact| (2^(e − 52) for exact in [2^e, 2^(e+1))).
            let ulp = f64::from_bits(exact.abs().max(f64::MIN_POSITIVE).to_bits() & 0x7ff0_0000_0000_0000) * f64::EPSILON;
            worst = worst.max((y - exact).abs() / ulp);
        }
        println!("largest error {worst} ulp");
        assert!(worst <= 3.0, "{worst} ulp");
        let minus: Vec<f64> = u.iter().map(|x| -x).collect();
        let mut tm = vec![0.0; u.len()];
        tanh(&minus, &mut tm);
        assert!(t.iter().zip(&tm).all(|(a, b)| *a == -b));
    }
}
