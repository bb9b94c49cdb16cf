"""A small, format-neutral model of a policy document.

Each export (startnotitie, analysis report, IVP, uitvoeringsplan, progress report) builds one
``Document`` from the domain; ``docx_writer``, ``html_writer`` and ``pdf_writer`` turn it into
files. So every format shows the same content, numbered the same way, and a source note travels
with every table and chart. Plain Python: no Django, no I/O.

Text is a plain ``str`` or, where part of it is set in italics or bold (a measure's title as
the lead of its description, a user's ``**bold**`` lead in a bullet), a tuple of :class:`Span`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date


@dataclass(frozen=True)
class Span:
    """A piece of text in one style."""

    text: str
    bold: bool = False
    italic: bool = False


Rich = str | tuple[Span, ...]
"""Text of a paragraph, list item or table cell: plain, or spans with their own style."""


def plain(text: Rich) -> str:
    """``text`` without its styling."""
    if isinstance(text, str):
        return text
    return "".join(span.text for span in text)


def spans(text: Rich) -> tuple[Span, ...]:
    """``text`` as spans (a plain string is one unstyled span)."""
    return (Span(text),) if isinstance(text, str) else text


_INLINE = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")


def inline(text: str) -> Rich:
    """A user's text with ``**bold**`` and ``*italic*`` as spans (the way plans mark the lead
    of a bullet); text without those marks stays a plain string. Only for text a user typed:
    figures such as "+12%*" never pass through here."""
    found: list[Span] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            found.append(Span(text[position : match.start()]))
        if match.group(1) is not None:
            found.append(Span(match.group(1), bold=True))
        else:
            found.append(Span(match.group(2), italic=True))
        position = match.end()
    if not found:
        return text
    if position < len(text):
        found.append(Span(text[position:]))
    return tuple(found)


# Place names such as 's-Hertogenbosch and 's-Gravenhage must not break after "'s-". A word
# joiner (U+2060, invisible) after the hyphen forbids the break in Word, LibreOffice and the
# PDF alike, and keeps the font's own hyphen (a non-breaking hyphen U+2011 is missing or drawn
# oddly in some fonts).
_PLACE_PREFIX = re.compile(r"(?<![\w])(['’]s)-(?=[A-Z])")
WORD_JOINER = "\N{WORD JOINER}"


def keep_place_names(text: str) -> str:
    """ "'s-Hertogenbosch" that never breaks after "'s-"."""
    return _PLACE_PREFIX.sub(rf"\1-{WORD_JOINER}", text)


@dataclass(frozen=True)
class Paragraph:
    text: Rich
    style: str = "body"  # body | lead | note | concept (a gap in a concept, marked as such)


@dataclass(frozen=True)
class BulletList:
    items: tuple[Rich, ...]
    levels: tuple[int, ...] = ()
    """Level per item (0 = top, 1 = indented under the item before); empty means all 0."""

    def level(self, index: int) -> int:
        return self.levels[index] if index < len(self.levels) else 0


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[Rich, ...], ...]
    caption: str = ""
    source: str = ""
    numeric_columns: frozenset[int] = frozenset()
    """Indexes of columns aligned right (figures)."""
    widths: tuple[float, ...] = ()
    """Relative column widths; empty means equal. Writers widen a column that is narrower
    than its longest word, so no word is split over two lines."""
    group_rows: frozenset[int] = frozenset()
    """Rows that head a group (a sub-group of measures): one cell spanning the table."""


@dataclass(frozen=True)
class Figure:
    png: bytes
    caption: str
    source: str
    width_cm: float = 15.0
    alt: str = ""
    """Text alternative for readers who cannot see the chart; the caption when empty."""

    @property
    def alt_text(self) -> str:
        return self.alt or self.caption


@dataclass(frozen=True)
class DefinitionList:
    items: tuple[tuple[str, Rich], ...]


Block = Paragraph | BulletList | Table | Figure | DefinitionList


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    confidential: bool = False
    """Kept out of public exports (e.g. on organised crime)."""
    number: str | None = None
    """The heading's number as printed ("4.2"); None: numbered by position; "": unnumbered.
    Documents with a fixed structure set it, so leaving out a confidential part does not
    renumber the rest."""
    landscape: bool = False
    """A top-level section on landscape pages (wide tables: the uitvoeringsplan)."""
    new_page: bool = False
    """A top-level section that starts on a new page (annexes)."""


@dataclass
class Document:
    title: str
    subtitle: str
    organisation: str
    kind: str
    """What the document is, e.g. 'Startnotitie', shown on the title page."""
    status: str = "concept"
    version: str = ""
    date: date = field(default_factory=date.today)
    sections: list[Section] = field(default_factory=list)
    with_toc: bool = True
    new_page_per_chapter: bool = False
    """Start every top-level section on a new page."""
    toc_depth: int = 3
    """Heading levels listed in the table of contents (1–3)."""
    period: str = ""
    """The plan period on the cover ("2027–2030")."""
    cover_note: str = ""
    """A line under the cover's facts, e.g. a motto or "Concept: nog niet vastgesteld"."""
    numbered: bool = True
    """Sections without their own ``number`` are numbered by position ("2.1")."""
    language: str = "nl-NL"

    def public(self) -> Document:
        """A copy without confidential sections, for documents that leave the organisation."""

        def keep(sections: list[Section]) -> list[Section]:
            return [
                replace(s, blocks=list(s.blocks), subsections=keep(s.subsections))
                for s in sections
                if not s.confidential
            ]

        return replace(self, sections=keep(self.sections))


@dataclass(frozen=True)
class Heading:
    """A section's heading as every writer prints it."""

    number: str
    title: str
    level: int
    anchor: str

    @property
    def text(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


def in_toc(heading: Heading, depth: int) -> bool:
    """Whether the table of contents lists ``heading``: the chapters, and the numbered
    sections down to ``depth`` (not the unnumbered parts of an annex)."""
    return heading.level == 1 or (heading.level <= depth and bool(heading.number))


def numbered(document: Document) -> Iterator[tuple[Heading, Section]]:
    """Every section in order with its heading: its own number, or its position ("2.1") in a
    numbered document. DOCX, HTML and PDF all take their headings from here, so they agree."""

    def walk(sections: list[Section], prefix: str | None, level: int, position_prefix: str):
        for index, section in enumerate(sections, start=1):
            position = f"{position_prefix}{index}"
            if section.number is not None:
                number = section.number
            elif prefix is None:  # under an unnumbered heading: unnumbered too
                number = ""
            else:
                number = f"{prefix}{index}"
            anchor = f"h-{position.replace('.', '-')}"
            yield Heading(number, section.title, level, anchor), section
            child_prefix = f"{number}." if number and number[:1].isdecimal() else None
            yield from walk(section.subsections, child_prefix, min(level + 1, 3), f"{position}.")

    yield from walk(document.sections, "" if document.numbered else None, 1, "")


def cover_facts(document: Document, date_text: str) -> list[tuple[str, str]]:
    """The facts on the title page, the same in every format: municipality, plan period,
    status, date and version."""
    organisation = document.organisation
    if organisation.startswith("Gemeenten "):
        facts = [("Gemeenten", organisation.removeprefix("Gemeenten "))]
    elif organisation.startswith("Gemeente "):
        facts = [("Gemeente", organisation.removeprefix("Gemeente "))]
    else:
        facts = [("Organisatie", organisation)]
    if document.period:
        facts.append(("Planperiode", document.period))
    facts += [("Status", document.status), ("Datum", date_text)]
    if document.version:
        facts.append(("Versie", document.version))
    return facts
