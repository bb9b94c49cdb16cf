"""The shape of the IVP document from the plan's content (``content.plan_content``): its
chapters in order with their numbers, the sections of each chapter, the annexes, and the
references (``[[sleutel]]``) a text may make to any of them. Plain Python on the content
dict, so the pages, the completeness check before the council and the documents number the
plan the same way, and a frozen version keeps its own numbering.

Numbering: chapters that are in the document (not left out, not annexes) are numbered 1, 2,
… in their order, confidential ones included, so the public and the internal version carry
the same numbers and a reference means the same in both. A chapter's sections are numbered
after it: first what the method puts there (the red threads of the strategic principles,
the priorities, the clusters of ongoing themes), then the plan's own sections. Annexes are
numbered "Bijlage 1", "Bijlage 2", ….
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: The method's seven chapters: number → (reference, default title).
METHOD_CHAPTERS: Mapping[int, tuple[str, str]] = {
    1: ("uitgangssituatie", "Uitgangssituatie"),
    2: ("strategische-doelstelling", "Strategische doelstelling"),
    3: ("strategische-uitgangspunten", "Strategische uitgangspunten"),
    4: ("prioriteiten", "Prioriteiten"),
    5: ("overige-themas", "Overige strategische thema's"),
    6: ("coordinatie", "Coördinatie en beleidscyclus"),
    7: ("begroting", "Begroting"),
}
METHOD_KEYS = {n: key for n, (key, _t) in METHOD_CHAPTERS.items()}
ANNEX_KINDS = ("bijlage", "bijlage_themas", "bijlage_uitvoeringsplan")
ANNEX_TITLES = {
    "bijlage_themas": "Veiligheidsthema's",
    "bijlage_uitvoeringsplan": "Uitvoeringsplan",
}
#: [[sleutel]] → "hoofdstuk 5"; [[#sleutel]] → "5".
REFERENCE = re.compile(r"\[\[(#?)\s*([A-Za-z0-9][A-Za-z0-9_-]*)\s*\]\]")


@dataclass(frozen=True)
class Entry:
    """Something a text can refer to."""

    key: str
    kind: str  # "hoofdstuk" | "paragraaf" | "bijlage"
    number: str
    title: str

    @property
    def reference(self) -> str:
        """ "hoofdstuk 5", "paragraaf 4.2", "bijlage 1"."""
        return f"{self.kind} {self.number}"


@dataclass
class Chapter:
    """One chapter or annex as the document prints it."""

    data: Mapping[str, Any]
    key: str
    kind: str  # "methode" | "eigen" | an annex kind
    method_number: int | None
    title: str
    number: str  # "3"; "" for an annex (see ``annex_number``) or a chapter left out
    annex_number: str = ""
    omitted: bool = False
    confidential: bool = False
    sections: list[Mapping[str, Any]] = field(default_factory=list)
    """The plan's own sections of this chapter, in order."""

    @property
    def is_annex(self) -> bool:
        return self.kind in ANNEX_KINDS

    @property
    def heading(self) -> str:
        if self.is_annex:
            return f"Bijlage {self.annex_number}: {self.title}"
        return self.title


def _order(item: Mapping[str, Any]) -> int:
    """The chapter's place: its order, or the method's place (10, 20, … 70); annexes last."""
    order = item.get("order")
    if isinstance(order, int) and not isinstance(order, bool) and (order or item.get("key")):
        return order
    number = item.get("number")
    if number in METHOD_CHAPTERS:
        return number * 10
    return 1000


def chapter_list(content: Mapping[str, Any]) -> list[Chapter]:
    """Every chapter and annex of ``content`` in order, numbered. The method's chapters the
    content does not hold yet are there with their default title (an older export, or a plan
    that never saved one)."""
    stored = [c for c in content.get("chapters") or [] if isinstance(c, Mapping)]
    present = {c.get("number") for c in stored if c.get("number")}
    items = list(stored)
    for number in METHOD_CHAPTERS:
        if number not in present:
            items.append({"number": number, "order": number * 10})
    ordered = sorted(enumerate(items), key=lambda pair: (_order(pair[1]), pair[0]))
    chapters: list[Chapter] = []
    chapter_count = annex_count = 0
    for _index, data in ordered:
        number = data.get("number") if data.get("number") in METHOD_CHAPTERS else None
        kind = data.get("kind") or ("methode" if number else "eigen")
        if number and kind not in ("methode",):
            kind = "methode"
        default_key, default_title = METHOD_CHAPTERS.get(number, ("", ""))
        title = (data.get("title") or "").strip() or default_title or ANNEX_TITLES.get(kind, "")
        chapter = Chapter(
            data=data,
            key=(data.get("key") or default_key or "").strip(),
            kind=kind,
            method_number=number,
            title=title or "(zonder titel)",
            number="",
            omitted=bool(data.get("omitted")),
            confidential=bool(data.get("confidential")),
            sections=sorted(
                (s for s in data.get("sections") or [] if isinstance(s, Mapping)),
                key=lambda s: s.get("order") or 0,
            ),
        )
        if chapter.is_annex:
            if not chapter.omitted:
                annex_count += 1
                chapter.annex_number = str(annex_count)
        elif not chapter.omitted:
            chapter_count += 1
            chapter.number = str(chapter_count)
        chapters.append(chapter)
    return chapters


def visible_parts(parts: Sequence[Mapping[str, Any]] | None) -> list[Mapping[str, Any]]:
    return sorted(parts or [], key=lambda p: p.get("order") or 0)


def generated_sections(chapter: Chapter, content: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(key, title) of what the method puts in this chapter as sections, in order: the red
    threads (chapter 3), the priorities (4) or the clusters of ongoing themes (5)."""
    if chapter.method_number == 3:
        threads = [t for t in chapter.data.get("red_threads") or [] if isinstance(t, Mapping)]
        return [("", str(t.get("title") or t.get("titel") or "")) for t in threads]
    if chapter.method_number == 4:
        return [
            (p.get("key") or "", p.get("title") or "")
            for p in visible_parts(content.get("priorities"))
        ]
    if chapter.method_number == 5:
        return [
            (c.get("key") or "", c.get("title") or "")
            for c in visible_parts(content.get("ongoing"))
        ]
    return []


def section_numbers(chapter: Chapter, content: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """The numbers of the generated sections and of the own sections of ``chapter``."""
    if not chapter.number:
        generated = generated_sections(chapter, content)
        return [""] * len(generated), [""] * len(chapter.sections)
    generated = generated_sections(chapter, content)
    first = [f"{chapter.number}.{i}" for i in range(1, len(generated) + 1)]
    own = [
        f"{chapter.number}.{i}"
        for i in range(len(generated) + 1, len(generated) + len(chapter.sections) + 1)
    ]
    return first, own


def outline(content: Mapping[str, Any]) -> dict[str, Entry]:
    """Every key a text may refer to → what it is and its number now."""
    entries: dict[str, Entry] = {}
    for chapter in chapter_list(content):
        if chapter.omitted:
            continue
        if chapter.is_annex:
            if chapter.key:
                entries[chapter.key] = Entry(
                    chapter.key, "bijlage", chapter.annex_number, chapter.title
                )
            continue
        if chapter.key:
            entries[chapter.key] = Entry(chapter.key, "hoofdstuk", chapter.number, chapter.title)
        generated, own = section_numbers(chapter, content)
        for (key, title), number in zip(
            generated_sections(chapter, content), generated, strict=True
        ):
            if key:
                entries.setdefault(key, Entry(key, "paragraaf", number, title))
        for section, number in zip(chapter.sections, own, strict=True):
            key = (section.get("key") or "").strip()
            if key:
                entries.setdefault(key, Entry(key, "paragraaf", number, section.get("title") or ""))
    return entries


def resolve(text: str, entries: Mapping[str, Entry], *, missing: str | None = None) -> str:
    """``text`` with every ``[[sleutel]]`` written as "hoofdstuk 5" (``[[#sleutel]]`` as
    "5"). An unknown reference becomes ``missing`` (with ``{key}``), or stays as written."""

    def replace(match: re.Match) -> str:
        entry = entries.get(match.group(2))
        if entry is None:
            return match.group(0) if missing is None else missing.format(key=match.group(2))
        if match.group(1):
            return entry.number
        before = match.string[: match.start()].rstrip(" \t*_")
        starts_sentence = not before or before[-1] in ".!?:\n"
        return entry.reference.capitalize() if starts_sentence else entry.reference

    return REFERENCE.sub(replace, text or "")


def broken_references(text: str, entries: Mapping[str, Entry]) -> list[str]:
    return [m.group(2) for m in REFERENCE.finditer(text or "") if m.group(2) not in entries]
