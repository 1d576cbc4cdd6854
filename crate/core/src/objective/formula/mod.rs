//! Formula objectives: a person types f(x, y, …) as text and gets GD on it with exact
//! derivatives.
//!
//! # Parameters
//! * `formula`: f, e.g. `(1 - x*y)^2 + (x^2 + y^2)/20` (the default: f₄ of Chen, Peng, Li & Zhao,
//!   *On the Unstable Convergence Regime of Gradient Descent*, paper 004 eq. 46). Grammar
//!   ([`parser`]): numbers (`2`, `0.5`, `1e-3`), names, `+ - * / ^` (`−` also reads as `-`) with
//!   the usual precedence (`^` right-associative and binding tighter than unary minus, so
//!   `-x^2` = −(x²) and `2^3^2` = 512), parentheses, and the functions `sin cos tan tanh exp log sqrt abs` (`log` is
//!   the natural logarithm). Multiplication is always written with `*`.
//! * `variables`: the coordinates, comma-separated, in order (default `x, y`).
//! * `params`: named constants, `mu = 1, a = 0.5` (default none); a value may be a constant
//!   expression in the parameters before it ([`names`]).
//!
//! # Limits
//! Enforced with a message naming the field and, where it applies, the column (1-based, in
//! characters): the formula has at most [`MAX_LEN`] = 500 characters, hence at most 500 nodes
//! (every node consumes a character of its own); nesting (parentheses, calls, unary minus,
//! exponents) is at most [`MAX_DEPTH`](parser::MAX_DEPTH) = 64 deep; at most [`MAX_VARIABLES`](names::MAX_VARIABLES) = 16 variables and
//! [`MAX_PARAMETERS`](names::MAX_PARAMETERS) = 16 parameters. Nothing is evaluated but the formula itself: it is parsed
//! into nodes and compiled into a straight-line program ([`tape`]); the parser recurses at most
//! 64 levels and nothing after it recurses at all.
//!
//! # Derivatives
//! Exact, by forward-mode automatic differentiation: the program runs generically over dual
//! numbers ([`scalar`]). The gradient takes n runs over [`Dual`] (x_i seeded with ε); the
//! Hessian-vector product n runs over [`HyperDual`] (x seeded with ε₁ along e_i and ε₂ along v,
//! giving (∇²f v)_i); the dense Hessian n(n + 1)/2 runs (ε₁ along e_i, ε₂ along e_j).
//!
//! # Domain errors
//! Outside a function's domain (log or sqrt of a negative number, division by zero, a
//! non-constant exponent of a non-positive base) values and derivatives are NaN or ±∞, as in
//! `f64` arithmetic; the GD runner reports a run reaching such a point as diverged.
//!
//! The minimum value is unknown (`None`); the default start is 0.5 in every coordinate.

mod function;
mod lexer;
mod names;
mod parser;
mod scalar;
mod tape;

use nalgebra::DMatrix;

use self::parser::{parse, Scope, MAX_LEN};
use self::scalar::{Dual, HyperDual};
use self::tape::Tape;
use super::params::{ParamSchema, Params};
use super::schema::{ObjectiveSchema, Registered};
use super::{AnyObjective, Objective};
use crate::error::Result;

/// f₄ of paper 004 (eq. 46): two minima ±(√19/(2√5))(1, 1) of sharpness 19/5.
const DEFAULT_FORMULA: &str = "(1 - x*y)^2 + (x^2 + y^2)/20";

pub(super) const REGISTERED: Registered = Registered {
    schema: ObjectiveSchema {
        name: "formula",
        group: "your own",
        title: "Formula f(x, y, …)",
        description: "Type f in terms of its variables and named parameters: numbers, + − * / ^, \
                      parentheses, sin cos tan tanh exp log sqrt abs; multiplication is written \
                      with *. Derivatives are exact (forward-mode automatic differentiation). The \
                      default is f₄ = (1 − xy)² + (x² + y²)/20, whose minima ±(√0.95, √0.95) have \
                      sharpness 19/5: GD is stable there for η < 10/19.",
        citation: "Default f₄: Chen, Peng, Li & Zhao, On the Unstable Convergence Regime of Gradient Descent, eq. (46)",
        params: &[
            ParamSchema::text(
                "formula",
                DEFAULT_FORMULA,
                MAX_LEN,
                "f in terms of the variables and parameters, e.g. (x^2 - mu)^2/4 (at most 500 characters)",
            ),
            ParamSchema::text("variables", "x, y", 200, "the variables, comma-separated, in coordinate order (at most 16)"),
            ParamSchema::text("params", "", MAX_LEN, "named constants, e.g. mu = 1, a = 0.5 (at most 16; empty for none)"),
        ],
    },
    build: |p: &Params| {
        let f = Formula::new(p.text("formula")?, p.text("variables")?, p.text("params")?)?;
        Ok(AnyObjective::Other(Box::new(f)))
    },
};

/// A typed-in objective f: ℝⁿ → ℝ, compiled for evaluation with exact derivatives.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    tape: Tape,
    dim: usize,
}

impl Formula {
    /// Parses `formula` in the variables declared by `variables` and the parameters declared by
    /// `params`; errors name `objective.formula`, `objective.variables` or `objective.params`.
    pub fn new(formula: &str, variables: &str, params: &str) -> Result<Self> {
        let variables = names::variables(variables)?;
        let parameters = names::parameters(params, &variables)?;
        let scope = Scope { variables: &variables, parameters: &parameters.names };
        let expr = parse(formula, scope, "objective.formula", 0)?;
        Ok(Self { tape: Tape::compile(&expr, &parameters.values), dim: variables.len() })
    }

    /// x as hyper-duals with ε₂ parts `v` and no ε₁ part.
    fn hyper_duals(x: &[f64], v: impl Fn(usize) -> f64) -> Vec<HyperDual> {
        x.iter().enumerate().map(|(j, &re)| HyperDual { re, e1: 0.0, e2: v(j), e12: 0.0 }).collect()
    }
}

impl Objective for Formula {
    fn dim(&self) -> usize {
        self.dim
    }

    fn value(&self, x: &[f64]) -> f64 {
        self.tape.eval(x, &mut Vec::new())
    }

    /// ∂f/∂x_i from one run over duals with x_i seeded with ε.
    fn gradient(&self, x: &[f64], grad: &mut [f64]) {
        let mut seeds: Vec<Dual> = x.iter().map(|&re| Dual { re, eps: 0.0 }).collect();
        let mut slots = Vec::new();
        for (i, g) in grad.iter_mut().enumerate().take(self.dim) {
            seeds[i].eps = 1.0;
            *g = self.tape.eval(&seeds, &mut slots).eps;
            seeds[i].eps = 0.0;
        }
    }

    /// (∇²f v)_i = e_iᵀ∇²f v from one run over hyper-duals with ε₁ along e_i and ε₂ along v.
    fn hessian_vector(&self, x: &[f64], v: &[f64], out: &mut [f64]) {
        let mut seeds = Self::hyper_duals(x, |j| v[j]);
        let mut slots = Vec::new();
        for (i, o) in out.iter_mut().enumerate().take(self.dim) {
            seeds[i].e1 = 1.0;
            *o = self.tape.eval(&seeds, &mut slots).e12;
            seeds[i].e1 = 0.0;
        }
    }

    fn min_value(&self) -> Option<f64> {
        None
    }

    /// 0.5 in every coordinate.
    fn default_start(&self) -> Vec<f64> {
        vec![0.5; self.dim]
    }

    /// ∂²f/∂x_i∂x_j for i ≤ j, each from one run over hyper-duals with ε₁ along e_i and ε₂ along
    /// e_j; exactly symmetric.
    fn hessian(&self, x: &[f64]) -> DMatrix<f64> {
        let n = self.dim;
        let mut h = DMatrix::zeros(n, n);
        let mut seeds = Self::hyper_duals(x, |_| 0.0);
        let mut slots = Vec::new();
        for i in 0..n {
            seeds[i].e1 = 1.0;
            for j in i..n {
                seeds[j].e2 = 1.0;
                let hij = self.tape.eval(&seeds, &mut slots).e12;
                h[(i, j)] = hij;
                h[(j, i)] = hij;
                seeds[j].e2 = 0.0;
            }
            seeds[i].e1 = 0.0;
        }
        h
    }
}

#[cfg(test)]
mod tests;
