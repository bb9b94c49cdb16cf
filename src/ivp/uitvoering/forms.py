"""Forms of step 5: a new or follow-up implementation plan, its texts, an item, a measure,
a pick from the theme library, a move and the XLSX upload. They only validate input; the
views call ``services``."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ivp.plans.versioning import VersionForm
from ivp.uitvoering.models import Maatregel, Uitvoeringsplan
from ivp.uitvoering.spreadsheet import parse_budget

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # 2 MB: a sheet of a few hundred measures is ~50 kB
PLANNING_DETAIL = (
    "planning_jaar",
    "planning_vervolg",
    "planning_kwartaal",
    "start",
    "eind",
    "planning_vrij",
)


def budget_input(value: Decimal | None) -> str:
    """An amount as the budget field shows it: no grouping, a decimal comma ("12500",
    "12500,50"), so that it reads back the same in every language."""
    if value is None:
        return ""
    text = f"{value:.2f}"
    if text.endswith(".00"):
        text = text[:-3]
    return text.replace(".", ",")


def partners_input(names: list[str]) -> str:
    return ", ".join(names)


class NieuwUitvoeringsplanForm(forms.Form):
    jaar = forms.TypedChoiceField(label=_("Jaar"), coerce=int)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jaar"].choices = [(y, str(y)) for y in years]
        if years:
            self.fields["jaar"].initial = years[0]


class VervolgForm(forms.Form):
    niet_overnemen = forms.BooleanField(
        label=_("afgeronde en vervallen maatregelen niet overnemen"),
        required=False,
        initial=True,
    )


class TekstenForm(VersionForm):
    """The texts and the adoption of one implementation plan."""

    status = forms.ChoiceField(label=_("Status"), choices=Uitvoeringsplan.Status.choices)
    vastgesteld_op = forms.DateField(
        label=_("Vastgesteld door het college op"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    hoofdlijn = forms.CharField(
        label=_("Hoofdlijn IVP"),
        help_text=_("De hoofdlijn van het IVP en de beleidscyclus."),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    terugblik = forms.CharField(
        label=_("Terugblik"),
        help_text=_("Wat is er vorig jaar bereikt? Bij een vervolgplan staat hier een voorzet."),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    begroting_toelichting = forms.CharField(
        label=_("Toelichting begroting"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    TEXTS = ("hoofdlijn", "terugblik", "begroting_toelichting")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Uitvoeringsplan.Status.VASTGESTELD and not cleaned.get(
            "vastgesteld_op"
        ):
            self.add_error(
                "vastgesteld_op", _("Geef de datum waarop het college het plan vaststelde.")
            )
        return cleaned

    def values(self) -> dict:
        data = self.cleaned_data
        values = {name: data[name] for name in self.TEXTS}
        values["status"] = data["status"]
        values["vastgesteld_op"] = (
            data["vastgesteld_op"] if data["status"] == Uitvoeringsplan.Status.VASTGESTELD else None
        )
        return values

    @classmethod
    def initial_for(cls, up: Uitvoeringsplan) -> dict:
        return {
            "version": up.version,
            "status": up.status,
            "vastgesteld_op": up.vastgesteld_op,
            **{name: getattr(up, name) for name in cls.TEXTS},
        }


class NieuwOnderdeelForm(forms.Form):
    titel = forms.CharField(
        label=_("Nieuw onderdeel"),
        max_length=200,
        error_messages={"required": _("Geef het onderdeel een titel.")},
        help_text=_("Bv. ‘Preventie’, ‘Daderaanpak’ of ‘Toezicht en handhaving’."),
    )
    eigenaar = forms.CharField(widget=forms.HiddenInput, max_length=40)


class OnderdeelForm(VersionForm):
    titel = forms.CharField(
        label=_("Titel van het onderdeel"),
        max_length=200,
        error_messages={"required": _("Geef het onderdeel een titel.")},
    )


class SnelMaatregelForm(forms.Form):
    """A new row with only its title; the rest is filled in by editing the row."""

    titel = forms.CharField(
        label=_("Nieuwe maatregel"),
        max_length=300,
        error_messages={"required": _("Geef de maatregel een titel.")},
    )


class CatalogusForm(forms.Form):
    catalogus_id = forms.ChoiceField(
        label=_("Maatregel uit de themabibliotheek"),
        error_messages={"required": _("Kies een maatregel uit de lijst.")},
    )

    def __init__(self, *args, offered: list[tuple[str, str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {}
        for code, text, where in offered:
            short = text if len(text) <= 110 else text[:107].rstrip() + "…"
            groups.setdefault(where, []).append((code, f"{code} · {short}"))
        self.fields["catalogus_id"].choices = [
            ("", _("— kies een maatregel —")),
            *groups.items(),
        ]


class VerplaatsForm(forms.Form):
    richting = forms.TypedChoiceField(
        choices=[("-1", "-1"), ("1", "1")], coerce=int, required=False, empty_value=None
    )
    naar = forms.TypedChoiceField(
        label=_("Verplaatsen naar onderdeel"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, items: list[tuple[str, list[tuple[int, str]]]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["naar"].choices = [("", "—"), *items]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("richting") is None and cleaned.get("naar") is None:
            raise forms.ValidationError(_("Kies omhoog, omlaag of een ander onderdeel."))
        return cleaned


class MaatregelForm(forms.Form):
    """All fields of a measure a user edits (the catalogue id and order stay as they are).
    Partners are text separated by ‘;’; the budget is an amount in Dutch notation."""

    titel = forms.CharField(
        label=_("Inzet/activiteit"),
        max_length=300,
        error_messages={"required": _("Geef de maatregel een titel.")},
    )
    subgroep = forms.CharField(
        label=_("Subgroep"),
        required=False,
        max_length=200,
        help_text=_("Optioneel: een kopje binnen het onderdeel, bv. ‘Risicobeheersing’."),
    )
    beschrijving = forms.CharField(
        label=_("Beschrijving"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    bestuurlijk_trekker = forms.CharField(
        label=_("Bestuurlijk trekker"), required=False, max_length=200
    )
    ambtelijk_trekker = forms.CharField(
        label=_("Ambtelijk trekker"), required=False, max_length=200
    )
    partners = forms.CharField(
        label=_("Partners"),
        required=False,
        max_length=2000,
        help_text=_(
            "Zoals het plan ze noemt, gescheiden door komma’s: bv. ‘OOV, politie, OM’. Of een "
            "partner intern of extern is, kunt u op de partnerlijst aangeven."
        ),
    )
    planning = forms.ChoiceField(label=_("Soort planning"), choices=Maatregel.Planning.choices)
    planning_jaar = forms.IntegerField(
        label=_("Jaar"), required=False, min_value=2000, max_value=2100
    )
    planning_vervolg = forms.BooleanField(label=_("en verder (e.v.)"), required=False)
    planning_kwartaal = forms.TypedChoiceField(
        label=_("Kwartaal"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), (1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")],
    )
    start = forms.DateField(
        label=_("Van"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    eind = forms.DateField(
        label=_("Tot"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    planning_vrij = forms.CharField(
        label=_("Eigen tekst"),
        required=False,
        max_length=200,
        help_text=_("Bv. ‘doorlopend, 2019 e.v.’ of ‘najaar, daarna jaarlijks’."),
    )
    prestatie_indicator = forms.CharField(
        label=_("Prestatie-indicator"), required=False, max_length=300
    )
    prestatie_doel = forms.CharField(label=_("Doel"), required=False, max_length=200)
    budget = forms.CharField(
        label=_("Budget (€)"),
        required=False,
        max_length=30,
        help_text=_("Bv. 12500 of 12.500,50"),
    )
    budget_bron = forms.CharField(label=_("Dekking"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=Maatregel.Status.choices)

    LEAD_FIELDS = ("bestuurlijk_trekker", "ambtelijk_trekker")
    PARTNER_FIELDS = ("partners",)
    PLANNING_FIELDS = ("planning", *PLANNING_DETAIL)
    RESULT_FIELDS = ("prestatie_indicator", "prestatie_doel")
    BUDGET_FIELDS = ("budget", "budget_bron")

    def __init__(self, *args, datalists: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, list_id in (datalists or {}).items():
            self.fields[name].widget.attrs["list"] = list_id
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_budget(self):
        try:
            return parse_budget(self.cleaned_data.get("budget"))
        except ValueError:
            raise forms.ValidationError(
                _("Schrijf een bedrag in euro’s, bv. 12500 of 12.500,50.")
            ) from None

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("planning")
        if kind == Maatregel.Planning.JAAR and not cleaned.get("planning_jaar"):
            self.add_error("planning_jaar", _("Vul het jaar in."))
        if kind == Maatregel.Planning.KWARTAAL:
            if not cleaned.get("planning_kwartaal"):
                self.add_error("planning_kwartaal", _("Kies het kwartaal."))
            if not cleaned.get("planning_jaar"):
                self.add_error("planning_jaar", _("Vul het jaar in."))
        if kind == Maatregel.Planning.PERIODE:
            for name in ("start", "eind"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Vul de datum in."))
            if cleaned.get("start") and cleaned.get("eind") and cleaned["eind"] < cleaned["start"]:
                self.add_error("eind", _("De einddatum ligt vóór de startdatum."))
        if kind == Maatregel.Planning.VRIJ and not (cleaned.get("planning_vrij") or "").strip():
            self.add_error("planning_vrij", _("Schrijf de planning zoals het plan haar noemt."))
        return cleaned

    def values(self) -> dict:
        """The fields for ``services.add_maatregel`` / ``update_part``; planning details
        that do not belong to the chosen kind of planning are cleared."""
        data = self.cleaned_data
        values = {name: data[name] for name in self.fields}
        kind = data["planning"]
        keep = {
            Maatregel.Planning.DOORLOPEND: (),
            Maatregel.Planning.JAAR: ("planning_jaar", "planning_vervolg"),
            Maatregel.Planning.KWARTAAL: ("planning_jaar", "planning_kwartaal"),
            Maatregel.Planning.PERIODE: ("start", "eind"),
            Maatregel.Planning.VRIJ: ("planning_vrij",),
        }[kind]
        for name in PLANNING_DETAIL:
            if name not in keep:
                values[name] = (
                    False if name == "planning_vervolg" else "" if name == "planning_vrij" else None
                )
        for name in (*self.LEAD_FIELDS, *self.RESULT_FIELDS, "budget_bron", "titel", "subgroep"):
            values[name] = (values[name] or "").strip()
        values["planning_vrij"] = (values.get("planning_vrij") or "").strip()
        return values

    @classmethod
    def initial_for(cls, measure: Maatregel) -> dict:
        initial = {name: getattr(measure, name) for name in cls.base_fields}
        initial["budget"] = budget_input(measure.budget)
        for name in cls.PARTNER_FIELDS:
            initial[name] = partners_input(getattr(measure, name))
        return initial


class MaatregelEditForm(MaatregelForm, VersionForm):
    """Editing a stored measure: with the version the user read."""

    def values(self) -> dict:
        values = super().values()
        values.pop("version", None)
        return values


class UploadForm(forms.Form):
    bestand = forms.FileField(
        label=_("Excel-bestand (.xlsx)"),
        help_text=_("Het bestand dat u uit ivp downloadde, aangevuld. Hoogstens 2 MB."),
        error_messages={
            "required": _("Kies een bestand."),
            "empty": _("Het bestand is leeg."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX_TYPE}),
    )

    def clean_bestand(self):
        upload = self.cleaned_data["bestand"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Het bestand is groter dan 2 MB. Laat plaatjes en extra tabbladen weg.")
            )
        return upload


class DoorvoerForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
