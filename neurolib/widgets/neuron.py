"""The interactive figure of chapter 06, the artificial neuron (model: :mod:`neurolib.neuron`).

Shared machinery: :mod:`neurolib.widgets.base`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .. import neuron as _neuron
from .._checks import check_real_scalar
from ..plotting import COLORS, new_figure
from .base import WidgetApp, register, _signed

__all__ = ["HyperplaneExplorer", "hyperplane_explorer"]


def _signed(value: float) -> str:
    """``+ 1.50`` or ``− 1.50``: a term of a sum, for plain-text titles."""
    return f"{'+' if value >= 0 else '−'} {abs(value):.2f}"


class HyperplaneExplorer(WidgetApp):
    """A threshold unit's decision line in the plane, its normal vector and the points it classifies."""

    name = "hyperplane_explorer"
    #: Half-width of the square input region shown.
    LIM: ClassVar[float] = 3.0
    #: Fixed input points (the same in every drawing, so that only the line moves).
    POINTS: ClassVar[np.ndarray] = np.random.default_rng(6).uniform(-2.6, 2.6, size=(16, 2))

    def defaults(self) -> dict[str, Any]:
        return {"w1": 1.0, "w2": 2.0, "b": -1.0}

    def _setup(self) -> None:
        from matplotlib.patches import FancyArrowPatch, Polygon

        lim = self.LIM
        self.fig, self.ax = new_figure(1, 1, figsize=(4.8, 4.6))
        ax = self.ax
        self.region = Polygon(np.zeros((3, 2)), closed=True, facecolor=COLORS["highlight"], alpha=0.15, lw=0)
        ax.add_patch(self.region)
        ax.axhline(0.0, color=COLORS["reference"], lw=0.6)
        ax.axvline(0.0, color=COLORS["reference"], lw=0.6)
        (self.line,) = ax.plot([], [], color=COLORS["function"], lw=2, label="decision line z = 0")
        (self.offset,) = ax.plot([], [], color=COLORS["reference"], lw=1.2, ls="--", label="origin to line")
        self.arrow = FancyArrowPatch((0, 0), (1, 1), arrowstyle="-|>", mutation_scale=18, color=COLORS["derivative"], lw=2)
        ax.add_patch(self.arrow)
        self.pos = ax.scatter([], [], s=45, color=COLORS["highlight"], edgecolor="black", zorder=3, label="y = 1 (z >= 0)")
        self.neg = ax.scatter([], [], s=45, facecolor="white", edgecolor="black", zorder=3, label="y = 0 (z < 0)")
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.locator_params(nbins=5)
        # No legend (it would double the redraw time): the chapter's caption explains the
        # colours; the arrow is labelled w at its tip.
        self.w_label = ax.text(0, 0, "w", color=COLORS["derivative"], fontsize=11, ha="center", va="center")
        ax.set_title("z = w1 x1 + w2 x2 + b", fontsize=10)

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        return {key: check_real_scalar(params[key], key) for key in ("w1", "w2", "b")}

    def _draw(self, params: dict[str, Any]) -> None:
        w = np.array([params["w1"], params["w2"]])
        b = params["b"]
        lim = self.LIM
        z = self.POINTS @ w + b
        active = z >= 0  # McCulloch-Pitts convention: z = 0 is class 1
        self.pos.set_offsets(self.POINTS[active])
        self.neg.set_offsets(self.POINTS[~active])
        norm = float(np.hypot(*w))
        if norm == 0.0:  # no hyperplane: every point has z = b
            box = np.array([[-lim, -lim], [lim, -lim], [lim, lim], [-lim, lim]])
            self.region.set_xy(box if b >= 0 else np.zeros((3, 2)))
            for artist in (self.line, self.offset, self.arrow, self.w_label):
                artist.set_visible(False)
            self.ax.set_title(f"w = 0: no line; z = b = {b:.2f} everywhere", fontsize=10)
            return
        p0 = _neuron.closest_point(w, b)
        direction = np.array([-w[1], w[0]]) / norm
        ends = p0 + np.outer([-4 * lim, 4 * lim], direction)
        self.line.set_data(ends[:, 0], ends[:, 1])
        self.offset.set_data([0.0, p0[0]], [0.0, p0[1]])
        self.arrow.set_positions(tuple(p0), tuple(p0 + w))
        region = _neuron.halfplane_polygon(w, b, (-lim, lim), (-lim, lim))
        self.region.set_xy(region if len(region) else np.zeros((3, 2)))  # empty: a degenerate patch
        self.w_label.set_position(tuple(p0 + w * (1 + 0.25 / norm)))
        for artist in (self.line, self.offset, self.arrow, self.w_label):
            artist.set_visible(True)
        self.ax.set_title(
            f"z = {w[0]:.2f} x1 {_signed(w[1])} x2 {_signed(b)};  b/|w| = {b / norm:.2f}", fontsize=10
        )

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        return {
            key: ipywidgets.FloatSlider(value=self.params[key], min=-3, max=3, step=0.1, description=key)
            for key in ("w1", "w2", "b")
        }

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        return {key: float(rng.uniform(-3, 3)) for key in ("w1", "w2", "b")}


@register
def hyperplane_explorer(w1: float = 1.0, w2: float = 2.0, b: float = -1.0) -> HyperplaneExplorer:
    """Explore the decision line ``w1 x1 + w2 x2 + b = 0`` of a threshold unit (chapter 06).

    Parameters
    ----------
    w1, w2 : float, default 1 and 2
        Weights (dimensionless), in [-3, 3]; ``w = (w1, w2)`` is drawn as an arrow normal
        to the line.
    b : float, default -1
        Bias, in [-3, 3]; the origin's signed distance from the line is ``b / ‖w‖``.

    Returns
    -------
    HyperplaneExplorer
        Display it for the static figure; ``.ui`` for the interactive version.
    """
    return HyperplaneExplorer(w1=w1, w2=w2, b=b)
