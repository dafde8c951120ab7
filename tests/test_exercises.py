"""Check functions: unanswered → False with a reminder, right → True, wrong → False."""

from __future__ import annotations

import numpy as np
import pytest

from neurolib import activations as act
from neurolib import exercises as ex


def test_unanswered_exercises_do_not_raise(capsys):
    assert ex.check_tanh_derivative(None) is False
    assert ex.check_softmax_jacobian(...) is False
    assert "Not answered yet" in capsys.readouterr().out


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
