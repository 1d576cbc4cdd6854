"""eoslab.Figure on the Python side: its traitlets, its module, its exports and its static HTML.
(Its front end is tested in a real JupyterLab and Notebook 7: tests/notebook.)"""

import base64
import math

import numpy as np
import pytest
import traitlets

import eoslab
from eoslab import _figure
from conftest import ROOT

SPEC = {"kind": "trajectory", "eta": 1.1, "x0": [0.5]}


def test_the_widget_module_is_pkg_eoslab_js_with_the_render_function():
    module = _figure.MODULE.read_text(encoding="utf-8")
    pkg = (ROOT / "pkg/eoslab.js").read_text(encoding="utf-8")
    render = (ROOT / "python/eoslab/widget.js").read_text(encoding="utf-8")
    assert pkg.replace("__wbg_init as default", "__wbg_init as init") in module
    assert module.endswith(render) and module.count("export default") == 1
    # anywidget reads the file into each widget's synced _esm.
    assert eoslab.Figure(SPEC)._esm.strip() == module.strip()


def test_spec_is_validated_and_made_plain_json():
    fig = eoslab.Figure({**SPEC, "x0": np.array([0.25]), "eta": np.float64(1.2)}, panels="loss", controls="eta")
    assert fig.spec == {"kind": "trajectory", "eta": 1.2, "x0": [0.25]}
    assert (fig.panels, fig.controls) == ("loss", "eta")
    with pytest.raises(eoslab.SpecError) as caught:
        fig.spec = {**SPEC, "eta": math.nan}
    assert caught.value.field == "eta"
    assert fig.spec["eta"] == 1.2


def test_result_and_error_are_read_only_from_python():
    fig = eoslab.Figure(SPEC)
    for name in ("result", "error"):
        with pytest.raises(traitlets.TraitError):
            setattr(fig, name, {"eta": 2})


def test_exports_are_the_last_drawing_the_front_end_sent():
    fig = eoslab.Figure(SPEC, panels="loss sharpness")
    with pytest.raises(RuntimeError, match="has not drawn yet"):
        fig.to_svg()
    png = b"\x89PNG\r\n\x1a\n fake"
    # What widget.js sets after each drawing (the front end is the only writer of these).
    fig.set_trait("_svg", {"loss": "<svg>loss</svg>", "sharpness": "<svg>sharpness</svg>"})
    fig.set_trait("_png", {"loss": base64.b64encode(png).decode(), "sharpness": ""})
    assert fig.to_svg() == "<svg>loss</svg>" and fig.to_svg("sharpness") == "<svg>sharpness</svg>"
    assert fig.to_png() == png
    with pytest.raises(KeyError, match="no panel 'cobweb'"):
        fig.to_svg("cobweb")
    assert fig._repr_html_().count("<svg>") == 2


def test_static_html_inlines_the_module_once_per_session(monkeypatch):
    monkeypatch.setattr(_figure, "_module_inlined", False)
    first = eoslab.Figure(SPEC, panels="loss")._repr_html_()
    second = eoslab.Figure({**SPEC, "eta": 1.25}, panels="cobweb", controls="eta")._repr_html_()
    module = (ROOT / "python/eoslab/static/eoslab-figure.js").read_text(encoding="utf-8")
    assert first.count('<script type="module">') == 1 and len(first) > len(module) > 500_000
    assert '<script' not in second and len(second) < 1000
    assert second == (
        "<eoslab-figure spec='{&quot;kind&quot;: &quot;trajectory&quot;, &quot;eta&quot;: 1.25, "
        "&quot;x0&quot;: [0.5]}' panels=\"cobweb\" controls=\"eta\"></eoslab-figure>"
    )


def test_the_notebook_bundle_carries_the_widget_view_and_the_static_html():
    fig = eoslab.Figure(SPEC)
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(fig)
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == fig.model_id
    assert "<eoslab-figure" in data["text/html"]
