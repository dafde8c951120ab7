"""Hodgkin–Huxley simulations (chapter 02): one neuron for 1 s, and a 50-current f–I curve.

Both at dt = 0.01 ms, the step that meets the chapter's accuracy target. The one-neuron
run (storing v and the spike times, like the yardstick, which stores v) is compared with two yardsticks (issue 4): a plain Python forward-Euler loop, timed
here on the same machine at the same moment (its time is the budget: neurolib must be at
least as fast), and a compiled C loop, the practical limit, measured once at 0.007 s on the
reference machine where the plain loop took 0.25 s (scaled by the plain loop's time now).
"""

from __future__ import annotations

import math

import numpy as np

from _harness import Row, measure
from neurolib import hh

#: The compiled C loop and the plain Python loop on the reference machine (s), issue 4.
C_LOOP_S = 0.007
PLAIN_LOOP_REF_S = 0.25


def plain_euler_loop(current: float = 10.0, t_max: float = 1000.0, dt: float = 0.01) -> list[float]:
    """The yardstick: forward Euler in plain Python floats, textbook rate functions."""
    v, n, m, h = -65.0, 0.3177, 0.0530, 0.5960
    exp = math.exp
    vs = []
    for _ in range(int(round(t_max / dt))):
        a_n = 0.01 * (v + 55) / (1 - exp(-0.1 * (v + 55)))
        b_n = 0.125 * exp(-(v + 65) / 80)
        a_m = 0.1 * (v + 40) / (1 - exp(-0.1 * (v + 40)))
        b_m = 4 * exp(-(v + 65) / 18)
        a_h = 0.07 * exp(-(v + 65) / 20)
        b_h = 1 / (1 + exp(-0.1 * (v + 35)))
        dv = 0.3 * (-54.387 - v) + 36 * n**4 * (-77 - v) + 120 * m**3 * h * (50 - v) + current
        n += dt * (a_n * (1 - n) - b_n * n)
        m += dt * (a_m * (1 - m) - b_m * m)
        h += dt * (a_h * (1 - h) - b_h * h)
        v += dt * dv
        vs.append(v)
    return vs


def run() -> list[Row]:
    # Alternate the two, so that a burst of load on the machine hits both alike.
    hh.simulate(10.0, 10.0, 0.01)  # warm-up
    plain, ours = [], []
    for _ in range(3):
        plain += measure(plain_euler_loop, repeats=1, warmup=0)
        ours += measure(lambda: hh.simulate(10.0, 1000.0, 0.01, record=False), repeats=1, warmup=0)
    plain_s, ours_s = float(np.median(plain)), float(np.median(ours))
    limit_s = C_LOOP_S * plain_s / PLAIN_LOOP_REF_S
    rows = [
        Row("hh plain-Python Euler loop, 1 s", plain, note="yardstick"),
        Row(
            "hh simulate one neuron, 1 s, dt 0.01",
            ours,
            budget=plain_s,
            note=f"{plain_s / ours_s:.2f}x the plain loop's speed; "
            f"{ours_s / limit_s:.0f}x the C-loop time (limit ~{limit_s * 1e3:.0f} ms now)",
        ),
    ]
    currents = np.linspace(0.0, 20.0, 50)
    fi = measure(lambda: hh.firing_rates(currents, t_max=500.0), repeats=1, warmup=0)
    rows.append(Row("hh f-I curve, 50 currents x 500 ms", fi, note="one vectorised call"))
    return rows
