"""Step 6: progress of measures, realisations of indicators, the reporting cycle, frozen
reports and the voortgangsoverleg. Editable rows carry a ``version`` (the project's one
optimistic lock: a save stating an older version is refused); history rows (updates,
realisations) are appended, never edited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ivp.plans.versioning import Versioned


class Voortgangsstatus(models.TextChoices):
    OP_SCHEMA = "op_schema", _("Op schema")
    VERTRAAGD = "vertraagd", _("Vertraagd")
    GEREED = "gereed", _("Gereed")
    GESTOPT = "gestopt", _("Gestopt")


class Toewijzing(models.Model):
    """A person who reports the progress of a measure (its trekker or contact). Being
    assigned lets a user with a role in the plan update that measure, and nothing else."""

    maatregel = models.ForeignKey(
        "uitvoering.Maatregel", on_delete=models.CASCADE, related_name="toewijzingen"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="toewijzingen"
    )
    created_at = models.DateTimeField(_("toegewezen op"), auto_now_add=True)

    class Meta:
        verbose_name = _("toewijzing")
        verbose_name_plural = _("toewijzingen")
        constraints = [
            models.UniqueConstraint(fields=["maatregel", "user"], name="toewijzing_uniek")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.maatregel}"


class Voortgangsupdate(models.Model):
    """One report on how a measure is going. Appended; the latest is the measure's status."""

    maatregel = models.ForeignKey(
        "uitvoering.Maatregel", on_delete=models.CASCADE, related_name="voortgang"
    )
    status = models.CharField(_("status"), max_length=20, choices=Voortgangsstatus.choices)
    tekst = models.TextField(_("toelichting"), blank=True)
    datum = models.DateField(_("datum"))
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    door_naam = models.CharField(
        _("gemeld door"), max_length=200, blank=True, help_text=_("Als er geen login bij hoort.")
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("voortgangsupdate")
        verbose_name_plural = _("voortgangsupdates")
        ordering = ["maatregel", "-datum", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.datum})"

    @property
    def wie(self) -> str:
        if self.door:
            return self.door.get_full_name() or self.door.username
        return self.door_naam


class Realisatie(models.Model):
    """A measured value of an effect indicator. Appended: a changed figure for a year that
    was recorded before becomes a new row that revises the old one (``herziening_van``), and
    the old row stays (``actueel`` False), so a report that showed it can still say so."""

    class Status(models.TextChoices):
        VOORLOPIG = "voorlopig", _("Voorlopig")
        DEFINITIEF = "definitief", _("Definitief")

    class Herkomst(models.TextChoices):
        REEKS = "reeks", _("Uit de gekoppelde reeks")
        HAND = "hand", _("Met de hand ingevoerd")

    indicator = models.ForeignKey(
        "beleidsplan.Effectindicator", on_delete=models.CASCADE, related_name="realisaties"
    )
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    waarde = models.FloatField(_("waarde"))
    bron = models.CharField(_("bron"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DEFINITIEF
    )
    herkomst = models.CharField(_("herkomst"), max_length=10, choices=Herkomst.choices)
    toelichting = models.CharField(_("toelichting"), max_length=300, blank=True)
    peildatum = models.DateField(_("peildatum of publicatiedatum"), null=True, blank=True)
    # inputs of the noise-aware test (only for realisations from a series of counts)
    aantal = models.FloatField(_("aantal"), null=True, blank=True)
    basis = models.FloatField(_("basis (inwoners of woningen)"), null=True, blank=True)
    uitgangsaantal = models.FloatField(null=True, blank=True)
    uitgangsbasis = models.FloatField(null=True, blank=True)
    dispersie = models.FloatField(default=1.0)
    dispersie_df = models.FloatField(null=True, blank=True)
    actueel = models.BooleanField(_("actueel"), default=True)
    herziening_van = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="herzieningen",
        verbose_name=_("herziening van"),
    )
    ingevoerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("realisatie")
        verbose_name_plural = _("realisaties")
        ordering = ["indicator", "jaar", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "jaar"],
                condition=models.Q(actueel=True),
                name="realisatie_actueel_per_jaar",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.jaar}: {self.waarde}"


class Rapportagecyclus(Versioned):
    """How often the plan reports on progress and in which months the voortgangsoverleg
    meets (the IVP's chapter 6; default: every quarter)."""

    class Frequentie(models.TextChoices):
        KWARTAAL = "kwartaal", _("Elk kwartaal")
        HALFJAAR = "halfjaar", _("Elk halfjaar")
        JAAR = "jaar", _("Elk jaar")

    plan = models.OneToOneField("plans.Plan", on_delete=models.CASCADE, related_name="cyclus")
    frequentie = models.CharField(
        _("frequentie"), max_length=10, choices=Frequentie.choices, default=Frequentie.KWARTAAL
    )
    maanden = models.JSONField(
        _("maanden van het voortgangsoverleg"), default=list, help_text=_("1–12")
    )
    dag = models.PositiveSmallIntegerField(_("dag van de maand van het overleg"), default=15)
    herinnering_dagen = models.PositiveSmallIntegerField(
        _("herinnering (dagen vooraf)"), default=14
    )

    class Meta:
        verbose_name = _("rapportagecyclus")
        verbose_name_plural = _("rapportagecycli")

    def __str__(self) -> str:
        return f"{self.get_frequentie_display()} ({self.plan})"


class Rapportage(Versioned):
    """A voortgangsrapportage of a period or the jaarbeeld of a year. While a concept it
    follows the live figures; once sent its content (``inhoud``) is frozen, and every
    download shows it as it was sent."""

    class Soort(models.TextChoices):
        VOORTGANG = "voortgangsrapportage", _("Voortgangsrapportage")
        JAARBEELD = "jaarbeeld", _("Jaarbeeld")

    class Status(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        VERZONDEN = "verzonden", _("Verzonden")

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="rapportages")
    soort = models.CharField(_("soort"), max_length=30, choices=Soort.choices)
    periode = models.CharField(_("periode"), max_length=10, help_text=_("2027-Q2, 2027-05, 2027"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CONCEPT
    )
    conclusies = models.TextField(
        _("conclusies van de werkgroep"),
        blank=True,
        help_text=_("Wat de werkgroep uit de cijfers en de voortgang afleidt."),
    )
    inhoud = models.JSONField(_("inhoud zoals verzonden"), null=True, blank=True)
    verzonden_op = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    verzonden_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rapportage")
        verbose_name_plural = _("rapportages")
        ordering = ["plan", "-periode", "soort"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "soort", "periode"], name="rapportage_per_periode"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_soort_display()} {self.periode}"


class Overlegpunt(Versioned):
    """An agenda point of the voortgangsoverleg of a period (a knelpunt, a new signal or
    the working group's own point) with the decision taken on it."""

    class Soort(models.TextChoices):
        KNELPUNT = "knelpunt", _("Knelpunt")
        SIGNAAL = "signaal", _("Nieuw signaal")
        EIGEN = "eigen", _("Overig")

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="overlegpunten")
    periode = models.CharField(_("periode"), max_length=10)
    soort = models.CharField(_("soort"), max_length=10, choices=Soort.choices)
    sleutel = models.CharField(
        _("betreft"), max_length=60, blank=True, help_text=_("maatregel:12, thema:1.3")
    )
    titel = models.CharField(_("agendapunt"), max_length=300)
    toelichting = models.TextField(_("toelichting"), blank=True)
    besluit = models.TextField(_("besluit"), blank=True)
    maatregel = models.ForeignKey(
        "uitvoering.Maatregel",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("maatregel"),
    )
    nieuwe_maatregel = models.ForeignKey(
        "uitvoering.Maatregel",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nieuwe maatregel uit het besluit"),
    )
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("agendapunt voortgangsoverleg")
        verbose_name_plural = _("agendapunten voortgangsoverleg")
        ordering = ["plan", "periode", "volgorde", "pk"]

    def __str__(self) -> str:
        return self.titel


class Herinnering(models.Model):
    """A reminder sent to a contributor before a voortgangsoverleg (sent once per meeting)."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    overleg_op = models.DateField(_("voortgangsoverleg op"))
    verzonden_op = models.DateTimeField(_("verzonden op"), auto_now_add=True)

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "user", "overleg_op"], name="herinnering_eenmaal_per_overleg"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.overleg_op}"
