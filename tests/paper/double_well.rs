//! The double well f(x) = (x² − μ)²/4 of Chen & Bruna (paper 002 §4.2, Theorem 2, Appendix L),
//! end to end through JSON specs: exactly what the page and the `eoslab` command run.

use eoslab_core::{parse_json, run, Output};
use serde_json::{json, Value};

fn run_json(spec: Value) -> Value {
    let spec = parse_json(&spec.to_string()).expect("valid spec");
    serde_json::to_value(run(&spec).expect("runs")).unwrap()
}

fn trajectory(mu: f64, eta: f64, x0: f64, steps: usize) -> Value {
    run_json(json!({"kind": "trajectory", "objective": {"name": "double_well", "mu": mu},
                    "eta": eta, "x0": [x0], "steps": steps}))
}

/// The two points of the stable 2-cycle, (√(μ + 3/η) ± √(μ − 1/η))/2 (derived in
/// crate/core/src/objective/double_well.rs from G(a) = b, G(b) = a).
fn two_cycle(mu: f64, eta: f64) -> (f64, f64) {
    let s = (mu + 3.0 / eta).sqrt();
    let d = (mu - 1.0 / eta).sqrt();
    ((s + d) / 2.0, (s - d) / 2.0)
}

#[test]
fn sharpness_at_the_minima_is_two_mu() {
    for mu in [0.5, 1.0, 2.0] {
        let t = trajectory(mu, 0.2 / mu, 0.3 * mu.sqrt(), 400);
        let o = &t["outcome"];
        assert_eq!(o["status"], "periodic");
        assert_eq!(o["period"], 1);
        let x = o["orbit"][0][0].as_f64().unwrap();
        assert!((x - mu.sqrt()).abs() < 1e-14 * mu.sqrt(), "limit {x}");
        let s = o["orbit_sharpness"][0].as_f64().unwrap();
        assert!((s - 2.0 * mu).abs() < 1e-12 * mu, "sharpness {s} vs 2μ = {}", 2.0 * mu);
    }
}

#[test]
fn two_cycle_matches_its_closed_form_across_the_window() {
    // The window (1/μ, (√5 − 1)/μ) for several μ; both the Newton-refined orbit and the last two
    // shown iterates must equal the closed form.
    for mu in [0.7, 1.0, 1.5] {
        let (lo, hi) = (1.0 / mu, (5f64.sqrt() - 1.0) / mu);
        for frac in [0.1, 0.5, 0.9] {
            let eta = lo + frac * (hi - lo);
            let (a, b) = two_cycle(mu, eta);
            let t = trajectory(mu, eta, 0.5 * mu.sqrt(), 3000);
            assert_eq!(t["outcome"]["period"], 2, "mu {mu} eta {eta}");
            let mut orbit: Vec<f64> = t["outcome"]["orbit"].as_array().unwrap().iter().map(|p| p[0].as_f64().unwrap()).collect();
            orbit.sort_by(|x, y| y.total_cmp(x));
            assert!((orbit[0] - a).abs() < 1e-12 && (orbit[1] - b).abs() < 1e-12, "{orbit:?} vs {a}, {b}");
            let it = t["iterates"].as_array().unwrap();
            let last: Vec<f64> = it[it.len() - 2..].iter().map(|p| p[0].as_f64().unwrap()).collect();
            let (hi_it, lo_it) = (last[0].max(last[1]), last[0].min(last[1]));
            assert!((hi_it - a).abs() < 1e-9 && (lo_it - b).abs() < 1e-9, "mu {mu} eta {eta}: {last:?}");
        }
    }
}

#[test]
fn period_detection_at_the_first_two_doublings() {
    let period = |eta: f64| trajectory(1.0, eta, 0.5, 200)["outcome"]["period"].clone();
    assert_eq!(period(1.0 - 1e-4), 1);
    assert_eq!(period(1.0 + 1e-4), 2);
    let second = 5f64.sqrt() - 1.0;
    assert_eq!(period(second - 1e-4), 2);
    assert_eq!(period(second + 1e-4), 4);
}

#[test]
fn diverging_run_reports_its_step_and_no_nan() {
    let t = trajectory(1.0, 2.1, 0.5, 500);
    assert_eq!(t["outcome"]["status"], "diverged");
    let step = t["outcome"]["step"].as_u64().unwrap() as usize;
    let iterates = t["iterates"].as_array().unwrap();
    // Every shown iterate precedes the divergence and is finite; the losses too.
    assert_eq!(iterates.len(), step);
    for v in iterates.iter().map(|p| p[0].as_f64().unwrap()).chain(t["loss"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap())) {
        assert!(v.is_finite());
    }
    let text = t.to_string();
    assert!(!text.contains("null") && !text.contains("NaN"), "no NaN reaches the result");
}

#[test]
fn bifurcation_scan_reports_the_cascade_and_divergence() {
    let scan = run_json(json!({"kind": "bifurcation", "eta_min": 0.5, "eta_max": 2.5, "n_eta": 5,
                               "transient": 3000, "record": 64}));
    // η = 0.5, 1.0, 1.5, 2.0, 2.5. η = 1 is the neutral doubling point itself: skip it.
    let runs = scan["runs"].as_array().unwrap();
    for (s, eta) in [(0, "0.5"), (1, "-0.5")] {
        assert_eq!(runs[0][s]["period"], 1, "start {eta}");
        assert!(runs[2][s]["period"].is_null(), "η = 1.5 is past the cascade (chaotic)");
        assert_eq!(runs[2][s]["samples"].as_array().unwrap().len(), 64);
        assert!(runs[4][s]["diverged_at"].as_u64().is_some());
    }
    // The two starts mirror each other: f is even, so G is odd.
    let a = runs[0][0]["samples"][0].as_f64().unwrap();
    let b = runs[0][1]["samples"][0].as_f64().unwrap();
    assert_eq!(a, -b);
    assert!(matches!(
        run(&parse_json(r#"{"kind":"bifurcation","eta_min":1,"eta_max":1.1,"n_eta":2}"#).unwrap()),
        Ok(Output::Bifurcation(_))
    ));
}
