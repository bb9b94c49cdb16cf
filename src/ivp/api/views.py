"""The API root (a page for people, a list of endpoints for programs) and the pages where
a user creates and revokes their own API keys."""

from __future__ import annotations

from collections import OrderedDict

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rest_framework import permissions
from rest_framework.renderers import JSONRenderer, TemplateHTMLRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse as drf_reverse
from rest_framework.views import APIView

from ivp.api import tokens
from ivp.api.models import ApiToken


class ApiRoot(APIView):
    """The endpoints of the API. Open without a key: it holds no data."""

    permission_classes = [permissions.AllowAny]
    renderer_classes = [JSONRenderer, TemplateHTMLRenderer]
    template_name = "api/root.html"
    endpoints: dict[str, str] = {}

    def get(self, request, format=None):  # noqa: A002 - DRF's signature
        links = OrderedDict()
        for prefix, basename in self.endpoints.items():
            try:
                links[prefix] = drf_reverse(f"{basename}-list", request=request, format=format)
            except NoReverseMatch:
                continue
        data = {
            "naam": "ivp API",
            "versie": self.request_version(),
            "openapi": request.build_absolute_uri(reverse("api-openapi")),
            "endpoints": links,
        }
        if isinstance(request.accepted_renderer, TemplateHTMLRenderer):
            tokens_url = reverse("api_tokens:list")
            return Response({**data, "tokens_url": tokens_url, "links": links})
        return Response(data)

    @staticmethod
    def request_version() -> str:
        from django.conf import settings

        return settings.SPECTACULAR_SETTINGS["VERSION"]


class TokenForm(forms.Form):
    naam = forms.CharField(
        label=gettext_lazy("Naam"),
        max_length=100,
        help_text=gettext_lazy("Waarvoor u de sleutel gebruikt, bijvoorbeeld ‘Power BI’."),
    )
    verloopt_op = forms.DateField(
        label=gettext_lazy("Geldig tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leeg: geldig tot u de sleutel intrekt."),
    )


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_key = tokens.create_token(
                request.user,
                naam=form.cleaned_data["naam"],
                verloopt_op=form.cleaned_data["verloopt_op"],
            )
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": ApiToken.objects.filter(user=request.user),
            "today": timezone.localdate(),
        },
    )
    # The key is in this page only: never keep it in a cache.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.revoke_token(token, by=request.user)
    messages.success(
        request,
        _("De API-sleutel ‘%(naam)s’ is ingetrokken en werkt niet meer.") % {"naam": token.naam},
    )
    return redirect("api_tokens:list")
