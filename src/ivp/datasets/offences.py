"""The 'soort misdrijf' hierarchy and the police 'overlast' codes, from the public CBS/politie
dimension lists bundled in ``bundled/politie-47018-wijkbuurt-meta/crime/SoortMisdrijf.csv``
and ``bundled/politie-bvh-codes/Overlast.csv``. Plain Python.

Each category lists the police incident codes (BVH 'maatschappelijke klasse', e.g. A20) it is
made of; that is how an import of incident codes finds its category and so its theme.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BUNDLED = Path(__file__).resolve().parent / "bundled"
SOORT_MISDRIJF_CSV = BUNDLED / "politie-47018-wijkbuurt-meta" / "crime" / "SoortMisdrijf.csv"
OVERLAST_CSV = BUNDLED / "politie-bvh-codes" / "Overlast.csv"

TOTAAL = "0.0.0"
_CODE = re.compile(r"^(\d\.\d\.\d{1,2})\b")
_INCIDENT = re.compile(r"^([A-Z]\d{2,5})\b")


@dataclass(frozen=True)
class Category:
    code: str
    titel: str  # without the code, e.g. "Diefstal/inbraak woning"
    incident_codes: tuple[str, ...] = ()
    soort: str = "misdrijf"  # "misdrijf" or "overlast"

    @property
    def label(self) -> str:
        return self.titel if self.code == TOTAAL else f"{self.code} {self.titel}"


def code_from_label(label: str) -> str | None:
    """``"1.1.1 Diefstal/inbraak woning"`` → ``"1.1.1"``; ``"Totaal misdrijven"`` → ``"0.0.0"``."""
    text = (label or "").strip()
    match = _CODE.match(text)
    if match:
        return match.group(1)
    if text.lower().startswith("totaal"):
        return TOTAAL
    return None


def incident_code_from_label(label: str) -> str | None:
    """``"E35 Melding overlast jeugd"`` → ``"E35"``."""
    match = _INCIDENT.match((label or "").strip().upper())
    return match.group(1) if match else None


def _incident_codes(description: str) -> tuple[str, ...]:
    codes = []
    for line in (description or "").splitlines():
        match = _INCIDENT.match(line.strip())
        if match:
            codes.append(match.group(1))
    return tuple(codes)


def _read(path: Path, soort: str) -> dict[str, Category]:
    categories: dict[str, Category] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["Key"].strip()
            title = row["Title"].strip()
            if title.startswith(code + " "):
                title = title[len(code) + 1 :]
            incidents = () if soort == "overlast" else _incident_codes(row.get("Description", ""))
            categories[code] = Category(code, title, incidents, soort)
    return categories


@cache
def soort_misdrijf() -> dict[str, Category]:
    """The 59 codes of 47018NED (0.0.0 and 58 categories), in CBS order."""
    return _read(SOORT_MISDRIJF_CSV, "misdrijf")


@cache
def overlast() -> dict[str, Category]:
    """The registered-nuisance codes of 47021NED/47024NED (0.0.0 total, E33, E35, …)."""
    return _read(OVERLAST_CSV, "overlast")


@cache
def category_of_incident() -> dict[str, str]:
    """Police incident code → 'soort misdrijf' code (A20 → 1.1.1)."""
    index: dict[str, str] = {}
    for category in soort_misdrijf().values():
        for incident in category.incident_codes:
            index.setdefault(incident, category.code)
    return index
