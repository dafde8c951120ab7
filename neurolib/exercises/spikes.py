"""Exercise checks of chapter 01, spike trains (model: :mod:`neurolib.spikes`).

Shared machinery: :mod:`neurolib.exercises.base`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import spikes as _spikes
from .base import check_function, exercise, report, _number

__all__ = ["check_cv", "EX1_RATE", "EX1_WINDOW", "check_silence_probability"]


def _reference_cv(times: np.ndarray) -> float:
    return _spikes.cv(np.diff(times))


@exercise
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


@exercise
def check_silence_probability(answer: Any) -> bool:
    """Exercise 1.3: the probability that a Poisson neuron at :data:`EX1_RATE` emits no spike in a
    window of :data:`EX1_WINDOW` (exact value, to 0.1 %)."""
    got = _number(answer, "answer must be a probability (a number)")
    expected = float(np.exp(-EX1_RATE * EX1_WINDOW / 1000.0))
    if abs(got - expected) <= 1e-3 * expected:
        return report(True, f"right: P(no spike) = exp(-{EX1_RATE * EX1_WINDOW / 1000:g}) = {expected:.4f}.", "")
    if abs(got - expected) <= 0.05 * expected:
        return report(False, "", f"{got:.4f} is close, like a simulation estimate: give the exact value")
    return report(False, "", f"{got:.4g} is off; how many spikes does the neuron emit on average in the window?")
