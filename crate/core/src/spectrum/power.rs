//! Shifted power iteration for the largest *algebraic* eigenvalue (Golub & Van Loan, *Matrix
//! Computations*, 4th ed., §8.2: power iteration, shifts).
//!
//! Plain power iteration finds the eigenvalue of largest magnitude, which for a Hessian with a
//! strongly negative direction (a saddle, or the far side of a well) is the bottom of the
//! spectrum, not the sharpness. The arrangement here:
//! 1. [`NORM_ESTIMATE_STEPS`] steps on H itself estimate ρ̂ = max ‖Hv‖ ≤ ‖H‖ over unit v seen.
//! 2. From the start vector again, iterate on H + σI with σ = ρ̂. Its eigenvalues are λᵢ + σ; the
//!    top one, λ_max + σ, dominates whenever σ > −(λ_max + λ_min)/2, which ρ̂ ≈ ‖H‖ satisfies.
//! 3. Every step tests the Rayleigh pair (λ = vᵀHv, v) of H on its residual. A converged pair is
//!    the dominant eigenpair of H + σI. If λ + σ ≥ 0 (up to the residual bound) it is the top of
//!    H and is returned. If λ + σ < 0 the dominant one was the bottom, λ = λ_min (the shift was
//!    too small, or step 1 itself converged to a dominant negative eigenvalue): set σ = −λ_min,
//!    so that H + σI ⪰ 0 and its dominant eigenvalue is λ_max + σ, and start again.
//!
//! The error contracts by max(λ₂ + σ, |λ_min + σ|)/(λ_max + σ) per step, which the shift brings
//! close to 1 when the bottom is far below the top (top 1, next 0.5, bottom −50: about 0.99, some
//! thousands of steps); [`super::lanczos_top_k`] needs far fewer. As every estimator from a random
//! start, it assumes the start has a component along the top eigenvector (probability 1).

use serde::{Deserialize, Serialize};

use super::operator::{Products, SymmetricOperator};
use super::start::{random_unit, start_vector};
use super::{dot, norm, residual_bound, residual_norm, Method, SpectrumOptions};
use crate::error::Result;
use crate::random::seeded;

/// Iteration cap of [`power_top`] when the options give none.
pub const POWER_DEFAULT_MAX_ITER: usize = 10_000;

/// Unshifted steps that estimate ‖H‖ before the shift σ is set.
pub const NORM_ESTIMATE_STEPS: usize = 10;

/// What [`power_top`] found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PowerReport {
    /// The Rayleigh quotient vᵀHv of the last iterate: the top eigenvalue when `converged`.
    pub eigenvalue: f64,
    /// The last iterate v (unit).
    pub eigenvector: Vec<f64>,
    /// ‖Hv − λv‖ for that v and λ.
    pub residual: f64,
    /// Whether the residual met the tolerance with λ + σ ≥ 0, i.e. at the top of the spectrum.
    pub converged: bool,
    /// Steps taken, over all phases (one product each).
    pub iterations: usize,
    /// Operator applications: equal to `iterations`.
    pub hvps: usize,
    /// The final shift σ.
    pub shift: f64,
}

/// The largest algebraic eigenvalue of `op` and its eigenvector by shifted power iteration (see
/// the module documentation), from a seeded random start or from `warm_start` (see
/// [`super::WARM_START_PERTURBATION`]). Reads `k` (must be 1), `tol`, `max_iter` (default
/// [`POWER_DEFAULT_MAX_ITER`]) and `seed` of `options`. When the cap is reached first, the last
/// iterate is returned with `converged: false` and its residual.
pub fn power_top<O: SymmetricOperator + ?Sized>(op: &O, options: &SpectrumOptions, warm_start: Option<&[f64]>) -> Result<PowerReport> {
    let n = op.dim();
    let options = SpectrumOptions { method: Method::Power, ..*options };
    options.validate_for(n)?;
    let max_iter = options.max_iter.unwrap_or(POWER_DEFAULT_MAX_ITER);
    let mut rng = seeded(options.seed);
    let start = start_vector(n, warm_start, &mut rng)?;
    let mut products = Products::new(op);
    let mut v = start.clone();
    let mut hv = vec![0.0; n];
    let mut shift = 0.0;
    let mut norm_estimate: f64 = 0.0;
    loop {
        products.apply(&v, &mut hv)?;
        let step = products.count();
        norm_estimate = norm_estimate.max(norm(&hv));
        let lambda = dot(&v, &hv);
        let residual = residual_norm(&hv, lambda, &v);
        let bound = residual_bound(options.tol, lambda, norm_estimate);
        let converged = residual <= bound;
        // λ + σ may fall below 0 by round-off when λ is the top and all eigenvalues are equal.
        let at_top = converged && lambda + shift >= -bound;
        if at_top || step == max_iter {
            return Ok(PowerReport {
                eigenvalue: lambda,
                eigenvector: v,
                residual,
                converged: at_top,
                iterations: step,
                hvps: step,
                shift,
            });
        }
        if converged {
            // The dominant eigenvalue of H + σI was negative: λ is the bottom of H.
            shift = -lambda;
            v.copy_from_slice(&start);
        } else if step == NORM_ESTIMATE_STEPS && shift == 0.0 {
            shift = norm_estimate;
            v.copy_from_slice(&start);
        } else {
            hv.iter_mut().zip(&v).for_each(|(h, x)| *h += shift * x);
            let length = norm(&hv);
            if length > 0.0 {
                v.iter_mut().zip(&hv).for_each(|(x, h)| *x = h / length);
            } else {
                // v was an exact eigenvector of H + σI with eigenvalue 0: nothing left to
                // iterate on, so draw a fresh start.
                v = random_unit(n, &mut rng);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::known::{dense_with_spectrum, Counting, RotatedDiagonal};
    use super::*;
    use nalgebra::DMatrix;

    fn options(max_iter: Option<usize>) -> SpectrumOptions {
        SpectrumOptions { method: Method::Power, max_iter, ..Default::default() }
    }

    /// Spectrum with `top` first, then `rest`, padded with a bulk over [lo, hi] to dimension 50.
    fn spectrum(head: &[f64], lo: f64, hi: f64) -> Vec<f64> {
        let m = 50 - head.len();
        head.iter().copied().chain((0..m).map(|i| lo + (hi - lo) * i as f64 / m as f64)).collect()
    }

    #[test]
    fn returns_the_algebraic_top_not_the_magnitude_top() {
        // (spectrum, top): the magnitude top is −50 in the first two and ±1 tie in the third.
        let cases = [
            (spectrum(&[1.0, 0.5, -50.0], -1.0, 0.4), 1.0),
            (spectrum(&[-1.0, -1.5, -50.0], -10.0, -2.0), -1.0),
            (spectrum(&[1.0, -1.0], -0.5, 0.5), 1.0),
            (spectrum(&[10.0, 8.0], -1.0, 3.0), 10.0),
        ];
        for (eigenvalues, top) in cases {
            let h = dense_with_spectrum(&eigenvalues, 5);
            let r = power_top(&h, &options(None), None).unwrap();
            assert!(r.converged, "{top}: {r:?}");
            assert!((r.eigenvalue - top).abs() <= 1e-8 * top.abs(), "{top}: got {}", r.eigenvalue);
            assert!(r.residual <= 1e-10 * top.abs());
            // The eigenvector is the top one: H v ≈ top · v.
            let hv = &h * nalgebra::DVector::from_column_slice(&r.eigenvector);
            assert!((hv.dot(&nalgebra::DVector::from_column_slice(&r.eigenvector)) - top).abs() < 1e-8);
            println!("power top {top}: {} steps, shift {}", r.iterations, r.shift);
        }
    }

    #[test]
    fn shifts_again_when_the_first_pass_converged_to_a_dominant_negative_eigenvalue() {
        // Unshifted steps converge to −100 within the first few steps (ratio 0.01).
        let h = DMatrix::from_diagonal(&nalgebra::DVector::from_column_slice(&[-100.0, 1.0, 0.5]));
        let r = power_top(&h, &options(None), None).unwrap();
        assert!(r.converged && (r.eigenvalue - 1.0).abs() < 1e-9, "{r:?}");
        assert!((r.shift - 100.0).abs() < 1e-6, "{r:?}");
    }

    #[test]
    fn scalar_zero_and_negative_identity_operators() {
        let r = power_top(&DMatrix::from_element(1, 1, 2.5), &options(None), None).unwrap();
        assert_eq!((r.eigenvalue, r.converged, r.hvps), (2.5, true, 1));
        let r = power_top(&DMatrix::<f64>::zeros(4, 4), &options(None), None).unwrap();
        assert_eq!((r.eigenvalue, r.residual, r.converged), (0.0, 0.0, true));
        let r = power_top(&(DMatrix::<f64>::identity(4, 4) * -3.0), &options(None), None).unwrap();
        assert!(r.converged && (r.eigenvalue + 3.0).abs() < 1e-14, "{r:?}");
    }

    #[test]
    fn a_too_small_cap_is_reported_as_not_converged() {
        let eigenvalues = spectrum(&[1.0, 0.9, -50.0], -1.0, 0.5);
        let op = Counting::new(RotatedDiagonal::new(&eigenvalues, 2));
        let r = power_top(&op, &options(Some(40)), None).unwrap();
        assert!(!r.converged);
        assert_eq!((r.iterations, r.hvps, op.count()), (40, 40, 40));
        assert!(r.residual > 1e-10 * r.eigenvalue.abs(), "{r:?}");
        let hv = {
            let mut out = vec![0.0; 50];
            op.apply(&r.eigenvector, &mut out);
            out
        };
        assert!((residual_norm(&hv, r.eigenvalue, &r.eigenvector) - r.residual).abs() < 1e-12);
    }

    #[test]
    fn counts_every_product_and_is_deterministic() {
        let eigenvalues = spectrum(&[3.0, 2.0, -7.0], -1.0, 1.0);
        let op = Counting::new(RotatedDiagonal::new(&eigenvalues, 4));
        let a = power_top(&op, &options(None), None).unwrap();
        assert_eq!(a.hvps, op.count());
        assert!(a.converged && (a.eigenvalue - 3.0).abs() < 1e-9);
        assert_eq!(power_top(&op, &options(None), None).unwrap(), a);
    }
}
