"""Reporting periods: ``2027-Q2`` (a quarter), ``2027-05`` (a month), ``2027`` (a year).
Plain Python."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
QUARTERS = ("eerste", "tweede", "derde", "vierde")
_PATTERN = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$", re.IGNORECASE)


class BadPeriod(ValueError):
    """Not a period ivp knows."""


@dataclass(frozen=True)
class Period:
    code: str
    year: int
    start: date
    end: date
    kind: str  # jaar | kwartaal | maand

    @property
    def label(self) -> str:
        if self.kind == "kwartaal":
            return f"{QUARTERS[(self.start.month - 1) // 3]} kwartaal {self.year}"
        if self.kind == "maand":
            return f"{MONTHS[self.start.month - 1]} {self.year}"
        return str(self.year)

    @property
    def last_complete_year(self) -> int:
        """The latest year whose yearly figures can exist at the end of this period."""
        return self.year if self.end.month == 12 else self.year - 1


def parse(text: str) -> Period:
    """``2027-Q2``, ``2027-05`` or ``2027``; :class:`BadPeriod` otherwise."""
    match = _PATTERN.match((text or "").strip())
    if not match:
        raise BadPeriod(
            f"period {text!r} is not YYYY-Qn, YYYY-MM or YYYY (e.g. 2027-Q2, 2027-05, 2027)"
        )
    year = int(match.group(1))
    if not 1900 < year < 2200:
        raise BadPeriod(f"period {text!r}: year out of range")
    if match.group(2):
        quarter = int(match.group(2))
        first, last = 3 * quarter - 2, 3 * quarter
        return Period(
            f"{year}-Q{quarter}",
            year,
            date(year, first, 1),
            date(year, last, calendar.monthrange(year, last)[1]),
            "kwartaal",
        )
    if match.group(3):
        month = int(match.group(3))
        return Period(
            f"{year}-{month:02d}",
            year,
            date(year, month, 1),
            date(year, month, calendar.monthrange(year, month)[1]),
            "maand",
        )
    return Period(str(year), year, date(year, 1, 1), date(year, 12, 31), "jaar")


def for_date(day: date, frequency: str = "kwartaal") -> Period:
    """The period of the cycle that ``day`` falls in."""
    if frequency == "jaar":
        return parse(str(day.year))
    if frequency == "halfjaar":
        return parse(f"{day.year}-Q{2 if day.month <= 6 else 4}")
    return parse(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
