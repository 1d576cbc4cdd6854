//! Symmetric linear operators given by their products with vectors: a dense matrix, a closure, or
//! the Hessian of an objective at a point.

use nalgebra::{DMatrix, DVectorView, DVectorViewMut};

use crate::error::{Result, SpecError};
use crate::objective::Objective;

/// A symmetric linear map H: ℝⁿ → ℝⁿ known through its products H·v.
///
/// The estimators assume symmetry (Hᵀ = H) and do not check it; `apply` must write H·v into `out`
/// (both of length [`Self::dim`]) and overwrite every entry.
pub trait SymmetricOperator {
    /// n.
    fn dim(&self) -> usize;
    /// `out` ← H·v.
    fn apply(&self, v: &[f64], out: &mut [f64]);
}

/// A borrowed operator is an operator (so wrappers can take `&op`).
impl<O: SymmetricOperator + ?Sized> SymmetricOperator for &O {
    fn dim(&self) -> usize {
        (**self).dim()
    }

    fn apply(&self, v: &[f64], out: &mut [f64]) {
        (**self).apply(v, out)
    }
}

/// A dense symmetric matrix. A non-square matrix is no operator on any ℝⁿ: it reports dimension
/// 0, which every estimator refuses with an error, and leaves `out` untouched.
impl SymmetricOperator for DMatrix<f64> {
    fn dim(&self) -> usize {
        if self.is_square() {
            self.nrows()
        } else {
            0
        }
    }

    fn apply(&self, v: &[f64], out: &mut [f64]) {
        let n = self.dim();
        if n == 0 || v.len() != n || out.len() != n {
            return;
        }
        let mut out = DVectorViewMut::from_slice(out, n);
        out.gemv(1.0, self, &DVectorView::from_slice(v, n), 0.0);
    }
}

/// An operator given by a closure `f(v, out)` that writes H·v into `out`.
#[derive(Debug, Clone, Copy)]
pub struct FnOperator<F> {
    dim: usize,
    f: F,
}

impl<F: Fn(&[f64], &mut [f64])> FnOperator<F> {
    /// The operator of dimension `dim` whose products `f` computes.
    pub fn new(dim: usize, f: F) -> Self {
        Self { dim, f }
    }
}

impl<F: Fn(&[f64], &mut [f64])> SymmetricOperator for FnOperator<F> {
    fn dim(&self) -> usize {
        self.dim
    }

    fn apply(&self, v: &[f64], out: &mut [f64]) {
        (self.f)(v, out)
    }
}

/// The Hessian ∇²f(x) of an objective at a point, applied through its exact Hessian-vector
/// product [`Objective::hessian_vector`].
#[derive(Debug, Clone, Copy)]
pub struct HessianOperator<'a, O: Objective + ?Sized> {
    objective: &'a O,
    x: &'a [f64],
}

impl<'a, O: Objective + ?Sized> HessianOperator<'a, O> {
    /// The Hessian of `objective` at `x`; `x` must have the objective's dimension (error field
    /// `x`).
    pub fn new(objective: &'a O, x: &'a [f64]) -> Result<Self> {
        let n = objective.dim();
        if x.len() != n {
            return Err(SpecError::new("x", format!("the Hessian is taken at a point with {n} coordinates (got {})", x.len())));
        }
        Ok(Self { objective, x })
    }
}

impl<O: Objective + ?Sized> SymmetricOperator for HessianOperator<'_, O> {
    fn dim(&self) -> usize {
        self.objective.dim()
    }

    fn apply(&self, v: &[f64], out: &mut [f64]) {
        self.objective.hessian_vector(self.x, v, out)
    }
}

/// Applies an operator for an estimator: counts every application and refuses non-finite
/// products (a NaN must never become a sharpness).
pub(super) struct Products<'a, O: ?Sized> {
    op: &'a O,
    count: usize,
}

impl<'a, O: SymmetricOperator + ?Sized> Products<'a, O> {
    pub(super) fn new(op: &'a O) -> Self {
        Self { op, count: 0 }
    }

    /// `out` ← H·v, or an error if a component is not finite.
    pub(super) fn apply(&mut self, v: &[f64], out: &mut [f64]) -> Result<()> {
        self.op.apply(v, out);
        self.count += 1;
        if let Some(i) = out.iter().position(|x| !x.is_finite()) {
            return Err(SpecError::new(
                "sharpness",
                format!("the Hessian-vector product returned a non-finite value ({} in component {i}, product {})", out[i], self.count),
            ));
        }
        Ok(())
    }

    /// Applications made so far.
    pub(super) fn count(&self) -> usize {
        self.count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::DoubleWell;

    #[test]
    fn matrix_closure_and_hessian_operators_apply() {
        let m = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0, 3.0]);
        let mut out = [0.0; 2];
        m.apply(&[1.0, -1.0], &mut out);
        assert_eq!(out, [1.0, -2.0]);
        let f = FnOperator::new(2, |v: &[f64], out: &mut [f64]| {
            out[0] = 2.0 * v[0];
            out[1] = -v[1];
        });
        f.apply(&[1.0, 1.0], &mut out);
        assert_eq!((f.dim(), out), (2, [2.0, -1.0]));
        // f″(x) = 3x² − μ for the double well.
        let well = DoubleWell::new(1.0).unwrap();
        let h = HessianOperator::new(&well, &[2.0]).unwrap();
        let mut out = [0.0];
        h.apply(&[0.5], &mut out);
        assert_eq!(out, [0.5 * 11.0]);
        assert_eq!(HessianOperator::new(&well, &[1.0, 2.0]).unwrap_err().field, "x");
        let r = crate::spectrum::estimate(&h, &Default::default(), None).unwrap();
        assert!(r.converged && (r.eigenvalues[0] - 11.0).abs() < 1e-14, "{r:?}");
        assert_eq!(DMatrix::<f64>::zeros(2, 3).dim(), 0);
    }
}
