"""Every page of the built site on a phone (390 x 844) and a laptop (1280 x 800), in Chromium.

Issue 19: on a phone nothing may be cut off, and nothing may scroll without showing it. For
every page and both screens the test checks, in headless Chromium (Debian's ``chromium``
driven by Playwright, requests to other hosts blocked):

- the page does not scroll sideways;
- no visible element runs past the edge of the screen, unless it is inside a scroll
  container (``overflow-x: auto`` or ``scroll``) that is itself on the screen; nothing is
  cut off by a container that hides its overflow (``hidden``, ``clip``) — a formula, a
  signature, a table;
- every display equation fits, or scrolls in such a container; a numbered equation keeps
  its number on the screen, beside the equation; no equation is clipped vertically;
- every container that scrolls sideways shows it. Measured in pixels on the first container
  of each kind on each page (display equation, code cell, table...): with the text made
  transparent (backgrounds, borders and shadows kept), the edge where content is hidden is
  darker than the container's middle, and that shadow moves to the other edge when the
  container is scrolled to its end (which also shows that the hidden part can be reached).
  Every other container of that kind must draw its cue the same way (same computed
  background images, animation and attachment). A screenshot per container would take
  minutes; this keeps the whole test near a minute.
- figures: the smallest text of every figure shown, (pt / 72 x dpi) x shown width / natural
  width (dpi from the PNG, pt the book's smallest figure font), is at least 9 CSS px; on the
  phone a figure may instead offer an "Enlarge figure N" button (``book/_static/figzoom.js``),
  which is opened with the keyboard and whose view must show the text that large, the figure
  as it is now, in a modal dialog that Escape closes, giving the focus back;
- no id twice on a page and every button named, after the page's scripts ran
  (``book/_ext/a11y.py``, ``book/_static/a11y.js``; axe-core 4 no longer checks ids).

``tests/test_a11y.py`` has the controls for these and the search snippets.

The cue comes from ``book/_static/phone.css``; a control test switches that stylesheet off
and checks that the phone checks then fail. The phone is emulated as one (``is_mobile``,
touch, overlay scroll bars), so a scroll bar is no cue.

Runs on the site that ``make book`` built (``_build/html``; ``PHONE_TEST_SITE`` points it
at another build, such as a reduced one). Marked ``site``: ``make test-site`` runs it after
the build; without a build it is skipped, unless REQUIRE_SITE is set.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

import browser
from conftest import ROOT

pytestmark = [pytest.mark.site, pytest.mark.browser]

SITE = Path(os.environ.get("PHONE_TEST_SITE") or ROOT / "_build" / "html")

SCREENS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "laptop": {"viewport": {"width": 1280, "height": 800}},
}

# How much darker (0-255 grey levels) the edge of a scrolling container must be than its
# middle for the cue to count as visible; the phone.css shadow gives about 40-90.
CUE_MIN_DARKENING = 12
CUE_STRIP_PX = 6


PAGES = [p.relative_to(SITE).as_posix() for p in browser.site_pages(SITE)] if (SITE / "index.html").exists() else []


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").exists():
        message = f"no built site at {SITE}: run `make book` first"
        if os.environ.get("REQUIRE_SITE"):
            pytest.fail(message)
        pytest.skip(message)
    return SITE


# Runs in the page once it has loaded: waits for MathJax, then returns what does not fit and
# every container that scrolls sideways (marked with data-phone-scroller for the cue check).
_MEASURE_JS = """
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  await document.fonts.ready;
  const root = document.documentElement;
  const vw = root.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (typeof el.className === "string" && el.className.trim()
        ? "." + el.className.trim().split(/\\s+/).slice(0, 3).join(".") : "");
  const where = (el) => { const h = el.parentElement && el.parentElement.closest("[id]");
                          return h ? ` in #${h.id}` : ""; };
  const text = (el) => (el.querySelector("mjx-assistive-mml") || el).textContent.trim().slice(0, 50);
  const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  const clipOf = (el) => {  // the nearest ancestor that does not let its content overflow
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
      if (getComputedStyle(a).overflowX !== "visible") return a;
    return null;
  };
  // MathJax's copy for screen readers (mjx-assistive-mml) is clipped on purpose.
  const shown = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: true}) &&
      !el.closest("mjx-assistive-mml");
  const within = (r, q, tol = 1) => r.left >= q.left - tol && r.right <= q.right + tol;
  const screen = {left: 0, right: vw};
  const problems = [];
  if (root.scrollWidth > vw + 1)
    problems.push(`the page scrolls sideways: ${root.scrollWidth} px wide on a ${vw} px screen`);

  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || within(r, screen) || !shown(el)) continue;
    const clip = clipOf(el);
    if (clip && !within(clip.getBoundingClientRect(), screen)) continue;  // reported with clip
    const up = el.parentElement;
    if (up && up !== clip && up !== document.body && !within(up.getBoundingClientRect(), screen))
      continue;  // report the outermost element only
    const span = `[${Math.round(r.left)}, ${Math.round(r.right)}] px`;
    if (!clip) problems.push(`${name(el)}${where(el)} runs off the screen: ${span}`);
    else if (!scrolls(clip))
      problems.push(`${name(el)}${where(el)} is cut off by ${name(clip)} ` +
                    `(overflow-x: ${getComputedStyle(clip).overflowX}): ${span}`);
  }

  // Formulas: typeset math (mjx-math) must fit its clipping box, or that box must scroll.
  for (const m of document.querySelectorAll("mjx-container > mjx-math")) {
    if (!shown(m)) continue;
    const box = m.parentElement;
    const clip = getComputedStyle(box).overflowX !== "visible" ? box : clipOf(box);
    if (clip && !within(m.getBoundingClientRect(), clip.getBoundingClientRect()) && !scrolls(clip))
      problems.push(`formula cut off by ${name(clip)}${where(box)}: ${text(box)}`);
  }

  // Display equations: fit or scroll; the number beside the equation, on the screen; no
  // part clipped vertically.
  const equations = {fit: 0, scroll: 0};
  for (const eq of document.querySelectorAll('mjx-container[display="true"]')) {
    if (!shown(eq)) continue;
    const r = eq.getBoundingClientRect();
    const id = eq.closest("[id]") ? eq.closest("[id]").id : "?";
    if (eq.scrollWidth > eq.clientWidth + 1) {
      equations.scroll += 1;
      if (!scrolls(eq) && !(clipOf(eq) && scrolls(clipOf(eq))))
        problems.push(`display equation #${id} is wider than its box and does not scroll: ${text(eq)}`);
    } else equations.fit += 1;
    if (!within(r, screen)) problems.push(`display equation #${id} is not on the screen: ${text(eq)}`);
    if (eq.scrollHeight > eq.clientHeight + 1 && getComputedStyle(eq).overflowY !== "visible")
      problems.push(`display equation #${id} is clipped vertically ` +
                    `(${eq.scrollHeight} px in ${eq.clientHeight} px): ${text(eq)}`);
    const number = eq.parentElement.querySelector(":scope > .eqno");
    if (number) {
      const n = number.getBoundingClientRect();
      if (!within(n, screen) || !within(n, eq.parentElement.getBoundingClientRect()))
        problems.push(`the number of equation #${id} is off the screen`);
      if (n.bottom < r.top || n.top > r.bottom || n.left < r.right - 1 && n.right > r.left + 1)
        problems.push(`the number of equation #${id} is not beside it`);
    }
  }

  const scrollers = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (!shown(el) || !scrolls(el) || el.scrollWidth <= el.clientWidth + 1 || el.clientHeight < 8) continue;
    el.dataset.phoneScroller = String(scrollers.length);
    scrollers.push(name(el) + where(el));
  }
  const sheets = [...document.styleSheets].map((s) => s.href || "");
  return {problems, scrollers, equations, sheets, width: vw};
}
"""

# Scrolls the marked scroller ``index`` to its start or its end and into the middle of the
# screen; returns its padding box on the screen and how far it scrolled.
_SCROLL_TO_JS = """
([index, end]) => {
  const el = document.querySelector(`[data-phone-scroller="${index}"]`);
  el.scrollLeft = end ? el.scrollWidth : 0;
  el.scrollIntoView({block: "center", inline: "nearest"});
  const r = el.getBoundingClientRect();
  return new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done({
    clip: {x: Math.max(0, r.left + el.clientLeft), y: Math.max(0, r.top + el.clientTop),
           width: Math.min(el.clientWidth, innerWidth - Math.max(0, r.left + el.clientLeft)),
           height: Math.min(el.clientHeight, innerHeight / 2)},
    scrollLeft: el.scrollLeft, range: el.scrollWidth - el.clientWidth}))));
}
"""

# What draws the cue, as the browser computed it for each marked scroller.
_CUE_STYLE_JS = """
() => [...document.querySelectorAll("[data-phone-scroller]")].map((el) => {
  const s = getComputedStyle(el);
  return [s.backgroundImage, s.animationName, s.backgroundAttachment].join(" | ");
})
"""

# Makes the content of the marked scrollers invisible but keeps every background, border
# and shadow: what is left is what the cue looks like. Text, MathJax glyphs (CSS text) and
# rules (borders in currentColor) become transparent; images are hidden.
_HIDE_TEXT_CSS = """
[data-phone-scroller], [data-phone-scroller] * {
  color: transparent !important; text-shadow: none !important; caret-color: transparent !important;
  text-decoration-color: transparent !important;
}
[data-phone-scroller] img, [data-phone-scroller] svg, [data-phone-scroller] canvas {
  visibility: hidden !important;
}
"""


def _kind(name: str) -> str:
    return "equation" if name.startswith("mjx-container") else "code" if name.startswith("pre") else name.split(" ")[0]


def _cue_measurements(page, names: list[str]) -> dict[int, dict]:
    """Pixel measurements of the cue, for the first scroller of each kind on the page
    (display equation, code cell, formula in a line, table...): how much darker its left and
    right edges are than its middle, at the start and at the end of its scroll range."""
    import numpy as np
    from PIL import Image
    from playwright.sync_api import Error as PlaywrightError

    sample: dict[str, int] = {}
    for index, name in enumerate(names):
        sample.setdefault(_kind(name), index)
    style = page.add_style_tag(content=_HIDE_TEXT_CSS)
    results: dict[int, dict] = {}
    try:
        for index in sample.values():
            results[index] = {}
            for state, end in (("start", False), ("end", True)):
                box = page.evaluate(_SCROLL_TO_JS, [index, end])
                if box["clip"]["width"] < 4 * CUE_STRIP_PX or box["clip"]["height"] < 4:
                    results[index] = {"unmeasurable": box["clip"]}
                    break
                try:
                    png = page.screenshot(clip=box["clip"])
                except PlaywrightError:
                    results[index] = {"unmeasurable": box["clip"]}
                    break
                shot = np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float)
                width = shot.shape[1]
                reference = np.median(shot[:, width // 4: 3 * width // 4].mean(axis=0))  # robust to a border
                results[index][state] = {
                    "left": float(reference - shot[:, :CUE_STRIP_PX].mean()),
                    "right": float(reference - shot[:, -CUE_STRIP_PX:].mean()),
                    "scrollLeft": box["scrollLeft"],
                    "range": box["range"],
                }
            page.evaluate(_SCROLL_TO_JS, [index, False])
    finally:
        page.evaluate("(el) => el.remove()", style)
    return results


def _cue_problems(names: list[str], measurements: dict[int, dict], styles: list[str]) -> list[str]:
    """What is wrong with the cues: a measured one that is missing, does not follow the
    scroll position or whose end cannot be reached; a scroller drawn unlike the measured
    scroller of its kind."""
    problems = []
    for index, m in measurements.items():
        if "unmeasurable" in m:
            problems.append(f"{names[index]}: too small on the screen to show a cue ({m['unmeasurable']})")
            continue
        name, start, end = names[index], m["start"], m["end"]
        values = (f"edge darkening left/right: {start['left']:.0f}/{start['right']:.0f} at the start, "
                  f"{end['left']:.0f}/{end['right']:.0f} at the end")
        if end["scrollLeft"] < end["range"] - 1:
            problems.append(f"{name}: its hidden part cannot be reached by scrolling "
                            f"({end['scrollLeft']} of {end['range']} px)")
        elif start["right"] < CUE_MIN_DARKENING:
            problems.append(f"{name} scrolls sideways with no visible cue on the right ({values})")
        elif end["left"] < CUE_MIN_DARKENING:
            problems.append(f"{name}: scrolled to its end, no cue on the left ({values})")
        elif end["right"] > start["right"] - CUE_MIN_DARKENING / 2:
            problems.append(f"{name}: the cue on the right stays when the end is reached ({values})")
    measured = {_kind(names[i]): styles[i] for i in measurements}
    for name, style in zip(names, styles):
        if style != measured.get(_kind(name)):
            problems.append(f"{name} draws its cue unlike the measured {_kind(name)} ({style[:100]})")
    return problems


# axe-core impacts that fail the test (the other two are "moderate" and "minor").
AXE_FAILING_IMPACTS = ("serious", "critical")

# Violations that neither our CSS nor _config.yml can fix, each with its reason: (page,
# axe rule, CSS selector of the element) -> why. Anything else on these pages still fails.
AXE_KNOWN = {
    ("book/bibliography.html", "aria-required-children", ".citation-list"):
        "docutils 0.21 writes the bibliography as <div role=\"list\" class=\"citation-list\"> "
        "whose children have role=\"doc-biblioentry\", not listitem (HTML from docutils/"
        "sphinxcontrib-bibtex, not from the book)",
}


def _axe_violations(page, rel: str) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each (rule, impact,
    how many elements, the first few of them). axe-core is the copy that the
    axe-playwright-python wheel ships; nothing is fetched."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    violations = axe.run(page, options={"resultTypes": ["violations"],
                                        "rules": {"color-contrast": {"enabled": False}}}).response["violations"]
    # Colour contrast takes about 1 ms per element: 35 s on the API page (42,000 elements,
    # nearly all in its hundreds of identically styled entries). It sees every element of
    # every other page, and the first two entries of each module on the API page.
    violations += axe.run(page, context={"exclude": [["dl.py:nth-of-type(n+3)"]]},
                          options={"resultTypes": ["violations"], "runOnly": ["color-contrast"]}
                          ).response["violations"]
    lines = []
    for violation in violations:
        violation["nodes"] = [node for node in violation["nodes"]
                              if (rel, violation["id"], " ".join(map(str, node["target"]))) not in AXE_KNOWN]
        if violation["impact"] in AXE_FAILING_IMPACTS and violation["nodes"]:
            targets = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:3])
            lines.append(f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])} elements: "
                         f"{targets}): {violation['help']}")
    return lines


# --- Figures: text size as shown and in the enlarged view (issue 19) ------------------------
# Smallest text that a figure may show, in CSS px (issue 19: readable without pinch-zoom).
MIN_FIGURE_TEXT_PX = 9.0

# A button's accessible name from what every browser and screen reader uses: aria-labelledby,
# aria-label, its own text (icons excluded: an SVG's <title> is not used as a button's name
# by every screen reader, and sphinx-copybutton swaps its icon, and so the name, on a click),
# or its title.
_NAME_FN = """
(el) => {
  const by = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean)
    .map((id) => document.getElementById(id)).filter(Boolean).map((e) => e.textContent).join(" ").trim();
  if (by) return by;
  const label = (el.getAttribute("aria-label") || "").trim();
  if (label) return label;
  const copy = el.cloneNode(true);
  copy.querySelectorAll("svg, [aria-hidden='true']").forEach((e) => e.remove());
  const text = (copy.textContent || copy.value || "").replace(/\\s+/g, " ").trim();
  return text || (el.getAttribute("title") || "").trim();
}
"""

# Every figure image shown on the page (notebook outputs and MyST figures) with its natural
# and shown width, and the visible "Enlarge figure" button in the figure's box, if any.
_FIGURES_JS = """
() => {
  const name = %s;
  const figures = [...document.querySelectorAll(".bd-article .cell_output img, .bd-article figure img")]
    .filter((img) => !img.closest("dialog") && img.checkVisibility() && img.getBoundingClientRect().width > 0);
  return figures.map((img, index) => {
    img.dataset.testFigure = String(index);
    const box = img.closest("figure") || img.closest(".cell_output");
    const button = [...box.querySelectorAll("button")].find(
      (b) => b.checkVisibility() && /^Enlarge figure/.test(name(b)));
    if (button) button.dataset.testEnlarge = String(index);
    const caption = box.querySelector(".caption-number");
    return {index, src: img.currentSrc || img.src, natural: img.naturalWidth,
            shown: img.getBoundingClientRect().width, caption: caption ? caption.textContent.trim() : "",
            button: button ? name(button) : null};
  });
}
""" % _NAME_FN.strip()

# The open modal dialog's image: what it shows and at what size; whether it is on the screen.
_ENLARGED_JS = """
async () => {
  const dialog = [...document.querySelectorAll("dialog")].find((d) => d.open);
  if (!dialog) return null;
  const img = dialog.querySelector("img");
  await img.decode().catch(() => null);
  const r = img.getBoundingClientRect();
  return {src: img.currentSrc || img.src, natural: img.naturalWidth, shown: r.width,
          visible: img.checkVisibility() && r.top < innerHeight && r.left < innerWidth,
          modal: dialog.matches(":modal")};
}
"""

# Clicks each of the given figures' enlarge buttons in turn, measures the view and closes it
# with its close button; one call per page (a keyboard round trip per figure takes longer).
_ENLARGE_ALL_JS = """
async (indices) => {
  const enlarged = %s;
  const name = %s;
  const results = {};
  for (const i of indices) {
    document.querySelector(`[data-test-enlarge="${i}"]`).click();
    const view = await enlarged();
    const dialog = [...document.querySelectorAll("dialog")].find((d) => d.open);
    const close = dialog && [...dialog.querySelectorAll("button")].find((b) => /^Close/i.test(name(b)));
    if (close) close.click();
    results[i] = view && {...view, closable: !!close && !dialog.open};
  }
  return results;
}
""" % (_ENLARGED_JS.strip(), _NAME_FN.strip())

# Ids that more than one element carries, and buttons without an accessible name, once the
# page's scripts have run.
_IDS_AND_NAMES_JS = """
() => {
  const name = %s;
  const counts = {};
  for (const el of document.querySelectorAll("[id]")) counts[el.id] = (counts[el.id] || 0) + 1;
  const duplicated = Object.entries(counts).filter(([, n]) => n > 1).map(([id, n]) => `${id} (${n} times)`);
  const unnamed = {};
  for (const b of document.querySelectorAll("button, [role=button], input[type=button], input[type=submit]")) {
    if (name(b)) continue;
    const what = b.tagName.toLowerCase() + (b.className ? "." + String(b.className).trim().split(/\\s+/).join(".") : "");
    unnamed[what] = (unnamed[what] || 0) + 1;
  }
  return {duplicated, unnamed: Object.entries(unnamed).map(([what, n]) => `${what} (${n})`)};
}
""" % _NAME_FN.strip()


def figure_dpi(site: Path, url: str) -> float:
    """The dpi of the figure image at ``url``, read from the PNG in the built site.

    Matplotlib writes it into the ``pHYs`` chunk; the widgets' PNGs
    (:func:`neurolib.plotting.png_bytes`, also the explorable states) carry none and are
    drawn at :data:`neurolib.plotting.WIDGET_DPI`.
    """
    from urllib.parse import unquote, urlsplit

    from PIL import Image

    from neurolib.plotting import WIDGET_DPI

    path = site / unquote(urlsplit(url).path).lstrip("/")
    with Image.open(path) as image:
        dpi = image.info.get("dpi")
    return float(dpi[0]) if dpi and dpi[0] > 0 else float(WIDGET_DPI)


def figure_text_px(site: Path, url: str, shown: float, natural: float) -> float:
    """CSS px of the smallest text of a figure shown ``shown`` px wide:
    (pt / 72 x dpi) x shown width / natural width, pt the book's smallest figure font."""
    from neurolib.plotting import MIN_FONT_SIZE

    return MIN_FONT_SIZE / 72 * figure_dpi(site, url) * shown / natural


def _figures(page, site: Path, screen: str) -> list[dict]:
    """Every figure shown on the page, with the size of its smallest text as shown and, on
    the phone where that is too small, in its enlarged view. The first such figure of the
    page is opened with the keyboard (its button focused, Enter; Escape must close the view
    and give the focus back to the button), the others with their buttons' click."""
    figures = page.evaluate(_FIGURES_JS)
    small = []
    for fig in figures:
        fig["text_px"] = figure_text_px(site, fig["src"], fig["shown"], fig["natural"])
        fig["problems"] = []
        if fig["text_px"] >= MIN_FIGURE_TEXT_PX:
            if fig["button"] is not None:
                fig["problems"].append(f"an enlarge button although its text is {fig['text_px']:.1f} px")
        elif screen == "phone" and fig["button"] is None:
            fig["problems"].append("no visible 'Enlarge figure' button")
        elif screen == "phone":
            small.append(fig)
            if fig["caption"] and fig["caption"].replace("Fig.", "").strip() not in fig["button"]:
                fig["problems"].append(f"the button's name '{fig['button']}' does not say which figure")
    if not small:
        return figures
    views = page.evaluate(_ENLARGE_ALL_JS, [fig["index"] for fig in small[1:]])
    first = small[0]
    page.locator(f'[data-test-enlarge="{first["index"]}"]').focus()
    page.keyboard.press("Enter")
    view = page.evaluate(_ENLARGED_JS)
    page.keyboard.press("Escape")
    closed = page.evaluate("(i) => ![...document.querySelectorAll('dialog')].some((d) => d.open) && "
                           "document.activeElement && document.activeElement.dataset.testEnlarge === String(i)",
                           first["index"])
    if view is not None:
        view["closable"] = closed
    views[str(first["index"])] = view
    for fig in small:
        big = views.get(str(fig["index"]))
        how = "Enter on the button" if fig is first else "the button"
        if big is None:
            fig["problems"].append(f"{how} opened no dialog")
            continue
        fig["enlarged_px"] = figure_text_px(site, big["src"], big["shown"], big["natural"])
        if big["src"] != fig["src"]:
            fig["problems"].append(f"the enlarged view shows {big['src']}, not the figure's {fig['src']}")
        if not (big["visible"] and big["modal"]):
            fig["problems"].append("the enlarged figure is not visible in a modal dialog")
        if fig["enlarged_px"] < MIN_FIGURE_TEXT_PX:
            fig["problems"].append(f"enlarged, its text is still {fig['enlarged_px']:.1f} px")
        if not big["closable"]:
            fig["problems"].append("Escape did not close the view and give the focus back to the button"
                                   if fig is first else "the view has no working Close button")
    return figures


def _inspect(page, base: str, rel: str, screen: str, site: Path, axe: bool = False) -> dict:
    page.goto(f"{base}/{rel}", wait_until="load", timeout=60_000)
    report = page.evaluate(_MEASURE_JS)
    report.update(page.evaluate(_IDS_AND_NAMES_JS))
    if axe:
        report["axe"] = _axe_violations(page, rel)
    styles = page.evaluate(_CUE_STYLE_JS)
    measurements = _cue_measurements(page, report["scrollers"])
    report["cue"] = measurements
    report["problems"] += _cue_problems(report["scrollers"], measurements, styles)
    report["figures"] = _figures(page, site, screen)
    return report


def _open(pw, chromium: str, screen: str):
    chrome = browser.launch(pw, chromium)
    context = chrome.new_context(**SCREENS[screen])
    remote: list[str] = []
    browser.block_remote_requests(context, remote)
    return chrome, context


@pytest.fixture(scope="module")
def layouts(site, chromium) -> dict[tuple[str, str], dict]:
    """``{(screen, page): report}`` for every page of the site on both screens."""
    from playwright.sync_api import sync_playwright

    reports = {}
    with browser.serve_directory(site) as base, sync_playwright() as pw:
        for screen in SCREENS:
            chrome, context = _open(pw, chromium, screen)
            page = context.new_page()
            for rel in PAGES:
                # axe-core once per page, on the laptop screen (its rules do not depend on width)
                reports[(screen, rel)] = _inspect(page, base, rel, screen, site, axe=screen == "laptop")
            chrome.close()
    return reports


@pytest.mark.parametrize("screen", sorted(SCREENS))
@pytest.mark.parametrize("page", PAGES or ["none"])
def test_page_fits_the_screen(layouts, page, screen):
    """Nothing runs off the screen or is cut off; what scrolls shows it; equations fit or
    scroll, keep their numbers beside them and are not clipped vertically."""
    if page == "none":
        pytest.fail("no pages were built")
    report = layouts[(screen, page)]
    assert not report["problems"], f"{page} at {report['width']} px:\n" + "\n".join(report["problems"])


@pytest.mark.parametrize("page", PAGES or ["none"])
def test_page_has_no_serious_accessibility_violations(layouts, page):
    """axe-core (WCAG 2 A/AA and best-practice rules) finds nothing serious or critical."""
    if page == "none":
        pytest.fail("no pages were built")
    violations = layouts[("laptop", page)]["axe"]
    assert not violations, f"{page}:\n" + "\n".join(violations)


@pytest.mark.parametrize("screen", sorted(SCREENS))
@pytest.mark.parametrize("page", PAGES or ["none"])
def test_figure_text_is_readable(layouts, page, screen):
    """Issue 19: the smallest text of every figure is at least 9 CSS px, measured as
    (pt / 72 x dpi) x shown width / natural width. On the phone a figure may instead have
    an "Enlarge figure N" button, operable by keyboard, whose view shows the text that
    large; on the laptop every figure must be that large as shown (and have no button)."""
    if page == "none":
        pytest.fail("no pages were built")
    report = layouts[(screen, page)]
    lines = []
    for fig in report["figures"]:
        name = fig["caption"] or fig["src"].rsplit("/", 1)[-1][:16]
        if screen == "laptop" and fig["text_px"] < MIN_FIGURE_TEXT_PX:
            fig["problems"].insert(0, f"text {fig['text_px']:.1f} px as shown "
                                      f"({fig['shown']:.0f} of {fig['natural']} px)")
        lines += [f"{name}: {problem}" for problem in fig["problems"]]
    assert not lines, f"{page} at {report['width']} px:\n" + "\n".join(lines)


def test_the_figure_checks_see_small_and_enlarged_figures(layouts):
    """Not vacuous: the chapters show figures; on the phone most are too small as shown and
    were measured enlarged."""
    phone = [f for (screen, _), r in layouts.items() if screen == "phone" for f in r["figures"]]
    assert len(phone) >= 20
    assert sum("enlarged_px" in f for f in phone) >= 20


@pytest.mark.parametrize("page", PAGES or ["none"])
def test_ids_are_unique(layouts, page):
    """No id twice on a page, after its scripts ran (axe-core 4's duplicate-id rule is
    deprecated and off); sphinx-exercise repeated id="solution-content" (book/_ext/a11y.py)."""
    if page == "none":
        pytest.fail("no pages were built")
    for screen in SCREENS:
        duplicated = layouts[(screen, page)]["duplicated"]
        assert not duplicated, f"{page} at {screen} size: ids used more than once: {duplicated}"


@pytest.mark.parametrize("page", PAGES or ["none"])
def test_every_button_has_a_name(layouts, page):
    """Every button, including those that scripts add (sphinx-copybutton's), has a name
    from its text, aria-label, aria-labelledby or title (book/_static/a11y.js)."""
    if page == "none":
        pytest.fail("no pages were built")
    for screen in SCREENS:
        unnamed = layouts[(screen, page)]["unnamed"]
        assert not unnamed, f"{page} at {screen} size: buttons without a name: {unnamed}"


def test_phone_stylesheet_is_loaded_on_every_page(layouts):
    missing = [page for (screen, page), report in layouts.items()
               if not any(href.split("?")[0].endswith("/_static/phone.css") for href in report["sheets"])]
    assert not missing, f"phone.css is not loaded by: {sorted(set(missing))}"


def test_the_checks_see_scrolling_equations_and_code(layouts):
    """The checks are not vacuous: on a phone some equations and code cells are wider than
    the column and scroll (each then passed the cue check above)."""
    phone = [report for (screen, _), report in layouts.items() if screen == "phone"]
    assert sum(r["equations"]["scroll"] for r in phone) > 0
    assert sum(r["equations"]["fit"] for r in phone) > 0
    assert any(name.startswith("pre") for r in phone for name in r["scrollers"])


def test_without_phone_css_the_phone_checks_fail(site, chromium):
    """The control: with book/_static/phone.css switched off, a chapter's scrolling equations
    show no cue, and the API page scrolls sideways (or cuts its signatures)."""
    from playwright.sync_api import sync_playwright

    chapter = next((p for p in PAGES if p.startswith("book/") and p[5:7].isdigit()), None)
    api = "book/api.html" if "book/api.html" in PAGES else None
    if chapter is None:
        pytest.skip("no chapter in this build")
    switch_off = ("() => [...document.styleSheets].filter((s) => /phone\\.css/.test(s.href || ''))"
                  ".forEach((s) => { s.disabled = true; })")
    found = {}
    with browser.serve_directory(site) as base, sync_playwright() as pw:
        chrome, context = _open(pw, chromium, "phone")
        page = context.new_page()
        for rel in filter(None, (chapter, api)):
            page.goto(f"{base}/{rel}", wait_until="load", timeout=60_000)
            page.evaluate(switch_off)
            report = page.evaluate(_MEASURE_JS)
            found[rel] = report["problems"] + _cue_problems(
                report["scrollers"], _cue_measurements(page, report["scrollers"]), page.evaluate(_CUE_STYLE_JS))
        chrome.close()
    assert any("no visible cue" in p and "mjx-container" in p for p in found[chapter]), found[chapter]
    if api:
        assert found[api], "without phone.css the API page should not fit a phone"
