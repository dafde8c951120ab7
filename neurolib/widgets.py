"""Interactive figures for the notebooks: one factory per widget.

Every widget is a :class:`WidgetApp`: a matplotlib figure, a *pure* ``update(**params)``
method that recomputes and redraws it, and an ipywidgets user interface built on
demand (``app.ui``). Keeping the update logic apart from the browser means it is
unit-tested (``tests/test_widgets.py``) and timed (``make bench``) without Jupyter.

In a notebook::

    app = widgets.activation_explorer()   # figure at default settings
    app                                   # static figure (what the HTML site shows)
    app.ui                                # sliders + live figure (in Jupyter)

To add a widget: subclass :class:`WidgetApp`, write ``defaults``, ``controls``,
``_draw`` and ``sample_params``, add a factory function and register it in
:data:`WIDGETS`; the tests and the benchmark pick it up from there.
"""

from __future__ import annotations

from typing import Any, Callable, ClassVar

import numpy as np

from . import activations as act
from ._checks import check_choice, check_real_scalar
from .plotting import COLORS, CachedRenderer, freeze_layout, new_figure, png_bytes

__all__ = ["WidgetApp", "SpikingExplorer", "spiking_explorer", "ActivationExplorer", "activation_explorer", "WIDGETS", "DenseTrainer", "dense_trainer", "LIFExplorer", "lif_explorer", "SpikeTrainExplorer", "spike_train_explorer", "MembraneExplorer", "membrane_explorer", "ReservoirExplorer", "reservoir_explorer", "HHExplorer", "hh_explorer", "GradientFlowExplorer", "gradient_flow_explorer"]


class WidgetApp:
    """Base class: a figure plus a pure, tested update function.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
        The figure, redrawn in place by :meth:`update`.
    params : dict
        The parameters of the current drawing.
    """

    #: Short name, used by the benchmark and the tests.
    name: ClassVar[str] = "widget"

    def __init__(self, **params: Any) -> None:
        self.params: dict[str, Any] = {}
        self._ui = None
        self._output = None
        self._setup()
        freeze_layout(self.fig)
        self.update(**{**self.defaults(), **params})

    # --- to be written by each widget -----------------------------------------------
    def defaults(self) -> dict[str, Any]:
        """Default parameters (the ones the static figure of the HTML site uses)."""
        raise NotImplementedError

    def _setup(self) -> None:
        """Create ``self.fig`` and the artists that ``_draw`` updates."""
        raise NotImplementedError

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        """Check and normalise parameters; raise ValueError/TypeError naming them."""
        return params

    def _draw(self, params: dict[str, Any]) -> None:
        """Recompute and update the artists for ``params``."""
        raise NotImplementedError

    def controls(self) -> dict[str, Any]:
        """ipywidgets controls, keyed by parameter name."""
        raise NotImplementedError

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        """Random valid, non-default parameters (used by the tests and ``make bench``)."""
        raise NotImplementedError

    # --- shared machinery ------------------------------------------------------------
    def update(self, **params: Any) -> None:
        """Validate ``params`` (merged over the current ones) and redraw the figure.

        Raises
        ------
        ValueError
            For an unknown parameter name or an invalid value.
        """
        unknown = set(params) - set(self.defaults())
        if unknown:
            raise ValueError(
                f"unknown parameter(s) {sorted(unknown)} for {self.name}; valid: {sorted(self.defaults())}"
            )
        new = self._validate({**self.defaults(), **self.params, **params})
        self._draw(new)
        self.params = new

    def render(self) -> bytes:
        """Draw the figure and return it as PNG bytes.

        Axes decorations (ticks, labels, spines) are cached as a bitmap and redrawn only
        when an axis changes (:class:`neurolib.plotting.CachedRenderer`): a redraw then
        costs a fraction of a full one, which keeps widgets within the 100 ms budget.
        """
        if getattr(self, "_renderer", None) is None:
            self._renderer = CachedRenderer(self.fig)
        return self._renderer.render()

    def render_full(self) -> bytes:
        """A full redraw without the cache (the reference that tests compare with)."""
        return png_bytes(self.fig)

    def _repr_png_(self) -> bytes:
        return self.render()

    @property
    def ui(self) -> Any:
        """The interactive widget: controls above a live image of the figure."""
        if self._ui is None:
            import ipywidgets
            from IPython.display import Image, display

            controls = self.controls()
            output = ipywidgets.Output()

            def show() -> None:
                with output:
                    output.clear_output(wait=True)
                    display(Image(self.render()))

            def listener(key: str) -> Callable[[dict[str, Any]], None]:
                def on_change(change: dict[str, Any]) -> None:
                    self.update(**{key: change["new"]})
                    show()

                return on_change

            for key, control in controls.items():
                control.observe(listener(key), names="value")
            show()
            self._ui = ipywidgets.VBox([ipywidgets.HBox(list(controls.values())), output])
        return self._ui


# --- chapter 07: activation functions ------------------------------------------------------


class ActivationExplorer(WidgetApp):
    """An activation function (left) and its derivative (right) over a chosen range of z."""

    name = "activation_explorer"

    def defaults(self) -> dict[str, Any]:
        return {"activation": "logistic", "z_min": -6.0, "z_max": 6.0}

    def _setup(self) -> None:
        self.fig, (self.ax_f, self.ax_df) = new_figure(1, 2, figsize=(8.5, 3.4))
        (self.line_f,) = self.ax_f.plot([], [], color=COLORS["function"])
        (self.line_df,) = self.ax_df.plot([], [], color=COLORS["derivative"])
        # Plain-text labels: mathtext costs several ms per label at every redraw.
        for ax, label in [(self.ax_f, "f(z)"), (self.ax_df, "f\u2032(z)")]:
            ax.axhline(0.0, color=COLORS["reference"], lw=0.8)
            ax.axvline(0.0, color=COLORS["reference"], lw=0.8)
            ax.set_xlabel("net activation z")
            ax.set_ylabel(label)
            ax.locator_params(nbins=5)  # fewer tick labels: text is most of a redraw
        self.ax_f.set_title("function")
        self.ax_df.set_title("derivative")

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        check_choice(params["activation"], "activation", act.ACTIVATIONS)
        z_min = check_real_scalar(params["z_min"], "z_min")
        z_max = check_real_scalar(params["z_max"], "z_max")
        if not z_min < z_max:
            raise ValueError(f"z_min must be < z_max, got z_min={z_min:g}, z_max={z_max:g}")
        return {**params, "z_min": z_min, "z_max": z_max}

    def _draw(self, params: dict[str, Any]) -> None:
        fn = act.get_activation(params["activation"])
        z = np.linspace(params["z_min"], params["z_max"], 601)
        f, df = fn.f(z), fn.df(z)
        self.line_f.set_data(z, f)
        self.line_df.set_data(z, df)
        for ax, y in [(self.ax_f, f), (self.ax_df, df)]:
            lo, hi = float(np.min(y)), float(np.max(y))
            pad = 0.08 * (hi - lo) if hi > lo else 0.5
            ax.set_xlim(z[0], z[-1])
            ax.set_ylim(lo - pad, hi + pad)
        self.ax_f.set_title(f"{fn.name}: {fn.text}")
        self.ax_df.set_title(f"derivative (max {np.max(df):.3g})")

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        return {
            "activation": ipywidgets.Dropdown(
                options=list(act.ACTIVATIONS), value=self.params["activation"], description="f"
            ),
            "z_min": ipywidgets.FloatSlider(
                value=self.params["z_min"], min=-20, max=-0.5, step=0.5, description="z min"
            ),
            "z_max": ipywidgets.FloatSlider(
                value=self.params["z_max"], min=0.5, max=20, step=0.5, description="z max"
            ),
        }

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        return {
            "activation": str(rng.choice(list(act.ACTIVATIONS))),
            "z_min": float(rng.uniform(-20, -0.5)),
            "z_max": float(rng.uniform(0.5, 20)),
        }


def activation_explorer(activation: str = "logistic", z_min: float = -6.0, z_max: float = 6.0) -> ActivationExplorer:
    """Explore an activation function and its derivative (chapter 07).

    Parameters
    ----------
    activation : str, default "logistic"
        A key of :data:`neurolib.activations.ACTIVATIONS`.
    z_min, z_max : float, default -6 and 6
        Range of the net activation shown (dimensionless), ``z_min < z_max``.

    Returns
    -------
    ActivationExplorer
        Display it for the static figure; ``.ui`` for the interactive version.
    """
    return ActivationExplorer(activation=activation, z_min=z_min, z_max=z_max)


# --- chapter 06: the artificial neuron ---------------------------------------------------------

from . import neuron as _neuron  # noqa: E402  (kept in this chapter's section)


def _signed(value: float) -> str:
    """``+ 1.50`` or ``− 1.50``: a term of a sum, for plain-text titles."""
    return f"{'+' if value >= 0 else '−'} {abs(value):.2f}"


class HyperplaneExplorer(WidgetApp):
    """A threshold unit's decision line in the plane, its normal vector and the points it classifies."""

    name = "hyperplane_explorer"
    #: Half-width of the square input region shown.
    LIM: ClassVar[float] = 3.0
    #: Fixed input points (the same in every drawing, so that only the line moves).
    POINTS: ClassVar[np.ndarray] = np.random.default_rng(6).uniform(-2.6, 2.6, size=(16, 2))

    def defaults(self) -> dict[str, Any]:
        return {"w1": 1.0, "w2": 2.0, "b": -1.0}

    def _setup(self) -> None:
        from matplotlib.patches import FancyArrowPatch, Polygon

        lim = self.LIM
        self.fig, self.ax = new_figure(1, 1, figsize=(4.8, 4.6))
        ax = self.ax
        self.region = Polygon(np.zeros((3, 2)), closed=True, facecolor=COLORS["highlight"], alpha=0.15, lw=0)
        ax.add_patch(self.region)
        ax.axhline(0.0, color=COLORS["reference"], lw=0.6)
        ax.axvline(0.0, color=COLORS["reference"], lw=0.6)
        (self.line,) = ax.plot([], [], color=COLORS["function"], lw=2, label="decision line z = 0")
        (self.offset,) = ax.plot([], [], color=COLORS["reference"], lw=1.2, ls="--", label="origin to line")
        self.arrow = FancyArrowPatch((0, 0), (1, 1), arrowstyle="-|>", mutation_scale=18, color=COLORS["derivative"], lw=2)
        ax.add_patch(self.arrow)
        self.pos = ax.scatter([], [], s=45, color=COLORS["highlight"], edgecolor="black", zorder=3, label="y = 1 (z >= 0)")
        self.neg = ax.scatter([], [], s=45, facecolor="white", edgecolor="black", zorder=3, label="y = 0 (z < 0)")
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
        ax.locator_params(nbins=5)
        # No legend (it would double the redraw time): the chapter's caption explains the
        # colours; the arrow is labelled w at its tip.
        self.w_label = ax.text(0, 0, "w", color=COLORS["derivative"], fontsize=11, ha="center", va="center")
        ax.set_title("z = w1 x1 + w2 x2 + b", fontsize=9)

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        return {key: check_real_scalar(params[key], key) for key in ("w1", "w2", "b")}

    def _draw(self, params: dict[str, Any]) -> None:
        w = np.array([params["w1"], params["w2"]])
        b = params["b"]
        lim = self.LIM
        z = self.POINTS @ w + b
        active = z >= 0  # McCulloch-Pitts convention: z = 0 is class 1
        self.pos.set_offsets(self.POINTS[active])
        self.neg.set_offsets(self.POINTS[~active])
        norm = float(np.hypot(*w))
        if norm == 0.0:  # no hyperplane: every point has z = b
            box = np.array([[-lim, -lim], [lim, -lim], [lim, lim], [-lim, lim]])
            self.region.set_xy(box if b >= 0 else np.zeros((3, 2)))
            for artist in (self.line, self.offset, self.arrow, self.w_label):
                artist.set_visible(False)
            self.ax.set_title(f"w = 0: no line; z = b = {b:.2f} everywhere", fontsize=9)
            return
        p0 = _neuron.closest_point(w, b)
        direction = np.array([-w[1], w[0]]) / norm
        ends = p0 + np.outer([-4 * lim, 4 * lim], direction)
        self.line.set_data(ends[:, 0], ends[:, 1])
        self.offset.set_data([0.0, p0[0]], [0.0, p0[1]])
        self.arrow.set_positions(tuple(p0), tuple(p0 + w))
        region = _neuron.halfplane_polygon(w, b, (-lim, lim), (-lim, lim))
        self.region.set_xy(region if len(region) else np.zeros((3, 2)))  # empty: a degenerate patch
        self.w_label.set_position(tuple(p0 + w * (1 + 0.25 / norm)))
        for artist in (self.line, self.offset, self.arrow, self.w_label):
            artist.set_visible(True)
        self.ax.set_title(
            f"z = {w[0]:.2f} x1 {_signed(w[1])} x2 {_signed(b)};  b/|w| = {b / norm:.2f}", fontsize=9
        )

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        return {
            key: ipywidgets.FloatSlider(value=self.params[key], min=-3, max=3, step=0.1, description=key)
            for key in ("w1", "w2", "b")
        }

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        return {key: float(rng.uniform(-3, 3)) for key in ("w1", "w2", "b")}


def hyperplane_explorer(w1: float = 1.0, w2: float = 2.0, b: float = -1.0) -> HyperplaneExplorer:
    """Explore the decision line ``w1 x1 + w2 x2 + b = 0`` of a threshold unit (chapter 06).

    Parameters
    ----------
    w1, w2 : float, default 1 and 2
        Weights (dimensionless); ``w = (w1, w2)`` is drawn as an arrow normal to the line.
    b : float, default -1
        Bias; the origin's signed distance from the line is ``b / ‖w‖``.

    Returns
    -------
    HyperplaneExplorer
        Display it for the static figure; ``.ui`` for the interactive version.
    """
    return HyperplaneExplorer(w1=w1, w2=w2, b=b)


# --- chapter 08: gradients of a dense layer -------------------------------------------------

from . import dense as _dense  # noqa: E402  (kept in this chapter's section)


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
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
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
        if isinstance(width, bool) or width not in self.WIDTHS:
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
    app = DenseTrainer(width=width, learning_rate=learning_rate, epoch=epoch)
    return app.precompute() if precompute else app


# --- chapter 03: the leaky integrate-and-fire neuron -------------------------------------------

from . import lif as _lif  # noqa: E402  (kept in this chapter's section)


class LIFExplorer(WidgetApp):
    """A LIF neuron under constant input: its voltage trace (left) and its place on the tuning curve (right)."""

    name = "lif_explorer"

    #: Range of the input axis of the tuning curve and of the v_in slider.
    V_IN_MAX: ClassVar[float] = 6.0
    #: Duration (ms) and time step (ms) of the trace. The update is exact (spike times
    #: interpolated), so a coarse step only thins the plotted samples.
    T_MAX: ClassVar[float] = 200.0
    DT: ClassVar[float] = 0.25

    def defaults(self) -> dict[str, Any]:
        return {"v_in": 2.0, "tau_m": _lif.TAU_M, "tau_ref": _lif.TAU_REF}

    def _setup(self) -> None:
        self.fig, (self.ax_v, self.ax_g) = new_figure(1, 2, figsize=(8.5, 3.4), width_ratios=[1.6, 1.0])
        self.ax_v.axhline(1.0, color=COLORS["reference"], lw=0.8, ls="--")
        (self.line_v,) = self.ax_v.plot([], [], color=COLORS["function"], lw=1.5)
        (self.line_spikes,) = self.ax_v.plot([], [], color=COLORS["function"], lw=1.0)
        self.ax_v.set_xlim(0.0, self.T_MAX)
        self.ax_v.set_ylim(-0.05, 1.45)
        self.ax_v.set_xlabel("time (ms)")
        self.ax_v.set_ylabel("potential v")
        self.ax_v.locator_params(nbins=5)
        self.v_in_grid = np.linspace(0.0, self.V_IN_MAX, 241)
        (self.line_g,) = self.ax_g.plot([], [], color=COLORS["reference"], lw=1.5)
        (self.point,) = self.ax_g.plot([], [], "o", color=COLORS["derivative"], ms=7)
        (self.point_sim,) = self.ax_g.plot([], [], "x", color=COLORS["highlight"], ms=9, mew=2)
        self.ax_g.set_xlim(0.0, self.V_IN_MAX)
        self.ax_g.set_xlabel("input v_in")
        self.ax_g.set_ylabel("rate (Hz)")
        self.ax_g.locator_params(nbins=5)
        self.ax_g.set_title("tuning curve G", fontsize=10, y=1.02)  # fixed y: no auto-positioning

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        v_in = check_real_scalar(params["v_in"], "v_in")
        if not 0.0 <= v_in <= self.V_IN_MAX:
            raise ValueError(f"v_in must be in [0, {self.V_IN_MAX:g}], got {v_in:g}")
        tau_m = check_real_scalar(params["tau_m"], "tau_m", "ms")
        if not 1.0 <= tau_m <= 100.0:
            raise ValueError(f"tau_m must be in [1, 100] ms, got {tau_m:g}")
        tau_ref = check_real_scalar(params["tau_ref"], "tau_ref", "ms")
        if not 0.0 <= tau_ref <= 20.0:
            raise ValueError(f"tau_ref must be in [0, 20] ms, got {tau_ref:g}")
        return {"v_in": v_in, "tau_m": tau_m, "tau_ref": tau_ref}

    def _draw(self, params: dict[str, Any]) -> None:
        v_in, tau_m, tau_ref = params["v_in"], params["tau_m"], params["tau_ref"]
        res = _lif.simulate(v_in, self.T_MAX, dt=self.DT, tau_m=tau_m, tau_ref=tau_ref)
        spikes = res.spike_times
        # the trace with a point at threshold at each spike time (spikes first: ties keep order)
        t_all = np.concatenate([spikes, res.t])
        order = np.argsort(t_all, kind="stable")
        self.line_v.set_data(t_all[order], np.concatenate([np.ones(spikes.size), res.v[:, 0]])[order])
        # one vertical stroke per spike, separated by NaN so that a single line draws them all
        xs = np.repeat(spikes, 3)
        ys = np.tile([1.0, 1.35, np.nan], spikes.size)
        xs[2::3] = np.nan
        self.line_spikes.set_data(xs, ys)
        g_curve = _lif.firing_rate(self.v_in_grid, tau_m=tau_m, tau_ref=tau_ref)
        g = float(_lif.firing_rate(v_in, tau_m=tau_m, tau_ref=tau_ref))
        sim = float(res.rates()[0]) if spikes.size >= 2 else 0.0
        self.line_g.set_data(self.v_in_grid, g_curve)
        self.point.set_data([v_in], [g])
        self.point_sim.set_data([v_in], [sim])
        self.ax_g.set_ylim(0.0, 1.1 * max(float(g_curve[-1]), 1.0))
        # (the sliders show v_in, tau_m and tau_ref: no title on the left, text is most of a redraw)
        self.ax_g.set_title(f"G = {g:.1f} Hz (o), sim. {sim:.1f} (x)", fontsize=10, y=1.02)

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        return {
            "v_in": ipywidgets.FloatSlider(
                value=self.params["v_in"], min=0.0, max=self.V_IN_MAX, step=0.05, description="v_in"
            ),
            "tau_m": ipywidgets.FloatSlider(
                value=self.params["tau_m"], min=5.0, max=50.0, step=1.0, description="tau_m (ms)"
            ),
            "tau_ref": ipywidgets.FloatSlider(
                value=self.params["tau_ref"], min=0.0, max=10.0, step=0.5, description="tau_ref (ms)"
            ),
        }

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        return {
            "v_in": float(rng.uniform(0.0, self.V_IN_MAX)),
            "tau_m": float(rng.uniform(5.0, 50.0)),
            "tau_ref": float(rng.uniform(0.0, 10.0)),
        }


def lif_explorer(v_in: float = 2.0, tau_m: float = _lif.TAU_M, tau_ref: float = _lif.TAU_REF) -> LIFExplorer:
    """Explore a LIF neuron under constant input (chapter 03).

    Parameters
    ----------
    v_in : float, default 2
        Constant normalised input, in [0, 6] (the neuron fires for ``v_in > 1``).
    tau_m : float, default 20
        Membrane time constant (ms), in [1, 100].
    tau_ref : float, default 2
        Refractory period (ms), in [0, 20].

    Returns
    -------
    LIFExplorer
        Display it for the static figure (200 ms trace and the tuning curve with the analytic
        and simulated rate at ``v_in``); ``.ui`` for the interactive version.
    """
    return LIFExplorer(v_in=v_in, tau_m=tau_m, tau_ref=tau_ref)


# --- chapter 01: biological neurons and spike trains -----------------------------------------

from . import membrane as _membrane  # noqa: E402  (kept in this chapter's section)
from . import spikes as _spikes  # noqa: E402


class SpikeTrainExplorer(WidgetApp):
    """Poisson spike trains of a population: raster (top) and population rate / PSTH (bottom).

    The raster draws at most :attr:`MAX_DRAWN` neurons, as one LineCollection, so that a
    redraw stays fast for any population size; the PSTH uses every neuron.
    """

    name = "spike_train_explorer"
    #: Largest number of neurons drawn in the raster.
    MAX_DRAWN: ClassVar[int] = 40
    #: Seed of the spike trains (the same trains for the same settings).
    SEED: ClassVar[int] = 1
    #: Slider ranges: rate (Hz), duration (ms), neurons, bin width (ms).
    RATE_MAX: ClassVar[float] = 100.0
    DURATION_RANGE: ClassVar[tuple[float, float]] = (200.0, 3000.0)
    N_MAX: ClassVar[int] = 1000
    BIN_RANGE: ClassVar[tuple[float, float]] = (1.0, 200.0)

    def defaults(self) -> dict[str, Any]:
        return {"rate": 20.0, "duration": 1000.0, "n_neurons": 100, "bin_width": 20.0}

    def _setup(self) -> None:
        self.fig, (self.ax_raster, self.ax_rate) = new_figure(
            2, 1, figsize=(8.0, 4.6), sharex=True, gridspec_kw={"height_ratios": [1.3, 1.0]}
        )
        # The raster is ONE artist of '|' markers: Agg renders the marker once and stamps
        # it at every spike, much faster than one path (or artist) per spike.
        (self.raster,) = self.ax_raster.plot([], [], "|", color="black", mew=0.8)
        self.ax_raster.set_ylabel("neuron")
        (self.line_psth,) = self.ax_rate.plot([], [], drawstyle="steps-post", color=COLORS["function"], lw=1.5)
        (self.line_true,) = self.ax_rate.plot([], [], "--", color=COLORS["derivative"], lw=1.5)
        self.ax_rate.set_xlabel("time (ms)")
        self.ax_rate.set_ylabel("population rate (Hz)")
        # Titles as plain texts at fixed places: Axes titles are re-positioned at every draw,
        # which measures every tick label (slow).
        self.titles = []
        for ax in (self.ax_raster, self.ax_rate):
            ax.locator_params(nbins=5)
            ax.set_title(" ", fontsize=9)  # keeps room in the layout
            self.titles.append(ax.text(0.5, 1.02, "", transform=ax.transAxes, ha="center", va="bottom", fontsize=9))
        self.ax_rate.set_xlim(0.0, self.DURATION_RANGE[1])  # room for the widest tick label
        self.ax_rate.set_ylim(0.0, 1000.0)
        self.ax_raster.set_ylim(0.0, self.MAX_DRAWN)

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        from ._checks import check_int, check_nonnegative, check_positive

        rate = check_nonnegative(params["rate"], "rate", "Hz")
        duration = check_positive(params["duration"], "duration", "ms")
        n = check_int(params["n_neurons"], "n_neurons", minimum=1)
        width = check_positive(params["bin_width"], "bin_width", "ms")
        if width > duration:
            raise ValueError(f"bin_width must be <= duration = {duration:g} ms, got {width:g}")
        if n > self.N_MAX or duration > self.DURATION_RANGE[1] or rate > 10 * self.RATE_MAX:
            raise ValueError(
                f"the widget is limited to n_neurons <= {self.N_MAX}, duration <= {self.DURATION_RANGE[1]:g} ms "
                f"and rate <= {10 * self.RATE_MAX:g} Hz; use neurolib.spikes directly for more"
            )
        return {"rate": rate, "duration": duration, "n_neurons": n, "bin_width": width}

    def compute(self, params: dict[str, Any]) -> tuple[_spikes.SpikeTrains, _spikes.RateEstimate]:
        """The trains and their PSTH for ``params`` (validated)."""
        trains = _spikes.poisson_spike_trains(
            params["rate"], params["duration"], params["n_neurons"], seed=self.SEED
        )
        return trains, _spikes.psth(trains, params["bin_width"])

    def _draw(self, params: dict[str, Any]) -> None:
        trains, est = self.compute(params)
        n_drawn = min(params["n_neurons"], self.MAX_DRAWN)
        shown = trains.ids < n_drawn
        t, i = trains.times[shown], trains.ids[shown]
        self.raster.set_data(t, i + 0.5)
        # marker height: 70 % of a row, in points
        row_px = self.ax_raster.get_window_extent().height / n_drawn
        self.raster.set_markersize(0.7 * row_px * 72.0 / self.fig.dpi)
        duration = params["duration"]
        # Axis ends on a coarse grid (500 ms; 10 rows): few distinct layouts, so the
        # renderer's cached bitmaps of the axes are reused (see plotting.CachedRenderer).
        self.ax_raster.set_xlim(0.0, 500.0 * np.ceil(duration / 500.0))
        self.ax_raster.set_ylim(0.0, 10.0 * np.ceil(n_drawn / 10.0))
        self.line_psth.set_data(est.edges, np.append(est.rate, est.rate[-1]))
        self.line_true.set_data([0.0, duration], [params["rate"]] * 2)
        top = max(float(est.rate.max()), params["rate"], 1.0)
        # A top from a fixed ladder: the axis (and its cached bitmap) changes less often.
        ladder = np.array([10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000.0])
        self.ax_rate.set_ylim(0.0, float(ladder[np.searchsorted(ladder, 1.05 * top)]))
        isis = trains.isis()
        cv_text = f"CV of ISIs {_spikes.cv(isis):.2f}" if isis.size >= 2 and isis.mean() > 0 else "CV n/a"
        self.titles[0].set_text(
            f"raster of {n_drawn} of {params['n_neurons']} neurons, {trains.n_spikes} spikes in all; {cv_text}"
        )
        self.titles[1].set_text(
            f"PSTH ({params['bin_width']:g} ms bins): mean {est.rate.mean():.1f} Hz, "
            f"true rate {params['rate']:g} Hz (dashed)"
        )

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        return {
            "rate": ipywidgets.FloatSlider(
                value=self.params["rate"], min=0.0, max=self.RATE_MAX, step=1.0, description="rate (Hz)"
            ),
            "duration": ipywidgets.FloatSlider(
                value=self.params["duration"], min=self.DURATION_RANGE[0], max=self.DURATION_RANGE[1],
                step=100.0, description="T (ms)",
            ),
            "n_neurons": ipywidgets.IntSlider(
                value=self.params["n_neurons"], min=1, max=self.N_MAX, step=1, description="neurons"
            ),
            "bin_width": ipywidgets.FloatSlider(
                value=self.params["bin_width"], min=self.BIN_RANGE[0], max=self.BIN_RANGE[1],
                step=1.0, description="bin (ms)",
            ),
        }

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        # values on the sliders' steps, as a student can set them
        duration = float(100 * rng.integers(self.DURATION_RANGE[0] // 100, self.DURATION_RANGE[1] // 100 + 1))
        return {
            "rate": float(rng.integers(1, self.RATE_MAX + 1)),
            "duration": duration,
            "n_neurons": int(rng.integers(1, self.N_MAX + 1)),
            "bin_width": float(rng.integers(self.BIN_RANGE[0], min(self.BIN_RANGE[1], duration) + 1)),
        }


def spike_train_explorer(
    rate: float = 20.0, duration: float = 1000.0, n_neurons: int = 100, bin_width: float = 20.0
) -> SpikeTrainExplorer:
    """Explore Poisson spike trains: raster and population rate (chapter 01).

    Parameters
    ----------
    rate : float, default 20
        Firing rate of every neuron (Hz, >= 0).
    duration : float, default 1000
        Length of the trains (ms), at most 3000.
    n_neurons : int, default 100
        Population size, 1 to 1000 (the raster shows at most 40).
    bin_width : float, default 20
        Bin width of the PSTH (ms), at most ``duration``.

    Returns
    -------
    SpikeTrainExplorer
        Display it for the static figure; ``.ui`` for the interactive version.
    """
    return SpikeTrainExplorer(rate=rate, duration=duration, n_neurons=n_neurons, bin_width=bin_width)


class MembraneExplorer(WidgetApp):
    """Nernst potentials and the GHK resting potential (left) and the rest vs P_Na/P_K (right)."""

    name = "membrane_explorer"
    #: Voltage axis (mV) and the P_Na/P_K axis of the right panel.
    V_LIM: ClassVar[tuple[float, float]] = (-130.0, 110.0)
    RATIO: ClassVar[np.ndarray] = np.logspace(-3, 2, 121)

    def defaults(self) -> dict[str, Any]:
        base = _membrane.IonConcentrations.mammalian()
        perm = _membrane.Permeabilities()
        return {"K_out": base.K_out, "Na_out": base.Na_out, "p_na": perm.Na, "p_cl": perm.Cl}

    def _setup(self) -> None:
        self.fig, (self.ax_bar, self.ax_ratio) = new_figure(
            1, 2, figsize=(8.5, 3.6), sharey=True, gridspec_kw={"width_ratios": [1.0, 1.5]}
        )
        ax = self.ax_bar
        names = ["E_K", "E_Na", "E_Cl", "V_rest"]
        colours = [COLORS["excitatory"], COLORS["inhibitory"], COLORS["highlight"], "#555555"]
        self.bars = ax.bar(range(4), np.zeros(4), color=colours, width=0.65)
        self.bar_text = [ax.text(i, 0.0, "", ha="center", fontsize=9) for i in range(4)]
        ax.axhline(0.0, color=COLORS["reference"], lw=0.8)
        ax.set_xticks(range(4), names)
        ax.set_ylim(*self.V_LIM)
        ax.set_ylabel("potential (mV)")
        ax.locator_params(axis="y", nbins=5)
        ax.set_title("Nernst potentials and rest", fontsize=9)
        ax = self.ax_ratio
        # A linear axis of log10(ratio): log-scaled axes format ticks with mathtext (slow).
        (self.line_rest,) = ax.plot([], [], color="#555555")
        (self.line_ek,) = ax.plot([], [], "--", color=COLORS["excitatory"], lw=1.2)
        (self.line_ena,) = ax.plot([], [], "--", color=COLORS["inhibitory"], lw=1.2)
        self.point = ax.scatter([], [], s=40, color="black", zorder=3)
        self.label_ek = ax.text(-2.9, 0.0, "E_K", color=COLORS["excitatory"], fontsize=8, va="top")
        self.label_ena = ax.text(-2.9, 0.0, "E_Na", color=COLORS["inhibitory"], fontsize=8, va="bottom")
        ax.set_xlim(np.log10(self.RATIO[0]), np.log10(self.RATIO[-1]))
        ax.set_ylim(*self.V_LIM)
        ax.set_xlabel("log10 of the permeability ratio P_Na / P_K")
        ax.locator_params(axis="x", nbins=5)
        ax.set_title(" ", fontsize=9)  # keeps room; the text below is the real title
        self.title = ax.text(0.5, 1.02, "", transform=ax.transAxes, ha="center", va="bottom", fontsize=9)

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        ions = _membrane.IonConcentrations(K_out=params["K_out"], Na_out=params["Na_out"])
        perm = _membrane.Permeabilities(K=1.0, Na=params["p_na"], Cl=params["p_cl"])
        return {"K_out": ions.K_out * 1.0, "Na_out": ions.Na_out * 1.0, "p_na": perm.Na * 1.0, "p_cl": perm.Cl * 1.0}

    def _draw(self, params: dict[str, Any]) -> None:
        ions = _membrane.IonConcentrations(K_out=params["K_out"], Na_out=params["Na_out"])
        perm = _membrane.Permeabilities(K=1.0, Na=params["p_na"], Cl=params["p_cl"])
        e = ions.reversal_potentials()
        v_rest = _membrane.ghk_voltage(ions, perm)
        values = [e["K"], e["Na"], e["Cl"], v_rest]
        for bar, text, value in zip(self.bars, self.bar_text, values):
            bar.set_height(value)
            text.set_text(f"{value:.0f}")
            text.set_y(value + (4.0 if value >= 0 else -14.0))
        rest_curve = _membrane.ghk_voltage_ratio(self.RATIO, ions, params["p_cl"])
        log_ratio = np.log10(self.RATIO)
        self.line_rest.set_data(log_ratio, rest_curve)
        self.line_ek.set_data(log_ratio[[0, -1]], [e["K"]] * 2)
        self.line_ena.set_data(log_ratio[[0, -1]], [e["Na"]] * 2)
        self.label_ek.set_y(e["K"] - 2.0)
        self.label_ena.set_y(e["Na"] + 2.0)
        x = float(np.clip(np.log10(max(params["p_na"], 1e-300)), log_ratio[0], log_ratio[-1]))
        self.point.set_offsets([[x, v_rest]])
        self.title.set_text(
            f"V_rest = {v_rest:.1f} mV at P_Na/P_K = {params['p_na']:.3g}, P_Cl/P_K = {params['p_cl']:.3g}"
        )

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        return {
            "K_out": ipywidgets.FloatSlider(value=self.params["K_out"], min=1.0, max=100.0, step=0.5,
                                            description="[K]out mM"),
            "Na_out": ipywidgets.FloatSlider(value=self.params["Na_out"], min=20.0, max=300.0, step=5.0,
                                             description="[Na]out mM"),
            "p_na": ipywidgets.FloatLogSlider(value=self.params["p_na"], base=10, min=-3, max=2, step=0.05,
                                              description="PNa/PK"),
            "p_cl": ipywidgets.FloatSlider(value=self.params["p_cl"], min=0.0, max=2.0, step=0.05,
                                           description="PCl/PK"),
        }

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        return {
            "K_out": float(rng.uniform(1.0, 100.0)),
            "Na_out": float(rng.uniform(20.0, 300.0)),
            "p_na": float(10 ** rng.uniform(-3, 2)),
            "p_cl": float(rng.uniform(0.0, 2.0)),
        }


def membrane_explorer(
    K_out: float = 5.0, Na_out: float = 145.0, p_na: float = 0.03, p_cl: float = 0.45
) -> MembraneExplorer:
    """Explore how concentrations and permeabilities set the resting potential (chapter 01).

    Parameters
    ----------
    K_out, Na_out : float, default 5 and 145
        Extracellular K⁺ and Na⁺ concentrations (mM, > 0); the other concentrations are those
        of :meth:`neurolib.membrane.IonConcentrations.mammalian`.
    p_na, p_cl : float, default 0.03 and 0.45
        Permeabilities to Na⁺ and Cl⁻ relative to K⁺ (>= 0).

    Returns
    -------
    MembraneExplorer
        Display it for the static figure; ``.ui`` for the interactive version.
    """
    return MembraneExplorer(K_out=K_out, Na_out=Na_out, p_na=p_na, p_cl=p_cl)


# --- chapter 05: rate-coded neurons and recurrent networks ------------------------------------

from . import rate as _rate  # noqa: E402  (kept in this chapter's section)


class ReservoirExplorer(WidgetApp):
    """A random rate network: unit traces during and after an input (left), eigenvalues of g·W_rec (right).

    The network is small (:attr:`N` units, :attr:`N_STEPS` steps of 1 ms) so that an update
    stays within 100 ms; the weights and the eigenvalues of ``W_rec`` are computed once per
    seed and cached, so moving ``g`` only rescales them.
    """

    name = "reservoir_explorer"
    #: Number of units.
    N: ClassVar[int] = 200
    #: Steps of 1 ms simulated.
    N_STEPS: ClassVar[int] = 300
    #: The input (a 20 Hz sine) is on from 0 to this time (ms), then off.
    T_INPUT: ClassVar[float] = 100.0
    #: Number of unit traces drawn.
    N_TRACES: ClassVar[int] = 6
    G_MAX: ClassVar[float] = 3.0

    def defaults(self) -> dict[str, Any]:
        return {"g": 1.5, "input_strength": 1.0, "seed": 0}

    def _setup(self) -> None:
        self.fig, (self.ax_r, self.ax_eig) = new_figure(
            1, 2, figsize=(9.0, 3.8), gridspec_kw={"width_ratios": [1.7, 1.0]}
        )
        ax = self.ax_r
        ax.axvspan(0.0, self.T_INPUT, color=COLORS["reference"], alpha=0.12, lw=0)
        ax.text(0.5 * self.T_INPUT, 1.08, "input on", ha="center", va="center", fontsize=9)
        self.lines = [ax.plot([], [], lw=1.2)[0] for _ in range(self.N_TRACES)]
        ax.set_xlim(0.0, float(self.N_STEPS))
        ax.set_ylim(-1.2, 1.2)
        ax.set_xlabel("time (ms)")
        ax.set_ylabel("rate r = tanh(v)")
        ax.locator_params(nbins=5)
        ax = self.ax_eig
        theta = np.linspace(0.0, 2.0 * np.pi, 200)
        (self.eig,) = ax.plot([], [], "o", ms=2.5, color=COLORS["function"], alpha=0.6)
        ax.plot(np.cos(theta), np.sin(theta), color="black", lw=1.5, ls="--", zorder=3)
        ax.text(0.03, 0.97, "dashed: unit circle", fontsize=8, ha="left", va="top", transform=ax.transAxes)
        lim = self.G_MAX * 1.1
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.set_xlabel("Re \u03bb")
        ax.set_ylabel("Im \u03bb")
        ax.locator_params(nbins=5)
        self.ax_r.set_title(" ")
        self.ax_eig.set_title(" \n ")  # room for the two-line title at layout time
        self._networks: dict[int, _rate.Reservoir] = {}

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        from ._checks import check_int, check_nonnegative

        g = check_nonnegative(params["g"], "g")
        if g > self.G_MAX:
            raise ValueError(f"g must be <= {self.G_MAX:g} in this widget, got {g:g}")
        strength = check_nonnegative(params["input_strength"], "input_strength")
        seed = check_int(params["seed"], "seed", minimum=0)
        return {**params, "g": g, "input_strength": strength, "seed": seed}

    def network(self, seed: int) -> _rate.Reservoir:
        """The (cached) network of this seed, at gain 1 and input scale 1."""
        if seed not in self._networks:
            self._networks[seed] = _rate.make_reservoir(self.N, g=1.0, seed=seed)
        return self._networks[seed]

    def input_signal(self, strength: float) -> np.ndarray:
        """The input during each step: a 20 Hz sine of amplitude ``strength`` until T_INPUT."""
        t = np.arange(self.N_STEPS) + 0.5
        return np.where(t < self.T_INPUT, strength * np.sin(2 * np.pi * t / 50.0), 0.0)

    def _draw(self, params: dict[str, Any]) -> None:
        g, seed = params["g"], params["seed"]
        res = _rate.simulate_reservoir(
            self.network(seed).with_gain(g), self.input_signal(params["input_strength"]), dt=1.0
        )
        for i, line in enumerate(self.lines):
            line.set_data(res.t, res.r[:, i])
        eig = _rate.recurrent_eigenvalues(self.N, seed, g)
        self.eig.set_data(eig.real, eig.imag)
        after = res.activity(t_start=self.N_STEPS - 50.0)
        self.ax_r.set_title(f"{self.N} units; RMS rate in the last 50 ms: {after:.3f}")
        self.ax_eig.set_title(f"eigenvalues of g\u00b7W_rec\nspectral radius {np.max(np.abs(eig)):.2f}")

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        return {
            "g": ipywidgets.FloatSlider(value=self.params["g"], min=0.0, max=self.G_MAX, step=0.05, description="g"),
            "input_strength": ipywidgets.FloatSlider(
                value=self.params["input_strength"], min=0.0, max=3.0, step=0.1, description="input"
            ),
            "seed": ipywidgets.IntSlider(value=self.params["seed"], min=0, max=9, description="seed"),
        }

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        return {
            "g": float(rng.uniform(0.0, self.G_MAX)),
            "input_strength": float(rng.uniform(0.0, 3.0)),
            "seed": int(rng.integers(0, 3)),
        }


def reservoir_explorer(g: float = 1.5, input_strength: float = 1.0, seed: int = 0) -> ReservoirExplorer:
    """Explore a random rate network below and above the transition to chaos (chapter 05).

    Parameters
    ----------
    g : float, default 1.5
        Gain of the recurrent weights, in [0, 3].
    input_strength : float, default 1
        Amplitude of the sine input (on for the first 100 ms), >= 0.
    seed : int, default 0
        Seed of the random weights.

    Returns
    -------
    ReservoirExplorer
        Display it for the static figure; ``.ui`` for the interactive version.
    """
    return ReservoirExplorer(g=g, input_strength=input_strength, seed=seed)


# --- chapter 04: richer spiking models (Izhikevich and AdEx) ----------------------------------

from . import spiking as _spiking  # noqa: E402  (kept in this chapter's section)


class SpikingExplorer(WidgetApp):
    """An Izhikevich or AdEx neuron under a constant current: voltage trace (left) and phase
    plane with nullclines, trajectory and (Izhikevich) fixed points (right)."""

    name = "spiking_explorer"
    #: Simulated duration (ms) and forward-Euler steps (ms) of each model.
    T_MAX: ClassVar[float] = 300.0
    DT: ClassVar[dict[str, float]] = {"izhikevich": 0.1, "adex": 0.1}
    #: Allowed current range of each model (Izhikevich: model units; AdEx: pA).
    I_RANGE: ClassVar[dict[str, tuple[float, float]]] = {"izhikevich": (-20.0, 40.0), "adex": (-200.0, 1000.0)}
    PRESETS: ClassVar[dict[str, dict[str, Any]]] = {
        "izhikevich": _spiking.IZHIKEVICH_PRESETS,
        "adex": _spiking.ADEX_PRESETS,
    }
    DEFAULT_CURRENTS: ClassVar[dict[str, dict[str, float]]] = {
        "izhikevich": _spiking.IZHIKEVICH_CURRENTS,
        "adex": _spiking.ADEX_CURRENTS,
    }

    def defaults(self) -> dict[str, Any]:
        return {"model": "izhikevich", "preset": "RS", "I": 10.0}

    def _setup(self) -> None:
        self.fig, (self.ax_v, self.ax_p) = new_figure(1, 2, figsize=(9.0, 3.5), width_ratios=[1.5, 1.0])
        (self.line_v,) = self.ax_v.plot([], [], color=COLORS["function"], lw=1.2)
        self.ax_v.set_xlim(0.0, self.T_MAX)
        self.ax_v.set_xlabel("time (ms)")
        self.ax_v.set_ylabel("v (mV)")
        self.ax_v.locator_params(nbins=4)
        (self.null_v,) = self.ax_p.plot([], [], color=COLORS["derivative"], lw=1.5, label="v-nullcline")
        (self.null_r,) = self.ax_p.plot([], [], color=COLORS["highlight"], lw=1.5, label="slow nullcline")
        (self.traj,) = self.ax_p.plot([], [], color=COLORS["function"], lw=0.8, alpha=0.8, label="trajectory")
        (self.fixed,) = self.ax_p.plot([], [], "o", color="k", ms=5, label="fixed points")
        self.ax_p.set_xlabel("v (mV)")
        self.ax_p.set_ylabel("u")
        self.ax_p.locator_params(nbins=4)
        # placeholder title, so that the frozen layout keeps room for it
        self.ax_v.set_title("trace", fontsize=10)

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        model = check_choice(params["model"], "model", self.PRESETS)
        presets = self.PRESETS[model]
        if not isinstance(params["preset"], str) or params["preset"] not in presets:
            kind = "Izhikevich" if model == "izhikevich" else "AdEx"
            raise _spiking._preset_error(kind, params["preset"], list(presets))
        I = check_real_scalar(params["I"], "I")
        lo, hi = self.I_RANGE[model]
        if not lo <= I <= hi:
            raise ValueError(f"I must be in [{lo:g}, {hi:g}] for the {model} model, got {I:g}")
        return {"model": model, "preset": params["preset"], "I": I}

    def _draw(self, params: dict[str, Any]) -> None:
        model, preset, I = params["model"], params["preset"], params["I"]
        dt = self.DT[model]
        if model == "izhikevich":
            p = _spiking.IZHIKEVICH_PRESETS[preset]
            res = _spiking.simulate_izhikevich(p, I, self.T_MAX, scheme="euler", dt=dt)
            v_grid = np.linspace(-90.0, 35.0, 200)
            nv, nr = _spiking.izhikevich_nullclines(v_grid, p.b, I)
            fp = _spiking.izhikevich_fixed_points(p.b, I)
            self.fixed.set_data(fp, p.b * fp)
            self.ax_v.set_ylim(-90.0, 40.0)
            self.ax_p.set_ylabel("u")
            unit = ""
        else:
            p = _spiking.ADEX_PRESETS[preset]
            res = _spiking.simulate_adex(p, I, self.T_MAX, dt=dt)
            v_grid = np.linspace(-80.0, p.V_peak, 200)
            nv, nr = _spiking.adex_nullclines(v_grid, p, I)
            self.fixed.set_data([], [])
            self.ax_v.set_ylim(-85.0, 5.0)
            self.ax_p.set_ylabel("w (pA)")
            unit = " pA"
        v, r = res.v[:, 0], res.recovery[:, 0]
        lo, hi = float(r.min()), float(r.max())
        pad = max(0.25 * (hi - lo), 5.0 if model == "izhikevich" else 50.0)
        y_lo, y_hi = lo - pad, hi + pad
        # clip the nullclines just outside the axes: Agg is slow on huge coordinates
        # (the AdEx v-nullcline reaches 1e12 pA at V_peak)
        span = y_hi - y_lo
        self.line_v.set_data(res.t, v)
        self.null_v.set_data(v_grid, np.clip(nv, y_lo - span, y_hi + span))
        self.null_r.set_data(v_grid, np.clip(nr, y_lo - span, y_hi + span))
        self.traj.set_data(v, r)
        self.ax_p.set_xlim(v_grid[0], v_grid[-1])
        self.ax_p.set_ylim(y_lo, y_hi)
        pattern = res.describe(0).pattern
        # one short title: text is most of a redraw (the scheme, Euler, is in the docstring)
        self.ax_v.set_title(f"{preset}, I = {I:.4g}{unit}: {pattern} ({res.spike_counts()[0]} spikes)", fontsize=10)

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        model = ipywidgets.Dropdown(options=list(self.PRESETS), value=self.params["model"], description="model")
        preset = ipywidgets.Dropdown(
            options=list(self.PRESETS[self.params["model"]]), value=self.params["preset"], description="preset"
        )
        lo, hi = self.I_RANGE[self.params["model"]]
        current = ipywidgets.FloatSlider(value=self.params["I"], min=lo, max=hi, step=(hi - lo) / 240, description="I")

        def on_model(change: dict[str, Any]) -> None:
            # switch model, preset and current together, then make the controls agree
            new = change["new"]
            first = next(iter(self.PRESETS[new]))
            target = self.DEFAULT_CURRENTS[new][first]
            self.update(model=new, preset=first, I=target)
            lo, hi = self.I_RANGE[new]
            preset.options = list(self.PRESETS[new])
            preset.value = first
            current.max, current.min = max(hi, current.min), lo  # may clamp the value: reset below
            current.max = hi
            current.step = (hi - lo) / 240
            current.value = target

        model.observe(on_model, names="value")
        return {"model": model, "preset": preset, "I": current}

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        model = str(rng.choice(list(self.PRESETS)))
        lo, hi = self.I_RANGE[model]
        return {"model": model, "preset": str(rng.choice(list(self.PRESETS[model]))), "I": float(rng.uniform(lo, hi))}


def spiking_explorer(model: str = "izhikevich", preset: str = "RS", I: float = 10.0) -> SpikingExplorer:
    """Explore the Izhikevich and AdEx presets under a constant current (chapter 04).

    Parameters
    ----------
    model : {"izhikevich", "adex"}, default "izhikevich"
    preset : str, default "RS"
        A key of :data:`neurolib.spiking.IZHIKEVICH_PRESETS` or :data:`neurolib.spiking.ADEX_PRESETS`.
    I : float, default 10
        Constant current from t = 0: model units in [-20, 40] (Izhikevich) or pA in
        [-200, 1000] (AdEx).

    Returns
    -------
    SpikingExplorer
        Display it for the static figure (300 ms trace, phase plane; forward Euler with
        dt = 0.1 ms); ``.ui`` for the interactive version.
    """
    return SpikingExplorer(model=model, preset=preset, I=I)


# --- chapter 02: the Hodgkin–Huxley model -------------------------------------------------

from . import hh as _hh  # noqa: E402  (kept in this chapter's section)


class HHExplorer(WidgetApp):
    """A current pulse into a Hodgkin–Huxley neuron: voltage (top) and the three gates (bottom)."""

    name = "hh_explorer"
    #: Simulated window, pulse onset and time step (ms): short, so an update stays fast.
    T_MAX: ClassVar[float] = 50.0
    ONSET: ClassVar[float] = 5.0
    DT: ClassVar[float] = 0.02
    #: Slider ranges: amplitude (µA/cm²) and pulse duration (ms).
    AMPLITUDE: ClassVar[tuple[float, float]] = (-10.0, 50.0)
    DURATION: ClassVar[tuple[float, float]] = (0.1, 45.0)

    def defaults(self) -> dict[str, Any]:
        return {"amplitude": 10.0, "duration": 40.0, "preset": "classic"}

    def _setup(self) -> None:
        self.fig, (self.ax_v, self.ax_g) = new_figure(2, 1, figsize=(7.5, 4.6), sharex=True)
        self.pulse = self.ax_v.axvspan(self.ONSET, self.ONSET + 1.0, color=COLORS["highlight"], alpha=0.15, lw=0)
        (self.line_v,) = self.ax_v.plot([], [], color=COLORS["function"], lw=1.6)
        self.lines_gate = {}
        for gate, colour in zip("nmh", ("#D55E00", "#0072B2", "#009E73")):
            (self.lines_gate[gate],) = self.ax_g.plot([], [], color=colour, lw=1.6, label=gate)
        # Fixed limits and few ticks, no legend: text is most of the cost of a redraw.
        self.ax_v.set_ylim(-95, 55)
        self.ax_v.set_yticks([-80, -40, 0, 40])
        self.ax_v.set_ylabel("v (mV)")
        self.ax_g.set_ylim(-0.03, 1.03)
        self.ax_g.set_yticks([0, 0.5, 1])
        self.ax_g.set_ylabel("gates n, m, h")
        self.ax_g.set_xlabel("time (ms)")
        self.ax_g.set_xlim(0, self.T_MAX)
        self.ax_g.set_xticks([0, 10, 20, 30, 40, 50])
        self.ax_v.set_title(" ")

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        amplitude = check_real_scalar(params["amplitude"], "amplitude", "µA/cm²")
        duration = check_real_scalar(params["duration"], "duration", "ms")
        lo, hi = self.DURATION
        if not lo <= duration <= hi:
            raise ValueError(f"duration must be in [{lo:g}, {hi:g}] ms, got {duration:g}")
        check_choice(params["preset"], "preset", _hh.PRESETS)
        return {**params, "amplitude": amplitude, "duration": duration}

    def _draw(self, params: dict[str, Any]) -> None:
        t = np.arange(int(round(self.T_MAX / self.DT)) + 1) * self.DT
        current = _hh.step_current(t, params["amplitude"], self.ONSET, params["duration"])
        res = _hh.simulate(current, self.T_MAX, self.DT, params["preset"])
        self.line_v.set_data(t, res.v)
        for gate, line in self.lines_gate.items():
            line.set_data(t, getattr(res, gate))
        x0, x1 = self.ONSET, self.ONSET + params["duration"]
        self.pulse.set_x(x0)
        self.pulse.set_width(x1 - x0)
        self.ax_v.set_title(
            f"{params['preset']}: {params['amplitude']:.1f} µA/cm² for {params['duration']:.1f} ms, "
            f"{res.spike_counts} spike(s)",
            fontsize=10,
        )

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        return {
            "amplitude": ipywidgets.FloatSlider(
                value=self.params["amplitude"], min=self.AMPLITUDE[0], max=self.AMPLITUDE[1], step=0.5,
                description="I (uA/cm2)",
            ),
            "duration": ipywidgets.FloatSlider(
                value=self.params["duration"], min=self.DURATION[0], max=self.DURATION[1], step=0.1,
                description="pulse (ms)",
            ),
            "preset": ipywidgets.Dropdown(options=list(_hh.PRESETS), value=self.params["preset"], description="preset"),
        }

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        return {
            "amplitude": float(rng.uniform(*self.AMPLITUDE)),
            "duration": float(rng.uniform(*self.DURATION)),
            "preset": str(rng.choice(list(_hh.PRESETS))),
        }


def hh_explorer(amplitude: float = 10.0, duration: float = 40.0, preset: str = "classic") -> HHExplorer:
    """Explore a Hodgkin–Huxley neuron's response to a current pulse (chapter 02).

    Parameters
    ----------
    amplitude : float, default 10
        Pulse amplitude (µA/cm²); negative values hyperpolarise.
    duration : float, default 40
        Pulse duration (ms), from 0.1 to 45; the pulse starts at 5 ms of a 50 ms window.
    preset : str, default "classic"
        A key of :data:`neurolib.hh.PRESETS`.

    Returns
    -------
    HHExplorer
        Display it for the static figure; ``.ui`` for the interactive version.
    """
    return HHExplorer(amplitude=amplitude, duration=duration, preset=preset)


# --- chapter 09: vanishing gradients and their remedies -------------------------------------

from . import deep as _deep  # noqa: E402  (kept in this chapter's section)


class GradientFlowExplorer(WidgetApp):
    """Gradient norm of every layer of a deep network, for a depth, activation and weight scale.

    The network has ``depth`` layers (hidden width 16, one logistic output unit, squared
    error) on 200 points of the two moons; its weights have standard deviation
    ``init_scale / sqrt(fan-in)`` and always come from the same seed.
    """

    name = "gradient_flow_explorer"
    ACTIVATIONS: ClassVar[tuple[str, ...]] = ("logistic", "tanh", "relu")
    MAX_DEPTH: ClassVar[int] = 20
    WIDTH: ClassVar[int] = 16
    YLIM: ClassVar[tuple[float, float]] = (1e-14, 1e4)

    def __init__(self, **params: Any) -> None:
        self.data = _dense.make_moons(200, 2, 0.15, seed=0)
        super().__init__(**params)

    def defaults(self) -> dict[str, Any]:
        return {"depth": 10, "activation": "logistic", "init_scale": 1.0}

    def _setup(self) -> None:
        self.fig, self.ax = new_figure(1, 1, figsize=(6.5, 3.4))
        ax = self.ax
        (self.line,) = ax.plot([], [], "o-", color=COLORS["function"], ms=4)
        (self.bound,) = ax.plot([], [], "--", color=COLORS["reference"], lw=1)
        ax.set_yscale("log")
        ax.set_xlim(0.5, self.MAX_DEPTH + 0.5)
        ax.set_ylim(*self.YLIM)
        ax.set_xlabel("layer (1 = input side); dashed: (1/4)^(L - l) from the last layer")
        ax.set_ylabel("gradient norm of W")
        ax.set_xticks([1, 5, 10, 15, 20])
        ax.set_yticks([1e-12, 1e-8, 1e-4, 1e0, 1e4])
        ax.set_title("gradient norm per layer")

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        depth = params["depth"]
        if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)) or not 2 <= depth <= self.MAX_DEPTH:
            raise ValueError(f"depth must be an integer in 2..{self.MAX_DEPTH}, got {depth!r}")
        check_choice(params["activation"], "activation", self.ACTIVATIONS)
        scale = check_real_scalar(params["init_scale"], "init_scale")
        if not 0.05 <= scale <= 10.0:
            raise ValueError(f"init_scale must lie in [0.05, 10], got {scale:g}")
        return {"depth": int(depth), "activation": params["activation"], "init_scale": scale}

    def compute(self, depth: int, activation: str, init_scale: float) -> np.ndarray:
        """Gradient norm of every layer (shape (depth,)) of the seeded network."""
        net = _deep.DeepNet(2, depth, self.WIDTH, activation, "lecun", init_scale=init_scale, seed=0)
        with np.errstate(over="ignore", invalid="ignore"):
            return _deep.gradient_norms(net, self.data.X_train, self.data.y_train)

    def _draw(self, params: dict[str, Any]) -> None:
        depth = params["depth"]
        norms = self.compute(depth, params["activation"], params["init_scale"])
        layers = np.arange(1, depth + 1)
        lo, hi = self.YLIM
        self.line.set_data(layers, np.clip(norms, lo, hi))
        self.bound.set_data(layers, np.clip(_deep.sigmoid_prime_bound(depth) * norms[-1], lo, hi))
        ratio = f"first/last = {norms[0] / norms[-1]:.2g}" if norms[-1] > 0 else "no gradient at the last layer"
        self.ax.set_title(f"{params['activation']}, {depth} layers, weights {params['init_scale']:g}/sqrt(n): {ratio}")

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        return {
            "depth": ipywidgets.IntSlider(value=self.params["depth"], min=2, max=self.MAX_DEPTH, description="depth"),
            "activation": ipywidgets.Dropdown(
                options=list(self.ACTIVATIONS), value=self.params["activation"], description="f"
            ),
            "init_scale": ipywidgets.FloatLogSlider(
                value=self.params["init_scale"], base=10, min=-1, max=1, step=0.05, description="scale"
            ),
        }

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        return {
            "depth": int(rng.integers(2, self.MAX_DEPTH + 1)),
            "activation": str(rng.choice(self.ACTIVATIONS)),
            "init_scale": float(10 ** rng.uniform(-1, 1)),
        }


def gradient_flow_explorer(
    depth: int = 10, activation: str = "logistic", init_scale: float = 1.0
) -> GradientFlowExplorer:
    """Gradient norm per layer of a deep network (chapter 09).

    Parameters
    ----------
    depth : int, default 10
        Number of layers, 2 to 20.
    activation : {"logistic", "tanh", "relu"}
        Activation of the hidden units.
    init_scale : float, default 1.0
        Weights have standard deviation ``init_scale / sqrt(fan-in)`` (0.05 to 10).

    Returns
    -------
    GradientFlowExplorer
        Display it for the static figure; ``.ui`` for the interactive version.
    """
    return GradientFlowExplorer(depth=depth, activation=activation, init_scale=init_scale)


#: Every widget factory of the book, by name (used by the tests and ``make bench``).
WIDGETS: dict[str, Callable[[], WidgetApp]] = {
    "spiking_explorer": spiking_explorer,
    "hh_explorer": hh_explorer,
    "activation_explorer": activation_explorer,
    "hyperplane_explorer": hyperplane_explorer,
    "dense_trainer": dense_trainer,
    "gradient_flow_explorer": gradient_flow_explorer,
    "lif_explorer": lif_explorer,
    "spike_train_explorer": spike_train_explorer,
    "membrane_explorer": membrane_explorer,
    "reservoir_explorer": reservoir_explorer,
}
