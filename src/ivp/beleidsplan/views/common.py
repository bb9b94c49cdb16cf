"""What the step-3 and step-4 pages share: number formatting, permissions, the plan's
veiligheidsbeeld, URLs and anchors."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from ivp.analysis import veiligheidsbeeld as vb
from ivp.beleidsplan import outline, structure
from ivp.beleidsplan.models import (
    Effectindicator,
    Hoofdstuk,
    OverigThema,
    Prioriteit,
)
from ivp.plans.access import Permission, permissions_for
from ivp.veiligheidsanalyse import services as analyse

DASH = "—"


PARTS = {"prioriteit": Prioriteit, "cluster": OverigThema}


# units for which ivp can propose a target from the registered counts
PROPOSAL_UNITS = (Effectindicator.Eenheid.AANTAL, Effectindicator.Eenheid.PER_1000_INWONERS)


# -- formatting --------------------------------------------------------------------------


def num(value: float | None, decimals: int | None = None) -> str:
    """A number in the active language's format: "1.259", "8,23", "7,7"."""
    if value is None:
        return DASH
    value = float(value)
    if decimals is None:
        text = f"{round(value, 2):.2f}".rstrip("0")
        decimals = len(text.split(".", 1)[1]) if "." in text else 0
    return formats.number_format(round(value, decimals), decimal_pos=decimals, force_grouping=True)


def _unit(eenheid: str) -> str:
    if eenheid == Effectindicator.Eenheid.AANTAL:
        return ""
    return str(Effectindicator.Eenheid(eenheid).label)


def _with_unit(value: float | None, eenheid: str) -> str:
    if value is None:
        return DASH
    digits = 0 if eenheid == Effectindicator.Eenheid.AANTAL else None
    unit = _unit(eenheid)
    text = num(value, digits)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _sign(richting: str) -> str:
    return "≤" if richting == Effectindicator.Richting.HOOGSTENS else "≥"


def _who(user) -> str:
    if user is None:
        return _("iemand anders")
    return user.get_full_name() or user.username


# -- the plan ----------------------------------------------------------------------------


def _context(request: HttpRequest, plan, **extra) -> dict:
    perms = permissions_for(request.user, plan)
    return {"plan": plan, "perms": {p.value: (p in perms) for p in Permission}, **extra}


def _can(request: HttpRequest, plan, permission: Permission = Permission.EDIT_CONTENT) -> bool:
    return permission in permissions_for(request.user, plan)


def _require(request: HttpRequest, plan, permission: Permission = Permission.EDIT_CONTENT):
    if not _can(request, plan, permission):
        if permission == Permission.MANAGE_PLAN:
            raise PermissionDenied(_("Alleen de coördinator kan een versie vastleggen."))
        raise PermissionDenied(_("U mag het beleidsplan van dit plan alleen lezen."))


def _catalogue():
    from ivp.catalogue.content_loader import shipped_catalogue

    return shipped_catalogue()


def _theme_titles() -> dict[str, str]:
    return {t.code: t.titel for t in _catalogue().themas}


def _picture(plan) -> tuple[vb.Veiligheidsbeeld | None, str]:
    try:
        return analyse.veiligheidsbeeld(plan), ""
    except (vb.NoData, vb.UnknownArea) as error:
        return None, str(error)


def _part(plan, soort: str, part: int):
    if soort not in PARTS:
        raise Http404
    return get_object_or_404(PARTS[soort], plan=plan, pk=part)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _downloads(plan, document: str, formats_: tuple[str, ...]) -> list[dict]:
    labels = {"docx": "Word", "pdf": "PDF", "html": "HTML"}
    return [
        {
            "label": labels[fmt],
            "url": reverse("documents:download", args=[plan.pk, document, fmt]),
        }
        for fmt in formats_
    ]


def _chapter_anchor(h: Hoofdstuk) -> str:
    return f"hoofdstuk-{h.nummer}" if h.nummer else f"deel-{h.pk}"


def _toc(plan, prioriteiten, clusters, hidden, content: dict | None = None) -> list[dict]:
    """The chapters and annexes of the IVP in the plan's own shape and numbering, with the
    priorities, clusters and the plan's own sections under their chapters; without what
    ``hidden`` (the user's confidential parts) hides, numbered as in the internal version.
    ``content``: the plan's ``shape_content`` when the caller has it already."""
    from ivp.beleidsplan.content import shape_content

    titles = _theme_titles()
    content = content if content is not None else shape_content(plan)
    numbered = {c.key: c for c in outline.chapter_list(content)}
    by_key = {p.sleutel: p for p in [*prioriteiten, *clusters]}
    result = []
    for h in structure.chapters(plan):
        chapter = numbered.get(h.sleutel)
        if chapter is None:  # a chapter saved without a key in an older version
            continue
        if hidden.hides(h) and not h.nummer:
            continue
        generated, own = outline.section_numbers(chapter, content)
        parts = []
        for (key, title), number in zip(
            outline.generated_sections(chapter, content), generated, strict=True
        ):
            if hidden.hides_key(key):
                continue
            part = by_key.get(key)
            parts.append(
                {
                    "nummer": number,
                    "titel": title,
                    "themas": [f"{c} {titles.get(c, '')}".strip() for c in part.themas]
                    if part
                    else [],
                    "vertrouwelijk": bool(part and part.vertrouwelijk),
                }
            )
        parts += [
            {
                "nummer": number,
                "titel": section.get("title"),
                "themas": [],
                "vertrouwelijk": bool(section.get("confidential")),
            }
            for section, number in zip(chapter.sections, own, strict=True)
            if not hidden.hides_key(section.get("key") or "")
        ]
        result.append(
            {
                "nummer": f"Bijlage {chapter.annex_number}" if chapter.is_annex else chapter.number,
                "methode": h.nummer,
                "anchor": _chapter_anchor(h),
                "titel": chapter.title,
                "weggelaten": chapter.omitted,
                "onderdelen": parts,
            }
        )
    return result


def _bound(bound: dict, key: str) -> tuple:
    """(form, conflict, prefilled) of a part shown again after a POST."""
    entry = tuple(bound.get(key, ()))
    return (*entry, None, None, False)[:3]


def _prioritering_url(plan, anchor: str = "") -> str:
    url = reverse("beleidsplan:prioritering", args=[plan.pk])
    return f"{url}#{anchor}" if anchor else url


def _ivp_url(plan, anchor: str = "") -> str:
    url = reverse("beleidsplan:ivp", args=[plan.pk])
    return f"{url}#{anchor}" if anchor else url


def _indicator_anchor(ind: Effectindicator) -> str:
    if ind.prioriteit_id:
        return f"prioriteit-{ind.prioriteit_id}"
    if ind.overig_thema_id:
        return f"cluster-{ind.overig_thema_id}"
    return "hoofdstuk-2"
