"""How many of the 22 themes have at least one figure for the demo gemeente
('s-Hertogenbosch, GM0796) on the bundled default (issue 14): police categories whose main
theme it is, or an own or survey series placed there (``datasets.coverage``).

Runs in a subprocess against its own fresh SQLite database with only the bundled data, so
the generated national table of ``bench_data`` (pseudo-random counts for every category)
cannot inflate the count.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEMO_GEMEENTE = "GM0796"

SCRIPT = """
import json, os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ivp.conf.dev")
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from ivp.datasets import services
from ivp.datasets.coverage import coverage
services.load_bundled_data()
found = coverage(sys.argv[1])
print(json.dumps({"with": found.themes_with_figures, "of": len(found.themes),
                  "themes": [t.code for t in found.themes if t.has_figures]}))
"""


def run() -> list[tuple[str, float, str]]:
    src = Path(__file__).resolve().parent.parent / "src"
    with tempfile.TemporaryDirectory(prefix="ivp-bench-coverage-") as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{Path(tmp) / 'coverage.sqlite3'}",
            "IVP_VAR_DIR": tmp,
            "PYTHONPATH": str(src),
        }
        start = time.perf_counter()
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", SCRIPT, DEMO_GEMEENTE],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        seconds = time.perf_counter() - start
    found = json.loads(done.stdout.strip().splitlines()[-1])
    label = (
        f"themes with at least one figure, {DEMO_GEMEENTE} bundled ({', '.join(found['themes'])})"
    )
    return [
        (label[:72], float(found["with"]), f"of {found['of']} themes"),
        ("coverage: fresh store with the bundle, then the overview", seconds, "s"),
    ]
