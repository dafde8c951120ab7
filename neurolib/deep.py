"""Deep networks: vanishing gradients and five remedies (chapter 09).

Everything generic — the dense layer, the losses, the training loop, the two-moons
data — comes from :mod:`neurolib.dense` (chapter 08) and :mod:`neurolib.activations`
(chapter 07). This module adds what is specific to *deep* sigmoid networks:

* initialisation schemes by name (:data:`INIT_SCHEMES`: N(0, 1), 1/√fan-in, Glorot, He);
* :class:`DeepNet`, an :class:`neurolib.dense.MLP` built by depth, width, hidden
  activation and initialisation, with a logistic output unit trained either with the
  squared error of σ(o) or with cross-entropy, optional 0.15/0.85 targets and the
  Fahlman σ′ + 0.1 variant of backpropagation;
* :func:`gradient_norms`, the norm of ∂C/∂W of every layer;
* the logistic's curvature extremes (:func:`curvature_extremes`) and the gradient of a
  stuck output unit (:func:`stuck_output_gradient`);
* the experiment of the chapter: :data:`REMEDIES` and :func:`compare_remedies`.

All quantities are dimensionless.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
from scipy.optimize import brentq

from . import activations as act
from . import dense
from ._checks import (
    check_choice,
    check_finite,
    check_instance,
    check_int,
    check_memory,
    check_names,
    check_nonnegative,
    check_positive,
    check_real_scalar,
    check_rng,
    check_size,
)

__all__ = [
    "INIT_SCHEMES",
    "init_std",
    "OUTPUT_LOSSES",
    "FAHLMAN_OFFSET",
    "SOFT_TARGETS",
    "DeepNet",
    "gradient_norms",
    "saturated_fraction",
    "sigmoid_prime_bound",
    "logistic_second_derivative",
    "logistic_third_derivative",
    "curvature_extremes",
    "CurvatureExtremes",
    "stuck_output_gradient",
    "Remedy",
    "REMEDIES",
    "RemedyResult",
    "run_remedy",
    "compare_remedies",
]

ArrayLike = Any

#: Fahlman's constant added to σ′ during backpropagation (Fahlman 1988).
FAHLMAN_OFFSET: float = 0.1
#: Targets that keep a logistic output out of saturation, near its curvature extremes.
SOFT_TARGETS: tuple[float, float] = (0.15, 0.85)


# --- initialisation -----------------------------------------------------------------------


def _std_normal(n_in: int, n_out: int) -> float:
    return 1.0


def _std_lecun(n_in: int, n_out: int) -> float:
    return 1.0 / math.sqrt(n_in)


def _std_glorot(n_in: int, n_out: int) -> float:
    return math.sqrt(2.0 / (n_in + n_out))


def _std_he(n_in: int, n_out: int) -> float:
    return math.sqrt(2.0 / n_in)


#: Standard deviation of the Gaussian initial weights of a layer, by scheme name:
#: ``normal`` N(0, 1); ``lecun`` 1/√n_in (LeCun et al. 1998); ``glorot``
#: √(2/(n_in + n_out)) (Glorot & Bengio 2010); ``he`` √(2/n_in) (He et al. 2015).
INIT_SCHEMES: dict[str, Any] = {
    "normal": _std_normal,
    "lecun": _std_lecun,
    "glorot": _std_glorot,
    "he": _std_he,
}


def init_std(scheme: str, n_in: int, n_out: int) -> float:
    """Standard deviation of the initial weights of a layer with ``n_in`` inputs, ``n_out`` outputs.

    Parameters
    ----------
    scheme : str
        A key of :data:`INIT_SCHEMES`; an unknown name raises ValueError listing them.
    n_in, n_out : int
        Fan-in and fan-out (>= 1).
    """
    check_choice(scheme, "scheme", INIT_SCHEMES, "init")
    n_in = check_int(n_in, "n_in", minimum=1)
    n_out = check_int(n_out, "n_out", minimum=1)
    return INIT_SCHEMES[scheme](n_in, n_out)


# --- a deep network with a logistic output ------------------------------------------------

#: Losses of the single logistic output unit: squared error of σ(o), or cross-entropy.
OUTPUT_LOSSES: tuple[str, ...] = ("squared_error", "cross_entropy")


def _sigmoid_squared_error_loss(offset: float) -> dense.Loss:
    """``C = ½ Σ (σ(o) − y)²`` on the logit ``o``; gradient ``(σ − y)(σ′ + offset)``."""

    def value(o: ArrayLike, y: ArrayLike) -> float:
        return dense.squared_error(act.logistic(o), y)

    def gradient(o: ArrayLike, y: ArrayLike) -> np.ndarray:
        s = act.logistic(o)
        # ∂C/∂o = (σ − y) σ′(o)   [eq-deep-stuck]; Fahlman adds a constant to σ′
        return dense.squared_error_gradient(s, y) * (act.logistic_derivative(o) + offset)

    return dense.Loss("sigmoid_squared_error", value, gradient, "½ Σ (σ(o) − y)²")


def _offset_activation(name: str, offset: float) -> act.Activation:
    """The activation ``name`` whose derivative, as backprop uses it, is ``f′ + offset``."""
    base = act.get_activation(name)
    if offset == 0.0:
        return base
    return dataclasses.replace(base, df=lambda z: base.df(z) + offset)


class DeepNet(dense.MLP):
    """A deep fully connected network with one logistic output unit (two-class problems).

    ``depth`` dense layers: ``depth − 1`` hidden layers of ``width`` units with the
    activation ``hidden``, then one output unit whose logit ``o`` is squashed by the
    logistic, ``p = σ(o)``. Training uses :func:`neurolib.dense.train` unchanged.

    Parameters
    ----------
    n_in : int
        Input dimension (2 for the two moons).
    depth : int
        Number of weight layers (>= 1); a "10-layer net" has ``depth=10``.
    width : int
        Units of every hidden layer (>= 1).
    hidden : str, default "logistic"
        A key of :data:`neurolib.activations.ACTIVATIONS`.
    init : str, default "normal"
        A key of :data:`INIT_SCHEMES`.
    init_scale : float, default 1.0
        Multiplies the scheme's standard deviation (> 0).
    loss : {"squared_error", "cross_entropy"}
        Squared error of ``σ(o)`` or binary cross-entropy (on the logit, stable).
    targets : (float, float), default (0.0, 1.0)
        Targets of class 0 and class 1 (e.g. :data:`SOFT_TARGETS`), in [0, 1].
    prime_offset : float, default 0.0
        Constant added to every unit's activation derivative in the backward pass
        (Fahlman's variant with :data:`FAHLMAN_OFFSET`); 0 is exact backpropagation.
    seed, rng
        Randomness of the initial weights.
    """

    def __init__(
        self,
        n_in: int,
        depth: int,
        width: int,
        hidden: str = "logistic",
        init: str = "normal",
        *,
        init_scale: float = 1.0,
        loss: str = "squared_error",
        targets: tuple[float, float] = (0.0, 1.0),
        prime_offset: float = 0.0,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        n_in = check_int(n_in, "n_in", minimum=1)
        depth = check_int(depth, "depth", minimum=1)
        width = check_int(width, "width", minimum=1)
        check_memory(2.0 * (n_in * width + (depth - 1) * width * width + width), "reduce depth, width or n_in",
                     what=f"the weights of {depth} layers of width {width}")
        check_choice(hidden, "hidden", act.ACTIVATIONS, "activation")
        check_choice(init, "init", INIT_SCHEMES)
        init_scale = check_positive(init_scale, "init_scale")
        check_choice(loss, "loss", OUTPUT_LOSSES)
        t = check_finite(targets, "targets")
        if t.shape != (2,) or not (0.0 <= t[0] < t[1] <= 1.0):
            raise ValueError(f"targets must be two numbers 0 <= low < high <= 1, got {targets!r}")
        self.prime_offset = check_nonnegative(prime_offset, "prime_offset")
        gen = check_rng(seed, rng)
        self.hidden, self.init, self.init_scale = hidden, init, init_scale
        self.target_values = (float(t[0]), float(t[1]))
        self.output_loss = loss
        if loss == "squared_error":
            self.loss = _sigmoid_squared_error_loss(self.prime_offset)
        else:
            self.loss = dense.get_loss("binary_cross_entropy")
        sizes = [n_in] + [width] * (depth - 1) + [1]
        self.layers = []
        for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
            std = init_scale * init_std(init, a, b)
            W = gen.normal(0.0, std, size=(b, a))
            last = i == depth - 1
            layer = dense.Dense(W, np.zeros(b), "linear" if last else hidden, name=f"layer{i + 1}")
            if not last:
                layer.activation = _offset_activation(hidden, self.prime_offset)
            self.layers.append(layer)

    def __repr__(self) -> str:
        return (
            f"DeepNet(depth={len(self.layers)}, width={self.layers[0].n_out}, hidden={self.hidden!r}, "
            f"init={self.init!r}, loss={self.output_loss!r}, targets={self.target_values}, "
            f"prime_offset={self.prime_offset:g})"
        )

    @property
    def depth(self) -> int:
        return len(self.layers)

    def targets(self, labels: ArrayLike) -> np.ndarray:
        """Target row ``(1, B)``: ``targets[0]`` for class 0, ``targets[1]`` for class 1."""
        row = dense.MLP.targets(self, labels)
        low, high = self.target_values
        return low + (high - low) * row

    def probabilities(self, x: ArrayLike) -> np.ndarray:
        """``σ(o)``, the output unit's probability of class 1, shape (1, B)."""
        return np.asarray(act.logistic(self.forward(x)))


def gradient_norms(net: dense.MLP, x: ArrayLike, labels: ArrayLike) -> np.ndarray:
    """Euclidean (Frobenius) norm ``‖∂C/∂W_l‖`` of every layer ``l = 1 … depth``.

    Parameters
    ----------
    net : DeepNet or MLP
    x : array_like, shape (n_in, B)
        Inputs as columns.
    labels : array_like of int, shape (B,)
        Class labels; the net's own :meth:`~DeepNet.targets` turns them into targets.

    Returns
    -------
    ndarray, shape (depth,)
        Input layer first.
    """
    check_instance(net, "net", dense.MLP, "a DeepNet or an MLP")
    grads = net.gradients(x, net.targets(labels))
    return np.array([np.linalg.norm(grads[f"{layer.name}.W"]) for layer in net.layers])


def saturated_fraction(net: DeepNet, x: ArrayLike, threshold: float = 0.1) -> np.ndarray:
    """Fraction of hidden-unit activations whose derivative is below ``threshold × max f′``.

    A logistic unit with σ′ < 0.1 × 1/4 (``|z| > 3.6``) is saturated: it passes back less
    than a tenth of what it could. Returns one fraction per hidden layer (shape
    ``(depth − 1,)``), over all units and all columns of ``x``.
    """
    check_instance(net, "net", DeepNet, "a DeepNet (a plain MLP has no hidden activation name)")
    threshold = check_positive(threshold, "threshold")
    h = net.layers[0]._check_shape(x, "x", net.layers[0].n_in)
    h = h[:, None] if h.ndim == 1 else h
    out = []
    base = act.get_activation(net.hidden)
    peak = float(np.max(base.df(np.linspace(-5.0, 5.0, 1001))))
    with np.errstate(over="ignore", invalid="ignore"):
        for layer in net.layers[:-1]:
            z = layer.W @ h + layer.b[:, None]
            out.append(float(np.mean(base.df(z) < threshold * peak)))
            h = base.f(z)
    return np.array(out)


def sigmoid_prime_bound(depth: int) -> np.ndarray:
    """The product-of-σ′ bound ``(1/4)^(depth − l)`` on the ratio ‖∂C/∂W_l‖ / ‖∂C/∂W_depth‖.

    Each logistic layer between layer ``l`` and the output multiplies the error by a σ′
    of at most 1/4 (times the weights, which this bound leaves out). Shape (depth,).
    """
    depth = check_size(depth, "depth")
    return 0.25 ** (depth - np.arange(1, depth + 1, dtype=float))


# --- saturation and curvature of the logistic ---------------------------------------------


def logistic_second_derivative(z: ArrayLike) -> np.ndarray:
    """``σ″(z) = σ′(z) (1 − 2σ(z))`` (dimensionless)."""
    z = check_finite(z, "z")
    s = act.logistic(z)
    return s * (1.0 - s) * (1.0 - 2.0 * s)


def logistic_third_derivative(z: ArrayLike) -> np.ndarray:
    """``σ‴(z) = σ′(z) (1 − 6σ + 6σ²)``; its zeros are the extremes of σ″."""
    z = check_finite(z, "z")
    s = act.logistic(z)
    return s * (1.0 - s) * (1.0 - 6.0 * s + 6.0 * s * s)


@dataclass(frozen=True)
class CurvatureExtremes:
    """Where the logistic's curvature, the absolute value of σ″, is largest.

    Attributes
    ----------
    z : float
        The positive net input of the extreme (the other is at −z).
    sigma_low, sigma_high : float
        σ(−z) and σ(z).
    curvature : float
        ``max |σ″| = |σ″(±z)|``.
    """

    z: float
    sigma_low: float
    sigma_high: float
    curvature: float


def curvature_extremes() -> CurvatureExtremes:
    """Locate the extremes of σ″ numerically: the root of σ‴ on (0, 5), by Brent's method.

    The closed form is ``z = ln(2 + √3) ≈ 1.317`` with σ = (3 ± √3)/6 ≈ 0.2113, 0.7887;
    the tests compare the numerical root with it and with finite differences.
    """
    z = brentq(lambda t: float(logistic_third_derivative(t)), 0.1, 5.0, xtol=1e-14)
    return CurvatureExtremes(
        z=float(z),
        sigma_low=float(act.logistic(-z)),
        sigma_high=float(act.logistic(z)),
        curvature=float(abs(logistic_second_derivative(z))),
    )


def stuck_output_gradient(output: float = 1e-7, target: float = 1.0, loss: str = "squared_error") -> float:
    """``∂C/∂o`` of one logistic output unit with ``σ(o) = output`` and the given target.

    Squared error: ``(σ − y) σ(1 − σ)`` — tiny when the unit is saturated on the wrong side;
    cross-entropy: ``σ − y``.

    Parameters
    ----------
    output : float
        The unit's output σ(o), in the open interval (0, 1).
    target : float
        Target in [0, 1].
    loss : {"squared_error", "cross_entropy"}
    """
    output = check_real_scalar(output, "output")
    if not 0.0 < output < 1.0:
        raise ValueError(f"output must lie in the open interval (0, 1), got {output:g}")
    target = check_real_scalar(target, "target")
    if not 0.0 <= target <= 1.0:
        raise ValueError(f"target must lie in [0, 1], got {target:g}")
    check_choice(loss, "loss", OUTPUT_LOSSES)
    if loss == "squared_error":
        return (output - target) * output * (1.0 - output)
    return output - target


# --- the experiment: one network, five remedies -------------------------------------------


@dataclass(frozen=True)
class Remedy:
    """One configuration of the chapter's comparison (keyword arguments of :class:`DeepNet`)."""

    name: str
    label: str
    hidden: str = "logistic"
    init: str = "normal"
    loss: str = "squared_error"
    targets: tuple[float, float] = (0.0, 1.0)
    prime_offset: float = 0.0


#: The baseline (logistic, N(0, 1), squared error, 0/1 targets) and the five remedies,
#: each changing one thing. ``relu_normal`` is ReLU with the bad N(0, 1) initialisation.
REMEDIES: dict[str, Remedy] = {
    r.name: r
    for r in [
        Remedy("baseline", "baseline: N(0,1) weights"),
        Remedy("lecun_init", "1/sqrt(n) initialisation", init="lecun"),
        Remedy("soft_targets", "targets 0.15/0.85", targets=SOFT_TARGETS),
        Remedy("fahlman", "sigma' + 0.1 (Fahlman)", prime_offset=FAHLMAN_OFFSET),
        Remedy("cross_entropy", "cross-entropy loss", loss="cross_entropy"),
        Remedy("relu", "ReLU hidden units (He init)", hidden="relu", init="he"),
        Remedy("relu_normal", "ReLU with N(0,1) weights", hidden="relu"),
    ]
}


@dataclass(frozen=True)
class RemedyResult:
    """What :func:`run_remedy` measured.

    Attributes
    ----------
    remedy : Remedy
    norms : ndarray, shape (depth,)
        ‖∂C/∂W_l‖ of the initial network on the training set, input layer first.
    history : neurolib.dense.TrainingHistory or None
        Learning curves (None if ``epochs == 0`` was not asked, or training diverged).
    diverged : bool
        True if training overflowed (exploding gradients).
    """

    remedy: Remedy
    norms: np.ndarray
    history: dense.TrainingHistory | None
    diverged: bool

    @property
    def ratio(self) -> float:
        """‖∂C/∂W_1‖ / ‖∂C/∂W_depth‖: first layer over last (0 if the last is 0)."""
        return float(self.norms[0] / self.norms[-1]) if self.norms[-1] > 0 else 0.0


def run_remedy(
    remedy: str | Remedy,
    data: dense.Moons,
    *,
    depth: int = 10,
    width: int = 16,
    epochs: int = 60,
    learning_rate: float = 0.5,
    batch_size: int = 20,
    seed: int = 0,
) -> RemedyResult:
    """Build the deep net of one remedy, measure its gradient norms, then train it.

    The weights use ``seed`` and the shuffling ``seed + 1``, so every remedy starts from
    the same random numbers (only the scale or the rule differs) and the whole run is
    reproducible. ``epochs=0`` only measures the norms.
    """
    if isinstance(remedy, str):
        remedy = REMEDIES[check_choice(remedy, "remedy", REMEDIES)]
    check_instance(remedy, "remedy", Remedy, "a remedy name or a Remedy")
    dense._check_data(data)
    epochs = check_int(epochs, "epochs", minimum=0)
    learning_rate = check_positive(learning_rate, "learning_rate")
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    net = DeepNet(
        data.X_train.shape[0], depth, width, remedy.hidden, remedy.init, loss=remedy.loss,
        targets=remedy.targets, prime_offset=remedy.prime_offset, seed=seed,
    )
    with np.errstate(over="ignore"):
        norms = gradient_norms(net, data.X_train, data.y_train)
    history, diverged = None, False
    if epochs:
        try:
            history = dense.train(
                net, data, epochs=epochs, learning_rate=learning_rate, batch_size=batch_size, seed=seed + 1
            )
        except FloatingPointError:
            diverged = True
    return RemedyResult(remedy, norms, history, diverged)


def compare_remedies(
    data: dense.Moons,
    names: tuple[str, ...] | None = None,
    **kwargs: Any,
) -> dict[str, RemedyResult]:
    """:func:`run_remedy` for every name of ``names`` (default: all of :data:`REMEDIES`)."""
    names = tuple(REMEDIES) if names is None else check_names(names, "names", REMEDIES, "remedy")
    dense._check_data(data)
    return {name: run_remedy(name, data, **kwargs) for name in names}
