"""Which parts of an IVP are confidential (see ``plans.confidential`` for who sees them).

A priority, cluster or chapter marked *vertrouwelijk* is confidential; so is everything
below it: its indicators, and in ``uitvoering`` its items and measures. A confidential
chapter 4 makes every priority confidential, chapter 5 every cluster and chapter 2 the
plan's own indicators — as the IVP document leaves out the whole chapter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ivp.beleidsplan.models import Effectindicator, Hoofdstuk, OverigThema, Prioriteit
from ivp.plans.confidential import sees_confidential


@dataclass(frozen=True)
class Parts:
    """Primary keys of a plan's confidential rows (chapters by number)."""

    prioriteiten: frozenset[int] = field(default_factory=frozenset)
    overige: frozenset[int] = field(default_factory=frozenset)
    hoofdstukken: frozenset[int] = field(default_factory=frozenset)
    indicatoren: frozenset[int] = field(default_factory=frozenset)

    def hides(self, obj) -> bool:
        if isinstance(obj, Prioriteit):
            return obj.pk in self.prioriteiten
        if isinstance(obj, OverigThema):
            return obj.pk in self.overige
        if isinstance(obj, Hoofdstuk):
            return obj.nummer in self.hoofdstukken
        if isinstance(obj, Effectindicator):
            return obj.pk in self.indicatoren
        return False

    def hides_owner(self, prioriteit_id: int | None, overig_thema_id: int | None) -> bool:
        return (prioriteit_id is not None and prioriteit_id in self.prioriteiten) or (
            overig_thema_id is not None and overig_thema_id in self.overige
        )


NOTHING = Parts()


def confidential_parts(plan) -> Parts:
    chapters = frozenset(
        Hoofdstuk.objects.filter(plan=plan, vertrouwelijk=True).values_list("nummer", flat=True)
    )
    prios = Prioriteit.objects.filter(plan=plan)
    overige = OverigThema.objects.filter(plan=plan)
    if Hoofdstuk.Nummer.PRIORITEITEN not in chapters:
        prios = prios.filter(vertrouwelijk=True)
    if Hoofdstuk.Nummer.OVERIGE_THEMAS not in chapters:
        overige = overige.filter(vertrouwelijk=True)
    prio_ids = frozenset(prios.values_list("pk", flat=True))
    overig_ids = frozenset(overige.values_list("pk", flat=True))
    indicators = set()
    for pk, prio, overig in Effectindicator.objects.filter(plan=plan).values_list(
        "pk", "prioriteit_id", "overig_thema_id"
    ):
        own = prio is None and overig is None
        if (
            prio in prio_ids
            or overig in overig_ids
            or (own and Hoofdstuk.Nummer.STRATEGISCHE_DOELSTELLING in chapters)
        ):
            indicators.add(pk)
    return Parts(prio_ids, overig_ids, chapters, frozenset(indicators))


def hidden_for(user, plan) -> Parts:
    """What ``user`` may not see of ``plan`` (nothing for coordinators and redacteuren)."""
    return NOTHING if sees_confidential(user, plan) else confidential_parts(plan)


def is_confidential(obj) -> bool:
    """Is this priority, cluster, chapter or indicator confidential now?"""
    plan = obj.plan
    if isinstance(obj, Hoofdstuk):
        return bool(obj.vertrouwelijk)
    return confidential_parts(plan).hides(obj) or bool(getattr(obj, "vertrouwelijk", False))


def history_keys(plan) -> set[str]:
    parts = confidential_parts(plan)
    keys = {f"prioriteit:{pk}" for pk in parts.prioriteiten}
    keys |= {f"overigthema:{pk}" for pk in parts.overige}
    keys |= {f"effectindicator:{pk}" for pk in parts.indicatoren}
    keys |= {
        f"hoofdstuk:{pk}"
        for pk in Hoofdstuk.objects.filter(plan=plan, vertrouwelijk=True).values_list(
            "pk", flat=True
        )
    }
    return keys
