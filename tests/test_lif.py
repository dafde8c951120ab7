"""Chapter 03: the leaky integrate-and-fire neuron, checked against independent references.

References: the closed-form trajectory and rate (written out here in their textbook form,
not with the package's log1p form), high-accuracy ``scipy.integrate.solve_ivp`` runs with
threshold events, and the known values G(2.1) ≈ 66.97 Hz and G(2) ≈ 63.04 Hz
(tau_ref = 2 ms, tau_m = 20 ms).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from neurolib import exercises, lif, widgets

V_IN = np.array([1.05, 1.2, 1.5, 2.0, 3.0, 5.0])  # the inputs of SYLLABUS §3 and the issue


def textbook_rate(v_in, tau_m=20.0, tau_ref=2.0):
    """G = 1 / (tau_ref - tau_m ln(1 - 1/v_in)) in Hz, the formula as printed (v_in > 1)."""
    return 1000.0 / (tau_ref - tau_m * np.log(1.0 - 1.0 / np.asarray(v_in, dtype=float)))


def reference_spikes(drive, t_max, *, tau_m=20.0, tau_ref=2.0, v_reset=0.0, v0=0.0):
    """Spike times of tau_m dv/dt = drive(t) - v, integrated by solve_ivp with a threshold event."""

    def rhs(t, y):
        return [(drive(t) - y[0]) / tau_m]

    def crossing(t, y):
        return y[0] - 1.0

    crossing.terminal = True
    crossing.direction = 1
    t, v, spikes = 0.0, v0, []
    while t < t_max:
        sol = solve_ivp(rhs, (t, t_max), [v], events=crossing, method="DOP853", rtol=1e-11, atol=1e-12)
        if not sol.t_events[0].size:
            break
        spikes.append(sol.t_events[0][0])
        t, v = spikes[-1] + tau_ref, v_reset
    return np.array(spikes)


# --- closed forms ---------------------------------------------------------------------------


def test_rate_known_values_for_cortical_parameters():
    assert lif.firing_rate(2.1, tau_m=20.0, tau_ref=2.0) == pytest.approx(66.97, abs=0.005)
    assert lif.firing_rate(2.0, tau_m=20.0, tau_ref=2.0) == pytest.approx(63.04, abs=0.005)
    assert lif.TAU_M == 20.0 and lif.TAU_REF == 2.0  # the defaults are the chapter's values


def test_stable_rate_equals_textbook_formula():
    v = np.linspace(1.01, 50.0, 500)
    np.testing.assert_allclose(lif.firing_rate(v), textbook_rate(v), rtol=1e-12)
    np.testing.assert_allclose(lif.isi(v), 1000.0 / textbook_rate(v), rtol=1e-12)


def test_rate_is_zero_at_and_below_threshold_and_saturates_at_one_over_tau_ref():
    below = np.array([-1e4, -1.0, 0.0, 0.5, 0.999999, 1.0])
    assert np.all(lif.firing_rate(below) == 0.0)
    assert np.all(np.isinf(lif.isi(below)))
    assert lif.firing_rate(np.inf, tau_ref=2.0) == 500.0
    assert 499.0 < lif.firing_rate(1e4, tau_ref=2.0) < 500.0
    v = np.linspace(1.0001, 100.0, 1000)
    assert np.all(np.diff(lif.firing_rate(v)) > 0)  # increasing ...
    assert np.all(lif.firing_rate(v) < 500.0)  # ... towards 1/tau_ref


def test_rate_is_finite_and_accurate_where_the_textbook_formula_is_not():
    v = np.array([1.0 + 1e-15, 1.0 + 1e-12, 1e4, 1e12, 1e300])
    with np.errstate(all="raise"):
        g = lif.firing_rate(v)
    assert np.all(np.isfinite(g)) and np.all(g > 0)
    # near threshold G ~ 1 / (tau_ref + tau_m ln(1/eps)): continuous, arbitrarily low (type I)
    eps = v[1] - 1.0  # the double nearest 1e-12 above 1, exactly
    assert g[1] == pytest.approx(1000.0 / (2.0 + 20.0 * np.log1p(1.0 / eps)), rel=1e-12)
    # for huge inputs 1 - 1/v_in rounds to 1 in the textbook form; log1p keeps the 1/v_in term
    assert g[3] == pytest.approx(1000.0 / (2.0 + 20.0 / 1e12), rel=1e-15)


def test_rate_with_other_reset_matches_textbook_interval():
    v_in, v_r = np.array([1.3, 2.0, 4.0]), -0.5
    expected = 1000.0 / (2.0 + 20.0 * np.log((v_in - v_r) / (v_in - 1.0)))
    np.testing.assert_allclose(lif.firing_rate(v_in, v_reset=v_r), expected, rtol=1e-12)


def test_trajectory_matches_solve_ivp_and_crosses_threshold_at_time_to_threshold():
    t = np.linspace(0.0, 100.0, 101)
    sol = solve_ivp(lambda _, y: (1.7 - y) / 15.0, (0, 100), [0.2], t_eval=t, rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(lif.trajectory(t, 1.7, tau_m=15.0, v0=0.2), sol.y[0], atol=1e-9)
    t_th = lif.time_to_threshold(1.7, tau_m=15.0, v0=0.2)
    assert lif.trajectory(t_th, 1.7, tau_m=15.0, v0=0.2) == pytest.approx(1.0, abs=1e-14)
    assert np.isinf(lif.time_to_threshold(0.9))


def test_input_for_rate_inverts_the_rate():
    rates = np.array([5.0, 10.0, 50.0, 63.04, 200.0, 499.0])
    v = lif.input_for_rate(rates)
    np.testing.assert_allclose(lif.firing_rate(v), rates, rtol=1e-10)
    assert lif.input_for_rate(63.04000219064) == pytest.approx(2.0, rel=1e-9)


def test_params_map_physical_to_normalised_units():
    p = lif.LIFParams()
    assert p.tau_m == pytest.approx(20.0) and p.R == pytest.approx(20.0)
    assert p.threshold_current == pytest.approx(1.0) and p.v_reset == 0.0
    q = lif.LIFParams(C=2.0, g_L=0.1, V_L=-65.0, V_th=-55.0, V_reset=-70.0, tau_ref=3.0)
    assert q.tau_m == pytest.approx(20.0)
    assert q.threshold_current == pytest.approx(1.0)
    assert q.v_reset == pytest.approx(-0.5)
    assert q.voltage(q.normalise_voltage(-61.3)) == pytest.approx(-61.3)


def test_tuning_curve_in_physical_units():
    p = lif.LIFParams(C=1.0, g_L=0.1, V_L=-65.0, V_th=-50.0, V_reset=-65.0, tau_ref=2.0)
    J = np.array([0.0, 1.0, 1.5, 1.5001, 3.0, 1e5])
    curve = lif.tuning_curve(J, p)
    assert curve.threshold_current == pytest.approx(1.5)
    assert curve.max_rate == pytest.approx(500.0)
    assert np.all(curve.rate[:3] == 0.0) and np.all(curve.rate[3:] > 0.0)
    # at 3 µA/cm²: V_in = J/g_L = 30 mV, twice the 15 mV to threshold, tau_m = 10 ms
    assert curve.rate[4] == pytest.approx(textbook_rate(2.0, tau_m=10.0), rel=1e-12)
    assert curve.rate[-1] < curve.max_rate


def test_rate_error_bound_is_dt_times_rate_to_first_order():
    b = lif.rate_error_bound(V_IN, 0.1)
    g = lif.firing_rate(V_IN) / 1000.0
    assert np.all(b < 0.1 * g) and np.all(b > 0.1 * g / 1.1)
    assert lif.rate_error_bound(0.5, 0.1) == 0.0


# --- simulation -----------------------------------------------------------------------------


def test_subthreshold_simulation_is_exact():
    res = lif.simulate(np.array([0.3, 0.9, 1.0]), 200.0, dt=0.5)
    expected = lif.trajectory(res.t[:, None], np.array([0.3, 0.9, 1.0]))
    np.testing.assert_allclose(res.v, expected, atol=1e-13)
    assert res.spike_times.size == 0


def test_interpolated_spike_times_equal_the_analytic_ones():
    res = lif.simulate(V_IN, 500.0, dt=0.1, interpolate=True, record=False)
    for i, v in enumerate(V_IN):
        spikes = res.spikes(i)
        first = lif.time_to_threshold(v)
        expected = first + lif.isi(v) * np.arange(spikes.size)
        assert spikes.size == np.sum(first + lif.isi(v) * np.arange(1000) <= 500.0)
        np.testing.assert_allclose(spikes, expected, atol=1e-9)


@pytest.mark.parametrize("dt", [0.1, 0.01])
def test_simulated_rates_match_G_within_the_time_step_bound(dt):
    G = lif.firing_rate(V_IN)
    grid = lif.simulate(V_IN, 2000.0, dt=dt, interpolate=False, record=False).rates()
    rel = (G - grid) / G
    bound = lif.rate_error_bound(V_IN, dt)
    assert np.all(rel >= -1e-12)  # snapping to the grid only ever delays spikes
    assert np.all(rel <= bound + 1e-12)
    assert rel.max() > 0.05 * bound.max()  # the snapping error is real, not zero
    exact = lif.simulate(V_IN, 2000.0, dt=dt, interpolate=True, record=False).rates()
    np.testing.assert_allclose(exact, G, rtol=1e-9)


def test_smaller_time_step_gives_smaller_grid_error():
    G = lif.firing_rate(V_IN)
    err = [
        np.abs(lif.simulate(V_IN, 2000.0, dt=dt, interpolate=False, record=False).rates() - G) / G
        for dt in (0.1, 0.01)
    ]
    assert err[1].max() < 0.3 * err[0].max()
    assert err[0].max() < 0.016 and err[1].max() < 0.0016  # orders of magnitude of SYLLABUS §3


def test_grid_simulation_holds_v_at_reset_for_the_refractory_period():
    res = lif.simulate(3.0, 100.0, dt=0.1, tau_ref=2.0, interpolate=False)
    k = int(round(res.spike_times[0] / 0.1))
    assert np.all(res.v[k : k + 21, 0] == 0.0)  # the reset sample plus 20 refractory steps
    assert res.v[k + 21, 0] > 0.0
    assert res.v[k - 1, 0] < 1.0


@pytest.mark.parametrize("tau_ref", [0.0, 0.05, 0.25, 3.3])
def test_interpolated_rates_are_exact_for_any_refractory_period(tau_ref):
    res = lif.simulate(V_IN, 1000.0, dt=0.1, tau_ref=tau_ref, record=False)
    np.testing.assert_allclose(res.rates(), lif.firing_rate(V_IN, tau_ref=tau_ref), rtol=1e-9)


@pytest.mark.parametrize("interpolate", [True, False])
def test_array_and_function_inputs_agree_with_constant_input(interpolate):
    const = lif.simulate(V_IN, 300.0, dt=0.1, interpolate=interpolate)
    array = lif.simulate(np.tile(V_IN, (3000, 1)), 300.0, dt=0.1, interpolate=interpolate)
    func = lif.simulate(lambda t: V_IN, 300.0, dt=0.1, interpolate=interpolate)
    for other in (array, func):
        np.testing.assert_allclose(other.spike_times, const.spike_times, atol=1e-12)
        np.testing.assert_array_equal(other.spike_neurons, const.spike_neurons)
        np.testing.assert_allclose(other.v, const.v, atol=1e-12)


def test_time_varying_input_matches_solve_ivp():
    def drive(t):
        return 1.5 + 0.8 * np.sin(2 * np.pi * t / 37.0)

    ref = reference_spikes(drive, 300.0)
    assert ref.size >= 10
    for dt, tol in [(0.1, 1e-3), (0.01, 1e-5)]:  # midpoint input + exact crossing: O(dt^2)
        res = lif.simulate(drive, 300.0, dt=dt, record=False)
        assert res.spike_times.size == ref.size
        np.testing.assert_allclose(res.spike_times, ref, atol=tol)
    grid = lif.simulate(drive, 300.0, dt=0.01, interpolate=False, record=False)
    assert grid.spike_times.size == ref.size
    assert np.abs(grid.spike_times - ref).max() < 0.05


def test_time_varying_input_with_reset_below_rest_matches_solve_ivp():
    rng = np.random.default_rng(5)
    steps = 1.5 + 0.6 * rng.standard_normal(60)  # piecewise constant, 5 ms per piece

    def drive(t):
        return steps[min(int(t // 5.0), steps.size - 1)]

    ref = reference_spikes(drive, 300.0, v_reset=-0.3, tau_ref=1.5)
    arr = np.repeat(steps, 50)[:, None]  # dt = 0.1 ms: 50 steps per piece
    res = lif.simulate(arr, 300.0, dt=0.1, v_reset=-0.3, tau_ref=1.5, record=False)
    assert ref.size > 5 and res.spike_times.size == ref.size
    np.testing.assert_allclose(res.spike_times, ref, atol=1e-6)


def test_population_is_vectorised_neuron_by_neuron():
    pop = lif.simulate(V_IN, 200.0, dt=0.1)
    for i, v in enumerate(V_IN):
        single = lif.simulate(v, 200.0, dt=0.1)
        np.testing.assert_allclose(pop.spikes(i), single.spike_times, atol=1e-12)
        np.testing.assert_allclose(pop.v[:, i], single.v[:, 0], atol=1e-12)
    assert pop.n_neurons == V_IN.size and pop.v.shape == (2001, V_IN.size)
    np.testing.assert_array_equal(pop.spike_counts(), [pop.spikes(i).size for i in range(V_IN.size)])


def test_record_subset_and_rates_by_count():
    res = lif.simulate(V_IN, 1000.0, record=np.array([1, 4]))
    full = lif.simulate(V_IN, 1000.0)
    np.testing.assert_array_equal(res.v, full.v[:, [1, 4]])
    assert lif.simulate(V_IN, 10.0, record=False).v is None
    np.testing.assert_allclose(res.rates("count"), res.spike_counts(), rtol=1e-12)  # 1 s
    pooled = res.isis()
    assert pooled.size == res.spike_times.size - np.count_nonzero(res.spike_counts())
    np.testing.assert_allclose(res.isis(3), lif.isi(2.0), rtol=1e-9)


def test_physical_simulation_matches_solve_ivp_in_millivolts():
    p = lif.LIFParams(C=1.5, g_L=0.1, V_L=-65.0, V_th=-52.0, V_reset=-68.0, tau_ref=2.5)
    J = 2.6  # µA/cm²: V_in = J/g_L = 26 mV, twice the 13 mV to threshold

    def rhs(t, y):
        return [(J - p.g_L * (y[0] - p.V_L)) / p.C]

    def at_threshold(t, y):
        return y[0] - p.V_th

    at_threshold.terminal, at_threshold.direction = True, 1
    t, V, spikes = 0.0, p.V_L, []
    while True:
        sol = solve_ivp(rhs, (t, 200.0), [V], events=at_threshold, method="DOP853", rtol=1e-11, atol=1e-12)
        if not sol.t_events[0].size:
            break
        spikes.append(sol.t_events[0][0])
        t, V = spikes[-1] + p.tau_ref, p.V_reset
    res = lif.simulate_physical(J, 200.0, params=p, dt=0.1)
    assert res.units == "mV"
    np.testing.assert_allclose(res.spike_times, spikes, atol=1e-9)
    assert res.v[0, 0] == pytest.approx(p.V_L)
    assert res.v.max() < p.V_th
    expected_rate = lif.tuning_curve(J, p).rate[0]
    assert res.rates()[0] == pytest.approx(expected_rate, rel=1e-9)
    # a callable current gives the same result
    res_f = lif.simulate_physical(lambda t: J, 200.0, params=p, dt=0.1, V0=-65.0)
    np.testing.assert_allclose(res_f.spike_times, res.spike_times, atol=1e-12)


# --- noise ----------------------------------------------------------------------------------


def test_ornstein_uhlenbeck_has_the_stationary_statistics():
    x = lif.ornstein_uhlenbeck(200_000, 0.5, tau=5.0, mean=0.9, sigma=0.3, n=4, seed=1)
    assert x.shape == (200_000, 4)
    assert x.mean() == pytest.approx(0.9, abs=0.01)
    assert x.std() == pytest.approx(0.3, rel=0.02)
    lag = 10  # 5 ms = one correlation time
    y = x - x.mean()
    rho = np.mean(y[lag:] * y[:-lag]) / np.mean(y * y)
    assert rho == pytest.approx(np.exp(-1.0), abs=0.02)


def test_ornstein_uhlenbeck_is_reproducible_and_respects_x0():
    a = lif.ornstein_uhlenbeck(100, 0.1, tau=5.0, seed=3, n=2)
    b = lif.ornstein_uhlenbeck(100, 0.1, tau=5.0, rng=np.random.default_rng(3), n=2)
    c = lif.ornstein_uhlenbeck(100, 0.1, tau=5.0, seed=4, n=2)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    d = lif.ornstein_uhlenbeck(50, 0.1, tau=5.0, mean=1.2, sigma=0.0, x0=0.0, seed=0)
    np.testing.assert_allclose(d[:, 0], lif.trajectory(np.arange(50) * 0.1, 1.2, tau_m=5.0), atol=1e-12)


def test_isi_cv_of_a_clock_and_of_a_poisson_process():
    assert lif.isi_cv(np.full(10, 4.0)) == 0.0
    rng = np.random.default_rng(0)
    assert lif.isi_cv(rng.exponential(10.0, 100_000)) == pytest.approx(1.0, abs=0.02)


def test_noise_turns_regular_firing_irregular():
    n_steps, dt = 20_000, 0.1
    quiet = lif.ornstein_uhlenbeck(n_steps, dt, tau=5.0, mean=1.5, sigma=0.02, n=20, seed=11)
    noisy = lif.ornstein_uhlenbeck(n_steps, dt, tau=5.0, mean=0.9, sigma=0.4, n=20, seed=12)
    cv_quiet = lif.isi_cv(lif.simulate(quiet, 2000.0, dt=dt, record=False).isis())
    cv_noisy = lif.isi_cv(lif.simulate(noisy, 2000.0, dt=dt, record=False).isis())
    assert cv_quiet < 0.05
    assert cv_noisy > 0.5


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"dt": 0.0}, "dt must be > 0 ms"),
        ({"dt": -0.1}, "dt must be > 0 ms, got -0.1"),
        ({"tau_m": 0.0}, "tau_m must be > 0 ms"),
        ({"tau_ref": -1.0}, "tau_ref must be >= 0 ms"),
        ({"v_reset": 1.0}, "v_reset must be < 1"),
        ({"v0": 1.2}, "v0 must be < 1"),
        ({"v0": np.zeros(3)}, r"v0 must be a number or an array of shape \(1,\)"),
        ({"t_max": 10.05}, "t_max must be a whole number of steps"),
        ({"t_max": -5.0}, "t_max must be > 0 ms"),
        ({"n_neurons": 0}, "n_neurons must be >= 1"),
        ({"interpolate": "yes"}, "interpolate must be True or False"),
        ({"record": np.array([5])}, r"record must hold neuron indices in \[0, 1\)"),
    ],
)
def test_simulate_rejects_bad_parameters(kwargs, match):
    args = {"v_in": 2.0, "t_max": 10.0, **kwargs}
    with pytest.raises((ValueError, TypeError), match=match):
        lif.simulate(args.pop("v_in"), args.pop("t_max"), **args)


def test_simulate_rejects_bad_inputs():
    with pytest.raises(ValueError, match="v_in must not contain NaN"):
        lif.simulate(np.array([1.0, np.nan]), 10.0)
    with pytest.raises(ValueError, match="v_in must be finite"):
        lif.simulate(np.inf, 10.0)
    with pytest.raises(TypeError, match="v_in must be a real number"):
        lif.simulate("2.0", 10.0)
    with pytest.raises(ValueError, match=r"shape \(n_steps, N\) = \(100, N\)"):
        lif.simulate(np.ones((99, 3)), 10.0)
    with pytest.raises(ValueError, match="v_in must be a number, a 1-D array"):
        lif.simulate(np.ones((100, 3, 1)), 10.0)
    with pytest.raises(ValueError, match=r"v_in\(t\) returned NaN or inf at t = 5.05 ms"):
        lif.simulate(lambda t: 2.0 if t < 5.0 else np.nan, 10.0)
    with pytest.raises(ValueError, match="n_neurons=2 does not match the 3 inputs"):
        lif.simulate(np.ones(3), 10.0, n_neurons=2)
    with pytest.raises(ValueError, match="pass record=False"):
        lif.simulate(np.ones(10_000), 10_000.0, dt=0.1)


def test_closed_forms_reject_bad_input():
    with pytest.raises(ValueError, match="tau_m must be > 0 ms"):
        lif.firing_rate(2.0, tau_m=-20.0)
    with pytest.raises(ValueError, match="tau_ref must be >= 0 ms"):
        lif.isi(2.0, tau_ref=-2.0)
    with pytest.raises(ValueError, match="v_in must not contain NaN"):
        lif.firing_rate(np.nan)
    with pytest.raises(ValueError, match="v_reset must be < 1"):
        lif.firing_rate(2.0, v_reset=1.5)
    with pytest.raises(ValueError, match=r"rate must be in \(0, 1000/tau_ref\) = \(0, 500\) Hz"):
        lif.input_for_rate(600.0)
    with pytest.raises(ValueError, match="rate must be in"):
        lif.input_for_rate(0.0)
    with pytest.raises(ValueError, match="t must be >= 0 ms"):
        lif.trajectory(-1.0, 2.0)
    with pytest.raises(ValueError, match="dt must be > 0 ms"):
        lif.rate_error_bound(2.0, 0.0)
    with pytest.raises(TypeError, match="params must be a LIFParams"):
        lif.tuning_curve([1.0], params={"C": 1.0})
    with pytest.raises(ValueError, match="intervals must hold at least 2"):
        lif.isi_cv([3.0])
    with pytest.raises(ValueError, match="intervals must be >= 0 ms"):
        lif.isi_cv([3.0, -1.0])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"C": 0.0}, "C must be > 0 µF/cm²"),
        ({"g_L": -0.1}, "g_L must be > 0 mS/cm²"),
        ({"V_th": -80.0}, "V_th must be > V_L"),
        ({"V_reset": -40.0}, "V_reset must be < V_th"),
        ({"V_L": float("nan")}, "V_L must be a finite number mV"),
        ({"tau_ref": -1.0}, "tau_ref must be >= 0 ms"),
    ],
)
def test_params_reject_bad_values(kwargs, match):
    with pytest.raises(ValueError, match=match):
        lif.LIFParams(**kwargs)


def test_ornstein_uhlenbeck_rejects_bad_input():
    with pytest.raises(ValueError, match="tau must be > 0 ms"):
        lif.ornstein_uhlenbeck(10, 0.1, tau=0.0)
    with pytest.raises(ValueError, match="sigma must be >= 0"):
        lif.ornstein_uhlenbeck(10, 0.1, tau=5.0, sigma=-1.0)
    with pytest.raises(ValueError, match="give either seed or rng"):
        lif.ornstein_uhlenbeck(10, 0.1, tau=5.0, seed=1, rng=np.random.default_rng(1))
    with pytest.raises(ValueError, match=r"x0 must be a number or an array of shape \(2,\)"):
        lif.ornstein_uhlenbeck(10, 0.1, tau=5.0, n=2, x0=np.zeros(3))
    with pytest.raises(ValueError, match="n_steps must be >= 1"):
        lif.ornstein_uhlenbeck(0, 0.1, tau=5.0)


# --- widget and exercises -------------------------------------------------------------------


def test_lif_explorer_shows_trace_and_point_on_the_tuning_curve():
    app = widgets.lif_explorer()
    before = app.line_v.get_ydata().copy()
    app.update(v_in=3.0, tau_m=10.0, tau_ref=4.0)
    t, v = app.line_v.get_data()
    assert not np.array_equal(v, before)
    expected = lif.simulate(3.0, app.T_MAX, dt=app.DT, tau_m=10.0, tau_ref=4.0)
    at_spike = np.isin(t, expected.spike_times)
    assert at_spike.sum() == expected.spike_times.size > 5
    np.testing.assert_array_equal(v[at_spike], 1.0)  # the trace touches threshold at each spike
    np.testing.assert_allclose(t[~at_spike], expected.t)
    np.testing.assert_allclose(v[~at_spike], expected.v[:, 0])
    assert np.all(np.diff(t) >= 0)
    g = lif.firing_rate(3.0, tau_m=10.0, tau_ref=4.0)
    assert app.point.get_ydata()[0] == pytest.approx(g)
    assert app.point_sim.get_ydata()[0] == pytest.approx(g, rel=1e-9)
    np.testing.assert_allclose(app.line_g.get_ydata(), lif.firing_rate(app.v_in_grid, tau_m=10.0, tau_ref=4.0))
    app.update(v_in=0.8)  # below threshold: no spikes, rate 0, trace relaxes to 0.8
    assert app.point.get_ydata()[0] == 0.0 and app.point_sim.get_ydata()[0] == 0.0
    assert app.line_v.get_ydata()[-1] == pytest.approx(0.8, abs=1e-3)


def test_lif_explorer_rejects_bad_values():
    with pytest.raises(ValueError, match=r"v_in must be in \[0, 6\]"):
        widgets.lif_explorer(v_in=7.0)
    with pytest.raises(ValueError, match=r"tau_m must be in \[1, 100\] ms"):
        widgets.lif_explorer(tau_m=0.0)
    with pytest.raises(ValueError, match="tau_ref must be a finite number ms"):
        widgets.lif_explorer(tau_ref=np.nan)


def test_exercise_checks_accept_right_and_reject_wrong_answers(capsys):
    def stable(v):
        v = np.asarray(v, dtype=float)
        out = np.zeros_like(v)
        above = v > 1
        out[above] = 1000.0 / (2.0 + 20.0 * np.log1p(1.0 / (v[above] - 1.0)))
        return out

    assert exercises.check_lif_rate(stable)
    assert not exercises.check_lif_rate(lambda v: textbook_rate(v))  # NaN below threshold
    assert not exercises.check_lif_rate(lambda v: np.where(v > 1, 1000.0 / (20.0 * np.log1p(1.0 / np.abs(v - 1 + 1e-300))), 0.0))
    assert not exercises.check_lif_rate(None)
    assert exercises.check_lif_threshold((1.5, 10.0))
    assert not exercises.check_lif_threshold((1.0, 10.0))
    v = float(lif.input_for_rate(exercises.EX_TARGET_RATE))
    assert exercises.check_input_for_rate(v)
    assert not exercises.check_input_for_rate(v * 1.01)
    assert not exercises.check_input_for_rate("two")
    assert "Not yet:" in capsys.readouterr().out


def test_bad_inputs_get_clear_answers_issue_18():
    # no limit on steps used to mean a run of 1e10 steps; now refused at once, naming t_max and dt
    with pytest.raises(ValueError, match=r"reduce t_max \(1e\+09\) or increase dt"):
        lif.simulate(1.5, 1e9, record=False)
    with pytest.raises(ValueError, match="n_neurons=1000000000000 would need"):
        lif.simulate(1.5, 10.0, n_neurons=10**12)
    # simulate_physical names its own arguments
    with pytest.raises(ValueError, match=r"J_in\(t\) must not contain NaN"):
        lif.simulate_physical(lambda t: np.nan, 10.0)
    with pytest.raises(ValueError, match="J_in must be a number, a 1-D array"):
        lif.simulate_physical(np.zeros((2, 3, 4)), 10.0)
    with pytest.raises(ValueError, match="V0 must be < V_th = -50 mV, got a maximum of 0"):
        lif.simulate_physical(1.5, 10.0, V0=0.0)
    with pytest.raises(TypeError, match="params must be a LIFParams"):
        lif.simulate_physical(1.5, 10.0, params="default")
    with pytest.raises(TypeError, match="J_in must be a real number"):
        lif.LIFParams().normalise_input("1.5")
    with pytest.raises(ValueError, match=r"reduce n_steps or n"):
        lif.ornstein_uhlenbeck(10**12, 0.1, tau=5.0)
    assert lif.LIFParams().normalise_voltage(-60.0) == 0.5


def test_isi_cv_of_huge_intervals_is_finite_issue_18():
    assert lif.isi_cv([1e300, 3e300]) == pytest.approx(0.5)
