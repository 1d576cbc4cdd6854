//! eoslab-figure: every panel of every result kind, drawn with plotters on any backend — an HTML
//! canvas in the browser (crate/web), SVG in the browser, in node and natively, PNG natively (the
//! `eoslab figure` command, feature `bitmap`). One drawing code for every backend: no wasm, no DOM.
//!
//! * [`panels`]: the catalogue of panels per result kind and [`draw_panel`], which draws one
//!   panel of a whole result (with [`Options`]: pinned earlier runs, dark mode, a marker);
//! * [`svg`] (and `png` with the `bitmap` feature): panels to a file;
//! * [`surface`]: the backend wrapper that measures text from one table, so a panel is laid out
//!   the same on every backend and target, and places raster images;
//! * [`style`]: sizes that scale with the panel, the light and dark palettes;
//! * [`chart`], [`ticks`], [`legend`], [`colour_bar`], [`range`]: the frame every panel shares,
//!   laid out so every label fits at any size, legends where they cover no data, colour scales
//!   beside heat maps, and ranges no diverged run can flatten;
//! * the panels themselves: [`trajectory`] (the explorer's views of a GD run), [`dynamics`] (GD
//!   against gradient flow, self-stabilization), [`scan_frames`] (the bifurcation diagram, its
//!   Lyapunov exponents, the basin map), with the rasters [`density`] and [`basin_image`];
//!   [`sweep`] (limiting sharpness, final loss, catapults, finiteness against η) and [`spectra`]
//!   (Feigenbaum ratios, Hessian eigenvalues, orbit multipliers).

pub mod basin_image;
pub mod chart;
pub mod colour_bar;
pub mod density;
pub mod dynamics;
pub mod legend;
pub mod panels;
#[cfg(feature = "bitmap")]
pub mod png;
pub mod range;
pub mod scan_frames;
pub mod spectra;
pub mod style;
pub mod surface;
pub mod svg;
pub mod sweep;
pub mod ticks;
pub mod trajectory;

pub use chart::PlotRect;
pub use panels::{draw_panel, panels, Options, PanelInfo, Pinned};
pub use style::Style;
pub use surface::{Medium, Surface};

/// A refusal to draw, naming what it concerns: "panel" (a panel the result does not have),
/// "result", "options.pinned", "size" — or "" for a failure of the backend itself.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureError {
    /// The argument at fault.
    pub field: String,
    /// What is wrong, for a person.
    pub message: String,
}

impl FigureError {
    /// An error about `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FigureError { field: field.into(), message: message.into() }
    }
}

impl std::fmt::Display for FigureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for FigureError {}
