//! Regime labels along a GD run, read off its loss, sharpness and named observables:
//! * progressive sharpening (Cohen et al. 2021; paper 000 §4): the sharpness rising from its
//!   lowest tracked value to where it first reaches 2/η_t (or to its largest value after);
//! * the edge of stability: the tracked steps where the sharpness is at or above 2/η_t;
//! * a catapult (Lewkowycz et al. 2020, paper 000 §1 and §5): the loss rising above its start and
//!   later falling below it, with the peak over the initial loss;
//! * balancing (paper 000 §5): ‖x‖² − ‖y‖² before and after;
//! * stable against unstable convergence (paper 004, Theorems 2–3): the step after which the loss
//!   decreases monotonically, 0 when it fell at every step.

use serde::{Deserialize, Serialize};

use crate::limits::LOSS_NOISE;

/// Smallest relative rise of the sharpness counted as progressive sharpening.
pub const SHARPENING_RISE: f64 = 0.1;

/// A phase of the run between two steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sharpening {
    /// The tracked step with the lowest sharpness before the edge of stability.
    pub from: usize,
    /// The first tracked step at or above 2/η_t (or, without one, the highest sharpness after
    /// `from`).
    pub to: usize,
    /// The sharpness at `from` and at `to`.
    pub sharpness: [f64; 2],
}

/// The loss rising above its start and falling back below it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catapult {
    /// The step of the largest loss.
    pub peak_step: usize,
    /// The largest loss over the initial loss (> 1).
    pub peak_ratio: f64,
}

/// How the run converged, if it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Convergence {
    /// To a point, with the loss falling at every step.
    Stable,
    /// To a point, after the loss rose at least once.
    Unstable,
    /// Not to a point (a cycle, chaos, divergence, or not classified).
    None,
}

/// The regime labels of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Regimes {
    /// Progressive sharpening, when the sharpness rose by more than [`SHARPENING_RISE`] before
    /// the edge of stability (absent without it, or without sharpness tracking).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progressive_sharpening: Option<Sharpening>,
    /// Runs of consecutive tracked steps with the sharpness at or above 2/η_t, as
    /// [first, last] step pairs.
    pub edge_of_stability: Vec<[usize; 2]>,
    /// The catapult, if the loss rose above its start and fell below it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catapult: Option<Catapult>,
    /// ‖x‖² − ‖y‖² at the start and at the last iterate, for objectives with a `balance`
    /// observable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<[f64; 2]>,
    /// The step after which the loss decreases monotonically: one past the last step where it
    /// rose (by more than 10⁻¹²·(1 + |loss|)), 0 when it never rose.
    pub monotone_from: usize,
    /// Stable or unstable convergence, or none.
    pub convergence: Convergence,
}

/// What a run recorded, for [`label`].
pub struct Run<'a> {
    /// f − min f at steps 0, 1, ….
    pub loss: &'a [f64],
    /// The tracked sharpness and the steps it was tracked at.
    pub sharpness: &'a [f64],
    /// See `sharpness`.
    pub sharpness_steps: &'a [usize],
    /// 2/η_t at a step.
    pub threshold: &'a dyn Fn(usize) -> f64,
    /// The balance at the start and at the end, if the objective has one.
    pub balance: Option<[f64; 2]>,
    /// Whether the run converged to a point.
    pub converged: bool,
}

/// Labels a run.
pub fn label(run: &Run<'_>) -> Regimes {
    let loss = run.loss;
    let monotone_from = loss.windows(2).rposition(|w| w[1] > w[0] + LOSS_NOISE * (1.0 + w[0].abs())).map_or(0, |t| t + 1);
    let convergence = match (run.converged, monotone_from) {
        (false, _) => Convergence::None,
        (true, 0) => Convergence::Stable,
        (true, _) => Convergence::Unstable,
    };
    Regimes {
        progressive_sharpening: sharpening(run),
        edge_of_stability: edge_of_stability(run),
        catapult: catapult(loss),
        balance: run.balance,
        monotone_from,
        convergence,
    }
}

fn at_or_above(run: &Run<'_>, i: usize) -> bool {
    run.sharpness[i] >= (run.threshold)(run.sharpness_steps[i])
}

fn edge_of_stability(run: &Run<'_>) -> Vec<[usize; 2]> {
    let mut intervals: Vec<[usize; 2]> = Vec::new();
    let mut previous_above = false;
    for i in 0..run.sharpness.len() {
        let above = at_or_above(run, i);
        let step = run.sharpness_steps[i];
        match intervals.last_mut() {
            Some(last) if above && previous_above => last[1] = step,
            _ if above => intervals.push([step, step]),
            _ => {}
        }
        previous_above = above;
    }
    intervals
}

fn sharpening(run: &Run<'_>) -> Option<Sharpening> {
    let s = run.sharpness;
    let crossing = (0..s.len()).find(|&i| at_or_above(run, i));
    let before = &s[..crossing.unwrap_or(s.len())];
    let low = (0..before.len()).min_by(|&a, &b| before[a].total_cmp(&before[b]))?;
    let high = match crossing {
        Some(c) => c,
        None => (low..s.len()).max_by(|&a, &b| s[a].total_cmp(&s[b]))?,
    };
    (high > low && s[low] > 0.0 && s[high] > s[low] * (1.0 + SHARPENING_RISE)).then(|| Sharpening {
        from: run.sharpness_steps[low],
        to: run.sharpness_steps[high],
        sharpness: [s[low], s[high]],
    })
}

fn catapult(loss: &[f64]) -> Option<Catapult> {
    let start = *loss.first()?;
    let peak = (0..loss.len()).max_by(|&a, &b| loss[a].total_cmp(&loss[b]))?;
    let rose = start > 0.0 && loss[peak] > start + LOSS_NOISE * (1.0 + start.abs());
    (rose && loss[peak..].iter().any(|&l| l < start)).then(|| Catapult { peak_step: peak, peak_ratio: loss[peak] / start })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<'a>(loss: &'a [f64], sharpness: &'a [f64], steps: &'a [usize], converged: bool) -> Regimes {
        label(&Run { loss, sharpness, sharpness_steps: steps, threshold: &|_| 2.0, balance: None, converged })
    }

    #[test]
    fn labels_follow_their_definitions() {
        let r = run(&[4.0, 3.0, 2.0, 1.0], &[0.5, 1.0, 2.1, 1.9, 2.0], &[0, 1, 2, 3, 4], true);
        assert_eq!((r.monotone_from, r.convergence, r.catapult.clone()), (0, Convergence::Stable, None));
        assert_eq!(r.edge_of_stability, vec![[2, 2], [4, 4]]);
        assert_eq!(r.progressive_sharpening, Some(Sharpening { from: 0, to: 2, sharpness: [0.5, 2.1] }));
        let r = run(&[1.0, 5.0, 2.0, 0.5, 0.7, 0.1], &[], &[], true);
        assert_eq!((r.monotone_from, r.convergence), (4, Convergence::Unstable));
        assert_eq!(r.catapult, Some(Catapult { peak_step: 1, peak_ratio: 5.0 }));
        assert!(r.progressive_sharpening.is_none() && r.edge_of_stability.is_empty());
        // A loss that rises and never falls back below its start is no catapult.
        assert_eq!(run(&[1.0, 5.0, 2.0], &[], &[], false).catapult, None);
        // A flat sharpness is no progressive sharpening.
        assert_eq!(run(&[1.0], &[1.0, 1.05, 1.02], &[0, 1, 2], false).progressive_sharpening, None);
    }
}
