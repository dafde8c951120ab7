"""Citations written as Markdown links, so that JupyterLab shows them too.

The chapters cite with ``[Hodgkin & Huxley, 1952](cite:hodgkin1952quantitative)``:
JupyterLab (jupyterlab-myst, which has no bibliography) shows the link's text; this
extension turns the same link, on the site, into a sphinxcontrib-bibtex citation, exactly
as ``{cite:p}`hodgkin1952quantitative``` would (the text comes from the bibliography, and
the entry is listed there). Forms: ``cite:key`` or ``cite:key1,key2`` (parenthetical,
``{cite:p}``) and ``cite:t:key`` (textual, ``{cite:t}``). An unknown key is reported by
sphinxcontrib-bibtex as for the role.
"""

from __future__ import annotations

from types import SimpleNamespace

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform


class CiteLinks(SphinxTransform):
    """Replace ``[text](cite:...)`` links by sphinxcontrib-bibtex citations."""

    default_priority = 5

    def apply(self, **kwargs) -> None:
        from sphinxcontrib.bibtex.roles import CiteRole

        for node in list(self.document.findall(addnodes.pending_xref)):
            target = node.get("reftarget", "")
            if node.get("reftype") != "myst" or not target.startswith("cite:"):
                continue
            keys, kind = target[len("cite:"):], "p"
            if keys.startswith("t:"):
                keys, kind = keys[2:], "t"
            line = node.line or 0
            source = node.source or self.document.get("source", "")
            reporter = SimpleNamespace(
                get_source_and_line=lambda lineno=None: (source, line),
                warning=self.document.reporter.warning,
                error=self.document.reporter.error,
            )
            inliner = SimpleNamespace(document=self.document, reporter=reporter)
            new, messages = CiteRole()(f"cite:{kind}", f"{{cite:{kind}}}`{keys}`", keys, line, inliner)
            node.replace_self(list(new) + list(messages))


def setup(app):
    app.add_transform(CiteLinks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
