"""What a step of a plan still lacks: the list the coordinator sees before finishing a step.

Each part of ivp registers the check of its own step (``register``, from its AppConfig's
``ready``), so ``plans`` stays below the packages that hold the content. Step 1 (the
startnotitie, planning and working group) is checked here. A check returns short Dutch
phrases ("de aanleiding", "de planning van stap 3"); an empty list means nothing is missing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from ivp.plans.models import Plan

StepCheck = Callable[[Plan], list[str]]
_CHECKS: dict[int, list[StepCheck]] = {}


def register(nummer: int, check: StepCheck) -> None:
    """Add ``check`` to the checks of step ``nummer`` (once per function)."""
    checks = _CHECKS.setdefault(nummer, [])
    if check not in checks:
        checks.append(check)


def gaps(plan: Plan, nummer: int) -> list[str]:
    """What step ``nummer`` of ``plan`` still lacks, in the order the checks give it."""
    found: list[str] = []
    for check in _CHECKS.get(nummer, []):
        found += check(plan)
    return found


def startnotitie_gaps(plan: Plan) -> list[str]:
    """Step 1: the reason, the startnotitie's own texts, the planning, the working group."""
    from ivp.plans.startnotitie import TEXTS

    missing = []
    if not plan.toelichting.strip():
        missing.append(_("de aanleiding (Gegevens bewerken)"))
    for field, (heading, standard) in TEXTS.items():
        if not standard and not (getattr(plan, field) or "").strip():
            missing.append(_("startnotitie: %(kop)s") % {"kop": heading.lower()})
    unplanned = [s.nummer for s in plan.stappen.all() if not s.gepland_eind]
    if unplanned:
        missing.append(
            _("de planning van stap %(stappen)s")
            % {"stappen": ", ".join(str(n) for n in unplanned)}
        )
    if not plan.werkgroep.exists():
        missing.append(_("de samenstelling van de werkgroep"))
    return missing


register(1, startnotitie_gaps)
