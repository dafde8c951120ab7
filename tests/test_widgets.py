"""Every registered widget: its pure update runs with non-default values and changes the figure.

nbval only ever displays a widget at its defaults; these tests exercise what a student's
slider does, without a browser.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from neurolib import widgets

NAMES = sorted(widgets.WIDGETS)


def _line_data(app: widgets.WidgetApp) -> list[np.ndarray]:
    data = []
    for ax in app.fig.axes:
        for line in ax.get_lines():
            data.append(np.asarray(line.get_ydata(), dtype=float).copy())
        for coll in ax.collections:
            data.append(np.asarray(coll.get_offsets(), dtype=float).copy())
        for image in ax.get_images():
            data.append(np.asarray(image.get_array(), dtype=float).copy())
    return data


def _changed(before: list[np.ndarray], after: list[np.ndarray]) -> bool:
    if len(before) != len(after):
        return True
    return any(a.shape != b.shape or not np.allclose(a, b, equal_nan=True) for a, b in zip(before, after))


@pytest.mark.parametrize("name", NAMES)
def test_widget_renders_a_png_at_defaults(name):
    app = widgets.WIDGETS[name]()
    png = app.render()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert app._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
    assert app.params == {**app.defaults(), **app.params}


@pytest.mark.parametrize("name", NAMES)
def test_widget_update_with_non_default_values_changes_the_figure(name):
    app = widgets.WIDGETS[name]()
    before_png, before = app.render(), _line_data(app)
    rng = np.random.default_rng(123)
    for _ in range(5):
        params = app.sample_params(rng)
        if any(params[k] != app.defaults()[k] for k in params):
            break
    app.update(**params)
    assert app.params == {**app.defaults(), **params}
    assert _changed(before, _line_data(app))
    assert app.render() != before_png


@pytest.mark.parametrize("name", NAMES)
def test_widget_rejects_unknown_parameters(name):
    app = widgets.WIDGETS[name]()
    with pytest.raises(ValueError, match="unknown parameter"):
        app.update(not_a_parameter=1)


@pytest.mark.parametrize("name", NAMES)
def test_widget_ui_builds_controls_that_drive_update(name):
    app = widgets.WIDGETS[name]()
    ui = app.ui
    assert ui is app.ui  # built once
    controls = app.controls()
    assert set(controls) <= set(app.defaults())


def test_activation_explorer_draws_the_chosen_function_and_derivative():
    app = widgets.activation_explorer()
    app.update(activation="tanh", z_min=-2.0, z_max=3.0)
    z, f = app.line_f.get_data()
    _, df = app.line_df.get_data()
    assert z[0] == -2.0 and z[-1] == 3.0
    np.testing.assert_allclose(f, np.tanh(z))
    np.testing.assert_allclose(df, 1 - np.tanh(z) ** 2, atol=1e-12)
    assert app.ax_f.get_xlim() == (-2.0, 3.0)


def test_activation_explorer_slider_change_redraws(monkeypatch):
    app = widgets.activation_explorer()
    ui = app.ui
    dropdown = ui.children[0].children[0]
    dropdown.value = "relu"  # what a student does in the browser
    assert app.params["activation"] == "relu"
    np.testing.assert_allclose(app.line_f.get_ydata(), np.maximum(app.line_f.get_xdata(), 0))


def test_activation_explorer_bad_values():
    with pytest.raises(ValueError, match="unknown activation 'softplus'"):
        widgets.activation_explorer(activation="softplus")
    with pytest.raises(ValueError, match=r"z_min = 2 is out of range: .* z_min in \[-20, -0.5\]"):
        widgets.activation_explorer(z_min=2.0, z_max=1.0)
    with pytest.raises(ValueError, match="z_max must be a finite number"):
        widgets.activation_explorer(z_max=np.nan)


def _pixels(png: bytes) -> np.ndarray:
    import io

    import PIL.Image

    return np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


@pytest.mark.parametrize("name", NAMES)
def test_cached_render_matches_a_full_redraw(name):
    """The fast renderer (cached decorations) shows what a full redraw shows."""
    app = widgets.WIDGETS[name]()
    rng = np.random.default_rng(7)
    app.render()  # fills the cache
    for _ in range(3):
        app.update(**app.sample_params(rng))
        app.render()  # a changed axis: full redraw
        app.render()  # same axes: the bitmap of the decorations is made
        fast = _pixels(app.render())  # same axes: the bitmap is restored
        full = _pixels(app.render_full())
        assert fast.shape == full.shape
        differing = np.mean(np.any(np.abs(fast - full) > 48, axis=-1))
        # Only the drawing order of content vs ticks and spines may differ.
        assert differing < 0.01, f"{name}: {differing:.2%} of pixels differ from a full redraw"


def _overlaps(app: widgets.WidgetApp) -> list[str]:
    """Axis labels that overlap a tick label or leave the figure, in the drawn figure."""
    renderer = app.fig.canvas.get_renderer()
    figure_box = app.fig.bbox
    problems = []
    for ax in app.fig.axes:
        if not ax.get_visible() or not ax.axison:
            continue
        for axis in (ax.xaxis, ax.yaxis):
            label = axis.label
            if not label.get_visible() or not label.get_text():
                continue
            box = label.get_window_extent(renderer)
            if not (box.x0 >= figure_box.x0 - 1 and box.x1 <= figure_box.x1 + 1
                    and box.y0 >= figure_box.y0 - 1 and box.y1 <= figure_box.y1 + 1):
                problems.append(f"label {label.get_text()!r} leaves the figure")
            for tick in axis.get_ticklabels():
                if tick.get_visible() and tick.get_text() and box.overlaps(tick.get_window_extent(renderer)):
                    problems.append(f"label {label.get_text()!r} overlaps tick label {tick.get_text()!r}")
    return problems


@pytest.mark.parametrize("name", NAMES)
def test_axis_labels_stay_clear_of_tick_labels(name):
    """freeze_layout fixes label places once: over many settings they must not collide."""
    app = widgets.WIDGETS[name]()
    rng = np.random.default_rng(7)
    problems = []
    for _ in range(12):
        app.update(**app.sample_params(rng))
        app.render_full()
        problems += [f"{app.params}: {p}" for p in _overlaps(app)]
    assert not problems, "\n".join(problems[:10])


# --- values outside the controls' ranges ------------------------------------------------------


def _outside(allowed, integer: bool) -> list:
    """Values just below and above a slider's range, and absurd ones (issue 18)."""
    lo, hi = allowed.low, allowed.high
    if integer:
        return [int(lo) - 1, int(hi) + 1, 10**12]
    below = lo - 0.05 * (hi - lo)
    if lo > 0 and below <= 0:
        below = lo / 2
    return [below, hi + 0.05 * (hi - lo), 1e12, -1e12]


def _normal(text: str) -> str:
    return text.replace("_", "").lower()


def _mentions(message: str, value) -> bool:
    return f"{value:g}" in message or str(value) in message


@pytest.mark.parametrize("name", NAMES)
def test_widget_rejects_values_outside_its_controls_with_a_clear_message(name):
    """Every slider value outside its range, and every unknown option, is refused before drawing.

    The message names the parameter, the value and the range (or the bound that is crossed),
    and the widget keeps its previous drawing.
    """
    app = widgets.WIDGETS[name]()
    allowed = app.allowed(app.params)
    assert set(allowed) == set(app.controls())  # every control's range is known
    checked = 0
    for key, limits in allowed.items():
        before = dict(app.params)
        if limits.options is not None:
            numeric = all(isinstance(o, (int, float)) for o in limits.options)
            with pytest.raises(ValueError, match=key):
                app.update(**{key: 10 * max(limits.options) + 1 if numeric else "not-an-option"})
            assert app.params == before
            checked += 1
            continue
        integer = isinstance(app.defaults()[key], int)
        for value in _outside(limits, integer):
            with pytest.raises(ValueError) as info:
                app.update(**{key: value})
            message = str(info.value)
            # names the parameter (as the widget or its model spells it) and the value ...
            assert _normal(key) in _normal(message) and _mentions(message, value), message
            # ... and the range or bound it crosses
            assert re.search(r"must be (in|one of|an integer in|[<>]=?) |is limited to \w+ in \[", message), message
            assert app.params == before
            checked += 1
    assert checked >= len(allowed)


@pytest.mark.parametrize("name", NAMES)
def test_widget_accepts_both_ends_of_every_slider(name):
    app = widgets.WIDGETS[name]()
    defaults = dict(app.params)
    for key, limits in app.allowed(app.params).items():
        if limits.options is not None:
            continue
        integer = isinstance(app.defaults()[key], int)
        for end in (limits.low, limits.high):
            value = int(end) if integer else end
            app.update(**{key: value})
            assert app.params[key] == value
        app.update(**defaults)


def test_hyperplane_explorer_refuses_huge_weights_before_matplotlib_sees_them():
    app = widgets.hyperplane_explorer()
    with pytest.raises(ValueError, match=r"w1 = 1e\+12 is out of range: .* w1 in \[-3, 3\]"):
        app.update(w1=1e12)


def test_hh_explorer_names_the_amplitude_not_dt():
    with pytest.raises(ValueError, match=r"amplitude = 1e\+12 .* \[-10, 50\]") as info:
        widgets.hh_explorer(amplitude=1e12)
    assert "dt" not in str(info.value)


def test_spiking_explorer_ranges_follow_the_chosen_model():
    app = widgets.spiking_explorer()
    app.update(model="adex", preset="tonic", I=900.0)  # outside the Izhikevich range, inside AdEx's
    assert app.params["I"] == 900.0
    with pytest.raises(ValueError, match=r"I must be in \[-200, 1000\]"):
        app.update(I=2000.0)


def test_every_registered_factory_is_named_after_its_widget():
    for name, factory in widgets.WIDGETS.items():
        assert factory.__name__ == name
    with pytest.raises(ValueError, match="already registered"):
        widgets.register(type("Other", (), {"__name__": "hh_explorer", "__call__": lambda self: None})())


def test_register_needs_a_function():
    with pytest.raises(TypeError, match="factory must be a function"):
        widgets.register(42)


@pytest.mark.parametrize("name", NAMES)
def test_a_bad_value_is_refused_before_the_figure_is_built(name, monkeypatch):
    """Issue 18: a factory refuses an unknown parameter or a value outside the controls at once
    (nothing is drawn or trained first)."""
    app = widgets.WIDGETS[name]()  # any training runs of the class are cached now
    cls = type(app)

    def no_setup(self):
        raise AssertionError(f"{name} built its figure before checking its parameters")

    monkeypatch.setattr(cls, "_setup", no_setup)
    key = sorted(app.defaults())[0]
    with pytest.raises((ValueError, TypeError), match=key):
        widgets.WIDGETS[name](**{key: "not-a-value"})
    with pytest.raises(TypeError):
        widgets.WIDGETS[name](not_a_parameter=1)  # the factory's own signature refuses it


def test_membrane_explorer_names_its_own_parameters():
    app = widgets.membrane_explorer()
    with pytest.raises(ValueError, match="p_na must be a finite number"):
        app.update(p_na=float("nan"))
    with pytest.raises(ValueError, match="p_cl must be >= 0"):
        app.update(p_cl=-1.0)


def test_dense_trainer_refuses_arrays_and_a_non_boolean_precompute():
    app = widgets.dense_trainer()
    for array in (np.zeros((2, 3)), np.array([16])):  # == would compare element-wise
        with pytest.raises(TypeError, match="width must be an integer"):
            app.update(width=array)
    assert not widgets.Allowed(options=(2, 16)).contains(np.array([16]))
    with pytest.raises(TypeError, match="precompute must be True or False"):
        widgets.dense_trainer(precompute="yes")


@pytest.mark.parametrize("name", NAMES)
def test_widget_ui_gives_every_control_an_accessible_name(name):
    """Issue 19: in Jupyter every control says what it sets. WidgetApp.ui gives each control a
    description (its accessible name, with units), a tooltip and the class that the page
    script looks for to name a slider's handle and readout (tests/test_lab.py checks the
    names in JupyterLab), and the figure an alt text; every kind of control is one whose
    parts that script and ipywidgets name. A bare ipywidgets slider fails the same check."""
    import html

    import ipywidgets

    from neurolib.widgets import base

    def missing(control) -> list[str]:
        problems = []
        if type(control).__name__ not in base.NAMED_CONTROLS:
            problems.append(f"{type(control).__name__} is not among the controls known to be named")
        if not (control.description or "").strip():
            problems.append("no description")
        if not (control.tooltip or "").strip():
            problems.append("no tooltip")
        if base.CONTROL_CLASS not in control._dom_classes:
            problems.append(f"no {base.CONTROL_CLASS} class")
        return problems

    assert missing(ipywidgets.FloatSlider()) == ["no description", "no tooltip", f"no {base.CONTROL_CLASS} class"]

    app = widgets.WIDGETS[name]()
    controls = app.ui.children[0].children
    assert controls
    for control in controls:
        assert not missing(control), f"{name}: {control.description!r}: {missing(control)}"
    assert [c.description for c in controls] == [c.description for c in app.controls().values()]  # kept as written

    figure = app._figure_html()
    alt = re.search(r'<img src="data:image/png;base64,[^"]+" alt="([^"]*)">', figure)
    assert alt and html.unescape(alt[1]) == app.alt_text() and app.alt_text().startswith(f"Live figure of {name}")
    assert f"<script>{base._NAME_CONTROLS_JS}</script>" in figure
