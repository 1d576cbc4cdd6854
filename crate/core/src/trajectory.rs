//! One GD run seen through several quantities: iterates, loss f − min f, sharpness against 2/η,
//! and the attractor it settles into.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::curvature::rayleigh_quotient;

use crate::error::{Result, SpecError};
use crate::gd::GdMap;
use crate::momentum::{stability_threshold, HeavyBall};
use crate::objective::Objective;
use crate::objective::ObjectiveSpec;
use crate::orbit::{classify, Outcome};
use crate::regimes::{self, Regimes};
use crate::schedule::Schedule;
use crate::spectrum::{estimate, HessianOperator, SpectrumOptions};
use crate::validate;

/// Most GD steps one trajectory spec may ask for.
pub const MAX_STEPS: usize = 100_000;
/// Largest accepted learning rate.
pub const MAX_ETA: f64 = 1e6;
/// Largest accepted magnitude of a start coordinate.
pub const MAX_START: f64 = 1e6;
/// Further steps spent, past the displayed ones, to classify the attractor.
pub const CLASSIFY_BUDGET: usize = 100_000;
/// Largest dimension whose attractor is classified: the Newton refinement of an orbit works
/// with dense n × n Jacobians.
pub const ORBIT_MAX_DIM: usize = 64;
/// Largest dimension whose iterates are all recorded by default (`"iterates": "auto"`).
pub const AUTO_ITERATES_MAX_DIM: usize = 64;
/// Most numbers a run may record as iterates (dimension × (steps + 1)).
pub const MAX_RECORDED: u64 = 10_000_000;
/// Largest accepted heavy-ball momentum (β must stay below 1 for any minimum to be stable).
pub const MAX_MOMENTUM: f64 = 0.999;

/// Which iterates a result carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IterateRecord {
    /// All of them up to dimension [`AUTO_ITERATES_MAX_DIM`], else only the first and last.
    #[default]
    Auto,
    /// Every iterate.
    All,
    /// Only the first and the last.
    Ends,
}

impl IterateRecord {
    /// Whether every iterate of a run of `steps` steps in dimension n is kept; refuses (naming
    /// `iterates`) more than [`MAX_RECORDED`] numbers.
    pub(crate) fn keeps_all(self, n: usize, steps: usize) -> Result<bool> {
        let keep_all = match self {
            IterateRecord::All => true,
            IterateRecord::Ends => false,
            IterateRecord::Auto => n <= AUTO_ITERATES_MAX_DIM,
        };
        if keep_all && validate::work(&[n, steps + 1]) > MAX_RECORDED {
            return Err(SpecError::new(
                "iterates",
                format!("recording all {} × {n} coordinates exceeds {MAX_RECORDED}; use \"ends\"", steps + 1),
            ));
        }
        Ok(keep_all)
    }
}

/// A GD run: `{"kind": "trajectory", "objective": {...}, "eta": 0.5, "x0": [0.5], "steps": 200}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrajectorySpec {
    /// The objective (default: the double well with μ = 1).
    #[serde(default)]
    pub objective: ObjectiveSpec,
    /// Learning rate η, in (0, [`MAX_ETA`]].
    pub eta: f64,
    /// Start point, one coordinate per parameter of the objective (default: the objective's own
    /// start, e.g. a network's seeded initialisation).
    #[serde(default)]
    pub x0: Option<Vec<f64>>,
    /// Number of GD steps shown, 1 to [`MAX_STEPS`] (default 200).
    #[serde(default = "TrajectorySpec::default_steps")]
    pub steps: usize,
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
    #[serde(default = "TrajectorySpec::default_sharpness_every")]
    pub sharpness_every: usize,
    /// Heavy-ball momentum β in [0, [`MAX_MOMENTUM`]] (default 0: plain GD); see
    /// [`crate::momentum`] for the convention and the stability limit (2 + 2β)/η.
    #[serde(default)]
    pub momentum: f64,
}

impl TrajectorySpec {
    fn default_steps() -> usize {
        200
    }
    fn default_sharpness_every() -> usize {
        1
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
    /// Regime labels read off the loss, sharpness and observables ([`crate::regimes`]).
    pub regimes: Regimes,
}

/// Runs GD as the spec says.
pub fn run_trajectory(spec: &TrajectorySpec) -> Result<Trajectory> {
    let objective = spec.objective.build()?;
    let eta = validate::learning_rate("eta", spec.eta, MAX_ETA)?;
    let x0 = spec.x0.clone().unwrap_or_else(|| objective.default_start());
    validate::point("x0", &x0, objective.dim(), MAX_START)?;
    crate::objective::check_defined_at(&objective, "x0", &x0)?;
    let steps = validate::count_in("steps", spec.steps, 1, MAX_STEPS)?;
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

/// Sharpness along a run: top-k eigenvalues every m steps (and at the last step), each estimate
/// warm-started from the previous top eigenvector (issue 4; Cohen et al.'s sharpness-against-2/η
/// figure and the top-k curves of paper 003).
pub(crate) struct SharpnessTracker {
    options: SpectrumOptions,
    every: usize,
    warm: Option<Vec<f64>>,
    pub(crate) sharpness: Vec<f64>,
    pub(crate) steps: Vec<usize>,
    top_k: Vec<Vec<f64>>,
    pub(crate) hvps: usize,
    unconverged: Vec<usize>,
    directional: BTreeMap<String, Vec<Option<f64>>>,
}

impl SharpnessTracker {
    pub(crate) fn new(options: SpectrumOptions, every: usize) -> Self {
        Self {
            options,
            every,
            warm: None,
            sharpness: Vec::new(),
            steps: Vec::new(),
            top_k: Vec::new(),
            hvps: 0,
            unconverged: Vec::new(),
            directional: BTreeMap::new(),
        }
    }

    /// Estimates at `step` if it is due (a multiple of m, or the last step).
    pub(crate) fn observe(&mut self, objective: &dyn Objective, x: &[f64], step: usize, last: bool) -> Result<()> {
        if self.every == 0 || !(step.is_multiple_of(self.every) || last) {
            return Ok(());
        }
        let report = estimate(&HessianOperator::new(objective, x)?, &self.options, self.warm.as_deref())?;
        self.sharpness.push(report.eigenvalues[0]);
        self.steps.push(step);
        if self.options.k > 1 {
            self.top_k.push(report.eigenvalues.clone());
        }
        self.hvps += report.hvps;
        if !report.converged {
            self.unconverged.push(step);
        }
        self.warm = report.eigenvectors.into_iter().next();
        let tracked = self.steps.len();
        for (name, v) in objective.named_directions(x) {
            let series = self.directional.entry(name.to_string()).or_default();
            series.resize(tracked - 1, None);
            series.push(Some(rayleigh_quotient(objective, x, &v)));
        }
        for series in self.directional.values_mut() {
            series.resize(tracked, None);
        }
        Ok(())
    }
}
