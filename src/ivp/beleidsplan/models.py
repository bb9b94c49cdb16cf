"""The content of the IVP (steps 3 and 4). Each editable row has its own ``version``; a
save that states an older version than the stored one is refused (``services``), so two
people editing the same section never overwrite each other silently."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ivp.plans.versioning import Versioned

MAX_PRIORITEITEN = 4  # the method: "een maximum van drie à vier prioriteiten"


class Prioriteit(Versioned):
    """A priority of the plan: one or more themes under its own title, with the fixed parts
    of chapter 4 (why, main lines of approach, flanking policy, goal)."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="prioriteiten")
    titel = models.CharField(_("titel"), max_length=200)
    themas = models.JSONField(_("thema's"), default=list, help_text=_("Themacodes, bv. 1.3"))
    accenten = models.JSONField(_("accenten"), default=list, blank=True)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    waarom = models.TextField(_("waarom een prioriteit"), blank=True)
    hoofdlijnen = models.TextField(_("hoofdlijnen van de aanpak"), blank=True)
    flankerend_beleid = models.TextField(_("flankerend beleid"), blank=True)
    doel = models.TextField(_("doelstelling (kwalitatief)"), blank=True)
    vertrouwelijk = models.BooleanField(
        _("vertrouwelijk"),
        default=False,
        help_text=_("Blijft buiten de openbare versie van het IVP (bv. ondermijning)."),
    )
    reden_boven_maximum = models.TextField(_("reden voor meer dan vier prioriteiten"), blank=True)
    sleutel = models.SlugField(_("verwijzing"), max_length=60, blank=True)
    # A joint plan (several gemeenten): empty = shared by all, else a local priority of
    # that gemeente (docs/joint-plans.md).
    gemeente = models.ForeignKey(
        "areas.Gemeente",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lokale prioriteit van"),
        help_text=_("Leeg: gezamenlijk voor alle gemeenten van het plan."),
    )
    ambitie = models.TextField(_("ambitie"), blank=True)
    beoogd_effect = models.TextField(_("beoogd effect"), blank=True)
    acties = models.JSONField(
        _("acties"),
        default=list,
        blank=True,
        help_text=_("Per actie de tekst en de termijn: kort of lang."),
    )

    class Meta:
        verbose_name = _("prioriteit")
        verbose_name_plural = _("prioriteiten")
        ordering = ["plan", "volgorde", "pk"]

    def __str__(self) -> str:
        return self.titel


class OverigThema(Versioned):
    """A cluster of ongoing themes (overige strategische thema's) under the user's own
    title and order; chapter 5 in the same structure as a priority, shorter."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="overige_themas")
    titel = models.CharField(_("titel"), max_length=200)
    themas = models.JSONField(_("thema's"), default=list)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    waarom = models.TextField(_("toelichting"), blank=True)
    hoofdlijnen = models.TextField(_("hoofdlijnen van de aanpak"), blank=True)
    flankerend_beleid = models.TextField(_("flankerend beleid"), blank=True)
    doel = models.TextField(_("doelstelling (kwalitatief)"), blank=True)
    vertrouwelijk = models.BooleanField(_("vertrouwelijk"), default=False)
    sleutel = models.SlugField(_("verwijzing"), max_length=60, blank=True)
    gemeente = models.ForeignKey(
        "areas.Gemeente",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lokaal thema van"),
        help_text=_("Leeg: gezamenlijk voor alle gemeenten van het plan."),
    )

    class Meta:
        verbose_name = _("overig strategisch thema")
        verbose_name_plural = _("overige strategische thema's")
        ordering = ["plan", "volgorde", "pk"]

    def __str__(self) -> str:
        return self.titel


class Hoofdstuk(Versioned):
    """A chapter of the IVP document, or an annex. The method's seven chapters are the
    default skeleton (``nummer`` 1–7: their role, e.g. chapter 4 holds the priorities); a plan
    gives them its own titles, orders them, leaves one out (its content moved elsewhere), and
    adds its own chapters (Inleiding, Voorwoord, Leeswijzer) and annexes. Numbering follows
    ``volgorde``; a text refers to a chapter by its ``sleutel`` (``[[sleutel]]``), so the
    reference follows renumbering."""

    class Nummer(models.IntegerChoices):
        UITGANGSSITUATIE = 1, _("Uitgangssituatie")
        STRATEGISCHE_DOELSTELLING = 2, _("Strategische doelstelling")
        STRATEGISCHE_UITGANGSPUNTEN = 3, _("Strategische uitgangspunten")
        PRIORITEITEN = 4, _("Prioriteiten")
        OVERIGE_THEMAS = 5, _("Overige strategische thema's")
        COORDINATIE = 6, _("Coördinatie en beleidscyclus")
        BEGROTING = 7, _("Begroting")

    class Soort(models.TextChoices):
        METHODE = "methode", _("Hoofdstuk van de methode")
        EIGEN = "eigen", _("Eigen hoofdstuk")
        BIJLAGE = "bijlage", _("Bijlage met eigen tekst")
        BIJLAGE_THEMAS = "bijlage_themas", _("Bijlage: overzicht van de veiligheidsthema's")
        BIJLAGE_UITVOERINGSPLAN = (
            "bijlage_uitvoeringsplan",
            _("Bijlage: het uitvoeringsplan van het eerste jaar"),
        )

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="hoofdstukken")
    nummer = models.PositiveSmallIntegerField(
        _("hoofdstuk van de methode"), choices=Nummer.choices, null=True, blank=True
    )
    soort = models.CharField(
        _("soort"), max_length=30, choices=Soort.choices, default=Soort.METHODE
    )
    titel = models.CharField(
        _("titel"),
        max_length=200,
        blank=True,
        help_text=_("Leeg: de titel van de methode."),
    )
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    sleutel = models.SlugField(
        _("verwijzing"),
        max_length=60,
        blank=True,
        help_text=_("Schrijf [[verwijzing]] in een tekst voor ‘hoofdstuk 3’."),
    )
    weggelaten = models.BooleanField(
        _("niet in het document"),
        default=False,
        help_text=_("Bv. de begroting als paragraaf van een ander hoofdstuk."),
    )
    tekst = models.TextField(_("tekst"), blank=True)
    rode_draden = models.JSONField(
        _("rode draden"),
        default=list,
        blank=True,
        help_text=_("Hoofdstuk 3: de overstijgende uitgangspunten, elk met titel en tekst."),
    )
    strategische_themas = models.JSONField(
        _("overkoepelende thema's"),
        default=list,
        blank=True,
        help_text=_("Codes van de doorsnijdende thema's die in dit hoofdstuk aan bod komen."),
    )
    vertrouwelijk = models.BooleanField(_("vertrouwelijk"), default=False)

    class Meta:
        verbose_name = _("hoofdstuk")
        verbose_name_plural = _("hoofdstukken")
        ordering = ["plan", "volgorde", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "nummer"],
                condition=models.Q(nummer__isnull=False),
                name="hoofdstuk_uniek_per_plan",
            )
        ]

    def __str__(self) -> str:
        return self.weergavetitel

    @property
    def weergavetitel(self) -> str:
        """The title as printed: the plan's own, or the method's."""
        if self.titel:
            return self.titel
        if self.nummer:
            return str(self.Nummer(self.nummer).label)
        return str(self.get_soort_display())

    @property
    def is_bijlage(self) -> bool:
        return self.soort.startswith("bijlage")


class Paragraaf(Versioned):
    """A numbered section of a chapter ("4.2 Partners") with its own title and text."""

    hoofdstuk = models.ForeignKey(Hoofdstuk, on_delete=models.CASCADE, related_name="paragrafen")
    titel = models.CharField(_("titel"), max_length=200)
    tekst = models.TextField(_("tekst"), blank=True)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    sleutel = models.SlugField(_("verwijzing"), max_length=60, blank=True)
    vertrouwelijk = models.BooleanField(_("vertrouwelijk"), default=False)

    class Meta:
        verbose_name = _("paragraaf")
        verbose_name_plural = _("paragrafen")
        ordering = ["hoofdstuk", "volgorde", "pk"]

    def __str__(self) -> str:
        return self.titel

    @property
    def plan(self):
        return self.hoofdstuk.plan


class Documentopmaak(Versioned):
    """How the plan's IVP document looks beyond its chapters: the subtitle on the cover and
    the headings of the fixed parts of a priority (empty: the text follows the priority's
    heading directly, as many plans write the explanation)."""

    plan = models.OneToOneField("plans.Plan", on_delete=models.CASCADE, related_name="opmaak")
    ondertitel = models.CharField(_("ondertitel"), max_length=300, blank=True)
    kop_waarom = models.CharField(
        _("kop boven ‘waarom een prioriteit’"),
        max_length=100,
        blank=True,
        default="Waarom een prioriteit",
    )
    kop_hoofdlijnen = models.CharField(
        _("kop boven de hoofdlijnen"),
        max_length=100,
        blank=True,
        default="Hoofdlijnen van de aanpak",
    )
    kop_flankerend = models.CharField(
        _("kop boven het flankerend beleid"),
        max_length=100,
        blank=True,
        default="Flankerend beleid",
    )
    kop_doel = models.CharField(
        _("kop boven de doelstelling"), max_length=100, blank=True, default="Doelstelling"
    )

    class Meta:
        verbose_name = _("opmaak van het IVP")
        verbose_name_plural = _("opmaak van het IVP")

    def __str__(self) -> str:
        return f"Opmaak {self.plan}"


class Effectindicator(Versioned):
    """An outcome measure with baseline and target: of the whole plan (chapter 2), of a
    priority (chapter 4) or of an ongoing theme (chapter 5)."""

    class Bron(models.TextChoices):
        POLITIE = "politie", _("Politie (geregistreerde criminaliteit)")
        VEILIGHEIDSMONITOR = "veiligheidsmonitor", _("Veiligheidsmonitor")
        GEMEENTE = "gemeente", _("Gemeente (eigen registratie)")
        ANDERS = "anders", _("Andere bron")

    class Eenheid(models.TextChoices):
        AANTAL = "aantal", _("aantal")
        PER_1000_INWONERS = "per_1000_inwoners", _("per 1.000 inwoners")
        PER_1000_WONINGEN = "per_1000_woningen", _("per 1.000 woningen")
        PROCENT = "procent", _("%")
        RAPPORTCIJFER = "rapportcijfer", _("rapportcijfer")

    class Richting(models.TextChoices):
        HOOGSTENS = "<=", _("≤ (hoogstens)")
        MINSTENS = ">=", _("≥ (minstens)")

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="effectindicatoren"
    )
    prioriteit = models.ForeignKey(
        Prioriteit, on_delete=models.CASCADE, null=True, blank=True, related_name="indicatoren"
    )
    overig_thema = models.ForeignKey(
        OverigThema, on_delete=models.CASCADE, null=True, blank=True, related_name="indicatoren"
    )
    naam = models.CharField(_("indicator"), max_length=300)
    bron = models.CharField(_("bron"), max_length=30, choices=Bron.choices)
    bron_toelichting = models.CharField(_("bron (toelichting)"), max_length=200, blank=True)
    eenheid = models.CharField(_("eenheid"), max_length=30, choices=Eenheid.choices)
    reeks = models.CharField(
        _("gekoppelde reeks"),
        max_length=120,
        blank=True,
        help_text=_("Bv. 47018NED|1.1.1 of thema:1.3: de uitgangswaarde komt uit de data."),
    )
    gemeente = models.CharField(_("gemeente"), max_length=10, blank=True)
    catalogus_id = models.CharField(_("uit de themabibliotheek"), max_length=20, blank=True)
    uitgangswaarde = models.FloatField(_("uitgangswaarde"), null=True, blank=True)
    uitgangsjaar = models.PositiveSmallIntegerField(_("jaar uitgangswaarde"), null=True, blank=True)
    uitgangswaarde_voorlopig = models.BooleanField(
        _("voorlopig cijfer"),
        default=False,
        help_text=_("Het cijfer van dat jaar was voorlopig toen het werd overgenomen: (v)."),
    )
    streefwaarde = models.FloatField(_("streefwaarde"), null=True, blank=True)
    streefjaar = models.PositiveSmallIntegerField(_("streefjaar"), null=True, blank=True)
    richting = models.CharField(
        _("richting"), max_length=2, choices=Richting.choices, default=Richting.HOOGSTENS
    )
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("effectindicator")
        verbose_name_plural = _("effectindicatoren")
        ordering = ["plan", "prioriteit", "overig_thema", "volgorde", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~(
                    models.Q(prioriteit__isnull=False) & models.Q(overig_thema__isnull=False)
                ),
                name="effectindicator_een_onderdeel",
            )
        ]

    def __str__(self) -> str:
        return self.naam

    @property
    def objectief(self) -> bool:
        return self.bron in (self.Bron.POLITIE, self.Bron.GEMEENTE)


class PlanVersie(models.Model):
    """A frozen copy of the IVP content. A concept may be frozen as adopted by the council
    on a date; edits after that go into the live content, the next version. Every frozen
    version stays readable and exportable (``inhoud`` is the plan's JSON export)."""

    class Status(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        TER_VASTSTELLING = "ter_vaststelling", _("Ter vaststelling aan de raad")
        VASTGESTELD = "vastgesteld", _("Vastgesteld")

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="versies")
    nummer = models.PositiveSmallIntegerField(_("versie"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    vastgesteld_op = models.DateField(_("vastgesteld door de raad op"), null=True, blank=True)
    toelichting = models.CharField(_("toelichting"), max_length=300, blank=True)
    inhoud = models.JSONField(_("inhoud"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("versie van het IVP")
        verbose_name_plural = _("versies van het IVP")
        ordering = ["plan", "-nummer"]
        constraints = [models.UniqueConstraint(fields=["plan", "nummer"], name="planversie_uniek")]

    def __str__(self) -> str:
        return f"versie {self.nummer} ({self.get_status_display()})"
