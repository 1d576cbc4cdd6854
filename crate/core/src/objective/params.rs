//! Objective parameters described by a schema: one declaration per objective gives validation
//! (errors name `objective.<param>`), defaults, and what the front end needs to build its
//! controls (type, default, range, description), so no objective has hand-written UI code.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Result, SpecError};

/// A parameter value as it appears in a spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// Reals and integers.
    Number(f64),
    /// Choices and texts (a formula).
    Text(String),
    /// Lists of reals (a target spectrum).
    List(Vec<f64>),
}

/// The type, default and accepted range of a parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ParamKind {
    /// A finite real in [min, max].
    Real { default: f64, min: f64, max: f64 },
    /// A whole number in [min, max].
    Integer { default: u64, min: u64, max: u64 },
    /// One of `options`.
    Choice { default: &'static str, options: &'static [&'static str] },
    /// Free text of at most `max_len` characters.
    Text { default: &'static str, max_len: usize },
    /// 1 to `max_len` finite reals, each in [min, max].
    List { default: &'static [f64], min: f64, max: f64, max_len: usize },
}

/// One parameter of an objective.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamSchema {
    /// Its key in the spec.
    pub name: &'static str,
    /// What it means, for a label or tooltip.
    pub description: &'static str,
    /// Type, default and range.
    #[serde(flatten)]
    pub kind: ParamKind,
}

impl ParamSchema {
    /// A real parameter.
    pub const fn real(name: &'static str, default: f64, min: f64, max: f64, description: &'static str) -> Self {
        Self { name, description, kind: ParamKind::Real { default, min, max } }
    }
    /// A whole-number parameter.
    pub const fn integer(name: &'static str, default: u64, min: u64, max: u64, description: &'static str) -> Self {
        Self { name, description, kind: ParamKind::Integer { default, min, max } }
    }
    /// A choice among fixed options.
    pub const fn choice(name: &'static str, default: &'static str, options: &'static [&'static str], description: &'static str) -> Self {
        Self { name, description, kind: ParamKind::Choice { default, options } }
    }
    /// A text parameter.
    pub const fn text(name: &'static str, default: &'static str, max_len: usize, description: &'static str) -> Self {
        Self { name, description, kind: ParamKind::Text { default, max_len } }
    }
    /// A list of reals.
    pub const fn list(name: &'static str, default: &'static [f64], min: f64, max: f64, max_len: usize, description: &'static str) -> Self {
        Self { name, description, kind: ParamKind::List { default, min, max, max_len } }
    }

    fn default_value(&self) -> ParamValue {
        match self.kind {
            ParamKind::Real { default, .. } => ParamValue::Number(default),
            ParamKind::Integer { default, .. } => ParamValue::Number(default as f64),
            ParamKind::Choice { default, .. } | ParamKind::Text { default, .. } => ParamValue::Text(default.into()),
            ParamKind::List { default, .. } => ParamValue::List(default.to_vec()),
        }
    }

    /// Checks `value` against this parameter's type and range.
    fn check(&self, value: &ParamValue) -> Result<()> {
        let field = format!("objective.{}", self.name);
        let wrong = |expected: &str| SpecError::new(&field, format!("must be {expected} (got {})", describe(value)));
        match (&self.kind, value) {
            (ParamKind::Real { min, max, .. }, ParamValue::Number(v)) => crate::validate::finite_in(&field, *v, *min, *max).map(drop),
            (ParamKind::Integer { min, max, .. }, ParamValue::Number(v)) => {
                if v.fract() != 0.0 || *v < *min as f64 || *v > *max as f64 {
                    Err(wrong(&format!("a whole number from {min} to {max}")))
                } else {
                    Ok(())
                }
            }
            (ParamKind::Choice { options, .. }, ParamValue::Text(t)) if options.contains(&t.as_str()) => Ok(()),
            (ParamKind::Choice { options, .. }, _) => Err(wrong(&format!("one of {options:?}"))),
            (ParamKind::Text { max_len, .. }, ParamValue::Text(t)) => {
                let n = t.chars().count();
                if n > *max_len {
                    Err(SpecError::new(&field, format!("is {n} characters long; at most {max_len} are allowed")))
                } else {
                    Ok(())
                }
            }
            (ParamKind::List { min, max, max_len, .. }, ParamValue::List(xs)) => {
                if xs.is_empty() || xs.len() > *max_len {
                    return Err(wrong(&format!("a list of 1 to {max_len} numbers")));
                }
                for (i, &x) in xs.iter().enumerate() {
                    crate::validate::finite_in(&format!("{field}[{i}]"), x, *min, *max)?;
                }
                Ok(())
            }
            (ParamKind::Real { .. }, _) => Err(wrong("a number")),
            (ParamKind::Integer { .. }, _) => Err(wrong("a whole number")),
            (ParamKind::Text { .. }, _) => Err(wrong("text")),
            (ParamKind::List { .. }, _) => Err(wrong("a list of numbers")),
        }
    }
}

fn describe(value: &ParamValue) -> String {
    match value {
        ParamValue::Number(v) => v.to_string(),
        ParamValue::Text(t) => format!("{t:?}"),
        ParamValue::List(xs) => format!("a list of {} numbers", xs.len()),
    }
}

/// An objective's parameters, checked against its schema and completed with defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    values: BTreeMap<String, ParamValue>,
}

impl Params {
    /// Validates `given` against `schema`: unknown names and bad values are refused naming
    /// `objective.<param>`; missing ones take their defaults.
    pub fn validate(schema: &[ParamSchema], given: &BTreeMap<String, ParamValue>) -> Result<Self> {
        if let Some(unknown) = given.keys().find(|k| !schema.iter().any(|p| p.name == k.as_str())) {
            let known: Vec<&str> = schema.iter().map(|p| p.name).collect();
            return Err(SpecError::new(format!("objective.{unknown}"), format!("unknown parameter; this objective takes {known:?}")));
        }
        let mut values = BTreeMap::new();
        for p in schema {
            let value = given.get(p.name).cloned().unwrap_or_else(|| p.default_value());
            p.check(&value)?;
            values.insert(p.name.to_string(), value);
        }
        Ok(Self { values })
    }

    /// All values, defaults included (echoed in results, so a result says exactly what ran).
    pub fn values(&self) -> &BTreeMap<String, ParamValue> {
        &self.values
    }

    fn get(&self, name: &str) -> Result<&ParamValue> {
        self.values.get(name).ok_or_else(|| SpecError::new(format!("objective.{name}"), "internal error: not in this objective's schema"))
    }

    /// A real or integer parameter.
    pub fn real(&self, name: &str) -> Result<f64> {
        match self.get(name)? {
            ParamValue::Number(v) => Ok(*v),
            _ => Err(SpecError::new(format!("objective.{name}"), "internal error: not a number")),
        }
    }

    /// A whole-number parameter.
    pub fn integer(&self, name: &str) -> Result<usize> {
        self.real(name).map(|v| v as usize)
    }

    /// A choice or text parameter.
    pub fn text(&self, name: &str) -> Result<&str> {
        match self.get(name)? {
            ParamValue::Text(t) => Ok(t),
            _ => Err(SpecError::new(format!("objective.{name}"), "internal error: not text")),
        }
    }

    /// A list parameter.
    pub fn list(&self, name: &str) -> Result<&[f64]> {
        match self.get(name)? {
            ParamValue::List(xs) => Ok(xs),
            _ => Err(SpecError::new(format!("objective.{name}"), "internal error: not a list")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &[ParamSchema] = &[
        ParamSchema::real("mu", 1.0, 0.01, 10.0, "μ"),
        ParamSchema::integer("d", 3, 1, 100, "dimension"),
        ParamSchema::choice("g", "sin", &["sin", "tanh"], "base model"),
        ParamSchema::list("spectrum", &[3.0, 1.0], 0.0, 100.0, 8, "target singular values"),
    ];

    fn given(pairs: &[(&str, ParamValue)]) -> BTreeMap<String, ParamValue> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    #[test]
    fn defaults_fill_what_is_missing() {
        let p = Params::validate(SCHEMA, &given(&[("mu", ParamValue::Number(2.5))])).unwrap();
        assert_eq!(p.real("mu").unwrap(), 2.5);
        assert_eq!(p.integer("d").unwrap(), 3);
        assert_eq!(p.text("g").unwrap(), "sin");
        assert_eq!(p.list("spectrum").unwrap(), &[3.0, 1.0]);
    }

    #[test]
    fn bad_values_are_refused_naming_the_parameter() {
        let cases = [
            ("mu", ParamValue::Number(0.0), "objective.mu"),
            ("mu", ParamValue::Number(f64::NAN), "objective.mu"),
            ("mu", ParamValue::Text("big".into()), "objective.mu"),
            ("d", ParamValue::Number(2.5), "objective.d"),
            ("d", ParamValue::Number(101.0), "objective.d"),
            ("g", ParamValue::Text("cos".into()), "objective.g"),
            ("spectrum", ParamValue::List(vec![]), "objective.spectrum"),
            ("spectrum", ParamValue::List(vec![1.0, -1.0]), "objective.spectrum[1]"),
            ("nu", ParamValue::Number(1.0), "objective.nu"),
        ];
        for (name, value, field) in cases {
            let e = Params::validate(SCHEMA, &given(&[(name, value.clone())])).unwrap_err();
            assert_eq!(e.field, field, "{name} = {value:?}: {e}");
        }
    }
}
