"""Bad input from Python: a SpecError naming the field, never a crash of the interpreter."""

import math

import numpy as np
import pytest

import eoslab

TRAJECTORY = {"kind": "trajectory", "eta": 1.1, "x0": [0.5], "steps": 10}


def refused(spec):
    with pytest.raises(eoslab.SpecError) as caught:
        eoslab.run(spec)
    error = caught.value
    assert isinstance(error, ValueError) and error.message
    assert str(error) == (f"{error.field}: {error.message}" if error.field else error.message)
    return error


@pytest.mark.parametrize(
    "change, field",
    [
        ({"eta": "fast"}, "eta"),
        ({"eta": None}, "eta"),
        ({"steps": 2.5}, "steps"),
        ({"steps": -3}, "steps"),
        ({"x0": "0.5"}, "x0"),
        ({"x0": [0.5, 1.0]}, "x0"),
        ({"x0": [[0.5]]}, "x0[0]"),
        ({"objective": {"name": "double_well", "mu": "one"}}, "objective.mu"),
        ({"objective": {"name": "nope"}}, "objective.name"),
        ({"etta": 1.0}, "etta"),
        ({"kind": "trajectories"}, "kind"),
        ({"kind": 3}, "kind"),
    ],
)
def test_wrong_types_and_values_name_the_field(change, field):
    assert refused({**TRAJECTORY, **change}).field == field


@pytest.mark.parametrize(
    "change, field",
    [
        ({"eta": math.nan}, "eta"),
        ({"eta": math.inf}, "eta"),
        ({"x0": [-math.inf]}, "x0[0]"),
        ({"x0": np.array([0.5, np.nan])}, "x0[1]"),
        ({"objective": {"name": "double_well", "mu": np.float32("nan")}}, "objective.mu"),
    ],
)
def test_non_finite_numbers_are_refused_before_the_core(change, field):
    error = refused({**TRAJECTORY, **change})
    assert error.field == field and "finite" in error.message


@pytest.mark.parametrize(
    "spec, field",
    [
        ({"kind": "basin", "eta": 0.4, "nx": 10**9, "ny": 10**9}, "nx"),
        ({"kind": "trajectory", "eta": 1.1, "steps": 10**12}, "steps"),
        ({"kind": "trajectory", "eta": 1.1, "steps": 10**30}, "steps"),
        ({"kind": "bifurcation", "eta_min": 0.5, "eta_max": 1.3, "n_eta": 10000, "transient": 100000, "record": 4096}, "n_eta"),
        ({"kind": "basin", "eta": 0.4, "nx": 1024, "ny": 1024, "steps": 100000}, "steps"),
        ({"kind": "trajectory", "eta": 1.1, "x0": [0.0] * 1_000_000}, "x0"),
    ],
)
def test_huge_sizes_are_refused_naming_the_field(spec, field):
    error = refused(spec)
    assert error.field == field, error


def test_objects_json_cannot_carry_are_refused_naming_the_field():
    assert refused({**TRAJECTORY, "x0": {0.5}}).field == "x0"
    assert refused({**TRAJECTORY, "objective": {1: 2}}).field == "objective"
    assert refused([TRAJECTORY]).field == ""
    nested = []
    for _ in range(100_000):
        nested = [nested]
    assert refused({**TRAJECTORY, "x0": nested}).field == ""


def test_the_interpreter_survives_every_refusal():
    # After all of the above, the core still answers.
    assert eoslab.run(TRAJECTORY)["outcome_label"] == "2"
