"""Priority candidates: proposals, with a score and reasons in Dutch, never a decision.
Plain Python.

:func:`evidence` gathers for one series (an offence category, a theme's aggregate, a wijk)
what the other modules compute for the reference year: count and rate, change against the
previous year and the three-year mean (with exact tests), the trend of the last
:data:`TREND_WINDOW` years, the run of consecutive rises up to the year, and the comparison
with groups and reference areas. :func:`assess` scores it by the rules below; :func:`propose`
returns the series that reach :data:`PROPOSE_AT`, best first. The working group chooses the
priorities (the method asks for 3 to 4); these proposals only show where the figures point.

Rules (points add up; "worse" is higher for crime, lower where ``higher_is_worse=False``):

=========================================================  ==========
level: ratio to the median of a comparison group with ≥ 5  ≥ 1.5: 3
members with a value (only when there is no such group:    ≥ 1.25: 2
to a reference area, e.g. the Netherlands); the largest    ≥ 1.1: 1
ratio counts, and only when the count lies beyond chance
(exact Poisson test of the count against the count the
median rate predicts, two-sided 5 %)
trend of the last 5 years worsening, significant           3
trend worsening by ≥ 5 % a year, not significant           1
worse for ≥ 3 years in a row, the last year significantly  2
worse than the year before the run (exact test); else      1
year significantly worse than the mean of the three years  2
before
year significantly worse than the previous year            1
trend of the last 5 years improving, significant           −1
=========================================================  ==========

Also shown, without points: being among the 10 % worst of a group (next to its level
reason), other ratios of ≥ 1.1. Caveats are shown with every candidate and change no
points: a ratio within chance, small counts, provisional years, withheld years, a small
comparison group, members without a figure, a significantly improving trend, a base other
than the usual one (passed in ``notes``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from scipy.stats import poisson

from ivp.analysis.benchmark import MIN_GROUP, Benchmark, GroupComparison, benchmark
from ivp.analysis.change import SMALL_COUNT, Change, change
from ivp.analysis.rates import (
    PER,
    Series,
    YearKey,
    as_years,
    provisional_years,
    year_of,
)
from ivp.analysis.significance import (
    ALPHA,
    Richting,
    TwoCountTest,
    compare_counts,
    not_counts,
)
from ivp.analysis.trend import Trend, TrendRichting, trend
from ivp.datasets.rates import per_1000

TREND_WINDOW = 5
STREAK_MIN = 3
PROPOSE_AT = 3
LEVEL_POINTS = ((1.5, 3), (1.25, 2), (1.1, 1))
TREND_POINTS_SIGNIFICANT = 3
TREND_POINTS_RISING = 1
TREND_RISING_PERCENT = 5.0
STREAK_POINTS_SIGNIFICANT = 2
STREAK_POINTS = 1
MEAN_POINTS = 2
PREVIOUS_POINTS = 1
IMPROVING_POINTS = -1
TOP_PERCENT = 10

NUMBER_WORDS = {
    2: "twee",
    3: "drie",
    4: "vier",
    5: "vijf",
    6: "zes",
    7: "zeven",
    8: "acht",
    9: "negen",
    10: "tien",
    11: "elf",
    12: "twaalf",
}


def format_nl(value: float, digits: int = 0) -> str:
    """Dutch notation: ``1259`` → ``"1.259"``, ``1.63`` (1 digit) → ``"1,6"``."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def years_nl(count: int) -> str:
    return NUMBER_WORDS.get(count, str(count))


@dataclass(frozen=True)
class Streak:
    """Consecutive worsening years up to the reference year."""

    length: int  # number of consecutive worsenings (3 = four years, each worse than before)
    start: int  # the year before the run
    test: TwoCountTest | None  # the reference year against ``start``


@dataclass(frozen=True)
class Evidence:
    """Everything the rules look at, for one series in one reference year."""

    key: str  # "1.1.1", a theme "1.3", a wijk code
    title: str
    year: int
    count: float | None
    rate: float | None
    rate_label: str
    change: Change
    trend: Trend  # the last ``trend_window`` years: what the rules use
    long_trend: Trend  # all years up to the reference year: what a report shows
    streak: Streak
    benchmark: Benchmark | None
    higher_is_worse: bool = True
    is_count: bool = True  # False: a grade or a percentage (no Poisson trend, no test)
    provisional: bool = False
    withheld: tuple[int, ...] = ()  # years without a published figure
    notes: tuple[str, ...] = ()  # caveats the caller adds (e.g. base used)
    alpha: float = ALPHA


@dataclass(frozen=True)
class Candidate:
    """A proposal: the score, the reasons and the caveats, in Dutch."""

    key: str
    title: str
    score: int
    reasons: tuple[str, ...]
    caveats: tuple[str, ...]
    evidence: Evidence = field(repr=False)

    @property
    def summary(self) -> str:
        """The reasons as one Dutch phrase: "a, b en c"."""
        return join_nl(self.reasons)


def join_nl(parts: Iterable[str]) -> str:
    items = [p for p in parts if p]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def _streak(
    values: dict[int, float | None],
    counts: dict[int, float | None],
    bases: dict[int, float | None] | None,
    year: int,
    worse: int,
    alpha: float,
    is_count: bool = True,
) -> Streak:
    length = 0
    current = year
    while True:
        now, before = values.get(current), values.get(current - 1)
        if now is None or before is None or (now - before) * worse <= 0:
            break
        length += 1
        current -= 1
    start = year - length
    if length == 0:
        return Streak(0, year, None)
    if not is_count:
        return Streak(length, start, not_counts(values.get(start), values.get(year), alpha))
    if bases is not None:
        test = compare_counts(
            counts.get(start), counts.get(year), bases.get(start), bases.get(year), alpha=alpha
        )
    else:
        test = compare_counts(counts.get(start), counts.get(year), alpha=alpha)
    return Streak(length, start, test)


def evidence(
    key: str,
    title: str,
    counts: Series,
    year: YearKey,
    *,
    base: Series | None = None,
    rate_label: str = "per 1.000 inwoners",
    per: int = PER,
    provisional: Mapping[YearKey, str] | Iterable[YearKey] | None = None,
    groups: Mapping[str, Mapping[str, float | None]] | None = None,
    references: Mapping[str, float | None] | None = None,
    own_code: str | None = None,
    higher_is_worse: bool = True,
    trend_window: int = TREND_WINDOW,
    alpha: float = ALPHA,
    is_count: bool = True,
    boundary_change: int | None = None,
    notes: Iterable[str] = (),
) -> Evidence:
    """Compute the evidence for one series: ``counts`` (withheld = ``None``) with an optional
    ``base``; ``groups`` are name → code → *rate* in ``year`` (see
    :func:`ivp.analysis.benchmark.rates_in_year`), named as they read in a sentence
    ("vergelijkbare gemeenten"); ``references`` name → rate ("het landelijk cijfer").

    ``boundary_change``: the year the area's boundary last changed; the base of earlier
    years is not used (it belongs to another area than the counts), so those years have no
    rate and drop out of the trend of the rate."""
    reference = year_of(year)
    values = as_years(counts)
    bases = as_years(base) if base is not None else None
    notes = list(notes)
    if bases is not None and boundary_change:
        if any(y < boundary_change for y in bases):
            notes.append(
                f"grens gewijzigd in {boundary_change}: geen cijfers per 1.000 voor eerdere jaren"
            )
        bases = {y: b for y, b in bases.items() if y >= boundary_change}
    flagged = provisional_years(provisional)
    moved = change(
        values,
        reference,
        base=bases,
        provisional=flagged,
        per=per,
        alpha=alpha,
        is_count=is_count,
    )
    window = trend(
        values,
        base=bases,
        first_year=reference - trend_window + 1,
        last_year=reference,
        provisional=flagged,
        alpha=alpha,
        is_count=is_count,
    )
    long_trend = trend(
        values,
        base=bases,
        last_year=reference,
        provisional=flagged,
        alpha=alpha,
        is_count=is_count,
    )
    if bases is not None:
        compared = {y: per_1000(c, bases.get(y), per) for y, c in values.items()}
    else:
        compared = dict(values)
    worse = 1 if higher_is_worse else -1
    streak = _streak(compared, values, bases, reference, worse, alpha, is_count)
    rate = per_1000(values.get(reference), bases.get(reference), per) if bases is not None else None
    level = (
        benchmark(
            rate if bases is not None else values.get(reference),
            groups=groups,
            references=references,
            own_code=own_code,
        )
        if groups or references
        else None
    )
    return Evidence(
        key=key,
        title=title,
        year=reference,
        count=values.get(reference),
        rate=rate,
        rate_label=rate_label if bases is not None else ("aantal" if is_count else "waarde"),
        change=moved,
        trend=window,
        long_trend=long_trend,
        streak=streak,
        benchmark=level,
        higher_is_worse=higher_is_worse,
        is_count=is_count,
        provisional=reference in flagged,
        withheld=tuple(y for y, v in values.items() if v is None and y <= reference),
        notes=tuple(notes),
        alpha=alpha,
    )


def _worse(direction: Richting | TrendRichting, higher_is_worse: bool) -> bool | None:
    """True when the direction is a worsening, False an improvement, None neither."""
    if direction in (Richting.TOENAME, TrendRichting.STIJGEND):
        return higher_is_worse
    if direction in (Richting.AFNAME, TrendRichting.DALEND):
        return not higher_is_worse
    return None


def level_beyond_chance(ev: Evidence, ratio: float) -> bool:
    """Is the count further from the reference than chance allows? The expected count at
    the reference's rate is ``count / ratio``; the exact Poisson test asks whether the
    observed count lies outside the central ``1 - alpha`` of that Poisson distribution
    (on the side that is worse)."""
    count = ev.count
    if count is None or ratio <= 0:
        return False
    expected = count / ratio
    if ev.higher_is_worse:
        return bool(poisson.sf(count - 1, expected) < ev.alpha / 2)
    return bool(poisson.cdf(count, expected) < ev.alpha / 2)


def _level(ev: Evidence) -> tuple[int, list[str], list[str]]:
    """Points for the level, the reasons and the caveats."""
    reasons: list[str] = []
    caveats: list[str] = []
    best = 0
    bench = ev.benchmark
    if bench is None:
        return 0, reasons, caveats
    usable: list[GroupComparison] = []
    for group in bench.groups:
        if group.small_group:
            caveats.append(
                f"vergelijking met {group.name}: {group.n} met een cijfer "
                f"(minder dan {MIN_GROUP}), niet meegeteld"
            )
        elif group.ratio_to_median is not None:
            usable.append(group)
    # (ratio, what it is against, counts for the points, group): groups first; reference
    # areas (the Netherlands, the police unit as a whole) count only when no group is
    # usable, since a gemeente is best compared with gemeenten of its own size.
    ratios: list[tuple[float, str, bool, GroupComparison | None]] = [
        (g.ratio_to_median, f"de mediaan van {g.name}", True, g)  # type: ignore[misc]
        for g in usable
    ]
    ratios += [(r, name, not usable, None) for name, r in bench.ratios.items() if r is not None]
    for ratio, against, counts, group in ratios:
        worse_ratio = ratio if ev.higher_is_worse else (1 / ratio if ratio else math.inf)
        points = next((p for limit, p in LEVEL_POINTS if worse_ratio >= limit), 0)
        if not points:
            continue
        text = f"{format_nl(ratio, 1)}× {against}"
        if ev.is_count and not level_beyond_chance(ev, ratio):
            caveats.append(
                f"{text}, maar binnen de toevalsmarge ({format_nl(ev.count or 0)} in {ev.year})"
            )
            continue
        reasons.append(text)
        if counts:
            best = max(best, points)
        if group is not None and group.percentile is not None:
            top = 100 - group.percentile if ev.higher_is_worse else group.percentile
            if top <= TOP_PERCENT:
                word = "hoogste" if ev.higher_is_worse else "laagste"
                reasons.append(f"bij de {TOP_PERCENT}% {word} van {group.name}")
    for group in bench.groups:
        if group.missing:
            caveats.append(
                f"{group.name}: {len(group.missing)} zonder gepubliceerd cijfer (niet meegeteld)"
            )
    return best, reasons, caveats


def assess(ev: Evidence) -> Candidate:
    """Score one series by the rules of this module."""
    score, reasons, caveats = _level(ev)
    rising = "gestegen" if ev.higher_is_worse else "gedaald"

    streak = ev.streak
    if streak.length >= STREAK_MIN:
        significant = streak.test is not None and _worse(streak.test.richting, ev.higher_is_worse)
        text = f"{years_nl(streak.length)} jaar op rij {rising}"
        if significant:
            text += " (significant)"
            score += STREAK_POINTS_SIGNIFICANT
        else:
            score += STREAK_POINTS
        reasons.append(text)

    tr = ev.trend
    if tr.annual_percent is not None:
        worse = _worse(tr.richting, ev.higher_is_worse)
        pct = format_nl(abs(tr.annual_percent))
        verb = "stijgt" if tr.annual_percent > 0 else "daalt"
        if worse is True:
            score += TREND_POINTS_SIGNIFICANT
            reasons.append(f"{verb} met gemiddeld {pct}% per jaar ({tr.period}, significant)")
        elif worse is False:
            score += IMPROVING_POINTS
            caveats.append(f"{verb} met gemiddeld {pct}% per jaar ({tr.period}, significant)")
        else:
            step = tr.annual_percent if ev.higher_is_worse else -tr.annual_percent
            if step >= TREND_RISING_PERCENT:
                score += TREND_POINTS_RISING
                reasons.append(
                    f"{verb} met gemiddeld {pct}% per jaar ({tr.period}, niet significant)"
                )
    elif tr.reason:
        caveats.append(f"trend: {tr.reason}")

    mean = ev.change.vs_mean
    if _worse(mean.test.richting, ev.higher_is_worse) and mean.percent is not None:
        side = "boven" if mean.percent > 0 else "onder"
        first, last = mean.years[0], mean.years[-1]
        reasons.append(
            f"{format_nl(abs(mean.percent))}% {side} het gemiddelde van {first}–{last} "
            "(significant)"
        )
        score += MEAN_POINTS
    previous = ev.change.vs_previous
    if _worse(previous.test.richting, ev.higher_is_worse) and previous.percent is not None:
        sign = "+" if previous.percent > 0 else "−"
        reasons.append(
            f"{sign}{format_nl(abs(previous.percent))}% ten opzichte van {previous.years[0]} "
            "(significant)"
        )
        score += PREVIOUS_POINTS

    if ev.is_count and ev.count is not None and ev.count < SMALL_COUNT:
        caveats.append(
            f"klein aantal ({format_nl(ev.count)} in {ev.year}): percentages zijn onzeker"
        )
    if ev.provisional:
        caveats.append(f"cijfers {ev.year} zijn voorlopig")
    if ev.withheld:
        caveats.append("niet gepubliceerd: " + ", ".join(str(y) for y in ev.withheld))
    if tr.few_years and tr.annual_percent is not None:
        caveats.append(f"trend op {len(tr.years)} jaren")
    caveats.extend(ev.notes)
    return Candidate(ev.key, ev.title, score, tuple(reasons), tuple(caveats), ev)


def _order(candidate: Candidate) -> tuple:
    bench = candidate.evidence.benchmark
    ratios = [g.ratio_to_median for g in bench.groups if g.ratio_to_median] if bench else []
    return (-candidate.score, -(max(ratios) if ratios else 0.0), candidate.key)


def propose(evidences: Iterable[Evidence], *, min_score: int = PROPOSE_AT) -> list[Candidate]:
    """The series that reach ``min_score``, best first (score, then ratio to the median)."""
    assessed = [assess(ev) for ev in evidences]
    return sorted((c for c in assessed if c.score >= min_score), key=_order)


def assess_all(evidences: Iterable[Evidence]) -> list[Candidate]:
    """Every series with its score and reasons, best first (also those below the bar)."""
    return sorted((assess(ev) for ev in evidences), key=_order)


def by_theme(
    candidates: Iterable[Candidate], themes: Mapping[str, Iterable[str]]
) -> dict[str, list[Candidate]]:
    """Candidates grouped by theme (``themes``: series key → theme codes, e.g. from the
    offence mapping), best first within each theme; a series may serve several themes."""
    result: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        for theme in themes.get(candidate.key, ()):
            result.setdefault(theme, []).append(candidate)
    return {theme: sorted(items, key=_order) for theme, items in sorted(result.items())}
