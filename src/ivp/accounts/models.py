"""Users, the organisations they belong to, invitations and links to an identity provider.

An **organisation** is a gemeente or a partner (a police base team, a veiligheidsregio, a
care partner) and covers one or more gemeenten (or all of them: the demo organisation).
A user is a **member** (``Lidmaatschap``) of one or more organisations, with a role in it
(``medewerker`` or ``coordinator``, who may start plans) and possibly as a
**functioneel beheerder** (who invites people, assigns them to gemeenten and gives roles
per plan). ``User.organisaties`` keeps the gemeenten a user has been assigned to; ask
:func:`ivp.accounts.gemeenten_of` rather than reading it (see ``organisations.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A coordinator, working-group member, manager or reader.

    ``organisaties`` are the gemeenten the user works for (the name predates organisations
    and stays for compatibility); the user sees the plans of those gemeenten (see
    ``ivp.plans.access``).
    """

    organisaties = models.ManyToManyField(
        "areas.Gemeente",
        blank=True,
        related_name="gebruikers",
        verbose_name=_("gemeenten"),
        help_text=_("De gemeenten waarvoor deze gebruiker werkt."),
    )

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Organisatie(models.Model):
    """A gemeente or a partner organisation whose people work in ivp."""

    class Soort(models.TextChoices):
        GEMEENTE = "gemeente", _("Gemeente")
        POLITIE = "politie", _("Politie (basisteam of eenheid)")
        VEILIGHEIDSREGIO = "veiligheidsregio", _("Veiligheidsregio")
        PARTNER = "partner", _("Andere partner")

    naam = models.CharField(_("naam"), max_length=200, unique=True)
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    gemeenten = models.ManyToManyField(
        "areas.Gemeente",
        blank=True,
        related_name="+",
        verbose_name=_("gemeenten"),
        help_text=_("De gemeenten waarvoor deze organisatie werkt."),
    )
    alle_gemeenten = models.BooleanField(
        _("alle gemeenten"),
        default=False,
        help_text=_("De organisatie werkt voor elke gemeente (zoals de demo-organisatie)."),
    )
    sso_code = models.CharField(
        _("code bij inloggen via de organisatie"),
        max_length=100,
        blank=True,
        help_text=_(
            "De waarde die de identity provider in de organisatie-claim meegeeft; leeg als "
            "de organisatie geen single sign-on gebruikt."
        ),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["naam"]
        constraints = [
            models.UniqueConstraint(
                fields=["sso_code"],
                condition=~models.Q(sso_code=""),
                name="organisatie_sso_code_uniek",
            )
        ]

    def __str__(self) -> str:
        return self.naam


class Lidmaatschap(models.Model):
    """A user's membership of an organisation."""

    class Rol(models.TextChoices):
        MEDEWERKER = "medewerker", _("Medewerker")
        COORDINATOR = "coordinator", _("Coördinator (mag plannen starten)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lidmaatschappen",
        verbose_name=_("gebruiker"),
    )
    organisatie = models.ForeignKey(
        Organisatie,
        on_delete=models.CASCADE,
        related_name="lidmaatschappen",
        verbose_name=_("organisatie"),
    )
    rol = models.CharField(
        _("rol in de organisatie"), max_length=20, choices=Rol.choices, default=Rol.MEDEWERKER
    )
    beheerder = models.BooleanField(
        _("functioneel beheerder"),
        default=False,
        help_text=_("Nodigt mensen uit, wijst ze gemeenten toe en geeft rollen per plan."),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["organisatie", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisatie"], name="lidmaatschap_een_per_organisatie"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisatie}"


class Uitnodiging(models.Model):
    """An invitation by e-mail: a link with which the invitee sets a password.

    Only a hash of the token is stored; the link works once and until ``verloopt_op``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="uitnodigingen",
        verbose_name=_("genodigde"),
    )
    organisatie = models.ForeignKey(
        Organisatie,
        on_delete=models.CASCADE,
        related_name="uitnodigingen",
        verbose_name=_("organisatie"),
    )
    uitgenodigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    verloopt_op = models.DateTimeField(_("verloopt op"))
    gebruikt_op = models.DateTimeField(_("gebruikt op"), null=True, blank=True)
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    created_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user.email} ({self.organisatie})"

    @property
    def open(self) -> bool:
        return (
            self.gebruikt_op is None
            and self.ingetrokken_op is None
            and self.verloopt_op > timezone.now()
        )


class ExterneIdentiteit(models.Model):
    """The link between a user and an account at an OpenID Connect provider."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="externe_identiteiten",
        verbose_name=_("gebruiker"),
    )
    issuer = models.CharField(_("identity provider"), max_length=300)
    subject = models.CharField(_("kenmerk bij de identity provider"), max_length=255)
    created_at = models.DateTimeField(_("gekoppeld op"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("laatst ingelogd"), null=True, blank=True)

    class Meta:
        verbose_name = _("externe identiteit")
        verbose_name_plural = _("externe identiteiten")
        ordering = ["issuer", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="externe_identiteit_uniek")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.issuer}"
