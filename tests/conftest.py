"""Shared test set-up: a non-interactive matplotlib backend and the repository root."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import matplotlib
import pytest
from hypothesis import settings

# Property-based tests draw the same examples on every run (derandomize), so a result does
# not depend on the run, and get no per-example deadline: CI's two cores are often busy.
# HYPOTHESIS_PROFILE=explore draws new random examples, for looking for new failures.
settings.register_profile("book", derandomize=True, deadline=None)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "book"))

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
# tools/ holds helpers shared with the make targets (browser.py: headless Chromium).
sys.path.insert(0, str(ROOT / "tools"))


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return ROOT


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of Debian's chromium for the browser tests (driven by Playwright).

    Missing locally: the test is skipped with a reason. Missing in CI (CI set): a failure,
    since `.ci/run` installs it.
    """
    import browser

    path = browser.chromium_executable()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing in CI: .ci/run should have installed Debian's chromium")
        pytest.skip("Chromium not installed (apt-get install chromium); skipping the browser tests")
    return path
