//! The JS-facing API (wasm32 only). Plain JSON-like objects in and out; every error is a JS
//! `Error` whose `field` property names the spec field it concerns ("" for the whole spec).

use eoslab_core::scans::bifurcation::Bifurcation;
use eoslab_core::{Output, Spec, SpecError};
use eoslab_figure::{FigureError, Medium, Options, PlotRect, Style, Surface};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde::de::IntoDeserializer;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use crate::backend::{svg_document, WebArea, WebBackend};
use crate::columns::common_period;

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

/// A drawing refusal as a JS `Error` with its `field`.
pub(crate) fn figure_error(e: FigureError) -> JsValue {
    js_error(SpecError::new(e.field, e.message))
}

/// A canvas as a drawing area of eoslab-figure's [`Surface`] over [`WebBackend`], whose images
/// go in through `putImageData`.
type CanvasArea = WebArea<'static>;

fn canvas_area(canvas: &HtmlCanvasElement) -> Result<CanvasArea, JsValue> {
    let no_context = || js_error(SpecError::whole("the canvas has no 2d context"));
    let context: CanvasRenderingContext2d = canvas.get_context("2d")?.ok_or_else(no_context)?.dyn_into()?;
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or_else(no_context)?;
    let put = move |(x, y): (i32, i32), (w, h): (u32, u32), rgb: &[u8]| -> Result<(), String> {
        let rgba: Vec<u8> = rgb.chunks(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
        let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), w, h).map_err(|e| format!("{e:?}"))?;
        context.put_image_data(&image, x as f64, y as f64).map_err(|e| format!("{e:?}"))
    };
    Ok(Surface::with_raster(WebBackend::Canvas(backend), Medium::Canvas, Box::new(put)).into_drawing_area())
}

fn check_dpr(dpr: f64) -> Result<f64, JsValue> {
    if dpr.is_finite() && (0.25..=8.0).contains(&dpr) {
        Ok(dpr)
    } else {
        Err(js_error(SpecError::new("dpr", format!("must lie in [0.25, 8] (got {dpr})"))))
    }
}

/// Draws with `draw` on a canvas sized in device pixels at `dpr` device pixels per CSS pixel;
/// returns the plotting area's rectangle as a plain object.
pub(crate) fn draw_on_canvas(
    canvas: &HtmlCanvasElement,
    dpr: f64,
    dark: bool,
    draw: impl FnOnce(&CanvasArea, Style) -> Result<PlotRect, FigureError>,
) -> Result<JsValue, JsValue> {
    let dpr = check_dpr(dpr)?;
    let area = canvas_area(canvas)?;
    let style = Style::new(Medium::Canvas, dpr, area.dim_in_pixel(), dark);
    let r = draw(&area, style).map_err(figure_error)?;
    area.present().map_err(|e| js_error(SpecError::whole(format!("drawing failed: {e}"))))?;
    to_js(&r)
}

/// A result returned by `run`, read back; errors name "result".
pub(crate) fn parse_result(result: JsValue) -> Result<Output, JsValue> {
    serde_wasm_bindgen::from_value(result).map_err(|e| js_error(SpecError::new("result", format!("not a result of run(): {e}"))))
}

/// Something holding results of `run` (pinned runs, a heavy-ball run), read by the same
/// deserializer as [`parse_result`] so that the results' large `Deserialize` code exists once in
/// the module; errors name `field`.
fn parse_results<T: serde::de::DeserializeOwned>(value: JsValue, field: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| js_error(SpecError::new(field, format!("invalid {field}: {e}"))))
}

/// Drawing options (`{pinned, dark, marker, heavyBall}`, each optional; undefined or null for
/// none); an error names the option, e.g. "options.pinned".
pub(crate) fn parse_options(options: JsValue) -> Result<Options, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(Options::default());
    }
    if !options.is_object() || js_sys::Array::is_array(&options) {
        return Err(js_error(SpecError::new("options", "must be an object such as {dark: true}")));
    }
    let mut parsed = Options::default();
    for key in js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        let value = js_sys::Reflect::get(&options, &key.as_str().into())?;
        let field = format!("options.{key}");
        match key.as_str() {
            "pinned" => parsed.pinned = parse_results(value, &field)?,
            "dark" => parsed.dark = parse_value(value, &field)?,
            "marker" => parsed.marker = parse_value(value, &field)?,
            "heavyBall" => parsed.heavy_ball = parse_results(value, &field)?,
            _ => return Err(js_error(SpecError::new(field, "unknown option; expected pinned, dark, marker or heavyBall"))),
        }
    }
    Ok(parsed)
}

/// Every panel a result of `kind` can be drawn as: `[{name, title, natural}]`, `natural` marking
/// the kind's default set. An unknown kind is an error naming "kind".
#[wasm_bindgen]
pub fn panels(kind: &str) -> Result<JsValue, JsValue> {
    to_js(&eoslab_figure::panels(kind).map_err(figure_error)?)
}

/// Draws the panel `panel` of a result of `run` (any kind) on a canvas already sized in device
/// pixels, at `dpr` device pixels per CSS pixel, with `options` (`{pinned, dark, marker,
/// heavyBall}`, optional); returns the plotting area's `PlotRect` (pixel rectangle, data ranges,
/// `x_log`, `y_log`).
#[wasm_bindgen(js_name = drawPanel)]
pub fn draw_panel(canvas: &HtmlCanvasElement, panel: &str, result: JsValue, dpr: f64, options: JsValue) -> Result<JsValue, JsValue> {
    let (output, options) = (parse_result(result)?, parse_options(options)?);
    draw_on_canvas(canvas, dpr, options.dark, |area, s| eoslab_figure::draw_panel(area, panel, &output, &options, s))
}

/// A CSS pixel size for a file, as whole pixels; errors name `field`.
pub(crate) fn pixels(v: f64, field: &str) -> Result<u32, JsValue> {
    let range = eoslab_figure::svg::SIZE;
    if v.is_finite() && v >= *range.start() as f64 && v <= *range.end() as f64 {
        Ok(v.round() as u32)
    } else {
        Err(js_error(SpecError::new(field, format!("must lie in [{}, {}] pixels (got {v})", range.start(), range.end()))))
    }
}

/// The panel `panel` of a result of `run` as an SVG document of `width × height` CSS pixels (text
/// as `<text>` elements), with the same `options` as `drawPanel`. The same panel of the same
/// result gives the same SVG here and from the native command.
#[wasm_bindgen(js_name = panelSVG)]
pub fn panel_svg(panel: &str, result: JsValue, width: f64, height: f64, options: JsValue) -> Result<String, JsValue> {
    let (w, h) = (pixels(width, "width")?, pixels(height, "height")?);
    let (output, options) = (parse_result(result)?, parse_options(options)?);
    svg_document(w, h, options.dark, |area, s| eoslab_figure::draw_panel(area, panel, &output, &options, s)).map_err(figure_error)
}

/// Draws one panel ("landscape", "cobweb", "plane", "loss", "regimes" or "sharpness") of a
/// trajectory result returned by `run` onto a canvas whose size is already in device pixels;
/// returns the plotting area's pixel rectangle with its data range. `drawPanel` for trajectories.
#[wasm_bindgen(js_name = drawTrajectory)]
pub fn draw_trajectory(canvas: &HtmlCanvasElement, panel: &str, result: JsValue, dpr: f64) -> Result<JsValue, JsValue> {
    let output = parse_result(result)?;
    if !matches!(output, Output::Trajectory(_)) {
        return Err(js_error(SpecError::new("result", "drawTrajectory needs a result of kind \"trajectory\"")));
    }
    draw_on_canvas(canvas, dpr, false, |area, s| eoslab_figure::draw_panel(area, panel, &output, &Options::default(), s))
}

/// Draws one panel of a `flow` result ("loss", "sharpness", "distance") or of a
/// `self_stabilization` result (those and "plane") returned by `run`, on a canvas whose size is in
/// device pixels. `heavyBall`, a `trajectory` result (with momentum) or null/undefined, is laid
/// over the loss and sharpness panels. `drawPanel` with the option `heavyBall`.
#[wasm_bindgen(js_name = drawDynamics)]
pub fn draw_dynamics(canvas: &HtmlCanvasElement, panel: &str, result: JsValue, dpr: f64, heavy_ball: JsValue) -> Result<JsValue, JsValue> {
    let output = parse_result(result)?;
    if !matches!(output, Output::Flow(_) | Output::SelfStabilization(_)) {
        return Err(js_error(SpecError::new("result", "drawDynamics needs a result of kind \"flow\" or \"self_stabilization\"")));
    }
    let heavy_ball = if heavy_ball.is_null() || heavy_ball.is_undefined() { None } else { Some(parse_results(heavy_ball, "heavyBall")?) };
    let options = Options { heavy_ball, ..Options::default() };
    draw_on_canvas(canvas, dpr, false, |area, s| eoslab_figure::draw_panel(area, panel, &output, &options, s))
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
        let title = "bifurcation diagram of the GD map (click to set η)";
        draw_on_canvas(canvas, dpr, false, |area, s| {
            eoslab_figure::scan_frames::bifurcation_diagram(area, &self.scan, title, marker_eta, s).map_err(|m| FigureError::new("", m))
        })
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
