"""Sphinx extension: serve MathJax from the built site, so the book works offline.

It also drops sphinx-thebe's unused scripts (they name a CDN and raise a console error).

MathJax 3 comes from the ``django-static-mathjax`` wheel (pinned in requirements.txt;
it ships the official MathJax distribution as plain files and needs no Django to be
installed). After the HTML build, its ``es5`` folder is copied to ``_static/mathjax``,
which is where ``mathjax_path: mathjax/tex-chtml.js`` in ``_config.yml`` points.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError


def _mathjax_source() -> Path:
    try:
        root = resources.files("mathjax") / "static" / "mathjax" / "es5"
    except ModuleNotFoundError as exc:  # pragma: no cover - a broken install
        raise ExtensionError(
            "MathJax is not installed: run `make install` (django-static-mathjax is in requirements.txt)"
        ) from exc
    path = Path(str(root))
    if not (path / "tex-chtml.js").is_file():
        raise ExtensionError(f"MathJax files not found in {path}; reinstall django-static-mathjax")
    return path


def _copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "mathjax"
    if not (target / "tex-chtml.js").is_file():
        shutil.copytree(_mathjax_source(), target, dirs_exist_ok=True)


def _check_config(app: Sphinx, config) -> None:
    if "://" in str(config.mathjax_path):
        raise ExtensionError(f"mathjax_path must be local for an offline site, got {config.mathjax_path}")
    _mathjax_source()


def _thebe_enabled(app: Sphinx) -> bool:
    options = app.config.html_theme_options or {}
    return bool((options.get("launch_buttons") or {}).get("thebe"))


def _drop_unused_thebe(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Remove sphinx-thebe's scripts from pages when the Thebe button is off.

    Jupyter Book always loads sphinx-thebe, which adds an inline script naming a CDN
    (unpkg) for Thebe — twice, so every page logged "Identifier 'THEBE_JS_URL' has
    already been declared". With ``launch_buttons.thebe: false`` none of it is used.
    """
    if _thebe_enabled(app):
        return
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [
            js
            for js in scripts
            if "thebe" not in str(js).lower()
            and "THEBE_JS_URL" not in str(getattr(js, "attributes", {}).get("body", ""))
        ]
    styles = context.get("css_files")
    if styles:
        context["css_files"] = [css for css in styles if "thebe" not in str(css).lower()]


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _check_config)
    app.connect("html-page-context", _drop_unused_thebe)
    app.connect("build-finished", _copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
