//! The JS-facing API (wasm32 only). Plain JSON-like objects in and out, every argument read by
//! [`crate::boundary`]; every error is a JS `Error` whose `field` property names the spec field or
//! argument it concerns (`spec` for the spec as a whole).

use eoslab_core::scans::bifurcation::Bifurcation;
use eoslab_core::Output;
use eoslab_figure::{FigureError, Options};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::backend::svg_document;
use crate::boundary::{self, draw_on_canvas, figure_error, js_error, parse_options, parse_result, parse_spec, pixels, refuse, to_js};
use crate::columns::common_period;

/// The longest panel or workload name read.
const NAME: usize = 64;

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

/// Every panel a result of `kind` can be drawn as: `[{name, title, natural}]`, `natural` marking
/// the kind's default set. An unknown kind is an error naming "kind".
#[wasm_bindgen]
pub fn panels(#[wasm_bindgen(unchecked_param_type = "string")] kind: JsValue) -> Result<JsValue, JsValue> {
    let kind = boundary::string(&kind, "kind", NAME)?;
    to_js(&eoslab_figure::panels(&kind).map_err(figure_error)?)
}

/// Draws the panel `panel` of a result of `run` (any kind) on a canvas already sized in device
/// pixels, at `dpr` device pixels per CSS pixel, with `options` (`{pinned, dark, marker,
/// heavyBall}`, optional); returns the plotting area's `PlotRect` (pixel rectangle, data ranges,
/// `x_log`, `y_log`).
#[wasm_bindgen(js_name = drawPanel)]
pub fn draw_panel(
    #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] panel: JsValue,
    result: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] dpr: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let panel = boundary::string(&panel, "panel", NAME)?;
    let (output, options) = (parse_result(result, "result")?, parse_options(options)?);
    draw_on_canvas(canvas, &dpr, options.dark, |area, s| eoslab_figure::draw_panel(area, &panel, &output, &options, s))
}

/// The panel `panel` of a result of `run` as an SVG document of `width × height` CSS pixels (text
/// as `<text>` elements), with the same `options` as `drawPanel`. The same panel of the same
/// result gives the same SVG here and from the native command.
#[wasm_bindgen(js_name = panelSVG)]
pub fn panel_svg(
    #[wasm_bindgen(unchecked_param_type = "string")] panel: JsValue,
    result: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] width: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] height: JsValue,
    options: JsValue,
) -> Result<String, JsValue> {
    let panel = boundary::string(&panel, "panel", NAME)?;
    let (w, h) = (pixels(&width, "width")?, pixels(&height, "height")?);
    let (output, options) = (parse_result(result, "result")?, parse_options(options)?);
    svg_document(w, h, options.dark, |area, s| eoslab_figure::draw_panel(area, &panel, &output, &options, s)).map_err(figure_error)
}

/// Draws one panel ("landscape", "cobweb", "plane", "loss", "regimes" or "sharpness") of a
/// trajectory result returned by `run` onto a canvas whose size is already in device pixels;
/// returns the plotting area's pixel rectangle with its data range. `drawPanel` for trajectories.
#[wasm_bindgen(js_name = drawTrajectory)]
pub fn draw_trajectory(
    #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] panel: JsValue,
    result: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] dpr: JsValue,
) -> Result<JsValue, JsValue> {
    let panel = boundary::string(&panel, "panel", NAME)?;
    let output = parse_result(result, "result")?;
    if !matches!(output, Output::Trajectory(_)) {
        return Err(refuse("result", "drawTrajectory needs a result of kind \"trajectory\""));
    }
    draw_on_canvas(canvas, &dpr, false, |area, s| eoslab_figure::draw_panel(area, &panel, &output, &Options::default(), s))
}

/// Draws one panel of a `flow` result ("loss", "sharpness", "distance") or of a
/// `self_stabilization` result (those and "plane") returned by `run`, on a canvas whose size is in
/// device pixels. `heavyBall`, a `trajectory` result (with momentum) or null/undefined, is laid
/// over the loss and sharpness panels. `drawPanel` with the option `heavyBall`.
#[wasm_bindgen(js_name = drawDynamics)]
pub fn draw_dynamics(
    #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] panel: JsValue,
    result: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] dpr: JsValue,
    heavy_ball: JsValue,
) -> Result<JsValue, JsValue> {
    let panel = boundary::string(&panel, "panel", NAME)?;
    let output = parse_result(result, "result")?;
    if !matches!(output, Output::Flow(_) | Output::SelfStabilization(_)) {
        return Err(refuse("result", "drawDynamics needs a result of kind \"flow\" or \"self_stabilization\""));
    }
    let heavy_ball = boundary::optional(heavy_ball).map(|h| parse_result(h, "heavyBall")).transpose()?;
    let options = Options { heavy_ball, ..Options::default() };
    draw_on_canvas(canvas, &dpr, false, |area, s| eoslab_figure::draw_panel(area, &panel, &output, &options, s))
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
            _ => Err(refuse("kind", "BifurcationFigure needs a spec of kind \"bifurcation\"")),
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
        let marker_eta = boundary::number(&marker_eta, "marker_eta")?;
        let title = "bifurcation diagram of the GD map (click to set η)";
        draw_on_canvas(canvas, &dpr, false, |area, s| {
            eoslab_figure::scan_frames::bifurcation_diagram(area, &self.scan, title, marker_eta, s)
                .map_err(|m| FigureError::new("panel", m))
        })
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
    let name = boundary::string(&name, "name", NAME)?;
    let reps = boundary::index(&reps, "reps")?.clamp(1, 1000);
    let mut workload = eoslab_core::benchmarks::Workload::named(&name).map_err(js_error)?;
    // `performance` exists in pages, workers and node alike.
    let performance: web_sys::Performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|p| p.dyn_into().ok())
        .ok_or_else(|| refuse("performance", "bench needs the global `performance`"))?;
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
