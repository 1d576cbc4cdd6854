//! The self-stabilization models of Damian, Nichani, Lee, *Self-Stabilization: The Implicit Bias of
//! Gradient Descent at the Edge of Stability* (paper 001).
//!
//! **Reduced model (§4, eq. 3).** Along the top eigenvector, with x the displacement and y the
//! sharpness minus 2/η, GD follows x⁺ = −(1 + ηy)x, y⁺ = y + η(α − βx²/2): α is the rate of
//! progressive sharpening (α = −∇L·∇S) and β = ‖∇S‖² the strength of self-stabilization. Written
//! in (x, y) this is not GD on any function unless β = 1: the update asks for ∂f/∂x = (2/η + y)x
//! and ∂f/∂y = βx²/2 − α, whose cross derivatives x and βx disagree. In the coordinates (x, u) with
//! y = √β·u it is: f(x, u) = (s₀ + √β·u)·x²/2 − (α/√β)·u with s₀ = 2/η₀ gives
//! ∂f/∂x = (s₀ + y)x and ∂f/∂u = √β·x²/2 − α/√β, so GD with step η₀ is
//! x⁺ = x − η₀(2/η₀ + y)x = −(1 + η₀y)x and y⁺ = √β·u⁺ = y + η₀(α − βx²/2): eq. 3 exactly. The
//! parameters are ordered θ = (x, u). Hessian: [[s₀ + √β·u, √β·x], [√β·x, 0]]. Its period-2 orbit
//! is x = ±√(2α/β), y = 0.
//!
//! **Toy model (Appendix B).** Our copy lost its formula; from the text (a single unstable
//! direction x, ∇L·∇S = −α and ‖∇S‖² = β, a constrained trajectory that cannot lower the loss
//! without raising the sharpness past 2/η and moves linearly in one direction while GD follows
//! eq. 4 in the others) we use, on θ = (x, u, w) with a = √(β/2):
//! L = ½x²(s₀ + a(u + w)) − (α/a)·w. At x = 0 the sharpness is S = s₀ + a(u + w), ∇S = (0, a, a)
//! so ‖∇S‖² = β, and ∇L = (0, 0, −α/a) so −∇L·∇S = α. GD gives x⁺ = x − ηSx and
//! S⁺ = S + η(α − βx²/2): in (x, S − 2/η) exactly the reduced dynamics, while the loss falls
//! linearly along w. Hessian: L_xx = S(θ), L_xu = L_xw = a·x, the rest 0.

use super::params::{ParamSchema, Params};
use super::schema::{ObjectiveSchema, Registered};
use super::{AnyObjective, Objective};

const PARAMS: &[ParamSchema] = &[
    ParamSchema::real("alpha", 1.0, 1e-6, 1e3, "α = −∇L·∇S: the rate of progressive sharpening"),
    ParamSchema::real("beta", 1.0, 1e-6, 1e3, "β = ‖∇S‖²: the strength of self-stabilization"),
    ParamSchema::real("eta", 0.5, 1e-4, 1e3, "the learning rate η₀ the model is centred on: sharpness s₀ = 2/η₀ at y = 0"),
];

/// The reduced model of §4 in the coordinates (x, u), y = √β·u.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReducedModel {
    alpha: f64,
    beta: f64,
    eta: f64,
}

impl ReducedModel {
    /// The model with progressive-sharpening rate α, stabilization strength β, centred on η₀.
    pub fn new(alpha: f64, beta: f64, eta: f64) -> Self {
        Self { alpha, beta, eta }
    }

    /// (x, y) of a parameter point (x, u).
    pub fn to_xy(&self, theta: &[f64]) -> (f64, f64) {
        (theta[0], self.beta.sqrt() * theta[1])
    }

    /// The parameter point (x, u) of (x, y).
    pub fn from_xy(&self, x: f64, y: f64) -> Vec<f64> {
        vec![x, y / self.beta.sqrt()]
    }

    /// The period-2 orbit x = ±√(2α/β), y = 0, as parameter points.
    pub fn period_two_orbit(&self) -> [Vec<f64>; 2] {
        let x = (2.0 * self.alpha / self.beta).sqrt();
        [self.from_xy(x, 0.0), self.from_xy(-x, 0.0)]
    }

    fn s0(&self) -> f64 {
        2.0 / self.eta
    }
}

impl Objective for ReducedModel {
    fn dim(&self) -> usize {
        2
    }
    fn value(&self, t: &[f64]) -> f64 {
        let sb = self.beta.sqrt();
        (self.s0() + sb * t[1]) * t[0] * t[0] / 2.0 - self.alpha / sb * t[1]
    }
    fn gradient(&self, t: &[f64], g: &mut [f64]) {
        let sb = self.beta.sqrt();
        g[0] = (self.s0() + sb * t[1]) * t[0];
        g[1] = sb * t[0] * t[0] / 2.0 - self.alpha / sb;
    }
    fn hessian_vector(&self, t: &[f64], v: &[f64], out: &mut [f64]) {
        let sb = self.beta.sqrt();
        out[0] = (self.s0() + sb * t[1]) * v[0] + sb * t[0] * v[1];
        out[1] = sb * t[0] * v[0];
    }
    /// Unbounded below (linear in u): the loss is reported as f itself.
    fn min_value(&self) -> Option<f64> {
        None
    }
    /// x = 0.01, y = −0.3: sharpness below 2/η₀, so progressive sharpening comes first.
    fn default_start(&self) -> Vec<f64> {
        self.from_xy(0.01, -0.3)
    }
}

/// The toy model of Appendix B on θ = (x, u, w) (module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ToyModel {
    alpha: f64,
    beta: f64,
    eta: f64,
}

impl ToyModel {
    /// The model with progressive-sharpening rate α, stabilization strength β, centred on η₀.
    pub fn new(alpha: f64, beta: f64, eta: f64) -> Self {
        Self { alpha, beta, eta }
    }

    fn a(&self) -> f64 {
        (self.beta / 2.0).sqrt()
    }

    /// The sharpness along x at θ, S = 2/η₀ + a(u + w) (exact at x = 0).
    pub fn sharpness_along_x(&self, t: &[f64]) -> f64 {
        2.0 / self.eta + self.a() * (t[1] + t[2])
    }
}

impl Objective for ToyModel {
    fn dim(&self) -> usize {
        3
    }
    fn value(&self, t: &[f64]) -> f64 {
        0.5 * t[0] * t[0] * self.sharpness_along_x(t) - self.alpha / self.a() * t[2]
    }
    fn gradient(&self, t: &[f64], g: &mut [f64]) {
        let a = self.a();
        g[0] = self.sharpness_along_x(t) * t[0];
        g[1] = 0.5 * a * t[0] * t[0];
        g[2] = 0.5 * a * t[0] * t[0] - self.alpha / a;
    }
    fn hessian_vector(&self, t: &[f64], v: &[f64], out: &mut [f64]) {
        let ax = self.a() * t[0];
        out[0] = self.sharpness_along_x(t) * v[0] + ax * (v[1] + v[2]);
        out[1] = ax * v[0];
        out[2] = ax * v[0];
    }
    /// Unbounded below (linear in w).
    fn min_value(&self) -> Option<f64> {
        None
    }
    /// x = 0.01 and S = 2/η₀ − 0.3.
    fn default_start(&self) -> Vec<f64> {
        let u = -0.3 / self.a();
        vec![0.01, u, 0.0]
    }
}

pub(super) const REDUCED: Registered = Registered {
    schema: ObjectiveSchema {
        name: "self_stabilization_reduced",
        group: "self-stabilization",
        title: "Reduced self-stabilization model",
        description: "GD at η = η₀ is exactly x⁺ = −(1 + ηy)x, y⁺ = y + η(α − βx²/2): sharpness 2/η + y rises at rate α, \
                      x blows up once y > 0, and x² pulls y back down. Parameters are (x, u) with y = √β·u. GD circles the \
                      period-2 orbit x = ±√(2α/β), y = 0 along the cycles of a Lotka–Volterra system (which conserves \
                      y² + βx²/2 − α ln x²), drifting outward at a rate of order η: use a small η such as 0.01.",
        citation: "Damian, Nichani, Lee, Self-Stabilization (001) §4, eq. 3",
        params: PARAMS,
    },
    build: |p: &Params| Ok(AnyObjective::Other(Box::new(ReducedModel::new(p.real("alpha")?, p.real("beta")?, p.real("eta")?)))),
};

pub(super) const TOY: Registered = Registered {
    schema: ObjectiveSchema {
        name: "self_stabilization_toy",
        group: "self-stabilization",
        title: "Self-stabilization toy model",
        description: "L = ½x²(2/η₀ + a(u + w)) − (α/a)w with a = √(β/2): one unstable direction x; descending along w \
                      raises the sharpness at rate α, and GD self-stabilizes through x² while the loss keeps falling.",
        citation: "Damian, Nichani, Lee, Self-Stabilization (001) App. B (formula reconstructed: see the module docs)",
        params: PARAMS,
    },
    build: |p: &Params| Ok(AnyObjective::Other(Box::new(ToyModel::new(p.real("alpha")?, p.real("beta")?, p.real("eta")?)))),
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::check::derivative_errors;
    use crate::optimizer::gd::GdMap;

    #[test]
    fn derivatives_match_central_differences() {
        let r = ReducedModel::new(0.7, 2.0, 0.4);
        let t = ToyModel::new(0.7, 2.0, 0.4);
        for p in [[0.3, -0.2, 0.1], [1.1, 0.7, -0.5]] {
            let (g, h) = derivative_errors(&r, &p[..2], &[0.6, -1.1], 1e-6);
            assert!(g < 1e-8 && h < 1e-8, "reduced: {g} {h}");
            let (g, h) = derivative_errors(&t, &p, &[0.6, -1.1, 0.4], 1e-6);
            assert!(g < 1e-8 && h < 1e-8, "toy: {g} {h}");
        }
    }

    #[test]
    fn gd_on_the_reduced_model_is_eq_3() {
        let (alpha, beta, eta) = (0.7, 2.5, 0.1);
        let model = ReducedModel::new(alpha, beta, eta);
        let mut map = GdMap::new(&model, eta);
        let mut theta = model.from_xy(0.05, -0.2);
        let (mut x, mut y) = (0.05f64, -0.2f64);
        for step in 0..200 {
            assert!(map.try_step(&mut theta));
            (x, y) = (-(1.0 + eta * y) * x, y + eta * (alpha - beta * x * x / 2.0));
            let (gx, gy) = model.to_xy(&theta);
            assert!(
                (gx - x).abs() <= 1e-12 * (1.0 + x.abs()) && (gy - y).abs() <= 1e-12 * (1.0 + y.abs()),
                "step {step}: ({gx}, {gy}) vs ({x}, {y})"
            );
        }
    }

    #[test]
    fn toy_sharpness_follows_the_reduced_dynamics_while_the_loss_falls_along_w() {
        let (alpha, beta, eta) = (0.5, 1.5, 0.25);
        let toy = ToyModel::new(alpha, beta, eta);
        let mut map = GdMap::new(&toy, eta);
        let mut theta = vec![0.02, -0.1, 0.0];
        let (mut x, mut y) = (0.02f64, toy.sharpness_along_x(&theta) - 2.0 / eta);
        for _ in 0..100 {
            map.try_step(&mut theta);
            (x, y) = (-(1.0 + eta * y) * x, y + eta * (alpha - beta * x * x / 2.0));
            assert!((theta[0] - x).abs() < 1e-12 && (toy.sharpness_along_x(&theta) - 2.0 / eta - y).abs() < 1e-12);
        }
        assert!(theta[2] > 0.0, "w advanced");
    }

    #[test]
    fn the_period_two_orbit_is_fixed_by_two_steps() {
        let model = ReducedModel::new(0.8, 1.3, 0.5);
        let mut map = GdMap::new(&model, 0.5);
        let [a, b] = model.period_two_orbit();
        let mut t = a.clone();
        map.try_step(&mut t);
        assert!((t[0] - b[0]).abs() < 1e-15 && (t[1] - b[1]).abs() < 1e-15);
        map.try_step(&mut t);
        assert!((t[0] - a[0]).abs() < 1e-15 && (t[1] - a[1]).abs() < 1e-15);
    }
}
