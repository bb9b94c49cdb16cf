"""Joint progress reports (issue 17, item 4): a joint plan's voortgangsrapportage and
jaarbeeld show the base team's level first and then a page per gemeente; with
``--municipality`` one council's version; confidential local parts only internally."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from ivp.beleidsplan import services as bp
from ivp.cli.main import main
from ivp.documents.exports import export
from ivp.plans.factories import PlanFactory
from ivp.plans.models import Rol
from ivp.sturing import progress as pg
from ivp.sturing import services as st
from ivp.uitvoering import services as uv

pytestmark = pytest.mark.django_db

BOSCH, HEUSDEN = "GM0796", "GM0797"


def _text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("word/document.xml").decode()
    return re.sub(r"<[^>]+>", "", xml.replace("</w:p>", "\n")).replace("\u2060", "")


def _xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("word/document.xml").decode()


@pytest.fixture
def joint_running(db):
    plan = PlanFactory(joint=True, periode_start=2025, periode_eind=2028)
    c = plan.rollen.get(rol=Rol.COORDINATOR).user
    bosch, heusden = plan.gemeenten.get(code=BOSCH), plan.gemeenten.get(code=HEUSDEN)
    shared = bp.add_prioriteit(plan, by=c, titel="Ondermijning samen", themas=["5.2"])
    local_bosch = bp.add_prioriteit(
        plan, by=c, titel="Winkelgebied Bosch", themas=["2.1"], gemeente=bosch
    )
    local_heusden = bp.add_prioriteit(
        plan, by=c, titel="Uitgaan Heusden", themas=["2.3"], gemeente=heusden
    )
    secret = bp.add_prioriteit(plan, by=c, titel="Geheim Heusden", themas=["5.1"], gemeente=heusden)
    bp.update_part(secret, by=c, expected_version=secret.version, vertrouwelijk=True)
    bp.add_indicator(
        plan,
        by=c,
        naam="Rapportcijfer uitgaan Heusden",
        bron="veiligheidsmonitor",
        eenheid="rapportcijfer",
        richting=">=",
        uitgangswaarde=6.5,
        uitgangsjaar=2024,
        streefwaarde=7.0,
        streefjaar=2028,
        prioriteit=local_heusden,
    )
    up = uv.create_uitvoeringsplan(plan, by=c, jaar=2026)
    updates = (
        (shared, "Gezamenlijk barrièremodel", "op_schema", "Loopt volgens plan."),
        (local_bosch, "Cameratoezicht winkelgebied", "vertraagd", "Aanbesteding mislukt."),
        (local_heusden, "Portiers bij de horeca", "gereed", "Alle zaken doen mee."),
        (secret, "Geheime toets Heusden", "vertraagd", "Geheim knelpunt Heusden."),
    )
    for owner, titel, status, tekst in updates:
        item = uv.add_onderdeel(up, by=c, titel=f"Inzet {owner.titel}", prioriteit=owner)
        m = uv.add_maatregel(item, by=c, titel=titel)
        st.record_update(
            m, by=c, expected_version=m.version, status=status, tekst=tekst,
            datum=date(2026, 11, 2),
        )  # fmt: skip
    return plan


def _export(plan, document: str, *, public: bool = True, **options) -> str:
    content, _type, _name = export(plan, document, "docx", public=public, **options)
    return _text(content)


def test_the_progress_json_gives_the_scope_and_a_summary_per_gemeente(joint_running, capsys):
    plan = joint_running
    assert main(["plan", "progress", str(plan.pk), "--json", "--period", "2026-Q4"]) == 0
    snapshot = json.loads(capsys.readouterr().out)
    scopes = {p["title"]: p["gemeente"] for p in snapshot["parts"]}
    assert scopes == {
        "Ondermijning samen": None,
        "Winkelgebied Bosch": BOSCH,
        "Uitgaan Heusden": HEUSDEN,
    }  # the confidential local priority is not in the public answer
    assert {m["title"]: m["gemeente"] for m in snapshot["measures"]}[
        "Portiers bij de horeca"
    ] == HEUSDEN
    assert [i["gemeente"] for i in snapshot["indicators"]] == [HEUSDEN]
    local = {row["gemeente"]: row for row in snapshot["local"]}
    assert local[BOSCH]["name"] == "'s-Hertogenbosch"
    assert local[BOSCH]["counts"]["vertraagd"] == 1 and local[BOSCH]["knelpunten"] == 1
    assert local[HEUSDEN]["counts"]["gereed"] == 1 and local[HEUSDEN]["indicators"] == 1
    assert local[HEUSDEN]["knelpunten"] == 0  # the confidential one does not count publicly
    internal = pg.progress(plan, period="2026-Q4", internal=True)
    assert {r["gemeente"]: r["knelpunten"] for r in internal["local"]}[HEUSDEN] == 1


def test_a_single_gemeente_plans_snapshot_has_no_joint_keys(running):
    snapshot = pg.progress(running["plan"], period=f"{running['plan'].periode_start}-Q1")
    assert "local" not in snapshot and "members" not in snapshot["plan"]
    assert all("gemeente" not in p for p in snapshot["parts"])
    assert all("gemeente" not in m for m in snapshot["measures"])


def test_the_joint_report_shows_the_base_team_first_then_a_page_per_gemeente(joint_running):
    plan = joint_running
    text = _export(plan, "voortgangsrapportage", period="2026-Q4")
    assert "Dashboard: gezamenlijke voortgang" in text
    assert "Lokale delen per gemeente" in text
    shared = text.index("Prioriteit: Ondermijning samen")
    bosch = text.index("Lokaal deel: 's-Hertogenbosch")
    heusden = text.index("Lokaal deel: Heusden")
    assert shared < bosch < heusden
    # each local page has its own measures, counts, knelpunten and indicators
    assert "Cameratoezicht winkelgebied" in text[bosch:heusden]
    assert "Aanbesteding mislukt." in text[bosch:heusden] and "**" not in text
    assert "Lokale maatregelen van 's-Hertogenbosch naar stand" in text[bosch:heusden]
    assert "Portiers bij de horeca" in text[heusden:]
    assert "Rapportcijfer uitgaan Heusden" in text[heusden:]
    assert "Cameratoezicht winkelgebied" not in text[:bosch].split("Lokale delen per gemeente")[0]
    # the base team's knelpunten are the shared ones: the delayed local one is on its page
    knelpunten = text[text.index("Knelpunten") : bosch]
    assert "Cameratoezicht winkelgebied" not in knelpunten
    # confidential local parts: never in the public version, marked in the internal one
    assert "Geheim Heusden" not in text and "Geheime toets Heusden" not in text
    internal = _export(plan, "voortgangsrapportage", public=False, period="2026-Q4")
    assert "Geheime toets Heusden" in internal[internal.index("Lokaal deel: Heusden") :]
    # a page per gemeente: each local heading starts a new page
    content, _t, _n = export(plan, "voortgangsrapportage", "docx", period="2026-Q4")
    paragraphs = _xml(content).split("</w:p>")
    starts = [p for p in paragraphs if "Lokaal deel: " in re.sub(r"<[^>]+>", "", p)]
    assert len(starts) == 2 and all("pageBreakBefore" in p for p in starts)


def test_a_councils_version_has_the_shared_part_and_only_its_own_page(joint_running, tmp_path):
    plan = joint_running
    text = _export(plan, "voortgangsrapportage", period="2026-Q4", municipality=HEUSDEN)
    assert "Prioriteit: Ondermijning samen" in text and "Lokaal deel: Heusden" in text
    assert "Lokaal deel: 's-Hertogenbosch" not in text
    assert "Winkelgebied Bosch" not in text and "Aanbesteding mislukt." not in text
    assert "Geheim Heusden" not in text
    assert "deel van de gemeente Heusden" in text
    # the jaarbeeld the same, by name on the command line
    out = tmp_path / "jaarbeeld.docx"
    args = ["plan", "export", str(plan.pk), "--document", "jaarbeeld", "--year", "2026"]
    assert main([*args, "--municipality", "heusden", "--out", str(out)]) == 0
    year = _text(out.read_bytes())
    assert "Lokaal deel: Heusden" in year and "Portiers bij de horeca" in year
    assert "Lokaal deel: 's-Hertogenbosch" not in year and "Cameratoezicht" not in year
    assert main([*args, "--out", str(out)]) == 0
    joint = _text(out.read_bytes())
    assert joint.index("Wat er in 2026 is gedaan") < joint.index("Lokaal deel: 's-Hertogenbosch")
    assert "Lokaal deel: Heusden" in joint
    assert main([*args, "--municipality", "GM0363", "--out", str(out)]) == 2


def test_the_dashboard_groups_shared_first_then_per_gemeente(joint_running, client):
    plan = joint_running
    client.force_login(plan.rollen.get(rol=Rol.COORDINATOR).user)
    url = reverse("sturing:dashboard", args=[plan.pk]) + "?periode=2026-Q4"
    page = client.get(url).content.decode()
    shared = page.index("Gezamenlijke onderdelen")
    bosch = page.index("Lokaal deel: &#x27;s-Hertogenbosch")
    heusden = page.index("Lokaal deel: Heusden")
    assert shared < page.index("Gezamenlijk barrièremodel") < bosch < heusden
    assert bosch < page.rindex("Cameratoezicht winkelgebied") < heusden  # (also a knelpunt)
    assert heusden < page.index("Portiers bij de horeca")
    assert "(lokaal: Heusden)" in page[:shared]  # marked in the overview at the top


def test_the_report_page_offers_a_download_per_council(joint_running, client):
    plan = joint_running
    client.force_login(plan.rollen.get(rol=Rol.COORDINATOR).user)
    page = client.get(
        reverse("sturing:rapport", args=[plan.pk, "voortgangsrapportage", "2026-Q4"])
    ).content.decode()
    assert "Per gemeenteraad" in page
    link = reverse("documents:download", args=[plan.pk, "voortgangsrapportage", "html"])
    answer = client.get(link + f"?periode=2026-Q4&gemeente={HEUSDEN}")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Portiers bij de horeca" in html and "Cameratoezicht winkelgebied" not in html
    assert client.get(link + "?periode=2026-Q4&gemeente=GM0363").status_code == 404
