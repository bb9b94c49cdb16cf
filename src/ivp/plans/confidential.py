"""Confidential parts of a plan: who sees them, and which history entries they hide.

Coordinators and redacteuren (the roles that edit content, ``Permission.EDIT_CONTENT``)
and superusers see confidential priorities, clusters, chapters, indicators and their
measures (marked as such); lezers, bijdragers and everyone else never see them: not on a
page, in a download, the API, a history entry or a comment.

The parts live in packages above ``plans`` (``beleidsplan``, ``uitvoering``). Each registers
a provider here from its ``apps.py`` that names the keys (``prioriteit:12``) of its
confidential rows, so the history page of ``plans`` can hide their entries without
importing them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

from ivp.plans.access import Permission, can
from ivp.plans.models import Plan, Reactie, Wijziging

_PROVIDERS: list[Callable[[Plan], set[str]]] = []


def register(provider: Callable[[Plan], set[str]]) -> None:
    """Add a function that returns the history keys of a plan's confidential rows."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def sees_confidential(user, plan: Plan) -> bool:
    """Coordinators, redacteuren and superusers see confidential parts."""
    return can(user, plan, Permission.EDIT_CONTENT)


def key_of(obj) -> str:
    """The history key of a row: ``<model>:<pk>``, e.g. ``prioriteit:12``."""
    return f"{obj._meta.model_name}:{obj.pk}"


def confidential_keys(plan: Plan) -> set[str]:
    keys: set[str] = set()
    for provider in _PROVIDERS:
        keys |= provider(plan)
    return keys


def history_for(user, plan: Plan) -> QuerySet[Wijziging]:
    """The history entries of ``plan`` that ``user`` may read."""
    entries = plan.wijzigingen.all()
    if sees_confidential(user, plan):
        return entries
    return entries.exclude(vertrouwelijk=True).exclude(sleutel__in=confidential_keys(plan))


def comments_for(user, plan: Plan) -> QuerySet[Reactie]:
    """The comments and proposals ``user`` may read: not those marked confidential, nor
    those about a confidential part, unless the user sees confidential parts."""
    comments = plan.reacties.all()
    if sees_confidential(user, plan):
        return comments
    return comments.filter(vertrouwelijk=False).exclude(sleutel__in=confidential_keys(plan))
