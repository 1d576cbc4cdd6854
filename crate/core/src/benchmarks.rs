//! The named benchmark workloads, so that the native bench (`cargo bench -p eoslab-core`) and the
//! wasm bench (`bench(name, reps)` of the web crate, driven in headless Chromium by
//! `cargo xtask bench`) time exactly the same computation.
//!
//! A workload is prepared once ([`Workload::named`]: objectives built, points drawn) and then
//! [`Workload::run`] does only the work being timed. Derivative workloads repeat their evaluation
//! [`Workload::calls`] times per run, so that one run stays well above the resolution of a
//! browser's clock.

use crate::dynamics::run::IterateRecord;
use crate::dynamics::trajectory::TrajectorySpec;
use crate::error::{Result, SpecError};
use crate::objective::{AnyObjective, Objective, ObjectiveSpec, ParamValue};
use crate::optimizer::schedule::Schedule;
use crate::scans::basin::{BasinScan, BasinSpec};
use crate::scans::bifurcation::{BifurcationScan, BifurcationSpec};
use crate::spec::Spec;
use crate::spectrum::{estimate, HessianOperator, SpectrumOptions};

/// Every workload name, in report order (all of them also run as wasm).
pub const NAMES: &[&str] = &[
    "bifurcation_scan_2000x1256",
    "basin_f1_512x512_1000",
    "mlp_small_gradient",
    "mlp_small_hvp",
    "mlp_10k_gradient",
    "mlp_10k_hvp",
    "sharpness_10k_top1_cold",
    "sharpness_10k_top1_warm",
    "sharpness_10k_top5_cold",
    "mlp_small_run_untracked",
    "mlp_small_run_tracked_every_10",
    "mlp_10k_run_untracked",
];

/// The scan workloads on all cores (rayon): native only, with the `parallel` feature.
#[cfg(feature = "parallel")]
pub const ALL_CORES_NAMES: &[&str] = &["bifurcation_scan_2000x1256_all_cores", "basin_f1_512x512_1000_all_cores"];

/// A scan prepared once; a run computes its whole grid.
pub enum Scan {
    /// See [`BifurcationScan`].
    Bifurcation(BifurcationScan),
    /// See [`BasinScan`].
    Basin(BasinScan),
}

/// Which derivative a derivative workload evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derivative {
    /// ∇f(x).
    Gradient,
    /// ∇²f(x)·v.
    HessianVector,
}

/// A prepared workload.
pub enum Workload {
    /// A spec, run end to end by [`crate::run`].
    Spec(Spec),
    /// A prepared scan over its whole grid, on one thread or on all cores.
    Scan {
        /// The scan.
        scan: Scan,
        /// Whether it runs on all cores (only with the `parallel` feature).
        all_cores: bool,
    },
    /// `calls` evaluations of one derivative of an objective at its default start (along a fixed
    /// direction for Hessian-vector products).
    Derivative {
        /// The objective.
        objective: AnyObjective,
        /// Which derivative.
        kind: Derivative,
        /// Evaluations per run.
        calls: usize,
        /// The point, the direction and the output buffer.
        x: Vec<f64>,
        v: Vec<f64>,
        out: Vec<f64>,
    },
    /// The top eigenpairs of an objective's Hessian at a point, optionally warm-started.
    Sharpness {
        /// The objective.
        objective: AnyObjective,
        /// The point.
        x: Vec<f64>,
        /// The estimator's options.
        options: SpectrumOptions,
        /// The warm start (the previous step's top eigenvector), if any.
        warm: Option<Vec<f64>>,
        /// Hessian-vector products the last run spent.
        hvps: usize,
    },
}

/// Relative residual the sharpness workloads converge to (issue 4's 10⁻⁶).
const SHARPNESS_TOL: f64 = 1e-6;

/// Issue 4's sharpness workloads on the 10⁴-parameter perceptron. The point is its start after
/// 20 GD steps with η = 0.05; the warm start is the top eigenvector one step earlier, as along a
/// tracked run.
fn sharpness_workload(k: usize, warm: bool) -> Result<Workload> {
    let objective = mlp_10k().build()?;
    let mut x = objective.default_start();
    let mut map = crate::optimizer::gd::GdMap::new(&objective, 0.05);
    map.advance(&mut x, 19).map_err(|k| SpecError::whole(format!("the benchmark run diverged at step {k}")))?;
    let tight = SpectrumOptions { tol: 1e-10, ..Default::default() };
    let previous = estimate(&HessianOperator::new(&objective, &x)?, &tight, None)?.eigenvectors.swap_remove(0);
    map.advance(&mut x, 1).map_err(|k| SpecError::whole(format!("the benchmark run diverged at step {k}")))?;
    let options = SpectrumOptions { k, tol: SHARPNESS_TOL, ..Default::default() };
    Ok(Workload::Sharpness { objective, x, options, warm: warm.then_some(previous), hvps: 0 })
}

/// `steps` full-batch GD steps of a perceptron with η = 0.05 from its seeded start, with the
/// sharpness tracked every `every` steps (0: not at all): GD steps per second, and what tracking
/// costs a run.
fn mlp_run(objective: ObjectiveSpec, steps: usize, every: usize) -> Workload {
    Workload::Spec(Spec::Trajectory(TrajectorySpec {
        objective,
        eta: 0.05,
        x0: None,
        steps,
        iterates: IterateRecord::Ends,
        schedule: Schedule::Constant,
        sharpness: SpectrumOptions { tol: SHARPNESS_TOL, ..Default::default() },
        sharpness_every: every,
        momentum: 0.0,
    }))
}

/// Issue 2's scan behind the explorer's diagram: 2,000 η from 0.05 to 2 × (1,000 transient +
/// 256 recorded) steps of the double well (μ = 1) from one start.
fn bifurcation_workload(all_cores: bool) -> Result<Workload> {
    let spec = BifurcationSpec {
        objective: ObjectiveSpec::new("double_well", &[("mu", ParamValue::Number(1.0))]),
        transient: 1000,
        record: 256,
        starts: Some(vec![vec![0.5]]),
        ..BifurcationSpec::over_eta(0.05, 2.0, 2000)
    };
    Ok(Workload::Scan { scan: Scan::Bifurcation(BifurcationScan::new(&spec)?), all_cores })
}

/// Issue 5's basin map: f₁ at η = 0.95 over [−0.5, 0.5]², 512 × 512 starts, at most 1,000 steps
/// each.
fn basin_workload(all_cores: bool) -> Result<Workload> {
    let f1 = ObjectiveSpec::new("unstable_convergence", &[("which", ParamValue::Text("f1".into()))]);
    let spec = BasinSpec::new(f1, 0.95, (-0.5, 0.5), (-0.5, 0.5), 512);
    Ok(Workload::Scan { scan: Scan::Basin(BasinScan::new(&spec)?), all_cores })
}

/// The 1 → 30 → 20 → 1 tanh perceptron on 20 Chebyshev points (the `mlp` default).
fn mlp_small() -> ObjectiveSpec {
    ObjectiveSpec::new("mlp", &[])
}

/// A perceptron of 10,950 parameters, 64 → 100 → 40 → 10 (tanh, ½-MSE on one-hot classes), on
/// 1,000 digit images.
fn mlp_10k() -> ObjectiveSpec {
    ObjectiveSpec::new(
        "mlp",
        &[
            ("dataset", ParamValue::Text("digits".into())),
            ("n", ParamValue::Number(1000.0)),
            ("hidden", ParamValue::List(vec![100.0, 40.0])),
        ],
    )
}

impl Workload {
    /// The workload called `name` (one of [`NAMES`]), prepared; an unknown name is refused naming
    /// the field `name`.
    pub fn named(name: &str) -> Result<Self> {
        let derivative = |objective: ObjectiveSpec, kind, calls| -> Result<Self> {
            let objective = objective.build()?;
            let x = objective.default_start();
            let n = x.len();
            // A fixed direction with entries of both signs and varied sizes.
            let v = (0..n).map(|i| ((i * 7919) % 1000) as f64 / 500.0 - 1.0).collect();
            Ok(Workload::Derivative { objective, kind, calls, x, v, out: vec![0.0; n] })
        };
        match name {
            // Issue 2: the scan behind the explorer's diagram, 2,000 η × (1,000 transient + 256
            // recorded) steps of the double well (μ = 1) from one start.
            "bifurcation_scan_2000x1256" => bifurcation_workload(false),
            // Issue 5: the same scan on all cores, and a basin map of paper 004's f₁ (eq. 43) at
            // η = 0.95, just below its stability limit 1, over [−0.5, 0.5]²: about a third of the
            // starts each converge stably, converge unstably and diverge.
            "bifurcation_scan_2000x1256_all_cores" if cfg!(feature = "parallel") => bifurcation_workload(true),
            "basin_f1_512x512_1000" => basin_workload(false),
            "basin_f1_512x512_1000_all_cores" if cfg!(feature = "parallel") => basin_workload(true),
            // Issue 3: derivatives of a small and of a 10⁴-parameter perceptron.
            "mlp_small_gradient" => derivative(mlp_small(), Derivative::Gradient, 100),
            "mlp_small_hvp" => derivative(mlp_small(), Derivative::HessianVector, 100),
            "mlp_10k_gradient" => derivative(mlp_10k(), Derivative::Gradient, 1),
            "mlp_10k_hvp" => derivative(mlp_10k(), Derivative::HessianVector, 1),
            // Issue 4: the top-1 cold and warm, and the top-5, to a 10⁻⁶ relative residual; and
            // the price of tracking the sharpness every 10 steps of a run.
            "sharpness_10k_top1_cold" => sharpness_workload(1, false),
            "sharpness_10k_top1_warm" => sharpness_workload(1, true),
            "sharpness_10k_top5_cold" => sharpness_workload(5, false),
            "mlp_small_run_untracked" => Ok(mlp_run(mlp_small(), 500, 0)),
            "mlp_small_run_tracked_every_10" => Ok(mlp_run(mlp_small(), 500, 10)),
            "mlp_10k_run_untracked" => Ok(mlp_run(mlp_10k(), 50, 0)),
            _ => Err(SpecError::new("name", format!("unknown workload {name:?}; known: {NAMES:?}"))),
        }
    }

    /// Evaluations per run (1 for a spec or a sharpness estimate).
    pub fn calls(&self) -> usize {
        match self {
            Workload::Spec(_) | Workload::Scan { .. } | Workload::Sharpness { .. } => 1,
            Workload::Derivative { calls, .. } => *calls,
        }
    }

    /// Hessian-vector products the last run of a sharpness workload spent.
    pub fn hvps(&self) -> Option<usize> {
        match self {
            Workload::Sharpness { hvps, .. } => Some(*hvps),
            _ => None,
        }
    }

    /// Runs the workload once.
    pub fn run(&mut self) -> Result<()> {
        match self {
            Workload::Spec(spec) => {
                std::hint::black_box(crate::run(spec)?);
            }
            Workload::Scan { scan, all_cores } => run_scan(scan, *all_cores)?,
            Workload::Derivative { objective, kind, calls, x, v, out } => {
                for _ in 0..*calls {
                    match kind {
                        Derivative::Gradient => objective.gradient(x, out),
                        Derivative::HessianVector => objective.hessian_vector(x, v, out),
                    }
                    std::hint::black_box(&mut *out);
                }
            }
            Workload::Sharpness { objective, x, options, warm, hvps } => {
                let report = estimate(&HessianOperator::new(&*objective, x)?, options, warm.as_deref())?;
                if !report.converged {
                    return Err(SpecError::whole("the benchmark's sharpness estimate did not converge"));
                }
                *hvps = report.hvps;
            }
        }
        Ok(())
    }
}

/// Runs a scan over its whole grid.
fn run_scan(scan: &Scan, all_cores: bool) -> Result<()> {
    match scan {
        Scan::Bifurcation(s) => {
            let columns = 0..s.values().len();
            std::hint::black_box(if all_cores { s.scan_parallel(columns)? } else { s.scan(columns)? });
        }
        Scan::Basin(s) => {
            let rows = 0..s.rows_len();
            std::hint::black_box(if all_cores { s.rows_parallel(rows)? } else { s.rows(rows)? });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_workload_prepares_and_unknown_names_are_refused() {
        for name in NAMES.iter().filter(|n| n.starts_with("mlp")) {
            let mut w = Workload::named(name).unwrap();
            w.run().unwrap();
            if let Workload::Derivative { out, .. } = &w {
                assert!(out.iter().all(|x| x.is_finite()) && out.iter().any(|&x| x != 0.0), "{name}");
            }
        }
        if let Workload::Derivative { objective, .. } = Workload::named("mlp_10k_gradient").unwrap() {
            assert_eq!(objective.dim(), 10_950);
        }
        assert_eq!(Workload::named("nope").err().unwrap().field, "name");
    }

    #[test]
    fn sharpness_workloads_converge_and_the_warm_start_saves_products() {
        let hvps = |name: &str| {
            let mut w = Workload::named(name).unwrap();
            w.run().unwrap();
            w.hvps().unwrap()
        };
        let (cold, warm) = (hvps("sharpness_10k_top1_cold"), hvps("sharpness_10k_top1_warm"));
        assert!(warm < cold, "warm {warm} vs cold {cold}");
    }
}
