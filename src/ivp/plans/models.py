"""The plan record and what hangs from it.

``Plan.version`` is an optimistic lock: every service that changes a plan's content states
the version it read, and the change is refused when someone else saved in between
(see ``services.ConcurrentEditError``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ivp.plans.workflow import STAP_BY_NUMMER, STAPPEN, StapStatus


class Rol(models.TextChoices):
    """Roles per plan; see ``access.PERMISSIONS`` for what each may do."""

    COORDINATOR = "coordinator", _("Coördinator")
    REDACTEUR = "redacteur", _("Redacteur")
    BIJDRAGER = "bijdrager", _("Bijdrager")
    LEZER = "lezer", _("Lezer")


class Plan(models.Model):
    """An integral safety plan (IVP) of one or more gemeenten for a period of years.

    ``uuid`` identifies the plan across installations: an export carries it, and an import
    restores it, so importing the same plan twice is recognised (``ivp plan import``)."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    import_sha256 = models.CharField(
        _("SHA-256 van het geïmporteerde bestand"),
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
    )
    titel = models.CharField(_("titel"), max_length=200)
    gemeenten = models.ManyToManyField(
        "areas.Gemeente", related_name="plannen", verbose_name=_("gemeenten")
    )
    periode_start = models.PositiveSmallIntegerField(
        _("eerste jaar"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    periode_eind = models.PositiveSmallIntegerField(
        _("laatste jaar"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    toelichting = models.TextField(
        _("aanleiding en toelichting"),
        blank=True,
        help_text=_("Waarom dit plan er komt en wat het moet opleveren."),
    )
    # The startnotitie's texts (step 1); empty: the standard text of ``plans.startnotitie``
    # for the products and the council's role, nothing for the others.
    startnotitie_producten = models.TextField(
        _("op te leveren producten"),
        blank=True,
        help_text=_("Eén product per regel. Leeg: de producten van de zes stappen."),
    )
    startnotitie_rol_raad = models.TextField(
        _("rol van de gemeenteraad"),
        blank=True,
        help_text=_(
            "Wat de raad wanneer bespreekt of vaststelt, en wie de startnotitie vaststelt."
        ),
    )
    startnotitie_capaciteit = models.TextField(
        _("capaciteit en middelen"),
        blank=True,
        help_text=_("Wie hoeveel tijd in het proces steekt en welk budget er is."),
    )
    startnotitie_participatie = models.TextField(
        _("betrekken van inwoners"),
        blank=True,
        help_text=_("Hoe en wanneer inwoners en ondernemers worden geraadpleegd."),
    )
    startnotitie_samenhang = models.TextField(
        _("samenhang met ander beleid"),
        blank=True,
        help_text=_(
            "Beleid waarmee dit plan rekening houdt, bijvoorbeeld sociaal domein of jeugd."
        ),
    )
    delen_met_politie = models.BooleanField(
        _("delen met de politie"),
        default=False,
        help_text=_(
            "De gemeente(n) geven toestemming: de prioriteiten en indicatoren (zonder "
            "vertrouwelijke onderdelen) staan in het overzicht van de politie-eenheid."
        ),
    )
    version = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plannen")
        ordering = ["-periode_start", "titel"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(periode_eind__gte=models.F("periode_start")),
                name="plan_periode_eind_na_start",
            )
        ]

    def __str__(self) -> str:
        return self.titel

    @property
    def periode(self) -> str:
        return f"{self.periode_start}–{self.periode_eind}"

    def huidige_stap(self) -> PlanStap | None:
        """The first step that is not finished, or None when all six are."""
        for stap in self.stappen.all():
            if stap.status != StapStatus.AFGEROND:
                return stap
        return None


class PlanStap(models.Model):
    """The status and planning of one of the six steps of the method for a plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="stappen")
    nummer = models.PositiveSmallIntegerField(
        _("stap"), choices=[(s.nummer, s.titel) for s in STAPPEN]
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=[(s.value, s.label) for s in StapStatus],
        default=StapStatus.NIET_GESTART,
    )
    gepland_start = models.DateField(_("geplande start"), null=True, blank=True)
    gepland_eind = models.DateField(_("gepland gereed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("stap")
        verbose_name_plural = _("stappen")
        ordering = ["plan", "nummer"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "nummer"], name="planstap_uniek_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.nummer}. {self.titel}"

    @property
    def titel(self) -> str:
        return str(STAP_BY_NUMMER[self.nummer].titel)

    @property
    def code(self) -> str:
        return STAP_BY_NUMMER[self.nummer].code

    @property
    def doorlooptijd(self) -> tuple[int, int]:
        return STAP_BY_NUMMER[self.nummer].doorlooptijd_weken


class PlanRol(models.Model):
    """The role a user has in one plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rollen")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="planrollen"
    )
    rol = models.CharField(_("rol"), max_length=20, choices=Rol.choices)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("rol in plan")
        verbose_name_plural = _("rollen in plannen")
        ordering = ["plan", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "user"], name="planrol_een_per_gebruiker")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_rol_display()}"


class WerkgroepLid(models.Model):
    """A member of the plan's working group (need not have an account)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="werkgroep")
    naam = models.CharField(_("naam"), max_length=200)
    organisatie = models.CharField(_("organisatie"), max_length=200)
    functie = models.CharField(_("functie of rol in de werkgroep"), max_length=200, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("werkgroeplid")
        verbose_name_plural = _("werkgroepleden")
        ordering = ["plan", "organisatie", "naam"]

    def __str__(self) -> str:
        return f"{self.naam} ({self.organisatie})"


class Reactie(models.Model):
    """A comment or a proposed text from a contributor; nothing is overwritten by it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reacties")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    onderwerp = models.CharField(_("onderwerp"), max_length=200)
    tekst = models.TextField(_("reactie"))
    voorstel_tekst = models.TextField(
        _("voorgestelde tekst"),
        blank=True,
        help_text=_("Optioneel: een tekstvoorstel dat een redacteur kan overnemen."),
    )
    vertrouwelijk = models.BooleanField(
        _("vertrouwelijk"),
        default=False,
        help_text=_("Alleen zichtbaar voor de coördinator en redacteuren."),
    )
    # The part the comment or proposal is about (``plans.targets``): its history key, e.g.
    # "prioriteit:12", "hoofdstuk:3", "maatregel:7"; empty: the plan as a whole. A comment on
    # a confidential part is confidential too (``confidential.comments_for``).
    sleutel = models.CharField(_("over onderdeel"), max_length=60, blank=True, db_index=True)
    veld = models.CharField(_("tekstveld"), max_length=40, blank=True)
    basis_versie = models.PositiveIntegerField(_("versie van de tekst"), null=True, blank=True)
    voorstel_status = models.CharField(
        _("status van het voorstel"),
        max_length=12,
        blank=True,
        choices=[
            ("open", _("open")),
            ("overgenomen", _("overgenomen")),
            ("aangepast", _("aangepast overgenomen")),
            ("afgewezen", _("afgewezen")),
        ],
    )
    afgehandeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgehandeld door"),
    )
    afgehandeld_op = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True)

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.onderwerp


class Wijziging(models.Model):
    """One recorded change to a plan: who, when, what. Appended, never edited."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="wijzigingen")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    tijdstip = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    actie = models.CharField(_("actie"), max_length=50)
    onderdeel = models.CharField(_("onderdeel"), max_length=200)
    velden = models.JSONField(
        _("gewijzigde velden"),
        default=dict,
        blank=True,
        help_text=_("Per veld de oude en de nieuwe waarde."),
    )
    sleutel = models.CharField(
        _("betreft"),
        max_length=60,
        blank=True,
        db_index=True,
        help_text=_("Het gewijzigde onderdeel, bv. prioriteit:12 (voor de vertrouwelijkheid)."),
    )
    vertrouwelijk = models.BooleanField(
        _("vertrouwelijk"),
        default=False,
        help_text=_("Betreft een onderdeel dat op dat moment vertrouwelijk was."),
    )

    class Meta:
        verbose_name = _("wijziging")
        verbose_name_plural = _("wijzigingen")
        ordering = ["-tijdstip", "-id"]

    def __str__(self) -> str:
        return f"{self.tijdstip:%Y-%m-%d %H:%M} {self.actie} {self.onderdeel}"


class Melding(models.Model):
    """A notification in the application: a comment, a proposal, a decision on a proposal or
    an assigned measure that concerns the user. Also sent by e-mail when the user wants
    (``MeldingVoorkeur``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meldingen"
    )
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="meldingen")
    soort = models.CharField(_("soort"), max_length=20)
    tekst = models.CharField(_("tekst"), max_length=300)
    url = models.CharField(_("adres"), max_length=300)
    sleutel = models.CharField(_("over onderdeel"), max_length=60, blank=True)
    gelezen = models.BooleanField(_("gelezen"), default=False)
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.tekst


class MeldingVoorkeur(models.Model):
    """Whether a user also gets their notifications by e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meldingvoorkeur"
    )
    per_email = models.BooleanField(
        _("meldingen ook per e-mail"),
        default=False,
        help_text=_("Een e-mail bij elke nieuwe melding, naar het adres van uw account."),
    )

    class Meta:
        verbose_name = _("meldingvoorkeur")
        verbose_name_plural = _("meldingvoorkeuren")

    def __str__(self) -> str:
        return f"{self.user}: {'per e-mail' if self.per_email else 'alleen in ivp'}"
