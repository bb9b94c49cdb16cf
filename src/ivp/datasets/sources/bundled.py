"""Parse the data files bundled in ``datasets/bundled/`` (copies of ``../shared/data`` with
their PROVENANCE.md). Plain Python; the service stores what these return.

Each function returns a :class:`ParseResult` whose dataset carries the table, licence and
a note saying which bundled file (and which repository commit) the figures come from.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ivp.areas.codes import normalize_code
from ivp.datasets import offences
from ivp.datasets.periods import Status, year_code
from ivp.datasets.sources import ParseResult, SeriesKind, SeriesSpec
from ivp.datasets.sources.cbs_odata import CbsMetadata
from ivp.datasets.sources.cbs_tables import table_dataset
from ivp.datasets.sources.regions import RegionResolver, simplify
from ivp.datasets.sources.statline_csv import parse_statline
from ivp.datasets.sources.tabular import Table, cell_text, read_csv

BUNDLED = Path(__file__).resolve().parents[1] / "bundled"
GEMEENTEN_JSON = BUNDLED / "cbs-47018-gemeenten" / "data.json"
NL_CRIME = BUNDLED / "politie-47025-47021-nl" / "NL_Crime.csv"
NL_DISORDER = BUNDLED / "politie-47025-47021-nl" / "NL_Disorder.csv"
CRIME_META = BUNDLED / "politie-47018-wijkbuurt-meta" / "crime"
BUURT_POPULATION = (
    BUNDLED / "politie-47018-wijkbuurt-meta" / "population" / "Population85984_2024.csv"
)
VM_NL_PV = BUNDLED / "cbs-vm-provincie" / "veiligheidsbeleving_gemeente.csv"
VM_PV = BUNDLED / "cbs-vm-provincie" / "veiligheidsbeleving_regio.csv"
CRIME_PV = BUNDLED / "cbs-vm-provincie" / "Misdrijven_per_gemeente.csv"
VM_POLITIE = BUNDLED / "cbs-81928-vm-politie" / "satisfaction.csv"
POPULATION_37230 = BUNDLED / "politie-47013-metadata" / "bevolkingeindeperiod_jaren_22122025.csv"

INWONERS = "inwoners"
WONINGEN = "woningen"


def metadata_47018() -> CbsMetadata:
    """47018NED metadata as bundled (state of 15 Aug 2024): DataProperties, Perioden with
    Status, SoortMisdrijf with titles."""
    return CbsMetadata.from_csv_folder(CRIME_META, ["SoortMisdrijf", "Perioden"])


def population_series(dataset: str, toelichting: str = "") -> SeriesSpec:
    return SeriesSpec(
        dataset=dataset,
        code=INWONERS,
        naam="Aantal inwoners",
        soort=SeriesKind.BEVOLKING,
        eenheid="aantal",
        toelichting=toelichting,
    )


def dwellings_series(dataset: str, toelichting: str = "") -> SeriesSpec:
    return SeriesSpec(
        dataset=dataset,
        code=WONINGEN,
        naam="Woningvoorraad",
        soort=SeriesKind.WONINGEN,
        eenheid="aantal",
        toelichting=toelichting,
    )


def crime_series(dataset: str, code: str) -> SeriesSpec:
    category = offences.soort_misdrijf().get(code)
    return SeriesSpec(
        dataset=dataset,
        code=code,
        naam=category.label if category else code,
        soort=SeriesKind.MISDRIJVEN,
        eenheid="aantal",
        soort_misdrijf=code,
        onderwerp="GeregistreerdeMisdrijven_1",
    )


# --- 47018NED per gemeente (12 categories) and 70072ned population ----------------------

GEMEENTEN_NOTE = (
    "Meegeleverd bestand cbs-47018-gemeenten/data.json (repository "
    "luc4sdreyer/dutch_demographics, commit 62569b5d). Bevat 12 van de 58 soorten misdrijf "
    "per gemeente (indeling 2024) voor 2012–2025; niet: Totaal misdrijven (0.0.0), de andere "
    "46 soorten, wijken en buurten. Niet-gepubliceerde cijfers zijn weggelaten, niet op 0 "
    "gezet. 2024 en 2025 waren bij het samenstellen voorlopig."
)
POPULATION_NOTE = (
    "Gemiddeld aantal inwoners per gemeente per jaar (70072ned, onderwerp "
    "GemiddeldAantalInwoners); waar dat ontbrak: de bevolking op 1 januari (TotaleBevolking). "
    "Gebied: de gemeente zoals die in dat jaar bestond."
)


def parse_gemeenten_json(path: Path = GEMEENTEN_JSON) -> ParseResult:
    document = json.loads(path.read_text(encoding="utf-8"))
    provisional = {int(y) for y in document.get("provisional", [])}
    result = ParseResult("meegeleverd-json")
    result.add_dataset(table_dataset("47018NED", GEMEENTEN_NOTE))
    result.add_dataset(table_dataset("70072NED", POPULATION_NOTE))
    result.meta["bestand"] = str(path.relative_to(BUNDLED))

    def status(year: str) -> Status:
        return Status.VOORLOPIG if int(year) in provisional else Status.DEFINITIEF

    line = 0
    for offence in document["offences"]:
        code = offence["code"]
        index = result.series_index(crime_series("47018NED", code))
        for gemeente, years in document["counts"][code].items():
            for year, count in years.items():
                line += 1
                result.add(
                    index,
                    normalize_code(gemeente),
                    year_code(int(year)),
                    float(count),
                    status(year),
                    line,
                )
    pop = result.series_index(population_series("70072NED", POPULATION_NOTE))
    for gemeente, years in document["population"].items():
        for year, count in years.items():
            line += 1
            result.add(
                pop,
                normalize_code(gemeente),
                year_code(int(year)),
                float(count),
                status(year),
                line,
            )
    result.meta["provisional_years"] = sorted(provisional)
    return result.finish()


# --- national 47025NED crime and 47021NED nuisance --------------------------------------

NL_CRIME_NOTE = (
    "Meegeleverd bestand politie-47025-47021-nl/NL_Crime.csv (repository "
    "bernasco/staat_van_de_misdaad, gedownload januari 2024): landelijke aantallen van alle 58 "
    "soorten misdrijf en Totaal misdrijven, 2012–2023. Het script van de bron zette lege "
    "cellen op 0; ivp leest een 0 daarom als ‘niet bekend’."
)
NL_DISORDER_NOTE = (
    "Meegeleverd bestand politie-47025-47021-nl/NL_Disorder.csv: landelijke geregistreerde "
    "overlast (E33, E35, E38, E41, F010, M061, M062, M22 en totaal), 2012–2023."
)


def _read_dict_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return [(number, row) for number, row in enumerate(reader, start=2)]


def parse_nl_crime(path: Path = NL_CRIME) -> ParseResult:
    result = ParseResult("meegeleverd-csv")
    result.add_dataset(table_dataset("47025NED", NL_CRIME_NOTE))
    zeros = 0
    for line, row in _read_dict_rows(path):
        code = offences.code_from_label(row["incident_type_code"])
        if code is None:
            result.problem(
                line, "incident_type_code", "onbekende soort misdrijf", row["incident_type_code"]
            )
            continue
        index = result.series_index(crime_series("47025NED", code))
        count = float(row["incident_count"])
        if count == 0:
            zeros += 1
            count_or_none: float | None = None
        else:
            count_or_none = count
        status = Status.VOORLOPIG if row["year"] == "2023" else Status.DEFINITIEF
        result.add(index, "NL01", year_code(int(row["year"])), count_or_none, status, line)
    result.meta["nullen_als_onbekend"] = zeros
    return result.finish()


def parse_nl_disorder(path: Path = NL_DISORDER) -> ParseResult:
    result = ParseResult("meegeleverd-csv")
    result.add_dataset(table_dataset("47021NED", NL_DISORDER_NOTE))
    by_title = {simplify(c.titel): c for c in offences.overlast().values()}
    for line, row in _read_dict_rows(path):
        category = by_title.get(simplify(row["incident_type_code"]))
        if category is None:
            result.problem(
                line, "incident_type_code", "onbekende soort overlast", row["incident_type_code"]
            )
            continue
        spec = SeriesSpec(
            dataset="47021NED",
            code=category.code,
            naam=category.label if category.code != offences.TOTAAL else category.titel,
            soort=SeriesKind.OVERLAST,
            incident_code="" if category.code == offences.TOTAAL else category.code,
            onderwerp="GeregistreerdeOverlast_1",
        )
        status = Status.VOORLOPIG if row["year"] == "2023" else Status.DEFINITIEF
        result.add(
            result.series_index(spec),
            "NL01",
            year_code(int(row["year"])),
            float(row["incident_count"]),
            status,
            line,
        )
    return result.finish()


# --- buurt population (85984NED, 1 January 2024) ----------------------------------------

BUURT_NOTE = (
    "Meegeleverd bestand politie-47018-wijkbuurt-meta/population/Population85984_2024.csv: "
    "aantal inwoners per buurt op 1 januari 2024 (85984NED, onderwerp AantalInwoners_5), "
    "afgeleid door bernasco/misdaad_concentratie."
)


def parse_buurt_population(path: Path = BUURT_POPULATION) -> ParseResult:
    result = ParseResult("meegeleverd-csv")
    result.add_dataset(table_dataset("85984NED", BUURT_NOTE))
    index = result.series_index(population_series("85984NED", BUURT_NOTE))
    for line, row in _read_dict_rows(path):
        code = normalize_code(row["nhood_id"])
        value = row["population"].strip()
        result.add(
            index,
            code,
            year_code(2024),
            float(value) if value not in ("", "NA") else None,
            Status.DEFINITIEF,
            line,
        )
    return result.finish()


# --- Veiligheidsmonitor and 47013NED per province (StatLine downloads) ------------------

VM_NOTE = (
    "Meegeleverd bestand cbs-vm-provincie/{name} (repository davidmokken/Project, 2019): "
    "StatLine-download van 81877NED, Nederland en provincies 2013–2017, zoals gepubliceerd "
    "medio 2019. Let op: sinds 2021 is de Veiligheidsmonitor niet vergelijkbaar met 2019 en "
    "eerder."
)
CRIME_PV_NOTE = (
    "Meegeleverd bestand cbs-vm-provincie/Misdrijven_per_gemeente.csv (ondanks de naam: "
    "Nederland en provincies), StatLine-download van 47013NED, 2013–2018, gedownload in 2019; "
    "sindsdien door de politie herzien."
)


def parse_vm_province(path: Path, resolver: RegionResolver) -> ParseResult:
    dataset = table_dataset("81877NED", VM_NOTE.format(name=path.name))
    return parse_statline(
        path.read_bytes(), resolver=resolver, tabel_id="81877NED", dataset=dataset
    )


def parse_crime_province(resolver: RegionResolver, path: Path = CRIME_PV) -> ParseResult:
    dataset = table_dataset("47013NED", CRIME_PV_NOTE)
    return parse_statline(
        path.read_bytes(), resolver=resolver, tabel_id="47013NED", dataset=dataset
    )


# --- 37230ned population of Nederland and the provinces (periods across) ----------------

POPULATION_37230_NOTE = (
    "Meegeleverd bestand politie-47013-metadata/bevolkingeindeperiod_jaren_22122025.csv "
    "(StatLine-download van 37230ned, december 2025): bevolking aan het einde van het jaar. "
    "ivp leest hieruit Nederland en de provincies; gemeenten staan er alleen met hun naam in "
    "(en voor gemeenten levert 70072ned het gemiddelde inwonertal)."
)


def parse_population_nl_pv(resolver: RegionResolver, path: Path = POPULATION_37230) -> ParseResult:
    table = read_csv(path.read_bytes())
    kept = []
    for line, cells in table.rows:
        first = cell_text(cells[0]) if cells else ""
        header_like = first in ("", "Regio's") or first.startswith(("Bevolking", "Bron"))
        if header_like or first == "Nederland" or first.endswith("(PV)"):
            kept.append((line, cells))
    dataset = table_dataset("37230NED", POPULATION_37230_NOTE)
    result = parse_statline(
        Table(kept, "csv", table.delimiter), resolver=resolver, tabel_id="37230NED", dataset=dataset
    )
    # The series is the end-of-year population; name it so.
    if result.series:
        result.series[0] = replace(
            result.series[0],
            code="bevolking-31-december",
            naam="Bevolking op 31 december",
            soort=SeriesKind.BEVOLKING,
        )
    return result


# --- Veiligheidsmonitor 81928NED (cbsodata export with labels) --------------------------

VM_POLITIE_NOTE = (
    "Meegeleverd bestand cbs-81928-vm-politie/satisfaction.csv (repository "
    "raghav5578/jip-crimemap, 2022; cbsodata-export van 81928NED, 2012–2019). ivp leest de "
    "regio's met een CBS-code (Nederland, landsdelen, provincies, politie-eenheden, gemeenten); "
    "basisteams, districten en groepen (G4, G32, …) hebben in dit bestand geen code en worden "
    "niet ingelezen."
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _topic_name(key: str) -> str:
    base = re.sub(r"_\d+$", "", key)
    words = _CAMEL.sub(" ", base).split()
    text = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)
    return text[:1].upper() + text[1:]


def parse_vm_politie(resolver: RegionResolver, path: Path = VM_POLITIE) -> ParseResult:
    result = ParseResult("meegeleverd-csv")
    result.add_dataset(table_dataset("81928NED", VM_POLITIE_NOTE))
    skipped: set[str] = set()
    rows = _read_dict_rows(path)
    topics = [k for k in rows[0][1] if re.search(r"_\d+$", k)] if rows else []
    specs: dict[tuple[str, bool], int] = {}
    for line, row in rows:
        label = row["RegioS"]
        code, _reason = resolver.resolve(label)
        if code is None:
            skipped.add(label)
            continue
        margin = row["Marges"].strip().lower() != "waarde"
        periode = year_code(int(row["Perioden"].strip()[:4]))
        for topic in topics:
            key = (topic, margin)
            if key not in specs:
                unit = "schaalscore" if "Schaalscore" in topic else "%"
                naam = _topic_name(topic) + (" — 95%-marge" if margin else "")
                specs[key] = result.series_index(
                    SeriesSpec(
                        dataset="81928NED",
                        code=topic + ("|marge" if margin else ""),
                        naam=naam,
                        eenheid=unit,
                        onderwerp=topic,
                    )
                )
            text = row[topic].strip()
            value = float(text) if text else None
            result.add(specs[key], code, periode, value, Status.DEFINITIEF, line)
    result.meta["niet_ingelezen_regios"] = sorted(skipped)
    return result.finish()


@dataclass(frozen=True)
class BundledSet:
    """One bundled file: where it is, how to parse it, when its figures were retrieved."""

    name: str  # path below bundled/
    parse: Callable[[RegionResolver], ParseResult]
    retrieved: str  # ISO date the figures were retrieved from the source, "" if unknown
    retrieved_note: str

    @property
    def path(self) -> Path:
        return BUNDLED / self.name


BUNDLED_SETS: tuple[BundledSet, ...] = (
    BundledSet(
        "cbs-47018-gemeenten/data.json",
        lambda r: parse_gemeenten_json(),
        "",
        "Opgehaald door luc4sdreyer/dutch_demographics (build_data.py), uiterlijk bij commit "
        "62569b5d (2026); 2024 en 2025 toen voorlopig.",
    ),
    BundledSet(
        "politie-47025-47021-nl/NL_Crime.csv",
        lambda r: parse_nl_crime(),
        "2024-01-22",
        "Gedownload door bernasco/staat_van_de_misdaad in januari 2024; 2023 toen voorlopig.",
    ),
    BundledSet(
        "politie-47025-47021-nl/NL_Disorder.csv",
        lambda r: parse_nl_disorder(),
        "2024-01-22",
        "Gedownload door bernasco/staat_van_de_misdaad in januari 2024; 2023 toen voorlopig.",
    ),
    BundledSet(
        "politie-47018-wijkbuurt-meta/population/Population85984_2024.csv",
        lambda r: parse_buurt_population(),
        "2024-09-11",
        "Afgeleid uit 85984NED (versie 16 augustus 2024) door bernasco/misdaad_concentratie.",
    ),
    BundledSet(
        "politie-47013-metadata/bevolkingeindeperiod_jaren_22122025.csv",
        parse_population_nl_pv,
        "2025-12-22",
        "StatLine-download van 37230ned, 22 december 2025.",
    ),
    BundledSet(
        "cbs-vm-provincie/veiligheidsbeleving_gemeente.csv",
        lambda r: parse_vm_province(VM_NL_PV, r),
        "2019-06-08",
        "StatLine-download van 81877NED, juni 2019 (davidmokken/Project).",
    ),
    BundledSet(
        "cbs-vm-provincie/veiligheidsbeleving_regio.csv",
        lambda r: parse_vm_province(VM_PV, r),
        "2019-06-08",
        "StatLine-download van 81877NED, juni 2019 (davidmokken/Project).",
    ),
    BundledSet(
        "cbs-vm-provincie/Misdrijven_per_gemeente.csv",
        lambda r: parse_crime_province(r),
        "2019-06-08",
        "StatLine-download van 47013NED, juni 2019 (davidmokken/Project); sindsdien herzien.",
    ),
    BundledSet(
        "cbs-81928-vm-politie/satisfaction.csv",
        lambda r: parse_vm_politie(r),
        "2022-10-27",
        "cbsodata-export van 81928NED, oktober 2022 (raghav5578/jip-crimemap).",
    ),
)


def all_bundled(resolver: RegionResolver) -> Iterable[tuple[str, ParseResult]]:
    """Every bundled set in load order, as ``(bundled file, parse result)``."""
    for bundled_set in BUNDLED_SETS:
        yield bundled_set.name, bundled_set.parse(resolver)
