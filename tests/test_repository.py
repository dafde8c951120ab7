"""The repository keeps its promises: clean notebooks, a complete TOC, pinned requirements."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

NOTEBOOKS = sorted(p for p in (ROOT / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
CHAPTERS = [p for p in NOTEBOOKS if "_templates" not in p.parts]


def _toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts", []))
    walk(toc.get("chapters", []))
    return files


def test_there_are_notebooks():
    assert CHAPTERS, "no chapter notebooks found under book/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    nb = json.loads(path.read_text())
    dirty = [
        i
        for i, cell in enumerate(nb["cells"])
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_uses_the_python3_kernel(path):
    nb = json.loads(path.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_every_chapter_notebook_is_in_the_toc():
    listed = set(_toc_files())
    missing = [str(p.relative_to(ROOT).with_suffix("")) for p in CHAPTERS]
    missing = [m for m in missing if m not in listed]
    assert not missing, f"notebooks not in _toc.yml: {missing}"


def test_every_toc_entry_exists():
    for entry in _toc_files():
        candidates = [ROOT / f"{entry}{ext}" for ext in (".ipynb", ".md")]
        assert any(c.exists() for c in candidates), f"_toc.yml lists {entry}, which does not exist"


def test_chapter_files_are_named_nn_short_name():
    for path in CHAPTERS:
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), path.name


def test_requirements_are_pinned_exactly():
    lines = [
        line.split("#")[0].strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    loose = [line for line in lines if "==" not in line]
    assert not loose, f"unpinned requirements: {loose}"
    pins = dict(line.split("==") for line in lines)
    major = int(pins["jupyter-book"].split(".")[0])
    assert major == 1, "Jupyter Book must be 1.x (2.x is a different tool)"


def test_config_keeps_the_site_offline_and_strict():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert "://" not in config["sphinx"]["config"]["mathjax_path"]
    assert config["sphinx"]["config"]["nb_ipywidgets_js"] == {}
    assert config["only_build_toc_files"] is True
    assert config["execute"]["allow_errors"] is False
    for excluded in (".venv", "tests", "neurolib", "benchmarks", "_build"):
        assert excluded in config["exclude_patterns"]


def test_every_citation_key_is_in_the_bibliography():
    bib = (ROOT / "book" / "references.bib").read_text()
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    sources = [p.read_text() for p in NOTEBOOKS + sorted((ROOT / "book").glob("*.md"))]
    cited = set()
    for text in sources:
        text = re.sub(r"``.*?``", "", text)  # examples in double-backtick code spans
        for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text):
            cited.update(k.strip() for k in group.split(","))
    assert cited, "no citations found at all"
    assert not cited - keys, f"cited but not in references.bib: {sorted(cited - keys)}"


MAX_VISIBLE_LINE = 78  # wider code lines get a horizontal scroll bar on the site


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_visible_code_fits_the_page_width(path):
    nb = json.loads(path.read_text())
    long_lines = []
    for i, cell in enumerate(nb["cells"]):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell["cell_type"] != "code" or tags & {"remove-cell", "remove-input", "hide-input"}:
            continue
        source = "".join(cell["source"])
        long_lines += [f"cell {i}: {line}" for line in source.splitlines() if len(line) > MAX_VISIBLE_LINE]
    assert not long_lines, f"lines over {MAX_VISIBLE_LINE} characters:\n" + "\n".join(long_lines)
