//! The JS-facing API in node (wasm-bindgen-test's default environment): specs in as plain JS
//! objects, results out as plain objects, errors as JS `Error`s with a `field`.
#![cfg(target_arch = "wasm32")]

use eoslab_web::api::{bench, run, BifurcationFigure};
use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn js(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

fn get(v: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(v.clone(), |acc, k| Reflect::get(&acc, &JsValue::from_str(k)).unwrap())
}

fn field_of(e: JsValue) -> String {
    assert!(e.is_instance_of::<js_sys::Error>(), "errors are JS Error objects");
    get(&e, &["field"]).as_string().unwrap()
}

#[wasm_bindgen_test]
fn trajectory_converges_to_the_minimum_below_one_over_mu() {
    let r = run(js(r#"{"kind":"trajectory","eta":0.5,"x0":[0.5],"steps":100}"#)).unwrap();
    assert_eq!(get(&r, &["outcome_label"]).as_string().unwrap(), "1");
    let iterates: Array = get(&r, &["iterates"]).dyn_into().unwrap();
    assert_eq!(iterates.length(), 101);
    let last: Array = iterates.get(100).dyn_into().unwrap();
    assert!((last.get(0).as_f64().unwrap() - 1.0).abs() < 1e-12);
    assert_eq!(get(&r, &["stability_threshold"]).as_f64().unwrap(), 4.0);
}

#[wasm_bindgen_test]
fn two_cycle_at_eta_1_1_equals_the_closed_form() {
    let r = run(js(r#"{"kind":"trajectory","eta":1.1,"x0":[0.5],"steps":200}"#)).unwrap();
    assert_eq!(get(&r, &["outcome", "period"]).as_f64().unwrap(), 2.0);
    let (mu, eta) = (1.0f64, 1.1f64);
    let (s, d) = ((mu + 3.0 / eta).sqrt(), (mu - 1.0 / eta).sqrt());
    let orbit: Array = get(&r, &["outcome", "orbit"]).dyn_into().unwrap();
    let mut pts: Vec<f64> = orbit.iter().map(|p| Array::from(&p).get(0).as_f64().unwrap()).collect();
    pts.sort_by(|a, b| b.total_cmp(a));
    assert!((pts[0] - (s + d) / 2.0).abs() < 1e-12 && (pts[1] - (s - d) / 2.0).abs() < 1e-12, "{pts:?}");
}

#[wasm_bindgen_test]
fn divergence_is_a_result_with_no_nan() {
    let r = run(js(r#"{"kind":"trajectory","eta":2.1,"x0":[0.5],"steps":200}"#)).unwrap();
    assert_eq!(get(&r, &["outcome", "status"]).as_string().unwrap(), "diverged");
    let text = js_sys::JSON::stringify(&r).unwrap().as_string().unwrap();
    assert!(!text.contains("null"), "NaN would serialise as null");
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_naming_the_field_never_a_panic() {
    let cases = [
        (r#"{"kind":"trajectory","eta":-1,"x0":[0.5]}"#, "eta"),
        (r#"{"kind":"trajectory","eta":0.5,"x0":[0.5],"steps":0}"#, "steps"),
        (r#"{"kind":"trajectory","eta":0.5,"x0":[0.5],"steps":1000000}"#, "steps"),
        (r#"{"kind":"trajectory","eta":0.5,"x0":[0.5],"bogus":1}"#, "bogus"),
        (r#"{"kind":"trajectory","eta":0.5,"x0":[0.5],"objective":{"name":"double_well","mu":0}}"#, "objective.mu"),
        (r#"{"kind":"bifurcation","eta_min":1.2,"eta_max":1.0}"#, "eta_max"),
        (r#"{"kind":"trajectory","eta":0.5,"x0":[0.5],"steps":2.5}"#, "steps"),
        (r#"{"kind":"bifurcation","eta_min":0.5,"eta_max":1.0,"n_eta":-1}"#, "n_eta"),
        (r#"{"kind":"trajectory","eta":0.5,"x0":["a"]}"#, "x0[0]"),
        (r#"{"eta":0.5}"#, "kind"),
        (r#"[1, 2]"#, ""),
    ];
    for (spec, field) in cases {
        assert_eq!(field_of(run(js(spec)).unwrap_err()), field, "{spec}");
    }
    // NaN and ∞ cannot be written in JSON: build the object in JS.
    let spec = js(r#"{"kind":"trajectory","eta":0.5,"x0":[0.5]}"#);
    Reflect::set(&spec, &"steps".into(), &f64::NAN.into()).unwrap();
    assert_eq!(field_of(run(spec).unwrap_err()), "steps");
    for bad in [f64::NAN, f64::INFINITY] {
        let spec = js(r#"{"kind":"trajectory","x0":[0.5]}"#);
        Reflect::set(&spec, &"eta".into(), &bad.into()).unwrap();
        let e = run(spec).unwrap_err();
        let message = get(&e, &["message"]).as_string().unwrap();
        assert!(message.contains("finite"), "{message}");
        assert_eq!(field_of(e), "eta");
    }
    let e = run(js(r#"{"kind":"spiral"}"#)).unwrap_err();
    assert!(get(&e, &["message"]).as_string().unwrap().contains("spiral"));
    assert_eq!(field_of(run(JsValue::from_str("not a spec")).unwrap_err()), "");
}

#[wasm_bindgen_test]
fn bifurcation_figure_reports_periods_per_eta() {
    let f = BifurcationFigure::new(js(r#"{"kind":"bifurcation","eta_min":0.5,"eta_max":2.5,"n_eta":5,"transient":3000,"record":64}"#)).unwrap();
    // η = 0.5, 1.0 (neutral), 1.5 (chaos), 2.0 (boundary), 2.5 (diverged).
    let p = f.periods();
    assert_eq!((p[0], p[2], p[4]), (1, 0, 0));
    let e = BifurcationFigure::new(js(r#"{"kind":"trajectory","eta":0.5,"x0":[0.5]}"#)).err().unwrap();
    assert_eq!(field_of(e), "kind");
}

#[wasm_bindgen_test]
fn bench_times_a_known_workload_and_refuses_unknown_ones() {
    let t = bench("bifurcation_scan_2000x1256", 1).unwrap();
    assert!(get(&t, &["median_ms"]).as_f64().unwrap() > 0.0);
    assert_eq!(field_of(bench("nope", 1).unwrap_err()), "name");
}
