"""Check functions for the exercises: one module per chapter topic.

A chapter's checks live in the module named after the chapter's model module, so a reader
goes from ``neurolib/hh.py`` to ``neurolib/exercises/hh.py`` (and its widget is in
``neurolib/widgets/hh.py``). What every check shares — :func:`report`,
:func:`check_function`, :func:`check_array`, the handling of unanswered exercises — is in
:mod:`neurolib.exercises.base`.

Every public name of every module (checks and the exercises' constants) is re-exported
here, so a notebook writes ``exercises.check_hh_alpha_m(my_alpha_m)``.
"""

from __future__ import annotations

from types import ModuleType

from .base import *  # noqa: F401,F403
from .base import _number, _unanswered  # noqa: F401  (used by chapter modules and tests)
from .membrane import *  # noqa: F401,F403  (chapter 01)
from .spikes import *  # noqa: F401,F403  (chapter 01)
from .hh import *  # noqa: F401,F403  (chapter 02)
from .hh import _hh_refractory_answer  # noqa: F401  (the tests compare with it)
from .lif import *  # noqa: F401,F403  (chapter 03)
from .spiking import *  # noqa: F401,F403  (chapter 04)
from .rate import *  # noqa: F401,F403  (chapter 05)
from .neuron import *  # noqa: F401,F403  (chapter 06)
from .activations import *  # noqa: F401,F403  (chapter 07)
from .dense import *  # noqa: F401,F403  (chapter 08)
from .deep import *  # noqa: F401,F403  (chapter 09)
from .surrogate import *  # noqa: F401,F403  (chapter 10)
# tools/new_chapter.py adds one import line per new chapter above this comment.

#: The chapter modules of this package, in the order they are imported (base first).
MODULES: tuple[ModuleType, ...] = tuple(
    module for module in list(globals().values())
    if isinstance(module, ModuleType) and module.__name__.startswith(__name__ + ".")
)

__all__ = [name for module in MODULES for name in module.__all__] + ["MODULES"]
