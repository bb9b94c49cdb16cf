"""Forms of the data pages: validate input only; the services do the work."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ivp.datasets.mapping import THEMA_CODES

OFFICIAL = "officieel"


def check_upload_size(upload) -> None:
    """Refuse a file above ``IVP_UPLOAD_MAX_MB`` before anything reads it."""
    limit = settings.IVP_UPLOAD_MAX_MB
    if upload is not None and upload.size > limit * 1024 * 1024:
        raise forms.ValidationError(
            _("Het bestand is groter dan %(mb)s MB; splits het of vraag de beheerder.")
            % {"mb": limit}
        )


class UploadForm(forms.Form):
    eigenaar = forms.ChoiceField(
        label=_("Cijfers van"),
        help_text=_(
            "Ingelezen cijfers zijn de eigen cijfers van deze gemeente: alleen zichtbaar voor "
            "de gemeente en haar plannen. Officiële CBS-cijfers veranderen er nooit door."
        ),
    )
    bestand = forms.FileField(
        label=_("Bestand"),
        help_text=_(
            "JSON van de CBS-API, een StatLine-download (CSV of Excel) of een bestand in het "
            "algemene formaat met de kolommen regio, periode, indicator en waarde (CSV of "
            "Excel). U ziet eerst wat er wordt opgeslagen."
        ),
    )
    tabel = forms.CharField(
        label=_("CBS-tabel"),
        required=False,
        max_length=20,
        help_text=_("Alleen nodig als ivp het niet zelf ziet, bijvoorbeeld 47018NED."),
    )
    bron = forms.CharField(
        label=_("Naam van de bron"),
        required=False,
        max_length=200,
        help_text=_(
            "Voor het algemene formaat: waar de cijfers vandaan komen, bijvoorbeeld "
            "‘Veiligheidsmonitor 2023’ of ‘Meldingen openbare ruimte gemeente’. Een kolom "
            "‘bron’ in het bestand gaat voor."
        ),
    )

    def __init__(self, *args, owners: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["eigenaar"].choices = owners
        self._only_owner = owners[0][0] if len(owners) == 1 else None
        if self._only_owner:
            self.fields["eigenaar"].initial = self._only_owner
            self.fields["eigenaar"].required = False

    def clean_eigenaar(self):
        return self.cleaned_data["eigenaar"] or self._only_owner

    def clean_bestand(self):
        upload = self.cleaned_data["bestand"]
        check_upload_size(upload)
        return upload

    def clean_tabel(self):
        value = self.cleaned_data["tabel"].strip().upper()
        if value and not re.fullmatch(r"\d{5}[A-Z]{3}", value):
            raise forms.ValidationError(_("Een CBS-tabel heet bijvoorbeeld 47018NED."))
        return value


class FetchForm(forms.Form):
    gemeente = forms.ChoiceField(label=_("Gemeente"))
    alle = forms.BooleanField(
        label=_("Alle gemeenten (alleen gemeenteniveau; duurt enkele minuten)"), required=False
    )

    def __init__(self, *args, choices: list[tuple[str, str]], allow_all: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].choices = choices
        if not allow_all:
            del self.fields["alle"]


class PlanMappingForm(forms.Form):
    code = forms.CharField(max_length=10, widget=forms.HiddenInput)
    hoofdthema = forms.ChoiceField(label=_("Hoofdthema"), required=False)
    ook = forms.MultipleChoiceField(
        label=_("Ook tonen bij"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    standaard = forms.BooleanField(label=_("Terug naar de standaardindeling"), required=False)
    toelichting = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, titles: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(c, f"{c} {titles.get(c, '')}".strip()) for c in THEMA_CODES]
        self.fields["hoofdthema"].choices = [("", _("geen thema (overig)"))] + choices
        self.fields["ook"].choices = choices

    def themes(self) -> list[str]:
        main = self.cleaned_data.get("hoofdthema") or ""
        extra = [t for t in self.cleaned_data.get("ook", []) if t != main]
        if not main and extra:
            raise forms.ValidationError(_("Kies een hoofdthema als u ook andere thema's kiest."))
        return ([main] if main else []) + extra
