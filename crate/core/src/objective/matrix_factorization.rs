//! Matrix factorisation f(X, Y) = ½‖XYᵀ − A‖²_F with X, Y ∈ ℝ^{n×r} (Chen & Bruna, paper 002 §6,
//! Observations 1–2, Def. 3, Fig. 2: GD beyond the edge of stability converges to period-2, then
//! period-4 orbits, then chaos, while the factors balance). Our copy lost the paper's formulas; we
//! use the ½-normalisation written here, a target A = diag(σ₁, …, σ_k, 0, …) of chosen singular
//! values (any target is this one up to rotations of the row and column spaces, which GD
//! respects), and three initialisations from the text:
//! * `generic`: X and Y independent, entries N(0, scale²);
//! * `symmetric`: X = Y = W with W's entries N(0, scale²) (A is symmetric, so GD keeps X = Y);
//! * `quasi_symmetric` (Def. 3): X = c·W, Y = W/c: the product WWᵀ is symmetric but the factors
//!   are unbalanced by c², and GD balances them (Obs. 2).
//!
//! Parameters θ = (vec X, vec Y), each row-major. With R = XYᵀ − A: ∇_X f = RY, ∇_Y f = RᵀX; for a
//! direction (V, W), with dR = VYᵀ + XWᵀ, ∇²f·(V, W) = (dR·Y + R·W, dRᵀ·X + Rᵀ·V).

use nalgebra::DMatrix;

use super::params::{ParamSchema, Params};
use super::schema::{ObjectiveSchema, Registered};
use super::{AnyObjective, Objective};
use crate::error::{Result, SpecError};
use crate::random;

/// Largest matrix size n.
pub const MAX_N: usize = 64;

/// ½‖XYᵀ − A‖²_F.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixFactorization {
    n: usize,
    r: usize,
    target: DMatrix<f64>,
    start: Vec<f64>,
}

impl MatrixFactorization {
    /// The problem with A = diag(spectrum) (n × n), factors of width r, and a start drawn by `init`.
    pub fn new(n: usize, r: usize, spectrum: &[f64], init: &str, scale: f64, c: f64, seed: u64) -> Result<Self> {
        if spectrum.len() > n {
            return Err(SpecError::new("objective.spectrum", format!("has {} values but A is {n} × {n}", spectrum.len())));
        }
        let mut target = DMatrix::zeros(n, n);
        for (i, &s) in spectrum.iter().enumerate() {
            target[(i, i)] = s;
        }
        let mut rng = random::seeded(seed);
        let w: Vec<f64> = random::normals(&mut rng, n * r).into_iter().map(|z| scale * z).collect();
        let start = match init {
            "generic" => {
                let y: Vec<f64> = random::normals(&mut rng, n * r).into_iter().map(|z| scale * z).collect();
                [w, y].concat()
            }
            "symmetric" => [w.clone(), w].concat(),
            _ => {
                let x: Vec<f64> = w.iter().map(|v| c * v).collect();
                let y: Vec<f64> = w.iter().map(|v| v / c).collect();
                [x, y].concat()
            }
        };
        Ok(Self { n, r, target, start })
    }

    fn factors(&self, theta: &[f64]) -> (DMatrix<f64>, DMatrix<f64>) {
        let k = self.n * self.r;
        (DMatrix::from_row_slice(self.n, self.r, &theta[..k]), DMatrix::from_row_slice(self.n, self.r, &theta[k..]))
    }

    fn write(&self, a: &DMatrix<f64>, b: &DMatrix<f64>, out: &mut [f64]) {
        let k = self.n * self.r;
        for i in 0..self.n {
            for j in 0..self.r {
                out[i * self.r + j] = a[(i, j)];
                out[k + i * self.r + j] = b[(i, j)];
            }
        }
    }
}

impl Objective for MatrixFactorization {
    fn dim(&self) -> usize {
        2 * self.n * self.r
    }
    fn value(&self, theta: &[f64]) -> f64 {
        let (x, y) = self.factors(theta);
        0.5 * (&x * y.transpose() - &self.target).norm_squared()
    }
    fn gradient(&self, theta: &[f64], grad: &mut [f64]) {
        let (x, y) = self.factors(theta);
        let r = &x * y.transpose() - &self.target;
        self.write(&(&r * &y), &(r.transpose() * &x), grad);
    }
    fn hessian_vector(&self, theta: &[f64], v: &[f64], out: &mut [f64]) {
        let (x, y) = self.factors(theta);
        let (vx, vy) = self.factors(v);
        let r = &x * y.transpose() - &self.target;
        let dr = &vx * y.transpose() + &x * vy.transpose();
        self.write(&(&dr * &y + &r * &vy), &(dr.transpose() * &x + r.transpose() * &vx), out);
    }
    /// 0 when the width r is at least the number of nonzero target singular values.
    fn min_value(&self) -> Option<f64> {
        let rank = (0..self.n).filter(|&i| self.target[(i, i)] != 0.0).count();
        (self.r >= rank).then_some(0.0)
    }
    fn default_start(&self) -> Vec<f64> {
        self.start.clone()
    }
    /// `balance` = ‖X‖²_F − ‖Y‖²_F, conserved by gradient flow and reduced by large learning
    /// rates (paper 002 Obs. 2).
    fn named_observables(&self, theta: &[f64]) -> Vec<(&'static str, f64)> {
        let (x, y) = theta.split_at(self.n * self.r);
        let norm2 = |v: &[f64]| v.iter().map(|a| a * a).sum::<f64>();
        vec![("balance", norm2(x) - norm2(y))]
    }
    /// The balanced minimiser X = Y = diag(√σ) (first r columns), when r covers the spectrum and
    /// the singular values are non-negative.
    fn known_minimizers(&self) -> Vec<Vec<f64>> {
        if self.min_value().is_none() || (0..self.n).any(|i| self.target[(i, i)] < 0.0) {
            return Vec::new();
        }
        let mut x = DMatrix::zeros(self.n, self.r);
        for i in 0..self.n.min(self.r) {
            x[(i, i)] = self.target[(i, i)].sqrt();
        }
        let mut theta = vec![0.0; self.dim()];
        self.write(&x, &x, &mut theta);
        vec![theta]
    }
}

pub(super) const REGISTERED: Registered = Registered {
    schema: ObjectiveSchema {
        name: "matrix_factorization",
        group: "matrix factorisation",
        title: "Matrix factorisation ½‖XYᵀ − A‖²",
        description: "Factor a target A with chosen singular values as XYᵀ, X, Y ∈ ℝ^{n×r}. As η grows past the edge of \
                      stability GD converges to period-2, then period-4 orbits, then chaos, while the factors balance.",
        citation: "Chen & Bruna, Beyond the Edge of Stability via Two-step Gradient Updates (002) §6, Obs. 1–2, Def. 3",
        params: &[
            ParamSchema::integer("n", 4, 1, MAX_N as u64, "size n of the square target A"),
            ParamSchema::integer("r", 4, 1, MAX_N as u64, "width r of the factors"),
            ParamSchema::list("spectrum", &[1.0, 0.5], -100.0, 100.0, MAX_N, "singular values of A (the rest are 0)"),
            ParamSchema::choice("init", "generic", &["generic", "quasi_symmetric", "symmetric"], "initialisation"),
            ParamSchema::real("scale", 0.3, 0.0, 10.0, "standard deviation of the initial entries"),
            ParamSchema::real("c", 2.0, 0.01, 100.0, "quasi-symmetric rescaling: X = cW, Y = W/c"),
            ParamSchema::integer("seed", 0, 0, u32::MAX as u64, "seed of the initialisation"),
        ],
    },
    build: |p: &Params| {
        let f = MatrixFactorization::new(
            p.integer("n")?,
            p.integer("r")?,
            p.list("spectrum")?,
            p.text("init")?,
            p.real("scale")?,
            p.real("c")?,
            p.integer("seed")? as u64,
        )?;
        Ok(AnyObjective::Other(Box::new(f)))
    },
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::check::derivative_errors;

    #[test]
    fn derivatives_match_central_differences() {
        for init in ["generic", "quasi_symmetric", "symmetric"] {
            let f = MatrixFactorization::new(3, 2, &[2.0, 0.7], init, 0.5, 1.5, 3).unwrap();
            let theta = f.default_start();
            let v: Vec<f64> = (0..f.dim()).map(|i| ((i * 7 % 5) as f64 - 2.0) / 3.0).collect();
            let (g, h) = derivative_errors(&f, &theta, &v, 1e-6);
            assert!(g < 1e-8 && h < 1e-8, "{init}: {g} {h}");
        }
    }

    #[test]
    fn initialisations_have_their_structure() {
        let n_r = 3 * 2;
        let sym = MatrixFactorization::new(3, 2, &[1.0], "symmetric", 0.5, 2.0, 1).unwrap().default_start();
        assert_eq!(sym[..n_r], sym[n_r..]);
        let quasi = MatrixFactorization::new(3, 2, &[1.0], "quasi_symmetric", 0.5, 2.0, 1).unwrap().default_start();
        for i in 0..n_r {
            assert!((quasi[i] - 4.0 * quasi[n_r + i]).abs() < 1e-15, "X = c²Y for c = 2");
        }
    }

    #[test]
    fn the_balanced_minimiser_is_a_zero_of_the_loss_and_its_gradient() {
        let f = MatrixFactorization::new(4, 3, &[3.0, 1.0, 0.25], "generic", 0.1, 1.0, 0).unwrap();
        let m = &f.known_minimizers()[0];
        assert!(f.value(m) < 1e-30);
        let mut g = vec![0.0; f.dim()];
        f.gradient(m, &mut g);
        assert!(g.iter().all(|v| v.abs() < 1e-15));
        // A spectrum longer than n is refused by name.
        assert_eq!(MatrixFactorization::new(2, 2, &[1.0, 1.0, 1.0], "generic", 0.1, 1.0, 0).unwrap_err().field, "objective.spectrum");
    }
}
