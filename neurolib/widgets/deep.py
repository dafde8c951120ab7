"""The interactive figure of chapter 09, vanishing gradients and their remedies (model: :mod:`neurolib.deep`).

Shared machinery: :mod:`neurolib.widgets.base`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .. import dense as _dense
from .. import deep as _deep
from .._checks import check_choice, check_real_scalar
from ..plotting import COLORS, new_figure
from .base import WidgetApp, register

__all__ = ["GradientFlowExplorer", "gradient_flow_explorer"]


class GradientFlowExplorer(WidgetApp):
    """Gradient norm of every layer of a deep network, for a depth, activation and weight scale.

    The network has ``depth`` layers (hidden width 16, one logistic output unit, squared
    error) on 200 points of the two moons; its weights have standard deviation
    ``init_scale / sqrt(fan-in)`` and always come from the same seed.
    """

    name = "gradient_flow_explorer"
    #: The control(s) the website's pre-drawn figure lets a reader move (base.WidgetApp.explorable).
    explorable = ("activation", "depth")
    ACTIVATIONS: ClassVar[tuple[str, ...]] = ("logistic", "tanh", "relu")
    MAX_DEPTH: ClassVar[int] = 20
    WIDTH: ClassVar[int] = 16
    YLIM: ClassVar[tuple[float, float]] = (1e-14, 1e4)

    def __init__(self, **params: Any) -> None:
        self.data = _dense.make_moons(200, 2, 0.15, seed=0)
        super().__init__(**params)

    def defaults(self) -> dict[str, Any]:
        return {"depth": 10, "activation": "logistic", "init_scale": 1.0}

    def _setup(self) -> None:
        self.fig, self.ax = new_figure(1, 1, figsize=(6.5, 3.4))
        ax = self.ax
        (self.line,) = ax.plot([], [], "o-", color=COLORS["function"], ms=4)
        (self.bound,) = ax.plot([], [], "--", color=COLORS["reference"], lw=1)
        ax.set_yscale("log")
        ax.set_xlim(0.5, self.MAX_DEPTH + 0.5)
        ax.set_ylim(*self.YLIM)
        ax.set_xlabel("layer (1 = input side); dashed: (1/4)^(L - l) from the last layer")
        ax.set_ylabel("gradient norm of W")
        ax.set_xticks([1, 5, 10, 15, 20])
        ax.set_yticks([1e-12, 1e-8, 1e-4, 1e0, 1e4])
        ax.set_title("gradient norm per layer")

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        depth = params["depth"]
        if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)) or not 2 <= depth <= self.MAX_DEPTH:
            raise ValueError(f"depth must be an integer in 2..{self.MAX_DEPTH}, got {depth!r}")
        check_choice(params["activation"], "activation", self.ACTIVATIONS)
        scale = check_real_scalar(params["init_scale"], "init_scale")
        return {"depth": int(depth), "activation": params["activation"], "init_scale": scale}

    def compute(self, depth: int, activation: str, init_scale: float) -> np.ndarray:
        """Gradient norm of every layer (shape (depth,)) of the seeded network."""
        net = _deep.DeepNet(2, depth, self.WIDTH, activation, "lecun", init_scale=init_scale, seed=0)
        with np.errstate(over="ignore", invalid="ignore"):
            return _deep.gradient_norms(net, self.data.X_train, self.data.y_train)

    def _draw(self, params: dict[str, Any]) -> None:
        depth = params["depth"]
        norms = self.compute(depth, params["activation"], params["init_scale"])
        layers = np.arange(1, depth + 1)
        lo, hi = self.YLIM
        self.line.set_data(layers, np.clip(norms, lo, hi))
        self.bound.set_data(layers, np.clip(_deep.sigmoid_prime_bound(depth) * norms[-1], lo, hi))
        ratio = f"first/last = {norms[0] / norms[-1]:.2g}" if norms[-1] > 0 else "no gradient at the last layer"
        self.ax.set_title(f"{params['activation']}, {depth} layers, weights {params['init_scale']:g}/sqrt(n): {ratio}")

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        return {
            "depth": ipywidgets.IntSlider(value=self.params["depth"], min=2, max=self.MAX_DEPTH, description="depth"),
            "activation": ipywidgets.Dropdown(
                options=list(self.ACTIVATIONS), value=self.params["activation"], description="f"
            ),
            "init_scale": ipywidgets.FloatLogSlider(
                value=self.params["init_scale"], base=10, min=-1, max=1, step=0.05, description="scale"
            ),
        }

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        return {
            "depth": int(rng.integers(2, self.MAX_DEPTH + 1)),
            "activation": str(rng.choice(self.ACTIVATIONS)),
            "init_scale": float(10 ** rng.uniform(-1, 1)),
        }


@register
def gradient_flow_explorer(
    depth: int = 10, activation: str = "logistic", init_scale: float = 1.0
) -> GradientFlowExplorer:
    """Gradient norm per layer of a deep network (chapter 09).

    Parameters
    ----------
    depth : int, default 10
        Number of layers, 2 to 20.
    activation : {"logistic", "tanh", "relu"}
        Activation of the hidden units.
    init_scale : float, default 1.0
        Weights have standard deviation ``init_scale / sqrt(fan-in)`` (0.1 to 10).

    Returns
    -------
    GradientFlowExplorer
        Display it for the static figure; ``.ui`` for the interactive version.
    """
    return GradientFlowExplorer(depth=depth, activation=activation, init_scale=init_scale)
