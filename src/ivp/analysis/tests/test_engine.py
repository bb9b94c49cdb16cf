"""The vectorised engine against the plain-value functions it stands in for."""

import numpy as np
import pytest

from ivp.analysis import engine
from ivp.analysis.candidates import evidence
from ivp.analysis.from_arrays import evidence_at, listed
from ivp.analysis.glm import fit_rows, polynomial_design
from ivp.analysis.tests.figures import (
    DENBOSCH_121,
    DENBOSCH_POP,
    KAAG_145,
    KAAG_POP,
    RIDDERKERK_111,
    RIDDERKERK_POP,
    YEARS,
)
from ivp.analysis.trend import fit_poisson

AXIS = np.array([int(y) for y in YEARS])


def test_row_fits_equal_one_fit_at_a_time():
    series = [RIDDERKERK_111, DENBOSCH_121, KAAG_145]
    pops = [RIDDERKERK_POP, DENBOSCH_POP, KAAG_POP]
    y = np.array([[s[k] for k in YEARS] for s in series], dtype=float)
    off = np.log(np.array([[p[k] for k in YEARS] for p in pops], dtype=float))
    centre = np.full(3, AXIS.mean())
    fits = fit_rows(y, polynomial_design(AXIS.astype(float), centre, 2), np.ones_like(y, bool), off)
    for i in range(3):
        t = AXIS - AXIS.mean()
        one = fit_poisson(y[i], [(1, x, x * x) for x in t], off[i])
        np.testing.assert_allclose(fits.coefficients[i], one.coefficients, rtol=1e-8)
        assert fits.pearson[i] == pytest.approx(one.pearson_chi2, rel=1e-8)
        np.testing.assert_allclose(fits.covariance[i], np.array(one.covariance), rtol=1e-6)


@pytest.mark.parametrize(
    ("counts", "pop", "year"),
    [
        (RIDDERKERK_111, RIDDERKERK_POP, 2025),
        (DENBOSCH_121, DENBOSCH_POP, 2018),
        (KAAG_145, KAAG_POP, 2025),
    ],
)
def test_engine_evidence_equals_the_plain_evidence(counts, pop, year):
    panel = engine.Panel(
        AXIS,
        np.array([[counts[k] for k in YEARS]], dtype=float),
        np.ones((1, len(YEARS)), dtype=bool),
        np.array([[pop[k] for k in YEARS]], dtype=float),
    )
    arrays = listed(engine.analyse(panel, year, np.array([0])))
    from_engine = evidence_at(
        arrays,
        0,
        key="x",
        title="x",
        years=AXIS.tolist(),
        provisional=frozenset(),
        member_codes=["GM0001"],
        references={},
    )
    plain = evidence("x", "x", counts, year, base=pop)
    assert from_engine.dispersion == pytest.approx(plain.dispersion)
    for a, b in (
        (from_engine.change.vs_previous, plain.change.vs_previous),
        (from_engine.change.vs_mean, plain.change.vs_mean),
    ):
        assert a.count == b.count and a.earlier_count == pytest.approx(b.earlier_count)
        assert a.percent == pytest.approx(b.percent)
        assert a.test.p_value == pytest.approx(b.test.p_value, rel=1e-9)
        assert a.verdict == b.verdict
    assert from_engine.trend.years == plain.trend.years
    assert from_engine.trend.annual_percent == pytest.approx(plain.trend.annual_percent, rel=1e-8)
    assert from_engine.trend.p_value == pytest.approx(plain.trend.p_value, rel=1e-7)
    assert from_engine.streak.length == plain.streak.length
    if plain.streak.test is not None:
        assert from_engine.streak.test.p_value == pytest.approx(plain.streak.test.p_value, rel=1e-9)


def test_pooled_rate_counts_only_members_with_figures_in_every_year():
    counts = np.array([[10.0, 20.0], [np.nan, 30.0], [5.0, 5.0]])
    base = np.array([[1000.0, 1000.0], [1000.0, 1000.0], [500.0, 500.0]])
    rate, left = engine.pooled_rates(counts, base, np.array([[0, 1, 2]]), [0, 1])
    assert rate[0] == pytest.approx((20 + 5) / 1500 * 1000)
    assert left.tolist() == [[False, True, False]]


def test_the_batch_lists_flagged_members_per_row_by_code():
    from ivp.analysis.batch_json import flagged_lists, true_columns

    codes = np.array(["GM0014", "GM0034", "GM0363", ""], dtype=object)
    # stacked rows: kind 0 is rows 0–3, kind 1 rows 4–7 (region = row modulo 4)
    members = np.array([[6, 4, 5], [2, 0, -1], [1, 3, 3]])
    flags = np.array([[True, True, False], [False, False, False], [True, False, False]])
    assert flagged_lists(members, flags, codes) == [["GM0014", "GM0363"], [], ["GM0034"]]
    assert flagged_lists(members, np.zeros_like(flags), codes) == [[], [], []]
    used = np.array([[True, False, True], [False, False, False], [False, True, True]])
    assert true_columns(used) == [[0, 2], [], [1, 2]]
