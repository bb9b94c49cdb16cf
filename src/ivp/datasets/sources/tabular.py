"""Read CSV and XLSX files into rows of cells with their line numbers, and read numbers the
way Dutch files write them. Plain Python.

CSV: UTF-8 (with or without BOM) or, failing that, Windows-1252; the separator is sniffed
(``;`` from StatLine and Dutch Excel, ``,`` or tab otherwise). XLSX: the first sheet, or the
sheet named in ``sheet``; numeric cells stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ivp.datasets.sources import guarded

Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    """Rows of a file as ``(line_number, cells)``; line 1 is the first line of the file."""

    rows: list[tuple[int, list[Cell]]]
    kind: str  # "csv" or "xlsx"
    delimiter: str = ""


class TableReadError(ValueError):
    """The bytes are not a readable CSV or XLSX file."""


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableReadError("het bestand is geen leesbare tekst (UTF-8 of Windows-1252)")


def sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    counts = {d: sample.count(d) for d in (";", "\t", ",")}
    # StatLine quotes every cell; a comma inside quotes ("brom-, snor-") must not win.
    unquoted = re.sub(r'"[^"\n]*"', "", sample)
    counts_unquoted = {d: unquoted.count(d) for d in counts}
    best = max(counts_unquoted, key=lambda d: (counts_unquoted[d], counts[d]))
    return best if counts_unquoted[best] or counts[best] else ";"


@guarded
def read_csv(data: bytes | str) -> Table:
    text = data if isinstance(data, str) else decode(data)
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise TableReadError("het bestand bevat NUL-tekens; is het wel een CSV-bestand?")
    delimiter = sniff_delimiter(text)
    rows: list[tuple[int, list[Cell]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous_end = 0
    try:
        for cells in reader:
            # reader.line_num is the last physical line read; a quoted cell may span lines,
            # so a record starts on the line after the previous record ended.
            rows.append((previous_end + 1, list(cells)))
            previous_end = reader.line_num
    except csv.Error as error:
        raise TableReadError(f"het CSV-bestand is niet te lezen: {error}") from error
    return Table(rows, "csv", delimiter)


def _xlsx_value(value: object) -> Cell:
    if value is None or isinstance(value, int | float | str):
        if isinstance(value, bool):
            return int(value)
        return value  # type: ignore[return-value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value)


@guarded
def read_xlsx(data: bytes, sheet: str | None = None) -> Table:
    from ivp.xlsx import XlsxTooLarge, check_size

    try:
        check_size(data)
    except XlsxTooLarge as error:
        raise TableReadError(str(error)) from error
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several types for broken files
        raise TableReadError(f"het Excel-bestand is niet te lezen: {error}") from error
    try:
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    except KeyError as error:
        raise TableReadError(f"het Excel-bestand heeft geen tabblad ‘{sheet}’") from error
    rows = [
        (number, [_xlsx_value(v) for v in values])
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
    ]
    workbook.close()
    return Table(rows, "xlsx")


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


@guarded
def read_table(data: bytes, filename: str = "") -> Table:
    if is_xlsx(data) or filename.lower().endswith((".xlsx", ".xlsm")):
        return read_xlsx(data)
    return read_csv(data)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (the letters Excel shows)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def non_empty(cells: list[Cell]) -> list[Cell]:
    return [c for c in cells if c not in (None, "") and str(c).strip()]


def iter_data_rows(table: Table, start_index: int) -> Iterator[tuple[int, list[Cell]]]:
    for line, cells in table.rows[start_index:]:
        if non_empty(cells):
            yield line, cells


# --- numbers ---------------------------------------------------------------------------

_PLAIN = re.compile(r"^[+-]?\d+$")
_DECIMAL_POINT = re.compile(r"^[+-]?\d+\.\d+$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}[.,]\d{3}$")


class NotANumber(ValueError):
    pass


@guarded
def parse_number(value: Cell, *, decimal_comma: bool | None = None) -> float:
    """Read a number as Dutch and international files write it.

    ``decimal_comma=True`` (StatLine): ``1,5`` is one and a half and ``.`` never separates
    thousands. ``None`` (files typed by people): ``1.234,5`` and ``1,234.5`` are clear;
    ``1.234`` or ``1,234`` is ambiguous and refused with a message rather than guessed.
    """
    number = _parse_number(value, decimal_comma=decimal_comma)
    if not math.isfinite(number):  # a cell of 1e309, or 400 digits: float() gives inf
        raise NotANumber("geen getal")
    return number


def _parse_number(value: Cell, *, decimal_comma: bool | None = None) -> float:
    if isinstance(value, bool):
        raise NotANumber("geen getal")
    if isinstance(value, int | float):
        return float(value)
    text = str(value or "").strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        raise NotANumber("waarde ontbreekt")
    if _PLAIN.match(text):
        return float(text)
    if decimal_comma is True:
        if _DECIMAL_COMMA.match(text):
            return float(text.replace(",", "."))
        if _DECIMAL_POINT.match(text):
            return float(text)
        raise NotANumber("geen getal")
    if _AMBIGUOUS.match(text):
        raise NotANumber(
            "onduidelijk getal: is de punt of komma een duizendtal- of een decimaalteken? "
            "Schrijf het getal zonder scheidingsteken voor duizendtallen (1234 of 1234,5)"
        )
    if _DECIMAL_COMMA.match(text):
        return float(text.replace(",", "."))
    if _DECIMAL_POINT.match(text):
        return float(text)
    if _THOUSANDS_DOT.match(text):
        return float(text.replace(".", "").replace(",", "."))
    if _THOUSANDS_COMMA.match(text):
        return float(text.replace(",", ""))
    raise NotANumber("geen getal")


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
