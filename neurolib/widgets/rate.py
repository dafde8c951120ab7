"""The interactive figure of chapter 05, rate-coded neurons and recurrent networks (model: :mod:`neurolib.rate`).

Shared machinery: :mod:`neurolib.widgets.base`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .. import rate as _rate
from .._checks import check_int, check_nonnegative
from ..plotting import COLORS, new_figure
from .base import WidgetApp, register

__all__ = ["ReservoirExplorer", "reservoir_explorer"]


class ReservoirExplorer(WidgetApp):
    """A random rate network: unit traces during and after an input (left), eigenvalues of g·W_rec (right).

    The network is small (:attr:`N` units, :attr:`N_STEPS` steps of 1 ms) so that an update
    stays within 100 ms; the weights and the eigenvalues of ``W_rec`` are computed once per
    seed and cached, so moving ``g`` only rescales them.
    """

    name = "reservoir_explorer"
    #: Number of units.
    N: ClassVar[int] = 200
    #: Steps of 1 ms simulated.
    N_STEPS: ClassVar[int] = 300
    #: The input (a 20 Hz sine) is on from 0 to this time (ms), then off.
    T_INPUT: ClassVar[float] = 100.0
    #: Number of unit traces drawn.
    N_TRACES: ClassVar[int] = 6
    G_MAX: ClassVar[float] = 3.0

    def defaults(self) -> dict[str, Any]:
        return {"g": 1.5, "input_strength": 1.0, "seed": 0}

    def _setup(self) -> None:
        self.fig, (self.ax_r, self.ax_eig) = new_figure(
            1, 2, figsize=(9.0, 3.8), gridspec_kw={"width_ratios": [1.7, 1.0]}
        )
        ax = self.ax_r
        ax.axvspan(0.0, self.T_INPUT, color=COLORS["reference"], alpha=0.12, lw=0)
        ax.text(0.5 * self.T_INPUT, 1.08, "input on", ha="center", va="center", fontsize=10)
        self.lines = [ax.plot([], [], lw=1.2)[0] for _ in range(self.N_TRACES)]
        ax.set_xlim(0.0, float(self.N_STEPS))
        ax.set_ylim(-1.2, 1.2)
        ax.set_xlabel("time (ms)")
        ax.set_ylabel("rate r = tanh(v)")
        ax.locator_params(nbins=5)
        ax = self.ax_eig
        theta = np.linspace(0.0, 2.0 * np.pi, 200)
        (self.eig,) = ax.plot([], [], "o", ms=2.5, color=COLORS["function"], alpha=0.7)  # >= 3:1 on white
        ax.plot(np.cos(theta), np.sin(theta), color="black", lw=1.5, ls="--", zorder=3)
        ax.text(0.03, 0.97, "dashed: unit circle", fontsize=10, ha="left", va="top", transform=ax.transAxes)
        lim = self.G_MAX * 1.1
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.set_xlabel(r"Re $\lambda$")
        ax.set_ylabel(r"Im $\lambda$")
        ax.locator_params(nbins=5)
        self.ax_r.set_title(" ")
        self.ax_eig.set_title(" \n ")  # room for the two-line title at layout time
        self._networks: dict[int, _rate.Reservoir] = {}

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        g = check_nonnegative(params["g"], "g")
        if g > self.G_MAX:
            raise ValueError(f"g must be <= {self.G_MAX:g} in this widget, got {g:g}")
        strength = check_nonnegative(params["input_strength"], "input_strength")
        seed = check_int(params["seed"], "seed", minimum=0)
        return {**params, "g": g, "input_strength": strength, "seed": seed}

    def network(self, seed: int) -> _rate.Reservoir:
        """The (cached) network of this seed, at gain 1 and input scale 1."""
        seed = check_int(seed, "seed", minimum=0)
        if seed not in self._networks:
            self._networks[seed] = _rate.make_reservoir(self.N, g=1.0, seed=seed)
        return self._networks[seed]

    def input_signal(self, strength: float) -> np.ndarray:
        """The input during each step: a 20 Hz sine of amplitude ``strength`` until T_INPUT."""
        strength = check_nonnegative(strength, "strength")
        t = np.arange(self.N_STEPS) + 0.5
        return np.where(t < self.T_INPUT, strength * np.sin(2 * np.pi * t / 50.0), 0.0)

    def _draw(self, params: dict[str, Any]) -> None:
        g, seed = params["g"], params["seed"]
        res = _rate.simulate_reservoir(
            self.network(seed).with_gain(g), self.input_signal(params["input_strength"]), dt=1.0
        )
        for i, line in enumerate(self.lines):
            line.set_data(res.t, res.r[:, i])
        eig = _rate.recurrent_eigenvalues(self.N, seed, g)
        self.eig.set_data(eig.real, eig.imag)
        after = res.activity(t_start=self.N_STEPS - 50.0)
        self.ax_r.set_title(f"{self.N} units; RMS rate in the last 50 ms: {after:.3f}")
        self.ax_eig.set_title(f"eigenvalues of g\u00b7W_rec\nspectral radius {np.max(np.abs(eig)):.2f}")

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        return {
            "g": ipywidgets.FloatSlider(value=self.params["g"], min=0.0, max=self.G_MAX, step=0.05, description="g"),
            "input_strength": ipywidgets.FloatSlider(
                value=self.params["input_strength"], min=0.0, max=3.0, step=0.1, description="input"
            ),
            "seed": ipywidgets.IntSlider(value=self.params["seed"], min=0, max=9, description="seed"),
        }

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        return {
            "g": float(rng.uniform(0.0, self.G_MAX)),
            "input_strength": float(rng.uniform(0.0, 3.0)),
            "seed": int(rng.integers(0, 3)),
        }


@register
def reservoir_explorer(g: float = 1.5, input_strength: float = 1.0, seed: int = 0) -> ReservoirExplorer:
    """Explore a random rate network below and above the transition to chaos (chapter 05).

    Parameters
    ----------
    g : float, default 1.5
        Gain of the recurrent weights, in [0, 3].
    input_strength : float, default 1
        Amplitude of the sine input (on for the first 100 ms), in [0, 3].
    seed : int, default 0
        Seed of the random weights, 0 to 9.

    Returns
    -------
    ReservoirExplorer
        Display it for the static figure; ``.ui`` for the interactive version.
    """
    return ReservoirExplorer(g=g, input_strength=input_strength, seed=seed)
