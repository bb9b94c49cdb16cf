"""The total of registered crime (0.0.0) per gemeente, bundled in two sources: 47013NED
(2022–2024, exact, division 2026) and 83648NED (2010–2020, CBS, rounded to 5, division of
each year), with ivp's table of the 83648NED region names and codes."""

from __future__ import annotations

import csv
import json

import pytest

from ivp.areas.sources import read_geojson_names
from ivp.datasets import queries
from ivp.datasets.sources import bundled
from ivp.datasets.sources.bundled import (
    BUNDLED,
    OPHELDERING,
    TOTALS_47013,
    TOTALS_83648,
    parse_totals_47013,
    parse_totals_83648,
    regiocodes_83648,
)


def by_key(result, code="0.0.0"):
    index = next(i for i, s in enumerate(result.series) if s.code == code)
    return {(r.regio, r.periode): r.waarde for r in result.records if r.series == index}


def test_47013ned_totals_of_every_gemeente_2022_to_2024():
    old, new = (parse_totals_47013(path) for path in TOTALS_47013)
    assert old.ok and new.ok
    totals = by_key(old) | by_key(new)
    assert totals[("GM0796", "2024JJ00")] == 8954  # 's-Hertogenbosch
    assert totals[("GM0363", "2024JJ00")] == 82964  # Amsterdam
    assert totals[("GM0796", "2022JJ00")] == 8815 and totals[("NL01", "2023JJ00")] == 805590
    assert totals[("RE09", "2024JJ00")] > 60000  # politie-eenheid Oost-Brabant
    gemeenten = {region for region, _p in totals if region.startswith("GM")}
    assert gemeenten == set(read_geojson_names())  # the 342 of the current division
    assert {p for _r, p in totals} == {"2022JJ00", "2023JJ00", "2024JJ00"}
    # not regions: abroad and "not assignable"
    assert new.meta["niet_ingelezen_regios"] == [
        "Buitenland",
        "Gemeenten; niet in te delen",
        "Niet in te delen (RE)",
    ]
    assert {r.status for r in new.records} == {""}  # police tables carry no status


def test_83648ned_totals_in_the_division_of_each_year():
    result = parse_totals_83648()
    assert result.ok
    totals = by_key(result)
    assert totals[("GM0363", "2017JJ00")] == 86745  # Amsterdam
    assert totals[("GM0796", "2017JJ00")] == 9935  # 's-Hertogenbosch
    assert totals[("NL01", "2010JJ00")] > 1_000_000
    # Schijndel merged into Meierijstad in 2017: each under its own code, only while it existed
    assert sorted(p[:4] for r, p in totals if r == "GM0844") == [str(y) for y in range(2010, 2017)]
    assert sorted(p[:4] for r, p in totals if r == "GM1948") == ["2017", "2018", "2019", "2020"]
    assert result.meta["bestond_niet"] == 591  # the 0.0 of a gemeente that did not exist
    assert not any(p.startswith("2021") for _r, p in totals)
    # every count is rounded to five
    assert all(v % 5 == 0 for v in totals.values())


def test_83648ned_zeros_are_not_known_and_the_cleared_share_is_a_series():
    result = parse_totals_83648()
    per_1000 = by_key(result, "0.0.0|GeregistreerdeMisdrijvenPer1000Inw_3")
    assert per_1000[("GM0096", "2015JJ00")] is None  # Vlieland: 0.0 in the file, not 0
    assert per_1000[("GM0363", "2017JJ00")] == 102.7
    cleared = by_key(result, OPHELDERING)
    assert cleared[("GM0363", "2017JJ00")] == 23.4
    spec = next(s for s in result.series if s.code == OPHELDERING)
    assert spec.eenheid == "%" and spec.soort == "indicator"
    assert "Ophelderingspercentage" in spec.naam


def test_every_83648ned_region_has_a_code():
    table = regiocodes_83648()
    with TOTALS_83648.open(encoding="utf-8-sig", newline="") as handle:
        names = {row["RegioS"] for row in csv.DictReader(handle)}
    assert set(table) == names and len(names) == 393  # nothing unmapped, nothing extra
    codes = [entry.code for entry in table.values()]
    assert len(codes) == len(set(codes))  # one name per code
    current = set(read_geojson_names())
    kinds = {}
    for entry in table.values():
        kinds[entry.soort] = kinds.get(entry.soort, 0) + 1
        if entry.soort == "gemeente":
            assert entry.code in current, entry
        elif entry.soort == "voormalige gemeente":
            assert entry.code not in current and entry.code.startswith("GM"), entry
    assert kinds == {"gemeente": 285, "voormalige gemeente": 107, "land": 1}
    assert table["Schijndel"].code == "GM0844" and table["Abcoude"].code == "GM0305"
    assert "Haaren" not in table  # absent from the export (see PROVENANCE.md)


def test_former_codes_agree_with_the_population_of_that_code():
    """The inhabitants 83648NED implies (total ÷ per 1,000) agree with the bundled
    population of the code ivp gives the name (70072ned, 2012 onwards), within rounding."""
    table = regiocodes_83648()
    population = json.loads(
        (BUNDLED / "cbs-47018-gemeenten" / "data.json").read_text(encoding="utf-8")
    )["population"]
    checked = set()
    with TOTALS_83648.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            entry = table[row["RegioS"]]
            total = float(row["TotaalGeregistreerdeMisdrijven_1"])
            per_1000 = float(row["GeregistreerdeMisdrijvenPer1000Inw_3"])
            known = population.get(entry.code, {}).get(row["Perioden"])
            if entry.soort != "voormalige gemeente" or not total or not per_1000 or not known:
                continue
            implied = total / per_1000 * 1000
            tolerance = 2.5 / total + 0.05 / per_1000 + 0.02
            assert abs(known - implied) / implied < tolerance, (entry, row["Perioden"])
            checked.add(entry.code)
    assert len(checked) == 88
    pre_2012 = {e.code for e in table.values() if e.gecontroleerd_met == "CBS-gemeentecodelijst"}
    assert len(pre_2012) == 19 and not pre_2012 & checked


@pytest.mark.django_db
def test_the_store_shows_both_sources_with_a_visible_break(bundle):
    figures = queries.figures("GM0796", with_comparison=False)
    counts = figures.counts["0.0.0"]["GM0796"]
    assert counts["2024JJ00"] == 8954 and counts["2017JJ00"] == 9935
    assert "2021JJ00" not in counts  # in neither source: no value, no estimate
    # from 2012, the first year of the categories (one year axis); 2010–2011 stay stored
    assert min(counts) == "2012JJ00"
    assert queries.total_source_years("GM0796")[0]["van"] == 2012
    sources = figures.period_sources["0.0.0"]["GM0796"]
    assert sources["2017JJ00"] == "83648NED|0.0.0" and sources["2024JJ00"] == "47013NED|0.0.0"
    assert {"83648NED|0.0.0", "47013NED|0.0.0"} <= set(figures.sources)
    assert figures.sources["83648NED|0.0.0"].table_id == "83648NED"
    assert "0.0.0" not in figures.missing
    # 83648NED counts in the division of that year: a rate before the boundary change of
    # 2015 is right; the categories of 47018NED (division 2024) get none.
    assert figures.boundary_change["GM0796"] == 2015
    assert figures.rate("0.0.0", "GM0796", 2012).waarde == pytest.approx(
        12640 / figures.population["GM0796"]["2012JJ00"] * 1000
    )
    assert figures.rate("1.1.1", "GM0796", 2012).waarde is None
    assert figures.rate("0.0.0", "GM0796", 2024).waarde == pytest.approx(8954 / 161144 * 1000)
    assert queries.availability("GM0796")["totaal_aanwezig"] is True


@pytest.mark.django_db
def test_loading_the_bundle_again_changes_nothing(bundle):
    from ivp.datasets.models import ImportRun, Observation
    from ivp.datasets.services import load_bundled_data

    count = Observation.objects.count()
    runs = ImportRun.objects.count()
    report = load_bundled_data()
    assert f"0 geladen, {len(bundled.BUNDLED_SETS)} al aanwezig" in report
    assert Observation.objects.count() == count and ImportRun.objects.count() == runs
