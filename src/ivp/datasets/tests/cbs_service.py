"""A double of the CBS OData v3 service for the tests, as an ``httpx.MockTransport``.

It answers like ``dataderden.cbs.nl`` (police tables) and ``opendata.cbs.nl`` (CBS tables)
over the tables in ``fixtures/cbs/<table>/`` (see the README there):

- metadata entities at ``/ODataApi/odata/<table>/<entity>`` (TableInfos, DataProperties, one
  entity per dimension), data at ``/ODataFeed/odata/<table>/TypedDataSet``; a table on the
  wrong host, an unknown table or entity answers 404 with an ``odata.error`` body;
- ``$select`` is checked against the table's DataProperties (keys of dimensions and topics,
  and ``ID``) and ``$filter`` against the dimensions and the functions the service supports
  (``eq``, ``and``, ``or``, brackets, ``startswith(Dim,'x')``, ``substringof('x',Dim)``,
  ``substring(Dim,n,m) eq 'x'``); anything else answers 400 with an ``odata.error`` body,
  as the real service does (filtering on a topic, ``ne``, ``contains``, an unknown field);
- keys compare as the table stores them, padded with spaces (``'GM0597    '``);
- pages of ``page_size`` rows (10,000 like the real service, fewer in tests), with an
  ``odata.nextLink`` that repeats the request with ``$skip=<rows so far>``;
- scripted failures from a given data request on (:meth:`FakeCbsService.fail`): a read
  timeout, a reset (the server hangs up), a body cut off halfway, HTTP 429 with
  ``Retry-After`` or 503 — once (a retry succeeds) or for good.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cbs"
HOSTS = {"47018NED": "dataderden.cbs.nl", "70072NED": "opendata.cbs.nl"}
DIMENSION_TYPES = {"Dimension", "GeoDimension", "GeoDetail", "TimeDimension"}
PAGE_SIZE = 10_000


def odata_error(status: int, message: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status,
        json={"odata.error": {"code": "", "message": {"lang": "nl-NL", "value": message}}},
        headers=headers,
    )


@cache
def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


class FilterError(ValueError):
    pass


_TOKEN = re.compile(r"\s*(?:(\()|(\))|(,)|('(?:[^']|'')*')|(\d+)|([A-Za-z_][A-Za-z0-9_]*))")


def _tokens(text: str) -> list[str]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise FilterError(f"Syntax error at position {position} in '{text}'.")
        tokens.append(next(g for g in match.groups() if g is not None))
        position = match.end()
    return tokens


class _Parser:
    """The $filter subset the service supports, compiled to a predicate on a row."""

    FUNCTIONS = {"startswith", "substringof", "substring"}

    def __init__(self, text: str, dimensions: set[str], fields: set[str]) -> None:
        self.tokens = _tokens(text)
        self.i = 0
        self.dimensions = dimensions
        self.fields = fields

    def parse(self) -> Callable[[dict], bool]:
        predicate = self._or()
        if self.i != len(self.tokens):
            raise FilterError(f"Syntax error: '{self.tokens[self.i]}' is not expected.")
        return predicate

    def _peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _take(self, expected: str | None = None) -> str:
        token = self._peek()
        if token is None:
            raise FilterError("Syntax error: the expression ends too soon.")
        if expected is not None and token != expected:
            raise FilterError(f"Syntax error: '{expected}' expected instead of '{token}'.")
        self.i += 1
        return token

    def _or(self) -> Callable[[dict], bool]:
        parts = [self._and()]
        while self._peek() == "or":
            self._take()
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else (lambda row: any(p(row) for p in parts))

    def _and(self) -> Callable[[dict], bool]:
        parts = [self._term()]
        while self._peek() == "and":
            self._take()
            parts.append(self._term())
        return parts[0] if len(parts) == 1 else (lambda row: all(p(row) for p in parts))

    def _field(self) -> str:
        name = self._take()
        if name not in self.fields:
            raise FilterError(
                f"No property '{name}' exists in type 'Cbs.OData.WebAPI.TypedDataSet'."
            )
        if name not in self.dimensions:
            raise FilterError(
                f"Filtering on '{name}' is not supported: only dimensions can be filtered."
            )
        return name

    def _string(self) -> str:
        token = self._take()
        if not (token.startswith("'") and token.endswith("'")):
            raise FilterError(f"A string literal was expected instead of '{token}'.")
        return token[1:-1].replace("''", "'")

    def _term(self) -> Callable[[dict], bool]:
        token = self._peek()
        if token == "(":
            self._take()
            inner = self._or()
            self._take(")")
            return inner
        nxt = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else None
        if nxt == "(":
            name = self._take()
            if name not in self.FUNCTIONS:
                raise FilterError(f"Unknown function '{name}'.")
            self._take("(")
            if name == "startswith":
                field = self._field()
                self._take(",")
                prefix = self._string()
                self._take(")")
                return lambda row: str(row.get(field, "")).startswith(prefix)
            if name == "substringof":
                part = self._string()
                self._take(",")
                field = self._field()
                self._take(")")
                return lambda row: part in str(row.get(field, ""))
            field = self._field()  # substring(Field,start,length) eq 'x'
            self._take(",")
            start = int(self._take())
            self._take(",")
            length = int(self._take())
            self._take(")")
            self._take("eq")
            value = self._string()
            return lambda row: str(row.get(field, ""))[start : start + length] == value
        field = self._field()
        operator = self._take()
        if operator != "eq":
            raise FilterError(f"Operator '{operator}' is not supported.")
        value = self._string()
        return lambda row: row.get(field) == value


@dataclass
class Failure:
    kind: str  # "timeout", "reset", "truncated", "429", "503"
    after: int  # fail from the (after + 1)-th data request on
    times: int  # how many requests fail (a large number: for good)
    table: str | None = None


class FakeCbsService(httpx.MockTransport):
    """See the module docstring. ``seen`` lists every URL asked for (decoded);
    ``data_requests`` counts the TypedDataSet requests answered or failed."""

    def __init__(self, *, page_size: int = PAGE_SIZE, layouts: dict[str, str] | None = None):
        self.page_size = page_size
        self.layouts = layouts or {}  # table → suffix of its fixture files, e.g. "_2019"
        self.seen: list[str] = []
        self.data_requests = 0
        self.failures: list[Failure] = []
        self.overrides: dict[tuple[str, str, str, str], Any] = {}
        super().__init__(self.handle)

    # -- set-up by a test ----------------------------------------------------------------

    def fail(self, kind: str, *, after: int = 0, times: int = 1, table: str | None = None) -> None:
        self.failures.append(Failure(kind, after, times, table))

    def revise(self, table: str, category: str, region: str, period: str, value: Any) -> None:
        """Let a later version of the table carry another value (a police revision)."""
        self.overrides[(table, category, region, period)] = value

    # -- the service ---------------------------------------------------------------------

    def _file(self, table: str, entity: str) -> Path:
        return FIXTURES / table / f"{entity}{self.layouts.get(table, '')}.json"

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(unquote(str(request.url)))
        parts = urlsplit(str(request.url))
        match = re.fullmatch(r"/(ODataApi|ODataFeed)/odata/([0-9A-Za-z]+)/(\w+)", parts.path, re.I)
        if not match:
            return odata_error(404, "Resource not found for the segment.")
        table, entity = match.group(2).upper(), match.group(3)
        if HOSTS.get(table) != parts.hostname or not (FIXTURES / table).is_dir():
            return odata_error(404, f"Tabel {match.group(2)} bestaat niet in deze catalogus.")
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        unknown = set(query) - {"$format", "$filter", "$select", "$skip", "$top"}
        if unknown:
            return odata_error(400, f"The query parameter '{sorted(unknown)[0]}' is not supported.")
        if query.get("$format", "json") != "json":
            return odata_error(415, "Unsupported media type requested.")
        if entity in ("TypedDataSet", "UntypedDataSet"):
            return self._data(request, table, entity, query, parts)
        path = self._file(table, entity)
        if not path.exists():
            path = FIXTURES / table / f"{entity}.json"
        if not path.exists():
            return odata_error(404, f"Resource not found for the segment '{entity}'.")
        return httpx.Response(200, json=_load(path))

    def _failure(self, table: str) -> Failure | None:
        for failure in self.failures:
            if failure.table not in (None, table):
                continue
            if failure.times > 0 and self.data_requests > failure.after:
                failure.times -= 1
                return failure
        return None

    def _data(self, request, table: str, entity: str, query: dict, parts) -> httpx.Response:
        self.data_requests += 1
        failure = self._failure(table)
        if failure is not None:
            if failure.kind == "timeout":
                raise httpx.ReadTimeout("The read operation timed out", request=request)
            if failure.kind == "reset":
                raise httpx.RemoteProtocolError(
                    "Server disconnected without sending a response.", request=request
                )
            if failure.kind == "429":
                return odata_error(429, "Too many requests.", {"Retry-After": "7"})
            if failure.kind == "503":
                return odata_error(503, "The service is temporarily unavailable.")
        properties = _load(self._file(table, "DataProperties"))["value"]
        fields = {p["Key"] for p in properties if p.get("Key")} | {"ID"}
        dimensions = {p["Key"] for p in properties if p.get("Type") in DIMENSION_TYPES}
        select = [s.strip() for s in query.get("$select", "").split(",") if s.strip()]
        wrong = [s for s in select if s not in fields]
        if wrong:
            return odata_error(
                400, f"No property '{wrong[0]}' exists in type 'Cbs.OData.WebAPI.{entity}'."
            )
        try:
            predicate = (
                _Parser(query["$filter"], dimensions, fields).parse()
                if query.get("$filter")
                else (lambda row: True)
            )
            skip = int(query.get("$skip", "0"))
            top = int(query["$top"]) if "$top" in query else None
        except (FilterError, ValueError) as error:
            return odata_error(400, str(error))
        document = _load(self._file(table, "TypedDataSet"))
        rows = [row for row in document["value"] if predicate(row)]
        if top is not None:
            rows = rows[:top]
        page = rows[skip : skip + self.page_size]
        answer: list[dict] = []
        for row in page:
            key = (
                table,
                str(row.get("SoortMisdrijf", "")).strip(),
                str(row.get("WijkenEnBuurten", row.get("RegioS", ""))).strip(),
                row.get("Perioden"),
            )
            if key in self.overrides:
                row = {**row, "GeregistreerdeMisdrijven_1": self.overrides[key]}
            answer.append({k: v for k, v in row.items() if not select or k in select})
        body: dict[str, Any] = {"odata.metadata": document["odata.metadata"], "value": answer}
        if skip + self.page_size < len(rows):
            base = re.sub(r"&?\$skip=\d+", "", parts.query)
            nxt = skip + self.page_size
            body["odata.nextLink"] = (
                f"{parts.scheme}://{parts.hostname}{parts.path}?{base}&$skip={nxt}"
            )
        if failure is not None and failure.kind == "truncated":
            text = json.dumps(body)
            return httpx.Response(
                200,
                content=text[: len(text) // 2].encode(),
                headers={"Content-Type": "application/json"},
            )
        return httpx.Response(200, json=body)
