"""The six steps of the method and the statuses a step moves through.

Plain Python: the step list, the allowed status transitions, and the rule that decides
whether a transition is allowed. Models and services use it; nothing here touches the
database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Stap:
    nummer: int
    code: str
    titel: str
    doorlooptijd_weken: tuple[int, int]
    """Lead time the handbook suggests, in weeks (from, to)."""


# Lead times as the handbook gives them (Kernbeleid Veiligheid 2021, chapter 1): about half a
# year for steps 1-5 together; step 6 runs for the whole period of the plan.
STAPPEN: tuple[Stap, ...] = (
    Stap(1, "opstart", _("Opstart"), (4, 6)),
    Stap(2, "veiligheidsanalyse", _("Veiligheidsanalyse"), (8, 10)),
    Stap(3, "prioritering", _("Prioritering"), (4, 4)),
    Stap(4, "ivp", _("Integraal veiligheidsplan"), (8, 8)),
    Stap(5, "uitvoeringsplan", _("Uitvoeringsplan"), (6, 6)),
    Stap(6, "uitvoering", _("Van beleid naar uitvoering"), (0, 0)),
)
STAP_BY_NUMMER = {stap.nummer: stap for stap in STAPPEN}


class StapStatus(StrEnum):
    NIET_GESTART = "niet_gestart"
    BEZIG = "bezig"
    AFGEROND = "afgerond"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    StapStatus.NIET_GESTART: _("Niet gestart"),
    StapStatus.BEZIG: _("Bezig"),
    StapStatus.AFGEROND: _("Afgerond"),
}

# Reopening a finished step is allowed: plans are revised, and history keeps the old state.
TRANSITIONS: dict[StapStatus, frozenset[StapStatus]] = {
    StapStatus.NIET_GESTART: frozenset({StapStatus.BEZIG}),
    StapStatus.BEZIG: frozenset({StapStatus.AFGEROND, StapStatus.NIET_GESTART}),
    StapStatus.AFGEROND: frozenset({StapStatus.BEZIG}),
}


class TransitionNotAllowed(ValueError):
    """A step cannot move from its current status to the requested one."""


def check_transition(current: StapStatus | str, target: StapStatus | str) -> None:
    """Raise :class:`TransitionNotAllowed` unless ``current → target`` is allowed."""
    current, target = StapStatus(current), StapStatus(target)
    if target == current:
        return
    if target not in TRANSITIONS[current]:
        raise TransitionNotAllowed(
            _("Een stap met status ‘%(current)s’ kan niet naar ‘%(target)s’.")
            % {"current": current.label, "target": target.label}
        )


def allowed_targets(current: StapStatus | str) -> list[StapStatus]:
    """The statuses a step may move to from ``current``, in display order."""
    current = StapStatus(current)
    return [status for status in StapStatus if status in TRANSITIONS[current]]


def propose_planning(start: date) -> dict[int, tuple[date, date | None]]:
    """Planned (start, end) per step when work starts on ``start``, using the upper lead
    time of each step; step 6 starts when step 5 ends and has no end of its own."""
    planning: dict[int, tuple[date, date | None]] = {}
    current = start
    for stap in STAPPEN:
        weeks = stap.doorlooptijd_weken[1]
        if weeks == 0:
            planning[stap.nummer] = (current, None)
            continue
        end = current + timedelta(weeks=weeks) - timedelta(days=1)
        planning[stap.nummer] = (current, end)
        current = end + timedelta(days=1)
    return planning
