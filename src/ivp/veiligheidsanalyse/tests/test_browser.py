"""Step 2 in a real browser: from the plan to the analysis, a text saved on field 1 (with
htmx, in place) is there after a reload."""

import pytest
from playwright.sync_api import expect

from ivp.veiligheidsanalyse import services
from ivp.veiligheidsanalyse.models import AnalyseTekst

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "wachtwoord-voor-tests"  # UserFactory's


def test_a_problem_text_for_theme_1_3_is_saved_and_kept(live_server, browser_page, bundle, plan):
    services._CACHE.clear()
    coordinator = plan.rollen.get(rol="coordinator").user
    page = browser_page
    page.goto(f"{live_server.url}/")
    page.get_by_label("Gebruikersnaam").fill(coordinator.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    page.get_by_role("link", name=plan.titel).click()
    page.get_by_role("link", name="Naar de veiligheidsanalyse").click()
    expect(page.get_by_role("heading", name="Stap 2: veiligheidsanalyse")).to_be_visible()
    assert page.locator(".ivp-va-card").count() == 22
    page.get_by_role("link", name="Veld 1 analyseren").click()
    veld_1 = page.get_by_role("heading", name="Veld 1: Veilige woon- en leefomgeving")
    expect(veld_1).to_be_visible()
    assert page.locator("#thema-1_3 svg").count() == 2  # the chart over the years, the funnel
    funnel = page.locator("#thema-1_3 .ivp-va-funnel")
    caption = funnel.locator("figcaption").inner_text()
    assert "binnen de gewone spreiding tussen gemeenten" in caption
    assert funnel.get_by_role("img").count() == 1  # the SVG, with its text alternative

    block = page.locator("#onderwerp-1_3")
    text = "Autokraak en fietsendiefstal rond het station nemen toe."
    block.get_by_label("Problematiek").fill(text)
    block.get_by_role("button", name="Opslaan").click()
    page.locator("#onderwerp-1_3 .ivp-alert--success").wait_for()  # swapped in place by htmx
    assert AnalyseTekst.objects.get(plan=plan, onderwerp="1.3").probleem == text

    page.reload()
    assert page.locator("#onderwerp-1_3").get_by_label("Problematiek").input_value() == text
