import pytest

from ivp.demo.loader import DEMO_PASSWORD, DEMO_PLAN_TITEL, load_demo
from ivp.plans import progress
from ivp.plans.access import role_for
from ivp.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_plan_a_coordinator_and_a_reader_and_a_second_run_reuses_them():
    first = load_demo(with_content=False)
    second = load_demo(with_content=False)
    assert first.plan.pk == second.plan.pk
    assert Plan.objects.filter(titel=DEMO_PLAN_TITEL).count() == 1
    assert first.plan.werkgroep.count() == 5
    users = {u.username: u for u in first.plan.gemeenten.get().gebruikers.all()}
    assert role_for(users["demo"], first.plan) == "coordinator"
    assert role_for(users["demo-lezer"], first.plan) == "lezer"
    assert users["demo"].check_password(DEMO_PASSWORD)
    # the steps whose content the demo holds are under way (3–5), step 6 has not started
    statuses = [s.status for s in first.plan.stappen.all()]
    assert statuses == ["afgerond", "bezig", "bezig", "bezig", "bezig", "niet_gestart"]
    # step 1 is complete: the startnotitie has its own texts
    assert progress.gaps(first.plan, 1) == []


def test_the_demo_plan_shows_example_answers_of_step_2_and_keeps_user_edits():
    from ivp.veiligheidsanalyse import services as analyse

    plan = load_demo(with_content=False).plan
    texts = analyse.teksten(plan)
    assert set(texts) == {"1.3", "A1.5", "V1"}
    assert texts["1.3"].probleem.startswith("Woninginbraak, auto-inbraak en fietsdiefstal")
    coordinator = plan.rollen.get(rol="coordinator").user
    analyse.save_tekst(
        plan, by=coordinator, onderwerp="1.3", expected_version=1, probleem="Eigen tekst"
    )
    load_demo(with_content=False)
    assert analyse.tekst(plan, "1.3").probleem == "Eigen tekst"


def test_the_demo_plan_fills_every_chapter_of_the_ivp(bundle):
    from ivp.beleidsplan.completeness import missing_for_council
    from ivp.beleidsplan.content import plan_content
    from ivp.beleidsplan.outline import chapter_list

    plan = load_demo(with_content=False).plan
    content = plan_content(plan)
    assert [p["title"] for p in content["priorities"]] == [
        "Veilige en leefbare wijken en buurten",
        "Problematische jeugd en jeugdgroepen",
        "Ondermijning",
    ]
    assert content["priorities"][2]["confidential"] is True
    indicator = content["priorities"][0]["indicators"][0]
    assert indicator["baseline"] is not None and indicator["target"] < indicator["baseline"]
    # the plan's own shape: an Inleiding first, own titles, sections, two annexes
    chapters = [(c.number or f"Bijlage {c.annex_number}", c.title) for c in chapter_list(content)]
    assert chapters[:2] == [("1", "Inleiding"), ("2", "Waar staan we nu?")]
    assert ("Bijlage 2", "Uitvoeringsplan") in chapters
    # left out: the budget is a section of chapter 7
    assert any(c.title == "Begroting" and c.omitted for c in chapter_list(content))
    # nothing required is missing: the demo can go to the council
    assert missing_for_council(content, themes=[]) == []
    placed = {t for o in content["ongoing"] for t in o["themes"]}
    placed |= {t for p in content["priorities"] for t in p["themes"]}
    assert len(placed) == 22
    first = content["implementation_plans"][0]
    assert first["year"] == 2027
    measures = [m for item in first["items"] for m in item["measures"]]
    assert len(measures) >= 6 and all(m["catalogue_id"] for m in measures)
    assert {m["administrative_lead"] for m in measures} <= {"Burgemeester", "Wethouder"}
    assert any(m["subgroup"] for m in measures) and any(m["description"] for m in measures)
    assert any(m["planning"]["kind"] == "vrij" for m in measures)
