//! Squared loss on a one-dimensional base model, L(x) = ½(g(h(x)) − y)², for g and h among sine,
//! tanh, monomials xⁿ, exp, sigmoid, softplus and the gaussian (Chen & Bruna, paper 002 §4.1,
//! Prop. 1: each admits period-2 orbits just beyond the edge of stability; Prop. 2: so do their
//! compositions g∘h). With h the identity it is the plain base model.
//!
//! Derivatives, F = g∘h: F′ = g′(h)h′, F″ = g″(h)h′² + g′(h)h″; L′ = (F − y)F′,
//! L″ = F′² + (F − y)F″. At a minimiser (F = y) the sharpness is F′(x*)².

use libm::{asin, atanh, cos, exp, expm1, log, log1p, pow, sin, tanh};

use super::params::{ParamSchema, Params};
use super::registry::{ObjectiveSchema, Registered};
use super::{AnyObjective, Objective};
use crate::error::{Result, SpecError};
use crate::orbit::Flip;

const BASES: &[&str] = &["identity", "sin", "tanh", "power", "exp", "sigmoid", "softplus", "gaussian"];

/// A scalar base function.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Base {
    /// x.
    Identity,
    /// sin x.
    Sin,
    /// tanh x.
    Tanh,
    /// xⁿ.
    Power(i32),
    /// eˣ.
    Exp,
    /// 1/(1 + e⁻ˣ).
    Sigmoid,
    /// log(1 + eˣ).
    Softplus,
    /// e^{−x²/2}.
    Gaussian,
}

fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + exp(-x))
    } else {
        let e = exp(x);
        e / (1.0 + e)
    }
}

impl Base {
    fn parse(name: &str, n: i32, field: &str) -> Result<Self> {
        Ok(match name {
            "identity" => Base::Identity,
            "sin" => Base::Sin,
            "tanh" => Base::Tanh,
            "power" => Base::Power(n),
            "exp" => Base::Exp,
            "sigmoid" => Base::Sigmoid,
            "softplus" => Base::Softplus,
            "gaussian" => Base::Gaussian,
            other => return Err(SpecError::new(field, format!("unknown base {other:?}; one of {BASES:?}"))),
        })
    }

    /// (g(x), g′(x), g″(x)).
    pub fn eval(self, x: f64) -> (f64, f64, f64) {
        match self {
            Base::Identity => (x, 1.0, 0.0),
            Base::Sin => (sin(x), cos(x), -sin(x)),
            Base::Tanh => {
                let t = tanh(x);
                let d = 1.0 - t * t;
                (t, d, -2.0 * t * d)
            }
            Base::Power(n) => {
                let nf = n as f64;
                (x.powi(n), nf * x.powi(n - 1), nf * (nf - 1.0) * x.powi(n - 2))
            }
            Base::Exp => {
                let e = exp(x);
                (e, e, e)
            }
            Base::Sigmoid => {
                let s = sigmoid(x);
                let d = s * (1.0 - s);
                (s, d, d * (1.0 - 2.0 * s))
            }
            Base::Softplus => {
                let s = sigmoid(x);
                (x.max(0.0) + log1p(exp(-x.abs())), s, s * (1.0 - s))
            }
            Base::Gaussian => {
                let e = exp(-x * x / 2.0);
                (e, -x * e, (x * x - 1.0) * e)
            }
        }
    }

    /// g‴(x) (for the 2-cycle condition of paper 002 Prop. 1, [`BaseModel::flip`]): sin: −cos x;
    /// tanh: (1 − t²)(6t² − 2) with t = tanh x; xⁿ: n(n − 1)(n − 2)xⁿ⁻³; exp: eˣ; sigmoid:
    /// s(1 − s)(1 − 6s + 6s²); softplus: the sigmoid's s(1 − s)(1 − 2s); gaussian: (3x − x³)e^{−x²/2}.
    pub fn third_derivative(self, x: f64) -> f64 {
        match self {
            Base::Identity => 0.0,
            Base::Sin => -cos(x),
            Base::Tanh => {
                let t = tanh(x);
                (1.0 - t * t) * (6.0 * t * t - 2.0)
            }
            Base::Power(n) => {
                let nf = n as f64;
                nf * (nf - 1.0) * (nf - 2.0) * x.powi(n - 3)
            }
            Base::Exp => exp(x),
            Base::Sigmoid => {
                let s = sigmoid(x);
                s * (1.0 - s) * (1.0 - 6.0 * s + 6.0 * s * s)
            }
            Base::Softplus => {
                let s = sigmoid(x);
                s * (1.0 - s) * (1.0 - 2.0 * s)
            }
            Base::Gaussian => (3.0 * x - x * x * x) * exp(-x * x / 2.0),
        }
    }

    /// Every x with g(x) = y on the principal branches (sine: asin y and π − asin y).
    pub fn preimages(self, y: f64) -> Vec<f64> {
        match self {
            Base::Identity => vec![y],
            Base::Sin if y.abs() <= 1.0 => {
                let a = asin(y);
                if (std::f64::consts::PI - 2.0 * a).abs() < 1e-15 { vec![a] } else { vec![a, std::f64::consts::PI - a] }
            }
            Base::Tanh if y.abs() < 1.0 => vec![atanh(y)],
            Base::Power(n) if n % 2 == 1 => vec![y.signum() * pow(y.abs(), 1.0 / n as f64)],
            Base::Power(n) if y > 0.0 => {
                let r = pow(y, 1.0 / n as f64);
                vec![r, -r]
            }
            Base::Power(_) if y == 0.0 => vec![0.0],
            Base::Exp if y > 0.0 => vec![log(y)],
            Base::Sigmoid if y > 0.0 && y < 1.0 => vec![log(y / (1.0 - y))],
            Base::Softplus if y > 0.0 => vec![log(expm1(y))],
            Base::Gaussian if y > 0.0 && y < 1.0 => {
                let r = (-2.0 * log(y)).sqrt();
                vec![r, -r]
            }
            Base::Gaussian if y == 1.0 => vec![0.0],
            _ => Vec::new(),
        }
    }
}

/// L(x) = ½(g(h(x)) − y)².
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BaseModel {
    outer: Base,
    inner: Base,
    target: f64,
}

impl BaseModel {
    /// The model g∘h fitted to the target y.
    pub fn new(outer: Base, inner: Base, target: f64) -> Self {
        Self { outer, inner, target }
    }

    /// The period doubling at the minimiser `x_star` (g(h(x*)) = y): paper 002 Prop. 1 with
    /// Prop. 2's composition F = g∘h, whose third derivative is F‴ = g‴(h)h′³ + 3g″(h)h′h″ + g′(h)h‴.
    /// With f″ = F′², f‴ = 3F′F″, f⁗ = 3F″² + 4F′F‴ at x* ([`crate::orbit::Flip`]), a 2-cycle
    /// exists just beyond η = 2/F′² exactly when F′ ≠ 0 and 6F″² > F′F‴. `None` where F′ = 0.
    pub fn flip(&self, x_star: f64) -> Option<Flip> {
        let (_, f1, f2) = self.model(x_star);
        let (h, h1, h2) = self.inner.eval(x_star);
        let h3 = self.inner.third_derivative(x_star);
        let (_, g1, g2) = self.outer.eval(h);
        let f3 = self.outer.third_derivative(h) * h1 * h1 * h1 + 3.0 * g2 * h1 * h2 + g1 * h3;
        Flip::new(x_star, f1 * f1, 3.0 * f1 * f2, 3.0 * f2 * f2 + 4.0 * f1 * f3)
    }

    /// (F − y, F′, F″) at x.
    fn model(&self, x: f64) -> (f64, f64, f64) {
        let (h, h1, h2) = self.inner.eval(x);
        let (g, g1, g2) = self.outer.eval(h);
        (g - self.target, g1 * h1, g2 * h1 * h1 + g1 * h2)
    }
}

impl Objective for BaseModel {
    fn dim(&self) -> usize {
        1
    }
    fn value(&self, x: &[f64]) -> f64 {
        let r = self.model(x[0]).0;
        r * r / 2.0
    }
    fn gradient(&self, x: &[f64], grad: &mut [f64]) {
        let (r, f1, _) = self.model(x[0]);
        grad[0] = r * f1;
    }
    fn hessian_vector(&self, x: &[f64], v: &[f64], out: &mut [f64]) {
        let (r, f1, f2) = self.model(x[0]);
        out[0] = (f1 * f1 + r * f2) * v[0];
    }
    /// 0 when the target lies in the range of g∘h (on the branches [`Base::preimages`] knows).
    fn min_value(&self) -> Option<f64> {
        (!self.known_minimizers().is_empty()).then_some(0.0)
    }
    /// 0.3 to the right of the first minimiser, or 0.5 when none is known.
    fn default_start(&self) -> Vec<f64> {
        vec![self.known_minimizers().first().map_or(0.5, |m| m[0] + 0.3)]
    }
    fn known_minimizers(&self) -> Vec<Vec<f64>> {
        let mut xs: Vec<f64> = self.outer.preimages(self.target).into_iter().flat_map(|r| self.inner.preimages(r)).collect();
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        xs.into_iter().map(|x| vec![x]).collect()
    }
}

pub(super) const REGISTERED: Registered = Registered {
    schema: ObjectiveSchema {
        name: "base_model",
        group: "scalar",
        title: "Squared loss on a 1-D base model ½(g(h(x)) − y)²",
        description: "Non-linear least squares in one variable: g and h among sin, tanh, xⁿ, exp, sigmoid, softplus and \
                      the gaussian (h = identity: the plain base model). At a minimiser the sharpness is (g∘h)′(x*)²; \
                      just beyond 2/η GD settles on a period-2 orbit around it.",
        citation: "Chen & Bruna, Beyond the Edge of Stability via Two-step Gradient Updates (002) §4.1, Props. 1–2",
        params: &[
            ParamSchema::choice("g", "tanh", BASES, "outer base function g"),
            ParamSchema::choice("h", "identity", BASES, "inner base function h (identity: no composition)"),
            ParamSchema::integer("n", 3, 2, 9, "degree n of the monomial xⁿ (when g or h is power)"),
            ParamSchema::real("y", 0.5, -100.0, 100.0, "target y"),
        ],
    },
    build: |p: &Params| {
        let n = p.integer("n")? as i32;
        let outer = Base::parse(p.text("g")?, n, "objective.g")?;
        let inner = Base::parse(p.text("h")?, n, "objective.h")?;
        Ok(AnyObjective::Other(Box::new(BaseModel::new(outer, inner, p.real("y")?))))
    },
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::check::derivative_errors;

    fn all_bases() -> Vec<Base> {
        vec![Base::Identity, Base::Sin, Base::Tanh, Base::Power(3), Base::Power(4), Base::Exp, Base::Sigmoid, Base::Softplus, Base::Gaussian]
    }

    #[test]
    fn base_derivatives_match_finite_differences() {
        for b in all_bases() {
            for x in [-1.7, -0.3, 0.4, 1.2] {
                let (_, d1, d2) = b.eval(x);
                let h = 1e-6;
                let fd1 = (b.eval(x + h).0 - b.eval(x - h).0) / (2.0 * h);
                let fd2 = (b.eval(x + h).1 - b.eval(x - h).1) / (2.0 * h);
                assert!((fd1 - d1).abs() < 1e-7 * (1.0 + d1.abs()), "{b:?} at {x}");
                assert!((fd2 - d2).abs() < 1e-7 * (1.0 + d2.abs()), "{b:?} at {x}");
            }
        }
    }

    #[test]
    fn third_derivatives_match_differences_of_the_second() {
        for b in all_bases() {
            for x in [-1.7, -0.3, 0.4, 1.2] {
                let h = 1e-6;
                let fd3 = (b.eval(x + h).2 - b.eval(x - h).2) / (2.0 * h);
                let d3 = b.third_derivative(x);
                assert!((fd3 - d3).abs() < 1e-7 * (1.0 + d3.abs()), "{b:?} at {x}: {d3} vs {fd3}");
            }
        }
    }

    #[test]
    fn the_flip_coefficient_is_prop_1s_for_tanh_and_sin_and_vanishes_for_the_identity() {
        // tanh at x* = atanh y: F′ = 1 − y², F″ = −2y(1 − y²), F‴ = (1 − y²)(6y² − 2), so
        // 6F″² − F′F‴ = (1 − y²)²(18y² + 2) and κ = 4(18y² + 2)/3, for every y in (−1, 1).
        for y in [-0.5, 0.0, 0.5, 0.9] {
            let f = BaseModel::new(Base::Tanh, Base::Identity, y);
            let flip = f.flip(f.known_minimizers()[0][0]).unwrap();
            assert!((flip.coefficient - 4.0 * (18.0 * y * y + 2.0) / 3.0).abs() < 1e-12, "y {y}: {flip:?}");
            assert!((flip.eta() - 2.0 / (1.0 - y * y).powi(2)).abs() < 1e-12);
        }
        // sin: F′ = cos x*, F″ = −y, F‴ = −cos x*: 6y² + cos² x* = 1 + 5y², κ = 4(1 + 5y²)/(3 cos² x*).
        let f = BaseModel::new(Base::Sin, Base::Identity, 0.5);
        for m in f.known_minimizers() {
            let c2 = cos(m[0]).powi(2);
            assert!((f.flip(m[0]).unwrap().coefficient - 4.0 * (1.0 + 5.0 * 0.25) / (3.0 * c2)).abs() < 1e-12);
        }
        // A quadratic loss (identity model) has κ = 0: no 2-cycle, GD diverges past 2/η.
        assert_eq!(BaseModel::new(Base::Identity, Base::Identity, 0.5).flip(0.5).unwrap().coefficient, 0.0);
        // The composition rule against a second-difference of f″ (f⁗ by differences of f‴).
        let f = BaseModel::new(Base::Sin, Base::Tanh, 0.4);
        let x = f.known_minimizers()[0][0];
        let f2 = |x: f64| f.hessian(&[x])[(0, 0)];
        let h = 1e-3;
        let f3 = (f2(x + h) - f2(x - h)) / (2.0 * h);
        let f4 = (f2(x + h) - 2.0 * f2(x) + f2(x - h)) / (h * h);
        let expected = (3.0 * f3 * f3 - f2(x) * f4) / (3.0 * f2(x) * f2(x));
        let got = f.flip(x).unwrap().coefficient;
        assert!((got - expected).abs() < 1e-5 * expected.abs(), "{got} vs {expected}");
    }

    #[test]
    fn preimages_are_preimages() {
        for b in all_bases() {
            for y in [-0.5, 0.25, 0.5, 0.9, 2.0] {
                for x in b.preimages(y) {
                    assert!((b.eval(x).0 - y).abs() < 1e-13, "{b:?}: g({x}) ≠ {y}");
                }
            }
        }
    }

    #[test]
    fn compositions_have_exact_derivatives_and_sharpness_f_prime_squared_at_minimisers() {
        for g in all_bases() {
            for h in [Base::Identity, Base::Tanh, Base::Sin, Base::Power(3)] {
                let f = BaseModel::new(g, h, 0.5);
                for x in [-0.8, 0.3, 1.1] {
                    let (ge, he) = derivative_errors(&f, &[x], &[1.0], 1e-6);
                    assert!(ge < 1e-7 && he < 1e-7, "{g:?}∘{h:?} at {x}: {ge} {he}");
                }
                for m in f.known_minimizers() {
                    assert!(f.value(&m) < 1e-28, "{g:?}∘{h:?}: L({m:?}) = {}", f.value(&m));
                    let f1 = f.model(m[0]).1;
                    assert!((f.hessian(&m)[(0, 0)] - f1 * f1).abs() < 1e-12 * (1.0 + f1 * f1));
                }
            }
        }
        assert!(!BaseModel::new(Base::Tanh, Base::Identity, 0.5).known_minimizers().is_empty());
        assert_eq!(BaseModel::new(Base::Tanh, Base::Identity, 2.0).min_value(), None, "tanh never reaches 2");
    }
}
