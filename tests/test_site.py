"""Checks on the built HTML site (run by `make test` after the book build).

Without a build these tests are skipped, unless REQUIRE_SITE is set (as `make test` does),
in which case a missing site is a failure. The browser test needs Debian's `chromium`; it is
skipped with a reason when Chromium is missing, except in CI (CI=true), where `.ci/run`
installs it and a missing browser fails the run.
"""

from __future__ import annotations

import functools
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import browser
from conftest import ROOT

pytestmark = pytest.mark.site

SITE = ROOT / "_build" / "html"
CHAPTER_PAGES = sorted((SITE / "book").glob("[0-9][0-9]_*.html")) if SITE.exists() else []


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").exists():
        message = f"no built site at {SITE}: run `make book` first"
        if os.environ.get("REQUIRE_SITE"):
            pytest.fail(message)
        pytest.skip(message)
    return SITE


class _Collector(HTMLParser):
    """Collects resource URLs, link targets and element ids of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.resources: list[tuple[str, str]] = []
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "script" and a.get("src"):
            self.resources.append((tag, a["src"]))
        elif tag == "link" and a.get("href") and a.get("rel", "") not in ("canonical",):
            rels = a.get("rel", "").split()
            if any(r in rels for r in ("stylesheet", "preload", "icon", "modulepreload", "prefetch")):
                self.resources.append((tag, a["href"]))
        elif tag in ("img", "iframe", "source", "video", "audio") and a.get("src"):
            self.resources.append((tag, a["src"]))
            if tag == "img":
                self.images.append(a["src"])
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])


@functools.lru_cache(maxsize=None)
def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def _pages(site: Path) -> list[Path]:
    return browser.site_pages(site, redirects=True)


def _is_external(url: str) -> bool:
    return bool(urlsplit(url).scheme in ("http", "https") or url.startswith("//"))


def test_every_page_loads_only_local_scripts_styles_and_images(site):
    offenders = [
        f"{page.relative_to(site)}: <{tag}> {url}"
        for page in _pages(site)
        for tag, url in _parse(page).resources
        if _is_external(url)
    ]
    assert not offenders, "external resources in built pages:\n" + "\n".join(offenders)


def test_no_page_names_a_cdn(site):
    """Inline scripts may build URLs at run time: no page may even name a CDN."""
    cdns = ("unpkg.com", "cdn.jsdelivr.net", "cdnjs.cloudflare.com", "googleapis.com", "mathjax.org")
    offenders = [
        f"{page.relative_to(site)}: {cdn}"
        for page in _pages(site)
        for cdn in cdns
        if cdn in page.read_text(encoding="utf-8")
    ]
    assert not offenders, "\n".join(offenders)


def test_stylesheets_import_no_external_fonts(site):
    offenders = []
    for css in site.rglob("*.css"):
        for url in re.findall(r"(?:url\(|@import\s+)['\"]?(https?://[^'\")\s]+)", css.read_text(errors="ignore")):
            offenders.append(f"{css.relative_to(site)}: {url}")
    assert not offenders, "\n".join(offenders)


def test_every_page_names_a_favicon_the_site_serves(site):
    """Without a <link rel="icon">, every browser asks for /favicon.ico, which the site does
    not have: a failed request on every first visit."""
    problems = []
    for page in _pages(site):
        if 'http-equiv="Refresh"' in page.read_text(encoding="utf-8")[:500]:
            continue
        icons = re.findall(r'<link[^>]*rel="(?:shortcut )?icon"[^>]*href="([^"]+)"', page.read_text(encoding="utf-8"))
        if not icons:
            problems.append(f"{page.relative_to(site)}: no <link rel=\"icon\">")
        problems += [f"{page.relative_to(site)}: icon {href} is not in the site"
                     for href in icons if _is_external(href) or not (page.parent / href).resolve().is_file()]
    assert not problems, "\n".join(problems)


def test_mathjax_is_served_by_the_site(site):
    assert (site / "_static" / "mathjax" / "tex-chtml.js").is_file()
    chapter = CHAPTER_PAGES[0]
    scripts = [url for tag, url in _parse(chapter).resources if tag == "script"]
    assert any(urlsplit(url).path.endswith("_static/mathjax/tex-chtml.js") for url in scripts), scripts


def test_internal_links_and_anchors_resolve(site):
    broken = []
    for page in _pages(site):
        for href in _parse(page).links:
            if _is_external(href) or href.startswith(("mailto:", "javascript:")):
                continue
            parts = urlsplit(href)
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {href}")
            elif parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in _parse(target).ids:
                    broken.append(f"{page.relative_to(site)} -> {href} (no such anchor)")
    assert not broken, "broken internal links:\n" + "\n".join(broken)


def test_every_image_file_exists_and_has_alt_text(site):
    problems = []
    for page in CHAPTER_PAGES:
        text = page.read_text(encoding="utf-8")
        for src in _parse(page).images:
            if not _is_external(src) and not (page.parent / unquote(src)).resolve().exists():
                problems.append(f"{page.name}: missing image {src}")
        for tag in re.findall(r"<img [^>]*>", text):
            if 'alt=""' in tag or "alt=" not in tag:
                problems.append(f"{page.name}: image without alt text: {tag[:120]}")
    assert not problems, "\n".join(problems)


def test_chapters_have_math_figures_and_citations(site):
    assert CHAPTER_PAGES, "no chapter pages were built"
    for page in CHAPTER_PAGES:
        text = page.read_text(encoding="utf-8")
        assert 'class="math' in text, f"{page.name}: no math"
        assert "<figure" in text, f"{page.name}: no figure"
        assert "bibliography.html#id" in text or "bibliography.html#" in text, f"{page.name}: no citation"
        assert 'class="reference internal" href="glossary.html#term-' in text, f"{page.name}: no glossary link"


# --- in a real browser (Playwright driving Debian's chromium) ------------------------------------

# Runs in the page after it loaded: waits for MathJax and for every image (lazy ones made eager),
# then reports what a reader would see.
_INSPECT_JS = """
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  const images = await Promise.all([...document.images].map(async (img) => {
    img.loading = "eager";
    try { await img.decode(); } catch (e) { /* reported through naturalWidth below */ }
    return {src: img.currentSrc || img.src, width: img.naturalWidth, alt: img.alt};
  }));
  // Text a reader sees, without code, scripts and typeset math.
  const body = document.body.cloneNode(true);
  body.querySelectorAll("script, style, pre, code, mjx-container, .highlight, textarea")
      .forEach((node) => node.remove());
  return {
    images: images,
    text: body.textContent,
    mathBlocks: document.querySelectorAll("div.math, span.math").length,
    searchButtons: [...document.querySelectorAll(".search-button-field")]
        .filter((node) => node.getClientRects().length > 0).length,
    typeset: document.querySelectorAll("mjx-container").length,
    links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
    ids: [...document.querySelectorAll("[id]")].map((node) => node.id),
  };
}
"""

# TeX delimiters and commands that must not survive typesetting.
_RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\\frac|\\mathrm")


@pytest.fixture(scope="module")
def site_in_browser(site, chromium) -> dict[str, dict]:
    """Every page of the site, opened in headless Chromium with the network cut off.

    Returns ``{"pages": {path: report}, "targets": {path: HTTP status}}``. A page's report
    is the inspection above plus its console errors and warnings, uncaught exceptions,
    failed requests, and the requests that tried to leave the machine (those are aborted).
    ``targets`` are the same-site link targets that are not pages (sources, downloads).
    """
    from playwright.sync_api import sync_playwright

    pages: dict[str, dict] = {}
    targets: dict[str, int] = {}
    with browser.serve_directory(site) as base, sync_playwright() as pw:
        chrome = browser.launch(pw, chromium)
        context = chrome.new_context(viewport={"width": 1280, "height": 900})
        for path in _pages(site):
            rel = path.relative_to(site).as_posix()
            remote: list[str] = []
            problems: list[str] = []
            page = context.new_page()
            browser.block_remote_requests(page, remote)
            page.on("console", lambda m, p=problems: m.type in ("error", "warning") and p.append(
                f"console {m.type}: {m.text}"))
            page.on("pageerror", lambda e, p=problems: p.append(f"uncaught: {e}"))
            page.on("requestfailed", lambda r, p=problems, rem=remote: r.url in rem or p.append(
                f"request failed: {r.url} ({r.failure})"))
            page.on("response", lambda r, p=problems: r.status >= 400 and p.append(
                f"HTTP {r.status}: {r.url}"))
            page.goto(f"{base}/{rel}", wait_until="load", timeout=60_000)
            page.wait_for_load_state("networkidle", timeout=30_000)
            info = page.evaluate(_INSPECT_JS)
            info["links"] = [link[len(base) + 1:] if link.startswith(base + "/") else link
                             for link in info["links"]]
            info.update(remote=remote, problems=problems)
            pages[rel] = info
            page.close()
        for info in pages.values():
            for link in info["links"]:
                target = link.split("#")[0]
                if target and "://" not in target and target not in pages and target not in targets:
                    targets[target] = context.request.get(f"{base}/{target}").status
        context.close()
        chrome.close()
    return {"pages": pages, "targets": targets}


SITE_PAGES = [p.relative_to(SITE).as_posix() for p in _pages(SITE)] if SITE.exists() else []


@pytest.mark.browser
@pytest.mark.parametrize("page", SITE_PAGES or ["none"])
def test_page_in_chromium(site_in_browser, page):
    """No console errors, no request leaves the machine, math typeset, every image loads."""
    if page == "none":
        pytest.fail("no pages were built")
    info = site_in_browser["pages"][page]
    problems = [f"request that would leave the machine: {url}" for url in info["remote"]]
    problems += info["problems"]
    problems += [f"image did not load (naturalWidth 0): {img['src'][:120]}"
                 for img in info["images"] if img["width"] == 0]
    if info["typeset"] < info["mathBlocks"]:
        problems.append(f"{info['mathBlocks']} math elements but {info['typeset']} typeset by MathJax")
    problems += [f"raw TeX in the rendered text: {tex}" for tex in sorted(set(_RAW_TEX.findall(info["text"])))]
    if info["searchButtons"] > 1:  # the theme's extra top bar is back (see _config.yml)
        problems.append(f"{info['searchButtons']} visible search buttons (expected one, in the sidebar)")
    assert not problems, f"{page}:\n" + "\n".join(problems)


@pytest.mark.browser
def test_chapters_show_typeset_math_and_figures_in_chromium(site_in_browser):
    assert CHAPTER_PAGES, "no chapter pages were built"
    for page in (p.relative_to(SITE).as_posix() for p in CHAPTER_PAGES):
        info = site_in_browser["pages"][page]
        assert info["typeset"] > 0, f"{page}: MathJax typeset nothing"
        assert len(info["images"]) > 0, f"{page}: no images"


@pytest.mark.browser
def test_internal_links_resolve_in_chromium(site_in_browser):
    """Every same-site link points at a page that loaded, or a file served with 200, and at
    an element that exists in the rendered page (ids added by scripts count)."""
    pages, targets = site_in_browser["pages"], site_in_browser["targets"]
    broken = []
    for rel, info in pages.items():
        for link in info["links"]:
            if link.startswith(("http://", "https://", "mailto:", "javascript:")):
                continue
            path, _, fragment = link.partition("#")
            path = path or rel
            if path.endswith("/"):
                path += "index.html"
            if path in pages:
                if fragment and unquote(fragment) not in pages[path]["ids"]:
                    broken.append(f"{rel} -> {link} (no element with that id)")
            elif targets.get(path) != 200:
                broken.append(f"{rel} -> {link} (HTTP {targets.get(path)})")
    assert not broken, "broken links in the rendered site:\n" + "\n".join(broken)


@pytest.mark.browser
def test_sidebar_toggle_hides_and_shows_the_table_of_contents(site, chromium):
    """The article header's menu button collapses the left sidebar and brings it back."""
    from playwright.sync_api import sync_playwright

    page_path = CHAPTER_PAGES[0].relative_to(site).as_posix()
    with browser.serve_directory(site) as base, sync_playwright() as pw:
        chrome = browser.launch(pw, chromium)
        page = chrome.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/{page_path}", wait_until="networkidle")
        sidebar = page.locator("#pst-primary-sidebar")
        toggle = page.locator(".bd-header-article button.primary-toggle")
        assert sidebar.is_visible()
        toggle.click()
        page.wait_for_function("() => getComputedStyle(document.querySelector('#pst-primary-sidebar'))"
                               ".visibility === 'hidden'", timeout=5_000)
        toggle.click()
        page.wait_for_function("() => getComputedStyle(document.querySelector('#pst-primary-sidebar'))"
                               ".visibility === 'visible'", timeout=5_000)
        chrome.close()
