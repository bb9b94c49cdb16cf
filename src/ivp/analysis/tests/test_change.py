"""Change against the previous year and the three-year mean."""

import pytest

from ivp.analysis.change import SMALL_COUNT, change
from ivp.analysis.significance import Richting
from ivp.analysis.tests.figures import (
    DENBOSCH_121,
    DENBOSCH_POP,
    PROVISIONAL,
    RIDDERKERK_111,
    RIDDERKERK_POP,
)


def test_ridderkerk_burglary_2025():
    result = change(RIDDERKERK_111, "2025", base=RIDDERKERK_POP, provisional=PROVISIONAL)
    prev = result.vs_previous
    assert prev.years == (2024,)
    assert (prev.count, prev.earlier_count) == (36, 30)
    assert prev.count_change == 6
    assert prev.count_percent == pytest.approx(20.0)
    assert prev.rate == pytest.approx(36 / 47999 * 1000)
    assert prev.earlier_rate == pytest.approx(30 / 47860 * 1000)
    assert prev.rate_percent == pytest.approx(((36 / 47999) / (30 / 47860) - 1) * 100)
    assert prev.percent == prev.rate_percent
    assert prev.small_count  # 36 and 30 are far below 100: +20 % is mostly noise
    assert prev.provisional
    # The mid-p version of statsmodels' test_poisson_2indep(36, 47999, 30, 47860,
    # "exact-cond") (p = 0.5386 there): twice the smaller one-sided mid-p of 36 among 66
    # under Binomial(66, 47999 / 95859).
    from scipy.stats import binom

    p0 = 47999 / (47999 + 47860)
    below = binom.cdf(35, 66, p0) + binom.pmf(36, 66, p0) / 2
    assert prev.test.p_value == pytest.approx(2 * min(below, 1 - below), rel=1e-9)
    assert prev.verdict == "binnen de gewone schommeling"

    mean = result.vs_mean
    assert mean.years == (2022, 2023, 2024)
    assert mean.earlier_count == pytest.approx((55 + 46 + 30) / 3)
    assert mean.count_change == pytest.approx(36 - 131 / 3)
    assert mean.count_percent == pytest.approx((36 / (131 / 3) - 1) * 100)  # −17.6 %
    rates = [55 / 47288 * 1000, 46 / 47599 * 1000, 30 / 47860 * 1000]
    assert mean.earlier_rate == pytest.approx(sum(rates) / 3)
    # Year against the sum of three years, exposure = their inhabitants (n = 167 > 100:
    # the normal approximation of the conditional binomial)
    p0 = 47999 / (47999 + 142747)
    z = (36 - 167 * p0) / (167 * p0 * (1 - p0)) ** 0.5
    from scipy.stats import norm

    assert mean.test.p_value == pytest.approx(2 * norm.sf(abs(z)), rel=1e-9)
    assert result.provisional
    assert result.count == 36


def test_denbosch_2018_a_large_significant_decrease_without_small_flag():
    result = change(DENBOSCH_121, 2018, base=DENBOSCH_POP)
    prev = result.vs_previous
    assert prev.count_percent == pytest.approx((897 / 1259 - 1) * 100)  # −28.8 %
    assert not prev.small_count
    assert prev.test.richting is Richting.AFNAME
    assert prev.verdict == "aantoonbare afname"
    assert result.vs_mean.earlier_count == pytest.approx((1852 + 1682 + 1259) / 3)
    assert not result.provisional


def test_counts_only_without_base():
    result = change({"2020": 100, "2021": 120, "2022": 140, "2023": 150}, 2023)
    assert result.rate is None
    assert result.vs_previous.percent == pytest.approx(150 / 140 * 100 - 100)
    assert result.vs_mean.earlier_count == 120
    assert result.vs_mean.percent == pytest.approx(25.0)
    # Against 360 in three years, 1 : 3 exposure.
    assert result.vs_mean.test.exposure1 == 3.0
    assert result.vs_mean.test.exposure2 == 1.0


def test_percent_from_zero_is_none():
    result = change({"2022": 1, "2023": 0, "2024": 0, "2025": 3}, 2025)
    prev = result.vs_previous
    assert prev.count_change == 3
    assert prev.count_percent is None
    assert "eerdere waarde 0" in prev.reason
    assert prev.small_count


def test_mean_needs_all_three_years_withheld_is_not_zero():
    counts = {"2021": 40, "2022": None, "2023": 50, "2024": 45}
    result = change(counts, 2024)
    assert result.vs_mean.earlier_count is None
    assert result.vs_mean.percent is None
    assert "2022" in result.vs_mean.reason
    assert result.vs_mean.test.richting is Richting.ONBEKEND
    assert result.vs_previous.count_percent == pytest.approx(-10.0)


def test_small_count_threshold_is_documented_value():
    assert SMALL_COUNT == 100
    above = change({"2023": 120, "2024": 110}, 2024).vs_previous
    below = change({"2023": 120, "2024": 99}, 2024).vs_previous
    assert not above.small_count
    assert below.small_count


def test_withheld_reference_year():
    result = change({"2023": 12, "2024": None}, 2024)
    assert result.count is None
    assert result.vs_previous.count_change is None
    assert "2024 niet gepubliceerd" in result.vs_previous.reason


def test_missing_base_falls_back_to_counts_and_says_so():
    result = change({"2023": 120, "2024": 80}, 2024, base={"2024": 50000})
    prev = result.vs_previous
    assert prev.rate == pytest.approx(1.6)
    assert prev.earlier_rate is None
    assert prev.rate_percent is None
    assert prev.percent == pytest.approx(-100 / 3)  # of the counts
    assert "getoetst op aantallen" in prev.reason
    assert prev.test.exposure1 == prev.test.exposure2 == 1.0
    assert prev.test.verdict == "aantoonbare afname"


def test_dispersion_makes_a_change_ordinary():
    # 's-Hertogenbosch 2018: −29 % on 1,259 offences. As Poisson counts that is far beyond
    # chance; with a dispersion of 10, still beyond the usual
    # variation; a change of −8 % (1,259 → 1,160) is not.
    assert change(
        DENBOSCH_121, 2018, base=DENBOSCH_POP, dispersion=10.0, dispersion_df=30.0
    ).vs_previous.test.significant
    small = {"2017": 1259, "2018": 1160}
    assert change(small, 2018).vs_previous.test.significant  # Poisson: p = 0.049
    assert not change(small, 2018, dispersion=3.0, dispersion_df=30.0).vs_previous.test.significant
