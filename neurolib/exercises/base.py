"""Check functions for the exercises: instant feedback without giving the answer away.

Each check takes the student's answer, prints a short verdict and returns ``True`` or
``False``. An unanswered exercise (``None`` or ``...``) gets a reminder, not an error,
so a notebook still runs top to bottom. The expected answers are computed here from
:mod:`neurolib`, never typed in, so they cannot drift from the chapter.

Each chapter's checks live in a module named after the chapter's model module
(``neurolib/exercises/hh.py`` for ``neurolib/hh.py``); this module holds what they share.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

__all__ = ["report", "check_function", "check_array"]


def report(ok: bool, success: str, failure: str) -> bool:
    """Print a verdict ("Correct: ..." or "Not yet: ...") and return ``ok``.

    Plain text, no emoji: every font of every reader's browser has these glyphs.
    """
    print(("Correct: " + success) if ok else ("Not yet: " + failure))
    return bool(ok)


def _unanswered(answer: Any) -> bool:
    if answer is None or answer is Ellipsis:
        print("Not answered yet: replace None with your answer, then run the cell again.")
        return True
    return False


def _number(answer: Any, requirement: str = "answer must be a number") -> float | None:
    """The answer as a float, or None after telling the student what is wrong."""
    if _unanswered(answer):
        return None
    try:
        return float(answer)
    except (TypeError, ValueError):
        report(False, "", f"{requirement}, got {type(answer).__name__}")
        return None


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
