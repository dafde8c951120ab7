"""Computed numbers for the prose of the chapters.

A chapter states numbers that its code computes, so text and code cannot drift apart.
The number is computed (and its claim asserted) in a code cell, stored in a variable
made with :func:`fmt`, and written into the Markdown with a MyST inline expression::

    rest_v = fmt(rest.v, ".1f")        # in a (hidden) code cell

    The model rests at {eval}`rest_v` mV.    # in the Markdown

Both renderers of the book evaluate ``{eval}`` in the notebook's kernel: the site build
(MyST-NB, ``execute_notebooks: inline``) and JupyterLab (``jupyterlab-myst``). They show
the value's plain-text representation, so :func:`fmt` returns a value whose ``repr`` *is*
the formatted text, while it still behaves as the number (or string) it wraps: it can be
compared, asserted and computed with.
"""

from __future__ import annotations

import numbers
from typing import Any

__all__ = ["Shown", "ShownInt", "ShownText", "fmt"]


class Shown(float):
    """A float that represents itself in a fixed format (e.g. ``"9.78"`` for ``".2f"``).

    Arithmetic on it gives plain floats; only its own ``repr`` (what ``{eval}`` shows)
    and ``str`` use the format.
    """

    spec: str

    def __new__(cls, value: float, spec: str = "") -> "Shown":
        self = super().__new__(cls, value)
        self.spec = spec
        return self

    def __repr__(self) -> str:
        return format(float(self), self.spec)

    __str__ = __repr__

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Shown, (float(self), self.spec))


class ShownInt(int):
    """An integer that represents itself in a fixed format (e.g. ``"12,345"`` for ``","``)."""

    spec: str

    def __new__(cls, value: int, spec: str = "") -> "ShownInt":
        self = super().__new__(cls, value)
        self.spec = spec
        return self

    def __repr__(self) -> str:
        return format(int(self), self.spec)

    __str__ = __repr__

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (ShownInt, (int(self), self.spec))


class ShownText(str):
    """A string that represents itself without quotes (what ``{eval}`` shows)."""

    def __repr__(self) -> str:
        return str.__str__(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


def fmt(value: Any, spec: str = "") -> Shown | ShownInt | ShownText:
    """A number or text to show in the prose, formatted with ``spec``.

    Parameters
    ----------
    value : real number or str
        The computed value (a Python or NumPy scalar, or a 0-d array), or a ready string.
    spec : str, optional
        A format specification as for :func:`format`, e.g. ``".2f"``, ``",.0f"``,
        ``".1e"``, ``".0%"``. Ignored for strings.

    Returns
    -------
    Shown, ShownInt or ShownText
        ``ShownInt`` (an int) for integers, ``Shown`` (a float) for other numbers,
        ``ShownText`` (a str) for text; their ``repr`` is the formatted text.

    Raises
    ------
    TypeError
        If ``value`` is neither a real number nor a string, or ``spec`` is not a string.
    ValueError
        If ``value`` is not finite or ``spec`` is not a valid format for a float.

    Examples
    --------
    >>> fmt(9.7795, ".2f")
    9.78
    >>> fmt(12345.6, ",.0f") + 1
    12346.6
    """
    if not isinstance(spec, str):
        raise TypeError(f"spec must be a format specification (str), got {type(spec).__name__}")
    if isinstance(value, str):
        return ShownText(value)
    if hasattr(value, "ndim") and getattr(value, "ndim", None) == 0:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"value must be a real number or a str, got {type(value).__name__}")
    if isinstance(value, numbers.Integral):
        try:
            format(int(value), spec)
        except ValueError as err:
            raise ValueError(f"spec must be a format specification for an int, got {spec!r} ({err})") from None
        return ShownInt(int(value), spec)
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"value must be finite to be shown in the text, got {number}")
    try:
        format(number, spec)
    except ValueError as err:
        raise ValueError(f"spec must be a format specification for a float, got {spec!r} ({err})") from None
    return Shown(number, spec)
