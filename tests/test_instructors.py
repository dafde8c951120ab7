"""The instructors' recipe works: `make chapter` scaffolds a chapter in a copy of the repository."""

from __future__ import annotations

import shutil
import subprocess
import sys

import yaml

from conftest import ROOT

COPY = ["_toc.yml", "book", "neurolib", "tests", "tools", "pyproject.toml", "Makefile"]


def _copy_repository(tmp_path):
    for item in COPY:
        source = ROOT / item
        if source.is_dir():
            shutil.copytree(source, tmp_path / item, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        else:
            shutil.copy2(source, tmp_path / item)
    return tmp_path


def _run(args, cwd, **kw):
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=300, **kw)


def test_new_chapter_scaffold_follows_the_recipe(tmp_path):
    repo = _copy_repository(tmp_path)
    chapters = sorted(p.stem for p in (ROOT / "book").glob("[0-9][0-9]_*.ipynb"))
    name = f"{int(chapters[-1][:2]) + 1:02d}_learning_rules"  # the next free chapter number
    done = _run(["tools/new_chapter.py", name, "--topic", "deep_stub", "--title", "Learning rules"], cwd=repo)
    assert done.returncode == 0, done.stderr

    notebook = repo / "book" / f"{name}.ipynb"
    assert notebook.exists()
    assert "# Learning rules" in notebook.read_text()
    toc = yaml.safe_load((repo / "_toc.yml").read_text())
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    assert f"book/{name}" in files
    assert files.index(f"book/{name}") == files.index(f"book/{chapters[-1]}") + 1
    assert (repo / "neurolib" / "deep_stub.py").exists()
    assert "neurolib.deep_stub" in (repo / "book" / "api.md").read_text()

    # The repository rules hold for the new chapter (clean notebook, in the TOC) ...
    rules = _run(["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_repository.py",
                  "-k", "toc or outputs or kernel or named"], cwd=repo)
    assert rules.returncode == 0, rules.stdout[-3000:]
    # ... and the stub tests fail until the module is written.
    stub = _run(["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_deep_stub.py"], cwd=repo,
                env={"PYTHONPATH": str(repo), "PATH": "/usr/bin:/bin"})
    assert stub.returncode == 1, stub.stdout[-3000:]
    assert "NotImplementedError" in stub.stdout


def test_new_chapter_refuses_bad_names_and_overwrites(tmp_path):
    repo = _copy_repository(tmp_path)
    bad = _run(["tools/new_chapter.py", "Vanishing Gradients"], cwd=repo)
    assert bad.returncode == 2 and "NAME must look like" in bad.stderr
    clash = _run(["tools/new_chapter.py", "07_activations", "--topic", "activations"], cwd=repo)
    assert clash.returncode == 1 and "not overwriting" in clash.stderr
