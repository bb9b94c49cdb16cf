"""Yearly series: values year by year and their rates per 1,000 of a base. Plain Python.

A *series* is a mapping from year to value, as the data layer hands it over: keys are year
strings (``"2018"``), CBS year codes (``"2018JJ00"``) or ints; a value is a number or
``None``. ``None`` means *withheld* (the source left the cell empty): it is never read as 0,
never summed and never used in a trend or a test. A year that is not in the mapping has no
figure at all. Every result of this package uses year strings (``"2018"``) as keys.

The rate of one figure is computed by :func:`ivp.datasets.rates.per_1000` (the same function
the data pages use, so a rate is the same number everywhere). This module adds what a
*series* needs:

- one base for the whole series (:func:`choose_base`): residential burglary (1.1.1) per
  1,000 dwellings only when dwellings are known for every year with a count, otherwise per
  1,000 inhabitants with the reason; mixing bases between years would make a trend of
  nothing;
- years before a boundary change get no rate (47018NED counts every year in the newest
  division, population is per year's own division);
- provisional years are flagged;
- :func:`sum_series` adds areas (a joint plan, a base team as fallback for a small
  gemeente) only in years where every part has a value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ivp.datasets.rates import NOEMER_LABELS, PER, PER_DWELLINGS_CODES, Noemer, per_1000

YearKey = str | int
Series = Mapping[YearKey, float | int | None]

# Status words and the stored codes of ``datasets.Observation.Status`` ("v", "nv").
PROVISIONAL_STATUSES = frozenset({"voorlopig", "nader_voorlopig", "nader voorlopig", "v", "nv"})

_YEAR = re.compile(r"^(\d{4})(?:JJ00)?$")


def year_of(key: YearKey) -> int:
    """``"2018"``, ``"2018JJ00"`` or ``2018`` → ``2018``; anything else is a ``ValueError``
    (a month or quarter is not a year)."""
    if isinstance(key, bool):
        raise ValueError(f"{key!r} is geen jaar")
    if isinstance(key, int):
        return key
    match = _YEAR.match(str(key).strip().upper())
    if not match:
        raise ValueError(f"{key!r} is geen jaar (verwacht 2018 of 2018JJ00)")
    return int(match.group(1))


def year_key(year: int) -> str:
    """The key results use: ``2018`` → ``"2018"``."""
    return str(year)


def clean_value(value: object) -> float | None:
    """A number, or ``None`` for withheld (``None``, NaN, an empty string)."""
    if value is None or value == "":
        return None
    number = float(value)  # type: ignore[arg-type]
    if math.isnan(number):
        return None
    return number


def as_years(series: Series | None) -> dict[int, float | None]:
    """The series keyed by int year, sorted; NaN and empty become ``None`` (withheld).

    Raises ``ValueError`` for a key that is not a year, for a year given twice (``"2018"``
    and ``"2018JJ00"``) and for a negative value.
    """
    result: dict[int, float | None] = {}
    for key, raw in (series or {}).items():
        year = year_of(key)
        if year in result:
            raise ValueError(f"jaar {year} komt twee keer voor")
        value = clean_value(raw)
        if value is not None and value < 0:
            raise ValueError(f"negatieve waarde {value} in {year}")
        result[year] = value
    return dict(sorted(result.items()))


def value_in(series: Series | None, year: YearKey) -> float | None:
    """The value of one year (``None`` when withheld or absent), without converting the
    whole series; the key may be ``"2018"``, ``"2018JJ00"`` or ``2018``."""
    if not series:
        return None
    wanted = year_of(year)
    for key in (str(wanted), f"{wanted:04d}JJ00", wanted):
        if key in series:
            value = clean_value(series[key])  # type: ignore[index]
            if value is not None and value < 0:
                raise ValueError(f"negatieve waarde {value} in {wanted}")
            return value
    return None


def provisional_years(status: Mapping[YearKey, str] | Iterable[YearKey] | None) -> frozenset[int]:
    """Years whose figures are provisional.

    Accepts a mapping year → status (as ``datasets.queries.Figures.status``: ``voorlopig``,
    ``nader_voorlopig``, ``definitief``; keys may be CBS period codes, months and quarters
    are ignored) or an iterable of years that are provisional.
    """
    if status is None:
        return frozenset()
    if isinstance(status, Mapping):
        years = set()
        for key, value in status.items():
            try:
                year = year_of(key)
            except ValueError:
                continue
            if str(value or "").strip().lower() in PROVISIONAL_STATUSES:
                years.add(year)
        return frozenset(years)
    return frozenset(year_of(key) for key in status)


@dataclass(frozen=True)
class BaseChoice:
    """The base of a whole series: which one, its values per year, and why."""

    noemer: Noemer
    values: dict[int, float | None]
    label: str
    reason: str = ""


def choose_base(
    soort_misdrijf: str = "",
    *,
    counts: Series | None = None,
    inhabitants: Series | None = None,
    dwellings: Series | None = None,
) -> BaseChoice:
    """The base for one series.

    Residential burglary (1.1.1) is given per 1,000 dwellings when dwellings are known for
    every year that has a count; otherwise (and for every other category) per 1,000
    inhabitants. One base for all years: a series that switches base between years cannot
    be compared over time.
    """
    people = as_years(inhabitants)
    if soort_misdrijf in PER_DWELLINGS_CODES:
        homes = as_years(dwellings)
        needed = [y for y, v in as_years(counts).items() if v is not None] if counts else []
        if homes and all((homes.get(y) or 0) > 0 for y in needed or homes):
            return BaseChoice(Noemer.WONINGEN, homes, NOEMER_LABELS[Noemer.WONINGEN])
        reason = (
            "aantal woningen niet voor alle jaren bekend; per 1.000 inwoners berekend"
            if homes
            else "aantal woningen onbekend; per 1.000 inwoners berekend"
        )
        return BaseChoice(Noemer.INWONERS, people, NOEMER_LABELS[Noemer.INWONERS], reason)
    return BaseChoice(Noemer.INWONERS, people, NOEMER_LABELS[Noemer.INWONERS])


@dataclass(frozen=True)
class RatePoint:
    """One year of a series: the count, its base and the rate (``None`` with a reason)."""

    year: int
    count: float | None
    base: float | None
    rate: float | None
    provisional: bool = False
    reason: str = ""

    @property
    def withheld(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class RateSeries:
    """Rates of one series on one base, year by year."""

    points: tuple[RatePoint, ...]
    noemer: Noemer
    label: str  # "per 1.000 inwoners"
    per: int = PER
    reason: str = ""  # about the base of the whole series

    def point(self, year: YearKey) -> RatePoint | None:
        wanted = year_of(year)
        return next((p for p in self.points if p.year == wanted), None)

    def rate(self, year: YearKey) -> float | None:
        point = self.point(year)
        return None if point is None else point.rate

    @property
    def rates(self) -> dict[str, float | None]:
        return {year_key(p.year): p.rate for p in self.points}

    @property
    def counts(self) -> dict[str, float | None]:
        return {year_key(p.year): p.count for p in self.points}

    @property
    def bases(self) -> dict[str, float | None]:
        return {year_key(p.year): p.base for p in self.points}

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(p.year for p in self.points)


def rate_series(
    counts: Series,
    base: Series | None,
    *,
    per: int = PER,
    noemer: Noemer = Noemer.INWONERS,
    label: str | None = None,
    provisional: Mapping[YearKey, str] | Iterable[YearKey] | None = None,
    boundary_change: int | None = None,
    reason: str = "",
) -> RateSeries:
    """Rates per ``per`` of ``base`` for every year of ``counts``.

    A year without a count (withheld) or without a base has rate ``None`` with the reason;
    so has a year before ``boundary_change`` (the year a gemeente's boundary last changed).
    """
    values = as_years(counts)
    bases = as_years(base)
    flagged = provisional_years(provisional)
    points = []
    for year, count in values.items():
        denominator = bases.get(year)
        why = ""
        value: float | None = None
        if count is None:
            why = "niet gepubliceerd (geheimgehouden of ontbrekend)"
        elif boundary_change and year < boundary_change:
            why = (
                f"grens gewijzigd in {boundary_change}: de basis van {year} hoort bij een "
                "ander gebied dan de misdrijfcijfers"
            )
            denominator = None
        elif denominator is None or denominator <= 0:
            why = "geen basis (inwoners of woningen) bekend"
        else:
            value = per_1000(count, denominator, per)
        points.append(RatePoint(year, count, denominator, value, year in flagged, why))
    return RateSeries(
        tuple(points), noemer, label or NOEMER_LABELS.get(noemer, f"per {per}"), per, reason
    )


def rate_series_for(
    soort_misdrijf: str,
    counts: Series,
    *,
    inhabitants: Series | None = None,
    dwellings: Series | None = None,
    provisional: Mapping[YearKey, str] | Iterable[YearKey] | None = None,
    boundary_change: int | None = None,
) -> RateSeries:
    """Rates of one offence category on the base :func:`choose_base` picks."""
    choice = choose_base(
        soort_misdrijf, counts=counts, inhabitants=inhabitants, dwellings=dwellings
    )
    return rate_series(
        counts,
        choice.values,
        noemer=choice.noemer,
        label=choice.label,
        provisional=provisional,
        boundary_change=boundary_change,
        reason=choice.reason,
    )


def sum_series(*series: Series) -> dict[str, float | None]:
    """The sum of several areas' series (a group of gemeenten, a base team).

    A year is summed only when every part has a value; if any part is withheld (or lacks the
    year while others have it) the sum is ``None``: a total with missing parts is no total.
    """
    parts = [as_years(s) for s in series]
    years = sorted(set().union(*parts)) if parts else []
    result: dict[str, float | None] = {}
    for year in years:
        values = [part.get(year) for part in parts]
        result[year_key(year)] = (
            None if any(v is None for v in values) else float(sum(values))  # type: ignore[arg-type]
        )
    return result
