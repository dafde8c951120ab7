"""The interactive figure of chapter 02, the Hodgkin–Huxley model (model: :mod:`neurolib.hh`).

Shared machinery: :mod:`neurolib.widgets.base`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .. import hh as _hh
from .._checks import check_choice, check_real_scalar
from ..plotting import COLORS, PALETTE, new_figure
from .base import WidgetApp, register

__all__ = ["HHExplorer", "hh_explorer"]


class HHExplorer(WidgetApp):
    """A current pulse into a Hodgkin–Huxley neuron: voltage (top) and the three gates (bottom)."""

    name = "hh_explorer"
    #: Simulated window, pulse onset and time step (ms): short, so an update stays fast.
    T_MAX: ClassVar[float] = 50.0
    ONSET: ClassVar[float] = 5.0
    DT: ClassVar[float] = 0.02
    #: Slider ranges: amplitude (µA/cm²) and pulse duration (ms).
    AMPLITUDE: ClassVar[tuple[float, float]] = (-10.0, 50.0)
    DURATION: ClassVar[tuple[float, float]] = (0.1, 45.0)

    def defaults(self) -> dict[str, Any]:
        return {"amplitude": 10.0, "duration": 40.0, "preset": "classic"}

    def _setup(self) -> None:
        self.fig, (self.ax_v, self.ax_g) = new_figure(2, 1, figsize=(7.5, 4.6), sharex=True)
        self.pulse = self.ax_v.axvspan(self.ONSET, self.ONSET + 1.0, color=COLORS["highlight"], alpha=0.15, lw=0)
        (self.line_v,) = self.ax_v.plot([], [], color=COLORS["function"], lw=1.6)
        self.lines_gate = {}
        for gate, colour in zip("nmh", (PALETTE[1], PALETTE[0], PALETTE[2])):  # as in chapter 02
            (self.lines_gate[gate],) = self.ax_g.plot([], [], color=colour, lw=1.6, label=gate)
        # Fixed limits and few ticks, no legend: text is most of the cost of a redraw.
        self.ax_v.set_ylim(-95, 55)
        self.ax_v.set_yticks([-80, -40, 0, 40])
        self.ax_v.set_ylabel("v (mV)")
        self.ax_g.set_ylim(-0.03, 1.03)
        self.ax_g.set_yticks([0, 0.5, 1])
        self.ax_g.set_ylabel("gates n, m, h")
        self.ax_g.set_xlabel("time (ms)")
        self.ax_g.set_xlim(0, self.T_MAX)
        self.ax_g.set_xticks([0, 10, 20, 30, 40, 50])
        self.ax_v.set_title(" ")

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        amplitude = check_real_scalar(params["amplitude"], "amplitude", "µA/cm²")
        duration = check_real_scalar(params["duration"], "duration", "ms")
        check_choice(params["preset"], "preset", _hh.PRESETS)
        return {**params, "amplitude": amplitude, "duration": duration}

    def _draw(self, params: dict[str, Any]) -> None:
        t = np.arange(int(round(self.T_MAX / self.DT)) + 1) * self.DT
        current = _hh.step_current(t, params["amplitude"], self.ONSET, params["duration"])
        res = _hh.simulate(current, self.T_MAX, self.DT, params["preset"])
        self.line_v.set_data(t, res.v)
        for gate, line in self.lines_gate.items():
            line.set_data(t, getattr(res, gate))
        x0, x1 = self.ONSET, self.ONSET + params["duration"]
        self.pulse.set_x(x0)
        self.pulse.set_width(x1 - x0)
        self.ax_v.set_title(
            f"{params['preset']}: {params['amplitude']:.1f} µA/cm² for {params['duration']:.1f} ms, "
            f"{res.spike_counts} spike(s)",
            fontsize=10,
        )

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        return {
            "amplitude": ipywidgets.FloatSlider(
                value=self.params["amplitude"], min=self.AMPLITUDE[0], max=self.AMPLITUDE[1], step=0.5,
                description="I (uA/cm2)",
            ),
            "duration": ipywidgets.FloatSlider(
                value=self.params["duration"], min=self.DURATION[0], max=self.DURATION[1], step=0.1,
                description="pulse (ms)",
            ),
            "preset": ipywidgets.Dropdown(options=list(_hh.PRESETS), value=self.params["preset"], description="preset"),
        }

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        return {
            "amplitude": float(rng.uniform(*self.AMPLITUDE)),
            "duration": float(rng.uniform(*self.DURATION)),
            "preset": str(rng.choice(list(_hh.PRESETS))),
        }


@register
def hh_explorer(amplitude: float = 10.0, duration: float = 40.0, preset: str = "classic") -> HHExplorer:
    """Explore a Hodgkin–Huxley neuron's response to a current pulse (chapter 02).

    Parameters
    ----------
    amplitude : float, default 10
        Pulse amplitude (µA/cm²), in [-10, 50]; negative values hyperpolarise.
    duration : float, default 40
        Pulse duration (ms), from 0.1 to 45; the pulse starts at 5 ms of a 50 ms window.
    preset : str, default "classic"
        A key of :data:`neurolib.hh.PRESETS`.

    Returns
    -------
    HHExplorer
        Display it for the static figure; ``.ui`` for the interactive version.
    """
    return HHExplorer(amplitude=amplitude, duration=duration, preset=preset)
