"""Sphinx extension: a link whose text says "Chapter N" must point at chapter N.

Chapters are numbered by ``_toc.yml``. A course that drops or reorders chapters changes
those numbers, and Sphinx reports a reference into a dropped chapter ({doc}, {numref},
{ref}, {eq}: "unknown document", "undefined label", "equation not found") but not a link
such as ``{doc}`Chapter 7 <07_activations>``` whose target still exists and is now
chapter 6: that one would silently print a wrong number. This extension warns about it,
naming the file, the line, the text and the target's number, so the strict build
(``-W``) fails and says what to fix. (Better still, write ``{doc}`07_activations``` and
let Sphinx print the chapter's title.)

Only the links' own text is checked; "Chapter 8" in running prose is not a reference
and cannot be checked.
"""

from __future__ import annotations

import re

from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util import docname_join

logger = logging.getLogger(__name__)

CHAPTER = re.compile(r"\bChapter\s+(\d+)\b")


def _chapter_number(env: BuildEnvironment, docname: str) -> int | None:
    """The number the table of contents gives ``docname``, or None if it has none."""
    numbers = env.toc_secnumbers.get(docname, {})
    top = numbers.get("") or (min(numbers.values(), key=len) if numbers else None)
    return top[0] if top else None


def check_chapter_links(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn about every ``{doc}`` link whose text names a chapter number the target lacks."""
    for docname in sorted(env.all_docs):
        try:
            doctree = env.get_doctree(docname)
        except FileNotFoundError:  # pragma: no cover - a document that failed to read
            continue
        for node in doctree.findall(addnodes.pending_xref):
            if node.get("refdomain") != "std" or node.get("reftype") != "doc" or not node.get("refexplicit"):
                continue
            match = CHAPTER.search(node.astext())
            if match is None:
                continue
            target = docname_join(docname, node["reftarget"])
            if target not in env.all_docs:
                continue  # Sphinx itself reports "unknown document"
            actual = _chapter_number(env, target)
            if actual == int(match[1]):
                continue
            where = f"is chapter {actual}" if actual is not None else "has no chapter number"
            logger.warning(
                "link text %r points at %s, which %s in _toc.yml; fix the number or write "
                "{doc}`%s` to show the chapter's title",
                node.astext(), target, where, node["reftarget"],
                location=(docname, node.line), type="chapter_refs", subtype="number",
            )


def setup(app: Sphinx) -> dict:
    app.connect("env-check-consistency", check_chapter_links)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
