"""The key figures of the IVP's starting situation (chapter 1), gathered as plain JSON: per
safety field the figures of its themes in the reference year (count, per 1,000 inhabitants,
change against the year before with the analysis' own verdict, the ratio to the median of
comparable gemeenten), the field's rates over the years for one chart, the working group's
conclusion of step 2, the tables they come from, and, where the gemeente had an earlier plan
in ivp, that plan's indicators with their latest figure. Frozen with a version
(``services.freeze``) so the adopted document keeps its figures; ``documents.situation``
writes them.
"""

from __future__ import annotations

from typing import Any


def _series(series, group_name: str, year: int) -> dict[str, Any] | None:
    ev = series.evidence
    if not series.has_data or ev is None:
        return None
    group = ev.benchmark.group(group_name) if ev.benchmark else None
    return {
        "count": ev.count,
        "rate": ev.rate,
        "change": ev.change.vs_previous.percent,
        "verdict": ev.change.vs_previous.verdict,
        "ratio": group.ratio_to_median if group else None,
        "rank": group.rank if group else None,
        "of": group.of if group else None,
    }


def _chart_lines(series, group_name: str) -> dict[str, Any]:
    lines: dict[str, Any] = {"own": dict(series.rates)}
    for line in series.lines:
        if line.name == f"mediaan {group_name}":
            lines["median"] = dict(line.median)
        elif line.kind == "referentie" and line.name == "Nederland":
            lines["national"] = dict(line.median)
    return lines


def starting_situation(plan) -> dict[str, Any] | None:
    """The key figures per field of the plan's (first) gemeente in its reference year, or
    None without figures."""
    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.veiligheidsanalyse import services

    try:
        picture = services.veiligheidsbeeld(plan)
    except (vb.NoData, vb.UnknownArea):
        return None
    texts = services.teksten(plan)
    group = next((d for n, d, _m in picture.groups if n == vb.SIZE_CLASS), "")
    members = next((m for n, _d, m in picture.groups if n == vb.SIZE_CLASS), 0)
    keys: list[str] = []
    fields = []
    for field in picture.fields:
        total = _series(field.total, vb.SIZE_CLASS, picture.year)
        rows = []
        for theme in field.themes:
            figures = _series(theme.total, vb.SIZE_CLASS, picture.year)
            if figures is None:
                continue
            rows.append({"code": theme.code, "title": theme.title, **figures})
            keys += theme.total.sources
        conclusion = texts.get(f"V{field.code}")
        fields.append(
            {
                "code": field.code,
                "title": field.title,
                "total": total,
                "themes": rows,
                "chart": _chart_lines(field.total, vb.SIZE_CLASS) if total else None,
                "conclusion": (conclusion.conclusie if conclusion else "").strip(),
            }
        )
        keys += field.total.sources
    population = [k for k in picture.sources if k.split("|")[0] == "70072NED"][:1] or [
        k for k in picture.sources if k.split("|")[0] == "37230NED"
    ][:1]
    sources = []
    for key in [*keys, *population]:
        info = picture.sources.get(key)
        if info and all(s["table"] != info["table"] for s in sources):
            sources.append(
                {k: info.get(k, "") for k in ("table", "title", "attribution", "retrieved")}
            )
    return {
        "year": picture.year,
        "provisional_years": list(picture.provisional_years),
        "municipality": picture.area_name,
        "group": group,
        "group_size": members,
        "fields": fields,
        "sources": sources,
        "look_back": _look_back(plan),
    }


def _look_back(plan) -> dict[str, Any] | None:
    """The indicators of the gemeente's previous plan in ivp (the one that ended before this
    one starts): baseline, target and the latest figure."""
    from ivp.beleidsplan import services as bp
    from ivp.beleidsplan.models import Effectindicator
    from ivp.plans.models import Plan

    previous = (
        Plan.objects.filter(gemeenten__in=plan.gemeenten.all(), periode_eind__lt=plan.periode_start)
        .exclude(pk=plan.pk)
        .order_by("-periode_eind")
        .first()
    )
    if previous is None:
        return None
    rows = []
    for ind in Effectindicator.objects.filter(plan=previous).exclude(uitgangswaarde=None):
        now = bp.baseline_from_data(previous, ind.reeks, ind.eenheid) if ind.reeks else None
        rows.append(
            {
                "name": ind.naam,
                "unit": ind.eenheid,
                "baseline": ind.uitgangswaarde,
                "baseline_year": ind.uitgangsjaar,
                "target": ind.streefwaarde,
                "target_year": ind.streefjaar,
                "direction": ind.richting,
                "latest": now.value if now else None,
                "latest_year": now.year if now else None,
            }
        )
    return {"title": previous.titel, "period": previous.periode, "indicators": rows}
