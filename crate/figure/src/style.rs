//! How a panel is drawn at a given size: the device-pixel ratio, a font that scales with the
//! panel, and the light or dark palette.

use plotters::prelude::*;

use crate::surface::Medium;

/// The size of text and strokes and the colours of one drawing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// Device pixels per CSS pixel.
    pub dpr: f64,
    /// The em of the text in CSS pixels ([`Style::em_for`]).
    pub em: f64,
    /// What the panel is drawn on.
    pub medium: Medium,
    /// Colours for a dark page (`prefers-color-scheme: dark`).
    pub dark: bool,
}

/// The em of text on a panel of normal size, in CSS pixels.
pub const EM: f64 = 12.0;
/// The smallest em, in CSS pixels, used on the smallest panels.
pub const MIN_EM: f64 = 8.5;

impl Style {
    /// The style of a panel of `size` device pixels at `dpr` device pixels per CSS pixel.
    pub fn new(medium: Medium, dpr: f64, size: (u32, u32), dark: bool) -> Style {
        let css = (size.0 as f64 / dpr, size.1 as f64 / dpr);
        Style { dpr, em: Style::em_for(css), medium, dark }
    }

    /// The em for a panel of `css` CSS pixels: [`EM`] on panels at least 456 px wide and 132 px
    /// tall, scaled down with the smaller side below that, to at least [`MIN_EM`] — a 390 px phone
    /// panel gets 10.3 px, a 92 px high strip 8.5 px.
    pub fn em_for((w, h): (f64, f64)) -> f64 {
        (w / 38.0).min(h / 11.0).clamp(MIN_EM, EM)
    }

    /// `css` CSS pixels in device pixels, at least 1.
    pub fn px(self, css: f64) -> u32 {
        (css * self.dpr).round().max(1.0) as u32
    }

    /// The em in device pixels.
    pub fn em_px(self) -> f64 {
        self.em * self.dpr
    }

    /// The text font, in the foreground colour.
    pub fn font(self) -> TextStyle<'static> {
        ("sans-serif", self.em_px() * self.medium.font_factor()).into_font().color(&self.fg())
    }

    /// Text and axes.
    pub fn fg(self) -> RGBColor {
        if self.dark {
            RGBColor(228, 228, 231)
        } else {
            BLACK
        }
    }

    /// The panel's background.
    pub fn bg(self) -> RGBColor {
        if self.dark {
            RGBColor(24, 24, 27)
        } else {
            WHITE
        }
    }

    /// A series colour as drawn: on a dark background lightened by a third towards white, so that
    /// dark blues and purples stay visible.
    pub fn colour(self, c: RGBColor) -> RGBColor {
        if !self.dark {
            return c;
        }
        let up = |v: u8| (v as f64 + (255.0 - v as f64) / 3.0).round() as u8;
        RGBColor(up(c.0), up(c.1), up(c.2))
    }

    /// An RGB triple of a raster as drawn (see [`Style::colour`]).
    pub fn rgb(self, [r, g, b]: [u8; 3]) -> [u8; 3] {
        let c = self.colour(RGBColor(r, g, b));
        [c.0, c.1, c.2]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_scales_with_the_smaller_side_of_small_panels() {
        assert_eq!(Style::em_for((800.0, 400.0)), EM);
        assert!((Style::em_for((390.0, 300.0)) - 390.0 / 38.0).abs() < 1e-12);
        assert_eq!(Style::em_for((390.0, 92.0)), MIN_EM);
        // At DPR 2 the same CSS size gets the same em, in twice the device pixels.
        let s = Style::new(Medium::Canvas, 2.0, (780, 600), false);
        assert!((s.em - 390.0 / 38.0).abs() < 1e-12 && (s.em_px() - 2.0 * s.em).abs() < 1e-12);
    }

    #[test]
    fn dark_mode_inverts_the_ground_and_lightens_the_series() {
        let (light, dark) = (Style::new(Medium::Svg, 1.0, (600, 400), false), Style::new(Medium::Svg, 1.0, (600, 400), true));
        assert_eq!((light.bg(), light.fg()), (WHITE, BLACK));
        assert!(dark.bg().0 < 40 && dark.fg().0 > 200);
        assert_eq!(dark.colour(RGBColor(31, 119, 180)), RGBColor(106, 164, 205));
        assert_eq!(light.colour(RGBColor(31, 119, 180)), RGBColor(31, 119, 180));
    }
}
