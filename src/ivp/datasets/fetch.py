"""Fetch fresh figures from the CBS API: 47018NED (registered crime per gemeente, wijk and
buurt, per year) and population and dwellings per gemeente (70072NED). Plain Python on
:class:`~ivp.datasets.cbs_client.CbsClient`.

A fetch is planned first (:func:`plan_crime`, :func:`plan_population`: the table's metadata
and the list of requests, one per period and region selection, because the API resets very
large downloads), then run page by page (:func:`run`): each page of up to 10,000 rows is
parsed on its own and handed to a callback together with a :class:`Checkpoint` that says
where the next page starts, so that the caller can store the page and the checkpoint
together and a later run can resume there. Memory stays bounded by one page, also for
``--all --level buurt`` (about 15 million rows over twelve years).

Topic keys of 70072NED change between versions of the table (``GemiddeldAantalInwoners_51``
or ``…_81``, ``VoorraadOp1Januari_60`` or ``…_90``), so they are looked up in its
DataProperties by key (topic groups such as "Woningvoorraad" have an empty key and are no
topic).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from ivp.areas.codes import normalize_code
from ivp.datasets.cbs_client import CbsClient, Progress, eq, odata_or, startswith
from ivp.datasets.periods import Status
from ivp.datasets.sources import ParseResult
from ivp.datasets.sources.bundled import (
    POPULATION_NOTE,
    dwellings_series,
    population_series,
)
from ivp.datasets.sources.cbs_odata import NAME_TOPIC_PREFIX, CbsMetadata, parse_typed_dataset
from ivp.datasets.sources.cbs_tables import table_dataset

CRIME_TABLE = "47018NED"
POPULATION_TABLE = "70072NED"
LEVELS = ("GM", "WK", "BU")
CRIME_TOPIC = "GeregistreerdeMisdrijven_1"
AVERAGE_PREFIX = "GemiddeldAantalInwoners"
JANUARY_PREFIX = "TotaleBevolking"
DWELLINGS_PREFIX = "VoorraadOp1Januari"
DWELLINGS_NOTE = "Woningvoorraad op 1 januari (70072NED, onderwerp {key})."


def _noop(done: int, total: int, label: str) -> None:
    return None


def _years(periods: Iterable[str], years: Iterable[int] | None) -> list[str]:
    wanted = set(years) if years else None
    return sorted(
        p for p in periods if p.endswith("JJ00") and (wanted is None or int(p[:4]) in wanted)
    )


@dataclass(frozen=True)
class Unit:
    """One request of a fetch: a filter and the fields to select (all its pages)."""

    label: str
    filter: str
    select: tuple[str, ...]


@dataclass
class Checkpoint:
    """Where a fetch stands: the unit being read and the link to its next page (``None``:
    start the unit from its first page), with counts for the record."""

    unit: int = 0
    next_url: str | None = None
    pages: int = 0  # pages read in all, over the units
    rows: int = 0
    done: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Checkpoint:
        data = dict(data or {})
        return cls(
            unit=int(data.get("unit", 0)),
            next_url=data.get("next_url") or None,
            pages=int(data.get("pages", 0)),
            rows=int(data.get("rows", 0)),
            done=bool(data.get("done", False)),
        )


@dataclass
class FetchPlan:
    """What a fetch of one table will request, and how a page is read."""

    table: str
    metadata: CbsMetadata
    units: list[Unit]
    periods: list[str]
    parse_page: Callable[[Mapping[str, Any], int], ParseResult]
    meta: dict[str, Any] = field(default_factory=dict)
    problem: str = ""  # set when the table cannot deliver what is asked (nothing to fetch)

    @property
    def signature(self) -> str:
        """Identifies the requests, so a resumed fetch asks for exactly the same pages."""
        text = json.dumps([self.table, [(u.filter, u.select) for u in self.units]])
        return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- 47018NED ------------------------------------------------------------------------


def plan_crime(
    client: CbsClient,
    *,
    gemeenten: list[str] | None = None,
    levels: tuple[str, ...] | None = None,
    years: Iterable[int] | None = None,
) -> FetchPlan:
    """47018NED for the given gemeenten (with their wijken and buurten by default), or for
    all gemeenten (``gemeenten=None``; gemeente level only unless ``levels`` says more)."""
    codes = [normalize_code(g) for g in gemeenten] if gemeenten else None
    levels = levels or (LEVELS if codes else ("GM",))
    metadata = client.metadata(CRIME_TABLE, ("Perioden", "SoortMisdrijf"))
    periods = _years(metadata.dimensions.get("Perioden", {}), years)
    name = metadata.topic_key(NAME_TOPIC_PREFIX)
    select = (
        "SoortMisdrijf",
        "WijkenEnBuurten",
        "Perioden",
        CRIME_TOPIC,
        *((name,) if name else ()),
    )
    units: list[Unit] = []
    for period in periods:
        if codes:
            for code in codes:
                digits = code[2:]
                region = odata_or([startswith("WijkenEnBuurten", f"{lv}{digits}") for lv in levels])
                units.append(
                    Unit(
                        f"{CRIME_TABLE} {period[:4]} {code}",
                        f"{eq('Perioden', period)} and {region}",
                        select,
                    )
                )
        else:
            region = odata_or([startswith("WijkenEnBuurten", lv) for lv in levels])
            units.append(
                Unit(
                    f"{CRIME_TABLE} {period[:4]}", f"{eq('Perioden', period)} and {region}", select
                )
            )

    def parse_page(page: Mapping[str, Any], line_offset: int) -> ParseResult:
        return parse_typed_dataset(
            page, tabel_id=CRIME_TABLE, metadata=metadata, line_offset=line_offset
        )

    plan = FetchPlan(CRIME_TABLE, metadata, units, periods, parse_page)
    plan.meta = {"perioden": periods, "niveaus": list(levels)}
    if not periods:
        plan.problem = "de CBS-API gaf voor deze selectie geen perioden terug"
    return plan


# --- 70072NED ------------------------------------------------------------------------


def plan_population(
    client: CbsClient,
    *,
    gemeenten: list[str] | None = None,
    years: Iterable[int] | None = None,
) -> FetchPlan:
    """Inhabitants (average, else 1 January, as in the bundle) and dwellings (1 January)
    per gemeente per year from 70072NED."""
    metadata = client.metadata(POPULATION_TABLE, ("Perioden",))
    average = metadata.topic_key(AVERAGE_PREFIX)
    total = metadata.topic_key(JANUARY_PREFIX)
    dwellings = metadata.topic_key(DWELLINGS_PREFIX)
    periods = _years(metadata.dimensions.get("Perioden", {}), years)
    codes = [normalize_code(g) for g in gemeenten] if gemeenten else None
    select = ("RegioS", "Perioden", *[t for t in (average, total, dwellings) if t])
    if codes:
        region = odata_or([startswith("RegioS", c) for c in codes])
        units = [
            Unit(f"{POPULATION_TABLE} {p[:4]}", f"{eq('Perioden', p)} and {region}", select)
            for p in periods
        ]
    else:
        units = [
            Unit(
                f"{POPULATION_TABLE} {p[:4]}",
                f"{eq('Perioden', p)} and {startswith('RegioS', 'GM')}",
                select,
            )
            for p in periods
        ]
    dwell_spec = (
        dwellings_series(POPULATION_TABLE, DWELLINGS_NOTE.format(key=dwellings))
        if dwellings
        else None
    )

    def parse_page(page: Mapping[str, Any], line_offset: int) -> ParseResult:
        result = ParseResult("cbs-odata-json")
        result.add_dataset(table_dataset(POPULATION_TABLE, POPULATION_NOTE))
        pop_index = result.series_index(population_series(POPULATION_TABLE, POPULATION_NOTE))
        dwell_index = result.series_index(dwell_spec) if dwell_spec else None
        line = line_offset
        for row in page.get("value", []):
            line += 1
            if not isinstance(row, dict):
                result.problem(line, None, "rij is geen object")
                continue
            periode = str(row.get("Perioden", "")).strip()
            if periode not in periods:
                continue
            regio = normalize_code(str(row.get("RegioS", "")))
            status = metadata.period_status(periode)
            inwoners = row.get(average) if average else None
            if inwoners is None and total:
                inwoners = row.get(total)
            if inwoners is not None:
                result.add(pop_index, regio, periode, float(round(inwoners)), status, line)
            if dwell_index is not None and row.get(dwellings) is not None:
                result.add(dwell_index, regio, periode, float(row[dwellings]), status, line)
        result.meta["rows"] = line - line_offset
        return result.finish()

    plan = FetchPlan(POPULATION_TABLE, metadata, units, periods, parse_page)
    plan.meta = {
        "onderwerpen": {"gemiddeld": average, "1 januari": total, "woningen": dwellings},
        "woningen_beschikbaar": bool(dwellings),
        "perioden": periods,
    }
    if not (average or total):
        plan.problem = "70072NED heeft geen onderwerp voor het aantal inwoners"
    elif not periods:
        plan.problem = "de CBS-API gaf voor deze selectie geen perioden terug"
    return plan


# --- running a plan ------------------------------------------------------------------


PageHandler = Callable[[ParseResult, Checkpoint, str], None]


def run(
    client: CbsClient,
    plan: FetchPlan,
    on_page: PageHandler,
    *,
    checkpoint: Checkpoint | None = None,
    progress: Progress = _noop,
) -> Checkpoint:
    """Read every page of ``plan`` from ``checkpoint`` on (default: the start), parse it
    and call ``on_page(result, checkpoint_after_this_page, url)``. Raises the client's
    :class:`~ivp.datasets.cbs_client.CbsError` when the API fails; everything handed to
    ``on_page`` before stays handed."""
    point = Checkpoint(**(checkpoint or Checkpoint()).as_dict())
    total = len(plan.units)
    while point.unit < total:
        unit = plan.units[point.unit]
        progress(point.unit, total, unit.label)
        for page in client.iter_pages(
            plan.table,
            filter=unit.filter,
            select=list(unit.select),
            start_url=point.next_url,
            start_number=point.pages + 1,
        ):
            result = plan.parse_page(page.document, point.rows)
            point.pages += 1
            point.rows += int(result.meta.get("rows", 0))
            if page.next_url:
                point.next_url = page.next_url
            else:
                point.unit += 1
                point.next_url = None
            point.done = point.unit >= total
            on_page(result, Checkpoint(**point.as_dict()), page.url)
            progress(
                point.unit,
                total,
                f"{unit.label}: pagina {page.number}, {point.rows:,} rijen".replace(",", "."),
            )
            if not result.ok:
                return point
    point.done = True
    progress(total, total, f"{plan.table} klaar")
    return point


def collect(client: CbsClient, plan: FetchPlan, *, progress: Progress = _noop) -> ParseResult:
    """All pages of ``plan`` in one :class:`ParseResult` (for small fetches and tests; the
    service stores page by page with :func:`run`)."""
    combined = ParseResult("cbs-odata-json")
    if plan.problem:
        combined.problem(None, None, plan.problem)
        return combined.finish()
    indexes: dict[tuple[str, str], int] = {}

    def keep(result: ParseResult, _point: Checkpoint, _url: str) -> None:
        for spec in result.datasets.values():
            combined.add_dataset(spec)
        for problem in result.problems:
            combined.problem(problem.line, problem.column, problem.message, problem.value)
        for record in result.records:
            spec = result.series[record.series]
            index = indexes.get(spec.key)
            if index is None:
                index = indexes[spec.key] = combined.series_index(spec)
            combined.records.append(record._replace(series=index))
        for key in ("verborgen_nullen", "rijen_zonder_regionaam"):
            if result.meta.get(key):
                combined.meta[key] = combined.meta.get(key, 0) + result.meta[key]

    point = run(client, plan, keep, progress=progress)
    combined.meta.update(plan.meta)
    combined.meta.update(
        {"tabel_id": plan.table, "rows": point.rows, "urls": list(client.requests)}
    )
    if plan.table == POPULATION_TABLE and not any(
        r.status != Status.ONBEKEND for r in combined.records
    ):
        combined.meta["status_onbekend"] = True
    return combined.finish()


def fetch_crime(
    client: CbsClient,
    *,
    gemeenten: list[str] | None = None,
    levels: tuple[str, ...] | None = None,
    years: Iterable[int] | None = None,
    progress: Progress = _noop,
) -> ParseResult:
    """47018NED in one result (see :func:`plan_crime`)."""
    plan = plan_crime(client, gemeenten=gemeenten, levels=levels, years=years)
    return collect(client, plan, progress=progress)


def fetch_population(
    client: CbsClient,
    *,
    gemeenten: list[str] | None = None,
    years: Iterable[int] | None = None,
    progress: Progress = _noop,
) -> ParseResult:
    """70072NED in one result (see :func:`plan_population`)."""
    plan = plan_population(client, gemeenten=gemeenten, years=years)
    return collect(client, plan, progress=progress)
