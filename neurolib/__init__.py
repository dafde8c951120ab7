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
* :mod:`neurolib.widgets` — the interactive figures of every chapter
* :mod:`neurolib.exercises` — check functions for the exercises
* :mod:`neurolib.plotting` — the book's figure style

Chapters import the modules they use, e.g. ``from neurolib import activations as act``.
"""

__version__ = "0.1.0"

from . import activations, deep, dense, exercises, hh, lif, membrane, neuron, plotting, rate, spikes, spiking, widgets  # noqa: E402,F401

__all__ = ["activations", "deep", "dense", "exercises", "hh", "lif", "membrane", "neuron", "spikes", "spiking", "plotting", "rate", "widgets", "__version__"]
