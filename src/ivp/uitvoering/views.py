"""Pages of step 5, the uitvoeringsplan (implementation plan), under
``/plannen/<pk>/uitvoering/``:

- the list of the implementation plans of the IVP per year, with the first plan and the
  follow-up plan for the next year;
- one plan per year: its texts and adoption, per priority and per cluster of ongoing themes
  a table of its items (onderdelen) with their measures as rows, edited in place with htmx
  (without JavaScript on a page of their own), moved, deleted, added by hand or from the
  theme library; the budgets and the status counts;
- the XLSX round trip: download, upload with a preview of what would change (nothing is
  stored), and "Wijzigingen doorvoeren" to apply it. The uploaded bytes wait in the
  session under a random single-use token.

Views validate input and call ``services``; a stale save keeps the user's input and shows
the other version next to it.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import time
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ivp.beleidsplan.confidential import hidden_for
from ivp.plans.access import Permission, get_plan_for_user, permissions_for
from ivp.uitvoering import services, spreadsheet
from ivp.uitvoering.confidential import hidden_items_for
from ivp.uitvoering.forms import (
    PLANNING_DETAIL,
    CatalogusForm,
    DoorvoerForm,
    MaatregelEditForm,
    MaatregelForm,
    NieuwOnderdeelForm,
    NieuwUitvoeringsplanForm,
    OnderdeelForm,
    SnelMaatregelForm,
    TekstenForm,
    UploadForm,
    VerplaatsForm,
    VervolgForm,
)
from ivp.uitvoering.models import Maatregel, Onderdeel, Uitvoeringsplan

DASH = "—"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "uitvoering_xlsx"
MAX_PENDING_UPLOADS = 3  # per session; older previews are dropped
CHANGED_EVENT = "uitvoering-gewijzigd"
PLANNING_FIELDS = ("planning", *PLANNING_DETAIL)
KINDS = {"prioriteit": "prioriteit", "overig": "overig_thema"}


# -- formatting --------------------------------------------------------------------------


def money(value: Decimal | None) -> str:
    """ "€ 12.500" or "€ 12.500,50" in the active language; "—" without an amount."""
    if value is None:
        return DASH
    digits = 0 if value == value.to_integral_value() else 2
    # a no-break space: "€" and the amount stay on one line
    return "€\u00a0" + formats.number_format(value, decimal_pos=digits, force_grouping=True)


def _who(user) -> str:
    if user is None:
        return _("iemand anders")
    return user.get_full_name() or user.username


def _show(name: str, value) -> str:
    """A stored or read value as the preview and the other version show it."""
    if value is None or value == "" or value == []:
        return DASH
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if name == "budget":
        return money(Decimal(str(value)))
    if name == "status":
        return str(Maatregel.Status(value).label)
    if name == "planning":
        return str(Maatregel.Planning(value).label)
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, date):
        return formats.date_format(value, "j F Y")
    return str(value)


def _label(name: str) -> str:
    if name == "onderdeel":
        return _("Thema / onderdeel")
    return str(MaatregelForm.base_fields[name].label)


# -- lookups and permissions ---------------------------------------------------------------


def _perms(request: HttpRequest, plan) -> dict[str, bool]:
    perms = permissions_for(request.user, plan)
    return {p.value: (p in perms) for p in Permission}


def _can_edit(request: HttpRequest, plan) -> bool:
    return Permission.EDIT_CONTENT in permissions_for(request.user, plan)


def _require_edit(request: HttpRequest, plan) -> None:
    if not _can_edit(request, plan):
        raise PermissionDenied(_("U mag het uitvoeringsplan van dit plan alleen lezen."))


def _context(request: HttpRequest, plan, **extra) -> dict:
    return {"plan": plan, "perms": _perms(request, plan), **extra}


def _up(request: HttpRequest, pk: int, jaar: int) -> tuple:
    plan = get_plan_for_user(request.user, pk)
    up = get_object_or_404(Uitvoeringsplan, plan=plan, jaar=jaar)
    # items under a confidential priority or cluster that this user may not see
    up.hidden_items = hidden_items_for(request.user, plan)
    return plan, up


def _item(up: Uitvoeringsplan, item_pk: int) -> Onderdeel:
    item = get_object_or_404(
        Onderdeel.objects.select_related("prioriteit", "overig_thema"),
        uitvoeringsplan=up,
        pk=item_pk,
    )
    if item.pk in getattr(up, "hidden_items", ()):
        raise Http404
    return item


def _measure(up: Uitvoeringsplan, measure_pk: int) -> Maatregel:
    measure = get_object_or_404(
        Maatregel.objects.select_related(
            "onderdeel__prioriteit", "onderdeel__overig_thema", "updated_by"
        ),
        onderdeel__uitvoeringsplan=up,
        pk=measure_pk,
    )
    if measure.onderdeel_id in getattr(up, "hidden_items", ()):
        raise Http404
    return measure


def _detail_url(up: Uitvoeringsplan, anchor: str = "") -> str:
    url = reverse("uitvoering:detail", args=[up.plan_id, up.jaar])
    return f"{url}#{anchor}" if anchor else url


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _owner_key(item: Onderdeel) -> str:
    if item.prioriteit_id:
        return f"prioriteit-{item.prioriteit_id}"
    return f"overig-{item.overig_thema_id}"


def _theme_titles() -> dict[str, str]:
    from ivp.catalogue.content_loader import shipped_catalogue

    return {t.code: t.titel for t in shipped_catalogue().themas}


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


# -- one implementation plan -------------------------------------------------------------


def _row(m: Maatregel, *, up: Uitvoeringsplan, first: bool, last: bool, saved=False) -> dict:
    args = [up.plan_id, up.jaar, m.pk]
    return {
        "obj": m,
        "planning": m.planning_tekst,
        "budget": money(m.budget) if m.budget is not None else "",
        "first": first,
        "last": last,
        "saved": saved,
        "edit_url": reverse("uitvoering:maatregel_bewerken", args=args),
        "row_url": reverse("uitvoering:maatregel", args=args),
        "move_url": reverse("uitvoering:verplaatsen", args=args),
        "delete_url": reverse("uitvoering:maatregel_verwijderen", args=args),
    }


def _single_row(m: Maatregel, up: Uitvoeringsplan, saved: bool = False) -> dict:
    siblings = list(m.onderdeel.maatregelen.values_list("pk", flat=True))
    return _row(m, up=up, first=siblings[:1] == [m.pk], last=siblings[-1:] == [m.pk], saved=saved)


def _budget_view(budget: services.Budget | None) -> dict:
    budget = budget or services.Budget()
    return {
        "total": money(budget.total),
        "without_amount": budget.without_amount,
        "per_source": [
            {"source": source, "amount": money(amount)}
            for source, amount in sorted(budget.per_source.items())
        ],
    }


def _sections(
    up: Uitvoeringsplan,
    *,
    can_edit: bool,
    bound: dict | None = None,
    focus: int | None = None,
    user=None,
) -> list[dict]:
    """Per priority, then per cluster of ongoing themes: its items with their rows, the
    forms to add to them and the budget. ``bound``: forms shown again after a POST, keyed
    ("item", pk) / ("section", key) / ("catalogue", pk); ``focus``: the item whose new-row
    field gets the focus (after adding a row there)."""
    bound = bound or {}
    plan = up.plan
    titles = _theme_titles()
    items = (
        up.onderdelen.select_related("prioriteit", "overig_thema")
        .prefetch_related("maatregelen")
        .order_by("volgorde", "pk")
    )
    hidden_items = getattr(up, "hidden_items", frozenset())
    hidden = hidden_for(user, plan) if user is not None else None
    per_owner: dict[str, list[Onderdeel]] = {}
    for item in items:
        if item.pk not in hidden_items:
            per_owner.setdefault(_owner_key(item), []).append(item)
    per_budget, _overall = services.budgets(up, exclude=hidden_items)
    sections = []
    for kind, owners in (
        ("prioriteit", plan.prioriteiten.all()),
        ("overig", plan.overige_themas.all()),
    ):
        for owner in owners:
            if hidden is not None and hidden.hides(owner):
                continue
            key = f"{kind}-{owner.pk}"
            offered = services.catalogue_measures(owner) if can_edit else []
            entries = []
            for item in per_owner.get(key, []):
                measures = list(item.maatregelen.all())
                args = [plan.pk, up.jaar, item.pk]
                entry = {
                    "obj": item,
                    "anchor": f"onderdeel-{item.pk}",
                    "rows": [
                        _row(m, up=up, first=i == 0, last=i == len(measures) - 1)
                        for i, m in enumerate(measures)
                    ],
                    "edit_url": reverse("uitvoering:onderdeel", args=args),
                    "delete_url": reverse("uitvoering:onderdeel_verwijderen", args=args),
                    "add_url": reverse("uitvoering:maatregel_nieuw", args=args),
                    "catalogue_url": reverse("uitvoering:catalogus", args=args),
                }
                if can_edit:
                    entry["add_form"] = bound.get(("item", item.pk)) or SnelMaatregelForm(
                        auto_id=f"id_n{item.pk}_%s"
                    )
                    if focus == item.pk:
                        entry["add_form"].fields["titel"].widget.attrs["autofocus"] = True
                    if offered:  # the list is fetched when its box opens (ADR 0022)
                        entry["catalogue_form"] = bound.get(("catalogue", item.pk))
                        entry["catalogue_lazy"] = entry["catalogue_form"] is None
                entries.append(entry)
            sections.append(
                {
                    "kind": kind,
                    "key": key,
                    "anchor": f"sectie-{key}",
                    "owner": owner,
                    "themes": [f"{c} {titles.get(c, '')}".strip() for c in owner.themas],
                    "items": entries,
                    "measures": sum(len(e["rows"]) for e in entries),
                    "budget": _budget_view(per_budget.get((kind, owner.pk))),
                    "add_item_form": (
                        bound.get(("section", key))
                        or NieuwOnderdeelForm(initial={"eigenaar": key}, auto_id=f"id_{key}_%s")
                    )
                    if can_edit
                    else None,
                }
            )
    return sections


def _downloads(up: Uitvoeringsplan, *, internal: bool = False) -> list[dict]:
    documents = [
        {
            "label": label,
            "url": reverse("documents:download", args=[up.plan_id, "uitvoeringsplan", fmt])
            + f"?jaar={up.jaar}",
        }
        for fmt, label in (("docx", "Word"), ("pdf", "PDF"))
    ]
    xlsx_url = reverse("uitvoering:xlsx", args=[up.plan_id, up.jaar])
    documents.append({"label": "Excel", "url": xlsx_url})
    if internal:
        documents.append(
            {
                "label": _("Excel (intern, met vertrouwelijke onderdelen)"),
                "url": xlsx_url + "?intern=1",
            }
        )
    return documents


def _summary(up: Uitvoeringsplan) -> dict:
    hidden = getattr(up, "hidden_items", ())
    counts = services.status_counts(up, exclude=hidden)
    _per, overall = services.budgets(up, exclude=hidden)
    return {
        "measures": sum(counts.values()),
        "counts": [
            {"value": s.value, "label": s.label, "n": counts[s.value]} for s in Maatregel.Status
        ],
        "budget": _budget_view(overall),
    }


def _detail_context(
    request: HttpRequest,
    plan,
    up: Uitvoeringsplan,
    *,
    texts_form=None,
    texts_conflict=None,
    bound: dict | None = None,
    notice: str = "",
    notice_kind: str = "success",
    notice_at: str = "",
    focus: int | None = None,
) -> dict:
    can_edit = _can_edit(request, plan)
    sections = _sections(up, can_edit=can_edit, bound=bound, focus=focus, user=request.user)
    anchors = {s["anchor"] for s in sections} | {e["anchor"] for s in sections for e in s["items"]}
    if can_edit and texts_form is None:
        texts_form = TekstenForm(initial=TekstenForm.initial_for(up))
    other = None
    if texts_conflict is not None:
        current = texts_conflict.current
        other = {
            "by": _who(current.updated_by),
            "when": current.updated_at,
            "values": [
                {"label": _("Status"), "value": current.get_status_display()},
                {"label": _("Vastgesteld op"), "value": _show("", current.vastgesteld_op)},
                *[
                    {
                        "label": str(TekstenForm.base_fields[name].label),
                        "value": getattr(current, name) or DASH,
                    }
                    for name in TekstenForm.TEXTS
                ],
            ],
        }
    vorig = up.vorig
    return _context(
        request,
        plan,
        up=up,
        can_edit=can_edit,
        sections=sections,
        summary=_summary(up),
        refresh_oob=",".join([*[f"#budget-{s['key']}" for s in sections], "#uitvoering-begroting"]),
        cols=8 if can_edit else 7,
        detail_url=_detail_url(up),
        list_url=reverse("uitvoering:lijst", args=[plan.pk]),
        downloads=_downloads(up, internal=can_edit),
        upload_url=reverse("uitvoering:inlezen", args=[plan.pk, up.jaar]),
        texts_form=texts_form if can_edit else None,
        texts_conflict=texts_conflict,
        texts_other=other,
        vorig_url=_detail_url(vorig) if vorig else "",
        changed_event=CHANGED_EVENT,
        notice=notice,
        notice_kind=notice_kind,
        notice_at=notice_at,
        notice_placed=notice_at in anchors,
        prioritering_url=reverse("beleidsplan:prioritering", args=[plan.pk]),
        duplicates=services.duplicate_catalogue_measures(up),
        partners_url=reverse("uitvoering:partners", args=[plan.pk]),
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int, jaar: int) -> HttpResponse:
    plan, up = _up(request, pk, jaar)
    return render(request, "uitvoering/detail.html", _detail_context(request, plan, up))


def _after_action(
    request: HttpRequest,
    plan,
    up: Uitvoeringsplan,
    *,
    message: str,
    error: bool = False,
    anchor: str = "",
    notice_at: str = "",
    focus: int | None = None,
    bound: dict | None = None,
) -> HttpResponse:
    """The answer to a POST on the tables: with htmx the page itself (the caller swaps in
    the tables), with the message next to the item; otherwise a message and a redirect
    (or, for an invalid form, the page with the form shown again)."""
    if request.htmx or bound:
        context = _detail_context(
            request,
            plan,
            up,
            bound=bound,
            notice=message,
            notice_kind="error" if error else "success",
            notice_at=notice_at,
            focus=focus,
        )
        return render(request, "uitvoering/detail.html", context)
    (messages.error if error else messages.success)(request, message)
    return redirect(_detail_url(up, anchor))


@login_required
@require_POST
def teksten(request: HttpRequest, pk: int, jaar: int) -> HttpResponse:
    plan, up = _up(request, pk, jaar)
    _require_edit(request, plan)
    form = TekstenForm(request.POST)
    conflict = None
    if form.is_valid():
        try:
            services.update_part(
                up,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **form.values(),
            )
        except services.StaleEditError as error:
            conflict = error
            # Keep the user's input, but let the next save build on what is stored now.
            form.data = form.data.copy()
            form.data["version"] = error.current.version
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("De teksten van het uitvoeringsplan zijn opgeslagen."))
            return redirect(_detail_url(up, "teksten"))
        up.refresh_from_db()
    context = _detail_context(request, plan, up, texts_form=form, texts_conflict=conflict)
    return render(request, "uitvoering/detail.html", context)


# -- items ---------------------------------------------------------------------------------


@login_required
@require_POST
def onderdeel_nieuw(request: HttpRequest, pk: int, jaar: int) -> HttpResponse:
    plan, up = _up(request, pk, jaar)
    _require_edit(request, plan)
    key = request.POST.get("eigenaar", "")
    form = NieuwOnderdeelForm(request.POST, auto_id=f"id_{key}_%s")
    kind, _sep, owner_pk = key.partition("-")
    owner = None
    if kind in KINDS and owner_pk.isdigit():
        related = plan.prioriteiten if kind == "prioriteit" else plan.overige_themas
        owner = related.filter(pk=int(owner_pk)).first()
    if owner is None:
        return _after_action(
            request, plan, up, message=_("Kies een prioriteit of overig thema."), error=True
        )
    if form.is_valid():
        try:
            item = services.add_onderdeel(
                up, by=request.user, titel=form.cleaned_data["titel"], **{KINDS[kind]: owner}
            )
        except ValidationError as error:
            form.add_error("titel", _error_text(error))
        else:
            return _after_action(
                request,
                plan,
                up,
                message=_("Het onderdeel ‘%(titel)s’ is toegevoegd.") % {"titel": item.titel},
                anchor=f"onderdeel-{item.pk}",
                notice_at=f"onderdeel-{item.pk}",
                focus=item.pk,
            )
    return _after_action(
        request,
        plan,
        up,
        message=_("Het onderdeel is niet toegevoegd."),
        error=True,
        notice_at=f"sectie-{key}",
        bound={("section", key): form},
    )


@login_required
def onderdeel(request: HttpRequest, pk: int, jaar: int, item: int) -> HttpResponse:
    """Rename an item (a page of its own)."""
    plan, up = _up(request, pk, jaar)
    obj = _item(up, item)
    _require_edit(request, plan)
    conflict = None
    if request.method == "POST":
        form = OnderdeelForm(request.POST)
        if form.is_valid():
            try:
                services.update_part(
                    obj,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    titel=form.cleaned_data["titel"].strip(),
                )
            except services.StaleEditError as error:
                conflict = error
                form.data = form.data.copy()
                form.data["version"] = error.current.version
            else:
                messages.success(request, _("Het onderdeel is opgeslagen."))
                return redirect(_detail_url(up, f"onderdeel-{obj.pk}"))
    else:
        form = OnderdeelForm(initial={"titel": obj.titel, "version": obj.version})
    return render(
        request,
        "uitvoering/onderdeel.html",
        _context(
            request,
            plan,
            up=up,
            obj=obj,
            form=form,
            conflict=conflict,
            current_by=_who(conflict.current.updated_by) if conflict else "",
            back=_detail_url(up, f"onderdeel-{obj.pk}"),
            delete_url=reverse("uitvoering:onderdeel_verwijderen", args=[plan.pk, jaar, obj.pk]),
        ),
    )


@login_required
def onderdeel_verwijderen(request: HttpRequest, pk: int, jaar: int, item: int) -> HttpResponse:
    plan, up = _up(request, pk, jaar)
    obj = _item(up, item)
    _require_edit(request, plan)
    stale = None
    if request.method == "POST":
        try:
            services.delete_part(
                obj, by=request.user, expected_version=int(request.POST.get("version", -1))
            )
        except (ValueError, TypeError):
            stale = _("Het formulier is onvolledig; probeer het opnieuw.")
        except services.StaleEditError as error:
            stale = _(
                "%(who)s heeft dit onderdeel intussen gewijzigd. Bekijk het hieronder en "
                "bevestig opnieuw als u het toch wilt verwijderen."
            ) % {"who": _who(error.current.updated_by)}
            obj = _item(up, obj.pk)
        else:
            messages.success(
                request, _("Het onderdeel ‘%(titel)s’ is verwijderd.") % {"titel": obj.titel}
            )
            return redirect(_detail_url(up, f"sectie-{_owner_key(obj)}"))
    return render(
        request,
        "uitvoering/verwijderen.html",
        _context(
            request,
            plan,
            up=up,
            obj=obj,
            soort="onderdeel",
            measures=list(obj.maatregelen.all()),
            stale=stale,
            back=_detail_url(up, f"onderdeel-{obj.pk}"),
        ),
    )


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


def _edit_context(
    request: HttpRequest, plan, up, measure: Maatregel, form, conflict=None, error: str = ""
) -> dict:
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
        error=error,
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
    error = ""
    template = "uitvoering/_rij_form.html" if request.htmx else "uitvoering/maatregel.html"
    if request.method == "POST":
        form = _edit_form(plan, obj, request.POST)
        if form.is_valid():
            try:
                saved = services.update_part(
                    obj,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    **form.values(),
                )
            except services.StaleEditError as stale:
                conflict = stale
                form.data = form.data.copy()
                form.data["version"] = stale.current.version
            except ValidationError as invalid:
                error = _error_text(invalid)
            else:
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
    return render(request, template, _edit_context(request, plan, up, obj, form, conflict, error))


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
    stale = None
    if request.method == "POST":
        try:
            services.delete_part(
                obj, by=request.user, expected_version=int(request.POST.get("version", -1))
            )
        except (ValueError, TypeError):
            stale = _("Het formulier is onvolledig; probeer het opnieuw.")
        except services.StaleEditError as error:
            stale = _(
                "%(who)s heeft deze maatregel intussen gewijzigd. Bekijk hieronder de huidige "
                "versie en bevestig opnieuw als u hem toch wilt verwijderen."
            ) % {"who": _who(error.current.updated_by)}
            obj = _measure(up, obj.pk)
        else:
            messages.success(
                request, _("De maatregel ‘%(titel)s’ is verwijderd.") % {"titel": obj.titel}
            )
            return redirect(_detail_url(up, f"onderdeel-{obj.onderdeel_id}"))
    return render(
        request,
        "uitvoering/verwijderen.html",
        _context(
            request,
            plan,
            up=up,
            obj=obj,
            soort="maatregel",
            row=_single_row(obj, up),
            stale=stale,
            back=_detail_url(up, f"maatregel-{obj.pk}"),
        ),
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
        if sep and cell[:1].isalpha() and cell[-1:].isdigit() and len(cell) <= 8:
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
