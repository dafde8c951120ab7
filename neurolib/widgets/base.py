"""The machinery shared by every interactive figure of the book.

Every widget is a :class:`WidgetApp`: a matplotlib figure, a *pure* ``update(**params)``
method that recomputes and redraws it, and an ipywidgets user interface built on
demand (``app.ui``). Keeping the update logic apart from the browser means it is
unit-tested (``tests/test_widgets.py``) and timed (``make bench``) without Jupyter.

In a notebook::

    app = widgets.activation_explorer()   # figure at default settings
    app                                   # static figure (what the HTML site shows)
    app.ui                                # sliders + live figure (in Jupyter)

Each chapter's widget lives in a module named after the chapter's model module
(``neurolib/widgets/hh.py`` for ``neurolib/hh.py``). To add a widget: subclass
:class:`WidgetApp`, write ``defaults``, ``_setup``, ``controls``, ``_draw`` and
``sample_params``, and decorate its factory function with :func:`register`; the tests and
the benchmark pick it up from :data:`WIDGETS`.
"""

from __future__ import annotations

from typing import Any, Callable, ClassVar, TypeVar

import numpy as np

from ..plotting import CachedRenderer, freeze_layout, png_bytes

__all__ = ["WidgetApp", "WIDGETS", "register"]


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


#: Every widget factory of the book, by name (used by the tests and ``make bench``); filled
#: by :func:`register` when the chapter modules of :mod:`neurolib.widgets` are imported.
WIDGETS: dict[str, Callable[..., WidgetApp]] = {}

_Factory = TypeVar("_Factory", bound=Callable[..., WidgetApp])


def register(factory: _Factory) -> _Factory:
    """Add a widget factory to :data:`WIDGETS` under its function name (a decorator).

    Parameters
    ----------
    factory : callable
        A function returning a :class:`WidgetApp` at default settings when called without
        arguments; its ``__name__`` must be the widget's :attr:`WidgetApp.name`.

    Returns
    -------
    callable
        ``factory`` itself, unchanged.

    Raises
    ------
    TypeError
        If ``factory`` is not callable.
    ValueError
        If another factory is already registered under the same name.
    """
    if not callable(factory):
        raise TypeError(f"factory must be callable, got {type(factory).__name__}")
    name = factory.__name__
    if name in WIDGETS and WIDGETS[name] is not factory:
        raise ValueError(f"a widget named {name!r} is already registered")
    WIDGETS[name] = factory
    return factory


def _signed(value: float) -> str:
    """``+ 1.50`` or ``− 1.50``: a term of a sum, for plain-text titles."""
    return f"{'+' if value >= 0 else '−'} {abs(value):.2f}"


def _pale(colour: str, amount: float = 0.45) -> tuple[float, float, float]:
    """``colour`` mixed with white (``amount`` of the colour)."""
    from matplotlib.colors import to_rgb

    return tuple(amount * c + (1.0 - amount) for c in to_rgb(colour))
