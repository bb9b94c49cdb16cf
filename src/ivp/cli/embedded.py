"""The database a command needs: on a fresh install the embedded default (SQLite in
``IVP_VAR_DIR``) is set up on first use — migrated, with the theme library, the bundled
figures and the demo plans and logins loaded, as ``ivp demo`` does — with a line on
stderr; another database that is not migrated is named in one line with what to run
(:class:`NotSetUp`, exit code 2)."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO


class NotSetUp(Exception):
    """The database exists but has not been set up; the message says what to run."""


def _pending(connection) -> tuple[list, bool]:
    """(unapplied migrations, whether none was ever applied)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return plan, not executor.loader.applied_migrations


def _all_applied(connection) -> bool:
    """True when every migration file on disk is recorded as applied: the common case,
    checked with one query and a folder listing instead of loading the migration graph
    (which imports every migration module, a tenth of a second at each start)."""
    from pathlib import Path

    from django.apps import apps
    from django.db import DatabaseError

    on_disk = set()
    for app in apps.get_app_configs():
        folder = Path(app.path) / "migrations"
        if folder.is_dir():
            on_disk.update(
                (app.label, f.stem)
                for f in folder.glob("*.py")
                if f.stem != "__init__" and f.stem[:1].isdecimal()
            )
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = set(cursor.fetchall())
    except DatabaseError:
        return False
    return on_disk <= applied


def ensure_database(stderr: TextIO = sys.stderr) -> None:
    from django.core.management import call_command
    from django.db import connection

    if _all_applied(connection):
        return
    plan, fresh = _pending(connection)
    if not plan:
        return
    if connection.vendor != "sqlite":
        raise NotSetUp(
            "the database is not set up (or not up to date): run 'ivp setup' "
            "(migrate, theme library, bundled figures)"
        )
    where = connection.settings_dict["NAME"]
    if fresh:
        print(
            f"ivp: first use: setting up the embedded default in {where} (tables, theme "
            "library, bundled figures, demo plans; about a minute)…",
            file=stderr,
            flush=True,
        )
    else:
        print(f"ivp: updating the database {where} (migrate)…", file=stderr, flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    if fresh:
        from ivp.demo.loader import load_demo

        result = load_demo()
        logins = ", ".join(f"{user} ({role})" for user, _password, role in result.logins)
        print(
            f"ivp: database ready, with the demo plans; demo logins: {logins} "
            "(passwords: see README)",
            file=stderr,
            flush=True,
        )


def cmd_setup(args: argparse.Namespace) -> int:
    """Migrate the database and load the theme library and the bundled figures (both
    idempotent): the first step of an installation and of every update."""
    from django.core.management import call_command
    from django.db import connection

    from ivp.demo.loader import run_content_loaders

    print(f"ivp: migrating {connection.vendor} database…", file=sys.stderr, flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    print("ivp: loading the theme library and the bundled figures…", file=sys.stderr, flush=True)
    for line in run_content_loaders():
        print(f"  {line}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    setup = sub.add_parser(
        "setup", help="migrate the database and load the theme library and bundled figures"
    )
    setup.set_defaults(handler=cmd_setup, needs_db=False)
