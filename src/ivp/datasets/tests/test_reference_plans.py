"""The bundled data give the figures that published plans quote (../shared/reference/),
within the revisions CBS/politie made since.

- Ridderkerk, IVB 2020–2023, table "Misdrijven – politie" (2016, 2017, 2018).
- 's-Hertogenbosch, IVP 2019–2022: "totaal auto-inbraak (per 1.000 inwoners) 8,2 [2017]";
  auto-inbraak is 1.2.1 Diefstal uit/vanaf motorvoertuigen.
"""

import pytest

from ivp.datasets.rates import rate
from ivp.datasets.sources.bundled import parse_gemeenten_json


@pytest.fixture(scope="module")
def bundle():
    result = parse_gemeenten_json()
    assert result.ok
    return {
        (
            result.series[r.series].dataset,
            result.series[r.series].code,
            r.regio,
            r.periode,
        ): r.waarde
        for r in result.records
    }


RIDDERKERK_PLAN = {
    "1.1.1": (138, 118, 88),  # Diefstal/inbraak woning
    "1.4.4": (41, 42, 40),  # Bedreiging
    "1.4.5": (95, 73, 77),  # Mishandeling
    "1.2.1": (279, 211, 164),  # Diefstal uit/vanaf motorvoertuigen
    "1.2.2": (58, 35, 45),  # Diefstal van motorvoertuigen
    "1.2.3": (254, 280, 195),  # Diefstal van brom-, snor-, fietsen
    "2.2.1": (233, 206, 167),  # Vernieling c.q. zaakbeschadiging
    "2.5.1": (46, 37, 28),  # Diefstal/inbraak bedrijven en instellingen
    "1.1.2": (33, 23, 26),  # Diefstal/inbraak box/garage/schuur/tuinhuis
    "3.1.1": (16, 15, 12),  # Drugshandel
}


def test_ridderkerk_residential_burglary_2016_2018(bundle):
    counts = [bundle[("47018NED", "1.1.1", "GM0597", f"{y}JJ00")] for y in (2016, 2017, 2018)]
    assert counts == [138, 118, 89]  # the plan (2019) quotes 138/118/88


@pytest.mark.parametrize(("code", "quoted"), RIDDERKERK_PLAN.items())
def test_ridderkerk_plan_table_within_revisions(bundle, code, quoted):
    for year, plan_value in zip((2016, 2017, 2018), quoted, strict=True):
        value = bundle[("47018NED", code, "GM0597", f"{year}JJ00")]
        assert abs(value - plan_value) <= max(2, 0.03 * plan_value), (code, year, value, plan_value)


def test_s_hertogenbosch_car_break_ins_per_1000_in_2017(bundle):
    count = bundle[("47018NED", "1.2.1", "GM0796", "2017JJ00")]
    inhabitants = bundle[("70072NED", "inwoners", "GM0796", "2017JJ00")]
    assert (count, inhabitants) == (1259, 152922)
    r = rate(count, inwoners=inhabitants, soort_misdrijf="1.2.1")
    assert r.rounded(1) == 8.2  # the plan quotes 8,2
    assert r.waarde == pytest.approx(8.233, abs=0.001)


def test_bundle_does_not_hold_the_total_per_gemeente(bundle):
    # The plans' "totaal misdrijven" needs 0.0.0 per gemeente, which is not bundled;
    # ivp must say so and offer to fetch it rather than add up the 12 categories.
    assert not any(k[1] == "0.0.0" and k[2].startswith("GM") for k in bundle)
