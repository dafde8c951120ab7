"""Chapter 08 (neurolib.dense): one training epoch, a gradient check, the widget's precompute.

The widget itself (every slider move) is timed by ``bench_widgets.py`` against the 100 ms
budget; what it does not see is the one-off cost of training every (width, rate) pair when the
widget is created, timed here, together with the two computations the chapter runs most.
"""

from __future__ import annotations

from _harness import Row, measure
from neurolib import dense
from neurolib.widgets import DenseTrainer


def run() -> list[Row]:
    data = dense.make_moons(200, 400, 0.15, seed=0)
    model = dense.MLP((2, 16, 2), "tanh", seed=1)
    rows = [
        Row(
            "dense: 1 SGD epoch, 2-16-2 net, 200 points",
            measure(lambda: dense.train(model, data, epochs=1, learning_rate=1.0, batch_size=20, seed=2), repeats=20),
            note="10 mini-batches of 20",
        )
    ]
    X, Y = data.X_train[:, :10], model.targets(data.y_train[:10])
    rows.append(
        Row(
            "dense: gradient check, 2-16-2 net (82 params)",
            measure(lambda: dense.gradient_check(lambda: model.cost(X, Y), model.parameters(), model.gradients(X, Y))),
            note="central differences, batch of 10",
        )
    )

    def precompute() -> None:
        DenseTrainer.clear_cache()
        DenseTrainer(width=16, learning_rate=1.0, epoch=40).precompute()

    n_runs = len(DenseTrainer.WIDTHS) * len(DenseTrainer.RATES)
    rows.append(
        Row(
            "dense: widget precompute (all runs)",
            measure(precompute, repeats=2, warmup=0),
            note=f"{n_runs} training runs of {DenseTrainer.EPOCHS} epochs, once per kernel",
        )
    )
    return rows
