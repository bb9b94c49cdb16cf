"""The catalogue in the database: a mirror of the content files, written only by
``services.sync_catalogue()``. The content files are the source; the rows exist so that
pages can search and link, and so that plans can point at a theme, a measure or an
indicator by foreign key. Measures and indicators carry their stable id in ``code``.

Lists (partners, laws, sources, instruments, …) are stored as JSON lists in the order of
the content files; that works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Veiligheidsveld(models.Model):
    """One of the five safety fields."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    titel = models.CharField(_("titel"), max_length=200)
    uitleg = models.TextField(_("uitleg"))
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("veiligheidsveld")
        verbose_name_plural = _("veiligheidsvelden")
        ordering = ["volgorde", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.titel}"


class _Onderdeel(models.Model):
    """What themes, aspects and strategic themes share."""

    titel = models.CharField(_("titel"), max_length=200)
    uitleg = models.TextField(_("uitleg"), blank=True)
    rol_gemeente = models.JSONField(_("rol van de gemeente"), default=list, blank=True)
    #: attribute name → reason (leeg / ontbreekt / per_aspect) for attributes the handbook
    #: leaves empty.
    niet_in_handreiking = models.JSONField(_("niet in de handreiking"), default=dict, blank=True)
    bronopmerkingen = models.JSONField(_("bronopmerkingen"), default=list, blank=True)
    #: file and line in the content folder, e.g. "veld-3.yaml:17".
    herkomst = models.CharField(_("herkomst"), max_length=100, blank=True)
    #: every text of the item and its measures and indicators, lowercased and without
    #: accents (see ``search.fold``); written by the sync, searched with ``contains``.
    zoektekst = models.TextField(_("zoektekst"), blank=True, editable=False)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        abstract = True

    def ontbreekt(self, attribuut: str) -> str | None:
        """The reason an attribute has no content, or None when it has."""
        return self.niet_in_handreiking.get(attribuut)


class Thema(_Onderdeel):
    """One of the 22 themes, e.g. 3.1 Jeugdoverlast."""

    code = models.CharField(_("code"), max_length=5, unique=True)
    veld = models.ForeignKey(
        Veiligheidsveld, on_delete=models.PROTECT, related_name="themas", verbose_name=_("veld")
    )
    alternatieve_titels = models.JSONField(_("ook bekend als"), default=list, blank=True)
    partners_intern = models.JSONField(_("interne partners"), default=list, blank=True)
    partners_extern = models.JSONField(_("externe partners"), default=list, blank=True)
    wet_en_regelgeving = models.JSONField(_("wet- en regelgeving"), default=list, blank=True)
    effectinformatie = models.JSONField(
        _("bronnen voor effectinformatie"), default=list, blank=True
    )
    #: [{"naam": …, "url": …}]
    instrumenten = models.JSONField(_("instrumenten"), default=list, blank=True)
    ontwikkelingen = models.JSONField(_("belangrijke ontwikkelingen"), default=list, blank=True)
    raakvlakken = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="genoemd_bij",
        blank=True,
        verbose_name=_("raakvlakken"),
        help_text=_("De thema's die de handreiking bij dit thema als raakvlak noemt."),
    )

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["volgorde", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.titel}"


class Aanpakaspect(_Onderdeel):
    """One of the six fixed aspects of approach of field 1 (A1.1 … A1.6)."""

    code = models.CharField(_("code"), max_length=5, unique=True)
    veld = models.ForeignKey(
        Veiligheidsveld,
        on_delete=models.PROTECT,
        related_name="aanpakaspecten",
        verbose_name=_("veld"),
    )
    partners_intern = models.JSONField(_("interne partners"), default=list, blank=True)
    partners_extern = models.JSONField(_("externe partners"), default=list, blank=True)
    wet_en_regelgeving = models.JSONField(_("wet- en regelgeving"), default=list, blank=True)
    instrumenten = models.JSONField(_("instrumenten"), default=list, blank=True)
    ontwikkelingen = models.JSONField(_("belangrijke ontwikkelingen"), default=list, blank=True)

    class Meta:
        verbose_name = _("aanpakaspect")
        verbose_name_plural = _("aanpakaspecten")
        ordering = ["volgorde", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.titel}"

    @property
    def nummer(self) -> str:
        """The handbook's number, e.g. ``1.4`` for ``A1.4``."""
        return self.code[1:]


class StrategischThema(_Onderdeel):
    """A cross-cutting strategic theme: gedigitaliseerde criminaliteit, zorg en
    veiligheid, informatiemanagement."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    vormen_titel = models.CharField(_("titel van de vormen"), max_length=200, blank=True)
    #: [{"naam": …, "toelichting": …}]
    vormen = models.JSONField(_("vormen"), default=list, blank=True)
    doelen = models.JSONField(_("doelen"), default=list, blank=True)
    #: [{"omschrijving": …, "codes": ["3.1", …]}]
    thema_verwijzingen = models.JSONField(_("betrokken thema's"), default=list, blank=True)
    themas = models.ManyToManyField(
        Thema, related_name="strategische_themas", blank=True, verbose_name=_("thema's")
    )
    #: [{"hoofdstukken": [2], "toelichting": …}]
    plek_in_ivp = models.JSONField(_("plek in het IVP"), default=list, blank=True)
    meer_informatie = models.JSONField(_("meer informatie"), default=list, blank=True)

    class Meta:
        verbose_name = _("strategisch thema")
        verbose_name_plural = _("strategische thema's")
        ordering = ["volgorde", "code"]

    def __str__(self) -> str:
        return self.titel


class Maatregel(models.Model):
    """A measure the handbook suggests for a theme or an aspect of approach. ``code`` is
    the stable id (``3.1-m02``); a measure that leaves the content stays as a row with
    ``actief=False`` so that references to it keep working."""

    code = models.CharField(_("id"), max_length=20, unique=True)
    thema = models.ForeignKey(
        Thema,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="maatregelen",
        verbose_name=_("thema"),
    )
    aanpakaspect = models.ForeignKey(
        Aanpakaspect,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="maatregelen",
        verbose_name=_("aanpakaspect"),
    )
    tekst = models.TextField(_("maatregel"))
    groep = models.CharField(_("groep"), max_length=100, blank=True)
    toelichting = models.TextField(_("toelichting"), blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    actief = models.BooleanField(_("in de huidige inhoud"), default=True)

    class Meta:
        verbose_name = _("maatregel")
        verbose_name_plural = _("maatregelen")
        ordering = ["volgorde", "code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(thema__isnull=False, aanpakaspect__isnull=True)
                    | models.Q(thema__isnull=True, aanpakaspect__isnull=False)
                ),
                name="maatregel_hoort_bij_thema_of_aspect",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.tekst}"

    @property
    def eigenaar(self) -> Thema | Aanpakaspect:
        return self.thema or self.aanpakaspect


class Indicator(models.Model):
    """A suggested effect indicator of a theme. ``code`` is the stable id (``3.1-i01``);
    ``bron`` is the source the handbook names (Veiligheidsmonitor, Politieregistratie, …)."""

    code = models.CharField(_("id"), max_length=20, unique=True)
    thema = models.ForeignKey(
        Thema,
        on_delete=models.PROTECT,
        related_name="effectindicatoren",
        verbose_name=_("thema"),
    )
    bron = models.CharField(_("bron"), max_length=200, blank=True)
    tekst = models.TextField(_("indicator"))
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    actief = models.BooleanField(_("in de huidige inhoud"), default=True)

    class Meta:
        verbose_name = _("effectindicator (suggestie)")
        verbose_name_plural = _("effectindicatoren (suggesties)")
        ordering = ["volgorde", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.tekst}"


class CatalogueSync(models.Model):
    """One run of ``sync_catalogue`` that changed something: the content version and what
    was created, updated and deactivated (the history of the catalogue in this database)."""

    version = models.CharField(_("inhoudsversie"), max_length=40)
    ran_at = models.DateTimeField(_("uitgevoerd op"), auto_now_add=True)
    summary = models.JSONField(_("samenvatting"), default=dict)

    class Meta:
        verbose_name = _("synchronisatie themabibliotheek")
        verbose_name_plural = _("synchronisaties themabibliotheek")
        ordering = ["-ran_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.version} ({self.ran_at:%Y-%m-%d %H:%M})"
