"""What an IVP still lacks before it can go to the council. A version is frozen "ter
vaststelling" (or as adopted) only when every required part is written; the coordinator sees
this list beside the button. Optional parts (flanking policy, an ongoing theme's goal, effect
indicators where a plan deliberately has none) are left out of the document when empty and
are not listed.

Plain Python on the plan's content (``content.plan_content``) and its numbering
(``outline``), so the list names parts the way the document numbers them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ivp.beleidsplan import outline as ol


def _empty(value: Any) -> bool:
    return not str(value or "").strip()


def _indicator_gaps(indicators: Iterable[Mapping[str, Any]], where: str) -> list[str]:
    gaps = []
    for ind in indicators or []:
        name = (ind.get("name") or "").strip() or "(zonder naam)"
        missing = [
            label
            for key, label in (("baseline", "uitgangswaarde"), ("target", "streefwaarde"))
            if ind.get(key) is None
        ]
        if missing:
            gaps.append(f"{where}, indicator ‘{name}’: {' en '.join(missing)} ontbreekt.")
    return gaps


def _texts(content: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """(where, text) of every text that may hold a reference."""
    for chapter in ol.chapter_list(content):
        label = chapter.heading if chapter.is_annex else f"hoofdstuk ‘{chapter.title}’"
        yield label, chapter.data.get("text") or ""
        for section in chapter.sections:
            yield f"paragraaf ‘{section.get('title')}’", section.get("text") or ""
        for thread in chapter.data.get("red_threads") or []:
            if isinstance(thread, Mapping):
                yield (
                    f"rode draad ‘{thread.get('titel') or thread.get('title')}’",
                    str(thread.get("tekst") or thread.get("text") or ""),
                )
    for key, kind in (("priorities", "prioriteit"), ("ongoing", "overig thema")):
        for part in content.get(key) or []:
            for field in ("why", "approach", "flanking", "goal"):
                yield f"{kind} ‘{part.get('title')}’", part.get(field) or ""


def missing_for_council(content: Mapping[str, Any], *, themes: Iterable[str] = ()) -> list[str]:
    """Every required part that is still empty, in the document's order, named as the
    document numbers it. ``themes``: all theme codes of the method, to list the ones the plan
    has not placed."""
    entries = ol.outline(content)
    gaps: list[str] = []
    for chapter in ol.chapter_list(content):
        if chapter.omitted:
            continue
        data = chapter.data
        if chapter.is_annex:
            label = chapter.heading
            if chapter.kind == "bijlage" and _empty(data.get("text")):
                gaps.append(f"{label}: de tekst ontbreekt.")
            if chapter.kind == "bijlage_uitvoeringsplan" and not any(
                m
                for up in content.get("implementation_plans") or []
                for item in up.get("items") or []
                for m in item.get("measures") or []
            ):
                gaps.append(f"{label}: er is nog geen uitvoeringsplan met maatregelen.")
            continue
        label = f"Hoofdstuk {chapter.number} ‘{chapter.title}’"
        has_sections = any(not _empty(s.get("text")) for s in chapter.sections)
        generated, own = ol.section_numbers(chapter, content)
        method = chapter.method_number
        if method == 4:
            priorities = ol.visible_parts(content.get("priorities"))
            if not priorities:
                gaps.append(f"{label}: er zijn nog geen prioriteiten gekozen (stap 3).")
            for part, number in zip(priorities, generated, strict=True):
                where = f"Paragraaf {number} ‘{part.get('title')}’"
                missing = [
                    what
                    for key, what in (
                        ("why", "waarom het een prioriteit is"),
                        ("approach", "de hoofdlijnen van de aanpak"),
                        ("goal", "de doelstelling"),
                    )
                    if _empty(part.get(key))
                ]
                if not part.get("themes"):
                    missing.insert(0, "de thema's")
                if missing:
                    gaps.append(f"{where}: {', '.join(missing)} ontbreekt.")
                gaps += _indicator_gaps(part.get("indicators"), where)
        elif method == 5:
            for part, number in zip(
                ol.visible_parts(content.get("ongoing")), generated, strict=True
            ):
                where = f"Paragraaf {number} ‘{part.get('title')}’"
                if all(_empty(part.get(k)) for k in ("why", "approach", "flanking", "goal")):
                    gaps.append(f"{where}: de toelichting of de hoofdlijnen ontbreken.")
                gaps += _indicator_gaps(part.get("indicators"), where)
        elif method == 3:
            if _empty(data.get("text")) and not data.get("red_threads") and not has_sections:
                gaps.append(f"{label}: de tekst of de rode draden ontbreken.")
        elif _empty(data.get("text")) and not has_sections:
            gaps.append(f"{label}: de tekst ontbreekt.")
        if method == 2:
            gaps += _indicator_gaps(content.get("indicators"), label)
        for section, number in zip(chapter.sections, own, strict=True):
            if _empty(section.get("text")):
                gaps.append(f"Paragraaf {number} ‘{section.get('title')}’: de tekst ontbreekt.")
    for where, text in _texts(content):
        for key in ol.broken_references(text, entries):
            gaps.append(f"In {where} staat de verwijzing [[{key}]], die nergens naar wijst.")
    placed = {
        code
        for key in ("priorities", "ongoing")
        for part in content.get(key) or []
        for code in part.get("themes") or []
    }
    unplaced = [code for code in themes if code not in placed]
    if unplaced:
        gaps.append(
            "Nog niet ingedeeld bij een prioriteit of overig thema: "
            + ", ".join(unplaced)
            + " (stap 3)."
        )
    return gaps
