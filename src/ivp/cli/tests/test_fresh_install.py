"""The command line on a fresh install (issue 16, item 3): a command that needs the database
sets up the embedded default itself, with a line on stderr; errors are one line, never a
traceback, unless --debug."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ivp.cli.main import main


def _ivp(*args: str, env: dict, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ivp.cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_analyse_on_a_fresh_install_sets_up_the_database_and_prints_json(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["IVP_VAR_DIR"] = str(tmp_path / "var")
    result = _ivp("analyse", "--municipality", "GM0597", "--year", "2018", "--json", env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["municipality"]["code"] == "GM0597" and data["categories"]
    assert "first use: setting up the embedded default" in result.stderr
    assert "demo logins: demo (" in result.stderr
    assert "Traceback" not in result.stderr
    # the second time it is there already, with the demo plan of the embedded default
    again = _ivp("plan", "list", "--json", env=env)
    assert (again.returncode, again.stderr) == (0, "")
    assert any("(demo)" in p["title"] for p in json.loads(again.stdout))


def test_an_unmigrated_server_database_is_named_in_one_line(monkeypatch, capsys, db):
    from ivp.cli import embedded

    monkeypatch.setattr(embedded, "_all_applied", lambda connection: False)
    monkeypatch.setattr(embedded, "_pending", lambda connection: (["x"], False))
    monkeypatch.setattr("django.db.connection.vendor", "postgresql")
    assert main(["plan", "list"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        "ivp: the database is not set up (or not up to date): run 'ivp setup' "
        "(migrate, theme library, bundled figures)"
    )


def test_the_quick_migration_check_agrees_with_the_migration_graph(db):
    """The start-up check without loading the migration graph: true on a migrated
    database, false as soon as one migration on disk is not recorded."""
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    from ivp.cli import embedded

    assert embedded._pending(connection)[0] == []
    assert embedded._all_applied(connection)
    MigrationRecorder.Migration.objects.filter(app="plans").order_by("-name").first().delete()
    assert not embedded._all_applied(connection)
    assert embedded._pending(connection)[0] != []


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(monkeypatch, capsys, db):
    import ivp.cli.main as cli

    def broken(args):
        raise RuntimeError("kapot")

    monkeypatch.setattr(cli, "cmd_plan_list", broken)
    assert main(["plan", "list"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "unexpected error (RuntimeError: kapot); run again with --debug" in err
    with pytest.raises(RuntimeError):
        main(["--debug", "plan", "list"])


def test_configuration_errors_are_one_line(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ivp.conf.production", "SECRET_KEY": ""}
    result = _ivp("plan", "list", env=env, timeout=60)
    assert result.returncode == 2
    assert result.stderr == "ivp: configuration: SECRET_KEY must be set in production.\n"
