"""The book as PDFs (`make pdf`, tools/make_pdf.py): the student and instructor editions.

Reads the two PDFs in _build/pdf with ``pdftotext`` (page by page) and compares them with the
built site they were made from (_build/html): the page counts, the cover, every chapter title,
the contents' page numbers against the pages where the titles are, a page number on every
page, no raw TeX, hints in both editions, no interactive-only text, links that stay inside
the PDF, and the solutions: none of their text in the student edition while the same phrases,
taken from the site's HTML, are in the instructor edition (the control that the search would
find them).

Without the PDFs these tests are skipped, unless REQUIRE_SITE is set (as `make test` does,
after `make pdf`), in which case missing or stale PDFs are a failure. One test makes a PDF of
a two-page book with a remote image in it and expects the tool to refuse (about 5 s). The
whole module takes about 15 s.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

import make_pdf
from conftest import ROOT

pytestmark = pytest.mark.site

SITE = ROOT / "_build" / "html"
OUT = ROOT / "_build" / "pdf"
NAME = make_pdf.slug(yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"])
EDITIONS = ("student", "instructor")
RAW_TEX = ("\\frac", "$$", "\\(", "\\)", "\\[", "\\begin", "\\end{")


def _missing(message: str) -> None:
    if os.environ.get("REQUIRE_SITE"):
        pytest.fail(message)
    pytest.skip(message)


def _chapter_pages() -> list[Path]:
    return sorted((SITE / "book").glob("[0-9][0-9]_*.html"))


@pytest.fixture(scope="module")
def pdfs() -> dict[str, Path]:
    """The two PDFs, made from the current site (else skipped, or failed under REQUIRE_SITE)."""
    if shutil.which("pdftotext") is None:
        _missing("pdftotext not found: apt-get install poppler-utils")
    chapters = _chapter_pages()
    if not chapters:
        _missing(f"no built site at {SITE}: run `make book` first")
    found = {edition: OUT / f"{NAME}-{edition}.pdf" for edition in EDITIONS}
    absent = [str(path) for path in found.values() if not path.is_file()]
    if absent:
        _missing(f"no PDF at {', '.join(absent)}: run `make pdf`")
    site_time = max(path.stat().st_mtime for path in chapters)
    stale = [str(path) for path in found.values() if path.stat().st_mtime < site_time]
    if stale:
        _missing(f"PDFs older than the site: {', '.join(stale)}: run `make pdf` again")
    return found


@pytest.fixture(scope="module")
def pages(pdfs) -> dict[str, list[str]]:
    """The text of every page of each edition (pdftotext -layout, pages split at form feeds)."""
    return {edition: make_pdf.pdf_pages(path) for edition, path in pdfs.items()}


def _normal(text: str) -> str:
    """Text as compared between HTML and PDF: NFKC (ligatures, no-break spaces), one space
    between words, and no space after a dash or slash (a line may break there)."""
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    return re.sub(r"([-‐–—/]) ", r"\1", text)


def _body(page_texts: list[str]) -> str:
    """The whole text of an edition without the page footers, normalised."""
    footer = re.compile(r"^.*edition\s+\d+ / \d+\s*$")
    lines = [line for text in page_texts for line in text.splitlines() if not footer.match(line)]
    return _normal("\n".join(lines))


def _words(text: str) -> str:
    """Only the words, lower case, one space apart (and around): how prose is compared, since
    pdftotext spaces punctuation, inline code and formulas differently from the HTML."""
    return " " + " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower())) + " "


def _solution_phrases(solution: Any) -> list[str]:
    """Runs of six words of a solution's prose (taken between formulas and inline code, which
    print differently) and of its code; destroys ``solution``'s inline elements."""
    for inline in solution.select("section p .math, section p code, section p sup, section p sub"):
        inline.replace_with("\x00")
    phrases = []
    blocks = [*(p.get_text() for p in solution.select("section p")),
              *(pre.get_text() for pre in solution.select("pre"))]
    for block in blocks:
        for run in block.split("\x00"):
            words = _words(run).split()
            windows = (words[i:i + 6] for i in range(len(words) - 5))
            # words, not symbols: a formula's letters also show up in typeset math
            phrases += [" ".join(w) for w in windows if sum(len(x) >= 3 for x in w) >= 4]
    return phrases


@dataclass
class SiteFacts:
    """What the built HTML says the PDFs must show (each page parsed once)."""

    titles: list[str] = field(default_factory=list)  # chapters, "7. Activation functions"
    back_titles: list[str] = field(default_factory=list)  # glossary, bibliography
    solutions: list[list[str]] = field(default_factory=list)  # phrases of each solution
    hints: int = 0
    explorable_notes: set[str] = field(default_factory=set)
    equation_numbers: set[str] = field(default_factory=set)
    tex: str = ""  # the math of the chapters, as TeX


@pytest.fixture(scope="module")
def site(pdfs) -> SiteFacts:
    facts, elsewhere = SiteFacts(), []
    back = [SITE / "book" / f"{stem}.html" for stem in ("glossary", "bibliography")]
    for path in [*_chapter_pages(), *back, SITE / "book" / "intro.html"]:
        article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one(
            "article.bd-article")
        for link in article.select(".headerlink"):
            link.decompose()
        title = " ".join(article.select_one("h1").get_text().split())
        if path in back:
            facts.back_titles.append(title)
        elif path.name != "intro.html":
            facts.titles.append(title)
        facts.hints += len(article.select(".admonition.hint"))
        facts.explorable_notes |= {_normal(n.get_text()) for n in article.select(".explorable-note")}
        facts.equation_numbers |= {" ".join(n.get_text().split()) for n in article.select(".eqno")}
        facts.tex += " ".join(math.get_text() for math in article.select(".math"))
        for solution in article.select(".admonition.solution"):
            facts.solutions.append(_solution_phrases(solution))
            solution.decompose()
        elsewhere.append(_words(article.get_text()))
    # Only phrases that the rest of the book (what the student edition prints) lacks.
    rest = " ".join(elsewhere)
    facts.solutions = [[p for p in phrases if f" {p} " not in rest] for phrases in facts.solutions]
    return facts


def test_page_counts_are_plausible(pages, site):
    for edition in EDITIONS:
        assert len(pages[edition]) > len(site.titles) + 2, (edition, len(pages[edition]))
    assert len(pages["instructor"]) > len(pages["student"]), {e: len(p) for e, p in pages.items()}


@pytest.mark.parametrize("edition", EDITIONS)
def test_cover(pages, edition):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    cover = _normal(pages[edition][0])
    assert config["title"] in cover and config["author"] in cover, cover
    assert f"{edition.capitalize()} edition" in cover, cover
    assert re.search(r"\b\d{1,2} [A-Z][a-z]+ \d{4}\b", cover), f"no build date on the cover: {cover}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_chapter_title_is_in_the_pdf(pages, site, edition):
    text = _body(pages[edition])
    assert len(site.titles) >= 10
    missing = [title for title in site.titles if _normal(title) not in text]
    assert not missing, f"{edition} edition lacks {missing}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_contents_page_numbers_are_where_the_titles_are(pages, site, edition):
    """Each chapter, the glossary and the bibliography are in the contents (page 2) with the
    number of the page that begins with their title."""
    contents = {}
    for line in pages[edition][1].splitlines():
        match = re.match(r"^\s*(?P<title>\S.*?)\s+(?P<page>\d+)\s*$", line)
        if match:
            contents[" ".join(match["title"].split())] = int(match["page"])
    assert "Contents" in pages[edition][1]
    titles = site.titles + site.back_titles
    not_listed = [title for title in titles if title not in contents]
    assert not not_listed, f"not in the contents of the {edition} edition: {not_listed}; {contents}"
    wrong = {}
    for title in titles:
        page = make_pdf.title_page(pages[edition], title, contents[title] - 1)
        if page != contents[title]:
            wrong[title] = (contents[title], page)
    assert not wrong, f"contents number -> first page from there beginning with the title: {wrong}"
    numbers = [contents[title] for title in titles]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), numbers


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_shows_its_number(pages, edition):
    total = len(pages[edition])
    unnumbered = [i for i, text in enumerate(pages[edition], start=1)
                  if not re.search(rf"(?<!\d){i} / {total}(?!\d)", text)]
    assert not unnumbered, f"pages without 'N / {total}': {unnumbered[:20]}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_raw_tex(pages, edition):
    found = {tex: [i for i, text in enumerate(pages[edition], start=1) if tex in text]
             for tex in RAW_TEX}
    found = {tex: where[:10] for tex, where in found.items() if where}
    assert not found, f"raw TeX in the {edition} edition (pages): {found}"


def test_math_is_typeset_in_the_pdf(pages, site):
    """The control for test_no_raw_tex: the site's pages hold their math as TeX (``\\(...\\)``
    with ``\\frac`` and ``\\begin``, typeset by MathJax in the browser), so an untypeset book
    would fail it; and the equations are in the PDF (each display equation's number)."""
    assert all(raw in site.tex for raw in ("\\frac", "\\(", "\\begin")), "no raw TeX on the site"
    assert len(site.equation_numbers) > 20
    text = _body(pages["student"])
    assert [n for n in sorted(site.equation_numbers) if n not in text] == []


def test_student_edition_has_no_solution_text_the_instructor_edition_has_it(pdfs, site):
    # Reading order (not -layout), so that a sentence's lines follow each other.
    text = {e: make_pdf.pdf_pages(path, layout=False) for e, path in pdfs.items()}
    student, instructor = _words(" ".join(text["student"])), _words(" ".join(text["instructor"]))
    assert len(site.solutions) >= 10
    assert all(site.solutions), "a solution without a phrase of its own to look for"
    # The control: every solution has phrases (from the HTML) in the instructor edition...
    absent = [phrases[0] for phrases in site.solutions if not any(f" {p} " in instructor for p in phrases)]
    assert not absent, f"solutions missing from the instructor edition: {absent[:3]}"
    assert _normal(" ".join(text["instructor"])).count("Solution to Exercise") == len(site.solutions)
    # ...so that none of them in the student edition means something.
    leaked = [p for phrases in site.solutions for p in phrases if f" {p} " in student]
    assert not leaked, f"solution text in the student edition: {leaked[:3]}"
    assert "Solution to" not in " ".join(text["student"])


def test_both_editions_keep_the_hints(pages, site):
    """Hints are part of the exercise as students get it (tools/student_edition.py keeps
    them), so both editions print every one, labelled."""
    assert site.hints >= 10
    for edition in EDITIONS:
        labels = sum(len(re.findall(r"^\W*Hint\s*$", text, re.MULTILINE)) for text in pages[edition])
        assert labels == site.hints, f"{edition} edition: {labels} hints printed, {site.hints} on the site"


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_interactive_only_text(pages, site, edition):
    assert site.explorable_notes, "no explorable figure on the site: nothing to check"
    text = _body(pages[edition])
    for phrase in (*site.explorable_notes, "Click to show", "Click to hide", "Launch", "Copy to clipboard"):
        assert phrase not in text, f"{phrase!r} printed in the {edition} edition"


@pytest.mark.parametrize("edition", EDITIONS)
def test_links_stay_in_the_pdf_or_go_to_the_web(pdfs, edition):
    """Links between the site's pages became links inside the PDF; none points at the
    loopback server the PDF was printed from (a dead link on paper)."""
    data = pdfs[edition].read_bytes()
    assert data.count(b"/Dest") > 100, "no links inside the PDF"
    assert b"127.0.0.1" not in data and b"localhost" not in data


def test_no_remote_request_during_generation(pdfs):
    facts = json.loads((OUT / f"{NAME}.json").read_text(encoding="utf-8"))
    assert facts["remote_requests"] == []
    assert set(facts["editions"]) == set(EDITIONS)


@pytest.mark.browser
def test_a_remote_resource_fails_the_run(chromium, tmp_path):
    """The control for the previous test: a two-page book whose chapter has an image on
    another host is refused, and no PDF is written."""
    if not _chapter_pages():
        _missing(f"no built site at {SITE}: run `make book` first")
    chapter = _chapter_pages()[0]
    root, fake = tmp_path / "root", tmp_path / "site"
    root.mkdir()
    (fake / "book").mkdir(parents=True)
    shutil.copy(ROOT / "_config.yml", root)
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nparts:\n  - caption: Chapters\n    numbered: true\n"
        f"    chapters:\n      - file: book/{chapter.stem}\n", encoding="utf-8")
    for folder in ("_static", "_images"):
        (fake / folder).symlink_to(SITE / folder)
    shutil.copy(SITE / "book" / "intro.html", fake / "book")
    remote = '<img src="https://example.org/remote.png" alt="a remote image">'
    (fake / "book" / chapter.name).write_text(chapter.read_text(encoding="utf-8").replace(
        '<article class="bd-article">', f'<article class="bd-article">{remote}', 1), encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"remote resources.*example\.org"):
        make_pdf.make_pdfs(fake, tmp_path / "pdf", ("student",), root=root)
    assert list((tmp_path / "pdf").glob("*.pdf")) == []
