"""Targets and the noise band of a baseline (plain Python, real figures from figures.py)."""

import pytest
from scipy.stats import poisson

from ivp.analysis.targets import AT_LEAST, AT_MOST, check_target, noise_band, propose_target
from ivp.analysis.tests.figures import (
    DENBOSCH_121,
    DENBOSCH_POP,
    RIDDERKERK_111,
    RIDDERKERK_POP,
)


def test_noise_band_is_the_exact_poisson_95_percent_range():
    band = noise_band(65)
    assert band.low_count == poisson.ppf(0.025, 65) == 50
    assert band.high_count == poisson.ppf(0.975, 65) == 81
    rate = noise_band(1259, 152922)
    assert rate.value == pytest.approx(8.233, abs=0.001)
    assert rate.low < rate.value < rate.high


def test_a_target_inside_the_noise_cannot_show_an_effect():
    # 10 incidents, target 8: chance alone gives 4..17
    check = check_target(8, noise_band(10), AT_MOST)
    assert not check.outside_noise
    assert "binnen de toevalsmarge" in check.text
    assert check_target(3, noise_band(10), AT_MOST).outside_noise
    assert check_target(18, noise_band(10), AT_LEAST).outside_noise


def test_proposal_for_a_large_count_lies_just_beyond_the_noise():
    proposal = propose_target(DENBOSCH_121, 2017, 2022, base=DENBOSCH_POP)
    assert proposal.baseline == pytest.approx(8.233, abs=0.001)
    assert proposal.value < proposal.band.low
    assert proposal.check.outside_noise


def test_a_significant_fall_is_continued_but_not_below_the_group_p25():
    # Ridderkerk burglary 2021–2025 fell significantly (−22 % a year).
    proposal = propose_target(RIDDERKERK_111, 2025, 2030, base=RIDDERKERK_POP, group_p25=0.6)
    assert any("significant" in r for r in proposal.reasons)
    assert proposal.value == pytest.approx(0.6)  # capped at P25 …
    assert not proposal.check.outside_noise  # … which the small count cannot separate from chance
    assert "samengestelde indicator" in proposal.check.text


def test_no_baseline_no_proposal():
    proposal = propose_target({"2020": 5, "2021": None}, 2021, 2025)
    assert proposal.value is None
    assert "geen uitgangswaarde" in proposal.reasons[0]
