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
* the experiment of the chapter: :data:`REMEDIES` and :func:`compare_remedies` (one seed);
* the same experiment over many seeds at once: :class:`Setup`, :data:`SETUPS`,
  :class:`StackedNet` (S networks as arrays with a leading seed axis, with batch
  normalisation, residual connections and gradient clipping), :func:`train_seeds` and
  :func:`mean_sd`; :func:`preserving_std`, the variance-preserving initial scale
  (√(2/n) for ReLU, 4/√n with a centring bias for logistic units).

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


# --- many seeds at once, the correctly scaled logistic, and the remedies used today ------------
#
# A comparison of training runs needs several seeds: at learning rate 0.5 training is chaotic
# and one run's accuracy changes with one ulp of input. :class:`StackedNet` holds S networks of
# the same architecture (one per seed) as arrays with a leading seed axis, and trains them in
# one batched loop, so that S seeds cost little more than one. It also knows three remedies
# used today: batch normalisation, residual connections and gradient clipping.

from scipy.special import expit as _expit  # noqa: E402  (σ without overflow warnings)

from ._checks import as_real_array, check_bool, check_instance, check_memory  # noqa: E402

#: Initialisations of :class:`StackedNet`: the schemes of :data:`INIT_SCHEMES`, and
#: ``"logistic"``, the variance-preserving scale for logistic units (:func:`preserving_std`)
#: with a bias that cancels the mean ½ of the inputs (layers 2 … L).
STACKED_INITS: tuple[str, ...] = tuple(INIT_SCHEMES) + ("logistic",)
#: Hidden activations of :class:`StackedNet`.
STACKED_HIDDEN: tuple[str, ...] = ("logistic", "tanh", "relu")
#: Variance added to the batch variance in batch normalisation (Ioffe & Szegedy 2015).
BN_EPSILON: float = 1e-5
#: Largest number of seeds :class:`StackedNet` trains at once.
MAX_SEEDS: int = 64


def preserving_std(hidden: str, n_in: int) -> float:
    """Weight standard deviation that preserves the variance of the net input, forward and back.

    With ``n_in`` independent inputs ``h`` and weights of variance ``s²``, the net input
    ``h̄ = Σ w h`` has ``Var h̄ = n s² E[h²]`` and the error sent back has
    ``Var δh = n s² E[f′²] Var δh̄`` (fan-in = fan-out = n). Near ``h̄ = 0``:

    * ``"relu"``: ``E[h²] = Var h̄ / 2`` and ``E[f′²] = 1/2``, so ``s = √(2/n)`` (He et al. 2015);
    * ``"tanh"``: ``h ≈ h̄`` and ``f′(0) = 1``, so ``s = 1/√n`` (LeCun et al. 1998);
    * ``"logistic"``: ``σ(h̄) ≈ ½ + h̄/4`` and ``σ′(0) = 1/4``, so ``s = 4/√n`` — valid only once the
      mean ½ of the inputs is cancelled by the bias ``b = −½ Σ_j W_ij``. Otherwise
      ``E[h²] = ¼ + Var h`` gives ``Var h̄ = 4 + 16 Var h``: at least 4, growing with
      depth until the units saturate.

    Parameters
    ----------
    hidden : {"logistic", "tanh", "relu"}
        Activation of the units that receive the inputs' output.
    n_in : int
        Fan-in n (>= 1).

    Returns
    -------
    float
        The standard deviation s (dimensionless).
    """
    check_choice(hidden, "hidden", STACKED_HIDDEN, "activation")
    n_in = check_int(n_in, "n_in", minimum=1)
    gain = {"logistic": 16.0, "tanh": 1.0, "relu": 2.0}[hidden]
    return math.sqrt(gain / n_in)


@dataclass(frozen=True)
class Setup:
    """One configuration of the chapter's test bed (the architecture stays the same).

    Attributes
    ----------
    name, label : str
        Key and legend text.
    hidden : {"logistic", "tanh", "relu"}
    init : str
        A key of :data:`STACKED_INITS`.
    loss : {"squared_error", "cross_entropy"}
    targets : (float, float)
        Targets of class 0 and class 1.
    prime_offset : float
        Fahlman's constant added to f′ in the backward pass (0: exact gradient).
    batch_norm : bool
        Normalise every hidden net input over the mini-batch, then scale by γ and shift by β.
    residual : bool
        Hidden layers of equal width add their input: ``h_l = h_{l−1} + f(h̄_l)``.
    clip : float or None
        Largest Euclidean norm of a network's whole gradient per step (None: no clipping).
    """

    name: str
    label: str
    hidden: str = "logistic"
    init: str = "normal"
    loss: str = "squared_error"
    targets: tuple[float, float] = (0.0, 1.0)
    prime_offset: float = 0.0
    batch_norm: bool = False
    residual: bool = False
    clip: float | None = None

    def __post_init__(self) -> None:
        check_choice(self.hidden, "hidden", STACKED_HIDDEN, "activation")
        check_choice(self.init, "init", STACKED_INITS)
        check_choice(self.loss, "loss", OUTPUT_LOSSES)
        t = check_finite(self.targets, "targets")
        if t.shape != (2,) or not (0.0 <= t[0] < t[1] <= 1.0):
            raise ValueError(f"targets must be two numbers 0 <= low < high <= 1, got {self.targets!r}")
        check_nonnegative(self.prime_offset, "prime_offset")
        check_bool(self.batch_norm, "batch_norm")
        check_bool(self.residual, "residual")
        if self.clip is not None:
            check_positive(self.clip, "clip")


#: Every configuration of the chapter: the baseline and five classical remedies of
#: :data:`REMEDIES`, the correctly scaled logistic initialisation, and the remedies used
#: today. Each changes one thing of the baseline, except ``clipping``, which changes one
#: thing of ``exploding`` (ReLU units with N(0, 1) weights and cross-entropy, whose
#: gradients explode).
SETUPS: dict[str, Setup] = {
    **{name: Setup(**dataclasses.asdict(r)) for name, r in REMEDIES.items()},
    **{
        s.name: s
        for s in [
            Setup("logistic_init", "4/sqrt(n) weights, centring bias", init="logistic"),
            Setup("batch_norm", "batch normalisation", batch_norm=True),
            Setup("residual", "residual connections", residual=True),
            Setup("exploding", "ReLU, N(0,1), cross-entropy", hidden="relu", loss="cross_entropy"),
            Setup("clipping", "same, gradient clipped to 0.1", hidden="relu", loss="cross_entropy", clip=0.1),
        ]
    },
}


def _short_repr(a: np.ndarray) -> str:
    text = np.array2string(np.asarray(a), threshold=6)
    return text if len(text) < 80 else text[:77] + "..."


def _f(hidden: str, z: np.ndarray) -> np.ndarray:
    if hidden == "logistic":
        return _expit(z)  # σ(z), without overflow
    if hidden == "tanh":
        return np.tanh(z)
    return np.maximum(z, 0.0)


def _df(hidden: str, z: np.ndarray, h: np.ndarray) -> np.ndarray:
    if hidden == "logistic":
        return h * (1.0 - h)
    if hidden == "tanh":
        return 1.0 - h * h
    return (z >= 0).astype(float)  # ReLU′(0) = 1, the convention of chapter 07


class StackedNet:
    """S networks of the same architecture, one per seed, computed together.

    Network ``s`` has ``depth`` dense layers (``depth − 1`` hidden layers of ``width`` units
    and one logistic output unit) and, without batch normalisation, the same initial weights
    as ``DeepNet(n_in, depth, width, hidden, init, seed=seeds[s])`` for the schemes of
    :data:`INIT_SCHEMES`. Parameters are arrays with a leading seed axis: ``W[l]`` has shape
    ``(S, m, n)``, ``b[l]`` (and ``gamma[l]``, ``beta[l]`` with batch normalisation) ``(S, m)``.

    Parameters
    ----------
    setup : Setup or str
        The configuration (a key of :data:`SETUPS` or a :class:`Setup`).
    seeds : sequence of int
        One seed (>= 0) per network, 1 to :data:`MAX_SEEDS` of them.
    n_in, depth, width : int
        Input dimension, number of weight layers (>= 2), hidden width.

    Notes
    -----
    Batch normalisation (Ioffe & Szegedy 2015) replaces a hidden net input ``h̄`` by
    ``γ (h̄ − μ_B)/√(v_B + ε) + β`` with the mean ``μ_B`` and variance ``v_B`` of the
    mini-batch; :meth:`forward` with ``stats`` uses fixed statistics instead (those of the
    whole training set, for evaluation). All quantities are dimensionless.
    """

    def __init__(self, setup: Setup | str, seeds: Any, n_in: int = 2, depth: int = 10, width: int = 16) -> None:
        if isinstance(setup, str):
            setup = SETUPS[check_choice(setup, "setup", SETUPS)]
        self.setup = check_instance(setup, "setup", Setup)
        seeds = np.atleast_1d(np.asarray(seeds))
        if seeds.ndim != 1 or seeds.size == 0 or seeds.dtype.kind not in "iu":
            raise ValueError(f"seeds must be a non-empty sequence of integers, got {seeds!r}")
        if seeds.size > MAX_SEEDS or np.any(seeds < 0):
            raise ValueError(f"seeds must hold 1 to {MAX_SEEDS} integers >= 0, got {seeds.size} values in [{seeds.min()}, {seeds.max()}]")
        self.seeds = tuple(int(s) for s in seeds)
        n_in = check_int(n_in, "n_in", minimum=1, maximum=10_000)
        self.depth = check_int(depth, "depth", minimum=2, maximum=100)
        width = check_int(width, "width", minimum=1, maximum=10_000)
        check_memory(len(self.seeds) * (n_in * width + depth * width * width), "use fewer seeds, layers or units", what="the weights")
        sizes = [n_in] + [width] * (self.depth - 1) + [1]
        self.sizes = sizes
        S = len(self.seeds)
        gens = [np.random.default_rng(s) for s in self.seeds]
        self.W, self.b = [], []
        for l, (a, m) in enumerate(zip(sizes[:-1], sizes[1:])):
            if setup.init == "logistic":
                std = 1.0 / math.sqrt(a) if l == 0 else preserving_std("logistic", a)
            else:
                std = init_std(setup.init, a, m)
            W = np.stack([g.normal(0.0, std, size=(m, a)) for g in gens])
            if setup.init == "logistic" and l > 0:
                b = -0.5 * W.sum(axis=2)  # cancels the mean ½ of the logistic inputs
            else:
                b = np.zeros((S, m))
            self.W.append(W)
            self.b.append(b)
        n_hidden = self.depth - 1
        self.gamma = [np.ones((S, width)) for _ in range(n_hidden)] if setup.batch_norm else []
        self.beta = [np.zeros((S, width)) for _ in range(n_hidden)] if setup.batch_norm else []
        self._cache: list[tuple] | None = None

    def __repr__(self) -> str:
        return f"StackedNet(setup={self.setup.name!r}, seeds={len(self.seeds)}, sizes={self.sizes})"

    @property
    def n_seeds(self) -> int:
        return len(self.seeds)

    def parameters(self) -> list[np.ndarray]:
        """Every parameter array (W, b per layer, then γ, β), each with the seed axis first."""
        out = [p for pair in zip(self.W, self.b) for p in pair]
        return out + self.gamma + self.beta

    def _inputs(self, x: ArrayLike) -> np.ndarray:
        x = check_finite(x, "x")
        S, n = self.n_seeds, self.sizes[0]
        if x.ndim == 2 and x.shape[0] == n:
            x = np.broadcast_to(x, (S,) + x.shape)
        if x.ndim != 3 or x.shape[:2] != (S, n) or x.shape[2] == 0:
            raise ValueError(f"x must have shape ({n}, B) or ({S}, {n}, B), got {x.shape}")
        return x

    def forward(self, x: ArrayLike, stats: list[tuple[np.ndarray, np.ndarray]] | None = None) -> np.ndarray:
        """Logits ``o`` of the output units, shape (S, 1, B).

        Parameters
        ----------
        x : array_like, shape (n_in, B) or (S, n_in, B)
            Inputs as columns (the same for every network, or one batch per network).
        stats : list of (mean, variance), optional
            Batch-normalisation statistics per hidden layer, each of shape (S, width, 1);
            default: those of ``x`` itself. :meth:`batch_stats` returns them.
        """
        h = self._inputs(x)
        setup, cache = self.setup, []
        for l in range(self.depth):
            z = self.W[l] @ h + self.b[l][:, :, None]
            if l == self.depth - 1:
                cache.append((h, z, None, None))
                self._cache = cache
                return z
            bn = None
            if setup.batch_norm:
                mu, var = (z.mean(axis=2, keepdims=True), z.var(axis=2, keepdims=True)) if stats is None else stats[l]
                inv = 1.0 / np.sqrt(var + BN_EPSILON)
                zhat = (z - mu) * inv
                bn = (zhat, inv, mu, var)
                z_act = self.gamma[l][:, :, None] * zhat + self.beta[l][:, :, None]
            else:
                z_act = z
            a = _f(setup.hidden, z_act)
            cache.append((h, z_act, a, bn))
            h = h + a if (setup.residual and a.shape == h.shape and l > 0) else a
        raise AssertionError("unreachable")

    def batch_stats(self, x: ArrayLike) -> list[tuple[np.ndarray, np.ndarray]]:
        """Mean and variance of every hidden net input over the columns of ``x`` (for evaluation)."""
        if not self.setup.batch_norm:
            return []
        self.forward(x)
        return [bn[2:] for (_, _, _, bn) in self._cache[:-1]]

    def targets(self, labels: ArrayLike) -> np.ndarray:
        """Targets of class labels 0/1 with the setup's target values.

        ``labels`` of shape (B,) (the same for every network) give shape (1, B); shape
        (S, B) (one batch per network) gives (S, 1, B).
        """
        labels = np.asarray(labels)
        if labels.ndim not in (1, 2) or labels.dtype.kind not in "iu" or labels.size == 0 or np.any(labels > 1):
            raise ValueError(f"labels must be an array of class labels 0 and 1 of shape (B,) or (S, B), got {_short_repr(labels)}")
        low, high = self.setup.targets
        y = (low + (high - low) * labels).astype(float)
        return y[None, :] if labels.ndim == 1 else y[:, None, :]

    def loss(self, o: ArrayLike, y: ArrayLike) -> np.ndarray:
        """Batch-mean loss of every network, shape (S,).

        Parameters
        ----------
        o : array_like, shape (S, 1, B)
            Logits, as :meth:`forward` returns them.
        y : array_like, shape (1, B) or (S, 1, B)
            Targets in [0, 1], as :meth:`targets` returns them.
        """
        o, y = check_finite(o, "o"), check_finite(y, "y")
        if o.ndim != 3 or o.shape[:2] != (self.n_seeds, 1) or o.shape[2] == 0:
            raise ValueError(f"o must have shape ({self.n_seeds}, 1, B), got {o.shape}")
        if y.shape not in ((1, o.shape[2]), o.shape):
            raise ValueError(f"y must have shape (1, {o.shape[2]}) or {o.shape}, got {y.shape}")
        if np.any(y < 0) or np.any(y > 1):
            raise ValueError(f"y must hold targets in [0, 1], got values in [{y.min():g}, {y.max():g}]")
        return self._loss(o, y)

    def _loss(self, o: np.ndarray, y: np.ndarray) -> np.ndarray:
        if self.setup.loss == "squared_error":
            p = _expit(o)
            return 0.5 * np.sum((p - y) ** 2, axis=(1, 2)) / o.shape[2]
        return np.sum(np.logaddexp(0.0, o) - y * o, axis=(1, 2)) / o.shape[2]

    def gradients(self, x: ArrayLike, labels: ArrayLike) -> list[np.ndarray]:
        """∂C/∂θ of every network, in the order of :meth:`parameters` (batch-mean loss).

        With ``prime_offset > 0`` this is Fahlman's direction, not a gradient.
        """
        o = self.forward(x)
        y = self.targets(labels)
        if y.shape[-1] != o.shape[2] or (y.ndim == 3 and y.shape[0] != o.shape[0]):
            raise ValueError(f"labels must have one entry per column of x ({o.shape[2]}) and seed, got shape {np.shape(labels)}")
        setup, B, off = self.setup, o.shape[2], self.setup.prime_offset
        p = _expit(o)
        if setup.loss == "squared_error":
            delta = (p - y) * (p * (1.0 - p) + off) / B  # ∂C/∂o   [eq-deep-stuck]
        else:
            delta = (p - y) / B  # σ′ cancels   [eq-dense-bce]
        dW, db = [None] * self.depth, [None] * self.depth
        dgamma, dbeta = [None] * len(self.gamma), [None] * len(self.beta)
        h, _, _, _ = self._cache[-1]
        dW[-1], db[-1] = delta @ np.swapaxes(h, 1, 2), delta.sum(axis=2)
        dh = np.swapaxes(self.W[-1], 1, 2) @ delta
        for l in range(self.depth - 2, -1, -1):
            h_in, z_act, a, bn = self._cache[l]
            dz = dh * (_df(setup.hidden, z_act, a) + off)
            if bn is not None:
                zhat, inv, _, _ = bn
                dgamma[l], dbeta[l] = (dz * zhat).sum(axis=2), dz.sum(axis=2)
                dzhat = dz * self.gamma[l][:, :, None]
                # backward through (z − μ_B)/√(v_B + ε), the batch statistics included
                dz = inv * (dzhat - dzhat.mean(axis=2, keepdims=True) - zhat * (dzhat * zhat).mean(axis=2, keepdims=True))
            dW[l], db[l] = dz @ np.swapaxes(h_in, 1, 2), dz.sum(axis=2)
            dh_in = np.swapaxes(self.W[l], 1, 2) @ dz
            if setup.residual and l > 0 and h_in.shape == a.shape:
                dh_in = dh_in + dh  # the identity path
            dh = dh_in
        grads = [g for pair in zip(dW, db) for g in pair]
        return grads + dgamma + dbeta

    def sgd_step(self, grads: list[np.ndarray], learning_rate: ArrayLike) -> np.ndarray:
        """One step ``θ ← θ − η g`` per network, in place, with the setup's gradient clipping.

        With :attr:`Setup.clip` = c, a network whose whole gradient has the Euclidean norm
        ``‖g‖ > c`` steps along ``c g/‖g‖`` instead (Pascanu et al. 2013), so no step is
        longer than ``η c``. A network with a non-finite gradient does not move.

        Parameters
        ----------
        grads : list of ndarray
            From :meth:`gradients`.
        learning_rate : float or array_like, shape (S,)
            Step size η >= 0, one for all networks or one per network.

        Returns
        -------
        ndarray, shape (S,)
            ‖g‖ of every network before clipping.
        """
        S, params = self.n_seeds, self.parameters()
        if not isinstance(grads, (list, tuple)) or len(grads) != len(params) or any(
            np.shape(g) != p.shape for g, p in zip(grads, params)
        ):
            raise ValueError("grads must be the list returned by gradients(), one array per parameter")
        eta = as_real_array(learning_rate, "learning_rate", allow_inf=False)
        if eta.shape not in ((), (S,)) or np.any(eta < 0):
            raise ValueError(f"learning_rate must be >= 0, one number or one per network ({S}), got {_short_repr(eta)}")
        with np.errstate(over="ignore", invalid="ignore"):
            total = np.sqrt(sum(np.sum(np.asarray(g).reshape(S, -1) ** 2, axis=1) for g in grads))
        scale = np.broadcast_to(eta, (S,)).astype(float)
        if self.setup.clip is not None:
            scale = scale * np.minimum(1.0, self.setup.clip / np.where(total > 0, total, 1.0))
        scale = np.where(np.isfinite(total), scale, 0.0)
        finite = bool(np.all(np.isfinite(total)))
        for p, g in zip(params, grads):
            g = g if finite else np.where(np.isfinite(g), g, 0.0)
            p -= scale.reshape((S,) + (1,) * (p.ndim - 1)) * g
        return total

    def gradient_norms(self, x: ArrayLike, labels: ArrayLike) -> np.ndarray:
        """``‖∂C/∂W_l‖`` (Frobenius) of every layer of every network, shape (S, depth)."""
        with np.errstate(over="ignore", invalid="ignore"):
            grads = self.gradients(x, labels)
        return np.stack([np.sqrt(np.sum(grads[2 * l] ** 2, axis=(1, 2))) for l in range(self.depth)], axis=1)

    def accuracy(self, x: ArrayLike, labels: ArrayLike, stats: list | None = None) -> np.ndarray:
        """Fraction of the columns of ``x`` classified as ``labels`` (``o > 0``), shape (S,)."""
        o = self.forward(x, stats)
        y = self.targets(labels)
        if y.shape[-1] != o.shape[2]:
            raise ValueError(f"labels must have one entry per column of x ({o.shape[2]}), got shape {np.shape(labels)}")
        return np.mean((o > 0) == (y > np.mean(self.setup.targets)), axis=(1, 2))


@dataclass(frozen=True)
class SeedRuns:
    """What :func:`train_seeds` measured, one row per seed.

    Attributes
    ----------
    setup : Setup
    seeds : tuple of int
    norms : ndarray, shape (S, depth)
        ‖∂C/∂W_l‖ of every initial network on the whole training set, input layer first.
    test_accuracy, train_loss : ndarray, shape (S, epochs + 1)
        After every epoch (column 0: before training); NaN after a network diverged.
    step_norms : ndarray, shape (S, steps)
        Euclidean norm of each network's whole gradient at every step, before clipping
        (NaN once the network has diverged).
    diverged : ndarray of bool, shape (S,)
    """

    setup: Setup
    seeds: tuple[int, ...]
    norms: np.ndarray
    test_accuracy: np.ndarray
    train_loss: np.ndarray
    step_norms: np.ndarray
    diverged: np.ndarray

    @property
    def ratios(self) -> np.ndarray:
        """First-layer over last-layer gradient norm of every seed, shape (S,)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.norms[:, 0] / self.norms[:, -1]

    @property
    def final_accuracy(self) -> np.ndarray:
        """Test accuracy after the last epoch, shape (S,) (NaN for a diverged seed)."""
        return self.test_accuracy[:, -1]


def mean_sd(values: ArrayLike, *, log: bool = False) -> tuple[float, float]:
    """Mean and sample standard deviation (ddof = 1) of ``values``, ignoring NaN.

    With ``log=True`` both are of ``log10(values)`` (for ratios spanning orders of magnitude).
    """
    v = as_real_array(values, "values", allow_nan=True, allow_inf=False).ravel()
    if check_bool(log, "log"):
        if np.any(v[np.isfinite(v)] <= 0):
            raise ValueError("values must be > 0 for log=True")
        v = np.log10(v)
    v = v[np.isfinite(v)]
    if v.size < 2:
        raise ValueError(f"values must hold at least 2 finite numbers, got {v.size}")
    return float(np.mean(v)), float(np.std(v, ddof=1))


def train_seeds(
    setup: Setup | str,
    data: dense.Moons,
    seeds: Any = (0, 1, 2, 3, 4),
    *,
    depth: int = 10,
    width: int = 16,
    epochs: int = 60,
    learning_rate: float = 0.5,
    batch_size: int = 20,
) -> SeedRuns:
    """Train one :class:`StackedNet` per seed, all in one batched loop of mini-batch SGD.

    Network ``s`` starts from the weights of ``seeds[s]`` and shuffles the training set with
    ``numpy.random.default_rng(seeds[s] + 1)`` each epoch, as :func:`run_remedy` does. With
    :attr:`Setup.clip`, a network's gradient is scaled by ``min(1, clip/‖g‖)`` before the step.
    A network whose parameters overflow is marked diverged and frozen; the others go on
    (FloatingPointError once every network has diverged).
    Test accuracy with batch normalisation uses the statistics of the whole training set.

    Parameters
    ----------
    setup : Setup or str
    data : neurolib.dense.Moons
    seeds : sequence of int
    depth, width : int
        Architecture (the chapter's test bed: 10 layers of 16 units).
    epochs : int
        Passes through the training set (>= 0; 0 only measures the initial norms).
    learning_rate : float
        Step size η > 0.
    batch_size : int
        Examples per step (>= 1).
    """
    dense._check_data(data)
    epochs = check_int(epochs, "epochs", minimum=0, maximum=10_000)
    learning_rate = check_positive(learning_rate, "learning_rate")
    n = data.X_train.shape[1]
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    net = StackedNet(setup, seeds, data.X_train.shape[0], depth, width)
    setup, S = net.setup, net.n_seeds
    norms = net.gradient_norms(data.X_train, data.y_train)
    gens = [np.random.default_rng(s + 1) for s in net.seeds]
    acc = np.full((S, epochs + 1), np.nan)
    loss = np.full((S, epochs + 1), np.nan)
    steps = [[] for _ in range(S)]
    alive = np.ones(S, dtype=bool)
    y_train_t = net.targets(data.y_train)

    def record(e: int) -> None:
        with np.errstate(over="ignore", invalid="ignore"):
            stats = net.batch_stats(data.X_train)
            o = net.forward(data.X_train, stats)
            loss[:, e] = np.where(alive, net._loss(o, y_train_t), np.nan)  # o may be NaN where diverged
            acc[:, e] = np.where(alive, net.accuracy(data.X_test, data.y_test, stats), np.nan)

    record(0)
    params = net.parameters()
    for e in range(1, epochs + 1):
        orders = np.stack([g.permutation(n) for g in gens])
        with np.errstate(over="ignore", invalid="ignore"):
            for start in range(0, n, batch_size):
                idx = orders[:, start : start + batch_size]  # (S, B): every network its own batch
                xb = np.transpose(data.X_train[:, idx], (1, 0, 2))
                grads = net.gradients(xb, data.y_train[idx])
                total = net.sgd_step(grads, np.where(alive, learning_rate, 0.0))
                for s in range(S):
                    steps[s].append(total[s] if alive[s] else np.nan)
                big = np.max([np.max(np.abs(p.reshape(S, -1)), axis=1) for p in params], axis=0)
                alive &= np.isfinite(total) & (big < _DIVERGED_WEIGHT)
        record(e)
        if not alive.any():
            raise FloatingPointError(
                f"training diverged in epoch {e} for every seed (weights overflowed); "
                f"use a smaller learning_rate than {learning_rate:g}"
            )
    return SeedRuns(setup, net.seeds, norms, acc, loss, np.array(steps), ~alive)


#: Weights beyond this size mean that a network has diverged.
_DIVERGED_WEIGHT = 1e100


__all__ += [
    "STACKED_INITS", "STACKED_HIDDEN", "BN_EPSILON", "MAX_SEEDS", "preserving_std", "Setup", "SETUPS",
    "StackedNet", "SeedRuns", "mean_sd", "train_seeds",
]
