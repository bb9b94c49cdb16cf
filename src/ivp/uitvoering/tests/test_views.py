"""Step 5 as a user meets it: the list of implementation plans, the first plan and the
follow-up plan, the tables per priority with rows edited in place (htmx) or on their own
page, a stale save that keeps both versions, moving rows, the theme library, who may see
and change what, and the XLSX round trip with its preview."""

from __future__ import annotations

import html
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ivp.beleidsplan import services as bp
from ivp.plans.models import Wijziging
from ivp.uitvoering import services, spreadsheet
from ivp.uitvoering.models import Maatregel, Onderdeel, Uitvoeringsplan
from ivp.uitvoering.views import SESSION_KEY, XLSX_TYPE

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def text_of(page: str) -> str:
    """The page as a user reads it: tags removed, white space collapsed."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return re.sub(r"\s+", " ", plain)


def block(page: str, element_id: str) -> str:
    """The text of the element with ``element_id`` (up to its own closing tag)."""
    start = page.index(f'id="{element_id}"')
    tag = page.rfind("<", 0, start)
    name = re.match(r"<(\w+)", page[tag:]).group(1)
    depth, pos = 0, tag
    pattern = re.compile(rf"<(/?){name}\b[^>]*>")
    for match in pattern.finditer(page, tag):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            pos = match.end()
            break
    return text_of(page[tag:pos])


def get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def list_url(plan):
    return reverse("uitvoering:lijst", args=[plan.pk])


def detail_url(up):
    return reverse("uitvoering:detail", args=[up.plan_id, up.jaar])


def url(name, up, *args):
    return reverse(f"uitvoering:{name}", args=[up.plan_id, up.jaar, *args])


@pytest.fixture
def priorities(plan, coordinator):
    wijken = bp.add_prioriteit(plan, by=coordinator, titel="Veilige wijken", themas=["1.3"])
    jeugd = bp.add_prioriteit(plan, by=coordinator, titel="Jeugd en veiligheid", themas=["3.1"])
    cluster = bp.add_overig_thema(plan, by=coordinator, titel="Ondernemen", themas=["2.1"])
    return wijken, jeugd, cluster


@pytest.fixture
def up(plan, coordinator, priorities):
    """2027 with an item "Preventie" (two measures) under the first priority and an item
    "Daderaanpak" (one measure) under the second."""
    wijken, jeugd, _cluster = priorities
    up = services.create_uitvoeringsplan(plan, by=coordinator, jaar=2027)
    preventie = services.add_onderdeel(up, by=coordinator, titel="Preventie", prioriteit=wijken)
    services.add_maatregel(
        preventie,
        by=coordinator,
        titel="Buurtpreventie-apps",
        bestuurlijk_trekker="Burgemeester",
        partners="Wijkteams, Politie",
        planning="jaar",
        planning_jaar=2027,
        planning_vervolg=True,
        budget=Decimal("12500"),
        budget_bron="Programma veiligheid",
        status="lopend",
    )
    services.add_maatregel(
        preventie, by=coordinator, titel="Inbraakpreventie", status="gereed", budget=7500
    )
    dader = services.add_onderdeel(up, by=coordinator, titel="Daderaanpak", prioriteit=jeugd)
    services.add_maatregel(dader, by=coordinator, titel="Groepsaanpak", status="lopend")
    return up


def edit_data(measure: Maatregel, **changes) -> dict:
    data = {
        "version": measure.version,
        "titel": measure.titel,
        "beschrijving": measure.beschrijving,
        "bestuurlijk_trekker": measure.bestuurlijk_trekker,
        "ambtelijk_trekker": measure.ambtelijk_trekker,
        "subgroep": measure.subgroep,
        "partners": ", ".join(measure.partners),
        "planning_vrij": measure.planning_vrij,
        "planning": measure.planning,
        "planning_jaar": measure.planning_jaar or "",
        "planning_kwartaal": measure.planning_kwartaal or "",
        "start": "",
        "eind": "",
        "prestatie_indicator": measure.prestatie_indicator,
        "prestatie_doel": measure.prestatie_doel,
        "budget": "" if measure.budget is None else str(measure.budget).replace(".", ","),
        "budget_bron": measure.budget_bron,
        "status": measure.status,
    }
    if measure.planning_vervolg:
        data["planning_vervolg"] = "on"
    data.update(changes)
    return data


# -- the list and the first plan ------------------------------------------------------------


def test_the_first_plan_and_a_measure_show_under_their_priority_and_item(
    client, plan, coordinator, priorities
):
    wijken, jeugd, _cluster = priorities
    client.force_login(coordinator)
    # the plan's step 5 leads to the list
    assert list_url(plan) in get(client, reverse("plans:detail", args=[plan.pk]))
    page = get(client, list_url(plan))
    words = text_of(page)
    assert "Er is nog geen uitvoeringsplan." in words
    assert "Eerste uitvoeringsplan maken" in words
    assert '<option value="2027" selected>2027</option>' in page  # the first year

    response = client.post(reverse("uitvoering:nieuw", args=[plan.pk]), {"jaar": "2027"})
    up = Uitvoeringsplan.objects.get(plan=plan, jaar=2027)
    assert response.status_code == 302
    assert response["Location"] == detail_url(up)

    response = client.post(
        url("onderdeel_nieuw", up), {"eigenaar": f"prioriteit-{wijken.pk}", "titel": "Preventie"}
    )
    assert response.status_code == 302
    item = Onderdeel.objects.get(uitvoeringsplan=up, titel="Preventie")
    response = client.post(url("maatregel_nieuw", up, item.pk), {"titel": "Buurtpreventie-apps"})
    assert response.status_code == 302
    measure = Maatregel.objects.get(onderdeel=item)

    page = client.get(detail_url(up), follow=True).content.decode()
    words = text_of(page)
    assert "De maatregel ‘Buurtpreventie-apps’ is toegevoegd." in words
    section = block(page, f"sectie-prioriteit-{wijken.pk}")
    assert "Prioriteit Veilige wijken" in section
    assert "Onderdeel Preventie 1 maatregel" in section
    assert "Buurtpreventie-apps — — doorlopend — — Gepland" in block(
        page, f"maatregel-{measure.pk}"
    )
    assert "Buurtpreventie-apps" not in block(page, f"sectie-prioriteit-{jeugd.pk}")
    assert "Nog geen onderdelen." in block(page, f"sectie-prioriteit-{jeugd.pk}")
    assert "Overig thema Ondernemen" in words
    summary = block(page, "uitvoering-samenvatting")
    assert "1 maatregel" in summary and "Gepland 1" in summary

    # back on the list: the year with its counts and the follow-up for 2028
    words = text_of(get(client, list_url(plan)))
    assert "Uitvoeringsplan 2027 Concept 1 1 1 gepland" in words
    assert "Nieuw uitvoeringsplan voor 2028" in words
    assert "afgeronde en vervallen maatregelen niet overnemen" in words


def test_a_year_outside_the_plan_period_is_refused(client, plan, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("uitvoering:nieuw", args=[plan.pk]), {"jaar": "2031"})
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in text_of(response.content.decode())
    assert not Uitvoeringsplan.objects.exists()


def test_the_table_shows_all_columns_and_the_budgets(client, up, coordinator, priorities):
    wijken, jeugd, _cluster = priorities
    client.force_login(coordinator)
    page = get(client, detail_url(up))
    measure = Maatregel.objects.get(titel="Buurtpreventie-apps")
    row = block(page, f"maatregel-{measure.pk}")
    assert (
        "Buurtpreventie-apps Burgemeester Wijkteams, Politie 2027 e.v. — "
        "€ 12.500 Programma veiligheid Lopend"
    ) in row
    assert "Budget € 20.000" in block(page, f"budget-prioriteit-{wijken.pk}")
    assert "Budget € 0 · 1 zonder bedrag" in block(page, f"budget-prioriteit-{jeugd.pk}")
    assert "Totaal € 20.000" in block(page, "uitvoering-samenvatting")
    budget = block(page, "uitvoering-begroting")
    assert "Veilige wijken (geen dekking opgegeven) € 7.500" in budget
    assert "Programma veiligheid € 12.500 Subtotaal € 20.000" in budget
    # the downloads of the year
    assert (
        reverse("documents:download", args=[up.plan_id, "uitvoeringsplan", "docx"]) + "?jaar=2027"
    ) in page
    assert url("xlsx", up) in page
    # partner suggestions come with the edit form
    form = get(client, url("maatregel_bewerken", up, measure.pk))
    assert f'list="m{measure.pk}-partners"' in form
    assert '<option value="Politie"></option>' in form


# -- editing a row ----------------------------------------------------------------------------


def test_a_row_is_edited_in_place_with_htmx(client, up, coordinator):
    measure = Maatregel.objects.get(titel="Groepsaanpak")
    client.force_login(coordinator)
    response = client.get(url("maatregel_bewerken", up, measure.pk), **HTMX)
    form = response.content.decode()
    assert form.startswith(f'<tr id="maatregel-{measure.pk}" class="ivp-uv-editrow">')
    assert "‘Groepsaanpak’ bewerken" in text_of(form)
    assert 'hx-target="closest tr"' in form

    data = edit_data(
        measure,
        bestuurlijk_trekker="Wethouder jeugd",
        partners="Politie; Halt ,Politie",
        planning="kwartaal",
        planning_jaar="2027",
        planning_kwartaal="2",
        budget="12.500,50",
        status="vertraagd",
    )
    response = client.post(url("maatregel_bewerken", up, measure.pk), data, **HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "uitvoering-gewijzigd"
    row = text_of(response.content.decode())
    assert "Groepsaanpak Opgeslagen Wethouder jeugd Politie, Halt Q2 2027" in row
    assert "€ 12.500,50" in row and "Vertraagd" in row
    measure.refresh_from_db()
    assert measure.partners == ["Politie", "Halt"]
    assert measure.budget == Decimal("12500.50")
    assert measure.planning_tekst == "Q2 2027"
    # "Annuleren" brings the row back
    row = client.get(url("maatregel", up, measure.pk), **HTMX).content.decode()
    assert row.startswith(f'<tr id="maatregel-{measure.pk}" class="ivp-uv-row')


def test_without_javascript_a_row_is_edited_on_its_own_page(client, up, coordinator):
    measure = Maatregel.objects.get(titel="Groepsaanpak")
    client.force_login(coordinator)
    page = get(client, url("maatregel_bewerken", up, measure.pk))
    assert "<!DOCTYPE html>" in page and "Maatregel ‘Groepsaanpak’" in text_of(page)
    data = edit_data(measure, budget="veel", planning="periode", start="2027-06-01", eind="")
    response = client.post(url("maatregel_bewerken", up, measure.pk), data)
    words = text_of(response.content.decode())
    assert "Schrijf een bedrag in euro’s" in words
    assert "Vul de datum in." in words
    measure.refresh_from_db()
    assert measure.budget is None and measure.planning == "doorlopend"

    data = edit_data(measure, titel="Groepsaanpak jeugd", budget="5000", prestatie_doel="3 groepen")
    response = client.post(url("maatregel_bewerken", up, measure.pk), data)
    assert response.status_code == 302
    assert response["Location"] == detail_url(up) + f"#maatregel-{measure.pk}"
    measure.refresh_from_db()
    assert (measure.titel, measure.budget, measure.prestatie_doel) == (
        "Groepsaanpak jeugd",
        Decimal("5000"),
        "3 groepen",
    )
    assert Wijziging.objects.filter(actie="gewijzigd", onderdeel__contains="Groepsaanpak").exists()


def test_a_stale_save_keeps_the_input_and_shows_the_other_version(
    client, up, coordinator, make_member
):
    measure = Maatregel.objects.get(titel="Groepsaanpak")
    read_version = measure.version
    colleague = make_member("redacteur", "collega")
    services.update_part(
        measure, by=colleague, expected_version=read_version, bestuurlijk_trekker="Wethouder B"
    )
    client.force_login(coordinator)
    data = edit_data(measure, version=read_version, bestuurlijk_trekker="Burgemeester A")
    for extra in (HTMX, {}):
        response = client.post(url("maatregel_bewerken", up, measure.pk), data, **extra)
        assert response.status_code == 200
        page = response.content.decode()
        words = text_of(page)
        assert "heeft deze regel intussen opgeslagen. Uw wijziging is niet opgeslagen" in words
        assert "Uw wijziging (niet opgeslagen)" in words
        assert 'value="Burgemeester A"' in page  # the user's input stays
        other = words[words.index("Opgeslagen door Test") :]
        assert "Bestuurlijk trekker Wethouder B" in other  # the other version next to it
        assert f'name="version" value="{read_version + 1}"' in page
    measure.refresh_from_db()
    assert measure.bestuurlijk_trekker == "Wethouder B"
    # saving again now builds on the stored version
    data["version"] = measure.version
    client.post(url("maatregel_bewerken", up, measure.pk), data)
    measure.refresh_from_db()
    assert measure.bestuurlijk_trekker == "Burgemeester A"


def test_the_texts_are_saved_and_a_stale_save_keeps_both(client, up, coordinator, make_member):
    client.force_login(coordinator)
    data = {
        "version": up.version,
        "status": "vastgesteld",
        "vastgesteld_op": "",
        "hoofdlijn": "Samen veilig",
        "terugblik": "",
        "begroting_toelichting": "",
    }
    response = client.post(url("teksten", up), data)
    assert "Geef de datum waarop het college het plan vaststelde." in text_of(
        response.content.decode()
    )
    data["vastgesteld_op"] = "2027-02-14"
    response = client.post(url("teksten", up), data)
    assert response.status_code == 302
    up.refresh_from_db()
    assert up.status == "vastgesteld" and up.hoofdlijn == "Samen veilig"
    assert "Vastgesteld 14 februari 2027" in text_of(get(client, detail_url(up)))

    services.update_part(
        up, by=make_member("redacteur", "collega"), expected_version=up.version, terugblik="Goed"
    )
    data["terugblik"] = "Mijn terugblik"
    data["version"] = up.version - 1
    page = client.post(url("teksten", up), data).content.decode()
    words = text_of(page)
    assert "heeft deze regel intussen opgeslagen" in words
    assert "Mijn terugblik</textarea>" in page
    assert "Terugblik Goed" in block(page, "teksten")
    up.refresh_from_db()
    assert up.terugblik == "Goed"


def test_rows_move_up_down_and_to_another_item(client, up, coordinator):
    first = Maatregel.objects.get(titel="Buurtpreventie-apps")
    second = Maatregel.objects.get(titel="Inbraakpreventie")
    client.force_login(coordinator)
    page = get(client, detail_url(up))
    item = block(page, f"onderdeel-{first.onderdeel_id}")
    assert item.index("Buurtpreventie-apps") < item.index("Inbraakpreventie")

    response = client.post(url("verplaatsen", up, first.pk), {"richting": "1"})
    assert response.status_code == 302
    item = block(get(client, detail_url(up)), f"onderdeel-{first.onderdeel_id}")
    assert item.index("Inbraakpreventie") < item.index("Buurtpreventie-apps")

    dader = Onderdeel.objects.get(titel="Daderaanpak")
    response = client.post(url("verplaatsen", up, second.pk), {"naar": dader.pk}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    target = block(page, f"onderdeel-{dader.pk}")
    assert "‘Inbraakpreventie’ staat nu onder ‘Daderaanpak’." in target
    assert "Inbraakpreventie — — doorlopend — € 7.500 Gereed" in target
    assert "Inbraakpreventie" not in block(page, f"onderdeel-{first.onderdeel_id}")
    second.refresh_from_db()
    assert second.onderdeel == dader


def test_a_measure_from_the_theme_library_keeps_its_id(client, up, coordinator):
    item = Onderdeel.objects.get(titel="Preventie")
    offered = services.catalogue_measures(item.prioriteit)
    code, text, _where = offered[0]
    client.force_login(coordinator)
    page = get(client, detail_url(up))
    assert "Uit de themabibliotheek" in block(page, f"onderdeel-{item.pk}")
    # the list is fetched when the box is opened, with the focus on it; without
    # JavaScript the link in the box opens it on a page of its own
    list_url = url("catalogus", up, item.pk)
    assert f'hx-get="{list_url}" hx-trigger="toggle once"' in page
    assert f'<option value="{code}">' not in page
    fragment = client.get(list_url, **HTMX).content.decode()
    assert "<html" not in fragment and f'<option value="{code}">' in fragment
    assert "autofocus" in fragment and 'hx-target="#uitvoering-tabellen"' in fragment
    own_page = client.get(list_url).content.decode()
    assert "Terug naar het uitvoeringsplan" in text_of(own_page) and "hx-post" not in own_page
    response = client.post(url("catalogus", up, item.pk), {"catalogus_id": code}, **HTMX)
    assert response.status_code == 200
    measure = Maatregel.objects.get(onderdeel=item, catalogus_id=code)
    assert text.startswith(measure.titel.rstrip("…"))
    assert code in block(response.content.decode(), f"maatregel-{measure.pk}")
    # a measure of another theme is refused
    response = client.post(url("catalogus", up, item.pk), {"catalogus_id": "4.4-m01"})
    assert "Selecteer een geldige keuze" in text_of(response.content.decode())
    assert Maatregel.objects.filter(onderdeel=item).count() == 3


def test_an_empty_title_is_refused_and_an_item_can_be_renamed_and_deleted(client, up, coordinator):
    item = Onderdeel.objects.get(titel="Preventie")
    client.force_login(coordinator)
    response = client.post(url("maatregel_nieuw", up, item.pk), {"titel": "  "}, **HTMX)
    assert "Geef de maatregel een titel." in block(
        response.content.decode(), f"onderdeel-{item.pk}"
    )
    response = client.post(
        url("onderdeel", up, item.pk), {"titel": "Preventie en voorlichting", "version": 1}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.titel == "Preventie en voorlichting"
    words = text_of(get(client, url("onderdeel_verwijderen", up, item.pk)))
    assert "Met het onderdeel verdwijnen ook 2 maatregelen" in words
    response = client.post(url("onderdeel_verwijderen", up, item.pk), {"version": item.version})
    assert response.status_code == 302
    assert not Onderdeel.objects.filter(pk=item.pk).exists()
    assert Maatregel.objects.filter(onderdeel__uitvoeringsplan=up).count() == 1


def test_a_measure_is_deleted_after_confirmation(client, up, coordinator):
    measure = Maatregel.objects.get(titel="Inbraakpreventie")
    client.force_login(coordinator)
    page = get(client, url("maatregel_verwijderen", up, measure.pk))
    words = text_of(page)
    assert "Maatregel ‘Inbraakpreventie’ verwijderen?" in words
    assert f'href="{detail_url(up)}#maatregel-{measure.pk}"' in page  # Terug / Annuleren
    response = client.post(url("maatregel_verwijderen", up, measure.pk), {"version": 0})
    assert "heeft deze maatregel intussen gewijzigd" in text_of(response.content.decode())
    assert Maatregel.objects.filter(pk=measure.pk).exists()
    client.post(url("maatregel_verwijderen", up, measure.pk), {"version": measure.version})
    assert not Maatregel.objects.filter(pk=measure.pk).exists()


# -- who may see and do what -------------------------------------------------------------------


def test_a_reader_sees_the_plan_but_no_forms_and_may_not_post(client, up, make_member):
    reader = make_member("lezer", "lezer")
    measure = Maatregel.objects.get(titel="Groepsaanpak")
    client.force_login(reader)
    page = get(client, detail_url(up))
    assert "Groepsaanpak" in text_of(page)
    assert "<form" not in page.split('<main id="inhoud"')[1].split("</main>")[0]
    assert "Bewerken" not in text_of(page) and "Nieuwe maatregel" not in text_of(page)
    assert "Eerste uitvoeringsplan" not in text_of(get(client, list_url(up.plan)))
    before = Wijziging.objects.count()
    posts = [
        (url("maatregel_bewerken", up, measure.pk), edit_data(measure, titel="Weg")),
        (url("maatregel_nieuw", up, measure.onderdeel_id), {"titel": "Nieuw"}),
        (url("verplaatsen", up, measure.pk), {"richting": "-1"}),
        (url("maatregel_verwijderen", up, measure.pk), {"version": measure.version}),
        (url("teksten", up), {"version": up.version, "status": "concept"}),
        (url("vervolg", up), {"niet_overnemen": "on"}),
        (reverse("uitvoering:nieuw", args=[up.plan_id]), {"jaar": "2028"}),
        (url("doorvoeren", up), {"token": "x"}),
    ]
    for target, data in posts:
        assert client.post(target, data).status_code == 403, target
    assert client.get(url("maatregel_bewerken", up, measure.pk)).status_code == 403
    assert client.get(url("inlezen", up)).status_code == 403
    assert client.get(url("catalogus", up, measure.onderdeel_id)).status_code == 403
    assert Wijziging.objects.count() == before
    measure.refresh_from_db()
    assert measure.titel == "Groepsaanpak"
    assert Uitvoeringsplan.objects.filter(plan=up.plan).count() == 1
    # reading includes the spreadsheet
    assert client.get(url("xlsx", up)).status_code == 200


def test_an_outsider_gets_404_and_an_anonymous_user_the_login(client, up, outsider):
    measure = Maatregel.objects.get(titel="Groepsaanpak")
    response = client.get(detail_url(up))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(outsider)
    for target in (
        list_url(up.plan),
        detail_url(up),
        url("maatregel_bewerken", up, measure.pk),
        url("xlsx", up),
    ):
        assert client.get(target).status_code == 404, target
    assert client.post(url("verplaatsen", up, measure.pk), {"richting": "1"}).status_code == 404


# -- the XLSX round trip ---------------------------------------------------------------------


def _download(client, up):
    response = client.get(url("xlsx", up))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="uitvoeringsplan-2027.xlsx"'
    return load_workbook(io.BytesIO(response.content))


def _sheet_file(book) -> SimpleUploadedFile:
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("uitvoeringsplan-2027.xlsx", out.getvalue(), content_type=XLSX_TYPE)


L = spreadsheet.LETTER


def _row_of(sheet, title: str) -> int:
    return next(r for r in range(2, sheet.max_row + 1) if sheet[f"{L['titel']}{r}"].value == title)


def test_an_edited_sheet_is_previewed_and_stored_only_after_confirmation(client, up, coordinator):
    client.force_login(coordinator)
    book = _download(client, up)
    sheet = book["Maatregelen"]
    sheet.delete_rows(_row_of(sheet, "Inbraakpreventie"))
    row = _row_of(sheet, "Groepsaanpak")
    sheet[f"{L['budget']}{row}"] = "€ 4.000"
    sheet[f"{L['bestuurlijk_trekker']}{row}"] = "Wethouder jeugd"
    new_row = [
        None,
        None,
        "Veilige wijken",
        "Preventie",
        None,
        "Cameratoezicht",
        None,
        "Burgemeester",
    ]
    sheet.append(new_row)
    versions = dict(Maatregel.objects.values_list("pk", "version"))

    response = client.post(url("inlezen", up), {"bestand": _sheet_file(book)})
    assert response.status_code == 200
    page = response.content.decode()
    words = text_of(page)
    assert "Er is nog niets opgeslagen." in words
    assert "1 nieuwe maatregel" in words
    assert "Veilige wijken / Preventie Cameratoezicht" in words
    changed = words[words.index("1 gewijzigde maatregel") :]
    assert (
        f"Groepsaanpak Jeugd en veiligheid / Daderaanpak {L['bestuurlijk_trekker']}{row} "
        "Bestuurlijk trekker — Wethouder jeugd"
    ) in changed
    assert f"{L['budget']}{row} Budget (€) — € 4.000" in changed
    assert "1 maatregel staat niet in het bestand" in words and "Inbraakpreventie" in words
    assert "Wijzigingen doorvoeren" in words
    # nothing is stored yet
    assert dict(Maatregel.objects.values_list("pk", "version")) == versions
    assert not Maatregel.objects.filter(titel="Cameratoezicht").exists()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    assert token in client.session[SESSION_KEY]

    response = client.post(url("doorvoeren", up), {"token": token}, follow=True)
    words = text_of(response.content.decode())
    assert "doorgevoerd: 1 nieuwe en 1 gewijzigde maatregelen" in words
    measure = Maatregel.objects.get(titel="Groepsaanpak")
    assert (measure.budget, measure.bestuurlijk_trekker) == (Decimal("4000"), "Wethouder jeugd")
    assert Maatregel.objects.get(titel="Cameratoezicht").onderdeel.titel == "Preventie"
    assert Maatregel.objects.filter(titel="Inbraakpreventie").exists()  # not in the file, kept

    # the token works once
    response = client.post(url("doorvoeren", up), {"token": token}, follow=True)
    assert "Deze voorvertoning is verlopen of al doorgevoerd." in text_of(response.content.decode())
    assert Maatregel.objects.filter(titel="Cameratoezicht").count() == 1


def test_a_broken_sheet_names_every_wrong_cell_and_changes_nothing(client, up, coordinator):
    client.force_login(coordinator)
    book = _download(client, up)
    sheet = book["Maatregelen"]
    row = _row_of(sheet, "Groepsaanpak")
    sheet[f"{L['status']}{row}"] = "klaar"
    sheet[f"{L['budget']}{row}"] = "veel"
    versions = dict(Maatregel.objects.values_list("pk", "version"))
    history = Wijziging.objects.count()

    response = client.post(url("inlezen", up), {"bestand": _sheet_file(book)})
    page = response.content.decode()
    words = text_of(page)
    assert "Het bestand bevat 2 fouten. Er is niets opgeslagen." in words
    assert f"{L['status']}{row} onbekende status 'klaar'" in words
    assert f"{L['budget']}{row} geen bedrag: 'veel'" in words
    assert "Wijzigingen doorvoeren" not in words
    assert 'name="token"' not in page
    assert not client.session.get(SESSION_KEY)
    assert dict(Maatregel.objects.values_list("pk", "version")) == versions
    assert Wijziging.objects.count() == history


def test_a_sheet_over_2_mb_or_no_sheet_at_all_is_refused(client, up, coordinator):
    client.force_login(coordinator)
    big = SimpleUploadedFile("groot.xlsx", b"0" * (2 * 1024 * 1024 + 1))
    response = client.post(url("inlezen", up), {"bestand": big})
    assert "Het bestand is groter dan 2 MB." in text_of(response.content.decode())
    response = client.post(
        url("inlezen", up), {"bestand": SimpleUploadedFile("notities.xlsx", b"geen excel")}
    )
    assert "Het bestand is geen Excel-bestand (.xlsx)." in text_of(response.content.decode())
    assert not client.session.get(SESSION_KEY)


# -- the follow-up plan -------------------------------------------------------------------------


def test_the_follow_up_plan_copies_running_measures_and_drops_finished_ones(
    client, up, coordinator
):
    client.force_login(coordinator)
    response = client.post(url("vervolg", up), {"niet_overnemen": "on"})
    assert response.status_code == 302
    follow = Uitvoeringsplan.objects.get(plan=up.plan, jaar=2028)
    assert response["Location"] == detail_url(follow)
    page = client.get(response["Location"]).content.decode()
    words = text_of(page)
    assert "met 2 maatregelen uit 2027" in words
    assert "Vervolg op het uitvoeringsplan 2027 ." in words
    tables = block(page, "uitvoering-tabellen")
    assert "Buurtpreventie-apps" in tables and "Groepsaanpak" in tables
    assert "Inbraakpreventie" not in tables  # finished: not taken over
    assert "overgenomen" in tables
    assert "Terugblik op het uitvoeringsplan 2027." in block(page, "teksten")
    # the list now offers 2029, no longer 2028
    words = text_of(get(client, list_url(up.plan)))
    assert "Nieuw uitvoeringsplan voor 2029" in words
    assert "Nieuw uitvoeringsplan voor 2028" not in words


def test_a_follow_up_may_keep_finished_measures(client, up, coordinator):
    client.force_login(coordinator)
    client.post(url("vervolg", up), {})  # the box unticked
    follow = Uitvoeringsplan.objects.get(plan=up.plan, jaar=2028)
    titles = set(
        Maatregel.objects.filter(onderdeel__uitvoeringsplan=follow).values_list("titel", flat=True)
    )
    assert titles == {"Buurtpreventie-apps", "Inbraakpreventie", "Groepsaanpak"}
