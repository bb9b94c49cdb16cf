"""The police unit's view: only shared plans, never a confidential part, only for the
police; the consent switch; the Excel export keeps a plan's text as text."""

from __future__ import annotations

import io

import pytest

from ivp.accounts.models import Lidmaatschap, Organisatie
from ivp.areas.models import Gemeente, PolitieEenheid, Veiligheidsregio
from ivp.beleidsplan import services as bp
from ivp.plans import services as plan_services
from ivp.plans.factories import GemeenteFactory, PlanFactory, UserFactory
from ivp.plans.models import Rol

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(db):
    eenheid = PolitieEenheid.objects.create(code="RE05", naam="Oost-Brabant")
    region = Veiligheidsregio.objects.create(
        code="VR19", naam="Brabant-Noord", politie_eenheid=eenheid
    )
    a = GemeenteFactory(code="GM0796", naam="'s-Hertogenbosch")
    b = GemeenteFactory(code="GM0797", naam="Heusden")
    c = GemeenteFactory(code="GM0828", naam="Oss")
    Gemeente.objects.filter(pk__in=[a.pk, b.pk, c.pk]).update(veiligheidsregio=region)
    shared = PlanFactory(gemeente=a, titel="IVP Den Bosch")
    other = PlanFactory(gemeente=b, titel="IVP Heusden")
    hidden = PlanFactory(gemeente=c, titel="IVP Oss")
    for plan, prios in (
        (shared, [("Ondermijning", ["5.2"]), ("Jeugd", ["3.1"])]),
        (other, [("Ondermijning Heusden", ["5.2"]), ('=HYPERLINK("http://x","klik")', ["2.3"])]),
        (hidden, [("Niet gedeeld", ["4.1"])]),
    ):
        root = plan.rollen.get(rol=Rol.COORDINATOR).user
        for titel, themas in prios:
            p = bp.add_prioriteit(plan, by=root, titel=titel, themas=themas)
            bp.add_indicator(
                plan,
                by=root,
                naam=f"Indicator {titel}",
                bron="politie",
                eenheid="aantal",
                prioriteit=p,
                uitgangswaarde=12,
                uitgangsjaar=2024,
                streefwaarde=10,
                streefjaar=2028,
            )
        if plan is not hidden:
            plan_services.set_delen_met_politie(plan, by=root, delen=True)
    root = shared.rollen.get(rol=Rol.COORDINATOR).user
    secret = bp.add_prioriteit(shared, by=root, titel="GEHEIMEPRIO", themas=["5.1"])
    bp.update_part(secret, by=root, expected_version=secret.version, vertrouwelijk=True)
    bp.add_indicator(
        shared,
        by=root,
        naam="GEHEIMEINDICATOR",
        bron="politie",
        eenheid="aantal",
        prioriteit=secret,
    )
    analyst = UserFactory(username="analist")
    politie = Organisatie.objects.create(naam="Politie", soort=Organisatie.Soort.POLITIE)
    Lidmaatschap.objects.create(user=analyst, organisatie=politie, rol="medewerker")
    return {"analyst": analyst, "shared": shared, "hidden": hidden, "other": other}


def test_the_unit_page_shows_shared_plans_side_by_side(unit, client):
    client.force_login(unit["analyst"])
    page = client.get("/politie/RE05/").content.decode()
    assert "IVP Den Bosch" in page and "IVP Heusden" in page
    assert "IVP Oss" not in page and "Niet gedeeld" not in page  # no consent
    assert "GEHEIMEPRIO" not in page and "GEHEIMEINDICATOR" not in page
    assert "2 van de 3 gemeenten" in page
    # 5.2 is a priority in both: a shared choice; 2.3 and 3.1 in one each: diverging
    from ivp.politie.overview import unit_overview

    overview = unit_overview(PolitieEenheid.objects.get(code="RE05"))
    by_code = {t.code: t for t in overview.themes}
    assert by_code["5.2"].count == 2
    assert [t.code for t in overview.shared_themes] == ["5.2"]
    assert {t.code for t in overview.diverging_themes} == {"2.3", "3.1"}
    indicator = next(i for i in overview.indicators if i.naam == "Indicator Ondermijning")
    assert indicator.rows[0]["uitgangswaarde"] == 12 and indicator.rows[0]["streefwaarde"] == 10


def test_only_the_police_see_the_unit_page(unit, client):
    coordinator = unit["shared"].rollen.get(rol=Rol.COORDINATOR).user
    client.force_login(coordinator)
    assert client.get("/politie/RE05/").status_code == 404
    assert client.get("/politie/RE05/export.xlsx").status_code == 404
    client.logout()
    assert client.get("/politie/RE05/").status_code == 302  # to the login


def test_exports_keep_text_as_text_and_leave_out_confidential_parts(unit, client):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    client.force_login(unit["analyst"])
    response = client.get("/politie/RE05/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value]
    formula = [c for c in cells if str(c.value).startswith("=HYPERLINK")]
    assert formula and all(c.data_type == "s" for c in formula)
    assert not any("GEHEIM" in str(c.value) for c in cells)
    pdf = client.get("/politie/RE05/export.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Ondermijning" in text and "GEHEIM" not in text and "Niet gedeeld" not in text


def test_the_consent_switch_is_the_coordinators(unit, client):
    hidden = unit["hidden"]
    coordinator = hidden.rollen.get(rol=Rol.COORDINATOR).user
    reader = UserFactory(username="lezer", organisaties=[hidden.gemeenten.first()])
    client.force_login(reader)
    assert (
        client.post(f"/plannen/{hidden.pk}/delen-met-politie/", {"delen": "ja"}).status_code == 403
    )
    hidden.refresh_from_db()
    assert not hidden.delen_met_politie
    client.force_login(coordinator)
    response = client.post(f"/plannen/{hidden.pk}/delen-met-politie/", {"delen": "ja"})
    assert response.status_code == 302
    hidden.refresh_from_db()
    assert hidden.delen_met_politie
    assert hidden.wijzigingen.filter(onderdeel="Delen met de politie").exists()
    client.post(f"/plannen/{hidden.pk}/delen-met-politie/", {"delen": "weet niet"})
    hidden.refresh_from_db()
    assert hidden.delen_met_politie  # bad input changes nothing
