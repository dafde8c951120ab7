"""Run every benchmark (``make bench``): one line per widget and per simulation benchmark.

Each ``benchmarks/bench_*.py`` module defines ``run() -> list[_harness.Row]``. This is a
benchmark, not a test: it reports, and exits 0 even when a budget is exceeded (the line
says OVER BUDGET). Set ``BENCH_STRICT=1`` to exit 1 in that case.
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> int:
    import numpy

    print(f"# python {platform.python_version()}, numpy {numpy.__version__}, {os.cpu_count()} cores, {platform.machine()}")
    over = 0
    for path in sorted(HERE.glob("bench_*.py")):
        module = importlib.import_module(path.stem)
        for row in module.run():
            print(row.line(), flush=True)
            over += row.ok is False
    if over:
        print(f"# {over} benchmark(s) over budget")
    return 1 if over and os.environ.get("BENCH_STRICT") else 0


if __name__ == "__main__":
    raise SystemExit(main())
