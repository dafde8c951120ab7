"""The book's figure style (neurolib.plotting): contrast, colour-blind safety, text size, dpi.

Colours are checked with coloraide (WCAG 2.1 contrast, CIEDE2000, Machado et al. 2009
simulation of colour-vision deficiency), not with formulas written here.
"""

from __future__ import annotations

import itertools

import matplotlib
import pytest
from coloraide import Color
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text

from neurolib import plotting, widgets

# WCAG 2.1 success criterion 1.4.11 (non-text contrast): graphical objects needed to
# understand the content, such as the lines of a plot, need 3 : 1 against what is next to
# them. The figures are drawn on white and shown on a white page (_config.yml pins the
# light theme), so white is the only background.
MIN_CONTRAST = 3.0

# CIEDE2000 difference that every pair of palette colours keeps. A difference of about 1
# is just noticeable for two large patches side by side; thin plot lines and small legend
# swatches need several times more (Stone, Albers Szafir & Setlur 2014, "An engineering
# model for color difference as a function of size"), and a reader matches a line with
# its legend entry across the figure, not side by side. We ask 10 under simulated
# deuteranopia and protanopia (full severity), which is about what the original
# Okabe-Ito palette keeps in its closest pair under these two (11.6, orange vs yellow,
# deuteranopia), and twice that for normal colour vision, where lines of the same
# figure should look clearly different, not merely distinguishable.
MIN_DELTA_E_CVD = 10.0
MIN_DELTA_E_NORMAL = 20.0
DEFICIENCIES = ("deutan", "protan")

# Text size: at the figures' 100 dpi a 10 pt font is 14 px (its em), with lower-case
# letters about 7 px high. A 7-inch figure is shown at about its own size in the site's
# text column, so tick labels and legends are about as large as the site's small print
# (0.875 em of 16 px); smaller text in figures is what issue 19 found unreadable (8 px
# tick labels in the widgets, a 6 px legend).
MIN_FONT_POINTS = 10.0

TEXT_SIZE_KEYS = (
    "font.size",
    "axes.titlesize",
    "axes.labelsize",
    "xtick.labelsize",
    "ytick.labelsize",
    "legend.fontsize",
    "legend.title_fontsize",
    "figure.titlesize",
    "figure.labelsize",
)


def _contrast(colour: str, background: str = "white") -> float:
    return Color(colour).contrast(background, method="wcag21")


def _closest_pair(colours: list[str], deficiency: str | None) -> tuple[float, str, str]:
    seen = [Color(c) if deficiency is None else Color(c).filter(deficiency, method="machado") for c in colours]
    return min(
        (seen[i].delta_e(seen[j], method="2000"), colours[i], colours[j])
        for i, j in itertools.combinations(range(len(colours)), 2)
    )


# --- contrast -----------------------------------------------------------------------------


@pytest.mark.parametrize("colour", sorted(set(plotting.PALETTE) | set(plotting.COLORS.values())))
def test_every_colour_has_3_to_1_contrast_on_white(colour):
    assert _contrast(colour) >= MIN_CONTRAST, f"{colour}: {_contrast(colour):.2f} : 1 on white"


@pytest.mark.parametrize(
    "colour, expected", [("#F0E442", 1.32), ("#E69F00", 2.25), ("#56B4E9", 2.31), ("#000000", 21.0)]
)
def test_contrast_check_rejects_the_original_light_okabe_ito_colours(colour, expected):
    """The check can fail: it reproduces the ratios issue 19 measured for the old palette."""
    assert _contrast(colour) == pytest.approx(expected, abs=0.01)
    assert (_contrast(colour) >= MIN_CONTRAST) == (colour == "#000000")


# --- colour-vision deficiency -------------------------------------------------------------


def test_palette_colours_differ_clearly_with_normal_colour_vision():
    delta, a, b = _closest_pair(list(plotting.PALETTE), None)
    assert delta >= MIN_DELTA_E_NORMAL, f"{a} and {b}: CIEDE2000 {delta:.1f}"


@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_palette_colours_stay_distinguishable_under_simulated_colour_blindness(deficiency):
    delta, a, b = _closest_pair(list(plotting.PALETTE), deficiency)
    assert delta >= MIN_DELTA_E_CVD, f"{deficiency}: {a} and {b} differ by CIEDE2000 {delta:.1f} only"


@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_colours_by_meaning_stay_distinguishable_under_simulated_colour_blindness(deficiency):
    """function / derivative / reference / highlight are drawn in the same figures."""
    delta, a, b = _closest_pair(sorted(set(plotting.COLORS.values())), deficiency)
    assert delta >= MIN_DELTA_E_CVD, f"{deficiency}: {a} and {b} differ by CIEDE2000 {delta:.1f} only"


def test_simulation_check_can_fail():
    """Red and green of equal lightness look alike to a deuteranope: the check must see it."""
    delta, _, _ = _closest_pair(["#D55E00", "#6E8B00"], "deutan")
    assert delta < MIN_DELTA_E_CVD
    assert _closest_pair(["#D55E00", "#6E8B00"], None)[0] >= MIN_DELTA_E_NORMAL


def test_palette_keeps_its_length_and_order_of_use():
    """Chapters zip series with PALETTE (up to 7 at once in chapter 09) and index it."""
    assert len(plotting.PALETTE) == 8 and len(set(plotting.PALETTE)) == 8
    assert plotting.COLORS["function"] == plotting.PALETTE[0]
    assert plotting.COLORS["derivative"] == plotting.PALETTE[1]
    assert list(plotting.STYLE["axes.prop_cycle"].by_key()["color"]) == list(plotting.PALETTE)


# --- text size and resolution -------------------------------------------------------------


@pytest.mark.parametrize("key", TEXT_SIZE_KEYS)
def test_style_text_sizes_are_readable(key):
    with matplotlib.rc_context(plotting.STYLE):
        points = FontProperties(size=matplotlib.rcParams[key]).get_size_in_points()
    assert points >= MIN_FONT_POINTS, f"{key} = {points} pt"
    assert plotting.MIN_FONT_SIZE >= MIN_FONT_POINTS


def test_a_figure_drawn_with_the_style_has_no_small_text():
    fig, ax = plotting.new_figure()
    ax.plot([1, 2, 3], label="a line")
    ax.set(xlabel="x", ylabel="y", title="title")
    ax.legend()
    fig.canvas.draw()
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    assert sizes and min(sizes) >= MIN_FONT_POINTS


@pytest.mark.parametrize("name", sorted(widgets.WIDGETS))
def test_widgets_draw_at_the_style_resolution(name):
    app = widgets.WIDGETS[name]()
    assert app.fig.dpi == plotting.STYLE["figure.dpi"] == plotting.WIDGET_DPI
    width, height = app.fig.canvas.get_width_height()
    assert (width, height) == tuple(round(v * plotting.STYLE["figure.dpi"]) for v in app.fig.get_size_inches())


@pytest.mark.parametrize("name", sorted(widgets.WIDGETS))
def test_widget_text_is_at_least_the_style_minimum(name):
    app = widgets.WIDGETS[name]()
    app.render_full()
    small = [
        (t.get_text(), t.get_fontsize())
        for t in app.fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.get_fontsize() < MIN_FONT_POINTS
    ]
    assert not small, f"{name}: text below {MIN_FONT_POINTS} pt: {small[:5]}"


@pytest.mark.parametrize("name", sorted(widgets.WIDGETS))
def test_widget_axis_labels_write_symbols_as_math(name):
    """A subscripted symbol in plain text (v_in, x1) reads as raw TeX next to the chapters' math."""
    import re

    app = widgets.WIDGETS[name]()
    for ax in app.fig.axes:
        for label in (ax.get_xlabel(), ax.get_ylabel()):
            plain = re.sub(r"\$[^$]*\$", "", label)  # text outside math
            assert not re.search(r"\b[A-Za-z]_\w|\b[xw][0-9]\b", plain), f"{name}: axis label {label!r}"


def _on_white(colour, alpha: float | None) -> str:
    """The colour a line of ``colour`` and opacity ``alpha`` shows on white."""
    from matplotlib.colors import to_hex, to_rgba

    r, g, b, a = to_rgba(colour)
    a = a if alpha is None else alpha
    return to_hex([a * c + (1.0 - a) for c in (r, g, b)])


@pytest.mark.parametrize("name", sorted(widgets.WIDGETS))
def test_widget_lines_have_3_to_1_contrast_on_white(name):
    """Every drawn line and marker of a widget, its opacity included (fills are not lines)."""
    app = widgets.WIDGETS[name]()
    app.render_full()
    low = []
    for ax in app.fig.axes:
        for line in ax.get_lines():
            if line.get_visible() and len(line.get_xdata()):
                shown = _on_white(line.get_color(), line.get_alpha())
                if _contrast(shown) < MIN_CONTRAST:
                    low.append((line.get_label(), line.get_color(), line.get_alpha(), round(_contrast(shown), 2)))
    assert not low, f"{name}: {low}"
