//! Period-p orbits of the GD map G(x) = x − η∇f(x), and what a GD run settles into.
//!
//! * [`newton`](solve): Newton's method on Gᵖ(x) = x with exact Jacobians, and the multipliers;
//! * [`periodic`](run_orbit): the `orbit` spec kind built on it;
//! * [`Flip`]: the 2-cycle born where a 1-D minimum loses stability (paper 002 Thm 1, Prop. 1);
//! * [`classify`] (this module): a run ends on a period-p orbit (p = 1 is convergence), a bounded
//!   non-periodic motion ("chaotic"), or divergence at a given step.
//!
//! A period-p orbit is a fixed point of the p-step map Gᵖ (Chen & Bruna, paper 002, Def. 2 for
//! p = 2). The tail of the run is only a candidate: each candidate is refined by Newton's method on
//! Gᵖ(x) − x = 0, whose Jacobian is the product of the one-step Jacobians I − η∇²f along the orbit,
//! and accepted only when the refined orbit is attracting (spectral radius of that product below 1)
//! and the run's tail lies close to it. The orbit is then exact to rounding, not to how long the
//! run happened to be.

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use crate::limits::MAX_PERIOD;
use crate::objective::Objective;
use crate::optimizer::gd::GdMap;
use crate::spectrum::{dense_top_k, HessianOperator};

pub mod flip;
pub mod newton;
pub mod period;
pub mod periodic;

pub use flip::Flip;
pub use newton::{
    minimal_period, multipliers, solve, NewtonOptions, NewtonReport, Stop, DEFLATION_ULPS, MAX_HALVINGS, RANK_TOL, SCHUR_MAX_ITER,
};
pub(crate) use newton::{orbit_jacobian, refine};
pub use period::{distance, norm, Repeat};
pub use periodic::{run_orbit, Multiplier, OrbitSpec, PeriodicOrbit};

/// How far above 1 a multiplier may be, from rounding, and still count as neutral (the multiplier
/// along a set of minimisers is exactly 1).
const NEUTRAL_TOLERANCE: f64 = 1e-9;

/// How a run ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Settles on an attracting period-`period` orbit (period 1: converges to a point).
    Periodic {
        /// Minimal period p.
        period: usize,
        /// The orbit's p points, refined by Newton's method, in the order GD visits them.
        orbit: Vec<Vec<f64>>,
        /// Sharpness (largest Hessian eigenvalue) at each orbit point.
        orbit_sharpness: Vec<f64>,
        /// Spectral radius of D(Gᵖ) on the orbit: below 1 for an isolated attracting orbit, 1 (to
        /// rounding) on a set of minimisers, where GD is neutral along the set.
        multiplier: f64,
    },
    /// Stays bounded but no attracting orbit of period ≤ [`MAX_PERIOD`] was found.
    Chaotic,
    /// Not classified: the objective has more than [`crate::limits::ORBIT_MAX_DIM`]
    /// parameters, beyond which the dense Newton refinement is not attempted.
    NotClassified,
    /// Left the bounded region ([`crate::limits::DIVERGENCE_RADIUS`]) at this step.
    Diverged {
        /// 1-based index of the first diverged iterate.
        step: usize,
    },
}

impl Outcome {
    /// A short label: "1", "2", …, "chaotic", "not classified", or "diverged at step k".
    pub fn label(&self) -> String {
        match self {
            Outcome::Periodic { period, .. } => period.to_string(),
            Outcome::Chaotic => "chaotic".into(),
            Outcome::NotClassified => "not classified".into(),
            Outcome::Diverged { step } => format!("diverged at step {step}"),
        }
    }
}

/// Classifies the attractor reached from `x`, which is the iterate after `steps_done` steps; runs
/// at most `budget` further steps. Checks for an orbit after 64, 128, 256, … further steps.
pub fn classify(map: &mut GdMap<'_>, x: &[f64], steps_done: usize, budget: usize) -> Outcome {
    let mut z = x.to_vec();
    let mut done = 0;
    let mut next_check = 0;
    loop {
        if done >= next_check {
            if let Some(found) = find_attracting_orbit(map, &z) {
                return found;
            }
            next_check = if next_check == 0 { 64 } else { 2 * next_check };
        }
        if done >= budget {
            return Outcome::Chaotic;
        }
        let chunk = next_check.min(budget) - done;
        if let Err(k) = map.advance(&mut z, chunk) {
            return Outcome::Diverged { step: steps_done + done + k };
        }
        done += chunk;
    }
}

/// Looks for an attracting orbit of smallest period near `z`, in two ways:
/// * the tail already repeats with period p to rounding (‖Gᵖ(z) − z‖ ≤ 10⁻¹²·(1 + ‖z‖)): it is
///   accepted as it is. This also covers convergence to a set of minimisers, where the multiplier
///   is exactly 1 along the set and Newton's equation is singular;
/// * else the smallest p whose return distance is below 10⁻³·(1 + ‖z‖) is refined by Newton and
///   accepted if attracting. One Newton attempt per check keeps a slowly converging or chaotic
///   run from costing 64 refinements at every check.
fn find_attracting_orbit(map: &mut GdMap<'_>, z: &[f64]) -> Option<Outcome> {
    let scale = 1.0 + norm(z);
    let mut tail = vec![z.to_vec()];
    let mut y = z.to_vec();
    for _ in 0..MAX_PERIOD {
        if map.advance(&mut y, 1).is_err() {
            return None;
        }
        tail.push(y.clone());
    }
    let returns_within = |tol: f64| {
        let repeat = Repeat { distance: |a: &&[f64], b: &&[f64]| distance(a, b), tolerance: |_: &&[f64]| tol * scale };
        repeat.smallest_period(1..=MAX_PERIOD, |_| 1, |i| tail[i].as_slice())
    };
    if let Some(p) = returns_within(1e-12) {
        tail.truncate(p);
        // A run started exactly on a repelling orbit sits on it until rounding pushes it off:
        // only attracting or neutral orbits (multiplier ≤ 1, to rounding) are where it ends up.
        return Some(periodic(map, tail))
            .filter(|o| matches!(o, Outcome::Periodic { multiplier, .. } if *multiplier <= 1.0 + NEUTRAL_TOLERANCE));
    }
    let p = returns_within(1e-3)?;
    let orbit = refine(map, z, p)?;
    let near = distance(&orbit[0], z) <= 1e-3 * scale;
    (near && minimal_period(&orbit) == p)
        .then(|| periodic(map, orbit))
        .filter(|o| matches!(o, Outcome::Periodic { multiplier, .. } if *multiplier < 1.0))
}

/// The sharpness at a bounded point, from the dense estimator (NaN if the Hessian is not finite).
pub(crate) fn sharpness(objective: &dyn Objective, x: &[f64]) -> f64 {
    HessianOperator::new(objective, x).and_then(|h| dense_top_k(&h, 1)).map_or(f64::NAN, |r| r.eigenvalues[0])
}

/// The outcome for a periodic orbit: its sharpness at each point and its multiplier.
fn periodic(map: &GdMap<'_>, orbit: Vec<Vec<f64>>) -> Outcome {
    let multiplier = spectral_radius(&orbit_jacobian(map, &orbit), orbit.len() == 1);
    let orbit_sharpness = orbit.iter().map(|x| sharpness(map.objective(), x)).collect();
    Outcome::Periodic { period: orbit.len(), orbit, orbit_sharpness, multiplier }
}

/// The spectral radius of D(Gᵖ) = `m`, from its [`multipliers`], or the largest singular value
/// (an upper bound) when the Schur decomposition does not converge.
fn spectral_radius(m: &DMatrix<f64>, symmetric: bool) -> f64 {
    multipliers(m, symmetric).map_or_else(|| m.singular_values().max(), |values| values[0].norm())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::DoubleWell;

    fn outcome(eta: f64, x0: f64) -> Outcome {
        let f = DoubleWell::new(1.0).unwrap();
        let mut map = GdMap::new(&f as &dyn crate::objective::Objective, eta);
        classify(&mut map, &[x0], 0, 100_000)
    }

    fn period(eta: f64) -> Option<usize> {
        match outcome(eta, 0.5) {
            Outcome::Periodic { period, .. } => Some(period),
            _ => None,
        }
    }

    #[test]
    fn converges_with_period_one_below_the_first_doubling() {
        match outcome(0.5, 0.5) {
            Outcome::Periodic { period: 1, orbit, orbit_sharpness, multiplier } => {
                assert!((orbit[0][0] - 1.0).abs() < 1e-15);
                assert!((orbit_sharpness[0] - 2.0).abs() < 1e-13);
                assert!((multiplier - 0.0).abs() < 1e-13, "1 − η·2μ = 0 at η = 0.5");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn period_two_just_above_one_over_mu_and_four_just_above_sqrt5_minus_1() {
        assert_eq!(period(0.999), Some(1));
        assert_eq!(period(1.001), Some(2));
        assert_eq!(period(1.1), Some(2));
        let onset = 5f64.sqrt() - 1.0;
        assert_eq!(period(onset - 1e-3), Some(2));
        assert_eq!(period(onset + 1e-3), Some(4));
    }

    #[test]
    fn period_two_orbit_equals_the_closed_form() {
        let f = DoubleWell::new(1.0).unwrap();
        for eta in [1.05, 1.1, 1.2] {
            let (a, b) = f.two_cycle(eta).unwrap();
            match outcome(eta, 0.5) {
                Outcome::Periodic { period: 2, orbit, multiplier, .. } => {
                    let mut pts = [orbit[0][0], orbit[1][0]];
                    pts.sort_by(|x, y| y.total_cmp(x));
                    assert!((pts[0] - a).abs() < 1e-12 && (pts[1] - b).abs() < 1e-12, "{pts:?}");
                    let expected = 9.0 - 2.0 * (1.0 + eta).powi(2);
                    assert!((multiplier - expected.abs()).abs() < 1e-10);
                }
                other => panic!("eta {eta}: {other:?}"),
            }
        }
    }

    #[test]
    fn diverges_beyond_two_over_mu_with_its_step() {
        match outcome(2.1, 0.5) {
            Outcome::Diverged { step } => assert!(step > 1, "step {step}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_run_started_on_a_repelling_orbit_is_not_labelled_with_it() {
        // ±√(μ + 2/η) is a 2-cycle for every η, always repelling (multiplier (5 + 2ημ)²): started
        // on it, GD stays until rounding pushes it off, then settles elsewhere.
        let eta: f64 = 0.5;
        let start = (1.0 + 2.0 / eta).sqrt();
        match outcome(eta, start) {
            Outcome::Periodic { period, .. } => assert_eq!(period, 1, "it must end at a minimum, not on the 2-cycle"),
            other => assert!(matches!(other, Outcome::Diverged { .. }), "{other:?}"),
        }
    }

    #[test]
    fn chaos_between_the_accumulation_point_and_divergence() {
        // η = 1.9 (μ = 1) lies past the period-doubling cascade and below the boundary η = 2.
        assert_eq!(outcome(1.9, 0.5), Outcome::Chaotic);
    }
}
