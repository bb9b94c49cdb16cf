"""The pattern page: every UI component of the stylesheet on one page."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


class PatternForm(forms.Form):
    titel = forms.CharField(label=_("Titel"), help_text=_("Een hulptekst bij het veld."))
    jaar = forms.IntegerField(label=_("Jaar"), required=False)
    keuze = forms.BooleanField(label=_("Een vinkje"), required=False)


@login_required
def patterns(request: HttpRequest) -> HttpResponse:
    form = PatternForm({"titel": "", "jaar": "twintig"})
    form.is_valid()
    return render(request, "web/patterns.html", {"form": form})
