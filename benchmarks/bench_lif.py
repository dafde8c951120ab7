"""Chapter 03: a population of 10,000 LIF neurons, 1 s of model time at dt = 0.1 ms.

Inputs are spread evenly over v_in in [0.5, 3] (a fifth of the neurons stay below threshold,
the others fire at up to ~95 Hz: about 480,000 spikes in all). On the 2-core reference
machine a compiled C loop takes about 0.13 s and a plain NumPy loop (temporaries at every
step) about 0.76 s; the budget is twice the C loop. :func:`neurolib.lif.simulate` updates
in place (``np.multiply(v, decay, out=v)``, ``np.add(v, b, out=v)``) and touches only the
neurons that spike.

The budget applies to the grid scheme (``interpolate=False``, what the C loop computes);
the exact spike-time interpolation, which does more work per spike, is reported alongside.
"""

from __future__ import annotations

import numpy as np

from _harness import Row, measure
from neurolib import lif

N_NEURONS = 10_000
T_MAX = 1000.0  # ms
DT = 0.1  # ms
C_LOOP_S = 0.13
BUDGET_S = 2 * C_LOOP_S


def run() -> list[Row]:
    v_in = np.linspace(0.5, 3.0, N_NEURONS)
    rows = []
    for interpolate, budget, repeats in [(False, BUDGET_S, 7), (True, None, 3)]:
        spikes = []

        def simulate() -> None:
            res = lif.simulate(v_in, T_MAX, dt=DT, interpolate=interpolate, record=False)
            spikes.append(res.spike_times.size)

        times = measure(simulate, repeats=repeats, warmup=1)
        label = "interpolated" if interpolate else "grid"
        rows.append(
            Row(
                f"lif 10k neurons x 1 s, dt 0.1 ms ({label})",
                times,
                budget,
                f"{spikes[-1]:,} spikes; C loop ~{C_LOOP_S:.2f} s",
            )
        )
    return rows


if __name__ == "__main__":
    for row in run():
        print(row.line())
