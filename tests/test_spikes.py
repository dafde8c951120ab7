"""Spike trains: Poisson statistics, unbiased rate estimators, ISIs, the population code."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from neurolib import spikes as sp
from neurolib import widgets


# --- generation: distributions -----------------------------------------------------------


def test_same_seed_gives_the_same_trains_and_another_seed_does_not():
    a = sp.poisson_spike_trains(30.0, 500.0, 20, seed=5)
    b = sp.poisson_spike_trains(30.0, 500.0, 20, seed=5)
    c = sp.poisson_spike_trains(30.0, 500.0, 20, seed=6)
    np.testing.assert_array_equal(a.times, b.times)
    np.testing.assert_array_equal(a.ids, b.ids)
    assert a.n_spikes != c.n_spikes or not np.array_equal(a.times, c.times)
    rng1, rng2 = np.random.default_rng(9), np.random.default_rng(9)
    f = lambda t: 10 + 5 * np.cos(t / 50)  # noqa: E731
    x = sp.inhomogeneous_poisson_spike_trains(f, 300.0, 5, rng=rng1)
    y = sp.inhomogeneous_poisson_spike_trains(f, 300.0, 5, rng=rng2)
    np.testing.assert_array_equal(x.times, y.times)


def test_poisson_isis_are_exponential_by_kolmogorov_smirnov():
    rate = 25.0
    trains = sp.poisson_spike_trains(rate, 20_000.0, 50, seed=2024)
    isis = trains.isis()
    assert isis.size > 20_000
    result = stats.kstest(isis, "expon", args=(0.0, 1000.0 / rate))
    assert result.pvalue > 0.01, result
    # the test has power: regular trains at the same rate are rejected outright
    regular = sp.periodic_spike_trains(rate, 20_000.0, 50, jitter=5.0, seed=2024).isis()
    assert stats.kstest(regular, "expon", args=(0.0, 1000.0 / rate)).pvalue < 1e-10


def test_poisson_counts_have_poisson_mean_variance_and_distribution():
    rate, duration = 12.0, 500.0  # mean count 6
    counts = sp.poisson_spike_trains(rate, duration, 20_000, seed=11).counts()
    mean = rate * duration / 1000
    assert counts.mean() == pytest.approx(mean, abs=4 * np.sqrt(mean / counts.size))
    assert sp.fano_factor(counts) == pytest.approx(1.0, abs=0.04)
    # chi-square goodness of fit against the Poisson pmf (tail lumped)
    k = np.arange(15)
    observed = np.append(np.bincount(counts, minlength=15)[:15], (counts >= 15).sum())
    expected = np.append(stats.poisson.pmf(k, mean), stats.poisson.sf(14, mean)) * counts.size
    assert stats.chisquare(observed, expected).pvalue > 0.01


def test_poisson_spike_times_are_uniform_and_sorted_within_trains():
    trains = sp.poisson_spike_trains(40.0, 1000.0, 200, seed=3)
    assert stats.kstest(trains.times / 1000.0, "uniform").pvalue > 0.01
    for train in trains.as_list(10):
        assert np.all(np.diff(train) >= 0)
    assert np.all(np.diff(trains.ids) >= 0)
    assert trains.times.min() >= 0 and trains.times.max() < 1000.0


def test_cv_of_poisson_isis_is_one_and_of_a_regular_train_is_zero():
    isis = sp.poisson_spike_trains(50.0, 10_000.0, 40, seed=8).isis()
    assert sp.cv(isis) == pytest.approx(1.0, abs=0.02)
    regular = sp.periodic_spike_trains(50.0, 10_000.0, 40, seed=8)
    assert sp.cv(regular.isis()) < 1e-9
    np.testing.assert_allclose(regular.isis(), 20.0)


def test_per_train_rates_are_honoured():
    rates = np.array([0.0, 5.0, 50.0])
    trains = sp.poisson_spike_trains(rates, 200_000.0, 3, seed=1)
    measured = sp.count_rate(trains)
    assert measured[0] == 0.0
    np.testing.assert_allclose(measured[1:], rates[1:], rtol=0.03)


def test_inhomogeneous_psth_follows_the_rate_function():
    def rate(t):
        return 20.0 + 15.0 * np.sin(2 * np.pi * t / 200.0)

    trains = sp.inhomogeneous_poisson_spike_trains(rate, 400.0, 4000, seed=21)
    est = sp.psth(trains, 20.0)
    # expected bin rate = mean of rate(t) over the bin (exact integral of the sine)
    a, b = est.edges[:-1], est.edges[1:]
    integral = 20.0 * (b - a) - 15.0 * 200.0 / (2 * np.pi) * (
        np.cos(2 * np.pi * b / 200.0) - np.cos(2 * np.pi * a / 200.0)
    )
    expected = integral / (b - a)
    se = np.sqrt(expected / (trains.n_trains * 0.020))
    assert np.all(np.abs(est.rate - expected) < 4.5 * se)
    total = 20.0 * 0.4  # spikes per train: the integral of the rate (the sine integrates to 0)
    assert sp.count_rate(trains).mean() * 0.4 == pytest.approx(total, abs=4 * np.sqrt(total / 4000))
    isis = trains.isis()
    assert sp.cv(isis) > 1.0  # a modulated rate makes intervals more variable than Poisson


def test_thinning_rejects_a_too_small_rate_max_and_negative_rates():
    with pytest.raises(ValueError, match="exceeds rate_max"):
        sp.inhomogeneous_poisson_spike_trains(lambda t: 50.0 + 0 * t, 1000.0, 5, rate_max=10.0, seed=0)
    with pytest.raises(ValueError, match=r"rate\(t\) must be >= 0"):
        sp.inhomogeneous_poisson_spike_trains(lambda t: np.sin(t), 100.0, seed=0)
    with pytest.raises(TypeError, match="rate must be a function"):
        sp.inhomogeneous_poisson_spike_trains(20.0, 100.0)
    silent = sp.inhomogeneous_poisson_spike_trains(lambda t: 0 * t, 100.0, 3, seed=0)
    assert silent.n_spikes == 0 and silent.n_trains == 3


# --- rate estimators ----------------------------------------------------------------------


def test_count_rate_is_unbiased():
    trains = sp.poisson_spike_trains(17.0, 250.0, 40_000, seed=4)
    rates = sp.count_rate(trains)
    assert rates.mean() == pytest.approx(17.0, abs=4 * rates.std() / np.sqrt(rates.size))


def test_psth_on_known_spikes_is_exact_including_a_short_last_bin():
    trains = sp.SpikeTrains.from_list([[1.0, 12.0, 25.0], [2.0, 3.0, 24.9], []], duration=25.5)
    est = sp.psth(trains, 10.0)
    np.testing.assert_allclose(est.edges, [0.0, 10.0, 20.0, 25.5])
    np.testing.assert_array_equal(est.counts, [3, 1, 2])
    np.testing.assert_allclose(est.rate, np.array([3, 1, 2]) / (3 * np.array([10.0, 10.0, 5.5]) / 1000))
    np.testing.assert_allclose(est.t, [5.0, 15.0, 22.75])


def test_psth_is_unbiased_for_poisson_trains():
    trains = sp.poisson_spike_trains(30.0, 1000.0, 3000, seed=12)
    est = sp.psth(trains, 50.0)
    se = np.sqrt(30.0 / (3000 * 0.05))
    assert np.all(np.abs(est.rate - 30.0) < 4.5 * se)
    assert est.rate.mean() == pytest.approx(30.0, abs=4 * se / np.sqrt(est.rate.size))


@pytest.mark.parametrize("kernel", ["box", "gaussian"])
def test_sliding_window_rate_of_one_spike_per_bin_is_exact_even_at_the_edges(kernel):
    times = np.arange(0.0, 500.0, 1.0) + 0.5  # one spike in every 1-ms bin: 1000 Hz
    trains = sp.SpikeTrains.from_list([times], 500.0)
    est = sp.sliding_window_rate(trains, 25.0, kernel=kernel, dt=1.0)
    np.testing.assert_allclose(est.rate, 1000.0, rtol=1e-12)


@pytest.mark.parametrize("kernel", ["box", "gaussian"])
def test_sliding_window_rate_of_a_single_spike_integrates_to_one_spike(kernel):
    trains = sp.SpikeTrains.from_list([[250.0]], 500.0)
    est = sp.sliding_window_rate(trains, 20.0, kernel=kernel, dt=0.5)
    assert np.sum(est.rate * np.diff(est.edges)) / 1000.0 == pytest.approx(1.0, rel=1e-9)
    if kernel == "box":
        assert est.rate.max() == pytest.approx(1000.0 / 20.5, rel=1e-9)  # 41 bins of 0.5 ms
        assert np.count_nonzero(est.rate) == 41


@pytest.mark.parametrize("kernel", ["box", "gaussian"])
def test_sliding_window_wider_than_the_trains_gives_the_count_rate(kernel):
    trains = sp.SpikeTrains.from_list([[3.0, 10.0, 41.0]], 50.0)
    est = sp.sliding_window_rate(trains, 500.0, kernel=kernel, dt=1.0)
    assert est.rate.shape == (50,)
    if kernel == "box":  # the window covers everything: 3 spikes in 50 ms everywhere
        np.testing.assert_allclose(est.rate, 60.0, rtol=1e-12)
    else:  # a very wide Gaussian is nearly flat over 50 ms
        np.testing.assert_allclose(est.rate, 60.0, rtol=0.01)


def test_sliding_window_rate_is_unbiased_for_poisson_trains_everywhere():
    trains = sp.poisson_spike_trains(20.0, 300.0, 20_000, seed=13)
    for kernel, width in [("box", 50.0), ("gaussian", 15.0)]:
        est = sp.sliding_window_rate(trains, width, kernel=kernel, dt=5.0)
        # the estimate near the edges averages fewer spikes: the tolerance uses the smallest
        # effective window (half the kernel)
        se = np.sqrt(20.0 / (20_000 * (width / 2 if kernel == "box" else width) / 1000.0))
        assert np.all(np.abs(est.rate - 20.0) < 5 * se), (kernel, np.abs(est.rate - 20).max(), se)


def test_isis_never_mix_trains():
    trains = sp.SpikeTrains.from_list([[10.0, 30.0, 60.0], [5.0], [1.0, 2.0]], 100.0)
    np.testing.assert_allclose(np.sort(trains.isis()), [1.0, 20.0, 30.0])
    np.testing.assert_array_equal(trains.counts(), [3, 1, 2])
    np.testing.assert_allclose(trains.train(2), [1.0, 2.0])


def test_binned_counts_on_known_spikes_and_fano_factor_of_poisson_windows():
    trains = sp.SpikeTrains.from_list([[1.0, 9.9, 10.0, 35.0], [29.9]], 35.5)
    np.testing.assert_array_equal(trains.binned_counts(10.0), [[2, 1, 0], [0, 0, 1]])
    poisson = sp.poisson_spike_trains(30.0, 10_000.0, 50, seed=17)
    windows = poisson.binned_counts(100.0)
    assert windows.shape == (50, 100)
    assert windows.sum() == poisson.n_spikes
    assert sp.fano_factor(windows) == pytest.approx(1.0, abs=0.05)
    with pytest.raises(ValueError, match="bin_width must be <= duration"):
        trains.binned_counts(50.0)


def test_spike_trains_sorts_unsorted_input():
    trains = sp.SpikeTrains(np.array([5.0, 1.0, 3.0, 2.0]), np.array([1, 0, 1, 0]), 2, 10.0)
    np.testing.assert_array_equal(trains.ids, [0, 0, 1, 1])
    np.testing.assert_array_equal(trains.times, [1.0, 2.0, 3.0, 5.0])


def test_periodic_trains_have_the_given_rate():
    trains = sp.periodic_spike_trains(40.0, 1000.0, 500, seed=0)
    counts = trains.counts()
    assert set(np.unique(counts)) <= {40, 41}
    assert sp.count_rate(trains).mean() == pytest.approx(40.0, abs=0.5)


# --- population code ------------------------------------------------------------------------


def test_population_vector_decodes_noiseless_rates_exactly():
    preferred = np.linspace(-np.pi, np.pi, 36, endpoint=False)
    theta = np.array([-3.0, -1.0, 0.0, 0.4, 2.5, 3.1])
    rates = sp.von_mises_tuning(theta[:, None], preferred)
    decoded = sp.population_vector(rates, preferred)
    np.testing.assert_allclose(sp.angular_error(decoded, theta), 0.0, atol=1e-12)
    alive = np.ones(36, bool)
    alive[:5] = False
    decoded_lesioned = sp.population_vector(rates, preferred, alive)
    # the removed neurons (preferring -pi .. -2.4 rad) no longer pull: a bias, but a small one
    lesion_error = sp.angular_error(decoded_lesioned, theta)
    assert lesion_error.max() > 1e-3 and lesion_error.max() < np.radians(30.0)
    # the same as dropping those neurons from the arrays
    np.testing.assert_allclose(decoded_lesioned, sp.population_vector(rates[:, 5:], preferred[5:]))


def test_von_mises_tuning_peaks_at_the_preferred_direction():
    theta = 0.5 + np.linspace(-np.pi, np.pi, 361)  # the grid contains 0.5 and 0.5 +- pi
    r = sp.von_mises_tuning(theta, 0.5, r_max=40.0, r_base=2.0, kappa=2.0)
    assert np.argmax(r) == 180 and r.max() == pytest.approx(40.0, rel=1e-12)
    assert r.min() == pytest.approx(2.0 + 38.0 * np.exp(-4.0), rel=1e-9)
    np.testing.assert_allclose(r, r[::-1], rtol=1e-9)  # symmetric about the preferred direction


def test_angular_error_wraps_around_the_circle():
    np.testing.assert_allclose(sp.angular_error(np.radians(350.0), np.radians(10.0)), np.radians(20.0))
    np.testing.assert_allclose(sp.angular_error(np.pi, -np.pi), 0.0, atol=1e-12)


def test_decoding_error_grows_smoothly_as_neurons_are_removed():
    fractions = np.linspace(0.0, 0.9, 10)
    result = sp.lesion_experiment(fractions, n_neurons=100, n_trials=300, n_lesions=30, seed=7)
    err = result.error
    np.testing.assert_array_equal(result.n_alive, 100 - np.round(fractions * 100).astype(int))
    # monotone up to noise: no step down by more than 3 standard errors
    tolerance = 3 * np.sqrt(result.error_sem[1:] ** 2 + result.error_sem[:-1] ** 2) + 0.05
    assert np.all(np.diff(err) > -tolerance)
    # graceful: losing 10 % of the neurons costs little, and no single step is a collapse
    assert err[1] < 1.3 * err[0]
    assert err[-1] > 2 * err[0]
    assert np.max(np.diff(err)) < 0.5 * (err[-1] - err[0])
    assert np.all(err[1:] < 2 * err[:-1])  # another 10 % removed never doubles the error
    assert err[-1] < 45.0  # far from chance (90 degrees)


# --- the widgets ----------------------------------------------------------------------------


def test_spike_train_explorer_draws_the_psth_and_a_capped_raster():
    app = widgets.spike_train_explorer()
    app.update(rate=55.0, duration=2000.0, n_neurons=300, bin_width=40.0)
    trains, est = app.compute(app.params)
    assert trains.n_trains == 300 and trains.duration == 2000.0
    x, y = app.line_psth.get_data()
    np.testing.assert_allclose(x, np.arange(0.0, 2001.0, 40.0))
    np.testing.assert_allclose(y[:-1], est.rate)
    assert np.mean(y[:-1]) == pytest.approx(55.0, rel=0.03)
    x_raster, y_raster = (np.asarray(d, dtype=float) for d in app.raster.get_data())
    shown = trains.ids < app.MAX_DRAWN
    assert x_raster.size == np.count_nonzero(shown)  # one '|' marker per spike
    np.testing.assert_array_equal(x_raster, trains.times[shown])
    np.testing.assert_array_equal(np.floor(y_raster), trains.ids[shown])
    assert app.raster.get_marker() == "|"
    assert app.ax_raster.get_ylim() == (0.0, app.MAX_DRAWN)
    assert app.ax_raster.get_xlim() == (0.0, 2000.0)
    assert app.line_true.get_ydata()[0] == 55.0
    app.update(n_neurons=5, rate=0.0)  # silent population: no crash, empty raster
    assert len(app.raster.get_xdata()) == 0
    assert "CV n/a" in app.titles[0].get_text()


def test_spike_train_explorer_bad_values():
    with pytest.raises(ValueError, match="rate must be >= 0"):
        widgets.spike_train_explorer(rate=-1.0)
    with pytest.raises(ValueError, match="bin_width must be <= duration"):
        widgets.spike_train_explorer(duration=300.0, bin_width=400.0)
    with pytest.raises(ValueError, match="n_neurons must be >= 1"):
        widgets.spike_train_explorer(n_neurons=0)
    with pytest.raises(ValueError, match="limited to n_neurons"):
        widgets.spike_train_explorer(n_neurons=10**6)


def test_membrane_explorer_shows_the_nernst_and_ghk_values():
    from neurolib import membrane as mb

    app = widgets.membrane_explorer()
    app.update(K_out=20.0, Na_out=100.0, p_na=0.5, p_cl=0.1)
    ions = mb.IonConcentrations(K_out=20.0, Na_out=100.0)
    e = ions.reversal_potentials()
    rest = mb.ghk_voltage(ions, mb.Permeabilities(1.0, 0.5, 0.1))
    heights = [bar.get_height() for bar in app.bars]
    np.testing.assert_allclose(heights, [e["K"], e["Na"], e["Cl"], rest])
    np.testing.assert_allclose(app.point.get_offsets(), [[np.log10(0.5), rest]])
    with pytest.raises(ValueError, match="K_out must be > 0"):
        app.update(K_out=0.0)
    with pytest.raises(ValueError, match="p_na must be >= 0"):
        app.update(p_na=-1.0)


# --- bad input -------------------------------------------------------------------------------


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match="rate must be >= 0 Hz"):
        sp.poisson_spike_trains(-1.0, 100.0)
    with pytest.raises(ValueError, match="rate must not contain NaN"):
        sp.poisson_spike_trains(np.nan, 100.0)
    with pytest.raises(ValueError, match="duration must be > 0 ms"):
        sp.poisson_spike_trains(10.0, 0.0)
    with pytest.raises(ValueError, match="duration must be > 0 ms"):
        sp.poisson_spike_trains(10.0, -5.0)
    with pytest.raises(ValueError, match="n_trains must be >= 1"):
        sp.poisson_spike_trains(10.0, 100.0, 0)
    with pytest.raises(ValueError, match=r"rate must be a scalar or have shape \(3,\)"):
        sp.poisson_spike_trains([1.0, 2.0], 100.0, 3)
    with pytest.raises(ValueError, match="MAX_SPIKES"):
        sp.poisson_spike_trains(1000.0, 1e9, 1000)
    with pytest.raises(TypeError, match="seed must be an integer"):
        sp.poisson_spike_trains(10.0, 100.0, seed=1.5)
    trains = sp.poisson_spike_trains(10.0, 100.0, 3, seed=0)
    with pytest.raises(ValueError, match="bin_width must be > 0 ms"):
        sp.psth(trains, 0.0)
    with pytest.raises(ValueError, match="bin_width must be > 0 ms"):
        sp.psth(trains, -2.0)
    with pytest.raises(ValueError, match="bin_width must be a finite number"):
        sp.psth(trains, np.nan)
    with pytest.raises(ValueError, match="bin_width must be <= duration"):
        sp.psth(trains, 200.0)
    with pytest.raises(TypeError, match="trains must be a SpikeTrains"):
        sp.psth([[1.0, 2.0]], 10.0)
    with pytest.raises(ValueError, match="window must be > 0 ms"):
        sp.sliding_window_rate(trains, 0.0)
    with pytest.raises(ValueError, match="unknown kernel 'tri'"):
        sp.sliding_window_rate(trains, 10.0, kernel="tri")
    with pytest.raises(ValueError, match="dt must be <= window"):
        sp.sliding_window_rate(trains, 1.0, dt=2.0)
    with pytest.raises(ValueError, match="isis must contain at least 2"):
        sp.cv([3.0])
    with pytest.raises(ValueError, match="isis must not contain NaN"):
        sp.cv([3.0, np.nan])
    with pytest.raises(ValueError, match="isis must be >= 0"):
        sp.cv([3.0, -1.0])
    with pytest.raises(ValueError, match="counts are all 0"):
        sp.fano_factor([0, 0, 0])
    with pytest.raises(ValueError, match="spike times must lie in"):
        sp.SpikeTrains.from_list([[1.0, 120.0]], 100.0)
    with pytest.raises(ValueError, match="ids must lie in"):
        sp.SpikeTrains(np.array([1.0]), np.array([3]), 2, 10.0)
    with pytest.raises(ValueError, match="jitter must be >= 0"):
        sp.periodic_spike_trains(10.0, 100.0, jitter=-1.0)
    with pytest.raises(ValueError, match="rate must be > 0 Hz"):
        sp.periodic_spike_trains(0.0, 100.0)
    with pytest.raises(ValueError, match="counts must have shape"):
        sp.population_vector(np.ones((2, 3)), np.zeros(4))
    with pytest.raises(TypeError, match="alive must be a boolean"):
        sp.population_vector(np.ones((2, 3)), np.zeros(3), alive=[1, 0, 1])
    with pytest.raises(ValueError, match="r_max must be >= r_base"):
        sp.von_mises_tuning(0.0, 0.0, r_max=1.0, r_base=2.0)
    with pytest.raises(ValueError, match="kappa must be > 0"):
        sp.von_mises_tuning(0.0, 0.0, kappa=0.0)
    with pytest.raises(ValueError, match=r"fractions must lie in \[0, 1\)"):
        sp.lesion_experiment([0.0, 1.0], seed=0)
    with pytest.raises(ValueError, match="keep at least one"):
        sp.lesion_experiment([0.999], n_neurons=10, seed=0)


# --- the exercises' check functions ------------------------------------------------------------


def test_chapter01_exercise_checks_accept_right_and_reject_wrong_answers(capsys):
    from neurolib import exercises as ex
    from neurolib import membrane as mb

    assert ex.check_chloride_nernst(None) is None
    assert ex.check_chloride_nernst(-61.5 * np.log10(11.0)) is True
    assert ex.check_chloride_nernst(+61.5 * np.log10(11.0)) is False
    assert "sign" in capsys.readouterr().out
    assert ex.check_chloride_nernst(mb.nernst(110.0, 10.0, 1)) is False  # valence +1
    assert ex.check_cv(lambda t: np.std(np.diff(t)) / np.mean(np.diff(t))) is True
    assert ex.check_cv(lambda t: np.std(np.diff(t), ddof=1) / np.mean(np.diff(t))) is False
    assert ex.check_cv(lambda t: np.std(t) / np.mean(t)) is False  # spike times, not intervals
    assert ex.check_silence_probability(np.exp(-2.0)) is True
    assert ex.check_silence_probability(1 - np.exp(-2.0)) is False
    assert ex.check_silence_probability(0.133) is False
    assert "simulation" in capsys.readouterr().out


def test_bad_inputs_get_clear_answers_issue_18():
    with pytest.raises(ValueError, match=r"n_trains=1000000000 would need .* reduce n_trains"):
        sp.poisson_spike_trains(0.0, 100.0, n_trains=10**9)
    trains = sp.poisson_spike_trains(20.0, 1000.0, 3, seed=0)
    for call in (lambda: sp.psth(trains, 1e-12), lambda: trains.binned_counts(1e-12)):
        with pytest.raises(ValueError, match="increase bin_width"):
            call()
    with pytest.raises(ValueError, match="increase dt"):
        sp.sliding_window_rate(trains, 10.0, dt=1e-12)
    with pytest.raises(TypeError, match="trains must be a list"):
        sp.SpikeTrains.from_list(3.0, 10.0)
    with pytest.raises(ValueError, match="theta and preferred must broadcast"):
        sp.von_mises_tuning(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="reduce r_max or window"):
        sp.lesion_experiment([0.0], r_max=1e300, seed=0)
    # huge but finite values: the right finite answer, not NaN
    assert sp.cv([1e300, 3e300]) == pytest.approx(0.5)
    assert sp.fano_factor([1e300, 3e300]) == pytest.approx(0.5e300)
