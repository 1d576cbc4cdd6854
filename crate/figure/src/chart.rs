//! The frame every panel shares, laid out by hand so that it holds at any size: the title (wrapped
//! when long), the axes with their ticks ([`crate::ticks`]) and descriptions, margins wide enough
//! for every label, the legend ([`crate::legend`]) where it covers no data, and a colour scale
//! for heat maps ([`crate::colour_bar`]).
//!
//! A panel describes its [`Frame`]; [`Frame::layout`] places it on an area of a given size;
//! [`draw_frame`] draws the frame, then the panel draws its data through a plotters chart built
//! on the plotting area ([`linear_chart`], [`log_chart`]), then [`crate::legend::draw_legend`].

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::colour_bar::ColourBar;
use crate::legend::{Entry, Placement};
use crate::surface::{text_height, text_width};
use crate::ticks::{self, Tick};
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

impl PlotRect {
    /// The fraction of the way from `lo` to `hi` of `v`, on a linear or log scale.
    fn fraction(v: f64, lo: f64, hi: f64, log: bool) -> f64 {
        if log {
            (v.ln() - lo.ln()) / (hi.ln() - lo.ln())
        } else {
            (v - lo) / (hi - lo)
        }
    }

    /// The pixel of the data point (x, y) (outside the rectangle when the point is outside the
    /// range; NaN for a non-positive value on a log axis).
    pub fn pixel(&self, x: f64, y: f64) -> (f64, f64) {
        let u = Self::fraction(x, self.x_min, self.x_max, self.x_log);
        let v = Self::fraction(y, self.y_min, self.y_max, self.y_log);
        (self.left as f64 + u * (self.right - self.left) as f64, self.bottom as f64 - v * (self.bottom - self.top) as f64)
    }
}

/// A drawing result: errors are text for a person.
pub(crate) type DrawResult<T> = Result<T, String>;

/// A drawing error as text.
pub(crate) fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("drawing failed: {e:?}")
}

/// A number in a title or legend: integers as integers, large or tiny magnitudes in exponent
/// form, else at most four significant digits.
pub fn compact(v: &f64) -> String {
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

/// One axis of a frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The data range; on a log axis, the positive range of the data, widened to whole decades
    /// by the layout.
    pub range: (f64, f64),
    /// Logarithmic.
    pub log: bool,
    /// What the axis shows.
    pub desc: String,
}

impl Axis {
    /// A linear axis over `range`.
    pub fn linear(range: (f64, f64), desc: impl Into<String>) -> Axis {
        Axis { range, log: false, desc: desc.into() }
    }

    /// A log axis over the positive data range `range`.
    pub fn log(range: (f64, f64), desc: impl Into<String>) -> Axis {
        Axis { range, log: true, desc: desc.into() }
    }
}

/// What a panel's frame holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// The title above the plot.
    pub title: String,
    /// The horizontal axis (always linear).
    pub x: Axis,
    /// The vertical axis.
    pub y: Axis,
    /// A light grid at the ticks (not over images).
    pub grid: bool,
    /// The legend's entries (none: no legend).
    pub legend: Vec<Entry>,
    /// Data points the legend should not cover; `None` when the data covers the whole plot (an
    /// image), so that the legend goes outside.
    pub avoid: Option<Vec<(f64, f64)>>,
    /// A colour scale beside the plot.
    pub colour_bar: Option<ColourBar>,
}

impl Frame {
    /// A frame with a title and two axes, a grid, no legend and no colour scale.
    pub fn new(title: impl Into<String>, x: Axis, y: Axis) -> Frame {
        Frame { title: title.into(), x, y, grid: true, legend: Vec::new(), avoid: Some(Vec::new()), colour_bar: None }
    }
}

/// A frame placed on an area.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The plotting area and its data ranges (a log axis' range widened to whole decades).
    pub rect: PlotRect,
    /// The title's lines.
    pub title: Vec<String>,
    /// The ticks of each axis.
    pub x_ticks: Vec<Tick>,
    /// The ticks of the vertical axis.
    pub y_ticks: Vec<Tick>,
    /// Where the legend goes (when there is one).
    pub legend: Option<Placement>,
    /// Where the colour scale goes: its bar's top-left corner and size.
    pub colour_bar: Option<((i32, i32), (i32, i32))>,
    /// The area's size.
    pub size: (u32, u32),
}

/// Sizes of the frame's parts, in ems.
mod em {
    /// Space around the frame.
    pub const PAD: f64 = 0.5;
    /// A line of text, with its leading.
    pub const LINE: f64 = 1.3;
    /// A tick mark's length.
    pub const TICK: f64 = 0.35;
    /// Between a tick mark and its label.
    pub const LABEL_GAP: f64 = 0.25;
    /// Between two labels on the horizontal axis.
    pub const X_LABEL_GAP: f64 = 1.0;
    /// Between two labels on the vertical axis.
    pub const Y_LABEL_GAP: f64 = 0.6;
}

/// Most ticks an axis has.
const MAX_TICKS: usize = 8;

/// `text` broken at spaces into lines at most `width` pixels wide (a word wider than that gets a
/// line of its own).
fn wrap(text: &str, width: f64, em: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"), em) <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

impl Frame {
    /// Places the frame on an area of `size` pixels: every label inside the area, the ticks as
    /// dense as their labels allow, the legend in an empty corner or else beside or below the plot.
    pub fn layout(&self, size: (u32, u32), s: Style) -> Layout {
        let base = self.place(size, s, (0.0, 0.0));
        let Some(legend) = crate::legend::measure(&self.legend, s) else {
            return base;
        };
        if let Some(corner) = crate::legend::empty_corner(&base.rect, legend, self.avoid.as_deref(), s) {
            return Layout { legend: Some(corner), ..base };
        }
        // No empty corner: beside the plot when it keeps most of the width, else below it.
        let gap = em::PAD * s.em_px();
        let beside = self.place(size, s, (legend.0 + gap, 0.0));
        if (beside.rect.right - beside.rect.left) as f64 >= 0.55 * size.0 as f64 {
            let bar = self.colour_bar.as_ref().map_or(0.0, |b| b.width(s.em_px()) + gap);
            let at = (beside.rect.right as f64 + bar + gap, beside.rect.top as f64);
            return Layout { legend: Some(Placement { at, size: legend, outside: true }), ..beside };
        }
        let below = self.place(size, s, (0.0, legend.1 + gap));
        if (below.rect.bottom - below.rect.top) as f64 >= 0.45 * size.1 as f64 {
            let at = (below.rect.left as f64, size.1 as f64 - legend.1 - gap);
            return Layout { legend: Some(Placement { at, size: legend, outside: true }), ..below };
        }
        // Too small for the legend beside or below: over the plot where it covers least, if it
        // fits there at all; a strip too small for it goes without.
        let r = &base.rect;
        let fits = legend.0 <= (r.right - r.left) as f64 && legend.1 <= (r.bottom - r.top) as f64;
        let corner = fits.then(|| crate::legend::least_covered_corner(r, legend, self.avoid.as_deref(), s));
        Layout { legend: corner, ..base }
    }

    /// The layout with `reserve` pixels kept free right of and below the plot.
    fn place(&self, (w, h): (u32, u32), s: Style, reserve: (f64, f64)) -> Layout {
        let em_px = s.em_px();
        let e = |v: f64| v * em_px;
        let line = text_height(em_px);
        let title = wrap(&self.title, w as f64 - e(2.0 * em::PAD), em_px);
        let top = e(em::PAD) + title.len() as f64 * e(em::LINE) + line / 2.0;
        let bottom = e(em::PAD) + e(em::TICK + em::LABEL_GAP) + line + e(0.3) + e(em::LINE) + reserve.1;
        let plot_h = (h as f64 - top - bottom).max(1.0);
        let (y_range, y_ticks) = axis_ticks(&self.y, plot_h, e(em::Y_LABEL_GAP), |_| line);
        let y_labels = y_ticks.iter().map(|t| text_width(&t.label, em_px)).fold(0.0, f64::max);
        let left = e(em::PAD) + e(em::LINE) + y_labels + e(em::TICK + em::LABEL_GAP);
        let bar = self.colour_bar.as_ref().map_or(0.0, |b| b.width(em_px) + e(em::PAD));
        let mut right = e(em::PAD) + bar + reserve.0;
        // The last x label is centred on its tick: widen the right margin until it fits.
        let (mut x_range, mut x_ticks) = (self.x.range, Vec::new());
        for _ in 0..3 {
            let plot_w = (w as f64 - left - right).max(1.0);
            (x_range, x_ticks) = axis_ticks(&self.x, plot_w, e(em::X_LABEL_GAP), |l| text_width(l, em_px));
            let overhang = x_ticks.last().map_or(0.0, |t| {
                let at = left + PlotRect::fraction(t.value, x_range.0, x_range.1, self.x.log) * plot_w;
                at + text_width(&t.label, em_px) / 2.0 - (w as f64 - e(em::PAD) - bar - reserve.0)
            });
            if overhang <= 0.0 {
                break;
            }
            right += overhang.ceil();
        }
        let rect = PlotRect {
            left: left.round() as i32,
            right: (w as f64 - right).round().max(left.round() + 1.0) as i32,
            top: top.round() as i32,
            bottom: (h as f64 - bottom).round().max(top.round() + 1.0) as i32,
            x_min: x_range.0,
            x_max: x_range.1,
            y_min: y_range.0,
            y_max: y_range.1,
            x_log: self.x.log,
            y_log: self.y.log,
        };
        let colour_bar = self.colour_bar.as_ref().map(|b| {
            let x = rect.right + e(em::PAD).round() as i32;
            ((x, rect.top), (b.bar_width(em_px).round() as i32, rect.bottom - rect.top))
        });
        Layout { rect, title, x_ticks, y_ticks, legend: None, colour_bar, size: (w, h) }
    }
}

/// An axis' range (a log axis widened to whole decades) and its ticks over `pixels`, each label
/// needing `extent(label)` pixels along the axis plus `gap`.
fn axis_ticks(axis: &Axis, pixels: f64, gap: f64, extent: impl Fn(&str) -> f64) -> ((f64, f64), Vec<Tick>) {
    if axis.log {
        let (lo, hi) = ticks::decade_range(axis.range.0, axis.range.1, 1);
        let decades = (hi / lo).log10();
        let room = extent("1e-10") + gap;
        let stride = ticks::log_stride(decades, pixels, room);
        let range = ticks::decade_range(axis.range.0, axis.range.1, stride);
        (range, ticks::log_ticks(range, stride))
    } else {
        (axis.range, ticks::linear_ticks(axis.range, pixels, MAX_TICKS, gap, extent))
    }
}

/// `text`, cut short with an ellipsis if it is wider than `width` pixels at an em of `em`.
pub(crate) fn fit(text: &str, width: f64, em: f64) -> String {
    if text_width(text, em) <= width {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() && text_width(&format!("{}…", chars.iter().collect::<String>()), em) > width {
        chars.pop();
    }
    format!("{}…", chars.iter().collect::<String>().trim_end())
}

/// Where a turned text of `length` pixels centred near `centre` goes along a side of `side`
/// pixels, and the text cut to fit it: centred on `centre` when it fits there, else moved
/// inwards, else cut to the side's length less `margin` at each end.
pub(crate) fn along(text: &str, centre: f64, side: f64, margin: f64, em: f64) -> (String, i32) {
    let text = fit(text, side - 2.0 * margin, em);
    let half = text_width(&text, em) / 2.0;
    let at = centre.clamp(margin + half, (side - margin - half).max(margin + half));
    (text, at.round() as i32)
}

/// Draws `text` at a pixel with the given anchor, optionally turned a quarter anticlockwise.
pub(crate) fn label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    at: (i32, i32),
    anchor: (HPos, VPos),
    turned: bool,
    s: Style,
) -> DrawResult<()> {
    let mut font = s.font().pos(Pos::new(anchor.0, anchor.1));
    if turned {
        font = font.transform(FontTransform::Rotate270);
    }
    area.draw(&Text::new(text.to_string(), at, font)).map_err(err)
}

/// Draws the frame: the background, the title, the grid, the axes with their ticks and labels and
/// the axis descriptions.
pub fn draw_frame<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, frame: &Frame, l: &Layout, s: Style) -> DrawResult<()> {
    area.fill(&s.bg()).map_err(err)?;
    let r = &l.rect;
    let em_px = s.em_px();
    let e = |v: f64| (v * em_px).round() as i32;
    let centre = (l.size.0 / 2) as i32;
    for (i, line) in l.title.iter().enumerate() {
        label(area, line, (centre, e(em::PAD) + (i as f64 * em::LINE * em_px).round() as i32), (HPos::Center, VPos::Top), false, s)?;
    }
    let grid = s.fg().mix(0.1).stroke_width(s.px(1.0));
    let axis = s.fg().mix(0.7).stroke_width(s.px(1.0));
    let x_px = |v: f64| r.pixel(v, r.y_min).0.round() as i32;
    let y_px = |v: f64| r.pixel(r.x_min, v).1.round() as i32;
    for t in &l.x_ticks {
        let x = x_px(t.value);
        if frame.grid {
            area.draw(&PathElement::new(vec![(x, r.top), (x, r.bottom)], grid)).map_err(err)?;
        }
        area.draw(&PathElement::new(vec![(x, r.bottom), (x, r.bottom + e(em::TICK))], axis)).map_err(err)?;
        label(area, &t.label, (x, r.bottom + e(em::TICK + em::LABEL_GAP)), (HPos::Center, VPos::Top), false, s)?;
    }
    for t in &l.y_ticks {
        let y = y_px(t.value);
        if frame.grid {
            area.draw(&PathElement::new(vec![(r.left, y), (r.right, y)], grid)).map_err(err)?;
        }
        area.draw(&PathElement::new(vec![(r.left - e(em::TICK), y), (r.left, y)], axis)).map_err(err)?;
        label(area, &t.label, (r.left - e(em::TICK + em::LABEL_GAP), y), (HPos::Right, VPos::Center), false, s)?;
    }
    area.draw(&PathElement::new(vec![(r.left, r.top), (r.left, r.bottom), (r.right, r.bottom)], axis)).map_err(err)?;
    let x_desc_at = r.bottom + e(em::TICK + em::LABEL_GAP) + text_height(em_px).round() as i32 + e(0.3);
    label(area, &frame.x.desc, ((r.left + r.right) / 2, x_desc_at), (HPos::Center, VPos::Top), false, s)?;
    let (y_desc, at) = along(&frame.y.desc, (r.top + r.bottom) as f64 / 2.0, l.size.1 as f64, em::PAD * em_px, em_px);
    label(area, &y_desc, (e(em::PAD), at), (HPos::Center, VPos::Top), true, s)?;
    if let (Some(bar), Some(at)) = (&frame.colour_bar, l.colour_bar) {
        crate::colour_bar::draw(area, bar, at, s)?;
    }
    Ok(())
}

/// A plotters chart with linear axes on the plotting area of `l`, for drawing the data.
pub fn linear_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    l: &Layout,
) -> DrawResult<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>> {
    let r = &l.rect;
    on_plot(area, l).build_cartesian_2d(r.x_min..r.x_max, r.y_min..r.y_max).map_err(err)
}

/// A plotters chart with a log vertical axis on the plotting area of `l`.
pub fn log_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    l: &Layout,
) -> DrawResult<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, plotters::coord::combinators::LogCoord<f64>>>> {
    let r = &l.rect;
    on_plot(area, l).build_cartesian_2d(r.x_min..r.x_max, (r.y_min..r.y_max).log_scale()).map_err(err)
}

/// A chart builder whose plotting area is the layout's rectangle.
fn on_plot<'a, 'b, DB: DrawingBackend>(area: &'a DrawingArea<DB, Shift>, l: &Layout) -> ChartBuilder<'a, 'b, DB> {
    let r = &l.rect;
    let mut b = ChartBuilder::on(area);
    b.margin_left(r.left as u32)
        .margin_top(r.top as u32)
        .margin_right((l.size.0 as i32 - r.right).max(0) as u32)
        .margin_bottom((l.size.1 as i32 - r.bottom).max(0) as u32);
    b
}

/// A thin line through the points with a dot on each, so that a period-2 oscillation reads as two
/// bands rather than a solid block.
pub(crate) fn series_with_dots<DB: DrawingBackend, Y: plotters::coord::ranged1d::Ranged<ValueType = f64>>(
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf64, Y>>,
    pts: Vec<(f64, f64)>,
    colour: RGBColor,
    s: Style,
) -> DrawResult<()> {
    let colour = s.colour(colour);
    chart.draw_series(LineSeries::new(pts.iter().copied(), colour.mix(0.3).stroke_width(s.px(1.0)))).map_err(err)?;
    chart.draw_series(pts.into_iter().map(|p| Circle::new(p, s.px(1.5), colour.filled()))).map_err(err)?;
    Ok(())
}

/// A vertical marker at `value` inside the plotting area `r` (drawn after an image); nothing for
/// NaN or a value outside the range.
pub fn marker<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, r: &PlotRect, value: f64, s: Style) -> DrawResult<()> {
    if !(value >= r.x_min && value <= r.x_max) {
        return Ok(());
    }
    let px = r.pixel(value, r.y_min).0.round() as i32;
    area.draw(&PathElement::new(vec![(px, r.top), (px, r.bottom)], s.fg().mix(0.7).stroke_width(s.px(2.0)))).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Medium;

    #[test]
    fn long_titles_wrap_at_spaces() {
        let em = 10.0;
        let lines = wrap("sharpness against 2/η: GD, flow, θ†, prediction", 150.0, em);
        assert!(lines.len() > 1 && lines.iter().all(|l| text_width(l, em) <= 150.0), "{lines:?}");
        assert_eq!(lines.join(" "), "sharpness against 2/η: GD, flow, θ†, prediction");
        assert_eq!(wrap("short", 150.0, em), ["short"]);
    }

    #[test]
    fn the_layout_keeps_every_label_inside_the_area() {
        // An axis ending on a round number puts its last label at the right edge: the margin
        // widens so that the label's half past its tick still fits ("200", "1000" were clipped).
        for (w, h) in [(600, 400), (390, 240), (390, 92), (1200, 300)] {
            let s = Style::new(Medium::Svg, 1.0, (w, h), false);
            let frame = Frame::new("loss", Axis::linear((0.0, 1000.0), "step t"), Axis::log((4.9e-32, 0.3), "loss"));
            let l = frame.layout((w, h), s);
            let last = l.x_ticks.last().unwrap();
            assert_eq!(last.value, 1000.0, "{w}×{h}");
            let x = l.rect.pixel(last.value, 1.0).0;
            assert!(x + text_width(&last.label, s.em_px()) / 2.0 <= w as f64, "{w}×{h}: {l:?}");
            assert!(l.rect.left > 0 && l.rect.right < w as i32 && l.rect.top > 0 && l.rect.bottom < h as i32, "{w}×{h}");
            // The log axis covers the data: 1e-32 (or lower) to 1e0.
            assert!(l.rect.y_min <= 4.9e-32 && l.rect.y_max >= 0.3, "{w}×{h}: {:?}", l.rect);
            assert!(l.y_ticks.first().unwrap().value <= 4.9e-32 && l.y_ticks.last().unwrap().value >= 0.3);
        }
    }

    #[test]
    fn pixels_map_linear_and_log_axes() {
        let r = PlotRect {
            left: 100,
            right: 300,
            top: 10,
            bottom: 110,
            x_min: 0.0,
            x_max: 2.0,
            y_min: 1e-4,
            y_max: 1.0,
            x_log: false,
            y_log: true,
        };
        assert_eq!(r.pixel(1.0, 1e-2), (200.0, 60.0));
        assert_eq!(r.pixel(0.0, 1.0), (100.0, 10.0));
    }
}
