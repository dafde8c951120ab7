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
from typing import Any, Callable

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
    "check_seed",
    "check_bool",
    "check_in_range",
    "check_size",
    "check_steps",
    "check_memory",
    "check_callable",
    "check_instance",
    "check_names",
    "MEMORY_BUDGET",
    "MAX_STEPS",
]

#: Largest array (bytes) a public function may allocate before refusing with a
#: :class:`ValueError` that says how large it would be and which argument to change.
#: Tests may lower it (it is read at call time).
MEMORY_BUDGET: int = 2**30
#: Largest number of time steps a simulation may run (a Python-level time loop does
#: about a million steps per second, so this is minutes, not hours). Read at call time.
MAX_STEPS: int = 50_000_000


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


def check_int(value: Any, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an int after checking its type and bounds."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {_short(value)}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_bool(value: Any, name: str) -> bool:
    """Return ``value`` if it is True or False (NumPy booleans included), else raise TypeError."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {_short(value)}")
    return bool(value)


def check_in_range(value: Any, name: str, low: float, high: float, unit: str = "", *,
                   closed: tuple[bool, bool] = (True, True)) -> float:
    """Return ``value`` as a float after checking ``low <= value <= high``
    (``<`` on an open side, chosen with ``closed``)."""
    value = check_real_scalar(value, name, unit)
    ok_low = value >= low if closed[0] else value > low
    ok_high = value <= high if closed[1] else value < high
    if not (ok_low and ok_high):
        brackets = ("[" if closed[0] else "(") + f"{low:g}, {high:g}" + ("]" if closed[1] else ")")
        raise ValueError(f"{name} must be in {brackets}{_unit(unit)}, got {value:g}")
    return value


def _bytes(n: float) -> str:
    if not math.isfinite(n):
        return "an unbounded amount of memory"
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        if n < 1024 or unit == "EiB":
            return f"{n:.3g} {unit}"
        n /= 1024
    return f"{n:.3g} EiB"  # pragma: no cover


def check_memory(n_values: float, fix: str, *, what: str = "the result", itemsize: int = 8) -> None:
    """Refuse, before allocating, an array of ``n_values`` entries larger than :data:`MEMORY_BUDGET`.

    Parameters
    ----------
    n_values : float
        Number of entries the caller is about to allocate (may be a float or inf, computed
        from the arguments without allocating).
    fix : str
        Which argument(s) to change, e.g. ``"reduce t_max or increase dt"``.
    what : str
        What would be allocated, for the message.
    itemsize : int
        Bytes per entry (8 for float64).

    Raises
    ------
    ValueError
        Naming the size, the budget and ``fix``.
    """
    n_bytes = float(n_values) * itemsize
    if not n_bytes <= MEMORY_BUDGET:
        raise ValueError(
            f"{what} would need {float(n_values):.3g} values ({_bytes(n_bytes)}), more than the "
            f"memory budget of {_bytes(MEMORY_BUDGET)}; {fix}"
        )


def check_size(value: Any, name: str, *, minimum: int = 1, per_item: float = 1.0,
               fix: str | None = None) -> int:
    """Return a count (number of neurons, trains, samples, ...) as an int, refusing one
    whose arrays (``value * per_item`` float64 entries) would not fit :data:`MEMORY_BUDGET`."""
    value = check_int(value, name, minimum=minimum)
    check_memory(value * per_item, fix or f"reduce {name}", what=f"{name}={value}")
    return value


def check_steps(t_max: float, dt: float, *, t_name: str = "t_max", dt_name: str = "dt",
                per_step: float = 0.0, minimum: int = 1) -> int:
    """Number of time steps ``round(t_max / dt)``, refused if above :data:`MAX_STEPS` or if
    recording ``per_step`` float64 values per step would not fit :data:`MEMORY_BUDGET`.

    ``t_max`` and ``dt`` must already be checked (finite, > 0).
    """
    fix = f"reduce {t_name} ({t_max:g}) or increase {dt_name} ({dt:g})"
    ratio = t_max / dt
    if not ratio <= MAX_STEPS:
        raise ValueError(
            f"{t_name}/{dt_name} = {ratio:.3g} time steps is more than the limit of "
            f"{MAX_STEPS:.3g}; {fix}"
        )
    n_steps = int(round(ratio))
    if n_steps < minimum:
        raise ValueError(f"{t_name}/{dt_name} must be >= {minimum} time step(s), got {ratio:.3g}; {fix}")
    if per_step:
        check_memory((n_steps + 1) * per_step, fix, what=f"recording {n_steps + 1} time points")
    return n_steps


def check_callable(value: Any, name: str, expects: str = "") -> Callable[..., Any]:
    """Return ``value`` if it is callable, else raise TypeError (``expects`` describes the call)."""
    if not callable(value):
        hint = f" {expects}" if expects else ""
        raise TypeError(f"{name} must be a function{hint}, got {type(value).__name__} {_short(value)}")
    return value


def check_instance(value: Any, name: str, cls: type | tuple[type, ...], what: str | None = None) -> Any:
    """Return ``value`` if it is an instance of ``cls``, else raise TypeError naming ``name``."""
    if not isinstance(value, cls):
        if what is None:
            classes = cls if isinstance(cls, tuple) else (cls,)
            what = " or ".join(f"a {c.__name__}" for c in classes)
        raise TypeError(f"{name} must be {what}, got {type(value).__name__} {_short(value)}")
    return value


def check_names(value: Any, name: str, choices: Iterable[str] | Mapping[str, Any],
                what: str | None = None) -> tuple[str, ...]:
    """Check a sequence of names (a single string counts as one name); return them as a tuple.

    ``what`` names one choice in the error, as in :func:`check_choice`."""
    if isinstance(value, str):
        value = (value,)
    try:
        items = tuple(value)
    except TypeError:
        raise TypeError(f"{name} must be a name or a sequence of names, got {type(value).__name__} {_short(value)}") from None
    if not items:
        raise ValueError(f"{name} must name at least one entry, got an empty {type(value).__name__}")
    valid = list(choices)
    for item in items:
        check_choice(item, name, valid, what)
    return items


def check_choice(value: Any, name: str, choices: Iterable[str] | Mapping[str, Any], what: str | None = None) -> str:
    """Check that ``value`` is one of ``choices`` and return it.

    The error lists every valid choice, so the reader can fix a typo at once. ``what`` names
    the kind of choice when it differs from the argument ``name``, e.g.
    ``check_choice(hidden, "hidden", ACTIVATIONS, "activation")`` gives
    ``hidden: unknown activation 'x'; valid activations are: ...``.
    """
    valid = list(choices)
    if not isinstance(value, str) or value not in valid:
        prefix = f"{name}: " if what and what != name else ""
        what = what or name
        raise ValueError(f"{prefix}unknown {what} {_short(value)}; valid {what}s are: {', '.join(map(repr, valid))}")
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
    return np.random.default_rng(check_seed(seed))


def check_seed(seed: Any, name: str = "seed") -> Any:
    """Return ``seed`` if it is None, an integer >= 0 or a :class:`numpy.random.SeedSequence`."""
    if seed is None or isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{name} must be an integer or None, got {type(seed).__name__} {_short(seed)}")
    if seed < 0:
        raise ValueError(f"{name} must be an integer >= 0 or None, got {seed}")
    return int(seed)
