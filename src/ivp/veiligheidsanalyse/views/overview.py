"""The overview of step 2: the five fields with a card per theme, the priority candidates
with the decisions on them, the reference year and the comparison group."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ivp.analysis import veiligheidsbeeld as vb
from ivp.analysis.candidates import join_nl, notable, strongest_signal
from ivp.plans.access import get_plan_for_user
from ivp.veiligheidsanalyse import services
from ivp.veiligheidsanalyse.forms import BesluitForm, PeiljaarForm, VergelijkingForm, slug
from ivp.veiligheidsanalyse.views.figures import (
    _available_years,
    _can_edit,
    _catalogue_fields,
    _category_rows,
    _context,
    _gemeente,
    _picture,
    _require_edit,
    _summary,
    _with_gemeente,
)
from ivp.veiligheidsanalyse.views.texts import (
    _who,
)

# -- the overview ----------------------------------------------------------------------------


def _theme_url(plan, veld: str, code: str, gemeente, gemeenten) -> str:
    url = _with_gemeente(
        reverse("veiligheidsanalyse:veld", args=[plan.pk, veld]), gemeente, gemeenten
    )
    return f"{url}#thema-{slug(code)}"


def _cards(plan, picture, teksten, gemeente, gemeenten) -> list[dict]:
    """The five fields with a card per theme (from the figures, or from the catalogue
    when there are none)."""
    oordelen = {code: t for code, t in teksten.items() if t.oordeel}
    result = []
    pictures = {f.code: f for f in picture.fields} if picture else {}
    for veld in _catalogue_fields():
        field_picture = pictures.get(veld.code)
        themes = {t.code: t for t in field_picture.themes} if field_picture else {}
        cards = []
        for thema in veld.themas:
            theme = themes.get(thema.code)
            summary = _summary(theme.total, picture.year) if theme else None
            proposed = [c.code for c in theme.categories if c.proposed] if theme else []
            oordeel = oordelen.get(thema.code)
            cards.append(
                {
                    "code": thema.code,
                    "title": thema.titel.replace("/", "/\u200b"),  # a line may break after "/"
                    "url": _theme_url(plan, veld.code, thema.code, gemeente, gemeenten),
                    "summary": summary,
                    "proposed": bool(theme and theme.total.proposed),
                    "score": theme.total.candidate.score
                    if theme and theme.total.candidate
                    else None,
                    "proposed_categories": proposed,
                    "categories": _category_rows(theme, picture.year) if theme else [],
                    "sources": list(thema.effectinformatie),
                    "others": [o.indicator for o in theme.other_series if o.has_data]
                    if theme
                    else [],
                    "oordeel": oordeel.get_oordeel_display() if oordeel else "",
                    "oordeel_value": oordeel.oordeel if oordeel else "",
                }
            )
        result.append(
            {
                "code": veld.code,
                "title": veld.titel,
                "url": _with_gemeente(
                    reverse("veiligheidsanalyse:veld", args=[plan.pk, veld.code]),
                    gemeente,
                    gemeenten,
                ),
                "summary": _summary(field_picture.total, picture.year) if field_picture else None,
                "cards": cards,
                "conclusie": teksten.get(f"V{veld.code}"),
            }
        )
    return result


def _theme_of(picture: vb.Veiligheidsbeeld) -> dict[str, tuple[str, str]]:
    """Series key → (field, theme) where it is shown first (its main theme)."""
    result: dict[str, tuple[str, str]] = {}
    for theme in picture.themes:
        result.setdefault(theme.total.key, (theme.veld, theme.code))
        for code in theme.total.categories:
            result.setdefault(code, (theme.veld, theme.code))
    for theme in picture.themes:
        for category in theme.categories:
            result.setdefault(category.key, (theme.veld, theme.code))
    return result


def _candidate_item(
    plan,
    picture: vb.Veiligheidsbeeld,
    series: vb.SeriesPicture | None,
    decision,
    *,
    gemeente: str,
    gemeenten,
    can_edit: bool,
    where: dict,
    form: BesluitForm | None = None,
    error: str = "",
) -> dict:
    key = series.key if series else decision.sleutel
    candidate = series.candidate if series else None
    veld, theme = where.get(key, (None, None))
    item = {
        "key": key,
        "slug": slug(key.replace(":", "-")),
        "code": series.code if series else key.partition(":")[2] or key,
        "kind": series.kind if series else "",
        "title": series.title if series else decision.titel,
        "score": candidate.score if candidate else (decision.score if decision else None),
        "proposed": bool(series and series.proposed),
        "reasons": list(candidate.reasons) if candidate else list(decision.redenen),
        "summary": candidate.summary if candidate else join_nl(decision.redenen),
        "caveats": list(candidate.caveats) if candidate else [],
        "url": _theme_url(plan, veld, theme, gemeente, gemeenten) if veld else "",
        "decision": decision,
        "decision_by": _who(decision.besloten_door) if decision else "",
        "decided_other_year": bool(decision and decision.peiljaar != picture.year),
        "gemeente": gemeente,
        "error": error,
    }
    if can_edit and series is not None:
        item["form"] = form or BesluitForm(
            initial={
                "sleutel": key,
                "gemeente": gemeente,
                "toelichting": decision.toelichting if decision else "",
            },
            auto_id=f"id_k{item['slug']}_%s",
        )
    return item


def _candidates(plan, picture, gemeente, gemeenten, can_edit) -> list[dict]:
    decisions = services.besluiten(plan, gemeente)
    where = _theme_of(picture)
    items = []
    seen = set()
    for series in picture.candidates():
        seen.add(series.key)
        items.append(
            _candidate_item(
                plan,
                picture,
                series,
                decisions.get(series.key),
                gemeente=gemeente,
                gemeenten=gemeenten,
                can_edit=can_edit,
                where=where,
            )
        )
    # A decision stays visible when the figures no longer propose the series.
    for key, decision in sorted(decisions.items()):
        if key in seen:
            continue
        items.append(
            _candidate_item(
                plan,
                picture,
                services.series_by_key(picture, key),
                decision,
                gemeente=gemeente,
                gemeenten=gemeenten,
                can_edit=can_edit,
                where=where,
            )
        )
    return items


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    gemeente, gemeenten = _gemeente(plan, request.GET.get("gemeente"))
    picture, no_data = _picture(plan, gemeente)
    can_edit = _can_edit(request, plan)
    teksten = services.teksten(plan)
    current_year = services.peiljaar(plan)
    peiljaar_form = None
    if can_edit:
        peiljaar_form = PeiljaarForm(
            initial={"peiljaar": current_year}, years=_available_years(gemeente, plan)
        )
    from ivp.datasets.services import can_fetch

    candidates = _candidates(plan, picture, gemeente, gemeenten, can_edit) if picture else []

    return render(
        request,
        "veiligheidsanalyse/overview.html",
        _context(
            request,
            plan,
            gemeente=gemeente,
            gemeenten=gemeenten,
            picture=picture,
            no_data=no_data,
            fields=_cards(plan, picture, teksten, gemeente, gemeenten),
            candidates=candidates,
            strongest=_strongest(picture)
            if picture and not any(c["proposed"] for c in candidates)
            else [],
            group=_group(
                plan,
                picture,
                can_edit,
                _with_gemeente(
                    reverse("veiligheidsanalyse:vergelijking", args=[plan.pk]), gemeente, gemeenten
                ),
            ),
            peiljaar_form=peiljaar_form,
            peiljaar=current_year,
            can_edit=can_edit,
            can_fetch=can_fetch(request.user),
            fetch_url=f"{reverse('datasets:fetch')}?{urlencode({'gemeente': gemeente or ''})}",
        ),
    )


def _strongest(picture: vb.Veiligheidsbeeld, limit: int = 3) -> list[dict]:
    """The series with the strongest signals when none is demonstrable, with why not;
    only signals that lean towards worse (``candidates.notable``)."""
    found = [
        s
        for s in picture.candidates(only_proposed=False)
        if s.candidate.rank is not None and not s.proposed and notable(s.candidate)
    ]
    return [
        {
            "code": s.code,
            "title": s.title,
            "kind": s.kind,
            "signal": strongest_signal(s.candidate),
        }
        for s in sorted(found, key=lambda s: s.candidate.rank)[:limit]
    ]


def _group(plan, picture: vb.Veiligheidsbeeld | None, can_edit: bool, url: str) -> dict:
    """The comparison group in words, its members, and where the form to change it is."""
    from ivp.areas.services import region_names

    choice = services.vergelijking(plan)
    result: dict = {"kind": choice.kind, "description": "", "members": [], "note": ""}
    if picture is not None:
        found = next((g for g in picture.group_members if g[0] == vb.SIZE_CLASS), None)
        described = next((d for n, d, _m in picture.groups if n == vb.SIZE_CLASS), "")
        result["description"] = described
        if found is not None:
            names = region_names(found[2])
            result["members"] = sorted(names.get(c, c) for c in found[2])
        result["note"] = next((n for n in picture.notes if "eigen selectie" in n), "")
    if can_edit:  # the form is fetched when its box is opened (ADR 0022)
        result["form_url"] = url
    return result


def _vergelijking_form(plan, data=None) -> VergelijkingForm:
    from ivp.areas.models import Gemeente

    choice = services.vergelijking(plan)
    options = list(
        Gemeente.objects.filter(actief=True)
        .exclude(code="GM0000")
        .order_by("naam")
        .values_list("code", "naam")
    )
    return VergelijkingForm(
        data,
        initial={"soort": choice.kind, "gemeenten": list(choice.codes)},
        gemeenten=options,
    )


@login_required
@require_http_methods(["GET", "POST"])
def vergelijking(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the plan's comparison group; a wrong choice changes nothing and says why.
    GET: the form (the fragment when the step-2 page opens its box, else a page)."""
    plan = get_plan_for_user(request.user, pk)
    _require_edit(request, plan)
    gemeente, gemeenten = _gemeente(plan, request.GET.get("gemeente"))
    if request.method == "GET":
        context = {"form": _vergelijking_form(plan), "action": request.get_full_path()}
        if request.htmx:
            return render(request, "veiligheidsanalyse/_vergelijking_form.html", context)
        back = _with_gemeente(
            reverse("veiligheidsanalyse:overview", args=[plan.pk]), gemeente, gemeenten
        )
        return render(
            request,
            "veiligheidsanalyse/vergelijking.html",
            _context(request, plan, **context, back=f"{back}#vergelijking"),
        )
    form = _vergelijking_form(plan, request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een vergelijkingsgroep uit de lijst."))
    else:
        try:
            services.set_vergelijking(
                plan,
                by=request.user,
                soort=form.cleaned_data["soort"],
                gemeenten=form.cleaned_data["gemeenten"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("De vergelijkingsgroep is opgeslagen."))
    url = _with_gemeente(
        reverse("veiligheidsanalyse:overview", args=[plan.pk]), gemeente, gemeenten
    )
    return redirect(f"{url}#vergelijking")


@login_required
@require_POST
def peiljaar(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    _require_edit(request, plan)
    gemeente, gemeenten = _gemeente(plan, request.GET.get("gemeente"))
    form = PeiljaarForm(request.POST, years=_available_years(gemeente, plan))
    if form.is_valid():
        services.set_peiljaar(plan, by=request.user, peiljaar=form.cleaned_data["peiljaar"])
        messages.success(request, _("Het peiljaar is opgeslagen."))
    else:
        messages.error(request, _("Kies een jaar uit de lijst."))
    return redirect(
        _with_gemeente(reverse("veiligheidsanalyse:overview", args=[plan.pk]), gemeente, gemeenten)
    )


@login_required
@require_POST
def besluit(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept, reject or withdraw the decision on a priority candidate."""
    plan = get_plan_for_user(request.user, pk)
    _require_edit(request, plan)
    form = BesluitForm(request.POST)
    gemeente, gemeenten = _gemeente(plan, request.POST.get("gemeente"))
    overview_url = _with_gemeente(
        reverse("veiligheidsanalyse:overview", args=[plan.pk]), gemeente, gemeenten
    )
    picture, no_data = _picture(plan, gemeente)
    if picture is None:
        messages.error(request, no_data)
        return redirect(overview_url)
    error = ""
    series = None
    if not form.is_valid() or form.cleaned_data["gemeente"] != gemeente:
        error = _("Kies aanvaarden of afwijzen.")
    else:
        series = services.series_by_key(picture, form.cleaned_data["sleutel"])
        if series is None:
            error = _("Deze reeks staat niet (meer) in de cijfers van %(gemeente)s.") % {
                "gemeente": picture.area_name
            }
        else:
            choice = form.cleaned_data["besluit"]
            try:
                services.decide_candidate(
                    plan,
                    by=request.user,
                    series=series,
                    gemeente=gemeente,
                    year=picture.year,
                    besluit=None if choice == "intrekken" else choice,
                    toelichting=form.cleaned_data["toelichting"],
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
    if request.htmx and series is not None:
        decision = services.besluiten(plan, gemeente).get(series.key)
        item = _candidate_item(
            plan,
            picture,
            series,
            decision,
            gemeente=gemeente,
            gemeenten=gemeenten,
            can_edit=True,
            where=_theme_of(picture),
            error=error,
        )
        return render(
            request, "veiligheidsanalyse/_kandidaat.html", _context(request, plan, item=item)
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, _("Het besluit over %(titel)s is opgeslagen.") % {"titel": series.title}
        )
    anchor = f"#kandidaat-{slug(series.key.replace(':', '-'))}" if series else ""
    return redirect(overview_url + anchor)
