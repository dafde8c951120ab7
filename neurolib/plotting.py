"""One figure style for the whole book.

Colours follow the Okabe–Ito palette, darkened where needed so that every line has a
contrast of at least 3 : 1 against the white page (WCAG 2.1's minimum for graphics), and
chosen so that every pair stays distinguishable under simulated deuteranopia and protanopia
(``tests/test_plotting.py`` computes both). Text is at least 10 pt, and widgets draw at the
same resolution as the notebook figures. Figures get an opaque white background: the site
pins its light theme (``_config.yml``), and a reader's dark mode still shows them on white.
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib
import matplotlib.text
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["PALETTE", "COLORS", "STYLE", "MIN_FONT_SIZE", "WIDGET_DPI", "use_style", "new_figure", "freeze_layout", "png_bytes", "CachedRenderer"]

#: The Okabe & Ito (2008) hues, in the order lines are drawn, each darkened (in OKLCh,
#: hue kept within a few degrees) until it has a contrast of at least 3 : 1 on white;
#: lightness and chroma were then tuned so that every pair keeps a CIEDE2000 difference of
#: at least 10 under simulated deuteranopia and protanopia (Machado et al. 2009).
#: ``tests/test_plotting.py`` recomputes both. The originals' contrast: orange 2.25,
#: sky blue 2.31, yellow 1.32 (too light for lines on white).
PALETTE: tuple[str, ...] = (
    "#00649F",  # blue              6.4 : 1 on white
    "#C34B00",  # vermillion        4.9 : 1
    "#339B7A",  # bluish green      3.4 : 1
    "#CA76A4",  # reddish purple    3.2 : 1
    "#C98400",  # orange (amber)    3.1 : 1
    "#179BD7",  # sky blue          3.1 : 1
    "#949454",  # yellow, darkened to olive: 3.2 : 1
    "#000000",  # black            21.0 : 1
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
    "savefig.dpi": "figure",
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.facecolor": "white",
    "axes.prop_cycle": matplotlib.cycler(color=list(PALETTE)),
    "axes.spines.top": False,
    "axes.spines.right": False,
    # No grid: grid lines are one artist per tick and double the time of a redraw,
    # which matters for widgets (budget: 100 ms per update on a slow 2-core machine).
    "axes.grid": False,
    # Text sizes in points; at the figures' 100 dpi 1 pt = 1.39 px, so the smallest text
    # (MIN_FONT_SIZE = 10 pt) is 14 px high in a figure shown at its own size.
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.title_fontsize": 10,
    "figure.titlesize": 12,
    "figure.labelsize": 11,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "figure.constrained_layout.use": True,
}


#: Smallest text size of the style, in points (tick labels and legends).
MIN_FONT_SIZE: float = 10.0

#: Resolution of widget figures: the same as every other figure of the book, so that their
#: text has the same size on the page (it was 80 dpi, with 8 px tick labels).
WIDGET_DPI: int = STYLE["figure.dpi"]


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
    """Compute the constrained layout once, then keep axes, titles and labels where they are.

    Without this, every redraw would re-run the layout and re-place each title and axis
    label around the measured tick labels, which is a large part of a widget's redraw.
    Axis labels keep the place the layout gave them (in axes coordinates), so a widget
    must start with its widest tick labels; ``tests/test_widgets.py`` checks that labels
    never overlap tick labels over a range of settings.

    Raises
    ------
    TypeError
        If ``fig`` is not a :class:`matplotlib.figure.Figure`.
    """
    from ._checks import check_instance

    check_instance(fig, "fig", Figure, "a matplotlib Figure (e.g. from new_figure)")
    fig.canvas.draw()
    fig.set_layout_engine("none")
    for ax in fig.axes:
        # Giving set_title a y turns off the automatic title placement of this axes. A blank
        # title (" ") only reserved room in the layout: it becomes empty, so it costs nothing.
        title = ax.title
        text = title.get_text() if title.get_text().strip() else ""
        ax.set_title(text, y=title.get_position()[1], fontsize=title.get_fontsize(),
                     fontweight=title.get_fontweight(), color=title.get_color())
        for axis in (ax.xaxis, ax.yaxis):
            label = axis.label
            if label.get_text():
                display = label.get_transform().transform(label.get_position())
                axis.set_label_coords(*ax.transAxes.inverted().transform(display))


def png_bytes(fig: Figure, compress_level: int = 1) -> bytes:
    """Draw ``fig`` with Agg and encode it as PNG (what Jupyter shows).

    A low zlib level is used: for line plots it makes files barely larger and
    encoding several times faster than :meth:`Figure.savefig`'s default.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (a bare ``Figure()`` without a canvas is drawn with Agg).
    compress_level : int, default 1
        zlib level, 0 (none, fastest) to 9 (smallest file).

    Raises
    ------
    TypeError, ValueError
        If ``fig`` is not a Figure or ``compress_level`` is not an integer in [0, 9].
    """
    from ._checks import check_instance, check_int

    check_instance(fig, "fig", Figure, "a matplotlib Figure (e.g. from new_figure)")
    compress_level = check_int(compress_level, "compress_level", minimum=0, maximum=9)
    if not hasattr(fig.canvas, "buffer_rgba"):  # a bare Figure(): no pixels to encode
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    return _encode(fig, compress_level)


def _encode(fig: Figure, compress_level: int = 1) -> bytes:
    width, height = fig.canvas.get_width_height()
    image = PIL.Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    # pHYs records the figure's dpi, from which the site works out the size of its text
    # (book/_ext/a11y.py).
    image.save(buf, format="png", compress_level=compress_level, dpi=(fig.dpi, fig.dpi))
    return buf.getvalue()


class CachedRenderer:
    """Redraw a figure fast by caching its axes decorations as a bitmap.

    Most of the time of a matplotlib redraw goes into the axes decorations: spines,
    ticks, tick labels and axis labels. They change only when an axis' limits, scale
    or labels change. This renderer draws them once, keeps the bitmap, and on later
    renders restores it and draws only the *content* of each axes (lines,
    collections, patches, images, texts, titles, legends) and the figure's own texts,
    in z-order. The result matches a full redraw, except that content is always drawn
    above the decorations.

    Used by :class:`neurolib.widgets.WidgetApp`; ``tests/test_widgets.py`` checks the
    result against a full redraw for every widget.
    """

    #: Bitmaps kept, one per axes layout (least recently used dropped first).
    MAX_BACKGROUNDS: int = 32

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        self._key: tuple | None = None
        self._backgrounds: dict[tuple, Any] = {}

    def _layout_key(self) -> tuple:
        parts: list = [self.fig.canvas.get_width_height(), self.fig.dpi]
        for ax in self.fig.axes:
            parts.append(
                (
                    ax.get_visible(),
                    tuple(ax.get_position().bounds),
                    ax.get_xlim(),
                    ax.get_ylim(),
                    ax.get_xscale(),
                    ax.get_yscale(),
                    ax.get_xlabel(),
                    ax.get_ylabel(),
                    ax.axison,
                )
            )
        return tuple(parts)

    def _content(self) -> list[tuple[Any, list]]:
        """Per axes (and the figure), the artists drawn on top of the cached bitmap."""
        layers: list[tuple[Any, list]] = []
        for ax in sorted(self.fig.axes, key=lambda a: a.get_zorder()):
            if not ax.get_visible():
                continue
            decorations = {ax.patch, ax.xaxis, ax.yaxis, *ax.spines.values()}
            content = [a for a in ax.get_children() if a not in decorations and a.get_visible()]
            layers.append((ax, sorted(content, key=lambda a: a.get_zorder())))
        figure_level = [*self.fig.texts, *self.fig.legends, *self.fig.lines, *self.fig.patches, *self.fig.images]
        layers.append((self.fig, [a for a in figure_level if a.get_visible()]))
        return layers

    def render(self, compress_level: int = 1) -> bytes:
        """Draw the figure (restoring cached decorations where possible) and encode it as PNG."""
        canvas = self.fig.canvas
        key = self._layout_key()
        background = self._backgrounds.pop(key, None)
        if background is None and key != self._key:
            # A new axes layout: a plain full redraw is the cheapest way to show it. The
            # bitmap of the decorations is made at the next render with the same axes.
            canvas.draw()
            self._key = self._layout_key()
            return _encode(self.fig, compress_level)
        self._key = key
        layers = self._content()
        if background is None:
            hidden = [a for _, artists in layers for a in artists]
            # Axes.draw re-places titles around what is visible: keep their places.
            places = [(a, a.get_position()) for a in hidden if isinstance(a, matplotlib.text.Text)]
            for artist in hidden:
                artist.set_visible(False)
            try:
                canvas.draw()
            finally:
                for artist in hidden:
                    artist.set_visible(True)
                for text, position in places:
                    text.set_position(position)
            background = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(background)
        self._backgrounds[key] = background  # most recently used last
        while len(self._backgrounds) > self.MAX_BACKGROUNDS:
            self._backgrounds.pop(next(iter(self._backgrounds)))
        renderer = canvas.get_renderer()
        for owner, artists in layers:
            if owner is self.fig:
                for artist in artists:
                    artist.draw(renderer)
            else:
                renderer.open_group("axes-content")
                for artist in artists:
                    artist.draw(renderer)
                # Spines go on top again (an image may cover them); ticks point outwards.
                for spine in owner.spines.values():
                    if spine.get_visible():
                        spine.draw(renderer)
                renderer.close_group("axes-content")
        return _encode(self.fig, compress_level)
