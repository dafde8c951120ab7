"""Chapter 06 simulations: the learning-rate sweep and the perceptron rule.

* ``batch_epochs_to_converge`` over 67 learning rates on the elongated error surface of
  the chapter (the slowest cell of the notebook: up to ~4000 vectorised epochs);
* the perceptron rule for 100 epochs on 100 non-separable points (a Python loop over
  cases, as in the chapter).
"""

from __future__ import annotations

import numpy as np

from _harness import Row, measure
from neurolib import neuron


def run() -> list[Row]:
    X_long, t_long = np.array([[1.0, -1.0], [0.0, 0.25]]), np.array([0.0, 0.25])
    lrs = np.linspace(0.1, 1.2, 67) * neuron.critical_learning_rate(X_long)
    X_mix, t_mix = neuron.two_clusters(50, 1.0, seed=0)
    return [
        Row(
            "neuron: learning-rate sweep (67 rates)",
            measure(lambda: neuron.batch_epochs_to_converge(X_long, t_long, lrs, w0=[-1.0, 2.5]), repeats=3),
        ),
        Row(
            "neuron: perceptron, 100 epochs x 100 cases",
            measure(lambda: neuron.perceptron(X_mix, t_mix, max_epochs=100, seed=1), repeats=3),
        ),
    ]
