"""Step 5: implementation plans, measures, follow-up plans and the XLSX round trip."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from ivp.beleidsplan import services as bp
from ivp.uitvoering import services, spreadsheet
from ivp.uitvoering.models import Maatregel, Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def up(plan, coordinator):
    """An implementation plan 2027 with two priorities, a cluster and four measures."""
    wijken = bp.add_prioriteit(plan, by=coordinator, titel="Veilige wijken", themas=["1.3"])
    jeugd = bp.add_prioriteit(plan, by=coordinator, titel="Jeugd", themas=["3.1"])
    ondernemen = bp.add_overig_thema(plan, by=coordinator, titel="Ondernemen", themas=["2.1"])
    up = services.create_uitvoeringsplan(plan, by=coordinator, jaar=2027)
    preventie = services.add_onderdeel(up, by=coordinator, titel="Preventie", prioriteit=wijken)
    services.add_maatregel(
        preventie,
        by=coordinator,
        titel="Buurtpreventie-apps",
        bestuurlijk_trekker="Burgemeester",
        partners="Wijkteams, Communicatie; Politie",
        planning="jaar",
        planning_jaar=2027,
        planning_vervolg=True,
        budget=Decimal("12500"),
        budget_bron="Programma veiligheid",
    )
    services.add_maatregel(
        preventie, by=coordinator, titel="Inbraakpreventie", status="gereed", budget=7500
    )
    dader = services.add_onderdeel(up, by=coordinator, titel="Daderaanpak", prioriteit=jeugd)
    services.add_maatregel(dader, by=coordinator, titel="Groepsaanpak", status="lopend")
    winkel = services.add_onderdeel(up, by=coordinator, titel="Toezicht", overig_thema=ondernemen)
    services.add_maatregel(winkel, by=coordinator, titel="Winkelstraatmanagement", budget=2000)
    return up


def test_measures_keep_leads_partners_planning_and_the_partner_list_grows(up, plan):
    measure = Maatregel.objects.get(titel="Buurtpreventie-apps")
    # one list, in the order written, each name once (a column "a, b; c" is three names)
    assert measure.partners == ["Wijkteams", "Communicatie", "Politie"]
    assert measure.planning_tekst == "2027 e.v."
    assert set(Partner.objects.values_list("naam", flat=True)) >= {"Wijkteams", "Politie"}
    # a new name is remembered unmarked: intern or extern is never forced
    assert Partner.objects.get(naam="Wijkteams").soort == ""
    services.mark_partner(
        plan, by=plan.rollen.get(rol="coordinator").user, naam="Politie", soort="extern"
    )
    suggestions = services.partner_suggestions(plan, measure.onderdeel.prioriteit)
    assert "Politie" in suggestions["extern"] and "Wijkteams" in suggestions[""]
    assert len(suggestions["extern"]) > 1  # the catalogue's partners of theme 1.3 too


def test_planning_in_the_plans_own_words_is_kept_beside_the_structured_kinds(up, coordinator):
    item = up.onderdelen.get(titel="Preventie")
    measure = services.add_maatregel(
        item, by=coordinator, titel="Cameratoezicht", planning="vrij", planning_vrij="2019 e.v."
    )
    assert measure.planning_tekst == "2019 e.v."
    with pytest.raises(ValidationError):
        services.add_maatregel(item, by=coordinator, titel="Leeg", planning="vrij")
    # a planning ivp does not recognise is kept as written, never refused
    assert spreadsheet.read_planning("doorlopend/2019 e.v.") == {
        "planning": "vrij",
        "planning_jaar": None,
        "planning_vervolg": False,
        "planning_kwartaal": None,
        "start": None,
        "eind": None,
        "planning_vrij": "doorlopend/2019 e.v.",
    }
    assert spreadsheet.read_planning("Q2 2027")["planning"] == "kwartaal"


def test_the_same_catalogue_measure_under_two_sections_is_signalled(up, coordinator):
    wijken = up.onderdelen.get(titel="Preventie")
    winkel = up.onderdelen.get(titel="Toezicht")
    code = services.catalogue_measures(winkel.overig_thema)[0][0]
    services.add_maatregel(wijken, by=coordinator, titel="Een", catalogus_id=code)
    assert services.duplicate_catalogue_measures(up) == []  # once is fine
    services.add_maatregel(winkel, by=coordinator, titel="Twee", catalogus_id=code)
    assert services.duplicate_catalogue_measures(up) == [
        (code, ["Veilige wijken / Preventie", "Ondernemen / Toezicht"])
    ]


def test_budgets_add_up_per_theme_and_overall(up):
    per, overall = services.budgets(up)
    assert overall.total == Decimal("22000")
    wijken = up.plan.prioriteiten.get(titel="Veilige wijken")
    assert per[("prioriteit", wijken.pk)].total == Decimal("20000")
    assert overall.without_amount == ["Groepsaanpak"]


def test_a_catalogue_measure_keeps_its_origin(up, coordinator):
    item = up.onderdelen.get(titel="Preventie")
    offered = services.catalogue_measures(item.prioriteit)
    assert any(code.startswith("A1.") for code, _t, _w in offered)  # field 1: per aspect
    measure = services.add_from_catalogue(item, by=coordinator, catalogus_id=offered[0][0])
    assert measure.catalogus_id == offered[0][0]
    with pytest.raises(ValidationError):
        services.add_from_catalogue(item, by=coordinator, catalogus_id="4.4-m01")


def test_stale_edit_and_viewer_are_refused(up, coordinator, make_member):
    measure = Maatregel.objects.get(titel="Groepsaanpak")
    read = measure.version
    services.update_part(measure, by=coordinator, expected_version=read, status="vertraagd")
    with pytest.raises(services.StaleEditError) as error:
        services.update_part(measure, by=coordinator, expected_version=read, status="gereed")
    assert error.value.current.status == "vertraagd"
    with pytest.raises(PermissionDenied):
        services.add_maatregel(measure.onderdeel, by=make_member("lezer"), titel="x")


def test_follow_up_copies_running_measures_and_looks_back(up, coordinator):
    nxt = services.follow_up(up, by=coordinator)
    assert nxt.jaar == 2028 and nxt.vorig == up
    titles = set(
        Maatregel.objects.filter(onderdeel__uitvoeringsplan=nxt).values_list("titel", flat=True)
    )
    assert "Inbraakpreventie" not in titles  # finished: dropped
    assert {"Buurtpreventie-apps", "Groepsaanpak", "Winkelstraatmanagement"} <= titles
    copy = Maatregel.objects.get(onderdeel__uitvoeringsplan=nxt, titel="Groepsaanpak")
    assert copy.overgenomen_van.onderdeel.uitvoeringsplan == up
    assert "Van de 4 maatregelen" in nxt.terugblik and "1 gereed" in nxt.terugblik
    with pytest.raises(ValidationError):
        services.follow_up(up, by=coordinator)  # 2028 exists


def test_year_outside_the_plan_is_refused(plan, coordinator):
    with pytest.raises(ValidationError, match="buiten de looptijd"):
        services.create_uitvoeringsplan(plan, by=coordinator, jaar=2035)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("doorlopend", {"planning": "doorlopend"}),
        ("2027 e.v.", {"planning": "jaar", "planning_jaar": 2027, "planning_vervolg": True}),
        ("Q2 2027", {"planning": "kwartaal", "planning_kwartaal": 2, "planning_jaar": 2027}),
        ("3e kwartaal 2028", {"planning": "kwartaal", "planning_kwartaal": 3}),
        ("1-3-2027 t/m 30-6-2028", {"planning": "periode"}),
    ],
)
def test_planning_texts_as_plans_write_them(text, expected):
    parsed = spreadsheet.parse_planning(text)
    assert {k: parsed[k] for k in expected} == expected


def test_dutch_amounts():
    assert spreadsheet.parse_budget("€ 12.500") == Decimal("12500.00")
    assert spreadsheet.parse_budget("12.500,50") == Decimal("12500.50")
    assert spreadsheet.parse_budget(7500) == Decimal("7500.00")
    with pytest.raises(ValueError):
        spreadsheet.parse_budget("veel")


def _edit(data: bytes, edits: dict[tuple[int, str], object], append=None) -> bytes:
    book = load_workbook(io.BytesIO(data))
    sheet = book[spreadsheet.SHEET]
    for (row, field), value in edits.items():
        sheet[f"{spreadsheet.LETTER[field]}{row}"] = value
    if append:
        sheet.append(append)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_round_trip_shows_differences_and_applies_only_when_asked(up, coordinator):
    data = spreadsheet.export_xlsx(up)
    assert spreadsheet.read_xlsx(up, data).changes == []  # untouched sheet: nothing to do
    sheet = load_workbook(io.BytesIO(data))[spreadsheet.SHEET]
    title = spreadsheet.LETTER["titel"]
    row = next(
        r for r in range(2, sheet.max_row + 1) if sheet[f"{title}{r}"].value == "Groepsaanpak"
    )
    new_row = [
        None,
        None,
        "Jeugd",
        "Preventie",
        "Scholen",
        "Voorlichting op scholen",
        "",
        "Wethouder Jeugd",
        "",
        "Onderwijs, Halt",
        "Q3 2027",
        "",
        "",
        "€ 1.500",
        "",
        "gepland",
        "",
    ]
    edited = _edit(data, {(row, "bestuurlijk_trekker"): "Wethouder Zorg"}, append=new_row)
    report = spreadsheet.read_xlsx(up, edited)
    assert report.ok
    kinds = sorted(c.kind for c in report.changes)
    assert kinds == ["gewijzigd", "nieuw"]
    changed = next(c for c in report.changes if c.kind == "gewijzigd")
    assert changed.changed == {"bestuurlijk_trekker": ("", "Wethouder Zorg")}
    assert Maatregel.objects.get(titel="Groepsaanpak").bestuurlijk_trekker == ""  # not yet
    spreadsheet.apply_xlsx(up, edited, by=coordinator)
    assert Maatregel.objects.get(titel="Groepsaanpak").bestuurlijk_trekker == "Wethouder Zorg"
    added = Maatregel.objects.get(titel="Voorlichting op scholen")
    assert added.onderdeel.titel == "Preventie" and added.onderdeel.prioriteit.titel == "Jeugd"
    assert added.budget == Decimal("1500.00") and added.planning_tekst == "Q3 2027"
    assert added.partners == ["Onderwijs", "Halt"] and added.subgroep == "Scholen"
    assert spreadsheet.read_xlsx(up, spreadsheet.export_xlsx(up)).changes == []


def test_sections_are_matched_by_number_first_and_a_near_match_is_shown_for_confirmation(
    up, coordinator
):
    data = spreadsheet.export_xlsx(up)
    sheet = load_workbook(io.BytesIO(data))[spreadsheet.SHEET]
    owner = spreadsheet.LETTER["thema"]
    assert sheet[f"{owner}2"].value == "4.1 Veilige wijken"  # numbered as in the IVP
    edited = _edit(
        data,
        {
            (2, "thema"): "4.1 Veilige wijk",  # a letter off, but the number is right
            (3, "thema"): "Veilige wijkn",  # no number, nearly the title
        },
    )
    report = spreadsheet.read_xlsx(up, edited)
    assert report.ok and report.changes == []  # read as the same sections
    assert any(n.startswith(f"{owner}2:") and "op nummer" in n for n in report.notices)
    assert any(n.startswith(f"{owner}3:") and "bijna gelijk" in n for n in report.notices)
    far = _edit(data, {(2, "thema"): "Iets heel anders"})
    assert any(e.startswith(f"{owner}2:") for e in spreadsheet.read_xlsx(up, far).errors)


def test_a_sheet_with_the_old_partner_columns_still_reads(up):
    data = spreadsheet.export_xlsx(up)
    book = load_workbook(io.BytesIO(data))
    sheet = book[spreadsheet.SHEET]
    column = spreadsheet.LETTER["partners"]
    sheet[f"{column}1"] = "Interne partners"
    sheet.cell(row=1, column=sheet.max_column + 1, value="Externe partners")
    extern = sheet.cell(row=1, column=sheet.max_column).column_letter
    row = next(
        r
        for r in range(2, sheet.max_row + 1)
        if sheet[f"{spreadsheet.LETTER['titel']}{r}"].value == "Buurtpreventie-apps"
    )
    sheet[f"{column}{row}"] = "Wijkteams; Communicatie"
    sheet[f"{extern}{row}"] = "Politie"
    out = io.BytesIO()
    book.save(out)
    report = spreadsheet.read_xlsx(up, out.getvalue())
    assert report.ok and report.changes == []  # the same three partners, in that order


def test_a_broken_sheet_changes_nothing_and_names_the_cells(up, coordinator):
    data = spreadsheet.export_xlsx(up)
    broken = _edit(data, {(2, "status"): "klaar", (3, "budget"): "veel", (4, "thema"): "Onbekend"})
    before = list(Maatregel.objects.order_by("pk").values_list("status", "budget", "version"))
    report = spreadsheet.read_xlsx(up, broken)
    assert not report.ok
    letter = spreadsheet.LETTER
    assert any(e.startswith(f"{letter['status']}2:") and "klaar" in e for e in report.errors)
    assert any(e.startswith(f"{letter['budget']}3:") for e in report.errors)
    assert any(e.startswith(f"{letter['thema']}4:") for e in report.errors)
    with pytest.raises(spreadsheet.SheetError):
        spreadsheet.apply_xlsx(up, broken, by=coordinator)
    after = list(Maatregel.objects.order_by("pk").values_list("status", "budget", "version"))
    assert before == after


def test_a_sheet_older_than_an_edit_in_ivp_is_refused(up, coordinator):
    data = spreadsheet.export_xlsx(up)
    measure = Maatregel.objects.get(titel="Groepsaanpak")
    services.update_part(
        measure, by=coordinator, expected_version=measure.version, prestatie_doel="10"
    )
    report = spreadsheet.read_xlsx(up, data)
    assert any("gewijzigd na het maken van dit bestand" in e for e in report.errors)


def test_a_row_removed_from_the_sheet_is_kept(up):
    data = spreadsheet.export_xlsx(up)
    book = load_workbook(io.BytesIO(data))
    book[spreadsheet.SHEET].delete_rows(2)
    out = io.BytesIO()
    book.save(out)
    report = spreadsheet.read_xlsx(up, out.getvalue())
    assert len(report.missing) == 1 and report.changes == []


def test_cli_writes_the_sheet_of_a_year(up, tmp_path, capsys):
    from ivp.cli.main import main

    out = tmp_path / "up.xlsx"
    args = ["plan", "export", str(up.plan.pk), "--document", "uitvoeringsplan"]
    assert main([*args, "--year", "2027", "--format", "xlsx", "--out", str(out)]) == 0
    rows = list(load_workbook(out)[spreadsheet.SHEET].iter_rows(min_row=2, values_only=True))
    assert {r[5] for r in rows} >= {"Buurtpreventie-apps", "Groepsaanpak"}
    assert main([*args, "--year", "2029", "--format", "xlsx", "--out", str(out)]) == 1
    assert "no implementation plan for 2029" in capsys.readouterr().err


def test_a_long_measure_title_is_kept_and_named_short_in_the_history(up, coordinator):
    from ivp.plans.models import Wijziging

    item = up.onderdelen.get(titel="Preventie")
    title = "Gemeentelijke doelen voor brandveiligheid vaststellen " * 5
    measure = services.add_maatregel(item, by=coordinator, titel=title[:300])
    assert len(measure.titel) > 200
    entry = Wijziging.objects.filter(plan=up.plan).latest("pk")
    assert len(entry.onderdeel) <= 200 and entry.onderdeel.endswith("…")
