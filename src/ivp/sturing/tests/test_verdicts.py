import pytest

from ivp.analysis.significance import compare_counts
from ivp.sturing import verdicts
from ivp.sturing.periods import BadPeriod, parse


def _judge(**kw):
    base = {"target": 80.0, "target_year": 2030, "direction": "<="}
    return verdicts.judge(**{**base, **kw}).code


def test_no_realisation_is_no_measurement():
    assert _judge(value=None, year=None) == "geen_meting"


def test_a_reached_target_is_on_course():
    assert _judge(value=79.0, year=2026) == "op_koers"


def test_a_demonstrable_fall_is_on_course_and_a_rise_is_behind():
    # 1000 → 850 offences on the same population: far outside Poisson variation
    kw = {"base": 1.0, "baseline_count": 1000, "baseline_base": 1.0}
    assert _judge(value=85.0, year=2026, count=850, **kw) == "op_koers"
    assert _judge(value=115.0, year=2026, count=1150, **kw) == "achter_op_doel"


def test_a_small_change_is_within_the_usual_variation_and_overdispersion_widens_it():
    kw = {"base": 1.0, "baseline_count": 1000, "baseline_base": 1.0}
    assert _judge(value=95.0, year=2026, count=950, **kw) == "binnen_schommeling"
    # 1000 → 900 is demonstrable for a Poisson count, not for a restless series (φ = 6)
    assert compare_counts(1000, 900).significant
    assert _judge(value=90.0, year=2026, count=900, **kw) == "op_koers"
    assert _judge(value=90.0, year=2026, count=900, dispersion=6.0, **kw) == "binnen_schommeling"


def test_in_the_target_year_an_unreached_target_is_behind():
    kw = {"base": 1.0, "baseline_count": 1000, "baseline_base": 1.0}
    assert _judge(value=95.0, year=2030, count=950, **kw) == "achter_op_doel"
    assert _judge(value=95.0, year=2030) == "achter_op_doel"


def test_a_figure_without_counts_is_not_tested():
    assert _judge(value=90.0, year=2026) == "niet_te_toetsen"


@pytest.mark.parametrize(
    ("text", "code", "label", "last_year"),
    [
        ("2027-Q2", "2027-Q2", "tweede kwartaal 2027", 2026),
        ("2027-q4", "2027-Q4", "vierde kwartaal 2027", 2027),
        ("2027-05", "2027-05", "mei 2027", 2026),
        ("2027", "2027", "2027", 2027),
    ],
)
def test_periods(text, code, label, last_year):
    p = parse(text)
    assert (p.code, p.label, p.last_complete_year) == (code, label, last_year)


@pytest.mark.parametrize("text", ["", "27-Q2", "2027-Q5", "2027-13", "kwartaal"])
def test_bad_periods(text):
    with pytest.raises(BadPeriod):
        parse(text)
