"""Exercise checks of chapter 04, richer spiking models (Izhikevich and AdEx) (model: :mod:`neurolib.spiking`).

Shared machinery: :mod:`neurolib.exercises.base`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import spiking as _spiking
from .base import check_array, check_function, exercise, report, _number

__all__ = [
    "EX_IZ_PRESET", "check_izhikevich_rest", "check_adaptation_index", "EX_ADEX_PRESET", "check_adex_rheobase",
    "EX_IZ_WIDGET_CURRENTS", "widget_fixed_point_count", "check_fixed_point_prediction",
]


#: Exercise ex-spiking-rest: the Izhikevich cell class whose rest state is asked for (b = 0.25).
EX_IZ_PRESET: str = "LTS"


@exercise
def check_izhikevich_rest(answer: Any) -> bool:
    """Exercise ex-spiking-rest: ``(v_rest, v_saddle, I_vanish)`` of the :data:`EX_IZ_PRESET` neuron: its two
    fixed-point potentials (mV) at I = 0 and the current where they vanish."""
    b = _spiking.IZHIKEVICH_PRESETS[EX_IZ_PRESET].b
    v_rest, v_saddle = _spiking.izhikevich_fixed_points(b, 0.0)
    expected = np.array([v_rest, v_saddle, _spiking.izhikevich_vanishing_current(b)])
    return check_array(answer, expected, rtol=1e-3, what="your (v_rest, v_saddle, I_vanish)")


@exercise
def check_adaptation_index(candidate: Callable[[np.ndarray], float] | None) -> bool:
    """Exercise ex-spiking-adaptation: a function of an ISI array returning Naud et al.'s adaptation index,
    the mean of (ISI[i+1] - ISI[i]) / (ISI[i+1] + ISI[i])."""
    inputs = [
        np.array([10.0, 10.0, 10.0, 10.0]),
        np.array([11.4, 14.6, 19.8, 29.6, 47.9, 67.8, 74.8]),
        np.array([20.8, 19.2, 18.1, 17.2]),
        np.array([3.0, 5.0, 130.0, 3.0, 5.0, 131.0]),
    ]
    return check_function(candidate, _spiking.adaptation_index, inputs, rtol=1e-9, atol=1e-12,
                          what="your adaptation index")


#: Exercise ex-spiking-rheobase: the AdEx preset whose rheobase is asked for.
EX_ADEX_PRESET: str = "tonic"


@exercise
def check_adex_rheobase(answer: Any) -> bool:
    """Exercise ex-spiking-rheobase: the rheobase (pA) of the :data:`EX_ADEX_PRESET` AdEx neuron, to 0.5 %."""
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


#: Exercise ex-spiking-predict: the currents (model units) at which the widget's LTS neuron is shown.
EX_IZ_WIDGET_CURRENTS: tuple[float, ...] = (0.5, 1.5)


def widget_fixed_point_count(preset: str, I: float) -> int:
    """How many fixed points the chapter's widget, :func:`neurolib.widgets.spiking_explorer`,
    draws in the phase plane of the Izhikevich ``preset`` at the current ``I``."""
    from ..widgets import spiking_explorer

    app = spiking_explorer(model="izhikevich", preset=preset, I=I)
    return int(np.asarray(app.fixed.get_xdata()).size)


@exercise
def check_fixed_point_prediction(answer: Any) -> bool:
    """Exercise ex-spiking-predict: the predicted number of fixed points (0, 1 or 2) of the :data:`EX_IZ_PRESET`
    neuron at each current of :data:`EX_IZ_WIDGET_CURRENTS`, compared with the widget."""
    try:
        got = [int(x) for x in answer]
        if any(g != x for g, x in zip(got, answer)) or len(got) != len(EX_IZ_WIDGET_CURRENTS):
            raise ValueError
    except (TypeError, ValueError):
        return report(False, "", f"answer must be {len(EX_IZ_WIDGET_CURRENTS)} whole numbers, one per current, e.g. (1, 2)")
    expected = [widget_fixed_point_count(EX_IZ_PRESET, I) for I in EX_IZ_WIDGET_CURRENTS]
    if got == expected:
        return report(True, f"right: the widget draws {expected[0]} and {expected[1]} fixed points; "
                            "the current I* of the previous exercise separates the two cases.", "")
    return report(False, "", "not both right yet: compare each current with the I* at which the rest states vanish")
