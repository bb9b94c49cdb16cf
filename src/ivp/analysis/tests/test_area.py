"""The veiligheidsbeeld of several gemeenten (a joint plan): the ``ivp analyse`` contract
with comma-separated gemeenten, the area's sums and rates, and former gemeenten."""

from __future__ import annotations

import json

import pytest

from ivp.analysis import area
from ivp.analysis import veiligheidsbeeld as vb
from ivp.cli.main import main

pytestmark = pytest.mark.django_db

# basisteam Purmerend before 2022: Beemster merged into Purmerend on 1 January 2022
TEAM = ["GM0370", "Purmerend", "GM0385", "Landsmeer", "GM0852", "Wormerland"]


def _category(picture: dict, code: str) -> dict:
    return next(c for c in picture["categories"] if c["code"] == code)


def test_cli_gives_each_member_as_alone_and_the_area(bundle, capsys):
    assert main(["analyse", "-m", ",".join(TEAM), "--year", "2018", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"members", "aggregate"}
    codes = [m["municipality"]["code"] for m in data["members"]]
    assert codes == ["GM0370", "GM0439", "GM0385", "GM0415", "GM0852", "GM0880"]
    # a member's picture is exactly what the single-gemeente command prints
    assert main(["analyse", "-m", "GM0415", "--year", "2018", "--json"]) == 0
    alone = json.loads(capsys.readouterr().out)
    assert data["members"][3] == alone
    aggregate = data["aggregate"]
    assert aggregate["municipality"]["code"] == "+".join(codes)
    assert [m["code"] for m in aggregate["area"]["members"]] == codes
    beemster = aggregate["area"]["members"][0]
    assert beemster == {
        "code": "GM0370",
        "name": "Beemster",
        "current": False,
        "merged_into": "GM0439",
        "last_year": "2021",
    }


def test_area_counts_are_summed_and_rates_on_the_summed_population(bundle):
    picture = area.build_area(TEAM, 2018)
    data = area.to_json(picture)
    members = {m["municipality"]["code"]: m for m in data["members"]}
    burglary = _category(data["aggregate"], "1.1.1")
    # 47018NED counts in today's division: Purmerend's figure already covers Beemster,
    # so the area is the sum over the current members (no double count)
    current = [c for c in members if c != "GM0370"]
    assert burglary["counts"]["2018"] == sum(
        _category(members[c], "1.1.1")["counts"]["2018"] for c in current
    )
    # inhabitants in each year's own division: Beemster counts until it merged
    population = {c: members[c]["municipality"]["population"]["2018"] for c in members}
    assert data["aggregate"]["municipality"]["population"]["2018"] == sum(population.values())
    assert burglary["rate_per_1000"]["2018"] == pytest.approx(
        burglary["counts"]["2018"] / sum(population.values()) * 1000, abs=0.001
    )
    # the same statistics as for a gemeente, with the unit and the Netherlands as references
    assert {"phi", "df", "own", "pooled"} <= set(burglary["dispersion"])
    assert burglary["change_prev_year"]["verdict"]
    references = burglary["comparison"]["references"]
    assert "Nederland" in references and "politie-eenheid Noord-Holland" in references
    # Edam-Volendam took in Zeevang (outside the area) in 2016: no area rates before that
    assert burglary["rate_per_1000"]["2015"] is None
    assert burglary["rate_per_1000"]["2016"] is not None


def test_a_merger_inside_the_area_keeps_its_rates(bundle):
    picture = area.build_area(["Beemster", "Purmerend"], 2018)
    burglary = picture.aggregate.category("1.1.1")
    purmerend = picture.members[1].category("1.1.1")
    assert purmerend.rates["2018"] is None  # Purmerend alone: 2024 division vs 2018 inhabitants
    assert burglary.rates["2018"] is not None  # the two together are the same ground
    assert any("opgegaan in Purmerend" in n for n in picture.aggregate.notes)


def test_a_former_gemeente_has_its_own_total_and_says_why_nothing_else(bundle):
    picture = vb.build("GM0370", 2018)
    assert [c.code for c in picture.categories] == ["0.0.0"]
    total = picture.category("0.0.0")
    assert total.counts["2018"] == 320  # CBS 83648NED, division of 2018
    assert total.sources and "83648NED" in total.sources[0]
    assert any("bestaat niet meer" in n and "83648NED" in n for n in picture.notes)


def test_a_former_gemeente_after_it_was_dissolved_is_refused(bundle, capsys):
    assert main(["analyse", "-m", "Beemster,Purmerend", "--year", "2023", "--json"]) == 2
    err = capsys.readouterr().err
    assert "Beemster" in err and "2021" in err and err.count("\n") == 1
    assert main(["analyse", "-m", "Purmerend,Nergenshuizen", "--json"]) == 2
    assert "Onbekende gemeente" in capsys.readouterr().err


def test_one_gemeente_keeps_todays_output(bundle, capsys):
    assert main(["analyse", "-m", "GM0597", "--year", "2018", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["municipality"]["code"] == "GM0597"
    assert "members" not in data
