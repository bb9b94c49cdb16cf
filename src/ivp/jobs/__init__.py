"""Background jobs: work that takes longer than a page may wait for (documents, the XLSX
apply of an uitvoeringsplan, fetching from the CBS, the analysis of every gemeente) runs in
a kept job queue (Huey, ADR 0010) and is followed by a :class:`~ivp.jobs.models.Job` row
with its status, progress, a Dutch message, the error and a result file to download later.

Owns the ``Job`` table, the queue task (``tasks``), the door to start, run and recover jobs
(``services``), the job page with its progress bar and the shared progress partial
(``jobs/_voortgang.html``) that other pages include, and the ``ivp worker`` command.

May import ``accounts`` and ``plans`` (who may see a job: who started it, while they may
see its plan). The kinds of job (``kinds.py``) call the services of the domain packages that
own the work (``documents``, ``uitvoering``, ``datasets``, ``analysis``); those packages'
views start a job through :func:`ivp.jobs.services.start` and never import ``kinds``.
"""
