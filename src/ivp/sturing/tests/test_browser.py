"""Step 6 in a real browser on the demo: the reminder e-mail leads the contributor to
"Mijn maatregelen", where one form updates a measure in place; the coordinator sees it on
the step-6 page, reached from the plan overview."""

import re
from datetime import date

import pytest

from ivp.demo.loader import DEMO_PASSWORD, load_demo
from ivp.plans.models import Plan
from ivp.sturing.demo import TITEL
from ivp.sturing.models import Voortgangsupdate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username, next_url=""):
    page.goto(f"{live_server.url}/account/inloggen/?next={next_url}")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_a_contributor_reports_from_the_reminder_and_the_coordinator_sees_it(
    live_server, browser_page, settings
):
    from django.core import mail

    from ivp.sturing import services as st
    from ivp.sturing.reminders import send_due

    load_demo(with_content=False)
    plan = Plan.objects.get(titel=TITEL)
    settings.IVP_BASE_URL = live_server.url
    cycle = st.cycle(plan)
    assert send_due(date(2026, cycle.maanden[-1], 1)) == 1
    link = re.search(r"http\S+/mijn-maatregelen/", mail.outbox[0].body).group(0)

    page = browser_page
    login(page, live_server, "demo-bijdrager", next_url=link.removeprefix(live_server.url))
    page.get_by_role("heading", name="Mijn maatregelen", level=1).wait_for()
    card = page.get_by_role("article", name="Aanpak auto-inbraak in parkeergarages")
    card.get_by_label("Op schema").check()
    card.get_by_label("Toelichting").fill("Nieuwe leverancier gevonden.")
    card.get_by_role("button", name="Voortgang opslaan").click()
    page.get_by_text("Opgeslagen: Aanpak auto-inbraak in parkeergarages.").wait_for()
    latest = Voortgangsupdate.objects.order_by("-pk").first()
    assert (
        latest.tekst == "Nieuwe leverancier gevonden." and latest.door.username == "demo-bijdrager"
    )

    page.context.clear_cookies()
    login(page, live_server, "demo")
    page.goto(f"{live_server.url}/plannen/{plan.pk}/")
    page.get_by_role("link", name="Naar de voortgang en rapportages").click()
    page.get_by_role("heading", name="Stap 6: sturing in de uitvoeringsfase").wait_for()
    page.goto(f"{live_server.url}/plannen/{plan.pk}/sturing/?periode=2026-Q4")
    assert page.get_by_text("Nieuwe leverancier gevonden.").count() >= 1
    # each indicator has its figures as a table (charts need the bundled data, see
    # test_demo_documents); without figures the verdict says so
    assert page.locator(".ivp-st-indicator table").count() == 4
    assert page.get_by_text("nog geen meting").count() >= 1
