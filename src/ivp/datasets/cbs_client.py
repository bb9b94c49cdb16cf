"""A small client for the CBS OData v3 API, on httpx. No Django.

- Hosts: ``dataderden.cbs.nl`` (politie tables such as 47018NED) and ``opendata.cbs.nl``
  (CBS tables such as 70072ned).
- Data are read from the bulk endpoint ``/ODataFeed/odata/<table>/TypedDataSet`` with
  ``$format=json``, ``$filter`` and ``$select``; the API sends at most 10,000 rows per
  response and an ``odata.nextLink`` to the next page (the same request with ``$skip=…``),
  which the client follows as the maintained ``cbsodata`` and ``cbsodataR`` packages do.
  Large downloads are split by the caller (per period, per region), because the API resets
  very large responses. A download can start at a saved ``nextLink`` (resume).
- Metadata come from ``/ODataApi/odata/<table>/<name>`` (``TableInfos``,
  ``DataProperties``, one entity per dimension).
- Failures keep their cause: :class:`CbsOffline` (no connection at all),
  :class:`CbsTimeout` (the API did not answer in time), :class:`CbsInterrupted` (the
  connection broke off, e.g. a reset after some pages), :class:`CbsApiError` (an HTTP
  error, with the API's own ``odata.error`` message). Busy answers (429, 502, 503, 504),
  timeouts and broken connections are retried with exponential backoff (``Retry-After``
  when the API sends one); a connection that cannot be made at all is retried once.

Tests use ``httpx.MockTransport`` with a double of the service
(``tests/cbs_service.py``) that answers like the real one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from ivp.datasets.sources.cbs_odata import CbsMetadata
from ivp.datasets.sources.cbs_tables import DATADERDEN, OPENDATA, table

USER_AGENT = "ivp/0.1 (werkbank integraal veiligheidsbeleid; CBS open data client)"
QUERY_SAFE = "$,()'"
MAX_PAGES = 500  # a guard against a server that keeps sending nextLinks
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
BACKOFF_BASE = 1.0  # seconds before the first retry; doubled each time
BACKOFF_MAX = 60.0

Progress = Callable[[int, int, str], None]


class CbsError(Exception):
    """The CBS API could not deliver; ``str()`` is a Dutch message for the user.
    ``cause`` is the technical cause in a few words; ``pages`` how many pages of the
    current download had arrived."""

    cause: str = ""
    pages: int = 0


class CbsOffline(CbsError):
    def __init__(self, host: str, detail: str = "") -> None:
        self.host = host
        self.detail = detail
        self.cause = detail or "geen verbinding"
        super().__init__(
            f"Geen verbinding met de open-data-API van het CBS ({host}). Deze computer kan "
            "de CBS-website nu niet bereiken, dus er zijn geen nieuwe cijfers opgehaald en er "
            "is niets gewijzigd. ivp werkt verder met de gegevens die er al zijn. Probeer het "
            "later opnieuw, of download de tabel zelf en lees het bestand in via "
            "‘Bestand inlezen’." + (f" (Oorzaak: {_short(detail)}.)" if detail else "")
        )


class CbsTimeout(CbsError):
    def __init__(self, url: str, seconds: float, pages: int = 0, attempts: int = 1) -> None:
        self.url = url
        self.pages = pages
        self.cause = f"read timeout na {seconds:g} s"
        super().__init__(
            f"De CBS-API antwoordde niet binnen {seconds:g} seconden (leestijd verlopen) bij "
            f"{_short(url, 160)}"
            + (f", na {pages} binnengekomen pagina('s)" if pages else "")
            + (f"; {attempts} pogingen" if attempts > 1 else "")
            + "."
        )


class CbsInterrupted(CbsError):
    def __init__(self, url: str, detail: str, pages: int = 0, attempts: int = 1) -> None:
        self.url = url
        self.pages = pages
        self.cause = detail
        super().__init__(
            f"De verbinding met de CBS-API werd verbroken ({_short(detail)}) bij "
            f"{_short(url, 160)}"
            + (f", na {pages} binnengekomen pagina('s)" if pages else "")
            + (f"; {attempts} pogingen" if attempts > 1 else "")
            + "."
        )


class CbsApiError(CbsError):
    def __init__(self, url: str, status: int, detail: str = "", pages: int = 0) -> None:
        self.url = url
        self.status = status
        self.pages = pages
        self.cause = f"HTTP {status}" + (f": {detail[:120]}" if detail else "")
        busy = {429: " (te veel verzoeken)", 503: " (dienst tijdelijk niet beschikbaar)"}
        super().__init__(
            f"De CBS-API gaf een fout (HTTP {status}{busy.get(status, '')}) bij "
            f"{_short(url, 160)}." + (f" Melding van het CBS: {detail[:300]}" if detail else "")
        )


class CbsResponseError(CbsError):
    """An answer arrived but is not what the table's format promises (a row without a
    region, a number that is text): nothing of that page is stored."""

    def __init__(self, url: str, detail: str, pages: int = 0) -> None:
        self.url = url
        self.pages = pages
        self.cause = f"onleesbaar antwoord: {detail[:120]}"
        super().__init__(
            f"Het antwoord van de CBS-API bij {_short(url, 160)} was niet te lezen: "
            f"{_short(detail, 300)}"
        )


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def host_for(tabel_id: str) -> str:
    known = table(tabel_id)
    if known:
        return known.host
    return DATADERDEN if tabel_id.upper().startswith("47") else OPENDATA


@dataclass(frozen=True)
class Page:
    """One response of a data entity: its rows, the URL it came from and the link to the
    next page (``None`` on the last)."""

    document: dict[str, Any]
    url: str
    next_url: str | None
    number: int  # 1 = the first page of this download (counting resumed pages too)


class CbsClient:
    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 60.0,
        retries: int = 4,
        scheme: str = "https",
        sleep: Callable[[float], None] = time.sleep,
        backoff: float = BACKOFF_BASE,
    ) -> None:
        self.scheme = scheme
        self.retries = retries
        self.timeout = timeout
        self.sleep = sleep
        self.backoff = backoff
        self._client = httpx.Client(
            transport=transport,
            timeout=timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=True,
        )
        self.requests: list[str] = []  # URLs requested, for the import run's provenance
        self.waits: list[float] = []  # the backoff waits, for the run's record

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

    @staticmethod
    def with_params(url: str, params: dict[str, str] | None) -> str:
        if not params:
            return url
        return f"{url}?{urlencode(params, quote_via=quote, safe=QUERY_SAFE)}"

    # -- requests --------------------------------------------------------------------

    def _wait(self, attempt: int, response: httpx.Response | None = None) -> None:
        delay = min(self.backoff * (2**attempt), BACKOFF_MAX)
        if response is not None:
            retry_after = response.headers.get("Retry-After", "").strip()
            if retry_after.isdecimal():
                delay = min(float(retry_after), BACKOFF_MAX)
        self.waits.append(delay)
        self.sleep(delay)

    def get_json(
        self, url: str, params: dict[str, str] | None = None, *, pages: int = 0
    ) -> dict[str, Any]:
        """One GET, retried on busy answers, timeouts and broken connections."""
        full = self.with_params(url, params)
        host = httpx.URL(full).host
        attempts = self.retries + 1
        connect_failures = 0
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self._client.get(full)
            except httpx.ConnectError as error:
                # No connection at all (DNS, refused, no route): retried once only.
                connect_failures += 1
                if connect_failures > 1 or last:
                    raise CbsOffline(host, str(error)) from error
                self._wait(attempt)
                continue
            except httpx.TimeoutException as error:
                if isinstance(error, httpx.ConnectTimeout) and pages == 0 and last:
                    raise CbsOffline(host, f"verbinding maken duurde te lang: {error}") from error
                if last:
                    raise CbsTimeout(full, self.timeout, pages, attempts) from error
                self._wait(attempt)
                continue
            except (httpx.TransportError, OSError) as error:
                # Read errors, resets, a server that hangs up without an answer.
                if last:
                    detail = f"{type(error).__name__}: {error}".strip(": ")
                    raise CbsInterrupted(full, detail, pages, attempts) from error
                self._wait(attempt)
                continue
            except RuntimeError as error:
                # pytest-socket and similar sandboxes block sockets with a RuntimeError.
                if "socket" in type(error).__name__.lower() or "socket" in str(error).lower():
                    raise CbsOffline(host, str(error)) from error
                raise
            self.requests.append(full)
            if response.status_code in RETRY_STATUS:
                if last:
                    raise CbsApiError(full, response.status_code, _odata_error(response), pages)
                self._wait(attempt, response)
                continue
            if response.status_code >= 400:
                raise CbsApiError(full, response.status_code, _odata_error(response), pages)
            try:
                return response.json()
            except ValueError as error:
                # A body cut off halfway reads as broken JSON: the connection broke.
                if last:
                    raise CbsInterrupted(
                        full, "onvolledig antwoord (geen geldige JSON)", pages, attempts
                    ) from error
                self._wait(attempt)
                continue
        raise CbsOffline(host)  # not reached: the loop returns or raises

    def iter_pages(
        self,
        tabel_id: str,
        *,
        filter: str | None = None,  # noqa: A002 - the OData name
        select: list[str] | tuple[str, ...] | None = None,
        entity: str = "TypedDataSet",
        start_url: str | None = None,
        start_number: int = 1,
    ) -> Iterator[Page]:
        """Every page of a data entity, following ``odata.nextLink``; from ``start_url``
        (a saved nextLink) when resuming."""
        params = {"$format": "json"}
        if filter:
            params["$filter"] = filter
        if select:
            params["$select"] = ",".join(select)
        url: str | None = start_url or self.with_params(self.feed_url(tabel_id, entity), params)
        number = start_number
        for _n in range(MAX_PAGES):
            if url is None:
                return
            document = self.get_json(url, pages=number - 1)
            next_url = document.get("odata.nextLink") or None
            yield Page(document, url, next_url, number)
            url = next_url
            number += 1
        raise CbsApiError(self.feed_url(tabel_id, entity), 0, "te veel pagina's")

    def pages(
        self,
        tabel_id: str,
        *,
        filter: str | None = None,  # noqa: A002 - the OData name
        select: list[str] | None = None,
        entity: str = "TypedDataSet",
    ) -> Iterator[dict[str, Any]]:
        """Every page of a data entity as a JSON document (see :meth:`iter_pages`)."""
        for page in self.iter_pages(tabel_id, filter=filter, select=select, entity=entity):
            yield page.document

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
        return _short(response.text, 300)
    if not isinstance(body, dict):
        return _short(str(body), 300)
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
