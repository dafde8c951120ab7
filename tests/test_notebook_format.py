"""Every chapter follows the conventions that make it read the same on the site and in Jupyter.

The rules and their reasons are in ``tools/notebook_format.py``; ``make format`` fixes the
mechanical ones.
"""

from __future__ import annotations

import json

import pytest

import notebook_format
from conftest import ROOT

NOTEBOOKS = notebook_format.default_notebooks()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_follows_the_conventions(path):
    problems = notebook_format.check(path)
    assert not problems, "\n".join(problems)


def _notebook(cells):
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _md(text, id_="m"):
    return {"cell_type": "markdown", "id": id_, "metadata": {}, "source": text}


def _code(text, id_="c", tags=(), **meta):
    return {"cell_type": "code", "execution_count": None, "id": id_,
            "metadata": {"tags": list(tags), **meta}, "outputs": [], "source": text}


BOOT = _code("REPOSITORY = 'x'", "b", tags=("remove-input", "remove-output", "bootstrap"))


def test_fix_collapses_solution_code_and_retags_hidden_cells(tmp_path):
    path = tmp_path / "nb.ipynb"
    cells = [BOOT, _code("x = 1", "h", tags=("remove-cell",)),
             _md(":::{exercise}\n:label: ex-a\nDo it.\n:::", "e"), _code("check(None)", "k"),
             _md("```{solution-start} ex-a\n:class: dropdown\n```\nBecause.", "s"),
             _code("answer = 2", "a"), _md("```{solution-end}\n```\n## Summary", "t")]
    path.write_text(json.dumps(_notebook(cells)))
    assert len(notebook_format.check(path)) == 2
    assert notebook_format.check(path, fix=True) == []
    fixed = json.loads(path.read_text())["cells"]
    assert fixed[1]["metadata"]["tags"] == ["remove-input", "remove-output"]
    assert fixed[5]["metadata"]["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    assert "jupyter" not in fixed[3]["metadata"], "the check cell of the exercise must stay open"
    assert notebook_format.check(path) == []


@pytest.mark.parametrize("text, needle", [
    ("The rate is {glue:text}`rate:.1f` Hz.", "{glue}"),
    ("As shown {cite}`dayan2001theoretical`.", "{cite}"),
])
def test_site_only_syntax_is_refused(tmp_path, text, needle):
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(_notebook([BOOT, _md(text)])))
    problems = notebook_format.check(path, fix=True)
    assert len(problems) == 1 and needle in problems[0]


def test_missing_bootstrap_cell_is_reported(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(_notebook([_code("import numpy")])))
    assert any("bootstrap" in p for p in notebook_format.check(path))


def test_glue_in_code_is_refused(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(_notebook([BOOT, _code("from myst_nb import glue\nglue('a', 1)")])))
    assert any("glue" in p for p in notebook_format.check(path))


def test_fix_keeps_the_live_widget_out_of_the_site_build(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(_notebook([BOOT, _code("app = widgets.hh_explorer()\napp", "w"),
                                          _code("app.ui  # interactive version", "u", tags=("remove-output",))])))
    assert any("skip-execution" in p for p in notebook_format.check(path))
    assert notebook_format.check(path, fix=True) == []
    cells = json.loads(path.read_text())["cells"]
    assert cells[2]["metadata"]["tags"] == ["remove-output", "skip-execution"]
    assert "skip-execution" not in cells[1]["metadata"]["tags"], "the static figure cell must run"
