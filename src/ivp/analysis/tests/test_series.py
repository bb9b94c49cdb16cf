"""Rates of a series: one base for all years, withheld is not zero, provisional flagged."""

import math

import pytest

from ivp.analysis.series import (
    as_years,
    choose_base,
    provisional_years,
    rate_series,
    rate_series_for,
    sum_series,
    year_of,
)
from ivp.analysis.tests.figures import (
    DENBOSCH_121,
    DENBOSCH_POP,
    PROVISIONAL,
    RIDDERKERK_111,
    RIDDERKERK_POP,
)
from ivp.datasets.rates import Noemer


def test_denbosch_theft_from_vehicles_2017_is_8_2_per_1000():
    # Its plan (IVP 's-Hertogenbosch 2019–2022) quotes 8.2 per 1,000 inhabitants for 2017.
    rates = rate_series(DENBOSCH_121, DENBOSCH_POP)
    assert rates.rate("2017") == pytest.approx(1259 / 152922 * 1000)
    assert round(rates.rate("2017"), 2) == 8.23
    assert round(rates.rate(2017), 1) == 8.2
    assert rates.label == "per 1.000 inwoners"


def test_ridderkerk_burglary_rates_every_year():
    rates = rate_series(RIDDERKERK_111, RIDDERKERK_POP, provisional=PROVISIONAL)
    assert list(rates.rates) == [str(y) for y in range(2012, 2026)]
    assert rates.rates["2012"] == pytest.approx(3.7111, abs=1e-4)  # 168 / 45,269
    assert rates.rates["2024"] == pytest.approx(0.6268, abs=1e-4)  # 30 / 47,860
    assert rates.point("2024").provisional
    assert not rates.point("2023").provisional
    assert rates.counts["2025"] == 36


def test_year_keys_cbs_codes_and_ints_are_the_same_year():
    assert year_of("2018JJ00") == year_of("2018") == year_of(2018) == 2018
    assert as_years({"2019JJ00": 1, 2018: 2}) == {2018: 2.0, 2019: 1.0}
    with pytest.raises(ValueError):
        year_of("2018MM03")
    with pytest.raises(ValueError):
        as_years({"2018": 1, "2018JJ00": 2})
    with pytest.raises(ValueError):
        as_years({"2018": -1})


def test_withheld_is_none_not_zero():
    counts = {"2018": 10, "2019": None, "2020": float("nan"), "2021": 0}
    rates = rate_series(counts, {y: 10000 for y in counts})
    assert rates.rates == {"2018": 1.0, "2019": None, "2020": None, "2021": 0.0}
    assert rates.point("2019").withheld
    assert "niet gepubliceerd" in rates.point("2019").reason
    assert not rates.point("2021").withheld


def test_no_base_or_zero_base_gives_no_rate_with_reason():
    rates = rate_series({"2018": 5, "2019": 5}, {"2018": 0})
    assert rates.rates == {"2018": None, "2019": None}
    assert "geen basis" in rates.point("2019").reason


def test_years_before_a_boundary_change_get_no_rate():
    rates = rate_series(DENBOSCH_121, DENBOSCH_POP, boundary_change=2015)
    assert rates.rate(2014) is None
    assert "grens gewijzigd in 2015" in rates.point(2014).reason
    assert rates.rate(2015) == pytest.approx(1852 / 151248 * 1000)


def test_burglary_per_dwellings_only_when_known_for_every_year():
    counts = {"2022": 55, "2023": 46}
    homes = {"2022": 21000, "2023": 21100}
    chosen = rate_series_for("1.1.1", counts, inhabitants=RIDDERKERK_POP, dwellings=homes)
    assert chosen.noemer is Noemer.WONINGEN
    assert chosen.label == "per 1.000 woningen"
    assert chosen.rate("2023") == pytest.approx(46 / 21100 * 1000)

    partial = choose_base("1.1.1", counts=counts, inhabitants=RIDDERKERK_POP, dwellings={"2023": 1})
    assert partial.noemer is Noemer.INWONERS
    assert "niet voor alle jaren" in partial.reason

    none = rate_series_for("1.1.1", counts, inhabitants=RIDDERKERK_POP)
    assert none.noemer is Noemer.INWONERS
    assert none.rate("2023") == pytest.approx(46 / 47599 * 1000)
    assert "woningen onbekend" in none.reason

    other = rate_series_for("1.2.1", counts, inhabitants=RIDDERKERK_POP, dwellings=homes)
    assert other.noemer is Noemer.INWONERS


def test_provisional_years_from_status_or_list():
    status = {"2023JJ00": "definitief", "2024JJ00": "voorlopig", "2025JJ00": "nader_voorlopig"}
    assert provisional_years(status) == {2024, 2025}
    assert provisional_years(["2024", 2025]) == {2024, 2025}
    assert provisional_years({"2024MM01": "voorlopig"}) == frozenset()
    assert provisional_years(None) == frozenset()


def test_sum_of_areas_refuses_partial_totals():
    a = {"2020": 10, "2021": None, "2022": 5}
    b = {"2020": 3, "2021": 4}
    total = sum_series(a, b)
    assert total == {"2020": 13.0, "2021": None, "2022": None}
    assert not any(isinstance(v, float) and math.isnan(v) for v in total.values())


def test_value_in_reads_any_year_key_without_converting():
    from ivp.analysis.series import value_in

    assert value_in({"2018JJ00": 5}, 2018) == 5.0
    assert value_in({2018: 5}, "2018") == 5.0
    assert value_in({"2018": None}, 2018) is None
    assert value_in({"2018": 5}, 2019) is None
    assert value_in(None, 2019) is None
