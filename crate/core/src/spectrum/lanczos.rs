//! Lanczos with full reorthogonalisation for the top-k algebraic eigenpairs (Golub & Van Loan,
//! *Matrix Computations*, 4th ed., §10.1: the Lanczos iteration, its tridiagonal Tₘ and the Ritz
//! residual ‖Hyᵢ − θᵢyᵢ‖ = |βₘ sₘᵢ|; §10.3.1: complete reorthogonalisation).
//!
//! Step j applies H to the Lanczos vector vⱼ and removes from the product its components along
//! *all* previous vectors by classical Gram–Schmidt done twice ("twice is enough": Parlett, *The
//! Symmetric Eigenvalue Problem*, ch. 6, after Kahan; Giraud, Langou & Rozložník, Comput. Math.
//! Appl. 50, 2005). The basis stays orthonormal to working precision, so no ghost copies of
//! converged eigenvalues appear. αⱼ is the removed component along vⱼ, βⱼ the norm of what is
//! left, vⱼ₊₁ = what is left / βⱼ.
//!
//! The Ritz pairs (θᵢ, yᵢ = Vₘsᵢ) come from nalgebra's `SymmetricEigen` of the small m × m
//! tridiagonal Tₘ; the estimate |βₘ sₘᵢ| of each residual costs no product. The top k are tested
//! after every step up to [`CHECK_EVERY_STEP_UP_TO`] steps and every ⌈m/16⌉ steps beyond (the
//! eigendecomposition of Tₘ costs O(m³)), and once all k estimates meet the tolerance, or the cap
//! or the dimension is reached, the k Ritz vectors are formed and their true residuals computed
//! with k more products. Those are what the report gives: `converged` means the true residuals
//! met the tolerance. (Should a true residual fail where its estimate passed, which round-off
//! alone can cause at a tolerance near [`super::MIN_TOL`], the report says so and stops.)
//!
//! * **Invariant subspaces.** If βⱼ ≤ [`INVARIANCE_TOL`]·‖Hvⱼ‖ the Krylov space is invariant: the
//!   coupling is dropped (an error of at most βⱼ in the Ritz values) and the next vector is a
//!   fresh seeded random vector orthogonalised against the basis. That is how exactly repeated
//!   eigenvalues are found (a Krylov space holds one vector per distinct eigenvalue). A
//!   near-degenerate pair is resolved like any other once the rest of the spectrum is filtered
//!   out (tested at a relative gap of 10⁻⁶), but an exactly repeated eigenvalue whose Krylov
//!   space never becomes invariant within the cap may be reported once.
//! * **Exact at m = n**: the basis then spans ℝⁿ and Tₙ is H in that basis.
//! * **Memory**: no restarting; m vectors of dimension n are kept, at most
//!   [`LANCZOS_MAX_BASIS_ENTRIES`] numbers, and m ≤ min(max_iter, n).
//! * **Warm start**: see [`super::WARM_START_PERTURBATION`].

use nalgebra::{DMatrix, SymmetricEigen};
use rand_chacha::ChaCha8Rng;

use super::operator::{Products, SymmetricOperator};
use super::start::{random_unit, start_vector};
use super::{dot, norm, residual_bound, residual_norm, Method, SpectrumOptions, SpectrumReport};
use crate::error::{Result, SpecError};
use crate::random::seeded;

/// Lanczos steps when the options give no cap (fewer when n, or the memory cap, is smaller).
pub const LANCZOS_DEFAULT_MAX_ITER: usize = 300;

/// Most numbers the Lanczos basis may hold (100 MB of f64): m · n ≤ 12.5 million, e.g. 300
/// vectors up to n ≈ 41,000, or 125 vectors of dimension 10⁵.
pub const LANCZOS_MAX_BASIS_ENTRIES: usize = 12_500_000;

/// Steps up to which the Ritz pairs are tested after every step.
pub const CHECK_EVERY_STEP_UP_TO: usize = 64;

/// βⱼ ≤ this times ‖Hvⱼ‖ marks an invariant subspace.
pub const INVARIANCE_TOL: f64 = 1e-12;

/// The `options.k` largest algebraic eigenpairs of `op` (descending) by Lanczos with full
/// reorthogonalisation (see the module documentation), from a seeded random start or from
/// `warm_start`. Reads `k`, `tol`, `max_iter` (default [`LANCZOS_DEFAULT_MAX_ITER`]; at most n
/// steps are ever taken) and `seed` of `options`. `hvps` counts the Lanczos steps plus the k
/// products of the final residual check.
pub fn lanczos_top_k<O: SymmetricOperator + ?Sized>(
    op: &O,
    options: &SpectrumOptions,
    warm_start: Option<&[f64]>,
) -> Result<SpectrumReport> {
    let n = op.dim();
    let options = SpectrumOptions { method: Method::Lanczos, ..*options };
    options.validate_for(n)?;
    let k = options.k;
    let max_steps = step_cap(n, k, options.max_iter)?;
    let mut rng = seeded(options.seed);
    let mut products = Products::new(op);
    let mut basis: Vec<Vec<f64>> = Vec::with_capacity(max_steps);
    let mut alpha: Vec<f64> = Vec::with_capacity(max_steps);
    let mut beta: Vec<f64> = Vec::with_capacity(max_steps);
    let mut v = start_vector(n, warm_start, &mut rng)?;
    let mut w = vec![0.0; n];
    let mut norm_estimate: f64 = 0.0;
    let mut last_check = 0;
    loop {
        products.apply(&v, &mut w)?;
        let product_norm = norm(&w);
        norm_estimate = norm_estimate.max(product_norm);
        basis.push(v);
        let m = basis.len();
        alpha.push(orthogonalise(&basis, &mut w));
        let b = norm(&w);
        let invariant = b <= INVARIANCE_TOL * product_norm;
        let exhausted = m == n || m == max_steps;
        let due = m <= CHECK_EVERY_STEP_UP_TO || m - last_check >= m.div_ceil(16);
        if m >= k && (exhausted || invariant || due) {
            last_check = m;
            let ritz = Ritz::of(&alpha, &beta, k)?;
            let estimates_pass = ritz
                .coefficients
                .iter()
                .zip(&ritz.values)
                .all(|(s, &theta)| (b * s[m - 1]).abs() <= residual_bound(options.tol, theta, norm_estimate.max(ritz.norm)));
            if exhausted || estimates_pass {
                return finish(ritz, &basis, products, options.tol, norm_estimate);
            }
        }
        if invariant {
            beta.push(0.0);
            v = fresh_direction(&basis, &mut rng);
        } else {
            beta.push(b);
            v = w.iter().map(|x| x / b).collect();
        }
    }
}

/// The number of steps allowed: min(max_iter or the default, n), within the memory cap.
fn step_cap(n: usize, k: usize, max_iter: Option<usize>) -> Result<usize> {
    let by_memory = LANCZOS_MAX_BASIS_ENTRIES / n;
    let steps = match max_iter {
        Some(max_iter) => {
            if max_iter < k {
                return Err(SpecError::new("sharpness.max_iter", format!("must be at least k = {k} (got {max_iter})")));
            }
            let steps = max_iter.min(n);
            if steps > by_memory {
                return Err(SpecError::new(
                    "sharpness.max_iter",
                    format!(
                        "{steps} Lanczos vectors of dimension {n} exceed the memory cap of \
                         {LANCZOS_MAX_BASIS_ENTRIES} numbers: use at most {by_memory}"
                    ),
                ));
            }
            steps
        }
        None => LANCZOS_DEFAULT_MAX_ITER.min(n).min(by_memory),
    };
    if steps < k {
        return Err(SpecError::new(
            "sharpness.k",
            format!("the memory cap allows only {steps} Lanczos vectors of dimension {n}, fewer than k = {k}"),
        ));
    }
    Ok(steps)
}

/// Classical Gram–Schmidt twice: removes from `w` its components along every vector of the
/// orthonormal `basis`, and returns the total component removed along the last one (αⱼ).
fn orthogonalise(basis: &[Vec<f64>], w: &mut [f64]) -> f64 {
    let mut last = 0.0;
    for _ in 0..2 {
        let coefficients: Vec<f64> = basis.iter().map(|q| dot(q, w)).collect();
        for (q, c) in basis.iter().zip(&coefficients) {
            w.iter_mut().zip(q).for_each(|(x, qi)| *x -= c * qi);
        }
        last += coefficients.last().copied().unwrap_or(0.0);
    }
    last
}

/// A seeded random unit vector orthogonal to `basis` (which spans less than ℝⁿ), to continue
/// after an invariant subspace. Draws again in the unlikely case that almost all of the draw
/// lies in the span of the basis.
fn fresh_direction(basis: &[Vec<f64>], rng: &mut ChaCha8Rng) -> Vec<f64> {
    let n = basis[0].len();
    loop {
        let mut r = random_unit(n, rng);
        orthogonalise(basis, &mut r);
        let length = norm(&r);
        if length > 0.01 / (n as f64).sqrt() {
            return r.into_iter().map(|x| x / length).collect();
        }
    }
}

/// The top-k Ritz values of Tₘ (descending), their eigenvectors sᵢ in the Lanczos basis, and
/// the largest |θ| over all m Ritz values (a lower bound of ‖H‖).
struct Ritz {
    values: Vec<f64>,
    coefficients: Vec<Vec<f64>>,
    norm: f64,
}

impl Ritz {
    fn of(alpha: &[f64], beta: &[f64], k: usize) -> Result<Self> {
        let m = alpha.len();
        let t = DMatrix::from_fn(m, m, |i, j| match i.abs_diff(j) {
            0 => alpha[i],
            1 => beta[i.min(j)],
            _ => 0.0,
        });
        // Unlimited sweeps never give up on a finite matrix; the iteration cap is only a guard.
        let eigen = SymmetricEigen::try_new(t, f64::EPSILON, 1000 * m).ok_or_else(|| {
            SpecError::new("sharpness", format!("the eigendecomposition of the {m} × {m} Lanczos matrix did not converge"))
        })?;
        let mut order: Vec<usize> = (0..m).collect();
        order.sort_by(|&a, &b| eigen.eigenvalues[b].total_cmp(&eigen.eigenvalues[a]));
        order.truncate(k);
        Ok(Self {
            values: order.iter().map(|&i| eigen.eigenvalues[i]).collect(),
            coefficients: order.iter().map(|&i| eigen.eigenvectors.column(i).iter().copied().collect()).collect(),
            norm: eigen.eigenvalues.amax(),
        })
    }
}

/// Forms the Ritz vectors yᵢ = Vₘsᵢ, measures their true residuals with one product each, and
/// reports.
fn finish<O: SymmetricOperator + ?Sized>(
    ritz: Ritz,
    basis: &[Vec<f64>],
    mut products: Products<'_, O>,
    tol: f64,
    norm_estimate: f64,
) -> Result<SpectrumReport> {
    let n = basis[0].len();
    let iterations = basis.len();
    let mut eigenvectors = Vec::with_capacity(ritz.values.len());
    let mut residuals = Vec::with_capacity(ritz.values.len());
    let mut converged = true;
    let mut hy = vec![0.0; n];
    for (s, &theta) in ritz.coefficients.iter().zip(&ritz.values) {
        let mut y = vec![0.0; n];
        for (q, c) in basis.iter().zip(s) {
            y.iter_mut().zip(q).for_each(|(yi, qi)| *yi += c * qi);
        }
        let length = norm(&y);
        y.iter_mut().for_each(|yi| *yi /= length);
        products.apply(&y, &mut hy)?;
        let residual = residual_norm(&hy, theta, &y);
        converged &= residual <= residual_bound(tol, theta, norm_estimate.max(ritz.norm));
        residuals.push(residual);
        eigenvectors.push(y);
    }
    Ok(SpectrumReport {
        method: Method::Lanczos,
        eigenvalues: ritz.values,
        eigenvectors,
        residuals,
        converged,
        iterations,
        hvps: products.count(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::known::{self, dense_with_spectrum, Counting, RotatedDiagonal, Spectrum};
    use super::super::{dense_top_k, SymmetricOperator};
    use super::*;

    fn options(k: usize) -> SpectrumOptions {
        SpectrumOptions { k, ..Default::default() }
    }

    /// Largest relative error of `found` against `truth`.
    fn worst_relative_error(found: &[f64], truth: &[f64]) -> f64 {
        assert_eq!(found.len(), truth.len());
        found.iter().zip(truth).map(|(f, t)| (f - t).abs() / t.abs()).fold(0.0, f64::max)
    }

    /// Runs Lanczos on a counted `op`, checks the report's own claims (hvps, unit vectors,
    /// residuals recomputed), and returns it.
    fn run<O: SymmetricOperator>(op: &O, options: &SpectrumOptions, warm: Option<&[f64]>) -> SpectrumReport {
        let counted = Counting::new(op);
        let r = lanczos_top_k(&counted, options, warm).unwrap();
        assert_eq!(r.hvps, counted.count());
        assert_eq!(r.hvps, r.iterations + options.k);
        let mut hy = vec![0.0; op.dim()];
        for ((y, &theta), &res) in r.eigenvectors.iter().zip(&r.eigenvalues).zip(&r.residuals) {
            assert!((norm(y) - 1.0).abs() < 1e-12);
            op.apply(y, &mut hy);
            assert!((residual_norm(&hy, theta, y) - res).abs() <= 1e-13 * (1.0 + theta.abs()));
        }
        assert!(r.eigenvalues.windows(2).all(|p| p[0] >= p[1]));
        r
    }

    #[test]
    fn top_5_of_dense_operators_within_1e_8_for_every_spectrum() {
        for n in [2, 3, 5, 10, 50, 300] {
            let q = known::random_orthogonal(n, 100 + n as u64);
            for spectrum in Spectrum::ALL {
                let eigenvalues = spectrum.eigenvalues(n);
                let h = known::with_spectrum(&q, &eigenvalues);
                let k = n.min(5);
                let r = run(&h, &options(k), None);
                let err = worst_relative_error(&r.eigenvalues, &known::top(&eigenvalues, k));
                assert!(r.converged, "{spectrum:?} n = {n}: {:?}", r.residuals);
                assert!(err < 1e-8, "{spectrum:?} n = {n}: relative error {err:e}");
                println!("{spectrum:?} n = {n}: {} steps, error {err:.1e}", r.iterations);
            }
        }
    }

    #[test]
    fn top_5_of_matrix_free_operators_of_dimension_10_000() {
        let n = 10_000;
        for spectrum in Spectrum::ALL {
            let eigenvalues = spectrum.eigenvalues(n);
            let op = RotatedDiagonal::new(&eigenvalues, 7);
            let r = run(&op, &options(5), None);
            let err = worst_relative_error(&r.eigenvalues, &known::top(&eigenvalues, 5));
            println!("{spectrum:?} n = {n}: converged {} in {} steps, error {err:.1e}", r.converged, r.iterations);
            assert!(r.converged, "{spectrum:?}: {:?}", r.residuals);
            assert!(err < 1e-8, "{spectrum:?}: relative error {err:e}");
            // The eigenvectors too: |⟨y, u⟩| ≈ 1 for the well separated top.
            if spectrum == Spectrum::WellSeparated {
                for i in 0..5 {
                    let overlap = dot(&r.eigenvectors[i], &op.eigenvector(i)).abs();
                    assert!(1.0 - overlap < 1e-10, "eigenvector {i}: overlap {overlap}");
                }
            }
        }
    }

    #[test]
    fn a_too_small_cap_is_reported_as_not_converged() {
        let eigenvalues = Spectrum::NegativeDominant.eigenvalues(2_000);
        let op = RotatedDiagonal::new(&eigenvalues, 3);
        let r = run(&op, &SpectrumOptions { k: 3, max_iter: Some(12), ..Default::default() }, None);
        assert!(!r.converged);
        assert_eq!((r.iterations, r.hvps), (12, 15));
        let worst = r.residuals.iter().zip(&r.eigenvalues).map(|(res, l)| res / l.abs()).fold(0.0, f64::max);
        assert!(worst > 1e-10, "{r:?}");
    }

    #[test]
    fn finds_repeated_eigenvalues_through_invariant_subspaces() {
        // diag(3, 2, 1, …, 1): the first Krylov space is invariant after 3 steps.
        let mut d = vec![1.0; 40];
        d[0] = 3.0;
        d[1] = 2.0;
        let h = nalgebra::DMatrix::from_diagonal(&nalgebra::DVector::from_vec(d));
        let r = run(&h, &options(5), None);
        assert!(r.converged);
        assert!(worst_relative_error(&r.eigenvalues, &[3.0, 2.0, 1.0, 1.0, 1.0]) < 1e-14, "{:?}", r.eigenvalues);
        let gram: Vec<f64> = (0..5)
            .flat_map(|i| (0..5).map(move |j| (i, j)))
            .map(|(i, j)| dot(&r.eigenvectors[i], &r.eigenvectors[j]) - if i == j { 1.0 } else { 0.0 })
            .collect();
        assert!(gram.iter().all(|g| g.abs() < 1e-12));
        // The identity and the zero operator.
        let r = run(&nalgebra::DMatrix::<f64>::identity(20, 20), &options(5), None);
        assert!(r.converged && r.eigenvalues.iter().all(|&l| (l - 1.0).abs() < 1e-15));
        let r = run(&nalgebra::DMatrix::<f64>::zeros(6, 6), &options(2), None);
        assert!(r.converged && r.eigenvalues == [0.0, 0.0]);
    }

    #[test]
    fn agrees_with_dense_on_a_hessian_and_is_deterministic() {
        let eigenvalues = Spectrum::Clustered.eigenvalues(120);
        let h = dense_with_spectrum(&eigenvalues, 1);
        let a = lanczos_top_k(&h, &options(5), None).unwrap();
        assert_eq!(lanczos_top_k(&h, &options(5), None).unwrap(), a);
        let d = dense_top_k(&h, 5).unwrap();
        assert!(worst_relative_error(&a.eigenvalues, &d.eigenvalues) < 1e-10);
        let b = lanczos_top_k(&h, &SpectrumOptions { seed: 1, ..options(5) }, None).unwrap();
        assert_ne!(a.eigenvectors, b.eigenvectors);
    }

    #[test]
    fn a_warm_start_from_a_nearby_operator_takes_at_most_half_the_products() {
        let n = 300;
        let q = known::random_orthogonal(n, 11);
        // A seeded random unit direction.
        let g = crate::spectrum::start::random_unit(n, &mut crate::random::seeded(12));
        for spectrum in [Spectrum::WellSeparated, Spectrum::NegativeDominant, Spectrum::AllNegative] {
            let eigenvalues = spectrum.eigenvalues(n);
            let top = eigenvalues[0];
            let h = known::with_spectrum(&q, &eigenvalues);
            // The nearby operator R·H·R, R the reflection exchanging the top eigenvector u of H
            // with u′ = (u + 10⁻⁶g)/‖·‖ for a unit g: ‖RHR − H‖ ≈ 2·10⁻⁶‖H‖, and its top eigenvector is u′.
            let u: Vec<f64> = q.column(0).iter().copied().collect();
            let warm: Vec<f64> = {
                let w: Vec<f64> = u.iter().zip(&g).map(|(a, b)| a + 1e-6 * b).collect();
                let l = norm(&w);
                w.into_iter().map(|x| x / l).collect()
            };
            let cold = run(&h, &options(1), None);
            let warmed = run(&h, &options(1), Some(&warm));
            println!("{spectrum:?} n = {n}: cold start {} products, warm start {}", cold.hvps, warmed.hvps);
            assert!(cold.converged && warmed.converged);
            for r in [&cold, &warmed] {
                assert!((r.eigenvalues[0] - top).abs() < 1e-9 * top.abs(), "{spectrum:?}: {}", r.eigenvalues[0]);
            }
            assert!(2 * warmed.hvps <= cold.hvps, "{spectrum:?}: warm {} vs cold {}", warmed.hvps, cold.hvps);
            // A warm start that is exactly the eigenvector of the third eigenvalue still finds
            // the top: the perturbation puts the top eigenvector in the Krylov space.
            let third: Vec<f64> = q.column(2).iter().copied().collect();
            let r = run(&h, &options(1), Some(&third));
            assert!(r.converged && (r.eigenvalues[0] - top).abs() < 1e-9 * top.abs(), "{:?}", r.eigenvalues);
        }
    }

    #[test]
    fn refuses_caps_it_cannot_honour() {
        let op = RotatedDiagonal::new(&Spectrum::WellSeparated.eigenvalues(100), 1);
        let e = lanczos_top_k(&op, &SpectrumOptions { k: 5, max_iter: Some(4), ..Default::default() }, None);
        assert_eq!(e.unwrap_err().field, "sharpness.max_iter");
        let big = crate::spectrum::FnOperator::new(1_000_000, |v: &[f64], out: &mut [f64]| out.copy_from_slice(v));
        let e = lanczos_top_k(&big, &SpectrumOptions { max_iter: Some(100), ..Default::default() }, None);
        assert_eq!(e.unwrap_err().field, "sharpness.max_iter");
        assert_eq!(step_cap(1_000_000, 1, None).unwrap(), 12);
        assert_eq!(step_cap(50, 1, Some(10_000)).unwrap(), 50);
    }
}
