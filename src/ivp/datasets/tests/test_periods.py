"""Periods in CBS notation and as people write them."""

import pytest

from ivp.datasets.periods import Periode, PeriodeSoort, Status, parse_period, status_from_cbs


@pytest.mark.parametrize(
    ("raw", "code", "status"),
    [
        ("2018JJ00", "2018JJ00", Status.ONBEKEND),
        ("2018", "2018JJ00", Status.ONBEKEND),
        ("2024*", "2024JJ00", Status.VOORLOPIG),
        ("2024**", "2024JJ00", Status.NADER_VOORLOPIG),
        ("2018MM03", "2018MM03", Status.ONBEKEND),
        ("2018-03", "2018MM03", Status.ONBEKEND),
        ("2018 maart", "2018MM03", Status.ONBEKEND),
        ("2018-Q1", "2018KW01", Status.ONBEKEND),
        ("2018 2e kwartaal", "2018KW02", Status.ONBEKEND),
        ("  2018  ", "2018JJ00", Status.ONBEKEND),
    ],
)
def test_parse_period(raw, code, status):
    assert parse_period(raw) == (code, status)


@pytest.mark.parametrize("raw", ["", "2018MM13", "2018-13", "2018-Q5", "vorig jaar", "2018JJ01"])
def test_parse_period_refuses_with_a_message(raw):
    with pytest.raises(ValueError) as error:
        parse_period(raw)
    assert str(error.value)


def test_periode_properties():
    assert Periode("2018MM01").soort is PeriodeSoort.MAAND
    assert Periode("2018MM01").label == "2018 januari"
    assert Periode("2018KW03").label == "2018 3e kwartaal"
    assert Periode("2018JJ00").jaar == 2018


def test_status_from_cbs_metadata():
    assert status_from_cbs("Definitief") is Status.DEFINITIEF
    assert status_from_cbs("Voorlopig") is Status.VOORLOPIG
    assert status_from_cbs("Nader voorlopig") is Status.NADER_VOORLOPIG
    assert status_from_cbs(None) is Status.ONBEKEND
