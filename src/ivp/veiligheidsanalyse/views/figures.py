"""The figures a page of step 2 shows: numbers formatted for the active language, the
pieces of a series (change, trend, comparison, candidate), the tables and the charts."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import formats
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ivp.analysis import veiligheidsbeeld as vb
from ivp.analysis.candidates import join_nl
from ivp.plans.access import Permission, permissions_for
from ivp.veiligheidsanalyse import services

DASH = "—"
RATE_DECIMALS = 2
INDICATOR_YEARS = 4  # the last years of an indicator shown next to the police figures


# -- formatting --------------------------------------------------------------------------


def num(value: float | None, decimals: int = 0) -> str:
    """A number in the active language's format with grouping ("1.259", "8,23")."""
    if value is None:
        return DASH
    return formats.number_format(
        round(float(value), decimals), decimal_pos=decimals, force_grouping=True
    )


def pct(value: float | None) -> str:
    """A signed percentage: "+5%", "−31%", "0%"."""
    if value is None:
        return DASH
    rounded = round(value)
    sign = "+" if rounded > 0 else "−" if rounded < 0 else ""
    return f"{sign}{num(abs(rounded))}%"


def pct1(value: float | None) -> str:
    if value is None:
        return DASH
    sign = "+" if round(value, 1) > 0 else "−" if round(value, 1) < 0 else ""
    return f"{sign}{num(abs(value), 1)}%"


def ratio(value: float | None) -> str:
    return DASH if value is None else f"{num(value, 1)}×"


def _date_text(text: str) -> str:
    try:
        return formats.date_format(date.fromisoformat(text), "j F Y")
    except (TypeError, ValueError):
        return text


# -- the plan and its figures ------------------------------------------------------------


def _context(request: HttpRequest, plan, **extra) -> dict:
    perms = permissions_for(request.user, plan)
    return {"plan": plan, "perms": {p.value: (p in perms) for p in Permission}, **extra}


def _can_edit(request: HttpRequest, plan) -> bool:
    return Permission.EDIT_CONTENT in permissions_for(request.user, plan)


def _require_edit(request: HttpRequest, plan) -> None:
    if not _can_edit(request, plan):
        raise PermissionDenied(_("U mag de veiligheidsanalyse van dit plan alleen lezen."))


def _gemeente(plan, wanted: str | None) -> tuple[str | None, list[tuple[str, str]]]:
    """The chosen gemeente and the choices; a joint plan also offers (and starts with) the
    area as a whole (``services.AREA``)."""
    gemeenten = services.plan_gemeenten(plan)
    if len(gemeenten) > 1:
        gemeenten = [(services.AREA, _("Gebied als geheel")), *gemeenten]
    codes = [c for c, _n in gemeenten]
    if wanted in codes:
        return wanted, gemeenten
    return (codes[0] if codes else None), gemeenten


def _picture(plan, code: str | None) -> tuple[vb.Veiligheidsbeeld | None, str]:
    """The figures of ``code`` in ``plan``, or None with the reason."""
    if code is None:
        return None, _("Dit plan heeft geen gemeente.")
    try:
        return services.veiligheidsbeeld(plan, code), ""
    except (vb.NoData, vb.UnknownArea) as error:
        return None, str(error)


def _available_years(code: str | None, plan=None) -> list[int]:
    """The years with registered crime for the gemeente (the choices of the reference
    year); for the area of a joint plan, the years every member has."""
    if code is None:
        return []
    if code == services.AREA and plan is not None:
        per_member = [set(_available_years(c)) for c, _n in services.plan_gemeenten(plan)]
        per_member = [years for years in per_member if years]  # a former gemeente: none
        return sorted(set.intersection(*per_member)) if per_member else []
    from ivp.datasets.models import Observation
    from ivp.datasets.queries import CRIME_TABLE

    periods = (
        Observation.objects.filter(
            series__dataset__key=CRIME_TABLE,
            region=code,
            period__endswith="JJ00",
            value__isnull=False,
        )
        .values_list("period", flat=True)
        .distinct()
    )
    return sorted({int(p[:4]) for p in periods if p[:4].isdecimal()})


def _with_gemeente(url: str, gemeente: str | None, gemeenten) -> str:
    if gemeente and len(gemeenten) > 1:
        return f"{url}?{urlencode({'gemeente': gemeente})}"
    return url


def _catalogue_fields():
    from ivp.catalogue.content_loader import shipped_catalogue

    return shipped_catalogue().velden


# -- pieces of a series --------------------------------------------------------------------


def _verdict_class(richting) -> str:
    return str(richting) if richting else "onbekend"


def _change(comparison) -> dict | None:
    if comparison is None:
        return None
    return {
        "percent": pct(comparison.percent),
        "count_change": num(comparison.count_change),
        "verdict": comparison.verdict,
        "richting": _verdict_class(comparison.test.richting),
        "small_count": comparison.small_count,
        "years": "–".join(str(y) for y in (comparison.years[0], comparison.years[-1]))
        if len(comparison.years) > 1
        else (str(comparison.years[0]) if comparison.years else ""),
        "reason": comparison.reason,
    }


def _trend(trend) -> dict | None:
    if trend is None:
        return None
    return {
        "period": trend.period,
        "annual": pct1(trend.annual_percent) if trend.annual_percent is not None else "",
        "low": pct1(trend.ci_low) if trend.ci_low is not None else "",
        "high": pct1(trend.ci_high) if trend.ci_high is not None else "",
        "verdict": trend.verdict,
        "richting": _verdict_class(trend.richting),
        "method": str(trend.methode) if trend.methode else "",
        "few_years": len(trend.years) < 5,
    }


def _summary(series: vb.SeriesPicture | None, year: int) -> dict | None:
    """What a card or a row shows of a series in the reference year."""
    if series is None or not series.has_data:
        return None
    key = str(year)
    ev = series.evidence
    group = ev.benchmark.group(vb.SIZE_CLASS) if ev and ev.benchmark else None
    return {
        "count": num(series.counts.get(key)),
        "rate": num(series.rates.get(key), RATE_DECIMALS),
        "rate_dwellings": num(series.rates_dwellings.get(key), RATE_DECIMALS)
        if series.rates_dwellings
        else "",
        "vs_previous": _change(ev.change.vs_previous) if ev else None,
        "vs_mean": _change(ev.change.vs_mean) if ev else None,
        "trend": _trend(ev.trend) if ev else None,
        "ratio": ratio(group.ratio_to_median) if group else DASH,
        "usual": _usual(ev),
        "score": series.candidate.score if series.candidate else None,
        "proposed": series.proposed,
        "provisional": bool(ev and ev.provisional),
    }


def _usual(ev) -> str:
    """The usual year-on-year variation of the series, e.g. "−24% tot +32%"."""
    from ivp.analysis.change import usual_change

    if ev is None or not ev.is_count:
        return ""
    band = usual_change(ev.change.vs_previous.earlier_count or ev.count, ev.dispersion)
    if band is None:
        return ""
    return _("%(low)s tot %(high)s") % {"low": pct(band[0]), "high": pct(band[1])}


def _category_rows(theme: vb.ThemePicture, year: int) -> list[dict]:
    main = set(theme.total.categories)
    rows = []
    for category in theme.categories:
        rows.append(
            {
                "code": category.code,
                "title": category.title,
                "main": category.code in main,
                "summary": _summary(category, year),
            }
        )
    return rows


def _single_category(theme: vb.ThemePicture) -> bool:
    """The theme's figure is exactly one category, shown nowhere else in the theme."""
    return len(theme.categories) == 1 and list(theme.total.categories) == [theme.categories[0].code]


def _figures_table(picture: vb.Veiligheidsbeeld, theme: vb.ThemePicture) -> dict | None:
    """Years × (count, rate) for the theme's sum and each of its categories: one row per
    series and measure, one column per year."""
    categories = [c for c in theme.categories if c.has_data]
    if _single_category(theme):
        categories = []  # the theme is that one category: one row says it all
    pool = ([theme.total] if theme.total.has_data else []) + categories
    if not pool:
        return None
    years = [str(y) for y in picture.years]
    provisional = {str(y) for y in picture.provisional_years}
    rows = []
    for series in pool:
        measures = [
            (_("aantal"), [num(series.counts.get(y)) for y in years]),
            (
                _("per 1.000 inwoners"),
                [num(series.rates.get(y), RATE_DECIMALS) for y in years],
            ),
        ]
        if series.rates_dwellings:
            measures.append(
                (
                    _("per 1.000 woningen"),
                    [num(series.rates_dwellings.get(y), RATE_DECIMALS) for y in years],
                )
            )
        rows.append(
            {
                "code": series.code,
                "title": series.title,
                "total": series.kind == vb.THEME,
                "parts": ", ".join(series.categories) if series.kind == vb.THEME else "",
                "measures": measures,
                "span": len(measures),
            }
        )
    return {
        "years": [{"year": y, "provisional": y in provisional} for y in years],
        "rows": rows,
        "has_provisional": bool(provisional),
        "with_categories": len(rows) > 1 or not theme.total.has_data,
    }


def _comparison(picture: vb.Veiligheidsbeeld, series: vb.SeriesPicture) -> dict | None:
    ev = series.evidence
    if ev is None or ev.benchmark is None:
        return None
    descriptions = {name: description for name, description, _m in picture.groups}
    bench = ev.benchmark
    groups = [
        {
            "name": g.name,
            "description": descriptions.get(g.name, ""),
            "median": num(g.median, RATE_DECIMALS),
            "p25": num(g.p25, RATE_DECIMALS),
            "p75": num(g.p75, RATE_DECIMALS),
            "rank": g.rank,
            "of": g.of,
            "percentile": num(g.percentile) if g.percentile is not None else DASH,
            "ratio": ratio(g.ratio_to_median),
            "small_group": g.small_group,
            "missing": len(g.missing),
            "spread": g.spread_verdict or "",
            "limits": f"{num(g.limit_low, 1)}×–{num(g.limit_high, 1)}×"
            if g.limit_low is not None
            else "",
        }
        for g in bench.groups
    ]
    references = [
        {
            "name": name,
            "rate": num(value, RATE_DECIMALS),
            "ratio": ratio(bench.ratios.get(name)),
            "change": pct(series.reference_changes[name])
            if series.reference_changes.get(name) is not None
            else "",
        }
        for name, value in bench.references.items()
    ]
    return {
        "rate": num(bench.value, RATE_DECIMALS),
        "year": picture.year,
        "groups": groups,
        "references": references,
    }


def _sources_text(picture: vb.Veiligheidsbeeld, keys, *, with_population: bool = True) -> str:
    """One line naming the tables behind ``keys`` (and of the inhabitants), each once, and
    when they were retrieved: "Bron: CBS / Politie, 47018NED (…); … Opgehaald: …"."""
    tables: dict[str, dict] = {}
    population = (
        [k for k in picture.sources if k.startswith("70072NED|")][:1] if with_population else []
    )
    for key in [*keys, *population]:
        source = picture.sources.get(key)
        if source and source["table"] not in tables:
            tables[source["table"]] = source
    if not tables:
        return ""
    named = "; ".join(
        f"{s['attribution'].removeprefix('Bron: ')}, {table} ({s['title']})"
        for table, s in tables.items()
    )
    by_retrieval: dict[str, list[str]] = {}
    for table, s in tables.items():
        if s["retrieved"]:
            by_retrieval.setdefault(s["retrieved"], []).append(table)
    retrievals = []
    for retrieved, names in by_retrieval.items():
        listed = join_nl(names)
        when = _date_text(retrieved)
        if when != retrieved:
            retrievals.append(
                _("%(tables)s opgehaald op %(date)s") % {"tables": listed, "date": when}
            )
        else:
            retrievals.append(f"{listed}: {retrieved.rstrip('.')}")
    text = _("Bron: %(sources)s.") % {"sources": named}
    if retrievals:
        text += " " + "; ".join(retrievals) + "."
    return text


# The SVG of a chart depends only on the chart's content: keep the last ones in memory.
_SVG_CACHE: OrderedDict[str, str] = OrderedDict()
_SVG_CACHE_SIZE = 64
_SVG_LOCK = threading.Lock()


def _chart(picture: vb.Veiligheidsbeeld, series: vb.SeriesPicture, slug: str) -> dict | None:
    """The series' rate against the median of comparable gemeenten (with the P25–P75 band)
    and the reference areas: ``svg`` (inline, described by the table of its numbers) and
    ``years``/``rows`` (that table: every line of the chart, so the comparison lines are not
    only in the image); None without rates."""
    if not any(v is not None for v in series.rates.values()):
        return None
    from ivp.documents import charts

    provisional = str(picture.provisional_years[0]) if picture.provisional_years else None
    lines = [charts.Line(picture.area_name, series.rates, "own", provisional)]
    band = None
    for line in series.lines:
        if line.name == f"mediaan {vb.SIZE_CLASS}":
            lines.append(charts.Line(line.name, line.median, "group"))
            band = charts.Band(f"P25–P75 {vb.SIZE_CLASS}", line.p25, line.p75)
        elif line.kind == "referentie":
            style = "national" if line.name == vb.NETHERLANDS else "reference"
            lines.append(charts.Line(line.name, line.median, style))
    chart = charts.TrendChart(
        title=f"{series.code} {series.title}: " + _("per 1.000 inwoners"),
        y_label=_("per 1.000 inwoners"),
        lines=tuple(lines),
        band=band,
        highlight_year=str(picture.year),
    )
    years, rows = charts.data_table(chart)
    table_id = f"cijfers-{slug}"
    svg = _cached_svg(chart).replace("<svg ", f'<svg aria-describedby="{table_id}" ', 1)
    return {
        "svg": mark_safe(svg),  # noqa: S308 - rendered by matplotlib, texts escaped
        "table_id": table_id,
        "years": years,
        "rows": rows,
    }


def _cached_svg(chart) -> str:
    from ivp.documents import charts

    key = hashlib.sha1(repr(chart).encode(), usedforsecurity=False).hexdigest()
    with _SVG_LOCK:
        if key in _SVG_CACHE:
            _SVG_CACHE.move_to_end(key)
            return _SVG_CACHE[key]
    svg = charts.render_svg(chart, width_cm=16, height_cm=7.5)
    with _SVG_LOCK:
        _SVG_CACHE[key] = svg
        while len(_SVG_CACHE) > _SVG_CACHE_SIZE:
            _SVG_CACHE.popitem(last=False)
    return svg


def _funnel(picture: vb.Veiligheidsbeeld, series: vb.SeriesPicture) -> dict | None:
    """The funnel chart of the series in the reference year (the gemeente among its
    comparison group, with the limits of the usual spread) and its result in words."""
    ev = series.evidence
    group = ev.benchmark.group(vb.SIZE_CLASS) if ev and ev.benchmark else None
    base = picture.population.get(str(picture.year))
    if group is None or not group.has_funnel or not series.funnel or not base or ev.rate is None:
        return None
    import numpy as np

    from ivp.analysis import distributions
    from ivp.analysis.benchmark import spread_sentence
    from ivp.analysis.funnel import limits_curve
    from ivp.documents import charts

    populations = [p for _c, p, _r in series.funnel] + [base]
    xs = np.geomspace(min(populations) / 1.1, max(populations) * 1.1, 60)
    quantile = float(distributions.t_quantile_975(max(group.n - 2, 1)))
    low, high = limits_curve(group.median, group.tau2 or 0.0, ev.dispersion, xs, z=quantile)
    description = spread_sentence(picture.area_name, group)
    chart = charts.FunnelChart(
        title=f"{series.code} {series.title} in {picture.year}: "
        + _("%(naam)s tussen %(groep)s") % {"naam": picture.area_name, "groep": group.name},
        own=charts.FunnelPoint(picture.area_name, float(base), float(ev.rate)),
        others=tuple(charts.FunnelPoint(c, p, r) for c, p, r in series.funnel),
        target=float(group.median),
        curve=tuple(zip(xs.tolist(), low.tolist(), high.tolist(), strict=True)),
        description=description,
        y_label=_("per 1.000 inwoners"),
        x_label=_("inwoners (logaritmische schaal)"),
        target_label=_("mediaan"),
        limits_label=_("grenzen van de gewone spreiding (95%)"),
        others_label=group.name,
    )
    key = hashlib.sha1(repr(chart).encode(), usedforsecurity=False).hexdigest()
    with _SVG_LOCK:
        if key in _SVG_CACHE:
            _SVG_CACHE.move_to_end(key)
            return {"svg": _SVG_CACHE[key], "description": description}
    svg = charts.render_funnel_svg(chart, width_cm=16, height_cm=8.5)
    with _SVG_LOCK:
        _SVG_CACHE[key] = svg
        while len(_SVG_CACHE) > _SVG_CACHE_SIZE:
            _SVG_CACHE.popitem(last=False)
    return {"svg": svg, "description": description}


def _indicators(picture: vb.Veiligheidsbeeld, theme: vb.ThemePicture) -> dict | None:
    """The other series at the theme (survey and own figures, ``theme.other_series``): the
    last years with the 95 % margin next to a value, and the change — judged with the
    margins for a survey figure, with the series' own variation for a count."""
    if not theme.other_series:
        return None
    shown = [o for o in theme.other_series if o.has_data]
    years = sorted({y for o in shown for y, v in o.values.items() if v is not None}, key=int)[
        -INDICATOR_YEARS:
    ]
    rows = []
    for other in shown:
        decimals = 0 if other.unit in ("aantal", "") else 1
        margins = other.margins or {}
        cells = [
            {
                "value": num(other.values.get(year), decimals),
                "margin": num(margins[year], decimals) if margins.get(year) else "",
            }
            for year in years
        ]
        if not any(other.values.get(year) is not None for year in years):
            continue
        rows.append(
            {
                "title": other.indicator,
                "source": other.source,
                "own": other.own,
                "unit": other.unit,
                "cells": cells,
                "change": _other_change(other, decimals),
                "why": other.theme_why,
            }
        )
    return {
        "years": years,
        "rows": rows,
        "without_recent": len(theme.other_series) - len(rows),
        "with_margins": any(o.margins for o in shown),
    }


def _other_change(other: vb.OtherPicture, decimals: int) -> dict | None:
    """The change of an other series as the page shows it: verdict and the numbers behind
    it (difference against the combined margin, or the count test and the trend)."""
    if sum(v is not None for v in other.values.values()) < 2:
        return None  # one year: no change to judge
    c = other.change
    if c is not None and c.margin is not None:
        # higher may be better (a report mark) or worse: no colour, only whether it differs
        richting = "verschil" if c.significant else "geen"
        return {
            "verdict": _("%(v)s (%(y)s t.o.v. %(e)s)")
            % {"v": c.verdict, "y": c.year, "e": c.earlier_year},
            "detail": _("verschil %(d)s, gecombineerde marge %(m)s")
            % {"d": num(c.difference, max(decimals, 1)), "m": num(c.margin, max(decimals, 2))},
            "richting": richting,
        }
    ev = other.evidence
    if ev is not None:
        vs = ev.change.vs_previous
        return {
            "verdict": f"{pct(vs.percent)} {vs.verdict}",
            "detail": _("trend: %(t)s") % {"t": ev.trend.verdict},
            "richting": _verdict_class(vs.test.richting),
        }
    if c is not None:
        return {"verdict": c.verdict, "detail": "", "richting": "geen"}
    return None
