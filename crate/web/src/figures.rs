//! The explorer's plots of a GD run (Chen & Bruna, paper 002 §4.2, Appendix L; Cohen et al.'s
//! sharpness-against-2/η view), drawn with plotters on any backend.
//!
//! Each function draws into a whole drawing area and returns the pixel rectangle of its plotting
//! area, so that the page can map a click back to data coordinates. Sizes (fonts, line widths,
//! margins) are multiplied by the device-pixel ratio so canvases stay sharp at DPR 2.

use eoslab_core::dynamics::trajectory::Trajectory;
use eoslab_core::objective::Objective;
use eoslab_core::scans::bifurcation::Bifurcation;
use eoslab_core::scans::observable::Observable;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Pixel rectangle of a chart's plotting area, in backend pixels, with the data range it shows.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PlotRect {
    /// Left edge (pixels).
    pub left: i32,
    /// Right edge (pixels).
    pub right: i32,
    /// Top edge (pixels).
    pub top: i32,
    /// Bottom edge (pixels).
    pub bottom: i32,
    /// Data value at the left edge.
    pub x_min: f64,
    /// Data value at the right edge.
    pub x_max: f64,
    /// Data value at the bottom edge.
    pub y_min: f64,
    /// Data value at the top edge.
    pub y_max: f64,
}

/// Device-pixel ratio scaling for fonts, strokes and margins.
#[derive(Debug, Clone, Copy)]
pub struct Scale(pub f64);

impl Scale {
    pub(crate) fn px(self, css: f64) -> u32 {
        (css * self.0).round().max(1.0) as u32
    }
    pub(crate) fn font(self) -> TextStyle<'static> {
        ("sans-serif", 12.0 * self.0).into_font().color(&BLACK)
    }
}

type DrawResult<T> = Result<T, String>;

/// GD's iterates and the sharpness along GD.
pub(crate) const ITERATE: RGBColor = RGBColor(214, 39, 40);
/// The objective's curve, the loss along GD (and gradient flow in the dynamics views).
pub(crate) const CURVE: RGBColor = RGBColor(31, 119, 180);
const GUIDE: RGBColor = RGBColor(120, 120, 120);

/// The panels of a trajectory figure, by the names the page uses. "landscape" and "cobweb" need a
/// one-parameter objective, "plane" a two-parameter one; "loss", "regimes" (the loss coloured by
/// regime) and "sharpness" take any.
pub const TRAJECTORY_PANELS: &[&str] = &["landscape", "cobweb", "plane", "loss", "regimes", "sharpness"];

/// Draws one panel of a trajectory figure.
pub fn draw_trajectory<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, panel: &str, t: &Trajectory, s: Scale) -> DrawResult<PlotRect> {
    let objective = t.objective.build().map_err(|e| e.to_string())?;
    area.fill(&WHITE).map_err(err)?;
    let dim = objective.dim();
    let needs = |want: usize| {
        if dim == want {
            Ok(())
        } else {
            Err(format!("the {panel} panel needs an objective of {want} parameter(s); this one has {dim}"))
        }
    };
    match panel {
        "landscape" => needs(1).and_then(|()| landscape(area, t, &objective, s)),
        "cobweb" => needs(1).and_then(|()| cobweb(area, t, &objective, s)),
        "plane" => needs(2).and_then(|()| plane(area, t, &objective, s)),
        "loss" => loss(area, t, false, s),
        "regimes" => loss(area, t, true, s),
        "sharpness" => sharpness(area, t, s),
        other => Err(format!("unknown panel {other:?}; expected one of {TRAJECTORY_PANELS:?}")),
    }
}

pub(crate) fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("drawing failed: {e:?}")
}

/// Horizontal range of a 1-D trajectory plot: the iterates that stayed near the start (a
/// diverging run's last iterates would squash everything else), padded by 15%.
fn x_range(t: &Trajectory) -> (f64, f64) {
    let x0 = t.iterates[0][0];
    let near = 10.0 * (1.0 + x0.abs());
    let (mut lo, mut hi) = (x0.min(0.0), x0.max(0.0));
    for x in t.iterates.iter().map(|p| p[0]).filter(|x| x.abs() <= near) {
        lo = lo.min(x);
        hi = hi.max(x);
    }
    let pad = 0.15 * (hi - lo).max(0.5);
    (lo - pad, hi + pad)
}

/// A compact tick label: integers as integers, large or tiny magnitudes in exponent form, else at
/// most four significant digits.
pub fn tick(v: &f64) -> String {
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e5).contains(&a) {
        format!("{v:.1e}")
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// [lo, hi] widened by 5% on each side (by at least 5·10⁻¹¹).
pub(crate) fn padded(lo: f64, hi: f64) -> (f64, f64) {
    let pad = 0.05 * (hi - lo).max(1e-9);
    (lo - pad, hi + pad)
}

pub(crate) fn rect<DB: DrawingBackend, X, Y>(chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>, x: (f64, f64), y: (f64, f64)) -> PlotRect
where
    X: plotters::coord::ranged1d::Ranged,
    Y: plotters::coord::ranged1d::Ranged,
{
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    PlotRect { left: xs.start, right: xs.end, top: ys.start, bottom: ys.end, x_min: x.0, x_max: x.1, y_min: y.0, y_max: y.1 }
}

/// The label of a tick at `v` on an axis spanning `range`: [`tick`], except that on an axis
/// through 0 a tick within 10⁻⁹ of the span from 0 is labelled 0 (plotters places it at rounding
/// noise such as −2.8e−17). A logarithmic axis never spans 0, so its small ticks keep their values.
fn snapped_tick(v: &f64, range: &std::ops::Range<f64>) -> String {
    let through_zero = range.start.min(range.end) <= 0.0 && range.start.max(range.end) >= 0.0;
    tick(if through_zero && v.abs() < 1e-9 * (range.end - range.start).abs() { &0.0 } else { v })
}

/// Axes with descriptions, compact tick labels ([`snapped_tick`]) and a light grid.
pub(crate) fn axes<
    DB: DrawingBackend,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64> + plotters::coord::ranged1d::ValueFormatter<f64>,
>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, Y>>,
    x_desc: &str,
    y_desc: &str,
    s: Scale,
) -> DrawResult<()> {
    let snap = |r: std::ops::Range<f64>| move |v: &f64| snapped_tick(v, &r);
    let (x_tick, y_tick) = (snap(chart.x_range()), snap(chart.y_range()));
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(&x_tick)
        .y_label_formatter(&y_tick)
        .x_labels(6)
        .y_labels(6)
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(BLACK.mix(0.08))
        .label_style(s.font())
        .axis_desc_style(s.font())
        .draw()
        .map_err(err)
}

pub(crate) fn builder<'a, 'b, DB: DrawingBackend>(area: &'a DrawingArea<DB, Shift>, title: &str, s: Scale) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(area);
    b.margin(s.px(8.0)).caption(title, s.font()).x_label_area_size(s.px(36.0)).y_label_area_size(s.px(56.0));
    b
}

/// (a) f with the GD iterates on it, joined in order.
fn landscape<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Trajectory, f: &dyn Objective, s: Scale) -> DrawResult<PlotRect> {
    let (lo, hi) = x_range(t);
    let curve: Vec<(f64, f64)> = (0..=400).map(|i| lo + (hi - lo) * i as f64 / 400.0).map(|x| (x, f.value(&[x]))).collect();
    let shown: Vec<(f64, f64)> = t.iterates.iter().map(|p| (p[0], f.value(p))).filter(|(x, _)| *x >= lo && *x <= hi).collect();
    let y_hi = curve.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let y_lo = curve.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let y = padded(y_lo, y_hi);
    let mut chart = builder(area, "f(x) with the GD iterates", s).build_cartesian_2d(lo..hi, y.0..y.1).map_err(err)?;
    axes(&mut chart, "x", "f(x)", s)?;
    chart.draw_series(LineSeries::new(curve, CURVE.stroke_width(s.px(2.0)))).map_err(err)?;
    chart.draw_series(LineSeries::new(shown.clone(), ITERATE.mix(0.35).stroke_width(s.px(1.0)))).map_err(err)?;
    chart.draw_series(shown.iter().map(|&p| Circle::new(p, s.px(3.0), ITERATE.filled()))).map_err(err)?;
    Ok(rect(&chart, (lo, hi), y))
}

/// (a′) The cobweb of the GD map G(x) = x − η f′(x): the graph of G, the diagonal, and the path
/// (x_t, x_t) → (x_t, x_{t+1}) → (x_{t+1}, x_{t+1}).
fn cobweb<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Trajectory, f: &dyn Objective, s: Scale) -> DrawResult<PlotRect> {
    let (lo, hi) = x_range(t);
    let mut g = [0.0];
    let map: Vec<(f64, f64)> = (0..=400)
        .map(|i| lo + (hi - lo) * i as f64 / 400.0)
        .map(|x| {
            f.gradient(&[x], &mut g);
            (x, x - t.eta * g[0])
        })
        .filter(|(_, y)| *y >= lo && *y <= hi)
        .collect();
    let mut chart = builder(area, "cobweb of x ↦ x − η f′(x)", s).build_cartesian_2d(lo..hi, lo..hi).map_err(err)?;
    axes(&mut chart, "x_t", "x_t+1", s)?;
    chart.draw_series(LineSeries::new(vec![(lo, lo), (hi, hi)], GUIDE.stroke_width(s.px(1.0)))).map_err(err)?;
    chart.draw_series(LineSeries::new(map, CURVE.stroke_width(s.px(2.0)))).map_err(err)?;
    let mut path = Vec::with_capacity(2 * t.iterates.len());
    for w in t.iterates.windows(2) {
        let (a, b) = (w[0][0], w[1][0]);
        if a.abs().max(b.abs()) > 1e3 * (hi - lo) {
            break;
        }
        path.push((a, a));
        path.push((a, b));
    }
    if let Some(&(_, b)) = path.last() {
        path.push((b, b));
    }
    chart.draw_series(LineSeries::new(path, ITERATE.mix(0.8).stroke_width(s.px(1.0)))).map_err(err)?;
    Ok(rect(&chart, (lo, hi), (lo, hi)))
}

/// Cells per side of the plane panel's heat map.
const PLANE_CELLS: usize = 90;

/// A two-parameter objective as a heat map of log(1 + f − min f over the view), its known
/// minimisers (black crosses) and the GD path (red), with each axis spanning the iterates near the
/// start and the minimisers.
fn plane<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Trajectory, f: &dyn Objective, s: Scale) -> DrawResult<PlotRect> {
    let start = &t.iterates[0];
    let near = 10.0 * (1.0 + start[0].abs().max(start[1].abs()));
    let minimisers = f.known_minimizers();
    let points: Vec<&Vec<f64>> = t.iterates.iter().chain(&minimisers).filter(|p| p[0].abs().max(p[1].abs()) <= near).collect();
    let hull = |i: usize| {
        let lo = points.iter().map(|p| p[i]).fold(start[i], f64::min);
        let hi = points.iter().map(|p| p[i]).fold(start[i], f64::max);
        let pad = 0.15 * (hi - lo).max(0.5);
        (lo - pad, hi + pad)
    };
    let (x, y) = (hull(0), hull(1));
    let cell = |i: usize, r: (f64, f64)| r.0 + (r.1 - r.0) * i as f64 / PLANE_CELLS as f64;
    let mut grid = Vec::with_capacity(PLANE_CELLS * PLANE_CELLS);
    for i in 0..PLANE_CELLS {
        for j in 0..PLANE_CELLS {
            let c = [(cell(i, x) + cell(i + 1, x)) / 2.0, (cell(j, y) + cell(j + 1, y)) / 2.0];
            grid.push((i, j, f.value(&c)));
        }
    }
    let finite = grid.iter().map(|g| g.2).filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let shade = |v: f64| {
        if !v.is_finite() || hi <= lo {
            return RGBColor(255, 255, 255);
        }
        let u = ((v - lo).ln_1p() / (hi - lo).ln_1p()).clamp(0.0, 1.0);
        // From pale yellow (low) to deep blue (high).
        let mix = |a: f64, b: f64| (a + (b - a) * u).round() as u8;
        RGBColor(mix(255.0, 37.0), mix(247.0, 52.0), mix(188.0, 148.0))
    };
    let mut chart = builder(area, "f over the plane with the GD path", s).build_cartesian_2d(x.0..x.1, y.0..y.1).map_err(err)?;
    chart
        .draw_series(
            grid.iter().map(|&(i, j, v)| Rectangle::new([(cell(i, x), cell(j, y)), (cell(i + 1, x), cell(j + 1, y))], shade(v).filled())),
        )
        .map_err(err)?;
    axes(&mut chart, "θ₁", "θ₂", s)?;
    let cross = s.px(5.0) as i32;
    chart
        .draw_series(minimisers.iter().filter(|m| m[0] >= x.0 && m[0] <= x.1 && m[1] >= y.0 && m[1] <= y.1).map(|m| {
            EmptyElement::at((m[0], m[1]))
                + PathElement::new(vec![(-cross, -cross), (cross, cross)], BLACK.stroke_width(s.px(2.0)))
                + PathElement::new(vec![(-cross, cross), (cross, -cross)], BLACK.stroke_width(s.px(2.0)))
        }))
        .map_err(err)?;
    let path: Vec<(f64, f64)> = t.iterates.iter().map(|p| (p[0], p[1])).filter(|p| p.0.abs().max(p.1.abs()) <= near).collect();
    series_with_dots(&mut chart, path, ITERATE, s)?;
    Ok(rect(&chart, x, y))
}

/// (b) f(x_t) − min f against t on a log axis. Exact zeros (a run that reached the minimum to the
/// last bit) cannot be shown on a log axis and are left out.
///
/// With `regimes` (paper 004 Fig. 3), the curve is coloured by the run's regime labels
/// ([`eoslab_core::dynamics::regimes`]): orange up to `monotone_from`, the step after the last loss increase,
/// blue after it (the loss decreasing monotonically); the steps at the edge of stability (sharpness
/// at or above 2/η) are shaded, and a catapult's peak is ringed.
fn loss<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Trajectory, regimes: bool, s: Scale) -> DrawResult<PlotRect> {
    let pts: Vec<(f64, f64)> = t.loss.iter().enumerate().filter(|(_, l)| **l > 0.0).map(|(i, &l)| (i as f64, l)).collect();
    let n = (t.loss.len().max(2) - 1) as f64;
    let lo = pts.iter().map(|p| p.1).fold(f64::INFINITY, f64::min).min(1e-3);
    let hi = pts.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max).max(lo * 10.0);
    let y = (lo / 2.0, hi * 2.0);
    let title = if regimes { "loss coloured by regime" } else { "loss f(x_t) − min f" };
    let mut chart = builder(area, title, s).build_cartesian_2d(0.0..n, (y.0..y.1).log_scale()).map_err(err)?;
    if regimes {
        let band = |&[a, b]: &[usize; 2]| Rectangle::new([(a as f64 - 0.5, y.0), (b as f64 + 0.5, y.1)], EDGE_OF_STABILITY.filled());
        chart.draw_series(t.regimes.edge_of_stability.iter().map(band)).map_err(err)?;
    }
    chart
        .configure_mesh()
        .x_desc("step t")
        .y_desc("loss")
        .x_label_formatter(&tick)
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .x_labels(6)
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(BLACK.mix(0.08))
        .label_style(s.font())
        .axis_desc_style(s.font())
        .draw()
        .map_err(err)?;
    if !regimes {
        series_with_dots(&mut chart, pts, CURVE, s)?;
        return Ok(rect(&chart, (0.0, n), y));
    }
    // The point at monotone_from belongs to both pieces, so that the curve stays joined.
    let from = t.regimes.monotone_from as f64;
    let rising: Vec<(f64, f64)> = pts.iter().copied().filter(|p| p.0 <= from).collect();
    let falling: Vec<(f64, f64)> = pts.iter().copied().filter(|p| p.0 >= from).collect();
    // The rising part goes on top: it is short, and would otherwise hide under the first dots after.
    series_with_dots(&mut chart, falling, CURVE, s)?;
    series_with_dots(&mut chart, rising, BEFORE_MONOTONE, s)?;
    if let Some(c) = &t.regimes.catapult {
        let peak = (c.peak_step as f64, t.loss[c.peak_step]);
        chart.draw_series(std::iter::once(Circle::new(peak, s.px(6.0), BLACK.stroke_width(s.px(2.0))))).map_err(err)?;
    }
    Ok(rect(&chart, (0.0, n), y))
}

/// The loss before it starts decreasing monotonically (the regimes panel).
pub const BEFORE_MONOTONE: RGBColor = RGBColor(230, 120, 20);
/// Shading of the steps at the edge of stability (the regimes panel).
pub const EDGE_OF_STABILITY: RGBAColor = RGBAColor(214, 39, 40, 0.12);

/// A thin line through the points with a dot on each, so that a period-2 oscillation reads as two
/// bands rather than a solid block.
pub(crate) fn series_with_dots<DB: DrawingBackend, Y: plotters::coord::ranged1d::Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, Y>>,
    pts: Vec<(f64, f64)>,
    colour: RGBColor,
    s: Scale,
) -> DrawResult<()> {
    chart.draw_series(LineSeries::new(pts.iter().copied(), colour.mix(0.3).stroke_width(s.px(1.0)))).map_err(err)?;
    chart.draw_series(pts.into_iter().map(|p| Circle::new(p, s.px(1.5), colour.filled()))).map_err(err)?;
    Ok(())
}

/// Colours of the 2nd, 3rd, … eigenvalue curves when the top-k are tracked.
const LOWER_EIGENVALUES: [RGBColor; 4] = [RGBColor(31, 119, 180), RGBColor(44, 160, 44), RGBColor(148, 103, 189), RGBColor(140, 86, 75)];

/// Colours and labels of the directional curvatures (paper 003 Thm 3.1's Rayleigh quotients along
/// v₊ and v₋), by the name the objective gives the direction; other names take the last colour.
const DIRECTIONAL: [(&str, &str, RGBColor); 3] = [
    ("v_plus", "λ₊ along v₊", RGBColor(255, 127, 14)),
    ("v_minus", "λ₋ along v₋", RGBColor(23, 190, 207)),
    ("", "Rayleigh quotient", RGBColor(188, 189, 34)),
];

/// The label and colour a named direction is drawn with.
fn directional_style(name: &str) -> (String, RGBColor) {
    match DIRECTIONAL.iter().find(|(n, _, _)| *n == name) {
        Some(&(_, label, colour)) => (label.to_string(), colour),
        None => (format!("{} along {name}", DIRECTIONAL[2].1), DIRECTIONAL[2].2),
    }
}

/// (c) Sharpness (largest Hessian eigenvalue) at each tracked step, against the stability line
/// 2/η; with top-k tracking the lower eigenvalues too (paper 003's figures of each top eigenvalue
/// reaching 2/η in turn), and the curvatures along the objective's named directions, dashed
/// (003 §3: λ₊ and λ₋ each reaching 2/η), where a direction exists.
fn sharpness<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Trajectory, s: Scale) -> DrawResult<PlotRect> {
    let n = (t.loss.len().max(2) - 1) as f64;
    let two_over_eta = t.stability_threshold;
    // 2/η_t: constant, or following the schedule step by step.
    let threshold: Vec<(f64, f64)> = if t.learning_rates.is_empty() {
        vec![(0.0, two_over_eta), (n, two_over_eta)]
    } else {
        let mut line = vec![(0.0, 2.0 / t.learning_rates[0])];
        for (k, eta) in t.learning_rates.iter().enumerate() {
            let (step, level) = ((k + 1) as f64, 2.0 / eta);
            if line.last().is_some_and(|p| p.1 != level) {
                line.push((step - 1.0, level));
            }
            line.push((step, level));
        }
        line
    };
    let directional = t.directional.values().flatten().flatten();
    let all = t.top_eigenvalues.iter().flatten().chain(&t.sharpness).chain(directional).copied().chain(threshold.iter().map(|p| p.1));
    let (lo, hi) = all.fold((two_over_eta, two_over_eta), |(a, b), v| (a.min(v), b.max(v)));
    let y = padded(lo.min(0.0), hi);
    let steps = || t.sharpness_steps.iter().map(|&k| k as f64);
    let mut title = if t.top_eigenvalues.is_empty() {
        "sharpness (red) against 2/η (black dashes)".to_string()
    } else {
        format!("top {} Hessian eigenvalues (sharpness red) against 2/η (black dashes)", t.top_eigenvalues[0].len())
    };
    if !t.directional.is_empty() {
        let mut names: Vec<&String> = t.directional.keys().collect();
        names.sort_by_key(|name| DIRECTIONAL.iter().position(|(n, _, _)| n == name).unwrap_or(DIRECTIONAL.len()));
        let labels: Vec<String> = names.iter().map(|name| directional_style(name).0).collect();
        title = format!("{title}; {} (dashed)", labels.join(", "));
    }
    let mut chart = builder(area, &title, s).build_cartesian_2d(0.0..n, y.0..y.1).map_err(err)?;
    axes(&mut chart, "step t", "eigenvalue", s)?;
    let k = t.top_eigenvalues.first().map_or(1, Vec::len);
    for i in (1..k).rev() {
        let pts = steps().zip(t.top_eigenvalues.iter().map(|ev| ev[i])).collect();
        series_with_dots(&mut chart, pts, LOWER_EIGENVALUES[(i - 1) % LOWER_EIGENVALUES.len()], s)?;
    }
    series_with_dots(&mut chart, steps().zip(t.sharpness.iter().copied()).collect(), ITERATE, s)?;
    for (name, values) in &t.directional {
        let colour = directional_style(name).1;
        // A direction that does not exist at a step breaks its curve there.
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (step, value) in steps().zip(values) {
            match value {
                Some(v) => runs.last_mut().expect("starts with one run").push((step, *v)),
                None if runs.last().is_some_and(|r| !r.is_empty()) => runs.push(Vec::new()),
                None => {}
            }
        }
        for run in runs {
            chart
                .draw_series(DashedLineSeries::new(run.iter().copied(), s.px(4.0), s.px(3.0), colour.stroke_width(s.px(2.0))))
                .map_err(err)?;
            chart.draw_series(run.into_iter().map(|p| Circle::new(p, s.px(2.0), colour.stroke_width(s.px(1.0))))).map_err(err)?;
        }
    }
    // The threshold goes on top: an oscillating sharpness would otherwise hide it.
    chart.draw_series(DashedLineSeries::new(threshold, s.px(8.0), s.px(5.0), BLACK.stroke_width(s.px(2.0)))).map_err(err)?;
    Ok(rect(&chart, (0.0, n), y))
}

/// (d) The frame of the bifurcation diagram (axes, labels) titled `title`, returning where its
/// raster goes ([`crate::density::raster`]), and after the raster is placed, the marker of the
/// current value. The horizontal axis is the scanned parameter's grid (`values`: η, or an
/// objective parameter at the fixed η), the vertical one the observable.
pub fn bifurcation_frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scan: &Bifurcation,
    title: &str,
    s: Scale,
) -> DrawResult<PlotRect> {
    area.fill(&WHITE).map_err(err)?;
    let x = grid_range(&scan.values);
    let y = crate::density::sample_range(scan).unwrap_or((-1.0, 1.0));
    let mut chart = builder(area, title, s).build_cartesian_2d(x.0..x.1, y.0..y.1).map_err(err)?;
    raster_axes(&mut chart, &parameter_label(scan), &observable_label(scan), s)?;
    Ok(rect(&chart, x, y))
}

/// The axes of a frame a raster image is put into (the bifurcation diagram, a basin map): labels
/// and ticks, no grid over the image.
pub(crate) fn raster_axes<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>>,
    x_desc: &str,
    y_desc: &str,
    s: Scale,
) -> DrawResult<()> {
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .label_style(s.font())
        .axis_desc_style(s.font())
        .draw()
        .map_err(err)
}

/// The first and last value of a scan's grid, widened when they coincide (a grid of one value).
pub fn grid_range(values: &[f64]) -> (f64, f64) {
    let first = values.first().copied().unwrap_or(0.0);
    let x = (first, values.last().copied().unwrap_or(first));
    if x.1 > x.0 {
        x
    } else {
        (x.0, x.0 + 1e-9)
    }
}

/// The horizontal axis' description: the learning rate, or the scanned parameter at its fixed η.
pub fn parameter_label(scan: &Bifurcation) -> String {
    match (scan.parameter.as_str(), scan.eta.first()) {
        ("eta", _) | (_, None) => "learning rate η".to_string(),
        (name, Some(eta)) => format!("{name} (at η = {})", tick(eta)),
    }
}

/// The vertical axis' description: what the samples are.
pub fn observable_label(scan: &Bifurcation) -> String {
    let dim = scan.starts.first().map_or(1, Vec::len);
    match &scan.observable {
        Observable::Coordinate { index } if dim == 1 && *index == 0 => "x after the transient".to_string(),
        Observable::Coordinate { index } => format!("x[{index}] after the transient"),
        Observable::Loss => "loss f − min f".to_string(),
        Observable::Sharpness => "sharpness".to_string(),
        Observable::Named { name } => name.clone(),
    }
}

/// A vertical marker at `eta` inside the plotting area `r` (drawn after the raster).
pub fn eta_marker<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, r: &PlotRect, eta: f64, s: Scale) -> DrawResult<()> {
    if !(eta >= r.x_min && eta <= r.x_max) {
        return Ok(());
    }
    let px = r.left + ((eta - r.x_min) / (r.x_max - r.x_min) * (r.right - r.left) as f64).round() as i32;
    area.draw(&PathElement::new(vec![(px, r.top), (px, r.bottom)], BLACK.mix(0.7).stroke_width(s.px(2.0)))).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use eoslab_core::dynamics::trajectory::{run_trajectory, TrajectorySpec};

    fn spec_defaults() -> TrajectorySpec {
        eoslab_core::parse_json(r#"{"kind": "trajectory", "eta": 1}"#)
            .map(|s| match s {
                eoslab_core::Spec::Trajectory(t) => t,
                _ => unreachable!("a trajectory spec"),
            })
            .unwrap()
    }

    fn svg(panel: &str, eta: f64) -> (String, PlotRect) {
        let t = run_trajectory(&TrajectorySpec { objective: Default::default(), eta, x0: Some(vec![0.5]), steps: 100, ..spec_defaults() })
            .unwrap();
        let mut out = String::new();
        let r = {
            let area = SVGBackend::with_string(&mut out, (600, 400)).into_drawing_area();
            let r = draw_trajectory(&area, panel, &t, Scale(1.0)).unwrap();
            area.present().unwrap();
            r
        };
        (out, r)
    }

    #[test]
    fn every_one_dimensional_panel_draws_inside_its_area() {
        for panel in ["landscape", "cobweb", "loss", "regimes", "sharpness"] {
            for eta in [0.5, 1.1, 2.1] {
                let (out, r) = svg(panel, eta);
                assert!(out.contains("<polyline") || out.contains("<path"), "{panel} at η {eta} drew no lines");
                assert!(0 < r.left && r.left < r.right && r.right <= 600, "{panel}: {r:?}");
                assert!(0 < r.top && r.top < r.bottom && r.bottom <= 400, "{panel}: {r:?}");
                assert!(r.x_min < r.x_max && r.y_min < r.y_max);
            }
        }
    }

    #[test]
    fn plane_panel_draws_two_parameter_objectives_and_refuses_others() {
        let spec = TrajectorySpec {
            objective: eoslab_core::objective::ObjectiveSpec::new("unstable_convergence", &[]),
            eta: 0.2,
            x0: None,
            steps: 50,
            ..spec_defaults()
        };
        let t = run_trajectory(&spec).unwrap();
        let mut out = String::new();
        {
            let area = SVGBackend::with_string(&mut out, (500, 400)).into_drawing_area();
            let r = draw_trajectory(&area, "plane", &t, Scale(1.0)).unwrap();
            // f₄'s default start (0.1, 2.5) and both minima ±(0.97, 0.97) are inside the view.
            assert!(r.x_min < -0.97 && r.x_max > 0.97 && r.y_min < -0.97 && r.y_max > 2.5, "{r:?}");
            area.present().unwrap();
        }
        assert!(out.matches("<rect").count() >= PLANE_CELLS * PLANE_CELLS);
        let one_d =
            run_trajectory(&TrajectorySpec { objective: Default::default(), eta: 0.5, x0: Some(vec![0.5]), steps: 3, ..spec_defaults() })
                .unwrap();
        let mut out = String::new();
        let area = SVGBackend::with_string(&mut out, (10, 10)).into_drawing_area();
        assert!(draw_trajectory(&area, "plane", &one_d, Scale(1.0)).unwrap_err().contains("2 parameter"));
    }

    #[test]
    fn sharpness_axis_includes_the_stability_line() {
        let (_, r) = svg("sharpness", 0.5);
        assert!(r.y_min <= 4.0 && 4.0 <= r.y_max, "2/η = 4 must be visible: {r:?}");
        // With η decayed to η/4 at step 50, the new threshold 2/(η/4) = 16 is visible too.
        let spec = TrajectorySpec {
            objective: Default::default(),
            eta: 0.5,
            x0: Some(vec![0.5]),
            steps: 100,
            schedule: eoslab_core::optimizer::schedule::Schedule::StepDecay { at: 50, factor: 0.25 },
            ..spec_defaults()
        };
        let t = run_trajectory(&spec).unwrap();
        let mut out = String::new();
        let area = SVGBackend::with_string(&mut out, (600, 400)).into_drawing_area();
        let r = draw_trajectory(&area, "sharpness", &t, Scale(1.0)).unwrap();
        assert!(r.y_min <= 4.0 && 16.0 <= r.y_max, "{r:?}");
    }

    #[test]
    fn sharpness_panel_draws_the_directional_curvatures_of_two_layer_networks() {
        let spec = TrajectorySpec {
            objective: eoslab_core::objective::ObjectiveSpec::new("two_layer_orthogonal", &[]),
            eta: 0.05,
            x0: None,
            steps: 40,
            sharpness_every: 10,
            ..spec_defaults()
        };
        let t = run_trajectory(&spec).unwrap();
        let lambdas: Vec<f64> = ["v_plus", "v_minus"].iter().flat_map(|n| t.directional[*n].iter().flatten().copied()).collect();
        assert_eq!(lambdas.len(), 2 * t.sharpness_steps.len(), "both directions exist at every tracked step");
        let mut out = String::new();
        let r = {
            let area = SVGBackend::with_string(&mut out, (700, 400)).into_drawing_area();
            let r = draw_trajectory(&area, "sharpness", &t, Scale(1.0)).unwrap();
            area.present().unwrap();
            r
        };
        assert!(out.contains("λ₊ along v₊, λ₋ along v₋ (dashed)"), "the title names both curves");
        // Each direction is drawn in its own colour: one hollow dot per tracked step.
        for (_, _, colour) in &DIRECTIONAL[..2] {
            let stroke = format!("stroke=\"#{:02X}{:02X}{:02X}\"", colour.0, colour.1, colour.2);
            let dots = out.lines().filter(|l| l.contains("<circle") && l.contains(&stroke)).count();
            assert_eq!(dots, t.sharpness_steps.len(), "{stroke}");
        }
        for v in lambdas {
            assert!(r.y_min <= v && v <= r.y_max, "λ = {v} outside {r:?}");
        }
    }

    #[test]
    fn tick_labels_are_compact() {
        assert_eq!(tick(&20.0), "20");
        assert_eq!(tick(&0.25), "0.25");
        assert_eq!(tick(&(1.0 / 3.0)), "0.3333");
        assert_eq!(tick(&3_500_000.0), "3.5e6");
        assert_eq!(tick(&-0.0001), "-1.0e-4");
        assert_eq!(tick(&0.0), "0");
    }

    #[test]
    fn only_axes_through_zero_snap_rounding_noise_to_zero() {
        assert_eq!(snapped_tick(&-2.8e-17, &(-1.0..1.5)), "0");
        assert_eq!(snapped_tick(&2.8e-17, &(0.0..4.0)), "0");
        assert_eq!(snapped_tick(&0.5, &(-1.0..1.5)), "0.5");
        // A logarithmic axis from 10⁻¹³ to 1: its ticks are small, not noise.
        assert_eq!(snapped_tick(&1e-10, &(1e-13..1.0)), "1.0e-10");
        assert_eq!(snapped_tick(&1e-13, &(1e-13..1.0)), "1.0e-13");
    }

    #[test]
    fn unknown_panel_is_an_error_not_a_panic() {
        let t =
            run_trajectory(&TrajectorySpec { objective: Default::default(), eta: 0.5, x0: Some(vec![0.5]), steps: 3, ..spec_defaults() })
                .unwrap();
        let mut out = String::new();
        let area = SVGBackend::with_string(&mut out, (10, 10)).into_drawing_area();
        assert!(draw_trajectory(&area, "pie", &t, Scale(1.0)).unwrap_err().contains("unknown panel"));
    }
}
