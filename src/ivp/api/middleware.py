"""Every response under ``/api/`` carries the full version of the API (``API-Version``),
as the Dutch API design rules ask (also errors and unknown addresses)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ApiVersionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.version = settings.SPECTACULAR_SETTINGS["VERSION"]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            response["API-Version"] = self.version
        return response
