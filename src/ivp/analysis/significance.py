"""Is the difference between two counts more than the usual variation? Plain Python (numpy).

Registered crime varies from year to year more than a pure Poisson count: police
priorities, a series of burglaries by one group, a change in registration. That extra
variation is the series' *dispersion* ``φ`` (``Var = φ·mean``; ``φ = 1`` is Poisson),
estimated by :mod:`ivp.analysis.dispersion`. The tests here take it into account.

To compare count ``c1`` (exposure ``e1``: inhabitants, dwellings, or a number of years)
with count ``c2`` (exposure ``e2``), the test conditions on the total ``n = c1 + c2``. If
both periods have the same underlying rate,

- with Poisson counts (``φ = 1``), ``c2`` is binomial(``n``, ``p0 = e2 / (e1 + e2)``);
- with overdispersed counts (quasi-Poisson / negative binomial of type 1, ``φ > 1``),
  ``c2`` is beta-binomial with the same mean and ``α + β = n / (φ - 1)``, whose variance is
  ``φ·n·p0·(1 - p0)`` up to a factor ``n / (n + φ - 1)``.

For ``n`` up to :data:`EXACT_UP_TO` the p-value is exact (two-sided mid-p: twice the smaller
one-sided mid-p, which keeps the error rate near its nominal level with small counts where
the classic exact test is conservative); above it the normal approximation of the same
distribution is used (its error there is far below the other uncertainties). ``φ`` is an
estimate with ``df`` degrees of freedom: the normal approximation is then referred to
Student's t on ``df``, and in the exact test ``φ`` is multiplied by ``(t₉₇.₅(df) / z₉₇.₅)²``
so that at α = 5 % it is exactly as wide. ``φ`` below 1 is not credited: a series never
counts as steadier than Poisson.

The same test compares a year with the three years before it (``c1`` = their sum, ``e1`` =
the sum of their bases, or 3 against 1 without a base) and, for a run of rising years, the
last year with the year before the run.

"Binnen de gewone schommeling" means the data cannot show a change, not that there was
none: with small counts or a restless series only large changes can be shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from ivp.analysis import distributions as dist

ALPHA = 0.05
EXACT_UP_TO = 100  # n = c1 + c2 up to this: exact conditional distribution


class Richting(StrEnum):
    TOENAME = "toename"
    AFNAME = "afname"
    GEEN = "geen"  # within the usual variation
    ONBEKEND = "onbekend"  # not testable


VERDICTS = {
    Richting.TOENAME: "aantoonbare toename",
    Richting.AFNAME: "aantoonbare afname",
    Richting.GEEN: "binnen de gewone schommeling",
    Richting.ONBEKEND: "niet te toetsen",
}

# direction codes of the array functions
UP, DOWN, NONE, UNTESTABLE = 1, -1, 0, 2


@dataclass(frozen=True)
class TwoCountTest:
    """The test of ``count2`` (later, or the year of interest) against ``count1``."""

    count1: float | None
    count2: float | None
    exposure1: float | None
    exposure2: float | None
    rate_ratio: float | None  # (count2/exposure2) / (count1/exposure1)
    ci_low: float | None  # 95 % interval of the rate ratio (at level 1 - alpha)
    ci_high: float | None  # None when unbounded (count1 = 0)
    p_value: float | None  # two-sided
    alpha: float
    richting: Richting
    reason: str = ""
    dispersion: float = 1.0  # φ used (≥ 1)
    dispersion_df: float | None = None  # its degrees of freedom (None: Poisson, φ known)
    p_higher: float | None = None  # one-sided: evidence that count2's rate is higher
    p_lower: float | None = None

    @property
    def significant(self) -> bool:
        return self.richting in (Richting.TOENAME, Richting.AFNAME)

    @property
    def verdict(self) -> str:
        """Dutch, e.g. "aantoonbare toename", "binnen de gewone schommeling"."""
        text = VERDICTS[self.richting]
        return f"{text} ({self.reason})" if self.richting is Richting.ONBEKEND else text


@dataclass(frozen=True)
class TestArrays:
    """Results of :func:`two_count_arrays`, elementwise."""

    p_value: np.ndarray  # two-sided; NaN where untestable
    p_higher: np.ndarray
    p_lower: np.ndarray
    direction: np.ndarray  # UP, DOWN, NONE or UNTESTABLE
    ratio: np.ndarray  # NaN where count1 = 0
    ci_low: np.ndarray
    ci_high: np.ndarray
    dispersion: np.ndarray  # φ used (≥ 1)


def kappa(df) -> np.ndarray:
    """``(t₉₇.₅(df) / z₉₇.₅)²``: how much wider a t test on ``df`` degrees of freedom is
    than a z test, at α = 5 % (1 for ``df = inf``)."""
    return (dist.t_quantile_975(df) / dist.Z975) ** 2


def two_count_arrays(c1, c2, e1, e2, phi=1.0, df=np.inf, *, alpha: float = ALPHA) -> TestArrays:
    """The test of ``c2`` against ``c1``, elementwise. Counts must be whole and ``e1``,
    ``e2`` positive where the test applies; elsewhere (NaN, ``n = 0``) the direction is
    ``UNTESTABLE``. ``phi`` below 1 counts as 1; ``df`` is inf for a known ``phi``."""
    c1, c2, e1, e2, phi, df = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (c1, c2, e1, e2, phi, df))
    )
    shape = c1.shape
    c1, c2, e1, e2, phi, df = (v.ravel() for v in (c1, c2, e1, e2, phi, df))
    with np.errstate(invalid="ignore"):
        n = c1 + c2
        ok = np.isfinite(n) & (n > 0) & (e1 > 0) & (e2 > 0)
    phi = np.where(np.isfinite(phi), np.maximum(phi, 1.0), 1.0)
    extra = phi > 1.0
    df = np.where(extra, df, np.inf)
    p_hi = np.full(c1.size, np.nan)
    p_lo = np.full(c1.size, np.nan)
    p0 = np.where(ok, e2 / np.where(ok, e1 + e2, 1.0), 0.5)
    exact = ok & (n <= EXACT_UP_TO)
    if exact.any():
        stretched = phi[exact] * np.where(extra[exact], kappa(df[exact]), 1.0)
        extra_exact = stretched > 1.0
        spread = np.full(stretched.shape, np.inf)
        spread[extra_exact] = n[exact][extra_exact] / (stretched[extra_exact] - 1.0)
        lo, hi = dist.conditional_midp(
            c2[exact].astype(np.int64), n[exact].astype(np.int64), p0[exact], spread
        )
        p_lo[exact], p_hi[exact] = lo, hi
    approx = ok & ~exact
    if approx.any():
        nn, pp = n[approx], p0[approx]
        z = (c2[approx] - nn * pp) / np.sqrt(phi[approx] * nn * pp * (1 - pp))
        p_hi[approx] = dist.t_sf(z, df[approx])
        p_lo[approx] = dist.t_sf(-z, df[approx])
    p_two = np.minimum(1.0, 2.0 * np.minimum(p_hi, p_lo))
    with np.errstate(divide="ignore", invalid="ignore"):
        rate1 = c1 / e1
        rate2 = c2 / e2
        ratio = np.where(ok & (c1 > 0), rate2 / rate1, np.nan)
        se = np.sqrt(phi * (1 / c1 + 1 / c2))
        quantile = dist.t_quantile_975(np.where(extra, df, np.inf)) if alpha == ALPHA else None
    if quantile is None:
        quantile = np.array([dist.t_isf(alpha / 2, float(d)) for d in df])
    positive = ok & (c1 > 0) & (c2 > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ci_low = np.where(positive, ratio * np.exp(-quantile * se), np.nan)
        ci_high = np.where(positive, ratio * np.exp(quantile * se), np.nan)
    ci_low = np.where(ok & (c2 == 0) & (c1 > 0), 0.0, ci_low)
    direction = np.full(c1.size, UNTESTABLE, dtype=np.int8)
    direction[ok] = NONE
    significant = ok & (p_two < alpha)
    direction[significant & (rate2 > rate1)] = UP
    direction[significant & (rate2 < rate1)] = DOWN
    return TestArrays(
        *(v.reshape(shape) for v in (p_two, p_hi, p_lo, direction, ratio, ci_low, ci_high, phi))
    )


def _untestable(c1, c2, e1, e2, alpha, reason) -> TwoCountTest:
    return TwoCountTest(c1, c2, e1, e2, None, None, None, None, alpha, Richting.ONBEKEND, reason)


def not_counts(value1: float | None, value2: float | None, alpha: float = ALPHA) -> TwoCountTest:
    """The result for values that are not counts (grades, percentages): no test."""
    return _untestable(value1, value2, None, None, alpha, "geen aantallen")


def _as_count(value: float) -> int | None:
    rounded = round(value)
    return int(rounded) if abs(value - rounded) < 1e-9 else None


_DIRECTIONS = {UP: Richting.TOENAME, DOWN: Richting.AFNAME, NONE: Richting.GEEN}


def _none(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def test_from_arrays(result: TestArrays, i, c1, c2, e1, e2, df, alpha: float = ALPHA):
    """The :class:`TwoCountTest` of element ``i`` of ``result`` (an index into its arrays)."""
    direction = int(result.direction[i])
    if direction == UNTESTABLE:
        reason = "in beide perioden 0" if (c1 == 0 and c2 == 0) else "niet te toetsen"
        return _untestable(c1, c2, e1, e2, alpha, reason)
    phi = float(result.dispersion[i])
    return TwoCountTest(
        float(c1),
        float(c2),
        float(e1),
        float(e2),
        _none(result.ratio[i]),
        _none(result.ci_low[i]),
        _none(result.ci_high[i]),
        float(result.p_value[i]),
        alpha,
        _DIRECTIONS[direction],
        "vorige periode 0: geen verhouding" if c1 == 0 else "",
        phi,
        None if phi <= 1 or df is None or not math.isfinite(df) else float(df),
        float(result.p_higher[i]),
        float(result.p_lower[i]),
    )


def compare_counts(
    count1: float | None,
    count2: float | None,
    exposure1: float | None = 1.0,
    exposure2: float | None = 1.0,
    *,
    alpha: float = ALPHA,
    dispersion: float | None = 1.0,
    dispersion_df: float | None = None,
) -> TwoCountTest:
    """The test of ``count2`` against ``count1``, adjusted for exposure and for the
    series' dispersion ``φ`` (estimated on ``dispersion_df`` degrees of freedom; ``None``:
    known). Withheld counts (``None``) and missing or non-positive exposures make the
    comparison untestable, with the reason."""
    e1, e2 = exposure1, exposure2
    if count1 is None or count2 is None:
        return _untestable(count1, count2, e1, e2, alpha, "cijfer niet gepubliceerd")
    if e1 is None or e2 is None or e1 <= 0 or e2 <= 0:
        return _untestable(count1, count2, e1, e2, alpha, "geen basis bekend")
    c1, c2 = _as_count(count1), _as_count(count2)
    if c1 is None or c2 is None or c1 < 0 or c2 < 0:
        return _untestable(count1, count2, e1, e2, alpha, "geen gehele aantallen")
    if c1 + c2 == 0:
        return _untestable(count1, count2, e1, e2, alpha, "in beide perioden 0")
    df = math.inf if dispersion_df is None else dispersion_df
    result = two_count_arrays(
        [c1], [c2], [e1], [e2], [dispersion if dispersion else 1.0], [df], alpha=alpha
    )
    return test_from_arrays(result, 0, c1, c2, e1, e2, df, alpha)
