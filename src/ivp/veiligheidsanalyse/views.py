"""Pages of step 2, the veiligheidsanalyse: the overview of the five safety fields (a map
of the whole safety terrain with the priority candidates), one page per field with the
figures, chart, comparison and trend per theme and the working group's texts, and the
POST endpoints that save a text, the reference year or a decision on a candidate.

Views validate input and call ``services``; every figure comes from
``ivp.analysis.veiligheidsbeeld`` (through ``services.veiligheidsbeeld``, cached), so a
number on these pages is the number of ``ivp analyse`` and of the analysis report. The
numbers are formatted here for the active language (Dutch: thousands dot, decimal comma).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ivp.analysis import veiligheidsbeeld as vb
from ivp.analysis.candidates import join_nl
from ivp.plans.access import Permission, get_plan_for_user, permissions_for
from ivp.veiligheidsanalyse import services
from ivp.veiligheidsanalyse.forms import BesluitForm, PeiljaarForm, TekstForm, slug
from ivp.veiligheidsanalyse.models import AnalyseTekst

DASH = "—"
RATE_DECIMALS = 2
INDICATOR_YEARS = 4  # the last years of an indicator shown next to the police figures
MARGIN_SUFFIX = "|marge"


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
    gemeenten = services.plan_gemeenten(plan)
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


def _available_years(code: str | None) -> list[int]:
    """The years with registered crime for the gemeente (the choices of the reference
    year)."""
    if code is None:
        return []
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
    return sorted({int(p[:4]) for p in periods if p[:4].isdigit()})


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
        "score": series.candidate.score if series.candidate else None,
        "proposed": series.proposed,
        "provisional": bool(ev and ev.provisional),
    }


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


def _chart(picture: vb.Veiligheidsbeeld, series: vb.SeriesPicture) -> str:
    """The inline SVG of the series' rate against the median of comparable gemeenten (with
    the P25–P75 band) and the reference areas; "" without rates."""
    if not any(v is not None for v in series.rates.values()):
        return ""
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


def _indicators(picture: vb.Veiligheidsbeeld, theme: vb.ThemePicture) -> dict | None:
    """Survey and own figures placed at the theme, the 95 % margin next to its value."""
    if not theme.indicators:
        return None
    margins = {
        s.key[: -len(MARGIN_SUFFIX)]: s for s in theme.indicators if s.key.endswith(MARGIN_SUFFIX)
    }
    values = [s for s in theme.indicators if not s.key.endswith(MARGIN_SUFFIX)]
    years = sorted({y for s in values for y, v in s.counts.items() if v is not None}, key=int)[
        -INDICATOR_YEARS:
    ]
    rows = []
    for series in values:
        margin = margins.get(series.key)
        decimals = 0 if series.unit in ("aantal", "") else 1
        cells = []
        for year in years:
            value = series.counts.get(year)
            extra = margin.counts.get(year) if margin else None
            cells.append(
                {"value": num(value, decimals), "margin": num(extra, decimals) if extra else ""}
            )
        if any(series.counts.get(year) is not None for year in years):
            rows.append({"title": series.title, "unit": series.unit, "cells": cells})
    keys = [k for s in theme.indicators for k in s.sources]
    return {
        "years": years,
        "rows": rows,
        "without_recent": len(values) - len(rows),
        "sources": _sources_text(picture, keys, with_population=False),
    }


# -- texts ---------------------------------------------------------------------------------


def _answers(onderwerp: services.Onderwerp, tekst: AnalyseTekst) -> list[dict]:
    result = []
    for name in onderwerp.vragen:
        if name == "oordeel":
            label = _("Oordeel van de werkgroep")
            value = tekst.get_oordeel_display() if tekst.oordeel else ""
        else:
            field = AnalyseTekst._meta.get_field(name)
            label = str(field.verbose_name).capitalize()
            value = getattr(tekst, name)
        result.append({"name": name, "label": label, "value": value})
    return result


def _tekst_block(
    request: HttpRequest,
    plan,
    onderwerp: services.Onderwerp,
    tekst: AnalyseTekst,
    *,
    can_edit: bool,
    form: TekstForm | None = None,
    conflict: services.StaleTextError | None = None,
    saved: bool = False,
    gemeente: str | None = None,
) -> dict:
    if can_edit and form is None:
        initial = {name: getattr(tekst, name) for name in onderwerp.vragen}
        form = TekstForm(onderwerp=onderwerp, initial={**initial, "version": tekst.version})
    action = reverse("veiligheidsanalyse:tekst", args=[plan.pk, onderwerp.code])
    return {
        "onderwerp": onderwerp,
        "slug": slug(onderwerp.code),
        "tekst": tekst,
        "answers": _answers(onderwerp, tekst),
        "form": form if can_edit else None,
        "action": f"{action}?{urlencode({'gemeente': gemeente})}" if gemeente else action,
        "conflict": conflict,
        "current": _answers(onderwerp, conflict.current) if conflict else None,
        "current_by": _who(conflict.current.updated_by) if conflict else "",
        "saved": saved,
        "updated_by": _who(tekst.updated_by) if tekst.pk else "",
    }


def _who(user) -> str:
    if user is None:
        return _("iemand anders")
    return user.get_full_name() or user.username


# -- the overview ----------------------------------------------------------------------------


def _theme_url(plan, veld: str, code: str, gemeente, gemeenten) -> str:
    url = _with_gemeente(
        reverse("veiligheidsanalyse:veld", args=[plan.pk, veld]), gemeente, gemeenten
    )
    return f"{url}#thema-{slug(code)}"


def _cards(plan, picture, teksten, gemeente, gemeenten) -> list[dict]:
    """The five fields with a card per theme (from the figures, or from the catalogue
    when there are none)."""
    oordelen = {code: t for code, t in teksten.items() if t.oordeel}
    result = []
    pictures = {f.code: f for f in picture.fields} if picture else {}
    for veld in _catalogue_fields():
        field_picture = pictures.get(veld.code)
        themes = {t.code: t for t in field_picture.themes} if field_picture else {}
        cards = []
        for thema in veld.themas:
            theme = themes.get(thema.code)
            summary = _summary(theme.total, picture.year) if theme else None
            proposed = [c.code for c in theme.categories if c.proposed] if theme else []
            oordeel = oordelen.get(thema.code)
            cards.append(
                {
                    "code": thema.code,
                    "title": thema.titel.replace("/", "/\u200b"),  # a line may break after "/"
                    "url": _theme_url(plan, veld.code, thema.code, gemeente, gemeenten),
                    "summary": summary,
                    "proposed": bool(theme and theme.total.proposed),
                    "score": theme.total.candidate.score
                    if theme and theme.total.candidate
                    else None,
                    "proposed_categories": proposed,
                    "categories": _category_rows(theme, picture.year) if theme else [],
                    "sources": list(thema.effectinformatie),
                    "oordeel": oordeel.get_oordeel_display() if oordeel else "",
                    "oordeel_value": oordeel.oordeel if oordeel else "",
                }
            )
        result.append(
            {
                "code": veld.code,
                "title": veld.titel,
                "url": _with_gemeente(
                    reverse("veiligheidsanalyse:veld", args=[plan.pk, veld.code]),
                    gemeente,
                    gemeenten,
                ),
                "summary": _summary(field_picture.total, picture.year) if field_picture else None,
                "cards": cards,
                "conclusie": teksten.get(f"V{veld.code}"),
            }
        )
    return result


def _theme_of(picture: vb.Veiligheidsbeeld) -> dict[str, tuple[str, str]]:
    """Series key → (field, theme) where it is shown first (its main theme)."""
    result: dict[str, tuple[str, str]] = {}
    for theme in picture.themes:
        result.setdefault(theme.total.key, (theme.veld, theme.code))
        for code in theme.total.categories:
            result.setdefault(code, (theme.veld, theme.code))
    for theme in picture.themes:
        for category in theme.categories:
            result.setdefault(category.key, (theme.veld, theme.code))
    return result


def _candidate_item(
    plan,
    picture: vb.Veiligheidsbeeld,
    series: vb.SeriesPicture | None,
    decision,
    *,
    gemeente: str,
    gemeenten,
    can_edit: bool,
    where: dict,
    form: BesluitForm | None = None,
    error: str = "",
) -> dict:
    key = series.key if series else decision.sleutel
    candidate = series.candidate if series else None
    veld, theme = where.get(key, (None, None))
    item = {
        "key": key,
        "slug": slug(key.replace(":", "-")),
        "code": series.code if series else key.partition(":")[2] or key,
        "kind": series.kind if series else "",
        "title": series.title if series else decision.titel,
        "score": candidate.score if candidate else (decision.score if decision else None),
        "proposed": bool(series and series.proposed),
        "reasons": list(candidate.reasons) if candidate else list(decision.redenen),
        "summary": candidate.summary if candidate else join_nl(decision.redenen),
        "caveats": list(candidate.caveats) if candidate else [],
        "url": _theme_url(plan, veld, theme, gemeente, gemeenten) if veld else "",
        "decision": decision,
        "decision_by": _who(decision.besloten_door) if decision else "",
        "decided_other_year": bool(decision and decision.peiljaar != picture.year),
        "gemeente": gemeente,
        "error": error,
    }
    if can_edit and series is not None:
        item["form"] = form or BesluitForm(
            initial={
                "sleutel": key,
                "gemeente": gemeente,
                "toelichting": decision.toelichting if decision else "",
            },
            auto_id=f"id_k{item['slug']}_%s",
        )
    return item


def _candidates(plan, picture, gemeente, gemeenten, can_edit) -> list[dict]:
    decisions = services.besluiten(plan, gemeente)
    where = _theme_of(picture)
    items = []
    seen = set()
    for series in picture.candidates():
        seen.add(series.key)
        items.append(
            _candidate_item(
                plan,
                picture,
                series,
                decisions.get(series.key),
                gemeente=gemeente,
                gemeenten=gemeenten,
                can_edit=can_edit,
                where=where,
            )
        )
    # A decision stays visible when the figures no longer propose the series.
    for key, decision in sorted(decisions.items()):
        if key in seen:
            continue
        items.append(
            _candidate_item(
                plan,
                picture,
                services.series_by_key(picture, key),
                decision,
                gemeente=gemeente,
                gemeenten=gemeenten,
                can_edit=can_edit,
                where=where,
            )
        )
    return items


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    gemeente, gemeenten = _gemeente(plan, request.GET.get("gemeente"))
    picture, no_data = _picture(plan, gemeente)
    can_edit = _can_edit(request, plan)
    teksten = services.teksten(plan)
    current_year = services.peiljaar(plan)
    peiljaar_form = None
    if can_edit:
        peiljaar_form = PeiljaarForm(
            initial={"peiljaar": current_year}, years=_available_years(gemeente)
        )
    from ivp.datasets.services import can_fetch

    return render(
        request,
        "veiligheidsanalyse/overview.html",
        _context(
            request,
            plan,
            gemeente=gemeente,
            gemeenten=gemeenten,
            picture=picture,
            no_data=no_data,
            fields=_cards(plan, picture, teksten, gemeente, gemeenten),
            candidates=_candidates(plan, picture, gemeente, gemeenten, can_edit) if picture else [],
            peiljaar_form=peiljaar_form,
            peiljaar=current_year,
            can_edit=can_edit,
            can_fetch=can_fetch(request.user),
            fetch_url=f"{reverse('datasets:fetch')}?{urlencode({'gemeente': gemeente or ''})}",
        ),
    )


@login_required
@require_POST
def peiljaar(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    _require_edit(request, plan)
    gemeente, gemeenten = _gemeente(plan, request.GET.get("gemeente"))
    form = PeiljaarForm(request.POST, years=_available_years(gemeente))
    if form.is_valid():
        services.set_peiljaar(plan, by=request.user, peiljaar=form.cleaned_data["peiljaar"])
        messages.success(request, _("Het peiljaar is opgeslagen."))
    else:
        messages.error(request, _("Kies een jaar uit de lijst."))
    return redirect(
        _with_gemeente(reverse("veiligheidsanalyse:overview", args=[plan.pk]), gemeente, gemeenten)
    )


@login_required
@require_POST
def besluit(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept, reject or withdraw the decision on a priority candidate."""
    plan = get_plan_for_user(request.user, pk)
    _require_edit(request, plan)
    form = BesluitForm(request.POST)
    gemeente, gemeenten = _gemeente(plan, request.POST.get("gemeente"))
    overview_url = _with_gemeente(
        reverse("veiligheidsanalyse:overview", args=[plan.pk]), gemeente, gemeenten
    )
    picture, no_data = _picture(plan, gemeente)
    if picture is None:
        messages.error(request, no_data)
        return redirect(overview_url)
    error = ""
    series = None
    if not form.is_valid() or form.cleaned_data["gemeente"] != gemeente:
        error = _("Kies aanvaarden of afwijzen.")
    else:
        series = services.series_by_key(picture, form.cleaned_data["sleutel"])
        if series is None:
            error = _("Deze reeks staat niet (meer) in de cijfers van %(gemeente)s.") % {
                "gemeente": picture.area_name
            }
        else:
            choice = form.cleaned_data["besluit"]
            try:
                services.decide_candidate(
                    plan,
                    by=request.user,
                    series=series,
                    gemeente=gemeente,
                    year=picture.year,
                    besluit=None if choice == "intrekken" else choice,
                    toelichting=form.cleaned_data["toelichting"],
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
    if request.htmx and series is not None:
        decision = services.besluiten(plan, gemeente).get(series.key)
        item = _candidate_item(
            plan,
            picture,
            series,
            decision,
            gemeente=gemeente,
            gemeenten=gemeenten,
            can_edit=True,
            where=_theme_of(picture),
            error=error,
        )
        return render(
            request, "veiligheidsanalyse/_kandidaat.html", _context(request, plan, item=item)
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, _("Het besluit over %(titel)s is opgeslagen.") % {"titel": series.title}
        )
    anchor = f"#kandidaat-{slug(series.key.replace(':', '-'))}" if series else ""
    return redirect(overview_url + anchor)


# -- one field ---------------------------------------------------------------------------


def _field_context(request: HttpRequest, plan, code: str, *, bound: dict | None = None) -> dict:
    """Everything the page of field ``code`` shows; ``bound``: onderwerp → (form,
    conflict) for a subject whose save is shown again."""
    fields = {v.code: v for v in _catalogue_fields()}
    if code not in fields:
        raise Http404
    veld = fields[code]
    bound = bound or {}
    gemeente, gemeenten = _gemeente(plan, request.GET.get("gemeente"))
    picture, no_data = _picture(plan, gemeente)
    can_edit = _can_edit(request, plan)
    subjects = services.onderwerpen()
    teksten = services.teksten(plan)

    def block(onderwerp_code: str) -> dict:
        onderwerp = subjects[onderwerp_code]
        form, conflict = bound.get(onderwerp_code, (None, None))
        return _tekst_block(
            request,
            plan,
            onderwerp,
            teksten.get(onderwerp_code) or AnalyseTekst(plan=plan, onderwerp=onderwerp_code),
            can_edit=can_edit,
            form=form,
            conflict=conflict,
            gemeente=gemeente if len(gemeenten) > 1 else None,
        )

    field_picture = next((f for f in picture.fields if f.code == code), None) if picture else None
    pictures = {t.code: t for t in field_picture.themes} if field_picture else {}
    themes = []
    for thema in veld.themas:
        theme = pictures.get(thema.code)
        entry = {
            "code": thema.code,
            "slug": slug(thema.code),
            "title": thema.titel,
            "sources": list(thema.effectinformatie),
            "note": theme.total.note if theme else "",
            "tekst": block(thema.code),
        }
        if theme is not None:
            total = theme.total
            entry.update(
                summary=_summary(total, picture.year),
                table=_figures_table(picture, theme),
                chart=mark_safe(_chart(picture, total)) if total.has_data else "",  # noqa: S308
                chart_sources=_sources_text(picture, total.sources),
                comparison=_comparison(picture, total) if total.has_data else None,
                long_trend=_trend(total.evidence.long_trend) if total.evidence else None,
                candidate=total.candidate,
                proposed=total.proposed,
                rate_notes=list(total.rate_notes),
                categories=[] if _single_category(theme) else _category_rows(theme, picture.year),
                missing=list(total.missing_categories),
                also_shown=list(total.also_shown),
                indicators=_indicators(picture, theme),
            )
        themes.append(entry)
    other_fields = [
        {
            "code": v.code,
            "title": v.titel,
            "url": _with_gemeente(
                reverse("veiligheidsanalyse:veld", args=[plan.pk, v.code]), gemeente, gemeenten
            ),
        }
        for v in fields.values()
    ]
    return _context(
        request,
        plan,
        veld=veld,
        code=code,
        gemeente=gemeente,
        gemeenten=gemeenten,
        picture=picture,
        no_data=no_data,
        field_summary=_summary(field_picture.total, picture.year) if field_picture else None,
        themes=themes,
        aspects=[block(a.code) for a in veld.aanpakaspecten],
        conclusie=block(f"V{code}"),
        can_edit=can_edit,
        other_fields=other_fields,
        overview_url=_with_gemeente(
            reverse("veiligheidsanalyse:overview", args=[plan.pk]), gemeente, gemeenten
        ),
    )


@login_required
def veld(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    return render(request, "veiligheidsanalyse/veld.html", _field_context(request, plan, code))


@login_required
@require_POST
def tekst(request: HttpRequest, pk: int, onderwerp: str) -> HttpResponse:
    """Save the answers for one subject. On a stale save the user's input stays in the
    form and the other person's text is shown next to it."""
    plan = get_plan_for_user(request.user, pk)
    subjects = services.onderwerpen()
    if onderwerp not in subjects:
        raise Http404
    _require_edit(request, plan)
    subject = subjects[onderwerp]
    form = TekstForm(request.POST, onderwerp=subject)
    conflict = None
    if form.is_valid():
        try:
            saved = services.save_tekst(
                plan,
                by=request.user,
                onderwerp=onderwerp,
                expected_version=form.cleaned_data["version"],
                **form.values(),
            )
        except services.StaleTextError as error:
            conflict = error
            # Keep the user's input, but let the next save build on what is stored now.
            form.data = form.data.copy()
            form.data[form.add_prefix("version")] = error.current.version
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            if request.htmx:
                block = _tekst_block(
                    request,
                    plan,
                    subject,
                    saved,
                    can_edit=True,
                    saved=True,
                    gemeente=request.GET.get("gemeente"),
                )
                return render(
                    request,
                    "veiligheidsanalyse/_tekst.html",
                    _context(request, plan, blok=block),
                )
            messages.success(
                request, _("De tekst over %(titel)s is opgeslagen.") % {"titel": subject.titel}
            )
            url = reverse("veiligheidsanalyse:veld", args=[plan.pk, subject.veld])
            gemeente = request.GET.get("gemeente")
            if gemeente:
                url = f"{url}?{urlencode({'gemeente': gemeente})}"
            return redirect(f"{url}#onderwerp-{slug(onderwerp)}")
    if request.htmx:
        block = _tekst_block(
            request,
            plan,
            subject,
            conflict.current if conflict else services.tekst(plan, onderwerp),
            can_edit=True,
            form=form,
            conflict=conflict,
            gemeente=request.GET.get("gemeente"),
        )
        # htmx swaps only 2xx answers by default: answer 200 with the form and the message.
        return render(
            request, "veiligheidsanalyse/_tekst.html", _context(request, plan, blok=block)
        )
    context = _field_context(request, plan, subject.veld, bound={onderwerp: (form, conflict)})
    return render(request, "veiligheidsanalyse/veld.html", context)
