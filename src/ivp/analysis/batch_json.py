"""The JSON of a batch straight from the engine's arrays. Plain Python.

``ivp analyse --all --json`` prints some 13,000 series. Building the result objects of
:mod:`ivp.analysis.from_arrays` for each (and turning them into JSON again) would cost more
than the whole calculation, so the batch writes the JSON of :func:`series_json_at` directly
from the listed arrays, and weighs the candidates from :class:`~ivp.analysis.candidates.Facts`
filled from the same arrays (:func:`facts_at`). ``veiligheidsbeeld.series_json`` writes the
same JSON from the objects of one gemeente; ``tests/test_veiligheidsbeeld.py`` checks that
both are equal, key for key.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from types import SimpleNamespace

import numpy as np

from ivp.analysis.candidates import Candidate, Facts, GroupFacts
from ivp.analysis.change import MEAN_YEARS, SMALL_COUNT
from ivp.analysis.funnel import MIN_MEMBERS
from ivp.analysis.significance import ALPHA, UNTESTABLE, VERDICTS, Richting
from ivp.analysis.trend import TREND_VERDICTS, TrendRichting

_DIRECTION_VERDICT = {
    1: VERDICTS[Richting.TOENAME],
    -1: VERDICTS[Richting.AFNAME],
    0: VERDICTS[Richting.GEEN],
}
TREND_REASONS = {
    1: "minder dan 3 jaren met een cijfer",
    2: "in hoogstens één jaar misdrijven",
    3: "in alle jaren 0",
}


def _f(value) -> float | None:
    return None if value is None or value != value else float(value)


def _r(value, digits: int = 3) -> float | None:
    """Rounded for JSON (Python's correctly rounded ``round``, as :func:`round_list`);
    None for a missing value."""
    return None if value is None or value != value else round(float(value), digits)


def round_list(values: np.ndarray, digits: int = 3) -> list:
    """An array rounded for JSON as :func:`_r` rounds, NaN as None."""
    return [None if v != v else round(v, digits) for v in np.asarray(values, dtype=float).tolist()]


def _counts_list(values: np.ndarray) -> list:
    """Counts for JSON: whole numbers as int, others as float, NaN as None."""
    return [
        None if v != v else (int(v) if v.is_integer() else v)
        for v in np.asarray(values, dtype=float).tolist()
    ]


def _int_or_float(value):
    if value is None or value != value:
        return None
    return int(value) if float(value).is_integer() else float(value)


# -- facts for the candidates ------------------------------------------------------------


def _change_parts(ch, i: int) -> tuple:
    """(count, earlier_count, percent, testable) of listed ChangeArrays element ``i``."""
    count = _f(ch.count[i])
    earlier = _f(ch.earlier_count[i])
    rate, earlier_rate = _f(ch.rate[i]), _f(ch.earlier_rate[i])
    if rate is not None and earlier_rate is not None:
        percent = (rate - earlier_rate) / earlier_rate * 100 if earlier_rate else None
    else:
        percent = (count - earlier) / earlier * 100 if count is not None and earlier else None
    testable = count is not None and _f(ch.earlier_total[i]) is not None
    testable = testable and ch.test.direction[i] != UNTESTABLE
    return count, earlier, percent, testable


def _trend_parts(tr, i: int, years: Sequence[int]) -> tuple:
    used_cols = getattr(tr, "used_cols", None)  # set by the batch for a whole block at once
    cols = used_cols[i] if used_cols is not None else [c for c, u in enumerate(tr.used[i]) if u]
    used_years = [years[c] for c in cols]
    return cols, used_years


def facts_at(
    kind,
    i: int,
    *,
    key: str,
    title: str,
    years: Sequence[int],
    provisional: frozenset[int],
    notes: Sequence[str],
    enforcement: bool,
) -> Facts:
    """The :class:`Facts` of target ``i`` of the listed ``kind`` (as :func:`facts_of` of
    the :class:`Evidence` that :mod:`~ivp.analysis.from_arrays` would build)."""
    year, col = kind.year, kind.col
    counts = kind.counts[i]
    present = kind.present[i]
    rate = _f(kind.rates[i][col])
    groups = []
    level = None
    for g in kind.groups:
        n = g.n[i]
        boundary = g.boundary_count[i]
        missing = g.missing_count[i]
        groups.append(GroupFacts(g.name, n, missing - boundary, boundary))
        ratio = _f(g.ratio[i])
        if level is None and n >= MIN_MEMBERS and ratio:
            level = (g, ratio)
    level_kwargs = {}
    if level is not None:
        g, ratio = level
        funnel = g.funnel
        p = _f(funnel.p_value[i]) if funnel is not None else None
        level_kwargs = {
            "level_group": g.name,
            "level_ratio": ratio,
            "level_median": _f(g.median[i]),
            "level_funnel": p is not None,
            "level_p_higher": _f(funnel.p_higher[i]) if p is not None else None,
            "level_p_lower": _f(funnel.p_lower[i]) if p is not None else None,
            "level_percentile": _f(g.percentile[i]),
        }
    tr = kind.trend
    cols, used_years = _trend_parts(tr, i, years)
    reason = tr.reason[i]
    trend_kwargs = {
        "trend_period": f"{used_years[0]}–{used_years[-1]}" if used_years else "",
        "trend_years": len(used_years),
        "trend_mean": (sum(counts[c] for c in cols) / len(cols)) if cols else None,
    }
    if reason:
        trend_kwargs["trend_reason"] = TREND_REASONS[reason]
    else:
        p = tr.p_value[i]
        slope = tr.slope[i]
        trend_kwargs |= {
            "trend_percent": math.expm1(slope) * 100,
            "trend_p": p,
            "trend_direction": (1 if slope > 0 else -1) if p < ALPHA else 0,
        }
    length = kind.streak[i]
    run_kwargs = {"run_length": length, "run_start": year - length}
    if length:
        start_count = _f(counts[col - length])
        st = kind.streak_test
        if (
            start_count is not None
            and _f(counts[col]) is not None
            and st.direction[i] != UNTESTABLE
        ):
            run_kwargs |= {
                "run_start_count": start_count,
                "run_p_higher": st.p_higher[i],
                "run_p_lower": st.p_lower[i],
            }
        elif start_count is not None:
            run_kwargs["run_start_count"] = start_count
    m_count, m_earlier, m_percent, m_ok = _change_parts(kind.mean, i)
    p_count, p_earlier, p_percent, p_ok = _change_parts(kind.previous, i)
    m_ok = m_ok and m_percent is not None
    p_ok = p_ok and p_percent is not None
    return Facts(
        key=key,
        title=title,
        year=year,
        count=_f(counts[col]),
        rate=rate,
        enforcement=enforcement,
        provisional=year in provisional,
        withheld=tuple(
            y
            for y, ok, c in zip(years, present, counts, strict=True)
            if ok and y <= year and c != c
        ),
        notes=tuple(notes),
        groups=tuple(groups),
        **level_kwargs,
        **trend_kwargs,
        **run_kwargs,
        mean_percent=m_percent if m_ok else None,
        mean_p_higher=kind.mean.test.p_higher[i] if m_ok else None,
        mean_p_lower=kind.mean.test.p_lower[i] if m_ok else None,
        mean_first=year - MEAN_YEARS,
        mean_last=year - 1,
        mean_count=m_count,
        mean_earlier=m_earlier,
        previous_percent=p_percent if p_ok else None,
        previous_p_higher=kind.previous.test.p_higher[i] if p_ok else None,
        previous_p_lower=kind.previous.test.p_lower[i] if p_ok else None,
        previous_year=year - 1,
        previous_count=p_count,
        previous_earlier=p_earlier,
    )


# -- JSON ------------------------------------------------------------------------------------


def candidate_json(c: Candidate, proposed: bool) -> dict:
    return {
        "score": c.score,
        "proposed": proposed,
        "summary": c.summary,
        "reasons": list(c.reasons),
        "caveats": list(c.caveats),
        "adjusted_p": _r(c.adjusted_p, 5),
        "evidence_rank": c.rank,
        "signals": [
            {
                "signal": sig.name,
                "p_value": _r(sig.p_value, 5),
                "adjusted_p": _r(sig.adjusted, 5),
                "demonstrated": sig.demonstrated,
                "points": sig.points,
            }
            for sig in c.signals
        ],
        "sparse": c.sparse,
        "enforcement": c.enforcement,
        "shown_under": c.shown_under or None,
    }


# -- column-wise: the JSON of every target of a result at once ------------------------------


def _change_columns(ch, against: str, earlier: tuple[int, ...], year: int) -> list[dict]:
    count = ch.count
    total = ch.earlier_total
    earlier_count = ch.earlier_count
    rate, earlier_rate = ch.rate, ch.earlier_rate
    both = np.isfinite(rate) & np.isfinite(earlier_rate)
    with np.errstate(invalid="ignore", divide="ignore"):
        count_percent = np.where(
            np.isfinite(count) & np.isfinite(earlier_count) & (earlier_count != 0),
            (count - earlier_count) / earlier_count * 100,
            np.nan,
        )
        rate_percent = np.where(
            both & (earlier_rate != 0), (rate - earlier_rate) / earlier_rate * 100, np.nan
        )
        count_change = count - earlier_count
    percent = np.where(both, rate_percent, count_percent)
    small = (np.isfinite(count) & (count < SMALL_COUNT)) | (
        np.isfinite(earlier_count) & (earlier_count < SMALL_COUNT)
    )
    t = ch.test
    published = np.isfinite(count) & np.isfinite(total)
    testable = published & (t.direction != UNTESTABLE)
    p_values = round_list(np.where(testable, t.p_value, np.nan), 5)
    significant = (testable & (t.direction != 0)).tolist()
    verdicts = np.full(count.shape, VERDICTS[Richting.GEEN], dtype=object)
    verdicts[testable & (t.direction == 1)] = VERDICTS[Richting.TOENAME]
    verdicts[testable & (t.direction == -1)] = VERDICTS[Richting.AFNAME]
    verdicts[~published] = f"{VERDICTS[Richting.ONBEKEND]} (cijfer niet gepubliceerd)"
    both_zero = published & ~testable & (count == 0) & (total == 0)
    verdicts[published & ~testable & ~both_zero] = (
        f"{VERDICTS[Richting.ONBEKEND]} (niet te toetsen)"
    )
    verdicts[both_zero] = f"{VERDICTS[Richting.ONBEKEND]} (in beide perioden 0)"
    reasons = [""] * count.shape[0]
    missing = ch.missing_years
    flagged = ~np.isfinite(count) | missing.any(axis=1) | (earlier_count == 0) | ch.base_fallback
    for i in np.nonzero(flagged)[0].tolist():
        parts = []
        if count[i] != count[i]:
            parts.append(f"{year} niet gepubliceerd")
        gaps = [y for y, m in zip(earlier, missing[i].tolist(), strict=True) if m]
        if gaps:
            parts.append("niet gepubliceerd of ontbrekend: " + ", ".join(str(y) for y in gaps))
        if earlier_count[i] == 0:
            parts.append("eerdere waarde 0: geen percentage")
        if ch.base_fallback[i]:
            parts.append("basis ontbreekt: geen cijfer per 1.000, getoetst op aantallen")
        reasons[i] = "; ".join(parts)
    years = [str(y) for y in earlier]
    return [
        {
            "against": against,
            "years": years,
            "count": c,
            "earlier_count": ec,
            "count_change": cc,
            "count_percent": cp,
            "rate": r,
            "earlier_rate": er,
            "rate_percent": rp,
            "percent": pc,
            "small_count": sm,
            "p_value": pv,
            "significant": sg,
            "verdict": vd,
            "reason": rs,
        }
        for c, ec, cc, cp, r, er, rp, pc, sm, pv, sg, vd, rs in zip(
            _counts_list(count),
            round_list(earlier_count, 2),
            round_list(count_change, 2),
            round_list(count_percent, 2),
            round_list(rate),
            round_list(earlier_rate),
            round_list(rate_percent, 2),
            round_list(percent, 2),
            small.tolist(),
            p_values,
            significant,
            verdicts.tolist(),
            reasons,
            strict=True,
        )
    ]


def _trend_columns(tr, years: Sequence[int]) -> list[dict]:
    used = tr.used
    reason = tr.reason
    ok = reason == 0
    with np.errstate(invalid="ignore"):
        annual = np.expm1(tr.slope) * 100
    significant = ok & (tr.p_value < ALPHA)
    direction = np.full(reason.shape, str(TrendRichting.GEEN), dtype=object)
    direction[significant & (tr.slope > 0)] = str(TrendRichting.STIJGEND)
    direction[significant & (tr.slope < 0)] = str(TrendRichting.DALEND)
    direction[~ok] = str(TrendRichting.ONBEKEND)
    verdicts = np.full(reason.shape, TREND_VERDICTS[TrendRichting.GEEN], dtype=object)
    verdicts[significant & (tr.slope > 0)] = TREND_VERDICTS[TrendRichting.STIJGEND]
    verdicts[significant & (tr.slope < 0)] = TREND_VERDICTS[TrendRichting.DALEND]
    for code, text in TREND_REASONS.items():
        verdicts[reason == code] = f"{TREND_VERDICTS[TrendRichting.ONBEKEND]} ({text})"
    method = np.where(tr.quasi, "quasi-poisson", "poisson").astype(object)
    method[~ok] = None
    labels = [str(y) for y in years]
    used_years = [[labels[c] for c in np.nonzero(row)[0].tolist()] for row in used]
    return [
        {
            "period": f"{u[0]}–{u[-1]}" if u else "",
            "years": u,
            "annual_percent": a,
            "ci_low": lo,
            "ci_high": hi,
            "p_value": p,
            "method": m,
            "dispersion": dsp,
            "direction": dr,
            "significant": sg,
            "verdict": vd,
        }
        for u, a, lo, hi, p, m, dsp, dr, sg, vd in zip(
            used_years,
            round_list(np.where(ok, annual, np.nan), 2),
            round_list(np.where(ok, tr.ci_low, np.nan), 2),
            round_list(np.where(ok, tr.ci_high, np.nan), 2),
            round_list(np.where(ok, tr.p_value, np.nan), 5),
            method.tolist(),
            round_list(np.where(ok, tr.dispersion, np.nan), 3),
            direction.tolist(),
            significant.tolist(),
            verdicts.tolist(),
            strict=True,
        )
    ]


def _per_row(rows: np.ndarray, values: list, count: int) -> list[list]:
    """``values``, given in the order of their ``rows``, as one list per row of ``count``."""
    lists: list[list] = [[] for _ in range(count)]
    if not len(rows):
        return lists
    cuts = (np.flatnonzero(np.diff(rows)) + 1).tolist()
    for row, start, end in zip(
        rows[[0, *cuts]].tolist(), [0, *cuts], [*cuts, len(values)], strict=True
    ):
        lists[row] = values[start:end]
    return lists


def true_columns(flags: np.ndarray) -> list[list[int]]:
    """Per row, the columns where ``flags`` (G × n bool) is True, in order."""
    rows, cols = np.nonzero(flags)  # row by row, each row's columns in order
    return _per_row(rows, cols.tolist(), flags.shape[0])


def flagged_lists(members: np.ndarray, flags: np.ndarray, codes: np.ndarray) -> list[list]:
    """Per row, the codes of the members flagged in ``flags`` (G × m bool), sorted by code,
    for a whole block at once: one row's few flagged members looked up one by one, for
    every series of every gemeente, were a tenth of a batch. ``codes``: an object array of
    the store's regions in their (sorted) order plus the empty code; a member is a stacked
    row (kind × region), so its region is its row modulo the number of codes, and the order
    of the regions is the order of their codes."""
    rows, cols = np.nonzero(flags)
    region = members[rows, cols] % len(codes)
    order = np.lexsort((region, rows))
    return _per_row(rows[order], codes[region[order]].tolist(), flags.shape[0])


def _group_columns(g, codes: np.ndarray) -> SimpleNamespace:
    f = g.funnel
    has = np.isfinite(f.p_value) if f is not None else np.zeros(g.n.shape, dtype=bool)
    funnels: list = [None] * g.n.shape[0]
    if f is not None and has.any():
        spread = np.full(g.n.shape, None, dtype=object)
        spread[has] = "binnen de gewone spreiding"
        spread[has & (f.p_value < ALPHA) & (f.z > 0)] = "boven de gewone spreiding"
        spread[has & (f.p_value < ALPHA) & (f.z <= 0)] = "onder de gewone spreiding"
        low, high, z = round_list(f.low), round_list(f.high), round_list(f.z, 3)
        p, tau = round_list(f.p_value, 5), round_list(f.tau2, 5)
        verdict = spread.tolist()
        for i in np.nonzero(has)[0].tolist():
            funnels[i] = {
                "limit_low": low[i],
                "limit_high": high[i],
                "z": z[i],
                "p_value": p[i],
                "between_variance": tau[i],
                "verdict": verdict[i],
            }
    rank = [None if v != v else int(v) for v in g.rank.tolist()]
    return SimpleNamespace(
        n=g.n.tolist(),
        median=round_list(g.median),
        p25=round_list(g.p25),
        p75=round_list(g.p75),
        rank=rank,
        percentile=round_list(g.percentile, 1),
        ratio=round_list(g.ratio),
        funnel=funnels,
        missing=flagged_lists(g.members, g.missing, codes),
        boundary=flagged_lists(g.members, g.boundary, codes),
    )


def columns(kind, years: Sequence[int], codes: np.ndarray) -> SimpleNamespace:
    """The JSON pieces of every target of ``kind`` (numpy :class:`KindArrays`); ``codes``
    as :func:`flagged_lists` wants them."""
    year = kind.year
    d = kind.dispersion
    phi = np.maximum(d.phi, 1.0)
    df = np.where((phi > 1) & np.isfinite(d.df), d.df, np.nan)
    dispersion = [
        {"phi": a, "df": b, "own": c, "pooled": e}
        for a, b, c, e in zip(
            round_list(phi, 3),
            round_list(df, 1),
            round_list(d.own, 3),
            round_list(d.prior, 3),
            strict=True,
        )
    ]
    return SimpleNamespace(
        previous=_change_columns(kind.previous, "vorig jaar", (year - 1,), year),
        mean=_change_columns(
            kind.mean,
            f"gemiddelde {MEAN_YEARS} jaar",
            tuple(range(year - MEAN_YEARS, year)),
            year,
        ),
        trend=_trend_columns(kind.trend, years),
        long_trend=_trend_columns(kind.long_trend, years),
        groups=[_group_columns(g, codes) for g in kind.groups],
        rate=round_list(kind.rates[:, kind.col]),
        rates_plain=kind.rates[:, kind.col].tolist(),
        dispersion=dispersion,
    )


def evidence_json_from_columns(
    cols,
    kind,
    i: int,
    *,
    year: int,
    provisional: frozenset[int],
    references: dict[str, float | None],
    reference_changes: dict[str, float | None],
    candidate: Candidate,
) -> dict:
    """The keys of ``series_json`` that come from the evidence, for target ``i``, from the
    pieces of :func:`columns` (``kind``: the listed result, for the groups' names)."""
    previous = cols.previous[i]
    own = cols.rates_plain[i]
    own_rate = None if own != own else own
    groups = []
    for g, gc in zip(kind.groups, cols.groups, strict=True):
        n = gc.n[i]
        groups.append(
            {
                "name": g.name,
                "members_with_value": n,
                "missing": gc.missing[i],
                "median": gc.median[i],
                "p25": gc.p25[i],
                "p75": gc.p75[i],
                "rank": gc.rank[i],
                "of": n + (1 if own_rate is not None else 0),
                "percentile": gc.percentile[i],
                "ratio_to_median": gc.ratio[i],
                "small_group": n < MIN_MEMBERS,
                "missing_boundary": gc.boundary[i],
                "funnel": gc.funnel[i],
            }
        )
    return {
        "change_pct_prev_year": previous["percent"],
        "change_abs_prev_year": previous["count_change"],
        "change_prev_year": previous,
        "change_vs_3yr_mean": cols.mean[i],
        "trend": {**cols.trend[i], "long": cols.long_trend[i]},
        "comparison": {
            "rate": cols.rate[i],
            "groups": groups,
            "references": {
                name: {
                    "rate": _r(v),
                    "ratio": _r(own_rate / v if own_rate is not None and v else None),
                    "change_pct_prev_year": _r(reference_changes.get(name), 2),
                }
                for name, v in references.items()
            },
        },
        "dispersion": cols.dispersion[i],
        "candidate": candidate_json(candidate, candidate.proposed),
        "provisional": year in provisional,
    }
