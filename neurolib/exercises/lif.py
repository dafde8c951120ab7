"""Exercise checks of chapter 03, the leaky integrate-and-fire neuron (model: :mod:`neurolib.lif`).

Shared machinery: :mod:`neurolib.exercises.base`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import lif as _lif
from .base import check_array, check_function, exercise, report, _number

__all__ = [
    "check_lif_rate", "EX_LIF_PARAMS", "check_lif_threshold", "EX_TARGET_RATE", "check_input_for_rate",
    "EX_LIF_WIDGET", "lif_widget_rate", "check_tau_m_prediction",
]


@exercise
def check_lif_rate(candidate: Callable[[np.ndarray], np.ndarray] | None) -> bool:
    """Exercise ex-lif-rate: a vectorised ``G(v_in)`` in Hz for tau_m = 20 ms, tau_ref = 2 ms, reset 0:
    0 for ``v_in <= 1``, finite everywhere (also just above threshold and for huge inputs)."""
    inputs = [
        np.linspace(0.0, 5.0, 51),
        np.array([-3.0, 0.5, 1.0, 1.0 + 1e-9, 1.001, 1.05]),
        np.array([2.0, 2.1, 1e4, 1e8]),
    ]

    def reference(v_in: np.ndarray) -> np.ndarray:
        return _lif.firing_rate(v_in, tau_m=20.0, tau_ref=2.0)

    return check_function(candidate, reference, inputs, rtol=1e-6, atol=1e-9, what="your G")


#: Exercise ex-lif-threshold: a neuron in physical units.
EX_LIF_PARAMS = _lif.LIFParams(C=1.0, g_L=0.1, V_L=-65.0, V_th=-50.0, V_reset=-65.0, tau_ref=2.0)


@exercise
def check_lif_threshold(answer: Any) -> bool:
    """Exercise ex-lif-threshold: ``(threshold current in µA/cm², tau_m in ms)`` of :data:`EX_LIF_PARAMS`."""
    expected = np.array([EX_LIF_PARAMS.threshold_current, EX_LIF_PARAMS.tau_m])
    return check_array(answer, expected, rtol=1e-3, what="your (threshold current, tau_m)")


#: Exercise ex-lif-inverse: the firing rate (Hz) to reach with tau_m = 20 ms, tau_ref = 2 ms.
EX_TARGET_RATE: float = 50.0


@exercise
def check_input_for_rate(answer: Any) -> bool:
    """Exercise ex-lif-inverse: the constant input ``v_in`` that makes the neuron fire at :data:`EX_TARGET_RATE`."""
    got = _number(answer, "answer must be a number")
    expected = float(_lif.input_for_rate(EX_TARGET_RATE, tau_m=20.0, tau_ref=2.0))
    if abs(got - expected) <= 1e-3 * expected:
        return report(True, f"right: v_in = {expected:.4f} gives {EX_TARGET_RATE:g} Hz.", "")
    rate = float(_lif.firing_rate(got, tau_m=20.0, tau_ref=2.0))
    return report(
        False, "", f"v_in = {got:.4g} gives {rate:.4g} Hz, not {EX_TARGET_RATE:g} Hz; solve G(v_in) = rate for v_in"
    )


#: Exercise ex-lif-predict: the widget's input v_in and the two membrane time constants (ms) compared,
#: for each refractory period (ms).
EX_LIF_WIDGET: dict[str, Any] = {"v_in": 2.0, "tau_m": (20.0, 10.0), "tau_ref": (2.0, 0.0)}
_CHOICES: tuple[str, ...] = ("less", "double", "more")


def lif_widget_rate(v_in: float, tau_m: float, tau_ref: float) -> float:
    """The rate (Hz) that the chapter's widget, :func:`neurolib.widgets.lif_explorer`, marks on
    its tuning curve (the circle) for these settings."""
    from ..widgets import lif_explorer

    app = lif_explorer(v_in=v_in, tau_m=tau_m, tau_ref=tau_ref)
    return float(app.point.get_ydata()[0])


def _choice(ratio: float) -> str:
    return "double" if abs(ratio - 2.0) < 1e-6 else ("less" if ratio < 2.0 else "more")


@exercise
def check_tau_m_prediction(answer: Any) -> bool:
    """Exercise ex-lif-predict: for each refractory period of :data:`EX_LIF_WIDGET`, does halving tau_m make
    the rate "less" than double, "double" or "more" than double? Compared with the widget."""
    if isinstance(answer, str) or not hasattr(answer, "__len__") or len(answer) != 2:
        return report(False, "", 'answer must be a pair of choices, e.g. ("more", "less")')
    got = [str(a).strip().lower().split(" ")[0] if isinstance(a, str) else None for a in answer]
    if any(g not in _CHOICES for g in got):
        return report(False, "", f"each choice must be one of {list(_CHOICES)}, got {list(answer)}")
    v_in, (slow, fast) = EX_LIF_WIDGET["v_in"], EX_LIF_WIDGET["tau_m"]
    ratios = [lif_widget_rate(v_in, fast, ref) / lif_widget_rate(v_in, slow, ref) for ref in EX_LIF_WIDGET["tau_ref"]]
    expected = [_choice(r) for r in ratios]
    if got == expected:
        return report(True, f"right: the widget's rate grows {ratios[0]:.2f}-fold with the refractory period and "
                            f"{ratios[1]:.2f}-fold without it; only the time to threshold scales with tau_m.", "")
    return report(False, "", "not both right yet: which part of the interval t_isi = tau_ref + t_th scales with tau_m?")
