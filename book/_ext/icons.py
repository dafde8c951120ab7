"""Sphinx extension: the theme's icons without the 1.5 MB Font Awesome script (issue 19).

pydata-sphinx-theme loads ``_static/scripts/fontawesome.js`` on every page (1.5 MB, every
Font Awesome Free icon, to swap each ``<i class="fa-solid fa-bars">`` for an inline SVG);
its stylesheet also names Font Awesome's webfonts (270 kB more on a first visit). The
book shows about twenty icons. After the HTML build this extension

1. collects the icon classes the site uses: every ``class="..."`` of the built pages and
   every string of the site's scripts (``_static/*.js``, ``_static/scripts/*.js``) that
   names ``fa-<icon>``, with its family (``fa-solid``/``fas``, ``fa-regular``/``far``,
   ``fa-brands``/``fab``; solid when none is named, as Font Awesome does);
2. writes ``_static/icons.css`` (linked from every page): each of those icons as a CSS
   mask of its SVG path, painted in the text colour, so it follows the light and dark
   themes. The paths come from the theme's own copy of ``fontawesome.js``, so the icons
   are exactly the theme's. A ``::before`` with an empty ``content`` needs no glyph, so the
   webfonts are not downloaded either (they stay in the site as the theme's fallback);
3. removes the ``<script ... fontawesome.js>`` tag from every page and deletes the script
   and its source map from ``_static/scripts``;
4. gives the theme's Font Awesome ``@font-face`` rules a ``unicode-range`` (the private-use
   area, where every Font Awesome icon glyph is). Chromium fetched both webfonts (270 kB) on
   every page only for the line metrics of the empty ``<i>`` elements; with the range it
   fetches a webfont only when a glyph is drawn (the theme's admonition-title icons, on
   pages with admonitions).

Font Awesome Free is licensed CC BY 4.0 (icons), SIL OFL 1.1 (fonts) and MIT (code); its
notice heads ``icons.css``. ``tests/test_weight.py`` checks that no page loads the script
or the webfonts and that every icon is painted.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

STYLESHEET = "icons.css"
SCRIPT = Path("_static") / "scripts" / "fontawesome.js"

#: Class names that select a Font Awesome family, and the family they select.
FAMILIES = {"fa-solid": "solid", "fas": "solid", "fa": "solid",
            "fa-regular": "regular", "far": "regular",
            "fa-brands": "brands", "fab": "brands"}
_FAMILY_OF_PACK = {"fas": "solid", "far": "regular", "fab": "brands"}

# One icon of a pack in fontawesome.js: name:[width,height,[aliases],"unicode","svg path"].
_ICON = re.compile(r'(?:"([a-z0-9-]+)"|([a-z0-9]+)):\[(\d+),(\d+),\[([^\]]*)\],"[0-9a-f]+","([^"]+)"\]')
# The end of a pack's object literal and the call that registers it: ..."]};...d("fas",p)
_PACK = re.compile(r'var p=\{(.*?)"\]\};.{0,400}?d\("(fa[brs])",p\)', re.S)
_CLASS_ATTR = re.compile(r'class="([^"]*\bfa-[^"]*)"')
_JS_STRING = re.compile(r'["\'`]([^"\'`\n]{0,200}?\bfa-[a-z0-9-]+[^"\'`\n]{0,200}?)["\'`]')
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*font-family:\s*[\"']?Font Awesome[^}]*\}")
# Font Awesome's icon glyphs are in the Private Use Area (the few letter and digit icons at
# ASCII code points would be drawn in the text font instead).
UNICODE_RANGE = "unicode-range:U+E000-F8FF"
_SCRIPT_TAG = re.compile(r'\s*(?:<!-- So that users can add custom icons -->\s*)?'
                         r'<script\b[^>]*\bsrc="[^"]*_static/scripts/fontawesome\.js(?:\?[^"]*)?"[^>]*></script>')

# Used when the theme ships no fontawesome.js.LICENSE.txt (the notice is copied from it).
_FALLBACK_NOTICE = """/*!
 * Font Awesome Free by @fontawesome - https://fontawesome.com
 * License - https://fontawesome.com/license/free (Icons: CC BY 4.0, Fonts: SIL OFL 1.1, Code: MIT License)
 */
"""
_HEADER = """/* The icons of the pages ({count}), as CSS masks of Font Awesome's SVG paths, painted in the
   text colour. Written by book/_ext/icons.py in place of the theme's fontawesome.js. */
"""


def theme_script() -> Path:
    """The theme's ``fontawesome.js`` (in the installed pydata-sphinx-theme package)."""
    import pydata_sphinx_theme

    path = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / SCRIPT.relative_to("_static")
    if not path.is_file():
        raise ExtensionError(f"pydata-sphinx-theme's fontawesome.js not found at {path}")
    return path


def parse_icons(script: str) -> dict[str, dict[str, tuple[int, int, str]]]:
    """``{family: {name or alias: (width, height, svg path)}}`` from ``fontawesome.js``."""
    families: dict[str, dict[str, tuple[int, int, str]]] = {}
    for body, pack in _PACK.findall(script):
        icons = families.setdefault(_FAMILY_OF_PACK[pack], {})
        for quoted, bare, width, height, aliases, path in _ICON.findall(body + '"]'):
            icon = (int(width), int(height), path)
            icons[quoted or bare] = icon
            for alias in re.findall(r'"([a-z0-9-]+)"', aliases):
                icons.setdefault(alias, icon)
    if set(families) != {"solid", "regular", "brands"} or len(families["solid"]) < 1000:
        raise ExtensionError("could not read the icons from fontawesome.js (has the theme changed?)")
    return families


def used_icons(outdir: Path, known: dict[str, dict]) -> set[tuple[str, str]]:
    """``{(family, icon name)}`` named by the built pages' classes and the site's scripts."""
    class_lists: list[str] = []
    for page in outdir.rglob("*.html"):
        if "_static" not in page.parts and "_sources" not in page.parts:
            class_lists += _CLASS_ATTR.findall(page.read_text(encoding="utf-8"))
    for script in [*outdir.glob("_static/*.js"), *outdir.glob("_static/scripts/*.js")]:
        if script.name != SCRIPT.name:
            class_lists += _JS_STRING.findall(script.read_text(encoding="utf-8", errors="ignore"))
    used = set()
    for classes in class_lists:
        tokens = classes.split()
        family = next((FAMILIES[t] for t in tokens if t in FAMILIES), "solid")
        for token in tokens:
            name = token[3:]
            if token.startswith("fa-") and token not in FAMILIES and name in known[family]:
                used.add((family, name))
    return used


def licence_notice() -> str:
    """Font Awesome's notice, as the theme ships it next to ``fontawesome.js``."""
    path = theme_script().with_name(SCRIPT.name + ".LICENSE.txt")
    return path.read_text(encoding="utf-8").strip() + "\n" if path.is_file() else _FALLBACK_NOTICE


def stylesheet(used: set[tuple[str, str]], icons: dict[str, dict[str, tuple[int, int, str]]], notice: str) -> str:
    """``icons.css`` for the ``used`` icons, headed by Font Awesome's licence ``notice``."""
    selectors = {
        (family, name): ", ".join(f".{cls}.fa-{name}::before" for cls, fam in FAMILIES.items() if fam == family)
        for family, name in sorted(used)
    }
    css = [notice, _HEADER.format(count=len(used))]
    css.append(",\n".join(selectors.values()) + " {\n"
               "  content: \"\";\n  display: inline-block;\n  height: 1em;\n  vertical-align: -0.125em;\n"
               "  background-color: currentColor;\n"
               "  -webkit-mask: var(--fa-icon) center / contain no-repeat;\n"
               "  mask: var(--fa-icon) center / contain no-repeat;\n}\n")
    for (family, name), selector in selectors.items():
        width, height, path = icons[family][name]
        svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'><path d='{path}'/></svg>"
        data = quote(svg, safe=" /=:,.-'")
        css.append(f'{selector} {{ width: {width / height:.4g}em; --fa-icon: url("data:image/svg+xml,{data}"); }}\n')
    return "".join(css)


def limit_webfonts(outdir: Path) -> int:
    """Add :data:`UNICODE_RANGE` to every Font Awesome ``@font-face`` of the site's
    stylesheets that has no range; returns the number of rules changed."""
    changed = 0
    for css in (outdir / "_static").rglob("*.css"):
        text = css.read_text(encoding="utf-8")

        def limit(match: re.Match) -> str:
            nonlocal changed
            if "unicode-range" in match.group(0):
                return match.group(0)
            changed += 1
            return match.group(0)[:-1].rstrip().rstrip(";") + ";" + UNICODE_RANGE + "}"

        limited = _FONT_FACE.sub(limit, text)
        if limited != text:
            css.write_text(limited, encoding="utf-8")
    return changed


def replace_fontawesome(outdir: Path) -> int:
    """Write ``icons.css`` into the built site ``outdir``, take the script out of its pages,
    delete it and limit the webfonts to icon glyphs; returns the number of icons written.

    Safe to run again on the same site (an incremental build re-copies the theme's files).
    """
    script = theme_script().read_text(encoding="utf-8")
    icons = parse_icons(script)
    used = used_icons(outdir, icons)
    (outdir / "_static" / STYLESHEET).write_text(
        stylesheet(used, icons, licence_notice()), encoding="utf-8")
    for page in outdir.rglob("*.html"):
        if "_static" in page.parts or "_sources" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        stripped = _SCRIPT_TAG.sub("", text)
        if stripped != text:
            page.write_text(stripped, encoding="utf-8")
    for name in (SCRIPT.name, SCRIPT.name + ".map"):
        (outdir / SCRIPT.parent / name).unlink(missing_ok=True)
    limit_webfonts(outdir)
    return len(used)


def _replace_fontawesome(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    count = replace_fontawesome(Path(app.outdir))
    logger.info(f"icons: {count} icons in _static/{STYLESHEET}; fontawesome.js removed")


def setup(app: Sphinx) -> dict:
    app.add_css_file(STYLESHEET)
    app.connect("build-finished", _replace_fontawesome)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
