"""The interactive figure of chapter 10, surrogate gradients (model: :mod:`neurolib.surrogate`).

Shared machinery: :mod:`neurolib.widgets.base`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .. import surrogate as _sg
from .._checks import check_choice, check_real_scalar
from ..plotting import COLORS, new_figure
from .base import WidgetApp, register

__all__ = ["SurrogateExplorer", "surrogate_explorer"]


class SurrogateExplorer(WidgetApp):
    """What the steepness of the surrogate derivative does to the gradient and to learning.

    The network is the chapter's: 20 latency-coded inputs (two moons, seed 0), 16 hidden LIF
    neurons and a leaky read-out (:func:`neurolib.surrogate.train_moons`). Three panels:

    1. the surrogate ``σ′(v − 1)`` against the membrane potential ``v``, over the distribution
       of the hidden neurons' potentials at initialisation (grey): only potentials under the
       bump pass an error back;
    2. ``‖∂C/∂v[t]‖`` at initialisation for every time step ``t`` (BPTT runs right to left);
    3. the test accuracy while training with that surrogate (Adam), against training the
       read-out alone (what the true derivative of the spike, zero, allows).

    The training runs are computed once per kernel for every (surrogate, steepness) the
    controls offer (:meth:`precompute`, a few seconds), so moving a slider only redraws.
    """

    name = "surrogate_explorer"
    #: The control(s) the website's pre-drawn figure lets a reader move (base.WidgetApp.explorable).
    explorable = ("surrogate", "steepness")
    SURROGATES: ClassVar[tuple[str, ...]] = tuple(_sg.SURROGATES)
    STEEPNESSES: ClassVar[tuple[float, ...]] = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
    #: Training runs of the third panel: epochs, training and test points, seed.
    EPOCHS: ClassVar[int] = 12
    N_TRAIN: ClassVar[int] = 200
    N_TEST: ClassVar[int] = 100
    SEED: ClassVar[int] = 0
    V_RANGE: ClassVar[tuple[float, float]] = (-1.0, 3.0)
    YLIM_SURROGATE: ClassVar[tuple[float, float]] = (1e-4, 1e2)
    YLIM_TIME: ClassVar[tuple[float, float]] = (1e-6, 1e3)

    #: Test-accuracy curves by (surrogate, steepness), and the read-out-only baseline under
    #: the key ("readout only", 0.0); shared by all instances (every run is seeded).
    _RUNS: ClassVar[dict[tuple[str, float], np.ndarray]] = {}

    def __init__(self, **params: Any) -> None:
        self._checked(params)  # before the network is built and trained
        start = self._train(self.SURROGATES[0], _sg.STEEPNESS, epochs=0)
        self.net, self.data = start.net, start.data
        self.x, self.labels = self.data.X_train, self.data.y_train
        self.net.hidden_spikes(self.x)
        v = self.net.hidden.membrane().ravel()
        self.v_edges = np.linspace(*self.V_RANGE, 81)
        counts, _ = np.histogram(v, bins=self.v_edges)
        self.v_fraction = counts / v.size  # fraction of all potentials (t, neuron, example) per bin
        self.v_grid = np.linspace(*self.V_RANGE, 401)
        self.precompute()
        super().__init__(**params)

    @classmethod
    def _train(cls, surrogate: str, steepness: float, *, epochs: int, train_hidden: bool = True) -> _sg.MoonsRun:
        return _sg.train_moons(
            cls.SEED, n_train=cls.N_TRAIN, n_test=cls.N_TEST, epochs=epochs,
            surrogate=surrogate, steepness=steepness, train_hidden=train_hidden,
        )

    @classmethod
    def clear_cache(cls) -> None:
        """Forget every cached training run (for benchmarks of :meth:`precompute`)."""
        cls._RUNS.clear()

    def run(self, surrogate: str, steepness: float) -> np.ndarray:
        """Test accuracy after every epoch (index 0: before training), cached."""
        checked = self._checked({"surrogate": surrogate, "steepness": steepness})
        return self._run(checked["surrogate"], checked["steepness"])

    def _run(self, surrogate: str, steepness: float) -> np.ndarray:
        """:meth:`run` for values that are already checked (the update path, the precompute)."""
        key = (surrogate, float(steepness))
        if key not in self._RUNS:
            self._RUNS[key] = self._train(surrogate, steepness, epochs=self.EPOCHS).history.test_accuracy
        return self._RUNS[key]

    def baseline(self) -> np.ndarray:
        """Test accuracy when only the read-out learns, cached."""
        key = ("readout only", 0.0)
        if key not in self._RUNS:
            run = self._train(self.SURROGATES[0], _sg.STEEPNESS, epochs=self.EPOCHS, train_hidden=False)
            self._RUNS[key] = run.history.test_accuracy
        return self._RUNS[key]

    def precompute(self) -> "SurrogateExplorer":
        """Train every (surrogate, steepness) pair the controls offer, and the baseline."""
        self.baseline()
        for surrogate in self.SURROGATES:
            for k in self.STEEPNESSES:
                self._run(surrogate, k)
        return self

    def defaults(self) -> dict[str, Any]:
        return {"surrogate": "fast_sigmoid", "steepness": 3.0}

    def _setup(self) -> None:
        self.fig, (self.ax_s, self.ax_t, self.ax_c) = new_figure(1, 3, figsize=(10.0, 3.4))
        grey = COLORS["reference"]
        ax = self.ax_s
        ax.stairs(np.maximum(self.v_fraction, 1e-12), self.v_edges, color=grey, fill=True, alpha=0.35, baseline=1e-12)
        ax.axvline(1.0, color=grey, lw=0.8, ls="--")
        (self.line_s,) = ax.plot([], [], color=COLORS["derivative"])
        ax.set_yscale("log")
        ax.set_xlim(*self.V_RANGE)
        ax.set_ylim(*self.YLIM_SURROGATE)
        ax.set_xlabel("membrane potential v (threshold 1)")
        ax.set_ylabel("σ′(v − 1); grey: fraction of v")
        ax.set_title("surrogate and potentials")

        ax = self.ax_t
        (self.line_t,) = ax.plot([], [], "o-", color=COLORS["function"], ms=3)
        ax.set_yscale("log")
        ax.set_xlim(-0.5, self.x.shape[0] - 0.5)
        ax.set_ylim(*self.YLIM_TIME)
        ax.set_xlabel("time step t")
        ax.set_ylabel("‖∂C/∂v[t]‖ (hidden layer)")
        ax.set_title("error through time")

        ax = self.ax_c
        epochs = np.arange(self.EPOCHS + 1)
        ax.plot(epochs, self.baseline(), "--", color=grey, lw=1.2, label="read-out only")
        (self.line_c,) = ax.plot([], [], color=COLORS["highlight"], label="surrogate gradient")
        ax.set_xlim(0, self.EPOCHS)
        ax.set_ylim(0.4, 1.0)
        ax.set_xlabel("epoch")
        ax.set_ylabel("test accuracy")
        ax.legend(loc="lower right")
        ax.set_title("training")

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        check_choice(params["surrogate"], "surrogate", self.SURROGATES)
        k = check_real_scalar(params["steepness"], "steepness")
        return {"surrogate": params["surrogate"], "steepness": k}

    def compute(self, surrogate: str, steepness: float) -> tuple[np.ndarray, _sg.GradientNorms]:
        """σ′ on the potential grid, and the gradient norms of the initial network."""
        s = _sg.get_surrogate(surrogate, steepness)
        self.net.set_surrogate(s)
        return s.derivative(self.v_grid - 1.0), _sg.gradient_norms(self.net, self.x, self.labels)

    def _draw(self, params: dict[str, Any]) -> None:
        surrogate, k = params["surrogate"], params["steepness"]
        derivative, norms = self.compute(surrogate, k)
        lo, hi = self.YLIM_SURROGATE
        self.line_s.set_data(self.v_grid, np.clip(derivative, lo / 10, hi * 10))
        self.ax_s.set_title(f"{surrogate.replace('_', ' ')}, k = {k:g}")
        lo, hi = self.YLIM_TIME
        t = np.arange(norms.per_time.size)
        self.line_t.set_data(t, np.clip(norms.per_time, lo / 10, hi * 10))
        self.ax_t.set_title(f"‖∂C/∂W‖ hidden {norms.layers['hidden.W']:.2g}, out {norms.layers['readout.W']:.2g}")
        curve = self._run(surrogate, k)
        self.line_c.set_data(np.arange(curve.size), curve)
        self.ax_c.set_title(f"accuracy {curve[-1]:.2f}; read-out only {self.baseline()[-1]:.2f}")

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        return {
            "surrogate": ipywidgets.Dropdown(
                options=list(self.SURROGATES), value=self.params["surrogate"], description="σ′"
            ),
            "steepness": ipywidgets.SelectionSlider(
                options=list(self.STEEPNESSES), value=self.params["steepness"], description="steepness k"
            ),
        }

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        return {
            "surrogate": str(rng.choice(self.SURROGATES)),
            "steepness": float(rng.choice(self.STEEPNESSES)),
        }


@register
def surrogate_explorer(surrogate: str = "fast_sigmoid", steepness: float = 3.0) -> SurrogateExplorer:
    """Surrogate steepness against the gradient through time and the training curve (chapter 10).

    Parameters
    ----------
    surrogate : {"fast_sigmoid", "sigmoid", "triangle"}
        The pseudo-derivative (:data:`neurolib.surrogate.SURROGATES`).
    steepness : float, default 3.0
        Its steepness k, one of :attr:`SurrogateExplorer.STEEPNESSES` (0.1 to 100).

    Returns
    -------
    SurrogateExplorer
        Display it for the static figure; ``.ui`` for the interactive version.
    """
    return SurrogateExplorer(surrogate=surrogate, steepness=steepness)
