//! A one-parameter family of GD maps x ↦ x − η∇f_p(x): indexed by the learning rate η with the
//! objective fixed, or by a real parameter p of the objective (the double well's μ, the
//! regularity degree b) with η fixed. Bifurcation scans, onset detection and sweeps move along
//! one (paper 002 §4.2 and App. L scan η; its Fig. 1 and paper 000's Fig. 9 vary both).

use serde::{Deserialize, Serialize};

use crate::error::{Result, SpecError};
use crate::limits::MAX_ETA;
use crate::objective::{AnyObjective, ObjectiveSpec, ParamKind};
use crate::validate;

/// A grid over a real parameter of the objective:
/// `{"name": "mu", "min": 0.5, "max": 2, "n": 400}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterRange {
    /// The parameter, a real parameter of the objective's schema (not `eta`).
    pub name: String,
    /// Smallest value, within the parameter's range.
    pub min: f64,
    /// Largest value, > `min` (unless `n` = 1), within the parameter's range.
    pub max: f64,
    /// Number of equally spaced values, both ends included (default 800).
    #[serde(default = "ParameterRange::default_n")]
    pub n: usize,
}

impl ParameterRange {
    fn default_n() -> usize {
        DEFAULT_GRID
    }
}

/// The fields by which a spec chooses its family and grid: `eta_min`, `eta_max`, `n_eta`
/// (default 800) for η; or `parameter` with the fixed `eta`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridFields<'a> {
    /// Smallest η (η families: required).
    pub eta_min: Option<f64>,
    /// Largest η (η families: required).
    pub eta_max: Option<f64>,
    /// Number of η values.
    pub n_eta: Option<usize>,
    /// The parameter and its grid (parameter families).
    pub parameter: Option<&'a ParameterRange>,
    /// The fixed η (parameter families: required).
    pub eta: Option<f64>,
}

/// Declares the spec of a scan along a [`Family`]: a struct with the fields every such scan takes
/// (`objective`, `eta_min`, `eta_max`, `n_eta`, `parameter`, `eta`, read by
/// [`Family::with_grid`] through the generated `grid_fields()`), followed by the scan's own fields,
/// with `deny_unknown_fields`. A macro rather than a `#[serde(flatten)]`ed struct: serde's
/// flattening does not combine with `deny_unknown_fields`, and it buffers the fields, so a type
/// error inside them (`"n_eta": 2.5`) would no longer name its field.
macro_rules! family_scan_spec {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$field_meta:meta])* pub $field:ident: $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// The objective (default: the double well with μ = 1).
            #[serde(default)]
            pub objective: $crate::objective::ObjectiveSpec,
            /// Smallest η, > 0 (along η: required; along a parameter: absent).
            #[serde(default)]
            pub eta_min: Option<f64>,
            /// Largest η, > `eta_min` (along η: required; along a parameter: absent).
            #[serde(default)]
            pub eta_max: Option<f64>,
            /// Number of equally spaced η values (default [`DEFAULT_GRID`](crate::scans::family::DEFAULT_GRID);
            /// along a parameter: absent).
            #[serde(default)]
            pub n_eta: Option<usize>,
            /// Go along this real parameter of the objective instead of η, over its grid.
            #[serde(default)]
            pub parameter: Option<$crate::scans::family::ParameterRange>,
            /// The fixed η along a parameter (required there, refused along η).
            #[serde(default)]
            pub eta: Option<f64>,
            $( $(#[$field_meta])* pub $field: $ty, )*
        }

        impl $name {
            /// The fields that choose the family and its grid.
            pub fn grid_fields(&self) -> $crate::scans::family::GridFields<'_> {
                $crate::scans::family::GridFields {
                    eta_min: self.eta_min,
                    eta_max: self.eta_max,
                    n_eta: self.n_eta,
                    parameter: self.parameter.as_ref(),
                    eta: self.eta,
                }
            }
        }
    };
}
pub(crate) use family_scan_spec;

/// Grid size when a spec gives none.
pub const DEFAULT_GRID: usize = 800;

/// `n` equally spaced values from `min` to `max` inclusive (`[min]` when n = 1).
pub fn grid(min: f64, max: f64, n: usize) -> Vec<f64> {
    if n == 1 {
        return vec![min];
    }
    let h = (max - min) / (n - 1) as f64;
    (0..n).map(|i| min + h * i as f64).collect()
}

/// What the family varies.
#[derive(Debug, Clone, PartialEq)]
enum Axis {
    Eta,
    Parameter { name: String, min: f64, max: f64, eta: f64 },
}

/// A family of GD maps, built once; [`Family::member`] gives the objective and η at a value of
/// the parameter.
pub struct Family {
    objective: ObjectiveSpec,
    base: AnyObjective,
    axis: Axis,
}

/// One member of a family: an objective (borrowed from the family when only η varies) and η.
pub struct Member<'a> {
    objective: Owned<'a>,
    /// The learning rate.
    pub eta: f64,
}

enum Owned<'a> {
    Borrowed(&'a AnyObjective),
    Built(AnyObjective),
}

impl Member<'_> {
    /// The member's objective.
    pub fn objective(&self) -> &AnyObjective {
        match &self.objective {
            Owned::Borrowed(o) => o,
            Owned::Built(o) => o,
        }
    }
}

impl Family {
    /// GD on `objective` indexed by η.
    pub fn over_eta(objective: &ObjectiveSpec) -> Result<Self> {
        Ok(Self { base: objective.build()?, objective: objective.clone(), axis: Axis::Eta })
    }

    /// GD with learning rate `eta` (required; errors name `eta_field`) on the objectives
    /// obtained by varying the real parameter `name` (errors name `name_field`).
    pub fn over_parameter(objective: &ObjectiveSpec, name: &str, name_field: &str, eta: Option<f64>, eta_field: &str) -> Result<Self> {
        let schema = objective.schema()?;
        let reals: Vec<&str> = schema.params.iter().filter(|p| matches!(p.kind, ParamKind::Real { .. })).map(|p| p.name).collect();
        let (min, max) = match schema.params.iter().find(|p| p.name == name).map(|p| &p.kind) {
            Some(ParamKind::Real { min, max, .. }) => (*min, *max),
            _ => {
                return Err(SpecError::new(
                    name_field,
                    format!(
                        "`{name}` is not a real parameter of {}; it can vary {reals:?}{}",
                        schema.name,
                        if name == "eta" { " (η is scanned with eta_min, eta_max and n_eta)" } else { "" }
                    ),
                ))
            }
        };
        if objective.params.contains_key(name) {
            return Err(SpecError::new(
                format!("objective.{name}"),
                format!("is the scanned parameter: set its range in {name_field}'s object instead"),
            ));
        }
        let eta = eta.ok_or_else(|| SpecError::new(eta_field, "missing: a scan over a parameter runs at one η, given here"))?;
        let eta = validate::positive_up_to(eta_field, eta, MAX_ETA)?;
        Ok(Self { base: objective.build()?, objective: objective.clone(), axis: Axis::Parameter { name: name.to_string(), min, max, eta } })
    }

    /// The family and its grid (at most `cap` values) from a spec's fields, every refusal
    /// naming its field: an η family from `eta_min`, `eta_max`, `n_eta` (then `eta` is
    /// refused), or a parameter family from `parameter` and `eta` (then the η grid fields are).
    pub fn with_grid(objective: &ObjectiveSpec, fields: &GridFields<'_>, cap: usize) -> Result<(Self, Vec<f64>)> {
        match fields.parameter {
            None => {
                if fields.eta.is_some() {
                    return Err(SpecError::new("eta", "only for a scan over a parameter; an η scan takes eta_min, eta_max and n_eta"));
                }
                let family = Family::over_eta(objective)?;
                let required =
                    |v: Option<f64>, field: &str| v.ok_or_else(|| SpecError::new(field, "missing: an η scan needs eta_min and eta_max"));
                let (min, max) = (required(fields.eta_min, "eta_min")?, required(fields.eta_max, "eta_max")?);
                let n = fields.n_eta.unwrap_or(DEFAULT_GRID);
                let values = family.grid(["eta_min", "eta_max", "n_eta"], min, max, n, cap)?;
                Ok((family, values))
            }
            Some(p) => {
                let given =
                    [("eta_min", fields.eta_min.is_some()), ("eta_max", fields.eta_max.is_some()), ("n_eta", fields.n_eta.is_some())];
                if let Some((field, _)) = given.iter().find(|(_, g)| *g) {
                    return Err(SpecError::new(*field, "only for an η scan; a scan over a parameter sets its grid in parameter"));
                }
                let family = Family::over_parameter(objective, &p.name, "parameter.name", fields.eta, "eta")?;
                let values = family.grid(["parameter.min", "parameter.max", "parameter.n"], p.min, p.max, p.n, cap)?;
                Ok((family, values))
            }
        }
    }

    /// The name of the varied parameter: `eta` or the objective parameter's.
    pub fn parameter(&self) -> &str {
        match &self.axis {
            Axis::Eta => "eta",
            Axis::Parameter { name, .. } => name,
        }
    }

    /// The objective at the family's default parameters (for dimension, default start and
    /// observables, which do not depend on the varied parameter).
    pub fn base(&self) -> &AnyObjective {
        &self.base
    }

    /// The fixed η of a parameter family (None for an η family).
    pub fn fixed_eta(&self) -> Option<f64> {
        match self.axis {
            Axis::Eta => None,
            Axis::Parameter { eta, .. } => Some(eta),
        }
    }

    /// Checks one value of the varied parameter: η in (0, [`MAX_ETA`]], an objective parameter
    /// within its schema's range.
    pub fn check_value(&self, field: &str, value: f64) -> Result<f64> {
        match self.axis {
            Axis::Eta => validate::positive_up_to(field, value, MAX_ETA),
            Axis::Parameter { min, max, .. } => validate::finite_in(field, value, min, max),
        }
    }

    /// Checks and builds the grid `n` values from `min` to `max` (errors name `fields`:
    /// min, max, n), n at most `cap`.
    pub fn grid(&self, fields: [&str; 3], min: f64, max: f64, n: usize, cap: usize) -> Result<Vec<f64>> {
        let [min_field, max_field, n_field] = fields;
        self.check_value(min_field, min)?;
        self.check_value(max_field, max)?;
        validate::count_in(n_field, n, 1, cap)?;
        if max <= min && n > 1 {
            return Err(SpecError::new(max_field, format!("must be greater than {min_field} (got {min_field} {min}, {max_field} {max})")));
        }
        Ok(grid(min, max, n))
    }

    /// The objective and η at `value`.
    pub fn member(&self, value: f64) -> Result<Member<'_>> {
        match &self.axis {
            Axis::Eta => Ok(Member { objective: Owned::Borrowed(&self.base), eta: value }),
            Axis::Parameter { name, eta, .. } => {
                Ok(Member { objective: Owned::Built(self.objective.with_param(name, value).build()?), eta: *eta })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::{Objective, ParamValue};

    #[test]
    fn members_vary_eta_or_the_named_parameter() {
        let eta = Family::over_eta(&ObjectiveSpec::default()).unwrap();
        assert_eq!(eta.parameter(), "eta");
        assert_eq!(eta.member(0.7).unwrap().eta, 0.7);
        let mu = Family::over_parameter(&ObjectiveSpec::default(), "mu", "parameter.name", Some(0.3), "eta").unwrap();
        let m = mu.member(4.0).unwrap();
        assert_eq!((m.eta, m.objective().known_minimizers()[0][0]), (0.3, 2.0));
        assert_eq!(mu.grid(["a", "b", "c"], 1.0, 2.0, 3, 10).unwrap(), vec![1.0, 1.5, 2.0]);
        assert_eq!(mu.grid(["a", "b", "c"], 0.0, 2.0, 3, 10).unwrap_err().field, "a", "μ ≥ 0.001");
        assert_eq!(mu.grid(["a", "b", "c"], 2.0, 1.0, 3, 10).unwrap_err().field, "b");
        assert_eq!(mu.grid(["a", "b", "c"], 1.0, 2.0, 11, 10).unwrap_err().field, "c");
    }

    #[test]
    fn only_real_parameters_vary_and_eta_is_then_required() {
        let spec = ObjectiveSpec::default();
        let e = |name: &str, eta| Family::over_parameter(&spec, name, "parameter.name", eta, "eta").err().unwrap().field;
        assert_eq!(e("nu", Some(0.5)), "parameter.name");
        assert_eq!(e("eta", Some(0.5)), "parameter.name");
        assert_eq!(e("mu", None), "eta");
        assert_eq!(e("mu", Some(-1.0)), "eta");
        let d = ObjectiveSpec::new("two_factor", &[]);
        let err = Family::over_parameter(&d, "d", "parameter.name", Some(0.5), "eta").err().unwrap();
        assert_eq!(err.field, "parameter.name", "d is an integer: {err}");
        let fixed = ObjectiveSpec::new("double_well", &[("mu", ParamValue::Number(2.0))]);
        let err = Family::over_parameter(&fixed, "mu", "parameter.name", Some(0.5), "eta").err().unwrap();
        assert_eq!(err.field, "objective.mu");
    }
}
