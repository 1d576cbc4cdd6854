"""``Figure``: a live eoslab figure in Jupyter (JupyterLab, Notebook 7, VS Code), an anywidget.

Its front end (widget.js) mounts the ``<eoslab-figure>`` element of pkg/eoslab.js, which computes
the spec with the WebAssembly core in the browser, draws the panels and builds the controls. The
module is the static file static/eoslab-figure.js, written by ``cargo xtask build`` from
pkg/eoslab.js and widget.js.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

import anywidget
import traitlets

from ._run import spec_json

STATIC = Path(__file__).parent / "static"
MODULE = STATIC / "eoslab-figure.js"


class Figure(anywidget.AnyWidget):
    """A live figure of ``spec``: ``Figure(spec, panels="loss sharpness", controls="eta x0")``.

    ``spec`` is synced both ways: assigning it redraws the figure, and moving one of its
    ``controls`` updates it here. ``result`` is the last result the figure drew (read-only),
    ``error`` the last refusal as ``{"field", "message"}`` (empty when the spec was accepted).
    """

    _esm = MODULE
    spec = traitlets.Dict().tag(sync=True)
    panels = traitlets.Unicode("").tag(sync=True)
    controls = traitlets.Unicode("").tag(sync=True)
    result = traitlets.Dict(read_only=True).tag(sync=True)
    error = traitlets.Dict(read_only=True).tag(sync=True)
    _svg = traitlets.Dict(read_only=True).tag(sync=True)
    _png = traitlets.Dict(read_only=True).tag(sync=True)

    def __init__(self, spec: dict, panels: str = "", controls: str = "", **kwargs):
        # Refuse what JSON cannot carry (NaN, arrays of objects) here, naming the field, rather
        # than in the browser; NumPy values become plain numbers and lists.
        super().__init__(spec=_plain_spec(spec), panels=panels, controls=controls, **kwargs)

    @traitlets.validate("spec")
    def _valid_spec(self, proposal):
        return _plain_spec(proposal["value"])

    def to_svg(self, panel: str | None = None) -> str:
        """The SVG text of ``panel`` (default: the first) as last drawn in the notebook."""
        return self._export(self._svg, panel, "SVG")

    def to_png(self, panel: str | None = None) -> bytes:
        """The PNG bytes of ``panel`` (default: the first) as last drawn in the notebook."""
        return base64.b64decode(self._export(self._png, panel, "PNG"))

    def _export(self, drawn: dict, panel: str | None, what: str) -> str:
        if not drawn:
            raise RuntimeError(
                f"the figure has not drawn yet: display it in a notebook and run this again for its {what}"
            )
        key = panel if panel is not None else next(iter(drawn))
        if key not in drawn:
            raise KeyError(f"no panel {key!r}: the figure draws {sorted(drawn)}")
        return drawn[key]

    def _repr_html_(self) -> str:
        """The figure where widgets do not run (nbviewer, GitHub, exported HTML): the SVG of each
        panel once the figure has drawn in a notebook; before that, the ``<eoslab-figure>``
        element with the module that defines it (inlined in the first figure shown in this
        Python session only, later ones wait for it to be defined)."""
        if self._svg:
            return "".join(f'<div class="eoslab-static-figure">{svg}</div>' for svg in self._svg.values())
        return static_element(self.spec, self.panels, self.controls)


def _plain_spec(spec) -> dict:
    return json.loads(spec_json(spec))


_module_inlined = False


def static_element(spec: dict, panels: str, controls: str) -> str:
    """HTML showing an ``<eoslab-figure>`` without a kernel; the module is inlined only the first
    time in a Python session (see ``Figure._repr_html_``)."""
    global _module_inlined
    attributes = f"spec='{html.escape(json.dumps(spec), quote=True)}'"
    if panels:
        attributes += f' panels="{html.escape(panels)}"'
    if controls:
        attributes += f' controls="{html.escape(controls)}"'
    element = f"<eoslab-figure {attributes}></eoslab-figure>"
    if _module_inlined:
        return element
    _module_inlined = True
    # </script> cannot occur in a JS module's text except inside a string; escape it anyway.
    source = MODULE.read_text(encoding="utf-8").replace("</script", "<\\/script")
    return f'{element}<script type="module">{source}</script>'
