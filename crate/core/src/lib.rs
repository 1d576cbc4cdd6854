//! eoslab-core: the DOM-free numerics of eoslab, a laboratory for gradient descent at large
//! learning rates (the edge of stability, period doubling, chaos). Compiled natively for the
//! command line and tests, and to WebAssembly for the site; the same spec gives the same numbers
//! in both.
//!
//! The modules form one-way layers, listed bottom up; each uses only its own layer and those
//! below it (crate/core/tests/layers.rs parses every source file and enforces it, and that the
//! modules within a layer form no cycle; ARCHITECTURE.md at the repository root has the picture):
//! * the foundation: [`limits`] (the limits and tolerances several layers share, each documented
//!   once), [`error`] (the [`SpecError`] naming a field), [`random`] (seeded streams) and input
//!   checks;
//! * [`objective`]: objectives with exact derivatives — scalar models, factorisations, networks,
//!   typed-in formulas — and their parameter schemas;
//! * [`spectrum`]: the sharpness (the largest algebraic Hessian eigenvalue) and the top-k
//!   eigenpairs, dense, by power iteration or by Lanczos; the curvature at one point
//!   ([`spectrum::curvature`]);
//! * [`optimizer`]: the update rules — the GD map x ↦ x − η∇f(x), its Jacobian and divergence,
//!   heavy ball and its stability limit (2 + 2β)/η, learning-rate schedules;
//! * [`orbit`]: period-p orbits of the GD map solved by Newton's method with their multipliers,
//!   the 2-cycle born at the edge of stability, and what a run settles into (orbit, chaos,
//!   divergence);
//! * [`dynamics`]: runs over time — one GD run with its regime labels (progressive sharpening,
//!   the edge of stability, catapults, balancing, stable or unstable convergence), gradient flow
//!   against GD, paper 001's constrained trajectory and predicted dynamics;
//! * [`scans`]: many runs — bifurcation diagrams over η or a parameter, period-doubling onsets
//!   and Feigenbaum ratios, basin maps of initial points, learning-rate sweeps, in chunks, on all
//!   cores natively, in vectorised lane kernels;
//! * [`spec`]: the spec, [`run`], and JSON parsing; [`benchmarks`]: named workloads for
//!   `cargo xtask bench`.

pub mod benchmarks;
pub mod dynamics;
pub mod error;
pub mod limits;
pub mod objective;
pub mod optimizer;
pub mod orbit;
pub mod random;
pub mod scans;
pub mod spec;
pub mod spectrum;
mod validate;

pub use error::{Result, SpecError};
pub use spec::{parse_json, run, run_parallel, Output, Spec};
