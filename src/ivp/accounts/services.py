"""One door per use case for organisations and their members. Each function checks that
the actor may do it (functioneel beheerder of the organisation, or a superuser), changes
the rows in one transaction, and refuses bad input with a ``ValueError`` that names the
problem in Dutch (nothing is stored then). E-mail goes out after the transaction."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ivp.accounts import mail
from ivp.accounts.models import Lidmaatschap, Organisatie, Uitnodiging, User
from ivp.accounts.organisations import beheerde_organisaties, organisation_gemeenten
from ivp.areas.models import Gemeente


class MailNotSent(Exception):
    """The change was stored, but the e-mail could not be sent."""


def _require_beheerder(by: User, organisatie: Organisatie) -> None:
    if not beheerde_organisaties(by).filter(pk=organisatie.pk).exists():
        raise PermissionDenied(_("Alleen een functioneel beheerder van deze organisatie mag dit."))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_gemeenten(organisatie: Organisatie, gemeenten: list[Gemeente]) -> None:
    if organisatie.alle_gemeenten:
        return
    if not gemeenten:
        raise ValueError(_("Kies ten minste één gemeente."))
    allowed = set(organisatie.gemeenten.values_list("pk", flat=True))
    outside = [g.naam for g in gemeenten if g.pk not in allowed]
    if outside:
        raise ValueError(
            _("%(gemeenten)s hoort niet bij %(organisatie)s.")
            % {"gemeenten": ", ".join(outside), "organisatie": organisatie.naam}
        )


def _assign(user: User, organisatie: Organisatie, gemeenten: list[Gemeente]) -> None:
    """Make ``gemeenten`` the user's gemeenten within ``organisatie`` (others stay)."""
    if organisatie.alle_gemeenten:
        user.organisaties.add(*gemeenten)
        return
    covered = organisatie.gemeenten.all()
    user.organisaties.remove(*[g for g in covered if g not in gemeenten])
    user.organisaties.add(*gemeenten)


@transaction.atomic
def create_organisation(
    *,
    by: User,
    naam: str,
    soort: str,
    gemeenten: Iterable[Gemeente] = (),
    alle_gemeenten: bool = False,
    sso_code: str = "",
) -> Organisatie:
    """A new organisation (system administrators only)."""
    if not by.is_superuser:
        raise PermissionDenied(_("Alleen een systeembeheerder maakt organisaties aan."))
    gemeenten = list(gemeenten)
    if not gemeenten and not alle_gemeenten:
        raise ValueError(_("Kies ten minste één gemeente."))
    if Organisatie.objects.filter(naam__iexact=naam.strip()).exists():
        raise ValueError(_("Er bestaat al een organisatie met deze naam."))
    organisatie = Organisatie.objects.create(
        naam=naam.strip(), soort=soort, alle_gemeenten=alle_gemeenten, sso_code=sso_code.strip()
    )
    organisatie.gemeenten.set(gemeenten)
    return organisatie


@dataclass
class Invited:
    user: User
    lidmaatschap: Lidmaatschap
    uitnodiging: Uitnodiging | None
    link: str | None


def invite(
    organisatie: Organisatie,
    *,
    by: User,
    email: str,
    first_name: str,
    last_name: str,
    rol: str = Lidmaatschap.Rol.MEDEWERKER,
    beheerder: bool = False,
    gemeenten: Iterable[Gemeente] = (),
    base_url: str,
) -> Invited:
    """Add a person to ``organisatie`` and e-mail them a link to set a password (or, when
    they already have an account, a notice). Raises :class:`MailNotSent` after storing
    when the mail server refuses; the beheerder can send the invitation again."""
    email = User.objects.normalize_email(email.strip()).lower()
    gemeenten = list(gemeenten)
    with transaction.atomic():
        _require_beheerder(by, organisatie)
        _check_gemeenten(organisatie, gemeenten)
        user = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).first()
        if user and user.lidmaatschappen.filter(organisatie=organisatie).exists():
            raise ValueError(_("%(email)s is al lid van deze organisatie.") % {"email": email})
        if user is None:
            user = User(username=email, email=email, first_name=first_name, last_name=last_name)
            user.set_unusable_password()
            user.save()
        elif not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
        lidmaatschap = Lidmaatschap.objects.create(
            user=user, organisatie=organisatie, rol=rol, beheerder=beheerder
        )
        _assign(user, organisatie, gemeenten)
        uitnodiging, link = None, None
        if not _has_login(user):
            uitnodiging, link = _new_invitation(user, organisatie, by, base_url)
    try:
        if uitnodiging is not None:
            mail.send_invitation(uitnodiging, link, by=by)
        else:
            mail.send_added_notice(user, organisatie, by=by, base_url=base_url)
    except OSError as error:
        raise MailNotSent(str(error)) from error
    return Invited(user, lidmaatschap, uitnodiging, link)


def resend_invitation(lidmaatschap: Lidmaatschap, *, by: User, base_url: str) -> Uitnodiging:
    """Withdraw the open invitations of a member who has not logged in yet and send a new
    one (a forgotten or expired link)."""
    user = lidmaatschap.user
    with transaction.atomic():
        _require_beheerder(by, lidmaatschap.organisatie)
        if _has_login(user):
            raise ValueError(_("%(naam)s heeft al een wachtwoord.") % {"naam": user})
        uitnodiging, link = _new_invitation(user, lidmaatschap.organisatie, by, base_url)
    try:
        mail.send_invitation(uitnodiging, link, by=by)
    except OSError as error:
        raise MailNotSent(str(error)) from error
    return uitnodiging


def _has_login(user: User) -> bool:
    return user.has_usable_password() or user.externe_identiteiten.exists()


def _new_invitation(
    user: User, organisatie: Organisatie, by: User, base_url: str
) -> tuple[Uitnodiging, str]:
    now = timezone.now()
    Uitnodiging.objects.filter(user=user, gebruikt_op=None, ingetrokken_op=None).update(
        ingetrokken_op=now
    )
    token = secrets.token_urlsafe(32)
    uitnodiging = Uitnodiging.objects.create(
        user=user,
        organisatie=organisatie,
        uitgenodigd_door=by,
        token_hash=_token_hash(token),
        verloopt_op=now + timedelta(days=settings.IVP_INVITE_DAYS),
    )
    link = base_url.rstrip("/") + reverse("accounts:uitnodiging", args=[token])
    return uitnodiging, link


class InvitationInvalid(Exception):
    """The link is unknown, used, withdrawn or expired."""


def open_invitation(token: str) -> Uitnodiging:
    """The invitation of ``token`` if it can still be used."""
    uitnodiging = (
        Uitnodiging.objects.select_related("user", "organisatie")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if uitnodiging is None or uitnodiging.ingetrokken_op is not None:
        raise InvitationInvalid(_("Deze link is niet (meer) geldig."))
    if uitnodiging.gebruikt_op is not None:
        raise InvitationInvalid(
            _("Deze link is al gebruikt. Log in met uw gebruikersnaam en wachtwoord.")
        )
    if uitnodiging.verloopt_op <= timezone.now():
        raise InvitationInvalid(
            _("Deze link is verlopen. Vraag uw functioneel beheerder om een nieuwe uitnodiging.")
        )
    return uitnodiging


@transaction.atomic
def accept_invitation(token: str, *, password: str) -> User:
    """Set the invitee's password; the link cannot be used again."""
    uitnodiging = open_invitation(token)
    user = uitnodiging.user
    validate_password(password, user)
    # Claim the row: two clicks on the link must not both set a password.
    claimed = Uitnodiging.objects.filter(pk=uitnodiging.pk, gebruikt_op=None).update(
        gebruikt_op=timezone.now()
    )
    if not claimed:
        raise InvitationInvalid(_("Deze link is al gebruikt."))
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    return user


@transaction.atomic
def update_member(
    lidmaatschap: Lidmaatschap,
    *,
    by: User,
    rol: str,
    beheerder: bool,
    gemeenten: Iterable[Gemeente],
) -> Lidmaatschap:
    """Change a member's role, beheerder status and gemeenten."""
    organisatie = lidmaatschap.organisatie
    _require_beheerder(by, organisatie)
    gemeenten = list(gemeenten)
    _check_gemeenten(organisatie, gemeenten)
    if lidmaatschap.beheerder and not beheerder:
        _keep_a_beheerder(lidmaatschap)
    lidmaatschap.rol = rol
    lidmaatschap.beheerder = beheerder
    lidmaatschap.save(update_fields=["rol", "beheerder", "updated_at"])
    _assign(lidmaatschap.user, organisatie, gemeenten)
    return lidmaatschap


@transaction.atomic
def remove_member(lidmaatschap: Lidmaatschap, *, by: User) -> None:
    """End a membership; a user left without any organisation can no longer log in."""
    organisatie = lidmaatschap.organisatie
    _require_beheerder(by, organisatie)
    if lidmaatschap.beheerder:
        _keep_a_beheerder(lidmaatschap)
    user = lidmaatschap.user
    lidmaatschap.delete()
    if not organisatie.alle_gemeenten:
        user.organisaties.remove(*organisatie.gemeenten.all())
    if not user.lidmaatschappen.exists() and not user.is_superuser:
        user.is_active = False
        user.save(update_fields=["is_active"])
        Uitnodiging.objects.filter(user=user, gebruikt_op=None, ingetrokken_op=None).update(
            ingetrokken_op=timezone.now()
        )


def _keep_a_beheerder(lidmaatschap: Lidmaatschap) -> None:
    others = Lidmaatschap.objects.filter(
        organisatie=lidmaatschap.organisatie, beheerder=True, user__is_active=True
    ).exclude(pk=lidmaatschap.pk)
    if not others.exists():
        raise ValueError(_("Een organisatie houdt ten minste één functioneel beheerder."))


def member_gemeenten(lidmaatschap: Lidmaatschap) -> list[Gemeente]:
    """The gemeenten of the member within the organisation."""
    covered = organisation_gemeenten(lidmaatschap.organisatie)
    return list(covered.filter(gebruikers=lidmaatschap.user))
