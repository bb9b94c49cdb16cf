"""Targets and the band of the difference between baseline and realisation (plain Python,
real figures from figures.py)."""

import pytest

from ivp.analysis.significance import compare_counts
from ivp.analysis.targets import AT_LEAST, AT_MOST, check_target, noise_band, propose_target
from ivp.analysis.tests.figures import (
    DENBOSCH_121,
    DENBOSCH_POP,
    RIDDERKERK_111,
    RIDDERKERK_POP,
)


@pytest.mark.parametrize("count", [10, 65, 100, 1259])
def test_the_band_is_where_the_test_of_realisation_against_baseline_says_no_change(count):
    band = noise_band(count)
    low, high = int(band.low_count), int(band.high_count)
    assert not compare_counts(count, low).significant
    assert compare_counts(count, low - 1).significant
    assert not compare_counts(count, high).significant
    assert compare_counts(count, high + 1).significant


def test_the_band_of_a_difference_is_wider_than_the_spread_of_one_count():
    # 100 offences: one Poisson count spans 81–120 (95 %); a realisation must reach 75 to
    # differ from the baseline, because the baseline itself varied too.
    band = noise_band(100)
    assert band.low_count == 75
    restless = noise_band(100, dispersion=3.0, dispersion_df=30.0)
    assert restless.low_count < band.low_count and restless.high_count > band.high_count
    rate = noise_band(1259, 152922)
    assert rate.value == pytest.approx(8.233, abs=0.001)
    assert rate.low < rate.value < rate.high


def test_a_target_inside_the_band_cannot_show_an_effect():
    check = check_target(8, noise_band(10), AT_MOST)
    assert not check.outside_noise
    assert "binnen de gewone schommeling" in check.text
    assert "kies een streefwaarde onder 3,00" in check.text
    assert check_target(2, noise_band(10), AT_MOST).outside_noise
    assert check_target(22, noise_band(10), AT_LEAST).outside_noise
    assert not check_target(21, noise_band(10), AT_LEAST).outside_noise


def test_den_bosch_car_break_ins_target_follows_the_trend_and_is_demonstrable():
    proposal = propose_target(
        DENBOSCH_121, 2017, 2022, base=DENBOSCH_POP, dispersion=2.0, dispersion_df=40.0
    )
    assert proposal.baseline == pytest.approx(8.233, abs=0.001)
    assert "aantoonbaar" in proposal.reasons[0]
    assert proposal.value < proposal.band.low
    assert proposal.check.outside_noise
    assert "komt het cijfer op de streefwaarde uit, dan is dat een aantoonbare" in (
        proposal.check.text
    )
    # realised at the proposal, the test calls it a fall
    realised = proposal.band.to_count(proposal.value)
    assert compare_counts(
        1259, int(realised), 152922, 152922, dispersion=2.0, dispersion_df=40.0
    ).significant


def test_ridderkerk_cap_at_the_group_quartile_says_it_cannot_show_an_effect():
    proposal = propose_target(
        RIDDERKERK_111, 2025, 2030, base=RIDDERKERK_POP, group_p25=0.6, dispersion=1.5
    )
    assert proposal.value == 0.6
    assert any("eerste kwartiel" in r for r in proposal.reasons)
    assert not proposal.check.outside_noise
    assert "samengestelde indicator" in proposal.check.text


def test_no_baseline_no_proposal():
    proposal = propose_target({"2020": 5, "2021": None}, 2021, 2025)
    assert proposal.value is None
    assert proposal.reasons == ("geen uitgangswaarde voor 2021",)
