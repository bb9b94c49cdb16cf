"""Step 1 on its own page: the startnotitie's texts edited and used in the document, what is
still empty, and finishing a step only after seeing what it lacks."""

import pytest
from django.urls import reverse

from ivp.documents.startnotitie import build_startnotitie
from ivp.plans.factories import give_role
from ivp.plans.startnotitie import DEFAULT_ROL_RAAD

pytestmark = pytest.mark.django_db


def _headings(document) -> list[str]:
    return [section.title for section in document.sections]


def test_the_coordinator_edits_the_startnotitie_and_the_document_uses_it(client, plan, coordinator):
    client.force_login(coordinator)
    url = reverse("plans:stap1", args=[plan.pk])
    page = client.get(url).content.decode()
    # the standard texts are there to start from, the own texts are listed as empty
    assert "Stap 1: opstart en startnotitie" in page
    assert "De raad stelt de kaders" in page
    assert "startnotitie: capaciteit en middelen" in page
    assert "de samenstelling van de werkgroep" in page
    assert "Capaciteit en middelen" not in _headings(build_startnotitie(plan))

    response = client.post(
        url,
        {
            "version": plan.version,
            "startnotitie_producten": "Een startnotitie\nEen veiligheidsanalyse",
            "startnotitie_rol_raad": "De raad stelt het plan vast in december.",
            "startnotitie_capaciteit": "De coördinator besteedt er twee dagen per week aan.",
            "startnotitie_participatie": "",
            "startnotitie_samenhang": "Het jeugdbeleid.",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.startnotitie_capaciteit.startswith("De coördinator")
    document = build_startnotitie(plan)
    headings = _headings(document)
    assert "Capaciteit en middelen" in headings and "Samenhang met ander beleid" in headings
    assert "Betrekken van inwoners" not in headings  # empty: left out of the document
    products = next(s for s in document.sections if s.title == "Op te leveren producten")
    assert products.blocks[0].items == ("Een startnotitie", "Een veiligheidsanalyse")
    council = next(s for s in document.sections if s.title.startswith("Rol van de gemeenteraad"))
    assert [b.text for b in council.blocks] == ["De raad stelt het plan vast in december."]
    assert DEFAULT_ROL_RAAD.split("\n")[0] not in str(document)

    page = client.get(url).content.decode()
    assert "startnotitie: capaciteit en middelen" not in page
    assert "startnotitie: betrekken van inwoners" in page
    # the history names the field, not the column
    history = client.get(reverse("plans:geschiedenis", args=[plan.pk])).content.decode()
    assert "capaciteit en middelen" in history.lower()


def test_a_stale_startnotitie_save_keeps_the_input_and_stores_nothing(client, plan, coordinator):
    client.force_login(coordinator)
    url = reverse("plans:stap1", args=[plan.pk])
    stale = plan.version
    form = {
        "version": stale,
        "startnotitie_producten": "",
        "startnotitie_rol_raad": "",
        "startnotitie_capaciteit": "Eerst.",
        "startnotitie_participatie": "",
        "startnotitie_samenhang": "",
    }
    assert client.post(url, form).status_code == 302
    response = client.post(url, {**form, "startnotitie_capaciteit": "Later, op oude versie."})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders heeft dit plan intussen gewijzigd" in page
    assert "Later, op oude versie." in page
    plan.refresh_from_db()
    assert plan.startnotitie_capaciteit == "Eerst."


def test_a_reader_sees_the_texts_but_cannot_change_them(client, plan, make_member):
    reader = make_member("lezer")
    client.force_login(reader)
    url = reverse("plans:stap1", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "De raad stelt de kaders" in page
    assert "Startnotitie opslaan" not in page
    response = client.post(url, {"version": plan.version, "startnotitie_capaciteit": "X"})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.startnotitie_capaciteit == ""


def test_finishing_step_1_shows_what_is_empty_and_asks_first(client, plan, coordinator):
    give_role(plan, coordinator, "coordinator")
    client.force_login(coordinator)
    step = plan.stappen.get(nummer=1)
    step.status = "bezig"
    step.save()
    url = reverse("plans:step_status", args=[plan.pk, 1])
    # without htmx: a page with the list and the question
    response = client.post(url, {"status": "afgerond", "huidige_status": "bezig"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Stap 1 is nog niet compleet." in page and "de aanleiding" in page
    assert plan.stappen.get(nummer=1).status == "bezig"
    # "not yet": nothing changes
    client.post(url, {"status": "bezig", "huidige_status": "bezig", "bevestigd": "1"})
    assert plan.stappen.get(nummer=1).status == "bezig"
    # confirmed: finished
    response = client.post(url, {"status": "afgerond", "huidige_status": "bezig", "bevestigd": "1"})
    assert response.status_code == 302
    assert plan.stappen.get(nummer=1).status == "afgerond"


def test_the_plan_page_links_step_1(client, plan, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert reverse("plans:stap1", args=[plan.pk]) in page
