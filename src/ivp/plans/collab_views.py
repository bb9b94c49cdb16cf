"""Pages for working together: the comments and text proposals of a plan (filtered per part),
deciding on a proposal, and a person's notifications with their e-mail preference. Views
validate input and call ``collaboration``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ivp.plans import collaboration, confidential
from ivp.plans import targets as tg
from ivp.plans.access import Permission, get_plan_for_user, permissions_for
from ivp.plans.forms import MeldingVoorkeurForm, OpmerkingForm, VoorstelForm
from ivp.plans.models import Melding, MeldingVoorkeur
from ivp.plans.textdiff import word_diff
from ivp.userinput import whole_number


def _visible_parts(user, plan) -> list[tg.Target]:
    secret = confidential.sees_confidential(user, plan)
    return [t for t in tg.targets_of(plan) if secret or not t.confidential]


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def reacties(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    perms = permissions_for(request.user, plan)
    parts = _visible_parts(request.user, plan)
    by_key = {t.key: t for t in parts}
    over = request.GET.get("over", "")
    if over and over not in by_key:
        raise Http404(_("Dit onderdeel bestaat niet in dit plan."))
    secret = confidential.sees_confidential(request.user, plan)
    comment_form = OpmerkingForm(
        request.POST if "reageren" in request.POST else None,
        parts=parts,
        confidential=secret,
        initial={"over": over},
    )
    proposal_form = VoorstelForm(
        request.POST if "voorstellen" in request.POST else None,
        parts=[t for t in parts if not over or t.key == over],
    )
    if request.method == "POST":
        if Permission.COMMENT not in perms:
            raise PermissionDenied(_("U mag in dit plan geen reacties plaatsen."))
        try:
            if "reageren" in request.POST and comment_form.is_valid():
                data = comment_form.cleaned_data
                collaboration.comment(
                    plan,
                    by=request.user,
                    tekst=data["tekst"],
                    sleutel=data["over"],
                    vertrouwelijk=data.get("vertrouwelijk", False),
                )
                messages.success(request, _("Uw reactie is geplaatst."))
                return redirect(collaboration._reacties_url(plan, over))
            if "voorstellen" in request.POST and proposal_form.is_valid():
                data = proposal_form.cleaned_data
                key, veld = data["deel"].split("|", 1)
                collaboration.propose(
                    plan,
                    by=request.user,
                    sleutel=key,
                    veld=veld,
                    tekst=data["voorstel"],
                    toelichting=data["toelichting"],
                )
                messages.success(
                    request, _("Uw voorstel is verstuurd; de coördinator besluit erover.")
                )
                return redirect(collaboration._reacties_url(plan, over))
        except ValidationError as error:
            form = comment_form if "reageren" in request.POST else proposal_form
            form.add_error(None, _error_text(error))
    items = confidential.comments_for(request.user, plan).select_related(
        "auteur", "afgehandeld_door"
    )
    if over:
        items = items.filter(sleutel=over)
    rows = []
    for r in items:
        part = by_key.get(r.sleutel)
        row = {"obj": r, "part": part}
        if r.voorstel_status == "open" and part is not None and r.veld in part.fields:
            current = part.texts.get(r.veld, "")
            row |= {
                "current": current,
                "diff": word_diff(current, r.voorstel_tekst),
                "changed_since": part.version != r.basis_versie,
                "version": part.version,
                "field_label": part.fields[r.veld],
            }
        rows.append(row)
    return render(
        request,
        "plans/reacties.html",
        {
            "plan": plan,
            "perms": {p.value: (p in perms) for p in Permission},
            "rows": rows,
            "over": by_key.get(over),
            "comment_form": comment_form,
            "proposal_form": proposal_form,
            "has_texts": any(t.fields for t in parts),
        },
    )


@login_required
@require_POST
def voorstel_besluit(request: HttpRequest, pk: int, reactie_id: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    if not confidential.sees_confidential(request.user, plan):
        raise PermissionDenied(
            _("Alleen de coördinator en redacteuren besluiten over voorstellen.")
        )
    reactie = confidential.comments_for(request.user, plan).filter(pk=reactie_id).first()
    if reactie is None:
        raise Http404(_("Dit voorstel bestaat niet in dit plan."))
    besluit = request.POST.get("besluit", "")
    raw = request.POST.get("version", "")
    version = whole_number(raw)
    tekst = request.POST.get("tekst") if besluit == "overnemen" else None
    try:
        collaboration.decide(
            reactie, by=request.user, besluit=besluit, expected_version=version, tekst=tekst
        )
    except tg.StaleTarget:
        messages.error(
            request,
            _(
                "De tekst is gewijzigd sinds u hem zag; er is niets overgenomen. Bekijk het "
                "voorstel naast de huidige tekst en besluit opnieuw."
            ),
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("Het voorstel is afgewezen.")
            if besluit == "afwijzen"
            else _("Het voorstel is overgenomen."),
        )
    return redirect(collaboration._reacties_url(plan, reactie.sleutel))


@login_required
def meldingen(request: HttpRequest) -> HttpResponse:
    """The user's notifications; opening the page marks them read. Also the e-mail choice."""
    voorkeur, _created = MeldingVoorkeur.objects.get_or_create(user=request.user)
    form = MeldingVoorkeurForm(request.POST or None, initial={"per_email": voorkeur.per_email})
    if request.method == "POST" and form.is_valid():
        voorkeur.per_email = form.cleaned_data["per_email"]
        voorkeur.save(update_fields=["per_email"])
        messages.success(request, _("Uw keuze is opgeslagen."))
        return redirect("plans:meldingen")
    items = list(Melding.objects.filter(user=request.user).select_related("plan")[:100])
    unread = [m.pk for m in items if not m.gelezen]
    response = render(
        request,
        "plans/meldingen.html",
        {"meldingen": items, "unread": set(unread), "form": form, "email": request.user.email},
    )
    Melding.objects.filter(pk__in=unread).update(gelezen=True)
    return response
