"""The working group's content of step 2 of a plan. Every row carries its own ``version``:
two people may work on different themes at once, and a save on a theme that someone else
saved since it was read is refused (``services.StaleTextError``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Oordeel(models.TextChoices):
    """The working group's verdict on a theme (or an aspect)."""

    NIET_BEOORDEELD = "", _("Nog niet beoordeeld")
    OP_ORDE = "op_orde", _("Op orde: geen extra inzet nodig")
    AANDACHT = "aandacht", _("Aandacht nodig")
    PRIORITEIT = "prioriteit", _("Plausibele prioriteit")


class Besluit(models.TextChoices):
    AANVAARD = "aanvaard", _("Aanvaard als mogelijke prioriteit")
    AFGEWEZEN = "afgewezen", _("Afgewezen")


class Vergelijking(models.TextChoices):
    """Which gemeenten count as comparable (``ivp.areas.comparison``)."""

    STANDAARD = "standaard", _("Gemeenten die het meest lijken in inwonertal en dichtheid")
    GROOTTEKLASSE = "grootteklasse", _("Gemeenten van dezelfde grootteklasse")
    EIGEN = "eigen", _("Een eigen selectie van gemeenten")


class AnalyseInstelling(models.Model):
    """The settings of a plan's analysis: the reference year (empty: the latest year with
    figures) and the comparison group."""

    plan = models.OneToOneField(
        "plans.Plan", on_delete=models.CASCADE, related_name="analyse_instelling"
    )
    peiljaar = models.PositiveSmallIntegerField(
        _("peiljaar"),
        null=True,
        blank=True,
        help_text=_("Leeg: het laatste jaar met cijfers."),
    )
    vergelijking = models.CharField(
        _("vergelijkingsgroep"),
        max_length=20,
        choices=Vergelijking.choices,
        default=Vergelijking.STANDAARD,
    )
    vergelijkingsgemeenten = models.JSONField(
        _("gemeenten van de eigen selectie"),
        default=list,
        blank=True,
        help_text=_("CBS-codes, bij een eigen selectie."),
    )
    version = models.PositiveIntegerField(_("versie"), default=0, editable=False)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("instelling veiligheidsanalyse")
        verbose_name_plural = _("instellingen veiligheidsanalyse")

    def __str__(self) -> str:
        return f"{self.plan_id}: peiljaar {self.peiljaar or 'laatste'}"


class AnalyseTekst(models.Model):
    """The answers for one subject of the analysis: a theme (``1.3``), an aspect of approach
    of field 1 (``A1.4``) or a field's conclusion (``V1``)."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="analyseteksten")
    onderwerp = models.CharField(_("onderwerp"), max_length=10)
    probleem = models.TextField(
        _("problematiek"), blank=True, help_text=_("Welke veiligheidsproblemen doen zich voor?")
    )
    huidige_aanpak = models.TextField(
        _("huidige aanpak"),
        blank=True,
        help_text=_("Beleid, maatregelen en projecten tot nu toe, met de knelpunten."),
    )
    extra = models.TextField(
        _("extra gewenst"),
        blank=True,
        help_text=_("Welke aanvullende acties of beleidsversterkingen zijn wenselijk?"),
    )
    conclusie = models.TextField(
        _("plausibele prioriteiten"),
        blank=True,
        help_text=_("Per veld: welke prioriteiten zijn voor het nieuwe beleid plausibel?"),
    )
    oordeel = models.CharField(
        _("oordeel werkgroep"), max_length=20, choices=Oordeel.choices, blank=True, default=""
    )
    version = models.PositiveIntegerField(_("versie"), default=0, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("analysetekst")
        verbose_name_plural = _("analyseteksten")
        ordering = ["plan", "onderwerp"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "onderwerp"], name="analysetekst_uniek")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.onderwerp}"


class KandidaatBesluit(models.Model):
    """The working group's decision on a priority candidate ivp proposed. The score and
    the reasons at the time of the decision are kept, so the decision stays readable when
    new figures change the proposal."""

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="kandidaatbesluiten"
    )
    sleutel = models.CharField(_("reeks"), max_length=40)  # "1.1.1", "thema:1.3"
    titel = models.CharField(_("titel"), max_length=200)
    gemeente = models.CharField(_("gemeente"), max_length=10)
    peiljaar = models.PositiveSmallIntegerField(_("peiljaar"))
    besluit = models.CharField(_("besluit"), max_length=20, choices=Besluit.choices)
    toelichting = models.TextField(_("toelichting"), blank=True)
    score = models.SmallIntegerField(_("score"))
    redenen = models.JSONField(_("redenen"), default=list, blank=True)
    besloten_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    besloten_op = models.DateTimeField(_("besloten op"), auto_now=True)

    class Meta:
        verbose_name = _("besluit over een mogelijke prioriteit")
        verbose_name_plural = _("besluiten over mogelijke prioriteiten")
        ordering = ["plan", "sleutel"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "gemeente", "sleutel"], name="kandidaatbesluit_uniek"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sleutel}: {self.get_besluit_display()}"
