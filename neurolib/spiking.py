"""Richer spiking models: the Izhikevich (2003) and adaptive exponential (AdEx) neurons.

Both models add a slow *recovery* (Izhikevich, ``u``) or *adaptation* (AdEx, ``w``) current to a
one-dimensional spiking neuron, and reset both variables after each spike. A handful of
parameters then reproduce regular firing, adaptation, bursting, delayed and irregular firing.

Izhikevich model (dimensionless, v in mV, t in ms, I in the model's current units)::

    dv/dt = 0.04 v^2 + 5 v + 140 - u + I,    du/dt = a (b v - u),
    if v >= 30 mV:  v <- c,  u <- u + d

AdEx model (Brette & Gerstner 2005; C pF, conductances nS, potentials mV, currents pA, t ms)::

    C dv/dt = -g_L (v - E_L) + g_L Delta_T exp((v - V_T)/Delta_T) + I - w
    tau_w dw/dt = a (v - E_L) - w,
    if v >= V_peak:  v <- V_r,  w <- w + b

Both simulators use a *reset-first* fixed-step scheme: at every step the threshold is checked
first (spike at that grid time, reset), then the variables are advanced. For Izhikevich,
``scheme="paper"`` is the scheme of the 2003 paper (1 ms steps, ``v`` advanced in two 0.5 ms
half-steps, ``u`` after it) and ``scheme="euler"`` is forward Euler with any ``dt``. Spike counts
depend strongly on the scheme, so it is always an explicit argument.

The second half of the module holds spike-train descriptors (ISIs, coefficient of variation,
adaptation index, burst detection, first-spike latency) and :func:`firing_pattern`, which
names a firing pattern from them; the tests and chapter 04 use them to *verify* each preset.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, fields
from typing import Any, Callable, Sequence, Union

import numpy as np

from ._checks import (
    as_real_array,
    check_callable,
    check_choice,
    check_int,
    check_positive,
    check_real_scalar,
    check_steps,
)

__all__ = [
    "IzhikevichParams",
    "IZHIKEVICH_PRESETS",
    "IZHIKEVICH_NAMES",
    "IZHIKEVICH_CURRENTS",
    "AdExParams",
    "ADEX_PRESETS",
    "ADEX_CURRENTS",
    "SCHEMES",
    "izhikevich_preset",
    "adex_preset",
    "izhikevich_fixed_points",
    "izhikevich_vanishing_current",
    "izhikevich_nullclines",
    "izhikevich_eigenvalues",
    "adex_nullclines",
    "adex_rheobase",
    "step_current",
    "SpikingResult",
    "simulate_izhikevich",
    "simulate_adex",
    "SimulationBlowUp",
    "isi",
    "cv",
    "adaptation_index",
    "detect_bursts",
    "SpikeTrainStats",
    "describe",
    "firing_pattern",
    "PATTERNS",
    "cost_per_simulated_second",
]

#: Spike cut-off of the Izhikevich model (mV).
IZ_V_PEAK: float = 30.0
#: Time step of the 2003 paper's scheme (ms).
PAPER_DT: float = 1.0
#: Default time step of the forward-Euler schemes (ms).
EULER_DT: float = 0.05
#: Batches up to this size run neuron by neuron with plain floats (faster than small arrays).
SCALAR_MAX: int = 8
#: The two Izhikevich integration schemes.
SCHEMES: tuple[str, ...] = ("paper", "euler")

Current = Union[float, Sequence[float], np.ndarray, Callable[[float], Any]]


def _preset_error(kind: str, name: Any, valid: Sequence[str], arg: str = "name") -> ValueError:
    return ValueError(f"{arg}: unknown {kind} preset {name!r}; valid presets are: {', '.join(map(repr, valid))}")


class SimulationBlowUp(RuntimeError):
    """A simulation left the range of floats (non-finite ``v``): too large a time step, or an
    input current or initial state far outside the model's range."""


# --- Izhikevich ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IzhikevichParams:
    """Parameters of the Izhikevich (2003) model.

    Parameters
    ----------
    a : float
        Rate of the recovery variable ``u`` (1/ms); small ``a`` = slow recovery.
    b : float
        Sensitivity of ``u`` to ``v`` (dimensionless).
    c : float
        Reset potential after a spike (mV).
    d : float
        Jump of ``u`` after a spike (model current units).

    Raises
    ------
    ValueError
        If a parameter is NaN or infinite.
    TypeError
        If a parameter is not a real number.
    """

    a: float
    b: float
    c: float
    d: float

    def __post_init__(self) -> None:
        for f in fields(self):
            object.__setattr__(self, f.name, check_real_scalar(getattr(self, f.name), f.name))

    @classmethod
    def preset(cls, name: str) -> "IzhikevichParams":
        """The preset ``name`` of :data:`IZHIKEVICH_PRESETS` (e.g. ``"RS"``)."""
        return izhikevich_preset(name)


#: The seven cell classes of Izhikevich (2003), keyed by the paper's abbreviations.
IZHIKEVICH_PRESETS: dict[str, IzhikevichParams] = {
    "RS": IzhikevichParams(0.02, 0.2, -65.0, 8.0),
    "IB": IzhikevichParams(0.02, 0.2, -55.0, 4.0),
    "CH": IzhikevichParams(0.02, 0.2, -50.0, 2.0),
    "FS": IzhikevichParams(0.1, 0.2, -65.0, 2.0),
    "LTS": IzhikevichParams(0.02, 0.25, -65.0, 2.0),
    "TC": IzhikevichParams(0.02, 0.25, -65.0, 0.05),
    "RZ": IzhikevichParams(0.1, 0.26, -65.0, 2.0),
}

#: The paper's full names of the seven classes.
IZHIKEVICH_NAMES: dict[str, str] = {
    "RS": "regular spiking",
    "IB": "intrinsically bursting",
    "CH": "chattering",
    "FS": "fast spiking",
    "LTS": "low-threshold spiking",
    "TC": "thalamo-cortical",
    "RZ": "resonator",
}

#: Constant currents (model units) used in chapter 04's gallery, chosen by us (the paper gives
#: no table): the cortical classes at I = 10, FS at 6 where its firing is regular.
IZHIKEVICH_CURRENTS: dict[str, float] = {
    "RS": 10.0,
    "IB": 10.0,
    "CH": 10.0,
    "FS": 6.0,
    "LTS": 10.0,
    "TC": 4.0,
    "RZ": 4.0,
}


def izhikevich_preset(name: str, *, _arg: str = "name") -> IzhikevichParams:
    """Return the Izhikevich preset ``name``; the error for an unknown name lists them all."""
    if not isinstance(name, str) or name not in IZHIKEVICH_PRESETS:
        raise _preset_error("Izhikevich", name, list(IZHIKEVICH_PRESETS), _arg)
    return IZHIKEVICH_PRESETS[name]


def _finite_result(values: Any, what: str) -> Any:
    """Raise ValueError naming the arguments ``what`` if a closed form overflowed."""
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{what} are too large: the result overflows the range of floats")
    return values


def izhikevich_fixed_points(b: float, I: float = 0.0) -> np.ndarray:
    """Rest points of the Izhikevich model (mV), from the closed form.

    At a fixed point ``u = b v`` and ``0.04 v^2 + (5 - b) v + 140 + I = 0``, so

    ``v* = (-(5 - b) ± sqrt((5 - b)^2 - 0.16 (140 + I))) / 0.08``.

    Parameters
    ----------
    b : float
        Sensitivity of ``u`` to ``v``.
    I : float, default 0
        Constant input current (model units).

    Returns
    -------
    numpy.ndarray
        The fixed-point potentials in increasing order: two values (stable node/focus, then
        saddle), one (at the vanishing current) or none (above it).
    """
    b = check_real_scalar(b, "b")
    I = check_real_scalar(I, "I")
    with np.errstate(over="ignore"):
        disc = _finite_result(np.square(5.0 - b) - 0.16 * (140.0 + I), "b or I")
    if disc < 0:
        return np.empty(0)
    root = math.sqrt(disc)
    if root == 0.0:
        return np.array([-(5.0 - b) / 0.08])
    return np.array([(-(5.0 - b) - root) / 0.08, (-(5.0 - b) + root) / 0.08])


def izhikevich_vanishing_current(b: float) -> float:
    """Current at which the two rest points merge and vanish: ``I = (5 - b)^2 / 0.16 - 140``.

    Above it the neuron has no rest state and fires tonically (model current units).
    """
    b = check_real_scalar(b, "b")
    with np.errstate(over="ignore"):
        return float(_finite_result(np.square(5.0 - b) / 0.16 - 140.0, "b"))


def izhikevich_nullclines(v: Any, b: float, I: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """The two nullclines on the grid ``v`` (mV): ``u = 0.04 v^2 + 5 v + 140 + I`` (dv/dt = 0)
    and ``u = b v`` (du/dt = 0)."""
    v = as_real_array(v, "v", allow_inf=False)
    b = check_real_scalar(b, "b")
    I = check_real_scalar(I, "I")
    with np.errstate(over="ignore", invalid="ignore"):
        return (_finite_result(0.04 * v**2 + 5.0 * v + 140.0 + I, "v or I"),
                _finite_result(b * v, "v or b"))


def izhikevich_eigenvalues(params: IzhikevichParams, I: float = 0.0) -> np.ndarray:
    """Eigenvalues (1/ms) of the Jacobian at each fixed point of :func:`izhikevich_fixed_points`.

    The Jacobian is ``[[0.08 v* + 5, -1], [a b, -a]]``. Complex eigenvalues at the stable rest
    point mean damped subthreshold oscillations (a *resonator*); real ones an *integrator*.

    Returns
    -------
    numpy.ndarray
        Complex array of shape ``(n_fixed_points, 2)``.
    """
    params = _check_iz_params(params)
    out = []
    for v_star in izhikevich_fixed_points(params.b, I):
        jac = np.array([[0.08 * v_star + 5.0, -1.0], [params.a * params.b, -params.a]])
        _finite_result(jac, "params.a, params.b or I")
        out.append(np.linalg.eigvals(jac).astype(complex))
    return np.array(out, dtype=complex).reshape(-1, 2)


# --- AdEx ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdExParams:
    """Parameters of the adaptive exponential integrate-and-fire neuron.

    Parameters
    ----------
    C : float
        Membrane capacitance (pF), > 0.
    g_L : float
        Leak conductance (nS), > 0.
    E_L : float
        Leak reversal potential (mV).
    a : float
        Subthreshold adaptation conductance (nS); negative values make ``w`` amplify.
    tau_w : float
        Adaptation time constant (ms), > 0.
    b : float
        Spike-triggered adaptation increment (pA).
    V_r : float
        Reset potential (mV).
    V_T : float, default -50
        Threshold slope factor's centre, the "soft threshold" (mV).
    Delta_T : float, default 2
        Slope factor (mV), > 0.
    V_peak : float, default 0
        Spike cut-off (mV), above ``V_T`` and ``V_r``.
    """

    C: float
    g_L: float
    E_L: float
    a: float
    tau_w: float
    b: float
    V_r: float
    V_T: float = -50.0
    Delta_T: float = 2.0
    V_peak: float = 0.0

    def __post_init__(self) -> None:
        units = {"C": "pF", "g_L": "nS", "E_L": "mV", "a": "nS", "tau_w": "ms", "b": "pA", "V_r": "mV",
                 "V_T": "mV", "Delta_T": "mV", "V_peak": "mV"}
        for f in fields(self):
            object.__setattr__(self, f.name, check_real_scalar(getattr(self, f.name), f.name, units[f.name]))
        for name in ("C", "g_L", "tau_w", "Delta_T"):
            check_positive(getattr(self, name), name, units[name])
        if not (self.V_peak > self.V_T and self.V_peak > self.V_r):
            raise ValueError(
                f"V_peak must be above V_T and V_r, got V_peak={self.V_peak:g} mV, V_T={self.V_T:g} mV, V_r={self.V_r:g} mV"
            )

    @property
    def tau_m(self) -> float:
        """Membrane time constant ``C / g_L`` (ms)."""
        return self.C / self.g_L

    @classmethod
    def preset(cls, name: str) -> "AdExParams":
        """The preset ``name`` of :data:`ADEX_PRESETS` (e.g. ``"adapting"``)."""
        return adex_preset(name)


def _adex(C, g_L, E_L, a, tau_w, b, V_r):  # noqa: ANN001, ANN202 - table rows below
    return AdExParams(C=C, g_L=g_L, E_L=E_L, a=a, tau_w=tau_w, b=b, V_r=V_r)


#: The eight firing patterns of Naud et al. (2008), in the values that reproduce the paper's
#: Fig. 4 (as in Brian 2's reproduction). Two rows differ from Table 1 as printed, which gives
#: no bursts for delayed regular bursting and no end to the firing for transient spiking
#: (chapter 04 shows both). Units: C pF, g_L nS, E_L/V_r mV, a nS, tau_w ms, b pA;
#: V_T = -50 mV, Delta_T = 2 mV, V_peak = 0 mV in every row.
ADEX_PRESETS: dict[str, AdExParams] = {
    "tonic": _adex(200, 10, -70, 2, 30, 0, -58),
    "adapting": _adex(200, 12, -70, 2, 300, 60, -58),
    "initial burst": _adex(130, 18, -58, 4, 150, 120, -50),
    "regular bursting": _adex(200, 10, -58, 2, 120, 100, -46),
    "delayed accelerating": _adex(200, 12, -70, -10, 300, 0, -58),
    "delayed regular bursting": _adex(100, 10, -65, -10, 90, 30, -47),
    "transient spiking": _adex(100, 10, -65, 10, 90, 100, -47),
    "irregular": _adex(100, 12, -60, -11, 130, 30, -48),
}

#: The step current (pA) of each pattern in the same table.
ADEX_CURRENTS: dict[str, float] = {
    "tonic": 500.0,
    "adapting": 500.0,
    "initial burst": 400.0,
    "regular bursting": 210.0,
    "delayed accelerating": 300.0,
    "delayed regular bursting": 110.0,
    "transient spiking": 180.0,
    "irregular": 160.0,
}


def adex_preset(name: str, *, _arg: str = "name") -> AdExParams:
    """Return the AdEx preset ``name``; the error for an unknown name lists them all."""
    if not isinstance(name, str) or name not in ADEX_PRESETS:
        raise _preset_error("AdEx", name, list(ADEX_PRESETS), _arg)
    return ADEX_PRESETS[name]


def adex_nullclines(v: Any, params: AdExParams, I: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """The AdEx nullclines on the grid ``v`` (mV), as ``w`` (pA):
    ``w = -g_L (v - E_L) + g_L Delta_T exp((v - V_T)/Delta_T) + I`` (dv/dt = 0) and
    ``w = a (v - E_L)`` (dw/dt = 0)."""
    p = _check_adex_params(params)
    v = as_real_array(v, "v", allow_inf=False)
    I = check_real_scalar(I, "I", "pA")
    with np.errstate(over="ignore", invalid="ignore"):
        expo = np.exp(np.minimum((v - p.V_T) / p.Delta_T, 50.0))
        return (_finite_result(-p.g_L * (v - p.E_L) + p.g_L * p.Delta_T * expo + I, "v, I or params"),
                _finite_result(p.a * (v - p.E_L), "v or params"))


def adex_rheobase(params: AdExParams | str) -> float:
    """Smallest constant current (pA) at which the AdEx rest state vanishes (saddle-node).

    With ``w`` at its nullcline ``w = a (v - E_L)``, ``dv/dt = 0`` reads
    ``I = (g_L + a)(v - E_L) - g_L Delta_T exp((v - V_T)/Delta_T)``, whose maximum over ``v`` is at
    ``v* = V_T + Delta_T ln(1 + a/g_L)``, so ``I_rh = (g_L + a)(v* - E_L - Delta_T)``.

    Valid for ``g_L + a > 0`` and ``a/g_L < tau_m/tau_w`` (the rest state is then lost through a
    saddle-node, not a Hopf, bifurcation); otherwise ``ValueError``.
    """
    p = _check_adex_params(params)
    if p.g_L + p.a <= 0 or p.a / p.g_L >= p.tau_m / p.tau_w:
        raise ValueError(
            f"the saddle-node rheobase needs g_L + a > 0 and a/g_L < tau_m/tau_w, got a={p.a:g} nS, "
            f"g_L={p.g_L:g} nS, tau_m={p.tau_m:g} ms, tau_w={p.tau_w:g} ms"
        )
    v_star = p.V_T + p.Delta_T * math.log1p(p.a / p.g_L)
    return (p.g_L + p.a) * (v_star - p.E_L - p.Delta_T)


# --- inputs and results ------------------------------------------------------------------------


def step_current(amplitude: Any, t_on: float = 0.0, t_off: float = math.inf, baseline: Any = 0.0) -> Callable[[float], Any]:
    """A current step: ``amplitude`` for ``t_on <= t < t_off`` (ms), ``baseline`` otherwise.

    ``amplitude`` and ``baseline`` may be numbers or ``(N,)`` arrays (one per neuron). The
    returned function of time is what :func:`simulate_izhikevich` and :func:`simulate_adex`
    accept as ``I``.
    """
    amp = as_real_array(amplitude, "amplitude", allow_inf=False)
    base = as_real_array(baseline, "baseline", allow_inf=False)
    t_on = check_real_scalar(t_on, "t_on", "ms")
    if not (isinstance(t_off, float) and t_off == math.inf):
        t_off = check_real_scalar(t_off, "t_off", "ms")
    if t_off <= t_on:
        raise ValueError(f"t_off must be > t_on = {t_on:g} ms, got {t_off}")
    a = amp.item() if amp.ndim == 0 else amp
    z = base.item() if base.ndim == 0 else base

    def current(t: float) -> Any:
        return a if t_on <= t < t_off else z

    return current


@dataclass(frozen=True)
class SpikingResult:
    """A simulation of ``N`` neurons of the Izhikevich or AdEx model.

    Attributes
    ----------
    model : str
        ``"izhikevich"`` or ``"adex"``.
    scheme : str
        Integration scheme: ``"paper"`` or ``"euler"``.
    dt : float
        Time step (ms).
    t : numpy.ndarray
        Sample times (ms), shape ``(n_steps + 1,)``.
    v : numpy.ndarray
        Membrane potential (mV), shape ``(n_steps + 1, N)``; a sample at which the neuron
        spiked shows the spike cut-off (30 mV or ``V_peak``).
    recovery : numpy.ndarray
        ``u`` (Izhikevich) or ``w`` (AdEx, pA), same shape as ``v``; also as ``.u`` / ``.w``.
    I : numpy.ndarray
        Input current at each step, shape ``(n_steps, N)``.
    spike_times : tuple of numpy.ndarray
        One array of spike times (ms) per neuron.
    """

    model: str
    scheme: str
    dt: float
    t: np.ndarray
    v: np.ndarray
    recovery: np.ndarray
    I: np.ndarray
    spike_times: tuple[np.ndarray, ...]

    @property
    def u(self) -> np.ndarray:
        """Izhikevich recovery variable (same as ``recovery``)."""
        if self.model != "izhikevich":
            raise AttributeError("an AdEx result has w, not u")
        return self.recovery

    @property
    def w(self) -> np.ndarray:
        """AdEx adaptation current (pA) (same as ``recovery``)."""
        if self.model != "adex":
            raise AttributeError("an Izhikevich result has u, not w")
        return self.recovery

    @property
    def n_neurons(self) -> int:
        return self.v.shape[1]

    def spike_counts(self) -> np.ndarray:
        """Number of spikes of each neuron."""
        return np.array([s.size for s in self.spike_times])

    def rates(self) -> np.ndarray:
        """Mean firing rate of each neuron over the whole run (Hz)."""
        return self.spike_counts() / (self.t[-1] * 1e-3)

    def describe(self, i: int = 0, t_start: float = 0.0) -> "SpikeTrainStats":
        """Descriptors of neuron ``i``'s spike train from ``t_start`` to the end (ms)."""
        n = len(self.spike_times)
        i = check_int(i, "i", minimum=-n, maximum=n - 1)
        return describe(self.spike_times[i], t_start, float(self.t[-1]))


def _check_iz_params(params: Any) -> IzhikevichParams:
    if isinstance(params, str):
        return izhikevich_preset(params, _arg="params")
    if not isinstance(params, IzhikevichParams):
        raise TypeError(f"params must be an IzhikevichParams or a preset name, got {type(params).__name__}")
    return params


def _check_adex_params(params: Any) -> AdExParams:
    if isinstance(params, str):
        return adex_preset(params, _arg="params")
    if not isinstance(params, AdExParams):
        raise TypeError(f"params must be an AdExParams or a preset name, got {type(params).__name__}")
    return params


def _stack(params: Any, check: Callable[[Any], Any]) -> tuple[list[Any], dict[str, np.ndarray]]:
    """One params object, a preset name, or a sequence of them -> per-field arrays of shape (P,)."""
    if isinstance(params, (str, IzhikevichParams, AdExParams)):
        items = [params]
    else:
        try:
            items = list(params)
        except TypeError:
            check(params)  # raises the TypeError naming params
            raise

    if not items:
        raise ValueError("params must not be an empty sequence")
    checked = [check(p) for p in items]
    cols = {f.name: np.array([getattr(p, f.name) for p in checked]) for f in fields(checked[0])}
    return checked, cols


def _n_steps(t_max: float, dt: float, n: int) -> int:
    """Whole number of steps in ``t_max``, refused if the run (three (n_steps, n) arrays)
    does not fit the step limit or the memory budget."""
    n_int = check_steps(t_max, dt, per_step=3 * n, minimum=0)
    n = t_max / dt
    if n_int < 1 or abs(n - n_int) > 1e-6 * max(1.0, n):
        raise ValueError(f"t_max must be a positive whole number of steps dt = {dt:g} ms, got t_max={t_max:g} ms")
    return n_int


def _input_matrix(I: Current, n_steps: int, dt: float, n: int) -> np.ndarray:
    """Input per step ``(n_steps, N)``: a number/array is constant; a callable is sampled at each
    step's start time ``k dt``."""
    if callable(I):
        rows = [as_real_array(I(k * dt), "I(t)", allow_inf=False) for k in range(n_steps)]
        try:
            mat = np.array(np.broadcast_arrays(*rows, np.zeros(n))[:-1])
        except ValueError as exc:
            raise ValueError(f"I(t) must return a number or an array of shape ({n},)") from exc
        return mat.reshape(n_steps, -1)
    arr = as_real_array(I, "I", allow_inf=False)
    if arr.ndim > 1:
        if arr.ndim == 2 and arr.shape[0] == n_steps:
            return np.broadcast_to(arr, (n_steps, max(arr.shape[1], n))).copy()
        raise ValueError(f"I must be a number, an (N,) array or an (n_steps, N) = ({n_steps}, N) array, got shape {arr.shape}")
    return np.broadcast_to(arr, (n_steps, max(arr.size, n) if arr.ndim else n)).copy()


def _sizes(I: Current, n_params: int) -> int:
    if callable(I):
        return n_params
    arr = as_real_array(I, "I", allow_inf=False)
    size = 1 if arr.ndim == 0 else arr.shape[-1]
    if size == 0:
        raise ValueError(f"I must hold at least one value, got shape {arr.shape}")
    if n_params > 1 and size > 1 and size != n_params:
        raise ValueError(f"got {n_params} parameter sets but I has {size} entries; they must match (or one be 1)")
    return max(size, n_params)


def _blow_up(model: str, k: int | None, dt: float) -> SimulationBlowUp:
    when = "" if k is None else f" at t = {k * dt:g} ms"
    start = "v0 and u0" if model == "Izhikevich" else "v0 and w0"
    return SimulationBlowUp(f"the {model} simulation blew up (non-finite v){when}; use a smaller dt "
                            f"(now {dt:g} ms), or check that the input I and the initial {start} are "
                            "within the model's range")


def _per_neuron(value: Any, name: str, n: int) -> np.ndarray:
    """``value`` (a number or one per neuron) as a float array of shape (n,)."""
    arr = as_real_array(value, name, allow_inf=False)
    try:
        return np.broadcast_to(arr, (n,)).astype(float)
    except ValueError:
        raise ValueError(f"{name} must be a number or an array of {n} values (one per neuron), "
                         f"got shape {arr.shape}") from None


def _finish(model, scheme, dt, n_steps, V, R, Imat, spikes_k, n) -> SpikingResult:  # noqa: ANN001
    t = np.arange(n_steps + 1) * dt
    spike_times = tuple(np.asarray(s, dtype=float) * dt for s in spikes_k)
    for arr in (t, V, R, Imat, *spike_times):
        arr.setflags(write=False)
    return SpikingResult(model, scheme, dt, t, V, R, Imat, spike_times)


def simulate_izhikevich(
    params: IzhikevichParams | str | Sequence[IzhikevichParams | str],
    I: Current,
    t_max: float,
    *,
    scheme: str = "paper",
    dt: float | None = None,
    v0: Any = -65.0,
    u0: Any = None,
) -> SpikingResult:
    """Simulate Izhikevich neurons with the paper's scheme or forward Euler.

    Every step first checks ``v >= 30`` (spike at that grid time; ``v <- c``, ``u <- u + d``), then
    advances ``v`` with the current ``u`` and then ``u`` with the new ``v``:

    * ``scheme="paper"`` (Izhikevich 2003): ``dt`` is 1 ms and ``v`` takes two 0.5 ms Euler
      half-steps; cheap, but spike counts at high rates differ a lot from the exact dynamics;
    * ``scheme="euler"``: one Euler step of size ``dt`` (default 0.05 ms).

    Parameters
    ----------
    params : IzhikevichParams, preset name, or a sequence of them
        One parameter set for every neuron, or one per neuron (a batch of presets).
    I : float, array_like or callable
        Input current (model units): a number, an ``(N,)`` array (one constant per neuron), an
        ``(n_steps, N)`` array, or a function of time (ms) returning a number or ``(N,)`` array
        (see :func:`step_current`), sampled at the start of each step.
    t_max : float
        Duration (ms), a whole number of steps.
    scheme : {"paper", "euler"}, default "paper"
        Integration scheme (see above).
    dt : float, optional
        Time step (ms); must be 1 (or None) for the paper scheme; default 0.05 for Euler.
    v0 : float or array_like, default -65
        Initial potential(s) (mV).
    u0 : float or array_like, optional
        Initial recovery variable; default ``b * v0`` as in the paper.

    Returns
    -------
    SpikingResult
        ``t``, ``v``, ``u``, ``I`` and ``spike_times`` (one array per neuron).

    Raises
    ------
    ValueError
        Unknown preset or scheme, non-positive ``dt``/``t_max``, a ``dt`` other than 1 ms with
        the paper scheme, NaN parameters or inputs, mismatched sizes.
    SimulationBlowUp
        A :class:`RuntimeError`: the simulation blew up (too large a ``dt``, or ``I`` or the
        initial state far outside the model's range).
    """
    check_choice(scheme, "scheme", SCHEMES)
    if scheme == "paper":
        if dt is not None and check_positive(dt, "dt", "ms") != PAPER_DT:
            raise ValueError(f"dt must be 1 ms with scheme='paper' (the paper's scheme), got {dt:g}; use scheme='euler' for another dt")
        dt, halves = PAPER_DT, 2
    else:
        dt, halves = (EULER_DT if dt is None else check_positive(dt, "dt", "ms")), 1
    t_max = check_positive(t_max, "t_max", "ms")
    _, P = _stack(params, _check_iz_params)
    n = _sizes(I, P["a"].size)
    n_steps = _n_steps(t_max, dt, n)
    Imat = _input_matrix(I, n_steps, dt, n)
    n = Imat.shape[1]
    a, b, c, d = (np.broadcast_to(P[k], (n,)).astype(float) for k in "abcd")
    v = _per_neuron(v0, "v0", n)
    u = b * v if u0 is None else _per_neuron(u0, "u0", n)
    V = np.empty((n_steps + 1, n))
    U = np.empty((n_steps + 1, n))
    spikes: list[list[int]] = [[] for _ in range(n)]
    with np.errstate(over="ignore", invalid="ignore"):
        try:
            _iz_loop(halves, dt, n_steps, n, a, b, c, d, v, u, V, U, Imat, spikes)
        except (OverflowError, ZeroDivisionError):  # plain floats raise instead of returning inf
            raise _blow_up("Izhikevich", None, dt) from None
    return _finish("izhikevich", scheme, dt, n_steps, V, U, Imat, spikes, n)


def _iz_scalar(halves, dt, n_steps, af, bf, cf, df, vf, uf, V1, U1, I1, sp) -> None:  # noqa: ANN001
    """One Izhikevich neuron with plain floats (fills ``V1``, ``U1``, ``sp`` in place)."""
    h, adt = dt / halves, af * dt
    for k in range(n_steps):
        if vf >= IZ_V_PEAK:
            V1[k] = IZ_V_PEAK
            sp.append(k)
            vf, uf = cf, uf + df
        else:
            V1[k] = vf
        U1[k] = uf
        ik = I1[k]
        for _ in range(halves):  # written as in the paper
            # vf * vf, not vf**2: the same rounding as NumPy's square in the batch loop
            vf = vf + h * (0.04 * (vf * vf) + 5.0 * vf + 140.0 - uf + ik)
        uf = uf + adt * (bf * vf - uf)
        if not math.isfinite(vf):
            raise _blow_up("Izhikevich", k + 1, dt)
    V1[n_steps] = min(vf, IZ_V_PEAK)
    U1[n_steps] = uf


def _iz_loop(halves, dt, n_steps, n, a, b, c, d, v, u, V, U, Imat, spikes) -> None:  # noqa: ANN001
    """Time loop of :func:`simulate_izhikevich` (fills ``V``, ``U`` and ``spikes`` in place)."""
    h = dt / halves
    if n <= SCALAR_MAX:  # plain floats, one neuron at a time: faster than small arrays
        for i in range(n):
            _iz_scalar(halves, dt, n_steps, float(a[i]), float(b[i]), float(c[i]), float(d[i]),
                       float(v[i]), float(u[i]), V[:, i], U[:, i], Imat[:, i].tolist(), spikes[i])
    else:
        adt = a * dt
        for k in range(n_steps):
            fired = v >= IZ_V_PEAK
            if fired.any():
                for i in np.flatnonzero(fired):
                    spikes[i].append(k)
                v[fired] = IZ_V_PEAK
                V[k] = v
                v[fired] = c[fired]
                u[fired] += d[fired]
            else:
                V[k] = v
            U[k] = u
            ik = Imat[k]
            for _ in range(halves):
                v = v + h * (0.04 * v**2 + 5.0 * v + 140.0 - u + ik)
            u = u + adt * (b * v - u)
        bad = ~np.isfinite(V[:n_steps]).all(axis=1)
        if bad.any() or not np.isfinite(v).all():
            raise _blow_up("Izhikevich", int(np.argmax(bad)) if bad.any() else n_steps, dt)
        V[n_steps] = np.minimum(v, IZ_V_PEAK)
        U[n_steps] = u


def _adex_scalar(dt, n_steps, Cf, gf, ELf, af, twf, bf, Vrf, VTf, DTf, Vpf, vf, wf, V1, W1, I1, sp) -> None:  # noqa: ANN001
    """One AdEx neuron with plain floats (fills ``V1``, ``W1``, ``sp`` in place)."""
    exp = math.exp
    for k in range(n_steps):
        if vf >= Vpf:
            V1[k] = Vpf
            sp.append(k)
            vf, wf = Vrf, wf + bf
        else:
            V1[k] = vf
        W1[k] = wf
        x = (vf - VTf) / DTf
        dv = (-gf * (vf - ELf) + gf * DTf * exp(x if x < 50.0 else 50.0) + I1[k] - wf) / Cf
        wf += dt * (af * (vf - ELf) - wf) / twf
        vf += dt * dv
        if not math.isfinite(vf):
            raise _blow_up("AdEx", k + 1, dt)
    V1[n_steps] = min(vf, Vpf)
    W1[n_steps] = wf


def _adex_loop(dt, n_steps, C, gL, EL, a, tw, b, Vr, VT, DT, Vp, v, w, V, W, Imat, spikes) -> None:  # noqa: ANN001
    """Time loop of :func:`simulate_adex` vectorised over neurons (fills ``V``, ``W`` and
    ``spikes`` in place)."""
    k_leak, k_exp, k_in = dt * gL / C, dt * gL * DT / C, dt / C
    ka, kw, inv_dt = dt * a / tw, 1.0 - dt / tw, 1.0 / DT
    for k in range(n_steps):
        fired = v >= Vp
        if fired.any():
            for i in np.flatnonzero(fired):
                spikes[i].append(k)
            v[fired] = Vp[fired]
            V[k] = v
            v[fired] = Vr[fired]
            w[fired] += b[fired]
        else:
            V[k] = v
        W[k] = w
        x = np.minimum((v - VT) * inv_dt, 50.0)
        dv = k_exp * np.exp(x) - k_leak * (v - EL) + k_in * (Imat[k] - w)
        w *= kw
        w += ka * (v - EL)
        v += dv
    bad = ~np.isfinite(V[:n_steps]).all(axis=1)
    if bad.any() or not np.isfinite(v).all():
        raise _blow_up("AdEx", int(np.argmax(bad)) if bad.any() else n_steps, dt)
    V[n_steps] = np.minimum(v, Vp)
    W[n_steps] = w


def simulate_adex(
    params: AdExParams | str | Sequence[AdExParams | str],
    I: Current,
    t_max: float,
    *,
    dt: float = EULER_DT,
    v0: Any = None,
    w0: Any = 0.0,
) -> SpikingResult:
    """Simulate AdEx neurons with the reset-first forward-Euler scheme.

    Each step first checks ``v >= V_peak`` (spike at that grid time; ``v <- V_r``,
    ``w <- w + b``), then advances ``v`` and ``w`` by one Euler step from the same state.

    Parameters
    ----------
    params : AdExParams, preset name, or a sequence of them
        One parameter set for every neuron, or one per neuron.
    I : float, array_like or callable
        Input current (pA), as in :func:`simulate_izhikevich`.
    t_max : float
        Duration (ms), a whole number of steps.
    dt : float, default 0.05
        Time step (ms).
    v0 : float or array_like, optional
        Initial potential (mV); default ``E_L`` (rest without input).
    w0 : float or array_like, default 0
        Initial adaptation current (pA).

    Returns
    -------
    SpikingResult
        ``t``, ``v``, ``w`` (pA), ``I`` and ``spike_times``.

    Raises
    ------
    ValueError
        Unknown preset, non-positive ``dt``/``t_max``, NaN parameters or inputs.
    SimulationBlowUp
        A :class:`RuntimeError`: the simulation blew up (too large a ``dt``, or ``I`` or the
        initial state far outside the model's range).
    """
    dt = check_positive(dt, "dt", "ms")
    t_max = check_positive(t_max, "t_max", "ms")
    _, P = _stack(params, _check_adex_params)
    n = _sizes(I, P["C"].size)
    n_steps = _n_steps(t_max, dt, n)
    Imat = _input_matrix(I, n_steps, dt, n)
    n = Imat.shape[1]
    C, gL, EL, a, tw, b, Vr, VT, DT, Vp = (
        np.broadcast_to(P[k], (n,)).astype(float)
        for k in ("C", "g_L", "E_L", "a", "tau_w", "b", "V_r", "V_T", "Delta_T", "V_peak")
    )
    v = EL.copy() if v0 is None else _per_neuron(v0, "v0", n)
    w = _per_neuron(w0, "w0", n)  # a copy
    V = np.empty((n_steps + 1, n))
    W = np.empty((n_steps + 1, n))
    spikes: list[list[int]] = [[] for _ in range(n)]
    with np.errstate(over="ignore", invalid="ignore"):
        if n <= SCALAR_MAX:  # plain floats, one neuron at a time: faster than small arrays
            for i in range(n):
                _adex_scalar(dt, n_steps, *(float(x[i]) for x in (C, gL, EL, a, tw, b, Vr, VT, DT, Vp)),
                             float(v[i]), float(w[i]), V[:, i], W[:, i], Imat[:, i].tolist(), spikes[i])
        else:
            _adex_loop(dt, n_steps, C, gL, EL, a, tw, b, Vr, VT, DT, Vp, v, w, V, W, Imat, spikes)
    return _finish("adex", "euler", dt, n_steps, V, W, Imat, spikes, n)


# --- spike-train descriptors --------------------------------------------------------------------


def _spikes(spike_times: Any) -> np.ndarray:
    s = as_real_array(spike_times, "spike_times", allow_inf=False)
    if s.ndim != 1:
        raise ValueError(f"spike_times must be a 1-D array of times (ms), got shape {s.shape}")
    if s.size > 1 and np.any(np.diff(s) < 0):
        raise ValueError("spike_times must be sorted in increasing order")
    return s


def isi(spike_times: Any) -> np.ndarray:
    """Inter-spike intervals (ms) of a sorted 1-D array of spike times (ms)."""
    return np.diff(_spikes(spike_times))


def _scaled(x: np.ndarray) -> np.ndarray:
    """Positive values divided by their maximum if they are so large that sums overflow
    (ratios are unchanged; ordinary values are left as they are, bit for bit)."""
    top = x.max()
    return x / top if top > 1e150 else x


def cv(intervals: Any) -> float:
    """Coefficient of variation ``std / mean`` of intervals; NaN for fewer than two intervals."""
    x = as_real_array(intervals, "intervals", allow_inf=False).ravel()
    if x.size < 2:
        return float("nan")
    if np.any(x <= 0):
        raise ValueError("intervals must be > 0 ms")
    x = _scaled(x)
    return float(np.std(x) / np.mean(x))


def adaptation_index(intervals: Any, skip: int = 0) -> float:
    """Adaptation index of Naud et al. (2008): the mean of ``(ISI_{i+1} - ISI_i) / (ISI_{i+1} + ISI_i)``.

    Positive for slowing down (adaptation), negative for speeding up (acceleration), about 0
    for regular firing; bounded by ±1. ``skip`` drops that many leading intervals. NaN if
    fewer than two intervals remain.
    """
    skip = check_int(skip, "skip", minimum=0)
    x = as_real_array(intervals, "intervals", allow_inf=False).ravel()[skip:]
    if x.size < 2:
        return float("nan")
    if np.any(x <= 0):
        raise ValueError("intervals must be > 0 ms")
    x = _scaled(x)
    return float(np.mean(np.diff(x) / (x[1:] + x[:-1])))


def detect_bursts(spike_times: Any, pause_ratio: float = 3.0) -> list[np.ndarray]:
    """Bursts: groups of >= 2 spikes set apart by pauses.

    An interval is a *pause* if it is more than ``pause_ratio`` times the interval before it.
    The train is cut at pauses; a group of at least two spikes is a burst if its longest
    internal interval is shorter than ``1/pause_ratio`` of a pause next to it (the one after
    it, or for the last group the one before it). Regular and smoothly adapting trains have
    no pauses, hence no bursts.

    Returns
    -------
    list of numpy.ndarray
        The spike times (ms) of each burst, in order.
    """
    s = _spikes(spike_times)
    pause_ratio = check_positive(pause_ratio, "pause_ratio")
    d = np.diff(s)
    if d.size < 2:
        return []
    cuts = [i for i in range(1, d.size) if d[i] > pause_ratio * d[i - 1]]  # d[i] is a pause
    bounds = [0] + [i + 1 for i in cuts] + [s.size]
    bursts = []
    for j in range(len(bounds) - 1):
        lo, hi = bounds[j], bounds[j + 1]
        if hi - lo < 2:
            continue
        inner = d[lo : hi - 1].max()
        pause = d[hi - 1] if hi < s.size else (d[lo - 1] if lo > 0 else None)
        if pause is not None and inner * pause_ratio < pause:
            bursts.append(s[lo:hi])
    return bursts


#: Names :func:`firing_pattern` can return (plus the prefix ``"delayed "``).
PATTERNS: tuple[str, ...] = (
    "silent", "transient", "tonic", "adapting", "accelerating", "initial burst", "bursting", "irregular",
)


@dataclass(frozen=True)
class SpikeTrainStats:
    """Descriptors of one spike train during a constant input from ``t_start`` to ``t_stop``.

    Attributes
    ----------
    n_spikes : int
    latency : float
        First spike time after ``t_start`` (ms); NaN if silent.
    isis : numpy.ndarray
        Inter-spike intervals (ms).
    isi_ratio : float
        Mean of the last quarter of ISIs over the first ISI (> 1: slowing down).
    adaptation_index : float
        Naud et al.'s index over all ISIs.
    cv_late : float
        CV of the ISIs of spikes in the second half of the window.
    bursts : tuple of numpy.ndarray
        From :func:`detect_bursts`.
    burst_fraction : float
        Fraction of spikes inside bursts.
    burst_period_cv : float
        CV of the intervals between burst onsets (NaN for fewer than three bursts).
    delayed : bool
        First-spike latency longer than twice the mean ISI.
    pattern : str
        The name given by :func:`firing_pattern`.
    """

    n_spikes: int
    latency: float
    isis: np.ndarray
    isi_ratio: float
    adaptation_index: float
    cv_late: float
    bursts: tuple[np.ndarray, ...]
    burst_fraction: float
    burst_period_cv: float
    delayed: bool
    pattern: str


#: Thresholds of :func:`firing_pattern` (documented there).
ADAPT_RATIO: float = 1.5
IRREGULAR_CV: float = 0.25


def describe(spike_times: Any, t_start: float, t_stop: float) -> SpikeTrainStats:
    """Descriptors and pattern name of a spike train under constant input in ``[t_start, t_stop)`` (ms).

    The pattern is decided in this order (each rule only if the earlier ones failed):

    1. ``"silent"``: no spike; ``"transient"``: no spike in the second half of the window;
    2. ``"bursting"``: at least two bursts holding at least half of the spikes, with regular
       burst onsets (CV of onset intervals < 0.25, or only two bursts);
    3. ``"irregular"``: CV of the late ISIs above :data:`IRREGULAR_CV` (0.25);
       ``"initial burst"``: the train starts with a burst and is otherwise not bursting;
    4. ``"adapting"`` / ``"accelerating"``: late ISIs at least :data:`ADAPT_RATIO` (1.5) times
       longer / shorter than the first; otherwise ``"tonic"``.

    ``"delayed "`` is prefixed (except to silent, transient and irregular trains) when the
    first spike comes later than twice the mean ISI.
    """
    t_start = check_real_scalar(t_start, "t_start", "ms")
    t_stop = check_real_scalar(t_stop, "t_stop", "ms")
    if t_stop <= t_start:
        raise ValueError(f"t_stop must be > t_start = {t_start:g} ms, got {t_stop:g}")
    s = _spikes(spike_times)
    s = s[(s >= t_start) & (s < t_stop)]
    d = np.diff(s)
    nan = float("nan")
    latency = float(s[0] - t_start) if s.size else nan
    q = max(1, d.size // 4)
    isi_ratio = float(d[-q:].mean() / d[0]) if d.size >= 2 else nan
    late = s[s >= 0.5 * (t_start + t_stop)]
    cv_late = cv(np.diff(late)) if late.size >= 3 else nan
    bursts = tuple(detect_bursts(s)) if s.size >= 3 else ()
    frac = float(sum(b.size for b in bursts) / s.size) if s.size else 0.0
    onsets = np.array([b[0] for b in bursts])
    period_cv = cv(np.diff(onsets)) if onsets.size >= 3 else nan
    delayed = bool(d.size >= 1 and latency > 2.0 * d.mean())

    if s.size == 0:
        pattern = "silent"
    elif late.size == 0:
        pattern = "transient"
    elif len(bursts) >= 2 and frac >= 0.5 and not period_cv >= 0.25:
        pattern = "bursting"
    elif cv_late > IRREGULAR_CV:
        pattern = "irregular"
    elif bursts and bursts[0][0] == s[0] and frac < 0.5:
        pattern = "initial burst"
    elif isi_ratio >= ADAPT_RATIO:
        pattern = "adapting"
    elif isi_ratio <= 1.0 / ADAPT_RATIO:
        pattern = "accelerating"
    else:
        pattern = "tonic"
    if delayed and pattern not in ("silent", "transient", "irregular"):
        pattern = "delayed " + pattern
    return SpikeTrainStats(
        n_spikes=int(s.size), latency=latency, isis=d, isi_ratio=isi_ratio,
        adaptation_index=adaptation_index(d) if d.size >= 2 else nan, cv_late=cv_late,
        bursts=bursts, burst_fraction=frac, burst_period_cv=period_cv, delayed=delayed, pattern=pattern,
    )


def firing_pattern(spike_times: Any, t_start: float, t_stop: float) -> str:
    """The name of a spike train's pattern (see :func:`describe` for the rules)."""
    return describe(spike_times, t_start, t_stop).pattern


# --- cost ------------------------------------------------------------------------------------------


def cost_per_simulated_second(simulate: Callable[[float], Any], t_sim: float = 1000.0, repeats: int = 3) -> float:
    """Wall-clock seconds needed to simulate one second, the best of ``repeats`` runs.

    Parameters
    ----------
    simulate : callable
        ``simulate(t_max_ms)`` runs the model for ``t_max_ms`` milliseconds.
    t_sim : float, default 1000
        Simulated duration per run (ms).
    repeats : int, default 3
        Runs; the minimum is returned (least disturbed by other processes).
    """
    check_callable(simulate, "simulate", "of the simulated duration t_max (ms)")
    t_sim = check_positive(t_sim, "t_sim", "ms")
    repeats = check_int(repeats, "repeats", minimum=1, maximum=1000)
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        simulate(t_sim)
        best = min(best, time.perf_counter() - start)
    return best / (t_sim * 1e-3)
