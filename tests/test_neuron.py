"""Tests for neurolib.neuron (chapter 06): logic, geometry and learning of the artificial neuron.

References are independent of the code under test: Python's own logic operators for truth
tables, a hand-derived Farkas certificate for XOR, elementary 2-D geometry, the hand-solved
worked example, scipy.optimize.approx_fprime for gradients and binomial/Poisson statistics.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import approx_fprime

from neurolib import exercises, neuron, widgets

X2 = neuron.truth_table(2)
SIGMOID = lambda z: 1.0 / (1.0 + math.exp(-z))  # noqa: E731  (textbook formula, moderate z only)


# --- McCulloch–Pitts logic ---------------------------------------------------------------------


def test_truth_table_lists_all_patterns_in_counting_order():
    T = neuron.truth_table(3)
    assert T.shape == (8, 3)
    assert [tuple(r) for r in T] == list(itertools.product([0, 1], repeat=3))


@pytest.mark.parametrize(
    "gate, op",
    [("AND", lambda a, b: a and b), ("OR", lambda a, b: a or b), ("NAND", lambda a, b: not (a and b))],
)
def test_two_input_gates_match_python_logic(gate, op):
    got = neuron.LOGIC_GATES[gate](X2)
    expected = [int(bool(op(bool(a), bool(b)))) for a, b in X2]
    assert got.tolist() == expected


def test_not_gate_and_bias_is_minus_threshold():
    unit = neuron.LOGIC_GATES["NOT"]
    assert unit(neuron.truth_table(1)).tolist() == [1, 0]
    assert neuron.LOGIC_GATES["AND"].bias == -2.0
    assert unit.n_inputs == 1


def test_mp_unit_fires_at_exactly_the_threshold():
    # z = <w, x> - θ = 0 counts as active (McCulloch–Pitts convention, step(0) = 1)
    assert neuron.mp_unit([1, 1], [1.0, 1.0], 2.0).tolist() == [1]
    assert neuron.mp_unit([1, 0], [1.0, 1.0], 2.0).tolist() == [0]


def test_xor_network_computes_xor_and_its_hidden_layer_is_separable():
    y, hidden = neuron.xor_network(X2)
    assert y.tolist() == [a ^ b for a, b in X2]
    assert hidden.tolist() == [[0, 0], [1, 0], [1, 0], [1, 1]]
    assert neuron.linear_separability(hidden, y).separable


def test_xor_is_infeasible_for_one_unit_by_lp_and_by_farkas_certificate():
    res = neuron.linear_separability(X2, [0, 1, 1, 0])
    assert not res.separable and res.status == 2 and res.weights is None
    # Independent proof (Farkas): the inequalities  -(w2 + b) <= 0, -(w1 + b) <= 0, b <= -1,
    # w1 + w2 + b <= -1, rows of A (w1, w2, b) <= c, summed with weights y = (1, 1, 1, 1) >= 0,
    # give 0 <= -2: y^T A = 0 and y^T c < 0, so no (w, b) satisfies them.
    A = np.array([[0, -1, -1], [-1, 0, -1], [0, 0, 1], [1, 1, 1]], dtype=float)
    c = np.array([0, 0, -1, -1], dtype=float)
    y = np.ones(4)
    assert np.all(y >= 0) and np.allclose(y @ A, 0) and y @ c < 0


def test_exactly_14_of_16_two_input_boolean_functions_are_separable():
    separable = {}
    for targets in itertools.product([0, 1], repeat=4):
        res = neuron.linear_separability(X2, targets)
        separable[targets] = res.separable
        if res.separable:  # the returned unit really computes the function
            z = X2 @ res.weights + res.bias
            assert ((z >= 0).astype(int) == np.array(targets)).all()
            assert np.all(z[np.array(targets) == 0] <= -1 + 1e-7)
    assert sum(separable.values()) == 14
    assert not separable[(0, 1, 1, 0)] and not separable[(1, 0, 0, 1)]  # XOR, XNOR


def test_three_input_parity_is_not_separable_but_majority_is():
    X3 = neuron.truth_table(3)
    assert not neuron.linear_separability(X3, X3.sum(axis=1) % 2).separable
    assert neuron.linear_separability(X3, (X3.sum(axis=1) >= 2).astype(int)).separable


def test_separability_of_data_built_from_a_known_hyperplane():
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, (200, 4))
    w, b = np.array([1.0, -2.0, 0.5, 0.3]), 0.1
    keep = np.abs(X @ w + b) > 0.05
    X, t = X[keep], (X[keep] @ w + b >= 0).astype(int)
    assert neuron.linear_separability(X, t).separable
    # a class-0 point at the midpoint of two class-1 points cannot be separated: z is affine,
    # so z(midpoint) = (z(a) + z(c)) / 2 >= 0 whatever (w, b) are
    a, c = X[t == 1][:2]
    X_bad, t_bad = np.vstack([X, (a + c) / 2]), np.append(t, 0)
    assert not neuron.linear_separability(X_bad, t_bad).separable


# --- geometry -------------------------------------------------------------------------------------


def _distance_point_to_line_2d(p, a, c):
    """|cross(c - a, p - a)| / |c - a|: distance of p from the line through a and c."""
    d, v = c - a, p - a
    return abs(d[0] * v[1] - d[1] * v[0]) / np.hypot(*d)


@pytest.mark.parametrize("w, b", [([1.0, 2.0], -1.0), ([-3.0, 0.5], 2.0), ([0.0, 1.5], 0.7), ([2.0, 0.0], -4.0)])
def test_signed_distance_matches_elementary_geometry_and_sign_convention(w, b):
    w = np.array(w)
    rng = np.random.default_rng(3)
    P = rng.uniform(-5, 5, (50, 2))
    a = neuron.closest_point(w, b)
    c = a + np.array([-w[1], w[0]])  # a second point of the line
    assert abs(a @ w + b) < 1e-12 and abs(c @ w + b) < 1e-12
    d = neuron.signed_distance(P, w, b)
    expected = np.array([_distance_point_to_line_2d(p, a, c) for p in P])
    np.testing.assert_allclose(np.abs(d), expected, rtol=1e-12, atol=1e-12)
    # sign: positive exactly on the side where w points and the unit outputs 1
    side = (P - a) @ w
    assert np.all(np.sign(d) == np.sign(side))
    # the origin: b / |w|
    assert neuron.signed_distance(np.zeros(2), w, b)[0] == pytest.approx(b / np.linalg.norm(w), rel=1e-14)


def test_signed_distance_in_five_dimensions_projects_onto_the_hyperplane():
    rng = np.random.default_rng(4)
    w, b = rng.normal(size=5), 0.8
    X = rng.normal(size=(20, 5)) * 3
    d = neuron.signed_distance(X, w, b)
    foot = X - d[:, None] * w / np.linalg.norm(w)
    np.testing.assert_allclose(foot @ w + b, 0, atol=1e-12)  # the foot is on the hyperplane
    # stepping s along the unit normal from a point of the plane gives distance s
    s = np.linspace(-3, 3, 7)
    pts = neuron.closest_point(w, b) + s[:, None] * w / np.linalg.norm(w)
    np.testing.assert_allclose(neuron.signed_distance(pts, w, b), s, atol=1e-12)
    # invariant under positive rescaling of (w, b), flips sign under negative
    np.testing.assert_allclose(neuron.signed_distance(X, 2.5 * w, 2.5 * b), d, rtol=1e-12)
    np.testing.assert_allclose(neuron.signed_distance(X, -w, -b), -d, rtol=1e-12)


def test_closest_point_has_norm_abs_b_over_norm_w_and_lies_opposite_for_positive_b():
    w, b = np.array([3.0, 4.0]), 10.0
    p = neuron.closest_point(w, b)
    assert np.linalg.norm(p) == pytest.approx(2.0)
    assert p @ w < 0  # b > 0: the origin is on the positive side, the plane behind it


def test_decision_line_is_the_zero_set_of_the_net_activation():
    w, b = np.array([1.5, -0.5]), 0.25
    x1 = np.linspace(-3, 3, 13)
    x2 = neuron.decision_line(x1, w, b)
    np.testing.assert_allclose(neuron.net_activation(np.column_stack([x1, x2]), w, b), 0, atol=1e-12)
    with pytest.raises(ValueError, match=r"w\[1\] must be nonzero"):
        neuron.decision_line(x1, [1.0, 0.0], 0.0)


def _shoelace(P):
    x, y = P[:, 0], P[:, 1]
    return 0.5 * (np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


@pytest.mark.parametrize("w, b", [([1.0, 0.0], -0.5), ([1.0, 1.0], 0.0), ([-0.3, 2.0], 0.9), ([1.0, 1.0], 5.0)])
def test_halfplane_polygon_area_matches_a_fine_grid(w, b):
    P = neuron.halfplane_polygon(w, b, (-1, 1), (-1, 1))
    g = np.linspace(-1, 1, 1001)[:-1] + 0.001
    G = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)
    frac = np.mean(G @ np.array(w) + b >= 0)
    assert _shoelace(P) == pytest.approx(4 * frac, abs=0.01)
    assert np.all(P @ np.array(w) + b >= -1e-12)


def test_halfplane_polygon_is_empty_when_the_box_is_all_negative():
    assert neuron.halfplane_polygon([1.0, 1.0], -5.0, (-1, 1), (-1, 1)).shape == (0, 2)


# --- linear neuron: the worked example -------------------------------------------------------------


def test_worked_example_solution_is_the_crossing_of_the_constraint_lines():
    # by hand: w1 - w2 = 0 and w2 = 1  =>  w = (1, 1)
    w_star = neuron.least_squares_weights(neuron.WORKED_X, neuron.WORKED_T)
    np.testing.assert_allclose(w_star, [1.0, 1.0], atol=1e-14)
    assert neuron.linear_error(w_star, neuron.WORKED_X, neuron.WORKED_T) == pytest.approx(0, abs=1e-28)
    assert neuron.linear_error([0.0, 0.0], neuron.WORKED_X, neuron.WORKED_T) == 0.5


def test_linear_error_on_a_grid_matches_a_loop():
    W = np.random.default_rng(5).normal(size=(4, 3, 2))
    E = neuron.linear_error(W, neuron.WORKED_X, neuron.WORKED_T)
    ref = [[0.5 * sum((w @ x - t) ** 2 for x, t in zip(neuron.WORKED_X, neuron.WORKED_T)) for w in row] for row in W]
    np.testing.assert_allclose(E, ref, rtol=1e-13)


def test_linear_error_gradient_matches_finite_differences():
    rng = np.random.default_rng(6)
    for w in rng.normal(size=(5, 2)):
        fd = approx_fprime(w, lambda v: neuron.linear_error(v, neuron.WORKED_X, neuron.WORKED_T), 1e-7)
        np.testing.assert_allclose(neuron.linear_error_gradient(w, neuron.WORKED_X, neuron.WORKED_T), fd, atol=1e-5)


@pytest.mark.parametrize("mode", ["batch", "online"])
def test_batch_and_online_reach_the_analytic_weights(mode):
    tr = neuron.train_linear(neuron.WORKED_X, neuron.WORKED_T, w0=[-1.0, 2.5], lr=0.4, n_epochs=200, mode=mode)
    np.testing.assert_allclose(tr.final, [1.0, 1.0], atol=1e-9)
    assert tr.weights.shape == (200 * (1 if mode == "batch" else 2) + 1, 2)
    assert tr.errors[-1] < 1e-18 and tr.errors[0] > 1


def test_online_steps_are_perpendicular_to_the_constraint_line_of_their_case():
    tr = neuron.train_linear(neuron.WORKED_X, neuron.WORKED_T, w0=[-1.0, 2.5], lr=0.5, n_epochs=3, mode="online")
    steps = np.diff(tr.weights, axis=0)
    for k, step in enumerate(steps):
        x = neuron.WORKED_X[k % 2]
        assert abs(step[0] * x[1] - step[1] * x[0]) < 1e-12  # step parallel to x_n, x_n normal to its line
    # lr * |x_n|^2 = 1 lands exactly on the constraint line <w, x_n> = t_n
    tr = neuron.train_linear(neuron.WORKED_X, neuron.WORKED_T, w0=[-1.0, 2.5], lr=0.5, n_epochs=1, mode="online")
    assert tr.weights[1] @ neuron.WORKED_X[0] == pytest.approx(neuron.WORKED_T[0], abs=1e-12)


def test_critical_learning_rate_is_three_minus_sqrt_five():
    # Hessian X^T X = [[1, -1], [-1, 2]], eigenvalues (3 ± √5)/2, so 2/λ_max = 3 − √5
    assert neuron.critical_learning_rate(neuron.WORKED_X) == pytest.approx(3 - math.sqrt(5), rel=1e-14)


def test_batch_learning_diverges_above_the_critical_rate_with_a_clear_error():
    lr_c = neuron.critical_learning_rate(neuron.WORKED_X)
    with pytest.raises(FloatingPointError, match="diverged at lr"):
        neuron.train_linear(neuron.WORKED_X, neuron.WORKED_T, w0=[0.0, 0.0], lr=1.05 * lr_c, n_epochs=5000)
    epochs = neuron.batch_epochs_to_converge(
        neuron.WORKED_X, neuron.WORKED_T, [0.1, 0.95 * lr_c, 1.05 * lr_c], w0=[0.0, 0.0], max_epochs=5000
    )
    assert np.isfinite(epochs[:2]).all() and np.isinf(epochs[2])


def test_epochs_to_converge_follow_the_slowest_eigenmode():
    # error along the eigenvector of λ_min shrinks by |1 - η λ_min| per epoch
    lam = np.linalg.eigvalsh(neuron.WORKED_X.T @ neuron.WORKED_X)
    lr, tol = 0.1, 1e-8
    epochs = neuron.batch_epochs_to_converge(neuron.WORKED_X, neuron.WORKED_T, [lr], w0=[0.0, 0.0], tol=tol)[0]
    v = np.linalg.eigh(neuron.WORKED_X.T @ neuron.WORKED_X)[1][:, 0]
    c0 = abs((np.zeros(2) - np.ones(2)) @ v)
    predicted = math.log(tol / c0) / math.log(1 - lr * lam[0])
    assert abs(epochs - predicted) <= 2
    # the fastest rate is 2 / (λ_min + λ_max)
    best = 2 / lam.sum()
    e = neuron.batch_epochs_to_converge(neuron.WORKED_X, neuron.WORKED_T, [0.3, best, 0.7], w0=[0.0, 0.0])
    assert e[1] < e[0] and e[1] < e[2]


# --- logistic neuron ---------------------------------------------------------------------------


def test_logistic_derivatives_match_finite_differences():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(6, 3))
    w, b = rng.normal(size=3), 0.3
    d = neuron.logistic_derivatives(X, w, b)
    for n, x in enumerate(X):
        f_w = lambda v: SIGMOID(x @ v + b)  # noqa: E731
        f_x = lambda v: SIGMOID(v @ w + b)  # noqa: E731
        np.testing.assert_allclose(d.dy_dw[n], approx_fprime(w, f_w, 1e-7), atol=1e-6)
        np.testing.assert_allclose(d.dy_dx[n], approx_fprime(x, f_x, 1e-7), atol=1e-6)
        np.testing.assert_allclose(d.dz_dw[n], approx_fprime(w, lambda v: x @ v + b, 1e-7), atol=1e-6)
        np.testing.assert_allclose(d.dz_dx[n], approx_fprime(x, lambda v: v @ w + b, 1e-7), atol=1e-6)
    np.testing.assert_allclose(d.dy_dz, d.y * (1 - d.y), rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    w=st.lists(st.floats(-4, 4), min_size=2, max_size=2),
    b=st.floats(-4, 4),
)
def test_logistic_error_gradient_matches_finite_differences(w, b):
    X, t = neuron.truth_table(2).astype(float), np.array([0.0, 1.0, 1.0, 1.0])
    gw, gb = neuron.logistic_error_gradient(X, t, w, b)
    p = np.array([*w, b])
    fd = approx_fprime(p, lambda v: neuron.logistic_error(X, t, v[:2], v[2]), 1e-7)
    np.testing.assert_allclose([*gw, gb], fd, atol=1e-6)


def test_numerical_gradient_is_second_order_accurate():
    f = lambda v: float(np.sin(v[0]) * v[1] ** 3)  # noqa: E731
    v = np.array([0.4, 1.3])
    exact = np.array([np.cos(0.4) * 1.3**3, 3 * np.sin(0.4) * 1.3**2])
    np.testing.assert_allclose(neuron.numerical_gradient(f, v, 1e-5), exact, atol=1e-8)


def test_logistic_neuron_is_finite_for_huge_net_activation():
    d = neuron.logistic_derivatives([[1e4], [-1e4]], [1.0])
    assert np.all(np.isfinite(d.y)) and np.all(np.isfinite(d.dy_dw))
    assert d.y.tolist() == [1.0, 0.0]


def test_train_logistic_learns_or():
    X, t = neuron.truth_table(2).astype(float), np.array([0.0, 1.0, 1.0, 1.0])
    w, b, errors = neuron.train_logistic(X, t, lr=2.0, n_epochs=2000)
    assert errors[-1] < 0.02 * errors[0]
    assert np.all(np.diff(errors) <= 1e-12)  # small enough steps: the error never rises
    assert ((neuron.logistic_neuron(X, w, b) > 0.5) == (t == 1)).all()


# --- perceptron ---------------------------------------------------------------------------------


def test_perceptron_converges_on_separable_clusters():
    X, t = neuron.two_clusters(50, 6.0, seed=0)
    assert neuron.linear_separability(X, t).separable  # certified separable
    res = neuron.perceptron(X, t, max_epochs=100, seed=1)
    assert res.converged and res.errors[-1] == 0 and res.n_epochs == len(res.errors)
    assert ((X @ res.weights + res.bias >= 0).astype(int) == t).all()


@pytest.mark.parametrize("data", ["xor", "overlap"])
def test_perceptron_never_converges_on_non_separable_data(data):
    if data == "xor":
        X, t = X2.astype(float), np.array([0, 1, 1, 0])
    else:
        X, t = neuron.two_clusters(50, 1.0, seed=0)
    assert not neuron.linear_separability(X, t).separable  # certified non-separable
    res = neuron.perceptron(X, t, max_epochs=200, seed=1)
    assert not res.converged and res.n_epochs == 200 and np.all(res.errors > 0)


def test_perceptron_and_clusters_are_reproducible_with_a_seed():
    X, t = neuron.two_clusters(20, 3.0, seed=5)
    X2_, t2_ = neuron.two_clusters(20, 3.0, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(X, X2_)
    a, b = neuron.perceptron(X, t, seed=9), neuron.perceptron(X, t, seed=9)
    np.testing.assert_array_equal(a.weights, b.weights)
    np.testing.assert_array_equal(a.errors, b.errors)


# --- stochastic binary and Poisson neurons -----------------------------------------------------


def test_stochastic_binary_sample_mean_approaches_sigmoid():
    z = np.array([-3.0, -1.0, 0.0, 0.5, 2.0])
    n = 200_000
    s = neuron.stochastic_binary(z, n, seed=11)
    assert s.shape == (n, 5) and set(np.unique(s)) <= {0, 1}
    p = np.array([SIGMOID(v) for v in z])
    se = np.sqrt(p * (1 - p) / n)
    assert np.all(np.abs(s.mean(axis=0) - p) < 5 * se)


def test_relu_poisson_rate_counts_and_spike_times():
    z = np.array([-1.0, 0.0, 0.5, 2.0])
    sp = neuron.relu_poisson(z, gain=20.0, duration=2.0, n_trials=4000, seed=12)
    np.testing.assert_allclose(sp.rate, [0.0, 0.0, 10.0, 40.0])
    assert np.all(sp.counts[:, :2] == 0)
    mean = sp.rate[2:] * 2.0
    se = np.sqrt(mean / 4000)  # Poisson: variance = mean
    assert np.all(np.abs(sp.counts[:, 2:].mean(axis=0) - mean) < 5 * se)
    fano = sp.counts[:, 2:].var(axis=0) / sp.counts[:, 2:].mean(axis=0)
    assert np.all(np.abs(fano - 1) < 0.1)
    assert np.all(np.abs(sp.rate_estimate[2:] - sp.rate[2:]) < 5 * se / 2.0)
    for trial, row in zip(sp.spike_times[:10], sp.counts[:10]):
        for times, c in zip(trial, row):
            assert len(times) == c and np.all(np.diff(times) >= 0) and np.all((times >= 0) & (times <= 2.0))


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: neuron.mp_unit([0, 0.5], [1, 1], 1), ValueError, "x must be binary"),
        (lambda: neuron.mp_unit([[0, 1, 1]], [1, 1], 1), ValueError, "w must be a vector of 3"),
        (lambda: neuron.mp_unit([0, 1], [1, 1], float("nan")), ValueError, "threshold"),
        (lambda: neuron.mp_unit("01", [1, 1], 1), TypeError, "x must be"),
        (lambda: neuron.xor_network([[0, 1, 1]]), ValueError, "2 inputs"),
        (lambda: neuron.truth_table(0), ValueError, "n_inputs must be >= 1"),
        (lambda: neuron.linear_separability(X2, [0, 1, 1]), ValueError, "t must be a vector of 4"),
        (lambda: neuron.linear_separability(X2, [0, 1, 2, 0]), ValueError, "t must contain only 0 and 1"),
        (lambda: neuron.linear_separability([[np.nan, 1]], [1]), ValueError, "X must not contain NaN"),
        (lambda: neuron.signed_distance([1.0, 2.0], [0.0, 0.0], 1.0), ValueError, "w must not be the zero"),
        (lambda: neuron.signed_distance([1.0, 2.0, 3.0], [1.0, 0.0], 1.0), ValueError, "w must be a vector of 3"),
        (lambda: neuron.closest_point([0.0, 0.0], 1.0), ValueError, "w must not be the zero"),
        (lambda: neuron.halfplane_polygon([1, 1], 0, (1, -1), (-1, 1)), ValueError, "xlim must be an increasing pair"),
        (lambda: neuron.linear_error([[1.0, 2.0, 3.0]], neuron.WORKED_X, neuron.WORKED_T), ValueError, "W must have 2"),
        (lambda: neuron.train_linear(neuron.WORKED_X, neuron.WORKED_T, w0=[0, 0], lr=0, n_epochs=5), ValueError,
         "lr must be > 0"),
        (lambda: neuron.train_linear(neuron.WORKED_X, neuron.WORKED_T, w0=[0, 0], lr=0.1, n_epochs=5, mode="sgd"),
         ValueError, "unknown mode"),
        (lambda: neuron.train_linear(neuron.WORKED_X, neuron.WORKED_T, w0=[0], lr=0.1, n_epochs=5), ValueError,
         "w0 must be a vector of 2"),
        (lambda: neuron.train_linear(neuron.WORKED_X, [0.0], w0=[0, 0], lr=0.1, n_epochs=5), ValueError,
         "t must be a vector of 2"),
        (lambda: neuron.critical_learning_rate(np.zeros((2, 2))), ValueError, "X must not be all zeros"),
        (lambda: neuron.batch_epochs_to_converge(neuron.WORKED_X, neuron.WORKED_T, [-0.1], w0=[0, 0]), ValueError,
         "lrs must all be > 0"),
        (lambda: neuron.numerical_gradient(sum, [1.0], eps=0), ValueError, r"eps must be in \(0, 1\]"),
        (lambda: neuron.perceptron(X2, [0, 1, 1, 0.5]), ValueError, "t must contain only 0 and 1"),
        (lambda: neuron.perceptron(X2, [0, 1, 1, 0], seed=1, rng=np.random.default_rng()), ValueError,
         "either seed or rng"),
        (lambda: neuron.two_clusters(0, 1.0), ValueError, "n_per_class must be >= 1"),
        (lambda: neuron.stochastic_binary([0.0], 0), ValueError, "n_samples must be >= 1"),
        (lambda: neuron.stochastic_binary([np.nan], 10), ValueError, "z must not contain NaN"),
        (lambda: neuron.relu_poisson([1.0], gain=-1.0), ValueError, "gain must be > 0 Hz"),
        (lambda: neuron.relu_poisson([1.0], duration=0.0), ValueError, "duration must be > 0 s"),
        (lambda: neuron.relu_poisson(np.ones((2, 2))), ValueError, "z must be a scalar or a vector"),
    ],
)
def test_bad_input_raises_a_clear_error(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# --- widget ---------------------------------------------------------------------------------


def test_hyperplane_widget_update_moves_line_points_and_region():
    app = widgets.hyperplane_explorer()
    assert widgets.WIDGETS["hyperplane_explorer"] is widgets.hyperplane_explorer
    region_before = app.region.get_xy().copy()
    n_pos_before = len(app.pos.get_offsets())
    w, b = np.array([-2.0, 0.5]), 1.3
    app.update(w1=w[0], w2=w[1], b=b)
    x, y = app.line.get_data()
    np.testing.assert_allclose(np.column_stack([x, y]) @ w + b, 0, atol=1e-9)  # the line is z = 0
    P = app.POINTS
    z = neuron.net_activation(P, w, b)
    assert len(app.pos.get_offsets()) == int((z >= 0).sum()) != n_pos_before
    assert np.all(neuron.net_activation(np.asarray(app.pos.get_offsets()), w, b) >= 0)
    assert np.all(neuron.net_activation(np.asarray(app.neg.get_offsets()), w, b) < 0)
    assert not np.array_equal(app.region.get_xy(), region_before)
    start, end = app.arrow._posA_posB
    np.testing.assert_allclose(np.subtract(end, start), w)  # arrow is w, from the closest point
    assert f"{b / np.linalg.norm(w):.2f}" in app.ax.get_title()
    assert app.render()[:4] == b"\x89PNG"


def test_hyperplane_widget_zero_weights_and_bad_values():
    app = widgets.hyperplane_explorer(w1=0.0, w2=0.0, b=0.5)
    assert not app.line.get_visible() and len(app.pos.get_offsets()) == len(app.POINTS)
    app.update(w1=1.0)
    assert app.line.get_visible()
    app.update(w1=0.1, w2=0.1, b=-3.0)  # the whole box is on the silent side
    assert len(app.pos.get_offsets()) == 0 and np.ptp(app.region.get_xy()) == 0
    assert app.render()[:4] == b"\x89PNG"
    with pytest.raises(TypeError, match="w1 must be a real number"):
        app.update(w1="big")
    with pytest.raises(ValueError, match="unknown parameter"):
        app.update(theta=1.0)


# --- exercises -------------------------------------------------------------------------------


def test_exercise_checks_accept_right_and_reject_wrong_answers(capsys):
    assert exercises.check_majority_gate(((1, 1, 1), 2))
    assert not exercises.check_majority_gate(((1, 1, 1), 3))
    assert not exercises.check_majority_gate(None)
    assert exercises.check_critical_learning_rate(3 - math.sqrt(5))
    assert not exercises.check_critical_learning_rate(0.5)

    def naive(w):
        y = 1 / (1 + np.exp(-(exercises.EX_LOGISTIC_X @ w)))
        return -((exercises.EX_LOGISTIC_T - y) * y * (1 - y)) @ exercises.EX_LOGISTIC_X

    assert exercises.check_logistic_gradient(naive)
    assert not exercises.check_logistic_gradient(lambda w: -naive(w))
    assert not exercises.check_logistic_gradient(None)


def test_sizes_and_epochs_are_bounded_before_running_issue_18():
    with pytest.raises(ValueError, match="reduce n_epochs"):
        neuron.train_linear(neuron.WORKED_X, neuron.WORKED_T, w0=[0.0, 0.0], lr=0.1, n_epochs=10**12)
    with pytest.raises(ValueError, match="reduce n_epochs"):
        neuron.train_logistic(neuron.WORKED_X, [0, 1], lr=0.1, n_epochs=10**12)
    with pytest.raises(ValueError, match="n_per_class=1000000000000 would need"):
        neuron.two_clusters(10**12, 3.0, seed=0)
    with pytest.raises(ValueError, match="reduce z, gain, duration or n_trials"):
        neuron.relu_poisson([1e12], seed=0)
    with pytest.raises(TypeError, match="f must be a function"):
        neuron.numerical_gradient(0, [1.0])
    with pytest.raises(ValueError, match="per column of X"):
        neuron.net_activation([[1.0, 2.0, 3.0]], [1.0, 1.0])
    with pytest.raises(ValueError, match="overflows"):
        neuron.halfplane_polygon([1.0, 1.0], 1e308, (-1e10, 1e10), (-1e308, 1e308))
