from django import forms
from django.utils.translation import gettext_lazy as _

from ivp.accounts import plan_gemeenten_of
from ivp.areas.models import Gemeente
from ivp.plans.models import Plan, WerkgroepLid
from ivp.plans.versioning import VersionForm
from ivp.plans.workflow import StapStatus


class PlanForm(forms.ModelForm):
    """Edit the plan record. ``version`` carries the version the user read."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Plan
        fields = ["titel", "periode_start", "periode_eind", "toelichting"]
        widgets = {"toelichting": forms.Textarea(attrs={"rows": 8})}

    def clean(self):
        cleaned = super().clean()
        start, eind = cleaned.get("periode_start"), cleaned.get("periode_eind")
        if start and eind and eind < start:
            self.add_error("periode_eind", _("Het laatste jaar ligt vóór het eerste jaar."))
        return cleaned


class StartnotitieForm(forms.ModelForm):
    """The startnotitie's texts (step 1). ``version`` carries the plan version the user read."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Plan
        fields = [
            "startnotitie_producten",
            "startnotitie_rol_raad",
            "startnotitie_capaciteit",
            "startnotitie_participatie",
            "startnotitie_samenhang",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}


class NewPlanForm(forms.ModelForm):
    gemeenten = forms.ModelMultipleChoiceField(
        queryset=Gemeente.objects.none(),
        label=_("Gemeenten"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies ten minste één gemeente.")},
    )

    class Meta:
        model = Plan
        fields = ["titel", "gemeenten", "periode_start", "periode_eind", "toelichting"]
        widgets = {"toelichting": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeenten"].queryset = plan_gemeenten_of(user).filter(actief=True)
        if self.fields["gemeenten"].queryset.count() > 1:
            self.fields["gemeenten"].help_text = _(
                "Kies meer gemeenten voor een gezamenlijk plan (bijvoorbeeld de gemeenten "
                "van één basisteam)."
            )

    def clean(self):
        cleaned = super().clean()
        start, eind = cleaned.get("periode_start"), cleaned.get("periode_eind")
        if start and eind and eind < start:
            self.add_error("periode_eind", _("Het laatste jaar ligt vóór het eerste jaar."))
        return cleaned


class StapStatusForm(forms.Form):
    """A status change; ``bevestigd`` confirms finishing a step that still lacks parts."""

    status = forms.ChoiceField(choices=[(s.value, s.label) for s in StapStatus])
    huidige_status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in StapStatus], widget=forms.HiddenInput
    )
    bevestigd = forms.BooleanField(required=False, widget=forms.HiddenInput)


class WerkgroepLidForm(forms.ModelForm):
    class Meta:
        model = WerkgroepLid
        fields = ["naam", "organisatie", "functie", "email"]


class ReactieForm(forms.Form):
    onderwerp = forms.CharField(label=_("Onderwerp"), max_length=200)
    tekst = forms.CharField(label=_("Reactie"), widget=forms.Textarea(attrs={"rows": 4}))
    voorstel_tekst = forms.CharField(
        label=_("Voorgestelde tekst (optioneel)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    vertrouwelijk = forms.BooleanField(
        label=_("Vertrouwelijk (alleen voor de coördinator en redacteuren)"), required=False
    )

    def __init__(self, *args, confidential: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not confidential:  # only who reads confidential parts may write about them
            del self.fields["vertrouwelijk"]


class OpmerkingForm(forms.Form):
    """A comment on the plan or one of its parts (``over``: the part's key)."""

    over = forms.ChoiceField(label=_("Over"), required=False)
    tekst = forms.CharField(label=_("Reactie"), widget=forms.Textarea(attrs={"rows": 4}))
    vertrouwelijk = forms.BooleanField(
        label=_("Vertrouwelijk (alleen voor de coördinator en redacteuren)"), required=False
    )

    def __init__(self, *args, parts=(), confidential: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["over"].choices = [("", _("Het plan in het algemeen"))] + [
            (t.key, t.label) for t in parts
        ]
        if not confidential:
            del self.fields["vertrouwelijk"]


class VoorstelForm(forms.Form):
    """A proposed text for one text field of a part (``deel``: "<key>|<field>")."""

    deel = forms.ChoiceField(label=_("Tekst waarvoor u een voorstel doet"))
    voorstel = forms.CharField(
        label=_("Voorgestelde tekst"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "De hele tekst zoals u hem voorstelt; de coördinator ziet hem naast de huidige tekst."
        ),
    )
    toelichting = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, parts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deel"].choices = [("", "—")] + [
            (f"{t.key}|{name}", f"{t.label}: {label}")
            for t in parts
            for name, label in t.fields.items()
        ]


class MeldingVoorkeurForm(forms.Form):
    per_email = forms.BooleanField(
        label=_("Stuur mijn meldingen ook per e-mail"),
        required=False,
        help_text=_("Naar het e-mailadres van uw account."),
    )


class PlanningForm(VersionForm):
    """Planned start and end of each of the six steps, plus the version the user read."""

    voorstel_vanaf = forms.DateField(
        label=_("Voorstel maken vanaf"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Vul een startdatum in en kies ‘Voorstel maken’: ivp plant de stappen volgens "
            "de doorlooptijden van de handreiking."
        ),
    )

    def __init__(self, *args, stappen, **kwargs):
        super().__init__(*args, **kwargs)
        self.stappen = stappen
        for stap in stappen:
            for part, label in (("start", _("start")), ("eind", _("gereed"))):
                self.fields[f"stap_{stap.nummer}_{part}"] = forms.DateField(
                    label=f"{stap.nummer}. {stap.titel} — {label}",
                    required=False,
                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                )

    def rows(self):
        for stap in self.stappen:
            yield stap, self[f"stap_{stap.nummer}_start"], self[f"stap_{stap.nummer}_eind"]

    def clean(self):
        cleaned = super().clean()
        for stap in self.stappen:
            start = cleaned.get(f"stap_{stap.nummer}_start")
            end = cleaned.get(f"stap_{stap.nummer}_eind")
            if start and end and end < start:
                self.add_error(
                    f"stap_{stap.nummer}_eind", _("De einddatum ligt vóór de startdatum.")
                )
        return cleaned

    def dates(self) -> dict:
        return {
            stap.nummer: (
                self.cleaned_data.get(f"stap_{stap.nummer}_start"),
                self.cleaned_data.get(f"stap_{stap.nummer}_eind"),
            )
            for stap in self.stappen
        }
