"""eoslab.run and eoslab.objectives against closed forms and the core's documented fields."""

import math

import numpy as np
import pytest

import eoslab


def two_cycle(mu, eta):
    """The double well's 2-cycle, (√(μ + 3/η) ± √(μ − 1/η))/2 (paper 002 §4.2, Thm 2)."""
    a, b = math.sqrt(mu + 3 / eta), math.sqrt(mu - 1 / eta)
    return sorted([(a - b) / 2, (a + b) / 2])


def test_a_trajectory_settles_on_the_closed_form_two_cycle():
    mu, eta = 1.0, 1.1
    r = eoslab.run({"kind": "trajectory", "objective": {"name": "double_well", "mu": mu}, "eta": eta, "x0": [0.5], "steps": 100})
    assert r["kind"] == "trajectory" and r["outcome_label"] == "2"
    orbit = sorted(r["outcome"]["orbit"][:, 0])
    assert orbit == pytest.approx(two_cycle(mu, eta), rel=1e-14)


def test_iterates_are_the_gd_map_and_arrays_are_numpy():
    eta, steps = 1.1, 50
    r = eoslab.run({"kind": "trajectory", "eta": eta, "x0": [0.5], "steps": steps})
    x = r["iterates"]
    assert isinstance(x, np.ndarray) and x.dtype == np.float64 and x.shape == (steps + 1, 1)
    assert r["iterate_steps"].dtype == np.int64
    assert np.array_equal(r["iterate_steps"], np.arange(steps + 1))
    # x ← x − η f'(x) with f = (x² − 1)²/4, f' = x(x² − 1): the same IEEE operations.
    x = x[:, 0]
    assert np.allclose(x[1:], x[:-1] - eta * x[:-1] * (x[:-1] ** 2 - 1), rtol=1e-15, atol=0)
    # The loss is f − min f = (x² − 1)²/4 and the sharpness f'' = 3x² − 1 at every step.
    assert np.allclose(r["loss"], (x**2 - 1) ** 2 / 4, rtol=1e-13, atol=1e-300)
    assert np.allclose(r["sharpness"], 3 * x**2 - 1, rtol=1e-9)
    assert r["stability_threshold"] == 2 / eta


def test_numpy_inputs_give_the_same_result_as_plain_ones():
    plain = eoslab.run({"kind": "trajectory", "eta": 1.1, "x0": [0.5], "steps": 20})
    numpy = eoslab.run({"kind": "trajectory", "eta": np.float64(1.1), "x0": np.array([0.5]), "steps": np.int64(20)})
    assert np.array_equal(plain["iterates"], numpy["iterates"])
    from_tuple = eoslab.run({"kind": "trajectory", "eta": 1.1, "x0": (0.5,), "steps": 20})
    assert np.array_equal(plain["loss"], from_tuple["loss"])


def test_a_basin_map_has_integer_codes_per_start_and_counts_that_add_up():
    nx, ny = 12, 9
    r = eoslab.run({"kind": "basin", "eta": 0.45, "nx": nx, "ny": ny, "steps": 400})
    for field in ("class", "minimizer", "steps", "period"):
        assert r[field].dtype == np.int64 and r[field].shape == (nx * ny,)
    assert sum(r["counts"].values()) == nx * ny
    for code, name in enumerate(r["classes"]):
        assert r["counts"][name] == int(np.sum(r["class"] == code))
    assert np.array_equal(r["x"], np.linspace(-2, 2, nx))
    assert r["minimizers"].shape == (2, 2)


def test_arrays_holding_null_stay_lists():
    # η = 3 diverges on (xy − 1)²/2 from (2.5, 0.2): diverged_at holds a step, the others null.
    r = eoslab.run({"kind": "sweep", "objective": {"name": "two_factor"}, "eta_min": 0.05, "eta_max": 3, "n_eta": 3, "x0": [2.5, 0.2], "steps": 500})
    assert isinstance(r["diverged_at"], list) and r["diverged_at"][0] is None and r["diverged_at"][2] > 0
    assert r["stability_threshold"] == pytest.approx(2 / r["eta"], rel=1e-15)


def test_the_bifurcation_scan_finds_the_period_doubling_onsets():
    r = eoslab.run({"kind": "onsets", "eta_min": 0.9, "eta_max": 1.3})
    values = [o["value"] for o in r["onsets"]]
    # GD's minimum loses stability at η = 1/μ and its 2-cycle at η = (√5 − 1)/μ (002 §4.2), μ = 1.
    assert values[0] == pytest.approx(1.0, abs=1e-9)
    assert values[1] == pytest.approx(math.sqrt(5) - 1, abs=1e-9)


def test_objectives_lists_every_objective_with_its_parameters():
    schemas = {o["name"]: o for o in eoslab.objectives()}
    assert {"double_well", "two_factor", "unstable_convergence", "mlp", "formula"} <= set(schemas)
    mu = next(p for p in schemas["double_well"]["params"] if p["name"] == "mu")
    assert mu["default"] == 1.0
