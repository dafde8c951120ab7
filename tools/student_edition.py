"""Student editions of the chapters: ``make student``.

For every chapter ``book/NN_*.ipynb`` this writes ``_build/student/NN_*.ipynb`` with the
solutions removed and everything a student works with kept, plus ``_build/student.zip``
(the notebooks and a README.txt telling students how to open them).

What is removed, in the book's exercise format (``book/instructors.md``):

* everything from a ```` ```{solution-start} ex-label ```` directive to the matching
  ```` ```{solution-end} ```` — the directives themselves, the solution text after
  ``solution-start`` and the solution code cells in between — while any other Markdown in
  the two directive cells (the next exercise, the summary) is kept;
* single-block solutions, ```` ```{solution} ex-label ```` or ``:::{solution} ex-label``.

What is kept: the ``{exercise}`` blocks with their ``{hint}`` dropdowns, the check cells
(code cells calling ``exercises.check_...``, where the student's answer is ``None``) and
every other cell. All outputs are cleared.

A malformed block stops the run with a message naming the notebook and the cell: a
``solution-start`` without ``solution-end``, a ``solution-end`` without ``solution-start``,
a solution whose label names no exercise above it, an exercise without a check cell.

Why not nbgrader (jupyter/nbgrader 0.9), the Jupyter tool for this job: it marks solutions
per cell (``nbgrader`` cell metadata, ``### BEGIN SOLUTION`` inside a cell), whereas the
book's solutions are ranges of cells delimited by sphinx-exercise directives inside Markdown
cells that also carry the next exercise; using it would mean re-marking every chapter in a
second format. Its ``generate_assignment`` replaces each solution with a stub that raises
``NotImplementedError``, so a student edition would no longer run top to bottom, and it needs
a course directory and a gradebook database and pins ``notebook`` 7, SQLAlchemy and alembic
into the environment. The transformation below is a few dozen lines on ``nbformat``.

Usage::

    python tools/student_edition.py [--book book] [--out _build/student]
"""

from __future__ import annotations

import argparse
import ast
import copy
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import nbformat.reader

ROOT = Path(__file__).resolve().parents[1]

# A MyST fence line: ``` or ::: (3 or more), then an optional {directive} and its argument.
_FENCE = re.compile(r"^\s{0,3}(?P<fence>`{3,}|:{3,})\s*(?P<info>.*?)\s*$")
_DIRECTIVE = re.compile(r"^\{(?P<name>[a-zA-Z][\w-]*)\}\s*(?P<arg>.*)$")
_OPTION = re.compile(r"^\s*:(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")
CHECK_CALL = re.compile(r"\bexercises\s*\.\s*check_\w+\s*\(")
_EVAL_ROLE = re.compile(r"\{eval\}`([^`]+)`")
_GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`:]+)")

# Directives whose body is code or raw text, not Markdown.
_LITERAL_DIRECTIVES = ("code", "code-block", "code-cell", "sourcecode", "math", "raw", "eval-rst",
                       "literalinclude", "mermaid", "glue:figure")
EXERCISE_DIRECTIVES = ("exercise", "exercise-start")
SOLUTION_DIRECTIVES = ("solution", "solution-start", "solution-end")

README = """\
{heading}
{underline}

Each chapter is a Jupyter notebook (.ipynb). The exercises are at the end of each
chapter: read the exercise and its hint, replace `None` in the cell below it with your
answer, and run that cell; the check tells you whether the answer is right. The worked
solutions are not in these notebooks.

The notebooks import the book's Python package, `neurolib`, so they need the book's
environment:

* In your course's JupyterHub (or wherever your instructor set it up): upload the .ipynb
  files and open them there.
* In Google Colab: File -> Upload notebook; the notebook's first cell installs the package.
* On your own computer (Python 3.11, git and make):

      git clone {url} book
      cd book
      make install
      .venv/bin/jupyter lab --notebook-dir /path/to/this/folder

  (on Windows, use WSL). Then open a chapter, and run it top to bottom with
  Run -> Run All Cells. Interactive figures (sliders) work in JupyterLab.
"""


class StudentEditionError(ValueError):
    """A malformed exercise or solution block; the message names the notebook and the cell."""


@dataclass
class _Block:
    """An open fence while scanning a Markdown cell."""

    char: str
    width: int
    name: str | None
    arg: str
    first_line: int
    literal: bool  # a code block, whose body is not Markdown
    options: dict[str, str] = field(default_factory=dict)
    in_options: bool = True


@dataclass
class Directive:
    """A directive found in a Markdown cell: its name, argument, options and line range."""

    name: str
    arg: str
    options: dict[str, str]
    start: int  # index of the opening fence line
    end: int  # index of the closing fence line (inclusive); -1 if never closed
    parent: str | None  # name of the enclosing directive, if any


def scan_directives(source: str) -> list[Directive]:
    """All fenced MyST directives in Markdown ``source``, outermost first by position.

    As in MyST, the body of a directive is Markdown and may contain other directives (with a
    shorter fence, for backticks), while code blocks (a fence without ``{directive}``, or
    ``{code-cell}`` and the like) are literal: nothing inside them is a directive.

    Parameters
    ----------
    source : str
        The Markdown text of one cell.

    Returns
    -------
    list of Directive
        In order of their opening line; unclosed ones have ``end == -1``.
    """
    if not isinstance(source, str):
        raise TypeError(f"source must be a str, got {type(source).__name__}")
    found: list[Directive] = []
    stack: list[_Block] = []
    lines = source.splitlines()

    def close(block: _Block, end: int) -> None:
        if block.name is not None:
            parent = next((b.name for b in reversed(stack) if b.name is not None), None)
            found.append(Directive(block.name, block.arg, block.options, block.first_line, end, parent))

    for i, line in enumerate(lines):
        top = stack[-1] if stack else None
        if top is not None and top.in_options:
            option = _OPTION.match(line)
            if option and top.name is not None:
                top.options[option["key"]] = option["value"]
                continue
            top.in_options = False
        match = _FENCE.match(line)
        if top is not None and top.literal:
            # Inside a code block only its closing fence counts.
            if match and match["fence"][0] == "`" and len(match["fence"]) >= top.width and not match["info"]:
                close(stack.pop(), i)
            continue
        if match is None:
            continue
        fence, info = match["fence"], match["info"]
        if top is not None and fence[0] == top.char and len(fence) >= top.width and not info:
            close(stack.pop(), i)
            continue
        directive = _DIRECTIVE.match(info)
        name, arg = (directive["name"], directive["arg"].strip()) if directive else (None, info)
        literal = fence[0] == "`" and (name is None or name in _LITERAL_DIRECTIVES)
        stack.append(_Block(fence[0], len(fence), name, arg, i, literal))
    while stack:
        close(stack.pop(), -1)
    found.sort(key=lambda d: d.start)
    return found


def _cell_name(path: str, index: int, cell: nbformat.NotebookNode) -> str:
    first = next((ln.strip() for ln in cell.source.splitlines() if ln.strip()), "")
    return f"{path}, cell {index} ({cell.cell_type}: {first[:60]!r})"


@dataclass
class Report:
    """What :func:`make_student_notebook` removed and kept, for tests and the log."""

    exercises: list[str] = field(default_factory=list)
    solutions: list[str] = field(default_factory=list)
    removed_code_cells: int = 0
    hints: int = 0
    warnings: list[str] = field(default_factory=list)


def make_student_notebook(
    nb: nbformat.NotebookNode, name: str = "<notebook>"
) -> tuple[nbformat.NotebookNode, Report]:
    """The student edition of one chapter notebook.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The chapter, as read by :func:`read_notebook` (or ``nbformat.read``); not modified.
    name : str
        How to name the notebook in error messages (e.g. its path).

    Returns
    -------
    student : nbformat.NotebookNode
        A copy without solutions and outputs.
    report : Report
        The exercises, solutions and hints found, and warnings about later cells that use a
        name defined only in a removed solution cell.

    Raises
    ------
    StudentEditionError
        On a malformed block (see the module docstring), naming the notebook and the cell.
    """
    if not isinstance(nb, nbformat.NotebookNode) or "cells" not in nb:
        raise TypeError(f"nb must be an nbformat.NotebookNode with cells, got {type(nb).__name__}")
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")

    report = Report()
    student = copy.deepcopy(nb)
    cells: list[nbformat.NotebookNode] = []
    open_solution: tuple[str, int] | None = None  # (label, cell index) of a solution-start
    pending_check: tuple[str, int] | None = None  # exercise still waiting for its check cell
    seen_exercises: set[str] = set()

    def fail(index: int, cell: nbformat.NotebookNode, problem: str) -> None:
        raise StudentEditionError(f"{_cell_name(name, index, cell)}: {problem}")

    def start_exercise(index: int, cell: nbformat.NotebookNode, d: Directive) -> None:
        nonlocal pending_check
        if pending_check is not None:
            fail(index, cell, f"exercise {pending_check[0]!r} (cell {pending_check[1]}) has no check cell "
                 "(a code cell calling exercises.check_...) before the next exercise")
        label = d.options.get("label", f"<unlabelled exercise, line {d.start + 1}>")
        report.exercises.append(label)
        seen_exercises.add(label)
        pending_check = (label, index)

    def start_solution(index: int, cell: nbformat.NotebookNode, d: Directive) -> None:
        label = d.arg.split()[0] if d.arg else ""
        if not label:
            fail(index, cell, f"{{{d.name}}} names no exercise (expected e.g. {{{d.name}}} ex-...)")
        if label not in seen_exercises:
            fail(index, cell, f"{{{d.name}}} {label}: no exercise with :label: {label} above it")
        if pending_check is not None and pending_check[0] == label:
            fail(index, cell, f"exercise {label!r} (cell {pending_check[1]}) has no check cell "
                 "(a code cell calling exercises.check_...) before its solution")
        report.solutions.append(label)

    for index, cell in enumerate(student.cells):
        if cell.cell_type == "code":
            if open_solution is not None:
                report.removed_code_cells += 1
                continue
            if pending_check is not None and CHECK_CALL.search(cell.source):
                pending_check = None
            cell.outputs = []
            cell.execution_count = None
            cells.append(cell)
            continue
        if cell.cell_type != "markdown":
            if open_solution is None:
                cells.append(cell)
            continue

        lines = cell.source.splitlines()
        keep = [open_solution is None] * len(lines)
        solution_from = 0  # first line of this cell that belongs to the open solution
        hint_lines = []
        for d in scan_directives(cell.source):
            if d.name in SOLUTION_DIRECTIVES and d.end == -1:
                fail(index, cell, f"the {{{d.name}}} fence opened on line {d.start + 1} is never closed")
            if d.name == "hint":
                hint_lines.append(d.start)
            if d.name in EXERCISE_DIRECTIVES:
                if open_solution is not None:
                    # An exercise inside an open solution range would be removed with it.
                    fail(index, cell, f"exercise inside the solution to {open_solution[0]!r} "
                         f"(opened in cell {open_solution[1]}): is its solution-end missing?")
                start_exercise(index, cell, d)
            elif d.name == "solution":
                if open_solution is not None:
                    fail(index, cell, f"{{solution}} inside the open solution-start of cell {open_solution[1]}")
                start_solution(index, cell, d)
                keep[d.start:d.end + 1] = [False] * (d.end + 1 - d.start)
            elif d.name == "solution-start":
                if open_solution is not None:
                    fail(index, cell, f"solution-start while the solution-start of cell {open_solution[1]} "
                         f"({open_solution[0]!r}) is still open: a solution-end is missing")
                start_solution(index, cell, d)
                open_solution = (d.arg.split()[0], index)
                solution_from = d.start
                keep[d.start:] = [False] * (len(lines) - d.start)
            elif d.name == "solution-end":
                if open_solution is None:
                    fail(index, cell, "solution-end without a solution-start before it")
                open_solution = None
                keep[solution_from:d.end + 1] = [False] * (d.end + 1 - solution_from)
                keep[d.end + 1:] = [True] * (len(lines) - d.end - 1)
        report.hints += sum(keep[i] for i in hint_lines)
        text = "\n".join(line for line, k in zip(lines, keep) if k).strip("\n")
        if text.strip():
            cell.source = text
            cells.append(cell)

    if open_solution is not None:
        fail(open_solution[1], student.cells[open_solution[1]],
             f"solution-start {open_solution[0]!r} is never closed by a solution-end")
    if pending_check is not None:
        fail(pending_check[1], student.cells[pending_check[1]],
             f"exercise {pending_check[0]!r} has no check cell (a code cell calling exercises.check_...)")
    report.warnings = solution_only_names(student.cells, cells, name)
    student.cells = cells
    _fill_missing_ids(student)
    return student, report


def _fill_missing_ids(nb: nbformat.NotebookNode) -> None:
    """Give cells without an id (required from nbformat 4.5) a fixed one, ``cell-<n>``.

    Otherwise ``nbformat.write`` would invent random ids, and the student notebooks and the
    zip would change on every run.
    """
    if (nb.get("nbformat"), nb.get("nbformat_minor", 0)) < (4, 5):
        return
    used = {cell["id"] for cell in nb.cells if "id" in cell}
    for n, cell in enumerate(nb.cells):
        if "id" not in cell:
            candidate, k = f"cell-{n}", 0
            while candidate in used:
                k += 1
                candidate = f"cell-{n}-{k}"
            cell["id"] = candidate
            used.add(candidate)


def _names(code: str) -> tuple[set[str], set[str]]:
    """(names a cell binds, names it reads) — a static approximation; magics are skipped."""
    code = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in code.splitlines())
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set(), set()
    bound, used = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, (ast.Store, ast.Del)) else used).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
    return bound, used


def _glued(code: str) -> set[str]:
    return set(re.findall(r"\bglue\(\s*['\"]([^'\"]+)['\"]", code))


def solution_only_names(
    cells: list[nbformat.NotebookNode], kept: list[nbformat.NotebookNode], name: str = "<notebook>"
) -> list[str]:
    """Kept cells that use a name bound (or glued) only by a removed solution cell.

    A static check (Python ``ast`` for code, ``{eval}`` and ``{glue}`` roles in Markdown):
    in the student edition such a cell fails (``NameError``) or shows nothing.

    Parameters
    ----------
    cells : list of nbformat.NotebookNode
        All cells of the chapter.
    kept : list of nbformat.NotebookNode
        The cells of its student edition: some of the same objects (Markdown ones with
        their solution text already removed).
    name : str
        The notebook's name for the messages.

    Returns
    -------
    list of str
        One message per (cell, name), naming the cell by its index in ``cells``.
    """
    for arg, value in (("cells", cells), ("kept", kept)):
        if not isinstance(value, list):
            raise TypeError(f"{arg} must be a list of cells, got {type(value).__name__}")
    kept_ids = {id(c) for c in kept}
    bound_kept: set[str] = set()
    bound_solution: set[str] = set()
    glued_kept: set[str] = set()
    glued_solution: set[str] = set()
    messages = []
    for index, cell in enumerate(cells):
        in_student = id(cell) in kept_ids
        if cell.cell_type == "code":
            bound, used = _names(cell.source)
            if in_student:
                for n in sorted((used - bound - bound_kept) & bound_solution):
                    messages.append(f"{name}, cell {index}: uses {n!r}, defined only in a solution cell")
                bound_kept |= bound
                glued_kept |= _glued(cell.source)
            else:
                bound_solution |= bound
                glued_solution |= _glued(cell.source)
        elif cell.cell_type == "markdown" and in_student:
            for expr in _EVAL_ROLE.findall(cell.source):
                _, used = _names(expr)
                for n in sorted((used - bound_kept) & bound_solution):
                    messages.append(f"{name}, cell {index}: {{eval}} uses {n!r}, defined only in a solution cell")
            for key in _GLUE_ROLE.findall(cell.source):
                if key in glued_solution and key not in glued_kept:
                    messages.append(f"{name}, cell {index}: {{glue}} {key!r} is glued only in a solution cell")
    return messages


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """A version-4 notebook as stored, without the random ids ``nbformat.read`` gives to
    cells that lack one (:func:`make_student_notebook` gives them fixed ones)."""
    if not isinstance(path, Path):
        raise TypeError(f"path must be a pathlib.Path, got {type(path).__name__}")
    nb = nbformat.reader.reads(path.read_text(encoding="utf-8"))  # no validation, no new ids
    if nb.get("nbformat") != 4:
        raise StudentEditionError(f"{path}: nbformat 4 expected, got {nb.get('nbformat')!r}")
    return nb


def chapters(book: Path) -> list[Path]:
    """The chapter notebooks ``NN_*.ipynb`` in ``book``, in order."""
    return sorted(book.glob("[0-9][0-9]_*.ipynb"))


def _site_info(root: Path) -> tuple[str, str]:
    """(title, repository URL) from ``_config.yml``, so a fork's README points at the fork."""
    title, url = "From Spikes to Gradients", "the book's repository"
    config = root / "_config.yml"
    if config.exists():
        text = config.read_text(encoding="utf-8")
        if m := re.search(r"(?m)^title:\s*(.+?)\s*$", text):
            title = m[1].strip("'\"")
        if m := re.search(r"(?ms)^repository:\s*\n(?:[ \t]+.*\n)*?[ \t]+url:\s*(\S+)", text):
            url = m[1].strip("'\"")
    return title, url


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def build(book: Path, out: Path, zip_path: Path, root: Path = ROOT) -> list[Path]:
    """Write the student edition of every chapter in ``book`` to ``out``, and the zip.

    Parameters
    ----------
    book : Path
        The folder with the chapters ``NN_*.ipynb``.
    out : Path
        The folder for the student notebooks and README.txt (created; old notebooks removed).
    zip_path : Path
        The zip to write: a folder ``student/`` with the notebooks and README.txt.
    root : Path
        The project root, whose ``_config.yml`` gives the title and repository URL.

    Returns
    -------
    list of Path
        The student notebooks written.

    Raises
    ------
    StudentEditionError
        On the first malformed chapter (nothing is written then).
    """
    for arg, value in (("book", book), ("out", out), ("zip_path", zip_path), ("root", root)):
        if not isinstance(value, Path):
            raise TypeError(f"{arg} must be a pathlib.Path, got {type(value).__name__}")
    sources = chapters(book)
    if not sources:
        raise StudentEditionError(f"no chapters book/NN_*.ipynb found in {book}")
    editions = []
    for path in sources:
        nb = read_notebook(path)
        student, report = make_student_notebook(nb, str(path))
        nbformat.validate(student)
        editions.append((path.name, student, report))
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.ipynb"):
        old.unlink()
    written = []
    for filename, student, report in editions:
        target = out / filename
        nbformat.write(student, target)
        written.append(target)
        print(f"{_shown(target)}: {len(report.exercises)} exercises, {report.hints} hints, "
              f"{len(report.solutions)} solutions removed ({report.removed_code_cells} code cells)")
        for warning in report.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    title, url = _site_info(root)
    readme = out / "README.txt"
    heading = f"{title}: student edition of the chapter notebooks"
    readme.write_text(README.format(heading=heading, underline="=" * len(heading), url=url), encoding="utf-8")
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in [readme, *written]:
            # A fixed date makes the zip the same bytes for the same notebooks.
            info = zipfile.ZipInfo(f"student/{path.name}", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    print(f"{_shown(zip_path)}: {len(written)} notebooks and README.txt")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--book", type=Path, default=ROOT / "book", help="folder with NN_*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "student", help="output folder")
    parser.add_argument("--zip", type=Path, default=None, help="zip to write (default: <out>.zip)")
    args = parser.parse_args(argv)
    zip_path = args.zip if args.zip is not None else args.out.with_suffix(".zip")
    try:
        build(args.book, args.out, zip_path)
    except StudentEditionError as error:
        print(f"make student: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
