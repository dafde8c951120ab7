"""End to end: a student runs a chapter in JupyterLab and moves a slider.

Starts JupyterLab from the project's venv on 127.0.0.1 (a free port, a random token, its
own config, runtime and settings directories) over a temporary copy of ``book/``, opens a
chapter in headless Chromium (Playwright driving Debian's ``chromium``), runs every cell,
drags the first slider of the chapter's widget and checks that the figure was redrawn with
different pixels, then that every control of the widget has an accessible name and axe-core
finds nothing serious in the widget's output (issue 19; JupyterLab's own interface is not
ours to fix, so axe runs on the widget's output only). One chapter per part of the book.
The server and its kernels are stopped afterwards. Requests that would leave the machine
are blocked.

Run with ``make test-lab`` (part of ``make test``); skipped when Chromium is missing,
except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import browser
from conftest import ROOT

pytestmark = pytest.mark.lab

# One chapter per part of the book, with the label of the slider the test drags: the first
# slider of the chapter's first widget (membrane_explorer in 01, hyperplane_explorer in 06).
CHAPTERS = {
    "01_biological_neurons.ipynb": "[K]out mM",
    "06_artificial_neuron.ipynb": "w1",
}

RUN_TIMEOUT_MS = 240_000

# The chapter in which the accessibility checks are also shown to fail on an unnamed widget
# (once is enough: the check is the same for every chapter).
NEGATIVE_CONTROL = "06_artificial_neuron.ipynb"

# One number per chapter that the prose shows through {eval}, computed here independently
# of the notebook: (the {eval} name, a function giving the text it must show).
def _thermal_voltage() -> str:
    from neurolib import membrane
    return format(membrane.thermal_voltage(37.0), ".2f")


def _boolean_functions() -> str:
    return str(2 ** (2 ** 2))  # Boolean functions of two inputs


NUMBERS = {
    "01_biological_neurons.ipynb": ("thermal_mV", _thermal_voltage),
    "06_artificial_neuron.ipynb": ("n_boolean", _boolean_functions),
}

# Site-only syntax that must never reach a reader as text.
RAW = ("{glue", "{cite", "{term}", "{eq}", "{numref}", "{doc}", "{eval}", ":::{", "```{", "(cite:")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> dict[str, str]:
    """A JupyterLab server over a copy of book/; yields its URL and token, then stops it."""
    tmp = tmp_path_factory.mktemp("lab")
    notebooks = tmp / "book"
    shutil.copytree(ROOT / "book", notebooks, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_SETTINGS_DIR",
                 "JUPYTERLAB_WORKSPACES_DIR", "IPYTHONDIR"):
        env[name] = str(tmp / name.lower())
    # Keep every cell in the page (no windowed rendering), so the test can read all the prose.
    settings = tmp / "jupyterlab_settings_dir" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    token, port = secrets.token_hex(16), _free_port()
    command = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--port-retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={notebooks}",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: run commands, read the model
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = open(tmp / "server.log", "w+")
    server = subprocess.Popen(command, cwd=notebooks, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                log.seek(0)
                pytest.fail(f"JupyterLab exited with {server.returncode}:\n{log.read()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"JupyterLab did not answer within 90 s:\n{log.read()[-3000:]}")
            time.sleep(0.5)
        yield {"url": url, "token": token, "log": str(tmp / "server.log")}
    finally:
        # SIGTERM lets the server shut its kernels down; then make sure nothing is left.
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        server.wait(timeout=10)
        log.close()


# JavaScript run in JupyterLab through window.jupyterapp; each function takes the notebook's
# path and finds its panel among the open documents.
_PANEL = "const panel = [...window.jupyterapp.shell.widgets('main')].find((w) => w.context && w.context.path === path);"

# A predicate (wait_for_function treats a returned Promise as true, so no async here).
_READY_JS = """
(path) => {
  if (!window.jupyterapp || !window.jupyterapp.shell) return false;
  PANEL
  if (!panel || !panel.sessionContext || !panel.sessionContext.isReady) return false;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!kernel && kernel.status === "idle";
}
"""

_RUN_ALL_JS = """
async (path) => {
  PANEL
  window.jupyterapp.shell.activateById(panel.id);
  await panel.content.fullyRendered;
  await window.jupyterapp.commands.execute("notebook:run-all-cells");
  return true;
}
"""

# Done when the kernel is idle and every code cell has an execution count.
_DONE_JS = """
(path) => {
  PANEL
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== "idle") return false;
  return panel.content.widgets.every(
    (cell) => cell.model.type !== "code" || cell.model.executionCount !== null);
}
"""

_SUMMARY_JS = """
(path) => {
  PANEL
  const cells = panel.content.widgets.filter((cell) => cell.model.type === "code");
  const errors = [];
  for (const cell of cells) {
    for (const output of cell.model.outputs.toJSON()) {
      if (output.output_type === "error") errors.push(`${output.ename}: ${output.evalue}`);
    }
  }
  return {codeCells: cells.length, errors: errors};
}
"""

# The rendered prose of every Markdown cell (jupyterlab-myst renders into .myst): its text,
# the text of its <code> elements (an {eval} without a value shows its name as code) and
# the number of inline expressions that raised.
_PROSE_JS = """
(path) => {
  PANEL
  return panel.content.widgets.filter((cell) => cell.model.type === "markdown").map((cell) => {
    const myst = cell.node.querySelector(".myst");
    return {
      rendered: !!myst,
      text: myst ? myst.textContent : "",
      codes: myst ? [...myst.querySelectorAll("code")].map((e) => e.textContent) : [],
      errors: myst ? myst.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]').length : 0,
    };
  });
}
"""

# Whether the code cells that the notebook marks as collapsed (solutions) start collapsed.
_COLLAPSED_JS = """
(path) => {
  PANEL
  return panel.content.widgets
    .filter((cell) => cell.model.type === "code" && (cell.model.getMetadata("jupyter") || {}).source_hidden)
    .map((cell) => cell.inputHidden);
}
"""

_READY_JS, _RUN_ALL_JS, _DONE_JS, _SUMMARY_JS, _PROSE_JS, _COLLAPSED_JS = (
    js.replace("PANEL", _PANEL)
    for js in (_READY_JS, _RUN_ALL_JS, _DONE_JS, _SUMMARY_JS, _PROSE_JS, _COLLAPSED_JS))


def _open_folded(locator, notebook: str, kind: str) -> None:
    """The first folded block of a kind is closed, and opens when its summary is clicked.

    jupyterlab-myst re-renders cells when late kernel replies arrive, which can detach an
    element between two steps: then the check is repeated on the fresh element.
    """
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(3):
        try:
            details = locator.first
            details.scroll_into_view_if_needed(timeout=30_000)
            body = details.locator(".details-body").first
            assert body.count() == 1 and not body.is_visible(), f"{notebook}: the first {kind} is open before a click"
            details.locator("summary").first.click()
            body.wait_for(state="visible", timeout=10_000)
            return
        except PlaywrightError:
            if attempt == 2:
                raise


def _check_reads_like_the_site(page, notebook: str) -> None:
    """The prose is rendered MyST: no site-only syntax, numbers evaluated, answers folded."""
    source = json.loads((ROOT / "book" / notebook).read_text())
    markdown = "".join("".join(c["source"]) for c in source["cells"] if c["cell_type"] == "markdown")
    names = set(re.findall(r"\{eval\}`(\w+)`", markdown))
    name, expected = NUMBERS[notebook]
    assert name in names, f"{notebook} no longer shows {{eval}}`{name}`: pick another number for this test"

    # jupyterlab-myst asks the kernel for the values after the cells have run: give it time.
    deadline = time.monotonic() + 60
    while True:
        prose = page.evaluate(_PROSE_JS, notebook)
        waiting = {code for cell in prose for code in cell["codes"]} & names
        if not waiting or time.monotonic() > deadline:
            break
        page.wait_for_timeout(500)
    assert prose and all(cell["rendered"] for cell in prose), f"{notebook}: some Markdown cells are not rendered"
    text = "\n".join(cell["text"] for cell in prose)
    raw = [marker for marker in RAW if marker in text]
    assert not raw, f"{notebook}: site-only syntax visible in JupyterLab: {raw}"
    unevaluated = sorted({code for cell in prose for code in cell["codes"]} & names)
    assert not unevaluated, f"{notebook}: inline expressions shown without a value: {unevaluated}"
    assert not any(cell["errors"] for cell in prose), f"{notebook}: an inline expression raised"
    assert expected() in text, f"{notebook}: the computed {name} = {expected()} is not in the prose"

    collapsed = page.evaluate(_COLLAPSED_JS, notebook)
    assert collapsed and all(collapsed), f"{notebook}: solution code is not collapsed ({collapsed})"

    # A solution's text is folded until the reader opens it; so is a hint.
    for kind, locator in [
        ("solution", page.locator(".jp-MarkdownCell .myst details.myst-exercise").filter(has_text="Solution", visible=True)),
        ("hint", page.locator(".jp-MarkdownCell .myst details.myst-admonition-hint").filter(visible=True)),
    ]:
        _open_folded(locator, notebook, kind)


# --- accessibility of the widget (issue 19) ------------------------------------------------
# Roles of the parts of a control that a student reaches with the keyboard or a screen reader.
CONTROL_ROLES = ("slider", "textbox", "spinbutton", "combobox", "listbox", "checkbox", "button", "radio")
AXE_FAILING_IMPACTS = ("serious", "critical")
_A11Y_MARK = "data-a11y-check"

# One line of Playwright's ARIA snapshot: ``- slider "w1"``, ``- 'img "a: b"'``, ``- textbox``.
_SNAPSHOT_LINE = re.compile(r"""^\s*- '?(?P<role>[a-z]+)(?: "(?P<name>(?:[^"\\]|\\.)*)")?""")

# A widget as every chapter showed it before issue 19: the same controls and figure, built
# without WidgetApp.ui's names (a bare slider, a PNG output). The checks must fail on it.
UNNAMED_WIDGET = """
import ipywidgets
from IPython.display import Image, display
from neurolib.widgets import hyperplane_explorer
_bare = hyperplane_explorer()
_out = ipywidgets.Output()
with _out:
    display(Image(_bare.render()))
ipywidgets.VBox([ipywidgets.HBox([ipywidgets.FloatSlider(description="w1", min=-3, max=3)]), _out])
"""

# Appends a code cell with the given source at the end of the notebook and runs it.
_RUN_NEW_CELL_JS = """
async ([path, source]) => {
  PANEL
  const notebook = panel.content;
  window.jupyterapp.shell.activateById(panel.id);
  notebook.activeCellIndex = notebook.widgets.length - 1;
  await window.jupyterapp.commands.execute("notebook:insert-cell-below");
  notebook.activeCell.model.sharedModel.setSource(source);
  await window.jupyterapp.commands.execute("notebook:run-cell");
  return true;
}
""".replace("PANEL", _PANEL)


def _a11y_problems(page, box) -> list[str]:
    """What a screen-reader user would miss in the widget ``box`` (a located ``.widget-vbox``).

    Every part of a control with a role in :data:`CONTROL_ROLES` must have an accessible name
    (Playwright's ARIA snapshot computes it as Chromium's accessibility tree would), each
    slider the name its label shows, and axe-core must find no serious or critical violation
    in the cell output that holds the widget. axe runs on that output only: JupyterLab's own
    interface around it (its toolbar, the CodeMirror editors) has findings we cannot fix.
    """
    from axe_playwright_python.sync_playwright import Axe

    problems = []
    named: dict[str, list[str]] = {}
    for line in box.aria_snapshot().splitlines():
        match = _SNAPSHOT_LINE.match(line)
        if match and match["role"] in CONTROL_ROLES:
            name = (match["name"] or "").strip()
            named.setdefault(match["role"], []).append(name)
            if not name:
                problems.append(f"a {match['role']} without an accessible name: {line.strip()}")
    labels = [text.strip() for text in box.locator(".widget-slider > .widget-label").all_inner_texts()]
    if not labels:
        problems.append("no slider in the widget")
    elif named.get("slider") != labels:
        problems.append(f"slider names {named.get('slider')} are not their labels {labels}")

    box.evaluate(f"(box) => box.closest('.jp-OutputArea-output').setAttribute('{_A11Y_MARK}', '')")
    try:
        response = Axe().run(box.page, context={"include": [[f"[{_A11Y_MARK}]"]]},
                             options={"resultTypes": ["violations"]}).response
    finally:
        box.evaluate(f"(box) => box.closest('.jp-OutputArea-output').removeAttribute('{_A11Y_MARK}')")
    for violation in response["violations"]:
        if violation["impact"] in AXE_FAILING_IMPACTS:
            targets = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:3])
            problems.append(f"axe {violation['id']} ({violation['impact']}, {len(violation['nodes'])} "
                            f"elements: {targets}): {violation['help']}")
    return problems


def _check_unnamed_widget_fails(page, notebook: str) -> None:
    """Negative control: the checks of :func:`_a11y_problems` find a widget built without
    WidgetApp.ui's names (:data:`UNNAMED_WIDGET`) wanting, in the same JupyterLab."""
    page.evaluate(_RUN_NEW_CELL_JS, [notebook, UNNAMED_WIDGET])
    box = page.locator(".jp-Notebook .jp-Cell").last.locator(".widget-vbox").filter(
        has=page.locator(".widget-output img")).first
    box.wait_for(state="visible", timeout=60_000)
    box.scroll_into_view_if_needed()
    problems = "\n".join(_a11y_problems(page, box))
    for expected in ("a slider without an accessible name", "axe aria-input-field-name", "axe image-alt"):
        assert expected in problems, f"the check misses {expected!r} on a widget without names:\n{problems}"


@pytest.mark.browser
@pytest.mark.parametrize("notebook", list(CHAPTERS), ids=[n.split("_")[0] for n in CHAPTERS])
def test_run_chapter_and_move_a_slider(chromium, lab, notebook):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chrome = browser.launch(pw, chromium)
        context = chrome.new_context(viewport={"width": 1400, "height": 1000})
        remote: list[str] = []
        browser.block_remote_requests(context, remote)
        page = context.new_page()
        uncaught: list[str] = []
        page.on("pageerror", lambda error: uncaught.append(str(error)))
        try:
            page.goto(f"{lab['url']}/lab/tree/{notebook}?token={lab['token']}", timeout=90_000)
            page.wait_for_function(_READY_JS, arg=notebook, timeout=90_000, polling=500)
            page.evaluate(_RUN_ALL_JS, notebook)
            page.wait_for_function(_DONE_JS, arg=notebook, timeout=RUN_TIMEOUT_MS, polling=500)
            summary = page.evaluate(_SUMMARY_JS, notebook)
            assert summary["codeCells"] > 0
            assert not summary["errors"], f"{notebook}: cells raised in JupyterLab:\n" + "\n".join(summary["errors"])
            _check_reads_like_the_site(page, notebook)

            # The chapter's widget: controls above an Output widget holding the figure.
            box = page.locator(".widget-vbox").filter(has=page.locator(".widget-slider")).filter(
                has=page.locator("img")).first
            box.scroll_into_view_if_needed(timeout=30_000)
            figure = box.locator(".widget-output img").first
            figure.wait_for(state="visible", timeout=30_000)
            before_src = figure.get_attribute("src")
            before_pixels = figure.screenshot()
            slider = box.locator(".widget-slider").first
            label = slider.locator(".widget-label").first.inner_text()
            assert label == CHAPTERS[notebook], f"{notebook}: expected the slider {CHAPTERS[notebook]!r}, found {label!r}"
            readout = slider.locator(".widget-readout").first
            before_value = readout.inner_text()

            # Drag the slider's handle to the right, as a student would.
            handle = slider.locator(".noUi-handle").first
            handle.scroll_into_view_if_needed()
            area = handle.bounding_box()
            assert area is not None, "the slider handle is not on screen"
            x, y = area["x"] + area["width"] / 2, area["y"] + area["height"] / 2
            page.mouse.move(x, y)
            page.mouse.down()
            page.mouse.move(x + 60, y, steps=6)
            page.mouse.up()

            try:
                page.wait_for_function(
                    "([box, before]) => { const img = box.querySelector('.widget-output img');"
                    " return !!img && img.complete && img.naturalWidth > 0 && img.src !== before; }",
                    arg=[box.element_handle(), before_src],
                    timeout=30_000,
                    polling=100,
                )
            except PlaywrightTimeout:
                pytest.fail(f"{notebook}: the figure was not redrawn within 30 s of moving the slider "
                            f"(readout {before_value!r} -> {readout.inner_text()!r})")
            after_value = readout.inner_text()
            assert after_value != before_value, f"the slider readout stayed at {before_value}"
            page.wait_for_timeout(500)  # let the last update of the drag land
            after_pixels = box.locator(".widget-output img").first.screenshot()
            assert after_pixels != before_pixels, "the figure looks the same after moving the slider"

            # Every control is named after its label and axe finds nothing serious, after a redraw.
            problems = _a11y_problems(page, box)
            assert not problems, f"{notebook}: the widget's controls are not accessible:\n" + "\n".join(problems)
            if notebook == NEGATIVE_CONTROL:
                _check_unnamed_widget_fails(page, notebook)
            assert not uncaught, "uncaught errors in JupyterLab:\n" + "\n".join(uncaught)
            assert not remote, "JupyterLab tried to reach other hosts:\n" + "\n".join(remote)
        except Exception:
            Path(lab["log"]).with_name(f"{notebook}.png").write_bytes(page.screenshot(full_page=True))
            raise
        finally:
            context.close()
            chrome.close()
