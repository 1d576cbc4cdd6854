//! Multilayer perceptrons with exact derivatives: the gradient by backpropagation and the
//! Hessian-vector product by forward-over-reverse differentiation (Pearlmutter, *Fast exact
//! multiplication by the Hessian*, Neural Computation 6(1), 1994: the R-operator
//! R{·} = d/dt|_{t=0} (·)(θ + tv) pushed through the forward and the backward pass). Used for
//! the networks of paper 000 §7 and App. F, paper 002 §5 and App. B.3, and paper 003 §2.
//!
//! # The network
//! Layers l = 1 … L with widths d₀ (inputs), d₁, …, d_L (outputs):
//! z_l = W_l a_{l−1} + b_l, then for hidden layers (l < L) optionally batch-normalised,
//! u_l = BN(z_l) ([`super::batch_norm`], full-batch statistics, no affine parameters) or u_l = z_l,
//! and a_l = σ(u_l); the output is o = z_L (no activation). a₀ is the input. The objective is the
//! mean loss over the data set ([`super::loss`]).
//!
//! # Parameter order
//! Layer by layer, l = 1 … L: W_l row by row (W_l[o, k] at offset o·d_{l−1} + k: all weights into
//! output unit o are contiguous), then b_l when biases are on.
//!
//! # Gradient (backpropagation)
//! With g_L = ∂ℓ/∂o from the loss, for l = L … 1: ∂ℓ/∂W_l = g_l a_{l−1}ᵀ, ∂ℓ/∂b_l = g_l 1; then
//! ∂ℓ/∂a_{l−1} = W_lᵀ g_l, ∂ℓ/∂u_{l−1} = σ′(u_{l−1}) ⊙ ∂ℓ/∂a_{l−1} and g_{l−1} = J_BN ∂ℓ/∂u_{l−1}
//! (or ∂ℓ/∂u_{l−1} without batch normalisation).
//!
//! # Hessian-vector product (forward over reverse)
//! For a direction v = (V_l, c_l) in the same layout, apply R{·} to every line above. Forward:
//! R{z_l} = W_l R{a_{l−1}} + V_l a_{l−1} + c_l (R{a₀} = 0), R{u_l} = J_BN R{z_l} with
//! R{s} = −s² mean(u R{z}), R{a_l} = σ′(u_l) ⊙ R{u_l}; R{o} = R{z_L}. Backward: R{g_L} is the
//! loss curvature times R{o}; for l = L … 1:
//! * Hv for W_l: R{g_l} a_{l−1}ᵀ + g_l R{a_{l−1}}ᵀ; for b_l: R{g_l} 1;
//! * R{∂ℓ/∂a_{l−1}} = W_lᵀ R{g_l} + V_lᵀ g_l;
//! * R{∂ℓ/∂u} = σ′(u) ⊙ R{∂ℓ/∂a} + σ″(u) ⊙ R{u} ⊙ ∂ℓ/∂a;
//! * R{g_{l−1}}: [`super::batch_norm::backward_tangent`] (or R{∂ℓ/∂u}).
//!
//! For ReLU, σ″ = 0 almost everywhere, so the exact Hessian is the generalized Gauss–Newton part
//! (the loss curvature seen through the network's Jacobian, which the terms W_lᵀR{g_l} and
//! R{g_l}a_{l−1}ᵀ propagate) plus the terms where the backpropagated residual g meets the
//! direction in another layer: V_lᵀ g_l (through a layer's weights) and g_l R{a_{l−1}}ᵀ (through
//! its input); see [`super::two_layer`] for the two-layer case written out.
//!
//! # Cost
//! Every product is one matrix product over all samples ([`super::kernels::multiply`]). A
//! gradient is one forward pass (one product per layer) and one backward pass (two per layer,
//! one for the first layer). The Hessian-vector product needs the forward pass and its tangent
//! (three products per layer) and the backward pass and its tangent, skipping the gradient itself
//! (five per layer: R{g}aᵀ, g R{a}ᵀ, Wᵀg, WᵀR{g}, Vᵀg), so it costs about 8/3 of a gradient.
//! Buffers live in a workspace that is allocated on first use and reused by later calls (a small
//! pool, so calls from several threads each get their own).

use std::sync::{Mutex, PoisonError};

use super::activation::Activation;
use super::batch_norm;
use super::data::Dataset;
use super::kernels::{matrix, multiply, sum};
use super::loss::Loss;
use crate::error::{Result, SpecError};
use crate::objective::Objective;
use faer::MatRef;

/// Largest number of parameters of a network.
pub const MAX_PARAMETERS: usize = 200_000;
/// Largest number of samples in a data set.
pub const MAX_SAMPLES: usize = 5_000;
/// Largest width of a layer.
pub const MAX_WIDTH: usize = 2_000;
/// Largest number of hidden layers.
pub const MAX_HIDDEN_LAYERS: usize = 8;
/// Largest n × (number of parameters): the multiply-adds of one forward pass, so that one
/// gradient takes a fraction of a second.
pub const MAX_WORK: usize = 50_000_000;
/// Largest n × (input dimension + sum of the layer widths): the inputs and the activations kept
/// for the backward pass (16 MB each at most).
pub const MAX_ACTIVATIONS: usize = 2_000_000;

/// Checks a data set's size before it is generated: 1 ≤ n ≤ [`MAX_SAMPLES`] and
/// n × `input_dim` ≤ [`MAX_ACTIVATIONS`]; errors name `objective.n`.
pub fn check_samples(n: usize, input_dim: usize) -> Result<()> {
    if n == 0 || n > MAX_SAMPLES {
        return Err(SpecError::new("objective.n", format!("must be between 1 and {MAX_SAMPLES} samples (got {n})")));
    }
    if n.saturating_mul(input_dim) > MAX_ACTIVATIONS {
        return Err(SpecError::new(
            "objective.n",
            format!("{n} samples of dimension {input_dim} exceed the cap of {MAX_ACTIVATIONS} stored input values"),
        ));
    }
    Ok(())
}

/// Architecture of a perceptron: hidden widths, activation, biases, batch normalisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Architecture {
    /// Widths of the hidden layers d₁ … d_{L−1}.
    pub hidden: Vec<usize>,
    /// Activation of every hidden layer.
    pub activation: Activation,
    /// Whether every layer has a bias.
    pub bias: bool,
    /// ε of batch normalisation on the hidden pre-activations, or `None` for none.
    pub batch_norm: Option<f64>,
}

/// Offsets of one layer's parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layer {
    /// Input width d_{l−1}.
    pub fan_in: usize,
    /// Output width d_l.
    pub fan_out: usize,
    /// Offset of W_l (row-major, fan_out × fan_in).
    pub weights: usize,
    /// Offset of b_l, when biases are on.
    pub bias: Option<usize>,
}

impl Layer {
    /// W_l of the parameters (or a direction) `p`, fan_out × fan_in.
    fn weight_matrix<'a>(&self, p: &'a [f64]) -> MatRef<'a, f64> {
        matrix(&p[self.weights..], self.fan_out, self.fan_in)
    }
}

/// A perceptron with its data and loss: an [`Objective`] on the flattened parameters.
pub struct Mlp {
    layers: Vec<Layer>,
    activation: Activation,
    batch_norm: Option<f64>,
    inputs: Vec<f64>,
    n: usize,
    loss: Loss,
    dim: usize,
    start: Vec<f64>,
    min_value: Option<f64>,
    minimizers: Vec<Vec<f64>>,
    pool: Mutex<Vec<Workspace>>,
}

impl Mlp {
    /// The network `arch` on `data` with outputs `outputs` wide and loss `loss`. The start is 0
    /// until [`Mlp::with_start`] sets it. Refuses sizes beyond the documented caps, naming
    /// `objective.n` (samples) or `objective.hidden` (widths and parameters).
    pub fn new(data: &Dataset, outputs: usize, loss: Loss, arch: &Architecture) -> Result<Self> {
        let n = data.n;
        check_samples(n, data.input_dim)?;
        if arch.hidden.len() > MAX_HIDDEN_LAYERS {
            return Err(SpecError::new(
                "objective.hidden",
                format!("at most {MAX_HIDDEN_LAYERS} hidden layers (got {})", arch.hidden.len()),
            ));
        }
        if let Some(i) = arch.hidden.iter().position(|&w| w == 0 || w > MAX_WIDTH) {
            return Err(SpecError::new(
                format!("objective.hidden[{i}]"),
                format!("a width must be between 1 and {MAX_WIDTH} (got {})", arch.hidden[i]),
            ));
        }
        let widths: Vec<usize> =
            std::iter::once(data.input_dim).chain(arch.hidden.iter().copied()).chain(std::iter::once(outputs)).collect();
        let mut layers = Vec::with_capacity(widths.len() - 1);
        let mut dim = 0usize;
        for w in widths.windows(2) {
            let weights = dim;
            dim += w[0] * w[1];
            let bias = arch.bias.then(|| {
                dim += w[1];
                dim - w[1]
            });
            layers.push(Layer { fan_in: w[0], fan_out: w[1], weights, bias });
        }
        if dim > MAX_PARAMETERS {
            return Err(SpecError::new(
                "objective.hidden",
                format!("the network has {dim} parameters; at most {MAX_PARAMETERS} are allowed"),
            ));
        }
        if n.saturating_mul(dim) > MAX_WORK {
            return Err(SpecError::new(
                "objective.n",
                format!("{n} samples × {dim} parameters exceeds the cap of {MAX_WORK} multiply-adds per pass; use fewer samples or a smaller network"),
            ));
        }
        let units: usize = widths.iter().sum();
        if n.saturating_mul(units) > MAX_ACTIVATIONS {
            return Err(SpecError::new(
                "objective.n",
                format!("{n} samples × {units} units exceed the cap of {MAX_ACTIVATIONS} stored activations"),
            ));
        }
        Ok(Self {
            layers,
            activation: arch.activation,
            batch_norm: arch.batch_norm,
            inputs: data.inputs.clone(),
            n,
            loss,
            dim,
            start: vec![0.0; dim],
            min_value: None,
            minimizers: Vec::new(),
            pool: Mutex::new(Vec::new()),
        })
    }

    /// The same network with `start` as its default start (length [`Objective::dim`]).
    pub fn with_start(mut self, start: Vec<f64>) -> Self {
        debug_assert_eq!(start.len(), self.dim);
        self.start = start;
        self
    }

    /// The same network with a known minimum value and minimisers (realisable teachers).
    pub fn with_minimum(mut self, min_value: f64, minimizers: Vec<Vec<f64>>) -> Self {
        self.min_value = Some(min_value);
        self.minimizers = minimizers;
        self
    }

    /// The layers' parameter offsets, in order.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// Runs `f` with a workspace from the pool (allocating one if the pool is empty).
    fn with_workspace<T>(&self, f: impl FnOnce(&mut Workspace) -> T) -> T {
        let taken = self.pool.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let mut ws = taken.unwrap_or_else(|| Workspace::new(&self.layers, self.n));
        let result = f(&mut ws);
        self.pool.lock().unwrap_or_else(PoisonError::into_inner).push(ws);
        result
    }

    /// The input of layer l (0-based): the data for l = 0, else the previous layer's activations.
    fn layer_input<'a>(&'a self, ws: &'a Workspace, l: usize) -> &'a [f64] {
        if l == 0 {
            &self.inputs
        } else {
            &ws.act[l - 1]
        }
    }

    /// The forward pass: pre-activations (normalised when batch normalisation is on),
    /// activations and σ′ (and σ″ when `curvature`) of every hidden layer, and the outputs.
    fn forward(&self, x: &[f64], ws: &mut Workspace, curvature: bool) {
        let n = self.n;
        let hidden = self.layers.len() - 1;
        if curvature {
            ws.ensure_tangent_buffers(&self.layers, n);
        }
        for (l, layer) in self.layers.iter().enumerate() {
            let (done, rest) = ws.act.split_at_mut(l.min(hidden));
            let input: &[f64] = if l == 0 { &self.inputs } else { &done[l - 1] };
            let pre = &mut ws.pre[l];
            affine(pre, n, layer, x, input);
            if l == hidden {
                break;
            }
            if let Some(eps) = self.batch_norm {
                for (o, row) in pre.chunks_exact_mut(n).enumerate() {
                    ws.inv_std[l][o] = batch_norm::normalise(row, eps);
                }
            }
            let d2 = if curvature { Some(&mut ws.curve[l][..]) } else { None };
            self.activation.apply(pre, &mut rest[0], &mut ws.slope[l], d2);
        }
    }

    /// The tangent of the forward pass along `v` (after [`Mlp::forward`] with curvature).
    fn forward_tangent(&self, x: &[f64], v: &[f64], ws: &mut Workspace) {
        let n = self.n;
        let hidden = self.layers.len() - 1;
        for (l, layer) in self.layers.iter().enumerate() {
            let mut r_pre = std::mem::take(&mut ws.r_pre[l]);
            // R{z_l} = V_l a_{l−1} + c_l + W_l R{a_{l−1}}.
            affine(&mut r_pre, n, layer, v, self.layer_input(ws, l));
            if l > 0 {
                multiply(&mut r_pre, layer.weight_matrix(x), matrix(&ws.r_act[l - 1], layer.fan_in, n), true);
            }
            if l < hidden {
                if self.batch_norm.is_some() {
                    for (o, row) in r_pre.chunks_exact_mut(n).enumerate() {
                        let u = &ws.pre[l][o * n..(o + 1) * n];
                        let s = ws.inv_std[l][o];
                        ws.r_inv_std[l][o] = batch_norm::inv_std_tangent(u, s, row);
                        batch_norm::project(u, s, row);
                    }
                }
                for ((ra, rz), d1) in ws.r_act[l].iter_mut().zip(&r_pre).zip(&ws.slope[l]) {
                    *ra = d1 * rz;
                }
            }
            ws.r_pre[l] = r_pre;
        }
    }

    /// The backward pass after [`Mlp::forward`]: the gradient into `out` when `tangent` is
    /// `None`; with `tangent = Some(v)` (after [`Mlp::forward_tangent`] along v), the
    /// Hessian-vector product Hv instead.
    fn backward(&self, x: &[f64], tangent: Option<&[f64]>, ws: &mut Workspace, out: &mut [f64]) {
        let n = self.n;
        let last = self.layers.len() - 1;
        let outputs = self.layers[last].fan_out * n;
        self.loss.evaluate(&ws.pre[last], n, Some(&mut ws.g[..outputs]));
        if tangent.is_some() {
            self.loss.curvature_product(&ws.pre[last], n, &ws.r_pre[last], &mut ws.rg[..outputs]);
        }
        for l in (0..=last).rev() {
            let layer = self.layers[l];
            let rows = layer.fan_out * n;
            let input = self.layer_input(ws, l);
            match tangent {
                None => parameter_products(&layer, n, out, &ws.g[..rows], input, None),
                Some(_) => {
                    let second = (l > 0).then(|| (&ws.g[..rows], &ws.r_act[l - 1][..]));
                    parameter_products(&layer, n, out, &ws.rg[..rows], input, second);
                }
            }
            if l == 0 {
                break;
            }
            // Through W_l: ∂ℓ/∂a_{l−1} = W_lᵀ g_l (and its tangent W_lᵀ R{g_l} + V_lᵀ g_l).
            let h = l - 1;
            transpose_products(&mut ws.ga, &layer, n, &[(x, &ws.g)]);
            if let Some(v) = tangent {
                transpose_products(&mut ws.rga, &layer, n, &[(x, &ws.rg), (v, &ws.g)]);
                // R{∂ℓ/∂u} = σ′ ⊙ R{∂ℓ/∂a} + σ″ ⊙ R{u} ⊙ ∂ℓ/∂a.
                for i in 0..layer.fan_in * n {
                    ws.rga[i] = ws.slope[h][i] * ws.rga[i] + ws.curve[h][i] * ws.r_pre[h][i] * ws.ga[i];
                }
            }
            for (g, d1) in ws.ga.iter_mut().zip(&ws.slope[h]) {
                *g *= d1;
            }
            if self.batch_norm.is_some() {
                for o in 0..layer.fan_in {
                    let range = o * n..(o + 1) * n;
                    let (u, s) = (&ws.pre[h][range.clone()], ws.inv_std[h][o]);
                    match tangent {
                        None => batch_norm::project(u, s, &mut ws.ga[range]),
                        Some(_) => batch_norm::backward_tangent(
                            u,
                            s,
                            &ws.r_pre[h][range.clone()],
                            ws.r_inv_std[h][o],
                            &mut ws.ga[range.clone()],
                            &mut ws.rga[range],
                        ),
                    }
                }
            }
            std::mem::swap(&mut ws.g, &mut ws.ga);
            std::mem::swap(&mut ws.rg, &mut ws.rga);
        }
    }
}

/// z ← W·a + b·1ᵀ for one layer with parameters (or a direction) `p`: the layer's n-sample rows
/// `out` from its input rows `input` (fan_in × n).
fn affine(out: &mut [f64], n: usize, layer: &Layer, p: &[f64], input: &[f64]) {
    if let Some(b) = layer.bias {
        for (row, &c) in out.chunks_exact_mut(n).zip(&p[b..b + layer.fan_out]) {
            row.fill(c);
        }
    }
    multiply(out, layer.weight_matrix(p), matrix(input, layer.fan_in, n), layer.bias.is_some());
}

/// The products giving one layer's block of the gradient or Hessian-vector product:
/// out\[W\] = g·aᵀ (+ g₂·a₂ᵀ) and out\[b\] = g·1, where g, a are feature-major rows of n samples.
fn parameter_products(layer: &Layer, n: usize, out: &mut [f64], g: &[f64], a: &[f64], second: Option<(&[f64], &[f64])>) {
    let block = &mut out[layer.weights..layer.weights + layer.fan_out * layer.fan_in];
    multiply(block, matrix(g, layer.fan_out, n), matrix(a, layer.fan_in, n).transpose(), false);
    if let Some((g2, a2)) = second {
        multiply(block, matrix(g2, layer.fan_out, n), matrix(a2, layer.fan_in, n).transpose(), true);
    }
    if let Some(b) = layer.bias {
        for (o, row) in g[..layer.fan_out * n].chunks_exact(n).enumerate() {
            out[b + o] = sum(row);
        }
    }
}

/// out = Σ_p W_pᵀ g_p for pairs of a layer's parameters (or directions) p, whose weights W_p are
/// fan_out × fan_in, and rows g_p (fan_out × n); out is fan_in × n.
fn transpose_products(out: &mut [f64], layer: &Layer, n: usize, pairs: &[(&[f64], &[f64])]) {
    for (i, (p, g)) in pairs.iter().enumerate() {
        multiply(out, layer.weight_matrix(p).transpose(), matrix(g, layer.fan_out, n), i > 0);
    }
}

/// Buffers of the forward and backward passes, reused between calls.
struct Workspace {
    /// Per layer: pre-activations (normalised, for hidden layers with batch normalisation); the
    /// last is the output.
    pre: Vec<Vec<f64>>,
    /// Per hidden layer: σ(u), σ′(u), σ″(u) (the last only for Hessian-vector products).
    act: Vec<Vec<f64>>,
    slope: Vec<Vec<f64>>,
    curve: Vec<Vec<f64>>,
    /// Per hidden layer: batch normalisation's s per unit, and its tangent.
    inv_std: Vec<Vec<f64>>,
    r_inv_std: Vec<Vec<f64>>,
    /// Tangents of `pre` and `act`.
    r_pre: Vec<Vec<f64>>,
    r_act: Vec<Vec<f64>>,
    /// Backward buffers (widest layer × n): g of the current layer, ∂ℓ/∂a of the one below,
    /// and their tangents.
    g: Vec<f64>,
    ga: Vec<f64>,
    rg: Vec<f64>,
    rga: Vec<f64>,
}

impl Workspace {
    fn new(layers: &[Layer], n: usize) -> Self {
        let hidden = &layers[..layers.len() - 1];
        let widest = layers.iter().map(|l| l.fan_out).max().unwrap_or(1);
        Self {
            pre: layers.iter().map(|l| vec![0.0; l.fan_out * n]).collect(),
            act: hidden.iter().map(|l| vec![0.0; l.fan_out * n]).collect(),
            slope: hidden.iter().map(|l| vec![0.0; l.fan_out * n]).collect(),
            curve: Vec::new(),
            inv_std: hidden.iter().map(|l| vec![0.0; l.fan_out]).collect(),
            r_inv_std: Vec::new(),
            r_pre: Vec::new(),
            r_act: Vec::new(),
            g: vec![0.0; widest * n],
            ga: vec![0.0; widest * n],
            rg: Vec::new(),
            rga: Vec::new(),
        }
    }

    /// Allocates the buffers only Hessian-vector products use, on first need.
    fn ensure_tangent_buffers(&mut self, layers: &[Layer], n: usize) {
        if !self.r_pre.is_empty() {
            return;
        }
        let hidden = &layers[..layers.len() - 1];
        let widest = layers.iter().map(|l| l.fan_out).max().unwrap_or(1);
        self.curve = hidden.iter().map(|l| vec![0.0; l.fan_out * n]).collect();
        self.r_inv_std = hidden.iter().map(|l| vec![0.0; l.fan_out]).collect();
        self.r_pre = layers.iter().map(|l| vec![0.0; l.fan_out * n]).collect();
        self.r_act = hidden.iter().map(|l| vec![0.0; l.fan_out * n]).collect();
        self.rg = vec![0.0; widest * n];
        self.rga = vec![0.0; widest * n];
    }
}

impl Objective for Mlp {
    fn dim(&self) -> usize {
        self.dim
    }

    fn value(&self, x: &[f64]) -> f64 {
        self.with_workspace(|ws| {
            self.forward(x, ws, false);
            self.loss.evaluate(&ws.pre[self.layers.len() - 1], self.n, None)
        })
    }

    fn gradient(&self, x: &[f64], grad: &mut [f64]) {
        self.with_workspace(|ws| {
            self.forward(x, ws, false);
            self.backward(x, None, ws, grad);
        })
    }

    fn hessian_vector(&self, x: &[f64], v: &[f64], out: &mut [f64]) {
        self.with_workspace(|ws| {
            self.forward(x, ws, true);
            self.forward_tangent(x, v, ws);
            self.backward(x, Some(v), ws, out);
        })
    }

    fn min_value(&self) -> Option<f64> {
        self.min_value
    }

    fn default_start(&self) -> Vec<f64> {
        self.start.clone()
    }

    fn known_minimizers(&self) -> Vec<Vec<f64>> {
        self.minimizers.clone()
    }
}
