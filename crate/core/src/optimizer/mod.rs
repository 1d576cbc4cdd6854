//! The update rules, one step at a time: the GD map x ↦ x − η∇f(x) with its Jacobian and the
//! divergence test ([`gd`]), heavy-ball momentum and its stability limit (2 + 2β)/η
//! ([`momentum`]), and learning-rate schedules η_t ([`schedule`]).
//!
//! Layer: uses [`crate::objective`] and the foundation (limits, errors) only.

pub mod gd;
pub mod momentum;
pub mod schedule;
