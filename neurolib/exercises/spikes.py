"""Exercise checks of chapter 01, spike trains (model: :mod:`neurolib.spikes`).

Shared machinery: :mod:`neurolib.exercises.base`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import spikes as _spikes
from .._checks import check_int, check_positive
from .base import check_function, exercise, report, _number

__all__ = [
    "check_cv", "EX1_RATE", "EX1_WINDOW", "check_silence_probability",
    "EX1_REGULAR_ISI", "EX1_FANO_WINDOW", "regular_fano_factor", "check_regular_fano",
    "EX1_PSTH_NEURONS", "psth_scatter", "check_psth_scatter_prediction",
]


def _reference_cv(times: np.ndarray) -> float:
    return _spikes.cv(np.diff(times))


@exercise
def check_cv(candidate: Callable[[np.ndarray], float] | None) -> bool:
    """Exercise ex-cv: ``candidate(spike_times)`` returns the CV of the inter-spike intervals of
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


#: Exercise ex-silence: a Poisson neuron's rate (Hz) and the window (ms) in which it must stay silent.
EX1_RATE: float = 20.0
EX1_WINDOW: float = 100.0


@exercise
def check_silence_probability(answer: Any) -> bool:
    """Exercise ex-silence: the probability that a Poisson neuron at :data:`EX1_RATE` emits no spike in a
    window of :data:`EX1_WINDOW` (exact value, to 0.1 %)."""
    got = _number(answer, "answer must be a probability (a number)")
    expected = float(np.exp(-EX1_RATE * EX1_WINDOW / 1000.0))
    if abs(got - expected) <= 1e-3 * expected:
        return report(True, f"right: P(no spike) = exp(-{EX1_RATE * EX1_WINDOW / 1000:g}) = {expected:.4f}.", "")
    if abs(got - expected) <= 0.05 * expected:
        return report(False, "", f"{got:.4f} is close, like a simulation estimate: give the exact value")
    return report(False, "", f"{got:.4g} is off; how many spikes does the neuron emit on average in the window?")


#: Exercise ex-regular-fano: the interval (ms) of a perfectly regular train and the counting window (ms).
EX1_REGULAR_ISI: float = 30.0
EX1_FANO_WINDOW: float = 100.0


def regular_fano_factor(isi: float, window: float) -> float:
    """Fano factor of the spike counts of a perfectly regular train (interval ``isi``, ms) in
    windows of length ``window`` (ms) placed at a random phase.

    A window holds ``k = floor(window / isi)`` or ``k + 1`` spikes, the latter with probability
    ``p = window / isi - k``, so the variance is ``p (1 - p)`` and the mean ``window / isi``:
    ``F = p (1 - p) / (window / isi)``, zero only when the window holds a whole number of
    intervals.

    Parameters
    ----------
    isi : float
        Inter-spike interval (ms), > 0.
    window : float
        Counting window (ms), > 0.

    Returns
    -------
    float
        The Fano factor (dimensionless), in [0, 1/4).
    """
    isi = check_positive(isi, "isi", "ms")
    window = check_positive(window, "window", "ms")
    mean = window / isi
    p = mean - np.floor(mean)
    return float(p * (1.0 - p) / mean)


@exercise
def check_regular_fano(answer: Any) -> bool:
    """Exercise ex-regular-fano: the Fano factor of a regular train with interval :data:`EX1_REGULAR_ISI`
    counted in windows of :data:`EX1_FANO_WINDOW` at a random phase (to 0.001)."""
    got = _number(answer, "answer must be a number (the Fano factor)")
    expected = regular_fano_factor(EX1_REGULAR_ISI, EX1_FANO_WINDOW)
    if abs(got - expected) <= 1e-3:
        return report(True, f"right: F = {expected:.4f}, small but not 0; the CV of the same train is exactly 0.", "")
    if got == 0:
        return report(False, "", "a regular train has CV 0, but how many spikes can a 100 ms window catch: always the same?")
    return report(False, "", f"{got:.4g} is off; list the possible counts in a window, their probabilities, "
                             "then the variance and the mean")


#: Exercise ex-psth-predict: the population sizes compared in the spike-train explorer (neurons).
EX1_PSTH_NEURONS: tuple[int, int] = (25, 100)
_PSTH_SETTINGS: dict[str, float] = {"rate": 20.0, "duration": 3000.0, "bin_width": 20.0}


def psth_scatter(n_neurons: int) -> float:
    """Root-mean-square deviation (Hz) of the PSTH from the true rate in the chapter's
    spike-train explorer (20 Hz, 3 s, 20 ms bins), as the widget's own update draws it."""
    from ..widgets import spike_train_explorer

    n_neurons = check_int(n_neurons, "n_neurons", minimum=1, maximum=1000)
    app = spike_train_explorer(n_neurons=n_neurons, **_PSTH_SETTINGS)
    psth = np.asarray(app.line_psth.get_ydata(), dtype=float)[:-1]  # the last step is repeated
    return float(np.sqrt(np.mean((psth - _PSTH_SETTINGS["rate"]) ** 2)))


#: Measured factors by (neurons, settings): the widget is seeded, so one measurement per setting.
_PSTH_FACTORS: dict[tuple, float] = {}


def _psth_factor(small: int, large: int) -> float:
    key = (small, large, tuple(sorted(_PSTH_SETTINGS.items())))
    if key not in _PSTH_FACTORS:
        _PSTH_FACTORS[key] = psth_scatter(small) / psth_scatter(large)
    return _PSTH_FACTORS[key]


@exercise
def check_psth_scatter_prediction(answer: Any) -> bool:
    """Exercise ex-psth-predict: predicted factor by which the PSTH's scatter around the true rate shrinks
    from :data:`EX1_PSTH_NEURONS` [0] to [1] neurons; compared with the widget (within 25 %)."""
    got = _number(answer, "answer must be a number (a factor, e.g. 3)")
    small, large = EX1_PSTH_NEURONS
    measured = _psth_factor(small, large)
    if abs(got - measured) <= 0.25 * measured:
        return report(True, f"right: the widget's scatter shrinks by {measured:.2f}, close to sqrt({large // small}); "
                            "the count in a bin is Poisson, so its sd grows like the square root of its mean.", "")
    hint = ("four times the neurons is not four times less noise" if got > measured
            else "more neurons do average the noise away")
    return report(False, "", f"the widget's scatter shrinks by {measured:.2f}, not {got:.3g}: {hint}")
