"""The interactive figure of chapter 01, spike trains (model: :mod:`neurolib.spikes`).

Shared machinery: :mod:`neurolib.widgets.base`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .. import spikes as _spikes
from .._checks import check_instance, check_int, check_nonnegative, check_real_scalar
from ..plotting import COLORS, new_figure
from .base import WidgetApp, register

__all__ = ["SpikeTrainExplorer", "spike_train_explorer"]


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
            ax.set_title(" ", fontsize=10)  # keeps room in the layout
            self.titles.append(ax.text(0.5, 1.02, "", transform=ax.transAxes, ha="center", va="bottom", fontsize=10))
        self.ax_rate.set_xlim(0.0, self.DURATION_RANGE[1])  # room for the widest tick label
        self.ax_rate.set_ylim(0.0, 1000.0)
        self.ax_raster.set_ylim(0.0, self.MAX_DRAWN)

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        rate = check_nonnegative(params["rate"], "rate", "Hz")
        duration = check_real_scalar(params["duration"], "duration", "ms")
        n = check_int(params["n_neurons"], "n_neurons", minimum=1)
        width = check_real_scalar(params["bin_width"], "bin_width", "ms")
        self._check_allowed({**params, "duration": duration}, ["duration"])  # before comparing with it
        if width > duration:
            raise ValueError(f"bin_width must be <= duration = {duration:g} ms, got {width:g}")
        return {"rate": rate, "duration": duration, "n_neurons": n, "bin_width": width}

    def compute(self, params: dict[str, Any]) -> tuple[_spikes.SpikeTrains, _spikes.RateEstimate]:
        """The trains and their PSTH for ``params`` (checked like :meth:`update`'s)."""
        return self._compute(self._checked(check_instance(params, "params", dict, "a dict of parameters")))

    def _compute(self, params: dict[str, Any]) -> tuple[_spikes.SpikeTrains, _spikes.RateEstimate]:
        """:meth:`compute` for parameters that :meth:`update` has already checked."""
        trains = _spikes.poisson_spike_trains(
            params["rate"], params["duration"], params["n_neurons"], seed=self.SEED
        )
        return trains, _spikes.psth(trains, params["bin_width"])

    def _draw(self, params: dict[str, Any]) -> None:
        trains, est = self._compute(params)
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


@register
def spike_train_explorer(
    rate: float = 20.0, duration: float = 1000.0, n_neurons: int = 100, bin_width: float = 20.0
) -> SpikeTrainExplorer:
    """Explore Poisson spike trains: raster and population rate (chapter 01).

    Parameters
    ----------
    rate : float, default 20
        Firing rate of every neuron (Hz), in [0, 100].
    duration : float, default 1000
        Length of the trains (ms), in [200, 3000].
    n_neurons : int, default 100
        Population size, 1 to 1000 (the raster shows at most 40).
    bin_width : float, default 20
        Bin width of the PSTH (ms), in [1, 200] and at most ``duration``.

    Returns
    -------
    SpikeTrainExplorer
        Display it for the static figure; ``.ui`` for the interactive version.
    """
    return SpikeTrainExplorer(rate=rate, duration=duration, n_neurons=n_neurons, bin_width=bin_width)
