"""Hypothesis fuzzing of every import parser in ``datasets/sources/``: whatever bytes,
JSON or table a user sends, no exception escapes but the parsers' own
(:class:`ImportFormatError`, :class:`TableReadError`, :class:`NotANumber`); every other
problem is a reported problem, never a crash (TypeError, RecursionError, …)."""

from __future__ import annotations

import contextlib
import json
import os

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ivp.datasets.sources import ImportFormatError, ParseResult
from ivp.datasets.sources.cbs_odata import load_json, looks_like_odata, parse_typed_dataset
from ivp.datasets.sources.detect import parse_file
from ivp.datasets.sources.long_format import parse_long_format
from ivp.datasets.sources.statline_csv import parse_statline
from ivp.datasets.sources.tabular import (
    NotANumber,
    Table,
    TableReadError,
    parse_number,
    read_csv,
    read_table,
)
from ivp.datasets.tests.helpers import bundled_resolver as _bundled_resolver

_RESOLVER = []


def bundled_resolver():
    """One resolver for the whole module (building it takes a while)."""
    if not _RESOLVER:
        _RESOLVER.append(_bundled_resolver())
    return _RESOLVER[0]


OWN_ERRORS = (ImportFormatError, TableReadError, NotANumber)
FUZZ = settings(
    max_examples=int(os.environ.get("IVP_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no slow shrinking in CI
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(
        ["GM0796", "GM0597  ", "NL00", "2018JJ00", "2018MM13", "1.1.1 ", ".", "", "\x00"]
    )
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
KEYS = [
    "SoortMisdrijf",
    "WijkenEnBuurten",
    "RegioS",
    "Perioden",
    "GeregistreerdeMisdrijven_1",
    "TotaalGeregistreerdeMisdrijven_1",
    "Gemeentenaam_2",
    "ID",
]
rows = st.dictionaries(st.sampled_from(KEYS), json_values, max_size=len(KEYS))
pages = st.fixed_dictionaries(
    {
        "odata.metadata": st.sampled_from(
            [
                "https://dataderden.cbs.nl/ODataApi/OData/47018NED/$metadata#Cbs.OData.WebAPI.TypedDataSet",
                "https://opendata.cbs.nl/ODataApi/odata/70072ned/$metadata",
                "",
            ]
        )
        | st.text(max_size=10),
        "value": st.lists(rows, max_size=6) | json_values,
    }
)


def _result_ok(result: ParseResult) -> None:
    assert isinstance(result, ParseResult)
    assert not (result.problems and result.records)  # all or nothing


@FUZZ
@given(st.binary(max_size=400))
def test_parse_file_on_any_bytes(data):
    with contextlib.suppress(OWN_ERRORS):
        _result_ok(parse_file(data, filename="x.csv", resolver=bundled_resolver()))


@FUZZ
@given(st.one_of(pages, st.lists(pages, max_size=3), json_values))
def test_odata_json_of_any_shape(document):
    data = json.dumps(document).encode()
    with contextlib.suppress(OWN_ERRORS):
        _result_ok(parse_file(data, filename="x.json", resolver=bundled_resolver()))
    if looks_like_odata(document):
        with contextlib.suppress(OWN_ERRORS):
            _result_ok(parse_typed_dataset([document]))


def test_deeply_nested_json_is_a_format_error():
    for text in ("[" * 50_000 + "]" * 50_000, '{"value": ' * 50_000 + "1" + "}" * 50_000):
        try:
            load_json(text.encode())
        except ImportFormatError as error:
            assert "diep" in str(error) or "JSON" in str(error)
        with contextlib.suppress(ImportFormatError):
            parse_file(text.encode(), resolver=bundled_resolver())


cells = st.one_of(
    st.none(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["GM0796", "2018", "2018-03", "2018-Q1", "1.234", "-5", "12,5", "x", "\x00"]),
)
LONG_HEADERS = ["regio", "periode", "indicator", "waarde", "eenheid", "bron", "status"]
STATLINE_HEADERS = ["Soort misdrijf", "Perioden", "Regio's", "Geregistreerde misdrijven (aantal)"]


def _tables(headers):
    return st.lists(st.lists(cells, min_size=0, max_size=len(headers) + 2), max_size=6).map(
        lambda body: Table([(1, list(headers))] + [(i + 2, r) for i, r in enumerate(body)], "csv")
    )


@FUZZ
@given(_tables(LONG_HEADERS))
def test_long_format_tables(table):
    with contextlib.suppress(OWN_ERRORS):
        _result_ok(parse_long_format(table, resolver=bundled_resolver(), dataset_name="x"))


@FUZZ
@given(_tables(STATLINE_HEADERS), st.sampled_from([None, "47018NED", "47013NED", "99999XXX"]))
def test_statline_tables(table, tabel_id):
    with contextlib.suppress(OWN_ERRORS):
        _result_ok(parse_statline(table, resolver=bundled_resolver(), tabel_id=tabel_id))


@FUZZ
@given(
    st.lists(
        st.lists(
            st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=8), max_size=7
        ),
        max_size=6,
    ),
    st.sampled_from([";", ",", "\t"]),
)
def test_csv_text(rows_, delimiter):
    text = "\n".join(delimiter.join(r) for r in rows_)
    try:
        read_csv(text.encode("utf-8"))
        table = read_table(text.encode("utf-8"), "x.csv")
        parse_long_format(table, resolver=bundled_resolver(), dataset_name="x")
    except OWN_ERRORS:
        pass


@FUZZ
@given(cells)
def test_numbers(value):
    with contextlib.suppress(OWN_ERRORS):
        parse_number(value)


def test_negative_counts_and_nul_bytes_are_refused():
    resolver = bundled_resolver()
    negative = b"regio;periode;indicator;waarde\nGM0796;2017;E35 Melding overlast jeugd;-5\n"
    result = parse_file(negative, filename="x.csv", resolver=resolver)
    assert not result.ok and "negatief" in str(result.problems[0])
    nul = b"regio;periode;indicator;waarde\nGM0796;2017;E35 Melding\x00 overlast;5\n"
    try:
        result = parse_file(nul, filename="x.csv", resolver=resolver)
        assert not result.ok and "NUL" in str(result.problems[0])
    except ImportFormatError as error:
        assert "NUL" in str(error)
    page = {
        "odata.metadata": "https://dataderden.cbs.nl/ODataApi/OData/47018NED/$metadata",
        "value": [
            {
                "SoortMisdrijf": "1.1.1",
                "WijkenEnBuurten": "GM0796",
                "Perioden": "2018JJ00",
                "GeregistreerdeMisdrijven_1": -3,
            }
        ],
    }
    result = parse_file(json.dumps(page).encode(), filename="x.json", resolver=resolver)
    assert not result.ok and "negatief" in str(result.problems[0])
