"""Access rules as a user meets them in the browser."""

import pytest
from django.urls import reverse

from ivp.plans.models import Rol

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_login(client, plan):
    for url in (reverse("plans:home"), reverse("plans:detail", args=[plan.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_home_page_lists_only_the_users_plans(client, plan, coordinator, outsider):
    client.force_login(coordinator)
    assert plan.titel in client.get(reverse("plans:home")).content.decode()
    client.force_login(outsider)
    page = client.get(reverse("plans:home")).content.decode()
    assert plan.titel not in page
    assert "nog geen plannen" in page


def test_a_user_of_another_municipality_gets_404(client, plan, outsider):
    client.force_login(outsider)
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plans:geschiedenis", args=[plan.pk])).status_code == 404
    response = client.post(
        reverse("plans:edit", args=[plan.pk]),
        {"titel": "Gekaapt", "periode_start": 2027, "periode_eind": 2030, "version": plan.version},
    )
    assert response.status_code == 404
    plan.refresh_from_db()
    assert plan.titel != "Gekaapt"


def test_the_plan_page_shows_the_six_steps_with_their_status(client, plan, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    for title in (
        "Opstart",
        "Veiligheidsanalyse",
        "Prioritering",
        "Integraal veiligheidsplan",
        "Uitvoeringsplan",
        "Van beleid naar uitvoering",
    ):
        assert title in page
    assert page.count("ivp-step--afgerond") == 1
    assert page.count("ivp-step--bezig") == 1


def test_a_viewer_cannot_edit(client, plan, make_member):
    viewer = make_member(Rol.LEZER)
    client.force_login(viewer)
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200
    assert client.get(reverse("plans:edit", args=[plan.pk])).status_code == 403
    response = client.post(
        reverse("plans:edit", args=[plan.pk]),
        {"titel": "Gekaapt", "periode_start": 2027, "periode_eind": 2030, "version": plan.version},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("plans:step_status", args=[plan.pk, 3]),
        {"status": "bezig", "huidige_status": "niet_gestart"},
    )
    plan.refresh_from_db()
    assert plan.titel != "Gekaapt"
    assert plan.stappen.get(nummer=3).status == "niet_gestart"
    assert (
        "Gegevens bewerken"
        not in client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    )


def test_an_organisation_member_without_a_role_reads_the_plan(client, plan, make_member):
    colleague = make_member("geen", username="collega")
    client.force_login(colleague)
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200
    assert client.get(reverse("plans:edit", args=[plan.pk])).status_code == 403


def test_the_coordinator_edits_and_the_history_shows_it(client, plan, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("plans:edit", args=[plan.pk]),
        {
            "titel": "IVP 2027–2030",
            "periode_start": 2027,
            "periode_eind": 2030,
            "toelichting": "Nieuw",
            "version": plan.version,
        },
    )
    assert response.status_code == 302
    history = client.get(reverse("plans:geschiedenis", args=[plan.pk])).content.decode()
    assert "IVP 2027–2030" in history
    assert coordinator.get_full_name() in history


def test_a_concurrent_edit_keeps_the_users_input_and_stores_nothing(client, plan, coordinator):
    client.force_login(coordinator)
    old_version = plan.version
    client.post(
        reverse("plans:edit", args=[plan.pk]),
        {"titel": "Versie A", "periode_start": 2027, "periode_eind": 2030, "version": old_version},
    )
    response = client.post(
        reverse("plans:edit", args=[plan.pk]),
        {
            "titel": "Versie B",
            "periode_start": 2027,
            "periode_eind": 2030,
            "toelichting": "Mijn lange tekst",
            "version": old_version,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "intussen gewijzigd" in page
    assert "Mijn lange tekst" in page  # the user's input is still in the form
    plan.refresh_from_db()
    assert plan.titel == "Versie A"


def test_form_errors_are_shown_next_to_the_field_in_dutch(client, plan, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("plans:edit", args=[plan.pk]),
        {"titel": "", "periode_start": 2030, "periode_eind": 2027, "version": plan.version},
    )
    page = response.content.decode()
    assert "Dit veld is vereist." in page
    assert "Het laatste jaar ligt vóór het eerste jaar." in page


def test_the_coordinator_moves_a_step_with_htmx(client, plan, coordinator):
    client.force_login(coordinator)
    url = reverse("plans:step_status", args=[plan.pk, 2])
    # step 2 has no analysis yet: finishing it first shows what is empty and asks
    response = client.post(
        url, {"status": "afgerond", "huidige_status": "bezig"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "Nog leeg:" in page and "de analyse van de werkgroep" in page
    assert "Toch afronden" in page
    assert plan.stappen.get(nummer=2).status == "bezig"
    response = client.post(
        url,
        {"status": "afgerond", "huidige_status": "bezig", "bevestigd": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="stap-2"' in response.content.decode()
    assert "ivp-step--afgerond" in response.content.decode()
    assert plan.stappen.get(nummer=2).status == "afgerond"


def test_the_api_lists_only_visible_plans(client, plan, coordinator, outsider):
    client.force_login(coordinator)
    data = client.get("/api/v1/plannen/").json()
    assert [p["titel"] for p in data["results"]] == [plan.titel]
    client.force_login(outsider)
    assert client.get("/api/v1/plannen/").json()["results"] == []
    assert client.get(f"/api/v1/plannen/{plan.pk}/").status_code == 404


def test_the_history_shows_status_labels_not_codes(client, plan, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("plans:geschiedenis", args=[plan.pk])).content.decode()
    assert "Niet gestart" in page and "Afgerond" in page
    assert "niet_gestart" not in page


def test_the_coordinator_plans_the_steps_from_the_handbooks_lead_times(client, plan, coordinator):
    client.force_login(coordinator)
    url = reverse("plans:planning", args=[plan.pk])
    proposal = client.post(
        url, {"version": plan.version, "voorstel_vanaf": "2027-01-04", "voorstel": ""}
    )
    page = proposal.content.decode()
    assert 'value="2027-02-14"' in page  # step 1 ends after six weeks
    assert plan.stappen.get(nummer=1).gepland_eind is None  # a proposal stores nothing
    data = {"version": plan.version, "stap_1_start": "2027-01-04", "stap_1_eind": "2027-02-14"}
    assert client.post(url, data).status_code == 302
    assert str(plan.stappen.get(nummer=1).gepland_eind) == "2027-02-14"
    assert plan.wijzigingen.first().actie == "planning gewijzigd"


def test_an_end_before_the_start_is_refused_with_a_message(client, plan, coordinator):
    client.force_login(coordinator)
    url = reverse("plans:planning", args=[plan.pk])
    data = {"version": plan.version, "stap_2_start": "2027-03-01", "stap_2_eind": "2027-02-01"}
    page = client.post(url, data).content.decode()
    assert "De einddatum ligt vóór de startdatum." in page
    assert plan.stappen.get(nummer=2).gepland_start is None
