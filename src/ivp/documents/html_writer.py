"""Write a :class:`~ivp.documents.model.Document` as one self-contained HTML page (figures
inline), the source for the PDF as well."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ivp.documents.docx_writer import dutch_date
from ivp.documents.model import (
    BulletList,
    DefinitionList,
    Document,
    Figure,
    Paragraph,
    Rich,
    Table,
    cover_facts,
    in_toc,
    keep_place_names,
    numbered,
    spans,
)


def rich_html(text: Rich) -> SafeString:
    """Text as escaped HTML, spans as <strong>/<em>, line breaks kept, "'s-" unbreakable."""
    parts = []
    for span in spans(text):
        html = escape(keep_place_names(span.text)).replace("\n", "<br>")
        if span.bold:
            html = f"<strong>{html}</strong>"
        if span.italic:
            html = f"<em>{html}</em>"
        parts.append(html)
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def _list_html(block: BulletList) -> SafeString:
    """Nested <ul> elements following the items' levels."""
    html: list[str] = []
    depth = -1
    for index, item in enumerate(block.items):
        level = max(0, min(block.level(index), depth + 1))
        if level > depth:
            html.append("<ul>" * (level - depth))
        else:
            html.append("</li>" + "</ul></li>" * (depth - level))
        depth = level
        html.append(f"<li>{rich_html(item)}")
    if depth >= 0:
        html.append("</li>" + "</ul></li>" * depth + "</ul>")
    return mark_safe("".join(html))  # noqa: S308 - items are escaped by rich_html


def _block_context(block) -> dict:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "html": rich_html(block.text), "style": block.style}
    if isinstance(block, BulletList):
        return {"type": "list", "html": _list_html(block)}
    if isinstance(block, DefinitionList):
        return {
            "type": "definitions",
            "items": [(keep_place_names(term), rich_html(value)) for term, value in block.items],
        }
    if isinstance(block, Table):
        return {
            "type": "table",
            "columns": [(c, i in block.numeric_columns) for i, c in enumerate(block.columns)],
            "rows": [
                {
                    "group": index in block.group_rows,
                    "span": len(block.columns),
                    "cells": [
                        (rich_html(value), i in block.numeric_columns)
                        for i, value in enumerate(row)
                    ],
                }
                for index, row in enumerate(block.rows)
            ],
            "caption": keep_place_names(block.caption),
            "source": keep_place_names(block.source),
            "widths": [round(100 * w / sum(block.widths), 2) for w in block.widths]
            if block.widths and len(block.widths) == len(block.columns)
            else [],
        }
    if isinstance(block, Figure):
        return {
            "type": "figure",
            "src": "data:image/png;base64," + base64.b64encode(block.png).decode(),
            "caption": keep_place_names(block.caption),
            "alt": block.alt_text,
            "source": keep_place_names(block.source),
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


def _chapters(document: Document) -> list[dict]:
    """Top-level sections, each with its own parts (its heading and every subsection)."""
    chapters: list[dict] = []
    for heading, section in numbered(document):
        part = {
            "heading": heading,
            "title": keep_place_names(heading.text),
            "blocks": [_block_context(b) for b in section.blocks],
        }
        if heading.level == 1:
            chapters.append(
                {
                    "landscape": section.landscape,
                    "new_page": section.new_page,
                    "anchor": heading.anchor,
                    "parts": [part],
                }
            )
        else:
            chapters[-1]["parts"].append(part)
    return chapters


def write_html(document: Document) -> str:
    """Render ``document`` as a complete HTML page."""
    chapters = _chapters(document)
    return render_to_string(
        "documents/document.html",
        {
            "document": document,
            "title": keep_place_names(document.title),
            "subtitle": keep_place_names(document.subtitle),
            "organisation": keep_place_names(document.organisation),
            "date": dutch_date(document.date),
            "cover": [
                (term, keep_place_names(value))
                for term, value in cover_facts(document, dutch_date(document.date))
            ],
            "chapters": chapters,
            "toc": [
                part["heading"]
                for chapter in chapters
                for part in chapter["parts"]
                if in_toc(part["heading"], document.toc_depth)
            ],
            "footer_css": css_string(f"{document.title} — {document.status}"),
            "lang": document.language.split("-")[0],
        },
    )
