"""Pages of step 6 under ``/plannen/<pk>/sturing/`` and the contributor's screen
``/mijn-maatregelen/``:

- the dashboard of the running plan for a period: per priority and cluster the measures
  with their latest status, the indicators with baseline, realisations, target, verdict and
  a chart (with the numbers as text beside it);
- one measure: its history, the update form (editors and the measure's contributors) and
  who reports on it (editors assign contributors);
- "Mijn maatregelen": only the measures assigned to the user, each with one form (htmx
  replaces the card in place; without JavaScript the page reloads);
- entering a realisation of an indicator by hand.

Reports, the voortgangsoverleg and the cycle are in :mod:`ivp.sturing.views_reports`.
Every page asks who may see it: a plan the user may not see is a 404; confidential parts
only reach users who see them (``plans.confidential``).
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ivp.accounts.models import User
from ivp.beleidsplan.models import Effectindicator
from ivp.documents.docx_writer import dutch_date
from ivp.plans.access import Permission, can, get_plan_for_user, permissions_for
from ivp.plans.confidential import sees_confidential
from ivp.plans.versioning import save_form
from ivp.sturing import periods, services
from ivp.sturing.forms import RealisatieForm, ToewijzingForm, VoortgangForm
from ivp.sturing.models import Voortgangsstatus
from ivp.sturing.progress import STATUS_LABELS, default_period, progress
from ivp.uitvoering.models import Maatregel


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _period(request: HttpRequest, plan) -> periods.Period:
    text = request.GET.get("periode", "")
    if text:
        try:
            p = periods.parse(text)
        except periods.BadPeriod:
            messages.error(
                request,
                _("‘%(p)s’ is geen periode; kies bv. 2027-Q2, 2027-05 of 2027.") % {"p": text},
            )
        else:
            if plan.periode_start <= p.year <= plan.periode_eind:
                return p
            messages.error(
                request,
                _("%(p)s valt buiten de looptijd van het plan (%(r)s).")
                % {"p": p.code, "r": plan.periode},
            )
    return default_period(plan)


def period_choices(plan) -> list[periods.Period]:
    return [
        periods.parse(f"{y}-Q{q}")
        for y in range(plan.periode_start, plan.periode_eind + 1)
        for q in range(1, 5)
    ]


def _chart(ind: dict) -> str:
    from ivp.documents.charts import render_svg
    from ivp.sturing.reports import indicator_chart

    chart = indicator_chart(ind)
    return render_svg(chart, width_cm=14.0, height_cm=6.5) if chart else ""


def _indicator_rows(ind: dict) -> dict:
    from ivp.sturing import reports

    return {
        **ind,
        "svg": _chart(ind),
        "alt": reports.chart_alt(ind),
        "baseline_text": reports.number(ind["baseline"]["value"], ind["unit"]),
        "target_text": reports.target_text(ind),
        "latest_text": reports.latest_text(ind),
        "real_rows": [
            {**r, "text": reports.number(r["value"], ind["unit"]),
             "revised_text": reports.number(r["revises"]["value"], ind["unit"])
             if r.get("revises") else ""}
            for r in ind["realisations"]
        ],
    }  # fmt: skip


def _groups(snapshot: dict) -> list[dict]:
    """The parts as shown: of a joint plan the shared ones first, then per gemeente (with
    its summary from ``snapshot["local"]``); otherwise one group without a heading."""
    from ivp.sturing import progress as pg

    if not pg.is_joint(snapshot):
        return [{"title": "", "parts": snapshot["parts"]}]
    names = dict(pg.members_of(snapshot))
    for row in (*snapshot["parts"], *snapshot["knelpunten"]):
        if row.get("gemeente"):
            row["scope_label"] = f"lokaal: {names.get(row['gemeente'], row['gemeente'])}"
    groups = [
        {
            "title": "Gezamenlijke onderdelen",
            "id": "gezamenlijk",
            "parts": [p for p in snapshot["parts"] if p.get("gemeente") is None],
        }
    ]
    for row in snapshot["local"]:
        groups.append(
            {
                "title": f"Lokaal deel: {row['name']}",
                "id": f"lokaal-{row['gemeente']}",
                "summary": row,
                "parts": [p for p in snapshot["parts"] if p.get("gemeente") == row["gemeente"]],
            }
        )
    return groups


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    p = _period(request, plan)
    snapshot = progress(plan, period=p.code, internal=sees_confidential(request.user, plan))
    for part in snapshot["parts"]:
        part["indicator_rows"] = [_indicator_rows(i) for i in part["indicators"]]
        for m in part["measures"]:
            m["date_text"] = dutch_date(date.fromisoformat(m["date"])) if m["date"] else ""
    perms = permissions_for(request.user, plan)
    return render(
        request,
        "sturing/dashboard.html",
        {
            "plan": plan,
            "perms": {p.value: True for p in perms},
            "can_edit": Permission.EDIT_CONTENT in perms,
            "period": p,
            "periods": period_choices(plan),
            "s": snapshot,
            "plan_indicators": [_indicator_rows(i) for i in snapshot["plan_indicators"]],
            "status_labels": STATUS_LABELS,
            "groups": _groups(snapshot),
            "cyclus": services.cycle(plan),
            "next_meeting": services.next_meeting(plan),
        },
    )


def _measure_for(request: HttpRequest, pk: int, measure: int):
    plan = get_plan_for_user(request.user, pk)
    m = (
        Maatregel.objects.filter(pk=measure, onderdeel__uitvoeringsplan__plan=plan)
        .select_related("onderdeel__uitvoeringsplan")
        .first()
    )
    if m is None or (
        services.measure_is_confidential(m) and not sees_confidential(request.user, plan)
    ):
        raise Http404
    return plan, m


def _card(
    request, m: Maatregel, form=None, *, notice: str = "", kind: str = "success", conflict=None
):
    latest = services.latest_update(m)
    status = latest.status if latest else Voortgangsstatus.OP_SCHEMA
    return {
        "m": m,
        "plan": services.plan_of_measure(m),
        "latest": latest,
        "form": form
        or VoortgangForm(
            prefix=f"m{m.pk}",
            initial={"status": status, "version": m.version},
        ),
        "notice": notice,
        "notice_kind": kind,
        "conflict": conflict,
        "can_update": services.can_update(request.user, m),
    }  # fmt: skip


@login_required
def maatregel(request: HttpRequest, pk: int, measure: int) -> HttpResponse:
    plan, m = _measure_for(request, pk, measure)
    can_edit = can(request.user, plan, Permission.EDIT_CONTENT)
    assign_form = None
    if can_edit:
        assign_form = ToewijzingForm()
        assign_form.fields["user"].choices = _candidates(plan, m)
        if request.method == "POST":
            assign_form = ToewijzingForm(request.POST)
            assign_form.fields["user"].choices = _candidates(plan, m)
            if assign_form.is_valid():
                user = User.objects.get(pk=assign_form.cleaned_data["user"])
                try:
                    if request.POST.get("actie") == "weg":
                        services.unassign(m, by=request.user, user=user)
                    else:
                        services.assign(m, by=request.user, user=user)
                except ValidationError as error:
                    messages.error(request, _error_text(error))
                else:
                    messages.success(request, _("De bijdragers zijn bijgewerkt."))
                return redirect("sturing:maatregel", plan.pk, m.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "sturing/maatregel.html",
        {
            **_card(request, m),
            "plan": plan,
            "history": services.history(m),
            "assignees": services.assignees(m),
            "assign_form": assign_form,
            "can_edit": can_edit,
            "status_labels": STATUS_LABELS,
        },
    )


def _candidates(plan, m: Maatregel) -> list[tuple[str, str]]:
    """Users who may be a contributor: those with access to the plan."""
    from ivp.plans.access import role_for
    from ivp.plans.models import PlanRol

    ids = set(PlanRol.objects.filter(plan=plan).values_list("user_id", flat=True))
    users = User.objects.filter(pk__in=ids, is_active=True).order_by("first_name", "username")
    secret = services.measure_is_confidential(m)
    return [
        (str(u.pk), u.get_full_name() or u.username)
        for u in users
        if role_for(u, plan) and (not secret or sees_confidential(u, plan))
    ]


@login_required
@require_POST
def bijwerken(request: HttpRequest, pk: int, measure: int) -> HttpResponse:
    """Save a progress update (from "Mijn maatregelen" or the measure's page)."""
    plan, m = _measure_for(request, pk, measure)
    if not services.can_update(request.user, m):
        raise PermissionDenied
    form = VoortgangForm(request.POST, prefix=f"m{m.pk}")
    result = save_form(
        form,
        lambda data: services.record_update(
            m,
            by=request.user,
            expected_version=data["version"],
            status=data["status"],
            tekst=data["tekst"],
            datum=data["datum"],
        ),
    )
    if result.saved:
        m.refresh_from_db()
        notice = _("Opgeslagen: %(t)s.") % {"t": m.titel}
        if not request.htmx:
            messages.success(request, notice)
            return redirect(request.POST.get("terug") or reverse("sturing:mijn"))
        return render(request, "sturing/_kaart.html", _card(request, m, notice=notice))
    notice = result.problem(form) or _("Controleer het formulier.")
    context = _card(request, m, form, notice=notice, kind="error", conflict=result.conflict)
    if request.htmx:
        return render(request, "sturing/_kaart.html", context)
    return render(request, "sturing/mijn.html", {"cards": [context], "single": True})


@login_required
def mijn(request: HttpRequest) -> HttpResponse:
    """The measures assigned to the user, each with its update form."""
    cards = [_card(request, m) for m in services.my_measures(request.user)]
    return render(request, "sturing/mijn.html", {"cards": cards})


@login_required
def realisatie(request: HttpRequest, pk: int, indicator: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    if not can(request.user, plan, Permission.EDIT_CONTENT):
        raise PermissionDenied
    ind = Effectindicator.objects.filter(plan=plan, pk=indicator).first()
    if ind is None:
        raise Http404
    error = ""
    if request.method == "POST":
        form = RealisatieForm(request.POST)
        if form.is_valid():
            try:
                services.add_realisation(ind, by=request.user, **form.cleaned_data)
            except ValidationError as invalid:
                error = _error_text(invalid)
            else:
                messages.success(request, _("De realisatie is opgeslagen."))
                return redirect(
                    reverse("sturing:dashboard", args=[plan.pk]) + f"#indicator-{ind.pk}"
                )
    else:
        form = RealisatieForm()
    return render(
        request,
        "sturing/realisatie.html",
        {
            "plan": plan,
            "ind": ind,
            "form": form,
            "error": error,
            "rows": services.realisations(ind),
        },
    )
