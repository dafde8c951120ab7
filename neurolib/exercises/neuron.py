"""Exercise checks of chapter 06, the artificial neuron (model: :mod:`neurolib.neuron`).

Shared machinery: :mod:`neurolib.exercises.base`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import neuron as _neuron
from .base import check_function, exercise, report, _number

__all__ = ["check_majority_gate", "check_critical_learning_rate", "EX_LOGISTIC_X", "EX_LOGISTIC_T", "check_logistic_gradient"]


def _majority(X: np.ndarray) -> np.ndarray:
    return (X.sum(axis=1) >= 2).astype(int)


@exercise
def check_majority_gate(answer: Any) -> bool:
    """Exercise 6.1: ``(weights, threshold)`` of one McCulloch–Pitts unit computing the
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
    """Exercise 6.2: the largest learning rate for which batch gradient descent converges on
    the worked example ``neuron.WORKED_X``, ``neuron.WORKED_T`` (to 3 significant digits)."""
    got = _number(answer, "answer must be a number")
    expected = _neuron.critical_learning_rate(_neuron.WORKED_X)
    if abs(got - expected) <= 1e-3 * expected:
        return report(True, f"right: batch learning converges for 0 < lr < {expected:.4f}.", "")
    hint = "too large: learning would diverge there" if got > expected else "too small: learning still converges above it"
    return report(False, "", f"{got:.4g} is {hint}; look at the eigenvalues of X^T X")


#: Exercise 6.3: a logistic neuron without bias learning AND on the four binary patterns.
EX_LOGISTIC_X: np.ndarray = _neuron.truth_table(2).astype(float)
EX_LOGISTIC_T: np.ndarray = np.array([0.0, 0.0, 0.0, 1.0])


@exercise
def check_logistic_gradient(candidate: Callable[[np.ndarray], np.ndarray] | None) -> bool:
    """Exercise 6.3: a function ``w -> ∂E/∂w`` for a logistic neuron without bias on
    ``EX_LOGISTIC_X``, ``EX_LOGISTIC_T``, with ``E = ½ Σ_n (t_n − y_n)²``."""
    inputs = [np.array([0.0, 0.0]), np.array([1.0, -2.0]), np.array([3.5, 0.25]), np.array([-20.0, 15.0])]

    def reference(w: np.ndarray) -> np.ndarray:
        return _neuron.logistic_error_gradient(EX_LOGISTIC_X, EX_LOGISTIC_T, w)[0]

    return check_function(candidate, reference, inputs, rtol=1e-6, atol=1e-12, what="your gradient")
