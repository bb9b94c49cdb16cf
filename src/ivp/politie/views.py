"""Pages of the police unit's view: the list of units, the overview of one unit or base team
(page, Excel, PDF), and the per-plan consent switch ("delen met de politie")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ivp.areas.models import Basisteam, PolitieEenheid
from ivp.plans.access import Permission, get_plan_for_user, permissions_for
from ivp.politie import exports
from ivp.politie.overview import eenheden_with_counts, may_see, unit_overview
from ivp.userinput import whole_number


def _require(request: HttpRequest) -> None:
    if not may_see(request.user):
        raise Http404  # the overview does not exist for others


def _overview(request: HttpRequest, code: str):
    _require(request)
    eenheid = get_object_or_404(PolitieEenheid, code=code)
    basisteam = None
    wanted = request.GET.get("basisteam", "")
    if wanted:
        number = whole_number(wanted)
        if number is None:
            raise Http404
        basisteam = get_object_or_404(Basisteam, pk=number, politie_eenheid=eenheid)
    return unit_overview(eenheid, basisteam)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require(request)
    return render(request, "politie/index.html", {"eenheden": eenheden_with_counts()})


@login_required
def eenheid(request: HttpRequest, code: str) -> HttpResponse:
    overview = _overview(request, code)
    return render(
        request,
        "politie/eenheid.html",
        {
            "overview": overview,
            "title": exports.title(overview),
            "basisteams": Basisteam.objects.filter(politie_eenheid=overview.eenheid),
            "query": f"?basisteam={overview.basisteam.pk}" if overview.basisteam else "",
        },
    )


@login_required
def export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    overview = _overview(request, code)
    name = slugify(exports.title(overview))
    if fmt == "xlsx":
        content = exports.xlsx(overview)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "pdf":
        content = exports.pdf(overview)
        content_type = "application/pdf"
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@require_POST
def delen(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator's consent to share the plan with the police (or its withdrawal)."""
    from ivp.plans import services

    plan = get_plan_for_user(request.user, pk)
    if Permission.MANAGE_PLAN not in permissions_for(request.user, plan):
        raise PermissionDenied(_("Alleen de coördinator geeft toestemming om te delen."))
    wanted = request.POST.get("delen")
    if wanted not in ("ja", "nee"):
        messages.error(request, _("Kies of het plan gedeeld wordt met de politie."))
    else:
        services.set_delen_met_politie(plan, by=request.user, delen=wanted == "ja")
        messages.success(
            request,
            _("Het plan wordt gedeeld met de politie.")
            if wanted == "ja"
            else _("Het plan wordt niet meer gedeeld met de politie."),
        )
    return redirect("plans:detail", pk=plan.pk)
