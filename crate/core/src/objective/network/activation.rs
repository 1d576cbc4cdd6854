//! Elementwise activations σ with their first two derivatives, for the multilayer perceptrons of
//! paper 000 §3.2 (Example 1: tanh, ReLU and the cubic x³ with their degrees of regularity) and
//! App. F, plus GELU and the identity.
//!
//! Transcendental functions come from pure-Rust code, not the platform's C library: tanh from
//! [`super::kernels::tanh`] (vectorised, the same bits on x86-64 and wasm32), erf and
//! exp from the `libm` crate (a port of musl's).
//!
//! | name | σ(u) | σ′(u) | σ″(u) |
//! | --- | --- | --- | --- |
//! | tanh | t = tanh u | 1 − t² | −2t(1 − t²) |
//! | relu | max(u, 0) | 1 if u > 0 else 0 | 0 |
//! | gelu | u Φ(u) | Φ(u) + u φ(u) | φ(u)(2 − u²) |
//! | cubic | u³ | 3u² | 6u |
//! | linear | u | 1 | 0 |
//!
//! with Φ(u) = (1 + erf(u/√2))/2 the standard normal distribution function and
//! φ(u) = e^{−u²/2}/√(2π) its density (so Φ′ = φ and φ′(u) = −uφ(u), which gives GELU's
//! derivatives by the product rule). ReLU's derivatives at the kink u = 0 are taken as 0, as in
//! PyTorch; its second derivative is zero everywhere else, so a ReLU network's Hessian is the
//! generalized Gauss–Newton term plus the terms where a residual meets two different layers
//! (see [`super::mlp`]).

use super::kernels;
use crate::error::{Result, SpecError};

/// An activation function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// tanh u.
    Tanh,
    /// max(u, 0).
    Relu,
    /// u Φ(u), the exact (erf-based) GELU.
    Gelu,
    /// u³.
    Cubic,
    /// u.
    Linear,
}

/// The names a spec may use, in the order a selector lists them.
pub const ACTIVATION_NAMES: &[&str] = &["tanh", "relu", "gelu", "cubic", "linear"];

impl Activation {
    /// The activation called `name` (one of [`ACTIVATION_NAMES`]).
    pub fn parse(name: &str) -> Result<Self> {
        Ok(match name {
            "tanh" => Activation::Tanh,
            "relu" => Activation::Relu,
            "gelu" => Activation::Gelu,
            "cubic" => Activation::Cubic,
            "linear" => Activation::Linear,
            _ => return Err(SpecError::new("objective.activation", format!("must be one of {ACTIVATION_NAMES:?} (got {name:?})"))),
        })
    }

    /// (σ(u), σ′(u), σ″(u)).
    #[inline]
    pub fn eval(self, u: f64) -> (f64, f64, f64) {
        match self {
            Activation::Tanh => {
                let mut t = [0.0];
                kernels::tanh(&[u], &mut t);
                tanh_derivatives(t[0])
            }
            Activation::Relu => {
                if u > 0.0 {
                    (u, 1.0, 0.0)
                } else {
                    (0.0, 0.0, 0.0)
                }
            }
            Activation::Gelu => {
                let cdf = 0.5 * (1.0 + libm::erf(u * std::f64::consts::FRAC_1_SQRT_2));
                let pdf = libm::exp(-0.5 * u * u) * (0.5 * std::f64::consts::FRAC_2_SQRT_PI * std::f64::consts::FRAC_1_SQRT_2);
                (u * cdf, cdf + u * pdf, pdf * (2.0 - u * u))
            }
            Activation::Cubic => (u * u * u, 3.0 * u * u, 6.0 * u),
            Activation::Linear => (u, 1.0, 0.0),
        }
    }

    /// Applies σ to `pre` elementwise, writing σ into `out`, σ′ into `d1` and, when given, σ″
    /// into `d2`.
    pub fn apply(self, pre: &[f64], out: &mut [f64], d1: &mut [f64], d2: Option<&mut [f64]>) {
        if self == Activation::Tanh {
            kernels::tanh(pre, out);
            match d2 {
                Some(d2) => {
                    for ((t, g1), g2) in out.iter().zip(d1.iter_mut()).zip(d2.iter_mut()) {
                        (_, *g1, *g2) = tanh_derivatives(*t);
                    }
                }
                None => {
                    for (t, g1) in out.iter().zip(d1.iter_mut()) {
                        *g1 = tanh_derivatives(*t).1;
                    }
                }
            }
            return;
        }
        match d2 {
            Some(d2) => {
                for (((u, a), g1), g2) in pre.iter().zip(out.iter_mut()).zip(d1.iter_mut()).zip(d2.iter_mut()) {
                    (*a, *g1, *g2) = self.eval(*u);
                }
            }
            None => {
                for ((u, a), g1) in pre.iter().zip(out.iter_mut()).zip(d1.iter_mut()) {
                    let (s, s1, _) = self.eval(*u);
                    (*a, *g1) = (s, s1);
                }
            }
        }
    }
}

/// (σ, σ′, σ″) of tanh at the point where t = tanh u.
fn tanh_derivatives(t: f64) -> (f64, f64, f64) {
    let d = 1.0 - t * t;
    (t, d, -2.0 * t * d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivatives_match_central_differences() {
        let h = 1e-6;
        for name in ACTIVATION_NAMES {
            let act = Activation::parse(name).unwrap();
            for u in [-2.3, -0.7, -0.1, 0.3, 0.9, 1.7] {
                let (_, d1, d2) = act.eval(u);
                let fd1 = (act.eval(u + h).0 - act.eval(u - h).0) / (2.0 * h);
                let fd2 = (act.eval(u + h).1 - act.eval(u - h).1) / (2.0 * h);
                assert!((fd1 - d1).abs() < 1e-8 * (1.0 + d1.abs()), "{name} σ′({u}): {d1} vs {fd1}");
                assert!((fd2 - d2).abs() < 1e-7 * (1.0 + d2.abs()), "{name} σ″({u}): {d2} vs {fd2}");
            }
        }
    }

    #[test]
    fn gelu_takes_known_values() {
        // Φ(1) = 0.841344746068543 (tables of the normal distribution).
        let (g, _, _) = Activation::Gelu.eval(1.0);
        assert!((g - 0.841344746068543).abs() < 1e-15, "{g}");
        assert_eq!(Activation::Gelu.eval(0.0), (0.0, 0.5, 2.0 / (2.0 * std::f64::consts::PI).sqrt()));
        assert_eq!(Activation::parse("swish").unwrap_err().field, "objective.activation");
    }
}
