"""One door per use case of steps 3 and 4. Each function checks the actor's role, runs in
one transaction, refuses a stale save (the row's ``version``) and records the change in
the plan's history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ivp.accounts.models import User
from ivp.beleidsplan import joint, structure
from ivp.beleidsplan.models import (
    MAX_PRIORITEITEN,
    Documentopmaak,
    Effectindicator,
    Hoofdstuk,
    OverigThema,
    Paragraaf,
    PlanVersie,
    Prioriteit,
)
from ivp.plans import versioning
from ivp.plans.access import Permission, can
from ivp.plans.models import Plan, Wijziging

PART_FIELDS = {
    Prioriteit: (
        "titel",
        "themas",
        "accenten",
        "volgorde",
        "waarom",
        "hoofdlijnen",
        "flankerend_beleid",
        "doel",
        "vertrouwelijk",
        "reden_boven_maximum",
        "ambitie",
        "beoogd_effect",
        "acties",
        "gemeente",
    ),
    OverigThema: (
        "titel",
        "themas",
        "volgorde",
        "waarom",
        "hoofdlijnen",
        "flankerend_beleid",
        "doel",
        "vertrouwelijk",
        "gemeente",
    ),
    Hoofdstuk: (
        "tekst",
        "rode_draden",
        "strategische_themas",
        "vertrouwelijk",
        "titel",
        "sleutel",
        "weggelaten",
    ),
    Paragraaf: ("titel", "tekst", "vertrouwelijk", "sleutel"),
    Documentopmaak: ("ondertitel", "kop_waarom", "kop_hoofdlijnen", "kop_flankerend", "kop_doel"),
    Effectindicator: (
        "naam",
        "bron",
        "bron_toelichting",
        "eenheid",
        "reeks",
        "gemeente",
        "catalogus_id",
        "uitgangswaarde",
        "uitgangsjaar",
        "uitgangswaarde_voorlopig",
        "streefwaarde",
        "streefjaar",
        "richting",
        "volgorde",
    ),
}

WHY_MAXIMUM = gettext_lazy(
    "De methode adviseert hoogstens drie à vier prioriteiten: alleen dan blijven het echte "
    "speerpunten waarop de gemeente extra inzet pleegt, en blijft er ruimte om ze in de "
    "jaarlijkse uitvoeringsplannen scherp te kiezen. Wilt u toch meer prioriteiten, leg dan "
    "vast waarom."
)

# Suggestions for chapter 3 (rode draden), after the handbook's examples.
RODE_DRADEN = (
    ("Burgerparticipatie", "Inwoners en ondernemers denken en doen mee in de aanpak."),
    ("Zorg en veiligheid", "Verbinding tussen het sociaal domein en de veiligheidsaanpak."),
    ("Wijk- en buurtgericht werken", "De aanpak sluit aan bij wat per wijk nodig is."),
    ("Informatiegestuurd werken", "Keuzes op basis van cijfers en een gedeeld beeld."),
    ("Preventie", "Voorkomen gaat voor genezen, met aandacht voor de vroege signalen."),
    ("Samenwerking met partners", "Politie, OM, zorg, onderwijs en ondernemers werken samen."),
)


class StaleEditError(versioning.StaleEditError):
    """Someone else saved this part after the actor read it; nothing was stored.
    ``current`` is the part as it is now."""


class TooManyPriorities(ValidationError):
    """A fifth (or later) priority without a recorded reason."""

    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__(
            _("Dit wordt prioriteit %(n)s. %(why)s") % {"n": count + 1, "why": WHY_MAXIMUM}
        )


def _require(user: User, plan: Plan, permission: Permission = Permission.EDIT_CONTENT) -> None:
    if not can(user, plan, permission):
        raise PermissionDenied(_("U heeft geen rechten voor deze actie in dit plan."))


def _require_scope(user: User, obj) -> None:
    """A local part of a joint plan: only for those who work for its gemeente."""
    joint.require_local(user, joint.scope_of(obj))


def _record(plan: Plan, user: User, actie: str, onderdeel: str, velden: dict, *, obj=None) -> None:
    """Append to the history; ``obj`` (the changed row) marks entries of confidential parts,
    which only coordinators and redacteuren read (``plans.confidential``)."""
    from ivp.beleidsplan.confidential import is_confidential
    from ivp.plans.confidential import key_of

    limit = Wijziging._meta.get_field("onderdeel").max_length
    if len(onderdeel) > limit:  # a long title: the history names it shortened
        onderdeel = onderdeel[: limit - 1] + "…"
    secret = obj is not None and (
        is_confidential(obj) or True in (velden.get("vertrouwelijk") or [])
    )
    Wijziging.objects.create(
        plan=plan,
        user=user,
        actie=actie,
        onderdeel=onderdeel,
        velden=velden,
        sleutel=key_of(obj) if obj is not None else "",
        vertrouwelijk=secret,
    )


def _theme_codes() -> dict[str, str]:
    from ivp.catalogue.content_loader import shipped_catalogue

    return {t.code: t.titel for t in shipped_catalogue().themas}


def _check_themes(themas: Sequence[str]) -> list[str]:
    known = _theme_codes()
    themas = [str(t).strip() for t in themas if str(t).strip()]
    unknown = [t for t in themas if t not in known]
    if unknown:
        raise ValidationError(_("Onbekend thema: %(codes)s") % {"codes": ", ".join(unknown)})
    if len(set(themas)) != len(themas):
        raise ValidationError(_("Een thema staat er twee keer in."))
    return themas


def _label(obj) -> str:
    if isinstance(obj, Hoofdstuk):
        if obj.is_bijlage:
            return f"Bijlage {obj.weergavetitel}"
        return f"Hoofdstuk {obj.weergavetitel}"
    if isinstance(obj, Paragraaf):
        return f"Paragraaf {obj.titel} (hoofdstuk {obj.hoofdstuk.weergavetitel})"
    if isinstance(obj, Documentopmaak):
        return "Opmaak van het IVP"
    kind = {Prioriteit: "Prioriteit", OverigThema: "Overig thema", Effectindicator: "Indicator"}
    name = getattr(obj, "titel", None) or getattr(obj, "naam", "")
    return f"{kind[type(obj)]} {name}"


# -- priorities and ongoing themes ------------------------------------------------------


def prioritised_themes(
    plan: Plan, *, exclude: Prioriteit | None = None, scope: int | None | bool = False
) -> dict[str, str]:
    """Theme code → title of the priority it belongs to. ``scope`` (a joint plan): False
    all priorities; None only the shared ones; a gemeente's pk the shared ones and those
    local to that gemeente."""
    result = {}
    for p in plan.prioriteiten.all():
        if exclude is not None and p.pk == exclude.pk:
            continue
        if scope is None and p.gemeente_id is not None:
            continue
        if scope not in (False, None) and p.gemeente_id not in (None, scope):
            continue
        for code in p.themas:
            result[code] = p.titel
    return result


def _drop_from_clusters(plan: Plan, themas: Iterable[str], by: User, *, gemeente=None) -> None:
    """Themes that became (part of) a priority leave their ongoing cluster (a local
    priority: only that gemeente's local clusters)."""
    wanted = set(themas)
    clusters = OverigThema.objects.select_for_update(of=("self",)).filter(plan=plan)
    if gemeente is not None:
        clusters = clusters.filter(gemeente=gemeente)
    for cluster in clusters:
        kept = [t for t in cluster.themas if t not in wanted]
        if kept != list(cluster.themas):
            _record(
                plan,
                by,
                "gewijzigd",
                _label(cluster),
                {"thema's": [cluster.themas, kept]},
                obj=cluster,
            )
            cluster.themas = kept
            cluster.version += 1
            cluster.save(update_fields=["themas", "version", "updated_at"])


@transaction.atomic
def add_prioriteit(
    plan: Plan,
    *,
    by: User,
    titel: str,
    themas: Sequence[str],
    accenten: Sequence[str] = (),
    reden_boven_maximum: str = "",
    gemeente=None,
    acties=(),
    **texts: str,
) -> Prioriteit:
    """Add a priority; beyond :data:`MAX_PRIORITEITEN` only with a recorded reason.
    ``gemeente``: a local priority of that gemeente of a joint plan (``joint``)."""
    _require(by, plan)
    gemeente = joint.check_member(plan, gemeente)
    joint.require_local(by, gemeente)
    titel = (titel or "").strip()
    if not titel:
        raise ValidationError(_("Geef de prioriteit een titel."))
    themas = _check_themes(themas)
    if not themas:
        raise ValidationError(_("Kies ten minste één thema."))
    taken = prioritised_themes(plan, scope=gemeente.pk if gemeente else False)
    clash = [f"{t} ({taken[t]})" for t in themas if t in taken]
    if clash:
        raise ValidationError(
            _("Al onderdeel van een andere prioriteit: %(t)s") % {"t": ", ".join(clash)}
        )
    count = plan.prioriteiten.filter(gemeente=gemeente).count()
    if count >= MAX_PRIORITEITEN and not reden_boven_maximum.strip():
        raise TooManyPriorities(count)
    volgorde = (plan.prioriteiten.aggregate(m=Max("volgorde"))["m"] or 0) + 1
    prioriteit = Prioriteit.objects.create(
        plan=plan,
        titel=titel,
        sleutel=structure.new_key(plan, titel),
        themas=themas,
        accenten=[a for a in accenten if a.strip()],
        volgorde=volgorde,
        reden_boven_maximum=reden_boven_maximum.strip(),
        updated_by=by,
        gemeente=gemeente,
        acties=joint.clean_acties(acties),
        **{k: v for k, v in texts.items() if k in PART_FIELDS[Prioriteit]},
    )
    _drop_from_clusters(plan, themas, by, gemeente=gemeente)
    _record(plan, by, "toegevoegd", _label(prioriteit), {"thema's": [None, themas]}, obj=prioriteit)
    return prioriteit


@transaction.atomic
def add_overig_thema(
    plan: Plan, *, by: User, titel: str, themas: Sequence[str], gemeente=None
) -> OverigThema:
    """A cluster of ongoing themes under its own title (``gemeente``: a local one)."""
    _require(by, plan)
    gemeente = joint.check_member(plan, gemeente)
    joint.require_local(by, gemeente)
    titel = (titel or "").strip()
    if not titel:
        raise ValidationError(_("Geef het cluster een titel."))
    themas = _check_themes(themas)
    _check_cluster_themes(plan, themas, None, gemeente=gemeente)
    volgorde = (OverigThema.objects.filter(plan=plan).aggregate(m=Max("volgorde"))["m"] or 0) + 1
    cluster = OverigThema.objects.create(
        plan=plan,
        gemeente=gemeente,
        titel=titel,
        sleutel=structure.new_key(plan, titel),
        themas=themas,
        volgorde=volgorde,
        updated_by=by,
    )
    _record(plan, by, "toegevoegd", _label(cluster), {"thema's": [None, themas]}, obj=cluster)
    return cluster


def _check_cluster_themes(
    plan: Plan, themas: Sequence[str], cluster: OverigThema | None, *, gemeente=False
):
    if gemeente is False:
        gemeente = cluster.gemeente if cluster is not None else None
    taken = prioritised_themes(plan, scope=gemeente.pk if gemeente is not None else None)
    clash = [f"{t} ({taken[t]})" for t in themas if t in taken]
    if clash:
        raise ValidationError(_("Al een prioriteit: %(t)s") % {"t": ", ".join(clash)})
    others = OverigThema.objects.filter(plan=plan, gemeente=gemeente)
    if cluster is not None:
        others = others.exclude(pk=cluster.pk)
    placed = {t: o.titel for o in others for t in o.themas}
    double = [f"{t} ({placed[t]})" for t in themas if t in placed]
    if double:
        raise ValidationError(_("Al in een ander cluster: %(t)s") % {"t": ", ".join(double)})


def unplaced_themes(plan: Plan) -> list[str]:
    """Themes that are neither a priority nor in an ongoing cluster."""
    placed = set(prioritised_themes(plan))
    placed |= {t for o in OverigThema.objects.filter(plan=plan) for t in o.themas}
    return [code for code in _theme_codes() if code not in placed]


@transaction.atomic
def cluster_remaining_by_field(plan: Plan, *, by: User) -> list[OverigThema]:
    """Put every unplaced theme into a cluster per safety field (titled as the field), the
    starting point the user then renames, merges and orders."""
    from ivp.catalogue.content_loader import shipped_catalogue

    _require(by, plan)
    remaining = set(unplaced_themes(plan))
    made = []
    for veld in shipped_catalogue().velden:
        codes = [t.code for t in veld.themas if t.code in remaining]
        if not codes:
            continue
        existing = OverigThema.objects.filter(plan=plan, titel=veld.titel).first()
        if existing:
            update_part(
                existing,
                by=by,
                expected_version=existing.version,
                themas=[*existing.themas, *codes],
            )
            made.append(existing)
        else:
            made.append(add_overig_thema(plan, by=by, titel=veld.titel, themas=codes))
    return made


# -- editing any part ------------------------------------------------------------------


@transaction.atomic
def update_part(obj, *, by: User, expected_version: int, **values: Any):
    """Change fields of a priority, cluster, chapter or indicator. Refused with
    :class:`StaleEditError` when someone saved it after ``expected_version`` was read."""
    model = type(obj)
    _require(by, obj.plan)
    unknown = set(values) - set(PART_FIELDS[model])
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    current = versioning.lock_for_edit(obj, expected_version, error=StaleEditError)
    if current is None:
        raise ValidationError(_("Dit onderdeel is intussen verwijderd; niets opgeslagen."))
    _require_scope(by, current)
    scoped = model in (Prioriteit, OverigThema)
    if scoped and "gemeente" in values:
        values["gemeente"] = joint.check_member(obj.plan, values["gemeente"])
        joint.require_local(by, values["gemeente"])
    if "acties" in values:
        values["acties"] = joint.clean_acties(values["acties"])
    if "themas" in values:
        values["themas"] = _check_themes(values["themas"])
        if model is Prioriteit:
            scope = values.get("gemeente", current.gemeente)
            taken = prioritised_themes(
                obj.plan, exclude=current, scope=scope.pk if scope else False
            )
            clash = [f"{t} ({taken[t]})" for t in values["themas"] if t in taken]
            if clash:
                raise ValidationError(
                    _("Al onderdeel van een andere prioriteit: %(t)s") % {"t": ", ".join(clash)}
                )
        else:
            _check_cluster_themes(obj.plan, values["themas"], current)
    if model is Effectindicator:
        _validate_indicator(values)
    if "sleutel" in values:
        values["sleutel"] = _check_key(obj.plan, values["sleutel"], current)
    if model is Paragraaf and "titel" in values:
        values["titel"] = " ".join(str(values["titel"]).split())
        if not values["titel"]:
            raise ValidationError(_("Geef de paragraaf een titel."))
    if model is Hoofdstuk and "titel" in values:
        values["titel"] = " ".join(str(values["titel"]).split())
        if not values["titel"] and current.nummer is None:
            raise ValidationError(_("Geef het hoofdstuk een titel."))
        if current.nummer and values["titel"] == str(Hoofdstuk.Nummer(current.nummer).label):
            values["titel"] = ""
    if model is Hoofdstuk and values.get("weggelaten") and current.nummer in (4, 5):
        raise ValidationError(
            _("De hoofdstukken met de prioriteiten en de overige thema's blijven in het IVP.")
        )
    diff = versioning.apply_changes(current, values, by=by)
    if not diff:
        return current
    if scoped and "gemeente" in diff:  # the history holds names, not rows
        diff["gemeente"] = [g.naam if g else None for g in diff["gemeente"]]
    if model is Prioriteit and "themas" in diff:
        _drop_from_clusters(obj.plan, current.themas, by, gemeente=current.gemeente)
    _record(obj.plan, by, "gewijzigd", _label(current), diff, obj=current)
    return current


@transaction.atomic
def delete_part(obj, *, by: User, expected_version: int) -> None:
    _require(by, obj.plan)
    current = versioning.lock_for_edit(obj, expected_version, error=StaleEditError)
    if current is None:
        return
    _require_scope(by, current)
    _record(obj.plan, by, "verwijderd", _label(current), {}, obj=current)
    current.delete()


@transaction.atomic
def move_part(obj, *, by: User, direction: int) -> None:
    """Move a priority or cluster one place up (−1) or down (+1)."""
    _require(by, obj.plan)
    siblings = list(type(obj).objects.select_for_update(of=("self",)).filter(plan=obj.plan))
    index = next(i for i, s in enumerate(siblings) if s.pk == obj.pk)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for number, sibling in enumerate(siblings, start=1):
        if sibling.volgorde != number:
            sibling.volgorde = number
            sibling.save(update_fields=["volgorde"])
    _record(obj.plan, by, "verplaatst", _label(obj), {"volgorde": [index + 1, other + 1]}, obj=obj)


# -- chapters --------------------------------------------------------------------------


def hoofdstuk(plan: Plan, nummer: int) -> Hoofdstuk:
    """The stored chapter, or an unsaved one (version 0)."""
    found = Hoofdstuk.objects.filter(plan=plan, nummer=nummer).first()
    return found or Hoofdstuk(
        plan=plan,
        nummer=nummer,
        version=0,
        volgorde=nummer * 10,
        sleutel=structure.METHOD_CHAPTERS[nummer][0],
    )


@transaction.atomic
def save_hoofdstuk(
    plan: Plan, *, by: User, nummer: int, expected_version: int, **values: Any
) -> Hoofdstuk:
    _require(by, plan)
    if nummer not in Hoofdstuk.Nummer.values:
        raise ValidationError(_("Het IVP heeft de hoofdstukken 1 tot en met 7."))
    current = (
        Hoofdstuk.objects.select_for_update(of=("self",)).filter(plan=plan, nummer=nummer).first()
    )
    if current is None:
        if expected_version != 0:
            raise ValidationError(_("Dit hoofdstuk bestaat niet meer; laad de pagina opnieuw."))
        try:  # two first saves at once: one insert wins, the other is refused as stale
            with transaction.atomic():
                Hoofdstuk.objects.create(
                    plan=plan,
                    nummer=nummer,
                    version=0,
                    volgorde=nummer * 10,
                    sleutel=_free_method_key(plan, nummer),
                    updated_by=by,
                )
        except IntegrityError:
            pass
        current = Hoofdstuk.objects.select_for_update(of=("self",)).get(plan=plan, nummer=nummer)
    return update_part(current, by=by, expected_version=expected_version, **values)


def _free_method_key(plan: Plan, nummer: int) -> str:
    key = structure.METHOD_CHAPTERS[nummer][0]
    taken = Hoofdstuk.objects.filter(plan=plan, sleutel=key).exclude(nummer=nummer).exists()
    return structure.new_key(plan, key) if taken else key


def _check_key(plan: Plan, key: str, current) -> str:
    """A reference key as typed ("Partners" → "partners"), unique in the plan."""
    from django.utils.text import slugify

    key = slugify(str(key or ""))[: structure.KEY_LENGTH].strip("-")
    if not key:
        raise ValidationError(_("Geef een verwijzing: letters, cijfers en streepjes."))
    if key == getattr(current, "sleutel", None):
        return key
    if key in structure.used_keys(plan):
        raise ValidationError(
            _("De verwijzing ‘%(key)s’ is al in gebruik in dit plan.") % {"key": key}
        )
    return key


# -- the shape of the document: own chapters, annexes, order, sections ------------------


def _materialise(plan: Plan, by: User) -> list[Hoofdstuk]:
    """Store the method's chapters the plan never saved (empty), so they can be ordered."""
    rows = structure.chapters(plan)
    for row in rows:
        if row.pk is None:
            row.sleutel = _free_method_key(plan, row.nummer)
            row.updated_by = by
            row.save()
    return rows


@transaction.atomic
def add_hoofdstuk(
    plan: Plan,
    *,
    by: User,
    titel: str,
    soort: str = Hoofdstuk.Soort.EIGEN,
    vooraan: bool = False,
    tekst: str = "",
) -> Hoofdstuk:
    """An own chapter (e.g. Inleiding, Voorwoord, Leeswijzer: ``vooraan`` puts it first) or
    an annex (always after the chapters)."""
    _require(by, plan)
    if soort not in Hoofdstuk.Soort.values or soort == Hoofdstuk.Soort.METHODE:
        raise ValidationError(_("Kies een eigen hoofdstuk of een bijlage."))
    titel = " ".join(str(titel or "").split())
    if not titel:
        from ivp.beleidsplan.outline import ANNEX_TITLES

        titel = ANNEX_TITLES.get(soort, "")
    if not titel:
        raise ValidationError(_("Geef het hoofdstuk een titel."))
    generated = (Hoofdstuk.Soort.BIJLAGE_THEMAS, Hoofdstuk.Soort.BIJLAGE_UITVOERINGSPLAN)
    if soort in generated and Hoofdstuk.objects.filter(plan=plan, soort=soort).exists():
        raise ValidationError(_("Deze bijlage staat al in het IVP."))
    rows = _materialise(plan, by)
    is_annex = soort.startswith("bijlage")
    orders = [r.volgorde for r in rows if r.is_bijlage == is_annex] or [0]
    if is_annex:
        chapters_end = max([r.volgorde for r in rows if not r.is_bijlage] or [0])
        volgorde = max(max(orders), chapters_end) + 10
    elif vooraan:
        _renumber(rows, shift_first=True)
        volgorde = 10
    else:
        volgorde = max(orders) + 10
    chapter = Hoofdstuk.objects.create(
        plan=plan,
        soort=soort,
        titel=titel,
        tekst=tekst,
        volgorde=volgorde,
        sleutel=structure.new_key(plan, f"bijlage {titel}" if is_annex else titel),
        updated_by=by,
    )
    _record(plan, by, "toegevoegd", _label(chapter), {"titel": [None, titel]}, obj=chapter)
    return chapter


def _renumber(rows: Sequence[Hoofdstuk], *, shift_first: bool = False) -> None:
    """Orders 10, 20, 30 … in the given order (from 20 when a chapter goes first)."""
    start = 20 if shift_first else 10
    for index, row in enumerate(rows):
        wanted = start + index * 10
        if row.volgorde != wanted:
            row.volgorde = wanted
            Hoofdstuk.objects.filter(pk=row.pk).update(volgorde=wanted)


@transaction.atomic
def move_hoofdstuk(chapter: Hoofdstuk, *, by: User, direction: int) -> None:
    """One place up (−1) or down (+1) among the chapters, or among the annexes."""
    plan = chapter.plan
    _require(by, plan)
    rows = _materialise(plan, by)
    group = [r for r in rows if r.is_bijlage == chapter.is_bijlage]
    index = next(
        (
            i
            for i, r in enumerate(group)
            if (r.pk, r.nummer) == (chapter.pk, chapter.nummer)
            or (chapter.pk is None and r.nummer == chapter.nummer)
        ),
        None,
    )
    if index is None:
        return
    other = index + direction
    if not 0 <= other < len(group):
        return
    group[index], group[other] = group[other], group[index]
    chapters_first = [r for r in rows if not r.is_bijlage]
    annexes = [r for r in rows if r.is_bijlage]
    if chapter.is_bijlage:
        annexes = group
    else:
        chapters_first = group
    _renumber([*chapters_first, *annexes])
    _record(
        plan,
        by,
        "verplaatst",
        _label(group[other]),
        {"volgorde": [index + 1, other + 1]},
        obj=group[other],
    )


@transaction.atomic
def delete_hoofdstuk(chapter: Hoofdstuk, *, by: User, expected_version: int) -> None:
    """Remove an own chapter or annex with its sections; a method chapter is left out of
    the document instead (``weggelaten``), so its text is kept."""
    if chapter.nummer:
        raise ValidationError(
            _(
                "Een hoofdstuk van de methode laat u weg uit het document in plaats van het te "
                "verwijderen; de tekst blijft dan bewaard."
            )
        )
    delete_part(chapter, by=by, expected_version=expected_version)


@transaction.atomic
def add_paragraaf(
    plan: Plan, *, by: User, hoofdstuk: Hoofdstuk, titel: str, tekst: str = ""
) -> Paragraaf:
    """A numbered section at the end of a chapter."""
    _require(by, plan)
    titel = " ".join(str(titel or "").split())
    if not titel:
        raise ValidationError(_("Geef de paragraaf een titel."))
    if hoofdstuk.pk is None:
        hoofdstuk = next(r for r in _materialise(plan, by) if r.nummer == hoofdstuk.nummer)
    volgorde = (hoofdstuk.paragrafen.aggregate(m=Max("volgorde"))["m"] or 0) + 1
    section = Paragraaf.objects.create(
        hoofdstuk=hoofdstuk,
        titel=titel,
        tekst=tekst,
        volgorde=volgorde,
        sleutel=structure.new_key(plan, titel),
        updated_by=by,
    )
    _record(plan, by, "toegevoegd", _label(section), {"titel": [None, titel]}, obj=section)
    return section


@transaction.atomic
def move_paragraaf(section: Paragraaf, *, by: User, direction: int) -> None:
    plan = section.plan
    _require(by, plan)
    siblings = list(
        Paragraaf.objects.select_for_update(of=("self",)).filter(hoofdstuk=section.hoofdstuk)
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == section.pk)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for number, sibling in enumerate(siblings, start=1):
        if sibling.volgorde != number:
            Paragraaf.objects.filter(pk=sibling.pk).update(volgorde=number)
    _record(
        plan, by, "verplaatst", _label(section), {"volgorde": [index + 1, other + 1]}, obj=section
    )


def opmaak(plan: Plan) -> Documentopmaak:
    """The plan's document settings, or the defaults (version 0)."""
    return Documentopmaak.objects.filter(plan=plan).first() or Documentopmaak(plan=plan, version=0)


@transaction.atomic
def save_opmaak(plan: Plan, *, by: User, expected_version: int, **values: Any) -> Documentopmaak:
    _require(by, plan)
    current = Documentopmaak.objects.select_for_update(of=("self",)).filter(plan=plan).first()
    if current is None:
        if expected_version != 0:
            raise ValidationError(_("Laad de pagina opnieuw."))
        current = Documentopmaak.objects.create(plan=plan, version=0, updated_by=by)
    values = {k: " ".join(str(v or "").split()) for k, v in values.items()}
    return update_part(current, by=by, expected_version=expected_version, **values)


def prefill_uitgangssituatie(plan: Plan) -> str:
    """A first text for chapter 1 from the analysis: an introduction and per field the
    working group's conclusion (the user edits it). The key figures per field and a chart are
    added by the document itself, so the text does not repeat them."""
    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.veiligheidsanalyse import services as analyse

    try:
        picture = analyse.veiligheidsbeeld(plan)
    except vb.NoData:
        return _(
            "De veiligheidsanalyse beschrijft per veiligheidsveld het veiligheidsbeeld en de "
            "lopende aanpak."
        )
    texts = analyse.teksten(plan)
    lines = [
        _(
            "De veiligheidsanalyse (peiljaar %(year)s) beschrijft per veiligheidsveld het "
            "veiligheidsbeeld en de lopende aanpak. Hieronder staan de conclusies van de "
            "werkgroep; de kerncijfers per veld staan erbij."
        )
        % {"year": picture.year}
    ]
    for veld in picture.fields:
        conclusion = texts.get(f"V{veld.code}")
        if conclusion and conclusion.conclusie.strip():
            lines.append(f"**{veld.title}.** {conclusion.conclusie.strip()}")
    return "\n\n".join(lines)


def _nl(value: float | None, digits: int = 0) -> str:
    from ivp.analysis.candidates import format_nl

    return "–" if value is None else format_nl(value, digits)


# -- effect indicators -----------------------------------------------------------------


def _validate_indicator(values: dict) -> None:
    if "bron" in values and values["bron"] not in Effectindicator.Bron.values:
        raise ValidationError(_("Kies een bron uit de lijst."))
    if "eenheid" in values and values["eenheid"] not in Effectindicator.Eenheid.values:
        raise ValidationError(_("Kies een eenheid uit de lijst."))
    if "richting" in values and values["richting"] not in Effectindicator.Richting.values:
        raise ValidationError(_("Kies ≤ of ≥."))
    if "naam" in values and not str(values["naam"]).strip():
        raise ValidationError(_("Geef de indicator een naam."))


@dataclass(frozen=True)
class Baseline:
    value: float | None
    year: int | None
    source: str
    reason: str = ""
    provisional: bool = False
    """The year's figure was provisional (CBS and the police may still revise it)."""


def _series_key(reeks: str) -> str:
    """'47018NED|1.1.1' → '1.1.1'; 'thema:1.3' and 'som:1.2.1+1.2.2' stay."""
    if reeks.startswith(("som:", "eigen:")):
        return reeks
    return reeks.split("|", 1)[1] if "|" in reeks else reeks


def _source_per_year(picture, series) -> dict[str, str]:
    """Year → source of a series merged from several sources (the total 0.0.0: 47013NED,
    83648NED, …); empty for a series of one source."""
    from ivp.datasets import queries

    per_year = dict(getattr(series, "source_per_year", None) or {})
    if not per_year and series.code == queries.TOTAL:
        per_year = {
            str(y): f"{found['tabel']}|{queries.TOTAL}"
            for found in queries.total_source_years(picture.area_code)
            for y in found["jaren"]
        }
    return per_year


def _year_sources(picture, series, key: str) -> list[str]:
    """The sources behind one year of a series."""
    one = _source_per_year(picture, series).get(key)
    if one in picture.sources:
        return [one]
    return [s for s in series.sources if s in picture.sources]


def figures_scope(plan: Plan, owner=None) -> str | None:
    """Whose figures an indicator of ``owner`` (a priority or cluster, None: the plan)
    takes: a joint plan's local part its gemeente's, a shared part the area's
    (``veiligheidsanalyse.services.AREA``); a plan of one gemeente that gemeente's."""
    from ivp.veiligheidsanalyse import services as analyse

    if not analyse.is_joint(plan):
        return None
    local = joint.scope_of(owner) if owner is not None else None
    return local.code if local is not None else analyse.AREA


def baseline_from_data(
    plan: Plan, reeks: str, eenheid: str, year: int | None = None, *, gemeente: str | None = None
) -> Baseline:
    """The baseline of a linked series from the stored figures (the plan's gemeente, or
    ``gemeente`` (see :func:`figures_scope`), mapping and reference year unless ``year`` is
    given)."""
    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.veiligheidsanalyse import services as analyse

    if reeks.startswith(("eigen:", "som:")):
        return _baseline_from_values(plan, reeks, eenheid, year)
    try:
        picture = analyse.veiligheidsbeeld(plan, gemeente, year=year)
    except vb.NoData as error:
        return Baseline(None, year, "", str(error))
    series = analyse.series_by_key(picture, _series_key(reeks))
    if series is None or not series.has_data:
        return Baseline(
            None,
            picture.year,
            "",
            _("Geen cijfers voor %(r)s in de database; haal ze op (Data → Cijfers ophalen).")
            % {"r": reeks},
        )
    if eenheid == Effectindicator.Eenheid.AANTAL:
        values = series.counts
    elif eenheid == Effectindicator.Eenheid.PER_1000_WONINGEN:
        values = series.rates_dwellings
    else:
        values = series.rates
    key = str(picture.year)
    if values.get(key) is None and year is None:
        # No year asked: the latest year up to the reference year with a value (the total
        # 0.0.0, for example, has no figure for the newest year of the categories).
        known = [y for y, v in values.items() if v is not None and int(y) <= picture.year]
        key = max(known, key=int) if known else key
    value = values.get(key)
    source = _source_note(picture, _year_sources(picture, series, key))
    if value is None:
        return Baseline(None, picture.year, source, _("Geen waarde in deze eenheid voor dit jaar."))
    provisional = int(key) in picture.provisional_years
    return Baseline(round(value, 2), int(key), source, provisional=provisional)


def _baseline_from_values(plan: Plan, reeks: str, eenheid: str, year: int | None) -> Baseline:
    """The baseline of an own series or a combined one (``beleidsplan.series``): the value
    of ``year`` (default: the latest up to the plan's reference year) with its own source."""
    from ivp.beleidsplan.series import PROVISIONAL, values_for_link

    found = values_for_link(plan, reeks, eenheid, year=year)
    if not found.has_data:
        return Baseline(None, year, found.source, found.reason)
    known = [y for y, v in found.values.items() if v is not None]
    chosen = year if year is not None else max(known)
    value = found.values.get(chosen)
    if value is None:
        return Baseline(None, chosen, found.source, _("Geen waarde in deze eenheid voor dit jaar."))
    return Baseline(
        round(value, 2), chosen, found.source, provisional=found.status.get(chosen) == PROVISIONAL
    )


def _source_note(picture, used: list[str]) -> str:
    """Where a baseline comes from, as a publication names it: "CBS/Politie, Geregistreerde
    misdrijven (47018NED)". How the table reached ivp stays with the data, not in the plan."""
    infos = [picture.sources[s] for s in used if s in picture.sources]
    crime = [i for i in infos if "politie" in (i.get("attribution") or "").lower()] or infos
    parts: dict[str, list[str]] = {}
    for info in crime:
        who = (info.get("attribution") or "CBS").removeprefix("Bron:").strip()
        who = "/".join(p.strip() for p in who.split("/"))
        title = (info.get("title") or "").split(";")[0].strip()
        label = f"{who}, {title}" if title else who
        if info["table"] not in parts.setdefault(label, []):
            parts[label].append(info["table"])
    return "; ".join(f"{label} ({', '.join(tables)})" for label, tables in parts.items())


@transaction.atomic
def add_indicator(
    plan: Plan,
    *,
    by: User,
    naam: str,
    bron: str,
    eenheid: str,
    prioriteit: Prioriteit | None = None,
    overig_thema: OverigThema | None = None,
    **values: Any,
) -> Effectindicator:
    """Add an effect indicator; with a linked series (``reeks``) and no baseline given, the
    baseline is taken from the data."""
    _require(by, plan)
    values = {k: v for k, v in values.items() if k in PART_FIELDS[Effectindicator]}
    _validate_indicator({"naam": naam, "bron": bron, "eenheid": eenheid, **values})
    scope = figures_scope(plan, prioriteit or overig_thema)
    if prioriteit or overig_thema:
        _require_scope(by, prioriteit or overig_thema)
    if scope and not values.get("gemeente"):
        values["gemeente"] = scope
    if values.get("reeks") and values.get("uitgangswaarde") is None:
        found = baseline_from_data(
            plan, values["reeks"], eenheid, values.get("uitgangsjaar"), gemeente=scope
        )
        values["uitgangswaarde"] = found.value
        values["uitgangsjaar"] = found.year
        values["uitgangswaarde_voorlopig"] = found.provisional
        if found.source and not values.get("bron_toelichting"):
            values["bron_toelichting"] = found.source
    owner = {"prioriteit": prioriteit, "overig_thema": overig_thema}
    siblings = Effectindicator.objects.filter(plan=plan, **owner)
    values.setdefault("volgorde", (siblings.aggregate(m=Max("volgorde"))["m"] or 0) + 1)
    indicator = Effectindicator.objects.create(
        plan=plan, naam=naam.strip(), bron=bron, eenheid=eenheid, updated_by=by, **owner, **values
    )
    _record(
        plan,
        by,
        "toegevoegd",
        _label(indicator),
        {"uitgangswaarde": [None, indicator.uitgangswaarde]},
        obj=indicator,
    )
    return indicator


@transaction.atomic
def add_default_strategic_indicators(plan: Plan, *, by: User) -> list[Effectindicator]:
    """Chapter 2's overarching indicators (handbook: total crime and the residents'
    feeling of safety), unless the plan has them already."""
    _require(by, plan)
    existing = Effectindicator.objects.filter(plan=plan, prioriteit=None, overig_thema=None)
    made = []
    if not existing.filter(reeks="47018NED|0.0.0").exists():
        made.append(
            add_indicator(
                plan,
                by=by,
                naam="Totaal geregistreerde misdrijven per 1.000 inwoners",
                bron=Effectindicator.Bron.POLITIE,
                eenheid=Effectindicator.Eenheid.PER_1000_INWONERS,
                reeks="47018NED|0.0.0",
                streefjaar=plan.periode_eind,
            )
        )
    if not existing.filter(naam__icontains="rapportcijfer veiligheid").exists():
        made.append(
            add_indicator(
                plan,
                by=by,
                naam="Rapportcijfer veiligheid in de buurt",
                bron=Effectindicator.Bron.VEILIGHEIDSMONITOR,
                eenheid=Effectindicator.Eenheid.RAPPORTCIJFER,
                richting=Effectindicator.Richting.MINSTENS,
                streefjaar=plan.periode_eind,
            )
        )
    return made


def indicator_warnings(indicators: Sequence[Effectindicator]) -> list[str]:
    """The handbook's advice on choosing indicators, as warnings for one priority."""
    warnings = []
    if len(indicators) > 3:
        warnings.append(
            _("%(n)s indicatoren: de methode adviseert er twee à drie per prioriteit.")
            % {"n": len(indicators)}
        )
    if len(indicators) >= 2:
        objective = [i.objectief for i in indicators]
        if all(objective):
            warnings.append(
                _(
                    "Alleen objectieve indicatoren: combineer met een subjectieve, bv. uit de "
                    "Veiligheidsmonitor."
                )
            )
        elif not any(objective):
            warnings.append(
                _(
                    "Alleen subjectieve indicatoren: combineer met een objectieve, bv. uit de "
                    "politieregistratie."
                )
            )
    for ind in indicators:
        if ind.bron == Effectindicator.Bron.ANDERS and not ind.bron_toelichting.strip():
            warnings.append(_("‘%(n)s’ heeft geen gegevensbron.") % {"n": ind.naam})
        if ind.uitgangswaarde is None:
            warnings.append(_("‘%(n)s’ heeft nog geen uitgangswaarde.") % {"n": ind.naam})
    return warnings


def target_proposal(plan: Plan, indicator: Effectindicator, *, pictures: dict | None = None):
    """ivp's proposed target for a linked indicator, with whether a realisation at it would
    differ demonstrably from the baseline, given the series' dispersion
    (``analysis.targets``). Computed once per cached veiligheidsbeeld. ``pictures``: a dict
    the caller keeps while it asks for several indicators of one plan (a page), so that the
    plan's analysis is looked up once per gemeente and year instead of once per indicator."""
    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.veiligheidsanalyse import services as analyse

    if not indicator.reeks:
        return None
    wanted = (indicator.gemeente or None, indicator.uitgangsjaar)
    if pictures is not None and wanted in pictures:
        picture = pictures[wanted]
    else:
        try:
            picture = analyse.veiligheidsbeeld(plan, wanted[0], year=wanted[1])
        except vb.NoData:
            picture = None
        if pictures is not None:
            pictures[wanted] = picture
    if picture is None:
        return None
    key = (
        "target_proposal",
        indicator.reeks,
        indicator.eenheid,
        indicator.richting,
        indicator.streefjaar or plan.periode_eind,
    )
    return analyse.memo(picture, key, lambda: _target_proposal(plan, indicator, picture))


def adopt_target_proposal(plan: Plan, indicator: Effectindicator, *, by: User) -> bool:
    """Take ivp's proposed target as the indicator's target (a linked indicator with figures);
    ``False``, and nothing changed, when ivp has no proposal for it."""
    proposal = target_proposal(plan, indicator)
    if proposal is None or proposal.value is None:
        return False
    update_part(indicator, by=by, expected_version=indicator.version, streefwaarde=proposal.value)
    return True


def _target_proposal(plan: Plan, indicator: Effectindicator, picture):
    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.analysis.targets import propose_target
    from ivp.veiligheidsanalyse import services as analyse

    series = analyse.series_by_key(picture, _series_key(indicator.reeks))
    if series is None or not series.has_data:
        return None
    per_count = indicator.eenheid == Effectindicator.Eenheid.AANTAL
    per_dwellings = indicator.eenheid == Effectindicator.Eenheid.PER_1000_WONINGEN
    base = None
    if per_dwellings:
        if not any(v is not None for v in series.rates_dwellings.values()):
            return None  # dwellings unknown: no proposal rather than one on inhabitants
        base = {
            y: picture.dwellings.get(y) for y, r in series.rates_dwellings.items() if r is not None
        }
    elif not per_count:
        # only years with a rate: before a boundary change the base is another area
        base = {y: picture.population.get(y) for y, r in series.rates.items() if r is not None}
    p25 = None
    if series.evidence and series.evidence.benchmark and not per_count and not per_dwellings:
        group = series.evidence.benchmark.group(vb.SIZE_CLASS)
        p25 = group.p25 if group else None
    counts = {y: c for y, c in series.counts.items() if per_count or y in (base or {})}
    per_year = _source_per_year(picture, series)
    if per_year:
        # trend and variation only within the source of the baseline: between two sources
        # the series has a break, not a change
        own = per_year.get(str(picture.year))
        counts = {y: c for y, c in counts.items() if per_year.get(y) == own}
    ev = series.evidence
    proposal = propose_target(
        counts,
        picture.year,
        indicator.streefjaar or plan.periode_eind,
        base=base,
        group_p25=p25,
        direction=indicator.richting,
        dispersion=ev.dispersion if ev else 1.0,
        dispersion_df=ev.dispersion_df if ev else None,
    )
    return _as_printed(proposal, 0 if per_count else None)


def printed_decimals(value: float | None, unit: str = "") -> int:
    """How many decimals a plan prints for ``value`` in ``unit``: none for counts and
    percentages, one for rates and report marks (two below 1)."""
    if unit in (Effectindicator.Eenheid.AANTAL, Effectindicator.Eenheid.PROCENT):
        return 0
    if value is not None and abs(value) < 1 and unit != Effectindicator.Eenheid.RAPPORTCIJFER:
        return 2
    return 1


def _as_printed(proposal, decimals: int | None):
    """The proposal at the precision its baseline is printed with, rounded towards the
    more ambitious side (so it stays outside the chance band), and checked again."""
    import dataclasses
    import math

    from ivp.analysis.targets import AT_MOST, check_target

    if proposal is None or proposal.value is None:
        return proposal
    digits = decimals if decimals is not None else printed_decimals(proposal.baseline)
    factor = 10**digits
    scaled = proposal.value * factor
    rounded = (
        math.floor(scaled + 1e-9) if proposal.direction == AT_MOST else math.ceil(scaled - 1e-9)
    ) / factor
    if rounded == proposal.value:
        return proposal
    check = check_target(rounded, proposal.band, proposal.direction) if proposal.band else None
    return dataclasses.replace(proposal, value=rounded, check=check or proposal.check)


# -- versions --------------------------------------------------------------------------


class NotReadyForCouncil(ValidationError):
    """A version for the council while required parts are still empty; ``missing`` lists
    them as the document numbers them."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(
            _("Het IVP is nog niet klaar voor de raad: %(n)s onderdelen ontbreken nog.")
            % {"n": len(missing)}
        )


def missing_for_council(plan: Plan, content: dict | None = None) -> list[str]:
    """What the IVP still lacks before it can be frozen "ter vaststelling"."""
    from ivp.beleidsplan.completeness import missing_for_council as check
    from ivp.beleidsplan.content import plan_content

    return check(content or plan_content(plan), themes=list(_theme_codes()))


# A version sent to the council must be complete. Recording that the council adopted a
# version is recording what happened, and is not refused.
COUNCIL_STATUSES = (PlanVersie.Status.TER_VASTSTELLING,)


@transaction.atomic
def freeze(
    plan: Plan,
    *,
    by: User,
    status: str = PlanVersie.Status.CONCEPT,
    vastgesteld_op: date | None = None,
    toelichting: str = "",
    situation: dict | None = None,
) -> PlanVersie:
    """Freeze the current content as a version: a concept, a version sent to the council
    ("ter vaststelling") or adopted by the council on a date (coordinator only). A version
    sent to the council is refused while required parts are empty (:class:`NotReadyForCouncil`).
    The key figures of the starting situation (``situation``; by default as computed now)
    are frozen with it, so the document stays the same. Later edits go into the next
    version."""
    from ivp.beleidsplan.content import plan_content

    _require(by, plan, Permission.MANAGE_PLAN)
    if status not in PlanVersie.Status.values:
        raise ValidationError(_("Onbekende status."))
    if status == PlanVersie.Status.VASTGESTELD and vastgesteld_op is None:
        raise ValidationError(_("Geef de datum waarop de raad het plan heeft vastgesteld."))
    content = plan_content(plan)
    if status in COUNCIL_STATUSES:
        missing = missing_for_council(plan, content)
        if missing:
            raise NotReadyForCouncil(missing)
    nummer = content["plan"]["version"]
    content["plan"]["status"] = status
    content["plan"]["adopted_on"] = vastgesteld_op.isoformat() if vastgesteld_op else None
    content["plan"]["frozen"] = True
    if situation is None:
        from ivp.beleidsplan.situation import starting_situation

        situation = starting_situation(plan)
    content["situation"] = situation
    versie = PlanVersie.objects.create(
        plan=plan,
        nummer=nummer,
        status=status,
        vastgesteld_op=vastgesteld_op,
        toelichting=toelichting,
        inhoud=content,
        created_by=by,
    )
    _record(
        plan,
        by,
        "vastgelegd",
        f"Versie {nummer}",
        {"status": [None, str(versie.get_status_display())]},
    )
    return versie


def prioritering_step_gaps(plan: Plan) -> list[str]:
    """What step 3 still lacks (``plans.progress``): priorities, and why each was chosen."""
    prioriteiten = list(plan.prioriteiten.all())
    if not prioriteiten:
        return [_("de prioriteiten (nog geen gekozen)")]
    return [
        _("prioriteit ‘%(titel)s’: waarom deze prioriteit") % {"titel": p.titel}
        for p in prioriteiten
        if not (getattr(p, "waarom", "") or "").strip()
    ]


def ivp_step_gaps(plan: Plan) -> list[str]:
    """What step 4 still lacks (``plans.progress``): the list for the council."""
    return missing_for_council(plan)
