"""neurolib: the tested code behind the book *From Spikes to Gradients*.

One module per idea, in the order of the book:

* :mod:`neurolib.membrane` — Nernst and Goldman–Hodgkin–Katz potentials (chapter 01)
* :mod:`neurolib.spikes` — spike trains, rate estimates, ISIs, a population code (chapter 01)
* :mod:`neurolib.hh` — the Hodgkin–Huxley model (chapter 02)
* :mod:`neurolib.lif` — the leaky integrate-and-fire neuron (chapter 03)
* :mod:`neurolib.spiking` — Izhikevich and AdEx neurons, spike-train descriptors (chapter 04)
* :mod:`neurolib.rate` — rate-coded neurons and recurrent (reservoir) networks (chapter 05)
* :mod:`neurolib.neuron` — McCulloch–Pitts units, hyperplanes, linear/logistic learning (chapter 06)
* :mod:`neurolib.activations` — activation functions and their derivatives (chapter 07)
* :mod:`neurolib.dense` — dense-layer gradients, losses, gradient check, a tiny MLP (chapter 08)
* :mod:`neurolib.deep` — vanishing gradients in deep networks and five remedies (chapter 09)
* :mod:`neurolib.surrogate` — spiking networks trained with surrogate gradients (chapter 10)

Each chapter's interactive figure and exercise checks sit in modules named after its model
module, so ``neurolib/hh.py`` goes with ``neurolib/widgets/hh.py`` and
``neurolib/exercises/hh.py``:

* :mod:`neurolib.widgets` — the interactive figures (shared machinery in
  :mod:`neurolib.widgets.base`, one module per chapter topic)
* :mod:`neurolib.exercises` — the exercises' check functions (shared helpers in
  :mod:`neurolib.exercises.base`, one module per chapter topic)
* :mod:`neurolib.plotting` — the book's figure style

The model modules import neither matplotlib nor ipywidgets; :mod:`neurolib.widgets` and
:mod:`neurolib.plotting` (which do) are imported when first used. Chapters import the
modules they use, e.g. ``from neurolib import activations as act``.
"""

__version__ = "0.1.0"

import importlib
from typing import Any

from . import activations, deep, dense, exercises, hh, lif, membrane, neuron, rate, spikes, spiking, surrogate  # noqa: E402,F401

#: Submodules that import matplotlib or ipywidgets: loaded on first use, so that importing a
#: model module (``import neurolib.hh``) stays free of them.
_LAZY = ("plotting", "widgets")


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["activations", "deep", "dense", "exercises", "hh", "lif", "membrane", "neuron", "spikes", "spiking", "surrogate", "plotting", "rate", "widgets", "__version__"]
