"""Print benchmark figures. Each benchmark module in ``bench/`` exposes ``run() -> list of
(name, value, unit)``; this script runs them all and prints a table.

The benchmarks run against a fresh, temporary database: SQLite in a temporary folder, or
the PostgreSQL database in ``IVP_BENCH_DATABASE_URL`` (which they empty and fill). They
never touch the database of ``make demo``.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent / "src"))
sys.path.insert(0, str(BENCH_DIR))


def setup_database(workdir: Path) -> str:
    """Point Django at a fresh database and migrate it; return its description."""
    os.environ["IVP_VAR_DIR"] = str(workdir)
    url = os.environ.get("IVP_BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ivp.conf.dev")
    import django
    from django.core.management import call_command

    django.setup()
    if url.startswith("postgres"):
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)
    return url.split("@")[-1] if "@" in url else url


def main() -> int:
    modules = sorted(p.stem for p in BENCH_DIR.glob("bench_*.py"))
    if not modules:
        print("no benchmarks yet")
        return 0
    with tempfile.TemporaryDirectory(prefix="ivp-bench-") as tmp:
        where = setup_database(Path(tmp))
        print(f"database: {where}")
        rows = []
        for name in modules:
            rows.extend(importlib.import_module(name).run())
        print()
        print(f"{'benchmark':<72} {'value':>12}  unit")
        for label, value, unit in rows:
            print(f"{label:<72} {value:>12.3f}  {unit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
