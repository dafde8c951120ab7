"""Scaffold a new chapter: ``make chapter NAME=10_learning_rules [TOPIC=learning]``.

Creates, from the chapter template and the conventions in ``book/instructors.md``:

* ``book/NN_short_name.ipynb`` — a copy of ``book/_templates/chapter_template.ipynb``;
* an entry in ``_toc.yml``, in chapter order within its part;
* ``neurolib/<topic>.py`` — a module stub with a documented function to fill in;
* ``neurolib/widgets/<topic>.py`` — the chapter's interactive figure, a registered stub
  (re-exported by ``neurolib/widgets/__init__.py``);
* ``neurolib/exercises/<topic>.py`` — the chapter's exercise checks, a stub (re-exported by
  ``neurolib/exercises/__init__.py``);
* ``tests/test_<topic>.py`` — tests that FAIL until the module, the widget and the check
  are written;
* a section for the three modules in ``book/api.md``.

Existing files are never overwritten. Run ``make test`` afterwards: the failing stub
tests list what is left to do.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MODULE = '''"""{title} (chapter {number}).

Explained in ``book/{name}.ipynb``. Replace this stub: one idea per module, NumPy-style
docstrings with units, validation through :mod:`neurolib._checks`.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_positive

__all__ = ["example"]


def example(x: float) -> float:
    """Replace with the chapter's first function.

    Parameters
    ----------
    x : float
        An input, with its unit.

    Returns
    -------
    float
        The output, with its unit.
    """
    check_positive(x, "x")
    raise NotImplementedError("neurolib.{topic}.example is a stub: write it (see book/instructors.md)")
'''

WIDGET = '''"""The interactive figure of chapter {number}, {title} (model: :mod:`neurolib.{topic}`).

Shared machinery: :mod:`neurolib.widgets.base`. Replace this stub; ``neurolib/widgets/hh.py``
is a complete example (book/instructors.md explains the parts).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import {topic} as _model  # noqa: F401  (what the figure shows)
from .._checks import check_real_scalar
from ..plotting import COLORS, new_figure
from .base import WidgetApp, register

__all__ = ["{widget_class}", "{topic}_explorer"]


class {widget_class}(WidgetApp):
    """Replace with one sentence on what the figure shows."""

    name = "{topic}_explorer"

    def defaults(self) -> dict[str, Any]:
        return {{"x": 1.0}}

    def _setup(self) -> None:
        self.fig, self.ax = new_figure(1, 1, figsize=(6.5, 3.4))
        (self.line,) = self.ax.plot([], [], color=COLORS["function"])
        self.ax.set_xlabel("x (unit)")

    def _validate(self, params: dict[str, Any]) -> dict[str, Any]:
        # types and finiteness here; update() holds every value to its slider's range
        return {{"x": check_real_scalar(params["x"], "x")}}

    def _draw(self, params: dict[str, Any]) -> None:
        raise NotImplementedError(
            "neurolib.widgets.{topic} is a stub: draw the chapter's figure from neurolib.{topic} "
            "(see book/instructors.md)"
        )

    def controls(self) -> dict[str, Any]:
        import ipywidgets

        return {{"x": ipywidgets.FloatSlider(value=self.params["x"], min=0.1, max=10.0, step=0.1, description="x")}}

    def sample_params(self, rng: np.random.Generator) -> dict[str, Any]:
        return {{"x": float(rng.uniform(0.1, 10.0))}}


@register
def {topic}_explorer(x: float = 1.0) -> {widget_class}:
    """Replace with what the reader explores (chapter {number}).

    Parameters
    ----------
    x : float, default 1
        A parameter, with its unit and its range (the slider's, 0.1 to 10).

    Returns
    -------
    {widget_class}
        Display it for the static figure; ``.ui`` for the interactive version.
    """
    return {widget_class}(x=x)
'''

EXERCISES = '''"""Exercise checks of chapter {number}, {title} (model: :mod:`neurolib.{topic}`).

Shared helpers: :mod:`neurolib.exercises.base`. Replace this stub; ``neurolib/exercises/hh.py``
has complete checks. The expected answers are computed with :mod:`neurolib.{topic}`, never
typed in.
"""

from __future__ import annotations

from typing import Any

from .. import {topic} as _model  # noqa: F401  (computes the expected answers)
from .base import _number, exercise, report  # noqa: F401

__all__ = ["check_{topic}_example"]


@exercise
def check_{topic}_example(answer: Any) -> bool:
    """Exercise {number}.1: replace with what the student computes, and its unit.

    ``@exercise`` handles an unanswered exercise (a reminder, returns None); ``_number``
    turns the answer into a finite float or tells the student why it cannot.
    """
    got = _number(answer, "answer must be a number")
    raise NotImplementedError(
        f"neurolib.exercises.{topic}.check_{topic}_example is a stub (got {{got}}): compare with a "
        "value computed by neurolib.{topic} and return report(ok, success, hint)"
    )
'''

TESTS = '''"""Tests for neurolib.{topic}: physics against independent references, plus bad input;
then the chapter's widget and exercise checks."""

from __future__ import annotations

import numpy as np
import pytest

from neurolib import exercises, widgets, {topic}


def test_example_matches_an_independent_reference():
    # Replace with a check against an analytic formula, solve_ivp, finite differences or
    # a published table. This stub fails until neurolib.{topic}.example is written.
    assert {topic}.example(2.0) == pytest.approx(2.0)


def test_example_rejects_bad_input():
    with pytest.raises(ValueError, match="x must be > 0"):
        {topic}.example(-1.0)


def test_widget_update_changes_the_figure():
    # Replace with a check that the figure shows what neurolib.{topic} computes.
    app = widgets.{topic}_explorer()
    before = app.render()
    app.update(**app.sample_params(np.random.default_rng(0)))
    assert app.render() != before


def test_exercise_check_accepts_the_right_answer_and_rejects_a_wrong_one():
    # Replace with the exercise's answer, computed independently of the check.
    assert exercises.check_{topic}_example(1.0) is True
    assert exercises.check_{topic}_example(-1.0) is False
    assert exercises.check_{topic}_example(None) is None
'''

#: The line in neurolib/widgets/__init__.py and neurolib/exercises/__init__.py above which
#: a new chapter's module is imported.
MARKER = "# tools/new_chapter.py adds one import line per new chapter above this comment."


def _add_import(init: str, topic: str, number: int) -> str:
    """``init`` (a package's __init__.py) with ``from .<topic> import *`` above the marker."""
    if MARKER not in init:
        raise SystemExit(f"cannot register the new module: the line {MARKER!r} is missing")
    line = f"from .{topic} import *  # noqa: F401,F403  (chapter {number:02d})\n"
    return init.replace(MARKER, line + MARKER, 1)


def _insert_toc_entry(toc: str, name: str) -> str:
    number = int(name[:2])
    lines = toc.splitlines()
    entries = [(i, int(m.group(1))) for i, line in enumerate(lines)
               if (m := re.match(r"\s*- file: book/(\d\d)_", line))]
    if not entries:
        raise SystemExit("_toc.yml lists no numbered chapter to place the new one beside")
    before = [(i, n) for i, n in entries if n < number]
    if before:
        index, _ = max(before, key=lambda e: e[1])
        at = index + 1
    else:
        at = min(entries, key=lambda e: e[1])[0]
    indent = re.match(r"\s*", lines[entries[0][0]]).group(0)
    lines.insert(at, f"{indent}- file: book/{name}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="NN_short_name, e.g. 10_learning_rules")
    parser.add_argument("--topic", help="neurolib module name (default: the part after NN_)")
    parser.add_argument("--title", help="chapter title (default: from the name)")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    name = args.name.removeprefix("book/").removesuffix(".ipynb")
    if not re.fullmatch(r"\d\d_[a-z0-9_]+", name):
        parser.error(f"NAME must look like 10_learning_rules (two digits, lower case), got {name!r}")
    topic = args.topic or name[3:]
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", topic):
        parser.error(f"TOPIC must be a Python module name, got {topic!r}")
    title = args.title or name[3:].replace("_", " ").capitalize()
    root = args.root

    notebook = root / "book" / f"{name}.ipynb"
    module = root / "neurolib" / f"{topic}.py"
    widget = root / "neurolib" / "widgets" / f"{topic}.py"
    checks = root / "neurolib" / "exercises" / f"{topic}.py"
    tests = root / "tests" / f"test_{topic}.py"
    clashes = [str(p.relative_to(root)) for p in (notebook, module, widget, checks, tests) if p.exists()]
    if clashes:
        print(f"not overwriting existing files: {', '.join(clashes)}", file=sys.stderr)
        return 1
    toc_path = root / "_toc.yml"
    toc = toc_path.read_text()
    if f"book/{name}\n" in toc:
        print(f"_toc.yml already lists book/{name}", file=sys.stderr)
        return 1

    nb = json.loads((root / "book" / "_templates" / "chapter_template.ipynb").read_text())
    first = nb["cells"][0]
    source = "".join(first["source"])
    first["source"] = source.replace("# Chapter title", f"# {title}", 1)
    notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    toc_path.write_text(_insert_toc_entry(toc, name))
    number = int(name[:2])
    fields = {"title": title, "number": number, "name": name, "topic": topic,
              "widget_class": "".join(part.capitalize() for part in topic.split("_")) + "Explorer"}
    module.write_text(MODULE.format(**fields))
    widget.write_text(WIDGET.format(**fields))
    checks.write_text(EXERCISES.format(**fields))
    inits = [root / "neurolib" / room / "__init__.py" for room in ("widgets", "exercises")]
    for init in inits:
        init.write_text(_add_import(init.read_text(), topic, number))
    tests.write_text(TESTS.format(**fields))
    api = root / "book" / "api.md"
    api.write_text(
        api.read_text().rstrip("\n")
        + f"\n\n## `neurolib.{topic}`\n\nUsed in {{doc}}`{name}`.\n\n```{{eval-rst}}\n"
        f".. automodule:: neurolib.{topic}\n   :members:\n\n"
        f".. automodule:: neurolib.widgets.{topic}\n   :members:\n\n"
        f".. automodule:: neurolib.exercises.{topic}\n   :members:\n```\n"
    )
    for path in (notebook, toc_path, module, widget, checks, *inits, tests, api):
        print(f"wrote {path.relative_to(root)}")
    print(
        f"\nNext: import {topic} in neurolib/__init__.py, write the chapter and the module,"
        " its widget and exercise checks, replace the stub tests, then `make test`"
        " (see book/instructors.md)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
