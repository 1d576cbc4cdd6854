//! Test operators with known spectra: Q·diag(λ)·Qᵀ for a seeded random orthogonal Q (dense), and
//! P·diag(λ)·Pᵀ for P a product of three seeded Householder reflections (matrix-free, O(n) per
//! product, for dimensions up to 10⁴). Also an operator wrapper that counts its applications.

use std::cell::Cell;

use nalgebra::DMatrix;

use super::operator::SymmetricOperator;
use crate::random::{normals, seeded};

/// The spectra the estimators are tested on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spectrum {
    /// Top 10, 8, 6, 5, 4 above a bulk spread over [−1, 3].
    WellSeparated,
    /// A top cluster 1.0, 0.99, …, 0.96 above three clusters of width 2·10⁻³ around 0.5, 0, −0.3.
    Clustered,
    /// A top pair 1 and 1 − 10⁻⁶, then 0.8, 0.7, 0.6 above a bulk over [−0.5, 0.5].
    NearDegenerate,
    /// Top 1.0, 0.9, …, 0.6, bulk over [−1, 0.5], and −50, −40 at the bottom: the eigenvalue of
    /// largest magnitude is −50.
    NegativeDominant,
    /// Top −1, −1.5, …, −3, bulk over [−10, −3.5], and −50 at the bottom.
    AllNegative,
}

impl Spectrum {
    pub const ALL: [Spectrum; 5] = [Self::WellSeparated, Self::Clustered, Self::NearDegenerate, Self::NegativeDominant, Self::AllNegative];

    /// n eigenvalues: the top five, the bottom outliers, and n − 5 − outliers in the bulk. For
    /// small n the bulk goes first, then the top values after the first; the outliers stay, so
    /// that the magnitude top stays negative where it is.
    pub fn eigenvalues(self, n: usize) -> Vec<f64> {
        let (top, bottom, bulk): (&[f64], &[f64], Bulk) = match self {
            Self::WellSeparated => (&[10.0, 8.0, 6.0, 5.0, 4.0], &[], |i, m| midpoint(-1.0, 3.0, i, m)),
            Self::Clustered => (&[1.0, 0.99, 0.98, 0.97, 0.96], &[], |i, m| [0.5, 0.0, -0.3][i % 3] + midpoint(-1e-3, 1e-3, i, m)),
            Self::NearDegenerate => (&[1.0, 1.0 - 1e-6, 0.8, 0.7, 0.6], &[], |i, m| midpoint(-0.5, 0.5, i, m)),
            Self::NegativeDominant => (&[1.0, 0.9, 0.8, 0.7, 0.6], &[-50.0, -40.0], |i, m| midpoint(-1.0, 0.5, i, m)),
            Self::AllNegative => (&[-1.0, -1.5, -2.0, -2.5, -3.0], &[-50.0], |i, m| midpoint(-10.0, -3.5, i, m)),
        };
        let b = bottom.len().min(n.saturating_sub(1));
        let t = top.len().min(n - b);
        let m = n - b - t;
        top[..t].iter().chain(&bottom[..b]).copied().chain((0..m).map(|i| bulk(i, m))).collect()
    }
}

/// The i-th of m bulk eigenvalues.
type Bulk = fn(usize, usize) -> f64;

/// The i-th of m midpoints of equal subintervals of [a, b].
fn midpoint(a: f64, b: f64, i: usize, m: usize) -> f64 {
    a + (b - a) * (i as f64 + 0.5) / m as f64
}

/// The k largest of `eigenvalues`, descending.
pub fn top(eigenvalues: &[f64], k: usize) -> Vec<f64> {
    let mut sorted = eigenvalues.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    sorted.truncate(k);
    sorted
}

/// The orthogonal factor Q of the QR decomposition of a seeded n × n Gaussian matrix.
pub fn random_orthogonal(n: usize, seed: u64) -> DMatrix<f64> {
    DMatrix::from_vec(n, n, normals(&mut seeded(seed), n * n)).qr().q()
}

/// Q·diag(λ)·Qᵀ, symmetrised exactly: eigenvalue λᵢ has eigenvector Q·eᵢ.
pub fn with_spectrum(q: &DMatrix<f64>, eigenvalues: &[f64]) -> DMatrix<f64> {
    let mut qd = q.clone();
    for (mut column, &lambda) in qd.column_iter_mut().zip(eigenvalues) {
        column *= lambda;
    }
    let h = qd * q.transpose();
    (&h + h.transpose()) * 0.5
}

/// Q·diag(λ)·Qᵀ for a seeded random orthogonal Q.
pub fn dense_with_spectrum(eigenvalues: &[f64], seed: u64) -> DMatrix<f64> {
    with_spectrum(&random_orthogonal(eigenvalues.len(), seed), eigenvalues)
}

/// P·diag(λ)·Pᵀ with P = R₁R₂R₃, Rⱼ = I − 2uⱼuⱼᵀ for seeded unit vectors uⱼ: eigenvalue λᵢ has
/// eigenvector P·eᵢ, and a product costs O(n).
pub struct RotatedDiagonal {
    reflectors: Vec<Vec<f64>>,
    diagonal: Vec<f64>,
}

impl RotatedDiagonal {
    pub fn new(eigenvalues: &[f64], seed: u64) -> Self {
        let n = eigenvalues.len();
        let mut rng = seeded(seed);
        let reflectors = (0..3)
            .map(|_| {
                let u = normals(&mut rng, n);
                let norm = u.iter().map(|x| x * x).sum::<f64>().sqrt();
                u.into_iter().map(|x| x / norm).collect()
            })
            .collect();
        Self { reflectors, diagonal: eigenvalues.to_vec() }
    }

    /// P·eᵢ, the unit eigenvector of `eigenvalues[i]`.
    pub fn eigenvector(&self, i: usize) -> Vec<f64> {
        let mut x = vec![0.0; self.diagonal.len()];
        x[i] = 1.0;
        for u in self.reflectors.iter().rev() {
            reflect(u, &mut x);
        }
        x
    }
}

/// x ← (I − 2uuᵀ)x.
fn reflect(u: &[f64], x: &mut [f64]) {
    let c = 2.0 * u.iter().zip(x.iter()).map(|(a, b)| a * b).sum::<f64>();
    x.iter_mut().zip(u).for_each(|(xi, ui)| *xi -= c * ui);
}

impl SymmetricOperator for RotatedDiagonal {
    fn dim(&self) -> usize {
        self.diagonal.len()
    }

    fn apply(&self, v: &[f64], out: &mut [f64]) {
        out.copy_from_slice(v);
        // Pᵀ = R₃R₂R₁: R₁ acts first.
        for u in &self.reflectors {
            reflect(u, out);
        }
        out.iter_mut().zip(&self.diagonal).for_each(|(x, d)| *x *= d);
        for u in self.reflectors.iter().rev() {
            reflect(u, out);
        }
    }
}

/// An operator that counts how often it is applied.
pub struct Counting<O> {
    op: O,
    count: Cell<usize>,
}

impl<O> Counting<O> {
    pub fn new(op: O) -> Self {
        Self { op, count: Cell::new(0) }
    }

    pub fn count(&self) -> usize {
        self.count.get()
    }

    pub fn reset(&self) {
        self.count.set(0)
    }
}

impl<O: SymmetricOperator> SymmetricOperator for Counting<O> {
    fn dim(&self) -> usize {
        self.op.dim()
    }

    fn apply(&self, v: &[f64], out: &mut [f64]) {
        self.count.set(self.count.get() + 1);
        self.op.apply(v, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_operators_have_the_spectra_they_claim() {
        for spectrum in Spectrum::ALL {
            for n in [1, 2, 3, 7, 40] {
                let eigenvalues = spectrum.eigenvalues(n);
                assert_eq!(eigenvalues.len(), n);
                let op = RotatedDiagonal::new(&eigenvalues, 9);
                let h = dense_with_spectrum(&eigenvalues, 9);
                let mut hv = vec![0.0; n];
                for (i, &lambda) in eigenvalues.iter().enumerate() {
                    let v = op.eigenvector(i);
                    op.apply(&v, &mut hv);
                    let r: f64 = hv.iter().zip(&v).map(|(a, b)| (a - lambda * b).powi(2)).sum::<f64>().sqrt();
                    assert!(r < 1e-12 * 50.0, "{spectrum:?} n = {n} i = {i}: {r}");
                }
                let mut found: Vec<f64> = h.clone().symmetric_eigenvalues().iter().copied().collect();
                found.sort_by(|a, b| b.total_cmp(a));
                let truth = top(&eigenvalues, n);
                assert!(found.iter().zip(&truth).all(|(a, b)| (a - b).abs() < 1e-12 * 50.0), "{spectrum:?} {n}");
            }
        }
        assert_eq!(Spectrum::NegativeDominant.eigenvalues(2), vec![1.0, -50.0]);
        assert_eq!(top(&Spectrum::NearDegenerate.eigenvalues(100), 2), vec![1.0, 1.0 - 1e-6]);
    }
}
