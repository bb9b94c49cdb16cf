"""Parse a table as StatLine (and data.politie.nl) lets people download it: CSV with ``;``,
every cell quoted, Dutch headers, decimal comma, UTF-8 with BOM; also the Excel download.

Two layouts occur:

- **one row per figure** — ``"Soort misdrijf";"Perioden";"Regio's";"Geregistreerde
  misdrijven (aantal)"``: dimensions first, then one column per topic with its unit in
  brackets;
- **periods across** — a title line, an empty line, a line with ``Perioden`` above the year
  columns, then ``"Regio's";"Onderwerp";"";"2002";"2003";…`` and a ``"Bron: CBS"`` footer.

Regions are labels (``Nederland``, ``Groningen (PV)``, ``Ridderkerk``, a buurt name) and are
resolved to CBS codes with a :class:`RegionResolver`; a 47018NED download's ``Gemeentenaam``
and ``Soort regio`` columns make wijk and buurt names unique. Periods may carry StatLine's
``*`` (voorlopig) or ``**`` (nader voorlopig). Cell symbols: ``.`` not available and ``x``
secret are withheld (no value); ``-`` is nil (zero).
"""

from __future__ import annotations

import re

from ivp.datasets import offences
from ivp.datasets.periods import PeriodeSoort, Status, parse_period
from ivp.datasets.sources import (
    DatasetSpec,
    ImportFormatError,
    ParseResult,
    SeriesKind,
    SeriesSpec,
    guarded,
)
from ivp.datasets.sources.cbs_tables import table_dataset
from ivp.datasets.sources.regions import RegionResolver, simplify
from ivp.datasets.sources.tabular import (
    Cell,
    NotANumber,
    Table,
    cell_text,
    column_letter,
    non_empty,
    parse_number,
    read_table,
)

FORMAT = "statline-csv"
REGION_HEADERS = ("regio's", "regios", "wijken en buurten", "regio", "gemeenten", "gemeente")
LABEL_TOPICS = {"gemeentenaam": "gemeentenaam", "soort regio": "soort_regio", "codering": "code"}
WITHHELD = {"", ".", "x", "X", "?"}
NIL = {"-", "–", "—"}


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", simplify(text)).strip("-")[:120]


def _split_unit(header: str) -> tuple[str, str | None]:
    """``"Voelt zich onveilig (%)"`` → (name, "%"); the unit is the last bracketed part,
    which may itself hold brackets: ``"… (% wel eens onveilig ('vaak'/'soms'))"``."""
    text = header.strip()
    if not text.endswith(")"):
        return text, None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        if text[index] == ")":
            depth += 1
        elif text[index] == "(":
            depth -= 1
            if depth == 0:
                name, unit = text[:index].strip(), text[index + 1 : -1].strip()
                if not name or name.endswith("/"):
                    return text, None
                return name, unit
    return text, None


def looks_like_statline(table: Table) -> bool:
    for _line, cells in table.rows[:12]:
        texts = [simplify(cell_text(c)) for c in cells]
        if "perioden" in texts:
            return True
    return False


def _statline_value(raw: Cell) -> tuple[float | None, str | None]:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw), None
    text = cell_text(raw)
    if text in WITHHELD:
        return None, None
    if text in NIL:
        return 0.0, None
    try:
        return parse_number(text, decimal_comma=True), None
    except NotANumber:
        return None, "geen getal"


@guarded
def parse_statline(
    data: bytes | Table,
    *,
    resolver: RegionResolver,
    tabel_id: str | None = None,
    filename: str = "",
    dataset: DatasetSpec | None = None,
) -> ParseResult:
    table = data if isinstance(data, Table) else read_table(data, filename)
    result = ParseResult(FORMAT)
    header_index = None
    for index, (_line, cells) in enumerate(table.rows[:30]):
        texts = [simplify(cell_text(c)) for c in cells]
        if "perioden" in texts and len(non_empty(cells)) >= 2:
            header_index = index
            break
        if "perioden" in texts and len(non_empty(cells)) == 1:
            # periods-across layout: "Perioden" sits above the period columns
            return _parse_pivot(table, index, result, resolver, tabel_id, dataset)
    if header_index is None:
        raise ImportFormatError(
            "geen StatLine-tabel: er is geen kopregel met een kolom ‘Perioden’ gevonden"
        )
    return _parse_rows(table, header_index, result, resolver, tabel_id, dataset)


def _detect_table(dim_names: list[str], monthly: bool) -> str | None:
    simple = [simplify(n) for n in dim_names]
    if "soort misdrijf" in simple:
        if "wijken en buurten" in simple:
            return "47022NED" if monthly else "47018NED"
        return "47013NED"
    return None


def _crime_series(tabel_id: str, label: str, topic_name: str, unit: str, primary: bool):
    code = offences.code_from_label(label)
    category = offences.soort_misdrijf().get(code or "")
    if category is None:
        return None
    naam = category.label
    series_code = code if primary else f"{code}|{slugify(topic_name)}"
    if not primary:
        naam = f"{naam} — {topic_name}"
    return SeriesSpec(
        dataset=tabel_id,
        code=series_code,
        naam=naam,
        soort=SeriesKind.MISDRIJVEN,
        eenheid=unit or "aantal",
        soort_misdrijf=code,
    )


def _parse_rows(
    table: Table,
    header_index: int,
    result: ParseResult,
    resolver: RegionResolver,
    tabel_id: str | None,
    dataset: DatasetSpec | None,
) -> ParseResult:
    header_line, header_cells = table.rows[header_index]
    headers = [cell_text(c) for c in header_cells]
    dims: list[tuple[int, str]] = []
    topics: list[tuple[int, str, str]] = []  # (column, name, unit)
    label_columns: dict[str, int] = {}
    for column, header in enumerate(headers):
        if not header:
            continue
        name, unit = _split_unit(header)
        simple = simplify(name)
        if simple in LABEL_TOPICS:
            label_columns[LABEL_TOPICS[simple]] = column
        elif unit is None:
            dims.append((column, name))
        else:
            topics.append((column, name, unit))
    dim_simple = {simplify(name): column for column, name in dims}
    period_col = dim_simple.get("perioden")
    region_col = next((dim_simple[h] for h in REGION_HEADERS if h in dim_simple), None)
    if region_col is None:
        result.problem(header_line, None, "er is geen regiokolom (zoals ‘Regio's’)")
    if not topics:
        result.problem(
            header_line,
            None,
            "er is geen kolom met cijfers (een kop met de eenheid tussen "
            "haakjes, zoals ‘Geregistreerde misdrijven (aantal)’)",
        )
    if result.problems:
        return result.finish()
    soort_col = dim_simple.get("soort misdrijf")
    marge_col = dim_simple.get("marges")
    other_dims = [
        (c, n) for c, n in dims if c not in (period_col, region_col, soort_col, marge_col)
    ]

    data_rows = [
        (line, cells) for line, cells in table.rows[header_index + 1 :] if non_empty(cells)
    ]
    data_rows = [
        (line, cells)
        for line, cells in data_rows
        if not (len(non_empty(cells)) == 1 and cell_text(cells[0]).lower().startswith("bron"))
    ]
    monthly = any(
        "MM" in _safe_period(cell_text(cells[period_col]))
        for _line, cells in data_rows[:50]
        if period_col < len(cells)
    )
    tabel_id = (tabel_id or _detect_table([n for _c, n in dims], monthly) or "").upper()
    if not tabel_id:
        result.problem(
            header_line,
            None,
            "uit de kolommen blijkt niet uit welke CBS-tabel dit bestand komt; geef de tabel "
            "op (bijvoorbeeld 47018NED)",
        )
        return result.finish()
    result.meta["tabel_id"] = tabel_id
    result.add_dataset(dataset or table_dataset(tabel_id))
    crime_topic = next(
        (i for i, (_c, n, _u) in enumerate(topics) if simplify(n).startswith("geregist")), 0
    )

    series_cache: dict[tuple, int | None] = {}
    for line, cells in data_rows:

        def cell(column: int | None, cells: list[Cell] = cells) -> str:
            return cell_text(cells[column]) if column is not None and column < len(cells) else ""

        try:
            periode, status = parse_period(cell(period_col))
        except ValueError as error:
            result.problem(line, headers[period_col], str(error), cell(period_col))
            continue
        code_label = cell(label_columns.get("code"))
        if code_label:
            regio, reason = resolver.resolve(code_label)
        else:
            regio, reason = resolver.resolve(
                cell(region_col),
                gemeentenaam=cell(label_columns.get("gemeentenaam")) or None,
                soort_regio=cell(label_columns.get("soort_regio")) or None,
            )
        if regio is None:
            result.problem(line, headers[region_col], reason or "onbekende regio", cell(region_col))
            continue
        marge = cell(marge_col)
        extra = tuple(cell(c) for c, _n in other_dims)
        for number, (column, name, unit) in enumerate(topics):
            cache_key = (cell(soort_col), marge, extra, column)
            if cache_key not in series_cache:
                series_cache[cache_key] = _series_index(
                    result,
                    tabel_id,
                    cell(soort_col),
                    marge,
                    extra,
                    other_dims,
                    name,
                    unit,
                    primary=number == crime_topic,
                )
            index = series_cache[cache_key]
            if index is None:
                result.problem(
                    line, headers[soort_col], "onbekende soort misdrijf", cell(soort_col)
                )
                break
            raw = cells[column] if column < len(cells) else ""
            waarde, error = _statline_value(raw)
            if error:
                result.problem(line, headers[column], error, cell_text(raw))
                continue
            result.add(index, regio, periode, waarde, status, line)
    result.meta["rows"] = len(data_rows)
    return result.finish()


def _series_index(
    result: ParseResult,
    tabel_id: str,
    soort: str,
    marge: str,
    extra: tuple[str, ...],
    other_dims: list[tuple[int, str]],
    name: str,
    unit: str,
    *,
    primary: bool,
) -> int | None:
    if soort:
        spec = _crime_series(tabel_id, soort, name, unit, primary)
        if spec is None:
            return None
        return result.series_index(spec)
    # A survey or other table: the topic is the series; extra dimensions and the margin
    # become part of its code and name.
    path = name.split("/")
    naam = path[-1].strip()
    parts = [p for p in extra if p]
    if parts:
        naam = f"{naam} ({', '.join(parts)})"
    code = slugify(name) + ("|" + "|".join(slugify(p) for p in parts) if parts else "")
    is_margin = marge and simplify(marge) not in ("waarde", "")
    if is_margin:
        code = f"{code}|{slugify(marge)}"
        naam = f"{naam} — {marge.lower()}"
    spec = SeriesSpec(
        dataset=tabel_id,
        code=code,
        naam=naam,
        eenheid=unit or "aantal",
        toelichting=" / ".join(p.strip() for p in path[:-1] if p.strip()),
    )
    return result.series_index(spec)


def _safe_period(text: str) -> str:
    try:
        return parse_period(text)[0]
    except ValueError:
        return ""


def _parse_pivot(
    table: Table,
    perioden_index: int,
    result: ParseResult,
    resolver: RegionResolver,
    tabel_id: str | None,
    dataset: DatasetSpec | None,
) -> ParseResult:
    """Periods across: the line after ``Perioden`` holds the dimension names and the
    periods; a column with an empty header holds the unit."""
    if perioden_index + 1 >= len(table.rows):
        raise ImportFormatError("na de regel ‘Perioden’ volgt geen kopregel")
    header_line, header_cells = table.rows[perioden_index + 1]
    headers = [cell_text(c) for c in header_cells]
    periods: list[tuple[int, str, Status]] = []
    dims: list[tuple[int, str]] = []
    unit_col = None
    for column, header in enumerate(headers):
        try:
            code, status = parse_period(header)
        except ValueError:
            if header:
                dims.append((column, header))
            elif unit_col is None and not periods:
                unit_col = column
            continue
        periods.append((column, code, status))
    dim_simple = {simplify(name): column for column, name in dims}
    region_col = next((dim_simple[h] for h in REGION_HEADERS if h in dim_simple), None)
    if region_col is None or not periods:
        result.problem(header_line, None, "kopregel zonder regiokolom of zonder perioden")
        return result.finish()
    if not tabel_id:
        result.problem(
            header_line,
            None,
            "geef op uit welke CBS-tabel dit bestand komt (bijvoorbeeld 37230ned)",
        )
        return result.finish()
    tabel_id = tabel_id.upper()
    result.meta["tabel_id"] = tabel_id
    result.add_dataset(dataset or table_dataset(tabel_id))
    other_dims = [(c, n) for c, n in dims if c != region_col]
    rows = 0
    for line, cells in table.rows[perioden_index + 2 :]:
        if not non_empty(cells):
            continue
        first = cell_text(cells[0])
        if len(non_empty(cells)) == 1 and first.lower().startswith("bron"):
            continue
        rows += 1
        label = cell_text(cells[region_col]) if region_col < len(cells) else ""
        regio, reason = resolver.resolve(label)
        if regio is None:
            result.problem(line, headers[region_col], reason or "onbekende regio", label)
            continue
        parts = [cell_text(cells[c]) for c, _n in other_dims if c < len(cells)]
        unit = cell_text(cells[unit_col]) if unit_col is not None else ""
        naam = " — ".join(p for p in parts if p) or "waarde"
        spec = SeriesSpec(
            dataset=tabel_id,
            code=slugify(naam),
            naam=naam,
            eenheid=unit or "aantal",
            soort=SeriesKind.BEVOLKING if "bevolking" in simplify(naam) else SeriesKind.INDICATOR,
        )
        index = result.series_index(spec)
        for column, periode, status in periods:
            raw = cells[column] if column < len(cells) else ""
            waarde, error = _statline_value(raw)
            if error:
                result.problem(
                    line, f"{column_letter(column)} ({headers[column]})", error, cell_text(raw)
                )
                continue
            if waarde is None and cell_text(raw) == "":
                # An empty cell in this layout means the region did not exist that year
                # (former gemeenten after their merger): no figure rather than a withheld one.
                continue
            result.add(index, regio, periode, waarde, status, line)
    result.meta["rows"] = rows
    result.meta["periode_soort"] = (
        PeriodeSoort.JAAR.value if all(p[1].endswith("JJ00") for p in periods) else "gemengd"
    )
    return result.finish()
