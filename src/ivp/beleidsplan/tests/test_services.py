"""Steps 3 and 4: priorities, ongoing themes, chapters, indicators, versions, backup."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ivp.beleidsplan import services
from ivp.beleidsplan.content import PlanImportError, comparable, import_plan, plan_content
from ivp.beleidsplan.models import Effectindicator, OverigThema, PlanVersie, Prioriteit
from ivp.cli.main import main
from ivp.plans.models import Wijziging

pytestmark = pytest.mark.django_db


def _priority(plan, user, titel, themas, **kw):
    return services.add_prioriteit(plan, by=user, titel=titel, themas=themas, **kw)


def test_a_priority_combines_themes_and_leaves_the_ongoing_clusters(plan, coordinator):
    services.cluster_remaining_by_field(plan, by=coordinator)
    assert services.unplaced_themes(plan) == []
    prio = _priority(
        plan,
        coordinator,
        "Veilige en leefbare wijken en buurten",
        ["1.1", "1.2", "1.3"],
        accenten=["Woninginbraak", "Overlast"],
    )
    assert prio.themas == ["1.1", "1.2", "1.3"]
    field_1 = OverigThema.objects.get(plan=plan, titel__startswith="Veilige woon")
    assert field_1.themas == ["1.4"]
    assert Wijziging.objects.filter(plan=plan, onderdeel__contains="Veilige en leefbare").exists()
    with pytest.raises(ValidationError, match="andere prioriteit"):
        _priority(plan, coordinator, "Dubbel", ["1.3"])


def test_more_than_four_priorities_need_a_reason(plan, coordinator):
    for i, code in enumerate(["1.3", "2.1", "3.1", "5.2"]):
        _priority(plan, coordinator, f"Prioriteit {i}", [code])
    with pytest.raises(services.TooManyPriorities) as error:
        _priority(plan, coordinator, "Vijfde", ["4.1"])
    assert "drie à vier" in str(error.value)
    assert Prioriteit.objects.filter(plan=plan).count() == 4
    fifth = _priority(
        plan, coordinator, "Vijfde", ["4.1"], reden_boven_maximum="Opdracht van de raad"
    )
    assert fifth.reden_boven_maximum == "Opdracht van de raad"


def test_unknown_theme_and_viewer_are_refused(plan, coordinator, make_member):
    with pytest.raises(ValidationError, match="Onbekend thema"):
        _priority(plan, coordinator, "X", ["9.9"])
    viewer = make_member("lezer")
    with pytest.raises(PermissionDenied):
        _priority(plan, viewer, "X", ["1.3"])
    assert not Prioriteit.objects.filter(plan=plan).exists()


def test_second_save_of_the_same_section_is_refused_and_nothing_is_lost(plan, coordinator):
    prio = _priority(plan, coordinator, "Ondermijning", ["5.2"])
    read = prio.version
    services.update_part(prio, by=coordinator, expected_version=read, waarom="Eerste tekst")
    with pytest.raises(services.StaleEditError) as error:
        services.update_part(prio, by=coordinator, expected_version=read, waarom="Tweede")
    assert error.value.current.waarom == "Eerste tekst"
    prio.refresh_from_db()
    assert prio.waarom == "Eerste tekst"


def test_chapters_save_with_version_and_refuse_stale(plan, coordinator):
    first = services.save_hoofdstuk(plan, by=coordinator, nummer=6, expected_version=0, tekst="A")
    assert first.version == 1
    with pytest.raises(services.StaleEditError):
        services.save_hoofdstuk(plan, by=coordinator, nummer=6, expected_version=0, tekst="B")
    with pytest.raises(ValidationError):
        services.save_hoofdstuk(plan, by=coordinator, nummer=8, expected_version=0, tekst="C")


def test_indicator_warnings_follow_the_handbook(plan, coordinator):
    prio = _priority(plan, coordinator, "Woninginbraak", ["1.3"])
    for name in ("a", "b", "c", "d"):
        services.add_indicator(
            plan,
            by=coordinator,
            prioriteit=prio,
            naam=name,
            bron=Effectindicator.Bron.POLITIE,
            eenheid=Effectindicator.Eenheid.AANTAL,
            uitgangswaarde=10,
            uitgangsjaar=2025,
        )
    warnings = services.indicator_warnings(list(prio.indicatoren.all()))
    assert any("twee à drie" in w for w in warnings)
    assert any("Alleen objectieve" in w for w in warnings)


def test_freeze_as_adopted_then_edits_make_a_new_version(plan, coordinator):
    prio = _priority(plan, coordinator, "Jeugd", ["3.1"])
    adopted = services.freeze(
        plan, by=coordinator, status=PlanVersie.Status.VASTGESTELD, vastgesteld_op=date(2027, 5, 15)
    )
    assert adopted.nummer == 1 and adopted.inhoud["plan"]["status"] == "vastgesteld"
    services.update_part(
        prio, by=coordinator, expected_version=prio.version, titel="Jeugd en veiligheid"
    )
    live = plan_content(plan)
    assert live["plan"]["version"] == 2 and live["plan"]["status"] == "concept"
    adopted.refresh_from_db()
    assert adopted.inhoud["priorities"][0]["title"] == "Jeugd"  # the adopted text stays
    with pytest.raises(ValidationError):
        services.freeze(plan, by=coordinator, status=PlanVersie.Status.VASTGESTELD)


def test_json_backup_round_trips(plan, coordinator, tmp_path, capsys):
    prio = _priority(plan, coordinator, "Veilige wijken", ["1.3"], waarom="Omdat")
    services.add_indicator(
        plan,
        by=coordinator,
        prioriteit=prio,
        naam="Woninginbraken per 1.000 woningen",
        bron=Effectindicator.Bron.POLITIE,
        eenheid=Effectindicator.Eenheid.PER_1000_WONINGEN,
        uitgangswaarde=6.2,
        uitgangsjaar=2017,
        streefwaarde=5.0,
        streefjaar=2022,
    )
    services.add_overig_thema(
        plan, by=coordinator, titel="Veilig ondernemen", themas=["2.1", "2.2"]
    )
    services.save_hoofdstuk(plan, by=coordinator, nummer=6, expected_version=0, tekst="Cyclus")
    from ivp.uitvoering import services as uitvoering

    up = uitvoering.create_uitvoeringsplan(plan, by=coordinator, jaar=2027)
    item = uitvoering.add_onderdeel(up, by=coordinator, titel="Preventie", prioriteit=prio)
    uitvoering.add_maatregel(
        item,
        by=coordinator,
        titel="Buurtapps",
        planning="jaar",
        planning_jaar=2027,
        planning_vervolg=True,
        budget=1250,
        partners=["Team OOV", "Politie"],
    )
    uitvoering.follow_up(up, by=coordinator)
    coordinator.is_superuser = True
    coordinator.save()
    first = tmp_path / "plan.json"
    assert main(["plan", "export", str(plan.pk), "--format", "json", "--out", str(first)]) == 0
    assert main(["plan", "import", str(first)]) == 1  # the plan is here: refused
    assert main(["plan", "import", str(first), "--as-new"]) == 0
    new_id = int(capsys.readouterr().out.split("imported plan ")[1].split()[0])
    assert new_id != plan.pk
    second = tmp_path / "again.json"
    assert main(["plan", "export", str(new_id), "--format", "json", "--out", str(second)]) == 0
    a, b = json.loads(first.read_text()), json.loads(second.read_text())
    assert comparable(a) == comparable(b)
    assert b["priorities"][0]["indicators"][0]["baseline"] == 6.2
    years = [u["year"] for u in b["implementation_plans"]]
    assert years == [2027, 2028]
    measure = b["implementation_plans"][0]["items"][0]["measures"][0]
    assert measure["planning"]["text"] == "2027 e.v." and measure["budget"] == "1250.00"
    assert b["implementation_plans"][1]["previous_year"] == 2027


def test_a_broken_backup_changes_nothing_and_names_every_problem(plan, coordinator):
    data = plan_content(plan)
    data["priorities"] = [{"title": "X", "themes": ["9.9"], "indicators": [{"name": "n"}]}]
    data["plan"]["period"] = [2030, 2027]
    before = Prioriteit.objects.count()
    with pytest.raises(PlanImportError) as error:
        import_plan(data, by=coordinator)
    paths = [p for p, _m in error.value.problems]
    assert "$.plan.period" in paths
    assert any(p.startswith("$.priorities[0].themes") for p in paths)
    assert "$.priorities[0].indicators[0].unit" in paths
    assert Prioriteit.objects.count() == before
