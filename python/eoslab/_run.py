"""``run`` and ``objectives``: the native core, called from Python.

A spec is a dict as docs/spec.md describes it. Before the core sees it, it is written as JSON
here: NumPy scalars and arrays and tuples are accepted where JSON has numbers and lists, and
what JSON cannot carry (NaN or an infinity, a key that is not a string, an object of another
type) is refused as a ``SpecError`` naming the field, the same way the core names the fields it
refuses (``x0[0]``, ``objective.mu``).
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from . import _native
from ._errors import SpecError


def run(spec: dict) -> dict:
    """Runs ``spec`` natively and returns its result.

    The computation runs on every core for the scans (``bifurcation``, ``basin``, ``sweep``),
    with the GIL released; Ctrl-C (KeyboardInterrupt) ends the call at the next of its checks for
    signals, every 50 ms (the computation itself finishes in the background: the core has no
    cancellation hook).
    In the result every non-empty array of numbers is a NumPy array (``float64`` for real fields,
    ``int64`` for steps, codes and counts), and an array of equal-length arrays of numbers is a
    2-D NumPy array (``iterates``, ``orbit``, ``starts``, ``top_eigenvalues``); arrays holding a
    null stay lists. Raises ``SpecError`` (with ``.field``) for a spec the core refuses.
    """
    return _native.run(spec_json(spec))


def objectives() -> list:
    """Every objective's schema: name, group, title, description, citation and parameters with
    their type, default and range (as ``eoslab objectives`` prints)."""
    return _native.objectives()


def spec_json(spec: Any) -> str:
    """``spec`` as JSON text, refusing what JSON cannot carry with the field it sits in."""
    if not isinstance(spec, dict):
        raise SpecError("", f"a spec is a dict with a \"kind\" (got {type(spec).__name__})")
    try:
        return json.dumps(_plain(spec, ""), allow_nan=False, separators=(",", ":"))
    except RecursionError:
        raise SpecError("", "nested too deeply to be a spec") from None


def _plain(value: Any, field: str) -> Any:
    """``value`` as plain JSON-able Python (dict, list, str, int, float, bool, None)."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if not math.isfinite(number):
            raise SpecError(field, f"must be a finite number (got {number})")
        return number
    if isinstance(value, dict):
        plain = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise SpecError(field, f"keys must be strings (got {key!r})")
            plain[key] = _plain(item, f"{field}.{key}" if field else key)
        return plain
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(item, f"{field}[{i}]") for i, item in enumerate(value)]
    raise SpecError(
        field,
        f"must be a number, string, boolean, None, list or dict (got {type(value).__name__})",
    )
