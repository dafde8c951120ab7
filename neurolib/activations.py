"""Activation (transfer) functions and their derivatives.

Chapter 07 of the book explains every function here; chapters 05, 08 and 09 reuse them.
All functions take a net activation ``z`` (dimensionless; a scalar or any array) and
return an array of the same shape (a Python float for scalar input).

The textbook formulas are shown in the chapter; the code calls the numerically robust
versions in :mod:`scipy.special` (``expit``, ``softmax``, ``log_softmax``), so that
``|z|`` up to 1e4 and beyond never overflows or returns NaN.

Conventions
-----------
* The step and the ReLU use the McCulloch–Pitts convention ``z >= 0 -> active``, so
  ``step(0) = 1`` and ``relu_derivative(0) = 1``.
* Derivatives at kinks take the value of the right-hand side; the step and one-hot
  "derivatives" are zero wherever they exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
from scipy import special

from ._checks import as_real_array, check_axis, check_choice, check_positive, check_real_scalar

__all__ = [
    "step",
    "step_derivative",
    "linear",
    "linear_derivative",
    "relu",
    "relu_derivative",
    "leaky_relu",
    "leaky_relu_derivative",
    "clip",
    "clip_derivative",
    "logistic",
    "logistic_derivative",
    "tanh",
    "tanh_derivative",
    "softmax",
    "log_softmax",
    "softmax_jacobian",
    "one_hot",
    "Activation",
    "ACTIVATIONS",
    "get_activation",
    "LEAKY_SLOPE",
]

#: Slope of the leaky ReLU for z < 0 (Maas et al. 2013).
LEAKY_SLOPE: float = 0.01

ArrayLike = Any  # scalars, sequences and numpy arrays of real numbers


def _z(z: ArrayLike, name: str = "z") -> np.ndarray:
    """Validate a net activation: real numbers, no NaN (infinities are allowed)."""
    return as_real_array(z, name, allow_nan=False)


def _out(result: np.ndarray, like: np.ndarray) -> np.ndarray | float:
    """Return a float for scalar input, else a float array of the input's shape."""
    if like.ndim == 0:
        return float(result)
    return np.asarray(result, dtype=np.float64)


# --- single-neuron functions ----------------------------------------------------


def step(z: ArrayLike) -> np.ndarray | float:
    """Binary threshold (Heaviside step): 1 if ``z >= 0`` else 0.

    Parameters
    ----------
    z : array_like
        Net activation (dimensionless).

    Returns
    -------
    ndarray or float
        0.0 or 1.0 for every entry of ``z``.
    """
    z = _z(z)
    return _out((z >= 0).astype(np.float64), z)


def step_derivative(z: ArrayLike) -> np.ndarray | float:
    """Derivative of :func:`step`: 0 everywhere it exists (taken as 0 at ``z = 0``)."""
    z = _z(z)
    return _out(np.zeros_like(z), z)


def linear(z: ArrayLike) -> np.ndarray | float:
    """Identity (linear) activation ``f(z) = z``."""
    z = _z(z)
    return _out(z.copy(), z)


def linear_derivative(z: ArrayLike) -> np.ndarray | float:
    """Derivative of :func:`linear`: 1 everywhere."""
    z = _z(z)
    return _out(np.ones_like(z), z)


def relu(z: ArrayLike) -> np.ndarray | float:
    """Rectified linear unit ``max(0, z)``."""
    z = _z(z)
    return _out(np.maximum(z, 0.0), z)


def relu_derivative(z: ArrayLike) -> np.ndarray | float:
    """Derivative of :func:`relu`: 1 for ``z >= 0``, else 0."""
    z = _z(z)
    return _out((z >= 0).astype(np.float64), z)


def _slope(slope: float) -> float:
    slope = check_real_scalar(slope, "slope")
    if not 0 <= slope < 1:
        raise ValueError(f"slope must be in [0, 1) for a leaky ReLU, got {slope:g}")
    return slope


def leaky_relu(z: ArrayLike, slope: float = LEAKY_SLOPE) -> np.ndarray | float:
    """Leaky ReLU ``max(slope * z, z)``.

    Parameters
    ----------
    z : array_like
        Net activation (dimensionless).
    slope : float, default 0.01
        Slope for negative ``z``; must lie in [0, 1).
    """
    z = _z(z)
    slope = _slope(slope)
    return _out(np.where(z >= 0, z, slope * z), z)


def leaky_relu_derivative(z: ArrayLike, slope: float = LEAKY_SLOPE) -> np.ndarray | float:
    """Derivative of :func:`leaky_relu`: 1 for ``z >= 0``, else ``slope``."""
    z = _z(z)
    slope = _slope(slope)
    return _out(np.where(z >= 0, 1.0, slope), z)


def _bounds(low: float, high: float) -> tuple[float, float]:
    low = check_real_scalar(low, "low")
    high = check_real_scalar(high, "high")
    if not low < high:
        raise ValueError(f"low must be < high for clip, got low={low:g}, high={high:g}")
    return low, high


def clip(z: ArrayLike, low: float = 0.0, high: float = 1.0) -> np.ndarray | float:
    """Piecewise-linear saturation: ``z`` clipped to ``[low, high]``.

    Parameters
    ----------
    z : array_like
        Net activation (dimensionless).
    low, high : float, default 0 and 1
        Output bounds, ``low < high`` (e.g. a firing rate between 0 and its maximum).
    """
    z = _z(z)
    low, high = _bounds(low, high)
    return _out(np.clip(z, low, high), z)


def clip_derivative(z: ArrayLike, low: float = 0.0, high: float = 1.0) -> np.ndarray | float:
    """Derivative of :func:`clip`: 1 for ``low <= z < high``, else 0."""
    z = _z(z)
    low, high = _bounds(low, high)
    return _out(((z >= low) & (z < high)).astype(np.float64), z)


def logistic(z: ArrayLike) -> np.ndarray | float:
    """Logistic sigmoid ``1 / (1 + exp(-z))``, in (0, 1).

    Computed with :func:`scipy.special.expit`, which never overflows.
    """
    z = _z(z)
    return _out(special.expit(z), z)


def logistic_derivative(z: ArrayLike) -> np.ndarray | float:
    """Derivative of :func:`logistic`, ``σ(z) (1 − σ(z))``; largest (1/4) at ``z = 0``.

    Evaluated as ``σ(z) σ(−z)``, which equals ``σ(1 − σ)`` but keeps full relative
    precision in the tails, where ``1 − σ(z)`` would round to 0.
    """
    z = _z(z)
    return _out(special.expit(z) * special.expit(-z), z)


def tanh(z: ArrayLike) -> np.ndarray | float:
    """Hyperbolic tangent, in (−1, 1); ``tanh(z) = 2 σ(2z) − 1``."""
    z = _z(z)
    return _out(np.tanh(z), z)


def tanh_derivative(z: ArrayLike) -> np.ndarray | float:
    """Derivative of :func:`tanh`, ``1 − tanh(z)² = 4 σ(2z) σ(−2z)``; 1 at ``z = 0``."""
    z = _z(z)
    with np.errstate(over="ignore"):  # |z| > 9e307: 2z = ±inf, and the derivative is 0 as it should be
        return _out(4.0 * special.expit(2.0 * z) * special.expit(-2.0 * z), z)


# --- multi-neuron functions ---------------------------------------------------------


def _logits(z: ArrayLike, axis: int, temperature: float) -> tuple[np.ndarray, int]:
    z = _z(z)
    if z.ndim == 0:
        raise ValueError("z must have at least one dimension for softmax-type functions, got a scalar")
    axis = check_axis(axis, z.ndim)
    if z.shape[axis] == 0:
        raise ValueError(f"z must have at least one entry along axis {axis}, got shape {z.shape}")
    if np.isposinf(z).any():
        raise ValueError("z must not contain +inf for softmax; use large finite values instead")
    if np.isneginf(z).all(axis=axis).any():
        raise ValueError("every slice of z along the softmax axis needs at least one entry > -inf")
    temperature = check_positive(temperature, "temperature")
    if temperature == 1.0:
        return z, axis
    # subtract the maximum before dividing: z / T overflows to inf - inf = NaN for a tiny T,
    # while (z - max) / T only goes to -inf (probability 0), giving the one-hot limit
    with np.errstate(over="ignore"):
        return (z - z.max(axis=axis, keepdims=True)) / temperature, axis


def softmax(z: ArrayLike, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    """Softmax ``y_i = exp(z_i / T) / Σ_j exp(z_j / T)`` along ``axis``.

    Parameters
    ----------
    z : array_like
        Net activations of a group of neurons (at least 1-D). ``-inf`` entries get
        probability 0.
    axis : int, default -1
        Axis along which the outputs sum to 1.
    temperature : float, default 1
        ``T > 0``. ``T → 0`` gives :func:`one_hot`; large ``T`` gives a uniform output.

    Returns
    -------
    ndarray
        Same shape as ``z``, entries in [0, 1] summing to 1 along ``axis``.
    """
    z, axis = _logits(z, axis, temperature)
    return special.softmax(z, axis=axis)


def log_softmax(z: ArrayLike, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    """Logarithm of :func:`softmax`, computed without forming the softmax (no log(0))."""
    z, axis = _logits(z, axis, temperature)
    return special.log_softmax(z, axis=axis)


def softmax_jacobian(z: ArrayLike) -> np.ndarray:
    """Jacobian of the softmax, ``J[..., i, j] = ∂y_i/∂z_j = y_i (δ_ij − y_j)``.

    Parameters
    ----------
    z : array_like, shape (..., n)
        Net activations; the softmax is taken along the last axis.

    Returns
    -------
    ndarray, shape (..., n, n)
        The (symmetric) Jacobian for every leading index. Its diagonal is
        ``y_i (1 − y_i)`` and its off-diagonal entries are ``−y_i y_j``.
    """
    y = softmax(z, axis=-1)
    return y[..., :, None] * (np.eye(y.shape[-1]) - y[..., None, :])


def one_hot(z: ArrayLike, axis: int = -1) -> np.ndarray:
    """One-hot code of the arg-max along ``axis``: 1 for the largest entry, 0 elsewhere.

    Ties go to the first largest entry, as in :func:`numpy.argmax`. This is the
    ``temperature → 0`` limit of :func:`softmax`.
    """
    z = _z(z)
    if z.ndim == 0:
        raise ValueError("z must have at least one dimension for one_hot, got a scalar")
    axis = check_axis(axis, z.ndim)
    if z.shape[axis] == 0:
        raise ValueError(f"z must have at least one entry along axis {axis}, got shape {z.shape}")
    winner = np.expand_dims(np.argmax(z, axis=axis), axis)
    out = np.zeros_like(z)
    np.put_along_axis(out, winner, 1.0, axis=axis)
    return out


# --- a registry of the element-wise functions ----------------------------------------


@dataclass(frozen=True)
class Activation:
    """An element-wise activation function bundled with its derivative.

    Attributes
    ----------
    name : str
        Key in :data:`ACTIVATIONS`.
    f, df : callable
        The function and its derivative, both ``ndarray -> ndarray``.
    formula : str
        LaTeX for tables and static figures.
    text : str
        The same formula in plain Unicode (cheap to draw in widgets).
    output_range : tuple of float
        Infimum and supremum of the output.
    """

    name: str
    f: Callable[[ArrayLike], np.ndarray | float]
    df: Callable[[ArrayLike], np.ndarray | float]
    formula: str
    text: str
    output_range: tuple[float, float]

    def __call__(self, z: ArrayLike) -> np.ndarray | float:
        return self.f(z)


#: The element-wise activation functions of chapter 07, by name.
ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation("step", step, step_derivative, r"$\Theta(z)$", "1 if z \u2265 0 else 0", (0.0, 1.0)),
        Activation("linear", linear, linear_derivative, r"$z$", "z", (-np.inf, np.inf)),
        Activation("relu", relu, relu_derivative, r"$\max(0, z)$", "max(0, z)", (0.0, np.inf)),
        Activation(
            "leaky_relu", leaky_relu, leaky_relu_derivative, r"$\max(0.01z, z)$", "max(0.01z, z)", (-np.inf, np.inf)
        ),
        Activation("clip", clip, clip_derivative, r"$\min(\max(z, 0), 1)$", "min(max(z, 0), 1)", (0.0, 1.0)),
        Activation("logistic", logistic, logistic_derivative, r"$1/(1+e^{-z})$", "1/(1 + exp(\u2212z))", (0.0, 1.0)),
        Activation("tanh", tanh, tanh_derivative, r"$\tanh z$", "tanh(z)", (-1.0, 1.0)),
    ]
}


def get_activation(name: str) -> Activation:
    """Look up an element-wise activation by name.

    Raises
    ------
    ValueError
        If ``name`` is not a key of :data:`ACTIVATIONS`; the message lists the valid names.
    """
    return ACTIVATIONS[check_choice(name, "name", ACTIVATIONS, "activation")]
