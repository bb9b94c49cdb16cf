"""The list of a plan's implementation plans: starting one, and a follow-up of last year's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ivp.plans.access import get_plan_for_user
from ivp.uitvoering import services
from ivp.uitvoering.confidential import hidden_items_for
from ivp.uitvoering.forms import (
    NieuwUitvoeringsplanForm,
    VervolgForm,
)
from ivp.uitvoering.models import Maatregel, Uitvoeringsplan
from ivp.uitvoering.views.common import (
    DASH,
    _can_edit,
    _context,
    _detail_url,
    _error_text,
    _require_edit,
    _up,
    money,
)

# -- the list of implementation plans ------------------------------------------------------


def _free_years(plan, taken: set[int]) -> list[int]:
    return [y for y in range(plan.periode_start, plan.periode_eind + 1) if y not in taken]


@login_required
def lijst(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    return render(request, "uitvoering/lijst.html", _list_context(request, plan))


def _list_context(request: HttpRequest, plan, *, new_form=None, notice: str = "") -> dict:
    can_edit = _can_edit(request, plan)
    plans = list(Uitvoeringsplan.objects.filter(plan=plan).order_by("jaar"))
    taken = {up.jaar for up in plans}
    hidden = hidden_items_for(request.user, plan)
    rows = []
    for up in plans:
        counts = services.status_counts(up, exclude=hidden)
        _per, overall = services.budgets(up, exclude=hidden)
        next_year = up.jaar + 1
        rows.append(
            {
                "obj": up,
                "url": _detail_url(up),
                "items": up.onderdelen.exclude(pk__in=hidden).count(),
                "measures": sum(counts.values()),
                "counts": [
                    {"value": s.value, "label": s.label, "n": counts[s.value]}
                    for s in Maatregel.Status
                    if counts[s.value]
                ],
                "budget": money(overall.total) if overall.total else DASH,
                "next_year": next_year,
                "follow_up_form": VervolgForm(auto_id=f"id_v{up.jaar}_%s")
                if can_edit and next_year not in taken and next_year <= plan.periode_eind
                else None,
            }
        )
    free = _free_years(plan, taken)
    if can_edit and free and new_form is None:
        new_form = NieuwUitvoeringsplanForm(years=free)
    return _context(
        request,
        plan,
        rows=rows,
        new_form=new_form if can_edit and free else None,
        first=not plans,
        can_edit=can_edit,
        notice=notice,
    )


@login_required
@require_POST
def nieuw(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    _require_edit(request, plan)
    taken = set(Uitvoeringsplan.objects.filter(plan=plan).values_list("jaar", flat=True))
    form = NieuwUitvoeringsplanForm(request.POST, years=_free_years(plan, taken))
    if form.is_valid():
        try:
            up = services.create_uitvoeringsplan(
                plan, by=request.user, jaar=form.cleaned_data["jaar"]
            )
        except ValidationError as error:
            form.add_error("jaar", _error_text(error))
        else:
            messages.success(
                request, _("Het uitvoeringsplan %(jaar)s is aangemaakt.") % {"jaar": up.jaar}
            )
            return redirect(_detail_url(up))
    return render(request, "uitvoering/lijst.html", _list_context(request, plan, new_form=form))


@login_required
@require_POST
def vervolg(request: HttpRequest, pk: int, jaar: int) -> HttpResponse:
    plan, previous = _up(request, pk, jaar)
    _require_edit(request, plan)
    form = VervolgForm(request.POST)
    form.is_valid()
    try:
        up = services.follow_up(
            previous,
            by=request.user,
            drop_finished=bool(form.cleaned_data.get("niet_overnemen")),
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("uitvoering:lijst", pk=plan.pk)
    copied = Maatregel.objects.filter(onderdeel__uitvoeringsplan=up).count()
    messages.success(
        request,
        _(
            "Het uitvoeringsplan %(jaar)s is aangemaakt met %(n)s maatregelen uit %(vorig)s. "
            "Vul de terugblik aan."
        )
        % {"jaar": up.jaar, "n": copied, "vorig": previous.jaar},
    )
    return redirect(_detail_url(up))
