"""The interactive figure of chapter 04, richer spiking models (Izhikevich and AdEx) (model: :mod:`neurolib.spiking`).

Shared machinery: :mod:`neurolib.widgets.base`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .. import spiking as _spiking
from .._checks import check_choice, check_real_scalar
from ..plotting import COLORS, new_figure
from .base import Allowed, WidgetApp, register

__all__ = ["SpikingExplorer", "spiking_explorer"]


class SpikingExplorer(WidgetApp):
    """An Izhikevich or AdEx neuron under a constant current: voltage trace (left) and phase
    plane with nullclines, trajectory and (Izhikevich) fixed points (right)."""

    name = "spiking_explorer"
    #: Simulated duration (ms) and forward-Euler steps (ms) of each model.
    T_MAX: ClassVar[float] = 300.0
    DT: ClassVar[dict[str, float]] = {"izhikevich": 0.1, "adex": 0.1}
    #: Allowed current range of each model (Izhikevich: model units; AdEx: pA).
    I_RANGE: ClassVar[dict[str, tuple[float, float]]] = {"izhikevich": (-20.0, 40.0), "adex": (-200.0, 1000.0)}
    PRESETS: ClassVar[dict[str, dict[str, Any]]] = {
        "izhikevich": _spiking.IZHIKEVICH_PRESETS,
        "adex": _spiking.ADEX_PRESETS,
    }
    DEFAULT_CURRENTS: ClassVar[dict[str, dict[str, float]]] = {
        "izhikevich": _spiking.IZHIKEVICH_CURRENTS,
        "adex": _spiking.ADEX_CURRENTS,
    }

    def defaults(self) -> dict[str, Any]:
        return {"model": "izhikevich", "preset": "RS", "I": 10.0}

    def _setup(self) -> None:
        self.fig, (self.ax_v, self.ax_p) = new_figure(1, 2, figsize=(9.0, 3.5), width_ratios=[1.5, 1.0])
        (self.line_v,) = self.ax_v.plot([], [], color=COLORS["function"], lw=1.2)
        self.ax_v.set_xlim(0.0, self.T_MAX)
        self.ax_v.set_xlabel("time (ms)")
        self.ax_v.set_ylabel("v (mV)")
        self.ax_v.locator_params(nbins=4)
        (self.null_v,) = self.ax_p.plot([], [], color=COLORS["derivative"], lw=1.5, label="v-nullcline")
        (self.null_r,) = self.ax_p.plot([], [], color=COLORS["highlight"], lw=1.5, label="slow nullcline")
        (self.traj,) = self.ax_p.plot([], [], color=COLORS["function"], lw=0.8, alpha=0.8, label="trajectory")
        (self.fixed,) = self.ax_p.plot([], [], "o", color="k", ms=5, label="fixed points")
        self.ax_p.set_xlabel("v (mV)")
        self.ax_p.set_ylabel("u")
        self.ax_p.locator_params(nbins=4)
        # placeholder title, so that the frozen layout keeps room for it
        self.ax_v.set_title("trace", fontsize=10)

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        model = check_choice(params["model"], "model", self.PRESETS)
        presets = self.PRESETS[model]
        if not isinstance(params["preset"], str) or params["preset"] not in presets:
            kind = "Izhikevich" if model == "izhikevich" else "AdEx"
            raise _spiking._preset_error(kind, params["preset"], list(presets))
        I = check_real_scalar(params["I"], "I")
        lo, hi = self.I_RANGE[model]
        if not lo <= I <= hi:
            raise ValueError(f"I must be in [{lo:g}, {hi:g}] for the {model} model, got {I:g}")
        return {"model": model, "preset": params["preset"], "I": I}

    def allowed(self, params: dict[str, Any]) -> dict[str, Allowed]:
        """The controls' ranges for the chosen model: its presets and its current range."""
        model = params["model"]
        lo, hi = self.I_RANGE[model]
        return {**super().allowed(params), "preset": Allowed(options=tuple(self.PRESETS[model])), "I": Allowed(lo, hi)}

    def _draw(self, params: dict[str, Any]) -> None:
        model, preset, I = params["model"], params["preset"], params["I"]
        dt = self.DT[model]
        if model == "izhikevich":
            p = _spiking.IZHIKEVICH_PRESETS[preset]
            res = _spiking.simulate_izhikevich(p, I, self.T_MAX, scheme="euler", dt=dt)
            v_grid = np.linspace(-90.0, 35.0, 200)
            nv, nr = _spiking.izhikevich_nullclines(v_grid, p.b, I)
            fp = _spiking.izhikevich_fixed_points(p.b, I)
            self.fixed.set_data(fp, p.b * fp)
            self.ax_v.set_ylim(-90.0, 40.0)
            self.ax_p.set_ylabel("u")
            unit = ""
        else:
            p = _spiking.ADEX_PRESETS[preset]
            res = _spiking.simulate_adex(p, I, self.T_MAX, dt=dt)
            v_grid = np.linspace(-80.0, p.V_peak, 200)
            nv, nr = _spiking.adex_nullclines(v_grid, p, I)
            self.fixed.set_data([], [])
            self.ax_v.set_ylim(-85.0, 5.0)
            self.ax_p.set_ylabel("w (pA)")
            unit = " pA"
        v, r = res.v[:, 0], res.recovery[:, 0]
        lo, hi = float(r.min()), float(r.max())
        pad = max(0.25 * (hi - lo), 5.0 if model == "izhikevich" else 50.0)
        y_lo, y_hi = lo - pad, hi + pad
        # clip the nullclines just outside the axes: Agg is slow on huge coordinates
        # (the AdEx v-nullcline reaches 1e12 pA at V_peak)
        span = y_hi - y_lo
        self.line_v.set_data(res.t, v)
        self.null_v.set_data(v_grid, np.clip(nv, y_lo - span, y_hi + span))
        self.null_r.set_data(v_grid, np.clip(nr, y_lo - span, y_hi + span))
        self.traj.set_data(v, r)
        self.ax_p.set_xlim(v_grid[0], v_grid[-1])
        self.ax_p.set_ylim(y_lo, y_hi)
        pattern = res.describe(0).pattern
        # one short title: text is most of a redraw (the scheme, Euler, is in the docstring)
        self.ax_v.set_title(f"{preset}, I = {I:.4g}{unit}: {pattern} ({res.spike_counts()[0]} spikes)", fontsize=10)

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        model = ipywidgets.Dropdown(options=list(self.PRESETS), value=self.params["model"], description="model")
        preset = ipywidgets.Dropdown(
            options=list(self.PRESETS[self.params["model"]]), value=self.params["preset"], description="preset"
        )
        lo, hi = self.I_RANGE[self.params["model"]]
        current = ipywidgets.FloatSlider(value=self.params["I"], min=lo, max=hi, step=(hi - lo) / 240, description="I")

        def on_model(change: dict[str, Any]) -> None:
            # switch model, preset and current together, then make the controls agree
            new = change["new"]
            first = next(iter(self.PRESETS[new]))
            target = self.DEFAULT_CURRENTS[new][first]
            self.update(model=new, preset=first, I=target)
            lo, hi = self.I_RANGE[new]
            preset.options = list(self.PRESETS[new])
            preset.value = first
            current.max, current.min = max(hi, current.min), lo  # may clamp the value: reset below
            current.max = hi
            current.step = (hi - lo) / 240
            current.value = target

        model.observe(on_model, names="value")
        return {"model": model, "preset": preset, "I": current}

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        model = str(rng.choice(list(self.PRESETS)))
        lo, hi = self.I_RANGE[model]
        return {"model": model, "preset": str(rng.choice(list(self.PRESETS[model]))), "I": float(rng.uniform(lo, hi))}


@register
def spiking_explorer(model: str = "izhikevich", preset: str = "RS", I: float = 10.0) -> SpikingExplorer:
    """Explore the Izhikevich and AdEx presets under a constant current (chapter 04).

    Parameters
    ----------
    model : {"izhikevich", "adex"}, default "izhikevich"
    preset : str, default "RS"
        A key of :data:`neurolib.spiking.IZHIKEVICH_PRESETS` or :data:`neurolib.spiking.ADEX_PRESETS`.
    I : float, default 10
        Constant current from t = 0: model units in [-20, 40] (Izhikevich) or pA in
        [-200, 1000] (AdEx).

    Returns
    -------
    SpikingExplorer
        Display it for the static figure (300 ms trace, phase plane; forward Euler with
        dt = 0.1 ms); ``.ui`` for the interactive version.
    """
    return SpikingExplorer(model=model, preset=preset, I=I)
