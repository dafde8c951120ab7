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
    with pytest.raises(TypeError, match="check must be callable"):
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
