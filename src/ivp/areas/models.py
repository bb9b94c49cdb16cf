"""Regions by their CBS codes: gemeente, wijk and buurt (division 2024, as 47018NED uses it),
the provincie, veiligheidsregio and politie-eenheid a gemeente belongs to, the basisteam
where known, and comparison groups (such as population size classes).

A politie-eenheid covers whole veiligheidsregio's (Politiewet 2012, art. 25), so the eenheid
of a gemeente follows from its veiligheidsregio; see ``areas.sources.POLITIE_EENHEDEN``.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

gemeente_code_validator = RegexValidator(
    r"^GM\d{4}$", _("Een gemeentecode bestaat uit GM en vier cijfers, bijvoorbeeld GM0796.")
)


class PolitieEenheid(models.Model):
    """One of the ten regional units of the police (RE01 Noord-Nederland … RE10 Limburg)."""

    code = models.CharField(_("CBS-code"), max_length=4, unique=True)
    naam = models.CharField(_("naam"), max_length=100)
    bron = models.CharField(_("bron"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("politie-eenheid")
        verbose_name_plural = _("politie-eenheden")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.naam} ({self.code})"


class Veiligheidsregio(models.Model):
    """One of the 25 veiligheidsregio's (VR01 Groningen … VR25 Flevoland)."""

    code = models.CharField(_("CBS-code"), max_length=4, unique=True)
    naam = models.CharField(_("naam"), max_length=100)
    politie_eenheid = models.ForeignKey(
        PolitieEenheid,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="veiligheidsregios",
        verbose_name=_("politie-eenheid"),
    )

    class Meta:
        verbose_name = _("veiligheidsregio")
        verbose_name_plural = _("veiligheidsregio's")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.naam} ({self.code})"


class Provincie(models.Model):
    code = models.CharField(_("CBS-code"), max_length=4, unique=True)
    naam = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("provincie")
        verbose_name_plural = _("provincies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.naam


class Basisteam(models.Model):
    """A police base team. The bundled data name no membership of gemeenten; a coordinator
    or administrator records it (admin) where known."""

    naam = models.CharField(_("naam"), max_length=150, unique=True)
    politie_eenheid = models.ForeignKey(
        PolitieEenheid,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="basisteams",
        verbose_name=_("politie-eenheid"),
    )
    bron = models.CharField(_("bron"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("basisteam")
        verbose_name_plural = _("basisteams")
        ordering = ["naam"]

    def __str__(self) -> str:
        return self.naam


class GemeenteManager(models.Manager):
    def get_by_natural_key(self, code: str) -> Gemeente:
        return self.get(code=code)


class Gemeente(models.Model):
    """A municipality by its CBS code (e.g. GM0796 's-Hertogenbosch). Former gemeenten that
    occur in the data are kept with ``actief`` off."""

    code = models.CharField(
        _("CBS-code"), max_length=6, unique=True, validators=[gemeente_code_validator]
    )
    naam = models.CharField(_("naam"), max_length=100)
    actief = models.BooleanField(
        _("bestaand"),
        default=True,
        help_text=_("Gemeente in de indeling van 2024 (de indeling van 47018NED)."),
    )
    provincie = models.ForeignKey(
        Provincie,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gemeenten",
        verbose_name=_("provincie"),
    )
    veiligheidsregio = models.ForeignKey(
        Veiligheidsregio,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gemeenten",
        verbose_name=_("veiligheidsregio"),
    )
    basisteam = models.ForeignKey(
        Basisteam,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gemeenten",
        verbose_name=_("basisteam"),
    )
    herindelingen = models.JSONField(
        _("herindelingen"),
        default=list,
        blank=True,
        help_text=_("Grenswijzigingen volgens het CBS, bijv. ‘herindeling 2015-01-01’."),
    )
    opgegaan_in = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="voorgangers",
        verbose_name=_("opgegaan in"),
    )

    objects = GemeenteManager()

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["naam"]

    def __str__(self) -> str:
        return f"{self.naam} ({self.code})"

    def natural_key(self) -> tuple[str]:
        """The CBS code: a backup refers to gemeenten by code (``ivp backup``)."""
        return (self.code,)

    @property
    def politie_eenheid(self) -> PolitieEenheid | None:
        return self.veiligheidsregio.politie_eenheid if self.veiligheidsregio else None

    def laatste_grenswijziging(self) -> int | None:
        """The year of the last boundary change CBS records, if any."""
        years = [int(note.split()[-1][:4]) for note in self.herindelingen if note.split()]
        return max(years) if years else None


class Wijk(models.Model):
    code = models.CharField(_("CBS-code"), max_length=8, unique=True)
    naam = models.CharField(_("naam"), max_length=150)
    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.CASCADE, related_name="wijken", verbose_name=_("gemeente")
    )

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.naam} ({self.code})"


class Buurt(models.Model):
    code = models.CharField(_("CBS-code"), max_length=10, unique=True)
    naam = models.CharField(_("naam"), max_length=150)
    wijk = models.ForeignKey(
        Wijk,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="buurten",
        verbose_name=_("wijk"),
    )
    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.CASCADE, related_name="buurten", verbose_name=_("gemeente")
    )

    class Meta:
        verbose_name = _("buurt")
        verbose_name_plural = _("buurten")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.naam} ({self.code})"


class Vergelijkingsgroep(models.Model):
    """A group of gemeenten to compare with, e.g. the CBS population size class of a year."""

    class Soort(models.TextChoices):
        GROOTTEKLASSE = "grootteklasse", _("Gemeentegrootteklasse")
        EIGEN = "eigen", _("Eigen groep")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    naam = models.CharField(_("naam"), max_length=200)
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    peiljaar = models.PositiveSmallIntegerField(_("peiljaar"), null=True, blank=True)
    ondergrens = models.PositiveIntegerField(_("vanaf inwoners"), null=True, blank=True)
    bovengrens = models.PositiveIntegerField(_("tot inwoners"), null=True, blank=True)
    toelichting = models.TextField(_("toelichting"), blank=True)
    gemeenten = models.ManyToManyField(
        Gemeente, related_name="vergelijkingsgroepen", verbose_name=_("gemeenten"), blank=True
    )

    class Meta:
        verbose_name = _("vergelijkingsgroep")
        verbose_name_plural = _("vergelijkingsgroepen")
        ordering = ["soort", "ondergrens", "naam"]

    def __str__(self) -> str:
        return self.naam
