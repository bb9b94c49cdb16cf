"""Which parts of an IVP are confidential (see ``plans.confidential`` for who sees them).

A priority, cluster, chapter (of the method or the plan's own), annex or section marked
*vertrouwelijk* is confidential; so is everything below it: a chapter's sections, a part's
indicators, and in ``uitvoering`` its items and measures. A confidential
chapter 4 makes every priority confidential, chapter 5 every cluster and chapter 2 the
plan's own indicators — as the IVP document leaves out the whole chapter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from ivp.beleidsplan.models import Effectindicator, Hoofdstuk, OverigThema, Paragraaf, Prioriteit
from ivp.plans.confidential import sees_confidential


@dataclass(frozen=True)
class Parts:
    """Primary keys of a plan's confidential rows (the method's chapters also by number)."""

    prioriteiten: frozenset[int] = field(default_factory=frozenset)
    overige: frozenset[int] = field(default_factory=frozenset)
    hoofdstukken: frozenset[int] = field(default_factory=frozenset)
    indicatoren: frozenset[int] = field(default_factory=frozenset)
    hoofdstuk_pks: frozenset[int] = field(default_factory=frozenset)
    paragrafen: frozenset[int] = field(default_factory=frozenset)
    keys: frozenset[str] = field(default_factory=frozenset)
    """Reference keys (``sleutel``) of the hidden chapters, sections, priorities, clusters."""

    def hides(self, obj) -> bool:
        if isinstance(obj, Prioriteit):
            return obj.pk in self.prioriteiten
        if isinstance(obj, OverigThema):
            return obj.pk in self.overige
        if isinstance(obj, Hoofdstuk):
            return obj.pk in self.hoofdstuk_pks or (
                obj.nummer is not None and obj.nummer in self.hoofdstukken
            )
        if isinstance(obj, Paragraaf):
            return obj.pk in self.paragrafen
        if isinstance(obj, Effectindicator):
            return obj.pk in self.indicatoren
        return False

    def hides_key(self, key: str) -> bool:
        """Is the part with this reference key (``sleutel``) hidden?"""
        return key in self.keys

    def hides_owner(self, prioriteit_id: int | None, overig_thema_id: int | None) -> bool:
        return (prioriteit_id is not None and prioriteit_id in self.prioriteiten) or (
            overig_thema_id is not None and overig_thema_id in self.overige
        )


NOTHING = Parts()


def confidential_parts(plan) -> Parts:
    secret_chapters = list(
        Hoofdstuk.objects.filter(plan=plan, vertrouwelijk=True).values_list(
            "pk", "nummer", "sleutel"
        )
    )
    chapters = frozenset(n for _pk, n, _key in secret_chapters if n is not None)
    chapter_pks = frozenset(pk for pk, _n, _key in secret_chapters)
    sections = list(
        Paragraaf.objects.filter(hoofdstuk__plan=plan)
        .filter(Q(vertrouwelijk=True) | Q(hoofdstuk__vertrouwelijk=True))
        .values_list("pk", "sleutel")
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
    keys = {key for _pk, _n, key in secret_chapters} | {key for _pk, key in sections}
    keys |= set(prios.values_list("sleutel", flat=True))
    keys |= set(overige.values_list("sleutel", flat=True))
    return Parts(
        prio_ids,
        overig_ids,
        chapters,
        frozenset(indicators),
        chapter_pks,
        frozenset(pk for pk, _key in sections),
        frozenset(k for k in keys if k),
    )


def hidden_for(user, plan) -> Parts:
    """What ``user`` may not see of ``plan`` (nothing for coordinators and redacteuren)."""
    return NOTHING if sees_confidential(user, plan) else confidential_parts(plan)


def is_confidential(obj) -> bool:
    """Is this priority, cluster, chapter, section or indicator confidential now?"""
    plan = obj.plan
    if isinstance(obj, Hoofdstuk):
        return bool(obj.vertrouwelijk)
    if isinstance(obj, Paragraaf):
        return bool(obj.vertrouwelijk or obj.hoofdstuk.vertrouwelijk)
    return confidential_parts(plan).hides(obj) or bool(getattr(obj, "vertrouwelijk", False))


def history_keys(plan) -> set[str]:
    parts = confidential_parts(plan)
    keys = {f"prioriteit:{pk}" for pk in parts.prioriteiten}
    keys |= {f"overigthema:{pk}" for pk in parts.overige}
    keys |= {f"effectindicator:{pk}" for pk in parts.indicatoren}
    keys |= {f"hoofdstuk:{pk}" for pk in parts.hoofdstuk_pks}
    keys |= {f"paragraaf:{pk}" for pk in parts.paragrafen}
    return keys
