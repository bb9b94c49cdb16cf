"""The partner list of the plan's gemeente(n): every name the measures use, and whether it is
part of the gemeente (intern) or not (extern). Marking is optional; the documents print the
partners as each measure names them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ivp.plans.access import Permission, can, get_plan_for_user
from ivp.uitvoering import services
from ivp.uitvoering.models import Maatregel, Partner


@login_required
def partners(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    can_edit = can(request.user, plan, Permission.EDIT_CONTENT)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        naam = (request.POST.get("naam") or "").strip()
        soort = request.POST.get("soort", "")
        try:
            services.mark_partner(plan, by=request.user, naam=naam, soort=soort)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("‘%(naam)s’ is opgeslagen.") % {"naam": naam})
        return redirect("uitvoering:partners", pk=plan.pk)
    used: dict[str, int] = {}
    for names in Maatregel.objects.filter(onderdeel__uitvoeringsplan__plan=plan).values_list(
        "partners", flat=True
    ):
        for name in names or []:
            used[name] = used.get(name, 0) + 1
    known = {
        p.naam: p.soort
        for p in Partner.objects.filter(gemeente__in=plan.gemeenten.all()).order_by("naam")
    }
    rows = [
        {"naam": name, "soort": known.get(name, ""), "gebruikt": used.get(name, 0)}
        for name in sorted(set(known) | set(used), key=str.lower)
    ]
    return render(
        request,
        "uitvoering/partners.html",
        {
            "plan": plan,
            "rows": rows,
            "can_edit": can_edit,
            "choices": Partner.Soort.choices,
        },
    )
