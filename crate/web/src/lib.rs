//! eoslab-web: the thin layer between the core and the page. It knows no mathematics beyond
//! calling `eoslab_core`, and draws nothing itself: every panel is drawn by `eoslab_figure` on a
//! canvas (through plotters-canvas) or as SVG.
//!
//! * [`columns`]: chunks of bifurcation columns as flat arrays, as workers post them;
//! * `boundary` (wasm32 only): where JS values enter and errors leave: specs and results read by
//!   one bounded walk (depth, sizes, cycles, throwing getters and Proxies) before any conversion,
//!   the other arguments (names, numbers, indices, pixel sizes, the device-pixel ratio, canvases)
//!   checked by type, errors as JS `Error`s carrying a non-empty `field` property. `api` and
//!   `scans` use it and `backend`, never each other;
//! * `api` (wasm32 only): the JS-facing functions `run`, `panels`, `drawPanel`, `panelSVG`,
//!   `drawTrajectory`, `drawDynamics`, `BifurcationFigure` and `bench`. Every one takes its
//!   arguments as `JsValue`s read through `boundary` and returns a `Result`, so a wrong type is
//!   a refusal naming the argument and nothing panics across the boundary;
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
pub mod boundary;
#[cfg(target_arch = "wasm32")]
pub mod scans;
