"""Exercise checks of chapter 09, vanishing gradients and their remedies (model: :mod:`neurolib.deep`).

Shared machinery: :mod:`neurolib.exercises.base`.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from .base import exercise, report, _number

__all__ = [
    "check_sigmoid_product_bound",
    "check_glorot_std",
    "check_saturated_gradient",
    "check_he_std",
    "GRADIENT_FLOW_QUESTION",
    "gradient_flow_answer",
    "check_gradient_flow_prediction",
    "check_soft_target_factor",
]


@exercise
def check_sigmoid_product_bound(answer: Any) -> bool:
    """Exercise 9.1: the largest factor by which 6 logistic layers can scale an error (σ′ only)."""
    value = _number(answer)
    expected = 0.25**6
    return report(
        abs(value - expected) <= 1e-6 * expected,
        f"(1/4)^6 = {expected:.4g}: six factors of at most 1/4 each.",
        f"{value:.4g} is not it; what is the largest value of σ′(z) = σ(1 − σ), and how many factors are there?",
    )


@exercise
def check_glorot_std(candidate: Callable[[int, int], float] | None) -> bool:
    """Exercise 9.2: ``candidate(n_in, n_out)`` must return √(2 / (n_in + n_out))."""
    if not callable(candidate):
        return report(False, "", f"your function must be callable, got {type(candidate).__name__}")
    for n_in, n_out in [(2, 16), (16, 16), (16, 1), (300, 100), (1, 1)]:
        expected = float(np.sqrt(2.0 / (n_in + n_out)))
        try:
            got = float(candidate(n_in, n_out))
        except Exception as exc:  # feedback instead of a traceback
            return report(False, "", f"your function raised {type(exc).__name__}: {exc} for n_in={n_in}, n_out={n_out}")
        if not np.isfinite(got):
            return report(False, "", f"for n_in={n_in}, n_out={n_out} you return {got}, which is not a finite number")
        if not np.isclose(got, expected, rtol=1e-9):
            return report(False, "", f"for n_in={n_in}, n_out={n_out} you return {got:.6g}, expected {expected:.6g}")
    return report(True, "your Glorot standard deviation matches on 5 layer shapes.", "")


@exercise
def check_saturated_gradient(answer: Any) -> bool:
    """Exercise 9.3: ∂C/∂o of squared error for σ(o) = 0.999 and target 0."""
    value = _number(answer)
    expected = (0.999 - 0.0) * 0.999 * (1 - 0.999)
    return report(
        abs(value - expected) <= 1e-6 * expected,
        f"∂C/∂o = (σ − y) σ (1 − σ) = {expected:.4g}, a thousand times less than the error 0.999.",
        f"{value:.4g} is not it; multiply the error σ − y by σ′ = σ(1 − σ).",
    )


# --- issue 17: derive, predict, explain ------------------------------------------------------


@exercise
def check_he_std(candidate: Callable[[int], float] | None) -> bool:
    """Exercise "He's initialisation": ``candidate(n_in)`` must return √(2 / n_in).

    Compared with :func:`neurolib.deep.preserving_std` for ReLU units on five fan-ins.
    """
    from .. import deep

    if not callable(candidate):
        return report(False, "", f"your answer must be a function of n_in, got {type(candidate).__name__}")
    for n_in in (1, 2, 16, 300, 1000):
        expected = deep.preserving_std("relu", n_in)
        try:
            got = float(candidate(n_in))
        except Exception as exc:  # feedback instead of a traceback
            return report(False, "", f"your function raised {type(exc).__name__}: {exc} for n_in={n_in}")
        if not np.isfinite(got):
            return report(False, "", f"for n_in={n_in} you return {got}, which is not a finite number")
        if np.isclose(got, expected / math.sqrt(2.0), rtol=1e-9):
            return report(False, "", f"for n_in={n_in} you return 1/sqrt(n) = {got:.6g}: that is the variance-"
                          "preserving scale of a unit with f'(0) = 1 on ALL its inputs; a ReLU passes only half "
                          "of them (E[h^2] = Var(h_bar)/2)")
        if not np.isclose(got, expected, rtol=1e-9):
            return report(False, "", f"for n_in={n_in} you return {got:.6g}, expected {expected:.6g}")
    return report(True, "sqrt(2/n_in) on 5 fan-ins: n Var(w) E[h^2] = n Var(w) Var(h_bar)/2 = Var(h_bar).", "")


#: The situation of the prediction exercise: the widget's settings before and after the move.
GRADIENT_FLOW_QUESTION: dict[str, Any] = {"activation": "logistic", "init_scale": 1.0, "from_depth": 10, "to_depth": 20}
#: Accepted distance (orders of magnitude) between the prediction and the widget.
GRADIENT_FLOW_TOLERANCE: float = 1.0


#: Answers by question (the widget is deterministic: computed once per question).
_GRADIENT_FLOW_ANSWERS: dict[tuple, float] = {}


def gradient_flow_answer() -> float:
    """log10 of the first/last gradient-norm ratio that the widget shows at the new depth."""
    from ..widgets.deep import GradientFlowExplorer

    q = GRADIENT_FLOW_QUESTION
    key = tuple(sorted(q.items()))
    if key not in _GRADIENT_FLOW_ANSWERS:
        norms = GradientFlowExplorer().compute(q["to_depth"], q["activation"], q["init_scale"])
        _GRADIENT_FLOW_ANSWERS[key] = float(np.log10(norms[0] / norms[-1]))
    return _GRADIENT_FLOW_ANSWERS[key]


@exercise
def check_gradient_flow_prediction(answer: Any) -> bool:
    """Exercise "predict, then move the slider": log10(‖∂C/∂W_1‖ / ‖∂C/∂W_L‖) at depth 20.

    Right within :data:`GRADIENT_FLOW_TOLERANCE` orders of magnitude of what
    :func:`neurolib.widgets.gradient_flow_explorer` computes (logistic units, scale 1).
    """
    value = _number(answer, "answer must be one number, the log10 of the first/last ratio")
    truth = gradient_flow_answer()
    if value > 0:
        return report(False, "", f"{value:.3g} > 0 would mean that the first layer gets MORE gradient than the last; "
                      "which way does the curve slope at depth 10?")
    return report(
        abs(value - truth) <= GRADIENT_FLOW_TOLERANCE,
        f"the widget shows log10(first/last) = {truth:.1f} at depth 20: ten more factors of about 1/4 "
        f"(each -{math.log10(4):.2f} orders) after the {GRADIENT_FLOW_QUESTION['from_depth']} layers you saw.",
        f"{value:.3g} is more than one order of magnitude from the widget; how many more layers are there, "
        "and by how much does each multiply the error on its way back?",
    )


@exercise
def check_soft_target_factor(answer: Any) -> bool:
    """Exercise "why soft targets can hurt here": the factor by which 0.15/0.85 targets scale
    the error ``a − y`` of an undecided output ``a = 0.5`` (the same for both classes)."""
    from .. import deep

    value = _number(answer)
    low, high = deep.SOFT_TARGETS
    expected = (high - 0.5) / (1.0 - 0.5)
    if math.isclose(value, 1.0 / expected, rel_tol=1e-3):
        return report(False, "", f"{value:.4g} is the inverse; the soft error is the smaller one")
    return report(
        math.isclose(value, expected, rel_tol=1e-3),
        f"(0.85 - 0.5)/(1 - 0.5) = {expected:.2f}: every error, and with it every gradient, is "
        f"{100 * (1 - expected):.0f} % smaller while the outputs are undecided, like a learning rate x {expected:.2f}.",
        f"{value:.4g} is not it; compare a - y for y = 0.85 and for y = 1 at a = 0.5.",
    )
