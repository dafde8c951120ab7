"""Exercise checks of chapter 02, the Hodgkin–Huxley model (model: :mod:`neurolib.hh`).

Shared machinery: :mod:`neurolib.exercises.base`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import hh as _hh
from .base import check_function, exercise, report, _number

__all__ = ["EX_HH_VOLTAGES", "check_hh_alpha_m", "check_hh_gate_steady_state", "EX_HH_PULSE", "check_hh_refractory_delay"]


#: Voltages (mV) at which the Hodgkin–Huxley exercises test a function, including the 0/0
#: point of alpha_m (−40 mV) and points a hair away from it.
EX_HH_VOLTAGES: list[np.ndarray] = [
    np.linspace(-100.0, 50.0, 61),
    np.array([-40.0, -40.0 + 1e-9, -40.0 - 1e-9, -40.0 + 1e-5]),
    np.array([-65.0, -55.0, 0.0, 30.0]),
]


@exercise
def check_hh_alpha_m(candidate: Callable[[np.ndarray], np.ndarray] | None) -> bool:
    """Exercise 2.1: a vectorised alpha_m(v) (1/ms) of the classic model, finite at v = −40 mV."""
    return check_function(
        candidate, lambda v: _hh.rates(v, "classic")["alpha_m"], EX_HH_VOLTAGES,
        rtol=1e-7, atol=1e-12, what="your alpha_m",
    )


@exercise
def check_hh_gate_steady_state(candidate: Callable[[np.ndarray], np.ndarray] | None) -> bool:
    """Exercise 2.2: a vectorised m_inf(v) of the classic model (dimensionless, in [0, 1])."""
    return check_function(
        candidate, lambda v: _hh.steady_state(v, "m", "classic"), EX_HH_VOLTAGES,
        rtol=1e-6, atol=1e-12, what="your m_inf",
    )


#: Exercise 2.3: the pulses (µA/cm², ms) of the refractoriness experiment.
EX_HH_PULSE: dict[str, float] = {"amplitude": 20.0, "width": 1.0}
_HH_REFRACTORY_CACHE: dict[str, float] = {}


def _hh_refractory_answer() -> float:
    """The shortest delay (ms) at which the second pulse of :data:`EX_HH_PULSE` evokes a
    second spike in the classic model (computed once, to 0.02 ms)."""
    if "delay" not in _HH_REFRACTORY_CACHE:
        fires = lambda d: _hh.second_spike(d, **EX_HH_PULSE)  # noqa: E731
        _HH_REFRACTORY_CACHE["delay"] = _hh.find_threshold(fires, 2.0, 30.0, tol=0.02)
    return _HH_REFRACTORY_CACHE["delay"]


@exercise
def check_hh_refractory_delay(answer: Any) -> bool:
    """Exercise 2.3: the shortest delay (ms, within 0.25 ms) between two pulses of
    :data:`EX_HH_PULSE` for which the second one evokes a second spike."""
    got = _number(answer, "answer must be a number of ms")
    expected = _hh_refractory_answer()
    if abs(got - expected) <= 0.25:
        return report(True, f"right: the second pulse fires from a delay of about {expected:.2f} ms.", "")
    side = "too short: the second pulse still fails there" if got < expected else "longer than needed"
    return report(False, "", f"{got:.3g} ms is {side}; scan delays with hh.second_spike")
