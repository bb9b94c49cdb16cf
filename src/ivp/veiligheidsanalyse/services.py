"""One door per use case of step 2. Each function checks the actor's role in the plan,
runs in one transaction, refuses a stale save and records the change in the plan's
history (``plans.Wijziging``)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ivp.accounts.models import User
from ivp.analysis import veiligheidsbeeld as vb
from ivp.plans import versioning
from ivp.plans.access import Permission, can
from ivp.plans.models import Plan, Wijziging
from ivp.veiligheidsanalyse.models import (
    AnalyseInstelling,
    AnalyseTekst,
    Besluit,
    KandidaatBesluit,
    Oordeel,
    Vergelijking,
)

MIN_OWN_GROUP = 5  # an own selection needs at least this many other gemeenten

TEXT_FIELDS = ("probleem", "huidige_aanpak", "extra", "conclusie", "oordeel")
FIELD_LABELS = {
    "probleem": "problematiek",
    "huidige_aanpak": "huidige aanpak",
    "extra": "extra gewenst",
    "conclusie": "plausibele prioriteiten",
    "oordeel": "oordeel",
}


@dataclass(frozen=True)
class Onderwerp:
    """A subject of the analysis and the questions asked about it (handbook, step 2:
    in field 1 the current approach and the extra are asked per aspect of approach, not per
    theme)."""

    code: str
    titel: str
    soort: str  # thema | aspect | veld
    veld: str
    vragen: tuple[str, ...]


def onderwerpen() -> dict[str, Onderwerp]:
    """Every subject: the 22 themes, the 6 aspects of field 1 and the 5 field conclusions."""
    from ivp.catalogue.content_loader import shipped_catalogue

    result: dict[str, Onderwerp] = {}
    for veld in shipped_catalogue().velden:
        by_aspect = bool(veld.aanpakaspecten)
        for thema in veld.themas:
            vragen = ("probleem", "oordeel") if by_aspect else (*TEXT_FIELDS[:3], "oordeel")
            result[thema.code] = Onderwerp(thema.code, thema.titel, "thema", veld.code, vragen)
        for aspect in veld.aanpakaspecten:
            result[aspect.code] = Onderwerp(
                aspect.code, aspect.titel, "aspect", veld.code, ("huidige_aanpak", "extra")
            )
        result[f"V{veld.code}"] = Onderwerp(
            f"V{veld.code}", veld.titel, "veld", veld.code, ("conclusie",)
        )
    return result


class StaleTextError(versioning.StaleEditError):
    """Someone else saved this subject after the actor read it; nothing was stored.
    ``current`` holds the text as it is now, so the page can show the other change next to
    the actor's own input."""

    subject = gettext_lazy("deze tekst")
    yours = gettext_lazy("Uw tekst")
    advice = gettext_lazy("Neem over wat u wilt houden en sla opnieuw op.")


def _require(user: User, plan: Plan, permission: Permission) -> None:
    if not can(user, plan, permission):
        raise PermissionDenied(_("U heeft geen rechten voor deze actie in dit plan."))


def tekst(plan: Plan, onderwerp: str) -> AnalyseTekst:
    """The stored text of ``onderwerp``, or an unsaved empty one (version 0)."""
    found = AnalyseTekst.objects.filter(plan=plan, onderwerp=onderwerp).first()
    return found or AnalyseTekst(plan=plan, onderwerp=onderwerp)


def teksten(plan: Plan) -> dict[str, AnalyseTekst]:
    return {t.onderwerp: t for t in AnalyseTekst.objects.filter(plan=plan)}


def _first_row(plan: Plan, onderwerp: str) -> AnalyseTekst:
    """The row of a text saved for the first time, created empty (version 0) and locked.
    Two first saves at the same moment: the unique constraint lets one insert win; the
    other waits for it and then finds a newer version (a clean refusal, never a 500)."""
    try:
        with transaction.atomic():  # a savepoint: the failed insert leaves the rest intact
            AnalyseTekst.objects.create(plan=plan, onderwerp=onderwerp, version=0)
    except IntegrityError:
        pass
    return AnalyseTekst.objects.select_for_update(of=("self",)).get(plan=plan, onderwerp=onderwerp)


@transaction.atomic
def save_tekst(
    plan: Plan, *, by: User, onderwerp: str, expected_version: int, **values: str
) -> AnalyseTekst:
    """Store the answers for ``onderwerp``. ``expected_version`` is the version the user
    read (0 for a subject never saved); when it differs from the stored one nothing is
    stored and :class:`StaleTextError` carries the current text."""
    _require(by, plan, Permission.EDIT_CONTENT)
    subjects = onderwerpen()
    if onderwerp not in subjects:
        raise ValidationError(_("Onbekend onderwerp: %(code)s") % {"code": onderwerp})
    unknown = set(values) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    if "oordeel" in values and values["oordeel"] not in Oordeel.values:
        raise ValidationError(_("Kies een oordeel uit de lijst."))
    current = (
        AnalyseTekst.objects.select_for_update(of=("self",))
        .filter(plan=plan, onderwerp=onderwerp)
        .first()
    )
    if current is None:
        if expected_version != 0:
            raise ValidationError(_("Deze tekst bestaat niet meer; laad de pagina opnieuw."))
        current = _first_row(plan, onderwerp)
    if current.version != expected_version:
        raise StaleTextError(current)
    changed = versioning.apply_changes(current, values, by=by)
    if not changed:
        return current
    diff = {FIELD_LABELS[name]: change for name, change in changed.items()}
    Wijziging.objects.create(
        plan=plan,
        user=by,
        actie="gewijzigd",
        onderdeel=f"Veiligheidsanalyse {onderwerp} {subjects[onderwerp].titel}",
        velden=diff,
    )
    return current


@transaction.atomic
def set_peiljaar(plan: Plan, *, by: User, peiljaar: int | None) -> AnalyseInstelling:
    _require(by, plan, Permission.EDIT_CONTENT)
    instelling, _created = AnalyseInstelling.objects.select_for_update(of=("self",)).get_or_create(
        plan=plan
    )
    if instelling.peiljaar != peiljaar:
        Wijziging.objects.create(
            plan=plan,
            user=by,
            actie="gewijzigd",
            onderdeel="Veiligheidsanalyse: peiljaar",
            velden={"peiljaar": [instelling.peiljaar, peiljaar]},
        )
        instelling.peiljaar = peiljaar
        instelling.version += 1
        instelling.save()
    return instelling


def peiljaar(plan: Plan) -> int | None:
    instelling = AnalyseInstelling.objects.filter(plan=plan).first()
    return instelling.peiljaar if instelling else None


@transaction.atomic
def set_vergelijking(
    plan: Plan, *, by: User, soort: str, gemeenten: Iterable[str] = ()
) -> AnalyseInstelling:
    """Choose the plan's comparison group: the standard group, the size class, or an own
    selection of at least :data:`MIN_OWN_GROUP` other current gemeenten (all or nothing: a
    wrong choice changes nothing)."""
    from ivp.areas.models import Gemeente

    _require(by, plan, Permission.EDIT_CONTENT)
    if soort not in Vergelijking.values:
        raise ValidationError(_("Kies een vergelijkingsgroep uit de lijst."))
    codes: list[str] = []
    if soort == Vergelijking.EIGEN:
        wanted = sorted(set(gemeenten))
        known = set(
            Gemeente.objects.filter(code__in=wanted, actief=True).values_list("code", flat=True)
        )
        unknown = [c for c in wanted if c not in known]
        if unknown:
            raise ValidationError(
                _("Onbekende gemeente(n): %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        own = {c for c, _n in plan_gemeenten(plan)}
        codes = [c for c in wanted if c not in own]
        if len(codes) < MIN_OWN_GROUP:
            raise ValidationError(
                _("Kies ten minste %(n)s andere gemeenten voor een eigen vergelijkingsgroep.")
                % {"n": MIN_OWN_GROUP}
            )
    instelling, _created = AnalyseInstelling.objects.select_for_update(of=("self",)).get_or_create(
        plan=plan
    )
    before = [instelling.vergelijking, list(instelling.vergelijkingsgemeenten)]
    if before != [soort, codes]:
        Wijziging.objects.create(
            plan=plan,
            user=by,
            actie="gewijzigd",
            onderdeel="Veiligheidsanalyse: vergelijkingsgroep",
            velden={"vergelijkingsgroep": [before, [soort, codes]]},
        )
        instelling.vergelijking = soort
        instelling.vergelijkingsgemeenten = codes
        instelling.version += 1
        instelling.save()
    return instelling


def vergelijking(plan: Plan) -> vb.Vergelijking:
    """The plan's comparison group as the analysis takes it."""
    return _vergelijking(AnalyseInstelling.objects.filter(plan=plan).first())


def _vergelijking(instelling: AnalyseInstelling | None) -> vb.Vergelijking:
    if instelling is None:
        return vb.Vergelijking()
    return vb.Vergelijking(instelling.vergelijking, tuple(instelling.vergelijkingsgemeenten))


@transaction.atomic
def decide_candidate(
    plan: Plan,
    *,
    by: User,
    series: vb.SeriesPicture,
    gemeente: str,
    year: int,
    besluit: str | None,
    toelichting: str = "",
) -> KandidaatBesluit | None:
    """Accept or reject a candidate (``besluit=None``: withdraw the decision). The score
    and reasons of the moment are kept with the decision."""
    _require(by, plan, Permission.EDIT_CONTENT)
    existing = (
        KandidaatBesluit.objects.select_for_update(of=("self",))
        .filter(plan=plan, gemeente=gemeente, sleutel=series.key)
        .first()
    )
    old = existing.besluit if existing else None
    old_toelichting = existing.toelichting if existing else ""
    if besluit is None:
        if existing:
            existing.delete()
            Wijziging.objects.create(
                plan=plan,
                user=by,
                actie="verwijderd",
                onderdeel=f"Mogelijke prioriteit {series.key} {series.title}",
                velden={"besluit": [old, None]},
            )
        return None
    if besluit not in Besluit.values:
        raise ValidationError(_("Kies aanvaarden of afwijzen."))
    candidate = series.candidate
    decision = existing or KandidaatBesluit(plan=plan, gemeente=gemeente, sleutel=series.key)
    decision.titel = series.title[:200]
    decision.peiljaar = year
    decision.besluit = besluit
    decision.toelichting = toelichting
    decision.score = candidate.score if candidate else 0
    decision.redenen = list(candidate.reasons) if candidate else []
    decision.besloten_door = by
    decision.save()
    if old != besluit or old_toelichting != toelichting:
        # ``existing`` is ``decision``: compare with the values read before the change.
        velden = {"besluit": [old, besluit]} if old != besluit else {}
        if old_toelichting != toelichting:
            velden["toelichting"] = [old_toelichting, toelichting]
        Wijziging.objects.create(
            plan=plan,
            user=by,
            actie="besloten",
            onderdeel=f"Mogelijke prioriteit {series.key} {series.title}",
            velden=velden,
        )
    return decision


def besluiten(plan: Plan, gemeente: str) -> dict[str, KandidaatBesluit]:
    return {b.sleutel: b for b in KandidaatBesluit.objects.filter(plan=plan, gemeente=gemeente)}


# -- the figures of a plan -------------------------------------------------------------

T = TypeVar("T")
_CACHE: OrderedDict[tuple, vb.Veiligheidsbeeld] = OrderedDict()
_CACHE_SIZE = 16
_CACHE_LOCK = threading.Lock()


def _data_stamp() -> str | None:
    """The data version (ADR 0029): a new one after every write to the figures or the
    regions, also one that is rolled back (the largest import run's key, used before,
    comes back after a rollback on SQLite with other figures behind it). None: unknown,
    keep nothing."""
    from ivp import readcache

    return readcache.version()


def plan_gemeenten(plan: Plan) -> list[tuple[str, str]]:
    return list(plan.gemeenten.order_by("naam").values_list("code", "naam"))


# The area of a joint plan (several gemeenten) taken as one region, beside its members.
AREA = "gebied"
AREA_LABEL = "Het gebied als geheel"


def is_joint(plan: Plan) -> bool:
    return plan.gemeenten.count() > 1


def area_name(plan: Plan) -> str:
    """ "basisteam X" when the plan's gemeenten are exactly one base team's, else their names."""
    from ivp.analysis import area

    return area.area_name(area.members_of([c for c, _n in plan_gemeenten(plan)]))


def _area_aggregate(plan: Plan, year: int | None) -> vb.Veiligheidsbeeld:
    from ivp.analysis import area
    from ivp.datasets.services import mapping_for_plan

    codes = [c for c, _n in plan_gemeenten(plan)]
    members = area.members_of(codes)
    wanted = year
    if wanted is None:
        wanted = area._latest_common_year(members)
        if wanted is None:
            raise vb.NoData(_("Geen geregistreerde misdrijven van de gemeenten van dit plan."))
    try:
        area.check_years(members, wanted)
    except area.NotInYear as error:
        raise vb.NoData(str(error)) from error
    return area.build_aggregate(members, wanted, indeling=mapping_for_plan(plan))


def area_pictures(
    plan: Plan, year: int | None = None
) -> tuple[vb.Veiligheidsbeeld | None, list[tuple[str, str, vb.Veiligheidsbeeld | None, str]]]:
    """The area's picture and, per member, (code, name, picture or None, reason): the
    pictures side by side on the page and in the documents of a joint plan."""
    wanted = year if year is not None else peiljaar(plan)
    aggregate = None
    try:
        aggregate = veiligheidsbeeld(plan, AREA, wanted)
    except (vb.NoData, vb.UnknownArea):
        aggregate = None
    year_used = aggregate.year if aggregate else wanted
    members = []
    for code, naam in plan_gemeenten(plan):
        try:
            members.append((code, naam, veiligheidsbeeld(plan, code, year_used), ""))
        except (vb.NoData, vb.UnknownArea) as error:
            members.append((code, naam, None, str(error)))
    return aggregate, members


def veiligheidsbeeld(
    plan: Plan,
    gemeente: str | None = None,
    year: int | None = None,
    *,
    extra_sums: tuple[tuple[str, ...], ...] = (),
) -> vb.Veiligheidsbeeld:
    """The figures of the plan's gemeente (default: its only one, or for a joint plan the
    area; ``AREA``: the gemeenten of a joint plan taken as one area, ``analysis.area``)
    with the plan's own mapping, reference year and comparison group. Kept in memory until
    new figures are imported or the plan's mapping or comparison group changes.
    ``extra_sums``: combined series to compute besides those the plan's indicators link to
    (a form not saved yet); a joint plan's area has no combined series yet."""
    from ivp.datasets.models import PlanMapping
    from ivp.datasets.own_series import plan_choices
    from ivp.datasets.services import mapping_for_plan

    codes = [c for c, _n in plan_gemeenten(plan)]
    if not codes:
        raise vb.NoData(_("Dit plan heeft geen gemeente."))
    if gemeente is None and len(codes) > 1:
        # a joint plan: by default the area as a whole (its first gemeente where the area
        # has no figures)
        try:
            return veiligheidsbeeld(plan, AREA, year, extra_sums=extra_sums)
        except vb.NoData:
            gemeente = codes[0]
    joint = len(codes) > 1 and gemeente == AREA
    code = AREA if joint else gemeente if gemeente in codes else codes[0]
    instelling = AnalyseInstelling.objects.filter(plan=plan).first()  # year and group
    wanted = year if year is not None else (instelling.peiljaar if instelling else None)
    overrides = tuple(
        PlanMapping.objects.filter(plan=plan).order_by("code").values_list("code", "themes")
    )
    group = _vergelijking(instelling)
    themes = plan_choices(plan)
    sums = tuple(sorted(set(combined_sums(plan)) | {tuple(c) for c in extra_sums}))
    stamp = _data_stamp()
    key = (
        code,
        tuple(codes) if joint else (),
        wanted,
        tuple((c, tuple(t)) for c, t in overrides),
        group,
        tuple(sorted(themes.items())),
        sums,
        stamp,
    )
    if stamp is not None:
        with _CACHE_LOCK:  # the threads of a web worker share the cache
            found = _CACHE.get(key)
            if found is not None:
                _CACHE.move_to_end(key)
                return found
    if joint:
        picture = _area_aggregate(plan, wanted)
    else:
        picture = vb.build(
            code,
            wanted,
            indeling=mapping_for_plan(plan),
            vergelijking=group,
            sums=sums,
            series_themes=themes,
        )
    if stamp is None:
        return picture
    with _CACHE_LOCK:
        _CACHE[key] = picture
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return picture


def combined_sums(plan: Plan) -> tuple[tuple[str, ...], ...]:
    """The combined series the plan's effect indicators link to (``som:1.2.1+1.2.2``)."""
    found = set()
    for reeks in plan.effectindicatoren.filter(reeks__startswith="som:").values_list(
        "reeks", flat=True
    ):
        codes = vb.parse_combined(reeks)
        if codes:
            found.add(codes)
    return tuple(sorted(found))


def memo(picture: vb.Veiligheidsbeeld, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()`` once per ``picture`` and ``key``: a result derived from a cached
    picture alone (e.g. a target proposal) lives exactly as long as that picture, so it is
    recomputed when new figures are imported or the plan's mapping or group changes. The
    picture is the same for every user (official figures only), so is what is kept here."""
    kept = picture.__dict__.setdefault("_memo", {})
    if key not in kept:
        kept[key] = compute()
    return kept[key]


def series_by_key(picture: vb.Veiligheidsbeeld, key: str) -> vb.SeriesPicture | None:
    pool: Iterable[vb.SeriesPicture] = (
        *picture.combined,
        *picture.categories,
        *(t.total for t in picture.themes),
        *(f.total for f in picture.fields),
    )
    return next((s for s in pool if s.key == key), None)


def step_gaps(plan) -> list[str]:
    """What step 2 still lacks (``plans.progress``): the working group's analysis texts."""
    from django.db.models import Q

    from ivp.veiligheidsanalyse.models import AnalyseTekst

    written = AnalyseTekst.objects.filter(plan=plan).exclude(
        Q(probleem="") & Q(huidige_aanpak="") & Q(extra="") & Q(conclusie="")
    )
    if not written.exists():
        return [_("de analyse van de werkgroep (nog geen tekst bij een thema of veld)")]
    return []
