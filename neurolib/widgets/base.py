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

import functools
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Iterable, TypeVar

import numpy as np

from .._checks import check_callable, check_instance
from ..plotting import CachedRenderer, freeze_layout, png_bytes

__all__ = ["WidgetApp", "Allowed", "WIDGETS", "register"]


@dataclass(frozen=True)
class Allowed:
    """What a control lets a student choose: a closed interval or a set of options.

    Attributes
    ----------
    low, high : float or None
        Ends of a slider's range (in the parameter's unit), or None for a choice.
    options : tuple or None
        The values of a dropdown or selection slider, or None for a range.
    """

    low: float | None = None
    high: float | None = None
    options: tuple[Any, ...] | None = None

    def contains(self, value: Any) -> bool:
        """Whether ``value`` can be set with the control (ranges with a relative slack of 1e-9)."""
        if self.options is not None:
            if isinstance(value, np.ndarray):  # == would compare element-wise
                return False
            return any(value == option for option in self.options)
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            return False
        slack = 1e-9 * max(1.0, abs(self.low), abs(self.high))
        return bool(self.low - slack <= value <= self.high + slack)

    def describe(self) -> str:
        """``[lo, hi]`` or the list of options, for error messages."""
        if self.options is not None:
            return f"one of {list(self.options)}"
        return f"[{self.low:g}, {self.high:g}]"


def _allowed(control: Any) -> Allowed | None:
    """The :class:`Allowed` values of an ipywidgets control (None for other widgets)."""
    options = getattr(control, "options", None)
    if options is not None:
        values = tuple(o[1] if isinstance(o, tuple) and len(o) == 2 and isinstance(o[0], str) else o for o in options)
        return Allowed(options=values)
    if not (hasattr(control, "min") and hasattr(control, "max")):
        return None
    base = getattr(control, "base", None)  # FloatLogSlider: min and max are exponents
    if base is not None:
        return Allowed(float(base**control.min), float(base**control.max))
    return Allowed(float(control.min), float(control.max))


def _slider_grid(control: Any, default: Any, steps: int) -> tuple[Any, ...]:
    """Every ``stride``-th value of a slider's lattice (at least ``steps`` steps), its maximum
    and ``default``, sorted; integers for an integer slider, exponents for a log slider."""
    low, high, step = float(control.min), float(control.max), float(control.step)
    n = int(round((high - low) / step))
    stride = max(1, n // steps)
    decimals = max(0, -int(np.floor(np.log10(step))) + 3)
    lattice = [round(low + i * stride * step, decimals) for i in range(n // stride + 1)] + [high]
    base = getattr(control, "base", None)
    if base is not None:  # FloatLogSlider: the lattice is on the exponent
        values = {float(base**e) for e in lattice} | {float(default)}
    elif isinstance(control.value, (int, np.integer)) and not isinstance(control.value, bool):
        values = {int(round(v)) for v in lattice} | {int(default)}
    else:
        values = {float(v) for v in lattice} | {float(default)}
    return tuple(sorted(values))


#: Allowed values of every widget class's controls at its defaults (read once per class).
_ALLOWED: dict[type, dict[str, Allowed]] = {}


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
    #: Controls that the website's pre-drawn version lets a reader move (parameter names; see
    #: :meth:`explorable_grid` and ``book/_ext/explorable.py``). Empty: the first slider.
    explorable: ClassVar[tuple[str, ...]] = ()

    def __init__(self, **params: Any) -> None:
        self.params: dict[str, Any] = {}
        self._ui = None
        self._output = None
        self._checked(params)  # a bad value is refused before the figure is built
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

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Give every widget's own ``sample_params`` and ``allowed`` the argument checks of the
        base class, so a subclass writes only what is particular to it."""
        super().__init_subclass__(**kwargs)
        checks = {
            "sample_params": lambda value: check_instance(value, "rng", np.random.Generator,
                                                          "a numpy.random.Generator"),
            "allowed": lambda value: check_instance(value, "params", dict, "a dict of parameters"),
        }
        for name, check in checks.items():
            inner = vars(cls).get(name)
            if inner is None or getattr(inner, "_checked_argument", False):
                continue

            @functools.wraps(inner)
            def wrapper(self: Any, value: Any, _inner: Any = inner, _check: Any = check) -> Any:
                _check(value)
                return _inner(self, value)

            wrapper._checked_argument = True  # type: ignore[attr-defined]
            setattr(cls, name, wrapper)

    # --- shared machinery ------------------------------------------------------------
    def update(self, **params: Any) -> None:
        """Validate ``params`` (merged over the current ones) and redraw the figure.

        Every value must be one a student can set with the widget's controls: inside a
        slider's range, one of a dropdown's options (see :meth:`allowed`).

        Raises
        ------
        ValueError
            For an unknown parameter name or an invalid value, including a value outside
            its control's range (the message names the parameter, the value and the range).
        TypeError
            For a value of the wrong type.
        """
        new = self._checked(params)
        self._draw(new)
        self.params = new

    def _checked(self, params: dict[str, Any]) -> dict[str, Any]:
        """``params`` merged over the current ones, validated and held to the controls' ranges.

        Uses only the class's own constants (never the figure), so that a constructor can
        refuse a bad value before it builds anything (subclasses that compute before calling
        ``WidgetApp.__init__`` call it first).
        """
        if not hasattr(self, "params"):  # a subclass's __init__, before WidgetApp.__init__
            self.params = {}
        unknown = set(params) - set(self.defaults())
        if unknown:
            raise ValueError(
                f"unknown parameter(s) {sorted(unknown)} for {self.name}; valid: {sorted(self.defaults())}"
            )
        new = self._validate({**self.defaults(), **self.params, **params})
        self._check_allowed(new)
        return new

    def allowed(self, params: dict[str, Any]) -> dict[str, Allowed]:
        """What each control allows, by parameter name, for the settings ``params``.

        Read once per widget class from :meth:`controls` built at the defaults, so every
        widget is limited to its sliders' ranges without repeating them. A widget whose
        ranges depend on another parameter (e.g. a model choice) overrides this method.
        """
        check_instance(params, "params", dict, "a dict of parameters")
        cls = type(self)
        if cls not in _ALLOWED:
            current = self.params
            self.params = self.defaults()  # controls() shows the current values
            try:
                controls = self.controls()
            finally:
                self.params = current
            _ALLOWED[cls] = {key: a for key, c in controls.items() if (a := _allowed(c)) is not None}
            for control in controls.values():
                control.close()  # only read, never shown: release its comm in a kernel
        return _ALLOWED[cls]

    def _check_allowed(self, params: dict[str, Any], keys: Iterable[str] | None = None) -> None:
        """Raise ValueError for a value that the widget's controls cannot set.

        :meth:`update` checks every parameter after ``_validate``; a ``_validate`` that
        compares parameters (e.g. a bin width with a duration) checks the range of ``keys``
        first, so that it never compares with an absurd value.
        """
        allowed = self.allowed(params)
        for key in allowed if keys is None else keys:
            value, allowed_values = params[key], allowed[key]
            if not allowed_values.contains(value):
                self._out_of_range(key, value, allowed_values)

    def _out_of_range(self, key: str, value: Any, allowed: Allowed) -> None:
        """Raise the ValueError for ``value`` of ``key`` outside what the controls allow."""
        shown = f"{value:g}" if isinstance(value, (int, float, np.number)) else repr(value)
        model = type(self).__module__.rsplit(".", 1)[-1]
        raise ValueError(
            f"{key} = {shown} is out of range: {self.name} is limited to {key} in {allowed.describe()} "
            f"(what its controls offer); use neurolib.{model} directly for other values"
        )

    # --- the website's pre-drawn states (book/_ext/explorable.py) -----------------------
    def explorable_keys(self) -> tuple[str, ...]:
        """The parameters the site lets a reader move: :attr:`explorable`, else the first slider.

        Raises
        ------
        ValueError
            If :attr:`explorable` names a parameter without a control, or the widget has no
            control at all.
        """
        allowed = self.allowed(self.defaults())
        keys = tuple(self.explorable) or tuple(k for k, a in allowed.items() if a.options is None)[:1]
        keys = keys or tuple(allowed)[:1]
        bad = [k for k in keys if k not in allowed]
        if bad or not keys:
            raise ValueError(
                f"{self.name}.explorable = {self.explorable!r} must name controls among {sorted(allowed)}"
            )
        return keys

    def explorable_grid(self, steps: int = 24) -> dict[str, tuple[Any, ...]]:
        """The values of each explorable control that the site draws, by parameter name.

        A dropdown or selection slider gives all its options. A slider gives every
        ``stride``-th value of its own lattice (``min + i * step``, on the exponent for a log
        slider) with ``stride`` chosen so that there are at least ``steps`` steps (or every
        value, if fewer), plus its maximum and the default value, in increasing order.

        Parameters
        ----------
        steps : int, default 24
            Minimum number of steps across a slider's range (>= 1).

        Returns
        -------
        dict
            Parameter name -> tuple of values, each one the controls can set.

        Raises
        ------
        TypeError, ValueError
            If ``steps`` is not an integer >= 1.
        """
        from .._checks import check_int

        steps = check_int(steps, "steps", minimum=1)
        defaults = self.defaults()
        current = self.params
        self.params = defaults  # controls() shows the current values
        try:
            controls = self.controls()
        finally:
            self.params = current
        grid: dict[str, tuple[Any, ...]] = {}
        try:
            for key in self.explorable_keys():
                allowed = _allowed(controls[key])
                if allowed.options is not None:
                    grid[key] = tuple(allowed.options)
                else:
                    grid[key] = _slider_grid(controls[key], defaults[key], steps)
        finally:
            for control in controls.values():
                control.close()
        return grid

    def explorable_states(self, steps: int = 24) -> list[dict[str, Any]]:
        """Every combination of :meth:`explorable_grid`, as parameters for :meth:`update`.

        The other parameters keep their defaults; the last explorable control varies fastest.
        """
        import itertools

        grid = self.explorable_grid(steps)
        defaults = self.defaults()
        return [{**defaults, **dict(zip(grid, combo))} for combo in itertools.product(*grid.values())]

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

    def alt_text(self) -> str:
        """A text alternative for the current figure, for the ``alt`` of its image in Jupyter.

        The widget's name, then each panel's title (or, without one, what it plots against
        what), with matplotlib's math markup removed: the titles carry the numbers that change
        as a student moves the controls (a count of spikes, an accuracy, a fitted line).
        """
        panels = []
        for ax in self.fig.axes:
            title = ax.get_title() or " against ".join(t for t in (ax.get_ylabel(), ax.get_xlabel()) if t)
            if title:
                panels.append(_plain(title))
        return f"Live figure of {self.name}" + (": " + "; ".join(panels) if panels else "")

    def _figure_html(self) -> str:
        """The live figure as HTML: the PNG with :meth:`alt_text`, and the script that names
        the controls (:data:`_NAME_CONTROLS_JS`).

        JupyterLab's image renderer gives a PNG output no ``alt`` at all, so the figure is shown
        as an ``<img>`` of our own. The script rides along with every redraw so that it runs
        again whenever the output is shown anew (a reloaded page, a second view of the widget).
        """
        import base64
        import html

        png = base64.b64encode(self.render()).decode("ascii")
        alt = html.escape(self.alt_text(), quote=True)
        return f'<img src="data:image/png;base64,{png}" alt="{alt}"><script>{_NAME_CONTROLS_JS}</script>'

    @property
    def ui(self) -> Any:
        """The interactive widget: controls above a live image of the figure.

        Every control gets an accessible name, its description with units (see
        :func:`_accessible`), so that a screen reader says what each slider handle, dropdown
        or readout sets; the figure's image gets :meth:`alt_text`.
        """
        if self._ui is None:
            import ipywidgets
            from IPython.display import HTML, display

            controls = self.controls()
            output = ipywidgets.Output()

            def show() -> None:
                with output:
                    output.clear_output(wait=True)
                    display(HTML(self._figure_html()))

            def listener(key: str) -> Callable[[dict[str, Any]], None]:
                def on_change(change: dict[str, Any]) -> None:
                    self.update(**{key: change["new"]})
                    show()

                return on_change

            for key, control in controls.items():
                _accessible(control, key)
                control.observe(listener(key), names="value")
            show()
            self._ui = ipywidgets.VBox([ipywidgets.HBox(list(controls.values())), output])
        return self._ui


#: CSS class of every control that :func:`_accessible` prepared; :data:`_NAME_CONTROLS_JS`
#: names the parts of these controls that ipywidgets leaves unnamed.
CONTROL_CLASS = "neurolib-control"

#: ipywidgets control classes whose every focusable part is named once :func:`_accessible`
#: and :data:`_NAME_CONTROLS_JS` have run (a new kind of control needs checking in JupyterLab
#: first: ``tests/test_lab.py``).
NAMED_CONTROLS = ("FloatSlider", "IntSlider", "FloatLogSlider", "SelectionSlider", "Dropdown",
                  "Checkbox", "Button", "Text", "FloatText", "IntText", "BoundedFloatText", "BoundedIntText")

# ipywidgets 8 renders a slider with noUiSlider: the handle (role="slider") and the editable
# readout carry no name, and the description is a <label> that cannot label a <div> (only
# form elements take a <label for>); ipywidgets has no option for it. So this script points
# each handle and readout of a prepared control at the control's own label with
# aria-labelledby (the name follows the description if it changes), and gives the readout
# its role, an editable text box. JupyterLab runs scripts in trusted HTML outputs, and an
# Output widget's outputs are trusted. A MutationObserver, installed once per page, names
# the controls of views drawn later (a reloaded page, a slider rebuilt by noUiSlider).
_NAME_CONTROLS_JS = """(() => {
  const CONTROL = "%s";
  const nameAll = () => {
    const state = window.__neurolibNames;
    state.pending = false;
    for (const control of document.querySelectorAll("." + CONTROL)) {
      const label = control.querySelector(":scope > .widget-label");
      if (!label || !label.textContent.trim()) continue;
      if (!label.id) label.id = "neurolib-label-" + ++state.count;
      for (const part of control.querySelectorAll('[role="slider"], .widget-readout')) {
        if (part.getAttribute("aria-labelledby") !== label.id) {
          part.setAttribute("aria-labelledby", label.id);
        }
        if (part.classList.contains("widget-readout") && !part.hasAttribute("role")) {
          part.setAttribute("role", "textbox");
        }
      }
    }
  };
  if (!window.__neurolibNames) {
    window.__neurolibNames = {count: 0, pending: false};
    const selector = "." + CONTROL;
    // A view may be attached before it has its class or its label's text: any of these
    // changes in or around a prepared control calls for a pass.
    const ours = (node) =>
      node.nodeType === 1 && !!(node.closest(selector) || node.querySelector(selector));
    const concerns = (record) =>
      record.type === "attributes" ? record.target.classList.contains(CONTROL)
        : !!record.target.closest(selector) || [...record.addedNodes].some(ours);
    new MutationObserver((records) => {
      const state = window.__neurolibNames;
      if (state.pending || !records.some(concerns)) return;
      state.pending = true;
      queueMicrotask(nameAll);
    }).observe(document.body, {childList: true, subtree: true, attributes: true, attributeFilter: ["class"]});
  }
  nameAll();
})();""" % CONTROL_CLASS


def _accessible(control: Any, key: str) -> None:
    """Prepare an ipywidgets control for assistive technology, in place.

    Its description (what a sighted student reads beside it, with units) becomes its
    accessible name: ipywidgets already names a dropdown, checkbox, button or text box by its
    description; :data:`_NAME_CONTROLS_JS` names a slider's handle and readout, in the controls
    marked with :data:`CONTROL_CLASS`. A control without a description is given the parameter
    name, so that nothing is left unnamed. The tooltip (the label's hover text) repeats the
    description unless the widget set one (ipywidgets otherwise writes ``title="null"``).

    Parameters
    ----------
    control : ipywidgets.DOMWidget
        A control of :meth:`WidgetApp.controls`.
    key : str
        The parameter the control sets.
    """
    if not (control.description or "").strip():
        control.description = key
    if not control.tooltip:
        control.tooltip = control.description
    if CONTROL_CLASS not in control._dom_classes:
        control.add_class(CONTROL_CLASS)


def _plain(text: str) -> str:
    """``text`` without matplotlib's math markup (``$``, ``\\mathrm``, braces), one line."""
    import re

    text = re.sub(r"\\(mathrm|mathit|mathbf|text)\b", "", text)
    text = re.sub(r"\\([A-Za-z]+)", r"\1", text)  # \lambda -> lambda
    return " ".join(re.sub(r"[${}]", "", text).split())


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
    check_callable(factory, "factory", "returning a WidgetApp")
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
