//! One GD run seen through several quantities: iterates, loss f − min f, sharpness against 2/η,
//! and the attractor it settles into.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::gd::GdMap;
use crate::objective::Objective;
use crate::objective::ObjectiveSpec;
use crate::orbit::{classify, Outcome};
use crate::sharpness::dense_top;
use crate::validate;

/// Most GD steps one trajectory spec may ask for.
pub const MAX_STEPS: usize = 100_000;
/// Largest accepted learning rate.
pub const MAX_ETA: f64 = 1e6;
/// Largest accepted magnitude of a start coordinate.
pub const MAX_START: f64 = 1e6;
/// Further steps spent, past the displayed ones, to classify the attractor.
pub const CLASSIFY_BUDGET: usize = 100_000;

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
}

impl TrajectorySpec {
    fn default_steps() -> usize {
        200
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
    /// x₀, x₁, …: `steps + 1` points, or fewer when the run diverged (only bounded iterates).
    pub iterates: Vec<Vec<f64>>,
    /// f(x_t) − min f for each iterate (f(x_t) where the minimum is not known).
    pub loss: Vec<f64>,
    /// Largest Hessian eigenvalue at each iterate.
    pub sharpness: Vec<f64>,
    /// The stability threshold 2/η the sharpness is compared with.
    pub stability_threshold: f64,
    /// What the run settles into (classified by continuing past the shown steps if needed).
    pub outcome: Outcome,
    /// The outcome as the page shows it: "1", "2", "4", …, "chaotic" or "diverged at step k".
    pub outcome_label: String,
}

/// Runs GD as the spec says.
pub fn run_trajectory(spec: &TrajectorySpec) -> Result<Trajectory> {
    let objective = spec.objective.build()?;
    let eta = validate::positive_up_to("eta", spec.eta, MAX_ETA)?;
    let x0 = spec.x0.clone().unwrap_or_else(|| objective.default_start());
    validate::point("x0", &x0, objective.dim(), MAX_START)?;
    let steps = validate::count_in("steps", spec.steps, 1, MAX_STEPS)?;

    let mut map = GdMap::new(&objective as &dyn Objective, eta);
    let min = objective.min_value().unwrap_or(0.0);
    let mut x = x0;
    let mut iterates = vec![x.clone()];
    let mut diverged = None;
    for k in 1..=steps {
        if map.advance(&mut x, 1).is_err() {
            diverged = Some(k);
            break;
        }
        iterates.push(x.clone());
    }
    let loss = iterates.iter().map(|p| objective.value(p) - min).collect();
    let sharpness = iterates.iter().map(|p| dense_top(&objective.hessian(p))).collect();
    let outcome = match diverged {
        Some(step) => Outcome::Diverged { step },
        None => classify(&mut map, &x, steps, CLASSIFY_BUDGET),
    };
    Ok(Trajectory {
        objective: spec.objective.resolved()?,
        eta,
        iterates,
        loss,
        sharpness,
        stability_threshold: 2.0 / eta,
        outcome_label: outcome.label(),
        outcome,
    })
}
