"""The region facts ivp ships, read from the bundled files (plain Python, no Django).

The files live in ``ivp/datasets/bundled/`` next to their PROVENANCE.md; ``areas`` only
reads them (no import of ``datasets``). Facts that no bundled file holds are written down
here with their source:

- the 25 veiligheidsregio's (CBS codes VR01–VR25 and names);
- which veiligheidsregio's each of the ten politie-eenheden covers. Source: Politiewet 2012,
  art. 25 (a regional unit comprises the area of one or more veiligheidsregio's) and the
  division the politie publishes (politie.nl, "Regionale eenheden"); the order of the police
  districts in CBS 81928NED (bundled) agrees with it;
- the municipal mergers since the bundled gemeente→veiligheidsregio list (division 2020),
  from the CBS overview "Gemeentelijke indelingen per jaar": Eemsdelta (2021), Dijk en
  Waard, Land van Cuijk, Maashorst (2022), Voorne aan Zee (2023).
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ivp.areas.codes import normalize_code

BUNDLED = Path(__file__).resolve().parents[1] / "datasets" / "bundled"
WIJKEN_BUURTEN_CSV = BUNDLED / "politie-47018-wijkbuurt-meta" / "crime" / "WijkenEnBuurten.csv"
PROVINCES_CSV = BUNDLED / "politie-47018-wijkbuurt-meta" / "geo" / "municipality_in_province.csv"
GEMEENTEN_GEOJSON = BUNDLED / "cbs-47018-gemeenten" / "nl_gemeenten.geojson"
GEMEENTEN_JSON = BUNDLED / "cbs-47018-gemeenten" / "data.json"
REGIOS_47025_CSV = BUNDLED / "politie-47025-47021-nl" / "RegioS.csv"
METADATA_47013_CSV = BUNDLED / "politie-47013-metadata" / "allemisdrijven_metadata_21122025.csv"
VR_JSON = BUNDLED / "vr-gemeenten-2020" / "gemeente_veiligheidsregio.json"
REGIOCODES_83648_CSV = BUNDLED / "cbs-totaal-misdrijven-gemeenten" / "ivp-regiocodes-83648NED.csv"

VEILIGHEIDSREGIOS: dict[str, str] = {
    "VR01": "Groningen",
    "VR02": "Fryslân",
    "VR03": "Drenthe",
    "VR04": "IJsselland",
    "VR05": "Twente",
    "VR06": "Noord- en Oost-Gelderland",
    "VR07": "Gelderland-Midden",
    "VR08": "Gelderland-Zuid",
    "VR09": "Utrecht",
    "VR10": "Noord-Holland-Noord",
    "VR11": "Zaanstreek-Waterland",
    "VR12": "Kennemerland",
    "VR13": "Amsterdam-Amstelland",
    "VR14": "Gooi en Vechtstreek",
    "VR15": "Haaglanden",
    "VR16": "Hollands Midden",
    "VR17": "Rotterdam-Rijnmond",
    "VR18": "Zuid-Holland-Zuid",
    "VR19": "Zeeland",
    "VR20": "Midden- en West-Brabant",
    "VR21": "Brabant-Noord",
    "VR22": "Brabant-Zuidoost",
    "VR23": "Limburg-Noord",
    "VR24": "Zuid-Limburg",
    "VR25": "Flevoland",
}

# Politie-eenheid (CBS code, name) → the veiligheidsregio's it covers.
POLITIE_EENHEDEN: dict[str, tuple[str, tuple[str, ...]]] = {
    "RE01": ("Noord-Nederland", ("VR01", "VR02", "VR03")),
    "RE02": ("Oost-Nederland", ("VR04", "VR05", "VR06", "VR07", "VR08")),
    "RE03": ("Midden-Nederland", ("VR09", "VR14", "VR25")),
    "RE04": ("Noord-Holland", ("VR10", "VR11", "VR12")),
    "RE05": ("Amsterdam", ("VR13",)),
    "RE06": ("Den Haag", ("VR15", "VR16")),
    "RE07": ("Rotterdam", ("VR17", "VR18")),
    "RE08": ("Zeeland-West-Brabant", ("VR19", "VR20")),
    "RE09": ("Oost-Brabant", ("VR21", "VR22")),
    "RE10": ("Limburg", ("VR23", "VR24")),
}
POLITIE_EENHEDEN_BRON = (
    "Politiewet 2012, art. 25; indeling in regionale eenheden zoals gepubliceerd door de "
    "politie (politie.nl)"
)


def eenheid_of_veiligheidsregio(vr_code: str) -> str | None:
    for code, (_name, regions) in POLITIE_EENHEDEN.items():
        if vr_code in regions:
            return code
    return None


# Gemeenten formed after the division of the bundled veiligheidsregio list (2020), with
# the date and their predecessors (all whole gemeenten, all in one veiligheidsregio).
MERGERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "GM1979": ("2021-01-01", ("GM0003", "GM0010", "GM0024")),  # Eemsdelta
    "GM1980": ("2022-01-01", ("GM0398", "GM0416")),  # Dijk en Waard
    "GM1982": ("2022-01-01", ("GM0756", "GM1684", "GM0786", "GM0815", "GM1702")),  # Land van Cuijk
    "GM1991": ("2022-01-01", ("GM1685", "GM0856")),  # Maashorst
    "GM1992": ("2023-01-01", ("GM0501", "GM0530", "GM0614")),  # Voorne aan Zee
}
# Gemeenten that ceased after 2020 and went into an existing one.
ABSORBED: dict[str, tuple[str, str]] = {
    "GM0370": ("2022-01-01", "GM0439"),  # Beemster → Purmerend
    "GM0457": ("2022-03-24", "GM0363"),  # Weesp → Amsterdam
}


@dataclass(frozen=True)
class RegionRow:
    code: str
    naam: str
    gemeente: str = ""  # for wijk and buurt
    wijk: str = ""  # for buurt


def read_wijken_buurten(path: Path = WIJKEN_BUURTEN_CSV) -> list[RegionRow]:
    """All GM, WK and BU codes of the 2024 division (47018NED region dimension). A buurt
    code is its wijk code plus two digits (BU07960101 is in WK079601)."""
    rows: list[RegionRow] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.DictReader(handle):
            code = normalize_code(record["Key"])
            name = record["Title"].strip()
            gemeente = record["Municipality"].strip()
            if code.startswith("GM"):
                rows.append(RegionRow(code, name))
            elif code.startswith("WK"):
                rows.append(RegionRow(code, name, gemeente))
            elif code.startswith("BU"):
                rows.append(RegionRow(code, name, gemeente, f"WK{code[2:8]}"))
    return rows


def read_provinces(path: Path = PROVINCES_CSV) -> dict[str, str]:
    """GM code → province name (division 2024; the source wrote Friesland for Fryslân)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {
            f"GM{row['municipality_id'].zfill(4)}": (
                "Fryslân" if row["province_lab"] == "Friesland" else row["province_lab"]
            )
            for row in csv.DictReader(handle)
        }


def read_geojson_names(path: Path = GEMEENTEN_GEOJSON) -> dict[str, str]:
    """GM code → name of the 342 gemeenten of 2024."""
    document = json.loads(path.read_text(encoding="utf-8"))
    return {f["properties"]["statcode"]: f["properties"]["statnaam"] for f in document["features"]}


def read_vr_list(path: Path = VR_JSON) -> dict[str, tuple[str, str]]:
    """GM code → (name, VR code), division 2019/2020. Names use ``'s-`` again."""
    entries = json.loads(path.read_text(encoding="utf-8"))
    result = {}
    for entry in entries:
        name = entry["name"]
        if name.startswith("s-"):
            name = "'" + name
        result[entry["gemcode"]] = (name, entry["safetyRegion"])
    return result


def read_regios_47025(path: Path = REGIOS_47025_CSV) -> dict[str, str]:
    """Codes → names of the police tables' region list (NL, LD, PV, RE, GM)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {normalize_code(r["Key"]): r["Title"].strip() for r in csv.DictReader(handle)}


_HERINDELING = re.compile(
    r"(Gemeentelijke herindeling|Ontstaan|Naamswijziging) per (\d{2})-(\d{2})-(\d{4})"
)


def read_regios_47013(path: Path = METADATA_47013_CSV) -> dict[str, tuple[str, list[str]]]:
    """From the 47013NED metadata export (division 2025): code → (name, changes), where
    changes are ``"herindeling 2015-01-01"``-style notes from the CBS description."""
    text = path.read_text(encoding="utf-8-sig")
    start = text.find("\nRegioS;")
    end = text.find("\nPerioden;", start)
    section = text[start + 1 : end if end > 0 else None]
    reader = csv.reader(section.splitlines(keepends=True)[2:], delimiter=";")
    result: dict[str, tuple[str, list[str]]] = {}
    for row in reader:
        if len(row) < 2 or not row[0].strip():
            continue
        code = normalize_code(row[0])
        changes = [
            f"{kind.lower().replace('gemeentelijke ', '')} {year}-{month}-{day}"
            for kind, day, month, year in _HERINDELING.findall(row[2] if len(row) > 2 else "")
        ]
        result[code] = (row[1].strip(), changes)
    return result


def read_former_codes(path: Path = GEMEENTEN_JSON) -> set[str]:
    """GM codes that occur in the bundled population data (current and former gemeenten)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    codes = set(document.get("population", {}))
    for per_code in document.get("counts", {}).values():
        codes |= set(per_code)
    return codes


def read_former_names(path: Path = REGIOCODES_83648_CSV) -> dict[str, str]:
    """GM code → name of the former gemeenten in ivp's table of the 83648NED regions
    (gemeenten that existed in 2010–2020 and merged before 2025)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: row["regio"]
            for row in csv.DictReader(handle, delimiter=";")
            if row["soort"] == "voormalige gemeente"
        }


def region_entries() -> list[tuple[str, str, str | None]]:
    """Every region the bundled files name, as ``(code, name, gemeente)`` — the input of
    ``datasets.sources.regions.RegionResolver`` when no database is at hand (tests) and
    the content of the areas loader."""
    entries: list[tuple[str, str, str | None]] = []
    for code, (name, _changes) in read_regios_47013().items():
        entries.append((code, name, None))
    for code, name in read_regios_47025().items():
        entries.append((code, name, None))
    for code, (name, _vr) in read_vr_list().items():
        entries.append((code, name, None))
    for code, name in VEILIGHEIDSREGIOS.items():
        entries.append((code, name, None))
    for row in read_wijken_buurten():
        entries.append((row.code, row.naam, row.gemeente or None))
    return entries
