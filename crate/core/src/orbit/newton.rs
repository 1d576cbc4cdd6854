//! Newton's method for period-p orbits of the GD map G(x) = x − η∇f(x): the zeros of
//! F(x) = Gᵖ(x) − x (Chen & Bruna, paper 002, Def. 2: for p = 2 the fixed points of the two-step
//! map G∘G), and the multipliers of an orbit.
//!
//! By the chain rule F's Jacobian is the product of the one-step Jacobians along the orbit minus
//! the identity, DF(x₀) = DG(x_{p−1})⋯DG(x₀) − I, with DG = I − η∇²f exact (dense Hessians from
//! Hessian-vector products). The Newton step Δ solves DF·Δ = F with the smallest norm, from a
//! singular value decomposition in which singular values below [`RANK_TOL`] times the largest
//! count as zero. Where orbits come in families — along a set of minimisers, or through a
//! symmetry of the objective such as X → XQ, Y → YQ of matrix factorisation — DF is singular
//! along the family, an LU solve fails or jumps, and the minimum-norm step moves across the
//! family only, towards its nearest member.
//!
//! With a line search the step is halved (at most [`MAX_HALVINGS`] times) until the residual
//! ‖F‖ falls by the Armijo fraction 10⁻⁴·t of the step length t taken, and points whose orbit
//! leaves the bounded region are refused; without it every full step is taken.
//!
//! The multipliers of an orbit are the eigenvalues of the product M = DG(x_{p−1})⋯DG(x₀) (the
//! derivative of Gᵖ at x₀; cyclic shifts of the product share them, so every point of the orbit
//! gives the same ones). The orbit attracts when all lie inside the unit circle.

use nalgebra::{Complex, DMatrix, DVector};
use serde::{Deserialize, Serialize};

use super::period::{distance, norm, Repeat};
use crate::objective::Objective;
use crate::optimizer::gd::{has_diverged, GdMap};

/// Singular values of DF below this fraction of the largest are treated as zero in the Newton
/// step (directions along a family of orbits).
pub const RANK_TOL: f64 = 1e-10;
/// Most halvings of a Newton step in the line search.
pub const MAX_HALVINGS: usize = 30;
/// Most QR sweeps of the Schur decomposition behind the multipliers, and of the SVD behind a
/// Newton step (nalgebra's default is unlimited, and a repeated eigenvalue 1 — a set of
/// minimisers — can keep the Schur iteration from converging).
pub const SCHUR_MAX_ITER: usize = 10_000;

/// The deflation tolerances, in ulps, tried in turn by [`multipliers`]: an eigenvalue is then
/// accurate to about that many ulps of the matrix's norm, far below [`super::periodic::NEUTRAL_TOL`].
pub const DEFLATION_ULPS: [f64; 4] = [1.0, 64.0, 4096.0, 262_144.0];

/// How Newton's method is run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewtonOptions {
    /// Most Newton steps.
    pub max_iter: usize,
    /// Converged when ‖Gᵖ(x) − x‖ ≤ tol·(1 + ‖x‖).
    pub tol: f64,
    /// Halve steps until the residual decreases (else take every full step).
    pub line_search: bool,
}

/// Why Newton's method stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    /// The residual met the tolerance.
    Converged,
    /// The iteration cap was reached first.
    MaxIter,
    /// No step (down to 2⁻³⁰ of a Newton step) decreased the residual, or the step could not be
    /// computed.
    Stalled,
    /// A full step (no line search) left the bounded region of [`crate::limits::DIVERGENCE_RADIUS`].
    Diverged,
}

/// Where Newton's method ended: the last accepted iterate x₀ and its orbit.
#[derive(Debug, Clone, PartialEq)]
pub struct NewtonReport {
    /// x₀, G(x₀), …, Gᵖ⁻¹(x₀).
    pub orbit: Vec<Vec<f64>>,
    /// ‖Gᵖ(x₀) − x₀‖.
    pub residual: f64,
    /// Newton steps taken.
    pub iterations: usize,
    /// Why it stopped.
    pub stop: Stop,
}

/// Newton's method on Gᵖ(x) = x from `start`; `None` when the orbit of `start` itself leaves the
/// bounded region within p steps.
pub fn solve<O: Objective + ?Sized>(map: &mut GdMap<'_, O>, start: &[f64], p: usize, options: &NewtonOptions) -> Option<NewtonReport> {
    let mut x = start.to_vec();
    let (mut orbit, mut f) = return_map(map, &x, p)?;
    let mut residual = norm(&f);
    let done = |orbit, residual, iterations, stop| Some(NewtonReport { orbit, residual, iterations, stop });
    for iterations in 0..options.max_iter {
        if residual <= options.tol * (1.0 + norm(&x)) {
            return done(orbit, residual, iterations, Stop::Converged);
        }
        let jacobian = orbit_jacobian(map, &orbit) - DMatrix::identity(x.len(), x.len());
        let Some(delta) = min_norm_solve(jacobian, &f) else { return done(orbit, residual, iterations, Stop::Stalled) };
        let mut t = 1.0;
        let accepted = loop {
            let candidate: Vec<f64> = x.iter().zip(delta.iter()).map(|(xi, di)| xi - t * di).collect();
            let trial = (!has_diverged(&candidate)).then(|| return_map(map, &candidate, p)).flatten();
            match trial {
                Some((o, g)) if !options.line_search || norm(&g) <= (1.0 - 1e-4 * t) * residual => break Some((candidate, o, g)),
                None if !options.line_search => return done(orbit, residual, iterations, Stop::Diverged),
                _ => {}
            }
            t /= 2.0;
            if t < libm::ldexp(1.0, -(MAX_HALVINGS as i32)) {
                break None;
            }
        };
        let Some((candidate, o, g)) = accepted else { return done(orbit, residual, iterations, Stop::Stalled) };
        (x, orbit, f) = (candidate, o, g);
        residual = norm(&f);
    }
    let stop = if residual <= options.tol * (1.0 + norm(&x)) { Stop::Converged } else { Stop::MaxIter };
    done(orbit, residual, options.max_iter, stop)
}

/// The refinement behind attractor classification and onset continuation: full Newton steps from
/// `start`, at most 50, until the residual is at rounding level (10⁻¹⁴·(1 + ‖x‖), or 10⁻¹¹ once
/// the steps are spent, where rounding keeps it just above); the orbit, or `None`.
pub(crate) fn refine<O: Objective + ?Sized>(map: &mut GdMap<'_, O>, start: &[f64], p: usize) -> Option<Vec<Vec<f64>>> {
    let options = NewtonOptions { max_iter: 50, tol: 1e-14, line_search: false };
    let report = solve(map, start, p, &options)?;
    let settled = report.stop == Stop::MaxIter && report.residual <= 1e-11 * (1.0 + norm(&report.orbit[0]));
    (report.stop == Stop::Converged || settled).then_some(report.orbit)
}

/// The orbit x, G(x), …, Gᵖ⁻¹(x) and Gᵖ(x) − x, or `None` if it leaves the bounded region.
fn return_map<O: Objective + ?Sized>(map: &mut GdMap<'_, O>, x: &[f64], p: usize) -> Option<(Vec<Vec<f64>>, Vec<f64>)> {
    let mut orbit = Vec::with_capacity(p);
    let mut y = x.to_vec();
    for _ in 0..p {
        orbit.push(y.clone());
        if !map.try_step(&mut y) {
            return None;
        }
    }
    let f = y.iter().zip(x).map(|(a, b)| a - b).collect();
    Some((orbit, f))
}

/// The smallest-norm least-squares solution of A·Δ = b, singular values below [`RANK_TOL`]·σ_max
/// dropped; `None` if A is not finite or its SVD does not converge.
fn min_norm_solve(a: DMatrix<f64>, b: &[f64]) -> Option<DVector<f64>> {
    if a.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let svd = nalgebra::SVD::try_new(a, true, true, f64::EPSILON, SCHUR_MAX_ITER)?;
    let cutoff = RANK_TOL * svd.singular_values.max();
    svd.solve(&DVector::from_column_slice(b), cutoff).ok()
}

/// D(Gᵖ) at orbit[0]: the product DG(orbit[p−1]) ⋯ DG(orbit[0]).
pub(crate) fn orbit_jacobian<O: Objective + ?Sized>(map: &GdMap<'_, O>, orbit: &[Vec<f64>]) -> DMatrix<f64> {
    let n = orbit[0].len();
    orbit.iter().fold(DMatrix::identity(n, n), |acc, x| map.jacobian(x) * acc)
}

/// The eigenvalues of D(Gᵖ) = `m`, by decreasing modulus: for a period-1 orbit (`symmetric`) the
/// Jacobian I − η∇²f is symmetric and they come from the symmetric solver; for a product, from a
/// Schur decomposition capped at [`SCHUR_MAX_ITER`] sweeps, whose deflation test
/// |h_{i+1,i}| ≤ ε(|h_ii| + |h_{i+1,i+1}|) is retried with the larger ε of [`DEFLATION_ULPS`] when
/// it fails (as it does on matrix factorisation's orbits, whose many multipliers equal to 1 the QR
/// sweeps cannot separate to one ulp); `None` if none converges.
pub fn multipliers(m: &DMatrix<f64>, symmetric: bool) -> Option<Vec<Complex<f64>>> {
    let mut values: Vec<Complex<f64>> = if m.nrows() == 1 {
        vec![Complex::new(m[(0, 0)], 0.0)]
    } else if symmetric {
        m.clone().symmetric_eigenvalues().iter().map(|&v| Complex::new(v, 0.0)).collect()
    } else {
        let schur = DEFLATION_ULPS.iter().find_map(|&ulps| m.clone().try_schur(ulps * f64::EPSILON, SCHUR_MAX_ITER))?;
        schur.complex_eigenvalues().iter().copied().collect()
    };
    values.sort_by(|a, b| b.norm().total_cmp(&a.norm()));
    Some(values)
}

/// The smallest d dividing p with `orbit[d] = orbit[0]` (to 10⁻⁹·(1 + ‖`orbit[0]`‖)), i.e. the
/// orbit's true period.
pub fn minimal_period(orbit: &[Vec<f64>]) -> usize {
    let p = orbit.len();
    let scale = 1.0 + norm(&orbit[0]);
    let returns = Repeat { distance: |a: &&[f64], b: &&[f64]| distance(a, b), tolerance: |_: &&[f64]| 1e-9 * scale };
    returns.smallest_period((1..p).filter(|&d| p.is_multiple_of(d)), |_| 1, |i| orbit[i].as_slice()).unwrap_or(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::DoubleWell;

    const OPTIONS: NewtonOptions = NewtonOptions { max_iter: 100, tol: 1e-14, line_search: true };

    #[test]
    fn converges_quadratically_to_the_double_wells_two_cycle() {
        let f = DoubleWell::new(1.0).unwrap();
        let mut map = GdMap::new(&f, 1.1);
        let (a, b) = f.two_cycle(1.1).unwrap();
        let r = solve(&mut map, &[a + 0.05], 2, &OPTIONS).unwrap();
        assert_eq!(r.stop, Stop::Converged);
        assert!(r.iterations <= 8, "quadratic convergence: {} steps", r.iterations);
        assert!((r.orbit[0][0] - a).abs() < 1e-14 && (r.orbit[1][0] - b).abs() < 1e-14, "{:?}", r.orbit);
        assert!(r.residual <= 1e-14 * (1.0 + a));
    }

    #[test]
    fn the_line_search_keeps_a_far_start_bounded_where_full_steps_diverge() {
        // From x = 0.05 at η = 1.1, F(x) = G²(x) − x is nearly flat (x = 0 is a fixed point with
        // multiplier (1 + η)² = 4.41 of G², so F′ ≈ 3.4): not flat enough to run away. A start
        // past the repelling 2-cycle ±√(1 + 2/η) is: G² sends it far out.
        let f = DoubleWell::new(1.0).unwrap();
        let mut map = GdMap::new(&f, 1.1);
        let far = (1.0 + 2.0 / 1.1f64).sqrt() + 0.3;
        let full = solve(&mut map, &[far], 2, &NewtonOptions { line_search: false, ..OPTIONS }).unwrap();
        let damped = solve(&mut map, &[far], 2, &OPTIONS).unwrap();
        assert_eq!(damped.stop, Stop::Converged, "{damped:?}");
        assert!(full.stop == Stop::Converged || full.iterations >= damped.iterations, "{full:?} {damped:?}");
        assert!(damped.residual < 1e-13);
    }

    #[test]
    fn a_start_whose_orbit_diverges_has_no_report_and_a_cap_is_reported() {
        let f = DoubleWell::new(1.0).unwrap();
        let mut map = GdMap::new(&f, 1.1);
        assert!(solve(&mut map, &[1e5], 2, &OPTIONS).is_none());
        let capped = solve(&mut map, &[1.5], 2, &NewtonOptions { max_iter: 1, ..OPTIONS }).unwrap();
        assert_eq!((capped.stop, capped.iterations), (Stop::MaxIter, 1));
    }

    #[test]
    fn multipliers_are_sorted_by_modulus_and_complex_for_a_rotation() {
        let rotation = DMatrix::from_row_slice(2, 2, &[0.0, -0.5, 0.5, 0.0]);
        let m = multipliers(&rotation, false).unwrap();
        assert!(m.iter().all(|z| (z.re.abs() < 1e-15) && (z.im.abs() - 0.5).abs() < 1e-15), "{m:?}");
        let diagonal = DMatrix::from_row_slice(2, 2, &[0.3, 0.0, 0.0, -0.9]);
        let m = multipliers(&diagonal, true).unwrap();
        assert_eq!((m[0].re, m[1].re), (-0.9, 0.3));
    }
}
