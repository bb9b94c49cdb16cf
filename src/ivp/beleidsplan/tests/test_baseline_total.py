"""The overarching indicator of chapter 2 ("totaal misdrijven per 1.000 inwoners") gets its
baseline from the bundled total without a network: the series 47018NED|0.0.0 resolves to
the total the store holds (47013NED for 2022–2024)."""

import pytest

from ivp.beleidsplan import services
from ivp.beleidsplan.models import Effectindicator
from ivp.veiligheidsanalyse import services as analyse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundle")]


@pytest.fixture(autouse=True)
def _fresh_figures():
    analyse._CACHE.clear()
    yield
    analyse._CACHE.clear()


def test_the_total_crime_indicator_has_a_baseline_offline(plan, coordinator):
    services.add_default_strategic_indicators(plan, by=coordinator)
    total = Effectindicator.objects.get(plan=plan, reeks="47018NED|0.0.0")
    # the reference year is the latest year of the categories (2025); the total's latest
    # year up to it is 2024: 8,954 on 161,144 inhabitants
    assert total.uitgangsjaar == 2024
    assert total.uitgangswaarde == pytest.approx(55.57)
    # the source of that year, not the national reference table
    expected = "CBS/Politie, Geregistreerde misdrijven en aangiften (47013NED)"
    assert total.bron_toelichting == expected
    assert "47025NED" not in total.bron_toelichting


def test_a_year_asked_for_is_kept_even_without_a_value(plan, coordinator):
    found = services.baseline_from_data(
        plan, "47018NED|0.0.0", Effectindicator.Eenheid.AANTAL, year=2021
    )
    assert found.value is None and found.year == 2021  # in neither source: no estimate
    counted = services.baseline_from_data(
        plan, "47018NED|0.0.0", Effectindicator.Eenheid.AANTAL, year=2017
    )
    assert (counted.value, counted.year) == (9935, 2017)
    assert "83648NED" in counted.source and "47013NED" not in counted.source


def test_the_target_proposal_stays_within_the_source_of_the_baseline(plan, coordinator):
    services.add_default_strategic_indicators(plan, by=coordinator)
    total = Effectindicator.objects.get(plan=plan, reeks="47018NED|0.0.0")
    proposal = services.target_proposal(plan, total)
    assert proposal is not None and proposal.value is not None
    # 2022–2024 of 47013NED only; 2020 (83648NED) lies across the break
    reasons = " ".join(proposal.reasons)
    assert "2022–2024" in reasons and "2020" not in reasons
