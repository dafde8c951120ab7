"""Check functions: unanswered → None with a reminder, right → True, wrong → False.

Unanswered checks return None so that a notebook shows nothing under an exercise the
student has not done yet (issue 17); an answer that is NaN or infinite is told that it is
not a finite number instead of getting a hint about its size (issue 18).
"""

from __future__ import annotations

import numpy as np
import pytest

from neurolib import activations as act
from neurolib import exercises as ex


#: Every check function of the book (check_function and check_array are helpers with more arguments).
CHECKS = sorted(n for n in ex.__all__ if n.startswith("check_") and n not in ("check_function", "check_array"))

#: Checks whose answer is one number, and checks whose answer is an array of numbers (its shape).
NUMBER_CHECKS = [
    "check_adex_rheobase", "check_chloride_nernst", "check_critical_learning_rate", "check_echo_state_gain",
    "check_hh_refractory_delay", "check_input_for_rate", "check_rate_time_to_fraction",
    "check_saturated_gradient", "check_sigmoid_product_bound", "check_silence_probability",
    "check_gradient_flow_prediction", "check_soft_target_factor",
]
ARRAY_CHECKS = {"check_softmax_jacobian": (4, 4), "check_izhikevich_rest": (3,), "check_lif_threshold": (2,)}


def test_the_lists_of_checks_are_complete():
    assert len(CHECKS) >= 27
    assert set(NUMBER_CHECKS) | set(ARRAY_CHECKS) <= set(CHECKS)


@pytest.mark.parametrize("name", CHECKS)
@pytest.mark.parametrize("placeholder", [None, ...])
def test_unanswered_exercise_prints_a_reminder_and_returns_nothing(name, placeholder, capsys):
    assert getattr(ex, name)(placeholder) is None
    out = capsys.readouterr().out
    assert "Not answered yet" in out and "Not yet:" not in out


def test_helpers_treat_unanswered_the_same_way(capsys):
    assert ex.check_function(None, np.sin, [np.zeros(2)]) is None
    assert ex.check_array(..., np.zeros(2)) is None
    assert capsys.readouterr().out.count("Not answered yet") == 2


@pytest.mark.parametrize("name", NUMBER_CHECKS)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, "nan"])
def test_a_number_that_is_not_finite_is_told_so(name, bad, capsys):
    assert getattr(ex, name)(bad) is False
    out = capsys.readouterr().out
    assert "is not a finite number" in out, out
    assert "too small" not in out and "too large" not in out and "is off" not in out


@pytest.mark.parametrize("name, shape", sorted(ARRAY_CHECKS.items()))
def test_an_array_with_nan_or_inf_is_told_so(name, shape, capsys):
    for bad in (np.nan, np.inf):
        answer = np.ones(shape)
        answer.flat[-1] = bad
        assert getattr(ex, name)(answer) is False
        assert "not a finite number" in capsys.readouterr().out


def test_functions_returning_nan_are_told_so(capsys):
    assert ex.check_rate_neuron_update(lambda v, u, dt, tau: np.nan) is False
    assert "not a finite number" in capsys.readouterr().out
    assert ex.check_glorot_std(lambda n_in, n_out: np.inf) is False
    assert "not a finite number" in capsys.readouterr().out
    assert ex.check_tanh_derivative(lambda z: np.full_like(z, np.nan)) is False
    assert "NaN or inf" in capsys.readouterr().out


def test_right_answers_return_true_and_wrong_ones_false(capsys):
    assert ex.check_sigmoid_product_bound(0.25**6) is True
    assert ex.check_sigmoid_product_bound(0.25**5) is False
    assert ex.check_silence_probability(np.exp(-2.0)) is True
    assert ex.check_silence_probability("zero") is False
    assert "must be a probability" in capsys.readouterr().out


def test_exercise_decorator_needs_a_function():
    with pytest.raises(TypeError, match="check must be a function"):
        ex.exercise(42)


def test_tanh_derivative_check():
    assert ex.check_tanh_derivative(lambda z: 1 - np.tanh(z) ** 2)
    assert not ex.check_tanh_derivative(lambda z: 1 - np.tanh(z))
    assert not ex.check_tanh_derivative(lambda z: np.ones(3))  # wrong shape
    assert not ex.check_tanh_derivative(42)


def test_stable_softmax_check_rejects_the_naive_formula(capsys):
    def naive(z):
        return np.exp(z) / np.exp(z).sum()

    def stable(z):
        e = np.exp(z - z.max())
        return e / e.sum()

    assert not ex.check_stable_softmax(naive)
    assert "NaN or inf" in capsys.readouterr().out
    assert ex.check_stable_softmax(stable)


def test_softmax_jacobian_check():
    y = act.softmax(ex.WORKED_Z)
    assert ex.check_softmax_jacobian(np.diag(y) - np.outer(y, y))
    assert not ex.check_softmax_jacobian(np.diag(y) + np.outer(y, y))
    assert not ex.check_softmax_jacobian(np.eye(3))


@pytest.mark.parametrize(
    "answer, ok",
    [
        (dict(ex.OUTPUT_TASKS), True),
        ({k: v.upper() for k, v in ex.OUTPUT_TASKS.items()}, True),
        ({k: "softmax" for k in ex.OUTPUT_TASKS}, False),
        ({}, False),
        ("linear", False),
    ],
)
def test_output_function_check(answer, ok):
    assert ex.check_output_functions(answer) is ok


# ---------------------------------------------------------------------------------------------
# Chapters 05-08, issue 17: prediction exercises checked against the chapter's widget, and
# derivations with one number as the answer.
# ---------------------------------------------------------------------------------------------

PREDICTIONS = {
    "check_reservoir_prediction": (ex.RESERVOIR_QUESTIONS, ex.reservoir_answers, ("dies out", "persists")),
    "check_hyperplane_prediction": (ex.HYPERPLANE_QUESTIONS, ex.hyperplane_answers, ("more", "fewer", "same")),
    "check_trainer_prediction": (ex.TRAINER_QUESTIONS, ex.trainer_answers, ("yes", "no")),
}


@pytest.mark.parametrize("name", sorted(PREDICTIONS))
def test_prediction_checks_follow_the_widget(name, capsys):
    questions, answers, choices = PREDICTIONS[name]
    check = getattr(ex, name)
    truth = answers()
    assert set(truth) == set(questions) and set(truth.values()) <= set(choices)
    assert check(dict(truth)) is True
    assert check({q: a.upper() + " " for q, a in truth.items()}) is True  # case and spaces do not matter
    for question in questions:  # every single wrong answer is caught
        flipped = dict(truth)
        flipped[question] = next(c for c in choices if c != truth[question])
        assert check(flipped) is False
    assert check({}) is False and check("yes") is False
    assert "no answer for" in capsys.readouterr().out


def test_prediction_answers_are_what_the_widgets_show():
    from neurolib import widgets

    app = widgets.reservoir_explorer(g=2.5, input_strength=0.0, seed=0)
    assert "last 50 ms: 0.000" in app.ax_r.get_title()  # nothing ever disturbs the quiet state
    assert ex.reservoir_answers()["g = 2.5, input strength 0"] == "dies out"
    plane = widgets.hyperplane_explorer()
    before = len(plane.pos.get_offsets())
    plane.update(w1=-1.0, w2=-2.0, b=1.0)
    assert len(plane.pos.get_offsets()) == len(plane.POINTS) - before  # sides swapped
    trainer = widgets.dense_trainer()
    assert (trainer.run(4, 3.0).test_accuracy[-1] >= 0.9) == (ex.trainer_answers()["width 4, rate 3"] == "yes")


def test_slope_prediction_check(capsys):
    truth = ex.slope_answers()
    assert truth == pytest.approx({"step": 0.0, "logistic": 0.25, "tanh": 1.0, "clip": 1.0})
    assert ex.check_slope_prediction(dict(truth)) is True
    assert ex.check_slope_prediction({**truth, "logistic": 1.0}) is False
    assert ex.check_slope_prediction({**truth, "tanh": "one"}) is False
    assert ex.check_slope_prediction({**truth, "clip": np.nan}) is False
    assert ex.check_slope_prediction({"step": 0.0}) is False
    assert "no answer for" in capsys.readouterr().out


def test_slowest_decay_check_matches_a_simulation(capsys):
    from neurolib import rate

    expected = ex.slowest_decay_time()
    # a tiny perturbation of the linearised network decays with this time constant at late times
    net = rate.make_reservoir(ex.SLOWEST_DECAY_N, g=ex.SLOWEST_DECAY_G, seed=ex.SLOWEST_DECAY_SEED)
    v0 = 1e-6 * np.random.default_rng(0).normal(size=ex.SLOWEST_DECAY_N)
    res = rate.simulate_reservoir(net, n_steps=2000, dt=0.5, v0=v0)
    size = np.linalg.norm(res.r, axis=1)
    t = res.t
    late = (t > 500.0) & (t < 1000.0)  # after the faster modes have gone
    slope = np.polyfit(t[late], np.log(size[late]), 1)[0]
    assert -1.0 / slope == pytest.approx(expected, rel=0.05)  # 0.5 ms steps: first order in dt
    assert ex.check_slowest_decay(expected) is True
    assert ex.check_slowest_decay(rate.TAU / (1 - ex.SLOWEST_DECAY_G)) is False
    assert "largest real part" in capsys.readouterr().out
    assert ex.check_slowest_decay(rate.TAU) is False


def test_perceptron_bound_check_and_the_bound_holds(capsys):
    from neurolib import neuron

    assert ex.check_perceptron_bound(27.0) is True
    assert ex.check_perceptron_bound(16.0) is False
    assert "bias is a weight too" in capsys.readouterr().out
    bound = ex.perceptron_bound(ex.BOUND_X, ex.BOUND_T, ex.BOUND_W, ex.BOUND_B)
    for seed in range(20):  # any order of presentation stays within the bound
        run = neuron.perceptron(ex.BOUND_X, ex.BOUND_T, max_epochs=100, seed=seed)
        assert run.converged and run.errors.sum() <= bound
    with pytest.raises(ValueError, match="separate"):
        ex.perceptron_bound(ex.BOUND_X, ex.BOUND_T, ex.BOUND_W, 0.5)


def test_logistic_chain_weight_check():
    assert ex.check_logistic_chain_weight(4.0) is True
    assert ex.check_logistic_chain_weight(1.0) is False
    assert ex.check_logistic_chain_weight(0.25) is False
    # at |w| = 4 and z = 0 the factor per layer is exactly 1; above it the gradient can grow
    assert 4.0 * act.logistic_derivative(0.0) == 1.0 and 4.5 * act.logistic_derivative(0.0) > 1.0


def test_loss_gradient_ratio_check(capsys):
    ratio = 1.0 / act.logistic_derivative(ex.RATIO_LOGIT)
    assert ex.check_loss_gradient_ratio(ratio) is True
    assert ex.check_loss_gradient_ratio(1.0 / ratio) is False
    assert "inverse" in capsys.readouterr().out
    assert ex.check_loss_gradient_ratio(1.0) is False


@pytest.mark.parametrize(
    "name", ["check_slowest_decay", "check_perceptron_bound", "check_logistic_chain_weight", "check_loss_gradient_ratio"]
)
@pytest.mark.parametrize("bad", [np.nan, np.inf, "nan"])
def test_new_number_checks_say_not_finite(name, bad, capsys):
    assert getattr(ex, name)(bad) is False
    assert "is not a finite number" in capsys.readouterr().out


# --- Issue 17, chapters 01-04: derivations and "predict, then move the slider" checks ---------
# The predictions are compared with what the chapter's widget draws; the tests recompute the
# expected answers independently (from the models, not from the widgets) where they can.

from neurolib import hh as _hh, lif as _lif, spiking as _spiking  # noqa: E402
from neurolib import spikes as _spikes  # noqa: E402


def test_regular_fano_factor_matches_counting_a_regular_train():
    isi, window = ex.EX1_REGULAR_ISI, ex.EX1_FANO_WINDOW
    train = np.arange(0.0, 300_000.0, isi) + 7.0  # 10 000 spikes, 3000 windows
    trains = _spikes.SpikeTrains.from_list([train], 300_000.0)
    counted = _spikes.fano_factor(trains.binned_counts(window))
    assert abs(counted - 1 / 15) < 1e-3
    assert abs(ex.regular_fano_factor(isi, window) - counted) < 1e-3
    assert ex.regular_fano_factor(25.0, 100.0) == 0.0  # a whole number of intervals per window
    with pytest.raises(ValueError, match="isi"):
        ex.regular_fano_factor(-1.0, 100.0)


def test_regular_fano_check(capsys):
    assert ex.check_regular_fano(1 / 15) is True
    assert ex.check_regular_fano(0.0) is False
    assert "how many spikes" in capsys.readouterr().out
    assert ex.check_regular_fano(1.0) is False


def test_psth_prediction_follows_the_square_root_law(capsys):
    small, large = ex.EX1_PSTH_NEURONS
    measured = ex.psth_scatter(small) / ex.psth_scatter(large)
    assert abs(measured - np.sqrt(large / small)) < 0.3
    assert ex.check_psth_scatter_prediction(np.sqrt(large / small)) is True
    assert ex.check_psth_scatter_prediction(large / small) is False  # "linear" guess
    assert ex.check_psth_scatter_prediction(1.0) is False
    with pytest.raises(ValueError, match="n_neurons"):
        ex.psth_scatter(0)


def test_leak_reversal_puts_the_rest_where_asked():
    e_l = ex.hh_leak_reversal(-65.0)
    params = _hh.HHParams(E_L=e_l)
    assert abs(_hh.resting_state(params).v - (-65.0)) < 1e-6
    assert abs(e_l - _hh.HHParams().E_L) < 0.05  # close to the printed value
    assert ex.check_hh_leak_reversal(e_l) is True
    assert ex.check_hh_leak_reversal(-54.387) is False  # printed value: rest at -64.996 mV
    assert ex.check_hh_leak_reversal(-75.6) is False


def test_hh_pulse_predictions_match_the_model():
    counts = []
    for amplitude, duration, preset in ex.EX_HH_WIDGET_PULSES:
        t = np.arange(int(round(50.0 / 0.005)) + 1) * 0.005
        res = _hh.simulate(_hh.step_current(t, amplitude, 5.0, duration), 50.0, dt=0.005, params=preset)
        counts.append(int(res.spike_times.size))
    assert counts == [ex.hh_widget_spike_count(*p) for p in ex.EX_HH_WIDGET_PULSES]
    assert ex.check_hh_pulse_predictions(tuple(counts)) is True
    assert ex.check_hh_pulse_predictions(tuple(c + 1 for c in counts)) is False
    assert ex.check_hh_pulse_predictions((0.5, 1, 1)) is False
    assert ex.check_hh_pulse_predictions((1, 1)) is False


def test_tau_m_prediction_follows_the_formula():
    v_in, (slow, fast) = ex.EX_LIF_WIDGET["v_in"], ex.EX_LIF_WIDGET["tau_m"]
    ratios = [
        _lif.firing_rate(v_in, tau_m=fast, tau_ref=r) / _lif.firing_rate(v_in, tau_m=slow, tau_ref=r)
        for r in ex.EX_LIF_WIDGET["tau_ref"]
    ]
    assert 1.0 < ratios[0] < 2.0 and abs(ratios[1] - 2.0) < 1e-9
    assert abs(ex.lif_widget_rate(v_in, fast, 2.0) - _lif.firing_rate(v_in, tau_m=fast, tau_ref=2.0)) < 1e-9
    assert ex.check_tau_m_prediction(("less", "double")) is True
    assert ex.check_tau_m_prediction(["Less than double", "DOUBLE"]) is True
    assert ex.check_tau_m_prediction(("double", "double")) is False
    assert ex.check_tau_m_prediction("less") is False
    assert ex.check_tau_m_prediction(("half", "double")) is False


def test_fixed_point_prediction_follows_the_vanishing_current():
    b = _spiking.IZHIKEVICH_PRESETS[ex.EX_IZ_PRESET].b
    i_star = _spiking.izhikevich_vanishing_current(b)
    expected = [2 if I < i_star else 0 for I in ex.EX_IZ_WIDGET_CURRENTS]
    assert expected == [ex.widget_fixed_point_count(ex.EX_IZ_PRESET, I) for I in ex.EX_IZ_WIDGET_CURRENTS]
    assert ex.check_fixed_point_prediction(tuple(expected)) is True
    assert ex.check_fixed_point_prediction((2, 2)) is False
    assert ex.check_fixed_point_prediction((2,)) is False
    assert ex.check_fixed_point_prediction("20") is False


@pytest.mark.parametrize("name", ["check_regular_fano", "check_psth_scatter_prediction", "check_hh_leak_reversal"])
def test_new_number_checks_refuse_nan(name, capsys):
    assert getattr(ex, name)(np.nan) is False
    assert "is not a finite number" in capsys.readouterr().out


class _Hostile:
    """An answer whose every conversion fails with an exception no check foresees."""

    def __float__(self):
        raise ZeroDivisionError("no float")

    def __array__(self, *args, **kwargs):
        raise RuntimeError("no array")

    def __iter__(self):
        raise RuntimeError("no iteration")


@pytest.mark.parametrize("name", CHECKS)
def test_an_answer_no_check_foresaw_gets_a_verdict_not_a_traceback(name, capsys):
    # issue 18: a check never raises (tests/test_api_contract.py walks every check with bad answers)
    assert getattr(ex, name)(_Hostile()) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet:") and out.count("\n") >= 1, out
