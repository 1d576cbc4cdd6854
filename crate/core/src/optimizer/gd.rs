//! The gradient-descent map G(x) = x − η∇f(x) and runs of it, with divergence as a result.
//!
//! Its Jacobian is DG(x) = I − η∇²f(x); a fixed point is linearly stable when every eigenvalue of
//! the Hessian lies in (0, 2/η), which is why sharpness is compared with 2/η.

use crate::limits::DIVERGENCE_RADIUS;
use crate::objective::Objective;

/// Gradient descent with a constant learning rate η on an objective (generic, so that scans over
/// a concrete objective compile to a tight loop).
pub struct GdMap<'a, O: Objective + ?Sized = dyn Objective> {
    objective: &'a O,
    eta: f64,
    next: Vec<f64>,
}

/// Whether a point has left the region where a run counts as bounded.
pub fn has_diverged(x: &[f64]) -> bool {
    !within_radius(x.iter().map(|v| v * v).sum())
}

/// ‖x‖² ≤ R² for the divergence radius R; false for NaN and ∞ too.
#[inline]
pub(crate) fn within_radius(norm2: f64) -> bool {
    norm2 <= DIVERGENCE_RADIUS * DIVERGENCE_RADIUS
}

impl<'a, O: Objective + ?Sized> GdMap<'a, O> {
    /// The map x ↦ x − η∇f(x).
    pub fn new(objective: &'a O, eta: f64) -> Self {
        Self { objective, eta, next: vec![0.0; objective.dim()] }
    }

    /// The objective.
    pub fn objective(&self) -> &'a O {
        self.objective
    }

    /// The learning rate η.
    pub fn eta(&self) -> f64 {
        self.eta
    }

    /// Changes the learning rate (for schedules).
    pub fn set_eta(&mut self, eta: f64) {
        self.eta = eta;
    }

    /// One step in place, x ← x − η∇f(x), unless the new point has diverged (left the divergence
    /// radius or the objective's domain, [`Objective::defined_at`]): then x is left unchanged and
    /// `false` is returned.
    #[inline]
    pub fn try_step(&mut self, x: &mut [f64]) -> bool {
        self.objective.gradient(x, &mut self.next);
        self.descend(x)
    }

    /// [`GdMap::try_step`] that also returns f at the point it steps from (one evaluation of
    /// [`Objective::value_and_gradient`]); `None` when the new point has diverged.
    #[inline]
    pub fn try_step_valued(&mut self, x: &mut [f64]) -> Option<f64> {
        let value = self.objective.value_and_gradient(x, &mut self.next);
        self.descend(x).then_some(value)
    }

    /// x ← x − η·g with the gradient g in `self.next`, unless that point has diverged.
    #[inline]
    fn descend(&mut self, x: &mut [f64]) -> bool {
        let mut norm2 = 0.0;
        for (n, xi) in self.next.iter_mut().zip(x.iter()) {
            *n = xi - self.eta * *n;
            norm2 += *n * *n;
        }
        if !within_radius(norm2) || !self.objective.defined_at(&self.next) {
            return false;
        }
        x.copy_from_slice(&self.next);
        true
    }

    /// The Jacobian DG(x) = I − η∇²f(x).
    pub fn jacobian(&self, x: &[f64]) -> nalgebra::DMatrix<f64> {
        let n = x.len();
        nalgebra::DMatrix::identity(n, n) - self.objective.hessian(x) * self.eta
    }

    /// Applies `steps` steps in place; returns `Err(k)` if the iterate diverged at step k
    /// (1-based: x_k is the first diverged iterate), leaving x at the last bounded iterate.
    pub fn advance(&mut self, x: &mut [f64], steps: usize) -> Result<(), usize> {
        for k in 1..=steps {
            if !self.try_step(x) {
                return Err(k);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::DoubleWell;

    #[test]
    fn step_is_x_minus_eta_gradient() {
        let f = DoubleWell::new(1.0).unwrap();
        let mut g = GdMap::new(&f, 0.3);
        let mut x = [2.0];
        assert!(g.try_step(&mut x));
        assert_eq!(x[0], 2.0 - 0.3 * 2.0 * 3.0);
        assert_eq!(g.jacobian(&[2.0])[(0, 0)], 1.0 - 0.3 * 11.0);
    }

    #[test]
    fn divergence_is_reported_with_its_step_and_no_nan() {
        let f = DoubleWell::new(1.0).unwrap();
        let mut g = GdMap::new(&f, 0.5);
        let mut x = [10.0];
        // 10 → 10 − 0.5·990 = −485 → ≈ 5.7e7 → beyond 1e8 at step 3.
        let k = g.advance(&mut x, 100).unwrap_err();
        assert_eq!(k, 3);
        assert!(x[0].is_finite() && x[0].abs() <= DIVERGENCE_RADIUS);
    }
}
