"""Chapter 09 (neurolib.deep): gradient norms of a deep net and the chapter's remedy comparisons.

The widget itself (every slider move) is timed by ``bench_widgets.py`` against the 100 ms
budget; here are the computations behind it and behind the chapter's main figure.
"""

from __future__ import annotations

from _harness import Row, measure
from neurolib import deep, dense


def run() -> list[Row]:
    data = dense.make_moons(200, 400, 0.15, seed=0)
    net = deep.DeepNet(2, 10, 16, seed=0)
    rows = [
        Row(
            "deep: gradient norms, 10-layer net, 200 points",
            measure(lambda: deep.gradient_norms(net, data.X_train, data.y_train), repeats=20),
            note="one forward and backward pass",
        ),
        Row(
            "deep: train_seeds, 6 seeds x 60 epochs (one setup)",
            measure(lambda: deep.train_seeds("baseline", data, range(6)), repeats=2, warmup=0),
            note="one of the chapter's 12 multi-seed runs",
        ),
        Row(
            "deep: train_seeds with batch normalisation, 6 seeds x 60 epochs",
            measure(lambda: deep.train_seeds("batch_norm", data, range(6)), repeats=2, warmup=0),
            note="the slowest setup of the chapter",
        ),
        Row(
            "deep: compare_remedies, 7 runs x 60 epochs",
            measure(lambda: deep.compare_remedies(data, epochs=60, learning_rate=0.5), repeats=2, warmup=0),
            note="the chapter's comparison figure",
        ),
    ]
    return rows
