"""The CBS API client and the fetch on recorded responses (httpx.MockTransport)."""

import httpx
import pytest

from ivp.datasets.cbs_client import CbsApiError, CbsClient, CbsOffline
from ivp.datasets.fetch import fetch_crime, fetch_population
from ivp.datasets.tests.helpers import CbsFixtureTransport, offline_transport


def test_fetch_crime_for_a_gemeente_follows_next_link_and_pages_by_period():
    transport = CbsFixtureTransport()
    seen = []
    with CbsClient(transport=transport) as client:
        result = fetch_crime(
            client,
            gemeenten=["GM0597"],
            years=[2016, 2017, 2018],
            progress=lambda done, total, label: seen.append((done, total)),
        )
    assert result.ok
    values = {(result.series[r.series].code, r.periode): r.waarde for r in result.records}
    assert [values[("1.1.1", f"{y}JJ00")] for y in (2016, 2017, 2018)] == [138, 118, 89]
    assert len(result.records) == 36  # 12 categories in the fixture × 3 years
    data_urls = [u for u in transport.seen if "TypedDataSet" in u]
    assert len(data_urls) == 4  # one per year, plus the nextLink of 2017
    assert "$skiptoken=6" in data_urls[2]
    assert all("/ODataFeed/odata/47018NED/" in u for u in data_urls)
    assert "startswith(WijkenEnBuurten,'BU0597')" in data_urls[0]
    assert (
        "$select=SoortMisdrijf,WijkenEnBuurten,Perioden,GeregistreerdeMisdrijven_1" in data_urls[0]
    )
    assert seen[-1] == (3, 3)
    assert result.meta["urls"]


def test_fetch_population_resolves_topic_keys():
    with CbsClient(transport=CbsFixtureTransport()) as client:
        result = fetch_population(client, gemeenten=["GM0796"], years=[2017])
    assert result.ok
    assert result.meta["onderwerpen"]["gemiddeld"] == "GemiddeldAantalInwoners_51"
    assert result.meta["woningen_beschikbaar"] is False
    assert [(r.regio, r.periode, r.waarde) for r in result.records] == [
        ("GM0796", "2017JJ00", 152922.0)
    ]


def test_offline_gives_a_clear_message():
    with (
        CbsClient(transport=offline_transport(), retries=1) as client,
        pytest.raises(CbsOffline) as error,
    ):
        fetch_crime(client, gemeenten=["GM0597"])
    message = str(error.value)
    assert "Geen verbinding" in message and "dataderden.cbs.nl" in message
    assert "niets gewijzigd" in message


def test_blocked_socket_counts_as_offline():
    # No transport: the real network stack, which pytest-socket blocks in the test suite.
    with CbsClient(retries=0, timeout=2) as client, pytest.raises(CbsOffline):
        client.entity("47018NED", "TableInfos")


def test_http_error_is_reported():
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
