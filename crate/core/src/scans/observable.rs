//! What a scan reads off an iterate: a coordinate, the loss, the sharpness, or a quantity the
//! objective names (paper 000 §5's product xᵀy and balance ‖x‖² − ‖y‖², the balance
//! ‖X‖²_F − ‖Y‖²_F of matrix factorisation, paper 002 Obs. 2).
//!
//! In a spec, `"observable"` is an object tagged by `kind` (`{"kind": "coordinate", "index": 1}`,
//! `{"kind": "loss"}`, `{"kind": "sharpness"}`, `{"kind": "named", "name": "balance"}`) or one
//! word: `"coordinate"` (index 0), `"loss"`, `"sharpness"`, or the name of one of the objective's
//! named observables.

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{Result, SpecError};
use crate::objective::Objective;
use crate::spectrum::{dense_top_k, HessianOperator};

/// Largest dimension whose sharpness a scan samples: a dense Hessian and its eigenvalues per
/// sample.
pub const SHARPNESS_MAX_DIM: usize = 64;

/// A scalar function of the iterate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Observable {
    /// The coordinate `x[index]` (default index 0).
    Coordinate {
        /// Which coordinate.
        #[serde(default)]
        index: usize,
    },
    /// f(x) − min f (f(x) where the minimum is not known in closed form).
    Loss,
    /// The largest Hessian eigenvalue (objectives of at most [`SHARPNESS_MAX_DIM`] parameters).
    Sharpness,
    /// One of the objective's [`Objective::named_observables`].
    Named {
        /// Its name.
        name: String,
    },
}

impl Default for Observable {
    fn default() -> Self {
        Observable::Coordinate { index: 0 }
    }
}

impl Observable {
    /// The observable a single word names (module docs).
    fn from_word(word: &str) -> Self {
        match word {
            "coordinate" => Observable::Coordinate { index: 0 },
            "loss" => Observable::Loss,
            "sharpness" => Observable::Sharpness,
            name => Observable::Named { name: name.to_string() },
        }
    }

    /// Checks that the observable exists for `objective`; errors name `field` (or its `index` /
    /// `name`).
    pub fn validate(&self, objective: &dyn Objective, field: &str) -> Result<()> {
        let n = objective.dim();
        match self {
            Observable::Coordinate { index } if *index >= n => {
                Err(SpecError::new(format!("{field}.index"), format!("must be less than the objective's {n} parameters (got {index})")))
            }
            Observable::Sharpness if n > SHARPNESS_MAX_DIM => Err(SpecError::new(
                field,
                format!("the sharpness is sampled for objectives of at most {SHARPNESS_MAX_DIM} parameters (this one has {n})"),
            )),
            Observable::Named { name } => {
                let known: Vec<&str> = objective.named_observables(&objective.default_start()).into_iter().map(|(k, _)| k).collect();
                if known.contains(&name.as_str()) {
                    Ok(())
                } else {
                    Err(SpecError::new(
                        format!("{field}.name"),
                        format!(
                            "unknown observable `{name}`; this objective has \"coordinate\", \"loss\", \"sharpness\"{}",
                            known.iter().map(|k| format!(", \"{k}\"")).collect::<String>()
                        ),
                    ))
                }
            }
            _ => Ok(()),
        }
    }

    /// The observable at x (validated beforehand with [`Observable::validate`]); NaN for a named
    /// observable the objective lacks or a sharpness whose Hessian is not finite.
    pub fn value(&self, objective: &dyn Objective, x: &[f64]) -> f64 {
        match self {
            Observable::Coordinate { index } => x[*index],
            Observable::Loss => objective.value(x) - objective.min_value().unwrap_or(0.0),
            Observable::Sharpness => {
                HessianOperator::new(objective, x).and_then(|h| dense_top_k(&h, 1)).map_or(f64::NAN, |r| r.eigenvalues[0])
            }
            Observable::Named { name } => {
                objective.named_observables(x).into_iter().find_map(|(k, v)| (k == name).then_some(v)).unwrap_or(f64::NAN)
            }
        }
    }
}

/// Reads an observable from a word or a tagged object (use with
/// `#[serde(deserialize_with = "crate::scans::observable::deserialize")]`).
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Observable, D::Error> {
    struct Either;
    impl<'de> Visitor<'de> for Either {
        type Value = Observable;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a word (\"coordinate\", \"loss\", \"sharpness\" or a named observable) or an object with a \"kind\"")
        }
        fn visit_str<E: de::Error>(self, word: &str) -> std::result::Result<Observable, E> {
            Ok(Observable::from_word(word))
        }
        fn visit_map<M: MapAccess<'de>>(self, map: M) -> std::result::Result<Observable, M::Error> {
            Observable::deserialize(de::value::MapAccessDeserializer::new(map))
        }
    }
    deserializer.deserialize_any(Either)
}

/// A product of many positive factors kept as mantissa × 2^exponent, so that the mean of their
/// logarithms (a Lyapunov exponent) costs one multiplication per factor and one `libm::log` at
/// the end, never overflowing or underflowing along the way.
#[derive(Debug, Clone, Copy)]
pub struct LogProduct {
    mantissa: f64,
    exponent: i64,
}

impl Default for LogProduct {
    fn default() -> Self {
        Self { mantissa: 1.0, exponent: 0 }
    }
}

impl LogProduct {
    /// Multiplies by `factor` ≥ 0.
    #[inline]
    pub fn push(&mut self, factor: f64) {
        self.mantissa *= factor;
        // 2^±512: far from overflow and underflow for any factor a bounded run produces.
        if !(self.mantissa > 7.458340731200207e-155 && self.mantissa < 1.3407807929942597e154) {
            self.renormalise();
        }
    }

    #[cold]
    fn renormalise(&mut self) {
        if self.mantissa > 0.0 && self.mantissa.is_finite() {
            let (m, e) = libm::frexp(self.mantissa);
            self.mantissa = m;
            self.exponent += e as i64;
        }
    }

    /// The mean of the logarithms of `count` factors; `None` when a factor was 0 (the mean is
    /// −∞, as on a superstable orbit) or not finite.
    pub fn mean_log(&self, count: usize) -> Option<f64> {
        if !(self.mantissa > 0.0 && self.mantissa.is_finite()) || count == 0 {
            return None;
        }
        let (m, e) = libm::frexp(self.mantissa);
        Some((libm::log(m) + (e as i64 + self.exponent) as f64 * std::f64::consts::LN_2) / count as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::ObjectiveSpec;

    fn parse(text: &str) -> std::result::Result<Observable, serde_json::Error> {
        deserialize(&mut serde_json::Deserializer::from_str(text))
    }

    #[test]
    fn words_and_objects_name_the_same_observables() {
        assert_eq!(parse(r#""loss""#).unwrap(), Observable::Loss);
        assert_eq!(parse(r#""coordinate""#).unwrap(), Observable::Coordinate { index: 0 });
        assert_eq!(parse(r#"{"kind":"coordinate","index":1}"#).unwrap(), Observable::Coordinate { index: 1 });
        assert_eq!(parse(r#""balance""#).unwrap(), Observable::Named { name: "balance".into() });
        assert_eq!(parse(r#"{"kind":"named","name":"product"}"#).unwrap(), Observable::Named { name: "product".into() });
        assert!(parse(r#"{"kind":"coordinate","idx":1}"#).is_err());
        assert!(parse("3").is_err());
    }

    #[test]
    fn values_and_validation_on_the_bilinear_objective() {
        let f = ObjectiveSpec::new("two_factor", &[]).build().unwrap();
        let theta = [2.0, 0.5];
        let named = |n: &str| Observable::Named { name: n.into() };
        assert_eq!(named("product").value(&f, &theta), 1.0);
        assert_eq!(named("balance").value(&f, &theta), 3.75);
        assert_eq!(Observable::Loss.value(&f, &theta), 0.0);
        assert!((Observable::Sharpness.value(&f, &theta) - 4.25).abs() < 1e-12, "‖x‖² + ‖y‖² at a minimiser");
        assert_eq!(Observable::Coordinate { index: 1 }.value(&f, &theta), 0.5);
        assert_eq!(named("energy").validate(&f, "observable").unwrap_err().field, "observable.name");
        assert_eq!(Observable::Coordinate { index: 2 }.validate(&f, "observable").unwrap_err().field, "observable.index");
        let well = ObjectiveSpec::default().build().unwrap();
        assert_eq!(named("balance").validate(&well, "observable").unwrap_err().field, "observable.name");
        let big = ObjectiveSpec::new("mlp", &[]).build().unwrap();
        assert_eq!(Observable::Sharpness.validate(&big, "observable").unwrap_err().field, "observable");
    }

    #[test]
    fn log_product_survives_products_beyond_the_range_of_f64() {
        let mut p = LogProduct::default();
        for _ in 0..10_000 {
            p.push(1e10);
        }
        let mean = p.mean_log(10_000).unwrap();
        assert!((mean - libm::log(1e10)).abs() < 1e-12, "{mean}");
        let mut q = LogProduct::default();
        for _ in 0..10_000 {
            q.push(1e-10);
        }
        assert!((q.mean_log(10_000).unwrap() + libm::log(1e10)).abs() < 1e-12);
        q.push(0.0);
        assert_eq!(q.mean_log(10_001), None);
    }
}
