//! A two-layer ReLU network on orthogonal inputs from small initialisation (paper 003 §2 and
//! Theorem 3.1, after Boursier, Pillaud-Vivien & Flammarion 2022).
//!
//! # Setting (paper 003 §2.1)
//! h_θ(x) = Σ_{j=1}^m a_j σ(⟨w_j, x⟩), σ = ReLU, loss L(θ) = (1/2n)Σ_k (h_θ(x_k) − y_k)². Inputs
//! are the standard basis vectors x_k = e_k of ℝᵈ, k = 1 … n (n ≤ d), so ⟨x_k, x_k′⟩ = 1_{k=k′}
//! (Assumption 2.1); the first n₊ labels are +`label_pos`, the next n₋ are −`label_neg`, and the
//! positive mass must dominate, Σ_{y>0} y² > Σ_{y<0} y² (the paper's "without loss of
//! generality"). Initialisation w_j = λg_j, a_j = λs_j with g_j uniform on S^{d−1} and s_j
//! uniform on {−1, 1} (seeded).
//!
//! # Parameter order (Theorem 3.1)
//! θ_{(j−1)(d+1)+1 : j(d+1)} = (w_j; a_j): neuron by neuron, input weights then output weight.
//! (The `mlp` engine computes in its layer order, W then a; this objective permutes.)
//!
//! # Exact Hessian
//! With r_k = h(x_k) − y_k and z_jk = ⟨w_j, x_k⟩: ∂h/∂a_j = σ(z_jk), ∂h/∂w_j = a_j 𝟙{z_jk > 0} x_k,
//! and ∇²L = (1/n)Σ_k (∇h_k∇h_kᵀ + r_k∇²h_k). ReLU's σ″ is zero off the kinks, so ∂²h/∂w_j² = 0,
//! and the only second derivative of h is the one through the output weight,
//! ∂²h/∂a_j∂w_j = 𝟙{z_jk > 0} x_k (blocks of different neurons vanish). The Hessian is the
//! generalized Gauss–Newton term plus that first-order term: for a direction v = (u_j; b_j) and
//! the network's directional derivative ḣ_k = Σ_j (b_j σ(z_jk) + a_j 𝟙{z_jk > 0}⟨x_k, u_j⟩),
//!
//!   (Hv)_{w_j} = (1/n)Σ_k 𝟙{z_jk > 0}(a_j ḣ_k + r_k b_j) x_k,
//!   (Hv)_{a_j} = (1/n)Σ_k (σ(z_jk) ḣ_k + r_k 𝟙{z_jk > 0}⟨x_k, u_j⟩).
//!
//! The engine's forward-over-reverse product computes exactly this (tested against the formula).
//!
//! # Sharpening directions (Theorem 3.1)
//! With d₊ = (1/n)Σ_{y_k>0} y_k x_k and d₋ = (1/n)Σ_{y_k<0} y_k x_k, v₊ has block (d₊, ‖d₊‖) on
//! the neurons of S₊ and 0 elsewhere, v₋ block (d₋, ‖d₋‖) on S₋, where
//! S₊ = {j : a_j > 0 and ⟨w_j, x_k⟩ ≥ 0 for every k with y_k > 0} and S₋ likewise with a_j < 0
//! and y_k < 0. The paper fixes the sets at initialisation (with s_j the initial sign of a_j,
//! which phase 1 preserves, and inactive data staying inactive, Lemma 2.2); here they are
//! evaluated at the given point, which agrees along a run that has not left phase 1's pattern.
//! λ± = v±ᵀHv±/‖v±‖². Near θ = 0 the residuals are −y_k and only the first-order term remains,
//! giving λ₊ → −‖d₊‖ and λ₋ → −‖d₋‖ (the saddle at the origin); Theorem 3.1 has them grow, λ₊
//! first, to n‖d±‖²/(4|S±|)-scale values.

use super::activation::Activation;
use super::data::{unit_vector, Dataset};
use super::kernels::dot;
use super::loss::Loss;
use super::mlp::{Architecture, Mlp};
use super::{seeded_stream, INIT_STREAM};
use crate::error::{Result, SpecError};
use crate::objective::params::{ParamSchema, Params};
use crate::objective::schema::{ObjectiveSchema, Registered};
use crate::objective::{AnyObjective, Objective, ObjectiveSpec};

use rand::Rng;

/// Largest input dimension d.
pub const MAX_DIM: usize = 1_000;
/// Largest width m.
pub const MAX_WIDTH: usize = 1_000;

pub(in crate::objective) const REGISTERED: Registered = Registered {
    schema: ObjectiveSchema {
        name: "two_layer_orthogonal",
        group: "networks",
        title: "Two-layer ReLU network, orthogonal inputs",
        description: "Σⱼ aⱼσ(⟨wⱼ, x⟩) with ½-MSE on orthonormal inputs e_1 … e_n, labels of both signs with \
                      more positive mass, small initialisation λ. Neurons align with the data, then the \
                      sharpness grows along v₊ and later along v₋, each reaching 2/η on its own.",
        citation: "Exploring the Edge of Stability (003) §2, Assumptions 2.1–2.2, Theorem 3.1",
        params: &[
            ParamSchema::integer("input_dim", 10, 2, MAX_DIM as u64, "input dimension d (at least n₊ + n₋)"),
            ParamSchema::integer("n_pos", 2, 1, MAX_DIM as u64, "number n₊ of positive examples"),
            ParamSchema::integer("n_neg", 2, 1, MAX_DIM as u64, "number n₋ of negative examples"),
            ParamSchema::real("label_pos", 1.0, 1e-3, 100.0, "label of the positive examples"),
            ParamSchema::real("label_neg", 0.5, 1e-3, 100.0, "magnitude of the negative examples' label (n₋·label_neg² < n₊·label_pos²)"),
            ParamSchema::integer("width", 50, 1, MAX_WIDTH as u64, "number m of neurons"),
            ParamSchema::real("init_scale", 0.01, 0.0, 10.0, "λ: w_j = λg_j, a_j = λs_j"),
            ParamSchema::integer("seed", 0, 0, u32::MAX as u64, "seed of the initialisation"),
        ],
    },
    build: |p: &Params| Ok(AnyObjective::Other(Box::new(TwoLayerOrthogonal::from_params(p)?))),
};

/// The two-layer ReLU network on orthogonal inputs, in the parameter order of Theorem 3.1.
pub struct TwoLayerOrthogonal {
    net: Mlp,
    dim: usize,
    width: usize,
    labels: Vec<f64>,
    start: Vec<f64>,
}

impl TwoLayerOrthogonal {
    /// Builds the objective a spec names (its name must be `two_layer_orthogonal`); errors name
    /// the offending `objective.<param>`. For callers that need the type itself (v₊, v₋, λ±)
    /// rather than the boxed objective [`ObjectiveSpec::build`] returns.
    pub fn from_spec(spec: &ObjectiveSpec) -> Result<Self> {
        if spec.name != REGISTERED.schema.name {
            return Err(SpecError::new("objective.name", format!("expected {:?} (got {:?})", REGISTERED.schema.name, spec.name)));
        }
        Self::from_params(&Params::validate(REGISTERED.schema.params, &spec.params)?)
    }

    /// Builds the objective from validated parameters of `two_layer_orthogonal`.
    fn from_params(p: &Params) -> Result<Self> {
        let (dim, n_pos, n_neg) = (p.integer("input_dim")?, p.integer("n_pos")?, p.integer("n_neg")?);
        let (y_pos, y_neg, width) = (p.real("label_pos")?, p.real("label_neg")?, p.integer("width")?);
        if n_pos + n_neg > dim {
            return Err(SpecError::new(
                "objective.input_dim",
                format!("orthogonal inputs need input_dim ≥ n_pos + n_neg = {} (got {dim})", n_pos + n_neg),
            ));
        }
        if n_neg as f64 * y_neg * y_neg >= n_pos as f64 * y_pos * y_pos {
            return Err(SpecError::new(
                "objective.label_neg",
                format!(
                    "the positive labels must carry more mass: n_neg·label_neg² = {} must be below n_pos·label_pos² = {}",
                    n_neg as f64 * y_neg * y_neg,
                    n_pos as f64 * y_pos * y_pos
                ),
            ));
        }
        let labels: Vec<f64> = (0..n_pos).map(|_| y_pos).chain((0..n_neg).map(|_| -y_neg)).collect();
        let data = Dataset::orthogonal(dim, &labels);
        let arch = Architecture { hidden: vec![width], activation: Activation::Relu, bias: false, batch_norm: None };
        // The engine's size caps (parameters, work, stored activations) are met by choosing the
        // width here: its errors are reported against `width`.
        let net = Mlp::new(&data, 1, Loss::SquaredError { targets: labels.clone() }, &arch)
            .map_err(|e| SpecError::new("objective.width", e.message))?;
        let lambda = p.real("init_scale")?;
        let mut rng = seeded_stream(p.integer("seed")? as u64, INIT_STREAM);
        let mut start = Vec::with_capacity(width * (dim + 1));
        for _ in 0..width {
            start.extend(unit_vector(dim, &mut rng).into_iter().map(|g| lambda * g));
            start.push(if rng.random::<bool>() { lambda } else { -lambda });
        }
        Ok(Self { net, dim, width, labels, start })
    }

    /// θ in the engine's layer order (W row by row, then a).
    fn to_layer_order(&self, x: &[f64]) -> Vec<f64> {
        let (d, m) = (self.dim, self.width);
        let mut y = vec![0.0; m * (d + 1)];
        for (j, block) in x.chunks_exact(d + 1).enumerate() {
            y[j * d..(j + 1) * d].copy_from_slice(&block[..d]);
            y[m * d + j] = block[d];
        }
        y
    }

    /// A vector in layer order written back in the order of Theorem 3.1.
    fn to_paper_order(&self, y: &[f64], out: &mut [f64]) {
        let (d, m) = (self.dim, self.width);
        for (j, block) in out.chunks_exact_mut(d + 1).enumerate() {
            block[..d].copy_from_slice(&y[j * d..(j + 1) * d]);
            block[d] = y[m * d + j];
        }
    }

    /// The unit direction v₊ of Theorem 3.1 at θ = `x` (module docs), or `None` when S₊ is empty.
    pub fn direction_plus(&self, x: &[f64]) -> Option<Vec<f64>> {
        self.direction(x, 1.0)
    }

    /// The unit direction v₋ of Theorem 3.1 at θ = `x`, or `None` when S₋ is empty.
    pub fn direction_minus(&self, x: &[f64]) -> Option<Vec<f64>> {
        self.direction(x, -1.0)
    }

    fn direction(&self, x: &[f64], sign: f64) -> Option<Vec<f64>> {
        let (d, n) = (self.dim, self.labels.len() as f64);
        let mut data_vector = vec![0.0; d];
        for (k, &y) in self.labels.iter().enumerate() {
            if y * sign > 0.0 {
                data_vector[k] = y / n;
            }
        }
        let length = dot(&data_vector, &data_vector).sqrt();
        let mut v = vec![0.0; x.len()];
        let mut members = 0usize;
        for (block, v_block) in x.chunks_exact(d + 1).zip(v.chunks_exact_mut(d + 1)) {
            let active = self.labels.iter().enumerate().all(|(k, &y)| y * sign <= 0.0 || block[k] >= 0.0);
            if block[d] * sign > 0.0 && active {
                v_block[..d].copy_from_slice(&data_vector);
                v_block[d] = length;
                members += 1;
            }
        }
        if members == 0 {
            return None;
        }
        let norm = (2.0 * members as f64).sqrt() * length;
        Some(v.into_iter().map(|x| x / norm).collect())
    }
}

impl Objective for TwoLayerOrthogonal {
    fn dim(&self) -> usize {
        self.width * (self.dim + 1)
    }

    fn value(&self, x: &[f64]) -> f64 {
        self.net.value(&self.to_layer_order(x))
    }

    fn gradient(&self, x: &[f64], grad: &mut [f64]) {
        let mut g = vec![0.0; grad.len()];
        self.net.gradient(&self.to_layer_order(x), &mut g);
        self.to_paper_order(&g, grad);
    }

    fn hessian_vector(&self, x: &[f64], v: &[f64], out: &mut [f64]) {
        let mut hv = vec![0.0; out.len()];
        self.net.hessian_vector(&self.to_layer_order(x), &self.to_layer_order(v), &mut hv);
        self.to_paper_order(&hv, out);
    }

    /// 0 when both signs have a neuron (width ≥ 2); a single neuron fits one sign at best, and
    /// output weights of one sign leave the other labels' residuals: min = Σ_{y<0} y²/(2n).
    fn min_value(&self) -> Option<f64> {
        if self.width >= 2 {
            Some(0.0)
        } else {
            let negative: f64 = self.labels.iter().filter(|&&y| y < 0.0).map(|y| y * y).sum();
            Some(negative / (2.0 * self.labels.len() as f64))
        }
    }

    fn default_start(&self) -> Vec<f64> {
        self.start.clone()
    }

    /// v₊ and v₋ of Theorem 3.1 (where their sets are not empty): λ± are the Rayleigh quotients
    /// along them.
    fn named_directions(&self, theta: &[f64]) -> Vec<(&'static str, Vec<f64>)> {
        [("v_plus", self.direction_plus(theta)), ("v_minus", self.direction_minus(theta))]
            .into_iter()
            .filter_map(|(name, v)| v.map(|v| (name, v)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::{hessian_asymmetry, relative_derivative_errors, relative_error, seeded_vector};
    use super::*;
    use crate::objective::ParamValue;
    use crate::spectrum::curvature::rayleigh_quotient;

    fn network(params: &[(&str, ParamValue)]) -> TwoLayerOrthogonal {
        TwoLayerOrthogonal::from_spec(&ObjectiveSpec::new("two_layer_orthogonal", params)).unwrap()
    }

    /// Gradient and Hv from the formulas of the module docs, in the order of Theorem 3.1.
    fn explicit(f: &TwoLayerOrthogonal, x: &[f64], v: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let (d, m, n) = (f.dim, f.width, f.labels.len());
        let z = |j: usize, k: usize| x[j * (d + 1) + k];
        let a = |j: usize| x[j * (d + 1) + d];
        let (u, b) = (|j: usize, k: usize| v[j * (d + 1) + k], |j: usize| v[j * (d + 1) + d]);
        let active = |j, k| if z(j, k) > 0.0 { 1.0 } else { 0.0 };
        let r: Vec<f64> = (0..n).map(|k| (0..m).map(|j| a(j) * z(j, k).max(0.0)).sum::<f64>() - f.labels[k]).collect();
        let hdot: Vec<f64> = (0..n).map(|k| (0..m).map(|j| b(j) * z(j, k).max(0.0) + a(j) * active(j, k) * u(j, k)).sum()).collect();
        let (mut g, mut hv) = (vec![0.0; m * (d + 1)], vec![0.0; m * (d + 1)]);
        let inv_n = 1.0 / n as f64;
        for j in 0..m {
            for k in 0..n {
                g[j * (d + 1) + k] = inv_n * r[k] * a(j) * active(j, k);
                hv[j * (d + 1) + k] = inv_n * active(j, k) * (a(j) * hdot[k] + r[k] * b(j));
            }
            g[j * (d + 1) + d] = inv_n * (0..n).map(|k| r[k] * z(j, k).max(0.0)).sum::<f64>();
            hv[j * (d + 1) + d] = inv_n * (0..n).map(|k| z(j, k).max(0.0) * hdot[k] + r[k] * active(j, k) * u(j, k)).sum::<f64>();
        }
        (g, hv)
    }

    #[test]
    fn hessian_is_gauss_newton_plus_the_output_weight_term_in_theorem_order() {
        let f = network(&[("input_dim", ParamValue::Number(7.0)), ("n_pos", ParamValue::Number(3.0)), ("width", ParamValue::Number(6.0))]);
        let n = f.dim();
        assert_eq!(n, 6 * 8);
        for seed in 0..4 {
            let x = seeded_vector(n, 30 + seed);
            let v = seeded_vector(n, 40 + seed);
            let (g_formula, hv_formula) = explicit(&f, &x, &v);
            let (mut g, mut hv) = (vec![0.0; n], vec![0.0; n]);
            f.gradient(&x, &mut g);
            f.hessian_vector(&x, &v, &mut hv);
            assert!(relative_error(&g_formula, &g) < 1e-14, "gradient, seed {seed}");
            assert!(relative_error(&hv_formula, &hv) < 1e-14, "Hv, seed {seed}");
            let (eg, eh) = relative_derivative_errors(&f, &x, &v, 1e-6);
            assert!(eg < 1e-6 && eh < 1e-6, "seed {seed}: gradient {eg:.2e}, hvp {eh:.2e}");
            assert!(hessian_asymmetry(&f, &x) < 1e-10);
        }
    }

    #[test]
    fn default_start_is_small_and_balanced_and_the_directions_start_at_the_saddle() {
        let f = network(&[]);
        let x0 = f.default_start();
        assert_eq!(x0.len(), 50 * 11);
        for block in x0.chunks_exact(11) {
            let w_norm = block[..10].iter().map(|w| w * w).sum::<f64>().sqrt();
            assert!((w_norm - 0.01).abs() < 1e-15 && block[10].abs() == 0.01, "‖w_j‖ = |a_j| = λ");
        }
        // d₊ = (1, 1, 0, …)/4 and d₋ = (0, 0, −0.5, −0.5, 0, …)/4.
        let (norm_plus, norm_minus) = (2f64.sqrt() / 4.0, 0.5 * 2f64.sqrt() / 4.0);
        let plus = f.direction_plus(&x0).expect("S₊ is not empty at the default seed");
        let minus = f.direction_minus(&x0).expect("S₋ is not empty at the default seed");
        for v in [&plus, &minus] {
            assert!((v.iter().map(|x| x * x).sum::<f64>() - 1.0).abs() < 1e-14);
        }
        for (j, block) in plus.chunks_exact(11).enumerate() {
            let member = x0[j * 11 + 10] > 0.0 && x0[j * 11] >= 0.0 && x0[j * 11 + 1] >= 0.0;
            assert_eq!(block.iter().any(|&x| x != 0.0), member, "v₊ lives on S₊ (neuron {j})");
            if member {
                assert!(block[2..10].iter().all(|&x| x == 0.0) && block[0] == block[1] && block[0] > 0.0);
            }
        }
        // Near θ = 0 only the residual term −y_k 1[z > 0] remains: λ± → −‖d±‖, up to O(mλ²).
        let (lp, lm) = (rayleigh_quotient(&f, &x0, &plus), rayleigh_quotient(&f, &x0, &minus));
        let named = f.named_directions(&x0);
        assert_eq!((named[0].0, named[1].0), ("v_plus", "v_minus"));
        assert_eq!((&named[0].1, &named[1].1), (&plus, &minus));
        assert!((lp + norm_plus).abs() < 0.02 * norm_plus, "λ₊ = {lp}, −‖d₊‖ = {}", -norm_plus);
        assert!((lm + norm_minus).abs() < 0.02 * norm_minus, "λ₋ = {lm}, −‖d₋‖ = {}", -norm_minus);
        // Neurons outside both sets: a point with every a_j < 0 has S₊ = ∅.
        let negative: Vec<f64> = x0.chunks_exact(11).flat_map(|b| b[..10].iter().copied().chain([-b[10].abs()])).collect();
        assert!(f.direction_plus(&negative).is_none());
    }

    #[test]
    fn bad_parameters_are_refused_naming_the_field() {
        let build = |params: &[(&str, ParamValue)]| ObjectiveSpec::new("two_layer_orthogonal", params).build().err().unwrap().field;
        assert_eq!(build(&[("label_neg", ParamValue::Number(1.0))]), "objective.label_neg");
        assert_eq!(build(&[("n_pos", ParamValue::Number(6.0)), ("n_neg", ParamValue::Number(5.0))]), "objective.input_dim");
        assert_eq!(build(&[("width", ParamValue::Number(0.0))]), "objective.width");
        let huge = [("input_dim", ParamValue::Number(1000.0)), ("width", ParamValue::Number(1000.0))];
        assert_eq!(build(&huge), "objective.width");
        let wrong = TwoLayerOrthogonal::from_spec(&ObjectiveSpec::new("mlp", &[])).err().unwrap();
        assert_eq!(wrong.field, "objective.name");
    }
}
