"""Checks on the built HTML site (run by `make test` after the book build).

Without a build these tests are skipped, unless REQUIRE_SITE is set (as `make test` does),
in which case a missing site is a failure. The browser test needs Debian's `chromium`; it is
skipped with a reason when Chromium is missing, except in CI (CI=true), where `.ci/run`
installs it and a missing browser fails the run.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import tempfile
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

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
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


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


# --- in a real browser -------------------------------------------------------------------------


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def browser() -> str:
    path = _chromium()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing in CI: .ci/run should have installed Debian's chromium")
        pytest.skip("Chromium not installed (apt-get install chromium); skipping the browser test")
    return path


@pytest.fixture(scope="module")
def served(site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))

    class Quiet(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):  # a closed connection is not our bug
            pass

    http.server.SimpleHTTPRequestHandler.log_message = lambda *args: None
    server = Quiet(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _dump_dom(browser: str, url: str) -> tuple[str, list[str]]:
    """The page's DOM after scripts ran, and the messages it wrote to the JS console.

    Host names other than 127.0.0.1 resolve to nothing, so a page that tries to load
    anything from another host fails to (and usually logs that to the console).
    """
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--virtual-time-budget=20000",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                "--enable-logging=stderr",
                "--v=0",
                "--dump-dom",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    # Chromium logs every console message at level INFO; keep the ones that report a problem.
    problem = re.compile(r"Uncaught|Error|error|Failed|Refused|ERR_|Warning|deprecated", re.I)
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line and problem.search(line)]
    return result.stdout, console


@pytest.mark.browser
@pytest.mark.parametrize("page", [p.name for p in CHAPTER_PAGES] or ["none"])
def test_chapter_math_is_typeset_in_chromium(browser, served, page):
    if page == "none":
        pytest.fail("no chapter pages were built")
    dom, console = _dump_dom(browser, f"{served}/book/{page}")
    assert not console, f"{page}: messages in the browser console:\n" + "\n".join(console)
    assert "<mjx-container" in dom, f"{page}: MathJax did not typeset (no mjx-container in the DOM)"
    # No display math left untypeset: every math block became an mjx-container.
    untypeset = re.findall(r'<div class="math[^"]*"[^>]*>\s*\\\[', dom)
    assert not untypeset, f"{page}: {len(untypeset)} display-math blocks left as raw TeX"


OTHER_PAGES = ["index.html", "book/intro.html", "book/glossary.html", "book/bibliography.html",
               "book/api.html", "book/instructors.html", "search.html"]


@pytest.mark.browser
@pytest.mark.parametrize("page", OTHER_PAGES)
def test_other_pages_load_without_console_messages(browser, served, page):
    dom, console = _dump_dom(browser, f"{served}/{page}")
    assert not console, f"{page}: messages in the browser console:\n" + "\n".join(console)
    assert "From Spikes to Gradients" in dom
