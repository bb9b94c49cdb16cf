"""The pages that change the shape of the IVP document (step 4): the plan's own chapters and
annexes, their order, leaving a method chapter out, the numbered sections of a chapter, and
the cover and part headings. They validate input and call ``services``; a refused or stale
save shows the IVP page again with what the user typed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ivp.beleidsplan import services
from ivp.beleidsplan.forms import NieuweParagraafForm, NieuwHoofdstukForm, OpmaakForm, ParagraafForm
from ivp.beleidsplan.models import Hoofdstuk, Paragraaf
from ivp.beleidsplan.views.common import _chapter_anchor, _error_text, _ivp_url, _require
from ivp.beleidsplan.views.ivp import _hoofdstuk_form, _ivp_context
from ivp.plans.access import get_plan_for_user
from ivp.plans.versioning import save_form
from ivp.userinput import whole_number


def _again(request: HttpRequest, plan, bound: dict) -> HttpResponse:
    return render(request, "beleidsplan/ivp.html", _ivp_context(request, plan, bound=bound))


def _chapter(plan, pk: int) -> Hoofdstuk:
    return get_object_or_404(Hoofdstuk, plan=plan, pk=pk)


def _method_or_own(plan, nummer: int | None, pk: int | None) -> Hoofdstuk:
    if pk is not None:
        return _chapter(plan, pk)
    return services.hoofdstuk(plan, nummer)


def _version(text: str) -> int:
    """The version a form sent; a malformed one counts as stale (-1 is never stored)."""
    number = whole_number(text)
    return -1 if number is None else number


@login_required
@require_POST
def hoofdstuk_toevoegen(request: HttpRequest, pk: int) -> HttpResponse:
    """An own chapter or an annex."""
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    form = NieuwHoofdstukForm(request.POST, auto_id="id_nieuw-hoofdstuk-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            chapter = services.add_hoofdstuk(
                plan,
                by=request.user,
                titel=data["titel"],
                soort=data["soort"],
                vooraan=data["vooraan"],
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request, _("‘%(titel)s’ is toegevoegd.") % {"titel": chapter.weergavetitel}
            )
            return redirect(_ivp_url(plan, _chapter_anchor(chapter)))
    return _again(request, plan, {"nieuw-hoofdstuk": (form,)})


@login_required
@require_POST
def deel(request: HttpRequest, pk: int, part: int) -> HttpResponse:
    """Save an own chapter or annex (title, reference, text)."""
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    chapter = _chapter(plan, part)
    form = _hoofdstuk_form(plan, chapter, request.POST)
    result = save_form(
        form,
        lambda data: services.update_part(
            chapter, by=request.user, expected_version=data["version"], **form.values()
        ),
    )
    if result.saved:
        messages.success(
            request, _("‘%(titel)s’ is opgeslagen.") % {"titel": chapter.weergavetitel}
        )
        return redirect(_ivp_url(plan, _chapter_anchor(chapter)))
    return _again(request, plan, {f"d{chapter.pk}": (form, result.conflict)})


@login_required
@require_POST
def hoofdstuk_verplaatsen(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a chapter (``nummer`` for the method's, ``deel`` for an own one) up or down."""
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    nummer = request.POST.get("nummer", "")
    own = request.POST.get("deel", "")
    chapter = _method_or_own(
        plan,
        n if (n := whole_number(nummer)) in Hoofdstuk.Nummer.values else None,
        whole_number(own),
    )
    if chapter.nummer is None and chapter.pk is None:  # pragma: no cover - guarded above
        return redirect(_ivp_url(plan, "opbouw"))
    direction = -1 if request.POST.get("richting") == "-1" else 1
    services.move_hoofdstuk(chapter, by=request.user, direction=direction)
    return redirect(_ivp_url(plan, "opbouw"))


@login_required
@require_POST
def hoofdstuk_weglaten(request: HttpRequest, pk: int, nummer: int) -> HttpResponse:
    """Leave a method chapter out of the document, or put it back."""
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    chapter = services.hoofdstuk(plan, nummer)
    leave_out = request.POST.get("weglaten") == "1"
    try:
        services.save_hoofdstuk(
            plan,
            by=request.user,
            nummer=nummer,
            expected_version=chapter.version,
            weggelaten=leave_out,
        )
    except (ValidationError, services.StaleEditError) as error:
        messages.error(
            request, _error_text(error) if isinstance(error, ValidationError) else str(error)
        )
    else:
        messages.success(
            request,
            (
                _("‘%(t)s’ staat niet meer in het document; de tekst blijft bewaard.")
                if leave_out
                else _("‘%(t)s’ staat weer in het document.")
            )
            % {"t": chapter.weergavetitel},
        )
    return redirect(_ivp_url(plan, "opbouw"))


@login_required
@require_POST
def deel_verwijderen(request: HttpRequest, pk: int, part: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    chapter = _chapter(plan, part)
    version = request.POST.get("version", "")
    try:
        services.delete_hoofdstuk(chapter, by=request.user, expected_version=_version(version))
    except services.StaleEditError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("‘%(titel)s’ is verwijderd.") % {"titel": chapter.weergavetitel}
        )
    return redirect(_ivp_url(plan, "opbouw"))


@login_required
@require_POST
def paragraaf_toevoegen(request: HttpRequest, pk: int) -> HttpResponse:
    """A new section at the end of a chapter (``nummer`` or ``deel``)."""
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    nummer = request.POST.get("nummer", "")
    own = request.POST.get("deel", "")
    chapter = _method_or_own(
        plan,
        n if (n := whole_number(nummer)) in Hoofdstuk.Nummer.values else 1,
        whole_number(own),
    )
    anchor = _chapter_anchor(chapter)
    form = NieuweParagraafForm(request.POST, auto_id=f"id_nieuw-{anchor}-%s")
    if form.is_valid():
        try:
            section = services.add_paragraaf(
                plan, by=request.user, hoofdstuk=chapter, titel=form.cleaned_data["titel"]
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request, _("Paragraaf ‘%(titel)s’ is toegevoegd.") % {"titel": section.titel}
            )
            return redirect(_ivp_url(plan, f"paragraaf-{section.pk}"))
    return _again(request, plan, {f"nieuw-{anchor}": (form,)})


def _section(plan, part: int) -> Paragraaf:
    return get_object_or_404(Paragraaf, hoofdstuk__plan=plan, pk=part)


@login_required
@require_POST
def paragraaf(request: HttpRequest, pk: int, part: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    section = _section(plan, part)
    form = ParagraafForm(request.POST, prefix=f"par{section.pk}")
    result = save_form(
        form,
        lambda data: services.update_part(
            section, by=request.user, expected_version=data["version"], **form.values()
        ),
    )
    if result.saved:
        messages.success(
            request, _("Paragraaf ‘%(titel)s’ is opgeslagen.") % {"titel": section.titel}
        )
        return redirect(_ivp_url(plan, f"paragraaf-{section.pk}"))
    return _again(request, plan, {f"par{section.pk}": (form, result.conflict)})


@login_required
@require_POST
def paragraaf_verplaatsen(request: HttpRequest, pk: int, part: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    section = _section(plan, part)
    direction = -1 if request.POST.get("richting") == "-1" else 1
    services.move_paragraaf(section, by=request.user, direction=direction)
    return redirect(_ivp_url(plan, f"paragraaf-{section.pk}"))


@login_required
@require_POST
def paragraaf_verwijderen(request: HttpRequest, pk: int, part: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    section = _section(plan, part)
    anchor = _chapter_anchor(section.hoofdstuk)
    version = request.POST.get("version", "")
    try:
        services.delete_part(section, by=request.user, expected_version=_version(version))
    except services.StaleEditError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Paragraaf ‘%(titel)s’ is verwijderd.") % {"titel": section.titel}
        )
    return redirect(_ivp_url(plan, anchor))


@login_required
@require_POST
def opmaak(request: HttpRequest, pk: int) -> HttpResponse:
    """The cover's subtitle and the headings of a priority's parts."""
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    form = OpmaakForm(request.POST)
    result = save_form(
        form,
        lambda data: services.save_opmaak(
            plan, by=request.user, expected_version=data["version"], **form.values()
        ),
    )
    if result.saved:
        messages.success(request, _("Het voorblad en de koppen zijn opgeslagen."))
        return redirect(_ivp_url(plan, "opbouw"))
    if result.conflict:
        messages.error(request, str(result.conflict))
    return _again(request, plan, {"opmaak": (form, result.conflict)})
