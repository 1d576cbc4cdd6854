//! Formula objectives end to end: exact derivatives against closed forms and finite differences,
//! errors through the spec, limits, and garbage that must never panic.

use super::function::Func;
use super::*;
use crate::objective::check::{derivative_errors, sharpness};
use crate::objective::{DoubleWell, ObjectiveSpec, ParamValue};

fn formula(text: &str, variables: &str, params: &str) -> Formula {
    Formula::new(text, variables, params).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// SplitMix64: a seeded stream of u64s, enough for test points and garbage strings.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [lo, hi).
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn point(&mut self, n: usize, r: f64) -> Vec<f64> {
        (0..n).map(|_| self.uniform(-r, r)).collect()
    }
}

fn gradient(f: &dyn Objective, x: &[f64]) -> Vec<f64> {
    let mut g = vec![0.0; f.dim()];
    f.gradient(x, &mut g);
    g
}

fn hvp(f: &dyn Objective, x: &[f64], v: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; f.dim()];
    f.hessian_vector(x, v, &mut out);
    out
}

/// |a − b| ≤ tol·(1 + |b|), elementwise.
fn assert_close(a: &[f64], b: &[f64], tol: f64, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}");
    for (p, q) in a.iter().zip(b) {
        assert!((p - q).abs() <= tol * (1.0 + q.abs()), "{what}: {a:?} vs {b:?}");
    }
}

#[test]
fn f4_of_paper_004_has_its_hand_derived_derivatives() {
    // f₄ = (1 − xy)² + (x² + y²)/20: ∂x = −2y(1 − xy) + x/10, ∂y = −2x(1 − xy) + y/10,
    // ∇² = [[2y² + 1/10, 4xy − 2], [4xy − 2, 2x² + 1/10]].
    let f = formula(DEFAULT_FORMULA, "x, y", "");
    let mut rng = Rng(4);
    for _ in 0..50 {
        let p = rng.point(2, 3.0);
        let (x, y) = (p[0], p[1]);
        assert_close(&[f.value(&p)], &[(1.0 - x * y).powi(2) + (x * x + y * y) / 20.0], 1e-15, "f");
        let g = [-2.0 * y * (1.0 - x * y) + x / 10.0, -2.0 * x * (1.0 - x * y) + y / 10.0];
        assert_close(&gradient(&f, &p), &g, 1e-14, "∇f");
        let h = [[2.0 * y * y + 0.1, 4.0 * x * y - 2.0], [4.0 * x * y - 2.0, 2.0 * x * x + 0.1]];
        let v = rng.point(2, 1.0);
        let hv = [h[0][0] * v[0] + h[0][1] * v[1], h[1][0] * v[0] + h[1][1] * v[1]];
        assert_close(&hvp(&f, &p, &v), &hv, 1e-14, "∇²f v");
        let dense = f.hessian(&p);
        assert_close(dense.as_slice(), &[h[0][0], h[1][0], h[0][1], h[1][1]], 1e-14, "∇²f");
    }
    // The minima ±(√0.95, √0.95): gradient 0, Hessian [[2, 1.8], [1.8, 2]], sharpness 19/5.
    let a = 0.95f64.sqrt();
    for m in [[a, a], [-a, -a]] {
        assert_close(&gradient(&f, &m), &[0.0, 0.0], 1e-15, "∇f at the minimum");
        assert_close(f.hessian(&m).as_slice(), &[2.0, 1.8, 1.8, 2.0], 1e-14, "∇²f at the minimum");
        assert!((sharpness(&f, &m) - 3.8).abs() < 1e-14);
        assert!((f.value(&m) - 39.0 / 400.0).abs() < 1e-16);
    }
}

#[test]
fn formulas_agree_with_the_hand_written_objectives() {
    // f₁…f₄ of paper 004 (eqs. 43–46) against the registered closed forms.
    let typed = [
        ("f1", "x^2 + y^2 + x^2*y + x^3 + y^3"),
        ("f2", "x^2 + y^2 + x^2*y + x^4 + y^4"),
        ("f3", "x^4*y^2 + x^2*y^4 - 3*x^2*y^2 + 1"),
        ("f4", DEFAULT_FORMULA),
    ];
    let mut rng = Rng(43);
    for (which, text) in typed {
        let f = formula(text, "x, y", "");
        let reference = ObjectiveSpec::new("unstable_convergence", &[("which", ParamValue::Text(which.into()))]).build().unwrap();
        for _ in 0..20 {
            let (p, v) = (rng.point(2, 2.0), rng.point(2, 1.0));
            assert_close(&[f.value(&p)], &[reference.value(&p)], 1e-13, which);
            assert_close(&gradient(&f, &p), &gradient(&reference, &p), 1e-13, which);
            assert_close(&hvp(&f, &p, &v), &hvp(&reference, &p, &v), 1e-13, which);
            assert_close(f.hessian(&p).as_slice(), reference.hessian(&p).as_slice(), 1e-13, which);
        }
    }
}

#[test]
fn double_well_with_mu_as_a_parameter_has_sharpness_two_mu() {
    for mu in [0.25, 1.0, 2.25, 4.0, 1.7] {
        let f = formula("(x^2 - mu)^2/4", "x", &format!("mu = {mu}"));
        let closed = DoubleWell::new(mu).unwrap();
        for m in [mu.sqrt(), -mu.sqrt()] {
            let h = f.hessian(&[m])[(0, 0)];
            if m * m == mu {
                assert_eq!(h, 2.0 * mu, "f″(±√μ) = 2μ exactly for μ = {mu}");
            } else {
                assert!((h - 2.0 * mu).abs() <= 1e-15 * mu, "μ = {mu}: {h}");
            }
            assert_eq!(hvp(&f, &[m], &[1.0]), [h]);
        }
        for x in [-2.3, -0.4, 0.0, 0.9, 3.1] {
            assert_close(&[f.value(&[x])], &[closed.value(&[x])], 1e-15, "f");
            assert_close(&gradient(&f, &[x]), &[closed.derivative(x)], 1e-14, "f′");
            assert_close(&hvp(&f, &[x], &[1.0]), &[closed.second_derivative(x)], 1e-14, "f″");
        }
    }
}

#[test]
fn every_function_matches_central_differences_at_random_points() {
    let cases = [
        ("sin(x)*cos(y) + tan(x*y/4) - tanh(x - 2*y)^2", "x, y", ""),
        ("exp(-x^2/2)*log(1 + y^2) + sqrt(1 + x^2 + y^2) + abs(x - 3)^3", "x, y", ""),
        ("(1 + x^2)^(y/3) + 2^(x*y) - 1/(2 + sin(x)) + x^-2", "x, y", ""),
        ("a*x*y*z - b*log(1 + x^2 + y^2 + z^2)/(2 + cos(z)) + (x - c)^2*sqrt(exp(y))", "x, y, z", "a = 0.7, b = -1.3, c = a/2"),
        ("tanh(w1*tanh(w2*u) - 1)^2 + 0.5*(w1^2 + w2^2)*λ", "u, w1, w2", "λ = 0.01"),
    ];
    let mut rng = Rng(2024);
    for (text, variables, params) in cases {
        let f = formula(text, variables, params);
        for _ in 0..40 {
            let mut x = rng.point(f.dim(), 1.5);
            if text.contains("x^-2") {
                x[0] = x[0].abs() + 0.5;
            }
            let v = rng.point(f.dim(), 1.0);
            let (g, h) = derivative_errors(&f, &x, &v, 1e-5);
            assert!(g < 1e-7 && h < 1e-7, "{text} at {x:?}: gradient {g:e}, hvp {h:e}");
            // The dense Hessian is the HVP with each unit vector, and exactly symmetric.
            let dense = f.hessian(&x);
            assert_eq!(dense, dense.transpose(), "{text}");
            let hv = &dense * nalgebra::DVector::from_column_slice(&v);
            assert_close(hv.as_slice(), &hvp(&f, &x, &v), 1e-13, text);
        }
    }
}

#[test]
fn registered_with_its_defaults() {
    let f = ObjectiveSpec::new("formula", &[]).build().unwrap();
    assert_eq!(f.dim(), 2);
    assert_eq!(f.default_start(), [0.5, 0.5]);
    assert_eq!(f.min_value(), None);
    assert!(f.known_minimizers().is_empty());
    assert_eq!(f.value(&[0.5, 0.5]), 0.75 * 0.75 + 0.5 / 20.0);
    let resolved = ObjectiveSpec::new("formula", &[]).resolved().unwrap();
    assert_eq!(resolved.params["formula"], ParamValue::Text(DEFAULT_FORMULA.into()));
    assert_eq!(resolved.params["variables"], ParamValue::Text("x, y".into()));
    assert_eq!(resolved.params["params"], ParamValue::Text(String::new()));
    let well = ObjectiveSpec::new(
        "formula",
        &[
            ("formula", ParamValue::Text("(x^2 - μ)^2/4".into())),
            ("variables", ParamValue::Text("x".into())),
            ("params", ParamValue::Text("μ = 4".into())),
        ],
    )
    .build()
    .unwrap();
    assert_eq!(well.hessian(&[2.0])[(0, 0)], 8.0);
}

#[test]
fn gd_on_f4_converges_below_the_stability_threshold() {
    // η = 0.1 (2/η = 20 above the sharpness ≈ 16.5 at the start (1.5, 2) and 19/5 at the
    // minima): GD settles at the minimum (√0.95, √0.95).
    let f = formula(DEFAULT_FORMULA, "x, y", "");
    let mut x = vec![1.5, 2.0];
    for _ in 0..2_000 {
        let g = gradient(&f, &x);
        x.iter_mut().zip(&g).for_each(|(xi, gi)| *xi -= 0.1 * gi);
    }
    let a = 0.95f64.sqrt();
    assert_close(&x, &[a, a], 1e-12, "the minimum");
    assert!((sharpness(&f, &x) - 3.8).abs() < 1e-10);
}

fn spec_error(formula: &str, variables: &str, params: &str) -> (String, String) {
    let e = ObjectiveSpec::new(
        "formula",
        &[
            ("formula", ParamValue::Text(formula.into())),
            ("variables", ParamValue::Text(variables.into())),
            ("params", ParamValue::Text(params.into())),
        ],
    )
    .build()
    .err()
    .unwrap_or_else(|| panic!("{formula:?} / {variables:?} / {params:?} was accepted"));
    (e.field, e.message)
}

#[test]
fn errors_name_the_field_and_the_column() {
    let f = |field: &str, message: &str| (field.to_string(), message.to_string());
    assert_eq!(spec_error("sin(x+)", "x, y", ""), f("objective.formula", "unexpected ')' at column 7: expected a number, a name or '('"));
    assert_eq!(
        spec_error("(x^2 - mu)^2/4 + z", "x, y", "mu = 1"),
        f("objective.formula", "unknown name `z` at column 18 (variables: x, y; parameters: mu)")
    );
    assert_eq!(
        spec_error("2x", "x", ""),
        f("objective.formula", "expected an operator at column 2 (found `x`; multiplication must be written with '*')")
    );
    assert_eq!(spec_error("", "x", ""), f("objective.formula", "is empty: write an expression such as x^2 + y^2"));
    assert_eq!(spec_error("x", "x, sin", ""), f("objective.variables", "`sin` at column 4 is a function name"));
    assert_eq!(spec_error("x", "x", "mu = "), f("objective.params", "missing value for `mu` at column 6"));
    // A bad declaration is reported before the formula that would use it.
    assert_eq!(spec_error("x +", "x, x", ""), f("objective.variables", "`x` at column 4 is already a variable"));
}

#[test]
fn limits_are_refused_naming_the_field() {
    let long = format!("x{}", " + x".repeat(125));
    assert_eq!(spec_error(&long, "x", ""), ("objective.formula".into(), "is 501 characters long; at most 500 are allowed".into()));
    let deep = format!("{}x{}", "(".repeat(65), ")".repeat(65));
    let (field, message) = spec_error(&deep, "x", "");
    assert_eq!(field, "objective.formula");
    assert!(message.starts_with("nested more than 64 levels deep at column 65"), "{message}");
    let many: Vec<String> = (0..17).map(|i| format!("x{i}")).collect();
    let (field, message) = spec_error("x0", &many.join(", "), "");
    assert_eq!((field.as_str(), message.as_str()), ("objective.variables", "lists 17 variables; at most 16 are allowed"));
    let params: Vec<String> = (0..17).map(|i| format!("a{i} = {i}")).collect();
    let (field, message) = spec_error("x", "x", &params.join(", "));
    assert_eq!((field.as_str(), message.as_str()), ("objective.params", "lists 17 parameters; at most 16 are allowed"));
    // At the limits themselves everything is accepted.
    let sixteen = many[..16].join(", ");
    let sum: Vec<String> = many[..16].iter().map(|v| format!("{v}^2")).collect();
    let f = formula(&sum.join(" + "), &sixteen, &params[..16].join(", "));
    assert_eq!(f.dim(), 16);
    assert_eq!(sharpness(&f, &[0.3; 16]), 2.0);
    let deepest = format!("{}x{}", "(".repeat(64), ")".repeat(64));
    assert_eq!(formula(&deepest, "x", "").value(&[3.0]), 3.0);
}

/// A random well-formed formula in x, y and mu (parentheses where the generator chooses).
fn random_formula(rng: &mut Rng, depth: usize) -> String {
    const LEAVES: &[&str] = &["x", "y", "mu", "2", "0.5", "3e-1", "1"];
    const OPS: &[&str] = &[" + ", " - ", "*", "/", "^"];
    if depth == 0 || rng.below(3) == 0 {
        return LEAVES[rng.below(LEAVES.len())].to_string();
    }
    match rng.below(4) {
        0 => format!("-{}", random_formula(rng, depth - 1)),
        1 => format!("{}({})", Func::ALL[rng.below(8)].name(), random_formula(rng, depth - 1)),
        2 => format!("({})", random_formula(rng, depth - 1)),
        _ => format!("{}{}{}", random_formula(rng, depth - 1), OPS[rng.below(OPS.len())], random_formula(rng, depth - 1)),
    }
}

#[test]
fn garbage_never_panics_and_every_error_says_where() {
    const PIECES: &[&str] = &[
        "x", "y", "mu", "sin", "log", "sinh", "(", ")", "(", ")", "+", "-", "−", "*", "/", "^", "1", "2.5", "1e3", "1e", ".", "e", " ",
        "  ", "μ", "$", ",", "=", "\u{0}", "é", "🙂", "0", ".5", "1e999", "abs", "sqrt", "exp", "2x", "_",
    ];
    let mut rng = Rng(7);
    let (mut accepted, mut refused) = (0, 0);
    for round in 0..6_000 {
        let text: String = match round % 3 {
            // Arbitrary characters, mostly ASCII.
            0 => (0..rng.below(30))
                .map(|_| {
                    let code = if rng.below(8) == 0 { rng.below(0x2_0000) } else { rng.below(128) };
                    char::from_u32(code as u32).unwrap_or('?')
                })
                .collect(),
            // Pieces of formulas in any order.
            1 => (0..rng.below(40)).map(|_| PIECES[rng.below(PIECES.len())]).collect(),
            // Well-formed formulas, half of them with one piece inserted and one character dropped.
            _ => {
                let mut chars: Vec<char> = random_formula(&mut rng, 8).chars().collect();
                if rng.below(2) == 0 {
                    let at = rng.below(chars.len() + 1);
                    chars.splice(at..at, PIECES[rng.below(PIECES.len())].chars());
                    chars.remove(rng.below(chars.len()));
                }
                chars.into_iter().collect()
            }
        };
        match Formula::new(&text, "x, y", "mu = 1.5") {
            Ok(f) => {
                accepted += 1;
                let p = rng.point(2, 2.0);
                let _ = f.value(&p);
                let _ = gradient(&f, &p);
                let _ = hvp(&f, &p, &[1.0, -1.0]);
                let _ = f.hessian(&p);
            }
            Err(e) => {
                refused += 1;
                assert_eq!(e.field, "objective.formula", "{text:?}: {e}");
                let located = e.message.contains("at column") || e.message.starts_with("is empty") || e.message.contains("characters long");
                assert!(located, "{text:?}: {e}");
            }
        }
        // The same garbage as declarations.
        for result in [Formula::new("x", &text, ""), Formula::new("x", "x", &text)] {
            if let Err(e) = result {
                assert!(e.field.starts_with("objective."), "{text:?}: {e}");
            }
        }
    }
    assert!(accepted > 1_000 && refused > 3_000, "accepted {accepted}, refused {refused}");
}
