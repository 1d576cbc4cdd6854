//! The dense reference estimator: H assembled column by column from n products H·eⱼ and
//! diagonalised completely (nalgebra's `SymmetricEigen`: Householder tridiagonalisation and
//! implicit symmetric QR, Golub & Van Loan, *Matrix Computations*, 4th ed., §8.3).

use nalgebra::{DMatrix, SymmetricEigen};

use super::operator::{Products, SymmetricOperator};
use super::{Method, SpectrumOptions, SpectrumReport};
use crate::error::{Result, SpecError};

/// Largest dimension [`dense_top_k`] accepts: the decomposition takes O(n³) time and three n × n
/// matrices (about 100 MB at n = 2000), a few seconds in a browser at this size.
pub const DENSE_MAX_DIM: usize = 2_000;

/// The `k` largest algebraic eigenvalues of `op` (descending) with unit eigenvectors, from a full
/// eigendecomposition of the matrix assembled from n products (`hvps` = n). The assembled matrix
/// is symmetrised, (H + Hᵀ)/2, before the decomposition; the residuals are measured against H
/// itself. Refuses n > [`DENSE_MAX_DIM`] (field `sharpness.method`).
pub fn dense_top_k<O: SymmetricOperator + ?Sized>(op: &O, k: usize) -> Result<SpectrumReport> {
    let n = op.dim();
    SpectrumOptions { method: Method::Dense, k, ..Default::default() }.validate_for(n)?;
    if n > DENSE_MAX_DIM {
        return Err(SpecError::new(
            "sharpness.method",
            format!("\"dense\" is limited to dimension {DENSE_MAX_DIM} (the Hessian has {n}); use \"lanczos\""),
        ));
    }
    let mut products = Products::new(op);
    let mut h = DMatrix::zeros(n, n);
    let mut e = vec![0.0; n];
    let mut column = vec![0.0; n];
    for j in 0..n {
        e[j] = 1.0;
        products.apply(&e, &mut column)?;
        h.column_mut(j).copy_from_slice(&column);
        e[j] = 0.0;
    }
    let eigen = SymmetricEigen::new((&h + h.transpose()) * 0.5);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| eigen.eigenvalues[b].total_cmp(&eigen.eigenvalues[a]));
    let mut report = SpectrumReport {
        method: Method::Dense,
        eigenvalues: Vec::with_capacity(k),
        eigenvectors: Vec::with_capacity(k),
        residuals: Vec::with_capacity(k),
        converged: true,
        iterations: 0,
        hvps: products.count(),
    };
    for &i in &order[..k] {
        let lambda = eigen.eigenvalues[i];
        let y = eigen.eigenvectors.column(i);
        report.residuals.push((&h * y - y * lambda).norm());
        report.eigenvalues.push(lambda);
        report.eigenvectors.push(y.iter().copied().collect());
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::super::known::{self, Spectrum};
    use super::*;

    /// Largest error of the computed top-k relative to the true eigenvalues.
    fn worst_relative_error(found: &[f64], truth: &[f64]) -> f64 {
        found.iter().zip(truth).map(|(f, t)| (f - t).abs() / t.abs()).fold(0.0, f64::max)
    }

    #[test]
    fn top_k_equals_the_known_spectrum() {
        // n = 300 for one spectrum only: an unoptimised test build takes seconds per decomposition.
        let cases = [2, 3, 5, 10, 50, 150].map(|n| (n, &Spectrum::ALL[..])).into_iter().chain([(300, &[Spectrum::NegativeDominant][..])]);
        for (n, spectra) in cases {
            let q = known::random_orthogonal(n, n as u64);
            for &spectrum in spectra {
                let eigenvalues = spectrum.eigenvalues(n);
                let h = known::with_spectrum(&q, &eigenvalues);
                let k = n.min(5);
                let r = dense_top_k(&h, k).unwrap();
                let truth = known::top(&eigenvalues, k);
                let err = worst_relative_error(&r.eigenvalues, &truth);
                assert!(err < 1e-12, "{spectrum:?} n = {n}: relative error {err:e}");
                assert_eq!((r.hvps, r.iterations, r.converged), (n, 0, true));
                let scale = eigenvalues.iter().fold(0.0f64, |m, x| m.max(x.abs()));
                assert!(r.residuals.iter().all(|&res| res < 1e-12 * scale), "{spectrum:?} n = {n}: {:?}", r.residuals);
            }
        }
    }

    #[test]
    fn returns_the_algebraic_top_of_a_one_by_one_and_refuses_large_dimensions() {
        let r = dense_top_k(&DMatrix::from_element(1, 1, -3.0), 1).unwrap();
        assert_eq!((r.eigenvalues, r.eigenvectors[0][0].abs()), (vec![-3.0], 1.0));
        let big = super::super::FnOperator::new(DENSE_MAX_DIM + 1, |v: &[f64], out: &mut [f64]| out.copy_from_slice(v));
        assert_eq!(dense_top_k(&big, 1).unwrap_err().field, "sharpness.method");
    }
}
