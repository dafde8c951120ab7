"""Tests for tools/student_edition.py (``make student``): no kernel, no network.

The real chapters: every student edition lacks every solution (its text and code, collected
here from the source notebook independently of the tool), keeps every hint and every exercise's
check cell. Small synthetic notebooks: each form of solution is removed and the Markdown around
it kept; each malformed block raises, naming the notebook and the cell. The zip holds every
chapter. Running the student notebooks is ``make test-student`` (nbval, in ``.venv``) and, in ``make
test``, the Binder simulation (tests/test_environments.py).
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import student_edition as se
from conftest import ROOT

CHAPTERS = sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb"))
START = re.compile(r"^\s*`{3,}\{solution-start\}\s*(\S+)", re.M)
END = re.compile(r"^\s*`{3,}\{solution-end\}", re.M)
HINT = re.compile(r"^(`{3,})\{hint\}.*?^\1\s*$", re.M | re.S)
LABEL = re.compile(r":label:\s*(ex-[\w-]+)")


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _solution_parts(nb: nbformat.NotebookNode) -> tuple[list[str], list[str]]:
    """(text inside solutions, text outside them), split by the cell and line, independently of
    the tool: from the line after a solution-start fence to the solution-end line."""
    inside, outside = [], []
    in_solution = False
    for cell in nb.cells:
        if cell.cell_type == "code":
            (inside if in_solution else outside).append(cell.source)
            continue
        lines = cell.source.splitlines()
        i = 0
        while i < len(lines):
            line = lines[i]
            if not in_solution and START.match(line):
                in_solution = True
                i += 1
                while i < len(lines) and (lines[i].startswith(":") or lines[i].strip() == "```"):
                    i += 1  # the directive's options and closing fence
                continue
            if in_solution and END.match(line):
                in_solution = False
                i += 2  # the directive and its closing fence
                continue
            (inside if in_solution else outside).append(line)
            i += 1
    assert not in_solution, "a solution-start without solution-end in the source"
    return inside, outside


def _substantial(texts: list[str], elsewhere: str) -> set[str]:
    """Lines long enough to identify a solution and not also in the notebook's other text."""
    lines = {ln.strip() for text in texts for ln in text.splitlines()}
    return {ln for ln in lines if len(ln) >= 12 and re.search(r"\w{3}", ln) and ln not in elsewhere}


def _text(nb: nbformat.NotebookNode) -> str:
    return "\n".join(cell.source for cell in nb.cells)


# --- the real chapters ------------------------------------------------------------------------


@pytest.fixture(scope="module", params=CHAPTERS, ids=lambda p: p.stem)
def chapter(request: pytest.FixtureRequest) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    source = _read(request.param)
    student, _ = se.make_student_notebook(source, str(request.param))
    return source, student


def test_there_are_chapters_with_exercises() -> None:
    assert len(CHAPTERS) >= 9
    for path in CHAPTERS:
        assert START.search(_text(_read(path))), f"{path.name} has no solution-start"


def test_student_edition_has_no_solution_text(chapter) -> None:
    source, student = chapter
    inside, outside = _solution_parts(source)
    secret = _substantial(inside, "\n".join(outside))
    assert len(secret) >= 3, "too few solution lines collected for this test to mean anything"
    student_text = _text(student)
    leaked = sorted(line for line in secret if line in student_text)
    assert not leaked, f"solution lines in the student edition: {leaked}"
    assert "{solution" not in student_text


def test_student_edition_keeps_every_hint(chapter) -> None:
    source, student = chapter
    _, outside = _solution_parts(source)
    hints = HINT.findall("\n".join(outside))
    blocks = [m.group(0) for m in HINT.finditer("\n".join(outside))]
    assert hints and len(blocks) == len(LABEL.findall("\n".join(outside)))
    student_text = _text(student)
    for block in blocks:
        assert block in student_text


def test_every_exercise_keeps_its_check_cell(chapter) -> None:
    source, student = chapter
    exercises = [i for i, c in enumerate(source.cells) if c.cell_type == "markdown" and "{exercise}" in c.source]
    assert exercises
    student_code = [c.source for c in student.cells if c.cell_type == "code"]
    for i in exercises:
        check = next(c for c in source.cells[i + 1:] if c.cell_type == "code")
        assert "exercises.check_" in check.source and "None" in check.source
        assert check.source in student_code, f"check cell of the exercise in cell {i} is missing"


def test_everything_outside_solutions_is_kept_and_outputs_cleared(chapter) -> None:
    source, student = chapter
    _, outside = _solution_parts(source)
    code_outside = [s for s in outside if s in {c.source for c in source.cells if c.cell_type == "code"}]
    assert [c.source for c in student.cells if c.cell_type == "code"] == code_outside
    student_text = _text(student)
    for line in "\n".join(outside).splitlines():
        assert line in student_text
    for cell in student.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    nbformat.validate(student)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_kept_cell_uses_a_name_defined_only_in_a_solution(path: Path) -> None:
    # Statically (ast, {eval} and {glue} roles): such a cell fails or shows nothing in the
    # student edition; make test-student finds the code cases by running them.
    _, report = se.make_student_notebook(se.read_notebook(path), str(path))
    assert report.warnings == []


def test_chapter_template_has_a_student_edition() -> None:
    # make chapter copies the template: a new chapter must pass make student from the start.
    template = se.read_notebook(ROOT / "book" / "_templates" / "chapter_template.ipynb")
    student, report = se.make_student_notebook(template, "chapter_template.ipynb")
    assert report.exercises and report.solutions == report.exercises and report.hints == len(report.exercises)
    assert "{solution" not in _text(student)


def test_build_writes_every_chapter_and_the_zip(tmp_path: Path) -> None:
    out, archive = tmp_path / "student", tmp_path / "student.zip"
    (out).mkdir()
    (out / "99_stale.ipynb").write_text("{}")
    written = se.build(ROOT / "book", out, archive)
    assert [p.name for p in written] == [p.name for p in CHAPTERS]
    assert sorted(p.name for p in out.glob("*.ipynb")) == [p.name for p in CHAPTERS]
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        assert sorted(names) == sorted(["student/README.txt"] + [f"student/{p.name}" for p in CHAPTERS])
        for path in written:
            assert z.read(f"student/{path.name}") == path.read_bytes()
        readme = z.read("student/README.txt").decode()
    url = re.search(r"url:\s*(\S+)", (ROOT / "_config.yml").read_text())[1]
    assert url in readme and "jupyter lab" in readme
    first = archive.read_bytes()
    se.build(ROOT / "book", out, archive)
    assert archive.read_bytes() == first, "the zip should be the same bytes for the same notebooks"


# --- synthetic notebooks ----------------------------------------------------------------------

EXERCISE = """:::{{exercise}}
:label: {label}

Compute the answer for {label}.

```{{hint}}
:class: dropdown
A hint for {label}.
```
:::"""
CHECK = "my_{name} = None  # replace None\nexercises.check_{name}(my_{name})"
START_DIRECTIVE = "```{{solution-start}} {label}\n:class: dropdown\n```"
END_DIRECTIVE = "```{solution-end}\n```"


def _nb(*cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return new_notebook(cells=list(cells))


def _exercise(label: str = "ex-a", name: str = "a") -> list[nbformat.NotebookNode]:
    return [new_markdown_cell(EXERCISE.format(label=label)), new_code_cell(CHECK.format(name=name))]


def _student(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, se.Report]:
    return se.make_student_notebook(nb, "synthetic.ipynb")


def test_gated_solution_removed_markdown_around_it_kept() -> None:
    check = new_code_cell("exercises.check_a(None)", outputs=[new_output("stream", text="Not answered")],
                          execution_count=3)
    nb = _nb(
        new_markdown_cell("# Title\n\n" + EXERCISE.format(label="ex-a")),
        check,
        new_markdown_cell("Text before.\n\n" + START_DIRECTIVE.format(label="ex-a") + "\nSECRET prose."),
        new_code_cell("SECRET_CODE = 1\nassert exercises.check_a(SECRET_CODE)"),
        new_markdown_cell("More SECRET prose.\n" + END_DIRECTIVE + "\n\n" + EXERCISE.format(label="ex-b")),
        *_exercise("ex-b", "b")[1:],
        new_markdown_cell(START_DIRECTIVE.format(label="ex-b")),
        new_code_cell("SECRET_B = 2"),
        new_markdown_cell(END_DIRECTIVE + "\n\n## Summary\n\nKept."),
    )
    student, report = _student(nb)
    text = _text(student)
    assert "SECRET" not in text and "solution" not in text
    for kept in ("# Title", "Text before.", "A hint for ex-a.", "A hint for ex-b.", "## Summary\n\nKept."):
        assert kept in text
    assert report.exercises == ["ex-a", "ex-b"] and report.solutions == ["ex-a", "ex-b"]
    assert report.hints == 2 and report.removed_code_cells == 2
    code = [c for c in student.cells if c.cell_type == "code"]
    assert [c.source for c in code] == ["exercises.check_a(None)", CHECK.format(name="b")]
    assert code[0].outputs == [] and code[0].execution_count is None
    assert nb.cells[1].outputs, "the source notebook must not be modified"
    assert "SECRET" in _text(nb)


@pytest.mark.parametrize("block", [
    "```{solution} ex-a\n:class: dropdown\nSECRET prose.\n```",
    "````{solution} ex-a\nSECRET prose.\n```python\nSECRET = 1\n```\n````",
    ":::{solution} ex-a\n:class: dropdown\nSECRET prose.\n```python\nSECRET = 1\n```\n:::",
])
def test_single_block_solution_removed(block: str) -> None:
    nb = _nb(*_exercise(), new_markdown_cell("Before.\n\n" + block + "\n\nAfter."))
    student, report = _student(nb)
    text = _text(student)
    assert "SECRET" not in text and "solution" not in text
    assert "Before." in text and "After." in text and report.solutions == ["ex-a"]


def test_markdown_cell_left_empty_is_dropped() -> None:
    nb = _nb(*_exercise(), new_markdown_cell("```{solution} ex-a\nSECRET\n```"))
    student, _ = _student(nb)
    assert len(student.cells) == 2


def test_hint_inside_a_solution_is_removed_not_counted() -> None:
    nb = _nb(*_exercise(), new_markdown_cell(":::{solution} ex-a\n```{hint}\nSECRET\n```\n:::"))
    student, report = _student(nb)
    assert "SECRET" not in _text(student) and report.hints == 1


def test_backtick_exercise_with_nested_hint() -> None:
    exercise = "````{exercise}\n:label: ex-a\n\nText.\n\n```{hint}\n:class: dropdown\nHINT\n```\n````"
    nb = _nb(new_markdown_cell(exercise), new_code_cell(CHECK.format(name="a")),
             new_markdown_cell("````{solution} ex-a\n```{hint}\nSECRET\n```\n````\nAfter."))
    student, report = _student(nb)
    assert report.exercises == ["ex-a"] and report.hints == 1 and report.solutions == ["ex-a"]
    assert "HINT" in _text(student) and "SECRET" not in _text(student) and "After." in _text(student)


def test_code_fence_in_prose_is_not_a_directive() -> None:
    prose = "```\n```{solution-start} ex-a\n```\n"
    nb = _nb(*_exercise(), new_markdown_cell(prose + "\nKept."))
    student, report = _student(nb)
    assert report.solutions == [] and "Kept." in _text(student)


MALFORMED = {
    "unclosed solution-start": (
        lambda: _nb(*_exercise(), new_markdown_cell(START_DIRECTIVE.format(label="ex-a")), new_code_cell("x = 1")),
        r"cell 2 .*never closed by a solution-end"),
    "solution-end without start": (
        lambda: _nb(*_exercise(), new_markdown_cell(END_DIRECTIVE)),
        r"cell 2 .*solution-end without a solution-start"),
    "solution with no exercise": (
        lambda: _nb(*_exercise(), new_markdown_cell(START_DIRECTIVE.format(label="ex-other")),
                    new_markdown_cell(END_DIRECTIVE)),
        r"cell 2 .*no exercise with :label: ex-other"),
    "single solution with no exercise": (
        lambda: _nb(new_markdown_cell("```{solution} ex-a\ntext\n```")),
        r"cell 0 .*no exercise with :label: ex-a"),
    "solution naming no exercise": (
        lambda: _nb(*_exercise(), new_markdown_cell("```{solution}\ntext\n```")),
        r"cell 2 .*names no exercise"),
    "exercise without check cell, end of notebook": (
        lambda: _nb(new_markdown_cell(EXERCISE.format(label="ex-a")), new_code_cell("x = None")),
        r"cell 0 .*'ex-a' has no check cell"),
    "exercise without check cell, next exercise": (
        lambda: _nb(new_markdown_cell(EXERCISE.format(label="ex-a")), *_exercise("ex-b", "b")),
        r"cell 1 .*'ex-a' \(cell 0\) has no check cell"),
    "exercise whose check is only in its solution": (
        lambda: _nb(new_markdown_cell(EXERCISE.format(label="ex-a")),
                    new_markdown_cell(START_DIRECTIVE.format(label="ex-a")),
                    new_code_cell("assert exercises.check_a(1)"), new_markdown_cell(END_DIRECTIVE)),
        r"cell 1 .*'ex-a' \(cell 0\) has no check cell"),
    "second solution-start before solution-end": (
        lambda: _nb(*_exercise(), new_markdown_cell(START_DIRECTIVE.format(label="ex-a")),
                    new_markdown_cell(START_DIRECTIVE.format(label="ex-a")), new_markdown_cell(END_DIRECTIVE)),
        r"cell 3 .*still open"),
    "exercise inside an open solution": (
        lambda: _nb(*_exercise(), new_markdown_cell(START_DIRECTIVE.format(label="ex-a")),
                    *_exercise("ex-b", "b"), new_markdown_cell(END_DIRECTIVE)),
        r"cell 3 .*exercise inside the solution to 'ex-a'"),
    "unclosed solution fence": (
        lambda: _nb(*_exercise(), new_markdown_cell("```{solution} ex-a\nSECRET")),
        r"cell 2 .*never closed"),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_block_raises_naming_notebook_and_cell(case: str) -> None:
    make, message = MALFORMED[case]
    with pytest.raises(se.StudentEditionError, match=r"^synthetic\.ipynb, " + message):
        _student(make())


def test_command_fails_loudly_and_writes_nothing(tmp_path: Path) -> None:
    book, out = tmp_path / "book", tmp_path / "out"
    book.mkdir()
    nbformat.write(_nb(*_exercise()), book / "01_good.ipynb")
    nbformat.write(_nb(*_exercise(), new_markdown_cell(START_DIRECTIVE.format(label="ex-a"))), book / "02_bad.ipynb")
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "student_edition.py"), "--book", str(book),
                           "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "02_bad.ipynb, cell 2" in done.stderr and "never closed" in done.stderr
    assert not out.exists() and not (tmp_path / "out.zip").exists()


def test_warns_about_names_defined_only_in_a_solution() -> None:
    nb = _nb(
        *_exercise(),
        new_markdown_cell(START_DIRECTIVE.format(label="ex-a")),
        new_code_cell("import scipy\nfrom math import tau\nhalf = 0.5\ndef helper(x):\n    return x\nglue('g', 1)"),
        new_markdown_cell(END_DIRECTIVE + "\n\nThe value is {eval}`round(half, 2)` and {glue:text}`g:.1f`."),
        new_code_cell("%matplotlib inline\nprint(helper(tau), scipy)\nmy_a = 1\nprint(my_a)"),
    )
    _, report = _student(nb)
    found = "\n".join(report.warnings)
    for name in ("'half'", "'g'", "'helper'", "'tau'", "'scipy'"):
        assert name in found
    assert "my_a" not in found and "cell 5" in found and "cell 4" in found


def test_no_warning_when_the_name_is_also_defined_outside_solutions() -> None:
    nb = _nb(
        new_code_cell("half = 0.5"), *_exercise(),
        new_markdown_cell(START_DIRECTIVE.format(label="ex-a")), new_code_cell("half = 0.25"),
        new_markdown_cell(END_DIRECTIVE), new_code_cell("print(half)"),
    )
    assert _student(nb)[1].warnings == []


def test_scan_directives_nesting_and_options() -> None:
    found = se.scan_directives(EXERCISE.format(label="ex-a"))
    assert [(d.name, d.parent) for d in found] == [("exercise", None), ("hint", "exercise")]
    assert found[0].options == {"label": "ex-a"} and found[1].options == {"class": "dropdown"}
    assert found[0].end == 9


@pytest.mark.parametrize("call", [
    lambda: se.make_student_notebook({"cells": []}),
    lambda: se.make_student_notebook(new_notebook(), name=3),
    lambda: se.scan_directives(None),
    lambda: se.solution_only_names((), []),
    lambda: se.build("book", Path("out"), Path("out.zip")),
])
def test_bad_arguments_raise_type_error(call) -> None:
    with pytest.raises(TypeError, match="must be"):
        call()
