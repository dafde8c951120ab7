"""The leaky integrate-and-fire (LIF) neuron (chapter 03).

Only the sub-threshold membrane potential is modelled. In physical units

.. math:: C \\frac{dV}{dt} = J_{in} - g_L (V - V_L),

and, with :math:`\\tau_m = C/g_L` and :math:`v = (V - V_L)/(V_{th} - V_L)`, in normalised units

.. math:: \\tau_m \\frac{dv}{dt} = v_{in} - v, \\qquad \\text{threshold } 1,\\ \\text{reset } v_{reset}\\ (0).

When ``v`` reaches 1 a spike is recorded, ``v`` is reset and held there for the refractory
period ``tau_ref``. For a constant input the steady firing rate has a closed form,
:func:`firing_rate` (``G`` in the chapter).

Units: time in ms, rates in Hz, voltages in mV, currents in µA/cm², conductances in
mS/cm², capacitances in µF/cm² (so that C/g_L is in ms and J/g_L in mV). Normalised
voltages and inputs are dimensionless.

**Main entry points.** :func:`simulate` (normalised units) and :func:`simulate_physical` (mV, µA/cm²): a population of
``N`` independent neurons, each with its own input (a constant, an array over time or a
function of time), advanced with the exact exponential update, optionally with exact
spike-time interpolation. :func:`firing_rate`, :func:`isi`, :func:`input_for_rate` and
:func:`tuning_curve` are the analytic results; :func:`ornstein_uhlenbeck` makes a noisy input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Union

import numpy as np
from scipy.signal import lfilter

from ._checks import (
    as_real_array,
    check_bool,
    check_choice,
    check_finite,
    check_instance,
    check_int,
    check_memory,
    check_size,
    check_steps,
    check_nonnegative,
    check_positive,
    check_real_scalar,
    check_rng,
)

__all__ = [
    "TAU_M",
    "TAU_REF",
    "DT",
    "LIFParams",
    "LIFResult",
    "trajectory",
    "time_to_threshold",
    "isi",
    "firing_rate",
    "input_for_rate",
    "rate_error_bound",
    "tuning_curve",
    "TuningCurve",
    "simulate",
    "simulate_physical",
    "ornstein_uhlenbeck",
    "isi_cv",
]

#: Membrane time constant of a typical cortical neuron (ms).
TAU_M: float = 20.0
#: Absolute refractory period (ms).
TAU_REF: float = 2.0
#: Default time step of the simulations (ms).
DT: float = 0.1

#: Largest number of stored voltage samples (time steps x recorded neurons) before
#: :func:`simulate` asks for ``record=False`` or a subset of neurons (8 bytes each).
MAX_RECORDED_SAMPLES: int = 50_000_000

Input = Union[float, np.ndarray, Callable[[float], Any]]


# --- parameters in physical units ---------------------------------------------------------


@dataclass(frozen=True)
class LIFParams:
    """Parameters of a LIF neuron in physical units (per unit membrane area).

    Parameters
    ----------
    C : float, default 1.0
        Membrane capacitance (µF/cm²).
    g_L : float, default 0.05
        Leak conductance (mS/cm²); ``R = 1/g_L`` (kΩ·cm²).
    V_L : float, default -70.0
        Leak reversal (resting) potential (mV).
    V_th : float, default -50.0
        Spike threshold (mV), above ``V_L``.
    V_reset : float, default -70.0
        Reset potential after a spike (mV), below ``V_th``.
    tau_ref : float, default 2.0
        Absolute refractory period (ms), >= 0.

    The defaults give ``tau_m = C/g_L = 20 ms`` and a threshold current
    ``g_L (V_th - V_L) = 1 µA/cm²``.
    """

    C: float = 1.0
    g_L: float = 0.05
    V_L: float = -70.0
    V_th: float = -50.0
    V_reset: float = -70.0
    tau_ref: float = TAU_REF

    def __post_init__(self) -> None:
        check_positive(self.C, "C", "µF/cm²")
        check_positive(self.g_L, "g_L", "mS/cm²")
        V_L = check_real_scalar(self.V_L, "V_L", "mV")
        V_th = check_real_scalar(self.V_th, "V_th", "mV")
        V_reset = check_real_scalar(self.V_reset, "V_reset", "mV")
        check_nonnegative(self.tau_ref, "tau_ref", "ms")
        if not V_th > V_L:
            raise ValueError(f"V_th must be > V_L, got V_th={V_th:g} mV, V_L={V_L:g} mV")
        if not V_reset < V_th:
            raise ValueError(f"V_reset must be < V_th, got V_reset={V_reset:g} mV, V_th={V_th:g} mV")

    @property
    def tau_m(self) -> float:
        """Membrane time constant ``R C = C/g_L`` (ms)."""
        return self.C / self.g_L

    @property
    def R(self) -> float:
        """Membrane resistance ``1/g_L`` (kΩ·cm²)."""
        return 1.0 / self.g_L

    @property
    def v_reset(self) -> float:
        """The reset potential in normalised units."""
        return (self.V_reset - self.V_L) / (self.V_th - self.V_L)

    @property
    def threshold_current(self) -> float:
        """The smallest constant current that makes the neuron fire, ``g_L (V_th - V_L)`` (µA/cm²)."""
        return self.g_L * (self.V_th - self.V_L)

    def normalise_input(self, J_in: Any) -> Any:
        """Input current (µA/cm²) -> normalised input ``v_in = J_in R / (V_th - V_L)``."""
        return _like(as_real_array(J_in, "J_in", allow_inf=False) / self.threshold_current)

    def normalise_voltage(self, V: Any) -> Any:
        """Membrane potential (mV) -> normalised ``v = (V - V_L)/(V_th - V_L)``."""
        return _like((as_real_array(V, "V", allow_inf=False) - self.V_L) / (self.V_th - self.V_L))

    def voltage(self, v: Any) -> Any:
        """Normalised potential -> membrane potential (mV)."""
        return _like(self.V_L + as_real_array(v, "v", allow_inf=False) * (self.V_th - self.V_L))


def _like(result: np.ndarray) -> Any:
    """A 0-d result as a float, arrays as they are."""
    return float(result) if result.ndim == 0 else result


# --- closed-form results -----------------------------------------------------------------


def _check_reset(v_reset: Any, name: str = "v_reset") -> float:
    v_reset = check_real_scalar(v_reset, name)
    if not v_reset < 1.0:
        raise ValueError(f"{name} must be < 1 (the threshold), got {v_reset:g}")
    return v_reset


def trajectory(t: Any, v_in: Any, *, tau_m: float = TAU_M, v0: float = 0.0) -> np.ndarray:
    """Sub-threshold membrane potential for constant input: ``v_in + (v0 - v_in) exp(-t/tau_m)``.

    Valid until the first spike (or for all ``t`` when ``v_in <= 1`` and ``v0 < 1``).

    Parameters
    ----------
    t : array_like
        Times (ms), >= 0.
    v_in : float or array_like
        Constant normalised input (broadcast against ``t``).
    tau_m : float, default 20
        Membrane time constant (ms).
    v0 : float, default 0
        Normalised potential at ``t = 0``.

    Returns
    -------
    numpy.ndarray
        Normalised potential at the times ``t``.
    """
    t = check_finite(t, "t")
    if t.size and t.min() < 0:
        raise ValueError(f"t must be >= 0 ms, got a minimum of {t.min():g}")
    v_in = check_finite(v_in, "v_in")
    tau_m = check_positive(tau_m, "tau_m", "ms")
    v0 = check_real_scalar(v0, "v0")
    try:
        np.broadcast_shapes(v_in.shape, t.shape)
    except ValueError:
        raise ValueError(f"v_in and t must broadcast together (e.g. v_in[:, None] against t), "
                         f"got shapes {v_in.shape} and {t.shape}") from None
    return v_in + (v0 - v_in) * np.exp(-t / tau_m)


def time_to_threshold(v_in: Any, *, tau_m: float = TAU_M, v0: float = 0.0) -> np.ndarray:
    """Time (ms) for ``v`` to climb from ``v0`` to the threshold 1 under constant input.

    ``tau_m ln((v_in - v0)/(v_in - 1)) = tau_m log1p((1 - v0)/(v_in - 1))`` for ``v_in > 1``,
    ``inf`` otherwise (the threshold is never reached).
    """
    v_in = as_real_array(v_in, "v_in")
    tau_m = check_positive(tau_m, "tau_m", "ms")
    v0 = _check_reset(v0, "v0")
    out = np.full(v_in.shape, np.inf)
    above = v_in > 1.0
    with np.errstate(over="ignore", divide="ignore"):
        # log1p form: accurate near threshold (v_in -> 1+) and for large v_in.
        out[above] = tau_m * np.log1p((1.0 - v0) / (v_in[above] - 1.0))
    return out if out.ndim else out[()]


def isi(v_in: Any, *, tau_m: float = TAU_M, tau_ref: float = TAU_REF, v_reset: float = 0.0) -> np.ndarray:
    """Interspike interval (ms) of regular firing under constant normalised input.

    ``t_isi = tau_ref + tau_m log1p((1 - v_reset)/(v_in - 1))`` for ``v_in > 1``;
    ``inf`` (no firing) for ``v_in <= 1``.

    Parameters
    ----------
    v_in : float or array_like
        Constant normalised input (NaN is refused; ``+inf`` gives ``tau_ref``).
    tau_m, tau_ref : float
        Membrane time constant and refractory period (ms).
    v_reset : float, default 0
        Normalised reset potential, < 1.

    Returns
    -------
    numpy.ndarray or float
        Interspike interval(s) (ms), same shape as ``v_in``.
    """
    tau_ref = check_nonnegative(tau_ref, "tau_ref", "ms")
    v_reset = _check_reset(v_reset)
    return tau_ref + time_to_threshold(v_in, tau_m=tau_m, v0=v_reset)


def firing_rate(v_in: Any, *, tau_m: float = TAU_M, tau_ref: float = TAU_REF, v_reset: float = 0.0) -> np.ndarray:
    """The LIF tuning curve ``G(v_in)``: steady firing rate (Hz) for constant input.

    .. math:: G(v_{in}) = \\frac{1}{\\tau_{ref} + \\tau_m \\ln\\!\\big(1 + \\frac{1 - v_{reset}}{v_{in} - 1}\\big)}
              \\ \\text{for } v_{in} > 1, \\quad 0 \\text{ otherwise,}

    i.e. ``1/(tau_ref - tau_m ln(1 - 1/v_in))`` for ``v_reset = 0``, evaluated with ``log1p``
    so that it is accurate near threshold and for huge inputs, never NaN, and saturates at
    ``1/tau_ref``.

    Parameters
    ----------
    v_in : float or array_like
        Constant normalised input.
    tau_m, tau_ref : float
        Membrane time constant (ms, > 0) and refractory period (ms, >= 0).
    v_reset : float, default 0
        Normalised reset potential, < 1.

    Returns
    -------
    numpy.ndarray or float
        Rate(s) in Hz (times are in ms, hence the factor 1000).

    Examples
    --------
    >>> round(float(firing_rate(2.1)), 2)
    66.97
    """
    t = isi(v_in, tau_m=tau_m, tau_ref=tau_ref, v_reset=v_reset)
    with np.errstate(divide="ignore"):  # tau_ref = 0 and v_in = inf: infinite rate, as the model says
        return 1000.0 / t


def input_for_rate(rate: Any, *, tau_m: float = TAU_M, tau_ref: float = TAU_REF, v_reset: float = 0.0) -> np.ndarray:
    """Inverse of :func:`firing_rate`: the constant input ``v_in`` that gives ``rate`` (Hz).

    ``v_in = 1 + (1 - v_reset) / expm1((1000/rate - tau_ref)/tau_m)``, for
    ``0 < rate < 1000/tau_ref``.

    Near threshold the rate falls only logarithmically, so very low rates need inputs that
    double precision cannot tell from 1: with tau_m = 20 ms and tau_ref = 2 ms, rates below
    about 1.4 Hz return ``v_in == 1.0`` (whose rate is 0).
    """
    rate = check_finite(rate, "rate")
    tau_m = check_positive(tau_m, "tau_m", "ms")
    tau_ref = check_nonnegative(tau_ref, "tau_ref", "ms")
    v_reset = _check_reset(v_reset)
    if rate.size and (rate.min() <= 0 or (tau_ref > 0 and rate.max() >= 1000.0 / tau_ref)):
        raise ValueError(
            f"rate must be in (0, 1000/tau_ref) = (0, {1000.0 / tau_ref if tau_ref else np.inf:g}) Hz, "
            f"got values in [{rate.min():g}, {rate.max():g}]"
        )
    x = (1000.0 / rate - tau_ref) / tau_m
    with np.errstate(over="ignore"):  # very low rates: expm1 = inf, v_in = 1.0 (see above)
        out = 1.0 + (1.0 - v_reset) / np.expm1(x)
    return out if out.ndim else out[()]


def rate_error_bound(v_in: Any, dt: float, *, tau_m: float = TAU_M, tau_ref: float = TAU_REF) -> np.ndarray:
    """Bound on the relative rate error of a grid simulation without interpolation.

    Spikes are detected at the first grid point after the crossing, so each interval is
    lengthened by less than one step: ``t_isi <= t_sim < t_isi + dt`` (when ``tau_ref`` is a
    multiple of ``dt``) and ``0 <= (G - rate_sim)/G < dt G / (1 + dt G) < dt G``. Returns
    ``dt G / (1 + dt G)`` (dimensionless; ``dt`` in ms, ``G`` in 1/ms).
    """
    dt = check_positive(dt, "dt", "ms")
    g = firing_rate(v_in, tau_m=tau_m, tau_ref=tau_ref) / 1000.0
    return dt * g / (1.0 + dt * g)


@dataclass(frozen=True)
class TuningCurve:
    """An f–I curve in physical units.

    Attributes
    ----------
    J_in : numpy.ndarray
        Input currents (µA/cm²).
    rate : numpy.ndarray
        Steady firing rates (Hz).
    threshold_current : float
        The rheobase ``g_L (V_th - V_L)`` (µA/cm²): no firing at or below it.
    max_rate : float
        The saturation rate ``1000/tau_ref`` (Hz).
    """

    J_in: np.ndarray
    rate: np.ndarray
    threshold_current: float
    max_rate: float


def tuning_curve(J_in: Any, params: LIFParams | None = None) -> TuningCurve:
    """The f–I curve of a LIF neuron: firing rate (Hz) against constant current (µA/cm²).

    Parameters
    ----------
    J_in : array_like
        Input currents (µA/cm²).
    params : LIFParams, optional
        Physical parameters (default :class:`LIFParams()`).
    """
    params = _check_params(params)
    J = as_real_array(J_in, "J_in")
    rate = firing_rate(
        params.normalise_input(J), tau_m=params.tau_m, tau_ref=params.tau_ref, v_reset=params.v_reset
    )
    max_rate = 1000.0 / params.tau_ref if params.tau_ref > 0 else math.inf
    return TuningCurve(np.atleast_1d(J), np.atleast_1d(rate), params.threshold_current, max_rate)


def _check_params(params: Any) -> LIFParams:
    if params is None:
        return LIFParams()
    return check_instance(params, "params", LIFParams, "a LIFParams or None")


# --- simulation --------------------------------------------------------------------------


@dataclass(frozen=True)
class LIFResult:
    """What :func:`simulate` returns.

    Attributes
    ----------
    t : numpy.ndarray
        Sample times (ms), ``n_steps + 1`` values from 0.
    v : numpy.ndarray or None
        Potential at the sample times, shape ``(n_steps + 1, len(recorded))`` (normalised,
        or mV for :func:`simulate_physical`); ``None`` with ``record=False``. At a spike the
        sample after it shows the reset value (the spike itself is an event, not a voltage).
    spike_times : numpy.ndarray
        Times of all spikes (ms), in increasing order.
    spike_neurons : numpy.ndarray
        Index of the neuron of each spike.
    n_neurons : int
        Population size ``N``.
    dt : float
        Time step (ms).
    recorded : numpy.ndarray
        Indices of the neurons whose potential is in ``v``.
    units : str
        ``"normalised"`` or ``"mV"``.
    interpolated : bool
        Whether spike times were interpolated within the step (else on the grid).
    """

    t: np.ndarray
    v: np.ndarray | None
    spike_times: np.ndarray
    spike_neurons: np.ndarray
    n_neurons: int
    dt: float
    recorded: np.ndarray
    units: str = "normalised"
    interpolated: bool = field(default=True)

    @property
    def t_max(self) -> float:
        """Duration of the simulation (ms)."""
        return float(self.t[-1])

    def spikes(self, i: int = 0) -> np.ndarray:
        """Spike times (ms) of neuron ``i``."""
        i = check_int(i, "i", minimum=0)
        if i >= self.n_neurons:
            raise ValueError(f"i must be < n_neurons = {self.n_neurons}, got {i}")
        return self.spike_times[self.spike_neurons == i]

    def spike_counts(self) -> np.ndarray:
        """Number of spikes of each neuron, shape ``(N,)``."""
        return np.bincount(self.spike_neurons, minlength=self.n_neurons)

    def isis(self, i: int | None = None) -> np.ndarray:
        """Interspike intervals (ms) of neuron ``i``, or of all neurons pooled when ``i`` is None."""
        if i is not None:
            return np.diff(self.spikes(i))  # spikes() checks i
        order = np.lexsort((self.spike_times, self.spike_neurons))
        times, neurons = self.spike_times[order], self.spike_neurons[order]
        same = neurons[1:] == neurons[:-1]
        return np.diff(times)[same]

    def rates(self, method: str = "isi") -> np.ndarray:
        """Firing rate (Hz) of each neuron, shape ``(N,)``.

        ``method="isi"``: ``(n - 1)/(t_last - t_first)``, the inverse of the mean interspike
        interval (unbiased for regular firing; needs two spikes, otherwise 0 spikes -> 0 Hz and
        1 spike -> the count estimate). ``method="count"``: spikes / duration.
        """
        check_choice(method, "method", ("isi", "count"))
        counts = self.spike_counts()
        by_count = 1000.0 * counts / self.t_max
        if method == "count":
            return by_count
        first = np.full(self.n_neurons, np.inf)
        last = np.full(self.n_neurons, -np.inf)
        np.minimum.at(first, self.spike_neurons, self.spike_times)
        np.maximum.at(last, self.spike_neurons, self.spike_times)
        out = by_count.copy()
        ok = (counts >= 2) & (last > first)
        out[ok] = 1000.0 * (counts[ok] - 1) / (last[ok] - first[ok])
        return out


def _n_steps(t_max: float, dt: float, t_name: str = "t_max") -> int:
    n_steps = check_steps(t_max, dt, t_name=t_name, minimum=0)
    n = t_max / dt
    if abs(n - n_steps) > 1e-6 * max(1.0, n):
        raise ValueError(f"{t_name} must be a whole number of steps dt, got {t_name}={t_max:g} ms, dt={dt:g} ms")
    if n_steps < 1:
        raise ValueError(f"{t_name} must be at least one step dt = {dt:g} ms, got {t_max:g}")
    return n_steps


def _prepare_input(v_in: Input, n_steps: int, dt: float, n_neurons: int | None,
                   name: str = "v_in") -> tuple[str, Any, int]:
    """Classify the input: ('const', (N,) array) | ('array', (n_steps, N) array) | ('func', f)."""
    if callable(v_in):
        first = check_finite(v_in(0.5 * dt), f"{name}(t)")
        if first.ndim > 1:
            raise ValueError(f"{name}(t) must return a number or a 1-D array (one value per neuron), got shape {first.shape}")
        n = first.size if first.ndim == 1 else (n_neurons or 1)
        return "func", v_in, n
    arr = check_finite(v_in, name)
    if arr.ndim == 0:
        n = n_neurons or 1
        return "const", np.full(n, float(arr)), n
    if arr.ndim == 1:
        if arr.size == 0:
            raise ValueError(f"{name} must hold at least one value (one per neuron), got an empty array")
        return "const", arr.copy(), arr.size
    if arr.ndim == 2:
        if arr.shape[0] != n_steps or arr.shape[1] == 0:
            raise ValueError(
                f"{name} as an array over time must have shape (n_steps, N) = ({n_steps}, N), got {arr.shape}; "
                f"a 1-D {name} is one constant input per neuron"
            )
        return "array", np.ascontiguousarray(arr), arr.shape[1]
    raise ValueError(f"{name} must be a number, a 1-D array (N,) or a 2-D array (n_steps, N), got shape {arr.shape}")


def _record_indices(record: Any, n: int) -> np.ndarray:
    if record is True:
        return np.arange(n)
    if record is False or record is None:
        return np.arange(0)
    idx = np.asarray(record)
    if idx.dtype.kind not in "iu" or idx.ndim != 1:
        raise TypeError(f"record must be True, False or a 1-D array of neuron indices, got {record!r}")
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise ValueError(f"record must hold neuron indices in [0, {n}), got values in [{idx.min()}, {idx.max()}]")
    return idx.astype(np.intp)


def _initial_potential(v0: Any, n: int, name: str = "v0", threshold: str = "1 (the threshold)",
                       to_normalised: Callable[[np.ndarray], np.ndarray] | None = None) -> np.ndarray:
    """``v0`` checked (finite, one value or one per neuron, below threshold), normalised."""
    v0_arr = check_finite(v0, name)
    if v0_arr.ndim > 1 or (v0_arr.ndim == 1 and v0_arr.size != n):
        raise ValueError(f"{name} must be a number or an array of shape ({n},), got shape {v0_arr.shape}")
    normalised = v0_arr if to_normalised is None else np.asarray(to_normalised(v0_arr), dtype=float)
    if normalised.size and normalised.max() >= 1.0:
        raise ValueError(f"{name} must be < {threshold}, got a maximum of {v0_arr.max():g}")
    return normalised


@dataclass
class _Run:
    """The state of one :func:`simulate` call, shared by the time loop and the spike handling.

    Every array is updated in place, so the time loop may hold them in local variables.
    """

    dt: float
    tau_m: float
    tau_ref: float
    v_reset: float
    constant: bool
    v: np.ndarray  # potential
    current: np.ndarray  # input during the present step
    b_full: np.ndarray  # (1 - decay) * input
    b_eff: np.ndarray  # the same, but `hold` while refractory
    active: np.ndarray  # 1.0, or 0.0 while refractory (time-varying input only)
    held: np.ndarray  # `hold` while refractory, else 0 (time-varying input, v_reset != 0)
    hold: float  # bias that keeps v at v_reset: decay * v_reset + hold = v_reset
    # step -> list of (neurons, time left in that step after their refractory period ends)
    releases: dict[int, list[tuple[np.ndarray, np.ndarray | None]]] = field(default_factory=dict)


def _clamp(run: _Run, idx: np.ndarray) -> None:
    """Hold the neurons ``idx`` at v_reset (refractory)."""
    if run.constant:
        run.b_eff[idx] = run.hold
    else:
        run.active[idx] = 0.0
        run.held[idx] = run.hold


def _release(run: _Run, k: int) -> None:
    """End the refractory period of the neurons scheduled for step ``k``."""
    for idx, remaining in run.releases.pop(k):
        if remaining is not None:  # exact: integrate from the end of the refractory period
            drive = run.current[idx]
            run.v[idx] = drive + (run.v_reset - drive) * np.exp(-remaining / run.tau_m)
        elif run.v_reset != 0.0:
            run.v[idx] = run.v_reset  # remove rounding drift of the held value
        if run.constant:
            run.b_eff[idx] = run.b_full[idx]
        else:
            run.active[idx] = 1.0
            run.held[idx] = 0.0


def _spike_times_and_schedule(run: _Run, k: int, idx: np.ndarray) -> np.ndarray:
    """Exact spike times of the neurons ``idx`` that crossed in step ``k``; schedule their release."""
    dt, tau_m, v, v_reset = run.dt, run.tau_m, run.v, run.v_reset
    t_next = (k + 1) * dt
    drive = run.current[idx]
    vk = v[idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        t_spk = t_next - tau_m * np.log1p((vk - 1.0) / (drive - vk))
    np.fmax(t_spk, k * dt, out=t_spk)  # degenerate case (v at its target already): start of step
    v[idx] = v_reset
    t_free = t_spk + run.tau_ref
    step = (t_free / dt).astype(np.intp)  # floor (times are positive)
    if run.tau_ref < dt:  # the refractory period may end within this very step
        now = step <= k
        if now.any():
            i_now = idx[now]
            drive = run.current[i_now]
            v[i_now] = drive + (v_reset - drive) * np.exp(-(t_next - t_free[now]) / tau_m)
            keep = ~now
            idx, step, t_free = idx[keep], step[keep], t_free[keep]
        if not idx.size:
            return t_spk
    _clamp(run, idx)
    first = int(step.min())
    if int(step.max()) == first:  # usually all in one step; t_free spans at most two steps
        groups = [(first, idx, t_free)]
    else:
        later = step > first
        early = ~later
        groups = [(first, idx[early], t_free[early]), (first + 1, idx[later], t_free[later])]
    for s_k, i_s, f_s in groups:
        remaining = (s_k + 1) * dt - f_s
        np.clip(remaining, 0.0, dt, out=remaining)
        run.releases.setdefault(s_k, []).append((i_s, remaining))
    return t_spk


def _time_loop(run: _Run, kind: str, source: Any, n_steps: int, decay: float, gain: float,
               interpolate: bool, n_ref: int, rec: np.ndarray, v_rec: np.ndarray | None,
               input_name: str) -> tuple[list[np.ndarray], list[Any]]:
    """Advance every neuron ``n_steps`` steps; return the spiking neurons and the step index
    (grid) or spike times (interpolated) of each step with spikes."""
    v, current, b_full, b_eff = run.v, run.current, run.b_full, run.b_eff
    active, held, hold, v_reset, dt = run.active, run.held, run.hold, run.v_reset, run.dt
    releases, constant = run.releases, run.constant
    crossed = np.empty(v.size, dtype=bool)
    record_all = rec.size == v.size and bool(np.array_equal(rec, np.arange(v.size)))
    spike_idx: list[np.ndarray] = []
    spike_when: list[Any] = []  # step index (grid) or array of times (interpolated)
    for k in range(n_steps):
        if not constant:
            if kind == "array":
                current[:] = source[k]
            else:
                value = np.asarray(source((k + 0.5) * dt), dtype=float)
                if not np.all(np.isfinite(value)):
                    raise ValueError(f"{input_name}(t) returned NaN or inf at t = {(k + 0.5) * dt:g} ms")
                current[:] = value
            np.multiply(current, gain, out=b_full)
            np.multiply(b_full, active, out=b_eff)
            if hold != 0.0:
                np.add(b_eff, held, out=b_eff)
        # the exact exponential update, in place (no temporaries)
        np.multiply(v, decay, out=v)
        np.add(v, b_eff, out=v)
        if k in releases:  # neurons whose refractory period ends within this step
            _release(run, k)
        np.greater_equal(v, 1.0, out=crossed)
        idx = crossed.nonzero()[0]
        if idx.size and not interpolate:  # spike at the end of the step, refractory for n_ref steps
            spike_idx.append(idx)
            spike_when.append(k)
            v[idx] = v_reset
            if n_ref > 0:
                if constant:
                    b_eff[idx] = hold
                else:
                    _clamp(run, idx)
                releases[k + n_ref] = [(idx, None)]
        elif idx.size:  # solve v(t*) = 1 backwards from the end of the step (input constant in it)
            spike_idx.append(idx)
            spike_when.append(_spike_times_and_schedule(run, k, idx))
        if v_rec is not None:
            if record_all:
                v_rec[k + 1] = v
            else:
                v_rec[k + 1] = v[rec]
    return spike_idx, spike_when


def simulate(
    v_in: Input,
    t_max: float,
    *,
    dt: float = DT,
    tau_m: float = TAU_M,
    tau_ref: float = TAU_REF,
    v_reset: float = 0.0,
    v0: Any = 0.0,
    n_neurons: int | None = None,
    interpolate: bool = True,
    record: Any = True,
) -> LIFResult:
    """Simulate ``N`` independent LIF neurons in normalised units.

    ``tau_m dv/dt = v_in(t) - v``; when ``v`` reaches 1 a spike is recorded and ``v`` is held
    at ``v_reset`` for ``tau_ref``. The input is held constant within each step, so the update

    ``v(t + dt) = v_in + (v(t) - v_in) exp(-dt/tau_m)``

    is exact (no Euler error, stable for any ``dt``). Without interpolation spikes snap to the
    end of the step in which ``v`` crosses 1 and the refractory period is rounded to whole
    steps; with interpolation the crossing time within the step is solved exactly from the
    same exponential, and the neuron leaves the refractory period at the exact time, so for
    piecewise-constant input the simulation has no time-step error at all (at most one spike
    per neuron per step).

    Parameters
    ----------
    v_in : float, array_like or callable
        Normalised input: a number (every neuron), a 1-D array ``(N,)`` (one constant input per
        neuron), a 2-D array ``(n_steps, N)`` (row ``k`` is the input during step ``k``, from
        ``k dt`` to ``(k+1) dt``), or a function ``f(t)`` of time (ms) returning a number or an
        ``(N,)`` array, evaluated at the middle of each step.
    t_max : float
        Duration (ms), a whole number of steps.
    dt : float, default 0.1
        Time step (ms).
    tau_m : float, default 20
        Membrane time constant (ms).
    tau_ref : float, default 2
        Refractory period (ms), >= 0.
    v_reset : float, default 0
        Reset potential (normalised), < 1.
    v0 : float or array_like, default 0
        Initial potential(s), < 1.
    n_neurons : int, optional
        Population size when ``v_in`` is a number or a function returning a number.
    interpolate : bool, default True
        Solve spike times within a step (see above).
    record : bool or array of int, default True
        Store the potential of every neuron (True), none (False) or of the given indices.

    Returns
    -------
    LIFResult
        Times, recorded potentials and spikes; ``.rates()`` gives the firing rates (Hz).

    Raises
    ------
    ValueError
        For non-positive ``dt``/``tau_m``, negative ``tau_ref``, NaN/inf input, ``v0`` or
        ``v_reset`` at or above threshold, wrong shapes, more than
        :data:`neurolib._checks.MAX_STEPS` steps, or arrays too large for
        :data:`neurolib._checks.MEMORY_BUDGET` (the message says which argument to change).
    """
    dt = check_positive(dt, "dt", "ms")
    t_max = check_positive(t_max, "t_max", "ms")
    tau_m = check_positive(tau_m, "tau_m", "ms")
    tau_ref = check_nonnegative(tau_ref, "tau_ref", "ms")
    v_reset = _check_reset(v_reset)
    return _simulate(v_in, t_max, dt, tau_m, tau_ref, v_reset, v0, n_neurons, interpolate, record)


def _simulate(v_in: Input, t_max: float, dt: float, tau_m: float, tau_ref: float, v_reset: float,
              v0: Any, n_neurons: Any, interpolate: Any, record: Any, *, input_name: str = "v_in",
              check_v0: Callable[[Any, int], np.ndarray] | None = None) -> LIFResult:
    """:func:`simulate` with checked scalars; ``input_name`` and ``check_v0`` let
    :func:`simulate_physical` name its own arguments in errors."""
    if n_neurons is not None:
        n_neurons = check_size(n_neurons, "n_neurons", per_item=8)
    interpolate = check_bool(interpolate, "interpolate")
    n_steps = _n_steps(t_max, dt)
    kind, source, n = _prepare_input(v_in, n_steps, dt, n_neurons, input_name)
    if n_neurons is not None and n != n_neurons:
        raise ValueError(f"n_neurons={n_neurons} does not match the {n} inputs given in {input_name}")
    v0_arr = _initial_potential(v0, n) if check_v0 is None else check_v0(v0, n)
    rec = _record_indices(record, n)
    if rec.size * (n_steps + 1) > MAX_RECORDED_SAMPLES:
        raise ValueError(
            f"record would store {rec.size} x {n_steps + 1} voltage samples (more than {MAX_RECORDED_SAMPLES:,}); "
            "pass record=False or the indices of a few neurons, or reduce t_max or increase dt"
        )
    check_memory(rec.size * (n_steps + 1), "pass record=False, reduce t_max or increase dt",
                 what=f"recording {rec.size} neuron(s) x {n_steps + 1} time points")

    decay = math.exp(-dt / tau_m)  # exact update: v <- decay * v + (1 - decay) * v_in
    gain = -math.expm1(-dt / tau_m)
    run = _Run(dt=dt, tau_m=tau_m, tau_ref=tau_ref, v_reset=v_reset, constant=kind == "const",
               v=np.empty(n), current=np.empty(n), b_full=np.empty(n), b_eff=np.empty(n),
               active=np.ones(n), held=np.zeros(n), hold=v_reset * gain)
    run.v[...] = v0_arr
    if run.constant:
        run.current[:] = source
        np.multiply(run.current, gain, out=run.b_full)
        run.b_eff[:] = run.b_full
    v_rec = np.empty((n_steps + 1, rec.size)) if rec.size else None
    if v_rec is not None:
        v_rec[0] = run.v[rec]
    n_ref = int(round(tau_ref / dt))  # refractory steps without interpolation
    spike_idx, spike_when = _time_loop(run, kind, source, n_steps, decay, gain, interpolate, n_ref,
                                       rec, v_rec, input_name)

    if not np.all(np.isfinite(run.v)):  # cannot happen with finite input; a guard, not a code path
        raise FloatingPointError("the simulation produced NaN or inf; check the input or use a smaller dt")
    if interpolate:
        times = np.concatenate(spike_when) if spike_when else np.empty(0)
    else:
        times = np.repeat(np.asarray(spike_when, dtype=float) + 1.0, [i.size for i in spike_idx]) * dt
    neurons = np.concatenate(spike_idx) if spike_idx else np.empty(0, dtype=np.intp)
    order = np.argsort(times, kind="stable")
    return LIFResult(
        t=np.arange(n_steps + 1) * dt,
        v=v_rec,
        spike_times=times[order],
        spike_neurons=neurons[order],
        n_neurons=n,
        dt=dt,
        recorded=rec,
        units="normalised",
        interpolated=bool(interpolate),
    )


def simulate_physical(
    J_in: Input,
    t_max: float,
    *,
    params: LIFParams | None = None,
    dt: float = DT,
    V0: Any = None,
    n_neurons: int | None = None,
    interpolate: bool = True,
    record: Any = True,
) -> LIFResult:
    """Simulate LIF neurons in physical units: ``C dV/dt = J_in - g_L (V - V_L)``.

    The equation is mapped to normalised units (``v_in = J_in / (g_L (V_th - V_L))``,
    ``tau_m = C/g_L``), simulated with :func:`simulate`, and the potentials mapped back.

    Parameters
    ----------
    J_in : float, array_like or callable
        Input current density (µA/cm²), in the same forms as ``v_in`` of :func:`simulate`.
    t_max : float
        Duration (ms).
    params : LIFParams, optional
        Physical parameters (default ``LIFParams()``: tau_m = 20 ms, V_L = V_reset = -70 mV,
        V_th = -50 mV, tau_ref = 2 ms).
    dt : float, default 0.1
        Time step (ms).
    V0 : float or array_like, optional
        Initial potential(s) (mV), below ``V_th``; default ``V_L``.
    n_neurons, interpolate, record
        As in :func:`simulate`.

    Returns
    -------
    LIFResult
        With ``v`` in mV (``units == "mV"``).
    """
    params = _check_params(params)
    dt = check_positive(dt, "dt", "ms")
    t_max = check_positive(t_max, "t_max", "ms")
    scale = params.threshold_current
    if callable(J_in):
        f = J_in

        def v_in(t: float) -> Any:
            return check_finite(f(t), "J_in(t)") / scale

    else:
        v_in = check_finite(J_in, "J_in") / scale

    def check_v0(v0: Any, n: int) -> np.ndarray:
        if v0 is None:
            return np.zeros(())
        return _initial_potential(v0, n, "V0", f"V_th = {params.V_th:g} mV", params.normalise_voltage)

    res = _simulate(v_in, t_max, dt, params.tau_m, params.tau_ref, params.v_reset, V0, n_neurons,
                    interpolate, record, input_name="J_in", check_v0=check_v0)
    V = None if res.v is None else params.voltage(res.v)
    return LIFResult(
        t=res.t,
        v=V,
        spike_times=res.spike_times,
        spike_neurons=res.spike_neurons,
        n_neurons=res.n_neurons,
        dt=res.dt,
        recorded=res.recorded,
        units="mV",
        interpolated=res.interpolated,
    )


# --- noisy input -------------------------------------------------------------------------


def ornstein_uhlenbeck(
    n_steps: int,
    dt: float,
    *,
    tau: float,
    mean: float = 0.0,
    sigma: float = 1.0,
    n: int = 1,
    x0: Any = None,
    seed: int | None = None,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """Sample an Ornstein–Uhlenbeck process ``tau dx = (mean - x) dt + sigma sqrt(2 tau) dW``.

    Uses the exact discretisation ``x_{k+1} = mean + (x_k - mean) e^{-dt/tau} +
    sigma sqrt(1 - e^{-2 dt/tau}) xi_k`` (``xi_k`` standard normal), so the samples have
    stationary mean ``mean``, standard deviation ``sigma`` and autocorrelation
    ``exp(-|lag|/tau)`` whatever ``dt``.

    Parameters
    ----------
    n_steps : int
        Number of samples per process (one per time step).
    dt : float
        Time step (ms).
    tau : float
        Correlation time (ms).
    mean, sigma : float
        Stationary mean and standard deviation (units of the input, e.g. normalised).
    n : int, default 1
        Number of independent processes (columns).
    x0 : float or array_like, optional
        Value(s) at step 0; default: drawn from the stationary distribution.
    seed, rng
        Source of randomness (see :func:`neurolib._checks.check_rng`).

    Returns
    -------
    numpy.ndarray
        Shape ``(n_steps, n)``: row ``k`` is the value during step ``k`` (the form
        :func:`simulate` takes as ``v_in``).
    """
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    dt = check_positive(dt, "dt", "ms")
    tau = check_positive(tau, "tau", "ms")
    mean = check_real_scalar(mean, "mean")
    sigma = check_nonnegative(sigma, "sigma")
    n = check_int(n, "n", minimum=1)
    check_memory(2.0 * n_steps * n, "reduce n_steps or n", what=f"n_steps={n_steps} x n={n} samples")
    gen = check_rng(seed, rng)
    if x0 is None:
        y0 = sigma * gen.standard_normal(n)
    else:
        x0_arr = check_finite(x0, "x0")
        if x0_arr.ndim > 1 or (x0_arr.ndim == 1 and x0_arr.size != n):
            raise ValueError(f"x0 must be a number or an array of shape ({n},), got shape {x0_arr.shape}")
        y0 = np.broadcast_to(x0_arr - mean, (n,)).astype(float)
    decay = math.exp(-dt / tau)
    kick = sigma * math.sqrt(-math.expm1(-2.0 * dt / tau))
    out = np.empty((n_steps, n))
    out[0] = y0
    if n_steps > 1:
        noise = kick * gen.standard_normal((n_steps - 1, n))
        # AR(1) recursion y_{k+1} = decay y_k + noise_k, run in C by lfilter
        out[1:], _ = lfilter([1.0], [1.0, -decay], noise, axis=0, zi=(decay * y0)[None, :])
    out += mean
    return out


def isi_cv(intervals: Any) -> float:
    """Coefficient of variation ``std/mean`` of interspike intervals (0 for a clock, 1 for Poisson).

    Raises
    ------
    ValueError
        With fewer than two intervals (the CV is undefined), or negative intervals.
    """
    x = check_finite(intervals, "intervals").ravel()
    if x.size < 2:
        raise ValueError(f"intervals must hold at least 2 interspike intervals for a CV, got {x.size}")
    if x.min() < 0:
        raise ValueError(f"intervals must be >= 0 ms, got a minimum of {x.min():g}")
    if x.max() > 1e150:  # sums of squares would overflow; the CV does not change with the scale
        x = x / x.max()
    mean = float(x.mean())
    if mean == 0:
        raise ValueError("intervals are all 0 ms; the CV is undefined")
    return float(x.std() / mean)
