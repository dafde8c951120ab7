"""The whole book as two PDFs, from the built site: ``make pdf``.

Writes ``_build/pdf/<name>-student.pdf`` (no solutions) and ``_build/pdf/<name>-instructor.pdf``
(every solution, expanded and labelled) from ``_build/html``, with Debian's Chromium driven by
Playwright (the browser the site tests use; no LaTeX). ``<name>`` is the title in _config.yml
as a slug (``from-spikes-to-gradients``).

How: the built site is served on 127.0.0.1 (a request to any other host is blocked and fails
the run, leaving no PDF) and, for each edition, one page of it is opened in Chromium, so that
the site's own CSS, print.css included, and its MathJax are loaded. In that page the book is
assembled from the built pages in _toc.yml order: a cover, the contents, the introduction,
the chapters, then the glossary and the bibliography (the API reference and the notes for
instructors on extending the book are web pages, not book chapters). Each page starts on a
new sheet; ids are prefixed with the page's name so that links between pages (equations,
citations, glossary terms) become links inside the PDF. Once MathJax has typeset everything,
the edition is printed twice with ``page.pdf()``: a first, cheap print (only the titles
visible) tells on which page each title lands (``pdftotext``, whose output separates pages
with form feeds), those numbers are written into the contents (in fixed-width boxes, so
nothing moves) and the same loaded page is printed again in full. That print is checked:
every contents number must be the page where the title is. The two editions are made at the
same time, in two browsers (``--jobs``).

What prints: the exercises, and their hints in both editions. The hints stay because the
student notebooks keep them too (tools/student_edition.py): a hint is part of the exercise
as students get it, not part of the answer, and paper cannot fold it away as the site does.
print.css hides hints for a reader printing one chapter from the browser, who may be a student
or an instructor; here the edition is chosen. The student edition has the solutions removed
from the document (not hidden); the instructor edition shows every one, titled "Solution to
Exercise N.M". Interactive-only things never print: toggle and copy buttons, the controls of
the explorable figures (their default figure stays), launch and download buttons, sidebars.

Usage::

    python tools/make_pdf.py [--site _build/html] [--out _build/pdf] [--edition both] [--jobs 2]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import browser  # noqa: E402 - tools/ is not a package

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = ("student", "instructor")
# Pages of the "Reference" part that belong in a printed book (see the module docstring).
BACK_MATTER = ("book/glossary", "book/bibliography")
# A4 with these margins leaves 180 mm x 252 mm (680 x 952 CSS px) for the text.
MARGIN = {"top": "18mm", "bottom": "18mm", "left": "15mm", "right": "15mm"}
CONTENT_WIDTH_PX = 680


@dataclass(frozen=True)
class Entry:
    """One page of the site that becomes one section of the book."""

    stem: str  # file name without .html, e.g. 07_activations
    part: str  # the _toc.yml caption it is listed under ("" for the introduction)
    kind: str  # "front", "chapter" or "back"


def slug(text: str) -> str:
    """``From Spikes to Gradients`` -> ``from-spikes-to-gradients``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def book_entries(root: Path = ROOT) -> list[Entry]:
    """The introduction, the chapters in _toc.yml order, then the back matter."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    entries = [Entry(Path(toc["root"]).name, "", "front")]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            file = chapter["file"]
            if part.get("numbered"):
                entries.append(Entry(Path(file).name, part["caption"], "chapter"))
            elif file in BACK_MATTER:
                entries.append(Entry(Path(file).name, part["caption"], "back"))
    return entries


def build_date() -> str:
    """The date on the cover: today (UTC), or SOURCE_DATE_EPOCH's for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = (datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch
           else datetime.datetime.now(datetime.timezone.utc))
    return f"{now.day} {now:%B %Y}"


def pdf_pages(pdf: Path, layout: bool = True) -> list[str]:
    """The text of each page of ``pdf``, one string per page: ``pdftotext -layout`` (lines
    as printed), or with ``layout=False`` in reading order (superscripts stay in their line)."""
    done = subprocess.run(["pdftotext", *(["-layout"] if layout else []), "-enc", "UTF-8",
                           str(pdf), "-"], capture_output=True, text=True, check=True)
    pages = done.stdout.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def title_page(pages: list[str], title: str, start: int) -> int | None:
    """1-based number of the first page from ``start`` (0-based) that begins with ``title``.

    Every section starts on a new sheet with its title, so the title is the page's first
    text (over one to three lines when it wraps).
    """
    want = " ".join(title.split())
    for index in range(start, len(pages)):
        lines = [" ".join(line.split()) for line in pages[index].splitlines() if line.strip()]
        for count in (1, 2, 3):
            if " ".join(lines[:count]) == want:
                return index + 1
    return None


def locate(pages: list[str], titles: list[str]) -> list[int]:
    """The page of each title, in order (each after the previous one); fails if one is missing."""
    found, start = [], 1  # page 1 is the cover
    for title in titles:
        number = title_page(pages, title, start)
        if number is None:
            raise RuntimeError(f"the title {title!r} does not start any page after page {start}")
        found.append(number)
        start = number
    return found


# --- In the browser -------------------------------------------------------------------------

PDF_CSS = """
@media print {
  /* Only the book: not the site's header, footers, "next page" links or sidebars. */
  .bd-header, .bd-header-article, .bd-footer, .bd-footer-content, .bd-footer-article,
  .prev-next-footer, .prev-next-area, #pst-back-to-top, .skip-link, #searchbox,
  .bd-sidebar-primary, .bd-sidebar-secondary, #jb-print-docs-body { display: none !important; }
  /* Interactive-only things: toggle and copy buttons, explorable figures' controls (their
     default figure stays), heading permalinks. */
  .pdf-book button, .pdf-book .explorable, .pdf-book .copybtn, .pdf-book .headerlink,
  .pdf-book .toggle-button, .pdf-book script { display: none !important; }
  /* Hints (both editions) and solutions (instructor edition) print expanded; print.css
     hides them (.admonition.hint / .solution), these selectors are more specific. */
  .pdf-book .admonition.hint.pdf-shown,
  .pdf-book .admonition.solution.pdf-shown { display: block !important; }
  /* Solutions in their own colour (the theme draws hints green, exercises blue). */
  .pdf-book .admonition.solution.pdf-shown { border-color: #6a3d9a !important; }
  .pdf-book .admonition.solution.pdf-shown > .admonition-title { background: #efe8f6 !important; }
  /* Each page of the site starts a new sheet; keep figures, equations and titles whole. */
  .pdf-section, .pdf-contents { break-before: page; }
  .pdf-book figure, .pdf-book mjx-container[display="true"], .pdf-book .math-wrapper,
  .pdf-book .cell_input, .pdf-book .cell_output, .pdf-book div.highlight { break-inside: avoid; }
  .pdf-book h1, .pdf-book h2, .pdf-book h3, .pdf-book .admonition-title { break-after: avoid; }
  /* Code wraps on paper instead of being cut off at the margin. */
  .pdf-book pre { white-space: pre-wrap !important; overflow-wrap: anywhere; overflow: visible !important; }
  .bd-main .bd-content .bd-article-container, .bd-article { padding: 0 !important; }
  .bd-container, .bd-container__inner, .bd-main, .bd-content, .bd-article-container {
    display: block !important; width: 100% !important; max-width: 100% !important;
    margin: 0 !important; padding: 0 !important; }
}
/* Cover and contents (also on screen, for looking at the document while debugging). */
.pdf-cover { height: 245mm; display: flex; flex-direction: column; justify-content: center;
  text-align: center; }
.pdf-cover-title { font-size: 2.6rem; font-weight: 700; line-height: 1.2; margin-bottom: 1.2rem; }
.pdf-cover-subtitle { font-size: 1.15rem; font-style: italic; margin: 0 auto 3rem; max-width: 34rem; }
.pdf-cover-edition { font-size: 1.6rem; font-weight: 600; margin-bottom: 0.4rem; }
.pdf-cover-note { font-size: 1rem; margin-bottom: 3rem; }
.pdf-cover-author, .pdf-cover-date { font-size: 1.05rem; margin: 0.2rem 0; }
.pdf-contents-title { font-size: 2rem; font-weight: 700; margin: 0 0 1.5rem; }
.pdf-contents-part { font-weight: 700; font-size: 1.1rem; margin: 1.1rem 0 0.3rem; }
.pdf-contents ol { list-style: none; padding: 0; margin: 0; }
.pdf-contents li { margin: 0.25rem 0; }
.pdf-contents li a { display: flex; align-items: baseline; color: inherit; text-decoration: none; }
.pdf-contents .pdf-toc-dots { flex: 1; border-bottom: 1px dotted #888; margin: 0 0.4rem; }
.pdf-contents .pdf-toc-page { width: 3em; text-align: right; font-variant-numeric: tabular-nums; }
"""

# Fetch every page, take its article, make its ids and links unique within the book, and put
# it all into this page's article, after a cover and the contents. Returns the titles.
ASSEMBLE_JS = r"""
async ({entries, css, book}) => {
  const style = document.createElement('style');
  style.textContent = css;
  document.head.appendChild(style);
  const here = new URL(location.href);
  const stems = new Set(entries.map(e => e.stem));
  const root = document.createElement('div');
  root.className = 'pdf-book';
  const titles = [];
  let subtitle = '';
  for (const entry of entries) {
    const url = new URL(entry.stem + '.html', here);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
    const article = doc.querySelector('article.bd-article');
    if (!article) throw new Error(`${url}: no article.bd-article`);
    article.querySelectorAll('script, .headerlink').forEach(el => el.remove());
    for (const el of article.querySelectorAll('[id]')) el.id = `${entry.stem}--${el.id}`;
    for (const a of article.querySelectorAll('a[href]')) {
      const target = new URL(a.getAttribute('href'), url);
      if (target.origin !== here.origin) continue;  // another site: the link stays as it is
      const page = target.pathname.match(/([^/]+)\.html$/);
      if (page && stems.has(page[1])) {
        a.setAttribute('href', target.hash
          ? `#${page[1]}--${decodeURIComponent(target.hash.slice(1))}` : `#pdf-${page[1]}`);
      } else {
        a.removeAttribute('href');  // a page that is not in the book (API, index)
      }
    }
    for (const img of article.querySelectorAll('img')) {
      img.setAttribute('src', new URL(img.getAttribute('src'), url).href);
      img.removeAttribute('loading');
    }
    // Hints and solutions are print.css's dropdowns; here they are shown (see PDF_CSS).
    for (const el of article.querySelectorAll('.admonition.hint, .admonition.solution')) {
      el.classList.remove('dropdown', 'toggle');
      el.classList.add('pdf-shown');
    }
    const h1 = article.querySelector('h1');
    if (entry.kind === 'front') {
      const first = h1 && h1.nextElementSibling;
      if (first && first.tagName === 'P') { subtitle = first.textContent.trim(); first.remove(); }
      h1.textContent = 'Introduction';  // the book's title is on the cover
    }
    titles.push(h1.textContent.replace(/\s+/g, ' ').trim());
    const section = document.createElement('section');
    section.className = `pdf-section pdf-${entry.kind}`;
    section.id = `pdf-${entry.stem}`;
    section.append(...article.childNodes);
    root.appendChild(section);
  }
  // Cover and contents.
  const cover = document.createElement('section');
  cover.className = 'pdf-cover';
  const line = (cls, text) => {
    const div = document.createElement('div');
    div.className = cls; div.textContent = text; cover.appendChild(div); return div;
  };
  line('pdf-cover-title', book.title);
  if (subtitle) line('pdf-cover-subtitle', subtitle);
  line('pdf-cover-edition', '');
  line('pdf-cover-note', '');
  line('pdf-cover-author', book.author);
  line('pdf-cover-date', book.date);
  const contents = document.createElement('section');
  contents.className = 'pdf-contents';
  contents.innerHTML = '<div class="pdf-contents-title">Contents</div>';
  let list = null, part = null;
  entries.forEach((entry, i) => {
    if (!list || entry.part !== part) {
      part = entry.part;
      if (part) {
        const caption = document.createElement('div');
        caption.className = 'pdf-contents-part';
        caption.textContent = part;
        contents.appendChild(caption);
      }
      list = contents.appendChild(document.createElement('ol'));
    }
    const li = list.appendChild(document.createElement('li'));
    li.innerHTML = `<a href="#pdf-${entry.stem}"><span class="pdf-toc-title"></span>` +
      `<span class="pdf-toc-dots"></span><span class="pdf-toc-page">000</span></a>`;
    li.querySelector('.pdf-toc-title').textContent = titles[i];
  });
  root.prepend(cover, contents);
  const target = document.querySelector('article.bd-article');
  target.replaceChildren(root);
  // Typeset all the math, then wait for the figures and the fonts.
  await MathJax.startup.promise;
  MathJax.typesetClear();
  await MathJax.typesetPromise([root]);
  const images = [...root.querySelectorAll('img')];
  await Promise.all(images.map(img => img.complete ? null
    : new Promise(done => { img.onload = img.onerror = done; })));
  await document.fonts.ready;
  const broken = images.filter(img => !img.naturalWidth).map(img => img.src);
  const raw = [...root.querySelectorAll('.math')].filter(el => !el.querySelector('mjx-container'))
    .map(el => el.textContent.slice(0, 60));
  return {titles, broken, raw, math: root.querySelectorAll('mjx-container').length};
}
"""

# Display equations wider than the column would be cut off on paper: shrink those to fit.
FIT_MATH_JS = r"""
() => {
  let shrunk = 0;
  for (const box of document.querySelectorAll('.pdf-book mjx-container[display="true"]')) {
    const wide = box.scrollWidth, room = box.clientWidth;
    if (wide > room + 1) {
      box.style.fontSize = `${Math.floor(100 * room / wide)}%`;
      shrunk += 1;
    }
  }
  return shrunk;
}
"""

EDITION_JS = r"""
({edition, note, title}) => {
  document.querySelector('.pdf-cover-edition').textContent = edition;
  document.querySelector('.pdf-cover-note').textContent = note;
  document.title = title;
}
"""

REMOVE_SOLUTIONS_JS = r"""
() => {
  const solutions = [...document.querySelectorAll('.pdf-book .admonition.solution')];
  solutions.forEach(el => el.remove());
  return solutions.length;
}
"""

SET_PAGES_JS = r"""
numbers => {
  const boxes = [...document.querySelectorAll('.pdf-contents .pdf-toc-page')];
  boxes.forEach((box, i) => { box.textContent = String(numbers[i]); });
}
"""

FOOTER = ('<div style="font-size:10px; width:100%; margin:0 15mm; display:flex; '
          'justify-content:space-between; color:#555; font-family:sans-serif;">'
          '<span>{label}</span><span><span class="pageNumber"></span> / '
          '<span class="totalPages"></span></span></div>')


# The first print only has to tell where each title lands: everything but the titles is made
# invisible (visibility keeps the layout, and the page breaks, exactly as they are), which
# about halves its cost.
DRAFT_JS = r"""
on => {
  const old = document.getElementById('pdf-draft');
  if (old) old.remove();
  if (!on) return;
  const style = document.createElement('style');
  style.id = 'pdf-draft';
  style.textContent = '.pdf-book, .pdf-book * { visibility: hidden !important; } ' +
    '.pdf-section h1, .pdf-section h1 * { visibility: visible !important; }';
  document.head.appendChild(style);
}
"""


def print_edition(page: Any, label: str, titles: list[str], out: Path, work: Path) -> dict[str, Any]:
    """Print the loaded document twice (see the module docstring) to ``out``; page facts."""
    options = {"format": "A4", "margin": MARGIN, "print_background": True,
               "display_header_footer": True, "header_template": "<span></span>",
               "footer_template": FOOTER.format(label=html.escape(label))}
    draft = work / f"{out.stem}.draft.pdf"
    page.evaluate(DRAFT_JS, True)
    page.pdf(path=str(draft), format="A4", margin=MARGIN)  # the same page box as `options`
    page.evaluate(DRAFT_JS, False)
    numbers = locate(pdf_pages(draft), titles)
    page.evaluate(SET_PAGES_JS, numbers)
    page.pdf(path=str(out), **options)
    pages = pdf_pages(out)
    final = locate(pages, titles)
    if final != numbers:
        raise RuntimeError(f"the titles moved between the two prints: {numbers} -> {final}")
    return {"pages": len(pages), "contents": dict(zip(titles, numbers))}


def make_pdfs(site: Path, out: Path, editions: tuple[str, ...] = EDITIONS,
              root: Path = ROOT, jobs: int = 2) -> dict[str, Any]:
    """Write the PDFs of ``editions`` from the built ``site`` into ``out``.

    Each edition is made in its own Chromium, ``jobs`` at a time (printing is mostly one
    renderer thread, so two editions on two cores take little longer than one). Also writes
    ``<name>.json`` next to the PDFs: pages and contents of each edition, seconds taken,
    remote requests (always empty: any one fails the run). Returns the same facts.
    """
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    entries = book_entries(root)
    missing = [f"book/{e.stem}.html" for e in entries if not (site / "book" / f"{e.stem}.html").is_file()]
    if missing:
        more = f" and {len(missing) - 2} more" if len(missing) > 2 else ""
        raise SystemExit(f"make_pdf: no built site in {site} (missing {', '.join(missing[:2])}{more}): "
                         "run `make book` first")
    if shutil.which("pdftotext") is None:
        raise SystemExit("make_pdf: pdftotext not found: install poppler-utils")
    executable = browser.chromium_executable()
    if executable is None:
        raise SystemExit("make_pdf: Chromium not found: install Debian's chromium")
    name = slug(config["title"])
    book = {"title": config["title"], "author": config.get("author", ""), "date": build_date()}
    out.mkdir(parents=True, exist_ok=True)
    targets = {edition: out / f"{name}-{edition}.pdf" for edition in editions}
    report = out / f"{name}.json"
    for path in (*targets.values(), report):
        path.unlink(missing_ok=True)  # a failed run leaves no PDF of an older site behind
    start = time.monotonic()
    with browser.serve_directory(site) as base, tempfile.TemporaryDirectory() as tmp:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = {edition: pool.submit(make_edition, base, executable, entries, book, edition,
                                            Path(tmp) / targets[edition].name, start)
                       for edition in editions}
            results = {edition: future.result() for edition, future in futures.items()}
        for edition, target in targets.items():
            shutil.move(Path(tmp) / target.name, target)
    facts = {"seconds": round(time.monotonic() - start, 1),
             "remote_requests": [url for r in results.values() for url in r.pop("remote_requests")],
             "editions": results}
    report.write_text(json.dumps(facts, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return facts


def make_edition(base: str, executable: str, entries: list[Entry], book: dict[str, str],
                 edition: str, pdf: Path, start: float) -> dict[str, Any]:
    """Assemble the book from the site served at ``base`` and print ``edition`` to ``pdf``.

    Runs in its own thread with its own Playwright (its sync API is one instance per thread).
    """
    from playwright.sync_api import sync_playwright

    remote: list[str] = []
    with sync_playwright() as pw:
        chrome = browser.launch(pw, executable)
        try:
            page = chrome.new_page(viewport={"width": CONTENT_WIDTH_PX, "height": 950})
            browser.block_remote_requests(page, remote)
            page.goto(f"{base}/book/{entries[0].stem}.html", wait_until="load")
            made = page.evaluate(ASSEMBLE_JS, {
                "entries": [e.__dict__ for e in entries], "css": PDF_CSS, "book": book})
            _no_remote(remote)
            if made["broken"] or made["raw"]:
                raise RuntimeError(f"images that did not load: {made['broken']}; "
                                   f"math MathJax did not typeset: {made['raw']}")
            print(f"make_pdf: {edition} edition: {len(entries)} pages assembled, {made['math']} "
                  f"formulas typeset ({time.monotonic() - start:.0f} s)", flush=True)
            page.emulate_media(media="print")  # measure the equations as they will print
            shrunk = page.evaluate(FIT_MATH_JS)
            solutions = page.evaluate(REMOVE_SOLUTIONS_JS) if edition == "student" else 0
            label = f"{book['title']} — {edition.capitalize()} edition"
            note = ("with the solutions to the exercises" if edition == "instructor"
                    else "the exercises without their solutions")
            page.evaluate(EDITION_JS, {"edition": f"{edition.capitalize()} edition",
                                       "note": note, "title": label})
            facts = print_edition(page, label, made["titles"], pdf, pdf.parent)
        finally:
            chrome.close()
    _no_remote(remote)
    print(f"make_pdf: {edition} edition: {facts['pages']} pages "
          f"({time.monotonic() - start:.0f} s)", flush=True)
    return {**facts, "formulas": made["math"], "equations_shrunk": shrunk,
            "solutions_removed": solutions, "remote_requests": remote}


def _no_remote(remote: list[str]) -> None:
    """Fail when the book asked for anything from another host (blocked, but a bug)."""
    if remote:
        raise RuntimeError(f"the pages asked for {len(remote)} remote resources "
                           f"(blocked): {remote[:5]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf")
    parser.add_argument("--edition", choices=("both", *EDITIONS), default="both")
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS", "2")),
                        help="editions made at the same time (default: $JOBS or 2)")
    args = parser.parse_args(argv)
    editions = EDITIONS if args.edition == "both" else (args.edition,)
    facts = make_pdfs(args.site, args.out, editions, jobs=args.jobs)
    pages = ", ".join(f"{e} {f['pages']} pages" for e, f in facts["editions"].items())
    print(f"make_pdf: wrote {args.out} ({pages}) in {facts['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
