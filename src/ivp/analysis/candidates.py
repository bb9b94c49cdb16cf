"""Priority candidates: proposals with the evidence in Dutch, never a decision. Plain Python.

:func:`evidence` gathers for one series (an offence category, a theme's sum, a wijk) what
the other modules compute for the reference year; the veiligheidsbeeld builds the same
:class:`Evidence` from its batch arrays. :func:`assess_family` weighs all series of one
gemeente together; :func:`assess` weighs one series alone.

**Signals.** Each series can show five signals that it is getting worse or is worse than
elsewhere, each a one-sided test on the series' own dispersion
(:mod:`ivp.analysis.dispersion`):

==========  ==============================================================  ======
signal      test                                                            points
==========  ==============================================================  ======
niveau      above the funnel limits of its comparison group                 3/2/1
            (:mod:`ivp.analysis.funnel`; points by ratio ≥ 1.5 / ≥ 1.25 / less)
trend       trend of the last 5 years rising (quasi-Poisson)                3
reeks       ≥ 3 years worse in a row, and the last year above the year      2
            before the run
gemiddelde  the year above the mean of the three years before               2
vorig jaar  the year above the previous year                                1
==========  ==============================================================  ======

A significantly *improving* trend costs a point and is named as a caveat.

**False discoveries.** One gemeente has some 20 series × 5 signals: at 5 % each, a stable
gemeente would show several "significant" signals by chance alone. The signals of all
eligible series of a gemeente are therefore one family, and only the discoveries of the
Benjamini–Hochberg procedure (1995) at a false-discovery rate of :data:`FDR` count
(its p-values are two-sided, i.e. twice the one-sided ones, so that a signal is never
"aantoonbaar" where its verdict says "binnen de gewone schommeling"). The procedure holds
under the positive dependence these signals have (Benjamini & Yekutieli 2001).

**Proposed** are eligible series with at least one discovered signal, at most
:data:`MAX_PROPOSED`, strongest evidence first (smallest adjusted p, then points). Not
eligible, and shown with the reason:

- a series with fewer than :data:`SPARSE_MIN` offences in the year (a percentage or trend
  of a handful of offences is no reason; each signal also needs that many at both ends);
- an enforcement-driven series ("haalcriminaliteit", :func:`ivp.datasets.offences.haal_delicten`):
  its registration follows police effort, so a rise or a high level is no evidence of more
  crime;
- a field (broader than a priority: the method chooses among themes);
- a copy of another series with the same figures (a theme of one category is that
  category: it is proposed once, under the theme).

The working group chooses the priorities (the method asks for 3 to 4).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from ivp.analysis.benchmark import MIN_GROUP, Benchmark, GroupComparison, benchmark
from ivp.analysis.change import SMALL_COUNT, Change, change
from ivp.analysis.series import (
    PER,
    Series,
    YearKey,
    as_years,
    provisional_years,
    year_of,
)
from ivp.analysis.significance import (
    ALPHA,
    TwoCountTest,
    compare_counts,
    not_counts,
)
from ivp.analysis.trend import Trend, TrendRichting, trend
from ivp.datasets.rates import per_1000

TREND_WINDOW = 5
STREAK_MIN = 3
FDR = 0.10
MAX_PROPOSED = 4
SPARSE_MIN = 10
LEVEL_POINTS = ((1.5, 3), (1.25, 2), (0.0, 1))
LEVEL_SHOWN_FROM = 1.1  # a ratio this far on the worse side is named (reason or caveat)
TREND_POINTS = 3
STREAK_POINTS = 2
MEAN_POINTS = 2
PREVIOUS_POINTS = 1
IMPROVING_POINTS = -1
TREND_SHOWN_FROM = 5.0  # % a year on the worse side: named even when within the variation
TOP_PERCENT = 10
PROPOSE_AT = 1  # kept for callers: a proposal has at least one demonstrated signal

LEVEL, TREND, RUN, MEAN, PREVIOUS = "niveau", "trend", "reeks", "gemiddelde", "vorig jaar"
SIGNALS = (LEVEL, TREND, RUN, MEAN, PREVIOUS)

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

WITHIN_VARIATION = "binnen de gewone schommeling"
BEYOND_VARIATION = "meer dan de gewone schommeling"
ENFORCEMENT_NOTE = (
    "haalcriminaliteit: de registratie volgt vooral de inzet van politie en handhaving, "
    "dus een stijging of een hoog niveau wijst eerder op meer handhaving dan op meer "
    "criminaliteit; daarom niet voorgesteld"
)
FIELD_NOTE = "een veld is breder dan een prioriteit; de methode kiest prioriteiten uit de thema's"


def format_nl(value: float, digits: int = 0) -> str:
    """Dutch notation: ``1259`` → ``"1.259"``, ``1.63`` (1 digit) → ``"1,6"``."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def years_nl(count: int) -> str:
    return NUMBER_WORDS.get(count, str(count))


def join_nl(parts: Iterable[str]) -> str:
    items = [p for p in parts if p]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


@dataclass(frozen=True)
class Streak:
    """Consecutive worsening years up to the reference year."""

    length: int  # number of consecutive worsenings (3 = four years, each worse than before)
    start: int  # the year before the run
    test: TwoCountTest | None  # the reference year against ``start``


@dataclass(frozen=True)
class Evidence:
    """Everything the rules look at, for one series in one reference year."""

    key: str  # "1.1.1", a theme "thema:1.3", a wijk code
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
    dispersion: float = 1.0  # φ of the series used by the tests (≥ 1)
    dispersion_df: float | None = None  # None: Poisson (nothing estimated)
    dispersion_own: float | None = None  # the series' own estimate
    dispersion_pool: float | None = None  # the pooled estimate of similar gemeenten
    enforcement: bool = False  # registration mostly follows police effort
    trend_mean_count: float | None = None  # mean count over the trend years


@dataclass(frozen=True)
class Signal:
    """One signal of a series: its one-sided p-value towards "worse", whether the
    procedure counts it (``adjusted`` after Benjamini–Hochberg over the gemeente's family)."""

    name: str  # niveau | trend | reeks | gemiddelde | vorig jaar
    p_value: float  # one-sided, towards worse
    adjusted: float | None  # BH-adjusted (two-sided scale); None outside the family
    demonstrated: bool
    points: int
    text: str  # the Dutch phrase


@dataclass(frozen=True)
class Candidate:
    """A proposal: the score, the reasons and the caveats, in Dutch."""

    key: str
    title: str
    score: int
    reasons: tuple[str, ...]
    caveats: tuple[str, ...]
    evidence: Evidence | None = field(repr=False)  # None: weighed from batch arrays
    proposed: bool = False
    signals: tuple[Signal, ...] = ()
    adjusted_p: float | None = None  # the smallest adjusted p of its signals
    rank: int | None = None  # by strength of evidence among the gemeente's series (1 = first)
    sparse: bool = False
    enforcement: bool = False
    shown_under: str = ""  # key of the series that carries these same figures
    evidence_alpha: float = ALPHA

    @property
    def summary(self) -> str:
        """The reasons as one Dutch phrase: "a, b en c"."""
        return join_nl(self.reasons)


# -- evidence of one series (plain values) ---------------------------------------------------


def _streak(
    values: dict[int, float | None],
    counts: dict[int, float | None],
    bases: dict[int, float | None] | None,
    year: int,
    worse: int,
    alpha: float,
    is_count: bool = True,
    dispersion: float = 1.0,
    dispersion_df: float | None = None,
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
    args = {"alpha": alpha, "dispersion": dispersion, "dispersion_df": dispersion_df}
    if bases is not None:
        test = compare_counts(
            counts.get(start), counts.get(year), bases.get(start), bases.get(year), **args
        )
    else:
        test = compare_counts(counts.get(start), counts.get(year), **args)
    return Streak(length, start, test)


def own_dispersion(
    counts: Mapping[int, float | None], year: int
) -> tuple[float, float | None, float | None]:
    """(φ, df, own estimate) of one series from the counts of the years before ``year``,
    without a pool (:mod:`ivp.analysis.dispersion`); φ = 1 and df = None when it cannot be
    estimated."""
    import numpy as np

    from ivp.analysis import dispersion as disp

    years = sorted(y for y, v in counts.items() if y < year and v is not None)
    if not years:
        return 1.0, None, None
    axis = np.arange(years[0], year)
    row = np.array(
        [[counts.get(int(y)) if counts.get(int(y)) is not None else np.nan for y in axis]]
    )
    own = disp.own_dispersion(row, np.isfinite(row), axis)
    combined = disp.combine(own, np.array([0]), np.array([np.nan]), np.array([0.0]))
    if not math.isfinite(float(combined.df[0])):
        return 1.0, None, None
    return float(combined.phi[0]), float(combined.df[0]), float(own.phi[0])


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
    dispersion: float | None = None,
    dispersion_df: float | None = None,
    enforcement: bool = False,
) -> Evidence:
    """The evidence for one series: ``counts`` (withheld = ``None``) with an optional
    ``base``; ``groups`` are name → code → *rate* in ``year`` (see
    :func:`ivp.analysis.benchmark.rates_in_year`), named as they read in a sentence
    ("vergelijkbare gemeenten"); ``references`` name → rate ("het landelijk cijfer").
    Without the members' counts there are no funnel limits, so the level is shown but is
    no signal (the veiligheidsbeeld has the counts and builds the funnel).

    ``dispersion``: the series' φ (and its ``dispersion_df``); default: estimated from the
    series itself (years before ``year``), Poisson when that is not possible.
    ``boundary_change``: the year the area's boundary last changed; the base of earlier
    years is not used (it belongs to another area than the counts)."""
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
    own = None
    if dispersion is None:
        if is_count:
            dispersion, dispersion_df, own = own_dispersion(values, reference)
        else:
            dispersion, dispersion_df = 1.0, None
    phi = max(1.0, dispersion)
    phi_df = dispersion_df if phi > 1 else None
    moved = change(
        values,
        reference,
        base=bases,
        provisional=flagged,
        per=per,
        alpha=alpha,
        is_count=is_count,
        dispersion=phi,
        dispersion_df=phi_df,
    )
    window = trend(
        values,
        base=bases,
        first_year=reference - trend_window + 1,
        last_year=reference,
        provisional=flagged,
        alpha=alpha,
        is_count=is_count,
        dispersion=phi,
        dispersion_df=phi_df,
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
    streak = _streak(compared, values, bases, reference, worse, alpha, is_count, phi, phi_df)
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
    used = [c for c in window.counts] if window.counts else []
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
        dispersion=phi,
        dispersion_df=phi_df,
        dispersion_own=own,
        enforcement=enforcement,
        trend_mean_count=(sum(used) / len(used)) if used else None,
    )


# -- the facts the rules read ------------------------------------------------------------


@dataclass(frozen=True)
class GroupFacts:
    name: str
    n: int  # members with a figure
    withheld: int  # members without a published figure
    boundary: int  # members without a rate because of a boundary change

    @property
    def small(self) -> bool:
        return self.n < MIN_GROUP


@dataclass(eq=False)  # a record the rules read; no equality needed (cheaper to define)
class Facts:
    """The numbers the rules read for one series, flat: filled from an :class:`Evidence`
    (:func:`facts_of`) or straight from the batch arrays, so that both give the same
    proposals and the same Dutch texts."""

    key: str
    title: str
    year: int
    count: float | None
    rate: float | None = None
    rate_label: str = "per 1.000 inwoners"
    is_count: bool = True
    higher_is_worse: bool = True
    enforcement: bool = False
    alpha: float = ALPHA
    provisional: bool = False
    withheld: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()
    groups: tuple[GroupFacts, ...] = ()
    # the level against the first usable group (ratio None: none)
    level_group: str = ""
    level_ratio: float | None = None
    level_median: float | None = None
    level_funnel: bool = False
    level_p_higher: float | None = None
    level_p_lower: float | None = None
    level_percentile: float | None = None
    # the trend of the last years
    trend_percent: float | None = None
    trend_p: float | None = None
    trend_period: str = ""
    trend_years: int = 0
    trend_mean: float | None = None
    trend_direction: int = 0  # +1 significantly rising, −1 falling, 0 neither
    trend_reason: str = ""
    # the run of worsening years
    run_length: int = 0
    run_start: int = 0
    run_start_count: float | None = None
    run_p_higher: float | None = None
    run_p_lower: float | None = None
    # against the three-year mean and the previous year
    mean_percent: float | None = None
    mean_p_higher: float | None = None
    mean_p_lower: float | None = None
    mean_first: int = 0
    mean_last: int = 0
    mean_count: float | None = None
    mean_earlier: float | None = None
    previous_percent: float | None = None
    previous_p_higher: float | None = None
    previous_p_lower: float | None = None
    previous_year: int = 0
    previous_count: float | None = None
    previous_earlier: float | None = None


def _usable_group(groups) -> GroupComparison | None:
    return next((g for g in groups if not g.small_group and g.ratio_to_median), None)


def facts_of(ev: Evidence) -> Facts:
    """The :class:`Facts` of an :class:`Evidence`."""
    bench = ev.benchmark
    groups = bench.groups if bench is not None else ()
    level = _usable_group(groups)
    tr = ev.trend
    direction = 0
    if tr.richting is TrendRichting.STIJGEND:
        direction = 1
    elif tr.richting is TrendRichting.DALEND:
        direction = -1
    streak = ev.streak
    run_test = streak.test if streak.length else None
    mean, previous = ev.change.vs_mean, ev.change.vs_previous
    mean_ok = mean.test.p_value is not None and mean.percent is not None
    previous_ok = previous.test.p_value is not None and previous.percent is not None
    return Facts(
        key=ev.key,
        title=ev.title,
        year=ev.year,
        count=ev.count,
        rate=ev.rate,
        rate_label=ev.rate_label,
        is_count=ev.is_count,
        higher_is_worse=ev.higher_is_worse,
        enforcement=ev.enforcement,
        alpha=ev.alpha,
        provisional=ev.provisional,
        withheld=ev.withheld,
        notes=ev.notes,
        groups=tuple(
            GroupFacts(
                g.name,
                g.n,
                len(g.missing) - len(g.missing_boundary),
                len(g.missing_boundary),
            )
            for g in groups
        ),
        level_group=level.name if level else "",
        level_ratio=level.ratio_to_median if level else None,
        level_median=level.median if level else None,
        level_funnel=bool(level and level.has_funnel),
        level_p_higher=level.p_higher if level else None,
        level_p_lower=level.p_lower if level else None,
        level_percentile=level.percentile if level else None,
        trend_percent=tr.annual_percent,
        trend_p=tr.p_value,
        trend_period=tr.period,
        trend_years=len(tr.years),
        trend_mean=ev.trend_mean_count,
        trend_direction=direction,
        trend_reason=tr.reason,
        run_length=streak.length,
        run_start=streak.start,
        run_start_count=run_test.count1 if run_test is not None else None,
        run_p_higher=run_test.p_higher if run_test is not None else None,
        run_p_lower=run_test.p_lower if run_test is not None else None,
        mean_percent=mean.percent if mean_ok else None,
        mean_p_higher=mean.test.p_higher if mean_ok else None,
        mean_p_lower=mean.test.p_lower if mean_ok else None,
        mean_first=mean.years[0],
        mean_last=mean.years[-1],
        mean_count=mean.count,
        mean_earlier=mean.earlier_count,
        previous_percent=previous.percent if previous_ok else None,
        previous_p_higher=previous.test.p_higher if previous_ok else None,
        previous_p_lower=previous.test.p_lower if previous_ok else None,
        previous_year=previous.years[0],
        previous_count=previous.count,
        previous_earlier=previous.earlier_count,
    )


# -- signals ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Draft:
    name: str
    p: float  # one-sided towards worse
    eligible: bool  # enough offences to be a reason
    points: int
    text: str  # reason when demonstrated
    within_text: str  # caveat when not demonstrated ("" = not worth naming)


def _enough(*counts: float | None) -> bool:
    return all(c is not None and c >= SPARSE_MIN for c in counts)


def _level_draft(f: Facts) -> _Draft | None:
    ratio = f.level_ratio
    if ratio is None:
        return None
    worse_ratio = ratio if f.higher_is_worse else (1 / ratio if ratio else math.inf)
    points = next(p for limit, p in LEVEL_POINTS if worse_ratio >= limit)
    numbers = (
        f" ({format_nl(f.rate, 2)} tegen {format_nl(f.level_median, 2)} {f.rate_label})"
        if f.rate is not None and f.level_median is not None
        else ""
    )
    head = f"{format_nl(ratio, 1)}× de mediaan van {f.level_group}"
    shown = worse_ratio >= LEVEL_SHOWN_FROM
    if not f.level_funnel or not f.is_count:
        within = f"{head}; de gewone spreiding tussen gemeenten is onbekend" if shown else ""
        return _Draft(LEVEL, 1.0, False, points, head + numbers, within)
    p = f.level_p_higher if f.higher_is_worse else f.level_p_lower
    text = f"{head}{numbers}, meer dan de gewone spreiding tussen gemeenten"
    if f.level_percentile is not None:
        top = 100 - f.level_percentile if f.higher_is_worse else f.level_percentile
        if top <= TOP_PERCENT:
            word = "hoogste" if f.higher_is_worse else "laagste"
            text += f", bij de {TOP_PERCENT}% {word} van {f.level_group}"
    within = (
        f"{head}, maar binnen de gewone spreiding tussen gemeenten "
        f"({format_nl(f.count or 0)} in {f.year})"
        if shown
        else ""
    )
    return _Draft(LEVEL, float(p), _enough(f.count), points, text, within)


def _trend_draft(f: Facts) -> _Draft | None:
    if f.trend_percent is None or f.trend_p is None:
        return None
    rising = f.trend_percent > 0
    towards_worse = rising == f.higher_is_worse
    p = f.trend_p / 2 if towards_worse else 1 - f.trend_p / 2
    verb = "stijgt" if rising else "daalt"
    phrase = f"{verb} met gemiddeld {format_nl(abs(f.trend_percent))}% per jaar ({f.trend_period})"
    step = f.trend_percent if f.higher_is_worse else -f.trend_percent
    within = f"{phrase}, {WITHIN_VARIATION}" if step >= TREND_SHOWN_FROM else ""
    eligible = _enough(f.count, f.trend_mean) and f.trend_years >= 3
    return _Draft(TREND, p, eligible, TREND_POINTS, f"{phrase}, {BEYOND_VARIATION}", within)


def _run_draft(f: Facts) -> _Draft | None:
    if f.run_length < STREAK_MIN:
        return None
    p = f.run_p_higher if f.higher_is_worse else f.run_p_lower
    if p is None:
        return None
    rising = "gestegen" if f.higher_is_worse else "gedaald"
    head = f"{years_nl(f.run_length)} jaar op rij {rising}"
    text = head
    if f.run_start_count is not None and f.count is not None and f.is_count:
        text += (
            f" (van {format_nl(f.run_start_count)} in {f.run_start} naar "
            f"{format_nl(f.count)} in {f.year})"
        )
    return _Draft(
        RUN,
        float(p),
        _enough(f.run_start_count, f.count),
        STREAK_POINTS,
        f"{text}, samen {BEYOND_VARIATION}",
        f"{head}, samen {WITHIN_VARIATION}",
    )


def _mean_draft(f: Facts) -> _Draft | None:
    p = f.mean_p_higher if f.higher_is_worse else f.mean_p_lower
    if f.mean_percent is None or p is None:
        return None
    side = "boven" if f.mean_percent > 0 else "onder"
    phrase = (
        f"{format_nl(abs(f.mean_percent))}% {side} het gemiddelde van {f.mean_first}–{f.mean_last}"
    )
    eligible = _enough(f.mean_count, f.mean_earlier)
    return _Draft(MEAN, float(p), eligible, MEAN_POINTS, f"{phrase}, {BEYOND_VARIATION}", "")


def _previous_draft(f: Facts) -> _Draft | None:
    p = f.previous_p_higher if f.higher_is_worse else f.previous_p_lower
    if f.previous_percent is None or p is None:
        return None
    sign = "+" if f.previous_percent > 0 else "−"
    phrase = f"{sign}{format_nl(abs(f.previous_percent))}% ten opzichte van {f.previous_year}"
    eligible = _enough(f.previous_count, f.previous_earlier)
    return _Draft(
        PREVIOUS, float(p), eligible, PREVIOUS_POINTS, f"{phrase}, {BEYOND_VARIATION}", ""
    )


def _drafts(f: Facts) -> list[_Draft]:
    if not f.is_count:
        return []
    found = (_level_draft(f), _trend_draft(f), _run_draft(f), _mean_draft(f), _previous_draft(f))
    return [d for d in found if d is not None]


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """BH-adjusted p-values (q-values), in the given order."""
    m = len(p_values)
    if not m:
        return []
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        adjusted[i] = min(1.0, running)
    return adjusted


# -- the family of one gemeente --------------------------------------------------------------


@dataclass(frozen=True)
class Role:
    """How a series takes part: ``eligible`` for a proposal, or why not (``note``), and
    ``same_as`` the key of the series with the same figures that carries the proposal."""

    eligible: bool = True
    note: str = ""
    same_as: str = ""


def _is_sparse(f: Facts) -> bool:
    return f.is_count and f.count is not None and f.count < SPARSE_MIN


def _caveats(f: Facts) -> list[str]:
    """The caveats that hold whatever the signals: counts, years, groups, notes."""
    caveats: list[str] = []
    for group in f.groups:
        if group.small:
            caveats.append(
                f"vergelijking met {group.name}: {group.n} met een cijfer "
                f"(minder dan {MIN_GROUP}), niet meegeteld"
            )
        parts = []
        if group.withheld:
            parts.append(f"{group.withheld} zonder gepubliceerd cijfer")
        if group.boundary:
            parts.append(
                f"{group.boundary} zonder cijfer per 1.000 in {f.year} door een grenswijziging"
            )
        if parts:
            caveats.append(f"{group.name}: {join_nl(parts)} (niet meegeteld)")
    if _is_sparse(f):
        caveats.append(
            f"klein aantal ({format_nl(f.count or 0)} in {f.year}): te weinig om een "
            "percentage of trend als reden te geven"
        )
    elif f.is_count and f.count is not None and f.count < SMALL_COUNT:
        caveats.append(f"klein aantal ({format_nl(f.count)} in {f.year}): percentages zijn onzeker")
    if f.provisional:
        caveats.append(f"cijfers {f.year} zijn voorlopig")
    if f.withheld:
        caveats.append("niet gepubliceerd: " + ", ".join(str(y) for y in f.withheld))
    if f.trend_percent is None and f.trend_reason:
        caveats.append(f"trend: {f.trend_reason}")
    if f.trend_percent is not None and f.trend_years < 5:
        caveats.append(f"trend op {f.trend_years} jaren")
    caveats.extend(f.notes)
    return caveats


def _improving(f: Facts) -> str:
    if f.trend_percent is None or _is_sparse(f) or not f.trend_direction:
        return ""
    if (f.trend_direction > 0) == f.higher_is_worse:
        return ""
    verb = "stijgt" if f.trend_percent > 0 else "daalt"
    return (
        f"{verb} met gemiddeld {format_nl(abs(f.trend_percent))}% per jaar "
        f"({f.trend_period}), aantoonbaar"
    )


def assess_facts(
    facts: Iterable[Facts], roles: Mapping[str, Role] | None = None
) -> list[Candidate]:
    """Weigh the series of one gemeente together: signals, false-discovery control over the
    eligible ones, proposals (at most :data:`MAX_PROPOSED`, strongest first), in the order
    given. ``roles``: key → :class:`Role` (default: every series eligible). The candidates
    carry no evidence (see :func:`assess_family`)."""
    facts = list(facts)
    roles = roles or {}
    drafts = {f.key: _drafts(f) for f in facts}
    role_of = {f.key: roles.get(f.key, Role()) for f in facts}
    for f in facts:
        role = role_of[f.key]
        if role.eligible and (f.enforcement or _is_sparse(f)):
            role_of[f.key] = replace(role, eligible=False)
    family = [
        (f.key, i)
        for f in facts
        if role_of[f.key].eligible and not role_of[f.key].same_as
        for i, d in enumerate(drafts[f.key])
        if d.eligible
    ]
    two_sided = [min(1.0, 2 * drafts[key][i].p) for key, i in family]
    adjusted = dict(zip(family, benjamini_hochberg(two_sided), strict=True))
    built = {f.key: _candidate(f, drafts[f.key], adjusted, role_of[f.key]) for f in facts}
    ranked = sorted(
        (
            c
            for c in built.values()
            if role_of[c.key].eligible and not role_of[c.key].same_as and c.adjusted_p is not None
        ),
        key=_evidence_order,
    )
    rank_of = {c.key: r for r, c in enumerate(ranked, start=1)}
    strong = [c.key for c in ranked if any(s.demonstrated for s in c.signals)]
    chosen = set(strong[:MAX_PROPOSED])
    result = []
    for f in facts:
        c = built[f.key]
        caveats = c.caveats
        if c.key in strong and c.key not in chosen:
            caveats = (
                f"aantoonbaar, maar niet bij de {years_nl(MAX_PROPOSED)} sterkste signalen van "
                "deze gemeente",
                *caveats,
            )
        result.append(_with(c, proposed=c.key in chosen, rank=rank_of.get(c.key), caveats=caveats))
    by_key = {c.key: c for c in result}
    for i, c in enumerate(result):
        same = role_of[c.key].same_as
        if same and same in by_key:
            carrier = by_key[same]
            note = role_of[c.key].note
            result[i] = _with(
                carrier,
                key=c.key,
                title=c.title,
                proposed=False,
                rank=None,
                shown_under=same,
                caveats=((note,) if note else ()) + carrier.caveats,
            )
    return result


def _with(candidate: Candidate, **changes) -> Candidate:
    """``dataclasses.replace`` of a candidate without the generated field-by-field
    ``__init__`` of a frozen dataclass (Candidate has no ``__post_init__``): every series of
    every gemeente passes here once or twice, and ``replace`` was a tenth of a batch's JSON
    time."""
    new = object.__new__(Candidate)
    new.__dict__.update(candidate.__dict__, **changes)
    return new


def assess_family(
    evidences: Iterable[Evidence], roles: Mapping[str, Role] | None = None
) -> list[Candidate]:
    """:func:`assess_facts` on the facts of ``evidences``, each candidate with its own
    evidence."""
    evidences = list(evidences)
    found = assess_facts((facts_of(ev) for ev in evidences), roles)
    return [replace(c, evidence=ev) for c, ev in zip(found, evidences, strict=True)]


def _candidate(f: Facts, drafts: list[_Draft], adjusted: dict, role: Role) -> Candidate:
    reasons: list[str] = []
    caveats: list[str] = []
    signals: list[Signal] = []
    score = 0
    for i, d in enumerate(drafts):
        q = adjusted.get((f.key, i))
        if q is not None:
            demonstrated = q <= FDR and 2 * d.p < f.alpha
        else:
            # outside the family (not eligible): shown at the nominal level, not counted
            demonstrated = d.eligible and 2 * d.p < f.alpha
        signals.append(
            Signal(d.name, d.p, q, demonstrated, d.points if demonstrated else 0, d.text)
        )
        if demonstrated:
            score += d.points
            reasons.append(d.text)
        elif q is not None and 2 * d.p < f.alpha:
            caveats.append(
                d.text.replace(f", {BEYOND_VARIATION}", "").replace(
                    ", meer dan de gewone spreiding tussen gemeenten", ""
                )
                + ": op zichzelf opvallend, maar niet aantoonbaar naast de andere toetsen van "
                "deze gemeente"
            )
        elif d.within_text:
            caveats.append(d.within_text)
    improving = _improving(f)
    if improving:
        score += IMPROVING_POINTS
        caveats.append(improving)
    if f.enforcement:
        caveats.insert(0, ENFORCEMENT_NOTE)
    elif role.note and not role.same_as:
        caveats.insert(0, role.note)
    caveats.extend(_caveats(f))
    in_family = [adjusted[(f.key, i)] for i in range(len(drafts)) if (f.key, i) in adjusted]
    return Candidate(
        key=f.key,
        title=f.title,
        score=score,
        reasons=tuple(reasons),
        caveats=tuple(dict.fromkeys(caveats)),
        evidence=None,
        proposed=False,
        signals=tuple(signals),
        adjusted_p=min(in_family) if in_family else None,
        sparse=_is_sparse(f),
        enforcement=f.enforcement,
    )


# Step 2 lists, when nothing is demonstrable, the series whose strongest signal leans
# towards worse at least this much (one-sided p-value): a hint, never a reason.
NOTABLE_P = 0.10


def notable(candidate: Candidate) -> bool:
    """Whether the candidate's strongest signal leans towards worse (see NOTABLE_P)."""
    return min((s.p_value for s in candidate.signals), default=1.0) < NOTABLE_P


def strongest_signal(candidate: Candidate) -> str:
    """The candidate's strongest signal in words, with what the test says of it, e.g.
    "57% boven het gemiddelde van 2022–2024: binnen de gewone schommeling"."""
    if not candidate.signals:
        return ""
    signal = min(candidate.signals, key=lambda s: s.p_value)
    phrase = signal.text.replace(f", {BEYOND_VARIATION}", "").replace(
        ", meer dan de gewone spreiding tussen gemeenten", ""
    )
    if signal.demonstrated:
        verdict = "aantoonbaar"
    elif 2 * signal.p_value < candidate.evidence_alpha:
        verdict = "op zichzelf opvallend, maar niet aantoonbaar naast de andere toetsen"
    elif signal.name == LEVEL:
        verdict = "binnen de gewone spreiding tussen gemeenten"
    else:
        verdict = WITHIN_VARIATION
    return f"{phrase}: {verdict}"


def assess(ev: Evidence) -> Candidate:
    """One series weighed on its own (its five signals are the family)."""
    return assess_family([ev])[0]


def _evidence_order(candidate: Candidate) -> tuple:
    """Strongest evidence first: the adjusted p-value, then (among the many at 1.0) the
    smallest p-value of a signal on its own, then the points."""
    adjusted = candidate.adjusted_p if candidate.adjusted_p is not None else 2.0
    smallest = min((s.p_value for s in candidate.signals), default=1.0)
    return (adjusted, smallest, -candidate.score, candidate.key)


def _order(candidate: Candidate) -> tuple:
    return (not candidate.proposed, *_evidence_order(candidate))


def propose(evidences: Iterable[Evidence]) -> list[Candidate]:
    """The proposed series of one family, strongest first."""
    return sorted((c for c in assess_family(evidences) if c.proposed), key=_order)


def assess_all(evidences: Iterable[Evidence]) -> list[Candidate]:
    """Every series of one family with its signals, proposals first, then by evidence."""
    return sorted(assess_family(evidences), key=_order)


def by_theme(
    candidates: Iterable[Candidate], themes: Mapping[str, Iterable[str]]
) -> dict[str, list[Candidate]]:
    """Candidates grouped by theme (``themes``: series key → theme codes, e.g. from the
    offence mapping), in evidence order within each theme; a series may serve several."""
    result: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        for theme in themes.get(candidate.key, ()):
            result.setdefault(theme, []).append(candidate)
    return {theme: sorted(items, key=_order) for theme, items in sorted(result.items())}
