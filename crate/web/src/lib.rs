//! eoslab-web: the thin layer between the core and the page. It knows no mathematics beyond
//! calling `eoslab_core`, and draws nothing itself: every panel is drawn by `eoslab_figure` on a
//! canvas (through plotters-canvas) or as SVG.
//!
//! * [`columns`]: chunks of bifurcation columns as flat arrays, as workers post them;
//! * `api` (wasm32 only): the JS-facing functions `run`, `panels`, `drawPanel`, `panelSVG`,
//!   `drawTrajectory`, `drawDynamics`, `BifurcationFigure` and `bench`. Every one returns a
//!   `Result`; errors become JS `Error`s carrying a `field` property, and nothing panics across
//!   the boundary;
//! * `backend` (wasm32 only): one backend type for canvases and SVG, so each panel is compiled
//!   into the module once;
//! * `scans` (wasm32 only): the chunked scans, `BifurcationScan` and `BasinScan` for the Web
//!   Workers, `BifurcationPlot` and `BasinPlot` for the pages that draw them as they arrive.

pub mod columns;

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod backend;
#[cfg(target_arch = "wasm32")]
pub mod scans;
