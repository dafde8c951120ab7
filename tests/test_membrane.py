"""Nernst and GHK potentials against textbook numbers and independent formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from neurolib import membrane as mb

# CODATA 2018 values, typed in here independently of the module.
R, F = 8.314462618, 96485.33212

conc = st.floats(min_value=0.1, max_value=1000.0)
perm = st.floats(min_value=1e-3, max_value=10.0)


def test_thermal_voltage_is_26_7_mV_at_body_temperature():
    assert mb.thermal_voltage(37.0) == pytest.approx(1e3 * R * 310.15 / F, rel=1e-12)
    assert mb.thermal_voltage(37.0) == pytest.approx(26.73, abs=0.01)


def test_nernst_slope_is_61_5_mV_per_decade_at_37_C_and_58_mV_at_20_C():
    # the rules of thumb of physiology textbooks
    assert mb.nernst(10.0, 1.0, 1, 37.0) == pytest.approx(61.5, abs=0.1)
    assert mb.nernst(10.0, 1.0, 1, 20.0) == pytest.approx(58.2, abs=0.1)
    assert mb.nernst(10.0, 1.0, 2, 37.0) == pytest.approx(61.5 / 2, abs=0.05)


def test_mammalian_reversal_potentials_match_textbook_values():
    e = mb.IonConcentrations.mammalian().reversal_potentials()
    assert e["K"] == pytest.approx(-89.0, abs=0.5)  # 61.5 log10(5/140)
    assert e["Na"] == pytest.approx(66.6, abs=0.5)  # 61.5 log10(145/12)
    assert e["Cl"] == pytest.approx(-64.1, abs=0.5)  # -61.5 log10(110/10)


def test_squid_axon_values_match_the_textbook_table():
    # Squid giant axon (Hodgkin & Katz; Kandel et al.): E_K ~ -75, E_Na ~ +55, E_Cl ~ -60 mV,
    # rest ~ -60 mV with P_K : P_Na : P_Cl = 1 : 0.04 : 0.45, at room temperature.
    squid = mb.IonConcentrations.squid()
    e = squid.reversal_potentials(20.0)
    assert e["K"] == pytest.approx(-75.0, abs=1.0)
    assert e["Na"] == pytest.approx(55.0, abs=1.0)
    assert e["Cl"] == pytest.approx(-60.0, abs=1.0)
    rest = mb.ghk_voltage(squid, mb.Permeabilities(1.0, 0.04, 0.45), 20.0)
    assert rest == pytest.approx(-60.0, abs=1.0)


def test_default_ghk_resting_potential_is_minus_70_mV():
    assert mb.ghk_voltage() == pytest.approx(-70.0, abs=0.5)
    e = mb.IonConcentrations().reversal_potentials()
    assert e["K"] < mb.ghk_voltage() < e["Na"]


@settings(max_examples=60, deadline=None)
@given(conc, conc, conc, conc, conc, conc)
def test_ghk_with_one_permeable_ion_is_its_nernst_potential(ko, ki, nao, nai, clo, cli):
    ions = mb.IonConcentrations(ko, ki, nao, nai, clo, cli)
    e = ions.reversal_potentials()
    assert mb.ghk_voltage(ions, mb.Permeabilities(1.0, 0.0, 0.0)) == pytest.approx(e["K"], abs=1e-9)
    assert mb.ghk_voltage(ions, mb.Permeabilities(0.0, 2.0, 0.0)) == pytest.approx(e["Na"], abs=1e-9)
    assert mb.ghk_voltage(ions, mb.Permeabilities(0.0, 0.0, 0.3)) == pytest.approx(e["Cl"], abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(conc, conc, conc, conc, perm, perm)
def test_ghk_voltage_is_the_zero_of_the_ghk_current(ko, nao, clo, ki, p_na, p_cl):
    ions = mb.IonConcentrations(K_out=ko, K_in=ki, Na_out=nao, Cl_out=clo)
    p = mb.Permeabilities(1.0, p_na, p_cl)
    root = brentq(lambda v: mb.ghk_current(v, ions, p), -400.0, 400.0, xtol=1e-10)
    assert mb.ghk_voltage(ions, p) == pytest.approx(root, abs=1e-6)


def test_ghk_current_matches_the_flux_equation_and_is_finite_at_zero():
    ions, p = mb.IonConcentrations(), mb.Permeabilities()

    def naive(v):  # the textbook form, singular at v = 0
        u = v * F / (R * 310.15) / 1e3
        total = 0.0
        for perm_s, z, ci, co in [(p.K, 1, ions.K_in, ions.K_out), (p.Na, 1, ions.Na_in, ions.Na_out),
                                  (p.Cl, -1, ions.Cl_in, ions.Cl_out)]:
            total += perm_s * z**2 * u * (ci - co * math.exp(-z * u)) / (1 - math.exp(-z * u))
        return total

    for v in [-120.0, -70.0, -3.0, 0.5, 40.0]:
        assert mb.ghk_current(v, ions, p) == pytest.approx(naive(v), rel=1e-10)
    at_zero = mb.ghk_current(0.0, ions, p)
    assert np.isfinite(at_zero)
    assert at_zero == pytest.approx(naive(1e-7), rel=1e-5)
    big = mb.ghk_current(np.array([-1e4, 1e4, 1e6]))
    assert np.all(np.isfinite(big))
    assert big[0] < 0 < big[1]  # inward below rest, outward above


def test_ghk_voltage_ratio_agrees_with_ghk_voltage_and_tends_to_e_k_and_e_na():
    ions = mb.IonConcentrations()
    ratios = np.array([0.0, 0.01, 0.03, 1.0, 50.0])
    curve = mb.ghk_voltage_ratio(ratios, ions, 0.45)
    expected = [mb.ghk_voltage(ions, mb.Permeabilities(1.0, r, 0.45)) for r in ratios]
    np.testing.assert_allclose(curve, expected, rtol=1e-12)
    e = ions.reversal_potentials()
    assert mb.ghk_voltage_ratio(1e-9, ions, 0.0) == pytest.approx(e["K"], abs=1e-3)
    assert mb.ghk_voltage_ratio(1e9, ions, 0.0) == pytest.approx(e["Na"], abs=1e-3)
    assert np.all(np.diff(mb.ghk_voltage_ratio(np.logspace(-3, 2, 50))) > 0)


def test_nernst_is_vectorised():
    out = mb.nernst(np.array([5.0, 10.0, 20.0]), 140.0)
    assert out.shape == (3,)
    np.testing.assert_allclose(np.diff(out), mb.nernst(2.0, 1.0), rtol=1e-12)


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match="c_out must be > 0"):
        mb.nernst(-5.0, 140.0)
    with pytest.raises(ValueError, match="c_in must be > 0"):
        mb.nernst(5.0, [140.0, 0.0])
    with pytest.raises(ValueError, match="c_out must not contain NaN"):
        mb.nernst(np.nan, 140.0)
    with pytest.raises(ValueError, match="valence must not be 0"):
        mb.nernst(5.0, 140.0, 0)
    with pytest.raises(TypeError, match="valence must be an integer"):
        mb.nernst(5.0, 140.0, 1.5)
    with pytest.raises(ValueError, match="temperature"):
        mb.thermal_voltage(-300.0)
    with pytest.raises(ValueError, match="temperature must be a finite"):
        mb.nernst(5.0, 140.0, 1, float("nan"))
    with pytest.raises(ValueError, match="K_out must be > 0 mM"):
        mb.IonConcentrations(K_out=0.0)
    with pytest.raises(ValueError, match="P_Na must be >= 0"):
        mb.Permeabilities(Na=-0.1)
    with pytest.raises(ValueError, match="at least one permeability"):
        mb.Permeabilities(0.0, 0.0, 0.0)
    with pytest.raises(TypeError, match="ions must be an IonConcentrations"):
        mb.ghk_voltage({"K_out": 5.0})
    with pytest.raises(TypeError, match="permeabilities must be a Permeabilities"):
        mb.ghk_voltage(None, (1.0, 0.03, 0.45))
    with pytest.raises(ValueError, match="p_na must be >= 0"):
        mb.ghk_voltage_ratio(-1.0)
    with pytest.raises(ValueError, match="v must not contain NaN"):
        mb.ghk_current(np.nan)


def test_wrong_objects_get_a_type_error_naming_the_argument_issue_18():
    with pytest.raises(TypeError, match="ions must be an IonConcentrations or None, got float"):
        mb.ghk_current(-70.0, ions=1.0)
    with pytest.raises(TypeError, match="permeabilities must be a Permeabilities or None, got dict"):
        mb.ghk_current(-70.0, permeabilities={"K": 1.0})
