"""Jobs in the web pages: a job's page with its progress bar, its download, who may see it,
clear failures, and the recovery of jobs whose worker died (in-process; the tests of real
worker processes are in test_worker.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

import ivp.jobs.tests.sample_kinds  # noqa: F401 - registers test.slaap and test.eenmalig
from ivp.jobs import services
from ivp.jobs.models import Job
from ivp.plans.factories import UserFactory

pytestmark = pytest.mark.django_db


def _queued(user, plan=None, kind="test.slaap", **params) -> Job:
    """A job in the queue, not yet run (as a real queue holds it)."""
    return Job.objects.create(
        kind=kind, title="Testtaak", started_by=user, plan=plan, params=params
    )


def test_a_running_job_shows_a_progress_bar_that_polls_until_done(client, plan, coordinator):
    job = _queued(coordinator, plan)
    client.force_login(coordinator)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Deze taak wacht op zijn beurt." in page
    assert f'hx-get="{reverse("jobs:voortgang", args=[job.pk])}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert '<progress id="taak-' in page and 'value="0"' in page
    assert "<script" not in page.split("</head>")[1] and "style=" not in page

    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, progress=40, message="stap 5")
    partial = client.get(reverse("jobs:voortgang", args=[job.pk])).content.decode()
    assert 'value="40"' in partial and "stap 5" in partial and "40% klaar." in partial
    assert "<html" not in partial

    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED)
    services.run(job.pk)
    partial = client.get(reverse("jobs:voortgang", args=[job.pk])).content.decode()
    assert "hx-trigger" not in partial  # polling stops
    assert "Klaar." in partial
    download = reverse("jobs:download", args=[job.pk])
    assert download in partial
    response = client.get(download)
    assert response.content == b"klaar na poging 1"
    assert response["Content-Disposition"] == 'attachment; filename="uitkomst.txt"'
    assert (
        reverse("jobs:detail", args=[job.pk]) in client.get(reverse("jobs:lijst")).content.decode()
    )


def test_only_who_started_a_job_sees_it_and_only_while_they_see_its_plan(
    client, plan, coordinator, make_member, outsider
):
    job = _queued(coordinator, plan)
    services.run(job.pk)
    urls = [reverse(f"jobs:{name}", args=[job.pk]) for name in ("detail", "voortgang", "download")]
    for other in (make_member("redacteur"), outsider):
        client.force_login(other)
        assert [client.get(u).status_code for u in urls] == [404, 404, 404]
        assert "Testtaak" not in client.get(reverse("jobs:lijst")).content.decode()
    client.force_login(coordinator)
    assert [client.get(u).status_code for u in urls] == [200, 200, 200]
    plan.rollen.filter(user=coordinator).delete()
    coordinator.organisaties.clear()
    assert [client.get(u).status_code for u in urls] == [404, 404, 404]


def test_a_failure_is_reported_clearly(client, plan, coordinator):
    client.force_login(coordinator)
    expected = services.run(_queued(coordinator, plan, fail=True).pk)
    assert expected.status == Job.Status.FAILED
    assert expected.error == "Het bestand past niet bij dit plan."
    page = client.get(reverse("jobs:detail", args=[expected.pk])).content.decode()
    assert "Dit is niet gelukt." in page and "Het bestand past niet bij dit plan." in page
    assert 'role="alert"' in page

    crashed = services.run(_queued(coordinator, plan, crash=True).pk)
    assert crashed.status == Job.Status.FAILED
    assert f"(taak {crashed.pk})" in crashed.error and "beheerder" in crashed.error
    assert "boom" not in crashed.error and "Traceback" not in crashed.error
    assert client.get(reverse("jobs:download", args=[crashed.pk])).status_code == 404


def test_a_job_is_run_once_even_when_queued_twice(plan, coordinator):
    job = _queued(coordinator, plan)
    assert services.run(job.pk) is not None
    assert services.run(job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.DONE, 1)


def test_jobs_of_a_dead_worker_are_run_again_once_or_failed_clearly(plan, coordinator):
    dead = f"{services.socket.gethostname()}:999999999"
    retried = _queued(coordinator, plan)
    once = _queued(coordinator, plan, kind="test.eenmalig")
    twice = _queued(coordinator, plan)
    alive = _queued(coordinator, plan)
    Job.objects.filter(pk__in=[retried.pk, once.pk]).update(
        status=Job.Status.RUNNING, worker=dead, attempts=1
    )
    Job.objects.filter(pk=twice.pk).update(status=Job.Status.RUNNING, worker=dead, attempts=2)
    Job.objects.filter(pk=alive.pk).update(
        status=Job.Status.RUNNING,
        worker=services._worker_id(),
        attempts=1,
        heartbeat_at=services.timezone.now(),
    )

    services.recover_interrupted()

    statuses = dict(Job.objects.values_list("pk", "status"))
    # retried at once (the tests' queue is immediate): the second attempt finished
    assert statuses[retried.pk] == Job.Status.DONE
    retried.refresh_from_db()
    assert retried.attempts == 2
    assert statuses[once.pk] == Job.Status.FAILED
    once.refresh_from_db()
    assert once.error.startswith("De verwerking is onderbroken")
    assert statuses[twice.pk] == Job.Status.FAILED
    assert statuses[alive.pk] == Job.Status.RUNNING  # this process runs it


def test_a_document_is_made_by_a_job_and_downloaded(client, plan, coordinator, settings):
    from huey.contrib.djhuey import HUEY

    client.force_login(coordinator)
    url = reverse("documents:download", args=[plan.pk, "startnotitie", "pdf"])
    # the tests' queue is immediate: the document comes at once
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    job = Job.objects.get(kind="documents.export")
    assert (job.started_by, job.plan, job.status) == (coordinator, plan, Job.Status.DONE)

    # with a real queue the link leads to the job's page; a second click follows that job
    HUEY.immediate = False
    try:
        first = client.get(url)
        second = client.get(url)
    finally:
        HUEY.immediate = True
    assert first.status_code == 302 and first["Location"] == second["Location"]
    pending = Job.objects.get(status=Job.Status.QUEUED)
    assert first["Location"] == reverse("jobs:detail", args=[pending.pk])
    assert "Startnotitie (PDF)" in client.get(first["Location"]).content.decode()
    services.run(pending.pk)
    done = client.get(reverse("jobs:download", args=[pending.pk]))
    assert done.content.startswith(b"%PDF")
    assert re.match(r'attachment; filename="startnotitie-.*\.pdf"', done["Content-Disposition"])


def test_a_reader_cannot_make_the_internal_copy_through_a_job(client, plan, make_member):
    client.force_login(make_member("lezer"))
    url = reverse("documents:download", args=[plan.pk, "ivp", "docx"])
    assert client.get(url + "?intern=1").status_code == 403
    assert not Job.objects.exists()


def test_a_job_refuses_work_its_user_may_no_longer_do(plan, coordinator):
    job = Job.objects.create(
        kind="documents.export",
        title="IVP intern",
        started_by=coordinator,
        plan=plan,
        params={"document": "ivp", "format": "docx", "public": False},
    )
    plan.rollen.filter(user=coordinator).update(rol="lezer")
    job = services.run(job.pk)
    assert job.status == Job.Status.FAILED
    assert "geen rechten" in job.error
    assert not job.result_file


def test_the_analysis_of_every_gemeente_is_for_administrators(client, plan, coordinator):
    client.force_login(coordinator)
    assert "Alle gemeenten analyseren" not in client.get(reverse("jobs:lijst")).content.decode()
    assert client.post(reverse("jobs:alle_gemeenten")).status_code == 403
    admin = UserFactory(username="beheerder", is_staff=True)
    client.force_login(admin)
    assert "Alle gemeenten analyseren" in client.get(reverse("jobs:lijst")).content.decode()


def test_the_analysis_of_every_gemeente_writes_one_json(bundle, client, monkeypatch):
    import json

    from ivp.analysis import veiligheidsbeeld as vb

    real = vb.build_all
    monkeypatch.setattr(
        vb, "build_all", lambda year=None, **kw: real(year, codes=["GM0796", "GM0597", "GM9999"])
    )
    client.force_login(UserFactory(username="beheerder", is_staff=True))
    response = client.post(reverse("jobs:alle_gemeenten"))
    job = Job.objects.get(kind="analysis.batch")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == Job.Status.DONE, job.error
    data = json.loads(client.get(reverse("jobs:download", args=[job.pk])).content)
    assert [r["municipality"]["code"] for r in data["results"]] == ["GM0796", "GM0597"]
    assert [f["municipality"] for f in data["failed"]] == ["GM9999"]


def test_the_worker_registers_the_scheduled_reminders_of_step_6():
    from huey.contrib.djhuey import HUEY

    from ivp.jobs import registry

    registry.load_tasks()
    names = set(HUEY._registry._registry)
    assert any(name.endswith("remind_contributors") for name in names), names
