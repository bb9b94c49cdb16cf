"""``ivp plan import``: every malformed file is refused in one line with exit code 2 and
stores nothing; a plan that is already here is refused unless --as-new; the backup holds
the frozen versions, comments, history and roles and the import restores them."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from ivp.beleidsplan import services as bp
from ivp.beleidsplan.content import plan_backup
from ivp.cli.main import main
from ivp.plans import services as plan_services
from ivp.plans.factories import UserFactory, give_role
from ivp.plans.models import Plan, PlanRol, Reactie, Wijziging

pytestmark = pytest.mark.django_db


@pytest.fixture
def backup(plan, coordinator):
    c = coordinator
    prio = bp.add_prioriteit(plan, by=c, titel="Jeugd", themas=["3.1"])
    bp.add_indicator(plan, by=c, naam="Overlast", bron="politie", eenheid="aantal", prioriteit=prio)
    bp.save_hoofdstuk(plan, by=c, nummer=1, expected_version=0, tekst="Uitgangssituatie.")
    bp.freeze(plan, by=c, status="vastgesteld", vastgesteld_op=date(2027, 3, 1))
    bp.update_part(prio, by=c, expected_version=prio.version, titel="Jeugd en school")
    plan_services.add_reactie(plan, by=c, onderwerp="Hoofdstuk 1", tekst="Korter graag.")
    give_role(plan, UserFactory(username="redactie-piet"), "redacteur")
    UserFactory(username="beheer", is_superuser=True)  # the import's default coordinator
    return plan_backup(plan)


def _run(tmp_path, capsys, data, *args) -> tuple[int, str]:
    path = tmp_path / "plan.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    code = main(["plan", "import", str(path), *args])
    captured = capsys.readouterr()
    return code, captured.err + captured.out


def _broken(backup) -> dict[str, object]:
    cases: dict[str, object] = {}
    b = copy.deepcopy(backup)
    b["steps"][0]["status"] = "onzin"
    cases["step status onzin"] = b
    b = copy.deepcopy(backup)
    b["mapping"] = [{"code": "1.1.1", "themes": ["X"], "note": ""}]
    cases["mapping to theme X"] = b
    b = copy.deepcopy(backup)
    b["plan"]["title"] = "X" * 30_000_000
    cases["30 MB title"] = b
    b = copy.deepcopy(backup)
    b["plan"]["title"] = "X" * 3_000_000
    cases["3 MB title"] = b
    b = copy.deepcopy(backup)
    b["priorities"] = "x"
    b["chapters"] = 5
    cases["wrong types"] = b
    b = copy.deepcopy(backup)
    b["priorities"][0]["indicators"][0]["baseline"] = "veel"
    cases["text as a number"] = b
    b = copy.deepcopy(backup)
    b["implementation_plans"] = [{"year": 2027, "items": [{"owner_kind": "priority"}]}]
    cases["item without owner"] = b
    b = copy.deepcopy(backup)
    b["plan"]["period"] = [2030, 2027]
    cases["period reversed"] = b
    b = copy.deepcopy(backup)
    b["chapters"] = [{"number": 1}, {"number": 1}]
    cases["chapter twice"] = b
    b = copy.deepcopy(backup)
    b["plan"]["title"] = "nul\x00teken"
    cases["NUL in a title"] = b
    b = copy.deepcopy(backup)
    b["plan"]["municipalities"] = [{"code": "GM9999"}]
    cases["unknown gemeente"] = b
    cases["truncated JSON"] = json.dumps(backup)[:500]
    cases["deeply nested JSON"] = "[" * 100_000 + "]" * 100_000
    cases["not an object"] = "[1, 2, 3]"
    cases["empty file"] = ""
    return cases


def test_every_malformed_file_is_refused_in_one_line_and_stores_nothing(backup, tmp_path, capsys):
    before = (Plan.objects.count(), Wijziging.objects.count(), Reactie.objects.count())
    for name, data in _broken(backup).items():
        code, output = _run(tmp_path, capsys, data, "--as-new")
        assert code == 2, (name, output)
        assert "Traceback" not in output, name
        lines = [line for line in output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("ivp: "), (name, output)
        assert "nothing was stored" in output, name
        assert (Plan.objects.count(), Wijziging.objects.count(), Reactie.objects.count()) == (
            before
        ), name


def test_the_messages_name_the_problem(backup, tmp_path, capsys):
    cases = _broken(backup)
    expected = {
        "step status onzin": "$.steps[0].status: onbekende waarde 'onzin'",
        "mapping to theme X": "$.mapping[0].themes[0]",
        "30 MB title": "is larger than 20 MB (IVP_UPLOAD_MAX_MB)",
        "3 MB title": "$.plan.title: te lang: 3,000,000 tekens, hoogstens 200",
        "wrong types": "$.priorities: verwacht een lijst, gevonden tekst",
        "truncated JSON": "is not valid JSON",
        "deeply nested JSON": "nested too deeply",
    }
    for name, text in expected.items():
        _code, output = _run(tmp_path, capsys, cases[name], "--as-new")
        assert text in output, (name, output)


def test_the_same_plan_twice_is_refused_unless_as_new(backup, plan, tmp_path, capsys):
    count = Plan.objects.count()
    code, output = _run(tmp_path, capsys, backup)
    assert code == 1 and f"plan {plan.pk}" in output and "--as-new" in output
    assert Plan.objects.count() == count
    code, output = _run(tmp_path, capsys, backup, "--as-new")
    assert code == 0 and Plan.objects.count() == count + 1
    copy_ = Plan.objects.latest("pk")
    assert copy_.uuid != plan.uuid
    # the file was imported once as new: the same file again is recognised by its content
    code, output = _run(tmp_path, capsys, backup)
    assert code == 1 and Plan.objects.count() == count + 1


def test_a_file_without_uuid_is_recognised_by_its_content(backup, tmp_path, capsys):
    del backup["plan"]["uuid"]
    assert _run(tmp_path, capsys, backup)[0] == 0
    code, output = _run(tmp_path, capsys, backup)
    assert code == 1 and "--as-new" in output


def test_the_backup_restores_versions_comments_history_and_roles(backup, plan, tmp_path, capsys):
    assert [v["status"] for v in backup["versions"]] == ["vastgesteld"]
    assert backup["comments"][0]["subject"] == "Hoofdstuk 1"
    assert {r["username"] for r in backup["roles"]} >= {"redactie-piet"}
    backup["roles"].append({"username": "bestaat-niet", "role": "lezer"})
    # restoring into an installation where the plan is gone keeps its UUID
    uuid = plan.uuid
    plan.delete()
    code, output = _run(tmp_path, capsys, backup)
    assert code == 0, output
    assert "bestaat-niet" in output and "niet aangemaakt" in output
    restored = Plan.objects.get(uuid=uuid)
    versie = restored.versies.get()
    assert versie.status == "vastgesteld" and versie.vastgesteld_op == date(2027, 3, 1)
    assert versie.inhoud["priorities"][0]["title"] == "Jeugd"
    assert restored.prioriteiten.get().titel == "Jeugd en school"
    assert restored.reacties.get().tekst == "Korter graag."
    actions = list(restored.wijzigingen.values_list("actie", flat=True))
    assert actions[0] == "geïmporteerd" and "vastgelegd" in actions and "toegevoegd" in actions
    assert len(actions) == len(backup["history"]) + 1
    roles = dict(PlanRol.objects.filter(plan=restored).values_list("user__username", "rol"))
    assert roles["redactie-piet"] == "redacteur"
    assert "bestaat-niet" not in roles
    from ivp.accounts.models import User

    assert not User.objects.filter(username="bestaat-niet").exists()


def test_a_title_with_a_line_break_is_refused(backup, tmp_path, capsys):
    backup["plan"]["title"] = "X\n;} html { background: url(http://127.0.0.1/x) }"
    code, output = _run(tmp_path, capsys, backup, "--as-new")
    assert code == 2 and "$.plan.title: een titel of naam is één regel" in output
