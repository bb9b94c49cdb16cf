"""The one place that answers "which gemeenten does this user work for?" and the questions
that follow from it. The rest of ivp asks these functions, never ``User.organisaties``.

- :func:`gemeenten_of` — the gemeenten a user works for: those assigned to the user, all
  gemeenten of an organisation the user is functioneel beheerder of, and every gemeente
  for a member of an organisation that covers all (the demo organisation).
- :func:`plan_gemeenten_of` — the gemeenten for which the user may start a plan: only as
  coordinator of an organisation, and only for that organisation's gemeenten the user is
  assigned to (every gemeente in an organisation that covers all).
- :func:`beheerde_organisaties`, :func:`beheert_gemeente` — what a functioneel beheerder
  manages.

Superusers (system administrators) work for every gemeente.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from ivp.areas.models import Gemeente

if TYPE_CHECKING:
    from ivp.accounts.models import Organisatie, User


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def gemeenten_of(user: User) -> QuerySet[Gemeente]:
    """The gemeenten ``user`` works for (sees their plans, owns their data)."""
    if not _active(user):
        return Gemeente.objects.none()
    if user.is_superuser or user.lidmaatschappen.filter(organisatie__alle_gemeenten=True).exists():
        return Gemeente.objects.all()
    return Gemeente.objects.filter(
        Q(gebruikers=user)
        | Q(pk__in=_organisation_gemeenten(user.lidmaatschappen.filter(beheerder=True)))
    ).distinct()


def plan_gemeenten_of(user: User) -> QuerySet[Gemeente]:
    """The gemeenten for which ``user`` may start a new plan."""
    if not _active(user):
        return Gemeente.objects.none()
    if user.is_superuser:
        return Gemeente.objects.all()
    from ivp.accounts.models import Lidmaatschap

    as_coordinator = user.lidmaatschappen.filter(rol=Lidmaatschap.Rol.COORDINATOR)
    if as_coordinator.filter(organisatie__alle_gemeenten=True).exists():
        return Gemeente.objects.all()
    return Gemeente.objects.filter(
        gebruikers=user, pk__in=_organisation_gemeenten(as_coordinator)
    ).distinct()


def may_start_plans(user: User) -> bool:
    return plan_gemeenten_of(user).exists()


def beheerde_organisaties(user: User) -> QuerySet[Organisatie]:
    """The organisations ``user`` is functioneel beheerder of (all, for a superuser)."""
    from ivp.accounts.models import Organisatie

    if not _active(user):
        return Organisatie.objects.none()
    if user.is_superuser:
        return Organisatie.objects.all()
    return Organisatie.objects.filter(lidmaatschappen__user=user, lidmaatschappen__beheerder=True)


def beheert_gemeente(user: User, gemeente_ids: QuerySet | list[int]) -> bool:
    """Whether ``user`` is functioneel beheerder of an organisation that covers one of
    the gemeenten ``gemeente_ids``."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    managed = user.lidmaatschappen.filter(beheerder=True)
    if managed.filter(organisatie__alle_gemeenten=True).exists():
        return True
    return (
        Gemeente.objects.filter(pk__in=gemeente_ids)
        .filter(pk__in=_organisation_gemeenten(managed))
        .exists()
    )


def organisation_gemeenten(organisatie: Organisatie) -> QuerySet[Gemeente]:
    """The gemeenten an organisation covers (every gemeente when it covers all)."""
    if organisatie.alle_gemeenten:
        return Gemeente.objects.all()
    return organisatie.gemeenten.all()


def users_for_gemeenten(gemeente_ids: QuerySet | list[int]) -> QuerySet[User]:
    """Active users who work for at least one of the gemeenten ``gemeente_ids`` (the people
    a plan of those gemeenten can give a role to)."""
    from ivp.accounts.models import User

    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(organisaties__in=gemeente_ids)
            | Q(lidmaatschappen__organisatie__alle_gemeenten=True)
            | Q(
                lidmaatschappen__beheerder=True,
                lidmaatschappen__organisatie__gemeenten__in=gemeente_ids,
            )
        )
        .distinct()
    )


def _organisation_gemeenten(memberships: QuerySet) -> QuerySet:
    """Ids of the gemeenten covered by the organisations of ``memberships``."""
    return Gemeente.objects.filter(pk__in=memberships.values("organisatie__gemeenten")).values("pk")
