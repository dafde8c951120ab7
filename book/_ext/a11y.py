"""Sphinx extension: accessibility fixes to the HTML of the theme and extensions (issue 19).

What axe-core does not catch, or what its rules cannot see in the built files:

- **Unique ids.** sphinx-exercise gives the body of every solution (and exercise) the same
  id, ``<section id="solution-content">``, three or four times per chapter. On
  ``doctree-resolved`` every id that occurs more than once on a page is renamed after its
  nearest ancestor with an id (``<solution id>-solution-content``), or numbered. Nothing
  in the book links to these ids (a ``reference`` to a renamed id is renamed with it when
  the target is unambiguous).
- **Names for buttons made by scripts** (sphinx-copybutton's icon-only "copy" buttons) and
  **search snippets without raw TeX** (Sphinx's ``searchtools.js`` cuts its snippets from a
  result page's HTML, where math is still TeX source): both in ``_static/a11y.js``, which
  this extension adds to every page.
- **Figure text size on a phone.** Every image that is a figure (a notebook output or a
  MyST figure) gets ``data-figzoom-dpi`` (the resolution in its PNG's ``pHYs`` chunk, which
  matplotlib writes; see :func:`png_dpi` for the widgets' figures) and ``data-figzoom-pt`` (the smallest font of the book's figure style,
  :data:`neurolib.plotting.MIN_FONT_SIZE`). ``_static/figzoom.js`` computes from them the
  size of the figure's smallest text as shown, (pt / 72 x dpi) x shown width / natural
  width, and offers an enlarged view where it is under 9 CSS px.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: The script with the browser-side fixes (button names, search snippets).
SCRIPT = "a11y.js"

# An <img> of the page body with its src (the HTML writer puts src after alt).
_IMG = re.compile(r'<img\b(?P<attrs>[^>]*?)\ssrc="(?P<src>[^"]+)"(?P<rest>[^>]*)>')


# --- unique ids -----------------------------------------------------------------------------
def unique_ids(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Rename every id that more than one element of the page carries.

    Each copy is renamed after its nearest ancestor that has an id of its own (the
    solution or exercise it belongs to), else numbered (``<id>-2``, ``<id>-3``...).
    References (``refid``) to an id that is renamed once only follow it.
    """
    counts = Counter(i for node in doctree.findall(nodes.Element) for i in node.get("ids", []))
    duplicated = {i for i, n in counts.items() if n > 1}
    if not duplicated:
        return
    taken = set(counts)
    renamed: dict[str, list[str]] = {}
    for node in doctree.findall(nodes.Element):
        ids = node.get("ids", [])
        for k, old in enumerate(ids):
            if old not in duplicated:
                continue
            new = _new_id(node, old, taken)
            taken.add(new)
            ids[k] = new
            renamed.setdefault(old, []).append(new)
    for ref in doctree.findall(nodes.reference):
        targets = renamed.get(ref.get("refid", ""))
        if targets and len(targets) == 1:
            ref["refid"] = targets[0]


def _new_id(node: nodes.Element, old: str, taken: set[str]) -> str:
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.document):
        owner = [i for i in parent.get("ids", []) if i != old]
        if owner:
            candidate = f"{owner[0]}-{old}"
            if candidate not in taken:
                return candidate
            break
        parent = parent.parent
    n = 2
    while f"{old}-{n}" in taken:
        n += 1
    return f"{old}-{n}"


# --- figure resolution ----------------------------------------------------------------------
def png_dpi(path: Path) -> float | None:
    """Resolution (dots per inch) of a figure stored as PNG at ``path``.

    Matplotlib writes the figure's dpi into the PNG's ``pHYs`` chunk (100 dpi is stored as
    3937 dots per metre, read back as 99.9998). The widgets' figures are encoded by
    :func:`neurolib.plotting.png_bytes`, which writes no ``pHYs``; they are drawn at
    :data:`neurolib.plotting.WIDGET_DPI`, which is used for a PNG without the chunk. Not a
    PNG (or unreadable): ``None``, and the image is left alone.
    """
    from PIL import Image

    try:
        with Image.open(path) as image:
            if image.format != "PNG":
                return None
            dpi = image.info.get("dpi")
    except (OSError, ValueError):
        return None
    if dpi and dpi[0] > 0:
        return round(float(dpi[0]), 1)
    from neurolib.plotting import WIDGET_DPI

    return float(WIDGET_DPI)


def _min_font_pt() -> float:
    from neurolib.plotting import MIN_FONT_SIZE

    return float(MIN_FONT_SIZE)


def annotate_figures(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Add ``data-figzoom-dpi`` and ``data-figzoom-pt`` to the page's figure images.

    A figure image is one the builder copied to ``_images`` (notebook outputs and MyST
    figures; the theme's icons live in ``_static``) whose source PNG records its dpi.
    """
    body = context.get("body")
    images = getattr(app.builder, "images", None)
    if not body or not images or "<img" not in body:
        return
    sources = {dest: src for src, dest in images.items()}
    pt = _min_font_pt()

    def annotate(match: re.Match) -> str:
        if "data-figzoom-dpi" in match.group(0):
            return match.group(0)
        src = match.group("src")
        name = src.rsplit("/", 1)[-1]
        if f"{app.builder.imagedir}/{name}" not in src or name not in sources:
            return match.group(0)
        path = Path(sources[name])
        dpi = png_dpi(path if path.is_absolute() else Path(app.srcdir) / path)
        if dpi is None:
            return match.group(0)
        return (f'<img{match.group("attrs")} src="{src}" data-figzoom-dpi="{dpi:g}" '
                f'data-figzoom-pt="{pt:g}"{match.group("rest")}>')

    context["body"] = _IMG.sub(annotate, body)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-resolved", unique_ids)
    app.connect("html-page-context", annotate_figures)
    # Deferred: it runs after the page's classic scripts (copybutton.js registers its
    # DOMContentLoaded handler first, searchtools.js defines Search) and before
    # DOMContentLoaded, so it can wrap Search before a search starts.
    app.add_js_file(SCRIPT, loading_method="defer")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
