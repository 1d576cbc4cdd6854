//! Batch normalisation without learnable affine parameters, with full-batch statistics (paper 000
//! §3.2, eq. (6), and App. F: PyTorch's `BatchNorm1d(affine=False)` between a layer and its
//! activation, in training mode, under full-batch GD). Since the statistics are those of the whole
//! data set, the normalised pre-activations are a deterministic function of the parameters, and
//! their derivatives include the dependence of mean and variance on the parameters.
//!
//! For one unit with pre-activations z ∈ ℝⁿ over the n samples:
//! μ = mean(z), v = mean((z − μ)²) (the biased variance, as PyTorch normalises with),
//! s = (v + ε)^{−1/2} and u = (z − μ)s.
//!
//! Derivation of the Jacobian: ∂u_i/∂z_j = s(δ_ij − 1/n) + (z_i − μ)∂s/∂z_j, and
//! ∂s/∂z_j = −½s³·∂v/∂z_j = −s³(z_j − μ)/n, so (z_i − μ)∂s/∂z_j = −s·u_i u_j/n and
//!
//!   J = ∂u/∂z = s(I − 11ᵀ/n − uuᵀ/n),
//!
//! a symmetric matrix: the forward tangent (u̇ = J ż) and the backward pass (∂ℓ/∂z = J ∂ℓ/∂u) are
//! the same map, [`project`]. Its tangent along ż: ṡ = −s³ mean((z − μ)ż) = −s² mean(u ż)
//! ([`inv_std_tangent`]), and u̇ = J ż. Differentiating the backward pass g_z = J g_u along the
//! tangent (forward-over-reverse):
//!
//!   ġ_z = J̇ g_u + J ġ_u, with J̇ = ṡ(I − 11ᵀ/n − uuᵀ/n) − s(u̇uᵀ + uu̇ᵀ)/n,
//!
//! so with c = mean(u g_u) and ċ = mean(u ġ_u) + mean(u̇ g_u):
//! ġ_z = ṡ(g_u − mean(g_u) − u c) + s(ġ_u − mean(ġ_u) − u̇ c − u ċ) ([`backward_tangent`]).
//!
//! A constant bias added before the normalisation cancels in z − μ: with batch normalisation the
//! hidden biases have zero gradient (they are kept so the parameter layout does not depend on it).

use super::kernels::{dot, sum};

/// Normalises one unit's pre-activations `row` in place to u = (z − μ)s and returns s.
pub fn normalise(row: &mut [f64], eps: f64) -> f64 {
    let n = row.len() as f64;
    let mean = sum(row) / n;
    for z in row.iter_mut() {
        *z -= mean;
    }
    let s = 1.0 / (dot(row, row) / n + eps).sqrt();
    for z in row.iter_mut() {
        *z *= s;
    }
    s
}

/// ṡ = −s² mean(u ż): the tangent of s along ż.
pub fn inv_std_tangent(u: &[f64], s: f64, z_tangent: &[f64]) -> f64 {
    -s * s * dot(u, z_tangent) / u.len() as f64
}

/// x ← J x = s(x − mean(x) − u·mean(u x)), in place.
pub fn project(u: &[f64], s: f64, x: &mut [f64]) {
    let n = u.len() as f64;
    let (mean, c) = (sum(x) / n, dot(u, x) / n);
    for (xi, ui) in x.iter_mut().zip(u) {
        *xi = s * (*xi - mean - ui * c);
    }
}

/// The backward pass and its tangent together: g ← J g and ġ ← J̇ g + J ġ (module docs), in
/// place, given u, s and their tangents u̇, ṡ.
pub fn backward_tangent(u: &[f64], s: f64, u_tangent: &[f64], s_tangent: f64, g: &mut [f64], g_tangent: &mut [f64]) {
    let n = u.len() as f64;
    let (mean, c) = (sum(g) / n, dot(u, g) / n);
    let (mean_t, c_t) = (sum(g_tangent) / n, (dot(u, g_tangent) + dot(u_tangent, g)) / n);
    for (((gi, gti), ui), uti) in g.iter_mut().zip(g_tangent.iter_mut()).zip(u).zip(u_tangent) {
        let q = *gi - mean - ui * c;
        *gti = s_tangent * q + s * (*gti - mean_t - uti * c - ui * c_t);
        *gi = s * q;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalised(z: &[f64], eps: f64) -> (Vec<f64>, f64) {
        let mut u = z.to_vec();
        let s = normalise(&mut u, eps);
        (u, s)
    }

    #[test]
    fn tangents_match_central_differences() {
        let z = [0.3, -1.1, 2.4, 0.7, -0.2];
        let dz = [0.5, 0.1, -0.7, 0.2, 0.9];
        let gu = [1.2, -0.4, 0.3, 0.8, -1.5];
        let dgu = [-0.3, 0.6, 0.2, -0.9, 0.4];
        let (eps, h) = (1e-3, 1e-6);
        let (u, s) = normalised(&z, eps);
        // Forward tangent.
        let mut du = dz.to_vec();
        let ds = inv_std_tangent(&u, s, &dz);
        project(&u, s, &mut du);
        let shifted = |t: f64| normalised(&z.iter().zip(&dz).map(|(a, b)| a + t * b).collect::<Vec<_>>(), eps);
        let ((up, sp), (um, sm)) = (shifted(h), shifted(-h));
        assert!(((sp - sm) / (2.0 * h) - ds).abs() < 1e-7 * ds.abs().max(1.0));
        for i in 0..5 {
            assert!(((up[i] - um[i]) / (2.0 * h) - du[i]).abs() < 1e-7, "u̇[{i}]");
        }
        // Backward pass: ⟨J g_u, ż⟩ = ⟨g_u, u̇⟩ (J is the Jacobian and symmetric).
        let mut gz = gu.to_vec();
        project(&u, s, &mut gz);
        assert!((dot(&gz, &dz) - dot(&gu, &du)).abs() < 1e-12);
        // Backward tangent: d/dt of J(z + tż)(g_u + t ġ_u).
        let mut g = gu.to_vec();
        let mut dg = dgu.to_vec();
        backward_tangent(&u, s, &du, ds, &mut g, &mut dg);
        assert_eq!(g, gz);
        let back = |t: f64| {
            let (u, s) = shifted(t);
            let mut g: Vec<f64> = gu.iter().zip(&dgu).map(|(a, b)| a + t * b).collect();
            project(&u, s, &mut g);
            g
        };
        let (bp, bm) = (back(h), back(-h));
        for i in 0..5 {
            assert!(((bp[i] - bm[i]) / (2.0 * h) - dg[i]).abs() < 1e-7, "ġ[{i}]");
        }
    }
}
