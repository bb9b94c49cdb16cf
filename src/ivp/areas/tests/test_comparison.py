"""Comparison groups: size, density and each year's population."""

import pytest

from ivp.areas import comparison


def test_areas_from_the_bundled_boundaries():
    areas = comparison.areas_km2()
    assert len(areas) == 342
    # CBS: Amsterdam 219 km² (land and water), Ridderkerk 25 km², 's-Hertogenbosch 118 km²
    assert areas["GM0363"] == pytest.approx(219, rel=0.05)
    assert areas["GM0597"] == pytest.approx(25, rel=0.08)
    assert areas["GM0796"] == pytest.approx(118, rel=0.05)


def test_nearest_neighbours_by_population_and_density():
    population = {"A": 10_000, "B": 11_000, "C": 10_500, "D": 500_000, "E": 12_000}
    area = {"A": 50.0, "B": 55.0, "C": 5.0, "D": 100.0, "E": 60.0}
    nearest = comparison.neighbours_all(population, area, k=2)
    # C has A's size but ten times its density: B and E are nearer to A
    assert nearest["A"][0] == ("B", "E")
    assert "D" not in nearest["A"][0]
    only = comparison.neighbours_all(population, area, k=2, only=["A"])
    assert only == {"A": nearest["A"]}


def test_size_class_follows_the_years_population():
    population = {"X": 19_900, "Y": 15_000, "Z": 25_000}
    assert comparison.size_class_group("X", 2020, population).members == ("X", "Y")
    grown = {**population, "X": 20_100}
    group = comparison.size_class_group("X", 2024, grown)
    assert group.members == ("X", "Z")
    assert group.description == "Gemeenten met 20.000 tot 50.000 inwoners in 2024"


def test_a_too_small_own_selection_falls_back_to_the_standard_group():
    population = {c: 10_000 + i for i, c in enumerate("ABCDEFGH")}
    neighbours = (tuple("BCDEFG"), {})
    own = comparison.group_for(
        comparison.Vergelijking(comparison.EIGEN, ("B", "C", "Q")),
        "A",
        "A",
        2025,
        population,
        neighbours,
    )
    assert own.kind == comparison.STANDAARD
    assert own.members == ("A", *"BCDEFG")
    assert "eigen selectie telt 2 andere gemeenten" in own.note
    fine = comparison.group_for(
        comparison.Vergelijking(comparison.EIGEN, tuple("BCDEF")),
        "A",
        "A",
        2025,
        population,
        neighbours,
    )
    assert fine.kind == comparison.EIGEN and fine.members == ("A", *"BCDEF")


def test_the_areas_are_kept_and_read_back_unchanged(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    comparison.areas_km2.cache_clear()
    try:
        computed = comparison.areas_km2()
        kept = list((tmp_path / "cache").glob("areas-km2-*.json"))
        assert len(kept) == 1
        comparison.areas_km2.cache_clear()
        assert comparison.areas_km2() == computed  # now read from the file, to the last bit
        kept[0].write_text("{broken")  # a damaged file is computed again, never trusted
        comparison.areas_km2.cache_clear()
        assert comparison.areas_km2() == computed
    finally:
        comparison.areas_km2.cache_clear()
