"""Exercise checks of chapter 03, the leaky integrate-and-fire neuron (model: :mod:`neurolib.lif`).

Shared machinery: :mod:`neurolib.exercises.base`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import lif as _lif
from .base import check_array, check_function, exercise, report, _number

__all__ = ["check_lif_rate", "EX_LIF_PARAMS", "check_lif_threshold", "EX_TARGET_RATE", "check_input_for_rate"]


@exercise
def check_lif_rate(candidate: Callable[[np.ndarray], np.ndarray] | None) -> bool:
    """Exercise 3.1: a vectorised ``G(v_in)`` in Hz for tau_m = 20 ms, tau_ref = 2 ms, reset 0:
    0 for ``v_in <= 1``, finite everywhere (also just above threshold and for huge inputs)."""
    inputs = [
        np.linspace(0.0, 5.0, 51),
        np.array([-3.0, 0.5, 1.0, 1.0 + 1e-9, 1.001, 1.05]),
        np.array([2.0, 2.1, 1e4, 1e8]),
    ]

    def reference(v_in: np.ndarray) -> np.ndarray:
        return _lif.firing_rate(v_in, tau_m=20.0, tau_ref=2.0)

    return check_function(candidate, reference, inputs, rtol=1e-6, atol=1e-9, what="your G")


#: Exercise 3.2: a neuron in physical units.
EX_LIF_PARAMS = _lif.LIFParams(C=1.0, g_L=0.1, V_L=-65.0, V_th=-50.0, V_reset=-65.0, tau_ref=2.0)


@exercise
def check_lif_threshold(answer: Any) -> bool:
    """Exercise 3.2: ``(threshold current in µA/cm², tau_m in ms)`` of :data:`EX_LIF_PARAMS`."""
    expected = np.array([EX_LIF_PARAMS.threshold_current, EX_LIF_PARAMS.tau_m])
    return check_array(answer, expected, rtol=1e-3, what="your (threshold current, tau_m)")


#: Exercise 3.3: the firing rate (Hz) to reach with tau_m = 20 ms, tau_ref = 2 ms.
EX_TARGET_RATE: float = 50.0


@exercise
def check_input_for_rate(answer: Any) -> bool:
    """Exercise 3.3: the constant input ``v_in`` that makes the neuron fire at :data:`EX_TARGET_RATE`."""
    got = _number(answer, "answer must be a number")
    expected = float(_lif.input_for_rate(EX_TARGET_RATE, tau_m=20.0, tau_ref=2.0))
    if abs(got - expected) <= 1e-3 * expected:
        return report(True, f"right: v_in = {expected:.4f} gives {EX_TARGET_RATE:g} Hz.", "")
    rate = float(_lif.firing_rate(got, tau_m=20.0, tau_ref=2.0))
    return report(
        False, "", f"v_in = {got:.4g} gives {rate:.4g} Hz, not {EX_TARGET_RATE:g} Hz; solve G(v_in) = rate for v_in"
    )
