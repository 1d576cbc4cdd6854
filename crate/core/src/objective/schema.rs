//! What an objective registers: its schema (name, group, title, description, citation,
//! parameters) and its constructor. Each objective's module declares one [`Registered`];
//! [`super::registry`] lists them.

use serde::Serialize;

use super::params::{ParamSchema, Params};
use super::AnyObjective;
use crate::error::Result;

/// What the UI and the docs say about an objective.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveSchema {
    /// Key used in specs.
    pub name: &'static str,
    /// The family it belongs to, for grouping in a selector.
    pub group: &'static str,
    /// A short title.
    pub title: &'static str,
    /// A sentence or two for the UI: the formula and what to look for.
    pub description: &'static str,
    /// Paper, section and equation it comes from.
    pub citation: &'static str,
    /// Its parameters.
    pub params: &'static [ParamSchema],
}

/// An objective in the registry.
pub struct Registered {
    /// Its schema.
    pub schema: ObjectiveSchema,
    /// Builds it from parameters already checked against the schema.
    pub build: fn(&Params) -> Result<AnyObjective>,
}
