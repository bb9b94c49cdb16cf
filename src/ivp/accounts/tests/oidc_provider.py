"""A small but real OpenID Connect provider for the tests, run in its own process:

    python -m ivp.accounts.tests.oidc_provider CONFIG.json

It serves the discovery document, a JWKS with a fresh RSA key, an authorization endpoint
with a login form (username, password; "Weigeren" answers ``access_denied``), a token
endpoint (client authentication by secret, one-time codes bound to the redirect URI,
PKCE S256) that signs ID tokens with joserfc, and a userinfo endpoint. It prints
``PORT <n>`` once it listens on 127.0.0.1.

CONFIG: ``{"client_id": …, "client_secret": …, "users": {username: {"password": …,
"sub": …, "claims": {…}}}}``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import sys
import time
from urllib.parse import parse_qsl, urlencode
from wsgiref.simple_server import WSGIRequestHandler, make_server

from joserfc import jwt
from joserfc.jwk import RSAKey

KEY = RSAKey.generate_key(2048, parameters={"kid": "test-key-1", "use": "sig", "alg": "RS256"})


class Provider:
    def __init__(self, config: dict, issuer: str) -> None:
        self.config = config
        self.issuer = issuer
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, str] = {}

    # -- helpers -------------------------------------------------------------------------

    @staticmethod
    def _json(start_response, data: dict, status: str = "200 OK", headers=()):
        body = json.dumps(data).encode()
        start_response(
            status,
            [("Content-Type", "application/json"), ("Cache-Control", "no-store"), *headers],
        )
        return [body]

    @staticmethod
    def _redirect(start_response, url: str):
        start_response("302 Found", [("Location", url)])
        return [b""]

    def _form(self, start_response, params: dict, error: str = ""):
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in params.items()
            if k not in ("username", "password", "action")
        )
        page = f"""<!DOCTYPE html><html lang="nl"><head><title>Testprovider</title></head>
<body><h1>Testprovider: inloggen</h1>{f'<p role="alert">{html.escape(error)}</p>' if error else ""}
<form method="post" action="/authorize">{hidden}
<label for="u">Gebruiker</label><input id="u" name="username">
<label for="p">Geheim</label><input id="p" name="password" type="password">
<button type="submit" name="action" value="login">Doorgaan</button>
<button type="submit" name="action" value="deny">Weigeren</button>
</form></body></html>"""
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [page.encode()]

    # -- endpoints -----------------------------------------------------------------------

    def __call__(self, environ, start_response):
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        if path == "/.well-known/openid-configuration":
            return self._json(start_response, self.discovery())
        if path == "/jwks":
            return self._json(start_response, {"keys": [KEY.as_dict(private=False)]})
        if path == "/authorize":
            if method == "GET":
                params = dict(parse_qsl(environ.get("QUERY_STRING", "")))
                if params.get("client_id") != self.config["client_id"]:
                    start_response("400 Bad Request", [("Content-Type", "text/plain")])
                    return [b"unknown client"]
                return self._form(start_response, params)
            return self.authorize(environ, start_response)
        if path == "/token" and method == "POST":
            return self.token(environ, start_response)
        if path == "/userinfo":
            return self.userinfo(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        }

    def authorize(self, environ, start_response):
        params = dict(parse_qsl(_body(environ)))
        redirect_uri, state = params.get("redirect_uri", ""), params.get("state", "")
        if params.get("action") == "deny":
            query = urlencode({"error": "access_denied", "state": state})
            return self._redirect(start_response, f"{redirect_uri}?{query}")
        user = self.config["users"].get(params.get("username", ""))
        if user is None or user["password"] != params.get("password"):
            return self._form(start_response, params, "Onbekende gebruiker of fout geheim.")
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "username": params["username"],
            "client_id": params.get("client_id"),
            "redirect_uri": redirect_uri,
            "nonce": params.get("nonce"),
            "challenge": params.get("code_challenge"),
            "method": params.get("code_challenge_method"),
            "expires": time.time() + 60,
        }
        return self._redirect(
            start_response, f"{redirect_uri}?{urlencode({'code': code, 'state': state})}"
        )

    def token(self, environ, start_response):
        form = dict(parse_qsl(_body(environ)))
        client_id, secret = form.get("client_id"), form.get("client_secret")
        auth = environ.get("HTTP_AUTHORIZATION", "")
        if auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        if client_id != self.config["client_id"] or secret != self.config["client_secret"]:
            return self._json(start_response, {"error": "invalid_client"}, "401 Unauthorized")
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if (
            form.get("grant_type") != "authorization_code"
            or grant is None
            or grant["expires"] < time.time()
            or grant["client_id"] != client_id
            or grant["redirect_uri"] != form.get("redirect_uri")
        ):
            return self._json(start_response, {"error": "invalid_grant"}, "400 Bad Request")
        if grant["challenge"]:
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode()).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if grant["method"] != "S256" or expected != grant["challenge"]:
                return self._json(start_response, {"error": "invalid_grant"}, "400 Bad Request")
        user = self.config["users"][grant["username"]]
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": user["sub"],
            "aud": client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **user.get("id_token_claims", {}),
        }
        id_token = jwt.encode({"alg": "RS256", "kid": "test-key-1"}, claims, KEY)
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = grant["username"]
        return self._json(
            start_response,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            },
        )

    def userinfo(self, environ, start_response):
        auth = environ.get("HTTP_AUTHORIZATION", "")
        username = self.access_tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        if username is None:
            return self._json(start_response, {"error": "invalid_token"}, "401 Unauthorized")
        user = self.config["users"][username]
        return self._json(start_response, {"sub": user["sub"], **user.get("claims", {})})


def _body(environ) -> str:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return environ["wsgi.input"].read(length).decode() if length else ""


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def main() -> None:
    with open(sys.argv[1]) as fp:
        config = json.load(fp)
    server = make_server("127.0.0.1", 0, lambda e, s: None, handler_class=_QuietHandler)
    issuer = f"http://127.0.0.1:{server.server_port}"
    server.set_app(Provider(config, issuer))
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
