"""Pages of step 6 for the coordinator: the reports (prepare, conclusions, send = freeze,
download as sent), the voortgangsoverleg of a period (agenda from the knelpunten and new
signals, decisions) and the reporting cycle."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ivp.plans.access import Permission, can, get_plan_for_user, permissions_for
from ivp.plans.versioning import StaleEditError, save_form
from ivp.sturing import periods, services
from ivp.sturing.forms import AgendapuntForm, BesluitForm, ConclusiesForm, CyclusForm
from ivp.sturing.models import Overlegpunt, Rapportage
from ivp.sturing.progress import default_period
from ivp.userinput import whole_number


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _require_edit(request, plan) -> None:
    if not can(request.user, plan, Permission.EDIT_CONTENT):
        raise PermissionDenied


def _checked(plan, text: str, *, year_only: bool = False) -> periods.Period:
    try:
        p = periods.parse(text)
    except periods.BadPeriod:
        raise Http404 from None
    if (year_only and p.kind != "jaar") or not plan.periode_start <= p.year <= plan.periode_eind:
        raise Http404
    return p


@login_required
def rapportages(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    can_edit = can(request.user, plan, Permission.EDIT_CONTENT)
    error = ""
    if request.method == "POST":
        _require_edit(request, plan)
        soort = request.POST.get("soort", "")
        text = request.POST.get("periode", "").strip()
        try:
            p = periods.parse(text)
            if soort == Rapportage.Soort.JAARBEELD:
                p = periods.parse(str(p.year))
            if not plan.periode_start <= p.year <= plan.periode_eind:
                raise periods.BadPeriod("outside")
            if soort not in Rapportage.Soort.values:
                raise periods.BadPeriod("soort")
        except periods.BadPeriod:
            error = _("Kies een soort en een periode binnen %(r)s, bv. %(a)s-Q2 of %(a)s.") % {
                "r": plan.periode,
                "a": plan.periode_start,
            }
        else:
            services.report(plan, soort, p.code)
            return redirect("sturing:rapport", plan.pk, soort, p.code)
    current = default_period(plan)
    return render(
        request,
        "sturing/rapportages.html",
        {
            "plan": plan,
            "rows": Rapportage.objects.filter(plan=plan).order_by("-periode", "soort"),
            "can_edit": can_edit,
            "error": error,
            "suggested": current.code,
            "suggested_year": current.year,
            "meetings": sorted(
                set(Overlegpunt.objects.filter(plan=plan).values_list("periode", flat=True)),
                reverse=True,
            ),
        },
    )


@login_required
def rapport(request: HttpRequest, pk: int, soort: str, periode: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    if soort not in Rapportage.Soort.values:
        raise Http404
    p = _checked(plan, periode, year_only=soort == Rapportage.Soort.JAARBEELD)
    found = Rapportage.objects.filter(plan=plan, soort=soort, periode=p.code).first()
    perms = permissions_for(request.user, plan)
    can_edit = Permission.EDIT_CONTENT in perms
    error, conflict = "", None
    form = ConclusiesForm(
        initial={
            "conclusies": found.conclusies if found else "",
            "version": found.version if found else 0,
        }
    )
    if request.method == "POST":
        _require_edit(request, plan)
        found = found or services.report(plan, soort, p.code)
        try:
            if request.POST.get("actie") == "verzenden":
                sent = whole_number(request.POST.get("version"))
                services.send_report(
                    found,
                    by=request.user,
                    # a malformed version is an old one: refused as stale, not a crash
                    expected_version=-1 if sent is None else sent,
                )
                messages.success(
                    request,
                    _("De rapportage is verzonden en vastgelegd: zo blijft hij te downloaden."),
                )
                return redirect("sturing:rapport", plan.pk, soort, p.code)
            form = ConclusiesForm(request.POST)
            result = save_form(
                form,
                lambda data: services.save_conclusies(
                    found,
                    by=request.user,
                    expected_version=data["version"],
                    conclusies=data["conclusies"],
                ),
            )
            if result.saved:
                messages.success(request, _("De conclusies zijn opgeslagen."))
                return redirect("sturing:rapport", plan.pk, soort, p.code)
            conflict, error = result.conflict, result.problem(form)
        except StaleEditError as stale:  # step 6's own, or one of a measure it touched
            conflict = stale
            error = str(stale)
        except PermissionDenied:
            error = _("Alleen de coördinator verzendt een rapportage.")
        except ValidationError as invalid:
            error = _error_text(invalid)
    option = "jaar" if soort == Rapportage.Soort.JAARBEELD else "periode"
    value = str(p.year) if soort == Rapportage.Soort.JAARBEELD else p.code
    base = reverse("documents:download", args=[plan.pk, soort, "FMT"])
    downloads = [
        (label, base.replace("FMT", fmt) + f"?{option}={value}" + extra)
        for fmt, label_fmt in (("docx", "Word"), ("pdf", "PDF"))
        for label, extra in (
            ((f"{label_fmt} (openbaar)", ""),)
            + (((f"{label_fmt} (intern)", "&intern=1"),) if can_edit else ())
        )
    ]
    members = sorted(plan.gemeenten.values_list("code", "naam"), key=lambda m: m[1])
    per_council = (
        [
            (
                naam,
                [
                    (label, url + ("&" if "?" in url else "?") + f"gemeente={code}")
                    for label, url in downloads
                ],
            )
            for code, naam in members
        ]
        if len(members) > 1
        else []
    )
    return render(
        request,
        "sturing/rapport.html",
        {
            "plan": plan,
            "r": found,
            "soort": soort,
            "soort_label": Rapportage.Soort(soort).label,
            "period": p,
            "form": form,
            "error": error,
            "conflict": conflict,
            "can_edit": can_edit,
            "can_send": Permission.MANAGE_PLAN in perms,
            "downloads": downloads,
            "per_council": per_council,
        },
    )


def _decide(point: Overlegpunt, user, data: dict) -> object:
    values = dict(data)
    return services.decide(point, by=user, expected_version=values.pop("version"), **values)


def _save_cycle(plan, user, data: dict) -> object:
    values = dict(data)
    return services.save_cycle(plan, by=user, expected_version=values.pop("version"), **values)


@login_required
def overleg(request: HttpRequest, pk: int, periode: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    p = _checked(plan, periode)
    can_edit = can(request.user, plan, Permission.EDIT_CONTENT)
    error = ""
    forms_by_point: dict[int, BesluitForm] = {}
    new_point = AgendapuntForm()
    if request.method == "POST":
        _require_edit(request, plan)
        action = request.POST.get("actie", "")
        try:
            if action == "voorbereiden":
                made = services.prepare_agenda(plan, p.code, by=request.user)
                messages.success(request, _("%(n)s agendapunt(en) toegevoegd.") % {"n": len(made)})
                return redirect("sturing:overleg", plan.pk, p.code)
            if action == "punt":
                new_point = AgendapuntForm(request.POST)
                if new_point.is_valid():
                    services.add_point(plan, p.code, by=request.user, **new_point.cleaned_data)
                    return redirect("sturing:overleg", plan.pk, p.code)
            if action == "besluit":
                point = Overlegpunt.objects.filter(
                    plan=plan, periode=p.code, pk=request.POST.get("punt") or 0
                ).first()
                if point is None or (
                    services.point_is_confidential(point)
                    and point not in services.points_for(request.user, plan, p.code)
                ):
                    raise Http404
                form = BesluitForm(request.POST, prefix=f"p{point.pk}")
                forms_by_point[point.pk] = form
                result = save_form(form, lambda data: _decide(point, request.user, data))
                if result.saved:
                    messages.success(request, _("Het besluit is vastgelegd."))
                    return redirect(
                        reverse("sturing:overleg", args=[plan.pk, p.code]) + f"#punt-{point.pk}"
                    )
                error = result.problem(form)
        except StaleEditError as stale:  # step 6's own, or one of a measure it touched
            error = str(stale)
        except ValidationError as invalid:
            error = _error_text(invalid)
    points = services.points_for(request.user, plan, p.code)
    rows = [
        (
            point,
            forms_by_point.get(point.pk)
            or BesluitForm(
                prefix=f"p{point.pk}",
                initial={"besluit": point.besluit, "version": point.version},
            ),
        )
        for point in points
    ]
    meetings = services.meeting_dates(plan, start=p.start, end=p.end)
    return render(
        request,
        "sturing/overleg.html",
        {
            "plan": plan,
            "period": p,
            "rows": rows,
            "can_edit": can_edit,
            "error": error,
            "new_point": new_point,
            "meetings": meetings,
        },
    )


@login_required
def cyclus(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    current = services.cycle(plan)
    can_edit = can(request.user, plan, Permission.EDIT_CONTENT)
    error = ""
    initial = {
        "frequentie": current.frequentie,
        "maanden": current.maanden,
        "dag": current.dag,
        "herinnering_dagen": current.herinnering_dagen,
        "version": current.version,
    }
    form = CyclusForm(initial=initial)
    if request.method == "POST":
        _require_edit(request, plan)
        form = CyclusForm(request.POST)
        result = save_form(form, lambda data: _save_cycle(plan, request.user, data))
        if result.saved:
            messages.success(request, _("De rapportagecyclus is opgeslagen."))
            return redirect("sturing:cyclus", plan.pk)
        # a refusal is in the form's own error summary; only the conflict is said above it
        error = str(result.conflict or "")
    return render(
        request,
        "sturing/cyclus.html",
        {
            "plan": plan,
            "form": form,
            "error": error,
            "can_edit": can_edit,
            "next_meeting": services.next_meeting(plan),
        },
    )
