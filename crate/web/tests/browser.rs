//! Drawing in headless Chromium: every panel and the bifurcation raster put pixels on a real
//! canvas (through `drawPanel` and the older per-kind functions, which share its code), and the
//! returned plotting rectangle lies inside it.
#![cfg(target_arch = "wasm32")]

use eoslab_web::api::{draw_dynamics, draw_panel, draw_trajectory, run, BifurcationFigure};
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

fn canvas(w: u32, h: u32) -> HtmlCanvasElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let c: HtmlCanvasElement = doc.create_element("canvas").unwrap().dyn_into().unwrap();
    c.set_width(w);
    c.set_height(h);
    doc.body().unwrap().append_child(&c).unwrap();
    c
}

/// Pixels in the rectangle that are neither white nor transparent.
fn inked(c: &HtmlCanvasElement, x: f64, y: f64, w: f64, h: f64) -> usize {
    let ctx: CanvasRenderingContext2d = c.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    let data = ctx.get_image_data(x, y, w, h).unwrap().data();
    data.chunks(4).filter(|p| p[3] > 0 && (p[0] < 250 || p[1] < 250 || p[2] < 250)).count()
}

fn num(v: &JsValue, k: &str) -> f64 {
    Reflect::get(v, &k.into()).unwrap().as_f64().unwrap()
}

#[wasm_bindgen_test]
fn every_trajectory_panel_draws_inside_its_plot_area() {
    let spec = js_sys::JSON::parse(r#"{"kind":"trajectory","eta":1.1,"x0":[0.5],"steps":100}"#).unwrap();
    let result = run(spec).unwrap();
    for panel in ["landscape", "cobweb", "loss", "regimes", "sharpness"] {
        let c = canvas(800, 500);
        let r = draw_trajectory(c.clone().into(), panel.into(), result.clone(), 2.0.into()).unwrap();
        let (l, t, rt, b) = (num(&r, "left"), num(&r, "top"), num(&r, "right"), num(&r, "bottom"));
        assert!(0.0 < l && l < rt && rt <= 800.0 && 0.0 < t && t < b && b <= 500.0, "{panel}");
        let ink = inked(&c, l, t, rt - l, b - t);
        assert!(ink > 500, "{panel}: only {ink} inked pixels in the plot area");
    }
}

#[wasm_bindgen_test]
fn bifurcation_raster_fills_the_plot_area_and_marks_eta() {
    let spec = js_sys::JSON::parse(r#"{"kind":"bifurcation","eta_min":0.05,"eta_max":2.2,"n_eta":400}"#).unwrap();
    let fig = BifurcationFigure::new(spec).unwrap();
    let c = canvas(900, 500);
    let r = fig.draw(c.clone().into(), 1.0.into(), 1.1.into()).unwrap();
    let (l, t, rt, b) = (num(&r, "left"), num(&r, "top"), num(&r, "right"), num(&r, "bottom"));
    assert_eq!((num(&r, "x_min"), num(&r, "x_max")), (0.05, 2.2));
    assert!(inked(&c, l, t, rt - l, b - t) > 2000);
    // The marker column at η = 1.1 is inked from top to bottom.
    let px = (l + (1.1 - 0.05) / (2.2 - 0.05) * (rt - l)).round();
    assert!(inked(&c, px, t, 1.0, b - t) as f64 > 0.9 * (b - t));
    let bad = fig.draw(c.clone().into(), f64::NAN.into(), 1.0.into()).unwrap_err();
    assert_eq!(Reflect::get(&bad, &"field".into()).unwrap().as_string().unwrap(), "dpr");
}

#[wasm_bindgen_test]
fn dynamics_panels_draw_on_a_canvas_and_other_results_are_refused() {
    let parse = |s: &str| run(js_sys::JSON::parse(s).unwrap()).unwrap();
    let flow = parse(r#"{"kind":"flow","eta":1.1,"x0":[0.3],"steps":100}"#);
    let heavy_ball = parse(r#"{"kind":"trajectory","eta":1.1,"x0":[0.3],"steps":100,"momentum":0.5}"#);
    for (panel, heavy) in [("loss", JsValue::NULL), ("sharpness", heavy_ball.clone()), ("distance", JsValue::UNDEFINED)] {
        let c = canvas(800, 500);
        let r = draw_dynamics(c.clone().into(), panel.into(), flow.clone(), 2.0.into(), heavy).unwrap();
        let (l, t, rt, b) = (num(&r, "left"), num(&r, "top"), num(&r, "right"), num(&r, "bottom"));
        assert!(0.0 < l && l < rt && rt <= 800.0 && 0.0 < t && t < b && b <= 500.0, "{panel}");
        assert!(inked(&c, l, t, rt - l, b - t) > 500, "{panel}");
        // The time axis is η·t, up to 100η.
        assert!((num(&r, "x_max") - 110.0).abs() < 1e-9, "{panel}");
    }
    let c = canvas(200, 100);
    let message = |e: JsValue| Reflect::get(&e, &"message".into()).unwrap().as_string().unwrap();
    assert!(message(draw_dynamics(c.clone().into(), "plane".into(), flow.clone(), 1.0.into(), JsValue::NULL).unwrap_err())
        .contains("unknown panel"));
    assert!(message(draw_dynamics(c.clone().into(), "loss".into(), heavy_ball.clone(), 1.0.into(), JsValue::NULL).unwrap_err())
        .contains("\"flow\" or \"self_stabilization\""));
    assert!(
        message(draw_dynamics(c.clone().into(), "loss".into(), flow.clone(), 1.0.into(), flow.clone()).unwrap_err()).contains("heavyBall")
    );
    let bad = draw_dynamics(c.clone().into(), "loss".into(), flow, f64::NAN.into(), JsValue::NULL).unwrap_err();
    assert_eq!(Reflect::get(&bad, &"field".into()).unwrap().as_string().unwrap(), "dpr");
}

#[wasm_bindgen_test]
fn draw_panel_inks_every_kind_and_draws_dark_when_asked() {
    let parse = |s: &str| run(js_sys::JSON::parse(s).unwrap()).unwrap();
    let cases = [
        (r#"{"kind":"trajectory","eta":1.1,"x0":[0.5],"steps":100}"#, "cobweb"),
        (
            r#"{"kind":"self_stabilization","eta":0.1,"steps":200,"x0":[0.3,-0.14142135623730948,0],"objective":{"name":"self_stabilization_toy","alpha":1,"beta":1,"eta":0.1}}"#,
            "plane",
        ),
        (r#"{"kind":"bifurcation","eta_min":0.5,"eta_max":2.0,"n_eta":120,"transient":300,"record":32}"#, "diagram"),
        (r#"{"kind":"basin","objective":{"name":"unstable_convergence","which":"f4"},"eta":0.4,"nx":40,"ny":40,"steps":300}"#, "map"),
    ];
    for (spec, panel) in cases {
        let result = parse(spec);
        let c = canvas(600, 400);
        let r = draw_panel(c.clone().into(), panel.into(), result.clone(), 1.0.into(), JsValue::UNDEFINED).unwrap();
        let (l, t, rt, b) = (num(&r, "left"), num(&r, "top"), num(&r, "right"), num(&r, "bottom"));
        assert!(0.0 < l && l < rt && rt <= 600.0 && 0.0 < t && t < b && b <= 400.0, "{panel}");
        let ink = inked(&c, l, t, rt - l, b - t);
        assert!(ink > 800, "{panel}: only {ink} inked pixels in the plot area");
        assert_eq!(Reflect::get(&r, &"y_log".into()).unwrap().as_bool(), Some(false), "{panel}");
        // Dark: the corner of the canvas is the dark background.
        let c = canvas(600, 400);
        draw_panel(c.clone().into(), panel.into(), result, 1.0.into(), js_sys::JSON::parse(r#"{"dark":true}"#).unwrap()).unwrap();
        let ctx: CanvasRenderingContext2d = c.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
        let corner = ctx.get_image_data(1.0, 1.0, 1.0, 1.0).unwrap().data();
        assert!(corner[0] < 40 && corner[1] < 40 && corner[2] < 40 && corner[3] == 255, "{panel}: {corner:?}");
    }
    let field = |e: JsValue| Reflect::get(&e, &"field".into()).unwrap().as_string().unwrap();
    let result = parse(cases[0].0);
    let c = canvas(100, 100);
    assert_eq!(field(draw_panel(c.clone().into(), "map".into(), result.clone(), 1.0.into(), JsValue::UNDEFINED).unwrap_err()), "panel");
    assert_eq!(field(draw_panel(c.clone().into(), "loss".into(), result, 0.0.into(), JsValue::UNDEFINED).unwrap_err()), "dpr");
}
