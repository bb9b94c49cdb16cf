"""Fetching from the CBS API into the store, against the double of the real service: every
category and level, no doubles, revisions with old and new value, no relabelling of
provisional figures, dwellings, and what happens when the API fails halfway (pages kept,
the cause in the message, the next fetch resumes)."""

from __future__ import annotations

import pytest

from ivp.cli.main import main
from ivp.datasets import cbs_client, services
from ivp.datasets.cbs_client import CbsClient, CbsOffline
from ivp.datasets.models import ImportRun, Observation
from ivp.datasets.tests.cbs_service import FakeCbsService
from ivp.datasets.tests.helpers import offline_transport

pytestmark = pytest.mark.django_db

ROWS_PER_YEAR = 59 * 25  # categories × (gemeente, 12 wijken, 12 buurten) of GM0597
BUNDLED_PER_YEAR = 12  # categories of GM0597 in the bundle


def client(service: FakeCbsService, **kwargs) -> CbsClient:
    return CbsClient(transport=service, sleep=lambda seconds: None, **kwargs)


def observation(code: str, region: str, period: str, table: str = "47018NED") -> Observation:
    return Observation.objects.get(
        series__dataset__key=table, series__code=code, region=region, period=period
    )


def test_a_fetch_stores_every_category_and_level_and_again_changes_nothing(bundle):
    service = FakeCbsService(page_size=500)
    labels = []
    with client(service) as api:
        outcome = services.fetch_from_cbs(
            gemeenten=["GM0597"],
            years=[2017, 2018],
            client=api,
            progress=lambda done, total, label: labels.append(label),
        )
    assert outcome.ok
    crime, population = outcome.runs
    assert crime.origin == "cbs-api" and crime.retrieved_at is not None
    assert crime.created == 2 * (ROWS_PER_YEAR - BUNDLED_PER_YEAR)
    assert crime.unchanged == 2 * BUNDLED_PER_YEAR  # the bundle has the same figures
    assert crime.changed == 0
    assert crime.meta["ophalen"]["done"] and crime.meta["ophalen"]["pages"] == 8
    assert crime.meta["rijen_zonder_regionaam"] == 2 * 59
    # the provenance keeps the first request of each year, not every page
    assert len(crime.urls) == 2 and all("TypedDataSet" in u for u in crime.urls)
    assert any("pagina 3" in label for label in labels)
    assert observation("1.1.1", "BU05970100", "2017JJ00").value is not None
    assert observation("1.4.2", "BU05970100", "2017JJ00").value is None  # withheld
    assert observation("1.4.1", "GM0597", "2017JJ00").value is None  # hidden, not 0
    # population: the bundle's inhabitants again, and the dwellings, which it lacks
    assert population.unchanged == 2 and population.created == 2
    assert observation("woningen", "GM0597", "2018JJ00", "70072NED").value == 21400

    with client(FakeCbsService(page_size=500)) as api:
        again = services.fetch_from_cbs(gemeenten=["GM0597"], years=[2017, 2018], client=api)
    assert [r.pk for r in again.runs] != [r.pk for r in outcome.runs]  # a new fetch, no resume
    assert again.runs[0].created == 0 and again.runs[0].changed == 0
    assert again.runs[0].unchanged == 2 * ROWS_PER_YEAR


def test_a_fetch_does_not_relabel_provisional_figures_or_count_a_revision(bundle):
    # The bundle marks 2024 provisional; 47018NED says "Definitief" for every period.
    before = observation("1.1.1", "GM0597", "2024JJ00")
    assert before.status == "v"
    with client(FakeCbsService()) as api:
        outcome = services.fetch_from_cbs(gemeenten=["GM0597"], years=[2024], client=api)
    crime = outcome.runs[0]
    assert crime.changed == 0 and crime.unchanged == BUNDLED_PER_YEAR
    after = observation("1.1.1", "GM0597", "2024JJ00")
    assert (after.value, after.status, after.import_run_id) == (
        before.value,
        "v",
        before.import_run_id,
    )
    assert observation("1.2.4", "GM0597", "2024JJ00").status == ""  # new: status unknown


def test_a_newer_version_keeps_older_years_and_records_the_revision(bundle):
    service = FakeCbsService()
    with client(service) as api:
        services.fetch_from_cbs(gemeenten=["GM0597"], years=[2017, 2018], client=api)
    older = observation("1.1.1", "GM0597", "2017JJ00")
    service.revise("47018NED", "1.1.1", "GM0597", "2018JJ00", 95)
    with client(service) as api:
        outcome = services.fetch_from_cbs(gemeenten=["GM0597"], years=[2018], client=api)
    crime = outcome.runs[0]
    assert crime.changed == 1
    change = crime.changes[0]
    assert (change["regio"], change["periode"], change["oud"], change["waarde"]) == (
        "GM0597",
        "2018JJ00",
        89,
        95,
    )
    revised = observation("1.1.1", "GM0597", "2018JJ00")
    assert revised.value == 95 and revised.status == "d"  # the known status is kept
    assert revised.import_run_id == crime.pk
    kept = observation("1.1.1", "GM0597", "2017JJ00")
    assert (kept.value, kept.import_run_id) == (older.value, older.import_run_id)


def test_an_interrupted_fetch_keeps_its_pages_and_the_next_one_resumes(bundle):
    service = FakeCbsService(page_size=500)
    service.fail("reset", after=3, times=99, table="47018NED")
    count = Observation.objects.count()
    with client(service, retries=2) as api, pytest.raises(services.FetchInterrupted) as error:
        services.fetch_from_cbs(gemeenten=["GM0597"], years=[2017, 2018], client=api)
    message = str(error.value)
    assert "verbinding met de CBS-API werd verbroken" in message
    assert "Server disconnected" in message and "na 3 binnengekomen pagina('s)" in message
    assert "47018NED: 3 pagina('s)" in message and "opgeslagen" in message
    assert "verder te gaan waar het stopte" in message
    run = ImportRun.objects.get(origin="cbs-api", table_id="47018NED")
    assert run.meta["ophalen"]["pages"] == 3 and not run.meta["ophalen"]["done"]
    assert run.problems and "Onderbroken" in run.problems[0]["melding"]
    stored = Observation.objects.count() - count
    # three pages of 500 rows of 2017: all 25 regions and 25 of the 59 nameless filler rows
    assert stored == ROWS_PER_YEAR - BUNDLED_PER_YEAR
    assert not ImportRun.objects.filter(table_id="70072NED", origin="cbs-api").exists()

    service.failures.clear()
    service.seen.clear()
    with client(service) as api:
        outcome = services.fetch_from_cbs(gemeenten=["GM0597"], years=[2017, 2018], client=api)
    assert outcome.ok
    crime = outcome.runs[0]
    assert crime.pk == run.pk  # the same run, continued
    first = next(u for u in service.seen if "47018NED/TypedDataSet" in u)
    assert first.endswith("$skip=1500")  # the fourth page of 2017, not the first
    assert crime.meta["ophalen"]["done"] and crime.meta["ophalen"]["pages"] == 8
    assert crime.meta.get("hervat") and not crime.problems
    assert crime.created == 2 * (ROWS_PER_YEAR - BUNDLED_PER_YEAR)  # as without the break
    assert Observation.objects.count() - count == crime.created + 2  # + dwellings


def test_a_population_failure_keeps_the_crime_figures(bundle):
    service = FakeCbsService()
    service.fail("timeout", times=99, table="70072NED")
    with client(service, timeout=20) as api, pytest.raises(services.FetchInterrupted) as error:
        services.fetch_from_cbs(gemeenten=["GM0597"], years=[2017], client=api)
    message = str(error.value)
    assert "niet binnen 20 seconden" in message
    assert f"47018NED volledig ({ROWS_PER_YEAR:,} cijfers)".replace(",", ".") in message
    assert observation("1.2.4", "WK059701", "2017JJ00").value is not None
    assert not Observation.objects.filter(series__code="woningen").exists()


def test_offline_stores_nothing(bundle):
    count = ImportRun.objects.count()
    with (
        CbsClient(transport=offline_transport(), retries=0) as api,
        pytest.raises(CbsOffline),
    ):
        services.fetch_from_cbs(gemeenten=["GM0597"], client=api)
    assert ImportRun.objects.count() == count


def test_with_dwellings_burglary_is_also_per_1000_dwellings(bundle):
    from ivp.analysis import veiligheidsbeeld as vb

    with client(FakeCbsService()) as api:
        services.fetch_from_cbs(gemeenten=["GM0796"], years=[2017], client=api)
    picture = vb.build("GM0796", 2017, with_wijken=False)
    burglary = picture.category("1.1.1")
    assert picture.dwellings["2017"] == 71130
    # 441 burglaries on 71,130 dwellings: the 6,2 per 1.000 woningen of the plan 2019–2022
    assert round(burglary.rates_dwellings["2017"], 1) == 6.2
    assert round(burglary.rates["2017"], 1) == 2.9  # and per 1,000 inhabitants as before


def test_the_command_line_resumes_and_says_why_it_stopped(bundle, monkeypatch, capsys):
    service = FakeCbsService(page_size=500)
    service.fail("503", after=2, times=99, table="47018NED")
    monkeypatch.setattr(
        cbs_client,
        "CbsClient",
        lambda **kw: CbsClient(transport=service, sleep=lambda s: None, retries=1),
    )
    args = ["data", "fetch", "--municipality", "GM0597", "--years", "2017"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "HTTP 503 (dienst tijdelijk niet beschikbaar)" in err
    assert "2 pagina('s)" in err and "Traceback" not in err
    service.failures.clear()
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "47018NED:" in out and "70072NED:" in out
    run = ImportRun.objects.get(origin="cbs-api", table_id="47018NED")
    assert run.meta["ophalen"]["done"] and run.meta.get("hervat")
    # --restart begins again at the first page (a new run)
    assert main([*args, "--restart"]) == 0
    assert ImportRun.objects.filter(origin="cbs-api", table_id="47018NED").count() == 2


def test_an_unreadable_page_stops_the_fetch_and_keeps_what_came_before(bundle):
    service = FakeCbsService(page_size=500)
    service.revise("47018NED", "1.1.1", "BU05970900", "2017JJ00", "veel")  # not a number
    with client(service) as api, pytest.raises(services.FetchInterrupted) as error:
        services.fetch_from_cbs(gemeenten=["GM0597"], years=[2017], client=api)
    message = str(error.value)
    assert "was niet te lezen" in message and "geen getal" in message and "veel" in message
    run = ImportRun.objects.get(origin="cbs-api", table_id="47018NED")
    assert run.meta["ophalen"]["pages"] >= 1 and not run.meta["ophalen"]["done"]
