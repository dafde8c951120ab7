"""Tests of neurolib.deep: vanishing gradients and their remedies (chapter 09)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from neurolib import activations as act
from neurolib import deep, dense


@pytest.fixture(scope="module")
def moons() -> dense.Moons:
    return dense.make_moons(200, 400, 0.15, seed=0)


@pytest.fixture(scope="module")
def norms_only(moons):
    """Gradient norms of every configuration at initialisation (no training)."""
    return deep.compare_remedies(moons, epochs=0)


# --- saturation and curvature -------------------------------------------------------------


def test_curvature_extremes_match_closed_form():
    ext = deep.curvature_extremes()
    assert ext.z == pytest.approx(math.log(2.0 + math.sqrt(3.0)), abs=1e-10)
    assert ext.z == pytest.approx(1.317, abs=5e-4)
    assert ext.sigma_low == pytest.approx(0.2113, abs=5e-5)
    assert ext.sigma_high == pytest.approx(0.7887, abs=5e-5)
    assert ext.sigma_high == pytest.approx((3 + math.sqrt(3)) / 6, rel=1e-12)


def test_curvature_extremes_agree_with_finite_differences():
    # σ″ by central second differences of the logistic itself, on a fine grid
    h = 1e-4
    z = np.linspace(-4.0, 4.0, 80001)
    s2 = (act.logistic(z + h) - 2 * act.logistic(z) + act.logistic(z - h)) / h**2
    ext = deep.curvature_extremes()
    assert z[np.argmin(s2)] == pytest.approx(ext.z, abs=2e-3)
    assert z[np.argmax(s2)] == pytest.approx(-ext.z, abs=2e-3)
    assert np.max(np.abs(s2)) == pytest.approx(ext.curvature, rel=1e-5)
    np.testing.assert_allclose(deep.logistic_second_derivative(z), s2, atol=1e-6)


def test_third_derivative_matches_finite_difference_of_second():
    z = np.linspace(-6, 6, 13)
    h = 1e-5
    fd = (deep.logistic_second_derivative(z + h) - deep.logistic_second_derivative(z - h)) / (2 * h)
    np.testing.assert_allclose(deep.logistic_third_derivative(z), fd, atol=1e-9)


def test_stuck_output_gradient():
    g_se = deep.stuck_output_gradient(1e-7, 1.0, "squared_error")
    assert g_se == pytest.approx(-(1 - 1e-7) * 1e-7 * (1 - 1e-7), rel=1e-12)
    assert abs(g_se) < 1.1e-7
    g_ce = deep.stuck_output_gradient(1e-7, 1.0, "cross_entropy")
    assert g_ce == pytest.approx(-1.0, abs=1e-6)
    # agrees with the package's loss on the logit, differentiated by finite differences
    o = math.log(1e-7 / (1 - 1e-7))
    h = 1e-3
    c = deep._sigmoid_squared_error_loss(0.0)
    fd = (c(np.array([o + h]), np.array([1.0])) - c(np.array([o - h]), np.array([1.0]))) / (2 * h)
    assert fd == pytest.approx(g_se, rel=1e-3)


# --- initialisation and the network -------------------------------------------------------


@pytest.mark.parametrize(
    "scheme, expected",
    [("normal", 1.0), ("lecun", 1 / math.sqrt(16)), ("glorot", math.sqrt(2 / 24)), ("he", math.sqrt(2 / 16))],
)
def test_init_std(scheme, expected):
    assert deep.init_std(scheme, 16, 8) == pytest.approx(expected)


def test_initial_weights_have_the_scheme_std():
    net = deep.DeepNet(64, 3, 400, "logistic", "lecun", seed=1)
    assert np.std(net.layers[1].W) == pytest.approx(1 / 20, rel=0.02)
    assert np.std(net.layers[0].W) == pytest.approx(1 / 8, rel=0.05)


@pytest.mark.parametrize("remedy", list(deep.REMEDIES))
def test_backprop_passes_gradient_check(moons, remedy):
    r = deep.REMEDIES[remedy]
    if r.prime_offset:
        pytest.skip("Fahlman's variant is deliberately not the exact gradient")
    net = deep.DeepNet(2, 4, 3, r.hidden, r.init, init_scale=0.7, loss=r.loss, targets=r.targets, seed=2)
    X, Y = moons.X_train[:, :7], net.targets(moons.y_train[:7])
    grads = net.gradients(X, Y)
    # tiny (vanishing) gradients of a few entries carry more rounding error: 1e-5
    check = dense.gradient_check(lambda: net.cost(X, Y), net.parameters(), grads, tolerance=1e-5)
    assert check.passed, str(check)


def test_fahlman_offset_adds_to_derivative(moons):
    X, y = moons.X_train[:, :5], moons.y_train[:5]
    exact = deep.DeepNet(2, 3, 4, seed=3)
    fahl = deep.DeepNet(2, 3, 4, prime_offset=0.1, seed=3)
    z = exact.layers[0].W @ X
    # same forward pass, larger backward factors
    np.testing.assert_allclose(exact.forward(X), fahl.forward(X))
    np.testing.assert_allclose(fahl.layers[0].activation.df(z), act.logistic_derivative(z) + 0.1)
    assert np.all(deep.gradient_norms(fahl, X, y)[:2] > deep.gradient_norms(exact, X, y)[:2])


def test_soft_targets():
    net = deep.DeepNet(2, 2, 3, targets=deep.SOFT_TARGETS, seed=0)
    np.testing.assert_allclose(net.targets(np.array([0, 1, 1])), [[0.15, 0.85, 0.85]])


# --- vanishing and the remedies -----------------------------------------------------------


def test_ten_layer_sigmoid_net_vanishes(norms_only):
    base = norms_only["baseline"]
    assert base.norms.shape == (10,)
    assert base.ratio < 1e-2  # more than two orders of magnitude
    assert base.norms[0] < base.norms[-1] / 100


def test_lecun_init_removes_saturation_but_not_the_sigma_prime_product(moons, norms_only):
    normal = deep.DeepNet(2, 10, 16, seed=0)
    lecun = deep.DeepNet(2, 10, 16, init="lecun", seed=0)
    assert np.mean(deep.saturated_fraction(normal, moons.X_train)) > 0.05
    assert np.max(deep.saturated_fraction(lecun, moons.X_train)) < 0.01
    # with unsaturated logistic units each layer multiplies by about σ′(0) = 1/4:
    # the ratio is smaller still, of the order of the product bound (1/4)^9
    ratio = norms_only["lecun_init"].ratio
    assert ratio < norms_only["baseline"].ratio / 100
    assert 1e-2 * deep.sigmoid_prime_bound(10)[0] < ratio < 10 * deep.sigmoid_prime_bound(10)[0]


def test_soft_targets_and_cross_entropy_leave_hidden_layers_vanishing(norms_only):
    base = norms_only["baseline"]
    for name in ("soft_targets", "cross_entropy"):
        assert 0.5 < norms_only[name].ratio / base.ratio < 2.0
    # cross-entropy enlarges the output layer's gradient (and every layer's with it)
    assert norms_only["cross_entropy"].norms[-1] > 3 * base.norms[-1]


def test_fahlman_offset_raises_the_ratio(norms_only):
    assert norms_only["fahlman"].ratio > 10 * norms_only["baseline"].ratio


def test_relu_with_he_init_keeps_gradients_of_one_order(norms_only):
    assert 0.1 < norms_only["relu"].ratio < 10


def test_relu_with_normal_init_explodes(moons, norms_only):
    assert norms_only["relu_normal"].ratio > 1  # grows towards the input
    net = deep.DeepNet(2, 10, 16, "relu", "normal", seed=0)
    assert np.max(np.abs(net.forward(moons.X_train))) > 1e3


def test_training_comparison_is_reproducible_and_fahlman_and_relu_learn(moons):
    kw = dict(epochs=15, learning_rate=0.5)
    a = deep.compare_remedies(moons, ("baseline", "fahlman", "relu"), **kw)
    b = deep.compare_remedies(moons, ("baseline", "fahlman", "relu"), **kw)
    for name in a:
        np.testing.assert_array_equal(a[name].norms, b[name].norms)
        np.testing.assert_array_equal(a[name].history.train_loss, b[name].history.train_loss)
    c = deep.compare_remedies(moons, ("baseline",), seed=5, **kw)
    assert not np.array_equal(c["baseline"].history.train_loss, a["baseline"].history.train_loss)
    assert a["fahlman"].history.train_loss[-1] < a["baseline"].history.train_loss[-1]
    assert a["relu"].history.train_loss[-1] < a["baseline"].history.train_loss[-1]


def test_sigmoid_prime_bound():
    np.testing.assert_allclose(deep.sigmoid_prime_bound(3), [1 / 16, 1 / 4, 1.0])


# --- bad input ----------------------------------------------------------------------------


def test_bad_depth_and_width():
    with pytest.raises(ValueError, match="depth must be >= 1"):
        deep.DeepNet(2, 0, 4)
    with pytest.raises(ValueError, match="width must be >= 1"):
        deep.DeepNet(2, 3, 0)
    with pytest.raises(TypeError, match="depth"):
        deep.DeepNet(2, 2.5, 4)


def test_unknown_names_list_valid_ones(moons):
    with pytest.raises(ValueError, match=r"valid activations are:.*'relu'.*'logistic'"):
        deep.DeepNet(2, 3, 4, hidden="sigmoidal")
    with pytest.raises(ValueError, match=r"valid inits are: 'normal', 'lecun', 'glorot', 'he'"):
        deep.DeepNet(2, 3, 4, init="xavier")
    with pytest.raises(ValueError, match=r"init.*'glorot'"):
        deep.init_std("kaiming", 3, 3)
    with pytest.raises(ValueError, match=r"loss.*'cross_entropy'"):
        deep.DeepNet(2, 3, 4, loss="hinge")
    with pytest.raises(ValueError, match=r"remedy.*'fahlman'"):
        deep.run_remedy("dropout", moons)


def test_bad_values():
    with pytest.raises(ValueError, match="init_scale"):
        deep.DeepNet(2, 3, 4, init_scale=0.0)
    with pytest.raises(ValueError, match="targets"):
        deep.DeepNet(2, 3, 4, targets=(0.9, 0.1))
    with pytest.raises(ValueError, match="prime_offset"):
        deep.DeepNet(2, 3, 4, prime_offset=-0.1)
    with pytest.raises(ValueError, match="output"):
        deep.stuck_output_gradient(1.0, 1.0)
    with pytest.raises(ValueError, match="target"):
        deep.stuck_output_gradient(0.5, 2.0)
    with pytest.raises(ValueError, match="z must not contain NaN"):
        deep.logistic_second_derivative([np.nan])
    with pytest.raises(ValueError, match="depth"):
        deep.sigmoid_prime_bound(0)


# --- the widget ---------------------------------------------------------------------------


def test_gradient_flow_explorer_updates_figure_data():
    from neurolib import widgets

    app = widgets.WIDGETS["gradient_flow_explorer"]()
    x0, y0 = (np.asarray(a).copy() for a in app.line.get_data())
    assert x0.size == 10
    np.testing.assert_allclose(y0, app.compute(10, "logistic", 1.0))
    app.update(depth=14, activation="relu", init_scale=1.4)
    x1, y1 = app.line.get_data()
    assert len(x1) == 14
    np.testing.assert_allclose(y1, np.clip(app.compute(14, "relu", 1.4), *app.YLIM))
    # He-like ReLU weights keep the gradient within an order of magnitude; logistic does not
    assert y1[0] / y1[-1] > 0.1 and y0[0] / y0[-1] < 1e-4
    assert "relu, 14 layers" in app.ax.get_title()
    assert app.render()[:4] == b"\x89PNG"


def test_gradient_flow_explorer_bad_values():
    from neurolib import widgets

    app = widgets.gradient_flow_explorer()
    with pytest.raises(ValueError, match="depth"):
        app.update(depth=1)
    with pytest.raises(ValueError, match="valid activations are"):
        app.update(activation="softplus")
    with pytest.raises(ValueError, match="init_scale"):
        app.update(init_scale=0.0)


def test_bad_inputs_get_clear_answers_issue_18():
    data = dense.make_moons(20, 20, seed=0)
    with pytest.raises(TypeError, match="net must be a DeepNet"):
        deep.saturated_fraction(dense.MLP((2, 3, 2), seed=0), data.X_train)
    with pytest.raises(TypeError, match="net must be a DeepNet or an MLP"):
        deep.gradient_norms("net", data.X_train, data.y_train)
    with pytest.raises(ValueError, match=r"names: unknown remedy 'baselin'"):
        deep.compare_remedies(data, names=("baselin",))
    one = deep.compare_remedies(data, names="baseline", depth=3, width=4, epochs=0)  # one name, not letters
    assert list(one) == ["baseline"]
    with pytest.raises(TypeError, match="data must be a Moons"):
        deep.run_remedy("baseline", 3.0)
    with pytest.raises(ValueError, match="reduce depth, width or n_in"):
        deep.DeepNet(2, 10**6, 10**6)
    with pytest.raises(ValueError, match="depth=1000000000000 would need"):
        deep.sigmoid_prime_bound(10**12)
    with pytest.raises(ValueError, match="scheme: unknown init 'xavier'"):
        deep.init_std("xavier", 3, 3)
