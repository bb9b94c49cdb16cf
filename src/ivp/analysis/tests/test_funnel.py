"""The funnel comparison with overdispersion (Spiegelhalter 2005)."""

import numpy as np
import pytest
from scipy import stats

from ivp.analysis.funnel import funnel, limits_curve


def members(rates, bases):
    counts = np.array(rates) * np.array(bases) / 1000
    return counts[None, :], np.array(bases, dtype=float)[None, :]


def test_hand_computable_case():
    rates = [1.0, 1.2, 0.8, 1.1, 0.9, 1.05, 0.95, 1.0]
    bases = [50000.0] * 8
    counts, base = members(rates, bases)
    target = np.array([np.median(rates)])
    result = funnel(
        np.array([120.0]),
        np.array([50000.0]),
        np.array([1.0]),
        counts,
        base,
        np.ones_like(base),
        target,
    )
    e = target[0] * 50
    y = np.sqrt(counts[0] / e)
    v = 1 / (4 * e)
    q = np.sum((y - 1) ** 2 / v)
    w = np.full(8, 1 / v)
    tau2 = max(0.0, (q - 7) / (w.sum() - (w**2).sum() / w.sum()))
    assert result.tau2[0] == pytest.approx(tau2)
    z = (np.sqrt(120 / e) - 1) / np.sqrt(v + tau2)
    assert result.z[0] == pytest.approx(z)
    assert result.p_higher[0] == pytest.approx(stats.t.sf(z, 6))
    half = stats.t.ppf(0.975, 6) * np.sqrt(v + tau2)
    assert result.high[0] == pytest.approx((1 + half) ** 2)


def test_real_spread_between_gemeenten_widens_the_limits():
    bases = [40000.0] * 30
    calm, base = members([1.0] * 30, bases)
    rng = np.random.default_rng(2)
    spread, _ = members(np.exp(rng.normal(0, 0.4, 30)), bases)
    own = (np.array([60.0]), np.array([40000.0]), np.array([1.0]))
    tight = funnel(*own, calm, base, np.ones_like(base), np.array([1.0]))
    wide = funnel(*own, spread, base, np.ones_like(base), np.array([1.0]))
    assert tight.tau2[0] == 0
    assert wide.tau2[0] > 0.01
    assert tight.p_value[0] < 0.05 < wide.p_value[0]  # 1.5× is within a spread group


def test_a_small_group_has_no_funnel():
    counts, base = members([1.0, 1.1, 0.9, 1.2], [30000.0] * 4)
    result = funnel(
        np.array([50.0]),
        np.array([30000.0]),
        np.array([1.0]),
        counts,
        base,
        np.ones_like(base),
        np.array([1.0]),
    )
    assert np.isnan(result.p_value[0])


def test_limits_narrow_with_size():
    low, high = limits_curve(2.0, 0.0, 1.0, np.array([1e4, 1e5, 1e6]))
    assert np.all(np.diff(high) < 0) and np.all(np.diff(low) > 0)
    low_tau, high_tau = limits_curve(2.0, 0.02, 1.0, np.array([1e6]))
    assert high_tau[0] > high[2]
