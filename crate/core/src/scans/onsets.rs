//! Period-doubling onsets along a family of GD maps and the ratios of their gaps, which approach
//! Feigenbaum's δ = 4.6692… (paper 002 §4.2 and App. L: the double well's cascade η = 1/μ,
//! (√5 − 1)/μ, … into chaos).
//!
//! The search follows the attracting orbit instead of re-classifying runs of GD, whose convergence
//! slows to a halt at every onset (the multiplier tends to −1):
//! 1. the attractor at the start of the range is found by running GD and refining its orbit by
//!    Newton's method ([`crate::orbit::classify`]);
//! 2. the period-p orbit is continued along the parameter by Newton's method on Gᵖ(x) = x, each
//!    solve started from the previous orbit, with a step that doubles while the orbit stays
//!    attracting (the spectral radius of D(Gᵖ) = Π(I − η∇²f) below 1) and halves when Newton
//!    fails or jumps to another orbit;
//! 3. once a step lands on an unstable orbit, the crossing is bisected down to the tolerance
//!    `tol`; it is a period doubling when the leading multiplier there is real and −1 (to 10⁻³),
//!    else the search stops and says why;
//! 4. just past the onset, GD started next to the now unstable orbit settles on the new period-2p
//!    orbit, which Newton refines; the search goes on from there. The landing point lies a
//!    quarter of the predicted next window (previous gap / δ) past the onset, halved until a
//!    stable 2p-orbit is found.
//!
//! Because the multiplier is computed on a Newton-refined orbit, each onset is located to the
//! bisection tolerance (10⁻¹² by default) plus the rounding of the multiplier, about p·10⁻¹⁶
//! divided by its slope.

use serde::{Deserialize, Serialize};

use crate::error::{Result, SpecError};
use crate::limits::{MAX_START, ORBIT_MAX_DIM};
use crate::objective::{Objective, ObjectiveSpec};
use crate::optimizer::gd::GdMap;
use crate::orbit::{classify, distance, minimal_period, multipliers, norm, orbit_jacobian, refine, Outcome};
use crate::scans::family::{family_scan_spec, Family};
use crate::validate;

/// Feigenbaum's constant δ, the limit of the ratios of successive onset gaps for maps with a
/// quadratic extremum.
pub const FEIGENBAUM_DELTA: f64 = 4.669_201_609_102_99;
/// Most onsets one search looks for (the last followed orbit has period 2^(max_onsets − 1)).
pub const MAX_ONSETS: usize = 10;
/// Smallest and largest accepted bisection tolerance.
pub const TOL_RANGE: (f64, f64) = (1e-14, 1e-6);
/// Most GD steps spent to reach the attractor at the start and to land on each new orbit.
pub const MAX_TRANSIENT: usize = 1_000_000;
/// Size of the initial perturbation off the unstable orbit when landing on the new one,
/// relative to 1 + ‖x‖.
const LANDING_PERTURBATION: f64 = 1e-6;
/// Most halvings of a continuation step or of the landing distance.
const MAX_HALVINGS: usize = 60;

family_scan_spec! {
/// `{"kind": "onsets", "eta_min": 0.5, "eta_max": 1.4}`: the period-doubling onsets of the
/// attractor reached from `start`, along η or along a real parameter of the objective. The
/// double well's first two are 1 and √5 − 1 (paper 002 §4.2):
///
/// ```
/// use eoslab_core::{parse_json, run, Output};
/// let spec = parse_json(r#"{"kind": "onsets", "eta_min": 0.5, "eta_max": 1.4, "max_onsets": 2}"#)?;
/// let Output::Onsets(onsets) = run(&spec)? else { unreachable!() };
/// assert!((onsets.onsets[0].value - 1.0).abs() < 1e-9);
/// assert!((onsets.onsets[1].value - (5f64.sqrt() - 1.0)).abs() < 1e-9);
/// # Ok::<(), eoslab_core::SpecError>(())
/// ```
pub struct OnsetsSpec {
    /// Start of the run whose attractor is followed (default: the objective's default start).
    #[serde(default)]
    pub start: Option<Vec<f64>>,
    /// Most onsets to find, 1 to [`MAX_ONSETS`] (default 8).
    #[serde(default = "OnsetsSpec::default_max_onsets")]
    pub max_onsets: usize,
    /// Bisection tolerance on the parameter, in [10⁻¹⁴, 10⁻⁶] (default 10⁻¹²).
    #[serde(default = "OnsetsSpec::default_tol")]
    pub tol: f64,
    /// GD steps run before the attractor at the start is classified, and before each landing on
    /// a new orbit, 1 to [`MAX_TRANSIENT`] (default 100,000).
    #[serde(default = "OnsetsSpec::default_transient")]
    pub transient: usize,
}
}

impl OnsetsSpec {
    fn default_max_onsets() -> usize {
        8
    }
    fn default_tol() -> f64 {
        1e-12
    }
    fn default_transient() -> usize {
        100_000
    }
}

/// One period-doubling onset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Onset {
    /// The parameter value at which the period-`period` orbit loses stability (the middle of the
    /// final bisection bracket).
    pub value: f64,
    /// Half the width of the final bracket: the onset lies within `value ± uncertainty`.
    pub uncertainty: f64,
    /// The period before the onset; the attractor has twice this period after it.
    pub period: usize,
}

/// The result of an [`OnsetsSpec`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Onsets {
    /// The objective, every parameter spelled out.
    pub objective: ObjectiveSpec,
    /// `eta` or the objective parameter searched along.
    pub parameter: String,
    /// The fixed η of a parameter search (null for an η search).
    pub eta: Option<f64>,
    /// The onsets found, in increasing order.
    pub onsets: Vec<Onset>,
    /// (value_k − value_{k−1}) / (value_{k+1} − value_k) for k = 2, …: they approach
    /// [`FEIGENBAUM_DELTA`].
    pub ratios: Vec<f64>,
    /// Why the search stopped.
    pub ended: String,
}

/// An orbit of the family at one parameter value.
#[derive(Debug, Clone)]
struct Branch {
    value: f64,
    orbit: Vec<Vec<f64>>,
    /// The eigenvalue of D(Gᵖ) of largest modulus, as (re, im).
    leading: (f64, f64),
}

impl Branch {
    fn period(&self) -> usize {
        self.orbit.len()
    }
    fn stable(&self) -> bool {
        self.leading.0.hypot(self.leading.1) < 1.0
    }
}

/// Continues, bisects and lands along one family.
struct Search<'a> {
    family: &'a Family,
    tol: f64,
    transient: usize,
}

/// How a search along one orbit ended.
enum Step {
    Found(Branch, Branch),
    Ended(String),
}

impl Search<'_> {
    /// The period-p orbit through a point near `z` at `value`, refined by Newton, if Newton
    /// converges to an orbit of minimal period p.
    fn orbit_at(&self, value: f64, z: &[f64], p: usize) -> Result<Option<Branch>> {
        let member = self.family.member(value)?;
        let mut map = GdMap::new(member.objective() as &dyn Objective, member.eta);
        let Some(orbit) = refine(&mut map, z, p) else {
            return Ok(None);
        };
        if minimal_period(&orbit) != p {
            return Ok(None);
        }
        let Some(leading) = multipliers(&orbit_jacobian(&map, &orbit), false).map(|m| (m[0].re, m[0].im)) else {
            return Ok(None);
        };
        Ok(Some(Branch { value, orbit, leading }))
    }

    /// Follows the attracting orbit `from` up to `max` until it loses stability; returns the
    /// last attracting and the first unstable orbit found.
    fn bracket(&self, from: Branch, mut h: f64, max: f64) -> Result<Step> {
        let mut a = from;
        let p = a.period();
        let mut halvings = 0;
        while a.value < max {
            let value = (a.value + h).min(max);
            let next = self.orbit_at(value, &a.orbit[0], p)?;
            match next {
                Some(b) if distance(&a.orbit[0], &b.orbit[0]) <= 0.1 * (1.0 + norm(&a.orbit[0])) => {
                    if !b.stable() {
                        return Ok(Step::Found(a, b));
                    }
                    a = b;
                    h *= 2.0;
                    halvings = 0;
                }
                _ => {
                    h /= 2.0;
                    halvings += 1;
                    if halvings > MAX_HALVINGS || h < self.tol {
                        return Ok(Step::Ended(format!("the continuation of the period-{p} orbit failed near {}", a.value)));
                    }
                }
            }
        }
        Ok(Step::Ended(format!("reached the end of the range at {max} on the period-{p} orbit")))
    }

    /// Narrows the bracket [a, b] (a attracting, b not) to the tolerance.
    fn bisect(&self, mut a: Branch, mut b: Branch) -> Result<Step> {
        let p = a.period();
        while b.value - a.value > self.tol {
            let mid = 0.5 * (a.value + b.value);
            if mid <= a.value || mid >= b.value {
                break;
            }
            match self.orbit_at(mid, &a.orbit[0], p)? {
                Some(c) if c.stable() => a = c,
                Some(c) => b = c,
                None => return Ok(Step::Ended(format!("Newton's method lost the period-{p} orbit at {mid}"))),
            }
        }
        Ok(Step::Found(a, b))
    }

    /// The attracting period-2p orbit a little past the onset where the p-orbit `past` (just
    /// unstable) was born unstable: GD from next to it, then Newton, at `past.value + delta`,
    /// halving delta until an attracting 2p-orbit is found.
    fn land(&self, past: &Branch, mut delta: f64, max: f64) -> Result<Option<Branch>> {
        let p2 = 2 * past.period();
        let z = &past.orbit[0];
        let kick = LANDING_PERTURBATION * (1.0 + norm(z));
        for _ in 0..MAX_HALVINGS {
            let value = past.value + delta;
            delta /= 2.0;
            if value >= max {
                continue;
            }
            let member = self.family.member(value)?;
            let mut map = GdMap::new(member.objective() as &dyn Objective, member.eta);
            let mut x: Vec<f64> = z.iter().map(|v| v + kick).collect();
            if map.advance(&mut x, self.transient).is_err() {
                continue;
            }
            if let Some(branch) = self.orbit_at(value, &x, p2)? {
                if branch.stable() {
                    return Ok(Some(branch));
                }
            }
        }
        Ok(None)
    }
}

/// Runs the search.
pub fn run_onsets(spec: &OnsetsSpec) -> Result<Onsets> {
    let (family, grid) = Family::with_grid(&spec.objective, &spec.grid_fields(), crate::scans::bifurcation::MAX_ETAS)?;
    let (min_field, n_field) = if spec.parameter.is_some() { ("parameter.min", "parameter.n") } else { ("eta_min", "n_eta") };
    if grid.len() < 2 {
        return Err(SpecError::new(n_field, "must be at least 2: the search needs a range"));
    }
    let objective = family.base();
    if objective.dim() > ORBIT_MAX_DIM {
        return Err(SpecError::new(
            "objective",
            format!(
                "onsets are searched for objectives of at most {ORBIT_MAX_DIM} parameters (dense Jacobians); this one has {}",
                objective.dim()
            ),
        ));
    }
    validate::count_in("max_onsets", spec.max_onsets, 1, MAX_ONSETS)?;
    validate::finite_in("tol", spec.tol, TOL_RANGE.0, TOL_RANGE.1)?;
    validate::count_in("transient", spec.transient, 1, MAX_TRANSIENT)?;
    let start = spec.start.clone().unwrap_or_else(|| objective.default_start());
    validate::point("start", &start, objective.dim(), MAX_START)?;
    crate::objective::check_defined_at(objective, "start", &start)?;

    let (min, max) = (grid[0], grid[grid.len() - 1]);
    let search = Search { family: &family, tol: spec.tol, transient: spec.transient };
    let member = family.member(min)?;
    let mut map = GdMap::new(member.objective() as &dyn Objective, member.eta);
    let mut x = start;
    let initial = match map.advance(&mut x, spec.transient) {
        Err(step) => Outcome::Diverged { step },
        Ok(()) => classify(&mut map, &x, spec.transient, spec.transient),
    };
    let Outcome::Periodic { period, orbit, .. } = initial else {
        return Err(SpecError::new(
            min_field,
            format!("GD from start at {min} does not settle on an attracting orbit ({}); start the search where it does", initial.label()),
        ));
    };
    let mut current = search
        .orbit_at(min, &orbit[0], period)?
        .ok_or_else(|| SpecError::new(min_field, format!("the period-{period} orbit at {min} could not be refined")))?;

    let mut onsets: Vec<Onset> = Vec::new();
    let mut h = (max - min) / (grid.len() - 1) as f64;
    let ended = loop {
        if !current.stable() {
            let (re, im) = current.leading;
            break format!(
                "the period-{} orbit at {} is not an isolated attracting orbit (leading multiplier {re} + {im}i; a set of minimisers has multiplier 1): onsets are followed along isolated orbits only",
                current.period(),
                current.value
            );
        }
        let (a, b) = match search.bracket(current, h, max)? {
            Step::Found(a, b) => match search.bisect(a, b)? {
                Step::Found(a, b) => (a, b),
                Step::Ended(why) => break why,
            },
            Step::Ended(why) => break why,
        };
        let (re, im) = b.leading;
        if !((re + 1.0).abs() < 1e-3 && im.abs() < 1e-3) {
            break format!(
                "the period-{} orbit loses stability at {} with leading multiplier {re} + {im}i: not a period doubling",
                a.period(),
                b.value
            );
        }
        let value = 0.5 * (a.value + b.value);
        onsets.push(Onset { value, uncertainty: 0.5 * (b.value - a.value), period: a.period() });
        if onsets.len() == spec.max_onsets {
            break format!("found max_onsets = {} onsets", spec.max_onsets);
        }
        // A quarter of the next window, predicted from the last gap (or the distance from the
        // start for the first onset).
        let previous = onsets.iter().rev().nth(1).map_or(min, |o| o.value);
        let delta = (value - previous) / FEIGENBAUM_DELTA / 4.0;
        match search.land(&b, delta, max)? {
            Some(branch) => {
                h = (branch.value - value).max(spec.tol);
                current = branch;
            }
            None => break format!("no attracting period-{} orbit was found past the onset at {value}", 2 * a.period()),
        }
    };
    let ratios = onsets.windows(3).map(|w| (w[1].value - w[0].value) / (w[2].value - w[1].value)).collect();
    Ok(Onsets {
        objective: spec.objective.resolved()?,
        parameter: family.parameter().to_string(),
        eta: family.fixed_eta(),
        onsets,
        ratios,
        ended,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(eta_min: f64, eta_max: f64) -> OnsetsSpec {
        OnsetsSpec {
            objective: ObjectiveSpec::default(),
            eta_min: Some(eta_min),
            eta_max: Some(eta_max),
            n_eta: None,
            parameter: None,
            eta: None,
            start: None,
            max_onsets: 8,
            tol: 1e-12,
            transient: 100_000,
        }
    }

    #[test]
    fn the_double_wells_first_onsets_are_the_closed_forms() {
        let result = run_onsets(&spec(0.5, 1.4)).unwrap();
        let o = &result.onsets;
        assert!(o.len() >= 4, "{result:?}");
        assert!((o[0].value - 1.0).abs() < 1e-10, "{}", o[0].value);
        assert!((o[1].value - (5f64.sqrt() - 1.0)).abs() < 1e-10, "{}", o[1].value);
        assert_eq!(o.iter().map(|x| x.period).collect::<Vec<_>>()[..4], [1, 2, 4, 8]);
        let last = result.ratios.last().unwrap();
        assert!((last / FEIGENBAUM_DELTA - 1.0).abs() < 1e-3, "{:?}", result.ratios);
    }

    #[test]
    fn refusals_name_their_field() {
        let field = |s: OnsetsSpec| run_onsets(&s).err().unwrap().field;
        assert_eq!(field(OnsetsSpec { max_onsets: 0, ..spec(0.5, 1.4) }), "max_onsets");
        assert_eq!(field(OnsetsSpec { max_onsets: 11, ..spec(0.5, 1.4) }), "max_onsets");
        assert_eq!(field(OnsetsSpec { tol: 1e-16, ..spec(0.5, 1.4) }), "tol");
        assert_eq!(field(OnsetsSpec { transient: 0, ..spec(0.5, 1.4) }), "transient");
        assert_eq!(field(OnsetsSpec { start: Some(vec![]), ..spec(0.5, 1.4) }), "start");
        assert_eq!(field(OnsetsSpec { n_eta: Some(1), ..spec(0.5, 1.4) }), "n_eta");
        assert_eq!(field(spec(1.4, 0.5)), "eta_max");
        // Beyond 2/μ GD diverges from the start: there is no attractor to follow.
        assert_eq!(field(spec(2.1, 2.4)), "eta_min");
        assert_eq!(field(OnsetsSpec { objective: ObjectiveSpec::new("mlp", &[]), ..spec(0.1, 0.2) }), "objective");
    }

    #[test]
    fn a_set_of_minimisers_ends_the_search_with_a_reason() {
        // Matrix factorisation converges to a set of minimisers (XYᵀ = A is invariant under
        // X → XR, Y → YR⁻ᵀ): its limit has multiplier 1 and is not an isolated orbit.
        let mf = ObjectiveSpec::new(
            "matrix_factorization",
            &[("n", crate::objective::ParamValue::Number(2.0)), ("r", crate::objective::ParamValue::Number(2.0))],
        );
        let result = run_onsets(&OnsetsSpec { objective: mf, ..spec(0.3, 1.5) }).unwrap();
        assert!(result.onsets.is_empty() && result.ended.contains("isolated"), "{}", result.ended);
    }
}
