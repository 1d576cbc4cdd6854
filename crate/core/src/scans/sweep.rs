//! Learning-rate sweeps: one GD run per η of a grid (or per cell of a grid of η × an objective
//! parameter), each summarised by where it ends: the limiting sharpness against 2/η, the limiting
//! named observables (the balance ‖x‖² − ‖y‖² of paper 000 §5), the catapult peak (largest loss
//! over the initial loss, Lewkowycz et al. as discussed in paper 000 §1), and whether GD stayed
//! finite (paper 000 Figs. 9, 11, 12; paper 002 Fig. 1 for η × a parameter).

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::error::{Result, SpecError};
use crate::limits::MAX_START;
use crate::objective::{AnyObjective, Objective, ObjectiveSpec};
use crate::optimizer::gd::{has_diverged, GdMap};
use crate::scans::chunks;
use crate::scans::family::{Family, ParameterRange};
use crate::spectrum::{estimate, HessianOperator, SpectrumOptions};
use crate::validate;

/// Most values of η, and of the parameter.
pub const MAX_GRID: usize = 10_000;
/// Most cells (η values × parameter values).
pub const MAX_CELLS: usize = 1_000_000;
/// Most steps per run.
pub const MAX_STEPS: usize = 1_000_000;
/// Most GD steps in one sweep (cells × steps).
pub const MAX_SWEEP_STEPS: u64 = 1_000_000_000;
/// Cells handed to one worker thread at a time by [`SweepScan::cells_parallel`].
pub const PARALLEL_CELLS: usize = 8;

/// `{"kind": "sweep", "objective": {"name": "two_factor"}, "eta_min": 0.1, "eta_max": 0.9,
/// "n_eta": 9, "x0": [2.5, 0.2], "steps": 20000}`, optionally with a second axis
/// `"parameter": {"name": "mu", "min": 0.5, "max": 2, "n": 40}`. The two-factor problem
/// (xy − 1)²/2 converges with a limiting sharpness below 2/η (paper 000 §5):
///
/// ```
/// use eoslab_core::{parse_json, run, Output};
/// let spec = parse_json(r#"{"kind": "sweep", "objective": {"name": "two_factor"}, "eta_min": 0.1, "eta_max": 0.3,
///     "n_eta": 3, "x0": [2.5, 0.2], "steps": 20000}"#)?;
/// let Output::Sweep(sweep) = run(&spec)? else { unreachable!() };
/// for (i, eta) in sweep.eta.iter().enumerate() {
///     assert!(sweep.converged[i] && sweep.limiting_sharpness[i].unwrap() < 2.0 / eta);
/// }
/// # Ok::<(), eoslab_core::SpecError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepSpec {
    /// The objective (default: the double well with μ = 1).
    #[serde(default)]
    pub objective: ObjectiveSpec,
    /// Smallest η, > 0.
    pub eta_min: f64,
    /// Largest η, > `eta_min` unless `n_eta` = 1.
    pub eta_max: f64,
    /// Number of equally spaced η, 1 to [`MAX_GRID`] (default 50).
    #[serde(default = "SweepSpec::default_n_eta")]
    pub n_eta: usize,
    /// A second axis: a real parameter of the objective and its grid.
    #[serde(default)]
    pub parameter: Option<ParameterRange>,
    /// The start of every run (default: the objective's default start).
    #[serde(default)]
    pub x0: Option<Vec<f64>>,
    /// Steps per run, 1 to [`MAX_STEPS`] (default 2000).
    #[serde(default = "SweepSpec::default_steps")]
    pub steps: usize,
    /// A run has converged when its last step ‖x_N − x_{N−1}‖² ≤ tol²·(1 + ‖x_N‖²), tol in
    /// [10⁻¹⁵, 10⁻³] (default 10⁻¹⁰).
    #[serde(default = "SweepSpec::default_tol")]
    pub tol: f64,
}

impl SweepSpec {
    fn default_n_eta() -> usize {
        50
    }
    fn default_steps() -> usize {
        2000
    }
    fn default_tol() -> f64 {
        1e-10
    }
}

/// Where one run ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    diverged_at: Option<usize>,
    converged: bool,
    sharpness: Option<f64>,
    final_loss: Option<f64>,
    peak_ratio: Option<f64>,
    initial: Vec<(String, f64)>,
    limiting: Vec<(String, f64)>,
}

/// The result of a [`SweepSpec`]. Per-cell arrays are flat: the cell of `eta[i]` and
/// `values[j]` is at index j·n_eta + i (a single row without `parameter`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// The objective, every parameter spelled out (a swept parameter at its default).
    pub objective: ObjectiveSpec,
    /// The η grid.
    pub eta: Vec<f64>,
    /// 2/η for each η.
    pub stability_threshold: Vec<f64>,
    /// The swept objective parameter, if any.
    pub parameter: Option<String>,
    /// Its grid (empty without one).
    pub values: Vec<f64>,
    /// The step at which the run diverged (null: GD stayed finite).
    pub diverged_at: Vec<Option<usize>>,
    /// Whether the run converged (its last step below the tolerance).
    pub converged: Vec<bool>,
    /// The largest Hessian eigenvalue at the last iterate (the limit when converged); null when
    /// the run diverged.
    pub limiting_sharpness: Vec<Option<f64>>,
    /// f − min f at the last iterate (f where the minimum is not known); null when diverged.
    pub final_loss: Vec<Option<f64>>,
    /// The catapult peak: the largest loss along the run over the initial loss (1 when the loss
    /// never rose above its start); null when diverged or when the initial loss is 0.
    pub catapult_peak_ratio: Vec<Option<f64>>,
    /// The objective's named observables at the start of each run.
    pub initial_observables: BTreeMap<String, Vec<f64>>,
    /// The named observables at the last iterate (null when diverged): the limiting balance.
    pub limiting_observables: BTreeMap<String, Vec<Option<f64>>>,
}

/// A validated sweep whose cells can be computed in chunks.
pub struct SweepScan {
    resolved: ObjectiveSpec,
    base: AnyObjective,
    family: Option<Family>,
    eta: Vec<f64>,
    values: Vec<f64>,
    x0: Vec<f64>,
    steps: usize,
    tol: f64,
}

impl SweepScan {
    /// Validates the spec against the documented limits.
    pub fn new(spec: &SweepSpec) -> Result<Self> {
        let eta_family = Family::over_eta(&spec.objective)?;
        let eta = eta_family.grid(["eta_min", "eta_max", "n_eta"], spec.eta_min, spec.eta_max, spec.n_eta, MAX_GRID)?;
        let (family, values) = match &spec.parameter {
            None => (None, Vec::new()),
            Some(p) => {
                // The family's own η is not used: every cell runs at its η of the grid.
                let family = Family::over_parameter(&spec.objective, &p.name, "parameter.name", Some(spec.eta_min), "eta_min")?;
                let values = family.grid(["parameter.min", "parameter.max", "parameter.n"], p.min, p.max, p.n, MAX_GRID)?;
                (Some(family), values)
            }
        };
        let base = spec.objective.build()?;
        let x0 = spec.x0.clone().unwrap_or_else(|| base.default_start());
        validate::point("x0", &x0, base.dim(), MAX_START)?;
        crate::objective::check_defined_at(&base, "x0", &x0)?;
        validate::count_in("steps", spec.steps, 1, MAX_STEPS)?;
        let tol = validate::finite_in("tol", spec.tol, 1e-15, 1e-3)?;
        let cells = eta.len() * values.len().max(1);
        if cells > MAX_CELLS {
            return Err(SpecError::new(
                "parameter.n",
                format!("the sweep has {cells} cells (n_eta × parameter.n); at most {MAX_CELLS} are allowed"),
            ));
        }
        if validate::work(&[cells, spec.steps]) > MAX_SWEEP_STEPS {
            return Err(SpecError::new(
                "steps",
                format!(
                    "the sweep would take {} GD steps (cells × steps); at most {MAX_SWEEP_STEPS} are allowed",
                    validate::work(&[cells, spec.steps])
                ),
            ));
        }
        Ok(Self { resolved: spec.objective.resolved()?, base, family, eta, values, x0, steps: spec.steps, tol })
    }

    /// Number of cells: η values × parameter values.
    pub fn len(&self) -> usize {
        self.eta.len() * self.values.len().max(1)
    }

    /// Whether the sweep has no cells (never: grids have at least one value).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cells in `cells` (a sub-range of `0..len()`), in order.
    pub fn cells(&self, cells: Range<usize>) -> Result<Vec<Cell>> {
        chunks::check("cells", &cells, self.len())?;
        cells
            .map(|c| {
                let eta = self.eta[c % self.eta.len()];
                match &self.family {
                    None => Ok(self.run(&self.base, eta)),
                    Some(family) => Ok(self.run(family.member(self.values[c / self.eta.len()])?.objective(), eta)),
                }
            })
            .collect()
    }

    /// [`SweepScan::cells`] on all cores with the `parallel` feature ([`PARALLEL_CELLS`] per
    /// task), else on the calling thread; identical results whatever the number of threads.
    pub fn cells_parallel(&self, cells: Range<usize>) -> Result<Vec<Cell>> {
        chunks::check("cells", &cells, self.len())?;
        Ok(chunks::map_parallel(cells, PARALLEL_CELLS, |c| self.cells(c))?.into_iter().flatten().collect())
    }

    /// The sweep, from every cell in order.
    pub fn finish(self, cells: Vec<Cell>) -> Result<Sweep> {
        if cells.len() != self.len() {
            return Err(SpecError::new("cells", format!("{} cells given for a sweep of {}", cells.len(), self.len())));
        }
        let mut initial_observables: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        let mut limiting_observables: BTreeMap<String, Vec<Option<f64>>> = BTreeMap::new();
        for cell in &cells {
            for (name, v) in &cell.initial {
                initial_observables.entry(name.clone()).or_default().push(*v);
            }
            for (name, _) in &cell.initial {
                let limit = cell.limiting.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
                limiting_observables.entry(name.clone()).or_default().push(limit);
            }
        }
        Ok(Sweep {
            objective: self.resolved,
            stability_threshold: self.eta.iter().map(|e| 2.0 / e).collect(),
            eta: self.eta,
            parameter: self.family.as_ref().map(|f| f.parameter().to_string()),
            values: self.values,
            diverged_at: cells.iter().map(|c| c.diverged_at).collect(),
            converged: cells.iter().map(|c| c.converged).collect(),
            limiting_sharpness: cells.iter().map(|c| c.sharpness).collect(),
            final_loss: cells.iter().map(|c| c.final_loss).collect(),
            catapult_peak_ratio: cells.iter().map(|c| c.peak_ratio).collect(),
            initial_observables,
            limiting_observables,
        })
    }

    /// One run of `steps` steps at η from x0.
    fn run(&self, objective: &AnyObjective, eta: f64) -> Cell {
        let min = objective.min_value().unwrap_or(0.0);
        let named =
            |x: &[f64]| -> Vec<(String, f64)> { objective.named_observables(x).into_iter().map(|(k, v)| (k.to_string(), v)).collect() };
        let initial = named(&self.x0);
        let initial_loss = objective.value(&self.x0) - min;
        let mut map = GdMap::new(objective, eta);
        let mut x = self.x0.clone();
        let mut previous = x.clone();
        let mut peak = initial_loss;
        for k in 1..=self.steps {
            previous.copy_from_slice(&x);
            match map.try_step_valued(&mut x) {
                Some(f) => peak = peak.max(f - min),
                None => {
                    return Cell {
                        diverged_at: Some(k),
                        converged: false,
                        sharpness: None,
                        final_loss: None,
                        peak_ratio: None,
                        initial,
                        limiting: Vec::new(),
                    }
                }
            }
        }
        let final_loss = objective.value(&x) - min;
        peak = peak.max(final_loss);
        let step2: f64 = x.iter().zip(&previous).map(|(a, b)| (a - b) * (a - b)).sum();
        let norm2: f64 = x.iter().map(|v| v * v).sum();
        let sharpness = HessianOperator::new(objective, &x)
            .and_then(|op| estimate(&op, &SpectrumOptions::default(), None))
            .ok()
            .map(|r| r.eigenvalues[0]);
        Cell {
            diverged_at: None,
            converged: step2 <= self.tol * self.tol * (1.0 + norm2) && !has_diverged(&x),
            sharpness,
            final_loss: Some(final_loss),
            peak_ratio: (initial_loss > 0.0).then(|| peak / initial_loss),
            initial,
            limiting: named(&x),
        }
    }
}

/// Runs the whole sweep.
pub fn run_sweep(spec: &SweepSpec) -> Result<Sweep> {
    let scan = SweepScan::new(spec)?;
    let cells = scan.cells(0..scan.len())?;
    scan.finish(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(objective: ObjectiveSpec, eta_min: f64, eta_max: f64, n_eta: usize) -> SweepSpec {
        SweepSpec { objective, eta_min, eta_max, n_eta, parameter: None, x0: None, steps: 2000, tol: 1e-10 }
    }

    #[test]
    fn the_double_well_converges_to_sharpness_two_mu_below_one_over_mu() {
        let sweep = run_sweep(&spec(ObjectiveSpec::default(), 0.1, 0.9, 5)).unwrap();
        for i in 0..5 {
            assert!(sweep.converged[i] && sweep.diverged_at[i].is_none());
            assert!((sweep.limiting_sharpness[i].unwrap() - 2.0).abs() < 1e-9, "{:?}", sweep.limiting_sharpness);
            assert!(sweep.final_loss[i].unwrap() < 1e-20);
            assert_eq!(sweep.catapult_peak_ratio[i], Some(1.0), "the loss falls from the start 0.5");
        }
        assert!(sweep.initial_observables.is_empty() && sweep.limiting_observables.is_empty());
        assert_eq!(sweep.stability_threshold[0], 2.0 / 0.1);
    }

    #[test]
    fn cells_and_their_chunks_agree_and_threads_do_not_matter() {
        let two = SweepSpec {
            parameter: Some(ParameterRange { name: "mu".into(), min: 0.5, max: 2.0, n: 4 }),
            x0: Some(vec![0.3]),
            steps: 500,
            ..spec(ObjectiveSpec::default(), 0.5, 3.0, 6)
        };
        let whole = run_sweep(&two).unwrap();
        let scan = SweepScan::new(&two).unwrap();
        let mut cells = scan.cells(0..5).unwrap();
        cells.extend(scan.cells_parallel(5..24).unwrap());
        assert_eq!(scan.cells(20..25).err().unwrap().field, "cells");
        assert_eq!(scan.finish(cells).unwrap(), whole);
        // GD on the double well stays finite from 0.3√μ-ish starts exactly when ημ ≤ 2.
        for (j, mu) in whole.values.iter().enumerate() {
            for (i, eta) in whole.eta.iter().enumerate() {
                let finite = whole.diverged_at[j * 6 + i].is_none();
                if (eta * mu - 2.0).abs() > 0.05 {
                    assert_eq!(finite, eta * mu < 2.0, "η = {eta}, μ = {mu}");
                }
            }
        }
    }

    #[test]
    fn refusals_name_their_field() {
        let base = spec(ObjectiveSpec::default(), 0.1, 0.9, 5);
        let field = |s: SweepSpec| SweepScan::new(&s).err().unwrap().field;
        assert_eq!(field(SweepSpec { eta_min: 0.0, ..base.clone() }), "eta_min");
        assert_eq!(field(SweepSpec { eta_max: 0.05, ..base.clone() }), "eta_max");
        assert_eq!(field(SweepSpec { n_eta: 0, ..base.clone() }), "n_eta");
        assert_eq!(field(SweepSpec { x0: Some(vec![1.0, 2.0]), ..base.clone() }), "x0");
        assert_eq!(field(SweepSpec { steps: 0, ..base.clone() }), "steps");
        assert_eq!(field(SweepSpec { steps: MAX_STEPS, n_eta: 2000, ..base.clone() }), "steps");
        assert_eq!(field(SweepSpec { tol: 0.0, ..base.clone() }), "tol");
        let p = |name: &str, n: usize| Some(ParameterRange { name: name.into(), min: 0.5, max: 2.0, n });
        assert_eq!(field(SweepSpec { parameter: p("nu", 3), ..base.clone() }), "parameter.name");
        assert_eq!(field(SweepSpec { parameter: p("mu", 0), ..base.clone() }), "parameter.n");
        assert_eq!(field(SweepSpec { parameter: p("mu", 10_000), n_eta: 1000, steps: 1, ..base.clone() }), "parameter.n");
    }
}
