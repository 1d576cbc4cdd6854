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
            return Err(FigureError::new(field, format!("must lie in [{}, {}] pixels (got {v})", SIZE.start(), SIZE.end())));
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
        let area = Surface::new(SVGBackend::with_string(&mut out, (width, height)), Medium::Svg).into_drawing_area();
        let rect = draw(&area, Style::new(Medium::Svg, 1.0, (width, height), dark))?;
        area.present().map_err(|e| FigureError::new("", format!("drawing failed: {e}")))?;
        rect
    };
    Ok((out, rect))
}

/// The panel `panel` of `result` as an SVG document of `width × height` CSS pixels, with its
/// text kept as `<text>` elements; also the plotting area's rectangle.
pub fn panel_svg(panel: &str, result: &Output, width: u32, height: u32, options: &Options) -> Result<(String, PlotRect), FigureError> {
    svg_of(width, height, options.dark, |area, s| draw_panel(area, panel, result, options, s))
}

/// The panels `panels` of `result` stacked top to bottom, each `width × height` CSS pixels, as
/// one SVG document; a single panel gives exactly [`panel_svg`]'s document.
pub fn panels_svg(panels: &[&str], result: &Output, width: u32, height: u32, options: &Options) -> Result<String, FigureError> {
    check_size(width, height)?;
    let total = height
        .checked_mul(panels.len() as u32)
        .filter(|&h| h <= *SIZE.end())
        .ok_or_else(|| FigureError::new("panel", format!("{} panels of {height} pixels exceed {} pixels", panels.len(), SIZE.end())))?;
    let mut out = String::new();
    {
        let area = Surface::new(SVGBackend::with_string(&mut out, (width, total)), Medium::Svg).into_drawing_area();
        stack(&area, panels, result, options, Medium::Svg)?;
        area.present().map_err(|e| FigureError::new("", format!("drawing failed: {e}")))?;
    }
    Ok(out)
}

/// Draws `panels` of `result` one under the other on `area`, split evenly.
pub fn stack<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panels: &[&str],
    result: &Output,
    options: &Options,
    medium: Medium,
) -> Result<Vec<PlotRect>, FigureError> {
    if panels.is_empty() {
        return Err(FigureError::new("panel", "no panel to draw"));
    }
    area.split_evenly((panels.len(), 1))
        .iter()
        .zip(panels)
        .map(|(cell, panel)| draw_panel(cell, panel, result, options, Style::new(medium, 1.0, cell.dim_in_pixel(), options.dark)))
        .collect()
}
