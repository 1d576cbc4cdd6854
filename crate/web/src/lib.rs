//! eoslab-web: the thin layer between the core and the page. It knows no mathematics beyond
//! calling `eoslab_core` and drawing what it returns.
//!
//! * [`figures`]: the explorer's plots, drawn with plotters on any backend (canvas in the browser
//!   through plotters-canvas, SVG in native tests);
//! * [`density`]: the bifurcation diagram as a point-density raster (one pixel per η column);
//! * `api` (wasm32 only): the JS-facing functions `run`, `drawTrajectory`, `BifurcationFigure`
//!   and `bench`. Every one returns a `Result`; errors become JS `Error`s carrying a `field`
//!   property, and nothing panics across the boundary.

pub mod density;
pub mod figures;

#[cfg(target_arch = "wasm32")]
pub mod api;
