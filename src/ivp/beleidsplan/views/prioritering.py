"""Step 3, prioritering: the page with the priority candidates, priorities and clusters of ongoing
themes, and the POST endpoints that add, edit, move, divide and delete them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ivp.beleidsplan import services
from ivp.beleidsplan.confidential import hidden_for
from ivp.beleidsplan.forms import (
    ClusterForm,
    NieuwClusterForm,
    PrioriteitForm,
)
from ivp.beleidsplan.models import (
    MAX_PRIORITEITEN,
    Effectindicator,
    OverigThema,
    Prioriteit,
)
from ivp.beleidsplan.views.common import (
    _bound,
    _can,
    _catalogue,
    _context,
    _downloads,
    _error_text,
    _indicator_anchor,
    _ivp_url,
    _part,
    _picture,
    _prioritering_url,
    _require,
    _theme_titles,
    _toc,
    _who,
    num,
)
from ivp.plans.access import get_plan_for_user
from ivp.plans.versioning import save_form
from ivp.veiligheidsanalyse import services as analyse

# -- step 3: prioritering ----------------------------------------------------------------


def _signals(plan, picture) -> dict[str, dict]:
    """Per theme code: its figures in the reference year, the candidate badge and the
    working group's accepted decisions and verdict of step 2."""
    result: dict[str, dict] = {}
    teksten = analyse.teksten(plan)
    decisions = (
        {
            k: d
            for k, d in analyse.besluiten(plan, picture.area_code).items()
            if d.besluit == "aanvaard"
        }
        if picture
        else {}
    )
    themes = {t.code: t for t in picture.themes} if picture else {}
    for code in _theme_titles():
        theme = themes.get(code)
        oordeel = teksten.get(code)
        entry = {
            "oordeel": oordeel.get_oordeel_display() if oordeel and oordeel.oordeel else "",
            "oordeel_value": oordeel.oordeel if oordeel else "",
            "summary": None,
            "candidate": None,
            "categories": [],
            "decisions": [],
        }
        if theme is not None:
            total = theme.total
            year = str(picture.year)
            if total.has_data:
                entry["summary"] = {
                    "count": num(total.counts.get(year), 0),
                    "rate": num(total.rates.get(year), 2),
                }
            if total.proposed and total.candidate:
                entry["candidate"] = {
                    "score": total.candidate.score,
                    "summary": total.candidate.summary,
                }
            main = set(total.categories)
            entry["categories"] = [
                {"code": c.code, "title": c.title, "score": c.candidate.score}
                for c in theme.categories
                if c.code in main and c.proposed and c.candidate
            ]
            keys = {total.key, *main}
            entry["decisions"] = [
                {
                    "titel": d.titel,
                    "sleutel": d.sleutel,
                    "toelichting": d.toelichting,
                    "door": _who(d.besloten_door),
                }
                for k, d in sorted(decisions.items())
                if k in keys
            ]
        result[code] = entry
    return result


def _placement(prioriteiten, clusters) -> dict[str, dict]:
    placed = {}
    for p in prioriteiten:
        for code in p.themas:
            placed[code] = {"soort": "prioriteit", "titel": p.titel, "anchor": f"prioriteit-{p.pk}"}
    for o in clusters:
        for code in o.themas:
            placed.setdefault(
                code, {"soort": "cluster", "titel": o.titel, "anchor": f"cluster-{o.pk}"}
            )
    return placed


def _theme_choices(exclude: set[str]) -> list[tuple[str, str]]:
    return [(c, f"{c} {t}") for c, t in _theme_titles().items() if c not in exclude]


def _theme_groups(form, *, available: set[str], taken: dict[str, str]) -> list[dict]:
    """The themes per field for the checkboxes of ``form.themas``."""
    if form.is_bound:
        checked = set(form.data.getlist(form.add_prefix("themas")))
    else:
        checked = set(form.initial.get("themas") or [])
    prefix = form.add_prefix("themas")
    groups = []
    for veld in _catalogue().velden:
        themes = [
            {
                "code": t.code,
                "titel": t.titel,
                "id": f"id_{prefix}_{t.code.replace('.', '_')}",
                "checked": t.code in checked,
                "available": t.code in available,
                "taken_by": taken.get(t.code, ""),
            }
            for t in veld.themas
        ]
        groups.append({"code": veld.code, "titel": veld.titel, "themes": themes})
    return groups


def _too_many_text(count: int) -> str:
    return services.TooManyPriorities(count).messages[0]


def _prioritering_context(
    request: HttpRequest,
    plan,
    *,
    add_form: PrioriteitForm | None = None,
    bound: dict | None = None,
) -> dict:
    bound = bound or {}
    can_edit = _can(request, plan)
    titles = _theme_titles()
    hidden = hidden_for(request.user, plan)
    prioriteiten = [p for p in plan.prioriteiten.all() if not hidden.hides(p)]
    clusters = [o for o in OverigThema.objects.filter(plan=plan) if not hidden.hides(o)]
    picture, no_data = _picture(plan)
    signals = _signals(plan, picture)
    placed = _placement(prioriteiten, clusters)
    taken = services.prioritised_themes(plan)
    unplaced = services.unplaced_themes(plan)

    fields = []
    for veld in _catalogue().velden:
        fields.append(
            {
                "code": veld.code,
                "titel": veld.titel,
                "themes": [
                    {
                        "code": t.code,
                        "titel": t.titel,
                        "url": reverse("catalogue:theme", args=[t.code]),
                        "signal": signals.get(t.code, {}),
                        "placed": placed.get(t.code),
                    }
                    for t in veld.themas
                ],
            }
        )

    count = len([p for p in prioriteiten if p.gemeente_id is None])  # a joint plan: shared
    if can_edit and add_form is None:
        add_form = PrioriteitForm(
            theme_choices=_theme_choices(set(taken)),
            gemeente_choices=_gemeente_choices(request, plan),
        )
    add_groups = (
        _theme_groups(add_form, available=set(titles) - set(taken), taken=taken) if add_form else []
    )

    from ivp.beleidsplan.joint import may_edit_local

    priority_items = [
        {
            "obj": p,
            "nummer": i,
            "themes": [(c, titles.get(c, "")) for c in p.themas],
            "first": i == 1,
            "last": i == len(prioriteiten),
            # a joint plan's local part: only for who works for its gemeente
            "local_ok": may_edit_local(request.user, p.gemeente) if p.gemeente_id else True,
            "edit_url": reverse("beleidsplan:prioriteit", args=[plan.pk, p.pk]),
            "delete_url": reverse("beleidsplan:verwijderen", args=[plan.pk, "prioriteit", p.pk]),
            "move_url": reverse("beleidsplan:verplaatsen", args=[plan.pk, "prioriteit", p.pk]),
        }
        for i, p in enumerate(prioriteiten, start=1)
    ]

    cluster_items = []
    for i, o in enumerate(clusters, start=1):
        form, conflict, _prefilled = _bound(bound, f"cluster-{o.pk}")
        options = set(o.themas) | set(unplaced)
        if conflict is not None:
            options |= set(conflict.current.themas)
        if can_edit and form is None:
            form = ClusterForm(
                prefix=f"c{o.pk}",
                theme_choices=_theme_choices(set(titles) - options),
                initial={"titel": o.titel, "themas": list(o.themas), "version": o.version},
            )
        cluster_items.append(
            {
                "obj": o,
                "nummer": i,
                "themes": [(c, titles.get(c, "")) for c in o.themas],
                "form": form if can_edit else None,
                "options": [
                    {
                        "code": c,
                        "titel": titles[c],
                        "id": f"id_c{o.pk}-themas_{c.replace('.', '_')}",
                        "checked": c in _checked(form, o),
                    }
                    for c in titles
                    if c in options
                ]
                if form
                else [],
                "conflict": conflict,
                "current_themes": [(c, titles.get(c, "")) for c in conflict.current.themas]
                if conflict
                else [],
                "current_by": _who(conflict.current.updated_by) if conflict else "",
                "first": i == 1,
                "last": i == len(clusters),
                "action": reverse("beleidsplan:cluster", args=[plan.pk, o.pk]),
                "delete_url": reverse("beleidsplan:verwijderen", args=[plan.pk, "cluster", o.pk]),
                "move_url": reverse("beleidsplan:verplaatsen", args=[plan.pk, "cluster", o.pk]),
            }
        )

    return _context(
        request,
        plan,
        can_edit=can_edit,
        picture=picture,
        no_data=no_data,
        fields=fields,
        prioriteiten=priority_items,
        joint=plan.gemeenten.count() > 1,
        count=count,
        maximum=MAX_PRIORITEITEN,
        add_form=add_form if can_edit else None,
        add_groups=add_groups,
        too_many=_too_many_text(count) if count >= MAX_PRIORITEITEN else "",
        clusters=cluster_items,
        new_cluster_form=(_bound(bound, "new-cluster")[0] or NieuwClusterForm(prefix="nieuw"))
        if can_edit
        else None,
        unplaced=[(c, titles.get(c, "")) for c in unplaced],
        toc=_toc(plan, prioriteiten, clusters, hidden_for(request.user, plan)),
        handout=_downloads(plan, "prioritering", ("docx", "pdf")),
        slides=_downloads(plan, "prioritering-slides", ("pdf",)),
    )


def _checked(form, cluster) -> set[str]:
    if form is None:
        return set()
    if form.is_bound:
        return set(form.data.getlist(form.add_prefix("themas")))
    return set(form.initial.get("themas") or cluster.themas)


@login_required
def prioritering(request: HttpRequest, pk: int) -> HttpResponse:
    """The page of step 3; a POST adds a priority."""
    plan = get_plan_for_user(request.user, pk)
    add_form = None
    if request.method == "POST":
        _require(request, plan)
        taken = services.prioritised_themes(plan)
        add_form = PrioriteitForm(
            request.POST,
            theme_choices=_theme_choices(set(taken)),
            gemeente_choices=_gemeente_choices(request, plan),
        )
        if add_form.is_valid():
            data = add_form.cleaned_data
            try:
                prioriteit = services.add_prioriteit(
                    plan,
                    by=request.user,
                    titel=data["titel"],
                    themas=data["themas"],
                    accenten=add_form.accent_list(),
                    reden_boven_maximum=data["reden_boven_maximum"],
                    **add_form.joint_values(plan),
                )
            except services.TooManyPriorities:
                # the method's explanation stands next to the field (``too_many``)
                add_form.add_error(
                    "reden_boven_maximum", _("Geef een reden, of kies minder prioriteiten.")
                )
            except ValidationError as error:
                add_form.add_error(None, _error_text(error))
            else:
                messages.success(
                    request,
                    _("De prioriteit ‘%(titel)s’ is toegevoegd.") % {"titel": prioriteit.titel},
                )
                return redirect(_prioritering_url(plan, "prioriteiten"))
    return render(
        request,
        "beleidsplan/prioritering.html",
        _prioritering_context(request, plan, add_form=add_form),
    )


def _gemeente_choices(request: HttpRequest, plan, current=None) -> list[tuple[str, str]] | None:
    """A joint plan: the member gemeenten whose local parts the user may edit (and the
    current one); None for a plan of one gemeente."""
    from ivp.beleidsplan.joint import may_edit_local

    members = list(plan.gemeenten.order_by("naam"))
    if len(members) < 2:
        return None
    return [
        (g.code, _("Lokaal: %(naam)s") % {"naam": g.naam})
        for g in members
        if may_edit_local(request.user, g) or (current is not None and g.pk == current.pk)
    ]


def _analysis_motivation(plan, themas) -> str:
    """A first motivation from step 2: the working group's problem texts of the themes and
    the conclusions of their fields (the user edits it before saving)."""
    texts = analyse.teksten(plan)
    parts = []
    for code in themas:
        tekst = texts.get(code)
        if tekst and tekst.probleem.strip():
            parts.append(tekst.probleem.strip())
    for veld in dict.fromkeys(code.split(".")[0] for code in themas):
        tekst = texts.get(f"V{veld}")
        if tekst and tekst.conclusie.strip():
            parts.append(tekst.conclusie.strip())
    return "\n\n".join(dict.fromkeys(parts))


@login_required
def prioriteit(request: HttpRequest, pk: int, part: int) -> HttpResponse:
    """Edit the title, themes, accents (and reason) of one priority."""
    plan = get_plan_for_user(request.user, pk)
    obj = get_object_or_404(Prioriteit, plan=plan, pk=part)
    if hidden_for(request.user, plan).hides(obj):
        raise Http404
    from ivp.beleidsplan.joint import may_edit_local, require_local

    can_edit = _can(request, plan) and may_edit_local(request.user, obj.gemeente)
    if request.method == "POST":
        _require(request, plan)
        require_local(request.user, obj.gemeente)
    taken = services.prioritised_themes(plan, exclude=obj)
    choices = _theme_choices(set(taken))
    conflict = None
    if request.method == "POST":
        form = PrioriteitForm(
            request.POST,
            theme_choices=choices,
            gemeente_choices=_gemeente_choices(request, plan, obj.gemeente),
        )
        result = save_form(
            form,
            lambda data: services.update_part(
                obj,
                by=request.user,
                expected_version=data["version"] or 0,
                titel=data["titel"].strip(),
                themas=data["themas"],
                accenten=form.accent_list(),
                waarom=data["waarom"],
                reden_boven_maximum=data["reden_boven_maximum"].strip(),
                **form.joint_values(plan),
            ),
            refused=(PermissionDenied,),
        )
        conflict = result.conflict
        if result.saved:
            messages.success(request, _("De prioriteit is opgeslagen."))
            return redirect(_prioritering_url(plan, f"prioriteit-{obj.pk}"))
    else:
        from ivp.beleidsplan.joint import acties_text

        form = PrioriteitForm(
            theme_choices=choices,
            gemeente_choices=_gemeente_choices(request, plan, obj.gemeente),
            initial={
                "titel": obj.titel,
                "themas": list(obj.themas),
                "accenten": "\n".join(obj.accenten),
                "waarom": obj.waarom or _analysis_motivation(plan, obj.themas),
                "reden_boven_maximum": obj.reden_boven_maximum,
                "version": obj.version,
                "gemeente": obj.gemeente.code if obj.gemeente else "",
                "ambitie": obj.ambitie,
                "beoogd_effect": obj.beoogd_effect,
                "acties": acties_text(obj.acties),
            },
        )
    position = list(plan.prioriteiten.values_list("pk", flat=True)).index(obj.pk)
    titles = _theme_titles()
    current = conflict.current if conflict else None
    return render(
        request,
        "beleidsplan/prioriteit.html",
        _context(
            request,
            plan,
            obj=obj,
            form=form if can_edit else None,
            groups=_theme_groups(form, available=set(titles) - set(taken), taken=taken),
            show_reason=position >= MAX_PRIORITEITEN or bool(obj.reden_boven_maximum),
            too_many=_too_many_text(position) if position >= MAX_PRIORITEITEN else "",
            conflict=conflict,
            current=current,
            current_themes=[(c, titles.get(c, "")) for c in current.themas] if current else [],
            current_by=_who(current.updated_by) if current else "",
        ),
    )


@login_required
@require_POST
def verplaatsen(request: HttpRequest, pk: int, soort: str, part: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    obj = _part(plan, soort, part)
    direction = {"op": -1, "neer": 1}.get(request.POST.get("richting", ""))
    if direction is None:
        messages.error(request, _("Kies omhoog of omlaag."))
    else:
        services.move_part(obj, by=request.user, direction=direction)
    anchor = f"{soort}-{obj.pk}"
    if request.POST.get("terug") == "ivp":
        return redirect(_ivp_url(plan, anchor))
    return redirect(_prioritering_url(plan, anchor))


@login_required
def verwijderen(request: HttpRequest, pk: int, soort: str, part: int) -> HttpResponse:
    """Ask, then delete a priority, cluster or indicator."""
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    if soort == "indicator":
        obj = get_object_or_404(Effectindicator, plan=plan, pk=part)
        back = _ivp_url(plan, _indicator_anchor(obj))
    else:
        obj = _part(plan, soort, part)
        back = _prioritering_url(plan, f"{soort}-{obj.pk}")
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            services.delete_part(obj, by=request.user, expected_version=version)
        except services.StaleEditError as error:
            messages.error(
                request,
                _(
                    "%(who)s heeft dit onderdeel intussen gewijzigd; er is niets verwijderd. "
                    "Bekijk de actuele versie en kies opnieuw."
                )
                % {"who": _who(error.current.updated_by)},
            )
            return redirect(request.path)
        messages.success(request, _("‘%(naam)s’ is verwijderd.") % {"naam": str(obj)})
        if soort == "indicator":
            return redirect(_ivp_url(plan, _indicator_anchor(obj)))
        return redirect(
            _prioritering_url(plan, "prioriteiten" if soort == "prioriteit" else "overig")
        )
    losses = []
    if soort != "indicator":
        if any(getattr(obj, f) for f in ("waarom", "hoofdlijnen", "flankerend_beleid", "doel")):
            losses.append(
                _("de teksten in hoofdstuk %(n)s") % {"n": 4 if soort == "prioriteit" else 5}
            )
        n = obj.indicatoren.count()
        if n:
            losses.append(_("%(n)s effectindicator(en)") % {"n": n})
    kinds = {
        "prioriteit": _("de prioriteit"),
        "cluster": _("het cluster"),
        "indicator": _("de indicator"),
    }
    return render(
        request,
        "beleidsplan/verwijderen.html",
        _context(request, plan, obj=obj, kind=kinds[soort], losses=losses, back=back),
    )


@login_required
@require_POST
def indelen(request: HttpRequest, pk: int) -> HttpResponse:
    """Put the remaining themes into one cluster per field."""
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    before = len(services.unplaced_themes(plan))
    try:
        services.cluster_remaining_by_field(plan, by=request.user)
    except (services.StaleEditError, ValidationError) as error:
        messages.error(
            request,
            str(error) if isinstance(error, services.StaleEditError) else _error_text(error),
        )
    else:
        if before:
            messages.success(
                request,
                _(
                    "%(n)s thema's zijn per veld ingedeeld. Pas de titels en de indeling "
                    "aan waar nodig."
                )
                % {"n": before},
            )
        else:
            messages.info(request, _("Alle thema's zijn al ingedeeld."))
    return redirect(_prioritering_url(plan, "overig"))


@login_required
@require_POST
def cluster_toevoegen(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    form = NieuwClusterForm(request.POST, prefix="nieuw")
    if form.is_valid():
        try:
            cluster = services.add_overig_thema(
                plan, by=request.user, titel=form.cleaned_data["titel"], themas=[]
            )
        except ValidationError as error:
            form.add_error("titel", _error_text(error))
        else:
            messages.success(
                request, _("Het cluster ‘%(titel)s’ is toegevoegd.") % {"titel": cluster.titel}
            )
            return redirect(_prioritering_url(plan, f"cluster-{cluster.pk}"))
    return render(
        request,
        "beleidsplan/prioritering.html",
        _prioritering_context(request, plan, bound={"new-cluster": (form, None)}),
    )


@login_required
@require_POST
def cluster(request: HttpRequest, pk: int, part: int) -> HttpResponse:
    """Save the title and themes of one cluster."""
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    obj = get_object_or_404(OverigThema, plan=plan, pk=part)
    form = ClusterForm(request.POST, prefix=f"c{obj.pk}", theme_choices=_theme_choices(set()))
    result = save_form(
        form,
        lambda data: services.update_part(
            obj,
            by=request.user,
            expected_version=data["version"],
            titel=data["titel"].strip(),
            themas=data["themas"],
        ),
    )
    if result.saved:
        messages.success(request, _("Het cluster is opgeslagen."))
        return redirect(_prioritering_url(plan, f"cluster-{obj.pk}"))
    return render(
        request,
        "beleidsplan/prioritering.html",
        _prioritering_context(request, plan, bound={f"cluster-{obj.pk}": (form, result.conflict)}),
    )
