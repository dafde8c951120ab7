"""Lighter pages (issue 19): only the MathJax the site can use, no 1.5 MB icon script.

Checks on the built site (``_build/html``; ``WEIGHT_TEST_SITE`` points them at another
build) that

- the MathJax folder holds only what ``MATHJAX_FILES`` in ``book/_ext/offline_assets.py``
  allows, every file the rule names is there, every page typesets all its math with no
  failed request, and what MathJax's menu loads (SVG renderer, explorer) is served too;
- no page loads the theme's ``fontawesome.js``, nor a Font Awesome webfont it draws no
  glyph from (``book/_ext/icons.py``);
- every icon the pages use is painted by ``_static/icons.css`` (a CSS mask, non-blank), and
  every visible icon button shows its icon at a size above zero;
- the first visit of each chapter stays under :data:`CHAPTER_BUDGET` bytes.

Each fails on the site as built before the change (full MathJax copy, fontawesome.js; 4.4
to 4.6 MB per chapter). The page weights themselves are reported by
``benchmarks/bench_weight.py``, whose :func:`first_visits` these tests reuse.
"""

from __future__ import annotations

import importlib.util
import io
import os
import re
import sys
from fnmatch import fnmatch
from pathlib import Path

import pytest

import browser
from conftest import ROOT

pytestmark = pytest.mark.site

SITE = Path(os.environ.get("WEIGHT_TEST_SITE") or ROOT / "_build" / "html")
MATHJAX = SITE / "_static" / "mathjax"

#: Bytes of a chapter's first visit (1280 x 800, empty cache). Measured 2.8 to 3.0 MB after
#: the change (4.3 to 4.6 MB before); the budget leaves about 15 % for new figures and prose.
CHAPTER_BUDGET = 3_500_000


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


sys.path.insert(0, str(ROOT / "benchmarks"))  # bench_weight imports the benchmarks' _harness
offline_assets = _load("offline_assets", ROOT / "book" / "_ext" / "offline_assets.py")
bench = _load("bench_weight", ROOT / "benchmarks" / "bench_weight.py")


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").exists():
        message = f"no built site at {SITE}: run `make book` first"
        if os.environ.get("REQUIRE_SITE"):
            pytest.fail(message)
        pytest.skip(message)
    return SITE


# --- on disk ------------------------------------------------------------------------------------

def test_mathjax_folder_holds_only_what_the_rule_allows(site):
    files = sorted(p.relative_to(MATHJAX).as_posix() for p in MATHJAX.rglob("*") if p.is_file())
    extra = [f for f in files if not offline_assets.mathjax_allowed(f)]
    assert not extra, f"{len(extra)} MathJax files the rule does not allow, e.g. {extra[:5]}"
    missing = [pattern for pattern in offline_assets.MATHJAX_FILES if not any(fnmatch(f, pattern) for f in files)]
    assert not missing, f"no file for {missing} in {MATHJAX}"


def test_no_page_names_the_fontawesome_script(site):
    naming = [p.relative_to(site).as_posix() for p in browser.site_pages(site, redirects=True)
              if "fontawesome.js" in p.read_text(encoding="utf-8")]
    assert not naming, f"pages that load fontawesome.js: {naming}"
    assert not (site / "_static" / "scripts" / "fontawesome.js").exists()
    assert (site / "_static" / "icons.css").is_file()


# --- in Chromium --------------------------------------------------------------------------------

# After the page settled: its math, MathJax errors, the icons of its visible buttons and the
# Font Awesome font families from which something on the page draws a glyph.
_INSPECT_JS = """
() => {
  const drawsGlyph = (text) => /[\\ue000-\\uf8ff]/.test(text || "");
  const faFamilies = new Set();
  for (const el of document.querySelectorAll("*")) {
    for (const pseudo of [null, "::before", "::after"]) {
      const style = getComputedStyle(el, pseudo);
      if (!/Font Awesome/.test(style.fontFamily) || style.display === "none") continue;
      const text = pseudo ? style.content : [...el.childNodes].filter((n) => n.nodeType === 3)
          .map((n) => n.textContent).join("");
      if (drawsGlyph(text)) faFamilies.add(/Brands/.test(style.fontFamily) ? "brands" : style.fontWeight >= 600 ? "solid" : "regular");
    }
  }
  // Font Awesome icons in visible buttons and links (<i> with our CSS, <svg> from fontawesome.js).
  const icons = [...document.querySelectorAll("button, a, label")].filter((b) => b.getClientRects().length)
    .flatMap((b) => [...b.querySelectorAll('[class*="fa-"]')].filter((i) => i.getClientRects().length)
      .map((i) => {
        const r = i.getBoundingClientRect();
        return {button: (b.getAttribute("aria-label") || b.title || b.className || "").slice(0, 60),
                icon: `<${i.tagName.toLowerCase()} class="${i.getAttribute("class")}">`,
                mask: getComputedStyle(i, "::before").maskImage, width: r.width, height: r.height};
      }));
  return {
    mathBlocks: document.querySelectorAll("div.math, span.math").length,
    typeset: document.querySelectorAll("mjx-container").length,
    mathErrors: [...document.querySelectorAll("mjx-merror")].map((e) => e.textContent).slice(0, 5),
    faFamilies: [...faFamilies],
    icons: icons,
  };
}
"""

_WEBFONTS = {"fa-solid-900": "solid", "fa-regular-400": "regular", "fa-brands-400": "brands"}


@pytest.fixture(scope="module")
def visits(site, chromium) -> dict[str, "bench.Visit"]:
    """A first visit (empty cache) of every page of the site."""
    return bench.first_visits(site, bench.all_pages(site), chromium, inspect_js=_INSPECT_JS)


@pytest.mark.browser
def test_every_page_typesets_its_math_with_no_failed_request(visits):
    problems = []
    for rel, visit in visits.items():
        info = visit.inspected
        problems += [f"{rel}: {failure}" for failure in visit.failed]
        if info["typeset"] < info["mathBlocks"]:
            problems.append(f"{rel}: {info['mathBlocks']} math elements, {info['typeset']} typeset")
        problems += [f"{rel}: MathJax error {error!r}" for error in info["mathErrors"]]
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_no_page_loads_fontawesome_js_or_a_webfont_it_draws_nothing_from(visits):
    problems = []
    for rel, visit in visits.items():
        for path, *_ in visit.responses:
            if "fontawesome.js" in path:
                problems.append(f"{rel} loads {path}")
            for font, family in _WEBFONTS.items():
                if font in path and family not in visit.inspected["faFamilies"]:
                    problems.append(f"{rel} loads {path} but draws no {family} glyph")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_visible_icon_buttons_show_their_icon(visits):
    """Every icon of a visible button or link (menu, search, full screen, download,
    repository, launch, theme, previous/next...) is drawn by icons.css, at a size above zero."""
    problems, seen = [], 0
    for rel, visit in visits.items():
        for icon in visit.inspected["icons"]:
            seen += 1
            where = f"{rel}: {icon['button']!r}: {icon['icon']}"
            if "data:image/svg+xml" not in (icon["mask"] or ""):
                problems.append(f"{where} is not drawn by icons.css (mask-image {icon['mask']!r})")
            if icon["width"] <= 0 or icon["height"] <= 0:
                problems.append(f"{where} is {icon['width']} x {icon['height']} px")
    assert seen, "no icon buttons found: has the theme changed?"
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_first_visit_of_each_chapter_is_under_budget(visits):
    chapters = [rel for rel in visits if Path(rel).name[:2].isdigit()]
    assert chapters, "no chapters were built"
    over = [f"{rel}: {visits[rel].total / 1e6:.2f} MB ({visits[rel].bytes_by_kind()})"
            for rel in chapters if visits[rel].total > CHAPTER_BUDGET]
    assert not over, f"over the {CHAPTER_BUDGET / 1e6} MB budget:\n" + "\n".join(over)


# Draws every icon class list the pages use (hidden ones too: dropdown items, the other theme
# modes) at 32 px in black on white, and reports how each one's ::before is painted.
_PROBE_JS = """
(classLists) => {
  const box = document.createElement("div");
  box.style.cssText = "position:fixed;left:0;top:0;z-index:99999;background:#fff;color:#000;padding:8px;font-size:32px;line-height:1";
  for (const classes of classLists) {
    const i = document.createElement("i");
    i.className = classes.replace(/\\btheme-switch\\b/, "");
    i.style.margin = "8px";
    box.append(i);
  }
  document.body.append(box);
  return [...box.children].map((i) => {
    const r = i.getBoundingClientRect();
    return {classes: i.className, mask: getComputedStyle(i, "::before").maskImage,
            x: r.x, y: r.y, width: r.width, height: r.height};
  });
}
"""


@pytest.mark.browser
def test_every_icon_is_painted_by_icons_css(site, chromium):
    """Every class list with an ``fa-`` icon in the built pages, drawn in isolation: its
    ``::before`` is a CSS mask from icons.css, and it paints dark pixels (not a blank box)."""
    from PIL import Image
    from playwright.sync_api import sync_playwright

    class_lists = set()
    for rel in bench.all_pages(site):
        for classes in re.findall(r'class="([^"]*\bfa-[^"]*)"', (site / rel).read_text(encoding="utf-8")):
            class_lists.add(" ".join(classes.split()))
    assert class_lists, "no icons in the pages: has the theme changed?"
    problems = []
    with browser.serve_directory(site) as base, sync_playwright() as pw:
        chrome = browser.launch(pw, chromium)
        page = chrome.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{base}/{bench.measured_pages(site)[1]}", wait_until="networkidle")
        drawn = page.evaluate(_PROBE_JS, sorted(class_lists))
        page.wait_for_timeout(200)  # let a script that swaps <i> for <svg> (fontawesome.js) run
        shot = Image.open(io.BytesIO(page.screenshot())).convert("L")
        chrome.close()
    for icon in drawn:
        if "data:image/svg+xml" not in (icon["mask"] or ""):
            problems.append(f"{icon['classes']!r}: not painted by icons.css (mask-image {icon['mask']!r})")
            continue
        box = (round(icon["x"]), round(icon["y"]), round(icon["x"] + icon["width"]), round(icon["y"] + icon["height"]))
        dark = sum(shot.crop(box).histogram()[:128]) if icon["width"] > 0 else 0
        if dark < 20:
            problems.append(f"{icon['classes']!r}: blank ({dark} dark pixels in {icon['width']:.0f} x {icon['height']:.0f})")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_what_the_mathjax_menu_loads_is_served(site, chromium):
    """A reader can switch MathJax to SVG or turn on its accessibility explorer (right-click
    menu): the components this loads must be in the site."""
    from playwright.sync_api import sync_playwright

    failed: list[str] = []
    with browser.serve_directory(site) as base, sync_playwright() as pw:
        chrome = browser.launch(pw, chromium)
        for setting, value in (("renderer", "SVG"), ("explorer", True)):
            page = chrome.new_page()
            remote: list[str] = []
            browser.block_remote_requests(page, remote)
            page.on("response", lambda r: r.status >= 400 and failed.append(f"{setting}: HTTP {r.status} {r.url}"))
            page.on("requestfailed", lambda r: failed.append(f"{setting}: {r.url} ({r.failure})"))
            page.goto(f"{base}/{bench.measured_pages(site)[2]}", wait_until="load")
            page.evaluate("async () => { await MathJax.startup.promise; }")
            page.evaluate("([k, v]) => MathJax.startup.document.menu.menu.pool.lookup(k).setValue(v)", [setting, value])
            page.wait_for_timeout(2_000)
            page.wait_for_load_state("networkidle")
            page.close()
        chrome.close()
    assert not failed, "\n".join(failed)
