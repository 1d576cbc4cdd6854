//! The number types a formula is evaluated over: plain `f64` for values, and forward-mode dual
//! numbers for exact derivatives.
//!
//! * [`Dual`] a + a′ε with ε² = 0 carries one directional derivative: seeding the variable x_i
//!   with ε gives ∂f/∂x_i.
//! * [`HyperDual`] a + a₁ε₁ + a₂ε₂ + a₁₂ε₁ε₂ with ε₁² = ε₂² = 0 carries a mixed second derivative:
//!   seeding x with ε₁ along u and ε₂ along v gives uᵀ∇²f(x)v in the ε₁ε₂ part (forward over
//!   forward).
//!
//! Every operation a formula can use is either arithmetic (implemented per type below) or a
//! univariate function g lifted by the chain rule from g, g′ and g″ at the real part
//! ([`Scalar::chain`]); a further number type (a third-order one for ∇³f[u, u]) plugs in by
//! implementing the same trait, with `chain` widened to g‴.

use std::ops::{Add, Div, Mul, Neg, Sub};

/// A number a formula can be evaluated over.
pub(super) trait Scalar:
    Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + Div<Output = Self> + Neg<Output = Self>
{
    /// A constant: every derivative part zero.
    fn constant(c: f64) -> Self;
    /// The real part (the value of the formula itself).
    fn re(self) -> f64;
    /// g(self) for a univariate g with g(self.re()) = `value`; `derivatives()` gives
    /// (g′, g″) at the real part and is called only by types that carry derivatives.
    fn chain(self, value: f64, derivatives: impl FnOnce() -> (f64, f64)) -> Self;
}

impl Scalar for f64 {
    #[inline]
    fn constant(c: f64) -> Self {
        c
    }
    #[inline]
    fn re(self) -> f64 {
        self
    }
    #[inline]
    fn chain(self, value: f64, _: impl FnOnce() -> (f64, f64)) -> Self {
        value
    }
}

/// a + a′ε with ε² = 0: a value and one directional derivative.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Dual {
    /// The value.
    pub re: f64,
    /// The directional derivative.
    pub eps: f64,
}

impl Add for Dual {
    type Output = Self;
    #[inline]
    fn add(self, b: Self) -> Self {
        Self { re: self.re + b.re, eps: self.eps + b.eps }
    }
}

impl Sub for Dual {
    type Output = Self;
    #[inline]
    fn sub(self, b: Self) -> Self {
        Self { re: self.re - b.re, eps: self.eps - b.eps }
    }
}

impl Mul for Dual {
    type Output = Self;
    #[inline]
    fn mul(self, b: Self) -> Self {
        Self { re: self.re * b.re, eps: self.re * b.eps + self.eps * b.re }
    }
}

impl Div for Dual {
    type Output = Self;
    /// (a/b)′ = (a′ − (a/b) b′)/b.
    #[inline]
    fn div(self, b: Self) -> Self {
        let q = self.re / b.re;
        Self { re: q, eps: (self.eps - q * b.eps) / b.re }
    }
}

impl Neg for Dual {
    type Output = Self;
    #[inline]
    fn neg(self) -> Self {
        Self { re: -self.re, eps: -self.eps }
    }
}

impl Scalar for Dual {
    #[inline]
    fn constant(c: f64) -> Self {
        Self { re: c, eps: 0.0 }
    }
    #[inline]
    fn re(self) -> f64 {
        self.re
    }
    #[inline]
    fn chain(self, value: f64, derivatives: impl FnOnce() -> (f64, f64)) -> Self {
        Self { re: value, eps: derivatives().0 * self.eps }
    }
}

/// a + a₁ε₁ + a₂ε₂ + a₁₂ε₁ε₂ with ε₁² = ε₂² = 0: a value, two directional derivatives and the
/// mixed second derivative along both directions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct HyperDual {
    /// The value.
    pub re: f64,
    /// The derivative along the first direction.
    pub e1: f64,
    /// The derivative along the second direction.
    pub e2: f64,
    /// The second derivative along both directions.
    pub e12: f64,
}

impl Add for HyperDual {
    type Output = Self;
    #[inline]
    fn add(self, b: Self) -> Self {
        Self { re: self.re + b.re, e1: self.e1 + b.e1, e2: self.e2 + b.e2, e12: self.e12 + b.e12 }
    }
}

impl Sub for HyperDual {
    type Output = Self;
    #[inline]
    fn sub(self, b: Self) -> Self {
        Self { re: self.re - b.re, e1: self.e1 - b.e1, e2: self.e2 - b.e2, e12: self.e12 - b.e12 }
    }
}

impl Mul for HyperDual {
    type Output = Self;
    #[inline]
    fn mul(self, b: Self) -> Self {
        Self {
            re: self.re * b.re,
            e1: self.re * b.e1 + self.e1 * b.re,
            e2: self.re * b.e2 + self.e2 * b.re,
            e12: self.re * b.e12 + self.e1 * b.e2 + self.e2 * b.e1 + self.e12 * b.re,
        }
    }
}

impl Div for HyperDual {
    type Output = Self;
    /// a · (1/b), with 1/b lifted from (1/t)′ = −1/t², (1/t)″ = 2/t³.
    #[inline]
    fn div(self, b: Self) -> Self {
        let r = 1.0 / b.re;
        self * b.chain(r, || (-r * r, 2.0 * r * r * r))
    }
}

impl Neg for HyperDual {
    type Output = Self;
    #[inline]
    fn neg(self) -> Self {
        Self { re: -self.re, e1: -self.e1, e2: -self.e2, e12: -self.e12 }
    }
}

impl Scalar for HyperDual {
    #[inline]
    fn constant(c: f64) -> Self {
        Self { re: c, e1: 0.0, e2: 0.0, e12: 0.0 }
    }
    #[inline]
    fn re(self) -> f64 {
        self.re
    }
    /// g(a)₁₂ = g′(a)·a₁₂ + g″(a)·a₁·a₂.
    #[inline]
    fn chain(self, value: f64, derivatives: impl FnOnce() -> (f64, f64)) -> Self {
        let (d1, d2) = derivatives();
        Self { re: value, e1: d1 * self.e1, e2: d1 * self.e2, e12: d1 * self.e12 + d2 * self.e1 * self.e2 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hyper(re: f64, e1: f64, e2: f64) -> HyperDual {
        HyperDual { re, e1, e2, e12: 0.0 }
    }

    #[test]
    fn products_and_quotients_carry_exact_derivatives() {
        // d/dx (x³) at 2 = 12; d²/dx² = 12.
        let x = hyper(2.0, 1.0, 1.0);
        let c = x * x * x;
        assert_eq!((c.re, c.e1, c.e2, c.e12), (8.0, 12.0, 12.0, 12.0));
        // d/dx (1/x) at 2 = −1/4; d²/dx² = 2/8.
        let q = HyperDual::constant(1.0) / x;
        assert_eq!((q.re, q.e1, q.e12), (0.5, -0.25, 0.25));
        // ∂²(xy)/∂x∂y = 1.
        let xy = hyper(3.0, 1.0, 0.0) * hyper(5.0, 0.0, 1.0);
        assert_eq!((xy.re, xy.e1, xy.e2, xy.e12), (15.0, 5.0, 3.0, 1.0));
        let d = Dual { re: 3.0, eps: 1.0 } / Dual { re: 2.0, eps: 0.0 };
        assert_eq!((d.re, d.eps), (1.5, 0.5));
        let d = Dual::constant(1.0) / Dual { re: 2.0, eps: 1.0 };
        assert_eq!((d.re, d.eps), (0.5, -0.25));
    }

    #[test]
    fn chain_rule_uses_the_derivatives_only_where_carried() {
        let called = std::cell::Cell::new(false);
        let v = 2.0f64.chain(7.0, || {
            called.set(true);
            (0.0, 0.0)
        });
        assert_eq!(v, 7.0);
        assert!(!called.get(), "plain values never compute derivatives");
        // g(t) = t², at a = 3 with a₁ = 2, a₂ = 5: g₁₂ = g′·0 + g″·a₁a₂ = 2·10.
        let h = hyper(3.0, 2.0, 5.0).chain(9.0, || (6.0, 2.0));
        assert_eq!((h.re, h.e1, h.e2, h.e12), (9.0, 12.0, 30.0, 20.0));
    }
}
