//! Squared loss on a one-dimensional base model, L(x) = ½(g(h(x)) − y)², for g and h among sine,
//! tanh, monomials xⁿ, exp, sigmoid, softplus and the gaussian (Chen & Bruna, paper 002 §4.1,
//! Prop. 1: each admits period-2 orbits just beyond the edge of stability; Prop. 2: so do their
//! compositions g∘h). With h the identity it is the plain base model.
//!
//! Derivatives, F = g∘h: F′ = g′(h)h′, F″ = g″(h)h′² + g′(h)h″; L′ = (F − y)F′,
//! L″ = F′² + (F − y)F″. At a minimiser (F = y) the sharpness is F′(x*)².

use libm::{asin, atanh, cos, exp, expm1, log, log1p, pow, sin, tanh};

use super::params::{ParamSchema, Params};
use super::schema::{ObjectiveSchema, Registered};
use super::{AnyObjective, Objective};
use crate::error::{Result, SpecError};

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

    /// g‴(x) (for the 2-cycle condition of paper 002 Prop. 1, [`BaseModel::minimum_derivatives`]): sin: −cos x;
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
                if (std::f64::consts::PI - 2.0 * a).abs() < 1e-15 {
                    vec![a]
                } else {
                    vec![a, std::f64::consts::PI - a]
                }
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

/// The second, third and fourth derivatives of a one-parameter loss at a minimiser.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MinimumDerivatives {
    /// f″(x*).
    pub second: f64,
    /// f‴(x*).
    pub third: f64,
    /// f⁗(x*).
    pub fourth: f64,
}

impl BaseModel {
    /// The model g∘h fitted to the target y.
    pub fn new(outer: Base, inner: Base, target: f64) -> Self {
        Self { outer, inner, target }
    }

    /// f″, f‴ and f⁗ of the loss at the minimiser `x_star` (where g(h(x*)) = y): paper 002
    /// Prop. 1's f″ = F′², f‴ = 3F′F″, f⁗ = 3F″² + 4F′F‴, with Prop. 2's composition F = g∘h,
    /// whose third derivative is F‴ = g‴(h)h′³ + 3g″(h)h′h″ + g′(h)h‴. The orbit layer turns them
    /// into the period doubling there ([`crate::orbit::Flip`]): a 2-cycle exists just beyond
    /// η = 2/F′² exactly when F′ ≠ 0 and 6F″² > F′F‴.
    pub fn minimum_derivatives(&self, x_star: f64) -> MinimumDerivatives {
        let (_, f1, f2) = self.model(x_star);
        let (h, h1, h2) = self.inner.eval(x_star);
        let h3 = self.inner.third_derivative(x_star);
        let (_, g1, g2) = self.outer.eval(h);
        let f3 = self.outer.third_derivative(h) * h1 * h1 * h1 + 3.0 * g2 * h1 * h2 + g1 * h3;
        MinimumDerivatives { second: f1 * f1, third: 3.0 * f1 * f2, fourth: 3.0 * f2 * f2 + 4.0 * f1 * f3 }
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
        vec![
            Base::Identity,
            Base::Sin,
            Base::Tanh,
            Base::Power(3),
            Base::Power(4),
            Base::Exp,
            Base::Sigmoid,
            Base::Softplus,
            Base::Gaussian,
        ]
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
    fn minimum_derivatives_match_differences_of_the_exact_hessian() {
        // f‴ and f⁗ by central differences of the exact f″, for compositions with every kind of
        // inner and outer base.
        for (outer, inner, y) in [(Base::Sin, Base::Tanh, 0.4), (Base::Tanh, Base::Identity, 0.5), (Base::Exp, Base::Sin, 1.5)] {
            let f = BaseModel::new(outer, inner, y);
            let x = f.known_minimizers()[0][0];
            let f2 = |x: f64| f.hessian(&[x])[(0, 0)];
            let h = 1e-3;
            let d = f.minimum_derivatives(x);
            assert!((d.second - f2(x)).abs() < 1e-12 * (1.0 + f2(x).abs()), "{outer:?}∘{inner:?}: {d:?}");
            let third = (f2(x + h) - f2(x - h)) / (2.0 * h);
            let fourth = (f2(x + h) - 2.0 * f2(x) + f2(x - h)) / (h * h);
            assert!((d.third - third).abs() < 1e-5 * (1.0 + third.abs()), "{outer:?}∘{inner:?}: {d:?} vs f‴ {third}");
            assert!((d.fourth - fourth).abs() < 1e-4 * (1.0 + fourth.abs()), "{outer:?}∘{inner:?}: {d:?} vs f⁗ {fourth}");
        }
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
