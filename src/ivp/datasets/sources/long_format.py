"""Parse the general long format: one figure per row, CSV or XLSX.

Columns (Dutch or English header, any order, case-insensitive):

========================  =========================================================
``regio`` / ``region``    CBS code (GM0796, WK079601, BU07960101, NL01, RE09, PV30) or a
                          name the region list knows (‘'s-Hertogenbosch’)
``periode`` / ``period``  2018, 2018-03, 2018-Q1 or a CBS code (2018JJ00, 2018MM03)
``indicator``             what is measured: ‘E35 Melding overlast jeugd’, ‘1.1.1 Diefstal/
                          inbraak woning’, ‘Voelt zich wel eens onveilig in buurt’
``waarde`` / ``value``    the figure; ``.`` or ``x`` = not published
``eenheid`` / ``unit``    optional: aantal, %, rapportcijfer, …
``bron`` / ``source``     optional: where the figure comes from (Veiligheidsmonitor 2023,
                          Politie basisteam, gemeentelijke meldingen); one dataset per source
``status``                optional: definitief, voorlopig
``marge`` / ``margin``    optional: the 95 % margin (±) of a survey figure, as the
                          Veiligheidsmonitor publishes it; stored as the sibling series
                          ``<code>|marge`` (the convention of the bundled 81928NED)
========================  =========================================================

CSV may be separated by ``;`` or ``,``; a decimal comma is read (``7,5``). A year at the
end of the source (``Veiligheidsmonitor 2019``) names the edition, not another source: it
is left out of the dataset, so the editions of one survey form one series over the years.

An indicator that starts with a police incident code (E35) or a 'soort misdrijf' code
(1.1.1) is linked to that code, so the theme mapping applies to it.
"""

from __future__ import annotations

import re

from ivp.datasets import offences
from ivp.datasets.periods import Status, status_from_cbs
from ivp.datasets.periods import parse_period as parse_period_text
from ivp.datasets.sources import (
    DatasetSpec,
    ImportFormatError,
    ParseResult,
    SeriesKind,
    SeriesSpec,
    guarded,
)
from ivp.datasets.sources.regions import RegionResolver, simplify
from ivp.datasets.sources.statline_csv import slugify
from ivp.datasets.sources.tabular import (
    NotANumber,
    Table,
    cell_text,
    column_letter,
    non_empty,
    parse_number,
    read_table,
)

FORMAT = "lang-formaat"

COLUMN_NAMES = {
    "regio": ("regio", "region", "regiocode", "gebied", "gemeente", "code"),
    "periode": ("periode", "period", "jaar", "year", "perioden"),
    "indicator": ("indicator", "onderwerp", "reeks", "series", "variabele", "maat"),
    "waarde": ("waarde", "value", "aantal", "getal"),
    "eenheid": ("eenheid", "unit"),
    "bron": ("bron", "source"),
    "status": ("status",),
    "marge": ("marge", "margin", "marge95", "betrouwbaarheidsmarge", "95marge"),
}
REQUIRED = ("regio", "periode", "indicator", "waarde")
WITHHELD = {".", "x", "X"}
MARGIN_SUFFIX = "|marge"


def _find_header(table: Table) -> tuple[int, dict[str, int]] | None:
    for index, (_line, cells) in enumerate(table.rows[:10]):
        names = [simplify(cell_text(c)) for c in cells]
        found: dict[str, int] = {}
        for key, options in COLUMN_NAMES.items():
            for column, name in enumerate(names):
                if name in options and column not in found.values():
                    found[key] = column
                    break
        if all(k in found for k in REQUIRED):
            return index, found
    return None


def looks_like_long_format(table: Table) -> bool:
    return _find_header(table) is not None


_EDITION = re.compile(r"[\s,(–-]+(?:editie\s+)?(?:19|20)\d\d(?:\s*[-–/]\s*(?:19|20)?\d\d)?\)?$")


def source_name(name: str) -> str:
    """The source without a trailing edition year: ``Veiligheidsmonitor 2019`` →
    ``Veiligheidsmonitor``."""
    text = " ".join((name or "").split())
    stripped = _EDITION.sub("", text).strip()
    return stripped or text


def default_dataset(name: str) -> DatasetSpec:
    naam = source_name(name) or "Eigen registraties"
    return DatasetSpec(
        key=f"eigen:{slugify(naam)}",
        titel=naam,
        bron=naam,
        toelichting="Ingelezen uit een bestand in het algemene formaat (regio, periode, "
        "indicator, waarde).",
    )


def series_from_indicator(dataset_key: str, indicator: str, unit: str) -> SeriesSpec:
    text = " ".join(indicator.split())
    soort_misdrijf = offences.code_from_label(text) if text[:1].isdecimal() else None
    if soort_misdrijf and soort_misdrijf in offences.soort_misdrijf():
        category = offences.soort_misdrijf()[soort_misdrijf]
        return SeriesSpec(
            dataset=dataset_key,
            code=soort_misdrijf,
            naam=category.label,
            soort=SeriesKind.MISDRIJVEN,
            eenheid=unit or "aantal",
            soort_misdrijf=soort_misdrijf,
        )
    incident = offences.incident_code_from_label(text)
    if incident:
        overlast = offences.overlast().get(incident)
        via_category = offences.category_of_incident().get(incident)
        return SeriesSpec(
            dataset=dataset_key,
            code=incident,
            naam=text if len(text) > len(incident) else (overlast.label if overlast else text),
            soort=SeriesKind.OVERLAST
            if overlast or incident.startswith("E")
            else SeriesKind.INDICATOR,
            eenheid=unit or "aantal",
            incident_code=incident,
            soort_misdrijf=via_category or "",
        )
    return SeriesSpec(dataset=dataset_key, code=slugify(text), naam=text, eenheid=unit or "aantal")


@guarded
def parse_long_format(
    data: bytes | Table,
    *,
    resolver: RegionResolver,
    filename: str = "",
    dataset_name: str = "",
) -> ParseResult:
    """``dataset_name`` names the dataset of rows without a ``bron`` column value."""
    table = data if isinstance(data, Table) else read_table(data, filename)
    header = _find_header(table)
    if header is None:
        raise ImportFormatError(
            "geen kopregel gevonden met de kolommen regio, periode, indicator en waarde"
        )
    header_index, columns = header
    header_line, header_cells = table.rows[header_index]
    names = {
        key: cell_text(header_cells[col]) or column_letter(col) for key, col in columns.items()
    }
    result = ParseResult(FORMAT)
    rows = 0
    for line, cells in table.rows[header_index + 1 :]:
        if not non_empty(cells):
            continue
        rows += 1

        def get(key: str, cells=cells) -> object:
            column = columns.get(key)
            return cells[column] if column is not None and column < len(cells) else None

        row_ok = True
        regio_text = cell_text(get("regio"))
        regio, reason = resolver.resolve(regio_text)
        if regio is None:
            result.problem(line, names["regio"], reason or "onbekende regio", regio_text)
            row_ok = False
        elif resolver.known_codes and not resolver.is_known(regio) and regio != "NL01":
            result.problem(
                line,
                names["regio"],
                "deze regiocode komt niet voor in de gebiedsindeling van ivp",
                regio_text,
            )
            row_ok = False
        periode_text = cell_text(get("periode"))
        try:
            periode, marker = parse_period_text(periode_text)
        except ValueError as error:
            result.problem(line, names["periode"], str(error), periode_text)
            row_ok = False
            periode, marker = "", Status.ONBEKEND
        indicator = cell_text(get("indicator"))
        if not indicator:
            result.problem(line, names["indicator"], "indicator ontbreekt")
            row_ok = False
        raw_value = get("waarde")
        value_text = cell_text(raw_value)
        waarde: float | None = None
        if value_text in WITHHELD:
            waarde = None
        else:
            try:
                waarde = parse_number(raw_value)  # type: ignore[arg-type]
            except NotANumber as error:
                result.problem(line, names["waarde"], str(error), value_text)
                row_ok = False
        status = marker
        status_text = cell_text(get("status"))
        if status_text:
            status = status_from_cbs(status_text.replace("_", " "))
            if status is Status.ONBEKEND:
                result.problem(
                    line,
                    names["status"],
                    "onbekende status; gebruik definitief, voorlopig of nader voorlopig",
                    status_text,
                )
                row_ok = False
        if not row_ok:
            continue
        bron = cell_text(get("bron")) or dataset_name
        dataset = result.add_dataset(default_dataset(bron))
        unit = cell_text(get("eenheid"))
        spec = series_from_indicator(dataset.key, indicator, unit)
        existing = result._series_index.get(spec.key)
        if existing is not None and unit and result.series[existing].eenheid != unit:
            result.problem(
                line,
                names.get("eenheid"),
                f"andere eenheid dan eerder in het bestand voor ‘{indicator}’ "
                f"({result.series[existing].eenheid})",
                unit,
            )
            continue
        margin_text = cell_text(get("marge"))
        margin: float | None = None
        if margin_text and margin_text not in WITHHELD:
            try:
                margin = parse_number(get("marge"))  # type: ignore[arg-type]
            except NotANumber as error:
                result.problem(line, names["marge"], str(error), margin_text)
                continue
            if margin < 0:
                result.problem(
                    line, names["marge"], "een marge kan niet negatief zijn", margin_text
                )
                continue
        index = result.series_index(spec)
        result.add(index, regio, periode, waarde, status, line)
        if margin is not None:
            margin_spec = SeriesSpec(
                dataset=spec.dataset,
                code=f"{spec.code}{MARGIN_SUFFIX}",
                naam=f"{spec.naam} — 95%-marge",
                soort=SeriesKind.INDICATOR,
                eenheid=spec.eenheid,
            )
            result.add(result.series_index(margin_spec), regio, periode, margin, status, line)
    result.meta["rows"] = rows
    if rows == 0:
        result.problem(header_line + 1, None, "het bestand bevat geen gegevensregels")
    return result.finish()
