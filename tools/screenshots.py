"""Write a full-page PNG of every page of the built site (``make screenshots``).

Serves ``_build/html`` on 127.0.0.1 (a free port), opens each page in headless Chromium
(Debian's ``chromium``; no network is needed) and saves ``screenshots/<page>.png`` for
reviewers to look at.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
OUT = ROOT / "screenshots"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--virtual-time-budget=20000",
]


def main() -> int:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("chromium not found: apt-get install chromium", file=sys.stderr)
        return 1
    if not (SITE / "index.html").exists():
        print("no site: run `make book` first", file=sys.stderr)
        return 1
    pages = sorted(p for p in SITE.rglob("*.html") if "_static" not in p.parts and p.name != "index.html")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SITE))
    http.server.SimpleHTTPRequestHandler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    OUT.mkdir(exist_ok=True)
    try:
        for page in pages:
            rel = page.relative_to(SITE)
            height = 1200 + 60 * page.read_text(encoding="utf-8").count("<p>")  # rough page length
            target = OUT / (str(rel.with_suffix("")).replace("/", "__") + ".png")
            with tempfile.TemporaryDirectory() as profile:
                subprocess.run(
                    [browser, *FLAGS, f"--user-data-dir={profile}", f"--window-size=1280,{min(height, 30000)}",
                     f"--screenshot={target}", f"http://127.0.0.1:{server.server_address[1]}/{rel.as_posix()}"],
                    check=True, capture_output=True, timeout=180,
                )
            print(f"{target.relative_to(ROOT)}")
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
