"""Who a person who logged in at the identity provider is in ivp (ADR 0015).

:func:`sso_login` takes the verified claims of an OpenID Connect login and returns the ivp
user: found by the provider's subject, else by a verified e-mail address (someone invited
before), else created for a known organisation. The organisation comes from a claim
(``IVP_OIDC_ORGANISATION_CLAIM``, matched with ``Organisatie.sso_code``); the role in it
from the role claim when the provider sends one. Everything in one transaction;
:class:`SsoRefused` says in Dutch why a login is refused (nothing stored then).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ivp.accounts.models import ExterneIdentiteit, Lidmaatschap, Organisatie, User


class SsoRefused(Exception):
    """The login is refused; the message is for the user."""


def _claim_values(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in value.replace(",", " ").split() if part]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def _organisation(claims: dict) -> Organisatie | None:
    values = _claim_values(claims.get(settings.IVP_OIDC_ORGANISATION_CLAIM))
    if not values and settings.IVP_OIDC_DEFAULT_ORGANISATION:
        values = [settings.IVP_OIDC_DEFAULT_ORGANISATION]
    for value in values:
        organisatie = Organisatie.objects.filter(sso_code=value).first()
        if organisatie is not None:
            return organisatie
    return None


def _username(claims: dict) -> str:
    base = (claims.get("preferred_username") or claims.get("email") or claims["sub"])[:140]
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


@transaction.atomic
def sso_login(issuer: str, claims: dict) -> User:
    """The ivp user for a verified OpenID Connect login (see the module docstring)."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SsoRefused(_("De identity provider gaf geen kenmerk (sub) mee."))
    email = (claims.get("email") or "").strip().lower()
    organisatie = _organisation(claims)

    identity = (
        ExterneIdentiteit.objects.select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    user = identity.user if identity else None
    if user is None and email and claims.get("email_verified") is not False:
        # An invited person logs in for the first time. Only within the organisation the
        # provider names, and only an account not yet linked to this provider: an e-mail
        # claim alone must not open someone else's account.
        matches = list(User.objects.filter(email__iexact=email)[:2])
        if (
            len(matches) == 1
            and organisatie is not None
            and matches[0].lidmaatschappen.filter(organisatie=organisatie).exists()
            and not matches[0].externe_identiteiten.filter(issuer=issuer).exists()
        ):
            user = matches[0]
        elif matches:
            raise SsoRefused(
                _(
                    "Er bestaat al een ivp-account met dit e-mailadres dat niet bij deze "
                    "organisatie hoort. Neem contact op met uw functioneel beheerder."
                )
            )
    if user is None:
        if organisatie is None:
            raise SsoRefused(
                _(
                    "Uw organisatie is (nog) niet bekend in ivp. Vraag uw functioneel "
                    "beheerder of systeembeheerder om de organisatie aan te melden."
                )
            )
        if not settings.IVP_OIDC_CREATE_USERS:
            raise SsoRefused(
                _(
                    "U heeft nog geen account in ivp. Vraag uw functioneel beheerder om een "
                    "uitnodiging."
                )
            )
        user = User(username=_username(claims), email=email)
        user.set_unusable_password()
        user.save()
    if not user.is_active:
        raise SsoRefused(_("Dit account is niet actief. Neem contact op met uw beheerder."))
    if organisatie is None and not user.lidmaatschappen.exists() and not user.is_superuser:
        raise SsoRefused(_("Uw organisatie is (nog) niet bekend in ivp."))

    changed = []
    for field, claim in (("first_name", "given_name"), ("last_name", "family_name")):
        value = (claims.get(claim) or "")[:150]
        if value and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if email and not user.email:
        user.email = email
        changed.append("email")
    if changed:
        user.save(update_fields=changed)

    if identity is None:
        identity = ExterneIdentiteit.objects.create(user=user, issuer=issuer, subject=subject)
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at"])

    if organisatie is not None:
        _sync_membership(user, organisatie, claims)
    return user


def _sync_membership(user: User, organisatie: Organisatie, claims: dict) -> None:
    lid, created = Lidmaatschap.objects.get_or_create(user=user, organisatie=organisatie)
    if created and not organisatie.alle_gemeenten:
        user.organisaties.add(*organisatie.gemeenten.all())
    if settings.IVP_OIDC_ROLE_CLAIM not in claims:
        return
    roles = set(_claim_values(claims.get(settings.IVP_OIDC_ROLE_CLAIM)))
    rol = (
        Lidmaatschap.Rol.COORDINATOR
        if roles & set(settings.IVP_OIDC_COORDINATOR_ROLES)
        else Lidmaatschap.Rol.MEDEWERKER
    )
    beheerder = bool(roles & set(settings.IVP_OIDC_BEHEERDER_ROLES))
    if (lid.rol, lid.beheerder) != (rol, beheerder):
        lid.rol, lid.beheerder = rol, beheerder
        lid.save(update_fields=["rol", "beheerder", "updated_at"])
