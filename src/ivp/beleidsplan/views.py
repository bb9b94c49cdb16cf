"""Pages of steps 3 and 4.

- **Prioritering** (``/plannen/<pk>/prioritering/``): the themes of the five fields with
  the signal of the analysis and the working group's decisions of step 2, the priorities
  (at most three à four, more only with a reason), the clusters of ongoing themes, the
  themes not placed yet and the resulting table of contents of the IVP.
- **IVP** (``/plannen/<pk>/ivp/``): the seven chapters, each saved on its own (a stale save
  keeps the user's input and shows the other version next to it), the parts of every
  priority and cluster, their effect indicators with a proposed target, and the frozen
  versions.

Views validate input and call ``services``; the figures come from the analysis of step 2
(``ivp.veiligheidsanalyse.services``) and are formatted here for the active language.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ivp.analysis import veiligheidsbeeld as vb
from ivp.analysis.targets import check_target
from ivp.beleidsplan import outline, services, structure
from ivp.beleidsplan.confidential import hidden_for
from ivp.beleidsplan.forms import (
    ClusterForm,
    HoofdstukForm,
    IndicatorForm,
    NieuwClusterForm,
    NieuweParagraafForm,
    NieuwHoofdstukForm,
    OnderdeelForm,
    OpmaakForm,
    ParagraafForm,
    PrioriteitForm,
    VersieForm,
)
from ivp.beleidsplan.models import (
    MAX_PRIORITEITEN,
    Effectindicator,
    Hoofdstuk,
    OverigThema,
    PlanVersie,
    Prioriteit,
)
from ivp.plans.access import Permission, get_plan_for_user, permissions_for
from ivp.veiligheidsanalyse import services as analyse

DASH = "—"
PARTS = {"prioriteit": Prioriteit, "cluster": OverigThema}
# units for which ivp can propose a target from the registered counts
PROPOSAL_UNITS = (Effectindicator.Eenheid.AANTAL, Effectindicator.Eenheid.PER_1000_INWONERS)


# -- formatting --------------------------------------------------------------------------


def num(value: float | None, decimals: int | None = None) -> str:
    """A number in the active language's format: "1.259", "8,23", "7,7"."""
    if value is None:
        return DASH
    value = float(value)
    if decimals is None:
        text = f"{round(value, 2):.2f}".rstrip("0")
        decimals = len(text.split(".", 1)[1]) if "." in text else 0
    return formats.number_format(round(value, decimals), decimal_pos=decimals, force_grouping=True)


def _unit(eenheid: str) -> str:
    if eenheid == Effectindicator.Eenheid.AANTAL:
        return ""
    return str(Effectindicator.Eenheid(eenheid).label)


def _with_unit(value: float | None, eenheid: str) -> str:
    if value is None:
        return DASH
    digits = 0 if eenheid == Effectindicator.Eenheid.AANTAL else None
    unit = _unit(eenheid)
    text = num(value, digits)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _sign(richting: str) -> str:
    return "≤" if richting == Effectindicator.Richting.HOOGSTENS else "≥"


def _who(user) -> str:
    if user is None:
        return _("iemand anders")
    return user.get_full_name() or user.username


# -- the plan ----------------------------------------------------------------------------


def _context(request: HttpRequest, plan, **extra) -> dict:
    perms = permissions_for(request.user, plan)
    return {"plan": plan, "perms": {p.value: (p in perms) for p in Permission}, **extra}


def _can(request: HttpRequest, plan, permission: Permission = Permission.EDIT_CONTENT) -> bool:
    return permission in permissions_for(request.user, plan)


def _require(request: HttpRequest, plan, permission: Permission = Permission.EDIT_CONTENT):
    if not _can(request, plan, permission):
        if permission == Permission.MANAGE_PLAN:
            raise PermissionDenied(_("Alleen de coördinator kan een versie vastleggen."))
        raise PermissionDenied(_("U mag het beleidsplan van dit plan alleen lezen."))


def _catalogue():
    from ivp.catalogue.content_loader import shipped_catalogue

    return shipped_catalogue()


def _theme_titles() -> dict[str, str]:
    return {t.code: t.titel for t in _catalogue().themas}


def _picture(plan) -> tuple[vb.Veiligheidsbeeld | None, str]:
    try:
        return analyse.veiligheidsbeeld(plan), ""
    except (vb.NoData, vb.UnknownArea) as error:
        return None, str(error)


def _part(plan, soort: str, part: int):
    if soort not in PARTS:
        raise Http404
    return get_object_or_404(PARTS[soort], plan=plan, pk=part)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _downloads(plan, document: str, formats_: tuple[str, ...]) -> list[dict]:
    labels = {"docx": "Word", "pdf": "PDF", "html": "HTML"}
    return [
        {
            "label": labels[fmt],
            "url": reverse("documents:download", args=[plan.pk, document, fmt]),
        }
        for fmt in formats_
    ]


def _chapter_anchor(h: Hoofdstuk) -> str:
    return f"hoofdstuk-{h.nummer}" if h.nummer else f"deel-{h.pk}"


def _toc(plan, prioriteiten, clusters, hidden, content: dict | None = None) -> list[dict]:
    """The chapters and annexes of the IVP in the plan's own shape and numbering, with the
    priorities, clusters and the plan's own sections under their chapters; without what
    ``hidden`` (the user's confidential parts) hides, numbered as in the internal version.
    ``content``: the plan's ``shape_content`` when the caller has it already."""
    from ivp.beleidsplan.content import shape_content

    titles = _theme_titles()
    content = content if content is not None else shape_content(plan)
    numbered = {c.key: c for c in outline.chapter_list(content)}
    by_key = {p.sleutel: p for p in [*prioriteiten, *clusters]}
    result = []
    for h in structure.chapters(plan):
        chapter = numbered.get(h.sleutel)
        if chapter is None:  # a chapter saved without a key in an older version
            continue
        if hidden.hides(h) and not h.nummer:
            continue
        generated, own = outline.section_numbers(chapter, content)
        parts = []
        for (key, title), number in zip(
            outline.generated_sections(chapter, content), generated, strict=True
        ):
            if hidden.hides_key(key):
                continue
            part = by_key.get(key)
            parts.append(
                {
                    "nummer": number,
                    "titel": title,
                    "themas": [f"{c} {titles.get(c, '')}".strip() for c in part.themas]
                    if part
                    else [],
                    "vertrouwelijk": bool(part and part.vertrouwelijk),
                }
            )
        parts += [
            {
                "nummer": number,
                "titel": section.get("title"),
                "themas": [],
                "vertrouwelijk": bool(section.get("confidential")),
            }
            for section, number in zip(chapter.sections, own, strict=True)
            if not hidden.hides_key(section.get("key") or "")
        ]
        result.append(
            {
                "nummer": f"Bijlage {chapter.annex_number}" if chapter.is_annex else chapter.number,
                "methode": h.nummer,
                "anchor": _chapter_anchor(h),
                "titel": chapter.title,
                "weggelaten": chapter.omitted,
                "onderdelen": parts,
            }
        )
    return result


def _bound(bound: dict, key: str) -> tuple:
    """(form, conflict, prefilled) of a part shown again after a POST."""
    entry = tuple(bound.get(key, ()))
    return (*entry, None, None, False)[:3]


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


def _prioritering_url(plan, anchor: str = "") -> str:
    url = reverse("beleidsplan:prioritering", args=[plan.pk])
    return f"{url}#{anchor}" if anchor else url


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
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_part(
                    obj,
                    by=request.user,
                    expected_version=data["version"] or 0,
                    titel=data["titel"].strip(),
                    themas=data["themas"],
                    accenten=form.accent_list(),
                    waarom=data["waarom"],
                    reden_boven_maximum=data["reden_boven_maximum"].strip(),
                    **form.joint_values(plan),
                )
            except services.StaleEditError as error:
                conflict = error
                form.data = form.data.copy()
                form.data["version"] = error.current.version
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
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
    conflict = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_part(
                obj,
                by=request.user,
                expected_version=data["version"],
                titel=data["titel"].strip(),
                themas=data["themas"],
            )
        except services.StaleEditError as error:
            conflict = error
            form.data = form.data.copy()
            form.data[form.add_prefix("version")] = error.current.version
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Het cluster is opgeslagen."))
            return redirect(_prioritering_url(plan, f"cluster-{obj.pk}"))
    return render(
        request,
        "beleidsplan/prioritering.html",
        _prioritering_context(request, plan, bound={f"cluster-{obj.pk}": (form, conflict)}),
    )


# -- step 4: the IVP ---------------------------------------------------------------------


def _ivp_url(plan, anchor: str = "") -> str:
    url = reverse("beleidsplan:ivp", args=[plan.pk])
    return f"{url}#{anchor}" if anchor else url


def _indicator_anchor(ind: Effectindicator) -> str:
    if ind.prioriteit_id:
        return f"prioriteit-{ind.prioriteit_id}"
    if ind.overig_thema_id:
        return f"cluster-{ind.overig_thema_id}"
    return "hoofdstuk-2"


def _strategic_choices() -> list[tuple[str, str]]:
    return [(s.code, s.titel) for s in _catalogue().strategische_themas]


def _strategic_hints(nummer: int) -> list[dict]:
    """The strategic themes the handbook places in chapter ``nummer``, with why."""
    hints = []
    for s in _catalogue().strategische_themas:
        for plek in s.plek_in_ivp:
            if nummer in plek.hoofdstukken:
                hints.append(
                    {
                        "titel": s.titel,
                        "toelichting": plek.toelichting,
                        "url": reverse("catalogue:strategic", args=[s.code]),
                    }
                )
    return hints


def _hoofdstuk_form(plan, h: Hoofdstuk, data=None) -> HoofdstukForm:
    initial = None
    if data is None:
        initial = {
            "titel": h.titel,
            "sleutel": h.sleutel,
            "tekst": h.tekst,
            "strategische_themas": list(h.strategische_themas),
            "vertrouwelijk": h.vertrouwelijk,
            "version": h.version,
        }
    return HoofdstukForm(
        data,
        nummer=h.nummer,
        prefix=f"h{h.nummer}" if h.nummer else f"d{h.pk}",
        strategic_choices=_strategic_choices(),
        rode_draden=list(h.rode_draden),
        suggestions=services.RODE_DRADEN,
        initial=initial,
    )


def _series_choices(plan, picture, keep: str = "") -> list:
    """The plan's themes and categories with figures, as choices of a linked series."""
    if picture is None:
        themes, categories = [], []
    else:
        themes = [
            (t.total.key, f"{_('Thema')} {t.code} {t.title}")
            for t in picture.themes
            if t.total.has_data
        ]
        categories = [
            (f"47018NED|{c.key}", f"{c.code} {c.title}") for c in picture.categories if c.has_data
        ]
    choices = []
    if themes:
        choices.append((_("Thema's (som van de soorten misdrijf)"), themes))
    if categories:
        choices.append((_("Soorten misdrijf (CBS 47018NED)"), categories))
    choices += _more_series_choices(picture)
    known = {k for _label, group in choices for k, _l in group}
    if keep and keep not in known:
        choices.append((keep, keep))
    return choices


def _more_series_choices(picture) -> list:
    """Combined series (sums of categories, each part present) and the gemeente's own and
    survey series, as choices of a linked series (``beleidsplan.series``)."""
    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.datasets.mapping import default_indeling

    if picture is None:
        return []
    present = {c.code for c in picture.categories if c.has_data}
    sums = [(("1.2.1", "1.2.2"), _("diefstal van/uit/vanaf motorvoertuigen"))]
    for aggregate in default_indeling().aggregaten.values():
        codes = tuple(getattr(aggregate, "codes", ()) or ())
        if len(codes) > 1:
            sums.append((codes, aggregate.naam.lower()))
    combined = [
        (vb.combined_key(codes), f"{' + '.join(codes)} ({label})")
        for codes, label in sums
        if all(c in present for c in codes)
    ]
    own = [
        (o.link, f"{o.indicator} ({o.source})")
        for t in picture.themes
        for o in t.other_series
        if o.has_data
    ]
    choices = []
    if combined:
        choices.append((_("Samengestelde reeksen (som van soorten misdrijf)"), combined))
    if own:
        choices.append((_("Eigen cijfers en enquêtes"), list(dict.fromkeys(own))))
    return choices


def _catalogue_bron(text: str | None) -> tuple[str, str]:
    """The catalogue's source text → (Bron, toelichting)."""
    text = (text or "").strip()
    lowered = text.lower()
    if lowered.startswith("veiligheidsmonitor"):
        return Effectindicator.Bron.VEILIGHEIDSMONITOR, ""
    if lowered.startswith("politieregistratie"):
        return Effectindicator.Bron.POLITIE, ""
    if lowered.startswith("gemeente"):
        return Effectindicator.Bron.GEMEENTE, "" if lowered == "gemeente" else text
    return Effectindicator.Bron.ANDERS, text


def _suggestions(themas) -> tuple[list, dict]:
    """The catalogue's effect indicators of ``themas``: grouped choices and id → data."""
    by_code = {t.code: t for t in _catalogue().themas}
    choices, catalogue = [], {}
    for code in themas:
        theme = by_code.get(code)
        if theme is None or not theme.effectindicatoren:
            continue
        group = []
        for ind in theme.effectindicatoren:
            bron, toelichting = _catalogue_bron(ind.bron)
            catalogue[ind.id] = {
                "id": ind.id,
                "tekst": ind.tekst,
                "bron": bron,
                "bron_toelichting": toelichting,
            }
            group.append((ind.id, f"{ind.tekst} ({ind.bron})" if ind.bron else ind.tekst))
        choices.append((f"{theme.code} {theme.titel}", group))
    return choices, catalogue


def _owner_key(prioriteit=None, overig=None) -> str:
    if prioriteit is not None:
        return f"p{prioriteit.pk}"
    if overig is not None:
        return f"o{overig.pk}"
    return "plan"


def _indicator_form(plan, picture, owner, data=None) -> IndicatorForm:
    themas = owner.themas if owner is not None else []
    suggestions, catalogue = _suggestions(themas)
    key = _owner_key(
        owner if isinstance(owner, Prioriteit) else None,
        owner if isinstance(owner, OverigThema) else None,
    )
    return IndicatorForm(
        data,
        prefix=f"i{key}",
        suggestions=suggestions,
        catalogue=catalogue,
        series=_series_choices(plan, picture),
        initial=None if data is not None else {"streefjaar": plan.periode_eind, "richting": "<="},
    )


def _proposal(plan, ind: Effectindicator) -> dict | None:
    """ivp's proposed target of a linked indicator and the verdict on the chosen one."""
    if not ind.reeks:
        return None
    if ind.eenheid not in PROPOSAL_UNITS:
        return {
            "none": _("ivp stelt alleen een streefwaarde voor in aantallen of per 1.000 inwoners.")
        }
    proposal = services.target_proposal(plan, ind)
    if proposal is None:
        return {"none": _("Geen cijfers voor deze reeks: ivp kan geen streefwaarde voorstellen.")}
    result = {
        "value": _with_unit(proposal.value, ind.eenheid) if proposal.value is not None else "",
        "sign": _sign(proposal.direction),
        "year": proposal.year,
        "reasons": list(proposal.reasons),
        "check": proposal.check,
        "chosen": None,
    }
    if ind.streefwaarde is not None and proposal.band is not None:
        if proposal.value is not None and round(ind.streefwaarde, 2) == round(proposal.value, 2):
            result["same"] = True  # the proposal's verdict is the chosen target's
        else:
            result["chosen"] = check_target(ind.streefwaarde, proposal.band, ind.richting)
    return result


def _indicator_rows(plan, indicators) -> list[dict]:
    rows = []
    for ind in indicators:
        bron = ind.get_bron_display()
        rows.append(
            {
                "obj": ind,
                "bron": bron,
                "bron_toelichting": ind.bron_toelichting,
                "uitgangswaarde": _with_unit(ind.uitgangswaarde, ind.eenheid),
                "uitgangsjaar": ind.uitgangsjaar,
                "doel": (
                    f"{_sign(ind.richting)} {_with_unit(ind.streefwaarde, ind.eenheid)}"
                    if ind.streefwaarde is not None
                    else ""
                ),
                "streefjaar": ind.streefjaar,
                "proposal": _proposal(plan, ind),
                "edit_url": reverse("beleidsplan:indicator", args=[plan.pk, ind.pk]),
                "delete_url": reverse("beleidsplan:indicator_verwijderen", args=[plan.pk, ind.pk]),
            }
        )
    return rows


def _part_block(
    request, plan, obj, soort: str, nummer: str, picture, indicators, bound: dict, can_edit: bool
) -> dict:
    key = f"{soort}-{obj.pk}"
    model = type(obj)
    form, conflict, _prefilled = _bound(bound, key)
    if can_edit and form is None:
        form = OnderdeelForm(
            prefix=f"{soort[0]}{obj.pk}",
            model=model,
            initial={
                "waarom": obj.waarom,
                "hoofdlijnen": obj.hoofdlijnen,
                "flankerend_beleid": obj.flankerend_beleid,
                "doel": obj.doel,
                "vertrouwelijk": obj.vertrouwelijk,
                "version": obj.version,
            },
        )
    owner_key = _owner_key(
        obj if soort == "prioriteit" else None, obj if soort == "cluster" else None
    )
    # the empty "add an indicator" form is fetched when its box is opened (ADR 0022)
    ind_form = _bound(bound, f"indicator-{owner_key}")[0]
    titles = _theme_titles()
    texts = [
        {"label": str(model._meta.get_field(n).verbose_name).capitalize(), "value": getattr(obj, n)}
        for n in ("waarom", "hoofdlijnen", "flankerend_beleid", "doel")
    ]
    current = conflict.current if conflict else None
    return {
        "obj": obj,
        "soort": soort,
        "anchor": key,
        "nummer": nummer,
        "themes": [(c, titles.get(c, "")) for c in obj.themas],
        "accenten": list(getattr(obj, "accenten", []) or []),
        "texts": texts,
        "form": form if can_edit else None,
        "action": reverse("beleidsplan:onderdeel", args=[plan.pk, soort, obj.pk]),
        "conflict": conflict,
        "current": [
            {"label": t["label"], "value": getattr(current, n)}
            for t, n in zip(
                texts, ("waarom", "hoofdlijnen", "flankerend_beleid", "doel"), strict=True
            )
        ]
        if current
        else [],
        "current_vertrouwelijk": current.vertrouwelijk if current else False,
        "current_by": _who(current.updated_by) if current else "",
        "updated_by": _who(obj.updated_by) if obj.updated_by_id else "",
        "indicators": _indicator_rows(plan, indicators),
        "warnings": services.indicator_warnings(indicators),
        "indicator_form": ind_form if can_edit else None,
        "indicator_action": reverse("beleidsplan:indicator_toevoegen", args=[plan.pk, owner_key]),
    }


def _outline_entries(plan, content: dict | None = None) -> dict:
    from ivp.beleidsplan.content import shape_content

    return outline.outline(content if content is not None else shape_content(plan))


def _section_blocks(
    plan, h: Hoofdstuk, entry: dict, bound: dict, can_edit: bool, hidden
) -> list[dict]:
    """The plan's own sections of a chapter, each with its number and form."""
    if h.pk is None:
        return []
    sections = [s for s in h.paragrafen.all() if not hidden.hides(s)]  # prefetched
    listed = [o["nummer"] for o in entry.get("onderdelen", [])]
    # the own sections come after what the method puts in the chapter
    numbers = listed[len(listed) - len(sections) :] if len(listed) >= len(sections) else []
    numbers += [""] * (len(sections) - len(numbers))
    blocks = []
    for section, number in zip(sections, numbers, strict=True):
        form, conflict, _prefilled = _bound(bound, f"par{section.pk}")
        if can_edit and form is None:
            form = ParagraafForm(
                prefix=f"par{section.pk}",
                initial={
                    "titel": section.titel,
                    "tekst": section.tekst,
                    "sleutel": section.sleutel,
                    "vertrouwelijk": section.vertrouwelijk,
                    "version": section.version,
                },
            )
        blocks.append(
            {
                "obj": section,
                "nummer": number,
                "form": form if can_edit else None,
                "conflict": conflict,
                "action": reverse("beleidsplan:paragraaf", args=[plan.pk, section.pk]),
                "move": reverse("beleidsplan:paragraaf_verplaatsen", args=[plan.pk, section.pk]),
                "delete": reverse("beleidsplan:paragraaf_verwijderen", args=[plan.pk, section.pk]),
            }
        )
    return blocks


def _ivp_context(request: HttpRequest, plan, *, bound: dict | None = None) -> dict:
    bound = bound or {}
    can_edit = _can(request, plan)
    picture, no_data = _picture(plan)
    hidden = hidden_for(request.user, plan)
    prioriteiten = [
        p for p in plan.prioriteiten.select_related("updated_by") if not hidden.hides(p)
    ]
    clusters = [
        o
        for o in OverigThema.objects.filter(plan=plan).select_related("updated_by")
        if not hidden.hides(o)
    ]
    indicators = [i for i in Effectindicator.objects.filter(plan=plan) if not hidden.hides(i)]
    strategic = dict(_strategic_choices())

    chapters = []
    from ivp.beleidsplan.content import shape_content

    shape = shape_content(plan)  # read once for the contents and the references
    toc = _toc(plan, prioriteiten, clusters, hidden, shape)
    numbers = {entry["anchor"]: entry for entry in toc}
    for h in structure.chapters(plan, for_page=True):
        nummer = h.nummer
        if hidden.hides(h):
            if not nummer:
                continue  # a confidential own chapter or annex does not exist for readers
            # a confidential chapter of the method shows as not (yet) written
            h = Hoofdstuk(
                plan=plan,
                nummer=nummer,
                version=0,
                soort=h.soort,
                titel=h.titel,
                volgorde=h.volgorde,
                sleutel=h.sleutel,
            )
        anchor = _chapter_anchor(h)
        bound_key = f"h{nummer}" if nummer else f"d{h.pk}"
        form, conflict, prefilled = _bound(bound, bound_key)
        if can_edit and form is None:
            form = _hoofdstuk_form(plan, h)
        current = conflict.current if conflict else None
        entry = numbers.get(anchor, {})
        chapter = {
            "nummer": entry.get("nummer", nummer),
            "methode": nummer,
            "anchor": anchor,
            "titel": h.weergavetitel,
            "obj": h,
            "form": form if can_edit else None,
            "action": reverse("beleidsplan:hoofdstuk", args=[plan.pk, nummer])
            if nummer
            else reverse("beleidsplan:deel", args=[plan.pk, h.pk]),
            "hints": _strategic_hints(nummer) if nummer else [],
            "strategic": [strategic.get(c, c) for c in h.strategische_themas],
            "rode_draden": list(h.rode_draden),
            "conflict": conflict,
            "current": current,
            "current_strategic": [strategic.get(c, c) for c in current.strategische_themas]
            if current
            else [],
            "current_by": _who(current.updated_by) if current else "",
            "updated_by": _who(h.updated_by) if h.pk and h.updated_by_id else "",
            "prefilled": prefilled,
            "sections": _section_blocks(plan, h, entry, bound, can_edit, hidden),
            "new_section": _bound(bound, f"nieuw-{anchor}")[0]
            or NieuweParagraafForm(auto_id=f"id_nieuw-{anchor}-%s"),
        }
        if nummer == Hoofdstuk.Nummer.STRATEGISCHE_DOELSTELLING:
            own = [i for i in indicators if i.prioriteit_id is None and i.overig_thema_id is None]
            ind_form = _bound(bound, "indicator-plan")[0]  # else fetched when opened
            chapter.update(
                indicators=_indicator_rows(plan, own),
                warnings=services.indicator_warnings(own),
                indicator_form=ind_form if can_edit else None,
                indicator_action=reverse("beleidsplan:indicator_toevoegen", args=[plan.pk, "plan"]),
            )
        elif nummer == Hoofdstuk.Nummer.PRIORITEITEN:
            numbers_of = {o["titel"]: o["nummer"] for o in entry.get("onderdelen", [])}
            chapter["parts"] = [
                _part_block(
                    request,
                    plan,
                    p,
                    "prioriteit",
                    numbers_of.get(p.titel, ""),
                    picture,
                    [x for x in indicators if x.prioriteit_id == p.pk],
                    bound,
                    can_edit,
                )
                for p in prioriteiten
            ]
        elif nummer == Hoofdstuk.Nummer.OVERIGE_THEMAS:
            numbers_of = {o["titel"]: o["nummer"] for o in entry.get("onderdelen", [])}
            chapter["parts"] = [
                _part_block(
                    request,
                    plan,
                    o,
                    "cluster",
                    numbers_of.get(o.titel, ""),
                    picture,
                    [x for x in indicators if x.overig_thema_id == o.pk],
                    bound,
                    can_edit,
                )
                for o in clusters
            ]
        chapters.append(chapter)

    versies = list(PlanVersie.objects.filter(plan=plan).select_related("created_by"))
    can_freeze = _can(request, plan, Permission.MANAGE_PLAN)
    versie_form = _bound(bound, "versie")[0]
    if can_freeze and versie_form is None:
        versie_form = VersieForm()
    opmaak = services.opmaak(plan)
    opmaak_form = _bound(bound, "opmaak")[0]
    if can_edit and opmaak_form is None:
        opmaak_form = OpmaakForm(
            initial={
                **{name: getattr(opmaak, name) for name in OpmaakForm.FIELDS},
                "version": opmaak.version,
            }
        )
    return _context(
        request,
        plan,
        can_edit=can_edit,
        picture=picture,
        no_data=no_data,
        chapters=chapters,
        toc=toc,
        references=[
            {"key": key, "text": entry.reference, "titel": entry.title}
            for key, entry in _outline_entries(plan, shape).items()
            if not hidden.hides_key(key)
        ],
        opmaak_form=opmaak_form if can_edit else None,
        nieuw_hoofdstuk_form=(
            _bound(bound, "nieuw-hoofdstuk")[0]
            or NieuwHoofdstukForm(auto_id="id_nieuw-hoofdstuk-%s")
        )
        if can_edit
        else None,
        missing=services.missing_for_council(plan) if can_freeze else [],
        versies=[
            {
                "obj": v,
                "door": _who(v.created_by),
            }
            for v in versies
        ],
        next_version=(versies[0].nummer + 1) if versies else 1,
        versie_form=versie_form if can_freeze else None,
        downloads=_downloads(plan, "ivp", ("docx", "pdf", "html")),
        prioritering_url=_prioritering_url(plan),
    )


@login_required
def ivp(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    return render(request, "beleidsplan/ivp.html", _ivp_context(request, plan))


@login_required
@require_POST
def hoofdstuk(request: HttpRequest, pk: int, nummer: int) -> HttpResponse:
    """Save one chapter; for chapter 1 "vullen" puts the text from the analysis in the
    form without saving."""
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    if nummer not in Hoofdstuk.Nummer.values:
        raise Http404
    h = services.hoofdstuk(plan, nummer)
    form = _hoofdstuk_form(plan, h, request.POST)
    if "vullen" in request.POST and nummer == Hoofdstuk.Nummer.UITGANGSSITUATIE:
        data = request.POST.copy()
        data[form.add_prefix("tekst")] = services.prefill_uitgangssituatie(plan)
        form = _hoofdstuk_form(plan, h, data)
        form.is_valid()
        messages.info(
            request,
            _(
                "De tekst uit de veiligheidsanalyse staat in het formulier. Pas hem aan en "
                "kies ‘Opslaan’; tot dan is er niets opgeslagen."
            ),
        )
        return render(
            request,
            "beleidsplan/ivp.html",
            _ivp_context(request, plan, bound={f"h{nummer}": (form, None, True)}),
        )
    conflict = None
    if form.is_valid():
        try:
            services.save_hoofdstuk(
                plan,
                by=request.user,
                nummer=nummer,
                expected_version=form.cleaned_data["version"],
                **form.values(),
            )
        except services.StaleEditError as error:
            conflict = error
            form.data = form.data.copy()
            form.data[form.add_prefix("version")] = error.current.version
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("Hoofdstuk %(n)s is opgeslagen.") % {"n": nummer},
            )
            return redirect(_ivp_url(plan, f"hoofdstuk-{nummer}"))
    return render(
        request,
        "beleidsplan/ivp.html",
        _ivp_context(request, plan, bound={f"h{nummer}": (form, conflict)}),
    )


@login_required
@require_POST
def onderdeel(request: HttpRequest, pk: int, soort: str, part: int) -> HttpResponse:
    """Save chapter 4 or 5 of one priority or cluster."""
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    obj = _part(plan, soort, part)
    form = OnderdeelForm(request.POST, prefix=f"{soort[0]}{obj.pk}", model=type(obj))
    conflict = None
    if form.is_valid():
        try:
            services.update_part(
                obj, by=request.user, expected_version=form.cleaned_data["version"], **form.values()
            )
        except services.StaleEditError as error:
            conflict = error
            form.data = form.data.copy()
            form.data[form.add_prefix("version")] = error.current.version
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("‘%(titel)s’ is opgeslagen.") % {"titel": obj.titel})
            return redirect(_ivp_url(plan, f"{soort}-{obj.pk}"))
    return render(
        request,
        "beleidsplan/ivp.html",
        _ivp_context(request, plan, bound={f"{soort}-{obj.pk}": (form, conflict)}),
    )


@login_required
@require_POST
def standaardindicatoren(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    made = services.add_default_strategic_indicators(plan, by=request.user)
    if made:
        messages.success(
            request,
            _("Toegevoegd: %(namen)s.") % {"namen": ", ".join(i.naam for i in made)},
        )
    else:
        messages.info(request, _("De standaardindicatoren staan er al."))
    return redirect(_ivp_url(plan, "hoofdstuk-2"))


def _owner(plan, onderdeel: str):
    if onderdeel == "plan":
        return None
    kind, number = onderdeel[:1], onderdeel[1:]
    if not number.isdigit():
        raise Http404
    if kind == "p":
        return get_object_or_404(Prioriteit, plan=plan, pk=int(number))
    if kind == "o":
        return get_object_or_404(OverigThema, plan=plan, pk=int(number))
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def indicator_toevoegen(request: HttpRequest, pk: int, onderdeel: str) -> HttpResponse:
    """GET: the empty form (the fragment when the IVP page opens its "Indicator toevoegen"
    box, else a page of its own); POST: add the indicator."""
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    owner = _owner(plan, onderdeel)
    if owner is not None and hidden_for(request.user, plan).hides(owner):
        raise Http404
    picture, _no_data = _picture(plan)
    if request.method == "GET":
        form = _indicator_form(plan, picture, owner)
        first = "suggestie" if "suggestie" in form.fields else "naam"
        form.fields[first].widget.attrs["autofocus"] = True  # focus lands in the form
        context = {"form": form, "action": request.path}
        if owner is None:
            anchor = "indicatoren-plan"
        else:
            anchor = f"{'prioriteit' if isinstance(owner, Prioriteit) else 'cluster'}-{owner.pk}"
        if request.htmx:
            return render(request, "beleidsplan/_indicator_form.html", context)
        return render(
            request,
            "beleidsplan/indicator_nieuw.html",
            _context(
                request,
                plan,
                **context,
                owner_title=owner.titel if owner is not None else "",
                back=_ivp_url(plan, anchor),
            ),
        )
    form = _indicator_form(plan, picture, owner, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            indicator = services.add_indicator(
                plan,
                by=request.user,
                naam=data["naam"],
                bron=data["bron"],
                eenheid=data["eenheid"],
                prioriteit=owner if isinstance(owner, Prioriteit) else None,
                overig_thema=owner if isinstance(owner, OverigThema) else None,
                **form.values(),
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            text = _("De indicator ‘%(naam)s’ is toegevoegd.") % {"naam": indicator.naam}
            if indicator.reeks and data.get("uitgangswaarde") is None:
                if indicator.uitgangswaarde is not None:
                    text += " " + _("De uitgangswaarde komt uit de cijfers.")
                else:
                    found = services.baseline_from_data(
                        plan, indicator.reeks, indicator.eenheid, indicator.uitgangsjaar
                    )
                    text += " " + (found.reason or _("Geen uitgangswaarde in de cijfers."))
            messages.success(request, text)
            return redirect(_ivp_url(plan, _indicator_anchor(indicator)))
    return render(
        request,
        "beleidsplan/ivp.html",
        _ivp_context(request, plan, bound={f"indicator-{onderdeel}": (form, None)}),
    )


@login_required
def indicator(request: HttpRequest, pk: int, part: int) -> HttpResponse:
    """Edit one effect indicator."""
    plan = get_plan_for_user(request.user, pk)
    obj = get_object_or_404(Effectindicator, plan=plan, pk=part)
    if hidden_for(request.user, plan).hides(obj):
        raise Http404
    can_edit = _can(request, plan)
    picture, _no_data = _picture(plan)
    series = _series_choices(plan, picture, keep=obj.reeks)
    conflict = None
    if request.method == "POST":
        _require(request, plan)
        form = IndicatorForm(request.POST, series=series, editing=True)
        if form.is_valid():
            data = form.cleaned_data
            values = form.values()
            if values["reeks"] and values["uitgangswaarde"] is None:
                found = services.baseline_from_data(
                    plan, values["reeks"], data["eenheid"], values["uitgangsjaar"]
                )
                values["uitgangswaarde"] = found.value
                values["uitgangsjaar"] = found.year
                values["uitgangswaarde_voorlopig"] = found.provisional
                if found.source and not values["bron_toelichting"]:
                    values["bron_toelichting"] = found.source
            try:
                services.update_part(
                    obj,
                    by=request.user,
                    expected_version=data["version"] or 0,
                    naam=data["naam"].strip(),
                    bron=data["bron"],
                    eenheid=data["eenheid"],
                    **values,
                )
            except services.StaleEditError as error:
                conflict = error
                form.data = form.data.copy()
                form.data["version"] = error.current.version
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(request, _("De indicator is opgeslagen."))
                return redirect(_ivp_url(plan, _indicator_anchor(obj)))
    else:
        form = IndicatorForm(
            series=series,
            editing=True,
            initial={
                "naam": obj.naam,
                "bron": obj.bron,
                "bron_toelichting": obj.bron_toelichting,
                "eenheid": obj.eenheid,
                "reeks": obj.reeks,
                "uitgangswaarde": obj.uitgangswaarde,
                "uitgangsjaar": obj.uitgangsjaar,
                "streefwaarde": obj.streefwaarde,
                "streefjaar": obj.streefjaar,
                "richting": obj.richting,
                "version": obj.version,
            },
        )
    current = conflict.current if conflict else None
    return render(
        request,
        "beleidsplan/indicator.html",
        _context(
            request,
            plan,
            obj=obj,
            form=form if can_edit else None,
            row=_indicator_rows(plan, [obj])[0],
            conflict=conflict,
            current=_indicator_rows(plan, [current])[0] if current else None,
            current_by=_who(current.updated_by) if current else "",
            back=_ivp_url(plan, _indicator_anchor(obj)),
        ),
    )


@login_required
@require_POST
def vastleggen(request: HttpRequest, pk: int) -> HttpResponse:
    """Freeze the content as a concept or as adopted by the council."""
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan, Permission.MANAGE_PLAN)
    form = VersieForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            versie = services.freeze(
                plan,
                by=request.user,
                status=data["status"],
                vastgesteld_op=data["vastgesteld_op"]
                if data["status"] == PlanVersie.Status.VASTGESTELD
                else None,
                toelichting=data["toelichting"],
            )
        except services.NotReadyForCouncil as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("Versie %(n)s is vastgelegd (%(status)s).")
                % {"n": versie.nummer, "status": versie.get_status_display().lower()},
            )
            return redirect(_ivp_url(plan, "versies"))
    return render(
        request, "beleidsplan/ivp.html", _ivp_context(request, plan, bound={"versie": (form,)})
    )
