"""The site's explorable figures (issue 20): build-time cost and bytes per chapter.

For every chapter whose notebook calls a widget factory, the states that
``book/_ext/explorable.py`` draws during the site build are drawn into a temporary folder,
exactly as the build does (widget's own ``update`` + ``render_full``, 256-colour PNG): one
row per chapter with the time to draw them all (widget construction included) and, in the
note, the number of states and their bytes against the 1.5 MB budget per chapter (what a
reader downloads once every state has been loaded).
"""

from __future__ import annotations

import importlib.util
import json
import tempfile
import time
from pathlib import Path

from _harness import Row

ROOT = Path(__file__).resolve().parents[1]
BUDGET_BYTES = 1_500_000


def _extension():
    spec = importlib.util.spec_from_file_location("explorable_ext", ROOT / "book" / "_ext" / "explorable.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run() -> list[Row]:
    ext = _extension()
    rows = []
    for path in sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb")):
        calls = []
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code" and cell["metadata"].get("explorable") is not False:
                call = ext.widget_call("".join(cell["source"]))
                if call is not None and "skip-execution" not in cell["metadata"].get("tags", []):
                    calls.append(call)
        if not calls:
            continue
        n_states = n_bytes = 0
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            for number, (factory, kwargs) in enumerate(calls):
                manifest = ext.draw_states(factory, kwargs, Path(tmp) / f"{factory}-{number}")
                n_states += len(manifest["states"])
                n_bytes += manifest["bytes"]
            seconds = time.perf_counter() - start
        verdict = "within" if n_bytes <= BUDGET_BYTES else "OVER"
        names = ", ".join(factory for factory, _ in calls)
        rows.append(Row(
            f"explorable {path.stem}", [seconds],
            note=f"{names}: {n_states} states, {n_bytes / 1e6:.2f} MB, {verdict} the {BUDGET_BYTES / 1e6:g} MB budget",
        ))
    return rows


if __name__ == "__main__":
    for row in run():
        print(row.line(), flush=True)
