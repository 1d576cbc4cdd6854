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
            (inner.clone(), prop::sample::select(vec!["+", "-", "*", "/", "^"]), inner.clone()).prop_map(|(a, op, b)| format!("({a}) {op} ({b})")),
            (prop::sample::select(vec!["sin", "cos", "tan", "tanh", "exp", "log", "sqrt", "abs"]), inner.clone()).prop_map(|(f, a)| format!("{f}({a})")),
            inner.prop_map(|a| format!("-{a}")),
        ]
    })
}

fn objective() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"name": "double_well"})),
        number().prop_map(|mu| json!({"name": "double_well", "mu": mu})),
        (number(), 1..4u64).prop_map(|(mu, d)| json!({"name": "two_factor", "mu": mu, "d": d})),
        (prop::sample::select(vec![0.0, 1.0, 2.0, 6.0, 10.0, 14.0, 15.0]), 1..3u64).prop_map(|(b, d)| json!({"name": "regularity", "b": b, "d": d})),
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
    let kind = prop::sample::select(vec!["trajectory", "bifurcation", "curvature", "onsets", "basin", "sweep", "flow", "self_stabilization", "orbit", "spiral"]);
    (kind, objective(), number(), number(), count(40), point(), any::<bool>(), any::<bool>()).prop_map(|(kind, objective, eta, eta2, steps, x0, with_objective, bogus)| {
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
    })
}

/// The first NaN or ∞ of a result, found by serialising it with a formatter that fails on one
/// (serde_json itself would write null).
fn non_finite(output: &Output) -> Option<String> {
    let mut text = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut text, FiniteOnly);
    serde::Serialize::serialize(output, &mut serializer).err().map(|e| format!("{e} after {}", String::from_utf8_lossy(&text[text.len().saturating_sub(120)..])))
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
