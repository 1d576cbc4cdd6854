//! The dense kernels of the networks: matrix products through faer's GEMM (cache-blocked,
//! SIMD: AVX2/AVX-512 with fused multiply-adds natively, chosen at run time; 128-bit SIMD
//! without fused multiply-adds in wasm32), a vectorised hyperbolic tangent, and the ordered sums
//! of batch normalisation.
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

/// tanh of every entry of `u` into `out`, in a branch-free loop the compiler vectorises (SSE2
/// natively, simd128 in wasm32), with only IEEE operations and no fused ones, so the same bits
/// on both; within 2 ulp of libm's (tested below). libm's scalar tanh took 1.2 ms of the 1.4 ×
/// 10⁵ evaluations in a gradient of the 10⁴-parameter MLP.
pub fn tanh(u: &[f64], out: &mut [f64]) {
    for (o, &x) in out.iter_mut().zip(u) {
        *o = tanh_branch_free(x);
    }
}

/// tanh x = sign(x)·(−t/(t + 2)) with t = expm1(−2|x|) (no cancellation for small |x|), and
/// expm1(y) = 2ᵏ·p + (2ᵏ − 1) with k = round(y/ln 2), r = y − k ln 2 (ln 2 split in two parts,
/// so r is exact to about 2⁻⁶⁰), |r| ≤ ln 2/2, and p = expm1(r) by its Taylor series to r¹³ (the
/// next term is below 10⁻¹⁷·|r|). |x| is capped at 20, where tanh is 1 in f64 (1 − tanh 20 ≈
/// 8·10⁻¹⁸); NaN stays NaN.
#[inline(always)]
fn tanh_branch_free(x: f64) -> f64 {
    // 1.5·2⁵²: adding it rounds to an integer, kept in the low bits of the sum.
    const SHIFT: f64 = 6_755_399_441_055_744.0;
    const LN2_HI: f64 = 0.693_145_751_953_125;
    const LN2_LO: f64 = 1.428_606_820_309_417_3e-6;
    const INV_FACTORIALS: [f64; 12] = [
        1.0 / 2.0,
        1.0 / 6.0,
        1.0 / 24.0,
        1.0 / 120.0,
        1.0 / 720.0,
        1.0 / 5_040.0,
        1.0 / 40_320.0,
        1.0 / 362_880.0,
        1.0 / 3_628_800.0,
        1.0 / 39_916_800.0,
        1.0 / 479_001_600.0,
        1.0 / 6_227_020_800.0,
    ];
    let a = x.abs();
    let a = if a > 20.0 { 20.0 } else { a };
    let y = -2.0 * a;
    let shifted = y * std::f64::consts::LOG2_E + SHIFT;
    let k = shifted - SHIFT;
    let r = (y - k * LN2_HI) - k * LN2_LO;
    // q(r) = Σᵢ cᵢ rⁱ by Estrin's scheme (pairs, then pairs of pairs: a short dependency chain).
    let c = INV_FACTORIALS;
    let (r2, r4) = (r * r, r * r * (r * r));
    let pair = |i: usize| c[i] + c[i + 1] * r;
    let (f0, f1, f2) = (pair(0) + pair(2) * r2, pair(4) + pair(6) * r2, pair(8) + pair(10) * r2);
    let q = (f0 + f1 * r4) + f2 * (r4 * r4);
    let p = r + r2 * q;
    // 2ᵏ from k's bits in the low word of `shifted` (k ∈ [−58, 0], so k + 1023 is the exponent).
    let scale = f64::from_bits(shifted.to_bits().wrapping_add(1023) << 52);
    let t = scale * p + (scale - 1.0);
    (-t / (t + 2.0)).copysign(x)
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
    fn tanh_is_within_two_ulp_of_libm_and_odd() {
        let u: Vec<f64> = (0..20_003)
            .map(|i| (i as f64 - 10_001.0) * 2.5e-3)
            .chain([0.0, -0.0, 1e-300, 1e-9, 19.0, 25.0, -800.0, f64::INFINITY, f64::NEG_INFINITY])
            .collect();
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
        assert!(worst <= 2.0, "{worst} ulp");
        let mut nan = [0.0];
        tanh(&[f64::NAN], &mut nan);
        assert!(nan[0].is_nan());
        let minus: Vec<f64> = u.iter().map(|x| -x).collect();
        let mut tm = vec![0.0; u.len()];
        tanh(&minus, &mut tm);
        assert!(t.iter().zip(&tm).all(|(a, b)| *a == -b));
    }
}
