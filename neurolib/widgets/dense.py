"""The interactive figure of chapter 08, gradients of a dense layer (model: :mod:`neurolib.dense`).

Shared machinery: :mod:`neurolib.widgets.base`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .. import dense as _dense
from .._checks import check_bool, check_int, check_positive, check_real_scalar
from ..plotting import COLORS, new_figure
from .base import WidgetApp, register, _pale

__all__ = ["DenseTrainer", "dense_trainer"]


def _pale(colour: str, amount: float = 0.45) -> tuple[float, float, float]:
    """``colour`` mixed with white (``amount`` of the colour)."""
    from matplotlib.colors import to_rgb

    return tuple(amount * c + (1.0 - amount) for c in to_rgb(colour))


class DenseTrainer(WidgetApp):
    """A 2-width-2 network trained by SGD on the two moons: decision boundary and loss curves.

    Training runs once per (width, learning rate) and is cached with the parameters after
    every epoch (:meth:`precompute` trains all of them at once); moving the epoch slider
    then only evaluates the stored network on a grid and redraws.
    """

    name = "dense_trainer"
    #: The control(s) the website's pre-drawn figure lets a reader move (base.WidgetApp.explorable).
    explorable = ("epoch",)
    #: Hidden widths and learning rates offered by the sliders.
    WIDTHS: ClassVar[tuple[int, ...]] = (2, 4, 8, 16, 32)
    RATES: ClassVar[tuple[float, ...]] = (0.1, 0.3, 1.0, 3.0)
    #: Epochs of every training run; batch size; seeds of data, weights and shuffling.
    EPOCHS: ClassVar[int] = 40
    BATCH: ClassVar[int] = 20
    SEEDS: ClassVar[tuple[int, int, int]] = (0, 1, 2)
    XLIM: ClassVar[tuple[float, float]] = (-1.6, 2.6)
    YLIM: ClassVar[tuple[float, float]] = (-1.1, 1.6)
    GRID: ClassVar[int] = 60

    #: Training histories by (width, rate), shared by all instances: every run is seeded,
    #: so a second widget in the same kernel (or test session) reuses the first one's runs.
    _RUNS: ClassVar[dict[tuple[int, float], _dense.TrainingHistory]] = {}

    def __init__(self, **params: Any) -> None:
        self._checked(params)  # before the data and the models are made
        self.data = _dense.make_moons(200, 400, 0.15, seed=self.SEEDS[0])
        self._models = {w: _dense.MLP((2, w, 2), "tanh", seed=self.SEEDS[1]) for w in self.WIDTHS}
        super().__init__(**params)

    @classmethod
    def clear_cache(cls) -> None:
        """Forget every cached training run (for benchmarks of :meth:`precompute`)."""
        cls._RUNS.clear()

    def defaults(self) -> dict[str, Any]:
        return {"width": 16, "learning_rate": 1.0, "epoch": self.EPOCHS}

    def run(self, width: int, learning_rate: float) -> _dense.TrainingHistory:
        """The (cached) training history for one hidden width and learning rate."""
        width = check_int(width, "width", minimum=1, maximum=1024)
        learning_rate = check_positive(learning_rate, "learning_rate")
        key = (width, learning_rate)
        if key not in self._RUNS:
            model = _dense.MLP((2, width, 2), "tanh", seed=self.SEEDS[1])
            self._RUNS[key] = _dense.train(
                model, self.data, epochs=self.EPOCHS, learning_rate=learning_rate,
                batch_size=self.BATCH, seed=self.SEEDS[2], keep_states=True,
            )
        return self._RUNS[key]

    def precompute(self) -> "DenseTrainer":
        """Train every (width, learning rate) pair now, so that every update only redraws."""
        for width in self.WIDTHS:
            for rate in self.RATES:
                self.run(width, rate)
        return self

    def _setup(self) -> None:
        from matplotlib.colors import LinearSegmentedColormap

        blue, red = COLORS["excitatory"], COLORS["inhibitory"]
        # Pale versions of the two class colours (mixed with white): no alpha blending
        # at every redraw, and the data points stay visible on top.
        cmap = LinearSegmentedColormap.from_list("moons", [_pale(blue), "white", _pale(red)])
        self.fig, (self.ax_map, self.ax_loss) = new_figure(1, 2, figsize=(8.5, 3.4))
        ax = self.ax_map
        extent = (*self.XLIM, *self.YLIM)
        self.image = ax.imshow(
            np.full((self.GRID, self.GRID), 0.5), extent=extent, origin="lower", cmap=cmap,
            vmin=0.0, vmax=1.0, aspect="auto", interpolation="nearest",
        )
        X, y = self.data.X_test, self.data.y_test
        for label, colour in ((0, blue), (1, red)):
            ax.scatter(X[0, y == label], X[1, y == label], s=5, color=colour, lw=0)
        ax.set_xlim(*self.XLIM)
        ax.set_ylim(*self.YLIM)
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.locator_params(nbins=5)
        axl = self.ax_loss
        (self.train_line,) = axl.plot([], [], color=COLORS["function"], label="training loss")
        (self.test_line,) = axl.plot([], [], color=COLORS["derivative"], ls="--", label="test loss")
        self.marker = axl.axvline(self.EPOCHS, color=COLORS["reference"], lw=1)
        axl.set_xlim(0, self.EPOCHS)
        axl.set_ylim(0.0, 0.8)
        axl.set_ylabel("cross-entropy loss")
        axl.locator_params(nbins=5)
        ax.set_title("decision boundary")
        axl.set_title("loss")
        # No legend (it costs a tenth of a redraw): the x label says which line is which.
        axl.set_xlabel("epoch (solid: training set, dashed: test set)")

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        width = params["width"]
        if isinstance(width, bool) or not isinstance(width, (int, np.integer)):
            raise TypeError(f"width must be an integer, one of {self.WIDTHS}, got {type(width).__name__} {width!r}")
        if width not in self.WIDTHS:
            raise ValueError(f"width must be one of {self.WIDTHS}, got {width!r}")
        rate = check_real_scalar(params["learning_rate"], "learning_rate")
        match = [r for r in self.RATES if abs(r - rate) <= 1e-9 * r]
        if not match:
            raise ValueError(f"learning_rate must be one of {self.RATES}, got {rate:g}")
        epoch = params["epoch"]
        if isinstance(epoch, bool) or not isinstance(epoch, (int, np.integer)) or not 0 <= epoch <= self.EPOCHS:
            raise ValueError(f"epoch must be an integer in 0..{self.EPOCHS}, got {epoch!r}")
        return {"width": int(width), "learning_rate": match[0], "epoch": int(epoch)}

    def _draw(self, params: dict[str, Any]) -> None:
        width, rate, epoch = params["width"], params["learning_rate"], params["epoch"]
        history = self.run(width, rate)
        model = self._models[width]
        model.set_state(history.states[epoch])
        self.image.set_data(_dense.probability_grid(model, self.XLIM, self.YLIM, self.GRID))
        self.train_line.set_data(history.epochs, history.train_loss)
        self.test_line.set_data(history.epochs, history.test_loss)
        self.marker.set_xdata([epoch, epoch])
        self.ax_map.set_title(
            f"width {width}, rate {rate:g}, epoch {epoch}: test accuracy {100 * history.test_accuracy[epoch]:.1f} %"
        )
        self.ax_loss.set_title(f"loss at epoch {epoch}: {history.train_loss[epoch]:.3f} (training)")

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        return {
            "width": ipywidgets.SelectionSlider(options=list(self.WIDTHS), value=self.params["width"], description="width"),
            "learning_rate": ipywidgets.SelectionSlider(
                options=list(self.RATES), value=self.params["learning_rate"], description="rate"
            ),
            "epoch": ipywidgets.IntSlider(value=self.params["epoch"], min=0, max=self.EPOCHS, description="epoch"),
        }

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        return {
            "width": int(rng.choice(self.WIDTHS)),
            "learning_rate": float(rng.choice(self.RATES)),
            "epoch": int(rng.integers(0, self.EPOCHS + 1)),
        }


@register
def dense_trainer(
    width: int = 16, learning_rate: float = 1.0, epoch: int = 40, *, precompute: bool = True
) -> DenseTrainer:
    """Train a 2-width-2 tanh network on the two moons and show its decision boundary (chapter 08).

    Parameters
    ----------
    width : int, default 16
        Hidden units, one of :attr:`DenseTrainer.WIDTHS`.
    learning_rate : float, default 1.0
        SGD step size (dimensionless), one of :attr:`DenseTrainer.RATES`.
    epoch : int, default 40
        Which epoch of the training run to show (0 = the random initial network).
    precompute : bool, default True
        Train all width × rate pairs now (about 2 s), so that every slider move only
        redraws; if False, each pair is trained the first time it is shown.

    Returns
    -------
    DenseTrainer
        Display it for the static figure; ``.ui`` for the interactive version.
    """
    precompute = check_bool(precompute, "precompute")
    app = DenseTrainer(width=width, learning_rate=learning_rate, epoch=epoch)
    return app.precompute() if precompute else app
