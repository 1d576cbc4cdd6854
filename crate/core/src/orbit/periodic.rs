//! The `orbit` spec: a period-p orbit of the GD map G(x) = x − η∇f(x), solved from a start (or
//! from where a GD warm-up leads) by Newton's method on Gᵖ(x) = x ([`super::newton`]), with its
//! multipliers, stability and minimal period (paper 002, Def. 2: p = 2 is a fixed point of the
//! two-step map G∘G; §4.2 and App. L: the double well's 2- and 4-cycles; §6: matrix
//! factorisation's).

use serde::{Deserialize, Serialize};

use super::newton::{minimal_period, multipliers, orbit_jacobian, solve, NewtonOptions, Stop};
use super::sharpness;
use crate::error::{Result, SpecError};
use crate::limits::{MAX_ETA, MAX_PERIOD, MAX_START, ORBIT_MAX_DIM};
use crate::objective::{Objective, ObjectiveSpec};
use crate::optimizer::gd::GdMap;
use crate::validate;

/// Most GD steps of the warm-up.
pub const MAX_WARMUP: usize = 1_000_000;
/// Most Newton steps.
pub const MAX_NEWTON_ITER: usize = 1_000;
/// Smallest and largest accepted relative tolerance on the residual.
pub const TOL_RANGE: (f64, f64) = (1e-15, 1e-3);
/// Most work of one solve, counted as Newton steps × p × n³ (a product of p dense n × n
/// Jacobians per step).
pub const MAX_NEWTON_WORK: u64 = 2_000_000_000;
/// A multiplier whose modulus is within this distance of 1 counts as neutral: the orbit lies in
/// a family of orbits (a set of minimisers or a symmetry), along which GD neither approaches nor
/// leaves it.
pub const NEUTRAL_TOL: f64 = 1e-8;

/// `{"kind": "orbit", "objective": {...}, "eta": 1.1, "period": 2, "start": [1.2]}`: Newton's
/// method on Gᵖ(x) = x from `start`, or from the end of `warmup` GD steps from it. The double
/// well's 2-cycle at η has the multiplier 9 − 2(1 + ημ)², 0.18 at η = 1.1:
///
/// ```
/// use eoslab_core::{parse_json, run, Output};
/// let spec = parse_json(r#"{"kind": "orbit", "eta": 1.1, "period": 2, "start": [1.2]}"#)?;
/// let Output::Orbit(orbit) = run(&spec)? else { unreachable!() };
/// assert!(orbit.converged && orbit.stable && orbit.minimal_period == 2);
/// assert!((orbit.spectral_radius - 0.18).abs() < 1e-9, "{}", orbit.spectral_radius);
/// # Ok::<(), eoslab_core::SpecError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrbitSpec {
    /// The objective (default: the double well with μ = 1), at most
    /// [`ORBIT_MAX_DIM`] parameters (dense Jacobians).
    #[serde(default)]
    pub objective: ObjectiveSpec,
    /// Learning rate η, in (0, [`MAX_ETA`]].
    pub eta: f64,
    /// The period p, 1 to [`MAX_PERIOD`] (default 2).
    #[serde(default = "OrbitSpec::default_period")]
    pub period: usize,
    /// Where GD (or Newton, without warm-up) starts (default: the objective's default start).
    #[serde(default)]
    pub start: Option<Vec<f64>>,
    /// GD steps run from `start` before Newton's method, 0 to [`MAX_WARMUP`] (default 0).
    #[serde(default)]
    pub warmup: usize,
    /// Most Newton steps, 1 to [`MAX_NEWTON_ITER`] (default 100).
    #[serde(default = "OrbitSpec::default_max_iter")]
    pub max_iter: usize,
    /// Converged when ‖Gᵖ(x) − x‖ ≤ tol·(1 + ‖x‖), tol in [10⁻¹⁵, 10⁻³] (default 10⁻¹³).
    #[serde(default = "OrbitSpec::default_tol")]
    pub tol: f64,
    /// Halve a Newton step until the residual decreases (default true); false takes every full
    /// step.
    #[serde(default = "OrbitSpec::default_line_search")]
    pub line_search: bool,
}

impl OrbitSpec {
    fn default_period() -> usize {
        2
    }
    fn default_max_iter() -> usize {
        100
    }
    fn default_tol() -> f64 {
        1e-13
    }
    fn default_line_search() -> bool {
        true
    }
}

/// An eigenvalue re + im·i of the orbit's Jacobian product.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Multiplier {
    /// Real part.
    pub re: f64,
    /// Imaginary part.
    pub im: f64,
}

/// The result of an [`OrbitSpec`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodicOrbit {
    /// The objective, every parameter spelled out.
    pub objective: ObjectiveSpec,
    /// η.
    pub eta: f64,
    /// The period p solved for.
    pub period: usize,
    /// Where Newton's method started (after the warm-up).
    pub start: Vec<f64>,
    /// x₀, G(x₀), …, Gᵖ⁻¹(x₀) at the last Newton iterate x₀.
    pub orbit: Vec<Vec<f64>>,
    /// ‖Gᵖ(x₀) − x₀‖.
    pub residual: f64,
    /// Whether the residual met the tolerance.
    pub converged: bool,
    /// Why Newton's method stopped: `converged`, `max_iter`, `stalled` (no step decreased the
    /// residual) or `diverged` (a full step left the bounded region).
    pub stop: Stop,
    /// Newton steps taken.
    pub iterations: usize,
    /// The smallest d dividing p with x_d = x₀: a period-4 solve that lands on a 2-cycle says 2,
    /// on a fixed point 1.
    pub minimal_period: usize,
    /// The eigenvalues of D(Gᵖ)(x₀) = Π(I − η∇²f(x_i)), by decreasing modulus (for a minimal
    /// period d < p, those of D(G^d) raised to the power p/d).
    pub multipliers: Vec<Multiplier>,
    /// The largest modulus of a multiplier.
    pub spectral_radius: f64,
    /// Every multiplier lies inside the unit circle (by more than [`NEUTRAL_TOL`]): the orbit
    /// attracts GD started near it.
    pub stable: bool,
    /// Multipliers of modulus 1 to within [`NEUTRAL_TOL`]: directions along a family of orbits.
    pub neutral: usize,
    /// f − min f at each orbit point.
    pub loss: Vec<f64>,
    /// The sharpness (largest Hessian eigenvalue) at each orbit point.
    pub sharpness: Vec<f64>,
}

/// Validates and solves.
pub fn run_orbit(spec: &OrbitSpec) -> Result<PeriodicOrbit> {
    let objective = spec.objective.build()?;
    let n = objective.dim();
    if n > ORBIT_MAX_DIM {
        return Err(SpecError::new(
            "objective",
            format!("orbits are solved for objectives of at most {ORBIT_MAX_DIM} parameters (dense Jacobians); this one has {n}"),
        ));
    }
    let eta = validate::learning_rate("eta", spec.eta, MAX_ETA)?;
    let p = validate::count_in("period", spec.period, 1, MAX_PERIOD)?;
    validate::count_in("warmup", spec.warmup, 0, MAX_WARMUP)?;
    validate::count_in("max_iter", spec.max_iter, 1, MAX_NEWTON_ITER)?;
    validate::finite_in("tol", spec.tol, TOL_RANGE.0, TOL_RANGE.1)?;
    let work = validate::work(&[spec.max_iter, p, n, n, n]);
    if work > MAX_NEWTON_WORK {
        return Err(SpecError::new(
            "max_iter",
            format!("the solve could cost {work} operations (max_iter × period × n³); at most {MAX_NEWTON_WORK} are allowed"),
        ));
    }
    let mut start = spec.start.clone().unwrap_or_else(|| objective.default_start());
    validate::point("start", &start, n, MAX_START)?;
    crate::objective::check_defined_at(&objective, "start", &start)?;

    let mut map = GdMap::new(&objective as &dyn Objective, eta);
    if let Err(step) = map.advance(&mut start, spec.warmup) {
        return Err(SpecError::new("warmup", format!("GD from start diverged at step {step} of the warm-up")));
    }
    let options = NewtonOptions { max_iter: spec.max_iter, tol: spec.tol, line_search: spec.line_search };
    let report = solve(&mut map, &start, p, &options).ok_or_else(|| {
        SpecError::new("start", format!("GD from this point leaves the bounded region within {p} steps: no orbit to refine"))
    })?;
    let values = multipliers(&orbit_jacobian(&map, &report.orbit), p == 1)
        .ok_or_else(|| SpecError::whole("the eigenvalues of the orbit's Jacobian product did not converge (Schur decomposition)"))?;
    let spectral_radius = values[0].norm();
    let min = objective.min_value().unwrap_or(0.0);
    Ok(PeriodicOrbit {
        objective: spec.objective.resolved()?,
        eta,
        period: p,
        start,
        minimal_period: minimal_period(&report.orbit),
        multipliers: values.iter().map(|z| Multiplier { re: z.re, im: z.im }).collect(),
        spectral_radius,
        stable: spectral_radius < 1.0 - NEUTRAL_TOL,
        neutral: values.iter().filter(|z| (z.norm() - 1.0).abs() <= NEUTRAL_TOL).count(),
        loss: report.orbit.iter().map(|x| objective.value(x) - min).collect(),
        sharpness: report.orbit.iter().map(|x| sharpness(&objective, x)).collect(),
        orbit: report.orbit,
        residual: report.residual,
        converged: report.stop == Stop::Converged,
        stop: report.stop,
        iterations: report.iterations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(eta: f64, period: usize, start: f64) -> OrbitSpec {
        OrbitSpec {
            objective: ObjectiveSpec::default(),
            eta,
            period,
            start: Some(vec![start]),
            warmup: 0,
            max_iter: 100,
            tol: 1e-13,
            line_search: true,
        }
    }

    #[test]
    fn the_double_wells_two_cycle_with_its_multiplier_and_sharpness() {
        let r = run_orbit(&spec(1.1, 2, 1.2)).unwrap();
        assert!(r.converged && r.stable && r.minimal_period == 2 && r.neutral == 0, "{r:?}");
        let (a, b) = crate::objective::DoubleWell::new(1.0).unwrap().two_cycle(1.1).unwrap();
        assert!((r.orbit[0][0] - a).abs() < 1e-14 && (r.orbit[1][0] - b).abs() < 1e-14);
        let expected = 9.0 - 2.0 * 2.1f64.powi(2);
        assert!((r.multipliers[0].re - expected).abs() < 1e-13 && r.multipliers[0].im == 0.0);
        assert!((r.sharpness[0] - (3.0 * a * a - 1.0)).abs() < 1e-13);
        assert!((r.loss[1] - (b * b - 1.0).powi(2) / 4.0).abs() < 1e-15);
    }

    #[test]
    fn a_fixed_point_has_real_multipliers_and_period_one() {
        let r = run_orbit(&spec(0.3, 1, 0.7)).unwrap();
        assert!(r.converged && r.stable && r.minimal_period == 1);
        assert!((r.orbit[0][0] - 1.0).abs() < 1e-15);
        assert!((r.multipliers[0].re - (1.0 - 0.3 * 2.0)).abs() < 1e-15);
    }

    #[test]
    fn refusals_name_their_field() {
        let field = |s: OrbitSpec| run_orbit(&s).unwrap_err().field;
        let base = spec(1.1, 2, 1.2);
        assert_eq!(field(OrbitSpec { period: 0, ..base.clone() }), "period");
        assert_eq!(field(OrbitSpec { period: MAX_PERIOD + 1, ..base.clone() }), "period");
        assert_eq!(field(OrbitSpec { eta: f64::NAN, ..base.clone() }), "eta");
        assert_eq!(field(OrbitSpec { max_iter: 0, ..base.clone() }), "max_iter");
        assert_eq!(field(OrbitSpec { tol: 1e-16, ..base.clone() }), "tol");
        assert_eq!(field(OrbitSpec { warmup: MAX_WARMUP + 1, ..base.clone() }), "warmup");
        assert_eq!(field(OrbitSpec { start: Some(vec![1.0, 2.0]), ..base.clone() }), "start");
        assert_eq!(field(OrbitSpec { start: Some(vec![1e5]), ..base.clone() }), "start");
        assert_eq!(field(OrbitSpec { eta: 2.5, warmup: 100, start: Some(vec![0.5]), ..base.clone() }), "warmup");
        let mlp = ObjectiveSpec::new("mlp", &[]);
        assert_eq!(field(OrbitSpec { objective: mlp, start: None, ..base }), "objective");
    }
}
