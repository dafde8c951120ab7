"""Izhikevich and AdEx neurons: published presets, closed-form fixed points, reference
integrations, the firing pattern of every preset (by the descriptors), and bad inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from neurolib import spiking as sp
from neurolib import widgets

# --- presets against the published tables ------------------------------------------------------

#: Izhikevich (2003), Fig. 2: (a, b, c, d) of each class.
PAPER_IZ = {
    "RS": (0.02, 0.2, -65, 8),
    "IB": (0.02, 0.2, -55, 4),
    "CH": (0.02, 0.2, -50, 2),
    "FS": (0.1, 0.2, -65, 2),
    "LTS": (0.02, 0.25, -65, 2),
    "TC": (0.02, 0.25, -65, 0.05),
    "RZ": (0.1, 0.26, -65, 2),
}

#: SYLLABUS §4 (Naud et al. 2008): C, g_L, E_L, a, tau_w, b, V_r, I.
NAUD = {
    "tonic": (200, 10, -70, 2, 30, 0, -58, 500),
    "adapting": (200, 12, -70, 2, 300, 60, -58, 500),
    "initial burst": (130, 18, -58, 4, 150, 120, -50, 400),
    "regular bursting": (200, 10, -58, 2, 120, 100, -46, 210),
    "delayed accelerating": (200, 12, -70, -10, 300, 0, -58, 300),
    "delayed regular bursting": (100, 10, -65, -10, 90, 30, -47, 110),
    "transient spiking": (100, 10, -65, 10, 90, 100, -47, 180),
    "irregular": (100, 12, -60, -11, 130, 30, -48, 160),
}


def test_izhikevich_presets_match_the_paper():
    assert list(sp.IZHIKEVICH_PRESETS) == list(PAPER_IZ)
    for name, values in PAPER_IZ.items():
        p = sp.izhikevich_preset(name)
        assert (p.a, p.b, p.c, p.d) == values
        assert sp.IzhikevichParams.preset(name) == p
    assert set(sp.IZHIKEVICH_NAMES) == set(PAPER_IZ)


def test_adex_presets_match_the_syllabus_table():
    assert list(sp.ADEX_PRESETS) == list(NAUD)
    for name, (C, g_L, E_L, a, tau_w, b, V_r, I) in NAUD.items():
        p = sp.adex_preset(name)
        assert (p.C, p.g_L, p.E_L, p.a, p.tau_w, p.b, p.V_r) == (C, g_L, E_L, a, tau_w, b, V_r)
        assert (p.V_T, p.Delta_T, p.V_peak) == (-50.0, 2.0, 0.0)
        assert sp.ADEX_CURRENTS[name] == I


# --- fixed points and the vanishing current ------------------------------------------------------


def test_izhikevich_fixed_points_at_zero_current_are_minus_70_and_minus_50():
    np.testing.assert_allclose(sp.izhikevich_fixed_points(0.2, 0.0), [-70.0, -50.0], atol=1e-12)


@pytest.mark.parametrize("b", [0.2, 0.25, 0.26])
@pytest.mark.parametrize("I", [-10.0, 0.0, 2.5])
def test_izhikevich_fixed_points_match_numerical_roots_and_zero_the_vector_field(b, I):
    v_star = sp.izhikevich_fixed_points(b, I)
    roots = np.roots([0.04, 5.0 - b, 140.0 + I])
    if np.any(roots.imag != 0):  # above the vanishing current: no rest point
        assert v_star.size == 0 and I > sp.izhikevich_vanishing_current(b)
        return
    np.testing.assert_allclose(v_star, np.sort(roots.real), rtol=1e-10)
    u_star = b * v_star
    np.testing.assert_allclose(0.04 * v_star**2 + 5 * v_star + 140 - u_star + I, 0.0, atol=1e-9)


def test_vanishing_current_is_4_for_b_02_and_fixed_points_merge_there():
    assert sp.izhikevich_vanishing_current(0.2) == pytest.approx(4.0, abs=1e-12)
    for b in (0.2, 0.25, 0.26):
        i_van = sp.izhikevich_vanishing_current(b)
        assert i_van == pytest.approx((5 - b) ** 2 / 0.16 - 140, rel=1e-12)
        assert sp.izhikevich_fixed_points(b, i_van - 1e-3).size == 2
        assert sp.izhikevich_fixed_points(b, i_van + 1e-3).size == 0
        v_pair = sp.izhikevich_fixed_points(b, i_van - 1e-9)
        assert abs(v_pair[1] - v_pair[0]) < 0.01  # they merge


def test_rs_neuron_rests_below_the_vanishing_current_and_fires_above_it():
    p = sp.izhikevich_preset("RS")
    i_van = sp.izhikevich_vanishing_current(p.b)
    for I, fires in [(i_van - 0.3, False), (i_van + 0.3, True)]:
        v_rest = sp.izhikevich_fixed_points(p.b, min(I, i_van - 1e-9))[0]
        res = sp.simulate_izhikevich(p, I, 2000.0, scheme="euler", dt=0.1, v0=v_rest, u0=p.b * v_rest)
        assert (res.spike_counts()[0] > 0) == fires


def test_resonator_has_complex_eigenvalues_and_rs_real_ones():
    rz = sp.izhikevich_eigenvalues(sp.izhikevich_preset("RZ"))[0]
    rs = sp.izhikevich_eigenvalues(sp.izhikevich_preset("RS"))[0]
    assert np.all(np.abs(rz.imag) > 0.1) and np.all(rz.real < 0)
    assert np.all(rs.imag == 0) and np.all(rs.real < 0)
    # the saddle of RS has one positive eigenvalue
    saddle = sp.izhikevich_eigenvalues(sp.izhikevich_preset("RS"))[1]
    assert saddle.real.max() > 0 > saddle.real.min()


def test_nullclines_cross_at_the_fixed_points():
    v_star = sp.izhikevich_fixed_points(0.2, 1.5)
    nv, nu = sp.izhikevich_nullclines(v_star, 0.2, 1.5)
    np.testing.assert_allclose(nv, nu, atol=1e-9)
    p = sp.adex_preset("tonic")
    v = np.linspace(-80, -45, 2001)
    nv, nw = sp.adex_nullclines(v, p, 0.0)
    crossing = v[np.argmin(np.abs(nv - nw))]
    assert abs(crossing - p.E_L) < 0.2  # without input the rest is near E_L


def test_adex_rheobase_matches_the_closed_form_and_the_simulation():
    p = sp.adex_preset("tonic")
    i_rh = sp.adex_rheobase(p)
    v_star = -50 + 2 * math.log(1 + 2 / 10)
    assert i_rh == pytest.approx(12 * (v_star + 70 - 2), rel=1e-12)
    assert 220.0 < i_rh < 221.0
    res = sp.simulate_adex(p, [i_rh - 3.0, i_rh + 3.0], 1500.0, dt=0.05)
    assert res.spike_counts()[0] == 0 and res.spike_counts()[1] > 0
    with pytest.raises(ValueError, match="saddle-node rheobase needs"):
        sp.adex_rheobase("adapting")  # a/g_L = 0.17 > tau_m/tau_w = 0.056: a Hopf case
    assert sp.adex_rheobase("delayed accelerating") == pytest.approx(2 * (-50 + 2 * math.log(1 - 10 / 12) + 70 - 2))


# --- integration schemes against references ------------------------------------------------------


def _paper_loop(a, b, c, d, I, n_ms):
    """The 2003 paper's MATLAB loop, transcribed literally (reference for scheme='paper')."""
    v = -65.0
    u = b * v
    firings = []
    for t in range(n_ms):
        if v >= 30:
            firings.append(t)
            v = c
            u = u + d
        v = v + 0.5 * (0.04 * v**2 + 5 * v + 140 - u + I)
        v = v + 0.5 * (0.04 * v**2 + 5 * v + 140 - u + I)
        u = u + a * (b * v - u)
    return np.array(firings, dtype=float)


@pytest.mark.parametrize("name", ["RS", "CH", "FS"])
def test_paper_scheme_reproduces_the_papers_loop(name):
    p = sp.izhikevich_preset(name)
    res = sp.simulate_izhikevich(p, 10.0, 1000.0, scheme="paper")
    np.testing.assert_array_equal(res.spike_times[0], _paper_loop(p.a, p.b, p.c, p.d, 10.0, 1000))
    assert res.dt == 1.0 and res.scheme == "paper"


def test_spike_counts_depend_on_the_scheme():
    p = sp.izhikevich_preset("FS")
    paper = sp.simulate_izhikevich(p, 10.0, 1000.0, scheme="paper").spike_counts()[0]
    fine = sp.simulate_izhikevich(p, 10.0, 1000.0, scheme="euler", dt=0.01).spike_counts()[0]
    assert fine > 1.5 * paper


def _iz_rhs(p, I):
    return lambda t, y: [0.04 * y[0] ** 2 + 5 * y[0] + 140 - y[1] + I, p.a * (p.b * y[0] - y[1])]


def test_izhikevich_euler_converges_to_solve_ivp_below_threshold():
    p, I = sp.izhikevich_preset("RS"), 2.0  # (-65, -13) would be the rest point for I = 3
    t_max = 200.0
    ref = solve_ivp(_iz_rhs(p, I), (0, t_max), [-65.0, p.b * -65.0], rtol=1e-10, atol=1e-10, dense_output=True)
    errors = []
    for dt in (0.1, 0.05, 0.025):
        res = sp.simulate_izhikevich(p, I, t_max, scheme="euler", dt=dt)
        assert res.spike_counts()[0] == 0
        errors.append(np.max(np.abs(res.v[:, 0] - ref.sol(res.t)[0])))
    assert errors[-1] < 0.01
    # first order: halving dt halves the error
    assert 1.7 < errors[0] / errors[1] < 2.3 and 1.7 < errors[1] / errors[2] < 2.3


def test_adex_first_spike_time_matches_solve_ivp():
    p, I = sp.adex_preset("tonic"), 500.0

    def rhs(t, y):
        v, w = y
        dv = (-p.g_L * (v - p.E_L) + p.g_L * p.Delta_T * math.exp(min((v - p.V_T) / p.Delta_T, 50)) + I - w) / p.C
        return [dv, (p.a * (v - p.E_L) - w) / p.tau_w]

    def hit(t, y):
        return y[0] - p.V_peak

    hit.terminal = True
    ref = solve_ivp(rhs, (0, 100), [p.E_L, 0.0], events=hit, rtol=1e-10, atol=1e-10, method="LSODA")
    t_ref = ref.t_events[0][0]
    for dt, tol in [(0.05, 0.25), (0.01, 0.06)]:  # first order: error about 3.5 dt
        res = sp.simulate_adex(p, I, 50.0, dt=dt)
        assert abs(res.spike_times[0][0] - t_ref) < tol


def test_adex_subthreshold_matches_solve_ivp():
    p, I = sp.adex_preset("adapting"), 100.0  # below rheobase: relaxes to a rest point
    t_max = 300.0

    def rhs(t, y):
        v, w = y
        dv = (-p.g_L * (v - p.E_L) + p.g_L * p.Delta_T * math.exp((v - p.V_T) / p.Delta_T) + I - w) / p.C
        return [dv, (p.a * (v - p.E_L) - w) / p.tau_w]

    ref = solve_ivp(rhs, (0, t_max), [p.E_L, 0.0], rtol=1e-10, atol=1e-10, dense_output=True)
    res = sp.simulate_adex(p, I, t_max, dt=0.02)
    assert res.spike_counts()[0] == 0
    np.testing.assert_allclose(res.v[:, 0], ref.sol(res.t)[0], atol=0.01)
    np.testing.assert_allclose(res.w[:, 0], ref.sol(res.t)[1], atol=0.05)


def test_batch_equals_single_runs():
    # nine neurons: more than SCALAR_MAX, so the NumPy path runs against the plain-float one
    names = ["tonic", "adapting", "initial burst"] * 3
    assert len(names) > sp.SCALAR_MAX
    currents = [sp.ADEX_CURRENTS[n] for n in names]
    batch = sp.simulate_adex(names, currents, 200.0, dt=0.05)
    assert batch.v.shape == (4001, 9) and batch.w.shape == (4001, 9)
    for i, (name, I) in enumerate(zip(names, currents)):
        one = sp.simulate_adex(name, I, 200.0, dt=0.05)
        np.testing.assert_allclose(batch.v[:, i], one.v[:, 0], rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(batch.spike_times[i], one.spike_times[0])
    # one preset, a batch of currents
    iz = sp.simulate_izhikevich("RS", np.linspace(5.0, 15.0, 11), 300.0, scheme="euler", dt=0.1)
    counts = iz.spike_counts()
    assert iz.u.shape == (3001, 11) and counts[0] < counts[5] < counts[10]
    single = sp.simulate_izhikevich("RS", 10.0, 300.0, scheme="euler", dt=0.1)
    np.testing.assert_allclose(iz.v[:, 5], single.v[:, 0], atol=1e-6)
    paper = sp.simulate_izhikevich(["RS", "CH"] * 5, 10.0, 1000.0, scheme="paper")
    np.testing.assert_array_equal(paper.spike_times[3], _paper_loop(0.02, 0.2, -50, 2, 10.0, 1000))


def test_result_has_named_arrays_and_spike_samples_show_the_peak():
    res = sp.simulate_izhikevich("RS", 10.0, 200.0, scheme="euler", dt=0.1)
    assert res.t.shape == (2001,) and res.v.shape == (2001, 1) and res.I.shape == (2000, 1)
    k = np.round(res.spike_times[0] / res.dt).astype(int)
    np.testing.assert_allclose(res.v[k, 0], 30.0)
    assert res.v.max() <= 30.0
    with pytest.raises(AttributeError, match="has u, not w"):
        res.w
    assert res.rates()[0] == pytest.approx(res.spike_counts()[0] / 0.2)


def test_step_current_switches_at_the_given_times():
    f = sp.step_current(5.0, t_on=10.0, t_off=20.0, baseline=-1.0)
    assert [f(0.0), f(10.0), f(19.9), f(20.0)] == [-1.0, 5.0, 5.0, -1.0]
    res = sp.simulate_izhikevich("RS", f, 30.0, scheme="paper")
    assert res.I[5, 0] == -1.0 and res.I[15, 0] == 5.0


# --- every preset shows its pattern -------------------------------------------------------------

ADEX_PATTERN = {
    "tonic": "tonic",
    "adapting": "adapting",
    "initial burst": "initial burst",
    "regular bursting": "bursting",
    "delayed accelerating": "delayed accelerating",
    "delayed regular bursting": "delayed bursting",
    "transient spiking": "transient",
    "irregular": "irregular",
}


@pytest.fixture(scope="module")
def adex_gallery():
    names = list(sp.ADEX_PRESETS)
    return names, sp.simulate_adex(names, [sp.ADEX_CURRENTS[n] for n in names], 1000.0, dt=0.05)


@pytest.mark.parametrize("name", list(ADEX_PATTERN))
def test_adex_preset_shows_its_pattern(adex_gallery, name):
    names, res = adex_gallery
    stats = res.describe(names.index(name))
    assert stats.pattern == ADEX_PATTERN[name]
    if name == "tonic":
        assert abs(stats.isi_ratio - 1) < 0.2 and abs(stats.adaptation_index) < 0.01
    if name == "adapting":  # growing ISIs
        assert np.all(np.diff(stats.isis[:6]) > 0) and stats.adaptation_index > 0.02
    if name in ("regular bursting", "delayed regular bursting"):  # short ISIs in groups
        assert len(stats.bursts) >= 5 and all(b.size >= 2 for b in stats.bursts)
    if name == "transient spiking":
        assert stats.n_spikes == 1
    if name == "irregular":
        assert stats.cv_late > 0.3
    if name == "delayed accelerating":
        assert stats.delayed and stats.isis[-1] < 0.7 * stats.isis[0]


IZ_PATTERN = {"RS": "adapting", "IB": "initial burst", "CH": "bursting", "FS": "tonic", "LTS": "adapting"}


@pytest.fixture(scope="module")
def iz_gallery():
    names = list(IZ_PATTERN)
    return names, sp.simulate_izhikevich(
        names, [sp.IZHIKEVICH_CURRENTS[n] for n in names], 1000.0, scheme="euler", dt=0.05
    )


@pytest.mark.parametrize("name", list(IZ_PATTERN))
def test_izhikevich_cortical_preset_shows_its_pattern(iz_gallery, name):
    names, res = iz_gallery
    assert res.describe(names.index(name)).pattern == IZ_PATTERN[name]


def test_fs_fires_faster_than_rs_and_lts_adapts_more_than_fs():
    res = sp.simulate_izhikevich(["RS", "FS", "LTS"], 6.0, 1000.0, scheme="euler", dt=0.05)
    rs, fs, lts = (res.describe(i) for i in range(3))
    assert fs.n_spikes > 3 * rs.n_spikes
    assert lts.isi_ratio > fs.isi_ratio


def test_tc_fires_a_rebound_burst_after_hyperpolarisation_and_rs_does_not():
    release = sp.step_current(0.0, t_on=200.0, baseline=-10.0)  # -10 until 200 ms, then 0
    res = sp.simulate_izhikevich(["TC", "RS", "FS"], release, 400.0, scheme="euler", dt=0.05)
    tc = res.spike_times[0]
    assert np.all(tc >= 200.0)  # silent while hyperpolarised
    assert np.sum(tc < 260.0) >= 3  # a rebound burst right after release
    assert res.spike_counts()[1] == 0 and res.spike_counts()[2] == 0


def test_rz_rings_after_a_small_pulse_and_rs_does_not():
    def pulse(t):
        return 2.0 if 100.0 <= t < 101.0 else 0.0

    out = {}
    for name in ("RZ", "RS"):
        p = sp.izhikevich_preset(name)
        rest = sp.izhikevich_fixed_points(p.b)[0]
        res = sp.simulate_izhikevich(p, pulse, 400.0, scheme="euler", dt=0.05, v0=rest, u0=p.b * rest)
        assert res.spike_counts()[0] == 0
        x = res.v[res.t > 102.0, 0] - rest
        out[name] = int(np.sum(np.diff(np.sign(x)) != 0))
    assert out["RZ"] >= 3 and out["RS"] <= 1


# --- descriptors ---------------------------------------------------------------------------------


def test_descriptors_on_known_trains():
    regular = np.arange(10.0, 500.0, 10.0)
    np.testing.assert_allclose(sp.isi(regular), 10.0)
    assert sp.cv(sp.isi(regular)) == pytest.approx(0.0, abs=1e-12)
    assert sp.adaptation_index(sp.isi(regular)) == pytest.approx(0.0, abs=1e-12)
    assert sp.firing_pattern(regular, 0.0, 500.0) == "tonic"
    assert sp.detect_bursts(regular) == []
    growing = np.cumsum(np.linspace(5, 40, 15))
    assert sp.adaptation_index(sp.isi(growing)) > 0 > sp.adaptation_index(sp.isi(growing)[::-1])
    assert sp.firing_pattern(growing, 0.0, growing[-1] + 1) == "adapting"
    # four bursts of three spikes 2 ms apart, every 50 ms
    bursty = np.concatenate([t0 + np.array([0.0, 2.0, 4.0]) for t0 in (10, 60, 110, 160)])
    bursts = sp.detect_bursts(bursty)
    assert len(bursts) == 4 and all(b.size == 3 for b in bursts)
    assert sp.firing_pattern(bursty, 0.0, 200.0) == "bursting"
    assert sp.firing_pattern([], 0.0, 100.0) == "silent"
    assert sp.firing_pattern([5.0, 9.0], 0.0, 100.0) == "transient"
    assert sp.firing_pattern(np.arange(60.0, 300.0, 5.0), 0.0, 300.0) == "delayed tonic"


def test_cv_of_a_poisson_train_is_near_one():
    rng = np.random.default_rng(4)
    train = np.cumsum(rng.exponential(10.0, size=4000))
    assert sp.cv(sp.isi(train)) == pytest.approx(1.0, abs=0.05)
    assert sp.firing_pattern(train[train < 5000], 0.0, 5000.0) == "irregular"
    assert math.isnan(sp.cv([3.0]))


# --- bad inputs ---------------------------------------------------------------------------------


def test_unknown_preset_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"unknown Izhikevich preset 'XX'; valid presets are: 'RS', 'IB'.*'RZ'"):
        sp.izhikevich_preset("XX")
    with pytest.raises(ValueError, match=r"unknown AdEx preset 'bursty'; valid presets are: 'tonic'.*'irregular'"):
        sp.simulate_adex("bursty", 100.0, 10.0)
    with pytest.raises(ValueError, match="valid presets are: 'RS'"):
        sp.simulate_izhikevich("rs", 10.0, 10.0)


def test_non_positive_dt_and_bad_durations_are_rejected():
    for dt in (0.0, -0.1):
        with pytest.raises(ValueError, match="dt must be > 0 ms"):
            sp.simulate_izhikevich("RS", 10.0, 10.0, scheme="euler", dt=dt)
        with pytest.raises(ValueError, match="dt must be > 0 ms"):
            sp.simulate_adex("tonic", 500.0, 10.0, dt=dt)
    with pytest.raises(ValueError, match="dt must be 1 ms with scheme='paper'"):
        sp.simulate_izhikevich("RS", 10.0, 10.0, scheme="paper", dt=0.5)
    with pytest.raises(ValueError, match="unknown scheme 'rk4'"):
        sp.simulate_izhikevich("RS", 10.0, 10.0, scheme="rk4")
    with pytest.raises(ValueError, match="t_max must be a positive whole number"):
        sp.simulate_adex("tonic", 500.0, 10.03, dt=0.05)
    with pytest.raises(ValueError, match="t_max must be > 0"):
        sp.simulate_adex("tonic", 500.0, -1.0)


def test_nan_parameters_and_inputs_are_rejected():
    with pytest.raises(ValueError, match="a must be a finite number"):
        sp.IzhikevichParams(a=float("nan"), b=0.2, c=-65, d=8)
    with pytest.raises(ValueError, match="tau_w must be a finite number ms"):
        sp.AdExParams(C=200, g_L=10, E_L=-70, a=2, tau_w=float("nan"), b=0, V_r=-58)
    with pytest.raises(ValueError, match="C must be > 0 pF"):
        sp.AdExParams(C=-200, g_L=10, E_L=-70, a=2, tau_w=30, b=0, V_r=-58)
    with pytest.raises(ValueError, match="V_peak must be above V_T and V_r"):
        sp.AdExParams(C=200, g_L=10, E_L=-70, a=2, tau_w=30, b=0, V_r=-58, V_peak=-60)
    with pytest.raises(TypeError, match="b must be a real number"):
        sp.IzhikevichParams(a=0.02, b="0.2", c=-65, d=8)
    with pytest.raises(ValueError, match="I must not contain NaN"):
        sp.simulate_izhikevich("RS", [10.0, float("nan")], 10.0)
    with pytest.raises(ValueError, match="I must be finite"):
        sp.simulate_adex("tonic", float("inf"), 10.0)
    with pytest.raises(ValueError, match="v0 must not contain NaN"):
        sp.simulate_adex("tonic", 500.0, 10.0, v0=float("nan"))
    with pytest.raises(ValueError, match="b must be a finite number"):
        sp.izhikevich_fixed_points(float("nan"))
    with pytest.raises(TypeError, match="params must be an IzhikevichParams"):
        sp.simulate_izhikevich(sp.adex_preset("tonic"), 10.0, 10.0)


def test_shape_mismatch_and_blow_up_are_reported():
    with pytest.raises(ValueError, match="2 parameter sets but I has 3 entries"):
        sp.simulate_adex(["tonic", "adapting"], [1.0, 2.0, 3.0], 10.0)
    with pytest.raises(RuntimeError, match="blew up.*smaller dt"):
        sp.simulate_izhikevich("RS", 0.0, 10.0, scheme="euler", dt=0.5, v0=-1e160)
    with pytest.raises(RuntimeError, match="blew up.*smaller dt"):
        sp.simulate_izhikevich(["RS"] * 9, 0.0, 10.0, scheme="euler", dt=0.5, v0=-1e160)
    with pytest.raises(RuntimeError, match="AdEx simulation blew up.*smaller dt"):
        sp.simulate_adex("tonic", 0.0, 10.0, v0=-1e308, dt=1.0)


def test_descriptor_bad_inputs():
    with pytest.raises(ValueError, match="spike_times must be sorted"):
        sp.isi([3.0, 1.0])
    with pytest.raises(ValueError, match="spike_times must be a 1-D array"):
        sp.isi(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="t_stop must be > t_start"):
        sp.describe([1.0], 10.0, 5.0)
    with pytest.raises(ValueError, match="pause_ratio must be > 0"):
        sp.detect_bursts([1.0, 2.0, 3.0], pause_ratio=0.0)
    with pytest.raises(ValueError, match="t_off must be > t_on"):
        sp.step_current(1.0, t_on=5.0, t_off=5.0)


def test_cost_per_simulated_second_is_positive_and_validates():
    cost = sp.cost_per_simulated_second(lambda t: sp.simulate_izhikevich("RS", 10.0, t), t_sim=100.0, repeats=1)
    assert 0 < cost < math.inf
    with pytest.raises(TypeError, match="simulate must be a function"):
        sp.cost_per_simulated_second(None)
    with pytest.raises(ValueError, match="t_sim must be > 0 ms"):
        sp.cost_per_simulated_second(lambda t: None, t_sim=0.0)


# --- the widget -----------------------------------------------------------------------------------


def test_spiking_explorer_draws_the_chosen_model_and_phase_plane():
    app = widgets.spiking_explorer()
    t, v = app.line_v.get_data()
    res = sp.simulate_izhikevich("RS", 10.0, app.T_MAX, scheme="euler", dt=app.DT["izhikevich"])
    np.testing.assert_allclose(v, res.v[:, 0])
    np.testing.assert_allclose(app.fixed.get_xdata(), [])  # I = 10 > 4: no fixed point
    app.update(I=2.0)
    np.testing.assert_allclose(app.fixed.get_xdata(), sp.izhikevich_fixed_points(0.2, 2.0))
    app.update(model="adex", preset="adapting", I=500.0)
    _, v = app.line_v.get_data()
    res = sp.simulate_adex("adapting", 500.0, app.T_MAX, dt=app.DT["adex"])
    np.testing.assert_allclose(v, res.v[:, 0])
    np.testing.assert_allclose(app.traj.get_ydata(), res.w[:, 0])
    assert "adapting" in app.ax_v.get_title() and app.ax_p.get_ylabel() == "w (pA)"


def test_spiking_explorer_model_dropdown_switches_presets_and_current():
    app = widgets.spiking_explorer()
    ui = app.ui
    model, preset, current = ui.children[0].children
    model.value = "adex"
    assert app.params == {"model": "adex", "preset": "tonic", "I": 500.0}
    assert list(preset.options) == list(sp.ADEX_PRESETS) and current.max == 1000.0
    preset.value = "irregular"
    assert app.params["preset"] == "irregular"
    model.value = "izhikevich"
    assert app.params == {"model": "izhikevich", "preset": "RS", "I": 10.0}


def test_spiking_explorer_bad_values():
    with pytest.raises(ValueError, match="valid presets are: 'tonic'"):
        widgets.spiking_explorer(model="adex", preset="RS")
    with pytest.raises(ValueError, match="unknown model 'hh'"):
        widgets.spiking_explorer(model="hh")
    with pytest.raises(ValueError, match=r"I must be in \[-20, 40\]"):
        widgets.spiking_explorer(I=500.0)


# --- the exercises' check functions -----------------------------------------------------------


def test_exercise_checks_accept_right_answers_and_reject_wrong_ones(capsys):
    from neurolib import exercises as ex

    assert ex.check_izhikevich_rest(None) is None
    v = np.roots([0.04, 5 - 0.25, 140]).real  # solved independently of neurolib
    assert ex.check_izhikevich_rest((v.min(), v.max(), 4.75**2 / 0.16 - 140))
    assert not ex.check_izhikevich_rest((-70.0, -50.0, 4.0))  # the RS answer, not LTS

    def naud(isis):
        isis = np.asarray(isis, dtype=float)
        return np.mean([(b - a) / (b + a) for a, b in zip(isis[:-1], isis[1:])])

    assert ex.check_adaptation_index(naud)
    assert not ex.check_adaptation_index(lambda isis: float(np.mean(np.diff(isis))))
    assert ex.check_adaptation_index(None) is None

    assert ex.check_adex_rheobase(12 * (-50 + 2 * math.log(1.2) + 70 - 2))
    assert not ex.check_adex_rheobase(10 * (-50 + 70 - 2))  # forgot the adaptation current
    assert not ex.check_adex_rheobase("a lot")
    assert "Not answered yet" in capsys.readouterr().out


def test_a_neuron_gives_the_same_trace_alone_or_in_a_batch_issue_18():
    # The scalar path (few neurons) and the vectorised path (many) must round alike, so that
    # a neuron's spikes do not depend on the batch it was simulated in.
    names = list(sp.IZHIKEVICH_PRESETS)
    batch = [names[i % len(names)] for i in range(sp.SCALAR_MAX + 5)]
    currents = np.linspace(4.0, 40.0, len(batch))
    for scheme in ("paper", "euler"):
        together = sp.simulate_izhikevich(batch, currents, 300.0, scheme=scheme)
        for i in (0, 3, len(batch) - 1):
            alone = sp.simulate_izhikevich(batch[i], currents[i], 300.0, scheme=scheme)
            np.testing.assert_array_equal(alone.v[:, 0], together.v[:, i])
            np.testing.assert_array_equal(alone.spike_times[0], together.spike_times[i])


def test_bad_inputs_get_clear_answers_issue_18():
    with pytest.raises(ValueError, match=r"reduce t_max .* or increase dt"):
        sp.simulate_izhikevich("RS", 10.0, 1e12)
    with pytest.raises(ValueError, match="params: unknown Izhikevich preset"):
        sp.simulate_izhikevich("XX", 10.0, 10.0)
    with pytest.raises(TypeError, match="params must be an IzhikevichParams"):
        sp.simulate_izhikevich(1.5, 10.0, 10.0)
    with pytest.raises(sp.SimulationBlowUp, match="the input I and the initial v0 and u0"):
        sp.simulate_izhikevich("RS", 1e12, 10.0)
    with pytest.raises(ValueError, match=r"w0 must be a number or an array of 1 values"):
        sp.simulate_adex("tonic", 500.0, 10.0, w0=[0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match="I must hold at least one value"):
        sp.simulate_adex("tonic", [], 10.0)
    with pytest.raises(ValueError, match="b or I are too large"):
        sp.izhikevich_fixed_points(1e300)
    with pytest.raises(ValueError, match="skip must be >= 0"):
        sp.adaptation_index([1.0, 2.0, 3.0], skip=-2)
    with pytest.raises(TypeError, match="skip must be an integer"):
        sp.adaptation_index([1.0, 2.0, 3.0], skip=1.5)
    with pytest.raises(ValueError, match="repeats must be >= 1"):
        sp.cost_per_simulated_second(lambda t: None, 1.0, repeats=0)
    res = sp.simulate_izhikevich("RS", 10.0, 50.0)
    with pytest.raises(ValueError, match="i must be <= 0"):
        res.describe(3)
    # huge but finite intervals: a finite answer, not NaN
    assert sp.cv([1e300, 1e300]) == 0.0
    assert abs(sp.adaptation_index([1e308, 1.5e308, 1.5e308]) - 0.1) < 1e-12
