"""Training spiking neurons with surrogate gradients (chapter 10).

The spike of a leaky integrate-and-fire (LIF) neuron is a step of its membrane potential,
``S = Θ(v − 1)``, whose derivative is zero almost everywhere: backpropagation through it
passes back nothing. *Surrogate gradients* keep the step in the forward pass and use a
smooth pseudo-derivative ``σ′(v − 1)`` in its place in the backward pass (Zenke & Ganguli
2018, "SuperSpike"; Neftci, Mostafa & Zenke 2019).

The network of the chapter
--------------------------
A hidden layer of LIF neurons, in chapter 03's exact update for a time step ``Δt`` (ms),
with ``β = exp(−Δt/τ_m)`` and threshold 1 (normalised units)::

    v[t] = β v[t−1] + W x[t] − S[t−1]        (reset by subtraction of the threshold)
    S[t] = Θ(v[t] − 1)                         (1 if v[t] >= 1, else 0)

with ``v[−1] = 0, S[−1] = 0``. This is the update ``v[t+1] = β v[t] + W x[t] − S[t]`` of
the text with the input of step ``t`` counted at once. A constant input increment
``I = W x`` is the normalised input ``v_in = I/(1 − β)`` of chapter 03 held over each step,
and below threshold ``v[t] = v_in (1 − β^(t+1))``, :func:`neurolib.lif.trajectory` at
``(t + 1) Δt``. A leaky, non-spiking read-out integrates the hidden spikes::

    u[t] = α u[t−1] + W_out S[t],              α = exp(−Δt/τ_out)

and the logits are its mean over time (or its maximum), fed to chapter 08's softmax
cross-entropy (:mod:`neurolib.dense`).

Unrolled in time this is a recurrent network. Backpropagation through time (BPTT) gives,
with ``λ[t] = ∂C/∂v[t]`` and ``ū[t] = ∂C/∂u[t]`` (both zero after the last step)::

    ū[t]   = ∂C/∂u[t] (direct) + α ū[t+1]                  [eq-surr-readout-bptt]
    e[t]   = W_outᵀ ū[t] − λ[t+1]                           [eq-surr-spike-error]
    λ[t]   = σ′(v[t] − 1) ⊙ e[t] + β λ[t+1]                 [eq-surr-bptt]
    ∂C/∂W  = Σ_t λ[t] x[t]ᵀ,   ∂C/∂W_out = Σ_t ū[t] S[t]ᵀ    [eq-surr-dW]

where ``− λ[t+1]`` is the path through the reset (dropped with ``detach_reset=True``) and
``σ′`` stands in for the derivative of the step. Each layer's backward pass sits next to
its forward pass in :class:`LIFLayer` and :class:`LeakyReadout`.

The *smooth relaxation* of the same network replaces the step by a smooth function ``σ``
whose exact derivative is the surrogate ``σ′`` (``forward(..., relaxed=True)``): for it the
formulas above are the exact gradient, which is how they are checked against finite
differences (:func:`neurolib.dense.gradient_check`).

**Main entry points.** :func:`encode_moons` (two moons as spike latencies or Poisson
trains); :class:`SpikingNet` with :class:`LIFLayer` and :class:`LeakyReadout`;
:data:`SURROGATES`; :func:`train` (Adam or SGD) and :func:`train_moons`; :func:`evaluate`
(accuracy, spikes per input); :func:`compare_with_mlp` (against chapter 08's MLP);
:func:`gradient_norms`, :func:`steepness_sweep` and :func:`descent_check` (what the
steepness does).

Shapes and units
----------------
Spike inputs have shape ``(T, n, B)``: ``T`` time steps, ``n`` input neurons and ``B``
examples, so that every time slice is a chapter-08 batch ``(n, B)`` with the examples as
columns. Weights ``W[i, j]`` connect input ``j`` to neuron ``i``. Times and time constants
are in ms, rates in Hz; potentials, weights and spikes are dimensionless (threshold 1).

References
----------
Zenke, F. & Ganguli, S. (2018). SuperSpike: supervised learning in multilayer spiking neural
networks. *Neural Computation* 30(6), 1514–1541. doi:10.1162/neco_a_01086
Neftci, E. O., Mostafa, H. & Zenke, F. (2019). Surrogate gradient learning in spiking neural
networks. *IEEE Signal Processing Magazine* 36(6), 51–63. doi:10.1109/MSP.2019.2931595
Zenke, F. & Vogels, T. P. (2021). The remarkable robustness of surrogate gradient learning for
instilling complex function in spiking neural networks. *Neural Computation* 33(4), 899–925
(the surrogate's shape matters little, its scale more).
Bellec, G., Salaj, D., Subramoney, A., Legenstein, R. & Maass, W. (2018). Long short-term
memory and learning-to-learn in networks of spiking neurons. *NeurIPS 31* (the triangle
pseudo-derivative).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np
from scipy.special import expit

from . import _checks, dense, spikes
from ._checks import (
    as_real_array,
    check_bool,
    check_choice,
    check_finite,
    check_in_range,
    check_instance,
    check_int,
    check_memory,
    check_nonnegative,
    check_positive,
    check_rng,
    check_size,
)

__all__ = [
    "MOONS_LOW",
    "MOONS_HIGH",
    "DT",
    "TAU_MEM",
    "TAU_OUT",
    "N_STEPS",
    "N_PER_DIM",
    "STEEPNESS",
    "MAX_STEEPNESS",
    "receptive_fields",
    "latency_code",
    "poisson_code",
    "SpikeData",
    "encode_moons",
    "Surrogate",
    "SURROGATES",
    "get_surrogate",
    "LIFLayer",
    "LIFGradients",
    "LeakyReadout",
    "ReadoutGradients",
    "SpikingNet",
    "Adam",
    "train",
    "Evaluation",
    "evaluate",
    "MoonsRun",
    "train_moons",
    "Comparison",
    "compare_with_mlp",
    "GradientNorms",
    "gradient_norms",
    "SteepnessSweep",
    "steepness_sweep",
    "DescentCheck",
    "descent_check",
]

ArrayLike = Any

#: Lower corner of the input range covered by the receptive fields (two moons with noise <= 0.2).
MOONS_LOW: tuple[float, float] = (-1.5, -1.0)
#: Upper corner of that range.
MOONS_HIGH: tuple[float, float] = (2.5, 1.5)
#: Time step of the chapter's networks (ms).
DT: float = 1.0
#: Membrane time constant of the hidden LIF neurons (ms).
TAU_MEM: float = 10.0
#: Time constant of the leaky read-out (ms).
TAU_OUT: float = 10.0
#: Number of time steps an input is presented for.
N_STEPS: int = 20
#: Gaussian receptive fields per input dimension.
N_PER_DIM: int = 10
#: Default steepness k of the surrogate derivative (per unit of normalised potential).
STEEPNESS: float = 5.0
#: Largest steepness accepted: far beyond the chapter's sweep (up to 1e3), where the smooth
#: relaxation is the step for practical purposes; much steeper, the pseudo-derivatives and
#: the gradient norms overflow.
MAX_STEEPNESS: float = 1e9


# --- encoders: from points to spikes ------------------------------------------------------


def _points(X: ArrayLike, name: str = "X") -> np.ndarray:
    X = check_finite(X, name)
    if X.ndim != 2 or X.size == 0:
        raise ValueError(f"{name} must be a non-empty 2-D array (d, B) of points as columns, got shape {X.shape}")
    return X


def _corner(value: ArrayLike, name: str, d: int) -> np.ndarray:
    arr = check_finite(value, name)
    if arr.ndim > 1 or (arr.ndim == 1 and arr.size != d):
        raise ValueError(f"{name} must be a scalar or have shape ({d},) (one value per input dimension), got {arr.shape}")
    return np.broadcast_to(arr, (d,)).astype(np.float64)


def receptive_fields(
    X: ArrayLike,
    n_per_dim: int = N_PER_DIM,
    *,
    low: ArrayLike = MOONS_LOW,
    high: ArrayLike = MOONS_HIGH,
    width: float = 1.0,
) -> np.ndarray:
    """Population code of points: Gaussian receptive fields along every input dimension.

    Dimension ``j`` is covered by ``n_per_dim`` Gaussian tuning curves with centres evenly
    spaced from ``low[j]`` to ``high[j]`` and standard deviation ``width`` times their
    spacing; neuron ``(j, c)`` responds to a point ``x`` with
    ``exp(−(x_j − centre_c)² / (2 σ_j²))`` in [0, 1], like the tuned population of chapter 01.

    Parameters
    ----------
    X : array_like, shape (d, B)
        Points as columns (dimensionless coordinates, e.g. :class:`neurolib.dense.Moons`).
    n_per_dim : int, default 10
        Receptive fields per dimension, >= 2.
    low, high : float or array_like, shape (d,)
        Centres of the first and last field of each dimension; ``high > low``. The defaults
        cover the two-moons data.
    width : float, default 1.0
        Standard deviation of every field in units of the spacing of the centres, > 0.

    Returns
    -------
    numpy.ndarray, shape (d * n_per_dim, B)
        Responses in [0, 1]; rows ``j * n_per_dim … (j + 1) * n_per_dim − 1`` code dimension ``j``.
    """
    X = _points(X)
    n_per_dim = check_size(n_per_dim, "n_per_dim", minimum=2, per_item=3.0 * X.size)
    d = X.shape[0]
    lo, hi = _corner(low, "low", d), _corner(high, "high", d)
    if np.any(hi <= lo):
        raise ValueError(f"high must be > low in every dimension, got low={lo.tolist()}, high={hi.tolist()}")
    width = check_positive(width, "width")
    frac = np.linspace(0.0, 1.0, n_per_dim)
    centres = lo[:, None] + (hi - lo)[:, None] * frac[None, :]  # (d, n_per_dim)
    sigma = width * (hi - lo) / (n_per_dim - 1)  # (d,)
    with np.errstate(over="ignore"):  # a point far outside: |z| = inf, response 0
        z = (X[:, None, :] - centres[:, :, None]) / sigma[:, None, None]  # (d, n_per_dim, B)
    # exp(−z²/2) is exactly 0.0 in float64 for |z| > 38.6: clipping at 40 changes no value
    # and keeps z² from overflowing
    return np.exp(-0.5 * np.clip(z, -40.0, 40.0) ** 2).reshape(d * n_per_dim, X.shape[1])


def _intensity(intensity: ArrayLike) -> np.ndarray:
    r = check_finite(intensity, "intensity")
    if r.ndim != 2 or r.size == 0:
        raise ValueError(f"intensity must be a non-empty 2-D array (n, B), got shape {r.shape}")
    if np.any(r < 0) or np.any(r > 1):
        raise ValueError(f"intensity must lie in [0, 1], got values in [{r.min():g}, {r.max():g}]")
    return r


def latency_code(intensity: ArrayLike, n_steps: int = N_STEPS, *, threshold: float = 0.1) -> np.ndarray:
    """Time-to-first-spike code: a strong input fires early, a weak one late or never.

    Input neuron ``i`` of example ``b`` fires exactly one spike, at step
    ``round((1 − r) (T − 1))`` for a response ``r = intensity[i, b] > threshold``, and none
    otherwise. Deterministic.

    Parameters
    ----------
    intensity : array_like, shape (n, B)
        Responses in [0, 1] (e.g. from :func:`receptive_fields`).
    n_steps : int, default 20
        Number of time steps ``T``, >= 2.
    threshold : float, default 0.1
        Responses at or below it send no spike; in [0, 1).

    Returns
    -------
    numpy.ndarray, shape (T, n, B)
        Spikes (0.0 or 1.0).
    """
    r = _intensity(intensity)
    n_steps = check_int(n_steps, "n_steps", minimum=2)
    threshold = check_in_range(threshold, "threshold", 0.0, 1.0, closed=(True, False))
    check_memory(float(n_steps) * r.size, "reduce n_steps or the number of inputs or examples", what="the spike array")
    step = np.rint((1.0 - r) * (n_steps - 1)).astype(np.int64)
    out = np.zeros((n_steps,) + r.shape)
    fire = r > threshold
    rows, cols = np.nonzero(fire)
    out[step[fire], rows, cols] = 1.0
    return out


def poisson_code(
    intensity: ArrayLike,
    n_steps: int = N_STEPS,
    *,
    dt: float = DT,
    max_rate: float = 200.0,
    seed: int | None = None,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """Rate code: Poisson spike trains of rate ``intensity × max_rate`` (chapter 01).

    The trains are drawn by :func:`neurolib.spikes.poisson_spike_trains` over
    ``T Δt`` ms and counted in bins of ``Δt`` (so a bin can hold more than one spike).

    Parameters
    ----------
    intensity : array_like, shape (n, B)
        Responses in [0, 1].
    n_steps : int, default 20
        Number of time steps ``T``, >= 1.
    dt : float, default 1.0
        Time step Δt (ms), > 0.
    max_rate : float, default 200
        Rate of a response of 1 (Hz), >= 0.
    seed, rng
        Source of randomness (see :func:`neurolib._checks.check_rng`).

    Returns
    -------
    numpy.ndarray, shape (T, n, B)
        Spike counts per time step (float).
    """
    r = _intensity(intensity)
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    dt = check_positive(dt, "dt", "ms")
    max_rate = check_nonnegative(max_rate, "max_rate", "Hz")
    gen = check_rng(seed, rng)
    check_memory(float(n_steps) * r.size, "reduce n_steps or the number of inputs or examples", what="the spike array")
    expected = float(r.sum()) * max_rate * n_steps * dt / 1000.0
    if not expected <= spikes.MAX_SPIKES:
        raise ValueError(
            f"about {expected:.3g} input spikes would be drawn (max_rate={max_rate:g} Hz over n_steps={n_steps} "
            f"steps of dt={dt:g} ms), more than spikes.MAX_SPIKES={spikes.MAX_SPIKES:.3g}; "
            "reduce max_rate, n_steps or dt"
        )
    n, B = r.shape
    trains = spikes.poisson_spike_trains(r.ravel() * max_rate, n_steps * dt, n * B, rng=gen)
    # bin t in [0, T Δt) into steps; the clip guards the last step against rounding of t / Δt
    step = np.minimum((trains.times / dt).astype(np.int64), n_steps - 1)
    counts = np.bincount(trains.ids * n_steps + step, minlength=n * B * n_steps)
    return counts.reshape(n, B, n_steps).transpose(2, 0, 1).astype(np.float64)


@dataclass(frozen=True)
class SpikeData:
    """A two-moons data set encoded as spikes (see :func:`encode_moons`).

    Attributes
    ----------
    X_train, X_test : ndarray, shape (T, n_in, N)
        Input spikes of the training and test examples.
    y_train, y_test : ndarray of int, shape (N,)
        Class labels.
    points_train, points_test : ndarray, shape (2, N)
        The points that were encoded.
    encoding : str
        ``"latency"`` or ``"poisson"``.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    points_train: np.ndarray = field(repr=False)
    points_test: np.ndarray = field(repr=False)
    encoding: str = "latency"


#: The encoders of :func:`encode_moons`, by name.
ENCODINGS = ("latency", "poisson")


def encode_moons(
    data: dense.Moons,
    encoding: str = "latency",
    *,
    n_steps: int = N_STEPS,
    n_per_dim: int = N_PER_DIM,
    dt: float = DT,
    max_rate: float = 200.0,
    seed: int | None = None,
    rng: np.random.Generator | None = None,
) -> SpikeData:
    """Encode chapter 08's two moons as spikes: receptive fields, then latencies or Poisson trains.

    Parameters
    ----------
    data : neurolib.dense.Moons
        Points and labels (:func:`neurolib.dense.make_moons`).
    encoding : {"latency", "poisson"}
        :func:`latency_code` (deterministic) or :func:`poisson_code`.
    n_steps, n_per_dim, dt, max_rate
        As in :func:`receptive_fields`, :func:`latency_code` and :func:`poisson_code`
        (``dt`` in ms, ``max_rate`` in Hz; the last two only for Poisson trains).
    seed, rng
        Randomness of the Poisson trains (unused for latencies).

    Returns
    -------
    SpikeData
    """
    check_instance(data, "data", dense.Moons, "a neurolib.dense.Moons (from make_moons)")
    check_choice(encoding, "encoding", ENCODINGS)
    gen = check_rng(seed, rng)
    encoded = []
    for points in (data.X_train, data.X_test):
        r = receptive_fields(points, n_per_dim)
        if encoding == "latency":
            encoded.append(latency_code(r, n_steps))
        else:
            encoded.append(poisson_code(r, n_steps, dt=dt, max_rate=max_rate, rng=gen))
    return SpikeData(encoded[0], data.y_train, encoded[1], data.y_test, data.X_train, data.X_test, encoding)


# --- surrogate derivatives and their smooth relaxations -----------------------------------


def _fast_sigmoid(x: np.ndarray, k: float) -> np.ndarray:
    return 0.5 + 0.5 * k * x / (1.0 + k * np.abs(x))


def _fast_sigmoid_prime(x: np.ndarray, k: float) -> np.ndarray:
    return 0.5 * k / (1.0 + k * np.abs(x)) ** 2


def _logistic(x: np.ndarray, k: float) -> np.ndarray:
    return expit(k * x)


def _logistic_prime(x: np.ndarray, k: float) -> np.ndarray:
    return k * expit(k * x) * expit(-k * x)  # k s (1 − s), without the cancellation in 1 − s


def _triangle(x: np.ndarray, k: float) -> np.ndarray:
    y = np.clip(k * x, -1.0, 1.0)
    return np.where(y < 0, 0.5 * (1.0 + y) ** 2, 1.0 - 0.5 * (1.0 - y) ** 2)


def _triangle_prime(x: np.ndarray, k: float) -> np.ndarray:
    return k * np.maximum(0.0, 1.0 - k * np.abs(x))


_SURROGATE_FORMS: dict[str, tuple[Callable, Callable, str, str]] = {
    "fast_sigmoid": (
        _fast_sigmoid,
        _fast_sigmoid_prime,
        "σ′(x) = (k/2) / (1 + k|x|)²",
        "Zenke & Ganguli 2018 (SuperSpike)",
    ),
    "sigmoid": (_logistic, _logistic_prime, "σ′(x) = k s(kx) (1 − s(kx)), s logistic", "Neftci, Mostafa & Zenke 2019"),
    "triangle": (_triangle, _triangle_prime, "σ′(x) = k max(0, 1 − k|x|)", "Bellec et al. 2018"),
}


@dataclass(frozen=True)
class Surrogate:
    """A pseudo-derivative of the spike and the smooth step it is the exact derivative of.

    Every surrogate is a bump of area 1 and height of order ``k`` centred on the threshold
    (``x = v − 1 = 0``); as ``k → ∞`` the relaxation ``σ`` tends to the step ``Θ`` and ``σ′``
    to a Dirac delta. (SuperSpike writes the fast sigmoid with height 1,
    ``1/(1 + k|x|)²``: ours is that times ``k/2``.)

    Attributes
    ----------
    name : str
        A key of :data:`SURROGATES`.
    steepness : float
        ``k`` (per unit of normalised potential), in (0, :data:`MAX_STEEPNESS`].
    formula : str
        The pseudo-derivative in plain text.
    reference : str
        Where it was proposed.
    """

    name: str
    steepness: float = STEEPNESS
    formula: str = field(default="", compare=False, init=False)
    reference: str = field(default="", compare=False, init=False)

    def __post_init__(self) -> None:
        check_choice(self.name, "name", _SURROGATE_FORMS, "surrogate")
        object.__setattr__(self, "steepness", _check_steepness(self.steepness))
        _, _, formula, reference = _SURROGATE_FORMS[self.name]
        object.__setattr__(self, "formula", formula)
        object.__setattr__(self, "reference", reference)

    def relaxed(self, x: ArrayLike) -> np.ndarray:
        """The smooth step ``σ(x)`` in (0, 1) (or [0, 1]) whose derivative is :meth:`derivative`."""
        return _SURROGATE_FORMS[self.name][0](as_real_array(x, "x"), self.steepness)

    def derivative(self, x: ArrayLike) -> np.ndarray:
        """The pseudo-derivative ``σ′(x)`` used in place of ``Θ′`` (``x = v − 1``)."""
        return _SURROGATE_FORMS[self.name][1](as_real_array(x, "x"), self.steepness)

    def with_steepness(self, steepness: float) -> "Surrogate":
        """The same surrogate with another steepness ``k``."""
        return Surrogate(self.name, steepness)


def _check_steepness(value: Any, name: str = "steepness") -> float:
    value = check_positive(value, name)
    if value > MAX_STEEPNESS:
        raise ValueError(f"{name} must be <= MAX_STEEPNESS = {MAX_STEEPNESS:g}, got {value:g}")
    return value


#: The surrogates of the chapter, by name, at the default steepness.
SURROGATES: dict[str, Surrogate] = {name: Surrogate(name) for name in _SURROGATE_FORMS}


def get_surrogate(name: str | Surrogate = "fast_sigmoid", steepness: float | None = None) -> Surrogate:
    """Look up a surrogate by name (the error lists the valid ones), optionally with a steepness.

    Parameters
    ----------
    name : str or Surrogate
        A key of :data:`SURROGATES`, or a :class:`Surrogate` (returned as it is, or with
        ``steepness`` if given).
    steepness : float, optional
        ``k`` in (0, :data:`MAX_STEEPNESS`]; default :data:`STEEPNESS` (or the given
        surrogate's own).
    """
    return _surrogate(name, steepness, "name")


def _surrogate(value: Any, steepness: Any, name: str) -> Surrogate:
    """:func:`get_surrogate`, with errors naming the caller's argument ``name``."""
    if isinstance(value, Surrogate):
        return value if steepness is None else value.with_steepness(steepness)
    check_choice(value, name, _SURROGATE_FORMS, "surrogate")
    return Surrogate(value, STEEPNESS if steepness is None else steepness)


# --- the layers: forward and backward side by side ----------------------------------------


def _check_spikes(x: ArrayLike, name: str, n: int | None = None) -> np.ndarray:
    x = check_finite(x, name)
    if x.ndim != 3 or x.size == 0:
        raise ValueError(f"{name} must be a non-empty 3-D array (T, n, B) of spikes over time, got shape {x.shape}")
    if n is not None and x.shape[1] != n:
        raise ValueError(f"{name} must have {n} neurons along axis 1 (shape (T, {n}, B)), got shape {x.shape}")
    return x


def _weights(W: ArrayLike, name: str) -> np.ndarray:
    W = check_finite(W, name)
    if W.ndim != 2 or W.size == 0:
        raise ValueError(f"{name} must be a non-empty 2-D array (m, n), got shape {W.shape}")
    return W.astype(np.float64, copy=True)


def _decay(tau: float, dt: float, name: str) -> float:
    """``exp(−Δt/τ)``, the decay of one step of chapter 03's exact update."""
    tau = check_positive(tau, name, "ms")
    return math.exp(-dt / tau)


@dataclass(frozen=True)
class LIFGradients:
    """What :meth:`LIFLayer.backward` returns.

    Attributes
    ----------
    dx : ndarray, shape (T, n, B)
        ∂C/∂x[t], the error handed to the layer below.
    dW : ndarray, shape (m, n)
        ∂C/∂W, summed over time and the batch.
    dv : ndarray, shape (T, m, B)
        ``λ[t] = ∂C/∂v[t]``, the error of every membrane potential (for gradient-norm plots).
    """

    dx: np.ndarray
    dW: np.ndarray
    dv: np.ndarray


class LIFLayer:
    """A layer of LIF neurons in discrete time, reset by subtraction.

    ``v[t] = β v[t−1] + W x[t] − S[t−1]``, ``S[t] = Θ(v[t] − 1)``, ``β = exp(−Δt/τ_m)``,
    ``v[−1] = S[−1] = 0`` (module docstring).

    Parameters
    ----------
    W : array_like, shape (m, n)
        Input weights (dimensionless: one input spike raises ``v`` by ``W[i, j]``).
    dt : float, default 1.0
        Time step Δt (ms).
    tau_m : float, default 10.0
        Membrane time constant τ_m (ms).
    surrogate : str or Surrogate, default "fast_sigmoid"
        Pseudo-derivative of the spike (:func:`get_surrogate`).
    steepness : float, optional
        Its steepness ``k``; default :data:`STEEPNESS`.
    detach_reset : bool, default False
        If True, the backward pass treats the reset ``− S[t−1]`` as a constant (no gradient
        through the reset).
    name : str, default "hidden"
        Used in error messages and parameter names.

    Notes
    -----
    :meth:`forward` caches what :meth:`backward` needs; call them on the same batch.
    """

    def __init__(
        self,
        W: ArrayLike,
        *,
        dt: float = DT,
        tau_m: float = TAU_MEM,
        surrogate: str | Surrogate = "fast_sigmoid",
        steepness: float | None = None,
        detach_reset: bool = False,
        name: str = "hidden",
    ) -> None:
        self.name = check_instance(name, "name", str, "a string")
        self.W = _weights(W, f"{self.name}.W")
        self.dt = check_positive(dt, "dt", "ms")
        self.tau_m = check_positive(tau_m, "tau_m", "ms")
        self.beta = _decay(self.tau_m, self.dt, "tau_m")
        self.surrogate = _surrogate(surrogate, steepness, "surrogate")
        self.detach_reset = check_bool(detach_reset, "detach_reset")
        self._cache: tuple[np.ndarray, np.ndarray] | None = None

    def __repr__(self) -> str:
        return (
            f"LIFLayer(name={self.name!r}, n_in={self.W.shape[1]}, n_out={self.W.shape[0]}, beta={self.beta:.4g}, "
            f"surrogate={self.surrogate.name!r}, steepness={self.surrogate.steepness:g}, detach_reset={self.detach_reset})"
        )

    def forward(self, x: ArrayLike, *, relaxed: bool = False) -> np.ndarray:
        """Output spikes ``S`` of shape (T, m, B) for input spikes ``x`` of shape (T, n, B).

        With ``relaxed=True`` the step is replaced by the surrogate's smooth relaxation
        ``σ(v − 1)`` (graded "spikes" in (0, 1), reset by the same amount).
        """
        x = _check_spikes(x, "x", self.W.shape[1])
        return self._forward(x, _check_flag(relaxed, "relaxed"))

    def backward(self, dS: ArrayLike) -> LIFGradients:
        """BPTT of ``∂C/∂S[t]`` (shape of the last output) through the layer [eq-surr-bptt]."""
        if self._cache is None:
            raise RuntimeError(f"layer {self.name!r}: call forward(x) before backward(dS)")
        dS = _check_spikes(dS, "dS", self.W.shape[0])
        if dS.shape != self._cache[1].shape:
            raise ValueError(f"dS must have the shape of the last output {self._cache[1].shape}, got {dS.shape}")
        return self._backward(dS)

    def membrane(self) -> np.ndarray:
        """The membrane potentials ``v`` (T, m, B) of the last forward pass."""
        if self._cache is None:
            raise RuntimeError(f"layer {self.name!r}: call forward(x) first")
        return self._cache[1].copy()

    # The equations themselves, on validated arrays.
    def _forward(self, x: np.ndarray, relaxed: bool) -> np.ndarray:
        check_memory(4.0 * x.shape[0] * self.W.shape[0] * x.shape[2], "use fewer time steps, neurons or examples per batch",
                     what=f"layer {self.name!r}: the forward pass")
        current = np.matmul(self.W, x)  # W x[t] for every t at once: (T, m, B)
        v = np.empty_like(current)
        S = np.empty_like(current)
        v_prev = np.zeros(current.shape[1:])
        s_prev = np.zeros(current.shape[1:])
        spike = self.surrogate.relaxed if relaxed else _heaviside
        for t in range(current.shape[0]):
            v[t] = self.beta * v_prev + current[t] - s_prev  # v[t] = β v[t−1] + W x[t] − S[t−1]
            S[t] = spike(v[t] - 1.0)  # S[t] = Θ(v[t] − 1)   (σ(v[t] − 1) if relaxed)
            v_prev, s_prev = v[t], S[t]
        self._cache = (x, v)
        return S

    def _backward(self, dS: np.ndarray) -> LIFGradients:
        x, v = self._cache
        surr = self.surrogate.derivative(v - 1.0)  # σ′(v[t] − 1) in place of Θ′
        dv = np.empty_like(v)
        lam_next = np.zeros(v.shape[1:])  # λ[T] = 0
        for t in range(v.shape[0] - 1, -1, -1):
            e = dS[t] if self.detach_reset else dS[t] - lam_next  # e[t] = ∂C/∂S[t] − λ[t+1]  [eq-surr-spike-error]
            dv[t] = surr[t] * e + self.beta * lam_next  # λ[t] = σ′ ⊙ e[t] + β λ[t+1]          [eq-surr-bptt]
            lam_next = dv[t]
        dW = np.tensordot(dv, x, axes=([0, 2], [0, 2]))  # Σ_t λ[t] x[t]ᵀ   [eq-surr-dW]
        dx = np.matmul(self.W.T, dv)  # ∂C/∂x[t] = Wᵀ λ[t]
        return LIFGradients(dx, dW, dv)


def _heaviside(x: np.ndarray) -> np.ndarray:
    return (x >= 0.0).astype(np.float64)


def _check_flag(value: Any, name: str) -> bool:
    return check_bool(value, name)


@dataclass(frozen=True)
class ReadoutGradients:
    """What :meth:`LeakyReadout.backward` returns: ``dS`` (T, m, B) and ``dW`` (k, m)."""

    dS: np.ndarray
    dW: np.ndarray


#: How the read-out turns its potential ``u[t]`` into logits.
READOUTS = ("mean", "max")


class LeakyReadout:
    """A leaky, non-spiking read-out: ``u[t] = α u[t−1] + W S[t]``, logits = mean or max over t.

    Parameters
    ----------
    W : array_like, shape (k, m)
        Weights from the ``m`` spiking neurons to the ``k`` outputs.
    dt : float, default 1.0
        Time step (ms).
    tau : float, default 10.0
        Time constant τ of the read-out (ms); ``α = exp(−Δt/τ)``.
    readout : {"mean", "max"}, default "mean"
        Logit of output ``i``: the mean of ``u_i[t]`` over the ``T`` steps, or its maximum
        (as in Zenke's SpyTorch tutorials; its gradient flows through the time of the maximum only).
    name : str, default "readout"
    """

    def __init__(
        self, W: ArrayLike, *, dt: float = DT, tau: float = TAU_OUT, readout: str = "mean", name: str = "readout"
    ) -> None:
        self.name = check_instance(name, "name", str, "a string")
        self.W = _weights(W, f"{self.name}.W")
        self.dt = check_positive(dt, "dt", "ms")
        self.tau = check_positive(tau, "tau", "ms")
        self.alpha = _decay(self.tau, self.dt, "tau")
        self.readout = check_choice(readout, "readout", READOUTS)
        self._cache: tuple[np.ndarray, np.ndarray] | None = None

    def __repr__(self) -> str:
        return (
            f"LeakyReadout(name={self.name!r}, n_in={self.W.shape[1]}, n_out={self.W.shape[0]}, "
            f"alpha={self.alpha:.4g}, readout={self.readout!r})"
        )

    def forward(self, S: ArrayLike) -> np.ndarray:
        """Logits ``o`` (k, B) for hidden spikes ``S`` (T, m, B)."""
        return self._forward(_check_spikes(S, "S", self.W.shape[1]))

    def backward(self, do: ArrayLike) -> ReadoutGradients:
        """BPTT of ``∂C/∂o`` (k, B) through the read-out [eq-surr-readout-bptt]."""
        if self._cache is None:
            raise RuntimeError(f"layer {self.name!r}: call forward(S) before backward(do)")
        do = check_finite(do, "do")
        expected = self._cache[1].shape[1:]
        if do.shape != expected:
            raise ValueError(f"do must have the shape of the logits {expected}, got {do.shape}")
        return self._backward(do)

    def potential(self) -> np.ndarray:
        """The read-out potentials ``u`` (T, k, B) of the last forward pass."""
        if self._cache is None:
            raise RuntimeError(f"layer {self.name!r}: call forward(S) first")
        return self._cache[1].copy()

    def _forward(self, S: np.ndarray) -> np.ndarray:
        drive = np.matmul(self.W, S)  # W S[t] for every t: (T, k, B)
        u = np.empty_like(drive)
        u_prev = np.zeros(drive.shape[1:])
        for t in range(drive.shape[0]):
            u[t] = self.alpha * u_prev + drive[t]  # u[t] = α u[t−1] + W S[t]
            u_prev = u[t]
        self._cache = (S, u)
        return u.mean(axis=0) if self.readout == "mean" else u.max(axis=0)

    def _backward(self, do: np.ndarray) -> ReadoutGradients:
        S, u = self._cache
        T = u.shape[0]
        if self.readout == "mean":
            direct = np.broadcast_to(do / T, u.shape)  # ∂o/∂u[t] = 1/T
        else:
            first_max = np.argmax(u, axis=0)  # ∂o/∂u[t] = 1 at the (first) time of the maximum
            direct = (np.arange(T)[:, None, None] == first_max[None]) * do[None]
        du = np.empty_like(u)
        du_next = np.zeros(u.shape[1:])
        for t in range(T - 1, -1, -1):
            du[t] = direct[t] + self.alpha * du_next  # ū[t] = ∂C/∂u[t] + α ū[t+1]   [eq-surr-readout-bptt]
            du_next = du[t]
        dW = np.tensordot(du, S, axes=([0, 2], [0, 2]))  # Σ_t ū[t] S[t]ᵀ   [eq-surr-dW]
        dS = np.matmul(self.W.T, du)  # ∂C/∂S[t] = W_outᵀ ū[t]
        return ReadoutGradients(dS, dW)


# --- the network ------------------------------------------------------------------------


class SpikingNet:
    """One hidden layer of LIF neurons and a leaky read-out, trained with surrogate gradients.

    Parameters
    ----------
    n_in : int
        Number of input neurons.
    n_hidden : int
        Number of hidden LIF neurons.
    n_out : int, default 2
        Number of outputs (classes).
    dt, tau_m, tau_out : float
        Time step, membrane and read-out time constants (ms).
    surrogate, steepness, detach_reset
        As in :class:`LIFLayer`.
    readout : {"mean", "max"}, default "max"
        As in :class:`LeakyReadout`.
    loss : str, default "softmax_cross_entropy"
        A loss of chapter 08 (:data:`neurolib.dense.LOSSES`) applied to the logits.
    input_scale, output_scale : float
        Standard deviation of the initial weights times ``sqrt(fan-in)``:
        ``W ~ N(0, input_scale² / n_in)``, ``W_out ~ N(0, output_scale² / n_hidden)``.
    seed, rng
        Randomness of the initial weights.
    """

    def __init__(
        self,
        n_in: int,
        n_hidden: int,
        n_out: int = 2,
        *,
        dt: float = DT,
        tau_m: float = TAU_MEM,
        tau_out: float = TAU_OUT,
        surrogate: str | Surrogate = "fast_sigmoid",
        steepness: float | None = None,
        detach_reset: bool = False,
        readout: str = "max",
        loss: str = "softmax_cross_entropy",
        input_scale: float = 3.0,
        output_scale: float = 1.0,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        n_in = check_int(n_in, "n_in", minimum=1)
        n_hidden = check_int(n_hidden, "n_hidden", minimum=1)
        n_out = check_int(n_out, "n_out", minimum=1)
        check_memory(float(n_hidden) * (n_in + n_out), "reduce n_in, n_hidden or n_out",
                     what=f"the weights of a {n_in}-{n_hidden}-{n_out} network")
        check_positive(tau_out, "tau_out", "ms")  # named as here, not as the read-out's tau
        self.loss = dense.get_loss(loss)
        if self.loss.name == "softmax_cross_entropy" and n_out < 2:
            raise ValueError(f"a softmax output needs at least 2 units, got n_out={n_out}")
        input_scale = check_positive(input_scale, "input_scale")
        output_scale = check_positive(output_scale, "output_scale")
        gen = check_rng(seed, rng)
        W = gen.normal(0.0, input_scale / math.sqrt(n_in), size=(n_hidden, n_in))
        W_out = gen.normal(0.0, output_scale / math.sqrt(n_hidden), size=(n_out, n_hidden))
        self.hidden = LIFLayer(W, dt=dt, tau_m=tau_m, surrogate=surrogate, steepness=steepness, detach_reset=detach_reset)
        self.readout = LeakyReadout(W_out, dt=dt, tau=tau_out, readout=readout)

    def __repr__(self) -> str:
        return f"SpikingNet(hidden={self.hidden!r}, readout={self.readout!r}, loss={self.loss.name!r})"

    @property
    def n_in(self) -> int:
        return self.hidden.W.shape[1]

    @property
    def n_hidden(self) -> int:
        return self.hidden.W.shape[0]

    @property
    def n_out(self) -> int:
        return self.readout.W.shape[0]

    def set_surrogate(
        self, surrogate: str | Surrogate | None = None, steepness: float | None = None, detach_reset: bool | None = None
    ) -> None:
        """Change the backward pass only (the forward pass of the spiking network is unchanged)."""
        if surrogate is not None or steepness is not None:
            current = self.hidden.surrogate.name if surrogate is None else surrogate
            self.hidden.surrogate = _surrogate(current, steepness, "surrogate")
        if detach_reset is not None:
            self.hidden.detach_reset = _check_flag(detach_reset, "detach_reset")

    def _input(self, x: ArrayLike) -> np.ndarray:
        return _check_spikes(x, "x", self.n_in)

    def forward(self, x: ArrayLike, *, relaxed: bool = False) -> np.ndarray:
        """Logits ``o`` (n_out, B) for input spikes ``x`` (T, n_in, B).

        ``relaxed=True`` runs the smooth relaxation (the surrogate's ``σ`` instead of ``Θ``).
        """
        x = self._input(x)
        relaxed = _check_flag(relaxed, "relaxed")
        return self.readout._forward(self.hidden._forward(x, relaxed))

    def hidden_spikes(self, x: ArrayLike) -> np.ndarray:
        """Hidden spikes ``S`` (T, n_hidden, B) of the spiking network."""
        return self.hidden._forward(self._input(x), False)

    def targets(self, labels: ArrayLike) -> np.ndarray:
        """Targets for integer class ``labels`` (B,), in the form the loss needs (as :meth:`neurolib.dense.MLP.targets`)."""
        if self.n_out == 1:
            return dense._labels(labels, 2)[None, :].astype(np.float64)
        return dense.one_hot_labels(labels, self.n_out)

    def cost(self, x: ArrayLike, y: ArrayLike, *, relaxed: bool = False) -> float:
        """Loss of the logits against targets ``y`` (n_out, B) (batch mean)."""
        return self.loss(self.forward(x, relaxed=relaxed), y)

    def parameters(self) -> dict[str, np.ndarray]:
        """The weight arrays themselves (not copies): ``hidden.W`` and ``readout.W``."""
        return {"hidden.W": self.hidden.W, "readout.W": self.readout.W}

    def gradients(self, x: ArrayLike, y: ArrayLike, *, relaxed: bool = False) -> dict[str, np.ndarray]:
        """Surrogate gradients by BPTT: forward pass, loss gradient, read-out and LIF backward.

        With ``relaxed=True`` the forward pass is the smooth relaxation and the result is its
        exact gradient (what a finite-difference check can confirm).
        """
        grads, _ = self._gradients(x, y, relaxed)
        return grads

    def _gradients(self, x: ArrayLike, y: ArrayLike, relaxed: bool) -> tuple[dict[str, np.ndarray], LIFGradients]:
        o = self.forward(x, relaxed=relaxed)
        do = self.loss.gradient(o, y)  # ∂C/∂o of chapter 08
        out = self.readout._backward(do)
        hid = self.hidden._backward(out.dS)
        return {"hidden.W": hid.dW, "readout.W": out.dW}, hid

    def get_state(self) -> dict[str, np.ndarray]:
        """A copy of every parameter array."""
        return {k: p.copy() for k, p in self.parameters().items()}

    def set_state(self, state: Mapping[str, np.ndarray]) -> None:
        """Copy the arrays of ``state`` (from :meth:`get_state`) into the network.

        Every array is checked (finite, the parameter's shape) before any is copied.
        """
        if not isinstance(state, Mapping):
            raise TypeError(f"state must be a mapping of name -> array (from get_state), got {type(state).__name__}")
        checked = {}
        for key, param in self.parameters().items():
            if key not in state:
                raise ValueError(f"state must contain {sorted(self.parameters())}, missing {key!r}")
            checked[key] = check_finite(state[key], f"state[{key!r}]")
            if checked[key].shape != param.shape:
                raise ValueError(f"state[{key!r}] must have shape {param.shape}, got {checked[key].shape}")
        for key, param in self.parameters().items():
            param[...] = checked[key]

    def predict(self, x: ArrayLike) -> np.ndarray:
        """Predicted class of every example (argmax of the logits, or ``o > 0`` for one output)."""
        return dense.MLP._classes(self.forward(x))

    def accuracy(self, x: ArrayLike, labels: ArrayLike) -> float:
        """Fraction of the examples of ``x`` classified as ``labels``."""
        labels = dense._labels(labels, max(2, self.n_out))
        return float(np.mean(self.predict(x) == labels))


# --- training -----------------------------------------------------------------------------


class Adam:
    """The Adam optimiser (Kingma & Ba 2015), in place on a dict of arrays.

    ``m ← β₁ m + (1 − β₁) g``, ``s ← β₂ s + (1 − β₂) g²``,
    ``θ ← θ − η m̂ / (√ŝ + ε)`` with the bias-corrected ``m̂ = m/(1 − β₁ⁿ)`` and
    ``ŝ = s/(1 − β₂ⁿ)``.

    Parameters
    ----------
    params : mapping name -> ndarray
        The arrays to update in place (e.g. :meth:`SpikingNet.parameters`).
    learning_rate : float, default 0.01
        Step size η > 0.
    beta1, beta2 : float, default 0.9, 0.999
        Decay rates of the moment estimates, in [0, 1).
    eps : float, default 1e-8
        Guards the division, > 0.
    """

    def __init__(
        self,
        params: Mapping[str, np.ndarray],
        learning_rate: float = 0.01,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
    ) -> None:
        if not isinstance(params, Mapping) or not params:
            raise TypeError(f"params must be a non-empty mapping of name -> numpy array, got {type(params).__name__}")
        for key, p in params.items():
            if not isinstance(p, np.ndarray) or p.dtype != np.float64:
                raise TypeError(f"params[{key!r}] must be a float64 numpy array, got {type(p).__name__}")
        self.params = dict(params)
        self.learning_rate = check_positive(learning_rate, "learning_rate")
        self.beta1, self.beta2 = (_check_unit_interval(beta1, "beta1"), _check_unit_interval(beta2, "beta2"))
        self.eps = check_positive(eps, "eps")
        self.m = {k: np.zeros_like(p) for k, p in self.params.items()}
        self.s = {k: np.zeros_like(p) for k, p in self.params.items()}
        self.n_steps = 0

    def step(self, grads: Mapping[str, ArrayLike]) -> None:
        """One update with the gradients ``grads`` (same keys and shapes as ``params``)."""
        if not isinstance(grads, Mapping) or set(grads) != set(self.params):
            got = sorted(grads) if isinstance(grads, Mapping) else type(grads).__name__
            raise ValueError(f"grads must have the keys {sorted(self.params)}, got {got}")
        self.n_steps += 1
        c1 = 1.0 - self.beta1**self.n_steps
        c2 = 1.0 - self.beta2**self.n_steps
        for key, p in self.params.items():
            g = check_finite(grads[key], f"grads[{key!r}]")
            if g.shape != p.shape:
                raise ValueError(f"grads[{key!r}] must have shape {p.shape}, got {g.shape}")
            self.m[key] = self.beta1 * self.m[key] + (1.0 - self.beta1) * g
            self.s[key] = self.beta2 * self.s[key] + (1.0 - self.beta2) * g**2
            p -= self.learning_rate * (self.m[key] / c1) / (np.sqrt(self.s[key] / c2) + self.eps)


def _check_training(net: SpikingNet, data: SpikeData, epochs: int, batch_size: int, keep_states: bool) -> None:
    """``data`` fits ``net``; the run stays within :data:`neurolib._checks.MAX_STEPS` simulated
    time steps (one per step of every mini-batch) and the snapshots within the memory budget."""
    T, n_in, n = data.X_train.shape
    if n_in != net.n_in:
        raise ValueError(f"data has {n_in} input neurons (X_train of shape {data.X_train.shape}) but net has "
                         f"n_in={net.n_in}; encode the data with n_per_dim={net.n_in // 2} or build the net for it")
    n_batches = -(-n // batch_size)
    if not epochs * n_batches * T <= _checks.MAX_STEPS:
        raise ValueError(f"epochs={epochs} x {n_batches} mini-batches x {T} time steps is more than the limit of "
                         f"{_checks.MAX_STEPS:.3g} simulated steps; reduce epochs (or increase batch_size)")
    if keep_states:
        check_memory(float(epochs + 1) * sum(p.size for p in net.parameters().values()),
                     "reduce epochs or pass keep_states=False", what=f"{epochs + 1} snapshots of the weights")


def _check_passes(n_passes: float, n_steps: int, fix: str) -> None:
    """Refuse ``n_passes`` forward passes of ``n_steps`` steps beyond :data:`neurolib._checks.MAX_STEPS`."""
    if not n_passes * n_steps <= _checks.MAX_STEPS:
        raise ValueError(f"{n_passes:.3g} passes of {n_steps} time steps is more than the limit of "
                         f"{_checks.MAX_STEPS:.3g} simulated steps; {fix}")


def _check_steepnesses(values: ArrayLike) -> np.ndarray:
    ks = check_finite(values, "steepnesses")
    if ks.ndim != 1 or ks.size == 0 or np.any(ks <= 0) or np.any(ks > MAX_STEEPNESS):
        raise ValueError(f"steepnesses must be a non-empty 1-D array of values in (0, MAX_STEEPNESS = "
                         f"{MAX_STEEPNESS:g}], got {values!r}")
    return ks


def _check_unit_interval(value: Any, name: str) -> float:
    return check_in_range(value, name, 0.0, 1.0, closed=(True, False))


def _check_net(net: Any) -> SpikingNet:
    return check_instance(net, "net", SpikingNet)


def _check_data(data: Any) -> SpikeData:
    return check_instance(data, "data", SpikeData, "a SpikeData (from encode_moons)")


#: Optimisers of :func:`train`.
OPTIMISERS = ("adam", "sgd")


def train(
    net: SpikingNet,
    data: SpikeData,
    *,
    epochs: int = 30,
    learning_rate: float = 0.01,
    batch_size: int = 32,
    optimiser: str = "adam",
    seed: int | None = None,
    rng: np.random.Generator | None = None,
    keep_states: bool = False,
    train_hidden: bool = True,
) -> dense.TrainingHistory:
    """Train ``net`` in place with surrogate gradients on mini-batches of ``data``.

    Each epoch shuffles the training set and takes one step per mini-batch: Adam
    (:class:`Adam`) or plain gradient descent ``θ ← θ − η ∂C/∂θ`` (chapter 08).

    Parameters
    ----------
    net : SpikingNet
    data : SpikeData
        Encoded training and test sets (:func:`encode_moons`).
    epochs : int, default 30
    learning_rate : float, default 0.01
        Step size η > 0.
    batch_size : int, default 32
    optimiser : {"adam", "sgd"}, default "adam"
    seed, rng
        Randomness of the shuffling.
    keep_states : bool, default False
        Keep a copy of the weights after every epoch.
    train_hidden : bool, default True
        If False, only the read-out learns and the hidden weights keep their random initial
        values: what backpropagation with the true derivative of the spike (zero) achieves.

    Returns
    -------
    neurolib.dense.TrainingHistory
        Loss and accuracy on the training and test sets after every epoch (index 0: before).

    Raises
    ------
    FloatingPointError
        If the weights or gradients overflow (the step size is too large for SGD).
    """
    net = _check_net(net)
    data = _check_data(data)
    epochs = check_int(epochs, "epochs", minimum=0)
    learning_rate = check_positive(learning_rate, "learning_rate")
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    check_choice(optimiser, "optimiser", OPTIMISERS)
    keep_states = _check_flag(keep_states, "keep_states")
    train_hidden = _check_flag(train_hidden, "train_hidden")
    gen = check_rng(seed, rng)
    _check_training(net, data, epochs, batch_size, keep_states)
    Y_train, Y_test = net.targets(data.y_train), net.targets(data.y_test)
    adam = Adam(net.parameters(), learning_rate) if optimiser == "adam" else None
    curves: dict[str, list[float]] = {"train_loss": [], "test_loss": [], "train_accuracy": [], "test_accuracy": []}
    states = []

    def record() -> None:
        for split, X, Y, y in (("train", data.X_train, Y_train, data.y_train), ("test", data.X_test, Y_test, data.y_test)):
            o = net.forward(X)
            curves[f"{split}_loss"].append(net.loss(o, Y))
            curves[f"{split}_accuracy"].append(float(np.mean(dense.MLP._classes(o) == y)))
        if keep_states:
            states.append(net.get_state())

    record()
    n = data.X_train.shape[2]
    for epoch in range(1, epochs + 1):
        order = gen.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            _train_step(net, data.X_train[:, :, batch], Y_train[:, batch], adam, learning_rate, train_hidden, epoch)
        record()
    return dense.TrainingHistory(**{k: np.array(v) for k, v in curves.items()}, states=tuple(states))


def _train_step(net: SpikingNet, x: np.ndarray, Y: np.ndarray, adam: Adam | None, learning_rate: float,
                train_hidden: bool, epoch: int) -> None:
    """One step of :func:`train` on a mini-batch: Adam, or ``θ ← θ − η ∂C/∂θ`` without one."""
    with np.errstate(over="ignore", invalid="ignore"):  # a divergence is reported below
        grads = net.gradients(x, Y)
        if not train_hidden:
            grads["hidden.W"] = np.zeros_like(grads["hidden.W"])  # Θ′ = 0: nothing reaches W
        if not all(np.all(np.isfinite(g)) for g in grads.values()):
            dense._diverged(epoch, learning_rate)
        if adam is not None:
            adam.step(grads)
        else:
            for key, param in net.parameters().items():
                param -= learning_rate * grads[key]
    if not all(np.max(np.abs(p)) < dense._DIVERGED for p in net.parameters().values()):
        dense._diverged(epoch, learning_rate)


@dataclass(frozen=True)
class Evaluation:
    """Accuracy and activity of a spiking network on a set of inputs (:func:`evaluate`).

    Attributes
    ----------
    accuracy : float
        Fraction classified correctly.
    hidden_spikes_per_input : float
        Mean number of hidden-layer spikes per example (a proxy for energy).
    input_spikes_per_input : float
        Mean number of input spikes per example.
    synaptic_events_per_input : float
        Mean number of synaptic events per example: every input spike reaches ``n_hidden``
        synapses, every hidden spike ``n_out``; each event is one addition.
    silent_fraction : float
        Fraction of hidden neurons that never fire on any example.
    """

    accuracy: float
    hidden_spikes_per_input: float
    input_spikes_per_input: float
    synaptic_events_per_input: float
    silent_fraction: float


def evaluate(net: SpikingNet, x: ArrayLike, labels: ArrayLike) -> Evaluation:
    """Accuracy and spikes per input of ``net`` on inputs ``x`` (T, n_in, B) with ``labels`` (B,).

    Returns
    -------
    Evaluation
    """
    net = _check_net(net)
    x = net._input(x)
    labels = dense._labels(labels, max(2, net.n_out))
    if labels.size != x.shape[2]:
        raise ValueError(f"labels must have one entry per example, {x.shape[2]}, got {labels.size}")
    S = net.hidden._forward(x, False)
    o = net.readout._forward(S)
    B = x.shape[2]
    hidden = float(S.sum()) / B
    inputs = float(x.sum()) / B
    return Evaluation(
        accuracy=float(np.mean(dense.MLP._classes(o) == labels)),
        hidden_spikes_per_input=hidden,
        input_spikes_per_input=inputs,
        synaptic_events_per_input=inputs * net.n_hidden + hidden * net.n_out,
        silent_fraction=float(np.mean(S.sum(axis=(0, 2)) == 0)),
    )


@dataclass(frozen=True)
class MoonsRun:
    """One training run of :func:`train_moons`: the trained net, its curves and its evaluation."""

    net: SpikingNet = field(repr=False)
    data: SpikeData = field(repr=False)
    history: dense.TrainingHistory = field(repr=False)
    test: Evaluation
    seconds: float


def train_moons(
    seed: int = 0,
    *,
    n_hidden: int = 16,
    encoding: str = "latency",
    n_train: int = 200,
    n_test: int = 400,
    noise: float = 0.15,
    epochs: int = 30,
    learning_rate: float = 0.01,
    batch_size: int = 32,
    surrogate: str | Surrogate = "fast_sigmoid",
    steepness: float | None = None,
    detach_reset: bool = False,
    readout: str = "max",
    train_hidden: bool = True,
    n_steps: int = N_STEPS,
    n_per_dim: int = N_PER_DIM,
) -> MoonsRun:
    """The chapter's example: one hidden LIF layer + leaky read-out trained on two moons.

    The data (:func:`neurolib.dense.make_moons`), the encoding, the initial weights and the
    shuffling each draw from their own random stream, spawned from ``seed``
    (:class:`numpy.random.SeedSequence`), so that one seed fixes the whole run.

    Parameters
    ----------
    seed : int, default 0
    n_hidden : int, default 16
    encoding : {"latency", "poisson"}
    n_train, n_test, noise
        As in :func:`neurolib.dense.make_moons`.
    epochs, learning_rate, batch_size
        As in :func:`train` (Adam).
    surrogate, steepness, detach_reset, readout
        As in :class:`SpikingNet`.
    train_hidden : bool, default True
        As in :func:`train` (False: the read-out-only baseline).
    n_steps, n_per_dim
        As in :func:`encode_moons`.

    Returns
    -------
    MoonsRun
        With the test-set :class:`Evaluation` and the wall-clock time of training (s).
    """
    seed = check_int(seed, "seed", minimum=0)
    root = np.random.SeedSequence(seed)
    data_rng, code_rng, net_rng, shuffle_rng = (np.random.default_rng(s) for s in root.spawn(4))
    moons = dense.make_moons(n_train, n_test, noise, rng=data_rng)
    data = encode_moons(moons, encoding, n_steps=n_steps, n_per_dim=n_per_dim, rng=code_rng)
    net = SpikingNet(
        data.X_train.shape[1],
        n_hidden,
        2,
        surrogate=surrogate,
        steepness=steepness,
        detach_reset=detach_reset,
        readout=readout,
        rng=net_rng,
    )
    start = time.perf_counter()
    history = train(
        net, data, epochs=epochs, learning_rate=learning_rate, batch_size=batch_size, rng=shuffle_rng,
        train_hidden=train_hidden,
    )
    seconds = time.perf_counter() - start
    return MoonsRun(net, data, history, evaluate(net, data.X_test, data.y_test), seconds)


@dataclass(frozen=True)
class Comparison:
    """The spiking network against chapter 08's MLP of the same hidden size, over seeds.

    Attributes
    ----------
    seeds : tuple of int
    n_hidden : int
    snn_accuracy, mlp_accuracy : ndarray, shape (n_seeds,)
        Test accuracy of every seed.
    snn_hidden_spikes : ndarray, shape (n_seeds,)
        Hidden spikes per test input.
    snn_synaptic_events : ndarray, shape (n_seeds,)
        Synaptic events (additions) per test input (:class:`Evaluation`).
    mlp_multiply_adds : int
        Multiply-accumulate operations per input of the MLP, ``n_in n_hidden + n_hidden n_out``
        (biases not counted), for every input.
    runs : tuple of MoonsRun
    """

    seeds: tuple[int, ...]
    n_hidden: int
    snn_accuracy: np.ndarray
    mlp_accuracy: np.ndarray
    snn_hidden_spikes: np.ndarray
    snn_synaptic_events: np.ndarray
    mlp_multiply_adds: int
    runs: tuple[MoonsRun, ...] = field(repr=False)

    @staticmethod
    def _mean_sd(a: np.ndarray) -> tuple[float, float]:
        return float(np.mean(a)), float(np.std(a, ddof=1)) if a.size > 1 else 0.0

    @property
    def snn(self) -> tuple[float, float]:
        """Mean and sample standard deviation of the spiking network's test accuracy."""
        return self._mean_sd(self.snn_accuracy)

    @property
    def mlp(self) -> tuple[float, float]:
        """Mean and sample standard deviation of the MLP's test accuracy."""
        return self._mean_sd(self.mlp_accuracy)

    def __str__(self) -> str:
        (m_s, s_s), (m_m, s_m) = self.snn, self.mlp
        return (
            f"{'network':<28}{'test accuracy':>18}{'activity per input':>34}\n"
            f"{f'spiking, {self.n_hidden} LIF':<28}{f'{m_s:.3f} ± {s_s:.3f}':>18}"
            f"{f'{np.mean(self.snn_hidden_spikes):.1f} spikes, {np.mean(self.snn_synaptic_events):.0f} additions':>34}\n"
            f"{f'MLP 2-{self.n_hidden}-2 (tanh)':<28}{f'{m_m:.3f} ± {s_m:.3f}':>18}"
            f"{f'{self.mlp_multiply_adds} multiply-adds':>34}"
        )


def compare_with_mlp(
    seeds: Sequence[int] = (0, 1, 2),
    *,
    n_hidden: int = 16,
    mlp_epochs: int = 100,
    mlp_learning_rate: float = 0.5,
    **snn_options: Any,
) -> Comparison:
    """Train the spiking network and chapter 08's MLP (2-n_hidden-2, tanh) on the same moons.

    For every seed the MLP sees the same points (:func:`neurolib.dense.make_moons`) as raw
    coordinates, the spiking network sees them as spikes (:func:`train_moons`).

    Parameters
    ----------
    seeds : sequence of int, default (0, 1, 2)
        At least one; the statistics need at least 3.
    n_hidden : int, default 16
    mlp_epochs, mlp_learning_rate
        Plain SGD of chapter 08 (:func:`neurolib.dense.train`, mini-batches of 20).
    **snn_options
        Passed to :func:`train_moons`.

    Returns
    -------
    Comparison
    """
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Sequence) or len(seeds) == 0:
        raise TypeError(f"seeds must be a non-empty sequence of integers, got {seeds!r}")
    seeds = tuple(check_int(s, "seeds[i]", minimum=0) for s in seeds)
    n_hidden = check_int(n_hidden, "n_hidden", minimum=1)
    mlp_epochs = check_int(mlp_epochs, "mlp_epochs", minimum=0, maximum=_checks.MAX_STEPS)
    mlp_learning_rate = check_positive(mlp_learning_rate, "mlp_learning_rate")
    runs, mlp_acc = [], []
    for seed in seeds:
        run = train_moons(seed, n_hidden=n_hidden, **snn_options)
        runs.append(run)
        points = dense.Moons(run.data.points_train, run.data.y_train, run.data.points_test, run.data.y_test)
        mlp = dense.MLP((2, n_hidden, 2), "tanh", seed=seed)
        _train_mlp(mlp, points, mlp_epochs, mlp_learning_rate, seed)
        mlp_acc.append(mlp.accuracy(points.X_test, points.y_test))
    return Comparison(
        seeds,
        n_hidden,
        np.array([r.test.accuracy for r in runs]),
        np.array(mlp_acc),
        np.array([r.test.hidden_spikes_per_input for r in runs]),
        np.array([r.test.synaptic_events_per_input for r in runs]),
        2 * n_hidden + n_hidden * 2,
        tuple(runs),
    )


def _train_mlp(mlp: dense.MLP, points: dense.Moons, mlp_epochs: int, mlp_learning_rate: float, seed: int) -> None:
    """Chapter 08's SGD for :func:`compare_with_mlp`, its errors naming the ``mlp_`` arguments."""
    try:
        dense.train(mlp, points, epochs=mlp_epochs, learning_rate=mlp_learning_rate, batch_size=20, seed=seed)
    except FloatingPointError as exc:
        raise FloatingPointError(f"the MLP diverged: use a smaller mlp_learning_rate than "
                                 f"{mlp_learning_rate:g} ({exc})") from None
    except ValueError as exc:
        raise ValueError(f"the MLP's training was refused: reduce mlp_epochs ({mlp_epochs}) ({exc})") from None


# --- gradient norms as a function of the surrogate's steepness ----------------------------


@dataclass(frozen=True)
class GradientNorms:
    """Sizes of the surrogate gradient of one batch (:func:`gradient_norms`).

    Attributes
    ----------
    layers : dict
        ``‖∂C/∂W‖`` (Frobenius) of ``hidden.W`` and ``readout.W``.
    per_time : ndarray, shape (T,)
        ``‖λ[t]‖ = ‖∂C/∂v[t]‖`` over the hidden neurons and the batch: how the error
        reaching the membrane changes as it travels back in time.
    """

    layers: dict[str, float]
    per_time: np.ndarray


def gradient_norms(net: SpikingNet, x: ArrayLike, labels: ArrayLike, *, steepness: float | None = None) -> GradientNorms:
    """Per-layer and per-time norms of the surrogate gradient on inputs ``x`` with ``labels``.

    Parameters
    ----------
    net : SpikingNet
    x : array_like, shape (T, n_in, B)
    labels : array_like of int, shape (B,)
    steepness : float, optional
        Use this steepness for the backward pass (the net is left unchanged); default the
        net's own.
    """
    net = _check_net(net)
    x = net._input(x)
    Y = net.targets(labels)
    if Y.shape[1] != x.shape[2]:
        raise ValueError(f"labels must have one entry per example, {x.shape[2]}, got {Y.shape[1]}")
    saved = net.hidden.surrogate
    if steepness is not None:
        net.hidden.surrogate = saved.with_steepness(steepness)
    try:
        grads, hid = net._gradients(x, Y, False)
    finally:
        net.hidden.surrogate = saved
    return GradientNorms(
        {k: float(np.linalg.norm(g)) for k, g in grads.items()},
        np.sqrt(np.sum(hid.dv**2, axis=(1, 2))),
    )


@dataclass(frozen=True)
class SteepnessSweep:
    """:func:`gradient_norms` over a range of steepnesses.

    Attributes
    ----------
    steepness : ndarray, shape (K,)
    hidden, readout : ndarray, shape (K,)
        ``‖∂C/∂W‖`` of each layer.
    per_time : ndarray, shape (K, T)
        ``‖∂C/∂v[t]‖`` for every steepness.
    """

    steepness: np.ndarray
    hidden: np.ndarray
    readout: np.ndarray
    per_time: np.ndarray


def steepness_sweep(net: SpikingNet, x: ArrayLike, labels: ArrayLike, steepnesses: ArrayLike) -> SteepnessSweep:
    """Gradient norms of ``net`` on one batch for every steepness ``k`` in ``steepnesses``.

    The forward pass is the same spiking network every time; only the backward pass changes.
    The read-out gradient does not depend on ``k`` (it never passes a spike); the hidden one does.
    """
    ks = _check_steepnesses(steepnesses)
    net = _check_net(net)
    x = net._input(x)
    _check_passes(2.0 * ks.size, x.shape[0], "use fewer steepnesses")
    norms = [gradient_norms(net, x, labels, steepness=float(k)) for k in ks]
    return SteepnessSweep(
        ks.copy(),
        np.array([n.layers["hidden.W"] for n in norms]),
        np.array([n.layers["readout.W"] for n in norms]),
        np.stack([n.per_time for n in norms]),
    )


@dataclass(frozen=True)
class DescentCheck:
    """Does a step along the surrogate gradient lower the loss of the *spiking* network?

    Attributes
    ----------
    steepness : ndarray, shape (K,)
    loss_change : ndarray, shape (K,)
        ``C(W − ε g/‖g‖) − C(W)`` of the spiking network, for the hidden-layer surrogate
        gradient ``g`` at every steepness (negative: the step helps).
    random_mean, random_sd : float
        Mean and standard deviation of the same change along random unit directions: what a
        direction that carries no information achieves.
    step : float
        ``ε``, the length of the step in weight space.
    """

    steepness: np.ndarray
    loss_change: np.ndarray
    random_mean: float
    random_sd: float
    step: float


def descent_check(
    net: SpikingNet,
    x: ArrayLike,
    labels: ArrayLike,
    steepnesses: ArrayLike,
    *,
    step: float = 0.3,
    n_random: int = 20,
    seed: int | None = 0,
    rng: np.random.Generator | None = None,
) -> DescentCheck:
    """The loss change of the spiking network after one step along each surrogate direction.

    The surrogate gradient is not the gradient of the spiking network (that is zero almost
    everywhere); this measures whether its *direction* is useful all the same: the hidden
    weights are moved by ``step`` along ``−g/‖g‖`` and the spiking network's loss is
    recomputed, for every steepness, and for ``n_random`` random unit directions as a
    reference. The net is left unchanged.

    Parameters
    ----------
    net : SpikingNet
    x : array_like, shape (T, n_in, B)
    labels : array_like of int, shape (B,)
    steepnesses : array_like, shape (K,)
        Values of ``k`` > 0.
    step : float, default 0.3
        Length ε of the step (Frobenius norm of the weight change), > 0.
    n_random : int, default 20
        Number of random directions, >= 2.
    seed, rng
        Randomness of the random directions.

    Returns
    -------
    DescentCheck
    """
    net = _check_net(net)
    x = net._input(x)
    Y = net.targets(labels)
    if Y.shape[1] != x.shape[2]:
        raise ValueError(f"labels must have one entry per example, {x.shape[2]}, got {Y.shape[1]}")
    ks = _check_steepnesses(steepnesses)
    step = check_positive(step, "step")
    n_random = check_int(n_random, "n_random", minimum=2)
    _check_passes(3.0 * ks.size + n_random, x.shape[0], "use fewer steepnesses or a smaller n_random")
    gen = check_rng(seed, rng)
    W0 = net.hidden.W.copy()
    saved = net.hidden.surrogate
    c0 = net.cost(x, Y)

    def change(direction: np.ndarray) -> float:
        net.hidden.W[...] = W0 + step * direction / np.linalg.norm(direction)
        try:
            return net.cost(x, Y) - c0
        finally:
            net.hidden.W[...] = W0

    changes = []
    try:
        for k in ks:
            net.hidden.surrogate = saved.with_steepness(float(k))
            g = net.gradients(x, Y)["hidden.W"]
            changes.append(change(-g) if np.any(g) else 0.0)
    finally:
        net.hidden.surrogate = saved
    rand = np.array([change(gen.standard_normal(W0.shape)) for _ in range(n_random)])
    return DescentCheck(ks.copy(), np.array(changes), float(rand.mean()), float(rand.std(ddof=1)), step)
