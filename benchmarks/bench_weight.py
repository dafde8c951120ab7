"""Page weight (issue 19): what a reader's browser downloads on a first visit, and the site's size.

For the home page (``index.html`` forwards to ``book/intro.html``, which is measured) and
every chapter, headless Chromium opens the page with an empty cache at 1280 x 800, waits
for MathJax to typeset and the network to go quiet, and adds up the bytes of every
response by kind: HTML, JS, CSS, fonts, images and other (JSON, the search index...).
Bytes are the response bodies as served by a plain local server (no compression; a host
that gzips sends less). Images below the fold that load lazily are not counted: they are
not part of a first view. Two more rows give the size on disk of the whole built site and
of its ``_static/mathjax``.

Rows follow ``_harness.Row``: the time is the page's load time (wall clock, for
information); the weights are in the note. ``python benchmarks/bench_weight.py [SITE]``
measures another build (default ``_build/html``, or ``$WEIGHT_SITE``).
``tests/test_weight.py`` reuses :func:`first_visits`.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _harness import Row

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import browser  # noqa: E402  (tools/ is put on the path just above)

KINDS = ("html", "js", "css", "fonts", "images", "other")
_KIND_OF = {"document": "html", "script": "js", "stylesheet": "css", "font": "fonts", "image": "images"}
VIEWPORT = {"width": 1280, "height": 800}

# After "load": wait for MathJax to have typeset the page (it loads fonts and, for some
# TeX commands, extensions while it does), so that what it fetches is counted too. Returns
# MathJax's error, if it failed (a component that could not be loaded, say).
_SETTLE_JS = """
async () => {
  try {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      await MathJax.startup.promise;
    }
  } catch (error) {
    return String(error);
  }
  return null;
}
"""


@dataclass
class Visit:
    """One first visit: every response (path, kind, bytes, HTTP status) and what failed."""

    responses: list[tuple[str, str, int, int]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    inspected: Any = None

    def bytes_by_kind(self) -> dict[str, int]:
        totals = dict.fromkeys(KINDS, 0)
        for _, kind, size, _ in self.responses:
            totals[kind] += size
        return totals

    @property
    def total(self) -> int:
        return sum(size for _, _, size, _ in self.responses)


def site_dir() -> Path:
    """The build to measure: argv[1], else ``$WEIGHT_SITE``, else ``_build/html``."""
    if len(sys.argv) > 1 and __name__ == "__main__":
        return Path(sys.argv[1])
    return Path(os.environ.get("WEIGHT_SITE") or ROOT / "_build" / "html")


def measured_pages(site: Path) -> list[str]:
    """The home page and the chapters, as paths relative to ``site``."""
    chapters = sorted(p.relative_to(site).as_posix() for p in (site / "book").glob("[0-9][0-9]_*.html"))
    return ["book/intro.html", *chapters]


def all_pages(site: Path) -> list[str]:
    """Every HTML page of ``site`` except redirects (``index.html`` only forwards to the intro)."""
    return [p.relative_to(site).as_posix() for p in browser.site_pages(site)]


def first_visits(site: Path, pages: list[str], chromium: str, inspect_js: str | None = None) -> dict[str, Visit]:
    """Open each page of ``site`` in a fresh browser context (empty cache), with requests
    to other hosts blocked, and record every response.

    ``inspect_js``, if given, is evaluated in the page once it has settled; its result is
    kept in :attr:`Visit.inspected`.
    """
    from playwright.sync_api import sync_playwright

    visits: dict[str, Visit] = {}
    with browser.serve_directory(site) as base, sync_playwright() as pw:
        chrome = browser.launch(pw, chromium)
        for rel in pages:
            visit = Visit()
            context = chrome.new_context(viewport=VIEWPORT)
            remote: list[str] = []
            browser.block_remote_requests(context, remote)
            page = context.new_page()
            finished: list[Any] = []
            page.on("requestfinished", lambda r: finished.append(r))
            page.on("requestfailed", lambda r, v=visit: v.failed.append(f"{r.url} ({r.failure})"))
            start = time.perf_counter()
            page.goto(f"{base}/{rel}", wait_until="load", timeout=60_000)
            mathjax_error = page.evaluate(_SETTLE_JS)
            if mathjax_error:
                visit.failed.append(f"MathJax: {mathjax_error}")
            page.wait_for_load_state("networkidle", timeout=30_000)
            visit.seconds = time.perf_counter() - start
            if inspect_js:
                visit.inspected = page.evaluate(inspect_js)
            for request in finished:
                response = request.response()
                if response is None or request.url.startswith("data:"):
                    continue
                path = request.url[len(base) + 1:] if request.url.startswith(base + "/") else request.url
                kind = _KIND_OF.get(request.resource_type, "other")
                visit.responses.append((path, kind, request.sizes()["responseBodySize"], response.status))
                if response.status >= 400:
                    visit.failed.append(f"{path} (HTTP {response.status})")
            visit.failed += [f"{url} (request to another host)" for url in remote]
            visits[rel] = visit
            context.close()
        chrome.close()
    return visits


def directory_bytes(path: Path) -> int:
    """Total size of the files under ``path`` (0 if it does not exist)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def _mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB"


def run() -> list[Row]:
    site = site_dir()
    chromium = browser.chromium_executable()
    if not (site / "index.html").exists() or chromium is None:
        print(f"# bench_weight: skipped (needs a built site at {site} and Chromium)")
        return []
    rows = []
    for rel, visit in first_visits(site, measured_pages(site), chromium).items():
        kinds = visit.bytes_by_kind()
        detail = ", ".join(f"{kind} {kinds[kind] / 1e3:.0f} kB" for kind in KINDS)
        failed = f"; {len(visit.failed)} FAILED" if visit.failed else ""
        rows.append(Row(f"first visit {Path(rel).stem}", [visit.seconds],
                        note=f"{_mb(visit.total)} in {len(visit.responses)} responses: {detail}{failed}"))
    start = time.perf_counter()
    total, mathjax = directory_bytes(site), directory_bytes(site / "_static" / "mathjax")
    rows.append(Row("site on disk", [time.perf_counter() - start],
                    note=f"{site}: {_mb(total)}, of which _static/mathjax {_mb(mathjax)}"))
    return rows


if __name__ == "__main__":
    for row in run():
        print(row.line(), flush=True)
