"""Periods in CBS notation: ``2018JJ00`` (year), ``2018KW01`` (quarter), ``2018MM01`` (month).

Plain Python. CBS puts yearly and monthly periods in one ``Perioden`` column; ivp stores the
CBS code as is and derives year and kind from it. :func:`parse_period` also reads what people
type or what a StatLine download prints (``2018``, ``2018*``, ``2018 januari``, ``2018-01``,
``2018 1e kwartaal``, ``2018-Q1``) and returns the provisional marker of StatLine (``*`` =
voorlopig, ``**`` = nader voorlopig) separately.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class PeriodeSoort(StrEnum):
    JAAR = "JJ"
    KWARTAAL = "KW"
    MAAND = "MM"


class Status(StrEnum):
    """Status of a figure as CBS marks it (``Perioden.Status`` or ``*`` in StatLine)."""

    DEFINITIEF = "definitief"
    VOORLOPIG = "voorlopig"
    NADER_VOORLOPIG = "nader_voorlopig"
    ONBEKEND = ""


STATUS_LABELS = {
    Status.DEFINITIEF: "definitief",
    Status.VOORLOPIG: "voorlopig",
    Status.NADER_VOORLOPIG: "nader voorlopig",
    Status.ONBEKEND: "onbekend",
}

MONTHS_NL = {
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "augustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
MONTH_NAMES = {number: name for name, number in MONTHS_NL.items()}

_CBS = re.compile(r"^(\d{4})(JJ|KW|MM)(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_MONTH_ISO = re.compile(r"^(\d{4})[-/ ]?M?M?(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})[- ]?(?:Q|KW|K)(\d)$")
_QUARTER_NL = re.compile(r"^(\d{4}) (\d)e kwartaal$")
_MONTH_NL = re.compile(r"^(\d{4}) ([a-z]+)$")


@dataclass(frozen=True, slots=True)
class Periode:
    """A period by its CBS code."""

    code: str

    @property
    def jaar(self) -> int:
        return int(self.code[:4])

    @property
    def soort(self) -> PeriodeSoort:
        return PeriodeSoort(self.code[4:6])

    @property
    def nummer(self) -> int:
        return int(self.code[6:8])

    @property
    def label(self) -> str:
        """Dutch label: ``2018``, ``2018 1e kwartaal``, ``2018 januari``."""
        if self.soort is PeriodeSoort.JAAR:
            return str(self.jaar)
        if self.soort is PeriodeSoort.KWARTAAL:
            return f"{self.jaar} {self.nummer}e kwartaal"
        return f"{self.jaar} {MONTH_NAMES[self.nummer]}"


def year_code(year: int) -> str:
    return f"{year:04d}JJ00"


def is_cbs_period(code: str) -> bool:
    match = _CBS.match(code)
    if not match:
        return False
    kind, number = match.group(2), int(match.group(3))
    if kind == "JJ":
        return number == 0
    if kind == "KW":
        return 1 <= number <= 4
    return 1 <= number <= 12


def parse_period(raw: str) -> tuple[str, Status]:
    """Return ``(cbs_code, status_marker)`` or raise ``ValueError`` with a Dutch message.

    >>> parse_period("2018JJ00")
    ('2018JJ00', <Status.ONBEKEND: ''>)
    >>> parse_period("2024*")
    ('2024JJ00', <Status.VOORLOPIG: 'voorlopig'>)
    >>> parse_period("2018 maart")[0]
    '2018MM03'
    """
    text = " ".join((raw or "").split()).strip()
    status = Status.ONBEKEND
    if text.endswith("**"):
        status, text = Status.NADER_VOORLOPIG, text[:-2].strip()
    elif text.endswith("*"):
        status, text = Status.VOORLOPIG, text[:-1].strip()
    if not text:
        raise ValueError("periode ontbreekt")
    upper = text.upper()
    if _CBS.match(upper):
        if not is_cbs_period(upper):
            raise ValueError(f"‘{raw}’ is geen geldige CBS-periode")
        return upper, status
    if _YEAR.match(text):
        return year_code(int(text)), status
    lower = text.lower()
    match = _QUARTER.match(upper) or _QUARTER_NL.match(lower)
    if match:
        quarter = int(match.group(2))
        if 1 <= quarter <= 4:
            return f"{match.group(1)}KW{quarter:02d}", status
        raise ValueError(f"‘{raw}’: een kwartaal loopt van 1 tot en met 4")
    match = _MONTH_NL.match(lower)
    if match and match.group(2) in MONTHS_NL:
        return f"{match.group(1)}MM{MONTHS_NL[match.group(2)]:02d}", status
    match = _MONTH_ISO.match(upper)
    if match:
        month = int(match.group(2))
        if 1 <= month <= 12:
            return f"{match.group(1)}MM{month:02d}", status
        raise ValueError(f"‘{raw}’: een maand loopt van 1 tot en met 12")
    raise ValueError(
        f"‘{raw}’ is geen periode; gebruik een jaar (2018), maand (2018-03) of kwartaal "
        "(2018-Q1), of de CBS-code (2018JJ00, 2018MM03, 2018KW01)"
    )


def status_from_cbs(raw: str | None) -> Status:
    """Map ``Perioden.Status`` of the CBS metadata (``Definitief``, ``Voorlopig``,
    ``Nader voorlopig``) to :class:`Status`."""
    text = (raw or "").strip().lower()
    if text == "definitief":
        return Status.DEFINITIEF
    if text == "voorlopig":
        return Status.VOORLOPIG
    if text in ("nader voorlopig", "nader_voorlopig"):
        return Status.NADER_VOORLOPIG
    return Status.ONBEKEND
