"""eoslab: gradient descent at large learning rates, from Python.

* ``run(spec)``: runs a spec (docs/spec.md) with the native core and returns its result, arrays
  of numbers as NumPy arrays; a refused spec raises ``SpecError`` with ``.field``;
* ``objectives()``: every objective's schema;
* ``Figure(spec, panels=..., controls=...)``: a live figure in Jupyter (needs ``anywidget``:
  ``pip install "./python[widget]"``).
"""

from ._errors import SpecError
from ._run import objectives, run

__all__ = ["Figure", "SpecError", "objectives", "run"]


def __getattr__(name):
    # Figure needs anywidget (the `widget` extra); run and objectives do not.
    if name == "Figure":
        try:
            from ._figure import Figure
        except ModuleNotFoundError as missing:
            raise ImportError(
                f"eoslab.Figure needs {missing.name}: pip install anywidget (or the package's `widget` extra)"
            ) from missing
        return Figure
    raise AttributeError(f"module 'eoslab' has no attribute {name!r}")
