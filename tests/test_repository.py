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
        groups = re.findall(r"\{cite(?::\w+)?\}`([\w\-:, ]+)`", text)
        groups += re.findall(r"\]\(cite:(?:t:)?([\w\-:,]+)\)", text)  # citation links
        for group in groups:
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


# --- One place for the repository URL and the title: _config.yml (tools/sync_config.py) ---

import shutil  # noqa: E402

import sync_config  # noqa: E402  (tools/ is on sys.path, see conftest.py)

SYNCED_NOTEBOOKS = sync_config.notebooks(ROOT)


def test_readme_and_notebooks_follow_config():
    changes, _ = sync_config.plan(ROOT)
    drifted = [f"{c.path.relative_to(ROOT)} ({c.what})" for c in changes]
    assert not drifted, (
        "these differ from the title / repository.url / repository.branch in _config.yml: "
        f"{drifted}; run `make sync` (python tools/sync_config.py) and commit the result"
    )


@pytest.mark.parametrize("path", SYNCED_NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_starts_with_a_bootstrap_cell_naming_the_repository(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = sync_config.bootstrap_cell(nb)
    assert cell is not None, f"{path.name}: the first code cell must be tagged 'bootstrap' (Colab set-up)"
    url = sync_config.read_settings(ROOT).url
    lines = [line for line in "".join(cell["source"]).splitlines() if line.startswith("REPOSITORY")]
    assert lines == [f'REPOSITORY = "{url}"'], (
        f"{path.name}: the bootstrap cell must hold exactly the line REPOSITORY = \"{url}\" "
        f"(from _config.yml), found {lines}; run `make sync`"
    )


@pytest.mark.parametrize("path", SYNCED_NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_as_nbformat_writes_it(path):
    # make sync edits one line and writes the notebook back with json (indent=1, UTF-8):
    # that changes nothing else only if the file was stored that way.
    text = path.read_text(encoding="utf-8")
    assert sync_config.dump_notebook(json.loads(text)) == text, (
        f"{path.name} is not formatted as nbformat writes it; open and save it in Jupyter"
    )


def test_workflow_does_not_repeat_the_url_or_the_title():
    settings = sync_config.read_settings(ROOT)
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows, "no GitHub Actions workflow in .github/workflows"
    for path in workflows:
        text = path.read_text(encoding="utf-8")
        assert settings.owner_repo not in text and settings.title not in text, (
            f"{path.relative_to(ROOT)} names the repository or the title; use ${{{{ github.repository }}}} "
            "so that a fork needs no edit"
        )


def test_sync_config_rewrites_only_what_follows_from_the_config(tmp_path):
    for rel in ["_config.yml", "README.md", "book/_templates/chapter_template.ipynb",
                *[str(p.relative_to(ROOT)) for p in SYNCED_NOTEBOOKS[:1]]]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, tmp_path / rel)
    config = tmp_path / "_config.yml"
    old = sync_config.read_settings(tmp_path)
    config.write_text(
        config.read_text(encoding="utf-8")
        .replace(f"url: {old.url}", "url: https://github.com/uni-example/neuro-course")
        .replace(f"title: {old.title}", "title: Neurons 101"),
        encoding="utf-8",
    )
    before = {p: p.read_text(encoding="utf-8") for p in tmp_path.rglob("*") if p.is_file()}
    assert sync_config.main(["--root", str(tmp_path), "--check"]) == 1
    assert {p: p.read_text(encoding="utf-8") for p in before} == before, "--check must write nothing"

    assert sync_config.main(["--root", str(tmp_path)]) == 0
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Neurons 101\n")
    assert "git clone https://github.com/uni-example/neuro-course\ncd neuro-course\n" in readme
    assert old.owner_repo not in readme
    assert "mybinder.org/v2/gh/uni-example/neuro-course/main?" in readme
    assert "colab.research.google.com/github/uni-example/neuro-course/blob/main/book/" in readme
    for path in sync_config.notebooks(tmp_path):
        new_lines = path.read_text(encoding="utf-8").splitlines()
        old_lines = before[path].splitlines()
        changed = [(a, b) for a, b in zip(old_lines, new_lines) if a != b]
        assert len(new_lines) == len(old_lines) and len(changed) == 1, changed
        assert changed[0][1].strip() == r'"REPOSITORY = \"https://github.com/uni-example/neuro-course\"\n",'
    assert sync_config.main(["--root", str(tmp_path), "--check"]) == 0  # nothing left to do


def test_sync_config_rejects_a_malformed_url(tmp_path):
    (tmp_path / "_config.yml").write_text(
        "title: T\nrepository:\n  url: https://github.com/owner/repo.git\n  branch: main\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"repository.url must look like .*'https://github.com/owner/repo.git'"):
        sync_config.read_settings(tmp_path)
    assert sync_config.main(["--root", str(tmp_path)]) == 2


def test_sync_config_skips_a_notebook_without_a_bootstrap_cell(tmp_path, capsys):
    shutil.copy2(ROOT / "_config.yml", tmp_path / "_config.yml")
    (tmp_path / "book").mkdir()
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                     "source": ['REPOSITORY = "https://github.com/someone/else"\n']}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "book" / "10_no_bootstrap.ipynb"
    path.write_text(sync_config.dump_notebook(nb), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    assert sync_config.main(["--root", str(tmp_path)]) == 0
    assert "skipped book/10_no_bootstrap.ipynb" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == before


def test_every_step_of_make_test_has_a_rule():
    """A prerequisite of `make test` without a rule of its own is a phony no-op: it would
    silently skip a whole step of the suite."""
    makefile = (ROOT / "Makefile").read_text()
    steps = re.search(r"^test:([^#\n]*)", makefile, re.M).group(1).split()
    assert steps, "make test has no steps"
    rules = set(re.findall(r"^([A-Za-z][\w.-]*):", makefile, re.M))
    missing = [step for step in steps if step not in rules]
    assert not missing, f"make test names steps without a rule: {missing}"
    for step in steps:
        recipe = re.search(rf"^{re.escape(step)}:[^\n]*\n((?:\t[^\n]*\n?)+)", makefile, re.M)
        assert recipe, f"`make {step}` has no recipe"
