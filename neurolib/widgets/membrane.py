"""The interactive figure of chapter 01, membrane potentials (model: :mod:`neurolib.membrane`).

Shared machinery: :mod:`neurolib.widgets.base`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .. import membrane as _membrane
from .._checks import check_nonnegative
from ..plotting import COLORS, new_figure
from .base import WidgetApp, register

__all__ = ["MembraneExplorer", "membrane_explorer"]


class MembraneExplorer(WidgetApp):
    """Nernst potentials and the GHK resting potential (left) and the rest vs P_Na/P_K (right)."""

    name = "membrane_explorer"
    #: The control(s) the website's pre-drawn figure lets a reader move (base.WidgetApp.explorable).
    explorable = ("p_na",)
    #: Voltage axis (mV) and the P_Na/P_K axis of the right panel.
    V_LIM: ClassVar[tuple[float, float]] = (-130.0, 110.0)
    RATIO: ClassVar[np.ndarray] = np.logspace(-3, 2, 121)

    def defaults(self) -> dict[str, Any]:
        base = _membrane.IonConcentrations.mammalian()
        perm = _membrane.Permeabilities()
        return {"K_out": base.K_out, "Na_out": base.Na_out, "p_na": perm.Na, "p_cl": perm.Cl}

    def _setup(self) -> None:
        self.fig, (self.ax_bar, self.ax_ratio) = new_figure(
            1, 2, figsize=(8.5, 3.6), sharey=True, gridspec_kw={"width_ratios": [1.0, 1.5]}
        )
        ax = self.ax_bar
        names = [r"$E_\mathrm{K}$", r"$E_\mathrm{Na}$", r"$E_\mathrm{Cl}$", r"$V_\mathrm{rest}$"]
        colours = [COLORS["excitatory"], COLORS["inhibitory"], COLORS["highlight"], "#555555"]
        self.bars = ax.bar(range(4), np.zeros(4), color=colours, width=0.65)
        self.bar_text = [ax.text(i, 0.0, "", ha="center", fontsize=10) for i in range(4)]
        ax.axhline(0.0, color=COLORS["reference"], lw=0.8)
        ax.set_xticks(range(4), names)
        ax.set_ylim(*self.V_LIM)
        ax.set_ylabel("potential (mV)")
        ax.locator_params(axis="y", nbins=5)
        ax.set_title("Nernst potentials and rest", fontsize=10)
        ax = self.ax_ratio
        # A linear axis of log10(ratio): log-scaled axes format ticks with mathtext (slow).
        (self.line_rest,) = ax.plot([], [], color="#555555")
        (self.line_ek,) = ax.plot([], [], "--", color=COLORS["excitatory"], lw=1.2)
        (self.line_ena,) = ax.plot([], [], "--", color=COLORS["inhibitory"], lw=1.2)
        self.point = ax.scatter([], [], s=40, color="black", zorder=3)
        self.label_ek = ax.text(-2.9, 0.0, r"$E_\mathrm{K}$", color=COLORS["excitatory"], fontsize=10, va="top")
        self.label_ena = ax.text(-2.9, 0.0, r"$E_\mathrm{Na}$", color=COLORS["inhibitory"], fontsize=10, va="bottom")
        ax.set_xlim(np.log10(self.RATIO[0]), np.log10(self.RATIO[-1]))
        ax.set_ylim(*self.V_LIM)
        ax.set_xlabel(r"$\log_{10}$ of the permeability ratio $P_\mathrm{Na} / P_\mathrm{K}$")
        ax.locator_params(axis="x", nbins=5)
        ax.set_title(" ", fontsize=10)  # keeps room; the text below is the real title
        self.title = ax.text(0.5, 1.02, "", transform=ax.transAxes, ha="center", va="bottom", fontsize=10)

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        # the model's own checks (positive concentrations, ...); update() then holds each
        # value to its slider's range
        ions = _membrane.IonConcentrations(K_out=params["K_out"], Na_out=params["Na_out"])
        # named as the widget's parameters (the model calls them Na and Cl)
        p_na, p_cl = check_nonnegative(params["p_na"], "p_na"), check_nonnegative(params["p_cl"], "p_cl")
        perm = _membrane.Permeabilities(K=1.0, Na=p_na, Cl=p_cl)
        return {"K_out": ions.K_out * 1.0, "Na_out": ions.Na_out * 1.0, "p_na": perm.Na * 1.0, "p_cl": perm.Cl * 1.0}

    def _draw(self, params: dict[str, Any]) -> None:
        ions = _membrane.IonConcentrations(K_out=params["K_out"], Na_out=params["Na_out"])
        perm = _membrane.Permeabilities(K=1.0, Na=params["p_na"], Cl=params["p_cl"])
        e = ions.reversal_potentials()
        v_rest = _membrane.ghk_voltage(ions, perm)
        values = [e["K"], e["Na"], e["Cl"], v_rest]
        for bar, text, value in zip(self.bars, self.bar_text, values):
            bar.set_height(value)
            text.set_text(f"{value:.0f}")
            text.set_y(value + (4.0 if value >= 0 else -14.0))
        rest_curve = _membrane.ghk_voltage_ratio(self.RATIO, ions, params["p_cl"])
        log_ratio = np.log10(self.RATIO)
        self.line_rest.set_data(log_ratio, rest_curve)
        self.line_ek.set_data(log_ratio[[0, -1]], [e["K"]] * 2)
        self.line_ena.set_data(log_ratio[[0, -1]], [e["Na"]] * 2)
        self.label_ek.set_y(e["K"] - 2.0)
        self.label_ena.set_y(e["Na"] + 2.0)
        x = float(np.clip(np.log10(max(params["p_na"], 1e-300)), log_ratio[0], log_ratio[-1]))
        self.point.set_offsets([[x, v_rest]])
        self.title.set_text(
            f"rest {v_rest:.1f} mV; permeability ratios Na/K = {params['p_na']:.3g}, Cl/K = {params['p_cl']:.3g}"
        )

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        return {
            "K_out": ipywidgets.FloatSlider(value=self.params["K_out"], min=1.0, max=100.0, step=0.5,
                                            description="[K]out mM"),
            "Na_out": ipywidgets.FloatSlider(value=self.params["Na_out"], min=20.0, max=300.0, step=5.0,
                                             description="[Na]out mM"),
            "p_na": ipywidgets.FloatLogSlider(value=self.params["p_na"], base=10, min=-3, max=2, step=0.05,
                                              description="PNa/PK"),
            "p_cl": ipywidgets.FloatSlider(value=self.params["p_cl"], min=0.0, max=2.0, step=0.05,
                                           description="PCl/PK"),
        }

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        return {
            "K_out": float(rng.uniform(1.0, 100.0)),
            "Na_out": float(rng.uniform(20.0, 300.0)),
            "p_na": float(10 ** rng.uniform(-3, 2)),
            "p_cl": float(rng.uniform(0.0, 2.0)),
        }


@register
def membrane_explorer(
    K_out: float = 5.0, Na_out: float = 145.0, p_na: float = 0.03, p_cl: float = 0.45
) -> MembraneExplorer:
    """Explore how concentrations and permeabilities set the resting potential (chapter 01).

    Parameters
    ----------
    K_out, Na_out : float, default 5 and 145
        Extracellular K⁺ and Na⁺ concentrations (mM), in [1, 100] and [20, 300]; the other
        concentrations are those of :meth:`neurolib.membrane.IonConcentrations.mammalian`.
    p_na, p_cl : float, default 0.03 and 0.45
        Permeabilities to Na⁺ and Cl⁻ relative to K⁺ (dimensionless), in [0.001, 100] and
        [0, 2].

    Returns
    -------
    MembraneExplorer
        Display it for the static figure; ``.ui`` for the interactive version.
    """
    return MembraneExplorer(K_out=K_out, Na_out=Na_out, p_na=p_na, p_cl=p_cl)
