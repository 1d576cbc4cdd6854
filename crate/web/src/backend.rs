//! One plotters backend type for everything the module draws on (wasm32 only): a canvas or an SVG
//! document. Every panel of eoslab-figure is generic over its backend; drawing both canvases and
//! SVG through two backend types would compile every panel twice into the module. Through this
//! enum each panel is compiled once.

use eoslab_figure::svg::check_size;
use eoslab_figure::{FigureError, Medium, PlotRect, Style, Surface};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};
use plotters_canvas::CanvasBackend;

/// A canvas or an SVG document being written.
pub enum WebBackend<'a> {
    /// An HTML canvas.
    Canvas(CanvasBackend),
    /// An SVG document written into a string.
    Svg(SVGBackend<'a>),
}

/// A drawing error of either backend, as text.
#[derive(Debug)]
pub struct WebError(String);

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WebError {}

/// A backend's error as a [`WebError`].
fn web<E: std::error::Error + Send + Sync>(e: DrawingErrorKind<E>) -> DrawingErrorKind<WebError> {
    match e {
        DrawingErrorKind::DrawingError(e) => DrawingErrorKind::DrawingError(WebError(e.to_string())),
        DrawingErrorKind::FontError(e) => DrawingErrorKind::FontError(e),
    }
}

/// Calls the same method on whichever backend it is.
macro_rules! both {
    ($self:ident, $b:ident => $call:expr) => {
        match $self {
            WebBackend::Canvas($b) => $call.map_err(web),
            WebBackend::Svg($b) => $call.map_err(web),
        }
    };
}

impl DrawingBackend for WebBackend<'_> {
    type ErrorType = WebError;

    fn get_size(&self) -> (u32, u32) {
        match self {
            WebBackend::Canvas(b) => b.get_size(),
            WebBackend::Svg(b) => b.get_size(),
        }
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<WebError>> {
        both!(self, b => b.ensure_prepared())
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<WebError>> {
        both!(self, b => b.present())
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<WebError>> {
        both!(self, b => b.draw_pixel(point, color))
    }
    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Result<(), DrawingErrorKind<WebError>> {
        both!(self, b => b.draw_line(from, to, style))
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        c: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<WebError>> {
        both!(self, b => b.draw_rect(a, c, style, fill))
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<WebError>> {
        both!(self, b => b.draw_path(path, style))
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<WebError>> {
        both!(self, b => b.draw_circle(center, radius, style, fill))
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<WebError>> {
        both!(self, b => b.fill_polygon(vert, style))
    }
    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Result<(), DrawingErrorKind<WebError>> {
        both!(self, b => b.draw_text(text, style, pos))
    }
}

/// The drawing area of a canvas or an SVG document.
pub type WebArea<'a> = DrawingArea<Surface<'static, WebBackend<'a>>, Shift>;

/// What `draw` draws on an SVG document of `width × height` CSS pixels: the same document as
/// [`eoslab_figure::svg::svg_of`] gives natively.
pub fn svg_document(
    width: u32,
    height: u32,
    dark: bool,
    draw: impl for<'b> FnOnce(&WebArea<'b>, Style) -> Result<PlotRect, FigureError>,
) -> Result<String, FigureError> {
    check_size(width, height)?;
    let mut out = String::new();
    {
        let area = Surface::new(WebBackend::Svg(SVGBackend::with_string(&mut out, (width, height))), Medium::Svg).into_drawing_area();
        draw(&area, Style::new(Medium::Svg, 1.0, (width, height), dark))?;
        area.present().map_err(|e| FigureError::new("", format!("drawing failed: {e}")))?;
    }
    Ok(out)
}
