"""``Authorization: Bearer <API-sleutel>``: the request acts as the key's user."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from ivp.api.tokens import user_for_key


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Geef precies één API-sleutel mee: Authorization: Bearer <sleutel>.")
            )
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("De API-sleutel is ongeldig.")) from None
        found = user_for_key(key)
        if found is None:
            raise exceptions.AuthenticationFailed(
                _("Deze API-sleutel is onbekend, ingetrokken of verlopen.")
            )
        return found

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="ivp"'
