"""The dispersion of a series: its own quasi-Poisson estimate, the pool of similar members,
and the shrinkage between them."""

import numpy as np
import pytest

from ivp.analysis import dispersion as disp
from ivp.analysis.tests.figures import KAAG_145, KAAG_POP, YEARS
from ivp.analysis.trend import fit_poisson

YEARS_AXIS = np.array([int(y) for y in YEARS])


def test_own_estimate_is_the_pearson_statistic_of_a_quadratic_fit_before_the_year():
    counts = np.array([[KAAG_145[y] for y in YEARS]], dtype=float)
    pop = np.array([[KAAG_POP[y] for y in YEARS]], dtype=float)
    usable = YEARS_AXIS[None, :] < 2025  # the reference year stays out
    own = disp.own_dispersion(counts, usable, YEARS_AXIS, np.log(pop))
    t = YEARS_AXIS[:-1] - YEARS_AXIS[:-1].mean()
    fit = fit_poisson(counts[0, :-1], [(1, x, x * x) for x in t], np.log(pop[0, :-1]))
    assert own.df[0] == 13 - 3
    assert own.phi[0] == pytest.approx(fit.pearson_chi2 / 10, rel=1e-8)
    assert own.level[0] == pytest.approx(counts[0, :-1].mean())
    # the effective weight of a χ² on 10 df, a little less for small counts
    assert own.weight[0] == pytest.approx(10 * 2 * own.level[0] / (2 * own.level[0] + 1))


def test_short_series_lean_on_the_pool_long_ones_on_themselves():
    rng = np.random.default_rng(5)
    members = rng.poisson(50, (40, 14)).astype(float) * 1.0
    members += rng.normal(0, 10, members.shape).round()  # extra variation: φ ≈ 3
    members = np.clip(members, 0, None)
    counts = np.vstack([members, np.full((1, 14), np.nan)])
    counts[40, -4:] = [50, 80, 20, 60]  # a short, wild series (3 usable years)
    usable = np.ones_like(counts, dtype=bool)
    usable[:, -1] = False
    pool = np.array([list(range(40))])
    d = disp.estimate(counts, usable, YEARS_AXIS, np.array([40]), pool)
    assert d.weight[0] == 0  # too short for an own estimate
    assert d.phi[0] == pytest.approx(d.prior[0])
    assert 2 < d.prior[0] < 5
    long = disp.estimate(counts, usable, YEARS_AXIS, np.array([0]), np.array([list(range(1, 40))]))
    assert long.weight[0] > 0
    assert min(long.own[0], long.prior[0]) <= long.phi[0] <= max(long.own[0], long.prior[0])
    assert long.df[0] == pytest.approx(long.weight[0] + long.prior_df[0])


def test_nothing_known_is_poisson():
    counts = np.array([[np.nan] * 13 + [4.0]])
    d = disp.estimate(
        counts, np.zeros_like(counts, dtype=bool), YEARS_AXIS, np.array([0]), np.full((1, 0), -1)
    )
    assert d.phi[0] == 1.0 and np.isinf(d.df[0])
