"""Exercise checks of chapter 10, surrogate gradients (model: :mod:`neurolib.surrogate`).

Shared machinery: :mod:`neurolib.exercises.base`.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping

import numpy as np

from .. import surrogate as _sg
from .base import exercise, report, _number

__all__ = [
    "check_fast_sigmoid",
    "TWO_STEP",
    "two_step_gradient",
    "check_two_step_gradient",
    "check_silent_decay",
    "STEEPNESS_QUESTIONS",
    "steepness_answers",
    "check_steepness_prediction",
]


@exercise
def check_fast_sigmoid(candidate: Callable[[np.ndarray, float], np.ndarray] | None) -> bool:
    """Exercise 10.1: ``candidate(x, k)`` must return SuperSpike's pseudo-derivative ``(k/2)/(1 + k|x|)²``."""
    if not callable(candidate):
        return report(False, "", f"your function must be callable as f(x, k), got {type(candidate).__name__}")
    x = np.linspace(-2.0, 2.0, 41)
    for k in (0.5, 1.0, 5.0, 25.0):
        expected = _sg.get_surrogate("fast_sigmoid", k).derivative(x)
        try:
            with np.errstate(all="ignore"):
                got = np.asarray(candidate(x.copy(), k), dtype=float)
        except Exception as exc:  # feedback instead of a traceback
            return report(False, "", f"your function raised {type(exc).__name__}: {exc} for k={k}")
        if got.shape != x.shape:
            return report(False, "", f"for an x of shape {x.shape} you return shape {got.shape}")
        if not np.all(np.isfinite(got)):
            return report(False, "", f"for k={k} you return NaN or inf")
        if not np.allclose(got, expected, rtol=1e-9, atol=1e-12):
            i = int(np.argmax(np.abs(got - expected)))
            peak_one = np.allclose(got * k / 2, expected)
            hint = " (is the bump's area 1? SuperSpike's peak-1 form needs the factor k/2)" if peak_one else ""
            return report(False, "", f"for k={k}, x={x[i]:g} you return {got[i]:.6g}, expected {expected[i]:.6g}{hint}")
    return report(True, "your surrogate matches for four steepnesses.", "")


#: Exercise 10.2: the two-step network (one input spiking at t = 0 and t = 1, one LIF neuron,
#: one output with a mean read-out, squared error, fast sigmoid; Δt = 1 ms, τ_m = τ_out = 10 ms).
TWO_STEP: dict[str, float] = {"w": 1.3, "w_out": 0.8, "y": 2.0, "k": 5.0, "tau_m": 10.0, "tau_out": 10.0, "dt": 1.0}


def two_step_gradient(detach_reset: bool = False) -> float:
    """∂C/∂w of the :data:`TWO_STEP` network, by :mod:`neurolib.surrogate`'s BPTT."""
    p = TWO_STEP
    net = _sg.SpikingNet(
        1, 1, 1, dt=p["dt"], tau_m=p["tau_m"], tau_out=p["tau_out"], steepness=p["k"],
        detach_reset=detach_reset, readout="mean", loss="squared_error", seed=0,
    )
    net.hidden.W[...] = p["w"]
    net.readout.W[...] = p["w_out"]
    return float(net.gradients(np.ones((2, 1, 1)), np.array([[p["y"]]]))["hidden.W"][0, 0])


@exercise
def check_two_step_gradient(answer: Any) -> bool:
    """Exercise 10.2: the surrogate gradient ∂C/∂w of :data:`TWO_STEP`, derived by hand."""
    value = _number(answer)
    expected = two_step_gradient()
    detached = two_step_gradient(detach_reset=True)
    ok = math.isclose(value, expected, rel_tol=1e-3)
    if not ok and math.isclose(value, detached, rel_tol=1e-3):
        return report(
            False, "", f"{value:.4g} is the gradient without the reset path; the spike at t = 0 also lowers v[1] by 1."
        )
    return report(
        ok,
        f"∂C/∂w = λ[0] + λ[1] = {expected:.4g}, with the reset path (it would be {detached:.4g} without).",
        f"{value:.4g} is not it; write v[0], S[0], v[1], S[1], u[0], u[1] and o, then go back step by step.",
    )


@exercise
def check_silent_decay(answer: Any) -> bool:
    """Exercise 10.3: the factor by which ∂C/∂v shrinks over 20 steps of a neuron far from threshold
    (σ′ ≈ 0), with Δt = 1 ms and τ_m = 10 ms."""
    value = _number(answer)
    expected = math.exp(-20 * 1.0 / 10.0)
    return report(
        math.isclose(value, expected, rel_tol=1e-3),
        f"λ[t] = β λ[t+1] when σ′ = 0, so β^20 = exp(−2) = {expected:.4f}: "
        "the leak forgets the error as it forgets the potential.",
        f"{value:.4g} is not it; with σ′ = 0 only the term β λ[t+1] is left, and β = exp(−Δt/τ_m).",
    )


#: Exercise 10.4 (predict, then check with the widget): how does each gradient change?
#: Answer each with "grows", "shrinks" or "unchanged".
STEEPNESS_QUESTIONS: dict[str, tuple[str, float, float, str]] = {
    "read-out gradient, fast sigmoid, k from 0.1 to 100": ("fast_sigmoid", 0.1, 100.0, "readout.W"),
    "hidden gradient, fast sigmoid, k from 1 down to 0.1": ("fast_sigmoid", 1.0, 0.1, "hidden.W"),
    "hidden gradient, sigmoid, k from 3 up to 100": ("sigmoid", 3.0, 100.0, "hidden.W"),
}

_STEEPNESS_ANSWERS: dict[str, str] = {}


def steepness_answers() -> dict[str, str]:
    """The answers to :data:`STEEPNESS_QUESTIONS`, computed on the widget's initial network."""
    if not _STEEPNESS_ANSWERS:
        run = _sg.train_moons(0, n_train=200, n_test=100, epochs=0)  # the network of the widget
        for question, (name, k_from, k_to, layer) in STEEPNESS_QUESTIONS.items():
            run.net.set_surrogate(name)
            before = _sg.gradient_norms(run.net, run.data.X_train, run.data.y_train, steepness=k_from).layers[layer]
            after = _sg.gradient_norms(run.net, run.data.X_train, run.data.y_train, steepness=k_to).layers[layer]
            ratio = after / before
            _STEEPNESS_ANSWERS[question] = "grows" if ratio > 1.2 else "shrinks" if ratio < 1 / 1.2 else "unchanged"
    return dict(_STEEPNESS_ANSWERS)


@exercise
def check_steepness_prediction(answer: Mapping[str, str] | None) -> bool:
    """Exercise 10.4: for each question of :data:`STEEPNESS_QUESTIONS`, "grows", "shrinks" or "unchanged"."""
    if not isinstance(answer, Mapping):
        return report(
            False, "", f"answer must be a dict question -> 'grows'/'shrinks'/'unchanged', got {type(answer).__name__}"
        )
    missing = [q for q in STEEPNESS_QUESTIONS if q not in answer]
    if missing:
        return report(False, "", f"no answer for: {missing}")
    truth = steepness_answers()
    wrong = [q for q in STEEPNESS_QUESTIONS if str(answer[q]).strip().lower() != truth[q]]
    return report(
        not wrong,
        "all three right: the read-out never passes a spike, a flat surrogate scales the hidden error by k/2, "
        "and a steep one multiplies it wherever a potential sits near threshold.",
        f"{len(wrong)} of 3 wrong, e.g. {wrong[0]!r}: move the widget's sliders and read the panel titles" if wrong else "",
    )
