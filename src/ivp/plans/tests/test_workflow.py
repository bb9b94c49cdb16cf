import pytest

from ivp.plans.workflow import (
    STAPPEN,
    StapStatus,
    TransitionNotAllowed,
    allowed_targets,
    check_transition,
)


def test_the_method_has_six_steps_in_order():
    assert [s.nummer for s in STAPPEN] == [1, 2, 3, 4, 5, 6]
    assert [str(s.titel) for s in STAPPEN] == [
        "Opstart",
        "Veiligheidsanalyse",
        "Prioritering",
        "Integraal veiligheidsplan",
        "Uitvoeringsplan",
        "Van beleid naar uitvoering",
    ]


def test_a_step_cannot_be_finished_before_it_started():
    with pytest.raises(TransitionNotAllowed):
        check_transition(StapStatus.NIET_GESTART, StapStatus.AFGEROND)


def test_a_finished_step_can_be_reopened_but_not_reset():
    check_transition(StapStatus.AFGEROND, StapStatus.BEZIG)
    with pytest.raises(TransitionNotAllowed):
        check_transition(StapStatus.AFGEROND, StapStatus.NIET_GESTART)
    assert allowed_targets(StapStatus.AFGEROND) == [StapStatus.BEZIG]


def test_the_proposed_planning_follows_the_handbooks_lead_times():
    from datetime import date

    from ivp.plans.workflow import propose_planning

    planning = propose_planning(date(2027, 1, 4))
    assert planning[1] == (date(2027, 1, 4), date(2027, 2, 14))  # 6 weeks
    assert planning[2][0] == date(2027, 2, 15)  # step 2 starts the day after
    assert planning[2][1] == date(2027, 4, 25)  # 10 weeks
    # steps 1-5 take 6+10+4+8+6 = 34 weeks: "about half a year", as the handbook says
    assert (planning[5][1] - planning[1][0]).days + 1 == 34 * 7
    assert planning[6] == (date(2027, 8, 30), None)
