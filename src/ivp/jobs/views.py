"""Pages of background jobs: the user's jobs, one job with its progress bar (refreshed by
htmx while it runs), the progress partial alone, and the download of a result."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ivp.jobs import services
from ivp.jobs.models import Job


@login_required
@require_GET
def lijst(request: HttpRequest) -> HttpResponse:
    jobs = services.visible_to(request.user).select_related("plan")[:50]
    return render(request, "jobs/lijst.html", {"jobs": jobs})


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = services.get_for_user(request.user, pk)
    if request.htmx:
        return render(request, "jobs/_voortgang.html", {"job": job})
    return render(request, "jobs/detail.html", {"job": job})


@login_required
@require_GET
def voortgang(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress partial alone, for htmx polling."""
    job = services.get_for_user(request.user, pk)
    return render(request, "jobs/_voortgang.html", {"job": job})


def result_response(job: Job) -> FileResponse:
    """The result file of a finished job as a download."""
    if not job.has_result:
        raise Http404
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = job.result_type.startswith("text/html")
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=job.result_name or job.result_file.name.rsplit("/", 1)[-1],
        content_type=job.result_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    return result_response(services.get_for_user(request.user, pk))
