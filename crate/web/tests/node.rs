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
    let f =
        BifurcationFigure::new(js(r#"{"kind":"bifurcation","eta_min":0.5,"eta_max":2.5,"n_eta":5,"transient":3000,"record":64}"#)).unwrap();
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

/// A scan computed in chunks (as the workers do) and put together by the page's plot in any order
/// equals the scan `run` computes in one call.
#[wasm_bindgen_test]
fn chunked_bifurcation_scans_rebuild_the_one_call_result() {
    use eoslab_web::scans::{BifurcationPlot, BifurcationScan};
    let spec = r#"{"kind":"bifurcation","eta_min":0.5,"eta_max":2.2,"n_eta":23,"transient":300,"record":16}"#;
    let scan = BifurcationScan::new(js(spec)).unwrap();
    let mut plot = BifurcationPlot::new(js(spec)).unwrap();
    assert_eq!((scan.size(), plot.size(), plot.filled()), (23, 23, 0));
    for (start, end) in [(20, 23), (0, 7), (7, 20)] {
        plot.insert(start, scan.scan(start, end).unwrap()).unwrap();
    }
    assert_eq!(plot.filled(), 23);
    let whole = js_sys::JSON::stringify(&run(js(spec)).unwrap()).unwrap();
    assert_eq!(js_sys::JSON::stringify(&plot.result().unwrap()).unwrap(), whole);
    // The column nearest η = 1.1 (grid step 17/220): the 2-cycle from both starts.
    let column = plot.column(1.1).unwrap();
    assert_eq!(get(&column, &["period"]).as_f64(), Some(2.0));
    assert_eq!(get(&column, &["index"]).as_f64(), Some(8.0));
    // Bad ranges, malformed chunks and wrong kinds are errors with a field.
    assert_eq!(field_of(scan.scan(20, 24).err().unwrap()), "columns");
    assert_eq!(field_of(plot.insert(21, scan.scan(0, 3).unwrap()).err().unwrap()), "columns");
    assert_eq!(field_of(plot.insert(0, js(r#"{"starts":2}"#)).err().unwrap()), "");
    assert_eq!(field_of(BifurcationPlot::new(js(r#"{"kind":"basin","eta":0.5}"#)).err().unwrap()), "kind");
    assert_eq!(field_of(BifurcationScan::new(js(r#"{"kind":"bifurcation","eta_min":-1,"eta_max":1}"#)).err().unwrap()), "eta_min");
}

/// A basin map computed in bands of rows, in any order, counts its classes as the one-call map.
#[wasm_bindgen_test]
fn chunked_basin_maps_count_like_the_one_call_map() {
    use eoslab_web::scans::{BasinPlot, BasinScan};
    let spec = r#"{"kind":"basin","objective":{"name":"unstable_convergence","which":"f4"},"eta":0.4,"nx":30,"ny":20,"steps":500}"#;
    let scan = BasinScan::new(js(spec)).unwrap();
    let mut plot = BasinPlot::new(js(spec)).unwrap();
    assert_eq!((scan.size(), plot.nx(), plot.ny(), plot.filled()), (20, 30, 20, 0));
    plot.insert(12, scan.rows(12, 20).unwrap()).unwrap();
    assert_eq!(get(&plot.counts().unwrap(), &["points"]).as_f64(), Some(240.0));
    plot.insert(0, scan.rows(0, 12).unwrap()).unwrap();
    let whole = run(js(spec)).unwrap();
    let counts = plot.counts().unwrap();
    for class in ["stable_convergence", "unstable_convergence", "periodic", "bounded", "diverged"] {
        assert_eq!(get(&counts, &["counts", class]).as_f64(), get(&whole, &["counts", class]).as_f64(), "{class}");
    }
    // Cell (i, j) is the start (x[i], y[j]) of the grid, with the class the one-call map gives it.
    let cell = plot.cell(7, 13).unwrap();
    let x0: Array = get(&cell, &["x0"]).dyn_into().unwrap();
    let grid = |v: &str, k: u32| Array::from(&get(&whole, &[v])).get(k).as_f64().unwrap();
    assert_eq!((x0.get(0).as_f64().unwrap(), x0.get(1).as_f64().unwrap()), (grid("x", 7), grid("y", 13)));
    let class = Array::from(&get(&whole, &["class"])).get(13 * 30 + 7).as_f64().unwrap() as usize;
    let names = ["stable_convergence", "unstable_convergence", "periodic", "bounded", "diverged"];
    assert_eq!(get(&cell, &["class"]).as_string().unwrap(), names[class]);
    assert_eq!(field_of(plot.insert(19, scan.rows(0, 2).unwrap()).err().unwrap()), "rows");
    assert_eq!(
        field_of(BasinScan::new(js(r#"{"kind":"basin","objective":{"name":"double_well"},"eta":0.5}"#)).err().unwrap()),
        "objective"
    );
}
