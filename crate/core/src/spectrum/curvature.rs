//! Curvature quantities at a point beyond the top eigenvalues:
//! * Rayleigh quotients vᵀ∇²L v/‖v‖² along given directions: paper 003's λ₊ and λ₋ along v₊ and
//!   v₋ (Thm 3.1), from [`Objective::named_directions`];
//! * the cosine between the gradient and the top eigenvector (paper 002 App. B.3.2);
//! * the self-stabilization quantities of paper 001 §4–5: the gradient of the sharpness
//!   ∇S = ∇³L[u, u] (u the unit top eigenvector), α = −∇L·∇S (progressive sharpening),
//!   β = ‖∇S‖² (stabilization strength) and δ = √(2α/β), the amplitude of the oscillation along u
//!   that holds the sharpness at 2/η.
//!
//! ∇³L[u, u] = d/dt ∇²L(θ + tu)·u at t = 0, the derivative of an exact Hessian-vector product
//! along u; we take it by a central difference of two exact HVPs with step h = 10⁻⁴·(1 + ‖θ‖).
//! The error is O(h²·‖∇⁵L‖): zero up to rounding for objectives cubic in θ (the reduced
//! self-stabilization model, the two-factor problem in the x–y plane of a fixed product) and
//! measured in the tests against the exact value where one is known.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::limits::MAX_START;
use crate::objective::{Objective, ObjectiveSpec};
use crate::spectrum::{estimate, HessianOperator, Method, SpectrumOptions};
use crate::validate;

/// Step of the central difference of HVPs, relative to 1 + ‖θ‖.
pub const THIRD_DERIVATIVE_STEP: f64 = 1e-4;

/// vᵀ∇²L(θ)v / ‖v‖².
pub fn rayleigh_quotient(objective: &dyn Objective, theta: &[f64], v: &[f64]) -> f64 {
    let mut hv = vec![0.0; v.len()];
    objective.hessian_vector(theta, v, &mut hv);
    dot(v, &hv) / dot(v, v)
}

/// cos∠(∇L(θ), u): how much of the gradient lies along the top eigenvector. `None` at a
/// stationary point.
pub fn gradient_cosine(objective: &dyn Objective, theta: &[f64], u: &[f64]) -> Option<f64> {
    let mut g = vec![0.0; theta.len()];
    objective.gradient(theta, &mut g);
    let denominator = (dot(&g, &g) * dot(u, u)).sqrt();
    (denominator > 0.0).then(|| dot(&g, u) / denominator)
}

/// ∇S(θ) = ∇³L(θ)[u, u] for the unit top eigenvector u (module docs for the method).
pub fn gradient_of_sharpness(objective: &dyn Objective, theta: &[f64], u: &[f64]) -> Vec<f64> {
    let h = THIRD_DERIVATIVE_STEP * (1.0 + dot(theta, theta).sqrt());
    let shifted = |sign: f64| -> Vec<f64> {
        let point: Vec<f64> = theta.iter().zip(u).map(|(t, ui)| t + sign * h * ui).collect();
        let mut hu = vec![0.0; u.len()];
        objective.hessian_vector(&point, u, &mut hu);
        hu
    };
    let (plus, minus) = (shifted(1.0), shifted(-1.0));
    plus.iter().zip(&minus).map(|(p, m)| (p - m) / (2.0 * h)).collect()
}

/// The self-stabilization quantities of paper 001 at θ with unit top eigenvector u.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelfStabilization {
    /// ‖∇S‖.
    pub grad_sharpness_norm: f64,
    /// α = −∇L·∇S: the rate at which gradient flow raises the sharpness.
    pub alpha: f64,
    /// β = ‖∇S‖².
    pub beta: f64,
    /// δ = √(2α/β), when α > 0 and β > 0.
    pub delta: Option<f64>,
}

/// α, β and δ at θ (module docs).
pub fn self_stabilization(objective: &dyn Objective, theta: &[f64], u: &[f64]) -> SelfStabilization {
    let grad_s = gradient_of_sharpness(objective, theta, u);
    let mut g = vec![0.0; theta.len()];
    objective.gradient(theta, &mut g);
    let alpha = -dot(&g, &grad_s);
    let beta = dot(&grad_s, &grad_s);
    let delta = (alpha > 0.0 && beta > 0.0).then(|| (2.0 * alpha / beta).sqrt());
    SelfStabilization { grad_sharpness_norm: beta.sqrt(), alpha, beta, delta }
}

/// The curvature at one point: `{"kind": "curvature", "objective": {...}, "x": [...],
/// "sharpness": {"k": 5}}`. The double well (x² − μ)²/4 has f″ = 3x² − μ, 11 at x = 2:
///
/// ```
/// use eoslab_core::{parse_json, run, Output};
/// let spec = parse_json(r#"{"kind": "curvature", "objective": {"name": "double_well", "mu": 1}, "x": [2]}"#)?;
/// let Output::Curvature(c) = run(&spec)? else { unreachable!() };
/// assert!((c.eigenvalues[0] - 11.0).abs() < 1e-9);
/// # Ok::<(), eoslab_core::SpecError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurvatureSpec {
    /// The objective (default: the double well with μ = 1).
    #[serde(default)]
    pub objective: ObjectiveSpec,
    /// The point (default: the objective's default start).
    #[serde(default)]
    pub x: Option<Vec<f64>>,
    /// How the top eigenpairs are estimated (default: Lanczos, top 1).
    #[serde(default)]
    pub sharpness: SpectrumOptions,
    /// Whether to return the eigenvectors (default false: they are n numbers each).
    #[serde(default)]
    pub vectors: bool,
}

/// The result of a [`CurvatureSpec`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Curvature {
    /// The objective with every parameter spelled out.
    pub objective: ObjectiveSpec,
    /// L(x) − min L (L(x) where the minimum is not known).
    pub loss: f64,
    /// ‖∇L(x)‖.
    pub gradient_norm: f64,
    /// The estimator used.
    pub method: Method,
    /// The top-k eigenvalues, descending; the first is the sharpness.
    pub eigenvalues: Vec<f64>,
    /// ‖Hv − λv‖ of each pair.
    pub residuals: Vec<f64>,
    /// Whether every pair met the tolerance.
    pub converged: bool,
    /// Estimator iterations and Hessian-vector products spent.
    pub iterations: usize,
    /// Hessian-vector products spent on the eigenpairs.
    pub hvps: usize,
    /// The eigenvectors, when asked for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eigenvectors: Vec<Vec<f64>>,
    /// cos∠(∇L, u) for the top eigenvector u (paper 002 App. B.3.2); absent at a stationary point.
    pub gradient_cosine: Option<f64>,
    /// ∇S, α, β, δ of paper 001 along the top eigenvector.
    pub self_stabilization: SelfStabilization,
    /// Rayleigh quotients along the objective's named directions (λ₊, λ₋ of paper 003).
    pub directional: BTreeMap<String, f64>,
}

/// Analyses the curvature at a point.
pub fn run_curvature(spec: &CurvatureSpec) -> Result<Curvature> {
    let objective = spec.objective.build()?;
    let x = spec.x.clone().unwrap_or_else(|| objective.default_start());
    validate::point("x", &x, objective.dim(), MAX_START)?;
    crate::objective::check_defined_at(&objective, "x", &x)?;
    spec.sharpness.validate()?;
    let report = estimate(&HessianOperator::new(&objective, &x)?, &spec.sharpness, None)?;
    let u = &report.eigenvectors[0];
    let mut g = vec![0.0; x.len()];
    objective.gradient(&x, &mut g);
    Ok(Curvature {
        objective: spec.objective.resolved()?,
        loss: objective.value(&x) - objective.min_value().unwrap_or(0.0),
        gradient_norm: dot(&g, &g).sqrt(),
        method: report.method,
        gradient_cosine: gradient_cosine(&objective, &x, u),
        self_stabilization: self_stabilization(&objective, &x, u),
        directional: objective
            .named_directions(&x)
            .into_iter()
            .map(|(name, v)| (name.to_string(), rayleigh_quotient(&objective, &x, &v)))
            .collect(),
        eigenvalues: report.eigenvalues,
        residuals: report.residuals,
        converged: report.converged,
        iterations: report.iterations,
        hvps: report.hvps,
        eigenvectors: if spec.vectors { report.eigenvectors } else { Vec::new() },
    })
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::self_stabilization::ReducedModel;
    use crate::objective::{ObjectiveSpec, ParamValue};

    #[test]
    fn reduced_model_quantities_equal_their_closed_forms() {
        // At x = 0 the Hessian is diag(2/η₀ + y, 0), its top eigenvector e_x, and exactly
        // ∇S = (0, √β), ∇L = (0, −α/√β): so α and β are the model's own, δ = √(2α/β).
        for (alpha, beta, eta) in [(1.0, 1.0, 0.5), (0.3, 2.5, 0.1), (2.0, 0.4, 1.0)] {
            let model = ReducedModel::new(alpha, beta, eta);
            let theta = model.from_xy(0.0, -0.2);
            let q = self_stabilization(&model, &theta, &[1.0, 0.0]);
            assert!((q.alpha - alpha).abs() < 1e-10 * alpha, "α {} vs {alpha}", q.alpha);
            assert!((q.beta - beta).abs() < 1e-10 * beta, "β {} vs {beta}", q.beta);
            let delta = (2.0 * alpha / beta).sqrt();
            assert!((q.delta.unwrap() - delta).abs() < 1e-10 * delta);
        }
    }

    #[test]
    fn gradient_of_sharpness_matches_the_exact_third_derivative_of_the_double_well() {
        // S(x) = f″(x) = 3x² − μ, so ∇S = f‴(x) = 6x: the difference of HVPs is exact for a
        // quartic up to rounding.
        let f = ObjectiveSpec::new("double_well", &[("mu", ParamValue::Number(1.3))]).build().unwrap();
        for x in [-1.7, 0.2, 0.9, 4.0] {
            let g = gradient_of_sharpness(&f, &[x], &[1.0])[0];
            assert!((g - 6.0 * x).abs() < 1e-8 * (1.0 + 6.0 * x.abs()), "x {x}: {g} vs {}", 6.0 * x);
        }
    }

    #[test]
    fn curvature_spec_reports_f4s_minimum_and_the_two_layer_directions() {
        let a = 19f64.sqrt() / (2.0 * 5f64.sqrt());
        let spec = CurvatureSpec {
            objective: ObjectiveSpec::new("unstable_convergence", &[]),
            x: Some(vec![a, a]),
            sharpness: SpectrumOptions { k: 2, ..Default::default() },
            vectors: false,
        };
        let c = run_curvature(&spec).unwrap();
        assert!((c.eigenvalues[0] - 3.8).abs() < 1e-12 && (c.eigenvalues[1] - 0.2).abs() < 1e-12, "{:?}", c.eigenvalues);
        assert!(c.gradient_norm < 1e-14 && c.loss.abs() < 1e-15, "{} {}", c.gradient_norm, c.loss);
        let stationary =
            CurvatureSpec { objective: ObjectiveSpec::default(), x: Some(vec![0.0]), sharpness: Default::default(), vectors: false };
        let c0 = run_curvature(&stationary).unwrap();
        assert_eq!((c0.gradient_cosine, c0.eigenvalues[0]), (None, -1.0), "f′(0) = 0 exactly, f″(0) = −μ");
        let two_layer = CurvatureSpec {
            objective: ObjectiveSpec::new("two_layer_orthogonal", &[]),
            x: None,
            sharpness: Default::default(),
            vectors: false,
        };
        let c = run_curvature(&two_layer).unwrap();
        assert_eq!(c.directional.keys().collect::<Vec<_>>(), ["v_minus", "v_plus"]);
        assert!(c.directional.values().all(|v| *v <= c.eigenvalues[0] + 1e-12), "a Rayleigh quotient never exceeds the top eigenvalue");
        let bad = CurvatureSpec { x: Some(vec![1.0]), ..two_layer };
        assert_eq!(run_curvature(&bad).unwrap_err().field, "x");
    }

    #[test]
    fn cosine_and_rayleigh_quotients() {
        let f = ObjectiveSpec::new("unstable_convergence", &[]).build().unwrap();
        let theta = [0.3, 1.2];
        let h = f.hessian(&theta);
        let e = [1.0, 0.0];
        assert!((rayleigh_quotient(&f, &theta, &e) - h[(0, 0)]).abs() < 1e-15);
        assert!((rayleigh_quotient(&f, &theta, &[3.0, 0.0]) - h[(0, 0)]).abs() < 1e-15, "scale-free");
        let mut g = [0.0; 2];
        f.gradient(&theta, &mut g);
        let along = gradient_cosine(&f, &theta, &g).unwrap();
        assert!((along - 1.0).abs() < 1e-15);
        let across = gradient_cosine(&f, &theta, &[-g[1], g[0]]).unwrap();
        assert!(across.abs() < 1e-15);
    }
}
