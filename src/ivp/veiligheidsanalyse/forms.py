"""Forms of step 2: the answers for one subject, the reference year and the decision on a
priority candidate. They only validate input; the views call ``services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ivp.plans.versioning import VersionForm
from ivp.veiligheidsanalyse.models import AnalyseTekst, Besluit, Oordeel, Vergelijking
from ivp.veiligheidsanalyse.services import Onderwerp

TEXTAREA_ROWS = {"probleem": 5, "huidige_aanpak": 5, "extra": 5, "conclusie": 6}


def slug(onderwerp: str) -> str:
    """An id-safe form of a subject code: "1.3" → "1_3", "A1.4" → "a1_4", "V1" → "v1"."""
    return onderwerp.lower().replace(".", "_")


class TekstForm(VersionForm):
    """The questions asked about one subject (``Onderwerp.vragen``), plus the version the
    user read. Several of these forms stand on one page, each with its own prefix."""

    def __init__(self, *args, onderwerp: Onderwerp, **kwargs):
        kwargs.setdefault("prefix", f"o{slug(onderwerp.code)}")
        super().__init__(*args, **kwargs)
        self.onderwerp = onderwerp
        for name in onderwerp.vragen:
            model_field = AnalyseTekst._meta.get_field(name)
            if name == "oordeel":
                self.fields[name] = forms.ChoiceField(
                    label=_("Oordeel van de werkgroep"),
                    choices=Oordeel.choices,
                    required=False,
                )
            else:
                self.fields[name] = forms.CharField(
                    label=str(model_field.verbose_name).capitalize(),
                    help_text=model_field.help_text,
                    required=False,
                    strip=False,
                    widget=forms.Textarea(attrs={"rows": TEXTAREA_ROWS.get(name, 4)}),
                )

    def text_fields(self):
        return [self[name] for name in self.onderwerp.vragen]

    def values(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.onderwerp.vragen}


class PeiljaarForm(forms.Form):
    peiljaar = forms.TypedChoiceField(
        label=_("Peiljaar"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Het jaar waarop de analyse zich richt; leeg: het laatste jaar met cijfers."),
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peiljaar"].choices = [
            ("", _("Laatste jaar")),
            *[(str(y), str(y)) for y in sorted(years, reverse=True)],
        ]


class BesluitForm(forms.Form):
    sleutel = forms.CharField(widget=forms.HiddenInput, max_length=40)
    gemeente = forms.CharField(widget=forms.HiddenInput, max_length=10)
    besluit = forms.ChoiceField(
        choices=[*Besluit.choices, ("intrekken", _("Besluit intrekken"))],
        error_messages={"required": _("Kies aanvaarden of afwijzen.")},
    )
    toelichting = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VergelijkingForm(forms.Form):
    """The choice of comparison group; ``gemeenten`` only for an own selection."""

    soort = forms.ChoiceField(
        label=_("Vergelijken met"),
        choices=Vergelijking.choices,
        widget=forms.RadioSelect,
    )
    gemeenten = forms.MultipleChoiceField(
        label=_("Eigen selectie"),
        required=False,
        help_text=_("Houd Ctrl (of Cmd) ingedrukt om meer gemeenten te kiezen; ten minste vijf."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, gemeenten: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeenten"].choices = gemeenten
