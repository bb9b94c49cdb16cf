"""Priority candidates: signals, false-discovery control, the rules that keep a series out
of the proposals, and the Dutch texts."""

import pytest

from ivp.analysis.candidates import (
    ENFORCEMENT_NOTE,
    FDR,
    MAX_PROPOSED,
    Facts,
    GroupFacts,
    Role,
    assess,
    assess_facts,
    benjamini_hochberg,
    by_theme,
    evidence,
    facts_of,
    format_nl,
    join_nl,
    notable,
    propose,
)
from ivp.analysis.tests.figures import (
    DENBOSCH_121,
    DENBOSCH_POP,
    PROVISIONAL,
    RIDDERKERK_111,
    RIDDERKERK_POP,
)

RISING = {"2019": 50, "2020": 62, "2021": 60, "2022": 55, "2023": 70, "2024": 85, "2025": 110}
FLAT_BASE = {year: 50000 for year in RISING}


def strong(key: str, p: float = 1e-6, **kwargs) -> Facts:
    """A series with one very strong signal: high above its group (funnel p = ``p``)."""
    values = {
        "key": key,
        "title": key,
        "year": 2025,
        "count": 120,
        "rate": 2.4,
        "groups": (GroupFacts("vergelijkbare gemeenten", 30, 0, 0),),
        "level_group": "vergelijkbare gemeenten",
        "level_ratio": 2.0,
        "level_median": 1.2,
        "level_funnel": True,
        "level_p_higher": p,
        "level_p_lower": 1 - p,
        "level_percentile": 95.0,
    }
    values.update(kwargs)
    return Facts(**values)


def test_dutch_number_formatting():
    assert format_nl(1.63, 1) == "1,6"
    assert format_nl(1259) == "1.259"
    assert format_nl(12345.678, 2) == "12.345,68"
    assert join_nl(["a", "b", "c"]) == "a, b en c"


def test_benjamini_hochberg_adjusted_p_values():
    # p = 0.01, 0.04, 0.03, 0.5 (m = 4): q = 0.04, 0.04·4/3…, monotone in rank
    assert benjamini_hochberg([0.01, 0.04, 0.03, 0.5]) == pytest.approx(
        [0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5]
    )


def test_a_strong_level_is_proposed_with_its_reason_and_numbers():
    [candidate] = assess_facts([strong("1.2.1")])
    assert candidate.proposed
    assert candidate.score == 3
    assert candidate.reasons == (
        "2,0× de mediaan van vergelijkbare gemeenten (2,40 tegen 1,20 per 1.000 inwoners), "
        "meer dan de gewone spreiding tussen gemeenten, bij de 10% hoogste van "
        "vergelijkbare gemeenten",
    )
    assert candidate.rank == 1
    assert candidate.adjusted_p == pytest.approx(2e-6)


def test_within_the_spread_between_gemeenten_is_a_caveat_not_a_reason():
    [candidate] = assess_facts([strong("1.2.1", p=0.2)])
    assert not candidate.proposed
    assert candidate.reasons == ()
    assert (
        "2,0× de mediaan van vergelijkbare gemeenten, maar binnen de gewone spreiding tussen "
        "gemeenten (120 in 2025)" in candidate.caveats
    )


def test_false_discoveries_are_controlled_over_the_gemeente():
    # A p-value of 0.004 (two-sided 0.008) is "significant" alone, but not as the best of
    # 40 signals of which the rest show nothing: BH needs 0.008 ≤ 0.10·1/40.
    alone = assess_facts([strong("a", p=0.004)])
    assert alone[0].proposed
    family = [strong("a", p=0.004)] + [strong(f"x{i}", p=0.6) for i in range(39)]
    crowd = assess_facts(family)
    assert not crowd[0].proposed
    assert crowd[0].adjusted_p == pytest.approx(0.008 * 40, abs=1e-12)
    assert any("niet aantoonbaar naast de andere toetsen" in c for c in crowd[0].caveats)
    assert FDR == 0.10


def test_at_most_four_proposals_strongest_first():
    family = [strong(f"s{i}", p=10.0 ** -(i + 3)) for i in range(6)]
    found = {c.key: c for c in assess_facts(family)}
    proposed = sorted((c for c in found.values() if c.proposed), key=lambda c: c.rank)
    assert [c.key for c in proposed] == ["s5", "s4", "s3", "s2"]
    assert MAX_PROPOSED == 4
    assert not found["s1"].proposed
    assert found["s1"].caveats[0].startswith("aantoonbaar, maar niet bij de vier sterkste")


def test_enforcement_driven_series_are_never_proposed_and_say_why():
    [candidate] = assess_facts([strong("3.1.1", enforcement=True)])
    assert not candidate.proposed
    assert candidate.enforcement
    assert candidate.caveats[0] == ENFORCEMENT_NOTE
    assert candidate.adjusted_p is None  # not part of the family


def test_sparse_series_give_no_percentage_or_trend_as_a_reason():
    # Wierden, moord/doodslag: 0, 0, 0, 2, 3 (2021–2025). As Poisson counts that is a
    # "significant" rise of 241 % a year; with 3 offences it is no reason for anything.
    counts = {"2021": 0, "2022": 0, "2023": 0, "2024": 2, "2025": 3}
    ev = evidence("1.4.2", "Moord, doodslag", counts, 2025, base=dict.fromkeys(counts, 24000))
    candidate = assess(ev)
    assert not candidate.proposed
    assert candidate.sparse
    assert candidate.reasons == ()
    assert not any("per jaar" in r for r in candidate.reasons)
    assert (
        "klein aantal (3 in 2025): te weinig om een percentage of trend als reden te geven"
        in candidate.caveats
    )


def test_a_theme_of_one_category_is_one_candidate_shown_under_the_theme():
    family = [strong("2.2.1"), strong("thema:1.2"), strong("veld:1")]
    roles = {
        "2.2.1": Role(eligible=False, note="dezelfde cijfers als thema 1.2", same_as="thema:1.2"),
        "veld:1": Role(eligible=False, note="een veld is breder dan een prioriteit"),
    }
    found = {c.key: c for c in assess_facts(family, roles)}
    assert found["thema:1.2"].proposed
    assert not found["2.2.1"].proposed and found["2.2.1"].shown_under == "thema:1.2"
    assert found["2.2.1"].caveats[0] == "dezelfde cijfers als thema 1.2"
    assert not found["veld:1"].proposed


def test_high_and_rising_real_shape():
    ev = evidence(
        "1.1.1",
        "Diefstal/inbraak woning",
        RISING,
        2025,
        base=FLAT_BASE,
        provisional=PROVISIONAL,
        dispersion=1.0,
    )
    candidate = assess(ev)
    assert candidate.proposed
    # 110 against the mean 70 of 2022–2024 (+57 %), a run of three rises, a rising trend
    assert "57% boven het gemiddelde van 2022–2024, meer dan de gewone schommeling" in (
        candidate.reasons
    )
    assert any(
        r.startswith("drie jaar op rij gestegen (van 55 in 2022 naar 110 in 2025)")
        for r in candidate.reasons
    )
    assert "cijfers 2025 zijn voorlopig" in candidate.caveats
    assert [c.key for c in propose([ev])] == ["1.1.1"]
    # the same shape with the restlessness of a real series (φ = 4) is not demonstrable
    restless = assess(
        evidence("1.1.1", "x", RISING, 2025, base=FLAT_BASE, dispersion=4.0, dispersion_df=30.0)
    )
    assert restless.score < candidate.score


def test_ridderkerk_burglary_is_no_candidate():
    ev = evidence(
        "1.1.1",
        "Diefstal/inbraak woning",
        RIDDERKERK_111,
        2025,
        base=RIDDERKERK_POP,
        provisional=PROVISIONAL,
    )
    candidate = assess(ev)
    assert not candidate.proposed
    assert candidate.reasons == ()
    assert candidate.score == -1  # a falling trend
    assert any(
        c.startswith("daalt met gemiddeld") and c.endswith("aantoonbaar") for c in candidate.caveats
    )
    assert "klein aantal (36 in 2025): percentages zijn onzeker" in candidate.caveats


def test_facts_of_evidence_carry_what_the_rules_read():
    ev = evidence("1.2.1", "x", DENBOSCH_121, 2017, base=DENBOSCH_POP, dispersion=2.0)
    facts = facts_of(ev)
    assert facts.count == 1259
    assert facts.previous_percent == pytest.approx(ev.change.vs_previous.percent)
    assert facts.trend_period == "2013–2017"
    assert facts.mean_first == 2014 and facts.mean_last == 2016


def test_by_theme_groups_in_evidence_order():
    a, b = assess_facts([strong("1.1.1", p=1e-8), strong("1.2.3", p=0.3)])
    themes = by_theme([b, a], {"1.1.1": ["1.3"], "1.2.3": ["1.3", "2.1"]})
    assert [c.key for c in themes["1.3"]] == ["1.1.1", "1.2.3"]
    assert [c.key for c in themes["2.1"]] == ["1.2.3"]


def test_without_a_discovery_the_smallest_p_value_orders_and_only_leaning_signals_are_notable():
    # none survives the false-discovery control; the order follows the evidence, not the code
    facts = [strong("1.1.1", p=0.45), strong("1.4.2", p=0.04), strong("1.2.2", p=0.08)]
    facts += [strong(f"9.9.{i}", p=0.5) for i in range(20)]
    ranked = sorted(
        (c for c in assess_facts(facts) if c.key in {"1.1.1", "1.4.2", "1.2.2"}),
        key=lambda c: c.rank,
    )
    assert not any(c.proposed for c in ranked)
    assert [c.key for c in ranked] == ["1.4.2", "1.2.2", "1.1.1"]
    assert [notable(c) for c in ranked] == [True, True, False]
