"""Sphinx extension: explorable widget figures on the static site (issue 20).

In Jupyter a chapter's widget is live (``app.ui``); on the site it used to be a still
figure. Every widget is a pure ``update(**params)`` that redraws its figure, so this
extension draws, at build time and with the widget's own ``update`` + ``render``, the figure
for a grid of values of its main control(s), writes them into the site
(``_static/explorable/<page>/<widget>/<n>.png`` and ``manifest.json``) and puts real form
controls under the static figure: a labelled ``<input type="range">`` per slider, a
``<select>`` per dropdown or selection slider, and a readout. ``_static/explorable.js``
(our own, no dependency) swaps the image's ``src`` and ``alt`` and the readout when a
control moves; it fetches the manifest and the images only at the reader's first
interaction (focus, pointer or input), so the page's first view is as light as before.
Printing shows the default figure (``explorable.css`` hides the controls, the script puts
the default image back on ``beforeprint``).

How a page's widget is found: a code cell of a notebook whose source calls a registered
widget factory and shows the result, ``app = widgets.hh_explorer()`` then ``app`` (keyword
arguments with literal values are passed on), and whose output is an image. Cell metadata
``"explorable": false`` turns it off for that cell; ``"explorable": {"steps": 30}`` asks
for a finer grid. Which controls move is chosen once per widget class:
:attr:`neurolib.widgets.base.WidgetApp.explorable`
(default: the first slider); the values are :meth:`WidgetApp.explorable_grid` (from the
widget's own ``controls()``). The notebooks are not executed again: the figures are drawn
in the Sphinx process by ``neurolib``.

The states are stored as 256-colour PNGs (:func:`encode_state`: about a third of the bytes
of the 24-bit PNG, differences only in antialiased edges), so that a chapter stays within
:data:`BUDGET` bytes once every state is loaded; a chapter over budget is a build warning.
Each state is drawn with ``render_full()`` (a full redraw, what a freshly made widget's
``render()`` gives), not the cached ``render()``: after other states, the cached redraw
differs from a full one by a few antialiased pixels, which would make a state depend on
the states drawn before it. A widget page's states are drawn again only when ``neurolib``'s source, the call or this
file change (the manifest records a key).
"""

from __future__ import annotations

import ast
import hashlib
import html
import io
import itertools
import json
import shutil
import time
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
#: Minimum number of steps across a slider's range.
STEPS = 24
#: Bytes of every state of a chapter's widgets together (warning above it).
BUDGET = 1_500_000
#: Folder under the site's ``_static`` that holds the states.
FOLDER = "explorable"


# --- finding the widget of a cell ---------------------------------------------------------
def widget_call(source: str) -> tuple[str, dict[str, Any]] | None:
    """The registered widget factory that ``source`` calls, and its keyword arguments.

    Recognises a cell that shows a widget, ``app = widgets.<factory>(...)`` then ``app``
    (or the call itself as the last line), for a factory of
    :data:`neurolib.widgets.WIDGETS`, with keyword arguments whose values are literals. A
    cell that makes a widget only to check or print something is not its figure.

    Parameters
    ----------
    source : str
        A code cell's source.

    Returns
    -------
    tuple or None
        ``(factory name, keyword arguments)``, or None if the cell calls no widget factory
        (or calls it with positional or non-literal arguments, which the site cannot follow).
    """
    from neurolib.widgets import WIDGETS

    if not isinstance(source, str):
        raise TypeError(f"source must be a str, got {type(source).__name__}")
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return None
    shown = tree.body[-1].value  # the cell must show the widget: `app` or the call itself
    if isinstance(shown, ast.Name):
        bound = [n.value for n in tree.body[:-1] if isinstance(n, ast.Assign)
                 and any(isinstance(t, ast.Name) and t.id == shown.id for t in n.targets)]
        if not bound:
            return None
        shown = bound[-1]
    for node in [shown]:
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name not in WIDGETS or node.args:
            continue
        try:
            kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords if kw.arg}
        except ValueError:
            return None
        return name, kwargs
    return None


# --- drawing the states -----------------------------------------------------------------
def encode_state(png: bytes) -> bytes:
    """``png`` (a widget's :meth:`render`) as a 256-colour PNG, deterministic.

    Parameters
    ----------
    png : bytes
        PNG bytes of an RGB or RGBA image.

    Returns
    -------
    bytes
        The palette PNG (median cut, no dithering, zlib level 9).
    """
    from PIL import Image

    if not isinstance(png, (bytes, bytearray)):
        raise TypeError(f"png must be bytes, got {type(png).__name__}")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    palette = image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    # Keep the source's resolution (pHYs): the site works out figure text sizes from it (a11y.py).
    dpi = Image.open(io.BytesIO(png)).info.get("dpi")
    palette.save(out, "PNG", optimize=True, **({"dpi": dpi} if dpi else {}))
    return out.getvalue()


def _format(value: Any, control: Any) -> str:
    """``value`` as the control's readout shows it."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    fmt = getattr(control, "readout_format", None) or ("d" if isinstance(value, int) else ".3g")
    try:
        return format(value, fmt)
    except ValueError:
        return f"{value:g}"


def _label(key: str, control: Any) -> str:
    return str(getattr(control, "description", "") or key)


def _titles(app: Any) -> str:
    texts = []
    for ax in app.fig.axes:
        texts += [ax.get_title(loc).strip() for loc in ("left", "center", "right")]
        # a title drawn as text above the axes (membrane_explorer)
        texts += [t.get_text().strip() for t in ax.texts
                  if t.get_transform() == ax.transAxes and t.get_position()[1] >= 1.0]
    texts += [t.get_text().strip() for t in app.fig.texts]
    return "; ".join(t for t in texts if t)


def _source_key(factory: str, kwargs: dict[str, Any], steps: int) -> str:
    """Changes when neurolib's source, this file or the call changes."""
    digest = hashlib.sha256(json.dumps([factory, kwargs, steps], sort_keys=True, default=str).encode())
    for path in sorted((ROOT / "neurolib").rglob("*.py")) + [Path(__file__)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def draw_states(factory: str, kwargs: dict[str, Any], out_dir: Path, steps: int = STEPS) -> dict[str, Any]:
    """Draw every state of a widget into ``out_dir`` and write its ``manifest.json``.

    Parameters
    ----------
    factory : str
        Name of a factory in :data:`neurolib.widgets.WIDGETS`.
    kwargs : dict
        Keyword arguments of the chapter's call (the figure's fixed settings).
    out_dir : pathlib.Path
        Folder for ``<n>.png`` and ``manifest.json`` (created; left as is when its manifest
        has the same key).
    steps : int, default :data:`STEPS`
        Minimum number of steps across a slider's range.

    Returns
    -------
    dict
        The manifest: ``controls`` (key, label, kind, values and their labels), ``initial``
        (indices of the chapter's settings), ``states`` (file, readout and alt text by
        ``"i-j"``), ``bytes`` (of all states), ``seconds`` (to draw them) and ``key``.
    """
    from neurolib.widgets import WIDGETS

    if factory not in WIDGETS:
        raise ValueError(f"factory must be one of {sorted(WIDGETS)}, got {factory!r}")
    if not isinstance(kwargs, dict):
        raise TypeError(f"kwargs must be a dict, got {type(kwargs).__name__}")
    out_dir = Path(out_dir)
    key = _source_key(factory, kwargs, steps)
    manifest_path = out_dir / "manifest.json"
    if manifest_path.is_file():
        old = json.loads(manifest_path.read_text(encoding="utf-8"))
        if old.get("key") == key and all((out_dir / s["src"]).is_file() for s in old["states"].values()):
            return old
    start = time.perf_counter()
    app = WIDGETS[factory](**kwargs)
    base = dict(app.params)
    grid = app.explorable_grid(steps)
    app.params = {**app.defaults(), **base}
    controls = app.controls()
    for control in controls.values():
        control.close()
    entries, initial = [], []
    for name, values in grid.items():
        control = controls[name]
        kind = "select" if getattr(control, "options", None) is not None else "range"
        labels = [_format(v, control) for v in values]
        at = base[name]
        index = values.index(at) if at in values else min(
            range(len(values)), key=lambda i: abs(float(values[i]) - float(at))
        )
        entries.append({"key": name, "label": _label(name, control), "kind": kind,
                        "values": list(values), "labels": labels})
        initial.append(index)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    states, total = {}, 0
    for combo in itertools.product(*(range(len(v)) for v in grid.values())):
        params = {entry["key"]: entry["values"][i] for entry, i in zip(entries, combo)}
        app.update(**{**base, **params})
        png = encode_state(app.render_full())  # not the cached render(): see the module docstring
        name = "-".join(map(str, combo))
        (out_dir / f"{name}.png").write_bytes(png)
        total += len(png)
        readout = ", ".join(f"{e['label']} = {e['labels'][i]}" for e, i in zip(entries, combo))
        titles = _titles(app)
        alt = f"The figure redrawn for {readout}." + (f" Titles: {titles}." if titles else "")
        states[name] = {"src": f"{name}.png", "readout": readout, "alt": alt}
    import matplotlib.pyplot as plt

    plt.close(app.fig)
    manifest = {"widget": factory, "kwargs": kwargs, "controls": entries, "initial": initial,
                "states": states, "bytes": total, "seconds": round(time.perf_counter() - start, 3),
                "key": key}
    manifest_path.write_text(json.dumps(manifest, indent=0, default=str), encoding="utf-8")
    return manifest


# --- the page ---------------------------------------------------------------------------
def controls_html(manifest: dict[str, Any], manifest_url: str, uid: str) -> str:
    """The form controls and readout put under the widget's figure."""
    esc = html.escape
    initial = manifest["initial"]
    readout = manifest["states"]["-".join(map(str, initial))]["readout"]
    parts = [
        f'<div class="explorable" data-manifest="{esc(manifest_url)}" '
        f'data-initial="{esc("-".join(map(str, initial)))}" role="group" aria-label="Explore the figure">',
        '<p class="explorable-note">Move the control to redraw the figure; the caption describes '
        "the default settings. (Figures drawn when the site was built; in Jupyter, the next "
        "cell is the live widget.)</p>",
    ]
    for entry, index in zip(manifest["controls"], initial):
        cid = f"{uid}-{entry['key']}"
        parts.append('<div class="explorable-control">')
        parts.append(f'<label for="{esc(cid)}">{esc(entry["label"])}</label>')
        if entry["kind"] == "select":
            options = "".join(
                f'<option value="{i}"{" selected" if i == index else ""}>{esc(text)}</option>'
                for i, text in enumerate(entry["labels"])
            )
            parts.append(f'<select id="{esc(cid)}" data-key="{esc(entry["key"])}">{options}</select>')
        else:
            parts.append(
                f'<input type="range" id="{esc(cid)}" data-key="{esc(entry["key"])}" min="0" '
                f'max="{len(entry["values"]) - 1}" step="1" value="{index}" '
                f'aria-valuetext="{esc(entry["labels"][index])}">'
            )
            parts.append(f'<span class="explorable-value" aria-hidden="true">{esc(entry["labels"][index])}</span>')
        parts.append("</div>")
    parts.append(f'<output class="explorable-readout" aria-live="polite">{esc(readout)}</output>')
    parts.append("</div>")
    return "".join(parts)


def _cell_source(app: Sphinx, docname: str, cell: nodes.Element) -> str:
    for block in cell.findall(nodes.literal_block):
        return block.astext()
    path = Path(app.env.doc2path(docname))
    index = cell.get("cell_index")
    if path.suffix != ".ipynb" or index is None:
        return ""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    source = cells[index]["source"] if index < len(cells) else ""
    return "".join(source) if isinstance(source, list) else source


def _add_controls(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    found = []
    for cell in list(doctree.findall(nodes.container)):
        if cell.get("nb_element") != "cell_code":
            continue
        option = (cell.get("cell_metadata") or {}).get("explorable", True)
        if option is False:
            continue
        images = list(cell.findall(nodes.image))
        if not images:
            continue
        call = widget_call(_cell_source(app, docname, cell))
        if call is None:
            continue
        steps = option.get("steps", STEPS) if isinstance(option, dict) else STEPS
        found.append((cell, images[0], call, steps))
    if not found:
        return
    total = 0
    for number, (cell, image, (factory, kwargs), steps) in enumerate(found):
        folder = f"{FOLDER}/{docname}/{factory}" + (f"-{number}" if number else "")
        manifest = draw_states(factory, kwargs, Path(app.outdir) / "_static" / folder, steps)
        total += manifest["bytes"]
        logger.info("explorable: %s %s: %d states, %d bytes, %.1f s", docname, factory,
                    len(manifest["states"]), manifest["bytes"], manifest["seconds"])
        url = relative_uri(app.builder.get_target_uri(docname), f"_static/{folder}/manifest.json")
        raw = nodes.raw("", controls_html(manifest, url, f"explorable-{number}"), format="html")
        figure = image.parent if isinstance(image.parent, nodes.figure) else image
        figure.parent.insert(figure.parent.index(figure) + 1, raw)
    if total > BUDGET:
        logger.warning("explorable: the states of %s take %d bytes, over the budget of %d; reduce the "
                       "grid (cell metadata explorable.steps) or the widget's explorable controls",
                       docname, total, BUDGET, location=docname, type="explorable", subtype="budget")
    pages = app.env.__dict__.setdefault("explorable_pages", set())
    pages.add(docname)


def _page_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Our script and stylesheet, only on pages with an explorable figure."""
    if pagename in getattr(app.env, "explorable_pages", set()):
        app.add_js_file("explorable.js", loading_method="defer")
        app.add_css_file("explorable.css")


def _copy_assets(app: Sphinx, exception: Exception | None) -> None:
    """Make sure our script and stylesheet are in the site (if html_static_path lacks them)."""
    if exception is not None or app.builder.format != "html":
        return
    here = Path(__file__).resolve().parents[1] / "_static"
    for name in ("explorable.js", "explorable.css"):
        target = Path(app.outdir) / "_static" / name
        if not target.is_file():
            shutil.copyfile(here / name, target)


def _merge(app: Sphinx, env, docnames, other) -> None:
    pages = env.__dict__.setdefault("explorable_pages", set())
    pages |= getattr(other, "explorable_pages", set())


def _purge(app: Sphinx, env, docname: str) -> None:
    getattr(env, "explorable_pages", set()).discard(docname)


def setup(app: Sphinx) -> dict:
    app.connect("doctree-resolved", _add_controls)
    # Before other handlers (priority < 500): offline_assets.py replaces the page's list of
    # scripts with a filtered copy, which a later add_js_file would no longer reach.
    app.connect("html-page-context", _page_assets, priority=400)
    app.connect("build-finished", _copy_assets)
    app.connect("env-merge-info", _merge)
    app.connect("env-purge-doc", _purge)
    # Parallel writing: doctree-resolved (which draws the states) runs in the main process,
    # before the writer processes are forked.
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
