//! The JS-facing API (wasm32 only). Plain JSON-like objects in and out, every argument read by
//! [`crate::boundary`]; every error is a JS `Error` whose `field` property names the spec field or
//! argument it concerns (`spec` for the spec as a whole).

use eoslab_core::bifurcation::Bifurcation;
use eoslab_core::{Output, SpecError};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::boundary::{self, js_error, parse_spec, refuse, to_js, RESULT};
use crate::columns::common_period;
use crate::figures;
use crate::scans::draw_bifurcation;

/// Installs a panic hook that reports the message on the console: with `panic = "abort"` a panic
/// still ends the module, so the API never panics by design and this is only a last witness.
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| web_sys::console::error_1(&format!("eoslab: {info}").into())));
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
    let output = eoslab_core::run(&parse_spec(&spec)?).map_err(js_error)?;
    to_js(&output)
}

/// Draws one panel ("landscape", "cobweb", "plane", "loss", "regimes" or "sharpness") of a trajectory result
/// returned by `run` onto a canvas whose size is already in device pixels; returns the plotting
/// area's pixel rectangle with its data range.
#[wasm_bindgen(js_name = drawTrajectory)]
pub fn draw_trajectory(
    #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] panel: JsValue,
    result: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] dpr: JsValue,
) -> Result<JsValue, JsValue> {
    let panel = boundary::string(&panel, "panel", 64)?;
    let s = boundary::scale(&dpr)?;
    let Output::Trajectory(t) = boundary::inspect_then(result, "result", RESULT)? else {
        return Err(refuse("result", "drawTrajectory needs a result of kind \"trajectory\""));
    };
    let canvas = boundary::canvas(canvas)?;
    let area = boundary::canvas_area(&canvas)?;
    let r = figures::draw_trajectory(&area, &panel, &t, s).map_err(|e| refuse("panel", e))?;
    area.present().map_err(|e| refuse("canvas", format!("drawing failed: {e:?}")))?;
    to_js(&r)
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
        match eoslab_core::run(&parse_spec(&spec)?).map_err(js_error)? {
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
    pub fn draw(
        &self,
        #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] dpr: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] marker_eta: JsValue,
    ) -> Result<JsValue, JsValue> {
        let marker = boundary::number(&marker_eta, "marker_eta")?;
        draw_bifurcation(canvas, &self.scan, &dpr, marker, "bifurcation diagram of the GD map (click to set η)")
    }
}

/// Times a named workload of `eoslab_core::benchmarks` (the same workloads the native bench runs):
/// returns `{name, median_ms, samples, calls}`, `calls` being the evaluations in one run.
#[wasm_bindgen]
pub fn bench(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] reps: JsValue,
) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Timing<'a> {
        name: &'a str,
        median_ms: f64,
        samples: u32,
        calls: usize,
    }
    let name = boundary::string(&name, "name", 64)?;
    let reps = boundary::index(&reps, "reps")?.clamp(1, 1000);
    let mut workload = eoslab_core::benchmarks::Workload::named(&name).map_err(js_error)?;
    // `performance` exists in pages, workers and node alike.
    let performance: web_sys::Performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into())?
        .dyn_into()
        .map_err(|_| refuse("performance", "bench needs the global `performance`"))?;
    workload.run().map_err(js_error)?;
    let mut times = Vec::with_capacity(reps);
    for _ in 0..reps {
        let t0 = performance.now();
        workload.run().map_err(js_error)?;
        times.push(performance.now() - t0);
    }
    times.sort_by(f64::total_cmp);
    to_js(&Timing { name: &name, median_ms: times[times.len() / 2], samples: reps as u32, calls: workload.calls() })
}

