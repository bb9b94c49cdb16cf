"""The implementation plans of an IVP. Every editable row carries its own ``version``: a
save that states an older version is refused (``services.StaleEditError``)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ivp.plans.versioning import Versioned


class Uitvoeringsplan(Versioned):
    """The implementation plan of one year of an IVP (the college adopts it yearly)."""

    class Status(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        VASTGESTELD = "vastgesteld", _("Vastgesteld door het college")

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="uitvoeringsplannen"
    )
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT
    )
    vastgesteld_op = models.DateField(_("vastgesteld op"), null=True, blank=True)
    hoofdlijn = models.TextField(
        _("hoofdlijn IVP"),
        blank=True,
        help_text=_("Hoofdstuk 1: de hoofdlijn en de beleidscyclus."),
    )
    terugblik = models.TextField(_("terugblik"), blank=True)
    begroting_toelichting = models.TextField(_("toelichting begroting"), blank=True)
    vorig = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vorig uitvoeringsplan"),
    )

    class Meta:
        verbose_name = _("uitvoeringsplan")
        verbose_name_plural = _("uitvoeringsplannen")
        ordering = ["plan", "jaar"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "jaar"], name="uitvoeringsplan_per_jaar")
        ]

    def __str__(self) -> str:
        return f"Uitvoeringsplan {self.jaar}"


class Onderdeel(Versioned):
    """An item (onderdeel, actiepunt) grouping measures, under a priority or under a
    cluster of ongoing themes, e.g. "Preventie", "Daderaanpak"."""

    uitvoeringsplan = models.ForeignKey(
        Uitvoeringsplan, on_delete=models.CASCADE, related_name="onderdelen"
    )
    prioriteit = models.ForeignKey(
        "beleidsplan.Prioriteit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="onderdelen",
    )
    overig_thema = models.ForeignKey(
        "beleidsplan.OverigThema",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="onderdelen",
    )
    titel = models.CharField(_("onderdeel"), max_length=200)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("onderdeel")
        verbose_name_plural = _("onderdelen")
        ordering = ["uitvoeringsplan", "volgorde", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(prioriteit__isnull=False, overig_thema__isnull=True)
                | models.Q(prioriteit__isnull=True, overig_thema__isnull=False),
                name="onderdeel_hoort_bij_prioriteit_of_overig_thema",
            )
        ]

    def __str__(self) -> str:
        return self.titel

    @property
    def thema(self):
        return self.prioriteit or self.overig_thema


class Maatregel(Versioned):
    """A measure (inzet/activiteit) of an item."""

    class Status(models.TextChoices):
        GEPLAND = "gepland", _("Gepland")
        LOPEND = "lopend", _("Lopend")
        GEREED = "gereed", _("Gereed")
        VERTRAAGD = "vertraagd", _("Vertraagd")
        VERVALLEN = "vervallen", _("Vervallen")

    class Planning(models.TextChoices):
        DOORLOPEND = "doorlopend", _("Doorlopend")
        JAAR = "jaar", _("Jaar (bv. 2027 e.v.)")
        KWARTAAL = "kwartaal", _("Kwartaal")
        PERIODE = "periode", _("Van … tot …")
        VRIJ = "vrij", _("Eigen tekst (bv. ‘2027, daarna jaarlijks’)")

    onderdeel = models.ForeignKey(Onderdeel, on_delete=models.CASCADE, related_name="maatregelen")
    subgroep = models.CharField(
        _("subgroep"),
        max_length=200,
        blank=True,
        help_text=_("Optioneel: een kopje binnen het onderdeel, bv. ‘Risicobeheersing’."),
    )
    titel = models.CharField(_("inzet/activiteit"), max_length=300)
    beschrijving = models.TextField(_("beschrijving"), blank=True)
    bestuurlijk_trekker = models.CharField(_("bestuurlijk trekker"), max_length=200, blank=True)
    ambtelijk_trekker = models.CharField(_("ambtelijk trekker"), max_length=200, blank=True)
    partners = models.JSONField(
        _("partners"),
        default=list,
        blank=True,
        help_text=_("De partners zoals het plan ze noemt, in die volgorde."),
    )
    planning = models.CharField(
        _("planning"), max_length=20, choices=Planning.choices, default=Planning.DOORLOPEND
    )
    planning_jaar = models.PositiveSmallIntegerField(_("jaar"), null=True, blank=True)
    planning_vervolg = models.BooleanField(
        _("en verder"), default=False, help_text=_("“2027 e.v.”: ook in de jaren daarna.")
    )
    planning_kwartaal = models.PositiveSmallIntegerField(_("kwartaal"), null=True, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    eind = models.DateField(_("eind"), null=True, blank=True)
    planning_vrij = models.CharField(
        _("planning (eigen tekst)"),
        max_length=200,
        blank=True,
        help_text=_("Zoals het plan het schrijft."),
    )
    prestatie_indicator = models.CharField(_("prestatie-indicator"), max_length=300, blank=True)
    prestatie_doel = models.CharField(_("doel"), max_length=200, blank=True)
    budget = models.DecimalField(
        _("budget (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    budget_bron = models.CharField(_("dekking"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.GEPLAND
    )
    catalogus_id = models.CharField(
        _("uit de themabibliotheek"), max_length=20, blank=True, help_text=_("bv. 3.1-m02")
    )
    overgenomen_van = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overgenomen uit het vorige plan"),
    )
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("maatregel")
        verbose_name_plural = _("maatregelen")
        ordering = ["onderdeel", "volgorde", "pk"]

    def __str__(self) -> str:
        return self.titel

    @property
    def planning_tekst(self) -> str:
        """As plans write it: "doorlopend", "2027 e.v.", "Q2 2027", "mrt 2027 – jun 2028", or
        the plan's own words."""
        if self.planning == self.Planning.VRIJ:
            return self.planning_vrij
        if self.planning == self.Planning.DOORLOPEND:
            return "doorlopend"
        if self.planning == self.Planning.JAAR and self.planning_jaar:
            return f"{self.planning_jaar}{' e.v.' if self.planning_vervolg else ''}"
        if self.planning == self.Planning.KWARTAAL and self.planning_kwartaal:
            return f"Q{self.planning_kwartaal} {self.planning_jaar or ''}".strip()
        if self.planning == self.Planning.PERIODE:
            months = [
                "jan",
                "feb",
                "mrt",
                "apr",
                "mei",
                "jun",
                "jul",
                "aug",
                "sep",
                "okt",
                "nov",
                "dec",
            ]
            parts = [
                f"{months[d.month - 1]} {d.year}" for d in (self.start, self.eind) if d is not None
            ]
            return " – ".join(parts)
        return ""


class Partner(models.Model):
    """A partner a gemeente works with; the list grows as measures name new partners, and
    the catalogue's partners of a theme are suggested beside it. Whether a partner is part
    of the gemeente (intern) or not (extern) may be marked, never has to be."""

    class Soort(models.TextChoices):
        INTERN = "intern", _("Intern (gemeente)")
        EXTERN = "extern", _("Extern")
        ONBEKEND = "", _("Niet aangegeven")

    gemeente = models.ForeignKey(
        "areas.Gemeente", on_delete=models.CASCADE, related_name="partners"
    )
    naam = models.CharField(_("naam"), max_length=200)
    soort = models.CharField(_("soort"), max_length=10, choices=Soort.choices, blank=True)
    created_at = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["gemeente", "soort", "naam"]
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "naam"], name="partner_naam_per_gemeente")
        ]

    def __str__(self) -> str:
        return self.naam
