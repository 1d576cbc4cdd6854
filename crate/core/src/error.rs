//! The one error type every fallible entry point of the core returns.
//!
//! A [`SpecError`] names the spec field it concerns (dotted path, e.g. `objective.mu`), so that the
//! page can show the message beside the control that sets that field, and a command can print it.

use std::fmt;

/// A refused spec or a computation that could not be carried out, with the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SpecError {
    /// Dotted path of the offending spec field (`eta`, `objective.mu`, `x0`, …); `spec` when the
    /// error concerns the spec as a whole (for example malformed JSON). Never empty.
    pub field: String,
    /// What is wrong and what would be accepted, written for a person.
    pub message: String,
}

impl SpecError {
    /// An error about `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }

    /// An error about the spec as a whole (no single field): its field is `spec`.
    pub fn whole(message: impl Into<String>) -> Self {
        Self::new("spec", message)
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() || self.field == "spec" {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for SpecError {}

/// Shorthand for results of the core.
pub type Result<T> = std::result::Result<T, SpecError>;
