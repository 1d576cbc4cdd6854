//! What every run from one start shares: the spec fields objective, η, x₀ and steps, declared
//! once ([`one_start_spec!`]) and validated once ([`Start`]); which iterates a run keeps
//! ([`IterateRecord`]); and the sharpness tracked along it ([`SharpnessTracker`]). The
//! `trajectory`, `flow` and `self_stabilization` kinds are built on them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Result, SpecError};
use crate::limits::{MAX_ETA, MAX_START};
use crate::objective::{AnyObjective, Objective, ObjectiveSpec};
use crate::spectrum::curvature::rayleigh_quotient;
use crate::spectrum::{estimate, HessianOperator, SpectrumOptions};
use crate::validate;

/// Declares the spec of a run from one start: the fields `objective`, `eta`, `x0` and `steps`
/// (with the given default and upper bound), then the kind's own fields, and a `start` method
/// that validates the shared four. A macro rather than a `#[serde(flatten)]`ed struct: flattening
/// does not combine with `deny_unknown_fields`, and it buffers the fields, so a type error inside
/// them (`"steps": 2.5`) would no longer name its field.
macro_rules! one_start_spec {
    (
        $(#[$meta:meta])*
        pub struct $name:ident (steps: default $default_steps:literal, at most $max_steps:ident) {
            $( $(#[$field_meta:meta])* pub $field:ident: $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// The objective (default: the double well with μ = 1).
            #[serde(default)]
            pub objective: $crate::objective::ObjectiveSpec,
            /// Learning rate η, in (0, [`MAX_ETA`](crate::limits::MAX_ETA)].
            pub eta: f64,
            /// Start point, one coordinate per parameter of the objective (default: the
            /// objective's own start, e.g. a network's seeded initialisation).
            #[serde(default)]
            pub x0: Option<Vec<f64>>,
            #[doc = concat!("GD steps, 1 to [`", stringify!($max_steps), "`] (default ", stringify!($default_steps), ").")]
            #[serde(default = "default_steps")]
            pub steps: usize,
            $( $(#[$field_meta])* pub $field: $ty, )*
        }

        fn default_steps() -> usize {
            $default_steps
        }

        impl $name {
            /// The objective built, η, x₀ (the objective's own start by default) and the number
            /// of steps, each checked; a refusal names its field.
            pub fn start(&self) -> $crate::error::Result<$crate::dynamics::run::Start> {
                $crate::dynamics::run::Start::new(&self.objective, self.eta, self.x0.as_deref(), self.steps, $max_steps)
            }
        }
    };
}
pub(crate) use one_start_spec;

/// The validated start of a run: its objective, η, x₀ and number of steps.
pub struct Start {
    /// The objective, built from its spec.
    pub objective: AnyObjective,
    /// η, in (0, [`MAX_ETA`]].
    pub eta: f64,
    /// x₀, one finite coordinate per parameter, each of magnitude at most [`MAX_START`].
    pub x0: Vec<f64>,
    /// Steps, 1 to the kind's bound.
    pub steps: usize,
}

impl Start {
    /// Checks, in this order, the objective, `eta`, `x0` and `steps` (at most `max_steps`).
    pub fn new(objective: &ObjectiveSpec, eta: f64, x0: Option<&[f64]>, steps: usize, max_steps: usize) -> Result<Self> {
        let objective = objective.build()?;
        let eta = validate::learning_rate("eta", eta, MAX_ETA)?;
        let x0 = x0.map_or_else(|| objective.default_start(), <[f64]>::to_vec);
        validate::point("x0", &x0, objective.dim(), MAX_START)?;
        crate::objective::check_defined_at(&objective, "x0", &x0)?;
        let steps = validate::count_in("steps", steps, 1, max_steps)?;
        Ok(Self { objective, eta, x0, steps })
    }
}

/// The default of `sharpness_every`: estimate at every step.
pub(crate) fn every_step() -> usize {
    1
}

/// Largest dimension whose iterates are all recorded by default (`"iterates": "auto"`).
pub const AUTO_ITERATES_MAX_DIM: usize = 64;
/// Most numbers a run may record as iterates (dimension × (steps + 1)).
pub const MAX_RECORDED: u64 = 10_000_000;
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

/// Sharpness along a run: top-k eigenvalues every m steps (and at the last step), each estimate
/// warm-started from the previous top eigenvector (issue 4; Cohen et al.'s sharpness-against-2/η
/// figure and the top-k curves of paper 003).
pub(crate) struct SharpnessTracker {
    options: SpectrumOptions,
    every: usize,
    warm: Option<Vec<f64>>,
    pub(crate) sharpness: Vec<f64>,
    pub(crate) steps: Vec<usize>,
    pub(crate) top_k: Vec<Vec<f64>>,
    pub(crate) hvps: usize,
    pub(crate) unconverged: Vec<usize>,
    pub(crate) directional: BTreeMap<String, Vec<Option<f64>>>,
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
