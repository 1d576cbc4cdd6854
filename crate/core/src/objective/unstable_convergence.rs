//! The test functions f₁…f₄ of Chen, Peng, Li, Zhao, *On the Unstable Convergence Regime of
//! Gradient Descent* (paper 004, §Numerical Experiments, eqs. 43–46), on (x, y) ∈ ℝ²:
//! * f₁ = x² + y² + x²y + x³ + y³ (43): strict local minimum (0, 0), λ_max = 2;
//! * f₂ = x² + y² + x²y + x⁴ + y⁴ (44): unique global minimum (0, 0), λ_max = 2;
//! * f₃ = x⁴y² + x²y⁴ − 3x²y² + 1 (45): four global minima (±1, ±1) with λ_max = 12;
//! * f₄ = (1 − xy)² + (x² + y²)/20 (46): minima ±(√19/(2√5), √19/(2√5)) with λ_max = 19/5 and
//!   value 39/400.
//!
//! Gradients and Hessians are the hand-differentiated polynomials below (tested against finite
//! differences).

use super::params::{ParamSchema, Params};
use super::schema::{ObjectiveSchema, Registered};
use super::{AnyObjective, Objective};
use crate::error::Result;

/// Which of the four functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestFunction {
    /// Eq. 43.
    F1,
    /// Eq. 44.
    F2,
    /// Eq. 45.
    F3,
    /// Eq. 46.
    F4,
}

impl TestFunction {
    fn parse(name: &str) -> Result<Self> {
        Ok(match name {
            "f1" => TestFunction::F1,
            "f2" => TestFunction::F2,
            "f3" => TestFunction::F3,
            _ => TestFunction::F4,
        })
    }

    /// (f, ∇f): inlined into the basin maps' hot loop, so it computes nothing more.
    #[inline(always)]
    pub fn value_gradient(self, x: f64, y: f64) -> (f64, [f64; 2]) {
        let (x2, y2) = (x * x, y * y);
        match self {
            TestFunction::F1 => (x2 + y2 + x2 * y + x2 * x + y2 * y, [2.0 * x + 2.0 * x * y + 3.0 * x2, 2.0 * y + x2 + 3.0 * y2]),
            TestFunction::F2 => (x2 + y2 + x2 * y + x2 * x2 + y2 * y2, [2.0 * x + 2.0 * x * y + 4.0 * x2 * x, 2.0 * y + x2 + 4.0 * y2 * y]),
            TestFunction::F3 => (
                x2 * x2 * y2 + x2 * y2 * y2 - 3.0 * x2 * y2 + 1.0,
                [4.0 * x2 * x * y2 + 2.0 * x * y2 * y2 - 6.0 * x * y2, 2.0 * x2 * x2 * y + 4.0 * x2 * y2 * y - 6.0 * x2 * y],
            ),
            TestFunction::F4 => {
                let r = 1.0 - x * y;
                (r * r + (x2 + y2) / 20.0, [-2.0 * y * r + x / 10.0, -2.0 * x * r + y / 10.0])
            }
        }
    }

    /// ∇²f as [f_xx, f_xy, f_yy].
    fn hessian_entries(self, x: f64, y: f64) -> [f64; 3] {
        let (x2, y2) = (x * x, y * y);
        match self {
            TestFunction::F1 => [2.0 + 2.0 * y + 6.0 * x, 2.0 * x, 2.0 + 6.0 * y],
            TestFunction::F2 => [2.0 + 2.0 * y + 12.0 * x2, 2.0 * x, 2.0 + 12.0 * y2],
            TestFunction::F3 => [
                12.0 * x2 * y2 + 2.0 * y2 * y2 - 6.0 * y2,
                8.0 * x2 * x * y + 8.0 * x * y2 * y - 12.0 * x * y,
                2.0 * x2 * x2 + 12.0 * x2 * y2 - 6.0 * x2,
            ],
            TestFunction::F4 => [2.0 * y2 + 0.1, -2.0 + 4.0 * x * y, 2.0 * x2 + 0.1],
        }
    }
}

impl Objective for TestFunction {
    fn dim(&self) -> usize {
        2
    }
    fn value(&self, p: &[f64]) -> f64 {
        self.value_gradient(p[0], p[1]).0
    }
    fn gradient(&self, p: &[f64], grad: &mut [f64]) {
        grad.copy_from_slice(&self.value_gradient(p[0], p[1]).1);
    }
    #[inline(always)]
    fn value_and_gradient(&self, p: &[f64], grad: &mut [f64]) -> f64 {
        let (value, g) = self.value_gradient(p[0], p[1]);
        grad.copy_from_slice(&g);
        value
    }
    fn hessian_vector(&self, p: &[f64], v: &[f64], out: &mut [f64]) {
        let [a, b, c] = self.hessian_entries(p[0], p[1]);
        out[0] = a * v[0] + b * v[1];
        out[1] = b * v[0] + c * v[1];
    }
    /// f₁'s minimum is only local (f₁ is unbounded below), so its loss is f₁ itself, which is
    /// f₁ − f₁(0, 0).
    fn min_value(&self) -> Option<f64> {
        match self {
            TestFunction::F1 => None,
            TestFunction::F2 | TestFunction::F3 => Some(0.0),
            TestFunction::F4 => Some(39.0 / 400.0),
        }
    }
    /// The paper's Fig. 3 unstable start (0.1, 2.5) for f₄; points near the minimum otherwise.
    fn default_start(&self) -> Vec<f64> {
        match self {
            TestFunction::F1 | TestFunction::F2 => vec![0.3, -0.2],
            TestFunction::F3 => vec![1.2, 0.9],
            TestFunction::F4 => vec![0.1, 2.5],
        }
    }
    fn known_minimizers(&self) -> Vec<Vec<f64>> {
        match self {
            TestFunction::F1 | TestFunction::F2 => vec![vec![0.0, 0.0]],
            TestFunction::F3 => vec![vec![1.0, 1.0], vec![1.0, -1.0], vec![-1.0, 1.0], vec![-1.0, -1.0]],
            TestFunction::F4 => {
                let a = 19f64.sqrt() / (2.0 * 5f64.sqrt());
                vec![vec![a, a], vec![-a, -a]]
            }
        }
    }
}

pub(super) const REGISTERED: Registered = Registered {
    schema: ObjectiveSchema {
        name: "unstable_convergence",
        group: "unstable convergence",
        title: "Test functions f₁…f₄",
        description: "Two-variable functions whose GD converges stably (loss falls every step) from some starts and \
                      unstably (after loss increases) from others. f₁ = x² + y² + x²y + x³ + y³, \
                      f₂ = x² + y² + x²y + x⁴ + y⁴, f₃ = x⁴y² + x²y⁴ − 3x²y² + 1, f₄ = (1 − xy)² + (x² + y²)/20.",
        citation: "Chen, Peng, Li, Zhao, On the Unstable Convergence Regime of Gradient Descent (004), eqs. 43–46",
        params: &[ParamSchema::choice("which", "f4", &["f1", "f2", "f3", "f4"], "which function")],
    },
    build: |p: &Params| Ok(AnyObjective::UnstableConvergence(TestFunction::parse(p.text("which")?)?)),
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::check::{derivative_errors, sharpness};

    const ALL: [TestFunction; 4] = [TestFunction::F1, TestFunction::F2, TestFunction::F3, TestFunction::F4];

    #[test]
    fn derivatives_match_central_differences() {
        for f in ALL {
            for p in [[0.3, -0.2], [1.1, 0.7], [-0.8, 1.9]] {
                let (g, h) = derivative_errors(&f, &p, &[0.6, -1.1], 1e-6);
                assert!(g < 1e-8 && h < 1e-8, "{f:?} at {p:?}: {g} {h}");
            }
        }
    }

    #[test]
    fn minima_and_their_sharpness_are_the_papers() {
        let expected = [(TestFunction::F1, 2.0), (TestFunction::F2, 2.0), (TestFunction::F3, 12.0), (TestFunction::F4, 19.0 / 5.0)];
        for (f, lambda) in expected {
            for m in f.known_minimizers() {
                let mut g = [0.0; 2];
                f.gradient(&m, &mut g);
                assert!(g[0].abs() < 1e-14 && g[1].abs() < 1e-14, "{f:?}: ∇f({m:?}) = {g:?}");
                let s = sharpness(&f, &m);
                assert!((s - lambda).abs() < 1e-13, "{f:?} at {m:?}: λ_max = {s}, paper {lambda}");
                if let Some(min) = f.min_value() {
                    assert!((f.value(&m) - min).abs() < 1e-15, "{f:?}: f = {}", f.value(&m));
                }
            }
        }
    }
}
