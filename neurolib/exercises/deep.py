"""Exercise checks of chapter 09, vanishing gradients and their remedies (model: :mod:`neurolib.deep`).

Shared machinery: :mod:`neurolib.exercises.base`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .base import exercise, report, _number

__all__ = ["check_sigmoid_product_bound", "check_glorot_std", "check_saturated_gradient"]


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
