//! Losses of a network's outputs, averaged over the samples: ½-MSE, Huber and softmax
//! cross-entropy (paper 000 §3.2, Example 1, and App. F; Cohen et al. train with the first and
//! the last).
//!
//! Outputs are stored feature-major, `out[c·n + i]` for output c of sample i. For a sample with
//! outputs o and target y, with r = o − y:
//! * `mse`: ℓ = ½‖r‖², ∂ℓ/∂o = r, ∂²ℓ/∂o² = I;
//! * `huber` with threshold δ, per component: ℓ = ½r² for |r| ≤ δ and δ(|r| − δ/2) beyond, so
//!   ∂ℓ/∂o = clamp(r, −δ, δ) and ∂²ℓ/∂o² = 1 for |r| ≤ δ and 0 beyond (the second derivative jumps
//!   at |r| = δ: that is the loss's bad regularity of paper 000 Tab. 1);
//! * `cross_entropy` with class y and p = softmax(o): ℓ = log Σ_c e^{o_c} − o_y,
//!   ∂ℓ/∂o = p − e_y and ∂²ℓ/∂o² = diag(p) − ppᵀ, so the curvature product with a tangent ṙ is
//!   p ⊙ (ṙ − pᵀṙ). The log-sum-exp subtracts the largest output first, so it cannot overflow.
//!
//! The objective is the mean over the n samples, so every gradient and curvature product carries
//! a factor 1/n.

use crate::error::{Result, SpecError};

/// The loss names a spec may use.
pub const LOSS_NAMES: &[&str] = &["mse", "huber", "cross_entropy"];

/// A loss with its targets.
#[derive(Debug, Clone, PartialEq)]
pub enum Loss {
    /// ½‖o − y‖², targets feature-major (outputs × samples).
    SquaredError { targets: Vec<f64> },
    /// Huber with threshold `delta`, targets feature-major.
    Huber { delta: f64, targets: Vec<f64> },
    /// Softmax cross-entropy over `classes` outputs with one label per sample.
    CrossEntropy { labels: Vec<usize>, classes: usize },
}

impl Loss {
    /// The loss called `name` for a data set whose regression targets are `values`
    /// (`outputs` × samples, feature-major) and whose class labels, if it has them, are `classes`
    /// (labels and the number of classes). Cross-entropy needs class labels.
    pub fn new(name: &str, delta: f64, values: &[f64], classes: Option<(&[usize], usize)>) -> Result<Self> {
        Ok(match name {
            "mse" => Loss::SquaredError { targets: values.to_vec() },
            "huber" => Loss::Huber { delta, targets: values.to_vec() },
            "cross_entropy" => match classes {
                Some((labels, classes)) => Loss::CrossEntropy { labels: labels.to_vec(), classes },
                None => {
                    return Err(SpecError::new(
                        "objective.loss",
                        "cross_entropy needs a classification data set (digits or orthogonal); use mse or huber here",
                    ))
                }
            },
            _ => return Err(SpecError::new("objective.loss", format!("must be one of {LOSS_NAMES:?} (got {name:?})"))),
        })
    }

    /// Mean loss over the n samples of the outputs `out` (feature-major); when `grad` is given,
    /// also writes ∂(mean loss)/∂out there.
    pub fn evaluate(&self, out: &[f64], n: usize, mut grad: Option<&mut [f64]>) -> f64 {
        let scale = 1.0 / n as f64;
        match self {
            Loss::SquaredError { targets } | Loss::Huber { targets, .. } => {
                let delta = match self {
                    Loss::Huber { delta, .. } => *delta,
                    _ => f64::INFINITY,
                };
                let mut total = 0.0;
                for (k, (o, y)) in out.iter().zip(targets).enumerate() {
                    let r = o - y;
                    let (value, slope) =
                        if r.abs() <= delta { (0.5 * r * r, r) } else { (delta * (r.abs() - 0.5 * delta), delta.copysign(r)) };
                    total += value;
                    if let Some(g) = grad.as_deref_mut() {
                        g[k] = slope * scale;
                    }
                }
                total * scale
            }
            Loss::CrossEntropy { labels, classes } => {
                let mut total = 0.0;
                for (i, &label) in labels.iter().enumerate() {
                    let column = (0..*classes).map(|c| out[c * n + i]);
                    let top = column.clone().fold(f64::NEG_INFINITY, f64::max);
                    let sum: f64 = column.map(|o| libm::exp(o - top)).sum();
                    total += top + libm::log(sum) - out[label * n + i];
                    if let Some(g) = grad.as_deref_mut() {
                        for c in 0..*classes {
                            let p = libm::exp(out[c * n + i] - top) / sum;
                            g[c * n + i] = (p - if c == label { 1.0 } else { 0.0 }) * scale;
                        }
                    }
                }
                total * scale
            }
        }
    }

    /// The curvature product (∂²(mean loss)/∂out²)·`tangent`, written into `out_tangent`.
    pub fn curvature_product(&self, out: &[f64], n: usize, tangent: &[f64], out_tangent: &mut [f64]) {
        let scale = 1.0 / n as f64;
        match self {
            Loss::SquaredError { .. } => {
                for (r, t) in out_tangent.iter_mut().zip(tangent) {
                    *r = t * scale;
                }
            }
            Loss::Huber { delta, targets } => {
                for (((r, t), o), y) in out_tangent.iter_mut().zip(tangent).zip(out).zip(targets) {
                    *r = if (o - y).abs() <= *delta { t * scale } else { 0.0 };
                }
            }
            Loss::CrossEntropy { classes, .. } => {
                for i in 0..n {
                    let top = (0..*classes).map(|c| out[c * n + i]).fold(f64::NEG_INFINITY, f64::max);
                    let sum: f64 = (0..*classes).map(|c| libm::exp(out[c * n + i] - top)).sum();
                    let p = |c: usize| libm::exp(out[c * n + i] - top) / sum;
                    let mean_tangent: f64 = (0..*classes).map(|c| p(c) * tangent[c * n + i]).sum();
                    for c in 0..*classes {
                        out_tangent[c * n + i] = p(c) * (tangent[c * n + i] - mean_tangent) * scale;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn losses() -> Vec<Loss> {
        let values = [0.3, -1.2, 2.0, 0.1, -0.4, 0.0];
        let labels: &[usize] = &[2, 0];
        ["mse", "huber", "cross_entropy"].iter().map(|name| Loss::new(name, 0.5, &values, Some((labels, 3))).unwrap()).collect()
    }

    #[test]
    fn gradients_and_curvature_match_central_differences() {
        // Three outputs of two samples, feature-major; residuals chosen away from Huber's kinks.
        let out = [0.9, -0.1, 1.2, 0.3, -0.8, 0.7];
        let tangent = [0.4, -0.3, 0.2, 0.5, -0.1, 0.6];
        let h = 1e-6;
        for loss in losses() {
            let mut g = vec![0.0; 6];
            loss.evaluate(&out, 2, Some(&mut g));
            let mut hv = vec![0.0; 6];
            loss.curvature_product(&out, 2, &tangent, &mut hv);
            for k in 0..6 {
                let (mut p, mut m) = (out, out);
                p[k] += h;
                m[k] -= h;
                let fd = (loss.evaluate(&p, 2, None) - loss.evaluate(&m, 2, None)) / (2.0 * h);
                assert!((fd - g[k]).abs() < 1e-9, "{loss:?} ∂/∂o[{k}]: {} vs {fd}", g[k]);
            }
            let step = |s: f64| -> Vec<f64> {
                let o: Vec<f64> = out.iter().zip(&tangent).map(|(o, t)| o + s * t).collect();
                let mut g = vec![0.0; 6];
                loss.evaluate(&o, 2, Some(&mut g));
                g
            };
            let (gp, gm) = (step(h), step(-h));
            for k in 0..6 {
                let fd = (gp[k] - gm[k]) / (2.0 * h);
                assert!((fd - hv[k]).abs() < 1e-8, "{loss:?} curvature[{k}]: {} vs {fd}", hv[k]);
            }
        }
    }

    #[test]
    fn cross_entropy_needs_classes_and_survives_large_outputs() {
        assert_eq!(Loss::new("cross_entropy", 1.0, &[0.0], None).unwrap_err().field, "objective.loss");
        assert_eq!(Loss::new("hinge", 1.0, &[0.0], None).unwrap_err().field, "objective.loss");
        let ce = Loss::new("cross_entropy", 1.0, &[], Some((&[0], 2))).unwrap();
        // log(1 + e^{−1000}) = 0 to double precision, not NaN from e^{1000}.
        assert_eq!(ce.evaluate(&[2000.0, 1000.0], 1, None), 0.0);
        assert!((ce.evaluate(&[0.0, 0.0], 1, None) - std::f64::consts::LN_2).abs() < 1e-16);
    }
}
