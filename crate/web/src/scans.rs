//! Scans in chunks for the browser (wasm32 only): the pages run a scan in Web Workers
//! (the <eoslab-figure> element's, www/lib/pool.js and worker.js) a chunk at a time, and draw what has arrived after each chunk.
//!
//! * In a worker: [`BifurcationScan`] and [`BasinScan`] prepare a validated scan once and compute
//!   any range of its columns or rows, returned as plain objects of typed arrays (transferable
//!   between threads without copying element by element).
//! * On the page: [`BifurcationPlot`] and [`BasinPlot`] validate the same spec, take the chunks in
//!   any order (`insert`), and draw the columns or rows present so far; the readouts (a column's
//!   period and Lyapunov exponents, a start's class, the class counts) come from them too.
//!
//! Every method returns a `Result`: bad specs and malformed chunks become JS `Error`s with a
//! `field`, never a panic.

use eoslab_core::objective::{Objective, ObjectiveSpec};
use eoslab_core::scans::basin::{self, Basin, BasinRows, CLASSES};
use eoslab_core::scans::bifurcation::{self, Bifurcation};
use eoslab_core::Spec;
use eoslab_figure::scan_frames::{self, basin_map, bifurcation_diagram, lyapunov_chart};
use eoslab_figure::{basin_image, FigureError};
use js_sys::{Float64Array, Int32Array, Object, Reflect, Uint32Array, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::backend::svg_document;
use crate::boundary::{self, draw_on_canvas, figure_error, js_error, parse_spec, pixels, refuse, to_js};
use crate::columns::{common_period, FlatColumns};

/// The longest title or panel name read.
const TITLE: usize = 200;

/// A drawing failure of the backend: the panel could not be drawn.
fn failed(message: String) -> FigureError {
    FigureError::new("panel", message)
}

fn bifurcation_spec(spec: JsValue, class: &str) -> Result<bifurcation::BifurcationScan, JsValue> {
    match parse_spec(&spec)? {
        Spec::Bifurcation(s) => bifurcation::BifurcationScan::new(&s).map_err(js_error),
        _ => Err(refuse("kind", format!("{class} needs a spec of kind \"bifurcation\""))),
    }
}

fn basin_spec(spec: JsValue, class: &str) -> Result<(basin::BasinSpec, basin::BasinScan), JsValue> {
    match parse_spec(&spec)? {
        Spec::Basin(s) => basin::BasinScan::new(&s).map(|scan| (s, scan)).map_err(js_error),
        _ => Err(refuse("kind", format!("{class} needs a spec of kind \"basin\""))),
    }
}

/// Sets `object[key] = value`; cannot fail on a fresh plain object.
fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &key.into(), value);
}

/// `chunk[key]` as the typed array `T`, or an error naming `chunk.key`.
fn typed<T: JsCast>(chunk: &JsValue, key: &str) -> Result<T, JsValue> {
    Reflect::get(chunk, &key.into())
        .ok()
        .and_then(|v| v.dyn_into::<T>().ok())
        .ok_or_else(|| refuse(&format!("chunk.{key}"), format!("a chunk needs the typed array `{key}`")))
}

// ---------------------------------------------------------------------------------------------
// Bifurcation scans

/// A validated bifurcation scan in a worker: `scan(start, end)` computes columns.
#[wasm_bindgen]
pub struct BifurcationScan {
    scan: bifurcation::BifurcationScan,
}

#[wasm_bindgen]
impl BifurcationScan {
    /// Validates a spec of kind "bifurcation" (errors name the field).
    #[wasm_bindgen(constructor)]
    pub fn new(spec: JsValue) -> Result<BifurcationScan, JsValue> {
        Ok(BifurcationScan { scan: bifurcation_spec(spec, "BifurcationScan")? })
    }

    /// The number of columns (grid values).
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.scan.values().len()
    }

    /// Columns `start..end` as `{samples, lengths, period, diverged_at, lyapunov}` (typed arrays:
    /// each run's samples one after the other, how many each has, its period (0: none), its
    /// divergence step (0: none) and its Lyapunov exponent (NaN: none), runs column by column).
    pub fn scan(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] start: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] end: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (start, end) = (boundary::index(&start, "start")?, boundary::index(&end, "end")?);
        let runs = self.scan.scan(start..end).map_err(js_error)?;
        let flat = FlatColumns::from_runs(runs.first().map_or(1, Vec::len), &runs);
        let chunk = Object::new();
        set(&chunk, "starts", &(flat.starts as u32).into());
        set(&chunk, "samples", &Float64Array::from(&flat.samples[..]));
        set(&chunk, "lengths", &Uint32Array::from(&flat.lengths[..]));
        set(&chunk, "period", &Uint32Array::from(&flat.period[..]));
        set(&chunk, "diverged_at", &Uint32Array::from(&flat.diverged_at[..]));
        set(&chunk, "lyapunov", &Float64Array::from(&flat.lyapunov[..]));
        Ok(chunk.into())
    }
}

/// What the page shows of one column of a bifurcation scan.
#[derive(Serialize)]
struct ColumnReadout {
    index: usize,
    value: f64,
    eta: f64,
    /// The period every start agrees on, 0 for none; null while the column is not computed.
    period: Option<u32>,
    periods: Vec<Option<usize>>,
    lyapunov: Vec<Option<f64>>,
    diverged_at: Vec<Option<usize>>,
}

/// A bifurcation scan on the page: the columns arrive in chunks, in any order.
#[wasm_bindgen]
pub struct BifurcationPlot {
    scan: Bifurcation,
    filled: usize,
}

#[wasm_bindgen]
impl BifurcationPlot {
    /// Validates a spec of kind "bifurcation"; no column is computed yet.
    #[wasm_bindgen(constructor)]
    pub fn new(spec: JsValue) -> Result<BifurcationPlot, JsValue> {
        let prepared = bifurcation_spec(spec, "BifurcationPlot")?;
        let n = prepared.values().len();
        Ok(BifurcationPlot { scan: prepared.finish(vec![Vec::new(); n]).map_err(js_error)?, filled: 0 })
    }

    /// The number of columns.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.scan.values.len()
    }

    /// How many columns have arrived.
    #[wasm_bindgen(getter)]
    pub fn filled(&self) -> usize {
        self.filled
    }

    /// The grid of the scanned parameter.
    pub fn values(&self) -> Vec<f64> {
        self.scan.values.clone()
    }

    /// Puts the columns of a chunk from `BifurcationScan.scan` in place from column `start`.
    pub fn insert(&mut self, #[wasm_bindgen(unchecked_param_type = "number")] start: JsValue, chunk: JsValue) -> Result<(), JsValue> {
        let start = boundary::index(&start, "start")?;
        let starts = Reflect::get(&chunk, &"starts".into()).map_err(|_| refuse("chunk.starts", "could not be read"))?;
        let flat = FlatColumns {
            starts: boundary::index(&starts, "chunk.starts")?,
            samples: typed::<Float64Array>(&chunk, "samples")?.to_vec(),
            lengths: typed::<Uint32Array>(&chunk, "lengths")?.to_vec(),
            period: typed::<Uint32Array>(&chunk, "period")?.to_vec(),
            diverged_at: typed::<Uint32Array>(&chunk, "diverged_at")?.to_vec(),
            lyapunov: typed::<Float64Array>(&chunk, "lyapunov")?.to_vec(),
        };
        let columns = flat.into_runs().map_err(|e| refuse("chunk", e))?;
        let expected = self.scan.starts.len();
        let fits = start.checked_add(columns.len()).is_some_and(|end| end <= self.size());
        if columns.iter().any(|c| c.len() != expected) || !fits {
            return Err(refuse("columns", format!("the chunk from column {start} does not fit this scan")));
        }
        for (k, column) in columns.into_iter().enumerate() {
            if self.scan.runs[start + k].is_empty() {
                self.filled += 1;
            }
            self.scan.runs[start + k] = column;
        }
        Ok(())
    }

    /// Draws the diagram of the columns present, titled `title`, with a marker at the grid value
    /// `marker`; returns the plotting area's pixel rectangle and data range.
    pub fn draw(
        &self,
        #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] dpr: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] marker: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] title: JsValue,
    ) -> Result<JsValue, JsValue> {
        let marker = boundary::number(&marker, "marker")?;
        let title = boundary::string(&title, "title", TITLE)?;
        draw_on_canvas(canvas, &dpr, false, |area, s| bifurcation_diagram(area, &self.scan, &title, marker, s).map_err(failed))
    }

    /// Draws the Lyapunov exponents of the columns present, with a marker at `marker`.
    #[wasm_bindgen(js_name = drawLyapunov)]
    pub fn draw_lyapunov(
        &self,
        #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] dpr: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] marker: JsValue,
    ) -> Result<JsValue, JsValue> {
        let marker = boundary::number(&marker, "marker")?;
        draw_on_canvas(canvas, &dpr, false, |area, s| lyapunov_chart(area, &self.scan, marker, s).map_err(failed))
    }

    /// The panel "diagram" or "lyapunov" of the columns present as an SVG document of
    /// `width × height` CSS pixels, with a marker at `marker` (NaN: none).
    pub fn svg(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] panel: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] width: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] height: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] marker: JsValue,
    ) -> Result<String, JsValue> {
        let panel = boundary::string(&panel, "panel", TITLE)?;
        let (w, h) = (pixels(&width, "width")?, pixels(&height, "height")?);
        let marker = boundary::number(&marker, "marker")?;
        let drawn = match panel.as_str() {
            "diagram" => svg_document(w, h, false, |area, s| {
                bifurcation_diagram(area, &self.scan, "bifurcation diagram of the GD map", marker, s).map_err(failed)
            }),
            "lyapunov" => svg_document(w, h, false, |area, s| lyapunov_chart(area, &self.scan, marker, s).map_err(failed)),
            other => Err(FigureError::new(
                "panel",
                format!("unknown panel {other:?} of a bifurcation scan; expected \"diagram\" or \"lyapunov\""),
            )),
        };
        drawn.map_err(figure_error)
    }

    /// The column nearest the grid value `value`: its value, η, common period (null while not
    /// computed), and per start the period, Lyapunov exponent and divergence step.
    pub fn column(&self, #[wasm_bindgen(unchecked_param_type = "number")] value: JsValue) -> Result<JsValue, JsValue> {
        let value = boundary::number(&value, "value")?;
        let v = &self.scan.values;
        let (lo, hi) = scan_frames::grid_range(v);
        let index = if v.len() < 2 || !value.is_finite() {
            0
        } else {
            (((value - lo) / (hi - lo) * (v.len() - 1) as f64).round().max(0.0) as usize).min(v.len() - 1)
        };
        let runs = &self.scan.runs[index];
        to_js(&ColumnReadout {
            index,
            value: v[index],
            eta: self.scan.eta[index],
            period: (!runs.is_empty()).then(|| common_period(runs)),
            periods: runs.iter().map(|r| r.period).collect(),
            lyapunov: runs.iter().map(|r| r.lyapunov).collect(),
            diverged_at: runs.iter().map(|r| r.diverged_at).collect(),
        })
    }

    /// The whole result (as `run` returns it) once every column has arrived.
    pub fn result(&self) -> Result<JsValue, JsValue> {
        if self.filled < self.size() {
            return Err(refuse("columns", format!("the scan is not complete ({} of {} columns)", self.filled, self.size())));
        }
        to_js(&eoslab_core::Output::Bifurcation(self.scan.clone()))
    }
}

// ---------------------------------------------------------------------------------------------
// Basin maps

/// A validated basin map in a worker: `rows(start, end)` computes rows of starts.
#[wasm_bindgen]
pub struct BasinScan {
    scan: basin::BasinScan,
}

#[wasm_bindgen]
impl BasinScan {
    /// Validates a spec of kind "basin" (errors name the field).
    #[wasm_bindgen(constructor)]
    pub fn new(spec: JsValue) -> Result<BasinScan, JsValue> {
        Ok(BasinScan { scan: basin_spec(spec, "BasinScan")?.1 })
    }

    /// The number of rows (grid values of the second coordinate).
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.scan.rows_len()
    }

    /// Rows `start..end` as `{class, minimizer, steps, period}` (typed arrays, row-major).
    pub fn rows(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] start: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] end: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (start, end) = (boundary::index(&start, "start")?, boundary::index(&end, "end")?);
        let rows = self.scan.rows(start..end).map_err(js_error)?;
        let chunk = Object::new();
        set(&chunk, "class", &Uint8Array::from(&rows.class[..]));
        set(&chunk, "minimizer", &Int32Array::from(&rows.minimizer[..]));
        set(&chunk, "steps", &Uint32Array::from(&rows.steps[..]));
        set(&chunk, "period", &Uint8Array::from(&rows.period[..]));
        Ok(chunk.into())
    }
}

/// One start of a basin map, as the page shows it.
#[derive(Serialize)]
struct StartReadout<'a> {
    i: usize,
    j: usize,
    x0: [f64; 2],
    /// Null while its row is not computed.
    class: Option<&'a str>,
    minimizer: Option<&'a [f64]>,
    steps: Option<u32>,
    period: Option<u8>,
}

/// The class counts of the rows present.
#[derive(Serialize)]
struct Counts {
    points: usize,
    total: usize,
    counts: std::collections::BTreeMap<String, usize>,
}

/// A basin map on the page: rows arrive in chunks, in any order.
#[wasm_bindgen]
pub struct BasinPlot {
    map: Basin,
    filled: Vec<bool>,
}

#[wasm_bindgen]
impl BasinPlot {
    /// Validates a spec of kind "basin"; no row is computed yet.
    #[wasm_bindgen(constructor)]
    pub fn new(spec: JsValue) -> Result<BasinPlot, JsValue> {
        let (spec, prepared) = basin_spec(spec, "BasinPlot")?;
        let n = spec.nx * spec.ny;
        // Placeholders until the rows arrive (`filled` says which have).
        let placeholder = BasinRows { class: vec![0; n], minimizer: vec![-1; n], steps: vec![0; n], period: vec![0; n] };
        Ok(BasinPlot { map: prepared.finish(placeholder).map_err(js_error)?, filled: vec![false; spec.ny] })
    }

    /// Grid points along the first coordinate.
    #[wasm_bindgen(getter)]
    pub fn nx(&self) -> usize {
        self.map.x.len()
    }

    /// Grid points along the second coordinate (rows).
    #[wasm_bindgen(getter)]
    pub fn ny(&self) -> usize {
        self.map.y.len()
    }

    /// How many rows have arrived.
    #[wasm_bindgen(getter)]
    pub fn filled(&self) -> usize {
        self.filled.iter().filter(|&&f| f).count()
    }

    /// Puts the rows of a chunk from `BasinScan.rows` in place from row `start`.
    pub fn insert(&mut self, #[wasm_bindgen(unchecked_param_type = "number")] start: JsValue, chunk: JsValue) -> Result<(), JsValue> {
        let start = boundary::index(&start, "start")?;
        let class = typed::<Uint8Array>(&chunk, "class")?.to_vec();
        let minimizer = typed::<Int32Array>(&chunk, "minimizer")?.to_vec();
        let steps = typed::<Uint32Array>(&chunk, "steps")?.to_vec();
        let period = typed::<Uint8Array>(&chunk, "period")?.to_vec();
        let nx = self.nx();
        let rows = class.len() / nx.max(1);
        let fits = class.len() == rows * nx
            && [minimizer.len(), steps.len(), period.len()].iter().all(|&n| n == class.len())
            && start.checked_add(rows).is_some_and(|end| end <= self.ny())
            && class.iter().all(|&c| (c as usize) < CLASSES.len())
            && minimizer.iter().all(|&m| m < self.map.minimizers.len() as i32);
        if !fits {
            return Err(refuse("rows", format!("the chunk from row {start} does not fit this map")));
        }
        let at = start * nx..(start + rows) * nx;
        let points = &mut self.map.points;
        points.class[at.clone()].copy_from_slice(&class);
        points.minimizer[at.clone()].copy_from_slice(&minimizer);
        points.steps[at.clone()].copy_from_slice(&steps);
        points.period[at].copy_from_slice(&period);
        self.filled[start..start + rows].fill(true);
        Ok(())
    }

    /// Draws the map of the rows present, with the known minimisers and the selected start
    /// (`selected_x`, `selected_y`; NaN for none); returns the plotting area's pixel rectangle and
    /// data range (each axis spans the grid's cells).
    pub fn draw(
        &self,
        #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] dpr: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] selected_x: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] selected_y: JsValue,
    ) -> Result<JsValue, JsValue> {
        let selected_x = boundary::number(&selected_x, "selected_x")?;
        let selected_y = boundary::number(&selected_y, "selected_y")?;
        let selected = (selected_x.is_finite() && selected_y.is_finite()).then_some([selected_x, selected_y]);
        draw_on_canvas(canvas, &dpr, false, |area, s| basin_map(area, &self.map, &self.filled, selected, s).map_err(failed))
    }

    /// The panel "map" of the rows present as an SVG document of `width × height` CSS pixels.
    pub fn svg(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] panel: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] width: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] height: JsValue,
    ) -> Result<String, JsValue> {
        let panel = boundary::string(&panel, "panel", TITLE)?;
        let (w, h) = (pixels(&width, "width")?, pixels(&height, "height")?);
        if panel != "map" {
            return Err(figure_error(FigureError::new("panel", format!("unknown panel {panel:?} of a basin map; expected \"map\""))));
        }
        svg_document(w, h, false, |area, s| basin_map(area, &self.map, &self.filled, None, s).map_err(failed)).map_err(figure_error)
    }

    /// The start of grid cell (i, j) (clamped to the grid) and, once its row has arrived, its
    /// class, the minimiser it reached, its steps and its period.
    pub fn cell(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] i: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] j: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (i, j) = (boundary::index(&i, "i")?.min(self.nx() - 1), boundary::index(&j, "j")?.min(self.ny() - 1));
        let p = j * self.nx() + i;
        let points = &self.map.points;
        let known = self.filled[j];
        let minimizer = usize::try_from(points.minimizer[p]).ok().map(|m| &self.map.minimizers[m][..]);
        to_js(&StartReadout {
            i,
            j,
            x0: [self.map.x[i], self.map.y[j]],
            class: known.then(|| CLASSES[points.class[p] as usize]),
            minimizer: minimizer.filter(|_| known),
            steps: known.then_some(points.steps[p]),
            period: known.then_some(points.period[p]),
        })
    }

    /// The legend of exactly the colours the rows present show: `[{name, colour}]`, one entry
    /// per class present and, for the converged classes, one per minimiser reached (its own shade),
    /// `colour` as `#rrggbb`.
    pub fn legend(&self) -> Result<JsValue, JsValue> {
        to_js(
            &basin_image::legend(&self.map, &self.filled)
                .into_iter()
                .map(|(label, c)| Legend { name: label, colour: hex(c) })
                .collect::<Vec<_>>(),
        )
    }

    /// The cell under the data point (x, y) of the plot: `[i, j]`.
    #[wasm_bindgen(js_name = cellAt)]
    pub fn cell_at(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] x: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] y: JsValue,
    ) -> Result<Vec<usize>, JsValue> {
        let (x, y) = (boundary::number(&x, "x")?, boundary::number(&y, "y")?);
        let range = |v: &[f64]| basin_image::cell_range(v[0], v[v.len() - 1], v.len());
        Ok(vec![basin_image::cell_of(x, range(&self.map.x), self.nx()), basin_image::cell_of(y, range(&self.map.y), self.ny())])
    }

    /// `{points, total, counts}`: the points of the rows present, all points, and how many of
    /// those present fall in each class (by the class names of the core).
    pub fn counts(&self) -> Result<JsValue, JsValue> {
        let nx = self.nx();
        let present: Vec<u8> = self
            .filled
            .iter()
            .enumerate()
            .filter(|(_, &f)| f)
            .flat_map(|(j, _)| self.map.points.class[j * nx..(j + 1) * nx].iter().copied())
            .collect();
        to_js(&Counts { points: present.len(), total: nx * self.ny(), counts: basin::class_counts(&present) })
    }
}

/// The basin map's classes in code order, each with its colour (`#rrggbb`), for the legend.
#[wasm_bindgen(js_name = basinClasses)]
pub fn basin_classes() -> Result<JsValue, JsValue> {
    let legend: Vec<Legend> =
        CLASSES.iter().zip(basin_image::CLASS_COLOURS).map(|(&name, c)| Legend { name: name.to_string(), colour: hex(c) }).collect();
    to_js(&legend)
}

/// A legend entry: what a colour means, and the colour as `#rrggbb`.
#[derive(Serialize)]
struct Legend {
    name: String,
    colour: String,
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// What a scan page needs to know of an objective to offer its controls: `{dim, observables,
/// start}` (its number of parameters, the names of its named observables, its default start).
#[wasm_bindgen(js_name = objectiveInfo)]
pub fn objective_info(objective: JsValue) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Info {
        dim: usize,
        observables: Vec<&'static str>,
        start: Vec<f64>,
    }
    let spec: ObjectiveSpec = boundary::parse_value(&objective, "objective")?;
    let f = spec.build().map_err(js_error)?;
    let start = f.default_start();
    to_js(&Info { dim: f.dim(), observables: f.named_observables(&start).into_iter().map(|(k, _)| k).collect(), start })
}
