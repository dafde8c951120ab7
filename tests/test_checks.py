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


def test_budget_helpers_refuse_before_allocating_and_name_the_fix(monkeypatch):
    assert c.check_steps(100.0, 0.1) == 1000
    with pytest.raises(ValueError, match=r"t_max/dt = 1e\+13 time steps .* reduce t_max \(1e\+12\) or increase dt"):
        c.check_steps(1e12, 0.1)
    monkeypatch.setattr(c, "MEMORY_BUDGET", 2**20)
    with pytest.raises(ValueError, match=r"would need 1e\+06 values \(7.63 MiB\), more than the memory budget of 1 MiB; reduce n"):
        c.check_memory(1e6, "reduce n")
    c.check_memory(1000, "reduce n")
    with pytest.raises(ValueError, match="n_trains=1000000 would need"):
        c.check_size(10**6, "n_trains")
    with pytest.raises(ValueError, match="n must be <= 5, got 6"):
        c.check_int(6, "n", maximum=5)


def test_object_helpers_name_the_argument():
    assert c.check_callable(len, "f") is len
    with pytest.raises(TypeError, match="f must be a function of t, got int 3"):
        c.check_callable(3, "f", "of t")
    with pytest.raises(TypeError, match="ions must be a IonConcentrations|ions must be an ion set"):
        c.check_instance(1.0, "ions", dict, "an ion set")
    assert c.check_names("baseline", "names", ["baseline", "relu"]) == ("baseline",)
    with pytest.raises(ValueError, match="unknown names 'b'"):
        c.check_names(["b"], "names", ["baseline"])
    with pytest.raises(ValueError, match="seed must be an integer >= 0 or None, got -1"):
        c.check_rng(seed=-1)
    with pytest.raises(TypeError, match="record must be True or False"):
        c.check_bool(1, "record")
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\], got 2"):
        c.check_in_range(2, "p", 0, 1)
    with pytest.raises(ValueError, match="hidden: unknown activation 'x'; valid activations are"):
        c.check_choice("x", "hidden", ["relu"], "activation")
