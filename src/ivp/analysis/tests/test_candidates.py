"""Priority candidates: scores and Dutch reasons by the documented rules."""

import pytest

from ivp.analysis.candidates import (
    PROPOSE_AT,
    assess,
    assess_all,
    by_theme,
    evidence,
    format_nl,
    join_nl,
    propose,
)
from ivp.analysis.tests.figures import (
    DENBOSCH_121,
    DENBOSCH_POP,
    KAAG_145,
    KAAG_POP,
    PROVISIONAL,
    RIDDERKERK_111,
    RIDDERKERK_POP,
)

RISING = {"2019": 50, "2020": 62, "2021": 60, "2022": 55, "2023": 70, "2024": 85, "2025": 110}
FLAT_BASE = {year: 50000 for year in RISING}
# Rates per 1,000 of nine comparable gemeenten in 2025; median 1.375.
GROUP = {f"GM{i:04d}": v for i, v in enumerate([1.0, 1.2, 1.3, 1.375, 1.375, 1.45, 1.6, 2.3, 0.9])}


def rising_evidence(**kwargs):
    return evidence(
        "1.1.1",
        "Diefstal/inbraak woning",
        RISING,
        2025,
        base=FLAT_BASE,
        groups={"vergelijkbare gemeenten": GROUP},
        **kwargs,
    )


def test_dutch_number_formatting():
    assert format_nl(1.63, 1) == "1,6"
    assert format_nl(1259) == "1.259"
    assert format_nl(12345.678, 2) == "12.345,68"
    assert join_nl(["a", "b", "c"]) == "a, b en c"
    assert join_nl(["a"]) == "a"


def test_high_and_rising_is_proposed_with_its_reasons():
    candidate = assess(rising_evidence(provisional=PROVISIONAL))
    # 110 / 50,000 = 2.2 per 1,000 = 1.6 × the median 1.375.
    assert candidate.evidence.rate == pytest.approx(2.2)
    assert candidate.reasons[:2] == (
        "1,6× de mediaan van vergelijkbare gemeenten",
        "drie jaar op rij gestegen (significant)",
    )
    assert candidate.summary.startswith(
        "1,6× de mediaan van vergelijkbare gemeenten, drie jaar op rij gestegen (significant)"
    )
    # Trend 2021–2025 +18.9 % a year (Poisson, p = 3e-6); 110 against the mean 70 of
    # 2022–2024: +57 %; 85 → 110 (+29 %) is not significant (p = 0.085), so no reason.
    assert "stijgt met gemiddeld 19% per jaar (2021–2025, significant)" in candidate.reasons
    assert "57% boven het gemiddelde van 2022–2024 (significant)" in candidate.reasons
    assert not any("ten opzichte van 2024" in r for r in candidate.reasons)
    assert candidate.score == 3 + 2 + 3 + 2
    assert "cijfers 2025 zijn voorlopig" in candidate.caveats
    assert propose([candidate.evidence])[0].key == "1.1.1"


def test_reference_areas_are_shown_but_count_only_without_a_usable_group():
    with_group = assess(rising_evidence(references={"het landelijk cijfer": 1.0}))
    assert "2,2× het landelijk cijfer" in with_group.reasons
    assert with_group.score == 10  # level points still 3, from the group

    alone = evidence("x", "x", {"2024": 20, "2025": 20}, 2025, references={"NL": 0.5})
    candidate = assess(alone)
    assert candidate.reasons == ("40,0× NL",)  # counts, no base: 20 against 0.5
    assert candidate.score == 3


def test_ridderkerk_burglary_is_no_candidate():
    # Real figures: falling for years; 2025 (36) slightly above 2024 (30), not significant.
    ev = evidence(
        "1.1.1",
        "Diefstal/inbraak woning",
        RIDDERKERK_111,
        2025,
        base=RIDDERKERK_POP,
        provisional=PROVISIONAL,
    )
    candidate = assess(ev)
    assert candidate.score == -1
    assert candidate.reasons == ()
    assert "daalt met gemiddeld 22% per jaar (2021–2025, significant)" in candidate.caveats
    assert "klein aantal (36 in 2025): percentages zijn onzeker" in candidate.caveats
    assert propose([ev]) == []
    assert ev.change.vs_previous.count_percent == pytest.approx(20.0)


def test_denbosch_2017_theft_from_vehicles_significantly_below_its_mean():
    ev = evidence(
        "1.2.1", "Diefstal uit/vanaf motorvoertuigen", DENBOSCH_121, 2017, base=DENBOSCH_POP
    )
    assert ev.rate == pytest.approx(8.2329, abs=1e-4)
    assert ev.change.vs_mean.test.verdict == "significante afname"
    candidate = assess(ev)
    assert candidate.score == 0
    assert not candidate.caveats or all("klein aantal" not in c for c in candidate.caveats)


def test_small_group_is_not_counted_and_says_so():
    ev = evidence(
        "1.4.5",
        "Mishandeling",
        KAAG_145,
        2025,
        base=KAAG_POP,
        groups={"gemeenten in het basisteam": {"GM1": 0.5, "GM2": 0.6, "GM3": None}},
    )
    candidate = assess(ev)
    assert not any("mediaan" in r for r in candidate.reasons)
    assert (
        "vergelijking met gemeenten in het basisteam: 2 met een cijfer (minder dan 5), "
        "niet meegeteld" in candidate.caveats
    )
    assert "gemeenten in het basisteam: 1 zonder gepubliceerd cijfer (niet meegeteld)" in (
        candidate.caveats
    )


def test_lower_is_worse_indicator():
    # A neighbourhood safety grade: falling three years in a row is the worsening.
    grades = {"2021": 7.4, "2022": 7.2, "2023": 7.0, "2024": 6.8}
    ev = evidence(
        "rapportcijfer",
        "Rapportcijfer veiligheid buurt",
        grades,
        2024,
        higher_is_worse=False,
        groups={"vergelijkbare gemeenten": {f"G{i}": 7.6 for i in range(6)}},
        trend_window=4,
        is_count=False,
    )
    candidate = assess(ev)
    assert ev.streak.length == 3
    assert "drie jaar op rij gedaald" in candidate.reasons
    # 6.8 / 7.6 = 0.89: the median is 1.12× the grade, worse by ≥ 1.1 → 1 point.
    assert "0,9× de mediaan van vergelijkbare gemeenten" in candidate.reasons
    # Not counts: no Poisson trend, no exact test, no small-count caveat.
    assert ev.trend.annual_percent is None
    assert "trend: geen aantallen" in candidate.caveats
    assert ev.change.vs_previous.test.verdict == "niet te toetsen (geen aantallen)"
    assert ev.change.vs_previous.count_change == pytest.approx(-0.2)
    assert not ev.change.vs_previous.small_count
    assert not any("klein aantal" in c for c in candidate.caveats)
    assert candidate.score == 1 + 1


def test_withheld_years_are_caveats_not_zeros():
    counts = {"2021": 40, "2022": None, "2023": 44, "2024": 50, "2025": 58}
    ev = evidence("x", "x", counts, 2025)
    candidate = assess(ev)
    assert ev.withheld == (2022,)
    assert "niet gepubliceerd: 2022" in candidate.caveats
    assert ev.change.vs_mean.earlier_count is None
    assert ev.streak.length == 2  # 44 → 50 → 58; the run stops at the withheld year


def test_propose_orders_by_score_and_respects_the_bar():
    strong = rising_evidence()
    weak = evidence("1.2.3", "Fietsendiefstal", {"2024": 100, "2025": 104}, 2025)
    assert PROPOSE_AT == 3
    proposed = propose([weak, strong])
    assert [c.key for c in proposed] == ["1.1.1"]
    everything = assess_all([weak, strong])
    assert [c.key for c in everything] == ["1.1.1", "1.2.3"]
    assert everything[1].score == 0
    themes = by_theme(everything, {"1.1.1": ["1.3"], "1.2.3": ["1.3", "2.1"]})
    assert [c.key for c in themes["1.3"]] == ["1.1.1", "1.2.3"]
    assert [c.key for c in themes["2.1"]] == ["1.2.3"]


def test_boundary_change_drops_earlier_rates_and_says_so():
    # 's-Hertogenbosch changed boundaries in 2015: 47018NED counts 2012–2014 in the new
    # division, the population of those years belongs to the old one.
    ev = evidence(
        "1.2.1",
        "Diefstal uit/vanaf motorvoertuigen",
        DENBOSCH_121,
        2025,
        base=DENBOSCH_POP,
        boundary_change=2015,
        provisional=PROVISIONAL,
    )
    assert ev.long_trend.years == tuple(range(2015, 2026))
    assert (2014, "geen basis bekend") in ev.long_trend.excluded
    assert ev.long_trend.verdict == "significant dalende trend"
    assert ev.trend.years == (2021, 2022, 2023, 2024, 2025)
    assert any(n.startswith("grens gewijzigd in 2015") for n in ev.notes)
    assert any(c.startswith("grens gewijzigd in 2015") for c in assess(ev).caveats)


def test_a_high_ratio_on_a_tiny_count_is_within_chance_and_gets_no_points():
    # 3 offences where the median rate predicts 1: 3.0× the median, but P(X ≥ 3 | 1) = 0.080.
    ev = evidence(
        "1.4.2",
        "Moord, doodslag",
        {"2024": 3, "2025": 3},
        2025,
        base={"2024": 10000, "2025": 10000},
        groups={"vergelijkbare gemeenten": {f"G{i}": 0.1 for i in range(6)}},
    )
    candidate = assess(ev)
    assert candidate.reasons == ()
    assert candidate.score == 0
    assert (
        "3,0× de mediaan van vergelijkbare gemeenten, maar binnen de toevalsmarge (3 in 2025)"
        in candidate.caveats
    )
    # Ten times as many offences at the same ratio: beyond chance, 3 points.
    ten = evidence(
        "1.4.2",
        "Moord, doodslag",
        {"2024": 30, "2025": 30},
        2025,
        base={"2024": 100000, "2025": 100000},
        groups={"vergelijkbare gemeenten": {f"G{i}": 0.1 for i in range(6)}},
    )
    assert assess(ten).reasons == (
        "3,0× de mediaan van vergelijkbare gemeenten",
        "bij de 10% hoogste van vergelijkbare gemeenten",
    )
    assert assess(ten).score == 3
