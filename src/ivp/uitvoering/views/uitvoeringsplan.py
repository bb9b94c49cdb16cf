"""One implementation plan: its page (sections, measures, budget, downloads), its texts and its
items (onderdelen)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ivp.beleidsplan.confidential import hidden_for
from ivp.plans.versioning import save_form
from ivp.uitvoering import services
from ivp.uitvoering.forms import (
    NieuwOnderdeelForm,
    OnderdeelForm,
    SnelMaatregelForm,
    TekstenForm,
)
from ivp.uitvoering.models import Maatregel, Onderdeel, Uitvoeringsplan
from ivp.uitvoering.views.common import (
    CHANGED_EVENT,
    DASH,
    KINDS,
    _can_edit,
    _context,
    _detail_url,
    _error_text,
    _item,
    _owner_key,
    _require_edit,
    _show,
    _theme_titles,
    _up,
    _who,
    delete_with_confirmation,
    money,
)
from ivp.userinput import whole_number

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
    result = save_form(
        form,
        lambda data: services.update_part(
            up, by=request.user, expected_version=data["version"], **form.values()
        ),
    )
    if result.saved:
        messages.success(request, _("De teksten van het uitvoeringsplan zijn opgeslagen."))
        return redirect(_detail_url(up, "teksten"))
    up.refresh_from_db()  # the page shows what is stored beside the form
    context = _detail_context(request, plan, up, texts_form=form, texts_conflict=result.conflict)
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
    owner_number = whole_number(owner_pk)
    if kind in KINDS and owner_number is not None:
        related = plan.prioriteiten if kind == "prioriteit" else plan.overige_themas
        owner = related.filter(pk=owner_number).first()
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
        result = save_form(
            form,
            lambda data: services.update_part(
                obj,
                by=request.user,
                expected_version=data["version"],
                titel=data["titel"].strip(),
            ),
        )
        conflict = result.conflict
        if result.saved:
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
    return delete_with_confirmation(
        request,
        plan,
        up,
        obj,
        reload=lambda: _item(up, obj.pk),
        stale_text=_(
            "%(who)s heeft dit onderdeel intussen gewijzigd. Bekijk het hieronder en "
            "bevestig opnieuw als u het toch wilt verwijderen."
        ),
        done_text=_("Het onderdeel ‘%(titel)s’ is verwijderd."),
        done_anchor=f"sectie-{_owner_key(obj)}",
        soort="onderdeel",
        shown=lambda current: {"measures": list(current.maatregelen.all())},
        back=_detail_url(up, f"onderdeel-{obj.pk}"),
    )
