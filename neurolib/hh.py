"""The Hodgkin–Huxley model of a point neuron (chapter 02).

The membrane is an electrical circuit: a capacitance ``C`` in parallel with a leak
conductance and voltage-gated sodium and potassium conductances,

.. math::

    C \\frac{dv}{dt} = g_L (E_L - v) + g_K n^4 (E_K - v) + g_{Na} m^3 h (E_{Na} - v) + I,

    \\frac{dx}{dt} = \\alpha_x(v) (1 - x) - \\beta_x(v) x
                  = \\frac{x_\\infty(v) - x}{\\tau_x(v)}, \\qquad x \\in \\{n, m, h\\}.

Units: mV, ms, µA/cm², mS/cm², µF/cm²; rates α, β in 1/ms; firing rates in Hz.

Presets (:data:`PRESETS`): ``"classic"`` (rest −65 mV, the form of Dayan & Abbott),
``"rest70"`` (the same model shifted by −5 mV, rest −70 mV) and ``"rest70_typo"`` (``rest70``
with the misprinted β_m = 4 exp(−(v+70)/80) found in some course notes).

Main entry points
-----------------
:func:`rates`, :func:`steady_state`, :func:`time_constant` (the gate kinetics),
:func:`resting_state` (exact, by root finding), :func:`simulate` (a batch of neurons, each
with its own input current), :func:`firing_rates` (f–I curve in one call),
:func:`find_threshold` (batched bisection), :func:`hopf_current` (where rest loses
stability, from the eigenvalues of :func:`jacobian`), :func:`second_spike`
(refractoriness), :func:`circuit_diagram`, and :func:`rhs` (the right-hand side for
:func:`scipy.integrate.solve_ivp`, used for reference solutions).

Integration scheme (``method="exponential"``, the default)
------------------------------------------------------------
Gates and voltage are *staggered* by half a step: ``v`` lives on the grid ``t_k`` and the
gates on ``t_{k+1/2}``. Over one step each equation is linear in its own variable once the
other variables are frozen at the middle of the step, and is solved exactly (exponential
Euler / Rush–Larsen). Freezing at the midpoint makes the scheme second order in ``dt`` at
the cost of a first-order one, and the exact exponentials keep the gates in [0, 1] (and
``v`` from overshooting its instantaneous target) whatever ``dt`` is. ``method="euler"`` is
the forward Euler scheme, kept to show how it fails for large steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Callable, Union

import numpy as np
from scipy import optimize, special

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
    check_steps,
)

__all__ = [
    "DT",
    "HHParams",
    "PRESETS",
    "get_params",
    "rates",
    "steady_state",
    "time_constant",
    "RestingState",
    "resting_state",
    "jacobian",
    "hopf_current",
    "HHResult",
    "SimulationBlowUp",
    "simulate",
    "step_current",
    "spike_times_from_trace",
    "firing_rates",
    "pulse_pair_current",
    "second_spike",
    "find_threshold",
    "rhs",
    "circuit_diagram",
    "METHODS",
]

#: Default time step (ms).
DT: float = 0.01
#: Integration schemes offered by :func:`simulate`.
METHODS: tuple[str, ...] = ("exponential", "euler")
#: Batches up to this size run one plain-float loop per neuron (faster than NumPy on
#: small arrays); larger batches run one loop vectorised over neurons.
FLOAT_BATCH: int = 12
#: A voltage outside ±V_LIMIT (mV) means the simulation blew up; an initial ``v0`` outside
#: it is refused.
V_LIMIT: float = 1000.0
#: :func:`rates` accepts ``v`` within ±RATES_V_LIMIT (mV), where every rate is finite.
RATES_V_LIMIT: float = 1.0e4
#: Injected currents beyond ±I_LIMIT (µA/cm²) are refused: a hundred times the largest
#: current of any chapter, far outside physiology.
I_LIMIT: float = 1.0e4

Current = Union[float, np.ndarray, Callable[[np.ndarray], Any]]


# --- parameters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HHParams:
    """Parameters of the Hodgkin–Huxley model.

    The rate functions of the classic model (rest −65 mV) are evaluated at
    ``v - v_offset``, so ``v_offset = -5`` shifts the whole kinetics by −5 mV.

    Attributes
    ----------
    name : str
        Name of the preset (for plots and messages).
    C : float
        Membrane capacitance (µF/cm²).
    g_Na, g_K, g_L : float
        Maximal sodium, potassium and leak conductances (mS/cm²).
    E_Na, E_K, E_L : float
        Reversal potentials (mV).
    v_offset : float
        Shift of the rate functions (mV): 0 for the classic model, −5 for ``rest70``.
    beta_m_scale : float
        Voltage scale of β_m = 4 exp(−(v − v_offset + 65)/beta_m_scale) (mV); 18 in the
        correct model, 80 in the misprinted one.
    """

    name: str = "classic"
    C: float = 1.0
    g_Na: float = 120.0
    g_K: float = 36.0
    g_L: float = 0.3
    E_Na: float = 50.0
    E_K: float = -77.0
    E_L: float = -54.387
    v_offset: float = 0.0
    beta_m_scale: float = 18.0

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a string, got {type(self.name).__name__}")
        for key, unit in [("C", "µF/cm²"), ("g_Na", "mS/cm²"), ("g_K", "mS/cm²"), ("g_L", "mS/cm²"),
                          ("beta_m_scale", "mV")]:
            check_positive(getattr(self, key), key, unit)
        for key in ("E_Na", "E_K", "E_L", "v_offset"):
            check_real_scalar(getattr(self, key), key, "mV")

    @classmethod
    def classic(cls) -> "HHParams":
        """The classic model, rest −65 mV (Dayan & Abbott's form of Hodgkin & Huxley 1952)."""
        return cls()

    @classmethod
    def rest70(cls) -> "HHParams":
        """The classic model shifted by −5 mV (rest −70 mV): E_Na 45, E_K −82, E_L −59.387."""
        return cls(name="rest70", E_Na=45.0, E_K=-82.0, E_L=-59.387, v_offset=-5.0)

    @classmethod
    def rest70_typo(cls) -> "HHParams":
        """``rest70`` with the misprint β_m = 4 exp(−(v+70)/80) of some course notes."""
        return replace(cls.rest70(), name="rest70_typo", beta_m_scale=80.0)


#: The named presets.
PRESETS: dict[str, Callable[[], HHParams]] = {
    "classic": HHParams.classic,
    "rest70": HHParams.rest70,
    "rest70_typo": HHParams.rest70_typo,
}


def get_params(params: HHParams | str | None = None) -> HHParams:
    """Return an :class:`HHParams` from a preset name, an instance or ``None`` (classic)."""
    if params is None:
        return HHParams.classic()
    if isinstance(params, HHParams):
        return params
    if isinstance(params, str):
        return PRESETS[check_choice(params, "params", PRESETS, "preset")]()
    raise TypeError(f"params must be an HHParams or a preset name, got {type(params).__name__}")


# --- gate kinetics ------------------------------------------------------------------------


def _rates_array(v: np.ndarray, p: HHParams) -> tuple[np.ndarray, ...]:
    u = v - p.v_offset  # the classic model's voltage
    a_n = 0.1 / special.exprel(-0.1 * (u + 55.0))  # = 0.01 (u+55) / (1 - exp(-0.1 (u+55)))
    b_n = 0.125 * np.exp(-(u + 65.0) / 80.0)
    a_m = 1.0 / special.exprel(-0.1 * (u + 40.0))  # = 0.1 (u+40) / (1 - exp(-0.1 (u+40)))
    b_m = 4.0 * np.exp(-(u + 65.0) / p.beta_m_scale)
    a_h = 0.07 * np.exp(-(u + 65.0) / 20.0)
    b_h = special.expit(0.1 * (u + 35.0))  # = 1 / (1 + exp(-0.1 (u+35)))
    return a_n, b_n, a_m, b_m, a_h, b_h


def _exprel_float(x: float) -> float:
    return math.expm1(x) / x if x != 0.0 else 1.0


def _rates_float(v: float, p: HHParams) -> tuple[float, ...]:
    """:func:`_rates_array` for one plain float (5–10 times faster than NumPy on a scalar);
    valid for |v| < :data:`V_LIMIT`, which :func:`simulate` checks."""
    u = v - p.v_offset
    e = math.exp
    return (
        0.1 / _exprel_float(-0.1 * (u + 55.0)),
        0.125 * e(-(u + 65.0) / 80.0),
        1.0 / _exprel_float(-0.1 * (u + 40.0)),
        4.0 * e(-(u + 65.0) / p.beta_m_scale),
        0.07 * e(-(u + 65.0) / 20.0),
        1.0 / (1.0 + e(-0.1 * (u + 35.0))),
    )


def rates(v: Any, params: HHParams | str | None = None) -> dict[str, np.ndarray]:
    """Opening and closing rates of the three gates.

    Parameters
    ----------
    v : array_like
        Membrane potential (mV).
    params : HHParams or str, optional
        Parameters or preset name (default ``"classic"``).

    Returns
    -------
    dict
        ``alpha_n, beta_n, alpha_m, beta_m, alpha_h, beta_h`` (1/ms), arrays shaped like ``v``
        (``v`` must be within ±:data:`RATES_V_LIMIT` mV; beyond, the exponentials overflow).
        α_n and α_m are finite at their 0/0 points (v = −55 and −40 mV in the classic
        model), where they equal their limits 0.1 and 1.0 (computed with
        :func:`scipy.special.exprel`).
    """
    p = get_params(params)
    v = check_finite(v, "v")
    if v.size and np.abs(v).max() > RATES_V_LIMIT:
        raise ValueError(f"v must be within ±{RATES_V_LIMIT:g} mV (beyond, the rates overflow), "
                         f"got values up to {np.abs(v).max():g}")
    keys = ("alpha_n", "beta_n", "alpha_m", "beta_m", "alpha_h", "beta_h")
    with np.errstate(over="ignore"):
        return dict(zip(keys, _rates_array(v, p)))


def _gate_ab(v: Any, gate: str, params: HHParams | str | None) -> tuple[np.ndarray, np.ndarray]:
    check_choice(gate, "gate", ("n", "m", "h"))
    r = rates(v, params)
    return r[f"alpha_{gate}"], r[f"beta_{gate}"]


def steady_state(v: Any, gate: str, params: HHParams | str | None = None) -> np.ndarray:
    """Steady-state value ``x_inf = alpha / (alpha + beta)`` of gate ``"n"``, ``"m"`` or ``"h"``
    at membrane potential ``v`` (mV); dimensionless, in [0, 1]."""
    a, b = _gate_ab(v, gate, params)
    return a / (a + b)


def time_constant(v: Any, gate: str, params: HHParams | str | None = None) -> np.ndarray:
    """Time constant ``tau_x = 1 / (alpha + beta)`` (ms) of gate ``"n"``, ``"m"`` or ``"h"``."""
    a, b = _gate_ab(v, gate, params)
    return 1.0 / (a + b)


# --- resting state ------------------------------------------------------------------------


@dataclass(frozen=True)
class RestingState:
    """An equilibrium of the model: membrane potential ``v`` (mV) and gates ``n, m, h``."""

    v: float
    n: float
    m: float
    h: float


def _steady_current(v: np.ndarray, p: HHParams) -> np.ndarray:
    """Total ionic current (µA/cm², inward positive) with every gate at its steady state."""
    a_n, b_n, a_m, b_m, a_h, b_h = _rates_array(v, p)
    n, m, h = a_n / (a_n + b_n), a_m / (a_m + b_m), a_h / (a_h + b_h)
    return p.g_L * (p.E_L - v) + p.g_K * n**4 * (p.E_K - v) + p.g_Na * m**3 * h * (p.E_Na - v)


def resting_state(params: HHParams | str | None = None, current: float = 0.0) -> RestingState:
    """The lowest equilibrium of the model under a constant ``current`` (µA/cm²).

    Solves ``I_ion(v) + current = 0`` with every gate at its steady state by bracketing on a
    0.5 mV grid between E_K − 50 and E_Na + 50 mV and refining with Brent's method
    (to 1e-12 mV). Nothing is hard-coded: the classic preset gives −65.0 mV because
    E_L = −54.387 mV was chosen for that.

    Returns
    -------
    RestingState
    """
    p = get_params(params)
    current = check_real_scalar(current, "current", "µA/cm²")
    grid = np.arange(min(p.E_K, p.E_L) - 50.0, max(p.E_Na, p.E_L) + 50.0, 0.5)
    f = _steady_current(grid, p) + current
    crossings = np.flatnonzero(np.sign(f[:-1]) != np.sign(f[1:]))
    if crossings.size == 0:
        raise ValueError(f"no equilibrium found for current={current:g} µA/cm²")
    k = crossings[0]
    v = optimize.brentq(lambda x: float(_steady_current(np.array(x), p)) + current,
                        grid[k], grid[k + 1], xtol=1e-12)
    gates = {g: float(steady_state(v, g, p)) for g in "nmh"}
    return RestingState(v=float(v), **gates)


def jacobian(state: RestingState, params: HHParams | str | None = None, current: float = 0.0) -> np.ndarray:
    """Jacobian (4 × 4, variables v, n, m, h; units 1/ms and mV/ms) of the model at ``state``
    under a constant ``current`` (µA/cm²), by central finite differences of :func:`rhs`."""
    p = get_params(params)
    current = check_real_scalar(current, "current", "µA/cm²")
    state = _check_state(state, "state")
    y0 = np.array([state.v, state.n, state.m, state.h])
    steps = np.array([1e-4, 1e-7, 1e-7, 1e-7])
    J = np.empty((4, 4))
    for j in range(4):
        e = np.zeros(4)
        e[j] = steps[j]
        f = lambda y: rhs(0.0, y, p, lambda t: current)  # noqa: E731
        J[:, j] = (f(y0 + e) - f(y0 - e)) / (2 * steps[j])
    return J


def hopf_current(params: HHParams | str | None = None, lo: float = 5.0, hi: float = 20.0) -> float:
    """The smallest constant current (µA/cm²) in ``[lo, hi]`` at which the resting state
    loses stability (a pair of eigenvalues of :func:`jacobian` crosses into the right
    half-plane: the Hopf bifurcation), by Brent's method to 1e-6 µA/cm²."""
    p = get_params(params)
    lo = check_real_scalar(lo, "lo", "µA/cm²")
    hi = check_real_scalar(hi, "hi", "µA/cm²")
    for value, name in ((lo, "lo"), (hi, "hi")):
        if abs(value) > I_LIMIT:
            raise ValueError(f"{name} must be within ±{I_LIMIT:g} µA/cm², got {value:g}")
    if not lo < hi:
        raise ValueError(f"lo must be < hi, got lo={lo:g}, hi={hi:g} µA/cm²")

    def growth(current: float) -> float:
        J = jacobian(resting_state(p, current), p, current)
        return float(np.max(np.linalg.eigvals(J).real))

    try:
        ends = growth(lo), growth(hi)
    except ValueError as exc:  # no equilibrium at one end
        raise ValueError(f"lo={lo:g} and hi={hi:g} µA/cm² must bracket the loss of stability: {exc}") from None
    if not ends[0] < 0 < ends[1]:
        raise ValueError(f"the resting state must be stable at lo={lo:g} and unstable at hi={hi:g}")
    return float(optimize.brentq(growth, lo, hi, xtol=1e-6))


# --- simulation ---------------------------------------------------------------------------


class SimulationBlowUp(FloatingPointError):
    """The simulation left the physical range (the time step is too large for the scheme)."""


@dataclass(frozen=True)
class HHResult:
    """Result of :func:`simulate`.

    Trace arrays have shape ``(n_t,)`` for a single neuron, ``(batch, n_t)`` for a batch.
    Ionic currents follow the sign convention of the membrane equation: positive currents
    flow into the cell and depolarise it (``C dv/dt = i_na + i_k + i_l + i_ext``).

    Attributes
    ----------
    t : ndarray
        Time (ms), shape ``(n_t,)``.
    v : ndarray
        Membrane potential (mV).
    n, m, h : ndarray or None
        Gates (dimensionless); None when ``record=False``.
    i_na, i_k, i_l : ndarray or None
        Sodium, potassium and leak currents (µA/cm²); None when ``record=False``.
    i_ext : ndarray
        The injected current (µA/cm²), broadcast to the shape of ``v``.
    spike_times : ndarray or tuple of ndarray
        Upward crossings of 0 mV (ms), linearly interpolated between samples; one array per
        neuron (a tuple) for a batch.
    params : HHParams
    dt : float
        Time step (ms).
    method : str
    """

    t: np.ndarray
    v: np.ndarray
    n: np.ndarray | None
    m: np.ndarray | None
    h: np.ndarray | None
    i_na: np.ndarray | None
    i_k: np.ndarray | None
    i_l: np.ndarray | None
    i_ext: np.ndarray
    spike_times: Any
    params: HHParams
    dt: float
    method: str

    @property
    def spike_counts(self) -> np.ndarray | int:
        """Number of spikes (one int, or an array per neuron for a batch)."""
        if isinstance(self.spike_times, tuple):
            return np.array([s.size for s in self.spike_times])
        return int(self.spike_times.size)


def _check_state(state: Any, name: str) -> RestingState:
    check_instance(state, name, RestingState, "a RestingState (from resting_state())")
    values = check_finite([state.v, state.n, state.m, state.h], name)
    if abs(values[0]) >= V_LIMIT:
        raise ValueError(f"{name}.v must be within ±{V_LIMIT:g} mV, got {values[0]:g}")
    if np.any((values[1:] < 0) | (values[1:] > 1)):
        raise ValueError(f"{name}: gates n, m, h must be in [0, 1], got {values[1:].tolist()}")
    return state


def spike_times_from_trace(t: np.ndarray, v: np.ndarray, threshold: float = 0.0) -> np.ndarray:
    """Upward crossings of ``threshold`` (mV) by the 1-D trace ``v`` at times ``t`` (ms),
    linearly interpolated between the two samples around each crossing.

    ``t`` and ``v`` must be finite 1-D arrays of the same length.
    """
    t = check_finite(t, "t")
    v = check_finite(v, "v")
    threshold = check_real_scalar(threshold, "threshold", "mV")
    if t.ndim != 1 or v.ndim != 1 or t.shape != v.shape:
        raise ValueError(f"t and v must be 1-D arrays of the same length, got shapes {t.shape} and {v.shape}")
    return _crossings(t, v, threshold)


def _crossings(t: np.ndarray, v: np.ndarray, threshold: float) -> np.ndarray:
    below, above = v[:-1] < threshold, v[1:] >= threshold
    k = np.flatnonzero(below & above)
    frac = (threshold - v[k]) / (v[k + 1] - v[k])
    return t[k] + frac * (t[k + 1] - t[k])


def _prepare_current(current: Current, t: np.ndarray) -> tuple[np.ndarray, bool]:
    """Input as an array of shape (batch, n_t), and whether the input had a batch axis."""
    n_t = t.size
    if callable(current):
        try:
            values = current(t)
        except Exception as exc:  # say which argument failed, keep the original error
            raise TypeError(f"current(t) must accept the array of times t (ms): {exc}") from exc
        values = as_real_array(values, "current(t)", allow_inf=False)
        if values.ndim == 0:
            values = np.full(n_t, float(values))
    else:
        values = as_real_array(current, "current", allow_inf=False)
    if values.size and np.abs(values).max() > I_LIMIT:
        raise ValueError(f"current must be within ±{I_LIMIT:g} µA/cm² (far beyond physiology), "
                         f"got values up to {np.abs(values).max():g}")
    if values.ndim == 0:
        return values.reshape(1, 1), False
    if values.ndim == 1:
        if values.size != n_t:
            raise ValueError(
                f"current must be a number, an array over time with {n_t} samples (one per time "
                f"point), or 2-D (batch, {n_t}) or (batch, 1); got shape {values.shape}. "
                "For a batch of constant currents I use I[:, None]."
            )
        return values.reshape(1, n_t), False
    if values.ndim == 2 and values.shape[1] in (1, n_t) and values.shape[0] >= 1:
        return values, True
    raise ValueError(
        f"current must have shape ({n_t},), (batch, {n_t}) or (batch, 1), got {values.shape}"
    )


def _blow_up(t: float, v: float, dt: float, method: str) -> SimulationBlowUp:
    return SimulationBlowUp(
        f"the simulation blew up at t = {t:.3f} ms (v = {v:.4g} mV) with dt = {dt:g} ms and "
        f"method={method!r}; use a smaller time step, e.g. dt = {dt / 10:g} ms"
        + (", or method='exponential'" if method == "euler" else "")
    )


def _half_step_gates(v: float, gates: tuple[float, float, float], p: HHParams,
                     dt: float) -> tuple[float, float, float]:
    """Gates advanced by dt/2 with v frozen: the start of the staggered grid."""
    r = _rates_array(np.array(v), p)
    out = []
    for x, a, b in zip(gates, r[0::2], r[1::2]):
        x_inf, s = float(a / (a + b)), float(a + b)
        out.append(x_inf + (x - x_inf) * math.exp(-0.5 * dt * s))
    return tuple(out)


def _run_float(v: float, n: float, m: float, h: float, i_ext: list[float], p: HHParams,
               dt: float, record: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
    """The exponential scheme for one neuron with plain floats: the fast path.

    Takes ``v`` at t_0 and the gates at t_0 + dt/2; returns ``v`` (1, n_t) and, if
    ``record``, the gates (3, 1, n_t) at t_k + dt/2. The arithmetic is that of :func:`_run_array` (a test checks
    they agree), with the rate functions written out in the loop, since a Python function
    call costs as much as a few exponentials. Two exponentials are shared:
    exp(-(u+65)/20) = q**4 with q = exp(-(u+65)/80), and
    exp(-0.1 (u+35)) = exp(-0.1 (u+40)) * e**0.5.
    """
    gNa, gK, gL, ENa, EK, EL = p.g_Na, p.g_K, p.g_L, p.E_Na, p.E_K, p.E_L
    c, mdt, gLEL = dt / p.C, -dt, p.g_L * p.E_L
    # exponents of the rate functions as a0 + a1 * v, with u = v - v_offset
    u0 = -p.v_offset
    xn0, xm0 = -0.1 * (u0 + 55.0), -0.1 * (u0 + 40.0)
    q0, k_q = -(u0 + 65.0) / 80.0, 1.0 / 80.0
    bm0, k_bm = -(u0 + 65.0) / p.beta_m_scale, 1.0 / p.beta_m_scale
    exp, expm1, sqrt_e = math.exp, math.expm1, math.exp(0.5)
    vs, ns, ms, hs = [v], [n], [m], [h]
    v_app, n_app, m_app, h_app = vs.append, ns.append, ms.append, hs.append
    try:
        for I in i_ext[:-1]:
            # v from t_k to t_k+1, conductances frozen at t_k+1/2: exact exponential
            g_na = gNa * m * m * m * h
            n2 = n * n
            g_k = gK * n2 * n2
            g = g_na + g_k + gL
            v_inf = (g_na * ENa + g_k * EK + gLEL + I) / g
            v = v_inf + (v - v_inf) * exp(-c * g)
            # rates at v (textbook forms in _rates_array)
            x = xn0 - 0.1 * v
            a_n = 0.1 * x / expm1(x) if x != 0.0 else 0.1
            q = exp(q0 - k_q * v)
            b_n = 0.125 * q
            x = xm0 - 0.1 * v
            em1 = expm1(x)
            a_m = x / em1 if x != 0.0 else 1.0
            b_m = 4.0 * exp(bm0 - k_bm * v)
            q *= q
            a_h = 0.07 * q * q
            b_h = 1.0 / (1.0 + (em1 + 1.0) * sqrt_e)
            # gates from t_k+1/2 to t_k+3/2, v frozen at t_k+1: exact exponential
            s = a_n + b_n
            x = a_n / s
            n = x + (n - x) * exp(mdt * s)
            s = a_m + b_m
            x = a_m / s
            m = x + (m - x) * exp(mdt * s)
            s = a_h + b_h
            x = a_h / s
            h = x + (h - x) * exp(mdt * s)
            v_app(v)
            if record:
                n_app(n)
                m_app(m)
                h_app(h)
    except (OverflowError, ZeroDivisionError):
        raise _blow_up(len(vs) * dt, v, dt, "exponential") from None
    V = np.array(vs)
    bad = np.flatnonzero(~(np.abs(V) < V_LIMIT))
    if bad.size:
        raise _blow_up(bad[0] * dt, float(V[bad[0]]), dt, "exponential")
    return V[None, :], (np.array([ns, ms, hs])[:, None, :] if record else None)


def _run_array(v: np.ndarray, gates: np.ndarray, i_ext: np.ndarray, n_t: int, p: HHParams,
               dt: float, method: str, record: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """Time loop for a batch of neurons, vectorised with NumPy over the batch.

    ``gates`` (3, batch) holds n, m, h: at t_0 for Euler, at t_0 + dt/2 for the exponential
    scheme. Returns ``V`` (batch, n_t) and, if ``record``, the gates (3, batch, n_t) on the
    same grid as they came in. The six rates are computed together from one (6, batch)
    array of exponents, so that a step costs about 40 NumPy calls whatever the batch size.
    """
    batch = v.size
    gNa, gK, gL, ENa, EK, EL, C = p.g_Na, p.g_K, p.g_L, p.E_Na, p.E_K, p.E_L, p.C
    # exponents of the rate functions, linear in v: slope[:, None] * v + icpt[:, None]
    u0 = -p.v_offset  # u = v + u0
    slope = np.array([-0.1, -0.1, -1 / 80, -1 / p.beta_m_scale, -1 / 20, 0.1])[:, None]
    icpt = np.array([-0.1 * (u0 + 55), -0.1 * (u0 + 40), -(u0 + 65) / 80,
                     -(u0 + 65) / p.beta_m_scale, -(u0 + 65) / 20, 0.1 * (u0 + 35)])[:, None]
    pre_exp = np.array([0.125, 4.0, 0.07])[:, None]  # beta_n, beta_m, alpha_h
    pre_rel = np.array([0.1, 1.0])[:, None]  # alpha_n, alpha_m
    A = np.empty((3, batch))  # alpha_n, alpha_m, alpha_h
    B = np.empty((3, batch))  # beta_n, beta_m, beta_h
    V = np.empty((batch, n_t))
    V[:, 0] = v
    X = gates.copy()
    G = np.empty((3, batch, n_t)) if record else None
    if record:
        G[:, :, 0] = X
    constant = i_ext.shape[1] == 1
    n, m, h = X  # views: updated in place with X
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for k in range(n_t - 1):
            I = i_ext[:, 0] if constant else i_ext[:, k]
            if method == "exponential":
                # v from t_k to t_k+1, conductances frozen at t_k+1/2: exact exponential
                g_na = gNa * (m * m * m * h)
                g_k = gK * ((n * n) ** 2)
                g = g_na + g_k + gL
                v_inf = (g_na * ENa + g_k * EK + gL * EL + I) / g
                v = v_inf + (v - v_inf) * np.exp(-dt / C * g)
            L = slope * v + icpt
            A[:2] = pre_rel / special.exprel(L[:2])
            E = np.exp(L[2:5]) * pre_exp
            B[:2] = E[:2]
            A[2] = E[2]
            B[2] = special.expit(L[5])
            if method == "exponential":
                # gates from t_k+1/2 to t_k+3/2, v frozen at t_k+1: exact exponential
                S = A + B
                X_inf = A / S
                X[:] = X_inf + (X - X_inf) * np.exp(-dt * S)
            else:  # forward Euler: every variable moves along its slope at t_k
                dv = (gL * (EL - v) + gK * n**4 * (EK - v) + gNa * m**3 * h * (ENa - v) + I) / C
                X += dt * (A * (1.0 - X) - B * X)  # rates computed from v(t_k) above
                v = v + dt * dv
            V[:, k + 1] = v
            if record:
                G[:, :, k + 1] = X
            if k % 64 == 63 and not abs(v).max() < V_LIMIT:  # NaN fails the test too
                V = V[:, : k + 2]
                break
    bad = ~(np.abs(V) < V_LIMIT)
    if bad.any():
        i, k = np.argwhere(bad)[0]
        raise _blow_up(k * dt, float(V[i, k]), dt, method)
    return V, G


def step_current(t: Any, amplitude: Any, start: float = 0.0, duration: float = np.inf) -> np.ndarray:
    """A current step (µA/cm²) sampled at times ``t`` (ms): ``amplitude`` from ``start`` for
    ``duration`` ms, 0 elsewhere. ``amplitude`` may be a 1-D array (one per neuron): the
    result then has shape ``(len(amplitude), len(t))``, ready for :func:`simulate`.

    Sample times within 1e-9 ms of an edge count as inside, so that steps on the grid
    of ``t`` are not shifted by rounding.
    """
    t = as_real_array(t, "t")
    amplitude = as_real_array(amplitude, "amplitude", allow_inf=False)
    start = check_real_scalar(start, "start", "ms")
    duration = math.inf if isinstance(duration, float) and duration == math.inf else check_positive(duration, "duration", "ms")
    on = (t >= start - 1e-9) & (t < start + duration - 1e-9)
    if amplitude.ndim == 0:
        return np.where(on, float(amplitude), 0.0)
    if amplitude.ndim != 1:
        raise ValueError(f"amplitude must be a number or a 1-D array, got shape {amplitude.shape}")
    return amplitude[:, None] * on[None, :]


def simulate(
    current: Current = 0.0,
    t_max: float = 100.0,
    dt: float = DT,
    params: HHParams | str | None = None,
    *,
    v0: Any = None,
    method: str = "exponential",
    record: bool = True,
) -> HHResult:
    """Simulate one neuron or a batch of neurons driven by an external current.

    Parameters
    ----------
    current : float, array or callable
        Injected current (µA/cm², positive depolarises): a constant; an array sampled at the
        ``n_t = round(t_max/dt) + 1`` times ``t`` (shape ``(n_t,)``); a batch, shape
        ``(batch, n_t)`` or ``(batch, 1)`` for constant currents (an f–I curve:
        ``simulate(I[:, None], ...)``); or a function ``current(t)`` of the array of times
        returning any of these. Over the step from ``t_k`` to ``t_k + dt`` the value at
        ``t_k`` is used.
    t_max : float
        Duration (ms).
    dt : float
        Time step (ms); 0.01 ms meets the book's accuracy target.
    params : HHParams or str, optional
        Parameters or a preset name (default ``"classic"``).
    v0 : float or RestingState, optional
        Initial membrane potential (mV), with every gate at its steady state there; by
        default the preset's exact resting state (:func:`resting_state`).
    method : {"exponential", "euler"}
        Integration scheme (see the module docstring).
    record : bool
        Keep the gates and ionic currents (True) or only ``v`` and the spike times.

    Returns
    -------
    HHResult

    Raises
    ------
    ValueError
        For a non-positive or non-finite ``t_max``/``dt``, a current beyond ±:data:`I_LIMIT`
        µA/cm², a ``v0`` beyond ±:data:`V_LIMIT` mV (or a RestingState with NaN or gates
        outside [0, 1]), more than :data:`neurolib._checks.MAX_STEPS` steps or arrays larger
        than :data:`neurolib._checks.MEMORY_BUDGET` (refused before allocating, naming the
        arguments to change).
    SimulationBlowUp
        If ``v`` leaves ±1000 mV (too large a ``dt`` for the scheme); the message suggests
        a smaller ``dt``. NaN traces are never returned.
    """
    p = get_params(params)
    t_max = check_positive(t_max, "t_max", "ms")
    dt = check_positive(dt, "dt", "ms")
    method = check_choice(method, "method", METHODS)
    record = check_bool(record, "record")
    n_steps = check_steps(t_max, dt, per_step=1)
    v_init, gates0 = _initial_state(v0, p)
    t = np.arange(n_steps + 1) * dt
    i_ext, batched = _prepare_current(current, t)
    batch = i_ext.shape[0]
    check_memory(batch * (n_steps + 1) * (8 if record else 2), "reduce t_max, increase dt or simulate fewer neurons",
                 what=f"{batch} neuron(s) x {n_steps + 1} time points")

    n_t = n_steps + 1
    start = _half_step_gates(v_init, gates0, p, dt) if method == "exponential" else gates0
    if batch <= FLOAT_BATCH and method == "exponential":
        # A few neurons: one plain-float loop each is faster than NumPy on tiny arrays.
        runs = [_run_float(v_init, *start, np.broadcast_to(row, (n_t,)).tolist(), p, dt, record)
                for row in i_ext]
        V = np.concatenate([r[0] for r in runs])
        G = np.concatenate([r[1] for r in runs], axis=1) if record else None
    else:
        X0 = np.repeat(np.array(start, dtype=float)[:, None], batch, axis=1)
        V, G = _run_array(np.full(batch, v_init), X0, i_ext, n_t, p, dt, method, record)
    return _result(t, V, G, i_ext, gates0, batched, p, dt, method)


def _result(t: np.ndarray, V: np.ndarray, G: np.ndarray | None, i_ext: np.ndarray, gates0: tuple[float, ...],
            batched: bool, p: HHParams, dt: float, method: str) -> HHResult:
    """The :class:`HHResult` of a run: gates on the grid of ``v``, currents and spike times."""
    I_full = np.broadcast_to(i_ext, V.shape).astype(float)

    if G is not None and method == "exponential":
        # Gates were computed at t_k + dt/2; the mean of two neighbours is their value at
        # t_k to second order, like the scheme.
        G[:, :, 1:] = 0.5 * (G[:, :, :-1] + G[:, :, 1:])
        G[:, :, 0] = np.array(gates0)[:, None]
    spikes = tuple(_crossings(t, row, 0.0) for row in V)

    def out(x: np.ndarray | None) -> np.ndarray | None:
        if x is None:
            return None
        return x if batched else x[0]

    n = m = h = i_na = i_k = i_l = None
    if G is not None:
        n, m, h = G
        i_na = p.g_Na * m**3 * h * (p.E_Na - V)
        i_k = p.g_K * n**4 * (p.E_K - V)
        i_l = p.g_L * (p.E_L - V)
    return HHResult(
        t=t, v=out(V), n=out(n), m=out(m), h=out(h), i_na=out(i_na), i_k=out(i_k), i_l=out(i_l),
        i_ext=out(I_full), spike_times=spikes if batched else spikes[0], params=p, dt=dt,
        method=method,
    )


def _initial_state(v0: Any, p: HHParams) -> tuple[float, tuple[float, float, float]]:
    """``v`` and the gates (n, m, h) at t = 0 from the ``v0`` argument of :func:`simulate`."""
    if v0 is None:
        rest = resting_state(p)
        return rest.v, (rest.n, rest.m, rest.h)
    if isinstance(v0, RestingState):
        v0 = _check_state(v0, "v0")
        return v0.v, (v0.n, v0.m, v0.h)
    v_init = check_real_scalar(v0, "v0", "mV")
    if abs(v_init) >= V_LIMIT:
        raise ValueError(f"v0 must be within ±{V_LIMIT:g} mV, got {v_init:g}")
    return v_init, tuple(float(steady_state(v_init, g, p)) for g in "nmh")


# --- f–I curves and thresholds ------------------------------------------------------------


def firing_rates(
    currents: Any,
    t_max: float = 500.0,
    dt: float = DT,
    params: HHParams | str | None = None,
    *,
    transient: float = 100.0,
    v0: Any = None,
) -> np.ndarray:
    """Steady firing rate (Hz) for each constant current step (µA/cm²) switched on at t = 0
    from rest: number of spikes after ``transient`` ms divided by the time they span
    (first to last spike, ``count - 1`` intervals), 0 with fewer than two such spikes.

    All currents are simulated in one vectorised call.
    """
    currents = as_real_array(currents, "currents", allow_inf=False)
    if currents.ndim != 1 or currents.size == 0:
        raise ValueError(f"currents must be a non-empty 1-D array, got shape {currents.shape}")
    t_max = check_positive(t_max, "t_max", "ms")
    transient = check_real_scalar(transient, "transient", "ms")
    if not 0 <= transient < t_max:
        raise ValueError(f"transient must be in [0, t_max={t_max:g}) ms, got {transient:g}")
    res = simulate(currents[:, None], t_max, dt, params, v0=v0, record=False)
    out = np.zeros(currents.size)
    for i, s in enumerate(res.spike_times):
        s = s[s >= transient]
        if s.size >= 2:
            out[i] = 1000.0 * (s.size - 1) / (s[-1] - s[0])
    return out


def find_threshold(
    fires: Callable[[np.ndarray], np.ndarray],
    lo: float,
    hi: float,
    *,
    tol: float = 0.01,
    points: int = 8,
) -> float:
    """Smallest value in ``[lo, hi]`` for which ``fires`` is True, to within ``tol``.

    A batched bisection: each round evaluates ``fires`` on ``points`` values at once (one
    vectorised simulation) and keeps the interval where the answer switches from False to
    True, shrinking it ``points + 1`` times per round. ``fires(values)`` must return a
    boolean array, False at ``lo`` and True at ``hi``.

    Returns
    -------
    float
        The midpoint of the final interval (its half-width is below ``tol``).
    """
    check_callable(fires, "fires", "of an array of values returning booleans")
    lo, hi = check_real_scalar(lo, "lo"), check_real_scalar(hi, "hi")
    tol = check_positive(tol, "tol")
    points = check_int(points, "points", minimum=1, maximum=10_000)
    if not lo < hi:
        raise ValueError(f"lo must be < hi, got lo={lo:g}, hi={hi:g}")
    if not math.isfinite(hi - lo):
        raise ValueError(f"hi - lo must be a finite number, got lo={lo:g}, hi={hi:g}")
    ends = _fires(fires, np.array([lo, hi]))
    if ends[0] or not ends[1]:
        raise ValueError(f"fires must be False at lo={lo:g} and True at hi={hi:g}, got {ends.tolist()}")
    while (hi - lo) / 2 > tol:
        grid = np.linspace(lo, hi, points + 2)[1:-1]
        ok = _fires(fires, grid)
        first = int(np.argmax(ok)) if ok.any() else points
        new_lo = grid[first - 1] if first > 0 else lo
        new_hi = grid[first] if first < points else hi
        if new_lo == lo and new_hi == hi:  # tol below the float spacing: cannot shrink further
            break
        lo, hi = new_lo, new_hi
    return 0.5 * (lo + hi)


def _fires(fires: Callable[[np.ndarray], Any], values: np.ndarray) -> np.ndarray:
    ok = np.asarray(fires(values))
    if ok.shape != values.shape:
        raise ValueError(f"fires(values) must return one boolean per value, shape {values.shape}, got shape {ok.shape}")
    return ok.astype(bool)


def pulse_pair_current(t: Any, delays: Any, amplitude: float = 20.0, width: float = 1.0,
                       start: float = 5.0) -> np.ndarray:
    """Two identical current pulses (µA/cm², ``width`` ms) at ``start`` and ``start + delay``
    for each delay (ms): shape ``(len(delays), len(t))``, ready for :func:`simulate`."""
    delays = as_real_array(delays, "delays", allow_inf=False).reshape(-1)
    width = check_positive(width, "width", "ms")
    if delays.size == 0:
        raise ValueError("delays must hold at least one delay (ms), got an empty array")
    if np.any(delays < width):
        raise ValueError(f"delays must be >= width={width:g} ms so the pulses do not overlap, got {delays.min():g}")
    first = step_current(t, amplitude, start, width)
    return np.stack([first + step_current(t, amplitude, start + d, width) for d in delays])


def second_spike(delays: Any, amplitude: float = 20.0, width: float = 1.0,
                 params: HHParams | str | None = None, dt: float = DT) -> np.ndarray:
    """Whether a second pulse ``delay`` ms after the first evokes a second spike (refractoriness).

    Both pulses have the given ``amplitude`` (µA/cm²) and ``width`` (ms); the first starts at
    5 ms from rest. Returns a boolean array, one entry per delay.
    """
    delays = as_real_array(delays, "delays", allow_inf=False).reshape(-1)
    amplitude = check_real_scalar(amplitude, "amplitude", "µA/cm²")
    if abs(amplitude) > I_LIMIT:
        raise ValueError(f"amplitude must be within ±{I_LIMIT:g} µA/cm², got {amplitude:g}")
    width = check_positive(width, "width", "ms")
    dt = check_positive(dt, "dt", "ms")
    if delays.size == 0:
        raise ValueError("delays must hold at least one delay (ms), got an empty array")
    t_max = 5.0 + float(delays.max()) + width + 20.0
    n_steps = check_steps(t_max, dt, t_name="t_max (5 + max(delays) + width + 20 ms)", per_step=2 * delays.size)
    t = np.arange(n_steps + 1) * dt
    res = simulate(pulse_pair_current(t, delays, amplitude, width), t_max, dt, params, record=False)
    return res.spike_counts >= 2


def circuit_diagram(ax: Any) -> None:
    """Draw the membrane's equivalent circuit on the matplotlib axes ``ax``.

    Five parallel branches between the inside (top) and the outside (bottom) of the cell:
    the capacitance C, the sodium, potassium and leak conductances (each in series with
    its reversal potential as a battery; an arrow marks a voltage-gated conductance) and
    the injected current I.
    """
    kw = {"color": "black", "lw": 1.5}
    xs = [0.0, 1.4, 2.8, 4.2, 5.4]
    ax.plot([-0.3, 5.7], [1, 1], **kw)
    ax.plot([-0.3, 5.7], [0, 0], **kw)
    ax.text(5.8, 1, "inside ($v$)", va="center")
    ax.text(5.8, 0, "outside (0)", va="center")
    # capacitor: two plates
    ax.plot([0, 0], [1, 0.56], **kw)
    ax.plot([0, 0], [0.44, 0], **kw)
    ax.plot([-0.2, 0.2], [0.56, 0.56], **kw)
    ax.plot([-0.2, 0.2], [0.44, 0.44], **kw)
    ax.text(-0.28, 0.5, "$C$", ha="right", va="center")
    for x, g, e, gated in zip(xs[1:4], ("$g_{Na} m^3 h$", "$g_K n^4$", "$g_L$"),
                              ("$E_{Na}$", "$E_K$", "$E_L$"),
                              (True, True, False)):
        ax.plot([x, x], [1, 0.85], **kw)
        zig = np.array([0.85, 0.82, 0.78, 0.74, 0.70, 0.66, 0.62, 0.60])
        ax.plot(x + 0.08 * np.array([0, 1, -1, 1, -1, 1, -1, 0]), zig, **kw)
        ax.plot([x, x], [0.60, 0.38], **kw)
        ax.plot([x - 0.18, x + 0.18], [0.38, 0.38], **kw)  # battery: long plate
        ax.plot([x - 0.09, x + 0.09], [0.32, 0.32], **kw)  # short plate
        ax.plot([x, x], [0.32, 0], **kw)
        if gated:
            ax.annotate("", xy=(x + 0.2, 0.88), xytext=(x - 0.2, 0.56),
                        arrowprops={"arrowstyle": "->", "lw": 1.2})
        ax.text(x + 0.22, 0.73, g, va="center", fontsize=10)
        ax.text(x + 0.22, 0.35, e, va="center", fontsize=10)
    # current source: a circle with an arrow
    x = xs[4]
    ax.plot([x, x], [1, 0.62], **kw)
    ax.plot([x, x], [0.38, 0], **kw)
    theta = np.linspace(0, 2 * np.pi, 60)
    ax.plot(x + 0.12 * np.cos(theta), 0.5 + 0.12 * np.sin(theta), **kw)
    ax.annotate("", xy=(x, 0.6), xytext=(x, 0.4), arrowprops={"arrowstyle": "->", "lw": 1.2})
    ax.text(x + 0.18, 0.5, "$I$", va="center")
    ax.set_xlim(-0.6, 7.0)
    ax.set_ylim(-0.08, 1.08)
    ax.set_axis_off()


# --- reference for the tests --------------------------------------------------------------


def rhs(t: float, y: np.ndarray, params: HHParams | str | None, current: Callable[[float], Any]) -> np.ndarray:
    """Right-hand side of the model for :func:`scipy.integrate.solve_ivp`.

    ``y`` stacks ``v, n, m, h`` for ``k`` neurons (length ``4k``: all ``v`` first, then all
    ``n``, ...); ``current(t)`` returns the ``k`` injected currents (µA/cm²).
    """
    p = get_params(params)
    check_real_scalar(t, "t", "ms")
    y = check_finite(y, "y")
    if y.ndim != 1 or y.size == 0 or y.size % 4:
        raise ValueError(f"y must be a 1-D array of 4k values (v, n, m, h of k neurons), got shape {y.shape}")
    check_callable(current, "current", "of time t (ms) returning the injected currents")
    v, n, m, h = np.split(y, 4)
    a_n, b_n, a_m, b_m, a_h, b_h = _rates_array(v, p)
    i_ext = as_real_array(current(t), "current(t)", allow_inf=False)
    dv = (p.g_L * (p.E_L - v) + p.g_K * n**4 * (p.E_K - v) + p.g_Na * m**3 * h * (p.E_Na - v)
          + i_ext) / p.C
    return np.concatenate([dv, a_n * (1 - n) - b_n * n, a_m * (1 - m) - b_m * m, a_h * (1 - h) - b_h * h])
