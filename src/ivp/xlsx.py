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


# -- reading: refuse oversized sheets before any cell is loaded ------------------------

DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_COLUMNS = 200
MAX_SHEET_XML = 200 * 1024 * 1024  # uncompressed bytes of one worksheet


class XlsxTooLarge(ValueError):
    """The workbook declares or holds more rows, columns or bytes than ivp reads."""


def limits() -> tuple[int, int]:
    """(rows, columns) from the settings ``IVP_XLSX_MAX_ROWS``/``…_COLUMNS`` when Django is
    configured, else the defaults."""
    try:
        from django.conf import settings

        return (
            int(getattr(settings, "IVP_XLSX_MAX_ROWS", DEFAULT_MAX_ROWS)),
            int(getattr(settings, "IVP_XLSX_MAX_COLUMNS", DEFAULT_MAX_COLUMNS)),
        )
    except Exception:  # noqa: BLE001 - settings not configured: plain use
        return DEFAULT_MAX_ROWS, DEFAULT_MAX_COLUMNS


def _column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (ord(char) - 64)
    return number


def _split(ref: str) -> tuple[int, int]:
    letters = "".join(c for c in ref if c.isalpha()).upper()
    digits = "".join(c for c in ref if c.isdecimal())
    return (int(digits) if digits else 0, _column_number(letters) if letters else 0)


def check_size(data: bytes, *, max_rows: int | None = None, max_columns: int | None = None) -> None:
    """Raise :class:`XlsxTooLarge` (a Dutch message) when a worksheet reaches beyond
    ``max_rows`` or ``max_columns`` — by its declared dimension or by any cell it holds — or
    unpacks to more than 200 MB. Reads the sheets' XML as a stream, never the cells into
    memory, so a 7 KB file with one blank cell at Q200000 is refused in milliseconds."""
    import io
    import zipfile
    from xml.etree.ElementTree import iterparse  # noqa: S405 - no entities expanded by default

    rows_limit, columns_limit = limits()
    max_rows = max_rows or rows_limit
    max_columns = max_columns or columns_limit
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return  # not an XLSX: the reader says so
    with archive:
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            if info.file_size > MAX_SHEET_XML:
                raise XlsxTooLarge(
                    "Het Excel-bestand is te groot om in te lezen (een tabblad is uitgepakt "
                    "meer dan 200 MB)."
                )
            with archive.open(info) as stream:
                try:
                    # expat (>= 2.4.1) refuses entity expansion bombs; no external entities
                    for _event, element in iterparse(stream, events=("start",)):  # noqa: S314
                        tag = element.tag.rsplit("}", 1)[-1]
                        ref = element.get("ref") if tag == "dimension" else element.get("r")
                        if tag in ("dimension", "row", "c") and ref:
                            for part in ref.split(":"):
                                row, column = _split(part)
                                if row > max_rows or column > max_columns:
                                    raise XlsxTooLarge(
                                        _too_large(row, column, max_rows, max_columns)
                                    )
                        element.clear()
                except XlsxTooLarge:
                    raise
                except Exception:  # noqa: BLE001, S112 - a broken sheet: the reader reports it
                    continue


def _too_large(row: int, column: int, max_rows: int, max_columns: int) -> str:
    if row > max_rows:
        return (
            f"Het Excel-bestand is te groot: een tabblad loopt tot rij {row:,} "
            f"(ivp leest hoogstens {max_rows:,} rijen). Verwijder lege rijen onderaan of "
            "splits het bestand."
        ).replace(",", ".")
    return (
        f"Het Excel-bestand is te breed: een tabblad loopt tot kolom {column:,} "
        f"(ivp leest hoogstens {max_columns:,} kolommen)."
    ).replace(",", ".")
