"""The change verdict of survey figures with a 95 % margin, calibrated by simulation."""

from __future__ import annotations

import numpy as np
import pytest

from ivp.analysis import survey


@pytest.mark.parametrize(("se1", "se2"), [(0.1, 0.1), (0.05, 0.2), (1.0, 0.5)])
def test_equal_figures_are_called_different_about_one_time_in_twenty(se1, se2):
    """Two independent estimates of the same true value, each published with its 95 %
    margin (1.96 · standard error): the rule |d| > √(m1² + m2²) calls them different in
    about 5 % of the pairs — the level the margins promise."""
    rng = np.random.default_rng(2026)
    n = 20_000
    first = 7.5 + rng.normal(0, se1, n)
    second = 7.5 + rng.normal(0, se2, n)
    m1, m2 = 1.96 * se1, 1.96 * se2
    called = sum(
        survey.compare(b, m2, a, m1)[1]
        for a, b in zip(first.tolist(), second.tolist(), strict=True)
    )
    assert 0.04 <= called / n <= 0.06


def test_a_real_difference_of_three_standard_errors_is_mostly_found():
    rng = np.random.default_rng(14)
    n = 5_000
    se = 0.1
    shift = 3 * se * np.sqrt(2)
    first = rng.normal(7.0, se, n)
    second = rng.normal(7.0 + shift, se, n)
    found = sum(
        survey.compare(b, 1.96 * se, a, 1.96 * se)[2] == survey.DIFFERENT
        for a, b in zip(first.tolist(), second.tolist(), strict=True)
    )
    assert found / n > 0.8  # power of a two-sided z-test at 3 SE: about 85 %


def test_verdicts_read_as_a_user_expects():
    # the Veiligheidsmonitor: 7,5 ± 0,1 in 2017, 7,6 ± 0,1 in 2019 → within the margin
    change = survey.latest_change({2017: 7.5, 2019: 7.6}, {2017: 0.1, 2019: 0.1})
    assert change.verdict == survey.SAME and change.margin == pytest.approx(0.1414, abs=1e-4)
    assert survey.latest_change({2017: 7.5, 2019: 7.2}, {2017: 0.1, 2019: 0.1}).verdict == (
        survey.LOWER
    )
    # no margin for one of the years: no verdict, never a guessed one
    assert survey.latest_change({2017: 7.5, 2019: 7.9}, {2019: 0.1}).verdict == survey.UNKNOWN
    assert survey.latest_change({2019: 7.9}, None) is None
