"""A gemeente's own series, first-class (issue 14): imported in the long format, placed at a
theme by the rule table (changeable per plan), in ``other_series`` of the analysis, and
never visible to another gemeente's users."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ivp.analysis import veiligheidsbeeld as vb
from ivp.datasets import own_series, services
from ivp.datasets.sources.long_format import parse_long_format, source_name
from ivp.datasets.tests.test_ownership import world  # noqa: F401 (fixture)
from ivp.datasets.xlsx_templates import TEMPLATES

CANARY = "KANARIE eigen rapportcijfer veiligheid in de buurt"
VM_CSV = (
    "regio;periode;indicator;waarde;eenheid;bron;marge\n"
    f"GM0796;2016;{CANARY};6,9;rapportcijfer;Veiligheidsmonitor 2016;0,1\n"
    f"GM0796;2018;{CANARY};7,3;rapportcijfer;Veiligheidsmonitor 2018;0,1\n"
    "GM0796;2017;Meldingen openbare ruimte;1234;aantal;Gemeente;\n"
    "GM0796;2018;Meldingen openbare ruimte;1301;aantal;Gemeente;\n"
)


@pytest.mark.parametrize(
    ("name", "codes", "theme", "rule"),
    [
        ("Rapportcijfer veiligheid in de buurt", ("", ""), "1.4", "effectindicator"),
        ("Voelt zich wel eens onveilig in de eigen buurt", ("", ""), "1.4", "trefwoord"),
        ("Sociale overlast (totaal)", ("", ""), "1.1", "effectindicator"),
        ("E35 Melding overlast jeugd", ("", "E35"), "3.1", "incidentcode"),
        ("Diefstal uit auto", ("1.2.1", ""), "1.3", "categorie"),
        ("Meldingen openbare ruimte", ("", ""), "1.2", "trefwoord"),
        ("GIR: agressie-incidenten tegen medewerkers", ("", ""), "5.3", "trefwoord"),
        ("Verkeersongevallen met letsel", ("", ""), "4.1", "trefwoord"),
        ("Casussen Zorg- en Veiligheidshuis", ("", ""), "1.1", "trefwoord"),
        ("Aantal vergunningen", ("", ""), None, ""),
    ],
)
def test_the_rule_table_places_a_series_at_a_theme(name, codes, theme, rule):
    choice = own_series.suggest_theme(name, *codes)
    assert (choice.theme, choice.rule) == (theme, rule)
    assert choice.why  # every placement says why


def test_editions_of_a_source_form_one_series():
    assert source_name("Veiligheidsmonitor 2019") == "Veiligheidsmonitor"
    assert source_name("Veiligheidsmonitor (2021)") == "Veiligheidsmonitor"
    assert source_name("Politie basisteam 's-Hertogenbosch") == "Politie basisteam 's-Hertogenbosch"


def test_long_format_comma_separated_with_margins(db, bundle):
    text = (
        "regio,periode,indicator,waarde,eenheid,bron,marge\n"
        'GM0796,2017,Rapportcijfer veiligheid in de buurt,"7,4",rapportcijfer,VM 2017,"0,2"\n'
        "GM0796,2019,Rapportcijfer veiligheid in de buurt,7.6,rapportcijfer,VM 2019,0.2\n"
    )
    result = parse_long_format(text.encode(), resolver=services.region_resolver())
    assert result.ok, result.problems
    got = {(result.series[r.series].code, r.periode): r.waarde for r in result.records}
    assert got == {
        ("rapportcijfer-veiligheid-in-de-buurt", "2017JJ00"): 7.4,
        ("rapportcijfer-veiligheid-in-de-buurt|marge", "2017JJ00"): 0.2,
        ("rapportcijfer-veiligheid-in-de-buurt", "2019JJ00"): 7.6,
        ("rapportcijfer-veiligheid-in-de-buurt|marge", "2019JJ00"): 0.2,
    }
    assert set(result.datasets) == {"eigen:vm"}


def test_a_negative_margin_is_refused_and_nothing_is_read(db, bundle):
    text = "regio;periode;indicator;waarde;marge\nGM0796;2017;Rapportcijfer;7,4;-0,2\n"
    result = parse_long_format(text.encode(), resolver=services.region_resolver())
    assert result.records == [] and result.problems[0].column == "marge"


@pytest.fixture
def bosch_vm(db, world):  # noqa: F811
    run = services.import_file(
        VM_CSV.encode(),
        "vm.csv",
        user=world["users"]["bosch-coordinator"],
        owner=world["bosch"],
    )
    assert run.status == "opgeslagen", run.problems
    return world


def _theme(document: dict, code: str) -> dict:
    return next(t for t in document["themes"] if t["code"] == code)


def test_own_survey_figure_is_under_its_theme_with_margins_and_a_verdict(bosch_vm):
    from ivp.analysis.cli import readable

    picture = vb.build("GM0796", 2018, with_wijken=False)
    text = readable(picture)
    assert "Andere bronnen per thema" in text
    assert "2016: 6,9 ± 0,1; 2018: 7,3 ± 0,1  → hoger" in text
    document = vb.to_json(picture)
    [series] = _theme(document, "1.4")["other_series"]
    assert series["indicator"] == CANARY
    assert series["source"] == "Veiligheidsmonitor"
    assert series["values"] == {"2016": 6.9, "2018": 7.3}
    assert series["margins"] == {"2016": 0.1, "2018": 0.1}
    assert series["own"] is True and series["link"].startswith("eigen:GM0796:")
    # 7,3 − 6,9 = 0,4 > √(0,1² + 0,1²) ≈ 0,14: a demonstrable rise
    assert series["change"]["verdict"] == "hoger" and series["change"]["significant"]
    [meldingen] = _theme(document, "1.2")["other_series"]
    assert meldingen["values"] == {"2017": 1234, "2018": 1301} and meldingen["margins"] is None
    assert meldingen["change_prev_year"]["verdict"]  # counts: the overdispersion-aware test


def test_a_plan_moves_an_own_series_to_another_theme(bosch_vm):
    plan = bosch_vm["plan"]
    key = next(s.key for s in own_series.other_series("GM0796") if s.indicator == CANARY)
    with pytest.raises(PermissionDenied):
        services.set_series_theme(
            plan, by=bosch_vm["users"]["bosch-lezer"], series_key=key, theme="1.1"
        )
    services.set_series_theme(
        plan, by=bosch_vm["users"]["bosch-coordinator"], series_key=key, theme="1.1"
    )
    choices = own_series.plan_choices(plan)
    picture = vb.build("GM0796", 2018, with_wijken=False, series_themes=choices)
    assert [o.indicator for o in picture.theme("1.1").other_series] == [CANARY]
    assert picture.theme("1.4").other_series == ()
    assert picture.theme("1.1").other_series[0].theme_rule == "plan"
    with pytest.raises(ValueError):
        services.set_series_theme(
            plan, by=bosch_vm["users"]["bosch-coordinator"], series_key=key, theme="9.9"
        )


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("bosch-lezer", True),
        ("bosch-member", True),
        ("super", True),
        ("adam-coordinator", False),
        ("adam-lezer", False),
    ],
)
def test_own_series_never_reach_another_gemeentes_users(bosch_vm, client, who, sees):
    user = bosch_vm["users"][who]
    assert any(s.indicator == CANARY for s in own_series.other_series("GM0796", user=user)) is sees
    client.force_login(user)
    # the analysis JSON over the API
    response = client.get("/api/v1/veiligheidsbeeld/GM0796/?jaar=2018")
    assert response.status_code == 200
    assert (CANARY in json.dumps(response.json(), ensure_ascii=False)) is sees
    # step 2 of the plan of 's-Hertogenbosch
    page = client.get(reverse("veiligheidsanalyse:veld", args=[bosch_vm["plan"].pk, "1"]))
    if sees:
        assert page.status_code == 200
    else:
        assert page.status_code == 404
        assert CANARY not in page.content.decode()


def test_command_line_imports_for_an_owner(bosch_vm, tmp_path, capsys):
    from ivp.cli.main import main

    path = tmp_path / "vm.csv"
    path.write_text(VM_CSV.replace("GM0796", "GM0363"), encoding="utf-8")
    assert main(["data", "import", str(path), "--owner", "GM0363"]) == 0
    mine = [s for s in own_series.other_series("GM0363") if s.indicator == CANARY]
    assert mine and mine[0].dataset.startswith("GM0363:")
    # 's-Hertogenbosch's picture still holds only its own copy
    bosch = [s for s in own_series.other_series("GM0796") if s.indicator == CANARY]
    assert [s.dataset.split(":")[0] for s in bosch] == ["GM0796"]


# -- the information position and the templates -------------------------------------------


def test_information_position_counts_themes_and_names_sources_for_empty_ones(bosch_vm, client):
    from ivp.datasets.coverage import coverage

    before = coverage("GM0796", user=bosch_vm["users"]["bosch-lezer"])
    by_code = {t.code: t for t in before.themes}
    assert len(before.themes) == 22
    assert [o.indicator for o in by_code["1.4"].other] == [CANARY]
    assert by_code["1.3"].police  # bundled 47018NED categories
    assert not by_code["5.4"].has_figures and by_code["5.4"].handbook_sources
    assert "gir" in by_code["5.3"].templates
    client.force_login(bosch_vm["users"]["bosch-lezer"])
    page = client.get(reverse("datasets:informatiepositie", args=["GM0796"]))
    text = page.content.decode()
    assert page.status_code == 200
    assert f"{before.themes_with_figures} van de 22 thema" in text
    assert CANARY in text and "ENSIA" in text
    assert reverse("datasets:template", args=["gir"]) in text


def test_another_gemeentes_information_position_does_not_exist(bosch_vm, client):
    client.force_login(bosch_vm["users"]["adam-coordinator"])
    page = client.get(reverse("datasets:informatiepositie", args=["GM0796"]))
    assert page.status_code == 404 and CANARY not in page.content.decode()
    # nor can its plan's theme choice be set from outside
    response = client.post(
        reverse("datasets:series_theme", args=["GM0796"]),
        {"plan": bosch_vm["plan"].pk, "reeks": "x", "thema": "1.1"},
    )
    assert response.status_code == 404


def test_the_plan_chooses_a_theme_on_the_information_page(bosch_vm, client):
    plan = bosch_vm["plan"]
    key = next(s.key for s in own_series.other_series("GM0796") if s.indicator == CANARY)
    client.force_login(bosch_vm["users"]["bosch-coordinator"])
    url = reverse("datasets:series_theme", args=["GM0796"])
    response = client.post(url, {"plan": plan.pk, "reeks": key, "thema": "3.1"})
    assert response.status_code == 302
    assert own_series.plan_choices(plan) == {key: "3.1"}
    client.post(url, {"plan": plan.pk, "reeks": key, "thema": "standaard"})
    assert own_series.plan_choices(plan) == {}
    client.force_login(bosch_vm["users"]["bosch-lezer"])
    assert client.post(url, {"plan": plan.pk, "reeks": key, "thema": "3.1"}).status_code == 403
    assert own_series.plan_choices(plan) == {}


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_a_filled_template_reads_back_and_its_example_is_never_read(bosch_vm, client, key):
    import io

    from openpyxl import load_workbook

    from ivp.xlsx import append_row

    client.force_login(bosch_vm["users"]["bosch-coordinator"])
    response = client.get(reverse("datasets:template", args=[key]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Cijfers", "Voorbeeld", "Toelichting"]
    example = [c.value for c in book["Voorbeeld"][3]]
    assert "VOORBEELD" in book["Voorbeeld"]["A1"].value
    assert any(v not in (None, "") for v in example)
    template = TEMPLATES[key]
    row = {
        "regio": "GM0796",
        "periode": "2024",
        "indicator": template.indicators[0],
        "waarde": "7,5" if template.margins else 17,
        "marge": "0,2",
        "eenheid": "rapportcijfer" if template.margins else "aantal",
        "bron": f"{template.source} 2024",
        "status": "definitief",
    }
    append_row(book["Cijfers"], [row[c] for c in template.columns])
    out = io.BytesIO()
    book.save(out)
    run = services.import_file(
        out.getvalue(),
        "ingevuld.xlsx",
        user=bosch_vm["users"]["bosch-coordinator"],
        owner=bosch_vm["bosch"],
    )
    assert run.status == "opgeslagen", run.problems
    assert run.created == (2 if template.margins else 1)  # the example row is not read
    found = [s for s in own_series.other_series("GM0796") if s.indicator == template.indicators[0]]
    assert found and found[0].values[2024] == (7.5 if template.margins else 17)
    assert found[0].theme.theme  # every template's first indicator lands at a theme
