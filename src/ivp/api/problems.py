"""Errors of the API as ``application/problem+json`` (RFC 9457) in Dutch: every status
(400, 401, 403, 404, 405, 429, 500 …) with ``title``, ``status``, ``detail`` and
``instance``; validation errors list the fields in ``invalid-params``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM_JSON = "application/problem+json"


def _titles() -> dict[int, str]:
    return {
        400: _("Ongeldig verzoek"),
        401: _("Niet ingelogd"),
        403: _("Geen toegang"),
        404: _("Niet gevonden"),
        405: _("Methode niet toegestaan"),
        406: _("Formaat niet beschikbaar"),
        415: _("Formaat van de invoer niet ondersteund"),
        429: _("Te veel verzoeken"),
        500: _("Interne fout"),
    }


def _details() -> dict[int, str]:
    return {
        401: _(
            "Geef een geldige API-sleutel mee in de kop ‘Authorization: Bearer <sleutel>’. "
            "Een sleutel maakt u op uw eigen pagina in ivp (Mijn account → API-sleutels)."
        ),
        403: _("U mag dit niet met uw rechten."),
        404: _("Dit adres bestaat niet, of u mag wat hier staat niet zien."),
        500: _("Er ging iets mis in ivp. Probeer het later opnieuw."),
    }


def problem(status_code: int, instance: str, detail: str | None = None, **extra) -> dict:
    return {
        "type": "about:blank",
        "title": _titles().get(status_code, _("Fout")),
        "status": status_code,
        "detail": detail or _details().get(status_code, ""),
        "instance": instance,
        **extra,
    }


def _flatten(detail, prefix: str = "") -> list[dict]:
    """DRF's nested validation errors as ``[{"name": …, "reason": …}]``."""
    params = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            params += _flatten(value, f"{prefix}.{name}".strip(".") if prefix else name)
    elif isinstance(detail, list):
        for value in detail:
            params += _flatten(value, prefix)
    else:
        params.append({"name": prefix, "reason": str(detail)})
    return params


def exception_handler(exc, context) -> Response | None:
    """DRF's exception handler, answering with a problem document."""
    response = drf_exception_handler(exc, context)
    request = context.get("request")
    instance = request.get_full_path() if request is not None else ""
    if response is None:
        return None  # a real server error: Django's handler500 below answers
    code = response.status_code
    extra = {}
    detail = None
    if isinstance(exc, exceptions.ValidationError):
        extra["invalid-params"] = _flatten(exc.detail)
        detail = _("De invoer is niet geldig; zie invalid-params.")
    elif isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        detail = _("Probeer het over %(seconden)s seconden opnieuw.") % {"seconden": wait}
    elif isinstance(exc, exceptions.AuthenticationFailed):
        detail = str(exc.detail)
    elif code == status.HTTP_401_UNAUTHORIZED:
        detail = _details()[401]
    elif isinstance(exc, exceptions.MethodNotAllowed):
        detail = _("Deze API is alleen te lezen; %(methode)s is hier niet toegestaan.") % {
            "methode": context["request"].method if request is not None else ""
        }
    elif code in (403, 404):
        detail = _details()[code]
    else:
        detail = str(getattr(exc, "detail", "")) or None
    return Response(
        problem(code, instance, detail, **extra),
        status=code,
        headers={
            k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")
        },
        content_type=PROBLEM_JSON,
    )


def _problem_response(request: HttpRequest, code: int) -> HttpResponse:
    return JsonResponse(
        problem(code, request.get_full_path()),
        status=code,
        content_type=PROBLEM_JSON,
        json_dumps_params={"ensure_ascii": False},
    )


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _problem_response(request, 404)
    return defaults.page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _problem_response(request, 500)
    return defaults.server_error(request)
