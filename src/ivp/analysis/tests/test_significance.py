"""The test of two counts: exact (mid-p) conditional binomial for Poisson counts, beta-binomial
for overdispersed ones, the normal approximation for large totals."""

import pytest
from scipy import stats

from ivp.analysis.change import compare_years
from ivp.analysis.significance import (
    EXACT_UP_TO,
    Richting,
    compare_counts,
    kappa,
    two_count_arrays,
)
from ivp.analysis.tests.figures import RIDDERKERK_111, RIDDERKERK_POP


def midp_two_sided(k, n, p):
    below = stats.binom.cdf(k - 1, n, p) + stats.binom.pmf(k, n, p) / 2
    above = stats.binom.sf(k, n, p) + stats.binom.pmf(k, n, p) / 2
    return min(1.0, 2 * min(below, above))


def test_poisson_counts_10_against_20_mid_p():
    # Equal exposure: 20 of 30 under Binomial(30, 1/2). The mid-p (0.0987 exact → 0.0708)
    # keeps the error rate near 5 % where the exact test is cautious.
    result = compare_counts(10, 20)
    assert result.p_value == pytest.approx(midp_two_sided(20, 30, 0.5), rel=1e-12)
    assert result.p_value == pytest.approx(0.0707555, abs=1e-6)
    assert result.rate_ratio == 2.0
    assert result.richting is Richting.GEEN
    assert result.verdict == "binnen de gewone schommeling"
    assert not result.significant
    assert result.dispersion == 1.0 and result.dispersion_df is None
    assert result.p_higher == pytest.approx(result.p_value / 2)


def test_overdispersed_counts_are_beta_binomial_and_wider():
    # φ = 3 on 40 degrees of freedom: 20 of 30 under a beta-binomial with the binomial's
    # mean and α + β = n / (φ·κ − 1), κ = (t₉₇.₅(40) / z₉₇.₅)².
    k = float(kappa(40.0))
    assert k == pytest.approx((stats.t.ppf(0.975, 40) / stats.norm.ppf(0.975)) ** 2)
    spread = 30 / (3 * k - 1)
    a = b = spread / 2
    below = stats.betabinom.cdf(19, 30, a, b) + stats.betabinom.pmf(20, 30, a, b) / 2
    result = compare_counts(10, 20, dispersion=3.0, dispersion_df=40.0)
    assert result.p_value == pytest.approx(2 * (1 - below), rel=1e-10)
    assert result.p_value > compare_counts(10, 20).p_value
    assert result.dispersion == 3.0 and result.dispersion_df == 40.0


def test_large_totals_use_the_normal_approximation_on_t():
    # 700 against 800, φ = 4 on 25 df: z = (800 − 750) / √(4·1500·¼), p from t(25).
    result = compare_counts(700, 800, dispersion=4.0, dispersion_df=25.0)
    z = 50 / (4 * 1500 * 0.25) ** 0.5
    assert EXACT_UP_TO < 1500
    assert result.p_value == pytest.approx(2 * stats.t.sf(z, 25), rel=1e-10)
    assert result.richting is Richting.GEEN  # +14 % is within the usual variation here
    assert compare_counts(700, 800).richting is Richting.TOENAME  # but not for Poisson counts


def test_dispersion_below_one_counts_as_poisson():
    assert compare_counts(10, 20, dispersion=0.6, dispersion_df=12.0).p_value == pytest.approx(
        compare_counts(10, 20).p_value
    )


def test_ridderkerk_burglary_2021_to_2022_a_fall_beyond_chance_only_as_poisson_counts():
    # 83 → 55 (−34 %): beyond Poisson chance, not beyond a dispersion of 2.
    poisson = compare_years(RIDDERKERK_111, 2021, 2022, base=RIDDERKERK_POP)
    p0 = 47288 / (47288 + 46885)
    assert poisson.p_value == pytest.approx(
        2 * stats.norm.sf(abs((55 - 138 * p0) / (138 * p0 * (1 - p0)) ** 0.5)), rel=1e-9
    )
    assert poisson.richting is Richting.AFNAME
    assert poisson.verdict == "aantoonbare afname"
    assert poisson.ci_high < 1
    restless = compare_counts(83, 55, 46885, 47288, dispersion=2.0, dispersion_df=30.0)
    assert restless.verdict == "binnen de gewone schommeling"


def test_exposure_changes_the_verdict():
    # Same counts, but the base doubled: the rate did not change at all.
    assert compare_counts(50, 100, 10000, 20000).p_value == pytest.approx(1.0)
    assert compare_counts(50, 100).richting is Richting.TOENAME
    assert compare_counts(20, 45).verdict == "aantoonbare toename"


def test_untestable_cases_say_why():
    withheld = compare_counts(None, 12)
    assert withheld.p_value is None
    assert withheld.richting is Richting.ONBEKEND
    assert withheld.verdict == "niet te toetsen (cijfer niet gepubliceerd)"
    assert compare_counts(0, 0).verdict == "niet te toetsen (in beide perioden 0)"
    assert compare_counts(5, 6, 0, 100).verdict == "niet te toetsen (geen basis bekend)"
    assert compare_counts(5.5, 6).richting is Richting.ONBEKEND


def test_from_zero_no_ratio_but_a_test():
    result = compare_counts(0, 9)
    assert result.rate_ratio is None
    assert result.ci_high is None
    assert result.p_value == pytest.approx(0.5**9)  # mid-p: twice half the one outcome
    assert result.richting is Richting.TOENAME


def test_arrays_and_scalars_agree():
    c1 = [10, 83, 700, 0, 5]
    c2 = [20, 55, 800, 0, 9]
    phi = [1.0, 2.0, 4.0, 1.0, 1.5]
    df = [float("inf"), 30.0, 25.0, float("inf"), 12.0]
    result = two_count_arrays(c1, c2, 1.0, 1.0, phi, df)
    for i in range(5):
        one = compare_counts(
            c1[i], c2[i], dispersion=phi[i], dispersion_df=df[i] if phi[i] > 1 else None
        )
        if one.p_value is None:
            assert result.direction[i] == 2
        else:
            assert result.p_value[i] == pytest.approx(one.p_value, rel=1e-12)
