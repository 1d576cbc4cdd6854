//! The trajectory views of the dynamics of issue 5, drawn with plotters on any backend:
//!
//! * a `flow` result: GD against gradient flow on the common axis η·t (Cohen et al., ICLR 2021,
//!   §3: GD follows the flow until its sharpness reaches 2/η; paper 001 §6: then the flow drifts
//!   away): the loss and the sharpness of both against 2/η, and their distance;
//! * a `self_stabilization` result (paper 001, Damian, Nichani, Lee, §5–6, Fig. 4): GD, gradient
//!   flow, the constrained trajectory θ† and the predicted dynamics θ† + x*u + w* in one figure:
//!   loss, sharpness against 2/η, the distance of GD from each of the other three, and GD's
//!   displacement (x, y) from θ† against the predicted (x*, y*) — the plane of the reduced
//!   dynamics x⁺ = −(1 + ηy)x, y⁺ = y + η(α − βx²/2) of §4, whose period-2 orbit is
//!   x = ±√(2α/β), y = 0.
//!
//! A heavy-ball run (a `trajectory` result with momentum β, paper-independent: Polyak's method)
//! can be laid over the loss and sharpness panels on the same η·t axis, with its own stability
//! threshold (2 + 2β)/η.
//!
//! Each panel is a set of named, coloured series with a legend; like [`crate::figures`], a panel
//! fills its whole drawing area and returns the pixel rectangle of its plotting area.

use eoslab_core::dynamics::flow::Flow;
use eoslab_core::dynamics::stabilization::Stabilization;
use eoslab_core::dynamics::trajectory::Trajectory;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::figures::{axes, builder, err, padded, rect, tick, PlotRect, Scale, CURVE, ITERATE};

/// The panels of a `flow` result, by the names the page uses.
pub const FLOW_PANELS: &[&str] = &["loss", "sharpness", "distance"];
/// The panels of a `self_stabilization` result, by the names the page uses.
pub const STABILIZATION_PANELS: &[&str] = &["loss", "sharpness", "distance", "plane"];

/// Gradient flow.
const FLOW: RGBColor = CURVE;
/// The constrained trajectory θ†.
const CONSTRAINED: RGBColor = RGBColor(44, 160, 44);
/// The predicted dynamics.
const PREDICTED: RGBColor = RGBColor(148, 103, 189);
/// The heavy-ball run.
const HEAVY_BALL: RGBColor = RGBColor(255, 127, 14);
/// The onset of the edge of stability.
const ONSET: RGBColor = RGBColor(120, 120, 120);

/// The positive values of a log axis must span at least this factor, else the axis is linear.
const LOG_AXIS_MIN_SPAN: f64 = 100.0;

/// The result a dynamics figure shows.
#[derive(Debug, Clone, Copy)]
pub enum Dynamics<'a> {
    /// GD against gradient flow.
    Flow(&'a Flow),
    /// GD, gradient flow, θ† and the prediction.
    Stabilization(&'a Stabilization),
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    /// A line.
    Line,
    /// A faint line with a dot on each point (GD, whose oscillation reads as two bands).
    Dots,
    /// A dashed line.
    Dashed,
}

/// One named curve of a panel.
struct Series {
    label: String,
    colour: RGBColor,
    points: Vec<(f64, f64)>,
    mark: Mark,
}

impl Series {
    fn new(label: impl Into<String>, colour: RGBColor, points: Vec<(f64, f64)>, mark: Mark) -> Self {
        Self { label: label.into(), colour, points, mark }
    }
}

/// A panel against η·t: its series, horizontal levels (stability thresholds, drawn dashed on top),
/// and an optional vertical marker (the onset of the edge of stability).
struct TimePanel {
    title: String,
    y_desc: &'static str,
    series: Vec<Series>,
    levels: Vec<Series>,
    onset: Option<(f64, String)>,
    /// Whether a log axis is allowed (it is used when every value is ≥ 0 and the positive ones
    /// span at least [`LOG_AXIS_MIN_SPAN`]).
    log: bool,
    legend: Corner,
}

/// Draws one panel of a dynamics figure. A heavy-ball run, when given, is laid over the loss and
/// sharpness panels.
pub fn draw_dynamics<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &str,
    result: Dynamics<'_>,
    heavy_ball: Option<&Trajectory>,
    s: Scale,
) -> Result<PlotRect, String> {
    let panels = match result {
        Dynamics::Flow(_) => FLOW_PANELS,
        Dynamics::Stabilization(_) => STABILIZATION_PANELS,
    };
    if !panels.contains(&panel) {
        let kind = match result {
            Dynamics::Flow(_) => "flow",
            Dynamics::Stabilization(_) => "self_stabilization",
        };
        return Err(format!("unknown panel {panel:?} for a {kind} result; expected one of {panels:?}"));
    }
    area.fill(&WHITE).map_err(err)?;
    if let (Dynamics::Stabilization(r), "plane") = (result, panel) {
        return plane(area, r, s);
    }
    let mut p = match result {
        Dynamics::Flow(r) => flow_panel(panel, r),
        Dynamics::Stabilization(r) => stabilization_panel(panel, r),
    };
    if let Some(t) = heavy_ball {
        overlay_heavy_ball(&mut p, panel, t);
    }
    time_panel(area, &p, s)
}

/// (x, y) pairs from parallel slices.
fn pairs(x: impl IntoIterator<Item = f64>, y: &[f64]) -> Vec<(f64, f64)> {
    x.into_iter().zip(y.iter().copied()).collect()
}

/// η·k for each step k.
fn times(steps: impl IntoIterator<Item = usize>, eta: f64) -> impl Iterator<Item = f64> {
    steps.into_iter().map(move |k| k as f64 * eta)
}

/// The stability threshold 2/η, a level (drawn dashed across the panel).
fn threshold(value: f64) -> Series {
    Series::new(format!("2/η = {}", tick(&value)), BLACK, vec![(0.0, value)], Mark::Dashed)
}

fn flow_panel(panel: &str, r: &Flow) -> TimePanel {
    let time = || r.time.iter().copied();
    let sharpness_time = || times(r.sharpness_steps.iter().copied(), r.eta);
    match panel {
        "loss" => TimePanel {
            title: "loss f − min f: GD against gradient flow".into(),
            y_desc: "loss",
            series: vec![
                Series::new("gradient flow", FLOW, pairs(time(), &r.flow_loss), Mark::Line),
                Series::new("GD", ITERATE, pairs(time(), &r.gd_loss), Mark::Dots),
            ],
            levels: Vec::new(),
            onset: None,
            log: true,
            legend: Corner::UpperRight,
        },
        "sharpness" => TimePanel {
            title: "sharpness against 2/η: GD and gradient flow".into(),
            y_desc: "sharpness",
            series: vec![
                Series::new("gradient flow", FLOW, pairs(sharpness_time(), &r.flow_sharpness), Mark::Line),
                Series::new("GD", ITERATE, pairs(sharpness_time(), &r.gd_sharpness), Mark::Dots),
            ],
            levels: vec![threshold(r.stability_threshold)],
            onset: None,
            log: false,
            legend: Corner::LowerRight,
        },
        _ => TimePanel {
            title: "distance between GD and gradient flow".into(),
            y_desc: "‖θ_GD − θ_flow‖",
            series: vec![Series::new("‖θ_GD(k) − θ_flow(kη)‖", ITERATE, pairs(time(), &r.distance), Mark::Dots)],
            levels: Vec::new(),
            onset: None,
            log: true,
            legend: Corner::LowerRight,
        },
    }
}

fn stabilization_panel(panel: &str, r: &Stabilization) -> TimePanel {
    let gd_time = || times(0.., r.eta);
    let time = || r.time.iter().copied();
    let onset = Some((r.start as f64 * r.eta, format!("onset k₀ = {}", r.start)));
    match panel {
        "loss" => TimePanel {
            title: "loss: GD, gradient flow, constrained θ†, prediction".into(),
            y_desc: "loss",
            series: vec![
                Series::new("gradient flow", FLOW, pairs(time(), &r.flow_loss), Mark::Line),
                Series::new("constrained θ†", CONSTRAINED, pairs(time(), &r.constrained_loss), Mark::Line),
                Series::new("GD", ITERATE, pairs(gd_time(), &r.gd_loss), Mark::Dots),
                Series::new("prediction θ† + x*u + w*", PREDICTED, pairs(time(), &r.predicted_loss), Mark::Dashed),
            ],
            levels: Vec::new(),
            onset,
            log: true,
            legend: Corner::UpperRight,
        },
        "sharpness" => TimePanel {
            title: "sharpness against 2/η: GD, flow, θ†, prediction".into(),
            y_desc: "sharpness",
            series: vec![
                Series::new("gradient flow", FLOW, pairs(time(), &r.flow_sharpness), Mark::Line),
                Series::new("GD", ITERATE, pairs(gd_time(), &r.gd_sharpness), Mark::Dots),
                Series::new("constrained θ†", CONSTRAINED, pairs(time(), &r.constrained_sharpness), Mark::Line),
                Series::new("prediction", PREDICTED, pairs(time(), &r.predicted_sharpness), Mark::Dashed),
            ],
            levels: vec![threshold(r.stability_threshold)],
            onset,
            log: false,
            legend: Corner::LowerRight,
        },
        _ => TimePanel {
            title: "distance from GD".into(),
            y_desc: "distance from θ_GD",
            series: vec![
                Series::new("to gradient flow", FLOW, pairs(time(), &r.gd_to_flow), Mark::Line),
                Series::new("to constrained θ†", CONSTRAINED, pairs(time(), &r.gd_to_constrained), Mark::Line),
                Series::new("to prediction", PREDICTED, pairs(time(), &r.gd_to_predicted), Mark::Dashed),
            ],
            levels: Vec::new(),
            onset,
            log: true,
            legend: Corner::LowerRight,
        },
    }
}

/// The heavy-ball run's loss or sharpness on η·t, and its threshold (2 + 2β)/η.
fn overlay_heavy_ball(p: &mut TimePanel, panel: &str, t: &Trajectory) {
    let label = format!("heavy ball β = {}", tick(&t.momentum));
    match panel {
        "loss" => p.series.push(Series::new(label, HEAVY_BALL, pairs(times(0.., t.eta), &t.loss), Mark::Dots)),
        "sharpness" => {
            let steps = times(t.sharpness_steps.iter().copied(), t.eta);
            p.series.push(Series::new(label, HEAVY_BALL, pairs(steps, &t.sharpness), Mark::Dots));
            let level = format!("(2 + 2β)/η = {}", tick(&t.stability_threshold));
            p.levels.push(Series::new(level, HEAVY_BALL, vec![(0.0, t.stability_threshold)], Mark::Dashed));
        }
        _ => {}
    }
}

/// The range of a log axis for `values`, if one suits them (see [`TimePanel::log`]).
fn log_range(values: &[f64]) -> Option<(f64, f64)> {
    if values.iter().any(|&v| v < 0.0) {
        return None;
    }
    let positive = values.iter().copied().filter(|&v| v > 0.0);
    let (lo, hi) = positive.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    (hi >= lo * LOG_AXIS_MIN_SPAN).then_some((lo / 2.0, hi * 2.0))
}

fn time_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, p: &TimePanel, s: Scale) -> Result<PlotRect, String> {
    let xs = p.series.iter().flat_map(|c| c.points.iter().map(|q| q.0)).chain(p.onset.iter().map(|o| o.0));
    let (lo, hi) = xs.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let x = (lo, if hi > lo { hi } else { lo + 1.0 });
    let values: Vec<f64> = p.series.iter().chain(&p.levels).flat_map(|c| c.points.iter().map(|q| q.1)).collect();
    let x_desc = "η·t (t: GD step)";
    match log_range(&values).filter(|_| p.log) {
        Some(y) => {
            let mut chart = builder(area, &p.title, s).build_cartesian_2d(x.0..x.1, (y.0..y.1).log_scale()).map_err(err)?;
            axes(&mut chart, x_desc, p.y_desc, s)?;
            plot(&mut chart, p, x, y, |v| v > 0.0, s)?;
            Ok(rect(&chart, x, y))
        }
        None => {
            let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let y = if lo <= hi { padded(lo, hi) } else { (0.0, 1.0) };
            let mut chart = builder(area, &p.title, s).build_cartesian_2d(x.0..x.1, y.0..y.1).map_err(err)?;
            axes(&mut chart, x_desc, p.y_desc, s)?;
            plot(&mut chart, p, x, y, |_| true, s)?;
            Ok(rect(&chart, x, y))
        }
    }
}

/// Draws the series (only the points `shown` keeps), the onset marker, the levels across the
/// whole width, and the legend.
fn plot<'a, DB: DrawingBackend + 'a, Y: plotters::coord::ranged1d::Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>,
    p: &TimePanel,
    x: (f64, f64),
    y: (f64, f64),
    shown: impl Fn(f64) -> bool,
    s: Scale,
) -> Result<(), String> {
    let width = s.px(2.0);
    let key = s.px(20.0) as i32;
    if let Some((t0, label)) = &p.onset {
        chart
            .draw_series(LineSeries::new([(*t0, y.0), (*t0, y.1)], ONSET.stroke_width(s.px(1.0))))
            .map_err(err)?
            .label(label.as_str())
            .legend(move |(a, b)| PathElement::new(vec![(a, b), (a + key, b)], ONSET.stroke_width(width)));
    }
    for c in p.series.iter().filter(|c| !c.points.is_empty()) {
        let pts: Vec<(f64, f64)> = c.points.iter().copied().filter(|q| shown(q.1)).collect();
        let colour = c.colour;
        let annotation = match c.mark {
            Mark::Line => chart.draw_series(LineSeries::new(pts, colour.stroke_width(width))).map_err(err)?,
            Mark::Dashed => chart.draw_series(DashedLineSeries::new(pts, s.px(5.0), s.px(4.0), colour.stroke_width(width))).map_err(err)?,
            Mark::Dots => {
                let dots = pts.iter().map(|&q| Circle::new(q, s.px(1.5), colour.filled()));
                chart.draw_series(dots).map_err(err)?;
                chart.draw_series(LineSeries::new(pts, colour.mix(0.3).stroke_width(s.px(1.0)))).map_err(err)?
            }
        };
        annotation.label(c.label.as_str()).legend(move |(a, b)| PathElement::new(vec![(a, b), (a + key, b)], colour.stroke_width(width)));
    }
    // The thresholds go on top: an oscillating sharpness would otherwise hide them.
    for level in &p.levels {
        let colour = level.colour;
        let v = level.points[0].1;
        chart
            .draw_series(DashedLineSeries::new([(x.0, v), (x.1, v)], s.px(8.0), s.px(5.0), colour.stroke_width(width)))
            .map_err(err)?
            .label(level.label.as_str())
            .legend(move |(a, b)| PathElement::new(vec![(a, b), (a + key, b)], colour.stroke_width(width)));
    }
    legend(chart, p.legend, s)
}

/// Where a panel's legend goes.
#[derive(Debug, Clone, Copy)]
enum Corner {
    UpperRight,
    LowerRight,
}

fn legend<'a, DB: DrawingBackend + 'a, Y: plotters::coord::ranged1d::Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>,
    corner: Corner,
    s: Scale,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(match corner {
            Corner::UpperRight => SeriesLabelPosition::UpperRight,
            Corner::LowerRight => SeriesLabelPosition::LowerRight,
        })
        .label_font(s.font())
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .margin(s.px(6.0))
        .draw()
        .map_err(err)
}

/// GD's displacement from θ† (x along u, y along ∇S⊥) against the prediction (x*, y*), with the
/// period-2 orbit ±√(2α/β), y = 0 of the reduced dynamics for α, β at the last θ† (paper 001
/// §4.1). The view is GD's: prediction points outside it are left out (the prediction may leave
/// GD once the terms it neglects grow).
fn plane<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, r: &Stabilization, s: Scale) -> Result<PlotRect, String> {
    let gd = pairs(r.x.iter().copied(), &r.y);
    let orbit = match (r.alpha.last(), r.beta.last()) {
        (Some(&a), Some(&b)) if a > 0.0 && b > 0.0 => {
            let delta = (2.0 * a / b).sqrt();
            vec![(delta, 0.0), (-delta, 0.0)]
        }
        _ => Vec::new(),
    };
    let bounds = |f: fn(&(f64, f64)) -> f64| {
        let (lo, hi) = gd.iter().chain(&orbit).map(f).fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
        padded(lo, if hi > lo { hi } else { lo + 1e-9 })
    };
    let (x, y) = (bounds(|q| q.0), bounds(|q| q.1));
    let inside = |q: &(f64, f64)| q.0 >= x.0 && q.0 <= x.1 && q.1 >= y.0 && q.1 <= y.1;
    let title = "GD's displacement from θ† against the prediction (x*, y*)";
    let mut chart = builder(area, title, s).build_cartesian_2d(x.0..x.1, y.0..y.1).map_err(err)?;
    axes(&mut chart, "x = u·(θ − θ†)", "y = ∇S⊥·(θ − θ†)", s)?;
    let (width, key) = (s.px(2.0), s.px(20.0) as i32);
    // GD flips the sign of x every step, so its points are not joined; the prediction's are rings
    // around them, so that where the two agree each GD dot sits in a ring.
    chart
        .draw_series(gd.iter().map(|&q| Circle::new(q, s.px(2.0), ITERATE.filled())))
        .map_err(err)?
        .label("GD (x, y)")
        .legend(move |(a, b)| Circle::new((a + key / 2, b), s.px(2.0), ITERATE.filled()));
    let predicted = pairs(r.x_pred.iter().copied(), &r.y_pred);
    chart
        .draw_series(predicted.into_iter().filter(inside).map(|q| Circle::new(q, s.px(4.0), PREDICTED.stroke_width(s.px(1.0)))))
        .map_err(err)?
        .label("prediction (x*, y*)")
        .legend(move |(a, b)| Circle::new((a + key / 2, b), s.px(4.0), PREDICTED.stroke_width(s.px(1.0))));
    if !orbit.is_empty() {
        let arm = s.px(6.0) as i32;
        let cross = move |q: (f64, f64)| {
            EmptyElement::at(q)
                + PathElement::new(vec![(-arm, -arm), (arm, arm)], BLACK.stroke_width(width))
                + PathElement::new(vec![(-arm, arm), (arm, -arm)], BLACK.stroke_width(width))
        };
        chart.draw_series(orbit.into_iter().map(cross)).map_err(err)?.label("period-2 orbit x = ±√(2α/β), y = 0").legend(move |(a, b)| {
            PathElement::new(vec![(a + key / 2 - arm, b - arm), (a + key / 2 + arm, b + arm)], BLACK.stroke_width(width))
        });
    }
    legend(&mut chart, Corner::UpperRight, s)?;
    Ok(rect(&chart, x, y))
}

/// The JS-facing export (wasm32 only), `drawDynamics`.
#[cfg(target_arch = "wasm32")]
pub mod js {
    use eoslab_core::{Output, SpecError};
    use wasm_bindgen::prelude::*;
    use web_sys::HtmlCanvasElement;

    use super::{draw_dynamics as draw, Dynamics};
    use crate::api::{canvas_area, js_error, scale, to_js};

    /// Draws one panel of a `flow` result ("loss", "sharpness", "distance") or of a
    /// `self_stabilization` result (those and "plane") returned by `run`, on a canvas whose size
    /// is in device pixels. `heavyBall`, a `trajectory` result (with momentum) or null/undefined,
    /// is laid over the loss and sharpness panels. Returns the plotting area's pixel rectangle
    /// with its data range.
    #[wasm_bindgen(js_name = drawDynamics)]
    pub fn draw_dynamics(
        canvas: &HtmlCanvasElement,
        panel: &str,
        result: JsValue,
        dpr: f64,
        heavy_ball: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = scale(dpr)?;
        let whole = |m: String| js_error(SpecError::whole(m));
        let output: Output = serde_wasm_bindgen::from_value(result).map_err(|e| whole(format!("not a dynamics result: {e}")))?;
        let dynamics = match &output {
            Output::Flow(r) => Dynamics::Flow(r),
            Output::SelfStabilization(r) => Dynamics::Stabilization(r),
            _ => return Err(whole("drawDynamics needs a result of kind \"flow\" or \"self_stabilization\"".into())),
        };
        let heavy_ball = if heavy_ball.is_null() || heavy_ball.is_undefined() {
            None
        } else {
            match serde_wasm_bindgen::from_value(heavy_ball).map_err(|e| whole(format!("heavyBall is not a trajectory result: {e}")))? {
                Output::Trajectory(t) => Some(t),
                _ => return Err(whole("heavyBall must be a result of kind \"trajectory\"".into())),
            }
        };
        let area = canvas_area(canvas)?;
        let r = draw(&area, panel, dynamics, heavy_ball.as_ref(), s).map_err(whole)?;
        area.present().map_err(|e| whole(format!("drawing failed: {e:?}")))?;
        to_js(&r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use eoslab_core::{parse_json, run, Output};

    fn output(spec: &str) -> Output {
        run(&parse_json(spec).unwrap()).unwrap()
    }

    fn flow(eta: f64) -> Flow {
        match output(&format!(r#"{{"kind": "flow", "eta": {eta}, "x0": [0.3], "steps": 120}}"#)) {
            Output::Flow(r) => r,
            _ => unreachable!("a flow result"),
        }
    }

    /// Paper 001's toy model (α = β = 1, η = η₀ = 0.1) from S = 2/η − 0.1, as in the paper harness.
    fn toy() -> Stabilization {
        let u0 = -0.1 / 0.5f64.sqrt();
        let spec = format!(
            r#"{{"kind": "self_stabilization", "eta": 0.1, "steps": 200, "x0": [0.3, {u0}, 0],
                "objective": {{"name": "self_stabilization_toy", "alpha": 1, "beta": 1, "eta": 0.1}}}}"#
        );
        match output(&spec) {
            Output::SelfStabilization(r) => r,
            _ => unreachable!("a self_stabilization result"),
        }
    }

    fn heavy_ball(beta: f64) -> Trajectory {
        match output(&format!(r#"{{"kind": "trajectory", "eta": 0.5, "x0": [0.3], "steps": 120, "momentum": {beta}}}"#)) {
            Output::Trajectory(t) => t,
            _ => unreachable!("a trajectory result"),
        }
    }

    fn svg(panel: &str, result: Dynamics<'_>, heavy: Option<&Trajectory>) -> (String, Result<PlotRect, String>) {
        let mut out = String::new();
        let r = {
            let area = SVGBackend::with_string(&mut out, (640, 420)).into_drawing_area();
            let r = draw_dynamics(&area, panel, result, heavy, Scale(1.0));
            area.present().unwrap();
            r
        };
        (out, r)
    }

    /// Whether the SVG has a text element reading exactly `label` (a legend entry, a title).
    fn has_text(out: &str, label: &str) -> bool {
        out.contains(&format!(">\n{label}\n</text>"))
    }

    fn stroke(c: RGBColor) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    fn assert_inside(r: &PlotRect, what: &str) {
        assert!(0 < r.left && r.left < r.right && r.right <= 640, "{what}: {r:?}");
        assert!(0 < r.top && r.top < r.bottom && r.bottom <= 420, "{what}: {r:?}");
        assert!(r.x_min < r.x_max && r.y_min < r.y_max, "{what}: {r:?}");
    }

    #[test]
    fn flow_panels_draw_every_series_inside_their_area_on_the_time_axis() {
        for eta in [0.5, 1.1] {
            let r = flow(eta);
            for panel in FLOW_PANELS {
                let (out, rect) = svg(panel, Dynamics::Flow(&r), None);
                let rect = rect.unwrap();
                assert_inside(&rect, panel);
                // The horizontal axis is η·t: it ends at 120η.
                assert!((rect.x_max - 120.0 * eta).abs() < 1e-12 && rect.x_min == 0.0, "{panel}: {rect:?}");
                let labels: &[&str] = match *panel {
                    "distance" => &["‖θ_GD(k) − θ_flow(kη)‖"],
                    _ => &["GD", "gradient flow"],
                };
                for label in labels {
                    assert!(has_text(&out, label), "{panel} at η {eta}: no legend entry {label:?}");
                }
                assert!(out.contains(&stroke(ITERATE)), "{panel}: GD is not drawn");
                if *panel != "distance" {
                    assert!(out.contains(&stroke(FLOW)), "{panel}: the flow is not drawn");
                }
            }
        }
    }

    #[test]
    fn sharpness_axes_include_the_stability_thresholds() {
        // On the double well the flow's sharpness tends to 2; at η = 0.25, 2/η = 8 is far above
        // every sharpness, and must still be on the axis.
        let r = match output(r#"{"kind": "flow", "eta": 0.25, "x0": [0.3], "steps": 80}"#) {
            Output::Flow(r) => r,
            _ => unreachable!(),
        };
        assert!(r.gd_sharpness.iter().chain(&r.flow_sharpness).all(|&v| v < 4.0));
        let (out, rect) = svg("sharpness", Dynamics::Flow(&r), None);
        let rect = rect.unwrap();
        assert!(rect.y_min <= 8.0 && 8.0 <= rect.y_max, "2/η = 8 must be visible: {rect:?}");
        assert!(has_text(&out, "2/η = 8"), "the threshold is named with its value");
        // A heavy ball with β = 0.5 at η = 0.5 adds its own threshold (2 + 2β)/η = 6 beside 2/η = 4.
        let r = flow(0.5);
        let hb = heavy_ball(0.5);
        assert_eq!(hb.stability_threshold, 6.0);
        let (out, rect) = svg("sharpness", Dynamics::Flow(&r), Some(&hb));
        let rect = rect.unwrap();
        assert!(rect.y_min <= 4.0 && 6.0 <= rect.y_max, "{rect:?}");
        assert!(has_text(&out, "(2 + 2β)/η = 6") && has_text(&out, "heavy ball β = 0.5"));
        assert!(out.contains(&stroke(HEAVY_BALL)));
        // The toy model's threshold 2/η = 20 is on its sharpness axis.
        let toy = toy();
        let (_, rect) = svg("sharpness", Dynamics::Stabilization(&toy), None);
        let rect = rect.unwrap();
        assert!(rect.y_min <= 20.0 && 20.0 <= rect.y_max, "{rect:?}");
    }

    #[test]
    fn the_heavy_ball_loss_joins_the_loss_panel_only() {
        let r = flow(0.5);
        let hb = heavy_ball(0.3);
        let (out, _) = svg("loss", Dynamics::Flow(&r), Some(&hb));
        assert!(has_text(&out, "heavy ball β = 0.3") && out.contains(&stroke(HEAVY_BALL)));
        let (out, _) = svg("distance", Dynamics::Flow(&r), Some(&hb));
        assert!(!out.contains("heavy ball") && !out.contains(&stroke(HEAVY_BALL)));
    }

    #[test]
    fn self_stabilization_panels_show_gd_flow_constrained_and_prediction() {
        let r = toy();
        let expected: [(&str, &[(&str, RGBColor)]); 4] = [
            ("loss", &[("GD", ITERATE), ("gradient flow", FLOW), ("constrained θ†", CONSTRAINED), ("prediction θ† + x*u + w*", PREDICTED)]),
            ("sharpness", &[("GD", ITERATE), ("gradient flow", FLOW), ("constrained θ†", CONSTRAINED), ("prediction", PREDICTED)]),
            ("distance", &[("to gradient flow", FLOW), ("to constrained θ†", CONSTRAINED), ("to prediction", PREDICTED)]),
            ("plane", &[("GD (x, y)", ITERATE), ("prediction (x*, y*)", PREDICTED)]),
        ];
        for (panel, series) in expected {
            let (out, rect) = svg(panel, Dynamics::Stabilization(&r), None);
            assert_inside(&rect.unwrap(), panel);
            for (label, colour) in series {
                assert!(has_text(&out, label), "{panel}: no legend entry {label:?}");
                assert!(out.contains(&stroke(*colour)), "{panel}: {label} is not drawn");
            }
            if panel != "plane" {
                assert!(has_text(&out, &format!("onset k₀ = {}", r.start)), "{panel}: the onset is marked");
            }
        }
    }

    #[test]
    fn the_plane_shows_the_period_two_orbit_and_every_gd_point() {
        // On the toy model α = β = 1 at θ†, so the orbit is x = ±√2, y = 0 (paper 001 §4.1).
        let r = toy();
        let (out, rect) = svg("plane", Dynamics::Stabilization(&r), None);
        let rect = rect.unwrap();
        assert!(rect.x_min < -2f64.sqrt() && 2f64.sqrt() < rect.x_max && rect.y_min < 0.0 && 0.0 < rect.y_max, "{rect:?}");
        assert!(has_text(&out, "period-2 orbit x = ±√(2α/β), y = 0"));
        for (x, y) in r.x.iter().zip(&r.y) {
            assert!(rect.x_min <= *x && *x <= rect.x_max && rect.y_min <= *y && *y <= rect.y_max, "({x}, {y}) outside {rect:?}");
        }
        // One dot per tracked GD step and, since the prediction is GD on the toy model (to 7e-8),
        // one ring per predicted step inside the view (the legend's keys are one more each).
        let circles = |attribute: String| out.lines().filter(|l| l.contains("<circle") && l.contains(&attribute)).count();
        assert_eq!(circles(format!("fill=\"{}\"", stroke(ITERATE))), r.x.len() + 1);
        assert_eq!(circles(format!("stroke=\"{}\"", stroke(PREDICTED))), r.x_pred.len() + 1);
    }

    #[test]
    fn loss_and_distance_axes_are_logarithmic_only_for_nonnegative_values_spanning_decades() {
        assert_eq!(log_range(&[1e-6, 0.0, 1.0]), Some((5e-7, 2.0)));
        assert_eq!(log_range(&[0.5, 1.0]), None, "less than two decades");
        assert_eq!(log_range(&[-1.0, 1e-6, 1.0]), None, "a negative value");
        // The toy model's loss is f itself and goes negative: a linear axis that shows it all.
        let r = toy();
        let (_, rect) = svg("loss", Dynamics::Stabilization(&r), None);
        let rect = rect.unwrap();
        let lowest = r.constrained_loss.iter().chain(&r.gd_loss).copied().fold(f64::INFINITY, f64::min);
        assert!(lowest < 0.0 && rect.y_min <= lowest, "{lowest} vs {rect:?}");
        // The flow distance at η = 0.5 falls to rounding: a log axis down to its smallest positive value.
        let f = flow(0.5);
        let (_, rect) = svg("distance", Dynamics::Flow(&f), None);
        let rect = rect.unwrap();
        let smallest = f.distance.iter().copied().filter(|&d| d > 0.0).fold(f64::INFINITY, f64::min);
        assert!(rect.y_min <= smallest && smallest < 1e-6, "{smallest} vs {rect:?}");
    }

    #[test]
    fn unknown_panels_are_errors_not_panics() {
        let f = flow(0.5);
        let (_, r) = svg("plane", Dynamics::Flow(&f), None);
        let e = r.unwrap_err();
        assert!(e.contains("unknown panel \"plane\" for a flow result") && e.contains("distance"), "{e}");
        let toy = toy();
        let (_, r) = svg("pie", Dynamics::Stabilization(&toy), None);
        assert!(r.unwrap_err().contains("self_stabilization"));
    }
}
