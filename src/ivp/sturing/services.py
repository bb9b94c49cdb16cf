"""One door per use case of step 6. Each function checks the actor's rights, runs in one
transaction, refuses a stale save (the row's ``version``: the same optimistic lock as the
implementation plans, with a :class:`StaleEditError` of its own wording) and
records the change in the plan's history."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ivp.accounts.models import User
from ivp.beleidsplan.models import Effectindicator
from ivp.plans import versioning
from ivp.plans.access import Permission, can
from ivp.plans.models import Plan, Wijziging
from ivp.sturing import periods
from ivp.sturing.models import (
    Overlegpunt,
    Rapportage,
    Rapportagecyclus,
    Realisatie,
    Toewijzing,
    Voortgangsstatus,
    Voortgangsupdate,
)
from ivp.uitvoering import services as uitvoering_services
from ivp.uitvoering.models import Maatregel, Uitvoeringsplan

__all__ = ["StaleEditError"]


class StaleEditError(uitvoering_services.StaleEditError):
    """A stale save in step 6. Its pages show the user's form again, not the other
    version, so the message says how to go on instead."""

    subject = gettext_lazy("dit onderdeel")
    other_shown = False


# the measure's status in the implementation plan follows its latest progress report
STATUS_IN_PLAN = {
    Voortgangsstatus.OP_SCHEMA: Maatregel.Status.LOPEND,
    Voortgangsstatus.VERTRAAGD: Maatregel.Status.VERTRAAGD,
    Voortgangsstatus.GEREED: Maatregel.Status.GEREED,
    Voortgangsstatus.GESTOPT: Maatregel.Status.VERVALLEN,
}
MAX_TEXT = 2000
DEFAULT_MONTHS = {
    Rapportagecyclus.Frequentie.KWARTAAL: [3, 6, 9, 12],
    Rapportagecyclus.Frequentie.HALFJAAR: [6, 12],
    Rapportagecyclus.Frequentie.JAAR: [12],
}


def plan_of_measure(measure: Maatregel) -> Plan:
    return measure.onderdeel.uitvoeringsplan.plan


def _record(
    plan: Plan, user: User | None, actie: str, onderdeel: str, velden: dict, *, key: str = "",
    secret: bool = False,
) -> None:  # fmt: skip
    limit = Wijziging._meta.get_field("onderdeel").max_length
    if len(onderdeel) > limit:
        onderdeel = onderdeel[: limit - 1] + "…"
    Wijziging.objects.create(
        plan=plan,
        user=user,
        actie=actie,
        onderdeel=onderdeel,
        velden={k: [_plain(a), _plain(b)] for k, (a, b) in velden.items()},
        sleutel=key,
        vertrouwelijk=secret,
    )


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _require(user: User, plan: Plan, permission: Permission = Permission.EDIT_CONTENT) -> None:
    if not can(user, plan, permission):
        raise PermissionDenied(_("U heeft geen rechten voor deze actie in dit plan."))


def measure_is_confidential(measure: Maatregel) -> bool:
    from ivp.uitvoering.confidential import is_confidential

    return is_confidential(measure)


def indicator_is_confidential(indicator: Effectindicator) -> bool:
    from ivp.beleidsplan.confidential import confidential_parts

    return confidential_parts(indicator.plan).hides(indicator)


# -- lineage of a measure over the yearly plans ------------------------------------------


def lineage(measure: Maatregel) -> list[int]:
    """The measure and the rows it was carried over from (newest first)."""
    ids, current, seen = [], measure, set()
    while current is not None and current.pk not in seen:
        ids.append(current.pk)
        seen.add(current.pk)
        current = current.overgenomen_van
    return ids


def latest_copy(measure: Maatregel) -> Maatregel:
    """The newest row of this measure (a follow-up plan copies its running measures)."""
    current = measure
    for _i in range(50):
        newer = Maatregel.objects.filter(overgenomen_van=current).order_by("-pk").first()
        if newer is None:
            return current
        current = newer
    return current


def assignees(measure: Maatregel) -> list[User]:
    ids = lineage(measure)
    users = User.objects.filter(toewijzingen__maatregel__in=ids).distinct()
    return sorted(users, key=lambda u: (u.get_full_name() or u.username).lower())


def is_assigned(user: User, measure: Maatregel) -> bool:
    return Toewijzing.objects.filter(maatregel__in=lineage(measure), user=user).exists()


def can_update(user: User, measure: Maatregel) -> bool:
    """Editors update every measure they see; a contributor only the measures assigned to
    them (a confidential one only if the user sees confidential parts)."""
    if not user.is_authenticated:
        return False
    plan = plan_of_measure(measure)
    if can(user, plan, Permission.EDIT_CONTENT):
        return True
    if not can(user, plan, Permission.VIEW) or measure_is_confidential(measure):
        return False
    return is_assigned(user, measure)


# -- contributors ------------------------------------------------------------------------


@transaction.atomic
def assign(measure: Maatregel, *, by: User, user: User) -> Toewijzing:
    """Make ``user`` a contributor of ``measure``: they see it on "Mijn maatregelen" and
    update its progress."""
    from ivp.plans.confidential import sees_confidential

    plan = plan_of_measure(measure)
    _require(by, plan)
    if not can(user, plan, Permission.VIEW):
        raise ValidationError(
            _("%(u)s heeft geen toegang tot dit plan; geef eerst een rol (bijdrager).")
            % {"u": user.get_full_name() or user.username}
        )
    if measure_is_confidential(measure) and not sees_confidential(user, plan):
        raise ValidationError(
            _("Deze maatregel is vertrouwelijk; %(u)s ziet vertrouwelijke onderdelen niet.")
            % {"u": user.get_full_name() or user.username}
        )
    found, created = Toewijzing.objects.get_or_create(maatregel=measure, user=user)
    if created:
        _record(
            plan,
            by,
            "toegewezen",
            f"Maatregel {measure.titel}",
            {"bijdrager": [None, user.get_full_name() or user.username]},
            key=f"maatregel:{measure.pk}",
            secret=measure_is_confidential(measure),
        )
        if user.pk != by.pk:  # a notification (and an e-mail where wanted, docs/collaboration.md)
            from django.urls import reverse

            from ivp.plans.collaboration import notify

            notify(
                [user],
                plan,
                soort="maatregel",
                tekst=_("U bent toegewezen aan de maatregel ‘%(titel)s’")
                % {"titel": measure.titel},
                url=reverse("sturing:mijn"),
                sleutel=f"maatregel:{measure.pk}",
            )
    return found


@transaction.atomic
def unassign(measure: Maatregel, *, by: User, user: User) -> None:
    plan = plan_of_measure(measure)
    _require(by, plan)
    Toewijzing.objects.filter(maatregel__in=lineage(measure), user=user).delete()


def my_measures(user: User) -> list[Maatregel]:
    """The measures assigned to ``user`` (their newest row), in plans the user sees, without
    the confidential ones the user may not see."""
    from ivp.plans.access import plans_for_user

    visible = plans_for_user(user)
    assigned = Maatregel.objects.filter(
        toewijzingen__user=user, onderdeel__uitvoeringsplan__plan__in=visible
    ).select_related("onderdeel__uitvoeringsplan__plan")
    seen, result = set(), []
    newest_year = {}
    for m in assigned:
        newest = latest_copy(m)
        if newest.pk in seen:
            continue
        up = newest.onderdeel.uitvoeringsplan
        if up.plan_id not in newest_year:
            newest_year[up.plan_id] = Uitvoeringsplan.objects.filter(plan_id=up.plan_id).aggregate(
                m=Max("jaar")
            )["m"]
        if up.jaar < newest_year[up.plan_id]:
            continue  # finished or stopped: not carried into the running plan
        seen.add(newest.pk)
        if measure_is_confidential(newest) and not can(
            user, plan_of_measure(newest), Permission.EDIT_CONTENT
        ):
            continue
        result.append(newest)
    return sorted(
        result,
        key=lambda m: (
            plan_of_measure(m).titel,
            -m.onderdeel.uitvoeringsplan.jaar,
            m.onderdeel.volgorde,
            m.volgorde,
            m.pk,
        ),
    )


# -- progress of measures ----------------------------------------------------------------


def latest_update(measure: Maatregel, *, until: date | None = None) -> Voortgangsupdate | None:
    updates = Voortgangsupdate.objects.filter(maatregel__in=lineage(measure))
    if until is not None:
        updates = updates.filter(datum__lte=until)
    return updates.select_related("door").order_by("-datum", "-pk").first()


def history(measure: Maatregel) -> list[Voortgangsupdate]:
    return list(
        Voortgangsupdate.objects.filter(maatregel__in=lineage(measure))
        .select_related("door")
        .order_by("-datum", "-pk")
    )


@transaction.atomic
def record_update(
    measure: Maatregel,
    *,
    by: User,
    expected_version: int,
    status: str,
    tekst: str = "",
    datum: date | None = None,
) -> Voortgangsupdate:
    """Record how a measure is going; its status in the implementation plan follows. Refused
    with :class:`StaleEditError` when the measure changed after ``expected_version`` was
    read (someone else reported, or an editor changed it)."""
    if not can_update(by, measure):
        raise PermissionDenied(_("U mag de voortgang van deze maatregel niet bijwerken."))
    if status not in Voortgangsstatus.values:
        raise ValidationError(_("Kies een status: op schema, vertraagd, gereed of gestopt."))
    tekst = (tekst or "").strip()
    if len(tekst) > MAX_TEXT:
        raise ValidationError(
            _("De toelichting is te lang (hoogstens %(n)s tekens).") % {"n": MAX_TEXT}
        )
    if status in (Voortgangsstatus.VERTRAAGD, Voortgangsstatus.GESTOPT) and not tekst:
        raise ValidationError(
            _("Schrijf kort waarom de maatregel vertraagd of gestopt is: dat is het knelpunt.")
        )
    today = timezone.localdate()
    datum = datum or today
    if datum > today:
        raise ValidationError(_("De datum ligt in de toekomst."))
    current = versioning.lock_for_edit(measure, expected_version, error=StaleEditError)
    if current is None:
        raise ValidationError(_("Deze maatregel is intussen verwijderd; niets opgeslagen."))
    update = Voortgangsupdate.objects.create(
        maatregel=current, status=status, tekst=tekst, datum=datum, door=by
    )
    previous = current.status
    newest = latest_update(current)
    if newest is not None and newest.pk == update.pk:
        current.status = STATUS_IN_PLAN[Voortgangsstatus(status)]
    versioning.bump(current, by=by)
    _record(
        plan_of_measure(current),
        by,
        "voortgang",
        f"Uitvoeringsplan {current.onderdeel.uitvoeringsplan.jaar}: maatregel {current.titel}",
        {
            "voortgang": [None, Voortgangsstatus(status).label],
            **({"status": [previous, current.status]} if previous != current.status else {}),
        },
        key=f"maatregel:{current.pk}",
        secret=measure_is_confidential(current),
    )
    return update


# -- realisations ------------------------------------------------------------------------


def _number(value: Any) -> float:
    if isinstance(value, str):
        value = value.strip().replace(" ", "")
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", value):
            value = value.replace(".", "")
        value = value.replace(",", ".")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(_("Geef de waarde als getal, bv. 6,8.")) from None
    if not math.isfinite(number):
        raise ValidationError(_("Geef de waarde als getal, bv. 6,8."))
    return number


@transaction.atomic
def add_realisation(
    indicator: Effectindicator,
    *,
    by: User,
    jaar: int,
    waarde: Any,
    bron: str,
    status: str = Realisatie.Status.DEFINITIEF,
    peildatum: date | None = None,
    toelichting: str = "",
) -> Realisatie:
    """A realisation entered by hand (Veiligheidsmonitor, an own registration). A figure for
    a year that already has one is recorded as a revision of it."""
    plan = indicator.plan
    _require(by, plan)
    value = _number(waarde)
    try:
        jaar = int(jaar)
    except (TypeError, ValueError):
        raise ValidationError(_("Geef een jaartal, bv. 2025.")) from None
    if not 2000 <= jaar <= timezone.localdate().year:
        raise ValidationError(
            _("Het jaar moet tussen 2000 en %(j)s liggen.") % {"j": timezone.localdate().year}
        )
    if indicator.uitgangsjaar and jaar <= indicator.uitgangsjaar:
        raise ValidationError(
            _("Een realisatie hoort bij een jaar na het uitgangsjaar (%(j)s).")
            % {"j": indicator.uitgangsjaar}
        )
    if indicator.eenheid == Effectindicator.Eenheid.PROCENT and not 0 <= value <= 100:
        raise ValidationError(_("Een percentage ligt tussen 0 en 100."))
    if indicator.eenheid == Effectindicator.Eenheid.RAPPORTCIJFER and not 1 <= value <= 10:
        raise ValidationError(_("Een rapportcijfer ligt tussen 1 en 10."))
    if value < 0:
        raise ValidationError(_("De waarde kan niet negatief zijn."))
    bron = (bron or "").strip()
    if not bron:
        raise ValidationError(_("Noem de bron van het cijfer, bv. ‘Veiligheidsmonitor 2025’."))
    if status not in Realisatie.Status.values:
        raise ValidationError(_("Kies voorlopig of definitief."))
    if peildatum and peildatum > timezone.localdate():
        raise ValidationError(_("De datum ligt in de toekomst."))
    old = (
        Realisatie.objects.select_for_update(of=("self",))
        .filter(indicator=indicator, jaar=jaar, actueel=True)
        .order_by("pk")
        .first()
    )
    if old is not None:
        old.actueel = False
        old.save(update_fields=["actueel"])
    new = Realisatie.objects.create(
        indicator=indicator,
        jaar=jaar,
        waarde=round(value, 4),
        bron=bron[:300],
        status=status,
        herkomst=Realisatie.Herkomst.HAND,
        toelichting=(toelichting or "").strip()[:300],
        peildatum=peildatum,
        herziening_van=old,
        ingevoerd_door=by,
    )
    _record(
        plan,
        by,
        "herzien" if old else "realisatie",
        f"Indicator {indicator.naam}: realisatie {jaar}",
        {"waarde": [old.waarde if old else None, new.waarde]},
        key=f"effectindicator:{indicator.pk}",
        secret=indicator_is_confidential(indicator),
    )
    return new


def latest_picture(plan: Plan, gemeente: str | None = None):
    """The veiligheidsbeeld of the newest year with figures (whatever the plan's reference
    year): realisations and new signals look at the latest figures. ``gemeente``: whose
    figures (a joint plan's member or ``AREA``; default the plan's, for a joint plan its
    area), as an indicator's baseline (``Effectindicator.gemeente``)."""
    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.veiligheidsanalyse import services as analyse

    codes = analyse.plan_gemeenten(plan)
    if not codes:
        raise vb.NoData(_("Dit plan heeft geen gemeente."))
    # the same rule as build(year=None); the area: its newest member (a gemeente that was
    # dissolved has no recent year of its own)
    own = [gemeente] if gemeente in dict(codes) else [c for c, _n in codes]
    newest = max((y for y in map(vb._latest_own_year, own) if y is not None), default=None)
    if newest is None or len(codes) == 1 or gemeente in dict(codes):
        return analyse.veiligheidsbeeld(plan, gemeente or None, year=newest)
    # the area of a joint plan exists while all its members did: a member dissolved
    # since (its figures end with its last year) ends the area's figures there too
    for year in range(newest, max(newest - 10, plan.periode_start - 1), -1):
        try:
            return analyse.veiligheidsbeeld(plan, gemeente or None, year=year)
        except vb.NoData:
            continue
    return analyse.veiligheidsbeeld(plan, gemeente or None, year=newest)


def _series_years(plan: Plan, indicator: Effectindicator):
    """The picture of the newest year with data and the indicator's series in it."""
    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.beleidsplan.services import _series_key
    from ivp.veiligheidsanalyse import services as analyse

    try:
        picture = latest_picture(plan, indicator.gemeente or None)
    except (vb.NoData, vb.UnknownArea):
        return None, None
    return picture, analyse.series_by_key(picture, _series_key(indicator.reeks))


@transaction.atomic
def sync_realisations(plan: Plan, *, by: User | None = None) -> int:
    """Bring the realisations of the plan's linked indicators up to date with the stored
    figures: every year after the baseline year becomes a realisation (with its source and
    voorlopig/definitief); a changed figure becomes a revision. Returns how many rows were
    added."""
    from ivp.beleidsplan.series import OWN, kind_of
    from ivp.beleidsplan.services import _source_note, _source_per_year, _year_sources

    added = 0
    indicators = Effectindicator.objects.filter(plan=plan).exclude(reeks="")
    for ind in indicators.exclude(uitgangsjaar=None):
        if kind_of(ind.reeks) == OWN:
            added += _sync_own_series(plan, ind, by)
            continue
        picture, series = _series_years(plan, ind)
        if series is None or not series.has_data:
            continue
        unit = ind.eenheid
        if unit == Effectindicator.Eenheid.AANTAL:
            values, bases = series.counts, {}
        elif unit == Effectindicator.Eenheid.PER_1000_WONINGEN:
            values, bases = series.rates_dwellings, picture.dwellings
        else:
            values, bases = series.rates, picture.population
        per_year = _source_per_year(picture, series)
        base_key = str(ind.uitgangsjaar)
        ev = series.evidence
        existing = {r.jaar: r for r in Realisatie.objects.filter(indicator=ind, actueel=True)}
        for key in sorted(values, key=int):
            year, value = int(key), values.get(key)
            if year <= ind.uitgangsjaar or value is None:
                continue
            same_source = not per_year or per_year.get(key) == per_year.get(base_key)
            count, ref = series.counts.get(key), series.counts.get(base_key)
            status = (
                Realisatie.Status.VOORLOPIG
                if year in picture.provisional_years
                else Realisatie.Status.DEFINITIEF
            )
            old = existing.get(year)
            if old is not None and old.herkomst == Realisatie.Herkomst.HAND:
                continue  # an own figure is kept; the user decides
            if (
                old is not None
                and abs(old.waarde - round(value, 4)) < 1e-6
                and old.status == status
            ):
                continue
            row = {
                "waarde": round(value, 4),
                "bron": _source_note(picture, _year_sources(picture, series, key))[:300],
                "status": status,
                "herkomst": Realisatie.Herkomst.REEKS,
                "aantal": count if same_source else None,
                "basis": bases.get(key) if bases else None,
                "uitgangsaantal": ref if same_source else None,
                "uitgangsbasis": bases.get(base_key) if bases else None,
                "dispersie": ev.dispersion if ev else 1.0,
                "dispersie_df": ev.dispersion_df if ev else None,
                "toelichting": ""
                if same_source
                else "Andere bron dan het uitgangsjaar: niet getoetst (breuk in de reeks).",
            }
            added += _store_realisation(plan, ind, year, row, old, by)
    return added


def _store_realisation(plan: Plan, ind: Effectindicator, year: int, row: dict, old, by) -> int:
    """Store a realisation from a series; a changed figure revises ``old`` (kept, no longer
    current). Returns 1 when stored, 0 when a concurrent sync stored it first."""
    try:
        with transaction.atomic():  # a concurrent sync may have stored this year
            if old is not None:
                old.actueel = False
                old.save(update_fields=["actueel"])
            Realisatie.objects.create(indicator=ind, jaar=year, herziening_van=old, **row)
    except IntegrityError:
        return 0
    _record(
        plan,
        by,
        "herzien" if old else "realisatie",
        f"Indicator {ind.naam}: realisatie {year}",
        {"waarde": [old.waarde if old else None, row["waarde"]]},
        key=f"effectindicator:{ind.pk}",
        secret=indicator_is_confidential(ind),
    )
    return 1


def _sync_own_series(plan: Plan, ind: Effectindicator, by: User | None) -> int:
    """Realisations of an indicator linked to the gemeente's own (or a survey) series: the
    values as imported, with their source and margin; not tested against the baseline as
    counts are (the verdict says "niet te toetsen")."""
    from ivp.beleidsplan.series import values_for_indicator

    found = values_for_indicator(ind, year=9999)
    added = 0
    existing = {r.jaar: r for r in Realisatie.objects.filter(indicator=ind, actueel=True)}
    for year in sorted(found.values):
        value = found.values[year]
        if year <= ind.uitgangsjaar or value is None:
            continue
        status = (
            Realisatie.Status.VOORLOPIG
            if found.status.get(year) == "voorlopig"
            else Realisatie.Status.DEFINITIEF
        )
        old = existing.get(year)
        if old is not None and old.herkomst == Realisatie.Herkomst.HAND:
            continue  # an own figure entered by hand is kept; the user decides
        if old is not None and abs(old.waarde - round(value, 4)) < 1e-6 and old.status == status:
            continue
        margin = (found.margins or {}).get(year)
        row = {
            "waarde": round(value, 4),
            "bron": (found.source or found.label)[:300],
            "status": status,
            "herkomst": Realisatie.Herkomst.REEKS,
            "toelichting": f"Marge (95 %): ± {margin:g}".replace(".", ",")
            if margin is not None
            else "",
        }
        added += _store_realisation(plan, ind, year, row, old, by)
    return added


def realisations(indicator: Effectindicator, *, until_year: int | None = None) -> list[Realisatie]:
    rows = Realisatie.objects.filter(indicator=indicator, actueel=True)
    if until_year is not None:
        rows = rows.filter(jaar__lte=until_year)
    return list(rows.select_related("herziening_van").order_by("jaar"))


# -- reporting cycle ---------------------------------------------------------------------


def cycle_from_chapter_6(plan: Plan) -> tuple[str, list[int]]:
    """The frequency chapter 6 of the IVP names (every quarter when it names none)."""
    from ivp.beleidsplan.models import Hoofdstuk, Paragraaf

    texts = list(Hoofdstuk.objects.filter(plan=plan, nummer=6).values_list("tekst", flat=True))
    texts += list(Paragraaf.objects.filter(hoofdstuk__plan=plan, hoofdstuk__nummer=6).values_list(
        "tekst", flat=True
    ))  # fmt: skip
    text = " ".join(texts).lower()
    if re.search(r"kwarta|driemaande|elke drie maanden", text):
        freq = Rapportagecyclus.Frequentie.KWARTAAL
    elif re.search(r"halfjaar|half jaar|twee keer per jaar|zes maanden", text):
        freq = Rapportagecyclus.Frequentie.HALFJAAR
    elif re.search(r"jaarlijks|eens per jaar|elk jaar", text):
        freq = Rapportagecyclus.Frequentie.JAAR
    else:
        freq = Rapportagecyclus.Frequentie.KWARTAAL
    return freq, list(DEFAULT_MONTHS[freq])


def cycle(plan: Plan) -> Rapportagecyclus:
    """The plan's reporting cycle (made from chapter 6 the first time it is asked)."""
    found = Rapportagecyclus.objects.filter(plan=plan).first()
    if found is None:
        freq, months = cycle_from_chapter_6(plan)
        found, _created = Rapportagecyclus.objects.get_or_create(
            plan=plan, defaults={"frequentie": freq, "maanden": months}
        )
    return found


@transaction.atomic
def save_cycle(
    plan: Plan,
    *,
    by: User,
    expected_version: int,
    frequentie: str,
    maanden: Iterable[int],
    dag: int = 15,
    herinnering_dagen: int = 14,
) -> Rapportagecyclus:
    _require(by, plan)
    if frequentie not in Rapportagecyclus.Frequentie.values:
        raise ValidationError(_("Kies een frequentie uit de lijst."))
    try:
        months = sorted({int(m) for m in maanden})
    except (TypeError, ValueError):
        raise ValidationError(_("Kies de maanden van het overleg.")) from None
    if not months or any(not 1 <= m <= 12 for m in months):
        raise ValidationError(_("Kies ten minste één maand voor het voortgangsoverleg."))
    if not 1 <= int(dag) <= 28:
        raise ValidationError(_("De dag van het overleg ligt tussen 1 en 28."))
    if not 1 <= int(herinnering_dagen) <= 60:
        raise ValidationError(_("De herinnering gaat 1 tot 60 dagen vooraf."))
    current = versioning.lock_for_edit(cycle(plan), expected_version, error=StaleEditError)
    diff = versioning.apply_changes(
        current,
        {
            "frequentie": frequentie,
            "maanden": months,
            "dag": int(dag),
            "herinnering_dagen": int(herinnering_dagen),
        },
        by=by,
    )
    if diff:
        _record(plan, by, "gewijzigd", "Rapportagecyclus", diff, key="rapportagecyclus")
    return current


def meeting_dates(plan: Plan, *, start: date, end: date) -> list[date]:
    """The dates of the voortgangsoverleg between ``start`` and ``end`` (inclusive)."""
    c = cycle(plan)
    found = []
    for year in range(start.year, end.year + 1):
        for month in c.maanden:
            day = date(year, month, c.dag)
            if start <= day <= end:
                found.append(day)
    return found


def next_meeting(plan: Plan, today: date | None = None) -> date | None:
    today = today or timezone.localdate()
    ahead = meeting_dates(plan, start=today, end=date(today.year + 1, 12, 31))
    return ahead[0] if ahead else None


def period_of_meeting(plan: Plan, day: date) -> periods.Period:
    """The period a meeting reports on: the quarter (or half year, year) it falls in."""
    return periods.for_date(day, cycle(plan).frequentie)


# -- reports -----------------------------------------------------------------------------


def report(plan: Plan, soort: str, periode: str) -> Rapportage:
    """The report of a period (a concept until sent)."""
    if soort not in Rapportage.Soort.values:
        raise ValidationError(_("Onbekende soort rapportage."))
    code = periods.parse(periode).code
    found, _created = Rapportage.objects.get_or_create(plan=plan, soort=soort, periode=code)
    return found


@transaction.atomic
def save_conclusies(rapport: Rapportage, *, by: User, expected_version: int, conclusies: str):
    _require(by, rapport.plan)
    current = versioning.lock_for_edit(rapport, expected_version, error=StaleEditError)
    if current.status == Rapportage.Status.VERZONDEN:
        raise ValidationError(_("Deze rapportage is verzonden en kan niet meer veranderen."))
    current.conclusies = (conclusies or "").strip()
    versioning.bump(current, by=by)
    return current


@transaction.atomic
def send_report(rapport: Rapportage, *, by: User, expected_version: int) -> Rapportage:
    """Freeze the report as it is now: from then on every download shows this content."""
    from ivp.sturing.progress import progress

    _require(by, rapport.plan, Permission.MANAGE_PLAN)
    current = versioning.lock_for_edit(rapport, expected_version, error=StaleEditError)
    if current.status == Rapportage.Status.VERZONDEN:
        raise ValidationError(_("Deze rapportage is al verzonden."))
    content = progress(current.plan, period=current.periode, internal=True)
    content["conclusies"] = current.conclusies
    current.inhoud = content
    current.status = Rapportage.Status.VERZONDEN
    current.verzonden_op = timezone.now()
    current.verzonden_door = by
    versioning.bump(current, by=by)
    _record(
        current.plan,
        by,
        "verzonden",
        f"{current.get_soort_display()} {current.periode}",
        {"status": ["concept", "verzonden"]},
        key=f"rapportage:{current.pk}",
    )
    return current


# -- voortgangsoverleg -------------------------------------------------------------------


@transaction.atomic
def prepare_agenda(plan: Plan, periode: str, *, by: User) -> list[Overlegpunt]:
    """Put the knelpunten (delayed and stopped measures) and the new signals of the period
    on the agenda, once each; points already there keep their text and decision."""
    from ivp.sturing.progress import progress

    _require(by, plan)
    code = periods.parse(periode).code
    snapshot = progress(plan, period=code, internal=True)
    present = set(
        Overlegpunt.objects.filter(plan=plan, periode=code).values_list("sleutel", flat=True)
    )
    start = Overlegpunt.objects.filter(plan=plan, periode=code).aggregate(m=Max("volgorde"))["m"]
    position = (start or 0) + 1
    made = []
    for k in snapshot["knelpunten"]:
        key = f"maatregel:{k['id']}"
        if key in present:
            continue
        made.append(
            Overlegpunt.objects.create(
                plan=plan,
                periode=code,
                soort=Overlegpunt.Soort.KNELPUNT,
                sleutel=key,
                titel=f"{k['title']} ({k['status_label'].lower()})",
                toelichting=k.get("text") or "",
                maatregel_id=k["id"],
                volgorde=position,
                updated_by=by,
            )
        )
        position += 1
    for s in snapshot["signals"]:
        key = s["key"]
        if key in present:
            continue
        made.append(
            Overlegpunt.objects.create(
                plan=plan,
                periode=code,
                soort=Overlegpunt.Soort.SIGNAAL,
                sleutel=key[:60],
                titel=f"Nieuw signaal: {s['title']}",
                toelichting=s["text"],
                volgorde=position,
                updated_by=by,
            )
        )
        position += 1
    if made:
        _record(plan, by, "agenda", f"Voortgangsoverleg {code}", {"punten": [None, len(made)]})
    return made


@transaction.atomic
def add_point(plan: Plan, periode: str, *, by: User, titel: str, toelichting: str = ""):
    _require(by, plan)
    code = periods.parse(periode).code
    titel = (titel or "").strip()
    if not titel:
        raise ValidationError(_("Geef het agendapunt een titel."))
    last = Overlegpunt.objects.filter(plan=plan, periode=code).aggregate(m=Max("volgorde"))["m"]
    return Overlegpunt.objects.create(
        plan=plan,
        periode=code,
        soort=Overlegpunt.Soort.EIGEN,
        titel=titel[:300],
        toelichting=(toelichting or "").strip(),
        volgorde=(last or 0) + 1,
        updated_by=by,
    )


def points_for(user: User, plan: Plan, periode: str) -> list[Overlegpunt]:
    """The agenda of a period without the points on confidential measures the user may not
    see."""
    from ivp.plans.confidential import sees_confidential

    rows = list(
        Overlegpunt.objects.filter(plan=plan, periode=periode).select_related(
            "maatregel__onderdeel", "nieuwe_maatregel"
        )
    )
    if sees_confidential(user, plan):
        return rows
    return [p for p in rows if not point_is_confidential(p)]


def point_is_confidential(point: Overlegpunt) -> bool:
    return any(
        m is not None and measure_is_confidential(m)
        for m in (point.maatregel, point.nieuwe_maatregel)
    )


@transaction.atomic
def decide(
    point: Overlegpunt,
    *,
    by: User,
    expected_version: int,
    besluit: str,
    nieuwe_maatregel: str = "",
) -> Overlegpunt:
    """Record the decision on an agenda point; ``nieuwe_maatregel`` (a title) adds a measure
    to the running implementation plan, next to the measure the point is about."""
    from ivp.uitvoering import services as uv

    plan = point.plan
    _require(by, plan)
    current = versioning.lock_for_edit(point, expected_version, error=StaleEditError)
    besluit = (besluit or "").strip()
    if not besluit:
        raise ValidationError(_("Schrijf het besluit op."))
    diff = {"besluit": [current.besluit, besluit]}
    current.besluit = besluit
    titel = (nieuwe_maatregel or "").strip()
    if titel:
        if current.nieuwe_maatregel_id:
            raise ValidationError(_("Bij dit punt is al een nieuwe maatregel gemaakt."))
        item = _item_for(current)
        if item is None:
            raise ValidationError(
                _("Er is geen uitvoeringsplan met een onderdeel om de maatregel aan toe te voegen.")
            )
        new = uv.add_maatregel(
            item, by=by, titel=titel, beschrijving=f"Besluit voortgangsoverleg {current.periode}."
        )
        current.nieuwe_maatregel = new
        diff["nieuwe maatregel"] = [None, titel]
    versioning.bump(current, by=by)
    _record(
        plan,
        by,
        "besluit",
        f"Voortgangsoverleg {current.periode}: {current.titel}",
        diff,
        key=f"overlegpunt:{current.pk}",
        secret=point_is_confidential(current),
    )
    return current


def _item_for(point: Overlegpunt):
    from ivp.uitvoering.models import Onderdeel

    if point.maatregel_id:
        return latest_copy(point.maatregel).onderdeel
    up = Uitvoeringsplan.objects.filter(plan=point.plan).order_by("-jaar").first()
    if up is None:
        return None
    return Onderdeel.objects.filter(uitvoeringsplan=up).order_by("volgorde", "pk").first()


def current_plan_year(plan: Plan, year: int) -> Uitvoeringsplan | None:
    """The implementation plan that runs in ``year`` (the newest up to it)."""
    return (
        Uitvoeringsplan.objects.filter(plan=plan, jaar__lte=year).order_by("-jaar").first()
        or Uitvoeringsplan.objects.filter(plan=plan).order_by("jaar").first()
    )
