//! Runs over time, from one start (the shared spec fields, the start's validation, which
//! iterates are kept and the sharpness tracker: [`run`]): a GD run with its loss, sharpness and the attractor it
//! settles into ([`trajectory`]) and its regime labels ([`regimes`]); gradient flow by
//! Dormand–Prince 5(4), compared with GD on t = kη ([`flow`]); paper 001's constrained trajectory
//! ([`constrained`]) and predicted dynamics beside GD and the flow ([`stabilization`]).
//!
//! Layer: uses [`crate::orbit`], [`crate::optimizer`], [`crate::spectrum`], [`crate::objective`]
//! and the foundation.

pub mod constrained;
pub mod flow;
pub mod regimes;
pub mod run;
pub mod stabilization;
pub mod trajectory;
