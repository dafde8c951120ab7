"""Interactive figures for the notebooks: one factory per widget.

Every widget is a :class:`WidgetApp`: a matplotlib figure, a *pure* ``update(**params)``
method that recomputes and redraws it, and an ipywidgets user interface built on
demand (``app.ui``). Keeping the update logic apart from the browser means it is
unit-tested (``tests/test_widgets.py``) and timed (``make bench``) without Jupyter.

In a notebook::

    app = widgets.activation_explorer()   # figure at default settings
    app                                   # static figure (what the HTML site shows)
    app.ui                                # sliders + live figure (in Jupyter)

To add a widget: subclass :class:`WidgetApp`, write ``defaults``, ``controls``,
``_draw`` and ``sample_params``, add a factory function and register it in
:data:`WIDGETS`; the tests and the benchmark pick it up from there.
"""

from __future__ import annotations

from typing import Any, Callable, ClassVar

import numpy as np

from . import activations as act
from ._checks import check_choice, check_real_scalar
from .plotting import COLORS, freeze_layout, new_figure, png_bytes

__all__ = ["WidgetApp", "ActivationExplorer", "activation_explorer", "WIDGETS"]


class WidgetApp:
    """Base class: a figure plus a pure, tested update function.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
        The figure, redrawn in place by :meth:`update`.
    params : dict
        The parameters of the current drawing.
    """

    #: Short name, used by the benchmark and the tests.
    name: ClassVar[str] = "widget"

    def __init__(self, **params: Any) -> None:
        self.params: dict[str, Any] = {}
        self._ui = None
        self._output = None
        self._setup()
        freeze_layout(self.fig)
        self.update(**{**self.defaults(), **params})

    # --- to be written by each widget -----------------------------------------------
    def defaults(self) -> dict[str, Any]:
        """Default parameters (the ones the static figure of the HTML site uses)."""
        raise NotImplementedError

    def _setup(self) -> None:
        """Create ``self.fig`` and the artists that ``_draw`` updates."""
        raise NotImplementedError

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        """Check and normalise parameters; raise ValueError/TypeError naming them."""
        return params

    def _draw(self, params: dict[str, Any]) -> None:
        """Recompute and update the artists for ``params``."""
        raise NotImplementedError

    def controls(self) -> dict[str, Any]:
        """ipywidgets controls, keyed by parameter name."""
        raise NotImplementedError

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        """Random valid, non-default parameters (used by the tests and ``make bench``)."""
        raise NotImplementedError

    # --- shared machinery ------------------------------------------------------------
    def update(self, **params: Any) -> None:
        """Validate ``params`` (merged over the current ones) and redraw the figure.

        Raises
        ------
        ValueError
            For an unknown parameter name or an invalid value.
        """
        unknown = set(params) - set(self.defaults())
        if unknown:
            raise ValueError(
                f"unknown parameter(s) {sorted(unknown)} for {self.name}; valid: {sorted(self.defaults())}"
            )
        new = self._validate({**self.defaults(), **self.params, **params})
        self._draw(new)
        self.params = new

    def render(self) -> bytes:
        """Draw the figure and return it as PNG bytes."""
        return png_bytes(self.fig)

    def _repr_png_(self) -> bytes:
        return self.render()

    @property
    def ui(self) -> Any:
        """The interactive widget: controls above a live image of the figure."""
        if self._ui is None:
            import ipywidgets
            from IPython.display import Image, display

            controls = self.controls()
            output = ipywidgets.Output()

            def show() -> None:
                with output:
                    output.clear_output(wait=True)
                    display(Image(self.render()))

            def listener(key: str) -> Callable[[dict[str, Any]], None]:
                def on_change(change: dict[str, Any]) -> None:
                    self.update(**{key: change["new"]})
                    show()

                return on_change

            for key, control in controls.items():
                control.observe(listener(key), names="value")
            show()
            self._ui = ipywidgets.VBox([ipywidgets.HBox(list(controls.values())), output])
        return self._ui


# --- chapter 07: activation functions ------------------------------------------------------


class ActivationExplorer(WidgetApp):
    """An activation function (left) and its derivative (right) over a chosen range of z."""

    name = "activation_explorer"

    def defaults(self) -> dict[str, Any]:
        return {"activation": "logistic", "z_min": -6.0, "z_max": 6.0}

    def _setup(self) -> None:
        self.fig, (self.ax_f, self.ax_df) = new_figure(1, 2, figsize=(8.5, 3.4))
        (self.line_f,) = self.ax_f.plot([], [], color=COLORS["function"])
        (self.line_df,) = self.ax_df.plot([], [], color=COLORS["derivative"])
        for ax, label in [(self.ax_f, "$f(z)$"), (self.ax_df, "$f'(z)$")]:
            ax.axhline(0.0, color=COLORS["reference"], lw=0.8)
            ax.axvline(0.0, color=COLORS["reference"], lw=0.8)
            ax.set_xlabel("net activation $z$")
            ax.set_ylabel(label)
            ax.locator_params(nbins=5)  # fewer tick labels: text is most of a redraw
        self.ax_f.set_title("function")
        self.ax_df.set_title("derivative")

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        check_choice(params["activation"], "activation", act.ACTIVATIONS)
        z_min = check_real_scalar(params["z_min"], "z_min")
        z_max = check_real_scalar(params["z_max"], "z_max")
        if not z_min < z_max:
            raise ValueError(f"z_min must be < z_max, got z_min={z_min:g}, z_max={z_max:g}")
        return {**params, "z_min": z_min, "z_max": z_max}

    def _draw(self, params: dict[str, Any]) -> None:
        fn = act.get_activation(params["activation"])
        z = np.linspace(params["z_min"], params["z_max"], 601)
        f, df = fn.f(z), fn.df(z)
        self.line_f.set_data(z, f)
        self.line_df.set_data(z, df)
        for ax, y in [(self.ax_f, f), (self.ax_df, df)]:
            lo, hi = float(np.min(y)), float(np.max(y))
            pad = 0.08 * (hi - lo) if hi > lo else 0.5
            ax.set_xlim(z[0], z[-1])
            ax.set_ylim(lo - pad, hi + pad)
        self.ax_f.set_title(f"{fn.name}: {fn.formula}")
        self.ax_df.set_title(f"derivative (max {np.max(df):.3g})")

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        return {
            "activation": ipywidgets.Dropdown(
                options=list(act.ACTIVATIONS), value=self.params["activation"], description="f"
            ),
            "z_min": ipywidgets.FloatSlider(
                value=self.params["z_min"], min=-20, max=-0.5, step=0.5, description="z min"
            ),
            "z_max": ipywidgets.FloatSlider(
                value=self.params["z_max"], min=0.5, max=20, step=0.5, description="z max"
            ),
        }

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        return {
            "activation": str(rng.choice(list(act.ACTIVATIONS))),
            "z_min": float(rng.uniform(-20, -0.5)),
            "z_max": float(rng.uniform(0.5, 20)),
        }


def activation_explorer(activation: str = "logistic", z_min: float = -6.0, z_max: float = 6.0) -> ActivationExplorer:
    """Explore an activation function and its derivative (chapter 07).

    Parameters
    ----------
    activation : str, default "logistic"
        A key of :data:`neurolib.activations.ACTIVATIONS`.
    z_min, z_max : float, default -6 and 6
        Range of the net activation shown (dimensionless), ``z_min < z_max``.

    Returns
    -------
    ActivationExplorer
        Display it for the static figure; ``.ui`` for the interactive version.
    """
    return ActivationExplorer(activation=activation, z_min=z_min, z_max=z_max)


#: Every widget factory of the book, by name (used by the tests and ``make bench``).
WIDGETS: dict[str, Callable[[], WidgetApp]] = {
    "activation_explorer": activation_explorer,
}
