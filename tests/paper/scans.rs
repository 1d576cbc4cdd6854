//! Issue 5's scans, end to end through JSON specs: the double well's period-doubling cascade
//! (onsets, Feigenbaum ratios, Lyapunov exponents, the divergence boundary; paper 002 §4.2 and
//! App. L), learning-rate sweeps of the two-factor problem (paper 000 §5), basin maps of f₁…f₄
//! (paper 004 §Numerical Experiments), and regime labels along runs.

use eoslab_core::{parse_json, run};
use serde_json::{json, Value};

fn run_json(spec: Value) -> Value {
    let spec = parse_json(&spec.to_string()).unwrap_or_else(|e| panic!("valid spec: {e}"));
    serde_json::to_value(run(&spec).unwrap_or_else(|e| panic!("runs: {e}"))).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

const FEIGENBAUM_DELTA: f64 = 4.669_201_609_102_99;

#[test]
fn double_well_onsets_are_one_and_sqrt5_minus_1_and_their_gap_ratios_approach_feigenbaum() {
    let result = run_json(json!({"kind": "onsets", "objective": {"name": "double_well", "mu": 1.0},
                                 "eta_min": 0.5, "eta_max": 1.4}));
    let onsets: Vec<f64> = result["onsets"].as_array().unwrap().iter().map(|o| f(&o["value"])).collect();
    assert!(onsets.len() >= 4, "{result}");
    assert!((onsets[0] - 1.0).abs() < 1e-6, "first onset {}", onsets[0]);
    assert!((onsets[1] - (5f64.sqrt() - 1.0)).abs() < 1e-6, "second onset {}", onsets[1]);
    for o in result["onsets"].as_array().unwrap() {
        assert!(f(&o["uncertainty"]) <= 1e-9, "stated tolerance: {o}");
    }
    let ratios: Vec<f64> = result["ratios"].as_array().unwrap().iter().map(f).collect();
    assert_eq!(ratios.len(), onsets.len() - 2);
    // The later ratios (from the third on) lie within 2% of δ, and get closer.
    for r in &ratios[1..] {
        assert!((r / FEIGENBAUM_DELTA - 1.0).abs() < 0.02, "ratios {ratios:?}");
    }
    assert!((ratios.last().unwrap() / FEIGENBAUM_DELTA - 1.0).abs() < 1e-3, "ratios {ratios:?}");
}

#[test]
fn onsets_along_mu_at_fixed_eta_are_the_same_cascade_rescaled() {
    // The double well's GD map depends on η and μ through ημ only (x ↦ x√μ rescales it), so at
    // η = 0.5 the onsets in μ are 2 and 2(√5 − 1).
    let result = run_json(json!({"kind": "onsets", "parameter": {"name": "mu", "min": 1.0, "max": 2.8},
                                 "eta": 0.5, "max_onsets": 3}));
    let onsets: Vec<f64> = result["onsets"].as_array().unwrap().iter().map(|o| f(&o["value"])).collect();
    assert_eq!(result["parameter"], "mu");
    assert!((onsets[0] - 2.0).abs() < 1e-9 && (onsets[1] - 2.0 * (5f64.sqrt() - 1.0)).abs() < 1e-9, "{onsets:?}");
}

#[test]
fn lyapunov_exponent_is_negative_on_period_windows_and_positive_in_chaos() {
    let scan = run_json(json!({"kind": "bifurcation", "eta_min": 0.3, "eta_max": 1.99, "n_eta": 1000,
                               "transient": 2000, "record": 512, "starts": [[0.5]]}));
    let accumulation = 1.3022834; // from the onsets above: the cascade accumulates here
    let (mut chaotic, mut positive) = (0, 0);
    for (eta, col) in scan["eta"].as_array().unwrap().iter().zip(scan["runs"].as_array().unwrap()) {
        let (eta, run) = (f(eta), &col[0]);
        assert!(run["diverged_at"].is_null(), "η = {eta} < 2 stays bounded");
        let Some(lyapunov) = run["lyapunov"].as_f64() else { continue }; // superstable: −∞
        if run["period"].is_u64() || eta < accumulation {
            assert!(lyapunov < 0.0, "η = {eta}: period {} with λ = {lyapunov}", run["period"]);
        } else {
            chaotic += 1;
            positive += usize::from(lyapunov > 0.0);
        }
    }
    assert!(chaotic > 300 && positive as f64 >= 0.99 * chaotic as f64, "{positive} of {chaotic} chaotic runs have λ > 0");
}

#[test]
fn gd_diverges_from_every_generic_start_beyond_two_over_mu() {
    // For ημ > 2 the invariant interval [−√(μ + 2/η), √(μ + 2/η)] breaks and almost every start
    // escapes; the exceptions (0, ±√μ, the repelling 2-cycle and their preimages) have measure
    // zero, so the starts here are generic.
    for mu in [0.5f64, 1.0, 3.0] {
        let starts: Vec<Vec<f64>> = [0.1, 0.37, -0.52, 0.9, 1.3, -1.39, 1e-4, 1.41, -0.999].iter().map(|s| vec![s * mu.sqrt()]).collect();
        let scan = run_json(json!({"kind": "bifurcation", "objective": {"name": "double_well", "mu": mu},
                                   "eta_min": 2.001 / mu, "eta_max": 3.0 / mu, "n_eta": 100,
                                   "transient": 100000, "record": 1, "starts": starts}));
        for (eta, col) in scan["eta"].as_array().unwrap().iter().zip(scan["runs"].as_array().unwrap()) {
            for run in col.as_array().unwrap() {
                assert!(run["diverged_at"].is_u64(), "μ = {mu}, η = {eta}: {run}");
            }
        }
        // Just below the boundary every start inside the invariant interval (|x| ≤ 1.43√μ at
        // ημ = 1.9) stays bounded.
        let below = run_json(json!({"kind": "bifurcation", "objective": {"name": "double_well", "mu": mu},
                                    "eta_min": 1.9 / mu, "eta_max": 1.999 / mu, "n_eta": 20,
                                    "transient": 20000, "record": 1, "starts": starts}));
        for run in below["runs"].as_array().unwrap().iter().flat_map(|c| c.as_array().unwrap()) {
            assert!(run["diverged_at"].is_null(), "μ = {mu}: {run}");
        }
    }
}

#[test]
fn f4_basin_maps_unstable_convergence_spreads_as_eta_grows() {
    // Paper 004 §Numerical Experiments, Fig. 2: as η grows towards 10/19 (2/λ_max at f₄'s
    // minima), the set of starts that converge only after the loss rose expands.
    let mut fractions = Vec::new();
    for eta in [0.1, 0.3, 0.4, 0.45, 0.5] {
        let map = run_json(json!({"kind": "basin", "objective": {"name": "unstable_convergence", "which": "f4"},
                                  "eta": eta, "x_min": -2, "x_max": 2, "y_min": -2, "y_max": 2,
                                  "nx": 100, "ny": 100, "steps": 1000}));
        let counts = &map["counts"];
        let total: f64 = counts.as_object().unwrap().values().map(f).sum();
        assert_eq!(total, 10_000.0);
        assert_eq!(map["class"].as_array().unwrap().len(), 10_000);
        // Converged starts reach one of the two minima ±(a, a), except those on the saddle's
        // stable manifold (the line y = −x, which GD keeps by symmetry) that reach the saddle 0.
        let (mut converged, mut at_minimum) = (0, 0);
        for (c, m) in map["class"].as_array().unwrap().iter().zip(map["minimizer"].as_array().unwrap()) {
            if c.as_u64().unwrap() <= 1 {
                converged += 1;
                at_minimum += usize::from(m.as_i64().unwrap() >= 0);
            }
        }
        assert!(converged - at_minimum <= 100, "η = {eta}: {at_minimum} of {converged} at a minimum");
        fractions.push(f(&counts["unstable_convergence"]) / total);
    }
    assert_eq!(fractions[0], 0.0, "η = 0.1: every start converges stably");
    assert!(fractions.windows(2).all(|w| w[1] > w[0]), "unstable fractions {fractions:?}");
    assert!(fractions[4] > 0.4, "{fractions:?}");
}

#[test]
fn two_factor_sweep_balances_more_and_stays_below_two_over_eta_as_eta_grows() {
    // (xy − 1)²/2 from the unbalanced start (2.5, 0.2), where ‖x‖² − ‖y‖² = 6.21 (paper 000 §5,
    // Theorem 9): gradient flow would keep the balance; larger η ends more balanced, through a
    // catapult once the minimisers near the start are too sharp for 2/η.
    let sweep = run_json(json!({"kind": "sweep", "objective": {"name": "two_factor"}, "eta_min": 0.05,
                                "eta_max": 0.5, "n_eta": 10, "x0": [2.5, 0.2], "steps": 20000}));
    let balance: Vec<f64> = sweep["limiting_observables"]["balance"].as_array().unwrap().iter().map(f).collect();
    assert!((balance[0] - 6.21).abs() < 0.02, "η = 0.05 is nearly gradient flow: {balance:?}");
    assert!(balance.windows(2).all(|w| w[1].abs() < w[0].abs()), "|balance| shrinks: {balance:?}");
    assert!(balance[9].abs() < 0.3, "{balance:?}");
    for i in 0..10 {
        assert_eq!(sweep["converged"][i], true, "η = {}", sweep["eta"][i]);
        let (s, threshold) = (f(&sweep["limiting_sharpness"][i]), f(&sweep["stability_threshold"][i]));
        assert!(s < threshold, "η = {}: sharpness {s} vs 2/η = {threshold}", sweep["eta"][i]);
        // At a minimiser of (xy − 1)²/2 the sharpness is x² + y² = √(balance² + 4).
        assert!((s - (balance[i] * balance[i] + 4.0).sqrt()).abs() < 1e-6, "{s} vs balance {}", balance[i]);
    }
    let peak = |i: usize| f(&sweep["catapult_peak_ratio"][i]);
    assert_eq!(peak(0), 1.0, "small η: the loss only falls");
    assert!(peak(9) > 10.0, "η = 0.5 catapults: peak ratio {}", peak(9));
}

#[test]
fn double_well_stays_finite_exactly_below_eta_mu_two() {
    // Paper 002 Fig. 1's kind of map: η against an objective parameter, marking where GD stays
    // finite. The double well's GD depends on ημ only, and is finite for ημ ≤ 2.
    let sweep = run_json(json!({"kind": "sweep", "eta_min": 0.25, "eta_max": 4.0, "n_eta": 31,
                                "parameter": {"name": "mu", "min": 0.25, "max": 4.0, "n": 31},
                                "x0": [0.37], "steps": 3000}));
    let (eta, mu) = (sweep["eta"].as_array().unwrap(), sweep["values"].as_array().unwrap());
    let mut checked = 0;
    for (j, m) in mu.iter().enumerate() {
        for (i, e) in eta.iter().enumerate() {
            let product = f(e) * f(m);
            let finite = sweep["diverged_at"][j * eta.len() + i].is_null();
            // 0.37 lies inside the invariant interval [−√(μ + 2/η), √(μ + 2/η)] for every cell.
            if (product - 2.0).abs() > 0.02 {
                assert_eq!(finite, product < 2.0, "η = {e}, μ = {m}");
                checked += 1;
            }
        }
    }
    assert!(checked > 900);
}

#[test]
fn regime_labels_along_runs() {
    // The two-factor catapult: from (2.5, 0.2) at η = 0.4 the minimisers nearby are too sharp
    // (x² + y² ≈ 6.3 > 2/η = 5), so the loss shoots up 7.3-fold, then GD converges to a flatter,
    // more balanced minimum: unstable convergence with balancing (paper 000 §5).
    let t = run_json(json!({"kind": "trajectory", "objective": {"name": "two_factor"}, "eta": 0.4,
                            "x0": [2.5, 0.2], "steps": 300}));
    let r = &t["regimes"];
    assert_eq!(r["convergence"], "unstable");
    assert!(r["monotone_from"].as_u64().unwrap() >= 1);
    assert!((f(&r["catapult"]["peak_ratio"]) - 7.34).abs() < 0.01, "{r}");
    assert!((f(&r["balance"][0]) - 6.21).abs() < 1e-12 && f(&r["balance"][1]).abs() < 2.1, "{r}");
    assert_eq!(t["observables"]["product"][0], 0.5);
    assert_eq!(r["edge_of_stability"][0][0], 0, "it starts above 2/η");
    // The double well below 1/(2μ): the loss falls at every step.
    let t = run_json(json!({"kind": "trajectory", "eta": 0.3, "x0": [0.5], "steps": 100}));
    assert_eq!((t["regimes"]["convergence"].clone(), t["regimes"]["monotone_from"].clone()), (json!("stable"), json!(0)));
    assert!(t["regimes"].get("catapult").is_none() && t["regimes"]["edge_of_stability"] == json!([]));
    // The Chebyshev MLP: progressive sharpening up to 2/η, then the edge of stability.
    let eta = 0.05;
    let t = run_json(json!({"kind": "trajectory", "objective": {"name": "mlp"}, "eta": eta, "steps": 3000,
                            "sharpness_every": 10}));
    let r = &t["regimes"];
    let sharpening = &r["progressive_sharpening"];
    let crossing = sharpening["to"].as_u64().unwrap();
    assert!(crossing > 100 && f(&sharpening["sharpness"][1]) >= 2.0 / eta, "{sharpening}");
    assert!(f(&sharpening["sharpness"][0]) < 0.5 * 2.0 / eta, "{sharpening}");
    assert_eq!(r["edge_of_stability"][0][0].as_u64().unwrap(), crossing);
    let last = r["edge_of_stability"].as_array().unwrap().last().unwrap()[1].as_u64().unwrap();
    assert!(last > 2500, "still at the edge of stability near the end: {last}");
    assert!(r["monotone_from"].as_u64().unwrap() > crossing, "the loss rises during the edge of stability");
}

#[test]
fn every_new_field_is_refused_by_name() {
    let refusal = |spec: Value| -> String {
        let text = spec.to_string();
        match parse_json(&text) {
            Err(e) => e.field,
            Ok(s) => run(&s).err().unwrap_or_else(|| panic!("accepted: {text}")).field,
        }
    };
    let cases = [
        // Bifurcation scans.
        (json!({"kind": "bifurcation", "eta_max": 1.0}), "eta_min"),
        (json!({"kind": "bifurcation", "eta_min": 0.5, "eta_max": 1.0, "eta": 0.5}), "eta"),
        (json!({"kind": "bifurcation", "eta_min": 0.5, "eta_max": 1.0, "observable": "energy"}), "observable.name"),
        (
            json!({"kind": "bifurcation", "eta_min": 0.5, "eta_max": 1.0, "observable": {"kind": "coordinate", "index": 3}}),
            "observable.index",
        ),
        (json!({"kind": "bifurcation", "eta_min": 0.5, "eta_max": 1.0, "observable": 7}), "observable"),
        (json!({"kind": "bifurcation", "parameter": {"name": "mu", "min": 1, "max": 2}}), "eta"),
        (json!({"kind": "bifurcation", "parameter": {"name": "mu", "min": 1, "max": 2, "step": 1}, "eta": 0.5}), "parameter.step"),
        (json!({"kind": "bifurcation", "parameter": {"name": "mu", "min": 1, "max": 2000}, "eta": 0.5}), "parameter.max"),
        (json!({"kind": "bifurcation", "parameter": {"name": "mu", "min": 1, "max": 2}, "eta": 0.5, "n_eta": 3}), "n_eta"),
        (
            json!({"kind": "bifurcation", "parameter": {"name": "mu", "min": 1, "max": 2}, "eta": 0.5,
                "objective": {"name": "double_well", "mu": 1}}),
            "objective.mu",
        ),
        // Onsets.
        (json!({"kind": "onsets", "eta_min": 0.5, "eta_max": 1.4, "max_onsets": 11}), "max_onsets"),
        (json!({"kind": "onsets", "eta_min": 0.5, "eta_max": 1.4, "tol": 1e-3}), "tol"),
        (json!({"kind": "onsets", "eta_min": 0.5, "eta_max": 1.4, "transient": 0}), "transient"),
        (json!({"kind": "onsets", "eta_min": 0.5, "eta_max": 1.4, "start": [1, 2]}), "start"),
        (json!({"kind": "onsets", "eta_min": 2.2, "eta_max": 2.4}), "eta_min"),
        // Basin maps.
        (json!({"kind": "basin"}), "eta"),
        (json!({"kind": "basin", "eta": 0.5, "nx": 2.5}), "nx"),
        (json!({"kind": "basin", "eta": 0.5, "ny": 1025}), "ny"),
        (json!({"kind": "basin", "eta": 0.5, "x_min": 3}), "x_max"),
        (json!({"kind": "basin", "eta": 0.5, "y_max": -3}), "y_max"),
        (json!({"kind": "basin", "eta": 0.5, "steps": 100001}), "steps"),
        (json!({"kind": "basin", "eta": 0.5, "nx": 1024, "ny": 1024, "steps": 5000}), "steps"),
        (json!({"kind": "basin", "eta": 0.5, "tol": 0}), "tol"),
        (json!({"kind": "basin", "eta": 0.5, "objective": {"name": "double_well"}}), "objective"),
        (json!({"kind": "basin", "eta": 0.5, "resolution": 8}), "resolution"),
        // Sweeps.
        (json!({"kind": "sweep", "eta_max": 1.0}), "eta_min"),
        (json!({"kind": "sweep", "eta_min": 0.1, "eta_max": 1.0, "n_eta": 10001}), "n_eta"),
        (json!({"kind": "sweep", "eta_min": 0.1, "eta_max": 1.0, "steps": 0}), "steps"),
        (json!({"kind": "sweep", "eta_min": 0.1, "eta_max": 1.0, "x0": [0.1, 0.2]}), "x0"),
        (json!({"kind": "sweep", "eta_min": 0.1, "eta_max": 1.0, "parameter": {"name": "nu", "min": 1, "max": 2}}), "parameter.name"),
        (json!({"kind": "sweep", "eta_min": 0.1, "eta_max": 1.0, "parameter": {"name": "mu", "min": 1, "max": 2, "n": 0}}), "parameter.n"),
        (json!({"kind": "sweep", "eta_min": 0.1, "eta_max": 1.0, "tol": 1}), "tol"),
    ];
    for (spec, field) in cases {
        assert_eq!(refusal(spec.clone()), field, "{spec}");
    }
}

#[test]
fn scans_on_all_cores_give_the_numbers_of_one_thread() {
    for spec in [
        json!({"kind": "bifurcation", "eta_min": 0.3, "eta_max": 2.2, "n_eta": 77, "transient": 300, "record": 64}),
        json!({"kind": "bifurcation", "objective": {"name": "two_factor"}, "eta_min": 0.05, "eta_max": 0.9, "n_eta": 33,
               "transient": 300, "record": 16, "observable": "balance"}),
        json!({"kind": "basin", "eta": 0.45, "nx": 31, "ny": 29, "steps": 300}),
        json!({"kind": "sweep", "eta_min": 0.25, "eta_max": 4.0, "n_eta": 9, "parameter": {"name": "mu", "min": 0.5, "max": 2, "n": 5},
               "x0": [0.37], "steps": 300}),
    ] {
        let parsed = parse_json(&spec.to_string()).unwrap();
        assert_eq!(eoslab_core::run_parallel(&parsed).unwrap(), run(&parsed).unwrap(), "{spec}");
    }
}

#[test]
fn every_new_result_reads_back_as_it_was_written() {
    // The web layer reads results back (drawing a result the page passed in), so each must
    // deserialise (to the same kind; serde_json's default float parsing may move a last bit).
    for spec in [
        json!({"kind": "bifurcation", "eta_min": 0.5, "eta_max": 2.1, "n_eta": 9, "record": 8, "observable": "loss"}),
        json!({"kind": "onsets", "eta_min": 0.5, "eta_max": 1.4, "max_onsets": 3}),
        json!({"kind": "basin", "eta": 0.45, "nx": 5, "ny": 4, "steps": 100}),
        json!({"kind": "sweep", "objective": {"name": "two_factor"}, "eta_min": 0.1, "eta_max": 0.8, "n_eta": 4, "x0": [2.5, 0.2]}),
        json!({"kind": "trajectory", "objective": {"name": "two_factor"}, "eta": 0.4, "x0": [2.5, 0.2], "steps": 50}),
    ] {
        let output = run(&parse_json(&spec.to_string()).unwrap()).unwrap();
        let text = serde_json::to_string(&output).unwrap();
        let back: eoslab_core::Output = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{spec}: {e}"));
        assert_eq!(std::mem::discriminant(&back), std::mem::discriminant(&output), "{spec}");
    }
}
