//! The scan pages' panels, drawn with plotters on any backend: the bifurcation diagram (a density
//! raster, [`crate::density`]) with its colour scale, the Lyapunov exponent under it (paper 002
//! §4.2: negative on period windows, positive in chaos), and the basin map (paper 004 Fig. 2, a
//! class raster, [`crate::basin_image`]) with a legend of the colours it shows.

use eoslab_core::scans::basin::Basin;
use eoslab_core::scans::bifurcation::Bifurcation;
use eoslab_core::scans::observable::Observable;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::basin_image::cell_range;
use crate::chart::{compact, draw_frame, err, linear_chart, marker, Axis, DrawResult, Frame, Layout, PlotRect};
use crate::colour_bar::ColourBar;
use crate::density::{DIVERGED_TINT, START_COLOURS};
use crate::legend::{draw_legend, Entry, Key};
use crate::surface::{over, Image};
use crate::{basin_image, density, Style};

/// The plotting area's size in pixels (at least 1 × 1).
fn plot_size(r: &PlotRect) -> (u32, u32) {
    ((r.right - r.left).max(1) as u32, (r.bottom - r.top).max(1) as u32)
}

/// An RGB triple as a plotters colour.
fn rgb([r, g, b]: [u8; 3]) -> RGBColor {
    RGBColor(r, g, b)
}

/// The colour scale of the density raster over `background`: a start's colour from a lone sample in a pixel (faint)
/// to a pixel holding an eighth or more of the start's samples (solid), as
/// [`density::raster`] shades them.
fn density_scale(background: [u8; 3]) -> ColourBar {
    let faint = density::shade(background, START_COLOURS[0], density::alpha(1, 1_000_000));
    ColourBar {
        title: "share of a start's samples".into(),
        stops: vec![(0.0, faint), (1.0, START_COLOURS[0])],
        labels: vec![(0.0, "1 sample".into()), (0.5, "6%".into()), (1.0, "≥ 12.5%".into())],
    }
}

/// The bifurcation diagram of the columns computed so far: the frame, the density raster
/// ([`density::raster`]) with its colour scale, a legend of the starts' colours (and of the tint
/// of columns where every start diverged), and a marker at `marker` (none for NaN). The horizontal
/// axis is the scanned parameter's grid (`values`: η, or an objective parameter at the fixed η),
/// the vertical one the observable.
pub fn bifurcation_diagram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scan: &Bifurcation,
    title: &str,
    at: f64,
    s: Style,
) -> DrawResult<PlotRect> {
    let x = grid_range(&scan.values);
    let y = density::sample_range(scan).unwrap_or((-1.0, 1.0));
    let mut legend: Vec<Entry> = Vec::new();
    if scan.starts.len() > 1 {
        for (k, start) in scan.starts.iter().enumerate() {
            let at: Vec<String> = start.iter().map(compact).collect();
            legend.push(Entry::new(format!("from ({})", at.join(", ")), rgb(START_COLOURS[k % START_COLOURS.len()]), Key::Swatch));
        }
    }
    if scan.runs.iter().any(|c| !c.is_empty() && c.iter().all(|r| r.diverged_at.is_some())) {
        legend.push(Entry::new("every start diverged", rgb(DIVERGED_TINT), Key::Swatch));
    }
    let frame = Frame {
        grid: false,
        legend,
        avoid: None,
        colour_bar: Some(density_scale([s.bg().0, s.bg().1, s.bg().2])),
        ..Frame::new(title, Axis::linear(x, parameter_label(scan)), Axis::linear(y, observable_label(scan)))
    };
    let l = frame.layout(area.dim_in_pixel(), s);
    draw_frame(area, &frame, &l, s)?;
    let r = l.rect;
    let (w, h) = plot_size(&r);
    let bg = s.bg();
    let rgba = density::raster(scan, w as usize, h as usize, r.y_min, r.y_max, [bg.0, bg.1, bg.2]);
    area.draw(&Image { at: (r.left, r.top), size: (w, h), rgb: over(&rgba, [bg.0, bg.1, bg.2]) }).map_err(err)?;
    marker(area, &r, at, s)?;
    finish(area, &frame, &l, s)
}

/// Draws the legend, if any; returns the plotting area.
fn finish<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, frame: &Frame, l: &Layout, s: Style) -> DrawResult<PlotRect> {
    if let Some(p) = &l.legend {
        draw_legend(area, &frame.legend, p, s)?;
    }
    Ok(l.rect)
}

/// The basin map of the rows marked in `filled`: each axis spans the grid's cells
/// ([`cell_range`]), so that every start sits at the centre of its cell; the class raster
/// ([`basin_image::raster`]), a legend of exactly the colours it shows ([`basin_image::legend`]),
/// the known minimisers (crosses) and the `selected` start (a ring).
pub fn basin_map<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    map: &Basin,
    filled: &[bool],
    selected: Option<[f64; 2]>,
    s: Style,
) -> DrawResult<PlotRect> {
    let range = |v: &[f64]| cell_range(v[0], v[v.len() - 1], v.len());
    let (x, y) = (range(&map.x), range(&map.y));
    let title = format!("basin map at η = {} (click a start to run it)", compact(&map.eta));
    let legend = basin_image::legend(map, filled).into_iter().map(|(label, colour)| Entry::new(label, rgb(colour), Key::Swatch)).collect();
    let frame = Frame {
        grid: false,
        legend,
        avoid: None,
        ..Frame::new(title, Axis::linear(x, "first coordinate of the start"), Axis::linear(y, "second coordinate of the start"))
    };
    let l = frame.layout(area.dim_in_pixel(), s);
    draw_frame(area, &frame, &l, s)?;
    let r = l.rect;
    let (w, h) = plot_size(&r);
    let rgba = basin_image::raster(map, filled, w as usize, h as usize);
    let bg = s.bg();
    area.draw(&Image { at: (r.left, r.top), size: (w, h), rgb: over(&rgba, [bg.0, bg.1, bg.2]) }).map_err(err)?;
    basin_marks(area, &r, map, selected, s)?;
    finish(area, &frame, &l, s)
}

/// The Lyapunov exponent of each run of the columns computed so far, one dot per start in the
/// start's colour, against the scan's grid, with the line λ = 0 and a marker at `at`.
pub fn lyapunov_chart<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, scan: &Bifurcation, at: f64, s: Style) -> DrawResult<PlotRect> {
    let x = grid_range(&scan.values);
    let dots: Vec<(f64, f64, usize)> = scan
        .values
        .iter()
        .zip(&scan.runs)
        .flat_map(|(&v, column)| column.iter().enumerate().filter_map(move |(k, run)| run.lyapunov.map(|l| (v, l, k))))
        .collect();
    let lo = dots.iter().map(|d| d.1).fold(-0.1f64, f64::min);
    let hi = dots.iter().map(|d| d.1).fold(0.1f64, f64::max);
    let pad = 0.05 * (hi - lo);
    let frame =
        Frame::new("Lyapunov exponent of the GD map", Axis::linear(x, parameter_label(scan)), Axis::linear((lo - pad, hi + pad), "λ"));
    let l = frame.layout(area.dim_in_pixel(), s);
    draw_frame(area, &frame, &l, s)?;
    let mut chart = linear_chart(area, &l)?;
    chart.draw_series(LineSeries::new([(x.0, 0.0), (x.1, 0.0)], s.fg().mix(0.5).stroke_width(s.px(1.0)))).map_err(err)?;
    chart
        .draw_series(
            dots.iter().map(|&(v, l, k)| Circle::new((v, l), s.px(1.5), s.colour(rgb(START_COLOURS[k % START_COLOURS.len()])).filled())),
        )
        .map_err(err)?;
    marker(area, &l.rect, at, s)?;
    Ok(l.rect)
}

/// Over the image: the known minimisers inside the view as crosses, and the selected start (if
/// any) as a ring.
pub fn basin_marks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    r: &PlotRect,
    map: &Basin,
    selected: Option<[f64; 2]>,
    s: Style,
) -> DrawResult<()> {
    let pixel = |p: &[f64]| -> Option<(i32, i32)> {
        let u = (p[0] - r.x_min) / (r.x_max - r.x_min);
        let v = (p[1] - r.y_min) / (r.y_max - r.y_min);
        ((0.0..=1.0).contains(&u) && (0.0..=1.0).contains(&v))
            .then(|| (r.left + (u * (r.right - r.left) as f64).round() as i32, r.bottom - (v * (r.bottom - r.top) as f64).round() as i32))
    };
    let arm = s.px(6.0) as i32;
    let pen = BLACK.stroke_width(s.px(2.0));
    for (px, py) in map.minimizers.iter().filter_map(|m| pixel(m)) {
        area.draw(&PathElement::new(vec![(px - arm, py - arm), (px + arm, py + arm)], pen)).map_err(err)?;
        area.draw(&PathElement::new(vec![(px - arm, py + arm), (px + arm, py - arm)], pen)).map_err(err)?;
    }
    if let Some((px, py)) = selected.and_then(|p| pixel(&p)) {
        area.draw(&Circle::new((px, py), s.px(7.0), pen)).map_err(err)?;
        area.draw(&Circle::new((px, py), s.px(9.0), WHITE.stroke_width(s.px(2.0)))).map_err(err)?;
    }
    Ok(())
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
        (name, Some(eta)) => format!("{name} (at η = {})", compact(eta)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use eoslab_core::objective::ObjectiveSpec;
    use eoslab_core::scans::basin::{run_basin, BasinSpec};
    use eoslab_core::scans::bifurcation::{run_bifurcation, BifurcationSpec};

    #[test]
    fn the_lyapunov_axis_shows_zero_and_every_exponent() {
        let scan = run_bifurcation(&BifurcationSpec { transient: 500, record: 64, ..BifurcationSpec::over_eta(0.5, 1.9, 30) }).unwrap();
        let mut out = String::new();
        let r = {
            let area = SVGBackend::with_string(&mut out, (600, 300)).into_drawing_area();
            lyapunov_chart(&area, &scan, 1.1, Style::new(crate::Medium::Svg, 1.0, (600, 400), false)).unwrap()
        };
        let all: Vec<f64> = scan.runs.iter().flatten().filter_map(|run| run.lyapunov).collect();
        assert!(all.iter().any(|&l| l < 0.0) && all.iter().any(|&l| l > 0.0), "period windows and chaos: {all:?}");
        assert!(r.y_min < all.iter().copied().fold(0.0, f64::min) && r.y_max > all.iter().copied().fold(0.0, f64::max), "{r:?}");
        assert_eq!((r.x_min, r.x_max), (0.5, 1.9));
        assert!(out.matches("<circle").count() >= all.len());
    }

    #[test]
    fn the_basin_frame_spans_the_cells_and_marks_the_minima() {
        let map = run_basin(&BasinSpec::new(ObjectiveSpec::new("unstable_convergence", &[]), 0.4, (-2.0, 2.0), (-1.0, 1.0), 9)).unwrap();
        let mut out = String::new();
        {
            let area = SVGBackend::with_string(&mut out, (500, 500)).into_drawing_area();
            let s = Style::new(crate::Medium::Svg, 1.0, (500, 500), false);
            let r = basin_map(&area, &map, &[true; 9], Some([0.0, 0.0]), s).unwrap();
            assert_eq!((r.x_min, r.x_max, r.y_min, r.y_max), (-2.25, 2.25, -1.125, 1.125));
            assert!(!map.minimizers.is_empty());
        }
        // The minima inside the view: two strokes each; the selected start: two rings.
        let inside = map.minimizers.iter().filter(|m| m[0].abs() <= 2.25 && m[1].abs() <= 1.125).count();
        assert!(out.matches("<circle").count() >= 2);
        assert!(out.matches("<polyline").count() >= 2 * inside, "{inside} minima");
    }
}
