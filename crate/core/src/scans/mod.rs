//! Many runs at once: scans over η or an objective parameter ([`family`]) of an
//! [`observable`] ([`bifurcation`]), period-doubling onsets and Feigenbaum ratios ([`onsets`]),
//! basin maps of initial points ([`basin`]), learning-rate sweeps ([`sweep`]); computed in chunks,
//! on all cores natively ([`chunks`]), in lane kernels vectorised for the CPU ([`vectorise`]).
//!
//! Layer: the top of the numerics; uses every layer below ([`crate::dynamics`], [`crate::orbit`],
//! [`crate::optimizer`], [`crate::spectrum`], [`crate::objective`], the foundation).

pub mod basin;
pub mod bifurcation;
pub mod chunks;
pub mod family;
pub mod observable;
pub mod onsets;
pub mod sweep;
pub mod vectorise;
