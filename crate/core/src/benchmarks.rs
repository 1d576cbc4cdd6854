//! The named benchmark workloads, as specs, so that the native bench (`cargo bench -p eoslab-core`)
//! and the wasm bench (`bench(name, reps)` of the web crate, driven in headless Chromium by
//! `cargo xtask bench`) time exactly the same computation.

use crate::bifurcation::BifurcationSpec;
use crate::objective::{ObjectiveSpec, ParamValue};
use crate::spec::Spec;

/// Every workload name, in report order.
pub const NAMES: &[&str] = &["bifurcation_scan_2000x1256"];

/// The spec of a named workload.
pub fn spec(name: &str) -> Option<Spec> {
    match name {
        // Issue 2: the scan behind the explorer's diagram, 2,000 η × (1,000 transient + 256
        // recorded) steps of the double well (μ = 1) from one start.
        "bifurcation_scan_2000x1256" => Some(Spec::Bifurcation(BifurcationSpec {
            objective: ObjectiveSpec::new("double_well", &[("mu", ParamValue::Number(1.0))]),
            eta_min: 0.05,
            eta_max: 2.0,
            n_eta: 2000,
            transient: 1000,
            record: 256,
            starts: Some(vec![vec![0.5]]),
        })),
        _ => None,
    }
}
