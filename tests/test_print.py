"""Printing a chapter (issue 19): book/_static/print.css in headless Chromium.

A handout printed from the site must not give the answers away: hints and solutions are
not printed (sphinx-togglebutton opens them all before printing), nor their "Click to hide"
buttons, the hidden code cells, the launch and download buttons, the sidebars or the search;
the exercises are, and the title keeps its chapter number.

The test makes its own small build (about 10-20 s: ``book/intro`` and one short chapter,
``book/07_activations``, into a temporary folder), so it needs neither ``make book`` nor
the full site; it needs Debian's chromium (skipped without it, as the other browser tests).
In this reduced book the chapter is chapter 1: the test checks that the title shows the
number the HTML gives it, whatever it is.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
CHAPTER = "book/07_activations"
TITLE = "Activation functions"

pytestmark = pytest.mark.browser

# Hidden in print, each with a selector that the chapter's HTML has (checked on screen).
HIDDEN_IN_PRINT = {
    "solutions": ".admonition.solution",
    "hints": ".admonition.hint",
    "toggle buttons ('Click to hide')": "button.toggle-button",
    "hidden code cells (details)": "details",
    "launch buttons": ".dropdown-launch-buttons",
    "download buttons": ".dropdown-download-buttons",
    "primary sidebar": ".bd-sidebar-primary",
    "secondary sidebar (page contents)": ".bd-sidebar-secondary",
    "search": ".search-button-field, .search-button, #searchbox",
}


def _build(out: Path) -> str:
    """Build the intro and one chapter with the book's _config.yml into ``out``; the log."""
    toc = out / "_toc.yml"
    toc.write_text(
        "format: jb-book\nroot: book/intro\nparts:\n  - caption: Chapters\n    numbered: true\n"
        f"    chapters:\n      - file: {CHAPTER}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    # Not strict: the reduced book lacks the chapters, glossary and bibliography it refers to.
    done = subprocess.run(
        [str(JUPYTER_BOOK), "build", ".", "--toc", str(toc), "--path-output", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=env,
    )
    return f"exit code {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


@pytest.fixture(scope="module")
def reduced_site(tmp_path_factory) -> Path:
    """The HTML folder of the reduced build, made once per run.

    Under pytest-xdist (`make test-unit` runs on two workers) the first worker to get here
    builds into the run's shared temporary folder and the others wait for it.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the workers of this run
    out, log = base / "print_build", base / "print_build.log"
    try:
        out.mkdir()  # atomic: exactly one worker builds
    except FileExistsError:
        deadline = time.monotonic() + 360
        while not log.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
    else:
        text = _build(out)
        partial = log.with_suffix(".tmp")
        partial.write_text(text, encoding="utf-8")
        partial.rename(log)  # appears complete, never half-written
    html = out / "_build" / "html"
    assert log.exists(), "the reduced build did not finish within 6 minutes"
    assert (html / f"{CHAPTER}.html").is_file(), log.read_text(encoding="utf-8")
    return html


@pytest.fixture(scope="module")
def chapter_page(reduced_site, chromium):
    """The chapter in headless Chromium, served over loopback, remote requests blocked."""
    import browser
    from playwright.sync_api import sync_playwright

    remote: list[str] = []
    with browser.serve_directory(reduced_site) as base, sync_playwright() as pw:
        chrome = browser.launch(pw, chromium)
        page = chrome.new_page(viewport={"width": 1280, "height": 900})
        browser.block_remote_requests(page, remote)
        page.goto(f"{base}/{CHAPTER}.html", wait_until="load")
        yield page
        chrome.close()


def _visible(page, selector: str) -> int:
    return sum(1 for element in page.locator(selector).all() if element.is_visible())


def _as_on_screen(page) -> None:
    page.emulate_media(media="screen")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")


def _as_printed(page) -> None:
    page.emulate_media(media="print")
    # What the browser does before printing: sphinx-togglebutton then opens every toggle.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")


def test_print_stylesheet_is_loaded(chapter_page):
    sheets = chapter_page.evaluate("[...document.styleSheets].map(s => s.href || '')")
    assert any(re.search(r"/_static/print\.css(\?|$)", href) for href in sheets), sheets


def test_without_print_css_the_answers_and_an_unnumbered_title_would_print(chapter_page):
    """The control: with book/_static/print.css switched off, the checks below fail."""
    toggle = ("on => [...document.styleSheets].filter(s => /print\\.css/.test(s.href || ''))"
              ".forEach(s => s.disabled = !on)")
    chapter_page.evaluate(f"({toggle})(false)")
    _as_printed(chapter_page)
    try:
        assert _visible(chapter_page, ".admonition.solution") > 0
        headings = [h.inner_text().strip() for h in chapter_page.locator("h1").all() if h.is_visible()]
        assert headings[0] == TITLE  # the theme's own print title, without its number
    finally:
        _as_on_screen(chapter_page)
        chapter_page.evaluate(f"({toggle})(true)")


def test_what_print_hides_is_on_the_screen_page(chapter_page):
    """The selectors match the theme's HTML: on screen each of them shows something."""
    _as_on_screen(chapter_page)
    missing = [what for what, selector in HIDDEN_IN_PRINT.items() if _visible(chapter_page, selector) == 0]
    assert not missing, f"not visible on screen, so the print check would prove nothing: {missing}"


@pytest.mark.parametrize("what", sorted(HIDDEN_IN_PRINT))
def test_printed_chapter_hides(chapter_page, what):
    _as_printed(chapter_page)
    try:
        assert _visible(chapter_page, HIDDEN_IN_PRINT[what]) == 0, f"{what} printed"
    finally:
        _as_on_screen(chapter_page)


def test_printed_chapter_shows_no_answer_and_no_toggle_label(chapter_page):
    _as_printed(chapter_page)
    try:
        text = chapter_page.evaluate("document.body.innerText")
        assert "Solution to" not in text and "Click to hide" not in text and "Click to show" not in text
        # the hint text itself (its admonition title is "Hint")
        assert not re.search(r"^\s*Hint\s*$", text, re.MULTILINE)
    finally:
        _as_on_screen(chapter_page)


def test_printed_chapter_keeps_the_exercises(chapter_page):
    total = chapter_page.locator(".admonition.exercise").count()
    _as_printed(chapter_page)
    try:
        assert total >= 1
        assert _visible(chapter_page, ".admonition.exercise") == total
    finally:
        _as_on_screen(chapter_page)


def test_printed_title_is_the_numbered_chapter_title_first_on_the_page(chapter_page):
    number = chapter_page.locator(".bd-article h1 .section-number").first.inner_text().strip()
    assert re.fullmatch(r"\d+\.", number), number  # the number the HTML gives the chapter
    _as_printed(chapter_page)
    try:
        headings = [h.inner_text().strip() for h in chapter_page.locator("h1").all() if h.is_visible()]
        assert headings and headings[0].startswith(f"{number} {TITLE}"), headings
        assert headings.count(TITLE) == 0, f"an unnumbered copy of the title is printed: {headings}"
        # nothing printed above the title but the page's top margin
        first_text = chapter_page.evaluate("document.body.innerText").strip().splitlines()[0]
        assert first_text.startswith(number), first_text
    finally:
        _as_on_screen(chapter_page)


def test_printed_pdf_has_pages(chapter_page, tmp_path):
    """Chromium's own print path (page.pdf uses print media): the chapter prints."""
    _as_printed(chapter_page)
    try:
        pdf = chapter_page.pdf(format="A4")
    finally:
        _as_on_screen(chapter_page)
    assert pdf[:5] == b"%PDF-"
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 2, pages
