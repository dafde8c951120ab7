"""Explorable widget figures on the site (issue 20): book/_ext/explorable.py and its script.

Unit tests (no build): the grid comes from each widget's own controls; a pre-drawn state is
the widget's own ``update`` + ``render`` for its values (same bytes once encoded, and the
same picture as the 24-bit render up to the palette); every chapter's widget cell is found.

Site tests (``site``, ``make test-site``; on the built site, or on the folder named by
``EXPLORABLE_SITE``, e.g. a reduced build): for every chapter page with a widget, in headless
Chromium with other hosts blocked, nothing under ``_static/explorable/`` is requested before
the first interaction; moving each control with the keyboard and with the mouse shows the
image and readout of the state for the new value; no request leaves the machine; the states
of a chapter take at most 1.5 MB.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT

EXT = ROOT / "book" / "_ext" / "explorable.py"


def _extension():
    spec = importlib.util.spec_from_file_location("explorable_ext", EXT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


explorable = _extension()


def _widgets():
    from neurolib.widgets import WIDGETS

    return WIDGETS


def _chapter_calls() -> dict[str, list[tuple[str, dict]]]:
    """Widget calls of each chapter's code cells, by notebook stem."""
    calls: dict[str, list] = {}
    for path in sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code" or cell["metadata"].get("explorable") is False:
                continue
            call = explorable.widget_call("".join(cell["source"]))
            if call is not None and "skip-execution" not in cell["metadata"].get("tags", []):
                calls.setdefault(path.stem, []).append(call)
    return calls


# --- the grid ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(_widgets()))
def test_grid_comes_from_the_controls(name):
    app = _widgets()[name]()
    grid = app.explorable_grid()
    allowed = app.allowed(app.params)
    assert grid and set(grid) <= set(allowed)
    assert tuple(grid) == app.explorable_keys()
    if not type(app).explorable:  # default: the first slider
        first = next(k for k, a in allowed.items() if a.options is None)
        assert tuple(grid) == (first,)
    for key, values in grid.items():
        assert app.params[key] in values, f"{name}: the default {key} is not a state"
        assert all(allowed[key].contains(v) for v in values)
        if allowed[key].options is not None:
            assert values == tuple(allowed[key].options)
        else:
            assert list(values) == sorted(values) and len(set(values)) == len(values)
            controls = app.controls()
            control = controls[key]
            lattice = (control.max - control.min) / control.step + 1
            assert len(values) >= min(21, lattice), f"{name}: {key} has {len(values)} states"
            assert values[0] == pytest.approx(allowed[key].low) and values[-1] == pytest.approx(allowed[key].high)
    states = app.explorable_states()
    assert len(states) == int(np.prod([len(v) for v in grid.values()]))
    assert all(set(s) == set(app.defaults()) for s in states)


def test_grid_steps_is_checked():
    app = _widgets()["hh_explorer"]()
    with pytest.raises(ValueError, match="steps"):
        app.explorable_grid(0)
    with pytest.raises(TypeError, match="steps"):
        app.explorable_grid(2.5)
    assert len(app.explorable_grid(120)["amplitude"]) == 121  # every value of the lattice
    assert len(app.explorable_grid(60)["amplitude"]) == 61  # every other value


def test_bad_explorable_attribute_is_named():
    cls = type(_widgets()["hh_explorer"]())

    class Wrong(cls):
        explorable = ("nonsense",)

    with pytest.raises(ValueError, match="nonsense"):
        Wrong().explorable_keys()


# --- finding the widget -----------------------------------------------------------------
def test_widget_call():
    assert explorable.widget_call("app = widgets.hh_explorer()\napp") == ("hh_explorer", {})
    assert explorable.widget_call("a = hh_explorer(amplitude=5.0)\na") == ("hh_explorer", {"amplitude": 5.0})
    assert explorable.widget_call("app = widgets.hh_explorer(x)\napp") is None  # positional
    assert explorable.widget_call("app = widgets.hh_explorer(amplitude=a)\napp") is None  # not a literal
    assert explorable.widget_call("app = widgets." + "nothing()\napp") is None  # not a widget
    assert explorable.widget_call("app.ui") is None
    assert explorable.widget_call("widgets.lif_explorer(v_in=3.0)") == ("lif_explorer", {"v_in": 3.0})
    # made only to be checked or printed: not the cell's figure
    assert explorable.widget_call("a = widgets.lif_explorer()\nprint(a.params)") is None
    assert explorable.widget_call("a = widgets.lif_explorer()\nb") is None
    assert explorable.widget_call("def (") is None
    with pytest.raises(TypeError, match="source"):
        explorable.widget_call(None)


def test_every_widget_is_used_by_a_chapter():
    calls = _chapter_calls()
    used = {name for chapter in calls.values() for name, _ in chapter}
    assert used == set(_widgets()), f"widgets without a chapter figure: {set(_widgets()) - used}"
    # each call is a figure cell: chapter 04 also makes a widget in a hidden check cell
    assert [name for name, _ in calls["04_spiking_models"]] == ["spiking_explorer"]


# --- the states are the widget's own drawing ----------------------------------------------
def _pixels(png: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


@pytest.mark.parametrize("name, steps", [("hh_explorer", 3), ("gradient_flow_explorer", 3), ("activation_explorer", 3)])
def test_states_are_what_update_draws(tmp_path, name, steps):
    manifest = explorable.draw_states(name, {}, tmp_path, steps=steps)
    assert (tmp_path / "manifest.json").is_file()
    assert manifest["bytes"] == sum((tmp_path / s["src"]).stat().st_size for s in manifest["states"].values())
    entries = manifest["controls"]
    assert len(manifest["states"]) == int(np.prod([len(e["values"]) for e in entries]))
    fresh = _widgets()[name]()
    # in a shuffled order, from a fresh widget: a state does not depend on the ones before it
    names = sorted(manifest["states"], key=lambda n: hash(n) % 97)
    for state in names[:6]:
        combo = [int(i) for i in state.split("-")]
        params = {e["key"]: e["values"][i] for e, i in zip(entries, combo)}
        fresh.update(**params)
        rendered = fresh.render_full()
        # the same picture as a widget made with these values shows in Jupyter
        assert rendered == _widgets()[name](**params).render(), f"{name} {params}: not what Jupyter shows"
        stored = (tmp_path / manifest["states"][state]["src"]).read_bytes()
        assert stored == explorable.encode_state(rendered), f"{name} {params}: not update + render"
        diff = np.abs(_pixels(stored) - _pixels(rendered))
        assert diff.shape[:2] == _pixels(rendered).shape[:2]
        assert diff.mean() < 1.0 and (diff.max(axis=2) > 64).mean() < 1e-3, "the palette changed the picture"
        readout = manifest["states"][state]["readout"]
        for e, i in zip(entries, combo):
            assert f"{e['label']} = {e['labels'][i]}" in readout
        assert readout in manifest["states"][state]["alt"]
    # the chapter's settings are the initial state
    initial = manifest["initial"]
    default = _widgets()[name]().params
    assert [e["values"][i] for e, i in zip(entries, initial)] == [default[e["key"]] for e in entries]


def test_different_values_draw_different_states(tmp_path):
    manifest = explorable.draw_states("hh_explorer", {}, tmp_path, steps=2)
    pictures = {(tmp_path / s["src"]).read_bytes() for s in manifest["states"].values()}
    assert len(pictures) == len(manifest["states"])


def test_states_are_reused_when_nothing_changed(tmp_path):
    first = explorable.draw_states("lif_explorer", {}, tmp_path, steps=2)
    stamp = (tmp_path / "0.png").stat().st_mtime_ns
    again = explorable.draw_states("lif_explorer", {}, tmp_path, steps=2)
    assert again["key"] == first["key"] and (tmp_path / "0.png").stat().st_mtime_ns == stamp
    other = explorable.draw_states("lif_explorer", {"tau_m": 30.0}, tmp_path, steps=2)
    assert other["key"] != first["key"] and other["kwargs"] == {"tau_m": 30.0}


def test_draw_states_checks_its_arguments(tmp_path):
    with pytest.raises(ValueError, match="factory"):
        explorable.draw_states("nothing", {}, tmp_path)
    with pytest.raises(TypeError, match="kwargs"):
        explorable.draw_states("hh_explorer", [], tmp_path)


def test_controls_html_has_labelled_controls(tmp_path):
    manifest = explorable.draw_states("gradient_flow_explorer", {}, tmp_path, steps=2)
    page = explorable.controls_html(manifest, "../m.json", "x")
    assert page.count("<label for=") == 2
    assert '<select id="x-activation"' in page and '<input type="range" id="x-depth"' in page
    assert 'data-manifest="../m.json"' in page and 'aria-live="polite"' in page
    assert "src=" not in page  # nothing that would load before an interaction


# --- the built site, in Chromium ----------------------------------------------------------
SITE = Path(os.environ.get("EXPLORABLE_SITE", ROOT / "_build" / "html"))
BUDGET = 1_500_000


def _site_pages() -> list[str]:
    chapters = _chapter_calls()
    if not SITE.exists():
        return []
    return sorted(p.relative_to(SITE).as_posix() for p in (SITE / "book").glob("[0-9][0-9]_*.html")
                  if p.stem in chapters)


@pytest.fixture(scope="module")
def built_site() -> Path:
    if not (SITE / "_static").is_dir() or not _site_pages():
        message = f"no built site with widget chapters at {SITE}: run `make book` first"
        if os.environ.get("REQUIRE_SITE"):
            pytest.fail(message)
        pytest.skip(message)
    return SITE


@pytest.mark.site
@pytest.mark.parametrize("page", _site_pages() or ["(no site)"])
def test_site_explorable(built_site, chromium, page):
    import browser
    from playwright.sync_api import sync_playwright

    expected = len(_chapter_calls()[Path(page).stem])
    folder = built_site / "_static" / "explorable" / Path(page).with_suffix("").as_posix()
    states = list(folder.rglob("*.png"))
    assert sum(p.stat().st_size for p in states) <= BUDGET, f"{page}: states over {BUDGET} bytes"
    with browser.serve_directory(built_site) as base, sync_playwright() as pw:
        chrome = browser.launch(pw, chromium)
        context = chrome.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        remote, requested, errors = [], [], []
        browser.block_remote_requests(tab, remote)
        tab.on("request", lambda r: requested.append(r.url))
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.on("console", lambda m: m.type == "error" and errors.append(m.text))
        tab.goto(f"{base}/{page}", wait_until="load")
        tab.wait_for_load_state("networkidle")
        blocks = tab.locator(".explorable")
        assert blocks.count() == expected, f"{page}: {blocks.count()} explorable figures, {expected} widgets"
        assert not [u for u in requested if "/_static/explorable/" in u], "states loaded before any interaction"
        tab.wait_for_function("document.querySelectorAll('.explorable.explorable-ready').length > 0")
        for b in range(blocks.count()):
            block = blocks.nth(b)
            manifest = json.loads((built_site / _manifest_path(page, block.get_attribute("data-manifest"))).read_text())
            controls = block.locator("input[data-key], select[data-key]")
            assert controls.count() == len(manifest["controls"])
            for c in range(controls.count()):
                control = controls.nth(c)
                cid = control.get_attribute("id")
                assert block.locator(f'label[for="{cid}"]').count() == 1, f"{page}: control {cid} has no label"
                n = len(manifest["controls"][c]["values"])
                before = int(control.input_value())
                # keyboard
                control.focus()
                key = "ArrowLeft" if before == n - 1 else "ArrowRight"
                if control.evaluate("e => e.tagName") == "SELECT":
                    key = "ArrowUp" if before == n - 1 else "ArrowDown"
                control.press(key)
                _check_state(tab, block, manifest, base, page)
                after = int(control.input_value())
                assert after != before, f"{page}: {key} did not move {cid}"
                # mouse (a range: click near its left end; a select: choose the last option)
                if control.evaluate("e => e.tagName") == "SELECT":
                    control.select_option(index=n - 1 if after != n - 1 else 0)
                else:
                    box = control.bounding_box()
                    control.click(position={"x": 3 if after > n // 4 else box["width"] - 3, "y": box["height"] / 2})
                assert int(control.input_value()) != after, f"{page}: the mouse did not move {cid}"
                _check_state(tab, block, manifest, base, page)
        # printing shows the default figures, without the controls
        moved = tab.evaluate(_FIGURE_SOURCES)
        assert any("/_static/explorable/" in src for src in moved), "no figure was left moved"
        tab.emulate_media(media="print")
        tab.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        assert all("/_images/" in src for src in tab.evaluate(_FIGURE_SOURCES)), f"{page}: prints a moved state"
        assert not any(blocks.nth(b).is_visible() for b in range(blocks.count())), f"{page}: controls printed"
        tab.evaluate("window.dispatchEvent(new Event('afterprint'))")
        tab.emulate_media(media="screen")
        assert tab.evaluate(_FIGURE_SOURCES) == moved, f"{page}: the reader's state is lost after printing"
        assert not remote, f"{page}: requests left the machine: {remote}"
        assert not errors, f"{page}: {errors}"
        context.close()
        chrome.close()


_FIGURE_SOURCES = (
    "() => Array.from(document.querySelectorAll('.explorable')).map(b => { let n = b.previousElementSibling; "
    "while (n && !(n.tagName === 'IMG' || n.querySelector('img'))) n = n.previousElementSibling; "
    "return (n.tagName === 'IMG' ? n : n.querySelector('img')).src; })"
)


def _manifest_path(page: str, url: str) -> str:
    from posixpath import join, normpath

    return normpath(join(Path(page).parent.as_posix(), url))


def _check_state(tab, block, manifest, base, page) -> None:
    """The image and readout show the state for the controls' current values."""
    name = "-".join(block.locator("input[data-key], select[data-key]").evaluate_all("es => es.map(e => e.value)"))
    state = manifest["states"][name]
    tab.wait_for_function(
        "([b, n]) => document.querySelectorAll('.explorable')[b].getAttribute('data-state') === n",
        arg=[_index(tab, block), name], timeout=10_000,
    )
    info = block.evaluate(
        "b => { let n = b.previousElementSibling; while (n && !(n.tagName === 'IMG' || n.querySelector('img'))) "
        "n = n.previousElementSibling; const i = n.tagName === 'IMG' ? n : n.querySelector('img'); "
        "return {src: i.src, alt: i.alt, complete: i.complete, width: i.naturalWidth, "
        "readout: b.querySelector('.explorable-readout').textContent}; }"
    )
    assert info["readout"] == state["readout"], f"{page}: readout {info['readout']!r} for state {name}"
    if name == block.get_attribute("data-initial"):
        assert "/_images/" in info["src"], f"{page}: the default state should show the page's own figure"
    else:
        assert info["src"].endswith(f"/{state['src']}") and "/_static/explorable/" in info["src"], info["src"]
        assert info["alt"] == state["alt"]
    tab.wait_for_function(
        "([b]) => { const n = document.querySelectorAll('.explorable')[b].previousElementSibling; "
        "const i = n.tagName === 'IMG' ? n : n.querySelector('img'); return i.complete && i.naturalWidth > 0; }",
        arg=[_index(tab, block)], timeout=10_000,
    )


def _index(tab, block) -> int:
    return block.evaluate("b => Array.prototype.indexOf.call(document.querySelectorAll('.explorable'), b)")
