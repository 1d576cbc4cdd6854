//! The JS-facing API in node (wasm-bindgen-test's default environment): specs in as plain JS
//! objects, results out as plain objects, errors as JS `Error`s with a `field`.
#![cfg(target_arch = "wasm32")]

use eoslab_web::api::{bench, panel_svg, panels, run, BifurcationFigure};
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
        (r#"[1, 2]"#, "spec"),
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
    assert_eq!(field_of(run(JsValue::from_str("not a spec")).unwrap_err()), "spec");
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
    let t = bench("bifurcation_scan_2000x1256".into(), 1.into()).unwrap();
    assert!(get(&t, &["median_ms"]).as_f64().unwrap() > 0.0);
    assert_eq!(field_of(bench("nope".into(), 1.into()).unwrap_err()), "name");
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
        plot.insert(start.into(), scan.scan(start.into(), end.into()).unwrap()).unwrap();
    }
    assert_eq!(plot.filled(), 23);
    let whole = js_sys::JSON::stringify(&run(js(spec)).unwrap()).unwrap();
    assert_eq!(js_sys::JSON::stringify(&plot.result().unwrap()).unwrap(), whole);
    // The column nearest η = 1.1 (grid step 17/220): the 2-cycle from both starts.
    let column = plot.column(1.1.into()).unwrap();
    assert_eq!(get(&column, &["period"]).as_f64(), Some(2.0));
    assert_eq!(get(&column, &["index"]).as_f64(), Some(8.0));
    // Bad ranges, malformed chunks and wrong kinds are errors with a field.
    assert_eq!(field_of(scan.scan(20.into(), 24.into()).err().unwrap()), "columns");
    assert_eq!(field_of(plot.insert(21.into(), scan.scan(0.into(), 3.into()).unwrap()).err().unwrap()), "columns");
    assert_eq!(field_of(plot.insert(0.into(), js(r#"{"starts":2}"#)).err().unwrap()), "chunk.samples");
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
    plot.insert(12.into(), scan.rows(12.into(), 20.into()).unwrap()).unwrap();
    assert_eq!(get(&plot.counts().unwrap(), &["points"]).as_f64(), Some(240.0));
    plot.insert(0.into(), scan.rows(0.into(), 12.into()).unwrap()).unwrap();
    let whole = run(js(spec)).unwrap();
    let counts = plot.counts().unwrap();
    for class in ["stable_convergence", "unstable_convergence", "periodic", "bounded", "diverged"] {
        assert_eq!(get(&counts, &["counts", class]).as_f64(), get(&whole, &["counts", class]).as_f64(), "{class}");
    }
    // Cell (i, j) is the start (x[i], y[j]) of the grid, with the class the one-call map gives it.
    let cell = plot.cell(7.into(), 13.into()).unwrap();
    let x0: Array = get(&cell, &["x0"]).dyn_into().unwrap();
    let grid = |v: &str, k: u32| Array::from(&get(&whole, &[v])).get(k).as_f64().unwrap();
    assert_eq!((x0.get(0).as_f64().unwrap(), x0.get(1).as_f64().unwrap()), (grid("x", 7), grid("y", 13)));
    let class = Array::from(&get(&whole, &["class"])).get(13 * 30 + 7).as_f64().unwrap() as usize;
    let names = ["stable_convergence", "unstable_convergence", "periodic", "bounded", "diverged"];
    assert_eq!(get(&cell, &["class"]).as_string().unwrap(), names[class]);
    assert_eq!(field_of(plot.insert(19.into(), scan.rows(0.into(), 2.into()).unwrap()).err().unwrap()), "rows");
    assert_eq!(
        field_of(BasinScan::new(js(r#"{"kind":"basin","objective":{"name":"double_well"},"eta":0.5}"#)).err().unwrap()),
        "objective"
    );
}

/// The `<text>` contents of an SVG document, in order.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text").skip(1).map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim().to_string()).collect()
}

#[wasm_bindgen_test]
fn panels_list_every_kind_and_refuse_unknown_ones() {
    let names = |kind: &str| -> Vec<(String, bool)> {
        Array::from(&panels(kind.into()).unwrap())
            .iter()
            .map(|p| (get(&p, &["name"]).as_string().unwrap(), get(&p, &["natural"]).as_bool().unwrap()))
            .collect()
    };
    let trajectory = names("trajectory");
    let all: Vec<&str> = trajectory.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(all, ["landscape", "cobweb", "plane", "loss", "regimes", "sharpness"]);
    let natural: Vec<&str> = trajectory.iter().filter(|p| p.1).map(|p| p.0.as_str()).collect();
    assert_eq!(natural, ["loss", "sharpness"]);
    assert_eq!(names("bifurcation"), [("diagram".to_string(), true), ("lyapunov".to_string(), true)]);
    assert_eq!(names("self_stabilization").len(), 4);
    assert_eq!(field_of(panels("pie".into()).unwrap_err()), "kind");
}

#[wasm_bindgen_test]
fn panel_svg_keeps_the_axis_labels_as_text_and_names_bad_arguments() {
    let result = run(js(r#"{"kind":"trajectory","eta":1.1,"x0":[0.5],"steps":100}"#)).unwrap();
    let svg = panel_svg("landscape".into(), result.clone(), 390.0.into(), 260.0.into(), JsValue::UNDEFINED).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains(r#"width="390" height="260""#));
    let t = texts(&svg);
    for label in ["x", "f(x)", "f(x) with the GD iterates"] {
        assert!(t.iter().any(|s| s == label), "no <text> {label:?} in {t:?}");
    }
    let pinned_flow = format!(
        r#"{{"pinned":[{{"label":"a","result":{}}}]}}"#,
        js_sys::JSON::stringify(&run(js(r#"{"kind":"flow","eta":0.5,"x0":[0.3],"steps":10}"#)).unwrap()).unwrap()
    );
    let cases: [(&str, JsValue, f64, f64, JsValue, &str); 8] = [
        ("pie", result.clone(), 300.0, 200.0, JsValue::UNDEFINED, "panel"),
        ("plane", result.clone(), 300.0, 200.0, JsValue::UNDEFINED, "panel"),
        ("loss", js(r#"{"kind":"trajectory"}"#), 300.0, 200.0, JsValue::UNDEFINED, "result"),
        ("loss", result.clone(), f64::NAN, 200.0, JsValue::UNDEFINED, "width"),
        ("loss", result.clone(), 300.0, 1e9, JsValue::UNDEFINED, "height"),
        ("loss", result.clone(), 300.0, 200.0, js(r#"{"pinned":[{"label":"a"}]}"#), "options.pinned"),
        ("loss", result.clone(), 300.0, 200.0, js(&pinned_flow), "options.pinned"),
        ("loss", result.clone(), 300.0, 200.0, js(r#"{"shiny":true}"#), "options.shiny"),
    ];
    for (panel, r, w, h, options, field) in cases {
        assert_eq!(field_of(panel_svg(panel.into(), r, w.into(), h.into(), options).unwrap_err()), field, "{panel} {w}×{h}");
    }
}

/// The wasm half of the cross-target check (crate/figure/tests/golden/README.md): `panelSVG` in
/// node gives, byte for byte, the golden SVG the native test draws.
#[wasm_bindgen_test]
fn panel_svg_equals_the_native_svg() {
    let cases = js(include_str!("../../figure/tests/golden/cases.json"));
    let golden = |name: &str| match name {
        "trajectory_loss" => include_str!("../../figure/tests/golden/trajectory_loss.svg"),
        "trajectory_landscape_phone" => {
            include_str!("../../figure/tests/golden/trajectory_landscape_phone.svg")
        }
        "flow_sharpness_dark" => include_str!("../../figure/tests/golden/flow_sharpness_dark.svg"),
        "bifurcation_diagram" => include_str!("../../figure/tests/golden/bifurcation_diagram.svg"),
        "basin_map" => include_str!("../../figure/tests/golden/basin_map.svg"),
        other => panic!("no golden SVG compiled in for the case {other:?}: add it here"),
    };
    for case in Array::from(&cases).iter() {
        let name = get(&case, &["name"]).as_string().unwrap();
        let result = run(get(&case, &["spec"])).unwrap();
        let (w, h) = (get(&case, &["width"]).as_f64().unwrap(), get(&case, &["height"]).as_f64().unwrap());
        let svg = panel_svg(get(&case, &["panel"]), result, w.into(), h.into(), get(&case, &["options"])).unwrap();
        assert!(svg == golden(&name), "{name}: wasm's SVG differs from the native one");
    }
}

/// The basin page's legend lists the colours the map shows: none before any row, and once the
/// rows are in, one shade per minimum reached (f₄ has two, ±(a, a)).
#[wasm_bindgen_test]
fn the_basin_legend_follows_the_rows_present() {
    use eoslab_web::scans::{BasinPlot, BasinScan};
    let spec = r#"{"kind":"basin","objective":{"name":"unstable_convergence","which":"f4"},"eta":0.4,"nx":24,"ny":24,"steps":300}"#;
    let scan = BasinScan::new(js(spec)).unwrap();
    let mut plot = BasinPlot::new(js(spec)).unwrap();
    assert_eq!(Array::from(&plot.legend().unwrap()).length(), 0);
    plot.insert(0.into(), scan.rows(0.into(), 24.into()).unwrap()).unwrap();
    let legend: Vec<(String, String)> = Array::from(&plot.legend().unwrap())
        .iter()
        .map(|e| (get(&e, &["name"]).as_string().unwrap(), get(&e, &["colour"]).as_string().unwrap()))
        .collect();
    let stable: Vec<&(String, String)> = legend.iter().filter(|e| e.0.starts_with("stable convergence → (")).collect();
    assert_eq!(stable.len(), 2, "{legend:?}");
    assert_ne!(stable[0].1, stable[1].1, "two minima, two shades");
    assert!(legend.iter().all(|e| e.1.len() == 7 && e.1.starts_with('#')), "{legend:?}");
}

// ---------------------------------------------------------------------------------------------
// Issue 11: hostile and careless input. Each case is reproduced as the issue reports it and is
// followed by a valid call that must still give the reference answer (the 2-cycle at η = 1.1),
// so a case that broke the module would fail the next assertion.

/// The reference call: GD on the double well at η = 1.1 from 0.5 settles on the 2-cycle
/// ((√(1 + 3/η) ± √(1 − 1/η))/2), whatever was called before.
fn assert_module_still_answers() {
    let r = run(js(r#"{"kind":"trajectory","eta":1.1,"x0":[0.5],"steps":200}"#)).unwrap();
    let orbit: Array = get(&r, &["outcome", "orbit"]).dyn_into().unwrap();
    let mut pts: Vec<f64> = orbit.iter().map(|p| Array::from(&p).get(0).as_f64().unwrap()).collect();
    pts.sort_by(|a, b| b.total_cmp(a));
    let (s, d) = ((1.0f64 + 3.0 / 1.1).sqrt(), (1.0f64 - 1.0 / 1.1).sqrt());
    assert!((pts[0] - (s + d) / 2.0).abs() < 1e-12 && (pts[1] - (s - d) / 2.0).abs() < 1e-12, "{pts:?}");
}

/// Evaluates a JS function body (to build values Rust cannot: getters, Proxies, Symbols).
fn eval(body: &str) -> JsValue {
    js_sys::Function::new_no_args(body).call0(&JsValue::NULL).unwrap()
}

fn refused(result: Result<JsValue, JsValue>) -> String {
    field_of(result.expect_err("refused"))
}

/// An object nested `depth` deep: {o: {o: … {} …}}.
fn nested(depth: usize) -> JsValue {
    eval(&format!("let d = {{}}; for (let i = 0; i < {depth}; i++) d = {{o: d}}; return d;"))
}

fn with(spec: &str, key: &str, value: &JsValue) -> JsValue {
    let spec = js(spec);
    Reflect::set(&spec, &key.into(), value).unwrap();
    spec
}

fn deep_path(prefix: &str, levels: usize) -> String {
    std::iter::once(prefix.to_string()).chain(std::iter::repeat_n("o".to_string(), levels)).collect::<Vec<_>>().join(".")
}

/// Item 1: `insert(-1, chunk)` and `insert(2**32 - 1, chunk)` wrapped in u32, passed the bounds
/// check and panicked; now they are refused and the plot takes the right chunk afterwards.
#[wasm_bindgen_test]
fn issue_11_item_1_a_negative_or_huge_insert_start_is_refused() {
    use eoslab_web::scans::{BasinPlot, BasinScan, BifurcationPlot, BifurcationScan};
    let spec = r#"{"kind":"basin","objective":{"name":"unstable_convergence","which":"f4"},"eta":0.4,"nx":6,"ny":4,"steps":200}"#;
    let (scan, mut plot) = (BasinScan::new(js(spec)).unwrap(), BasinPlot::new(js(spec)).unwrap());
    let chunk = scan.rows(0.into(), 2.into()).unwrap();
    assert_eq!(field_of(plot.insert((-1).into(), chunk.clone()).unwrap_err()), "start");
    assert_eq!(field_of(plot.insert(4294967295u32.into(), chunk.clone()).unwrap_err()), "rows");
    plot.insert(0.into(), chunk).unwrap();
    plot.insert(2.into(), scan.rows(2.into(), 4.into()).unwrap()).unwrap();
    assert_eq!(plot.filled(), 4);
    assert_eq!(get(&plot.counts().unwrap(), &["total"]).as_f64(), Some(24.0));
    drop(plot);
    let spec = r#"{"kind":"bifurcation","eta_min":0.5,"eta_max":1.3,"n_eta":5,"transient":300,"record":8}"#;
    let (scan, mut plot) = (BifurcationScan::new(js(spec)).unwrap(), BifurcationPlot::new(js(spec)).unwrap());
    let chunk = scan.scan(0.into(), 5.into()).unwrap();
    assert_eq!(field_of(plot.insert((-1).into(), chunk.clone()).unwrap_err()), "start");
    assert_eq!(field_of(plot.insert(4294967295u32.into(), chunk.clone()).unwrap_err()), "columns");
    plot.insert(0.into(), chunk).unwrap();
    assert_eq!(js_sys::JSON::stringify(&plot.result().unwrap()).unwrap(), js_sys::JSON::stringify(&run(js(spec)).unwrap()).unwrap());
    assert_module_still_answers();
}

/// Item 2: an objective, schedule or observable nested ~3000 deep overflowed the wasm stack and
/// poisoned the module; now it is refused at the depth limit naming the path that went too deep.
#[wasm_bindgen_test]
fn issue_11_item_2_deep_nesting_is_refused_naming_the_field() {
    for depth in [2300, 3000] {
        let d = nested(depth);
        let e = run(with(r#"{"kind":"trajectory","eta":1.1}"#, "objective", &d)).unwrap_err();
        // The spec is level 1, so the walk stops 31 levels into the objective.
        assert_eq!(field_of(e), deep_path("objective", 31));
        assert_eq!(refused(run(with(r#"{"kind":"trajectory","eta":1.1}"#, "schedule", &d))), deep_path("schedule", 31));
        let bifurcation = r#"{"kind":"bifurcation","eta_min":0.5,"eta_max":1.3,"n_eta":5}"#;
        assert_eq!(refused(run(with(bifurcation, "observable", &d))), deep_path("observable", 31));
        assert_module_still_answers();
    }
}

/// Item 3: a cyclic spec, a throwing getter and a throwing Proxy threw a RangeError without a
/// field and leaked; ~600 Proxy calls made every call trap, and a deep spec after a cyclic one
/// trapped. Now each is refused naming its field, and nothing is left behind.
#[wasm_bindgen_test]
fn issue_11_item_3_cycles_throwing_getters_and_proxies_are_refused() {
    let o = eval("const o = {}; o.o = o; return o;");
    assert_eq!(refused(run(with(r#"{"kind":"trajectory","eta":1.1}"#, "objective", &o))), "objective.o");
    assert_eq!(refused(run(o.clone())), "o");
    // After the cycle, a normally refused deep spec is refused, not a trap.
    assert_eq!(refused(run(with(r#"{"kind":"trajectory","eta":1.1}"#, "objective", &nested(3000)))), deep_path("objective", 31));
    let getter = eval("return {kind: 'trajectory', get eta() { throw new Error('boom'); }};");
    let e = run(getter).unwrap_err();
    assert!(get(&e, &["message"]).as_string().unwrap().contains("boom"));
    assert_eq!(field_of(e), "eta");
    let proxy = eval("return new Proxy({}, {get() { throw new Error('trap'); }, ownKeys() { return ['kind', 'eta']; }, getOwnPropertyDescriptor() { return {value: 1, enumerable: true, configurable: true}; }});");
    let keys = eval("return new Proxy({}, {ownKeys() { throw new Error('keys'); }});");
    let revoked = eval("const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy;");
    // Results and drawing options handed back for drawing are read by the same walk: a cyclic
    // result, a throwing option getter and an options Proxy whose keys throw are refused.
    let result = run(js(r#"{"kind":"trajectory","eta":1.1,"x0":[0.5],"steps":20}"#)).unwrap();
    let svg = |r: &JsValue, options: JsValue| panel_svg("loss".into(), r.clone(), 300.into(), 200.into(), options).map(JsValue::from);
    let cyclic = run(js(r#"{"kind":"trajectory","eta":1.1,"x0":[0.5],"steps":20}"#)).unwrap();
    Reflect::set(&cyclic, &"loop".into(), &cyclic).unwrap();
    assert_eq!(refused(svg(&cyclic, JsValue::UNDEFINED)), "result.loop");
    let options = eval("return {get dark() { throw new Error('dark'); }};");
    assert_eq!(refused(svg(&result, options)), "options.dark");
    assert_eq!(refused(svg(&result, keys.clone())), "options");
    assert_eq!(refused(svg(&result, revoked.clone())), "options");
    let run_a = with(r#"{"label":"a"}"#, "result", &cyclic);
    let pinned = with("{}", "pinned", &Array::of1(&run_a));
    assert_eq!(refused(svg(&result, pinned)), "options.pinned[0].result.loop");
    for _ in 0..700 {
        assert_eq!(refused(run(proxy.clone())), "kind");
        assert_eq!(refused(run(keys.clone())), "spec");
        assert_eq!(refused(run(with(r#"{"kind":"trajectory","eta":1.1}"#, "objective", &revoked))), "objective");
    }
    assert_module_still_answers();
}

/// Item 4: a number where a string is expected ran into the glue's string copy ("memory access
/// out of bounds"); every such argument is now read by type and refused naming it. (In node
/// there is no canvas: a plain object stands for one, and is itself refused once the other
/// arguments are right.)
#[wasm_bindgen_test]
fn issue_11_item_4_non_strings_where_strings_are_expected_are_refused() {
    use eoslab_web::api::{draw_dynamics, draw_panel, draw_trajectory};
    use eoslab_web::scans::{BasinPlot, BifurcationPlot};
    let canvas = js("{}");
    let result = run(js(r#"{"kind":"trajectory","eta":1.1,"x0":[0.5],"steps":20}"#)).unwrap();
    assert_eq!(refused(draw_trajectory(canvas.clone(), 1.into(), result.clone(), 1.into())), "panel");
    assert_eq!(refused(draw_trajectory(canvas.clone(), "loss".into(), result.clone(), 1.into())), "canvas");
    let flow = run(js(r#"{"kind":"flow","eta":1.1,"x0":[0.3],"steps":20}"#)).unwrap();
    assert_eq!(refused(draw_dynamics(canvas.clone(), 7.into(), flow.clone(), 1.into(), JsValue::NULL)), "panel");
    assert_eq!(refused(draw_dynamics(canvas.clone(), "loss".into(), flow, 1.into(), JsValue::NULL)), "canvas");
    assert_eq!(refused(bench(1.into(), 1.into())), "name");
    let plot = BifurcationPlot::new(js(r#"{"kind":"bifurcation","eta_min":0.5,"eta_max":1.3,"n_eta":5}"#)).unwrap();
    assert_eq!(refused(plot.draw(canvas.clone(), 1.into(), 0.5.into(), 42.into())), "title");
    assert_eq!(refused(plot.draw(canvas.clone(), 1.into(), 0.5.into(), "t".into())), "canvas");
    // The drawing API of issue 10 reads its arguments the same way.
    assert_eq!(refused(panels(3.into())), "kind");
    assert_eq!(refused(draw_panel(canvas.clone(), JsValue::NULL, result.clone(), 1.into(), JsValue::UNDEFINED)), "panel");
    assert_eq!(refused(draw_panel(canvas.clone(), "loss".into(), result.clone(), "2".into(), JsValue::UNDEFINED)), "dpr");
    assert_eq!(refused(draw_panel(canvas.clone(), "loss".into(), result.clone(), 2.into(), JsValue::UNDEFINED)), "canvas");
    let svg = |panel: JsValue, w: JsValue| panel_svg(panel, result.clone(), w, 200.into(), JsValue::UNDEFINED).map(JsValue::from);
    assert_eq!(refused(svg(5.into(), 300.into())), "panel");
    assert_eq!(refused(svg("loss".into(), "300".into())), "width");
    assert!(svg("loss".into(), 300.into()).unwrap().as_string().unwrap().starts_with("<svg"));
    let svg = plot.svg(JsValue::TRUE, 300.into(), 200.into(), f64::NAN.into());
    assert_eq!(refused(svg.map(JsValue::from)), "panel");
    let svg = plot.svg("diagram".into(), 300.into(), 200.into(), "η".into());
    assert_eq!(refused(svg.map(JsValue::from)), "marker");
    let basin = BasinPlot::new(js(
        r#"{"kind":"basin","objective":{"name":"unstable_convergence","which":"f4"},"eta":0.4,"nx":6,"ny":4,"steps":200}"#,
    ))
    .unwrap();
    assert_eq!(refused(basin.svg(js("[]"), 300.into(), 200.into()).map(JsValue::from)), "panel");
    assert_eq!(refused(basin.draw(canvas, 1.into(), "x".into(), 0.into())), "selected_x");
    assert_module_still_answers();
}

/// Item 6: errors that named no field: a BigInt index, a missing `eta` (named `""`), Symbol and
/// function values. (Errors after `free()` come from the glue and are checked in node on the
/// built module: tests/fuzz/regressions.mjs.)
#[wasm_bindgen_test]
fn issue_11_item_6_every_error_names_its_field() {
    use eoslab_web::scans::BasinPlot;
    let spec = r#"{"kind":"basin","objective":{"name":"unstable_convergence","which":"f4"},"eta":0.4,"nx":6,"ny":4,"steps":200}"#;
    let mut plot = BasinPlot::new(js(spec)).unwrap();
    let big = JsValue::bigint_from_str("1");
    assert_eq!(field_of(plot.insert(big.clone(), js("{}")).unwrap_err()), "start");
    assert_eq!(refused(plot.cell(big.clone(), 0.into())), "i");
    for kind in ["trajectory", "orbit", "basin", "flow", "self_stabilization"] {
        let e = run(js(&format!(r#"{{"kind":"{kind}"}}"#))).unwrap_err();
        assert!(get(&e, &["message"]).as_string().unwrap().contains("missing field `eta`"), "{kind}");
        assert_eq!(field_of(e), "eta", "{kind}");
    }
    assert_eq!(refused(run(js(r#"{"kind":"sweep","eta_min":0.1}"#))), "eta_max");
    assert_eq!(refused(run(with(r#"{"kind":"trajectory","eta":1.1}"#, "steps", &big))), "steps");
    assert_eq!(refused(run(with(r#"{"kind":"trajectory","eta":1.1}"#, "steps", &eval("return Symbol('x');")))), "steps");
    assert_eq!(refused(run(with(r#"{"kind":"trajectory","eta":1.1}"#, "x0", &eval("return [() => 1];")))), "x0[0]");
    assert_eq!(refused(run(js(r#"[1, 2]"#))), "spec");
    assert_eq!(refused(run(JsValue::from_str("not a spec"))), "spec");
    assert_module_still_answers();
}

/// Item 7: the whole spec was converted before any check (x0 of 10⁷ entries: 9.9 s, 800 MB).
/// Lengths and field counts are now checked before anything is read.
#[wasm_bindgen_test]
fn issue_11_item_7_huge_inputs_are_refused_before_they_are_read() {
    use eoslab_web::scans::objective_info;
    let huge = Array::new_with_length(10_000_000);
    let e = run(with(r#"{"kind":"trajectory","eta":1.1}"#, "x0", &huge)).unwrap_err();
    assert!(get(&e, &["message"]).as_string().unwrap().contains("10000000 entries"));
    assert_eq!(field_of(e), "x0");
    let fields = eval("const o = {kind: 'trajectory', eta: 1.1}; for (let i = 0; i < 1e6; i++) o['f' + i] = i; return o;");
    assert_eq!(refused(run(fields)), "spec");
    assert_eq!(refused(objective_info(huge.into())), "objective");
    // Within the limits, a wrong length is still the core's refusal naming the field.
    assert_eq!(refused(run(js(r#"{"kind":"trajectory","eta":1.1,"x0":[0.5,0.5]}"#))), "x0");
    assert_module_still_answers();
}
