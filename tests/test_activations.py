"""neurolib.activations against scipy.special, finite differences and known identities."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import special

from neurolib import activations as act

ELEMENTWISE = sorted(act.ACTIVATIONS)
finite_floats = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)
vectors = hnp.arrays(np.float64, st.integers(1, 12), elements=finite_floats)


# --- values against independent references ----------------------------------------------


def test_logistic_matches_scipy_expit_and_the_textbook_formula():
    z = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(act.logistic(z), special.expit(z), rtol=1e-15)
    np.testing.assert_allclose(act.logistic(z), 1.0 / (1.0 + np.exp(-z)), rtol=1e-12)


def test_logistic_limits_are_0_and_1():
    assert act.logistic(-1e4) == 0.0
    assert act.logistic(1e4) == 1.0
    assert act.logistic(0.0) == 0.5


def test_tanh_is_a_rescaled_logistic():
    z = np.linspace(-10, 10, 201)
    np.testing.assert_allclose(act.tanh(z), 2 * special.expit(2 * z) - 1, atol=1e-15)


def test_softmax_matches_scipy_and_log_softmax_matches_scipy():
    rng = np.random.default_rng(0)
    z = rng.normal(scale=5, size=(6, 5))
    np.testing.assert_allclose(act.softmax(z), special.softmax(z, axis=-1), rtol=1e-14)
    np.testing.assert_allclose(act.softmax(z, axis=0), special.softmax(z, axis=0), rtol=1e-14)
    np.testing.assert_allclose(act.log_softmax(z), special.log_softmax(z, axis=-1), rtol=1e-13)


def test_softmax_worked_example_of_the_syllabus():
    y = act.softmax([0.6, 3.4, -1.2, 0.05])
    np.testing.assert_allclose(y, [0.055, 0.904, 0.009, 0.032], atol=6e-4)
    assert np.array_equal(act.one_hot([0.6, 3.4, -1.2, 0.05]), [0.0, 1.0, 0.0, 0.0])


def test_piecewise_functions_by_definition():
    z = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    assert np.array_equal(act.step(z), [0, 0, 1, 1, 1])
    assert np.array_equal(act.relu(z), [0, 0, 0, 0.5, 2])
    assert np.array_equal(act.relu_derivative(z), [0, 0, 1, 1, 1])
    np.testing.assert_allclose(act.leaky_relu(z), [-0.02, -0.005, 0, 0.5, 2])
    np.testing.assert_allclose(act.leaky_relu_derivative(z), [0.01, 0.01, 1, 1, 1])
    assert np.array_equal(act.clip(z), [0, 0, 0, 0.5, 1])
    assert np.array_equal(act.clip(z, -1, 1), [-1, -0.5, 0, 0.5, 1])
    assert np.array_equal(act.clip_derivative(z), [0, 0, 1, 1, 0])
    assert np.array_equal(act.linear(z), z)
    assert np.array_equal(act.linear_derivative(z), np.ones(5))
    assert np.array_equal(act.step_derivative(z), np.zeros(5))


def test_scalar_in_scalar_out_and_shape_preserved():
    assert isinstance(act.relu(3), float)
    assert act.relu(-3) == 0.0
    assert act.logistic(np.zeros((2, 3, 4))).shape == (2, 3, 4)


# --- derivatives against central finite differences ------------------------------------------


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_central_differences_away_from_kinks(name):
    fn = act.get_activation(name)
    z = np.linspace(-4.95, 4.95, 199)  # avoids the kinks at 0 and 1
    z = z[np.abs(z - np.round(z)) > 1e-3]
    h = 1e-6
    numeric = (np.asarray(fn.f(z + h)) - np.asarray(fn.f(z - h))) / (2 * h)
    np.testing.assert_allclose(fn.df(z), numeric, rtol=1e-6, atol=1e-8)


def test_logistic_derivative_is_sigma_times_one_minus_sigma_and_peaks_at_quarter():
    z = np.linspace(-8, 8, 161)
    s = special.expit(z)
    np.testing.assert_allclose(act.logistic_derivative(z), s * (1 - s), rtol=1e-12, atol=1e-15)
    assert act.logistic_derivative(0.0) == 0.25
    assert np.argmax(act.logistic_derivative(z)) == 80


def test_logistic_derivative_keeps_relative_precision_in_the_tail():
    # 1 - sigma(40) rounds to 0 in float64; sigma(z) sigma(-z) does not.
    assert act.logistic_derivative(40.0) == pytest.approx(np.exp(-40.0), rel=1e-12)


def test_softmax_jacobian_matches_finite_differences_and_formula():
    z = np.array([0.6, 3.4, -1.2, 0.05])
    jac = act.softmax_jacobian(z)
    h = 1e-6
    numeric = np.empty((4, 4))
    for j in range(4):
        e = np.zeros(4)
        e[j] = h
        numeric[:, j] = (act.softmax(z + e) - act.softmax(z - e)) / (2 * h)
    np.testing.assert_allclose(jac, numeric, atol=1e-9)
    y = act.softmax(z)
    np.testing.assert_allclose(np.diag(jac), y * (1 - y), rtol=1e-12)
    np.testing.assert_allclose(jac[0, 1], -y[0] * y[1], rtol=1e-12)
    np.testing.assert_allclose(jac.sum(axis=0), 0.0, atol=1e-15)  # outputs always sum to 1


def test_softmax_jacobian_batches():
    z = np.random.default_rng(1).normal(size=(3, 5))
    jac = act.softmax_jacobian(z)
    assert jac.shape == (3, 5, 5)
    np.testing.assert_allclose(jac[2], act.softmax_jacobian(z[2]), rtol=1e-14)


def test_one_hot_is_the_zero_temperature_limit_of_softmax():
    z = np.array([0.6, 3.4, -1.2, 0.05])
    np.testing.assert_allclose(act.softmax(z, temperature=1e-3), act.one_hot(z), atol=1e-12)
    np.testing.assert_allclose(act.softmax(z, temperature=1e6), np.full(4, 0.25), atol=1e-5)


def test_one_hot_ties_go_to_the_first_maximum_along_any_axis():
    assert np.array_equal(act.one_hot([1.0, 3.0, 3.0]), [0, 1, 0])
    z = np.array([[1.0, 5.0], [4.0, 2.0]])
    assert np.array_equal(act.one_hot(z, axis=0), [[0, 1], [1, 0]])


# --- properties for all inputs (hypothesis) ---------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(vectors)
def test_softmax_is_a_distribution(z):
    y = act.softmax(z)
    assert np.all(y >= 0) and np.all(y <= 1)
    assert np.isclose(y.sum(), 1.0, rtol=1e-12)


@settings(max_examples=200, deadline=None)
@given(vectors, st.floats(min_value=-1e3, max_value=1e3))
def test_softmax_is_shift_invariant(z, c):
    np.testing.assert_allclose(act.softmax(z + c), act.softmax(z), atol=1e-10)


@settings(max_examples=200, deadline=None)
@given(hnp.arrays(np.float64, st.integers(1, 20), elements=finite_floats))
def test_logistic_symmetry(z):
    np.testing.assert_allclose(act.logistic(-z), 1.0 - act.logistic(z), atol=1e-15)


@settings(max_examples=100, deadline=None)
@given(hnp.arrays(np.float64, st.integers(1, 20), elements=finite_floats))
def test_every_function_and_derivative_is_finite_without_warnings(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fn in act.ACTIVATIONS.values():
            assert np.all(np.isfinite(fn.f(z)))
            assert np.all(np.isfinite(fn.df(z)))
        assert np.all(np.isfinite(act.softmax(z)))
        assert np.all(np.isfinite(act.log_softmax(z)))
        assert np.all(np.isfinite(act.softmax_jacobian(z)))


def test_extreme_inputs_do_not_overflow():
    z = np.array([-1e4, -710.0, -40.0, 0.0, 40.0, 710.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.all(np.isfinite(act.logistic(z)))
        assert np.all(np.isfinite(act.tanh_derivative(z)))
        np.testing.assert_allclose(act.softmax([1e4, 0.0, -1e4]), [1.0, 0.0, 0.0])
        np.testing.assert_allclose(act.log_softmax([1e4, 0.0]), [0.0, -1e4])


def test_neg_inf_masks_an_entry():
    np.testing.assert_allclose(act.softmax([0.0, -np.inf, 0.0]), [0.5, 0.0, 0.5])


# --- bad input gets a clear error -------------------------------------------------------------


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("bad", ["1.0", None, [1, "a"], object(), 1 + 2j])
def test_non_numeric_input_raises_type_error(name, bad):
    with pytest.raises(TypeError, match="z must be"):
        act.ACTIVATIONS[name].f(bad)


@pytest.mark.parametrize("fn", [act.logistic, act.relu, act.tanh_derivative, act.softmax, act.one_hot])
def test_nan_input_raises_value_error(fn):
    with pytest.raises(ValueError, match="z must not contain NaN"):
        fn([0.0, np.nan, 1.0])


def test_softmax_bad_axis_and_bad_shapes():
    with pytest.raises(ValueError, match="axis=2 is out of range"):
        act.softmax(np.zeros((2, 2)), axis=2)
    with pytest.raises(TypeError, match="axis must be an integer"):
        act.softmax(np.zeros(3), axis=0.5)
    with pytest.raises(ValueError, match="scalar"):
        act.softmax(1.0)
    with pytest.raises(ValueError, match="at least one entry"):
        act.softmax(np.zeros((2, 0)))
    with pytest.raises(ValueError, match=r"\+inf"):
        act.softmax([np.inf, 0.0])
    with pytest.raises(ValueError, match="-inf"):
        act.softmax([-np.inf, -np.inf])
    with pytest.raises(ValueError, match="temperature must be > 0"):
        act.softmax([1.0, 2.0], temperature=0)


def test_bad_parameters_name_themselves():
    with pytest.raises(ValueError, match=r"slope must be in \[0, 1\)"):
        act.leaky_relu(1.0, slope=2)
    with pytest.raises(ValueError, match="low must be < high"):
        act.clip(1.0, low=1, high=0)
    with pytest.raises(ValueError, match="unknown activation 'sigmoid'.*'logistic'"):
        act.get_activation("sigmoid")


def test_tiny_temperature_gives_the_one_hot_limit_not_nan_issue_18():
    z = np.array([1.0, 3.0, 2.0])
    np.testing.assert_array_equal(act.softmax(z, temperature=1e-300), [0.0, 1.0, 0.0])
    np.testing.assert_allclose(act.log_softmax(z, temperature=1e-300), [-2e300, 0.0, -1e300])
    np.testing.assert_allclose(act.softmax(z, temperature=0.5), np.exp(2 * z) / np.exp(2 * z).sum())


def test_tanh_derivative_of_huge_input_is_zero_without_warning_issue_18():
    assert act.tanh_derivative(1e308) == 0.0 and act.tanh_derivative(-1e308) == 0.0
    with pytest.raises(ValueError, match="name: unknown activation 'sigmoidal'"):
        act.get_activation("sigmoidal")
