"""The numpy/math distribution functions against scipy (which the analysis no longer
imports: 0.7 s of start-up)."""

import numpy as np
import pytest
from scipy import special, stats

from ivp.analysis import distributions as dist


def test_normal_and_t_tails():
    x = np.linspace(-9, 9, 181)
    np.testing.assert_allclose(dist.norm_sf(x), stats.norm.sf(x), rtol=1e-12, atol=1e-300)
    for df in (1, 2, 3, 4.5, 7, 12, 30, 200, 5000):
        np.testing.assert_allclose(dist.t_sf(x, df), stats.t.sf(x, df), rtol=1e-10, atol=1e-16)
    assert dist.t_sf(2.0, np.inf) == pytest.approx(stats.norm.sf(2.0))


@pytest.mark.parametrize("df", [1, 1.5, 2, 3, 5, 10.5, 40, 1000, np.inf])
def test_t_quantiles(df):
    assert dist.t_isf(0.025, df) == pytest.approx(stats.t.isf(0.025, df), rel=1e-10)
    assert dist.t_isf(0.0001, df) == pytest.approx(stats.t.isf(0.0001, df), rel=1e-9)
    assert dist.t_isf(0.9, df) == pytest.approx(stats.t.isf(0.9, df), rel=1e-9)


def test_t_quantile_975_rounds_df_down():
    values = dist.t_quantile_975(np.array([3.7, 40.2, 2000.0, np.inf]))
    np.testing.assert_allclose(values, stats.t.isf(0.025, [3, 40, np.inf, np.inf]), rtol=1e-10)


def test_regularised_incomplete_beta():
    rng = np.random.default_rng(1)
    a, b, x = rng.uniform(0.05, 80, 500), rng.uniform(0.05, 80, 500), rng.uniform(0, 1, 500)
    np.testing.assert_allclose(dist.betainc(a, b, x), special.betainc(a, b, x), atol=1e-13)


def test_conditional_mid_p_binomial_and_beta_binomial():
    k = np.array([0, 3, 10, 7, 20, 1])
    n = np.array([5, 10, 20, 7, 60, 1])
    p = np.array([0.5, 0.3, 0.25, 0.5, 0.4, 0.7])
    lower, upper = dist.conditional_midp(k, n, p, np.inf)
    np.testing.assert_allclose(
        lower, stats.binom.cdf(k - 1, n, p) + stats.binom.pmf(k, n, p) / 2, rtol=1e-12
    )
    np.testing.assert_allclose(lower + upper, 1.0, rtol=1e-12)
    spread = np.array([4.0, 10.0, 2.0, 50.0, 7.5, 3.0])
    lower, upper = dist.conditional_midp(k, n, p, spread)
    a, b = p * spread, (1 - p) * spread
    expected = stats.betabinom.sf(k, n, a, b) + stats.betabinom.pmf(k, n, a, b) / 2
    np.testing.assert_allclose(upper, expected, rtol=1e-12)


def test_the_continued_fraction_gives_the_same_doubles_on_python_floats_and_on_arrays():
    """A few values run on Python floats, many on arrays: the same operations in the same
    order, so the p-values do not depend on how many were asked for at once."""
    import numpy as np

    from ivp.analysis import distributions

    rng = np.random.default_rng(12)
    size = 4 * distributions._CF_SCALAR_BELOW
    a = rng.uniform(0.1, 400.0, size)
    b = np.where(rng.random(size) < 0.5, 0.5, rng.uniform(0.1, 400.0, size))
    x = rng.uniform(0.0, 1.0, size)
    on_arrays = distributions._beta_continued_fraction(x, a, b)
    assert x.size >= distributions._CF_SCALAR_BELOW  # the array path above
    step = distributions._CF_SCALAR_BELOW - 1
    for start in range(0, size, step):
        part = slice(start, start + step)
        on_floats = distributions._beta_continued_fraction(x[part], a[part], b[part])
        assert np.array_equal(on_floats, on_arrays[part])
