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
