"""Check functions for the exercises: instant feedback without giving the answer away.

Each check takes the student's answer, prints a short verdict and returns ``True`` or
``False``. An unanswered exercise (``None`` or ``...``) gets a reminder, not an error,
so a notebook still runs top to bottom. The expected answers are computed here from
:mod:`neurolib`, never typed in, so they cannot drift from the chapter.

Chapters add their checks in a section of their own, named ``check_<topic>``.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

from . import activations as act

__all__ = [
    "report",
    "check_function",
    "check_array",
    "check_tanh_derivative",
    "check_stable_softmax",
    "check_softmax_jacobian",
    "check_output_functions",
]


def report(ok: bool, success: str, failure: str) -> bool:
    """Print a verdict (✅ or ❌) and return ``ok``."""
    print(("✅ " + success) if ok else ("❌ " + failure))
    return bool(ok)


def _unanswered(answer: Any) -> bool:
    if answer is None or answer is Ellipsis:
        print("⏳ Not answered yet: replace the placeholder with your answer and run the cell again.")
        return True
    return False


def check_function(
    candidate: Any,
    reference: Callable[[np.ndarray], Any],
    inputs: list[np.ndarray],
    *,
    rtol: float = 1e-7,
    atol: float = 1e-12,
    what: str = "your function",
) -> bool:
    """Compare ``candidate(x)`` with ``reference(x)`` for every ``x`` in ``inputs``.

    Reports the first input where they differ, or where the candidate raises or
    returns NaN/inf, so the student sees *where* to look.
    """
    if _unanswered(candidate):
        return False
    if not callable(candidate):
        return report(False, "", f"{what} must be a function, got {type(candidate).__name__}")
    for x in inputs:
        expected = np.asarray(reference(x), dtype=float)
        try:
            with np.errstate(all="ignore"):
                got = np.asarray(candidate(np.array(x, dtype=float)), dtype=float)
        except Exception as exc:  # show the student's error as feedback, not a traceback
            return report(False, "", f"{what} raised {type(exc).__name__}: {exc} for input {np.round(x, 3)}")
        if got.shape != expected.shape:
            return report(False, "", f"{what} returned shape {got.shape}, expected {expected.shape}")
        if not np.all(np.isfinite(got)):
            return report(False, "", f"{what} returned NaN or inf for input {np.round(x, 3)}")
        if not np.allclose(got, expected, rtol=rtol, atol=atol):
            worst = int(np.argmax(np.abs(got - expected)))
            return report(
                False,
                "",
                f"{what} is off: for input {np.round(x, 3)} entry {worst} is "
                f"{got.flat[worst]:.6g}, expected {expected.flat[worst]:.6g}",
            )
    return report(True, f"{what} matches the reference on {len(inputs)} test inputs.", "")


def check_array(answer: Any, expected: np.ndarray, *, rtol: float = 1e-3, what: str = "your answer") -> bool:
    """Compare an array answer with ``expected`` (shape and values within ``rtol``)."""
    if _unanswered(answer):
        return False
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return report(False, "", f"{what} must be numbers, got {type(answer).__name__}")
    if got.shape != expected.shape:
        return report(False, "", f"{what} has shape {got.shape}, expected {expected.shape}")
    if not np.allclose(got, expected, rtol=rtol, atol=rtol * 1e-3):
        return report(False, "", f"{what} has the right shape but wrong values; check the signs and the diagonal")
    return report(True, f"{what} is right.", "")


# --- chapter 07: activation functions ----------------------------------------------------

_WIDE = [np.linspace(-5, 5, 41), np.array([-700.0, -40.0, 0.0, 40.0, 700.0]), np.array([1e4, -1e4])]


def check_tanh_derivative(candidate: Callable[[np.ndarray], np.ndarray] | None) -> bool:
    """Exercise 7.1: a function computing tanh'(z) from tanh alone."""
    return check_function(candidate, act.tanh_derivative, _WIDE, rtol=1e-6, atol=1e-12, what="your tanh'")


def check_stable_softmax(candidate: Callable[[np.ndarray], np.ndarray] | None) -> bool:
    """Exercise 7.2: a softmax over a 1-D vector that survives huge inputs."""
    inputs = [
        np.array([0.6, 3.4, -1.2, 0.05]),
        np.array([1000.0, 1001.0, 1002.0]),
        np.array([-1000.0, -1001.0, -1002.0]),
        np.array([1e4, 0.0, -1e4]),
        np.zeros(5),
    ]
    return check_function(candidate, act.softmax, inputs, rtol=1e-9, atol=1e-15, what="your softmax")


#: The worked example of chapter 07.
WORKED_Z = np.array([0.6, 3.4, -1.2, 0.05])


def check_softmax_jacobian(answer: Any) -> bool:
    """Exercise 7.3: the 4 × 4 softmax Jacobian at the worked example ``WORKED_Z``."""
    return check_array(answer, act.softmax_jacobian(WORKED_Z), rtol=1e-3, what="your Jacobian")


#: Exercise 7.4: the tasks, and which output function each needs.
OUTPUT_TASKS: dict[str, str] = {
    "predict tomorrow's temperature in °C": "linear",
    "is this e-mail spam?": "logistic",
    "which of 10 digits is in this image?": "softmax",
}


def check_output_functions(answer: Mapping[str, str] | None) -> bool:
    """Exercise 7.4: map each task in :data:`OUTPUT_TASKS` to an output function name."""
    if _unanswered(answer):
        return False
    if not isinstance(answer, Mapping):
        return report(False, "", f"answer must be a dict task -> function name, got {type(answer).__name__}")
    missing = [task for task in OUTPUT_TASKS if task not in answer]
    if missing:
        return report(False, "", f"no answer for: {missing}")
    wrong = [task for task, fn in OUTPUT_TASKS.items() if str(answer[task]).strip().lower() != fn]
    return report(
        not wrong,
        "all three output functions are right.",
        f"{len(wrong)} of 3 wrong, e.g. for {wrong[0]!r}: think about the range of the target"
        if wrong
        else "",
    )
