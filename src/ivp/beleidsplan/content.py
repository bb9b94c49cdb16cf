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

from datetime import date
from typing import Any

from django.db import transaction

FORMAT = "ivp-plan/1"
_VOLATILE = {"exported_at", "id", "updated_at", "decided_at"}


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
            }
            for p in plan.prioriteiten.order_by("volgorde", "pk")
        ],
        "ongoing": [
            _part(o, [i for i in indicators if i.overig_thema_id == o.pk])
            for o in OverigThema.objects.filter(plan=plan).order_by("volgorde", "pk")
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
    from ivp.uitvoering.models import Uitvoeringsplan

    result = []
    for up in Uitvoeringsplan.objects.filter(plan=plan).order_by("jaar"):
        items = []
        for item in up.onderdelen.select_related("prioriteit", "overig_thema").order_by(
            "volgorde", "pk"
        ):
            owner = item.prioriteit or item.overig_thema
            measures = [_measure(m) for m in item.maatregelen.order_by("volgorde", "pk")]
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
    """``data`` without identifiers and dates, to compare two exports."""
    if isinstance(data, dict):
        return {k: comparable(v) for k, v in data.items() if k not in _VOLATILE}
    if isinstance(data, list):
        return [comparable(v) for v in data]
    return data


# -- import ----------------------------------------------------------------------------


class _Checker:
    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def need(self, data: dict, key: str, kind, path: str, *, optional: bool = False):
        if key not in data or data[key] is None:
            if not optional:
                self.problems.append((f"{path}.{key}", "ontbreekt"))
            return None
        value = data[key]
        if not isinstance(value, kind):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            self.problems.append((f"{path}.{key}", f"verwacht {names}, gevonden {value!r}"))
            return None
        return value


def _validate(data: Any) -> list[tuple[str, str]]:
    from ivp.areas.models import Gemeente
    from ivp.beleidsplan.models import Effectindicator
    from ivp.catalogue.content_loader import shipped_catalogue

    check = _Checker()
    if not isinstance(data, dict):
        return [("$", "geen JSON-object")]
    if data.get("format") != FORMAT:
        check.problems.append(("$.format", f"verwacht {FORMAT!r}, gevonden {data.get('format')!r}"))
        return check.problems
    plan = check.need(data, "plan", dict, "$") or {}
    check.need(plan, "title", str, "$.plan")
    period = check.need(plan, "period", list, "$.plan")
    if period is not None and (
        len(period) != 2 or not all(isinstance(y, int) for y in period) or period[1] < period[0]
    ):
        check.problems.append(("$.plan.period", "verwacht [eerste jaar, laatste jaar]"))
    codes = [m.get("code") for m in check.need(plan, "municipalities", list, "$.plan") or []]
    known = set(Gemeente.objects.filter(code__in=codes).values_list("code", flat=True))
    for i, code in enumerate(codes):
        if code not in known:
            check.problems.append((f"$.plan.municipalities[{i}]", f"onbekende gemeente {code!r}"))
    if not codes:
        check.problems.append(("$.plan.municipalities", "ten minste één gemeente"))
    themes = {t.code for t in shipped_catalogue().themas}
    units = set(Effectindicator.Eenheid.values)
    sources = set(Effectindicator.Bron.values)
    directions = set(Effectindicator.Richting.values)

    def indicators(items, path):
        for i, ind in enumerate(items or []):
            where = f"{path}.indicators[{i}]"
            check.need(ind, "name", str, where)
            if ind.get("unit") not in units:
                check.problems.append((f"{where}.unit", f"onbekende eenheid {ind.get('unit')!r}"))
            if ind.get("source") not in sources:
                check.problems.append((f"{where}.source", f"onbekende bron {ind.get('source')!r}"))
            if ind.get("direction") not in directions:
                check.problems.append((f"{where}.direction", "verwacht '<=' of '>='"))
            for key in ("baseline", "target"):
                check.need(ind, key, (int, float), where, optional=True)

    for key in ("priorities", "ongoing"):
        for i, part in enumerate(check.need(data, key, list, "$", optional=True) or []):
            where = f"$.{key}[{i}]"
            check.need(part, "title", str, where)
            for code in check.need(part, "themes", list, where) or []:
                if code not in themes:
                    check.problems.append((f"{where}.themes", f"onbekend thema {code!r}"))
            indicators(part.get("indicators"), where)
    indicators(data.get("indicators"), "$")
    from ivp.uitvoering.models import Maatregel

    owners = {
        "priority": {p.get("title") for p in data.get("priorities") or []},
        "ongoing": {o.get("title") for o in data.get("ongoing") or []},
    }
    statuses = set(Maatregel.Status.values)
    kinds = set(Maatregel.Planning.values)
    for i, up in enumerate(
        check.need(data, "implementation_plans", list, "$", optional=True) or []
    ):
        where = f"$.implementation_plans[{i}]"
        check.need(up, "year", int, where)
        for j, item in enumerate(up.get("items") or []):
            item_where = f"{where}.items[{j}]"
            if item.get("owner") not in owners.get(item.get("owner_kind"), set()):
                check.problems.append(
                    (
                        f"{item_where}.owner",
                        f"geen prioriteit of overig thema {item.get('owner')!r}",
                    )
                )
            for k, m in enumerate(item.get("measures") or []):
                m_where = f"{item_where}.measures[{k}]"
                check.need(m, "title", str, m_where)
                if m.get("status") not in statuses:
                    check.problems.append(
                        (f"{m_where}.status", f"onbekende status {m.get('status')!r}")
                    )
                if (m.get("planning") or {}).get("kind") not in kinds:
                    check.problems.append((f"{m_where}.planning.kind", "onbekende planning"))
    _validate_chapters(check, data)
    return check.problems


def _validate_chapters(check: _Checker, data: dict) -> None:
    from ivp.beleidsplan.models import Hoofdstuk

    numbers = set(Hoofdstuk.Nummer.values)
    kinds = set(Hoofdstuk.Soort.values)
    seen_numbers: set[int] = set()
    keys: set[str] = set()
    for i, chapter in enumerate(check.need(data, "chapters", list, "$", optional=True) or []):
        where = f"$.chapters[{i}]"
        if not isinstance(chapter, dict):
            check.problems.append((where, "verwacht een object"))
            continue
        kind = chapter.get("kind") or ("methode" if chapter.get("number") else None)
        if kind not in kinds:
            check.problems.append((f"{where}.kind", f"onbekende soort {chapter.get('kind')!r}"))
        elif kind == "methode":
            if chapter.get("number") not in numbers:
                check.problems.append((f"{where}.number", "verwacht 1 tot en met 7"))
            elif chapter["number"] in seen_numbers:
                check.problems.append((f"{where}.number", "dit hoofdstuk staat er twee keer in"))
            else:
                seen_numbers.add(chapter["number"])
        elif not str(chapter.get("title") or "").strip() and kind in ("eigen", "bijlage"):
            check.problems.append((f"{where}.title", "een eigen hoofdstuk heeft een titel"))
        for j, section in enumerate(chapter.get("sections") or []):
            if not isinstance(section, dict) or not str(section.get("title") or "").strip():
                check.problems.append((f"{where}.sections[{j}].title", "ontbreekt"))
                continue
        for key in [
            chapter.get("key"),
            *((x or {}).get("key") for x in chapter.get("sections") or []),
        ]:
            if not key:
                continue
            if key in keys:
                check.problems.append((where, f"verwijzing {key!r} staat er twee keer in"))
            keys.add(key)


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


@transaction.atomic
def import_plan(data: Any, *, by) -> Any:
    """Create a new plan from an export. Raises :class:`PlanImportError` (nothing stored)."""
    from ivp.areas.models import Gemeente
    from ivp.beleidsplan.models import OverigThema, Prioriteit
    from ivp.datasets.models import PlanMapping
    from ivp.plans import services as plan_services
    from ivp.plans.models import PlanStap, WerkgroepLid
    from ivp.veiligheidsanalyse.models import AnalyseInstelling, AnalyseTekst, KandidaatBesluit

    problems = _validate(data)
    if problems:
        raise PlanImportError(problems)
    info = data["plan"]
    gemeenten = list(Gemeente.objects.filter(code__in=[m["code"] for m in info["municipalities"]]))
    plan = plan_services.create_plan(
        by=by,
        titel=info["title"],
        gemeenten=gemeenten,
        periode_start=info["period"][0],
        periode_eind=info["period"][1],
        toelichting=info.get("introduction", ""),
    )
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
        )
        for ind in part.get("indicators", []):
            _make_indicator(plan, ind, overig=overig)
    _give_keys(plan)
    _import_partner_kinds(plan, data.get("partner_kinds") or {})
    _import_implementation_plans(plan, data.get("implementation_plans") or [], by)
    plan_services._record(plan, by, "geïmporteerd", "Plan", {"bron": [None, "JSON-export"]})
    return plan
