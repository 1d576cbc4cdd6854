//! The figure spec: one serde type that the page's URL hash and controls, a notebook, a native
//! command and a test all describe a computation with, and the plain data [`run`] turns it into.
//!
//! Field-by-field documentation with examples lives in docs/spec.md.

use serde::{Deserialize, Serialize};

use crate::dynamics::flow::{run_flow, Flow, FlowSpec};
use crate::dynamics::stabilization::{run_stabilization, Stabilization, StabilizationSpec};
use crate::dynamics::trajectory::{run_trajectory, Trajectory, TrajectorySpec};
use crate::error::{Result, SpecError};
use crate::orbit::{run_orbit, OrbitSpec, PeriodicOrbit};
use crate::scans::basin::{run_basin, Basin, BasinSpec};
use crate::scans::bifurcation::{run_bifurcation, Bifurcation, BifurcationSpec};
use crate::scans::onsets::{run_onsets, Onsets, OnsetsSpec};
use crate::scans::sweep::{run_sweep, Sweep, SweepSpec};
use crate::spectrum::curvature::{run_curvature, Curvature, CurvatureSpec};

/// Declares the spec kinds, each once: its `kind` string, its spec and result types and the
/// function that runs it. From that one list come [`Spec`], [`Output`], [`KINDS`], [`run`] and
/// [`deserialize`].
macro_rules! spec_kinds {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $kind:literal: $spec:ty => $output:ty, $runner:path;
    )*) => {
        /// A computation, tagged by `kind` (deserialised through [`deserialize`] / [`parse_json`]).
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(tag = "kind")]
        pub enum Spec {
            $( $(#[$doc])* #[serde(rename = $kind)] $variant($spec), )*
        }

        /// What [`run`] returns, tagged by the same `kind` as its spec. Built once per run, so the
        /// size difference between the variants costs nothing worth a box.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "kind")]
        pub enum Output {
            $( #[doc = concat!("The result of a `", $kind, "` spec.")] #[serde(rename = $kind)] $variant($output), )*
        }

        /// The kinds a spec may name.
        pub const KINDS: &[&str] = &[$($kind),*];

        /// Validates and runs a spec. Every refusal is a [`SpecError`] naming the field.
        pub fn run(spec: &Spec) -> Result<Output> {
            match spec {
                $( Spec::$variant(s) => $runner(s).map(Output::$variant), )*
            }
        }

        /// Deserialises the spec of kind `kind` from the spec's other fields (`fields` must not
        /// contain `kind`), reporting the path of the offending field (`eta`, `steps`, `x0[0]`) and
        /// the field serde names in messages such as "unknown field `etta`".
        ///
        /// The kind is dispatched by hand rather than by serde's internally tagged enum: that
        /// buffers the whole object before the variant sees it, and type errors inside
        /// (`"steps": 2.5`) would lose their field.
        pub fn deserialize<'de, D>(kind: Option<&str>, fields: D) -> Result<Spec>
        where
            D: serde::Deserializer<'de>,
            D::Error: std::fmt::Display,
        {
            match kind {
                $( Some($kind) => variant(fields).map(Spec::$variant), )*
                Some(other) => Err(SpecError::new("kind", format!("unknown kind `{other}`; expected one of {KINDS:?}"))),
                None => Err(SpecError::new("kind", format!("missing: a spec needs a \"kind\", one of {KINDS:?}"))),
            }
        }
    };
}

spec_kinds! {
    /// One GD run: iterates, loss, sharpness and the attractor it settles into.
    Trajectory = "trajectory": TrajectorySpec => Trajectory, run_trajectory;
    /// A scan over the learning rate of the attractor GD settles into.
    Bifurcation = "bifurcation": BifurcationSpec => Bifurcation, run_bifurcation;
    /// The curvature at one point: top eigenvalues, gradient alignment, self-stabilization
    /// quantities, directional curvatures.
    Curvature = "curvature": CurvatureSpec => Curvature, run_curvature;
    /// Period-doubling onsets along η or a parameter, and the ratios of their gaps.
    Onsets = "onsets": OnsetsSpec => Onsets, run_onsets;
    /// A basin map: GD from every start of a 2-D grid, each classed.
    Basin = "basin": BasinSpec => Basin, run_basin;
    /// A learning-rate sweep (optionally against an objective parameter).
    Sweep = "sweep": SweepSpec => Sweep, run_sweep;
    /// GD against gradient flow on the common axis t = kη.
    Flow = "flow": FlowSpec => Flow, run_flow;
    /// GD, gradient flow, the constrained trajectory and the predicted dynamics of paper 001.
    SelfStabilization = "self_stabilization": StabilizationSpec => Stabilization, run_stabilization;
    /// A period-p orbit of the GD map solved by Newton's method, with its multipliers.
    Orbit = "orbit": OrbitSpec => PeriodicOrbit, run_orbit;
}

/// [`run`] with the scans (bifurcation, basin, sweep) spread over every core, natively with the
/// `parallel` feature (the `eoslab` command); the same results as [`run`], whatever the number of
/// threads.
pub fn run_parallel(spec: &Spec) -> Result<Output> {
    match spec {
        Spec::Bifurcation(s) => {
            let scan = crate::scans::bifurcation::BifurcationScan::new(s)?;
            let runs = scan.scan_parallel(0..scan.values().len())?;
            scan.finish(runs).map(Output::Bifurcation)
        }
        Spec::Basin(s) => {
            let scan = crate::scans::basin::BasinScan::new(s)?;
            let points = scan.rows_parallel(0..scan.rows_len())?;
            scan.finish(points).map(Output::Basin)
        }
        Spec::Sweep(s) => {
            let scan = crate::scans::sweep::SweepScan::new(s)?;
            let cells = scan.cells_parallel(0..scan.len())?;
            scan.finish(cells).map(Output::Sweep)
        }
        other => run(other),
    }
}

fn variant<'de, T, D>(fields: D) -> Result<T>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
    D::Error: std::fmt::Display,
{
    serde_path_to_error::deserialize(fields).map_err(|e| {
        // serde-wasm-bindgen's errors are JS Errors whose text starts "Error: ".
        let inner = e.inner().to_string();
        let message = format!("invalid spec: {}", inner.strip_prefix("Error: ").unwrap_or(&inner));
        let path = e.path().to_string();
        let named = ["unknown field `", "missing field `"]
            .iter()
            .find_map(|m| message.split(m).nth(1).and_then(|rest| rest.split('`').next()))
            .map(str::to_owned);
        field_error(&path, named.as_deref(), message)
    })
}

/// The field an error concerns: serde's path (`.` is the root), completed by the field its
/// message names when the path stops at the enclosing object (missing fields).
fn field_error(path: &str, named: Option<&str>, message: String) -> SpecError {
    match named {
        Some(name) if path == "." => SpecError::new(name, message),
        Some(name) if !path.ends_with(name) => SpecError::new(format!("{path}.{name}"), message),
        _ if path == "." => SpecError::whole(message),
        _ => SpecError::new(path, message),
    }
}

/// Parses a spec from JSON text (the native command's and the tests' entry point; the wasm layer
/// goes through [`deserialize`] from a JS object).
pub fn parse_json(text: &str) -> Result<Spec> {
    let mut value: serde_json::Value = serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(text))
        .map_err(|e| field_error(&e.path().to_string(), None, format!("invalid spec: {}", e.inner())))?;
    let object = value.as_object_mut().ok_or_else(|| SpecError::whole("invalid spec: expected a JSON object with a \"kind\""))?;
    let kind = match object.remove("kind") {
        None => None,
        Some(serde_json::Value::String(k)) => Some(k),
        Some(other) => return Err(SpecError::new("kind", format!("must be a string, one of {KINDS:?} (got {other})"))),
    };
    deserialize(kind.as_deref(), value)
}
