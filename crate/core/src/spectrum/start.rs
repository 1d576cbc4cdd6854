//! Start vectors of the iterative estimators: seeded random, or warm (a previous eigenvector plus
//! a small seeded perturbation).

use rand_chacha::ChaCha8Rng;

use super::norm;
use crate::error::{Result, SpecError};
use crate::random::normals;

/// Relative size of the seeded random vector added to a warm start. A Krylov space grown from an
/// exact eigenvector is invariant after one step and holds nothing else; the perturbation gives
/// every eigenvector a component, so that the top k are all reachable and an eigenvector of a
/// lower eigenvalue cannot pass for the top one. It also bounds what a warm start can save: the
/// start is never closer than about 10⁻⁶ to the warm vector's direction.
pub const WARM_START_PERTURBATION: f64 = 1e-6;

/// A unit vector uniformly distributed on the sphere (normalised standard normal draws): every
/// eigenvector gets a nonzero component with probability 1, whatever the basis.
pub(super) fn random_unit(n: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
    loop {
        let v = normals(rng, n);
        let norm = norm(&v);
        // An all-zero draw has probability 0 (but floats are finite): draw again, never divide
        // by zero.
        if norm > 0.0 {
            return v.into_iter().map(|x| x / norm).collect();
        }
    }
}

/// The start vector: `warm` normalised plus [`WARM_START_PERTURBATION`] times a random unit
/// vector, renormalised; or a random unit vector when there is no warm start. A warm vector must
/// have n finite components, not all zero (error field `sharpness.warm_start`).
pub(super) fn start_vector(n: usize, warm: Option<&[f64]>, rng: &mut ChaCha8Rng) -> Result<Vec<f64>> {
    let random = random_unit(n, rng);
    let Some(warm) = warm else { return Ok(random) };
    let field = "sharpness.warm_start";
    if warm.len() != n {
        return Err(SpecError::new(field, format!("must have the Hessian's dimension {n} (got {})", warm.len())));
    }
    let warm_norm = norm(warm);
    if !warm_norm.is_finite() {
        return Err(SpecError::new(field, "must have finite components (and a finite norm)"));
    }
    if warm_norm == 0.0 {
        return Err(SpecError::new(field, "must not be the zero vector"));
    }
    let v: Vec<f64> = warm.iter().zip(&random).map(|(w, r)| w / warm_norm + WARM_START_PERTURBATION * r).collect();
    let norm = norm(&v);
    Ok(v.into_iter().map(|x| x / norm).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::seeded;

    #[test]
    fn starts_are_seeded_unit_vectors_and_warm_starts_stay_close() {
        let draw = |seed| random_unit(50, &mut seeded(seed));
        assert_eq!(draw(3), draw(3));
        assert_ne!(draw(3), draw(4));
        assert!((norm(&draw(3)) - 1.0).abs() < 1e-15);

        let mut e1 = vec![0.0; 50];
        e1[0] = 4.0;
        let v = start_vector(50, Some(&e1), &mut seeded(0)).unwrap();
        assert!((norm(&v) - 1.0).abs() < 1e-15);
        assert!(1.0 - v[0] < 1e-11 && v[1..].iter().all(|x| x.abs() <= WARM_START_PERTURBATION && *x != 0.0));

        let field = |w: &[f64]| start_vector(2, Some(w), &mut seeded(0)).unwrap_err().field;
        assert_eq!(field(&[1.0]), "sharpness.warm_start");
        assert_eq!(field(&[0.0, 0.0]), "sharpness.warm_start");
        assert_eq!(field(&[f64::INFINITY, 0.0]), "sharpness.warm_start");
    }
}
