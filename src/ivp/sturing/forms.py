"""Forms of step 6. Views validate with these and call ``services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ivp.plans.versioning import VersionForm
from ivp.sturing.models import Rapportagecyclus, Realisatie, Voortgangsstatus
from ivp.sturing.periods import MONTHS


class VoortgangForm(VersionForm):
    """One form per measure: status, a short text, the date."""

    status = forms.ChoiceField(
        label=_("Stand"), choices=Voortgangsstatus.choices, widget=forms.RadioSelect
    )
    tekst = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat is er gebeurd, wat loopt er niet? Verplicht bij vertraagd of gestopt."),
    )
    datum = forms.DateField(
        label=_("Datum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leeg: vandaag."),
    )


class RealisatieForm(forms.Form):
    jaar = forms.IntegerField(label=_("Jaar"), min_value=2000, max_value=2100)
    waarde = forms.CharField(
        label=_("Waarde"), max_length=20, help_text=_("Bv. 6,8 (een rapportcijfer) of 23 (%).")
    )
    bron = forms.CharField(
        label=_("Bron"),
        max_length=300,
        help_text=_("Bv. ‘Veiligheidsmonitor 2025, CBS’ of ‘eigen registratie team OOV’."),
    )
    status = forms.ChoiceField(
        label=_("Status van het cijfer"),
        choices=Realisatie.Status.choices,
        initial=Realisatie.Status.DEFINITIEF,
        widget=forms.RadioSelect,
    )
    peildatum = forms.DateField(
        label=_("Publicatie- of peildatum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    toelichting = forms.CharField(label=_("Toelichting"), required=False, max_length=300)


class CyclusForm(VersionForm):
    frequentie = forms.ChoiceField(
        label=_("Frequentie van de voortgangsrapportage"),
        choices=Rapportagecyclus.Frequentie.choices,
        widget=forms.RadioSelect,
    )
    maanden = forms.TypedMultipleChoiceField(
        label=_("Maanden van het voortgangsoverleg"),
        coerce=int,
        choices=[(i + 1, name) for i, name in enumerate(MONTHS)],
        widget=forms.CheckboxSelectMultiple,
    )
    dag = forms.IntegerField(label=_("Dag van de maand"), min_value=1, max_value=28)
    herinnering_dagen = forms.IntegerField(
        label=_("Herinnering aan de bijdragers (dagen vooraf)"), min_value=1, max_value=60
    )


class PeriodeForm(forms.Form):
    periode = forms.CharField(
        label=_("Periode"),
        max_length=10,
        help_text=_("Een kwartaal (2027-Q2), een maand (2027-05) of een jaar (2027)."),
    )


class ConclusiesForm(VersionForm):
    conclusies = forms.CharField(
        label=_("Conclusies van de werkgroep"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class BesluitForm(VersionForm):
    besluit = forms.CharField(label=_("Besluit"), widget=forms.Textarea(attrs={"rows": 2}))
    nieuwe_maatregel = forms.CharField(
        label=_("Nieuwe maatregel"),
        required=False,
        max_length=300,
        help_text=_("Een titel: de maatregel komt in het lopende uitvoeringsplan."),
    )


class AgendapuntForm(forms.Form):
    titel = forms.CharField(label=_("Agendapunt"), max_length=300)
    toelichting = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ToewijzingForm(forms.Form):
    user = forms.ChoiceField(label=_("Bijdrager"))
