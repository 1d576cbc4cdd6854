//! Neural-network objectives with exact derivatives (issue 3, items 7–9):
//! * `single_neuron_population` and `single_neuron_empirical`: the ReLU neuron a·σ(wᵀx) learning
//!   a teacher σ(w*ᵀx) from inputs uniform on the sphere (paper 002 §5, Thm 4, App. B.3.1), in
//!   closed form through the arc-cosine kernel and on n seeded samples (`single_neuron.rs`);
//! * `two_layer_orthogonal`: Σⱼ aⱼσ(⟨wⱼ, x⟩) on orthonormal inputs from small initialisation, with
//!   the sharpening directions v₊ and v₋ of paper 003 Thm 3.1 (`two_layer.rs`);
//! * `mlp`: multilayer perceptrons with tanh, ReLU, GELU, cubic or linear activations, ½-MSE,
//!   Huber or cross-entropy loss and optional full-batch normalisation, on Chebyshev, orthogonal,
//!   planted-teacher or handwritten-digit data (paper 000 §7, App. F; paper 002 App. B.3)
//!   (`perceptron.rs`).
//!
//! The empirical objectives share one engine, `Mlp` (`mlp.rs`): backpropagation for the gradient and
//! forward-over-reverse differentiation for exact Hessian-vector products, batched over the
//! samples as matrix products through faer's GEMM (`kernels.rs`). Randomness (data,
//! initialisation) comes from ChaCha8 streams of the spec's seed ([`seeded_stream`]): the same
//! spec gives the same data and start natively and in wasm32, and the same numbers on one
//! machine; natively and in wasm32 the networks' derivatives agree to rounding, not bit for bit
//! (the GEMM fuses multiply-adds where the CPU has them; see `kernels.rs`).

mod activation;
mod batch_norm;
mod data;
mod digits;
mod kernels;
mod loss;
mod mlp;
mod perceptron;
mod single_neuron;
mod two_layer;

pub use mlp::{MAX_ACTIVATIONS, MAX_HIDDEN_LAYERS, MAX_PARAMETERS, MAX_SAMPLES, MAX_WIDTH, MAX_WORK};
pub use two_layer::TwoLayerOrthogonal;

pub(super) use perceptron::REGISTERED as MLP;
pub(super) use single_neuron::{EMPIRICAL as SINGLE_NEURON_EMPIRICAL, POPULATION as SINGLE_NEURON_POPULATION};
pub(super) use two_layer::REGISTERED as TWO_LAYER_ORTHOGONAL;

use rand_chacha::ChaCha8Rng;

use crate::random::seeded;

/// The stream of a seed that data sets are drawn from.
pub const DATA_STREAM: u64 = 1;
/// The stream of a seed that initial parameters are drawn from (independent of the data, so
/// changing the network never changes its data).
pub const INIT_STREAM: u64 = 2;

/// The ChaCha8 generator of `seed` on `stream`.
pub fn seeded_stream(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = seeded(seed);
    rng.set_stream(stream);
    rng
}

#[cfg(test)]
pub(crate) mod check {
    //! Finite-difference checks shared by the network objectives: errors relative to the size of
    //! the exact derivative, so that objectives of any scale are held to the same standard.
    use crate::objective::Objective;

    /// Largest discrepancies between the exact gradient and Hessian-vector product of `f` at `x`
    /// (along `v`) and central differences with step `h`, each relative to the largest entry of
    /// the exact vector: (gradient error, HVP error).
    pub fn relative_derivative_errors(f: &dyn Objective, x: &[f64], v: &[f64], h: f64) -> (f64, f64) {
        let n = f.dim();
        let mut g = vec![0.0; n];
        f.gradient(x, &mut g);
        let fd_grad: Vec<f64> = (0..n)
            .map(|i| {
                let (mut xp, mut xm) = (x.to_vec(), x.to_vec());
                xp[i] += h;
                xm[i] -= h;
                (f.value(&xp) - f.value(&xm)) / (2.0 * h)
            })
            .collect();
        let mut hv = vec![0.0; n];
        f.hessian_vector(x, v, &mut hv);
        let shifted = |s: f64| {
            let y: Vec<f64> = x.iter().zip(v).map(|(a, b)| a + s * b).collect();
            let mut g = vec![0.0; n];
            f.gradient(&y, &mut g);
            g
        };
        let (gp, gm) = (shifted(h), shifted(-h));
        let fd_hv: Vec<f64> = gp.iter().zip(&gm).map(|(p, m)| (p - m) / (2.0 * h)).collect();
        (relative_error(&g, &fd_grad), relative_error(&hv, &fd_hv))
    }

    /// max_i |exact_i − approx_i| / max_i |exact_i| (absolute when the exact vector is 0).
    pub fn relative_error(exact: &[f64], approx: &[f64]) -> f64 {
        let scale = exact.iter().fold(0.0f64, |m, e| m.max(e.abs()));
        let worst = exact.iter().zip(approx).fold(0.0f64, |m, (e, a)| m.max((e - a).abs()));
        if scale > 0.0 {
            worst / scale
        } else {
            worst
        }
    }

    /// max |H − Hᵀ| / max |H| of the dense Hessian assembled from Hessian-vector products.
    pub fn hessian_asymmetry(f: &dyn Objective, x: &[f64]) -> f64 {
        let h = f.hessian(x);
        let scale = h.amax();
        let asym = (&h - h.transpose()).amax();
        if scale > 0.0 {
            asym / scale
        } else {
            asym
        }
    }

    /// A seeded point with entries in [−1, 1] (for directions and perturbations).
    pub fn seeded_vector(n: usize, seed: u64) -> Vec<f64> {
        use rand::Rng;
        let mut rng = crate::random::seeded(seed);
        (0..n).map(|_| rng.random_range(-1.0..1.0)).collect()
    }
}
