//! The limits and tolerances that more than one layer relies on, each documented once here, at
//! the bottom of the core (a limit used by one module alone is declared beside its use).
//! Every spec is checked against them before it runs, with a [`crate::SpecError`] naming the
//! field; docs/spec.md lists them for users.

/// Largest accepted learning rate η (every spec kind).
pub const MAX_ETA: f64 = 1e6;

/// Largest accepted magnitude of a start coordinate (`x0`, `start`, `starts`, a basin's window,
/// the point of a curvature spec).
pub const MAX_START: f64 = 1e6;

/// Most GD steps one trajectory or flow spec may ask for, and the longest learning-rate
/// schedule (its `at`, `steps`, `period`).
pub const MAX_STEPS: usize = 100_000;

/// Largest dimension whose orbits are refined and classified: Newton's method on Gᵖ(x) = x works
/// with dense n × n Jacobians (the `orbit` and `onsets` kinds, a trajectory's outcome).
pub const ORBIT_MAX_DIM: usize = 64;

/// Longest period any detector looks for ([`crate::orbit::period`]): a trajectory's outcome, a
/// bifurcation run's samples, a basin map's periodic starts, the `orbit` kind's `period`.
pub const MAX_PERIOD: usize = 64;

/// An iterate is declared diverged when a coordinate is non-finite or its Euclidean norm exceeds
/// this radius. Far below f64 overflow, so a diverging run stops before values become ∞ or NaN.
pub const DIVERGENCE_RADIUS: f64 = 1e8;

/// A loss increase f(x_{t+1}) − f(x_t) smaller than this times 1 + |f(x_t)| is taken for rounding
/// (a basin map's unstable convergence, a run's regime labels).
pub const LOSS_NOISE: f64 = 1e-12;
