"""Where a running plan stands: the snapshot behind the step-6 page, ``ivp plan progress``
and the reports. A plain dict (JSON), so that a sent report keeps it as it was; every
confidential part carries ``"confidential": true`` and :func:`public` drops them (with
every count and total they would show up in).

Of a joint plan (several gemeenten) every part, measure and indicator also carries its scope,
``"gemeente": null`` (shared) or the gemeente's code (local), and ``"local"`` sums up each
gemeente's local parts; a plan of one gemeente keeps the snapshot without these keys."""

from __future__ import annotations

import copy
from collections import Counter
from datetime import date
from typing import Any

from django.utils import timezone

from ivp.beleidsplan.models import Effectindicator
from ivp.plans.models import Plan
from ivp.sturing import periods, services, verdicts
from ivp.sturing.models import Voortgangsstatus

NO_REPORT = "geen_melding"
STATUS_LABELS = {**{s.value: str(s.label) for s in Voortgangsstatus}, NO_REPORT: "Nog geen melding"}
STATUS_ORDER = (*Voortgangsstatus.values, NO_REPORT)


def default_period(plan: Plan, today: date | None = None) -> periods.Period:
    """The period of the latest meeting up to today (the current quarter otherwise),
    within the plan's years."""
    today = today or timezone.localdate()
    year = min(max(today.year, plan.periode_start), plan.periode_eind)
    day = today if year == today.year else date(year, 12, 31)
    return services.period_of_meeting(plan, day)


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _measure(m, until: date, hidden: bool) -> dict[str, Any]:
    updates = [u for u in services.history(m) if u.datum <= until]
    latest = updates[0] if updates else None
    status = latest.status if latest else NO_REPORT
    return {
        "id": m.pk,
        "title": m.titel,
        "item": m.onderdeel.titel,
        "trekker": ", ".join(t for t in (m.bestuurlijk_trekker, m.ambtelijk_trekker) if t),
        "partners": list(m.partners or []),
        "planning": m.planning_tekst,
        "status": status,
        "status_label": STATUS_LABELS[status],
        "text": latest.tekst if latest else "",
        "date": latest.datum.isoformat() if latest else None,
        "by": latest.wie if latest else "",
        "contributors": [_name(u) for u in services.assignees(m)],
        "history": [
            {
                "date": u.datum.isoformat(),
                "status": u.status,
                "status_label": STATUS_LABELS[u.status],
                "text": u.tekst,
                "by": u.wie,
            }
            for u in updates
        ],
        "confidential": hidden,
    }


def _indicator(ind: Effectindicator, last_year: int, hidden: bool) -> dict[str, Any]:
    rows = services.realisations(ind, until_year=last_year)
    reals = []
    for r in rows:
        revised = r.herziening_van
        reals.append(
            {
                "year": r.jaar,
                "value": r.waarde,
                "source": r.bron,
                "status": r.status,
                "origin": r.herkomst,
                "note": r.toelichting,
                "revises": (
                    {"value": revised.waarde, "status": revised.status, "source": revised.bron}
                    if revised is not None
                    else None
                ),
            }
        )
    latest = rows[-1] if rows else None
    verdict = verdicts.judge(
        value=latest.waarde if latest else None,
        year=latest.jaar if latest else None,
        target=ind.streefwaarde,
        target_year=ind.streefjaar,
        direction=ind.richting,
        count=latest.aantal if latest else None,
        base=latest.basis if latest else None,
        baseline_count=latest.uitgangsaantal if latest else None,
        baseline_base=latest.uitgangsbasis if latest else None,
        dispersion=latest.dispersie if latest else 1.0,
        dispersion_df=latest.dispersie_df if latest else None,
    )
    band = None
    with_counts = next((r for r in reversed(rows) if r.uitgangsaantal is not None), None)
    if with_counts is not None:
        found = verdicts.band(
            with_counts.uitgangsaantal,
            with_counts.uitgangsbasis if ind.eenheid != Effectindicator.Eenheid.AANTAL else None,
            dispersion=with_counts.dispersie,
            dispersion_df=with_counts.dispersie_df,
        )
        if found:
            band = {"low": round(found[0], 2), "high": round(found[1], 2)}
    return {
        "id": ind.pk,
        "name": ind.naam,
        "unit": ind.eenheid,
        "unit_label": str(Effectindicator.Eenheid(ind.eenheid).label),
        "source": ind.bron_toelichting or str(Effectindicator.Bron(ind.bron).label),
        "linked_series": ind.reeks,
        "baseline": {
            "value": ind.uitgangswaarde,
            "year": ind.uitgangsjaar,
            "provisional": ind.uitgangswaarde_voorlopig,
        },
        "target": {"value": ind.streefwaarde, "year": ind.streefjaar, "direction": ind.richting},
        "realisations": reals,
        "verdict": {"code": verdict.code, "label": verdict.label, "text": verdict.text},
        "noise_band": band,
        "confidential": hidden,
    }


def _signals(plan: Plan) -> list[dict[str, Any]]:
    """The analysis candidates for themes outside the priorities: what the latest figures
    show that the plan does not yet address."""
    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.beleidsplan.services import prioritised_themes

    try:
        picture = services.latest_picture(plan)
    except (vb.NoData, vb.UnknownArea):
        return []
    covered = set(prioritised_themes(plan))
    found = []
    for s in picture.candidates(only_proposed=True):
        if s.key.startswith("thema:"):
            themes = {s.key.split(":", 1)[1]}
        else:
            themes = {t.code for t in picture.themes if any(c.key == s.key for c in t.categories)}
        if themes & covered:
            continue
        found.append(
            {
                "key": s.key,
                "title": s.title,
                "themes": sorted(themes),
                "text": s.candidate.summary[:1].upper() + s.candidate.summary[1:] + ".",
                "year": picture.year,
            }
        )
    return found[:5]


def _meeting(plan: Plan, p: periods.Period) -> list[dict[str, Any]]:
    """The agenda points and decisions of the voortgangsoverleg in the period (of every
    meeting in the year, for a year)."""
    from ivp.sturing.models import Overlegpunt

    rows = Overlegpunt.objects.filter(plan=plan).select_related("maatregel", "nieuwe_maatregel")
    if p.kind == "jaar":
        rows = rows.filter(periode__startswith=str(p.year))
    else:
        rows = rows.filter(periode=p.code)
    return [
        {
            "id": r.pk,
            "period": r.periode,
            "kind": r.soort,
            "kind_label": str(r.get_soort_display()),
            "title": r.titel,
            "text": r.toelichting,
            "decision": r.besluit,
            "new_measure": r.nieuwe_maatregel.titel if r.nieuwe_maatregel else "",
            "confidential": services.point_is_confidential(r),
        }
        for r in rows.order_by("periode", "volgorde", "pk")
    ]


def progress(
    plan: Plan, *, period: str | None = None, internal: bool = False, sync: bool = True
) -> dict[str, Any]:
    """The snapshot of ``plan`` at the end of ``period`` (default: the current one).
    ``internal``: with the confidential parts (marked); otherwise without them."""
    from ivp.beleidsplan.confidential import confidential_parts
    from ivp.uitvoering.confidential import hidden_items

    p = periods.parse(period) if period else default_period(plan)
    if sync:
        services.sync_realisations(plan)
    parts = confidential_parts(plan)
    until = min(p.end, timezone.localdate())
    up = services.current_plan_year(plan, p.year)
    hidden_onderdelen = hidden_items(parts, plan)
    members = sorted(plan.gemeenten.all(), key=lambda g: g.naam)
    joint = len(members) > 1
    owners: list[dict[str, Any]] = []
    by_owner: dict[tuple[str, int], dict[str, Any]] = {}
    for kind, rows in (
        ("prioriteit", plan.prioriteiten.select_related("gemeente")),
        ("cluster", plan.overige_themas.select_related("gemeente")),
    ):
        for owner in rows:
            entry = {
                "kind": kind,
                "id": owner.pk,
                "title": owner.titel,
                "goal": owner.doel,
                "confidential": parts.hides(owner),
                "measures": [],
                "indicators": [],
            }
            if joint:
                entry["gemeente"] = owner.gemeente.code if owner.gemeente_id else None
            owners.append(entry)
            by_owner[(kind, owner.pk)] = entry
    measures: list[dict[str, Any]] = []
    if up is not None:
        from ivp.uitvoering.models import Maatregel

        for m in Maatregel.objects.filter(onderdeel__uitvoeringsplan=up).select_related(
            "onderdeel", "overgenomen_van"
        ):
            item = m.onderdeel
            entry = _measure(m, until, item.pk in hidden_onderdelen)
            key = ("prioriteit", item.prioriteit_id) if item.prioriteit_id else (
                "cluster", item.overig_thema_id
            )  # fmt: skip
            entry["part"] = by_owner[key]["title"] if key in by_owner else ""
            if joint:
                entry["gemeente"] = by_owner[key]["gemeente"] if key in by_owner else None
            measures.append(entry)
            if key in by_owner:
                by_owner[key]["measures"].append(entry)
    plan_indicators = []
    for ind in Effectindicator.objects.filter(plan=plan):
        entry = _indicator(ind, p.last_complete_year, parts.hides(ind))
        owner = None
        if ind.prioriteit_id:
            owner = by_owner[("prioriteit", ind.prioriteit_id)]
        elif ind.overig_thema_id:
            owner = by_owner[("cluster", ind.overig_thema_id)]
        if joint:
            entry["gemeente"] = owner["gemeente"] if owner else None
        (owner["indicators"] if owner else plan_indicators).append(entry)
    names = [g.naam for g in members]
    snapshot = {
        "plan": {
            "id": plan.pk,
            "title": plan.titel,
            "period": [plan.periode_start, plan.periode_eind],
            "municipalities": names,
        },
        "period": {
            "code": p.code,
            "label": p.label,
            "kind": p.kind,
            "start": p.start.isoformat(),
            "end": p.end.isoformat(),
            "figures_up_to": p.last_complete_year,
        },
        "implementation_plan": up.jaar if up else None,
        "made_on": timezone.localdate().isoformat(),
        "parts": owners,
        "plan_indicators": plan_indicators,
        "measures": measures,
        "signals": _signals(plan),
        "meeting": _meeting(plan, p),
    }
    if joint:
        snapshot["plan"]["members"] = [{"gemeente": g.code, "name": g.naam} for g in members]
    finish(snapshot)
    return snapshot if internal else public(snapshot)


def finish(snapshot: dict[str, Any]) -> None:
    """Counts, knelpunten and indicator totals from the lists (again after filtering)."""
    measures = snapshot["measures"]
    counts = Counter(m["status"] for m in measures)
    snapshot["counts"] = {s: counts.get(s, 0) for s in STATUS_ORDER}
    for part in snapshot["parts"]:
        c = Counter(m["status"] for m in part["measures"])
        part["counts"] = {s: c.get(s, 0) for s in STATUS_ORDER}
    keys = ("id", "title", "part", "status", "status_label", "text", "date", "by", "confidential")
    snapshot["knelpunten"] = [
        {k: m[k] for k in (*keys, "gemeente") if k in m}
        for m in measures
        if m["status"] in (Voortgangsstatus.VERTRAAGD, Voortgangsstatus.GESTOPT)
    ]
    indicators = all_indicators(snapshot)
    v = Counter(i["verdict"]["code"] for i in indicators)
    snapshot["verdicts"] = {code: v.get(code, 0) for code in verdicts.ORDER}
    snapshot["indicators"] = indicators
    if is_joint(snapshot):
        snapshot["local"] = [
            {"gemeente": code, "name": name, **_summary(local_part(snapshot, code))}
            for code, name in members_of(snapshot)
        ]


# -- joint plans (several gemeenten of one base team; docs/joint-plans.md) ----------------


def is_joint(snapshot: dict[str, Any]) -> bool:
    """Whether the snapshot is of a joint plan (or of one member's part of it)."""
    return bool(snapshot["plan"].get("members"))


def members_of(snapshot: dict[str, Any]) -> list[tuple[str, str]]:
    return [(m["gemeente"], m["name"]) for m in snapshot["plan"].get("members") or []]


def _summary(part: dict[str, Any]) -> dict[str, Any]:
    return {
        "parts": len(part["parts"]),
        "measures": len(part["measures"]),
        "counts": part["counts"],
        "knelpunten": len(part["knelpunten"]),
        "indicators": len(part["indicators"]),
        "verdicts": part["verdicts"],
    }


def _scoped(snapshot: dict[str, Any], keep) -> dict[str, Any]:
    """A copy with the parts and measures whose gemeente ``keep`` accepts, recounted."""
    result = copy.deepcopy({k: v for k, v in snapshot.items() if k != "local"})
    result["parts"] = [p for p in result["parts"] if keep(p.get("gemeente"))]
    result["measures"] = [m for m in result["measures"] if keep(m.get("gemeente"))]
    if not keep(None):
        result["plan_indicators"] = []
    result["plan"]["members"] = []  # a view, not a joint snapshot: no "local" summary
    finish(result)
    return result


def shared_part(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The base-team level: the shared priorities and clusters and the plan's indicators."""
    return _scoped(snapshot, lambda g: g is None)


def local_part(snapshot: dict[str, Any], code: str) -> dict[str, Any]:
    """Gemeente ``code``'s local priorities and clusters only."""
    return _scoped(snapshot, lambda g: g == code)


def for_member(snapshot: dict[str, Any], code: str) -> dict[str, Any]:
    """One member's version: the shared parts and its own local parts (its council's
    report); the snapshot names only that member."""
    result = copy.deepcopy(snapshot)
    result["parts"] = [p for p in result["parts"] if p.get("gemeente") in (None, code)]
    result["measures"] = [m for m in result["measures"] if m.get("gemeente") in (None, code)]
    result["plan"]["members"] = [m for m in result["plan"]["members"] if m["gemeente"] == code]
    result["plan"]["member"] = code
    finish(result)
    return result


def all_indicators(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(snapshot["plan_indicators"])
    for part in snapshot["parts"]:
        found.extend(part["indicators"])
    return found


def public(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot without its confidential parts, measures and indicators."""
    result = copy.deepcopy(snapshot)
    result["parts"] = [p for p in result["parts"] if not p["confidential"]]
    for part in result["parts"]:
        part["measures"] = [m for m in part["measures"] if not m["confidential"]]
        part["indicators"] = [i for i in part["indicators"] if not i["confidential"]]
    result["plan_indicators"] = [i for i in result["plan_indicators"] if not i["confidential"]]
    result["measures"] = [m for m in result["measures"] if not m["confidential"]]
    result["meeting"] = [m for m in result.get("meeting", []) if not m["confidential"]]
    finish(result)
    result["public"] = True
    return result
