"""Single sign-on against a real OpenID Connect provider in another process
(``oidc_provider.py``): the full authorization-code flow over HTTP, with ivp's own
backend, discovery, PKCE, signature, issuer and audience checks, and the mapping of claims
to organisation and role."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html import unescape

import httpx
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ivp.accounts import oidc
from ivp.accounts.factories import OrganisatieFactory, member_of
from ivp.accounts.models import ExterneIdentiteit, Lidmaatschap, User
from ivp.accounts.organisations import may_start_plans
from ivp.plans.factories import GemeenteFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT_ID, CLIENT_SECRET = "ivp-test", "geheim-van-de-test"
USERS = {
    "sanne": {
        "password": "s1",
        "sub": "sub-sanne",
        "claims": {
            "email": "sanne@example.org",
            "email_verified": True,
            "given_name": "Sanne",
            "family_name": "van Oss",
            "ivp_organisatie": "GM0796",
            "roles": ["ivp-coordinator"],
        },
    },
    "bert": {
        "password": "b1",
        "sub": "sub-bert",
        "claims": {
            "email": "bert@example.org",
            "ivp_organisatie": "GM0796",
            "roles": "ivp-beheerder",
        },
    },
    "vreemde": {
        "password": "v1",
        "sub": "sub-vreemde",
        "claims": {"email": "v@example.org", "ivp_organisatie": "GM9999"},
    },
    "genodigde": {
        "password": "g1",
        "sub": "sub-genodigde",
        "claims": {"email": "Genodigde@Example.org", "ivp_organisatie": "GM0796"},
    },
}


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    config = tmp_path_factory.mktemp("oidc") / "config.json"
    config.write_text(
        json.dumps({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "users": USERS})
    )
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "ivp.accounts.tests.oidc_provider", str(config)],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    assert line.startswith("PORT "), line
    yield f"http://127.0.0.1:{int(line.split()[1])}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def sso(settings, provider):
    settings.IVP_OIDC_ISSUER = provider
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.IVP_OIDC_ENABLED = True
    oidc._discovered.clear()
    bosch = GemeenteFactory()
    organisatie = OrganisatieFactory(naam="Gemeente 's-Hertogenbosch", sso_code="GM0796")
    organisatie.gemeenten.add(bosch)
    yield organisatie
    oidc._discovered.clear()


def login_via_provider(live_server, username: str, password: str, action: str = "login"):
    """Walk the authorization-code flow as a browser would; return the client and the
    last response (the page ivp shows after the callback)."""
    client = httpx.Client(timeout=30)
    start = client.get(f"{live_server.url}{reverse('oidc_authentication_init')}")
    assert start.status_code == 302
    authorize = start.headers["Location"]
    assert authorize.startswith(oidc.provider_metadata()["authorization_endpoint"])
    assert "code_challenge=" in authorize and "nonce=" in authorize
    form_page = client.get(authorize)
    assert form_page.status_code == 200
    hidden = dict(
        (unescape(n), unescape(v))
        for n, v in re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form_page.text)
    )
    back = client.post(
        authorize.split("?")[0],
        data={**hidden, "username": username, "password": password, "action": action},
    )
    assert back.status_code == 302
    callback = back.headers["Location"]
    assert callback.startswith(f"{live_server.url}/oidc/callback/")
    final = client.get(callback, follow_redirects=True)
    return client, final


def test_a_coordinator_logs_in_through_the_provider_and_may_start_plans(live_server, sso):
    client, page = login_via_provider(live_server, "sanne", "s1")
    assert page.status_code == 200
    assert page.url.path == reverse("plans:home")
    assert "Sanne van Oss" in page.text
    assert "Nieuw plan" in page.text

    user = User.objects.get(email="sanne@example.org")
    assert not user.has_usable_password()
    assert ExterneIdentiteit.objects.get(user=user).subject == "sub-sanne"
    lid = user.lidmaatschappen.get()
    assert (lid.organisatie, lid.rol, lid.beheerder) == (sso, "coordinator", False)
    assert may_start_plans(user)

    # a second login finds the same account
    login_via_provider(live_server, "sanne", "s1")
    assert User.objects.filter(email="sanne@example.org").count() == 1


def test_the_role_claim_sets_the_role_at_every_login(live_server, sso):
    login_via_provider(live_server, "bert", "b1")
    lid = Lidmaatschap.objects.get(user__email="bert@example.org")
    assert (lid.rol, lid.beheerder) == ("medewerker", True)
    lid.beheerder = False
    lid.rol = "coordinator"
    lid.save()
    login_via_provider(live_server, "bert", "b1")
    lid.refresh_from_db()
    assert (lid.rol, lid.beheerder) == ("medewerker", True)


def test_an_unknown_organisation_is_refused_with_a_dutch_message(live_server, sso):
    client, page = login_via_provider(live_server, "vreemde", "v1")
    assert page.url.path == reverse("accounts:login")
    assert "Uw organisatie is (nog) niet bekend in ivp" in page.text
    assert not User.objects.filter(email="v@example.org").exists()
    home = client.get(f"{live_server.url}/")
    assert home.status_code == 302
    assert home.headers["Location"].startswith(reverse("accounts:login"))


def test_an_invited_person_is_linked_not_duplicated(live_server, sso):
    invited = member_of(UserFactory(username="genodigde", email="genodigde@example.org"), [])
    Lidmaatschap.objects.create(user=invited, organisatie=sso)
    login_via_provider(live_server, "genodigde", "g1")
    assert User.objects.filter(email__iexact="genodigde@example.org").count() == 1
    assert ExterneIdentiteit.objects.get(subject="sub-genodigde").user == invited


def test_an_email_of_another_organisation_does_not_open_that_account(live_server, sso):
    other = OrganisatieFactory(naam="Politie Oost-Brabant", soort="politie")
    victim = UserFactory(username="slachtoffer", email="genodigde@example.org")
    Lidmaatschap.objects.create(user=victim, organisatie=other)
    _client, page = login_via_provider(live_server, "genodigde", "g1")
    assert "niet bij deze organisatie hoort" in page.text
    assert not ExterneIdentiteit.objects.filter(user=victim).exists()


def test_a_refusal_at_the_provider_ends_on_the_login_page(live_server, sso):
    _client, page = login_via_provider(live_server, "sanne", "s1", action="deny")
    assert page.url.path == reverse("accounts:login")
    assert "afgebroken" in page.text
    assert not User.objects.filter(email="sanne@example.org").exists()


def test_a_wrong_client_secret_logs_nobody_in(live_server, sso, settings):
    settings.OIDC_RP_CLIENT_SECRET = "fout"
    _client, page = login_via_provider(live_server, "sanne", "s1")
    assert page.url.path == reverse("accounts:login")
    assert "weigerde" in page.text
    assert not User.objects.filter(email="sanne@example.org").exists()


def test_id_tokens_of_another_issuer_or_client_are_refused(sso, settings):
    """The library checks signature, expiry and nonce; ivp adds issuer and audience."""
    import jwt as pyjwt
    from django.core.exceptions import SuspiciousOperation
    from joserfc import jwt

    from ivp.accounts.tests import oidc_provider

    backend = oidc.OIDCBackend()
    backend.retrieve_matching_jwk = lambda _token: pyjwt.PyJWK(
        oidc_provider.KEY.as_dict(private=False)
    )

    def token(**claims):
        base = {"iss": oidc.issuer(), "sub": "x", "aud": CLIENT_ID, "exp": 4102444800}
        return jwt.encode(
            {"alg": "RS256", "kid": "test-key-1"}, {**base, **claims}, oidc_provider.KEY
        )

    assert backend.verify_token(token(), nonce=None)["sub"] == "x"
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(token(aud="ander-client"), nonce=None)
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(token(iss="https://elders.example"), nonce=None)


def test_without_configuration_there_is_no_single_sign_on(client, settings):
    settings.IVP_OIDC_ENABLED = False
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert (
        "Inloggen via uw organisatie" not in client.get(reverse("accounts:login")).content.decode()
    )


def test_the_login_page_offers_single_sign_on_when_configured(client, sso):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Inloggen via uw organisatie" in page
    assert reverse("oidc_authentication_init") in page


@pytest.mark.browser
def test_single_sign_on_in_a_browser(live_server, sso, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_role("link", name="Inloggen via uw organisatie").click()
    page.get_by_role("heading", name="Testprovider: inloggen").wait_for()
    page.get_by_label("Gebruiker").fill("sanne")
    page.get_by_label("Geheim").fill("s1")
    page.get_by_role("button", name="Doorgaan").click()
    page.get_by_role("heading", name="Mijn plannen", level=1).wait_for()
    expect(page.get_by_role("link", name="Sanne van Oss")).to_be_visible()
    expect(page.get_by_role("link", name="Nieuw plan")).to_be_visible()
