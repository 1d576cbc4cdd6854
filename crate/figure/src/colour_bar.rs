//! A colour scale beside a heat map: a vertical bar of the map's colours from its lowest value
//! (bottom) to its highest (top), with labels and a title.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::chart::{along, err, label, DrawResult};
use crate::surface::text_width;
use crate::Style;

/// A colour scale: colours at fractions of the way up (exactly as the map draws them), and
/// labelled fractions.
#[derive(Debug, Clone, PartialEq)]
pub struct ColourBar {
    /// What the colours measure.
    pub title: String,
    /// (fraction from the bottom, colour), in increasing fraction from 0 to 1; linear between.
    pub stops: Vec<(f64, [u8; 3])>,
    /// (fraction from the bottom, label).
    pub labels: Vec<(f64, String)>,
}

/// Sizes in ems.
const BAR: f64 = 0.9;
const GAP: f64 = 0.35;

impl ColourBar {
    /// The colour at the fraction `u` of the way up.
    pub fn colour(&self, u: f64) -> [u8; 3] {
        let u = u.clamp(0.0, 1.0);
        let i = self.stops.iter().position(|s| s.0 >= u).unwrap_or(self.stops.len() - 1).max(1).min(self.stops.len() - 1);
        let ((a, ca), (b, cb)) = (self.stops[i - 1], self.stops[i]);
        let t = if b > a { ((u - a) / (b - a)).clamp(0.0, 1.0) } else { 1.0 };
        [0, 1, 2].map(|k| (ca[k] as f64 + t * (cb[k] as f64 - ca[k] as f64)).round() as u8)
    }

    /// The bar's width in pixels at an em of `em` pixels.
    pub fn bar_width(&self, em: f64) -> f64 {
        BAR * em
    }

    /// The width the scale takes beside the plot: bar, labels and the turned title.
    pub fn width(&self, em: f64) -> f64 {
        let labels = self.labels.iter().map(|l| text_width(&l.1, em)).fold(0.0, f64::max);
        (BAR + 2.0 * GAP + 1.3) * em + labels
    }
}

/// Draws the scale with its bar at `at` of `size` pixels.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bar: &ColourBar,
    (at, size): ((i32, i32), (i32, i32)),
    s: Style,
) -> DrawResult<()> {
    let em = s.em_px();
    let (x0, y0, w, h) = (at.0, at.1, size.0.max(1), size.1.max(1));
    for row in 0..h {
        let u = 1.0 - (row as f64 + 0.5) / h as f64;
        let [r, g, b] = bar.colour(u);
        area.draw(&Rectangle::new([(x0, y0 + row), (x0 + w, y0 + row + 1)], RGBColor(r, g, b).filled())).map_err(err)?;
    }
    area.draw(&Rectangle::new([(x0, y0), (x0 + w, y0 + h)], s.fg().mix(0.5).stroke_width(s.px(1.0)))).map_err(err)?;
    let mut widest = 0.0f64;
    for (u, text) in &bar.labels {
        let y = y0 + ((1.0 - u) * h as f64).round() as i32;
        label(area, text, (x0 + w + (GAP * em).round() as i32, y), (HPos::Left, VPos::Center), false, s)?;
        widest = widest.max(text_width(text, em));
    }
    let title_x = x0 + w + ((2.0 * GAP) * em + widest).round() as i32;
    let (title, at) = along(&bar.title, (y0 + h / 2) as f64, area.dim_in_pixel().1 as f64, 0.5 * em, em);
    label(area, &title, (title_x, at), (HPos::Center, VPos::Top), true, s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_interpolated_between_stops() {
        let bar = ColourBar { title: "t".into(), stops: vec![(0.0, [255, 255, 255]), (1.0, [0, 100, 200])], labels: vec![] };
        assert_eq!(bar.colour(0.0), [255, 255, 255]);
        assert_eq!(bar.colour(0.5), [128, 178, 228]);
        assert_eq!(bar.colour(1.0), [0, 100, 200]);
        assert_eq!(bar.colour(7.0), [0, 100, 200]);
    }
}
