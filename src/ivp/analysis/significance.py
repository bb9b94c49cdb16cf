"""Is the difference between two counts more than chance? An exact test. Plain Python.

Registered crime counts are treated as Poisson counts. To compare count ``c1`` (exposure
``e1``: inhabitants, dwellings, or a number of years) with count ``c2`` (exposure ``e2``),
the test conditions on the total ``n = c1 + c2``: if both periods have the same underlying
rate, ``c2`` follows a binomial distribution with ``n`` trials and probability
``e2 / (e1 + e2)``. That gives an exact p-value (two-sided: the sum of the probabilities of
all outcomes no more likely than the observed one, as ``scipy.stats.binomtest`` and R's
``binom.test`` compute it)
without any large-sample approximation, which matters for the small counts of a gemeente or
a wijk. The confidence interval of the rate ratio follows from the Clopper-Pearson interval
of that binomial proportion.

The same test compares a year with the three years before it: ``c1`` is the sum of those
three years, ``e1`` the sum of their bases (or 3 without a base).

"Geen aantoonbare verandering" means the data cannot show a change, not that there was
none: with small counts only large changes can be shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy.special import betaincinv
from scipy.stats import binom

ALPHA = 0.05


class Richting(StrEnum):
    TOENAME = "toename"
    AFNAME = "afname"
    GEEN = "geen"  # no demonstrable change
    ONBEKEND = "onbekend"  # not testable


VERDICTS = {
    Richting.TOENAME: "significante toename",
    Richting.AFNAME: "significante afname",
    Richting.GEEN: "geen aantoonbare verandering",
    Richting.ONBEKEND: "niet te toetsen",
}


@dataclass(frozen=True)
class TwoCountTest:
    """The exact test of ``count2`` (later, or the year of interest) against ``count1``."""

    count1: float | None
    count2: float | None
    exposure1: float | None
    exposure2: float | None
    rate_ratio: float | None  # (count2/exposure2) / (count1/exposure1)
    ci_low: float | None  # 95 % interval of the rate ratio (at level 1 - alpha)
    ci_high: float | None  # None when unbounded (count1 = 0)
    p_value: float | None
    alpha: float
    richting: Richting
    reason: str = ""

    @property
    def significant(self) -> bool:
        return self.richting in (Richting.TOENAME, Richting.AFNAME)

    @property
    def verdict(self) -> str:
        """Dutch, e.g. "significante toename", "geen aantoonbare verandering"."""
        text = VERDICTS[self.richting]
        return f"{text} ({self.reason})" if self.richting is Richting.ONBEKEND else text


def _untestable(c1, c2, e1, e2, alpha, reason) -> TwoCountTest:
    return TwoCountTest(c1, c2, e1, e2, None, None, None, None, alpha, Richting.ONBEKEND, reason)


RELATIVE_TOLERANCE = 1 + 1e-7  # as scipy.stats.binomtest


def binomial_two_sided(k: int, n: int, p: float) -> float:
    """Two-sided exact binomial p-value: the total probability of all outcomes no more
    likely than ``k`` (the "minlike" rule of ``scipy.stats.binomtest`` and R's
    ``binom.test``), computed in one vectorised pass."""
    if p <= 0 or p >= 1:
        return 1.0 if (p <= 0 and k == 0) or (p >= 1 and k == n) else 0.0
    logpmf = binom.logpmf(np.arange(n + 1), n, p)
    bar = logpmf[k] + np.log(RELATIVE_TOLERANCE)
    return float(min(1.0, np.exp(logpmf[logpmf <= bar]).sum()))


def clopper_pearson(k: int, n: int, alpha: float = ALPHA) -> tuple[float, float]:
    """The exact (Clopper-Pearson) interval of a binomial proportion ``k / n``."""
    low = 0.0 if k == 0 else float(betaincinv(k, n - k + 1, alpha / 2))
    high = 1.0 if k == n else float(betaincinv(k + 1, n - k, 1 - alpha / 2))
    return low, high


def not_counts(value1: float | None, value2: float | None, alpha: float = ALPHA) -> TwoCountTest:
    """The result for values that are not counts (grades, percentages): no test."""
    return _untestable(value1, value2, None, None, alpha, "geen aantallen")


def _as_count(value: float) -> int | None:
    rounded = round(value)
    return int(rounded) if abs(value - rounded) < 1e-9 else None


def compare_counts(
    count1: float | None,
    count2: float | None,
    exposure1: float | None = 1.0,
    exposure2: float | None = 1.0,
    *,
    alpha: float = ALPHA,
) -> TwoCountTest:
    """Exact conditional test of ``count2`` against ``count1``, adjusted for exposure.

    Counts must be whole numbers (registered offences are); withheld counts (``None``) and
    missing or non-positive exposures make the comparison untestable, with the reason.
    """
    e1, e2 = exposure1, exposure2
    if count1 is None or count2 is None:
        return _untestable(count1, count2, e1, e2, alpha, "cijfer niet gepubliceerd")
    if e1 is None or e2 is None or e1 <= 0 or e2 <= 0:
        return _untestable(count1, count2, e1, e2, alpha, "geen basis bekend")
    c1, c2 = _as_count(count1), _as_count(count2)
    if c1 is None or c2 is None or c1 < 0 or c2 < 0:
        return _untestable(count1, count2, e1, e2, alpha, "geen gehele aantallen")
    n = c1 + c2
    if n == 0:
        return _untestable(count1, count2, e1, e2, alpha, "in beide perioden 0")
    p0 = e2 / (e1 + e2)
    p_value = binomial_two_sided(c2, n, p0)
    low, high = clopper_pearson(c2, n, alpha)
    scale = e1 / e2

    def odds(p: float) -> float | None:
        return None if p >= 1 else p / (1 - p) * scale

    ratio = None if c1 == 0 else (c2 / e2) / (c1 / e1)
    if p_value < alpha:
        richting = Richting.TOENAME if c2 / e2 > c1 / e1 else Richting.AFNAME
    else:
        richting = Richting.GEEN
    return TwoCountTest(
        float(c1),
        float(c2),
        float(e1),
        float(e2),
        ratio,
        odds(low),
        odds(high),
        p_value,
        alpha,
        richting,
        "vorige periode 0: geen verhouding" if c1 == 0 else "",
    )
