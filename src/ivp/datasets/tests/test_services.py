"""Storing figures: the bundle, imports (all or nothing, no doubles), revisions, fetching,
a plan's own mapping, and the figures the published plans quote."""

import pytest
from django.core.exceptions import PermissionDenied

from ivp.areas.models import Gemeente, Vergelijkingsgroep
from ivp.datasets import queries, services
from ivp.datasets.cbs_client import CbsClient, CbsOffline
from ivp.datasets.models import Dataset, ImportRun, Observation, Series
from ivp.datasets.tests.helpers import offline_transport
from ivp.plans.factories import PlanFactory, UserFactory, give_role

pytestmark = pytest.mark.django_db

LONG = (
    "regio;periode;indicator;waarde;eenheid;bron\n"
    "GM0796;2017;E35 Melding overlast jeugd;912;aantal;Politie basisteam\n"
    "GM0796;2018;E35 Melding overlast jeugd;870;aantal;Politie basisteam\n"
    "WK079601;2018;Meldingen openbare ruimte;44;aantal;Gemeente\n"
)


def test_bundle_loads_once(bundle):
    assert "12 geladen" in bundle
    before = Observation.objects.count()
    again = services.load_bundled_data()
    assert "0 geladen, 12 al aanwezig" in again
    assert Observation.objects.count() == before


def test_reference_figures_from_the_store(bundle):
    ridderkerk = queries.figures("GM0597")
    assert [ridderkerk.count("1.1.1", "GM0597", y) for y in (2016, 2017, 2018)] == [138, 118, 89]
    bosch = queries.figures("GM0796")
    assert bosch.rate("1.2.1", "GM0796", 2017).rounded(1) == 8.2
    source = bosch.sources["47018NED|1.2.1"]
    assert source.attribution == "Bron: CBS / Politie"
    assert source.filename.endswith("cbs-47018-gemeenten/data.json")
    # The total per gemeente comes from its own sources (test_totals.py), never summed.
    assert "0.0.0" not in bosch.missing
    assert bosch.count("0.0.0", "GM0796", 2017) == 9935  # 83648NED, not 47018NED
    # Comparison: the size class and the police unit, and the national figures.
    assert any(k.startswith("vergelijkingsgroep:") for k in bosch.groups)
    assert bosch.groups["politie-eenheid:RE09"]
    assert bosch.national["0.0.0"]["2017JJ00"] == 816603


def test_rates_before_a_boundary_change_are_not_given(bundle):
    bosch = queries.figures("GM0796")
    rate = bosch.rate("1.2.1", "GM0796", 2014)  # Maasdonk joined on 1 January 2015
    assert rate.waarde is None and "2015" in rate.reden


def test_regions_and_units(bundle):
    ridderkerk = Gemeente.objects.select_related("veiligheidsregio__politie_eenheid").get(
        code="GM0597"
    )
    assert ridderkerk.veiligheidsregio.code == "VR17"
    assert ridderkerk.politie_eenheid.code == "RE07"
    land_van_cuijk = Gemeente.objects.get(code="GM1982")  # formed 2022 from VR21 gemeenten
    assert land_van_cuijk.politie_eenheid.code == "RE09"
    current = Gemeente.objects.filter(actief=True)
    assert current.count() == 342
    assert not current.filter(veiligheidsregio__isnull=True).exists()
    assert Gemeente.objects.get(code="GM0457").actief is False  # Weesp
    assert Vergelijkingsgroep.objects.filter(soort="grootteklasse").count() == 8
    assert ridderkerk.wijken.count() > 0


def test_import_long_format_twice_does_not_double(bundle):
    first = services.import_file(LONG.encode(), "eigen.csv")
    assert first.status == ImportRun.Status.DONE
    assert (first.created, first.changed, first.unchanged) == (3, 0, 0)
    count = Observation.objects.count()
    second = services.import_file(LONG.encode(), "eigen.csv")
    assert (second.created, second.changed, second.unchanged) == (0, 0, 3)
    assert Observation.objects.count() == count
    e35 = Series.objects.get(code="E35", dataset__key="eigen:politie-basisteam")
    assert e35.incident_code == "E35"
    assert Observation.objects.get(series=e35, region="GM0796", period="2017JJ00").value == 912


def test_one_bad_row_changes_nothing_and_says_which(bundle):
    services.import_file(LONG.encode(), "eigen.csv")
    count = Observation.objects.count()
    bad = LONG.replace(
        "GM0796;2018;E35 Melding overlast jeugd;870", "GM0796;2018;E35 Melding overlast jeugd;870"
    )
    bad += "GM0796;2019;E35 Melding overlast jeugd;veel;aantal;Politie basisteam\n"
    bad = bad.replace(";912;", ";999;")  # a revision that must not be stored either
    run = services.import_file(bad.encode(), "eigen.csv")
    assert run.status == ImportRun.Status.FAILED
    assert [(p["regel"], p["kolom"]) for p in run.problems] == [(5, "waarde")]
    assert Observation.objects.count() == count
    assert (
        Observation.objects.get(
            series__code="E35",
            series__dataset__key="eigen:politie-basisteam",
            region="GM0796",
            period="2017JJ00",
        ).value
        == 912
    )


def test_revision_is_stored_with_old_and_new_value(bundle):
    services.import_file(LONG.encode(), "eigen.csv")
    run = services.import_file(LONG.replace(";912;", ";915;").encode(), "eigen.csv")
    assert (run.created, run.changed, run.unchanged) == (0, 1, 2)
    assert run.changes[0]["oud"] == 912 and run.changes[0]["waarde"] == 915
    observation = Observation.objects.get(
        series__code="E35",
        series__dataset__key="eigen:politie-basisteam",
        region="GM0796",
        period="2017JJ00",
    )
    assert observation.value == 915 and observation.import_run == run


def test_dry_run_stores_nothing(bundle):
    count = Observation.objects.count()
    run = services.import_file(LONG.encode(), "eigen.csv", dry_run=True)
    assert run.status == ImportRun.Status.PREVIEW
    assert run.created == 3 and len(run.sample) == 3
    assert Observation.objects.count() == count
    assert not Dataset.objects.filter(key__startswith="eigen:").exists()


def test_unknown_region_is_a_problem(bundle):
    run = services.import_file(b"regio;periode;indicator;waarde\nGM9998;2018;X;1\n", "x.csv")
    assert run.status == ImportRun.Status.FAILED
    assert run.problems[0]["regel"] == 2 and run.problems[0]["kolom"] == "regio"


def test_fetch_offline_stores_nothing(bundle):
    count = ImportRun.objects.count()
    with (
        CbsClient(transport=offline_transport(), retries=0) as client,
        pytest.raises(CbsOffline),
    ):
        services.fetch_from_cbs(gemeenten=["GM0597"], client=client)
    assert ImportRun.objects.count() == count


def test_plan_mapping_is_per_plan():
    plan_a = PlanFactory(titel="A")
    plan_b = PlanFactory(
        titel="B",
        gemeente=Gemeente.objects.get_or_create(code="GM0597", defaults={"naam": "Ridderkerk"})[0],
    )
    coordinator = plan_a.rollen.get(rol="coordinator").user
    services.set_plan_mapping(plan_a, by=coordinator, code="2.2.1", themes=["3.1"])
    assert services.mapping_for_plan(plan_a).themas_voor("2.2.1") == ("3.1",)
    assert services.mapping_for_plan(plan_b).themas_voor("2.2.1") == ("1.2", "3.1")
    services.set_plan_mapping(plan_a, by=coordinator, code="2.2.1", themes=None)
    assert services.mapping_for_plan(plan_a).themas_voor("2.2.1") == ("1.2", "3.1")
    with pytest.raises(ValueError):
        services.set_plan_mapping(plan_a, by=coordinator, code="2.2.1", themes=["8.8"])


def test_plan_mapping_needs_edit_rights():
    plan = PlanFactory()
    reader = give_role(plan, UserFactory(organisaties=[plan.gemeenten.first()]), "lezer")
    with pytest.raises(PermissionDenied):
        services.set_plan_mapping(plan, by=reader, code="2.2.1", themes=["3.1"])


def test_who_may_fetch():
    plan = PlanFactory()
    coordinator = plan.rollen.get(rol="coordinator").user
    reader = give_role(plan, UserFactory(organisaties=[plan.gemeenten.first()]), "lezer")
    assert services.can_fetch(coordinator)
    assert not services.can_fetch(reader)
