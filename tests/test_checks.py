"""The shared validators produce the errors every public function relies on."""

from __future__ import annotations

import numpy as np
import pytest

from neurolib import _checks as c


def test_check_positive_names_parameter_value_and_unit():
    assert c.check_positive(0.1, "dt", "ms") == 0.1
    with pytest.raises(ValueError, match=r"^dt must be > 0 ms, got -0.1$"):
        c.check_positive(-0.1, "dt", "ms")
    with pytest.raises(ValueError, match="tau must be a finite number"):
        c.check_positive(float("nan"), "tau")
    with pytest.raises(TypeError, match="dt must be a real number"):
        c.check_positive("0.1", "dt")
    with pytest.raises(TypeError):
        c.check_positive(True, "dt")


def test_check_nonnegative_and_int():
    assert c.check_nonnegative(0, "rate") == 0.0
    with pytest.raises(ValueError, match="rate must be >= 0"):
        c.check_nonnegative(-1, "rate")
    assert c.check_int(np.int64(3), "n", minimum=1) == 3
    with pytest.raises(ValueError, match="depth must be >= 1, got 0"):
        c.check_int(0, "depth", minimum=1)
    with pytest.raises(TypeError, match="n must be an integer"):
        c.check_int(2.5, "n")


def test_as_real_array_rejects_nan_inf_text_and_complex():
    np.testing.assert_array_equal(c.as_real_array([1, 2], "x"), [1.0, 2.0])
    with pytest.raises(ValueError, match="x must not contain NaN, got 1 NaN"):
        c.as_real_array([1, np.nan], "x")
    with pytest.raises(ValueError, match="x must be finite"):
        c.check_finite([1, np.inf], "x")
    with pytest.raises(TypeError, match="string"):
        c.as_real_array("abc", "x")
    with pytest.raises(TypeError, match="complex"):
        c.as_real_array([1j], "x")
    with pytest.raises(TypeError):
        c.as_real_array([[1, 2], [3]], "x")


def test_check_choice_lists_valid_names():
    assert c.check_choice("RS", "preset", {"RS": 1, "FS": 2}) == "RS"
    with pytest.raises(ValueError, match="unknown preset 'XX'; valid presets are: 'RS', 'FS'"):
        c.check_choice("XX", "preset", {"RS": 1, "FS": 2})


def test_check_same_shape_and_axis():
    c.check_same_shape(np.zeros(3), np.ones(3), "a", "b")
    with pytest.raises(ValueError, match=r"W_in and I must have the same shape, got \(3,\) and \(4,\)"):
        c.check_same_shape(np.zeros(3), np.zeros(4), "W_in", "I")
    assert c.check_axis(-1, 3) == 2
    with pytest.raises(ValueError, match="out of range"):
        c.check_axis(3, 3)


def test_check_rng_is_reproducible_and_strict():
    a = c.check_rng(seed=5).normal(size=3)
    b = c.check_rng(seed=5).normal(size=3)
    np.testing.assert_array_equal(a, b)
    g = np.random.default_rng(1)
    assert c.check_rng(rng=g) is g
    with pytest.raises(ValueError, match="either seed or rng"):
        c.check_rng(seed=1, rng=g)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        c.check_rng(rng=np.random.RandomState(0))
    with pytest.raises(TypeError, match="seed must be an integer"):
        c.check_rng(seed=1.5)
