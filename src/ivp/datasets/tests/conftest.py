"""Fixtures of the datasets tests.

``bundle`` loads the regions and all bundled data once per test module (committed, so the
tests of the module share it; each test still runs in its own rolled-back transaction) and
removes everything again afterwards, so other tests see an empty store.
"""

from __future__ import annotations

import pytest

from ivp.datasets.tests.helpers import CbsFixtureTransport


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


@pytest.fixture(scope="module")
def bundle(django_db_setup, django_db_blocker):
    from ivp.datasets.services import load_bundled_data

    with django_db_blocker.unblock():
        report = load_bundled_data()
    yield report
    with django_db_blocker.unblock():
        _clear()


@pytest.fixture
def cbs_transport():
    return CbsFixtureTransport()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads kept for a preview go to a temporary folder, not to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
