"""The tests hold their error rate on simulated stable series (fixed seed; the benchmark
``bench/bench_calibration.py`` runs more replicates and prints the rates)."""

import pytest

from ivp.analysis import calibration


@pytest.mark.parametrize("phi", calibration.DISPERSIONS)
def test_false_positive_rates_are_near_five_percent(phi):
    rates, _small, signal = calibration.false_positive_rates(phi, replicates=1, seed=2026)
    assert set(rates) == set(calibration.TESTS)
    for name, rate in rates.items():
        assert 3.5 <= rate <= 6.5, f"{name} at dispersion {phi}: {rate:.2f} %"
    assert signal < 2.0  # three rises in a row and a significant rise: rare by chance


def test_a_stable_gemeente_rarely_gets_a_candidate():
    assert calibration.candidates_per_gemeente(3.0, replicates=1, seed=11) < 0.25
