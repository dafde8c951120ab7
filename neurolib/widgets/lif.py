"""The interactive figure of chapter 03, the leaky integrate-and-fire neuron (model: :mod:`neurolib.lif`).

Shared machinery: :mod:`neurolib.widgets.base`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .. import lif as _lif
from .._checks import check_real_scalar
from ..plotting import COLORS, new_figure
from .base import WidgetApp, register

__all__ = ["LIFExplorer", "lif_explorer"]


class LIFExplorer(WidgetApp):
    """A LIF neuron under constant input: its voltage trace (left) and its place on the tuning curve (right)."""

    name = "lif_explorer"

    #: Range of the input axis of the tuning curve and of the v_in slider.
    V_IN_MAX: ClassVar[float] = 6.0
    #: Duration (ms) and time step (ms) of the trace. The update is exact (spike times
    #: interpolated), so a coarse step only thins the plotted samples.
    T_MAX: ClassVar[float] = 200.0
    DT: ClassVar[float] = 0.25

    def defaults(self) -> dict[str, Any]:
        return {"v_in": 2.0, "tau_m": _lif.TAU_M, "tau_ref": _lif.TAU_REF}

    def _setup(self) -> None:
        self.fig, (self.ax_v, self.ax_g) = new_figure(1, 2, figsize=(8.5, 3.4), width_ratios=[1.6, 1.0])
        self.ax_v.axhline(1.0, color=COLORS["reference"], lw=0.8, ls="--")
        (self.line_v,) = self.ax_v.plot([], [], color=COLORS["function"], lw=1.5)
        (self.line_spikes,) = self.ax_v.plot([], [], color=COLORS["function"], lw=1.0)
        self.ax_v.set_xlim(0.0, self.T_MAX)
        self.ax_v.set_ylim(-0.05, 1.45)
        self.ax_v.set_xlabel("time (ms)")
        self.ax_v.set_ylabel("potential $v$")
        self.ax_v.locator_params(nbins=5)
        self.v_in_grid = np.linspace(0.0, self.V_IN_MAX, 241)
        (self.line_g,) = self.ax_g.plot([], [], color=COLORS["reference"], lw=1.5)
        (self.point,) = self.ax_g.plot([], [], "o", color=COLORS["derivative"], ms=7)
        (self.point_sim,) = self.ax_g.plot([], [], "x", color=COLORS["highlight"], ms=9, mew=2)
        self.ax_g.set_xlim(0.0, self.V_IN_MAX)
        self.ax_g.set_xlabel("input $v_{in}$")
        self.ax_g.set_ylabel("rate (Hz)")
        self.ax_g.locator_params(nbins=5)
        self.ax_g.set_title("tuning curve G", fontsize=10, y=1.02)  # fixed y: no auto-positioning

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        v_in = check_real_scalar(params["v_in"], "v_in")
        if not 0.0 <= v_in <= self.V_IN_MAX:
            raise ValueError(f"v_in must be in [0, {self.V_IN_MAX:g}], got {v_in:g}")
        tau_m = check_real_scalar(params["tau_m"], "tau_m", "ms")
        if not 1.0 <= tau_m <= 100.0:
            raise ValueError(f"tau_m must be in [1, 100] ms, got {tau_m:g}")
        tau_ref = check_real_scalar(params["tau_ref"], "tau_ref", "ms")
        if not 0.0 <= tau_ref <= 20.0:
            raise ValueError(f"tau_ref must be in [0, 20] ms, got {tau_ref:g}")
        return {"v_in": v_in, "tau_m": tau_m, "tau_ref": tau_ref}

    def _draw(self, params: dict[str, Any]) -> None:
        v_in, tau_m, tau_ref = params["v_in"], params["tau_m"], params["tau_ref"]
        res = _lif.simulate(v_in, self.T_MAX, dt=self.DT, tau_m=tau_m, tau_ref=tau_ref)
        spikes = res.spike_times
        # the trace with a point at threshold at each spike time (spikes first: ties keep order)
        t_all = np.concatenate([spikes, res.t])
        order = np.argsort(t_all, kind="stable")
        self.line_v.set_data(t_all[order], np.concatenate([np.ones(spikes.size), res.v[:, 0]])[order])
        # one vertical stroke per spike, separated by NaN so that a single line draws them all
        xs = np.repeat(spikes, 3)
        ys = np.tile([1.0, 1.35, np.nan], spikes.size)
        xs[2::3] = np.nan
        self.line_spikes.set_data(xs, ys)
        g_curve = _lif.firing_rate(self.v_in_grid, tau_m=tau_m, tau_ref=tau_ref)
        g = float(_lif.firing_rate(v_in, tau_m=tau_m, tau_ref=tau_ref))
        sim = float(res.rates()[0]) if spikes.size >= 2 else 0.0
        self.line_g.set_data(self.v_in_grid, g_curve)
        self.point.set_data([v_in], [g])
        self.point_sim.set_data([v_in], [sim])
        self.ax_g.set_ylim(0.0, 1.1 * max(float(g_curve[-1]), 1.0))
        # (the sliders show v_in, tau_m and tau_ref: no title on the left, text is most of a redraw)
        self.ax_g.set_title(f"G = {g:.1f} Hz (o), sim. {sim:.1f} (x)", fontsize=10, y=1.02)

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        return {
            "v_in": ipywidgets.FloatSlider(
                value=self.params["v_in"], min=0.0, max=self.V_IN_MAX, step=0.05, description="v_in"
            ),
            "tau_m": ipywidgets.FloatSlider(
                value=self.params["tau_m"], min=1.0, max=100.0, step=1.0, description="tau_m (ms)"
            ),
            "tau_ref": ipywidgets.FloatSlider(
                value=self.params["tau_ref"], min=0.0, max=20.0, step=0.5, description="tau_ref (ms)"
            ),
        }

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        return {
            "v_in": float(rng.uniform(0.0, self.V_IN_MAX)),
            "tau_m": float(rng.uniform(5.0, 50.0)),
            "tau_ref": float(rng.uniform(0.0, 10.0)),
        }


@register
def lif_explorer(v_in: float = 2.0, tau_m: float = _lif.TAU_M, tau_ref: float = _lif.TAU_REF) -> LIFExplorer:
    """Explore a LIF neuron under constant input (chapter 03).

    Parameters
    ----------
    v_in : float, default 2
        Constant normalised input, in [0, 6] (the neuron fires for ``v_in > 1``).
    tau_m : float, default 20
        Membrane time constant (ms), in [1, 100].
    tau_ref : float, default 2
        Refractory period (ms), in [0, 20].

    Returns
    -------
    LIFExplorer
        Display it for the static figure (200 ms trace and the tuning curve with the analytic
        and simulated rate at ``v_in``); ``.ui`` for the interactive version.
    """
    return LIFExplorer(v_in=v_in, tau_m=tau_m, tau_ref=tau_ref)
