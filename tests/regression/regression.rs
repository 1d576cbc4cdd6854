//! Bit-identity of results across refactors: every spec in `regression/specs.json` (every kind,
//! every objective, the refusals) is run through [`run`] and [`run_parallel`] and its JSON result
//! compared, byte for byte, with `regression/outputs/<name>.json`, as computed by the code before
//! the core was split into layers (commit 2863c96). JSON numbers are printed in their shortest
//! round-trip form, so equal text means equal bits. The objectives' schemas (what
//! `eoslab objectives` prints) are compared the same way.
//!
//! A change meant to alter results regenerates the outputs with
//! `EOSLAB_BLESS=1 cargo test -p eoslab-paper-tests --test regression` and says why in its commit.

use std::path::{Path, PathBuf};

use eoslab_core::{objective::schemas, parse_json, run, run_parallel};
use serde_json::Value;

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

/// Compares `actual` with the stored file `name`, or (blessing) writes it.
fn check(name: &str, actual: &str, failures: &mut Vec<String>) {
    let path = dir().join("outputs").join(format!("{name}.json"));
    if std::env::var_os("EOSLAB_BLESS").is_some() {
        std::fs::write(&path, format!("{actual}\n")).expect("writes the output");
        return;
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let stored = stored.trim_end();
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

#[test]
fn every_stored_spec_gives_bit_identical_results_serially_and_in_parallel() {
    let specs: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(dir().join("specs.json")).unwrap()).unwrap();
    assert!(specs.len() >= 40, "the stored set covers every kind");
    let mut failures = Vec::new();
    for entry in &specs {
        let name = entry["name"].as_str().expect("a name");
        let spec = entry["spec"].to_string();
        let serial = result_json(&spec, run);
        check(name, &serial, &mut failures);
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
    check("objective_schemas", &serde_json::to_string(&schemas()).unwrap(), &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
