//! Basin maps: GD from every point of a 2-D grid of starts, each start classed by what its run
//! does (paper 004 §Numerical Experiments, Fig. 2: the stable initialisations U_η, which converge
//! with the loss falling at every step, against the unstable ones V_η \ U_η, which converge after
//! the loss has risen, as η grows).
//!
//! Each start x₀ runs at most `steps` steps of x ← x − η∇f(x) and is classed as
//! * `stable_convergence`: it converged and f(x_{t+1}) ≤ f(x_t) at every step before;
//! * `unstable_convergence`: it converged after at least one step with f(x_{t+1}) > f(x_t);
//! * `periodic`: not converged, but its last iterates repeat with a period 2 ≤ p ≤ 64;
//! * `bounded`: none of these and never left the divergence radius;
//! * `diverged`: an iterate left the radius [`crate::limits::DIVERGENCE_RADIUS`].
//!
//! Converged at step k means ‖x_k − x_{k−1}‖² ≤ tol²·(1 + ‖x_k‖²) (tol = 10⁻¹⁰ by default). A loss
//! increase counts when f(x_{t+1}) > f(x_t) + 10⁻¹²·(1 + |f(x_t)|), so that rounding in f near
//! the minimum (about 10⁻¹⁶·|f|) never makes a stable run unstable. Periodic means
//! ‖x_{N−i} − x_{N−i−p}‖ ≤ 10⁻¹⁰·(1 + ‖x_N‖) for i = 0 … p − 1 at the last step N, while the last
//! step ‖x_N − x_{N−1}‖ exceeds 10⁻⁷·(1 + ‖x_N‖) (a run still converging slowly to a point, its
//! multiplier near −1, is not a 2-cycle). A converged run
//! is matched to the nearest of the objective's known minimisers within 10⁻⁶·(1 + ‖x*‖), else to
//! none (a saddle, or a minimum not known in closed form).

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::error::{Result, SpecError};
use crate::limits::{LOSS_NOISE, MAX_ETA, MAX_PERIOD, MAX_START};
use crate::objective::unstable_convergence::TestFunction;
use crate::objective::{AnyObjective, Objective, ObjectiveSpec};
use crate::optimizer::gd::within_radius;
use crate::orbit::Repeat;
use crate::scans::chunks;
use crate::scans::vectorise::{with_wide_vectors, Kernel};
use crate::validate;

/// Most grid points along each axis.
pub const MAX_RESOLUTION: usize = 1024;
/// Most steps per start.
pub const MAX_STEPS: usize = 100_000;
/// Most GD steps one map may take (points × steps).
pub const MAX_MAP_STEPS: u64 = 4_000_000_000;
/// Tolerance of the periodicity test, relative to 1 + ‖x‖.
pub const PERIOD_TOL: f64 = 1e-10;
/// Iterates kept for the periodicity test.
const TAIL: usize = 2 * MAX_PERIOD;
/// Distance, relative to 1 + ‖x*‖, within which a limit is matched to a known minimiser x*.
pub const MATCH_RADIUS: f64 = 1e-6;
/// Rows handed to one worker thread at a time by [`BasinScan::rows_parallel`].
pub const PARALLEL_ROWS: usize = 4;

/// The classes, in the order of their codes in [`BasinRows::class`].
pub const CLASSES: [&str; 5] = ["stable_convergence", "unstable_convergence", "periodic", "bounded", "diverged"];

/// What one start does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Class {
    /// Converged with the loss falling at every step.
    StableConvergence = 0,
    /// Converged after the loss rose at least once.
    UnstableConvergence = 1,
    /// Settled on a cycle of period 2 to 64.
    Periodic = 2,
    /// Neither, and bounded.
    Bounded = 3,
    /// Left the divergence radius.
    Diverged = 4,
}

/// `{"kind": "basin", "objective": {"name": "unstable_convergence", "which": "f1"}, "eta": 0.9,
/// "x_min": -1, "x_max": 1, "y_min": -1, "y_max": 1, "nx": 256, "ny": 256, "steps": 1000}`. At
/// η = 0.1 no start of f₄ converges unstably (paper 004 Fig. 2):
///
/// ```
/// use eoslab_core::{parse_json, run, Output};
/// let spec = parse_json(r#"{"kind": "basin", "objective": {"name": "unstable_convergence", "which": "f4"},
///     "eta": 0.1, "nx": 20, "ny": 20}"#)?;
/// let Output::Basin(map) = run(&spec)? else { unreachable!() };
/// assert_eq!(map.counts["unstable_convergence"], 0);
/// assert_eq!(map.counts.values().sum::<usize>(), 400);
/// # Ok::<(), eoslab_core::SpecError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasinSpec {
    /// A two-parameter objective (default: paper 004's f₄).
    #[serde(default = "BasinSpec::default_objective")]
    pub objective: ObjectiveSpec,
    /// The learning rate, in (0, [`MAX_ETA`]].
    pub eta: f64,
    /// The first coordinate of the starts runs from `x_min` to `x_max` (default −2 to 2).
    #[serde(default = "BasinSpec::default_min")]
    pub x_min: f64,
    /// See `x_min`.
    #[serde(default = "BasinSpec::default_max")]
    pub x_max: f64,
    /// The second coordinate runs from `y_min` to `y_max` (default −2 to 2).
    #[serde(default = "BasinSpec::default_min")]
    pub y_min: f64,
    /// See `y_min`.
    #[serde(default = "BasinSpec::default_max")]
    pub y_max: f64,
    /// Grid points along x, 1 to [`MAX_RESOLUTION`] (default 128).
    #[serde(default = "BasinSpec::default_resolution")]
    pub nx: usize,
    /// Grid points along y, 1 to [`MAX_RESOLUTION`] (default 128).
    #[serde(default = "BasinSpec::default_resolution")]
    pub ny: usize,
    /// Most GD steps per start, 1 to [`MAX_STEPS`] (default 1000).
    #[serde(default = "BasinSpec::default_steps")]
    pub steps: usize,
    /// Convergence tolerance on the step length, relative to 1 + ‖x‖, in [10⁻¹⁵, 10⁻³]
    /// (default 10⁻¹⁰).
    #[serde(default = "BasinSpec::default_tol")]
    pub tol: f64,
}

impl BasinSpec {
    fn default_objective() -> ObjectiveSpec {
        ObjectiveSpec::new("unstable_convergence", &[])
    }
    fn default_min() -> f64 {
        -2.0
    }
    fn default_max() -> f64 {
        2.0
    }
    fn default_resolution() -> usize {
        128
    }
    fn default_steps() -> usize {
        1000
    }
    fn default_tol() -> f64 {
        1e-10
    }

    /// A map of `objective` at η over [x_min, x_max] × [y_min, y_max] with n × n points, the
    /// other fields at their defaults.
    pub fn new(objective: ObjectiveSpec, eta: f64, x: (f64, f64), y: (f64, f64), n: usize) -> Self {
        Self {
            objective,
            eta,
            x_min: x.0,
            x_max: x.1,
            y_min: y.0,
            y_max: y.1,
            nx: n,
            ny: n,
            steps: Self::default_steps(),
            tol: Self::default_tol(),
        }
    }
}

/// Per-point results of a range of rows, flat and row-major (point (i, j) of the chunk at
/// j·nx + i).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BasinRows {
    /// The class codes (indices into [`CLASSES`]).
    pub class: Vec<u8>,
    /// The index of the known minimiser a converged run reached, −1 for none.
    pub minimizer: Vec<i32>,
    /// Steps until convergence or divergence (the step count for other classes).
    pub steps: Vec<u32>,
    /// The period of periodic points, 0 for the others.
    pub period: Vec<u8>,
}

/// What the run from one start came to: one entry of each of [`BasinRows`]' columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct StartOutcome {
    class: Class,
    /// The index of the known minimiser reached, −1 for none.
    minimizer: i32,
    /// The step the run converged or diverged at, else the step count.
    steps: u32,
    /// The period of a periodic run, 0 for the others.
    period: u8,
}

impl StartOutcome {
    /// A run that ended without reaching a known minimiser or a cycle.
    fn ended(class: Class, steps: usize) -> Self {
        Self { class, minimizer: -1, steps: steps as u32, period: 0 }
    }
}

impl BasinRows {
    fn set(&mut self, i: usize, outcome: StartOutcome) {
        self.class[i] = outcome.class as u8;
        self.minimizer[i] = outcome.minimizer;
        self.steps[i] = outcome.steps;
        self.period[i] = outcome.period;
    }

    fn extend(&mut self, other: BasinRows) {
        self.class.extend(other.class);
        self.minimizer.extend(other.minimizer);
        self.steps.extend(other.steps);
        self.period.extend(other.period);
    }
}

/// The result of a [`BasinSpec`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Basin {
    /// The objective, every parameter spelled out.
    pub objective: ObjectiveSpec,
    /// η.
    pub eta: f64,
    /// The grid's first coordinates (columns).
    pub x: Vec<f64>,
    /// The grid's second coordinates (rows).
    pub y: Vec<f64>,
    /// The class names, in code order.
    pub classes: Vec<String>,
    /// The objective's known minimisers, which `minimizer` indexes.
    pub minimizers: Vec<Vec<f64>>,
    /// Per point, row-major (start `(x[i], y[j])` at `j·nx + i`): class, minimiser, steps, period.
    #[serde(flatten)]
    pub points: BasinRows,
    /// How many points fell in each class.
    pub counts: BTreeMap<String, usize>,
}

/// How many of the class codes `class` fall in each class, every class named (a page counts the
/// rows streamed in so far with it).
pub fn class_counts(class: &[u8]) -> BTreeMap<String, usize> {
    let mut counts: BTreeMap<String, usize> = CLASSES.iter().map(|c| (c.to_string(), 0)).collect();
    for &c in class {
        *counts.entry(CLASSES[c as usize].to_string()).or_default() += 1;
    }
    counts
}

/// A validated map, prepared once, whose rows can be computed in chunks (a Web Worker streams
/// `rows(j..k)` and the page paints each band as it arrives).
pub struct BasinScan {
    objective: AnyObjective,
    resolved: ObjectiveSpec,
    eta: f64,
    x: Vec<f64>,
    y: Vec<f64>,
    steps: usize,
    tol: f64,
    minimizers: Vec<Vec<f64>>,
}

impl BasinScan {
    /// Validates the spec against the documented limits.
    pub fn new(spec: &BasinSpec) -> Result<Self> {
        let objective = spec.objective.build()?;
        if objective.dim() != 2 {
            return Err(SpecError::new(
                "objective",
                format!("a basin map needs an objective of two parameters (this one has {})", objective.dim()),
            ));
        }
        let eta = validate::learning_rate("eta", spec.eta, MAX_ETA)?;
        let axis = |[lo_f, hi_f, n_f]: [&str; 3], lo: f64, hi: f64, n: usize| -> Result<Vec<f64>> {
            validate::finite_in(lo_f, lo, -MAX_START, MAX_START)?;
            validate::finite_in(hi_f, hi, -MAX_START, MAX_START)?;
            validate::count_in(n_f, n, 1, MAX_RESOLUTION)?;
            if hi <= lo && n > 1 {
                return Err(SpecError::new(hi_f, format!("must be greater than {lo_f} (got {lo} and {hi})")));
            }
            Ok(crate::scans::family::grid(lo, hi, n))
        };
        let x = axis(["x_min", "x_max", "nx"], spec.x_min, spec.x_max, spec.nx)?;
        let y = axis(["y_min", "y_max", "ny"], spec.y_min, spec.y_max, spec.ny)?;
        validate::count_in("steps", spec.steps, 1, MAX_STEPS)?;
        let total = validate::work(&[spec.nx, spec.ny, spec.steps]);
        if total > MAX_MAP_STEPS {
            return Err(SpecError::new(
                "steps",
                format!("the map would take up to {total} GD steps (nx × ny × steps); at most {MAX_MAP_STEPS} are allowed"),
            ));
        }
        let tol = validate::finite_in("tol", spec.tol, 1e-15, 1e-3)?;
        Ok(Self {
            minimizers: objective.known_minimizers(),
            objective,
            resolved: spec.objective.resolved()?,
            eta,
            x,
            y,
            steps: spec.steps,
            tol,
        })
    }

    /// Number of rows (grid values of y).
    pub fn rows_len(&self) -> usize {
        self.y.len()
    }

    /// The points of rows `rows` (a sub-range of `0..rows_len()`).
    pub fn rows(&self, rows: Range<usize>) -> Result<BasinRows> {
        chunks::check("rows", &rows, self.y.len())?;
        let starts: Vec<[f64; 2]> = self.y[rows].iter().flat_map(|&y| self.x.iter().map(move |&x| [x, y])).collect();
        // Each test function gets its own kernel, with its formulas inlined.
        Ok(match &self.objective {
            AnyObjective::UnstableConvergence(f) => match f {
                TestFunction::F1 => self.points(|x| TestFunction::F1.value_gradient(x[0], x[1]), &starts),
                TestFunction::F2 => self.points(|x| TestFunction::F2.value_gradient(x[0], x[1]), &starts),
                TestFunction::F3 => self.points(|x| TestFunction::F3.value_gradient(x[0], x[1]), &starts),
                TestFunction::F4 => self.points(|x| TestFunction::F4.value_gradient(x[0], x[1]), &starts),
            },
            other => self.points(
                |x| {
                    let mut g = [0.0; 2];
                    (other.value_and_gradient(&x, &mut g), g)
                },
                &starts,
            ),
        })
    }

    /// [`BasinScan::rows`] on all cores with the `parallel` feature ([`PARALLEL_ROWS`] rows per
    /// task), else on the calling thread; identical results whatever the number of threads.
    pub fn rows_parallel(&self, rows: Range<usize>) -> Result<BasinRows> {
        chunks::check("rows", &rows, self.y.len())?;
        let mut out = BasinRows::default();
        chunks::map_parallel(rows, PARALLEL_ROWS, |r| self.rows(r))?.into_iter().for_each(|p| out.extend(p));
        Ok(out)
    }

    /// The map, from the rows of every row in order.
    pub fn finish(self, points: BasinRows) -> Result<Basin> {
        let n = self.x.len() * self.y.len();
        if points.class.len() != n {
            return Err(SpecError::new("rows", format!("{} points given for a grid of {n}", points.class.len())));
        }
        let counts = class_counts(&points.class);
        Ok(Basin {
            objective: self.resolved,
            eta: self.eta,
            x: self.x,
            y: self.y,
            classes: CLASSES.iter().map(|c| c.to_string()).collect(),
            minimizers: self.minimizers,
            points,
            counts,
        })
    }

    /// Runs GD from every start and classes it, [`LANES`] starts in flight at a time. The lanes
    /// advance together through blocks of [`BLOCK`] steps written without branches (a lane whose
    /// run has ended just stops changing), so that the independent steps of different runs overlap
    /// and can share vector instructions; between blocks, ended runs are collected and their
    /// lanes take the next starts. A run still going [`TAIL`] steps before the end is finished
    /// step by step ([`BasinScan::advance`]), recording the iterates the periodicity test needs.
    /// Both paths take the same [`BasinScan::step`], and a run's arithmetic does not depend on its
    /// lane, so neither do the results.
    #[inline(always)]
    fn lanes<F: Fn([f64; 2]) -> (f64, [f64; 2])>(&self, objective: F, starts: &[[f64; 2]]) -> BasinRows {
        let n = starts.len();
        let mut out = BasinRows { class: vec![0; n], minimizer: vec![-1; n], steps: vec![0; n], period: vec![0; n] };
        // Structure of arrays, 64-bit everywhere, so that a round over the lanes vectorises.
        const IDLE: usize = usize::MAX;
        let early = self.steps.saturating_sub(TAIL) as u64;
        let mut point = [IDLE; LANES];
        let (mut x0, mut x1) = ([0.0; LANES], [0.0; LANES]);
        let mut loss = [f64::INFINITY; LANES];
        let mut rose = [0u64; LANES];
        let mut k = [0u64; LANES];
        let mut state = [RUNNING; LANES];
        let mut next = 0;
        loop {
            for l in 0..LANES {
                if point[l] == IDLE && next < n {
                    let [a, b] = starts[next];
                    (point[l], x0[l], x1[l], loss[l], rose[l], k[l], state[l]) = (next, a, b, f64::INFINITY, 0, 0, RUNNING);
                    next += 1;
                }
            }
            if point.iter().all(|&p| p == IDLE) {
                return out;
            }
            for _ in 0..BLOCK {
                for l in 0..LANES {
                    let s = self.step(&objective, [x0[l], x1[l]], loss[l]);
                    let active = state[l] == RUNNING && k[l] < early;
                    let moved = active && !s.diverged;
                    k[l] += u64::from(active);
                    rose[l] |= u64::from(moved && s.rose);
                    loss[l] = if moved { s.loss } else { loss[l] };
                    x0[l] = if moved { s.x[0] } else { x0[l] };
                    x1[l] = if moved { s.x[1] } else { x1[l] };
                    let ended = if s.diverged {
                        DIVERGED
                    } else if s.converged {
                        CONVERGED
                    } else {
                        RUNNING
                    };
                    state[l] = if active { ended } else { state[l] };
                }
            }
            for l in 0..LANES {
                if point[l] == IDLE {
                    continue;
                }
                let (x, kl, rl) = ([x0[l], x1[l]], k[l] as usize, rose[l] != 0);
                let result = match state[l] {
                    DIVERGED => StartOutcome::ended(Class::Diverged, kl),
                    CONVERGED => self.converged(rl, &x, kl),
                    _ if k[l] >= early => self.finish_run(&objective, Run { x, loss: loss[l], rose: rl, k: kl }),
                    _ => continue,
                };
                out.set(point[l], result);
                point[l] = IDLE;
            }
        }
    }

    /// [`BasinScan::lanes`], compiled for AVX2 when the CPU has it ([`with_wide_vectors`]).
    fn points<F: Fn([f64; 2]) -> (f64, [f64; 2])>(&self, objective: F, starts: &[[f64; 2]]) -> BasinRows {
        with_wide_vectors(Lanes { scan: self, objective, starts })
    }

    /// One GD step from x, where f at the previous iterate was `previous_loss`.
    #[inline(always)]
    fn step<F: Fn([f64; 2]) -> (f64, [f64; 2])>(&self, objective: &F, x: [f64; 2], previous_loss: f64) -> Step {
        let (loss, g) = objective(x);
        let next = [x[0] - self.eta * g[0], x[1] - self.eta * g[1]];
        let norm2 = next[0] * next[0] + next[1] * next[1];
        let (dx, dy) = (next[0] - x[0], next[1] - x[1]);
        Step {
            x: next,
            loss,
            diverged: !within_radius(norm2),
            rose: loss > previous_loss + LOSS_NOISE * (1.0 + previous_loss.abs()),
            converged: dx * dx + dy * dy <= self.tol * self.tol * (1.0 + norm2),
        }
    }

    /// The class, minimiser, steps and period of a run that converged at step k.
    fn converged(&self, rose: bool, x: &[f64; 2], k: usize) -> StartOutcome {
        let class = if rose { Class::UnstableConvergence } else { Class::StableConvergence };
        StartOutcome { minimizer: self.minimizer_near(x), ..StartOutcome::ended(class, k) }
    }

    /// Finishes a run step by step, keeping its last iterates.
    fn finish_run<F: Fn([f64; 2]) -> (f64, [f64; 2])>(&self, objective: &F, mut run: Run) -> StartOutcome {
        let mut tail = [[0.0; 2]; TAIL];
        self.keep_tail(&mut tail, run.k, run.x);
        loop {
            if let Some(result) = self.advance(objective, &mut run, &mut tail) {
                return result;
            }
        }
    }

    /// One step of a run; its class, minimiser, steps and period once it has ended.
    fn advance<F: Fn([f64; 2]) -> (f64, [f64; 2])>(
        &self,
        objective: &F,
        run: &mut Run,
        tail: &mut [[f64; 2]; TAIL],
    ) -> Option<StartOutcome> {
        let s = self.step(objective, run.x, run.loss);
        run.k += 1;
        let k = run.k;
        if s.diverged {
            return Some(StartOutcome::ended(Class::Diverged, k));
        }
        run.rose |= s.rose;
        run.loss = s.loss;
        run.x = s.x;
        if s.converged {
            return Some(self.converged(run.rose, &run.x, k));
        }
        self.keep_tail(tail, k, run.x);
        (k == self.steps).then(|| match self.tail_period(tail, k) {
            Some(p) => StartOutcome { period: p as u8, ..StartOutcome::ended(Class::Periodic, k) },
            None => StartOutcome::ended(Class::Bounded, k),
        })
    }

    /// Keeps x_k in the ring of the last [`TAIL`] iterates when it is one of the run's last.
    #[inline]
    fn keep_tail(&self, tail: &mut [[f64; 2]; TAIL], k: usize, x: [f64; 2]) {
        if k + TAIL > self.steps {
            tail[k % TAIL] = x;
        }
    }

    /// The smallest p in 2..=64 such that each of the last p iterates repeats the one p steps
    /// before it, while the last step is not tiny (a slowly converging run is not a cycle).
    fn tail_period(&self, tail: &[[f64; 2]; TAIL], last: usize) -> Option<usize> {
        let at = |k: usize| tail[k % TAIL];
        let x = at(last);
        let tol = PERIOD_TOL * (1.0 + x[0].hypot(x[1]));
        let gap = |a: &[f64; 2], b: &[f64; 2]| (a[0] - b[0]).hypot(a[1] - b[1]);
        if last < 1 || gap(&x, &at(last - 1)) <= 1e3 * tol {
            return None;
        }
        // Backwards from the last iterate: x_N, x_{N−1}, …; its first p points must repeat.
        let repeat = Repeat { distance: gap, tolerance: |_: &[f64; 2]| tol };
        repeat.smallest_period((2..=MAX_PERIOD).take_while(|&p| 2 * p <= last + 1), |p| p, |i| at(last - i))
    }

    fn minimizer_near(&self, x: &[f64; 2]) -> i32 {
        self.minimizers
            .iter()
            .position(|m| (m[0] - x[0]).hypot(m[1] - x[1]) <= MATCH_RADIUS * (1.0 + m[0].hypot(m[1])))
            .map_or(-1, |i| i as i32)
    }
}

/// [`BasinScan::lanes`] as a [`Kernel`].
struct Lanes<'a, F> {
    scan: &'a BasinScan,
    objective: F,
    starts: &'a [[f64; 2]],
}

impl<F: Fn([f64; 2]) -> (f64, [f64; 2])> Kernel for Lanes<'_, F> {
    type Output = BasinRows;
    #[inline(always)]
    fn run(self) -> BasinRows {
        self.scan.lanes(self.objective, self.starts)
    }
}

/// Runs in flight at once in [`BasinScan::rows`].
pub const LANES: usize = 8;

/// Steps the lanes take between collections of ended runs.
pub const BLOCK: usize = 8;
const RUNNING: u64 = 0;
const DIVERGED: u64 = 1;
const CONVERGED: u64 = 2;

/// What one step found.
#[derive(Debug, Clone, Copy)]
struct Step {
    x: [f64; 2],
    /// f at the point stepped from.
    loss: f64,
    diverged: bool,
    rose: bool,
    converged: bool,
}

/// The state of one start's run on the step-by-step path.
#[derive(Debug, Clone, Copy)]
struct Run {
    x: [f64; 2],
    /// f at the previous iterate (∞ before the first step).
    loss: f64,
    rose: bool,
    k: usize,
}

/// Runs the whole map.
pub fn run_basin(spec: &BasinSpec) -> Result<Basin> {
    let scan = BasinScan::new(spec)?;
    let points = scan.rows(0..scan.rows_len())?;
    scan.finish(points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::ParamValue;

    fn objective(name: &str, params: &[(&str, ParamValue)]) -> ObjectiveSpec {
        ObjectiveSpec::new(name, params)
    }

    fn test_function(which: &str) -> ObjectiveSpec {
        objective("unstable_convergence", &[("which", ParamValue::Text(which.into()))])
    }

    /// The double well in x times a quadratic in y: the x-part settles on the double well's
    /// cycles and chaos (paper 002 §4.2), the y-part converges (|1 − η| < 1) for η < 2.
    fn well_times_quadratic() -> ObjectiveSpec {
        objective(
            "formula",
            &[("formula", ParamValue::Text("(x^2 - 1)^2/4 + y^2/2".into())), ("variables", ParamValue::Text("x, y".into()))],
        )
    }

    /// The one point (x, y) of a 1 × 1 map: (class name, minimiser, steps, period).
    fn one(objective: ObjectiveSpec, eta: f64, x: f64, y: f64) -> (&'static str, i32, u32, u8) {
        let map = run_basin(&BasinSpec { steps: 5000, ..BasinSpec::new(objective, eta, (x, x), (y, y), 1) }).unwrap();
        let p = &map.points;
        (CLASSES[p.class[0] as usize], p.minimizer[0], p.steps[0], p.period[0])
    }

    #[test]
    fn every_class_on_a_case_known_by_construction() {
        // f₂ near its minimum with η far below 1/λ_max: the loss falls at every step.
        let (class, minimizer, steps, _) = one(test_function("f2"), 0.1, 0.1, 0.1);
        assert_eq!((class, minimizer), ("stable_convergence", 0));
        assert!(steps > 10 && steps < 500, "{steps}");
        // f₄ from paper 004's Fig. 3 unstable start (0.1, 2.5) at η = 0.25: the loss rises, then
        // GD settles on the minimum (a, a).
        assert_eq!(one(test_function("f4"), 0.25, 0.1, 2.5).0, "unstable_convergence");
        assert_eq!(one(test_function("f4"), 0.25, 0.1, 2.5).1, 0);
        // (xy − 1)²/2 from (2.5, 0.2) at η = 0.4: every minimiser near the start has sharpness
        // x² + y² ≈ 6.3 > 2/η = 5, where GD cannot converge, so the loss must rise (a catapult)
        // before GD settles on a flatter one.
        assert_eq!(one(objective("two_factor", &[]), 0.4, 2.5, 0.2).0, "unstable_convergence");
        // The double well's 2-cycle for 1 < η < √5 − 1 and its chaos at η = 1.9.
        assert_eq!(one(well_times_quadratic(), 1.1, 0.5, 0.3), ("periodic", -1, 5000, 2));
        assert_eq!(one(well_times_quadratic(), 1.25, 0.5, 0.3), ("periodic", -1, 5000, 4));
        assert_eq!(one(well_times_quadratic(), 1.9, 0.5, 0.3).0, "bounded");
        // Beyond η = 2/μ the double well diverges.
        let (class, _, steps, _) = one(well_times_quadratic(), 2.1, 0.5, 0.3);
        assert_eq!(class, "diverged");
        assert!(steps < 100, "{steps}");
    }

    #[test]
    fn converged_runs_name_the_minimum_they_reached() {
        // f₄'s minima ±(a, a): starts in the first and third quadrants reach their own.
        assert_eq!(one(test_function("f4"), 0.1, 2.0, 2.0).1, 0);
        assert_eq!(one(test_function("f4"), 0.1, -2.0, -1.5).1, 1);
        // (xy − 1)²/2 converges to a point of the hyperbola xy = 1 that is not listed.
        assert_eq!(one(objective("two_factor", &[]), 0.1, 1.5, 0.5).1, -1);
    }

    #[test]
    fn rows_concatenate_to_the_whole_map_and_the_avx2_build_gives_the_same_bits() {
        let spec = BasinSpec { steps: 300, ..BasinSpec::new(test_function("f1"), 0.95, (-0.5, 0.5), (-0.5, 0.5), 24) };
        let whole = run_basin(&spec).unwrap();
        let scan = BasinScan::new(&spec).unwrap();
        let mut points = scan.rows(0..7).unwrap();
        points.extend(scan.rows(7..7).unwrap());
        points.extend(scan.rows(7..24).unwrap());
        assert_eq!(scan.rows(20..25).err().unwrap().field, "rows");
        let starts: Vec<[f64; 2]> = scan.y.iter().flat_map(|&y| scan.x.iter().map(move |&x| [x, y])).collect();
        let portable = scan.lanes(|x| TestFunction::F1.value_gradient(x[0], x[1]), &starts);
        assert_eq!(portable, whole.points);
        assert_eq!(scan.finish(points).unwrap(), whole);
        assert!(whole.counts.values().filter(|&&c| c > 0).count() >= 3, "{:?}", whole.counts);
    }

    #[cfg(feature = "parallel")]
    #[test]
    fn results_do_not_depend_on_the_number_of_threads() {
        let spec = BasinSpec { steps: 200, ..BasinSpec::new(test_function("f4"), 0.45, (-2.0, 2.0), (-2.0, 2.0), 40) };
        let scan = BasinScan::new(&spec).unwrap();
        let single = scan.rows(0..40).unwrap();
        for threads in [1, 2, 3, 8] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            assert_eq!(pool.install(|| scan.rows_parallel(0..40)).unwrap(), single, "{threads} threads");
        }
    }

    #[test]
    fn refusals_name_their_field() {
        let base = BasinSpec::new(test_function("f4"), 0.3, (-1.0, 1.0), (-1.0, 1.0), 16);
        let field = |s: BasinSpec| BasinScan::new(&s).err().unwrap().field;
        assert_eq!(field(BasinSpec { objective: ObjectiveSpec::default(), ..base.clone() }), "objective");
        assert_eq!(field(BasinSpec { eta: 0.0, ..base.clone() }), "eta");
        assert_eq!(field(BasinSpec { x_min: f64::NAN, ..base.clone() }), "x_min");
        assert_eq!(field(BasinSpec { x_max: -2.0, ..base.clone() }), "x_max");
        assert_eq!(field(BasinSpec { y_min: 1e7, ..base.clone() }), "y_min");
        assert_eq!(field(BasinSpec { y_max: -1.0, ..base.clone() }), "y_max");
        assert_eq!(field(BasinSpec { nx: 0, ..base.clone() }), "nx");
        assert_eq!(field(BasinSpec { ny: MAX_RESOLUTION + 1, ..base.clone() }), "ny");
        assert_eq!(field(BasinSpec { steps: 0, ..base.clone() }), "steps");
        assert_eq!(field(BasinSpec { steps: MAX_STEPS + 1, ..base.clone() }), "steps");
        assert_eq!(field(BasinSpec { nx: 1024, ny: 1024, steps: 5000, ..base.clone() }), "steps");
        assert_eq!(field(BasinSpec { tol: 1.0, ..base.clone() }), "tol");
    }
}
