"""The exact conditional test of two counts."""

from math import comb

import pytest
from scipy.stats import beta

from ivp.analysis.change import compare_years
from ivp.analysis.significance import Richting, compare_counts
from ivp.analysis.tests.figures import RIDDERKERK_111, RIDDERKERK_POP


def test_hand_computable_case_10_against_20():
    # Equal exposure: 20 of 30 under Binomial(30, 1/2); two-sided = twice the upper tail.
    expected = 2 * sum(comb(30, k) for k in range(20, 31)) / 2**30
    result = compare_counts(10, 20)
    assert result.p_value == pytest.approx(expected, rel=1e-12)
    assert result.p_value == pytest.approx(0.0987371467, abs=1e-9)
    assert result.rate_ratio == 2.0
    assert result.richting is Richting.GEEN
    assert result.verdict == "geen aantoonbare verandering"
    assert not result.significant
    # Clopper-Pearson for 20 of 30, as odds: the interval of the rate ratio.
    low = beta.ppf(0.025, 20, 11)
    high = beta.ppf(0.975, 21, 10)
    assert result.ci_low == pytest.approx(low / (1 - low))
    assert result.ci_high == pytest.approx(high / (1 - high))
    assert result.ci_low < 1 < result.ci_high


def test_ridderkerk_burglary_2023_to_2024_not_demonstrable():
    # 46 → 30 (−35 %) looks large but is within chance. Reference: statsmodels 0.14.5,
    # statsmodels.stats.rates.test_poisson_2indep(30, 47860, 46, 47599,
    # method="exact-cond").pvalue = 0.06687798313532323 (computed once, hard-coded).
    result = compare_years(RIDDERKERK_111, "2023", "2024", base=RIDDERKERK_POP)
    assert result.p_value == pytest.approx(0.06687798313532323, rel=1e-10)
    assert result.rate_ratio == pytest.approx((30 / 47860) / (46 / 47599))
    assert result.verdict == "geen aantoonbare verandering"


def test_ridderkerk_burglary_2021_to_2022_is_a_significant_decrease():
    # 83 → 55. statsmodels 0.14.5 test_poisson_2indep(55, 47288, 83, 46885,
    # method="exact-cond").pvalue = 0.01690024996629803.
    result = compare_years(RIDDERKERK_111, 2021, 2022, base=RIDDERKERK_POP)
    assert result.p_value == pytest.approx(0.01690024996629803, rel=1e-10)
    assert result.richting is Richting.AFNAME
    assert result.verdict == "significante afname"
    assert result.ci_high < 1
    # Without adjusting for the growing population the p-value is a little larger.
    plain = compare_years(RIDDERKERK_111, 2021, 2022)
    assert plain.p_value == pytest.approx(0.021199549692339205, rel=1e-10)


def test_significant_increase_wording():
    result = compare_counts(20, 45)
    assert result.richting is Richting.TOENAME
    assert result.verdict == "significante toename"
    assert result.p_value < 0.01


def test_exposure_changes_the_verdict():
    # Same counts, but the base doubled: the rate did not change at all.
    assert compare_counts(50, 100, 10000, 20000).p_value == pytest.approx(1.0)
    assert compare_counts(50, 100).richting is Richting.TOENAME


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
    assert result.p_value == pytest.approx(2 * 0.5**9)
    assert result.richting is Richting.TOENAME


@pytest.mark.parametrize(
    ("k", "n", "p"),
    [
        (0, 5, 0.5),
        (5, 5, 0.5),
        (3, 17, 0.25),
        (30, 76, 0.5014),
        (36, 167, 0.2516),
        (700, 1500, 0.5),
        (12, 40, 0.9),
        (1, 1, 0.3),
    ],
)
def test_vectorised_binomial_p_value_equals_scipy_binomtest(k, n, p):
    from scipy.stats import binomtest

    from ivp.analysis.significance import binomial_two_sided, clopper_pearson

    reference = binomtest(k, n, p)
    assert binomial_two_sided(k, n, p) == pytest.approx(reference.pvalue, rel=1e-9, abs=1e-300)
    interval = reference.proportion_ci(method="exact")
    assert clopper_pearson(k, n) == pytest.approx((interval.low, interval.high), rel=1e-9)
