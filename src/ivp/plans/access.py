"""Who may see and do what in a plan.

A user sees a plan when the plan belongs to one of the gemeenten the user works for
(:func:`ivp.accounts.gemeenten_of`) or when the user has been given an explicit role in it.
People of such a gemeente without an explicit role read the plan (role ``lezer``). A
functioneel beheerder of an organisation that covers one of the plan's gemeenten may also
give roles in it (``MANAGE_ROLES``). A plan that a user may not see does not exist for that
user (views answer 404, not 403).
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q, QuerySet
from django.http import Http404

from ivp.accounts import gemeenten_of
from ivp.accounts.models import User
from ivp.accounts.organisations import beheert_gemeente
from ivp.plans.models import Plan, PlanRol, Rol


class Permission(StrEnum):
    VIEW = "view"
    COMMENT = "comment"
    EDIT_CONTENT = "edit_content"
    MANAGE_PLAN = "manage_plan"
    MANAGE_ROLES = "manage_roles"


PERMISSIONS: dict[str, frozenset[Permission]] = {
    Rol.COORDINATOR: frozenset(Permission),
    Rol.REDACTEUR: frozenset({Permission.VIEW, Permission.COMMENT, Permission.EDIT_CONTENT}),
    Rol.BIJDRAGER: frozenset({Permission.VIEW, Permission.COMMENT}),
    Rol.LEZER: frozenset({Permission.VIEW}),
}


def plans_for_user(user: User) -> QuerySet[Plan]:
    """The plans ``user`` may see."""
    if not user.is_authenticated or not user.is_active:
        return Plan.objects.none()
    if user.is_superuser:
        return Plan.objects.all()
    visible = Q(gemeenten__in=gemeenten_of(user)) | Q(rollen__user=user)
    ids = Plan.objects.filter(visible).values("pk")
    return Plan.objects.filter(pk__in=ids)


def role_for(user: User, plan: Plan) -> str | None:
    """The user's role in ``plan``, or None when the user may not see it."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Rol.COORDINATOR
    explicit = PlanRol.objects.filter(plan=plan, user=user).values_list("rol", flat=True).first()
    if explicit:
        return explicit
    if plan.gemeenten.filter(pk__in=gemeenten_of(user).values("pk")).exists():
        return Rol.LEZER
    return None


def can(user: User, plan: Plan, permission: Permission) -> bool:
    return permission in permissions_for(user, plan)


def permissions_for(user: User, plan: Plan) -> frozenset[Permission]:
    role = role_for(user, plan)
    perms = PERMISSIONS[role] if role else frozenset()
    if Permission.MANAGE_ROLES not in perms and beheert_gemeente(user, plan.gemeenten.values("pk")):
        perms = perms | {Permission.VIEW, Permission.MANAGE_ROLES}
    return perms


def get_plan_for_user(user: User, pk: int) -> Plan:
    """The plan with ``pk`` if ``user`` may see it; otherwise 404."""
    try:
        return plans_for_user(user).get(pk=pk)
    except Plan.DoesNotExist:
        raise Http404 from None
