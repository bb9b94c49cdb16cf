"""The CBS API client and the fetch against the double of the real service
(``cbs_service.FakeCbsService``): paging by ``$skip``, the checks the service makes on
``$select`` and ``$filter``, wijk and buurt rows, hidden categories, dwellings, and every
kind of failure with its cause and the retries."""

import httpx
import pytest

from ivp.datasets import fetch
from ivp.datasets.cbs_client import (
    CbsApiError,
    CbsClient,
    CbsInterrupted,
    CbsOffline,
    CbsTimeout,
)
from ivp.datasets.fetch import fetch_crime, fetch_population
from ivp.datasets.tests.cbs_service import FakeCbsService
from ivp.datasets.tests.helpers import offline_transport


def client_for(service, **kwargs) -> CbsClient:
    waits: list[float] = []
    client = CbsClient(transport=service, sleep=waits.append, **kwargs)
    return client


def values_of(result):
    return {(result.series[r.series].code, r.regio, r.periode): r.waarde for r in result.records}


def test_fetch_crime_pages_by_skip_and_brings_wijken_and_buurten():
    service = FakeCbsService(page_size=400)
    seen = []
    with client_for(service) as client:
        result = fetch_crime(
            client,
            gemeenten=["GM0597"],
            years=[2017, 2018],
            progress=lambda done, total, label: seen.append((done, total, label)),
        )
    assert result.ok
    values = values_of(result)
    # the gemeente's real figures (1.1.1 in 2017 and 2018)
    assert values[("1.1.1", "GM0597", "2017JJ00")] == 118
    assert values[("1.1.1", "GM0597", "2018JJ00")] == 89
    regions = {r.regio for r in result.records}
    assert {"GM0597", "WK059701", "BU05970100", "BU05971200"} <= regions
    assert len(regions) == 25  # 1 gemeente, 12 wijken, 12 buurten; not the nameless filler
    assert result.meta["rijen_zonder_regionaam"] == 2 * 59
    # 59 categories × 25 regions × 2 years, in pages of 400 rows (1,534 per year)
    assert len(result.records) == 59 * 25 * 2
    data_urls = [u for u in service.seen if "TypedDataSet" in u]
    assert len(data_urls) == 2 * 4  # four pages a year
    assert data_urls[1].endswith("&$skip=400") and data_urls[3].endswith("&$skip=1200")
    assert "startswith(WijkenEnBuurten,'BU0597')" in data_urls[0]
    assert "Gemeentenaam_2" in data_urls[0]  # to recognise the nameless filler rows
    assert seen[-1][:2] == (2, 2) and "pagina" in seen[-2][2]


def test_withheld_and_hidden_figures_are_not_zeros():
    with client_for(FakeCbsService()) as client:
        result = fetch_crime(client, gemeenten=["GM0597"], years=[2017])
    values = values_of(result)
    # murder is withheld (null) in the buurten of the fixture
    assert values[("1.4.2", "BU05970100", "2017JJ00")] is None
    # sexual offences are hidden in 47018NED: the 0 the service sends is no count
    for code in ("1.4.1", "3.2.1", "3.2.2"):
        assert values[(code, "GM0597", "2017JJ00")] is None
        assert values[(code, "WK059701", "2017JJ00")] is None
    assert result.meta["verborgen_nullen"] == 3 * 25
    # police periods say "Definitief", which ivp does not take over
    assert {r.status for r in result.records} == {""}


def test_the_double_refuses_what_the_real_service_refuses():
    service = FakeCbsService()
    with client_for(service, retries=0) as client:
        with pytest.raises(CbsApiError) as wrong_column:
            list(client.pages("47018NED", select=["SoortMisdrijf", "Misdrijven_1"]))
        with pytest.raises(CbsApiError) as on_a_topic:
            list(client.pages("47018NED", filter="GeregistreerdeMisdrijven_1 eq '5'"))
        with pytest.raises(CbsApiError) as unknown_function:
            list(client.pages("47018NED", filter="contains(WijkenEnBuurten,'GM')"))
        with pytest.raises(CbsApiError) as not_equal:
            list(client.pages("47018NED", filter="Perioden ne '2017JJ00'"))
        with pytest.raises(CbsApiError) as wrong_host:
            list(client.pages("47018NED", entity="TypedDataSet", filter=None))  # fine
            client.get_json("https://opendata.cbs.nl/ODataApi/odata/47018NED/TableInfos")
    assert wrong_column.value.status == 400 and "Misdrijven_1" in str(wrong_column.value)
    assert on_a_topic.value.status == 400 and "dimensions" in str(on_a_topic.value)
    assert "Unknown function 'contains'" in str(unknown_function.value)
    assert "'ne'" in str(not_equal.value)
    assert wrong_host.value.status == 404
    # a key compares padded, as the table stores it: unpadded finds nothing
    with client_for(service) as client:
        unpadded = list(client.pages("47018NED", filter="SoortMisdrijf eq '1.1.1'"))
        padded = list(client.pages("47018NED", filter="SoortMisdrijf eq '1.1.1 '"))
    assert unpadded[0]["value"] == [] and len(padded[0]["value"]) == 27 * 3  # 27 regions × 3 years


def test_population_and_dwellings_come_from_their_topics():
    service = FakeCbsService()
    with client_for(service) as client:
        result = fetch_population(client, gemeenten=["GM0796"], years=[2017, 2024])
    assert result.ok
    assert result.meta["onderwerpen"] == {
        "gemiddeld": "GemiddeldAantalInwoners_51",
        "1 januari": "TotaleBevolking_1",
        "woningen": "VoorraadOp1Januari_60",
    }
    assert result.meta["woningen_beschikbaar"] is True
    values = values_of(result)
    assert values[("inwoners", "GM0796", "2017JJ00")] == 152922
    # 2024: no average yet, so 1 January (as the bundle does)
    assert values[("inwoners", "GM0796", "2024JJ00")] == 161144
    assert values[("woningen", "GM0796", "2017JJ00")] == 71130
    statuses = {(r.periode, r.status) for r in result.records}
    assert ("2024JJ00", "voorlopig") in statuses and ("2017JJ00", "definitief") in statuses
    data_url = next(u for u in service.seen if "TypedDataSet" in u)
    assert "VoorraadOp1Januari_60" in data_url and "Woningvoorraad" not in data_url


def test_older_layout_of_70072ned_has_other_keys():
    service = FakeCbsService(layouts={"70072NED": "_2019"})
    with client_for(service) as client:
        result = fetch_population(client, gemeenten=["GM0597"], years=[2018])
    assert result.meta["onderwerpen"]["woningen"] == "VoorraadOp1Januari_90"
    assert result.meta["onderwerpen"]["gemiddeld"] == "GemiddeldAantalInwoners_81"
    assert values_of(result)[("woningen", "GM0597", "2018JJ00")] == 21400


def test_busy_answers_are_retried_with_exponential_backoff():
    service = FakeCbsService()
    service.fail("503", times=2)
    waits: list[float] = []
    with CbsClient(transport=service, sleep=waits.append) as client:
        pages = list(client.pages("47018NED", filter="SoortMisdrijf eq '1.1.1 '"))
    assert len(pages[0]["value"]) == 81
    assert waits == [1.0, 2.0]
    service.fail("429", times=1)
    with CbsClient(transport=service, sleep=waits.append) as client:
        list(client.pages("47018NED", filter="SoortMisdrijf eq '1.1.1 '"))
    assert waits[-1] == 7.0  # the service's Retry-After


def test_a_read_timeout_says_so_with_the_pages_that_arrived():
    service = FakeCbsService(page_size=100)
    service.fail("timeout", after=2, times=99)
    with (
        CbsClient(transport=service, sleep=lambda s: None, timeout=30) as client,
        pytest.raises(CbsTimeout) as error,
    ):
        list(client.pages("47018NED", filter="Perioden eq '2017JJ00'"))
    message = str(error.value)
    assert "niet binnen 30 seconden" in message and "leestijd verlopen" in message
    assert "na 2 binnengekomen pagina('s)" in message and "5 pogingen" in message
    assert "Geen verbinding" not in message
    assert error.value.pages == 2 and "$skip=200" in error.value.url


def test_a_reset_after_some_pages_says_so():
    service = FakeCbsService(page_size=100)
    service.fail("reset", after=3, times=99)
    with (
        CbsClient(transport=service, sleep=lambda s: None, retries=1) as client,
        pytest.raises(CbsInterrupted) as error,
    ):
        list(client.pages("47018NED", filter="Perioden eq '2017JJ00'"))
    assert "verbinding met de CBS-API werd verbroken" in str(error.value)
    assert "Server disconnected" in str(error.value)
    assert "na 3 binnengekomen pagina('s)" in str(error.value)


def test_a_body_cut_off_halfway_is_retried():
    service = FakeCbsService()
    service.fail("truncated", times=1)
    with CbsClient(transport=service, sleep=lambda s: None) as client:
        pages = list(client.pages("47018NED", filter="SoortMisdrijf eq '1.1.1 '"))
    assert len(pages[0]["value"]) == 81


def test_an_error_of_the_query_is_not_retried():
    service = FakeCbsService()
    waits: list[float] = []
    with CbsClient(transport=service, sleep=waits.append) as client, pytest.raises(CbsApiError):
        client.get_json(
            "https://dataderden.cbs.nl/ODataFeed/odata/47018NED/TypedDataSet",
            {"$filter": "endswith(WijkenEnBuurten,'01')"},
        )
    assert waits == [] and service.data_requests == 1


def test_offline_gives_a_clear_message_with_the_cause():
    with (
        CbsClient(transport=offline_transport(), sleep=lambda s: None) as client,
        pytest.raises(CbsOffline) as error,
    ):
        fetch_crime(client, gemeenten=["GM0597"])
    message = str(error.value)
    assert "Geen verbinding" in message and "dataderden.cbs.nl" in message
    assert "niets gewijzigd" in message
    assert "Temporary failure in name resolution" in message


def test_blocked_socket_counts_as_offline():
    # No transport: the real network stack, which pytest-socket blocks in the test suite.
    with CbsClient(retries=0, timeout=2) as client, pytest.raises(CbsOffline):
        client.entity("47018NED", "TableInfos")


def test_http_error_is_reported_with_the_service_message():
    def not_found(request):
        return httpx.Response(
            404,
            json={
                "odata.error": {
                    "code": "",
                    "message": {"lang": "nl", "value": "Tabel bestaat niet"},
                }
            },
        )

    with (
        CbsClient(transport=httpx.MockTransport(not_found)) as client,
        pytest.raises(CbsApiError) as error,
    ):
        client.entity("99999NED", "TableInfos")
    assert "HTTP 404" in str(error.value)
    assert "Tabel bestaat niet" in str(error.value)


def test_run_hands_over_one_page_at_a_time_with_a_checkpoint():
    service = FakeCbsService(page_size=500)
    handed = []
    with client_for(service) as client:
        plan = fetch.plan_crime(client, gemeenten=["GM0597"], years=[2017, 2018])
        final = fetch.run(
            client, plan, lambda result, point, url: handed.append((len(result.records), point))
        )
    assert max(n for n, _p in handed) <= 500  # never more than a page in memory
    assert [p.unit for _n, p in handed] == [0, 0, 0, 1, 1, 1, 1, 2]
    assert handed[0][1].next_url.endswith("$skip=500") and handed[3][1].next_url is None
    assert final.done and final.pages == 8 and final.rows == 2 * 1534


def test_run_resumes_at_a_checkpoint():
    service = FakeCbsService(page_size=500)
    with client_for(service) as client:
        plan = fetch.plan_crime(client, gemeenten=["GM0597"], years=[2017, 2018])
        points = []
        fetch.run(client, plan, lambda result, point, url: points.append(point))
        service.seen.clear()
        rest = []
        fetch.run(client, plan, lambda r, p, u: rest.append(p), checkpoint=points[4])
    data_urls = [u for u in service.seen if "TypedDataSet" in u]
    assert len(rest) == 3 and data_urls[0].endswith("$skip=500")  # unit 2, page 2
    assert rest[-1].done and rest[-1].pages == 8
