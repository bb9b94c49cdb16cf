"""The demo as a new user meets it: log in with the printed login, open the demo plan."""

import pytest
from playwright.sync_api import expect

from ivp.demo.loader import DEMO_PASSWORD, DEMO_PLAN_TITEL, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_the_demo_login_reaches_the_demo_plan(live_server, browser_page):
    load_demo(with_content=False)
    page = browser_page
    login(page, live_server, "demo")
    page.get_by_role("link", name=DEMO_PLAN_TITEL).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DEMO_PLAN_TITEL)
    steps = page.locator(".ivp-step")
    expect(steps).to_have_count(6)
    assert "Veiligheidsanalyse" in steps.nth(1).inner_text()
    assert "Bezig" in steps.nth(1).inner_text()
    assert "Coördinator integrale veiligheid" in page.content()

    # htmx: finishing step 2 swaps only that card
    steps.nth(1).get_by_role("button", name="Afronden").click()
    page.locator("#stap-2.ivp-step--afgerond").wait_for()
    assert "Afgerond" in page.locator("#stap-2").inner_text()
    if _screens():
        page.screenshot(path="var/screenshots/demo-plan.png", full_page=True)


def test_the_demo_reader_sees_the_plan_but_no_edit_controls(live_server, browser_page):
    load_demo(with_content=False)
    page = browser_page
    login(page, live_server, "demo-lezer")
    page.get_by_role("link", name=DEMO_PLAN_TITEL).click()
    expect(page.locator(".ivp-step")).to_have_count(6)
    assert page.get_by_role("button", name="Afronden").count() == 0
    assert page.get_by_role("link", name="Gegevens bewerken").count() == 0


def _screens() -> bool:
    import os
    from pathlib import Path

    if os.environ.get("IVP_SCREENSHOTS"):
        Path("var/screenshots").mkdir(parents=True, exist_ok=True)
        return True
    return False
