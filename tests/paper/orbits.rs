//! Period-p orbits of the GD map solved by Newton's method (`"kind": "orbit"`) against paper 002's
//! period-2 orbits (Chen & Bruna, *Beyond the Edge of Stability via Two-step Gradient Updates*):
//! the double well's (Thm 2, eq. (4), App. L), the balanced orbit of (xy − μ)²/2 (Thm 3, Prop. 3),
//! the 2-cycle born at the edge of stability of a 1-D base model (Thm 1, Prop. 1–2), and matrix
//! factorisation's period-2 and period-4 orbits (§6, Obs. 1, eq. (8), Fig. 2). The closed forms
//! are derived in crate/core/src/objective/double_well.rs, objective/bilinear.rs and
//! orbit/flip.rs.

use eoslab_core::{parse_json, run};
use serde_json::{json, Value};

fn run_json(spec: Value) -> Value {
    let spec = parse_json(&spec.to_string()).expect("valid spec");
    serde_json::to_value(run(&spec).expect("runs")).unwrap()
}

fn orbit(objective: Value, eta: f64, period: usize, start: Value, warmup: usize) -> Value {
    run_json(json!({"kind": "orbit", "objective": objective, "eta": eta, "period": period,
                    "start": start, "warmup": warmup}))
}

fn number(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// The orbit's points, each as a vector.
fn points(o: &Value) -> Vec<Vec<f64>> {
    o["orbit"].as_array().unwrap().iter().map(|p| p.as_array().unwrap().iter().map(number).collect()).collect()
}

/// The real parts of the multipliers, checking that they are real.
fn real_multipliers(o: &Value) -> Vec<f64> {
    o["multipliers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            assert_eq!(number(&m["im"]), 0.0, "{m}");
            number(&m["re"])
        })
        .collect()
}

/// The double well's period-2 orbit (a, b) = ((√(μ + 3/η) ± √(μ − 1/η))/2) (Thm 2, eq. (4)).
fn well_two_cycle(mu: f64, eta: f64) -> (f64, f64) {
    let (s, d) = ((mu + 3.0 / eta).sqrt(), (mu - 1.0 / eta).sqrt());
    ((s + d) / 2.0, (s - d) / 2.0)
}

fn converged_with_period(o: &Value, p: u64) {
    assert_eq!(o["converged"], true, "{o}");
    assert_eq!(o["stop"], "converged");
    assert_eq!(o["minimal_period"], p, "{o}");
}

#[test]
fn double_well_two_cycles_are_eq_4_with_multiplier_9_minus_2_one_plus_eta_mu_squared() {
    for mu in [0.7, 1.0, 1.5] {
        for s in [1.05, 1.2, 1.3, 1.8] {
            let eta = s / mu;
            let (a, b) = well_two_cycle(mu, eta);
            let o = orbit(json!({"name": "double_well", "mu": mu}), eta, 2, json!([a + 0.03]), 0);
            converged_with_period(&o, 2);
            let x = points(&o);
            assert!((x[0][0] - a).abs() < 1e-12 * a && (x[1][0] - b).abs() < 1e-12 * a, "μ {mu} ημ {s}: {x:?}");
            let m = real_multipliers(&o)[0];
            assert!((m - (9.0 - 2.0 * (1.0 + s) * (1.0 + s))).abs() < 1e-12 * m.abs().max(1.0), "μ {mu} ημ {s}: {m}");
            // The multiplier is the derivative of G∘G, G′(a)G′(b) with G′ = 1 − ηf″ (f″ is the
            // sharpness the result reports at each point).
            let f2: Vec<f64> = o["sharpness"].as_array().unwrap().iter().map(number).collect();
            assert!((m - (1.0 - eta * f2[0]) * (1.0 - eta * f2[1])).abs() < 1e-12 * m.abs().max(1.0));
            assert_eq!(o["stable"], s < 5f64.sqrt() - 1.0, "μ {mu} ημ {s}");
        }
    }
}

#[test]
fn the_symmetric_two_cycle_always_repels() {
    // ±√(μ + 2/η) with multiplier (5 + 2ημ)² (crate/core/src/objective/double_well.rs).
    for eta in [0.5f64, 1.1] {
        let c = (1.0 + 2.0 / eta).sqrt();
        let o = orbit(json!({"name": "double_well"}), eta, 2, json!([c + 0.01]), 0);
        converged_with_period(&o, 2);
        let x = points(&o);
        assert!((x[0][0] - c).abs() < 1e-13 && (x[1][0] + c).abs() < 1e-13, "{x:?}");
        assert!((real_multipliers(&o)[0] - (5.0 + 2.0 * eta).powi(2)).abs() < 1e-11);
        assert_eq!(o["stable"], false);
    }
}

#[test]
fn the_two_cycle_loses_stability_at_sqrt5_minus_1_where_onsets_finds_the_second_doubling() {
    // Bisect η on the sign of 1 + multiplier of the Newton-solved 2-cycle (μ = 1).
    let multiplier = |eta: f64| {
        let (a, _) = well_two_cycle(1.0, eta);
        let o = orbit(json!({"name": "double_well"}), eta, 2, json!([a]), 0);
        converged_with_period(&o, 2);
        real_multipliers(&o)[0]
    };
    let (mut lo, mut hi) = (1.1, 1.3);
    assert!(multiplier(lo) > -1.0 && multiplier(hi) < -1.0);
    while hi - lo > 1e-13 {
        let mid = 0.5 * (lo + hi);
        if multiplier(mid) > -1.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let edge = 0.5 * (lo + hi);
    assert!((edge - (5f64.sqrt() - 1.0)).abs() < 1e-12, "{edge}");
    let onsets = run_json(json!({"kind": "onsets", "eta_min": 0.5, "eta_max": 1.26, "max_onsets": 2}));
    let second = number(&onsets["onsets"][1]["value"]);
    assert_eq!(onsets["onsets"][1]["period"], 2);
    assert!((second - edge).abs() < 1e-11, "onsets {second} vs Newton {edge}");
}

#[test]
fn a_period_4_solve_lands_on_the_2_cycle_below_the_doubling_and_on_a_4_cycle_above() {
    let (a, _) = well_two_cycle(1.0, 1.1);
    let below = orbit(json!({"name": "double_well"}), 1.1, 4, json!([a + 0.01]), 0);
    converged_with_period(&below, 2);
    let x = points(&below);
    assert!((x[2][0] - x[0][0]).abs() < 1e-12 && (x[0][0] - a).abs() < 1e-12);
    // Multipliers of G⁴ on a 2-cycle: the square of G²'s.
    assert!((real_multipliers(&below)[0] - (9.0 - 2.0 * 2.1f64.powi(2)).powi(2)).abs() < 1e-12);
    let above = orbit(json!({"name": "double_well"}), 1.25, 4, json!([0.5]), 2000);
    converged_with_period(&above, 4);
    assert_eq!(above["stable"], true);
    let x: Vec<f64> = points(&above).iter().map(|p| p[0]).collect();
    let mut distinct = x.clone();
    distinct.sort_by(f64::total_cmp);
    assert!(distinct.windows(2).all(|w| w[1] - w[0] > 1e-3), "four distinct points: {x:?}");
}

#[test]
fn two_factor_gd_balances_onto_the_double_wells_two_cycle_with_closed_form_multipliers() {
    // (xy − μ)²/2 from an unbalanced start (x² − y² = 1.33; from the default (2.5, 0.2) GD
    // diverges at these η): 60 GD steps start the balancing (Thm 3), Newton ends on
    // (a, a) ↔ (b, b), a, b from eq. (4) with the same μ and η (Prop. 3); multipliers
    // 9 − 2(1 + ημ)² along the orbit and 3 − 2ημ across the balance.
    for (mu, eta) in [(1.0f64, 1.1), (1.0, 1.2), (2.0, 0.55)] {
        let o = run_json(json!({"kind": "orbit", "objective": {"name": "two_factor", "mu": mu}, "eta": eta,
                                "period": 2, "start": [1.3 * mu.sqrt(), 0.6 * mu.sqrt()], "warmup": 60, "tol": 1e-14}));
        converged_with_period(&o, 2);
        assert!(o["iterations"].as_u64().unwrap() > 0, "Newton finishes what GD started");
        let (a, b) = well_two_cycle(mu, eta);
        let mut x = points(&o);
        x.sort_by(|p, q| q[0].total_cmp(&p[0]));
        for (p, s) in x.iter().zip([a, b]) {
            assert!((p[0] - s).abs() < 1e-12 && (p[1] - s).abs() < 1e-12, "μ {mu} η {eta}: {p:?} vs {s}");
        }
        let m = real_multipliers(&o);
        let mut expected = [9.0 - 2.0 * (1.0 + eta * mu).powi(2), 3.0 - 2.0 * eta * mu];
        expected.sort_by(|p, q| q.abs().total_cmp(&p.abs()));
        assert!((m[0] - expected[0]).abs() < 1e-12 && (m[1] - expected[1]).abs() < 1e-12, "{m:?} vs {expected:?}");
        assert_eq!(o["stable"], true);
    }
    // In ℝ³ × ℝ³ the orbit comes in a family (any unit direction u): two neutral multipliers.
    let o = run_json(json!({"kind": "orbit", "objective": {"name": "two_factor", "d": 3}, "eta": 1.1,
                            "start": [0.9, 0.5, 0.3, 0.2, 0.4, 0.3], "warmup": 300}));
    converged_with_period(&o, 2);
    assert_eq!((o["neutral"].as_u64(), o["stable"].as_bool()), (Some(2), Some(false)), "{o}");
    let m = real_multipliers(&o);
    let expected = [1.0, 1.0, 0.8, 0.8, 0.8, 9.0 - 2.0 * 2.1 * 2.1];
    for (got, want) in m.iter().zip(expected) {
        assert!((got - want).abs() < 1e-10, "{m:?}");
    }
}

#[test]
fn base_models_have_a_two_cycle_just_beyond_the_edge_where_prop_1_says() {
    // tanh with target y (x* = atanh y): f″ = (1 − y²)², κ = 4(18y² + 2)/3 > 0 for every y; sin:
    // f″ = cos² x*, κ = 4(1 + 5y²)/(3 cos² x*) (orbit/flip.rs). Just beyond η₀ = 2/f″ Newton finds
    // the 2-cycle x* ± √(δ/κ), δ = ηf″ − 2, to first order in δ, with multiplier 1 − 4δ; just
    // below, the same start falls back onto the minimum.
    let y: f64 = 0.5;
    let cases = [
        ("tanh", y.atanh(), (1.0 - y * y).powi(2), 4.0 * (18.0 * y * y + 2.0) / 3.0),
        ("sin", y.asin(), 1.0 - y * y, 4.0 * (1.0 + 5.0 * y * y) / (3.0 * (1.0 - y * y))),
    ];
    for (g, x_star, f2, kappa) in cases {
        let objective = json!({"name": "base_model", "g": g, "y": y});
        let eta0 = 2.0 / f2;
        for eps in [1e-2, 1e-3] {
            let eta = eta0 * (1.0 + eps);
            let delta = eta * f2 - 2.0;
            let amplitude = (delta / kappa).sqrt();
            let o = orbit(objective.clone(), eta, 2, json!([x_star + 1.2 * amplitude]), 0);
            converged_with_period(&o, 2);
            let x = points(&o);
            let half_width = (x[0][0] - x[1][0]).abs() / 2.0;
            let error = (half_width / amplitude - 1.0).abs();
            assert!(error < 2.0 * delta, "{g} ε {eps}: half-width {half_width} vs {amplitude}");
            let m = real_multipliers(&o)[0];
            assert!((m - (1.0 - 4.0 * delta)).abs() < 4.0 * delta.powf(1.5), "{g} ε {eps}: {m}");
            assert_eq!(o["stable"], true);
            let below = orbit(objective.clone(), eta0 * (1.0 - eps), 2, json!([x_star + 1.2 * amplitude]), 0);
            converged_with_period(&below, 1);
            assert!((points(&below)[0][0] - x_star).abs() < 1e-12, "{g} below the edge: {below}");
        }
    }
}

#[test]
fn a_composed_base_model_has_its_two_cycle_too() {
    // Prop. 2: g∘h = sin∘tanh with y = 0.4; from GD just beyond the edge (η₀ = 2/F′(x*)²).
    let y: f64 = 0.4;
    let x_star = y.asin().atanh();
    let f1 = y.asin().cos() * (1.0 - y.asin().powi(2));
    let eta = 2.0 / (f1 * f1) * 1.01;
    let o = orbit(json!({"name": "base_model", "g": "sin", "h": "tanh", "y": y}), eta, 2, json!([x_star + 0.05]), 20_000);
    converged_with_period(&o, 2);
    let x = points(&o);
    assert!((x[0][0] - x_star) * (x[1][0] - x_star) < 0.0, "straddles x*: {x:?}");
    assert_eq!(o["stable"], true);
}

/// The norm of the first row of the 4 × 4 row-major factor `m`: with A = diag(σ₁, σ₂, 0, 0) the
/// σ₁-component of XYᵀ is (row 0 of X)·(row 0 of Y)ᵀ, the scalar factorisation that eq. (8)
/// reduces the orbit to.
fn first_row_norm(m: &[f64]) -> f64 {
    m[..4].iter().map(|v| v * v).sum::<f64>().sqrt()
}

#[test]
fn matrix_factorisation_settles_on_eq_8s_period_2_orbit_then_a_period_4_orbit() {
    // ½‖XYᵀ − A‖², A = diag(1, 0.5, 0, 0), X, Y ∈ ℝ^{4×4} from a generic start. Obs. 1: for
    // 1 < ησ₁ < √5 − 1 GD ends on a period-2 orbit whose σ₁-components of X and Y (their first
    // rows) both alternate between eq. (8)'s a and b, the double well's 2-cycle with μ = σ₁ = 1.
    let objective = json!({"name": "matrix_factorization", "n": 4, "r": 4, "spectrum": [1.0, 0.5]});
    let eta = 1.1;
    let o = run_json(json!({"kind": "orbit", "objective": objective, "eta": eta, "period": 2, "warmup": 100}));
    converged_with_period(&o, 2);
    assert!(o["iterations"].as_u64().unwrap() > 0 && number(&o["residual"]) < 1e-12, "{o}");
    let (a, b) = well_two_cycle(1.0, eta);
    let mut tops: Vec<(f64, f64)> = points(&o).iter().map(|p| (first_row_norm(&p[..16]), first_row_norm(&p[16..]))).collect();
    tops.sort_by(|p, q| q.0.total_cmp(&p.0));
    for ((sx, sy), s) in tops.iter().zip([a, b]) {
        assert!((sx - s).abs() < 1e-9 && (sy - s).abs() < 1e-9, "{tops:?} vs {a}, {b}");
    }
    assert!(number(&o["spectral_radius"]) < 1.0 + 1e-8, "{}", o["spectral_radius"]);
    // Fig. 2: past the 2-cycle's window GD ends on a period-4 orbit.
    // The orbit is one of a family (X → XQ, Y → YQ for orthogonal Q, and the unbalanced minimisers
    // of the second component): multipliers 1 along it, the others inside the unit circle.
    assert!(o["neutral"].as_u64().unwrap() > 0 && number(&o["spectral_radius"]) < 1.0 + 1e-8, "{o}");
    // Fig. 2: past the 2-cycle's window GD ends on a period-4 orbit, whose σ₁-components are the
    // double well's 4-cycle at the same η (solved by the same kind).
    let o = run_json(json!({"kind": "orbit", "objective": objective, "eta": 1.26, "period": 4, "warmup": 100}));
    converged_with_period(&o, 4);
    assert!(o["iterations"].as_u64().unwrap() > 0 && number(&o["residual"]) < 1e-12, "{o}");
    assert!(number(&o["spectral_radius"]) < 1.0 + 1e-8, "{o}");
    let well = orbit(json!({"name": "double_well"}), 1.26, 4, json!([0.5]), 2000);
    converged_with_period(&well, 4);
    let mut expected: Vec<f64> = points(&well).iter().map(|p| p[0]).collect();
    let mut tops: Vec<f64> = points(&o).iter().map(|p| first_row_norm(&p[..16])).collect();
    expected.sort_by(f64::total_cmp);
    tops.sort_by(f64::total_cmp);
    for (t, e) in tops.iter().zip(&expected) {
        assert!((t - e).abs() < 1e-9, "{tops:?} vs {expected:?}");
    }
}
