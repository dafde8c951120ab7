"""Every widget of the book: median and p95 of 20 varied updates (compute + redraw + PNG).

The update is what a student waits for after moving a slider: ``app.update(**params)``
followed by ``app.render()`` (Agg draw and PNG encoding, as Jupyter displays it).
Widgets are found in ``neurolib.widgets.WIDGETS`` (filled by ``@register`` in each chapter's
module ``neurolib/widgets/<topic>.py``), so a new widget is benchmarked as
soon as it is registered there.
"""

from __future__ import annotations

import time

import numpy as np

from _harness import Row
from neurolib.widgets import WIDGETS

BUDGET_S = 0.100
N_UPDATES = 20


def run() -> list[Row]:
    rows = []
    for name, factory in WIDGETS.items():
        app = factory()
        app.render()  # warm-up: fonts, caches
        rng = np.random.default_rng(0)
        times = []
        for _ in range(N_UPDATES):
            params = app.sample_params(rng)
            start = time.perf_counter()
            app.update(**params)
            app.render()
            times.append(time.perf_counter() - start)
        rows.append(Row(f"widget {name}", times, BUDGET_S))
    return rows
