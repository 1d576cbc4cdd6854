//! eoslab-web: the thin layer between the core and the page. It knows no mathematics beyond
//! calling `eoslab_core` and drawing what it returns.
//!
//! * [`dynamics`]: the trajectory views of GD against gradient flow and of paper 001's
//!   self-stabilization (GD, flow, constrained trajectory, prediction), with `drawDynamics`;
//! * [`figures`]: the explorer's plots, drawn with plotters on any backend (canvas in the browser
//!   through plotters-canvas, SVG in native tests);
//! * [`density`]: the bifurcation diagram as a point-density raster (one pixel per grid column);
//! * [`scan_figures`], [`basin_image`]: the Lyapunov chart and the basin map's frame and image;
//! * [`columns`]: chunks of bifurcation columns as flat arrays, as workers post them;
//! * `boundary` (wasm32 only): where JS values enter and errors leave: specs read by a bounded
//!   walk (depth, sizes, cycles, throwing getters) before any conversion, arguments checked by
//!   type, errors as JS `Error`s carrying a `field` property; `api`, `scans` and `dynamics` use
//!   it, and nothing panics across the boundary;
//! * `api` (wasm32 only): the JS-facing functions `run`, `drawTrajectory`, `BifurcationFigure`
//!   and `bench`;
//! * `scans` (wasm32 only): the chunked scans, `BifurcationScan` and `BasinScan` for the Web
//!   Workers, `BifurcationPlot` and `BasinPlot` for the pages that draw them as they arrive.

pub mod basin_image;
pub mod columns;
pub mod density;
pub mod dynamics;
pub mod figures;
pub mod scan_figures;

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod boundary;
#[cfg(target_arch = "wasm32")]
pub mod scans;
