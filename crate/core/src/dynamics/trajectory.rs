//! One GD run seen through several quantities: iterates, loss f − min f, sharpness against 2/η,
//! and the attractor it settles into.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::dynamics::regimes::{self, Regimes};
use crate::dynamics::run::{every_step, one_start_spec, IterateRecord, SharpnessTracker, Start};
use crate::error::Result;
use crate::limits::{MAX_STEPS, ORBIT_MAX_DIM};
use crate::objective::Objective;
use crate::objective::ObjectiveSpec;
use crate::optimizer::gd::GdMap;
use crate::optimizer::momentum::{stability_threshold, HeavyBall};
use crate::optimizer::schedule::Schedule;
use crate::orbit::{classify, Outcome};
use crate::spectrum::SpectrumOptions;
use crate::validate;

/// Further steps spent, past the displayed ones, to classify the attractor.
pub const CLASSIFY_BUDGET: usize = 100_000;
/// Largest accepted heavy-ball momentum (β must stay below 1 for any minimum to be stable).
pub const MAX_MOMENTUM: f64 = 0.999;

one_start_spec! {
    /// A GD run: `{"kind": "trajectory", "objective": {...}, "eta": 0.5, "x0": [0.5], "steps": 200}`.
    /// Beyond the edge of stability the double well's GD settles on the 2-cycle
    /// (√(μ + 3/η) ± √(μ − 1/η))/2 (paper 002 §4.2):
    ///
    /// ```
    /// use eoslab_core::{parse_json, run, Output};
    /// let spec = parse_json(r#"{"kind": "trajectory", "objective": {"name": "double_well", "mu": 1}, "eta": 1.1, "x0": [0.5], "steps": 100}"#)?;
    /// let Output::Trajectory(run) = run(&spec)? else { unreachable!() };
    /// let eoslab_core::orbit::Outcome::Periodic { period, orbit, .. } = run.outcome else { panic!("{}", run.outcome_label) };
    /// let (root_a, root_b) = ((1.0f64 + 3.0 / 1.1).sqrt(), (1.0f64 - 1.0 / 1.1).sqrt());
    /// assert_eq!(period, 2);
    /// assert!((orbit[0][0] - (root_a + root_b) / 2.0).abs() < 1e-12 && (orbit[1][0] - (root_a - root_b) / 2.0).abs() < 1e-12);
    /// # Ok::<(), eoslab_core::SpecError>(())
    /// ```
    pub struct TrajectorySpec (steps: default 200, at most MAX_STEPS) {
        /// Which iterates the result carries (default `auto`).
        #[serde(default)]
        pub iterates: IterateRecord,
        /// The learning-rate schedule η_t = η·factor(t) (default constant).
        #[serde(default)]
        pub schedule: Schedule,
        /// How the sharpness is estimated (default: Lanczos, top 1, relative residual 10⁻¹⁰); with
        /// k > 1 the top-k eigenvalues are tracked.
        #[serde(default)]
        pub sharpness: SpectrumOptions,
        /// Estimate the sharpness every this many steps (default 1; 0: never), warm-started from the
        /// previous top eigenvector.
        #[serde(default = "every_step")]
        pub sharpness_every: usize,
        /// Heavy-ball momentum β in [0, [`MAX_MOMENTUM`]] (default 0: plain GD); see
        /// [`crate::optimizer::momentum`] for the convention and the stability limit (2 + 2β)/η.
        #[serde(default)]
        pub momentum: f64,
    }
}

/// The result of a [`TrajectorySpec`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trajectory {
    /// The objective with every parameter spelled out, so that drawing code can evaluate it and
    /// the result records exactly what ran.
    pub objective: ObjectiveSpec,
    /// η.
    pub eta: f64,
    /// x₀, x₁, …: `steps + 1` points, or fewer when the run diverged (only bounded iterates); with
    /// only the ends recorded, x₀ and the last bounded iterate.
    pub iterates: Vec<Vec<f64>>,
    /// The step index of each entry of `iterates`.
    pub iterate_steps: Vec<usize>,
    /// f(x_t) − min f for each iterate (f(x_t) where the minimum is not known).
    pub loss: Vec<f64>,
    /// Largest Hessian eigenvalue at each tracked step.
    pub sharpness: Vec<f64>,
    /// The steps at which the sharpness was estimated (0, m, 2m, …, and the last step).
    pub sharpness_steps: Vec<usize>,
    /// With k > 1, the top-k eigenvalues (descending) at each tracked step; else empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub top_eigenvalues: Vec<Vec<f64>>,
    /// Hessian-vector products spent on the sharpness, in all.
    pub sharpness_hvps: usize,
    /// Tracked steps whose estimate did not meet its tolerance (empty when all did).
    pub sharpness_unconverged: Vec<usize>,
    /// Rayleigh quotients along the objective's named directions at each tracked step (paper
    /// 003's λ₊ and λ₋); null where a direction does not exist at that step.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub directional: BTreeMap<String, Vec<Option<f64>>>,
    /// The heavy-ball momentum β (0: plain GD).
    #[serde(default)]
    pub momentum: f64,
    /// The stability threshold the sharpness is compared with, for the base η: 2/η, or
    /// (2 + 2β)/η with momentum β.
    pub stability_threshold: f64,
    /// With a schedule, η_t for each step t = 1, …; else empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub learning_rates: Vec<f64>,
    /// What the run settles into (classified by continuing past the shown steps if needed; not
    /// classified with momentum, whose state is (x, v) rather than the GD map's x).
    pub outcome: Outcome,
    /// The outcome as the page shows it: "1", "2", "4", …, "chaotic" or "diverged at step k".
    pub outcome_label: String,
    /// The objective's named observables (xᵀy, ‖x‖² − ‖y‖², …) at each step of `loss`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub observables: BTreeMap<String, Vec<f64>>,
    /// Regime labels read off the loss, sharpness and observables ([`crate::dynamics::regimes`]).
    pub regimes: Regimes,
}

/// Runs GD as the spec says.
pub fn run_trajectory(spec: &TrajectorySpec) -> Result<Trajectory> {
    let Start { objective, eta, x0, steps } = spec.start()?;
    let momentum = validate::finite_in("momentum", spec.momentum, 0.0, MAX_MOMENTUM)?;

    let n = objective.dim();
    let keep_all = spec.iterates.keeps_all(n, steps)?;

    spec.sharpness.validate()?;
    spec.schedule.validate()?;
    let mut learning_rates = Vec::new();
    let mut tracker = SharpnessTracker::new(spec.sharpness, spec.sharpness_every);
    let mut map = GdMap::new(&objective as &dyn Objective, eta);
    let mut heavy_ball = (momentum > 0.0).then(|| HeavyBall::new(&objective, eta, momentum));
    let min = objective.min_value().unwrap_or(0.0);
    let mut x = x0;
    let mut iterates = vec![x.clone()];
    let mut iterate_steps = vec![0];
    let mut loss = vec![objective.value(&x) - min];
    let mut observables: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut observe = |x: &[f64]| {
        for (name, v) in objective.named_observables(x) {
            observables.entry(name.to_string()).or_default().push(v);
        }
    };
    observe(&x);
    tracker.observe(&objective, &x, 0, false)?;
    let mut diverged = None;
    for k in 1..=steps {
        if !spec.schedule.is_constant() {
            let eta_k = eta * spec.schedule.factor(k);
            map.set_eta(eta_k);
            if let Some(hb) = heavy_ball.as_mut() {
                hb.set_eta(eta_k);
            }
            learning_rates.push(eta_k);
        }
        let bounded = match heavy_ball.as_mut() {
            Some(hb) => hb.try_step(&mut x),
            None => map.try_step(&mut x),
        };
        if !bounded {
            diverged = Some(k);
            break;
        }
        loss.push(objective.value(&x) - min);
        observe(&x);
        tracker.observe(&objective, &x, k, k == steps)?;
        if keep_all {
            iterates.push(x.clone());
            iterate_steps.push(k);
        }
    }
    let last = loss.len() - 1;
    if !keep_all && last > 0 {
        iterates.push(x.clone());
        iterate_steps.push(last);
    }
    let outcome = match diverged {
        Some(step) => Outcome::Diverged { step },
        None if n <= ORBIT_MAX_DIM && heavy_ball.is_none() => classify(&mut map, &x, steps, CLASSIFY_BUDGET),
        None => Outcome::NotClassified,
    };
    let threshold = |step: usize| stability_threshold(eta * spec.schedule.factor(step.max(1)), momentum);
    let regimes = regimes::label(&regimes::Run {
        loss: &loss,
        sharpness: &tracker.sharpness,
        sharpness_steps: &tracker.steps,
        threshold: &threshold,
        balance: observables.get("balance").map(|b| [b[0], b[b.len() - 1]]),
        converged: matches!(outcome, Outcome::Periodic { period: 1, .. }),
    });
    Ok(Trajectory {
        objective: spec.objective.resolved()?,
        eta,
        iterates,
        iterate_steps,
        loss,
        sharpness: tracker.sharpness,
        sharpness_steps: tracker.steps,
        top_eigenvalues: tracker.top_k,
        sharpness_hvps: tracker.hvps,
        sharpness_unconverged: tracker.unconverged,
        directional: tracker.directional,
        momentum,
        stability_threshold: stability_threshold(eta, momentum),
        learning_rates,
        outcome_label: outcome.label(),
        outcome,
        observables,
        regimes,
    })
}
