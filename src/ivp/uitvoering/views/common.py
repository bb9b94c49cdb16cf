"""What the uitvoeringsplan pages share: formatting of amounts and values, permissions and the
lookups of a plan, item and measure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from ivp.plans.access import Permission, get_plan_for_user, permissions_for
from ivp.uitvoering import services
from ivp.uitvoering.confidential import hidden_items_for
from ivp.uitvoering.forms import (
    PLANNING_DETAIL,
    MaatregelForm,
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


def delete_with_confirmation(
    request: HttpRequest,
    plan,
    up: Uitvoeringsplan,
    obj,
    *,
    reload,
    stale_text: str,
    done_text: str,
    done_anchor: str,
    shown,
    soort: str,
    back: str,
) -> HttpResponse:
    """The confirmation page of deleting an item or a measure, and the POST that deletes it:
    a stale confirmation (someone changed it meanwhile) shows the current version again.
    ``shown(obj)``: what the page shows of the part (its row, its measures)."""
    stale = None
    if request.method == "POST":
        try:
            services.delete_part(
                obj, by=request.user, expected_version=int(request.POST.get("version", -1))
            )
        except (ValueError, TypeError):
            stale = _("Het formulier is onvolledig; probeer het opnieuw.")
        except services.StaleEditError as error:
            stale = stale_text % {"who": _who(error.current.updated_by)}
            obj = reload()
        else:
            messages.success(request, done_text % {"titel": obj.titel})
            return redirect(_detail_url(up, done_anchor))
    context = _context(
        request, plan, up=up, obj=obj, soort=soort, stale=stale, back=back, **shown(obj)
    )
    return render(request, "uitvoering/verwijderen.html", context)
