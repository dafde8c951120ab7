"""Headless Chromium for the site and JupyterLab tests and for ``make screenshots``.

Playwright drives Debian's ``chromium`` (``/usr/bin/chromium``): Playwright's own browser
download is not used, so nothing but PyPI and Debian packages is needed. The flags are those
that keep Chromium quiet on a machine without network: no background requests, no component
updates, no sync, and, for root, no sandbox.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})


def chromium_executable() -> str | None:
    """Path of the system's Chromium, or ``None`` when it is not installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def launch(playwright: Any, executable: str) -> Any:
    """Start headless Chromium at ``executable`` with :data:`CHROMIUM_ARGS`."""
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)


def site_pages(site: Path, redirects: bool = False) -> list[Path]:
    """The HTML pages of a built site (not ``_static`` or ``_sources``), sorted.

    ``redirects=False`` leaves out pages that only forward to another (the root
    ``index.html`` forwards to the intro with a meta refresh).
    """
    pages = sorted(p for p in site.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)
    if redirects:
        return pages
    return [p for p in pages if 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")[:500]]


def is_local(url: str) -> bool:
    """True for URLs that stay on this machine (loopback, ``data:``, ``blob:``, ``about:``)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "file"):
        return True
    return parts.hostname in LOCAL_HOSTS


def block_remote_requests(target: Any, log: list[str]) -> None:
    """Abort every request of ``target`` (a page or a context) that would leave the machine,
    and append its URL to ``log``."""

    def handle(route: Any) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            log.append(url)
            route.abort("blockedbyclient")

    target.route("**/*", handle)


@contextlib.contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a connection the browser closed early is not a site error
