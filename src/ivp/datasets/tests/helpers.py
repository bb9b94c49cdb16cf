"""Shared helpers of the datasets tests: a region resolver from the bundled files, the double
of the CBS service (``cbs_service.FakeCbsService``) and single answers of it."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import httpx

from ivp.areas.sources import region_entries
from ivp.datasets.sources.regions import RegionResolver
from ivp.datasets.tests.cbs_service import FakeCbsService

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CBS_FIXTURES = FIXTURES / "cbs"


@cache
def _entries() -> tuple:
    return tuple(region_entries())


def bundled_resolver() -> RegionResolver:
    return RegionResolver(_entries())


def fixture_json(name: str) -> dict:
    return json.loads((CBS_FIXTURES / name).read_text(encoding="utf-8"))


# The double of the CBS service (kept under its old name for other packages' tests).
CbsFixtureTransport = FakeCbsService


def service_page(
    table: str = "47018NED", *, filter: str = "", select: str = "", page_size: int = 10_000
) -> dict:
    """One answer of the service double, as a test would save it from the browser."""
    service = FakeCbsService(page_size=page_size)
    host = "dataderden.cbs.nl" if table.startswith("47") else "opendata.cbs.nl"
    params = {"$format": "json"}
    if filter:
        params["$filter"] = filter
    if select:
        params["$select"] = select
    with httpx.Client(transport=service) as client:
        response = client.get(f"https://{host}/ODataFeed/odata/{table}/TypedDataSet", params=params)
    response.raise_for_status()
    return response.json()


def offline_transport() -> httpx.MockTransport:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    return httpx.MockTransport(refuse)
