"""Rate-coded neurons and reservoirs (chapter 05): physics against independent references."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from neurolib import activations as act
from neurolib import exercises as ex
from neurolib import lif, rate, widgets

# --- the single rate neuron ----------------------------------------------------------------


@pytest.mark.parametrize("tau, dt, amplitude", [(10.0, 1.0, 1.0), (5.0, 0.1, 2.5), (30.0, 7.5, -0.8)])
def test_step_response_matches_analytic_formula(tau, dt, amplitude):
    n = int(round(10 * tau / dt))
    res = rate.simulate_neuron(np.full(n, amplitude), tau=tau, dt=dt, transfer="linear")
    expected = amplitude * (1 - np.exp(-res.t / tau))  # I (1 - e^{-t/tau}), typed independently
    np.testing.assert_allclose(res.v, expected, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(rate.step_response(res.t, amplitude, tau=tau), expected, rtol=1e-13, atol=1e-14)
    # after one time constant the neuron has covered 1 - 1/e of the way
    k = int(round(tau / dt))
    assert res.v[k] == pytest.approx(amplitude * (1 - np.exp(-1)), rel=1e-12)


def test_step_response_with_initial_value():
    t = np.array([0.0, 10.0, 1e3])
    v = rate.step_response(t, 2.0, tau=10.0, v0=-1.0)
    np.testing.assert_allclose(v, [-1.0, 2.0 - 3.0 * np.exp(-1.0), 2.0])


def test_weighted_piecewise_input_matches_solve_ivp():
    rng = np.random.default_rng(1)
    dt, tau, n = 2.0, 8.0, 40
    inputs = rng.uniform(0, 5, size=(n, 3))
    w, b = np.array([0.5, -1.0, 0.25]), 0.3
    res = rate.simulate_neuron(inputs, w, bias=b, tau=tau, dt=dt, v0=0.7, transfer="logistic")
    # reference: solve tau dv/dt = -v + u_k on each interval with tight tolerances
    v = 0.7
    ref = [v]
    for k in range(n):
        u = inputs[k] @ w + b
        sol = solve_ivp(lambda t, y: (u - y) / tau, (0, dt), [v], rtol=1e-12, atol=1e-12)
        v = sol.y[0, -1]
        ref.append(v)
    np.testing.assert_allclose(res.v, ref, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(res.r, act.logistic(np.array(ref)), rtol=1e-9)
    np.testing.assert_allclose(res.drive, inputs @ w + b)


@pytest.mark.parametrize("name", ["relu", "logistic", "tanh", "clip"])
def test_transfer_function_is_applied_to_v(name):
    res = rate.simulate_neuron(np.linspace(-3, 3, 50), tau=5.0, dt=1.0, transfer=name)
    np.testing.assert_allclose(res.r, act.get_activation(name).f(res.v))


def test_relu_rate_is_nonnegative_and_logistic_responds_to_negative_input():
    drive = np.full(100, -2.0)
    relu = rate.simulate_neuron(drive, transfer="relu")
    logi = rate.simulate_neuron(drive, transfer="logistic")
    assert np.all(relu.r == 0.0)
    assert logi.r[-1] < 0.5 and logi.r[-1] > 0.1  # sigma(-2) = 0.12: still responds


def test_custom_transfer_callable():
    res = rate.simulate_neuron(np.full(30, 2.0), transfer=lambda v: 2 * v)
    np.testing.assert_allclose(res.r, 2 * res.v)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"tau": 0.0}, "tau must be > 0"),
        ({"tau": -5.0}, "tau must be > 0"),
        ({"dt": 0.0}, "dt must be > 0"),
        ({"weights": [1.0, 2.0]}, "weights must have one entry per input"),
        ({"transfer": "softplus"}, "unknown activation 'softplus'"),
    ],
)
def test_simulate_neuron_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        rate.simulate_neuron(np.ones(10), **kwargs)


def test_simulate_neuron_rejects_nan_and_bad_types():
    with pytest.raises(ValueError, match="inputs must not contain NaN"):
        rate.simulate_neuron([1.0, np.nan])
    with pytest.raises(TypeError, match="transfer must be"):
        rate.simulate_neuron(np.ones(3), transfer=3)
    with pytest.raises(ValueError, match="tau must be > 0"):
        rate.step_response([0.0, 1.0], tau=-1.0)
    with pytest.raises(ValueError, match="t must be >= 0"):
        rate.step_response([-1.0, 1.0])


# --- the reservoir -----------------------------------------------------------------------------


def test_reservoir_is_seeded_and_has_variance_one_over_n():
    a = rate.make_reservoir(400, seed=3)
    b = rate.make_reservoir(400, n_inputs=2, g=0.5, seed=3)
    np.testing.assert_array_equal(a.W_rec, b.W_rec)  # W_rec depends on N and the seed only
    assert not np.array_equal(a.W_rec, rate.make_reservoir(400, seed=4).W_rec)
    # variance 1/N: N^2 = 160000 samples, standard error of the variance ~ 0.35 %
    assert np.var(a.W_rec) * 400 == pytest.approx(1.0, rel=0.02)
    assert abs(np.mean(a.W_rec)) < 5 * 0.05 / 400


def test_spectral_radius_is_close_to_g_for_large_n():
    # one eigen-decomposition of a 600 x 600 matrix (cached), then the gains
    for g in [0.5, 1.0, 1.5]:
        eig = rate.recurrent_eigenvalues(600, 11, g=g)
        assert np.max(np.abs(eig)) == pytest.approx(g, rel=0.08)
        # circular law: uniform in the disc of radius g, so a quarter lie within g/2
        assert np.mean(np.abs(eig) < g / 2) == pytest.approx(0.25, abs=0.04)
    small = rate.make_reservoir(100, g=1.5, seed=4)
    assert small.spectral_radius() == pytest.approx(1.5 * np.max(np.abs(np.linalg.eigvals(small.W_rec))))


def test_cached_eigenvalues_match_the_network():
    eig = rate.recurrent_eigenvalues(120, 5, g=2.0)
    direct = rate.make_reservoir(120, g=2.0, seed=5).eigenvalues()
    np.testing.assert_allclose(np.sort_complex(eig), np.sort_complex(direct), atol=1e-10)
    assert rate.recurrent_eigenvalues(120, 5, g=2.0) is not eig  # scaled copy, cache stays intact
    assert not rate._unit_eigenvalues(120, 5).flags.writeable


def test_reservoir_matches_solve_ivp_and_converges_in_dt():
    net = rate.make_reservoir(20, g=1.5, input_scale=0.5, seed=2)
    t_max, coarse = 40.0, 0.4
    v0 = np.random.default_rng(0).normal(size=20)

    def inp(t):  # a sine held constant over steps of 0.4 ms (so on every finer grid too)
        return np.sin(2 * np.pi * (np.floor(t / coarse) + 0.5) * coarse / 25.0)

    def rhs(t, v):
        return (net.W_in[:, 0] * inp(t) + net.g * net.W_rec @ np.tanh(v) - v) / net.tau

    ref = solve_ivp(rhs, (0, t_max), v0, rtol=1e-10, atol=1e-10, max_step=0.05).y[:, -1]
    errors = []
    for dt in [0.4, 0.2, 0.1]:
        n = int(round(t_max / dt))
        res = rate.simulate_reservoir(net, inp((np.arange(n) + 0.5) * dt), dt=dt, v0=v0)
        errors.append(np.max(np.abs(res.v[-1] - ref)))
    assert errors[-1] < 0.02
    # first order in dt: halving dt roughly halves the error
    assert errors[0] / errors[1] == pytest.approx(2.0, rel=0.35)
    assert errors[1] / errors[2] == pytest.approx(2.0, rel=0.35)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_activity_decays_for_small_g_and_self_sustains_for_large_g(seed):
    v0 = np.random.default_rng(seed).normal(size=300)
    small = rate.simulate_reservoir(rate.make_reservoir(300, g=0.5, seed=seed), n_steps=400, v0=v0)
    large = rate.simulate_reservoir(rate.make_reservoir(300, g=1.5, seed=seed), n_steps=400, v0=v0)
    assert small.activity(t_start=300.0) < 1e-3  # decays like exp(-(1 - g) t / tau)
    assert large.activity(t_start=300.0) > 0.2
    # and it is not a fixed point: the units keep fluctuating in time
    assert np.median(np.std(large.r[300:], axis=0)) > 0.1


def test_noise_is_seeded_and_has_the_stated_stationary_std():
    net = rate.make_reservoir(50, g=0.0, noise=0.3, seed=1)
    a = rate.simulate_reservoir(net, n_steps=3000, dt=1.0, seed=9)
    b = rate.simulate_reservoir(net, n_steps=3000, dt=1.0, seed=9)
    np.testing.assert_array_equal(a.v, b.v)
    # g = 0: each v is an Ornstein-Uhlenbeck process with std = noise
    assert np.std(a.v[500:]) == pytest.approx(0.3, rel=0.05)


def test_reservoir_rejects_bad_input():
    net = rate.make_reservoir(10, n_inputs=2, seed=0)
    with pytest.raises(ValueError, match=r"inputs must have shape \(n_steps, 2\) to match W_in"):
        rate.simulate_reservoir(net, np.ones((5, 3)))
    with pytest.raises(ValueError, match="inputs must have shape"):
        rate.simulate_reservoir(net, np.ones(5))
    with pytest.raises(ValueError, match="tau must be > 0"):
        rate.make_reservoir(10, tau=0.0)
    with pytest.raises(ValueError, match="tau must be > 0"):
        rate.make_reservoir(10, seed=0).__class__(W_in=np.ones((3, 1)), W_rec=np.eye(3), tau=-1.0)
    with pytest.raises(ValueError, match="W_in must have shape"):
        rate.Reservoir(W_in=np.ones((4, 1)), W_rec=np.eye(3))
    with pytest.raises(ValueError, match="W_rec must be a square"):
        rate.Reservoir(W_in=np.ones((3, 1)), W_rec=np.ones((3, 4)))
    with pytest.raises(ValueError, match="dt must be > 0"):
        rate.simulate_reservoir(net, np.ones((5, 2)), dt=-1.0)
    with pytest.raises(ValueError, match="v0 must be a number or an array of shape"):
        rate.simulate_reservoir(net, np.ones((5, 2)), v0=np.ones(3))
    with pytest.raises(ValueError, match="give inputs or n_steps"):
        rate.simulate_reservoir(net)
    with pytest.raises(ValueError, match="g must be >= 0"):
        rate.make_reservoir(10, g=-1.0)
    with pytest.raises(TypeError, match="reservoir must be a Reservoir"):
        rate.simulate_reservoir("net", n_steps=3)
    with pytest.raises(TypeError, match="seed must be an integer"):
        rate.make_reservoir(10, seed=1.5)


# --- readout -------------------------------------------------------------------------------------


def test_ridge_matches_augmented_least_squares():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 7)) + 3.0
    y = X @ rng.normal(size=7) + 1.5 + 0.1 * rng.normal(size=200)
    lam = 2.5
    fit = rate.fit_ridge(X, y, ridge=lam)
    # independent reference: least squares on [Xc; sqrt(lam) I] with a free intercept
    Xc, yc = X - X.mean(0), y - y.mean()
    A = np.vstack([Xc, np.sqrt(lam) * np.eye(7)])
    w_ref = np.linalg.lstsq(A, np.concatenate([yc, np.zeros(7)]), rcond=None)[0]
    np.testing.assert_allclose(fit.weights, w_ref, rtol=1e-10)
    assert fit.bias == pytest.approx(y.mean() - X.mean(0) @ w_ref)
    # lambda = 0 is ordinary least squares
    ols = rate.fit_ridge(X, y, ridge=0.0)
    coef = np.linalg.lstsq(np.column_stack([X, np.ones(200)]), y, rcond=None)[0]
    np.testing.assert_allclose(ols.weights, coef[:7], rtol=1e-9)
    assert ols.bias == pytest.approx(coef[7])


def test_nrmse():
    y = np.array([1.0, -1.0, 1.0, -1.0])
    assert rate.nrmse(y, y) == 0.0
    assert rate.nrmse(np.zeros(4), y) == pytest.approx(1.0)  # the mean predictor scores 1
    with pytest.raises(ValueError, match="target is constant"):
        rate.nrmse(y, np.ones(4))
    with pytest.raises(ValueError, match="same shape"):
        rate.nrmse(y[:3], y)


def test_delay_task_target_is_the_shifted_input():
    task = rate.delay_task(100, 7, hold=3, seed=1)
    np.testing.assert_array_equal(task.targets[7:], task.inputs[:-7])
    assert np.all(task.inputs[:99:3] == task.inputs[1::3][:33])  # held for 3 steps
    assert np.all(np.abs(task.inputs) <= 1.0)
    with pytest.raises(ValueError, match="delay must be < n_steps"):
        rate.delay_task(10, 10)
    with pytest.raises(ValueError, match="hold must be >= 1"):
        rate.delay_task(10, 2, hold=0)


def test_trained_readout_beats_the_trivial_baseline_on_held_out_data():
    task = rate.delay_task(3000, 40, hold=20, seed=1)
    ev = rate.evaluate_readout(rate.make_reservoir(200, g=0.9, input_scale=0.1, seed=2), task)
    assert ev.nrmse_baseline > 0.9  # the current input says almost nothing about the past one
    assert ev.nrmse_test < 0.6 < ev.nrmse_baseline
    assert ev.prediction_test.shape == ev.target_test.shape == ev.t_test.shape
    np.testing.assert_allclose(ev.target_test, task.targets[-ev.t_test.size:])


def test_chaotic_reservoir_breaks_the_readout():
    task = rate.delay_task(3000, 40, hold=20, seed=1)
    ev = rate.evaluate_readout(rate.make_reservoir(200, g=2.0, input_scale=0.1, seed=2), task)
    assert ev.nrmse_test > ev.nrmse_baseline  # worse than ignoring the reservoir altogether
    assert ev.nrmse_train < ev.nrmse_test  # it fits the training data, but cannot generalise


def test_readout_rejects_bad_input():
    with pytest.raises(ValueError, match="targets must have 5 rows"):
        rate.fit_ridge(np.ones((5, 2)), np.ones(4))
    with pytest.raises(ValueError, match="ridge must be >= 0"):
        rate.fit_ridge(np.ones((5, 2)), np.ones(5), ridge=-1.0)
    fit = rate.fit_ridge(np.arange(10.0).reshape(5, 2), np.arange(5.0))
    with pytest.raises(ValueError, match=r"states must have shape \(n_samples, 2\)"):
        fit.predict(np.ones((3, 3)))
    task = rate.delay_task(100, 10, seed=0)
    net = rate.make_reservoir(10, seed=0)
    with pytest.raises(ValueError, match="n_washout must be >= 10"):
        rate.evaluate_readout(net, task, n_washout=5)
    with pytest.raises(ValueError, match="at least 2 test samples"):
        rate.evaluate_readout(net, task, n_washout=20, n_train=79)
    with pytest.raises(TypeError, match="task must be a DelayTask"):
        rate.evaluate_readout(net, np.ones(100))


# --- LIF population vs rate neuron ------------------------------------------------------------


def test_noiseless_lif_population_rate_is_the_tuning_curve():
    t, r = rate.lif_population_rate(np.full(10000, 2.0), n_neurons=3, sigma=0.0, dt=0.1, bin_width=2.0, seed=0)
    assert t.size == 500 and t[0] == pytest.approx(1.0)
    assert np.mean(r) == pytest.approx(float(lif.firing_rate(2.0)), rel=0.01)  # 63.04 Hz


def test_lif_population_rate_rejects_bad_bins():
    with pytest.raises(ValueError, match="bin_width must be a whole number of steps"):
        rate.lif_population_rate(np.ones(100), bin_width=0.25, dt=0.1)


# --- widget and exercises ------------------------------------------------------------------


def test_reservoir_explorer_shows_decay_and_sustained_activity():
    app = widgets.reservoir_explorer(g=0.5)
    decayed = np.abs(app.lines[0].get_ydata()[-50:]).max()
    x_small = np.abs(app.eig.get_xdata() + 1j * app.eig.get_ydata()).max()
    app.update(g=1.5, input_strength=2.0, seed=1)
    sustained = np.abs(np.array([line.get_ydata()[-50:] for line in app.lines])).max()
    x_large = np.abs(app.eig.get_xdata() + 1j * app.eig.get_ydata()).max()
    assert decayed < 1e-2 < 0.2 < sustained
    assert x_small == pytest.approx(0.5, rel=0.15) and x_large == pytest.approx(1.5, rel=0.15)
    assert "radius" in app.ax_eig.get_title()


def test_reservoir_explorer_rejects_bad_values():
    with pytest.raises(ValueError, match="g must be <= 3"):
        widgets.reservoir_explorer(g=5.0)
    with pytest.raises(ValueError, match="input_strength must be >= 0"):
        widgets.reservoir_explorer(input_strength=-1.0)
    with pytest.raises(TypeError, match="seed must be an integer"):
        widgets.reservoir_explorer(seed=0.5)


def test_exercise_checks(capsys):
    assert ex.check_rate_time_to_fraction(None) is None
    assert ex.check_rate_time_to_fraction(10.0 * np.log(10.0))
    assert not ex.check_rate_time_to_fraction(10.0)
    assert ex.check_rate_neuron_update(lambda v, u, dt, tau: u + (v - u) * np.exp(-dt / tau))
    assert not ex.check_rate_neuron_update(lambda v, u, dt, tau: v + dt / tau * (u - v))  # Euler
    radius = rate.make_reservoir(ex.ECHO_STATE_N, seed=ex.ECHO_STATE_SEED, g=1.0).spectral_radius()
    assert ex.check_echo_state_gain(0.9 / radius)
    assert not ex.check_echo_state_gain(0.9)
    assert not ex.check_echo_state_gain("x")
    assert "Not answered yet" in capsys.readouterr().out


def test_bad_inputs_get_clear_answers_issue_18():
    task = rate.delay_task(50, 2, hold=10**9, seed=0)  # no 8 GB array for a long hold
    assert task.hold == 10**9 and np.all(task.inputs == task.inputs[0])
    with pytest.raises(ValueError, match="n_steps=1000000000000 would need"):
        rate.delay_task(10**12, 2)
    with pytest.raises(ValueError, match="reduce n_units"):
        rate.make_reservoir(10**7, seed=0)
    with pytest.raises(ValueError, match="reduce n_steps"):
        rate.simulate_reservoir(rate.make_reservoir(5, seed=0), n_steps=10**12)
    with pytest.raises(ValueError, match="transfer: unknown activation 'sigmoidal'"):
        rate.get_transfer("sigmoidal")
    with pytest.raises(ValueError, match="tau_noise must be a finite number"):
        rate.lif_population_rate(np.ones(20), tau_noise=float("nan"))
    with pytest.raises(TypeError, match="task must be a DelayTask"):
        rate.evaluate_readout(rate.make_reservoir(5, seed=0), "task")
