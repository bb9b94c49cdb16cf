"""Confidential items and measures of the implementation plans: those under a confidential
priority or cluster (``beleidsplan.confidential``); who sees them: ``plans.confidential``."""

from __future__ import annotations

from ivp.beleidsplan.confidential import Parts, confidential_parts, hidden_for
from ivp.uitvoering.models import Maatregel, Onderdeel, Uitvoeringsplan


def hidden_items(parts: Parts, plan) -> frozenset[int]:
    """Primary keys of the items (onderdelen) ``parts`` hides, over all years."""
    if not (parts.prioriteiten or parts.overige):
        return frozenset()
    return frozenset(
        pk
        for pk, prio, overig in Onderdeel.objects.filter(uitvoeringsplan__plan=plan).values_list(
            "pk", "prioriteit_id", "overig_thema_id"
        )
        if parts.hides_owner(prio, overig)
    )


def hidden_items_for(user, plan) -> frozenset[int]:
    return hidden_items(hidden_for(user, plan), plan)


def _plan(obj):
    if isinstance(obj, Uitvoeringsplan):
        return obj.plan
    if isinstance(obj, Onderdeel):
        return obj.uitvoeringsplan.plan
    return obj.onderdeel.uitvoeringsplan.plan


def is_confidential(obj) -> bool:
    if isinstance(obj, Uitvoeringsplan):
        return False
    item = obj if isinstance(obj, Onderdeel) else obj.onderdeel
    return confidential_parts(_plan(obj)).hides_owner(item.prioriteit_id, item.overig_thema_id)


def history_keys(plan) -> set[str]:
    items = hidden_items(confidential_parts(plan), plan)
    keys = {f"onderdeel:{pk}" for pk in items}
    keys |= {
        f"maatregel:{pk}"
        for pk in Maatregel.objects.filter(onderdeel__in=items).values_list("pk", flat=True)
    }
    return keys
