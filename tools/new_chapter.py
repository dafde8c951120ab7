"""Scaffold a new chapter: ``make chapter NAME=10_learning_rules [TOPIC=learning]``.

Creates, from the chapter template and the conventions in ``book/instructors.md``:

* ``book/NN_short_name.ipynb`` — a copy of ``book/_templates/chapter_template.ipynb``;
* an entry in ``_toc.yml``, in chapter order within its part;
* ``neurolib/<topic>.py`` — a module stub with a documented function to fill in;
* ``tests/test_<topic>.py`` — tests that FAIL until the module is written;
* a section for the module in ``book/api.md``.

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

TESTS = '''"""Tests for neurolib.{topic}: physics against independent references, plus bad input."""

from __future__ import annotations

import pytest

from neurolib import {topic}


def test_example_matches_an_independent_reference():
    # Replace with a check against an analytic formula, solve_ivp, finite differences or
    # a published table. This stub fails until neurolib.{topic}.example is written.
    assert {topic}.example(2.0) == pytest.approx(2.0)


def test_example_rejects_bad_input():
    with pytest.raises(ValueError, match="x must be > 0"):
        {topic}.example(-1.0)
'''


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
    tests = root / "tests" / f"test_{topic}.py"
    clashes = [str(p.relative_to(root)) for p in (notebook, module, tests) if p.exists()]
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
    module.write_text(MODULE.format(title=title, number=number, name=name, topic=topic))
    tests.write_text(TESTS.format(topic=topic))
    api = root / "book" / "api.md"
    api.write_text(
        api.read_text().rstrip("\n")
        + f"\n\n## `neurolib.{topic}`\n\nUsed in {{doc}}`{name}`.\n\n```{{eval-rst}}\n"
        f".. automodule:: neurolib.{topic}\n   :members:\n```\n"
    )
    for path in (notebook, toc_path, module, tests, api):
        print(f"wrote {path.relative_to(root)}")
    print(
        f"\nNext: import {topic} in neurolib/__init__.py, write the chapter and the module,"
        " replace the stub tests, then `make test` (see book/instructors.md)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
