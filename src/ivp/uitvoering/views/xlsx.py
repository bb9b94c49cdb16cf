"""The Excel round trip of an implementation plan: download, upload with a preview of every
change, and applying it (as a background job)."""

from __future__ import annotations

import base64
import binascii
import secrets
import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ivp.uitvoering import spreadsheet
from ivp.uitvoering.forms import (
    DoorvoerForm,
    UploadForm,
)
from ivp.uitvoering.models import Maatregel, Uitvoeringsplan
from ivp.uitvoering.views.common import (
    DASH,
    MAX_PENDING_UPLOADS,
    PLANNING_FIELDS,
    SESSION_KEY,
    XLSX_TYPE,
    _can_edit,
    _context,
    _detail_url,
    _label,
    _require_edit,
    _show,
    _up,
    money,
)

# -- the XLSX round trip ---------------------------------------------------------------------


@login_required
@require_GET
def xlsx(request: HttpRequest, pk: int, jaar: int) -> HttpResponse:
    plan, up = _up(request, pk, jaar)
    internal = request.GET.get("intern") == "1"
    if internal and not _can_edit(request, plan):
        raise PermissionDenied
    response = HttpResponse(
        spreadsheet.export_xlsx(up, public=not internal), content_type=XLSX_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="uitvoeringsplan-{up.jaar}.xlsx"'
    return response


def _stash(request: HttpRequest, up: Uitvoeringsplan, data: bytes, name: str) -> str:
    """Keep an uploaded sheet in the session until the user confirms; returns the token."""
    token = secrets.token_urlsafe(24)
    pending = dict(request.session.get(SESSION_KEY, {}))
    pending[token] = {
        "up": up.pk,
        "name": name[:200],
        "at": time.time(),
        "data": base64.b64encode(data).decode("ascii"),
    }
    for old in sorted(pending, key=lambda t: pending[t]["at"])[:-MAX_PENDING_UPLOADS]:
        del pending[old]
    request.session[SESSION_KEY] = pending
    return token


def _take(request: HttpRequest, up: Uitvoeringsplan, token: str) -> tuple[bytes, str] | None:
    """The sheet stored under ``token`` for ``up``, removed from the session (single use)."""
    pending = dict(request.session.get(SESSION_KEY, {}))
    entry = pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    if not entry or entry.get("up") != up.pk:
        return None
    try:
        return base64.b64decode(entry["data"], validate=True), entry.get("name", "")
    except (binascii.Error, KeyError, TypeError):
        return None


def _cell(field_name: str, row: int) -> str:
    column = "planning" if field_name in PLANNING_FIELDS else field_name
    letter = spreadsheet.LETTER.get(column) or spreadsheet.LETTER["onderdeel"]
    return f"{letter}{row}"


def _change_rows(change: spreadsheet.RowChange) -> list[dict]:
    """The changed cells of a row: label, cell, old → new (the planning as one cell)."""
    cells = []
    planning_done = False
    for name, (old, new) in change.changed.items():
        if name in PLANNING_FIELDS:
            if planning_done:
                continue
            planning_done = True
            planned = Maatregel(**{f: change.values[f] for f in PLANNING_FIELDS})
            cells.append(
                {
                    "label": _("Planning"),
                    "cell": _cell("planning", change.row),
                    "old": change.measure.planning_tekst or DASH,
                    "new": planned.planning_tekst or DASH,
                }
            )
            continue
        cells.append(
            {
                "label": _label(name),
                "cell": _cell(name, change.row),
                "old": _show(name, old),
                "new": _show(name, new),
            }
        )
    return cells


def _new_row(change: spreadsheet.RowChange) -> dict:
    values = change.values
    planned = Maatregel(**{f: values[f] for f in PLANNING_FIELDS if f in values})
    details = [
        (_("Bestuurlijk trekker"), values.get("bestuurlijk_trekker")),
        (_("Planning"), planned.planning_tekst),
        (_("Budget"), money(values["budget"]) if values.get("budget") is not None else ""),
        (_("Status"), _show("status", values.get("status"))),
    ]
    return {
        "row": change.row,
        "owner": change.owner[1].titel,
        "onderdeel": change.onderdeel,
        "titel": values.get("titel", ""),
        "details": [{"label": k, "value": v} for k, v in details if v],
    }


def _errors(report: spreadsheet.SheetReport) -> list[dict]:
    result = []
    for text in report.errors:
        cell, sep, message = text.partition(": ")
        if sep and cell[:1].isalpha() and cell[-1:].isdecimal() and len(cell) <= 8:
            result.append({"cell": cell, "message": message})
        else:
            result.append({"cell": "", "message": text})
    return result


def _preview_context(
    request: HttpRequest, plan, up, report: spreadsheet.SheetReport, *, token: str = "", name=""
) -> dict:
    changed = [c for c in report.changes if c.kind == "gewijzigd"]
    new = [c for c in report.changes if c.kind == "nieuw"]
    return _context(
        request,
        plan,
        up=up,
        name=name,
        ok=report.ok,
        notices=[
            {"cell": n.partition(": ")[0], "message": n.partition(": ")[2]} for n in report.notices
        ],
        errors=_errors(report),
        new=[_new_row(c) for c in new],
        changed=[
            {
                "row": c.row,
                "titel": c.title,
                "owner": c.measure.onderdeel.thema.titel,
                "onderdeel": c.measure.onderdeel.titel,
                "url": _detail_url(up, f"maatregel-{c.measure.pk}"),
                "cells": _change_rows(c),
            }
            for c in changed
        ],
        missing=[
            {
                "titel": m.titel,
                "onderdeel": m.onderdeel.titel,
                "url": _detail_url(up, f"maatregel-{m.pk}"),
            }
            for m in report.missing
        ],
        unchanged=report.unchanged,
        has_changes=bool(report.changes),
        confirm_form=DoorvoerForm(initial={"token": token}) if token else None,
        upload_form=UploadForm(),
        back=_detail_url(up),
        upload_url=reverse("uitvoering:inlezen", args=[plan.pk, up.jaar]),
        xlsx_url=reverse("uitvoering:xlsx", args=[plan.pk, up.jaar]),
    )


@login_required
def inlezen(request: HttpRequest, pk: int, jaar: int) -> HttpResponse:
    """Upload an edited sheet: a preview of what would change; nothing is stored yet."""
    plan, up = _up(request, pk, jaar)
    _require_edit(request, plan)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["bestand"]
            data = upload.read()
            report = spreadsheet.read_xlsx(up, data)
            token = ""
            if report.ok and report.changes:
                token = _stash(request, up, data, upload.name)
            context = _preview_context(request, plan, up, report, token=token, name=upload.name)
            return render(request, "uitvoering/voorvertoning.html", context)
    else:
        form = UploadForm()
    return render(
        request,
        "uitvoering/inlezen.html",
        _context(
            request,
            plan,
            up=up,
            form=form,
            back=_detail_url(up),
            xlsx_url=reverse("uitvoering:xlsx", args=[plan.pk, up.jaar]),
        ),
    )


@login_required
@require_POST
def doorvoeren(request: HttpRequest, pk: int, jaar: int) -> HttpResponse:
    """Apply the previewed sheet (all or nothing); the token works once."""
    plan, up = _up(request, pk, jaar)
    _require_edit(request, plan)
    form = DoorvoerForm(request.POST)
    stored = _take(request, up, form.data.get("token", "")) if form.is_valid() else None
    if stored is None:
        messages.error(
            request,
            _(
                "Deze voorvertoning is verlopen of al doorgevoerd. Lees het bestand opnieuw in "
                "om de wijzigingen te zien."
            ),
        )
        return redirect("uitvoering:inlezen", pk=plan.pk, jaar=up.jaar)
    data, name = stored
    # Applying runs as a background job (ivp.jobs): all or nothing, with a progress page.
    from ivp.jobs import services as jobs

    job = jobs.start(
        "uitvoering.xlsx_apply",
        by=request.user,
        title=_("Excel-bestand %(name)s doorvoeren in uitvoeringsplan %(jaar)s")
        % {"name": name or "", "jaar": up.jaar},
        plan=plan,
        params={"jaar": up.jaar},
        input_data=data,
        input_name=name or "uitvoeringsplan.xlsx",
    )
    if job.status == job.Status.DONE:  # done at once (the tests' immediate queue)
        messages.success(request, job.message)
        return redirect(_detail_url(up))
    return redirect("jobs:detail", pk=job.pk)
