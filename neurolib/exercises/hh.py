"""Exercise checks of chapter 02, the Hodgkin–Huxley model (model: :mod:`neurolib.hh`).

Shared machinery: :mod:`neurolib.exercises.base`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import hh as _hh
from .._checks import check_in_range, check_real_scalar
from .base import check_function, exercise, report, _number

__all__ = [
    "EX_HH_VOLTAGES", "check_hh_alpha_m", "check_hh_gate_steady_state", "EX_HH_PULSE", "check_hh_refractory_delay",
    "EX_HH_REST", "hh_leak_reversal", "check_hh_leak_reversal",
    "EX_HH_WIDGET_PULSES", "hh_widget_spike_count", "check_hh_pulse_predictions",
]


#: Voltages (mV) at which the Hodgkin–Huxley exercises test a function, including the 0/0
#: point of alpha_m (−40 mV) and points a hair away from it.
EX_HH_VOLTAGES: list[np.ndarray] = [
    np.linspace(-100.0, 50.0, 61),
    np.array([-40.0, -40.0 + 1e-9, -40.0 - 1e-9, -40.0 + 1e-5]),
    np.array([-65.0, -55.0, 0.0, 30.0]),
]


@exercise
def check_hh_alpha_m(candidate: Callable[[np.ndarray], np.ndarray] | None) -> bool:
    """Exercise ex-hh-alpha-m: a vectorised alpha_m(v) (1/ms) of the classic model, finite at v = −40 mV."""
    return check_function(
        candidate, lambda v: _hh.rates(v, "classic")["alpha_m"], EX_HH_VOLTAGES,
        rtol=1e-7, atol=1e-12, what="your alpha_m",
    )


@exercise
def check_hh_gate_steady_state(candidate: Callable[[np.ndarray], np.ndarray] | None) -> bool:
    """Exercise ex-hh-m-inf: a vectorised m_inf(v) of the classic model (dimensionless, in [0, 1])."""
    return check_function(
        candidate, lambda v: _hh.steady_state(v, "m", "classic"), EX_HH_VOLTAGES,
        rtol=1e-6, atol=1e-12, what="your m_inf",
    )


#: Exercise ex-hh-refractory: the pulses (µA/cm², ms) of the refractoriness experiment.
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
    """Exercise ex-hh-refractory: the shortest delay (ms, within 0.25 ms) between two pulses of
    :data:`EX_HH_PULSE` for which the second one evokes a second spike."""
    got = _number(answer, "answer must be a number of ms")
    expected = _hh_refractory_answer()
    if abs(got - expected) <= 0.25:
        return report(True, f"right: the second pulse fires from a delay of about {expected:.2f} ms.", "")
    side = "too short: the second pulse still fails there" if got < expected else "longer than needed"
    return report(False, "", f"{got:.3g} ms is {side}; scan delays with hh.second_spike")


#: Exercise ex-hh-leak: the resting potential (mV) the classic model is built to have.
EX_HH_REST: float = -65.0


def hh_leak_reversal(v_rest: float = EX_HH_REST, params: _hh.HHParams | str | None = "classic") -> float:
    """The leak reversal potential E_L (mV) that makes ``v_rest`` the resting potential: at rest
    every gate sits at its steady state and the sodium, potassium and leak currents cancel.

    Parameters
    ----------
    v_rest : float
        The wanted resting potential (mV).
    params : HHParams or str
        Conductances and the sodium and potassium reversal potentials (default ``"classic"``).

    Returns
    -------
    float
        ``E_L = v + (g_Na m^3 h (v - E_Na) + g_K n^4 (v - E_K)) / g_L`` at ``v = v_rest`` (mV).
    """
    v = check_in_range(v_rest, "v_rest", -1000.0, 1000.0, "mV")  # as hh.simulate's v0
    p = _hh.get_params(params)
    m, h, n = (float(_hh.steady_state(v, gate, p)) for gate in "mhn")
    return v + (p.g_Na * m**3 * h * (v - p.E_Na) + p.g_K * n**4 * (v - p.E_K)) / p.g_L


@exercise
def check_hh_leak_reversal(answer: Any) -> bool:
    """Exercise ex-hh-leak: E_L (mV, to 0.01 mV) that puts the classic model's rest exactly at :data:`EX_HH_REST`."""
    got = _number(answer, "answer must be a number in mV")
    expected = hh_leak_reversal()
    if abs(got - expected) <= 0.01:
        printed = _hh.resting_state("classic").v
        return report(True, f"right: E_L = {expected:.3f} mV; the printed -54.387 mV puts rest at {printed:.3f} mV, "
                            "within 0.01 mV of -65.", "")
    if abs(got - (2 * EX_HH_REST - expected)) <= 0.01:
        return report(False, "", "the size of the correction is right but its sign is not: which way does each current push?")
    return report(False, "", f"{got:.5g} mV is off; write the three currents at v = -65 mV with the gates at their "
                             "steady states and ask which E_L makes their sum zero")


#: Exercise ex-hh-predict: pulses (amplitude µA/cm², duration ms, preset) to predict in the widget.
EX_HH_WIDGET_PULSES: tuple[tuple[float, float, str], ...] = (
    (2.0, 40.0, "classic"),
    (-10.0, 20.0, "classic"),
    (50.0, 40.0, "rest70_typo"),
)


def hh_widget_spike_count(amplitude: float, duration: float, preset: str) -> int:
    """The number of spikes (upward crossings of 0 mV) in the trace that the chapter's widget,
    :func:`neurolib.widgets.hh_explorer`, draws for a pulse of ``amplitude`` (µA/cm²) and
    ``duration`` (ms) into ``preset``."""
    from ..widgets import hh_explorer

    app = hh_explorer(amplitude=amplitude, duration=duration, preset=preset)
    t, v = (np.asarray(x, dtype=float) for x in app.line_v.get_data())
    return int(_hh.spike_times_from_trace(t, v).size)


@exercise
def check_hh_pulse_predictions(answer: Any) -> bool:
    """Exercise ex-hh-predict: the predicted spike counts, one per pulse of :data:`EX_HH_WIDGET_PULSES`,
    compared with what the widget draws."""
    try:
        got = [int(x) for x in answer]
        if any(g != x for g, x in zip(got, answer)):
            raise ValueError
    except (TypeError, ValueError):
        return report(False, "", "answer must be a tuple of three whole numbers of spikes, e.g. (1, 0, 2)")
    if len(got) != len(EX_HH_WIDGET_PULSES):
        return report(False, "", f"give {len(EX_HH_WIDGET_PULSES)} spike counts, one per pulse, got {len(got)}")
    expected = [hh_widget_spike_count(*pulse) for pulse in EX_HH_WIDGET_PULSES]
    wrong = [i for i, (g, e) in enumerate(zip(got, expected)) if g != e]
    if not wrong:
        return report(True, f"right: the widget shows {tuple(expected)} spikes.", "")
    amp, dur, preset = EX_HH_WIDGET_PULSES[wrong[0]]
    return report(False, "", f"pulse {wrong[0] + 1} ({amp:g} µA/cm² for {dur:g} ms, {preset}) is not right yet: "
                             "set it with the sliders and explain what you see")
