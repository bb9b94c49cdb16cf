"""One door per use case of step 5. Each function checks the actor's role, runs in one
transaction, refuses a stale save (the row's ``version``) and records the change in the
plan's history."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ivp.accounts.models import User
from ivp.plans import versioning
from ivp.plans.access import Permission, can
from ivp.plans.models import Plan, Wijziging
from ivp.uitvoering.models import Maatregel, Onderdeel, Partner, Uitvoeringsplan

MAATREGEL_FIELDS = (
    "titel",
    "subgroep",
    "beschrijving",
    "bestuurlijk_trekker",
    "ambtelijk_trekker",
    "partners",
    "planning",
    "planning_jaar",
    "planning_vervolg",
    "planning_kwartaal",
    "start",
    "eind",
    "planning_vrij",
    "prestatie_indicator",
    "prestatie_doel",
    "budget",
    "budget_bron",
    "status",
    "catalogus_id",
    "volgorde",
)
FIELDS = {
    Uitvoeringsplan: (
        "status",
        "vastgesteld_op",
        "hoofdlijn",
        "terugblik",
        "begroting_toelichting",
    ),
    Onderdeel: ("titel", "volgorde"),
    Maatregel: MAATREGEL_FIELDS,
}
FINISHED = (Maatregel.Status.GEREED, Maatregel.Status.VERVALLEN)


class StaleEditError(versioning.StaleEditError):
    """Someone else saved this row after the actor read it; nothing was stored."""

    subject = gettext_lazy("deze regel")


def _plan_of(obj) -> Plan:
    if isinstance(obj, Uitvoeringsplan):
        return obj.plan
    if isinstance(obj, Onderdeel):
        return obj.uitvoeringsplan.plan
    return obj.onderdeel.uitvoeringsplan.plan


def _require(user: User, plan: Plan, permission: Permission = Permission.EDIT_CONTENT) -> None:
    if not can(user, plan, permission):
        raise PermissionDenied(_("U heeft geen rechten voor deze actie in dit plan."))


def _require_scope(user: User, obj) -> None:
    """The local part of a gemeente of a joint plan: only for those who work for it."""
    from ivp.beleidsplan import joint

    joint.require_local(user, joint.scope_of(obj))


def _record(
    plan: Plan, user: User, actie: str, onderdeel: str, velden: dict, *, obj=None, also=()
) -> None:
    """Append to the history; ``obj`` (and ``also``: e.g. the item a measure left) mark
    entries of confidential parts, which only coordinators and redacteuren read."""
    from ivp.plans.confidential import key_of
    from ivp.uitvoering.confidential import is_confidential

    limit = Wijziging._meta.get_field("onderdeel").max_length
    if len(onderdeel) > limit:  # a long measure title: the history names it shortened
        onderdeel = onderdeel[: limit - 1] + "…"
    secret = any(is_confidential(o) for o in (obj, *also) if o is not None)
    Wijziging.objects.create(
        plan=plan,
        user=user,
        actie=actie,
        onderdeel=onderdeel,
        velden=_jsonable(velden),
        sleutel=key_of(obj) if obj is not None else "",
        vertrouwelijk=secret,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _label(obj) -> str:
    if isinstance(obj, Uitvoeringsplan):
        return f"Uitvoeringsplan {obj.jaar}"
    if isinstance(obj, Onderdeel):
        return f"Uitvoeringsplan {obj.uitvoeringsplan.jaar}: onderdeel {obj.titel}"
    return f"Uitvoeringsplan {obj.onderdeel.uitvoeringsplan.jaar}: maatregel {obj.titel}"


# -- plans per year --------------------------------------------------------------------


@transaction.atomic
def create_uitvoeringsplan(plan: Plan, *, by: User, jaar: int) -> Uitvoeringsplan:
    """The first implementation plan (or an empty one for a year)."""
    _require(by, plan)
    if not plan.periode_start <= jaar <= plan.periode_eind:
        raise ValidationError(
            _("%(jaar)s valt buiten de looptijd van het plan (%(periode)s).")
            % {"jaar": jaar, "periode": plan.periode}
        )
    if Uitvoeringsplan.objects.filter(plan=plan, jaar=jaar).exists():
        raise ValidationError(_("Er is al een uitvoeringsplan voor %(jaar)s.") % {"jaar": jaar})
    up = Uitvoeringsplan.objects.create(plan=plan, jaar=jaar, updated_by=by)
    _record(plan, by, "aangemaakt", _label(up), {}, obj=up)
    return up


@transaction.atomic
def follow_up(
    previous: Uitvoeringsplan, *, by: User, jaar: int | None = None, drop_finished: bool = True
) -> Uitvoeringsplan:
    """The implementation plan for the next year: the items and the running measures of
    ``previous`` (finished and dropped ones too when ``drop_finished`` is False), each
    keeping a link to where it came from, and a terugblik written from the figures and
    last year's statuses (the user edits it)."""
    plan = previous.plan
    jaar = jaar or previous.jaar + 1
    up = create_uitvoeringsplan(plan, by=by, jaar=jaar)
    up.vorig = previous
    up.hoofdlijn = previous.hoofdlijn
    up.begroting_toelichting = previous.begroting_toelichting
    copied = 0
    for item in previous.onderdelen.all():
        new_item = Onderdeel.objects.create(
            uitvoeringsplan=up,
            prioriteit=item.prioriteit,
            overig_thema=item.overig_thema,
            titel=item.titel,
            volgorde=item.volgorde,
            updated_by=by,
        )
        for m in item.maatregelen.all():
            if drop_finished and m.status in FINISHED:
                continue
            values = {name: getattr(m, name) for name in MAATREGEL_FIELDS}
            # planned stays planned, delayed stays delayed (the signal carries over)
            Maatregel.objects.create(onderdeel=new_item, overgenomen_van=m, updated_by=by, **values)
            copied += 1
    up.terugblik = look_back(previous)
    up.save()
    _record(
        plan,
        by,
        "aangemaakt",
        _label(up),
        {"overgenomen maatregelen": [None, copied], "vorig": [None, previous.jaar]},
    )
    return up


def status_counts(up: Uitvoeringsplan, *, exclude: Iterable[int] = ()) -> dict[str, int]:
    """Measures per status; ``exclude``: items (onderdelen) left out (confidential ones)."""
    counts = {s.value: 0 for s in Maatregel.Status}
    measures = Maatregel.objects.filter(onderdeel__uitvoeringsplan=up)
    if exclude:
        measures = measures.exclude(onderdeel__in=list(exclude))
    for status in measures.values_list("status", flat=True):
        counts[status] += 1
    return counts


# Packages above this one (``sturing``: the jaarbeeld) may write the look back of a follow-up
# plan; a provider returns None when it has nothing for that year.
_TERUGBLIK_PROVIDERS: list[Callable[[Plan, int], str | None]] = []


def register_terugblik(provider: Callable[[Plan, int], str | None]) -> None:
    if provider not in _TERUGBLIK_PROVIDERS:
        _TERUGBLIK_PROVIDERS.append(provider)


def look_back(previous: Uitvoeringsplan) -> str:
    """The terugblik of the plan after ``previous``: from the year's jaarbeeld when step 6
    was used that year, otherwise :func:`terugblik_text`."""
    for provider in _TERUGBLIK_PROVIDERS:
        text = provider(previous.plan, previous.jaar)
        if text:
            return text
    return terugblik_text(previous)


def terugblik_text(previous: Uitvoeringsplan) -> str:
    """A first look back: the development of the IVP's linked indicators since their
    baselines (from the data) and the status of last year's measures."""
    from ivp.beleidsplan import services as bp
    from ivp.beleidsplan.models import Effectindicator

    lines = [f"Terugblik op het uitvoeringsplan {previous.jaar}."]
    counts = status_counts(previous)
    total = sum(counts.values())
    if total:
        parts = [f"{n} {Maatregel.Status(s).label.lower()}" for s, n in counts.items() if n]
        lines.append(f"Van de {total} maatregelen zijn er " + ", ".join(parts) + ".")
    indicators = Effectindicator.objects.filter(plan=previous.plan).exclude(reeks="")
    for ind in indicators:
        if ind.uitgangswaarde is None or ind.uitgangsjaar is None:
            continue
        now = bp.baseline_from_data(previous.plan, ind.reeks, ind.eenheid)
        if now.value is None or now.year is None or now.year <= ind.uitgangsjaar:
            continue
        change = (now.value / ind.uitgangswaarde - 1) * 100 if ind.uitgangswaarde else None
        text = (
            f"{ind.naam}: {_nl(ind.uitgangswaarde, 2)} in {ind.uitgangsjaar}, "
            f"{_nl(now.value, 2)} in {now.year}"
        )
        if change is not None:
            text += f" ({'+' if change > 0 else '−'}{_nl(abs(change), 0)}%)"
        if ind.streefwaarde is not None:
            text += f"; streefwaarde {_nl(ind.streefwaarde, 2)} in {ind.streefjaar}"
        lines.append(text + ".")
    return "\n".join(lines)


def _nl(value: float, digits: int = 0) -> str:
    from ivp.analysis.candidates import format_nl

    return format_nl(value, digits)


# -- items and measures ----------------------------------------------------------------


@transaction.atomic
def add_onderdeel(
    up: Uitvoeringsplan, *, by: User, titel: str, prioriteit=None, overig_thema=None
) -> Onderdeel:
    _require(by, up.plan)
    titel = (titel or "").strip()
    if not titel:
        raise ValidationError(_("Geef het onderdeel een titel."))
    if (prioriteit is None) == (overig_thema is None):
        raise ValidationError(_("Een onderdeel hoort bij één prioriteit of één overig thema."))
    owner = prioriteit or overig_thema
    if owner.plan_id != up.plan_id:
        raise ValidationError(_("Die prioriteit hoort niet bij dit plan."))
    _require_scope(by, owner)
    volgorde = (up.onderdelen.aggregate(m=Max("volgorde"))["m"] or 0) + 1
    item = Onderdeel.objects.create(
        uitvoeringsplan=up,
        prioriteit=prioriteit,
        overig_thema=overig_thema,
        titel=titel,
        volgorde=volgorde,
        updated_by=by,
    )
    _record(up.plan, by, "toegevoegd", _label(item), {}, obj=item)
    return item


def split_partners(text: str) -> list[str]:
    """A partners column as written ("OOV, politie; OM") as separate names, in order: names
    are separated by commas, semicolons or new lines."""
    return clean_partners(re.split(r"[;,\n]", text or ""))


def clean_partners(names: Iterable[str] | str | None) -> list[str]:
    """Names in their order, once each, without extra spaces; a single string is split."""
    if names is None:
        return []
    if isinstance(names, str):
        return split_partners(names)
    seen: dict[str, None] = {}
    for name in names:
        name = " ".join(str(name).split())
        if name:
            seen.setdefault(name, None)
    return list(seen)


def _remember_partners(plan: Plan, names: Sequence[str]) -> None:
    """Every name used is remembered per gemeente (unmarked: intern or extern may be set on
    the partner list, never has to be)."""
    for gemeente in plan.gemeenten.all():
        known = set(
            Partner.objects.filter(gemeente=gemeente, naam__in=list(names)).values_list(
                "naam", flat=True
            )
        )
        for name in names:
            if name not in known:
                Partner.objects.create(gemeente=gemeente, naam=name, soort="")


@transaction.atomic
def mark_partner(plan: Plan, *, by: User, naam: str, soort: str) -> None:
    """Mark a partner of the plan's gemeente(n) as intern, extern or neither ("")."""
    _require(by, plan)
    if soort not in Partner.Soort.values:
        raise ValidationError(_("Kies intern, extern of niet aangegeven."))
    for gemeente in plan.gemeenten.all():
        partner, _made = Partner.objects.get_or_create(
            gemeente=gemeente, naam=naam, defaults={"soort": soort}
        )
        if partner.soort != soort:
            partner.soort = soort
            partner.save(update_fields=["soort"])
    _record(plan, by, "gewijzigd", f"Partner {naam}", {"soort": [None, soort]})


def duplicate_catalogue_measures(up: Uitvoeringsplan) -> list[tuple[str, list[str]]]:
    """The same measure of the theme library under two or more priorities or clusters of
    one implementation plan: (catalogue id, the places "Prioriteit / onderdeel")."""
    places: dict[str, list[str]] = {}
    for m in (
        Maatregel.objects.filter(onderdeel__uitvoeringsplan=up)
        .exclude(catalogus_id="")
        .select_related("onderdeel__prioriteit", "onderdeel__overig_thema")
    ):
        owner = m.onderdeel.prioriteit or m.onderdeel.overig_thema
        place = f"{owner.titel} / {m.onderdeel.titel}"
        if place not in places.setdefault(m.catalogus_id, []):
            places[m.catalogus_id].append(place)
    owners = {cid: {p.split(" / ")[0] for p in where} for cid, where in places.items()}
    return [(cid, where) for cid, where in places.items() if len(owners[cid]) > 1]


def _validate_maatregel(values: dict) -> dict:
    for name, value in values.items():
        limit = getattr(Maatregel._meta.get_field(name), "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            raise ValidationError(
                _("%(field)s is te lang: %(n)s tekens, hoogstens %(max)s.")
                % {
                    "field": Maatregel._meta.get_field(name).verbose_name,
                    "n": len(value),
                    "max": limit,
                }
            )
    if "titel" in values:
        values["titel"] = " ".join(str(values["titel"]).split())
        if not values["titel"]:
            raise ValidationError(_("Geef de maatregel een titel."))
    if "partners" in values:
        values["partners"] = clean_partners(values["partners"])
    if "subgroep" in values:
        values["subgroep"] = " ".join(str(values["subgroep"] or "").split()).rstrip(":")
    if values.get("planning") == Maatregel.Planning.VRIJ:
        values["planning_vrij"] = " ".join(str(values.get("planning_vrij") or "").split())
        if not values["planning_vrij"]:
            raise ValidationError(_("Schrijf de planning zoals het plan haar noemt."))
    elif "planning" in values:
        values["planning_vrij"] = ""
    if "status" in values and values["status"] not in Maatregel.Status.values:
        raise ValidationError(_("Kies een status uit de lijst."))
    if "planning" in values and values["planning"] not in Maatregel.Planning.values:
        raise ValidationError(_("Kies een soort planning uit de lijst."))
    if values.get("budget") is not None:
        values["budget"] = Decimal(str(values["budget"]))
        if values["budget"] < 0:
            raise ValidationError(_("Een budget kan niet negatief zijn."))
    if values.get("start") and values.get("eind") and values["eind"] < values["start"]:
        raise ValidationError(_("De einddatum ligt vóór de startdatum."))
    kwartaal = values.get("planning_kwartaal")
    if kwartaal is not None and kwartaal not in (1, 2, 3, 4):
        raise ValidationError(_("Een kwartaal is 1, 2, 3 of 4."))
    return values


@transaction.atomic
def add_maatregel(onderdeel: Onderdeel, *, by: User, titel: str, **values: Any) -> Maatregel:
    plan = _plan_of(onderdeel)
    _require(by, plan)
    _require_scope(by, onderdeel)
    unknown = set(values) - set(MAATREGEL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    values = _validate_maatregel({"titel": titel, **values})
    values.setdefault(
        "volgorde", (onderdeel.maatregelen.aggregate(m=Max("volgorde"))["m"] or 0) + 1
    )
    measure = Maatregel.objects.create(onderdeel=onderdeel, updated_by=by, **values)
    _remember_partners(plan, measure.partners)
    _record(plan, by, "toegevoegd", _label(measure), {"titel": [None, measure.titel]}, obj=measure)
    return measure


def catalogue_measures(owner) -> list[tuple[str, str, str]]:
    """(id, text, theme or aspect) of the catalogue's measures for the themes of a
    priority or cluster; field-1 themes get the measures of the six aspects of approach
    (the handbook describes field 1's approach per aspect)."""
    from ivp.catalogue.content_loader import shipped_catalogue

    catalogue = shipped_catalogue()
    themes = {t.code: t for t in catalogue.themas}
    result = []
    field_1 = False
    for code in owner.themas:
        theme = themes.get(code)
        if theme is None:
            continue
        field_1 |= theme.veld_code == "1"
        for m in theme.maatregelen:
            result.append((m.id, m.tekst, f"{theme.code} {theme.titel}"))
    if field_1:
        for aspect in catalogue.aanpakaspecten:
            for m in aspect.maatregelen:
                result.append((m.id, m.tekst, f"{aspect.code} {aspect.titel}"))
    return result


@transaction.atomic
def add_from_catalogue(onderdeel: Onderdeel, *, by: User, catalogus_id: str) -> Maatregel:
    """A measure picked from the catalogue (then edited); it keeps its catalogue id."""
    owner = onderdeel.thema
    found = next((m for m in catalogue_measures(owner) if m[0] == catalogus_id), None)
    if found is None:
        raise ValidationError(
            _("Maatregel %(id)s hoort niet bij de thema's van dit onderdeel.")
            % {"id": catalogus_id}
        )
    text = found[1]
    titel = text if len(text) <= 300 else text[:297] + "…"
    return add_maatregel(
        onderdeel,
        by=by,
        titel=titel,
        beschrijving=text if titel != text else "",
        catalogus_id=catalogus_id,
    )


def partner_suggestions(plan: Plan, owner=None) -> dict[str, list[str]]:
    """The gemeente's own partner list (grown as used) and the catalogue's partners of the
    owner's themes, per kind ("intern", "extern", and "" for names nobody marked)."""
    from ivp.catalogue.content_loader import shipped_catalogue

    own: dict[str, list[str]] = {"intern": [], "extern": [], "": []}
    for p in Partner.objects.filter(gemeente__in=plan.gemeenten.all()).order_by("naam"):
        if p.naam not in own[p.soort]:
            own[p.soort].append(p.naam)
    if owner is not None:
        catalogue = shipped_catalogue()
        themes = {t.code: t for t in catalogue.themas}
        sources = [themes[c] for c in owner.themas if c in themes]
        if any(t.veld_code == "1" for t in sources):  # field 1: partners per aspect
            sources += list(catalogue.aanpakaspecten)
        for source in sources:
            for soort, names in (
                ("intern", source.partners.intern),
                ("extern", source.partners.extern),
            ):
                for name in names:
                    if name not in own[soort]:
                        own[soort].append(name)
    return own


@transaction.atomic
def update_part(obj, *, by: User, expected_version: int, **values: Any):
    """Change fields of an implementation plan, item or measure; refused with
    :class:`StaleEditError` when someone saved it after ``expected_version`` was read."""
    model = type(obj)
    plan = _plan_of(obj)
    _require(by, plan)
    unknown = set(values) - set(FIELDS[model])
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    current = versioning.lock_for_edit(obj, expected_version, error=StaleEditError)
    if current is None:
        raise ValidationError(_("Deze regel is intussen verwijderd; niets opgeslagen."))
    _require_scope(by, current)
    if model is Maatregel:
        values = _validate_maatregel(dict(values))
    adopting = (
        model is Uitvoeringsplan and values.get("status") == Uitvoeringsplan.Status.VASTGESTELD
    )
    if adopting and not (values.get("vastgesteld_op") or current.vastgesteld_op):
        raise ValidationError(_("Geef de datum waarop het college het plan vaststelde."))
    diff = versioning.apply_changes(current, values, by=by)
    if not diff:
        return current
    if model is Maatregel:
        _remember_partners(plan, current.partners)
    _record(plan, by, "gewijzigd", _label(current), diff, obj=current)
    return current


@transaction.atomic
def delete_part(obj, *, by: User, expected_version: int) -> None:
    plan = _plan_of(obj)
    _require(by, plan)
    current = versioning.lock_for_edit(obj, expected_version, error=StaleEditError)
    if current is None:
        return
    _require_scope(by, current)
    _record(plan, by, "verwijderd", _label(current), {}, obj=current)
    current.delete()


@transaction.atomic
def move_maatregel(
    measure: Maatregel, *, by: User, direction: int = 0, to: Onderdeel | None = None
):
    """Move a measure one row up (−1) or down (+1) in its item, or to the end of another
    item of the same implementation plan."""
    plan = _plan_of(measure)
    _require(by, plan)
    if to is not None:
        if to.uitvoeringsplan_id != measure.onderdeel.uitvoeringsplan_id:
            raise ValidationError(_("Dat onderdeel hoort bij een ander uitvoeringsplan."))
        old_item = measure.onderdeel
        old = old_item.titel
        measure.onderdeel = to
        measure.volgorde = (to.maatregelen.aggregate(m=Max("volgorde"))["m"] or 0) + 1
        measure.updated_by = by
        measure.version += 1
        measure.save()
        _record(
            plan,
            by,
            "verplaatst",
            _label(measure),
            {"onderdeel": [old, to.titel]},
            obj=measure,
            also=(old_item,),
        )
        return measure
    siblings = list(
        Maatregel.objects.select_for_update(of=("self",)).filter(onderdeel=measure.onderdeel)
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == measure.pk)
    other = index + direction
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for number, sibling in enumerate(siblings, start=1):
            if sibling.volgorde != number:
                sibling.volgorde = number
                sibling.save(update_fields=["volgorde"])
        _record(
            plan,
            by,
            "verplaatst",
            _label(measure),
            {"volgorde": [index + 1, other + 1]},
            obj=measure,
        )
    return measure


# -- budgets ---------------------------------------------------------------------------


@dataclass
class Budget:
    total: Decimal = Decimal("0")
    without_amount: list[str] = field(default_factory=list)
    per_source: dict[str, Decimal] = field(default_factory=dict)


def budgets(
    up: Uitvoeringsplan, *, exclude: Iterable[int] = ()
) -> tuple[dict[tuple[str, int], Budget], Budget]:
    """Budget per priority / cluster (key ("prioriteit"|"overig", pk)) and overall;
    ``exclude``: items (onderdelen) left out (confidential ones)."""
    per: dict[tuple[str, int], Budget] = {}
    overall = Budget()
    measures = Maatregel.objects.filter(onderdeel__uitvoeringsplan=up)
    if exclude:
        measures = measures.exclude(onderdeel__in=list(exclude))
    for m in measures.select_related("onderdeel"):
        item = m.onderdeel
        key = (
            ("prioriteit", item.prioriteit_id)
            if item.prioriteit_id
            else ("overig", item.overig_thema_id)
        )
        entry = per.setdefault(key, Budget())
        for target in (entry, overall):
            if m.budget is None:
                target.without_amount.append(m.titel)
            else:
                target.total += m.budget
                source = m.budget_bron or _("(geen dekking opgegeven)")
                target.per_source[source] = target.per_source.get(source, Decimal("0")) + m.budget
    return per, overall


def step_gaps(plan) -> list[str]:
    """What step 5 still lacks (``plans.progress``): an implementation plan with measures."""
    from ivp.uitvoering.models import Maatregel, Uitvoeringsplan

    if not Uitvoeringsplan.objects.filter(plan=plan).exists():
        return [_("een uitvoeringsplan (nog geen gemaakt)")]
    if not Maatregel.objects.filter(onderdeel__uitvoeringsplan__plan=plan).exists():
        return [_("de maatregelen van het uitvoeringsplan")]
    return []
