//! The frames and overlays of the scan pages, drawn with plotters on any backend: the Lyapunov
//! exponent under a bifurcation diagram (paper 002 §4.2: negative on period windows, positive in
//! chaos) and the axes and marks of a basin map (paper 004 Fig. 2). The images themselves are
//! rasters ([`crate::density`], [`crate::basin_image`]).

use eoslab_core::scans::basin::Basin;
use eoslab_core::scans::bifurcation::Bifurcation;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::basin_image::cell_range;
use crate::density::START_COLOURS;
use crate::figures::{axes, builder, err, grid_range, parameter_label, raster_axes, rect, tick, PlotRect, Scale};

/// The Lyapunov exponent of each run of the columns computed so far, one dot per start in the
/// start's colour, against the scan's grid, with the line λ = 0 and a marker at `marker`.
pub fn lyapunov_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scan: &Bifurcation,
    marker: f64,
    s: Scale,
) -> Result<PlotRect, String> {
    area.fill(&WHITE).map_err(err)?;
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
    let y = (lo - pad, hi + pad);
    let mut chart = builder(area, "Lyapunov exponent of the GD map", s).build_cartesian_2d(x.0..x.1, y.0..y.1).map_err(err)?;
    axes(&mut chart, &parameter_label(scan), "λ", s)?;
    chart.draw_series(LineSeries::new([(x.0, 0.0), (x.1, 0.0)], BLACK.mix(0.5).stroke_width(s.px(1.0)))).map_err(err)?;
    chart
        .draw_series(dots.iter().map(|&(v, l, k)| {
            let [r, g, b] = START_COLOURS[k % START_COLOURS.len()];
            Circle::new((v, l), s.px(1.5), RGBColor(r, g, b).filled())
        }))
        .map_err(err)?;
    let r = rect(&chart, x, y);
    crate::figures::eta_marker(area, &r, marker, s)?;
    Ok(r)
}

/// The axes of a basin map: each axis spans the grid's cells ([`cell_range`]), so that every
/// start sits at the centre of its cell; returns where the image goes.
pub fn basin_frame<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, map: &Basin, s: Scale) -> Result<PlotRect, String> {
    area.fill(&WHITE).map_err(err)?;
    let range = |v: &[f64]| cell_range(v[0], v[v.len() - 1], v.len());
    let (x, y) = (range(&map.x), range(&map.y));
    let title = format!("basin map at η = {} (click a start to run it)", tick(&map.eta));
    let mut chart = builder(area, &title, s).build_cartesian_2d(x.0..x.1, y.0..y.1).map_err(err)?;
    raster_axes(&mut chart, "first coordinate of the start", "second coordinate of the start", s)?;
    Ok(rect(&chart, x, y))
}

/// Over the image: the known minimisers inside the view as black crosses, and the selected start
/// (if any) as a black ring.
pub fn basin_marks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    r: &PlotRect,
    map: &Basin,
    selected: Option<[f64; 2]>,
    s: Scale,
) -> Result<(), String> {
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
            lyapunov_chart(&area, &scan, 1.1, Scale(1.0)).unwrap()
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
            let r = basin_frame(&area, &map, Scale(1.0)).unwrap();
            assert_eq!((r.x_min, r.x_max, r.y_min, r.y_max), (-2.25, 2.25, -1.125, 1.125));
            assert!(!map.minimizers.is_empty());
            basin_marks(&area, &r, &map, Some([0.0, 0.0]), Scale(1.0)).unwrap();
        }
        // The minima inside the view: two strokes each; the selected start: two rings.
        let inside = map.minimizers.iter().filter(|m| m[0].abs() <= 2.25 && m[1].abs() <= 1.125).count();
        assert!(out.matches("<circle").count() >= 2);
        assert!(out.matches("<polyline").count() >= 2 * inside, "{inside} minima");
    }
}
