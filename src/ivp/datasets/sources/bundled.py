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
from ivp.areas.sources import read_regios_47013
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
TOTALS = BUNDLED / "cbs-totaal-misdrijven-gemeenten"
TOTALS_47013 = (TOTALS / "47013NED-totaal-2022-2023.csv", TOTALS / "47013NED-totaal-2024.csv")
TOTALS_83648 = TOTALS / "83648NED-totaal-2010-2020.csv"
REGIOCODES_83648 = TOTALS / "ivp-regiocodes-83648NED.csv"

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


# --- the total of registered crime per gemeente: 47013NED (2022–2024), 83648NED (2010–2020) --

TOTAL = offences.TOTAAL
TOTALS_47013_NOTE = (
    "Meegeleverd bestand cbs-totaal-misdrijven-gemeenten/{name} (StatLine-download van "
    "47013NED ‘Geregistreerde misdrijven en aangiften; soort misdrijf, gemeente 2026’, "
    "repository Sophie-Thoolen/Group-1-7---Criminaliteit-en-, commit 7a0c0874): Totaal "
    "misdrijven per gemeente (indeling 2026, voor alle jaren), Nederland en de politie-eenheden. "
    "Exacte aantallen van de politie. Bron 1 van de reeks ‘Totaal misdrijven’ per gemeente "
    "(2022–2024); 2010–2020 komt uit 83648NED, 2021 ontbreekt in beide."
)
TOTALS_83648_NOTE = (
    "Meegeleverd bestand cbs-totaal-misdrijven-gemeenten/83648NED-totaal-2010-2020.csv "
    "(export van CBS-tabel 83648NED ‘Geregistreerde criminaliteit; soort misdrijf, regio’, "
    "stopgezet; repository MarkYonan238/Dashboard-Misdrijven, commit e3b8f9b0). Misdrijven "
    "totaal per gemeente in de indeling van elk jaar zelf (voormalige gemeenten onder hun "
    "eigen code, zie ivp-regiocodes-83648NED.csv), afgerond op vijftallen, met de definitie "
    "van het CBS (wijkt iets af van de politietabellen 47013NED/47018NED). Een 0 in het "
    "bestand betekent ‘bestond niet’ of ‘niet bekend’ en wordt niet als 0 ingelezen. Haaren "
    "ontbreekt. Bron 2 van de reeks ‘Totaal misdrijven’ (2010–2020); vanaf 2022 47013NED."
)

# 83648NED topics ivp reads besides the total, as indicator series of the same table.
TOPICS_83648: tuple[tuple[str, str, str], ...] = (
    (
        "GeregistreerdeMisdrijvenPer1000Inw_3",
        "Geregistreerde misdrijven per 1.000 inwoners",
        "per 1.000 inwoners",
    ),
    ("TotaalOpgehelderdeMisdrijven_4", "Opgehelderde misdrijven", "aantal"),
    (
        "OpgehelderdeMisdrijvenRelatief_5",
        "Ophelderingspercentage (opgehelderde misdrijven in % van de geregistreerde)",
        "%",
    ),
    ("RegistratiesVanVerdachten_6", "Registraties van verdachten", "aantal"),
)
TOTAL_TOPIC_83648 = "TotaalGeregistreerdeMisdrijven_1"
OPHELDERING = f"{TOTAL}|OpgehelderdeMisdrijvenRelatief_5"


def total_series(dataset: str, toelichting: str = "", topic: str = "") -> SeriesSpec:
    """The series ``0.0.0`` (Totaal misdrijven) of a table."""
    return SeriesSpec(
        dataset=dataset,
        code=TOTAL,
        naam="Totaal misdrijven",
        soort=SeriesKind.MISDRIJVEN,
        eenheid="aantal",
        soort_misdrijf=TOTAL,
        onderwerp=topic or "GeregistreerdeMisdrijven_1",
        toelichting=toelichting,
    )


def region_codes_47013() -> dict[str, str]:
    """Names of the region list of 47013NED (division 2025, as in the metadata export) →
    codes: Nederland, landsdelen, provincies, politie-eenheden and gemeenten."""
    return {name: code for code, (name, _changes) in read_regios_47013().items()}


def _not_a_region(code: str) -> bool:
    """'Buitenland' (GM0998) and the 'niet in te delen' rows (GM0999, PV99, RE99, LD99)."""
    if code.startswith("GM"):
        return code in ("GM0998", "GM0999")
    return code[:2] in ("PV", "RE", "LD") and code.endswith("99")


def parse_totals_47013(path: Path) -> ParseResult:
    """A StatLine download of 47013NED with ‘Soort misdrijf: Totaal misdrijven’: a title
    block (table, selection, topic, ``Perioden`` row with the years, unit row), one row per
    region **name** with a count per year, and the footer ``Bron: Politie``. Names are read
    with the table's own region list; ``.`` is withheld."""
    result = ParseResult("meegeleverd-csv")
    dataset = table_dataset("47013NED", TOTALS_47013_NOTE.format(name=path.name))
    result.add_dataset(dataset)
    result.meta["bestand"] = str(path.relative_to(BUNDLED))
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    title = rows[0][0] if rows and rows[0] else ""
    if not title.startswith("Geregistreerde misdrijven en aangiften; soort misdrijf, gemeente"):
        result.problem(1, None, "geen StatLine-download van 47013NED", title)
        return result.finish()
    if not any(r and "Totaal misdrijven" in r[0] for r in rows[:4]):
        result.problem(2, None, "de selectie is niet ‘Soort misdrijf: Totaal misdrijven’")
        return result.finish()
    period_line = next((i for i, r in enumerate(rows[:10]) if r and r[0] == "Perioden"), None)
    if period_line is None:
        result.problem(None, None, "geen regel ‘Perioden’ met de jaren in de kop")
        return result.finish()
    years: list[int | None] = []
    for cell in rows[period_line][1:]:
        years.append(int(cell) if cell.strip().isdecimal() else None)
    if not years or None in years:
        result.problem(
            period_line + 1, "Perioden", "onverwachte periode", ";".join(rows[period_line])
        )
        return result.finish()
    codes = region_codes_47013()
    index = result.series_index(total_series("47013NED"))
    skipped: list[str] = []
    for number, row in enumerate(rows[period_line + 2 :], start=period_line + 3):
        if not row or not row[0].strip():
            continue
        name = row[0].strip()
        if name.startswith("Bron:"):
            break
        if name == "Perioden":  # a header artefact some exports repeat
            continue
        code = codes.get(name)
        if code is None:
            result.problem(number, "Regio's", "regio niet in de regiolijst van 47013NED", name)
            continue
        if _not_a_region(code):
            skipped.append(name)
            continue
        if len(row) != len(years) + 1:
            result.problem(number, None, f"{len(years)} waarden verwacht", ";".join(row))
            continue
        for year, cell in zip(years, row[1:], strict=True):
            text_value = cell.strip()
            if text_value in (".", "x", ""):
                value = None
            elif text_value.isdecimal():
                value = float(text_value)
            else:
                result.problem(number, str(year), "geen aantal", text_value)
                continue
            result.add(index, code, year_code(year), value, Status.ONBEKEND, number)
    result.meta["niet_ingelezen_regios"] = skipped
    result.meta["jaren"] = years
    return result.finish()


@dataclass(frozen=True)
class RegionCode83648:
    """One row of ``ivp-regiocodes-83648NED.csv``: a region name of 83648NED and its code."""

    regio: str
    code: str
    soort: str  # "gemeente" (a gemeente of 2025), "voormalige gemeente", "land"
    jaren: str
    gecontroleerd_met: str


def regiocodes_83648(path: Path = REGIOCODES_83648) -> dict[str, RegionCode83648]:
    """ivp's table of the 393 region names of the bundled 83648NED export → CBS codes
    (current gemeenten by their name in 2025, former ones by their historic code)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["regio"]: RegionCode83648(
                row["regio"],
                row["code"],
                row["soort"],
                row["jaren"],
                row["code_gecontroleerd_met"],
            )
            for row in csv.DictReader(handle, delimiter=";")
        }


def _number_83648(text: str) -> float | None:
    """A value of the 83648NED export: ``0.0`` was written for an empty cell, so it means
    'not known' (never a real zero: no gemeente has no crime, and counts are rounded to 5)."""
    value = float(text)
    return None if value == 0 else value


def parse_totals_83648(
    path: Path = TOTALS_83648, codes_path: Path = REGIOCODES_83648
) -> ParseResult:
    """The 83648NED export (``SoortMisdrijf,RegioS,Perioden,<6 topics>``, one row per region
    name and year). A total of 0.0 means the gemeente did not exist that year: no figure."""
    result = ParseResult("meegeleverd-csv")
    result.add_dataset(table_dataset("83648NED", TOTALS_83648_NOTE))
    result.meta["bestand"] = str(path.relative_to(BUNDLED))
    codes = regiocodes_83648(codes_path)
    total = result.series_index(
        total_series("83648NED", "Afgerond op vijftallen (CBS).", TOTAL_TOPIC_83648)
    )
    others = [
        (
            topic,
            result.series_index(
                SeriesSpec(
                    dataset="83648NED",
                    code=f"{TOTAL}|{topic}",
                    naam=naam,
                    soort=SeriesKind.INDICATOR,
                    eenheid=unit,
                    onderwerp=topic,
                    toelichting="Misdrijven totaal, 83648NED (CBS).",
                )
            ),
        )
        for topic, naam, unit in TOPICS_83648
    ]
    absent = 0
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"RegioS", "Perioden", TOTAL_TOPIC_83648, *(t for t, _i in others)} - set(
            reader.fieldnames or ()
        )
        if missing:
            result.problem(1, None, f"kolommen ontbreken: {', '.join(sorted(missing))}")
            return result.finish()
        for line, row in enumerate(reader, start=2):
            if row["SoortMisdrijf"].strip() != "Misdrijven, totaal":
                result.problem(
                    line,
                    "SoortMisdrijf",
                    "alleen ‘Misdrijven, totaal’ verwacht",
                    row["SoortMisdrijf"],
                )
                continue
            entry = codes.get(row["RegioS"])
            if entry is None:
                result.problem(
                    line, "RegioS", "regio niet in ivp-regiocodes-83648NED.csv", row["RegioS"]
                )
                continue
            try:
                year = int(row["Perioden"])
                count = _number_83648(row[TOTAL_TOPIC_83648])
                values = [(i, _number_83648(row[t])) for t, i in others]
            except ValueError as error:
                result.problem(line, None, f"geen getal: {error}")
                continue
            if count is None:
                absent += 1  # the gemeente did not exist in that year
                continue
            period = year_code(year)
            result.add(total, entry.code, period, count, Status.ONBEKEND, line)
            for index, value in values:
                result.add(index, entry.code, period, value, Status.ONBEKEND, line)
    result.meta["bestond_niet"] = absent
    return result.finish()


@dataclass(frozen=True)
class BundledSet:
    """One bundled file: where it is, how to parse it, when its figures were retrieved."""

    name: str  # path below bundled/
    parse: Callable[[RegionResolver], ParseResult]
    retrieved: str  # ISO date the figures were retrieved from the source, "" if unknown
    retrieved_note: str
    also: tuple[str, ...] = ()  # other files the parse reads (part of the digest)

    @property
    def path(self) -> Path:
        return BUNDLED / self.name

    def content(self) -> bytes:
        """The bytes whose SHA-256 says whether this set was loaded before."""
        data = self.path.read_bytes()
        for name in self.also:
            data += b"\0" + (BUNDLED / name).read_bytes()
        return data


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
    BundledSet(
        "cbs-totaal-misdrijven-gemeenten/83648NED-totaal-2010-2020.csv",
        lambda r: parse_totals_83648(),
        "",
        "Export van 83648NED (CBS, tabel stopgezet; cijfers 2010–2020), uit "
        "MarkYonan238/Dashboard-Misdrijven; ophaaldatum onbekend.",
        also=("cbs-totaal-misdrijven-gemeenten/ivp-regiocodes-83648NED.csv",),
    ),
    BundledSet(
        "cbs-totaal-misdrijven-gemeenten/47013NED-totaal-2022-2023.csv",
        lambda r: parse_totals_47013(TOTALS_47013[0]),
        "",
        "StatLine-download van 47013NED (gemeente-indeling 2026), uit "
        "Sophie-Thoolen/Group-1-7---Criminaliteit-en-; ophaaldatum onbekend (2026).",
    ),
    BundledSet(
        "cbs-totaal-misdrijven-gemeenten/47013NED-totaal-2024.csv",
        lambda r: parse_totals_47013(TOTALS_47013[1]),
        "",
        "StatLine-download van 47013NED (gemeente-indeling 2026), uit "
        "Sophie-Thoolen/Group-1-7---Criminaliteit-en-; ophaaldatum onbekend (2026).",
    ),
)


def all_bundled(resolver: RegionResolver) -> Iterable[tuple[str, ParseResult]]:
    """Every bundled set in load order, as ``(bundled file, parse result)``."""
    for bundled_set in BUNDLED_SETS:
        yield bundled_set.name, bundled_set.parse(resolver)
