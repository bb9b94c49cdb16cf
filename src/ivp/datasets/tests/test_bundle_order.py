"""Loading the bundle into a store that already has fresher figures (no module-wide bundle
here: this module starts from an empty store)."""

import json

import pytest

from ivp.datasets import services
from ivp.datasets.models import ImportRun, Observation
from ivp.datasets.tests.helpers import service_page

pytestmark = pytest.mark.django_db


def test_bundled_data_never_overwrite_fresher_figures():
    from ivp.areas.services import load_areas

    load_areas()
    page = service_page(
        filter="Perioden eq '2018JJ00' and startswith(WijkenEnBuurten,'GM0597') "
        "and SoortMisdrijf eq '1.1.1 '",
        select="SoortMisdrijf,WijkenEnBuurten,Perioden,GeregistreerdeMisdrijven_1",
    )
    assert page["value"][0]["GeregistreerdeMisdrijven_1"] == 89
    page["value"][0]["GeregistreerdeMisdrijven_1"] = 90  # a later revision of 1.1.1 in 2018
    upload = services.import_file(json.dumps(page).encode(), "47018NED.json")
    assert upload.status == ImportRun.Status.DONE
    services.load_bundled_data()
    kept = ImportRun.objects.get(filename__endswith="data.json")
    assert kept.kept == 1
    value = Observation.objects.get(
        series__dataset__key="47018NED", series__code="1.1.1", region="GM0597", period="2018JJ00"
    )
    assert value.value == 90 and value.import_run == upload
