"""The artificial neuron: McCulloch–Pitts logic, hyperplanes and learning (chapter 06).

The neuron of this module has no dynamics: it forms the *net activation*

    z = Σ_i w_i x_i + b = ⟨w, x⟩ + b

and outputs ``y = f(z)``. All quantities are dimensionless, except the firing rates
and durations of the Poisson neuron (Hz and s).

**Conventions.**

* Threshold units follow McCulloch & Pitts: output 1 if ``z >= 0`` else 0, with the
  threshold ``θ = −b`` (so the unit fires when ``⟨w, x⟩ >= θ``). This is
  :func:`neurolib.activations.step`.
* Inputs are stored one case per row: ``X`` has shape ``(n_cases, n_inputs)``.
* The signed distance of a point ``x`` from the hyperplane ``⟨w, x⟩ + b = 0`` is
  ``(⟨w, x⟩ + b) / ‖w‖``: positive on the side into which ``w`` points (where the unit
  outputs 1), negative on the other. For the origin it is ``b / ‖w‖``.
* Squared errors carry the factor ½: ``E = ½ Σ_n (y_n − t_n)²``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Literal

import numpy as np
from scipy.optimize import linprog

from . import activations as act
from . import _checks
from ._checks import (
    as_real_array,
    check_callable,
    check_choice,
    check_finite,
    check_in_range,
    check_int,
    check_memory,
    check_positive,
    check_real_scalar,
    check_rng,
    check_size,
)

__all__ = [
    "ThresholdUnit",
    "LOGIC_GATES",
    "mp_unit",
    "truth_table",
    "xor_network",
    "SeparabilityResult",
    "linear_separability",
    "net_activation",
    "signed_distance",
    "closest_point",
    "decision_line",
    "halfplane_polygon",
    "WORKED_X",
    "WORKED_T",
    "linear_error",
    "linear_error_gradient",
    "least_squares_weights",
    "LearningTrace",
    "train_linear",
    "critical_learning_rate",
    "batch_epochs_to_converge",
    "LogisticDerivatives",
    "logistic_neuron",
    "logistic_derivatives",
    "logistic_error",
    "logistic_error_gradient",
    "numerical_gradient",
    "train_logistic",
    "PerceptronResult",
    "perceptron",
    "two_clusters",
    "stochastic_binary",
    "PoissonSpikes",
    "relu_poisson",
]

ArrayLike = Any


# --- validation helpers ---------------------------------------------------------------


def _cases(X: ArrayLike, name: str = "X") -> np.ndarray:
    """Inputs as a finite 2-D float array (one case per row); 1-D input is one case."""
    X = check_finite(X, name)
    if X.ndim == 1:
        X = X[None, :]
    if X.ndim != 2 or X.shape[1] == 0:
        raise ValueError(f"{name} must have shape (n_cases, n_inputs) with n_inputs >= 1, got shape {X.shape}")
    return X


def _weights(w: ArrayLike, n_inputs: int, name: str = "w", inputs: str = "X") -> np.ndarray:
    w = check_finite(w, name)
    if w.ndim != 1 or w.shape[0] != n_inputs:
        raise ValueError(f"{name} must be a vector of {n_inputs} weights (one per input, i.e. per column of {inputs}), "
                         f"got shape {w.shape}")
    return w


def _epochs(n_epochs: Any, name: str, n_cases: int = 1) -> int:
    """An epoch count, refused if the run (``n_epochs`` x ``n_cases`` updates) exceeds
    :data:`neurolib._checks.MAX_STEPS`."""
    n_epochs = check_int(n_epochs, name, minimum=1)
    if n_epochs * n_cases > _checks.MAX_STEPS:
        raise ValueError(f"{name}={n_epochs} x {n_cases} case(s) is more than the limit of "
                         f"{_checks.MAX_STEPS:.3g} updates; reduce {name}")
    return n_epochs


def _targets(t: ArrayLike, n_cases: int, name: str = "t", *, binary: bool = False) -> np.ndarray:
    t = check_finite(t, name)
    if t.ndim != 1 or t.shape[0] != n_cases:
        raise ValueError(f"{name} must be a vector of {n_cases} targets (one per row of X), got shape {t.shape}")
    if binary and not np.isin(t, (0.0, 1.0)).all():
        bad = t[~np.isin(t, (0.0, 1.0))][0]
        raise ValueError(f"{name} must contain only 0 and 1, got {bad:g}")
    return t


def _nonzero(w: np.ndarray, name: str = "w") -> float:
    norm = float(np.linalg.norm(w))
    if norm == 0.0:
        raise ValueError(f"{name} must not be the zero vector: a hyperplane needs a normal direction")
    return norm


# --- McCulloch–Pitts threshold logic --------------------------------------------------


def mp_unit(x: ArrayLike, w: ArrayLike, threshold: float) -> np.ndarray:
    """A McCulloch–Pitts unit: 1 if ``⟨w, x⟩ >= threshold`` else 0.

    Parameters
    ----------
    x : array_like, shape (n_inputs,) or (n_cases, n_inputs)
        Binary inputs (0 or 1): the truth values of the propositions the input
        neurons stand for.
    w : array_like, shape (n_inputs,)
        Synaptic weights (positive: excitatory, negative: inhibitory).
    threshold : float
        The threshold ``θ = −b``.

    Returns
    -------
    ndarray of int, shape (n_cases,)
        The unit's output, 0 or 1, for every case.

    Raises
    ------
    ValueError
        If ``x`` holds anything but 0 and 1, or the shapes of ``x`` and ``w`` disagree.
    """
    X = _cases(x, "x")
    if not np.isin(X, (0.0, 1.0)).all():
        bad = X[~np.isin(X, (0.0, 1.0))][0]
        raise ValueError(f"x must be binary (0 or 1) for a McCulloch-Pitts unit, got {bad:g}")
    w = _weights(w, X.shape[1])
    threshold = check_real_scalar(threshold, "threshold")
    return act.step(X @ w - threshold).astype(int)  # z = <w, x> + b, b = -θ


@dataclass(frozen=True)
class ThresholdUnit:
    """A McCulloch–Pitts unit with fixed weights and threshold.

    Attributes
    ----------
    weights : tuple of float
        One weight per input.
    threshold : float
        ``θ``; the unit fires when ``⟨w, x⟩ >= θ``.
    """

    weights: tuple[float, ...]
    threshold: float

    @property
    def bias(self) -> float:
        """The bias ``b = −θ``."""
        return -self.threshold

    @property
    def n_inputs(self) -> int:
        return len(self.weights)

    def __call__(self, x: ArrayLike) -> np.ndarray:
        """Outputs (0/1) for binary inputs ``x`` of shape ``(n_cases, n_inputs)``."""
        return mp_unit(x, self.weights, self.threshold)


#: Single units computing logic gates (weights and threshold, McCulloch & Pitts 1943).
LOGIC_GATES: dict[str, ThresholdUnit] = {
    "AND": ThresholdUnit((1.0, 1.0), 2.0),
    "OR": ThresholdUnit((1.0, 1.0), 1.0),
    "NOT": ThresholdUnit((-1.0,), 0.0),
    "NAND": ThresholdUnit((-1.0, -1.0), -1.0),
}


def truth_table(n_inputs: int) -> np.ndarray:
    """All ``2**n_inputs`` binary input patterns, in counting order (first input slowest).

    Returns
    -------
    ndarray of int, shape (2**n_inputs, n_inputs)
    """
    n_inputs = check_int(n_inputs, "n_inputs", minimum=1)
    if n_inputs > 20:
        raise ValueError(f"n_inputs must be <= 20 for a truth table, got {n_inputs}")
    codes = np.arange(2**n_inputs)
    return ((codes[:, None] >> np.arange(n_inputs - 1, -1, -1)) & 1).astype(int)


def xor_network(x: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """XOR from three McCulloch–Pitts units in two layers.

    Hidden layer: ``h1 = OR(x1, x2)`` and ``h2 = AND(x1, x2)``; output: ``y = h1 AND NOT h2``,
    a unit with weights (1, −1) and threshold 1.

    Parameters
    ----------
    x : array_like, shape (n_cases, 2)
        Binary inputs.

    Returns
    -------
    y : ndarray of int, shape (n_cases,)
        ``x1 XOR x2``.
    hidden : ndarray of int, shape (n_cases, 2)
        The hidden units' outputs ``(h1, h2)``: the new representation in which the
        problem is linearly separable.
    """
    X = _cases(x, "x")
    if X.shape[1] != 2:
        raise ValueError(f"x must have 2 inputs per case for XOR, got shape {X.shape}")
    hidden = np.column_stack([LOGIC_GATES["OR"](X), LOGIC_GATES["AND"](X)])
    return mp_unit(hidden, (1.0, -1.0), 1.0), hidden


@dataclass(frozen=True)
class SeparabilityResult:
    """Outcome of the linear-programming test of :func:`linear_separability`.

    Attributes
    ----------
    separable : bool
        True if one threshold unit reproduces the targets.
    weights, bias : ndarray and float, or None
        A separating unit (``z >= 0`` on every target-1 case, ``z <= −1`` on every
        target-0 case) when one exists, else None.
    status : int
        :func:`scipy.optimize.linprog` status (0 feasible, 2 infeasible).
    message : str
        The solver's message.
    """

    separable: bool
    weights: np.ndarray | None
    bias: float | None
    status: int
    message: str


def linear_separability(X: ArrayLike, t: ArrayLike) -> SeparabilityResult:
    """Decide with a linear program whether a single threshold unit can map ``X`` to ``t``.

    A unit with ``z_n = ⟨w, x_n⟩ + b`` must give ``z_n >= 0`` where ``t_n = 1`` and
    ``z_n < 0`` where ``t_n = 0``. Because ``(w, b)`` can be rescaled by any positive
    factor, the strict inequalities can be replaced by ``z_n <= −1`` without loss of
    generality (for a finite data set). The question is then whether a set of linear
    inequalities in ``(w, b)`` has a solution — an LP feasibility problem, answered
    exactly (up to floating-point tolerance) by :func:`scipy.optimize.linprog` (HiGHS),
    not by a search that might just have missed the answer.

    Parameters
    ----------
    X : array_like, shape (n_cases, n_inputs)
        Inputs (any real values).
    t : array_like, shape (n_cases,)
        Binary targets (0 or 1).

    Returns
    -------
    SeparabilityResult
    """
    X = _cases(X)
    t = _targets(t, X.shape[0], binary=True)
    Xb = np.column_stack([X, np.ones(X.shape[0])])  # variables (w, b)
    sign = np.where(t == 1, -1.0, 1.0)  # t=1: -(z) <= 0;  t=0: z <= -1
    A_ub = sign[:, None] * Xb
    b_ub = np.where(t == 1, 0.0, -1.0)
    res = linprog(np.zeros(Xb.shape[1]), A_ub=A_ub, b_ub=b_ub, bounds=[(None, None)] * Xb.shape[1], method="highs")
    if res.status == 0:
        return SeparabilityResult(True, np.asarray(res.x[:-1]), float(res.x[-1]), int(res.status), str(res.message))
    if res.status == 2:
        return SeparabilityResult(False, None, None, int(res.status), str(res.message))
    raise RuntimeError(f"linprog did not decide separability (status {res.status}): {res.message}")


# --- geometry of the net activation -------------------------------------------------------


def net_activation(X: ArrayLike, w: ArrayLike, b: float = 0.0) -> np.ndarray:
    """Net activation ``z = X w + b`` for every case.

    Parameters
    ----------
    X : array_like, shape (n_cases, n_inputs) or (n_inputs,)
    w : array_like, shape (n_inputs,)
    b : float, default 0

    Returns
    -------
    ndarray, shape (n_cases,)
    """
    X = _cases(X)
    w = _weights(w, X.shape[1])
    return X @ w + check_real_scalar(b, "b")


def signed_distance(X: ArrayLike, w: ArrayLike, b: float = 0.0) -> np.ndarray:
    """Signed distance of each point from the hyperplane ``⟨w, x⟩ + b = 0``.

    ``d(x) = (⟨w, x⟩ + b) / ‖w‖``: positive on the side into which ``w`` points (the
    unit's output is 1 there), negative on the other side. At the origin ``d(0) = b/‖w‖``:
    ``b > 0`` puts the origin on the positive side.

    Parameters
    ----------
    X : array_like, shape (n_cases, n_inputs) or (n_inputs,)
        Points (same units as the inputs).
    w : array_like, shape (n_inputs,)
        Normal vector, not zero.
    b : float, default 0
        Bias.

    Returns
    -------
    ndarray, shape (n_cases,)
        Signed distances, in the units of ``X``.
    """
    X = _cases(X)
    w = _weights(w, X.shape[1])
    return (X @ w + check_real_scalar(b, "b")) / _nonzero(w)


def closest_point(w: ArrayLike, b: float = 0.0) -> np.ndarray:
    """The point of the hyperplane ``⟨w, x⟩ + b = 0`` nearest to the origin, ``−b w/‖w‖²``."""
    w = check_finite(w, "w")
    if w.ndim != 1:
        raise ValueError(f"w must be a vector, got shape {w.shape}")
    return -check_real_scalar(b, "b") * w / _nonzero(w) ** 2


def decision_line(x1: ArrayLike, w: ArrayLike, b: float = 0.0) -> np.ndarray:
    """The 2-D decision line as a function: ``x2 = −(w1/w2) x1 − b/w2``.

    Raises
    ------
    ValueError
        If ``w2 = 0`` (the line is vertical, ``x1 = −b/w1``, and not a function of ``x1``).
    """
    x1 = check_finite(x1, "x1")
    w = _weights(w, 2)
    if w[1] == 0:
        raise ValueError("w[1] must be nonzero for x2 as a function of x1 (the line x1 = -b/w1 is vertical)")
    b = check_real_scalar(b, "b")
    return -(w[0] / w[1]) * x1 - b / w[1]


def halfplane_polygon(w: ArrayLike, b: float, xlim: tuple[float, float], ylim: tuple[float, float]) -> np.ndarray:
    """The part of the box ``xlim × ylim`` where ``⟨w, x⟩ + b >= 0`` (the unit's class 1).

    Clips the rectangle against the half-plane (one step of Sutherland–Hodgman).

    Returns
    -------
    ndarray, shape (n_vertices, 2)
        Vertices of the convex polygon, counter-clockwise; shape (0, 2) if empty.
    """
    w = _weights(w, 2, inputs="the plane")
    b = check_real_scalar(b, "b")
    x0, x1 = _limits(xlim, "xlim")
    y0, y1 = _limits(ylim, "ylim")
    box = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    with np.errstate(over="ignore", invalid="ignore"):
        z = box @ w + b
    if not np.all(np.isfinite(z)):
        raise ValueError("w, b, xlim and ylim are too large: <w, x> + b overflows at the corners of the box")
    out = []
    for i in range(4):
        j = (i + 1) % 4
        if z[i] >= 0:
            out.append(box[i])
        if np.sign(z[i]) * np.sign(z[j]) < 0:  # the edge crosses the line strictly inside: add the crossing
            with np.errstate(over="ignore", invalid="ignore"):
                s = z[i] / (z[i] - z[j])
                out.append(box[i] + s * (box[j] - box[i]))
    polygon = np.array(out).reshape(-1, 2)
    if not np.all(np.isfinite(polygon)):
        raise ValueError("w, b, xlim and ylim are too large: the crossing points overflow")
    return polygon


def _finite(values: Any, names: str) -> Any:
    """``values``, or a ValueError naming the arguments if the arithmetic overflowed."""
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{names} too large: the result overflows the range of floats")
    return values


def _limits(lim: Any, name: str) -> tuple[float, float]:
    pair = check_finite(lim, name)
    if pair.shape != (2,):
        raise ValueError(f"{name} must be a pair (low, high), got shape {pair.shape}")
    if not pair[0] < pair[1]:
        raise ValueError(f"{name} must be an increasing pair (low < high), got {tuple(pair.tolist())}")
    return float(pair[0]), float(pair[1])


# --- the linear neuron and its error surface ------------------------------------------------

#: Worked example: two training cases (rows) with two inputs, no bias.
WORKED_X: np.ndarray = np.array([[1.0, -1.0], [0.0, 1.0]])
#: Targets of the worked example.
WORKED_T: np.ndarray = np.array([0.0, 1.0])
WORKED_X.setflags(write=False)
WORKED_T.setflags(write=False)


def linear_error(W: ArrayLike, X: ArrayLike, t: ArrayLike) -> np.ndarray | float:
    """Squared error ``E(w) = ½ Σ_n (⟨w, x_n⟩ − t_n)²`` of a linear neuron.

    Parameters
    ----------
    W : array_like, shape (..., n_inputs)
        One weight vector, or a grid of them (e.g. for a contour plot of the error
        surface); the last axis indexes the inputs.
    X : array_like, shape (n_cases, n_inputs)
    t : array_like, shape (n_cases,)

    Returns
    -------
    ndarray, shape W.shape[:-1] (a float for a single weight vector)
    """
    X = _cases(X)
    t = _targets(t, X.shape[0])
    W = check_finite(W, "W")
    if W.ndim == 0 or W.shape[-1] != X.shape[1]:
        raise ValueError(f"W must have {X.shape[1]} weights along its last axis, got shape {W.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        residual = W @ X.T - t  # (..., n_cases)
        E = _finite(0.5 * np.sum(residual**2, axis=-1), "W, X and t")
    return float(E) if W.ndim == 1 else E


def linear_error_gradient(w: ArrayLike, X: ArrayLike, t: ArrayLike) -> np.ndarray:
    """Gradient ``∂E/∂w = Σ_n (⟨w, x_n⟩ − t_n) x_n`` of :func:`linear_error`."""
    X = _cases(X)
    t = _targets(t, X.shape[0])
    w = _weights(w, X.shape[1])
    return (X @ w - t) @ X


def least_squares_weights(X: ArrayLike, t: ArrayLike) -> np.ndarray:
    """The weights minimising :func:`linear_error` (minimum-norm least squares).

    For the worked example the two constraint lines ``⟨w, x_n⟩ = t_n`` cross at a single
    point, where ``E = 0``; this is that point.
    """
    X = _cases(X)
    t = _targets(t, X.shape[0])
    return np.linalg.lstsq(X, t, rcond=None)[0]


@dataclass(frozen=True)
class LearningTrace:
    """Weights and error along a gradient-descent run.

    Attributes
    ----------
    weights : ndarray, shape (n_steps + 1, n_inputs)
        Start and every update (per epoch for batch, per training case for online).
    errors : ndarray, shape (n_steps + 1,)
        :func:`linear_error` over the whole training set at each of these weights.
    mode : str
        "batch" or "online".
    lr : float
        Learning rate.
    """

    weights: np.ndarray
    errors: np.ndarray
    mode: str
    lr: float

    @property
    def final(self) -> np.ndarray:
        """The weights after the last update."""
        return self.weights[-1]


def train_linear(
    X: ArrayLike,
    t: ArrayLike,
    *,
    w0: ArrayLike,
    lr: float,
    n_epochs: int,
    mode: Literal["batch", "online"] = "batch",
) -> LearningTrace:
    """Gradient descent on the squared error of a linear neuron (no bias; add a column of
    ones to ``X`` for one).

    * batch: ``w ← w − η Σ_n (⟨w, x_n⟩ − t_n) x_n`` once per epoch;
    * online: ``w ← w − η (⟨w, x_n⟩ − t_n) x_n`` for each case in turn: each
      step moves ``w`` along ``x_n``, perpendicular to that case's constraint line.

    Parameters
    ----------
    X : array_like, shape (n_cases, n_inputs)
    t : array_like, shape (n_cases,)
    w0 : array_like, shape (n_inputs,)
        Initial weights.
    lr : float
        Learning rate ``η > 0``.
    n_epochs : int
        Number of passes through the training set (>= 1).
    mode : {"batch", "online"}

    Returns
    -------
    LearningTrace

    Raises
    ------
    FloatingPointError
        If the weights overflow: the learning rate is too large (see
        :func:`critical_learning_rate`).
    """
    X = _cases(X)
    t = _targets(t, X.shape[0])
    w = _weights(w0, X.shape[1], "w0").copy()
    lr = check_positive(lr, "lr")
    mode = check_choice(mode, "mode", ("batch", "online"))
    n_epochs = _epochs(n_epochs, "n_epochs", X.shape[0] if mode == "online" else 1)
    steps = [w.copy()]
    for _ in range(n_epochs):
        if mode == "batch":
            w = w - lr * ((X @ w - t) @ X)
            steps.append(w)
        else:
            for x_n, t_n in zip(X, t):
                w = w - lr * (x_n @ w - t_n) * x_n
                steps.append(w)
        if not np.all(np.isfinite(w)) or np.abs(w).max() > 1e150:
            raise FloatingPointError(
                f"gradient descent diverged at lr={lr:g}; use a learning rate below "
                f"{critical_learning_rate(X):.4g} (2 / largest eigenvalue of X^T X)"
            )
    weights = np.array(steps)
    return LearningTrace(weights, linear_error(weights, X, t), mode, lr)


def critical_learning_rate(X: ArrayLike) -> float:
    """Largest learning rate for which batch gradient descent on :func:`linear_error`
    converges: ``2 / λ_max`` with ``λ_max`` the largest eigenvalue of the Hessian ``XᵀX``.
    """
    X = _cases(X)
    lam_max = float(np.linalg.eigvalsh(X.T @ X)[-1])
    if lam_max == 0.0:
        raise ValueError("X must not be all zeros: the error surface is flat")
    return 2.0 / lam_max


def batch_epochs_to_converge(
    X: ArrayLike, t: ArrayLike, lrs: ArrayLike, *, w0: ArrayLike, tol: float = 1e-6, max_epochs: int = 10_000
) -> np.ndarray:
    """Epochs of batch gradient descent until ``‖w − w*‖ <= tol``, for many learning rates.

    Vectorised over ``lrs``. Entries that have not converged after ``max_epochs``
    (too small a learning rate) or that diverge (too large a learning rate: the
    distance from ``w*`` grows a million-fold) are ``inf``.

    Returns
    -------
    ndarray, shape lrs.shape
    """
    X = _cases(X)
    t = _targets(t, X.shape[0])
    lrs = check_finite(lrs, "lrs")
    if np.any(lrs <= 0):
        raise ValueError(f"lrs must all be > 0, got {lrs[lrs <= 0].flat[0]:g}")
    w0 = _weights(w0, X.shape[1], "w0")
    check_positive(tol, "tol")
    max_epochs = _epochs(max_epochs, "max_epochs", lrs.size)
    w_star = least_squares_weights(X, t)
    flat = lrs.reshape(-1)
    W = np.broadcast_to(w0, (flat.size, X.shape[1])).copy()
    epochs = np.full(flat.size, np.inf)
    active = np.arange(flat.size)  # runs neither converged nor diverged yet
    # A run whose distance from w* grew a million-fold (plus tol) is diverging.
    blow_up = 1e6 * (np.linalg.norm(w0 - w_star) + tol)
    H, g0 = X.T @ X, X.T @ t
    with np.errstate(over="ignore", invalid="ignore"):  # an overflowing run is a diverged one (inf)
        for k in range(1, max_epochs + 1):
            W[active] -= flat[active, None] * (W[active] @ H - g0)
            dist = np.linalg.norm(W[active] - w_star, axis=1)
            done = dist <= tol
            epochs[active[done]] = k
            active = active[~done & (dist <= blow_up)]
            if active.size == 0:
                break
    return epochs.reshape(lrs.shape)


# --- the logistic neuron ---------------------------------------------------------------------


def logistic_neuron(X: ArrayLike, w: ArrayLike, b: float = 0.0) -> np.ndarray:
    """Output ``y = σ(⟨w, x⟩ + b)`` of a logistic neuron for every case, in (0, 1)."""
    return np.asarray(act.logistic(net_activation(X, w, b)))


@dataclass(frozen=True)
class LogisticDerivatives:
    """The chain of derivatives of one logistic neuron, for ``n`` cases with ``d`` inputs.

    Attributes
    ----------
    y : ndarray, shape (n,)
        The output ``σ(z)``.
    dz_dw : ndarray, shape (n, d)
        ``∂z/∂w_i = x_i``.
    dz_dx : ndarray, shape (n, d)
        ``∂z/∂x_i = w_i``.
    dy_dz : ndarray, shape (n,)
        ``y (1 − y)``.
    dy_dw : ndarray, shape (n, d)
        ``∂y/∂w_i = x_i y (1 − y)``.
    dy_dx : ndarray, shape (n, d)
        ``∂y/∂x_i = w_i y (1 − y)``.
    """

    y: np.ndarray
    dz_dw: np.ndarray
    dz_dx: np.ndarray
    dy_dz: np.ndarray
    dy_dw: np.ndarray
    dy_dx: np.ndarray


def logistic_derivatives(X: ArrayLike, w: ArrayLike, b: float = 0.0) -> LogisticDerivatives:
    """Derivatives of a logistic neuron's output with respect to weights and inputs."""
    X = _cases(X)
    w = _weights(w, X.shape[1])
    z = X @ w + check_real_scalar(b, "b")
    y = np.asarray(act.logistic(z))
    dy_dz = np.asarray(act.logistic_derivative(z))  # y (1 - y), computed stably
    dz_dx = np.broadcast_to(w, X.shape).copy()
    return LogisticDerivatives(y, X.copy(), dz_dx, dy_dz, X * dy_dz[:, None], dz_dx * dy_dz[:, None])


def logistic_error(X: ArrayLike, t: ArrayLike, w: ArrayLike, b: float = 0.0) -> float:
    """Squared error ``E = ½ Σ_n (t_n − y_n)²`` of a logistic neuron."""
    X = _cases(X)
    t = _targets(t, X.shape[0])
    y = logistic_neuron(X, w, b)
    with np.errstate(over="ignore"):
        return float(_finite(0.5 * np.sum((t - y) ** 2), "t"))


def logistic_error_gradient(X: ArrayLike, t: ArrayLike, w: ArrayLike, b: float = 0.0) -> tuple[np.ndarray, float]:
    """Gradient of :func:`logistic_error`: ``∂E/∂w_i = −Σ_n x_iⁿ yⁿ(1 − yⁿ)(tⁿ − yⁿ)``.

    Returns
    -------
    dE_dw : ndarray, shape (n_inputs,)
    dE_db : float
        The same with ``x_i`` replaced by 1 (the bias is a weight on a constant input).
    """
    X = _cases(X)
    t = _targets(t, X.shape[0])
    d = logistic_derivatives(X, w, b)
    delta = -(t - d.y) * d.dy_dz  # ∂E/∂z for every case
    return delta @ X, float(delta.sum())


def numerical_gradient(f: Callable[[np.ndarray], float], w: ArrayLike, eps: float = 1e-6) -> np.ndarray:
    """Central finite-difference gradient of a scalar function ``f`` at ``w``.

    ``∂f/∂w_i ≈ (f(w + ε e_i) − f(w − ε e_i)) / (2ε)``, with error O(ε²).
    """
    w = check_finite(w, "w")
    if w.ndim != 1:
        raise ValueError(f"w must be a vector, got shape {w.shape}")
    check_callable(f, "f", "of the weight vector w returning a number")
    eps = check_in_range(eps, "eps", 0.0, 1.0, closed=(False, True))
    grad = np.empty_like(w)
    for i in range(w.size):
        e = np.zeros_like(w)
        e[i] = eps
        grad[i] = (f(w + e) - f(w - e)) / (2 * eps)
    return grad


def train_logistic(
    X: ArrayLike, t: ArrayLike, *, lr: float, n_epochs: int, w0: ArrayLike | None = None, b0: float = 0.0
) -> tuple[np.ndarray, float, np.ndarray]:
    """Batch gradient descent on :func:`logistic_error` (weights and bias).

    Returns
    -------
    w : ndarray, shape (n_inputs,)
    b : float
    errors : ndarray, shape (n_epochs + 1,)
        The error before training and after every epoch.
    """
    X = _cases(X)
    t = _targets(t, X.shape[0])
    w = np.zeros(X.shape[1]) if w0 is None else _weights(w0, X.shape[1], "w0").copy()
    b = check_real_scalar(b0, "b0")
    lr = check_positive(lr, "lr")
    n_epochs = _epochs(n_epochs, "n_epochs")
    errors = np.empty(n_epochs + 1)
    errors[0] = logistic_error(X, t, w, b)
    for k in range(n_epochs):
        gw, gb = logistic_error_gradient(X, t, w, b)
        w, b = w - lr * gw, b - lr * gb
        errors[k + 1] = logistic_error(X, t, w, b)
    return w, b, errors


# --- the perceptron learning rule -------------------------------------------------------------


@dataclass(frozen=True)
class PerceptronResult:
    """Outcome of :func:`perceptron`.

    Attributes
    ----------
    weights : ndarray, shape (n_inputs,)
    bias : float
    converged : bool
        True if an epoch passed without a single misclassification.
    n_epochs : int
        Epochs run (the last one error-free if ``converged``).
    errors : ndarray of int, shape (n_epochs,)
        Misclassified cases in each epoch.
    """

    weights: np.ndarray
    bias: float
    converged: bool
    n_epochs: int
    errors: np.ndarray


def perceptron(
    X: ArrayLike,
    t: ArrayLike,
    *,
    lr: float = 1.0,
    max_epochs: int = 100,
    seed: int | None = None,
    rng: np.random.Generator | None = None,
) -> PerceptronResult:
    """Rosenblatt's perceptron rule for a threshold unit (targets 0/1, output step(z)).

    For each case, in a random order each epoch: ``y = step(⟨w, x⟩ + b)``, then
    ``w ← w + η (t − y) x`` and ``b ← b + η (t − y)`` — a change only when
    the case is misclassified. Starts from ``w = 0, b = 0``. On linearly separable data
    it stops after finitely many updates (the perceptron convergence theorem); on other
    data it never stops.

    Parameters
    ----------
    X : array_like, shape (n_cases, n_inputs)
    t : array_like, shape (n_cases,)
        Targets 0 or 1.
    lr : float, default 1
    max_epochs : int, default 100
    seed, rng
        Randomness of the presentation order (see :func:`neurolib._checks.check_rng`).
    """
    X = _cases(X)
    t = _targets(t, X.shape[0], binary=True)
    lr = check_positive(lr, "lr")
    max_epochs = _epochs(max_epochs, "max_epochs", X.shape[0])
    gen = check_rng(seed, rng)
    w, b = np.zeros(X.shape[1]), 0.0
    errors = []
    for _ in range(max_epochs):
        n_wrong = 0
        for n in gen.permutation(X.shape[0]):
            y = 1.0 if X[n] @ w + b >= 0 else 0.0  # step(z), McCulloch-Pitts convention
            if y != t[n]:
                w = w + lr * (t[n] - y) * X[n]
                b = b + lr * (t[n] - y)
                n_wrong += 1
        errors.append(n_wrong)
        if n_wrong == 0:
            break
    errors = np.array(errors, dtype=int)
    return PerceptronResult(w, float(b), bool(errors[-1] == 0), len(errors), errors)


def two_clusters(
    n_per_class: int, separation: float, *, spread: float = 1.0, seed: int | None = None, rng: np.random.Generator | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian clouds in 2-D, class 0 around ``(−s/2, −s/2)``, class 1 around ``(s/2, s/2)``.

    Returns
    -------
    X : ndarray, shape (2 n_per_class, 2)
    t : ndarray, shape (2 n_per_class,)
        0 for the first ``n_per_class`` rows, 1 for the rest.
    """
    n = check_size(n_per_class, "n_per_class", per_item=6)
    s = check_real_scalar(separation, "separation")
    spread = check_positive(spread, "spread")
    gen = check_rng(seed, rng)
    centres = np.repeat(np.array([[-s / 2, -s / 2], [s / 2, s / 2]]), n, axis=0)
    return centres + spread * gen.standard_normal((2 * n, 2)), np.repeat([0.0, 1.0], n)


# --- stochastic and spiking outputs --------------------------------------------------------------


def stochastic_binary(
    z: ArrayLike, n_samples: int, *, seed: int | None = None, rng: np.random.Generator | None = None
) -> np.ndarray:
    """Samples of a stochastic binary neuron: ``s = 1`` with probability ``σ(z)``, else 0.

    Parameters
    ----------
    z : array_like
        Net activation(s).
    n_samples : int
        Independent samples per net activation.

    Returns
    -------
    ndarray of int, shape (n_samples, *z.shape)
    """
    z = as_real_array(z, "z")
    n_samples = check_int(n_samples, "n_samples", minimum=1)
    check_memory(2.0 * n_samples * z.size, "reduce n_samples", what=f"n_samples={n_samples} x {z.size} unit(s)")
    gen = check_rng(seed, rng)
    p = np.asarray(act.logistic(z))
    return (gen.random((n_samples, *z.shape)) < p).astype(int)


@dataclass(frozen=True)
class PoissonSpikes:
    """Spike trains of a ReLU neuron read as a Poisson process.

    Attributes
    ----------
    rate : ndarray, shape (n_z,)
        Firing rate ``r = r_max · relu(z)`` (Hz) for each net activation.
    counts : ndarray of int, shape (n_trials, n_z)
        Spike counts in ``duration`` seconds.
    spike_times : list of list of ndarray
        ``spike_times[trial][k]``: sorted spike times (s) for net activation ``k``.
    duration : float
        Length of each trial (s).
    """

    rate: np.ndarray
    counts: np.ndarray
    spike_times: list[list[np.ndarray]]
    duration: float

    @property
    def rate_estimate(self) -> np.ndarray:
        """Spike count divided by duration, averaged over trials (Hz)."""
        return self.counts.mean(axis=0) / self.duration


def relu_poisson(
    z: ArrayLike,
    *,
    gain: float = 10.0,
    duration: float = 1.0,
    n_trials: int = 1,
    seed: int | None = None,
    rng: np.random.Generator | None = None,
) -> PoissonSpikes:
    """Spike trains of a neuron whose rate is a ReLU of its net activation.

    The rate is ``r = gain · max(0, z)`` (Hz); the spikes of each trial are a homogeneous
    Poisson process of that rate: the count in ``duration`` is Poisson with mean
    ``r · duration`` and, given the count, the spike times are independent and uniform.

    Parameters
    ----------
    z : array_like, shape (n_z,) or scalar
        Net activations (dimensionless).
    gain : float, default 10
        Rate per unit of net activation (Hz), > 0.
    duration : float, default 1
        Trial length (s), > 0.
    n_trials : int, default 1
    seed, rng
        Randomness (see :func:`neurolib._checks.check_rng`).
    """
    z = np.atleast_1d(check_finite(z, "z"))
    if z.ndim != 1:
        raise ValueError(f"z must be a scalar or a vector, got shape {z.shape}")
    gain = check_positive(gain, "gain", "Hz")
    duration = check_positive(duration, "duration", "s")
    n_trials = check_int(n_trials, "n_trials", minimum=1)
    check_memory(2.0 * n_trials * z.size, "reduce n_trials", what=f"n_trials={n_trials} x {z.size} neuron(s)")
    gen = check_rng(seed, rng)
    rate = gain * np.asarray(act.relu(z))
    expected = n_trials * float(np.sum(rate)) * duration
    check_memory(2.0 * expected, "reduce z, gain, duration or n_trials", what=f"about {expected:.3g} spike times")
    counts = gen.poisson(rate * duration, size=(n_trials, z.size))
    times = [[np.sort(gen.uniform(0.0, duration, c)) for c in row] for row in counts]
    return PoissonSpikes(rate, counts, times, duration)
