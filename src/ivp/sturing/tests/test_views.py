import pytest
from django.core import mail
from django.urls import reverse

from ivp.sturing import services as st
from ivp.sturing.models import Realisatie, Voortgangsupdate

pytestmark = pytest.mark.django_db


def test_the_plan_overview_links_step_6(running, client):
    client.force_login(running["c"])
    page = client.get(reverse("plans:detail", args=[running["plan"].pk])).content.decode()
    assert reverse("sturing:dashboard", args=[running["plan"].pk]) in page


def test_the_dashboard_shows_measures_and_indicators_but_confidential_only_to_editors(
    running, client, make_member
):
    plan = running["plan"]
    url = reverse("sturing:dashboard", args=[plan.pk])
    client.force_login(running["c"])
    page = client.get(url).content.decode()
    assert "Plan per jeugdgroep" in page and "Geheime toets vergunningen" in page
    assert "Rapportcijfer veiligheid in de buurt" in page and "nog geen meting" in page
    client.force_login(make_member("lezer"))
    page = client.get(url).content.decode()
    assert "Plan per jeugdgroep" in page and "Geheime toets vergunningen" not in page
    assert "Ondermijning" not in page


def test_an_outsider_gets_404(running, client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("sturing:dashboard", args=[running["plan"].pk])).status_code == 404
    assert client.get(reverse("sturing:mijn")).content.decode().count("ivp-st-card") == 0


def test_mijn_maatregelen_lists_only_the_assigned_measures_and_saves_in_one_form(running, client):
    plan, m = running["plan"], running["mine"]
    client.force_login(running["contributor"])
    page = client.get(reverse("sturing:mijn")).content.decode()
    assert "Plan per jeugdgroep" in page
    assert "Jongerenwerk in de avond" not in page and "Geheime toets" not in page
    url = reverse("sturing:bijwerken", args=[plan.pk, m.pk])
    data = {
        f"m{m.pk}-status": "vertraagd",
        f"m{m.pk}-tekst": "Wacht op de school",
        f"m{m.pk}-version": m.version,
    }
    answer = client.post(url, data, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Opgeslagen" in html and "Wacht op de school" in html and "<html" not in html
    [update] = Voortgangsupdate.objects.all()
    assert update.door == running["contributor"] and update.status == "vertraagd"
    # the same form again with the old version: refused, nothing stored
    again = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert "intussen opgeslagen" in again
    assert Voortgangsupdate.objects.count() == 1


def test_a_contributor_cannot_update_someone_elses_measure(running, client):
    plan, other = running["plan"], running["other"]
    client.force_login(running["contributor"])
    url = reverse("sturing:bijwerken", args=[plan.pk, other.pk])
    data = {f"m{other.pk}-status": "gereed", f"m{other.pk}-version": other.version}
    assert client.post(url, data).status_code == 403
    hidden = running["hidden"]
    url = reverse("sturing:bijwerken", args=[plan.pk, hidden.pk])
    assert client.post(url, {}).status_code == 404
    assert not Voortgangsupdate.objects.exists()


def test_a_delayed_status_without_text_gets_a_dutch_message(running, client):
    plan, m = running["plan"], running["mine"]
    client.force_login(running["contributor"])
    url = reverse("sturing:bijwerken", args=[plan.pk, m.pk])
    data = {f"m{m.pk}-status": "vertraagd", f"m{m.pk}-version": m.version}
    page = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert "Schrijf kort waarom" in page
    assert not Voortgangsupdate.objects.exists()


def test_the_coordinator_enters_a_realisation_and_a_contributor_may_not(running, client):
    plan, ind = running["plan"], running["indicator"]
    url = reverse("sturing:realisatie", args=[plan.pk, ind.pk])
    client.force_login(running["contributor"])
    assert client.get(url).status_code == 403
    client.force_login(running["c"])
    bad = client.post(url, {"jaar": 2025, "waarde": "twaalf", "bron": "VM", "status": "definitief"})
    assert "Geef de waarde als getal" in bad.content.decode()
    assert not Realisatie.objects.exists()
    data = {"jaar": 2025, "waarde": "7,1", "bron": "Veiligheidsmonitor 2025", "status": "voorlopig"}
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("sturing:dashboard", args=[plan.pk])).content.decode()
    assert "7,1" in page and "Veiligheidsmonitor 2025" in page


def test_report_pages_send_and_download_as_sent(running, client):
    plan, c = running["plan"], running["c"]
    code = f"{plan.periode_start}-Q1"
    client.force_login(c)
    answer = client.post(
        reverse("sturing:rapportages", args=[plan.pk]),
        {"soort": "voortgangsrapportage", "periode": code},
    )
    detail = reverse("sturing:rapport", args=[plan.pk, "voortgangsrapportage", code])
    assert answer.url == detail
    page = client.get(detail).content.decode()
    assert f"?periode={code}" in page and "Verzenden en vastleggen" in page
    report = st.report(plan, "voortgangsrapportage", code)
    malformed = client.post(detail, {"actie": "verzenden", "version": "abc"})
    assert malformed.status_code == 200 and "intussen opgeslagen" in malformed.content.decode()
    client.post(detail, {"actie": "verzenden", "version": report.version})
    report.refresh_from_db()
    assert report.status == "verzonden" and report.inhoud["period"]["code"] == code
    assert "Verzonden op" in client.get(detail).content.decode()
    bad = client.post(
        reverse("sturing:rapportages", args=[plan.pk]), {"soort": "x", "periode": "1999"}
    )
    assert "Kies een soort en een periode" in bad.content.decode()


def test_the_overleg_page_puts_knelpunten_on_the_agenda_and_records_a_decision(running, client):
    plan, c, m = running["plan"], running["c"], running["mine"]
    st.record_update(m, by=c, expected_version=m.version, status="vertraagd", tekst="Geen ruimte")
    code = f"{plan.periode_start}-Q1"
    url = reverse("sturing:overleg", args=[plan.pk, code])
    client.force_login(c)
    client.post(url, {"actie": "voorbereiden"})
    point = plan.overlegpunten.get()
    client.post(
        url,
        {"actie": "besluit", "punt": point.pk, f"p{point.pk}-besluit": "Extra uren",
         f"p{point.pk}-version": point.version},
    )  # fmt: skip
    point.refresh_from_db()
    assert point.besluit == "Extra uren"
    assert "Extra uren" in client.get(url).content.decode()
    assert client.get(reverse("sturing:overleg", args=[plan.pk, "1999-Q1"])).status_code == 404


def test_the_cycle_form_refuses_bad_input_and_changes_nothing(running, client):
    plan = running["plan"]
    client.force_login(running["c"])
    cycle = st.cycle(plan)
    url = reverse("sturing:cyclus", args=[plan.pk])
    page = client.post(
        url,
        {"frequentie": "kwartaal", "dag": 40, "herinnering_dagen": 14, "version": cycle.version},
    ).content.decode()
    assert "ivp-field__error" in page
    cycle.refresh_from_db()
    assert cycle.maanden == [3, 6, 9, 12] and cycle.version == 1


def test_reminders_go_once_before_the_meeting_with_a_link_to_mijn_maatregelen(running, settings):
    from datetime import date

    from ivp.sturing.reminders import send_due

    settings.IVP_BASE_URL = "https://ivp.example.org"
    plan = running["plan"]
    meeting = date(plan.periode_start, 3, 15)
    assert send_due(date(plan.periode_start, 2, 1)) == 0  # too early
    assert send_due(date(plan.periode_start, 3, 5)) == 1
    [message] = mail.outbox
    assert message.to == ["bea@example.org"]
    assert "https://ivp.example.org/mijn-maatregelen/" in message.body
    assert "Plan per jeugdgroep" in message.body and "Geheime toets" not in message.body
    assert "15 maart" in message.subject
    assert send_due(date(plan.periode_start, 3, 6)) == 0  # once per meeting
    del meeting


def _hidden_version(page: str, name: str = "version") -> int:
    import re

    return int(re.search(rf'name="{name}" value="(\d+)"', page).group(1))


def test_a_stale_save_in_step_6_keeps_the_text_and_a_second_save_goes_through(running, client):
    """Cycle, decision and conclusions: someone else saved first. The page says so, keeps
    what was typed, and carries the stored version, so that saving again is a deliberate
    choice that succeeds (before, every retry was refused until the page was reloaded)."""
    plan, c, m = running["plan"], running["c"], running["mine"]
    client.force_login(c)

    cycle = st.cycle(plan)
    url = reverse("sturing:cyclus", args=[plan.pk])
    mine = {"frequentie": "kwartaal", "maanden": [2, 5, 8, 11], "dag": 12, "herinnering_dagen": 7}
    st.save_cycle(
        plan, by=c, expected_version=cycle.version, frequentie="kwartaal",
        maanden=[1, 4, 7, 10], dag=3, herinnering_dagen=14,
    )  # fmt: skip
    page = client.post(url, {**mine, "version": cycle.version}).content.decode()
    assert "intussen opgeslagen" in page and 'value="12"' in page
    assert "hieronder ziet u de andere versie" not in page  # the page shows only the form
    assert st.cycle(plan).dag == 3
    again = client.post(url, {**mine, "version": _hidden_version(page)})
    assert again.status_code == 302 and st.cycle(plan).dag == 12

    st.record_update(m, by=c, expected_version=m.version, status="vertraagd", tekst="Geen ruimte")
    code = f"{plan.periode_start}-Q1"
    url = reverse("sturing:overleg", args=[plan.pk, code])
    client.post(url, {"actie": "voorbereiden"})
    point = plan.overlegpunten.get()
    st.decide(point, by=c, expected_version=point.version, besluit="Eerst praten")
    field = f"p{point.pk}-version"
    data = {"actie": "besluit", "punt": point.pk, f"p{point.pk}-besluit": "Extra uren"}
    page = client.post(url, {**data, field: point.version}).content.decode()
    assert "intussen opgeslagen" in page and "Extra uren" in page
    point.refresh_from_db()
    assert point.besluit == "Eerst praten"
    again = client.post(url, {**data, field: _hidden_version(page, field)})
    point.refresh_from_db()
    assert again.status_code == 302 and point.besluit == "Extra uren"

    report = st.report(plan, "voortgangsrapportage", code)
    url = reverse("sturing:rapport", args=[plan.pk, "voortgangsrapportage", code])
    st.save_conclusies(report, by=c, expected_version=report.version, conclusies="Van een ander")
    page = client.post(url, {"conclusies": "Mijn conclusie", "version": report.version})
    page = page.content.decode()
    assert "intussen opgeslagen" in page and "Mijn conclusie" in page
    report.refresh_from_db()
    assert report.conclusies == "Van een ander"
    again = client.post(url, {"conclusies": "Mijn conclusie", "version": _hidden_version(page)})
    report.refresh_from_db()
    assert again.status_code == 302 and report.conclusies == "Mijn conclusie"
