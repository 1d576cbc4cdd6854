//! The dense kernels of the networks, written by hand so that every sum is taken in one fixed
//! order: the same bits natively and in wasm32, on every CPU. (A tuned GEMM picks its kernel — and
//! so whether products are fused and how sums are split — from the CPU it finds, which changes
//! the last bits between machines.)
//!
//! Matrices of activations are stored feature-major: row k holds feature k of every sample, so
//! the loops run along rows of n samples, which the compiler vectorises without reordering any
//! sum (each lane is a different sample).

/// out += Σ_k coef\[k\]·rows\[k\], where `rows` holds `coef.len()` rows of `out.len()` samples.
/// Four rows are added per pass over `out` (left to right, so the order of the sum is that of k).
pub fn combine_rows(out: &mut [f64], coef: &[f64], rows: &[f64]) {
    let n = out.len();
    let mut k = 0;
    while k + 4 <= coef.len() {
        let (c0, c1, c2, c3) = (coef[k], coef[k + 1], coef[k + 2], coef[k + 3]);
        let r = &rows[k * n..(k + 4) * n];
        let (r0, rest) = r.split_at(n);
        let (r1, rest) = rest.split_at(n);
        let (r2, r3) = rest.split_at(n);
        for i in 0..n {
            out[i] = out[i] + c0 * r0[i] + c1 * r1[i] + c2 * r2[i] + c3 * r3[i];
        }
        k += 4;
    }
    while k < coef.len() {
        let c = coef[k];
        for (o, r) in out.iter_mut().zip(&rows[k * n..(k + 1) * n]) {
            *o += c * r;
        }
        k += 1;
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
    fn kernels_compute_what_they_say() {
        let rows: Vec<f64> = (0..7 * 5).map(|i| (i as f64 * 0.37).sin()).collect();
        let coef: Vec<f64> = (0..7).map(|k| 1.0 - 0.3 * k as f64).collect();
        let mut out = vec![1.0; 5];
        combine_rows(&mut out, &coef, &rows);
        for i in 0..5 {
            let expected = 1.0 + (0..7).map(|k| coef[k] * rows[k * 5 + i]).sum::<f64>();
            assert!((out[i] - expected).abs() < 1e-14);
        }
        let x: Vec<f64> = (0..11).map(|i| i as f64).collect();
        assert_eq!(dot(&x, &x), 385.0);
        assert_eq!(sum(&x), 55.0);
    }
}
