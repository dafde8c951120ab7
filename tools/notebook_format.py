"""Check (or fix) the conventions that make a chapter read the same on the site and in Jupyter.

``make format`` fixes what can be fixed mechanically; ``tests/test_notebook_format.py`` runs the
check on every chapter and the template, so a notebook that breaks a rule fails ``make test``
with the file, the cell and what to do.

The rules (see ``book/instructors.md``, "Conventions"):

* every cell has an ``id`` and no code cell stores outputs or an execution count;       [fix]
* the code cells of a solution (between ``solution-start`` and ``solution-end``) are
  collapsed in Jupyter (``metadata.jupyter.source_hidden`` and ``outputs_hidden``), so a
  student sees the solution only after opening it, as on the site;                       [fix]
* hidden code cells are tagged ``remove-input`` and ``remove-output``, never
  ``remove-cell`` (MyST-NB's inline execution runs a removed cell only when the next
  visible code cell is rendered, so an ``{eval}`` between them would not see its values); [fix]
* the cell that shows a live widget (``app.ui``) is tagged ``remove-output`` and
  ``skip-execution``: the site shows the widget's static figure instead, and executing the
  live widget during the build only risks hanging the build's kernel client on the widget's
  messages (Jupyter ignores the tag, so students run it as usual);                      [fix]
* the first code cell is the ``bootstrap`` cell (the Colab installer);
* numbers come from ``{eval}`` (no ``{glue`` roles, no ``myst_nb.glue``) and citations are
  links ``[(Author, year)](cite:key)`` (jupyterlab-myst cannot resolve ``{cite}`` roles).

Usage: ``python tools/notebook_format.py [--fix] [NOTEBOOK ...]`` (default: every chapter in
``book/`` and the template). Exit status 1 when a rule is broken (after ``--fix``: one that
cannot be fixed mechanically).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTION_START = re.compile(r"^\s*```+\{solution-start\}", re.M)
SOLUTION_END = re.compile(r"^\s*```+\{solution-end\}", re.M)
LIVE_WIDGET = re.compile(r"^\s*\w+\.ui\s*(#.*)?$")
CELL_KEYS = ("cell_type", "execution_count", "id", "metadata", "outputs", "source")


def default_notebooks() -> list[Path]:
    return sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb")) + [ROOT / "book/_templates/chapter_template.ipynb"]


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def solution_code_cells(cells: list[dict]) -> set[int]:
    """Indices of the code cells that lie inside a gated solution."""
    inside, found = False, set()
    for index, cell in enumerate(cells):
        text = _source(cell) if cell["cell_type"] == "markdown" else ""
        if inside and SOLUTION_END.search(text):
            inside = False
        if cell["cell_type"] == "code" and inside:
            found.add(index)
        if SOLUTION_START.search(text) and not SOLUTION_END.search(text[SOLUTION_START.search(text).end():]):
            inside = True
    return found


def check(path: Path, fix: bool = False) -> list[str]:
    """Problems in one notebook (after fixing what can be fixed, if ``fix``)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    problems: list[str] = []
    changed = False
    ids = {cell.get("id") for cell in cells}
    solutions = solution_code_cells(cells)
    for index, cell in enumerate(cells):
        where = f"{path.name}, cell {index}"
        if "id" not in cell:
            if fix:
                new = uuid.uuid4().hex[:8]
                while new in ids:
                    new = uuid.uuid4().hex[:8]
                cell["id"], changed = new, True
                ids.add(new)
            else:
                problems.append(f"{where}: no cell id (run `make format`)")
        if cell["cell_type"] == "code":
            if cell.get("outputs") or cell.get("execution_count") is not None:
                if fix:
                    cell["outputs"], cell["execution_count"], changed = [], None, True
                else:
                    problems.append(f"{where}: stored outputs (run `make format`)")
            tags = cell.setdefault("metadata", {}).get("tags", [])
            if "remove-cell" in tags:
                if fix:
                    at = tags.index("remove-cell")
                    tags[at:at + 1] = [t for t in ("remove-input", "remove-output") if t not in tags]
                    changed = True
                else:
                    problems.append(f"{where}: tagged remove-cell; use remove-input and remove-output "
                                    "(run `make format`)")
            code_lines = [line for line in _source(cell).splitlines() if line.strip()]
            if len(code_lines) == 1 and LIVE_WIDGET.match(code_lines[0]):
                missing = [t for t in ("remove-output", "skip-execution") if t not in tags]
                if missing and fix:
                    cell["metadata"]["tags"] = tags = tags + missing
                    changed = True
                elif missing:
                    problems.append(f"{where}: the live widget cell needs the tags {missing} (run `make format`)")
            jupyter = cell["metadata"].get("jupyter", {})
            collapsed = jupyter.get("source_hidden") is True and jupyter.get("outputs_hidden") is True
            if index in solutions and not collapsed:
                if fix:
                    cell["metadata"]["jupyter"] = {**jupyter, "source_hidden": True, "outputs_hidden": True}
                    changed = True
                else:
                    problems.append(f"{where}: solution code is not collapsed in Jupyter (run `make format`)")
            if index not in solutions and jupyter.get("source_hidden"):
                problems.append(f"{where}: code outside a solution is collapsed in Jupyter "
                                "(metadata.jupyter.source_hidden); remove it")
            if "from myst_nb import glue" in _source(cell) or re.search(r"\bglue\(", _source(cell)):
                problems.append(f"{where}: uses myst_nb.glue; store the value with "
                                "`name = fmt(value, spec)` and write {eval}`name` in the text")
        else:
            text = _source(cell)
            if "{glue" in text:
                problems.append(f"{where}: a {{glue}} role; write {{eval}}`name` (see neurolib/prose.py)")
            if re.search(r"\{cite(:[a-z]+)?\}`", text):
                problems.append(f"{where}: a {{cite}} role; write a citation link "
                                "[(Author, year)](cite:key), which JupyterLab can show")
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    if not code or "bootstrap" not in code[0].get("metadata", {}).get("tags", []):
        problems.append(f"{path.name}: the first code cell must be the bootstrap cell "
                        "(copy it from book/_templates/chapter_template.ipynb)")
    if fix and changed:
        nb["cells"] = [{key: cell[key] for key in CELL_KEYS if key in cell} for cell in cells]
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fix", action="store_true", help="fix what can be fixed mechanically")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    problems = []
    for path in args.notebooks or default_notebooks():
        problems += check(path, fix=args.fix)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
