"""Measures of an implementation plan: show, edit, add (also from the catalogue), move, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ivp.plans.versioning import save_form
from ivp.uitvoering import services
from ivp.uitvoering.forms import (
    CatalogusForm,
    MaatregelEditForm,
    MaatregelForm,
    SnelMaatregelForm,
    VerplaatsForm,
)
from ivp.uitvoering.models import Maatregel, Onderdeel, Uitvoeringsplan
from ivp.uitvoering.views.common import (
    CHANGED_EVENT,
    DASH,
    _can_edit,
    _context,
    _detail_url,
    _error_text,
    _item,
    _label,
    _measure,
    _require_edit,
    _show,
    _up,
    _who,
    delete_with_confirmation,
)
from ivp.uitvoering.views.uitvoeringsplan import _after_action, _single_row

# -- measures ------------------------------------------------------------------------------


def _datalists(plan, item: Onderdeel, prefix: str) -> tuple[dict, list[dict]]:
    """The ``list`` attributes of the partner fields and the datalists themselves."""
    suggestions = services.partner_suggestions(plan, item.thema)
    names = list(dict.fromkeys([*suggestions["intern"], *suggestions["extern"], *suggestions[""]]))
    lists = [{"id": f"{prefix}-partners", "names": names}]
    attrs = {"partners": f"{prefix}-partners"}
    return attrs, lists


def _move_choices(up: Uitvoeringsplan, exclude: Onderdeel) -> list:
    groups: dict[str, list[tuple[int, str]]] = {}
    for item in up.onderdelen.select_related("prioriteit", "overig_thema").order_by(
        "volgorde", "pk"
    ):
        if item.pk == exclude.pk:
            continue
        groups.setdefault(item.thema.titel, []).append((item.pk, item.titel))
    return list(groups.items())


def _other_version(current: Maatregel) -> dict:
    names = (
        "titel",
        "subgroep",
        "beschrijving",
        "bestuurlijk_trekker",
        "ambtelijk_trekker",
        "partners",
    )
    values = [{"label": _label(n), "value": _show(n, getattr(current, n))} for n in names]
    values.append({"label": _("Planning"), "value": current.planning_tekst or DASH})
    for name in ("prestatie_indicator", "prestatie_doel", "budget", "budget_bron", "status"):
        values.append({"label": _label(name), "value": _show(name, getattr(current, name))})
    return {"by": _who(current.updated_by), "when": current.updated_at, "values": values}


def _edit_context(request: HttpRequest, plan, up, measure: Maatregel, form, conflict=None) -> dict:
    choices = _move_choices(up, measure.onderdeel)
    return _context(
        request,
        plan,
        up=up,
        row=_single_row(measure, up),
        form=form,
        datalists=form.datalist_specs,
        conflict=conflict,
        other=_other_version(conflict.current) if conflict else None,
        move_form=VerplaatsForm(items=choices, auto_id=f"id_v{measure.pk}_%s") if choices else None,
        back=_detail_url(up, f"maatregel-{measure.pk}"),
        refresh_oob=None,
        changed_event=CHANGED_EVENT,
        detail_url=_detail_url(up),
    )


def _edit_form(plan, measure: Maatregel, data=None) -> MaatregelEditForm:
    attrs, lists = _datalists(plan, measure.onderdeel, f"m{measure.pk}")
    form = MaatregelEditForm(
        data,
        initial=None if data is not None else MaatregelEditForm.initial_for(measure),
        datalists=attrs,
        auto_id=f"id_m{measure.pk}_%s",
    )
    form.datalist_specs = lists
    return form


@login_required
def maatregel(request: HttpRequest, pk: int, jaar: int, measure: int) -> HttpResponse:
    """One row of the table (htmx: "Annuleren" swaps the form back for it)."""
    plan, up = _up(request, pk, jaar)
    obj = _measure(up, measure)
    if not request.htmx:
        return redirect(_detail_url(up, f"maatregel-{obj.pk}"))
    return render(
        request,
        "uitvoering/_rij.html",
        _context(request, plan, up=up, row=_single_row(obj, up), can_edit=_can_edit(request, plan)),
    )


@login_required
def maatregel_bewerken(request: HttpRequest, pk: int, jaar: int, measure: int) -> HttpResponse:
    """Edit one measure: with htmx the row becomes this form in place; without JavaScript
    it is a page of its own. A stale save keeps the input and shows the other version."""
    plan, up = _up(request, pk, jaar)
    _require_edit(request, plan)
    if not Maatregel.objects.filter(onderdeel__uitvoeringsplan=up, pk=measure).exists():
        message = _("Deze maatregel is intussen verwijderd.")
        if request.htmx:
            return render(
                request, "uitvoering/_rij_weg.html", _context(request, plan, message=message)
            )
        messages.error(request, message)
        return redirect(_detail_url(up))
    obj = _measure(up, measure)
    conflict = None
    template = "uitvoering/_rij_form.html" if request.htmx else "uitvoering/maatregel.html"
    if request.method == "POST":
        form = _edit_form(plan, obj, request.POST)
        result = save_form(
            form,
            lambda data: services.update_part(
                obj, by=request.user, expected_version=data["version"], **form.values()
            ),
        )
        conflict = result.conflict
        if result.saved:
            saved = result.value
            if request.htmx:
                saved = _measure(up, saved.pk)
                response = render(
                    request,
                    "uitvoering/_rij.html",
                    _context(
                        request,
                        plan,
                        up=up,
                        row=_single_row(saved, up, saved=True),
                        can_edit=True,
                    ),
                )
                response["HX-Trigger"] = CHANGED_EVENT
                return response
            messages.success(
                request, _("De maatregel ‘%(titel)s’ is opgeslagen.") % {"titel": saved.titel}
            )
            return redirect(_detail_url(up, f"maatregel-{obj.pk}"))
    else:
        form = _edit_form(plan, obj)
    # htmx swaps only 2xx answers: a form with errors or a conflict is answered with 200.
    return render(request, template, _edit_context(request, plan, up, obj, form, conflict))


@login_required
def maatregel_nieuw(request: HttpRequest, pk: int, jaar: int, item: int) -> HttpResponse:
    """Add a measure to an item: from the row under the item (only its title), or on a
    page of its own with all fields."""
    plan, up = _up(request, pk, jaar)
    obj = _item(up, item)
    _require_edit(request, plan)
    attrs, lists = _datalists(plan, obj, f"n{obj.pk}")
    full = request.method == "GET" or request.POST.get("vorm") == "volledig"
    if request.method == "POST" and not full:
        form = SnelMaatregelForm(request.POST, auto_id=f"id_n{obj.pk}_%s")
        if form.is_valid():
            measure = services.add_maatregel(obj, by=request.user, titel=form.cleaned_data["titel"])
            return _after_action(
                request,
                plan,
                up,
                message=_("De maatregel ‘%(titel)s’ is toegevoegd. Vul de rest in met ‘Bewerken’.")
                % {"titel": measure.titel},
                anchor=f"maatregel-{measure.pk}",
                notice_at=f"onderdeel-{obj.pk}",
                focus=obj.pk,
            )
        return _after_action(
            request,
            plan,
            up,
            message=_("De maatregel is niet toegevoegd."),
            error=True,
            notice_at=f"onderdeel-{obj.pk}",
            bound={("item", obj.pk): form},
        )
    if request.method == "POST":
        form = MaatregelForm(request.POST, datalists=attrs)
        if form.is_valid():
            try:
                measure = services.add_maatregel(obj, by=request.user, **form.values())
            except ValidationError as invalid:
                form.add_error(None, _error_text(invalid))
            else:
                messages.success(
                    request, _("De maatregel ‘%(titel)s’ is toegevoegd.") % {"titel": measure.titel}
                )
                return redirect(_detail_url(up, f"maatregel-{measure.pk}"))
    else:
        form = MaatregelForm(initial={"titel": request.GET.get("titel", "")[:300]}, datalists=attrs)
    return render(
        request,
        "uitvoering/maatregel_nieuw.html",
        _context(
            request,
            plan,
            up=up,
            item=obj,
            form=form,
            datalists=lists,
            back=_detail_url(up, f"onderdeel-{obj.pk}"),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def catalogus(request: HttpRequest, pk: int, jaar: int, item: int) -> HttpResponse:
    """Add a measure from the theme library; it keeps its catalogue id. GET: the list (the
    fragment when the page opens its box, else a page of its own)."""
    plan, up = _up(request, pk, jaar)
    obj = _item(up, item)
    _require_edit(request, plan)
    if request.method == "GET":
        form = CatalogusForm(
            offered=services.catalogue_measures(obj.thema), auto_id=f"id_c{obj.pk}_%s"
        )
        form.fields["catalogus_id"].widget.attrs["autofocus"] = True
        entry = {"obj": obj, "catalogue_url": request.path}
        if request.htmx:
            return render(request, "uitvoering/_catalogus_form.html", {"f": form, "entry": entry})
        return render(
            request,
            "uitvoering/catalogus.html",
            _context(
                request,
                plan,
                f=form,
                entry=entry,
                standalone=True,
                back=_detail_url(up, f"onderdeel-{obj.pk}"),
            ),
        )
    form = CatalogusForm(
        request.POST, offered=services.catalogue_measures(obj.thema), auto_id=f"id_c{obj.pk}_%s"
    )
    if form.is_valid():
        try:
            measure = services.add_from_catalogue(
                obj, by=request.user, catalogus_id=form.cleaned_data["catalogus_id"]
            )
        except ValidationError as error:
            form.add_error("catalogus_id", _error_text(error))
        else:
            return _after_action(
                request,
                plan,
                up,
                message=_("Maatregel %(id)s uit de themabibliotheek is toegevoegd.")
                % {"id": measure.catalogus_id},
                anchor=f"maatregel-{measure.pk}",
                notice_at=f"onderdeel-{obj.pk}",
            )
    return _after_action(
        request,
        plan,
        up,
        message=_("Kies een maatregel uit de lijst."),
        error=True,
        notice_at=f"onderdeel-{obj.pk}",
        bound={("catalogue", obj.pk): form},
    )


@login_required
@require_POST
def verplaatsen(request: HttpRequest, pk: int, jaar: int, measure: int) -> HttpResponse:
    """One row up or down in its item, or to the end of another item."""
    plan, up = _up(request, pk, jaar)
    obj = _measure(up, measure)
    _require_edit(request, plan)
    form = VerplaatsForm(request.POST, items=_move_choices(up, obj.onderdeel))
    if not form.is_valid():
        return _after_action(
            request,
            plan,
            up,
            message=_("Kies omhoog, omlaag of een ander onderdeel."),
            error=True,
            anchor=f"maatregel-{obj.pk}",
            notice_at=f"onderdeel-{obj.onderdeel_id}",
        )
    target = form.cleaned_data["naar"]
    if target is not None:
        to = _item(up, target)
        services.move_maatregel(obj, by=request.user, to=to)
        message = _("‘%(titel)s’ staat nu onder ‘%(onderdeel)s’.") % {
            "titel": obj.titel,
            "onderdeel": to.titel,
        }
        where = to.pk
    else:
        services.move_maatregel(obj, by=request.user, direction=form.cleaned_data["richting"])
        message = _("‘%(titel)s’ is verplaatst.") % {"titel": obj.titel}
        where = obj.onderdeel_id
    return _after_action(
        request,
        plan,
        up,
        message=message,
        anchor=f"maatregel-{obj.pk}",
        notice_at=f"onderdeel-{where}",
    )


@login_required
def maatregel_verwijderen(request: HttpRequest, pk: int, jaar: int, measure: int) -> HttpResponse:
    plan, up = _up(request, pk, jaar)
    obj = _measure(up, measure)
    _require_edit(request, plan)
    return delete_with_confirmation(
        request,
        plan,
        up,
        obj,
        reload=lambda: _measure(up, obj.pk),
        stale_text=_(
            "%(who)s heeft deze maatregel intussen gewijzigd. Bekijk hieronder de huidige "
            "versie en bevestig opnieuw als u hem toch wilt verwijderen."
        ),
        done_text=_("De maatregel ‘%(titel)s’ is verwijderd."),
        done_anchor=f"onderdeel-{obj.onderdeel_id}",
        soort="maatregel",
        shown=lambda current: {"row": _single_row(current, up)},
        back=_detail_url(up, f"maatregel-{obj.pk}"),
    )
