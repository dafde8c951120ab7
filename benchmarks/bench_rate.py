"""Chapter 05: a reservoir of N = 1000 tanh units for 1000 steps, and one rate neuron.

The reservoir costs one 1000 x 1000 matrix-vector product per step; the line reports the
median and p95 of a few runs (no budget: this is a simulation benchmark, not a widget).
"""

from __future__ import annotations

import numpy as np

from _harness import Row, measure
from neurolib import rate

N_UNITS = 1000
N_STEPS = 1000


def run() -> list[Row]:
    net = rate.make_reservoir(N_UNITS, g=1.5, seed=0)
    inputs = np.sin(2 * np.pi * np.arange(N_STEPS) / 50.0)
    reservoir = measure(lambda: rate.simulate_reservoir(net, inputs, dt=1.0), repeats=5)
    drive = np.random.default_rng(0).uniform(-1, 1, size=(100_000, 10))
    weights = np.linspace(-1, 1, 10)
    neuron = measure(lambda: rate.simulate_neuron(drive, weights, dt=0.1, transfer="logistic"), repeats=5)
    return [
        Row(f"rate reservoir N={N_UNITS}, {N_STEPS} steps", reservoir),
        Row("rate neuron 10 inputs, 100000 steps", neuron),
    ]
