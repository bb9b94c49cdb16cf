"""Pages that give roles in plans: per plan (its coordinators and the functioneel
beheerders of its gemeenten) and per person (a functioneel beheerder gives a member of the
organisation a role in each plan of its gemeenten). Both call ``services.set_roles``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ivp.accounts.models import User
from ivp.accounts.organisations import beheerde_organisaties, users_for_gemeenten
from ivp.plans import services
from ivp.plans.access import Permission, can, get_plan_for_user, permissions_for, plans_for_user
from ivp.plans.models import Rol

GEEN = ""
ROLE_CHOICES = [(GEEN, gettext_lazy("geen eigen rol")), *Rol.choices]


def _rol(value: str) -> str | None:
    if value == GEEN:
        return None
    if value not in Rol.values:
        raise ValueError(_("Kies een geldige rol."))
    return value


@login_required
def plan_rollen(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    perms = permissions_for(request.user, plan)
    if Permission.MANAGE_ROLES not in perms:
        raise PermissionDenied(_("Alleen de coördinator of de functioneel beheerder geeft rollen."))
    rollen = list(plan.rollen.select_related("user"))
    with_role = {r.user_id for r in rollen}
    kandidaten = (
        users_for_gemeenten(plan.gemeenten.values("pk"))
        .exclude(pk__in=with_role)
        .order_by("last_name", "first_name", "username")
    )
    if request.method == "POST":
        try:
            changes = [
                (plan, r.user, _rol(request.POST.get(f"rol_{r.user_id}", r.rol))) for r in rollen
            ]
            nieuw = request.POST.get("nieuw_persoon")
            if nieuw:
                persoon = kandidaten.filter(pk=nieuw).first()
                if persoon is None:
                    raise ValueError(_("Kies een persoon uit de lijst."))
                nieuwe_rol = _rol(request.POST.get("nieuw_rol", ""))
                if nieuwe_rol is None:
                    raise ValueError(_("Kies de rol van de nieuwe persoon."))
                changes.append((plan, persoon, nieuwe_rol))
            changed = services.set_roles(by=request.user, changes=changes)
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("De rollen zijn opgeslagen.") if changed else _("Er is niets gewijzigd."),
            )
            return redirect("plans:rollen", pk=plan.pk)
    return render(
        request,
        "plans/rollen.html",
        {
            "plan": plan,
            "perms": {p.value: (p in perms) for p in Permission},
            "rollen": rollen,
            "kandidaten": kandidaten,
            "role_choices": ROLE_CHOICES,
            "plan_role_choices": Rol.choices,
        },
    )


@login_required
def gebruiker_rollen(request: HttpRequest, user_id: int) -> HttpResponse:
    """A functioneel beheerder gives one member roles in the plans of the organisation."""
    managed = beheerde_organisaties(request.user)
    persoon = User.objects.filter(pk=user_id, lidmaatschappen__organisatie__in=managed).first()
    if persoon is None:
        raise Http404
    plannen = [
        p
        for p in plans_for_user(request.user).prefetch_related("gemeenten")
        if can(request.user, p, Permission.MANAGE_ROLES)
    ]
    huidig = dict(persoon.planrollen.filter(plan__in=plannen).values_list("plan_id", "rol"))
    if request.method == "POST":
        try:
            changes = [
                (p, persoon, _rol(request.POST.get(f"plan_{p.pk}", huidig.get(p.pk, GEEN))))
                for p in plannen
            ]
            changed = services.set_roles(by=request.user, changes=changes)
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("De rollen van %(naam)s zijn opgeslagen.") % {"naam": persoon}
                if changed
                else _("Er is niets gewijzigd."),
            )
            return redirect("plans:gebruiker_rollen", user_id=persoon.pk)
    organisatie = managed.filter(lidmaatschappen__user=persoon).first()
    lid = persoon.lidmaatschappen.filter(organisatie=organisatie).first()
    return render(
        request,
        "plans/gebruiker_rollen.html",
        {
            "persoon": persoon,
            "organisatie": organisatie,
            "lid": lid,
            "rijen": [(p, huidig.get(p.pk, GEEN)) for p in plannen],
            "role_choices": ROLE_CHOICES,
        },
    )
