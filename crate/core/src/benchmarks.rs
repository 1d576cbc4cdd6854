//! The named benchmark workloads, so that the native bench (`cargo bench -p eoslab-core`) and the
//! wasm bench (`bench(name, reps)` of the web crate, driven in headless Chromium by
//! `cargo xtask bench`) time exactly the same computation.
//!
//! A workload is prepared once ([`Workload::named`]: objectives built, points drawn) and then
//! [`Workload::run`] does only the work being timed. Derivative workloads repeat their evaluation
//! [`Workload::calls`] times per run, so that one run stays well above the resolution of a
//! browser's clock.

use crate::bifurcation::BifurcationSpec;
use crate::error::{Result, SpecError};
use crate::objective::{AnyObjective, Objective, ObjectiveSpec, ParamValue};
use crate::spec::Spec;

/// Every workload name, in report order.
pub const NAMES: &[&str] = &["bifurcation_scan_2000x1256", "mlp_small_gradient", "mlp_small_hvp", "mlp_10k_gradient", "mlp_10k_hvp"];

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
            "bifurcation_scan_2000x1256" => Ok(Workload::Spec(Spec::Bifurcation(BifurcationSpec {
                objective: ObjectiveSpec::new("double_well", &[("mu", ParamValue::Number(1.0))]),
                eta_min: 0.05,
                eta_max: 2.0,
                n_eta: 2000,
                transient: 1000,
                record: 256,
                starts: Some(vec![vec![0.5]]),
            }))),
            // Issue 3: derivatives of a small and of a 10⁴-parameter perceptron.
            "mlp_small_gradient" => derivative(mlp_small(), Derivative::Gradient, 100),
            "mlp_small_hvp" => derivative(mlp_small(), Derivative::HessianVector, 100),
            "mlp_10k_gradient" => derivative(mlp_10k(), Derivative::Gradient, 1),
            "mlp_10k_hvp" => derivative(mlp_10k(), Derivative::HessianVector, 1),
            _ => Err(SpecError::new("name", format!("unknown workload {name:?}; known: {NAMES:?}"))),
        }
    }

    /// Evaluations per run (1 for a spec).
    pub fn calls(&self) -> usize {
        match self {
            Workload::Spec(_) => 1,
            Workload::Derivative { calls, .. } => *calls,
        }
    }

    /// Runs the workload once.
    pub fn run(&mut self) -> Result<()> {
        match self {
            Workload::Spec(spec) => {
                std::hint::black_box(crate::run(spec)?);
            }
            Workload::Derivative { objective, kind, calls, x, v, out } => {
                for _ in 0..*calls {
                    match kind {
                        Derivative::Gradient => objective.gradient(x, out),
                        Derivative::HessianVector => objective.hessian_vector(x, v, out),
                    }
                    std::hint::black_box(&mut *out);
                }
            }
        }
        Ok(())
    }
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
}
