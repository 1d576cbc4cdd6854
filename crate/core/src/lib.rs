//! eoslab-core: the DOM-free numerics of eoslab, a laboratory for gradient descent at large
//! learning rates (the edge of stability, period doubling, chaos). Compiled natively for the
//! command line and tests, and to WebAssembly for the site; the same spec gives the same numbers
//! in both.
//!
//! Where a phenomenon is computed:
//! * [`objective`]: objectives with exact derivatives (the double well of paper 002 §4.2);
//! * [`gd`]: the GD map x ↦ x − η∇f(x), its Jacobian, divergence detection; [`momentum`]: heavy
//!   ball and its stability limit (2 + 2β)/η;
//! * [`orbit`]: period-p orbits of the GD map solved by Newton's method with their multipliers,
//!   the 2-cycle born at the edge of stability, and what a run settles into (orbit, chaos,
//!   divergence);
//! * [`flow`]: gradient flow by Dormand–Prince 5(4), compared with GD on the axis t = kη;
//! * [`constrained`] and [`stabilization`]: paper 001's constrained trajectory (projected GD onto
//!   {S ≤ 2/η, ∇L·u = 0}) and predicted dynamics, beside GD and gradient flow;
//! * [`spectrum`]: the sharpness (the largest algebraic Hessian eigenvalue) and the top-k
//!   eigenpairs, dense, by power iteration or by Lanczos;
//! * [`trajectory`] and [`regimes`]: one run and its regime labels (progressive sharpening, the
//!   edge of stability, catapults, balancing, stable or unstable convergence);
//! * [`bifurcation`], [`onsets`], [`basin`], [`sweep`]: scans over η or an objective parameter
//!   ([`family`]) of an [`observable`], period-doubling onsets and Feigenbaum ratios, basin maps
//!   of initial points, learning-rate sweeps; computed in chunks, on all cores natively
//!   ([`chunks`]), in lane kernels vectorised for the CPU ([`vectorise`]);
//! * [`spec`]: the spec, [`run`], and JSON parsing.

pub mod basin;
pub mod benchmarks;
pub mod bifurcation;
pub mod chunks;
pub mod constrained;
pub mod curvature;
pub mod error;
pub mod family;
pub mod flow;
pub mod gd;
pub mod momentum;
pub mod objective;
pub mod onsets;
pub mod observable;
pub mod orbit;
pub mod random;
pub mod regimes;
pub mod schedule;
pub mod spec;
pub mod spectrum;
pub mod stabilization;
pub mod sweep;
pub mod trajectory;
mod validate;
pub mod vectorise;

pub use error::{Result, SpecError};
pub use spec::{parse_json, run, run_parallel, Output, Spec};
