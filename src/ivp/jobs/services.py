"""The door to background jobs: start one (from a page or the command line), run it (in the
worker), recover jobs whose worker died, and find the jobs a user may see.

A job is visible to the user who started it (and to system administrators), and only while
that user may still see the job's plan."""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import close_old_connections, transaction
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ivp.jobs import registry
from ivp.jobs.models import Job
from ivp.jobs.registry import JobFailed, Outcome

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 2
HEARTBEAT_SECONDS = 20
PROGRESS_EVERY_SECONDS = 0.5

INTERRUPTED = _(
    "De verwerking is onderbroken: de achtergrondverwerker stopte terwijl deze taak liep."
)


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def start(
    kind: str,
    *,
    by,
    title: str,
    plan=None,
    gemeente: str = "",
    params: dict | None = None,
    input_data: bytes | None = None,
    input_name: str = "invoer",
) -> Job:
    """Put a job of ``kind`` in the queue and return its row. The caller checked that
    ``by`` may do this; the job's own function checks again when it runs."""
    registry.get_kind(kind)
    job = Job.objects.create(
        kind=kind,
        title=title[:300],
        started_by=by if getattr(by, "pk", None) else None,
        plan=plan,
        gemeente=gemeente,
        params=params or {},
        message=_("In de wachtrij"),
    )
    if input_data is not None:
        job.input_file.save(os.path.basename(input_name) or "invoer", ContentFile(input_data))
    _enqueue(job.pk)
    job.refresh_from_db()
    return job


def _enqueue(job_id: int) -> None:
    from huey.contrib.djhuey import HUEY

    from ivp.jobs.tasks import run_job

    if HUEY.immediate:  # tests: run now, inside the caller's transaction
        run_job(job_id)
    else:  # the worker must see the committed row
        transaction.on_commit(lambda: run_job(job_id))


class _Progress:
    """``report(percent, message)`` for a running job: writes at most twice a second."""

    def __init__(self, job: Job, *, quiet: bool) -> None:
        self.job = job
        self.quiet = quiet
        self.last = 0.0

    def __call__(self, percent: int, message: str = "") -> None:
        percent = max(0, min(100, int(percent)))
        now = timezone.now()
        if self.quiet:
            return
        stamp = now.timestamp()
        if stamp - self.last < PROGRESS_EVERY_SECONDS and percent < 100:
            return
        self.last = stamp
        changes = {"progress": percent, "heartbeat_at": now}
        if message:
            changes["message"] = message[:300]
        Job.objects.filter(pk=self.job.pk, status=Job.Status.RUNNING).update(**changes)


def _heartbeat(job_id: int, stop: threading.Event) -> None:
    """Tell others the job is alive, also while a long step reports no progress."""
    try:
        while not stop.wait(HEARTBEAT_SECONDS):
            try:
                Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
            except Exception:  # noqa: BLE001 - a busy database must not stop the job
                logger.debug("heartbeat of job %s not written", job_id, exc_info=True)
    finally:
        close_old_connections()
        from django.db import connection

        connection.close()


def _failure_text(job: Job, error: BaseException) -> str:
    if isinstance(error, JobFailed | PermissionDenied):
        return str(error) or _("U mag dit niet (meer) doen.")
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return _(
        "Er ging iets onverwachts mis bij ‘%(title)s’ (taak %(id)s). Probeer het later opnieuw; "
        "blijft het misgaan, meld dan het taaknummer aan de beheerder (details staan in het "
        "logboek van de achtergrondverwerker)."
    ) % {"title": job.title, "id": job.pk}


def run(job_id: int) -> Job | None:
    """Run the queued job ``job_id`` (in the worker). A job already taken by another worker,
    or finished, is left alone."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        worker=_worker_id(),
        progress=0,
        message=_("Bezig"),
        error="",
    )
    if not claimed:
        return None
    job = Job.objects.select_related("plan", "started_by").get(pk=job_id)
    try:
        job_kind = registry.get_kind(job.kind)
    except LookupError as error:
        return _fail(job, str(error))
    from huey.contrib.djhuey import HUEY

    stop = threading.Event()
    if not HUEY.immediate:
        threading.Thread(target=_heartbeat, args=(job.pk, stop), daemon=True).start()
    try:
        if job_kind.atomic:
            with transaction.atomic():
                outcome = job_kind.run(job, _Progress(job, quiet=True))
                _finish(job, outcome)
        else:
            outcome = job_kind.run(job, _Progress(job, quiet=False))
            with transaction.atomic():
                _finish(job, outcome)
    except Exception as error:  # noqa: BLE001 - every failure is reported on the job
        if not isinstance(error, JobFailed | PermissionDenied | ValidationError):
            logger.exception("job %s (%s) failed", job.pk, job.kind)
        return _fail(job, _failure_text(job, error))
    finally:
        stop.set()
    return job


def _finish(job: Job, outcome: Outcome) -> None:
    if outcome.content is not None:
        job.result_file.save(outcome.filename or "resultaat", ContentFile(outcome.content))
        job.result_name = outcome.filename[:200]
        job.result_type = outcome.content_type[:120]
    job.result_url = outcome.url[:300]
    job.status = Job.Status.DONE
    job.progress = 100
    job.message = (outcome.message or _("Klaar"))[:300]
    job.finished_at = timezone.now()
    job.save()


def _fail(job: Job, text: str) -> Job:
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED,
        error=text,
        message=_("Mislukt"),
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_interrupted(job: Job, *, stale_before, starting: bool) -> bool:
    host, _sep, pid = job.worker.rpartition(":")
    if host == socket.gethostname() and pid.isdecimal():
        if int(pid) == os.getpid():
            return starting  # this process runs it, unless it is only starting up
        if not _pid_alive(int(pid)):
            return True
    return job.heartbeat_at is None or job.heartbeat_at < stale_before


def recover_interrupted(*, starting: bool = False) -> list[Job]:
    """Jobs that were running when their worker died: run them again when that is safe
    (once), else mark them failed with a clear message. Also put back in the queue the
    jobs whose queue message was lost. Called when a worker starts and every minute."""
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.JOBS_STALE_SECONDS)
    touched = []
    for job in Job.objects.filter(status=Job.Status.RUNNING):
        if not _is_interrupted(job, stale_before=stale_before, starting=starting):
            continue
        try:
            job_kind = registry.get_kind(job.kind)
        except LookupError:
            job_kind = None
        if job_kind is not None and job_kind.retry and job.attempts < MAX_ATTEMPTS:
            requeued = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
                status=Job.Status.QUEUED,
                progress=0,
                message=_("Opnieuw in de wachtrij na een onderbreking"),
            )
            if requeued:
                _enqueue(job.pk)
        else:
            advice = (
                _("Er is niets opgeslagen; start de taak opnieuw.")
                if job_kind is not None and job_kind.atomic
                else _("Start de taak opnieuw.")
            )
            Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
                status=Job.Status.FAILED,
                message=_("Mislukt"),
                error=f"{INTERRUPTED} {advice}",
                finished_at=now,
            )
        job.refresh_from_db()
        touched.append(job)
        logger.warning("job %s (%s) was interrupted: now %s", job.pk, job.kind, job.status)
    if starting:
        # A queue message can be lost (e.g. a queue server emptied); running a job twice is
        # harmless, as only one worker can claim it.
        for job_id in Job.objects.filter(
            status=Job.Status.QUEUED, created_at__lt=stale_before
        ).values_list("pk", flat=True):
            _enqueue(job_id)
    return touched


def purge_finished(days: int) -> int:
    """Delete finished jobs (and their files) older than ``days``."""
    old = Job.objects.filter(
        status__in=[Job.Status.DONE, Job.Status.FAILED],
        finished_at__lt=timezone.now() - timedelta(days=days),
    )
    count = 0
    for job in old:
        for field in (job.result_file, job.input_file):
            if field:
                field.delete(save=False)
        job.delete()
        count += 1
    return count


# --- who sees what ----------------------------------------------------------------------


def visible_to(user) -> QuerySet[Job]:
    """The jobs ``user`` may see: their own, on plans they may still see."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Job.objects.none()
    if user.is_superuser:
        return Job.objects.all()
    from ivp.plans.access import plans_for_user

    return Job.objects.filter(started_by=user).filter(
        Q(plan__isnull=True) | Q(plan__in=plans_for_user(user))
    )


def get_for_user(user, pk: int) -> Job:
    """The job ``pk`` if ``user`` may see it; otherwise 404."""
    try:
        return visible_to(user).select_related("plan").get(pk=pk)
    except Job.DoesNotExist:
        raise Http404 from None


def active_for(user, *, kind: str, plan=None, params: dict | None = None) -> Job | None:
    """A job of ``kind`` that ``user`` started and that is still queued or running, so a
    second click follows the first job instead of starting another."""
    jobs = visible_to(user).filter(
        kind=kind, plan=plan, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
    )
    for job in jobs:
        if params is None or job.params == params:
            return job
    return None
