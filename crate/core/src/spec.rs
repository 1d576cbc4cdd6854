//! The figure spec: one serde type that the page's URL hash and controls, a notebook, a native
//! command and a test all describe a computation with, and the plain data [`run`] turns it into.
//!
//! Field-by-field documentation with examples lives in docs/spec.md.

use serde::{Deserialize, Serialize};

use crate::bifurcation::{run_bifurcation, Bifurcation, BifurcationSpec};
use crate::error::{Result, SpecError};
use crate::trajectory::{run_trajectory, Trajectory, TrajectorySpec};

/// A computation, tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Spec {
    /// One GD run: iterates, loss, sharpness and the attractor it settles into.
    Trajectory(TrajectorySpec),
    /// A scan over the learning rate of the attractor GD settles into.
    Bifurcation(BifurcationSpec),
}

/// What [`run`] returns, tagged by the same `kind` as its spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Output {
    /// See [`Trajectory`].
    Trajectory(Trajectory),
    /// See [`Bifurcation`].
    Bifurcation(Bifurcation),
}

/// Validates and runs a spec. Every refusal is a [`SpecError`] naming the field.
pub fn run(spec: &Spec) -> Result<Output> {
    match spec {
        Spec::Trajectory(s) => run_trajectory(s).map(Output::Trajectory),
        Spec::Bifurcation(s) => run_bifurcation(s).map(Output::Bifurcation),
    }
}

/// Deserialises a spec from any serde format (JSON text natively, a JS object in wasm), reporting
/// the path of the offending field (`eta`, `objective.mu`, `x0[0]`) where serde knows it, and the
/// field serde names in messages such as "unknown field `etta`" otherwise.
pub fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Spec>
where
    D::Error: std::fmt::Display,
{
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        // serde-wasm-bindgen's errors are JS Errors whose text starts "Error: ".
        let inner = e.inner().to_string();
        let message = format!("invalid spec: {}", inner.strip_prefix("Error: ").unwrap_or(&inner));
        let path = e.path().to_string();
        let named = ["unknown field `", "missing field `"]
            .iter()
            .find_map(|m| message.split(m).nth(1).and_then(|rest| rest.split('`').next()))
            .map(str::to_owned);
        match named {
            Some(name) if path == "." => SpecError::new(name, message),
            Some(name) => SpecError::new(format!("{path}.{name}"), message),
            None if path == "." => SpecError::whole(message),
            None => SpecError::new(path, message),
        }
    })
}

/// Parses a spec from JSON text (the native command's and the tests' entry point; the wasm layer
/// deserialises JS objects through [`deserialize`] too).
pub fn parse_json(text: &str) -> Result<Spec> {
    deserialize(&mut serde_json::Deserializer::from_str(text))
}
