"""Tests of neurolib.dense: every gradient against central differences, the identities of
chapter 08, stable losses, training to the accuracy bar, the scalar autodiff, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy import special

from neurolib import activations as act
from neurolib import dense, exercises, widgets

ACTIVATIONS = sorted(act.ACTIVATIONS)
LOSSES = sorted(dense.LOSSES)
#: Where each activation has a kink: a central difference straddling it is meaningless.
KINKS = {"step": (0.0,), "relu": (0.0,), "leaky_relu": (0.0,), "clip": (0.0, 1.0)}
TOL = dense.GRADIENT_TOLERANCE


def _targets(loss: str, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Random valid targets for ``loss``: reals, values in [0, 1], or distributions over axis 0."""
    if loss == "squared_error":
        return rng.normal(size=shape)
    if loss == "binary_cross_entropy":
        return rng.uniform(size=shape)
    p = rng.uniform(0.05, 1.0, size=shape)
    return p / p.sum(axis=0)


def _away_from_kinks(activation: str, h_bar: np.ndarray, margin: float = 1e-4) -> bool:
    return all(np.min(np.abs(h_bar - k)) > margin for k in KINKS.get(activation, ()))


def _checkable(grads) -> bool:
    """A central difference carries a rounding error of about 1e-16 |C| / eps per entry, so a
    gradient array far smaller than that (units deep in saturation, or on the flat side of a
    leaky ReLU) cannot be checked to 1e-7 relative error; exactly zero ones (the step) can."""
    return all(np.linalg.norm(g) == 0.0 or np.linalg.norm(g) > 1e-2 for g in grads)


shapes = st.tuples(
    st.integers(1, 5),  # n inputs
    st.integers(1, 5),  # m outputs
    st.one_of(st.none(), st.integers(1, 4)),  # batch size (None: a single example)
)


# --- the layer and its formulas -----------------------------------------------------------


def test_forward_is_f_of_w_x_plus_b():
    rng = np.random.default_rng(0)
    W, b, x = rng.normal(size=(3, 4)), rng.normal(size=3), rng.normal(size=4)
    layer = dense.Dense(W, b, "tanh")
    np.testing.assert_allclose(layer.forward(x), np.tanh(W @ x + b), rtol=1e-15)
    X = rng.normal(size=(4, 6))
    H = layer.forward(X)
    assert H.shape == (3, 6)
    for k in range(6):  # a batch is its columns, one at a time
        np.testing.assert_allclose(H[:, k], np.tanh(W @ X[:, k] + b), rtol=1e-14)


def test_backward_single_example_is_the_outer_product_formula():
    rng = np.random.default_rng(1)
    W, b, x, delta = rng.normal(size=(3, 2)), rng.normal(size=3), rng.normal(size=2), rng.normal(size=3)
    layer = dense.Dense(W, b, "logistic")
    layer.forward(x)
    g = layer.backward(delta)
    h_bar = W @ x + b
    s = special.expit(h_bar)
    dh_bar = s * (1 - s) * delta  # f'(h̄) ⊙ Δ, written independently of activations.py
    np.testing.assert_allclose(g.dW, np.outer(dh_bar, x), rtol=1e-12)
    np.testing.assert_allclose(g.db, dh_bar, rtol=1e-12)
    np.testing.assert_allclose(g.dx, W.T @ dh_bar, rtol=1e-12)
    assert g.dx.shape == (2,) and g.dW.shape == (3, 2) and g.db.shape == (3,)


def test_batch_gradients_are_sums_of_single_example_gradients():
    rng = np.random.default_rng(2)
    layer = dense.Dense(rng.normal(size=(4, 3)), rng.normal(size=4), "tanh")
    X, D = rng.normal(size=(3, 5)), rng.normal(size=(4, 5))
    layer.forward(X)
    g = layer.backward(D)
    singles = []
    for k in range(5):
        layer.forward(X[:, k])
        singles.append(layer.backward(D[:, k]))
    np.testing.assert_allclose(g.dW, sum(s.dW for s in singles), rtol=1e-12)
    np.testing.assert_allclose(g.db, sum(s.db for s in singles), rtol=1e-12)
    np.testing.assert_allclose(g.dx, np.stack([s.dx for s in singles], axis=1), rtol=1e-12)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss", LOSSES)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(shape=shapes, seed=st.integers(0, 2**32 - 1))
def test_layer_gradients_match_finite_differences(activation, loss, shape, seed):
    """One dense layer with ``activation`` whose output goes into ``loss``: dx, dW, db."""
    n, m, batch = shape
    if loss == "softmax_cross_entropy":
        m = max(m, 2)
    rng = np.random.default_rng(seed)
    layer = dense.Dense(rng.normal(size=(m, n)), rng.normal(size=m), activation)
    x = rng.normal(size=(n,) if batch is None else (n, batch))
    y = _targets(loss, (m,) if batch is None else (m, batch), rng)
    h_bar = layer.W @ (x if batch else x[:, None]) + layer.b[:, None]
    assume(_away_from_kinks(activation, h_bar))
    L = dense.get_loss(loss)
    g = layer.backward(L.gradient(layer.forward(x), y))
    assume(_checkable([g.dx, g.dW, g.db]))
    check = dense.gradient_check(
        lambda: L(layer.forward(x), y), {"x": x, "W": layer.W, "b": layer.b}, {"x": g.dx, "W": g.dW, "b": g.db}
    )
    assert check.passed, str(check)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss", LOSSES)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(sizes=st.lists(st.integers(1, 4), min_size=3, max_size=4), batch=st.integers(1, 4), seed=st.integers(0, 2**32 - 1))
def test_mlp_backpropagation_matches_finite_differences(activation, loss, sizes, batch, seed):
    """A network with hidden ``activation`` layers and a linear output into ``loss``."""
    if loss == "softmax_cross_entropy":
        sizes[-1] = max(sizes[-1], 2)
    rng = np.random.default_rng(seed)
    model = dense.MLP(sizes, activation, loss, rng=rng)
    for layer in model.layers:  # random biases too, so that no unit sits exactly at a kink
        layer.b[:] = rng.normal(size=layer.b.shape)
    X = rng.normal(size=(sizes[0], batch))
    Y = _targets(loss, (sizes[-1], batch), rng)
    h = X
    for layer in model.layers[:-1]:
        h_bar = layer.W @ h + layer.b[:, None]
        assume(_away_from_kinks(activation, h_bar))
        h = layer.activation.f(h_bar)
    grads = model.gradients(X, Y)
    assume(_checkable(grads.values()))
    check = dense.gradient_check(lambda: model.cost(X, Y), model.parameters(), grads)
    assert check.passed, str(check)
    assert set(check.errors) == {f"layer{i}.{p}" for i in range(1, len(sizes)) for p in "Wb"}


# --- losses ------------------------------------------------------------------------------------


def test_losses_match_their_textbook_formulas_for_moderate_logits():
    rng = np.random.default_rng(3)
    o, y01 = rng.normal(size=(3, 4)), rng.uniform(size=(3, 4))
    onehot = dense.one_hot_labels(np.array([0, 2, 1, 2]), 3)
    assert dense.squared_error(o, y01) == pytest.approx(0.5 * np.sum((o - y01) ** 2) / 4, rel=1e-14)
    s = 1 / (1 + np.exp(-o))
    naive_bce = -np.sum(y01 * np.log(s) + (1 - y01) * np.log(1 - s)) / 4
    assert dense.binary_cross_entropy(o, y01) == pytest.approx(naive_bce, rel=1e-12)
    z = np.exp(o) / np.exp(o).sum(axis=0)
    assert dense.softmax_cross_entropy(o, onehot) == pytest.approx(-np.sum(onehot * np.log(z)) / 4, rel=1e-12)


@pytest.mark.parametrize("loss", LOSSES)
@given(
    o=st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=2, max_size=6),
    seed=st.integers(0, 2**32 - 1),
)
@settings(max_examples=50, deadline=None)
def test_losses_and_gradients_are_finite_for_any_logits(loss, o, seed):
    o = np.array(o)
    y = _targets(loss, o.shape, np.random.default_rng(seed))
    L = dense.get_loss(loss)
    assert math.isfinite(L(o, y)) and L(o, y) >= 0
    assert np.all(np.isfinite(L.gradient(o, y)))


def test_cross_entropies_at_huge_logits_have_their_limits():
    # ln(1 + e^o) − y o: exactly o for o = 1e4, y = 0; exactly 0 when the logit is right
    assert dense.binary_cross_entropy([1e4], [0.0]) == 1e4
    assert dense.binary_cross_entropy([1e4, -1e4], [1.0, 0.0]) == 0.0
    np.testing.assert_array_equal(dense.binary_cross_entropy_gradient([1e4, -1e4], [0.0, 1.0]), [1.0, -1.0])
    assert dense.softmax_cross_entropy([1e4, 0.0], [0.0, 1.0]) == 1e4
    assert dense.softmax_cross_entropy([1e4, 0.0], [1.0, 0.0]) == 0.0


def test_sigmoid_output_identity_dc_db_is_sigma_minus_y():
    """Logistic output unit + cross-entropy: ∂C/∂b = σ(o) − y (single and batch mean)."""
    rng = np.random.default_rng(4)
    h, y = rng.normal(size=3), np.array([1.0, 0.0])
    layer = dense.Dense(rng.normal(size=(2, 3)), rng.normal(size=2), "linear")
    o = layer.forward(h)
    g = layer.backward(dense.binary_cross_entropy_gradient(o, y))
    np.testing.assert_allclose(g.db, special.expit(o) - y, rtol=1e-14)
    # The same result by the long way: C(a) with a = σ(o), chain rule through σ'
    a = special.expit(o)
    dC_da = (a - y) / (a * (1 - a))
    np.testing.assert_allclose(dC_da * a * (1 - a), g.db, rtol=1e-12)
    H, Y = rng.normal(size=(3, 5)), rng.integers(0, 2, size=(2, 5)).astype(float)
    O = layer.forward(H)
    G = layer.backward(dense.binary_cross_entropy_gradient(O, Y))
    np.testing.assert_allclose(G.db, (special.expit(O) - Y).mean(axis=1), rtol=1e-12)


def test_softmax_output_identities_grad_w_and_grad_h():
    """Softmax output + cross-entropy: ∇_W L = (z − y) hᵀ and ∇_h L = Wᵀ (z − y)."""
    rng = np.random.default_rng(5)
    W, b, h = rng.normal(size=(4, 3)), rng.normal(size=4), rng.normal(size=3)
    y = dense.one_hot_labels(np.array([2]), 4)[:, 0]
    layer = dense.Dense(W, b, "linear")
    o = layer.forward(h)
    g = layer.backward(dense.softmax_cross_entropy_gradient(o, y))
    z = np.exp(o - o.max()) / np.exp(o - o.max()).sum()
    np.testing.assert_allclose(g.dW, np.outer(z - y, h), rtol=1e-12)
    np.testing.assert_allclose(g.dx, W.T @ (z - y), rtol=1e-12)
    np.testing.assert_allclose(g.db, z - y, rtol=1e-12)


# --- the gradient check itself -------------------------------------------------------------


def test_numerical_gradient_of_a_known_function():
    theta = np.array([0.3, -1.2, 2.0])
    grad = dense.numerical_gradient(lambda: float(np.sum(np.sin(theta))), theta)
    np.testing.assert_allclose(grad, np.cos(theta), rtol=1e-9)
    np.testing.assert_array_equal(theta, [0.3, -1.2, 2.0])  # restored


def test_relative_error_values():
    assert dense.relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert dense.relative_error([1.0, 0.0], [0.0, 0.0]) == 1.0
    assert dense.relative_error([3.0, 4.0], [3.0, 4.0]) == 0.0
    assert dense.relative_error([1.0], [-1.0]) == 1.0
    assert dense.relative_error([1.0 + 1e-9], [1.0]) == pytest.approx(0.5e-9, rel=1e-6)


def test_gradient_check_catches_a_forgotten_derivative():
    rng = np.random.default_rng(6)
    layer = dense.Dense(rng.normal(size=(3, 2)), rng.normal(size=3), "tanh")
    x, y = rng.normal(size=2), np.array([0.2, -0.4, 1.0])
    delta = dense.squared_error_gradient(layer.forward(x), y)
    good = layer.backward(delta)
    wrong_dW = np.outer(delta, x)  # forgot f'(h̄)
    f = lambda: dense.squared_error(layer.forward(x), y)  # noqa: E731
    ok = dense.gradient_check(f, {"W": layer.W, "b": layer.b}, {"W": good.dW, "b": good.db})
    bad = dense.gradient_check(f, {"W": layer.W, "b": layer.b}, {"W": wrong_dW, "b": good.db})
    assert ok.passed and ok.max_error < 1e-8
    assert not bad.passed and bad.errors["W"] > 1e-2 and bad.errors["b"] < 1e-8
    assert "FAILS" in str(bad) and "FAILS" not in str(ok)


# --- data and training -------------------------------------------------------------------------


def test_moons_without_noise_lie_on_their_half_circles():
    data = dense.make_moons(100, 50, noise=0.0, seed=0)
    X, y = data.X_train, data.y_train
    assert X.shape == (2, 100) and y.shape == (100,) and data.X_test.shape == (2, 50)
    assert np.sum(y == 0) == 50 and np.sum(y == 1) == 50
    np.testing.assert_allclose(np.hypot(*X[:, y == 0]), 1.0, rtol=1e-12)  # centre (0, 0), y >= 0
    assert np.all(X[1, y == 0] >= 0)
    np.testing.assert_allclose(np.hypot(X[0, y == 1] - 1.0, X[1, y == 1] - 0.5), 1.0, rtol=1e-12)
    assert np.all(X[1, y == 1] <= 0.5)


def test_moons_are_reproducible_by_seed():
    a, b, c = (dense.make_moons(seed=s) for s in (3, 3, 4))
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.X_train, c.X_train)


def _trained(seed: int) -> tuple[dense.MLP, dense.TrainingHistory]:
    data = dense.make_moons(200, 400, 0.15, seed=0)
    model = dense.MLP((2, 16, 2), "tanh", seed=seed)
    return model, dense.train(model, data, epochs=60, learning_rate=1.0, batch_size=20, seed=seed)


def test_training_reaches_the_accuracy_bar_and_is_reproducible():
    model, hist = _trained(1)
    assert hist.test_accuracy[-1] >= 0.95
    assert hist.train_loss[-1] < 0.5 * hist.train_loss[0]
    assert hist.train_loss.shape == (61,) and hist.epochs[-1] == 60
    model2, hist2 = _trained(1)
    np.testing.assert_array_equal(hist.train_loss, hist2.train_loss)
    np.testing.assert_array_equal(model.layers[0].W, model2.layers[0].W)
    _, hist3 = _trained(2)
    assert not np.array_equal(hist.train_loss, hist3.train_loss)


@pytest.mark.parametrize("loss, k, rate", [("binary_cross_entropy", 1, 1.0), ("squared_error", 2, 0.5)])
def test_other_losses_train_too(loss, k, rate):
    data = dense.make_moons(200, 400, 0.15, seed=0)
    model = dense.MLP((2, 16, k), "tanh", loss, seed=1)
    hist = dense.train(model, data, epochs=100, learning_rate=rate, batch_size=20, seed=1)
    assert hist.test_accuracy[-1] >= 0.95


def test_training_keeps_states_that_reproduce_the_curves():
    data = dense.make_moons(100, 100, 0.15, seed=0)
    model = dense.MLP((2, 8, 2), seed=1)
    hist = dense.train(model, data, epochs=5, learning_rate=1.0, seed=2, keep_states=True)
    assert len(hist.states) == 6
    model.set_state(hist.states[3])
    assert model.cost(data.X_train, model.targets(data.y_train)) == pytest.approx(hist.train_loss[3], rel=1e-14)


def test_divergent_training_says_so():
    data = dense.make_moons(100, 100, 0.15, seed=0)
    model = dense.MLP((2, 8, 2), "linear", "squared_error", seed=1)
    with pytest.raises(FloatingPointError, match="smaller learning_rate"):
        dense.train(model, data, epochs=200, learning_rate=100.0, seed=2)


def test_probability_grid_is_a_probability_on_a_grid():
    model, _ = _trained(1)
    p = dense.probability_grid(model, (-1.5, 2.5), (-1.0, 1.5), 30)
    assert p.shape == (30, 30) and np.all((p >= 0) & (p <= 1))
    assert p[-1, 0] < 0.1 and p[0, -1] > 0.9  # upper left is class 0, lower right class 1


# --- the scalar autodiff -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fn, dfn",
    [
        (lambda v: v * v * 3.0, lambda a: 6 * a),
        (lambda v: (v + 2.0) ** 3, lambda a: 3 * (a + 2) ** 2),
        (lambda v: v.exp(), math.exp),
        (lambda v: (v * v + 1.0).log(), lambda a: 2 * a / (a * a + 1)),
        (lambda v: v.tanh(), lambda a: 1 - math.tanh(a) ** 2),
        (lambda v: v.sigmoid(), lambda a: special.expit(a) * special.expit(-a)),
        (lambda v: v.relu() * 2.0, lambda a: 2.0 * (a >= 0)),
        (lambda v: 1.0 / v - v / 2.0, lambda a: -1 / a**2 - 0.5),
        (lambda v: 2.0 - v * v, lambda a: -2 * a),
    ],
)
@pytest.mark.parametrize("a", [-1.3, 0.4, 2.2])
def test_value_backward_rules_match_derivatives(fn, dfn, a):
    v = dense.Value(a)
    fn(v).backward()
    assert v.grad == pytest.approx(dfn(a), rel=1e-12)


def test_value_accumulates_gradients_of_shared_nodes():
    a, b = dense.Value(2.0), dense.Value(-3.0)
    c = a * b + a  # a is used twice
    c.backward()
    assert (a.grad, b.grad) == (-2.0, 2.0)
    d = c * c
    d.backward()  # gradients are reset, not accumulated across calls
    assert a.grad == pytest.approx(2 * c.data * (b.data + 1))


@pytest.mark.parametrize("activation", ["tanh", "logistic", "relu"])
def test_autodiff_of_a_dense_layer_gives_the_matrix_formulas(activation):
    rng = np.random.default_rng(7)
    W, b, x = rng.normal(size=(3, 4)), rng.normal(size=3), rng.normal(size=4)
    y = dense.one_hot_labels(np.array([1]), 3)[:, 0]
    hidden = dense.Dense(W, b, activation)
    out = dense.Dense(rng.normal(size=(3, 3)), rng.normal(size=3), "linear")
    o = out.forward(hidden.forward(x))
    g_out = out.backward(dense.softmax_cross_entropy_gradient(o, y))
    g_hid = hidden.backward(g_out.dx)
    # the same network on Values
    Wv, bv, xv = dense.as_values(W), dense.as_values(b), dense.as_values(x)
    method = {"tanh": "tanh", "logistic": "sigmoid", "relu": "relu"}[activation]
    h = np.array([getattr(v, method)() for v in Wv @ xv + bv], dtype=object)
    ov = dense.as_values(out.W) @ h + dense.as_values(out.b)
    log_sum = sum((v.exp() for v in ov), dense.Value(0.0)).log()
    loss = log_sum - sum(float(yi) * vi for yi, vi in zip(y, ov))  # −Σ y ln softmax(o)
    loss.backward()
    assert loss.data == pytest.approx(dense.softmax_cross_entropy(o, y), rel=1e-12)
    np.testing.assert_allclose(dense.values_grad(Wv), g_hid.dW, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(dense.values_grad(bv), g_hid.db, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(dense.values_grad(xv), g_hid.dx, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(dense.values_data(h), hidden.forward(x), rtol=1e-14)


# --- bad input -------------------------------------------------------------------------------


def test_shape_errors_name_the_layer_and_both_shapes():
    layer = dense.Dense(np.ones((3, 2)), np.zeros(3), "tanh", name="hidden")
    with pytest.raises(ValueError, match=r"layer 'hidden': x must have shape \(2,\) or \(2, B\), got \(3,\)"):
        layer.forward(np.ones(3))
    with pytest.raises(ValueError, match=r"layer 'hidden': x .*got \(2, 2, 2\)"):
        layer.forward(np.ones((2, 2, 2)))
    with pytest.raises(RuntimeError, match="call forward"):
        layer.backward(np.ones(3))
    layer.forward(np.ones((2, 5)))
    with pytest.raises(ValueError, match=r"layer 'hidden': delta must have shape \(3, 5\), got \(3, 4\)"):
        layer.backward(np.ones((3, 4)))
    layer.forward(np.ones(2))
    with pytest.raises(ValueError, match=r"layer 'hidden': delta must have shape \(3,\), got \(3, 1\)"):
        layer.backward(np.ones((3, 1)))
    with pytest.raises(ValueError, match=r"hidden.x must not contain NaN"):
        layer.forward(np.array([np.nan, 1.0]))


def test_bad_layer_parameters():
    with pytest.raises(ValueError, match=r"layer 'out': W must be a non-empty 2-D array"):
        dense.Dense(np.ones(3), np.zeros(3), name="out")
    with pytest.raises(ValueError, match=r"layer 'out': b must have shape \(3,\)"):
        dense.Dense(np.ones((3, 2)), np.zeros(2), name="out")
    with pytest.raises(ValueError, match="unknown activation 'softplus'"):
        dense.Dense(np.ones((3, 2)), np.zeros(3), "softplus")
    with pytest.raises(ValueError, match="out.W must be finite"):
        dense.Dense(np.full((1, 1), np.inf), np.zeros(1), name="out")
    with pytest.raises(ValueError, match="n_in must be >= 1"):
        dense.Dense.random(0, 3)
    with pytest.raises(TypeError, match="seed must be an integer"):
        dense.Dense.random(2, 3, seed=1.5)


def test_bad_loss_input():
    with pytest.raises(ValueError, match=r"y must have the shape of the output o, \(2,\), got \(3,\)"):
        dense.squared_error([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"y must contain targets in \[0, 1\]"):
        dense.binary_cross_entropy([0.0, 1.0], [2.0, 0.0])
    with pytest.raises(ValueError, match="each column sums to 1"):
        dense.softmax_cross_entropy([0.0, 1.0], [0.5, 0.2])
    with pytest.raises(ValueError, match="o must not contain NaN"):
        dense.softmax_cross_entropy_gradient([np.nan, 1.0], [0.0, 1.0])
    with pytest.raises(ValueError, match="o must be finite"):
        dense.binary_cross_entropy([np.inf], [1.0])
    with pytest.raises(ValueError, match="unknown loss 'hinge'"):
        dense.get_loss("hinge")


def test_bad_gradient_check_input():
    theta = np.ones(3)
    with pytest.raises(ValueError, match="eps must be > 0"):
        dense.numerical_gradient(lambda: 0.0, theta, eps=0.0)
    with pytest.raises(TypeError, match="param must be a float64 numpy array"):
        dense.numerical_gradient(lambda: 0.0, [1.0, 2.0])
    with pytest.raises(ValueError, match="same keys"):
        dense.gradient_check(lambda: 0.0, {"a": theta}, {"b": theta})
    with pytest.raises(ValueError, match="analytic and numeric must have the same shape"):
        dense.relative_error([1.0, 2.0], [1.0])


def test_bad_mlp_training_and_data_input():
    with pytest.raises(ValueError, match="sizes must list at least"):
        dense.MLP([3])
    with pytest.raises(ValueError, match="softmax output needs at least 2 units"):
        dense.MLP([2, 4, 1])
    with pytest.raises(ValueError, match="noise must be >= 0"):
        dense.make_moons(noise=-0.1)
    with pytest.raises(ValueError, match="n_train must be >= 2"):
        dense.make_moons(n_train=1)
    data = dense.make_moons(20, 20, seed=0)
    model = dense.MLP([2, 3, 2], seed=0)
    with pytest.raises(ValueError, match="learning_rate must be > 0"):
        dense.train(model, data, learning_rate=-0.1)
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        dense.train(model, data, batch_size=0)
    with pytest.raises(ValueError, match=r"labels must lie in 0..1"):
        dense.one_hot_labels(np.array([0, 2]), 2)
    with pytest.raises(ValueError, match="labels must be a 1-D array of integer"):
        model.accuracy(data.X_test, data.y_test.astype(float))


# --- the widget and the exercises ------------------------------------------------------------


def test_dense_trainer_shows_the_chosen_run_and_epoch():
    app = widgets.dense_trainer(precompute=False)
    before = np.array(app.image.get_array(), dtype=float).copy()
    app.update(width=4, learning_rate=3.0, epoch=7)
    hist = app.run(4, 3.0)
    np.testing.assert_array_equal(app.train_line.get_ydata(), hist.train_loss)
    assert list(app.marker.get_xdata()) == [7, 7]
    assert not np.allclose(np.array(app.image.get_array(), dtype=float), before)
    assert "epoch 7" in app.ax_map.get_title()
    # the drawn map is the network of epoch 7 evaluated on the grid
    model = dense.MLP((2, 4, 2), seed=1)
    model.set_state(hist.states[7])
    np.testing.assert_allclose(app.image.get_array(), dense.probability_grid(model, app.XLIM, app.YLIM, app.GRID))
    assert hist.test_accuracy[app.EPOCHS] > 0.95  # the widget's best runs pass the bar too


def test_dense_trainer_bad_values():
    app = widgets.dense_trainer(precompute=False)
    with pytest.raises(ValueError, match="width must be one of"):
        app.update(width=5)
    with pytest.raises(ValueError, match="learning_rate must be one of"):
        app.update(learning_rate=0.2)
    with pytest.raises(ValueError, match="epoch must be an integer in 0..40"):
        app.update(epoch=41)


def _backward_answer(W, b, x, delta):
    h_bar = W @ x + b
    dh_bar = (1 - np.tanh(h_bar) ** 2) * delta
    return W.T @ dh_bar, np.outer(dh_bar, x), dh_bar


def test_exercise_checks_accept_right_and_reject_wrong_answers(capsys):
    assert exercises.check_dense_backward(_backward_answer)
    assert not exercises.check_dense_backward(lambda W, b, x, d: (W.T @ d, np.outer(d, x), d))
    assert not exercises.check_dense_backward(None)
    z = special.softmax(exercises.EX8_W @ exercises.EX8_H + exercises.EX8_B)
    right = (np.outer(z - exercises.EX8_Y, exercises.EX8_H), exercises.EX8_W.T @ (z - exercises.EX8_Y))
    assert exercises.check_output_gradients(right)
    assert not exercises.check_output_gradients((right[0].T, right[1]))
    assert not exercises.check_output_gradients(None)
    assert exercises.check_stable_bce(lambda o, y: np.sum(np.logaddexp(0, o) - y * o))
    naive = lambda o, y: -np.sum(y * np.log(1 / (1 + np.exp(-o))) + (1 - y) * np.log(1 - 1 / (1 + np.exp(-o))))  # noqa: E731
    assert not exercises.check_stable_bce(naive)
    assert not exercises.check_stable_bce(None)
    out = capsys.readouterr().out
    assert "Correct:" in out and "Not yet:" in out


def test_bad_inputs_get_clear_answers_issue_18():
    a = dense.Value(0.0)
    c = a**0  # forward gives 1; the gradient of a constant is 0, also at a = 0
    c.backward()
    assert c.data == 1.0 and a.grad == 0.0
    with pytest.raises(TypeError, match="data must be a real number"):
        dense.Value("2")
    model = dense.MLP((2, 4, 2), seed=0)
    before = model.get_state()
    grads = model.gradients(np.ones((2, 3)), np.tile([[1.0], [0.0]], 3))
    for lr in (float("nan"), float("inf"), -0.1):
        with pytest.raises(ValueError, match="learning_rate must be"):
            model.sgd_step(grads, lr)
    grads["layer1.W"][0, 0] = np.nan
    with pytest.raises(ValueError, match=r"grads\['layer1.W'\] must not contain NaN"):
        model.sgd_step(grads, 0.1)
    with pytest.raises(ValueError, match=r"state\['layer1.b'\] must have shape \(4,\)"):
        model.set_state({**before, "layer1.b": np.zeros(3)})
    for key, value in model.get_state().items():  # nothing was changed by the refused calls
        np.testing.assert_array_equal(value, before[key])
    data = dense.make_moons(20, 20, seed=0)
    with pytest.raises(TypeError, match="model must be an MLP"):
        dense.train("mlp", data)
    with pytest.raises(TypeError, match="data must be a Moons"):
        dense.train(model, (1, 2))
    with pytest.raises(ValueError, match="reduce epochs"):
        dense.train(model, data, epochs=10**12)
    with pytest.raises(ValueError, match="n_train=1000000000000 would need"):
        dense.make_moons(10**12)
    with pytest.raises(ValueError, match="hidden: unknown activation 'sigmoidal'"):
        dense.MLP((2, 2), hidden="sigmoidal")
    with pytest.raises(TypeError, match="f must be a function"):
        dense.numerical_gradient(0, np.ones(2))
    with pytest.raises(TypeError, match="a must be an array of Value objects"):
        dense.values_data(np.ones(2))
