"""Pages of a plan: the home list, the plan with its six steps, editing, the working
group, comments and the history. Views validate input and call ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ivp.accounts.organisations import may_start_plans
from ivp.plans import confidential, progress, services, workflow
from ivp.plans.access import Permission, get_plan_for_user, permissions_for, plans_for_user
from ivp.plans.forms import (
    NewPlanForm,
    PlanForm,
    PlanningForm,
    StapStatusForm,
    StartnotitieForm,
    WerkgroepLidForm,
)
from ivp.plans.models import Rol
from ivp.userinput import whole_number


def _context(request: HttpRequest, plan, **extra) -> dict:
    perms = permissions_for(request.user, plan)
    return {
        "plan": plan,
        "perms": {p.value: (p in perms) for p in Permission},
        **extra,
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    plans = plans_for_user(request.user).prefetch_related("gemeenten", "stappen")
    can_create = may_start_plans(request.user)
    return render(request, "plans/home.html", {"plans": plans, "can_create": can_create})


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    if not may_start_plans(request.user):
        raise PermissionDenied(
            _(
                "Alleen een coördinator van een organisatie kan een plan starten. Vraag de "
                "functioneel beheerder van uw organisatie om die rol."
            )
        )
    form = NewPlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = services.create_plan(
            by=request.user,
            titel=data["titel"],
            gemeenten=data["gemeenten"],
            periode_start=data["periode_start"],
            periode_eind=data["periode_eind"],
            toelichting=data["toelichting"],
        )
        messages.success(request, _("Het plan is aangemaakt."))
        return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/plan_new.html", {"form": form})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    stappen = list(plan.stappen.all())
    for stap in stappen:
        stap.targets = workflow.allowed_targets(stap.status)
    return render(
        request,
        "plans/plan_detail.html",
        _context(
            request,
            plan,
            stappen=stappen,
            werkgroep=plan.werkgroep.all(),
            reacties=confidential.comments_for(request.user, plan).select_related("auteur")[:5],
            rollen=plan.rollen.select_related("user"),
        ),
    )


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    perms = permissions_for(request.user, plan)
    if Permission.EDIT_CONTENT not in perms:
        raise PermissionDenied(_("U mag dit plan alleen lezen."))
    conflict = None
    if request.method == "POST":
        form = PlanForm(request.POST, instance=plan)
        if form.is_valid():
            # The form wrote the input into ``plan``; the service gets a fresh copy so that
            # it can tell what changed.
            data = form.cleaned_data
            try:
                services.update_plan(
                    get_plan_for_user(request.user, pk),
                    by=request.user,
                    expected_version=data["version"],
                    **{f: data[f] for f in services.PLAN_CONTENT_FIELDS if f in data},
                )
            except services.ConcurrentEditError as error:
                conflict = error
                plan.refresh_from_db()
                # Keep the user's input, but let the next save build on what is stored now.
                form.data = form.data.copy()
                form.data["version"] = plan.version
            except PermissionDenied:
                form.add_error(
                    None, _("Alleen de coördinator kan de periode van het plan wijzigen.")
                )
                plan.refresh_from_db()
            else:
                messages.success(request, _("De wijzigingen zijn opgeslagen."))
                return redirect("plans:detail", pk=plan.pk)
    else:
        form = PlanForm(instance=plan, initial={"version": plan.version})
    return render(
        request,
        "plans/plan_edit.html",
        _context(request, plan, form=form, conflict=conflict),
    )


@login_required
@require_POST
def step_status(request: HttpRequest, pk: int, nummer: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    form = StapStatusForm(request.POST)
    error = None
    missing: list[str] = []
    if not form.is_valid():
        error = _("Kies een geldige status.")
    elif (
        form.cleaned_data["status"] == workflow.StapStatus.AFGEROND
        and not form.cleaned_data["bevestigd"]
        and (missing := progress.gaps(plan, nummer))
    ):
        # finishing a step that still lacks parts: show them and ask for confirmation
        pass
    else:
        try:
            services.set_step_status(
                plan,
                by=request.user,
                nummer=nummer,
                status=form.cleaned_data["status"],
                expected_status=form.cleaned_data["huidige_status"],
            )
        except (workflow.TransitionNotAllowed, services.StaleStepError) as exc:
            error = str(exc)
        plan.refresh_from_db()
    if request.htmx or missing:
        stap = plan.stappen.get(nummer=nummer)
        stap.targets = workflow.allowed_targets(stap.status)
        context = _context(request, plan, stap=stap, error=error, missing=missing)
        if request.htmx:
            return render(request, "plans/_stap.html", context)
        return render(request, "plans/stap_afronden.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("De status van de stap is bijgewerkt."))
    return redirect("plans:detail", pk=plan.pk)


@login_required
def stap1(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1 on one page: the reason, the startnotitie's texts (editable, with the standard
    texts to start from), the planning and the working group, and what is still empty."""
    from ivp.plans.startnotitie import TEXTS

    plan = get_plan_for_user(request.user, pk)
    perms = permissions_for(request.user, plan)
    conflict = None
    form = None
    if Permission.EDIT_CONTENT in perms:
        if request.method == "POST":
            form = StartnotitieForm(request.POST, instance=get_plan_for_user(request.user, pk))
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.update_plan(
                        get_plan_for_user(request.user, pk),
                        by=request.user,
                        expected_version=data["version"],
                        **{f: data[f] for f in TEXTS},
                    )
                except services.ConcurrentEditError as error:
                    conflict = error
                    plan.refresh_from_db()
                    form.data = form.data.copy()
                    form.data["version"] = plan.version
                else:
                    messages.success(request, _("De startnotitie is opgeslagen."))
                    return redirect("plans:stap1", pk=plan.pk)
        else:
            initial = {"version": plan.version}
            initial |= {f: getattr(plan, f) or standard for f, (_h, standard) in TEXTS.items()}
            form = StartnotitieForm(instance=plan, initial=initial)
    elif request.method == "POST":
        raise PermissionDenied(_("U mag dit plan alleen lezen."))
    stap = plan.stappen.get(nummer=1)
    stap.targets = workflow.allowed_targets(stap.status)
    texts = [
        {"heading": heading, "text": getattr(plan, field) or standard}
        for field, (heading, standard) in TEXTS.items()
    ]
    return render(
        request,
        "plans/stap1.html",
        _context(
            request,
            plan,
            form=form,
            conflict=conflict,
            texts=texts,
            missing=progress.gaps(plan, 1),
            stap=stap,
            stappen=plan.stappen.all(),
            werkgroep=plan.werkgroep.all(),
        ),
    )


@login_required
def werkgroep(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    perms = permissions_for(request.user, plan)
    form = WerkgroepLidForm(request.POST or None)
    if request.method == "POST":
        if Permission.EDIT_CONTENT not in perms:
            raise PermissionDenied(_("U mag de werkgroep niet wijzigen."))
        if "verwijder" in request.POST:
            raw = request.POST["verwijder"].strip()
            lid_id = whole_number(raw)
            if lid_id is None or not plan.werkgroep.filter(pk=lid_id).exists():
                # a foreign, removed or malformed id: nothing to remove in this plan
                messages.error(
                    request,
                    _("Dit werkgroeplid bestaat niet (meer) in dit plan; er is niets verwijderd."),
                )
                return redirect("plans:werkgroep", pk=plan.pk)
            services.remove_werkgroeplid(plan, by=request.user, lid_id=lid_id)
            messages.success(request, _("Het werkgroeplid is verwijderd."))
            return redirect("plans:werkgroep", pk=plan.pk)
        if form.is_valid():
            services.add_werkgroeplid(plan, by=request.user, **form.cleaned_data)
            messages.success(request, _("Het werkgroeplid is toegevoegd."))
            return redirect("plans:werkgroep", pk=plan.pk)
    return render(
        request,
        "plans/werkgroep.html",
        _context(request, plan, form=form, werkgroep=plan.werkgroep.all()),
    )


@login_required
def geschiedenis(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    return render(
        request,
        "plans/geschiedenis.html",
        _context(
            request,
            plan,
            wijzigingen=confidential.history_for(request.user, plan).select_related("user")[:500],
        ),
    )


@login_required
def planning(request: HttpRequest, pk: int) -> HttpResponse:
    """Planned dates of the six steps; a proposal from the handbook's lead times."""
    plan = get_plan_for_user(request.user, pk)
    perms = permissions_for(request.user, plan)
    stappen = list(plan.stappen.all())
    initial = {"version": plan.version}
    for stap in stappen:
        initial[f"stap_{stap.nummer}_start"] = stap.gepland_start
        initial[f"stap_{stap.nummer}_eind"] = stap.gepland_eind
    form = PlanningForm(request.POST or None, stappen=stappen, initial=initial)
    conflict = None
    if request.method == "POST":
        if Permission.MANAGE_PLAN not in perms:
            raise PermissionDenied(_("Alleen de coördinator kan de planning wijzigen."))
        if form.is_valid() and "voorstel" in request.POST:
            start = form.cleaned_data["voorstel_vanaf"]
            if not start:
                form.add_error("voorstel_vanaf", _("Vul de datum in waarop de opstart begint."))
            else:
                data = form.data.copy()
                for nummer, (begin, end) in workflow.propose_planning(start).items():
                    data[f"stap_{nummer}_start"] = begin.isoformat()
                    data[f"stap_{nummer}_eind"] = end.isoformat() if end else ""
                form = PlanningForm(data, stappen=stappen)
                form.is_valid()
                messages.info(
                    request,
                    _("Voorstel ingevuld. Pas het aan waar nodig en kies ‘Opslaan’."),
                )
        elif form.is_valid():
            try:
                services.set_planning(
                    plan,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    dates=form.dates(),
                )
            except services.ConcurrentEditError as error:
                conflict = error
                form.data = form.data.copy()
                form.data["version"] = plan.version
            else:
                messages.success(request, _("De planning is opgeslagen."))
                return redirect("plans:planning", pk=plan.pk)
    return render(
        request,
        "plans/planning.html",
        _context(request, plan, form=form, conflict=conflict, stappen=stappen),
    )


ROLE_LABELS = dict(Rol.choices)
