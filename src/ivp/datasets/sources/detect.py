"""Recognise what a file is and parse it: CBS OData JSON, a StatLine download, or the
general long format. One entry point for the web upload, ``ivp data import`` and tests."""

from __future__ import annotations

from collections.abc import Callable

from ivp.datasets.sources import ImportFormatError, ParseResult, guarded
from ivp.datasets.sources.cbs_odata import (
    CbsMetadata,
    load_json,
    looks_like_odata,
    parse_typed_dataset,
    table_id_from_metadata_url,
)
from ivp.datasets.sources.long_format import looks_like_long_format, parse_long_format
from ivp.datasets.sources.regions import RegionResolver
from ivp.datasets.sources.statline_csv import looks_like_statline, parse_statline
from ivp.datasets.sources.tabular import TableReadError, read_table

FORMATS = {
    "cbs-odata-json": "CBS-OData (JSON van de CBS-API)",
    "statline-csv": "StatLine-download (CSV/Excel)",
    "lang-formaat": "Algemeen formaat (regio, periode, indicator, waarde)",
}


@guarded
def parse_file(
    data: bytes,
    *,
    filename: str = "",
    resolver: RegionResolver,
    tabel_id: str | None = None,
    dataset_name: str = "",
    metadata_for: Callable[[str], CbsMetadata | None] | None = None,
) -> ParseResult:
    """Parse ``data``; raise :class:`ImportFormatError` when the format is not recognised.

    ``metadata_for(tabel_id)`` supplies the table's metadata (period status, category
    titles) for an OData page that came without it.
    """
    if not data or not data.strip():
        raise ImportFormatError("het bestand is leeg")
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        document = load_json(data)
        pages = document if isinstance(document, list) else [document]
        if not pages or not all(looks_like_odata(p) for p in pages):
            raise ImportFormatError(
                "dit JSON-bestand is geen antwoord van de CBS-OData-API (verwacht "
                "‘odata.metadata’ en ‘value’)"
            )
        found = tabel_id or table_id_from_metadata_url(pages[0].get("odata.metadata", ""))
        metadata = metadata_for(found) if (metadata_for and found) else None
        return parse_typed_dataset(pages, tabel_id=tabel_id, metadata=metadata)
    try:
        table = read_table(data, filename)
    except TableReadError as error:
        raise ImportFormatError(str(error)) from error
    if looks_like_long_format(table):
        return parse_long_format(table, resolver=resolver, dataset_name=dataset_name)
    if looks_like_statline(table):
        return parse_statline(table, resolver=resolver, tabel_id=tabel_id)
    raise ImportFormatError(
        "onbekend formaat: verwacht JSON van de CBS-API, een StatLine-download (CSV met een "
        "kolom ‘Perioden’) of het algemene formaat met de kolommen regio, periode, indicator "
        "en waarde"
    )
