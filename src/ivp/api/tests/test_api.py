"""The API as an integration meets it: over real HTTP (live server), with a personal API
key, Dutch problem responses and the API-Version header."""

from datetime import timedelta

import httpx
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ivp.api import tokens
from ivp.api.models import ApiToken
from ivp.api.pagination import CappedLimitOffsetPagination
from ivp.plans.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def get(live_server, path, key=None, headers=None):
    headers = {**(headers or {}), **({"Authorization": f"Bearer {key}"} if key else {})}
    return httpx.get(f"{live_server.url}{path}", headers=headers, timeout=30)


def test_a_key_reads_a_plan_and_is_refused_after_revocation(live_server, plan, coordinator):
    token, key = tokens.create_token(coordinator, naam="Power BI")
    response = get(live_server, f"/api/v1/plannen/{plan.pk}/", key)
    assert response.status_code == 200
    assert response.headers["API-Version"] == "1.0.0"
    assert response.json()["titel"] == plan.titel
    assert [s["nummer"] for s in response.json()["stappen"]] == [1, 2, 3, 4, 5, 6]
    assert ApiToken.objects.get(pk=token.pk).laatst_gebruikt_op is not None

    tokens.revoke_token(token, by=coordinator)
    refused = get(live_server, f"/api/v1/plannen/{plan.pk}/", key)
    assert refused.status_code == 401
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert refused.headers["API-Version"] == "1.0.0"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    problem = refused.json()
    assert problem["status"] == 401
    assert problem["title"] == "Niet ingelogd"
    assert "ingetrokken" in problem["detail"]
    assert problem["instance"] == f"/api/v1/plannen/{plan.pk}/"


def test_a_key_never_sees_what_its_user_may_not(live_server, plan, outsider):
    _token, key = tokens.create_token(outsider, naam="Partner")
    listing = get(live_server, "/api/v1/plannen/", key)
    assert listing.status_code == 200
    assert listing.json()["results"] == []
    hidden = get(live_server, f"/api/v1/plannen/{plan.pk}/", key)
    assert hidden.status_code == 404
    assert hidden.headers["Content-Type"] == "application/problem+json"
    assert hidden.json()["title"] == "Niet gevonden"


def test_a_key_of_an_inactive_user_or_past_its_date_is_refused(live_server, plan, coordinator):
    expired, expired_key = tokens.create_token(coordinator, naam="Oud")
    ApiToken.objects.filter(pk=expired.pk).update(
        verloopt_op=timezone.localdate() - timedelta(days=1)
    )
    assert get(live_server, "/api/v1/plannen/", expired_key).status_code == 401
    other = UserFactory(username="weg")
    _t, other_key = tokens.create_token(other, naam="X")
    other.is_active = False
    other.save()
    assert get(live_server, "/api/v1/plannen/", other_key).status_code == 401
    assert get(live_server, "/api/v1/plannen/", "ivp_bestaat-niet").status_code == 401


def test_errors_are_dutch_problem_documents_with_the_api_version(live_server, coordinator):
    _t, key = tokens.create_token(coordinator, naam="X")
    anonymous = get(live_server, "/api/v1/plannen/")
    assert anonymous.status_code == 401
    assert "API-sleutel" in anonymous.json()["detail"]

    unknown = get(live_server, "/api/v1/bestaat-niet/", key)
    assert unknown.status_code == 404
    assert unknown.headers["Content-Type"] == "application/problem+json"
    assert unknown.headers["API-Version"] == "1.0.0"
    assert unknown.json()["title"] == "Niet gevonden"

    write = httpx.post(
        f"{live_server.url}/api/v1/plannen/",
        headers={"Authorization": f"Bearer {key}"},
        json={"titel": "X"},
    )
    assert write.status_code == 405
    assert write.json()["title"] == "Methode niet toegestaan"
    assert "alleen te lezen" in write.json()["detail"]


def test_too_many_requests_get_429_with_retry_after(live_server, coordinator, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/minute"})
    cache.clear()
    _t, key = tokens.create_token(coordinator, naam="X")
    codes = [get(live_server, "/api/v1/plannen/", key).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    response = get(live_server, "/api/v1/plannen/", key)
    assert response.json()["title"] == "Te veel verzoeken"
    assert "seconden opnieuw" in response.json()["detail"]
    assert int(response.headers["Retry-After"]) > 0
    cache.clear()


def test_lists_are_paged_with_a_maximum():
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    request = Request(APIRequestFactory().get("/api/v1/plannen/?limit=100000"))
    assert CappedLimitOffsetPagination().get_limit(request) == settings.IVP_API_MAX_LIMIT
    request = Request(APIRequestFactory().get("/api/v1/plannen/"))
    assert CappedLimitOffsetPagination().get_limit(request) == 100


def test_the_openapi_document_describes_the_key(live_server, coordinator):
    # the document is for signed-in users and keys, like the API itself (issue 11)
    assert get(live_server, "/api/v1/openapi.json").status_code == 401
    _token, key = tokens.create_token(coordinator, naam="Documentatie")
    response = get(live_server, "/api/v1/openapi.json", key=key)
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["apiSleutel"]["scheme"] == "bearer"
    assert "/api/v1/plannen/" in document["paths"]


def test_the_api_root_is_a_dutch_page_for_people_and_json_for_programs(live_server, client):
    html = get(live_server, "/api/v1/", headers={"Accept": "text/html"})
    assert html.status_code == 200
    assert html.headers["API-Version"] == "1.0.0"
    page = html.text
    assert '<html lang="nl">' in page
    assert "API-sleutel" in page
    import re

    for button in re.findall(r"<button[^>]*>(.*?)</button>", page, re.S):
        assert re.sub(r"<[^>]+>", "", button).strip(), "a button without a name"
    data = get(live_server, "/api/v1/", headers={"Accept": "application/json"}).json()
    assert data["openapi"].endswith("/api/v1/openapi.json")
    assert data["endpoints"]["plannen"].endswith("/api/v1/plannen/")


def test_the_interface_links_to_the_api_and_the_keys(client, coordinator):
    client.force_login(coordinator)
    home = client.get(reverse("plans:home")).content.decode()
    assert f'href="{reverse("api-root")}"' in home
    assert f'href="{reverse("accounts:account")}"' in home
    account = client.get(reverse("accounts:account")).content.decode()
    assert f'href="{reverse("api_tokens:list")}"' in account


def test_a_key_is_shown_once_and_stored_as_a_hash(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("api_tokens:list"), {"naam": "Power BI"})
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    import re

    key = re.search(r'value="(ivp_[^"]+)"', page).group(1)
    token = ApiToken.objects.get(user=coordinator)
    assert key not in (token.key_hash, token.prefix)
    assert key not in client.get(reverse("api_tokens:list")).content.decode()
    assert tokens.user_for_key(key)[0] == coordinator

    client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert tokens.user_for_key(key) is None
    assert "ingetrokken" in client.get(reverse("api_tokens:list")).content.decode()


def test_nobody_revokes_someone_elses_key(client, coordinator, outsider):
    token, key = tokens.create_token(coordinator, naam="X")
    client.force_login(outsider)
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    assert tokens.user_for_key(key) is not None
