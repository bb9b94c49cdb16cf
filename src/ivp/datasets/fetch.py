"""Fetch fresh figures from the CBS API: 47018NED (registered crime per gemeente, wijk and
buurt, per year) and population and dwellings per gemeente (70072ned). Plain Python on
:class:`~ivp.datasets.cbs_client.CbsClient`; returns :class:`ParseResult` objects that the
service stores like any import (all or nothing, no doubles).

Requests are split per period (and per gemeente when one is asked for), as the API resets
very large downloads. Topic keys of 70072ned change between versions of the table
(``GemiddeldAantalInwoners_51`` …), so they are looked up in its DataProperties by name.
"""

from __future__ import annotations

from collections.abc import Iterable

from ivp.areas.codes import normalize_code
from ivp.datasets.cbs_client import CbsClient, Progress, eq, odata_or, startswith
from ivp.datasets.periods import Status
from ivp.datasets.sources import ParseResult
from ivp.datasets.sources.bundled import (
    POPULATION_NOTE,
    dwellings_series,
    population_series,
)
from ivp.datasets.sources.cbs_odata import parse_typed_dataset
from ivp.datasets.sources.cbs_tables import table_dataset

CRIME_TABLE = "47018NED"
POPULATION_TABLE = "70072NED"
LEVELS = ("GM", "WK", "BU")
FETCH_NOTE = "Opgehaald bij de CBS-API ({host}) op {date}."


def _noop(done: int, total: int, label: str) -> None:
    return None


def _years(periods: Iterable[str], years: Iterable[int] | None) -> list[str]:
    wanted = set(years) if years else None
    return sorted(
        p for p in periods if p.endswith("JJ00") and (wanted is None or int(p[:4]) in wanted)
    )


def fetch_crime(
    client: CbsClient,
    *,
    gemeenten: list[str] | None = None,
    levels: tuple[str, ...] | None = None,
    years: Iterable[int] | None = None,
    progress: Progress = _noop,
) -> ParseResult:
    """47018NED for the given gemeenten (with their wijken and buurten by default), or for
    all gemeenten (``gemeenten=None``; gemeente level only unless ``levels`` says more)."""
    codes = [normalize_code(g) for g in gemeenten] if gemeenten else None
    levels = levels or (LEVELS if codes else ("GM",))
    progress(0, 1, "metadata 47018NED")
    metadata = client.metadata(CRIME_TABLE, ("Perioden", "SoortMisdrijf"))
    periods = _years(metadata.dimensions.get("Perioden", {}), years)
    units: list[tuple[str, str]] = []
    for period in periods:
        if codes:
            for code in codes:
                digits = code[2:]
                region = odata_or([startswith("WijkenEnBuurten", f"{lv}{digits}") for lv in levels])
                units.append((period, region))
        else:
            region = odata_or([startswith("WijkenEnBuurten", lv) for lv in levels])
            units.append((period, region))
    pages = []
    for done, (period, region) in enumerate(units, start=1):
        progress(done - 1, len(units), f"47018NED {period[:4]}")
        pages.extend(
            client.pages(
                CRIME_TABLE,
                filter=f"{eq('Perioden', period)} and {region}",
                select=[
                    "SoortMisdrijf",
                    "WijkenEnBuurten",
                    "Perioden",
                    "GeregistreerdeMisdrijven_1",
                ],
            )
        )
        progress(done, len(units), f"47018NED {period[:4]}")
    if not pages:
        result = ParseResult("cbs-odata-json")
        result.problem(None, None, "de CBS-API gaf voor deze selectie geen perioden terug")
        return result.finish()
    result = parse_typed_dataset(pages, tabel_id=CRIME_TABLE, metadata=metadata)
    result.meta.update({"urls": list(client.requests), "perioden": periods})
    return result


def _topic(metadata, prefix: str) -> str | None:
    for prop in metadata.topics():
        if str(prop.get("Key", "")).startswith(prefix):
            return str(prop["Key"])
    return None


def fetch_population(
    client: CbsClient,
    *,
    gemeenten: list[str] | None = None,
    years: Iterable[int] | None = None,
    progress: Progress = _noop,
) -> ParseResult:
    """Inhabitants (average, else 1 January, as in the bundle) and dwellings per gemeente
    per year from 70072ned."""
    progress(0, 1, "metadata 70072ned")
    metadata = client.metadata(POPULATION_TABLE, ("Perioden",))
    average = _topic(metadata, "GemiddeldAantalInwoners")
    total = _topic(metadata, "TotaleBevolking")
    dwellings = _topic(metadata, "Woningvoorraad")
    result = ParseResult("cbs-odata-json")
    if not (average or total):
        result.problem(
            None, "DataProperties", "70072ned heeft geen onderwerp voor het aantal inwoners"
        )
        return result.finish()
    result.add_dataset(table_dataset(POPULATION_TABLE, POPULATION_NOTE))
    pop_index = result.series_index(population_series(POPULATION_TABLE, POPULATION_NOTE))
    dwell_index = (
        result.series_index(
            dwellings_series(POPULATION_TABLE, "Woningvoorraad op 1 januari (70072ned).")
        )
        if dwellings
        else None
    )
    periods = _years(metadata.dimensions.get("Perioden", {}), years)
    codes = [normalize_code(g) for g in gemeenten] if gemeenten else None
    select = ["RegioS", "Perioden", *[t for t in (average, total, dwellings) if t]]
    units = (
        [(None, odata_or([startswith("RegioS", c) for c in codes]))]
        if codes
        else [(p, startswith("RegioS", "GM")) for p in periods]
    )
    line = 0
    for done, (period, region) in enumerate(units, start=1):
        label = f"70072ned {period[:4]}" if period else "70072ned"
        progress(done - 1, len(units), label)
        flt = f"{eq('Perioden', period)} and {region}" if period else region
        for page in client.pages(POPULATION_TABLE, filter=flt, select=select):
            for row in page.get("value", []):
                line += 1
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
        progress(done, len(units), label)
    result.meta.update(
        {
            "urls": list(client.requests),
            "onderwerpen": {"gemiddeld": average, "1 januari": total, "woningen": dwellings},
            "woningen_beschikbaar": bool(dwellings),
        }
    )
    if not any(r.status != Status.ONBEKEND for r in result.records):
        result.meta["status_onbekend"] = True
    return result.finish()
