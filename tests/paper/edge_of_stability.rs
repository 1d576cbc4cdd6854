//! The edge of stability end to end through JSON specs (Cohen et al., ICLR 2021, cited by all
//! five papers): full-batch GD on a small network sharpens until the top Hessian eigenvalue
//! reaches 2/η, then hovers there while the loss keeps falling, non-monotonically; decaying η to
//! η/4 during the edge of stability lets the sharpness rise again (paper 003 App. C).

use eoslab_core::{parse_json, run};
use serde_json::{json, Value};

fn run_json(spec: Value) -> Value {
    serde_json::to_value(run(&parse_json(&spec.to_string()).unwrap()).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

/// The MLP 1→30→20→1 (tanh) on 20 Chebyshev points of the zoo's defaults.
fn chebyshev_mlp(eta: f64, steps: usize, schedule: Value) -> (Vec<usize>, Vec<f64>, Vec<f64>) {
    let r = run_json(json!({"kind": "trajectory", "objective": {"name": "mlp"}, "eta": eta, "steps": steps,
                            "sharpness_every": 10, "schedule": schedule}));
    assert_eq!(r["objective"]["hidden"], json!([30.0, 20.0]));
    assert_eq!(r["sharpness_unconverged"], json!([]), "every Lanczos estimate met its tolerance");
    let steps: Vec<usize> = r["sharpness_steps"].as_array().unwrap().iter().map(|k| k.as_u64().unwrap() as usize).collect();
    (steps, floats(&r["sharpness"]), floats(&r["loss"]))
}

#[test]
fn progressive_sharpening_then_the_edge_of_stability() {
    let eta = 0.05;
    let (steps, sharpness, loss) = chebyshev_mlp(eta, 3000, json!({"kind": "constant"}));
    let threshold = 2.0 / eta;
    // Progressive sharpening: the sharpness starts well below 2/η and rises to it.
    assert!(sharpness[0] < 0.5 * threshold, "starts at {}", sharpness[0]);
    let first = sharpness.iter().position(|&s| s >= threshold).expect("the sharpness reaches 2/η");
    let crossing = steps[first];
    assert!(crossing > 100, "reached only after training, at step {crossing}");
    // Edge of stability: from then on it stays within ±15% of 2/η ...
    for (&k, &s) in steps[first..].iter().zip(&sharpness[first..]) {
        assert!((s / threshold - 1.0).abs() <= 0.15, "step {k}: sharpness {s} vs 2/η = {threshold}");
    }
    // ... while the loss keeps falling overall, though not monotonically.
    assert!(loss[loss.len() - 1] < 0.5 * loss[crossing], "loss {} at the crossing, {} at the end", loss[crossing], loss[loss.len() - 1]);
    let rises = loss[crossing..].windows(2).filter(|w| w[1] > w[0]).count();
    assert!(rises > 10, "the loss rose only {rises} times after the crossing");
}

#[test]
fn decaying_eta_to_a_quarter_during_the_edge_of_stability_lets_the_sharpness_rise_again() {
    let eta = 0.05;
    let decay_at = 2000;
    let (steps, sharpness, _) = chebyshev_mlp(eta, 6000, json!({"kind": "step_decay", "at": decay_at, "factor": 0.25}));
    let during: Vec<f64> = steps.iter().zip(&sharpness).filter(|(k, _)| (1500..decay_at).contains(*k)).map(|(_, s)| *s).collect();
    let after: Vec<f64> = steps.iter().zip(&sharpness).filter(|(k, _)| **k >= decay_at).map(|(_, s)| *s).collect();
    let mean_during = during.iter().sum::<f64>() / during.len() as f64;
    assert!((mean_during / (2.0 / eta) - 1.0).abs() < 0.05, "at the edge of stability before the decay: mean {mean_during}");
    assert!(after.windows(2).all(|w| w[1] > w[0]), "after the decay the sharpness rises at every tracked step");
    let peak_during = during.iter().copied().fold(f64::MIN, f64::max);
    let end = *after.last().unwrap();
    assert!(end > peak_during && end < 2.0 / (eta / 4.0), "ends at {end}: above {peak_during}, below the new 2/η");
}
