"""CBS region codes as plain strings: recognise, normalise and classify them.

Plain Python (no Django). CBS returns dimension keys padded with spaces (``"GM0597    "``);
47018NED calls the Netherlands ``NL00`` where the other tables say ``NL01``. Everything that
stores or compares a region code goes through :func:`normalize_code` first.
"""

from __future__ import annotations

import re
from enum import StrEnum


class RegioSoort(StrEnum):
    """Kinds of region, by the prefix of their CBS code."""

    LAND = "NL"
    LANDSDEEL = "LD"
    PROVINCIE = "PV"
    POLITIE_EENHEID = "RE"
    VEILIGHEIDSREGIO = "VR"
    GEMEENTE = "GM"
    WIJK = "WK"
    BUURT = "BU"


# One pattern per kind; codes are upper case without spaces.
_PATTERNS: dict[RegioSoort, re.Pattern[str]] = {
    RegioSoort.LAND: re.compile(r"^NL0[01]$"),
    RegioSoort.LANDSDEEL: re.compile(r"^LD(0[1-4]|99|G4)$"),
    RegioSoort.PROVINCIE: re.compile(r"^PV(2\d|3[01]|99)$"),
    RegioSoort.POLITIE_EENHEID: re.compile(r"^RE(0[1-9]|10|99)$"),
    RegioSoort.VEILIGHEIDSREGIO: re.compile(r"^VR(0[1-9]|1\d|2[0-5])$"),
    RegioSoort.GEMEENTE: re.compile(r"^GM\d{4}$"),
    RegioSoort.WIJK: re.compile(r"^WK\d{4}[0-9A-Z]{2}$"),  # Amsterdam: WK0363AA
    RegioSoort.BUURT: re.compile(r"^BU\d{4}[0-9A-Z]{4}$"),  # Amsterdam: BU0363AA01
}

NEDERLAND = "NL01"

# Codes that name no real area but do occur in CBS/politie tables.
SPECIAL_NAMES: dict[str, str] = {
    "NL01": "Nederland",
    "GM0000": "Gemeente onbekend",
    "GM0999": "Gemeenten; niet in te delen",
    "WK000000": "Wijk onbekend",
    "BU00000000": "Buurt onbekend",
    "LD99": "Niet in te delen (LD)",
    "PV99": "Niet in te delen (PV)",
    "RE99": "Niet in te delen (RE)",
}


def normalize_code(raw: str) -> str:
    """Strip CBS padding and case; map 47018NED's ``NL00`` to ``NL01``.

    >>> normalize_code("GM0597    ")
    'GM0597'
    >>> normalize_code("nl00")
    'NL01'
    """
    code = (raw or "").strip().upper()
    if code == "NL00":
        return NEDERLAND
    return code


def region_kind(code: str) -> RegioSoort | None:
    """The kind of a (normalised) region code, or None when it is not a CBS region code."""
    for kind, pattern in _PATTERNS.items():
        if pattern.match(code):
            return kind
    return None


def is_region_code(code: str) -> bool:
    return region_kind(code) is not None


def gemeente_of(code: str) -> str | None:
    """The GM code a wijk or buurt code belongs to (by its digits), the code itself for a
    gemeente, None otherwise. WK079601 → GM0796; BU07960101 → GM0796."""
    kind = region_kind(code)
    if kind is RegioSoort.GEMEENTE:
        return code
    if kind in (RegioSoort.WIJK, RegioSoort.BUURT):
        return f"GM{code[2:6]}"
    return None


LANDSDELEN: dict[str, str] = {
    "LD01": "Noord-Nederland",
    "LD02": "Oost-Nederland",
    "LD03": "West-Nederland",
    "LD04": "Zuid-Nederland",
}
