"""Template context for the user menu: whether the user manages an organisation, and
whether the demo's mail outbox is shown. Evaluated only when a template asks."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.http import HttpRequest


class AccountMenu:
    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def beheert(self) -> bool:
        from ivp.accounts.organisations import beheerde_organisaties

        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        return user.is_superuser or beheerde_organisaties(user).exists()

    @cached_property
    def politie(self) -> bool:
        """A member of a police organisation (or an administrator): the police unit's view."""
        from ivp.accounts.models import Organisatie

        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        return (
            user.is_superuser
            or user.lidmaatschappen.filter(organisatie__soort=Organisatie.Soort.POLITIE).exists()
        )

    @property
    def outbox(self) -> bool:
        return settings.IVP_MAIL_OUTBOX and settings.EMAIL_BACKEND.endswith(
            "filebased.EmailBackend"
        )

    @property
    def sso(self) -> bool:
        return settings.IVP_OIDC_ENABLED


def account_menu(request: HttpRequest) -> dict:
    return {"account_menu": AccountMenu(request)}
