"""The read-only catalogue API under /api/v1/catalogus/."""

from __future__ import annotations

import pytest

from ivp.catalogue import document
from ivp.catalogue.content_loader import shipped_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, reader):
    client.force_login(reader)
    return client


def test_login_required(client):
    # 401 with WWW-Authenticate: the API asks for an API key (ADR 0016)
    response = client.get("/api/v1/catalogus/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_whole_catalogue_is_the_same_document_as_the_cli(api):
    response = api.get("/api/v1/catalogus/")
    assert response.status_code == 200
    assert response.json() == document.catalogue_document(shipped_catalogue())


def test_themes_and_lookup_by_code(api):
    themes = api.get("/api/v1/catalogus/themas/").json()
    assert [t["code"] for t in themes][:3] == ["1.1", "1.2", "1.3"]
    assert len(themes) == 22
    t31 = api.get("/api/v1/catalogus/themas/3.1/").json()
    assert t31["title"] == "Jeugdoverlast"
    assert "5.4" in t31["linked_from"]
    assert api.get("/api/v1/catalogus/themas/6.1/").status_code == 404


def test_aspects_strategic_themes_measures_indicators(api):
    assert len(api.get("/api/v1/catalogus/aanpakaspecten/").json()) == 6
    assert api.get("/api/v1/catalogus/aanpakaspecten/A1.5/").json()["title"] == (
        "Toezicht en handhaving"
    )
    assert api.get("/api/v1/catalogus/strategische-themas/zorg-en-veiligheid/").json()["title"] == (
        "Zorg en Veiligheid"
    )
    measure = api.get("/api/v1/catalogus/maatregelen/3.1-m02/").json()
    assert measure["text"] == "Groepsscan" and measure["theme"] == "3.1"
    assert api.get("/api/v1/catalogus/maatregelen/A1.4-m07/").json()["aspect"] == "A1.4"
    indicator = api.get("/api/v1/catalogus/indicatoren/1.4-i01/").json()
    assert indicator["source"] == "Veiligheidsmonitor"
    assert len(api.get("/api/v1/catalogus/maatregelen/").json()) == 243
    assert api.get("/api/v1/catalogus/indicatoren/9.9-i01/").status_code == 404


def test_read_only(api):
    assert api.post("/api/v1/catalogus/themas/", {}).status_code == 405


def test_openapi_schema_lists_the_endpoints(api):
    schema = api.get("/api/v1/schema/").content.decode()
    assert "/api/v1/catalogus/themas/{code}/" in schema
    assert "/api/v1/catalogus/maatregelen/{code}/" in schema
