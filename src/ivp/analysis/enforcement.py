"""Which offence categories are "haalcriminaliteit": registered mostly because the police or
an inspector went looking, not because a victim reported them. Plain Python.

Drugs and weapons trafficking rise with police effort; a high or rising count in a gemeente
says more about enforcement than about crime, so the candidates do not propose such series
on a rise or a high level. The list is the classification bundled with the 47018NED
metadata (``politie-47018-wijkbuurt-meta/crime/BrengDelicten.csv``: ``Brengdelict`` 0 for
the categories that are not 'brengdelicten' in the CBS/Politie sense, chosen by the author
of "Staat van de misdaad" with the Secondant editors; see its PROVENANCE.md), which marks
3.1.1 drugshandel and 3.1.3 wapenhandel among 27 categories.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

# datasets/bundled (as ivp.datasets.offences.BUNDLED, without importing it at start-up)
BUNDLED = Path(__file__).resolve().parents[1] / "datasets" / "bundled"
BRENGDELICTEN_CSV = BUNDLED / "politie-47018-wijkbuurt-meta" / "crime" / "BrengDelicten.csv"
SHARE = 0.5  # a sum of categories is enforcement-driven when these make up more than half


@cache
def haal_delicten() -> frozenset[str]:
    """The categories that are not 'brengdelicten' (e.g. 3.1.1, 3.1.3)."""
    import csv

    with BRENGDELICTEN_CSV.open(encoding="utf-8-sig", newline="") as handle:
        return frozenset(
            row["Key"].strip()
            for row in csv.DictReader(handle)
            if row["Brengdelict"].strip() == "0"
        )


def enforcement_driven(
    codes: Iterable[str], counts: Mapping[str, float | None] | None = None
) -> bool:
    """Whether a series of ``codes`` is mostly haalcriminaliteit: all its categories are,
    or (with the year's ``counts`` per category) they make up more than half of it."""
    codes = list(codes)
    haal = haal_delicten()
    marked = [c for c in codes if c in haal]
    if not codes or not marked:
        return False
    if len(marked) == len(codes):
        return True
    if not counts:
        return False
    total = sum(counts.get(c) or 0 for c in codes)
    return total > 0 and sum(counts.get(c) or 0 for c in marked) > SHARE * total
