"""Sphinx extension: serve MathJax from the built site, so the book works offline.

It also drops sphinx-thebe's unused scripts (they name a CDN and raise a console error).

MathJax 3 comes from the ``django-static-mathjax`` wheel (pinned in requirements.txt;
it ships the official MathJax distribution as plain files and needs no Django to be
installed). After the HTML build, the files of its ``es5`` folder that :data:`MATHJAX_FILES`
allows are copied to ``_static/mathjax``, which is where ``mathjax_path:
mathjax/tex-chtml.js`` in ``_config.yml`` points, and anything else there is removed: the
whole distribution is 24 MB, of which the site can use about 4.5 MB (issue 19).
"""

from __future__ import annotations

import shutil
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError


#: What the site may load from MathJax, as patterns relative to the ``es5`` folder. The rule
#: covers what any page's math could need, not only the files today's pages fetch (found by
#: recording Chromium's requests on every page and through the MathJax menu):
MATHJAX_FILES: tuple[str, ...] = (
    # The combined component the pages load (TeX input, CHTML output, menu, assistive MathML).
    "tex-chtml.js",
    # CHTML fonts (350 kB, 23 files): each is fetched when a page first needs it (Main,
    # Math-Italic, Size1-4, AMS today; Calligraphic for a \mathcal, Fraktur... tomorrow).
    "output/chtml/fonts/woff-v2/*.woff",
    # TeX packages that the autoload extension and \require load on demand (\boldsymbol
    # loads boldsymbol.js today; \cancel, \color, mhchem... would load theirs).
    "input/tex/extensions/*.js",
    # What a reader can switch on in MathJax's right-click menu: the SVG renderer, and the
    # accessibility explorer, collapsible math, speech and braille (SRE with its English and
    # Nemeth rules; other speech languages are fetched from a CDN by MathJax 3.2 anyway).
    "output/svg.js",
    "output/svg/fonts/tex.js",
    "input/mml.js",
    "a11y/*.js",
    "sre/mathmaps/base.json",
    "sre/mathmaps/en.json",
    "sre/mathmaps/nemeth.json",
)


def mathjax_allowed(relpath: str) -> bool:
    """Whether ``relpath`` (relative to the MathJax folder, with ``/``) is in :data:`MATHJAX_FILES`."""
    return any(fnmatch(relpath, pattern) for pattern in MATHJAX_FILES)


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


def install_mathjax(target: Path, source: Path | None = None) -> int:
    """Make ``target`` hold exactly the files of ``source`` that :data:`MATHJAX_FILES` allows.

    Files already there with the same size are kept; files the rule does not allow (an
    earlier build's full copy, say) are removed. Returns the number of files installed.
    """
    source = source or _mathjax_source()
    wanted = {}
    for pattern in MATHJAX_FILES:
        matches = [p for p in source.glob(pattern) if p.is_file()]
        if not matches:  # the distribution's layout changed: fail rather than ship broken math
            raise ExtensionError(f"MathJax has no file matching {pattern!r} in {source}")
        wanted.update({p.relative_to(source).as_posix(): p for p in matches})
    for rel, src in wanted.items():
        dest = target / rel
        if not dest.is_file() or dest.stat().st_size != src.stat().st_size:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
    for path in sorted(target.rglob("*"), reverse=True):  # deepest first, so folders empty out
        if path.is_file() and path.relative_to(target).as_posix() not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return len(wanted)


def _copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    install_mathjax(Path(app.outdir) / "_static" / "mathjax")


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
