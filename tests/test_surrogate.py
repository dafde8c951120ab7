"""Tests of neurolib.surrogate (chapter 10): the LIF layer against chapter 03's closed form,
BPTT against a hand derivation and against finite differences of the smooth relaxation, batch
= single examples, seeds, training to the accuracy bar, the steepness sweep, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurolib import dense, lif
from neurolib import surrogate as sg

SURROGATES = sorted(sg.SURROGATES)
READOUTS = list(sg.READOUTS)


@pytest.fixture(scope="module")
def data() -> sg.SpikeData:
    return sg.encode_moons(dense.make_moons(60, 40, 0.15, seed=3))


@pytest.fixture(scope="module")
def comparison() -> sg.Comparison:
    return sg.compare_with_mlp(seeds=(0, 1, 2))


def _constant_input(increments: np.ndarray, n_steps: int) -> tuple[np.ndarray, np.ndarray]:
    """One input neuron firing every step; W[i, 0] = the increment of neuron i per step."""
    x = np.ones((n_steps, 1, 1))
    return x, np.asarray(increments, dtype=float)[:, None]


# --- the forward pass ---------------------------------------------------------------------


@pytest.mark.parametrize("tau_m, dt", [(10.0, 1.0), (20.0, 0.1), (5.0, 2.0)])
def test_subthreshold_lif_matches_chapter03_closed_form(tau_m, dt):
    # W x = (1 − β) v_in per step is chapter 03's exact update for a constant input v_in,
    # so v[t] = v_in (1 − exp(−(t + 1) Δt/τ_m)) = lif.trajectory((t + 1) Δt, v_in).
    n_steps = 60
    beta = math.exp(-dt / tau_m)
    v_in = np.array([0.2, 0.7, 0.999])
    x, W = _constant_input((1.0 - beta) * v_in, n_steps)
    layer = sg.LIFLayer(W, dt=dt, tau_m=tau_m)
    S = layer.forward(x)
    v = layer.membrane()[:, :, 0]  # (T, 3)
    t = (np.arange(n_steps) + 1) * dt
    expected = lif.trajectory(t[:, None], v_in[None, :], tau_m=tau_m)
    np.testing.assert_allclose(v, expected, rtol=1e-12, atol=1e-14)
    assert not S.any()  # v_in < 1: never reaches threshold
    assert layer.beta == pytest.approx(beta, rel=1e-15)


def test_reset_by_subtraction_counts_the_integrated_input():
    # With (almost) no leak, reset by subtraction keeps the remainder: after t + 1 steps of
    # an increment I the neuron has fired floor(I (t + 1)) spikes (an integrate-and-fire counter).
    n_steps, I = 40, 0.37
    x, W = _constant_input([I], n_steps)
    layer = sg.LIFLayer(W, tau_m=1e15)
    S = layer.forward(x)[:, 0, 0]
    np.testing.assert_array_equal(np.cumsum(S), np.floor(I * (np.arange(n_steps) + 1) + 1e-9))
    v = layer.membrane()[:, 0, 0]
    np.testing.assert_allclose(v - S, I * (np.arange(n_steps) + 1) - np.cumsum(S), atol=1e-12)
    assert np.all(v - S < 1.0) and np.all(v - S >= 0.0)


def test_spike_exactly_at_threshold_and_leaky_readout_closed_form():
    # v = 1 exactly is a spike (Θ(0) = 1); the read-out of a single spike at t0 decays as α^(t − t0).
    layer = sg.LIFLayer([[1.0]])
    x = np.zeros((8, 1, 1))
    x[2] = 1.0
    S = layer.forward(x)
    assert S[:, 0, 0].tolist() == [0, 0, 1, 0, 0, 0, 0, 0]
    readout = sg.LeakyReadout([[2.0]], dt=1.0, tau=4.0, readout="mean")
    o = readout.forward(S)
    alpha = math.exp(-1.0 / 4.0)
    u = np.where(np.arange(8) >= 2, 2.0 * alpha ** (np.arange(8) - 2.0), 0.0)
    np.testing.assert_allclose(readout.potential()[:, 0, 0], u, rtol=1e-14)
    assert o[0, 0] == pytest.approx(u.mean(), rel=1e-14)
    assert sg.LeakyReadout([[2.0]], tau=4.0, readout="max").forward(S)[0, 0] == pytest.approx(2.0)


def test_relaxed_network_tends_to_the_spiking_one_as_steepness_grows(data):
    x = data.X_train[:, :, :20]
    net = sg.SpikingNet(x.shape[1], 8, seed=0, steepness=1e7, readout="mean")
    np.testing.assert_allclose(net.forward(x, relaxed=True), net.forward(x), atol=1e-3)
    net.set_surrogate(steepness=0.5)
    assert np.max(np.abs(net.forward(x, relaxed=True) - net.forward(x))) > 1e-2


# --- surrogate derivatives ----------------------------------------------------------------


@pytest.mark.parametrize("name", SURROGATES)
@pytest.mark.parametrize("k", [0.3, 5.0, 40.0])
def test_surrogate_is_the_exact_derivative_of_its_relaxation(name, k):
    s = sg.get_surrogate(name, k)
    x = np.linspace(-3.0, 3.0, 2001)
    x = x[np.min(np.abs(x[:, None] - np.array([0.0, 1.0 / k, -1.0 / k])[None, :]), axis=1) > 1e-4]  # off the kinks
    h = 1e-6
    numeric = (s.relaxed(x + h) - s.relaxed(x - h)) / (2 * h)
    np.testing.assert_allclose(s.derivative(x), numeric, rtol=1e-6, atol=1e-7 * k)


@pytest.mark.parametrize("name", SURROGATES)
def test_surrogates_are_bumps_of_area_one_peaked_at_threshold(name):
    s = sg.get_surrogate(name, 4.0)
    x = np.linspace(-50.0, 50.0, 400_001)
    g = s.derivative(x)
    area = np.sum((g[1:] + g[:-1]) / 2 * np.diff(x))
    assert area == pytest.approx(float(s.relaxed(50.0) - s.relaxed(-50.0)), rel=1e-6)
    # total area 1; the fast sigmoid's 1/x² tails leave 1/(1 + kL) outside [−L, L]
    assert float(s.relaxed(1e15) - s.relaxed(-1e15)) == pytest.approx(1.0, abs=1e-12)
    if name == "fast_sigmoid":
        assert area == pytest.approx(1.0 - 1.0 / (1.0 + 4.0 * 50.0), rel=1e-6)
    assert x[np.argmax(g)] == pytest.approx(0.0, abs=1e-3)
    assert s.relaxed(0.0) == pytest.approx(0.5)
    np.testing.assert_allclose(g, s.derivative(-x), rtol=1e-12)  # symmetric


def test_fast_sigmoid_is_supersikes_form_scaled_by_half_k():
    s = sg.get_surrogate("fast_sigmoid", 10.0)
    x = np.array([-1.0, -0.1, 0.0, 0.3])
    np.testing.assert_allclose(s.derivative(x), 5.0 / (1.0 + 10.0 * np.abs(x)) ** 2, rtol=1e-15)


# --- the backward pass --------------------------------------------------------------------


@pytest.mark.parametrize("detach_reset", [False, True])
@pytest.mark.parametrize("readout", READOUTS)
def test_bptt_matches_hand_derivation_for_two_steps(detach_reset, readout):
    # One input, one LIF neuron, one output, squared error, T = 2; input spikes x0 = x1 = 1.
    w, w_out, y = 1.3, 0.8, 2.0
    beta, alpha, k = math.exp(-1.0 / 10.0), math.exp(-1.0 / 10.0), 5.0
    g = lambda v: (k / 2) / (1 + k * abs(v - 1.0)) ** 2  # noqa: E731  fast sigmoid
    # forward by hand
    v0 = w
    s0 = 1.0 if v0 >= 1 else 0.0  # 1: the reset matters
    v1 = beta * v0 + w - s0
    s1 = 1.0 if v1 >= 1 else 0.0
    u0 = w_out * s0
    u1 = alpha * u0 + w_out * s1
    o = (u0 + u1) / 2 if readout == "mean" else max(u0, u1)
    # backward by hand: C = ½ (o − y)²
    do = o - y
    if readout == "mean":
        du1 = do / 2
        du0 = do / 2 + alpha * du1
    else:  # the maximum is u0 when u0 >= u1 (first time of the maximum)
        du1 = do * (u1 > u0)
        du0 = do * (u0 >= u1) + alpha * du1
    dw_out = du0 * s0 + du1 * s1
    lam1 = g(v1) * (w_out * du1)
    reset = 0.0 if detach_reset else -lam1  # ∂v1/∂s0 = −1
    lam0 = g(v0) * (w_out * du0 + reset) + beta * lam1
    dw = lam0 * 1.0 + lam1 * 1.0

    net = sg.SpikingNet(1, 1, 1, loss="squared_error", readout=readout, steepness=k, detach_reset=detach_reset, seed=0)
    net.hidden.W[...] = w
    net.readout.W[...] = w_out
    x = np.ones((2, 1, 1))
    Y = np.array([[y]])
    assert net.forward(x)[0, 0] == pytest.approx(o, rel=1e-14)
    grads = net.gradients(x, Y)
    assert grads["readout.W"][0, 0] == pytest.approx(dw_out, rel=1e-12)
    assert grads["hidden.W"][0, 0] == pytest.approx(dw, rel=1e-12)
    assert s0 == 1.0 and lam1 != 0.0  # the case exercises the reset path


@pytest.mark.parametrize("name", SURROGATES)
@pytest.mark.parametrize("readout", READOUTS)
def test_bptt_is_the_exact_gradient_of_the_smooth_relaxation(data, name, readout):
    x = data.X_train[:, :, :6]
    net = sg.SpikingNet(x.shape[1], 5, surrogate=name, steepness=3.0, readout=readout, seed=1)
    Y = net.targets(data.y_train[:6])
    grads = net.gradients(x, Y, relaxed=True)
    check = dense.gradient_check(lambda: net.cost(x, Y, relaxed=True), net.parameters(), grads)
    assert check.passed, str(check)


def test_detached_reset_is_not_the_gradient_of_the_relaxation(data):
    # The gradient check can fail: dropping the reset path changes the hidden gradient.
    x = data.X_train[:, :, :6]
    net = sg.SpikingNet(x.shape[1], 5, steepness=3.0, detach_reset=True, seed=1)
    Y = net.targets(data.y_train[:6])
    check = dense.gradient_check(lambda: net.cost(x, Y, relaxed=True), net.parameters(), net.gradients(x, Y, relaxed=True))
    assert check.errors["readout.W"] < dense.GRADIENT_TOLERANCE
    assert check.errors["hidden.W"] > 1e-3


def test_layer_backward_returns_input_error_consistent_with_finite_differences():
    rng = np.random.default_rng(4)
    layer = sg.LIFLayer(rng.normal(0.0, 0.8, size=(3, 4)), steepness=2.0)
    x = rng.uniform(0.0, 1.0, size=(5, 4, 2))
    weights = rng.normal(size=(5, 3, 2))
    cost = lambda: float(np.sum(weights * layer.forward(x, relaxed=True)))  # noqa: E731
    layer.forward(x, relaxed=True)
    grads = layer.backward(weights)
    np.testing.assert_allclose(grads.dx, dense.numerical_gradient(cost, x), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(grads.dW, dense.numerical_gradient(cost, layer.W), rtol=1e-6, atol=1e-9)


def test_batch_gives_the_same_result_as_single_examples(data):
    x = data.X_train[:, :, :7]
    net = sg.SpikingNet(x.shape[1], 6, seed=2)
    Y = net.targets(data.y_train[:7])
    logits = net.forward(x)
    grads = net.gradients(x, Y)
    singles = [net.gradients(x[:, :, b : b + 1], Y[:, b : b + 1]) for b in range(7)]
    for b in range(7):
        np.testing.assert_allclose(net.forward(x[:, :, b : b + 1])[:, 0], logits[:, b], rtol=1e-13, atol=1e-15)
    for key in grads:  # the loss is a batch mean
        np.testing.assert_allclose(grads[key], np.mean([s[key] for s in singles], axis=0), rtol=1e-12, atol=1e-15)


# --- encoders -----------------------------------------------------------------------------


def test_receptive_fields_peak_at_their_centres():
    X = np.array([[-1.5, 0.5, 2.5], [-1.0, 0.25, 1.5]])
    r = sg.receptive_fields(X, 5, low=(-1.5, -1.0), high=(2.5, 1.5))
    assert r.shape == (10, 3)
    # point 0 sits on the first centre of both dimensions, point 2 on the last, point 1 in the middle
    assert r[0, 0] == 1.0 and r[5, 0] == 1.0 and r[4, 2] == 1.0 and r[9, 2] == 1.0 and r[2, 1] == 1.0 and r[7, 1] == 1.0
    assert r[1, 0] == pytest.approx(math.exp(-0.5), rel=1e-14)  # one spacing away, width 1 spacing
    assert np.all((r > 0) & (r <= 1))


def test_latency_code_fires_once_strongest_first():
    r = np.array([[1.0, 0.05], [0.5, 0.0], [0.11, 1.0]])
    spikes = sg.latency_code(r, 11, threshold=0.1)
    assert spikes.shape == (11, 3, 2)
    np.testing.assert_array_equal(spikes.sum(axis=0), [[1, 0], [1, 0], [1, 1]])
    assert np.argmax(spikes[:, 0, 0]) == 0 and np.argmax(spikes[:, 1, 0]) == 5 and np.argmax(spikes[:, 2, 0]) == 9


def test_poisson_code_has_the_poisson_mean_and_variance():
    r = np.full((50, 40), 0.5)
    counts = sg.poisson_code(r, 100, dt=1.0, max_rate=100.0, seed=0).sum(axis=0)  # 100 ms at 50 Hz: mean 5
    assert counts.mean() == pytest.approx(5.0, abs=4 * math.sqrt(5.0 / counts.size))
    assert counts.var() == pytest.approx(5.0, rel=0.1)
    assert sg.poisson_code(np.zeros((3, 2)), 10, seed=0).sum() == 0


def test_encoders_are_reproducible_by_seed():
    r = np.random.default_rng(0).uniform(size=(6, 5))
    a = sg.poisson_code(r, 30, seed=7)
    np.testing.assert_array_equal(a, sg.poisson_code(r, 30, seed=7))
    np.testing.assert_array_equal(a, sg.poisson_code(r, 30, rng=np.random.default_rng(7)))
    assert not np.array_equal(a, sg.poisson_code(r, 30, seed=8))
    moons = dense.make_moons(20, 20, seed=1)
    p1, p2 = sg.encode_moons(moons, "poisson", seed=3), sg.encode_moons(moons, "poisson", seed=3)
    np.testing.assert_array_equal(p1.X_train, p2.X_train)
    assert p1.X_train.shape == (sg.N_STEPS, 2 * sg.N_PER_DIM, 20) and p1.X_test.shape[2] == 20


# --- training -----------------------------------------------------------------------------


def test_training_is_reproducible_by_seed():
    a, b, c = (sg.train_moons(s, n_train=40, n_test=20, epochs=2) for s in (5, 5, 6))
    for key in a.net.parameters():
        np.testing.assert_array_equal(a.net.parameters()[key], b.net.parameters()[key])
        assert not np.array_equal(a.net.parameters()[key], c.net.parameters()[key])
    np.testing.assert_array_equal(a.history.test_loss, b.history.test_loss)


def test_spiking_net_reaches_90_percent_on_two_moons_over_three_seeds(comparison):
    mean, sd = comparison.snn
    assert comparison.snn_accuracy.size == 3
    assert mean >= 0.90, str(comparison)
    assert comparison.snn_accuracy.min() >= 0.85
    assert sd == pytest.approx(np.std(comparison.snn_accuracy, ddof=1))
    for run in comparison.runs:
        assert run.history.test_accuracy[-1] > run.history.test_accuracy[0]  # it learned
        assert run.test.silent_fraction < 1.0 and run.test.hidden_spikes_per_input > 0


def test_comparison_with_chapter08_mlp_of_the_same_size(comparison):
    assert comparison.mlp_accuracy.size == 3
    assert comparison.mlp[0] >= 0.90  # chapter 08's bar
    assert comparison.mlp_multiply_adds == 2 * 16 + 16 * 2
    run = comparison.runs[0]
    ev = run.test
    assert ev.input_spikes_per_input == pytest.approx(run.data.X_test.sum() / run.data.X_test.shape[2])
    assert ev.synaptic_events_per_input == pytest.approx(ev.input_spikes_per_input * 16 + ev.hidden_spikes_per_input * 2)
    text = str(comparison)
    assert "MLP 2-16-2" in text and "±" in text


def test_surrogate_gradient_beats_training_the_readout_alone():
    # With the true derivative of the spike (0) only the read-out learns.
    full = np.mean([sg.train_moons(s).test.accuracy for s in range(3)])
    readout_only = np.mean([sg.train_moons(s, train_hidden=False).test.accuracy for s in range(3)])
    assert full > readout_only + 0.03


def test_sgd_also_lowers_the_loss(data):
    net = sg.SpikingNet(data.X_train.shape[1], 8, seed=0)
    history = sg.train(net, data, epochs=5, learning_rate=0.2, optimiser="sgd", seed=0)
    assert history.train_loss[-1] < history.train_loss[0]


def test_adam_first_step_moves_each_weight_by_the_learning_rate():
    p = {"w": np.array([1.0, -2.0, 3.0])}
    opt = sg.Adam(p, learning_rate=0.1)
    opt.step({"w": np.array([0.5, -3.0, 1e-3])})
    np.testing.assert_allclose(p["w"], [0.9, -1.9, 2.9], rtol=1e-6)  # m̂/√ŝ = sign(g) at step 1


def test_evaluate_counts_spikes(data):
    net = sg.SpikingNet(data.X_test.shape[1], 8, seed=0)
    ev = sg.evaluate(net, data.X_test, data.y_test)
    S = net.hidden_spikes(data.X_test)
    assert ev.hidden_spikes_per_input == pytest.approx(S.sum() / data.X_test.shape[2])
    assert ev.accuracy == pytest.approx(net.accuracy(data.X_test, data.y_test))


# --- gradient norms against steepness -----------------------------------------------------


def test_gradient_norms_match_the_gradients(data):
    x, labels = data.X_train[:, :, :30], data.y_train[:30]
    net = sg.SpikingNet(x.shape[1], 8, seed=0)
    norms = sg.gradient_norms(net, x, labels)
    grads = net.gradients(x, net.targets(labels))
    assert norms.layers["hidden.W"] == pytest.approx(np.linalg.norm(grads["hidden.W"]))
    assert norms.per_time.shape == (x.shape[0],)
    # an explicit steepness is used for the backward pass only and leaves the net unchanged
    other = sg.gradient_norms(net, x, labels, steepness=50.0)
    assert net.hidden.surrogate.steepness == sg.STEEPNESS
    assert other.layers["readout.W"] == norms.layers["readout.W"]
    assert other.layers["hidden.W"] != norms.layers["hidden.W"]


def test_steepness_sweep_vanishes_at_both_extremes(data):
    x, labels = data.X_train[:, :, :30], data.y_train[:30]
    net = sg.SpikingNet(x.shape[1], 8, seed=0)
    ks = np.array([1e-4, 1e-3, 5.0, 1e7])
    sweep = sg.steepness_sweep(net, x, labels, ks)
    assert sweep.per_time.shape == (4, x.shape[0])
    np.testing.assert_array_equal(sweep.readout, sweep.readout[0])  # no spike on the read-out's path
    # too flat: σ′ ≈ k/2 everywhere; too steep: σ′ ≈ 1/(2k (v − 1)²) → both vanish
    assert sweep.hidden[0] < 1e-2 * sweep.hidden[2] and sweep.hidden[3] < 1e-2 * sweep.hidden[2]
    assert sweep.hidden[0] == pytest.approx(0.1 * sweep.hidden[1], rel=0.02)  # ∝ k when flat
    assert sweep.per_time[0] == pytest.approx(0.1 * sweep.per_time[1], rel=0.02)


# --- bad input ----------------------------------------------------------------------------


def test_encoders_reject_bad_input():
    with pytest.raises(ValueError, match="X must be a non-empty 2-D"):
        sg.receptive_fields(np.zeros(3))
    with pytest.raises(TypeError, match="X must be"):
        sg.receptive_fields("points")
    with pytest.raises(ValueError, match="n_per_dim must be >= 2"):
        sg.receptive_fields(np.zeros((2, 3)), 1)
    with pytest.raises(ValueError, match="high must be > low"):
        sg.receptive_fields(np.zeros((2, 3)), low=(0, 0), high=(1, 0))
    with pytest.raises(ValueError, match="low must be a scalar or have shape"):
        sg.receptive_fields(np.zeros((2, 3)), low=(0, 0, 0))
    with pytest.raises(ValueError, match="width must be > 0"):
        sg.receptive_fields(np.zeros((2, 3)), width=0)
    with pytest.raises(ValueError, match="intensity must lie in"):
        sg.latency_code(np.full((2, 2), 1.5))
    with pytest.raises(ValueError, match="intensity must be a non-empty 2-D"):
        sg.latency_code(np.ones(3))
    with pytest.raises(ValueError, match="n_steps must be >= 2"):
        sg.latency_code(np.ones((2, 2)), 1)
    with pytest.raises(ValueError, match=r"threshold must be in \[0, 1\)"):
        sg.latency_code(np.ones((2, 2)), threshold=1.0)
    with pytest.raises(ValueError, match="dt must be > 0"):
        sg.poisson_code(np.ones((2, 2)), dt=0)
    with pytest.raises(ValueError, match="max_rate must be >= 0"):
        sg.poisson_code(np.ones((2, 2)), max_rate=-1)
    with pytest.raises(TypeError, match="seed must be an integer"):
        sg.poisson_code(np.ones((2, 2)), seed=1.5)
    with pytest.raises(TypeError, match="data must be a neurolib.dense.Moons"):
        sg.encode_moons(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="valid encodings"):
        sg.encode_moons(dense.make_moons(4, 4, seed=0), "rate")


def test_surrogates_and_layers_reject_bad_input():
    with pytest.raises(ValueError, match="valid surrogates are"):
        sg.get_surrogate("tanh")
    with pytest.raises(ValueError, match="steepness must be > 0"):
        sg.get_surrogate("sigmoid", -1.0)
    with pytest.raises(TypeError, match="steepness must be a real number"):
        sg.Surrogate("sigmoid", "steep")
    with pytest.raises(TypeError, match="x must be"):
        sg.SURROGATES["sigmoid"].derivative("a")
    with pytest.raises(ValueError, match="hidden.W must be a non-empty 2-D"):
        sg.LIFLayer(np.ones(3))
    with pytest.raises(ValueError, match="tau_m must be > 0 ms"):
        sg.LIFLayer(np.ones((2, 2)), tau_m=0)
    with pytest.raises(TypeError, match="detach_reset must be True or False"):
        sg.LIFLayer(np.ones((2, 2)), detach_reset=1)
    layer = sg.LIFLayer(np.ones((2, 3)))
    with pytest.raises(RuntimeError, match="call forward"):
        layer.backward(np.ones((4, 2, 1)))
    with pytest.raises(ValueError, match=r"x must have 3 neurons along axis 1"):
        layer.forward(np.ones((4, 2, 1)))
    with pytest.raises(ValueError, match="x must be a non-empty 3-D"):
        layer.forward(np.ones((4, 3)))
    with pytest.raises(ValueError, match="x must not contain NaN"):
        layer.forward(np.full((4, 3, 1), np.nan))
    with pytest.raises(TypeError, match="relaxed must be True or False"):
        layer.forward(np.ones((4, 3, 1)), relaxed="yes")
    layer.forward(np.ones((4, 3, 1)))
    with pytest.raises(ValueError, match="dS must have the shape of the last output"):
        layer.backward(np.ones((5, 2, 1)))
    with pytest.raises(RuntimeError, match="call forward"):
        sg.LIFLayer(np.ones((2, 3))).membrane()
    with pytest.raises(ValueError, match="valid readouts are"):
        sg.LeakyReadout(np.ones((2, 2)), readout="last")
    with pytest.raises(ValueError, match="tau must be > 0 ms"):
        sg.LeakyReadout(np.ones((2, 2)), tau=-1)
    readout = sg.LeakyReadout(np.ones((2, 3)))
    with pytest.raises(RuntimeError, match="call forward"):
        readout.backward(np.ones((2, 1)))
    with pytest.raises(RuntimeError, match="call forward"):
        readout.potential()
    readout.forward(np.ones((4, 3, 1)))
    with pytest.raises(ValueError, match="do must have the shape of the logits"):
        readout.backward(np.ones((3, 1)))


def test_network_and_training_reject_bad_input(data):
    with pytest.raises(ValueError, match="n_hidden must be >= 1"):
        sg.SpikingNet(4, 0)
    with pytest.raises(TypeError, match="n_in must be an integer"):
        sg.SpikingNet(4.0, 2)
    with pytest.raises(ValueError, match="softmax output needs at least 2"):
        sg.SpikingNet(4, 2, 1)
    with pytest.raises(ValueError, match="valid losss are|valid loss"):
        sg.SpikingNet(4, 2, loss="hinge")
    with pytest.raises(ValueError, match="input_scale must be > 0"):
        sg.SpikingNet(4, 2, input_scale=0)
    with pytest.raises(ValueError, match="give either seed or rng"):
        sg.SpikingNet(4, 2, seed=1, rng=np.random.default_rng(1))
    net = sg.SpikingNet(data.X_train.shape[1], 4, seed=0)
    with pytest.raises(ValueError, match="x must have 20 neurons"):
        net.forward(np.ones((5, 3, 2)))
    with pytest.raises(TypeError, match="detach_reset must be True or False"):
        net.set_surrogate(detach_reset="no")
    with pytest.raises(ValueError, match="state must contain"):
        net.set_state({"hidden.W": net.hidden.W})
    with pytest.raises(ValueError, match="labels must lie in 0..1"):
        net.accuracy(data.X_test, data.y_test + 5)
    with pytest.raises(TypeError, match="net must be a SpikingNet"):
        sg.train(dense.MLP((2, 3, 2)), data)
    with pytest.raises(TypeError, match="data must be a SpikeData"):
        sg.train(net, dense.make_moons(4, 4, seed=0))
    with pytest.raises(ValueError, match="epochs must be >= 0"):
        sg.train(net, data, epochs=-1)
    with pytest.raises(ValueError, match="learning_rate must be > 0"):
        sg.train(net, data, learning_rate=0)
    with pytest.raises(ValueError, match="valid optimisers are"):
        sg.train(net, data, optimiser="rmsprop")
    with pytest.raises(TypeError, match="train_hidden must be True or False"):
        sg.train(net, data, train_hidden=None)
    with pytest.raises(TypeError, match="params must be a non-empty mapping"):
        sg.Adam({})
    with pytest.raises(ValueError, match="beta1 must be in"):
        sg.Adam({"w": np.zeros(2)}, beta1=1.0)
    opt = sg.Adam({"w": np.zeros(2)})
    with pytest.raises(ValueError, match="grads must have the keys"):
        opt.step({"v": np.zeros(2)})
    with pytest.raises(ValueError, match=r"grads\['w'\] must have shape"):
        opt.step({"w": np.zeros(3)})
    with pytest.raises(ValueError, match="labels must have one entry per example"):
        sg.evaluate(net, data.X_test, data.y_test[:3])
    with pytest.raises(TypeError, match="net must be a SpikingNet"):
        sg.evaluate(None, data.X_test, data.y_test)
    with pytest.raises(ValueError, match="memory budget"):
        sg.latency_code(np.ones((1, 1)), 10**12)
    with pytest.raises(ValueError, match="seed must be >= 0"):
        sg.train_moons(-1)
    with pytest.raises(ValueError, match="valid encodings"):
        sg.train_moons(0, encoding="rate", epochs=0)
    with pytest.raises(TypeError, match="seeds must be a non-empty sequence"):
        sg.compare_with_mlp(seeds=())
    with pytest.raises(ValueError, match="mlp_learning_rate must be > 0"):
        sg.compare_with_mlp(seeds=(0,), mlp_learning_rate=0)
    with pytest.raises(ValueError, match="labels must have one entry per example"):
        sg.gradient_norms(net, data.X_train, data.y_train[:2])
    with pytest.raises(ValueError, match="steepness must be > 0"):
        sg.gradient_norms(net, data.X_train, data.y_train, steepness=0.0)
    with pytest.raises(ValueError, match="steepnesses must be a non-empty 1-D"):
        sg.steepness_sweep(net, data.X_train, data.y_train, [1.0, -2.0])
    with pytest.raises(TypeError, match="steepnesses must be"):
        sg.steepness_sweep(net, data.X_train, data.y_train, "steep")


# --- the chapter's widget and exercise checks ---------------------------------------------


@pytest.fixture(scope="module")
def explorer():
    from neurolib.widgets import surrogate as ws

    return ws.surrogate_explorer()


def test_widget_draws_the_chosen_surrogate_and_the_gradient_through_time(explorer):
    app = explorer
    app.update(surrogate="triangle", steepness=10.0)
    s = sg.get_surrogate("triangle", 10.0)
    x, y = app.line_s.get_data()
    visible = y > app.YLIM_SURROGATE[0]
    np.testing.assert_allclose(y[visible], s.derivative(np.asarray(x)[visible] - 1.0))
    norms = sg.gradient_norms(app.net, app.x, app.labels, steepness=10.0)
    _, per_time = app.line_t.get_data()
    np.testing.assert_allclose(per_time, np.clip(norms.per_time, 1e-7, 1e4))
    assert f"{norms.layers['readout.W']:.2g}" in app.ax_t.get_title()
    assert app.line_c.get_data()[1][-1] == app.run("triangle", 10.0)[-1]
    assert app.render()[:8] == b"\x89PNG\r\n\x1a\n"


def test_widget_training_curves_are_the_seeded_runs_and_beat_the_baseline(explorer):
    app = explorer
    run = sg.train_moons(app.SEED, n_train=app.N_TRAIN, n_test=app.N_TEST, epochs=app.EPOCHS, steepness=3.0)
    np.testing.assert_array_equal(app.run("fast_sigmoid", 3.0), run.history.test_accuracy)
    assert len(app._RUNS) == 1 + len(app.SURROGATES) * len(app.STEEPNESSES)  # all precomputed
    finals = np.array([app.run(n, k)[-1] for n in app.SURROGATES for k in app.STEEPNESSES])
    assert np.mean(finals) > app.baseline()[-1]


def test_widget_rejects_bad_values(explorer):
    with pytest.raises(ValueError, match="valid surrogates"):
        explorer.update(surrogate="tanh")
    with pytest.raises(TypeError, match="steepness must be a real number"):
        explorer.update(steepness="steep")
    with pytest.raises(ValueError, match="steepness = 7 is out of range"):
        explorer.update(steepness=7.0)
    with pytest.raises(ValueError, match="unknown parameter"):
        explorer.update(k=3.0)


def test_exercise_checks_accept_right_and_reject_wrong_answers(capsys):
    from neurolib.exercises import surrogate as ex

    assert ex.check_fast_sigmoid(lambda x, k: (k / 2) / (1 + k * np.abs(x)) ** 2)
    assert not ex.check_fast_sigmoid(lambda x, k: 1 / (1 + k * np.abs(x)) ** 2)  # SuperSpike's peak-1 form
    assert "factor k/2" in capsys.readouterr().out
    assert not ex.check_fast_sigmoid(lambda x, k: np.ones(3))
    assert not ex.check_fast_sigmoid(42)
    assert ex.check_fast_sigmoid(None) is None
    # the two-step gradient: the test's own hand derivation gives the same number
    assert ex.two_step_gradient() != ex.two_step_gradient(detach_reset=True)
    assert ex.check_two_step_gradient(ex.two_step_gradient())
    assert not ex.check_two_step_gradient(ex.two_step_gradient(detach_reset=True))
    assert "without the reset path" in capsys.readouterr().out
    assert not ex.check_two_step_gradient("minus a half")
    assert ex.check_silent_decay(math.exp(-2.0))
    assert not ex.check_silent_decay(math.exp(-0.1))
    answers = ex.steepness_answers()
    assert set(answers) == set(ex.STEEPNESS_QUESTIONS)
    assert answers["read-out gradient, fast sigmoid, k from 0.1 to 100"] == "unchanged"
    assert ex.check_steepness_prediction({q: a.upper() for q, a in answers.items()})
    assert not ex.check_steepness_prediction({q: "grows" for q in answers})
    assert not ex.check_steepness_prediction({})
    assert not ex.check_steepness_prediction(["grows"])


def test_two_step_exercise_matches_the_hand_derivation():
    from neurolib.exercises import surrogate as ex

    p = ex.TWO_STEP
    beta = math.exp(-p["dt"] / p["tau_m"])
    alpha = math.exp(-p["dt"] / p["tau_out"])
    g = lambda v: (p["k"] / 2) / (1 + p["k"] * abs(v - 1.0)) ** 2  # noqa: E731
    v0 = p["w"]
    s0 = float(v0 >= 1)
    v1 = beta * v0 + p["w"] - s0
    s1 = float(v1 >= 1)
    o = (p["w_out"] * s0 + alpha * p["w_out"] * s0 + p["w_out"] * s1) / 2
    du1 = (o - p["y"]) / 2
    du0 = (o - p["y"]) / 2 + alpha * du1
    lam1 = g(v1) * p["w_out"] * du1
    lam0 = g(v0) * (p["w_out"] * du0 - lam1) + beta * lam1
    assert ex.two_step_gradient() == pytest.approx(lam0 + lam1, rel=1e-12)


def test_poisson_code_keeps_the_last_step_for_fractional_dt():
    # 20 steps of 0.1 ms: T Δt / Δt is 19.999..., the last step must still collect spikes
    counts = sg.poisson_code(np.ones((200, 50)), 20, dt=0.1, max_rate=1000.0, seed=1)  # 0.1 spikes per step
    per_step = counts.mean(axis=(1, 2))
    assert per_step[-1] == pytest.approx(0.1, abs=0.01)
    assert per_step.mean() == pytest.approx(0.1, abs=0.005)


def test_descent_check_steep_surrogates_lose_the_direction(data):
    run = sg.train_moons(0, epochs=0)
    x, labels = run.data.X_train, run.data.y_train
    W = run.net.hidden.W.copy()
    check = sg.descent_check(run.net, x, labels, [3.0, 1e4], step=0.3, seed=0)
    np.testing.assert_array_equal(run.net.hidden.W, W)  # left unchanged
    assert run.net.hidden.surrogate.steepness == sg.STEEPNESS
    helpful, steep = check.loss_change
    # a moderate surrogate lowers the spiking network's loss far beyond a random direction;
    # a very steep one sees only the few potentials at threshold and helps far less
    assert helpful < check.random_mean - 5 * check.random_sd
    assert abs(steep) < 0.2 * abs(helpful)
    with pytest.raises(ValueError, match="step must be > 0"):
        sg.descent_check(run.net, x, labels, [1.0], step=0)
    with pytest.raises(ValueError, match="n_random must be >= 2"):
        sg.descent_check(run.net, x, labels, [1.0], n_random=1)
    with pytest.raises(ValueError, match="steepnesses must be a non-empty 1-D"):
        sg.descent_check(run.net, x, labels, [])
    with pytest.raises(ValueError, match="labels must have one entry per example"):
        sg.descent_check(run.net, x, labels[:3], [1.0])


def test_diverging_sgd_is_reported(data):
    net = sg.SpikingNet(data.X_train.shape[1], 8, seed=0)
    with pytest.raises(FloatingPointError, match="use a smaller learning_rate than 1e\\+200"):
        sg.train(net, data, epochs=3, learning_rate=1e200, optimiser="sgd", seed=0)


def test_poisson_encoded_moons_also_reach_90_percent():
    accuracy = [sg.train_moons(s, encoding="poisson").test.accuracy for s in range(3)]
    assert np.mean(accuracy) >= 0.90, accuracy


@settings(max_examples=25, deadline=None)
@given(
    tau_m=st.floats(1.0, 100.0),
    dt=st.floats(0.01, 5.0),
    v_in=st.lists(st.floats(0.0, 0.99), min_size=1, max_size=4),
)
def test_subthreshold_closed_form_holds_for_any_time_constant(tau_m, dt, v_in):
    beta = math.exp(-dt / tau_m)
    v_in = np.array(v_in)
    x, W = _constant_input((1.0 - beta) * v_in, 30)
    layer = sg.LIFLayer(W, dt=dt, tau_m=tau_m)
    assert not layer.forward(x).any()
    t = (np.arange(30) + 1) * dt
    expected = lif.trajectory(t[:, None], v_in[None, :], tau_m=tau_m)
    np.testing.assert_allclose(layer.membrane()[:, :, 0], expected, rtol=1e-10, atol=1e-13)


# --- the API page --------------------------------------------------------------------------


def _docstring_headings(doc: str) -> set[str]:
    """Section titles of a reST docstring: a line underlined by dashes or equals signs."""
    lines = doc.splitlines()
    return {
        lines[i].strip().lower()
        for i in range(len(lines) - 1)
        if lines[i].strip() and set(lines[i + 1].strip()) in ({"-"}, {"="})
        and len(lines[i + 1].strip()) >= len(lines[i].strip())
    }


def test_module_docstring_titles_do_not_clash_on_the_api_page():
    """book/api.md renders every module docstring on one page, where a section title used by
    two modules is a duplicate target (a warning, so an error in the strict build)."""
    import importlib

    import neurolib

    numpydoc_sections = {"references", "notes", "examples", "see also"}
    ours = _docstring_headings(sg.__doc__) - numpydoc_sections
    assert ours, "the module docstring should have sections of its own"
    for name in neurolib.__all__:
        if name in ("surrogate", "__version__", "plotting", "widgets"):
            continue
        other = importlib.import_module(f"neurolib.{name}")
        clash = ours & _docstring_headings(other.__doc__ or "")
        assert not clash, f"neurolib.surrogate and neurolib.{name} both have the section(s) {sorted(clash)}"


# --- issue 18: every bad argument is named, sizes are refused before they are allocated ---


def test_errors_name_the_argument_the_caller_passed(data):
    with pytest.raises(ValueError, match="name: unknown surrogate 'tanh'"):
        sg.get_surrogate("tanh")
    with pytest.raises(ValueError, match="^unknown surrogate 'tanh'"):  # the argument is surrogate
        sg.LIFLayer([[1.0]], surrogate="tanh")
    with pytest.raises(ValueError, match="^unknown surrogate 'tanh'"):
        sg.SpikingNet(4, 2).set_surrogate("tanh")
    with pytest.raises(ValueError, match="tau_out must be > 0 ms"):
        sg.SpikingNet(4, 2, tau_out=0.0)
    with pytest.raises(TypeError, match="name must be a string"):
        sg.LeakyReadout([[1.0]], name=3)
    with pytest.raises(TypeError, match="formula"):  # computed from the name, not an argument
        sg.Surrogate("sigmoid", 2.0, formula="made-up")
    with pytest.raises(ValueError, match="steepness must be <= MAX_STEEPNESS"):
        sg.get_surrogate("sigmoid", 10 * sg.MAX_STEEPNESS)
    net = sg.SpikingNet(data.X_train.shape[1], 4, seed=0)
    with pytest.raises(ValueError, match=r"steepnesses must be .* MAX_STEEPNESS"):
        sg.steepness_sweep(net, data.X_train[:, :, :4], data.y_train[:4], [1.0, 1e300])


def test_set_state_checks_every_array_before_copying_any(data):
    net = sg.SpikingNet(data.X_train.shape[1], 4, seed=0)
    before = net.get_state()
    bad = net.get_state()
    bad["readout.W"] = np.full_like(bad["readout.W"], np.nan)
    with pytest.raises(ValueError, match=r"state\['readout.W'\] must not contain NaN"):
        net.set_state(bad)
    bad["readout.W"] = np.zeros((3, 3))
    with pytest.raises(ValueError, match=r"state\['readout.W'\] must have shape \(2, 4\)"):
        net.set_state(bad)
    with pytest.raises(TypeError, match="state must be a mapping"):
        net.set_state([before["hidden.W"]])
    for key, value in net.get_state().items():  # nothing was copied
        np.testing.assert_array_equal(value, before[key])


def test_sizes_and_run_lengths_are_refused_up_front(data, monkeypatch):
    from neurolib import _checks

    monkeypatch.setattr(_checks, "MEMORY_BUDGET", 2**20)
    monkeypatch.setattr(_checks, "MAX_STEPS", 10_000)
    with pytest.raises(ValueError, match="reduce n_in, n_hidden or n_out"):
        sg.SpikingNet(4, 10**12)
    with pytest.raises(ValueError, match="n_per_dim=10000000 would need"):
        sg.receptive_fields(np.zeros((2, 3)), 10**7)
    with pytest.raises(ValueError, match="reduce max_rate, n_steps or dt"):
        sg.poisson_code(np.ones((2, 2)), 20, dt=1e12)
    net = sg.SpikingNet(data.X_train.shape[1], 4, seed=0)
    with pytest.raises(ValueError, match=r"epochs=1000 x 2 mini-batches x 20 time steps .* reduce epochs"):
        sg.train(net, data, epochs=1000)
    with pytest.raises(ValueError, match="data has 20 input neurons .* n_in=4"):
        sg.train(sg.SpikingNet(4, 3, seed=0), data, epochs=1)
    with pytest.raises(ValueError, match="smaller n_random"):
        sg.descent_check(net, data.X_train[:, :, :4], data.y_train[:4], [1.0], n_random=10**6)
    with pytest.raises(ValueError, match="mlp_epochs must be <= 10000"):
        sg.compare_with_mlp((0,), mlp_epochs=10**6)


def test_mlp_divergence_in_the_comparison_names_mlp_learning_rate():
    with pytest.raises(FloatingPointError, match="smaller mlp_learning_rate than 1e"):
        sg.compare_with_mlp((0,), n_hidden=3, mlp_epochs=2, mlp_learning_rate=1e300,
                            epochs=1, n_train=12, n_test=6, n_steps=5, n_per_dim=2)


def test_far_away_points_give_zero_response_without_overflow():
    X = np.array([[0.5, 1e300, -1e300], [0.0, 0.0, 1e308]])
    with np.errstate(over="raise", invalid="raise"):  # no overflow on the way
        r = sg.receptive_fields(X, 4)
    assert np.all(np.isfinite(r))
    np.testing.assert_array_equal(r[:4, 1:], 0.0)  # dimension 0 of the far points
    # the clip changes no value: the same as the plain formula where that does not overflow
    x = np.linspace(-40.0, 40.0, 801)[None, :]
    centres = np.linspace(-1.5, 2.5, 4)
    sigma = 4.0 / 3.0
    expected = np.exp(-0.5 * ((x - centres[:, None]) / sigma) ** 2)
    np.testing.assert_array_equal(sg.receptive_fields(x, 4, low=-1.5, high=2.5), expected)
