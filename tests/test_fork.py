"""A course in a fork: the recipe of book/instructors.md ("Teaching a course from a fork"),
followed on a temporary copy of the repository.

``test_a_course_follows_the_recipe`` does what an instructor does:

1. copies the tracked files (``git ls-files``: what a fork or clone holds) to a temporary
   folder;
2. sets a new repository URL and title in the copy's ``_config.yml`` and runs
   ``tools/sync_config.py`` (``make sync``): README and every notebook's bootstrap cell follow,
   and a second run finds nothing left to change;
3. drops a chapter that another chapter references (08, which 09 cites with ``{doc}`` and
   ``{eq}``) from ``_toc.yml``: the strict build (``-W --keep-going``) fails and names every
   reference into the dropped chapter, with the file it is in;
4. adds a chapter with ``tools/new_chapter.py`` (``make chapter``) and, having also dropped
   the chapter that referred to 08 (the simplest fix an instructor can make), builds: the
   strict build passes, and the site carries the new title, the new repository URL and the
   new chapter.

Why a reduced table of contents: building the whole book executes all nine chapters, which
takes minutes; this test must finish within about a minute on one core. The copy's
``_toc.yml`` is therefore replaced by a small course that keeps only what the steps need:
chapters 08 and 09 (08 is the one dropped, 09 — the smallest chapter — refers to it) and
two Markdown pages that refer to no chapter (``glossary`` as the root, ``bibliography``).
``intro``, ``api`` and ``instructors`` are left out because they link every chapter, so
in a reduced book they would fail for chapters left out only to save time. Everything else
is the copy's own: its ``_config.yml`` (execution mode included), extensions and package.
Build 1 executes chapter 09, build 2 only the new chapter.

What it assumes about the chapters (see the report to the lead): 09 refers to 08 with at
least one ``{doc}`` and one ``{eq}``; 08 defines those equation labels as ``$$ ... $$ (label)``;
``new_chapter.py`` places a chapter after the highest-numbered one in ``_toc.yml``. It does
not depend on how numbers are written in the prose ({glue} or {eval}).

``test_every_kind_of_dangling_reference_is_reported`` checks, on a two-page book of Markdown
only (seconds), that a dropped page's ``{doc}``, ``{numref}``, ``{ref}`` and ``{eq}`` targets,
a Markdown link to it and a link whose text says "Chapter N" for the wrong chapter each
produce a warning naming the file, the line and the target (the last one comes from
``book/_ext/chapter_refs.py``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.fork

JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
KEPT, DROPPED = "09_vanishing_gradients", "08_dense_gradients"
NEW_URL, NEW_TITLE = "https://github.com/uni-example/neuro-course", "Neurons 101 (Spring term)"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
WARNING = re.compile(r"^(?P<path>\S+?):(?:(?P<line>\d+):)? WARNING: (?P<message>.*)$", re.MULTILINE)
CODE_SPAN = re.compile(r"``.*?``", re.DOTALL)


def _copy_tracked_files(dest: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for rel in filter(None, files.decode().split("\0")):
        source = ROOT / rel
        if source.is_file():  # a tracked file deleted in the working tree is skipped
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)
    return dest


def _run(args: list[str], cwd: Path, timeout: int = 240) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


def _build(repo: Path) -> tuple[int, list[dict]]:
    """Strict build of ``repo`` as `make book` does it; the exit code and every warning."""
    shutil.rmtree(repo / "_build", ignore_errors=True)
    done = _run([str(JUPYTER_BOOK), "build", ".", "--warningiserror", "--keep-going"], cwd=repo)
    log = ANSI.sub("", done.stdout + done.stderr)
    missing = re.search(r"Could not import extension (\S+) \(exception: (.*)\)", log)
    if missing:  # the copy holds tracked files only: a new, un-added file is missing there
        pytest.fail(f"the copy's build cannot load the Sphinx extension {missing[1]} ({missing[2]}): "
                    "is its file tracked? (`git add` it)", pytrace=False)
    return done.returncode, [m.groupdict() | {"log": log} for m in WARNING.finditer(log)] or [{"log": log}]


def _markdown(path: Path) -> str:
    if path.suffix == ".md":
        text = path.read_text(encoding="utf-8")
    else:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return CODE_SPAN.sub("", text)


def _references(text: str) -> dict[str, set[str]]:
    """The targets of each kind of cross-reference in MyST text (explicit titles removed)."""
    found = {}
    for kind in ("doc", "eq", "numref", "ref"):
        targets = re.findall(r"\{%s\}`([^`]+)`" % kind, text)
        found[kind] = {re.sub(r"^.*<([^<>]+)>$", r"\1", t, flags=re.DOTALL).strip() for t in targets}
    return found


def _labels(path: Path) -> set[str]:
    """Equation labels, ``(label)=`` targets, exercise labels and figure names defined in a chapter."""
    text = _markdown(path)
    labels = set(re.findall(r"\$\$\s*\(([^)\s]+)\)", text))
    labels |= set(re.findall(r"^\(([^)\s]+)\)=\s*$", text, flags=re.MULTILINE))
    labels |= set(re.findall(r"^:label:\s*(\S+)", text, flags=re.MULTILINE))
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        name = cell.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("name")
        if name:
            labels.add(name)
    return labels


def _write_toc(repo: Path, chapters: list[str]) -> None:
    lines = ["format: jb-book", "root: book/glossary", "parts:", "  - caption: The course",
             "    numbered: true", "    chapters:"]
    lines += [f"      - file: book/{name}" for name in chapters]
    lines += ["  - caption: Reference", "    chapters:", "      - file: book/bibliography"]
    (repo / "_toc.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _unlink_chapters_outside_the_course(notebook: Path, course: set[str]) -> None:
    """Replace {doc} links to chapters the course lacks by plain text, as the instructor would.

    The template's placeholders may link chapters of the full book (e.g. "You should know
    first: ..."); the instructor points them at the course's own chapters. Here the course
    has no other chapter, so such links become their text.
    """
    nb = json.loads(notebook.read_text(encoding="utf-8"))

    def plain(match: re.Match) -> str:
        title, target = match["title"], match["target"]
        if target in course or not re.fullmatch(r"\d\d_\w+", target):
            return match[0]
        return f"*{title.strip() if title else target}*"

    role = re.compile(r"\{doc\}`(?:(?P<title>[^`<]*)<)?(?P<target>[^`<>]+)>?`")
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = role.sub(plain, "".join(cell["source"]))
    notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _warnings_text(warnings: list[dict]) -> str:
    return "\n".join(f"{w.get('path')}:{w.get('line')}: {w.get('message')}" for w in warnings if "message" in w) \
        or warnings[0]["log"][-3000:]


def test_a_course_follows_the_recipe(tmp_path):
    repo = _copy_tracked_files(tmp_path / "course")

    # 1. One place for the URL and the title: _config.yml, then `make sync`.
    config = repo / "_config.yml"
    text = config.read_text(encoding="utf-8")
    old_url = re.search(r"^\s+url:\s*(\S+)", text, flags=re.MULTILINE)[1]
    text = re.sub(r"^title:.*$", f"title: {NEW_TITLE}", text, count=1, flags=re.MULTILINE)
    config.write_text(text.replace(f"url: {old_url}", f"url: {NEW_URL}"), encoding="utf-8")
    synced = _run([sys.executable, "tools/sync_config.py"], cwd=repo)
    assert synced.returncode == 0, synced.stdout + synced.stderr
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert readme.startswith(f"# {NEW_TITLE}\n")
    assert f"git clone {NEW_URL}\ncd neuro-course\n" in readme and old_url not in readme
    notebooks = sorted((repo / "book").glob("[0-9][0-9]_*.ipynb")) + [repo / "book/_templates/chapter_template.ipynb"]
    for path in notebooks:
        source = path.read_text(encoding="utf-8")
        assert old_url not in source, f"{path.name} still names {old_url} after make sync"
        assert f'REPOSITORY = \\"{NEW_URL}\\"' in source, f"{path.name}: no REPOSITORY line with the new URL"
    again = _run([sys.executable, "tools/sync_config.py", "--check"], cwd=repo)
    assert again.returncode == 0, again.stdout + again.stderr

    # 2. Drop a chapter that another one references: the strict build fails and says where.
    kept, dropped = repo / "book" / f"{KEPT}.ipynb", repo / "book" / f"{DROPPED}.ipynb"
    refs, into_dropped = _references(_markdown(kept)), _labels(dropped)
    assert DROPPED in refs["doc"] and refs["eq"] & into_dropped, (
        f"this test expects {KEPT} to refer to {DROPPED} with {{doc}} and {{eq}}; pick another pair"
    )
    _write_toc(repo, [DROPPED, KEPT])
    toc = (repo / "_toc.yml").read_text(encoding="utf-8")
    (repo / "_toc.yml").write_text(toc.replace(f"      - file: book/{DROPPED}\n", ""), encoding="utf-8")
    code, warnings = _build(repo)
    assert code != 0, "the strict build passed although a chapter refers to the dropped one"
    reported = {(Path(w["path"]).name, w["message"]) for w in warnings if "message" in w}
    kept_labels = _labels(kept)
    expected = {f"unknown document: '{t}'" for t in refs["doc"] if t != KEPT}
    expected |= {f"equation not found: {t}" for t in refs["eq"] - kept_labels}
    expected |= {f"undefined label: '{t}'" for t in (refs["numref"] | refs["ref"]) - kept_labels}
    missing = sorted(m for m in expected if (kept.name, m) not in reported)
    assert not missing, f"not reported by the build: {missing}\nwarnings:\n{_warnings_text(warnings)}"
    assert any(DROPPED in m for m in expected) and any(
        m.startswith("equation not found") and m.split(": ")[1] in into_dropped for m in expected)

    # 3. Add a chapter with `make chapter`; drop the chapter that referred to 08; build.
    name = f"{int(KEPT[:2]) + 1:02d}_learning_rules"
    added = _run([sys.executable, "tools/new_chapter.py", name, "--topic", "learning",
                  "--title", "Learning rules"], cwd=repo)
    assert added.returncode == 0, added.stdout + added.stderr
    toc = (repo / "_toc.yml").read_text(encoding="utf-8")
    assert f"book/{KEPT}\n      - file: book/{name}\n" in toc, toc
    (repo / "_toc.yml").write_text(toc.replace(f"      - file: book/{KEPT}\n", ""), encoding="utf-8")
    notebook = repo / "book" / f"{name}.ipynb"
    assert f'REPOSITORY = \\"{NEW_URL}\\"' in notebook.read_text(encoding="utf-8")
    _unlink_chapters_outside_the_course(notebook, course={name})
    code, warnings = _build(repo)
    assert code == 0, (f"the course's strict build failed:\n{_warnings_text(warnings)}\n"
                       f"end of the log:\n{warnings[0]['log'][-2500:]}")
    page = (repo / "_build" / "html" / "book" / f"{name}.html").read_text(encoding="utf-8")
    assert "Learning rules" in page and NEW_TITLE in page
    assert NEW_URL in page, "the repository button does not use the URL from _config.yml"


def test_every_kind_of_dangling_reference_is_reported(tmp_path):
    repo = tmp_path / "mini"
    (repo / "book").mkdir(parents=True)
    shutil.copy2(ROOT / "_config.yml", repo / "_config.yml")
    shutil.copy2(ROOT / "book" / "references.bib", repo / "book" / "references.bib")
    shutil.copytree(ROOT / "book" / "_ext", repo / "book" / "_ext",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (repo / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nparts:\n  - caption: Part\n    numbered: true\n"
        "    chapters:\n      - file: book/first\n      - file: book/second\n", encoding="utf-8")
    (repo / "book" / "intro.md").write_text("# Intro\n\nA course.\n", encoding="utf-8")
    (repo / "book" / "first.md").write_text("# First\n\nThe first chapter.\n", encoding="utf-8")
    (repo / "book" / "second.md").write_text(
        "# Second\n\n"
        "A {doc}`dropped` link.\n\n"                       # line 3
        "An equation {eq}`eq-dropped`.\n\n"                # line 5
        "A figure {numref}`fig-dropped`.\n\n"              # line 7
        "A section {ref}`sec-dropped`.\n\n"                # line 9
        "An exercise {ref}`ex-dropped`.\n\n"               # line 11
        "A [Markdown link](dropped.md).\n\n"               # line 13
        "Back to {doc}`Chapter 2 <first>`.\n\n"            # line 15: first is chapter 1
        "And {doc}`Chapter 1 <first>`, which is right.\n", encoding="utf-8")
    (repo / "book" / "dropped.md").write_text(
        "# Dropped\n\n(sec-dropped)=\n## Section\n\n$$ x = 1 $$ (eq-dropped)\n\n"
        "```{figure} missing.png\n:name: fig-dropped\n\nA figure.\n```\n\n"
        ":::{exercise}\n:label: ex-dropped\n\nDo it.\n:::\n", encoding="utf-8")
    code, warnings = _build(repo)
    assert code != 0
    reported = {(w["line"], w["message"].split(" [")[0]) for w in warnings
                if "message" in w and w["path"].endswith("second.md")}
    expected = {
        ("3", "unknown document: 'dropped'"),
        ("5", "equation not found: eq-dropped"),
        ("7", "undefined label: 'fig-dropped'"),
        ("9", "undefined label: 'sec-dropped'"),
        ("11", "undefined label: 'ex-dropped'"),
        ("13", "Unknown source document 'book/dropped'"),
        ("15", "link text 'Chapter 2' points at book/first, which is chapter 1 in _toc.yml; "
               "fix the number or write {doc}`first` to show the chapter's title"),
    }
    assert reported == expected, _warnings_text(warnings)
