"""The OData JSON parser on responses in the real format."""

import json

import pytest

from ivp.datasets.sources import ImportFormatError
from ivp.datasets.sources.bundled import metadata_47018
from ivp.datasets.sources.cbs_odata import CbsMetadata, parse_typed_dataset
from ivp.datasets.sources.detect import parse_file
from ivp.datasets.tests.helpers import bundled_resolver, fixture_json


def page(rows, table="47018NED", next_link=None):
    document = {
        "odata.metadata": f"https://dataderden.cbs.nl/ODataFeed/odata/{table}/$metadata#Cbs.OData.WebAPI.TypedDataSet",
        "value": rows,
    }
    if next_link:
        document["odata.nextLink"] = next_link
    return document


def test_recorded_page_parses_with_padded_keys_and_status():
    metadata = CbsMetadata.from_responses(
        data_properties=fixture_json("47018NED/DataProperties.json"),
        dimensions={
            "Perioden": fixture_json("47018NED/Perioden.json"),
            "SoortMisdrijf": fixture_json("47018NED/SoortMisdrijf.json"),
        },
    )
    result = parse_typed_dataset(
        fixture_json("47018NED/TypedDataSet_GM0597_2016.json"), metadata=metadata
    )
    assert result.ok
    assert result.meta["tabel_id"] == "47018NED"
    by_code = {result.series[r.series].code: r for r in result.records}
    burglary = by_code["1.1.1"]
    assert (burglary.regio, burglary.periode, burglary.waarde) == ("GM0597", "2016JJ00", 138.0)
    assert burglary.status == "definitief"
    assert result.series[burglary.series].naam == "1.1.1 Diefstal/inbraak woning"
    assert result.series[burglary.series].soort_misdrijf == "1.1.1"


def test_null_is_withheld_not_zero_and_rollups_stay_separate():
    result = parse_typed_dataset(
        page(
            [
                {
                    "SoortMisdrijf": "0.0.0 ",
                    "WijkenEnBuurten": "GM0597    ",
                    "Perioden": "2018JJ00",
                    "GeregistreerdeMisdrijven_1": 10,
                },
                {
                    "SoortMisdrijf": "1.4.2 ",
                    "WijkenEnBuurten": "BU05970101",
                    "Perioden": "2018JJ00",
                    "GeregistreerdeMisdrijven_1": None,
                },
                {
                    "SoortMisdrijf": "1.4.2 ",
                    "WijkenEnBuurten": "NL00      ",
                    "Perioden": "2018MM01",
                    "GeregistreerdeMisdrijven_1": 3,
                },
            ]
        )
    )
    assert result.ok
    values = {(result.series[r.series].code, r.regio, r.periode): r.waarde for r in result.records}
    assert values[("0.0.0", "GM0597", "2018JJ00")] == 10.0
    assert values[("1.4.2", "BU05970101", "2018JJ00")] is None
    # 47018NED calls the Netherlands NL00; ivp stores NL01 like the other tables.
    assert values[("1.4.2", "NL01", "2018MM01")] == 3.0


def test_string_topics_are_not_figures():
    result = parse_typed_dataset(
        page(
            [
                {
                    "ID": 5,
                    "SoortMisdrijf": "1.1.1 ",
                    "WijkenEnBuurten": "GM0597    ",
                    "Perioden": "2018JJ00",
                    "GeregistreerdeMisdrijven_1": 89,
                    "Gemeentenaam_2": "Ridderkerk       ",
                    "SoortRegio_3": "Gemeente  ",
                }
            ]
        )
    )
    assert [result.series[r.series].code for r in result.records] == ["1.1.1"]


def test_untyped_dataset_values_are_strings():
    result = parse_typed_dataset(
        page(
            [
                {
                    "SoortMisdrijf": "1.1.1 ",
                    "WijkenEnBuurten": "GM0597    ",
                    "Perioden": "2018JJ00",
                    "GeregistreerdeMisdrijven_1": "      89",
                },
                {
                    "SoortMisdrijf": "1.1.2 ",
                    "WijkenEnBuurten": "GM0597    ",
                    "Perioden": "2018JJ00",
                    "GeregistreerdeMisdrijven_1": "       .",
                },
            ]
        )
    )
    assert [r.waarde for r in result.records] == [89.0, None]


def test_every_problem_with_its_row_and_nothing_partial():
    result = parse_typed_dataset(
        page(
            [
                {
                    "SoortMisdrijf": "1.1.1 ",
                    "WijkenEnBuurten": "GM0597    ",
                    "Perioden": "2018JJ00",
                    "GeregistreerdeMisdrijven_1": 89,
                },
                {
                    "SoortMisdrijf": "1.1.1 ",
                    "WijkenEnBuurten": "Ridderkerk",
                    "Perioden": "2018JJ00",
                    "GeregistreerdeMisdrijven_1": 1,
                },
                {
                    "SoortMisdrijf": "1.1.1 ",
                    "WijkenEnBuurten": "GM0597    ",
                    "Perioden": "2018XX00",
                    "GeregistreerdeMisdrijven_1": 1,
                },
                {
                    "SoortMisdrijf": "1.1.2 ",
                    "WijkenEnBuurten": "GM0597    ",
                    "Perioden": "2018JJ00",
                    "GeregistreerdeMisdrijven_1": "veel",
                },
            ]
        )
    )
    assert not result.ok
    assert result.records == []
    assert [(p.line, p.column) for p in result.problems] == [
        (2, "WijkenEnBuurten"),
        (3, "Perioden"),
        (4, "GeregistreerdeMisdrijven_1"),
    ]


def test_duplicate_figure_in_one_file_is_a_problem():
    row = {
        "SoortMisdrijf": "1.1.1 ",
        "WijkenEnBuurten": "GM0597    ",
        "Perioden": "2018JJ00",
        "GeregistreerdeMisdrijven_1": 89,
    }
    result = parse_typed_dataset(page([row, dict(row)]))
    assert not result.ok
    assert result.problems[0].line == 2
    assert "regel 1" in result.problems[0].message


def test_not_odata_is_refused():
    with pytest.raises(ImportFormatError):
        parse_typed_dataset({"value": []})
    with pytest.raises(ImportFormatError):
        parse_file(b'{"foo": 1}', resolver=bundled_resolver())


def test_detect_reads_a_saved_api_response_with_bundled_metadata():
    data = json.dumps(fixture_json("47018NED/TypedDataSet_GM0796_2017.json")).encode()
    result = parse_file(
        data,
        filename="47018NED.json",
        resolver=bundled_resolver(),
        metadata_for=lambda t: metadata_47018() if t == "47018NED" else None,
    )
    assert result.ok and result.format == "cbs-odata-json"
    car = next(r for r in result.records if result.series[r.series].code == "1.2.1")
    assert (car.regio, car.waarde, car.status) == ("GM0796", 1259.0, "definitief")
