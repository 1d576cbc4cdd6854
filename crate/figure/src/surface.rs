//! The drawing surface every panel is drawn on: a plotters backend (canvas, SVG, bitmap) wrapped so
//! that the layout is the same on every backend and every target.
//!
//! Plotters measures text through its font layer: in wasm through the DOM (which node does not
//! have, and whose fonts differ from one browser to the next), natively through a font file. A
//! figure laid out from those measurements would differ between the page, node and the native
//! command. [`Surface`] answers every measurement from one table instead, the advance widths of
//! DejaVu Sans ([`text_width`]), so that the same panel gives the same SVG in node, in a browser and
//! natively (a test compares them byte for byte), and its labels fit with any common sans-serif
//! font (DejaVu Sans is among the widest).
//!
//! It also places raster images (the bifurcation density, the basin map) on any backend: through
//! the backend's own bitmap blit (the bitmap backend), as merged rectangles (SVG), or through a hook
//! the caller gives (the canvas's `putImageData`).

use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind};

/// Where a panel is drawn: it sets how plotters' font size maps to the rendered em.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    /// An HTML canvas: the font size is the em in pixels.
    Canvas,
    /// SVG: plotters writes `font-size` as its size / 1.24.
    Svg,
    /// A bitmap drawn with ab_glyph, whose size is the font's height (ascent + descent: 1.164 em
    /// for DejaVu Sans).
    Bitmap,
}

impl Medium {
    /// Plotters' font size for a rendered em of one pixel.
    pub fn font_factor(self) -> f64 {
        match self {
            Medium::Canvas => 1.0,
            Medium::Svg => 1.24,
            Medium::Bitmap => DEJAVU_HEIGHT,
        }
    }
}

/// DejaVu Sans' ascent + descent in em (1901 + 483 units of 2048).
const DEJAVU_HEIGHT: f64 = 2384.0 / 2048.0;

/// Advance widths of DejaVu Sans (in thousandths of an em) for the printable ASCII characters
/// ' ' (32) to '~' (126), read from the font's `hmtx` table.
const ASCII_WIDTHS: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337,
    337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732,
    684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635,
    635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];

/// The advance width of a character in thousandths of an em (DejaVu Sans; the characters the
/// figures use beyond ASCII are listed, anything else counts as a wide letter).
fn advance(c: char) -> u16 {
    match c {
        ' '..='~' => ASCII_WIDTHS[c as usize - 32],
        '₀'..='₉' | '⁰'..='⁹' | '¹' | '²' | '³' => 401,
        '₊' | '₋' | '⁻' | '⁺' => 528,
        '−' | '±' | '×' | '↦' | '∗' | '≥' | '≤' => 838,
        '′' => 227,
        '·' => 318,
        '‖' | '†' | '–' => 500,
        '—' | '…' => 1000,
        _ => 660,
    }
}

/// The width of `text` at an em of `em` pixels.
pub fn text_width(text: &str, em: f64) -> f64 {
    text.chars().map(|c| advance(c) as f64).sum::<f64>() / 1000.0 * em
}

/// The height of a line of text at an em of `em` pixels.
pub fn text_height(em: f64) -> f64 {
    DEJAVU_HEIGHT * em
}

/// Places an RGB image (3 bytes per pixel, row-major) with its top-left corner at a pixel.
pub type RasterHook<'a> = Box<dyn FnMut(BackendCoord, (u32, u32), &[u8]) -> Result<(), String> + 'a>;

/// A plotters backend whose text is measured by [`text_width`] and whose images are placed as
/// [`Medium`] requires; every other call goes to the backend it wraps.
pub struct Surface<'a, DB: DrawingBackend> {
    inner: DB,
    medium: Medium,
    raster: Option<RasterHook<'a>>,
}

impl<'a, DB: DrawingBackend> Surface<'a, DB> {
    /// Wraps `inner`, drawn as `medium`.
    pub fn new(inner: DB, medium: Medium) -> Self {
        Surface { inner, medium, raster: None }
    }

    /// Wraps `inner`, placing images through `raster` (a canvas's `putImageData`).
    pub fn with_raster(inner: DB, medium: Medium, raster: RasterHook<'a>) -> Self {
        Surface { inner, medium, raster: Some(raster) }
    }
}

/// A raster error in the backend's error type.
fn raster_error<E: std::error::Error + Send + Sync>(message: String) -> DrawingErrorKind<E> {
    DrawingErrorKind::FontError(Box::new(std::io::Error::other(message)))
}

impl<DB: DrawingBackend> DrawingBackend for Surface<'_, DB> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(a, b, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_text(text, style, pos)
    }
    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let em = style.size() / self.medium.font_factor();
        Ok((text_width(text, em).ceil() as u32, text_height(em).ceil() as u32))
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, (w, h): (u32, u32), src: &[u8]) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if src.len() != 3 * w as usize * h as usize {
            return Err(raster_error(format!("an image of {w} × {h} pixels needs {} bytes, not {}", 3 * w * h, src.len())));
        }
        if let Some(hook) = self.raster.as_mut() {
            return hook(pos, (w, h), src).map_err(raster_error);
        }
        match self.medium {
            Medium::Svg => rectangles(&mut self.inner, pos, (w, h), src),
            Medium::Canvas | Medium::Bitmap => self.inner.blit_bitmap(pos, (w, h), src),
        }
    }
}

/// An RGB image as filled rectangles, each a run of equal pixels in a row merged with the same
/// run in the rows below it, so that a basin map's cells are one rectangle each and a bifurcation
/// diagram's empty background is none (white pixels are left out: the panel is white there).
fn rectangles<DB: DrawingBackend>(
    backend: &mut DB,
    (x0, y0): BackendCoord,
    (w, h): (u32, u32),
    src: &[u8],
) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
    let (w, h) = (w as usize, h as usize);
    let pixel = |x: usize, y: usize| [src[3 * (y * w + x)], src[3 * (y * w + x) + 1], src[3 * (y * w + x) + 2]];
    let runs = |y: usize| {
        let mut out = Vec::new();
        let mut x = 0;
        while x < w {
            let colour = pixel(x, y);
            let start = x;
            while x < w && pixel(x, y) == colour {
                x += 1;
            }
            if colour != [255, 255, 255] {
                out.push((start, x, colour));
            }
        }
        out
    };
    // Open rectangles: (first column, end column, colour, first row).
    let mut open: Vec<(usize, usize, [u8; 3], usize)> = Vec::new();
    let draw = |backend: &mut DB, (a, b, [r, g, bl], top): (usize, usize, [u8; 3], usize), bottom: usize| {
        let colour = BackendColor { alpha: 1.0, rgb: (r, g, bl) };
        backend.draw_rect((x0 + a as i32, y0 + top as i32), (x0 + b as i32, y0 + bottom as i32), &colour, true)
    };
    for y in 0..=h {
        let row = if y < h { runs(y) } else { Vec::new() };
        let mut still = Vec::with_capacity(open.len());
        for rect in open.drain(..) {
            if row.iter().any(|&(a, b, c)| (a, b, c) == (rect.0, rect.1, rect.2)) {
                still.push(rect);
            } else {
                draw(backend, rect, y)?;
            }
        }
        for (a, b, c) in row {
            if !still.iter().any(|r| (r.0, r.1, r.2) == (a, b, c)) {
                still.push((a, b, c, y));
            }
        }
        open = still;
    }
    Ok(())
}

/// An RGB image (3 bytes per pixel, row-major) at a pixel of a drawing area, placed through the
/// backend's `blit_bitmap` (which [`Surface`] routes as its medium requires).
pub struct Image {
    /// Top-left corner, in the drawing area's pixels.
    pub at: BackendCoord,
    /// Width and height in pixels.
    pub size: (u32, u32),
    /// The pixels.
    pub rgb: Vec<u8>,
}

impl<'a> plotters::element::PointCollection<'a, BackendCoord> for &'a Image {
    type Point = &'a BackendCoord;
    type IntoIter = std::iter::Once<&'a BackendCoord>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.at)
    }
}

impl<DB: DrawingBackend> plotters::element::Drawable<DB> for Image {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut pos: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        match pos.next() {
            Some(at) => backend.blit_bitmap(at, self.size, &self.rgb),
            None => Ok(()),
        }
    }
}

/// An RGBA image over a background colour, as RGB: transparent pixels (rows of a map not
/// computed yet) take the background.
pub fn over(rgba: &[u8], background: [u8; 3]) -> Vec<u8> {
    rgba.chunks(4)
        .flat_map(|p| {
            let a = p[3] as f64 / 255.0;
            let mix = |k: usize| (p[k] as f64 * a + background[k] as f64 * (1.0 - a)).round() as u8;
            [mix(0), mix(1), mix(2)]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    #[test]
    fn text_is_measured_from_dejavu_sans_widths() {
        // "10": two digits of 0.636 em; at an em of 10 px, 12.72 px.
        assert!((text_width("10", 10.0) - 12.72).abs() < 1e-12);
        assert!((text_width("1e-32", 12.0) - 12.0 * (0.636 * 3.0 + 0.615 + 0.361)).abs() < 1e-12);
        let mut out = String::new();
        let backend = Surface::new(SVGBackend::with_string(&mut out, (100, 100)), Medium::Svg);
        // Plotters' SVG font size 12.4 renders at 10 px.
        let style = TextStyle::from(("sans-serif", 12.4).into_font());
        assert_eq!(backend.estimate_text_size("10", &style).unwrap(), (13, 12));
    }

    #[test]
    fn an_image_becomes_one_rectangle_per_block_of_equal_pixels() {
        // 4 × 3: a red 2 × 2 block top-left, a blue row at the bottom, white elsewhere.
        let (red, blue, white) = ([200, 0, 0], [0, 0, 200], [255, 255, 255]);
        let rows = [[red, red, white, white], [red, red, white, white], [blue, blue, blue, blue]];
        let src: Vec<u8> = rows.iter().flatten().flatten().copied().collect();
        let mut out = String::new();
        {
            let mut backend = Surface::new(SVGBackend::with_string(&mut out, (10, 10)), Medium::Svg);
            backend.blit_bitmap((1, 2), (4, 3), &src).unwrap();
            backend.present().unwrap();
        }
        let rects: Vec<&str> = out.lines().filter(|l| l.starts_with("<rect")).collect();
        assert_eq!(rects.len(), 2, "{out}");
        assert!(rects[0].contains(r#"x="1" y="2" width="2" height="2""#) && rects[0].contains("#C80000"), "{}", rects[0]);
        assert!(rects[1].contains(r#"x="1" y="4" width="4" height="1""#) && rects[1].contains("#0000C8"), "{}", rects[1]);
        let mut backend = Surface::new(SVGBackend::with_string(&mut out, (10, 10)), Medium::Svg);
        assert!(backend.blit_bitmap((0, 0), (2, 2), &[0; 11]).is_err(), "a short image is refused");
    }
}
