"""Step 4, the IVP composer: the page with the plan's chapters, sections, priorities and clusters,
the endpoints that save a chapter or a part, and freezing a version for the council."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ivp.analysis.targets import check_target
from ivp.beleidsplan import outline, services, structure
from ivp.beleidsplan.confidential import hidden_for
from ivp.beleidsplan.forms import (
    HoofdstukForm,
    IndicatorForm,
    NieuweParagraafForm,
    NieuwHoofdstukForm,
    OnderdeelForm,
    OpmaakForm,
    ParagraafForm,
    VersieForm,
)
from ivp.beleidsplan.models import (
    Effectindicator,
    Hoofdstuk,
    OverigThema,
    PlanVersie,
    Prioriteit,
)
from ivp.beleidsplan.views.common import (
    PROPOSAL_UNITS,
    _bound,
    _can,
    _catalogue,
    _chapter_anchor,
    _context,
    _downloads,
    _error_text,
    _ivp_url,
    _part,
    _picture,
    _prioritering_url,
    _require,
    _sign,
    _theme_titles,
    _toc,
    _who,
    _with_unit,
)
from ivp.plans.access import Permission, get_plan_for_user
from ivp.plans.versioning import save_form

# -- step 4: the IVP ---------------------------------------------------------------------


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


def _proposal(plan, ind: Effectindicator, pictures: dict | None = None) -> dict | None:
    """ivp's proposed target of a linked indicator and the verdict on the chosen one."""
    if not ind.reeks:
        return None
    if ind.eenheid not in PROPOSAL_UNITS:
        return {
            "none": _("ivp stelt alleen een streefwaarde voor in aantallen of per 1.000 inwoners.")
        }
    proposal = services.target_proposal(plan, ind, pictures=pictures)
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


def _indicator_rows(plan, indicators, pictures: dict | None = None) -> list[dict]:
    """The rows of an indicator table; ``pictures``: the page's memo of the plan's analysis
    (see ``services.target_proposal``)."""
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
                "proposal": _proposal(plan, ind, pictures),
                "edit_url": reverse("beleidsplan:indicator", args=[plan.pk, ind.pk]),
                "delete_url": reverse("beleidsplan:indicator_verwijderen", args=[plan.pk, ind.pk]),
            }
        )
    return rows


def _part_block(
    request,
    plan,
    obj,
    soort: str,
    nummer: str,
    pictures: dict,
    indicators,
    bound: dict,
    can_edit: bool,
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
        "indicators": _indicator_rows(plan, indicators, pictures),
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
    pictures = {(None, None): picture}  # the page's memo of the plan's analysis
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
                indicators=_indicator_rows(plan, own, pictures),
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
                    pictures,
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
                    pictures,
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
        # what is missing for the council is read from the whole plan: computed with the
        # page only after a refused freeze, else fetched when the box comes into view
        missing=services.missing_for_council(plan) if can_freeze and "versie" in bound else [],
        missing_checked=can_freeze and "versie" in bound,
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
    result = save_form(
        form,
        lambda data: services.save_hoofdstuk(
            plan, by=request.user, nummer=nummer, expected_version=data["version"], **form.values()
        ),
    )
    if result.saved:
        messages.success(request, _("Hoofdstuk %(n)s is opgeslagen.") % {"n": nummer})
        return redirect(_ivp_url(plan, f"hoofdstuk-{nummer}"))
    return render(
        request,
        "beleidsplan/ivp.html",
        _ivp_context(request, plan, bound={f"h{nummer}": (form, result.conflict)}),
    )


@login_required
@require_POST
def onderdeel(request: HttpRequest, pk: int, soort: str, part: int) -> HttpResponse:
    """Save chapter 4 or 5 of one priority or cluster."""
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan)
    obj = _part(plan, soort, part)
    form = OnderdeelForm(request.POST, prefix=f"{soort[0]}{obj.pk}", model=type(obj))
    result = save_form(
        form,
        lambda data: services.update_part(
            obj, by=request.user, expected_version=data["version"], **form.values()
        ),
    )
    if result.saved:
        messages.success(request, _("‘%(titel)s’ is opgeslagen.") % {"titel": obj.titel})
        return redirect(_ivp_url(plan, f"{soort}-{obj.pk}"))
    return render(
        request,
        "beleidsplan/ivp.html",
        _ivp_context(request, plan, bound={f"{soort}-{obj.pk}": (form, result.conflict)}),
    )


# -- step 4: a version for the council ------------------------------------------------


@login_required
@require_GET
def gereedheid(request: HttpRequest, pk: int) -> HttpResponse:
    """What the IVP still lacks before it can go to the council (the box above the freeze
    form, fetched when it comes into view; a page of its own without JavaScript)."""
    plan = get_plan_for_user(request.user, pk)
    _require(request, plan, Permission.MANAGE_PLAN)
    missing = services.missing_for_council(plan)
    if request.htmx:
        return render(request, "beleidsplan/_gereedheid.html", {"missing": missing})
    return render(request, "beleidsplan/gereedheid.html", _context(request, plan, missing=missing))


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
