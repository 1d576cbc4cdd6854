//! The panels of a learning-rate sweep (paper 003, Wang et al., §3–4: past 2/η₀ GD does not
//! diverge but converges to a minimum of sharpness ≈ 2/η, balancing its layers, often after a
//! catapult): against η, the limiting sharpness with the line 2/η, the final loss, the catapult's
//! peak ratio, and the cells where GD stayed finite. A sweep over η × a parameter draws one curve
//! per parameter value.

use eoslab_core::scans::sweep::Sweep;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::chart::{compact, draw_frame, err, linear_chart, log_chart, padded, Axis, DrawResult, Frame, PlotRect};
use crate::density::DIVERGED_TINT;
use crate::legend::{draw_legend, Entry, Key};
use crate::range::{robust_range, Curve};
use crate::trajectory::{CURVE, ITERATE, PINNED};
use crate::Style;

/// The panels of a sweep, by the names the page uses.
pub const SWEEP_PANELS: &[&str] = &["sharpness", "loss", "catapult", "finite"];

/// Colours of the curves of successive parameter values.
const ROWS: [RGBColor; 6] = [CURVE, ITERATE, RGBColor(44, 160, 44), RGBColor(148, 103, 189), PINNED[1], PINNED[2]];
/// Most curves named in a legend.
const MAX_NAMED: usize = 6;

/// The sweep's rows: (label, index of each η's cell), one per parameter value (one row without).
fn rows(r: &Sweep) -> Vec<(String, Vec<usize>)> {
    let n = r.eta.len();
    match &r.parameter {
        None => vec![(String::new(), (0..n).collect())],
        Some(name) => {
            r.values.iter().enumerate().map(|(j, v)| (format!("{name} = {}", compact(v)), (j * n..(j + 1) * n).collect())).collect()
        }
    }
}

/// What a panel shows of a cell (none where the run diverged or the value cannot be shown).
type CellValue = fn(&Sweep, usize) -> Option<f64>;

/// Draws the sweep panel `panel`.
pub fn draw_sweep<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, panel: &str, r: &Sweep, s: Style) -> DrawResult<PlotRect> {
    let (title, desc, log, value): (&str, &str, bool, CellValue) = match panel {
        "sharpness" => ("limiting sharpness against 2/η (dashes)", "sharpness at the last step", false, |r, c| r.limiting_sharpness[c]),
        "loss" => ("loss at the last step", "f − min f", true, |r, c| r.final_loss[c].filter(|l| *l > 0.0)),
        "catapult" => ("catapult: the loss's peak over its start", "peak loss / initial loss", true, |r, c| {
            r.catapult_peak_ratio[c].filter(|l| *l > 0.0)
        }),
        "finite" => return finite(area, r, s),
        other => return Err(format!("unknown panel {other:?}; expected one of {SWEEP_PANELS:?}")),
    };
    let rows = rows(r);
    let curves: Vec<(String, Vec<(f64, f64)>)> = rows
        .iter()
        .map(|(label, cells)| (label.clone(), cells.iter().zip(&r.eta).filter_map(|(&c, &eta)| value(r, c).map(|v| (eta, v))).collect()))
        .collect();
    let threshold: Vec<(f64, f64)> = r.eta.iter().copied().zip(r.stability_threshold.iter().copied()).collect();
    let mut all: Vec<Curve> = curves.iter().map(|c| Curve { points: &c.1, diverged: false }).collect();
    if panel == "sharpness" {
        all.push(Curve { points: &threshold, diverged: false });
    }
    let x = (r.eta.first().copied().unwrap_or(0.0), r.eta.last().copied().unwrap_or(1.0));
    let x = if x.1 > x.0 { x } else { (x.0, x.0 + 1e-9) };
    let y = match robust_range(&all, log) {
        Some(range) if log => Axis::log(range, desc),
        Some((lo, hi)) => Axis::linear(padded(lo.min(0.0), hi), desc),
        None => Axis::linear((0.0, 1.0), desc),
    };
    let named = curves.len() > 1 && curves.len() <= MAX_NAMED;
    let legend = if named {
        curves.iter().enumerate().map(|(i, c)| Entry::new(c.0.clone(), ROWS[i % ROWS.len()], Key::Dot)).collect()
    } else {
        Vec::new()
    };
    let avoid = all.iter().flat_map(|c| c.points.iter().copied()).collect();
    let frame = Frame { legend, avoid: Some(avoid), ..Frame::new(title, Axis::linear(x, "learning rate η"), y.clone()) };
    let l = frame.layout(area.dim_in_pixel(), s);
    draw_frame(area, &frame, &l, s)?;
    let width = s.px(1.5);
    macro_rules! draw {
        ($chart:expr) => {{
            let mut chart = $chart;
            for (i, (_, points)) in curves.iter().enumerate() {
                let colour = s.colour(ROWS[i % ROWS.len()]);
                chart.draw_series(LineSeries::new(points.iter().copied(), colour.mix(0.5).stroke_width(width))).map_err(err)?;
                chart.draw_series(points.iter().map(|&p| Circle::new(p, s.px(2.0), colour.filled()))).map_err(err)?;
            }
            if panel == "sharpness" {
                chart
                    .draw_series(DashedLineSeries::new(threshold.iter().copied(), s.px(8.0), s.px(5.0), s.fg().stroke_width(s.px(2.0))))
                    .map_err(err)?;
            }
        }};
    }
    if y.log {
        draw!(log_chart(area, &l)?);
    } else {
        draw!(linear_chart(area, &l)?);
    }
    if let Some(p) = &l.legend {
        draw_legend(area, &frame.legend, p, s)?;
    }
    Ok(l.rect)
}

/// Where GD stayed finite: each cell of η (× the parameter) coloured as finite or diverged.
fn finite<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, r: &Sweep, s: Style) -> DrawResult<PlotRect> {
    let half = |v: &[f64]| {
        if v.len() > 1 {
            (v[v.len() - 1] - v[0]) / (v.len() - 1) as f64 / 2.0
        } else {
            0.5
        }
    };
    let (he, x) = (half(&r.eta), (r.eta[0], r.eta[r.eta.len() - 1]));
    let x = (x.0 - he, x.1 + he);
    let (values, desc) = match &r.parameter {
        Some(name) => (r.values.clone(), name.clone()),
        None => (vec![0.0], "(one run per η)".to_string()),
    };
    let hv = half(&values);
    let y = (values[0] - hv, values[values.len() - 1] + hv);
    let [fr, fg, fb] = DIVERGED_TINT;
    let legend = vec![Entry::new("stayed finite", CURVE, Key::Swatch), Entry::new("diverged", RGBColor(fr, fg, fb), Key::Swatch)];
    let frame = Frame {
        grid: false,
        legend,
        avoid: None,
        ..Frame::new("where GD stays finite", Axis::linear(x, "learning rate η"), Axis::linear(y, desc))
    };
    let l = frame.layout(area.dim_in_pixel(), s);
    draw_frame(area, &frame, &l, s)?;
    let mut chart = linear_chart(area, &l)?;
    let n = r.eta.len();
    chart
        .draw_series(r.diverged_at.iter().enumerate().map(|(c, d)| {
            let (eta, v) = (r.eta[c % n], values[c / n]);
            let colour = if d.is_some() { RGBColor(fr, fg, fb) } else { s.colour(CURVE) };
            Rectangle::new([(eta - he, v - hv), (eta + he, v + hv)], colour.filled())
        }))
        .map_err(err)?;
    if let Some(p) = &l.legend {
        draw_legend(area, &frame.legend, p, s)?;
    }
    Ok(l.rect)
}

#[cfg(test)]
mod tests {
    use super::*;
    use eoslab_core::{parse_json, run, Output};

    fn sweep(spec: &str) -> Sweep {
        match run(&parse_json(spec).unwrap()).unwrap() {
            Output::Sweep(r) => r,
            _ => unreachable!("a sweep"),
        }
    }

    #[test]
    fn the_limiting_sharpness_is_drawn_against_two_over_eta() {
        let r = sweep(r#"{"kind": "sweep", "eta_min": 0.2, "eta_max": 1.2, "n_eta": 11, "x0": [0.5]}"#);
        let mut out = String::new();
        let rect = {
            let area = SVGBackend::with_string(&mut out, (600, 400)).into_drawing_area();
            draw_sweep(&area, "sharpness", &r, Style::new(crate::Medium::Svg, 1.0, (600, 400), false)).unwrap()
        };
        // Every limiting sharpness and 2/η (up to 2/0.2 = 10) is on the axis.
        let top = r.stability_threshold.iter().copied().fold(0.0, f64::max);
        assert!(rect.y_max >= top && top == 10.0, "{rect:?}");
        for v in r.limiting_sharpness.iter().flatten() {
            assert!(rect.y_min <= *v && *v <= rect.y_max);
        }
        let dots = out.lines().filter(|l| l.starts_with("<circle")).count();
        assert_eq!(dots, r.limiting_sharpness.iter().flatten().count());
        let mut out = String::new();
        let area = SVGBackend::with_string(&mut out, (600, 400)).into_drawing_area();
        assert!(draw_sweep(&area, "pie", &r, Style::new(crate::Medium::Svg, 1.0, (600, 400), false))
            .unwrap_err()
            .contains("unknown panel"));
    }
}
