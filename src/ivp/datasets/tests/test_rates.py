"""Rates per 1,000 inhabitants, dwellings or another base."""

import pytest

from ivp.datasets.rates import Noemer, per_1000, rate


def test_per_1000():
    assert per_1000(1259, 152922) == pytest.approx(8.2329, abs=1e-4)
    assert per_1000(None, 1000) is None
    assert per_1000(5, 0) is None
    assert per_1000(5, None) is None


def test_default_is_per_1000_inhabitants():
    r = rate(1259, inwoners=152922, soort_misdrijf="1.2.1")
    assert r.noemer is Noemer.INWONERS
    assert r.rounded() == 8.2
    assert r.label == "per 1.000 inwoners"


def test_burglary_per_1000_dwellings_when_known():
    r = rate(441, inwoners=152922, woningen=70000, soort_misdrijf="1.1.1")
    assert r.noemer is Noemer.WONINGEN
    assert r.waarde == pytest.approx(6.3, abs=0.01)


def test_burglary_falls_back_to_inhabitants_and_says_so():
    r = rate(441, inwoners=152922, soort_misdrijf="1.1.1")
    assert r.noemer is Noemer.INWONERS
    assert "woningen onbekend" in r.reden
    assert r.rounded() == 2.9


def test_asked_for_dwellings_without_dwellings_gives_no_value():
    r = rate(441, inwoners=152922, noemer=Noemer.WONINGEN)
    assert r.waarde is None
    assert r.reden == "aantal woningen onbekend"


def test_custom_base():
    r = rate(30, noemer=Noemer.ANDERS, basis=12000, basis_label="jongeren (12-24 jaar)")
    assert r.waarde == pytest.approx(2.5)
    assert r.label == "per 1.000 jongeren (12-24 jaar)"


def test_no_population_no_rate():
    r = rate(30)
    assert r.waarde is None
    assert r.reden == "aantal inwoners onbekend"
