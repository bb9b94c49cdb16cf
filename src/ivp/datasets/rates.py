"""Rates: counts per 1,000 of a base. Plain Python.

Per 1,000 inhabitants by default; residential burglary (1.1.1) per 1,000 dwellings when the
number of dwellings is known (as plans quote it, e.g. 's-Hertogenbosch: "woninginbraak per
1.000 woningen"); per 1,000 of another base when the user says so. A rate without a base
is ``None`` with the reason, never an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

PER = 1000
PER_DWELLINGS_CODES = frozenset({"1.1.1"})


class Noemer(StrEnum):
    INWONERS = "inwoners"
    WONINGEN = "woningen"
    ANDERS = "anders"


NOEMER_LABELS = {
    Noemer.INWONERS: "per 1.000 inwoners",
    Noemer.WONINGEN: "per 1.000 woningen",
    Noemer.ANDERS: "per 1.000",
}


@dataclass(frozen=True)
class Rate:
    waarde: float | None
    teller: float | None
    noemer: Noemer
    noemer_waarde: float | None
    label: str
    reden: str = ""  # why there is no value, or which base was used instead

    def rounded(self, digits: int = 1) -> float | None:
        return None if self.waarde is None else round(self.waarde, digits)


def per_1000(count: float | None, base: float | None, per: int = PER) -> float | None:
    """``count / base * per``; None when either is missing or the base is not positive."""
    if count is None or base is None or base <= 0:
        return None
    return count / base * per


def default_noemer(soort_misdrijf: str = "") -> Noemer:
    return Noemer.WONINGEN if soort_misdrijf in PER_DWELLINGS_CODES else Noemer.INWONERS


def rate(
    count: float | None,
    *,
    inwoners: float | None = None,
    woningen: float | None = None,
    soort_misdrijf: str = "",
    noemer: Noemer | None = None,
    basis: float | None = None,
    basis_label: str = "",
    per: int = PER,
) -> Rate:
    """The rate of ``count`` on the right base.

    - ``noemer=Noemer.ANDERS`` with ``basis`` (and ``basis_label``): per 1,000 of that base;
    - residential burglary: per 1,000 dwellings when ``woningen`` is known, otherwise per
      1,000 inhabitants with the reason in ``reden``;
    - everything else: per 1,000 inhabitants.
    """
    chosen = noemer or default_noemer(soort_misdrijf)
    if count is None:
        return Rate(None, None, chosen, None, NOEMER_LABELS[chosen], "geen aantal")
    if chosen is Noemer.ANDERS:
        label = f"per {per:,} {basis_label}".replace(",", ".").strip()
        value = per_1000(count, basis, per)
        return Rate(value, count, chosen, basis, label, "" if value is not None else "geen basis")
    if chosen is Noemer.WONINGEN:
        if woningen is not None and woningen > 0:
            return Rate(
                per_1000(count, woningen, per), count, chosen, woningen, NOEMER_LABELS[chosen]
            )
        if noemer is Noemer.WONINGEN:
            return Rate(
                None, count, chosen, None, NOEMER_LABELS[chosen], "aantal woningen onbekend"
            )
        value = per_1000(count, inwoners, per)
        return Rate(
            value,
            count,
            Noemer.INWONERS,
            inwoners,
            NOEMER_LABELS[Noemer.INWONERS],
            "aantal woningen onbekend; per 1.000 inwoners berekend"
            if value is not None
            else "aantal woningen en inwoners onbekend",
        )
    value = per_1000(count, inwoners, per)
    return Rate(
        value,
        count,
        chosen,
        inwoners,
        NOEMER_LABELS[chosen],
        "" if value is not None else "aantal inwoners onbekend",
    )
