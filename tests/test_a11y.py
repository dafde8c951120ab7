"""Accessibility details of the built site (issue 19, items 1 and 3), in Chromium.

``tests/test_phone.py`` measures every page (figure text size as shown and enlarged, unique
ids, button names). This file holds what needs its own visit:

- search: a search for a word that occurs next to math returns snippets without raw TeX
  (``book/_static/a11y.js`` wraps Sphinx's ``Search.htmlToText``);
- an explorable figure, moved to another state, is enlarged in that state;
- printing shows no enlarge button;
- the controls: without ``figzoom.js`` the phone's figure check fails, without ``a11y.js``
  the copy buttons have no name and the snippets show TeX, and without
  ``book/_ext/a11y.py``'s transform sphinx-exercise's ids repeat.

Runs on ``_build/html`` (or ``PHONE_TEST_SITE``); marked ``site``, skipped without a build
unless REQUIRE_SITE is set.
"""

from __future__ import annotations

import sys

import pytest

import browser
from conftest import ROOT
from test_phone import (
    _IDS_AND_NAMES_JS,
    MIN_FIGURE_TEXT_PX,
    PAGES,
    SCREENS,
    SITE,
    _figures,
    figure_text_px,
    site,  # noqa: F401 - the fixture
)

pytestmark = [pytest.mark.site, pytest.mark.browser]

# A word that the chapters use right next to inline math (chapters 04 and 06).
SEARCH_WORD = "quadratic"
TEX_MARKS = ("\\(", "\\)", "\\[", "\\frac", "$$", "\\begin")


def _chapter_with_explorable() -> str | None:
    for rel in PAGES:
        if rel.startswith("book/") and 'class="explorable"' in (SITE / rel).read_text(encoding="utf-8"):
            return rel
    return None


def _context(pw, chromium: str, screen: str, block: tuple[str, ...] = ()):
    """A browser context on ``screen``; requests for the site's files named in ``block``
    (e.g. ``a11y.js``) fail, as if the file were not there."""
    chrome = browser.launch(pw, chromium)
    context = chrome.new_context(**SCREENS[screen])
    browser.block_remote_requests(context, [])
    for name in block:
        context.route(f"**/_static/{name}*", lambda route: route.abort())
    return chrome, context


def _snippets(pw, chromium: str, base: str, block: tuple[str, ...] = ()) -> list[str]:
    chrome, context = _context(pw, chromium, "laptop", block)
    page = context.new_page()
    page.goto(f"{base}/search.html?q={SEARCH_WORD}", wait_until="load", timeout=60_000)
    page.wait_for_function(
        "() => { const items = document.querySelectorAll('#search-results li');"
        " return items.length > 0 && [...items].every((li) => li.querySelector('p.context')); }",
        timeout=60_000)
    snippets = page.locator("#search-results li p.context").all_text_contents()
    chrome.close()
    return snippets


def _tex_in(snippets: list[str]) -> list[str]:
    return [s for s in snippets if any(mark in s for mark in TEX_MARKS)]


def test_search_snippets_show_no_tex(site, chromium):
    from playwright.sync_api import sync_playwright

    with browser.serve_directory(site) as base, sync_playwright() as pw:
        snippets = _snippets(pw, chromium, base)
    assert snippets, f"no result for {SEARCH_WORD!r}"
    assert not _tex_in(snippets), "\n\n".join(_tex_in(snippets))
    # the formula next to the word is there, as text (chapter 04: "the membrane potential v")
    assert any(SEARCH_WORD in s.lower() for s in snippets)


def test_without_a11y_js_snippets_show_tex_and_copy_buttons_have_no_name(site, chromium):
    """The control: the same search and a chapter's buttons without book/_static/a11y.js."""
    from playwright.sync_api import sync_playwright

    chapter = next(p for p in PAGES if p.startswith("book/0"))
    with browser.serve_directory(site) as base, sync_playwright() as pw:
        snippets = _snippets(pw, chromium, base, block=("a11y.js",))
        chrome, context = _context(pw, chromium, "laptop", block=("a11y.js",))
        page = context.new_page()
        page.goto(f"{base}/{chapter}", wait_until="load", timeout=60_000)
        found = page.evaluate(_IDS_AND_NAMES_JS)
        chrome.close()
    assert _tex_in(snippets), snippets
    assert any(what.startswith("button.copybtn") for what in found["unnamed"]), found


def test_without_figzoom_the_phone_figure_check_fails(site, chromium):
    """The control: without book/_static/figzoom.js a chapter's figures on a phone show
    their text under 9 px with no way to enlarge them."""
    from playwright.sync_api import sync_playwright

    chapter = next(p for p in PAGES if p.startswith("book/0"))
    with browser.serve_directory(site) as base, sync_playwright() as pw:
        chrome, context = _context(pw, chromium, "phone", block=("figzoom.js",))
        page = context.new_page()
        page.goto(f"{base}/{chapter}", wait_until="load", timeout=60_000)
        figures = _figures(page, site, "phone")
        chrome.close()
    assert figures
    assert any("no visible 'Enlarge figure' button" in p for f in figures for p in f["problems"]), figures


def test_an_explorable_figure_is_enlarged_in_its_current_state(site, chromium):
    """Move an explorable figure's slider by keyboard, then enlarge it: the view shows the
    new state, with its text at least 9 px."""
    from playwright.sync_api import sync_playwright

    chapter = _chapter_with_explorable()
    if chapter is None:
        pytest.skip("no explorable figure in this build")
    with browser.serve_directory(site) as base, sync_playwright() as pw:
        chrome, context = _context(pw, chromium, "phone")
        page = context.new_page()
        page.goto(f"{base}/{chapter}", wait_until="load", timeout=60_000)
        block = page.locator(".explorable.explorable-ready").first
        control = block.locator("input[type=range]").first
        control.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.querySelector('img[data-explorable-state]')", timeout=30_000)
        page.wait_for_function("() => { const i = document.querySelector('img[data-explorable-state]');"
                               " return i.complete && i.naturalWidth > 0; }")
        state = page.evaluate("() => document.querySelector('img[data-explorable-state]').src")
        figures = _figures(page, site, "phone")
        chrome.close()
    moved = [f for f in figures if f["src"] == state]
    assert moved, f"the moved figure {state} was not measured"
    assert not moved[0]["problems"], moved[0]["problems"]
    assert moved[0]["enlarged_px"] >= MIN_FIGURE_TEXT_PX
    assert "/_static/explorable/" in state


def test_printing_shows_no_enlarge_button(site, chromium):
    from playwright.sync_api import sync_playwright

    chapter = next(p for p in PAGES if p.startswith("book/0"))
    with browser.serve_directory(site) as base, sync_playwright() as pw:
        chrome, context = _context(pw, chromium, "phone")
        page = context.new_page()
        page.goto(f"{base}/{chapter}", wait_until="load", timeout=60_000)
        shown = page.locator(".figzoom-button:visible").count()
        page.emulate_media(media="print")
        printed = page.locator(".figzoom-button:visible").count()
        chrome.close()
    assert shown > 0 and printed == 0


def test_figure_text_formula():
    """(pt / 72 x dpi) x shown / natural: a 10 pt font at 100 dpi is 13.9 px at its own size
    and 7.1 px in a 700 px figure shown 358 px wide (issue 19's measurement)."""
    image = next((SITE / "_images").glob("*.png"), None) if (SITE / "_images").is_dir() else None
    if image is None:
        pytest.skip("no built site")
    url = f"http://127.0.0.1/_images/{image.name}"
    assert figure_text_px(SITE, url, 700, 700) == pytest.approx(13.89, abs=0.01)
    assert figure_text_px(SITE, url, 358, 700) == pytest.approx(7.10, abs=0.01)


def test_unique_ids_renames_sphinx_exercise_ids_after_their_solution():
    """book/_ext/a11y.py: sphinx-exercise's repeated section ids become unique, named after
    the solution they belong to; the control is the doctree before the transform."""
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    import a11y

    doc = new_document("test", get_default_settings(Parser))
    for n in (1, 2, 3):
        solution = nodes.container(ids=[f"book/ch-solution-{n}"])
        solution += nodes.section(ids=["solution-content"])
        doc += solution
    doc += nodes.section(ids=["solution-content"])  # no owner with an id
    doc += nodes.paragraph(ids=["lonely"])

    def ids() -> list[str]:
        return [i for node in doc.findall(nodes.Element) for i in node.get("ids", [])]

    assert ids().count("solution-content") == 4  # the control: repeated before
    a11y.unique_ids(None, doc, "test")
    assert len(ids()) == len(set(ids()))
    assert "book/ch-solution-2-solution-content" in ids()
    assert "solution-content-2" in ids() and "lonely" in ids()

