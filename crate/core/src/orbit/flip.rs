//! The period-2 orbit born where a minimum of a 1-D objective loses stability (Chen & Bruna,
//! paper 002 §4.1, Theorem 1, Lemma 1, Prop. 1; our copy lost their formulas, derived here).
//!
//! Let x* be a minimum with f″ = a > 0, f‴ = b, f⁗ = c there, and u = x − x*. Then
//! G(x*+u) − x* = (1 − ηa)u − η(b/2)u² − η(c/6)u³ + O(u⁴). At η₀ = 2/a, where the multiplier
//! 1 − ηa passes −1 (the edge of stability), G(u) = −u + a₂u² + a₃u³ with a₂ = −b/a, a₃ = −c/(3a),
//! and composing, G(G(u)) = −G + a₂G² + a₃G³ = u − 2(a₂² + a₃)u³ + O(u⁴): the quadratic terms
//! cancel. So the two-step map is u ↦ u − 2κu³ with the flip coefficient
//!
//! κ = a₂² + a₃ = (3b² − ac)/(3a²) = (3f‴² − f″f⁗)/(3f″²).
//!
//! Just past η₀, with δ = ηa − 2 (so G′(x*) = −(1 + δ)), G∘G(u) = (1 + δ)²u + O(δu²) − 2κu³, and
//! G∘G(u) = u has, besides u = 0, the roots u² = δ/κ + O(δ^{3/2}): a 2-cycle x* ± √(δ/κ) exists
//! for η slightly above 2/f″ exactly when κ > 0, that is 3f‴² − f″f⁗ > 0 — Theorem 1's condition
//! (for f‴ = 0 it reads f⁗ < 0, Lemma 1's even case with k = 4). Its multiplier, the derivative of
//! the two-step map there, is (1 + δ)² − 6κu² = 1 − 4δ + O(δ^{3/2}): it attracts. For κ < 0 the
//! 2-cycle lies below η₀ instead and repels.
//!
//! For the squared loss of a model F, f = ½(F − y)² (Prop. 1), at a minimiser (F = y):
//! f″ = F′², f‴ = 3F′F″, f⁗ = 3F″² + 4F′F‴, hence κ = 4(6F″² − F′F‴)/(3F′²): a 2-cycle just beyond
//! η = 2/F′² exactly when F′ ≠ 0 and 6F″² > F′F‴. With F = g∘h this is Prop. 2's composition rule
//! ([`crate::objective::base_model::BaseModel::minimum_derivatives`]). For the double well (x² − μ)²/4 at √μ:
//! a = 2μ, b = 6√μ, c = 6, κ = 8/μ, and √(δ/κ) = ½√(μ(ημ − 1)) agrees with the half-width
//! ½√(μ − 1/η) of its closed-form 2-cycle to first order in ημ − 1.

use crate::objective::base_model::MinimumDerivatives;

/// The local period doubling at a minimum x* of a 1-D objective (module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Flip {
    /// The minimiser x*.
    pub minimiser: f64,
    /// f″(x*) > 0.
    pub curvature: f64,
    /// The flip coefficient κ = (3f‴² − f″f⁗)/(3f″²).
    pub coefficient: f64,
}

impl Flip {
    /// The flip at a minimiser with derivatives f″ > 0, f‴, f⁗ there (an objective computes
    /// them); `None` when f″ ≤ 0 (no stable minimum to lose stability) or a derivative is not
    /// finite.
    pub fn new(minimiser: f64, derivatives: MinimumDerivatives) -> Option<Self> {
        let MinimumDerivatives { second: f2, third: f3, fourth: f4 } = derivatives;
        let coefficient = (3.0 * f3 * f3 - f2 * f4) / (3.0 * f2 * f2);
        (f2 > 0.0 && coefficient.is_finite() && minimiser.is_finite()).then_some(Self { minimiser, curvature: f2, coefficient })
    }

    /// The learning rate η₀ = 2/f″(x*) at which x* loses stability.
    pub fn eta(&self) -> f64 {
        2.0 / self.curvature
    }

    /// Whether the 2-cycle is born beyond the edge of stability and attracting there (κ > 0,
    /// paper 002 Theorem 1's condition).
    pub fn beyond_the_edge(&self) -> bool {
        self.coefficient > 0.0
    }

    /// δ = ηf″(x*) − 2.
    pub fn detuning(&self, eta: f64) -> f64 {
        eta * self.curvature - 2.0
    }

    /// The leading-order half-width √(δ/κ) of the 2-cycle at η, where δ/κ > 0 (η on the side of
    /// η₀ where the 2-cycle exists).
    pub fn amplitude(&self, eta: f64) -> Option<f64> {
        let ratio = self.detuning(eta) / self.coefficient;
        (ratio > 0.0).then(|| ratio.sqrt())
    }

    /// The leading-order multiplier 1 − 4δ of the 2-cycle at η.
    pub fn multiplier(&self, eta: f64) -> f64 {
        1.0 - 4.0 * self.detuning(eta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::base_model::{Base, BaseModel};
    use crate::objective::{DoubleWell, Objective};

    #[test]
    fn the_double_wells_flip_approaches_its_closed_form_two_cycle() {
        let mu: f64 = 1.5;
        let flip = Flip::new(mu.sqrt(), MinimumDerivatives { second: 2.0 * mu, third: 6.0 * mu.sqrt(), fourth: 6.0 }).unwrap();
        assert!((flip.coefficient - 8.0 / mu).abs() < 1e-15 && flip.beyond_the_edge());
        assert!((flip.eta() - 1.0 / mu).abs() < 1e-16);
        let f = DoubleWell::new(mu).unwrap();
        let mut previous = f64::INFINITY;
        for eps in [1e-2, 1e-3, 1e-4] {
            let eta = (1.0 + eps) / mu;
            let (a, b) = f.two_cycle(eta).unwrap();
            let error = (flip.amplitude(eta).unwrap() / ((a - b) / 2.0) - 1.0).abs();
            // First order in δ: the error falls tenfold with δ.
            assert!(error < eps && error < previous / 8.0, "ε = {eps}: relative error {error:e}");
            previous = error;
            let exact = 9.0 - 2.0 * (1.0 + eta * mu).powi(2);
            assert!((flip.multiplier(eta) - exact).abs() < 3.0 * eps * eps, "ε = {eps}");
        }
        assert_eq!(flip.amplitude(0.99 / mu), None, "no 2-cycle below the edge");
    }

    #[test]
    fn a_negative_coefficient_puts_the_cycle_below_the_edge_and_a_saddle_refuses() {
        // f = u²/2 + u⁴ (f″ = 1, f‴ = 0, f⁗ = 24): κ = −8, a 2-cycle for η < 2 only.
        let flip = Flip::new(0.0, MinimumDerivatives { second: 1.0, third: 0.0, fourth: 24.0 }).unwrap();
        assert_eq!(flip.coefficient, -8.0);
        assert!(!flip.beyond_the_edge());
        assert_eq!(flip.amplitude(2.1), None);
        assert!((flip.amplitude(1.9).unwrap() - (0.1f64 / 8.0).sqrt()).abs() < 1e-15);
        assert!(Flip::new(0.0, MinimumDerivatives { second: -1.0, third: 0.0, fourth: 1.0 }).is_none());
    }

    #[test]
    fn the_base_models_flip_coefficient_is_prop_1s_for_tanh_and_sin_and_vanishes_for_the_identity() {
        let flip = |f: &BaseModel, x: f64| Flip::new(x, f.minimum_derivatives(x));
        // tanh at x* = atanh y: F′ = 1 − y², F″ = −2y(1 − y²), F‴ = (1 − y²)(6y² − 2), so
        // 6F″² − F′F‴ = (1 − y²)²(18y² + 2) and κ = 4(18y² + 2)/3, for every y in (−1, 1).
        for y in [-0.5, 0.0, 0.5, 0.9] {
            let f = BaseModel::new(Base::Tanh, Base::Identity, y);
            let flip = flip(&f, f.known_minimizers()[0][0]).unwrap();
            assert!((flip.coefficient - 4.0 * (18.0 * y * y + 2.0) / 3.0).abs() < 1e-12, "y {y}: {flip:?}");
            assert!((flip.eta() - 2.0 / (1.0 - y * y).powi(2)).abs() < 1e-12);
        }
        // sin: F′ = cos x*, F″ = −y, F‴ = −cos x*: 6y² + cos² x* = 1 + 5y², κ = 4(1 + 5y²)/(3 cos² x*).
        let f = BaseModel::new(Base::Sin, Base::Identity, 0.5);
        for m in f.known_minimizers() {
            let c2 = libm::cos(m[0]).powi(2);
            assert!((flip(&f, m[0]).unwrap().coefficient - 4.0 * (1.0 + 5.0 * 0.25) / (3.0 * c2)).abs() < 1e-12);
        }
        // A quadratic loss (identity model) has κ = 0: no 2-cycle, GD diverges past 2/η.
        assert_eq!(flip(&BaseModel::new(Base::Identity, Base::Identity, 0.5), 0.5).unwrap().coefficient, 0.0);
    }
}
