//! The `mlp` objective: a multilayer perceptron on one of the data sets of `data` and `digits`,
//! as in paper 000 §7 and App. F (2- and 3-layer networks with ½-MSE or Huber loss and tanh,
//! ReLU or cubic activations, with and without batch normalisation) and paper 002 App. B.3
//! (ReLU networks on a planted teacher and on images).
//!
//! Initialisation (seeded, stream [`super::INIT_STREAM`]): every weight and bias of layer l is
//! drawn independently with fan-in d_{l−1}, then multiplied by `init_scale`:
//! * `lecun`: N(0, 1/d_{l−1});
//! * `he`: N(0, 2/d_{l−1}) (for ReLU);
//! * `uniform`: U(−1/√d_{l−1}, 1/√d_{l−1}), PyTorch's default for `nn.Linear` (weights and
//!   biases), which paper 000 App. F starts from before rescaling.
//!
//! Outputs: one per regression target; for cross-entropy one per class. On `digits` the
//! regression targets are one-hot (Cohen et al.'s MSE on classes; paper 000 App. F does the same
//! on CIFAR-10); on `orthogonal` they are the ±1 labels (random signs, seeded, stream
//! [`super::DATA_STREAM`]), and cross-entropy uses classes 1 (label +1) and 0 (label −1).

use super::activation::{Activation, ACTIVATION_NAMES};
use super::data::Dataset;
use super::digits::{digits, DIGITS_AVAILABLE, DIGITS_PIXELS};
use super::loss::{Loss, LOSS_NAMES};
use super::mlp::{check_samples, Architecture, Layer, Mlp, MAX_HIDDEN_LAYERS, MAX_SAMPLES, MAX_WIDTH};
use super::{seeded_stream, DATA_STREAM, INIT_STREAM};
use crate::error::{Result, SpecError};
use crate::objective::params::{ParamSchema, Params};
use crate::objective::schema::{ObjectiveSchema, Registered};
use crate::objective::{AnyObjective, Objective};
use crate::random::standard_normal;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Largest input dimension of the `orthogonal` and `teacher` data sets.
pub const MAX_INPUT_DIM: usize = 2_000;
/// Largest degree of the Chebyshev target.
pub const MAX_DEGREE: usize = 64;

const DATASETS: &[&str] = &["chebyshev", "orthogonal", "teacher", "digits"];
const INITS: &[&str] = &["lecun", "he", "uniform"];
const SWITCH: &[&str] = &["off", "on"];

pub(in crate::objective) const REGISTERED: Registered = Registered {
    schema: ObjectiveSchema {
        name: "mlp",
        group: "networks",
        title: "Multilayer perceptron",
        description: "Mean loss of a fully connected network (hidden widths, activation, loss, optional \
                      full-batch normalisation) on a small data set: Chebyshev regression, orthogonal \
                      inputs, a planted ReLU teacher, or 8×8 handwritten digits. Exact gradient by \
                      backpropagation and exact Hessian-vector products (forward over reverse): watch \
                      the sharpness rise to 2/η and hover there.",
        citation: "Wang, Xu, Zhao, Tao (000) §3.2, §7, App. F; Chen & Bruna (002) App. B.3; Cohen et al. (2021)",
        params: &[
            ParamSchema::choice("dataset", "chebyshev", DATASETS, "data: chebyshev (1-D regression of T_k), orthogonal (basis inputs, ±1 labels), teacher (sphere inputs, ReLU teacher), digits (8×8 images, 10 classes)"),
            ParamSchema::integer("n", 20, 1, MAX_SAMPLES as u64, "number of samples (digits: at most 1000; orthogonal: at most input_dim)"),
            ParamSchema::integer("degree", 4, 0, MAX_DEGREE as u64, "k of the Chebyshev target T_k (chebyshev only)"),
            ParamSchema::integer("input_dim", 10, 1, MAX_INPUT_DIM as u64, "input dimension d (orthogonal and teacher)"),
            ParamSchema::integer("teacher_width", 4, 1, MAX_INPUT_DIM as u64, "number of teacher neurons e_1 … e_k, at most input_dim (teacher only)"),
            ParamSchema::list("hidden", &[30.0, 20.0], 1.0, MAX_WIDTH as f64, MAX_HIDDEN_LAYERS, "widths of the hidden layers"),
            ParamSchema::choice("activation", "tanh", ACTIVATION_NAMES, "activation of the hidden layers"),
            ParamSchema::choice("loss", "mse", LOSS_NAMES, "½-MSE, Huber, or softmax cross-entropy (classification data only)"),
            ParamSchema::real("huber_delta", 1.0, 1e-6, 1e6, "δ of the Huber loss: quadratic for |r| ≤ δ, linear beyond"),
            ParamSchema::choice("batch_norm", "off", SWITCH, "batch normalisation (full batch, no affine parameters) of the hidden pre-activations"),
            ParamSchema::real("bn_eps", 1e-5, 1e-12, 1.0, "ε of batch normalisation: u = (z − μ)/√(σ² + ε)"),
            ParamSchema::choice("bias", "on", SWITCH, "biases in every layer"),
            ParamSchema::choice("init", "lecun", INITS, "initial weights: lecun N(0, 1/fan_in), he N(0, 2/fan_in), uniform U(±1/√fan_in)"),
            ParamSchema::real("init_scale", 1.0, 0.0, 100.0, "factor applied to the initial weights and biases"),
            ParamSchema::integer("seed", 0, 0, u32::MAX as u64, "seed of the data and of the initialisation"),
        ],
    },
    build: |p: &Params| Ok(AnyObjective::Other(Box::new(build(p)?))),
};

/// Builds the `mlp` objective from validated parameters.
fn build(p: &Params) -> Result<Mlp> {
    let seed = p.integer("seed")? as u64;
    let n = p.integer("n")?;
    let data = dataset(p, n, &mut seeded_stream(seed, DATA_STREAM))?;
    let loss_name = p.text("loss")?;
    let classes = data.classes.as_ref().map(|(labels, count)| (&labels[..], *count));
    let loss = Loss::new(loss_name, p.real("huber_delta")?, &data.values, classes)?;
    let outputs = match &loss {
        Loss::CrossEntropy { classes, .. } => *classes,
        _ => data.outputs,
    };
    let arch = Architecture {
        hidden: widths(p.list("hidden")?)?,
        activation: Activation::parse(p.text("activation")?)?,
        bias: p.text("bias")? == "on",
        batch_norm: (p.text("batch_norm")? == "on").then_some(p.real("bn_eps")?),
    };
    let net = Mlp::new(&data, outputs, loss, &arch)?;
    let start = initial_parameters(net.layers(), net.dim(), p.text("init")?, p.real("init_scale")?, &mut seeded_stream(seed, INIT_STREAM));
    Ok(net.with_start(start))
}

/// The data set the parameters name, drawn from `rng` where it is random. Sizes are checked
/// before anything is generated.
fn dataset(p: &Params, n: usize, rng: &mut ChaCha8Rng) -> Result<Dataset> {
    match p.text("dataset")? {
        "chebyshev" => {
            check_samples(n, 1)?;
            Ok(Dataset::chebyshev(n, p.integer("degree")?))
        }
        "orthogonal" => {
            let dim = p.integer("input_dim")?;
            if n > dim {
                return Err(SpecError::new("objective.n", format!("orthogonal inputs need n ≤ input_dim = {dim} (got n = {n})")));
            }
            check_samples(n, dim)?;
            let labels: Vec<f64> = (0..n).map(|_| if rng.random::<bool>() { 1.0 } else { -1.0 }).collect();
            Ok(Dataset::orthogonal(dim, &labels))
        }
        "teacher" => {
            let (dim, width) = (p.integer("input_dim")?, p.integer("teacher_width")?);
            if width > dim {
                return Err(SpecError::new("objective.teacher_width", format!("must be at most input_dim = {dim} (got {width})")));
            }
            check_samples(n, dim)?;
            Ok(Dataset::sphere_teacher(n, dim, width, 1.0, rng))
        }
        _ => {
            if n > DIGITS_AVAILABLE {
                return Err(SpecError::new("objective.n", format!("the digits set has {DIGITS_AVAILABLE} images (got n = {n})")));
            }
            check_samples(n, DIGITS_PIXELS)?;
            digits(n)
        }
    }
}

/// The hidden widths of a list parameter: whole numbers (the schema checked the range).
fn widths(list: &[f64]) -> Result<Vec<usize>> {
    list.iter()
        .enumerate()
        .map(|(i, &w)| {
            if w.fract() == 0.0 {
                Ok(w as usize)
            } else {
                Err(SpecError::new(format!("objective.hidden[{i}]"), format!("a width must be a whole number (got {w})")))
            }
        })
        .collect()
}

/// Seeded initial parameters (module docs), layer by layer in the parameter order.
fn initial_parameters(layers: &[Layer], dim: usize, init: &str, scale: f64, rng: &mut ChaCha8Rng) -> Vec<f64> {
    let mut x = vec![0.0; dim];
    for layer in layers {
        let fan_in = layer.fan_in as f64;
        let mut draw = || match init {
            "he" => standard_normal(rng) * (2.0 / fan_in).sqrt(),
            "uniform" => (2.0 * rng.random::<f64>() - 1.0) / fan_in.sqrt(),
            _ => standard_normal(rng) / fan_in.sqrt(),
        } * scale;
        for w in &mut x[layer.weights..layer.weights + layer.fan_in * layer.fan_out] {
            *w = draw();
        }
        if let Some(b) = layer.bias {
            for w in &mut x[b..b + layer.fan_out] {
                *w = draw();
            }
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::super::check::{hessian_asymmetry, relative_derivative_errors, seeded_vector};
    use crate::objective::{Objective, ObjectiveSpec, ParamValue};

    fn text(s: &str) -> ParamValue {
        ParamValue::Text(s.into())
    }

    fn num(x: f64) -> ParamValue {
        ParamValue::Number(x)
    }

    /// Checks gradient and HVP against central differences at a seeded point near the start
    /// (biases moved off 0), and the symmetry of the dense Hessian.
    fn check(params: &[(&str, ParamValue)], tol: f64) {
        let f = ObjectiveSpec::new("mlp", params).build().unwrap_or_else(|e| panic!("{params:?}: {e}"));
        let n = f.dim();
        let x: Vec<f64> = f.default_start().iter().zip(seeded_vector(n, 1)).map(|(a, b)| a + 0.3 * b).collect();
        let v = seeded_vector(n, 2);
        let (g, h) = relative_derivative_errors(&f, &x, &v, 1e-6);
        assert!(g < tol && h < tol, "{params:?}: gradient {g:.2e}, hvp {h:.2e}");
        let asym = hessian_asymmetry(&f, &x);
        assert!(asym < 1e-10, "{params:?}: Hessian asymmetry {asym:.2e}");
    }

    #[test]
    fn every_activation_loss_batch_norm_and_bias_has_exact_derivatives() {
        for activation in ["tanh", "relu", "gelu", "cubic", "linear"] {
            for loss in ["mse", "huber", "cross_entropy"] {
                for batch_norm in ["off", "on"] {
                    for bias in ["on", "off"] {
                        check(
                            &[
                                ("dataset", text("orthogonal")),
                                ("n", num(6.0)),
                                ("input_dim", num(7.0)),
                                ("hidden", ParamValue::List(vec![5.0, 4.0])),
                                ("activation", text(activation)),
                                ("loss", text(loss)),
                                ("huber_delta", num(0.5)),
                                ("batch_norm", text(batch_norm)),
                                ("bn_eps", num(1e-3)),
                                ("bias", text(bias)),
                            ],
                            1e-6,
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_data_set_and_initialisation_has_exact_derivatives() {
        let cases: &[&[(&str, ParamValue)]] = &[
            &[("dataset", text("chebyshev")), ("n", num(12.0)), ("hidden", ParamValue::List(vec![6.0, 5.0]))],
            &[
                ("dataset", text("teacher")),
                ("n", num(15.0)),
                ("input_dim", num(5.0)),
                ("teacher_width", num(3.0)),
                ("hidden", ParamValue::List(vec![4.0])),
                ("activation", text("relu")),
                ("init", text("he")),
            ],
            &[
                ("dataset", text("digits")),
                ("n", num(30.0)),
                ("hidden", ParamValue::List(vec![3.0])),
                ("loss", text("cross_entropy")),
                ("init", text("uniform")),
            ],
            &[
                ("dataset", text("digits")),
                ("n", num(30.0)),
                ("hidden", ParamValue::List(vec![3.0, 2.0])),
                ("activation", text("gelu")),
                ("batch_norm", text("on")),
            ],
            &[
                ("dataset", text("chebyshev")),
                ("n", num(9.0)),
                ("hidden", ParamValue::List(vec![3.0, 3.0, 3.0])),
                ("activation", text("cubic")),
                ("loss", text("huber")),
                ("init_scale", num(0.5)),
                ("batch_norm", text("on")),
            ],
        ];
        for case in cases {
            check(case, 1e-6);
        }
    }

    #[test]
    fn the_default_is_the_benchmark_network_and_is_deterministic() {
        let f = ObjectiveSpec::new("mlp", &[]).build().unwrap();
        assert_eq!(f.dim(), 30 + 30 + 30 * 20 + 20 + 20 + 1, "1 → 30 → 20 → 1 with biases");
        let x0 = f.default_start();
        assert!(x0.iter().all(|x| x.is_finite()) && f.value(&x0).is_finite());
        let again = ObjectiveSpec::new("mlp", &[]).build().unwrap();
        assert_eq!(again.default_start(), x0);
        assert_eq!(again.value(&x0).to_bits(), f.value(&x0).to_bits());
        let other = ObjectiveSpec::new("mlp", &[("seed", num(1.0))]).build().unwrap();
        assert_ne!(other.default_start(), x0);
        // LeCun normal: the first layer's 30 weights have fan-in 1, so their mean square is about 1.
        let mean_square = x0[..30].iter().map(|w| w * w).sum::<f64>() / 30.0;
        assert!((0.4..2.0).contains(&mean_square), "{mean_square}");
    }

    #[test]
    fn bad_parameters_are_refused_naming_the_field() {
        let cases: &[(&[(&str, ParamValue)], &str)] = &[
            (&[("hidden", ParamValue::List(vec![30.0, 2.5]))], "objective.hidden[1]"),
            (&[("hidden", ParamValue::List(vec![0.0]))], "objective.hidden[0]"),
            (&[("hidden", ParamValue::List(vec![2000.0, 2000.0]))], "objective.hidden"),
            (&[("loss", text("cross_entropy"))], "objective.loss"),
            (&[("dataset", text("orthogonal")), ("n", num(11.0))], "objective.n"),
            (&[("dataset", text("teacher")), ("teacher_width", num(11.0))], "objective.teacher_width"),
            (&[("dataset", text("digits")), ("n", num(1001.0))], "objective.n"),
            (&[("dataset", text("teacher")), ("n", num(5000.0)), ("input_dim", num(2000.0))], "objective.n"),
            (&[("dataset", text("digits")), ("n", num(1000.0)), ("hidden", ParamValue::List(vec![1000.0, 1000.0]))], "objective.hidden"),
            (&[("dataset", text("digits")), ("n", num(1000.0)), ("hidden", ParamValue::List(vec![400.0, 100.0]))], "objective.n"),
            (&[("activation", text("sigmoid"))], "objective.activation"),
            (&[("n", num(0.0))], "objective.n"),
            (&[("n", num(5001.0))], "objective.n"),
            (&[("bn_eps", num(0.0))], "objective.bn_eps"),
        ];
        for (params, field) in cases {
            let e = ObjectiveSpec::new("mlp", params).build().err().unwrap_or_else(|| panic!("{params:?} was accepted"));
            assert_eq!(e.field, *field, "{params:?}: {e}");
        }
    }
}
