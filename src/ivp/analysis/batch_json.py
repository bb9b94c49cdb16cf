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
    return None if value is None or value != value else round(float(value), digits)


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
    cols = [c for c, u in enumerate(tr.used[i]) if u]
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
        boundary = g.boundary[i].count(True)
        missing = g.missing[i].count(True)
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


def _change_json(ch, i: int, against: str, earlier: tuple[int, ...], year: int) -> dict:
    count = _f(ch.count[i])
    total = _f(ch.earlier_total[i])
    earlier_count = _f(ch.earlier_count[i])
    rate, earlier_rate = _f(ch.rate[i]), _f(ch.earlier_rate[i])
    both = rate is not None and earlier_rate is not None
    count_percent = (
        (count - earlier_count) / earlier_count * 100
        if count is not None and earlier_count
        else None
    )
    rate_percent = (rate - earlier_rate) / earlier_rate * 100 if both and earlier_rate else None
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
    t = ch.test
    direction = t.direction[i]
    if count is None or total is None:
        p_value, significant = None, False
        verdict = f"{VERDICTS[Richting.ONBEKEND]} (cijfer niet gepubliceerd)"
    elif direction == UNTESTABLE:
        p_value, significant = None, False
        why = "in beide perioden 0" if (count == 0 and total == 0) else "niet te toetsen"
        verdict = f"{VERDICTS[Richting.ONBEKEND]} ({why})"
    else:
        p_value = round(t.p_value[i], 5)
        significant = direction != 0
        verdict = _DIRECTION_VERDICT[direction]
    return {
        "against": against,
        "years": [str(y) for y in earlier],
        "count": _int_or_float(count),
        "earlier_count": _r(earlier_count, 2),
        "count_change": _r(count - earlier_count, 2)
        if count is not None and earlier_count is not None
        else None,
        "count_percent": _r(count_percent, 2),
        "rate": _r(rate),
        "earlier_rate": _r(earlier_rate),
        "rate_percent": _r(rate_percent, 2),
        "percent": _r(rate_percent if both else count_percent, 2),
        "small_count": any(c is not None and c < SMALL_COUNT for c in (count, earlier_count)),
        "p_value": p_value,
        "significant": significant,
        "verdict": verdict,
        "reason": "; ".join(reasons),
    }


def _trend_json(tr, i: int, years: Sequence[int]) -> dict:
    _cols, used_years = _trend_parts(tr, i, years)
    reason = tr.reason[i]
    period = f"{used_years[0]}–{used_years[-1]}" if used_years else ""
    if reason:
        return {
            "period": period,
            "years": [str(y) for y in used_years],
            "annual_percent": None,
            "ci_low": None,
            "ci_high": None,
            "p_value": None,
            "method": None,
            "dispersion": None,
            "direction": str(TrendRichting.ONBEKEND),
            "significant": False,
            "verdict": f"{TREND_VERDICTS[TrendRichting.ONBEKEND]} ({TREND_REASONS[reason]})",
        }
    slope = tr.slope[i]
    p = tr.p_value[i]
    if p < ALPHA:
        richting = TrendRichting.STIJGEND if slope > 0 else TrendRichting.DALEND
    else:
        richting = TrendRichting.GEEN
    return {
        "period": period,
        "years": [str(y) for y in used_years],
        "annual_percent": round(math.expm1(slope) * 100, 2),
        "ci_low": round(tr.ci_low[i], 2),
        "ci_high": round(tr.ci_high[i], 2),
        "p_value": round(p, 5),
        "method": "quasi-poisson" if tr.quasi[i] else "poisson",
        "dispersion": _r(tr.dispersion[i], 3),
        "direction": str(richting),
        "significant": richting is not TrendRichting.GEEN,
        "verdict": TREND_VERDICTS[richting],
    }


def _spread_verdict(p_value: float | None, z: float | None) -> str | None:
    if p_value is None or z is None:
        return None
    if p_value < ALPHA:
        return "boven de gewone spreiding" if z > 0 else "onder de gewone spreiding"
    return "binnen de gewone spreiding"


def _group_json(g, i: int, own_rate: float | None, member_codes) -> dict:
    members = g.members[i]
    flags = g.missing[i]
    missing = (
        sorted(member_codes[m] for m, x in zip(members, flags, strict=True) if x)
        if True in flags
        else []
    )
    flags = g.boundary[i]
    boundary = (
        sorted(member_codes[m] for m, x in zip(members, flags, strict=True) if x)
        if True in flags
        else []
    )
    n = g.n[i]
    rank = g.rank[i]
    f = g.funnel
    p_value = _f(f.p_value[i]) if f is not None else None
    funnel = None
    if p_value is not None:
        z = _f(f.z[i])
        funnel = {
            "limit_low": _r(f.low[i]),
            "limit_high": _r(f.high[i]),
            "z": _r(z, 3),
            "p_value": _r(p_value, 5),
            "between_variance": _r(f.tau2[i], 5),
            "verdict": _spread_verdict(p_value, z),
        }
    return {
        "name": g.name,
        "members_with_value": n,
        "missing": missing,
        "median": _r(g.median[i]),
        "p25": _r(g.p25[i]),
        "p75": _r(g.p75[i]),
        "rank": None if rank != rank else int(rank),
        "of": n + (1 if own_rate is not None else 0),
        "percentile": _r(g.percentile[i], 1),
        "ratio_to_median": _r(g.ratio[i]),
        "small_group": n < MIN_MEMBERS,
        "missing_boundary": boundary,
        "funnel": funnel,
    }


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


def evidence_json_at(
    kind,
    i: int,
    *,
    years: Sequence[int],
    provisional: frozenset[int],
    member_codes,
    references: dict[str, float | None],
    reference_changes: dict[str, float | None],
    candidate: Candidate,
) -> dict:
    """The keys of ``series_json`` that come from the evidence, in its order."""
    year, col = kind.year, kind.col
    previous = _change_json(kind.previous, i, "vorig jaar", (year - 1,), year)
    mean = _change_json(
        kind.mean, i, f"gemiddelde {MEAN_YEARS} jaar", tuple(range(year - MEAN_YEARS, year)), year
    )
    own_rate = _f(kind.rates[i][col])
    d = kind.dispersion
    phi = max(1.0, d.phi[i])
    df_value = d.df[i]
    return {
        "change_pct_prev_year": previous["percent"],
        "change_abs_prev_year": previous["count_change"],
        "change_prev_year": previous,
        "change_vs_3yr_mean": mean,
        "trend": {
            **_trend_json(kind.trend, i, years),
            "long": _trend_json(kind.long_trend, i, years),
        },
        "comparison": {
            "rate": _r(own_rate),
            "groups": [_group_json(g, i, own_rate, member_codes) for g in kind.groups],
            "references": {
                name: {
                    "rate": _r(v),
                    "ratio": _r(own_rate / v if own_rate is not None and v else None),
                    "change_pct_prev_year": _r(reference_changes.get(name), 2),
                }
                for name, v in references.items()
            },
        },
        "dispersion": {
            "phi": round(phi, 3),
            "df": _r(df_value, 1) if phi > 1 and math.isfinite(df_value) else None,
            "own": _r(d.own[i], 3),
            "pooled": _r(d.prior[i], 3),
        },
        "candidate": candidate_json(candidate, candidate.proposed),
        "provisional": year in provisional,
    }
