//! Bifurcation scans: for each learning rate on a grid, GD from several starts is run through a
//! transient and then the attractor is sampled (the period-doubling route to chaos of the double
//! well, paper 002 §4.2 and Appendix L; Figure 2 for matrix factorisation).

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::error::{Result, SpecError};
use crate::limits::{MAX_PERIOD, MAX_START};
use crate::objective::{AnyObjective, DoubleWell, Objective, ObjectiveSpec};
use crate::optimizer::gd::{within_radius, GdMap};
use crate::orbit::Repeat;
use crate::scans::chunks;
use crate::scans::family::{family_scan_spec, Family};
use crate::scans::observable::{LogProduct, Observable};
use crate::scans::vectorise::{with_wide_vectors, Kernel};
use crate::validate;

/// Most learning rates in one scan.
pub const MAX_ETAS: usize = 10_000;
/// Most start points in one scan.
pub const MAX_STARTS: usize = 16;
/// Most transient steps per run.
pub const MAX_TRANSIENT: usize = 100_000;
/// Most recorded samples per run.
pub const MAX_RECORD: usize = 4_096;
/// Most GD steps in one scan (learning rates × starts × (transient + record)).
pub const MAX_SCAN_STEPS: u64 = 500_000_000;
/// Most recorded samples in one scan (learning rates × starts × record).
pub const MAX_SCAN_SAMPLES: u64 = 20_000_000;
/// Most work on sharpness samples (samples × n³ for a dense n × n eigendecomposition each) in one
/// scan of an objective with n > 1 parameters.
pub const MAX_SHARPNESS_WORK: u64 = 10_000_000_000;

/// Columns handed to one worker thread at a time by [`BifurcationScan::scan_parallel`].
pub const PARALLEL_COLUMNS: usize = 16;

/// Runs interleaved by the double well's fast path: independent recurrences in flight at once,
/// so that the latency of each step's dependent chain is hidden by the others.
pub const LANES: usize = 8;

family_scan_spec! {
/// A scan over η: `{"kind": "bifurcation", "objective": {...}, "eta_min": 0.05, "eta_max": 2.1,
/// "n_eta": 2000, "transient": 1000, "record": 256, "starts": [[0.5], [-0.5]]}`; or over a real
/// parameter of the objective at a fixed η: `"parameter": {"name": "mu", "min": 0.5, "max": 2,
/// "n": 400}, "eta": 0.9`. The double well's attractor is a point up to η = 1/μ, then a 2-cycle up
/// to (√5 − 1)/μ (paper 002 §4.2):
///
/// ```
/// use eoslab_core::{parse_json, run, Output};
/// let spec = parse_json(r#"{"kind": "bifurcation", "eta_min": 0.55, "eta_max": 1.15, "n_eta": 7, "record": 16}"#)?;
/// let Output::Bifurcation(scan) = run(&spec)? else { unreachable!() };
/// let periods: Vec<Option<usize>> = scan.runs.iter().map(|starts| starts[0].period).collect();
/// assert_eq!(periods, [1, 1, 1, 1, 1, 2, 2].map(Some));
/// # Ok::<(), eoslab_core::SpecError>(())
/// ```
pub struct BifurcationSpec {
    /// Steps discarded before recording, 0 to [`MAX_TRANSIENT`] (default 1000).
    #[serde(default = "BifurcationSpec::default_transient")]
    pub transient: usize,
    /// Samples recorded per run, 1 to [`MAX_RECORD`] (default 256).
    #[serde(default = "BifurcationSpec::default_record")]
    pub record: usize,
    /// Start points, 1 to [`MAX_STARTS`] (default: the objective's default start x₀ and −x₀; for
    /// the double well one start in each well).
    #[serde(default)]
    pub starts: Option<Vec<Vec<f64>>>,
    /// What is recorded of each iterate (default: coordinate 0).
    #[serde(default, deserialize_with = "crate::scans::observable::deserialize")]
    pub observable: Observable,
}
}

impl BifurcationSpec {
    fn default_transient() -> usize {
        1000
    }
    fn default_record() -> usize {
        256
    }

    /// An η scan of the double well (μ = 1) over `n_eta` values from `eta_min` to `eta_max`,
    /// every other field at its default.
    pub fn over_eta(eta_min: f64, eta_max: f64, n_eta: usize) -> Self {
        Self {
            objective: ObjectiveSpec::default(),
            eta_min: Some(eta_min),
            eta_max: Some(eta_max),
            n_eta: Some(n_eta),
            parameter: None,
            eta: None,
            transient: Self::default_transient(),
            record: Self::default_record(),
            starts: None,
            observable: Observable::default(),
        }
    }
}

/// One run of a scan: a value of the scanned parameter and a start point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanRun {
    /// The observable at the `record` iterates after the transient; empty if the run diverged.
    pub samples: Vec<f64>,
    /// Smallest p ≤ [`MAX_PERIOD`] with `samples[i + p] = samples[i]` to 1e-9 relative, if any.
    pub period: Option<usize>,
    /// The step (1-based, counting the transient) at which the run diverged, if it did.
    pub diverged_at: Option<usize>,
    /// The largest Lyapunov exponent of the GD map over the recorded window: the mean of
    /// log‖DG(x_t)v_t‖ for a tangent vector v_t renormalised every step (exact Jacobian-vector
    /// products DG·v = v − η∇²f·v). Negative on an attracting orbit, positive in chaos; null when
    /// the run diverged or the tangent vector vanished (a superstable orbit: −∞).
    pub lyapunov: Option<f64>,
}

/// The result of a [`BifurcationSpec`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bifurcation {
    /// The objective scanned, every parameter spelled out (the scanned one at its default).
    pub objective: ObjectiveSpec,
    /// The scanned parameter: `eta` or the objective parameter's name.
    pub parameter: String,
    /// The grid of the scanned parameter.
    pub values: Vec<f64>,
    /// η of each grid value (the grid itself for an η scan).
    pub eta: Vec<f64>,
    /// The start points.
    pub starts: Vec<Vec<f64>>,
    /// What the samples are.
    pub observable: Observable,
    /// `runs[i][s]`: grid value `values[i]`, start `starts[s]`.
    pub runs: Vec<Vec<ScanRun>>,
}

/// A validated scan, prepared once, whose columns (grid values) can be computed in chunks: a Web
/// Worker streams `scan(i..j)` for successive ranges and the page draws each as it arrives.
pub struct BifurcationScan {
    family: Family,
    objective: ObjectiveSpec,
    values: Vec<f64>,
    starts: Vec<Vec<f64>>,
    transient: usize,
    record: usize,
    observable: Observable,
}

impl BifurcationScan {
    /// Validates the spec against the documented limits and prepares the scan.
    pub fn new(spec: &BifurcationSpec) -> Result<Self> {
        let (family, values) = Family::with_grid(&spec.objective, &spec.grid_fields(), MAX_ETAS)?;
        let objective = family.base();
        validate::count_in("transient", spec.transient, 0, MAX_TRANSIENT)?;
        validate::count_in("record", spec.record, 1, MAX_RECORD)?;
        let starts = spec.starts.clone().unwrap_or_else(|| {
            let x0 = objective.default_start();
            let minus = x0.iter().map(|v| -v).collect();
            vec![x0, minus]
        });
        validate::count_in("starts", starts.len(), 1, MAX_STARTS)?;
        for (s, x) in starts.iter().enumerate() {
            validate::point(&format!("starts[{s}]"), x, objective.dim(), MAX_START)?;
            crate::objective::check_defined_at(objective, &format!("starts[{s}]"), x)?;
        }
        spec.observable.validate(objective, "observable")?;
        let grid_field = if spec.parameter.is_some() { "parameter.n" } else { "n_eta" };
        let runs = values.len() * starts.len();
        if validate::work(&[runs, spec.transient + spec.record]) > MAX_SCAN_STEPS {
            return Err(SpecError::new(
                grid_field,
                format!(
                    "the scan would take {} GD steps (grid values × starts × (transient + record)); at most {MAX_SCAN_STEPS} are allowed",
                    validate::work(&[runs, spec.transient + spec.record])
                ),
            ));
        }
        if validate::work(&[runs, spec.record]) > MAX_SCAN_SAMPLES {
            return Err(SpecError::new(
                "record",
                format!(
                    "the scan would record {} samples (grid values × starts × record); at most {MAX_SCAN_SAMPLES} are allowed",
                    validate::work(&[runs, spec.record])
                ),
            ));
        }
        let n = objective.dim();
        if spec.observable == Observable::Sharpness && n > 1 && validate::work(&[runs, spec.record, n, n, n]) > MAX_SHARPNESS_WORK {
            return Err(SpecError::new(
                "record",
                format!(
                    "sampling the sharpness of {n} parameters {} times costs about {} operations (samples × n³); at most {MAX_SHARPNESS_WORK} are allowed",
                    validate::work(&[runs, spec.record]),
                    validate::work(&[runs, spec.record, n, n, n])
                ),
            ));
        }
        Ok(Self {
            objective: spec.objective.resolved()?,
            family,
            values,
            starts,
            transient: spec.transient,
            record: spec.record,
            observable: spec.observable.clone(),
        })
    }

    /// The grid of the scanned parameter; column i of the scan is `values()[i]`.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The runs of the columns in `columns` (a sub-range of `0..values().len()`), in order.
    pub fn scan(&self, columns: Range<usize>) -> Result<Vec<Vec<ScanRun>>> {
        chunks::check("columns", &columns, self.values.len())?;
        let starts = self.starts.len();
        let flat = match self.double_well_cells(columns.clone())? {
            Some(cells) => with_wide_vectors(WellLanes { cells: &cells, scan: self }),
            None => {
                let mut flat = Vec::with_capacity(columns.len() * starts);
                for i in columns {
                    let member = self.family.member(self.values[i])?;
                    let mut map = GdMap::new(member.objective(), member.eta);
                    for x0 in &self.starts {
                        flat.push(scan_run(&mut map, x0, self.transient, self.record, &self.observable));
                    }
                }
                flat
            }
        };
        let mut runs = flat.into_iter();
        Ok((0..runs.len() / starts).map(|_| runs.by_ref().take(starts).collect()).collect())
    }

    /// [`BifurcationScan::scan`] on all cores with the `parallel` feature ([`PARALLEL_COLUMNS`]
    /// columns per task), else on the calling thread. The result is identical whatever the number
    /// of threads: every run is computed alone, in the same way.
    pub fn scan_parallel(&self, columns: Range<usize>) -> Result<Vec<Vec<ScanRun>>> {
        chunks::check("columns", &columns, self.values.len())?;
        Ok(chunks::map_parallel(columns, PARALLEL_COLUMNS, |c| self.scan(c))?.into_iter().flatten().collect())
    }

    /// The result, from the runs of every column in order.
    pub fn finish(self, runs: Vec<Vec<ScanRun>>) -> Result<Bifurcation> {
        if runs.len() != self.values.len() {
            return Err(SpecError::new("columns", format!("{} columns given for a grid of {}", runs.len(), self.values.len())));
        }
        let eta = match self.family.fixed_eta() {
            None => self.values.clone(),
            Some(eta) => vec![eta; self.values.len()],
        };
        Ok(Bifurcation {
            objective: self.objective,
            parameter: self.family.parameter().to_string(),
            values: self.values,
            eta,
            starts: self.starts,
            observable: self.observable,
            runs,
        })
    }

    /// The runs of `columns` for the double well's fast path, or `None` for other objectives.
    fn double_well_cells(&self, columns: Range<usize>) -> Result<Option<Vec<WellCell>>> {
        if !matches!(self.family.base(), AnyObjective::DoubleWell(_)) {
            return Ok(None);
        }
        let mut cells = Vec::with_capacity(columns.len() * self.starts.len());
        for i in columns {
            let member = self.family.member(self.values[i])?;
            let AnyObjective::DoubleWell(well) = member.objective() else {
                return Ok(None);
            };
            cells.extend(self.starts.iter().map(|x0| WellCell { well: *well, eta: member.eta, x0: x0[0] }));
        }
        Ok(Some(cells))
    }
}

/// Runs the scan. Deterministic: the same spec gives the same numbers everywhere.
pub fn run_bifurcation(spec: &BifurcationSpec) -> Result<Bifurcation> {
    let scan = BifurcationScan::new(spec)?;
    let runs = scan.scan(0..scan.values().len())?;
    scan.finish(runs)
}

/// The runs that diverged at step k, empty of samples.
fn diverged(step: usize) -> ScanRun {
    ScanRun { samples: Vec::new(), period: None, diverged_at: Some(step), lyapunov: None }
}

/// One run on any objective: transient, then `record` steps sampling the observable while a
/// tangent vector follows DG (for the Lyapunov exponent).
fn scan_run(map: &mut GdMap<'_, AnyObjective>, x0: &[f64], transient: usize, record: usize, observable: &Observable) -> ScanRun {
    let mut x = x0.to_vec();
    if let Err(k) = map.advance(&mut x, transient) {
        return diverged(k);
    }
    let n = x.len();
    let eta = map.eta();
    let mut v = vec![1.0 / (n as f64).sqrt(); n];
    let mut hv = vec![0.0; n];
    let mut growth = LogProduct::default();
    let mut samples = Vec::with_capacity(record);
    for k in 1..=record {
        map.objective().hessian_vector(&x, &v, &mut hv);
        let mut norm2 = 0.0;
        for (vi, hi) in v.iter_mut().zip(&hv) {
            *vi -= eta * hi;
            norm2 += *vi * *vi;
        }
        let norm = norm2.sqrt();
        growth.push(norm);
        if norm > 0.0 {
            v.iter_mut().for_each(|vi| *vi /= norm);
        }
        if !map.try_step(&mut x) {
            return diverged(transient + k);
        }
        samples.push(observable.value(map.objective(), &x));
    }
    ScanRun { period: sample_period(&samples), lyapunov: growth.mean_log(record), samples, diverged_at: None }
}

/// The double well's fast path over a list of runs, as a [`Kernel`].
struct WellLanes<'a> {
    cells: &'a [WellCell],
    scan: &'a BifurcationScan,
}

impl Kernel for WellLanes<'_> {
    type Output = Vec<ScanRun>;
    #[inline(always)]
    fn run(self) -> Vec<ScanRun> {
        let s = self.scan;
        self.cells.chunks(LANES).flat_map(|group| double_well_lanes(group, s.transient, s.record, &s.observable)).collect()
    }
}

/// One run of the double well's fast path.
#[derive(Debug, Clone, Copy)]
struct WellCell {
    well: DoubleWell,
    eta: f64,
    x0: f64,
}

/// Up to [`LANES`] double-well runs advanced together, step by step (compiled for AVX2 where the
/// CPU has it, [`with_wide_vectors`]): the same arithmetic as
/// [`GdMap::try_step`] on [`DoubleWell`] (so the same bits as [`scan_run`]), with the
/// multiplier G′(x) = 1 − ηf″(x) accumulated for the Lyapunov exponent.
#[inline(always)]
fn double_well_lanes(group: &[WellCell], transient: usize, record: usize, observable: &Observable) -> Vec<ScanRun> {
    let cell = |l: usize| group[l.min(group.len() - 1)];
    let wells: [DoubleWell; LANES] = std::array::from_fn(|l| cell(l).well);
    let eta: [f64; LANES] = std::array::from_fn(|l| cell(l).eta);
    let mut x: [f64; LANES] = std::array::from_fn(|l| cell(l).x0);
    let mut diverged_at = [0usize; LANES];
    let step = |x: &mut [f64; LANES], diverged_at: &mut [usize; LANES], k: usize| {
        for l in 0..LANES {
            let next = x[l] - eta[l] * wells[l].derivative(x[l]);
            let ok = within_radius(next * next);
            x[l] = if ok { next } else { x[l] };
            diverged_at[l] = if ok || diverged_at[l] != 0 { diverged_at[l] } else { k };
        }
    };
    for k in 1..=transient {
        step(&mut x, &mut diverged_at, k);
        if k % 64 == 0 && diverged_at.iter().all(|&d| d != 0) {
            break;
        }
    }
    // rows[k][l]: the observable after step transient + k + 1 of lane l.
    let mut rows = vec![[0.0; LANES]; record];
    let mut growth = [LogProduct::default(); LANES];
    for (k, row) in rows.iter_mut().enumerate() {
        for l in 0..LANES {
            growth[l].push((1.0 - eta[l] * wells[l].second_derivative(x[l])).abs());
        }
        step(&mut x, &mut diverged_at, transient + k + 1);
        for l in 0..LANES {
            row[l] = match observable {
                Observable::Coordinate { .. } => x[l],
                Observable::Loss => wells[l].value(&x[l..=l]),
                Observable::Sharpness => wells[l].second_derivative(x[l]),
                Observable::Named { .. } => f64::NAN,
            };
        }
    }
    let samples = (0..LANES).map(|l| rows.iter().map(|row| row[l]).collect::<Vec<f64>>());
    samples
        .zip(growth)
        .zip(diverged_at)
        .take(group.len())
        .map(|((samples, growth), d)| {
            if d != 0 {
                diverged(d)
            } else {
                ScanRun { period: sample_period(&samples), lyapunov: growth.mean_log(record), samples, diverged_at: None }
            }
        })
        .collect()
}

/// Smallest p with `samples[i + p] = samples[i]` (to 1e-9 relative) for every i, needing at least
/// two repeats of the pattern.
pub fn sample_period(samples: &[f64]) -> Option<usize> {
    let repeat = Repeat { distance: |a: &f64, b: &f64| (b - a).abs(), tolerance: |a: &f64| 1e-9 * (1.0 + a.abs()) };
    repeat.smallest_period(1..=MAX_PERIOD.min(samples.len() / 2), |p| samples.len() - p, |i| samples[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scans::family::ParameterRange;

    fn spec(eta_min: f64, eta_max: f64, n_eta: usize) -> BifurcationSpec {
        BifurcationSpec {
            transient: 2000,
            record: 128,
            starts: Some(vec![vec![0.5], vec![-0.5]]),
            ..BifurcationSpec::over_eta(eta_min, eta_max, n_eta)
        }
    }

    fn refused(spec: &BifurcationSpec) -> String {
        BifurcationScan::new(spec).err().expect("refused").field
    }

    #[test]
    fn both_wells_are_sampled_and_periods_follow_the_cascade() {
        let scan = run_bifurcation(&spec(0.5, 1.2, 3)).unwrap(); // η = 0.5, 0.85, 1.2
        for (i, expected) in [(0, 1), (1, 1), (2, 2)] {
            for s in 0..2 {
                assert_eq!(scan.runs[i][s].period, Some(expected), "eta {}", scan.eta[i]);
            }
        }
        // Start 0.5 stays in the right well, −0.5 in the left: the diagram is symmetric.
        assert!((scan.runs[0][0].samples[0] - 1.0).abs() < 1e-12);
        assert!((scan.runs[0][1].samples[0] + 1.0).abs() < 1e-12);
        let (a, b) = DoubleWell::new(1.0).unwrap().two_cycle(1.2).unwrap();
        let s = &scan.runs[2][0].samples;
        let (hi, lo) = (s[0].max(s[1]), s[0].min(s[1]));
        assert!((hi - a).abs() < 1e-10 && (lo - b).abs() < 1e-10);
        // Lyapunov exponents: log|1 − 2ημ| at the fixed point, log|multiplier|/2 on the 2-cycle.
        let at_fixed_point = scan.runs[1][0].lyapunov.unwrap();
        assert!((at_fixed_point - libm::log((1.0f64 - 2.0 * 0.85).abs())).abs() < 1e-9, "{at_fixed_point}");
        let multiplier = 9.0 - 2.0 * (1.0f64 + 1.2).powi(2);
        let on_cycle = scan.runs[2][0].lyapunov.unwrap();
        assert!((on_cycle - libm::log(multiplier.abs()) / 2.0).abs() < 1e-9, "{on_cycle}");
        assert_eq!(scan.runs[0][0].lyapunov, None, "η = 1/(2μ) is superstable: the multiplier is 0");
    }

    #[test]
    fn divergence_is_flagged_not_sampled() {
        let scan = run_bifurcation(&spec(2.1, 2.2, 2)).unwrap();
        for run in scan.runs.iter().flatten() {
            assert!(run.samples.is_empty());
            assert!(run.diverged_at.is_some());
        }
    }

    #[test]
    fn the_fast_path_gives_the_bits_of_the_generic_one() {
        // The formula objective x⁴/4 − x²/2 is the double well (μ = 1) through the generic path.
        let formula = ObjectiveSpec::new(
            "formula",
            &[
                ("formula", crate::objective::ParamValue::Text("(x^2 - 1)^2/4".into())),
                ("variables", crate::objective::ParamValue::Text("x".into())),
            ],
        );
        for observable in [Observable::Coordinate { index: 0 }, Observable::Loss, Observable::Sharpness] {
            let fast =
                BifurcationSpec { observable: observable.clone(), n_eta: Some(13), transient: 300, record: 40, ..spec(0.3, 2.2, 13) };
            let slow = BifurcationSpec { objective: formula.clone(), ..fast.clone() };
            let (fast, slow) = (run_bifurcation(&fast).unwrap(), run_bifurcation(&slow).unwrap());
            for (f, s) in fast.runs.iter().flatten().zip(slow.runs.iter().flatten()) {
                assert_eq!((f.period, f.diverged_at), (s.period, s.diverged_at), "{observable:?}");
                for (a, b) in f.samples.iter().zip(&s.samples) {
                    assert!((a - b).abs() <= 1e-12 * (1.0 + a.abs()), "{observable:?}: {a} vs {b}");
                }
                match (f.lyapunov, s.lyapunov) {
                    (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{a} vs {b}"),
                    (a, b) => assert_eq!(a.is_some(), b.is_some()),
                }
            }
        }
    }

    #[test]
    fn the_wide_vector_build_gives_the_bits_of_the_portable_one() {
        let scan = BifurcationScan::new(&BifurcationSpec { observable: Observable::Loss, ..spec(0.3, 2.2, 41) }).unwrap();
        let cells = scan.double_well_cells(0..41).unwrap().unwrap();
        let portable: Vec<ScanRun> =
            cells.chunks(LANES).flat_map(|g| double_well_lanes(g, scan.transient, scan.record, &scan.observable)).collect();
        assert_eq!(scan.scan(0..41).unwrap().into_iter().flatten().collect::<Vec<_>>(), portable);
    }

    #[test]
    fn chunks_concatenate_to_the_whole_scan() {
        let whole = run_bifurcation(&spec(0.5, 2.05, 37)).unwrap();
        let scan = BifurcationScan::new(&spec(0.5, 2.05, 37)).unwrap();
        let mut runs = scan.scan(0..5).unwrap();
        runs.extend(scan.scan(5..5).unwrap());
        runs.extend(scan.scan(5..37).unwrap());
        assert_eq!(scan.scan(30..38).err().unwrap().field, "columns");
        assert_eq!(scan.finish(runs).unwrap(), whole);
    }

    #[cfg(feature = "parallel")]
    #[test]
    fn results_do_not_depend_on_the_number_of_threads() {
        let base_model = ObjectiveSpec::new("base_model", &[]);
        for objective in [ObjectiveSpec::default(), base_model] {
            let scan = BifurcationScan::new(&BifurcationSpec { objective, starts: None, ..spec(0.3, 2.2, 101) }).unwrap();
            let single = scan.scan(0..101).unwrap();
            for threads in [1, 2, 3, 8] {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                assert_eq!(pool.install(|| scan.scan_parallel(0..101)).unwrap(), single, "{threads} threads");
            }
        }
    }

    #[test]
    fn a_parameter_scan_varies_mu_at_fixed_eta() {
        // GD with η = 0.5 on the double well of μ: the fixed point ±√μ is stable for ημ < 1.
        let spec = BifurcationSpec {
            parameter: Some(ParameterRange { name: "mu".into(), min: 1.0, max: 3.0, n: 5 }),
            eta: Some(0.5),
            eta_min: None,
            eta_max: None,
            n_eta: None,
            ..spec(0.1, 1.0, 2)
        };
        let scan = run_bifurcation(&spec).unwrap();
        assert_eq!((scan.parameter.as_str(), scan.values.clone(), scan.eta.clone()), ("mu", vec![1.0, 1.5, 2.0, 2.5, 3.0], vec![0.5; 5]));
        // ημ = 0.5, 0.75, 1.0, 1.25, 1.5: converged, converged, (the neutral doubling point),
        // period 4 (past √5 − 1), chaos.
        assert_eq!(scan.runs[0][0].period, Some(1));
        assert!((scan.runs[0][0].samples[0] - 1.0).abs() < 1e-12);
        assert!((scan.runs[1][1].samples[0] + 1.5f64.sqrt()).abs() < 1e-12);
        assert_eq!(scan.runs[3][0].period, Some(4));
        assert_eq!(scan.runs[4][0].period, None);
        assert!(scan.runs[4][0].lyapunov.unwrap() > 0.0);
    }

    #[test]
    fn named_observables_of_the_bilinear_objective_are_sampled() {
        let spec = BifurcationSpec {
            objective: ObjectiveSpec::new("two_factor", &[]),
            observable: Observable::Named { name: "balance".into() },
            starts: None,
            ..spec(0.05, 0.4, 3)
        };
        let scan = run_bifurcation(&spec).unwrap();
        for col in &scan.runs {
            let run = &col[0];
            assert_eq!(run.period, Some(1));
            assert!(run.lyapunov.unwrap() < 0.0);
        }
        // Gradient flow keeps the balance 6.21; larger η ends more balanced (paper 000 §5).
        let balance = |i: usize| scan.runs[i][0].samples[0];
        assert!(
            (balance(0) - 6.21).abs() < 0.1 && balance(2) < balance(1) && balance(1) < balance(0),
            "{} {} {}",
            balance(0),
            balance(1),
            balance(2)
        );
    }

    #[test]
    fn refuses_bad_grids_fields_and_huge_scans_naming_the_field() {
        assert_eq!(refused(&spec(1.0, 1.0, 10)), "eta_max");
        assert_eq!(refused(&spec(1.2, 1.0, 10)), "eta_max");
        assert_eq!(refused(&spec(0.0, 1.0, 10)), "eta_min");
        assert_eq!(refused(&spec(0.1, 1.0, 0)), "n_eta");
        assert_eq!(refused(&BifurcationSpec { eta_min: None, ..spec(0.1, 1.0, 10) }), "eta_min");
        assert_eq!(refused(&BifurcationSpec { eta_max: None, ..spec(0.1, 1.0, 10) }), "eta_max");
        assert_eq!(refused(&BifurcationSpec { eta: Some(0.5), ..spec(0.1, 1.0, 10) }), "eta");
        let mut huge = spec(0.1, 1.0, MAX_ETAS);
        huge.transient = MAX_TRANSIENT;
        assert_eq!(refused(&huge), "n_eta");
        assert_eq!(refused(&BifurcationSpec { record: MAX_RECORD, ..spec(0.1, 1.0, MAX_ETAS) }), "record");
        assert_eq!(refused(&BifurcationSpec { starts: Some(Vec::new()), ..spec(0.1, 1.0, 10) }), "starts");
        assert_eq!(refused(&BifurcationSpec { starts: Some(vec![vec![0.5, 1.0]]), ..spec(0.1, 1.0, 10) }), "starts[0]");
        assert_eq!(refused(&BifurcationSpec { observable: Observable::Coordinate { index: 1 }, ..spec(0.1, 1.0, 10) }), "observable.index");
        let network = ObjectiveSpec::new("matrix_factorization", &[("n", crate::objective::ParamValue::Number(4.0))]);
        let costly =
            BifurcationSpec { objective: network, observable: Observable::Sharpness, starts: None, record: 4096, ..spec(0.1, 1.0, 2000) };
        assert_eq!(refused(&costly), "record");
        assert_eq!(
            refused(&BifurcationSpec { observable: Observable::Named { name: "balance".into() }, ..spec(0.1, 1.0, 10) }),
            "observable.name"
        );
        let over_mu = |p: ParameterRange, eta: Option<f64>| BifurcationSpec {
            parameter: Some(p),
            eta,
            eta_min: None,
            eta_max: None,
            n_eta: None,
            ..spec(0.1, 1.0, 10)
        };
        let mu = |min: f64, max: f64, n: usize| ParameterRange { name: "mu".into(), min, max, n };
        assert_eq!(refused(&over_mu(mu(1.0, 2.0, 5), None)), "eta");
        assert_eq!(refused(&over_mu(mu(0.0, 2.0, 5), Some(0.5))), "parameter.min");
        assert_eq!(refused(&over_mu(mu(1.0, 1e9, 5), Some(0.5))), "parameter.max");
        assert_eq!(refused(&over_mu(mu(1.0, 2.0, 0), Some(0.5))), "parameter.n");
        assert_eq!(refused(&over_mu(ParameterRange { name: "nu".into(), ..mu(1.0, 2.0, 5) }, Some(0.5))), "parameter.name");
        assert_eq!(refused(&BifurcationSpec { n_eta: Some(4), ..over_mu(mu(1.0, 2.0, 5), Some(0.5)) }), "n_eta");
    }
}
