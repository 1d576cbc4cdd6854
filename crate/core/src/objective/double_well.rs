//! The double well f(x) = (x² − μ)²/4 (Chen & Bruna, *Beyond the Edge of Stability via Two-step
//! Gradient Updates*, paper 002 §4.2, Theorem 2 and Appendix L).
//!
//! Derivatives: f′(x) = x(x² − μ), f″(x) = 3x² − μ, so the minima ±√μ have sharpness
//! f″(±√μ) = 2μ and GD is linearly stable there for η < 2/(2μ) = 1/μ.
//!
//! The GD map is G(x) = x − η x(x² − μ). Its period-2 orbits, derived here because our copy of the
//! paper lost the formulas of Theorem 2: from G(a) = b, G(b) = a with a ≠ b, subtracting and adding
//! the two equations gives η(a² + ab + b²) = 2 + ημ and (a + b)(a² − ab + b² − μ) = 0.
//! * a + b = 0: the orbit ±√(μ + 2/η), which exists for every η and is always repelling (its
//!   multiplier is (5 + 2ημ)²); it bounds the invariant interval.
//! * a² − ab + b² = μ: then ab = 1/η and a² + b² = μ + 1/η, so
//!   a, b = (√(μ + 3/η) ± √(μ − 1/η))/2, real for η > 1/μ. Its multiplier
//!   G′(a)G′(b) = 9 − 2(1 + ημ)² lies in (−1, 1) exactly for 1/μ < η < (√5 − 1)/μ: the orbit born
//!   at the period doubling η = 1/μ, which loses stability to a period-4 orbit at η = (√5 − 1)/μ.
//!   This is the closed form [`DoubleWell::two_cycle`] returns.
//!
//! For ημ ≤ 2 the interval [−√(μ + 2/η), √(μ + 2/η)] is forward invariant (the largest |G| on it,
//! reached at x² = (1 + ημ)/(3η), is (2/3)(1 + ημ)√((1 + ημ)/(3η)), which is at most √(μ + 2/η)
//! exactly when 4(1 + ημ)³ ≤ 27(ημ + 2), i.e. ημ ≤ 2); for ημ > 2 almost every start diverges.

use super::params::{ParamSchema, Params};
use super::schema::{ObjectiveSchema, Registered};
use super::{AnyObjective, Objective};
use crate::error::Result;
use crate::validate;

pub(super) const REGISTERED: Registered = Registered {
    schema: ObjectiveSchema {
        name: "double_well",
        group: "scalar",
        title: "Double well (x² − μ)²/4",
        description: "f(x) = (x² − μ)²/4 with minima ±√μ of sharpness 2μ. GD converges for η < 1/μ, \
                      settles on a 2-cycle up to η = (√5 − 1)/μ, doubles its period into chaos, and \
                      diverges beyond η = 2/μ.",
        citation: "Chen & Bruna, Beyond the Edge of Stability via Two-step Gradient Updates, §4.2, Thm 2, App. L",
        params: &[ParamSchema::real("mu", 1.0, 1e-3, DoubleWell::MAX_MU, "μ: the minima sit at ±√μ")],
    },
    build: |p: &Params| Ok(AnyObjective::DoubleWell(DoubleWell::new(p.real("mu")?)?)),
};

/// f(x) = (x² − μ)²/4 on ℝ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DoubleWell {
    mu: f64,
}

impl DoubleWell {
    /// Largest accepted μ.
    pub const MAX_MU: f64 = 1e3;

    /// The double well with minima at ±√μ; μ must be finite, > 0 and at most [`Self::MAX_MU`].
    pub fn new(mu: f64) -> Result<Self> {
        Ok(Self { mu: validate::positive_up_to("objective.mu", mu, Self::MAX_MU)? })
    }

    /// μ.
    pub fn mu(&self) -> f64 {
        self.mu
    }

    /// f′(x) = x(x² − μ).
    #[inline]
    pub fn derivative(&self, x: f64) -> f64 {
        x * (x * x - self.mu)
    }

    /// f″(x) = 3x² − μ: the sharpness in one dimension.
    #[inline]
    pub fn second_derivative(&self, x: f64) -> f64 {
        3.0 * x * x - self.mu
    }

    /// The period-2 orbit (a, b) with a > b > 0 born at η = 1/μ, in closed form (module docs):
    /// a, b = (√(μ + 3/η) ± √(μ − 1/η))/2, for every η > 1/μ (paper 002 Thm 2, eq. (4); it exists
    /// beyond its stability window too, §6); `None` for η ≤ 1/μ, where it is complex.
    pub fn period_two_orbit(&self, eta: f64) -> Option<(f64, f64)> {
        // Written so that a NaN η is refused too.
        if eta * self.mu <= 1.0 || eta.is_nan() {
            return None;
        }
        let sum = (self.mu + 3.0 / eta).sqrt();
        let diff = (self.mu - 1.0 / eta).sqrt();
        Some(((sum + diff) / 2.0, (sum - diff) / 2.0))
    }

    /// The multiplier of that orbit, the derivative of the two-step map G∘G on it:
    /// G′(a)G′(b) = 9 − 2(1 + ημ)² (module docs); −1 at ημ = √5 − 1.
    pub fn period_two_multiplier(&self, eta: f64) -> f64 {
        9.0 - 2.0 * (1.0 + eta * self.mu).powi(2)
    }

    /// The period-2 orbit where it attracts (|multiplier| < 1, i.e. 1/μ < η < (√5 − 1)/μ), else
    /// `None`.
    pub fn two_cycle(&self, eta: f64) -> Option<(f64, f64)> {
        self.period_two_orbit(eta).filter(|_| self.period_two_multiplier(eta).abs() < 1.0)
    }

    /// The learning rates at which the stable fixed point and the stable 2-cycle lose stability:
    /// η = 1/μ and η = (√5 − 1)/μ.
    pub fn first_period_doublings(&self) -> (f64, f64) {
        (1.0 / self.mu, (5f64.sqrt() - 1.0) / self.mu)
    }
}

impl Objective for DoubleWell {
    fn dim(&self) -> usize {
        1
    }

    fn value(&self, x: &[f64]) -> f64 {
        let d = x[0] * x[0] - self.mu;
        d * d / 4.0
    }

    fn gradient(&self, x: &[f64], grad: &mut [f64]) {
        grad[0] = self.derivative(x[0]);
    }

    fn hessian_vector(&self, x: &[f64], v: &[f64], out: &mut [f64]) {
        out[0] = self.second_derivative(x[0]) * v[0];
    }

    fn min_value(&self) -> Option<f64> {
        Some(0.0)
    }

    fn default_start(&self) -> Vec<f64> {
        vec![0.5 * self.mu.sqrt()]
    }

    fn known_minimizers(&self) -> Vec<Vec<f64>> {
        vec![vec![self.mu.sqrt()], vec![-self.mu.sqrt()]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::check::derivative_errors;

    #[test]
    fn sharpness_at_the_minima_is_two_mu() {
        for mu in [0.25, 1.0, 3.0] {
            let f = DoubleWell::new(mu).unwrap();
            for x in [mu.sqrt(), -mu.sqrt()] {
                assert!((f.second_derivative(x) - 2.0 * mu).abs() < 1e-12 * mu);
                assert!(f.value(&[x]) < 1e-30, "f(±√μ) = {}", f.value(&[x]));
            }
        }
    }

    #[test]
    fn exact_derivatives_match_central_differences() {
        let f = DoubleWell::new(1.7).unwrap();
        for x in [-2.3, -0.4, 0.0, 0.9, 3.1] {
            let (g, h) = derivative_errors(&f, &[x], &[1.0], 1e-5);
            assert!(g < 1e-8 && h < 1e-8, "x = {x}: gradient {g}, hvp {h}");
        }
        assert_eq!(f.hessian(&[0.5])[(0, 0)], 3.0 * 0.25 - 1.7);
    }

    #[test]
    fn two_cycle_closed_form_is_a_two_cycle_of_the_gd_map() {
        let f = DoubleWell::new(1.0).unwrap();
        for eta in [1.01, 1.1, 1.2, 1.23] {
            let (a, b) = f.two_cycle(eta).unwrap();
            let g = |x: f64| x - eta * f.derivative(x);
            assert!((g(a) - b).abs() < 1e-14 && (g(b) - a).abs() < 1e-14, "eta {eta}");
            assert!(a > b && b > 0.0);
        }
        assert!(f.two_cycle(0.99).is_none());
        assert!(f.two_cycle(1.24).is_none());
        assert!(f.period_two_orbit(1.24).is_some() && f.period_two_orbit(1.0).is_none());
        // The multiplier against the derivative of G∘G, G′(a)G′(b) with G′ = 1 − ηf″.
        for eta in [1.1, 1.3, 1.9] {
            let (a, b) = f.period_two_orbit(eta).unwrap();
            let product = (1.0 - eta * f.second_derivative(a)) * (1.0 - eta * f.second_derivative(b));
            assert!((f.period_two_multiplier(eta) - product).abs() < 1e-13, "eta {eta}");
        }
        assert!((f.period_two_multiplier(5f64.sqrt() - 1.0) + 1.0).abs() < 1e-14);
    }

    #[test]
    fn rejects_bad_mu_naming_the_field() {
        for mu in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e4] {
            assert_eq!(DoubleWell::new(mu).unwrap_err().field, "objective.mu");
        }
    }
}
