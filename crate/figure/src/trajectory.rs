//! The explorer's plots of a GD run (Chen & Bruna, paper 002 §4.2, Appendix L; Cohen et al.'s
//! sharpness-against-2/η view), drawn with plotters on any backend.
//!
//! Each function draws into a whole drawing area and returns the pixel rectangle of its plotting
//! area, so that the page can map a click back to data coordinates. The loss and sharpness panels
//! draw pinned earlier runs faded under the current one, each named in the legend.

use eoslab_core::dynamics::trajectory::Trajectory;
use eoslab_core::objective::Objective;
use eoslab_core::orbit::Outcome;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::chart::{compact, draw_frame, err, linear_chart, log_chart, padded, series_with_dots, Axis, DrawResult, Frame, PlotRect};
use crate::colour_bar::ColourBar;
use crate::legend::{draw_legend, Entry, Key};
use crate::range::{diverged_marks, robust_range, Curve};
use crate::Style;

/// GD's iterates and the sharpness along GD.
pub(crate) const ITERATE: RGBColor = RGBColor(214, 39, 40);
/// The objective's curve, the loss along GD (and gradient flow in the dynamics views).
pub(crate) const CURVE: RGBColor = RGBColor(31, 119, 180);
const GUIDE: RGBColor = RGBColor(120, 120, 120);
/// Pinned earlier runs: their own colours, drawn faded.
pub(crate) const PINNED: [RGBColor; 4] = [RGBColor(127, 127, 127), RGBColor(140, 86, 75), RGBColor(227, 119, 194), RGBColor(188, 189, 34)];
/// How much of its colour a pinned run keeps.
pub(crate) const FADED: f64 = 0.45;

/// The panels of a trajectory figure, by the names the page uses. "landscape" and "cobweb" need a
/// one-parameter objective, "plane" a two-parameter one; "loss", "regimes" (the loss coloured by
/// regime) and "sharpness" take any.
pub const TRAJECTORY_PANELS: &[&str] = &["landscape", "cobweb", "plane", "loss", "regimes", "sharpness"];

/// Draws one panel of a trajectory figure, with `pinned` earlier runs (label, run) under the loss
/// and sharpness.
pub fn draw_trajectory<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &str,
    t: &Trajectory,
    pinned: &[(&str, &Trajectory)],
    s: Style,
) -> DrawResult<PlotRect> {
    let objective = t.objective.build().map_err(|e| e.to_string())?;
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
        "loss" => loss(area, t, pinned, false, s),
        "regimes" => loss(area, t, pinned, true, s),
        "sharpness" => sharpness(area, t, pinned, s),
        other => Err(format!("unknown panel {other:?}; expected one of {TRAJECTORY_PANELS:?}")),
    }
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

/// (a) f with the GD iterates on it, joined in order.
fn landscape<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Trajectory, f: &dyn Objective, s: Style) -> DrawResult<PlotRect> {
    let (lo, hi) = x_range(t);
    let curve: Vec<(f64, f64)> = (0..=400).map(|i| lo + (hi - lo) * i as f64 / 400.0).map(|x| (x, f.value(&[x]))).collect();
    let shown: Vec<(f64, f64)> = t.iterates.iter().map(|p| (p[0], f.value(p))).filter(|(x, _)| *x >= lo && *x <= hi).collect();
    let y_hi = curve.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let y_lo = curve.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let frame = Frame::new("f(x) with the GD iterates", Axis::linear((lo, hi), "x"), Axis::linear(padded(y_lo, y_hi), "f(x)"));
    let l = frame.layout(area.dim_in_pixel(), s);
    draw_frame(area, &frame, &l, s)?;
    let mut chart = linear_chart(area, &l)?;
    chart.draw_series(LineSeries::new(curve, s.colour(CURVE).stroke_width(s.px(2.0)))).map_err(err)?;
    let iterate = s.colour(ITERATE);
    chart.draw_series(LineSeries::new(shown.clone(), iterate.mix(0.35).stroke_width(s.px(1.0)))).map_err(err)?;
    chart.draw_series(shown.iter().map(|&p| Circle::new(p, s.px(3.0), iterate.filled()))).map_err(err)?;
    Ok(l.rect)
}

/// (a′) The cobweb of the GD map G(x) = x − η f′(x): the graph of G, the diagonal, and the path
/// (x_t, x_t) → (x_t, x_{t+1}) → (x_{t+1}, x_{t+1}).
fn cobweb<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Trajectory, f: &dyn Objective, s: Style) -> DrawResult<PlotRect> {
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
    let frame = Frame::new("cobweb of x ↦ x − η f′(x)", Axis::linear((lo, hi), "x_t"), Axis::linear((lo, hi), "x_t+1"));
    let l = frame.layout(area.dim_in_pixel(), s);
    draw_frame(area, &frame, &l, s)?;
    let mut chart = linear_chart(area, &l)?;
    chart.draw_series(LineSeries::new(vec![(lo, lo), (hi, hi)], s.colour(GUIDE).stroke_width(s.px(1.0)))).map_err(err)?;
    chart.draw_series(LineSeries::new(map, s.colour(CURVE).stroke_width(s.px(2.0)))).map_err(err)?;
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
    chart.draw_series(LineSeries::new(path, s.colour(ITERATE).mix(0.8).stroke_width(s.px(1.0)))).map_err(err)?;
    Ok(l.rect)
}

/// Cells per side of the plane panel's heat map.
const PLANE_CELLS: usize = 90;

/// The plane panel's colours, from pale yellow (low) to deep blue (high).
const PLANE_LOW: [u8; 3] = [255, 247, 188];
const PLANE_HIGH: [u8; 3] = [37, 52, 148];

/// A two-parameter objective as a heat map of log(1 + f − min f over the view), with its colour
/// scale in values of f − min f, its known minimisers (crosses) and the GD path (red), with each
/// axis spanning the iterates near the start and the minimisers.
fn plane<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Trajectory, f: &dyn Objective, s: Style) -> DrawResult<PlotRect> {
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
    let span = (hi - lo).max(0.0);
    let scale = ColourBar {
        title: "f − min f over the view".into(),
        stops: vec![(0.0, s.rgb(PLANE_LOW)), (1.0, s.rgb(PLANE_HIGH))],
        // u = log(1 + v)/log(1 + span): the value at u is (1 + span)^u − 1.
        labels: [0.0, 0.5, 1.0].iter().map(|&u| (u, compact(&((1.0 + span).powf(u) - 1.0)))).collect(),
    };
    let shade = |v: f64| {
        if !v.is_finite() || hi <= lo {
            return s.bg();
        }
        let [r, g, b] = scale.colour((v - lo).ln_1p() / span.ln_1p());
        RGBColor(r, g, b)
    };
    let frame = Frame {
        grid: false,
        avoid: None,
        colour_bar: Some(scale.clone()),
        ..Frame::new("f over the plane with the GD path", Axis::linear(x, "θ₁"), Axis::linear(y, "θ₂"))
    };
    let l = frame.layout(area.dim_in_pixel(), s);
    draw_frame(area, &frame, &l, s)?;
    let mut chart = linear_chart(area, &l)?;
    chart
        .draw_series(
            grid.iter().map(|&(i, j, v)| Rectangle::new([(cell(i, x), cell(j, y)), (cell(i + 1, x), cell(j + 1, y))], shade(v).filled())),
        )
        .map_err(err)?;
    let cross = s.px(5.0) as i32;
    let pen = s.fg().stroke_width(s.px(2.0));
    chart
        .draw_series(minimisers.iter().filter(|m| m[0] >= x.0 && m[0] <= x.1 && m[1] >= y.0 && m[1] <= y.1).map(|m| {
            EmptyElement::at((m[0], m[1]))
                + PathElement::new(vec![(-cross, -cross), (cross, cross)], pen)
                + PathElement::new(vec![(-cross, cross), (cross, -cross)], pen)
        }))
        .map_err(err)?;
    let path: Vec<(f64, f64)> = t.iterates.iter().map(|p| (p[0], p[1])).filter(|p| p.0.abs().max(p.1.abs()) <= near).collect();
    series_with_dots(&mut chart, path, ITERATE, s)?;
    Ok(l.rect)
}

/// The step a run diverged at, if it did.
pub(crate) fn diverged_at(t: &Trajectory) -> Option<usize> {
    match t.outcome {
        Outcome::Diverged { step } => Some(step),
        _ => None,
    }
}

/// A pinned run's curve: its label, its points and the step it diverged at.
type PinnedCurve<'a> = (&'a str, Vec<(f64, f64)>, Option<usize>);

/// A run's loss as points (step, loss), its exact zeros left out (a log axis cannot show them).
fn loss_points(t: &Trajectory) -> Vec<(f64, f64)> {
    t.iterate_steps.iter().zip(&t.loss).filter(|(_, l)| **l > 0.0).map(|(&k, &l)| (k as f64, l)).collect()
}

/// (b) f(x_t) − min f against t on a log axis whose decades enclose the data. Exact zeros (a run
/// that reached the minimum to the last bit) cannot be shown on a log axis and are left out.
/// Pinned runs are faded lines under it; a run that diverged does not set the range when others
/// did not, and where it leaves the axis it is marked.
///
/// With `regimes` (paper 004 Fig. 3), the curve is coloured by the run's regime labels
/// ([`eoslab_core::dynamics::regimes`]): orange up to `monotone_from`, the step after the last loss increase,
/// blue after it (the loss decreasing monotonically); the steps at the edge of stability (sharpness
/// at or above 2/η) are shaded, and a catapult's peak is ringed.
fn loss<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Trajectory,
    pinned: &[(&str, &Trajectory)],
    regimes: bool,
    s: Style,
) -> DrawResult<PlotRect> {
    let pts = loss_points(t);
    let others: Vec<PinnedCurve> = pinned.iter().map(|(label, p)| (*label, loss_points(p), diverged_at(p))).collect();
    let mut curves = vec![Curve { points: &pts, diverged: diverged_at(t).is_some() }];
    curves.extend(others.iter().map(|(_, p, d)| Curve { points: p, diverged: d.is_some() }));
    let (lo, hi) = robust_range(&curves, true).unwrap_or((1e-3, 1.0));
    let y = (lo.min(1e-3), hi.max(lo * 10.0));
    let last = |t: &Trajectory| t.iterate_steps.last().copied().unwrap_or(0) as f64;
    let n = pinned.iter().map(|p| last(p.1)).fold(last(t), f64::max).max(1.0);
    let title = if regimes { "loss coloured by regime" } else { "loss f(x_t) − min f" };
    let mut legend = Vec::new();
    if regimes {
        legend.push(Entry::new("before the monotone decrease", BEFORE_MONOTONE, Key::Dot));
        legend.push(Entry::new("monotone decrease", CURVE, Key::Dot));
        if !t.regimes.edge_of_stability.is_empty() {
            legend.push(Entry::new("sharpness ≥ 2/η", ITERATE, Key::Swatch));
        }
        if t.regimes.catapult.is_some() {
            legend.push(Entry::new("catapult peak", BLACK, Key::Ring));
        }
    } else if !pinned.is_empty() {
        legend.push(Entry::new("this run", CURVE, Key::Dot));
    }
    for (i, (label, _, d)) in others.iter().enumerate() {
        let label = match d {
            Some(k) => format!("{label} (diverged at t = {k})"),
            None => label.to_string(),
        };
        legend.push(Entry { faded: true, ..Entry::new(label, PINNED[i % PINNED.len()], Key::Line) });
    }
    let avoid = curves.iter().flat_map(|c| c.points.iter().copied()).collect();
    let frame = Frame { legend, avoid: Some(avoid), ..Frame::new(title, Axis::linear((0.0, n), "step t"), Axis::log(y, "loss")) };
    let l = frame.layout(area.dim_in_pixel(), s);
    draw_frame(area, &frame, &l, s)?;
    let r = l.rect;
    let mut chart = log_chart(area, &l)?;
    if regimes {
        let shade = s.colour(ITERATE).mix(0.12);
        let band = |&[a, b]: &[usize; 2]| Rectangle::new([(a as f64 - 0.5, r.y_min), (b as f64 + 0.5, r.y_max)], shade.filled());
        chart.draw_series(t.regimes.edge_of_stability.iter().map(band)).map_err(err)?;
    }
    for (i, (_, p, _)) in others.iter().enumerate() {
        let colour = s.colour(PINNED[i % PINNED.len()]).mix(FADED);
        chart.draw_series(LineSeries::new(p.iter().copied(), colour.stroke_width(s.px(1.5)))).map_err(err)?;
    }
    if !regimes {
        series_with_dots(&mut chart, pts.clone(), CURVE, s)?;
    } else {
        // The point at monotone_from belongs to both pieces, so that the curve stays joined.
        let from = t.regimes.monotone_from as f64;
        let rising: Vec<(f64, f64)> = pts.iter().copied().filter(|p| p.0 <= from).collect();
        let falling: Vec<(f64, f64)> = pts.iter().copied().filter(|p| p.0 >= from).collect();
        // The rising part goes on top: it is short, and would otherwise hide under the first dots after.
        series_with_dots(&mut chart, falling, CURVE, s)?;
        series_with_dots(&mut chart, rising, BEFORE_MONOTONE, s)?;
        if let Some(c) = &t.regimes.catapult {
            let peak = (c.peak_step as f64, t.loss[c.peak_step]);
            chart.draw_series(std::iter::once(Circle::new(peak, s.px(6.0), s.fg().stroke_width(s.px(2.0))))).map_err(err)?;
        }
    }
    diverged_marks(area, &r, &curves, s)?;
    if let Some(p) = &l.legend {
        draw_legend(area, &frame.legend, p, s)?;
    }
    Ok(r)
}

/// The loss before it starts decreasing monotonically (the regimes panel).
pub const BEFORE_MONOTONE: RGBColor = RGBColor(230, 120, 20);

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

/// A run's sharpness as points (step, sharpness).
fn sharpness_points(t: &Trajectory) -> Vec<(f64, f64)> {
    t.sharpness_steps.iter().map(|&k| k as f64).zip(t.sharpness.iter().copied()).collect()
}

/// (c) Sharpness (largest Hessian eigenvalue) at each tracked step, against the stability line
/// 2/η; with top-k tracking the lower eigenvalues too (paper 003's figures of each top eigenvalue
/// reaching 2/η in turn), and the curvatures along the objective's named directions, dashed
/// (003 §3: λ₊ and λ₋ each reaching 2/η), where a direction exists. Pinned runs' sharpness is
/// drawn faded under it.
fn sharpness<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Trajectory,
    pinned: &[(&str, &Trajectory)],
    s: Style,
) -> DrawResult<PlotRect> {
    let n = pinned.iter().map(|p| p.1).chain([t]).map(|t| (t.loss.len().max(2) - 1) as f64).fold(1.0, f64::max);
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
    let others: Vec<PinnedCurve> = pinned.iter().map(|(label, p)| (*label, sharpness_points(p), diverged_at(p))).collect();
    let pts = sharpness_points(t);
    let mut current: Vec<(f64, f64)> = pts.clone();
    let at_steps =
        |values: Vec<Option<f64>>| t.sharpness_steps.iter().zip(values).filter_map(|(&k, v)| v.map(|v| (k as f64, v))).collect::<Vec<_>>();
    for i in 1..t.top_eigenvalues.first().map_or(1, Vec::len) {
        current.extend(at_steps(t.top_eigenvalues.iter().map(|ev| Some(ev[i])).collect()));
    }
    for values in t.directional.values() {
        current.extend(at_steps(values.clone()));
    }
    current.extend(threshold.iter().copied());
    let mut curves = vec![Curve { points: &current, diverged: diverged_at(t).is_some() }];
    curves.extend(others.iter().map(|(_, p, d)| Curve { points: p, diverged: d.is_some() }));
    let (lo, hi) = robust_range(&curves, false).unwrap_or((two_over_eta, two_over_eta));
    let y = padded(lo.min(0.0), hi);
    let mut title = if t.top_eigenvalues.is_empty() {
        "sharpness (red) against 2/η (dashes)".to_string()
    } else {
        format!("top {} Hessian eigenvalues (sharpness red) against 2/η (dashes)", t.top_eigenvalues[0].len())
    };
    if !t.directional.is_empty() {
        let mut names: Vec<&String> = t.directional.keys().collect();
        names.sort_by_key(|name| DIRECTIONAL.iter().position(|(n, _, _)| n == name).unwrap_or(DIRECTIONAL.len()));
        let labels: Vec<String> = names.iter().map(|name| directional_style(name).0).collect();
        title = format!("{title}; {} (dashed)", labels.join(", "));
    }
    let mut legend = Vec::new();
    if !pinned.is_empty() {
        legend.push(Entry::new("this run", ITERATE, Key::Dot));
        for (i, (label, _, _)) in others.iter().enumerate() {
            legend.push(Entry { faded: true, ..Entry::new(*label, PINNED[i % PINNED.len()], Key::Line) });
        }
    }
    // The legend avoids the curves and the threshold drawn across the plot.
    let level_at = |x: f64| threshold.iter().rev().find(|p| p.0 <= x).map_or(two_over_eta, |p| p.1);
    let across = (0..=64).map(|k| n * k as f64 / 64.0).map(|x| (x, level_at(x)));
    let avoid = curves.iter().flat_map(|c| c.points.iter().copied()).chain(across).collect();
    let frame = Frame { legend, avoid: Some(avoid), ..Frame::new(title, Axis::linear((0.0, n), "step t"), Axis::linear(y, "eigenvalue")) };
    let l = frame.layout(area.dim_in_pixel(), s);
    draw_frame(area, &frame, &l, s)?;
    let mut chart = linear_chart(area, &l)?;
    for (i, (_, p, _)) in others.iter().enumerate() {
        let colour = s.colour(PINNED[i % PINNED.len()]).mix(FADED);
        chart.draw_series(LineSeries::new(p.iter().copied(), colour.stroke_width(s.px(1.5)))).map_err(err)?;
    }
    let steps = || t.sharpness_steps.iter().map(|&k| k as f64);
    let k = t.top_eigenvalues.first().map_or(1, Vec::len);
    for i in (1..k).rev() {
        let pts = steps().zip(t.top_eigenvalues.iter().map(|ev| ev[i])).collect();
        series_with_dots(&mut chart, pts, LOWER_EIGENVALUES[(i - 1) % LOWER_EIGENVALUES.len()], s)?;
    }
    series_with_dots(&mut chart, pts, ITERATE, s)?;
    for (name, values) in &t.directional {
        let colour = s.colour(directional_style(name).1);
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
    chart.draw_series(DashedLineSeries::new(threshold, s.px(8.0), s.px(5.0), s.fg().stroke_width(s.px(2.0)))).map_err(err)?;
    diverged_marks(area, &l.rect, &curves, s)?;
    if let Some(p) = &l.legend {
        draw_legend(area, &frame.legend, p, s)?;
    }
    Ok(l.rect)
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
            let r = draw_trajectory(&area, panel, &t, &[], Style::new(crate::Medium::Svg, 1.0, (600, 400), false)).unwrap();
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
            let r = draw_trajectory(&area, "plane", &t, &[], Style::new(crate::Medium::Svg, 1.0, (600, 400), false)).unwrap();
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
        assert!(draw_trajectory(&area, "plane", &one_d, &[], Style::new(crate::Medium::Svg, 1.0, (600, 400), false))
            .unwrap_err()
            .contains("2 parameter"));
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
        let r = draw_trajectory(&area, "sharpness", &t, &[], Style::new(crate::Medium::Svg, 1.0, (600, 400), false)).unwrap();
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
            let r = draw_trajectory(&area, "sharpness", &t, &[], Style::new(crate::Medium::Svg, 1.0, (600, 400), false)).unwrap();
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
    fn unknown_panel_is_an_error_not_a_panic() {
        let t =
            run_trajectory(&TrajectorySpec { objective: Default::default(), eta: 0.5, x0: Some(vec![0.5]), steps: 3, ..spec_defaults() })
                .unwrap();
        let mut out = String::new();
        let area = SVGBackend::with_string(&mut out, (10, 10)).into_drawing_area();
        assert!(draw_trajectory(&area, "pie", &t, &[], Style::new(crate::Medium::Svg, 1.0, (600, 400), false))
            .unwrap_err()
            .contains("unknown panel"));
    }
}
