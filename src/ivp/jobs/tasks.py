"""The queue's tasks: one generic task runs a :class:`~ivp.jobs.models.Job`; a periodic
task recovers jobs whose worker died and removes old results."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from ivp.jobs import services


@db_task()
def run_job(job_id: int) -> None:
    services.run(job_id)


@db_periodic_task(crontab(minute="*"))
def recover_and_purge() -> None:
    services.recover_interrupted()
    services.purge_finished(settings.JOBS_KEEP_DAYS)
