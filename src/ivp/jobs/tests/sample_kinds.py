"""Kinds of job for the tests only: imported by the tests and by the worker processes they
start (``python -c "import ivp.jobs.tests.sample_kinds; …"``)."""

from __future__ import annotations

import time

from ivp.jobs.registry import JobFailed, Outcome, kind


@kind("test.slaap")
def sleep(job, report) -> Outcome:
    """Sleeps ``seconds`` (the first attempt only, when ``only_first`` is set), reporting
    progress; then leaves a small text file."""
    seconds = float(job.params.get("seconds", 0))
    if job.params.get("only_first") and job.attempts > 1:
        seconds = 0
    steps = 10
    for step in range(steps):
        report(step * 10, f"stap {step + 1} van {steps}")
        time.sleep(seconds / steps)
    if job.params.get("fail"):
        raise JobFailed("Het bestand past niet bij dit plan.")
    if job.params.get("crash"):
        raise RuntimeError("boom")
    return Outcome(
        content=f"klaar na poging {job.attempts}".encode(),
        filename="uitkomst.txt",
        content_type="text/plain",
        message="Klaar.",
    )


@kind("test.eenmalig", retry=False)
def once(job, report) -> Outcome:
    time.sleep(float(job.params.get("seconds", 0)))
    return Outcome(message="Eenmalig klaar.")
