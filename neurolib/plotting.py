"""One figure style for the whole book.

Colours are the Okabe–Ito palette, readable with every common form of colour-vision
deficiency. Figures get an opaque white background so that they stay legible when the
HTML site is in dark mode.
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["PALETTE", "COLORS", "STYLE", "use_style", "new_figure", "freeze_layout", "png_bytes"]

#: Okabe & Ito (2008) colour-blind-safe palette, in the order lines are drawn.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)

#: Colours by meaning, so that e.g. every derivative in the book has the same colour.
COLORS: dict[str, str] = {
    "function": PALETTE[0],
    "derivative": PALETTE[1],
    "reference": "#555555",
    "highlight": PALETTE[2],
    "excitatory": PALETTE[0],
    "inhibitory": PALETTE[1],
}

#: Matplotlib rcParams of the book's style.
STYLE: dict[str, Any] = {
    "figure.figsize": (7.0, 3.2),
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.facecolor": "white",
    "axes.prop_cycle": matplotlib.cycler(color=list(PALETTE)),
    "axes.spines.top": False,
    "axes.spines.right": False,
    # No grid: grid lines are one artist per tick and double the time of a redraw,
    # which matters for widgets (budget: 100 ms per update on a slow 2-core machine).
    "axes.grid": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "lines.linewidth": 2.0,
    "figure.constrained_layout.use": True,
}


#: Resolution of widget figures: text rendering dominates a redraw and scales with the
#: pixel size, so widgets draw at 80 dpi (on a larger canvas) to stay within 100 ms.
WIDGET_DPI: int = 80


def use_style() -> None:
    """Apply the book's style to pyplot figures made after this call."""
    matplotlib.rcParams.update(STYLE)


def new_figure(nrows: int = 1, ncols: int = 1, **kwargs: Any) -> tuple[Figure, Any]:
    """A figure with the book's style that is *not* managed by pyplot.

    Widgets use it so that a figure is shown only when they say so (and a notebook
    cell does not display it twice). Call :func:`freeze_layout` once the axes are
    labelled: the constrained layout is then computed once instead of at every redraw.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : Axes or array of Axes
        As returned by :meth:`Figure.subplots`.
    """
    figsize = kwargs.pop("figsize", STYLE["figure.figsize"])
    dpi = kwargs.pop("dpi", WIDGET_DPI)
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(nrows, ncols, **kwargs)
    return fig, axes


def freeze_layout(fig: Figure) -> None:
    """Compute the constrained layout once, then keep the axes where they are."""
    fig.canvas.draw()
    fig.set_layout_engine("none")


def png_bytes(fig: Figure, compress_level: int = 1) -> bytes:
    """Draw ``fig`` with Agg and encode it as PNG (what Jupyter shows).

    A low zlib level is used: for line plots it makes files barely larger and
    encoding several times faster than :meth:`Figure.savefig`'s default.
    """
    fig.canvas.draw()
    width, height = fig.canvas.get_width_height()
    image = PIL.Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=compress_level)
    return buf.getvalue()
