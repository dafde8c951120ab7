"""Hodgkin–Huxley model (chapter 02): kinetics, resting state, known results, accuracy.

The reference is our own high-accuracy solve_ivp run (DOP853, rtol 1e-9) of the textbook
equations written out below, independently of neurolib.hh's implementation (which uses
exprel/expit and a staggered exponential scheme). Reference runs are made once per module.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from neurolib import exercises, hh, widgets

# --- an independent reference: the textbook formulas --------------------------------------


def textbook_rates(v: float, shift: float = 0.0, bm_scale: float = 18.0) -> tuple[float, ...]:
    """SYLLABUS §2, classic form; ``shift`` = −5 gives the rest70 preset's printed formulas."""
    u = v - shift
    a_n = 0.01 * (u + 55) / (1 - math.exp(-0.1 * (u + 55)))
    b_n = 0.125 * math.exp(-(u + 65) / 80)
    a_m = 0.1 * (u + 40) / (1 - math.exp(-0.1 * (u + 40)))
    b_m = 4 * math.exp(-(u + 65) / bm_scale)
    a_h = 0.07 * math.exp(-(u + 65) / 20)
    b_h = 1 / (1 + math.exp(-0.1 * (u + 35)))
    return a_n, b_n, a_m, b_m, a_h, b_h


def rest70_printed_rates(v: float) -> tuple[float, ...]:
    """The rest70 preset exactly as printed in SYLLABUS §2 (not via a shift)."""
    a_n = 0.01 * (v + 60) / (1 - math.exp(-0.1 * (v + 60)))
    b_n = 0.125 * math.exp(-0.0125 * (v + 70))
    a_m = 0.1 * (v + 45) / (1 - math.exp(-0.1 * (v + 45)))
    b_m = 4 * math.exp(-(v + 70) / 18)
    a_h = 0.07 * math.exp(-0.05 * (v + 70))
    b_h = 1 / (1 + math.exp(-0.1 * (v + 40)))
    return a_n, b_n, a_m, b_m, a_h, b_h


def reference_rhs(t, y, current):
    v, n, m, h = y
    a_n, b_n, a_m, b_m, a_h, b_h = textbook_rates(v)
    dv = 0.3 * (-54.387 - v) + 36 * n**4 * (-77 - v) + 120 * m**3 * h * (50 - v) + current
    return [dv, a_n * (1 - n) - b_n * n, a_m * (1 - m) - b_m * m, a_h * (1 - h) - b_h * h]


def reference_spikes(current: float, t_max: float) -> np.ndarray:
    rest = hh.resting_state("classic")

    def crossing(t, y, current):
        return y[0]

    crossing.direction = 1
    sol = solve_ivp(reference_rhs, (0, t_max), [rest.v, rest.n, rest.m, rest.h], method="DOP853",
                    rtol=1e-9, atol=1e-9, args=(current,), events=crossing)
    assert sol.success
    return sol.t_events[0]


ACCURACY_CURRENTS = (2.0, 5.0, 7.0, 10.0, 20.0)
RATE_CURRENTS = (10.0, 20.0, 50.0)


@pytest.fixture(scope="module")
def reference():
    """Spike times of the reference over 500 ms, by current (µA/cm²)."""
    return {c: reference_spikes(c, 500.0) for c in sorted(set(ACCURACY_CURRENTS + RATE_CURRENTS))}


@pytest.fixture(scope="module")
def batch_run():
    """neurolib.hh at dt = 0.01 ms for all reference currents in one call (500 ms)."""
    currents = np.array(sorted(set(ACCURACY_CURRENTS + RATE_CURRENTS)))
    res = hh.simulate(currents[:, None], 500.0, 0.01, "classic", record=False)
    return dict(zip(currents.tolist(), res.spike_times))


# --- kinetics ------------------------------------------------------------------------------


@pytest.mark.parametrize("preset, shift", [("classic", 0.0), ("rest70", -5.0)])
def test_rates_match_textbook_formulas(preset, shift):
    v = np.linspace(-120, 60, 181) + 0.123  # avoids the 0/0 points
    got = hh.rates(v, preset)
    printed = textbook_rates if preset == "classic" else (lambda x, s=0: rest70_printed_rates(x))
    want = np.array([printed(x) for x in v]).T
    for key, row in zip(("alpha_n", "beta_n", "alpha_m", "beta_m", "alpha_h", "beta_h"), want):
        np.testing.assert_allclose(got[key], row, rtol=1e-12, err_msg=key)


def test_typo_preset_has_the_misprinted_beta_m():
    v = np.array([-90.0, -70.0, -30.0, 20.0])
    got = hh.rates(v, "rest70_typo")["beta_m"]
    np.testing.assert_allclose(got, 4 * np.exp(-(v + 70) / 80), rtol=1e-13)


@pytest.mark.parametrize("preset, v_n, v_m", [("classic", -55.0, -40.0), ("rest70", -60.0, -45.0)])
def test_alpha_limits_at_the_removable_singularities(preset, v_n, v_m):
    with np.errstate(all="raise"):
        r_n = hh.rates(v_n, preset)["alpha_n"]
        r_m = hh.rates(v_m, preset)["alpha_m"]
    assert float(r_n) == pytest.approx(0.1, rel=1e-15)
    assert float(r_m) == pytest.approx(1.0, rel=1e-15)
    # continuous across the singular point: the formula a hair away gives the same value
    shift = 0.0 if preset == "classic" else -5.0
    for eps in (1e-4, -1e-4):
        assert float(hh.rates(v_n + eps, preset)["alpha_n"]) == pytest.approx(
            textbook_rates(v_n + eps, shift)[0], rel=1e-9)
        assert float(hh.rates(v_m + eps, preset)["alpha_m"]) == pytest.approx(
            textbook_rates(v_m + eps, shift)[2], rel=1e-9)


def test_rates_finite_far_outside_the_physiological_range():
    v = np.array([-1e4, -500.0, 500.0, 1e4])
    for value in hh.rates(v).values():
        assert np.all(np.isfinite(value)) and np.all(value >= 0)
    for gate in "nmh":
        x = hh.steady_state(v, gate)
        assert np.all((x >= 0) & (x <= 1))


def test_two_forms_of_the_gate_equation_agree():
    rng = np.random.default_rng(2)
    v, x = rng.uniform(-100, 50, 200), rng.uniform(0, 1, 200)
    for gate in "nmh":
        r = hh.rates(v)
        a, b = r[f"alpha_{gate}"], r[f"beta_{gate}"]
        first = a * (1 - x) - b * x
        second = (hh.steady_state(v, gate) - x) / hh.time_constant(v, gate)
        np.testing.assert_allclose(first, second, rtol=1e-10, atol=1e-13)


# --- resting state ---------------------------------------------------------------------------


def test_classic_resting_state():
    rest = hh.resting_state("classic")
    assert round(rest.v, 1) == -65.0
    assert (round(rest.m, 3), round(rest.h, 3), round(rest.n, 3)) == (0.053, 0.596, 0.318)
    # an equilibrium of the independent textbook equations
    np.testing.assert_allclose(reference_rhs(0, [rest.v, rest.n, rest.m, rest.h], 0.0), 0, atol=1e-10)


def test_rest70_rests_at_minus_70_with_the_same_gates():
    a, b = hh.resting_state("classic"), hh.resting_state("rest70")
    assert round(b.v, 1) == -70.0
    assert b.v == pytest.approx(a.v - 5.0, abs=1e-9)
    assert (b.n, b.m, b.h) == pytest.approx((a.n, a.m, a.h), abs=1e-12)


def test_rest70_traces_are_classic_traces_shifted_by_minus_5_mV():
    current = lambda t: np.where((t >= 5) & (t < 25), 10.0, 0.0)  # noqa: E731
    a = hh.simulate(current, 40.0, params="classic")
    b = hh.simulate(current, 40.0, params="rest70")
    np.testing.assert_allclose(b.v, a.v - 5.0, atol=1e-8)
    for key in ("n", "m", "h", "i_na", "i_k", "i_l"):
        np.testing.assert_allclose(getattr(b, key), getattr(a, key), atol=1e-8, err_msg=key)
    assert a.spike_counts == b.spike_counts >= 2


def test_jacobian_matches_an_independent_finite_difference_and_rest_is_stable():
    rest = hh.resting_state()
    J = hh.jacobian(rest)
    y0 = np.array([rest.v, rest.n, rest.m, rest.h])
    for j, step in enumerate([1e-3, 1e-6, 1e-6, 1e-6]):
        e = np.zeros(4)
        e[j] = step
        col = (np.array(reference_rhs(0, y0 + e, 0.0)) - np.array(reference_rhs(0, y0 - e, 0.0))) / (2 * step)
        np.testing.assert_allclose(J[:, j], col, rtol=1e-5, atol=1e-8)
    assert np.max(np.linalg.eigvals(J).real) < 0


# --- accuracy against solve_ivp -------------------------------------------------------------


@pytest.mark.parametrize("current", ACCURACY_CURRENTS)
def test_spike_counts_and_times_match_solve_ivp(current, reference, batch_run):
    ref, got = reference[current], batch_run[current]
    assert got.size == ref.size, f"{current} µA/cm²: {got.size} spikes, reference {ref.size}"
    k = min(10, ref.size)
    np.testing.assert_allclose(got[:k], ref[:k], atol=0.1)


def test_reference_currents_cover_silence_single_and_repetitive_firing(reference):
    counts = {c: reference[c].size for c in ACCURACY_CURRENTS}
    assert counts[2.0] == 0 and counts[5.0] == 1 and counts[7.0] > 20 and counts[20.0] > counts[10.0]


@pytest.mark.parametrize("current", RATE_CURRENTS)
def test_firing_rates_match_the_reference(current, reference):
    s = reference[current]
    s = s[s >= 100.0]
    want = 1000.0 * (s.size - 1) / (s[-1] - s[0])
    got = hh.firing_rates([current], t_max=500.0, transient=100.0)[0]
    assert got == pytest.approx(want, rel=2e-3)


def test_single_neuron_and_batch_paths_agree():
    currents = np.linspace(3.0, 15.0, hh.FLOAT_BATCH + 1)  # > FLOAT_BATCH: NumPy batch path
    batch = hh.simulate(currents[:, None], 60.0)
    for i in (0, 6, hh.FLOAT_BATCH):
        one = hh.simulate(currents[i], 60.0)
        np.testing.assert_allclose(batch.v[i], one.v, atol=1e-8)
        np.testing.assert_allclose(batch.h[i], one.h, atol=1e-10)


def test_constant_array_and_callable_inputs_agree():
    t = np.arange(2001) * 0.01
    a = hh.simulate(8.0, 20.0)
    b = hh.simulate(np.full(t.size, 8.0), 20.0)
    c = hh.simulate(lambda tt: 8.0 + 0 * tt, 20.0)
    d = hh.simulate(lambda tt: 8.0, 20.0)
    for other in (b, c, d):
        np.testing.assert_array_equal(other.v, a.v)
    np.testing.assert_array_equal(a.i_ext, np.full(t.size, 8.0))


def test_currents_obey_the_membrane_equation():
    r = hh.simulate(10.0, 30.0, dt=0.005)
    dvdt = np.gradient(r.v, r.t)
    total = r.i_na + r.i_k + r.i_l + r.i_ext
    # second-order accurate scheme and central differences: small residual relative to the
    # hundreds of mV/ms reached during a spike
    assert np.max(np.abs(dvdt - total)[5:-5]) < 0.01 * np.max(np.abs(total))


def test_gates_stay_in_unit_interval_and_traces_are_finite_for_a_large_step():
    r = hh.simulate(50.0, 30.0, dt=0.2)
    for key in ("n", "m", "h"):
        x = getattr(r, key)
        assert np.all((x >= 0) & (x <= 1))
    assert np.all(np.isfinite(r.v))


def test_spike_times_are_interpolated_upward_crossings():
    t = np.arange(6.0)
    v = np.array([-10.0, 10.0, 20.0, -5.0, 5.0, -1.0])
    np.testing.assert_allclose(hh.spike_times_from_trace(t, v), [0.5, 3.5])


# --- known results (SYLLABUS §2) -------------------------------------------------------------


def _spiked(preset, amplitudes, duration=200.0, t_max=230.0):
    t = np.arange(int(round(t_max / 0.01)) + 1) * 0.01
    res = hh.simulate(hh.step_current(t, amplitudes, 10.0, duration), t_max, params=preset, record=False)
    return res.spike_counts


@pytest.mark.parametrize("preset", ["classic", "rest70"])
def test_single_spike_threshold_of_a_200_ms_step_is_2_24(preset):
    # threshold in (2.23, 2.25]: distinguishes 2.24 from its neighbours at 0.01 resolution
    assert _spiked(preset, [2.23, 2.25]).tolist() == [0, 1]


def test_sustained_firing_starts_at_6_26_near_49_Hz():
    rates = hh.firing_rates([6.24, 6.27], t_max=400.0, transient=150.0)
    assert rates[0] == 0.0
    assert 45.0 < rates[1] < 53.0  # type II: the first sustained rate is far from 0


def test_find_threshold_locates_sustained_firing_onset():
    fires = lambda c: hh.firing_rates(c, t_max=300.0, transient=150.0) > 0  # noqa: E731
    assert hh.find_threshold(fires, 6.0, 6.5, tol=0.02, points=4) == pytest.approx(6.26, abs=0.03)


def test_rest70_sustained_firing_threshold_is_the_same():
    rates = hh.firing_rates([6.24, 6.27], t_max=400.0, transient=150.0, params="rest70")
    assert rates[0] == 0.0 and rates[1] > 45.0


@pytest.mark.parametrize("preset", ["classic", "rest70"])
def test_rest_loses_stability_at_9_8(preset):
    assert hh.hopf_current(preset) == pytest.approx(9.78, abs=0.01)


def test_rest_and_firing_coexist_below_the_hopf_current():
    current = 8.0  # between 6.26 and 9.78
    quiet = hh.simulate(current, 200.0, v0=hh.resting_state(current=current), record=False)
    kicked = hh.simulate(current, 200.0, record=False)  # step from the rest of I = 0
    assert quiet.spike_counts == 0
    assert kicked.spike_counts >= 10 and kicked.spike_times[-1] > 180.0


def test_first_spike_at_10_peaks_near_40_and_undershoots_to_minus_75():
    r = hh.simulate(10.0, 20.0)
    first = r.t < r.spike_times[1] - 2.0
    assert 35.0 < r.v[first].max() < 45.0
    assert r.v[first].min() == pytest.approx(-75.0, abs=1.5)


def test_beta_m_typo_gives_one_spike_and_no_repetitive_firing():
    counts = _spiked("rest70_typo", [10.0, 20.0, 50.0, 100.0], duration=200.0)
    assert counts.max() == 1 and counts[-1] == 1
    assert _spiked("rest70", [20.0]).item() > 5


# --- numerics: blow-up, bad input ------------------------------------------------------------


def test_euler_with_a_large_step_raises_a_clear_error_not_nan():
    with pytest.raises(hh.SimulationBlowUp, match=r"smaller time step, e\.g\. dt = 0\.01"):
        hh.simulate(10.0, 50.0, dt=0.1, method="euler")
    with pytest.raises(hh.SimulationBlowUp, match="dt"):
        hh.simulate(np.array([[10.0], [12.0]]), 50.0, dt=0.1, method="euler")


def test_euler_converges_to_the_exponential_scheme_for_small_steps():
    a = hh.simulate(10.0, 15.0, dt=0.001, method="euler", record=False)
    b = hh.simulate(10.0, 15.0, dt=0.01, record=False)
    assert a.spike_times[0] == pytest.approx(b.spike_times[0], abs=0.02)


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match="dt"):
        hh.simulate(1.0, 10.0, dt=-0.01)
    with pytest.raises(ValueError, match="t_max"):
        hh.simulate(1.0, float("nan"))
    with pytest.raises(ValueError, match="preset"):
        hh.simulate(1.0, 10.0, params="classical")
    with pytest.raises(ValueError, match="method"):
        hh.simulate(1.0, 10.0, method="rk45")
    with pytest.raises(ValueError, match="current"):
        hh.simulate(np.ones(7), 10.0)
    with pytest.raises(ValueError, match="current"):
        hh.simulate([1.0, float("nan")], 0.01)
    with pytest.raises(TypeError, match="current"):
        hh.simulate("ten", 10.0)
    with pytest.raises(TypeError, match="params"):
        hh.simulate(1.0, 10.0, params=3)
    with pytest.raises(ValueError, match="gate"):
        hh.steady_state(-65.0, "k")
    with pytest.raises(ValueError, match="v"):
        hh.rates([np.nan])
    with pytest.raises(ValueError, match="C"):
        hh.HHParams(C=0.0)
    with pytest.raises(ValueError, match="currents"):
        hh.firing_rates([])
    with pytest.raises(ValueError, match="transient"):
        hh.firing_rates([5.0], t_max=100.0, transient=200.0)
    with pytest.raises(ValueError, match="lo"):
        hh.find_threshold(lambda x: x > 0.5, 1.0, 0.0)
    with pytest.raises(ValueError, match="False at lo"):
        hh.find_threshold(lambda x: x > -1, 0.0, 1.0)
    with pytest.raises(TypeError, match="record"):
        hh.simulate(1.0, 10.0, record="yes")


def test_find_threshold_on_a_known_predicate():
    assert hh.find_threshold(lambda x: x >= 0.3, 0.0, 1.0, tol=1e-4) == pytest.approx(0.3, abs=1e-4)


def test_presets_are_frozen_dataclasses():
    p = hh.get_params("classic")
    with pytest.raises(AttributeError):
        p.g_Na = 1.0  # type: ignore[misc]
    assert set(hh.PRESETS) == {"classic", "rest70", "rest70_typo"}


# --- widget and exercises --------------------------------------------------------------------


def test_widget_update_at_non_default_values_changes_voltage_and_gates():
    app = widgets.hh_explorer()
    v_before = app.line_v.get_ydata().copy()
    m_before = app.lines_gate["m"].get_ydata().copy()
    app.update(amplitude=2.0, duration=1.0, preset="rest70")
    v_after = app.line_v.get_ydata()
    assert not np.allclose(v_before, v_after)
    assert not np.allclose(m_before, app.lines_gate["m"].get_ydata())
    assert np.min(v_after) == pytest.approx(-70.0, abs=0.5)  # rest70 rests at −70 mV
    with pytest.raises(ValueError, match="preset"):
        app.update(preset="nope")
    with pytest.raises(ValueError, match="duration"):
        app.update(duration=-1.0)


def test_exercise_checks_accept_right_and_reject_wrong_answers(capsys):
    assert exercises.check_hh_gate_steady_state(None) is None
    assert exercises.check_hh_gate_steady_state(lambda v: hh.steady_state(v, "m")) is True
    assert exercises.check_hh_gate_steady_state(lambda v: 0 * v + 0.5) is False
    assert exercises.check_hh_alpha_m(lambda v: hh.rates(v)["alpha_m"]) is True
    assert exercises.check_hh_alpha_m(lambda v: 0.1 * (v + 40) / (1 - np.exp(-0.1 * (v + 40)))) is False
    assert exercises.check_hh_refractory_delay(None) is None
    assert exercises.check_hh_refractory_delay(exercises._hh_refractory_answer()) is True
    assert exercises.check_hh_refractory_delay(1.0) is False


def test_circuit_diagram_draws_five_labelled_branches():
    import matplotlib

    matplotlib.use("Agg")
    from neurolib.plotting import new_figure

    fig, ax = new_figure()
    hh.circuit_diagram(ax)
    labels = {t.get_text() for t in ax.texts}
    assert {"$C$", "$I$", "$E_{Na}$", "$E_K$", "$E_L$", "$g_K n^4$"} <= labels
    assert len(ax.get_lines()) > 20 and not ax.axison


def test_bad_inputs_get_clear_answers_issue_18():
    # a tolerance below the float spacing stops instead of looping forever
    assert abs(hh.find_threshold(lambda x: np.asarray(x) > 3.3, 0.0, 10.0, tol=1e-300) - 3.3) < 1e-12
    with pytest.raises(TypeError, match="fires must be a function"):
        hh.find_threshold(3.0, 0.0, 1.0)
    # refused before allocating, naming the arguments to change
    with pytest.raises(ValueError, match=r"reduce t_max .* or increase dt"):
        hh.simulate(10.0, t_max=1e12)
    # an absurd v0 or current is blamed, not dt
    with pytest.raises(ValueError, match="v0 must be within"):
        hh.simulate(0.0, t_max=5.0, v0=1e6)
    with pytest.raises(ValueError, match="current must be within"):
        hh.simulate(1e12, t_max=5.0)
    with pytest.raises(ValueError, match="v0 must not contain NaN"):
        hh.simulate(0.0, t_max=5.0, v0=hh.RestingState(-65.0, float("nan"), 0.1, 0.6))
    with pytest.raises(ValueError, match="dt must be > 0"):
        hh.second_spike([5.0], dt=0.0)
    with pytest.raises(TypeError, match="state must be a RestingState"):
        hh.jacobian(-65.0)
    with pytest.raises(ValueError, match="lo must be a finite"):
        hh.hopf_current(lo=float("nan"))
    with pytest.raises(ValueError, match="t and v must be 1-D arrays of the same length"):
        hh.spike_times_from_trace(np.arange(3.0), np.zeros(4))
    with pytest.raises(ValueError, match="y must be a 1-D array of 4k values"):
        hh.rhs(0.0, np.zeros(3), None, lambda t: 0.0)


def test_find_threshold_refuses_an_interval_wider_than_floats_issue_18():
    with pytest.raises(ValueError, match="hi - lo must be a finite number"):
        hh.find_threshold(lambda x: np.asarray(x) > 0, -1e308, 1e308)
