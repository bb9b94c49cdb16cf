"""StatLine downloads (real files from the bundle) and the general long format."""

import io

import openpyxl
import pytest

from ivp.datasets.sources import ImportFormatError
from ivp.datasets.sources.bundled import CRIME_PV, POPULATION_37230, VM_NL_PV
from ivp.datasets.sources.detect import parse_file
from ivp.datasets.sources.long_format import parse_long_format
from ivp.datasets.sources.statline_csv import parse_statline
from ivp.datasets.sources.tabular import NotANumber, parse_number
from ivp.datasets.tests.helpers import bundled_resolver


@pytest.fixture(scope="module")
def resolver():
    return bundled_resolver()


def values(result):
    return {(result.series[r.series].code, r.regio, r.periode): r.waarde for r in result.records}


def test_statline_crime_download_47013(resolver):
    result = parse_file(CRIME_PV.read_bytes(), filename=CRIME_PV.name, resolver=resolver)
    assert result.ok, result.problems[:3]
    assert result.format == "statline-csv"
    assert result.meta["tabel_id"] == "47013NED"  # "Soort misdrijf" by "Regio's"
    v = values(result)
    assert v[("0.0.0", "NL01", "2013JJ00")] == 1078439
    # "Friesland (PV)" in this download is Fryslân, PV21.
    assert ("0.0.0", "PV21", "2013JJ00") in v
    assert len(result.records) == 780


def test_statline_survey_with_decimal_comma(resolver):
    result = parse_statline(VM_NL_PV.read_bytes(), resolver=resolver, tabel_id="81877NED")
    assert result.ok
    by_name = {s.naam: i for i, s in enumerate(result.series)}
    index = by_name["Voelt zich wel eens onveilig in buurt"]
    record = next(
        r
        for r in result.records
        if r.series == index and r.regio == "NL01" and r.periode == "2013JJ00"
    )
    assert record.waarde == 18.8
    assert result.series[index].eenheid == "%"
    rapport = by_name["Rapportcijfer veiligheid in buurt"]
    assert result.series[rapport].eenheid == "rapportcijfer"


def test_statline_periods_across_layout(resolver):
    from ivp.datasets.sources.bundled import parse_population_nl_pv

    result = parse_population_nl_pv(resolver, POPULATION_37230)
    assert result.ok
    assert values(result)[("bevolking-31-december", "NL01", "2017JJ00")] == 17181084


def test_statline_47018_download_with_labels_and_markers(resolver):
    text = (
        '\ufeff"Soort misdrijf";"Wijken en buurten";"Perioden";'
        '"Geregistreerde misdrijven (aantal)";"Gemeentenaam (naam)";"Soort regio (omschrijving)"\n'
        '"1.1.1 Diefstal/inbraak woning";"Ridderkerk";"2018";"89";"Ridderkerk";"Gemeente"\n'
        '"Totaal misdrijven";"Ridderkerk";"2024*";".";"Ridderkerk";"Gemeente"\n'
        '"1.1.1 Diefstal/inbraak woning";"Centrum";"2018";"-";"Ridderkerk";"Wijk"\n'
    )
    result = parse_statline(text.encode("utf-8"), resolver=resolver)
    assert result.ok, result.problems
    assert result.meta["tabel_id"] == "47018NED"
    recs = {
        (result.series[r.series].code, r.regio, r.periode): (r.waarde, r.status)
        for r in result.records
    }
    assert recs[("1.1.1", "GM0597", "2018JJ00")] == (89.0, "")
    assert recs[("0.0.0", "GM0597", "2024JJ00")] == (None, "voorlopig")
    # "Centrum" is a wijk in many gemeenten; the Gemeentenaam column makes it unique.
    assert recs[("1.1.1", "WK059701", "2018JJ00")] == (0.0, "")  # "-" is nil in StatLine


def test_statline_bad_rows_are_all_reported(resolver):
    text = (
        '"Soort misdrijf";"Perioden";"Regio\'s";"Geregistreerde misdrijven (aantal)"\n'
        '"1.1.1 Diefstal/inbraak woning";"2018";"Ridderkerk";"89"\n'
        '"1.1.1 Diefstal/inbraak woning";"2018";"Atlantis";"3"\n'
        '"9.9.9 Bestaat niet";"2018";"Ridderkerk";"3"\n'
        '"1.1.1 Diefstal/inbraak woning";"twintig";"Ridderkerk";"abc"\n'
    )
    result = parse_statline(text.encode(), resolver=resolver)
    assert result.records == []
    assert [(p.line, p.column) for p in result.problems] == [
        (3, "Regio's"),
        (4, "Soort misdrijf"),
        (5, "Perioden"),
    ]


LONG_CSV = (
    "regio;periode;indicator;waarde;eenheid;bron\n"
    "GM0796;2017;E35 Melding overlast jeugd;912;aantal;Politie basisteam 's-Hertogenbosch\n"
    "'s-Hertogenbosch;2017;Voelt zich wel eens onveilig in buurt;18,5;%;Veiligheidsmonitor 2017\n"
    "WK079601;2018-03;Meldingen openbare ruimte;1.234,5;aantal;\n"
)


def test_long_format_csv(resolver):
    result = parse_long_format(
        LONG_CSV.encode(), resolver=resolver, dataset_name="Gemeente 's-Hertogenbosch"
    )
    assert result.ok, result.problems
    assert set(result.datasets) == {
        "eigen:politie-basisteam-s-hertogenbosch",
        "eigen:veiligheidsmonitor",
        "eigen:gemeente-s-hertogenbosch",
    }
    e35 = next(s for s in result.series if s.code == "E35")
    assert e35.incident_code == "E35" and e35.soort == "overlast"
    v = {(result.series[r.series].code, r.regio, r.periode): r.waarde for r in result.records}
    assert v[("E35", "GM0796", "2017JJ00")] == 912
    assert v[("voelt-zich-wel-eens-onveilig-in-buurt", "GM0796", "2017JJ00")] == 18.5
    assert v[("meldingen-openbare-ruimte", "WK079601", "2018MM03")] == 1234.5


def test_long_format_one_bad_row_means_nothing_and_says_where(resolver):
    bad = (
        LONG_CSV
        + "GM9999;2017;E35 Melding overlast jeugd;12;aantal;Politie\n"
        + "GM0796;2017;E35;1.234;aantal;Politie\n"
    )
    result = parse_long_format(bad.encode(), resolver=resolver)
    assert result.records == []
    assert [(p.line, p.column) for p in result.problems] == [(5, "regio"), (6, "waarde")]
    assert "onduidelijk getal" in result.problems[1].message


def test_long_format_xlsx(resolver):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Regio", "Periode", "Indicator", "Waarde"])
    sheet.append(["GM0597", 2019, "1.1.1 Diefstal/inbraak woning", 84])
    sheet.append(["GM0597", 2019, "Aantal meldingen woonoverlast", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_file(
        buffer.getvalue(), filename="eigen.xlsx", resolver=resolver, dataset_name="Eigen"
    )
    assert not result.ok
    assert (result.problems[0].line, result.problems[0].column) == (3, "Waarde")
    sheet["D3"] = 17
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_file(
        buffer.getvalue(), filename="eigen.xlsx", resolver=resolver, dataset_name="Eigen"
    )
    assert result.ok
    burglary = next(s for s in result.series if s.soort_misdrijf == "1.1.1")
    assert burglary.code == "1.1.1"


def test_unknown_format_is_refused(resolver):
    with pytest.raises(ImportFormatError):
        parse_file(b"a,b,c\n1,2,3\n", resolver=resolver)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("1,5", 1.5), ("1.5", 1.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("-3", -3)],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text", ["1.234", "1,234", "abc", "", "1" * 400, "NaN", "inf", float("inf"), float("nan")]
)
def test_parse_number_refuses(text):
    with pytest.raises(NotANumber):
        parse_number(text)
