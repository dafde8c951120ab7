"""Exercise checks of chapter 06, the artificial neuron (model: :mod:`neurolib.neuron`).

Shared machinery: :mod:`neurolib.exercises.base`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import neuron as _neuron
from .._checks import check_finite, check_real_scalar
from .base import check_function, exercise, report, _number

__all__ = [
    "check_majority_gate", "check_critical_learning_rate", "EX_LOGISTIC_X", "EX_LOGISTIC_T", "check_logistic_gradient",
    "HYPERPLANE_DEFAULT", "HYPERPLANE_QUESTIONS", "hyperplane_answers", "check_hyperplane_prediction",
    "BOUND_X", "BOUND_T", "BOUND_W", "BOUND_B", "perceptron_bound", "check_perceptron_bound",
]


def _majority(X: np.ndarray) -> np.ndarray:
    return (X.sum(axis=1) >= 2).astype(int)


@exercise
def check_majority_gate(answer: Any) -> bool:
    """Exercise ex-neuron-majority: ``(weights, threshold)`` of one McCulloch–Pitts unit computing the
    3-input majority (output 1 when at least two of the three inputs are 1)."""
    try:
        weights, threshold = answer
        X = _neuron.truth_table(3)
        got = _neuron.mp_unit(X, weights, threshold)
    except (TypeError, ValueError) as exc:
        return report(False, "", f"answer must be (weights, threshold) with 3 weights and a number: {exc}")
    wrong = np.flatnonzero(got != _majority(X))
    return report(
        wrong.size == 0,
        "your unit computes the majority of three inputs on all 8 input patterns.",
        f"{wrong.size} of 8 rows of the truth table are wrong, e.g. input {X[wrong[0]].tolist()} "
        f"gives {got[wrong[0]]}" if wrong.size else "",
    )


@exercise
def check_critical_learning_rate(answer: Any) -> bool:
    """Exercise ex-neuron-critical-lr: the largest learning rate for which batch gradient descent converges on
    the worked example ``neuron.WORKED_X``, ``neuron.WORKED_T`` (to 3 significant digits)."""
    got = _number(answer, "answer must be a number")
    expected = _neuron.critical_learning_rate(_neuron.WORKED_X)
    if abs(got - expected) <= 1e-3 * expected:
        return report(True, f"right: batch learning converges for 0 < lr < {expected:.4f}.", "")
    hint = "too large: learning would diverge there" if got > expected else "too small: learning still converges above it"
    return report(False, "", f"{got:.4g} is {hint}; look at the eigenvalues of X^T X")


#: Exercise ex-neuron-logistic-gradient: a logistic neuron without bias learning AND on the four binary patterns.
EX_LOGISTIC_X: np.ndarray = _neuron.truth_table(2).astype(float)
EX_LOGISTIC_T: np.ndarray = np.array([0.0, 0.0, 0.0, 1.0])


@exercise
def check_logistic_gradient(candidate: Callable[[np.ndarray], np.ndarray] | None) -> bool:
    """Exercise ex-neuron-logistic-gradient: a function ``w -> ∂E/∂w`` for a logistic neuron without bias on
    ``EX_LOGISTIC_X``, ``EX_LOGISTIC_T``, with ``E = ½ Σ_n (t_n − y_n)²``."""
    inputs = [np.array([0.0, 0.0]), np.array([1.0, -2.0]), np.array([3.5, 0.25]), np.array([-20.0, 15.0])]

    def reference(w: np.ndarray) -> np.ndarray:
        return _neuron.logistic_error_gradient(EX_LOGISTIC_X, EX_LOGISTIC_T, w)[0]

    return check_function(candidate, reference, inputs, rtol=1e-6, atol=1e-12, what="your gradient")


# --- Issue 17: predict with the widget, derive the perceptron's mistake bound ----------------

#: Exercise ex-neuron-predict-line (predict, then move the sliders): starting from the widget's default
#: (w1, w2, b) = (1, 2, -1), does each change give "more", "fewer" or the "same" number of
#: filled (firing) points?
HYPERPLANE_DEFAULT: tuple[float, float, float] = (1.0, 2.0, -1.0)
HYPERPLANE_QUESTIONS: dict[str, tuple[float, float, float]] = {
    "multiply w1, w2 and b by 1.5": (1.5, 3.0, -1.5),
    "multiply w1, w2 and b by -1": (-1.0, -2.0, 1.0),
    "raise b from -1 to +1": (1.0, 2.0, 1.0),
}


def hyperplane_answers() -> dict[str, str]:
    """The answers to :data:`HYPERPLANE_QUESTIONS`, counted on the widget's own drawing."""
    from ..widgets.neuron import HyperplaneExplorer

    app = HyperplaneExplorer()

    def filled(params: tuple[float, float, float]) -> int:
        app.update(**dict(zip(("w1", "w2", "b"), params)))
        return len(app.pos.get_offsets())

    before = filled(HYPERPLANE_DEFAULT)
    answers = {}
    for question, params in HYPERPLANE_QUESTIONS.items():
        after = filled(params)
        answers[question] = "more" if after > before else "fewer" if after < before else "same"
    return answers


@exercise
def check_hyperplane_prediction(answer: Any) -> bool:
    """Exercise ex-neuron-predict-line: for each question of :data:`HYPERPLANE_QUESTIONS`, "more", "fewer" or "same"."""
    if not isinstance(answer, dict):
        return report(False, "", f"answer must be a dict question -> 'more'/'fewer'/'same', got {type(answer).__name__}")
    missing = [q for q in HYPERPLANE_QUESTIONS if q not in answer]
    if missing:
        return report(False, "", f"no answer for: {missing}")
    truth = hyperplane_answers()
    wrong = [q for q in HYPERPLANE_QUESTIONS if str(answer[q]).strip().lower() != truth[q]]
    return report(
        not wrong,
        "all three right: a positive factor moves nothing, a negative one swaps the two sides, "
        "and a larger b moves the line against w, so more points fire.",
        f"{len(wrong)} of 3 wrong, e.g. {wrong[0]!r}: set the sliders and count the filled points" if wrong else "",
    )


#: Exercise ex-neuron-perceptron-bound: the OR function and one separating unit (weights, bias) with which to bound
#: the number of perceptron updates.
BOUND_X: np.ndarray = _neuron.truth_table(2).astype(float)
BOUND_T: np.ndarray = np.array([0, 1, 1, 1])
BOUND_W: np.ndarray = np.array([1.0, 1.0])
BOUND_B: float = -0.5


def perceptron_bound(X: np.ndarray, t: np.ndarray, w: np.ndarray, b: float) -> float:
    """Novikoff's bound (R/γ)² on the number of perceptron updates from zero weights.

    The bias is an extra input fixed at 1: ``R`` is the largest norm of ``(x, 1)`` and ``γ``
    the smallest margin ``s_n (w·x_n + b) / |(w, b)|`` with ``s_n = ±1`` for ``t_n = 1/0``.
    """
    X = check_finite(X, "X")
    if X.ndim != 2 or X.size == 0:
        raise ValueError(f"X must be a non-empty 2-d array (one row per point), got shape {X.shape}")
    w = check_finite(w, "w")
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must have one weight per input ({X.shape[1]}), got shape {w.shape}")
    t = check_finite(t, "t")
    if t.shape != (X.shape[0],) or not np.all((t == 0) | (t == 1)):
        raise ValueError(f"t must hold one target 0 or 1 per row of X ({X.shape[0]}), got {t!r}")
    b = check_real_scalar(b, "b")
    Xa = np.column_stack([X, np.ones(len(X))])
    wa = np.append(w, b)
    if not np.any(wa):
        raise ValueError("(w, b) must not be all zeros: it must separate the data")
    s = np.where(t == 1, 1.0, -1.0)
    wa = wa / np.max(np.abs(wa))  # the margin does not depend on the scale; no overflow in |wa|²
    gamma = float(np.min(s * (Xa @ wa)) / np.linalg.norm(wa))
    if gamma <= 0:
        raise ValueError("(w, b) must separate the data with a positive margin")
    radius = float(np.max(np.linalg.norm(Xa, axis=1)))
    return (radius / gamma) ** 2


@exercise
def check_perceptron_bound(answer: Any) -> bool:
    """Exercise ex-neuron-perceptron-bound: Novikoff's bound (R/γ)² for ``BOUND_X, BOUND_T`` with the separating
    unit ``BOUND_W, BOUND_B`` (bias as an input fixed at 1), to 0.1 %."""
    got = _number(answer, "answer must be a number (of updates)")
    expected = perceptron_bound(BOUND_X, BOUND_T, BOUND_W, BOUND_B)
    if abs(got - expected) <= 1e-3 * expected:
        return report(True, f"right: at most {expected:.0f} updates, whatever the order of the patterns.", "")
    if abs(got - 2.0 / (0.5 / np.sqrt(2.0)) ** 2) <= 1e-3 * got:
        return report(False, "", "the bias is a weight too: include the constant input 1 in R and b in |w|")
    return report(False, "", f"{got:.4g} is off; R is the largest |(x, 1)|, γ the smallest s_n z_n / |(w, b)|")
