"""The veiligheidsbeeld on the bundled real data (CBS/politie 47018NED, CBS 70072ned), and
the ``ivp analyse`` contract. Expected figures are the ones the municipalities' own plans
quote (shared/reference), within the revisions CBS made since."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ivp.analysis import veiligheidsbeeld as vb
from ivp.areas import services as area_services
from ivp.cli.main import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def ridderkerk_2018(bundle):
    return vb.build("GM0597", 2018)


@pytest.fixture
def den_bosch_2017(bundle):
    return vb.build("GM0796", 2017)


def test_ridderkerk_burglaries_equal_its_plan(ridderkerk_2018):
    # IVB Ridderkerk 2020–2023 quotes 138, 118, 88; police revised 2018 after that plan.
    burglary = ridderkerk_2018.category("1.1.1")
    assert burglary.counts["2016"] == 138
    assert burglary.counts["2017"] == 118
    assert burglary.counts["2018"] in (88, 89)
    assert "2019" not in burglary.counts  # nothing after the reference year


def test_den_bosch_car_break_ins_per_1000_equal_its_plan(den_bosch_2017):
    # IVP 's-Hertogenbosch 2019–2022: "auto-inbraken per 1.000 inwoners 8,2" (2017).
    car = den_bosch_2017.category("1.2.1")
    assert car.counts["2017"] == 1259
    assert round(car.rates["2017"], 1) == 8.2
    # the 2015 boundary change: no rate for earlier years, and the picture says why
    assert car.rates["2014"] is None
    assert any("grens gewijzigd in 2015" in note for note in car.rate_notes)


def test_theme_is_the_sum_of_its_main_categories_without_double_counting(ridderkerk_2018):
    theme = ridderkerk_2018.theme("1.3")
    parts = [ridderkerk_2018.category(c) for c in theme.total.categories]
    assert theme.total.categories  # the bundled HIC and property categories
    assert theme.total.counts["2018"] == sum(p.counts["2018"] for p in parts)
    field = next(f for f in ridderkerk_2018.fields if f.code == "1")
    summed = [c for t in field.themes for c in t.total.categories]
    assert len(summed) == len(set(summed)), "a category counted twice in field 1"
    assert field.total.counts["2018"] == sum(t.total.counts.get("2018") or 0 for t in field.themes)


def test_themes_without_data_say_so_and_name_their_source(ridderkerk_2018):
    info = ridderkerk_2018.theme("5.4")
    assert not info.total.has_data
    assert "ENSIA" in info.total.note
    assert "Geen politiecijfers" in info.total.note


def test_missing_categories_are_named_not_estimated(ridderkerk_2018):
    assert "1.2.4" in ridderkerk_2018.missing_categories
    assert ridderkerk_2018.category("1.2.4") is None
    note = next(n for n in ridderkerk_2018.notes if "ivp data fetch" in n)
    # the bundle has 12 of the 58 categories and the total (0.0.0, from 47013NED/83648NED)
    assert note.startswith("Van Ridderkerk ontbreken 46 van de 58 categorieën van 47018NED;")
    assert vb.missing_phrase(["0.0.0"]) == "ontbreekt het totaal (0.0.0) van 47018NED"
    assert vb.missing_phrase(["1.1.1"]) == "ontbreekt 1 van de 58 categorieën van 47018NED"


def test_the_total_shows_its_source_per_year(ridderkerk_2018):
    total = ridderkerk_2018.category("0.0.0")
    assert "0.0.0" not in ridderkerk_2018.missing_categories
    assert total.counts["2012"] and total.counts["2018"]  # 83648NED (CBS), from 2012
    assert total.source_per_year["2018"] == "83648NED|0.0.0"
    assert total.sources[0] == "83648NED|0.0.0"
    assert vb.series_json(total)["source_per_year"]["2012"] == "83648NED|0.0.0"


def test_the_total_has_rates_before_a_boundary_change_where_counted_so(bundle):
    # 83648NED counts every year in that year's own division: 's-Hertogenbosch before
    # Maasdonk joined (2015) has a rate; the categories of 47018NED (division 2024) not.
    bosch = vb.build("GM0796", 2024, with_wijken=False, with_indicators=False)
    total = bosch.category("0.0.0")
    assert total.rates["2013"] == pytest.approx(12310 / 143275 * 1000, rel=1e-3)
    assert total.source_per_year["2024"] == "47013NED|0.0.0"
    assert any("breuk" in note for note in total.rate_notes)
    assert bosch.category("1.2.1").rates["2013"] is None


def test_comparable_gemeenten_are_alike_in_size_and_density_of_that_year(ridderkerk_2018):
    burglary = ridderkerk_2018.category("1.1.1")
    group = burglary.evidence.benchmark.group(vb.SIZE_CLASS)
    assert group.n == 30  # the 30 nearest in inhabitants and density (2018)
    assert group.of == group.n + 1
    assert 1 <= group.rank <= group.of
    assert group.ratio_to_median == pytest.approx(burglary.rates["2018"] / group.median)
    assert group.has_funnel and group.limit_low < 1 < group.limit_high
    name, description, members = ridderkerk_2018.groups[0]
    assert (name, members) == (vb.SIZE_CLASS, 30)
    assert "in 2018 het meest op Ridderkerk lijken" in description
    kind = dict((n, k) for n, k, _c in ridderkerk_2018.group_members)[vb.SIZE_CLASS]
    assert kind == "standaard"
    assert vb.NETHERLANDS in burglary.evidence.benchmark.references


def test_the_netherlands_rate_is_on_the_average_population():
    # 47025NED counts over the mean of 31 December of the year before and of the year
    # (37230NED), the basis of the gemeenten' average population (70072NED).
    from ivp.analysis.store import Store

    store = Store.__new__(Store)
    store.national = {"1.1.1": {2018: 100.0}}
    store.national_population = {2018: 17_000_000.0}
    store.years = np.array([2018])
    store._national = {}
    assert store.national_rates(["1.1.1"])[2018] == pytest.approx(100 / 17_000_000 * 1000)
    assert vb._national_population({2017: 17_181_084.0, 2018: 17_282_163.0})[2018] == (
        pytest.approx((17_181_084 + 17_282_163) / 2)
    )


def test_no_national_figure_for_2025_says_so(bundle):
    picture = vb.build("GM0597", 2025)
    burglary = picture.category("1.1.1")
    assert burglary.evidence.benchmark.references[vb.NETHERLANDS] is None
    assert any(
        n.startswith("geen landelijk cijfer voor 2025 (47025NED loopt tot 2023)")
        for n in burglary.rate_notes
    )


def test_small_counts_are_not_called_significant(ridderkerk_2018):
    # 3.1.3 Wapenhandel: 5 → 12 is +138 %, but with such counts that is no proven change.
    weapons = ridderkerk_2018.category("3.1.3")
    assert weapons.counts["2017"] == 5 and weapons.counts["2018"] == 12
    assert weapons.evidence.change.vs_previous.small_count
    assert not weapons.evidence.change.vs_previous.test.significant
    assert weapons.evidence.change.vs_previous.verdict == "binnen de gewone schommeling"


def test_a_large_citys_usual_variation_is_wide(bundle):
    # 's-Hertogenbosch car break-ins: 1,852, 1,682, 1,259, 897 (2015–2018). Such series of
    # large cities vary by tens of percents a year (dispersion ≈ 30): −29 % against 2017 is
    # within that, −45 % against the mean of 2015–2017 is not.
    car = vb.build("GM0796", 2018).category("1.2.1")
    ev = car.evidence
    assert ev.dispersion > 10
    assert ev.change.vs_previous.verdict == "binnen de gewone schommeling"
    assert ev.change.vs_mean.percent == pytest.approx(-44.5, abs=0.1)
    assert ev.change.vs_mean.verdict == "aantoonbare afname"
    # as Poisson counts both would have been "significant"
    from ivp.analysis.significance import compare_counts

    assert compare_counts(1259, 897, 152922, 153820).significant


def test_enforcement_driven_categories_are_shown_but_not_proposed(ridderkerk_2018):
    for code in ("3.1.1", "3.1.3"):
        candidate = ridderkerk_2018.category(code).candidate
        assert candidate.enforcement and not candidate.proposed
        assert candidate.caveats[0].startswith("haalcriminaliteit")


def test_a_theme_of_one_category_carries_its_candidate(ridderkerk_2018):
    theme = ridderkerk_2018.theme("1.2")
    assert theme.total.categories == ("2.2.1",)
    category = ridderkerk_2018.category("2.2.1").candidate
    assert category.shown_under == "thema:1.2" and not category.proposed
    assert category.caveats[0].startswith("dezelfde cijfers als thema 1.2")
    field = next(f for f in ridderkerk_2018.fields if f.code == "1").total.candidate
    assert not field.proposed


def test_batch_gives_the_same_figures_as_one_gemeente(bundle, ridderkerk_2018):
    batch = dict(vb.build_all(2018, codes=["GM0597", "GM0796"]))
    one = vb.to_json(ridderkerk_2018)
    many = vb.to_json(batch["GM0597"])
    assert one["categories"] == many["categories"]
    assert one["themes"] == [{**t} for t in many["themes"]]
    assert one["fields"] == many["fields"]
    # the batch's JSON written straight from the arrays is the same, key for key
    written = dict(vb.build_all(2018, codes=["GM0597", "GM0796"], as_json=True))
    for code in ("GM0597", "GM0796"):
        assert written[code] == vb.to_json(batch[code])
    texts = dict(vb.encoded_batch(2018, codes=["GM0597", "GM0796"], workers=1))
    assert json.loads(texts["GM0597"]) == written["GM0597"]


def test_forked_workers_give_the_same_json_in_the_same_order(bundle):
    codes = sorted(area_services.current_gemeenten())[:60]  # 50 or more: the batch forks
    alone = list(vb.encoded_batch(2018, codes=codes, workers=1))
    forked = list(vb.encoded_batch(2018, codes=codes, workers=2))
    assert [code for code, _ in forked] == codes
    assert forked == alone


def test_a_batch_in_small_blocks_gives_the_same_json(bundle, monkeypatch):
    codes = ["GM0597", "GM0796"]
    whole = dict(vb.encoded_batch(2018, codes=codes, workers=1))
    monkeypatch.setattr(vb, "BLOCK_TARGETS", 3)  # one or two series kinds per engine call
    assert len(vb._blocks({("a",): [1, 2], ("b",): [1, 2], ("c",): [1, 2, 3, 4]})) == 3
    assert dict(vb.encoded_batch(2018, codes=codes, workers=1)) == whole


def test_the_plan_can_choose_its_comparison_group(bundle):
    size = vb.build("GM0597", 2018, vergelijking=vb.Vergelijking("grootteklasse"))
    name, description, members = size.groups[0]
    assert description == "Gemeenten met 20.000 tot 50.000 inwoners in 2018"
    assert members > 100
    own = vb.build(
        "GM0597",
        2018,
        vergelijking=vb.Vergelijking(
            "eigen", ("GM0599", "GM0489", "GM0642", "GM0613", "GM0606", "GM0542")
        ),
    )
    assert own.groups[0][2] == 6
    tiny = vb.build("GM0597", 2018, vergelijking=vb.Vergelijking("eigen", ("GM0599",)))
    assert tiny.groups[0][2] == 30  # too small: the standard group, with the reason
    assert any("eigen selectie telt 1 andere gemeenten" in n for n in tiny.notes)


def test_gemeente_by_code_name_or_common_name(bundle):
    assert vb.resolve_gemeente("GM0597") == ("GM0597", "Ridderkerk")
    assert vb.resolve_gemeente("ridderkerk")[0] == "GM0597"
    assert vb.resolve_gemeente("'s-Hertogenbosch")[0] == "GM0796"
    assert vb.resolve_gemeente("Den Bosch")[0] == "GM0796"
    with pytest.raises(vb.UnknownArea) as error:
        vb.resolve_gemeente("Ridderkrk")
    assert "Ridderkerk" in error.value.suggestions


def test_cli_json_contract(bundle, capsys):
    assert main(["analyse", "--municipality", "GM0597", "--year", "2018", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["municipality"]["code"] == "GM0597"
    assert data["municipality"]["name"] == "Ridderkerk"
    assert data["municipality"]["population"]["2018"] == 46015
    assert data["year"] == "2018"
    burglary = next(c for c in data["categories"] if c["code"] == "1.1.1")
    assert burglary["title"] == "Diefstal/inbraak woning"
    assert burglary["counts"]["2016"] == 138 and isinstance(burglary["counts"]["2016"], int)
    assert isinstance(burglary["rate_per_1000"]["2018"], float)
    assert burglary["rate_per_1000"]["2018"] == pytest.approx(89 / 46015 * 1000, abs=0.001)
    assert burglary["change_pct_prev_year"] == pytest.approx(
        (89 / 46015) / (118 / 45598) * 100 - 100, abs=0.01
    )
    assert {"annual_percent", "p_value", "verdict", "significant"} <= set(burglary["trend"])
    assert burglary["comparison"]["groups"][0]["name"] == vb.SIZE_CLASS
    assert {"phi", "df", "own", "pooled"} <= set(burglary["dispersion"])
    funnel = burglary["comparison"]["groups"][0]["funnel"]
    assert funnel["verdict"] in (
        "binnen de gewone spreiding",
        "boven de gewone spreiding",
        "onder de gewone spreiding",
    )
    candidate = burglary["candidate"]
    assert {
        "score",
        "proposed",
        "summary",
        "reasons",
        "caveats",
        "adjusted_p",
        "evidence_rank",
        "signals",
    } <= set(candidate)
    assert data["comparison_groups"][0]["kind"] == "standaard"
    assert len(data["comparison_groups"][0]["codes"]) == 30
    theme = next(t for t in data["themes"] if t["code"] == "1.3")
    assert "1.1.1" in theme["categories"]
    assert [f["code"] for f in data["fields"]] == ["1", "2", "3", "4", "5"]
    assert all(s["attribution"] for s in data["sources"])
    assert any(s["table"] == "47018NED" for s in data["sources"])


def test_cli_batch_json_is_one_document_of_every_gemeente(bundle, capsys, ridderkerk_2018):
    # read before the batch: it closes this process's connection before its workers fork
    gemeenten = len(area_services.current_gemeenten())
    ridderkerk = vb.to_json(ridderkerk_2018)
    assert main(["analyse", "--all", "--year", "2018", "--json"]) == 0
    text = capsys.readouterr().out
    assert "Súdwest-Fryslân" in text  # UTF-8 as it is, not \u escapes
    data = json.loads(text)
    codes = [r["municipality"]["code"] for r in data["results"]]
    failed = [f["municipality"] for f in data["failed"]]
    assert codes == sorted(codes) and not set(codes) & set(failed)
    assert len(codes) + len(failed) == gemeenten
    assert data["results"][codes.index("GM0597")] == ridderkerk


def test_cli_table_and_errors(bundle, capsys):
    assert main(["analyse", "-m", "Ridderkerk", "--year", "2018"]) == 0
    out = capsys.readouterr().out
    assert "1.1.1 Diefstal/inbraak woning" in out
    assert "aantoonbare afname" in out or "binnen de gewone schommeling" in out
    assert "Bron: CBS / Politie" in out
    assert main(["analyse", "-m", "Nergenshuizen"]) == 2
    assert "Onbekende gemeente" in capsys.readouterr().err
    assert main(["analyse", "-m", "GM0597", "--year", "1990"]) == 1
    assert "Geen cijfers" in capsys.readouterr().err


def test_api_gives_the_same_json_to_signed_in_users(bundle, client, coordinator):
    assert client.get("/api/v1/veiligheidsbeeld/GM0597/?jaar=2018").status_code in (401, 403)
    client.force_login(coordinator)
    response = client.get("/api/v1/veiligheidsbeeld/GM0597/?jaar=2018")
    assert response.status_code == 200
    burglary = next(c for c in response.json()["categories"] if c["code"] == "1.1.1")
    assert burglary["counts"]["2017"] == 118
    assert client.get("/api/v1/veiligheidsbeeld/GM0597/?jaar=1990").status_code == 404
    assert client.get("/api/v1/veiligheidsbeeld/GM0597/?jaar=abc").status_code == 400


def test_column_quantiles_match_numpy_and_ignore_withheld():
    import numpy as np

    rng = np.random.default_rng(7)
    values = rng.random((37, 6))
    values[rng.random((37, 6)) < 0.2] = np.nan
    values[:, 5] = np.nan  # a year nobody published
    low, med, high = vb._column_quantiles(values, (0.25, 0.5, 0.75))
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        expected = np.nanpercentile(values, [25, 50, 75], axis=0)
    np.testing.assert_allclose(low[:5], expected[0][:5])
    np.testing.assert_allclose(med[:5], expected[1][:5])
    np.testing.assert_allclose(high[:5], expected[2][:5])
    assert np.isnan(med[5])
