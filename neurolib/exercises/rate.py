"""Exercise checks of chapter 05, rate-coded neurons and recurrent networks (model: :mod:`neurolib.rate`).

Shared machinery: :mod:`neurolib.exercises.base`.
"""

from __future__ import annotations

import re
from typing import Any, Callable

import numpy as np

from .. import rate as _rate
from .base import exercise, report, _number

__all__ = [
    "RATE_EX_TAU", "RATE_EX_FRACTION", "check_rate_time_to_fraction", "check_rate_neuron_update", "ECHO_STATE_N", "ECHO_STATE_SEED", "ECHO_STATE_RADIUS", "check_echo_state_gain",
    "RESERVOIR_QUESTIONS", "RESERVOIR_PERSISTS", "reservoir_answers", "check_reservoir_prediction",
    "SLOWEST_DECAY_N", "SLOWEST_DECAY_SEED", "SLOWEST_DECAY_G", "slowest_decay_time", "check_slowest_decay",
]


#: Exercise ex-rate-time-to-fraction: time constant (ms) and the fraction of the step to reach.
RATE_EX_TAU: float = 10.0
RATE_EX_FRACTION: float = 0.9


@exercise
def check_rate_time_to_fraction(answer: Any) -> bool:
    """Exercise ex-rate-time-to-fraction: the time (ms) a rate neuron with ``tau = RATE_EX_TAU`` needs, from rest,
    to reach ``RATE_EX_FRACTION`` of a step input (to 0.1 %)."""
    got = _number(answer, "answer must be a number of ms")
    # solve 1 - exp(-t/tau) = fraction on a fine grid of the simulated step response
    res = _rate.simulate_neuron(np.ones(100_000), tau=RATE_EX_TAU, dt=0.001, transfer="linear")
    expected = float(np.interp(RATE_EX_FRACTION, res.v, res.t))
    if abs(got - expected) <= 1e-3 * expected:
        return report(True, f"right: {expected:.2f} ms, that is {expected / RATE_EX_TAU:.3f} time constants.", "")
    if abs(got - RATE_EX_TAU) <= 1e-3 * RATE_EX_TAU:
        return report(False, "", "one time constant only reaches 1 - 1/e = 63 % of the step")
    return report(False, "", f"{got:.4g} ms is off; solve 1 - exp(-t/tau) = {RATE_EX_FRACTION:g} for t")


def _exact_rate_update(v: np.ndarray, u: np.ndarray, dt: np.ndarray, tau: np.ndarray) -> np.ndarray:
    return u + (v - u) * np.exp(-dt / tau)


@exercise
def check_rate_neuron_update(candidate: Callable[..., Any] | None) -> bool:
    """Exercise ex-rate-update: a function ``update(v, u, dt, tau)`` returning ``v`` one step later for
    an input ``u`` held constant during the step, exact for every ``dt`` (no Euler step)."""
    if not callable(candidate):
        return report(False, "", f"your update must be a function, got {type(candidate).__name__}")
    cases = [
        (0.0, 1.0, 1.0, 10.0),
        (0.5, -2.0, 0.1, 5.0),
        (1.0, 3.0, 25.0, 10.0),  # a step longer than tau: Euler overshoots
        (-1.0, 0.0, 100.0, 20.0),
    ]
    for v, u, dt, tau in cases:
        expected = float(_exact_rate_update(v, u, dt, tau))
        try:
            with np.errstate(all="ignore"):
                got = float(candidate(v, u, dt, tau))
        except Exception as exc:  # show the student's error as feedback
            case = f"v={v}, u={u}, dt={dt}, tau={tau}"
            return report(False, "", f"your update raised {type(exc).__name__}: {exc} for {case}")
        if not np.isfinite(got):
            case = f"v={v}, u={u}, dt={dt}, tau={tau}"
            return report(False, "", f"your update returned {got}, which is not a finite number, for {case}")
        if not np.isclose(got, expected, rtol=1e-9, atol=1e-12):
            hint = " (is it an Euler step? try dt > tau)" if dt > tau else ""
            case = f"v={v}, u={u}, dt={dt}, tau={tau}"
            return report(False, "", f"for {case} you give {got:.6g}, expected {expected:.6g}{hint}")
    return report(True, "your update is exact, even for steps longer than tau.", "")


#: Exercise ex-rate-echo-state-gain: the network whose gain the student tunes.
ECHO_STATE_N: int = 300
ECHO_STATE_SEED: int = 5
ECHO_STATE_RADIUS: float = 0.9


@exercise
def check_echo_state_gain(answer: Any) -> bool:
    """Exercise ex-rate-echo-state-gain: the gain ``g`` that gives ``g W_rec`` of
    ``rate.make_reservoir(ECHO_STATE_N, seed=ECHO_STATE_SEED)`` the spectral radius
    ``ECHO_STATE_RADIUS`` (to 0.1 %)."""
    got = _number(answer, "answer must be a number")
    radius = float(np.max(np.abs(_rate.recurrent_eigenvalues(ECHO_STATE_N, ECHO_STATE_SEED))))
    expected = ECHO_STATE_RADIUS / radius
    if abs(got - expected) <= 1e-3 * expected:
        return report(True, f"right: g = {expected:.4f}; this W_rec has spectral radius {radius:.4f}, not 1.", "")
    if abs(got - ECHO_STATE_RADIUS) <= 1e-3:
        return report(False, "", "for finite N the spectral radius of W_rec is close to 1 but not equal: compute it")
    return report(False, "", f"g = {got:.4g} gives spectral radius {got * radius:.4g}, not {ECHO_STATE_RADIUS:g}")


# --- Issue 17: predict with the widget, derive the slowest decay -----------------------------

#: Exercise (predict, then move the sliders): does the activity of the reservoir explorer
#: (seed 0) die out or persist after the input ends? Answer each with "dies out" or "persists".
RESERVOIR_QUESTIONS: dict[str, tuple[float, float]] = {
    "g = 2.5, input strength 0": (2.5, 0.0),
    "g = 0.9, input strength 3": (0.9, 3.0),
    "g = 1.1, input strength 1": (1.1, 1.0),
}
#: RMS rate in the widget's last 50 ms above which the activity "persists".
RESERVOIR_PERSISTS: float = 0.05


def reservoir_answers() -> dict[str, str]:
    """The answers to :data:`RESERVOIR_QUESTIONS`, from the widget's own ``update`` (seed 0)."""
    from ..widgets.rate import ReservoirExplorer

    app = ReservoirExplorer()
    answers = {}
    for question, (g, strength) in RESERVOIR_QUESTIONS.items():
        app.update(g=g, input_strength=strength, seed=0)
        # the number the student reads in the title of the left panel
        after = float(re.search(r"last 50 ms: ([0-9.]+)", app.ax_r.get_title()).group(1))
        answers[question] = "persists" if after > RESERVOIR_PERSISTS else "dies out"
    return answers


@exercise
def check_reservoir_prediction(answer: Any) -> bool:
    """Exercise ex-rate-predict-reservoir: for each question of :data:`RESERVOIR_QUESTIONS`, "dies out" or "persists"."""
    if not isinstance(answer, dict):
        return report(False, "", f"answer must be a dict question -> 'dies out'/'persists', got {type(answer).__name__}")
    missing = [q for q in RESERVOIR_QUESTIONS if q not in answer]
    if missing:
        return report(False, "", f"no answer for: {missing}")
    truth = reservoir_answers()
    wrong = [q for q in RESERVOIR_QUESTIONS if str(answer[q]).strip().lower() != truth[q]]
    return report(
        not wrong,
        "all three right: without any input the quiet state is never disturbed, below g = 1 activity "
        "decays however strong the input was, and just above g = 1 it sustains itself.",
        f"{len(wrong)} of 3 wrong, e.g. {wrong[0]!r}: set the sliders and read the title of the left panel"
        if wrong
        else "",
    )


#: Exercise ex-rate-slowest-decay: the network of the widget (200 units, seed 0) at this gain, tau = rate.TAU.
SLOWEST_DECAY_N: int = 200
SLOWEST_DECAY_SEED: int = 0
SLOWEST_DECAY_G: float = 0.8


def slowest_decay_time() -> float:
    """tau / (1 - g max Re λ) (ms): the time constant of the slowest mode of the linearised network."""
    eig = _rate.recurrent_eigenvalues(SLOWEST_DECAY_N, SLOWEST_DECAY_SEED, SLOWEST_DECAY_G)
    return float(_rate.TAU / (1.0 - np.max(eig.real)))


@exercise
def check_slowest_decay(answer: Any) -> bool:
    """Exercise ex-rate-slowest-decay: the time constant (ms) with which a small perturbation of the widget's
    network (``SLOWEST_DECAY_N`` units, seed ``SLOWEST_DECAY_SEED``, gain ``SLOWEST_DECAY_G``,
    no input) finally decays (to 1 %)."""
    got = _number(answer, "answer must be a number of ms")
    expected = slowest_decay_time()
    if abs(got - expected) <= 1e-2 * expected:
        return report(True, f"right: {expected:.1f} ms, longer than tau/(1 - g) because an eigenvalue has Re λ > 1.", "")
    if abs(got - _rate.TAU / (1.0 - SLOWEST_DECAY_G)) <= 1e-2 * expected:
        return report(False, "", "that assumes the largest real part of an eigenvalue of W_rec is exactly 1; compute it")
    if abs(got - _rate.TAU) <= 1e-2 * _rate.TAU:
        return report(False, "", "tau alone is the decay of a unit without recurrence; the recurrence slows some directions")
    return report(False, "", f"{got:.4g} ms is off; which eigenvalue of g W_rec makes g Re λ - 1 closest to 0?")
