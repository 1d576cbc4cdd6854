//! The panels of each result kind and the one entry point that draws any of them: the page's
//! canvas, the SVG export, node and the native command all call [`draw_panel`].

use eoslab_core::Output;
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

use crate::dynamics::{draw_dynamics, Dynamics};
use crate::scan_frames::{basin_map, bifurcation_diagram, lyapunov_chart};
use crate::spectra::{eigenvalues, feigenbaum_ratios, multipliers};
use crate::sweep::draw_sweep;
use crate::trajectory::draw_trajectory;
use crate::{FigureError, PlotRect, Style};
use eoslab_core::dynamics::trajectory::Trajectory;

/// The most earlier runs a panel draws under the current one.
pub const MAX_PINNED: usize = 8;

/// One panel a result kind can be drawn as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PanelInfo {
    /// The name [`draw_panel`] takes.
    pub name: &'static str,
    /// What it shows, for a person.
    pub title: &'static str,
    /// Whether it belongs to the kind's default set (drawable for every result of the kind).
    pub natural: bool,
}

const fn panel(name: &'static str, title: &'static str, natural: bool) -> PanelInfo {
    PanelInfo { name, title, natural }
}

const TRAJECTORY: &[PanelInfo] = &[
    panel("landscape", "f(x) with the GD iterates (one-parameter objectives)", false),
    panel("cobweb", "cobweb of the GD map (one-parameter objectives)", false),
    panel("plane", "f over the plane with the GD path (two-parameter objectives)", false),
    panel("loss", "loss f(x_t) − min f", true),
    panel("regimes", "loss coloured by regime", false),
    panel("sharpness", "sharpness against 2/η", true),
];
const FLOW: &[PanelInfo] = &[
    panel("loss", "loss: GD against gradient flow", true),
    panel("sharpness", "sharpness against 2/η: GD and gradient flow", true),
    panel("distance", "distance between GD and gradient flow", true),
];
const SELF_STABILIZATION: &[PanelInfo] = &[
    panel("loss", "loss: GD, flow, constrained θ†, prediction", true),
    panel("sharpness", "sharpness against 2/η: GD, flow, θ†, prediction", true),
    panel("distance", "distance from GD", true),
    panel("plane", "GD's displacement from θ† against the prediction", true),
];
const BIFURCATION: &[PanelInfo] = &[panel("diagram", "bifurcation diagram", true), panel("lyapunov", "Lyapunov exponent", true)];
const BASIN: &[PanelInfo] = &[panel("map", "basin map", true)];
const SWEEP: &[PanelInfo] = &[
    panel("sharpness", "limiting sharpness against 2/η", true),
    panel("loss", "loss at the last step", true),
    panel("catapult", "the loss's peak over its start", false),
    panel("finite", "where GD stays finite", false),
];
const ONSETS: &[PanelInfo] = &[panel("ratios", "Feigenbaum ratios of the onsets", true)];
const CURVATURE: &[PanelInfo] = &[panel("eigenvalues", "top Hessian eigenvalues", true)];
const ORBIT: &[PanelInfo] = &[panel("multipliers", "the orbit's multipliers", true)];

/// Every panel a result of `kind` can be drawn as. An unknown kind is an error naming "kind".
pub fn panels(kind: &str) -> Result<&'static [PanelInfo], FigureError> {
    Ok(match kind {
        "trajectory" => TRAJECTORY,
        "flow" => FLOW,
        "self_stabilization" => SELF_STABILIZATION,
        "bifurcation" => BIFURCATION,
        "basin" => BASIN,
        "sweep" => SWEEP,
        "onsets" => ONSETS,
        "curvature" => CURVATURE,
        "orbit" => ORBIT,
        other => return Err(FigureError::new("kind", format!("unknown kind {other:?}; expected one of {:?}", eoslab_core::spec::KINDS))),
    })
}

/// The `kind` a result was run as.
pub fn kind(result: &Output) -> &'static str {
    match result {
        Output::Trajectory(_) => "trajectory",
        Output::Bifurcation(_) => "bifurcation",
        Output::Curvature(_) => "curvature",
        Output::Onsets(_) => "onsets",
        Output::Basin(_) => "basin",
        Output::Sweep(_) => "sweep",
        Output::Flow(_) => "flow",
        Output::SelfStabilization(_) => "self_stabilization",
        Output::Orbit(_) => "orbit",
    }
}

/// An earlier run drawn faded under the current one, with its label.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pinned {
    /// How the legend names it.
    pub label: String,
    /// The run, as `run` returned it (of the same kind as the current result).
    pub result: Output,
}

/// How to draw a panel; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Earlier runs of the same kind, drawn faded and labelled under the current one (on the
    /// loss, regimes and sharpness panels of a trajectory, and the loss, sharpness and distance
    /// panels of a flow or self-stabilization result; other panels leave them out).
    #[serde(default)]
    pub pinned: Vec<Pinned>,
    /// Colours for a dark page.
    #[serde(default)]
    pub dark: bool,
    /// A marker on the horizontal axis (the η of a bifurcation diagram, its Lyapunov chart).
    #[serde(default)]
    pub marker: Option<f64>,
    /// A heavy-ball run (a trajectory result with momentum) laid over the loss and sharpness
    /// panels of a flow or self-stabilization result.
    #[serde(default, rename = "heavyBall")]
    pub heavy_ball: Option<Output>,
}

/// Draws the panel `panel` of `result` filling `area`; returns the plotting area's pixel
/// rectangle and data range. A panel the result's kind does not have is an error naming "panel".
pub fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &str,
    result: &Output,
    options: &Options,
    s: Style,
) -> Result<PlotRect, FigureError> {
    let kind = kind(result);
    let known = panels(kind)?;
    if !known.iter().any(|p| p.name == panel) {
        let names: Vec<&str> = known.iter().map(|p| p.name).collect();
        return Err(FigureError::new("panel", format!("unknown panel {panel:?} for a {kind} result; expected one of {names:?}")));
    }
    let heavy_ball = match &options.heavy_ball {
        None => None,
        Some(Output::Trajectory(t)) => Some(t),
        Some(other) => {
            return Err(FigureError::new("options.heavyBall", format!("must be a trajectory result, not {}", self::kind(other))))
        }
    };
    if options.pinned.len() > MAX_PINNED {
        return Err(FigureError::new("options.pinned", format!("at most {MAX_PINNED} pinned runs (got {})", options.pinned.len())));
    }
    if let Some(p) = options.pinned.iter().find(|p| self::kind(&p.result) != kind) {
        return Err(FigureError::new(
            "options.pinned",
            format!("{:?} is a {} result; pinned runs must be {kind} results like the current one", p.label, self::kind(&p.result)),
        ));
    }
    let marker = options.marker.unwrap_or(f64::NAN);
    let drawn = match result {
        Output::Trajectory(t) => {
            let pinned: Vec<(&str, &Trajectory)> = options
                .pinned
                .iter()
                .filter_map(|p| match &p.result {
                    Output::Trajectory(t) => Some((p.label.as_str(), t)),
                    _ => None,
                })
                .collect();
            draw_trajectory(area, panel, t, &pinned, s).map_err(|m| FigureError::new("panel", m))?
        }
        Output::Flow(_) | Output::SelfStabilization(_) => {
            fn dynamics(o: &Output) -> Option<Dynamics<'_>> {
                match o {
                    Output::Flow(r) => Some(Dynamics::Flow(r)),
                    Output::SelfStabilization(r) => Some(Dynamics::Stabilization(r)),
                    _ => None,
                }
            }
            let pinned: Vec<(&str, Dynamics)> =
                options.pinned.iter().filter_map(|p| Some((p.label.as_str(), dynamics(&p.result)?))).collect();
            let current = dynamics(result).ok_or_else(|| FigureError::new("result", "not a dynamics result"))?;
            draw_dynamics(area, panel, current, heavy_ball, &pinned, s).map_err(|m| FigureError::new("", m))?
        }
        Output::Bifurcation(scan) if panel == "diagram" => {
            bifurcation_diagram(area, scan, "bifurcation diagram of the GD map", marker, s).map_err(|m| FigureError::new("", m))?
        }
        Output::Bifurcation(scan) => lyapunov_chart(area, scan, marker, s).map_err(|m| FigureError::new("", m))?,
        Output::Basin(map) => basin_map(area, map, &vec![true; map.y.len()], None, s).map_err(|m| FigureError::new("", m))?,
        Output::Sweep(r) => draw_sweep(area, panel, r, s).map_err(|m| FigureError::new("panel", m))?,
        Output::Onsets(r) => feigenbaum_ratios(area, r, s).map_err(|m| FigureError::new("", m))?,
        Output::Curvature(r) => eigenvalues(area, r, s).map_err(|m| FigureError::new("", m))?,
        Output::Orbit(r) => multipliers(area, r, s).map_err(|m| FigureError::new("", m))?,
    };
    Ok(drawn)
}
