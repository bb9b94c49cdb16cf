"""From first login to a working group, in a real browser on the demo: the beheerder
invites someone (the mail lands in the demo's outbox), the person chooses a password, gets
a role and edits the plan; the demo coordinator starts a plan for another gemeente; the
reader cannot start plans."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ivp.demo.loader import DEMO_PASSWORD, DEMO_PLAN_TITEL, load_demo
from ivp.plans.factories import GemeenteFactory
from ivp.plans.models import Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    folder = os.environ.get("IVP_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def login(page, live_server, username, password=DEMO_PASSWORD):
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Mijn plannen", level=1).wait_for()


@pytest.fixture
def outbox(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    settings.IVP_MAIL_OUTBOX = True
    return tmp_path / "mail"


def test_an_invited_person_sets_a_password_gets_a_role_and_edits_the_plan(
    live_server, browser_page, outbox
):
    load_demo(with_content=False)
    beheerder = browser_page
    login(beheerder, live_server, "demo-beheerder")
    beheerder.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Organisatie"
    ).click()
    beheerder.get_by_role("heading", name="Gemeente 's-Hertogenbosch").wait_for()
    beheerder.get_by_role("link", name="Iemand uitnodigen").click()
    beheerder.get_by_label("E-mailadres").fill("fatima@example.org")
    beheerder.get_by_label("Voornaam").fill("Fatima")
    beheerder.get_by_label("Achternaam").fill("El Amrani")
    assert beheerder.get_by_label("Medewerker").is_checked()
    assert beheerder.get_by_label("'s-Hertogenbosch (GM0796)").is_checked()
    shot(beheerder, "uitnodigen")
    beheerder.get_by_role("button", name="Uitnodiging versturen").click()
    beheerder.get_by_text("fatima@example.org is uitgenodigd").wait_for()

    # The invitee reads the mail in the demo's outbox and follows the link.
    invitee = beheerder.context.browser.new_context(locale="nl-NL").new_page()
    invitee.goto(f"{live_server.url}/account/inloggen/")
    invitee.get_by_role("link", name="Postvak (demo)").click()
    mail = invitee.get_by_role("article").filter(has_text="fatima@example.org").first
    assert "Uitnodiging voor ivp van Gemeente 's-Hertogenbosch" in mail.inner_text()
    shot(invitee, "postvak")
    mail.get_by_role("link", name=re.compile("uitnodiging")).click()
    invitee.get_by_role("heading", name="Kies uw wachtwoord").wait_for()
    assert "fatima@example.org" in invitee.content()
    invitee.get_by_label("Nieuw wachtwoord", exact=True).fill("veilig-samen-2027")
    invitee.get_by_label("Herhaal het nieuwe wachtwoord").fill("veilig-samen-2027")
    shot(invitee, "wachtwoord-kiezen")
    invitee.get_by_role("button", name="Wachtwoord opslaan en inloggen").click()
    invitee.get_by_text("Welkom bij ivp").wait_for()
    # As a medewerker she reads the plan of her gemeente, and may not yet edit it.
    assert invitee.get_by_role("link", name="Nieuw plan").count() == 0
    invitee.get_by_role("link", name=DEMO_PLAN_TITEL).click()
    expect(invitee.get_by_role("heading", level=1)).to_have_text(DEMO_PLAN_TITEL)
    assert invitee.get_by_role("link", name="Gegevens bewerken").count() == 0

    # The beheerder gives her the role of redacteur in the demo plan.
    beheerder.get_by_role("link", name="Organisatie").first.click()
    beheerder.get_by_role("link", name="Fatima El Amrani").click()
    roles = beheerder.get_by_role("link", name="Rollen in plannen van Fatima El Amrani")
    roles.wait_for()  # her page, not the list it came from
    assert "heeft nog geen wachtwoord gekozen" not in beheerder.content()
    roles.click()
    beheerder.get_by_label(f"Rol in {DEMO_PLAN_TITEL}").select_option("redacteur")
    shot(beheerder, "rollen-in-plannen")
    beheerder.get_by_role("button", name="Rollen opslaan").click()
    beheerder.get_by_text("De rollen van Fatima El Amrani zijn opgeslagen").wait_for()

    # Now she edits the plan.
    invitee.reload()
    invitee.get_by_role("link", name="Gegevens bewerken").click()
    invitee.get_by_label("Aanleiding en toelichting").fill(
        "Aangevuld door de werkgroep: de aanpak van ondermijning krijgt een eigen paragraaf."
    )
    invitee.get_by_role("button", name=re.compile("Opslaan")).click()
    invitee.get_by_text("De wijzigingen zijn opgeslagen.").wait_for()
    plan = Plan.objects.get(titel=DEMO_PLAN_TITEL)
    assert "eigen paragraaf" in plan.toelichting
    assert plan.wijzigingen.first().user.email == "fatima@example.org"


def test_the_demo_coordinator_starts_a_plan_for_another_gemeente(live_server, browser_page):
    load_demo(with_content=False)
    GemeenteFactory(code="GM0597", naam="Ridderkerk")
    for number in range(20):  # a long list, as with all 342 gemeenten of the real demo
        GemeenteFactory(code=f"GM{9000 + number}", naam=f"Voorbeeldgemeente {number}")
    page = browser_page
    login(page, live_server, "demo")
    page.get_by_role("link", name="Nieuw plan").click()
    page.get_by_label("Titel").fill("Integraal Veiligheidsplan Ridderkerk 2027–2030")
    page.get_by_label("Eerste jaar").fill("2027")
    page.get_by_label("Laatste jaar").fill("2030")
    # without a gemeente the error names the field
    page.get_by_role("button", name="Plan aanmaken").click()
    summary = page.get_by_role("group", name="Controleer het formulier")
    expect(summary.get_by_role("link", name="Gemeenten")).to_be_visible()
    expect(
        page.get_by_role("group", name="Gemeenten").get_by_text("Kies ten minste één gemeente.")
    ).to_be_visible()
    shot(page, "nieuw-plan-fout")
    page.get_by_label("Zoek in gemeenten").fill("ridder")
    expect(page.get_by_label("'s-Hertogenbosch (GM0796)")).to_be_hidden()
    page.get_by_label("Ridderkerk (GM0597)").check()
    page.get_by_role("button", name="Plan aanmaken").click()
    page.get_by_text("Het plan is aangemaakt.").wait_for()
    assert "Ridderkerk (GM0597)" in page.content()
    expect(page.get_by_role("link", name="Rollen")).to_be_visible()
    shot(page, "nieuw-plan-ridderkerk")


def test_the_reader_cannot_start_a_plan(live_server, browser_page):
    load_demo(with_content=False)
    plans_before = Plan.objects.count()
    page = browser_page
    login(page, live_server, "demo-lezer")
    assert page.get_by_role("link", name="Nieuw plan").count() == 0
    page.goto(f"{live_server.url}/plannen/nieuw/")
    expect(page.get_by_role("heading", name="Geen toegang")).to_be_visible()
    assert "Alleen een coördinator van een organisatie kan een plan starten" in page.content()
    assert Plan.objects.count() == plans_before
