from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from ivp.accounts.models import Lidmaatschap, Organisatie
from ivp.accounts.organisations import organisation_gemeenten
from ivp.areas.models import Gemeente


class LoginForm(AuthenticationForm):
    """Django's login form, with Dutch messages and the request passed to django-axes."""

    error_messages = {
        "invalid_login": _(
            "Gebruikersnaam of wachtwoord klopt niet. Let op hoofdletters en kleine letters."
        ),
        "inactive": _("Dit account is niet actief. Neem contact op met uw beheerder."),
    }


def _gemeenten_field(organisatie: Organisatie) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=organisation_gemeenten(organisatie).filter(actief=True),
        label=_("Gemeenten"),
        widget=forms.CheckboxSelectMultiple,
        required=not organisatie.alle_gemeenten,
        help_text=_("De gemeenten waarvoor deze persoon werkt: die plannen ziet hij of zij."),
        error_messages={"required": _("Kies ten minste één gemeente.")},
    )


class MemberFieldsMixin(forms.Form):
    rol = forms.ChoiceField(
        label=_("Rol in de organisatie"),
        choices=Lidmaatschap.Rol.choices,
        initial=Lidmaatschap.Rol.MEDEWERKER,
        widget=forms.RadioSelect,
        help_text=_(
            "Een medewerker ziet de plannen van zijn of haar gemeenten en krijgt rollen per "
            "plan; een coördinator mag ook zelf een plan starten."
        ),
    )
    beheerder = forms.BooleanField(
        label=_("Functioneel beheerder"),
        required=False,
        help_text=_("Mag mensen uitnodigen, gemeenten toewijzen en rollen per plan geven."),
    )

    def add_gemeenten(self, organisatie: Organisatie) -> None:
        self.fields["gemeenten"] = _gemeenten_field(organisatie)
        if organisatie.alle_gemeenten:
            del self.fields["gemeenten"]


class InviteForm(MemberFieldsMixin):
    email = forms.EmailField(label=_("E-mailadres"))
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    field_order = ["email", "first_name", "last_name", "rol", "gemeenten", "beheerder"]

    def __init__(self, *args, organisatie: Organisatie, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_gemeenten(organisatie)
        if "gemeenten" in self.fields:
            only = list(self.fields["gemeenten"].queryset[:2])
            if len(only) == 1:
                self.fields["gemeenten"].initial = only
        self.order_fields(self.field_order)


class MemberForm(MemberFieldsMixin):
    def __init__(self, *args, organisatie: Organisatie, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_gemeenten(organisatie)
        self.order_fields(["rol", "gemeenten", "beheerder"])


class OrganisationForm(forms.ModelForm):
    gemeenten = forms.ModelMultipleChoiceField(
        queryset=Gemeente.objects.filter(actief=True),
        label=_("Gemeenten"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Organisatie
        fields = ["naam", "soort", "gemeenten", "alle_gemeenten", "sso_code"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("gemeenten") and not cleaned.get("alle_gemeenten"):
            self.add_error("gemeenten", _("Kies ten minste één gemeente."))
        return cleaned


class InvitationPasswordForm(SetPasswordForm):
    """Django's form to choose a password (with the password rules), in Dutch."""

    error_messages = {
        "password_mismatch": _("De twee wachtwoorden zijn niet gelijk."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Nieuw wachtwoord")
        self.fields["new_password2"].label = _("Herhaal het nieuwe wachtwoord")
        self.fields["new_password2"].help_text = _("Ter controle nog een keer hetzelfde.")
