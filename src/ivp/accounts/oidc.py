"""Single sign-on by OpenID Connect on top of mozilla-django-oidc (ADR 0015).

What ivp adds to the library:

- the provider's endpoints come from its discovery document
  (``<issuer>/.well-known/openid-configuration``), read on first use and kept an hour, so
  that only the issuer, client id and secret are configured;
- nothing happens (no settings read, no network) unless single sign-on is configured and
  the request is the callback: the backend sits in ``AUTHENTICATION_BACKENDS`` always;
- the ID token's issuer and audience are checked (the library checks signature, expiry
  and nonce only);
- who the person is in ivp (account, organisation, role) is decided by
  :func:`ivp.accounts.sso.sso_login`; a refusal is shown on the login page in Dutch.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView
from requests.exceptions import RequestException  # the HTTP client of mozilla-django-oidc

from ivp.accounts.sso import SsoRefused, sso_login

DISCOVERY_TTL = 3600
_discovered: dict[str, tuple[float, dict]] = {}
_lock = threading.Lock()


class DiscoveryError(Exception):
    pass


def issuer() -> str:
    return settings.IVP_OIDC_ISSUER.rstrip("/")


def provider_metadata() -> dict[str, Any]:
    """The provider's discovery document (cached for an hour)."""
    key = issuer()
    with _lock:
        cached = _discovered.get(key)
        if cached and time.monotonic() - cached[0] < DISCOVERY_TTL:
            return cached[1]
    try:
        response = httpx.get(f"{key}/.well-known/openid-configuration", timeout=10)
        response.raise_for_status()
        metadata = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise DiscoveryError(str(error)) from error
    if metadata.get("issuer", "").rstrip("/") != key:
        raise DiscoveryError(f"discovery document names issuer {metadata.get('issuer')!r}")
    with _lock:
        _discovered[key] = (time.monotonic(), metadata)
    return metadata


def _refuse(request: HttpRequest, message: str) -> None:
    if not getattr(request, "_ivp_sso_message", False):
        messages.error(request, message)
        request._ivp_sso_message = True


class OIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with discovery, issuer/audience checks and ivp's
    mapping of claims to account, organisation and role."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # no settings, no network
        self.UserModel = get_user_model()

    # The library reads these as attributes; here they come from settings and discovery.
    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:  # noqa: N802
        return provider_metadata()["token_endpoint"]

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:  # noqa: N802
        return provider_metadata()["userinfo_endpoint"]

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:  # noqa: N802
        return provider_metadata()["jwks_uri"]

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:  # noqa: N802
        return settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:  # noqa: N802
        return settings.OIDC_RP_CLIENT_SECRET

    @property
    def OIDC_RP_SIGN_ALGO(self) -> str:  # noqa: N802
        return settings.OIDC_RP_SIGN_ALGO

    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any):
        if (
            not settings.IVP_OIDC_ENABLED
            or request is None
            or request.path != reverse("oidc_authentication_callback")
        ):
            return None
        try:
            return super().authenticate(request, **kwargs)
        except DiscoveryError as error:
            _refuse(
                request, _("De identity provider is niet bereikbaar: %(fout)s") % {"fout": error}
            )
        except RequestException:
            _refuse(request, _("De identity provider weigerde de inlogcode of is niet bereikbaar."))
        except SuspiciousOperation:
            _refuse(request, _("Het antwoord van de identity provider klopt niet."))
        return None

    def verify_token(self, token: str, **kwargs: Any) -> dict:
        payload = super().verify_token(token, **kwargs)
        if str(payload.get("iss", "")).rstrip("/") != issuer():
            raise SuspiciousOperation("ID token from another issuer")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") and userinfo["sub"] != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about another subject")
        try:
            return sso_login(issuer(), {**payload, **userinfo})
        except SsoRefused as refusal:
            _refuse(self.request, str(refusal))
            return None


class AuthenticationRequestView(OIDCAuthenticationRequestView):
    """Send the browser to the provider (404 when single sign-on is not configured)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.IVP_OIDC_ENABLED:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_metadata()["authorization_endpoint"]
        except (DiscoveryError, KeyError) as error:
            _refuse(
                request,
                _("De identity provider is niet bereikbaar: %(fout)s") % {"fout": error},
            )
            return HttpResponseRedirect(reverse("accounts:login"))
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here; a failed login ends on the login page
    with a message."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.IVP_OIDC_ENABLED:
            raise Http404
        return super().get(request)

    def login_failure(self) -> HttpResponse:
        if self.request.GET.get("error") == "access_denied":
            _refuse(self.request, _("Inloggen via uw organisatie is afgebroken."))
        _refuse(self.request, _("Inloggen via uw organisatie is niet gelukt."))
        return super().login_failure()
