"""The chapters of a plan's IVP as stored: the method's seven (stored or not yet), the
plan's own chapters and annexes, in their order; and the reference keys (``sleutel``) that
texts use to point at a chapter, section, priority or cluster. Reading only; changes go
through ``services``."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.text import slugify

from ivp.beleidsplan.models import Hoofdstuk, OverigThema, Paragraaf, Prioriteit
from ivp.beleidsplan.outline import METHOD_CHAPTERS
from ivp.plans.models import Plan

KEY_LENGTH = 50


def chapters(plan: Plan, *, for_page: bool = False) -> list[Hoofdstuk]:
    """Every chapter and annex in order; a method chapter the plan never saved is an
    unsaved row (version 0) in its default place. ``for_page``: with who saved each and
    the sections (``paragrafen.all()``, in their order, with who saved each) read along."""
    rows = Hoofdstuk.objects.filter(plan=plan)
    if for_page:
        rows = rows.select_related("updated_by").prefetch_related(
            Prefetch("paragrafen", queryset=Paragraaf.objects.select_related("updated_by"))
        )
    stored = list(rows)
    present = {h.nummer for h in stored if h.nummer}
    for number, (key, _title) in METHOD_CHAPTERS.items():
        if number not in present:
            stored.append(
                Hoofdstuk(plan=plan, nummer=number, volgorde=number * 10, sleutel=key, version=0)
            )
    return sorted(stored, key=lambda h: (h.volgorde, h.nummer or 99, h.pk or 0))


def used_keys(plan: Plan) -> set[str]:
    keys = set(METHOD_CHAPTERS_KEYS)
    for model, owner in (
        (Hoofdstuk, "plan"),
        (Prioriteit, "plan"),
        (OverigThema, "plan"),
        (Paragraaf, "hoofdstuk__plan"),
    ):
        keys |= set(model.objects.filter(**{owner: plan}).values_list("sleutel", flat=True))
    keys.discard("")
    return keys


METHOD_CHAPTERS_KEYS = frozenset(key for key, _title in METHOD_CHAPTERS.values())


def new_key(plan: Plan, title: str, *, taken: set[str] | None = None) -> str:
    """A reference key from ``title`` ("4.2 Partners" → "partners"), unique in the plan."""
    taken = used_keys(plan) if taken is None else taken
    base = slugify(title)[:KEY_LENGTH].strip("-") or "onderdeel"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    taken.add(key)
    return key


def fill_missing_keys(plan: Plan) -> None:
    """Give every priority, cluster, chapter and section without a reference one."""
    taken = used_keys(plan)
    for model, rows in (
        (Prioriteit, Prioriteit.objects.filter(plan=plan, sleutel="")),
        (OverigThema, OverigThema.objects.filter(plan=plan, sleutel="")),
        (Hoofdstuk, Hoofdstuk.objects.filter(plan=plan, sleutel="")),
        (Paragraaf, Paragraaf.objects.filter(hoofdstuk__plan=plan, sleutel="")),
    ):
        for row in rows:
            title = row.weergavetitel if isinstance(row, Hoofdstuk) else row.titel
            model.objects.filter(pk=row.pk).update(sleutel=new_key(plan, title, taken=taken))
