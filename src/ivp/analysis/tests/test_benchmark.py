"""Comparison with groups and reference areas; withheld values are left out, never 0."""

import json
from pathlib import Path

import pytest

import ivp.datasets
from ivp.analysis.benchmark import (
    MIN_GROUP,
    benchmark,
    compare_to_group,
    pooled_rate,
    rates_in_year,
)

DATA_JSON = (
    Path(ivp.datasets.__file__).resolve().parent / "bundled" / "cbs-47018-gemeenten" / "data.json"
)


def test_median_rank_percentile_and_ratio_by_hand():
    group = {"A": 1.0, "B": 2.0, "C": 3.0, "D": 4.0, "E": 5.0, "OWN": 4.8}
    result = compare_to_group(4.8, group, own_code="OWN", name="vergelijkbare gemeenten")
    assert result.n == 5  # the gemeente itself is not in its own median
    assert result.median == 3.0
    assert (result.p25, result.p75) == (2.0, 4.0)
    assert (result.minimum, result.maximum) == (1.0, 5.0)
    assert result.rank == 2  # only E is higher
    assert result.of == 6
    assert result.percentile == pytest.approx(80.0)  # above 4 of 5
    assert result.ratio_to_median == pytest.approx(1.6)
    assert not result.small_group


def test_withheld_members_are_left_out_and_counted_never_zero():
    group = {"A": 1.0, "B": None, "C": 3.0, "D": float("nan"), "E": 5.0, "F": 7.0}
    result = compare_to_group(4.0, group)
    assert result.n == 4
    assert result.missing == ("B", "D")
    assert result.median == 4.0  # of 1, 3, 5, 7; with zeros for B and D it would be 2.0
    assert result.rank == 3
    assert result.percentile == pytest.approx(50.0)


def test_ties_count_half_and_small_group_is_flagged():
    result = compare_to_group(2.0, {"A": 2.0, "B": 2.0, "C": 1.0})
    assert result.percentile == pytest.approx((1 + 0.5 * 2) / 3 * 100)
    assert result.rank == 1
    assert result.small_group
    assert MIN_GROUP == 5


def test_own_value_unknown_gives_group_figures_only():
    result = compare_to_group(None, {"A": 1.0, "B": 3.0})
    assert result.median == 2.0
    assert result.rank is None
    assert result.percentile is None
    assert result.ratio_to_median is None
    assert result.of == 2


def test_benchmark_with_groups_and_references():
    result = benchmark(
        3.0,
        groups={"vergelijkbare gemeenten": {"A": 1.0, "B": 2.0, "C": 3.0, "D": 4.0, "E": 2.0}},
        references={"het landelijk cijfer": 2.5, "de politie-eenheid": None, "nul": 0.0},
    )
    assert result.group("vergelijkbare gemeenten").ratio_to_median == pytest.approx(1.5)
    assert result.ratios["het landelijk cijfer"] == pytest.approx(1.2)
    assert result.ratios["de politie-eenheid"] is None
    assert result.ratios["nul"] is None
    assert result.group("onbekend") is None


def test_rates_and_pooled_rate_of_a_group():
    counts = {"GM1": {"2023": 10}, "GM2": {"2023": 30}, "GM3": {"2023": None}}
    bases = {"GM1": {"2023": 10000}, "GM2": {"2023": 20000}, "GM3": {"2023": 5000}}
    assert rates_in_year(counts, bases, "2023") == {"GM1": 1.0, "GM2": 1.5, "GM3": None}
    assert pooled_rate({k: counts[k] for k in ("GM1", "GM2")}, bases, 2023) == pytest.approx(
        40 / 30000 * 1000
    )
    assert pooled_rate(counts, bases, 2023) is None  # a partial sum would understate it


def test_ridderkerk_burglary_2023_against_gemeenten_of_20_to_50_thousand():
    # Real figures (bundled 47018NED and 70072ned): all gemeenten with 20,000–50,000
    # inhabitants in 2023 (the CBS size class of Ridderkerk). Reference values computed once
    # with Python's statistics.median over the same file: 182 others, median 1.0241,
    # Ridderkerk 46 / 47,599 = 0.9664 per 1,000; 102 others higher, 80 lower.
    data = json.loads(DATA_JSON.read_text())
    population, burglary = data["population"], data["counts"]["1.1.1"]
    members = {
        code: burglary[code]
        for code in burglary
        if 20000 <= population.get(code, {}).get("2023", 0) < 50000
    }
    rates = rates_in_year(members, population, "2023")
    result = compare_to_group(
        rates["GM0597"], rates, own_code="GM0597", name="vergelijkbare gemeenten"
    )
    assert result.value == pytest.approx(0.9664068572869179)
    assert result.n == 182
    assert result.median == pytest.approx(1.0240923231591639)
    assert result.ratio_to_median == pytest.approx(0.943671615763806)
    assert result.rank == 103
    assert result.of == 183
    assert result.percentile == pytest.approx(80 / 182 * 100)
