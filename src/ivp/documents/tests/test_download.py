"""The download door: year, frozen version, internal copy, and who may get what."""

from datetime import date

import pytest
from docx import Document as Docx

from ivp.beleidsplan import services as bp
from ivp.beleidsplan.models import PlanVersie

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    import io

    doc = Docx(io.BytesIO(response.content))
    return "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )


def test_a_frozen_version_is_downloaded_as_it_was_adopted(client, plan, coordinator):
    prio = bp.add_prioriteit(plan, by=coordinator, titel="Jeugd", themas=["3.1"])
    bp.freeze(
        plan, by=coordinator, status=PlanVersie.Status.VASTGESTELD, vastgesteld_op=date(2027, 5, 15)
    )
    bp.update_part(prio, by=coordinator, expected_version=prio.version, titel="Jeugd en school")
    client.force_login(coordinator)
    url = f"/plannen/{plan.pk}/documenten/ivp.docx"
    adopted = client.get(url + "?versie=1")
    assert adopted.status_code == 200
    assert "versie-1" in adopted["Content-Disposition"]
    assert "Jeugd" in _text(adopted) and "Jeugd en school" not in _text(adopted)
    assert "Vastgesteld door de raad op 15 mei 2027" in _text(adopted)
    assert "Jeugd en school" in _text(client.get(url))
    assert client.get(url + "?versie=7").status_code == 404


def test_confidential_parts_only_for_editors(client, plan, coordinator, make_member):
    bp.add_prioriteit(
        plan, by=coordinator, titel="Ondermijning", themas=["5.2"], vertrouwelijk=True
    )
    url = f"/plannen/{plan.pk}/documenten/ivp.docx"
    client.force_login(coordinator)
    assert "Ondermijning" not in _text(client.get(url))
    assert "Ondermijning" in _text(client.get(url + "?intern=1"))
    client.force_login(make_member("lezer"))
    assert client.get(url + "?intern=1").status_code == 403
    assert "Ondermijning" not in _text(client.get(url))


def test_a_year_for_a_document_without_years_is_not_found(client, plan, coordinator):
    client.force_login(coordinator)
    assert (
        client.get(f"/plannen/{plan.pk}/documenten/startnotitie.docx?jaar=2027").status_code == 404
    )
    assert (
        client.get(f"/plannen/{plan.pk}/documenten/uitvoeringsplan.docx?jaar=2027").status_code
        == 200
    )
