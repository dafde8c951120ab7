"""The API contract: every public callable answers every input clearly (issue 18).

The test walks ``__all__`` of every covered :mod:`neurolib` module (functions, the
constructors of classes and their public methods) with :func:`inspect.signature`. Each
argument in turn gets bad values (NaN, ±inf, 0, negative, huge, wrong type, wrong shape,
unknown name, wrong object) while the others keep the valid examples of :data:`EXAMPLES`,
and the call must

* return, or raise only :class:`ValueError`/:class:`TypeError` (or a documented domain
  error, :data:`DOMAIN_ERRORS`) whose message names the argument;
* return no NaN (and no inf, outside :data:`MAY_RETURN_INF`) when it returns;
* stay under a memory budget (``tracemalloc`` peak), with the library's own budget
  lowered to :data:`LIBRARY_BUDGET` so that "huge" sizes must be refused up front;
* finish within :data:`TIMEOUT` seconds (a SIGALRM hang guard, not a timing test).

A new public function is covered automatically: if one of its arguments has neither a
default nor an entry in :data:`EXAMPLES`, ``test_every_parameter_has_an_example`` fails
and says which entry to add.

Two modules have a contract of their own, walked in the last two sections of this file
(:data:`EXCLUDED_MODULES` says which):

* :mod:`neurolib.widgets`: every factory of :data:`neurolib.widgets.WIDGETS` and
  ``WidgetApp.update`` answer a bad value with a ValueError/TypeError naming the parameter
  (values outside the sliders' ranges included) and leave the widget as it was;
* :mod:`neurolib.exercises`: every public ``check_*`` answers ANY answer (None, NaN, a word,
  a wrong shape, a function that raises or returns garbage) with a printed verdict and
  None, False or True, never an exception.
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import math
import signal
import tracemalloc
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import neurolib
from neurolib import (
    _checks,
    deep,
    exercises,
    dense,
    hh,
    lif,
    membrane,
    plotting,
    rate,
    spikes,
    spiking,
    surrogate,
)

#: Modules of ``neurolib.__all__`` not walked by the generic tests, with the reason; both
#: are walked by the sections of their own at the end of this file.
EXCLUDED_MODULES = {
    "widgets": "interactive figures: their factories and update() refuse values outside the "
               "sliders' ranges (section 'widgets' below)",
    "exercises": "a different contract: a check answers any answer with a verdict, never an "
                 "exception (section 'exercises' below)",
}
#: Every module of ``neurolib.__all__`` (a new module is covered without anyone remembering).
MODULES = [getattr(neurolib, name) for name in neurolib.__all__
           if inspect.ismodule(getattr(neurolib, name)) and name not in EXCLUDED_MODULES]

#: Seconds a single call may take before it counts as a hang.
TIMEOUT = 5
#: The library's memory budget during the test (bytes): any larger request must be refused.
LIBRARY_BUDGET = 16 * 2**20
#: Largest number of time steps the library may run during the test.
LIBRARY_MAX_STEPS = 200_000
#: Peak of traced allocations a call may reach (bytes): the library budget with headroom
#: for a few arrays of that size.
PEAK_BUDGET = 8 * LIBRARY_BUDGET

#: Exceptions that are part of the documented behaviour, besides ValueError/TypeError.
#: FloatingPointError covers hh.SimulationBlowUp and the documented divergence of training
#: (neuron.train_linear, dense.train) at too large a learning rate.
DOMAIN_ERRORS: tuple[type[BaseException], ...] = (FloatingPointError, spiking.SimulationBlowUp)

#: Callables whose outputs may legitimately hold inf for finite input (documented:
#: an input that never reaches threshold has an infinite interval).
MAY_RETURN_INF = {
    "lif.time_to_threshold",
    "lif.isi",
    "lif.rate_error_bound",
    "lif.input_for_rate",
    "spiking.describe",
    "spiking.SpikingResult.describe",
    "spiking.adaptation_index",
    "deep.logistic_second_derivative",
    "activations.get_activation",  # output_range of relu is (0, inf)
    "activations.log_softmax",  # log 0 = -inf for a probability that underflows
    "neuron.batch_epochs_to_converge",  # inf: did not converge (documented)
}

#: Callables whose outputs may hold NaN for finite input: documented as marking a
#: statistic that is undefined for the given train (e.g. the latency of a silent train).
MAY_RETURN_NAN = {"spiking.describe", "spiking.SpikingResult.describe",
                  "spiking.cv", "spiking.adaptation_index"}  # NaN for fewer than two intervals

#: Classes that are only *returned* by the library (records of results): their
#: constructors are not fuzzed, their public methods are (on an instance from
#: :data:`INSTANCES`).
RESULT_CLASSES = {
    "activations.Activation", "deep.CurvatureExtremes", "deep.RemedyResult", "deep.Remedy",
    "dense.LayerGradients", "dense.Loss", "dense.GradientCheck", "dense.Moons",
    "dense.TrainingHistory", "hh.RestingState", "hh.HHResult", "hh.SimulationBlowUp",
    "lif.LIFResult", "lif.TuningCurve", "neuron.SeparabilityResult", "neuron.LearningTrace",
    "neuron.LogisticDerivatives", "neuron.PerceptronResult", "neuron.PoissonSpikes",
    "rate.RateResult", "rate.ReservoirResult", "rate.DelayTask", "rate.Readout",
    "rate.ReadoutEvaluation", "spikes.RateEstimate", "spikes.LesionResult",
    "spiking.SpikingResult", "spiking.SpikeTrainStats", "spiking.SimulationBlowUp", "deep.SeedRuns", "plotting.CachedRenderer",
    "surrogate.SpikeData", "surrogate.LIFGradients", "surrogate.ReadoutGradients", "surrogate.Evaluation",
    "surrogate.MoonsRun", "surrogate.Comparison", "surrogate.GradientNorms", "surrogate.SteepnessSweep",
    "surrogate.DescentCheck",
}

#: Known gaps outside the model modules (``"module.callable:param"``), expected to fail
#: (strict xfail: when one is fixed the test fails and asks for the entry to be removed).
KNOWN_GAPS: dict[str, str] = {}

#: The exercises' shared machinery, covered by the checks' own contract (section 'exercises').
EXERCISE_MACHINERY = {"report", "exercise"}

#: Callables not fuzzed, with the reason.
SKIP = {
    "plotting.use_style": "no arguments; changes global matplotlib state",
    "plotting.new_figure": "passes **kwargs to matplotlib",
    "plotting.CachedRenderer.render": "renders a figure; covered by the widget tests",
    "hh.circuit_diagram": "draws on a matplotlib axes; no numeric input",
}


def _moons() -> dense.Moons:
    return dense.make_moons(20, 20, seed=0)


def _mlp() -> dense.MLP:
    return dense.MLP((2, 4, 2), seed=0)


def _deepnet() -> deep.DeepNet:
    return deep.DeepNet(2, 3, 4, seed=0)


def _spike_trains() -> spikes.SpikeTrains:
    return spikes.poisson_spike_trains(20.0, 500.0, 3, seed=0)


def _forwarded(layer: dense.Dense) -> dense.Dense:
    layer.forward(np.array([0.5, -1.0]))
    return layer


_X2 = np.array([[0.5, -1.0], [1.0, 0.2]])


def _stacked() -> Any:
    return deep.StackedNet("baseline", (0, 1), depth=3)


def _reservoir() -> rate.Reservoir:
    return rate.make_reservoir(10, 1, seed=0)


# chapter 10: a spiking net of 4 inputs (2 receptive fields per dimension), 3 hidden LIF
# neurons and 2 outputs, on 5 time steps and batches of 3
def _spike_data() -> surrogate.SpikeData:
    return surrogate.encode_moons(dense.make_moons(12, 6, seed=0), n_steps=5, n_per_dim=2)


def _snet() -> surrogate.SpikingNet:
    return surrogate.SpikingNet(4, 3, seed=0)


def _spike_input(n: int = 4) -> np.ndarray:
    return (np.random.default_rng(0).random((5, n, 3)) < 0.4).astype(float)


def _forwarded_lif() -> surrogate.LIFLayer:
    layer = surrogate.LIFLayer(np.full((3, 4), 0.8))
    layer.forward(_spike_input())
    return layer


def _forwarded_readout() -> surrogate.LeakyReadout:
    readout = surrogate.LeakyReadout(np.full((2, 3), 0.5))
    readout.forward(_spike_input(3))
    return readout


#: Valid example arguments: ``"module.callable.param"`` first, then ``"module.param"``,
#: then ``"param"``; a value that is a zero-argument function is called for a fresh
#: object each time (``lambda: ...``). Parameters with a default need no entry.
EXAMPLES: dict[str, Any] = {
    # shared names
    "z": lambda: np.array([-2.0, 0.0, 1.5]),
    "x": lambda: np.array([[0.5, -1.0], [1.0, 0.2]]),
    "X": lambda: np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]),
    "t": lambda: np.array([0.0, 1.0, 1.0, 1.0]),
    "w": lambda: np.array([1.0, 1.0]),
    "neuron.w0": lambda: np.array([0.0, 0.0]),
    "b": 0.5,
    "v": lambda: np.array([-70.0, -50.0, 0.0]),
    "dt": 0.1,
    "t_max": 20.0,
    "duration": 500.0,
    "lr": 0.1,
    "n_epochs": 5,
    "learning_rate": 0.1,
    "intervals": lambda: np.array([10.0, 12.0, 15.0, 20.0]),
    "spike_times": lambda: np.array([5.0, 15.0, 27.0, 42.0, 62.0]),
    "t_start": 0.0,
    "t_stop": 100.0,
    "labels": lambda: np.array([0, 1]),
    "name": "tanh",
    "model": _mlp,
    "data": _moons,
    "net": _deepnet,
    "trains": _spike_trains,
    "reservoir": _reservoir,
    "o": lambda: np.array([0.2, 0.8]),
    "y": lambda: np.array([0.0, 1.0]),
    "f": lambda: (lambda *a: 1.0),
    "fig": lambda: plotting.new_figure()[0],
    # activations
    "activations.get_activation.name": "relu",
    # deep
    "deep.init_std.scheme": "he",
    "deep.init_std.n_in": 10,
    "deep.init_std.n_out": 5,
    "deep.n_in": 2,
    "deep.depth": 3,
    "deep.width": 4,
    "deep.x": lambda: np.array([[0.5, -1.0], [1.0, 0.2]]),
    "deep.run_remedy.remedy": "baseline",
    "deep.run_remedy.depth": 3,
    "deep.run_remedy.width": 4,
    "deep.run_remedy.epochs": 2,
    "deep.compare_remedies.names": ("baseline", "relu"),
    "deep.compare_remedies.kwargs": {"depth": 3, "width": 4, "epochs": 2},
    "deep.preserving_std.hidden": "tanh",
    "deep.preserving_std.n_in": 10,
    "deep.Setup.name": "test",
    "deep.Setup.label": "a test setup",
    "deep.StackedNet.setup": "baseline",
    "deep.StackedNet.seeds": (0, 1),
    "deep.StackedNet.depth": 3,
    "deep.StackedNet.loss.o": lambda: _stacked().forward(_X2),
    "deep.StackedNet.loss.y": lambda: _stacked().targets(np.array([0, 1])),
    "deep.StackedNet.sgd_step.grads": lambda: _stacked().gradients(_X2, np.array([0, 1])),
    "deep.mean_sd.values": lambda: np.array([1.0, 2.0, 4.0]),
    "deep.train_seeds.setup": "baseline",
    "deep.train_seeds.seeds": (0, 1),
    "deep.train_seeds.epochs": 2,
    # dense
    "dense.Dense.W": lambda: np.array([[1.0, 0.5], [0.0, -1.0]]),
    "dense.Dense.b": lambda: np.array([0.1, 0.2]),
    "dense.Dense.forward.x": lambda: np.array([0.5, -1.0]),
    "dense.Dense.backward.delta": lambda: np.array([0.5, -1.0]),
    "dense.Dense.random.n_in": 2,
    "dense.Dense.random.n_out": 3,
    "dense.MLP.sizes": (2, 4, 2),
    "dense.MLP.targets.labels": lambda: np.array([0, 1]),
    "dense.MLP.cost.y": lambda: np.array([[1.0, 0.0], [0.0, 1.0]]),
    "dense.MLP.gradients.y": lambda: np.array([[1.0, 0.0], [0.0, 1.0]]),
    "dense.MLP.sgd_step.grads": lambda: _mlp().gradients(np.array([[0.5, -1.0], [1.0, 0.2]]),
                                                         np.array([[1.0, 0.0], [0.0, 1.0]])),
    "dense.MLP.set_state.state": lambda: _mlp().get_state(),
    "dense.get_loss.name": "squared_error",
    "dense.numerical_gradient.f": lambda: (lambda: 1.0),
    "dense.numerical_gradient.param": lambda: np.array([1.0, 2.0]),
    "dense.gradient_check.f": lambda: (lambda: 1.0),
    "dense.gradient_check.params": lambda: {"w": np.array([1.0, 2.0])},
    "dense.gradient_check.grads": lambda: {"w": np.array([0.0, 0.0])},
    "dense.relative_error.analytic": lambda: np.array([1.0, 2.0]),
    "dense.relative_error.numeric": lambda: np.array([1.0, 2.1]),
    "dense.one_hot_labels.n_classes": 2,
    "dense.probability_grid.xlim": (-1.0, 1.0),
    "dense.probability_grid.ylim": (-1.0, 1.0),
    "dense.probability_grid.n": 5,
    "dense.train.epochs": 2,
    "dense.Value.data": 2.0,
    "dense.as_values.a": lambda: np.array([1.0, 2.0]),
    "dense.values_data.a": lambda: dense.as_values(np.array([1.0, 2.0])),
    "dense.values_grad.a": lambda: dense.as_values(np.array([1.0, 2.0])),
    # hh
    "hh.get_params.params": "classic",
    "hh.gate": "n",
    "hh.jacobian.state": lambda: hh.resting_state(),
    "hh.simulate.current": 10.0,
    "hh.simulate.dt": 0.05,
    "hh.firing_rates.currents": lambda: np.array([0.0, 10.0]),
    "hh.firing_rates.t_max": 60.0,
    "hh.firing_rates.transient": 10.0,
    "hh.firing_rates.dt": 0.05,
    "hh.step_current.t": lambda: np.arange(0.0, 10.0, 0.5),
    "hh.step_current.amplitude": 5.0,
    "hh.pulse_pair_current.t": lambda: np.arange(0.0, 30.0, 0.5),
    "hh.pulse_pair_current.delays": lambda: np.array([5.0, 10.0]),
    "hh.second_spike.delays": lambda: np.array([5.0, 15.0]),
    "hh.second_spike.dt": 0.05,
    "hh.spike_times_from_trace.t": lambda: np.arange(5.0),
    "hh.spike_times_from_trace.v": lambda: np.array([-65.0, -10.0, 20.0, -70.0, -60.0]),
    "hh.find_threshold.fires": lambda: (lambda values: np.asarray(values) > 3.3),
    "hh.find_threshold.lo": 0.0,
    "hh.find_threshold.hi": 10.0,
    "hh.rhs.t": 0.0,
    "hh.rhs.y": lambda: np.array([-65.0, 0.3, 0.05, 0.6]),
    "hh.rhs.params": "classic",
    "hh.rhs.current": lambda: (lambda t: 0.0),
    "hh.hopf_current.lo": 5.0,
    # lif
    "lif.v_in": lambda: np.array([0.5, 1.5]),
    "lif.trajectory.t": lambda: np.linspace(0.0, 50.0, 11),
    "lif.trajectory.v_in": 1.5,
    "lif.input_for_rate.rate": lambda: np.array([10.0, 50.0]),
    "lif.rate_error_bound.v_in": lambda: np.array([1.5, 3.0]),
    "lif.tuning_curve.J_in": lambda: np.array([0.5, 1.5, 3.0]),
    "lif.simulate.v_in": 1.5,
    "lif.simulate_physical.J_in": 1.5,
    "lif.ornstein_uhlenbeck.n_steps": 100,
    "lif.ornstein_uhlenbeck.tau": 5.0,
    "lif.LIFParams.normalise_input.J_in": 1.5,
    "lif.LIFParams.normalise_voltage.V": -60.0,
    "lif.LIFParams.voltage.v": 0.5,
    # membrane
    "membrane.nernst.c_out": 5.0,
    "membrane.nernst.c_in": 140.0,
    "membrane.ghk_voltage_ratio.p_na": lambda: np.array([0.01, 0.1]),
    "membrane.ghk_current.v": lambda: np.array([-70.0, 0.0, 30.0]),
    # neuron
    "neuron.mp_unit.x": lambda: np.array([[0, 0], [0, 1], [1, 1]]),
    "neuron.mp_unit.threshold": 1.5,
    "neuron.truth_table.n_inputs": 2,
    "neuron.xor_network.x": lambda: np.array([[0, 0], [0, 1], [1, 0], [1, 1]]),
    "neuron.closest_point.w": lambda: np.array([1.0, 2.0]),
    "neuron.decision_line.x1": lambda: np.linspace(-1.0, 1.0, 5),
    "neuron.decision_line.w": lambda: np.array([1.0, 2.0]),
    "neuron.halfplane_polygon.xlim": (-2.0, 2.0),
    "neuron.halfplane_polygon.ylim": (-2.0, 2.0),
    "neuron.linear_error.W": lambda: np.array([0.5, 0.5]),
    "neuron.train_linear.t": lambda: np.array([0.0, 1.0, 1.0, 2.0]),
    "neuron.batch_epochs_to_converge.t": lambda: np.array([0.0, 1.0, 1.0, 2.0]),
    "neuron.batch_epochs_to_converge.lrs": lambda: np.array([0.1, 0.2]),
    "neuron.batch_epochs_to_converge.max_epochs": 200,
    "neuron.numerical_gradient.f": lambda: (lambda w: float(np.sum(np.asarray(w) ** 2))),
    "neuron.perceptron.max_epochs": 20,
    "neuron.two_clusters.n_per_class": 5,
    "neuron.two_clusters.separation": 3.0,
    "neuron.stochastic_binary.n_samples": 10,
    "neuron.ThresholdUnit.weights": (1.0, 1.0),
    "neuron.ThresholdUnit.threshold": 1.5,
    # rate
    "rate.decay_factor.tau": 10.0,
    "rate.step_response.t": lambda: np.linspace(0.0, 50.0, 11),
    "rate.get_transfer.transfer": "relu",
    "rate.simulate_neuron.inputs": lambda: np.ones(50),
    "rate.make_reservoir.n_units": 10,
    "rate.recurrent_eigenvalues.n_units": 10,
    "rate.recurrent_eigenvalues.seed": 0,
    "rate.simulate_reservoir.n_steps": 50,
    "rate.Reservoir.W_in": lambda: np.ones((3, 1)),
    "rate.Reservoir.W_rec": lambda: np.eye(3) * 0.5,
    "rate.Reservoir.with_gain.g": 1.2,
    "rate.delay_task.n_steps": 100,
    "rate.delay_task.delay": 3,
    "rate.fit_ridge.states": lambda: np.random.default_rng(0).normal(size=(50, 4)),
    "rate.fit_ridge.targets": lambda: np.random.default_rng(1).normal(size=50),
    "rate.Readout.predict.states": lambda: np.random.default_rng(0).normal(size=(5, 10)),
    "rate.nrmse.prediction": lambda: np.array([1.0, 2.0, 3.0]),
    "rate.nrmse.target": lambda: np.array([1.0, 2.5, 2.0]),
    "rate.evaluate_readout.task": lambda: rate.delay_task(300, 2, seed=0),
    "rate.evaluate_readout.n_washout": 50,
    "rate.lif_population_rate.mean_input": lambda: np.array([0.8, 1.2]),
    "rate.lif_population_rate.n_neurons": 20,
    # spikes
    "spikes.rate": 20.0,
    "spikes.n_trains": 3,
    "spikes.inhomogeneous_poisson_spike_trains.rate": lambda: (lambda t: 20.0 + 10.0 * np.sin(np.asarray(t) / 50.0)),
    "spikes.SpikeTrains.times": lambda: np.array([1.0, 5.0, 7.0]),
    "spikes.SpikeTrains.ids": lambda: np.array([0, 1, 1]),
    "spikes.SpikeTrains.n_trains": 2,
    "spikes.SpikeTrains.duration": 10.0,
    "spikes.SpikeTrains.from_list.trains": lambda: [[1.0, 5.0], [7.0]],
    "spikes.SpikeTrains.from_list.duration": 10.0,
    "spikes.SpikeTrains.train.i": 1,
    "spikes.psth.bin_width": 50.0,
    "spikes.SpikeTrains.binned_counts.bin_width": 50.0,
    "spikes.sliding_window_rate.window": 50.0,
    "spikes.cv.isis": lambda: np.array([10.0, 12.0, 15.0, 20.0]),
    "spikes.fano_factor.counts": lambda: np.array([3.0, 5.0, 4.0, 6.0]),
    "spikes.von_mises_tuning.theta": lambda: np.linspace(0.0, 6.0, 7),
    "spikes.von_mises_tuning.preferred": 1.0,
    "spikes.population_vector.counts": lambda: np.array([3.0, 5.0, 4.0, 6.0]),
    "spikes.population_vector.preferred": lambda: np.array([0.0, 1.5, 3.0, 4.5]),
    "spikes.angular_error.estimate": lambda: np.array([0.1, 3.0]),
    "spikes.angular_error.true": lambda: np.array([0.0, -3.0]),
    "spikes.lesion_experiment.fractions": lambda: np.array([0.0, 0.5]),
    "spikes.lesion_experiment.n_neurons": 16,
    "spikes.lesion_experiment.n_trials": 5,
    "spikes.lesion_experiment.n_lesions": 2,
    # spiking
    "spiking.name": "RS",
    "spiking.b": 0.2,
    "spiking.v": lambda: np.linspace(-80.0, -40.0, 5),
    "spiking.izhikevich_eigenvalues.params": lambda: spiking.izhikevich_preset("RS"),
    "spiking.adex_nullclines.params": lambda: spiking.adex_preset("tonic"),
    "spiking.adex_rheobase.params": "tonic",
    "spiking.adex_preset.name": "tonic",
    "spiking.AdExParams.preset.name": "tonic",
    "spiking.step_current.amplitude": 10.0,
    "spiking.simulate_izhikevich.params": "RS",
    "spiking.simulate_izhikevich.I": 10.0,
    "spiking.simulate_izhikevich.dt": None,
    "spiking.simulate_adex.dt": 0.05,
    "spiking.simulate_adex.params": "tonic",
    "spiking.simulate_adex.I": 500.0,
    "spiking.IzhikevichParams.a": 0.02,
    "spiking.IzhikevichParams.b": 0.2,
    "spiking.IzhikevichParams.c": -65.0,
    "spiking.IzhikevichParams.d": 8.0,
    "spiking.AdExParams.C": 200.0,
    "spiking.AdExParams.g_L": 10.0,
    "spiking.AdExParams.E_L": -70.0,
    "spiking.AdExParams.a": 2.0,
    "spiking.AdExParams.tau_w": 30.0,
    "spiking.AdExParams.b": 0.0,
    "spiking.AdExParams.V_r": -58.0,
    "spiking.describe.t_stop": 100.0,
    "spiking.firing_pattern.t_stop": 100.0,
    "spiking.cost_per_simulated_second.simulate": lambda: (lambda t_sim: None),
    "spiking.cost_per_simulated_second.t_sim": 10.0,
    "spiking.cost_per_simulated_second.repeats": 1,
    # plotting
    "plotting.png_bytes.fig": lambda: plotting.new_figure()[0],
    # surrogate (tiny sizes: every call trains or simulates in milliseconds)
    "surrogate.X": lambda: np.array([[0.0, 1.0, 2.0], [0.5, -0.5, 0.0]]),
    "surrogate.intensity": lambda: np.array([[0.2, 0.9, 0.0], [0.5, 1.0, 0.05]]),
    "surrogate.encode_moons.data": lambda: dense.make_moons(6, 4, seed=0),
    "surrogate.data": _spike_data,
    "surrogate.net": _snet,
    "surrogate.x": _spike_input,
    "surrogate.labels": lambda: np.array([0, 1, 1]),
    "surrogate.y": lambda: np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]]),
    "surrogate.n_steps": 5,
    "surrogate.n_per_dim": 2,
    "surrogate.n_in": 4,
    "surrogate.n_hidden": 3,
    "surrogate.epochs": 1,
    "surrogate.n_train": 12,
    "surrogate.n_test": 6,
    "surrogate.steepnesses": lambda: np.array([1.0, 5.0]),
    "surrogate.n_random": 3,
    "surrogate.Surrogate.name": "sigmoid",
    "surrogate.get_surrogate.name": "sigmoid",
    "surrogate.Surrogate.relaxed.x": lambda: np.array([-1.0, 0.0, 0.5]),
    "surrogate.Surrogate.derivative.x": lambda: np.array([-1.0, 0.0, 0.5]),
    "surrogate.Surrogate.with_steepness.steepness": 2.0,
    "surrogate.LIFLayer.W": lambda: np.full((3, 4), 0.8),
    "surrogate.LIFLayer.backward.dS": lambda: np.ones((5, 3, 3)),
    "surrogate.LeakyReadout.W": lambda: np.full((2, 3), 0.5),
    "surrogate.LeakyReadout.forward.S": lambda: _spike_input(3),
    "surrogate.LeakyReadout.backward.do": lambda: np.ones((2, 3)),
    "surrogate.SpikingNet.set_state.state": lambda: _snet().get_state(),
    "surrogate.Adam.params": lambda: {"w": np.zeros(3)},
    "surrogate.Adam.step.grads": lambda: {"w": np.array([1.0, -1.0, 0.5])},
    "surrogate.compare_with_mlp.seeds": (0,),
    "surrogate.compare_with_mlp.mlp_epochs": 1,
    "surrogate.compare_with_mlp.snn_options": {"epochs": 1, "n_train": 12, "n_test": 6, "n_steps": 5, "n_per_dim": 2},
    # exercises: the helpers that compute answers (each widget-backed one builds its widget)
    "exercises.regular_fano_factor.isi": 30.0,
    "exercises.regular_fano_factor.window": 100.0,
    "exercises.psth_scatter.n_neurons": 25,
    "exercises.hh_widget_spike_count.amplitude": 10.0,
    "exercises.hh_widget_spike_count.duration": 20.0,
    "exercises.hh_widget_spike_count.preset": "classic",
    "exercises.lif_widget_rate.v_in": 2.0,
    "exercises.lif_widget_rate.tau_m": 20.0,
    "exercises.lif_widget_rate.tau_ref": 2.0,
    "exercises.widget_fixed_point_count.preset": "LTS",
    "exercises.widget_fixed_point_count.I": 0.5,
    "exercises.perceptron_bound.X": lambda: np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]),
    "exercises.perceptron_bound.t": lambda: np.array([0, 1, 1, 1]),
    "exercises.perceptron_bound.w": lambda: np.array([1.0, 1.0]),
    "exercises.perceptron_bound.b": -0.5,
}

#: Instances whose public methods are fuzzed (``"module.Class"``).
INSTANCES: dict[str, Callable[[], Any]] = {
    "deep.DeepNet": _deepnet,
    "deep.StackedNet": _stacked,
    "dense.Dense": lambda: _forwarded(dense.Dense(np.array([[1.0, 0.5], [0.0, -1.0]]), np.array([0.1, 0.2]))),
    "dense.MLP": _mlp,
    "dense.Value": lambda: dense.Value(2.0) * dense.Value(3.0),
    "hh.HHParams": hh.HHParams.classic,
    "lif.LIFParams": lif.LIFParams,
    "lif.LIFResult": lambda: lif.simulate(np.array([1.5, 2.0]), 100.0),
    "membrane.IonConcentrations": membrane.IonConcentrations.mammalian,
    "rate.Reservoir": _reservoir,
    "rate.ReservoirResult": lambda: rate.simulate_reservoir(_reservoir(), n_steps=50, seed=0),
    "rate.Readout": lambda: rate.fit_ridge(np.random.default_rng(0).normal(size=(50, 10)),
                                           np.random.default_rng(1).normal(size=50)),
    "spikes.SpikeTrains": _spike_trains,
    "spiking.IzhikevichParams": lambda: spiking.izhikevich_preset("RS"),
    "spiking.AdExParams": lambda: spiking.adex_preset("tonic"),
    "spiking.SpikingResult": lambda: spiking.simulate_izhikevich("RS", 10.0, 200.0),
    "surrogate.Surrogate": lambda: surrogate.get_surrogate("triangle"),
    "surrogate.LIFLayer": _forwarded_lif,
    "surrogate.LeakyReadout": _forwarded_readout,
    "surrogate.SpikingNet": _snet,
    "surrogate.Adam": lambda: surrogate.Adam({"w": np.zeros(3)}),
}


class _Wrong:
    """An object of no expected class."""

    def __repr__(self) -> str:
        return "<wrong object>"


#: The explicit bad values every argument gets.
BAD_VALUES: list[Any] = [
    math.nan, math.inf, -math.inf, 0, 0.0, -1, -2.5, 1e12, 10**12, 1e300,
    "no-such-name", _Wrong(), np.zeros((2, 3, 4)), np.array([]), [math.nan, 1.0], (1, 2, 3),
]


# --- walking the API ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Target:
    key: str  # module.qualname
    make: Callable[[], Callable[..., Any]]  # returns the callable (bound for methods)
    signature: inspect.Signature

    def __repr__(self) -> str:
        return self.key


def _public_methods(cls: type) -> Iterator[tuple[str, Any]]:
    for name, raw in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(raw, (classmethod, staticmethod)) or inspect.isfunction(raw):
            yield name, raw


def _targets() -> list[Target]:
    out = []
    for mod in MODULES:
        short = mod.__name__.rsplit(".", 1)[1]
        for name in mod.__all__:
            obj = getattr(mod, name)
            key = f"{short}.{name}"
            if inspect.isclass(obj):
                if issubclass(obj, BaseException):
                    continue
                if key not in RESULT_CLASSES:
                    out.append(Target(key, lambda obj=obj: obj, inspect.signature(obj)))
                for mname, raw in _public_methods(obj):
                    mkey = f"{key}.{mname}"
                    if isinstance(raw, (classmethod, staticmethod)):
                        out.append(Target(mkey, lambda obj=obj, m=mname: getattr(obj, m),
                                          inspect.signature(getattr(obj, mname))))
                    else:
                        make = lambda key=key, m=mname: getattr(_instance(key), m)  # noqa: E731
                        sig = inspect.signature(raw)
                        sig = sig.replace(parameters=list(sig.parameters.values())[1:])
                        out.append(Target(mkey, make, sig))
            elif inspect.isfunction(obj):
                out.append(Target(key, lambda obj=obj: obj, inspect.signature(obj)))
    # The exercises' public helpers that compute answers (not the checks, which have a contract
    # of their own below) are ordinary functions: the generic contract applies.
    for name in exercises.__all__:
        obj = getattr(exercises, name)
        if inspect.isfunction(obj) and not name.startswith("check_") and name not in EXERCISE_MACHINERY:
            out.append(Target(f"exercises.{name}", lambda obj=obj: obj, inspect.signature(obj)))
    return [t for t in out if t.key not in SKIP]


def _instance(class_key: str) -> Any:
    if class_key not in INSTANCES:
        pytest.fail(f"add an entry {class_key!r}: <factory> to INSTANCES in tests/test_api_contract.py "
                    "so that the public methods of this class are covered")
    return INSTANCES[class_key]()


TARGETS = _targets()
_MISSING = object()


def _lookup(target: Target, param: inspect.Parameter) -> Any:
    module = target.key.split(".", 1)[0]
    for key in (f"{target.key}.{param.name}", f"{module}.{param.name}", param.name):
        if key in EXAMPLES:
            value = EXAMPLES[key]
            return value() if inspect.isfunction(value) else value
    if param.default is not inspect.Parameter.empty:
        return param.default
    return _MISSING


def _parameters(target: Target) -> list[inspect.Parameter]:
    return [p for p in target.signature.parameters.values()
            if p.kind is not inspect.Parameter.VAR_POSITIONAL and not p.name.startswith("_")]


def _call(target: Target, overrides: Mapping[str, Any]) -> Any:
    func = target.make()
    args, kwargs = [], {}
    for p in _parameters(target):
        value = overrides[p.name] if p.name in overrides else _lookup(target, p)
        if value is _MISSING:
            pytest.fail(f"{target.key}: no valid example for parameter {p.name!r}; add an entry "
                        f"'{target.key}.{p.name}': <value> to EXAMPLES in tests/test_api_contract.py")
        if p.kind is inspect.Parameter.VAR_KEYWORD:
            kwargs.update(value if isinstance(value, Mapping) else {})
        elif p.kind is inspect.Parameter.POSITIONAL_ONLY:
            args.append(value)
        else:
            kwargs[p.name] = value
    return func(*args, **kwargs)


class Hang(BaseException):
    """A call that did not finish in time (a BaseException: no ``except Exception`` swallows it)."""


@contextlib.contextmanager
def _guard(what: str) -> Iterator[None]:
    def alarm(signum: int, frame: Any) -> None:
        raise Hang(f"{what} did not finish within {TIMEOUT} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(TIMEOUT)
    tracemalloc.start()
    try:
        yield
        _, peak = tracemalloc.get_traced_memory()
        assert peak <= PEAK_BUDGET, f"{what} allocated {peak / 2**20:.0f} MiB (budget {PEAK_BUDGET / 2**20:.0f} MiB)"
    finally:
        tracemalloc.stop()
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _numbers(result: Any, depth: int = 0) -> Iterator[np.ndarray]:
    """Every numeric array or number inside a result (dataclasses, containers, Values)."""
    if depth > 4:
        return
    if isinstance(result, (bool, np.bool_, str, bytes)) or result is None:
        return
    if isinstance(result, (int, float, np.number)):
        yield np.asarray(result, dtype=float)
    elif isinstance(result, np.ndarray):
        if result.dtype.kind in "fc":
            yield result
        elif result.dtype == object and result.size <= 1000:
            for item in result.flat:
                yield from _numbers(item, depth + 1)
    elif isinstance(result, dense.Value):
        yield np.asarray([result.data, result.grad], dtype=float)
    elif dataclasses.is_dataclass(result) and not isinstance(result, type):
        for field in dataclasses.fields(result):
            yield from _numbers(getattr(result, field.name), depth + 1)
    elif isinstance(result, Mapping):
        for item in result.values():
            yield from _numbers(item, depth + 1)
    elif isinstance(result, (list, tuple)):
        for item in result[:1000]:
            yield from _numbers(item, depth + 1)


def _check_outputs(target: Target, result: Any, what: str) -> None:
    for arr in _numbers(result):
        if target.key not in MAY_RETURN_NAN:
            assert not np.isnan(arr).any(), f"{what} returned NaN"
        if target.key not in MAY_RETURN_INF | MAY_RETURN_NAN:
            assert np.isfinite(arr).all(), f"{what} returned inf (add {target.key!r} to MAY_RETURN_INF if documented)"


def _finite_input(value: Any) -> bool:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return True
    return bool(np.isfinite(arr).all())


def _probe(target: Target, name: str, value: Any) -> None:
    what = f"{target.key}({name}={value!r})"
    try:
        with _guard(what):
            result = _call(target, {name: value})
    except DOMAIN_ERRORS + (ValueError, TypeError) as exc:
        assert name in str(exc), f"{what} raised {type(exc).__name__} without naming {name!r}: {exc}"
        return
    except Hang:
        raise
    except AssertionError:
        raise
    except Exception as exc:  # noqa: BLE001 - the point of the test
        pytest.fail(f"{what} raised {type(exc).__name__} (expected ValueError/TypeError naming {name!r}): {exc}")
    if _finite_input(value):
        _check_outputs(target, result, what)


@pytest.fixture(autouse=True)
def _small_library_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_checks, "MEMORY_BUDGET", LIBRARY_BUDGET)
    monkeypatch.setattr(_checks, "MAX_STEPS", LIBRARY_MAX_STEPS)


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


# --- the tests ----------------------------------------------------------------------------


def test_every_public_callable_is_found() -> None:
    keys = {t.key for t in TARGETS}
    assert {"hh.simulate", "lif.simulate", "dense.MLP", "dense.MLP.sgd_step", "spikes.psth"} <= keys
    assert len(keys) > 150


@pytest.mark.parametrize("target", TARGETS, ids=repr)
def test_every_parameter_has_an_example_and_the_valid_call_works(target: Target) -> None:
    with _guard(f"{target.key} with the valid examples"):
        result = _call(target, {})
    _check_outputs(target, result, f"{target.key} with the valid examples")


PAIRS = [(t, p.name) for t in TARGETS for p in _parameters(t) if p.kind is not inspect.Parameter.VAR_KEYWORD]


def _mark(target: Target, name: str) -> Any:
    gap = KNOWN_GAPS.get(f"{target.key}:{name}")
    marks = [pytest.mark.xfail(reason=gap, strict=True)] if gap else []
    return pytest.param(target, name, marks=marks, id=f"{target.key}:{name}")


@pytest.mark.parametrize(("target", "name"), [_mark(t, n) for t, n in PAIRS])
def test_bad_values_get_a_clear_answer(target: Target, name: str) -> None:
    for value in BAD_VALUES:
        _probe(target, name, value)


_any_value = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.text(max_size=5),
    st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=4),
    st.sampled_from(BAD_VALUES),
)


@pytest.mark.parametrize("target", [t for t in TARGETS if _parameters(t)], ids=repr)
@settings(max_examples=12, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_values_get_a_clear_answer(target: Target, data: st.DataObject) -> None:
    names = [p.name for p in _parameters(target) if p.kind is not inspect.Parameter.VAR_KEYWORD
             and f"{target.key}:{p.name}" not in KNOWN_GAPS]
    if not names:
        return
    name = data.draw(st.sampled_from(names), label="parameter")
    value = data.draw(_any_value, label="value")
    _probe(target, name, value)


# --- widgets: the factories and WidgetApp.update ------------------------------------------
#
# A widget answers a value its controls cannot set with a ValueError/TypeError naming the
# parameter (tests/test_widgets.py checks the wording), and leaves its figure as it was.
# Building a widget costs up to a few seconds (chapter 10's and chapter 08's training runs,
# cached per class), so each is built once per test session and then fed bad values through
# ``update``; each factory gets a few bad values of its own.

from neurolib import widgets  # noqa: E402

WIDGET_NAMES = sorted(widgets.WIDGETS)
_APPS: dict[str, widgets.WidgetApp] = {}


def _app(name: str) -> widgets.WidgetApp:
    """The widget ``name`` at its defaults, built once (figures are not pyplot's: not closed)."""
    if name not in _APPS:
        _APPS[name] = widgets.WIDGETS[name]()
    return _APPS[name]


def _factory_parameters(name: str) -> list[inspect.Parameter]:
    return list(inspect.signature(widgets.WIDGETS[name]).parameters.values())


#: Parameters of a factory that are not widget parameters (options of the factory itself).
FACTORY_OPTIONS = {"dense_trainer": {"precompute"}}

WIDGET_PAIRS = [(name, p.name) for name in WIDGET_NAMES for p in _factory_parameters(name)
                if p.name not in FACTORY_OPTIONS.get(name, ())]

#: Bad values beyond :data:`BAD_VALUES` that only a widget parameter meets.
WIDGET_BAD_VALUES: list[Any] = [True, None, np.float64(math.nan), np.array([1.0]), np.int64(10**12), 1e-300]


def _probe_update(app: widgets.WidgetApp, key: str, value: Any) -> None:
    what = f"{app.name}.update({key}={value!r})"
    before = dict(app.params)
    try:
        with _guard(what):
            app.update(**{key: value})
    except (ValueError, TypeError) as exc:
        assert key in str(exc), f"{what} raised {type(exc).__name__} without naming {key!r}: {exc}"
        assert app.params == before, f"{what} was refused but changed the widget's parameters"
        return
    except Hang:
        raise
    except AssertionError:
        raise
    except Exception as exc:  # noqa: BLE001 - the point of the test
        pytest.fail(f"{what} raised {type(exc).__name__} (expected ValueError/TypeError naming {key!r}): {exc}")
    # accepted: a value the controls offer, and the figure draws
    allowed = app.allowed(app.params)
    if key in allowed:
        assert allowed[key].contains(app.params[key]), f"{what} accepted a value its controls do not offer"
    with _guard(f"{what}, then render()"):
        assert app.render()[:4] == b"\x89PNG"
    app.update(**before)


def test_every_widget_factory_takes_the_widget_parameters() -> None:
    assert len(WIDGET_NAMES) >= 10
    for name in WIDGET_NAMES:
        keys = {p.name for p in _factory_parameters(name)} - FACTORY_OPTIONS.get(name, set())
        assert keys == set(_app(name).defaults()), f"widgets.{name}: factory parameters differ from defaults()"


@pytest.mark.parametrize(("name", "key"), WIDGET_PAIRS, ids=[f"{n}:{k}" for n, k in WIDGET_PAIRS])
def test_widget_update_answers_bad_values_clearly(name: str, key: str) -> None:
    app = _app(name)
    for value in BAD_VALUES + WIDGET_BAD_VALUES:
        _probe_update(app, key, value)


@pytest.mark.parametrize("name", WIDGET_NAMES)
@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_widget_update_answers_random_values_clearly(name: str, data: st.DataObject) -> None:
    app = _app(name)
    key = data.draw(st.sampled_from(sorted(app.defaults())), label="parameter")
    _probe_update(app, key, data.draw(_any_value, label="value"))


#: The few bad values every factory argument gets (building a widget is not free).
FACTORY_BAD_VALUES: list[Any] = [math.nan, "no-such-name", _Wrong(), 10**12, None]

FACTORY_PAIRS = [(name, p.name) for name in WIDGET_NAMES for p in _factory_parameters(name)]


@pytest.mark.parametrize(("name", "key"), FACTORY_PAIRS, ids=[f"{n}:{k}" for n, k in FACTORY_PAIRS])
def test_widget_factory_answers_bad_values_clearly(name: str, key: str) -> None:
    _app(name)  # the class's cached training runs are made outside the time and memory guard
    for value in FACTORY_BAD_VALUES:
        what = f"widgets.{name}({key}={value!r})"
        try:
            with _guard(what):
                widgets.WIDGETS[name](**{key: value})
        except (ValueError, TypeError) as exc:
            assert key in str(exc), f"{what} raised {type(exc).__name__} without naming {key!r}: {exc}"
        except (Hang, AssertionError):
            raise
        except Exception as exc:  # noqa: BLE001
            pytest.fail(f"{what} raised {type(exc).__name__} (expected ValueError/TypeError naming {key!r}): {exc}")
        else:
            pytest.fail(f"{what} was accepted")


# --- exercises: every check answers ANY answer with a verdict -----------------------------
#
# A different contract: a check never raises. Whatever the student passes (the placeholder,
# NaN, a word, an array of the wrong shape, a function that raises or returns garbage) it
# prints a verdict and returns None (unanswered), False or True, so a chapter still runs
# top to bottom. A non-finite number is told so, never given a hint about its size.

import contextlib as _contextlib  # noqa: E402
import io  # noqa: E402
import re  # noqa: E402

from neurolib import exercises  # noqa: E402

#: Every public check of the book, helpers included.
CHECK_NAMES = sorted(n for n in exercises.__all__ if n.startswith("check_") and callable(getattr(exercises, n)))
#: The other (author's) arguments of the two helpers: their answer is the first argument.
HELPER_ARGS: dict[str, dict[str, Any]] = {
    "check_function": {"reference": np.tanh, "inputs": [np.array([0.0, 1.0])]},
    "check_array": {"expected": np.eye(2)},
}


def _raises(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("the student's function failed")


class _Hostile:
    """An answer whose every conversion fails with an unexpected exception."""

    def __float__(self) -> float:
        raise ZeroDivisionError("no float")

    def __array__(self, *args: Any, **kwargs: Any) -> np.ndarray:
        raise RuntimeError("no array")

    def __iter__(self) -> Iterator[Any]:
        raise RuntimeError("no iteration")

    def __len__(self) -> int:
        raise RuntimeError("no length")

    def __repr__(self) -> str:
        return "<hostile answer>"


#: Answers every check gets, besides the hypothesis-drawn ones.
BAD_ANSWERS: list[Any] = [
    None, ..., math.nan, math.inf, -math.inf, 0, -1, 1e300, True, 1j, "", "no idea", "nan",
    _Wrong(), np.zeros((2, 3, 4)), np.array([]), np.array([math.nan, 1.0]),
    [math.nan, 1.0], (1, 2, 3), {}, {"a": "b"}, {1: math.nan}, [[1, 2], [3]],
    _raises, lambda *a, **k: None, lambda *a, **k: math.nan, lambda *a, **k: "garbage",
    lambda *a, **k: _Wrong(), lambda *a, **k: np.zeros((2, 3, 4)), lambda *a, **k: [1, "x"],
    lambda *a, **k: (math.inf, math.nan), lambda *a, **k: 1j, lambda: 1.0, np.tanh, print,
]

_MAGNITUDE_HINT = re.compile(r"too (small|large|low|high|big)|is off", re.IGNORECASE)


_WARM: set[str] = set()


def _probe_check(name: str, answer: Any) -> None:
    if name not in _WARM:  # a check's first call may compute and cache its answer: not under the guard
        with _contextlib.redirect_stdout(io.StringIO()):
            getattr(exercises, name)(0.0, **HELPER_ARGS.get(name, {}))
        _WARM.add(name)
    what = f"exercises.{name}({answer!r})"
    out = io.StringIO()
    try:
        with _guard(what), _contextlib.redirect_stdout(out), np.errstate(all="ignore"):
            result = getattr(exercises, name)(answer, **HELPER_ARGS.get(name, {}))
    except (Hang, AssertionError):
        raise
    except Exception as exc:  # noqa: BLE001 - the point of the test
        pytest.fail(f"{what} raised {type(exc).__name__} instead of printing a verdict: {exc}")
    text = out.getvalue()
    assert result is None or result is True or result is False, f"{what} returned {result!r}, not None/True/False"
    assert text.strip(), f"{what} printed no verdict"
    if answer is None or answer is Ellipsis:
        assert result is None, f"{what}: an unanswered exercise must return None"
    if isinstance(answer, float) and not math.isfinite(answer) and result is False:
        assert not _MAGNITUDE_HINT.search(text), f"{what} gave a hint about the size of a non-finite number: {text}"
    if not isinstance(answer, _Hostile):  # a foreseeable answer gets a specific verdict
        assert exercises.base.UNCHECKABLE not in text, f"{what} fell through to the catch-all verdict: {text}"


def test_every_check_is_found() -> None:
    assert len(CHECK_NAMES) >= 40
    assert {"check_function", "check_array", "check_hh_alpha_m", "check_fast_sigmoid"} <= set(CHECK_NAMES)


@pytest.mark.parametrize("name", CHECK_NAMES)
def test_check_answers_listed_bad_answers_with_a_verdict(name: str) -> None:
    for answer in BAD_ANSWERS:
        _probe_check(name, answer)


@pytest.mark.parametrize("name", CHECK_NAMES)
def test_check_answers_even_a_hostile_answer_with_a_verdict(name: str) -> None:
    hostile = _Hostile()
    _probe_check(name, hostile)
    _probe_check(name, lambda *a, **k: hostile)  # a function returning it


_any_answer = st.one_of(
    _any_value,
    st.none(),
    st.booleans(),
    st.complex_numbers(),
    st.dictionaries(st.text(max_size=8), st.one_of(st.text(max_size=8), st.floats()), max_size=4),
    st.lists(st.one_of(st.integers(), st.text(max_size=3)), max_size=4),
    st.builds(lambda v: (lambda *a, **k: v), st.one_of(st.floats(), st.text(max_size=3), st.none())),
    st.builds(lambda shape: np.full(shape, 0.5), st.lists(st.integers(0, 4), max_size=3).map(tuple)),
)


@pytest.mark.parametrize("name", CHECK_NAMES)
@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(answer=_any_answer)
def test_check_answers_random_answers_with_a_verdict(name: str, answer: Any) -> None:
    _probe_check(name, answer)


# --- widgets: their other public methods -------------------------------------------------
#: Public methods of the widget classes besides update() (tested above) that take arguments,
#: with a valid example per parameter; each gets the listed bad values, one argument at a time.
#: Methods without arguments (defaults, controls, render, ...) cannot get a bad value.
def _widget_method_examples(app: widgets.WidgetApp) -> dict[str, dict[str, Any]]:
    params = dict(app.params)
    examples: dict[str, dict[str, Any]] = {
        "sample_params": {"rng": np.random.default_rng(0)},
        "explorable_grid": {"steps": 3},
        "explorable_states": {"steps": 2},
        "allowed": {"params": params},
    }
    pick = lambda *keys: {k: params[k] for k in keys}  # noqa: E731
    if app.name == "spike_train_explorer":
        examples["compute"] = {"params": params}
    elif app.name == "reservoir_explorer":
        examples["input_signal"] = {"strength": params["input_strength"]}
        examples["network"] = {"seed": params["seed"]}
    elif app.name == "dense_trainer":
        examples["run"] = pick("width", "learning_rate")
    elif app.name == "gradient_flow_explorer":
        examples["compute"] = {k: v for k, v in params.items()
                               if k in inspect.signature(app.compute).parameters}
    elif app.name == "surrogate_explorer":
        examples["compute"] = pick("surrogate", "steepness")
        examples["run"] = pick("surrogate", "steepness")
    return examples


WIDGET_METHOD_CASES = [
    (name, method, param)
    for name in WIDGET_NAMES
    for method, args in _widget_method_examples(_app(name)).items()
    for param in args
]


def test_every_widget_method_with_arguments_has_examples() -> None:
    for name in WIDGET_NAMES:
        app = _app(name)
        examples = _widget_method_examples(app)
        for method in dir(type(app)):
            if method.startswith("_") or method == "update":
                continue
            func = getattr(app, method)
            if not callable(func):
                continue
            wanted = {p for p in inspect.signature(func).parameters}
            if wanted:
                assert method in examples and set(examples[method]) == wanted, (
                    f"widgets.{name}.{method}{inspect.signature(func)}: add its example arguments to "
                    "_widget_method_examples in tests/test_api_contract.py")


@pytest.mark.parametrize(("name", "method", "param"), WIDGET_METHOD_CASES,
                         ids=[f"{n}.{m}:{p}" for n, m, p in WIDGET_METHOD_CASES])
def test_widget_methods_answer_bad_values_clearly(name: str, method: str, param: str) -> None:
    app = _app(name)
    args = _widget_method_examples(app)[method]
    before = dict(app.params)
    for value in BAD_VALUES + [None]:
        what = f"widgets.{name}.{method}({param}={value!r})"
        try:
            with _guard(what):
                getattr(app, method)(**{**args, param: value})
        except DOMAIN_ERRORS + (ValueError, TypeError) as exc:
            assert param in str(exc), f"{what} raised {type(exc).__name__} without naming {param!r}: {exc}"
        except Hang:
            raise
        except Exception as exc:  # noqa: BLE001 - the point of the test
            pytest.fail(f"{what} raised {type(exc).__name__} (expected ValueError/TypeError naming {param!r}): {exc}")
        finally:
            if app.params != before:
                app.update(**before)
