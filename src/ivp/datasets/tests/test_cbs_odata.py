"""The OData JSON parser on responses in the real format."""

import json

import pytest

from ivp.datasets.sources import ImportFormatError
from ivp.datasets.sources.bundled import metadata_47018
from ivp.datasets.sources.cbs_odata import CbsMetadata, parse_typed_dataset
from ivp.datasets.sources.detect import parse_file
from ivp.datasets.tests.helpers import bundled_resolver, fixture_json, service_page


def page(rows, table="47018NED", next_link=None):
    document = {
        "odata.metadata": f"https://dataderden.cbs.nl/ODataFeed/odata/{table}/$metadata#Cbs.OData.WebAPI.TypedDataSet",
        "value": rows,
    }
    if next_link:
        document["odata.nextLink"] = next_link
    return document


def _metadata_47018(with_table_infos: bool = True) -> CbsMetadata:
    return CbsMetadata.from_responses(
        table_infos=fixture_json("47018NED/TableInfos.json") if with_table_infos else None,
        data_properties=fixture_json("47018NED/DataProperties.json"),
        dimensions={
            "Perioden": fixture_json("47018NED/Perioden.json"),
            "SoortMisdrijf": fixture_json("47018NED/SoortMisdrijf.json"),
        },
    )


GM0597_2017 = "Perioden eq '2017JJ00' and startswith(WijkenEnBuurten,'GM0597')"


def test_a_service_page_parses_with_padded_keys_and_titles():
    result = parse_typed_dataset(service_page(filter=GM0597_2017), metadata=_metadata_47018())
    assert result.ok
    assert result.meta["tabel_id"] == "47018NED"
    by_code = {result.series[r.series].code: r for r in result.records}
    assert len(by_code) == 59  # every category of the table, 0.0.0 included
    burglary = by_code["1.1.1"]
    assert (burglary.regio, burglary.periode, burglary.waarde) == ("GM0597", "2017JJ00", 118.0)
    assert result.series[burglary.series].naam == "1.1.1 Diefstal/inbraak woning"
    assert result.series[burglary.series].soort_misdrijf == "1.1.1"


def test_police_periods_marked_final_get_an_unknown_status():
    # 47018NED marks every period "Definitief" though the police revise every month; a CBS
    # table's own status is kept.
    police = parse_typed_dataset(service_page(filter=GM0597_2017), metadata=_metadata_47018())
    assert {r.status for r in police.records} == {""}
    without_infos = parse_typed_dataset(
        service_page(filter=GM0597_2017), metadata=_metadata_47018(with_table_infos=False)
    )
    assert {r.status for r in without_infos.records} == {"definitief"}


def test_hidden_sexual_offences_are_not_published_not_zero():
    result = parse_typed_dataset(service_page(filter=GM0597_2017), metadata=_metadata_47018())
    values = {result.series[r.series].code: r.waarde for r in result.records}
    assert values["1.4.1"] is None and values["3.2.1"] is None and values["3.2.2"] is None
    assert result.meta["verborgen_nullen"] == 3
    assert values["1.4.5"] is not None  # mishandeling is published


def test_filler_rows_of_a_region_without_a_name_are_skipped():
    flt = "Perioden eq '2017JJ00' and startswith(WijkenEnBuurten,'BU0597')"
    result = parse_typed_dataset(service_page(filter=flt), metadata=_metadata_47018())
    regions = {r.regio for r in result.records}
    assert "BU05979999" not in regions and "BU05970100" in regions
    assert result.meta["rijen_zonder_regionaam"] == 59


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
    flt = "Perioden eq '2017JJ00' and startswith(WijkenEnBuurten,'GM0796')"
    select = "SoortMisdrijf,WijkenEnBuurten,Perioden,GeregistreerdeMisdrijven_1"
    data = json.dumps(service_page(filter=flt, select=select)).encode()
    result = parse_file(
        data,
        filename="47018NED.json",
        resolver=bundled_resolver(),
        metadata_for=lambda t: metadata_47018() if t == "47018NED" else None,
    )
    assert result.ok and result.format == "cbs-odata-json"
    car = next(r for r in result.records if result.series[r.series].code == "1.2.1")
    assert (car.regio, car.waarde, car.status) == ("GM0796", 1259.0, "")  # police: unknown
