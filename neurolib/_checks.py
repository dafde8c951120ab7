"""Shared validation for every public function in :mod:`neurolib`.

All checks raise :class:`TypeError` (wrong kind of object) or :class:`ValueError`
(right kind, bad value) with a message that names the parameter, shows the value
and, where there is one, says how to fix it, e.g.::

    ValueError: dt must be > 0 ms, got -0.1

Chapters call these helpers instead of writing their own ``if`` statements, so
that the wording of errors is the same across the book.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

__all__ = [
    "as_real_array",
    "check_finite",
    "check_positive",
    "check_nonnegative",
    "check_real_scalar",
    "check_int",
    "check_choice",
    "check_axis",
    "check_same_shape",
    "check_rng",
]


def _unit(unit: str) -> str:
    return f" {unit}" if unit else ""


def _short(value: Any) -> str:
    """A representation of ``value`` short enough for an error message."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def as_real_array(x: Any, name: str, *, allow_nan: bool = False, allow_inf: bool = True) -> np.ndarray:
    """Convert ``x`` to a float64 array, refusing non-numeric and complex input.

    Parameters
    ----------
    x : array_like
        Scalar, sequence or array of real numbers (booleans and integers are accepted).
    name : str
        Name of the parameter, used in error messages.
    allow_nan : bool, default False
        If False, any NaN raises :class:`ValueError`.
    allow_inf : bool, default True
        If False, any infinite entry raises :class:`ValueError`.

    Returns
    -------
    numpy.ndarray
        A float64 array (a 0-d array for scalar input).

    Raises
    ------
    TypeError
        If ``x`` is not real-valued numeric data (strings, objects, complex numbers).
    ValueError
        If ``x`` contains NaN (or inf) and that is not allowed.
    """
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be a real number or an array of real numbers, got the string {_short(x)}")
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged nested sequences
        raise TypeError(f"{name} must be a real number or an array of real numbers, got {_short(x)}") from exc
    if arr.dtype.kind in "c":
        raise TypeError(f"{name} must be real, got complex values such as {_short(arr.flat[0])}")
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must be a real number or an array of real numbers, "
            f"got {type(x).__name__} with dtype {arr.dtype}: {_short(x)}"
        )
    arr = arr.astype(np.float64, copy=False)
    if not allow_nan and arr.size and np.isnan(arr).any():
        n_bad = int(np.isnan(arr).sum())
        raise ValueError(f"{name} must not contain NaN, got {n_bad} NaN value(s) out of {arr.size}")
    if not allow_inf and arr.size and np.isinf(arr).any():
        n_bad = int(np.isinf(arr).sum())
        raise ValueError(f"{name} must be finite, got {n_bad} infinite value(s) out of {arr.size}")
    return arr


def check_finite(x: Any, name: str) -> np.ndarray:
    """Return ``x`` as a float array after checking it has no NaN or inf."""
    return as_real_array(x, name, allow_nan=False, allow_inf=False)


def check_real_scalar(value: Any, name: str, unit: str = "") -> float:
    """Return ``value`` as a finite Python float, or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
            value = value.item()
        else:
            raise TypeError(f"{name} must be a real number{_unit(unit)}, got {type(value).__name__} {_short(value)}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number{_unit(unit)}, got {value}")
    return value


def check_positive(value: Any, name: str, unit: str = "") -> float:
    """Return ``value`` as a float after checking that it is finite and > 0.

    Examples
    --------
    >>> check_positive(0.1, "dt", "ms")
    0.1
    >>> check_positive(-0.1, "dt", "ms")
    Traceback (most recent call last):
    ...
    ValueError: dt must be > 0 ms, got -0.1
    """
    value = check_real_scalar(value, name, unit)
    if value <= 0:
        raise ValueError(f"{name} must be > 0{_unit(unit)}, got {value:g}")
    return value


def check_nonnegative(value: Any, name: str, unit: str = "") -> float:
    """Return ``value`` as a float after checking that it is finite and >= 0."""
    value = check_real_scalar(value, name, unit)
    if value < 0:
        raise ValueError(f"{name} must be >= 0{_unit(unit)}, got {value:g}")
    return value


def check_int(value: Any, name: str, *, minimum: int | None = None) -> int:
    """Return ``value`` as an int after checking its type and lower bound."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {_short(value)}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def check_choice(value: Any, name: str, choices: Iterable[str] | Mapping[str, Any]) -> str:
    """Check that ``value`` is one of ``choices`` and return it.

    The error lists every valid choice, so the reader can fix a typo at once.
    """
    valid = list(choices)
    if not isinstance(value, str) or value not in valid:
        raise ValueError(f"unknown {name} {_short(value)}; valid {name}s are: {', '.join(map(repr, valid))}")
    return value


def check_axis(axis: Any, ndim: int, name: str = "axis") -> int:
    """Return ``axis`` normalised to ``0 <= axis < ndim`` or raise a clear error."""
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(axis).__name__} {_short(axis)}")
    if ndim == 0:
        raise ValueError(f"{name}={axis} needs an array with at least one dimension, got a scalar")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}={axis} is out of range for an array with {ndim} dimension(s)")
    return int(axis) % ndim


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise ``ValueError`` if two arrays do not have the same shape."""
    if np.shape(a) != np.shape(b):
        raise ValueError(f"{name_a} and {name_b} must have the same shape, got {np.shape(a)} and {np.shape(b)}")


def check_rng(seed: Any = None, rng: Any = None) -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` from a ``seed`` or an ``rng``.

    Exactly one source of randomness is used: an explicit ``rng`` wins; otherwise
    ``numpy.random.default_rng(seed)``. Global NumPy random state is never used.
    """
    if rng is not None:
        if seed is not None:
            raise ValueError("give either seed or rng, not both")
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
        return rng
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (numbers.Integral, np.random.SeedSequence))):
        raise TypeError(f"seed must be an integer or None, got {type(seed).__name__} {_short(seed)}")
    return np.random.default_rng(seed)
