//! Bad input gets a clear error naming the field, never a panic: non-finite or out-of-range
//! values, zero or absurd step counts, empty or inverted ranges, unknown fields or kinds.

use eoslab_core::{parse_json, run};

/// The field the error names, and its message, for a spec given as JSON text.
fn refusal(text: &str) -> (String, String) {
    let e = match parse_json(text) {
        Err(e) => e,
        Ok(spec) => run(&spec).expect_err("spec must be refused"),
    };
    assert!(!e.message.is_empty());
    (e.field, e.message)
}

#[test]
fn learning_rate_must_be_positive_and_finite() {
    for eta in ["0", "-0.5", "1e400", "1e7"] {
        let (field, message) = refusal(&format!(r#"{{"kind":"trajectory","eta":{eta},"x0":[0.5]}}"#));
        assert_eq!(field, "eta", "eta = {eta}: {message}");
    }
}

#[test]
fn steps_are_capped() {
    for steps in ["0", "100001", "1000000000000"] {
        let (field, message) = refusal(&format!(r#"{{"kind":"trajectory","eta":0.5,"x0":[0.5],"steps":{steps}}}"#));
        assert_eq!(field, "steps", "{message}");
        assert!(message.contains("100000"), "the cap is stated: {message}");
    }
}

#[test]
fn type_errors_inside_a_spec_name_their_field() {
    for (spec, field) in [
        (r#"{"kind":"trajectory","eta":0.5,"x0":[0.5],"steps":2.5}"#, "steps"),
        (r#"{"kind":"trajectory","eta":0.5,"x0":[0.5],"steps":-3}"#, "steps"),
        (r#"{"kind":"trajectory","eta":"fast","x0":[0.5]}"#, "eta"),
        (r#"{"kind":"trajectory","eta":0.5,"x0":[0.5, "a"]}"#, "x0[1]"),
        (r#"{"kind":"bifurcation","eta_min":0.5,"eta_max":1,"n_eta":2.5}"#, "n_eta"),
        (r#"{"kind":7}"#, "kind"),
        (r#"{"eta":0.5}"#, "kind"),
    ] {
        assert_eq!(refusal(spec).0, field, "{spec}");
    }
}

#[test]
fn start_and_objective_parameters_are_checked() {
    assert_eq!(refusal(r#"{"kind":"trajectory","eta":0.5,"x0":[]}"#).0, "x0");
    assert_eq!(refusal(r#"{"kind":"trajectory","eta":0.5,"x0":[1e300]}"#).0, "x0[0]");
    let (field, message) = refusal(r#"{"kind":"trajectory","eta":0.5,"x0":[0.5],"objective":{"name":"double_well","mu":-1}}"#);
    assert_eq!(field, "objective.mu", "{message}");
}

#[test]
fn unknown_fields_kinds_and_objectives_are_named() {
    let (field, message) = refusal(r#"{"kind":"trajectory","eta":0.5,"x0":[0.5],"etta":1}"#);
    assert_eq!(field, "etta", "{message}");
    let (_, message) = refusal(r#"{"kind":"spiral","eta":0.5}"#);
    assert!(message.contains("spiral"), "{message}");
    let (_, message) = refusal(r#"{"kind":"trajectory","eta":0.5,"x0":[0.5],"objective":{"name":"triple_well"}}"#);
    assert!(message.contains("triple_well"), "{message}");
    let (field, _) = refusal(r#"{"kind":"trajectory","x0":[0.5]}"#);
    assert_eq!(field, "eta");
    let (_, message) = refusal("{not json");
    assert!(message.starts_with("invalid spec"), "{message}");
}

#[test]
fn scan_ranges_must_be_nonempty_and_ordered() {
    let scan = |lo: &str, hi: &str| refusal(&format!(r#"{{"kind":"bifurcation","eta_min":{lo},"eta_max":{hi}}}"#)).0;
    assert_eq!(scan("1.0", "1.0"), "eta_max");
    assert_eq!(scan("1.5", "1.0"), "eta_max");
    assert_eq!(scan("-1", "1.0"), "eta_min");
}

#[test]
fn orbit_specs_are_checked_field_by_field() {
    use serde_json::json;
    // A valid orbit spec with one field replaced (or added).
    let orbit = |key: &str, value: serde_json::Value| {
        let mut spec = serde_json::json!({"kind": "orbit", "eta": 1.1, "start": [1.2]});
        spec[key] = value;
        refusal(&spec.to_string())
    };
    for (key, value, field) in [
        ("period", json!(0), "period"),
        ("period", json!(65), "period"),
        ("period", json!(2.5), "period"),
        ("max_iter", json!(0), "max_iter"),
        ("max_iter", json!(1001), "max_iter"),
        ("tol", json!(1e-16), "tol"),
        ("tol", json!(0.1), "tol"),
        ("warmup", json!(1_000_001), "warmup"),
        ("line_search", json!("yes"), "line_search"),
        ("start", json!([1.2, 0.3]), "start"),
        ("start", json!([1e5]), "start"),
        ("eta", json!(-1), "eta"),
        ("periodd", json!(2), "periodd"),
    ] {
        let (got, message) = orbit(key, value.clone());
        assert_eq!(got, field, "{key} = {value}: {message}");
    }
    // GD diverges during the warm-up beyond η = 2/μ: the field is named, with the step.
    let (field, message) = refusal(r#"{"kind":"orbit","eta":2.5,"start":[0.5],"warmup":100}"#);
    assert_eq!(field, "warmup", "{message}");
    assert!(message.contains("step"), "{message}");
    // Dense Jacobians: at most 64 parameters; the work cap (max_iter × period × n³) names max_iter.
    assert_eq!(refusal(r#"{"kind":"orbit","eta":0.1,"objective":{"name":"mlp"}}"#).0, "objective");
    let (field, message) =
        refusal(r#"{"kind":"orbit","eta":0.5,"period":64,"max_iter":1000,"objective":{"name":"matrix_factorization","n":4,"r":4}}"#);
    assert_eq!(field, "max_iter", "{message}");
    assert!(message.contains("2000000000"), "the cap is stated: {message}");
}

#[test]
fn docs_spec_md_names_every_objective_and_kind() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/spec.md")).unwrap();
    for schema in eoslab_core::objective::schemas() {
        assert!(docs.contains(&format!("| `{}` |", schema.name)), "docs/spec.md does not list the objective {}", schema.name);
        for p in schema.params {
            assert!(docs.contains(&format!("`{}`", p.name)), "docs/spec.md does not mention {}.{}", schema.name, p.name);
        }
    }
    for kind in eoslab_core::spec::KINDS {
        assert!(docs.contains(&format!("## `kind: \"{kind}\"`")), "docs/spec.md has no section for kind {kind}");
    }
}

#[test]
fn momentum_flow_and_self_stabilization_fields_are_checked() {
    for (spec, field) in [
        (r#"{"kind":"trajectory","eta":0.5,"momentum":1.0}"#, "momentum"),
        (r#"{"kind":"trajectory","eta":0.5,"momentum":-0.1}"#, "momentum"),
        (r#"{"kind":"flow","eta":0.5,"flow":{"rtol":0}}"#, "flow.rtol"),
        (r#"{"kind":"flow","eta":0.5,"flow":{"rtol":0.5}}"#, "flow.rtol"),
        (r#"{"kind":"flow","eta":0.5,"flow":{"atol":1e-20}}"#, "flow.atol"),
        (r#"{"kind":"flow","eta":0.5,"flow":{"max_steps":0}}"#, "flow.max_steps"),
        (r#"{"kind":"flow","eta":0.5,"flow":{"max_steps":10000000}}"#, "flow.max_steps"),
        (r#"{"kind":"flow","eta":0.5,"flow":{"rtoll":1e-6}}"#, "flow.rtoll"),
        (r#"{"kind":"flow","eta":0.5,"x0":[0.3],"steps":1000,"flow":{"rtol":1e-13,"atol":1e-15,"max_steps":3}}"#, "flow.max_steps"),
        (r#"{"kind":"flow","eta":0}"#, "eta"),
        (r#"{"kind":"flow","eta":0.5,"steps":0}"#, "steps"),
        (r#"{"kind":"self_stabilization","eta":0.5,"steps":20001}"#, "steps"),
        (r#"{"kind":"self_stabilization","eta":0.1,"x0":[0.5],"steps":50}"#, "steps"),
        (r#"{"kind":"self_stabilization","eta":0.5,"steps":10,"start":11}"#, "start"),
        (r#"{"kind":"self_stabilization","eta":0.5,"projection":{"tol":0}}"#, "projection.tol"),
        (r#"{"kind":"self_stabilization","eta":0.5,"projection":{"max_iter":0}}"#, "projection.max_iter"),
        (r#"{"kind":"self_stabilization","eta":0.5,"sharpness":{"k":2}}"#, "sharpness.k"),
    ] {
        let (got, message) = refusal(spec);
        assert_eq!(got, field, "{spec}: {message}");
    }
}
