"""The area of a joint plan side by side: per theme and category the area as a whole and
each member gemeente (count and rate in the reference year, the test against the year
before), with the politie-eenheid and the Netherlands as references. Every figure comes from
``services.area_pictures`` (the same pictures as the other pages of step 2)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ivp.analysis import veiligheidsbeeld as vb
from ivp.plans.access import get_plan_for_user
from ivp.veiligheidsanalyse import services
from ivp.veiligheidsanalyse.views.figures import (
    DASH,
    RATE_DECIMALS,
    _catalogue_fields,
    _context,
    _summary,
    _with_gemeente,
    num,
)


def _references(series: vb.SeriesPicture | None) -> tuple[str, str]:
    """The politie-eenheid's and the Netherlands' rate of the area's series."""
    ev = series.evidence if series is not None else None
    refs = ev.benchmark.references if ev and ev.benchmark else {}
    unit = next((v for k, v in refs.items() if k.startswith("politie-eenheid")), None)
    return num(unit, RATE_DECIMALS), num(refs.get(vb.NETHERLANDS), RATE_DECIMALS)


def _member_cell(series: vb.SeriesPicture | None, year: int) -> dict | None:
    found = _summary(series, year)
    if found is None:
        return None
    return {"count": found["count"], "rate": found["rate"], "vs_previous": found["vs_previous"]}


def side_by_side(aggregate, members, year: int) -> list[dict]:
    """Rows per field: its themes with data anywhere, and their main categories."""
    lookup = {
        code: {
            **{t.code: t.total for t in p.themes},
            **{f"cat:{c.code}": c for c in p.categories},
        }
        for code, _n, p, _r in members
        if p is not None
    }
    area = {}
    if aggregate is not None:
        area = {t.code: t.total for t in aggregate.themes}
        area.update({f"cat:{c.code}": c for c in aggregate.categories})
    fields = []
    total_key = f"cat:{vb.TOTAL}"
    total_cells = [_member_cell(lookup.get(code, {}).get(total_key), year) for code, *_x in members]
    total_area = area.get(total_key)
    if _summary(total_area, year) or any(total_cells):
        unit, nl = _references(total_area)
        fields.append(
            {
                "code": "0",
                "title": _("Alle geregistreerde misdrijven"),
                "rows": [
                    {
                        "title": _("Totaal misdrijven"),
                        "category": False,
                        "area": _summary(total_area, year),
                        "members": total_cells,
                        "unit": unit,
                        "nl": nl,
                    }
                ],
            }
        )
    for veld in _catalogue_fields():
        rows = []
        for thema in veld.themas:
            keys = [thema.code]
            theme_total = area.get(thema.code)
            cats = theme_total.categories if theme_total is not None else ()
            if not cats:
                cats = next(
                    (lookup[c][thema.code].categories for c in lookup if thema.code in lookup[c]),
                    (),
                )
            keys += [f"cat:{c}" for c in cats if len(cats) > 1]
            for key in keys:
                series_area = area.get(key)
                cells = [_member_cell(lookup.get(code, {}).get(key), year) for code, *_x in members]
                summary = _summary(series_area, year)
                if summary is None and not any(cells):
                    continue
                unit, nl = _references(series_area)
                title = (
                    f"{thema.code} {thema.titel}"
                    if key == thema.code
                    else next(
                        (
                            f"{s.code} {s.title}"
                            for s in [series_area, *(lookup.get(c, {}).get(key) for c in lookup)]
                            if s is not None
                        ),
                        key,
                    )
                )
                rows.append(
                    {
                        "title": title,
                        "category": key != thema.code,
                        "area": summary,
                        "members": cells,
                        "unit": unit,
                        "nl": nl,
                    }
                )
        if rows:
            fields.append({"code": veld.code, "title": veld.titel, "rows": rows})
    return fields


@login_required
def gebied(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    if not services.is_joint(plan):
        raise Http404(_("Dit plan is van één gemeente."))
    aggregate, members = services.area_pictures(plan)
    year = aggregate.year if aggregate else next((p.year for _c, _n, p, _r in members if p), None)
    fields = side_by_side(aggregate, members, year) if year else []
    eenheid = next(
        (d for n, d, _m in (aggregate.groups if aggregate else ()) if n == vb.UNIT_MEMBERS),
        "",
    )
    return render(
        request,
        "veiligheidsanalyse/gebied.html",
        _context(
            request,
            plan,
            aggregate=aggregate,
            area_name=services.area_name(plan),
            members=members,
            year=year,
            fields=fields,
            eenheid=eenheid,
            dash=DASH,
            overview_url=_with_gemeente(
                reverse("veiligheidsanalyse:overview", args=[plan.pk]), services.AREA, [1, 2]
            ),
        ),
    )
