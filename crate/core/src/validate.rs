//! Range checks shared by every spec: each returns a [`SpecError`] naming the field.

use crate::error::{Result, SpecError};

/// `value` must be finite and lie in `[min, max]`.
pub fn finite_in(field: &str, value: f64, min: f64, max: f64) -> Result<f64> {
    if !value.is_finite() {
        return Err(SpecError::new(field, format!("must be a finite number (got {value})")));
    }
    if value < min || value > max {
        return Err(SpecError::new(field, format!("must lie in [{min}, {max}] (got {value})")));
    }
    Ok(value)
}

/// `value` must be finite, strictly positive and at most `max`.
pub fn positive_up_to(field: &str, value: f64, max: f64) -> Result<f64> {
    if !value.is_finite() {
        return Err(SpecError::new(field, format!("must be a finite number (got {value})")));
    }
    if value <= 0.0 || value > max {
        return Err(SpecError::new(field, format!("must be > 0 and at most {max} (got {value})")));
    }
    Ok(value)
}

/// A count must lie in `[min, max]`; `max` is a documented cap.
pub fn count_in(field: &str, value: usize, min: usize, max: usize) -> Result<usize> {
    if value < min || value > max {
        return Err(SpecError::new(field, format!("must be between {min} and {max} (got {value})")));
    }
    Ok(value)
}

/// The product of counts as u64, saturating: limits on total work compare against it, so they
/// hold on wasm32 too, where `usize` has 32 bits and a product of counts could wrap.
pub fn work(factors: &[usize]) -> u64 {
    factors.iter().fold(1u64, |acc, &f| acc.saturating_mul(f as u64))
}

/// A point must have the objective's dimension and finite coordinates of magnitude at most `max`.
pub fn point(field: &str, x: &[f64], dim: usize, max: f64) -> Result<()> {
    if x.len() != dim {
        return Err(SpecError::new(field, format!("must have {dim} coordinate{} (got {})", if dim == 1 { "" } else { "s" }, x.len())));
    }
    for (i, &v) in x.iter().enumerate() {
        finite_in(&format!("{field}[{i}]"), v, -max, max)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_non_finite_and_out_of_range_naming_the_field() {
        let e = positive_up_to("eta", f64::NAN, 10.0).unwrap_err();
        assert_eq!(e.field, "eta");
        assert!(e.message.contains("finite"), "{e}");
        assert_eq!(positive_up_to("eta", 0.0, 10.0).unwrap_err().field, "eta");
        assert_eq!(positive_up_to("eta", -1.0, 10.0).unwrap_err().field, "eta");
        assert_eq!(positive_up_to("eta", f64::INFINITY, 10.0).unwrap_err().field, "eta");
        assert_eq!(positive_up_to("eta", 0.5, 10.0).unwrap(), 0.5);
        assert_eq!(count_in("steps", 0, 1, 5).unwrap_err().field, "steps");
        assert_eq!(point("x0", &[1.0, f64::NAN], 2, 1e6).unwrap_err().field, "x0[1]");
        assert_eq!(point("x0", &[1.0], 2, 1e6).unwrap_err().field, "x0");
    }
}
