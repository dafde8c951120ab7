"""Check functions for the exercises: instant feedback without giving the answer away.

Each check takes the student's answer, prints a short verdict and returns ``True`` or
``False``. An unanswered exercise (``None`` or ``...``) gets a reminder, not an error,
so a notebook still runs top to bottom. The expected answers are computed here from
:mod:`neurolib`, never typed in, so they cannot drift from the chapter.

Chapters add their checks in a section of their own, named ``check_<topic>``.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

from . import activations as act

__all__ = [
    "report",
    "check_izhikevich_rest",
    "check_adaptation_index",
    "check_adex_rheobase",
    "check_function",
    "check_array",
    "check_tanh_derivative",
    "check_stable_softmax",
    "check_softmax_jacobian",
    "check_output_functions",
    "check_majority_gate",
    "check_critical_learning_rate",
    "check_logistic_gradient",
    "check_dense_backward",
    "check_output_gradients",
    "check_stable_bce",
    "check_lif_rate",
    "check_lif_threshold",
    "check_input_for_rate",
    "check_chloride_nernst",
    "check_cv",
    "check_silence_probability",
    "check_rate_time_to_fraction",
    "check_rate_neuron_update",
    "check_echo_state_gain",
    "check_hh_alpha_m",
    "check_hh_gate_steady_state",
    "check_hh_refractory_delay",
]


def report(ok: bool, success: str, failure: str) -> bool:
    """Print a verdict ("Correct: ..." or "Not yet: ...") and return ``ok``.

    Plain text, no emoji: every font of every reader's browser has these glyphs.
    """
    print(("Correct: " + success) if ok else ("Not yet: " + failure))
    return bool(ok)


def _unanswered(answer: Any) -> bool:
    if answer is None or answer is Ellipsis:
        print("Not answered yet: replace None with your answer, then run the cell again.")
        return True
    return False


def _number(answer: Any, requirement: str = "answer must be a number") -> float | None:
    """The answer as a float, or None after telling the student what is wrong."""
    if _unanswered(answer):
        return None
    try:
        return float(answer)
    except (TypeError, ValueError):
        report(False, "", f"{requirement}, got {type(answer).__name__}")
        return None


def check_function(
    candidate: Any,
    reference: Callable[[np.ndarray], Any],
    inputs: list[np.ndarray],
    *,
    rtol: float = 1e-7,
    atol: float = 1e-12,
    what: str = "your function",
) -> bool:
    """Compare ``candidate(x)`` with ``reference(x)`` for every ``x`` in ``inputs``.

    Reports the first input where they differ, or where the candidate raises or
    returns NaN/inf, so the student sees *where* to look.
    """
    if _unanswered(candidate):
        return False
    if not callable(candidate):
        return report(False, "", f"{what} must be a function, got {type(candidate).__name__}")
    for x in inputs:
        expected = np.asarray(reference(x), dtype=float)
        try:
            with np.errstate(all="ignore"):
                got = np.asarray(candidate(np.array(x, dtype=float)), dtype=float)
        except Exception as exc:  # show the student's error as feedback, not a traceback
            return report(False, "", f"{what} raised {type(exc).__name__}: {exc} for input {np.round(x, 3)}")
        if got.shape != expected.shape:
            return report(False, "", f"{what} returned shape {got.shape}, expected {expected.shape}")
        if not np.all(np.isfinite(got)):
            return report(False, "", f"{what} returned NaN or inf for input {np.round(x, 3)}")
        if not np.allclose(got, expected, rtol=rtol, atol=atol):
            worst = int(np.argmax(np.abs(got - expected)))
            return report(
                False,
                "",
                f"{what} is off: for input {np.round(x, 3)} entry {worst} is "
                f"{got.flat[worst]:.6g}, expected {expected.flat[worst]:.6g}",
            )
    return report(True, f"{what} matches the reference on {len(inputs)} test inputs.", "")


def check_array(answer: Any, expected: np.ndarray, *, rtol: float = 1e-3, what: str = "your answer") -> bool:
    """Compare an array answer with ``expected`` (shape and values within ``rtol``)."""
    if _unanswered(answer):
        return False
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return report(False, "", f"{what} must be numbers, got {type(answer).__name__}")
    if got.shape != expected.shape:
        return report(False, "", f"{what} has shape {got.shape}, expected {expected.shape}")
    if not np.allclose(got, expected, rtol=rtol, atol=rtol * 1e-3):
        return report(False, "", f"{what} has the right shape but wrong values; check the signs and the diagonal")
    return report(True, f"{what} is right.", "")


# --- chapter 07: activation functions ----------------------------------------------------

_WIDE = [np.linspace(-5, 5, 41), np.array([-700.0, -40.0, 0.0, 40.0, 700.0]), np.array([1e4, -1e4])]


def check_tanh_derivative(candidate: Callable[[np.ndarray], np.ndarray] | None) -> bool:
    """Exercise 7.1: a function computing tanh'(z) from tanh alone."""
    return check_function(candidate, act.tanh_derivative, _WIDE, rtol=1e-6, atol=1e-12, what="your tanh'")


def check_stable_softmax(candidate: Callable[[np.ndarray], np.ndarray] | None) -> bool:
    """Exercise 7.2: a softmax over a 1-D vector that survives huge inputs."""
    inputs = [
        np.array([0.6, 3.4, -1.2, 0.05]),
        np.array([1000.0, 1001.0, 1002.0]),
        np.array([-1000.0, -1001.0, -1002.0]),
        np.array([1e4, 0.0, -1e4]),
        np.zeros(5),
    ]
    return check_function(candidate, act.softmax, inputs, rtol=1e-9, atol=1e-15, what="your softmax")


#: The worked example of chapter 07.
WORKED_Z = np.array([0.6, 3.4, -1.2, 0.05])


def check_softmax_jacobian(answer: Any) -> bool:
    """Exercise 7.3: the 4 × 4 softmax Jacobian at the worked example ``WORKED_Z``."""
    return check_array(answer, act.softmax_jacobian(WORKED_Z), rtol=1e-3, what="your Jacobian")


#: Exercise 7.4: the tasks, and which output function each needs.
OUTPUT_TASKS: dict[str, str] = {
    "predict tomorrow's temperature in °C": "linear",
    "is this e-mail spam?": "logistic",
    "which of 10 digits is in this image?": "softmax",
}


def check_output_functions(answer: Mapping[str, str] | None) -> bool:
    """Exercise 7.4: map each task in :data:`OUTPUT_TASKS` to an output function name."""
    if _unanswered(answer):
        return False
    if not isinstance(answer, Mapping):
        return report(False, "", f"answer must be a dict task -> function name, got {type(answer).__name__}")
    missing = [task for task in OUTPUT_TASKS if task not in answer]
    if missing:
        return report(False, "", f"no answer for: {missing}")
    wrong = [task for task, fn in OUTPUT_TASKS.items() if str(answer[task]).strip().lower() != fn]
    return report(
        not wrong,
        "all three output functions are right.",
        f"{len(wrong)} of 3 wrong, e.g. for {wrong[0]!r}: think about the range of the target"
        if wrong
        else "",
    )


# --- chapter 06: the artificial neuron -------------------------------------------------------

from . import neuron as _neuron  # noqa: E402  (kept in this chapter's section)


def _majority(X: np.ndarray) -> np.ndarray:
    return (X.sum(axis=1) >= 2).astype(int)


def check_majority_gate(answer: Any) -> bool:
    """Exercise 6.1: ``(weights, threshold)`` of one McCulloch–Pitts unit computing the
    3-input majority (output 1 when at least two of the three inputs are 1)."""
    if _unanswered(answer):
        return False
    try:
        weights, threshold = answer
        X = _neuron.truth_table(3)
        got = _neuron.mp_unit(X, weights, threshold)
    except (TypeError, ValueError) as exc:
        return report(False, "", f"answer must be (weights, threshold) with 3 weights and a number: {exc}")
    wrong = np.flatnonzero(got != _majority(X))
    return report(
        wrong.size == 0,
        "your unit computes the majority of three inputs on all 8 input patterns.",
        f"{wrong.size} of 8 rows of the truth table are wrong, e.g. input {X[wrong[0]].tolist()} "
        f"gives {got[wrong[0]]}" if wrong.size else "",
    )


def check_critical_learning_rate(answer: Any) -> bool:
    """Exercise 6.2: the largest learning rate for which batch gradient descent converges on
    the worked example ``neuron.WORKED_X``, ``neuron.WORKED_T`` (to 3 significant digits)."""
    got = _number(answer, "answer must be a number")
    if got is None:
        return False
    expected = _neuron.critical_learning_rate(_neuron.WORKED_X)
    if abs(got - expected) <= 1e-3 * expected:
        return report(True, f"right: batch learning converges for 0 < lr < {expected:.4f}.", "")
    hint = "too large: learning would diverge there" if got > expected else "too small: learning still converges above it"
    return report(False, "", f"{got:.4g} is {hint}; look at the eigenvalues of X^T X")


#: Exercise 6.3: a logistic neuron without bias learning AND on the four binary patterns.
EX_LOGISTIC_X: np.ndarray = _neuron.truth_table(2).astype(float)
EX_LOGISTIC_T: np.ndarray = np.array([0.0, 0.0, 0.0, 1.0])


def check_logistic_gradient(candidate: Callable[[np.ndarray], np.ndarray] | None) -> bool:
    """Exercise 6.3: a function ``w -> ∂E/∂w`` for a logistic neuron without bias on
    ``EX_LOGISTIC_X``, ``EX_LOGISTIC_T``, with ``E = ½ Σ_n (t_n − y_n)²``."""
    inputs = [np.array([0.0, 0.0]), np.array([1.0, -2.0]), np.array([3.5, 0.25]), np.array([-20.0, 15.0])]

    def reference(w: np.ndarray) -> np.ndarray:
        return _neuron.logistic_error_gradient(EX_LOGISTIC_X, EX_LOGISTIC_T, w)[0]

    return check_function(candidate, reference, inputs, rtol=1e-6, atol=1e-12, what="your gradient")


# --- chapter 08: gradients of a dense layer ----------------------------------------------

from . import dense as _dense  # noqa: E402  (kept in this chapter's section)

#: Exercise 8.2: a softmax output layer ``o = W h + b`` and the target class (one-hot).
EX8_W = np.array([[0.5, -1.0, 0.25], [1.5, 0.0, -0.5]])
EX8_B = np.array([0.1, -0.2])
EX8_H = np.array([1.0, 0.5, -2.0])
EX8_Y = np.array([0.0, 1.0])


def _ex8_backward_reference(W: np.ndarray, b: np.ndarray, x: np.ndarray, delta: np.ndarray) -> np.ndarray:
    layer = _dense.Dense(W, b, "tanh")
    layer.forward(x)
    g = layer.backward(delta)
    return np.concatenate([g.dx.ravel(), g.dW.ravel(), g.db.ravel()])


def check_dense_backward(candidate: Callable[..., Any] | None) -> bool:
    """Exercise 8.1: ``candidate(W, b, x, delta) -> (dx, dW, db)`` for a tanh layer, one example."""
    if _unanswered(candidate):
        return False
    rng = np.random.default_rng(8)
    cases = []
    for m, n in [(2, 3), (4, 1), (1, 5), (3, 3)]:
        cases.append((rng.normal(size=(m, n)), rng.normal(size=m), rng.normal(size=n), rng.normal(size=m)))
    packed = [np.concatenate([W.ravel(), b, x, d]) for W, b, x, d in cases]
    shapes = {len(p): c[0].shape for p, c in zip(packed, cases)}

    def unpack(p: np.ndarray) -> tuple[np.ndarray, ...]:
        m, n = shapes[len(p)]
        W, rest = p[: m * n].reshape(m, n), p[m * n :]
        return W, rest[:m], rest[m : m + n], rest[m + n :]

    def flat(fn: Callable[..., Any]) -> Callable[[np.ndarray], np.ndarray]:
        def run(p: np.ndarray) -> np.ndarray:
            out = fn(*unpack(p))
            if not isinstance(out, (tuple, list)) or len(out) != 3:
                raise TypeError("return the three arrays (dx, dW, db) as a tuple")
            dx, dW, db = (np.asarray(a, dtype=float) for a in out)
            W = unpack(p)[0]
            for name, got, want in [("dx", dx, (W.shape[1],)), ("dW", dW, W.shape), ("db", db, (W.shape[0],))]:
                if got.shape != want:
                    raise ValueError(f"{name} has shape {got.shape}, expected {want}")
            return np.concatenate([dx.ravel(), dW.ravel(), db.ravel()])

        return run

    return check_function(
        flat(candidate),
        lambda p: _ex8_backward_reference(*unpack(p)),
        packed,
        rtol=1e-7,
        atol=1e-12,
        what="your backward pass (dx, dW, db concatenated)",
    )


def check_output_gradients(answer: Any) -> bool:
    """Exercise 8.2: ``(grad_W, grad_h)`` of the softmax cross-entropy for ``EX8_W, EX8_B, EX8_H, EX8_Y``."""
    if _unanswered(answer):
        return False
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return report(False, "", "answer must be a pair (grad_W, grad_h)")
    z = act.softmax(EX8_W @ EX8_H + EX8_B)
    ok_W = check_array(answer[0], np.outer(z - EX8_Y, EX8_H), rtol=1e-3, what="grad_W")
    ok_h = check_array(answer[1], EX8_W.T @ (z - EX8_Y), rtol=1e-3, what="grad_h")
    return report(ok_W and ok_h, "both gradients are right.", "not yet: see the line(s) above.")


def check_stable_bce(candidate: Callable[[np.ndarray, np.ndarray], float] | None) -> bool:
    """Exercise 8.3: ``candidate(o, y)``, the binary cross-entropy from logits, finite for any logit."""
    if _unanswered(candidate):
        return False
    if not callable(candidate):
        return report(False, "", f"your loss must be a function, got {type(candidate).__name__}")
    cases = [
        (np.array([0.3, -1.2, 2.0]), np.array([1.0, 0.0, 1.0])),
        (np.array([40.0, -40.0]), np.array([0.0, 1.0])),
        (np.array([800.0, -800.0, 1e4, -1e4]), np.array([1.0, 0.0, 0.0, 1.0])),
        (np.array([0.0]), np.array([0.5])),
    ]
    packed = [np.concatenate([o, y]) for o, y in cases]

    def split(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return p[: p.size // 2], p[p.size // 2 :]

    return check_function(
        lambda p: candidate(*split(p)),
        lambda p: _dense.binary_cross_entropy(*split(p)),
        packed,
        rtol=1e-9,
        atol=1e-12,
        what="your binary cross-entropy",
    )


# --- chapter 03: the leaky integrate-and-fire neuron -------------------------------------------

from . import lif as _lif  # noqa: E402  (kept in this chapter's section)


def check_lif_rate(candidate: Callable[[np.ndarray], np.ndarray] | None) -> bool:
    """Exercise 3.1: a vectorised ``G(v_in)`` in Hz for tau_m = 20 ms, tau_ref = 2 ms, reset 0:
    0 for ``v_in <= 1``, finite everywhere (also just above threshold and for huge inputs)."""
    inputs = [
        np.linspace(0.0, 5.0, 51),
        np.array([-3.0, 0.5, 1.0, 1.0 + 1e-9, 1.001, 1.05]),
        np.array([2.0, 2.1, 1e4, 1e8]),
    ]

    def reference(v_in: np.ndarray) -> np.ndarray:
        return _lif.firing_rate(v_in, tau_m=20.0, tau_ref=2.0)

    return check_function(candidate, reference, inputs, rtol=1e-6, atol=1e-9, what="your G")


#: Exercise 3.2: a neuron in physical units.
EX_LIF_PARAMS = _lif.LIFParams(C=1.0, g_L=0.1, V_L=-65.0, V_th=-50.0, V_reset=-65.0, tau_ref=2.0)


def check_lif_threshold(answer: Any) -> bool:
    """Exercise 3.2: ``(threshold current in µA/cm², tau_m in ms)`` of :data:`EX_LIF_PARAMS`."""
    expected = np.array([EX_LIF_PARAMS.threshold_current, EX_LIF_PARAMS.tau_m])
    return check_array(answer, expected, rtol=1e-3, what="your (threshold current, tau_m)")


#: Exercise 3.3: the firing rate (Hz) to reach with tau_m = 20 ms, tau_ref = 2 ms.
EX_TARGET_RATE: float = 50.0


def check_input_for_rate(answer: Any) -> bool:
    """Exercise 3.3: the constant input ``v_in`` that makes the neuron fire at :data:`EX_TARGET_RATE`."""
    got = _number(answer, "answer must be a number")
    if got is None:
        return False
    expected = float(_lif.input_for_rate(EX_TARGET_RATE, tau_m=20.0, tau_ref=2.0))
    if abs(got - expected) <= 1e-3 * expected:
        return report(True, f"right: v_in = {expected:.4f} gives {EX_TARGET_RATE:g} Hz.", "")
    rate = float(_lif.firing_rate(got, tau_m=20.0, tau_ref=2.0)) if np.isfinite(got) else float("nan")
    return report(
        False, "", f"v_in = {got:.4g} gives {rate:.4g} Hz, not {EX_TARGET_RATE:g} Hz; solve G(v_in) = rate for v_in"
    )


# --- chapter 01: biological neurons and spike trains -------------------------------------------

from . import membrane as _membrane  # noqa: E402  (kept in this chapter's section)
from . import spikes as _spikes  # noqa: E402

#: Exercise 1.1: the mammalian chloride concentrations (mM) and the temperature (°C).
EX1_CL_OUT: float = 110.0
EX1_CL_IN: float = 10.0
EX1_TEMPERATURE: float = 37.0


def check_chloride_nernst(answer: Any) -> bool:
    """Exercise 1.1: the Nernst potential of Cl⁻ (mV) for :data:`EX1_CL_OUT`, :data:`EX1_CL_IN`
    at :data:`EX1_TEMPERATURE` (to 0.1 mV)."""
    got = _number(answer, "answer must be a number in mV")
    if got is None:
        return False
    expected = float(_membrane.nernst(EX1_CL_OUT, EX1_CL_IN, -1, EX1_TEMPERATURE))
    if abs(got - expected) <= 0.1:
        return report(True, f"right: E_Cl = {expected:.1f} mV, close to the resting potential.", "")
    if abs(got + expected) <= 0.1:
        return report(False, "", "the size is right but the sign is not: chloride carries the charge z = -1")
    if abs(got - expected / 1e3) <= 1e-4 or abs(got + expected / 1e3) <= 1e-4:
        return report(False, "", "that looks like volts: give the answer in mV")
    return report(False, "", f"{got:.4g} mV is off; use R T / (z F) with T in kelvin and ln (not log10)")


def _reference_cv(times: np.ndarray) -> float:
    return _spikes.cv(np.diff(times))


def check_cv(candidate: Callable[[np.ndarray], float] | None) -> bool:
    """Exercise 1.2: ``candidate(spike_times)`` returns the CV of the inter-spike intervals of
    one sorted spike train (ms), as ``std / mean`` with ``ddof=0``."""
    rng = np.random.default_rng(101)
    inputs = [
        np.array([0.0, 10.0, 20.0, 30.0, 45.0]),
        np.cumsum(rng.exponential(50.0, size=400)),
        np.array([3.0, 4.0, 100.0]),
        np.arange(0.0, 1000.0, 25.0) + rng.normal(0.0, 2.0, size=40),
    ]
    inputs[3].sort()
    return check_function(candidate, _reference_cv, inputs, rtol=1e-9, atol=1e-12, what="your CV")


#: Exercise 1.3: a Poisson neuron's rate (Hz) and the window (ms) in which it must stay silent.
EX1_RATE: float = 20.0
EX1_WINDOW: float = 100.0


def check_silence_probability(answer: Any) -> bool:
    """Exercise 1.3: the probability that a Poisson neuron at :data:`EX1_RATE` emits no spike in a
    window of :data:`EX1_WINDOW` (exact value, to 0.1 %)."""
    got = _number(answer, "answer must be a probability (a number)")
    if got is None:
        return False
    expected = float(np.exp(-EX1_RATE * EX1_WINDOW / 1000.0))
    if abs(got - expected) <= 1e-3 * expected:
        return report(True, f"right: P(no spike) = exp(-{EX1_RATE * EX1_WINDOW / 1000:g}) = {expected:.4f}.", "")
    if abs(got - expected) <= 0.05 * expected:
        return report(False, "", f"{got:.4f} is close, like a simulation estimate: give the exact value")
    return report(False, "", f"{got:.4g} is off; how many spikes does the neuron emit on average in the window?")


# --- chapter 05: rate-coded neurons and recurrent networks ------------------------------------

from . import rate as _rate  # noqa: E402  (kept in this chapter's section)

#: Exercise 5.1: time constant (ms) and the fraction of the step to reach.
RATE_EX_TAU: float = 10.0
RATE_EX_FRACTION: float = 0.9


def check_rate_time_to_fraction(answer: Any) -> bool:
    """Exercise 5.1: the time (ms) a rate neuron with ``tau = RATE_EX_TAU`` needs, from rest,
    to reach ``RATE_EX_FRACTION`` of a step input (to 0.1 %)."""
    got = _number(answer, "answer must be a number of ms")
    if got is None:
        return False
    # solve 1 - exp(-t/tau) = fraction on a fine grid of the simulated step response
    res = _rate.simulate_neuron(np.ones(100_000), tau=RATE_EX_TAU, dt=0.001, transfer="linear")
    expected = float(np.interp(RATE_EX_FRACTION, res.v, res.t))
    if abs(got - expected) <= 1e-3 * expected:
        return report(True, f"right: {expected:.2f} ms, that is {expected / RATE_EX_TAU:.3f} time constants.", "")
    if abs(got - RATE_EX_TAU) <= 1e-3 * RATE_EX_TAU:
        return report(False, "", "one time constant only reaches 1 - 1/e = 63 % of the step")
    return report(False, "", f"{got:.4g} ms is off; solve 1 - exp(-t/tau) = {RATE_EX_FRACTION:g} for t")


def _exact_rate_update(v: np.ndarray, u: np.ndarray, dt: np.ndarray, tau: np.ndarray) -> np.ndarray:
    return u + (v - u) * np.exp(-dt / tau)


def check_rate_neuron_update(candidate: Callable[..., Any] | None) -> bool:
    """Exercise 5.2: a function ``update(v, u, dt, tau)`` returning ``v`` one step later for
    an input ``u`` held constant during the step, exact for every ``dt`` (no Euler step)."""
    if _unanswered(candidate):
        return False
    if not callable(candidate):
        return report(False, "", f"your update must be a function, got {type(candidate).__name__}")
    cases = [
        (0.0, 1.0, 1.0, 10.0),
        (0.5, -2.0, 0.1, 5.0),
        (1.0, 3.0, 25.0, 10.0),  # a step longer than tau: Euler overshoots
        (-1.0, 0.0, 100.0, 20.0),
    ]
    for v, u, dt, tau in cases:
        expected = float(_exact_rate_update(v, u, dt, tau))
        try:
            with np.errstate(all="ignore"):
                got = float(candidate(v, u, dt, tau))
        except Exception as exc:  # show the student's error as feedback
            case = f"v={v}, u={u}, dt={dt}, tau={tau}"
            return report(False, "", f"your update raised {type(exc).__name__}: {exc} for {case}")
        if not np.isclose(got, expected, rtol=1e-9, atol=1e-12):
            hint = " (is it an Euler step? try dt > tau)" if dt > tau else ""
            case = f"v={v}, u={u}, dt={dt}, tau={tau}"
            return report(False, "", f"for {case} you give {got:.6g}, expected {expected:.6g}{hint}")
    return report(True, "your update is exact, even for steps longer than tau.", "")


#: Exercise 5.3: the network whose gain the student tunes.
ECHO_STATE_N: int = 300
ECHO_STATE_SEED: int = 5
ECHO_STATE_RADIUS: float = 0.9


def check_echo_state_gain(answer: Any) -> bool:
    """Exercise 5.3: the gain ``g`` that gives ``g W_rec`` of
    ``rate.make_reservoir(ECHO_STATE_N, seed=ECHO_STATE_SEED)`` the spectral radius
    ``ECHO_STATE_RADIUS`` (to 0.1 %)."""
    got = _number(answer, "answer must be a number")
    if got is None:
        return False
    radius = float(np.max(np.abs(_rate.recurrent_eigenvalues(ECHO_STATE_N, ECHO_STATE_SEED))))
    expected = ECHO_STATE_RADIUS / radius
    if abs(got - expected) <= 1e-3 * expected:
        return report(True, f"right: g = {expected:.4f}; this W_rec has spectral radius {radius:.4f}, not 1.", "")
    if abs(got - ECHO_STATE_RADIUS) <= 1e-3:
        return report(False, "", "for finite N the spectral radius of W_rec is close to 1 but not equal: compute it")
    return report(False, "", f"g = {got:.4g} gives spectral radius {got * radius:.4g}, not {ECHO_STATE_RADIUS:g}")


# --- chapter 02: the Hodgkin–Huxley model ---------------------------------------------------

from . import hh as _hh  # noqa: E402  (kept in this chapter's section)

#: Voltages (mV) at which the Hodgkin–Huxley exercises test a function, including the 0/0
#: point of alpha_m (−40 mV) and points a hair away from it.
EX_HH_VOLTAGES: list[np.ndarray] = [
    np.linspace(-100.0, 50.0, 61),
    np.array([-40.0, -40.0 + 1e-9, -40.0 - 1e-9, -40.0 + 1e-5]),
    np.array([-65.0, -55.0, 0.0, 30.0]),
]


def check_hh_alpha_m(candidate: Callable[[np.ndarray], np.ndarray] | None) -> bool:
    """Exercise 2.1: a vectorised alpha_m(v) (1/ms) of the classic model, finite at v = −40 mV."""
    return check_function(
        candidate, lambda v: _hh.rates(v, "classic")["alpha_m"], EX_HH_VOLTAGES,
        rtol=1e-7, atol=1e-12, what="your alpha_m",
    )


def check_hh_gate_steady_state(candidate: Callable[[np.ndarray], np.ndarray] | None) -> bool:
    """Exercise 2.2: a vectorised m_inf(v) of the classic model (dimensionless, in [0, 1])."""
    return check_function(
        candidate, lambda v: _hh.steady_state(v, "m", "classic"), EX_HH_VOLTAGES,
        rtol=1e-6, atol=1e-12, what="your m_inf",
    )


#: Exercise 2.3: the pulses (µA/cm², ms) of the refractoriness experiment.
EX_HH_PULSE: dict[str, float] = {"amplitude": 20.0, "width": 1.0}
_HH_REFRACTORY_CACHE: dict[str, float] = {}


def _hh_refractory_answer() -> float:
    """The shortest delay (ms) at which the second pulse of :data:`EX_HH_PULSE` evokes a
    second spike in the classic model (computed once, to 0.02 ms)."""
    if "delay" not in _HH_REFRACTORY_CACHE:
        fires = lambda d: _hh.second_spike(d, **EX_HH_PULSE)  # noqa: E731
        _HH_REFRACTORY_CACHE["delay"] = _hh.find_threshold(fires, 2.0, 30.0, tol=0.02)
    return _HH_REFRACTORY_CACHE["delay"]


def check_hh_refractory_delay(answer: Any) -> bool:
    """Exercise 2.3: the shortest delay (ms, within 0.25 ms) between two pulses of
    :data:`EX_HH_PULSE` for which the second one evokes a second spike."""
    got = _number(answer, "answer must be a number of ms")
    if got is None:
        return False
    expected = _hh_refractory_answer()
    if abs(got - expected) <= 0.25:
        return report(True, f"right: the second pulse fires from a delay of about {expected:.2f} ms.", "")
    side = "too short: the second pulse still fails there" if got < expected else "longer than needed"
    return report(False, "", f"{got:.3g} ms is {side}; scan delays with hh.second_spike")


# --- chapter 04: richer spiking models (Izhikevich and AdEx) ----------------------------------

from . import spiking as _spiking  # noqa: E402  (kept in this chapter's section)

#: Exercise 4.1: the Izhikevich cell class whose rest state is asked for (b = 0.25).
EX_IZ_PRESET: str = "LTS"


def check_izhikevich_rest(answer: Any) -> bool:
    """Exercise 4.1: ``(v_rest, v_saddle, I_vanish)`` of the :data:`EX_IZ_PRESET` neuron: its two
    fixed-point potentials (mV) at I = 0 and the current where they vanish."""
    b = _spiking.IZHIKEVICH_PRESETS[EX_IZ_PRESET].b
    v_rest, v_saddle = _spiking.izhikevich_fixed_points(b, 0.0)
    expected = np.array([v_rest, v_saddle, _spiking.izhikevich_vanishing_current(b)])
    return check_array(answer, expected, rtol=1e-3, what="your (v_rest, v_saddle, I_vanish)")


def check_adaptation_index(candidate: Callable[[np.ndarray], float] | None) -> bool:
    """Exercise 4.2: a function of an ISI array returning Naud et al.'s adaptation index,
    the mean of (ISI[i+1] - ISI[i]) / (ISI[i+1] + ISI[i])."""
    inputs = [
        np.array([10.0, 10.0, 10.0, 10.0]),
        np.array([11.4, 14.6, 19.8, 29.6, 47.9, 67.8, 74.8]),
        np.array([20.8, 19.2, 18.1, 17.2]),
        np.array([3.0, 5.0, 130.0, 3.0, 5.0, 131.0]),
    ]
    return check_function(candidate, _spiking.adaptation_index, inputs, rtol=1e-9, atol=1e-12,
                          what="your adaptation index")


#: Exercise 4.3: the AdEx preset whose rheobase is asked for.
EX_ADEX_PRESET: str = "tonic"


def check_adex_rheobase(answer: Any) -> bool:
    """Exercise 4.3: the rheobase (pA) of the :data:`EX_ADEX_PRESET` AdEx neuron, to 0.5 %."""
    got = _number(answer, "answer must be a number in pA")
    if got is None:
        return False
    expected = _spiking.adex_rheobase(EX_ADEX_PRESET)
    if abs(got - expected) <= 5e-3 * expected:
        return report(True, f"right: the rest state vanishes at I = {expected:.1f} pA.", "")
    hint = (
        "did you include the adaptation current w = a (v - E_L) at rest?"
        if abs(got - expected) > 0.1 * expected
        else "close: check the position v* of the maximum"
    )
    return report(False, "", f"{got:.4g} pA is not the rheobase; {hint}")


# --- chapter 09: vanishing gradients and their remedies -----------------------------------

__all__ += ["check_sigmoid_product_bound", "check_glorot_std", "check_saturated_gradient"]


def check_sigmoid_product_bound(answer: Any) -> bool:
    """Exercise 9.1: the largest factor by which 6 logistic layers can scale an error (σ′ only)."""
    value = _number(answer)
    if value is None:
        return False
    expected = 0.25**6
    return report(
        abs(value - expected) <= 1e-6 * expected,
        f"(1/4)^6 = {expected:.4g}: six factors of at most 1/4 each.",
        f"{value:.4g} is not it; what is the largest value of σ′(z) = σ(1 − σ), and how many factors are there?",
    )


def check_glorot_std(candidate: Callable[[int, int], float] | None) -> bool:
    """Exercise 9.2: ``candidate(n_in, n_out)`` must return √(2 / (n_in + n_out))."""
    if _unanswered(candidate):
        return False
    if not callable(candidate):
        return report(False, "", f"your function must be callable, got {type(candidate).__name__}")
    for n_in, n_out in [(2, 16), (16, 16), (16, 1), (300, 100), (1, 1)]:
        expected = float(np.sqrt(2.0 / (n_in + n_out)))
        try:
            got = float(candidate(n_in, n_out))
        except Exception as exc:  # feedback instead of a traceback
            return report(False, "", f"your function raised {type(exc).__name__}: {exc} for n_in={n_in}, n_out={n_out}")
        if not np.isclose(got, expected, rtol=1e-9):
            return report(False, "", f"for n_in={n_in}, n_out={n_out} you return {got:.6g}, expected {expected:.6g}")
    return report(True, "your Glorot standard deviation matches on 5 layer shapes.", "")


def check_saturated_gradient(answer: Any) -> bool:
    """Exercise 9.3: ∂C/∂o of squared error for σ(o) = 0.999 and target 0."""
    value = _number(answer)
    if value is None:
        return False
    expected = (0.999 - 0.0) * 0.999 * (1 - 0.999)
    return report(
        abs(value - expected) <= 1e-6 * expected,
        f"∂C/∂o = (σ − y) σ (1 − σ) = {expected:.4g}, a thousand times less than the error 0.999.",
        f"{value:.4g} is not it; multiply the error σ − y by σ′ = σ(1 − σ).",
    )
