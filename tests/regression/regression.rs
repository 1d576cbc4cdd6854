//! Bit-identity of results across refactors: every spec in `regression/specs.json` (every kind,
//! every objective, the refusals) is run through [`run`] and [`run_parallel`] and its JSON result
//! compared, byte for byte, with `regression/outputs/<name>.json`, as computed by the code before
//! the core was split into layers (commit 2863c96). JSON numbers are printed in their shortest
//! round-trip form, so equal text means equal bits. The objectives' schemas (what
//! `eoslab objectives` prints) are compared the same way.
//!
//! One exception: the network objectives ([`GEMM_OBJECTIVES`]) multiply their matrices through
//! faer's GEMM (issue 12), whose summation order follows the CPU's vector width (fused
//! multiply-adds over 8 lanes with AVX-512, 4 with AVX2), so their last bits depend on the machine.
//! Their results are compared number by number to [`GEMM_TOLERANCE`] instead, with the same
//! shape and every other value equal. Against the hand-written kernels of 2863c96 the stored
//! network results differ by at most 2.2e-5 relative (an orbit coordinate refined by Newton) and
//! 1.8e-3 on a run past its divergence (self_stabilization_mlp's sharpness at 4·10¹¹).
//!
//! A change meant to alter results regenerates the outputs with
//! `EOSLAB_BLESS=1 cargo test -p eoslab-paper-tests --test regression` and says why in its commit.

use std::path::{Path, PathBuf};

use eoslab_core::{objective::schemas, parse_json, run, run_parallel};
use serde_json::Value;

/// Objectives computed through the GEMM, compared to [`GEMM_TOLERANCE`].
const GEMM_OBJECTIVES: [&str; 4] = ["mlp", "two_layer_orthogonal", "single_neuron_empirical", "single_neuron_population"];

/// Relative tolerance for [`GEMM_OBJECTIVES`]: far below what any change of the mathematics
/// moves, above the machine-dependent summation order (see the module's doc).
const GEMM_TOLERANCE: f64 = 5e-3;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("regression")
}

/// A result as users see it: the output, or the refusal's field and message.
fn result_json(spec: &str, runner: fn(&eoslab_core::Spec) -> eoslab_core::Result<eoslab_core::Output>) -> String {
    let outcome = parse_json(spec).and_then(|s| runner(&s));
    match outcome {
        Ok(output) => serde_json::to_string(&output),
        Err(error) => serde_json::to_string(&serde_json::json!({ "error": error })),
    }
    .expect("results serialise")
}

/// Compares `actual` with the stored file `name` byte for byte, or number by number to
/// `tolerance` (relative, with an absolute floor of 1e-12), or (blessing) writes it.
fn check(name: &str, actual: &str, tolerance: Option<f64>, failures: &mut Vec<String>) {
    let path = dir().join("outputs").join(format!("{name}.json"));
    if std::env::var_os("EOSLAB_BLESS").is_some() {
        std::fs::write(&path, format!("{actual}\n")).expect("writes the output");
        return;
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let stored = stored.trim_end();
    if let Some(tolerance) = tolerance {
        let (a, b): (Value, Value) = (serde_json::from_str(stored).unwrap(), serde_json::from_str(actual).unwrap());
        if let Err(at) = close(&a, &b, tolerance, String::new()) {
            failures.push(format!("{name}: results differ beyond {tolerance:e} relative at {at}"));
        }
        return;
    }
    if stored != actual {
        let at = stored.bytes().zip(actual.bytes()).take_while(|(a, b)| a == b).count();
        let from = at.saturating_sub(80);
        failures.push(format!(
            "{name}: results differ from byte {at}:\n  stored: …{}\n  now:    …{}",
            &stored[from..(at + 80).min(stored.len())],
            &actual[from..(at + 80).min(actual.len())]
        ));
    }
}

/// Whether two JSON values have the same shape and equal non-numbers, and numbers within
/// `tolerance` relative; else the path of the first difference.
fn close(a: &Value, b: &Value, tolerance: f64, path: String) -> Result<(), String> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            if (x - y).abs() <= tolerance * x.abs().max(y.abs()) + 1e-12 {
                Ok(())
            } else {
                Err(format!("{path}: {x} stored, {y} now"))
            }
        }
        (Value::Array(xs), Value::Array(ys)) if xs.len() == ys.len() => {
            xs.iter().zip(ys).enumerate().try_for_each(|(i, (x, y))| close(x, y, tolerance, format!("{path}[{i}]")))
        }
        (Value::Object(xs), Value::Object(ys)) if xs.len() == ys.len() => xs.iter().try_for_each(|(k, x)| {
            ys.get(k).map_or(Err(format!("{path}.{k}: missing now")), |y| close(x, y, tolerance, format!("{path}.{k}")))
        }),
        _ if a == b => Ok(()),
        _ => Err(format!("{path}: {a} stored, {b} now")),
    }
}

#[test]
fn every_stored_spec_gives_bit_identical_results_serially_and_in_parallel() {
    let specs: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(dir().join("specs.json")).unwrap()).unwrap();
    assert!(specs.len() >= 40, "the stored set covers every kind");
    let mut failures = Vec::new();
    for entry in &specs {
        let name = entry["name"].as_str().expect("a name");
        let spec = entry["spec"].to_string();
        let serial = result_json(&spec, run);
        let objective = entry["spec"]["objective"]["name"].as_str().unwrap_or_default();
        let tolerance = GEMM_OBJECTIVES.contains(&objective).then_some(GEMM_TOLERANCE);
        check(name, &serial, tolerance, &mut failures);
        let parallel = result_json(&spec, run_parallel);
        if parallel != serial {
            failures.push(format!("{name}: run_parallel differs from run"));
        }
    }
    let kinds: std::collections::BTreeSet<&str> = specs.iter().filter_map(|e| e["spec"]["kind"].as_str()).collect();
    for kind in eoslab_core::spec::KINDS {
        assert!(kinds.contains(kind), "no stored spec of kind {kind}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn objective_schemas_are_unchanged() {
    let mut failures = Vec::new();
    check("objective_schemas", &serde_json::to_string(&schemas()).unwrap(), None, &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
