"""neurolib: the tested code behind the book *From Spikes to Gradients*.

One module per idea, in the order of the book:

* :mod:`neurolib.activations` — activation functions and their derivatives (chapter 07)
* :mod:`neurolib.widgets` — the interactive figures of every chapter
* :mod:`neurolib.exercises` — check functions for the exercises
* :mod:`neurolib.plotting` — the book's figure style

Chapters import the modules they use, e.g. ``from neurolib import activations as act``.
"""

__version__ = "0.1.0"

from . import activations, exercises, plotting, widgets  # noqa: E402,F401

__all__ = ["activations", "exercises", "plotting", "widgets", "__version__"]
