"""Write a :class:`~ivp.documents.model.Document` as one self-contained HTML page (figures
inline), the source for the PDF as well."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.template.loader import render_to_string

from ivp.documents.docx_writer import dutch_date
from ivp.documents.model import (
    BulletList,
    DefinitionList,
    Document,
    Figure,
    Paragraph,
    Section,
    Table,
)


@dataclass(frozen=True)
class _Heading:
    number: str
    title: str
    level: int
    anchor: str


def _number_sections(
    sections: list[Section], prefix: str = "", level: int = 1, position_prefix: str = ""
):
    """Yield (heading, section) with numbers such as '2.1': by position, or the section's own
    ``number`` where it has one ("" for none). Anchors follow the position, so stay unique."""
    for index, section in enumerate(sections, start=1):
        position = f"{position_prefix}{index}"
        number = f"{prefix}{index}" if section.number is None else section.number
        anchor = f"h-{position.replace('.', '-')}"
        yield _Heading(number, section.title, level, anchor), section
        yield from _number_sections(
            section.subsections, f"{number or position}.", min(level + 1, 3), f"{position}."
        )


def _block_context(block) -> dict:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": block.text, "style": block.style}
    if isinstance(block, BulletList):
        return {"type": "list", "items": block.items}
    if isinstance(block, DefinitionList):
        return {"type": "definitions", "items": block.items}
    if isinstance(block, Table):
        return {
            "type": "table",
            "columns": [(c, i in block.numeric_columns) for i, c in enumerate(block.columns)],
            "rows": [
                [(value, i in block.numeric_columns) for i, value in enumerate(row)]
                for row in block.rows
            ],
            "caption": block.caption,
            "source": block.source,
            "widths": [round(100 * w / sum(block.widths), 2) for w in block.widths]
            if block.widths and len(block.widths) == len(block.columns)
            else [],
        }
    if isinstance(block, Figure):
        return {
            "type": "figure",
            "src": "data:image/png;base64," + base64.b64encode(block.png).decode(),
            "caption": block.caption,
            "source": block.source,
            "width_cm": block.width_cm,
        }
    raise TypeError(f"Unknown block {block!r}")  # pragma: no cover


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string, safe inside a <style> element: every character but
    letters, digits and spaces is written as a CSS hex escape (``\\a `` for a newline), so
    no text can end the string, the rule or the element (CSS Syntax 3, 4.3.5 and 4.3.7)."""
    out = []
    for char in text:
        if char == "\x00":
            char = "\ufffd"
        if char.isalnum() or char == " ":
            out.append(char)
        else:
            out.append(f"\\{ord(char):x} ")
    return '"' + "".join(out) + '"'


def write_html(document: Document) -> str:
    """Render ``document`` as a complete HTML page."""
    parts = [
        {"heading": heading, "blocks": [_block_context(b) for b in section.blocks]}
        for heading, section in _number_sections(document.sections)
    ]
    return render_to_string(
        "documents/document.html",
        {
            "document": document,
            "date": dutch_date(document.date),
            "parts": parts,
            "footer_css": css_string(f"{document.title} — {document.status}"),
        },
    )
