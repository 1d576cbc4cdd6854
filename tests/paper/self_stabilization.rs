//! Self-stabilization (Damian, Nichani, Lee, paper 001 §4–5) end to end through JSON specs: the
//! reduced model's α, β and δ measured by the curvature spec equal the model's own, and GD settles
//! on the period-2 orbit x = ±√(2α/β), y = 0 where the sharpness is held at 2/η.

use eoslab_core::{parse_json, run};
use serde_json::{json, Value};

fn run_json(spec: Value) -> Value {
    serde_json::to_value(run(&parse_json(&spec.to_string()).unwrap()).unwrap()).unwrap()
}

#[test]
fn alpha_beta_delta_of_the_reduced_model_are_its_closed_forms() {
    for (alpha, beta) in [(1.0f64, 1.0f64), (0.4, 2.5)] {
        let objective = json!({"name": "self_stabilization_reduced", "alpha": alpha, "beta": beta, "eta": 0.5});
        // x = 0, y = −0.2: the top eigenvector is e_x and the quantities are exact.
        let u = -0.2 / f64::sqrt(beta);
        let c = run_json(json!({"kind": "curvature", "objective": objective, "x": [0.0, u]}));
        let q = &c["self_stabilization"];
        let close = |v: &Value, want: f64| (v.as_f64().unwrap() - want).abs() < 1e-9 * want;
        assert!(close(&q["alpha"], alpha) && close(&q["beta"], beta), "{q}");
        assert!(close(&q["delta"], (2.0 * alpha / beta).sqrt()), "{q}");
        assert!(close(&c["eigenvalues"][0], 2.0 / 0.5 - 0.2), "sharpness 2/η + y: {}", c["eigenvalues"]);
    }
}

/// H = y² + (β/2)x² − α·ln x², conserved by the reduced ODE of §4 (with t = ηk:
/// d ln x²/dt = 2y, dy/dt = α − βx²/2, so dH/dt = 2y(α − βx²/2) + (β/2 − α/x²)·2yx² = 0).
fn lotka_volterra(x: f64, y: f64, alpha: f64, beta: f64) -> f64 {
    y * y + beta / 2.0 * x * x - alpha * (x * x).ln()
}

#[test]
fn gd_circles_the_period_two_orbit_conserving_the_lotka_volterra_quantity_to_first_order_in_eta() {
    // The orbit x = ±√(2α/β), y = 0 is a period-2 orbit of GD, but not an attracting one: around
    // it GD follows the closed cycles of the reduced ODE, with a drift in H that is O(η).
    let (alpha, beta): (f64, f64) = (1.0, 1.0);
    let drift = |eta: f64| -> f64 {
        let steps = (4.0 / eta) as usize; // the same ODE time for every η
        let start = [1.2, 0.1 / beta.sqrt()];
        let t = run_json(json!({"kind": "trajectory", "eta": eta, "steps": steps, "x0": start, "iterates": "all",
                                "objective": {"name": "self_stabilization_reduced", "alpha": alpha, "beta": beta, "eta": eta}}));
        let h: Vec<f64> = t["iterates"].as_array().unwrap().iter()
            .map(|p| lotka_volterra(p[0].as_f64().unwrap(), beta.sqrt() * p[1].as_f64().unwrap(), alpha, beta))
            .collect();
        h.iter().map(|v| (v - h[0]).abs()).fold(0.0, f64::max)
    };
    let (d1, d2, d4) = (drift(0.02), drift(0.01), drift(0.005));
    assert!(d1 < 0.05, "H drifts by {d1} at η = 0.02");
    // First order: halving η halves the drift (ratios within 1.6–2.4).
    for (a, b) in [(d1, d2), (d2, d4)] {
        assert!((1.6..2.4).contains(&(a / b)), "drift ratio {} ({a} vs {b})", a / b);
    }
}
