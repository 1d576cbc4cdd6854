//! Objectives with exact derivatives, and the spec that names one.
//!
//! Every objective gives its value, gradient, Hessian-vector product and dense Hessian in closed
//! form; finite differences appear only in tests, as the thing the exact derivatives are checked
//! against.

pub mod base_model;
pub mod bilinear;
mod double_well;
mod formula;
pub mod matrix_factorization;
pub mod network;
pub mod params;
mod registry;
mod schema;
pub mod self_stabilization;
pub mod unstable_convergence;

pub use double_well::DoubleWell;
pub use params::{ParamKind, ParamSchema, ParamValue, Params};
pub use registry::{objectives, schemas};
pub use schema::{ObjectiveSchema, Registered};

use std::collections::BTreeMap;

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use crate::error::{Result, SpecError};

/// Largest dimension for which a dense Hessian is assembled (sharpness along a run, the dense
/// estimator); larger objectives go through Hessian-vector products only.
pub const DENSE_HESSIAN_MAX_DIM: usize = 2_000;

/// A twice-differentiable objective f: ℝⁿ → ℝ with exact derivatives.
pub trait Objective {
    /// Number of parameters n.
    fn dim(&self) -> usize;
    /// f(x).
    fn value(&self, x: &[f64]) -> f64;
    /// ∇f(x), written into `grad` (length n).
    fn gradient(&self, x: &[f64], grad: &mut [f64]);
    /// f(x), with ∇f(x) written into `grad`: one evaluation where the objective computes both
    /// at once (used by runs that follow the loss step by step).
    fn value_and_gradient(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        self.gradient(x, grad);
        self.value(x)
    }
    /// ∇²f(x)·v, written into `out` (length n).
    fn hessian_vector(&self, x: &[f64], v: &[f64], out: &mut [f64]);
    /// The global minimum value, where it is known in closed form; the loss reported along a run
    /// is f − min f.
    fn min_value(&self) -> Option<f64>;
    /// The start used when a spec gives none (for networks: the seeded initialisation).
    fn default_start(&self) -> Vec<f64>;
    /// Minimisers known in closed form (a sample of them where there is a manifold), for tests and
    /// for marking on plots.
    fn known_minimizers(&self) -> Vec<Vec<f64>> {
        Vec::new()
    }
    /// Directions a paper studies at θ, by name (paper 003's v₊ and v₋), whose Rayleigh quotients
    /// are reported along a run ([`crate::spectrum::curvature::rayleigh_quotient`]).
    fn named_directions(&self, _theta: &[f64]) -> Vec<(&'static str, Vec<f64>)> {
        Vec::new()
    }
    /// Scalar quantities a paper follows at θ, by name (paper 000 §5's product xᵀy and balance
    /// ‖x‖² − ‖y‖²), which scans can sample ([`crate::scans::observable::Observable::Named`]) and
    /// trajectories record. The names must not depend on θ.
    fn named_observables(&self, _theta: &[f64]) -> Vec<(&'static str, f64)> {
        Vec::new()
    }
    /// Whether x lies in the objective's domain, where f is finite. The registered closed forms
    /// are finite everywhere; a typed-in formula is not where it is NaN or ±∞ (log of a negative
    /// number, 0/0, an overflowing constant), though its derivatives may be finite there. A run
    /// that steps outside the domain has diverged ([`crate::gd::GdMap`]), and a start outside it
    /// is refused ([`check_defined_at`]), so no NaN or ∞ of f reaches a result.
    fn defined_at(&self, _x: &[f64]) -> bool {
        true
    }

    /// The dense Hessian ∇²f(x), assembled from Hessian-vector products with the unit vectors.
    fn hessian(&self, x: &[f64]) -> DMatrix<f64> {
        let n = self.dim();
        let mut h = DMatrix::zeros(n, n);
        let mut e = vec![0.0; n];
        let mut col = vec![0.0; n];
        for j in 0..n {
            e[j] = 1.0;
            self.hessian_vector(x, &e, &mut col);
            h.column_mut(j).copy_from_slice(&col);
            e[j] = 0.0;
        }
        h
    }
}

/// An objective named in a spec with its parameters, flattened:
/// `{"name": "double_well", "mu": 1.0}`. Parameters are checked against the objective's schema
/// ([`objectives`]); missing ones take their defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveSpec {
    /// The objective's name, as listed by [`objectives`].
    pub name: String,
    /// Its parameters by name.
    #[serde(flatten)]
    pub params: BTreeMap<String, ParamValue>,
}

impl Default for ObjectiveSpec {
    fn default() -> Self {
        Self { name: "double_well".into(), params: BTreeMap::new() }
    }
}

impl ObjectiveSpec {
    /// An objective with explicit parameters (the rest take defaults).
    pub fn new(name: &str, params: &[(&str, ParamValue)]) -> Self {
        Self { name: name.into(), params: params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect() }
    }

    /// The schema of the named objective (its parameters with their ranges).
    pub fn schema(&self) -> Result<&'static ObjectiveSchema> {
        self.registered().map(|r| &r.schema)
    }

    /// The same objective with the real parameter `name` set to `value` (for scans over a
    /// parameter; [`ObjectiveSpec::build`] then validates it).
    pub fn with_param(&self, name: &str, value: f64) -> ObjectiveSpec {
        let mut spec = self.clone();
        spec.params.insert(name.to_string(), ParamValue::Number(value));
        spec
    }

    fn registered(&self) -> Result<&'static Registered> {
        objectives().iter().find(|r| r.schema.name == self.name).ok_or_else(|| {
            let known: Vec<&str> = objectives().iter().map(|r| r.schema.name).collect();
            SpecError::new("objective.name", format!("unknown objective `{}`; known: {known:?}", self.name))
        })
    }

    /// The same objective with every parameter spelled out (defaults filled in), so that a result
    /// records exactly what ran.
    pub fn resolved(&self) -> Result<ObjectiveSpec> {
        let params = Params::validate(self.registered()?.schema.params, &self.params)?;
        Ok(Self { name: self.name.clone(), params: params.values().clone() })
    }

    /// Validates the parameters (errors name `objective.<param>`) and builds the objective.
    pub fn build(&self) -> Result<AnyObjective> {
        let entry = self.registered()?;
        (entry.build)(&Params::validate(entry.schema.params, &self.params)?)
    }
}

/// Every objective. The double well and the test functions f₁…f₄, whose scans (bifurcation
/// diagrams, basin maps) are hot loops of cheap steps, are dispatched statically (a `dyn` call per
/// step made the double well's scan 2× slower); the others go through a trait object, whose cost
/// is small beside their own work.
pub enum AnyObjective {
    /// See [`DoubleWell`].
    DoubleWell(DoubleWell),
    /// See [`unstable_convergence::TestFunction`].
    UnstableConvergence(unstable_convergence::TestFunction),
    /// Any other objective.
    Other(Box<dyn Objective + Send + Sync>),
}

macro_rules! dispatch {
    ($self:ident, $f:ident => $e:expr) => {
        match $self {
            AnyObjective::DoubleWell($f) => $e,
            AnyObjective::UnstableConvergence($f) => $e,
            AnyObjective::Other($f) => $e,
        }
    };
}

impl Objective for AnyObjective {
    #[inline]
    fn dim(&self) -> usize {
        dispatch!(self, f => f.dim())
    }
    #[inline]
    fn value(&self, x: &[f64]) -> f64 {
        dispatch!(self, f => f.value(x))
    }
    #[inline]
    fn gradient(&self, x: &[f64], grad: &mut [f64]) {
        dispatch!(self, f => f.gradient(x, grad))
    }
    #[inline]
    fn value_and_gradient(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        dispatch!(self, f => f.value_and_gradient(x, grad))
    }
    #[inline]
    fn hessian_vector(&self, x: &[f64], v: &[f64], out: &mut [f64]) {
        dispatch!(self, f => f.hessian_vector(x, v, out))
    }
    fn min_value(&self) -> Option<f64> {
        dispatch!(self, f => f.min_value())
    }
    fn default_start(&self) -> Vec<f64> {
        dispatch!(self, f => f.default_start())
    }
    fn known_minimizers(&self) -> Vec<Vec<f64>> {
        dispatch!(self, f => f.known_minimizers())
    }
    fn named_directions(&self, theta: &[f64]) -> Vec<(&'static str, Vec<f64>)> {
        dispatch!(self, f => f.named_directions(theta))
    }
    fn named_observables(&self, theta: &[f64]) -> Vec<(&'static str, f64)> {
        dispatch!(self, f => f.named_observables(theta))
    }
    #[inline]
    fn defined_at(&self, x: &[f64]) -> bool {
        dispatch!(self, f => f.defined_at(x))
    }
    fn hessian(&self, x: &[f64]) -> DMatrix<f64> {
        dispatch!(self, f => f.hessian(x))
    }
}

/// Refuses a start (`field`: `x0`, `start`, `starts[1]`, `x`) outside the objective's domain
/// ([`Objective::defined_at`]).
pub fn check_defined_at(objective: &dyn Objective, field: &str, x: &[f64]) -> Result<()> {
    if objective.defined_at(x) {
        return Ok(());
    }
    let value = objective.value(x);
    Err(SpecError::new(field, format!("lies outside the objective's domain: f = {value} there; start where f is finite")))
}

#[cfg(test)]
pub(crate) mod check {
    //! Central finite differences: the reference exact derivatives are tested against.
    use super::Objective;
    use crate::spectrum::{dense_top_k, HessianOperator};

    /// The sharpness of `f` at `x` from the dense estimator.
    pub fn sharpness(f: &dyn Objective, x: &[f64]) -> f64 {
        dense_top_k(&HessianOperator::new(f, x).unwrap(), 1).unwrap().eigenvalues[0]
    }

    /// Largest relative discrepancy between the exact gradient and HVP of `f` at `x` and central
    /// differences with step `h`.
    pub fn derivative_errors(f: &dyn Objective, x: &[f64], v: &[f64], h: f64) -> (f64, f64) {
        let n = f.dim();
        let mut g = vec![0.0; n];
        f.gradient(x, &mut g);
        let mut grad_err: f64 = 0.0;
        for i in 0..n {
            let (mut xp, mut xm) = (x.to_vec(), x.to_vec());
            xp[i] += h;
            xm[i] -= h;
            let fd = (f.value(&xp) - f.value(&xm)) / (2.0 * h);
            grad_err = grad_err.max((fd - g[i]).abs() / (1.0 + g[i].abs()));
        }
        let mut hv = vec![0.0; n];
        f.hessian_vector(x, v, &mut hv);
        let xp: Vec<f64> = x.iter().zip(v).map(|(a, b)| a + h * b).collect();
        let xm: Vec<f64> = x.iter().zip(v).map(|(a, b)| a - h * b).collect();
        let (mut gp, mut gm) = (vec![0.0; n], vec![0.0; n]);
        f.gradient(&xp, &mut gp);
        f.gradient(&xm, &mut gm);
        let mut hvp_err: f64 = 0.0;
        for i in 0..n {
            let fd = (gp[i] - gm[i]) / (2.0 * h);
            hvp_err = hvp_err.max((fd - hv[i]).abs() / (1.0 + hv[i].abs()));
        }
        (grad_err, hvp_err)
    }
}
