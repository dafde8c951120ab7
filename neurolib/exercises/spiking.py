"""Exercise checks of chapter 04, richer spiking models (Izhikevich and AdEx) (model: :mod:`neurolib.spiking`).

Shared machinery: :mod:`neurolib.exercises.base`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import spiking as _spiking
from .base import check_array, check_function, exercise, report, _number

__all__ = ["EX_IZ_PRESET", "check_izhikevich_rest", "check_adaptation_index", "EX_ADEX_PRESET", "check_adex_rheobase"]


#: Exercise 4.1: the Izhikevich cell class whose rest state is asked for (b = 0.25).
EX_IZ_PRESET: str = "LTS"


@exercise
def check_izhikevich_rest(answer: Any) -> bool:
    """Exercise 4.1: ``(v_rest, v_saddle, I_vanish)`` of the :data:`EX_IZ_PRESET` neuron: its two
    fixed-point potentials (mV) at I = 0 and the current where they vanish."""
    b = _spiking.IZHIKEVICH_PRESETS[EX_IZ_PRESET].b
    v_rest, v_saddle = _spiking.izhikevich_fixed_points(b, 0.0)
    expected = np.array([v_rest, v_saddle, _spiking.izhikevich_vanishing_current(b)])
    return check_array(answer, expected, rtol=1e-3, what="your (v_rest, v_saddle, I_vanish)")


@exercise
def check_adaptation_index(candidate: Callable[[np.ndarray], float] | None) -> bool:
    """Exercise 4.2: a function of an ISI array returning Naud et al.'s adaptation index,
    the mean of (ISI[i+1] - ISI[i]) / (ISI[i+1] + ISI[i])."""
    inputs = [
        np.array([10.0, 10.0, 10.0, 10.0]),
        np.array([11.4, 14.6, 19.8, 29.6, 47.9, 67.8, 74.8]),
        np.array([20.8, 19.2, 18.1, 17.2]),
        np.array([3.0, 5.0, 130.0, 3.0, 5.0, 131.0]),
    ]
    return check_function(candidate, _spiking.adaptation_index, inputs, rtol=1e-9, atol=1e-12,
                          what="your adaptation index")


#: Exercise 4.3: the AdEx preset whose rheobase is asked for.
EX_ADEX_PRESET: str = "tonic"


@exercise
def check_adex_rheobase(answer: Any) -> bool:
    """Exercise 4.3: the rheobase (pA) of the :data:`EX_ADEX_PRESET` AdEx neuron, to 0.5 %."""
    got = _number(answer, "answer must be a number in pA")
    expected = _spiking.adex_rheobase(EX_ADEX_PRESET)
    if abs(got - expected) <= 5e-3 * expected:
        return report(True, f"right: the rest state vanishes at I = {expected:.1f} pA.", "")
    hint = (
        "did you include the adaptation current w = a (v - E_L) at rest?"
        if abs(got - expected) > 0.1 * expected
        else "close: check the position v* of the maximum"
    )
    return report(False, "", f"{got:.4g} pA is not the rheobase; {hint}")
