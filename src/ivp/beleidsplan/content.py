"""The whole content of a plan as plain JSON (format ``ivp-plan/1``): the backup of
``ivp plan export --format json``, the input of ``ivp plan import``, the frozen content of a
``PlanVersie``, and what the IVP document is built from. So a version adopted by the
council is exported from exactly what was frozen.

``plan_content(plan)`` reads; ``import_plan(data, by=…)`` creates a *new* plan from it (all or
nothing: a file with errors changes nothing and lists every problem with its JSON path).
Export → import → export gives the same JSON apart from identifiers and dates
(``comparable()`` drops those).

The document's own shape travels with it: every chapter with its kind (the method's, an own
chapter, an annex), title, order, reference key, whether it is left out, and its numbered
sections; the cover's subtitle and the headings of a priority's parts (``document``); the
references of priorities and clusters; per measure its sub-group, its one partner list and its
planning as written. These were added to ``ivp-plan/1`` without changing its name: an older
file lacks them and imports with the method's default shape.
"""

from __future__ import annotations

import uuid as uuid_module
from datetime import date
from typing import Any

from django.db import transaction

FORMAT = "ivp-plan/1"
_VOLATILE = {"exported_at", "id", "uuid", "updated_at", "decided_at", "created_at", "at"}
_BACKUP_ONLY = ("versions", "comments", "history", "roles")


class PlanImportError(ValueError):
    """The file is not a valid plan export; ``problems`` lists (path, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p}: {m}" for p, m in problems))


def _indicator(ind) -> dict[str, Any]:
    return {
        "name": ind.naam,
        "source": ind.bron,
        "source_note": ind.bron_toelichting,
        "unit": ind.eenheid,
        "series": ind.reeks,
        "municipality": ind.gemeente,
        "catalogue_id": ind.catalogus_id,
        "baseline": ind.uitgangswaarde,
        "baseline_year": ind.uitgangsjaar,
        "baseline_provisional": ind.uitgangswaarde_voorlopig,
        "target": ind.streefwaarde,
        "target_year": ind.streefjaar,
        "direction": ind.richting,
        "order": ind.volgorde,
    }


def _part(obj, indicators) -> dict[str, Any]:
    return {
        "title": obj.titel,
        "key": obj.sleutel,
        "themes": list(obj.themas),
        "order": obj.volgorde,
        "why": obj.waarom,
        "approach": obj.hoofdlijnen,
        "flanking": obj.flankerend_beleid,
        "goal": obj.doel,
        "confidential": obj.vertrouwelijk,
        "indicators": [_indicator(i) for i in indicators],
        # a joint plan: the gemeente of a local part (None: shared)
        "municipality": obj.gemeente.code if obj.gemeente_id else None,
    }


def plan_content(plan) -> dict[str, Any]:
    """Everything a user entered in ``plan``, in the order of the method."""
    from ivp.beleidsplan.models import Effectindicator, OverigThema, PlanVersie
    from ivp.datasets.models import PlanMapping
    from ivp.veiligheidsanalyse.models import AnalyseInstelling, AnalyseTekst, KandidaatBesluit

    indicators = list(Effectindicator.objects.filter(plan=plan).order_by("volgorde", "pk"))
    latest = PlanVersie.objects.filter(plan=plan).order_by("-nummer").first()
    settings = AnalyseInstelling.objects.filter(plan=plan).first()
    return {
        "format": FORMAT,
        "exported_at": date.today().isoformat(),
        "plan": {
            "id": plan.pk,
            "uuid": str(plan.uuid),
            "title": plan.titel,
            "municipalities": [
                {"code": g.code, "name": g.naam} for g in plan.gemeenten.order_by("code")
            ],
            "period": [plan.periode_start, plan.periode_eind],
            "introduction": plan.toelichting,
            "status": "concept",
            "version": (latest.nummer + 1) if latest else 1,
            "adopted_on": None,
        },
        "steps": [
            {
                "number": s.nummer,
                "status": s.status,
                "planned_start": s.gepland_start.isoformat() if s.gepland_start else None,
                "planned_end": s.gepland_eind.isoformat() if s.gepland_eind else None,
            }
            for s in plan.stappen.order_by("nummer")
        ],
        "working_group": [
            {"name": w.naam, "organisation": w.organisatie, "role": w.functie, "email": w.email}
            for w in plan.werkgroep.order_by("organisatie", "naam")
        ],
        "mapping": [
            {"code": m.code, "themes": list(m.themes), "note": m.note}
            for m in PlanMapping.objects.filter(plan=plan).order_by("code")
        ],
        "analysis": {
            "reference_year": settings.peiljaar if settings else None,
            "texts": [
                {
                    "subject": t.onderwerp,
                    "problem": t.probleem,
                    "current_approach": t.huidige_aanpak,
                    "extra": t.extra,
                    "conclusion": t.conclusie,
                    "verdict": t.oordeel,
                }
                for t in AnalyseTekst.objects.filter(plan=plan).order_by("onderwerp")
            ],
            "decisions": [
                {
                    "key": d.sleutel,
                    "title": d.titel,
                    "municipality": d.gemeente,
                    "year": d.peiljaar,
                    "decision": d.besluit,
                    "note": d.toelichting,
                    "score": d.score,
                    "reasons": list(d.redenen),
                    "decided_at": d.besloten_op.isoformat() if d.besloten_op else None,
                }
                for d in KandidaatBesluit.objects.filter(plan=plan).order_by("gemeente", "sleutel")
            ],
        },
        "document": _document_settings(plan),
        "chapters": _chapters(plan),
        "indicators": [
            _indicator(i)
            for i in indicators
            if i.prioriteit_id is None and i.overig_thema_id is None
        ],
        "priorities": [
            {
                **_part(p, [i for i in indicators if i.prioriteit_id == p.pk]),
                "accents": list(p.accenten),
                "reason_over_maximum": p.reden_boven_maximum,
                "ambition": p.ambitie,
                "effect": p.beoogd_effect,
                "actions": [
                    {"text": a.get("tekst", ""), "term": a.get("termijn", "")} for a in p.acties
                ],
            }
            for p in plan.prioriteiten.select_related("gemeente").order_by("volgorde", "pk")
        ],
        "ongoing": [
            _part(o, [i for i in indicators if i.overig_thema_id == o.pk])
            for o in OverigThema.objects.filter(plan=plan)
            .select_related("gemeente")
            .order_by("volgorde", "pk")
        ],
        "implementation_plans": (implementation := _implementation_plans(plan)),
        "partner_kinds": _partner_kinds(
            plan,
            {
                name
                for up in implementation
                for item in up["items"]
                for m in item["measures"]
                for name in m["partners"]
            },
        ),
    }


def shape_content(plan) -> dict[str, Any]:
    """Only what the numbering of the IVP needs (chapters, priorities and clusters with
    their keys), for ``outline.outline`` without reading the whole plan."""
    from ivp.beleidsplan.models import OverigThema

    return {
        "chapters": _chapters(plan),
        "priorities": [
            {"title": p.titel, "key": p.sleutel, "order": p.volgorde}
            for p in plan.prioriteiten.order_by("volgorde", "pk")
        ],
        "ongoing": [
            {"title": o.titel, "key": o.sleutel, "order": o.volgorde}
            for o in OverigThema.objects.filter(plan=plan).order_by("volgorde", "pk")
        ],
    }


def _document_settings(plan) -> dict[str, Any]:
    from ivp.beleidsplan.models import Documentopmaak

    opmaak = Documentopmaak.objects.filter(plan=plan).first() or Documentopmaak(plan=plan)
    return {
        "subtitle": opmaak.ondertitel,
        "part_titles": {
            "why": opmaak.kop_waarom,
            "approach": opmaak.kop_hoofdlijnen,
            "flanking": opmaak.kop_flankerend,
            "goal": opmaak.kop_doel,
        },
    }


def _chapters(plan) -> list[dict[str, Any]]:
    """The stored chapters and annexes in order, each with its sections. ``title`` is the
    printed title (the method's when the plan has none of its own)."""
    from ivp.beleidsplan.models import Hoofdstuk

    chapters = []
    for h in Hoofdstuk.objects.filter(plan=plan).prefetch_related("paragrafen"):
        chapters.append(
            {
                "number": h.nummer,
                "kind": h.soort,
                "key": h.sleutel,
                "title": h.weergavetitel,
                "order": h.volgorde,
                "omitted": h.weggelaten,
                "text": h.tekst,
                "red_threads": list(h.rode_draden),
                "strategic_themes": list(h.strategische_themas),
                "confidential": h.vertrouwelijk,
                "sections": [
                    {
                        "key": p.sleutel,
                        "title": p.titel,
                        "text": p.tekst,
                        "order": p.volgorde,
                        "confidential": p.vertrouwelijk,
                    }
                    for p in h.paragrafen.all()
                ],
            }
        )
    return chapters


def _partner_kinds(plan, names) -> dict[str, str]:
    from ivp.uitvoering.models import Partner

    kinds = dict(
        Partner.objects.filter(gemeente__in=plan.gemeenten.all(), naam__in=list(names))
        .exclude(soort="")
        .values_list("naam", "soort")
    )
    return {name: kinds[name] for name in sorted(kinds)}


def _measure(m) -> dict[str, Any]:
    return {
        "title": m.titel,
        "subgroup": m.subgroep,
        "description": m.beschrijving,
        "administrative_lead": m.bestuurlijk_trekker,
        "official_lead": m.ambtelijk_trekker,
        "partners": list(m.partners),
        "carried_over": m.overgenomen_van_id is not None,
        "planning": {
            "kind": m.planning,
            "year": m.planning_jaar,
            "onwards": m.planning_vervolg,
            "quarter": m.planning_kwartaal,
            "start": m.start.isoformat() if m.start else None,
            "end": m.eind.isoformat() if m.eind else None,
            "text": m.planning_tekst,
        },
        "performance_indicator": m.prestatie_indicator,
        "performance_target": m.prestatie_doel,
        "budget": str(m.budget) if m.budget is not None else None,
        "budget_source": m.budget_bron,
        "status": m.status,
        "catalogue_id": m.catalogus_id,
        "order": m.volgorde,
    }


def _implementation_plans(plan) -> list[dict[str, Any]]:
    from django.db.models import Prefetch

    from ivp.uitvoering.models import Maatregel, Uitvoeringsplan

    result = []
    for up in Uitvoeringsplan.objects.filter(plan=plan).order_by("jaar"):
        items = []
        for item in (
            up.onderdelen.select_related("prioriteit", "overig_thema")
            .prefetch_related(
                Prefetch("maatregelen", queryset=Maatregel.objects.order_by("volgorde", "pk"))
            )
            .order_by("volgorde", "pk")
        ):
            owner = item.prioriteit or item.overig_thema
            measures = [_measure(m) for m in item.maatregelen.all()]
            items.append(
                {
                    "owner_kind": "priority" if item.prioriteit_id else "ongoing",
                    "owner": owner.titel,
                    "title": item.titel,
                    "order": item.volgorde,
                    "measures": measures,
                }
            )
        result.append(
            {
                "year": up.jaar,
                "status": up.status,
                "adopted_on": up.vastgesteld_op.isoformat() if up.vastgesteld_op else None,
                "main_line": up.hoofdlijn,
                "look_back": up.terugblik,
                "budget_note": up.begroting_toelichting,
                "previous_year": up.vorig.jaar if up.vorig else None,
                "items": items,
            }
        )
    return result


def _import_implementation_plans(plan, items: list[dict], by) -> None:
    from datetime import date as _date
    from decimal import Decimal

    from ivp.uitvoering.models import Maatregel, Onderdeel, Uitvoeringsplan

    owners = {
        "priority": {p.titel: p for p in plan.prioriteiten.all()},
        "ongoing": {o.titel: o for o in plan.overige_themas.all()},
    }
    by_year = {}
    measures_by_year: dict[int, dict[tuple[str, str], Any]] = {}
    for up_data in sorted(items, key=lambda u: u["year"]):
        up = Uitvoeringsplan.objects.create(
            plan=plan,
            jaar=up_data["year"],
            status=up_data.get("status", "concept"),
            vastgesteld_op=up_data.get("adopted_on"),
            hoofdlijn=up_data.get("main_line", ""),
            terugblik=up_data.get("look_back", ""),
            begroting_toelichting=up_data.get("budget_note", ""),
            vorig=by_year.get(up_data.get("previous_year")),
            updated_by=by,
        )
        by_year[up.jaar] = up
        earlier = measures_by_year.get(up_data.get("previous_year"), {})
        made = measures_by_year.setdefault(up.jaar, {})
        for item_data in up_data.get("items", []):
            owner = owners[item_data["owner_kind"]][item_data["owner"]]
            item = Onderdeel.objects.create(
                uitvoeringsplan=up,
                prioriteit=owner if item_data["owner_kind"] == "priority" else None,
                overig_thema=owner if item_data["owner_kind"] == "ongoing" else None,
                titel=item_data["title"],
                volgorde=item_data.get("order", 0),
                updated_by=by,
            )
            for m in item_data.get("measures", []):
                planning = m.get("planning") or {}
                kind = planning.get("kind", "doorlopend")
                # ``partners``; a file from before the one list has internal and external
                partners = m.get("partners")
                if partners is None:
                    partners = [*m.get("internal_partners", []), *m.get("external_partners", [])]
                key = (item_data["owner"], m["title"])
                made[key] = Maatregel.objects.create(
                    onderdeel=item,
                    subgroep=m.get("subgroup", ""),
                    titel=m["title"],
                    beschrijving=m.get("description", ""),
                    bestuurlijk_trekker=m.get("administrative_lead", ""),
                    ambtelijk_trekker=m.get("official_lead", ""),
                    partners=list(dict.fromkeys(partners)),
                    planning=kind,
                    planning_vrij=(planning.get("text") or "") if kind == "vrij" else "",
                    overgenomen_van=earlier.get(key) if m.get("carried_over") else None,
                    planning_jaar=planning.get("year"),
                    planning_vervolg=planning.get("onwards", False),
                    planning_kwartaal=planning.get("quarter"),
                    start=_date.fromisoformat(planning["start"]) if planning.get("start") else None,
                    eind=_date.fromisoformat(planning["end"]) if planning.get("end") else None,
                    prestatie_indicator=m.get("performance_indicator", ""),
                    prestatie_doel=m.get("performance_target", ""),
                    budget=Decimal(m["budget"]) if m.get("budget") is not None else None,
                    budget_bron=m.get("budget_source", ""),
                    status=m["status"],
                    catalogus_id=m.get("catalogue_id", ""),
                    volgorde=m.get("order", 0),
                    updated_by=by,
                )


def comparable(data: Any) -> Any:
    """``data`` without identifiers and dates, to compare two exports (and without the
    history, which gains an entry on import)."""
    if isinstance(data, dict):
        return {k: comparable(v) for k, v in data.items() if k not in _VOLATILE and k != "history"}
    if isinstance(data, list):
        return [comparable(v) for v in data]
    return data


# -- import ----------------------------------------------------------------------------


def _duplicates(items, key, path: str, what: str) -> list[tuple[str, str]]:
    seen: dict = {}
    problems = []
    for i, item in enumerate(items or []):
        value = key(item)
        if value in seen:
            problems.append(
                (f"{path}[{i}]", f"{what} {value!r} staat er al (element {seen[value]})")
            )
        else:
            seen[value] = i
    return problems


def _validate(data: Any) -> list[tuple[str, str]]:
    """Every problem of an export: its shape, types and limits (``plan_schema``, from the
    models), then the rules the forms and services apply."""
    from ivp.areas.models import Gemeente
    from ivp.beleidsplan.plan_schema import validate
    from ivp.datasets.mapping import MappingError, default_indeling

    problems = validate(data)
    plan_part = data.get("plan") if isinstance(data, dict) else None
    period = plan_part.get("period") if isinstance(plan_part, dict) else None
    if isinstance(period, list) and (
        len(period) != 2 or not all(isinstance(y, int) for y in period) or period[1] < period[0]
    ):
        problems.append(("$.plan.period", "verwacht [eerste jaar, laatste jaar]"))
    if problems:
        return problems
    plan = data["plan"]
    codes = [m["code"] for m in plan["municipalities"]]
    known = set(Gemeente.objects.filter(code__in=codes).values_list("code", flat=True))
    for i, code in enumerate(codes):
        if code not in known:
            problems.append((f"$.plan.municipalities[{i}]", f"onbekende gemeente {code!r}"))
    if not codes:
        problems.append(("$.plan.municipalities", "ten minste één gemeente"))
    problems += _duplicates(data.get("steps"), lambda s: s["number"], "$.steps", "stap")
    problems += _duplicates(data.get("mapping"), lambda m: m["code"], "$.mapping", "code")
    analysis = data.get("analysis") or {}
    problems += _duplicates(
        analysis.get("texts"), lambda t: t["subject"], "$.analysis.texts", "onderwerp"
    )
    problems += _duplicates(
        analysis.get("decisions"),
        lambda d: (d["municipality"], d["key"]),
        "$.analysis.decisions",
        "besluit",
    )
    problems += _duplicates(
        data.get("implementation_plans"), lambda u: u["year"], "$.implementation_plans", "jaar"
    )
    problems += _duplicates(data.get("versions"), lambda v: v["number"], "$.versions", "versie")
    problems += _duplicates(data.get("roles"), lambda r: r["username"], "$.roles", "gebruiker")
    default = default_indeling()
    for i, entry in enumerate(data.get("mapping") or []):
        try:
            default.with_overrides({entry["code"]: list(entry["themes"])})
        except MappingError as error:
            problems.append((f"$.mapping[{i}]", "; ".join(error.errors)))
    taken: dict[str, str] = {}
    for i, part in enumerate(data.get("priorities") or []):
        for code in part["themes"]:
            if code in taken:
                problems.append(
                    (f"$.priorities[{i}].themes", f"thema {code} hoort al bij {taken[code]!r}")
                )
            taken[code] = part["title"]
    for key in ("priorities", "ongoing"):
        problems += _duplicates(data.get(key), lambda p: p["title"], f"$.{key}", "titel")
    owners = {
        "priority": {p["title"] for p in data.get("priorities") or []},
        "ongoing": {o["title"] for o in data.get("ongoing") or []},
    }
    for i, up in enumerate(data.get("implementation_plans") or []):
        where = f"$.implementation_plans[{i}]"
        if not period[0] <= up["year"] <= period[-1]:
            problems.append((f"{where}.year", f"{up['year']} valt buiten de looptijd"))
        for j, item in enumerate(up.get("items") or []):
            if item["owner"] not in owners[item["owner_kind"]]:
                problems.append(
                    (
                        f"{where}.items[{j}].owner",
                        f"geen prioriteit of overig thema {item['owner']!r}",
                    )
                )
    problems += _validate_chapters(data)
    return problems[:50]


def _validate_chapters(data: dict) -> list[tuple[str, str]]:
    """The rules of the plan's own shape: a method chapter once, an own chapter or annex
    with a title, sections with a title, every reference key once."""
    from ivp.beleidsplan.models import Hoofdstuk

    problems: list[tuple[str, str]] = []
    seen_numbers: set[int] = set()
    keys: set[str] = set()
    for i, chapter in enumerate(data.get("chapters") or []):
        where = f"$.chapters[{i}]"
        kind = chapter.get("kind") or ("methode" if chapter.get("number") else "eigen")
        if kind == Hoofdstuk.Soort.METHODE:
            if chapter.get("number") is None:
                problems.append((f"{where}.number", "verwacht 1 tot en met 7"))
            elif chapter["number"] in seen_numbers:
                problems.append((f"{where}.number", "dit hoofdstuk staat er twee keer in"))
            else:
                seen_numbers.add(chapter["number"])
        elif (
            kind in (Hoofdstuk.Soort.EIGEN, Hoofdstuk.Soort.BIJLAGE)
            and not str(chapter.get("title") or "").strip()
        ):
            problems.append((f"{where}.title", "een eigen hoofdstuk of bijlage heeft een titel"))
        for key in [chapter.get("key"), *(s.get("key") for s in chapter.get("sections") or [])]:
            if not key:
                continue
            if key in keys:
                problems.append((where, f"verwijzing {key!r} staat er twee keer in"))
            keys.add(key)
    return problems


def _import_chapters(plan, data: dict, by) -> None:
    """The chapters, annexes and their sections in the file's shape; a chapter's ``title``
    equal to the method's is stored as no own title. The document settings with them."""
    from ivp.beleidsplan.models import Documentopmaak, Hoofdstuk, Paragraaf
    from ivp.beleidsplan.outline import METHOD_CHAPTERS

    for index, chapter in enumerate(data.get("chapters") or []):
        number = chapter.get("number") if chapter.get("number") in METHOD_CHAPTERS else None
        default_key, default_title = METHOD_CHAPTERS.get(number, ("", ""))
        title = (chapter.get("title") or "").strip()
        order = chapter.get("order")
        stored = Hoofdstuk.objects.create(
            plan=plan,
            nummer=number,
            soort=chapter.get("kind") or ("methode" if number else "eigen"),
            titel="" if title == default_title else title,
            volgorde=order if isinstance(order, int) else (number or 100 + index) * 10,
            sleutel=chapter.get("key") or default_key,
            weggelaten=bool(chapter.get("omitted")),
            tekst=chapter.get("text", ""),
            rode_draden=chapter.get("red_threads", []),
            strategische_themas=chapter.get("strategic_themes", []),
            vertrouwelijk=chapter.get("confidential", False),
            updated_by=by,
        )
        for position, section in enumerate(chapter.get("sections") or [], start=1):
            Paragraaf.objects.create(
                hoofdstuk=stored,
                titel=section["title"].strip(),
                tekst=section.get("text", ""),
                volgorde=section.get("order") or position,
                sleutel=section.get("key") or "",
                vertrouwelijk=bool(section.get("confidential")),
                updated_by=by,
            )
    settings = data.get("document") or {}
    titles = settings.get("part_titles") or {}
    defaults = Documentopmaak()
    Documentopmaak.objects.create(
        plan=plan,
        ondertitel=settings.get("subtitle") or "",
        kop_waarom=titles.get("why", defaults.kop_waarom) or "",
        kop_hoofdlijnen=titles.get("approach", defaults.kop_hoofdlijnen) or "",
        kop_flankerend=titles.get("flanking", defaults.kop_flankerend) or "",
        kop_doel=titles.get("goal", defaults.kop_doel) or "",
        updated_by=by,
    )


def _give_keys(plan) -> None:
    """Priorities, clusters and sections of an older file get a reference of their own."""
    from ivp.beleidsplan import structure

    structure.fill_missing_keys(plan)


def _import_partner_kinds(plan, kinds: dict) -> None:
    """Whether a partner is internal or external, where the file says so and the gemeente
    has not marked it yet."""
    from ivp.uitvoering.models import Partner

    for gemeente in plan.gemeenten.all():
        for name, kind in kinds.items():
            if kind not in ("intern", "extern") or not str(name).strip():
                continue
            partner, made = Partner.objects.get_or_create(
                gemeente=gemeente, naam=str(name).strip(), defaults={"soort": kind}
            )
            if not made and not partner.soort:
                partner.soort = kind
                partner.save(update_fields=["soort"])


def _make_indicator(plan, ind: dict, *, prioriteit=None, overig=None):
    from ivp.beleidsplan.models import Effectindicator

    return Effectindicator.objects.create(
        plan=plan,
        prioriteit=prioriteit,
        overig_thema=overig,
        naam=ind["name"],
        bron=ind["source"],
        bron_toelichting=ind.get("source_note", ""),
        eenheid=ind["unit"],
        reeks=ind.get("series", ""),
        gemeente=ind.get("municipality", ""),
        catalogus_id=ind.get("catalogue_id", ""),
        uitgangswaarde=ind.get("baseline"),
        uitgangsjaar=ind.get("baseline_year"),
        uitgangswaarde_voorlopig=bool(ind.get("baseline_provisional")),
        streefwaarde=ind.get("target"),
        streefjaar=ind.get("target_year"),
        richting=ind["direction"],
        volgorde=ind.get("order", 0),
    )


class DuplicatePlanError(PlanImportError):
    """The file holds a plan that is already in this installation."""

    def __init__(self, plan) -> None:
        self.plan = plan
        super().__init__(
            [
                (
                    "$.plan",
                    f"dit plan staat er al als plan {plan.pk} ‘{plan.titel}’; "
                    "importeer het met --as-new als nieuw plan",
                )
            ]
        )


def fingerprint(data: Any) -> str:
    """SHA-256 of the export's content (key order and layout do not matter)."""
    import hashlib
    import json

    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _existing(data: dict):
    """The plan of this installation that ``data`` is a copy of, if any."""
    from ivp.plans.models import Plan

    found = None
    raw = data["plan"].get("uuid")
    if raw:
        try:
            found = Plan.objects.filter(uuid=uuid_module.UUID(raw)).first()
        except ValueError:
            found = None
    return found or Plan.objects.filter(import_sha256=fingerprint(data)).first()


def import_plan(data: Any, *, by, as_new: bool = False) -> Any:
    """Create a plan from an export (a backup restores its UUID, versions, comments,
    history and roles). Raises :class:`PlanImportError` (nothing stored), or
    :class:`DuplicatePlanError` when the plan is already here and ``as_new`` is not given.
    ``plan.import_notes`` lists what could not be restored (e.g. unknown users)."""
    from django.core.exceptions import ValidationError
    from django.db import DatabaseError

    problems = _validate(data)
    if problems:
        raise PlanImportError(problems)
    if not as_new:
        existing = _existing(data)
        if existing is not None:
            raise DuplicatePlanError(existing)
    try:
        with transaction.atomic():
            return _import(data, by=by, as_new=as_new)
    except (ValidationError, DatabaseError, ValueError, KeyError, TypeError) as error:
        raise PlanImportError([("$", f"niet te importeren: {error}")]) from error


def _import(data: dict, *, by, as_new: bool) -> Any:
    from ivp.areas.models import Gemeente
    from ivp.beleidsplan.models import OverigThema, Prioriteit
    from ivp.datasets.models import PlanMapping
    from ivp.plans import services as plan_services
    from ivp.plans.models import PlanStap, WerkgroepLid
    from ivp.veiligheidsanalyse.models import AnalyseInstelling, AnalyseTekst, KandidaatBesluit

    info = data["plan"]
    gemeenten = list(Gemeente.objects.filter(code__in=[m["code"] for m in info["municipalities"]]))
    plan = plan_services.create_plan(
        by=by,
        titel=info["title"],
        gemeenten=gemeenten,
        periode_start=info["period"][0],
        periode_eind=info["period"][1],
        toelichting=info.get("introduction") or "",
    )
    plan.import_sha256 = fingerprint(data)
    if info.get("uuid") and not as_new:
        plan.uuid = uuid_module.UUID(info["uuid"])
    plan.save(update_fields=["import_sha256", "uuid"])
    notes: list[str] = []
    for step in data.get("steps", []):
        PlanStap.objects.filter(plan=plan, nummer=step["number"]).update(
            status=step["status"],
            gepland_start=step.get("planned_start"),
            gepland_eind=step.get("planned_end"),
        )
    for member in data.get("working_group", []):
        WerkgroepLid.objects.create(
            plan=plan,
            naam=member["name"],
            organisatie=member["organisation"],
            functie=member.get("role", ""),
            email=member.get("email", ""),
        )
    for entry in data.get("mapping", []):
        PlanMapping.objects.create(
            plan=plan,
            code=entry["code"],
            themes=entry["themes"],
            note=entry.get("note", ""),
            user=by,
        )
    analysis = data.get("analysis") or {}
    if analysis.get("reference_year"):
        AnalyseInstelling.objects.create(plan=plan, peiljaar=analysis["reference_year"])
    for text in analysis.get("texts", []):
        AnalyseTekst.objects.create(
            plan=plan,
            onderwerp=text["subject"],
            probleem=text.get("problem", ""),
            huidige_aanpak=text.get("current_approach", ""),
            extra=text.get("extra", ""),
            conclusie=text.get("conclusion", ""),
            oordeel=text.get("verdict", ""),
            version=1,
            updated_by=by,
        )
    for decision in analysis.get("decisions", []):
        KandidaatBesluit.objects.create(
            plan=plan,
            sleutel=decision["key"],
            titel=decision.get("title", ""),
            gemeente=decision["municipality"],
            peiljaar=decision["year"],
            besluit=decision["decision"],
            toelichting=decision.get("note", ""),
            score=decision.get("score", 0),
            redenen=decision.get("reasons", []),
            besloten_door=by,
        )
    _import_chapters(plan, data, by)
    for ind in data.get("indicators", []):
        _make_indicator(plan, ind)
    members = {g.code: g for g in plan.gemeenten.all()}  # local parts of a joint plan
    for part in data.get("priorities", []):
        prioriteit = Prioriteit.objects.create(
            plan=plan,
            titel=part["title"],
            themas=part["themes"],
            accenten=part.get("accents", []),
            volgorde=part.get("order", 0),
            waarom=part.get("why", ""),
            hoofdlijnen=part.get("approach", ""),
            flankerend_beleid=part.get("flanking", ""),
            doel=part.get("goal", ""),
            vertrouwelijk=part.get("confidential", False),
            reden_boven_maximum=part.get("reason_over_maximum", ""),
            sleutel=part.get("key") or "",
            updated_by=by,
            gemeente=members.get(part.get("municipality") or ""),
            ambitie=part.get("ambition", ""),
            beoogd_effect=part.get("effect", ""),
            acties=[
                {"tekst": a.get("text", ""), "termijn": a.get("term", "")}
                for a in part.get("actions") or []
                if isinstance(a, dict)
            ],
        )
        for ind in part.get("indicators", []):
            _make_indicator(plan, ind, prioriteit=prioriteit)
    for part in data.get("ongoing", []):
        overig = OverigThema.objects.create(
            plan=plan,
            titel=part["title"],
            themas=part["themes"],
            volgorde=part.get("order", 0),
            waarom=part.get("why", ""),
            hoofdlijnen=part.get("approach", ""),
            flankerend_beleid=part.get("flanking", ""),
            doel=part.get("goal", ""),
            vertrouwelijk=part.get("confidential", False),
            sleutel=part.get("key") or "",
            updated_by=by,
            gemeente=members.get(part.get("municipality") or ""),
        )
        for ind in part.get("indicators", []):
            _make_indicator(plan, ind, overig=overig)
    _give_keys(plan)
    _import_partner_kinds(plan, data.get("partner_kinds") or {})
    _import_implementation_plans(plan, data.get("implementation_plans") or [], by)
    _import_extras(plan, data, by, notes)
    plan_services._record(plan, by, "geïmporteerd", "Plan", {"bron": [None, "JSON-export"]})
    plan.import_notes = notes
    return plan


def _users(names) -> dict:
    from ivp.accounts.models import User

    return {u.username: u for u in User.objects.filter(username__in=[n for n in names if n])}


def _when(text: str | None):
    from datetime import datetime

    from django.utils import timezone

    if not text:
        return None
    moment = (
        datetime.fromisoformat(text) if "T" in text else datetime.fromisoformat(text + "T00:00")
    )
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _import_extras(plan, data: dict, by, notes: list[str]) -> None:
    """Frozen versions, comments, history and roles of a backup. Users are matched by
    username; a user that does not exist is reported in ``notes``, never created."""
    from ivp.beleidsplan.models import PlanVersie
    from ivp.plans.models import PlanRol, Reactie, Wijziging

    names = {v.get("created_by") for v in data.get("versions") or []}
    names |= {c.get("author") for c in data.get("comments") or []}
    names |= {h.get("user") for h in data.get("history") or []}
    names |= {r["username"] for r in data.get("roles") or []}
    users = _users(names)
    missing = sorted(n for n in names if n and n not in users)
    if missing:
        notes.append("onbekende gebruikers (niet aangemaakt): " + ", ".join(missing))
    for v in data.get("versions") or []:
        versie = PlanVersie.objects.create(
            plan=plan,
            nummer=v["number"],
            status=v["status"],
            vastgesteld_op=v.get("adopted_on"),
            toelichting=v.get("note") or "",
            inhoud=v["content"],
            created_by=users.get(v.get("created_by")),
        )
        if v.get("created_at"):
            PlanVersie.objects.filter(pk=versie.pk).update(created_at=_when(v["created_at"]))
    for c in data.get("comments") or []:
        reactie = Reactie.objects.create(
            plan=plan,
            auteur=users.get(c.get("author")),
            onderwerp=c["subject"],
            tekst=c.get("text") or "",
            voorstel_tekst=c.get("proposal") or "",
            vertrouwelijk=bool(c.get("confidential")),
        )
        if c.get("created_at"):
            Reactie.objects.filter(pk=reactie.pk).update(created_at=_when(c["created_at"]))
    history = data.get("history") or []
    if history:
        Wijziging.objects.filter(plan=plan).delete()  # the file's history replaces "created"
    for h in reversed(history):  # oldest first, so the order of ids follows time
        entry = Wijziging.objects.create(
            plan=plan,
            user=users.get(h.get("user")),
            actie=h["action"],
            onderdeel=h.get("part") or "",
            velden=h.get("fields") or {},
            sleutel="",  # keys of the old rows mean nothing here
            vertrouwelijk=bool(h.get("confidential")) or bool(h.get("key")),
        )
        if h.get("at"):
            Wijziging.objects.filter(pk=entry.pk).update(tijdstip=_when(h["at"]))
    roles = data.get("roles") or []
    if roles:
        PlanRol.objects.filter(plan=plan).exclude(user=by).delete()
    for r in roles:
        user = users.get(r["username"])
        if user is not None:
            PlanRol.objects.update_or_create(plan=plan, user=user, defaults={"rol": r["role"]})
    if not PlanRol.objects.filter(plan=plan, rol="coordinator").exists():
        PlanRol.objects.update_or_create(plan=plan, user=by, defaults={"rol": "coordinator"})


def plan_backup(plan) -> dict[str, Any]:
    """The plan's content plus what a backup must keep besides: its frozen versions,
    comments, history (newest first) and roles (by username)."""
    from ivp.beleidsplan.models import PlanVersie

    data = plan_content(plan)
    data["versions"] = [
        {
            "number": v.nummer,
            "status": v.status,
            "adopted_on": v.vastgesteld_op.isoformat() if v.vastgesteld_op else None,
            "note": v.toelichting,
            "content": v.inhoud,
            "created_by": v.created_by.username if v.created_by else None,
            "created_at": v.created_at.isoformat(),
        }
        for v in PlanVersie.objects.filter(plan=plan)
        .select_related("created_by")
        .order_by("nummer")
    ]
    data["comments"] = [
        {
            "author": c.auteur.username if c.auteur else None,
            "subject": c.onderwerp,
            "text": c.tekst,
            "proposal": c.voorstel_tekst,
            "confidential": c.vertrouwelijk,
            "created_at": c.created_at.isoformat(),
        }
        for c in plan.reacties.select_related("auteur").order_by("created_at", "pk")
    ]
    data["history"] = [
        {
            "user": w.user.username if w.user else None,
            "at": w.tijdstip.isoformat(),
            "action": w.actie,
            "part": w.onderdeel,
            "fields": w.velden,
            "key": w.sleutel,
            "confidential": w.vertrouwelijk,
        }
        for w in plan.wijzigingen.select_related("user").order_by("-tijdstip", "-id")
    ]
    data["roles"] = [
        {"username": r.user.username, "role": r.rol}
        for r in plan.rollen.select_related("user").order_by("user__username")
    ]
    return data
