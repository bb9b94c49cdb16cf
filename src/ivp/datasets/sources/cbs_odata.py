"""Parse responses of the CBS OData v3 API (``opendata.cbs.nl`` and ``dataderden.cbs.nl``).

The real format, as the API sends it and as people save it from their browser::

    {"odata.metadata": "https://dataderden.cbs.nl/ODataApi/OData/47018NED/$metadata#…",
     "value": [{"ID": 0, "SoortMisdrijf": "1.1.1 ", "WijkenEnBuurten": "GM0597    ",
                "Perioden": "2016JJ00", "GeregistreerdeMisdrijven_1": 138, …}, …],
     "odata.nextLink": "…"}                       # only when there is a next page

- dimension keys are padded with spaces (``"GM0597    "``, ``"1.1.1 "``);
- ``Perioden`` holds years (``2018JJ00``) and months (``2018MM01``) in one column;
- ``null`` (TypedDataSet) or ``"."`` (UntypedDataSet) means withheld, not zero;
- roll-up rows (``0.0.0`` Totaal misdrijven; the gemeente above its wijken and buurten)
  stand beside their parts; they are stored as their own series/regions, never summed.

Dimensions are the fields without a ``_<number>`` suffix (``SoortMisdrijf``, ``RegioS``,
``WijkenEnBuurten``, ``Perioden``); topics are the fields with one
(``GeregistreerdeMisdrijven_1``). String topics (``Gemeentenaam_2``, ``SoortRegio_3``) are
descriptive and not stored as figures.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ivp.areas.codes import is_region_code, normalize_code
from ivp.datasets import offences
from ivp.datasets.periods import Status, is_cbs_period, status_from_cbs
from ivp.datasets.sources import (
    DatasetSpec,
    ImportFormatError,
    ParseResult,
    Record,
    SeriesKind,
    SeriesSpec,
    guarded,
)
from ivp.datasets.sources.cbs_tables import table, table_dataset

FORMAT = "cbs-odata-json"
_TOPIC = re.compile(r"_\d+$")
_TABLE_IN_URL = re.compile(r"/OData(?:Api|Feed)?/odata/([0-9A-Za-z]+)", re.IGNORECASE)
PERIOD_DIMENSION = "Perioden"
REGION_DIMENSIONS = ("WijkenEnBuurten", "RegioS", "Regio", "Gemeenten")
# Sexual offences, which the police hide in the wijk/buurt tables (47018NED, 47022NED: "De
# publicatie van zedendelicten ... blijft ... in deze tabel verborgen"). Their topic's
# default is "Zero", so the service may answer 0 where nothing is published.
SEXUAL_OFFENCES = frozenset({"1.4.1", "3.2.1", "3.2.2"})
NAME_TOPIC_PREFIX = "Gemeentenaam"


@dataclass
class CbsMetadata:
    """What the metadata endpoints of a table say: ``TableInfos``, ``DataProperties`` and
    the rows of each dimension (``Perioden`` with ``Status``, ``SoortMisdrijf`` with
    ``Title``). Built from JSON responses or from the CSV copies cbsodataR writes."""

    table_infos: dict[str, Any] = field(default_factory=dict)
    data_properties: list[dict[str, Any]] = field(default_factory=list)
    dimensions: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def add_dimension(self, name: str, rows: Iterable[Mapping[str, Any]]) -> None:
        self.dimensions[name] = {str(r["Key"]).strip(): dict(r) for r in rows}

    def topic(self, key: str) -> dict[str, Any] | None:
        for prop in self.data_properties:
            if prop.get("Key") == key and str(prop.get("Type", "")).endswith("Topic"):
                return prop
        return None

    def topics(self) -> list[dict[str, Any]]:
        return [p for p in self.data_properties if p.get("Type") == "Topic"]

    def title(self, dimension: str, key: str) -> str | None:
        row = self.dimensions.get(dimension, {}).get(key.strip())
        return str(row.get("Title", "")).strip() if row else None

    @property
    def politie(self) -> bool:
        """A table of the police catalogue (StatLine voor derden)."""
        return str(self.table_infos.get("Catalog", "")).strip().lower() == "politie"

    def period_status(self, period: str) -> Status:
        """The status CBS gives a period. The police tables mark every period
        "Definitief", although the police revise their figures at every update: for them
        the status is unknown (and an unknown status never replaces a known one)."""
        if self.politie:
            return Status.ONBEKEND
        row = self.dimensions.get(PERIOD_DIMENSION, {}).get(period)
        return status_from_cbs(row.get("Status") if row else None)

    def topic_key(self, prefix: str) -> str | None:
        """The key of the first topic (not a topic group, whose key is empty) whose key
        starts with ``prefix``: keys change between versions of a table
        (``VoorraadOp1Januari_60``, older ``…_90``)."""
        for prop in self.topics():
            key = str(prop.get("Key") or "")
            if key.startswith(prefix):
                return key
        return None

    def topic_default(self, key: str) -> str:
        """What the service sends for a cell without a figure: "Zero", "Missing",
        "Impossible" (DataProperties ``Default``)."""
        return str((self.topic(key) or {}).get("Default") or "").strip()

    def hidden_categories(self) -> frozenset[str]:
        """Categories the table says it hides (sexual offences in 47018NED/47022NED)."""
        text = " ".join(
            str(self.table_infos.get(k) or "") for k in ("ShortDescription", "Description")
        ).lower()
        return SEXUAL_OFFENCES if "zedendelicten" in text and "verborgen" in text else frozenset()

    @classmethod
    def from_responses(
        cls,
        *,
        table_infos: Mapping | None = None,
        data_properties: Mapping | None = None,
        dimensions: Mapping[str, Mapping] | None = None,
    ) -> CbsMetadata:
        """From JSON responses (each ``{"odata.metadata": …, "value": [...]}``)."""
        meta = cls()
        if table_infos:
            values = table_infos.get("value") or [{}]
            meta.table_infos = dict(values[0])
        if data_properties:
            meta.data_properties = list(data_properties.get("value", []))
        for name, response in (dimensions or {}).items():
            meta.add_dimension(name, response.get("value", []))
        return meta

    @classmethod
    def from_csv_folder(cls, folder: Path, dimensions: Iterable[str]) -> CbsMetadata:
        """From the CSV files cbsodataR writes (``TableInfos.csv``, ``DataProperties.csv``,
        one file per dimension), as bundled in ``politie-47018-wijkbuurt-meta``."""
        meta = cls()
        infos = folder / "TableInfos.csv"
        if infos.exists():
            with infos.open(encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.DictReader(handle))
                meta.table_infos = rows[0] if rows else {}
        props = folder / "DataProperties.csv"
        if props.exists():
            with props.open(encoding="utf-8-sig", newline="") as handle:
                meta.data_properties = list(csv.DictReader(handle))
        for name in dimensions:
            path = folder / f"{name}.csv"
            if path.exists():
                with path.open(encoding="utf-8-sig", newline="") as handle:
                    meta.add_dimension(name, csv.DictReader(handle))
        return meta


def table_id_from_metadata_url(url: str) -> str | None:
    match = _TABLE_IN_URL.search(url if isinstance(url, str) else "")
    return match.group(1).upper() if match else None


def load_json(data: bytes | str) -> Any:
    try:
        return json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFormatError(f"het bestand is geen geldige JSON: {error}") from error
    except RecursionError as error:
        raise ImportFormatError("het JSON-bestand is te diep genest om te lezen") from error


def _scalar(value: Any) -> bool:
    return value is None or (isinstance(value, str | int | float) and not isinstance(value, bool))


def looks_like_odata(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and isinstance(document.get("value"), list)
        and ("odata.metadata" in document or "@odata.context" in document)
    )


def _is_topic(key: str) -> bool:
    return bool(_TOPIC.search(key))


def _value(raw: Any) -> tuple[float | None, str | None]:
    """A topic value: number, ``None`` (withheld), or a problem message."""
    if raw is None:
        return None, None
    if isinstance(raw, bool):
        return None, "geen getal"
    if isinstance(raw, int | float):
        return float(raw), None
    text = str(raw).strip()
    if text in ("", ".", "x", "X"):
        return None, None
    try:
        return float(text.replace(",", ".")), None
    except ValueError:
        return None, "geen getal"


def series_for(
    tabel_id: str,
    dims: dict[str, str],
    topic: str,
    *,
    primary_topic: str,
    metadata: CbsMetadata | None,
) -> SeriesSpec:
    """The series of one topic for one combination of non-region, non-period dimensions."""
    topic_meta = metadata.topic(topic) if metadata else None
    unit = str((topic_meta or {}).get("Unit") or "aantal").strip() or "aantal"
    topic_title = str((topic_meta or {}).get("Title") or topic).strip()
    soort_misdrijf = dims.get("SoortMisdrijf", "")
    overlast_code = dims.get("SoortOverlast", "") or dims.get("Overlast", "")
    parts = [v for k, v in sorted(dims.items()) if k not in ("Marges",)]
    code = "|".join(parts) if parts else topic
    if parts and topic != primary_topic:
        code = f"{code}|{topic}"
    margin = dims.get("Marges", "")
    if margin and margin.lower() not in ("mw00000", "waarde"):
        code = f"{code}|{margin}"

    if soort_misdrijf:
        category = offences.soort_misdrijf().get(soort_misdrijf)
        title = (metadata.title("SoortMisdrijf", soort_misdrijf) if metadata else None) or (
            category.label if category else soort_misdrijf
        )
        naam = title if topic == primary_topic else f"{title} — {topic_title}"
        return SeriesSpec(
            dataset=tabel_id,
            code=code,
            naam=naam,
            soort=SeriesKind.MISDRIJVEN,
            eenheid=unit,
            soort_misdrijf=soort_misdrijf,
            onderwerp=topic,
        )
    if overlast_code:
        category = offences.overlast().get(overlast_code)
        naam = category.label if category else overlast_code
        return SeriesSpec(
            dataset=tabel_id,
            code=code,
            naam=naam,
            soort=SeriesKind.OVERLAST,
            eenheid=unit,
            incident_code="" if overlast_code == offences.TOTAAL else overlast_code,
            onderwerp=topic,
        )
    naam = topic_title
    if parts:
        naam = f"{topic_title} ({', '.join(parts)})"
    if margin and margin.lower() not in ("mw00000", "waarde"):
        naam = f"{naam} — marge"
    return SeriesSpec(dataset=tabel_id, code=code, naam=naam, eenheid=unit, onderwerp=topic)


@guarded
def parse_typed_dataset(
    pages: Mapping | Iterable[Mapping],
    *,
    tabel_id: str | None = None,
    metadata: CbsMetadata | None = None,
    dataset: DatasetSpec | None = None,
    topics: Iterable[str] | None = None,
    series_override: Mapping[str, SeriesSpec] | None = None,
    line_offset: int = 0,
) -> ParseResult:
    """Parse one or more pages of ``TypedDataSet`` (or ``UntypedDataSet``).

    ``topics`` limits which topics become series (default: every numeric topic);
    ``series_override`` maps a topic key to the series to use for it (how the population
    fetch names ``GemiddeldAantalInwoners_*`` "inwoners"); ``line_offset``: rows of
    earlier pages (a download parsed page by page numbers its rows on).

    Two kinds of 0 are not figures: a 0 of a category the table hides (sexual offences
    in 47018NED, whose topic default is "Zero") is stored as not published, and a row of a
    region without a name (blank ``Gemeentenaam``) with nothing but zeros is a filler row
    of the service, not a region, and is skipped.
    """
    iterator = iter([pages] if isinstance(pages, Mapping) else pages)
    first = next(iterator, None)
    result = ParseResult(FORMAT)
    if first is None or not looks_like_odata(first):
        raise ImportFormatError(
            "dit is geen antwoord van de CBS-OData-API (verwacht: een JSON-object met "
            "‘odata.metadata’ en ‘value’)"
        )
    found_id = table_id_from_metadata_url(
        first.get("odata.metadata") or first.get("@odata.context", "")
    )
    tabel_id = (tabel_id or found_id or "").upper()
    if not tabel_id:
        raise ImportFormatError("uit het antwoord blijkt niet van welke CBS-tabel het is")
    if found_id and found_id != tabel_id:
        result.problem(
            None,
            "odata.metadata",
            f"het antwoord komt uit tabel {found_id}, niet uit {tabel_id}",
        )
        return result.finish()
    known = table(tabel_id)
    result.add_dataset(dataset or table_dataset(tabel_id))
    result.meta["tabel_id"] = tabel_id
    primary = (known.primary_topic if known else "") or ""
    wanted = set(topics) if topics is not None else None
    if not primary and metadata:
        numeric = [t["Key"] for t in metadata.topics() if t.get("Datatype") not in ("String",)]
        primary = numeric[0] if numeric else ""

    string_topics = {
        t["Key"] for t in (metadata.topics() if metadata else []) if t.get("Datatype") == "String"
    }
    page_list_is_streamed = bool(metadata or primary)
    if page_list_is_streamed:
        # The topics are known: read the pages one by one (a national table has a hundred).
        page_list: Iterable[Mapping] = itertools.chain([first], iterator)
        numeric_topics: set[str] = set()
    else:
        # A topic is numeric when any row has a number (or a number as text) in it; a text
        # in a numeric topic is then a problem, not a description.
        page_list = [first, *iterator]
        numeric_topics = {
            key
            for page in page_list
            for row in page.get("value", [])
            if isinstance(row, dict)
            for key, raw in row.items()
            if _is_topic(key)
            and (
                (isinstance(raw, int | float) and not isinstance(raw, bool))
                or (
                    isinstance(raw, str)
                    and raw.strip() not in ("", ".", "x", "X")
                    and _numeric_text(raw)
                )
            )
        }
    numeric_topics |= {
        t["Key"] for t in (metadata.topics() if metadata else []) if t.get("Datatype") != "String"
    }
    if primary:
        numeric_topics.add(primary)
    hidden = metadata.hidden_categories() if metadata else frozenset()
    if hidden and primary and metadata and metadata.topic_default(primary) not in ("", "Zero"):
        hidden = frozenset()  # the service sends no 0 for a missing cell: a 0 is a 0
    hidden_zeros = blank_rows = 0
    line = line_offset
    series_cache: dict[tuple, int] = {}
    # Caches: a national table repeats the same keys, regions and periods a million times.
    layouts: dict[tuple[str, ...], tuple[str | None, tuple[str, ...], tuple[str, ...]]] = {}
    regions: dict[str, str | None] = {}
    periods: dict[str, tuple[str, Status] | None] = {}
    for page in page_list:
        if not looks_like_odata(page):
            result.problem(line + 1, None, "deze pagina is geen antwoord van de CBS-OData-API")
            continue
        for row in page["value"]:
            line += 1
            if not isinstance(row, dict):
                result.problem(line, None, "rij is geen object")
                continue
            keys = tuple(row)
            layout = layouts.get(keys)
            if layout is None:
                region_key = next((k for k in REGION_DIMENSIONS if k in row), None)
                dim_keys = tuple(
                    k
                    for k in keys
                    if k not in ("ID", region_key, PERIOD_DIMENSION) and not _is_topic(k)
                )
                topic_keys = tuple(
                    k
                    for k in keys
                    if _is_topic(k)
                    and (wanted is None or k in wanted)
                    and k not in string_topics
                    and (k in numeric_topics or not page_list_is_streamed)
                )
                layout = layouts[keys] = (region_key, dim_keys, topic_keys)
            region_key, dim_keys, topic_keys = layout
            if region_key is None or PERIOD_DIMENSION not in row:
                result.problem(
                    line,
                    None,
                    "rij zonder regio- of periodekolom (verwacht ‘Perioden’ en "
                    "‘WijkenEnBuurten’ of ‘RegioS’)",
                )
                continue
            wrong = [k for k in (region_key, PERIOD_DIMENSION, *dim_keys) if not _scalar(row[k])]
            if wrong:
                result.problem(line, wrong[0], "verwacht een tekst of getal, geen lijst of object")
                continue
            raw_region = row[region_key]
            if raw_region in regions:
                regio = regions[raw_region]
            else:
                code = normalize_code(str(raw_region))
                regio = regions[raw_region] = code if is_region_code(code) else None
            if regio is None:
                result.problem(line, region_key, "geen CBS-regiocode", str(raw_region))
                continue
            raw_period = row[PERIOD_DIMENSION]
            if raw_period in periods:
                period_info = periods[raw_period]
            else:
                text = str(raw_period).strip().upper()
                period_info = periods[raw_period] = (
                    (text, str(metadata.period_status(text)) if metadata else "")
                    if is_cbs_period(text)
                    else None
                )
            if period_info is None:
                result.problem(line, PERIOD_DIMENSION, "geen CBS-periode", str(raw_period))
                continue
            periode, status = period_info
            name_key = next((k for k in row if k.startswith(NAME_TOPIC_PREFIX)), None)
            if (
                name_key is not None
                and not str(row[name_key] or "").strip()
                and all(row.get(k) in (0, None) for k in topic_keys if k in numeric_topics)
            ):
                blank_rows += 1
                continue
            dim_values = tuple(str(row[k]).strip() for k in dim_keys)
            for key in topic_keys:
                if key not in numeric_topics:
                    continue  # descriptive string topic, e.g. Gemeentenaam_2
                raw = row[key]
                if not _scalar(raw):
                    waarde, error = None, "verwacht een getal, geen lijst of object"
                elif raw is None or (isinstance(raw, int | float) and not isinstance(raw, bool)):
                    try:
                        waarde, error = (None if raw is None else float(raw)), None
                    except OverflowError:
                        waarde, error = None, "getal te groot"
                else:
                    waarde, error = _value(raw)
                if waarde is not None and not math.isfinite(waarde):
                    waarde, error = None, "geen eindig getal"
                if error:
                    result.problem(line, key, error, str(raw))
                    continue
                if waarde == 0 and hidden and row.get("SoortMisdrijf", "").strip() in hidden:
                    waarde = None  # hidden category: a 0 is the table's default, not a count
                    hidden_zeros += 1
                cache_key = (key, dim_keys, dim_values)
                index = series_cache.get(cache_key)
                if index is None:
                    dims = dict(zip(dim_keys, dim_values, strict=True))
                    spec = (series_override or {}).get(key) or series_for(
                        tabel_id, dims, key, primary_topic=primary, metadata=metadata
                    )
                    index = result.series_index(spec)
                    series_cache[cache_key] = index
                result.records.append(Record(index, regio, periode, waarde, status, line))
    result.meta["rows"] = line - line_offset
    if hidden_zeros:
        result.meta["verborgen_nullen"] = hidden_zeros
    if blank_rows:
        result.meta["rijen_zonder_regionaam"] = blank_rows
    return result.finish()


def _numeric_text(text: str) -> bool:
    stripped = text.strip()
    if stripped in (".", "x", "X"):
        return True
    try:
        float(stripped.replace(",", "."))
    except ValueError:
        return False
    return True
