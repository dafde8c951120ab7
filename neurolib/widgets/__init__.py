"""The interactive figures of the book: one module per chapter topic.

A chapter's widget lives in the module named after the chapter's model module, so a reader
goes from ``neurolib/hh.py`` to ``neurolib/widgets/hh.py`` (and its exercise checks are in
``neurolib/exercises/hh.py``). What every widget shares — :class:`WidgetApp`, the registry
:data:`WIDGETS` and :func:`register` — is in :mod:`neurolib.widgets.base`.

Every public name of every module is re-exported here, so a notebook writes::

    from neurolib import widgets
    app = widgets.hh_explorer()   # figure at default settings
    app.ui                        # sliders + live figure (in Jupyter)
"""

from __future__ import annotations

from types import ModuleType

from .base import *  # noqa: F401,F403
from .membrane import *  # noqa: F401,F403  (chapter 01)
from .spikes import *  # noqa: F401,F403  (chapter 01)
from .hh import *  # noqa: F401,F403  (chapter 02)
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
