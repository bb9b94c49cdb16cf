"""One field of step 2: per theme the figures, chart, comparison and trend, the candidate
and the working group's texts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ivp.plans.access import get_plan_for_user
from ivp.plans.versioning import save_form
from ivp.veiligheidsanalyse import services
from ivp.veiligheidsanalyse.forms import TekstForm, slug
from ivp.veiligheidsanalyse.models import AnalyseTekst
from ivp.veiligheidsanalyse.views.figures import (
    _can_edit,
    _catalogue_fields,
    _category_rows,
    _chart,
    _comparison,
    _context,
    _figures_table,
    _funnel,
    _gemeente,
    _indicators,
    _picture,
    _require_edit,
    _single_category,
    _sources_text,
    _summary,
    _trend,
    _with_gemeente,
)
from ivp.veiligheidsanalyse.views.texts import (
    _tekst_block,
)

# -- one field ---------------------------------------------------------------------------


def _field_context(request: HttpRequest, plan, code: str, *, bound: dict | None = None) -> dict:
    """Everything the page of field ``code`` shows; ``bound``: onderwerp → (form,
    conflict) for a subject whose save is shown again."""
    fields = {v.code: v for v in _catalogue_fields()}
    if code not in fields:
        raise Http404
    veld = fields[code]
    bound = bound or {}
    gemeente, gemeenten = _gemeente(plan, request.GET.get("gemeente"))
    picture, no_data = _picture(plan, gemeente)
    can_edit = _can_edit(request, plan)
    subjects = services.onderwerpen()
    teksten = services.teksten(plan)

    def block(onderwerp_code: str) -> dict:
        onderwerp = subjects[onderwerp_code]
        form, conflict = bound.get(onderwerp_code, (None, None))
        return _tekst_block(
            request,
            plan,
            onderwerp,
            teksten.get(onderwerp_code) or AnalyseTekst(plan=plan, onderwerp=onderwerp_code),
            can_edit=can_edit,
            form=form,
            conflict=conflict,
            gemeente=gemeente if len(gemeenten) > 1 else None,
        )

    field_picture = next((f for f in picture.fields if f.code == code), None) if picture else None
    pictures = {t.code: t for t in field_picture.themes} if field_picture else {}
    themes = []
    for thema in veld.themas:
        theme = pictures.get(thema.code)
        entry = {
            "code": thema.code,
            "slug": slug(thema.code),
            "title": thema.titel,
            "sources": list(thema.effectinformatie),
            "note": theme.total.note if theme else "",
            "tekst": block(thema.code),
        }
        if theme is not None:
            total = theme.total
            entry.update(
                summary=_summary(total, picture.year),
                table=_figures_table(picture, theme),
                chart=_chart(picture, total, slug(thema.code)) if total.has_data else None,
                funnel=_funnel_block(picture, total) if total.has_data else None,
                chart_sources=_sources_text(picture, total.sources),
                comparison=_comparison(picture, total) if total.has_data else None,
                long_trend=_trend(total.evidence.long_trend) if total.evidence else None,
                candidate=total.candidate,
                proposed=total.proposed,
                rate_notes=list(total.rate_notes),
                categories=[] if _single_category(theme) else _category_rows(theme, picture.year),
                missing=list(total.missing_categories),
                also_shown=list(total.also_shown),
                indicators=_indicators(picture, theme),
            )
        themes.append(entry)
    other_fields = [
        {
            "code": v.code,
            "title": v.titel,
            "url": _with_gemeente(
                reverse("veiligheidsanalyse:veld", args=[plan.pk, v.code]), gemeente, gemeenten
            ),
        }
        for v in fields.values()
    ]
    return _context(
        request,
        plan,
        veld=veld,
        code=code,
        gemeente=gemeente,
        gemeenten=gemeenten,
        picture=picture,
        no_data=no_data,
        field_summary=_summary(field_picture.total, picture.year) if field_picture else None,
        themes=themes,
        aspects=[block(a.code) for a in veld.aanpakaspecten],
        conclusie=block(f"V{code}"),
        can_edit=can_edit,
        other_fields=other_fields,
        sources_url=(
            reverse("datasets:informatiepositie", args=[gemeente])
            + "?"
            + urlencode({"plan": plan.pk})
            if gemeente
            else ""
        ),
        overview_url=_with_gemeente(
            reverse("veiligheidsanalyse:overview", args=[plan.pk]), gemeente, gemeenten
        ),
    )


def _funnel_block(picture, total) -> dict | None:
    found = _funnel(picture, total)
    if found is None:
        return None
    return {"svg": mark_safe(found["svg"]), "description": found["description"]}  # noqa: S308


@login_required
def veld(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    return render(request, "veiligheidsanalyse/veld.html", _field_context(request, plan, code))


@login_required
@require_POST
def tekst(request: HttpRequest, pk: int, onderwerp: str) -> HttpResponse:
    """Save the answers for one subject. On a stale save the user's input stays in the
    form and the other person's text is shown next to it."""
    plan = get_plan_for_user(request.user, pk)
    subjects = services.onderwerpen()
    if onderwerp not in subjects:
        raise Http404
    _require_edit(request, plan)
    subject = subjects[onderwerp]
    form = TekstForm(request.POST, onderwerp=subject)
    result = save_form(
        form,
        lambda data: services.save_tekst(
            plan,
            by=request.user,
            onderwerp=onderwerp,
            expected_version=data["version"],
            **form.values(),
        ),
    )
    conflict = result.conflict
    if result.saved:
        saved = result.value
        if request.htmx:
            block = _tekst_block(
                request,
                plan,
                subject,
                saved,
                can_edit=True,
                saved=True,
                gemeente=request.GET.get("gemeente"),
            )
            return render(
                request,
                "veiligheidsanalyse/_tekst.html",
                _context(request, plan, blok=block),
            )
        messages.success(
            request, _("De tekst over %(titel)s is opgeslagen.") % {"titel": subject.titel}
        )
        url = reverse("veiligheidsanalyse:veld", args=[plan.pk, subject.veld])
        gemeente = request.GET.get("gemeente")
        if gemeente:
            url = f"{url}?{urlencode({'gemeente': gemeente})}"
        return redirect(f"{url}#onderwerp-{slug(onderwerp)}")
    if request.htmx:
        block = _tekst_block(
            request,
            plan,
            subject,
            conflict.current if conflict else services.tekst(plan, onderwerp),
            can_edit=True,
            form=form,
            conflict=conflict,
            gemeente=request.GET.get("gemeente"),
        )
        # htmx swaps only 2xx answers by default: answer 200 with the form and the message.
        return render(
            request, "veiligheidsanalyse/_tekst.html", _context(request, plan, blok=block)
        )
    context = _field_context(request, plan, subject.veld, bound={onderwerp: (form, conflict)})
    return render(request, "veiligheidsanalyse/veld.html", context)
