"""Poisson trend with overdispersion check, against hand-computable cases and statsmodels.

Reference values marked "statsmodels" were computed once with statsmodels 0.14.5 (scipy
1.17.1, numpy 2.4.6) and hard-coded here:

    X = sm.add_constant(years - years.mean())
    m = sm.GLM(y, X, family=sm.families.Poisson(), offset=np.log(pop))  # or offset=None
    m.fit()                          # Poisson: params, bse, pvalues, pearson_chi2
    m.fit(scale="X2", use_t=True)    # quasi-Poisson: bse, pvalues, conf_int()
"""

import math

import pytest

from ivp.analysis.tests.figures import (
    KAAG_145,
    KAAG_POP,
    PROVISIONAL,
    RIDDERKERK_111,
    RIDDERKERK_142,
    RIDDERKERK_POP,
)
from ivp.analysis.trend import Methode, TrendRichting, fit_poisson, trend


def test_two_points_is_the_log_ratio_with_the_textbook_se():
    # Saturated model: b1 = log(c2/c1), se = sqrt(1/c1 + 1/c2); only 2 years → not a trend,
    # but the fit itself is exact.
    fit = fit_poisson([40, 60], [(1, -0.5), (1, 0.5)])
    assert fit.coefficients[1] == pytest.approx(math.log(60 / 40), rel=1e-10)
    assert math.sqrt(fit.covariance[1][1]) == pytest.approx(math.sqrt(1 / 40 + 1 / 60))
    assert fit.deviance == pytest.approx(0, abs=1e-9)


def test_exact_geometric_series_gives_its_rate_and_no_dispersion():
    counts = {str(2015 + i): 100 * 1.1**i for i in range(6)}
    result = trend(counts)
    assert result.annual_percent == pytest.approx(10.0, rel=1e-9)
    assert result.dispersion == pytest.approx(0, abs=1e-12)
    assert result.methode is Methode.POISSON


def test_offset_makes_it_a_trend_of_the_rate():
    # Counts double with the population: the rate is flat.
    counts = {"2020": 10, "2021": 20, "2022": 40}
    base = {"2020": 1000, "2021": 2000, "2022": 4000}
    assert trend(counts).annual_percent == pytest.approx(100.0)
    assert trend(counts, base=base).annual_percent == pytest.approx(0.0, abs=1e-9)


def test_ridderkerk_burglary_2012_2025_quasi_poisson_matches_statsmodels():
    result = trend(RIDDERKERK_111, base=RIDDERKERK_POP, provisional=PROVISIONAL)
    assert result.slope == pytest.approx(-0.12986986205551415, rel=1e-8)
    assert result.dispersion == pytest.approx(39.406200920625096 / 12, rel=1e-8)
    assert result.methode is Methode.QUASI_POISSON
    assert result.se == pytest.approx(0.013147407295414882, rel=1e-8)
    assert result.p_value == pytest.approx(4.088669402947158e-07, rel=1e-6)
    assert result.annual_percent == pytest.approx(-12.179028810903098, rel=1e-8)
    assert result.ci_low == pytest.approx(100 * math.expm1(-0.15851560174764592), rel=1e-8)
    assert result.ci_high == pytest.approx(100 * math.expm1(-0.10122412236342501), rel=1e-8)
    assert result.richting is TrendRichting.DALEND
    assert result.verdict == "aantoonbaar dalende trend"
    assert result.provisional == (2024, 2025)
    assert result.df == 12
    assert result.period == "2012–2025"


def test_ridderkerk_burglary_last_five_years_matches_statsmodels():
    result = trend(RIDDERKERK_111, base=RIDDERKERK_POP, first_year=2021, last_year=2025)
    assert result.years == (2021, 2022, 2023, 2024, 2025)
    assert result.methode is Methode.QUASI_POISSON
    assert result.dispersion == pytest.approx(4.079182047576376 / 3, rel=1e-8)
    assert result.se == pytest.approx(0.054198982227855054, rel=1e-8)
    assert result.p_value == pytest.approx(0.01911071167144247, rel=1e-6)
    assert result.annual_percent == pytest.approx(-22.14223597694457, rel=1e-8)
    assert result.ci_low == pytest.approx(-34.47719348, rel=1e-7)
    assert result.ci_high == pytest.approx(-7.48516828, rel=1e-7)
    assert result.few_years is False


def test_underdispersion_is_not_credited_poisson_errors_are_the_floor():
    # Kaag en Braassem assault: X²/df = 0.536 < 1 → plain Poisson (statsmodels: counts
    # b1 = 0.03013471943921678, se 0.01103381123401194, p 0.006311849664430071).
    counts = trend(KAAG_145)
    assert counts.methode is Methode.POISSON
    assert counts.dispersion == pytest.approx(6.410805095040672 / 12, rel=1e-8)
    assert counts.slope == pytest.approx(0.03013471943921678, rel=1e-8)
    assert counts.se == pytest.approx(0.01103381123401194, rel=1e-8)
    assert counts.p_value == pytest.approx(0.006311849664430071, rel=1e-6)
    assert counts.richting is TrendRichting.STIJGEND
    # Per 1,000 inhabitants the rise is not demonstrable: the population grew by 14 %.
    # statsmodels with offset: b1 = 0.0187454069804327, se 0.010997564135135479,
    # p 0.08828671614379932 (quasi-Poisson would have claimed p = 0.038).
    rate = trend(KAAG_145, base=KAAG_POP)
    assert rate.slope == pytest.approx(0.0187454069804327, rel=1e-8)
    assert rate.p_value == pytest.approx(0.08828671614379932, rel=1e-6)
    assert rate.ci_low == pytest.approx(100 * math.expm1(-0.002809422642102228), rel=1e-6)
    assert rate.richting is TrendRichting.GEEN
    assert rate.verdict == "geen trend buiten de gewone schommeling"


def test_small_counts_flat_series():
    # Ridderkerk murder/manslaughter: statsmodels b1 = 0.003016681385100292,
    # quasi-Poisson p = 0.9079436788907768 (X²/df = 1.081).
    result = trend(RIDDERKERK_142)
    assert result.slope == pytest.approx(0.003016681385100292, rel=1e-6)
    assert result.methode is Methode.QUASI_POISSON
    assert result.p_value == pytest.approx(0.9079436788907768, rel=1e-6)
    assert result.richting is TrendRichting.GEEN


def test_withheld_years_are_left_out_not_zero():
    counts = dict(RIDDERKERK_111)
    counts["2019"] = None
    result = trend(counts, base=RIDDERKERK_POP)
    assert 2019 not in result.years
    assert (2019, "niet gepubliceerd") in result.excluded
    assert len(result.years) == 13
    # Reading the gap as 0 would give a very different (wrong) answer.
    zero = trend({**counts, "2019": 0}, base=RIDDERKERK_POP)
    assert zero.slope != pytest.approx(result.slope, rel=1e-3)


def test_provisional_years_can_be_left_out():
    result = trend(RIDDERKERK_111, provisional=PROVISIONAL, exclude_provisional=True)
    assert result.years[-1] == 2023
    assert (2024, "voorlopig") in result.excluded
    assert result.provisional == ()


def test_too_few_years_or_no_offences():
    short = trend({"2024": 5, "2025": 7})
    assert short.annual_percent is None
    assert short.richting is TrendRichting.ONBEKEND
    assert "minder dan 3" in short.verdict
    zeros = trend({"2021": 0, "2022": 0, "2023": 0})
    assert zeros.reason == "in alle jaren 0"
    single = trend({"2021": 0, "2022": 0, "2023": 4})
    assert single.annual_percent is None
    assert "één jaar" in single.reason
    few = trend({"2021": 3, "2022": 0, "2023": 4, "2024": 6})
    assert few.annual_percent is not None
    assert few.few_years


def test_year_without_base_is_excluded_with_reason():
    result = trend({"2020": 5, "2021": 6, "2022": 7, "2023": 8}, base={"2021": 1, "2022": 1})
    assert result.richting is TrendRichting.ONBEKEND
    assert (2020, "geen basis bekend") in result.excluded


def test_a_given_dispersion_widens_the_interval_and_uses_the_score_test():
    # Ridderkerk burglary 2021–2025 with φ = 3 (as the veiligheidsbeeld estimates it from
    # the years before and from comparable gemeenten) instead of the window's own 1.36.
    own = trend(RIDDERKERK_111, base=RIDDERKERK_POP, first_year=2021, last_year=2025)
    given = trend(
        RIDDERKERK_111,
        base=RIDDERKERK_POP,
        first_year=2021,
        last_year=2025,
        dispersion=3.0,
        dispersion_df=40.0,
    )
    assert given.slope == own.slope  # the estimate does not depend on the dispersion
    assert given.dispersion == 3.0
    assert given.se == pytest.approx(own.se / math.sqrt(own.dispersion) * math.sqrt(3.0))
    from scipy import stats

    quantile = stats.t.ppf(0.975, 40)
    assert given.ci_low == pytest.approx(100 * math.expm1(given.slope - quantile * given.se))
    # the p-value is the quasi-score test's: z = U / √(φ·V) on t(40)
    from ivp.analysis.trend import score_statistic

    years = [2021, 2022, 2023, 2024, 2025]
    counts = [83, 55, 46, 30, 36]
    pops = [46885, 47288, 47599, 47860, 47999]
    z = score_statistic(counts, years, pops)
    mu0 = [sum(counts) * e / sum(pops) for e in pops]
    centre = sum(m * t for m, t in zip(mu0, years, strict=True)) / sum(mu0)
    u = sum((t - centre) * (y - m) for t, y, m in zip(years, counts, mu0, strict=True))
    v = sum(m * (t - centre) ** 2 for m, t in zip(mu0, years, strict=True))
    assert z == pytest.approx(u / math.sqrt(v))
    assert given.p_value == pytest.approx(2 * stats.t.sf(abs(z) / math.sqrt(3.0), 40))
