"""Pages of background jobs: the user's jobs, one job with its progress bar (refreshed by
htmx while it runs), the progress partial alone, and the download of a result."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ivp.jobs import services
from ivp.jobs.models import Job


@login_required
@require_GET
def lijst(request: HttpRequest) -> HttpResponse:
    jobs = services.visible_to(request.user).select_related("plan")[:50]
    return render(
        request,
        "jobs/lijst.html",
        {"jobs": jobs, "may_analyse_all": _may_analyse_all(request.user)},
    )


def _may_analyse_all(user) -> bool:
    return user.is_staff or user.is_superuser


@login_required
@require_POST
def alle_gemeenten(request: HttpRequest) -> HttpResponse:
    """System administrators: the veiligheidsbeeld of every gemeente as one JSON file (what
    ``ivp analyse --all --json`` prints), made in the background."""
    if not _may_analyse_all(request.user):
        raise PermissionDenied(_("Alleen beheerders kunnen alle gemeenten laten analyseren."))
    job = services.active_for(request.user, kind="analysis.batch") or services.start(
        "analysis.batch",
        by=request.user,
        title=_("Veiligheidsbeeld van alle gemeenten"),
        params={"year": None},
    )
    return redirect("jobs:detail", pk=job.pk)


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


def result_response(job: Job) -> HttpResponse:
    """The result file of a finished job as a download."""
    if not job.has_result:
        raise Http404
    try:
        with job.result_file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(content, content_type=job.result_type or "application/octet-stream")
    filename = job.result_name or job.result_file.name.rsplit("/", 1)[-1]
    disposition = "inline" if job.result_type.startswith("text/html") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    return result_response(services.get_for_user(request.user, pk))
