//! The constrained trajectory of paper 001 (Damian, Nichani, Lee, *Self-Stabilization*, §2 eq. 2
//! and §3): projected gradient descent onto the stable set
//!
//! M = {θ : S(θ) ≤ 2/η and ∇L(θ)·u(θ) = 0},
//!
//! θ†_{t+1} = proj_M(θ†_t − η∇L(θ†_t)), with S the sharpness and u its unit eigenvector. (Our
//! copy lost the formulas; §2's text defines M as the set where the sharpness is at most 2/η,
//! with the condition ∇L·u = 0 "added to ensure the constrained trajectory is not unstable".)
//! GD at the edge of stability follows θ† plus a rapidly oscillating displacement
//! ([`crate::dynamics::stabilization`]).
//!
//! **Projection.** proj_M is a nonlinear least-distance problem; we solve it by Gauss–Newton on
//! the active constraints c₁(θ) = ∇L(θ)·u(θ) = 0 and, when violated, c₂(θ) = S(θ) − 2/η = 0:
//! each iteration moves θ by the least-norm Δ with J·Δ = −c, i.e. Δ = −Jᵀ(JJᵀ)⁻¹c, for the rows
//! ∇c₁ ≈ ∇²L·u = S·u (u held fixed; the neglected term (∂u)ᵀ∇L vanishes where ∇L ⟂ u's
//! variation, in particular on M for the models below) and ∇c₂ = ∇S = ∇³L[u, u] (paper 001 §2;
//! [`crate::spectrum::curvature::gradient_of_sharpness`]). It stops once |c₁| ≤ tol·(1 + ‖∇L‖) and
//! S ≤ 2/η·(1 + tol).
//!
//! Where M has a closed form the projection is exact: on the toy model of App. B at x = 0,
//! S = 2/η₀ + a(u + w) and ∇S = (0, a, a) are affine, so one step lands on the nearest point of
//! the half-space {a(u + w) ≤ 2/η − 2/η₀}: (u, w) − (e/2a)(1, 1) for the excess e = S − 2/η; on
//! the reduced model of §4 at x = 0 it sets y = min(y, 0) (with η = η₀). Both are tested.

use serde::{Deserialize, Serialize};

use crate::error::{Result, SpecError};
use crate::objective::Objective;
use crate::spectrum::curvature::gradient_of_sharpness;
use crate::spectrum::{estimate, HessianOperator, SpectrumOptions};
use crate::validate;

/// Most Gauss–Newton iterations a projection may be allowed.
pub const MAX_PROJECTION_ITER: usize = 1_000;

/// How the projection onto M is computed: the `projection` object of a spec (errors name
/// `projection.<field>`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectionOptions {
    /// Relative tolerance on both constraints, in [10⁻¹², 10⁻²] (default 10⁻⁹).
    pub tol: f64,
    /// Most Gauss–Newton iterations per projection, 1 to [`MAX_PROJECTION_ITER`] (default 50).
    pub max_iter: usize,
}

impl Default for ProjectionOptions {
    fn default() -> Self {
        Self { tol: 1e-9, max_iter: 50 }
    }
}

impl ProjectionOptions {
    /// Checks the fields.
    pub fn validate(&self) -> Result<()> {
        validate::finite_in("projection.tol", self.tol, 1e-12, 1e-2)?;
        validate::count_in("projection.max_iter", self.max_iter, 1, MAX_PROJECTION_ITER).map(drop)
    }
}

/// A point of M with the quantities the predicted dynamics need there.
#[derive(Debug, Clone, PartialEq)]
pub struct StablePoint {
    /// θ ∈ M.
    pub theta: Vec<f64>,
    /// S(θ).
    pub sharpness: f64,
    /// The unit top eigenvector u(θ).
    pub u: Vec<f64>,
    /// Gauss–Newton iterations spent (0: θ was already in M).
    pub iterations: usize,
    /// Hessian-vector products spent.
    pub hvps: usize,
}

/// Projects θ onto M = {S ≤ threshold, ∇L·u = 0} (module docs). `warm` seeds the eigenvector
/// estimate.
pub fn project(
    objective: &dyn Objective,
    theta: &[f64],
    threshold: f64,
    spectrum: &SpectrumOptions,
    warm: Option<&[f64]>,
    options: &ProjectionOptions,
) -> Result<StablePoint> {
    let n = theta.len();
    let mut theta = theta.to_vec();
    let mut warm = warm.map(<[f64]>::to_vec);
    let mut g = vec![0.0; n];
    let mut hvps = 0;
    let top_one = SpectrumOptions { k: 1, ..*spectrum };
    for iteration in 0..=options.max_iter {
        let report = estimate(&HessianOperator::new(objective, &theta)?, &top_one, warm.as_deref())?;
        hvps += report.hvps;
        let s = report.eigenvalues[0];
        let u = report.eigenvectors.into_iter().next().unwrap_or_default();
        objective.gradient(&theta, &mut g);
        let c1 = dot(&g, &u);
        let excess = s - threshold;
        let inside = |c1: f64, excess: f64| c1.abs() <= options.tol * (1.0 + dot(&g, &g).sqrt()) && excess <= options.tol * threshold;
        if inside(c1, excess) {
            return Ok(StablePoint { theta, sharpness: s, u, iterations: iteration, hvps });
        }
        if iteration == options.max_iter {
            break;
        }
        if s <= 0.0 {
            return Err(SpecError::new(
                "projection",
                format!("the sharpness {s} is not positive: no Newton step along u restores ∇L·u = 0"),
            ));
        }
        // Rows r₁ = S·u and, when active, r₂ = ∇S; Δ = −Jᵀ(JJᵀ)⁻¹c.
        let delta: Vec<f64> = if excess > 0.0 {
            let grad_s = gradient_of_sharpness(objective, &theta, &u);
            hvps += 2;
            let (a11, a12, a22) = (s * s, s * dot(&u, &grad_s), dot(&grad_s, &grad_s));
            let det = a11 * a22 - a12 * a12;
            if det <= 1e-14 * a11 * a22 {
                return Err(SpecError::new("projection", "∇S is parallel to the top eigenvector: the two constraints cannot be separated"));
            }
            let l1 = -(a22 * c1 - a12 * excess) / det;
            let l2 = -(a11 * excess - a12 * c1) / det;
            u.iter().zip(&grad_s).map(|(ui, si)| l1 * s * ui + l2 * si).collect()
        } else {
            u.iter().map(|ui| -c1 / s * ui).collect()
        };
        for (t, d) in theta.iter_mut().zip(&delta) {
            *t += d;
        }
        warm = Some(u);
    }
    Err(SpecError::new(
        "projection.max_iter",
        format!(
            "the projection onto {{S ≤ 2/η, ∇L·u = 0}} did not converge in {} iterations; raise projection.max_iter or projection.tol",
            options.max_iter
        ),
    ))
}

pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::self_stabilization::{ReducedModel, ToyModel};

    #[test]
    fn projection_onto_the_toy_models_half_space_is_exact() {
        let (alpha, beta, eta) = (0.5, 1.5, 0.25);
        let toy = ToyModel::new(alpha, beta, eta);
        let a = (beta / 2.0f64).sqrt();
        let theta = [0.0, 0.3, 0.1];
        let excess = toy.sharpness_along_x(&theta) - 2.0 / eta;
        assert!(excess > 0.0);
        let p = project(&toy, &theta, 2.0 / eta, &SpectrumOptions::default(), None, &ProjectionOptions::default()).unwrap();
        let want = [0.0, 0.3 - excess / (2.0 * a), 0.1 - excess / (2.0 * a)];
        for (got, want) in p.theta.iter().zip(want) {
            assert!((got - want).abs() < 1e-14, "{:?} vs {want:?}", p.theta);
        }
        assert!((p.sharpness - 2.0 / eta).abs() < 1e-12 && p.iterations == 1, "{p:?}");
        // Below the threshold a point with x ≠ 0 goes to x = 0: ∇L·u = 0 there (∇L = (0, 0, −α/a)
        // and u = e_x), and only there nearby.
        // |c₁| = |∇L·u| ≈ S|x| ≤ tol·(1 + ‖∇L‖).
        let theta = [0.02, -0.4, 0.1];
        let tight = ProjectionOptions { tol: 1e-12, max_iter: 50 };
        let p = project(&toy, &theta, 2.0 / eta, &SpectrumOptions::default(), None, &tight).unwrap();
        assert!(p.theta[0].abs() < 1e-12 && p.sharpness <= 2.0 / eta, "{p:?}");
        // … moving (u, w) by O(x²) only.
        assert!((p.theta[1] + 0.4).abs() < 1e-3 && (p.theta[2] - 0.1).abs() < 1e-3, "{p:?}");
    }

    #[test]
    fn projection_on_the_reduced_model_clips_y_at_zero() {
        let model = ReducedModel::new(0.8, 2.0, 0.5);
        let p = project(&model, &model.from_xy(0.0, 0.3), 4.0, &SpectrumOptions::default(), None, &ProjectionOptions::default()).unwrap();
        let (x, y) = model.to_xy(&p.theta);
        assert!(x == 0.0 && y.abs() < 1e-14, "({x}, {y})");
        let inside = model.from_xy(0.0, -0.3);
        let p = project(&model, &inside, 4.0, &SpectrumOptions::default(), None, &ProjectionOptions::default()).unwrap();
        assert_eq!((p.theta, p.iterations), (inside, 0));
    }

    #[test]
    fn bad_options_name_their_field() {
        assert_eq!(ProjectionOptions { tol: 0.0, ..Default::default() }.validate().unwrap_err().field, "projection.tol");
        assert_eq!(ProjectionOptions { max_iter: 0, ..Default::default() }.validate().unwrap_err().field, "projection.max_iter");
        let model = ReducedModel::new(0.8, 2.0, 0.5);
        let one = ProjectionOptions { tol: 1e-12, max_iter: 1 };
        let e = project(&model, &model.from_xy(0.3, 0.3), 4.0, &SpectrumOptions::default(), None, &one).unwrap_err();
        assert_eq!(e.field, "projection.max_iter");
    }
}
