"""Spike trains (chapter 01): a large seeded population raster + PSTH, kernel rate, lesions.

Each row is one call of a ``neurolib.spikes`` function at the size a student might try:
10 000 Poisson neurons at 20 Hz for 10 s (2 million spikes) and their PSTH, an
inhomogeneous population, a Gaussian-kernel rate and the lesion experiment of the chapter.
"""

from __future__ import annotations

import numpy as np

from _harness import Row, measure
from neurolib import spikes as sp

N_NEURONS, RATE, DURATION = 10_000, 20.0, 10_000.0  # neurons, Hz, ms


def _raster_and_psth() -> None:
    trains = sp.poisson_spike_trains(RATE, DURATION, N_NEURONS, seed=0)
    sp.psth(trains, 10.0)


def _inhomogeneous() -> None:
    trains = sp.inhomogeneous_poisson_spike_trains(
        lambda t: 20.0 + 15.0 * np.sin(2 * np.pi * t / 250.0), DURATION, 1000, rate_max=35.0, seed=0
    )
    sp.psth(trains, 25.0)


_KERNEL_TRAINS = sp.poisson_spike_trains(RATE, DURATION, 1000, seed=1)


def _kernel_rate() -> None:
    sp.sliding_window_rate(_KERNEL_TRAINS, 20.0, kernel="gaussian", dt=1.0)


def _lesions() -> None:
    sp.lesion_experiment(np.linspace(0.0, 0.9, 10), n_neurons=100, seed=5)


def run() -> list[Row]:
    return [
        Row("spikes poisson 10k neurons x 10 s + PSTH", measure(_raster_and_psth, repeats=5),
            note=f"{int(N_NEURONS * RATE * DURATION / 1000):,} spikes"),
        Row("spikes inhomogeneous 1k x 10 s + PSTH", measure(_inhomogeneous, repeats=5)),
        Row("spikes gaussian kernel rate 1k x 10 s", measure(_kernel_rate, repeats=5)),
        Row("spikes lesion experiment (chapter 01)", measure(_lesions, repeats=3)),
    ]
