"""Gradients of a dense layer: forward, backward, losses, gradient check, a tiny MLP.

Chapter 08 of the book derives every formula in this module; comments such as
``[eq-dense-dW]`` name the chapter's equation (its label in the notebook), so the code can
be read next to the text. Activation functions and
their derivatives come from :mod:`neurolib.activations` (chapter 07).

Shapes
------
A layer with ``n`` inputs and ``m`` outputs has weights ``W`` of shape ``(m, n)`` and a
bias ``b`` of shape ``(m,)``. A single example is a vector ``x`` of shape ``(n,)``; a
*batch* of ``B`` examples is a matrix ``X`` of shape ``(n, B)`` whose **columns** are the
examples, so that the batch formulas are the single-example formulas with ``x`` replaced
by ``X``. Every quantity is dimensionless.

Losses are averaged over the examples of a batch and summed over output units; their
gradients therefore carry the factor ``1/B``, and the layer's backward pass *sums* over
the batch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from . import activations as act
from . import _checks
from ._checks import (
    as_real_array,
    check_bool,
    check_callable,
    check_choice,
    check_finite,
    check_instance,
    check_int,
    check_memory,
    check_positive,
    check_real_scalar,
    check_rng,
    check_size,
)

__all__ = [
    "Dense",
    "LayerGradients",
    "squared_error",
    "squared_error_gradient",
    "binary_cross_entropy",
    "binary_cross_entropy_gradient",
    "softmax_cross_entropy",
    "softmax_cross_entropy_gradient",
    "Loss",
    "LOSSES",
    "get_loss",
    "numerical_gradient",
    "relative_error",
    "GradientCheck",
    "gradient_check",
    "MLP",
    "Moons",
    "make_moons",
    "one_hot_labels",
    "TrainingHistory",
    "train",
    "probability_grid",
    "Value",
    "as_values",
    "values_data",
    "values_grad",
    "GRADIENT_TOLERANCE",
]

#: Largest relative error (float64, central differences) that a gradient check accepts.
GRADIENT_TOLERANCE: float = 1e-7

ArrayLike = Any


# --- the dense layer [eq-dense-forward] to [eq-dense-batch] -------------------------------


@dataclass(frozen=True)
class LayerGradients:
    """What :meth:`Dense.backward` returns.

    Attributes
    ----------
    dx : ndarray, shape (n,) or (n, B)
        ∂C/∂x, the error handed to the layer below (same shape as the input).
    dW : ndarray, shape (m, n)
        ∂C/∂W, summed over the examples of the batch.
    db : ndarray, shape (m,)
        ∂C/∂b, summed over the examples of the batch.
    """

    dx: np.ndarray
    dW: np.ndarray
    db: np.ndarray


class Dense:
    """A dense (fully connected) layer ``h = f(W x + b)``.

    Parameters
    ----------
    W : array_like, shape (m, n)
        Weights: ``W[i, j]`` connects input ``j`` to output ``i``.
    b : array_like, shape (m,)
        Biases.
    activation : str, default "linear"
        A key of :data:`neurolib.activations.ACTIVATIONS`.
    name : str, default "dense"
        Used in error messages (and by :class:`MLP` to name parameters).

    Notes
    -----
    :meth:`forward` caches the input and the net activation; :meth:`backward` uses them,
    so call ``forward`` then ``backward`` on the same batch. ``W`` and ``b`` are plain
    arrays that training updates in place.
    """

    def __init__(self, W: ArrayLike, b: ArrayLike, activation: str = "linear", name: str = "dense") -> None:
        self.name = str(name)
        W = check_finite(W, f"{self.name}.W")
        if W.ndim != 2 or W.size == 0:
            raise ValueError(f"layer {self.name!r}: W must be a non-empty 2-D array (m, n), got shape {W.shape}")
        b = check_finite(b, f"{self.name}.b")
        if b.shape != (W.shape[0],):
            raise ValueError(f"layer {self.name!r}: b must have shape ({W.shape[0]},) to match W {W.shape}, got {b.shape}")
        self.W = W.copy()
        self.b = b.copy()
        self.activation = act.get_activation(activation)
        self._cache: tuple[np.ndarray, np.ndarray] | None = None
        self._single = False

    @classmethod
    def random(
        cls,
        n_in: int,
        n_out: int,
        activation: str = "tanh",
        *,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
        name: str = "dense",
    ) -> "Dense":
        """A layer with random Gaussian weights and zero biases.

        The weights have standard deviation ``sqrt(1 / n_in)`` (LeCun et al. 1998),
        or ``sqrt(2 / n_in)`` for the ReLU family, so that the net activations start
        with unit variance for unit-variance inputs.
        """
        n_in = check_int(n_in, "n_in", minimum=1)
        n_out = check_int(n_out, "n_out", minimum=1)
        check_memory(2.0 * n_in * n_out, "reduce n_in or n_out", what=f"a {n_out} x {n_in} weight matrix")
        check_choice(activation, "activation", act.ACTIVATIONS)
        gen = check_rng(seed, rng)
        gain = 2.0 if activation in ("relu", "leaky_relu") else 1.0
        W = gen.normal(0.0, math.sqrt(gain / n_in), size=(n_out, n_in))
        return cls(W, np.zeros(n_out), activation, name)

    @property
    def n_in(self) -> int:
        return self.W.shape[1]

    @property
    def n_out(self) -> int:
        return self.W.shape[0]

    def __repr__(self) -> str:
        return f"Dense(name={self.name!r}, n_in={self.n_in}, n_out={self.n_out}, activation={self.activation.name!r})"

    def _check_shape(self, a: ArrayLike, what: str, rows: int, batch: int | None = None) -> np.ndarray:
        a = check_finite(a, f"{self.name}.{what}")
        ok = a.ndim in (1, 2) and a.shape[0] == rows and (batch is None or a.shape[1:] == ((batch,) if batch else ()))
        if not ok:
            if batch is None:
                expected = f"({rows},) or ({rows}, B)"
            else:
                expected = f"({rows}, {batch})" if batch else f"({rows},)"
            raise ValueError(f"layer {self.name!r}: {what} must have shape {expected}, got {a.shape}")
        return a

    def forward(self, x: ArrayLike) -> np.ndarray:
        """Output ``h = f(W x + b)`` for one example ``(n,)`` or a batch ``(n, B)``.

        Returns
        -------
        ndarray, shape (m,) or (m, B)
        """
        x = self._check_shape(x, "x", self.n_in)
        single = x.ndim == 1
        h = self._forward(x[:, None] if single else x)  # a single example is a batch of one column
        self._single = single  # backward returns dx in the shape of this x
        return h[:, 0] if single else h

    def backward(self, delta: ArrayLike) -> LayerGradients:
        """Backpropagate ``Δ = ∂C/∂h`` (same shape as the last output) through the layer.

        Returns
        -------
        LayerGradients
            ``dx`` (shape of the input), ``dW`` (m, n) and ``db`` (m,), the latter two
            summed over the batch.
        """
        if self._cache is None:
            raise RuntimeError(f"layer {self.name!r}: call forward(x) before backward(delta)")
        single = self._single
        delta = self._check_shape(delta, "delta", self.n_out, 0 if single else self._cache[0].shape[1])
        dx, dW, db = self._backward(delta[:, None] if single else delta)
        return LayerGradients(dx[:, 0] if single else dx, dW, db)

    # The equations themselves, on validated (rows, B) arrays (used directly by MLP).
    def _forward(self, X: np.ndarray) -> np.ndarray:
        h_bar = self.W @ X + self.b[:, None]  # h̄ = W x + b     [eq-dense-forward]
        h = self.activation.f(h_bar)  # h = f(h̄)              [eq-dense-forward]
        self._cache = (X, h_bar)  # what backward needs
        self._single = False
        return h

    def _backward(self, delta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        X, h_bar = self._cache
        dh_bar = self.activation.df(h_bar) * delta  # δh̄ = f′(h̄) ⊙ Δ   [eq-dense-delta]
        dW = dh_bar @ X.T  # δW = δh̄ xᵀ   [eq-dense-dW]; a batch sums over the columns
        db = dh_bar.sum(axis=1)  # δb = δh̄   [eq-dense-db]; a batch sums over the columns
        dx = self.W.T @ dh_bar  # δx = Wᵀ δh̄   [eq-dense-dx]
        return dx, dW, db


# --- losses of the output layer [eq-dense-squared-error] to [eq-dense-softmax-grads] ------


def _loss_args(o: ArrayLike, y: ArrayLike, *, probabilities: bool) -> tuple[np.ndarray, np.ndarray, int]:
    o = check_finite(o, "o")
    y = check_finite(y, "y")
    if o.ndim not in (1, 2) or o.size == 0:
        raise ValueError(f"o (the output) must have shape (k,) or (k, B), got {o.shape}")
    if y.shape != o.shape:
        raise ValueError(f"y must have the shape of the output o, {o.shape}, got {y.shape}")
    if probabilities and (np.any(y < 0) or np.any(y > 1)):
        raise ValueError(f"y must contain targets in [0, 1] for a cross-entropy, got values in [{y.min():g}, {y.max():g}]")
    batch = 1 if o.ndim == 1 else o.shape[1]
    return o, y, batch


def squared_error(o: ArrayLike, y: ArrayLike) -> float:
    """Squared error ``C = ½ Σ_i (o_i − y_i)²``, averaged over the batch [eq-dense-squared-error].

    Parameters
    ----------
    o : array_like, shape (k,) or (k, B)
        Output of the network.
    y : array_like, same shape
        Targets.
    """
    o, y, batch = _loss_args(o, y, probabilities=False)
    return float(0.5 * np.sum((o - y) ** 2) / batch)


def squared_error_gradient(o: ArrayLike, y: ArrayLike) -> np.ndarray:
    """``∂C/∂o = o − y`` for :func:`squared_error` (divided by the batch size)."""
    o, y, batch = _loss_args(o, y, probabilities=False)
    return (o - y) / batch  # ∂C/∂o = o − y   [eq-dense-squared-error]


def binary_cross_entropy(o: ArrayLike, y: ArrayLike) -> float:
    """Cross-entropy of logistic outputs, computed from the logits ``o`` [eq-dense-bce].

    ``C = −Σ_i [y_i ln σ(o_i) + (1 − y_i) ln(1 − σ(o_i))] = Σ_i [ln(1 + e^{o_i}) − y_i o_i]``,
    averaged over the batch. The second form, with ``ln(1 + e^o)`` evaluated by
    :func:`numpy.logaddexp`, is finite for every finite logit (no ``log(0)``).

    Parameters
    ----------
    o : array_like, shape (k,) or (k, B)
        Logits (net activations of k independent logistic output units).
    y : array_like, same shape
        Targets in [0, 1].
    """
    o, y, batch = _loss_args(o, y, probabilities=True)
    return float(np.sum(np.logaddexp(0.0, o) - y * o) / batch)


def binary_cross_entropy_gradient(o: ArrayLike, y: ArrayLike) -> np.ndarray:
    """``∂C/∂o = σ(o) − y`` for :func:`binary_cross_entropy` (divided by the batch size)."""
    o, y, batch = _loss_args(o, y, probabilities=True)
    return (act.logistic(o) - y) / batch  # ∂C/∂o = ∂C/∂b = σ(o) − y   [eq-dense-bce]


def _check_distribution(y: np.ndarray) -> None:
    sums = y.sum(axis=0)
    if np.max(np.abs(sums - 1.0)) > 1e-9:
        raise ValueError(
            "y must be a probability distribution over the k outputs (each column sums to 1) "
            f"for a softmax cross-entropy, got column sums such as {float(np.ravel(sums)[0]):g}"
        )


def softmax_cross_entropy(o: ArrayLike, y: ArrayLike) -> float:
    """Cross-entropy ``L = −Σ_i y_i ln z_i`` of the softmax ``z = softmax(o)`` [eq-dense-softmax-ce].

    Computed as ``−Σ_i y_i log_softmax(o)_i`` (:func:`neurolib.activations.log_softmax`),
    finite for every finite logit; averaged over the batch.

    Parameters
    ----------
    o : array_like, shape (k,) or (k, B)
        Logits; the softmax runs over the k outputs (axis 0).
    y : array_like, same shape
        Target distributions (e.g. one-hot codes): entries in [0, 1], columns summing to 1.
    """
    o, y, batch = _loss_args(o, y, probabilities=True)
    _check_distribution(y)
    return float(-np.sum(y * act.log_softmax(o, axis=0)) / batch)


def softmax_cross_entropy_gradient(o: ArrayLike, y: ArrayLike) -> np.ndarray:
    """``∂L/∂o = z − y`` with ``z = softmax(o)`` (divided by the batch size)."""
    o, y, batch = _loss_args(o, y, probabilities=True)
    _check_distribution(y)
    return (act.softmax(o, axis=0) - y) / batch  # ∂L/∂o = z − y   [eq-dense-softmax-ce]


@dataclass(frozen=True)
class Loss:
    """A loss function bundled with its gradient with respect to the output ``o``."""

    name: str
    value: Callable[[ArrayLike, ArrayLike], float]
    gradient: Callable[[ArrayLike, ArrayLike], np.ndarray]
    text: str

    def __call__(self, o: ArrayLike, y: ArrayLike) -> float:
        return self.value(o, y)


#: The three losses of chapter 08, by name.
LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in [
        Loss("squared_error", squared_error, squared_error_gradient, "½ Σ (o − y)²"),
        Loss("binary_cross_entropy", binary_cross_entropy, binary_cross_entropy_gradient, "Σ ln(1 + e^o) − y o"),
        Loss("softmax_cross_entropy", softmax_cross_entropy, softmax_cross_entropy_gradient, "−Σ y ln softmax(o)"),
    ]
}


def get_loss(name: str) -> Loss:
    """Look up a loss by name; the error for an unknown name lists the valid ones."""
    return LOSSES[check_choice(name, "name", LOSSES, "loss")]


# --- the gradient check [eq-dense-central-difference], [eq-dense-relative-error] ----------


def numerical_gradient(f: Callable[[], float], param: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of the scalar ``f()`` with respect to the array ``param``.

    ``∂f/∂θ_k ≈ [f(θ + ε e_k) − f(θ − ε e_k)] / (2ε)`` [eq-dense-central-difference],
    one entry at a time.
    ``param`` is changed *in place* and restored, so ``f`` must read the very same array
    (e.g. ``layer.W``), not a copy.

    Parameters
    ----------
    f : callable
        ``f() -> float``, e.g. ``lambda: loss(layer.forward(x), y)``.
    param : ndarray of float64
        The array to differentiate with respect to.
    eps : float, default 1e-6
        Step ε (dimensionless).
    """
    check_callable(f, "f", "without arguments returning the loss")
    eps = _check_eps(eps)
    if not isinstance(param, np.ndarray) or param.dtype != np.float64:
        raise TypeError(f"param must be a float64 numpy array that f reads, got {type(param).__name__}")
    grad = np.empty_like(param)
    flat, gflat = param.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, param):
        raise ValueError("param must be a contiguous array so that it can be perturbed in place")
    for k in range(flat.size):
        old = flat[k]
        flat[k] = old + eps
        f_plus = float(f())
        flat[k] = old - eps
        f_minus = float(f())
        flat[k] = old
        gflat[k] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def _check_eps(eps: Any) -> float:
    eps = check_positive(eps, "eps")
    if eps > 1.0:
        raise ValueError(f"eps must be <= 1 (a small step), got {eps:g}")
    return eps


def relative_error(analytic: ArrayLike, numeric: ArrayLike) -> float:
    """``‖a − n‖ / (‖a‖ + ‖n‖)`` (Euclidean norms), 0 if both are 0 [eq-dense-relative-error].

    Scale-free and at most 1; about 1e-9 or less for a correct float64 gradient, of order
    1 for a wrong one.
    """
    a = check_finite(analytic, "analytic")
    n = check_finite(numeric, "numeric")
    if a.shape != n.shape:
        raise ValueError(f"analytic and numeric must have the same shape, got {a.shape} and {n.shape}")
    denom = float(np.linalg.norm(a) + np.linalg.norm(n))
    return 0.0 if denom == 0.0 else float(np.linalg.norm(a - n)) / denom


@dataclass(frozen=True)
class GradientCheck:
    """Result of :func:`gradient_check`: the relative error of every parameter array."""

    errors: dict[str, float]
    eps: float
    tolerance: float

    @property
    def max_error(self) -> float:
        return max(self.errors.values())

    @property
    def passed(self) -> bool:
        return self.max_error < self.tolerance

    def __str__(self) -> str:
        width = max(len(k) for k in self.errors)
        lines = [f"{'array':<{width}}  relative error"]
        for key, err in self.errors.items():
            lines.append(f"{key:<{width}}  {err:.2e}{'' if err < self.tolerance else '   <-- FAILS'}")
        verdict = "passed" if self.passed else "FAILED"
        lines.append(f"gradient check {verdict} (tolerance {self.tolerance:g}, eps {self.eps:g})")
        return "\n".join(lines)


def gradient_check(
    f: Callable[[], float],
    params: Mapping[str, np.ndarray],
    grads: Mapping[str, ArrayLike],
    *,
    eps: float = 1e-6,
    tolerance: float = GRADIENT_TOLERANCE,
) -> GradientCheck:
    """Compare analytic gradients with central differences, array by array.

    Parameters
    ----------
    f : callable
        ``f() -> float``: the loss, recomputed from the arrays in ``params``.
    params : mapping name -> ndarray
        The arrays ``f`` depends on (perturbed in place, then restored).
    grads : mapping name -> array_like
        The analytic gradient of ``f`` for every key of ``params``.
    eps : float, default 1e-6
        Finite-difference step.
    tolerance : float, default 1e-7
        Largest relative error that passes.

    Returns
    -------
    GradientCheck
        ``errors[name]`` is :func:`relative_error` of each array; ``passed`` says whether
        all are below ``tolerance``.
    """
    check_callable(f, "f", "without arguments returning the loss")
    check_instance(params, "params", Mapping, "a mapping name -> array")
    check_instance(grads, "grads", Mapping, "a mapping name -> array")
    if set(params) != set(grads):
        raise ValueError(f"params and grads must have the same keys, got {sorted(params)} and {sorted(grads)}")
    if not params:
        raise ValueError("params must name at least one array to check")
    tolerance = check_positive(tolerance, "tolerance")
    errors = {}
    for name, param in params.items():
        numeric = numerical_gradient(f, param, eps)
        errors[name] = relative_error(grads[name], numeric)
    return GradientCheck(errors, float(eps), tolerance)


# --- a small multi-layer perceptron -------------------------------------------------------


class MLP:
    """A stack of :class:`Dense` layers with a loss on the last layer's (linear) output.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths from input to output, e.g. ``(2, 16, 2)``.
    hidden : str, default "tanh"
        Activation of the hidden layers (a key of
        :data:`neurolib.activations.ACTIVATIONS`). The output layer is linear: its output
        ``o`` are logits, and the loss applies the output function.
    loss : str, default "softmax_cross_entropy"
        A key of :data:`LOSSES`.
    seed, rng
        Randomness of the initial weights (see :func:`neurolib._checks.check_rng`).
    """

    def __init__(
        self,
        sizes: Sequence[int],
        hidden: str = "tanh",
        loss: str = "softmax_cross_entropy",
        *,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
            raise TypeError(f"sizes must be a sequence of layer widths, got {type(sizes).__name__} {sizes!r}")
        sizes = [check_int(s, "sizes[i]", minimum=1) for s in sizes]
        if len(sizes) < 2:
            raise ValueError(f"sizes must list at least an input and an output width, got {sizes}")
        check_memory(2.0 * sum(a * b for a, b in zip(sizes[:-1], sizes[1:])), "use smaller sizes",
                     what=f"the weights of an MLP with sizes {sizes}")
        check_choice(hidden, "hidden", act.ACTIVATIONS, "activation")
        self.loss = LOSSES[check_choice(loss, "loss", LOSSES)]
        if self.loss.name == "softmax_cross_entropy" and sizes[-1] < 2:
            raise ValueError(f"a softmax output needs at least 2 units, got sizes[-1]={sizes[-1]}")
        gen = check_rng(seed, rng)
        n_layers = len(sizes) - 1
        self.layers = [
            Dense.random(n_in, n_out, hidden if i < n_layers - 1 else "linear", rng=gen, name=f"layer{i + 1}")
            for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]))
        ]

    def __repr__(self) -> str:
        sizes = [self.layers[0].n_in] + [layer.n_out for layer in self.layers]
        hidden = self.layers[0].activation.name if len(self.layers) > 1 else "-"
        return f"MLP(sizes={sizes}, hidden={hidden!r}, loss={self.loss.name!r})"

    def forward(self, x: ArrayLike) -> np.ndarray:
        """Logits ``o`` of the last layer, shape (k,) or (k, B)."""
        x = self.layers[0]._check_shape(x, "x", self.layers[0].n_in)
        h = x[:, None] if x.ndim == 1 else x
        for layer in self.layers:
            h = layer._forward(h)  # the input of each layer is the output of the one below
        return h[:, 0] if x.ndim == 1 else h

    def cost(self, x: ArrayLike, y: ArrayLike) -> float:
        """Loss of the network on inputs ``x`` and targets ``y`` (batch mean)."""
        o = self.forward(x)
        return self.loss(o, _targets_like(y, o))

    def parameters(self) -> dict[str, np.ndarray]:
        """The weight and bias arrays themselves (not copies), named ``layer1.W`` etc."""
        out = {}
        for layer in self.layers:
            out[f"{layer.name}.W"] = layer.W
            out[f"{layer.name}.b"] = layer.b
        return out

    def gradients(self, x: ArrayLike, y: ArrayLike) -> dict[str, np.ndarray]:
        """Backpropagation: forward pass, loss gradient, then every layer's backward pass.

        Returns
        -------
        dict
            ∂C/∂θ for every array of :meth:`parameters`, under the same names.
        """
        o = self.forward(x)
        delta = self.loss.gradient(o, _targets_like(y, o))  # Δ = ∂C/∂o of the output layer
        delta = delta[:, None] if delta.ndim == 1 else delta
        grads = {}
        for layer in reversed(self.layers):
            delta, grads[f"{layer.name}.W"], grads[f"{layer.name}.b"] = layer._backward(delta)
            # the layer's dx is the Δ of the layer below
        return {key: grads[key] for key in self.parameters()}

    def sgd_step(self, grads: Mapping[str, np.ndarray], learning_rate: float) -> None:
        """Gradient descent, in place: ``θ ← θ − η ∂C/∂θ`` [eq-dense-sgd].

        ``grads`` must hold a finite array of the right shape for every parameter (as
        :meth:`gradients` returns) and ``learning_rate`` must be finite and > 0; the
        parameters are only changed once every check has passed.
        """
        learning_rate = check_positive(learning_rate, "learning_rate")
        arrays = self._matching_arrays(grads, "grads")
        for key, param in self.parameters().items():
            param -= learning_rate * arrays[key]

    def get_state(self) -> dict[str, np.ndarray]:
        """A copy of every parameter array (for snapshots)."""
        return {key: p.copy() for key, p in self.parameters().items()}

    def set_state(self, state: Mapping[str, np.ndarray]) -> None:
        """Copy the arrays of ``state`` (from :meth:`get_state`) into the network."""
        arrays = self._matching_arrays(state, "state")
        for key, param in self.parameters().items():
            param[...] = arrays[key]

    def _matching_arrays(self, arrays: Any, name: str) -> dict[str, np.ndarray]:
        """Finite arrays of ``arrays`` for every parameter, with the parameter's shape."""
        check_instance(arrays, name, Mapping, "a mapping parameter name -> array (see parameters())")
        out = {}
        for key, param in self.parameters().items():
            if key not in arrays:
                raise ValueError(f"{name} must hold an array for every parameter; {key!r} is missing")
            value = check_finite(arrays[key], f"{name}[{key!r}]")
            if value.shape != param.shape:
                raise ValueError(f"{name}[{key!r}] must have shape {param.shape}, got {value.shape}")
            out[key] = value
        return out

    def targets(self, labels: ArrayLike) -> np.ndarray:
        """Target matrix for integer class ``labels`` of shape (B,), as the loss needs it.

        One output unit (binary cross-entropy or squared error): ``labels`` as a row
        ``(1, B)``; otherwise one-hot columns ``(k, B)``.
        """
        k = self.layers[-1].n_out
        if k == 1:
            labels = _labels(labels, 2)
            return labels[None, :].astype(np.float64)
        return one_hot_labels(labels, k)

    def predict(self, x: ArrayLike) -> np.ndarray:
        """Predicted class of each column of ``x`` (argmax, or ``o > 0`` for one output)."""
        return self._classes(self.forward(x))

    @staticmethod
    def _classes(o: np.ndarray) -> np.ndarray:
        o = o[:, None] if o.ndim == 1 else o
        return (o[0] > 0).astype(int) if o.shape[0] == 1 else np.argmax(o, axis=0)

    def accuracy(self, x: ArrayLike, labels: ArrayLike) -> float:
        """Fraction of the columns of ``x`` classified as ``labels``."""
        labels = _labels(labels, max(2, self.layers[-1].n_out))
        return float(np.mean(self.predict(x) == labels))


def _targets_like(y: ArrayLike, o: np.ndarray) -> np.ndarray:
    """Targets ``y`` checked against the output ``o`` of the inputs ``x``, naming both."""
    y = as_real_array(y, "y")
    if y.shape != o.shape:
        raise ValueError(f"y must have the shape of the network's output for x, {o.shape} "
                         f"(outputs x examples), got {y.shape}; check x and y")
    return y


def _labels(labels: ArrayLike, n_classes: int) -> np.ndarray:
    arr = np.asarray(labels)
    if arr.ndim != 1 or arr.dtype.kind not in "iu":
        raise ValueError(f"labels must be a 1-D array of integer class labels, got shape {arr.shape}, dtype {arr.dtype}")
    if arr.size and (arr.min() < 0 or arr.max() >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}, got values in [{arr.min()}, {arr.max()}]")
    return arr


def one_hot_labels(labels: ArrayLike, n_classes: int) -> np.ndarray:
    """One-hot targets of shape ``(n_classes, B)`` for integer ``labels`` of shape (B,)."""
    n_classes = check_int(n_classes, "n_classes", minimum=2)
    check_memory(float(n_classes) * max(1, np.size(labels)), "reduce n_classes",
                 what=f"{n_classes} classes x {np.size(labels)} labels")
    labels = _labels(labels, n_classes)
    out = np.zeros((n_classes, labels.size))
    out[labels, np.arange(labels.size)] = 1.0
    return out


# --- a 2-D data set and the training loop -------------------------------------------------


@dataclass(frozen=True)
class Moons:
    """Two interleaved half-circles (the "two moons"), split into training and test sets.

    Attributes
    ----------
    X_train, X_test : ndarray, shape (2, N)
        Points as columns (dimensionless coordinates).
    y_train, y_test : ndarray of int, shape (N,)
        Class 0 (upper moon) or 1 (lower moon).
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def _moon_points(n: int, noise: float, gen: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    labels = gen.permutation(np.arange(n) % 2)
    theta = gen.uniform(0.0, np.pi, size=n)
    upper = np.stack([np.cos(theta), np.sin(theta)])  # class 0: the upper half-circle
    lower = np.stack([1.0 - np.cos(theta), 0.5 - np.sin(theta)])  # class 1: shifted, flipped
    X = np.where(labels == 0, upper, lower) + noise * gen.standard_normal((2, n))
    return X, labels


def make_moons(
    n_train: int = 200, n_test: int = 400, noise: float = 0.15, *, seed: int | None = None, rng: np.random.Generator | None = None
) -> Moons:
    """Sample the two-moons data set: half of the points on each moon, plus Gaussian noise.

    Parameters
    ----------
    n_train, n_test : int
        Number of training and held-out test points (at least 2 each).
    noise : float, default 0.15
        Standard deviation of the Gaussian noise added to each coordinate (moon radius 1).
    seed, rng
        Source of randomness; the same seed gives the same data.
    """
    n_train = check_size(n_train, "n_train", minimum=2, per_item=6)
    n_test = check_size(n_test, "n_test", minimum=2, per_item=6)
    noise = check_real_scalar(noise, "noise")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise:g}")
    gen = check_rng(seed, rng)
    X_train, y_train = _moon_points(n_train, noise, gen)
    X_test, y_test = _moon_points(n_test, noise, gen)
    return Moons(X_train, y_train, X_test, y_test)


@dataclass(frozen=True)
class TrainingHistory:
    """Learning curves of :func:`train`, one entry per epoch (index 0: before training).

    Attributes
    ----------
    train_loss, test_loss : ndarray, shape (epochs + 1,)
        Loss on the whole training and test set.
    train_accuracy, test_accuracy : ndarray, shape (epochs + 1,)
        Fraction classified correctly.
    states : tuple of dict
        The parameters after each epoch (:meth:`MLP.get_state`), if requested; else empty.
    """

    train_loss: np.ndarray
    test_loss: np.ndarray
    train_accuracy: np.ndarray
    test_accuracy: np.ndarray
    states: tuple[dict[str, np.ndarray], ...] = field(default=(), repr=False)

    @property
    def epochs(self) -> np.ndarray:
        return np.arange(self.train_loss.size)


#: Weights beyond this size mean that gradient descent has diverged (long before overflow).
_DIVERGED = 1e100


def _diverged(epoch: int, learning_rate: float) -> None:
    raise FloatingPointError(
        f"training diverged in epoch {epoch} (weights or outputs overflowed); "
        f"use a smaller learning_rate than {learning_rate:g}"
    )


def train(
    model: MLP,
    data: Moons,
    *,
    epochs: int = 100,
    learning_rate: float = 0.3,
    batch_size: int = 20,
    seed: int | None = None,
    rng: np.random.Generator | None = None,
    keep_states: bool = False,
) -> TrainingHistory:
    """Stochastic gradient descent on ``data`` (``model`` is trained in place).

    Each epoch shuffles the training set and takes one step ``θ ← θ − η ∂C/∂θ`` per
    mini-batch of ``batch_size`` examples.

    Parameters
    ----------
    model : MLP
    data : Moons
        Training and test sets (or any object with the same four arrays).
    epochs : int, default 100
    learning_rate : float, default 0.3
        Step size η > 0 (dimensionless).
    batch_size : int, default 20
    seed, rng
        Randomness of the shuffling.
    keep_states : bool, default False
        Keep a copy of the parameters after every epoch (for the widget).

    Raises
    ------
    FloatingPointError
        If the loss becomes infinite or NaN (the step size is too large).
    """
    check_instance(model, "model", MLP, "an MLP (or a deep.DeepNet)")
    _check_data(data)
    epochs = check_int(epochs, "epochs", minimum=0)
    learning_rate = check_positive(learning_rate, "learning_rate")
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    keep_states = check_bool(keep_states, "keep_states")
    gen = check_rng(seed, rng)
    _check_training_budget(model, data.X_train.shape[1], epochs, batch_size, keep_states)
    recorder = _Recorder(model, data, learning_rate, keep_states)
    recorder.record(0)
    for epoch in range(1, epochs + 1):
        order = gen.permutation(data.X_train.shape[1])
        _sgd_epoch(model, data.X_train, recorder.Y_train, order, batch_size, learning_rate, epoch)
        recorder.record(epoch)
    return recorder.history()


def _check_training_budget(model: MLP, n: int, epochs: int, batch_size: int, keep_states: bool) -> None:
    """Refuse, before training, more steps than :data:`neurolib._checks.MAX_STEPS` or
    parameter snapshots larger than the memory budget."""
    n_batches = -(-n // batch_size)
    if epochs * n_batches > _checks.MAX_STEPS:
        raise ValueError(f"epochs={epochs} x {n_batches} mini-batches is more than the limit of "
                         f"{_checks.MAX_STEPS:.3g} steps; reduce epochs (or increase batch_size)")
    if keep_states:
        check_memory(float(epochs + 1) * sum(p.size for p in model.parameters().values()),
                     "reduce epochs or pass keep_states=False", what=f"{epochs + 1} snapshots of the parameters")


class _Recorder:
    """The curves of :func:`train`: loss and accuracy on both sets after every epoch."""

    def __init__(self, model: MLP, data: Moons, learning_rate: float, keep_states: bool) -> None:
        self.model, self.data = model, data
        self.learning_rate, self.keep_states = learning_rate, keep_states
        self.Y_train, self.Y_test = model.targets(data.y_train), model.targets(data.y_test)
        self.curves: dict[str, list[float]] = {"train_loss": [], "test_loss": [], "train_accuracy": [], "test_accuracy": []}
        self.states: list[dict[str, np.ndarray]] = []

    def record(self, epoch: int) -> None:
        """Append the curves' values after ``epoch``; a non-finite output is a divergence."""
        model, data, curves = self.model, self.data, self.curves
        with np.errstate(over="ignore", invalid="ignore"):
            finite = all(np.all(np.isfinite(p)) for p in model.parameters().values())
            o_train = model.forward(data.X_train) if finite else np.array([np.nan])
        if not np.all(np.isfinite(o_train)):
            _diverged(epoch, self.learning_rate)
        o_test = model.forward(data.X_test)
        curves["train_loss"].append(model.loss(o_train, self.Y_train))
        curves["test_loss"].append(model.loss(o_test, self.Y_test))
        curves["train_accuracy"].append(float(np.mean(model._classes(o_train) == data.y_train)))
        curves["test_accuracy"].append(float(np.mean(model._classes(o_test) == data.y_test)))
        if self.keep_states:
            self.states.append(model.get_state())

    def history(self) -> TrainingHistory:
        return TrainingHistory(**{k: np.array(v) for k, v in self.curves.items()}, states=tuple(self.states))


def _sgd_epoch(model: MLP, X: np.ndarray, Y: np.ndarray, order: np.ndarray, batch_size: int,
               learning_rate: float, epoch: int) -> None:
    """One epoch of :func:`train`: a step ``θ ← θ − η ∂C/∂θ`` per mini-batch, in ``order``."""
    # An overflow within the epoch is reported by _Recorder.record as a divergence.
    with np.errstate(over="ignore", invalid="ignore"):
        for start in range(0, X.shape[1], batch_size):
            batch = order[start : start + batch_size]
            grads = model.gradients(X[:, batch], Y[:, batch])
            model.sgd_step(grads, learning_rate)
            if not all(np.max(np.abs(p)) < _DIVERGED for p in model.parameters().values()):
                _diverged(epoch, learning_rate)


def _check_data(data: Any) -> None:
    """``data`` must carry the four arrays of :class:`Moons`."""
    missing = [k for k in ("X_train", "y_train", "X_test", "y_test") if not isinstance(getattr(data, k, None), np.ndarray)]
    if missing:
        raise TypeError(f"data must be a Moons (or an object with the arrays X_train, y_train, X_test, y_test), "
                        f"got {type(data).__name__} without {', '.join(missing)}")


def probability_grid(
    model: MLP, xlim: tuple[float, float], ylim: tuple[float, float], n: int = 60
) -> np.ndarray:
    """Probability of class 1 on an ``n × n`` grid of the plane (rows: y, columns: x).

    For drawing the decision boundary (the 0.5 level) with ``imshow(..., origin="lower")``.
    """
    check_instance(model, "model", MLP, "an MLP")
    n = check_int(n, "n", minimum=2)
    check_memory(8.0 * n * n * max(layer.n_out for layer in model.layers), "reduce n", what=f"a {n} x {n} grid")
    x0, x1 = _pair(xlim, "xlim")
    y0, y1 = _pair(ylim, "ylim")
    gx = np.linspace(x0, x1, n)
    gy = np.linspace(y0, y1, n)
    xx, yy = np.meshgrid(gx, gy)
    o = model.forward(np.stack([xx.ravel(), yy.ravel()]))
    p = act.logistic(o[0]) if o.shape[0] == 1 else act.softmax(o, axis=0)[1]
    return np.asarray(p).reshape(n, n)


def _pair(lim: Any, name: str) -> tuple[float, float]:
    pair = check_finite(lim, name)
    if pair.shape != (2,) or not pair[0] < pair[1]:
        raise ValueError(f"{name} must be an increasing pair (low, high), got {lim!r}")
    return float(pair[0]), float(pair[1])


# --- a scalar reverse-mode autodiff (what a library does for you) -------------------------


class Value:
    """A scalar that remembers how it was computed, so that it can differentiate it.

    Each operation creates a new ``Value`` and stores, next to its forward rule, a
    ``_backward`` closure: the chain rule for that one operation, which adds the
    output's gradient times the local derivative to each input's ``grad``.
    :meth:`backward` runs these closures in reverse topological order. A few lines per
    operation are all that reverse-mode automatic differentiation needs.

    Examples
    --------
    >>> a, b = Value(2.0), Value(-3.0)
    >>> c = a * b + a
    >>> c.backward()
    >>> a.grad, b.grad
    (-2.0, 2.0)
    """

    __slots__ = ("data", "grad", "_backward", "_parents")

    def __init__(self, data: float, _parents: tuple["Value", ...] = ()) -> None:
        # a leaf comes from the user and is checked; results of operations are not
        self.data = float(data) if _parents else check_real_scalar(data, "data")
        self.grad = 0.0
        self._backward: Callable[[], None] = lambda: None
        self._parents = _parents

    def __repr__(self) -> str:
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    @staticmethod
    def _wrap(other: Any) -> "Value":
        return other if isinstance(other, Value) else Value(other)

    def __add__(self, other: Any) -> "Value":
        other = self._wrap(other)
        out = Value(self.data + other.data, (self, other))

        def _backward() -> None:  # d(a + b)/da = d(a + b)/db = 1
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: Any) -> "Value":
        other = self._wrap(other)
        out = Value(self.data * other.data, (self, other))

        def _backward() -> None:  # d(ab)/da = b, d(ab)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, k: float) -> "Value":
        k = float(k)
        out = Value(self.data**k, (self,))

        def _backward() -> None:  # d(a^k)/da = k a^(k-1); a^0 = 1 is constant (gradient 0, also at a = 0)
            if k != 0.0:
                self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def exp(self) -> "Value":
        out = Value(math.exp(self.data), (self,))

        def _backward() -> None:  # d(e^a)/da = e^a
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def log(self) -> "Value":
        out = Value(math.log(self.data), (self,))

        def _backward() -> None:  # d(ln a)/da = 1/a
            self.grad += out.grad / self.data

        out._backward = _backward
        return out

    def tanh(self) -> "Value":
        out = Value(math.tanh(self.data), (self,))

        def _backward() -> None:  # d(tanh a)/da = 1 − tanh² a
            self.grad += (1.0 - out.data**2) * out.grad

        out._backward = _backward
        return out

    def sigmoid(self) -> "Value":
        out = Value(float(act.logistic(self.data)), (self,))

        def _backward() -> None:  # dσ(a)/da = σ(1 − σ)
            self.grad += out.data * (1.0 - out.data) * out.grad

        out._backward = _backward
        return out

    def relu(self) -> "Value":
        out = Value(max(self.data, 0.0), (self,))

        def _backward() -> None:  # 1 for a >= 0 (the convention of chapter 07), else 0
            self.grad += (self.data >= 0) * out.grad

        out._backward = _backward
        return out

    def topological_order(self) -> list["Value"]:
        """Every Value this one was computed from (itself last), inputs before outputs."""
        order: list[Value] = []
        seen: set[int] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:  # iterative depth-first search: post-order = topological order
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((p, False) for p in node._parents)
        return order

    def backward(self) -> None:
        """Set ``grad`` of every Value this one depends on to ∂self/∂(that Value)."""
        order = self.topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node._backward()

    # the remaining operators, expressed through the ones above
    def __neg__(self) -> "Value":
        return self * -1.0

    def __sub__(self, other: Any) -> "Value":
        return self + (-self._wrap(other))

    def __truediv__(self, other: Any) -> "Value":
        return self * self._wrap(other) ** -1.0

    def __radd__(self, other: Any) -> "Value":
        return self + other

    def __rmul__(self, other: Any) -> "Value":
        return self * other

    def __rsub__(self, other: Any) -> "Value":
        return self._wrap(other) - self

    def __rtruediv__(self, other: Any) -> "Value":
        return self._wrap(other) / self


def as_values(a: ArrayLike) -> np.ndarray:
    """An object array of :class:`Value` with the shape of ``a``.

    NumPy's ``@``, ``+`` and ``sum`` work on object arrays through the Values' own
    operators, so ``W @ x + b`` builds the computation graph of a dense layer.
    """
    a = check_finite(a, "a")
    out = np.empty(a.shape, dtype=object)
    for idx, v in np.ndenumerate(a):
        out[idx] = Value(v)
    return out


def _check_values(a: Any, name: str = "a") -> np.ndarray:
    arr = np.asarray(a, dtype=object)
    if not all(isinstance(v, Value) for v in arr.flat):
        raise TypeError(f"{name} must be an array of Value objects (see as_values), got {type(a).__name__}")
    return arr


def values_data(a: np.ndarray) -> np.ndarray:
    """The ``data`` of every Value of an object array, as a float array."""
    return np.vectorize(lambda v: v.data, otypes=[float])(_check_values(a))


def values_grad(a: np.ndarray) -> np.ndarray:
    """The ``grad`` of every Value of an object array, as a float array."""
    return np.vectorize(lambda v: v.grad, otypes=[float])(_check_values(a))
