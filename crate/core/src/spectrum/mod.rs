//! Spectra of symmetric operators from matrix-vector products: the sharpness, the largest
//! *algebraic* eigenvalue of the Hessian (Cohen et al., ICLR 2021, who compute it by Lanczos, as
//! does paper 000, App. F), and the top-k eigenpairs that paper 003 follows over training (top 5
//! in its Fig. 1, top 15 in Fig. 4).
//!
//! An estimator sees the Hessian only through a [`SymmetricOperator`]: exact Hessian-vector
//! products ([`HessianOperator`] over [`crate::objective::Objective::hessian_vector`]), never
//! finite differences. Three estimators, chosen by [`SpectrumOptions::method`]:
//! * [`dense_top_k`]: the matrix assembled from n products and diagonalised by nalgebra's
//!   `SymmetricEigen`; the reference, for n ≤ [`DENSE_MAX_DIM`];
//! * [`power_top`]: shifted power iteration for the top eigenvalue alone; the baseline;
//! * [`lanczos_top_k`]: Lanczos with full reorthogonalisation; the workhorse.
//!
//! Convergence is judged on the residual ‖Hv − λv‖ of a unit vector v: some eigenvalue of H lies
//! within that distance of λ, and within residual²/gap once the others are a gap away (Parlett,
//! *The Symmetric Eigenvalue Problem*, ch. 4, residual bounds). A pair has converged when
//! ‖Hv − λv‖ ≤ tol · max(|λ|, [`SMALL_EIGENVALUE_SCALE`] · ‖H‖), ‖H‖ estimated from the products
//! seen: relative to λ, except for eigenvalues so close to 0 that round-off in H·v (about ε‖H‖)
//! could never meet a relative test.
//!
//! [`curvature`] reads the curvature at one point through these estimators: the top eigenpairs,
//! the gradient's alignment with the top eigenvector, paper 001's self-stabilization quantities
//! and Rayleigh quotients along an objective's named directions (the `curvature` spec kind).
//!
//! Layer: uses [`crate::objective`] and the foundation (limits, errors) only.

pub mod curvature;
mod dense;
mod lanczos;
mod operator;
mod power;
mod start;

#[cfg(test)]
mod known;

pub use dense::{dense_top_k, DENSE_MAX_DIM};
pub use lanczos::{lanczos_top_k, CHECK_EVERY_STEP_UP_TO, INVARIANCE_TOL, LANCZOS_DEFAULT_MAX_ITER, LANCZOS_MAX_BASIS_ENTRIES};
pub use operator::{FnOperator, HessianOperator, SymmetricOperator};
pub use power::{power_top, PowerReport, NORM_ESTIMATE_STEPS, POWER_DEFAULT_MAX_ITER};
pub use start::WARM_START_PERTURBATION;

use serde::{Deserialize, Serialize};

use crate::error::{Result, SpecError};
use crate::validate;

/// Eigenvalues smaller in magnitude than this fraction of ‖H‖ are held to the absolute residual
/// tol · 10⁻⁴ · ‖H‖ instead of tol · |λ|: with the default tol that is 10⁻¹⁴‖H‖, just above the
/// round-off of a Hessian-vector product.
pub const SMALL_EIGENVALUE_SCALE: f64 = 1e-4;

/// Largest number of eigenpairs one estimate returns (paper 003 follows 15).
pub const MAX_K: usize = 64;

/// Smallest accepted relative tolerance: below it the round-off of H·v decides, not the method.
pub const MIN_TOL: f64 = 1e-14;

/// Largest accepted iteration cap.
pub const MAX_ITER_CAP: usize = 1_000_000;

/// Which estimator computes the spectrum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Full eigendecomposition, see [`dense_top_k`].
    Dense,
    /// Shifted power iteration (top eigenvalue only, k = 1), see [`power_top`].
    Power,
    /// Lanczos with full reorthogonalisation, see [`lanczos_top_k`].
    #[default]
    Lanczos,
}

/// How to estimate the top of a spectrum: meant as the `sharpness` object of a spec, so its
/// errors name `sharpness.<field>`. Every field has a default, so `{}` is valid: Lanczos, k = 1,
/// tol = 10⁻¹⁰, the method's own iteration cap, seed 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SpectrumOptions {
    /// The estimator (default `lanczos`).
    pub method: Method,
    /// Number of top eigenpairs, 1 ≤ k ≤ min(n, [`MAX_K`]) (default 1); `power` needs k = 1.
    pub k: usize,
    /// Relative residual tolerance, in [[`MIN_TOL`], 0.1] (default 10⁻¹⁰); unused by `dense`.
    pub tol: f64,
    /// Iteration cap, 1 ≤ max_iter ≤ [`MAX_ITER_CAP`]; `None` (the default) means
    /// [`POWER_DEFAULT_MAX_ITER`] for power and [`LANCZOS_DEFAULT_MAX_ITER`] (at most n) for
    /// Lanczos; unused by `dense`.
    pub max_iter: Option<usize>,
    /// Seed of the random start vector (default 0): the same seed gives the same numbers natively
    /// and in wasm.
    pub seed: u64,
}

impl Default for SpectrumOptions {
    fn default() -> Self {
        Self { method: Method::Lanczos, k: 1, tol: 1e-10, max_iter: None, seed: 0 }
    }
}

impl SpectrumOptions {
    /// Checks the fields that do not depend on the operator (errors name `sharpness.<field>`).
    pub fn validate(&self) -> Result<()> {
        validate::count_in("sharpness.k", self.k, 1, MAX_K)?;
        if self.method == Method::Power && self.k != 1 {
            return Err(SpecError::new(
                "sharpness.k",
                format!("power iteration estimates the top eigenvalue only: use k = 1 or method \"lanczos\" (got k = {})", self.k),
            ));
        }
        validate::finite_in("sharpness.tol", self.tol, MIN_TOL, 0.1)?;
        if let Some(max_iter) = self.max_iter {
            validate::count_in("sharpness.max_iter", max_iter, 1, MAX_ITER_CAP)?;
        }
        Ok(())
    }

    /// [`Self::validate`], and k ≤ n for an operator of dimension n ≥ 1.
    fn validate_for(&self, n: usize) -> Result<()> {
        self.validate()?;
        if n == 0 {
            return Err(SpecError::new("sharpness", "the operator has dimension 0 (a matrix must be square and non-empty)"));
        }
        if self.k > n {
            return Err(SpecError::new("sharpness.k", format!("must be at most the dimension {n} of the Hessian (got {})", self.k)));
        }
        Ok(())
    }
}

/// The top-k eigenpairs an estimator found, and how far to trust them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpectrumReport {
    /// The estimator that produced this report.
    pub method: Method,
    /// The k largest algebraic eigenvalues, in descending order; `eigenvalues[0]` is the sharpness.
    pub eigenvalues: Vec<f64>,
    /// Unit eigenvectors, `eigenvectors[i]` belonging to `eigenvalues[i]`.
    pub eigenvectors: Vec<Vec<f64>>,
    /// ‖Hvᵢ − λᵢvᵢ‖ for each pair, computed from a product with the returned vector.
    pub residuals: Vec<f64>,
    /// Whether every residual met the tolerance (always true for `dense`).
    pub converged: bool,
    /// Power or Lanczos steps taken (0 for `dense`).
    pub iterations: usize,
    /// Operator applications (Hessian-vector products) spent, all of them counted.
    pub hvps: usize,
}

impl From<PowerReport> for SpectrumReport {
    fn from(p: PowerReport) -> Self {
        Self {
            method: Method::Power,
            eigenvalues: vec![p.eigenvalue],
            eigenvectors: vec![p.eigenvector],
            residuals: vec![p.residual],
            converged: p.converged,
            iterations: p.iterations,
            hvps: p.hvps,
        }
    }
}

/// The top `options.k` eigenpairs of `op` by `options.method`. `warm_start` (for example the top
/// eigenvector of the previous step's Hessian) seeds power and Lanczos, see
/// [`WARM_START_PERTURBATION`]; `dense` ignores it.
pub fn estimate<O: SymmetricOperator + ?Sized>(op: &O, options: &SpectrumOptions, warm_start: Option<&[f64]>) -> Result<SpectrumReport> {
    match options.method {
        Method::Dense => dense_top_k(op, options.k),
        Method::Power => power_top(op, options, warm_start).map(SpectrumReport::from),
        Method::Lanczos => lanczos_top_k(op, options, warm_start),
    }
}

/// The residual a pair (λ, v) must meet: tol · max(|λ|, [`SMALL_EIGENVALUE_SCALE`] · ‖H‖).
fn residual_bound(tol: f64, lambda: f64, norm_estimate: f64) -> f64 {
    tol * lambda.abs().max(SMALL_EIGENVALUE_SCALE * norm_estimate)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

/// ‖w − λv‖.
fn residual_norm(w: &[f64], lambda: f64, v: &[f64]) -> f64 {
    w.iter().zip(v).map(|(wi, vi)| (wi - lambda * vi).powi(2)).sum::<f64>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::known::{Counting, RotatedDiagonal};
    use super::*;

    #[test]
    fn options_default_from_an_empty_object_and_round_trip() {
        let o: SpectrumOptions = serde_json::from_str("{}").unwrap();
        assert_eq!(o, SpectrumOptions::default());
        assert_eq!(o.method, Method::Lanczos);
        assert_eq!((o.k, o.tol, o.max_iter, o.seed), (1, 1e-10, None, 0));
        let o: SpectrumOptions = serde_json::from_str(r#"{"method": "power", "k": 1, "tol": 1e-8, "max_iter": 50, "seed": 7}"#).unwrap();
        assert_eq!(o.method, Method::Power);
        assert_eq!(serde_json::from_str::<SpectrumOptions>(&serde_json::to_string(&o).unwrap()).unwrap(), o);
        assert!(serde_json::from_str::<SpectrumOptions>(r#"{"kk": 2}"#).is_err());
        assert!(serde_json::from_str::<SpectrumOptions>(r#"{"method": "arnoldi"}"#).is_err());
    }

    #[test]
    fn validation_names_the_field() {
        let field = |o: SpectrumOptions| o.validate().unwrap_err().field;
        let d = SpectrumOptions::default();
        assert_eq!(field(SpectrumOptions { k: 0, ..d }), "sharpness.k");
        assert_eq!(field(SpectrumOptions { k: MAX_K + 1, ..d }), "sharpness.k");
        assert_eq!(field(SpectrumOptions { method: Method::Power, k: 2, ..d }), "sharpness.k");
        assert_eq!(field(SpectrumOptions { tol: f64::NAN, ..d }), "sharpness.tol");
        assert_eq!(field(SpectrumOptions { tol: 0.0, ..d }), "sharpness.tol");
        assert_eq!(field(SpectrumOptions { tol: 1e-16, ..d }), "sharpness.tol");
        assert_eq!(field(SpectrumOptions { max_iter: Some(0), ..d }), "sharpness.max_iter");
        assert_eq!(field(SpectrumOptions { max_iter: Some(MAX_ITER_CAP + 1), ..d }), "sharpness.max_iter");
        assert!(d.validate().is_ok());

        let op = RotatedDiagonal::new(&[3.0, 2.0, 1.0], 1);
        for method in [Method::Dense, Method::Lanczos] {
            let e = estimate(&op, &SpectrumOptions { method, k: 4, ..d }, None).unwrap_err();
            assert_eq!(e.field, "sharpness.k", "{e}");
        }
        let empty = nalgebra::DMatrix::<f64>::zeros(2, 3);
        assert_eq!(estimate(&empty, &d, None).unwrap_err().field, "sharpness");
    }

    #[test]
    fn a_non_finite_product_is_an_error_not_a_nan_result() {
        let op = FnOperator::new(3, |v: &[f64], out: &mut [f64]| {
            out.copy_from_slice(v);
            out[1] = f64::NAN;
        });
        for method in [Method::Dense, Method::Power, Method::Lanczos] {
            let e = estimate(&op, &SpectrumOptions { method, ..Default::default() }, None).unwrap_err();
            assert_eq!(e.field, "sharpness");
            assert!(e.message.contains("non-finite"), "{e}");
        }
    }

    #[test]
    fn every_method_reports_the_operator_applications_it_made() {
        let op = Counting::new(RotatedDiagonal::new(&[4.0, 1.0, -2.0, 0.5, 3.0, -6.0], 3));
        for method in [Method::Dense, Method::Power, Method::Lanczos] {
            op.reset();
            let r = estimate(&op, &SpectrumOptions { method, ..Default::default() }, None).unwrap();
            assert_eq!(r.hvps, op.count(), "{method:?}");
            assert!(r.converged, "{method:?}");
            assert!((r.eigenvalues[0] - 4.0).abs() < 1e-9, "{method:?}: {}", r.eigenvalues[0]);
        }
    }
}
