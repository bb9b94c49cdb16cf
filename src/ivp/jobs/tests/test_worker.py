"""Real worker processes (``ivp worker``) on a file database and the embedded SQLite
queue: queued jobs survive a stopped worker, and a job that was running when its worker was
killed is run again (when that is safe) or marked failed with a clear message."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

WORKER = (
    "import sys, ivp.jobs.tests.sample_kinds; from ivp.cli.main import main; "
    "sys.exit(main(['worker', '--threads', '2']))"
)
ENQUEUE = """
import sys, django
django.setup()
import ivp.jobs.tests.sample_kinds
from ivp.jobs import services
for spec in sys.argv[1:]:
    kind, seconds = spec.split(':')
    job = services.start(kind, by=None, title=kind,
                         params={'seconds': float(seconds), 'only_first': True})
    print(job.pk)
"""


@pytest.fixture
def installation(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ivp.conf.dev",
        "IVP_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ivp.sqlite3'}",
        "IVP_REDIS_URL": "",
    }
    subprocess.run(
        [sys.executable, "-m", "ivp.cli.main", "manage", "migrate", "-v", "0"],
        env=env,
        check=True,
        timeout=300,
    )
    return tmp_path, env


def _enqueue(env, *specs: str) -> list[int]:
    out = subprocess.run(
        [sys.executable, "-c", ENQUEUE, *specs],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    return [int(line) for line in out.split()]


def _jobs(folder: Path) -> dict[int, tuple]:
    with sqlite3.connect(folder / "ivp.sqlite3", timeout=30) as db:
        rows = db.execute("select id, status, attempts, progress, error from jobs_job").fetchall()
    return {row[0]: row[1:] for row in rows}


def _wait(folder: Path, until, timeout: float = 60) -> dict[int, tuple]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = _jobs(folder)
        if until(jobs):
            return jobs
        time.sleep(0.2)
    raise AssertionError(f"timed out; jobs: {jobs}")


def _start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER], env=env, stderr=subprocess.PIPE, text=True
    )


def test_jobs_survive_a_killed_worker(installation):
    folder, env = installation
    long_job, once_job = _enqueue(env, "test.slaap:60", "test.eenmalig:60")
    worker = _start_worker(env)
    try:
        _wait(folder, lambda j: j[long_job][0] == "bezig" and j[long_job][2] > 0)
        _wait(folder, lambda j: j[once_job][0] == "bezig")
        worker.send_signal(signal.SIGKILL)  # the worker dies mid-job
        worker.wait(timeout=10)
        # a job queued while no worker runs waits in the kept queue
        (queued,) = _enqueue(env, "test.slaap:0")
        time.sleep(1)
        assert _jobs(folder)[queued][0] == "wachtrij"
        assert _jobs(folder)[long_job][0] == "bezig"  # nobody knows yet

        worker = _start_worker(env)
        jobs = _wait(
            folder,
            lambda j: all(j[k][0] in ("klaar", "mislukt") for k in (long_job, once_job, queued)),
        )
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
    assert jobs[long_job][:2] == ("klaar", 2)  # run again, and finished the second time
    assert jobs[queued][0] == "klaar"
    status, attempts, _progress, error = jobs[once_job]
    assert (status, attempts) == ("mislukt", 1)  # not safe to repeat: failed, clearly
    assert error == (
        "De verwerking is onderbroken: de achtergrondverwerker stopte terwijl deze taak liep. "
        "Start de taak opnieuw."
    )
    log = worker.stderr.read()
    assert "2 interrupted job(s) recovered" in log
    assert "Traceback" not in log
