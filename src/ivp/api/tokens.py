"""Use cases of API keys: create (the key is returned once), revoke, and find the user of a
key presented with a request."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ivp.accounts.models import User
from ivp.api.models import ApiToken

PREFIX = "ivp_"
# A key's last use is written at most this often (not on every request).
TOUCH_EVERY = timedelta(minutes=5)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_token(user: User, *, naam: str, verloopt_op: date | None = None) -> tuple[ApiToken, str]:
    """A new key for ``user``; returns the row and the key (shown to the user once)."""
    naam = naam.strip()
    if not naam:
        raise ValueError(_("Geef de sleutel een naam."))
    if verloopt_op is not None and verloopt_op < timezone.localdate():
        raise ValueError(_("De vervaldatum ligt in het verleden."))
    key = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, naam=naam, prefix=key[:12], key_hash=_hash(key), verloopt_op=verloopt_op
    )
    return token, key


@transaction.atomic
def revoke_token(token: ApiToken, *, by: User) -> None:
    """Revoke a key; only its own user (or a system administrator) may."""
    if token.user_id != by.pk and not by.is_superuser:
        raise PermissionDenied(_("Dit is niet uw API-sleutel."))
    ApiToken.objects.filter(pk=token.pk, ingetrokken_op=None).update(ingetrokken_op=timezone.now())


def user_for_key(key: str) -> tuple[User, ApiToken] | None:
    """The active user of an active ``key``, or None."""
    if not key.startswith(PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if token is None or not token.actief or not token.user.is_active:
        return None
    now = timezone.now()
    if token.laatst_gebruikt_op is None or now - token.laatst_gebruikt_op > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(laatst_gebruikt_op=now)
    return token.user, token
