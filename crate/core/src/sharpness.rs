//! Sharpness: the largest *algebraic* eigenvalue of the Hessian (Cohen et al., ICLR 2021; every
//! paper in ../shared/papers plots it against 2/η), not the eigenvalue of largest magnitude.

use nalgebra::DMatrix;

/// The largest algebraic eigenvalue of the symmetric matrix `h`, from a full symmetric
/// eigendecomposition (the dense reference estimator).
pub fn dense_top(h: &DMatrix<f64>) -> f64 {
    if h.nrows() == 1 {
        return h[(0, 0)];
    }
    h.clone().symmetric_eigenvalues().iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_the_algebraic_top_not_the_magnitude_top() {
        let h = DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 0.0, -5.0]);
        assert_eq!(dense_top(&h), 1.0);
        // [[2, 1], [1, 2]] has eigenvalues 3 and 1.
        let h = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0, 2.0]);
        assert!((dense_top(&h) - 3.0).abs() < 1e-14);
    }
}
