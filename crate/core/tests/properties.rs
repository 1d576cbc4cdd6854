//! Property tests (proptest) of what reaches the core from outside: `parse_json` + `run` on
//! generated specs, and the formula parser on arbitrary and on grammatical text. The contract
//! (docs/spec.md): nothing panics; a refusal names a field; an accepted spec's result holds no NaN
//! or ∞. Sizes are drawn small, so that accepted specs run in milliseconds; the values of the
//! fields that are checked before anything runs (η, steps, tolerances, coordinates) range over
//! every class of number, bounds ±1 included.

use eoslab_core::objective::{Objective, ObjectiveSpec, ParamValue};
use eoslab_core::{parse_json, run, Output};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Numbers of every class: ordinary, at the documented bounds and just past them, tiny, huge;
/// NaN and ±∞ cannot be written in JSON, so strings stand in for them (refused by type).
fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (-3.0f64..3.0).prop_map(|x| json!(x)),
        1 => prop::sample::select(vec![0.0, -0.0, 1.0, -1.0, 1e-308, 5e-324, 1e6, 1e6 + 1.0, 1e308, -1e308, 2.0, 1e-15, 1e-3, 0.1]).prop_map(|x| json!(x)),
        1 => prop::sample::select(vec![0i64, 1, 2, 100, 4096, 4097, 10_000, 10_001, 100_000, 100_001, -1]).prop_map(|x| json!(x)),
        1 => prop::sample::select(vec!["NaN", "Infinity", "1", ""]).prop_map(|s| json!(s)),
        1 => Just(Value::Null),
    ]
}

/// A small count, sometimes 0, −1 or any number.
fn count(max: u64) -> impl Strategy<Value = Value> {
    prop_oneof![4 => (1..=max).prop_map(|n| json!(n)), 1 => prop::sample::select(vec![0i64, -1]).prop_map(|n| json!(n)), 1 => number()]
}

fn point() -> impl Strategy<Value = Value> {
    prop::collection::vec(number(), 0..4).prop_map(Value::Array)
}

/// A formula from the grammar, with constants that overflow, divide by zero or leave a domain.
fn formula() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(vec!["x", "y", "0", "1", "2", "0.5", "1e308", "1e-308", "3"]).prop_map(str::to_owned);
    leaf.prop_recursive(6, 48, 2, |inner| {
        prop_oneof![
            (inner.clone(), prop::sample::select(vec!["+", "-", "*", "/", "^"]), inner.clone())
                .prop_map(|(a, op, b)| format!("({a}) {op} ({b})")),
            (prop::sample::select(vec!["sin", "cos", "tan", "tanh", "exp", "log", "sqrt", "abs"]), inner.clone())
                .prop_map(|(f, a)| format!("{f}({a})")),
            inner.prop_map(|a| format!("-{a}")),
        ]
    })
}

fn objective() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"name": "double_well"})),
        number().prop_map(|mu| json!({"name": "double_well", "mu": mu})),
        (number(), 1..4u64).prop_map(|(mu, d)| json!({"name": "two_factor", "mu": mu, "d": d})),
        (prop::sample::select(vec![0.0, 1.0, 2.0, 6.0, 10.0, 14.0, 15.0]), 1..3u64)
            .prop_map(|(b, d)| json!({"name": "regularity", "b": b, "d": d})),
        prop::sample::select(vec!["f1", "f2", "f3", "f4", "f5"]).prop_map(|w| json!({"name": "unstable_convergence", "which": w})),
        (number(), number()).prop_map(|(a, b)| json!({"name": "self_stabilization_toy", "alpha": a, "beta": b})),
        (1..4u64, 1..4u64).prop_map(|(n, r)| json!({"name": "matrix_factorization", "n": n, "r": r})),
        (formula(), prop::sample::select(vec!["x", "x, y"])).prop_map(|(f, v)| json!({"name": "formula", "formula": f, "variables": v})),
        Just(json!({"name": "nonexistent"})),
        Just(json!({"name": "mlp", "n": 4, "hidden": [3], "input_dim": 2})),
    ]
}

/// A spec of any kind with small sizes and mutated fields, sometimes with an unknown field.
fn spec() -> impl Strategy<Value = Value> {
    let kind = prop::sample::select(vec![
        "trajectory",
        "bifurcation",
        "curvature",
        "onsets",
        "basin",
        "sweep",
        "flow",
        "self_stabilization",
        "orbit",
        "spiral",
    ]);
    (kind, objective(), number(), number(), count(40), point(), any::<bool>(), any::<bool>()).prop_map(
        |(kind, objective, eta, eta2, steps, x0, with_objective, bogus)| {
            let mut s = match kind {
                "trajectory" | "flow" => json!({"eta": eta, "steps": steps, "x0": x0}),
                "self_stabilization" => json!({"eta": eta, "steps": steps}),
                "bifurcation" => json!({"eta_min": eta, "eta_max": eta2, "n_eta": 4, "transient": steps, "record": 4}),
                "onsets" => json!({"eta_min": eta, "eta_max": eta2, "n_eta": 8, "max_onsets": 2, "transient": 50}),
                "basin" => json!({"eta": eta, "nx": 3, "ny": 3, "steps": steps}),
                "sweep" => json!({"eta_min": eta, "eta_max": eta2, "n_eta": 3, "steps": steps}),
                "orbit" => json!({"eta": eta, "period": 2, "max_iter": steps}),
                "curvature" => json!({"x": x0}),
                _ => json!({}),
            };
            let object = s.as_object_mut().expect("an object");
            object.insert("kind".into(), json!(kind));
            if with_objective {
                object.insert("objective".into(), objective);
                object.remove("x0");
                object.remove("x");
            }
            if bogus {
                object.insert("bogus".into(), json!(1));
            }
            s
        },
    )
}

/// The first NaN or ∞ of a result, found by serialising it with a formatter that fails on one
/// (serde_json itself would write null).
fn non_finite(output: &Output) -> Option<String> {
    let mut text = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut text, FiniteOnly);
    serde::Serialize::serialize(output, &mut serializer)
        .err()
        .map(|e| format!("{e} after {}", String::from_utf8_lossy(&text[text.len().saturating_sub(120)..])))
}

/// A JSON formatter that fails on a non-finite number instead of writing null.
struct FiniteOnly;

impl serde_json::ser::Formatter for FiniteOnly {
    fn write_f64<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, value: f64) -> std::io::Result<()> {
        if !value.is_finite() {
            return Err(std::io::Error::other(format!("non-finite number {value}")));
        }
        serde_json::ser::CompactFormatter.write_f64(writer, value)
    }

    fn write_f32<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, value: f32) -> std::io::Result<()> {
        self.write_f64(writer, value as f64)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Any text: a spec or a refusal naming a field, never a panic.
    #[test]
    fn parse_json_refuses_any_text_with_a_field(text in ".{0,200}") {
        if let Err(e) = parse_json(&text) {
            prop_assert!(!e.field.is_empty(), "{e}");
        }
    }

    /// Generated specs: refused naming a field, or run to a result without NaN or ∞.
    #[test]
    fn generated_specs_run_to_finite_results_or_are_refused_by_field(spec in spec()) {
        let text = spec.to_string();
        match parse_json(&text).and_then(|s| run(&s)) {
            Err(e) => prop_assert!(!e.field.is_empty(), "{text}: {e}"),
            Ok(output) => prop_assert!(non_finite(&output).is_none(), "{text}: {:?}", non_finite(&output)),
        }
    }

    /// Any formula text (to past the 500-character cap): an objective or a refusal naming
    /// `objective.formula` or `objective.variables`.
    #[test]
    fn the_formula_parser_refuses_any_text_by_field(text in ".{0,520}") {
        let spec = ObjectiveSpec::new("formula", &[("formula", ParamValue::Text(text)), ("variables", ParamValue::Text("x, y".into()))]);
        if let Err(e) = spec.build() {
            prop_assert!(e.field.starts_with("objective."), "{e}");
        }
    }

    /// Grammatical formulas are built, and their value, gradient and Hessian-vector product
    /// evaluate without a panic anywhere (what they return there is for the runs to check).
    #[test]
    fn grammatical_formulas_evaluate_without_panicking(text in formula(), x in -3.0f64..3.0, y in -3.0f64..3.0) {
        let spec = ObjectiveSpec::new("formula", &[("formula", ParamValue::Text(text.clone())), ("variables", ParamValue::Text("x, y".into()))]);
        let f = spec.build();
        prop_assert!(f.is_ok(), "{text}: {:?}", f.err());
        let f = f.unwrap();
        let (mut g, mut hv) = ([0.0; 2], [0.0; 2]);
        let _ = f.value(&[x, y]);
        f.gradient(&[x, y], &mut g);
        f.hessian_vector(&[x, y], &[1.0, 0.0], &mut hv);
    }
}

// ---------------------------------------------------------------------------------------------
// Issue 11 item 5, exactly as reported: NaN or ∞ in results. Each is now refused naming the
// field that causes it, or runs to a finite result.

/// The field a spec is refused by, or the first non-finite number of its result.
fn outcome(spec: &str) -> std::result::Result<Output, String> {
    let output = parse_json(spec).and_then(|s| run(&s)).map_err(|e| e.field)?;
    match non_finite(&output) {
        None => Ok(output),
        Some(bad) => panic!("{spec}: {bad}"),
    }
}

#[test]
fn issue_11_item_5_a_learning_rate_whose_2_over_eta_overflows_is_refused() {
    // 2/η = ∞ for η below ~1.1e-308: stability_threshold was Infinity.
    assert_eq!(outcome(r#"{"kind":"trajectory","eta":1e-308,"x0":[0.5],"steps":1}"#).err().as_deref(), Some("eta"));
    assert_eq!(outcome(r#"{"kind":"flow","eta":1e-308,"x0":[0.5],"steps":1}"#).err().as_deref(), Some("eta"));
    assert_eq!(outcome(r#"{"kind":"sweep","eta_min":1e-308,"eta_max":2e-308,"n_eta":2,"steps":1}"#).err().as_deref(), Some("eta_min"));
    assert_eq!(outcome(r#"{"kind":"self_stabilization","eta":1e-308,"steps":1}"#).err().as_deref(), Some("eta"));
    // The smallest accepted η still gives a finite threshold, 2/η exactly.
    let Ok(Output::Trajectory(t)) = outcome(r#"{"kind":"trajectory","eta":1e-12,"x0":[0.5],"steps":1}"#) else { panic!("accepted") };
    assert_eq!(t.stability_threshold, 2e12);
}

#[test]
fn issue_11_item_5_a_start_outside_a_formulas_domain_is_refused_and_leaving_it_is_divergence() {
    let formula = |f: &str, v: &str| format!(r#"{{"name":"formula","formula":"{f}","variables":"{v}"}}"#);
    // 0/0 + x: loss all NaN, outcome "chaotic"; 1e308*10 + x^2: loss ∞.
    for f in ["0/0 + x", "1e308*10 + x^2"] {
        let spec = format!(r#"{{"kind":"trajectory","eta":0.1,"x0":[0.5],"objective":{}}}"#, formula(f, "x"));
        assert_eq!(outcome(&spec).err().as_deref(), Some("x0"), "{f}");
    }
    // log(x) at x = −1: curvature loss NaN; sweep final_loss NaN with diverged_at null;
    // bifurcation loss samples NaN.
    let log = formula("log(x)", "x");
    assert_eq!(outcome(&format!(r#"{{"kind":"curvature","x":[-1],"objective":{log}}}"#)).err().as_deref(), Some("x"));
    assert_eq!(
        outcome(&format!(r#"{{"kind":"sweep","eta_min":0.1,"eta_max":0.5,"n_eta":3,"steps":50,"x0":[-1],"objective":{log}}}"#))
            .err()
            .as_deref(),
        Some("x0")
    );
    let bifurcation = format!(
        r#"{{"kind":"bifurcation","eta_min":0.1,"eta_max":0.5,"n_eta":3,"record":4,"transient":5,"starts":[[-1]],"observable":"loss","objective":{log}}}"#
    );
    assert_eq!(outcome(&bifurcation).err().as_deref(), Some("starts[0]"));
    // From x = 0.5 GD on log x steps to x − η/x: 0.5 − 0.5/0.5 = −0.5 at η = 0.5, outside the
    // domain: diverged at step 1, with the finite loss of the start only.
    let Ok(Output::Trajectory(t)) = outcome(&format!(r#"{{"kind":"trajectory","eta":0.5,"x0":[0.5],"objective":{log}}}"#)) else {
        panic!("accepted")
    };
    assert_eq!((t.loss.len(), t.loss[0]), (1, 0.5f64.ln()));
    assert_eq!(t.outcome_label, "diverged at step 1");
    let Ok(Output::Sweep(s)) =
        outcome(&format!(r#"{{"kind":"sweep","eta_min":0.5,"eta_max":0.5,"n_eta":1,"steps":50,"x0":[0.5],"objective":{log}}}"#))
    else {
        panic!("accepted")
    };
    assert_eq!(s.diverged_at, vec![Some(1)]);
    // self_stabilization with 1e308*10.
    let spec = format!(r#"{{"kind":"self_stabilization","eta":0.1,"steps":50,"objective":{}}}"#, formula("1e308*10 + x^2 + y^2", "x, y"));
    assert_eq!(outcome(&spec).err().as_deref(), Some("x0"));
}

#[test]
fn issue_11_item_5_a_diverging_prediction_stops_while_gd_converges() {
    // predicted_loss ended in Infinity at 15 steps; from 16 steps the HVP at the predicted point
    // was non-finite and the spec refused, though GD converges from this start.
    for steps in [15usize, 16, 40] {
        let spec =
            format!(r#"{{"kind":"self_stabilization","objective":{{"name":"two_factor"}},"eta":0.5,"x0":[2.5,0.41],"steps":{steps}}}"#);
        let Ok(Output::SelfStabilization(s)) = outcome(&spec) else { panic!("{spec} is accepted") };
        let k = s.predicted_diverged.expect("the prediction leaves the divergence radius");
        assert!(s.start < k && k <= steps, "{k}");
        assert_eq!(s.predicted_loss.len(), k - s.start);
        assert_eq!(s.constrained_loss.len(), steps + 1 - s.start, "θ† is followed to the last step");
        assert_eq!(s.gd_diverged, None);
    }
}
