//! Panels of the results that are a handful of numbers: the Feigenbaum ratios of the period-doubling
//! onsets (paper 002 §4.2: they approach δ = 4.6692…), the top Hessian eigenvalues at a point, and
//! the multipliers of a periodic orbit of the GD map in the complex plane (the orbit attracts when
//! every one lies inside the unit circle).

use eoslab_core::orbit::periodic::PeriodicOrbit;
use eoslab_core::scans::onsets::{Onsets, FEIGENBAUM_DELTA};
use eoslab_core::spectrum::curvature::Curvature;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::chart::{compact, draw_frame, err, linear_chart, padded, Axis, DrawResult, Frame, PlotRect};
use crate::legend::{draw_legend, Entry, Key};
use crate::trajectory::{CURVE, ITERATE};
use crate::Style;

/// Draws a frame of linear axes with dots at `points`, dashed horizontal `levels` (value, label)
/// and a legend naming the dots and the levels.
fn dots<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: Frame,
    points: &[(f64, f64)],
    levels: &[(f64, String)],
    s: Style,
) -> DrawResult<PlotRect> {
    let l = frame.layout(area.dim_in_pixel(), s);
    draw_frame(area, &frame, &l, s)?;
    let r = l.rect;
    let mut chart = linear_chart(area, &l)?;
    for (v, _) in levels {
        chart
            .draw_series(DashedLineSeries::new([(r.x_min, *v), (r.x_max, *v)], s.px(8.0), s.px(5.0), s.fg().stroke_width(s.px(2.0))))
            .map_err(err)?;
    }
    let colour = s.colour(CURVE);
    chart.draw_series(LineSeries::new(points.iter().copied(), colour.mix(0.4).stroke_width(s.px(1.0)))).map_err(err)?;
    chart.draw_series(points.iter().map(|&p| Circle::new(p, s.px(3.0), colour.filled()))).map_err(err)?;
    if let Some(p) = &l.legend {
        draw_legend(area, &frame.legend, p, s)?;
    }
    Ok(r)
}

/// The x range 0.5 … n + 0.5 of `n` numbered points.
fn numbered(n: usize) -> (f64, f64) {
    (0.5, n.max(1) as f64 + 0.5)
}

/// The Feigenbaum ratios (value_k − value_{k−1}) / (value_{k+1} − value_k) against k, with δ.
pub fn feigenbaum_ratios<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, r: &Onsets, s: Style) -> DrawResult<PlotRect> {
    let points: Vec<(f64, f64)> = r.ratios.iter().enumerate().map(|(i, &v)| ((i + 2) as f64, v)).collect();
    let (lo, hi) = points.iter().map(|p| p.1).fold((FEIGENBAUM_DELTA, FEIGENBAUM_DELTA), |(a, b), v| (a.min(v), b.max(v)));
    let x = (1.5, (points.len() + 1).max(2) as f64 + 0.5);
    let delta = format!("δ = {}", compact(&FEIGENBAUM_DELTA));
    let legend = vec![Entry::new("ratio of successive onset gaps", CURVE, Key::Dot), Entry::new(delta.clone(), BLACK, Key::Dashed)];
    let across = (0..=32).map(|k| (x.0 + (x.1 - x.0) * k as f64 / 32.0, FEIGENBAUM_DELTA));
    let avoid = points.iter().copied().chain(across).collect();
    let frame = Frame {
        legend,
        avoid: Some(avoid),
        ..Frame::new(
            "Feigenbaum ratios of the period-doubling onsets",
            Axis::linear(x, "k (onset of period 2ᵏ)"),
            Axis::linear(padded(lo.min(0.0), hi), "ratio"),
        )
    };
    dots(area, frame, &points, &[(FEIGENBAUM_DELTA, delta)], s)
}

/// The top Hessian eigenvalues at the point, largest first.
pub fn eigenvalues<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, r: &Curvature, s: Style) -> DrawResult<PlotRect> {
    let points: Vec<(f64, f64)> = r.eigenvalues.iter().enumerate().map(|(i, &v)| ((i + 1) as f64, v)).collect();
    let (lo, hi) = points.iter().map(|p| p.1).fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let frame = Frame::new(
        "top Hessian eigenvalues at the point",
        Axis::linear(numbered(points.len()), "index i"),
        Axis::linear(padded(lo, hi), "λᵢ"),
    );
    dots(area, frame, &points, &[], s)
}

/// The multipliers of the orbit (eigenvalues of D(Gᵖ)) in the complex plane, with the unit circle.
pub fn multipliers<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, r: &PeriodicOrbit, s: Style) -> DrawResult<PlotRect> {
    let points: Vec<(f64, f64)> = r.multipliers.iter().map(|m| (m.re, m.im)).collect();
    let reach = points.iter().map(|p| p.0.abs().max(p.1.abs())).fold(1.0, f64::max) * 1.15;
    let circle: Vec<(f64, f64)> = (0..=120).map(|k| std::f64::consts::TAU * k as f64 / 120.0).map(|a| (a.cos(), a.sin())).collect();
    let title = format!("multipliers of the period-{} orbit (attracting inside the circle)", r.period);
    let legend = vec![Entry::new("multiplier", ITERATE, Key::Dot), Entry::new("unit circle", BLACK, Key::Line)];
    let avoid = points.iter().chain(&circle).copied().collect();
    let frame = Frame {
        legend,
        avoid: Some(avoid),
        ..Frame::new(title, Axis::linear((-reach, reach), "real part"), Axis::linear((-reach, reach), "imaginary part"))
    };
    let l = frame.layout(area.dim_in_pixel(), s);
    draw_frame(area, &frame, &l, s)?;
    let mut chart = linear_chart(area, &l)?;
    chart.draw_series(LineSeries::new(circle, s.fg().stroke_width(s.px(1.0)))).map_err(err)?;
    chart.draw_series(points.iter().map(|&p| Circle::new(p, s.px(4.0), s.colour(ITERATE).filled()))).map_err(err)?;
    if let Some(p) = &l.legend {
        draw_legend(area, &frame.legend, p, s)?;
    }
    Ok(l.rect)
}

#[cfg(test)]
mod tests {
    use super::*;
    use eoslab_core::{parse_json, run, Output};

    fn draw(spec: &str, panel: &str) -> (String, PlotRect, Output) {
        let result = run(&parse_json(spec).unwrap()).unwrap();
        let mut out = String::new();
        let s = Style::new(crate::Medium::Svg, 1.0, (600, 400), false);
        let rect = {
            let area = SVGBackend::with_string(&mut out, (600, 400)).into_drawing_area();
            crate::draw_panel(&area, panel, &result, &crate::Options::default(), s).unwrap()
        };
        (out, rect, result)
    }

    #[test]
    fn each_number_is_a_dot_inside_the_axes() {
        let (out, rect, r) = draw(r#"{"kind": "curvature", "x": [0.5]}"#, "eigenvalues");
        let Output::Curvature(c) = r else { unreachable!() };
        // f″(x) = 3x² − 1 on the double well: −0.25 at x = 0.5.
        assert!((c.eigenvalues[0] + 0.25).abs() < 1e-9);
        assert!(rect.y_min < -0.25 && rect.y_max >= 0.0, "{rect:?}");
        assert_eq!(out.lines().filter(|l| l.starts_with("<circle")).count(), c.eigenvalues.len());
        // The 2-cycle at η = 1.1: one multiplier, real, inside the unit circle.
        let (out, rect, r) = draw(r#"{"kind": "orbit", "eta": 1.1, "period": 2, "start": [1.2]}"#, "multipliers");
        let Output::Orbit(o) = r else { unreachable!() };
        assert!(o.stable && o.multipliers.len() == 1 && o.multipliers[0].re.abs() < 1.0);
        assert!(rect.x_min <= -1.0 && rect.x_max >= 1.0 && rect.y_min <= -1.0 && rect.y_max >= 1.0, "the unit circle fits: {rect:?}");
        assert!(out.contains(">\nunit circle\n</text>"));
    }
}
