//! The data sets networks are trained on, all deterministic (seeded where random):
//! * `chebyshev`: n points x_i = −1 + 2i/(n − 1) on [−1, 1] (x = 0 for n = 1), targets the
//!   Chebyshev polynomial T_k(x) = cos(k·arccos x), computed by the recurrence
//!   T₀ = 1, T₁ = x, T_{j+1} = 2x·T_j − T_{j−1} (exact polynomial arithmetic, no transcendental
//!   function);
//! * `orthogonal`: the standard basis vectors e_1 … e_n of ℝᵈ (n ≤ d) as inputs, so
//!   ⟨x_k, x_k′⟩ = 1_{k=k′} (paper 003 Assumption 2.1), with given real labels; as a
//!   classification set, class 1 for a positive label and 0 otherwise;
//! * `teacher`: inputs uniform on the unit sphere S^{d−1} (normalised Gaussian vectors), targets
//!   a planted ReLU teacher c·Σ_{i≤k} σ(e_iᵀx) (paper 002 App. B.3.1, eq. (18), whose teacher
//!   neurons are the first k standard basis vectors with unit output weights; the sphere's law is
//!   invariant under rotations, so any orthonormal teacher gives the same data law). With k = 1
//!   this is the single-neuron teacher of paper 002 §5;
//! * `digits`: see [`super::digits`].
//!
//! Inputs and targets are stored feature-major: `inputs[k·n + i]` is feature k of sample i.

use rand_chacha::ChaCha8Rng;

use crate::random::standard_normal;

/// Inputs, regression targets and (for classification sets) class labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Inputs, feature-major (`input_dim` × `n`).
    pub inputs: Vec<f64>,
    /// Input dimension.
    pub input_dim: usize,
    /// Number of samples.
    pub n: usize,
    /// Regression targets, feature-major (`outputs` × `n`); one-hot for class labels.
    pub values: Vec<f64>,
    /// Number of regression targets per sample.
    pub outputs: usize,
    /// Class of each sample and the number of classes, for classification sets.
    pub classes: Option<(Vec<usize>, usize)>,
}

impl Dataset {
    /// Chebyshev regression: n points on [−1, 1], targets T_degree (module docs).
    pub fn chebyshev(n: usize, degree: usize) -> Self {
        let inputs: Vec<f64> = (0..n).map(|i| if n == 1 { 0.0 } else { -1.0 + 2.0 * i as f64 / (n - 1) as f64 }).collect();
        let values = inputs.iter().map(|&x| chebyshev_t(degree, x)).collect();
        Self { inputs, input_dim: 1, n, values, outputs: 1, classes: None }
    }

    /// The standard basis e_1 … e_n of ℝ^`dim` as inputs, with `labels` (one per input; n ≤ dim).
    pub fn orthogonal(dim: usize, labels: &[f64]) -> Self {
        let n = labels.len();
        let mut inputs = vec![0.0; dim * n];
        for i in 0..n {
            inputs[i * n + i] = 1.0;
        }
        let classes = labels.iter().map(|&y| usize::from(y > 0.0)).collect();
        Self { inputs, input_dim: dim, n, values: labels.to_vec(), outputs: 1, classes: Some((classes, 2)) }
    }

    /// `n` inputs uniform on S^{dim−1} labelled by the teacher `scale`·Σ_{i<width} σ(x_i).
    pub fn sphere_teacher(n: usize, dim: usize, width: usize, scale: f64, rng: &mut ChaCha8Rng) -> Self {
        let mut inputs = vec![0.0; dim * n];
        for i in 0..n {
            for (k, x) in unit_vector(dim, rng).into_iter().enumerate() {
                inputs[k * n + i] = x;
            }
        }
        let values = (0..n).map(|i| scale * (0..width).map(|k| inputs[k * n + i].max(0.0)).sum::<f64>()).collect();
        Self { inputs, input_dim: dim, n, values, outputs: 1, classes: None }
    }
}

/// T_k(x) by the three-term recurrence.
pub fn chebyshev_t(k: usize, x: f64) -> f64 {
    let (mut previous, mut current) = (1.0, x);
    if k == 0 {
        return previous;
    }
    for _ in 1..k {
        (previous, current) = (current, 2.0 * x * current - previous);
    }
    current
}

/// A point uniform on the unit sphere S^{dim−1}: a standard Gaussian vector, normalised (drawn
/// again in the probability-zero event that it is 0).
pub fn unit_vector(dim: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
    loop {
        let g: Vec<f64> = (0..dim).map(|_| standard_normal(rng)).collect();
        let norm = g.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm > 0.0 {
            return g.into_iter().map(|x| x / norm).collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::seeded;

    #[test]
    fn chebyshev_targets_are_cosines_of_multiple_angles() {
        for k in 0..8 {
            for x in [-1.0, -0.6, 0.0, 0.3, 0.95, 1.0] {
                let exact = (k as f64 * f64::acos(x)).cos();
                assert!((chebyshev_t(k, x) - exact).abs() < 1e-13, "T_{k}({x})");
            }
        }
        let d = Dataset::chebyshev(5, 3);
        assert_eq!(d.inputs, vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
        assert_eq!(d.values, vec![-1.0, 1.0, 0.0, -1.0, 1.0]);
    }

    #[test]
    fn orthogonal_inputs_are_orthonormal_and_sphere_points_unit() {
        let d = Dataset::orthogonal(4, &[1.0, -2.0, 0.5]);
        for i in 0..3 {
            for j in 0..3 {
                let ip: f64 = (0..4).map(|k| d.inputs[k * 3 + i] * d.inputs[k * 3 + j]).sum();
                assert_eq!(ip, if i == j { 1.0 } else { 0.0 });
            }
        }
        assert_eq!(d.classes, Some((vec![1, 0, 1], 2)));
        let t = Dataset::sphere_teacher(50, 6, 2, 1.5, &mut seeded(3));
        for i in 0..50 {
            let norm: f64 = (0..6).map(|k| t.inputs[k * 50 + i].powi(2)).sum();
            assert!((norm - 1.0).abs() < 1e-14);
            let y = 1.5 * (t.inputs[i].max(0.0) + t.inputs[50 + i].max(0.0));
            assert_eq!(t.values[i], y);
        }
        assert_eq!(t, Dataset::sphere_teacher(50, 6, 2, 1.5, &mut seeded(3)));
    }
}
