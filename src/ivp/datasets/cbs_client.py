"""A small client for the CBS OData v3 API, on httpx. No Django.

- Hosts: ``dataderden.cbs.nl`` (politie tables such as 47018NED) and ``opendata.cbs.nl``
  (CBS tables such as 70072ned).
- Data are read from the bulk endpoint ``/ODataFeed/odata/<table>/TypedDataSet`` with
  ``$format=json``, ``$filter`` and ``$select``; the API sends at most 10,000 rows per
  response and an ``odata.nextLink`` to the next page, which the client follows (as the
  maintained ``cbsodata`` package does). Large downloads are split by the caller (per
  period, per region), because the API resets very large responses.
- Metadata come from ``/ODataApi/odata/<table>/<name>`` (``TableInfos``,
  ``DataProperties``, one entity per dimension).
- Without a connection every call raises :class:`CbsOffline` with a message a user can act
  on; ivp then keeps working on the data it has.

Tests use ``httpx.MockTransport`` with recorded responses (``tests/fixtures/cbs``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from ivp.datasets.sources.cbs_odata import CbsMetadata
from ivp.datasets.sources.cbs_tables import DATADERDEN, OPENDATA, table

USER_AGENT = "ivp/0.1 (werkbank integraal veiligheidsbeleid; CBS open data client)"
QUERY_SAFE = "$,()'"
MAX_PAGES = 500  # a guard against a server that keeps sending nextLinks

Progress = Callable[[int, int, str], None]


class CbsError(Exception):
    """The CBS API could not deliver; ``str()`` is a Dutch message for the user."""


class CbsOffline(CbsError):
    def __init__(self, host: str, detail: str = "") -> None:
        self.host = host
        self.detail = detail
        super().__init__(
            f"Geen verbinding met de open-data-API van het CBS ({host}). Deze computer kan "
            "de CBS-website nu niet bereiken, dus er zijn geen nieuwe cijfers opgehaald en er "
            "is niets gewijzigd. ivp werkt verder met de gegevens die er al zijn. Probeer het "
            "later opnieuw, of download de tabel zelf en lees het bestand in via "
            "‘Bestand inlezen’."
        )


class CbsApiError(CbsError):
    def __init__(self, url: str, status: int, detail: str = "") -> None:
        self.url = url
        self.status = status
        super().__init__(
            f"De CBS-API gaf een fout (HTTP {status}) bij {url}. Er is niets gewijzigd."
            + (f" Melding van het CBS: {detail[:300]}" if detail else "")
        )


def host_for(tabel_id: str) -> str:
    known = table(tabel_id)
    if known:
        return known.host
    return DATADERDEN if tabel_id.upper().startswith("47") else OPENDATA


class CbsClient:
    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 60.0,
        retries: int = 2,
        scheme: str = "https",
    ) -> None:
        self.scheme = scheme
        self.retries = retries
        self._client = httpx.Client(
            transport=transport,
            timeout=timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=True,
        )
        self.requests: list[str] = []  # URLs requested, for the import run's provenance

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> CbsClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- URLs ------------------------------------------------------------------------

    def api_url(self, tabel_id: str, entity: str = "") -> str:
        base = f"{self.scheme}://{host_for(tabel_id)}/ODataApi/odata/{tabel_id}"
        return f"{base}/{entity}" if entity else base

    def feed_url(self, tabel_id: str, entity: str = "TypedDataSet") -> str:
        return f"{self.scheme}://{host_for(tabel_id)}/ODataFeed/odata/{tabel_id}/{entity}"

    # -- requests --------------------------------------------------------------------

    def get_json(self, url: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        full = f"{url}?{urlencode(params, quote_via=quote, safe=QUERY_SAFE)}" if params else url
        host = httpx.URL(full).host
        last_error: Exception | None = None
        for _attempt in range(self.retries + 1):
            try:
                response = self._client.get(full)
            except (httpx.TransportError, OSError) as error:
                last_error = error
                continue
            except RuntimeError as error:
                # pytest-socket and similar sandboxes block sockets with a RuntimeError.
                if "socket" in type(error).__name__.lower() or "socket" in str(error).lower():
                    raise CbsOffline(host, str(error)) from error
                raise
            self.requests.append(full)
            if response.status_code >= 500:
                last_error = CbsApiError(full, response.status_code, response.text)
                continue
            if response.status_code >= 400:
                raise CbsApiError(full, response.status_code, _odata_error(response))
            try:
                return response.json()
            except ValueError as error:
                raise CbsApiError(full, response.status_code, "geen JSON") from error
        if isinstance(last_error, CbsApiError):
            raise last_error
        raise CbsOffline(host, str(last_error or ""))

    def pages(
        self,
        tabel_id: str,
        *,
        filter: str | None = None,  # noqa: A002 - the OData name
        select: list[str] | None = None,
        entity: str = "TypedDataSet",
    ) -> Iterator[dict[str, Any]]:
        """Every page of a data entity, following ``odata.nextLink``."""
        params = {"$format": "json"}
        if filter:
            params["$filter"] = filter
        if select:
            params["$select"] = ",".join(select)
        url: str | None = self.feed_url(tabel_id, entity)
        first = True
        for _n in range(MAX_PAGES):
            if url is None:
                return
            page = self.get_json(url, params if first else None)
            first = False
            yield page
            url = page.get("odata.nextLink")
        raise CbsApiError(self.feed_url(tabel_id, entity), 0, "te veel pagina's")

    def entity(self, tabel_id: str, name: str) -> dict[str, Any]:
        return self.get_json(self.api_url(tabel_id, name), {"$format": "json"})

    def metadata(self, tabel_id: str, dimensions: tuple[str, ...] = ()) -> CbsMetadata:
        """TableInfos, DataProperties and the named dimension entities of a table."""
        return CbsMetadata.from_responses(
            table_infos=self.entity(tabel_id, "TableInfos"),
            data_properties=self.entity(tabel_id, "DataProperties"),
            dimensions={name: self.entity(tabel_id, name) for name in dimensions},
        )


def _odata_error(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    error = body.get("odata.error") or body.get("error") or {}
    message = error.get("message") if isinstance(error, dict) else None
    if isinstance(message, dict):
        return str(message.get("value", ""))
    return str(message or body)[:300]


def odata_or(conditions: list[str]) -> str:
    return "(" + " or ".join(conditions) + ")" if len(conditions) > 1 else conditions[0]


def startswith(field: str, prefix: str) -> str:
    return f"startswith({field},'{prefix}')"


def eq(field: str, value: str) -> str:
    return f"{field} eq '{value}'"
