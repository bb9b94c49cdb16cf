"""Change of a year against the previous year and against the mean of the three years
before, absolute and in %, with the context that keeps a percentage honest. Plain Python.

For a reference year ``Y`` and a series of counts (optionally with a base, e.g. inhabitants):

- *against the previous year*: ``Y`` versus ``Y-1``;
- *against the three-year mean*: ``Y`` versus the mean of ``Y-3``, ``Y-2``, ``Y-1``; the mean
  needs all three years (a mean of two years under the name of three misleads).

Each comparison gives the counts, the absolute and % change of the count, the rates and the
absolute and % change of the rate when a base is given, and the test of
:mod:`ivp.analysis.significance` with the series' dispersion (``dispersion=``; 1 =
Poisson). For the three-year mean the year is tested against the sum of the three years,
with their bases, or 1 : 3 without a base; when a base is missing for one of the years the
test falls back to the counts and the reason says so.

Context:

- ``percent`` is ``None`` when the earlier value is 0 (no percentage of nothing) or missing;
- ``small_count`` is set when the year's count or the earlier count (mean) is below
  :data:`SMALL_COUNT` (100). With no real change, chance alone moves a count between two
  years within a band of ``exp(±1.96·√(2/n))``: −24 % to +32 % at n = 100, −29 % to +41 %
  at 65 (many gemeenten' burglaries), −40 % to +66 % at 30. A percentage with this flag
  must be shown with its count and the test's verdict;
- ``provisional`` is set when either year is provisional.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ivp.analysis.series import PER, Series, YearKey, as_years, provisional_years, year_of
from ivp.analysis.significance import ALPHA, TwoCountTest, compare_counts, not_counts
from ivp.datasets.rates import per_1000

SMALL_COUNT = 100
MEAN_YEARS = 3


@dataclass(frozen=True)
class Comparison:
    """The reference year against one earlier value (a year or a mean of years)."""

    against: str  # "vorig jaar" or "gemiddelde 3 jaar"
    years: tuple[int, ...]  # the earlier year(s)
    count: float | None  # the reference year's count
    earlier_count: float | None  # the earlier count (mean of counts for the mean)
    count_change: float | None  # absolute
    count_percent: float | None
    rate: float | None
    earlier_rate: float | None  # for the mean: the mean of the three yearly rates
    rate_change: float | None
    rate_percent: float | None
    small_count: bool
    provisional: bool
    test: TwoCountTest
    reason: str = ""  # why something is None

    @property
    def percent(self) -> float | None:
        """The % change users quote: of the rate when both rates are known, else of the
        count."""
        if self.rate is not None and self.earlier_rate is not None:
            return self.rate_percent
        return self.count_percent

    @property
    def verdict(self) -> str:
        return self.test.verdict


@dataclass(frozen=True)
class Change:
    """Change of the reference year against the previous year and the three-year mean."""

    year: int
    count: float | None
    rate: float | None
    provisional: bool
    vs_previous: Comparison
    vs_mean: Comparison


def _percent(now: float | None, before: float | None) -> float | None:
    if now is None or before is None or before == 0:
        return None
    return (now - before) / before * 100


def _minus(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def _compare(
    against: str,
    year: int,
    earlier: tuple[int, ...],
    counts: dict[int, float | None],
    bases: dict[int, float | None] | None,
    flagged: frozenset[int],
    per: int,
    small: int,
    alpha: float,
    is_count: bool,
    dispersion: float = 1.0,
    dispersion_df: float | None = None,
) -> Comparison:
    count = counts.get(year)
    earlier_counts = [counts.get(y) for y in earlier]
    reasons = []
    if count is None:
        reasons.append(f"{year} niet gepubliceerd")
    missing = [y for y, c in zip(earlier, earlier_counts, strict=True) if c is None]
    if missing:
        reasons.append("niet gepubliceerd of ontbrekend: " + ", ".join(str(y) for y in missing))
    earlier_total = None if missing else sum(earlier_counts)  # type: ignore[arg-type]
    earlier_count = None if earlier_total is None else earlier_total / len(earlier)
    if earlier_count == 0:
        reasons.append("eerdere waarde 0: geen percentage")

    rate = earlier_rate = None
    exposure_now: float | None = 1.0
    exposure_before: float | None = float(len(earlier))
    if bases is not None:
        base_now = bases.get(year)
        earlier_bases = [bases.get(y) for y in earlier]
        rate = per_1000(count, base_now, per)
        earlier_rates = [
            per_1000(c, b, per) for c, b in zip(earlier_counts, earlier_bases, strict=True)
        ]
        if any(r is None for r in earlier_rates) or rate is None:
            if count is not None and not missing:
                # The test falls back to the counts (one unit of exposure per year).
                reasons.append("basis ontbreekt: geen cijfer per 1.000, getoetst op aantallen")
        else:
            earlier_rate = sum(earlier_rates) / len(earlier_rates)  # type: ignore[arg-type]
            exposure_now = base_now
            exposure_before = sum(earlier_bases)  # type: ignore[arg-type]
    if is_count:
        test = compare_counts(
            earlier_total,
            count,
            exposure_before,
            exposure_now,
            alpha=alpha,
            dispersion=dispersion,
            dispersion_df=dispersion_df,
        )
    else:
        test = not_counts(earlier_total, count, alpha)
    small_count = is_count and any(c is not None and c < small for c in (count, earlier_count))
    return Comparison(
        against=against,
        years=earlier,
        count=count,
        earlier_count=earlier_count,
        count_change=_minus(count, earlier_count),
        count_percent=_percent(count, earlier_count),
        rate=rate,
        earlier_rate=earlier_rate,
        rate_change=_minus(rate, earlier_rate),
        rate_percent=_percent(rate, earlier_rate),
        small_count=small_count,
        provisional=bool(flagged & {year, *earlier}),
        test=test,
        reason="; ".join(reasons),
    )


def change(
    counts: Series,
    year: YearKey,
    *,
    base: Series | None = None,
    provisional: Mapping[YearKey, str] | Iterable[YearKey] | None = None,
    per: int = PER,
    small_count: int = SMALL_COUNT,
    alpha: float = ALPHA,
    is_count: bool = True,
    dispersion: float = 1.0,
    dispersion_df: float | None = None,
) -> Change:
    """Change of ``year`` against the previous year and the mean of the three years before.

    ``counts`` are whole counts (withheld = ``None``); ``base`` (inhabitants, dwellings) adds
    rates and makes the tests adjust for a changing base. ``is_count=False`` (a survey
    grade, a percentage) gives the differences without a test and without ``small_count``:
    the test is for counts only. ``dispersion``: the series' φ (on ``dispersion_df``
    degrees of freedom; None: known), see :mod:`ivp.analysis.dispersion`.
    """
    reference = year_of(year)
    values = as_years(counts)
    bases = as_years(base) if base is not None else None
    flagged = provisional_years(provisional)
    args = (values, bases, flagged, per, small_count, alpha, is_count, dispersion, dispersion_df)
    previous = _compare("vorig jaar", reference, (reference - 1,), *args)
    mean = _compare(
        f"gemiddelde {MEAN_YEARS} jaar",
        reference,
        tuple(range(reference - MEAN_YEARS, reference)),
        *args,
    )
    return Change(
        year=reference,
        count=values.get(reference),
        rate=previous.rate,
        provisional=reference in flagged,
        vs_previous=previous,
        vs_mean=mean,
    )


def compare_years(
    counts: Series,
    year1: YearKey,
    year2: YearKey,
    *,
    base: Series | None = None,
    alpha: float = ALPHA,
) -> TwoCountTest:
    """The exact test of ``year2`` against ``year1`` of one series (adjusted for the base
    when given)."""
    values = as_years(counts)
    y1, y2 = year_of(year1), year_of(year2)
    if base is None:
        return compare_counts(values.get(y1), values.get(y2), alpha=alpha)
    bases = as_years(base)
    return compare_counts(values.get(y1), values.get(y2), bases.get(y1), bases.get(y2), alpha=alpha)


def usual_change(count: float | None, dispersion: float = 1.0) -> tuple[float, float] | None:
    """The band (in %) within which a year-on-year change of a series with ``count``
    offences a year and dispersion ``φ`` stays by chance alone, 95 times in 100:
    ``exp(±1.96·√(2φ/count))``. None without a count."""
    if not count or count <= 0:
        return None
    half = 1.959963984540054 * math.sqrt(2 * max(dispersion, 1.0) / count)
    return (math.exp(-half) - 1) * 100, (math.exp(half) - 1) * 100
