"""One door per use case for plans. Each function runs in one transaction, checks the
actor's permission, refuses stale edits (optimistic locking on ``Plan.version``) and
records what changed in ``Wijziging``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ivp.accounts import plan_gemeenten_of
from ivp.accounts.models import User
from ivp.areas.models import Gemeente
from ivp.plans import versioning, workflow
from ivp.plans.access import Permission, can
from ivp.plans.models import Plan, PlanRol, PlanStap, Reactie, Rol, WerkgroepLid, Wijziging
from ivp.plans.workflow import STAPPEN


class ConcurrentEditError(Exception):
    """Someone else saved the plan after the actor read it; nothing was stored."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        super().__init__(
            _(
                "Iemand anders heeft dit plan intussen gewijzigd. Uw wijzigingen zijn niet "
                "opgeslagen; ze staan hieronder nog in het formulier. Vergelijk ze met de "
                "actuele versie en sla opnieuw op."
            )
        )


def _require(user: User, plan: Plan, permission: Permission) -> None:
    if not can(user, plan, permission):
        raise PermissionDenied(_("U heeft geen rechten voor deze actie in dit plan."))


def _record(plan: Plan, user: User | None, actie: str, onderdeel: str, velden: dict) -> None:
    Wijziging.objects.create(plan=plan, user=user, actie=actie, onderdeel=onderdeel, velden=velden)


def _bump_version(plan: Plan, expected_version: int) -> None:
    """Claim the next version, or raise when someone else claimed it first."""
    if not versioning.claim_next_version(plan, expected_version):
        plan.refresh_from_db()
        raise ConcurrentEditError(plan)


def _as_json(value: Any) -> Any:
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value)
    if value is None or isinstance(value, int | float | bool | str):
        return value
    return str(value)


@transaction.atomic
def create_plan(
    *,
    by: User,
    titel: str,
    gemeenten: Iterable[Gemeente],
    periode_start: int,
    periode_eind: int,
    toelichting: str = "",
) -> Plan:
    """Create a plan with its six steps; the creator becomes its coordinator."""
    gemeenten = list(gemeenten)
    if not gemeenten:
        raise ValueError(_("Een plan hoort bij ten minste één gemeente."))
    if periode_eind < periode_start:
        raise ValueError(_("Het laatste jaar ligt vóór het eerste jaar."))
    allowed = set(
        plan_gemeenten_of(by).filter(pk__in=[g.pk for g in gemeenten]).values_list("pk", flat=True)
    )
    if any(g.pk not in allowed for g in gemeenten):
        raise PermissionDenied(
            _(
                "U mag alleen een plan starten als coördinator van uw organisatie, en alleen "
                "voor de gemeenten van uw organisatie."
            )
        )
    plan = Plan.objects.create(
        titel=titel,
        periode_start=periode_start,
        periode_eind=periode_eind,
        toelichting=toelichting,
        created_by=by,
    )
    plan.gemeenten.set(gemeenten)
    PlanStap.objects.bulk_create(PlanStap(plan=plan, nummer=s.nummer) for s in STAPPEN)
    PlanRol.objects.create(plan=plan, user=by, rol=Rol.COORDINATOR)
    _record(
        plan,
        by,
        "aangemaakt",
        _("Plan"),
        {
            "titel": [None, titel],
            "periode": [None, f"{periode_start}–{periode_eind}"],
            "gemeenten": [None, sorted(g.code for g in gemeenten)],
        },
    )
    return plan


PLAN_CONTENT_FIELDS = (
    "titel",
    "toelichting",
    "periode_start",
    "periode_eind",
    "startnotitie_producten",
    "startnotitie_rol_raad",
    "startnotitie_capaciteit",
    "startnotitie_participatie",
    "startnotitie_samenhang",
)


@transaction.atomic
def update_plan(
    plan: Plan,
    *,
    by: User,
    expected_version: int,
    gemeenten: Iterable[Gemeente] | None = None,
    **changes: Any,
) -> Plan:
    """Change the plan record. Content fields need ``edit_content``; the period and the
    gemeenten shape the whole plan and need ``manage_plan``."""
    unknown = set(changes) - set(PLAN_CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown plan fields: {sorted(unknown)}")
    _require(by, plan, Permission.EDIT_CONTENT)
    structural = {"periode_start", "periode_eind"} & {
        k for k, v in changes.items() if getattr(plan, k) != v
    }
    if structural or gemeenten is not None:
        _require(by, plan, Permission.MANAGE_PLAN)

    diff: dict[str, list] = {
        field: [_as_json(getattr(plan, field)), _as_json(value)]
        for field, value in changes.items()
        if getattr(plan, field) != value
    }
    new_gemeenten = None
    if gemeenten is not None:
        new_gemeenten = list(gemeenten)
        if not new_gemeenten:
            raise ValueError(_("Een plan hoort bij ten minste één gemeente."))
        old_codes = sorted(plan.gemeenten.values_list("code", flat=True))
        new_codes = sorted(g.code for g in new_gemeenten)
        if old_codes != new_codes:
            diff["gemeenten"] = [old_codes, new_codes]
    if not diff:
        return plan

    start = changes.get("periode_start", plan.periode_start)
    eind = changes.get("periode_eind", plan.periode_eind)
    if eind < start:
        raise ValueError(_("Het laatste jaar ligt vóór het eerste jaar."))

    _bump_version(plan, expected_version)
    for field, value in changes.items():
        setattr(plan, field, value)
    plan.save(update_fields=[*changes.keys(), "updated_at"])
    if new_gemeenten is not None:
        plan.gemeenten.set(new_gemeenten)
    _record(plan, by, "gewijzigd", _("Plan"), diff)
    return plan


class StaleStepError(Exception):
    """The step changed status after the actor read it; nothing was stored."""

    def __init__(self, stap: PlanStap) -> None:
        self.stap = stap
        super().__init__(
            _(
                "Iemand anders heeft de status van deze stap intussen gewijzigd in ‘%(status)s’. "
                "Er is niets opgeslagen; bekijk de actuele status en probeer het opnieuw."
            )
            % {"status": stap.get_status_display()}
        )


@transaction.atomic
def set_step_status(
    plan: Plan, *, by: User, nummer: int, status: str, expected_status: str
) -> PlanStap:
    """Move step ``nummer`` of ``plan`` from ``expected_status`` to ``status``
    (coordinator only). The step's current status is the lock: a click on a stale page
    changes nothing."""
    _require(by, plan, Permission.MANAGE_PLAN)
    stap = PlanStap.objects.select_for_update().get(plan=plan, nummer=nummer)
    if stap.status != expected_status:
        raise StaleStepError(stap)
    workflow.check_transition(stap.status, status)
    if stap.status == status:
        return stap
    old = stap.status
    stap.status = status
    stap.save(update_fields=["status", "updated_at"])
    _record(
        plan,
        by,
        "status gewijzigd",
        _("Stap %(nummer)s %(titel)s") % {"nummer": nummer, "titel": stap.titel},
        {"status": [old, status]},
    )
    return stap


@transaction.atomic
def add_werkgroeplid(
    plan: Plan, *, by: User, naam: str, organisatie: str, functie: str = "", email: str = ""
) -> WerkgroepLid:
    _require(by, plan, Permission.EDIT_CONTENT)
    lid = WerkgroepLid.objects.create(
        plan=plan, naam=naam, organisatie=organisatie, functie=functie, email=email
    )
    _record(
        plan,
        by,
        "toegevoegd",
        _("Werkgroep"),
        {"lid": [None, str(lid)], "functie": [None, functie]},
    )
    return lid


@transaction.atomic
def remove_werkgroeplid(plan: Plan, *, by: User, lid_id: int) -> None:
    _require(by, plan, Permission.EDIT_CONTENT)
    lid = WerkgroepLid.objects.filter(plan=plan, pk=lid_id).first()
    if lid is None:  # removed meanwhile, or of another plan: nothing to do
        return
    _record(plan, by, "verwijderd", _("Werkgroep"), {"lid": [str(lid), None]})
    lid.delete()


@transaction.atomic
def add_reactie(
    plan: Plan,
    *,
    by: User,
    onderwerp: str,
    tekst: str,
    voorstel_tekst: str = "",
    vertrouwelijk: bool = False,
) -> Reactie:
    _require(by, plan, Permission.COMMENT)
    if vertrouwelijk:
        _require(by, plan, Permission.EDIT_CONTENT)
    reactie = Reactie.objects.create(
        plan=plan,
        auteur=by,
        onderwerp=onderwerp,
        tekst=tekst,
        voorstel_tekst=voorstel_tekst,
        vertrouwelijk=vertrouwelijk,
    )
    Wijziging.objects.create(
        plan=plan,
        user=by,
        actie="reactie geplaatst",
        onderdeel=_("Reacties"),
        velden={"onderwerp": [None, onderwerp]},
        sleutel=f"reactie:{reactie.pk}",
        vertrouwelijk=vertrouwelijk,
    )
    return reactie


@transaction.atomic
def set_role(plan: Plan, *, by: User, user: User, rol: str | None) -> None:
    """Give ``user`` role ``rol`` in ``plan``; ``None`` removes the explicit role. The
    plan's coordinators and the functioneel beheerders of its gemeenten may do this."""
    _require(by, plan, Permission.MANAGE_ROLES)
    if rol is not None and rol not in Rol.values:
        raise ValueError(_("Kies een geldige rol."))
    current = PlanRol.objects.filter(plan=plan, user=user).first()
    old = current.rol if current else None
    if old == rol:
        return
    if current and rol is None:
        if old == Rol.COORDINATOR and plan.rollen.filter(rol=Rol.COORDINATOR).count() == 1:
            raise ValueError(_("Een plan heeft altijd ten minste één coördinator."))
        current.delete()
    elif current:
        if old == Rol.COORDINATOR and plan.rollen.filter(rol=Rol.COORDINATOR).count() == 1:
            raise ValueError(_("Een plan heeft altijd ten minste één coördinator."))
        current.rol = rol
        current.save(update_fields=["rol"])
    else:
        PlanRol.objects.create(plan=plan, user=user, rol=rol)
    _record(plan, by, "rol gewijzigd", _("Rollen"), {user.username: [old, rol]})


@transaction.atomic
def set_roles(*, by: User, changes: Iterable[tuple[Plan, User, str | None]]) -> int:
    """Apply several role changes (plan, user, role or None) at once, all or nothing;
    returns how many roles changed."""
    changed = 0
    for plan, user, rol in changes:
        current = PlanRol.objects.filter(plan=plan, user=user).values_list("rol", flat=True)
        if current.first() != rol:
            set_role(plan, by=by, user=user, rol=rol)
            changed += 1
    return changed


@transaction.atomic
def set_delen_met_politie(plan: Plan, *, by: User, delen: bool) -> Plan:
    """The gemeente(n)'s consent to show the plan's non-confidential priorities and
    indicators on the police unit's page (coordinator only); recorded in the history."""
    _require(by, plan, Permission.MANAGE_PLAN)
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    if current.delen_met_politie == bool(delen):
        return current
    current.delen_met_politie = bool(delen)
    current.save(update_fields=["delen_met_politie", "updated_at"])
    _record(
        current,
        by,
        "gewijzigd",
        _("Delen met de politie"),
        {"delen met de politie": [not current.delen_met_politie, current.delen_met_politie]},
    )
    plan.delen_met_politie = current.delen_met_politie
    return current


@transaction.atomic
def set_planning(
    plan: Plan,
    *,
    by: User,
    expected_version: int,
    dates: dict[int, tuple[date | None, date | None]],
) -> Plan:
    """Set the planned start and end of steps (coordinator only); one history entry."""
    _require(by, plan, Permission.MANAGE_PLAN)
    for nummer, (start, end) in dates.items():
        if start and end and end < start:
            raise ValueError(
                _("Stap %(nummer)s: de einddatum ligt vóór de startdatum.") % {"nummer": nummer}
            )
    stappen = {s.nummer: s for s in PlanStap.objects.select_for_update().filter(plan=plan)}
    diff: dict[str, list] = {}
    changed = []
    for nummer, (start, end) in sorted(dates.items()):
        stap = stappen[nummer]
        if (stap.gepland_start, stap.gepland_eind) != (start, end):
            diff[f"stap {nummer}"] = [
                _format_period(stap.gepland_start, stap.gepland_eind),
                _format_period(start, end),
            ]
            stap.gepland_start, stap.gepland_eind = start, end
            changed.append(stap)
    if not changed:
        return plan
    _bump_version(plan, expected_version)
    PlanStap.objects.bulk_update(changed, ["gepland_start", "gepland_eind"])
    _record(plan, by, "planning gewijzigd", _("Planning"), diff)
    return plan


def _format_period(start: date | None, end: date | None) -> str | None:
    if not start and not end:
        return None
    return f"{start.isoformat() if start else '…'} – {end.isoformat() if end else '…'}"
