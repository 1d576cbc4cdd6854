//! Self-stabilization (paper 001, Damian, Nichani, Lee, §4–6, App. C–D): GD, gradient flow, the
//! constrained trajectory θ† ([`crate::dynamics::constrained`]) and the predicted dynamics, in one result.
//!
//! As in App. D, GD runs until its sharpness first reaches 2/η (the onset k₀, unless `start`
//! names another step); from there the four are tracked side by side on t = kη.
//!
//! **Predicted dynamics (§5, eq. 5–6; App. C).** Our copy lost the formulas; we derive them. Write
//! θ_t = θ†_t + v_t. At θ†_t let S_t, u_t be the sharpness and unit top eigenvector (oriented so
//! that u_t·u_{t−1} ≥ 0), H_t = ∇²L(θ†_t), ∇S_t = ∇³L[u_t, u_t], ∇S⊥_t = ∇S_t − (u_t·∇S_t)u_t its
//! part orthogonal to u_t, α_t = −∇L(θ†_t)·∇S_t (progressive sharpening), β_t = ‖∇S⊥_t‖²
//! (self-stabilization strength) and δ_t² = 2α_t/β_t. A cubic Taylor expansion of ∇L around θ†_t
//! gives θ_{t+1} = θ_t − η[∇L_t + H_t v_t + ½∇³L_t[v_t, v_t]], and with v_t ≈ x_t u_t + w_t the
//! cubic term is ½x_t²∇S_t + x_t∇³L_t[u_t, w_t]. On the boundary S = 2/η, projecting
//! θ†_t − η∇L_t back onto M moves it by −ηα_t/β_t·∇S⊥_t (to first order: the step raised S by
//! ηα_t). Subtracting, the displacement evolves as
//!
//! x*_{t+1} = −(1 + η y*_t)·x*_t,   y*_t = ∇S⊥_t·w*_t,
//! w*_{t+1} = P⊥_{t+1}[(I − ηH_t)w*_t + η∇S⊥_t·(δ_t² − x*_t²)/2],
//!
//! with P⊥_{t} the projection orthogonal to u_t, since (1 − ηS_t) = −1 on the boundary and
//! u·∇³L[u, w] = ∇S·w. This is App. C's recursion; unrolled, y*_{t+1} = η Σ_s β_{s→t}
//! (δ_s² − x*_s²)/2 with β_{s→t} = ∇S⊥_{t+1}·[Π_{k=t}^{s+1} P⊥_k(I − ηH_k)]∇S⊥_s, eq. 5. When α, β are
//! constant and H_t ∇S⊥ = 0 (§4) it is the reduced dynamics x⁺ = −(1 + ηy)x, y⁺ = y + η(α − βx²/2).
//! The predicted iterate is θ_pred = θ† + x* u + w*, started from v*_{k₀} = v_{k₀}. Theorem 1
//! bounds ‖θ_t − θ_pred,t‖ by higher-order terms in the fourth derivative of L and in the motion of
//! u; on the toy model of App. B (cubic L, u fixed) the recursion is GD's own and the two agree to
//! rounding (tested).

use serde::{Deserialize, Serialize};

use crate::dynamics::constrained::{dot, project, ProjectionOptions, StablePoint};
use crate::dynamics::flow::{distance, sample_gradient_flow, FlowOptions, RkStats};
use crate::dynamics::run::{one_start_spec, SharpnessTracker, Start};
use crate::error::{Result, SpecError};
use crate::objective::{Objective, ObjectiveSpec};
use crate::optimizer::gd::{has_diverged, GdMap};
use crate::spectrum::curvature::gradient_of_sharpness;
use crate::spectrum::{estimate, HessianOperator, SpectrumOptions};
use crate::validate;

/// Most GD steps a self-stabilization spec may ask for (each tracked step costs a projection and
/// three eigenvalue estimates).
pub const MAX_STABILIZATION_STEPS: usize = 20_000;
/// Most parameters × steps a self-stabilization spec may ask for.
pub const MAX_STABILIZATION_WORK: u64 = 50_000_000;

one_start_spec! {
    /// `{"kind": "self_stabilization", "objective": {"name": "self_stabilization_toy"}, "eta": 0.5,
    /// "steps": 300}`: GD from x₀ for `steps` steps in all, and from the start step on the flow,
    /// the constrained trajectory and the prediction beside it. On the toy model of paper 001
    /// App. B the constrained trajectory keeps the sharpness at 2/η and the prediction follows GD:
    ///
    /// ```
    /// use eoslab_core::{parse_json, run, Output};
    /// let spec = parse_json(r#"{"kind": "self_stabilization",
    ///     "objective": {"name": "self_stabilization_toy", "alpha": 1, "beta": 1, "eta": 0.1},
    ///     "eta": 0.1, "steps": 400, "x0": [0.3, -0.1414213562373095, 0]}"#)?;
    /// let Output::SelfStabilization(s) = run(&spec)? else { unreachable!() };
    /// assert!(s.constrained_sharpness.iter().all(|&c| c <= 20.0 * (1.0 + 1e-9)));
    /// assert!(s.gd_to_predicted.iter().all(|&d| d < 1e-6));
    /// # Ok::<(), eoslab_core::SpecError>(())
    /// ```
    pub struct StabilizationSpec (steps: default 300, at most MAX_STABILIZATION_STEPS) {
        /// The step from which the constrained trajectory, the prediction and the flow are tracked
        /// (default: the first step whose sharpness reaches 2/η).
        #[serde(default)]
        pub start: Option<usize>,
        /// The gradient flow's integrator.
        #[serde(default)]
        pub flow: FlowOptions,
        /// The projection onto M.
        #[serde(default)]
        pub projection: ProjectionOptions,
        /// How sharpness and top eigenvectors are estimated (k must be 1).
        #[serde(default)]
        pub sharpness: SpectrumOptions,
    }
}

/// The result of a [`StabilizationSpec`]. Series named `gd_*` cover steps 0…K; the others cover
/// the tracked steps k₀…K (`time` = kη).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stabilization {
    /// The objective with every parameter spelled out.
    pub objective: ObjectiveSpec,
    /// η.
    pub eta: f64,
    /// 2/η.
    pub stability_threshold: f64,
    /// GD's loss f − min f at steps 0…K.
    pub gd_loss: Vec<f64>,
    /// GD's sharpness at steps 0…K.
    pub gd_sharpness: Vec<f64>,
    /// The step at which GD diverged, if it did (everything stops before it).
    pub gd_diverged: Option<usize>,
    /// The step at which the predicted dynamics diverged (left the divergence radius or the
    /// objective's domain), if they did: the `predicted_*`, `x_pred`, `y_pred` and
    /// `gd_to_predicted` series stop before it. The prediction is paper 001's model of GD near
    /// the edge of stability; away from it (GD converging below 2/η) it may blow up while GD does not.
    #[serde(default)]
    pub predicted_diverged: Option<usize>,
    /// k₀, the first tracked step.
    pub start: usize,
    /// t = kη for k = k₀…K.
    pub time: Vec<f64>,
    /// Gradient flow from θ_GD(k₀), at t − k₀η: loss.
    pub flow_loss: Vec<f64>,
    /// … and sharpness.
    pub flow_sharpness: Vec<f64>,
    /// The constrained trajectory θ†: loss.
    pub constrained_loss: Vec<f64>,
    /// … and sharpness (at most 2/η up to the projection's tolerance).
    pub constrained_sharpness: Vec<f64>,
    /// The predicted iterate θ† + x*u + w*: loss.
    pub predicted_loss: Vec<f64>,
    /// … and sharpness.
    pub predicted_sharpness: Vec<f64>,
    /// ‖θ_GD − θ_flow‖.
    pub gd_to_flow: Vec<f64>,
    /// ‖θ_GD − θ†‖.
    pub gd_to_constrained: Vec<f64>,
    /// ‖θ_GD − θ_pred‖.
    pub gd_to_predicted: Vec<f64>,
    /// GD's displacement along u: x_t = u_t·(θ_t − θ†_t).
    pub x: Vec<f64>,
    /// GD's displacement along ∇S⊥: y_t = ∇S⊥_t·(θ_t − θ†_t).
    pub y: Vec<f64>,
    /// The predicted x*_t.
    pub x_pred: Vec<f64>,
    /// The predicted y*_t.
    pub y_pred: Vec<f64>,
    /// α_t = −∇L·∇S at θ†_t.
    pub alpha: Vec<f64>,
    /// β_t = ‖∇S⊥‖² at θ†_t.
    pub beta: Vec<f64>,
    /// Gauss–Newton iterations of all projections.
    pub projection_iterations: usize,
    /// Hessian-vector products spent on projections and eigenvalue estimates.
    pub hvps: usize,
    /// The flow integrator's work.
    pub rk: RkStats,
}

/// Runs GD, then from k₀ the flow, the constrained trajectory and the prediction.
pub fn run_stabilization(spec: &StabilizationSpec) -> Result<Stabilization> {
    let Start { objective, eta, x0, steps } = spec.start()?;
    let n = objective.dim();
    if validate::work(&[n, steps]) > MAX_STABILIZATION_WORK {
        return Err(SpecError::new(
            "steps",
            format!("{n} parameters × {steps} steps exceeds {MAX_STABILIZATION_WORK}; ask for fewer steps"),
        ));
    }
    spec.flow.validate()?;
    spec.projection.validate()?;
    spec.sharpness.validate()?;
    if spec.sharpness.k != 1 {
        return Err(SpecError::new("sharpness.k", "the predicted dynamics follow the top eigenvector only: use k = 1"));
    }
    let threshold = 2.0 / eta;
    let min = objective.min_value().unwrap_or(0.0);
    let loss = |p: &[f64]| objective.value(p) - min;

    // GD with its sharpness at every step.
    let mut map = GdMap::new(&objective as &dyn Objective, eta);
    let mut gd = vec![x0.clone()];
    let mut gd_diverged = None;
    let mut x = x0;
    for k in 1..=steps {
        if !map.try_step(&mut x) {
            gd_diverged = Some(k);
            break;
        }
        gd.push(x.clone());
    }
    let last = gd.len() - 1;
    let mut tracker = SharpnessTracker::new(spec.sharpness, 1);
    for (k, p) in gd.iter().enumerate() {
        tracker.observe(&objective, p, k, k == last)?;
    }
    let gd_sharpness = tracker.sharpness;
    let mut hvps = tracker.hvps;
    let start = match spec.start {
        Some(k) => validate::count_in("start", k, 0, last)?,
        None => gd_sharpness.iter().position(|&s| s >= threshold).ok_or_else(|| {
            SpecError::new(
                "steps",
                format!("GD's sharpness never reached 2/η = {threshold} in {last} steps: raise steps or η, or set start"),
            )
        })?,
    };
    let tracked = &gd[start..];

    let (flow, rk) = sample_gradient_flow(&objective, &tracked[0], eta, tracked.len(), &spec.flow)?;
    let mut out = Stabilization {
        objective: spec.objective.resolved()?,
        eta,
        stability_threshold: threshold,
        gd_loss: gd.iter().map(|p| loss(p)).collect(),
        gd_sharpness,
        gd_diverged,
        predicted_diverged: None,
        start,
        time: (start..=last).map(|k| k as f64 * eta).collect(),
        flow_loss: flow.iter().map(|p| loss(p)).collect(),
        flow_sharpness: Vec::new(),
        constrained_loss: Vec::new(),
        constrained_sharpness: Vec::new(),
        predicted_loss: Vec::new(),
        predicted_sharpness: Vec::new(),
        gd_to_flow: tracked.iter().zip(&flow).map(|(a, b)| distance(a, b)).collect(),
        gd_to_constrained: Vec::new(),
        gd_to_predicted: Vec::new(),
        x: Vec::new(),
        y: Vec::new(),
        x_pred: Vec::new(),
        y_pred: Vec::new(),
        alpha: Vec::new(),
        beta: Vec::new(),
        projection_iterations: 0,
        hvps: 0,
        rk,
    };
    let mut flow_warm: Option<Vec<f64>> = None;
    for p in &flow {
        let r = estimate(&HessianOperator::new(&objective, p)?, &spec.sharpness, flow_warm.as_deref())?;
        out.flow_sharpness.push(r.eigenvalues[0]);
        hvps += r.hvps;
        flow_warm = r.eigenvectors.into_iter().next();
    }

    // The constrained trajectory and the prediction.
    let mut g = vec![0.0; n];
    let mut hw = vec![0.0; n];
    let mut stable = project(&objective, &tracked[0], threshold, &spec.sharpness, None, &spec.projection)?;
    let mut prediction: Option<(f64, Vec<f64>)> = None;
    let mut previous_u: Option<Vec<f64>> = None;
    for (i, theta) in tracked.iter().enumerate() {
        let StablePoint { theta: dagger, sharpness, mut u, iterations, hvps: spent } = stable;
        out.projection_iterations += iterations;
        hvps += spent;
        if previous_u.as_deref().is_some_and(|prev| dot(prev, &u) < 0.0) {
            u.iter_mut().for_each(|v| *v = -*v);
        }
        let grad_s = gradient_of_sharpness(&objective, &dagger, &u);
        let along = dot(&grad_s, &u);
        let grad_s_perp: Vec<f64> = grad_s.iter().zip(&u).map(|(s, ui)| s - along * ui).collect();
        objective.gradient(&dagger, &mut g);
        let alpha = -dot(&g, &grad_s);
        let beta = dot(&grad_s_perp, &grad_s_perp);
        let v: Vec<f64> = theta.iter().zip(&dagger).map(|(a, b)| a - b).collect();
        let (x_star, w_star) = match prediction.take() {
            Some((x_star, w)) => (x_star, perpendicular(&w, &u)),
            None => (dot(&v, &u), perpendicular(&v, &u)),
        };
        let y_star = dot(&grad_s_perp, &w_star);
        let predicted: Vec<f64> = dagger.iter().zip(&u).zip(&w_star).map(|((d, ui), wi)| d + x_star * ui + wi).collect();
        if out.predicted_diverged.is_none() && (has_diverged(&predicted) || !objective.defined_at(&predicted)) {
            out.predicted_diverged = Some(start + i);
        }
        if out.predicted_diverged.is_none() {
            let at_prediction = estimate(&HessianOperator::new(&objective, &predicted)?, &spec.sharpness, Some(&u))?;
            hvps += at_prediction.hvps + 2;
            out.predicted_loss.push(loss(&predicted));
            out.predicted_sharpness.push(at_prediction.eigenvalues[0]);
            out.gd_to_predicted.push(distance(theta, &predicted));
            out.x_pred.push(x_star);
            out.y_pred.push(y_star);
        }

        out.constrained_loss.push(loss(&dagger));
        out.constrained_sharpness.push(sharpness);
        out.gd_to_constrained.push(distance(theta, &dagger));
        out.x.push(dot(&v, &u));
        out.y.push(dot(&grad_s_perp, &v));
        out.alpha.push(alpha);
        out.beta.push(beta);
        if i + 1 == tracked.len() {
            break;
        }

        // x*_{t+1}, and (I − ηH_t)w* + η∇S⊥(δ² − x*²)/2, projected orthogonally to u_{t+1} next.
        objective.hessian_vector(&dagger, &w_star, &mut hw);
        hvps += 1;
        let push = if beta > 0.0 { alpha / beta - x_star * x_star / 2.0 } else { 0.0 };
        let w_next: Vec<f64> = w_star.iter().zip(&hw).zip(&grad_s_perp).map(|((w, h), s)| w - eta * h + eta * s * push).collect();
        prediction = Some((-(1.0 + eta * y_star) * x_star, w_next));

        let stepped: Vec<f64> = dagger.iter().zip(&g).map(|(d, gi)| d - eta * gi).collect();
        stable = project(&objective, &stepped, threshold, &spec.sharpness, Some(&u), &spec.projection)?;
        previous_u = Some(u);
    }
    out.hvps = hvps;
    Ok(out)
}

/// w − (u·w)u for a unit u.
fn perpendicular(w: &[f64], u: &[f64]) -> Vec<f64> {
    let along = dot(w, u);
    w.iter().zip(u).map(|(wi, ui)| wi - along * ui).collect()
}
