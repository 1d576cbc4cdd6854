//! Heavy-ball momentum (Polyak 1964): GD with a velocity that remembers a fraction β of the last
//! step.
//!
//! Convention (v₀ = 0, η_t the step's learning rate):
//!
//! v_{t+1} = β·v_t − η_t·∇f(x_t),  x_{t+1} = x_t + v_{t+1},
//!
//! equivalently x_{t+1} = x_t − η_t∇f(x_t) + β(x_t − x_{t−1}). With β = 0 it is GD, bit for bit.
//!
//! **Stability limit.** On a quadratic with curvature λ the pair (x_{t+1}, x_t) evolves by the
//! companion matrix [[1 + β − ηλ, −β], [1, 0]], whose eigenvalues solve r² − (1 + β − ηλ)r + β = 0.
//! For 0 ≤ β < 1 their product is β < 1, so both lie inside the unit circle exactly when
//! |1 + β − ηλ| < 1 + β (Jury's criterion), i.e. 0 < ηλ < 2 + 2β. The minimum is linearly stable
//! for sharpness below (2 + 2β)/η: the threshold a run's sharpness is compared with.

use crate::objective::Objective;
use crate::optimizer::gd::within_radius;

/// The sharpness beyond which a minimum is linearly unstable for heavy ball with learning rate η
/// and momentum β: (2 + 2β)/η (module docs).
pub fn stability_threshold(eta: f64, beta: f64) -> f64 {
    (2.0 + 2.0 * beta) / eta
}

/// Heavy ball on an objective: the state is the iterate x (held by the caller) and the velocity v.
pub struct HeavyBall<'a> {
    objective: &'a dyn Objective,
    eta: f64,
    beta: f64,
    velocity: Vec<f64>,
    gradient: Vec<f64>,
}

impl<'a> HeavyBall<'a> {
    /// Heavy ball with learning rate η and momentum β, starting at rest (v₀ = 0).
    pub fn new(objective: &'a dyn Objective, eta: f64, beta: f64) -> Self {
        let n = objective.dim();
        Self { objective, eta, beta, velocity: vec![0.0; n], gradient: vec![0.0; n] }
    }

    /// Changes the learning rate (for schedules).
    pub fn set_eta(&mut self, eta: f64) {
        self.eta = eta;
    }

    /// One step in place, unless the new point has left the divergence radius
    /// ([`crate::limits::DIVERGENCE_RADIUS`]): then x and v are left unchanged and `false` is returned.
    pub fn try_step(&mut self, x: &mut [f64]) -> bool {
        self.objective.gradient(x, &mut self.gradient);
        let mut norm2 = 0.0;
        for ((g, v), xi) in self.gradient.iter_mut().zip(&self.velocity).zip(x.iter()) {
            // g becomes the new velocity β·v − η·∇f(x).
            *g = self.beta * v - self.eta * *g;
            norm2 += (xi + *g) * (xi + *g);
        }
        if !within_radius(norm2) {
            return false;
        }
        std::mem::swap(&mut self.velocity, &mut self.gradient);
        for (xi, v) in x.iter_mut().zip(&self.velocity) {
            *xi += v;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::{ObjectiveSpec, ParamValue};
    use crate::optimizer::gd::GdMap;

    /// f = λx²/2 as a formula objective.
    fn quadratic(lambda: f64) -> crate::objective::AnyObjective {
        ObjectiveSpec::new(
            "formula",
            &[
                ("formula", ParamValue::Text("lam*x^2/2".into())),
                ("variables", ParamValue::Text("x".into())),
                ("params", ParamValue::Text(format!("lam = {lambda}"))),
            ],
        )
        .build()
        .unwrap()
    }

    /// Spectral radius of the companion matrix [[1 + β − ηλ, −β], [1, 0]] in closed form: the
    /// larger root modulus of r² − (1 + β − ηλ)r + β, √β for complex roots.
    fn companion_radius(eta_lambda: f64, beta: f64) -> f64 {
        let b = 1.0 + beta - eta_lambda;
        let disc = b * b - 4.0 * beta;
        if disc < 0.0 {
            beta.sqrt()
        } else {
            (b.abs() + disc.sqrt()) / 2.0
        }
    }

    #[test]
    fn converges_just_below_and_diverges_just_above_two_plus_two_beta_over_eta() {
        let (eta, beta) = (0.1, 0.5);
        let limit = stability_threshold(eta, beta);
        assert_eq!(limit, 30.0);
        for (lambda, stable) in [(0.99 * limit, true), (1.01 * limit, false)] {
            let rho = companion_radius(eta * lambda, beta);
            assert_eq!(rho < 1.0, stable, "ρ = {rho} at λ = {lambda}");
            let f = quadratic(lambda);
            let mut hb = HeavyBall::new(&f, eta, beta);
            let mut x = [1.0];
            let mut previous = 1.0;
            let mut ratio = 0.0;
            for _ in 0..250 {
                assert!(hb.try_step(&mut x));
                ratio = x[0] / previous;
                previous = x[0];
            }
            // Both roots are real and negative here: x alternates in sign and |x_{t+1}/x_t| → ρ,
            // the second root's share decaying as (r₂/r₁)^t.
            assert!((ratio.abs() - rho).abs() < 1e-12, "λ = {lambda}: |x_(t+1)/x_t| = {} vs ρ = {rho}", ratio.abs());
            assert_eq!(x[0].abs() < 1e-6, stable, "λ = {lambda}: x_250 = {}", x[0]);
        }
    }

    #[test]
    fn zero_momentum_is_gd_bit_for_bit_and_divergence_leaves_the_state() {
        let f = ObjectiveSpec::default().build().unwrap();
        let (mut a, mut b) = ([0.5], [0.5]);
        let mut hb = HeavyBall::new(&f, 1.1, 0.0);
        let mut gd = GdMap::new(&f, 1.1);
        for _ in 0..50 {
            assert!(hb.try_step(&mut a) && gd.try_step(&mut b));
            assert_eq!(a[0].to_bits(), b[0].to_bits());
        }
        let mut far = [10.0];
        let mut hb = HeavyBall::new(&f, 0.5, 0.9);
        let steps = (1..=100).find(|_| !hb.try_step(&mut far)).unwrap();
        assert!(steps <= 4 && far[0].is_finite() && far[0].abs() <= crate::limits::DIVERGENCE_RADIUS);
    }
}
