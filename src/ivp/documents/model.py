"""A small, format-neutral model of a policy document.

Each export (startnotitie, analysis report, IVP, uitvoeringsplan, progress report) builds one
``Document`` from the domain; ``docx_writer``, ``html_writer`` and ``pdf_writer`` turn it into
files. So every format shows the same content, and a source note travels with every table and
chart. Plain Python: no Django, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # body | lead | note


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    source: str = ""
    numeric_columns: frozenset[int] = frozenset()
    """Indexes of columns aligned right (figures)."""
    widths: tuple[float, ...] = ()
    """Relative column widths; empty means equal."""


@dataclass(frozen=True)
class Figure:
    png: bytes
    caption: str
    source: str
    width_cm: float = 15.0


@dataclass(frozen=True)
class DefinitionList:
    items: tuple[tuple[str, str], ...]


Block = Paragraph | BulletList | Table | Figure | DefinitionList


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    confidential: bool = False
    """Kept out of public exports (e.g. on organised crime)."""
    number: str | None = None
    """The heading's number as printed ("4.2"); None: numbered by position in HTML/PDF and
    unnumbered in DOCX; "": unnumbered everywhere. Documents with a fixed structure (the IVP's
    seven chapters) set it, so leaving out a confidential part does not renumber the rest."""


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
    """Start every top-level section on a new page (council documents)."""
    toc_depth: int = 3
    """Heading levels listed in the table of contents (1–3)."""

    def public(self) -> Document:
        """A copy without confidential sections, for documents that leave the organisation."""

        def keep(sections: list[Section]) -> list[Section]:
            return [
                Section(s.title, list(s.blocks), keep(s.subsections), False, s.number)
                for s in sections
                if not s.confidential
            ]

        return Document(
            title=self.title,
            subtitle=self.subtitle,
            organisation=self.organisation,
            kind=self.kind,
            status=self.status,
            version=self.version,
            date=self.date,
            sections=keep(self.sections),
            with_toc=self.with_toc,
            new_page_per_chapter=self.new_page_per_chapter,
            toc_depth=self.toc_depth,
        )
