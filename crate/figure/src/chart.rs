//! What every panel shares: the plotting area's rectangle, the chart builder, axes with their
//! tick labels, and dotted series.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::Style;

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
    /// Whether the horizontal axis is logarithmic (data = x_min·(x_max/x_min)^u at the fraction u
    /// of the width).
    pub x_log: bool,
    /// Whether the vertical axis is logarithmic.
    pub y_log: bool,
}

pub(crate) type DrawResult<T> = Result<T, String>;

/// A drawing error as text.
pub(crate) fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("drawing failed: {e:?}")
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

pub(crate) fn rect<DB: DrawingBackend, X, Y>(
    chart: &ChartContext<DB, Cartesian2d<X, Y>>,
    x: (f64, f64),
    y: (f64, f64),
) -> PlotRect
where
    X: plotters::coord::ranged1d::Ranged,
    Y: plotters::coord::ranged1d::Ranged,
{
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    PlotRect {
        left: xs.start,
        right: xs.end,
        top: ys.start,
        bottom: ys.end,
        x_min: x.0,
        x_max: x.1,
        y_min: y.0,
        y_max: y.1,
        x_log: false,
        y_log: false,
    }
}

/// The label of a tick at `v` on an axis spanning `range`: [`tick`], except that on an axis
/// through 0 a tick within 10⁻⁹ of the span from 0 is labelled 0 (plotters places it at rounding
/// noise such as −2.8e−17). A logarithmic axis never spans 0, so its small ticks keep their values.
fn snapped_tick(v: &f64, range: &std::ops::Range<f64>) -> String {
    let through_zero = range.start.min(range.end) <= 0.0 && range.start.max(range.end) >= 0.0;
    tick(
        if through_zero && v.abs() < 1e-9 * (range.end - range.start).abs() {
            &0.0
        } else {
            v
        },
    )
}

/// Axes with descriptions, compact tick labels ([`snapped_tick`]) and a light grid.
pub(crate) fn axes<
    DB: DrawingBackend,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>
        + plotters::coord::ranged1d::ValueFormatter<f64>,
>(
    chart: &mut ChartContext<DB, Cartesian2d<plotters::coord::types::RangedCoordf64, Y>>,
    x_desc: &str,
    y_desc: &str,
    s: Style,
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

pub(crate) fn builder<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
    s: Style,
) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(area);
    b.margin(s.px(8.0))
        .caption(title, s.font())
        .x_label_area_size(s.px(36.0))
        .y_label_area_size(s.px(56.0));
    b
}

/// A thin line through the points with a dot on each, so that a period-2 oscillation reads as two
/// bands rather than a solid block.
pub(crate) fn series_with_dots<
    DB: DrawingBackend,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
>(
    chart: &mut ChartContext<DB, Cartesian2d<plotters::coord::types::RangedCoordf64, Y>>,
    pts: Vec<(f64, f64)>,
    colour: RGBColor,
    s: Style,
) -> DrawResult<()> {
    chart
        .draw_series(LineSeries::new(
            pts.iter().copied(),
            colour.mix(0.3).stroke_width(s.px(1.0)),
        ))
        .map_err(err)?;
    chart
        .draw_series(
            pts.into_iter()
                .map(|p| Circle::new(p, s.px(1.5), colour.filled())),
        )
        .map_err(err)?;
    Ok(())
}

/// A vertical marker at `eta` inside the plotting area `r` (drawn after the raster).
pub fn eta_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    r: &PlotRect,
    eta: f64,
    s: Style,
) -> DrawResult<()> {
    if !(eta >= r.x_min && eta <= r.x_max) {
        return Ok(());
    }
    let px =
        r.left + ((eta - r.x_min) / (r.x_max - r.x_min) * (r.right - r.left) as f64).round() as i32;
    area.draw(&PathElement::new(
        vec![(px, r.top), (px, r.bottom)],
        BLACK.mix(0.7).stroke_width(s.px(2.0)),
    ))
    .map_err(err)
}
