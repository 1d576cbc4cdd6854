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
//! Each panel is a set of named, coloured series with a legend; like [`crate::trajectory`], a panel
//! fills its whole drawing area and returns the pixel rectangle of its plotting area.

use eoslab_core::dynamics::flow::Flow;
use eoslab_core::dynamics::stabilization::Stabilization;
use eoslab_core::dynamics::trajectory::Trajectory;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::chart::{compact, draw_frame, err, linear_chart, log_chart, padded, Axis, Frame, PlotRect};
use crate::legend::{draw_legend, Entry, Key};
use crate::range::{diverged_marks, robust_range, Curve};
use crate::trajectory::{diverged_at, CURVE, FADED, ITERATE, PINNED};
use crate::Style;

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
    /// Its run diverged (it does not set the range: [`crate::range`]).
    diverged: bool,
    /// A pinned earlier run, drawn faded.
    faded: bool,
}

impl Series {
    fn new(label: impl Into<String>, colour: RGBColor, points: Vec<(f64, f64)>, mark: Mark) -> Self {
        Self { label: label.into(), colour, points, mark, diverged: false, faded: false }
    }

    /// Its legend entry.
    fn entry(&self) -> Entry {
        let key = match self.mark {
            Mark::Line => Key::Line,
            Mark::Dots => Key::Dot,
            Mark::Dashed => Key::Dashed,
        };
        Entry { faded: self.faded, ..Entry::new(self.label.clone(), self.colour, key) }
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
}

/// Draws one panel of a dynamics figure. A heavy-ball run, when given, is laid over the loss and
/// sharpness panels; the GD curve of each `pinned` earlier run (label, result) is drawn faded
/// under the loss, sharpness and distance panels.
pub fn draw_dynamics<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &str,
    result: Dynamics,
    heavy_ball: Option<&Trajectory>,
    pinned: &[(&str, Dynamics)],
    s: Style,
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
    if let (Dynamics::Stabilization(r), "plane") = (result, panel) {
        return plane(area, r, s);
    }
    let mut p = time_panel_of(panel, result);
    for (i, (label, run)) in pinned.iter().enumerate() {
        // The pinned run's GD curve (its first series on the distance panel), faded.
        let mut theirs = time_panel_of(panel, *run).series;
        let k = theirs.iter().position(|c| c.label == "GD").unwrap_or(0);
        if k < theirs.len() {
            let c = theirs.swap_remove(k);
            let colour = PINNED[i % PINNED.len()];
            p.series.insert(0, Series { label: label.to_string(), colour, faded: true, mark: Mark::Line, ..c });
        }
    }
    if let Some(t) = heavy_ball {
        overlay_heavy_ball(&mut p, panel, t);
    }
    time_panel(area, &p, s)
}

/// The time panel `panel` of a result.
fn time_panel_of(panel: &str, result: Dynamics) -> TimePanel {
    match result {
        Dynamics::Flow(r) => flow_panel(panel, r),
        Dynamics::Stabilization(r) => stabilization_panel(panel, r),
    }
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
    Series::new(format!("2/η = {}", compact(&value)), BLACK, vec![(0.0, value)], Mark::Dashed)
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
        },
        _ => TimePanel {
            title: "distance between GD and gradient flow".into(),
            y_desc: "‖θ_GD − θ_flow‖",
            series: vec![Series::new("‖θ_GD(k) − θ_flow(kη)‖", ITERATE, pairs(time(), &r.distance), Mark::Dots)],
            levels: Vec::new(),
            onset: None,
            log: true,
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
        },
    }
}

/// The heavy-ball run's loss or sharpness on η·t, and its threshold (2 + 2β)/η; a run that
/// diverged is marked so and does not set the range.
fn overlay_heavy_ball(p: &mut TimePanel, panel: &str, t: &Trajectory) {
    let label = match diverged_at(t) {
        Some(k) => format!("heavy ball β = {} (diverged at step {k})", compact(&t.momentum)),
        None => format!("heavy ball β = {}", compact(&t.momentum)),
    };
    let diverged = diverged_at(t).is_some();
    match panel {
        "loss" => {
            let steps = times(t.iterate_steps.iter().copied(), t.eta);
            p.series.push(Series { diverged, ..Series::new(label, HEAVY_BALL, pairs(steps, &t.loss), Mark::Dots) });
        }
        "sharpness" => {
            let steps = times(t.sharpness_steps.iter().copied(), t.eta);
            p.series.push(Series { diverged, ..Series::new(label, HEAVY_BALL, pairs(steps, &t.sharpness), Mark::Dots) });
            let level = format!("(2 + 2β)/η = {}", compact(&t.stability_threshold));
            p.levels.push(Series::new(level, HEAVY_BALL, vec![(0.0, t.stability_threshold)], Mark::Dashed));
        }
        _ => {}
    }
}

/// Whether a log axis suits the curves: no negative value, and the positive values of the runs
/// that did not diverge span at least [`LOG_AXIS_MIN_SPAN`].
fn log_suits(curves: &[Curve]) -> bool {
    let negative = curves.iter().flat_map(|c| c.points.iter()).any(|p| p.1 < 0.0);
    !negative && robust_range(curves, true).is_some_and(|(lo, hi)| hi >= lo * LOG_AXIS_MIN_SPAN)
}

fn time_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, p: &TimePanel, s: Style) -> Result<PlotRect, String> {
    let xs = p.series.iter().flat_map(|c| c.points.iter().map(|q| q.0)).chain(p.onset.iter().map(|o| o.0));
    let (lo, hi) = xs.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let x = (lo, if hi > lo { hi } else { lo + 1.0 });
    let curves: Vec<Curve> = p.series.iter().chain(&p.levels).map(|c| Curve { points: &c.points, diverged: c.diverged }).collect();
    let log = p.log && log_suits(&curves);
    let y = match robust_range(&curves, log) {
        Some(range) if log => Axis::log(range, p.y_desc),
        Some((lo, hi)) => Axis::linear(padded(lo, hi), p.y_desc),
        None => Axis::linear((0.0, 1.0), p.y_desc),
    };
    let mut legend: Vec<Entry> = p.onset.iter().map(|(_, label)| Entry::new(label.clone(), ONSET, Key::Line)).collect();
    legend.extend(p.series.iter().filter(|c| !c.points.is_empty()).chain(&p.levels).map(Series::entry));
    // The legend avoids the curves, and the levels and the onset marker drawn across the plot.
    let across = |k: usize| x.0 + (x.1 - x.0) * k as f64 / 64.0;
    let levels = p.levels.iter().flat_map(|c| (0..=64).map(move |k| (across(k), c.points[0].1)));
    let (y_lo, y_hi) = y.range;
    let onset = p.onset.iter().flat_map(|&(t0, _)| {
        (0..=64).map(move |k| (t0, if y.log { y_lo * (y_hi / y_lo).powf(k as f64 / 64.0) } else { y_lo + (y_hi - y_lo) * k as f64 / 64.0 }))
    });
    let avoid = p.series.iter().flat_map(|c| c.points.iter().copied()).chain(levels).chain(onset).collect();
    let frame = Frame { legend, avoid: Some(avoid), ..Frame::new(p.title.clone(), Axis::linear(x, "η·t (t: GD step)"), y) };
    let l = frame.layout(area.dim_in_pixel(), s);
    draw_frame(area, &frame, &l, s)?;
    if log {
        plot(&mut log_chart(area, &l)?, p, &l.rect, |v| v > 0.0, s)?;
    } else {
        plot(&mut linear_chart(area, &l)?, p, &l.rect, |_| true, s)?;
    }
    diverged_marks(area, &l.rect, &curves, s)?;
    if let Some(placement) = &l.legend {
        draw_legend(area, &frame.legend, placement, s)?;
    }
    Ok(l.rect)
}

/// Draws the series (only the points `shown` keeps), the onset marker and the levels across the
/// whole width.
fn plot<'a, DB: DrawingBackend + 'a, Y: plotters::coord::ranged1d::Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, Y>>,
    p: &TimePanel,
    r: &PlotRect,
    shown: impl Fn(f64) -> bool,
    s: Style,
) -> Result<(), String> {
    let width = s.px(2.0);
    if let Some((t0, _)) = &p.onset {
        chart.draw_series(LineSeries::new([(*t0, r.y_min), (*t0, r.y_max)], s.colour(ONSET).stroke_width(s.px(1.0)))).map_err(err)?;
    }
    for c in p.series.iter().filter(|c| !c.points.is_empty()) {
        let pts: Vec<(f64, f64)> = c.points.iter().copied().filter(|q| shown(q.1)).collect();
        let colour = s.colour(c.colour).mix(if c.faded { FADED } else { 1.0 });
        match c.mark {
            Mark::Line => chart.draw_series(LineSeries::new(pts, colour.stroke_width(width))).map_err(err)?,
            Mark::Dashed => chart.draw_series(DashedLineSeries::new(pts, s.px(5.0), s.px(4.0), colour.stroke_width(width))).map_err(err)?,
            Mark::Dots => {
                let dots = pts.iter().map(|&q| Circle::new(q, s.px(1.5), colour.filled()));
                chart.draw_series(dots).map_err(err)?;
                chart.draw_series(LineSeries::new(pts, colour.mix(0.3).stroke_width(s.px(1.0)))).map_err(err)?
            }
        };
    }
    // The thresholds go on top: an oscillating sharpness would otherwise hide them.
    for level in &p.levels {
        let colour = if level.colour == BLACK { s.fg() } else { s.colour(level.colour) };
        let v = level.points[0].1;
        chart
            .draw_series(DashedLineSeries::new([(r.x_min, v), (r.x_max, v)], s.px(8.0), s.px(5.0), colour.stroke_width(width)))
            .map_err(err)?;
    }
    Ok(())
}

/// GD's displacement from θ† (x along u, y along ∇S⊥) against the prediction (x*, y*), with the
/// period-2 orbit ±√(2α/β), y = 0 of the reduced dynamics for α, β at the last θ† (paper 001
/// §4.1). The view is GD's: prediction points outside it are left out (the prediction may leave
/// GD once the terms it neglects grow).
fn plane<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, r: &Stabilization, s: Style) -> Result<PlotRect, String> {
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
    let predicted: Vec<(f64, f64)> = pairs(r.x_pred.iter().copied(), &r.y_pred).into_iter().filter(inside).collect();
    let mut legend = vec![Entry::new("GD (x, y)", ITERATE, Key::Dot), Entry::new("prediction (x*, y*)", PREDICTED, Key::Ring)];
    if !orbit.is_empty() {
        legend.push(Entry::new("period-2 orbit x = ±√(2α/β), y = 0", BLACK, Key::Cross));
    }
    let avoid = gd.iter().chain(&predicted).chain(&orbit).copied().collect();
    let title = "GD's displacement from θ† against the prediction (x*, y*)";
    let frame =
        Frame {
            legend, avoid: Some(avoid), ..Frame::new(title, Axis::linear(x, "x = u·(θ − θ†)"), Axis::linear(y, "y = ∇S⊥·(θ − θ†)"))
        };
    let l = frame.layout(area.dim_in_pixel(), s);
    draw_frame(area, &frame, &l, s)?;
    let mut chart = linear_chart(area, &l)?;
    // GD flips the sign of x every step, so its points are not joined; the prediction's are rings
    // around them, so that where the two agree each GD dot sits in a ring.
    let iterate = s.colour(ITERATE);
    chart.draw_series(gd.iter().map(|&q| Circle::new(q, s.px(2.0), iterate.filled()))).map_err(err)?;
    let ring = s.colour(PREDICTED).stroke_width(s.px(1.0));
    chart.draw_series(predicted.into_iter().map(|q| Circle::new(q, s.px(4.0), ring))).map_err(err)?;
    let arm = s.px(6.0) as i32;
    let pen = s.fg().stroke_width(s.px(2.0));
    let cross = move |q: (f64, f64)| {
        EmptyElement::at(q) + PathElement::new(vec![(-arm, -arm), (arm, arm)], pen) + PathElement::new(vec![(-arm, arm), (arm, -arm)], pen)
    };
    chart.draw_series(orbit.into_iter().map(cross)).map_err(err)?;
    if let Some(placement) = &l.legend {
        draw_legend(area, &frame.legend, placement, s)?;
    }
    Ok(l.rect)
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

    fn svg(panel: &str, result: Dynamics, heavy: Option<&Trajectory>) -> (String, Result<PlotRect, String>) {
        let mut out = String::new();
        let r = {
            let area = SVGBackend::with_string(&mut out, (640, 420)).into_drawing_area();
            let r = draw_dynamics(&area, panel, result, heavy, &[], Style::new(crate::Medium::Svg, 1.0, (600, 400), false));
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
        let suits = |values: &[f64]| {
            let points: Vec<(f64, f64)> = values.iter().map(|&v| (0.0, v)).collect();
            log_suits(&[Curve { points: &points, diverged: false }])
        };
        assert!(suits(&[1e-6, 0.0, 1.0]));
        assert!(!suits(&[0.5, 1.0]), "less than two decades");
        assert!(!suits(&[-1.0, 1e-6, 1.0]), "a negative value");
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
