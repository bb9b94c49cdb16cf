"""The result objects of one gemeente and series (:class:`~ivp.analysis.candidates.Evidence`
with its :class:`~ivp.analysis.change.Change`, :class:`~ivp.analysis.trend.Trend`,
:class:`~ivp.analysis.candidates.Streak` and :class:`~ivp.analysis.benchmark.Benchmark`)
from the arrays of :func:`ivp.analysis.engine.analyse`. Plain Python.

The objects are the same as :func:`ivp.analysis.candidates.evidence` builds from plain values
(``tests/test_engine.py`` checks that both give the same numbers), so pages, documents and
``--json`` read one kind of result however it was computed. The arrays are turned into
Python lists once (:func:`listed`): reading thousands of single numpy elements is slow.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from types import SimpleNamespace

import numpy as np

from ivp.analysis.benchmark import Benchmark, GroupComparison
from ivp.analysis.candidates import Evidence, Streak
from ivp.analysis.change import MEAN_YEARS, SMALL_COUNT, Change, Comparison
from ivp.analysis.significance import (
    _DIRECTIONS,
    ALPHA,
    UNTESTABLE,
    Richting,
    TwoCountTest,
)
from ivp.analysis.trend import Methode, Trend, TrendRichting

TREND_REASONS = {
    1: "minder dan 3 jaren met een cijfer",
    2: "in hoogstens één jaar misdrijven",
    3: "in alle jaren 0",
}


# arrays of one row per member (G × m) or per year that few rows need: kept as numpy and read
# row by row where needed (turning millions of them into Python objects costs a second)
KEEP_ARRAYS = frozenset({"members", "values", "missing", "boundary", "pooled_left", "fitted"})


def listed(value):
    """A dataclass of arrays as a namespace of (nested) Python lists; the arrays named in
    :data:`KEEP_ARRAYS` stay numpy, with ``<name>_count`` (per row, the number of True) for
    the boolean ones."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if f.name in KEEP_ARRAYS and isinstance(item, np.ndarray):
                fields[f.name] = item
                if item.dtype == bool:
                    fields[f"{f.name}_count"] = item.sum(axis=1).tolist()
            else:
                fields[f.name] = listed(item)
        return SimpleNamespace(**fields)
    if isinstance(value, tuple):
        return tuple(listed(v) for v in value)
    return value


def flagged_members(g, name: str, i: int, member_codes) -> tuple[str, ...]:
    """The codes of the members of row ``i`` of listed group ``g`` flagged in array
    ``name`` (missing, boundary), sorted; read only for rows that have any."""
    if not getattr(g, f"{name}_count")[i]:
        return ()
    rows = g.members[i][getattr(g, name)[i]]
    take = getattr(member_codes, "take", None)
    if take is not None:  # a batch's stacked codes: one array lookup for the whole row
        return tuple(sorted(take(rows)))
    return tuple(sorted(member_codes[m] for m in rows.tolist()))


def _f(value) -> float | None:
    return None if value is None or value != value else float(value)


def _test(t, i: int, c1, c2, e1, e2, df: float) -> TwoCountTest:
    """The :class:`TwoCountTest` of element ``i`` of listed :class:`TestArrays` ``t``."""
    if c1 is None or c2 is None:
        return TwoCountTest(
            c1,
            c2,
            e1,
            e2,
            None,
            None,
            None,
            None,
            ALPHA,
            Richting.ONBEKEND,
            "cijfer niet gepubliceerd",
        )
    direction = t.direction[i]
    if direction == UNTESTABLE:
        reason = "in beide perioden 0" if (c1 == 0 and c2 == 0) else "niet te toetsen"
        return TwoCountTest(
            c1, c2, e1, e2, None, None, None, None, ALPHA, Richting.ONBEKEND, reason
        )
    phi = t.dispersion[i]
    return TwoCountTest(
        c1,
        c2,
        e1,
        e2,
        _f(t.ratio[i]),
        _f(t.ci_low[i]),
        _f(t.ci_high[i]),
        t.p_value[i],
        ALPHA,
        _DIRECTIONS[direction],
        "vorige periode 0: geen verhouding" if c1 == 0 else "",
        phi,
        None if phi <= 1 or not math.isfinite(df) else df,
        t.p_higher[i],
        t.p_lower[i],
    )


def _comparison(ch, i: int, against: str, year: int, earlier, flagged, df: float) -> Comparison:
    count = _f(ch.count[i])
    total = _f(ch.earlier_total[i])
    earlier_count = _f(ch.earlier_count[i])
    reasons = []
    if count is None:
        reasons.append(f"{year} niet gepubliceerd")
    missing = [y for y, m in zip(earlier, ch.missing_years[i], strict=True) if m]
    if missing:
        reasons.append("niet gepubliceerd of ontbrekend: " + ", ".join(str(y) for y in missing))
    if earlier_count == 0:
        reasons.append("eerdere waarde 0: geen percentage")
    if ch.base_fallback[i]:
        reasons.append("basis ontbreekt: geen cijfer per 1.000, getoetst op aantallen")
    rate = _f(ch.rate[i])
    earlier_rate = _f(ch.earlier_rate[i])
    both = rate is not None and earlier_rate is not None
    return Comparison(
        against=against,
        years=earlier,
        count=count,
        earlier_count=earlier_count,
        count_change=None if count is None or earlier_count is None else count - earlier_count,
        count_percent=None
        if count is None or not earlier_count
        else (count - earlier_count) / earlier_count * 100,
        rate=rate,
        earlier_rate=earlier_rate,
        rate_change=rate - earlier_rate if both else None,
        rate_percent=(rate - earlier_rate) / earlier_rate * 100 if both and earlier_rate else None,
        small_count=any(c is not None and c < SMALL_COUNT for c in (count, earlier_count)),
        provisional=bool(flagged & {year, *earlier}),
        test=_test(ch.test, i, total, count, _f(ch.earlier_exposure[i]), _f(ch.exposure[i]), df),
        reason="; ".join(reasons),
    )


def _trend(tr, i: int, years, counts, base, present, window, flagged) -> Trend:
    used = tr.used[i]
    excluded = []
    for c, year in enumerate(years):
        if year < window[0] or year > window[1] or not present[c]:
            continue
        if counts[c] != counts[c]:
            excluded.append((year, "niet gepubliceerd"))
        elif not base[c] > 0:
            excluded.append((year, "geen basis bekend"))
    cols = [c for c, u in enumerate(used) if u]
    used_years = tuple(years[c] for c in cols)
    used_counts = tuple(counts[c] for c in cols)
    bases = tuple(base[c] for c in cols)
    provisional = tuple(y for y in used_years if y in flagged)
    reason_code = tr.reason[i]
    df = max(0, len(used_years) - 2)
    if reason_code:
        return Trend(
            used_years,
            used_counts,
            bases,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            df,
            (),
            ALPHA,
            TrendRichting.ONBEKEND,
            tuple(excluded),
            provisional,
            TREND_REASONS[reason_code],
        )
    slope = tr.slope[i]
    p_value = tr.p_value[i]
    if p_value < ALPHA:
        richting = TrendRichting.STIJGEND if slope > 0 else TrendRichting.DALEND
    else:
        richting = TrendRichting.GEEN
    fitted = tr.fitted[i].tolist()
    return Trend(
        used_years,
        used_counts,
        bases,
        Methode.QUASI_POISSON if tr.quasi[i] else Methode.POISSON,
        math.expm1(slope) * 100,
        tr.ci_low[i],
        tr.ci_high[i],
        p_value,
        _f(tr.dispersion[i]),
        slope,
        tr.se[i],
        df,
        tuple(fitted[c] for c in cols),
        ALPHA,
        richting,
        tuple(excluded),
        provisional,
        "",
    )


def _group(g, i: int, own_rate, member_codes: Sequence[str]) -> GroupComparison:
    missing = flagged_members(g, "missing", i, member_codes)
    boundary = flagged_members(g, "boundary", i, member_codes)
    n = g.n[i]
    f = g.funnel
    p_value = _f(f.p_value[i]) if f is not None else None
    rank = g.rank[i]
    funnel = p_value is not None
    return GroupComparison(
        name=g.name,
        value=own_rate,
        n=n,
        missing=missing,
        median=_f(g.median[i]),
        p25=_f(g.p25[i]),
        p75=_f(g.p75[i]),
        minimum=_f(g.minimum[i]),
        maximum=_f(g.maximum[i]),
        rank=None if rank != rank else int(rank),
        of=n + (1 if own_rate is not None else 0),
        percentile=_f(g.percentile[i]),
        ratio_to_median=_f(g.ratio[i]),
        limit_low=_f(f.low[i]) if funnel else None,
        limit_high=_f(f.high[i]) if funnel else None,
        z=_f(f.z[i]) if funnel else None,
        p_value=p_value,
        p_higher=_f(f.p_higher[i]) if funnel else None,
        p_lower=_f(f.p_lower[i]) if funnel else None,
        tau2=_f(f.tau2[i]) if funnel else None,
        missing_boundary=boundary,
    )


def evidence_at(
    kind,
    i: int,
    *,
    key: str,
    title: str,
    years: Sequence[int],
    provisional: frozenset[int],
    member_codes: Sequence[str],
    references: Mapping[str, float | None],
    notes: Sequence[str] = (),
    enforcement: bool = False,
    higher_is_worse: bool = True,
    trend_window: int = 5,
) -> Evidence:
    """The :class:`Evidence` of target ``i`` of ``kind`` (a :func:`listed`
    :class:`~ivp.analysis.engine.KindArrays`). ``years`` is the panel's year axis,
    ``member_codes`` the region code of each panel row, ``references`` name → rate of the
    reference areas."""
    year = kind.year
    col = kind.col
    counts = kind.counts[i]
    base = kind.base[i]
    present = kind.present[i]
    d = kind.dispersion
    phi = max(1.0, d.phi[i])
    df_value = d.df[i]
    phi_df = df_value if (phi > 1 and math.isfinite(df_value)) else None
    test_df = df_value if phi > 1 else math.inf
    previous = _comparison(kind.previous, i, "vorig jaar", year, (year - 1,), provisional, test_df)
    mean = _comparison(
        kind.mean,
        i,
        f"gemiddelde {MEAN_YEARS} jaar",
        year,
        tuple(range(year - MEAN_YEARS, year)),
        provisional,
        test_df,
    )
    count = _f(counts[col])
    moved = Change(year, count, previous.rate, year in provisional, previous, mean)
    first = year - trend_window + 1
    window = _trend(kind.trend, i, years, counts, base, present, (first, year), provisional)
    long_trend = _trend(
        kind.long_trend, i, years, counts, base, present, (-(10**9), year), provisional
    )
    length = kind.streak[i]
    if length:
        start_col = col - length
        streak = Streak(
            length,
            year - length,
            _test(
                kind.streak_test,
                i,
                _f(counts[start_col]),
                count,
                _f(base[start_col]),
                _f(base[col]),
                test_df,
            ),
        )
    else:
        streak = Streak(0, year, None)
    rate = kind.rates[i][col]
    own_rate = None if rate != rate else rate
    groups = tuple(_group(g, i, own_rate, member_codes) for g in kind.groups)
    refs = {name: _f(v) for name, v in references.items()}
    bench = Benchmark(
        value=own_rate,
        groups=groups,
        references=refs,
        ratios={
            name: (own_rate / v if own_rate is not None and v else None) for name, v in refs.items()
        },
    )
    withheld = tuple(
        y for y, ok, c in zip(years, present, counts, strict=True) if ok and y <= year and c != c
    )
    used = window.counts
    return Evidence(
        key=key,
        title=title,
        year=year,
        count=count,
        rate=own_rate,
        rate_label="per 1.000 inwoners",
        change=moved,
        trend=window,
        long_trend=long_trend,
        streak=streak,
        benchmark=bench if (groups or refs) else None,
        higher_is_worse=higher_is_worse,
        is_count=True,
        provisional=year in provisional,
        withheld=withheld,
        notes=tuple(notes),
        alpha=ALPHA,
        dispersion=phi,
        dispersion_df=phi_df,
        dispersion_own=_f(d.own[i]),
        dispersion_pool=_f(d.prior[i]),
        enforcement=enforcement,
        trend_mean_count=(sum(used) / len(used)) if used else None,
    )
