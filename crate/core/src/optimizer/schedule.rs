//! Learning-rate schedules η_t = η·factor(t) for GD runs: constant, a step decay (η → η·factor
//! from step k on: paper 003 App. C decays η to η/4 during the edge of stability and the sharpness
//! rises to the new 2/η), a linear warm-up, and a triangular cyclic schedule.

use serde::{Deserialize, Serialize};

use crate::error::{Result, SpecError};
use crate::limits::MAX_STEPS;
use crate::validate;

/// A schedule, tagged by `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Schedule {
    /// η at every step.
    #[default]
    Constant,
    /// η before step `at`, η·`factor` from step `at` on.
    StepDecay {
        /// The first step taken with the decayed rate (1-based).
        at: usize,
        /// The factor, in (0, 1e3] (0.25: paper 003's η/4).
        factor: f64,
    },
    /// η·t/`steps` for the first `steps` steps, then η.
    Warmup {
        /// Length of the warm-up.
        steps: usize,
    },
    /// A triangle between η·`low` and η with the given period: η at steps 0, period, 2·period, …
    Cyclic {
        /// Period in steps (at least 2).
        period: usize,
        /// The lowest factor, in (0, 1].
        low: f64,
    },
}

impl Schedule {
    /// Checks the parameters; errors name `schedule.<field>`.
    pub fn validate(&self) -> Result<()> {
        match *self {
            Schedule::Constant => Ok(()),
            Schedule::StepDecay { at, factor } => {
                validate::count_in("schedule.at", at, 1, MAX_STEPS)?;
                validate::positive_up_to("schedule.factor", factor, 1e3).map(drop)
            }
            Schedule::Warmup { steps } => validate::count_in("schedule.steps", steps, 1, MAX_STEPS).map(drop),
            Schedule::Cyclic { period, low } => {
                validate::count_in("schedule.period", period, 2, MAX_STEPS)?;
                if !(low > 0.0 && low <= 1.0) {
                    return Err(SpecError::new("schedule.low", format!("must lie in (0, 1] (got {low})")));
                }
                Ok(())
            }
        }
    }

    /// The factor multiplying η for step t (t = 1 is the first step).
    pub fn factor(&self, t: usize) -> f64 {
        match *self {
            Schedule::Constant => 1.0,
            Schedule::StepDecay { at, factor } => {
                if t >= at {
                    factor
                } else {
                    1.0
                }
            }
            Schedule::Warmup { steps } => (t as f64 / steps as f64).min(1.0),
            Schedule::Cyclic { period, low } => {
                let phase = (t % period) as f64 / period as f64;
                let triangle = (2.0 * phase - 1.0).abs();
                low + (1.0 - low) * triangle
            }
        }
    }

    /// Whether η changes over the run.
    pub fn is_constant(&self) -> bool {
        matches!(self, Schedule::Constant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_follow_their_definitions() {
        let decay = Schedule::StepDecay { at: 10, factor: 0.25 };
        assert_eq!((decay.factor(9), decay.factor(10), decay.factor(500)), (1.0, 0.25, 0.25));
        let warm = Schedule::Warmup { steps: 4 };
        assert_eq!([1, 2, 4, 9].map(|t| warm.factor(t)), [0.25, 0.5, 1.0, 1.0]);
        let cyclic = Schedule::Cyclic { period: 4, low: 0.5 };
        assert_eq!([0, 1, 2, 3, 4].map(|t| cyclic.factor(t)), [1.0, 0.75, 0.5, 0.75, 1.0]);
        assert_eq!(Schedule::Constant.factor(7), 1.0);
    }

    #[test]
    fn bad_parameters_name_their_field() {
        assert_eq!(Schedule::StepDecay { at: 0, factor: 0.5 }.validate().unwrap_err().field, "schedule.at");
        assert_eq!(Schedule::StepDecay { at: 5, factor: f64::NAN }.validate().unwrap_err().field, "schedule.factor");
        assert_eq!(Schedule::Warmup { steps: 0 }.validate().unwrap_err().field, "schedule.steps");
        assert_eq!(Schedule::Cyclic { period: 1, low: 0.5 }.validate().unwrap_err().field, "schedule.period");
        assert_eq!(Schedule::Cyclic { period: 8, low: 0.0 }.validate().unwrap_err().field, "schedule.low");
    }
}
