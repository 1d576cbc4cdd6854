//! GD variants and gradient flow end to end through JSON specs: heavy-ball momentum and its
//! stability limit (2 + 2β)/η, and GD against gradient flow on the common axis t = kη (Cohen et
//! al., ICLR 2021; paper 001 §6): GD tracks the flow to O(η) while stable, and departs from it at
//! the edge of stability.

use eoslab_core::{parse_json, run};
use serde_json::{json, Value};

fn run_json(spec: Value) -> Value {
    serde_json::to_value(run(&parse_json(&spec.to_string()).unwrap()).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

fn max(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::MIN, f64::max)
}

#[test]
fn momentum_moves_the_threshold_to_two_plus_two_beta_over_eta_and_schedules_keep_working() {
    // f = 25x²/2 with η = 0.1: plain GD diverges (ηλ = 2.5 > 2), heavy ball with β = 0.5
    // converges (2.5 < 2 + 2β = 3).
    let quadratic = json!({"name": "formula", "formula": "25*x^2/2", "variables": "x"});
    let gd = run_json(json!({"kind": "trajectory", "objective": quadratic, "eta": 0.1, "x0": [1.0], "steps": 100}));
    assert_eq!(gd["outcome"]["status"], "diverged");
    assert_eq!(gd["stability_threshold"], 20.0);
    let hb = run_json(json!({"kind": "trajectory", "objective": quadratic, "eta": 0.1, "x0": [1.0], "steps": 100, "momentum": 0.5}));
    assert_eq!((hb["momentum"].as_f64(), hb["stability_threshold"].as_f64()), (Some(0.5), Some(30.0)));
    let loss = floats(&hb["loss"]);
    // The companion matrix's roots solve r² + r + 0.5 = 0: |r| = √0.5, so the loss (∝ x²) falls
    // by 0.5 per step on average.
    assert!(loss[100] < 1e-13 * loss[0], "heavy ball converges: {} → {}", loss[0], loss[100]);
    assert!(hb["regimes"]["edge_of_stability"].as_array().unwrap().is_empty(), "sharpness 25 < 30 throughout");
    // With a step decay the threshold follows η_t: halving η at step 10 doubles it.
    let decayed = run_json(json!({"kind": "trajectory", "objective": quadratic, "eta": 0.2, "x0": [1.0], "steps": 40,
                                  "momentum": 0.5, "schedule": {"kind": "step_decay", "at": 10, "factor": 0.5}}));
    let rates = floats(&decayed["learning_rates"]);
    assert_eq!((rates[8], rates[9]), (0.2, 0.1));
    // ηλ = 5 > 3 for the first 9 steps (the loss grows), then 2.5 < 3: it converges.
    let loss = floats(&decayed["loss"]);
    assert!(loss[9] > loss[0] && loss[40] < 1e-3 * loss[9], "{} {} {}", loss[0], loss[9], loss[40]);
    // Step k is compared with the threshold of the η that produced x_k: η = 0.2 up to step 9.
    assert_eq!(decayed["regimes"]["edge_of_stability"], json!([[0, 9]]), "EoS (25 ≥ 15) only before the decay");
}

/// max_t ‖θ_GD − θ_flow‖ over t ≤ 4 on the double well from x₀ = 0.3.
fn gd_flow_distance(eta: f64) -> f64 {
    let steps = (4.0 / eta).round() as usize;
    let r = run_json(json!({"kind": "flow", "eta": eta, "x0": [0.3], "steps": steps, "sharpness_every": 0}));
    let time = floats(&r["time"]);
    assert!((time[steps] - 4.0).abs() < 1e-12);
    max(&floats(&r["distance"]))
}

#[test]
fn gd_tracks_gradient_flow_to_first_order_in_eta() {
    let d: Vec<f64> = [0.04, 0.02, 0.01, 0.005].into_iter().map(gd_flow_distance).collect();
    for w in d.windows(2) {
        assert!((1.8..2.2).contains(&(w[0] / w[1])), "halving η should halve the distance: {d:?}");
    }
    assert!(d[3] < 0.01, "{d:?}");
}

#[test]
fn gd_departs_from_the_flow_at_the_edge_of_stability() {
    // At the minimum x = 1 of the double well (μ = 1) the sharpness is 2: below η = 1 GD converges
    // to it as the flow does; above, GD settles on the 2-cycle (√(1 + 3/η) ± √(1 − 1/η))/2 while
    // the flow still converges to 1.
    let run_at = |eta: f64| run_json(json!({"kind": "flow", "eta": eta, "x0": [0.3], "steps": 400}));
    let stable = run_at(0.9);
    assert!(*floats(&stable["distance"]).last().unwrap() < 1e-9);
    let eos = run_at(1.1);
    let (a, b) = (
        ((1.0 + 3.0 / 1.1f64).sqrt() + (1.0 - 1.0 / 1.1f64).sqrt()) / 2.0,
        ((1.0 + 3.0 / 1.1f64).sqrt() - (1.0 - 1.0 / 1.1f64).sqrt()) / 2.0,
    );
    let last = floats(&eos["distance"]);
    let tail = [last[last.len() - 2], last[last.len() - 1]];
    let mut want = [a - 1.0, 1.0 - b];
    want.sort_by(f64::total_cmp);
    let mut got = tail;
    got.sort_by(f64::total_cmp);
    assert!((got[0] - want[0]).abs() < 1e-9 && (got[1] - want[1]).abs() < 1e-9, "{got:?} vs {want:?}");
    // The flow's sharpness tends to 2 < 2/η; GD's oscillates about the orbit's (3x² − 1).
    let flow_s = floats(&eos["flow_sharpness"]);
    assert!((flow_s.last().unwrap() - 2.0).abs() < 1e-9);
    let gd_s = floats(&eos["gd_sharpness"]);
    assert!(max(&gd_s[gd_s.len() - 2..]) > 2.0 / 1.1, "GD's sharpness exceeds 2/η on the cycle");
    assert!(eos["rk"]["accepted"].as_u64().unwrap() > 0 && eos["gd_diverged"].is_null());
}

#[test]
fn flow_and_self_stabilization_results_read_back_as_they_were_written() {
    for spec in [
        json!({"kind": "flow", "eta": 0.5, "x0": [0.3], "steps": 20}),
        json!({"kind": "self_stabilization", "eta": 0.25, "steps": 30,
               "objective": {"name": "self_stabilization_toy", "eta": 0.25}}),
    ] {
        let output = run(&parse_json(&spec.to_string()).unwrap()).unwrap();
        let text = serde_json::to_string(&output).unwrap();
        let back: eoslab_core::Output = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{spec}: {e}"));
        assert_eq!(std::mem::discriminant(&back), std::mem::discriminant(&output), "{spec}");
    }
}
