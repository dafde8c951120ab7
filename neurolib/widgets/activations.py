"""The interactive figure of chapter 07, activation functions (model: :mod:`neurolib.activations`).

Shared machinery: :mod:`neurolib.widgets.base`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import activations as act
from .._checks import check_choice, check_real_scalar
from ..plotting import COLORS, new_figure
from .base import WidgetApp, register

__all__ = ["ActivationExplorer", "activation_explorer"]


class ActivationExplorer(WidgetApp):
    """An activation function (left) and its derivative (right) over a chosen range of z."""

    name = "activation_explorer"
    #: The control(s) the website's pre-drawn figure lets a reader move (base.WidgetApp.explorable).
    explorable = ("activation",)

    def defaults(self) -> dict[str, Any]:
        return {"activation": "logistic", "z_min": -6.0, "z_max": 6.0}

    def _setup(self) -> None:
        self.fig, (self.ax_f, self.ax_df) = new_figure(1, 2, figsize=(8.5, 3.4))
        (self.line_f,) = self.ax_f.plot([], [], color=COLORS["function"])
        (self.line_df,) = self.ax_df.plot([], [], color=COLORS["derivative"])
        # Plain-text labels: mathtext costs several ms per label at every redraw.
        for ax, label in [(self.ax_f, "f(z)"), (self.ax_df, "f\u2032(z)")]:
            ax.axhline(0.0, color=COLORS["reference"], lw=0.8)
            ax.axvline(0.0, color=COLORS["reference"], lw=0.8)
            ax.set_xlabel("net activation z")
            ax.set_ylabel(label)
            ax.locator_params(nbins=5)  # fewer tick labels: text is most of a redraw
        self.ax_f.set_title("function")
        self.ax_df.set_title("derivative")

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        check_choice(params["activation"], "activation", act.ACTIVATIONS)
        z_min = check_real_scalar(params["z_min"], "z_min")
        z_max = check_real_scalar(params["z_max"], "z_max")
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
        self.ax_f.set_title(f"{fn.name}: {fn.text}")
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


@register
def activation_explorer(activation: str = "logistic", z_min: float = -6.0, z_max: float = 6.0) -> ActivationExplorer:
    """Explore an activation function and its derivative (chapter 07).

    Parameters
    ----------
    activation : str, default "logistic"
        A key of :data:`neurolib.activations.ACTIVATIONS`.
    z_min, z_max : float, default -6 and 6
        Range of the net activation shown (dimensionless): ``z_min`` in [-20, -0.5],
        ``z_max`` in [0.5, 20].

    Returns
    -------
    ActivationExplorer
        Display it for the static figure; ``.ui`` for the interactive version.
    """
    return ActivationExplorer(activation=activation, z_min=z_min, z_max=z_max)
