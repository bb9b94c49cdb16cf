"""Forms of steps 3 and 4: a priority, a cluster of ongoing themes, a chapter, the parts of a
priority or cluster, an effect indicator and a frozen version. They only validate input;
the views call ``services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ivp.beleidsplan.models import Effectindicator, Hoofdstuk, OverigThema, PlanVersie, Prioriteit
from ivp.plans.versioning import VersionForm

EXTRA_RODE_DRADEN = 2  # empty rows for own red threads below the stored ones
PART_TEXTS = ("waarom", "hoofdlijnen", "flankerend_beleid", "doel")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name).capitalize()


class PrioriteitForm(forms.Form):
    """Add or edit a priority: its title, themes and accents, and the reason when it is
    more than the method's maximum."""

    titel = forms.CharField(
        label=_("Titel"),
        max_length=200,
        help_text=_("Bv. ‘Woninginbraak en autokraak’ of ‘Ondermijning’."),
        error_messages={"required": _("Geef de prioriteit een titel.")},
    )
    themas = forms.MultipleChoiceField(
        label=_("Thema's"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies ten minste één thema."),
            "invalid_choice": _("Dit thema is al onderdeel van een andere prioriteit."),
        },
    )
    accenten = forms.CharField(
        label=_("Accenten"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Eén per regel: bv. een wijk, een doelgroep of een periode."),
    )
    waarom = forms.CharField(
        label=_("Waarom een prioriteit"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "De motivering van de werkgroep voor de raad; komt in de raadsinformatie en later "
            "bij deze prioriteit in het IVP."
        ),
    )
    reden_boven_maximum = forms.CharField(
        label=_("Reden voor meer dan vier prioriteiten"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # a joint plan only (``gemeente_choices``): shared or local, ambition, effect, actions
    gemeente = forms.ChoiceField(
        label=_("Gezamenlijk of lokaal"),
        required=False,
        help_text=_(
            "Gezamenlijk: voor alle gemeenten van het plan. Lokaal: alleen voor die gemeente "
            "(komt in het lokale hoofdstuk van haar document)."
        ),
    )
    ambitie = forms.CharField(
        label=_("Ambitie"), required=False, strip=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    beoogd_effect = forms.CharField(
        label=_("Beoogd effect"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    acties = forms.CharField(
        label=_("Acties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Eén actie per regel; begin een regel met ‘kort:’ of ‘lang:’ voor de termijn, "
            "bv. ‘kort: één meldroute voor alle gemeenten’."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(
        self,
        *args,
        theme_choices: list[tuple[str, str]],
        gemeente_choices: list[tuple[str, str]] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["themas"].choices = theme_choices
        self.joint = bool(gemeente_choices)
        if gemeente_choices:
            self.fields["gemeente"].choices = [
                ("", _("Gezamenlijk (alle gemeenten)")),
                *gemeente_choices,
            ]
        else:
            for name in ("gemeente", "ambitie", "beoogd_effect", "acties"):
                del self.fields[name]

    def accent_list(self) -> list[str]:
        return _lines(self.cleaned_data.get("accenten", ""))

    def joint_values(self, plan) -> dict:
        """The joint plan's fields for ``services`` (empty for a plan of one gemeente)."""
        if not self.joint:
            return {}
        from ivp.beleidsplan.joint import parse_acties

        code = self.cleaned_data.get("gemeente") or ""
        return {
            "gemeente": plan.gemeenten.filter(code=code).first() if code else None,
            "ambitie": self.cleaned_data.get("ambitie", ""),
            "beoogd_effect": self.cleaned_data.get("beoogd_effect", ""),
            "acties": parse_acties(self.cleaned_data.get("acties", "")),
        }


class NieuwClusterForm(forms.Form):
    titel = forms.CharField(
        label=_("Titel van het cluster"),
        max_length=200,
        error_messages={"required": _("Geef het cluster een titel.")},
    )


class ClusterForm(VersionForm):
    """The title and themes of one cluster of ongoing themes."""

    titel = forms.CharField(
        label=_("Titel"),
        max_length=200,
        error_messages={"required": _("Geef het cluster een titel.")},
    )
    themas = forms.MultipleChoiceField(
        label=_("Thema's"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, theme_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themas"].choices = theme_choices


class HoofdstukForm(VersionForm):
    """The text of one chapter, the cross-cutting strategic themes it deals with, whether
    it is confidential, and (chapter 3) the red threads: the stored ones, a few empty rows
    and the suggestions not taken yet."""

    titel = forms.CharField(
        label=_("Titel in het document"),
        required=False,
        max_length=200,
        help_text=_("Leeg: de titel van de methode. Bv. ‘Waar staan we nu?’"),
    )
    sleutel = forms.SlugField(
        label=_("Verwijzing"),
        required=False,
        max_length=60,
        help_text=_(
            "Schrijf [[verwijzing]] in een tekst; in het document staat dan ‘hoofdstuk 3’."
        ),
    )
    tekst = forms.CharField(
        label=_("Tekst"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Witregel: nieuwe alinea. ‘- ’ aan het begin: opsomming (twee spaties ervoor: een "
            "niveau dieper). **vet**, *cursief*, [[verwijzing]] naar een hoofdstuk of paragraaf."
        ),
    )
    strategische_themas = forms.MultipleChoiceField(
        label=_("Overkoepelende thema's in dit hoofdstuk"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    vertrouwelijk = forms.BooleanField(
        label=_("Vertrouwelijk (niet in de openbare versie)"), required=False
    )

    def __init__(
        self,
        *args,
        nummer: int | None,
        strategic_choices: list[tuple[str, str]],
        rode_draden: list[dict] | None = None,
        suggestions: tuple[tuple[str, str], ...] = (),
        **kwargs,
    ):
        kwargs.setdefault("prefix", f"h{nummer}")
        super().__init__(*args, **kwargs)
        self.nummer = nummer
        if nummer is None:
            self.fields["titel"].required = True
            self.fields["titel"].help_text = ""
            self.fields["titel"].error_messages["required"] = _("Geef het hoofdstuk een titel.")
        self.fields["strategische_themas"].choices = strategic_choices
        self.suggestions = dict(suggestions)
        self.row_count = 0
        if nummer in (Hoofdstuk.Nummer.PRIORITEITEN, Hoofdstuk.Nummer.OVERIGE_THEMAS):
            self.fields["tekst"].label = _("Inleiding")
            self.fields["tekst"].widget.attrs["rows"] = 4
        if nummer == Hoofdstuk.Nummer.UITGANGSSITUATIE:
            self.fields["tekst"].widget.attrs["rows"] = 14
        if nummer == Hoofdstuk.Nummer.STRATEGISCHE_UITGANGSPUNTEN:
            self.fields["tekst"].label = _("Inleiding")
            self.fields["tekst"].widget.attrs["rows"] = 4
            stored = list(rode_draden or [])
            if self.is_bound:
                # as many rows as were posted, so nothing the user typed is lost
                posted = [
                    k
                    for k in self.data
                    if k.startswith(self.add_prefix("draad_")) and "_titel" in k
                ]
                self.row_count = max(len(posted), len(stored) + EXTRA_RODE_DRADEN)
            else:
                self.row_count = len(stored) + EXTRA_RODE_DRADEN
            for i in range(self.row_count):
                row = stored[i] if i < len(stored) else {}
                self.fields[f"draad_{i}_titel"] = forms.CharField(
                    label=_("Titel"), required=False, max_length=200, initial=row.get("titel", "")
                )
                self.fields[f"draad_{i}_tekst"] = forms.CharField(
                    label=_("Tekst"),
                    required=False,
                    strip=False,
                    initial=row.get("tekst", ""),
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            taken = {str(r.get("titel", "")).strip().lower() for r in stored}
            open_suggestions = [(t, t) for t in self.suggestions if t.lower() not in taken]
            self.fields["suggesties"] = forms.MultipleChoiceField(
                label=_("Suggesties overnemen"),
                widget=forms.CheckboxSelectMultiple,
                required=False,
                choices=open_suggestions,
            )

    def rows(self):
        return [(self[f"draad_{i}_titel"], self[f"draad_{i}_tekst"]) for i in range(self.row_count)]

    def rode_draden(self) -> list[dict]:
        result = []
        for i in range(self.row_count):
            titel = (self.cleaned_data.get(f"draad_{i}_titel") or "").strip()
            tekst = (self.cleaned_data.get(f"draad_{i}_tekst") or "").strip()
            if titel or tekst:
                result.append({"titel": titel, "tekst": tekst})
        for titel in self.cleaned_data.get("suggesties", []):
            result.append({"titel": titel, "tekst": self.suggestions.get(titel, "")})
        return result

    def clean(self):
        cleaned = super().clean()
        for i in range(self.row_count):
            if (
                cleaned.get(f"draad_{i}_tekst", "").strip()
                and not (cleaned.get(f"draad_{i}_titel") or "").strip()
            ):
                self.add_error(f"draad_{i}_titel", _("Geef deze rode draad een titel."))
        return cleaned

    def values(self) -> dict:
        values = {
            "tekst": self.cleaned_data["tekst"],
            "strategische_themas": list(self.cleaned_data["strategische_themas"]),
            "vertrouwelijk": self.cleaned_data["vertrouwelijk"],
            "titel": (self.cleaned_data.get("titel") or "").strip(),
        }
        if self.cleaned_data.get("sleutel"):
            values["sleutel"] = self.cleaned_data["sleutel"]
        if self.nummer == Hoofdstuk.Nummer.STRATEGISCHE_UITGANGSPUNTEN:
            values["rode_draden"] = self.rode_draden()
        return values


class NieuwHoofdstukForm(forms.Form):
    """An own chapter (Inleiding, Voorwoord, Leeswijzer, …) or an annex."""

    titel = forms.CharField(
        label=_("Titel"),
        required=False,
        max_length=200,
        help_text=_("Bv. ‘Inleiding’, ‘Voorwoord’, ‘Leeswijzer’ of de titel van een bijlage."),
    )
    soort = forms.ChoiceField(
        label=_("Soort"),
        choices=[c for c in Hoofdstuk.Soort.choices if c[0] != Hoofdstuk.Soort.METHODE],
    )
    vooraan = forms.BooleanField(label=_("Vooraan in het document"), required=False)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("soort") in (Hoofdstuk.Soort.EIGEN, Hoofdstuk.Soort.BIJLAGE)
            and not (cleaned.get("titel") or "").strip()
        ):
            self.add_error("titel", _("Geef het hoofdstuk een titel."))
        return cleaned


class NieuweParagraafForm(forms.Form):
    titel = forms.CharField(
        label=_("Nieuwe paragraaf"),
        max_length=200,
        error_messages={"required": _("Geef de paragraaf een titel.")},
        help_text=_("Bv. ‘Partners’ of ‘Bovenlokaal beleid’."),
    )


class ParagraafForm(VersionForm):
    titel = forms.CharField(
        label=_("Titel"),
        max_length=200,
        error_messages={"required": _("Geef de paragraaf een titel.")},
    )
    tekst = forms.CharField(
        label=_("Tekst"), required=False, strip=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    sleutel = forms.SlugField(label=_("Verwijzing"), required=False, max_length=60)
    vertrouwelijk = forms.BooleanField(
        label=_("Vertrouwelijk (niet in de openbare versie)"), required=False
    )

    def values(self) -> dict:
        values = {
            "titel": self.cleaned_data["titel"],
            "tekst": self.cleaned_data["tekst"],
            "vertrouwelijk": self.cleaned_data["vertrouwelijk"],
        }
        if self.cleaned_data.get("sleutel"):
            values["sleutel"] = self.cleaned_data["sleutel"]
        return values


class OpmaakForm(VersionForm):
    """The cover's subtitle and the headings of the fixed parts of a priority."""

    ondertitel = forms.CharField(
        label=_("Ondertitel op het voorblad"),
        required=False,
        max_length=300,
        help_text=_("Bv. een motto: ‘de basis verstevigd, inwoners en ondernemers in positie’."),
    )
    kop_waarom = forms.CharField(
        label=_("Kop boven ‘waarom een prioriteit’"),
        required=False,
        max_length=100,
        help_text=_("Leeg: de tekst staat direct onder de titel van de prioriteit."),
    )
    kop_hoofdlijnen = forms.CharField(
        label=_("Kop boven de hoofdlijnen"), required=False, max_length=100
    )
    kop_flankerend = forms.CharField(
        label=_("Kop boven het flankerend beleid"), required=False, max_length=100
    )
    kop_doel = forms.CharField(label=_("Kop boven de doelstelling"), required=False, max_length=100)

    FIELDS = ("ondertitel", "kop_waarom", "kop_hoofdlijnen", "kop_flankerend", "kop_doel")

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class OnderdeelForm(VersionForm):
    """Chapter 4 or 5 for one priority or cluster: why, approach, flanking policy, goal."""

    waarom = forms.CharField(required=False, strip=False, widget=forms.Textarea(attrs={"rows": 4}))
    hoofdlijnen = forms.CharField(
        required=False, strip=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    flankerend_beleid = forms.CharField(
        required=False, strip=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    doel = forms.CharField(required=False, strip=False, widget=forms.Textarea(attrs={"rows": 3}))
    vertrouwelijk = forms.BooleanField(required=False)

    def __init__(self, *args, model: type[Prioriteit] | type[OverigThema], **kwargs):
        super().__init__(*args, **kwargs)
        for name in (*PART_TEXTS, "vertrouwelijk"):
            self.fields[name].label = _label(model, name)
        self.fields["vertrouwelijk"].label = _("Vertrouwelijk (niet in de openbare versie)")

    def text_fields(self):
        return [self[name] for name in PART_TEXTS]

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in (*PART_TEXTS, "vertrouwelijk")}


class IndicatorForm(forms.Form):
    """Add or edit an effect indicator. ``suggestions``: the catalogue's indicators of the
    part's themes, grouped per theme; ``series``: the plan's series with figures."""

    suggestie = forms.ChoiceField(
        label=_("Uit de themabibliotheek"),
        required=False,
        help_text=_("Vult naam en bron; of geef hieronder een eigen indicator."),
    )
    naam = forms.CharField(label=_("Indicator"), max_length=300)
    bron = forms.ChoiceField(label=_("Bron"), error_messages={"required": _("Kies een bron.")})
    bron_toelichting = forms.CharField(
        label=_("Bron (toelichting)"), required=False, max_length=200
    )
    eenheid = forms.ChoiceField(label=_("Eenheid"), choices=Effectindicator.Eenheid.choices)
    reeks = forms.ChoiceField(
        label=_("Gekoppelde reeks"),
        required=False,
        help_text=_(
            "Met een reeks komt de uitgangswaarde uit de cijfers en stelt ivp een doel voor."
        ),
    )
    uitgangswaarde = forms.FloatField(
        label=_("Uitgangswaarde"),
        required=False,
        localize=True,
        help_text=_("Leeg bij een reeks: uit de cijfers."),
    )
    uitgangsjaar = forms.IntegerField(
        label=_("Jaar uitgangswaarde"), required=False, min_value=1990, max_value=2100
    )
    richting = forms.ChoiceField(
        label=_("Richting"), choices=Effectindicator.Richting.choices, initial="<="
    )
    streefwaarde = forms.FloatField(label=_("Streefwaarde"), required=False, localize=True)
    streefjaar = forms.IntegerField(
        label=_("Streefjaar"), required=False, min_value=1990, max_value=2100
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(
        self,
        *args,
        suggestions: list | None = None,
        catalogue: dict | None = None,
        series: list | None = None,
        editing: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue or {}
        self.fields["bron"].choices = [("", _("— kies een bron —")), *Effectindicator.Bron.choices]
        self.fields["reeks"].choices = [("", _("— geen —")), *(series or [])]
        if suggestions and not editing:
            self.fields["suggestie"].choices = [("", _("— eigen indicator —")), *suggestions]
            self.fields["naam"].label = _("Of een eigen indicator")
            self.fields["naam"].error_messages["required"] = _(
                "Kies een indicator uit de themabibliotheek of geef een naam."
            )
            self._take_suggestion()
        else:
            del self.fields["suggestie"]
            self.fields["naam"].error_messages["required"] = _("Geef de indicator een naam.")

    def _take_suggestion(self) -> None:
        """A chosen catalogue indicator fills the name and source the user left empty (so
        the page shows them when the form comes back)."""
        if not self.is_bound:
            return
        chosen = self.catalogue.get(self.data.get(self.add_prefix("suggestie")) or "")
        if chosen is None:
            return
        data = self.data.copy()
        for name, value in (
            ("naam", chosen["tekst"]),
            ("bron", chosen["bron"]),
            ("bron_toelichting", chosen["bron_toelichting"]),
        ):
            if not (data.get(self.add_prefix(name)) or "").strip():
                data[self.add_prefix(name)] = value
        self.data = data

    def clean(self):
        cleaned = super().clean()
        chosen = self.catalogue.get(cleaned.get("suggestie") or "")
        if chosen is not None:
            cleaned["catalogus_id"] = chosen["id"]
        return cleaned

    def values(self) -> dict:
        data = self.cleaned_data
        values = {
            name: data.get(name)
            for name in (
                "bron_toelichting",
                "reeks",
                "uitgangswaarde",
                "uitgangsjaar",
                "streefwaarde",
                "streefjaar",
                "richting",
            )
        }
        values["bron_toelichting"] = values["bron_toelichting"] or ""
        values["reeks"] = values["reeks"] or ""
        if data.get("catalogus_id"):
            values["catalogus_id"] = data["catalogus_id"]
        return values


class VersieForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Vastleggen als"),
        widget=forms.RadioSelect,
        choices=[
            (PlanVersie.Status.CONCEPT, _("Concept")),
            (PlanVersie.Status.TER_VASTSTELLING, _("Ter vaststelling aan de raad")),
            (PlanVersie.Status.VASTGESTELD, _("Vastgesteld door de raad")),
        ],
        initial=PlanVersie.Status.CONCEPT,
    )
    vastgesteld_op = forms.DateField(
        label=_("Vastgesteld door de raad op"),
        required=False,
        help_text=_("Alleen bij ‘Vastgesteld door de raad’."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    toelichting = forms.CharField(label=_("Toelichting"), required=False, max_length=300)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == PlanVersie.Status.VASTGESTELD and not cleaned.get(
            "vastgesteld_op"
        ):
            self.add_error(
                "vastgesteld_op", _("Geef de datum waarop de raad het plan heeft vastgesteld.")
            )
        return cleaned
