"""Scheduled work of step 6: Huey periodic tasks, registered by ``ivp worker`` through
``jobs.registry.load_tasks``."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="7", minute="0"))
def remind_contributors() -> None:
    """Every morning: the e-mails before the next voortgangsoverleg."""
    from ivp.sturing.reminders import send_due

    send_due()
