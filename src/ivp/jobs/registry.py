"""The kinds of job. A kind is a function ``run(job, report) -> Outcome`` registered under a
code with :func:`kind`; ``report(percent, message)`` tells the page how far it is. The
kinds live in the modules of ``JOB_MODULES``, imported when a job is started or run."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ivp.jobs.models import Job

JOB_MODULES = ("ivp.jobs.kinds",)


def load_tasks() -> None:
    """Register the queue's tasks: the ``tasks`` module of every installed app (the job
    runner and scheduled work such as step 6's reminders). Huey's Django app would do this
    at start-up in every process; only the worker needs it (ADR 0022)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")


Report = Callable[[int, str], None]


@dataclass(frozen=True)
class Outcome:
    """What a finished job leaves: a file to download and/or a page to go on to."""

    content: bytes | None = None
    filename: str = ""
    content_type: str = "application/octet-stream"
    message: str = ""
    url: str = ""


class JobFailed(Exception):
    """A failure the user can act on; its text (Dutch) is shown as the job's error."""


@dataclass(frozen=True)
class JobKind:
    code: str
    run: Callable[[Job, Report], Outcome]
    retry: bool = True
    """Safe to run again after an interruption (its worker died while it ran)."""
    atomic: bool = False
    """The work and the job's "klaar" are committed in one transaction: an interrupted job
    has stored nothing, so running it again is safe."""


KINDS: dict[str, JobKind] = {}


def kind(code: str, *, retry: bool = True, atomic: bool = False):
    """Register the decorated function as the job kind ``code``."""

    def decorator(function: Callable[[Job, Report], Outcome]):
        KINDS[code] = JobKind(code, function, retry=retry, atomic=atomic)
        return function

    return decorator


def load_kinds() -> None:
    for name in JOB_MODULES:
        importlib.import_module(name)


def get_kind(code: str) -> JobKind:
    if code not in KINDS:
        load_kinds()
    try:
        return KINDS[code]
    except KeyError:
        raise LookupError(f"Unknown job kind {code!r}; known: {sorted(KINDS)}") from None
