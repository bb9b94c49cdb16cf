"""Change of a survey figure that is published with a 95 % margin (the Veiligheidsmonitor:
"7,5 ± 0,1"). Plain Python.

Two estimates from independent samples differ demonstrably when the difference exceeds
the **combined margin** ``sqrt(m1² + m2²)``. With ``m = 1.96 · se`` that is the two-sided
z-test of the difference at 5 % (``|d| / sqrt(se1² + se2²) > 1.96``), so about one in twenty
equal pairs is called different; ``test_survey.py`` checks this by simulation. The often
seen rule "the intervals do not overlap" (``|d| > m1 + m2``) is far too strict (about 0.6 %
at equal margins) and is not used. A figure without a margin has no verdict: the sample
error is unknown (ivp never guesses one).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

DIFFERENT = "hoger"
LOWER = "lager"
SAME = "geen aantoonbaar verschil"
UNKNOWN = "niet te toetsen (geen marge)"


@dataclass(frozen=True)
class MarginChange:
    """The change of a survey figure between two years, judged with their margins."""

    year: int
    earlier_year: int
    value: float
    earlier_value: float
    difference: float
    margin: float | None  # sqrt(m1² + m2²); None when a margin is missing
    significant: bool | None  # None: not testable
    verdict: str  # hoger | lager | geen aantoonbaar verschil | niet te toetsen (geen marge)


def combined_margin(m1: float | None, m2: float | None) -> float | None:
    """The 95 % margin of the difference of two independent estimates."""
    if m1 is None or m2 is None or m1 < 0 or m2 < 0:
        return None
    return math.hypot(m1, m2)


def compare(
    value: float, margin: float | None, earlier: float, earlier_margin: float | None
) -> tuple[float | None, bool | None, str]:
    """(combined margin, significant, verdict) of ``value`` against ``earlier``."""
    both = combined_margin(margin, earlier_margin)
    if both is None:
        return None, None, UNKNOWN
    difference = value - earlier
    if abs(difference) > both:
        return both, True, DIFFERENT if difference > 0 else LOWER
    return both, False, SAME


def latest_change(
    values: Mapping[int, float | None], margins: Mapping[int, float] | None
) -> MarginChange | None:
    """The change between the two latest years with a value (None: fewer than two)."""
    known = sorted(y for y, v in values.items() if v is not None)
    if len(known) < 2:
        return None
    year, earlier = known[-1], known[-2]
    margins = margins or {}
    both, significant, verdict = compare(
        values[year], margins.get(year), values[earlier], margins.get(earlier)
    )
    return MarginChange(
        year=year,
        earlier_year=earlier,
        value=values[year],
        earlier_value=values[earlier],
        difference=values[year] - values[earlier],
        margin=both,
        significant=significant,
        verdict=verdict,
    )
