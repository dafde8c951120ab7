"""Check functions for the exercises: instant feedback without giving the answer away.

Each check takes the student's answer, prints a short verdict and returns ``True`` or
``False``. An unanswered exercise (``None`` or ``...``) gets a reminder, not an error, and
the check returns ``None`` (nothing shows under the cell), so a notebook still runs top to
bottom. An answer that is not a finite number is told so. The expected answers are computed here from
:mod:`neurolib`, never typed in, so they cannot drift from the chapter.

Each chapter's checks live in a module named after the chapter's model module
(``neurolib/exercises/hh.py`` for ``neurolib/hh.py``); this module holds what they share.
"""

from __future__ import annotations

import functools
import math
from typing import Any, Callable, TypeVar

import numpy as np

from .._checks import check_callable

__all__ = ["report", "exercise", "check_function", "check_array"]


def report(ok: bool, success: str, failure: str) -> bool:
    """Print a verdict ("Correct: ..." or "Not yet: ...") and return ``ok``.

    Plain text, no emoji: every font of every reader's browser has these glyphs.

    Parameters
    ----------
    ok : bool
        Whether the answer is right.
    success, failure : str
        The message printed after "Correct: " or after "Not yet: ".

    Returns
    -------
    bool
        ``ok``.
    """
    print(("Correct: " + success) if ok else ("Not yet: " + failure))
    return bool(ok)


#: The verdict on an answer that made a check fail in a way it did not foresee.
UNCHECKABLE = "your answer could not be checked; give the kind of answer the exercise asks for"


class _Rejected(Exception):
    """Raised by a helper after it has printed why an answer cannot be checked."""


def _unanswered(answer: Any) -> bool:
    """Whether ``answer`` is the placeholder ``None`` or ``...`` (then print a reminder)."""
    if answer is None or answer is Ellipsis:
        print("Not answered yet: replace None with your answer, then run the cell again.")
        return True
    return False


_Check = TypeVar("_Check", bound=Callable[..., Any])


def exercise(check: _Check) -> _Check:
    """Decorator of every check function: the shared handling of the student's answer.

    The decorated check receives the answer as its first argument. An unanswered exercise
    (``None`` or ``...``) prints a reminder and returns ``None``, which a notebook does not
    display, so a chapter runs top to bottom without a stray ``False`` under every exercise.
    A helper that has already explained why an answer cannot be checked (e.g.
    :func:`_number` given a word or NaN) makes the check return ``False``; otherwise the check
    returns its own verdict: ``True`` for a right answer, ``False`` for a wrong one. An answer
    that no check foresaw (one whose conversion to a number or array raises something other
    than TypeError/ValueError) still gets a verdict, ``False``, naming the error: a check
    never raises (issue 18; ``tests/test_api_contract.py`` feeds every check bad answers).

    Parameters
    ----------
    check : callable
        ``check(answer, ...) -> bool``.

    Returns
    -------
    callable
        The wrapped check, returning ``True``, ``False`` or ``None`` (unanswered).

    Raises
    ------
    TypeError
        If ``check`` is not callable.
    """
    check_callable(check, "check", "check(answer, ...) -> bool")

    @functools.wraps(check)
    def wrapper(answer: Any, *args: Any, **kwargs: Any) -> bool | None:
        if _unanswered(answer):
            return None
        try:
            return check(answer, *args, **kwargs)
        except _Rejected:
            return False
        except Exception as exc:  # noqa: BLE001 - a verdict for the student, never a traceback
            return report(False, "", f"{UNCHECKABLE} ({type(exc).__name__}: {exc})")

    return wrapper  # type: ignore[return-value]


def _number(answer: Any, requirement: str = "answer must be a number") -> float:
    """The answer as a finite float; otherwise say what is wrong and reject the answer.

    Use it inside a check decorated with :func:`exercise`: a word, a list or an unanswered
    part prints ``requirement`` (or the reminder), NaN or ±inf prints "... is not a finite
    number", and the check then returns ``False``.
    """
    if _unanswered(answer):
        raise _Rejected
    try:
        value = float(answer)
    except (TypeError, ValueError):
        report(False, "", f"{requirement}, got {type(answer).__name__}")
        raise _Rejected from None
    if not math.isfinite(value):
        report(False, "", f"your answer {value} is not a finite number; {requirement}")
        raise _Rejected
    return value


@exercise
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

    Parameters
    ----------
    candidate : callable or None
        The student's function (``None`` or ``...``: unanswered).
    reference : callable
        The right function, from :mod:`neurolib`.
    inputs : list of numpy.ndarray
        The test inputs.
    rtol, atol : float
        Relative and absolute tolerance of the comparison.
    what : str
        How the feedback names the candidate.

    Returns
    -------
    bool or None
        True if it matches on every input, False if not, None if unanswered.
    """
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


@exercise
def check_array(answer: Any, expected: np.ndarray, *, rtol: float = 1e-3, what: str = "your answer") -> bool:
    """Compare an array answer with ``expected`` (shape and values within ``rtol``).

    Parameters
    ----------
    answer : array_like or None
        The student's numbers (``None`` or ``...``: unanswered).
    expected : numpy.ndarray
        The right values.
    rtol : float
        Relative tolerance (the absolute one is ``rtol * 1e-3``).
    what : str
        How the feedback names the answer.

    Returns
    -------
    bool or None
        True if right, False if not, None if unanswered.
    """
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return report(False, "", f"{what} must be numbers, got {type(answer).__name__}")
    if got.shape != expected.shape:
        return report(False, "", f"{what} has shape {got.shape}, expected {expected.shape}")
    if not np.all(np.isfinite(got)):
        return report(False, "", f"{what} has an entry that is not a finite number (NaN or inf)")
    if not np.allclose(got, expected, rtol=rtol, atol=rtol * 1e-3):
        return report(False, "", f"{what} has the right shape but wrong values; check the signs and the diagonal")
    return report(True, f"{what} is right.", "")
