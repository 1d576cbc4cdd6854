//! The JS-facing API (wasm32 only). Plain JSON-like objects in and out; every error is a JS
//! `Error` whose `field` property names the spec field it concerns ("" for the whole spec).

use eoslab_core::scans::bifurcation::Bifurcation;
use eoslab_core::{Output, Spec, SpecError};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde::de::IntoDeserializer;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

use crate::columns::common_period;
use crate::figures::{self, PlotRect, Scale};
use crate::scans::draw_bifurcation;

/// Installs a panic hook that reports the message on the console: with `panic = "abort"` a panic
/// still ends the module, so the API never panics by design and this is only a last witness.
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| web_sys::console::error_1(&format!("eoslab: {info}").into())));
}

pub(crate) fn js_error(e: SpecError) -> JsValue {
    let error = js_sys::Error::new(&e.to_string());
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&error, &"field".into(), &e.field.into());
    error.into()
}

pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error(SpecError::whole(format!("could not return the result: {e}"))))
}

/// Reads the spec into a self-describing value first, then dispatches on `kind` (see
/// `eoslab_core::spec::deserialize` for why by hand). The intermediate value is needed because
/// serde-wasm-bindgen reads a struct by looking up its known field names only, so unknown fields
/// would pass unnoticed; `serde_value::Value` sees every key and, unlike JSON, keeps NaN and ∞ so
/// the core can refuse them by name.
pub(crate) fn parse_spec(spec: JsValue) -> Result<Spec, JsValue> {
    use serde_value::Value;
    let invalid = |m: String| js_error(SpecError::whole(format!("invalid spec: {m}")));
    let value = js_value(spec).map_err(invalid)?;
    let Value::Map(mut fields) = value else {
        return Err(invalid("expected an object with a \"kind\"".into()));
    };
    let kind = match fields.remove(&Value::String("kind".into())) {
        None => None,
        Some(Value::String(k)) => Some(k),
        Some(_) => {
            let message = format!("must be a string, one of {:?}", eoslab_core::spec::KINDS);
            return Err(js_error(SpecError::new("kind", message)));
        }
    };
    let fields = Value::Map(fields).into_deserializer();
    eoslab_core::spec::deserialize(kind.as_deref(), fields).map_err(js_error)
}

fn js_value(value: JsValue) -> Result<serde_value::Value, String> {
    serde::Deserialize::deserialize(serde_wasm_bindgen::Deserializer::from(value)).map_err(|e| e.to_string())
}

/// A part of a spec (such as an objective) read the way [`parse_spec`] reads a whole one; errors
/// name `field`.
pub(crate) fn parse_value<T: serde::de::DeserializeOwned>(value: JsValue, field: &str) -> Result<T, JsValue> {
    let invalid = |m: String| js_error(SpecError::new(field, format!("invalid {field}: {m}")));
    T::deserialize(js_value(value).map_err(invalid)?.into_deserializer()).map_err(|e| invalid(e.to_string()))
}

/// Every objective's schema (name, group, title, description, citation, parameters with type,
/// default and range): the front end builds its selector and controls from it.
#[wasm_bindgen]
pub fn objectives() -> Result<JsValue, JsValue> {
    to_js(&eoslab_core::objective::schemas())
}

/// Runs a figure spec (see docs/spec.md) and returns its result as a plain object.
#[wasm_bindgen]
pub fn run(spec: JsValue) -> Result<JsValue, JsValue> {
    let output = eoslab_core::run(&parse_spec(spec)?).map_err(js_error)?;
    to_js(&output)
}

pub(crate) fn canvas_area(canvas: &HtmlCanvasElement) -> Result<DrawingArea<CanvasBackend, plotters::coord::Shift>, JsValue> {
    CanvasBackend::with_canvas_object(canvas.clone())
        .map(|b| b.into_drawing_area())
        .ok_or_else(|| js_error(SpecError::whole("the canvas has no 2d context")))
}

pub(crate) fn scale(dpr: f64) -> Result<Scale, JsValue> {
    if dpr.is_finite() && (0.25..=8.0).contains(&dpr) {
        Ok(Scale(dpr))
    } else {
        Err(js_error(SpecError::new("dpr", format!("must lie in [0.25, 8] (got {dpr})"))))
    }
}

fn drawn(r: Result<PlotRect, String>) -> Result<JsValue, JsValue> {
    to_js(&r.map_err(|e| js_error(SpecError::whole(e)))?)
}

/// Draws one panel ("landscape", "cobweb", "plane", "loss", "regimes" or "sharpness") of a trajectory result
/// returned by `run` onto a canvas whose size is already in device pixels; returns the plotting
/// area's pixel rectangle with its data range.
#[wasm_bindgen(js_name = drawTrajectory)]
pub fn draw_trajectory(canvas: &HtmlCanvasElement, panel: &str, result: JsValue, dpr: f64) -> Result<JsValue, JsValue> {
    let s = scale(dpr)?;
    let output: Output =
        serde_wasm_bindgen::from_value(result).map_err(|e| js_error(SpecError::whole(format!("not a trajectory result: {e}"))))?;
    let Output::Trajectory(t): Output = output else {
        return Err(js_error(SpecError::whole("drawTrajectory needs a result of kind \"trajectory\"")));
    };
    let area = canvas_area(canvas)?;
    let r = figures::draw_trajectory(&area, panel, &t, s);
    area.present().map_err(|e| js_error(SpecError::whole(format!("drawing failed: {e:?}"))))?;
    drawn(r)
}

/// A bifurcation scan kept in wasm memory, so that redrawing (resize, a new η marker) neither
/// re-runs the scan nor copies its samples to JS.
#[wasm_bindgen]
pub struct BifurcationFigure {
    scan: Bifurcation,
}

#[wasm_bindgen]
impl BifurcationFigure {
    /// Runs a spec of kind "bifurcation".
    #[wasm_bindgen(constructor)]
    pub fn new(spec: JsValue) -> Result<BifurcationFigure, JsValue> {
        match eoslab_core::run(&parse_spec(spec)?).map_err(js_error)? {
            Output::Bifurcation(scan) => Ok(BifurcationFigure { scan }),
            _ => Err(js_error(SpecError::new("kind", "BifurcationFigure needs a spec of kind \"bifurcation\""))),
        }
    }

    /// Per η of the grid, the period every start settled on (0 where they differ, are not
    /// periodic, or diverged), for the page's readouts.
    pub fn periods(&self) -> Vec<u32> {
        self.scan.runs.iter().map(|col| common_period(col)).collect()
    }

    /// Draws the diagram with a marker at `marker_eta`; returns the plotting area's pixel rectangle
    /// and data range (η horizontally), from which the page maps a click to η.
    pub fn draw(&self, canvas: &HtmlCanvasElement, dpr: f64, marker_eta: f64) -> Result<JsValue, JsValue> {
        draw_bifurcation(canvas, &self.scan, dpr, marker_eta, "bifurcation diagram of the GD map (click to set η)")
    }
}

/// Times a named workload of `eoslab_core::benchmarks` (the same workloads the native bench runs):
/// returns `{name, median_ms, samples, calls}`, `calls` being the evaluations in one run.
#[wasm_bindgen]
pub fn bench(name: &str, reps: u32) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Timing<'a> {
        name: &'a str,
        median_ms: f64,
        samples: u32,
        calls: usize,
    }
    let mut workload = eoslab_core::benchmarks::Workload::named(name).map_err(js_error)?;
    let reps = reps.clamp(1, 1000);
    // `performance` exists in pages, workers and node alike.
    let performance: web_sys::Performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into())?
        .dyn_into()
        .map_err(|_| js_error(SpecError::whole("bench needs the global `performance`")))?;
    workload.run().map_err(js_error)?;
    let mut times = Vec::with_capacity(reps as usize);
    for _ in 0..reps {
        let t0 = performance.now();
        workload.run().map_err(js_error)?;
        times.push(performance.now() - t0);
    }
    times.sort_by(f64::total_cmp);
    to_js(&Timing { name, median_ms: times[times.len() / 2], samples: reps, calls: workload.calls() })
}
