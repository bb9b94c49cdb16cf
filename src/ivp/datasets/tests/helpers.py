"""Shared helpers of the datasets tests: a region resolver from the bundled files and a mock
transport that answers like the CBS API from the recorded fixtures."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import httpx

from ivp.areas.sources import region_entries
from ivp.datasets.sources.regions import RegionResolver

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CBS_FIXTURES = FIXTURES / "cbs"


@cache
def _entries() -> tuple:
    return tuple(region_entries())


def bundled_resolver() -> RegionResolver:
    return RegionResolver(_entries())


def fixture_json(name: str) -> dict:
    return json.loads((CBS_FIXTURES / name).read_text(encoding="utf-8"))


class CbsFixtureTransport(httpx.MockTransport):
    """Serves ``fixtures/cbs``: metadata entities by name; TypedDataSet by the gemeente and
    period in ``$filter``; the nextLink of a split page by its ``$skiptoken``. Records the
    URLs it was asked for. Anything else answers 404 like the API."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        super().__init__(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.seen.append(unquote(url))
        parts = urlsplit(url)
        match = re.search(r"/odata/([0-9A-Za-z]+)/(\w+)$", parts.path)
        if not match:
            return httpx.Response(404, json={"odata.error": {"message": {"value": "not found"}}})
        table, entity = match.group(1).upper(), match.group(2)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if entity != "TypedDataSet":
            path = CBS_FIXTURES / table / f"{entity}.json"
        else:
            flt = query.get("$filter", "")
            gemeente = re.search(r"startswith\((?:WijkenEnBuurten|RegioS),'GM(\d{4})'\)", flt)
            period = re.search(r"Perioden eq '(\d{4})JJ00'", flt)
            if not gemeente:
                return httpx.Response(200, json={"odata.metadata": "", "value": []})
            name = f"TypedDataSet_GM{gemeente.group(1)}"
            if table == "47018NED":
                name += f"_{period.group(1)}" if period else ""
                if query.get("$skiptoken"):
                    name += "_p2"
                elif (CBS_FIXTURES / table / f"{name}_p1.json").exists():
                    name += "_p1"
            path = CBS_FIXTURES / table / f"{name}.json"
        if not path.exists():
            return httpx.Response(200, json={"odata.metadata": "", "value": []})
        return httpx.Response(
            200, content=path.read_bytes(), headers={"Content-Type": "application/json"}
        )


def offline_transport() -> httpx.MockTransport:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    return httpx.MockTransport(refuse)
