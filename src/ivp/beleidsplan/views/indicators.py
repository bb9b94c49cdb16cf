"""Step 4, effect indicators: adding (lazily loaded form), editing and deleting an indicator,
and adding the catalogue's standard indicators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ivp.beleidsplan import services
from ivp.beleidsplan.confidential import hidden_for
from ivp.beleidsplan.forms import (
    IndicatorForm,
)
from ivp.beleidsplan.models import (
    Effectindicator,
    OverigThema,
    Prioriteit,
)
from ivp.beleidsplan.views.common import (
    _can,
    _context,
    _error_text,
    _indicator_anchor,
    _ivp_url,
    _picture,
    _require,
    _who,
)
from ivp.beleidsplan.views.ivp import (
    _indicator_form,
    _indicator_rows,
    _ivp_context,
    _series_choices,
)
from ivp.plans.access import get_plan_for_user
from ivp.plans.versioning import save_form
from ivp.userinput import whole_number

# -- step 4: indicators ------------------------------------------------------------


@login_required
@require_POST
def standaardindicatoren(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    made = services.add_default_strategic_indicators(plan, by=request.user)
    if made:
        messages.success(
            request,
            _("Toegevoegd: %(namen)s.") % {"namen": ", ".join(i.naam for i in made)},
        )
    else:
        messages.info(request, _("De standaardindicatoren staan er al."))
    return redirect(_ivp_url(plan, "hoofdstuk-2"))


def _owner(plan, onderdeel: str):
    if onderdeel == "plan":
        return None
    kind, number = onderdeel[:1], whole_number(onderdeel[1:])
    if number is None:
        raise Http404
    if kind == "p":
        return get_object_or_404(Prioriteit, plan=plan, pk=number)
    if kind == "o":
        return get_object_or_404(OverigThema, plan=plan, pk=number)
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def indicator_toevoegen(request: HttpRequest, pk: int, onderdeel: str) -> HttpResponse:
    """GET: the empty form (the fragment when the IVP page opens its "Indicator toevoegen"
    box, else a page of its own); POST: add the indicator."""
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    owner = _owner(plan, onderdeel)
    if owner is not None and hidden_for(request.user, plan).hides(owner):
        raise Http404
    picture, _no_data = _picture(plan)
    if request.method == "GET":
        form = _indicator_form(plan, picture, owner)
        first = "suggestie" if "suggestie" in form.fields else "naam"
        form.fields[first].widget.attrs["autofocus"] = True  # focus lands in the form
        context = {"form": form, "action": request.path}
        if owner is None:
            anchor = "indicatoren-plan"
        else:
            anchor = f"{'prioriteit' if isinstance(owner, Prioriteit) else 'cluster'}-{owner.pk}"
        if request.htmx:
            return render(request, "beleidsplan/_indicator_form.html", context)
        return render(
            request,
            "beleidsplan/indicator_nieuw.html",
            _context(
                request,
                plan,
                **context,
                owner_title=owner.titel if owner is not None else "",
                back=_ivp_url(plan, anchor),
            ),
        )
    form = _indicator_form(plan, picture, owner, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            indicator = services.add_indicator(
                plan,
                by=request.user,
                naam=data["naam"],
                bron=data["bron"],
                eenheid=data["eenheid"],
                prioriteit=owner if isinstance(owner, Prioriteit) else None,
                overig_thema=owner if isinstance(owner, OverigThema) else None,
                **form.values(),
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            text = _("De indicator ‘%(naam)s’ is toegevoegd.") % {"naam": indicator.naam}
            if indicator.reeks and data.get("uitgangswaarde") is None:
                if indicator.uitgangswaarde is not None:
                    text += " " + _("De uitgangswaarde komt uit de cijfers.")
                else:
                    found = services.baseline_from_data(
                        plan, indicator.reeks, indicator.eenheid, indicator.uitgangsjaar
                    )
                    text += " " + (found.reason or _("Geen uitgangswaarde in de cijfers."))
            messages.success(request, text)
            return redirect(_ivp_url(plan, _indicator_anchor(indicator)))
    return render(
        request,
        "beleidsplan/ivp.html",
        _ivp_context(request, plan, bound={f"indicator-{onderdeel}": (form, None)}),
    )


@login_required
def indicator(request: HttpRequest, pk: int, part: int) -> HttpResponse:
    """Edit one effect indicator."""
    plan = get_plan_for_user(request.user, pk)
    obj = get_object_or_404(Effectindicator, plan=plan, pk=part)
    if hidden_for(request.user, plan).hides(obj):
        raise Http404
    can_edit = _can(request, plan)
    picture, _no_data = _picture(plan)
    series = _series_choices(plan, picture, keep=obj.reeks)
    conflict = None
    if request.method == "POST":
        _require(request, plan)
        form = IndicatorForm(request.POST, series=series, editing=True)

        def save(data: dict) -> None:
            values = form.values()
            if values["reeks"] and values["uitgangswaarde"] is None:
                found = services.baseline_from_data(
                    plan, values["reeks"], data["eenheid"], values["uitgangsjaar"]
                )
                values["uitgangswaarde"] = found.value
                values["uitgangsjaar"] = found.year
                values["uitgangswaarde_voorlopig"] = found.provisional
                if found.source and not values["bron_toelichting"]:
                    values["bron_toelichting"] = found.source
            services.update_part(
                obj,
                by=request.user,
                expected_version=data["version"] or 0,
                naam=data["naam"].strip(),
                bron=data["bron"],
                eenheid=data["eenheid"],
                **values,
            )

        result = save_form(form, save)
        conflict = result.conflict
        if result.saved:
            messages.success(request, _("De indicator is opgeslagen."))
            return redirect(_ivp_url(plan, _indicator_anchor(obj)))
    else:
        form = IndicatorForm(
            series=series,
            editing=True,
            initial={
                "naam": obj.naam,
                "bron": obj.bron,
                "bron_toelichting": obj.bron_toelichting,
                "eenheid": obj.eenheid,
                "reeks": obj.reeks,
                "uitgangswaarde": obj.uitgangswaarde,
                "uitgangsjaar": obj.uitgangsjaar,
                "streefwaarde": obj.streefwaarde,
                "streefjaar": obj.streefjaar,
                "richting": obj.richting,
                "version": obj.version,
            },
        )
    current = conflict.current if conflict else None
    return render(
        request,
        "beleidsplan/indicator.html",
        _context(
            request,
            plan,
            obj=obj,
            form=form if can_edit else None,
            row=_indicator_rows(plan, [obj])[0],
            conflict=conflict,
            current=_indicator_rows(plan, [current])[0] if current else None,
            current_by=_who(current.updated_by) if current else "",
            back=_ivp_url(plan, _indicator_anchor(obj)),
        ),
    )
