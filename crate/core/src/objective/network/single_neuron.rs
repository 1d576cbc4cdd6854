//! A single ReLU neuron learning a teacher neuron from inputs uniform on the unit sphere (Chen &
//! Bruna, paper 002 §5, Theorem 4, Proposition 4 and App. B.3.1; our copy lost the formulas, so
//! the loss and its derivatives are derived here).
//!
//! # Setting
//! Student h(x) = a·σ(wᵀx), σ = ReLU, parameters θ = (w₁, …, w_d, a) (the neuron's input weights
//! first, as in the layer order of `mlp` and paper 003's (w_j; a_j)); teacher σ(w*ᵀx) with
//! w* = s·e₁, s = `teacher_scale` (the paper's target neuron; only the product of the teacher's
//! scales matters, since σ is positively homogeneous); x uniform on S^{d−1}. The loss is half
//! the mean squared error,
//!
//!   L(w, a) = ½ E_x[(a σ(wᵀx) − σ(w*ᵀx))²].
//!
//! Its minimisers are the points with θ = 0 and a‖w‖ = s (a > 0). There, in the directions
//! of (w, a) that keep the angle, the loss is (a‖w‖ − s)²/(4d): the scalar factorisation of §4.2
//! scaled by 1/(2d), so the sharpness at the minimiser (w, a) is (a² + ‖w‖²)/(2d) (the imbalance
//! sets it, as the paper says after eq. (5)), and the flattest one is balanced, a = ‖w‖ = √s.
//!
//! # Closed form (`single_neuron_population`)
//! For x uniform on the sphere, K(u, v) := E[σ(uᵀx)σ(vᵀx)] = ‖u‖‖v‖κ(θ)/(2πd) with
//! κ(θ) = sin θ + (π − θ)cos θ and θ the angle between u and v. Derivation: a standard Gaussian
//! g ∈ ℝᵈ is g = ρx with ρ = ‖g‖ independent of x = g/‖g‖, which is uniform on the sphere
//! (rotation invariance). σ is positively homogeneous, so E\[σ(uᵀg)σ(vᵀg)\] = E\[ρ²\]·K(u, v), and
//! E\[ρ²\] = d. The Gaussian expectation is the degree-one arc-cosine kernel (Cho & Saul, *Kernel
//! methods for deep learning*, NeurIPS 2009, eq. (6)): ‖u‖‖v‖κ(θ)/(2π). Hence, with r = ‖w‖,
//! θ the angle between w and w*, and J(w) := r·s·κ(θ),
//!
//!   L = (1/(4d))·[a²r² − (2/π)·a·J(w) + s²]
//!
//! (K(w, w) = r²/(2d) since κ(0) = π).
//!
//! # Derivatives
//! With ŵ = w/r, ŵ* = w*/s, cos θ = ŵ·ŵ*: ∇r = ŵ, ∇θ = −e/r where e = (ŵ* − cos θ ŵ)/sin θ is
//! the unit vector of the (w, w*) plane orthogonal to ŵ, and κ′(θ) = −(π − θ) sin θ. So
//!
//!   ∇J = sκ(θ)ŵ + rsκ′(θ)∇θ = (π − θ)·w* + s·sin θ·ŵ
//!
//! (the sκ ŵ and (π − θ)s cos θ ŵ parts cancel except s sin θ ŵ). Differentiating again, with
//! ∇ŵ = (I − ŵŵᵀ)/r and w* = s(cos θ ŵ + sin θ e):
//!
//!   ∇²J = −w*∇θᵀ + s cos θ ŵ∇θᵀ + s sin θ ∇ŵ = (s sin θ / r)·[(I − ŵŵᵀ) + eeᵀ],
//!
//! symmetric as it must be (a check: it is the Gaussian E[δ(wᵀg) ggᵀ σ(w*ᵀg)] times 2π, which
//! lives on ŵ⊥ and weighs e twice as much as the other directions). Then
//! * ∂L/∂a = (2a r² − (2/π)J)/(4d),  ∇_w L = (2a²w − (2/π)a∇J)/(4d);
//! * ∂²L/∂a² = r²/(2d),  ∂²L/∂a∂w = (4a w − (2/π)∇J)/(4d),  ∇²_w L = (2a² I − (2/π)a∇²J)/(4d).
//!
//! # Numerics and singular points
//! θ and sin θ are computed from p = ‖ŵ − ŵ*‖ and q = ‖ŵ + ŵ*‖: θ = 2·atan2(p, q),
//! sin θ = pq/2, and sin θ·e = ŵ* − cos θ ŵ = (ŵ* − ŵ) + (p²/2)ŵ (as 1 − cos θ = p²/2), all
//! accurate near θ = 0 and θ = π, where arccos(ŵ·ŵ*) and ŵ* − cos θ ŵ lose their digits. The
//! term sin θ·eeᵀv is evaluated as (sin θ e)((sin θ e)·v)/sin θ.
//! * θ = 0 or π (w parallel to ±w*): e is undefined but ∇²J → 0 (its factor sin θ vanishes; near
//!   θ = 0, J = π w*ᵀw + O(‖w⊥‖⁴/r³); near θ = π, J ≈ s‖w⊥‖³/(3r²)), so ∇²J = 0 is returned,
//!   the continuous limit; ∇J = (π − θ)w* there.
//! * w = 0: J is positively homogeneous of degree one and not differentiable; ∇J and ∇²J are
//!   taken as 0, the convention σ′(0) = 0 of the empirical loss (a neuron with w = 0 is inactive
//!   on every sample). The rest of L (a²r² and s²) is smooth and differentiated exactly.
//!
//! # Empirical loss (`single_neuron_empirical`)
//! The same loss averaged over n seeded points of the sphere, (1/2n)Σᵢ(aσ(wᵀxᵢ) − σ(w*ᵀxᵢ))²,
//! is the `mlp` engine with one hidden ReLU unit, no bias and ½-MSE, so its derivatives are those
//! of the engine (σ″ = 0 almost everywhere; at a kink wᵀxᵢ = 0, σ′ = 0).
//!
//! # Start
//! w₀ = c·(cos θ₀ e₁ + sin θ₀ u), a₀ = c (balanced, c = `init_scale`, θ₀ = `init_angle` in
//! degrees), u a seeded random unit vector orthogonal to e₁; the paper's experiments start the
//! student orthogonal to the teacher (θ₀ = 90°). Both objectives use the same start for the same
//! seed.

use super::activation::Activation;
use super::data::{unit_vector, Dataset};
use super::kernels::dot;
use super::loss::Loss;
use super::mlp::{check_samples, Architecture, Mlp, MAX_SAMPLES};
use super::{seeded_stream, DATA_STREAM, INIT_STREAM};
use crate::error::Result;
use crate::objective::params::{ParamSchema, Params};
use crate::objective::schema::{ObjectiveSchema, Registered};
use crate::objective::{AnyObjective, Objective};

use std::f64::consts::{FRAC_2_PI, PI};

/// Largest input dimension d.
pub const MAX_DIM: usize = 10_000;

const DIM: ParamSchema = ParamSchema::integer("dim", 10, 2, MAX_DIM as u64, "input dimension d (inputs uniform on the sphere S^{d−1})");
const TEACHER_SCALE: ParamSchema = ParamSchema::real("teacher_scale", 1.0, 1e-3, 100.0, "s = ‖w*‖ of the teacher σ(w*ᵀx), w* = s·e₁");
const INIT_ANGLE: ParamSchema =
    ParamSchema::real("init_angle", 90.0, 0.0, 180.0, "angle θ₀ between the initial w and the teacher, in degrees");
const INIT_SCALE: ParamSchema = ParamSchema::real("init_scale", 0.1, 0.0, 100.0, "initial ‖w‖ = a (balanced start)");
const SEED: ParamSchema = ParamSchema::integer("seed", 0, 0, u32::MAX as u64, "seed of the start's direction (and of the samples)");

pub(in crate::objective) const POPULATION: Registered = Registered {
    schema: ObjectiveSchema {
        name: "single_neuron_population",
        group: "networks",
        title: "Single ReLU neuron, population loss",
        description: "L(w, a) = ½E[(aσ(wᵀx) − σ(w*ᵀx))²] for x uniform on the sphere, in closed form \
                      through the arc-cosine kernel. GD beyond 2/η aligns w with the teacher, then \
                      balances a and ‖w‖ and settles on a period-2 orbit near the flattest minimum.",
        citation: "Chen & Bruna (002) §5, Thm 4, Prop. 4 (loss and derivatives derived: see the module docs)",
        params: &[DIM, TEACHER_SCALE, INIT_ANGLE, INIT_SCALE, SEED],
    },
    build: |p: &Params| Ok(AnyObjective::Other(Box::new(SingleNeuronPopulation::from_params(p)?))),
};

pub(in crate::objective) const EMPIRICAL: Registered = Registered {
    schema: ObjectiveSchema {
        name: "single_neuron_empirical",
        group: "networks",
        title: "Single ReLU neuron, n samples",
        description: "The single-neuron teacher–student loss averaged over n seeded points of the \
                      sphere (the paper's experiments use 1000): the population dynamics plus the \
                      small residuals of a finite sample.",
        citation: "Chen & Bruna (002) §5 and App. B.3.1",
        params: &[
            DIM,
            TEACHER_SCALE,
            INIT_ANGLE,
            INIT_SCALE,
            ParamSchema::integer("n", 1000, 1, MAX_SAMPLES as u64, "number of samples (n × dim at most 2,000,000)"),
            SEED,
        ],
    },
    build: |p: &Params| Ok(AnyObjective::Other(Box::new(empirical(p)?))),
};

/// The population loss of the single-neuron teacher–student problem (module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct SingleNeuronPopulation {
    dim: usize,
    teacher: Vec<f64>,
    scale: f64,
    start: Vec<f64>,
}

/// J(w) = ‖w‖‖w*‖κ(θ) at w ≠ 0 and the pieces of its derivatives.
struct Kernel {
    j: f64,
    r: f64,
    sin: f64,
    /// ŵ.
    unit: Vec<f64>,
    /// sin θ·e = ŵ* − cos θ ŵ.
    f: Vec<f64>,
    /// ∇J = (π − θ)w* + s sin θ ŵ.
    grad: Vec<f64>,
}

impl SingleNeuronPopulation {
    /// The problem in dimension `dim` with teacher w* = `teacher_scale`·e₁ and the start
    /// described in the module docs.
    fn from_params(p: &Params) -> Result<Self> {
        let dim = p.integer("dim")?;
        let scale = p.real("teacher_scale")?;
        let mut teacher = vec![0.0; dim];
        teacher[0] = scale;
        Ok(Self { dim, teacher, scale, start: start(p)? })
    }

    fn kernel(&self, w: &[f64]) -> Option<Kernel> {
        let r = dot(w, w).sqrt();
        if r == 0.0 {
            return None;
        }
        let s = self.scale;
        let unit: Vec<f64> = w.iter().map(|x| x / r).collect();
        let (mut p2, mut q2) = (0.0, 0.0);
        for (u, t) in unit.iter().zip(&self.teacher) {
            let t = t / s;
            p2 += (u - t) * (u - t);
            q2 += (u + t) * (u + t);
        }
        let (p, q) = (p2.sqrt(), q2.sqrt());
        let theta = 2.0 * libm::atan2(p, q);
        let (sin, cos) = (0.5 * p * q, 0.25 * (q2 - p2));
        let j = r * s * (sin + (PI - theta) * cos);
        let f = unit.iter().zip(&self.teacher).map(|(u, t)| (t / s - u) + 0.5 * p2 * u).collect();
        let grad = unit.iter().zip(&self.teacher).map(|(u, t)| (PI - theta) * t + s * sin * u).collect();
        Some(Kernel { j, r, sin, unit, f, grad })
    }
}

impl Objective for SingleNeuronPopulation {
    fn dim(&self) -> usize {
        self.dim + 1
    }

    fn value(&self, x: &[f64]) -> f64 {
        let (w, a) = (&x[..self.dim], x[self.dim]);
        let j = self.kernel(w).map_or(0.0, |k| k.j);
        (a * a * dot(w, w) - FRAC_2_PI * a * j + self.scale * self.scale) / (4.0 * self.dim as f64)
    }

    fn gradient(&self, x: &[f64], grad: &mut [f64]) {
        let d = self.dim;
        let (w, a) = (&x[..d], x[d]);
        let c = 1.0 / (4.0 * d as f64);
        let k = self.kernel(w);
        for i in 0..d {
            let dj = k.as_ref().map_or(0.0, |k| k.grad[i]);
            grad[i] = c * (2.0 * a * a * w[i] - FRAC_2_PI * a * dj);
        }
        grad[d] = c * (2.0 * a * dot(w, w) - FRAC_2_PI * k.map_or(0.0, |k| k.j));
    }

    fn hessian_vector(&self, x: &[f64], v: &[f64], out: &mut [f64]) {
        let d = self.dim;
        let (w, a) = (&x[..d], x[d]);
        let (vw, va) = (&v[..d], v[d]);
        let c = 1.0 / (4.0 * d as f64);
        let k = self.kernel(w);
        // ∇²J v_w = (s/r)[sin θ (v_w − ŵ(ŵ·v_w)) + f (f·v_w)/sin θ]; 0 at w = 0 and sin θ = 0.
        let (along_unit, along_f, factor) = match &k {
            Some(k) if k.sin > 0.0 => (dot(&k.unit, vw), dot(&k.f, vw) / k.sin, self.scale / k.r),
            _ => (0.0, 0.0, 0.0),
        };
        let mut cross = 0.0;
        for i in 0..d {
            let (unit, f, dj) = k.as_ref().map_or((0.0, 0.0, 0.0), |k| (k.unit[i], k.f[i], k.grad[i]));
            let sin = k.as_ref().map_or(0.0, |k| k.sin);
            let hj = factor * (sin * (vw[i] - unit * along_unit) + f * along_f);
            let mixed = 4.0 * a * w[i] - FRAC_2_PI * dj;
            out[i] = c * (2.0 * a * a * vw[i] - FRAC_2_PI * a * hj + mixed * va);
            cross += mixed * vw[i];
        }
        out[d] = c * (cross + 2.0 * dot(w, w) * va);
    }

    fn min_value(&self) -> Option<f64> {
        Some(0.0)
    }

    fn default_start(&self) -> Vec<f64> {
        self.start.clone()
    }

    fn known_minimizers(&self) -> Vec<Vec<f64>> {
        minimizers(self.dim, self.scale)
    }
}

/// The empirical objective: the `mlp` engine with one hidden ReLU unit on sphere samples.
fn empirical(p: &Params) -> Result<Mlp> {
    let (dim, n, scale) = (p.integer("dim")?, p.integer("n")?, p.real("teacher_scale")?);
    check_samples(n, dim)?;
    let data = Dataset::sphere_teacher(n, dim, 1, scale, &mut seeded_stream(p.integer("seed")? as u64, DATA_STREAM));
    let arch = Architecture { hidden: vec![1], activation: Activation::Relu, bias: false, batch_norm: None };
    let net = Mlp::new(&data, 1, Loss::SquaredError { targets: data.values.clone() }, &arch)?;
    Ok(net.with_start(start(p)?).with_minimum(0.0, minimizers(dim, scale)))
}

/// The start (module docs): w₀ = c(cos θ₀ e₁ + sin θ₀ u), a₀ = c.
fn start(p: &Params) -> Result<Vec<f64>> {
    let dim = p.integer("dim")?;
    let (angle, c) = (p.real("init_angle")?.to_radians(), p.real("init_scale")?);
    let u = unit_vector(dim - 1, &mut seeded_stream(p.integer("seed")? as u64, INIT_STREAM));
    let mut x = Vec::with_capacity(dim + 1);
    x.push(c * libm::cos(angle));
    x.extend(u.iter().map(|ui| c * libm::sin(angle) * ui));
    x.push(c);
    Ok(x)
}

/// Minimisers a·w = w*: the balanced one (√s e₁, √s) and two unbalanced ones (factor 2).
fn minimizers(dim: usize, scale: f64) -> Vec<Vec<f64>> {
    [1.0, 0.5, 2.0]
        .iter()
        .map(|&k| {
            let mut x = vec![0.0; dim + 1];
            x[0] = k * scale.sqrt();
            x[dim] = scale.sqrt() / k;
            x
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::check::{hessian_asymmetry, relative_derivative_errors, seeded_vector};
    use super::super::data::unit_vector;
    use super::*;
    use crate::objective::{ObjectiveSpec, ParamValue};
    use crate::random::seeded;

    fn population(dim: usize, scale: f64) -> SingleNeuronPopulation {
        let spec = ObjectiveSpec::new(
            "single_neuron_population",
            &[("dim", ParamValue::Number(dim as f64)), ("teacher_scale", ParamValue::Number(scale))],
        );
        let p = Params::validate(POPULATION.schema.params, &spec.params).unwrap();
        SingleNeuronPopulation::from_params(&p).unwrap()
    }

    /// (w, a) with ‖w‖ = r at angle θ from e₁ in the plane of e₁ and e₂.
    fn point(dim: usize, r: f64, theta: f64, a: f64) -> Vec<f64> {
        let mut x = vec![0.0; dim + 1];
        x[0] = r * theta.cos();
        x[1] = r * theta.sin();
        x[dim] = a;
        x
    }

    #[test]
    fn closed_form_derivatives_match_central_differences() {
        let f = population(6, 1.3);
        let v = seeded_vector(7, 4);
        let mut points: Vec<(Vec<f64>, f64)> = (0..5).map(|s| (seeded_vector(7, 10 + s), 1e-5)).collect();
        // Parallel and antiparallel to the teacher, where e is undefined (∇²J → 0), and nearly so.
        // ∇²J grows like sin θ there, so central differences of the gradient are only O(h)
        // accurate (not O(h²)): a smaller step.
        points.extend([
            (point(6, 0.8, 0.0, 1.1), 1e-8),
            (point(6, 0.8, std::f64::consts::PI, -0.4), 1e-8),
            (point(6, 0.8, 1e-4, 0.9), 1e-8),
            (point(6, 1.2, std::f64::consts::PI - 1e-4, 0.5), 1e-8),
        ]);
        for (x, step) in &points {
            let (g, h) = relative_derivative_errors(&f, x, &v, *step);
            assert!(g < 1e-7 && h < 1e-6, "x = {x:?}: gradient {g:.2e}, hvp {h:.2e}");
            assert!(hessian_asymmetry(&f, x) < 1e-10, "x = {x:?}");
        }
    }

    #[test]
    fn at_w_zero_the_kernel_terms_vanish() {
        let f = population(4, 1.0);
        let x = [0.0, 0.0, 0.0, 0.0, 0.7];
        assert_eq!(f.value(&x), 1.0 / 16.0, "L(0, a) = s²/(4d)");
        let mut g = vec![1.0; 5];
        f.gradient(&x, &mut g);
        assert_eq!(g, vec![0.0; 5]);
        let v = [0.3, -0.2, 0.5, 0.1, 0.9];
        let mut hv = vec![0.0; 5];
        f.hessian_vector(&x, &v, &mut hv);
        // ∇²_w L = a²I/(2d), and ∂²L/∂a∂w = 0 = ∂²L/∂a² at w = 0.
        for i in 0..4 {
            assert!((hv[i] - 0.49 * v[i] / 8.0).abs() < 1e-16);
        }
        assert_eq!(hv[4], 0.0);
    }

    #[test]
    fn minima_have_zero_loss_and_sharpness_set_by_the_imbalance() {
        for (dim, s) in [(3usize, 1.0), (8, 2.5)] {
            let f = population(dim, s);
            for x in f.known_minimizers() {
                assert!(f.value(&x).abs() < 1e-15, "{x:?}: {}", f.value(&x));
                let (r, a) = (x[0], x[dim]);
                let eig = f.hessian(&x).symmetric_eigen().eigenvalues;
                let top = eig.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let expected = (a * a + r * r) / (2.0 * dim as f64);
                assert!((top - expected).abs() < 1e-12 * expected, "{x:?}: {top} vs {expected}");
            }
        }
    }

    #[test]
    fn population_loss_and_gradient_agree_with_a_large_sample() {
        // 200,000 points of S⁴ at a generic point: the sample mean of each per-sample quantity must
        // lie within 3 standard errors (computed from the same sample) of the closed form.
        let (dim, n) = (5usize, 200_000usize);
        let f = population(dim, 1.2);
        let x = vec![0.9, -0.6, 0.4, 0.2, 0.5, 0.8];
        let (w, a, s) = (&x[..dim], x[dim], 1.2);
        let mut exact = vec![f.value(&x)];
        let mut g = vec![0.0; dim + 1];
        f.gradient(&x, &mut g);
        exact.extend(&g);
        let mut rng = seeded(11);
        let mut sums = vec![0.0; dim + 2];
        let mut squares = vec![0.0; dim + 2];
        for _ in 0..n {
            let p = unit_vector(dim, &mut rng);
            let z: f64 = w.iter().zip(&p).map(|(a, b)| a * b).sum();
            let residual = a * z.max(0.0) - s * p[0].max(0.0);
            let active = if z > 0.0 { 1.0 } else { 0.0 };
            let mut sample = vec![0.5 * residual * residual];
            sample.extend(p.iter().map(|pi| residual * a * active * pi));
            sample.push(residual * z.max(0.0));
            for (k, q) in sample.iter().enumerate() {
                sums[k] += q;
                squares[k] += q * q;
            }
        }
        for k in 0..dim + 2 {
            let mean = sums[k] / n as f64;
            let se = ((squares[k] / n as f64 - mean * mean) / (n - 1) as f64).sqrt();
            assert!((mean - exact[k]).abs() < 3.0 * se, "quantity {k}: sample {mean} ± {se} vs closed form {}", exact[k]);
        }
    }

    #[test]
    fn empirical_objective_shares_start_and_minimisers_and_has_exact_derivatives() {
        let params = [
            ("dim", ParamValue::Number(4.0)),
            ("n", ParamValue::Number(50.0)),
            ("init_scale", ParamValue::Number(0.6)),
            ("init_angle", ParamValue::Number(60.0)),
        ];
        let emp = ObjectiveSpec::new("single_neuron_empirical", &params).build().unwrap();
        let pop = ObjectiveSpec::new("single_neuron_population", &params[..1]).build().unwrap();
        let pop_params = [params[0].clone(), params[2].clone(), params[3].clone()];
        let pop_same = ObjectiveSpec::new("single_neuron_population", &pop_params).build().unwrap();
        assert_eq!(emp.default_start(), pop_same.default_start());
        let x0 = emp.default_start();
        let cos = x0[0] / x0[..4].iter().map(|w| w * w).sum::<f64>().sqrt();
        assert!((cos - 0.5).abs() < 1e-15 && x0[4] == 0.6, "60° from the teacher, balanced: {x0:?}");
        assert!(pop.default_start()[0].abs() < 1e-17, "the default start is orthogonal to the teacher");
        for x in emp.known_minimizers() {
            assert!(emp.value(&x) < 1e-30);
        }
        let v = seeded_vector(5, 3);
        for seed in 20..23 {
            let x = seeded_vector(5, seed);
            let (g, h) = relative_derivative_errors(&emp, &x, &v, 1e-6);
            assert!(g < 1e-6 && h < 1e-6, "gradient {g:.2e}, hvp {h:.2e}");
            assert!(hessian_asymmetry(&emp, &x) < 1e-10);
        }
    }

    #[test]
    fn bad_parameters_are_refused_naming_the_field() {
        let cases = [
            ("single_neuron_population", "dim", 1.0, "objective.dim"),
            ("single_neuron_population", "teacher_scale", 0.0, "objective.teacher_scale"),
            ("single_neuron_population", "init_angle", 181.0, "objective.init_angle"),
            ("single_neuron_empirical", "n", 0.0, "objective.n"),
        ];
        for (name, param, value, field) in cases {
            let e = ObjectiveSpec::new(name, &[(param, ParamValue::Number(value))]).build().err().unwrap();
            assert_eq!(e.field, field, "{name}.{param} = {value}: {e}");
        }
        let big = [("dim", ParamValue::Number(5000.0)), ("n", ParamValue::Number(1000.0))];
        assert_eq!(ObjectiveSpec::new("single_neuron_empirical", &big).build().err().unwrap().field, "objective.n");
    }
}
