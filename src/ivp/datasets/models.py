"""Figures with their provenance.

``Dataset`` (a source table: 47018NED, a Veiligheidsmonitor table, a municipal registration)
→ ``Series`` (one measured quantity: soort misdrijf 1.1.1 of 47018NED) → ``Observation``
(series, region, period, value, status). Every observation points at the ``ImportRun`` that
wrote its value: the file or API request, when, by whom, with what result. The unique key
(series, region, period) means a second import of the same figures never doubles them.

``PlanMapping`` holds a plan's own theme choice for an offence category or incident code,
``OwnSeriesTheme`` its theme for an own or survey series (``datasets.own_series``); both
refer to ``plans.Plan`` by name only (no import of ``plans``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Origin(models.TextChoices):
    BUNDLED = "meegeleverd", _("Meegeleverd bij ivp")
    API = "cbs-api", _("Opgehaald bij de CBS-API")
    FILE = "bestand", _("Ingelezen bestand")


class DatasetManager(models.Manager):
    def get_by_natural_key(self, key: str) -> Dataset:
        return self.get(key=key)


class SeriesManager(models.Manager):
    def get_by_natural_key(self, dataset_key: str, code: str) -> Series:
        return self.get(dataset__key=dataset_key, code=code)


class ImportRunManager(models.Manager):
    def get_by_natural_key(self, run_uuid: str) -> ImportRun:
        return self.get(uuid=run_uuid)


class ObservationManager(models.Manager):
    def get_by_natural_key(self, dataset_key, code, region, period) -> Observation:
        return self.get(
            series__dataset__key=dataset_key, series__code=code, region=region, period=period
        )


# Natural keys let ``ivp backup`` carry a gemeente's own figures into another installation
# whose official data have other primary keys.


class Dataset(models.Model):
    """A source table. ``owner`` empty: an official dataset (bundled or fetched from the
    CBS), shared by everyone and changed only with system rights. ``owner`` set: a
    gemeente's own dataset (an upload), seen only by that gemeente and its plans; its key
    starts with the owner's code (``GM0796:…``), so it can never be mistaken for, or
    write into, an official table or another gemeente's data (see ``datasets.access``)."""

    key = models.CharField(_("sleutel"), max_length=100, unique=True)
    owner = models.ForeignKey(
        "areas.Gemeente",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="eigen_datasets",
        verbose_name=_("eigenaar"),
        help_text=_("Leeg: officiële cijfers (CBS/politie), voor iedereen en alleen-lezen."),
    )
    title = models.CharField(_("titel"), max_length=300)
    source = models.CharField(_("bron"), max_length=200, blank=True)
    table_id = models.CharField(_("CBS-tabel"), max_length=20, blank=True)
    url = models.URLField(_("adres"), max_length=500, blank=True)
    licence = models.TextField(_("licentie"), blank=True)
    attribution = models.CharField(_("bronvermelding"), max_length=200, blank=True)
    notes = models.TextField(_("toelichting"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    objects = DatasetManager()

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.table_id or self.key} — {self.title}"

    def natural_key(self) -> tuple[str]:
        return (self.key,)


class Series(models.Model):
    class Kind(models.TextChoices):
        CRIME = "misdrijven", _("Geregistreerde misdrijven")
        NUISANCE = "overlast", _("Geregistreerde overlast")
        POPULATION = "bevolking", _("Bevolking")
        DWELLINGS = "woningen", _("Woningen")
        INDICATOR = "indicator", _("Indicator")

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="series", verbose_name=_("dataset")
    )
    code = models.CharField(_("code"), max_length=200)
    name = models.CharField(_("naam"), max_length=300)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    unit = models.CharField(_("eenheid"), max_length=50, default="aantal")
    soort_misdrijf = models.CharField(_("soort misdrijf"), max_length=10, blank=True, db_index=True)
    incident_code = models.CharField(_("incidentcode"), max_length=10, blank=True, db_index=True)
    topic = models.CharField(_("CBS-onderwerp"), max_length=100, blank=True)
    notes = models.TextField(_("toelichting"), blank=True)

    objects = SeriesManager()

    class Meta:
        verbose_name = _("reeks")
        verbose_name_plural = _("reeksen")
        ordering = ["dataset", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "code"], name="series_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.dataset.table_id or self.dataset.key})"

    def natural_key(self) -> tuple[str, str]:
        return (self.dataset.key, self.code)

    natural_key.dependencies = ["datasets.dataset"]


class ImportRun(models.Model):
    class Status(models.TextChoices):
        PREVIEW = "voorbeeld", _("Voorbeeld (niet opgeslagen)")
        DONE = "opgeslagen", _("Opgeslagen")
        FAILED = "afgewezen", _("Afgewezen, niets opgeslagen")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    origin = models.CharField(_("herkomst"), max_length=20, choices=Origin.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    format = models.CharField(_("formaat"), max_length=40, blank=True)
    filename = models.CharField(_("bestand"), max_length=300, blank=True)
    file = models.FileField(_("bewaard bestand"), upload_to="imports/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    urls = models.JSONField(_("opgevraagde adressen"), default=list, blank=True)
    retrieved_at = models.DateTimeField(
        _("ophaaldatum"),
        null=True,
        blank=True,
        help_text=_(
            "Wanneer de cijfers bij de bron zijn opgehaald (voor meegeleverde "
            "bestanden: volgens hun herkomstbeschrijving)."
        ),
    )
    retrieved_note = models.CharField(_("ophaaldatum (toelichting)"), max_length=300, blank=True)
    datasets = models.ManyToManyField(Dataset, related_name="import_runs", blank=True)
    owner = models.ForeignKey(
        "areas.Gemeente",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="eigen_importruns",
        verbose_name=_("eigenaar"),
        help_text=_("De gemeente voor wie het bestand is ingelezen; leeg: officiële cijfers."),
    )
    table_id = models.CharField(_("CBS-tabel"), max_length=20, blank=True)
    dataset_name = models.CharField(_("naam bron (algemeen formaat)"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("regels"), default=0)
    created = models.PositiveIntegerField(_("nieuw"), default=0)
    changed = models.PositiveIntegerField(_("gewijzigd"), default=0)
    unchanged = models.PositiveIntegerField(_("ongewijzigd"), default=0)
    kept = models.PositiveIntegerField(
        _("behouden"),
        default=0,
        help_text=_(
            "Waarden die er al waren en niet zijn overschreven (meegeleverde data "
            "overschrijven nooit nieuwere cijfers)."
        ),
    )
    problems = models.JSONField(_("problemen"), default=list, blank=True)
    problems_truncated = models.BooleanField(default=False)
    changes = models.JSONField(
        _("herzieningen"), default=list, blank=True, help_text=_("Oude en nieuwe waarden.")
    )
    sample = models.JSONField(_("voorbeeldregels"), default=list, blank=True)
    meta = models.JSONField(_("bijzonderheden"), default=dict, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    started_at = models.DateTimeField(_("gestart"), auto_now_add=True)
    finished_at = models.DateTimeField(_("afgerond"), null=True, blank=True)

    objects = ImportRunManager()

    class Meta:
        verbose_name = _("importrun")
        verbose_name_plural = _("importruns")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        name = self.filename or self.table_id
        return f"{self.get_origin_display()} {name} ({self.get_status_display()})"

    def natural_key(self) -> tuple[str]:
        return (str(self.uuid),)


class Observation(models.Model):
    class Status(models.TextChoices):
        DEFINITIEF = "d", _("definitief")
        VOORLOPIG = "v", _("voorlopig")
        NADER_VOORLOPIG = "nv", _("nader voorlopig")
        ONBEKEND = "", _("onbekend")

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="observations")
    region = models.CharField(_("regio"), max_length=10)
    period = models.CharField(_("periode"), max_length=8)
    value = models.FloatField(
        _("waarde"), null=True, blank=True, help_text=_("Leeg: niet gepubliceerd (geheim).")
    )
    status = models.CharField(
        _("status"), max_length=2, choices=Status.choices, default="", blank=True
    )
    import_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="observations")

    objects = ObservationManager()

    class Meta:
        verbose_name = _("waarneming")
        verbose_name_plural = _("waarnemingen")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "region", "period"], name="observation_unique"
            )
        ]
        indexes = [models.Index(fields=["region", "period"], name="observation_region")]

    def __str__(self) -> str:
        return f"{self.series_id} {self.region} {self.period} = {self.value}"

    def natural_key(self) -> tuple[str, str, str, str]:
        return (*self.series.natural_key(), self.region, self.period)

    natural_key.dependencies = ["datasets.series", "datasets.importrun"]


class PlanMapping(models.Model):
    """A plan's own themes for one offence category or incident code. Only that plan uses
    it; the default (``mapping/default.yaml``) and other plans stay as they are."""

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="indeling", verbose_name=_("plan")
    )
    code = models.CharField(_("code"), max_length=10)
    themes = models.JSONField(_("thema's"), default=list, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("eigen indeling van een plan")
        verbose_name_plural = _("eigen indelingen van plannen")
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="planmapping_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.code} → {', '.join(self.themes) or '—'}"


class OwnSeriesTheme(models.Model):
    """A plan's own theme for one other series (an own upload or a survey table), instead
    of the theme ivp suggests (``datasets.own_series``). An empty ``theme``: the plan
    places the series at no theme."""

    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.CASCADE,
        related_name="reeks_themas",
        verbose_name=_("plan"),
    )
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="plan_themas", verbose_name=_("reeks")
    )
    theme = models.CharField(_("thema"), max_length=10, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("thema van een eigen reeks in een plan")
        verbose_name_plural = _("thema's van eigen reeksen in plannen")
        ordering = ["plan", "series"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "series"], name="ownseriestheme_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.series_id} → {self.theme or '—'}"
