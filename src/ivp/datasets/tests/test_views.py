"""The data pages: overview with provenance, upload with preview and per-row problems,
the mapping (default and per plan), a gemeente's figures, fetching (offline)."""

import pytest
from django.urls import reverse

from ivp.datasets import services
from ivp.datasets.models import ImportRun, Observation, PlanMapping
from ivp.datasets.tests.helpers import offline_transport
from ivp.plans.factories import UserFactory, give_role

pytestmark = pytest.mark.django_db

GOOD = "regio;periode;indicator;waarde\nGM0796;2017;E35 Melding overlast jeugd;912\n"
BAD = GOOD + "GM0796;2018;E35 Melding overlast jeugd;twaalf\n"


@pytest.fixture
def coordinator_client(client, plan, coordinator):
    client.force_login(coordinator)
    return client


def test_overview_shows_provenance(bundle, coordinator_client):
    page = coordinator_client.get(reverse("datasets:index")).content.decode()
    assert "47018NED" in page and "Bron: CBS / Politie" in page
    # the total is bundled now (two sources); what is missing still says so
    assert "Het totaal van alle misdrijven (0.0.0) ontbreekt" not in page
    assert "83648NED" in page and "ontbreekt" in page


def test_the_gemeente_page_shows_the_total_with_its_sources(bundle, coordinator_client):
    page = coordinator_client.get(reverse("datasets:gemeente", args=["GM0796"])).content.decode()
    assert "Totaal misdrijven" in page and "8.954" in page and "9.935" in page
    note = page[page.index('id="totaal-bronnen"') :][:700]
    assert "2012–2020 83648NED" in note and "2022–2024 47013NED" in note
    assert "breuk" in note


def test_upload_preview_then_store(bundle, coordinator_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    count = Observation.objects.count()
    response = coordinator_client.post(
        reverse("datasets:upload"),
        {"bestand": SimpleUploadedFile("jeugd.csv", GOOD.encode()), "bron": "Politie basisteam"},
    )
    run = ImportRun.objects.latest("pk")
    assert response.status_code == 302 and run.status == ImportRun.Status.PREVIEW
    preview = coordinator_client.get(reverse("datasets:run", args=[run.pk])).content.decode()
    assert "Voorbeeld: dit wordt opgeslagen" in preview and "912" in preview
    assert Observation.objects.count() == count
    coordinator_client.post(reverse("datasets:confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert Observation.objects.count() == count + 1
    assert not run.file


def test_upload_with_a_bad_row_shows_the_row(bundle, coordinator_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    count = Observation.objects.count()
    coordinator_client.post(
        reverse("datasets:upload"), {"bestand": SimpleUploadedFile("jeugd.csv", BAD.encode())}
    )
    run = ImportRun.objects.latest("pk")
    page = coordinator_client.get(reverse("datasets:run", args=[run.pk])).content.decode()
    assert "Er is niets opgeslagen" in page
    assert '<td class="ivp-num">3</td><td>waarde</td>' in page
    assert "Opslaan" not in page
    assert Observation.objects.count() == count


def test_reader_may_not_upload_or_fetch(client, plan):
    reader = give_role(plan, UserFactory(organisaties=[plan.gemeenten.first()]), "lezer")
    client.force_login(reader)
    assert client.get(reverse("datasets:upload")).status_code == 403
    assert client.get(reverse("datasets:fetch")).status_code == 403
    assert client.get(reverse("datasets:mapping")).status_code == 200


def test_fetch_offline_says_so(coordinator_client, monkeypatch):
    real = services.cbs_client.CbsClient
    monkeypatch.setattr(
        services.cbs_client,
        "CbsClient",
        lambda **kw: real(transport=offline_transport(), retries=0),
    )
    page = coordinator_client.post(
        reverse("datasets:fetch"), {"gemeente": "GM0796"}
    ).content.decode()
    assert "Ophalen is niet gelukt" in page
    assert "Geen verbinding met de open-data-API van het CBS" in page


def test_gemeente_page(bundle, coordinator_client):
    page = coordinator_client.get(reverse("datasets:gemeente", args=["GM0796"])).content.decode()
    assert "Oost-Brabant (RE09)" in page
    assert "1.2.1 Diefstal uit/vanaf motorvoertuigen" in page
    assert "8,2" in page  # car break-ins per 1,000 inhabitants in 2017
    assert "Ophalen bij het CBS" in page


def test_mapping_pages(coordinator_client, plan):
    page = coordinator_client.get(reverse("datasets:mapping")).content.decode()
    assert "2.5.2" in page and "Winkeldiefstal" in page and "High impact crime" in page
    url = reverse("datasets:plan_mapping", args=[plan.pk])
    form = coordinator_client.get(url + "?code=2.2.1").content.decode()
    assert "Thema&#x27;s van 2.2.1 in dit plan" in form or "2.2.1 in dit plan" in form
    coordinator_client.post(
        url, {"code": "2.2.1", "hoofdthema": "3.1", "toelichting": "vandalisme door jongeren"}
    )
    own = PlanMapping.objects.get(plan=plan, code="2.2.1")
    assert own.themes == ["3.1"]
    assert "eigen keuze" in coordinator_client.get(url).content.decode()


def test_api(bundle, coordinator_client):
    datasets = coordinator_client.get("/api/v1/datasets/").json()
    assert any(d["key"] == "47018NED" for d in datasets["results"])
    series = coordinator_client.get(
        "/api/v1/reeksen/?dataset=47018NED&soort_misdrijf=1.1.1"
    ).json()["results"]
    observations = coordinator_client.get(
        f"/api/v1/waarnemingen/?series={series[0]['id']}&region=GM0597&period=2016JJ00,2017JJ00,2018JJ00"
    ).json()["results"]
    assert [o["value"] for o in observations] == [138, 118, 89]
    assert observations[0]["status"] == "definitief"
    mapping = coordinator_client.get("/api/v1/indeling/").json()
    assert mapping["soort_misdrijf"]["1.1.1"]["themas"] == ["1.3"]
