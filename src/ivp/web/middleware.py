"""Dutch unless the user chose otherwise.

ivp's users are Dutch municipal staff; a browser that asks for English (as many managed
desktops do) would otherwise get Django's own texts in English beside ours in Dutch. The
language follows only the user's explicit choice (the language cookie set by the footer).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class IgnoreBrowserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
