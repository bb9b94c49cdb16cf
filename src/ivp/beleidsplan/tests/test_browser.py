"""Step 3 in a real browser: from the plan to the prioritering, a priority with two themes
is added and appears in the table of contents of the IVP."""

import pytest
from playwright.sync_api import expect

from ivp.beleidsplan.models import Prioriteit
from ivp.veiligheidsanalyse import services as analyse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "wachtwoord-voor-tests"  # UserFactory's


def test_a_priority_is_added_and_appears_in_the_table_of_contents(
    live_server, browser_page, bundle, plan
):
    analyse._CACHE.clear()
    coordinator = plan.rollen.get(rol="coordinator").user
    page = browser_page
    page.goto(f"{live_server.url}/")
    page.get_by_label("Gebruikersnaam").fill(coordinator.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    page.get_by_role("link", name=plan.titel).click()
    page.get_by_role("link", name="Naar de prioritering").click()
    expect(page.get_by_role("heading", name="Stap 3: prioritering")).to_be_visible()

    form = page.locator("#prioriteit-toevoegen")
    form.get_by_label("Titel").fill("Woninginbraak en autokraak")
    form.get_by_label("1.2 Fysieke kwaliteit").check()
    form.get_by_label("1.3 Objectieve veiligheid", exact=False).check()
    form.get_by_label("Accenten").fill("Binnenstad")
    form.get_by_role("button", name="Prioriteit toevoegen").click()

    page.get_by_text("De prioriteit ‘Woninginbraak en autokraak’ is toegevoegd.").wait_for()
    toc = page.locator("#inhoud-ivp")
    expect(toc.get_by_text("Woninginbraak en autokraak")).to_be_visible()
    assert "4.1" in toc.locator(".ivp-bp-toc__sub li").first.inner_text()
    assert "1.2 Fysieke kwaliteit" not in page.locator("#niet-ingedeeld").inner_text()
    assert Prioriteit.objects.get(plan=plan).themas == ["1.2", "1.3"]

    page.get_by_role("link", name="Naar het IVP").first.click()
    expect(page.get_by_role("heading", name="4.1 Woninginbraak en autokraak")).to_be_visible()
