"""Pages of a gemeente's own sources: the information position per theme ("borging
informatiepositie"), the Excel templates per source, and a plan's choice of theme for an
own series. Who may see what: ``datasets.access`` (own series only for the gemeente's users
and those who see a plan of it; anyone else gets a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ivp.areas.models import Gemeente
from ivp.datasets import access, coverage, services, xlsx_templates
from ivp.datasets.mapping import THEMA_CODES
from ivp.userinput import whole_number


def _plan_of(request: HttpRequest, gemeente: Gemeente):
    """The plan named in ``?plan=`` (one the user sees, of this gemeente), else None."""
    from ivp.plans.access import get_plan_for_user

    raw = request.GET.get("plan") or request.POST.get("plan")
    number = whole_number(raw)
    if number is None:
        return None
    plan = get_plan_for_user(request.user, number)
    if not plan.gemeenten.filter(pk=gemeente.pk).exists():
        raise Http404
    return plan


def _visible_gemeente(request: HttpRequest, code: str) -> Gemeente:
    gemeente = get_object_or_404(Gemeente, code=code.upper())
    if not access.visible_owners(request.user).filter(pk=gemeente.pk).exists():
        raise Http404  # another gemeente's information position does not exist for this user
    return gemeente


@login_required
def informatiepositie(request: HttpRequest, code: str) -> HttpResponse:
    from ivp.datasets.views import theme_titles
    from ivp.plans.access import Permission, permissions_for

    gemeente = _visible_gemeente(request, code)
    plan = _plan_of(request, gemeente)
    found = coverage.coverage(gemeente.code, user=request.user, plan=plan)
    may_choose = plan is not None and Permission.EDIT_CONTENT in permissions_for(request.user, plan)
    titles = theme_titles()
    fields = []
    for veld_code, veld_title in found.fields.items():
        fields.append(
            {
                "code": veld_code,
                "title": veld_title,
                "themes": [t for t in found.themes if t.veld == veld_code],
            }
        )
    return render(
        request,
        "datasets/informatiepositie.html",
        {
            "gemeente": gemeente,
            "plan": plan,
            "coverage": found,
            "fields": fields,
            "n_themes": len(found.themes),
            "templates": list(xlsx_templates.TEMPLATES.values()),
            "may_import": access.may_import(request.user, gemeente),
            "may_choose": may_choose,
            "theme_choices": [(c, f"{c} {titles.get(c, '')}") for c in THEMA_CODES],
            "plans": access_plans(request.user, gemeente),
        },
    )


def access_plans(user, gemeente: Gemeente) -> list:
    """The plans of this gemeente the user sees (to look at the position with a plan's own
    mapping and theme choices)."""
    from ivp.plans.access import plans_for_user

    return list(plans_for_user(user).filter(gemeenten=gemeente).order_by("titel")[:10])


@login_required
@require_POST
def series_theme(request: HttpRequest, code: str) -> HttpResponse:
    """A plan's choice of theme for one other series of the gemeente."""
    gemeente = _visible_gemeente(request, code)
    plan = _plan_of(request, gemeente)
    if plan is None:
        raise Http404
    key = request.POST.get("reeks", "")
    raw = request.POST.get("thema", "")
    theme = None if raw == "standaard" else raw
    try:
        services.set_series_theme(plan, by=request.user, series_key=key, theme=theme)
    except PermissionDenied:
        raise
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Het thema van de reeks is bijgewerkt voor dit plan."))
    url = reverse("datasets:informatiepositie", args=[gemeente.code])
    return redirect(f"{url}?{urlencode({'plan': plan.pk})}#reeksen")


@login_required
def template(request: HttpRequest, key: str) -> HttpResponse:
    found = xlsx_templates.TEMPLATES.get(key)
    if found is None:
        raise Http404
    response = HttpResponse(
        xlsx_templates.workbook(key),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    return response
