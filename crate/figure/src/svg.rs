//! A panel as SVG text: the page's "save as SVG", the native command's `.svg` files and the tests
//! all draw through here, so their files are the same for the same result.

use eoslab_core::Output;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::{draw_panel, FigureError, Medium, Options, PlotRect, Style, Surface};

/// The drawing area an SVG document is drawn on.
pub type SvgArea<'a> = DrawingArea<Surface<'static, SVGBackend<'a>>, Shift>;

/// The sizes a file may have, in pixels per side.
pub const SIZE: std::ops::RangeInclusive<u32> = 16..=8192;

/// Checks a file's size, naming "width" or "height".
pub fn check_size(width: u32, height: u32) -> Result<(), FigureError> {
    for (field, v) in [("width", width), ("height", height)] {
        if !SIZE.contains(&v) {
            return Err(FigureError::new(
                field,
                format!(
                    "must lie in [{}, {}] pixels (got {v})",
                    SIZE.start(),
                    SIZE.end()
                ),
            ));
        }
    }
    Ok(())
}

/// What `draw` draws on an SVG document of `width × height` CSS pixels, and the plotting area's
/// rectangle it returns.
pub fn svg_of(
    width: u32,
    height: u32,
    dark: bool,
    draw: impl FnOnce(&SvgArea, Style) -> Result<PlotRect, FigureError>,
) -> Result<(String, PlotRect), FigureError> {
    check_size(width, height)?;
    let mut out = String::new();
    let rect = {
        let area = Surface::new(
            SVGBackend::with_string(&mut out, (width, height)),
            Medium::Svg,
        )
        .into_drawing_area();
        let rect = draw(&area, Style::new(Medium::Svg, 1.0, (width, height), dark))?;
        area.present()
            .map_err(|e| FigureError::new("", format!("drawing failed: {e}")))?;
        rect
    };
    Ok((out, rect))
}

/// The panel `panel` of `result` as an SVG document of `width × height` CSS pixels, with its
/// text kept as `<text>` elements; also the plotting area's rectangle.
pub fn panel_svg(
    panel: &str,
    result: &Output,
    width: u32,
    height: u32,
    options: &Options,
) -> Result<(String, PlotRect), FigureError> {
    svg_of(width, height, options.dark, |area, s| {
        draw_panel(area, panel, result, options, s)
    })
}
