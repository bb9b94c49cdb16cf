"""Fixtures shared by the tests of all packages.

``bundle`` loads the regions and all bundled data once per test module (committed, so the
tests of the module share it; each test still runs in its own rolled-back transaction) and
removes everything again afterwards, so other tests see an empty store.
"""

from __future__ import annotations

import pytest

from ivp.plans.factories import GemeenteFactory, PlanFactory, UserFactory, give_role
from ivp.plans.models import Rol


@pytest.fixture
def gemeente(db):
    return GemeenteFactory()


@pytest.fixture
def plan(db):
    return PlanFactory(in_analysis=True)


@pytest.fixture
def coordinator(plan):
    return plan.rollen.get(rol=Rol.COORDINATOR).user


@pytest.fixture
def make_member(plan):
    """A user of the plan's gemeente with an explicit role in the plan."""

    def make(rol: str, username: str | None = None):
        user = UserFactory(
            username=username or f"{rol}-gebruiker", organisaties=[plan.gemeenten.first()]
        )
        if rol != "geen":
            give_role(plan, user, rol)
        return user

    return make


@pytest.fixture
def outsider(db):
    other = GemeenteFactory(code="GM0597", naam="Ridderkerk")
    return UserFactory(username="buitenstaander", organisaties=[other])


@pytest.fixture
def browser_page():
    """A Playwright page in headless Debian Chromium; skipped only where no Chromium is
    installed (``make test`` installs it, so in CI this always runs)."""
    import os

    from ivp.web.browser import CHROMIUM_ARGS, chromium_path

    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (make test installs it)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test
    # itself are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
        yield page
        browser.close()


def _clear() -> None:
    from ivp.areas.models import (
        Buurt,
        Gemeente,
        PolitieEenheid,
        Provincie,
        Veiligheidsregio,
        Vergelijkingsgroep,
        Wijk,
    )
    from ivp.datasets.models import Dataset, ImportRun, Observation, PlanMapping, Series

    for model in (
        Observation,
        PlanMapping,
        Series,
        Dataset,
        ImportRun,
        Vergelijkingsgroep,
        Buurt,
        Wijk,
    ):
        model.objects.all().delete()
    Gemeente.objects.filter(plannen__isnull=True, gebruikers__isnull=True).delete()
    Gemeente.objects.update(veiligheidsregio=None, provincie=None, opgegaan_in=None)
    for model in (Veiligheidsregio, PolitieEenheid, Provincie):
        model.objects.all().delete()
    from ivp import readcache

    readcache.bump()  # the bulk deletes above send no signal for every table


@pytest.fixture(scope="module")
def bundle(django_db_setup, django_db_blocker):
    from ivp.datasets.services import load_bundled_data

    with django_db_blocker.unblock():
        report = load_bundled_data()
    yield report
    with django_db_blocker.unblock():
        _clear()
