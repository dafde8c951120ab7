"""Write a full-page PNG of every page of the built site (``make screenshots``).

Serves ``_build/html`` on 127.0.0.1 (a free port), opens each page in headless Chromium
(Debian's ``chromium``, driven by Playwright; requests to other hosts are blocked), waits
for MathJax and the images, and saves ``screenshots/<page>.png`` for reviewers to look at.
"""

from __future__ import annotations

import sys
from pathlib import Path

from browser import block_remote_requests, chromium_executable, launch, serve_directory, site_pages

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
OUT = ROOT / "screenshots"

_SETTLE_JS = """
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  await Promise.all([...document.images].map((img) => {
    img.loading = "eager";
    return img.decode().catch(() => null);
  }));
}
"""


def main() -> int:
    from playwright.sync_api import sync_playwright

    executable = chromium_executable()
    if executable is None:
        print("chromium not found: apt-get install chromium", file=sys.stderr)
        return 1
    if not (SITE / "index.html").exists():
        print("no site: run `make book` first", file=sys.stderr)
        return 1
    pages = site_pages(SITE)  # without the root index.html, which only forwards to the intro
    OUT.mkdir(exist_ok=True)
    blocked: list[str] = []
    with serve_directory(SITE) as base, sync_playwright() as pw:
        chrome = launch(pw, executable)
        context = chrome.new_context(viewport={"width": 1280, "height": 900})
        block_remote_requests(context, blocked)
        for page_path in pages:
            rel = page_path.relative_to(SITE)
            target = OUT / (str(rel.with_suffix("")).replace("/", "__") + ".png")
            page = context.new_page()
            page.goto(f"{base}/{rel.as_posix()}", wait_until="networkidle", timeout=60_000)
            page.evaluate(_SETTLE_JS)
            page.screenshot(path=str(target), full_page=True)
            page.close()
            print(target.relative_to(ROOT))
        chrome.close()
    for url in blocked:
        print(f"blocked a request to another host: {url}", file=sys.stderr)
    return 1 if blocked else 0


if __name__ == "__main__":
    raise SystemExit(main())
