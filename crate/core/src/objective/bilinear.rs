//! Objectives of the product z = xᵀy of two vectors x, y ∈ ℝᵈ: f(x, y) = g(xᵀy), with the
//! parameters ordered θ = (x₁, …, x_d, y₁, …, y_d).
//!
//! Derivatives, for w = (y, x) and the swap J(v_x, v_y) = (v_y, v_x):
//! ∇f = g′(z)·w and ∇²f·v = g″(z)(w·v)·w + g′(z)·Jv. At a minimiser of g (g′ = 0) the Hessian is
//! g″(z)·wwᵀ, whose largest eigenvalue is g″(z)(‖x‖² + ‖y‖²).
//!
//! Two members:
//! * `two_factor`, g(z) = (z − μ)²/2: the scalar factorisation (xy − μ)²/2 for d = 1 and its
//!   vector form (paper 000 §3.1; paper 002 §4.2, whose balancing result drives x and y to equal
//!   size). Sharpness at every minimiser: ‖x‖² + ‖y‖².
//! * `regularity`, g = g_b: the family of paper 000 §3.1, eq. (2), Prop. 5, with an adjustable
//!   degree of regularity b. Our copy of the paper lost eq. (2); from its text (minima fixed at
//!   xᵀy = 1 for every b, g″(1) = 1 so that the sharpness at every minimiser is ‖x‖² + ‖y‖², a
//!   first line that smooths the second for small b, odd powers of xᵀy for large b, b = 2 the
//!   factorisation) we define, with u = z − 1:
//!   - 0 < b ≤ 2: g_b(z) = ((1 + u²)^{b/2} − 1)/b, a smoothed |u|^b (b = 1 is the √(1 + s²) − 1 of
//!     Ahn et al. that the paper cites; b = 2 is exactly u²/2);
//!   - b = 0: the limit b → 0 of the above, g_0(z) = ½ log(1 + u²): bounded growth;
//!   - b = 2k with k odd (6, 10, 14): g_b(z) = (z^k − 1)²/(2k²), the ℓ2 loss on an odd power
//!     (k = 3: on a cubic), whose only real minimum is z = 1 (an even k would add z = −1, which is
//!     why the paper keeps k odd).
//!
//!   Here b is the growth exponent of g: |g(z)| grows like |z|^b, and b = 0 means logarithmic
//!   growth. Every member has g(1) = 0, g′(1) = 0 and g″(1) = 1, and g > 0 elsewhere. For
//!   0 < b ≤ 2, g′(z) = u(1 + u²)^{b/2−1} and g″(z) = (1 + u²)^{b/2−2}(1 + (b − 1)u²); b = 0 is
//!   the same formula at b = 0. For b = 2k, g′ = (z^k − 1)z^{k−1}/k and
//!   g″ = z^{2k−2} + (k − 1)(z^k − 1)z^{k−2}/k.

use libm::{expm1, log1p, pow};

use super::params::{ParamSchema, Params};
use super::schema::{ObjectiveSchema, Registered};
use super::{AnyObjective, DoubleWell, Objective};
use crate::error::{Result, SpecError};

/// Largest dimension d of x and y.
pub const MAX_D: usize = 1_000;

/// The scalar loss g of the product z = xᵀy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ProductLoss {
    /// g(z) = (z − μ)²/2.
    Squared { mu: f64 },
    /// g_b with 0 ≤ b ≤ 2 (smoothed branch).
    Smoothed { b: f64 },
    /// g_b with b = 2k, k odd.
    OddPower { k: i32 },
}

impl ProductLoss {
    /// The member of the regularity family with degree b (module docs); refuses other b.
    pub fn regularity(b: f64) -> Result<Self> {
        if (0.0..=2.0).contains(&b) {
            return Ok(ProductLoss::Smoothed { b });
        }
        let k = b / 2.0;
        if k.fract() == 0.0 && (k as i64) % 2 == 1 {
            return Ok(ProductLoss::OddPower { k: k as i32 });
        }
        Err(SpecError::new("objective.b", format!("must lie in [0, 2] or be 2k for an odd k (6, 10, 14) (got {b})")))
    }

    /// Where g attains its minimum 0.
    pub fn minimiser(&self) -> f64 {
        match *self {
            ProductLoss::Squared { mu } => mu,
            _ => 1.0,
        }
    }

    /// (g(z), g′(z), g″(z)).
    #[inline]
    pub fn eval(&self, z: f64) -> (f64, f64, f64) {
        match *self {
            ProductLoss::Squared { mu } => {
                let u = z - mu;
                (u * u / 2.0, u, 1.0)
            }
            ProductLoss::Smoothed { b } => {
                let u = z - 1.0;
                let q = 1.0 + u * u;
                // expm1 and ln_1p keep g accurate as b → 0, where q^{b/2} − 1 would cancel.
                let log_q = log1p(u * u);
                let g = if b == 0.0 { 0.5 * log_q } else { expm1(0.5 * b * log_q) / b };
                let q1 = pow(q, b / 2.0 - 1.0);
                (g, u * q1, q1 / q * (1.0 + (b - 1.0) * u * u))
            }
            ProductLoss::OddPower { k } => {
                let kf = k as f64;
                let zk1 = z.powi(k - 1);
                let r = z * zk1 - 1.0;
                let g2 = zk1 * zk1 + (kf - 1.0) * r * z.powi(k - 2) / kf;
                (r * r / (2.0 * kf * kf), r * zk1 / kf, g2)
            }
        }
    }
}

/// f(x, y) = g(xᵀy) on ℝᵈ × ℝᵈ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bilinear {
    d: usize,
    loss: ProductLoss,
}

impl Bilinear {
    /// The objective g(xᵀy) with x, y ∈ ℝᵈ.
    pub fn new(d: usize, loss: ProductLoss) -> Self {
        Self { d, loss }
    }

    fn product(&self, theta: &[f64]) -> f64 {
        let (x, y) = theta.split_at(self.d);
        x.iter().zip(y).map(|(a, b)| a * b).sum()
    }

    /// The balanced period-2 orbit of (xᵀy − μ)²/2, μ > 0 (paper 002 Thm 3 and Prop. 3: GD
    /// balances x and y, then oscillates between (a·u, a·u) and (b·u, b·u) for a unit u): on
    /// x = y = s·u the GD step is s ↦ s − ηs(s² − μ), the double well's map, so a, b are
    /// [`DoubleWell::period_two_orbit`]'s, for η > 1/μ. `None` for the other losses, μ ≤ 0 or
    /// η ≤ 1/μ.
    pub fn balanced_two_cycle(&self, eta: f64) -> Option<(f64, f64)> {
        let ProductLoss::Squared { mu } = self.loss else { return None };
        DoubleWell::new(mu).ok()?.period_two_orbit(eta)
    }

    /// The 2d multipliers of [`Self::balanced_two_cycle`], by decreasing modulus. At (s·u, s·u)
    /// the Hessian g″wwᵀ + g′J (g′ = s² − μ, g″ = 1) has the eigenvectors (u, u): 3s² − μ;
    /// (u, −u): μ − s²; (v, ±v) for v ⊥ u: ±(s² − μ). They are shared by both points, so the
    /// multipliers are products over a and b of 1 − η·eigenvalue; with a² + b² = μ + 1/η and
    /// ab = 1/η: along the orbit 9 − 2(1 + ημ)² (the double well's), across the balance
    /// (u, −u) and along (v, v) 3 − 2ημ (d times), along (v, −v) exactly 1 (d − 1 times: rotating
    /// u maps the orbit to another one). The orbit attracts, up to that rotation, for
    /// 1 < ημ < √5 − 1, where 3 − 2ημ lies in (0.53, 1): the balance decays (Thm 3).
    pub fn balanced_two_cycle_multipliers(&self, eta: f64) -> Option<Vec<f64>> {
        self.balanced_two_cycle(eta)?;
        let ProductLoss::Squared { mu } = self.loss else { return None };
        let along = 9.0 - 2.0 * (1.0 + eta * mu).powi(2);
        let mut values = vec![along];
        values.extend(std::iter::repeat_n(3.0 - 2.0 * eta * mu, self.d));
        values.extend(std::iter::repeat_n(1.0, self.d - 1));
        values.sort_by(|a, b| b.abs().total_cmp(&a.abs()));
        Some(values)
    }

    /// ‖x‖² − ‖y‖², conserved by gradient flow and driven toward 0 by large learning rates
    /// (balancing, paper 000 §5, Theorem 9).
    fn balance(&self, theta: &[f64]) -> f64 {
        let (x, y) = theta.split_at(self.d);
        x.iter().map(|a| a * a).sum::<f64>() - y.iter().map(|b| b * b).sum::<f64>()
    }
}

impl Objective for Bilinear {
    fn dim(&self) -> usize {
        2 * self.d
    }

    fn value(&self, theta: &[f64]) -> f64 {
        self.loss.eval(self.product(theta)).0
    }

    fn gradient(&self, theta: &[f64], grad: &mut [f64]) {
        let (_, g1, _) = self.loss.eval(self.product(theta));
        let (x, y) = theta.split_at(self.d);
        let (gx, gy) = grad.split_at_mut(self.d);
        for i in 0..self.d {
            gx[i] = g1 * y[i];
            gy[i] = g1 * x[i];
        }
    }

    fn hessian_vector(&self, theta: &[f64], v: &[f64], out: &mut [f64]) {
        let (_, g1, g2) = self.loss.eval(self.product(theta));
        let (x, y) = theta.split_at(self.d);
        let (vx, vy) = v.split_at(self.d);
        let wv: f64 = y.iter().zip(vx).chain(x.iter().zip(vy)).map(|(a, b)| a * b).sum();
        let (ox, oy) = out.split_at_mut(self.d);
        for i in 0..self.d {
            ox[i] = g2 * wv * y[i] + g1 * vy[i];
            oy[i] = g2 * wv * x[i] + g1 * vx[i];
        }
    }

    fn min_value(&self) -> Option<f64> {
        Some(0.0)
    }

    /// `product` = xᵀy and `balance` = ‖x‖² − ‖y‖² (paper 000 §5).
    fn named_observables(&self, theta: &[f64]) -> Vec<(&'static str, f64)> {
        vec![("product", self.product(theta)), ("balance", self.balance(theta))]
    }

    /// An unbalanced start: x = 2.5·1/√d, y = 0.2·1/√d, so xᵀy = 0.5 and ‖x‖² − ‖y‖² = 6.21
    /// (paper 000 §5 and 002 §4.2 start GD away from balance to show balancing).
    fn default_start(&self) -> Vec<f64> {
        let s = (self.d as f64).sqrt();
        let mut theta = vec![2.5 / s; self.d];
        theta.extend(std::iter::repeat_n(0.2 / s, self.d));
        theta
    }

    /// The balanced minimiser x = y = √(z*/d)·1 and an unbalanced one x = 2y.
    fn known_minimizers(&self) -> Vec<Vec<f64>> {
        let z = self.loss.minimiser();
        let d = self.d as f64;
        let balanced = vec![(z.abs() / d).sqrt(); 2 * self.d];
        let (a, b) = ((2.0 * z.abs() / d).sqrt(), (z.abs() / (2.0 * d)).sqrt());
        let mut unbalanced = vec![a; self.d];
        unbalanced.extend(std::iter::repeat_n(b, self.d));
        let sign = z.signum();
        [balanced, unbalanced]
            .into_iter()
            .map(|mut t| {
                t[self.d..].iter_mut().for_each(|v| *v *= sign);
                t
            })
            .collect()
    }
}

const D_PARAM: ParamSchema = ParamSchema::integer("d", 1, 1, MAX_D as u64, "dimension d of x and of y");

pub(super) const TWO_FACTOR: Registered = Registered {
    schema: ObjectiveSchema {
        name: "two_factor",
        group: "two factors",
        title: "Two factors (xᵀy − μ)²/2",
        description: "f(x, y) = (xᵀy − μ)²/2 with x, y ∈ ℝᵈ (d = 1: the scalar (xy − μ)²/2). Every minimiser \
                      has sharpness ‖x‖² + ‖y‖²; large η drives GD toward balanced, flatter minimisers.",
        citation: "Wang, Xu, Zhao, Tao (000) §3.1; Chen & Bruna (002) §4.2",
        params: &[ParamSchema::real("mu", 1.0, -100.0, 100.0, "μ: the minimisers are xᵀy = μ"), D_PARAM],
    },
    build: |p: &Params| Ok(AnyObjective::Other(Box::new(Bilinear::new(p.integer("d")?, ProductLoss::Squared { mu: p.real("mu")? })))),
};

pub(super) const REGULARITY: Registered = Registered {
    schema: ObjectiveSchema {
        name: "regularity",
        group: "regularity family",
        title: "Regularity family g_b(xᵀy)",
        description: "f = g_b(xᵀy) with minima on xᵀy = 1 and sharpness ‖x‖² + ‖y‖² there for every b. \
                      Small b (good regularity): edge of stability, balancing, catapults. Large b (bad \
                      regularity, b = 6: ℓ2 loss on a cubic): one-sided stability, limiting sharpness well below 2/η.",
        citation: "Wang, Xu, Zhao, Tao (000) §3.1, eq. (2), Prop. 5 (eq. (2) reconstructed: see the module docs)",
        params: &[
            ParamSchema::real("b", 1.0, 0.0, 14.0, "degree of regularity: 0 ≤ b ≤ 2 (smoothed) or b = 6, 10, 14 (odd powers)"),
            D_PARAM,
        ],
    },
    build: |p: &Params| Ok(AnyObjective::Other(Box::new(Bilinear::new(p.integer("d")?, ProductLoss::regularity(p.real("b")?)?)))),
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::check::{derivative_errors, sharpness};

    fn members() -> Vec<ProductLoss> {
        let mut m: Vec<ProductLoss> = [0.0, 0.5, 1.0, 1.5, 2.0, 6.0, 10.0].iter().map(|&b| ProductLoss::regularity(b).unwrap()).collect();
        m.push(ProductLoss::Squared { mu: 1.0 });
        m.push(ProductLoss::Squared { mu: -2.0 });
        m
    }

    #[test]
    fn the_balanced_two_cycle_and_its_multipliers_are_newtons() {
        use crate::optimizer::gd::GdMap;
        use crate::orbit::{multipliers, newton::orbit_jacobian, solve, NewtonOptions, Stop};
        for d in [1, 3] {
            let f = Bilinear::new(d, ProductLoss::Squared { mu: 1.0 });
            let eta = 1.1;
            let (a, b) = f.balanced_two_cycle(eta).unwrap();
            let u = 1.0 / (d as f64).sqrt();
            // A start off the orbit and off balance.
            let mut start = vec![(a + 0.02) * u; d];
            start.extend(vec![(a - 0.01) * u; d]);
            let mut map = GdMap::new(&f, eta);
            let r = solve(&mut map, &start, 2, &NewtonOptions { max_iter: 50, tol: 1e-14, line_search: true }).unwrap();
            assert_eq!(r.stop, Stop::Converged);
            let s0 = r.orbit[0][..d].iter().map(|v| v * v).sum::<f64>().sqrt();
            let s1 = r.orbit[1][..d].iter().map(|v| v * v).sum::<f64>().sqrt();
            assert!((s0.max(s1) - a).abs() < 1e-12 && (s0.min(s1) - b).abs() < 1e-12, "d {d}: {s0} {s1}");
            let found = multipliers(&orbit_jacobian(&map, &r.orbit), false).unwrap();
            let expected = f.balanced_two_cycle_multipliers(eta).unwrap();
            assert_eq!(found.len(), expected.len());
            for (z, e) in found.iter().zip(&expected) {
                assert!((z.re - e).abs() < 1e-12 && z.im.abs() < 1e-12, "d {d}: {found:?} vs {expected:?}");
            }
        }
        assert!(Bilinear::new(1, ProductLoss::Smoothed { b: 1.0 }).balanced_two_cycle(1.1).is_none());
        assert!(Bilinear::new(1, ProductLoss::Squared { mu: 1.0 }).balanced_two_cycle(0.9).is_none());
    }

    #[test]
    fn every_member_has_g_zero_flat_and_unit_curvature_at_its_minimum() {
        for g in members() {
            let z = g.minimiser();
            let (v, d1, d2) = g.eval(z);
            assert!(v.abs() < 1e-15 && d1.abs() < 1e-15 && (d2 - 1.0).abs() < 1e-14, "{g:?}: {v} {d1} {d2}");
            for dz in [-3.0, -0.7, 0.4, 2.0] {
                assert!(g.eval(z + dz).0 > 0.0, "{g:?} positive away from its minimum");
            }
        }
    }

    #[test]
    fn scalar_derivatives_match_finite_differences() {
        for g in members() {
            for z in [-1.3, 0.2, 0.9, 1.7] {
                let h = 1e-6;
                let (_, d1, d2) = g.eval(z);
                let fd1 = (g.eval(z + h).0 - g.eval(z - h).0) / (2.0 * h);
                let fd2 = (g.eval(z + h).1 - g.eval(z - h).1) / (2.0 * h);
                assert!((fd1 - d1).abs() < 1e-6 * (1.0 + d1.abs()), "{g:?} z {z}: g′ {d1} vs {fd1}");
                assert!((fd2 - d2).abs() < 1e-6 * (1.0 + d2.abs()), "{g:?} z {z}: g″ {d2} vs {fd2}");
            }
        }
    }

    #[test]
    fn smoothed_branch_is_continuous_in_b_at_zero_and_two() {
        let near0 = ProductLoss::Smoothed { b: 1e-9 }.eval(2.5).0;
        assert!((near0 - ProductLoss::Smoothed { b: 0.0 }.eval(2.5).0).abs() < 1e-9, "{near0}");
        let two = ProductLoss::Smoothed { b: 2.0 }.eval(2.5).0;
        assert!((two - 1.5 * 1.5 / 2.0).abs() < 1e-15, "b = 2 is the factorisation");
        assert_eq!(ProductLoss::OddPower { k: 1 }.eval(2.5).0, two);
    }

    #[test]
    fn gradient_and_hvp_match_central_differences() {
        for g in members() {
            for d in [1, 3] {
                let f = Bilinear::new(d, g);
                let theta: Vec<f64> = (0..2 * d).map(|i| 0.3 + 0.17 * i as f64).collect();
                let v: Vec<f64> = (0..2 * d).map(|i| 1.0 - 0.4 * i as f64).collect();
                let (ge, he) = derivative_errors(&f, &theta, &v, 1e-6);
                assert!(ge < 1e-7 && he < 1e-7, "{g:?} d {d}: {ge} {he}");
            }
        }
    }

    #[test]
    fn sharpness_at_minimisers_is_the_squared_norm() {
        for g in members() {
            for d in [1, 2, 5] {
                let f = Bilinear::new(d, g);
                for m in f.known_minimizers() {
                    assert!(f.value(&m) < 1e-28, "{g:?}: f = {}", f.value(&m));
                    let norm2: f64 = m.iter().map(|v| v * v).sum();
                    let s = sharpness(&f, &m);
                    assert!((s - norm2).abs() < 1e-12 * norm2, "{g:?} d {d}: {s} vs ‖x‖² + ‖y‖² = {norm2}");
                }
            }
        }
    }

    #[test]
    fn degrees_outside_the_family_are_refused() {
        for b in [2.5, 4.0, 8.0, 7.0] {
            assert_eq!(ProductLoss::regularity(b).unwrap_err().field, "objective.b");
        }
    }
}
