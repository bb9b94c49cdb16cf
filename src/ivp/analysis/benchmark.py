"""Comparison of a gemeente's rate with comparable gemeenten, the police unit and the
Netherlands. Plain Python.

Per comparison group (the CBS size class, the gemeenten of the same politie-eenheid, a
user's own selection) it gives the median of the *other* members' rates, the quartiles, the
gemeente's rank among all members, its percentile and its ratio to the median.

- Withheld values (``None``, NaN) are left out and counted (``missing``), never read as 0:
  a withheld figure is not a low figure.
- The gemeente itself is not part of the median it is compared with (``own_code`` is
  dropped from the group when present), so a group of 5 does not pull its median toward
  the gemeente.
- Rank 1 is the *highest* rate (for crime: the most); ``rank`` counts among the group's
  members with a value plus the gemeente.
- Percentile: the share of the other members with a lower rate, ties counting half
  (mid-rank), in %. 80 reads "hoger dan 80 % van de vergelijkbare gemeenten".
- A group with fewer than :data:`MIN_GROUP` (5) members with a value is flagged
  ``small_group``: its median says little.
- Reference values (the Netherlands, the police unit as one area) are ratios only.
- With the members' counts and inhabitants (the veiligheidsbeeld has them) a group also gets
  the funnel comparison of :mod:`ivp.analysis.funnel`: control limits of the ratio to the
  median that allow for the usual spread between gemeenten (``limit_low``,
  ``limit_high``, ``p_value``, :attr:`GroupComparison.spread_verdict`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ivp.analysis.series import Series, YearKey, clean_value, value_in, year_of
from ivp.datasets.rates import PER, per_1000

MIN_GROUP = 5


@dataclass(frozen=True)
class GroupComparison:
    """The gemeente against one comparison group in one year."""

    name: str
    value: float | None
    n: int  # other members with a value
    missing: tuple[str, ...]  # members whose value is withheld or unknown
    median: float | None
    p25: float | None
    p75: float | None
    minimum: float | None
    maximum: float | None
    rank: int | None  # 1 = highest, among n + 1
    of: int
    percentile: float | None  # % of the other members below the gemeente (ties half)
    ratio_to_median: float | None
    # the funnel comparison (None without members' counts or with a small group)
    limit_low: float | None = None  # 95 % limits of the ratio to the median for its size
    limit_high: float | None = None
    z: float | None = None
    p_value: float | None = None  # two-sided
    p_higher: float | None = None
    p_lower: float | None = None
    tau2: float | None = None  # between-gemeente variance (√ratio scale)
    # members without a rate because their boundary changed (a subset of ``missing``)
    missing_boundary: tuple[str, ...] = ()

    @property
    def small_group(self) -> bool:
        return self.n < MIN_GROUP

    @property
    def has_funnel(self) -> bool:
        return self.p_value is not None

    @property
    def spread_verdict(self) -> str | None:
        """ "boven de gewone spreiding", "onder de gewone spreiding", "binnen de gewone
        spreiding" (at 5 %), or None without a funnel."""
        if self.p_value is None or self.z is None:
            return None
        if self.p_value < 0.05:
            return "boven de gewone spreiding" if self.z > 0 else "onder de gewone spreiding"
        return "binnen de gewone spreiding"


@dataclass(frozen=True)
class Benchmark:
    """The gemeente's value against its groups and reference areas."""

    value: float | None
    groups: tuple[GroupComparison, ...]
    references: dict[str, float | None]  # e.g. {"Nederland": 3.1}
    ratios: dict[str, float | None]  # value / reference

    def group(self, name: str) -> GroupComparison | None:
        return next((g for g in self.groups if g.name == name), None)


def _ratio(value: float | None, reference: float | None) -> float | None:
    if value is None or reference is None or reference == 0:
        return None
    return value / reference


def compare_to_group(
    value: float | None,
    group: Mapping[str, float | None],
    *,
    own_code: str | None = None,
    name: str = "",
) -> GroupComparison:
    """The gemeente's ``value`` against the other members of ``group`` (code → value)."""
    own = clean_value(value)
    present: list[float] = []
    missing: list[str] = []
    for code, raw in group.items():
        if own_code is not None and code == own_code:
            continue
        member = clean_value(raw)
        if member is None:
            missing.append(code)
        else:
            present.append(member)
    n = len(present)
    if n:
        data = np.asarray(present)
        median = float(np.median(data))
        p25, p75 = (float(v) for v in np.percentile(data, [25, 75]))
        minimum, maximum = float(data.min()), float(data.max())
    else:
        median = p25 = p75 = minimum = maximum = None
    rank = percentile = None
    if own is not None and n:
        higher = sum(1 for v in present if v > own)
        lower = sum(1 for v in present if v < own)
        equal = n - higher - lower
        rank = higher + 1
        percentile = (lower + 0.5 * equal) / n * 100
    return GroupComparison(
        name=name,
        value=own,
        n=n,
        missing=tuple(sorted(missing)),
        median=median,
        p25=p25,
        p75=p75,
        minimum=minimum,
        maximum=maximum,
        rank=rank,
        of=n + (1 if own is not None else 0),
        percentile=percentile,
        ratio_to_median=_ratio(own, median),
    )


def benchmark(
    value: float | None,
    *,
    groups: Mapping[str, Mapping[str, float | None]] | None = None,
    references: Mapping[str, float | None] | None = None,
    own_code: str | None = None,
) -> Benchmark:
    """``value`` against each group (name → code → value) and each reference area
    (name → value, e.g. ``{"Nederland": 3.1, "politie-eenheid Rotterdam": 4.0}``)."""
    own = clean_value(value)
    compared = tuple(
        compare_to_group(own, members, own_code=own_code, name=name)
        for name, members in (groups or {}).items()
    )
    refs = {name: clean_value(v) for name, v in (references or {}).items()}
    return Benchmark(
        value=own,
        groups=compared,
        references=refs,
        ratios={name: _ratio(own, v) for name, v in refs.items()},
    )


def rates_in_year(
    counts: Mapping[str, Series],
    bases: Mapping[str, Series],
    year: YearKey,
    *,
    per: int = PER,
) -> dict[str, float | None]:
    """Code → rate in ``year`` for a group of areas (``None`` when the count is withheld or
    the base unknown), for :func:`compare_to_group`."""
    wanted = year_of(year)
    return {
        code: per_1000(value_in(series, wanted), value_in(bases.get(code), wanted), per)
        for code, series in counts.items()
    }


def pooled_rate(
    counts: Mapping[str, Series],
    bases: Mapping[str, Series],
    year: YearKey,
    *,
    per: int = PER,
) -> float | None:
    """The rate of a group as one area (sum of counts / sum of bases), e.g. the police unit.

    ``None`` when any member's count or base is withheld or unknown: a partial sum would
    understate the rate."""
    wanted = year_of(year)
    total = exposure = 0.0
    for code, series in counts.items():
        count = value_in(series, wanted)
        base = value_in(bases.get(code), wanted)
        if count is None or base is None or base <= 0:
            return None
        total += count
        exposure += base
    return per_1000(total, exposure, per) if counts else None


def _nl(value: float, digits: int) -> str:
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def spread_sentence(
    area: str, group: GroupComparison, rate_label: str = "per 1.000 inwoners"
) -> str:
    """The funnel comparison in one Dutch sentence, e.g. "Ridderkerk: 1,93 per 1.000
    inwoners, 0,9× de mediaan van vergelijkbare gemeenten (2,09), binnen de gewone
    spreiding tussen gemeenten (voor een gemeente van deze grootte 0,6× tot 1,6× de
    mediaan)." Empty without a value."""
    if group.value is None or group.median is None:
        return ""
    text = f"{area}: {_nl(group.value, 2)} {rate_label}"
    if group.ratio_to_median is not None:
        ratio = _nl(group.ratio_to_median, 1)
        text += f", {ratio}× de mediaan van {group.name} ({_nl(group.median, 2)})"
    verdict = group.spread_verdict
    if verdict is None:
        reason = (
            "te weinig gemeenten met een cijfer" if group.small_group else "geen spreiding bekend"
        )
        return f"{text}; {reason} om de gewone spreiding te bepalen."
    verdict = verdict + " tussen gemeenten"
    if group.limit_low is not None and group.limit_high is not None:
        verdict += (
            f" (voor een gemeente van deze grootte {_nl(group.limit_low, 1)}× tot "
            f"{_nl(group.limit_high, 1)}× de mediaan)"
        )
    return f"{text}, {verdict}."
