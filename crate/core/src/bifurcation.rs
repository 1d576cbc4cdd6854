//! Bifurcation scans: for each learning rate on a grid, GD from several starts is run through a
//! transient and then the attractor is sampled (the period-doubling route to chaos of the double
//! well, paper 002 §4.2 and Appendix L; Figure 2 for matrix factorisation).

use serde::{Deserialize, Serialize};

use crate::error::{Result, SpecError};
use crate::gd::GdMap;
use crate::objective::{AnyObjective, Objective};
use crate::objective::ObjectiveSpec;
use crate::trajectory::{MAX_ETA, MAX_START};
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
pub const MAX_SCAN_STEPS: usize = 500_000_000;
/// Most recorded samples in one scan (learning rates × starts × record).
pub const MAX_SCAN_SAMPLES: usize = 20_000_000;
/// Longest period read off the recorded samples.
pub const MAX_SAMPLE_PERIOD: usize = 64;

/// A scan over η: `{"kind": "bifurcation", "objective": {...}, "eta_min": 0.05, "eta_max": 2.1,
/// "n_eta": 2000, "transient": 1000, "record": 256, "starts": [[0.5], [-0.5]]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BifurcationSpec {
    /// The objective (default: the double well with μ = 1).
    #[serde(default)]
    pub objective: ObjectiveSpec,
    /// Smallest η of the grid, > 0.
    pub eta_min: f64,
    /// Largest η of the grid, > `eta_min`.
    pub eta_max: f64,
    /// Number of equally spaced η values, 1 to [`MAX_ETAS`] (default 800).
    #[serde(default = "BifurcationSpec::default_n_eta")]
    pub n_eta: usize,
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
}

impl BifurcationSpec {
    fn default_n_eta() -> usize {
        800
    }
    fn default_transient() -> usize {
        1000
    }
    fn default_record() -> usize {
        256
    }

    /// The η grid: `n_eta` equally spaced values from `eta_min` to `eta_max` inclusive.
    pub fn etas(&self) -> Vec<f64> {
        let n = self.n_eta;
        if n == 1 {
            return vec![self.eta_min];
        }
        let h = (self.eta_max - self.eta_min) / (n - 1) as f64;
        (0..n).map(|i| self.eta_min + h * i as f64).collect()
    }
}

/// One run of a scan: a learning rate and a start point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanRun {
    /// The first coordinate of the `record` iterates after the transient; empty if the run
    /// diverged.
    pub samples: Vec<f64>,
    /// Smallest p ≤ [`MAX_SAMPLE_PERIOD`] with samples[i + p] = samples[i] to 1e-9 relative, if any.
    pub period: Option<usize>,
    /// The step (1-based, counting the transient) at which the run diverged, if it did.
    pub diverged_at: Option<usize>,
}

/// The result of a [`BifurcationSpec`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bifurcation {
    /// The objective scanned.
    pub objective: ObjectiveSpec,
    /// The η grid.
    pub eta: Vec<f64>,
    /// The start points.
    pub starts: Vec<Vec<f64>>,
    /// `runs[i][s]`: learning rate `eta[i]`, start `starts[s]`.
    pub runs: Vec<Vec<ScanRun>>,
}

/// The spec's starts, or the objective's default start and its negative.
fn starts(spec: &BifurcationSpec, objective: &AnyObjective) -> Vec<Vec<f64>> {
    spec.starts.clone().unwrap_or_else(|| {
        let x0 = objective.default_start();
        let minus = x0.iter().map(|v| -v).collect();
        vec![x0, minus]
    })
}

/// Checks a scan spec against the documented limits.
pub fn validate_bifurcation(spec: &BifurcationSpec) -> Result<()> {
    let objective = spec.objective.build()?;
    validate::positive_up_to("eta_min", spec.eta_min, MAX_ETA)?;
    validate::positive_up_to("eta_max", spec.eta_max, MAX_ETA)?;
    if spec.eta_max <= spec.eta_min && spec.n_eta > 1 {
        return Err(SpecError::new(
            "eta_max",
            format!("must be greater than eta_min (got eta_min {}, eta_max {})", spec.eta_min, spec.eta_max),
        ));
    }
    validate::count_in("n_eta", spec.n_eta, 1, MAX_ETAS)?;
    validate::count_in("transient", spec.transient, 0, MAX_TRANSIENT)?;
    validate::count_in("record", spec.record, 1, MAX_RECORD)?;
    let starts = starts(spec, &objective);
    validate::count_in("starts", starts.len(), 1, MAX_STARTS)?;
    for (s, x) in starts.iter().enumerate() {
        validate::point(&format!("starts[{s}]"), x, objective.dim(), MAX_START)?;
    }
    let runs = spec.n_eta * starts.len();
    if runs * (spec.transient + spec.record) > MAX_SCAN_STEPS {
        return Err(SpecError::new(
            "n_eta",
            format!(
                "the scan would take {} GD steps (n_eta × starts × (transient + record)); at most {MAX_SCAN_STEPS} are allowed",
                runs * (spec.transient + spec.record)
            ),
        ));
    }
    if runs * spec.record > MAX_SCAN_SAMPLES {
        return Err(SpecError::new(
            "record",
            format!(
                "the scan would record {} samples (n_eta × starts × record); at most {MAX_SCAN_SAMPLES} are allowed",
                runs * spec.record
            ),
        ));
    }
    Ok(())
}

/// Runs the scan. Deterministic: the same spec gives the same numbers everywhere.
pub fn run_bifurcation(spec: &BifurcationSpec) -> Result<Bifurcation> {
    validate_bifurcation(spec)?;
    let objective = spec.objective.build()?;
    let starts = starts(spec, &objective);
    let eta = spec.etas();
    let runs = eta
        .iter()
        .map(|&e| {
            let mut map = GdMap::new(&objective, e);
            starts.iter().map(|x0| scan_run(&mut map, x0, spec.transient, spec.record)).collect()
        })
        .collect();
    Ok(Bifurcation { objective: spec.objective.resolved()?, eta, starts, runs })
}

fn scan_run<O: Objective>(map: &mut GdMap<O>, x0: &[f64], transient: usize, record: usize) -> ScanRun {
    let diverged = |step| ScanRun { samples: Vec::new(), period: None, diverged_at: Some(step) };
    let mut x = x0.to_vec();
    if let Err(k) = map.advance(&mut x, transient) {
        return diverged(k);
    }
    let mut samples = Vec::with_capacity(record);
    for k in 1..=record {
        if !map.try_step(&mut x) {
            return diverged(transient + k);
        }
        samples.push(x[0]);
    }
    ScanRun { period: sample_period(&samples), samples, diverged_at: None }
}

/// Smallest p with samples[i + p] = samples[i] (to 1e-9 relative) for every i, needing at least
/// two repeats of the pattern.
pub fn sample_period(samples: &[f64]) -> Option<usize> {
    let max_p = MAX_SAMPLE_PERIOD.min(samples.len() / 2);
    (1..=max_p).find(|&p| {
        samples.windows(p + 1).all(|w| (w[p] - w[0]).abs() <= 1e-9 * (1.0 + w[0].abs()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(eta_min: f64, eta_max: f64, n_eta: usize) -> BifurcationSpec {
        BifurcationSpec {
            objective: ObjectiveSpec::default(),
            eta_min,
            eta_max,
            n_eta,
            transient: 2000,
            record: 128,
            starts: Some(vec![vec![0.5], vec![-0.5]]),
        }
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
        let (a, b) = crate::objective::DoubleWell::new(1.0).unwrap().two_cycle(1.2).unwrap();
        let s = &scan.runs[2][0].samples;
        let (hi, lo) = (s[0].max(s[1]), s[0].min(s[1]));
        assert!((hi - a).abs() < 1e-10 && (lo - b).abs() < 1e-10);
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
    fn refuses_empty_or_inverted_ranges_and_huge_scans() {
        assert_eq!(validate_bifurcation(&spec(1.0, 1.0, 10)).unwrap_err().field, "eta_max");
        assert_eq!(validate_bifurcation(&spec(1.2, 1.0, 10)).unwrap_err().field, "eta_max");
        assert_eq!(validate_bifurcation(&spec(0.0, 1.0, 10)).unwrap_err().field, "eta_min");
        assert_eq!(validate_bifurcation(&spec(0.1, 1.0, 0)).unwrap_err().field, "n_eta");
        let mut huge = spec(0.1, 1.0, MAX_ETAS);
        huge.transient = MAX_TRANSIENT;
        assert_eq!(validate_bifurcation(&huge).unwrap_err().field, "n_eta");
        let mut no_starts = spec(0.1, 1.0, 10);
        no_starts.starts = Some(Vec::new());
        assert_eq!(validate_bifurcation(&no_starts).unwrap_err().field, "starts");
    }
}
