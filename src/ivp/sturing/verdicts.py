"""The verdict on an effect indicator: how its latest realisation stands against baseline
and target, with the analysis engine's overdispersion-aware two-count test
(:func:`ivp.analysis.significance.compare_counts`) — never a naive Poisson test.

- **nog geen meting**: no realisation after the baseline year yet;
- **op koers**: the target is reached, or the realisation differs demonstrably from the
  baseline in the target's direction;
- **achter op doel**: the realisation differs demonstrably in the wrong direction, or the
  target year has been measured and the target was not reached;
- **nog binnen de gewone schommeling**: the realisation cannot be told from the baseline
  (before the target year): the figures cannot show an effect yet, either way;
- **niet te toetsen**: a figure without counts (a survey mark, a percentage, a hand-entered
  figure) before the target year: there is no calibrated test, so no claim is made.

Plain Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from ivp.analysis.significance import Richting, compare_counts
from ivp.analysis.targets import noise_band

OP_KOERS = "op_koers"
SCHOMMELING = "binnen_schommeling"
ACHTER = "achter_op_doel"
GEEN_METING = "geen_meting"
NIET_TE_TOETSEN = "niet_te_toetsen"
LABELS = {
    OP_KOERS: "op koers",
    SCHOMMELING: "nog binnen de gewone schommeling",
    ACHTER: "achter op doel",
    GEEN_METING: "nog geen meting",
    NIET_TE_TOETSEN: "niet te toetsen",
}
ORDER = (OP_KOERS, SCHOMMELING, NIET_TE_TOETSEN, ACHTER, GEEN_METING)


@dataclass(frozen=True)
class Verdict:
    code: str
    text: str

    @property
    def label(self) -> str:
        return LABELS[self.code]


def reached(value: float, target: float | None, direction: str) -> bool:
    if target is None:
        return False
    return value <= target + 1e-9 if direction == "<=" else value >= target - 1e-9


def judge(
    *,
    value: float | None,
    year: int | None,
    target: float | None,
    target_year: int | None,
    direction: str,
    count: float | None = None,
    base: float | None = None,
    baseline_count: float | None = None,
    baseline_base: float | None = None,
    dispersion: float = 1.0,
    dispersion_df: float | None = None,
) -> Verdict:
    """The verdict on one realisation (``value`` in ``year``); the test runs when both the
    realisation and the baseline come with counts (and their bases, for a rate)."""
    if value is None or year is None:
        return Verdict(GEEN_METING, "Er is nog geen meting na het uitgangsjaar.")
    final = target_year is not None and year >= target_year
    if reached(value, target, direction):
        return Verdict(OP_KOERS, "De streefwaarde is bereikt.")
    if count is not None and baseline_count is not None:
        test = compare_counts(
            baseline_count,
            count,
            baseline_base if baseline_base else 1.0,
            base if base else 1.0,
            dispersion=dispersion,
            dispersion_df=dispersion_df,
        )
        good = Richting.AFNAME if direction == "<=" else Richting.TOENAME
        if test.significant and test.richting == good:
            if final:
                return Verdict(
                    ACHTER,
                    "Aantoonbaar verbeterd ten opzichte van de uitgangswaarde, maar de "
                    "streefwaarde is in het streefjaar niet bereikt.",
                )
            return Verdict(
                OP_KOERS,
                "Aantoonbaar verbeterd ten opzichte van de uitgangswaarde (meer dan de gewone "
                "schommeling).",
            )
        if test.significant:
            return Verdict(
                ACHTER,
                "Aantoonbaar verslechterd ten opzichte van de uitgangswaarde (meer dan de gewone "
                "schommeling).",
            )
        if test.richting is Richting.GEEN:
            if final:
                return Verdict(
                    ACHTER,
                    "In het streefjaar niet te onderscheiden van de uitgangswaarde: de "
                    "streefwaarde is niet bereikt.",
                )
            return Verdict(
                SCHOMMELING,
                "Het verschil met de uitgangswaarde valt binnen de gewone schommeling: de "
                "cijfers laten nog geen effect zien, in geen van beide richtingen.",
            )
    if final and target is not None:
        return Verdict(ACHTER, "De streefwaarde is in het streefjaar niet bereikt.")
    return Verdict(
        NIET_TE_TOETSEN,
        "Voor dit cijfer zijn geen aantallen bekend, dus geen toets op de gewone schommeling; "
        "het staat hier naast de uitgangswaarde en de streefwaarde.",
    )


def band(
    baseline_count: float | None,
    baseline_base: float | None,
    *,
    dispersion: float = 1.0,
    dispersion_df: float | None = None,
) -> tuple[float, float] | None:
    """The values (in the indicator's unit) a realisation can take without differing from
    the baseline: the noise band of ``analysis.targets``."""
    if baseline_count is None or baseline_count < 0:
        return None
    found = noise_band(
        baseline_count, baseline_base, dispersion=dispersion, dispersion_df=dispersion_df
    )
    return found.low, found.high
