"""The package's layout: one room per chapter, light model modules, short functions.

A chapter's model is ``neurolib/<topic>.py``, its widget ``neurolib/widgets/<topic>.py`` and
its exercise checks ``neurolib/exercises/<topic>.py`` (issue 15); the model modules import
neither matplotlib nor ipywidgets, and every name the book and the tests use from
``widgets`` and ``exercises`` is still there.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import pytest

from conftest import ROOT

PACKAGE = ROOT / "neurolib"
#: Modules that are not a chapter's model.
NOT_MODELS = {"__init__", "_checks", "plotting"}
MODELS = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem not in NOT_MODELS)
ROOMS = ("widgets", "exercises")
MAX_FUNCTION_LINES = 60


def test_the_model_modules_are_found():
    assert {"hh", "lif", "membrane", "spikes", "deep"} <= set(MODELS)
    assert not (PACKAGE / "widgets.py").exists() and not (PACKAGE / "exercises.py").exists()


@pytest.mark.parametrize("module", MODELS)
def test_model_module_imports_neither_matplotlib_nor_ipywidgets(module):
    code = (
        f"import sys, neurolib.{module}\n"
        "heavy = sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"importing neurolib.{module} imports {done.stdout.strip()}"


def test_the_check_above_can_fail():
    """The subprocess probe does see matplotlib when a module imports it."""
    code = "import sys, neurolib.widgets\nprint('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.stdout.split()[0] == "True", done.stderr


@pytest.mark.parametrize("room", ROOMS)
def test_every_chapter_module_is_named_after_a_model_module(room):
    modules = sorted(p.stem for p in (PACKAGE / room).glob("*.py") if p.stem not in ("__init__", "base"))
    assert modules, f"neurolib/{room}/ has no chapter module"
    strays = [m for m in modules if m not in MODELS]
    assert not strays, f"neurolib/{room}/{strays[0]}.py has no model module neurolib/{strays[0]}.py"


@pytest.mark.parametrize("room", ROOMS)
def test_the_package_reexports_every_public_name_of_its_modules(room):
    import importlib

    package = importlib.import_module(f"neurolib.{room}")
    files = sorted(p.stem for p in (PACKAGE / room).glob("*.py") if p.stem != "__init__")
    assert sorted(m.__name__.rsplit(".", 1)[-1] for m in package.MODULES) == files  # none forgotten
    for module in package.MODULES:
        for name in module.__all__:
            assert getattr(package, name) is getattr(module, name), f"{room}.{name}"
            assert name in package.__all__


def _names_used(room: str) -> set[str]:
    """Names used as ``widgets.<name>`` or ``exercises.<name>`` (``ex.<name>``) in the book, tests, benchmarks."""
    aliases = {"widgets": r"widgets", "exercises": r"(?:exercises|ex)"}[room]
    pattern = re.compile(rf"\b{aliases}\.([A-Za-z_][A-Za-z_0-9]*)")
    used = set()
    #: tests that write made-up chapters (scaffolded or synthetic notebooks) name made-up checks
    synthetic = {"test_instructors.py", "test_student.py", "test_layout.py"}
    paths = [*ROOT.glob("book/*.ipynb"), *ROOT.glob("tests/test_*.py"), *ROOT.glob("benchmarks/*.py")]
    for path in paths:
        if path.name in synthetic:
            continue
        text = path.read_text()
        if room == "exercises" and "exercises as ex" not in text:
            text = re.sub(r"\bex\.", "", text)  # ``ex`` is something else there
        used |= set(pattern.findall(text))
    return used


@pytest.mark.parametrize("room", ROOMS)
def test_every_name_the_book_and_tests_use_still_exists(room):
    import importlib

    package = importlib.import_module(f"neurolib.{room}")
    used = _names_used(room) - {"py", "html", "every", "filter", "length"}  # file names, JavaScript in test_lab.py
    assert len(used) >= (10 if room == "widgets" else 30)
    missing = sorted(name for name in used if not hasattr(package, name))
    assert not missing, f"neurolib.{room} lacks {missing}"


def _long_functions(source: str, label: str) -> list[str]:
    return [
        f"{label}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]


@pytest.mark.parametrize("room", ROOMS)
def test_no_function_of_the_widgets_or_exercises_is_over_long(room):
    paths = sorted((PACKAGE / room).glob("*.py"))
    long = [f for path in paths for f in _long_functions(path.read_text(), str(path.relative_to(ROOT)))]
    assert not long, "split these functions:\n" + "\n".join(long)


def test_the_length_rule_can_fail():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    assert _long_functions(f"def too_long():\n{body}\n", "probe") == [f"probe:1 too_long ({MAX_FUNCTION_LINES + 1} lines)"]
    assert _long_functions("def short():\n    return 1\n", "probe") == []
