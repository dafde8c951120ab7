"""Tiny timing harness shared by the benchmark modules (no third-party dependency).

A benchmark module ``benchmarks/bench_<topic>.py`` defines ``run() -> list[Row]``;
``benchmarks/run.py`` calls every such module and prints one line per row.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Row:
    """One benchmark line: a name, the measured times (s) and an optional budget (s)."""

    name: str
    times: list[float]
    budget: float | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def ok(self) -> bool | None:
        return None if self.budget is None else self.p95 <= self.budget

    def line(self) -> str:
        verdict = "" if self.budget is None else ("  OK" if self.ok else "  OVER BUDGET")
        budget = "" if self.budget is None else f"  budget {self.budget * 1e3:7.1f} ms"
        note = f"  ({self.note})" if self.note else ""
        return (
            f"{self.name:<42} median {self.median * 1e3:8.1f} ms  p95 {self.p95 * 1e3:8.1f} ms"
            f"  n={len(self.times):<3}{budget}{verdict}{note}"
        )


def measure(fn: Callable[[], object], repeats: int = 5, warmup: int = 1) -> list[float]:
    """Call ``fn`` ``warmup`` times untimed, then ``repeats`` times; return seconds per call."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times
