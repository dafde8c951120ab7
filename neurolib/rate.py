"""Rate-coded neurons and recurrent (reservoir) networks (chapter 05).

A rate-coded neuron keeps a "membrane potential" ``v`` (dimensionless, in units of its input)
and emits a firing rate ``r = f(v)`` instead of spikes:

.. math:: \\tau \\frac{dv}{dt} + v = \\sum_i w_i r_i(t) + b, \\qquad r(t) = f(v(t)).

Inputs are held constant within each time step, and for such piecewise-constant input the
update ``v(t + dt) = u + (v(t) - u) e^{-dt/\\tau}`` (``u`` the input during the step) is the
exact solution: :func:`simulate_neuron` has no time-step error at all.

A recurrent network of ``N`` such units with ``r = tanh(v)`` is a *reservoir*:

.. math:: \\tau \\frac{dv}{dt} + v = W_{in} I(t) + g W_{rec} r(t) + \\xi(t),

with ``W_rec`` random, entries of mean 0 and variance ``1/N`` (so the eigenvalues of
``g W_rec`` fill a disc of radius close to ``g``), and ``ξ`` white noise. :func:`simulate_reservoir`
advances it with the same exponential update, the recurrent input being held over a step
(first order in ``dt``). A linear readout of its rates trained by ridge regression
(:func:`fit_ridge`, :func:`evaluate_readout`) turns it into an echo-state network.

Units: time in ms; ``v``, inputs and rates of the reservoir are dimensionless (a rate of 1
is the unit's maximum); the single neuron's rate has the units of ``f`` (e.g. Hz).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Callable, Union

import numpy as np
from scipy import linalg
from scipy.signal import lfilter

from . import activations as act
from ._checks import (
    check_instance,
    check_steps,
    check_size,
    check_memory,
    check_choice,
    check_finite,
    check_int,
    check_nonnegative,
    check_positive,
    check_real_scalar,
    check_rng,
)

__all__ = [
    "TAU",
    "DT",
    "G",
    "decay_factor",
    "step_response",
    "get_transfer",
    "RateResult",
    "simulate_neuron",
    "Reservoir",
    "make_reservoir",
    "recurrent_eigenvalues",
    "ReservoirResult",
    "simulate_reservoir",
    "DelayTask",
    "delay_task",
    "Readout",
    "fit_ridge",
    "nrmse",
    "ReadoutEvaluation",
    "evaluate_readout",
    "lif_population_rate",
]

#: Default time constant of a rate neuron (ms); biological values lie between 5 and 30 ms.
TAU: float = 10.0
#: Default time step (ms).
DT: float = 1.0
#: Default gain of the recurrent weights (chaotic regime).
G: float = 1.5

Transfer = Union[str, Callable[[np.ndarray], Any]]


def decay_factor(dt: float, tau: float) -> float:
    """The factor ``exp(-dt/tau)`` by which ``v - u`` shrinks in one step.

    Parameters
    ----------
    dt, tau : float
        Time step and time constant (ms), both > 0.
    """
    dt = check_positive(dt, "dt", "ms")
    tau = check_positive(tau, "tau", "ms")
    return math.exp(-dt / tau)


def step_response(t: Any, amplitude: float = 1.0, *, tau: float = TAU, v0: float = 0.0) -> np.ndarray:
    """Analytic response of ``tau dv/dt + v = I`` to a step of height ``I`` at ``t = 0``.

    .. math:: v(t) = I\\,(1 - e^{-t/\\tau}) + v_0 e^{-t/\\tau}

    Parameters
    ----------
    t : array_like
        Times (ms), >= 0.
    amplitude : float, default 1
        Step height ``I`` (units of ``v``).
    tau : float, default :data:`TAU`
        Time constant (ms), > 0.
    v0 : float, default 0
        Potential at ``t = 0``.

    Returns
    -------
    numpy.ndarray
        ``v(t)``, same shape as ``t``.
    """
    t = check_finite(t, "t")
    if t.size and t.min() < 0:
        raise ValueError(f"t must be >= 0 ms (the step starts at t = 0), got min {t.min():g}")
    amplitude = check_real_scalar(amplitude, "amplitude")
    tau = check_positive(tau, "tau", "ms")
    v0 = check_real_scalar(v0, "v0")
    return amplitude + (v0 - amplitude) * np.exp(-t / tau)


def get_transfer(transfer: Transfer) -> Callable[[np.ndarray], np.ndarray]:
    """Resolve a transfer function: a name from :data:`neurolib.activations.ACTIVATIONS`
    (``"relu"``, ``"logistic"``, ``"tanh"``, ``"clip"``, ...) or any callable ``f(v)``."""
    if callable(transfer):
        return transfer
    if isinstance(transfer, str):
        return act.ACTIVATIONS[check_choice(transfer, "transfer", act.ACTIVATIONS, "activation")].f
    raise TypeError(f"transfer must be an activation name or a callable, got {type(transfer).__name__}")


# --- one rate neuron --------------------------------------------------------------------


@dataclass(frozen=True)
class RateResult:
    """What :func:`simulate_neuron` returns.

    Attributes
    ----------
    t : numpy.ndarray
        Sample times (ms), ``n_steps + 1`` values from 0.
    v : numpy.ndarray
        Potential at the sample times, shape ``(n_steps + 1,)``.
    r : numpy.ndarray
        Rate ``f(v)`` at the sample times.
    drive : numpy.ndarray
        Total input ``Σ w_i r_i + b`` during each step, shape ``(n_steps,)``.
    tau, dt : float
        Time constant and time step (ms).
    """

    t: np.ndarray
    v: np.ndarray
    r: np.ndarray
    drive: np.ndarray
    tau: float
    dt: float


def simulate_neuron(
    inputs: Any,
    weights: Any = 1.0,
    *,
    bias: float = 0.0,
    tau: float = TAU,
    dt: float = DT,
    transfer: Transfer = "relu",
    v0: float = 0.0,
) -> RateResult:
    """Simulate one rate neuron ``tau dv/dt + v = Σ_i w_i r_i(t) + b``, ``r = f(v)``.

    Input ``k`` (one row of ``inputs``) is held from ``k dt`` to ``(k+1) dt``; the update
    ``v_{k+1} = u_k + (v_k - u_k) e^{-dt/tau}`` is then exact, whatever ``dt``.

    Parameters
    ----------
    inputs : array_like
        Presynaptic rates: shape ``(n_steps,)`` for one input or ``(n_steps, n_inputs)``.
    weights : float or array_like, default 1
        Synaptic weights ``w_i``: a number (one input) or shape ``(n_inputs,)``.
    bias : float, default 0
        Constant input ``b``.
    tau : float, default :data:`TAU`
        Time constant (ms), > 0.
    dt : float, default :data:`DT`
        Time step (ms), > 0.
    transfer : str or callable, default "relu"
        Transfer function ``f`` (see :func:`get_transfer`).
    v0 : float, default 0
        Potential at ``t = 0``.

    Returns
    -------
    RateResult

    Raises
    ------
    ValueError
        Non-positive ``tau`` or ``dt``, NaN/inf inputs, or ``weights`` that do not match the
        number of inputs.
    """
    tau = check_positive(tau, "tau", "ms")
    dt = check_positive(dt, "dt", "ms")
    bias = check_real_scalar(bias, "bias")
    v0 = check_real_scalar(v0, "v0")
    f = get_transfer(transfer)
    x = check_finite(inputs, "inputs")
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[0] < 1:
        raise ValueError(f"inputs must have shape (n_steps,) or (n_steps, n_inputs), got {np.shape(inputs)}")
    w = check_finite(weights, "weights").reshape(-1)
    if w.size != x.shape[1]:
        raise ValueError(
            f"weights must have one entry per input: inputs have {x.shape[1]} column(s), "
            f"weights have shape {np.shape(weights)}"
        )
    drive = x @ w + bias
    a = math.exp(-dt / tau)
    # v_{k+1} = a v_k + (1 - a) u_k, run in C by lfilter with v_0 as initial condition
    v_next, _ = lfilter([-math.expm1(-dt / tau)], [1.0, -a], drive, zi=[a * v0])
    v = np.concatenate([[v0], v_next])
    r = np.asarray(f(v), dtype=float)
    t = dt * np.arange(v.size)
    return RateResult(t=t, v=v, r=r, drive=drive, tau=tau, dt=dt)


# --- a recurrent network: the reservoir ----------------------------------------------------


@dataclass(frozen=True)
class Reservoir:
    """A random recurrent network ``tau dv/dt + v = W_in I + g W_rec tanh(v) + ξ``.

    Attributes
    ----------
    W_in : numpy.ndarray
        Input weights, shape ``(N, n_inputs)``.
    W_rec : numpy.ndarray
        Recurrent weights before the gain, shape ``(N, N)``, entries of variance ``1/N``.
    g : float
        Gain of the recurrent weights (>= 0); the network uses ``g W_rec``.
    tau : float
        Time constant of every unit (ms).
    noise : float
        Stationary standard deviation that the noise ``ξ`` alone would give ``v``
        (dimensionless, >= 0; 0 switches the noise off).
    """

    W_in: np.ndarray
    W_rec: np.ndarray
    g: float = G
    tau: float = TAU
    noise: float = 0.0

    def __post_init__(self) -> None:
        W_rec = check_finite(self.W_rec, "W_rec")
        W_in = check_finite(self.W_in, "W_in")
        if W_rec.ndim != 2 or W_rec.shape[0] != W_rec.shape[1]:
            raise ValueError(f"W_rec must be a square (N, N) matrix, got shape {W_rec.shape}")
        if W_in.ndim == 1:
            W_in = W_in[:, None]
        if W_in.ndim != 2 or W_in.shape[0] != W_rec.shape[0]:
            raise ValueError(
                f"W_in must have shape (N, n_inputs) with N = {W_rec.shape[0]} rows (one per unit), got {W_in.shape}"
            )
        object.__setattr__(self, "W_rec", W_rec)
        object.__setattr__(self, "W_in", W_in)
        object.__setattr__(self, "g", check_nonnegative(self.g, "g"))
        object.__setattr__(self, "tau", check_positive(self.tau, "tau", "ms"))
        object.__setattr__(self, "noise", check_nonnegative(self.noise, "noise"))

    @property
    def n_units(self) -> int:
        """Number of units ``N``."""
        return self.W_rec.shape[0]

    @property
    def n_inputs(self) -> int:
        """Number of input channels."""
        return self.W_in.shape[1]

    def with_gain(self, g: float) -> "Reservoir":
        """The same network with gain ``g`` (the weights are shared, not copied)."""
        return replace(self, g=g)

    def eigenvalues(self) -> np.ndarray:
        """Eigenvalues of ``g W_rec`` (complex, shape ``(N,)``)."""
        return np.linalg.eigvals(self.g * self.W_rec)

    def spectral_radius(self) -> float:
        """Largest modulus of the eigenvalues of ``g W_rec``; close to ``g`` for large ``N``."""
        return float(np.max(np.abs(self.eigenvalues())))


def make_reservoir(
    n_units: int,
    n_inputs: int = 1,
    *,
    g: float = G,
    input_scale: float = 1.0,
    tau: float = TAU,
    noise: float = 0.0,
    seed: int | None = None,
    rng: np.random.Generator | None = None,
) -> Reservoir:
    """A reservoir with Gaussian weights: ``W_rec ~ N(0, 1/N)``, ``W_in ~ N(0, input_scale²)``.

    ``W_rec`` is drawn first, so for a given ``seed`` it depends only on ``n_units`` (the same
    network for every ``n_inputs``, ``g`` and ``input_scale``).

    Parameters
    ----------
    n_units : int
        Number of units ``N`` (>= 1).
    n_inputs : int, default 1
        Number of input channels.
    g : float, default :data:`G`
        Gain of the recurrent weights (>= 0).
    input_scale : float, default 1
        Standard deviation of the input weights (>= 0).
    tau : float, default :data:`TAU`
        Time constant (ms).
    noise : float, default 0
        Noise level, see :class:`Reservoir`.
    seed, rng
        Source of randomness (see :func:`neurolib._checks.check_rng`).
    """
    n_units = check_int(n_units, "n_units", minimum=1)
    n_inputs = check_int(n_inputs, "n_inputs", minimum=1)
    check_memory(float(n_units) * (n_units + n_inputs), "reduce n_units or n_inputs",
                 what=f"weights of {n_units} units x {n_inputs} input(s)")
    input_scale = check_nonnegative(input_scale, "input_scale")
    gen = check_rng(seed, rng)
    W_rec = gen.standard_normal((n_units, n_units)) / math.sqrt(n_units)
    W_in = input_scale * gen.standard_normal((n_units, n_inputs))
    return Reservoir(W_in=W_in, W_rec=W_rec, g=g, tau=tau, noise=noise)


@lru_cache(maxsize=16)
def _unit_eigenvalues(n_units: int, seed: int) -> np.ndarray:
    vals = np.linalg.eigvals(make_reservoir(n_units, seed=seed).W_rec)
    vals.setflags(write=False)
    return vals


def recurrent_eigenvalues(n_units: int, seed: int, g: float = 1.0) -> np.ndarray:
    """Eigenvalues of ``g W_rec`` for the network ``make_reservoir(n_units, seed=seed)``.

    The eigenvalues of ``W_rec`` are computed once per ``(n_units, seed)`` and cached (the
    widget calls this at every slider move); scaling by ``g`` is then free.
    """
    n_units = check_int(n_units, "n_units", minimum=1)
    check_memory(4.0 * n_units * n_units, "reduce n_units", what=f"a {n_units} x {n_units} matrix and its eigenvalues")
    seed = check_int(seed, "seed", minimum=0)
    g = check_nonnegative(g, "g")
    return g * _unit_eigenvalues(n_units, seed)


@dataclass(frozen=True)
class ReservoirResult:
    """What :func:`simulate_reservoir` returns.

    Attributes
    ----------
    t : numpy.ndarray
        Sample times (ms), ``n_steps + 1`` values from 0.
    v : numpy.ndarray
        Potentials, shape ``(n_steps + 1, N)``.
    r : numpy.ndarray
        Rates ``tanh(v)``, same shape.
    inputs : numpy.ndarray
        External input ``I`` during each step, shape ``(n_steps, n_inputs)``.
    dt : float
        Time step (ms).
    """

    t: np.ndarray
    v: np.ndarray
    r: np.ndarray
    inputs: np.ndarray
    dt: float

    def activity(self, t_start: float = 0.0, t_stop: float | None = None) -> float:
        """Root-mean-square rate over all units and the samples with ``t_start <= t <= t_stop``."""
        t_start = check_real_scalar(t_start, "t_start", "ms")
        t_stop = self.t[-1] if t_stop is None else check_real_scalar(t_stop, "t_stop", "ms")
        sel = (self.t >= t_start - 1e-9) & (self.t <= t_stop + 1e-9)
        if not sel.any():
            raise ValueError(f"no samples between t_start={t_start:g} and t_stop={t_stop:g} ms")
        return float(np.sqrt(np.mean(self.r[sel] ** 2)))


def simulate_reservoir(
    reservoir: Reservoir,
    inputs: Any = None,
    *,
    n_steps: int | None = None,
    dt: float = DT,
    v0: Any = 0.0,
    seed: int | None = None,
    rng: np.random.Generator | None = None,
) -> ReservoirResult:
    """Simulate a :class:`Reservoir`, one matrix–vector product per step.

    With ``u_k = W_in I_k + g W_rec tanh(v_k)`` held during step ``k``,
    ``v_{k+1} = u_k + (v_k - u_k) e^{-dt/tau} + noise · sqrt(1 - e^{-2 dt/tau}) ζ_k``
    (``ζ_k`` standard normal vectors): exact for the external input and the noise, first
    order in ``dt`` for the recurrent input. Rates are bounded, so nothing can blow up.

    Parameters
    ----------
    reservoir : Reservoir
    inputs : array_like, optional
        External input ``I``, shape ``(n_steps, n_inputs)``, or ``(n_steps,)`` for one input.
        ``None``: no input (give ``n_steps``).
    n_steps : int, optional
        Number of steps when ``inputs`` is None (must match ``inputs`` otherwise).
    dt : float, default :data:`DT`
        Time step (ms).
    v0 : float or array_like, default 0
        Initial potentials, a number or shape ``(N,)``.
    seed, rng
        Source of randomness for the noise (see :func:`neurolib._checks.check_rng`).

    Returns
    -------
    ReservoirResult

    Raises
    ------
    ValueError
        Non-positive ``dt``, NaN/inf, or an input whose number of channels differs from the
        number of columns of ``W_in``.
    """
    check_instance(reservoir, "reservoir", Reservoir, "a Reservoir (see make_reservoir)")
    dt = check_positive(dt, "dt", "ms")
    N = reservoir.n_units
    I = _reservoir_inputs(reservoir, inputs, n_steps)
    n_steps = I.shape[0]
    v_start = check_finite(v0, "v0")
    if v_start.ndim > 1 or (v_start.ndim == 1 and v_start.size != N):
        raise ValueError(f"v0 must be a number or an array of shape ({N},), got shape {v_start.shape}")
    a = math.exp(-dt / reservoir.tau)
    b = -math.expm1(-dt / reservoir.tau)
    external = b * (I @ reservoir.W_in.T)  # (n_steps, N), one matrix product for all steps
    if reservoir.noise > 0:
        gen = check_rng(seed, rng)
        kick = reservoir.noise * math.sqrt(-math.expm1(-2 * dt / reservoir.tau))  # exact OU increment
        external += kick * gen.standard_normal((n_steps, N))
    W = (b * reservoir.g) * reservoir.W_rec
    V = np.empty((n_steps + 1, N))
    R = np.empty((n_steps + 1, N))
    V[0] = v_start
    np.tanh(V[0], out=R[0])
    recurrent = np.empty(N)
    for k in range(n_steps):
        np.dot(W, R[k], out=recurrent)
        v = V[k + 1]
        np.multiply(V[k], a, out=v)
        v += external[k]
        v += recurrent
        np.tanh(v, out=R[k + 1])
    return ReservoirResult(t=dt * np.arange(n_steps + 1), v=V, r=R, inputs=I, dt=dt)


def _reservoir_inputs(reservoir: Reservoir, inputs: Any, n_steps: Any) -> np.ndarray:
    """The external input of :func:`simulate_reservoir` as an (n_steps, n_inputs) array."""
    N, n_in = reservoir.n_units, reservoir.n_inputs
    if inputs is None:
        if n_steps is None:
            raise ValueError("give inputs or n_steps")
        n_steps = check_int(n_steps, "n_steps", minimum=1)
        _check_run_size(n_steps, N, n_in)
        return np.zeros((n_steps, n_in))
    I = check_finite(inputs, "inputs")
    if I.ndim == 1:
        I = I[:, None]
    if I.ndim != 2 or I.shape[1] != n_in:
        raise ValueError(
            f"inputs must have shape (n_steps, {n_in}) to match W_in of shape {reservoir.W_in.shape} "
            f"({n_in} input channel(s)), got shape {np.shape(inputs)}"
        )
    if n_steps is not None and check_int(n_steps, "n_steps", minimum=1) != I.shape[0]:
        raise ValueError(f"n_steps={n_steps} does not match inputs with {I.shape[0]} rows")
    _check_run_size(I.shape[0], N, n_in)
    return I


def _check_run_size(n_steps: int, n_units: int, n_inputs: int) -> None:
    from . import _checks

    if n_steps > _checks.MAX_STEPS:
        raise ValueError(f"n_steps={n_steps} is more than the limit of {_checks.MAX_STEPS:.3g} time steps; reduce n_steps")
    check_memory(float(n_steps) * (4 * n_units + n_inputs), "reduce n_steps (or the length of inputs)",
                 what=f"{n_steps} steps x {n_units} units")


# --- a task and a trained readout -----------------------------------------------------------


@dataclass(frozen=True)
class DelayTask:
    """A delayed-recall task: reproduce the input as it was ``delay`` steps ago.

    Attributes
    ----------
    inputs : numpy.ndarray
        Input, shape ``(n_steps,)``: random values in [-1, 1], each held for ``hold`` steps.
    targets : numpy.ndarray
        ``inputs`` shifted by ``delay`` steps (0 before the first ``delay`` steps).
    delay, hold : int
        Delay and hold time (steps).
    """

    inputs: np.ndarray
    targets: np.ndarray
    delay: int
    hold: int


def delay_task(
    n_steps: int, delay: int, *, hold: int = 1, seed: int | None = None, rng: np.random.Generator | None = None
) -> DelayTask:
    """Make a :class:`DelayTask`: random piecewise-constant input, target = input ``delay`` steps ago.

    Parameters
    ----------
    n_steps : int
        Length of the input (steps).
    delay : int
        How far back the target looks (steps, >= 0).
    hold : int, default 1
        Each random value lasts ``hold`` steps.
    seed, rng
        Source of randomness.
    """
    n_steps = check_size(n_steps, "n_steps", per_item=3)
    delay = check_int(delay, "delay", minimum=0)
    hold = check_int(hold, "hold", minimum=1)

    if delay >= n_steps:
        raise ValueError(f"delay must be < n_steps = {n_steps}, got {delay}")
    gen = check_rng(seed, rng)
    values = gen.uniform(-1.0, 1.0, size=-(-n_steps // hold))
    u = np.repeat(values, min(hold, n_steps))[:n_steps]  # a longer hold would only allocate
    y = np.zeros(n_steps)
    y[delay:] = u[: n_steps - delay]
    return DelayTask(inputs=u, targets=y, delay=delay, hold=hold)


@dataclass(frozen=True)
class Readout:
    """A linear readout ``y = X w + c`` of the reservoir's rates.

    Attributes
    ----------
    weights : numpy.ndarray
        Shape ``(n_features,)`` (one output) or ``(n_features, n_outputs)``.
    bias : float or numpy.ndarray
        Intercept ``c`` (not penalised).
    ridge : float
        Regularisation strength ``λ`` it was trained with.
    """

    weights: np.ndarray
    bias: Any
    ridge: float

    def predict(self, states: Any) -> np.ndarray:
        """Outputs for ``states`` of shape ``(n_samples, n_features)``."""
        X = check_finite(states, "states")
        if X.ndim != 2 or X.shape[1] != self.weights.shape[0]:
            raise ValueError(f"states must have shape (n_samples, {self.weights.shape[0]}), got {X.shape}")
        return X @ self.weights + self.bias


def fit_ridge(states: Any, targets: Any, *, ridge: float = 1e-4) -> Readout:
    """Train a linear readout by ridge regression.

    Minimises ``Σ_k (y_k - x_k·w - c)² + λ ‖w‖²``: with centred ``X`` and ``y``,
    ``(XᵀX + λ I) w = Xᵀ y`` and ``c = mean(y) - mean(X) w``.

    Parameters
    ----------
    states : array_like
        Features (e.g. rates), shape ``(n_samples, n_features)``.
    targets : array_like
        Shape ``(n_samples,)`` or ``(n_samples, n_outputs)``.
    ridge : float, default 1e-4
        ``λ >= 0``; a little keeps the solution stable when features are correlated.
    """
    X = check_finite(states, "states")
    y = check_finite(targets, "targets")
    ridge = check_nonnegative(ridge, "ridge")
    if X.ndim != 2:
        raise ValueError(f"states must have shape (n_samples, n_features), got {X.shape}")
    if y.ndim not in (1, 2) or y.shape[0] != X.shape[0]:
        raise ValueError(f"targets must have {X.shape[0]} rows, one per row of states, got shape {y.shape}")
    if X.shape[0] < 2:
        raise ValueError(f"need at least 2 samples to fit a readout, got {X.shape[0]}")
    x_mean, y_mean = X.mean(axis=0), y.mean(axis=0)
    Xc, yc = X - x_mean, y - y_mean
    A = Xc.T @ Xc + ridge * np.eye(X.shape[1])
    w = linalg.solve(A, Xc.T @ yc, assume_a="sym") if ridge > 0 else np.linalg.lstsq(Xc, yc, rcond=None)[0]
    bias = y_mean - x_mean @ w
    return Readout(weights=w, bias=bias if np.ndim(bias) else float(bias), ridge=ridge)


def nrmse(prediction: Any, target: Any) -> float:
    """Normalised root-mean-square error ``sqrt(mean((ŷ - y)²)) / std(y)``.

    0 is perfect; 1 is what the constant prediction ``mean(y)`` scores.
    """
    p = check_finite(prediction, "prediction")
    y = check_finite(target, "target")
    if p.shape != y.shape:
        raise ValueError(f"prediction and target must have the same shape, got {p.shape} and {y.shape}")
    sd = float(np.std(y))
    if sd == 0:
        raise ValueError("target is constant: the NRMSE is undefined (its standard deviation is 0)")
    return float(np.sqrt(np.mean((p - y) ** 2)) / sd)


@dataclass(frozen=True)
class ReadoutEvaluation:
    """What :func:`evaluate_readout` returns.

    Attributes
    ----------
    readout : Readout
        The readout trained on the training period.
    nrmse_train, nrmse_test : float
        Its error on the training and on the held-out test period.
    nrmse_baseline : float
        Held-out error of the trivial baseline: the best linear function of the *current*
        input alone (no reservoir), trained on the same data.
    t_test : numpy.ndarray
        Times of the test samples (ms).
    target_test, prediction_test, baseline_test : numpy.ndarray
        Target, readout output and baseline output on the test period.
    """

    readout: Readout
    nrmse_train: float
    nrmse_test: float
    nrmse_baseline: float
    t_test: np.ndarray
    target_test: np.ndarray
    prediction_test: np.ndarray
    baseline_test: np.ndarray


def evaluate_readout(
    reservoir: Reservoir,
    task: DelayTask,
    *,
    n_washout: int = 200,
    n_train: int | None = None,
    ridge: float = 1e-4,
    dt: float = DT,
    seed: int | None = None,
) -> ReadoutEvaluation:
    """Drive ``reservoir`` with ``task.inputs``, train a readout, score it on held-out data.

    The first ``n_washout`` steps are discarded (the reservoir forgets its initial state),
    the next ``n_train`` samples train the readout, and the rest test it.

    Parameters
    ----------
    reservoir : Reservoir
        With one input channel.
    task : DelayTask
    n_washout : int, default 200
        Steps discarded at the start (>= ``task.delay``, so the target is defined).
    n_train : int, optional
        Training samples; default: two thirds of what is left after the washout.
    ridge : float, default 1e-4
        Ridge parameter (see :func:`fit_ridge`).
    dt : float, default :data:`DT`
        Time step (ms).
    seed : int, optional
        Seed of the reservoir noise.
    """
    check_instance(task, "task", DelayTask, "a DelayTask (see delay_task)")
    n_steps = task.inputs.size
    n_washout = check_int(n_washout, "n_washout", minimum=task.delay)
    available = n_steps - n_washout
    n_train = (2 * available) // 3 if n_train is None else check_int(n_train, "n_train", minimum=2)
    if available - n_train < 2 or n_train < 2:
        raise ValueError(
            f"n_washout + n_train must leave at least 2 test samples of {n_steps}, "
            f"got n_washout={n_washout}, n_train={n_train}"
        )
    res = simulate_reservoir(reservoir, task.inputs, dt=dt, seed=seed)
    states = res.r[1:]  # state after step k has seen inputs 0..k
    train = slice(n_washout, n_washout + n_train)
    test = slice(n_washout + n_train, n_steps)
    readout = fit_ridge(states[train], task.targets[train], ridge=ridge)
    u = task.inputs[:, None]
    baseline = fit_ridge(u[train], task.targets[train], ridge=0.0)
    y_test = task.targets[test]
    pred = readout.predict(states[test])
    base = baseline.predict(u[test])
    return ReadoutEvaluation(
        readout=readout,
        nrmse_train=nrmse(readout.predict(states[train]), task.targets[train]),
        nrmse_test=nrmse(pred, y_test),
        nrmse_baseline=nrmse(base, y_test),
        t_test=res.t[1:][test],
        target_test=y_test,
        prediction_test=pred,
        baseline_test=base,
    )


# --- a population of LIF neurons, read as one rate -----------------------------------------


def lif_population_rate(
    mean_input: Any,
    *,
    n_neurons: int = 500,
    sigma: float = 0.3,
    tau_noise: float = 5.0,
    dt: float = 0.1,
    bin_width: float = 2.0,
    seed: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Population rate (Hz) of ``n_neurons`` LIF neurons of chapter 03 with a shared mean input.

    Each neuron gets ``mean_input(t)`` plus its own Ornstein–Uhlenbeck noise (standard
    deviation ``sigma``, correlation time ``tau_noise``), in the normalised units of
    :func:`neurolib.lif.simulate` (threshold 1, ``tau_m`` = 20 ms, ``tau_ref`` = 2 ms).

    Parameters
    ----------
    mean_input : array_like
        Normalised mean input during each step, shape ``(n_steps,)``.
    n_neurons : int, default 500
    sigma, tau_noise : float
        Noise amplitude (normalised) and correlation time (ms).
    dt : float, default 0.1
        Time step (ms).
    bin_width : float, default 2
        Width of the histogram bins (ms), a whole number of steps.
    seed : int, optional

    Returns
    -------
    t_bins : numpy.ndarray
        Bin centres (ms).
    rate : numpy.ndarray
        Spikes per neuron per second in each bin (Hz): the population histogram (PSTH).
    """
    from . import lif

    mu = check_finite(mean_input, "mean_input")
    if mu.ndim != 1 or mu.size < 1:
        raise ValueError(f"mean_input must have shape (n_steps,), got {mu.shape}")
    n_neurons = check_int(n_neurons, "n_neurons", minimum=1)
    check_memory(3.0 * n_neurons * mu.size, "reduce n_neurons or the length of mean_input",
                 what=f"n_neurons={n_neurons} x {mu.size} steps")
    dt = check_positive(dt, "dt", "ms")
    bin_width = check_positive(bin_width, "bin_width", "ms")
    sigma = check_nonnegative(sigma, "sigma")
    tau_noise = check_positive(tau_noise, "tau_noise", "ms")
    per_bin = int(round(bin_width / dt))
    if per_bin < 1 or abs(per_bin * dt - bin_width) > 1e-9 * bin_width:
        raise ValueError(f"bin_width must be a whole number of steps dt={dt:g} ms, got {bin_width:g}")
    noise = lif.ornstein_uhlenbeck(mu.size, dt, tau=tau_noise, sigma=sigma, n=n_neurons, seed=seed)
    res = lif.simulate(mu[:, None] + noise, mu.size * dt, dt=dt, record=False)
    n_bins = mu.size // per_bin
    edges = per_bin * dt * np.arange(n_bins + 1)
    counts, _ = np.histogram(res.spike_times, bins=edges)
    return 0.5 * (edges[1:] + edges[:-1]), 1000.0 * counts / (n_neurons * per_bin * dt)
