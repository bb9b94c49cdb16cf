"""Step 5 in a real browser: from the plan to its first implementation plan, an item and a
measure added in the table, and the row edited in place (htmx), kept after a reload."""

import pytest
from playwright.sync_api import expect

from ivp.beleidsplan import services as bp
from ivp.uitvoering.models import Maatregel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "wachtwoord-voor-tests"  # UserFactory's


def test_a_measure_is_added_in_the_table_and_edited_in_place(live_server, browser_page, plan):
    coordinator = plan.rollen.get(rol="coordinator").user
    bp.add_prioriteit(plan, by=coordinator, titel="Veilige wijken", themas=["1.3"])
    page = browser_page
    page.goto(f"{live_server.url}/")
    page.get_by_label("Gebruikersnaam").fill(coordinator.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    page.get_by_role("link", name=plan.titel).click()
    page.get_by_role("link", name="Naar de uitvoeringsplannen").click()
    expect(page.get_by_role("heading", name="Stap 5: uitvoeringsplannen")).to_be_visible()
    page.get_by_role("button", name="Eerste uitvoeringsplan maken").click()
    expect(page.get_by_role("heading", name="Uitvoeringsplan 2027")).to_be_visible()

    section = page.locator("section.ivp-uv-section--prioriteit")
    section.get_by_label("Nieuw onderdeel").fill("Preventie")
    section.get_by_role("button", name="Onderdeel toevoegen").click()
    item = page.locator("tbody.ivp-uv-item", has_text="Preventie")
    item.wait_for()  # swapped in by htmx

    item.get_by_label("Nieuwe maatregel").fill("Buurtpreventie-apps")
    item.get_by_role("button", name="Toevoegen", exact=True).click()
    row = page.locator("tr.ivp-uv-row", has_text="Buurtpreventie-apps")
    row.wait_for()
    assert "Gepland" in row.inner_text()
    measure = Maatregel.objects.get(titel="Buurtpreventie-apps")
    assert measure.onderdeel.titel == "Preventie"
    assert "1 maatregel" in page.locator("#uitvoering-samenvatting").inner_text()

    # edit the row in place: the row becomes a form and, after saving, a row again
    row.get_by_role("link", name="Bewerken").click()
    form = page.locator(f"#maatregel-{measure.pk}.ivp-uv-editrow")
    form.wait_for()
    form.get_by_label("Bestuurlijk trekker").fill("Burgemeester")
    form.get_by_label("Budget (€)").fill("12.500")
    form.get_by_role("button", name="Opslaan").click()
    page.locator(f"#maatregel-{measure.pk} .ivp-uv-saved").wait_for()
    assert "Burgemeester" in page.locator(f"#maatregel-{measure.pk}").inner_text()
    # the totals follow (htmx refreshes them after the save)
    page.locator("#budget-totaal", has_text="12.500").wait_for()

    page.reload()
    assert "€\u00a012.500" in page.locator(f"#maatregel-{measure.pk}").inner_text()
