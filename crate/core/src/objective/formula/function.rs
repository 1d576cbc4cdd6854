//! The elementary functions and powers a formula can use, each with its first two derivatives in
//! closed form, lifted to any [`Scalar`] by the chain rule.
//!
//! Outside a function's domain the value is NaN or ±∞ (log of a negative number, sqrt of a
//! negative number, division by zero), exactly as in `f64` arithmetic; a GD run reaching such a
//! point reports divergence. Where a function is not differentiable the derivatives are the
//! one-sided limits the formulas below give (possibly ±∞ or NaN), except |t|′ at 0, taken as 0.

use super::scalar::Scalar;

/// A function of one argument, written `name(…)` in a formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Func {
    Sin,
    Cos,
    Tan,
    Tanh,
    Exp,
    /// The natural logarithm.
    Log,
    Sqrt,
    Abs,
}

impl Func {
    /// Every function, in the order error messages list them.
    pub const ALL: [Func; 8] = [Func::Sin, Func::Cos, Func::Tan, Func::Tanh, Func::Exp, Func::Log, Func::Sqrt, Func::Abs];

    /// The function called `name`, if any.
    pub fn named(name: &str) -> Option<Func> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Its name in a formula.
    pub fn name(self) -> &'static str {
        match self {
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Tan => "tan",
            Func::Tanh => "tanh",
            Func::Exp => "exp",
            Func::Log => "log",
            Func::Sqrt => "sqrt",
            Func::Abs => "abs",
        }
    }

    /// The names of all functions, comma-separated, for messages.
    pub fn list() -> String {
        Self::ALL.map(Func::name).join(", ")
    }

    /// self(x), with derivatives; transcendental functions from libm, so native and wasm agree to
    /// the bit.
    #[inline]
    pub fn apply<T: Scalar>(self, x: T) -> T {
        let a = x.re();
        match self {
            Func::Sin => {
                let s = libm::sin(a);
                x.chain(s, || (libm::cos(a), -s))
            }
            Func::Cos => {
                let c = libm::cos(a);
                x.chain(c, || (-libm::sin(a), -c))
            }
            Func::Tan => {
                let t = libm::tan(a);
                x.chain(t, || {
                    let d = 1.0 + t * t;
                    (d, 2.0 * t * d)
                })
            }
            Func::Tanh => {
                let t = libm::tanh(a);
                x.chain(t, || {
                    let d = 1.0 - t * t;
                    (d, -2.0 * t * d)
                })
            }
            Func::Exp => {
                let e = libm::exp(a);
                x.chain(e, || (e, e))
            }
            Func::Log => x.chain(libm::log(a), || (1.0 / a, -1.0 / (a * a))),
            Func::Sqrt => {
                let s = a.sqrt();
                x.chain(s, || (0.5 / s, -0.25 / (s * s * s)))
            }
            Func::Abs => x.chain(a.abs(), || {
                let sign = if a > 0.0 {
                    1.0
                } else if a < 0.0 {
                    -1.0
                } else {
                    a * 0.0 // 0 at ±0, NaN at NaN
                };
                (sign, 0.0)
            }),
        }
    }
}

/// x^c for a constant exponent c. Whole exponents (|c| ≤ 2²⁰) go through repeated
/// multiplication, so negative bases are fine and x^2 is exact; other exponents through
/// `powf`, NaN for negative x. The derivative terms whose coefficient c or c(c − 1) vanishes are
/// exactly 0 (so x^1 has second derivative 0 at x = 0, not 0·∞).
#[inline]
pub(super) fn pow_constant<T: Scalar>(x: T, c: f64) -> T {
    let a = x.re();
    let pow = |e: f64| -> f64 {
        if e.fract() == 0.0 && e.abs() <= (1u32 << 20) as f64 {
            a.powi(e as i32)
        } else {
            libm::pow(a, e)
        }
    };
    x.chain(pow(c), || {
        let d1 = if c == 0.0 { 0.0 } else { c * pow(c - 1.0) };
        let d2 = if c == 0.0 || c == 1.0 { 0.0 } else { c * (c - 1.0) * pow(c - 2.0) };
        (d1, d2)
    })
}

/// x^y for a non-constant exponent, as exp(y·log x): defined for x > 0 (NaN otherwise).
#[inline]
pub(super) fn pow<T: Scalar>(x: T, y: T) -> T {
    Func::Exp.apply(y * Func::Log.apply(x))
}

#[cfg(test)]
mod tests {
    use super::super::scalar::HyperDual;
    use super::*;

    /// g(a), g′(a), g″(a) through a hyper-dual seeded with ε₁ = ε₂ = 1.
    fn derivatives(g: impl Fn(HyperDual) -> HyperDual, a: f64) -> (f64, f64, f64) {
        let h = g(HyperDual { re: a, e1: 1.0, e2: 1.0, e12: 0.0 });
        (h.re, h.e1, h.e12)
    }

    #[test]
    fn names_round_trip() {
        for f in Func::ALL {
            assert_eq!(Func::named(f.name()), Some(f));
        }
        assert_eq!(Func::named("sinh"), None);
        assert_eq!(Func::list(), "sin, cos, tan, tanh, exp, log, sqrt, abs");
    }

    #[test]
    fn derivatives_match_closed_forms() {
        let a = 0.7f64;
        let close = |(v, d1, d2): (f64, f64, f64), (w, e1, e2): (f64, f64, f64)| {
            for (p, q) in [(v, w), (d1, e1), (d2, e2)] {
                assert!((p - q).abs() <= 1e-15 * (1.0 + q.abs()), "{p} vs {q}");
            }
        };
        close(derivatives(|x| Func::Sin.apply(x), a), (a.sin(), a.cos(), -a.sin()));
        close(derivatives(|x| Func::Cos.apply(x), a), (a.cos(), -a.sin(), -a.cos()));
        let sec2 = 1.0 / (a.cos() * a.cos());
        close(derivatives(|x| Func::Tan.apply(x), a), (a.tan(), sec2, 2.0 * a.tan() * sec2));
        let sech2 = 1.0 / (a.cosh() * a.cosh());
        close(derivatives(|x| Func::Tanh.apply(x), a), (a.tanh(), sech2, -2.0 * a.tanh() * sech2));
        close(derivatives(|x| Func::Exp.apply(x), a), (a.exp(), a.exp(), a.exp()));
        close(derivatives(|x| Func::Log.apply(x), a), (a.ln(), 1.0 / a, -1.0 / (a * a)));
        close(derivatives(|x| Func::Sqrt.apply(x), a), (a.sqrt(), 0.5 / a.sqrt(), -0.25 * a.powf(-1.5)));
        close(derivatives(|x| Func::Abs.apply(x), -a), (a, -1.0, 0.0));
        close(derivatives(|x| pow_constant(x, 2.5), a), (a.powf(2.5), 2.5 * a.powf(1.5), 3.75 * a.sqrt()));
        close(derivatives(|x| pow_constant(x, 3.0), -a), (-a * a * a, 3.0 * a * a, -6.0 * a));
        close(derivatives(|x| pow(x, x), a), (a.powf(a), a.powf(a) * (1.0 + a.ln()), a.powf(a) * ((1.0 + a.ln()).powi(2) + 1.0 / a)));
    }

    #[test]
    fn vanishing_coefficients_give_exact_zeros() {
        assert_eq!(derivatives(|x| pow_constant(x, 1.0), 0.0), (0.0, 1.0, 0.0));
        assert_eq!(derivatives(|x| pow_constant(x, 0.0), 0.0), (1.0, 0.0, 0.0));
        assert_eq!(derivatives(|x| pow_constant(x, 2.0), 0.0), (0.0, 0.0, 2.0));
        assert_eq!(derivatives(|x| Func::Abs.apply(x), 0.0), (0.0, 0.0, 0.0));
    }

    #[test]
    fn outside_the_domain_values_are_not_finite() {
        assert!(Func::Log.apply(-1.0f64).is_nan());
        assert_eq!(Func::Log.apply(0.0f64), f64::NEG_INFINITY);
        assert!(Func::Sqrt.apply(-1.0f64).is_nan());
        assert!(pow_constant(-2.0f64, 0.5).is_nan());
        assert_eq!(pow_constant(-2.0f64, 3.0), -8.0);
        assert!(pow(-2.0f64, 3.0).is_nan());
    }
}
