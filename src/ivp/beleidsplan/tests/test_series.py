"""The figures behind an effect indicator (``beleidsplan.series.values_for_indicator``) for
every kind of link: a police category, the total, a combined series and an own series."""

import pytest

from ivp.analysis import veiligheidsbeeld as vb
from ivp.beleidsplan import services
from ivp.beleidsplan.models import Effectindicator
from ivp.beleidsplan.series import values_for_indicator, values_for_link
from ivp.datasets import own_series
from ivp.datasets import services as data_services
from ivp.veiligheidsanalyse import services as analyse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundle")]

COUNT = Effectindicator.Eenheid.AANTAL


@pytest.fixture(autouse=True)
def _fresh_figures():
    analyse._CACHE.clear()
    yield
    analyse._CACHE.clear()


def _add(plan, coordinator, reeks, eenheid=COUNT, naam="Indicator"):
    return services.add_indicator(
        plan, by=coordinator, naam=naam, bron="politie", eenheid=eenheid, reeks=reeks
    )


def test_a_category_and_the_total_per_year_with_source_and_status(plan, coordinator):
    burglary = values_for_indicator(_add(plan, coordinator, "47018NED|1.1.1"))
    assert burglary.kind == "politie" and burglary.has_data
    assert set(burglary.status.values()) <= {"definitief", "voorlopig"}
    assert "47018NED" in burglary.source
    total = values_for_indicator(_add(plan, coordinator, "47018NED|0.0.0"))
    assert total.values[2024] == 8954 and total.values[2017] == 9935
    assert total.source_per_year[2024] == "47013NED"
    assert total.source_per_year[2017] == "83648NED"


def test_a_combined_series_is_the_sum_where_every_part_is_present(plan, coordinator):
    parts = [values_for_link(plan, f"47018NED|{c}", COUNT) for c in ("1.2.1", "1.2.2")]
    indicator = _add(
        plan, coordinator, "som:1.2.1+1.2.2", naam="Diefstal van/uit/vanaf motorvoertuigen"
    )
    combined = values_for_indicator(indicator)
    assert combined.kind == "som" and combined.parts == ("1.2.1", "1.2.2")
    assert "1.2.1" in combined.label and "1.2.2" in combined.label
    for year, value in combined.values.items():
        a, b = parts[0].values.get(year), parts[1].values.get(year)
        assert value == (None if a is None or b is None else a + b)
    last = max(y for y, v in combined.values.items() if v is not None)
    # the baseline comes from the sum, with the police source
    assert indicator.uitgangswaarde == combined.values[indicator.uitgangsjaar]
    assert indicator.uitgangsjaar == last and "47018NED" in indicator.bron_toelichting
    # the same statistics as any series: dispersion-aware change and trend
    picture = analyse.veiligheidsbeeld(plan)
    series = analyse.series_by_key(picture, "som:1.2.1+1.2.2")
    assert series.evidence is not None and series.evidence.trend.verdict
    assert not series.proposed  # a combined series is no priority proposal
    assert services.target_proposal(plan, indicator) is not None


def test_a_combined_series_with_a_part_without_figures_has_no_values(plan):
    found = values_for_link(plan, "som:1.2.1+3.3.5", COUNT)
    assert not found.has_data and "3.3.5" in found.reason
    assert vb.parse_combined("som:1.2.1") is None  # one part is no sum


def test_an_own_series_gives_baseline_and_realisations_with_its_own_source(plan, coordinator):
    gemeente = plan.gemeenten.first()
    text = (
        "regio;periode;indicator;waarde;eenheid;bron;marge\n"
        f"{gemeente.code};2017;Rapportcijfer veiligheid in de buurt;7,1;rapportcijfer;"
        "Veiligheidsmonitor 2017;0,1\n"
        f"{gemeente.code};2019;Rapportcijfer veiligheid in de buurt;7,3;rapportcijfer;"
        "Veiligheidsmonitor 2019;0,1\n"
    )
    data_services.import_file(text.encode(), "vm.csv", user=coordinator, owner=gemeente)
    [own] = [s for s in own_series.other_series(gemeente.code) if s.own]
    indicator = services.add_indicator(
        plan,
        by=coordinator,
        naam="Rapportcijfer veiligheid in de buurt",
        bron="veiligheidsmonitor",
        eenheid=Effectindicator.Eenheid.RAPPORTCIJFER,
        reeks=own.link,
    )
    assert (indicator.uitgangswaarde, indicator.uitgangsjaar) == (7.3, 2019)
    assert indicator.bron_toelichting == "Veiligheidsmonitor"
    found = values_for_indicator(indicator)
    assert found.kind == "eigen" and found.values == {2017: 7.1, 2019: 7.3}
    assert found.margins == {2017: 0.1, 2019: 0.1} and found.unit == "rapportcijfer"
    assert values_for_indicator(indicator, year=2018).values == {2017: 7.1}


def test_an_unlinked_indicator_says_so(plan, coordinator):
    found = values_for_indicator(_add(plan, coordinator, ""))
    assert found.kind == "" and not found.has_data and found.reason


def test_an_own_series_brings_its_later_years_as_realisations_in_step_6(plan, coordinator):
    from ivp.sturing import services as sturing
    from ivp.sturing.models import Realisatie

    gemeente = plan.gemeenten.first()
    rows = [(2017, "7,1"), (2019, "7,3"), (2021, "7,4")]
    text = "regio;periode;indicator;waarde;eenheid;bron;marge\n" + "".join(
        f"{gemeente.code};{year};Rapportcijfer veiligheid in de buurt;{value};rapportcijfer;"
        f"Veiligheidsmonitor {year};0,1\n"
        for year, value in rows
    )
    data_services.import_file(text.encode(), "vm.csv", user=coordinator, owner=gemeente)
    [own] = [s for s in own_series.other_series(gemeente.code) if s.own]
    indicator = services.add_indicator(
        plan,
        by=coordinator,
        naam="Rapportcijfer veiligheid in de buurt",
        bron="veiligheidsmonitor",
        eenheid=Effectindicator.Eenheid.RAPPORTCIJFER,
        reeks=own.link,
    )
    services.update_part(
        indicator,
        by=coordinator,
        expected_version=indicator.version,
        uitgangsjaar=2017,
        uitgangswaarde=7.1,
    )
    sturing.sync_realisations(plan, by=coordinator)
    stored = {r.jaar: r for r in Realisatie.objects.filter(indicator=indicator, actueel=True)}
    assert {y: r.waarde for y, r in stored.items()} == {2019: 7.3, 2021: 7.4}
    assert stored[2021].bron == "Veiligheidsmonitor"
    assert stored[2021].toelichting == "Marge (95 %): ± 0,1"
    assert sturing.sync_realisations(plan, by=coordinator) == 0  # nothing new: nothing added
