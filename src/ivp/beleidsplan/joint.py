"""Shared and local parts of a joint plan (the plan of several gemeenten of one base team).

A priority or cluster of ongoing themes without a gemeente is shared by all gemeenten of
the plan; with a gemeente it is that gemeente's local priority (or theme). Everything that
hangs from it (indicators, the uitvoeringsplan's items and measures) is local with it.

Who edits what: everyone with the right to edit the plan edits the shared parts (the
row's ``version`` protects against overwriting, as everywhere); a local part only those who
work for that gemeente (``accounts.gemeenten_of``). See docs/joint-plans.md.

May import: ``accounts``, ``areas``, ``plans``, ``beleidsplan.models``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ivp.accounts.models import User
from ivp.areas.models import Gemeente
from ivp.plans.models import Plan

TERMIJNEN = {"kort": "korte termijn", "lang": "lange termijn"}


def scope_of(obj) -> Gemeente | None:
    """The gemeente whose local part ``obj`` is (None: shared). Works for priorities,
    clusters, indicators, and the uitvoeringsplan's items and measures."""
    for attr in ("prioriteit", "overig_thema"):
        owner = getattr(obj, attr, None)
        if owner is not None:
            return scope_of(owner)
    onderdeel = getattr(obj, "onderdeel", None)
    if onderdeel is not None:
        return scope_of(onderdeel)
    gemeente_id = getattr(obj, "gemeente_id", None)
    if gemeente_id is None or not hasattr(obj, "themas"):
        return None
    return obj.gemeente


def may_edit_local(user: User, gemeente: Gemeente | None) -> bool:
    """Whether ``user`` (who may edit the plan) may edit a part local to ``gemeente``."""
    if gemeente is None:
        return True
    from ivp.accounts import gemeenten_of

    return gemeenten_of(user).filter(pk=gemeente.pk).exists()


def require_local(user: User, gemeente: Gemeente | None) -> None:
    if not may_edit_local(user, gemeente):
        raise PermissionDenied(
            _(
                "Dit is het lokale deel van %(gemeente)s: alleen wie voor die gemeente werkt, "
                "wijzigt het. De gezamenlijke delen kunt u wel wijzigen."
            )
            % {"gemeente": gemeente.naam}
        )


def check_member(plan: Plan, gemeente: Gemeente | None) -> Gemeente | None:
    """``gemeente`` must be one of the plan's gemeenten (a local part of a joint plan)."""
    if gemeente is None:
        return None
    if not plan.gemeenten.filter(pk=gemeente.pk).exists():
        raise ValidationError(_("Die gemeente hoort niet bij dit plan."))
    return gemeente


def clean_acties(acties: Iterable) -> list[dict[str, str]]:
    """Actions as ``[{"tekst": …, "termijn": "kort"|"lang"|""}]``; empty texts dropped."""
    result = []
    for item in acties or ():
        if isinstance(item, str):
            item = {"tekst": item, "termijn": ""}
        if not isinstance(item, dict):
            raise ValidationError(_("Een actie is een tekst met een termijn."))
        tekst = " ".join(str(item.get("tekst", "")).split())
        termijn = str(item.get("termijn", "") or "")
        if termijn not in ("", *TERMIJNEN):
            raise ValidationError(_("De termijn van een actie is kort of lang."))
        if tekst:
            result.append({"tekst": tekst, "termijn": termijn})
    return result


def parse_acties(text: str) -> list[dict[str, str]]:
    """One action per line; a line starting with "kort:" or "lang:" gives its term."""
    result = []
    for line in (text or "").splitlines():
        line = line.strip().lstrip("-•").strip()
        if not line:
            continue
        head, sep, rest = line.partition(":")
        termijn = head.strip().lower() if sep else ""
        if termijn in TERMIJNEN:
            result.append({"tekst": rest.strip(), "termijn": termijn})
        else:
            result.append({"tekst": line, "termijn": ""})
    return clean_acties(result)


def acties_text(acties: Iterable[dict]) -> str:
    """The form's text of :func:`parse_acties`."""
    return "\n".join(
        f"{a['termijn']}: {a['tekst']}" if a.get("termijn") else a["tekst"] for a in acties or ()
    )


def in_scope(items: Iterable, gemeente: Gemeente | None) -> list:
    """The shared items and those local to ``gemeente`` (None: all items)."""
    return [i for i in items if gemeente is None or i.gemeente_id in (None, gemeente.pk)]
