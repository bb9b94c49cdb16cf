import json

import pytest

from ivp.cli.main import main

pytestmark = pytest.mark.django_db


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("demo", "plan", "manage"):
        assert command in out


def test_plan_list_json(plan, capsys):
    assert main(["plan", "list", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["title"] == plan.titel
    assert listed["municipalities"] == ["GM0796"]
    assert listed["period"] == [2027, 2030]
    assert listed["steps"]["2"] == "bezig"
    assert listed["status"] == "concept" and listed["version"] == 1


def test_plan_export_writes_a_docx(plan, tmp_path):
    out = tmp_path / "startnotitie.docx"
    assert main(["plan", "export", str(plan.pk), "--format", "docx", "--out", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK"


def test_plan_export_of_an_unknown_plan_fails_clearly(db, capsys):
    assert main(["plan", "export", "999"]) == 1
    assert "no plan with id '999'" in capsys.readouterr().err


def test_the_server_master_freezes_the_loaded_code_for_the_garbage_collector():
    """``ivp serve`` preloads Django in the gunicorn master; what it loaded is frozen, so a
    worker's full collection does not walk it (and stall every thread of the worker)."""
    import gc

    from ivp.cli.server import preload_application

    before = gc.get_freeze_count()
    try:
        application = preload_application()
        assert callable(application)
        assert gc.get_freeze_count() > before
        # what is left for a full collection is what requests create, not the loaded code
        assert len(gc.get_objects()) < gc.get_freeze_count()
    finally:
        gc.unfreeze()
