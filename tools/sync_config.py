"""Copy the repository URL and the book's title from ``_config.yml`` to where they are repeated.

``_config.yml`` is the one place to set them (``title:``, ``repository.url``,
``repository.branch``); a course that forks the book edits it and runs ``make sync``.
This script then rewrites, and only where the text differs:

* ``README.md`` — the first-level title, the ``git clone URL`` line and the ``cd NAME``
  line after it, and the Binder and Colab launch links (``mybinder.org/v2/gh/OWNER/REPO/BRANCH``,
  ``colab.research.google.com/github/OWNER/REPO/blob/BRANCH/``);
* every chapter notebook ``book/NN_*.ipynb`` and ``book/_templates/chapter_template.ipynb`` —
  the line ``REPOSITORY = "..."`` in the first code cell, which is tagged ``bootstrap`` (it
  installs the package from the repository on Colab). A notebook without such a cell is
  skipped with a message. The notebook is loaded with :mod:`json`, only that source line is
  changed, and it is written back as nbformat writes it (``indent=1``, no ASCII escaping,
  final newline), so nothing else in the file moves.

The GitHub Actions workflow needs neither the URL nor the title (``tests/test_repository.py``
checks that it stays so). ``--check`` writes nothing and exits with status 1 if anything
differs; ``tests/test_repository.py`` runs the same comparison.

Usage::

    python tools/sync_config.py           # rewrite (make sync)
    python tools/sync_config.py --check   # report drift, change nothing
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

#: What a repository URL must look like: https, a host, an owner and a name; no ``.git``
#: and no trailing slash (Binder, Colab and ``pip install git+URL`` all build on it).
URL_PATTERN = re.compile(r"https://(?P<host>[A-Za-z0-9.-]+)/(?P<owner>[A-Za-z0-9_.-]+)/(?P<name>[A-Za-z0-9_.-]+)")
BRANCH_PATTERN = re.compile(r"[A-Za-z0-9._/-]+")
#: The line the bootstrap cell of every notebook carries.
REPOSITORY_LINE = re.compile(r'^REPOSITORY = "[^"\n]*"$', re.MULTILINE)
BOOTSTRAP_TAG = "bootstrap"


@dataclass(frozen=True)
class Settings:
    """The values ``_config.yml`` holds for the rest of the repository.

    Attributes
    ----------
    title : str
        The book's title.
    url : str
        The repository's web address, ``https://HOST/OWNER/REPO``.
    branch : str
        The branch the site and the launch links are built from.
    """

    title: str
    url: str
    branch: str

    @property
    def owner_repo(self) -> str:
        """``OWNER/REPO``, the part of the URL after the host."""
        match = URL_PATTERN.fullmatch(self.url)
        return f"{match['owner']}/{match['name']}"

    @property
    def name(self) -> str:
        """The repository's name, which ``git clone`` uses as the directory name."""
        return URL_PATTERN.fullmatch(self.url)["name"]


@dataclass(frozen=True)
class Change:
    """A file whose text must change to follow ``_config.yml``."""

    path: Path
    old: str
    new: str
    what: str


def read_settings(root: Path = ROOT) -> Settings:
    """Read title, repository URL and branch from ``root/_config.yml``.

    Parameters
    ----------
    root : pathlib.Path
        The repository's top folder.

    Returns
    -------
    Settings
        The validated values.

    Raises
    ------
    ValueError
        If a value is missing or malformed, naming the key, the value and what is expected.
    """
    if not isinstance(root, Path):
        raise TypeError(f"root must be a pathlib.Path, got {type(root).__name__}")
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    title = config.get("title")
    repository = config.get("repository") or {}
    url = repository.get("url")
    branch = repository.get("branch")
    if not isinstance(title, str) or not title.strip() or "\n" in title:
        raise ValueError(f"_config.yml: title must be a non-empty one-line string, got {title!r}")
    if not isinstance(url, str) or not URL_PATTERN.fullmatch(url) or url.endswith(".git"):
        raise ValueError(
            f"_config.yml: repository.url must look like https://github.com/OWNER/REPO "
            f"(no .git, no trailing slash), got {url!r}"
        )
    if not isinstance(branch, str) or not BRANCH_PATTERN.fullmatch(branch):
        raise ValueError(f"_config.yml: repository.branch must be a branch name such as main, got {branch!r}")
    return Settings(title=title.strip(), url=url, branch=branch)


def notebooks(root: Path = ROOT) -> list[Path]:
    """The notebooks that carry a bootstrap cell: every chapter and the chapter template."""
    found = sorted((root / "book").glob("[0-9][0-9]_*.ipynb"))
    template = root / "book" / "_templates" / "chapter_template.ipynb"
    return found + ([template] if template.exists() else [])


def dump_notebook(nb: dict) -> str:
    """Serialise a notebook as nbformat does: one-space indent, UTF-8 kept, final newline."""
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def bootstrap_cell(nb: dict) -> dict | None:
    """The notebook's first code cell if it is tagged ``bootstrap``, else None."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            tags = cell.get("metadata", {}).get("tags", [])
            return cell if BOOTSTRAP_TAG in tags else None
    return None


def _readme_text(text: str, settings: Settings) -> str:
    text = re.sub(r"\A# .*$", f"# {settings.title}", text, count=1, flags=re.MULTILINE)
    text = re.sub(r"^(\s*)git clone \S+(?:\n\1cd \S+)?$",
                  lambda m: f"{m[1]}git clone {settings.url}\n{m[1]}cd {settings.name}",
                  text, flags=re.MULTILINE)
    text = re.sub(r"mybinder\.org/v2/gh/[^/\s)]+/[^/\s)]+/[^/?\s)]+",
                  f"mybinder.org/v2/gh/{settings.owner_repo}/{settings.branch}", text)
    text = re.sub(r"colab\.research\.google\.com/github/[^/\s)]+/[^/\s)]+/blob/[^/\s)]+/",
                  f"colab.research.google.com/github/{settings.owner_repo}/blob/{settings.branch}/", text)
    return text


def plan(root: Path = ROOT) -> tuple[list[Change], list[str]]:
    """Work out what must change for the repository to follow ``_config.yml``.

    Parameters
    ----------
    root : pathlib.Path
        The repository's top folder.

    Returns
    -------
    changes : list of Change
        One per file whose text differs from what ``_config.yml`` implies.
    notes : list of str
        Files skipped and why (a notebook without a bootstrap cell).

    Raises
    ------
    ValueError
        If ``_config.yml`` is malformed, or a bootstrap cell does not hold exactly one
        ``REPOSITORY = "..."`` line, or a notebook would not round-trip unchanged.
    """
    settings = read_settings(root)
    changes: list[Change] = []
    notes: list[str] = []

    readme = root / "README.md"
    if readme.exists():
        old = readme.read_text(encoding="utf-8")
        new = _readme_text(old, settings)
        if new != old:
            changes.append(Change(readme, old, new, "title, clone line or launch links"))

    wanted = f'REPOSITORY = "{settings.url}"'
    for path in notebooks(root):
        rel = path.relative_to(root)
        old = path.read_text(encoding="utf-8")
        nb = json.loads(old)
        cell = bootstrap_cell(nb)
        if cell is None:
            notes.append(f"skipped {rel}: its first code cell is not tagged '{BOOTSTRAP_TAG}'")
            continue
        source = cell["source"]
        lines = source if isinstance(source, list) else source.splitlines(keepends=True)
        hits = [i for i, line in enumerate(lines) if REPOSITORY_LINE.fullmatch(line.rstrip("\n"))]
        if len(hits) != 1:
            raise ValueError(f"{rel}: the bootstrap cell must hold exactly one line "
                             f'REPOSITORY = "https://github.com/OWNER/REPO", found {len(hits)}')
        line = lines[hits[0]]
        if line.rstrip("\n") == wanted:
            continue
        if dump_notebook(nb) != old:
            raise ValueError(f"{rel} is not stored as nbformat writes it; open and save it in "
                             "Jupyter (or run nbformat) first, so that only one line changes")
        lines = list(lines)
        lines[hits[0]] = wanted + ("\n" if line.endswith("\n") else "")
        cell["source"] = lines if isinstance(source, list) else "".join(lines)
        changes.append(Change(path, old, dump_notebook(nb), "REPOSITORY line of the bootstrap cell"))
    return changes, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report what differs, write nothing")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        changes, notes = plan(args.root)
    except ValueError as exc:
        print(f"sync_config: {exc}", file=sys.stderr)
        return 2
    for note in notes:
        print(note)
    for change in changes:
        rel = change.path.relative_to(args.root)
        if args.check:
            print(f"{rel}: {change.what} differ from _config.yml")
        else:
            change.path.write_text(change.new, encoding="utf-8")
            print(f"updated {rel} ({change.what})")
    if args.check and changes:
        print("run `make sync` (python tools/sync_config.py) to update them", file=sys.stderr)
        return 1
    if not changes:
        print("everything follows _config.yml")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
