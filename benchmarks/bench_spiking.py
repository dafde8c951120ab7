"""Chapter 04: Izhikevich and AdEx simulations, one simulated second each (no budget).

These are the costs that chapter 04's detail-versus-cost figure measures again when it
is built: one neuron (plain-float loop) and a batch (NumPy arrays, one column per neuron).
"""

from __future__ import annotations

from _harness import Row, measure
from neurolib import spiking as sp

T_MS = 1000.0


def run() -> list[Row]:
    adex_names = list(sp.ADEX_PRESETS)
    adex_currents = [sp.ADEX_CURRENTS[n] for n in adex_names]
    cases = {
        "izhikevich paper 1 s (1 neuron, dt 1)": lambda: sp.simulate_izhikevich("RS", 10.0, T_MS, scheme="paper"),
        "izhikevich euler 1 s (1 neuron, dt 0.05)": lambda: sp.simulate_izhikevich(
            "RS", 10.0, T_MS, scheme="euler", dt=0.05
        ),
        "adex 1 s (1 neuron, dt 0.05)": lambda: sp.simulate_adex("tonic", 500.0, T_MS, dt=0.05),
        "adex 1 s (8 presets batched, dt 0.05)": lambda: sp.simulate_adex(adex_names, adex_currents, T_MS, dt=0.05),
        "izhikevich euler 1 s (1000 neurons, dt 0.05)": lambda: sp.simulate_izhikevich(
            "RS", [10.0] * 1000, T_MS, scheme="euler", dt=0.05
        ),
    }
    return [Row(name, measure(fn, repeats=3, warmup=1)) for name, fn in cases.items()]
