"""Writing cells into every XLSX that ivp produces (plain Python on openpyxl, no Django;
any part of ivp may import it).

User text is written as text, never as a formula: a cell whose text starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return (what Excel and LibreOffice would evaluate,
e.g. ``=HYPERLINK("http://…","Klik hier")``) is stored as a string cell, so the spreadsheet
shows the text and evaluates nothing; the text itself is kept exactly, so an exported
sheet reads back unchanged. Characters that XLSX cannot hold (control characters) are
dropped instead of failing the export.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean(value: Any) -> Any:
    """``value`` without the characters XLSX cannot store (strings only)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def as_text(cell) -> Any:
    """Make a cell that holds text a text cell (never a formula); returns the cell."""
    if isinstance(cell.value, str):
        cell.value = clean(cell.value)
        cell.data_type = "s"
    return cell


def set_cell(sheet, *, row: int, column: int, value: Any):
    """``sheet.cell(row, column, value)`` with text kept as text."""
    return as_text(sheet.cell(row=row, column=column, value=clean(value)))


def append_row(sheet, values: Iterable[Any]) -> None:
    """``sheet.append(values)`` with every text cell kept as text."""
    sheet.append([clean(v) for v in values])
    for cell in sheet[sheet.max_row]:
        as_text(cell)
