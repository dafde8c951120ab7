"""Chapter 10 (neurolib.surrogate): training a spiking network with surrogate gradients.

The issue's budget: the chapter's experiment — one hidden LIF layer and a leaky read-out
trained on two moons for three seeds, compared with chapter 08's MLP — in under 30 s on the
2-core machine. Also timed: one training run, the relaxed-network gradient check, and the
steepness sweep of gradient norms that the chapter's widget draws (one slider move
recomputes at most one sweep; the 100 ms budget of a widget update applies to it).
"""

from __future__ import annotations

import numpy as np

from _harness import Row, measure
from neurolib import dense
from neurolib import surrogate as sg


def run() -> list[Row]:
    rows = [
        Row(
            "surrogate: compare_with_mlp, 3 seeds",
            measure(lambda: sg.compare_with_mlp(seeds=(0, 1, 2)), repeats=3, warmup=0),
            budget=30.0,
            note="3 x (SNN 30 epochs + MLP 100 epochs), 200 train / 400 test points",
        ),
        Row(
            "surrogate: train_moons, 1 seed",
            measure(lambda: sg.train_moons(0), repeats=5),
            note="20 steps, 20 inputs, 16 LIF, Adam, 30 epochs",
        ),
    ]
    data = sg.encode_moons(dense.make_moons(200, 400, 0.15, seed=0))
    net = sg.SpikingNet(data.X_train.shape[1], 16, seed=0)
    x, labels = data.X_train[:, :, :8], data.y_train[:8]
    Y = net.targets(labels)
    rows.append(
        Row(
            "surrogate: relaxed gradient check, 8 examples",
            measure(
                lambda: dense.gradient_check(
                    lambda: net.cost(x, Y, relaxed=True), net.parameters(), net.gradients(x, Y, relaxed=True)
                ),
                repeats=3,
            ),
            note="352 weights, central differences",
        )
    )
    ks = np.geomspace(0.1, 100.0, 25)
    rows.append(
        Row(
            "surrogate: steepness sweep, 25 k x 200 points",
            measure(lambda: sg.steepness_sweep(net, data.X_train, data.y_train, ks), repeats=10),
            budget=0.1,
            note="gradient norms per layer and time step (widget data)",
        )
    )

    from neurolib.widgets.surrogate import SurrogateExplorer, surrogate_explorer

    def precompute() -> None:
        SurrogateExplorer.clear_cache()
        surrogate_explorer()

    rows.append(
        Row(
            "surrogate: widget creation (precompute)",
            measure(precompute, repeats=2, warmup=0),
            note=f"{1 + len(SurrogateExplorer.SURROGATES) * len(SurrogateExplorer.STEEPNESSES)} runs, once per kernel",
        )
    )
    app = surrogate_explorer()
    app.render()
    gen = np.random.default_rng(0)

    def update() -> None:
        app.update(**app.sample_params(gen))
        app.render()

    rows.append(Row("surrogate: widget update + render", measure(update, repeats=20), budget=0.1, note="after precompute"))
    return rows
