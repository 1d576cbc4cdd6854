//! Legends drawn by hand (plotters' own measures its text through the font layer, see
//! [`crate::surface`]): a box of keyed entries placed in a corner of the plot that no data point
//! falls in, or beside or below the plot when every corner has data ([`crate::chart::Frame::layout`]).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::chart::{err, label, DrawResult, PlotRect};
use crate::surface::text_width;
use crate::Style;

/// How an entry's key is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Key {
    /// A solid line.
    Line,
    /// A dashed line.
    Dashed,
    /// A filled dot.
    Dot,
    /// A ring.
    Ring,
    /// A cross.
    Cross,
    /// A filled square (a colour of an image).
    Swatch,
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Its text.
    pub label: String,
    /// Its colour (before [`Style::colour`]).
    pub colour: RGBColor,
    /// Its key.
    pub key: Key,
    /// Drawn faded (a pinned earlier run).
    pub faded: bool,
}

impl Entry {
    /// An entry at full strength.
    pub fn new(label: impl Into<String>, colour: RGBColor, key: Key) -> Entry {
        Entry { label: label.into(), colour, key, faded: false }
    }
}

/// Where a legend box goes, in pixels, and whether it is outside the plot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    /// Top-left corner.
    pub at: (f64, f64),
    /// Width and height.
    pub size: (f64, f64),
    /// Beside or below the plot rather than over it.
    pub outside: bool,
}

/// Sizes in ems.
const ROW: f64 = 1.3;
const KEY: f64 = 1.8;
const INSET: f64 = 0.4;

/// The size of the legend box of `entries` (none when there are none).
pub fn measure(entries: &[Entry], s: Style) -> Option<(f64, f64)> {
    if entries.is_empty() {
        return None;
    }
    let em = s.em_px();
    let text = entries.iter().map(|e| text_width(&e.label, em)).fold(0.0, f64::max);
    Some(((2.0 * INSET + KEY + 0.4) * em + text, (2.0 * INSET * em) + entries.len() as f64 * ROW * em))
}

/// The four corners of the plot a box of `size` can sit in, in order of preference: upper right,
/// upper left, lower right, lower left.
fn corners(r: &PlotRect, size: (f64, f64), s: Style) -> [Placement; 4] {
    let inset = INSET * s.em_px();
    let (l, rt, t, b) = (r.left as f64 + inset, r.right as f64 - inset - size.0, r.top as f64 + inset, r.bottom as f64 - inset - size.1);
    [(rt, t), (l, t), (rt, b), (l, b)].map(|at| Placement { at, size, outside: false })
}

/// How many of the data points fall under the box (all of them count when the data covers the
/// whole plot, `avoid` being `None`).
fn covered(p: &Placement, r: &PlotRect, avoid: Option<&[(f64, f64)]>) -> usize {
    let Some(points) = avoid else {
        return usize::MAX;
    };
    points
        .iter()
        .map(|&(x, y)| r.pixel(x, y))
        .filter(|&(x, y)| x >= p.at.0 && x <= p.at.0 + p.size.0 && y >= p.at.1 && y <= p.at.1 + p.size.1)
        .count()
}

/// The first corner (in the order of [`corners`]) where the box covers no data point, if any,
/// and the box fits in the plot.
pub fn empty_corner(r: &PlotRect, size: (f64, f64), avoid: Option<&[(f64, f64)]>, s: Style) -> Option<Placement> {
    let fits = size.0 <= (r.right - r.left) as f64 && size.1 <= (r.bottom - r.top) as f64;
    corners(r, size, s).into_iter().find(|p| fits && covered(p, r, avoid) == 0)
}

/// The corner where the box covers the fewest data points.
pub fn least_covered_corner(r: &PlotRect, size: (f64, f64), avoid: Option<&[(f64, f64)]>, s: Style) -> Placement {
    let all = corners(r, size, s);
    *all.iter().min_by_key(|p| covered(p, r, avoid)).unwrap_or(&all[0])
}

/// Draws the legend box of `entries` at `p`.
pub fn draw_legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, entries: &[Entry], p: &Placement, s: Style) -> DrawResult<()> {
    let em = s.em_px();
    let (x0, y0) = (p.at.0.round() as i32, p.at.1.round() as i32);
    let (x1, y1) = ((p.at.0 + p.size.0).round() as i32, (p.at.1 + p.size.1).round() as i32);
    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], s.bg().mix(if p.outside { 1.0 } else { 0.85 }).filled())).map_err(err)?;
    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], s.fg().mix(0.3).stroke_width(s.px(1.0)))).map_err(err)?;
    for (i, e) in entries.iter().enumerate() {
        let y = (p.at.1 + (INSET + (i as f64 + 0.5) * ROW) * em).round() as i32;
        let (a, b) = ((p.at.0 + INSET * em).round() as i32, (p.at.0 + (INSET + KEY) * em).round() as i32);
        let colour = s.colour(e.colour).mix(if e.faded { 0.45 } else { 1.0 });
        let width = s.px(2.0);
        let mid = (a + b) / 2;
        let r = (0.3 * em).round() as i32;
        match e.key {
            Key::Line => area.draw(&PathElement::new(vec![(a, y), (b, y)], colour.stroke_width(width))),
            Key::Dashed => {
                let dash = (b - a) / 5;
                for k in [0, 2, 4] {
                    area.draw(&PathElement::new(vec![(a + k * dash, y), (a + (k + 1) * dash, y)], colour.stroke_width(width)))
                        .map_err(err)?;
                }
                Ok(())
            }
            Key::Dot => area.draw(&Circle::new((mid, y), r, colour.filled())),
            Key::Ring => area.draw(&Circle::new((mid, y), r, colour.stroke_width(s.px(1.0)))),
            Key::Cross => {
                area.draw(&PathElement::new(vec![(mid - r, y - r), (mid + r, y + r)], colour.stroke_width(width))).map_err(err)?;
                area.draw(&PathElement::new(vec![(mid - r, y + r), (mid + r, y - r)], colour.stroke_width(width)))
            }
            Key::Swatch => area.draw(&Rectangle::new([(a, y - r), (b, y + r)], colour.filled())),
        }
        .map_err(err)?;
        label(area, &e.label, (b + (0.4 * em).round() as i32, y), (HPos::Left, VPos::Center), false, s)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Medium;

    fn rect() -> PlotRect {
        PlotRect { left: 50, right: 450, top: 20, bottom: 320, x_min: 0.0, x_max: 1.0, y_min: 0.0, y_max: 1.0, x_log: false, y_log: false }
    }

    #[test]
    fn the_legend_takes_the_first_corner_free_of_data() {
        let s = Style::new(Medium::Svg, 1.0, (500, 360), false);
        let size = measure(&[Entry::new("gradient flow", BLACK, Key::Line)], s).unwrap();
        // A curve through the upper right: the upper left is free.
        let curve: Vec<(f64, f64)> = (0..=100).map(|i| (i as f64 / 100.0, (i as f64 / 100.0).powi(2))).collect();
        let p = empty_corner(&rect(), size, Some(&curve), s).unwrap();
        assert_eq!(p.at.0, 50.0 + 0.4 * s.em_px(), "{p:?}");
        assert_eq!(covered(&p, &rect(), Some(&curve)), 0);
        // Data everywhere (an image): no corner is free.
        assert!(empty_corner(&rect(), size, None, s).is_none());
        // Points in every corner: the least covered one is chosen.
        let crowded = [(0.95, 0.95), (0.94, 0.94), (0.05, 0.95), (0.95, 0.05), (0.05, 0.05), (0.06, 0.06)];
        assert!(empty_corner(&rect(), size, Some(&crowded), s).is_none());
        let p = least_covered_corner(&rect(), size, Some(&crowded), s);
        assert_eq!(covered(&p, &rect(), Some(&crowded)), 1);
    }
}
