"""Accounts: users, organisations (gemeenten and partners) and their members, functioneel
beheerders, invitations by e-mail, single sign-on by OpenID Connect, login and throttling.

Owns ``User``, ``Organisatie``, ``Lidmaatschap``, ``Uitnodiging`` and ``ExterneIdentiteit``,
the login, invitation and organisation pages, and the demo mail outbox. May import
``areas`` (organisations cover gemeenten). Plan roles live in ``plans`` because they
belong to a plan: the member page links to the page of ``plans`` where a functioneel
beheerder gives a member roles per plan.

Ask :func:`gemeenten_of` for the gemeenten a user works for, and
:func:`plan_gemeenten_of` for those the user may start a plan for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from ivp.accounts.models import User
    from ivp.areas.models import Gemeente


def gemeenten_of(user: User) -> QuerySet[Gemeente]:
    """The gemeenten ``user`` works for; see :mod:`ivp.accounts.organisations`."""
    from ivp.accounts.organisations import gemeenten_of as _gemeenten_of

    return _gemeenten_of(user)


def plan_gemeenten_of(user: User) -> QuerySet[Gemeente]:
    """The gemeenten for which ``user`` may start a plan."""
    from ivp.accounts.organisations import plan_gemeenten_of as _plan_gemeenten_of

    return _plan_gemeenten_of(user)
