"""Pages of the data part: datasets with provenance, series, import runs, upload with a
preview, the mapping to themes (default and per plan), what a gemeente's data hold, and
fetching from the CBS API. Views validate input and call ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ivp.areas import services as area_services
from ivp.areas.models import Gemeente
from ivp.datasets import access, offences, queries, services
from ivp.datasets.forms import OFFICIAL, FetchForm, PlanMappingForm, UploadForm
from ivp.datasets.mapping import THEMA_CODES, THEMA_TITELS, default_indeling
from ivp.datasets.models import ImportRun, Observation, PlanMapping
from ivp.datasets.periods import STATUS_LABELS, Periode, Status
from ivp.datasets.services import STATUS_NAMES


def theme_titles() -> dict[str, str]:
    """Theme titles from the catalogue when it is there, else the built-in list."""
    titles = dict(THEMA_TITELS)
    try:
        from ivp.catalogue.models import Thema  # type: ignore[attr-defined]

        for code, titel in Thema.objects.values_list("code", "titel"):
            if code in titles and titel:
                titles[code] = titel
    except Exception:  # noqa: BLE001, S110 - catalogue absent or not migrated: use the list
        pass
    return titles


def _status_label(code: str) -> str:
    return STATUS_LABELS[Status(STATUS_NAMES.get(code, ""))]


def _upload_owners(user) -> list[tuple[str, str]]:
    """Choices of the upload form: the gemeenten the user may import for, and for a
    superuser also the official datasets."""
    choices = [
        (g.code, f"{g.naam} ({g.code})")
        for g in access.importable_gemeenten(user).filter(actief=True).order_by("naam")
    ]
    if access.is_system(user):
        choices.insert(0, (OFFICIAL, _("Officiële cijfers (voor alle gemeenten)")))
    return choices


def _own_gemeenten(user) -> list[Gemeente]:
    """The gemeenten to show first: those the user is assigned to, else (a superuser or a
    member of an organisation covering all) the first few the user works for."""
    from ivp.accounts import gemeenten_of

    assigned = list(user.organisaties.filter(actief=True))
    return assigned or list(gemeenten_of(user).filter(actief=True).order_by("naam")[:1])


@login_required
def index(request: HttpRequest) -> HttpResponse:
    own = _own_gemeenten(request.user)
    availability = [(g, queries.availability(g.code)) for g in own[:5]]
    return render(
        request,
        "datasets/index.html",
        {
            "overview": services.dataset_overview(request.user),
            "availability": availability,
            "can_import": access.may_import_anything(request.user),
            "recent_runs": access.import_runs_for_user(request.user, previews=False)[:8],
        },
    )


@login_required
def dataset_detail(request: HttpRequest, key: str) -> HttpResponse:
    dataset = get_object_or_404(access.datasets_for_user(request.user), key=key)
    series = dataset.series.annotate(
        n=Count("observations"),
        first=Min("observations__period"),
        last=Max("observations__period"),
    ).order_by("code")
    return render(
        request,
        "datasets/dataset_detail.html",
        {
            "dataset": dataset,
            "series": series,
            "runs": access.import_runs_for_user(request.user, previews=False).filter(
                datasets=dataset
            )[:20],
        },
    )


@login_required
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = get_object_or_404(
        access.series_for_user(request.user).select_related("dataset"), pk=pk
    )
    own = [g.code for g in _own_gemeenten(request.user)]
    region = (request.GET.get("regio") or (own[0] if own else "")).strip().upper()
    observations = Observation.objects.filter(series=series).select_related("import_run")
    regions_with_data = series.observations.values("region").distinct().count()
    if region:
        observations = observations.filter(region__in=[region, "NL01"])
    else:
        observations = observations.order_by("region", "period")
    page = Paginator(observations.order_by("region", "period"), 100).get_page(
        request.GET.get("pagina")
    )
    names = area_services.region_names({o.region for o in page})
    rows = [
        {
            "observation": o,
            "region_name": names.get(o.region, ""),
            "period": Periode(o.period).label,
            "status": _status_label(o.status),
        }
        for o in page
    ]
    mapping = default_indeling()
    return render(
        request,
        "datasets/series_detail.html",
        {
            "series": series,
            "rows": rows,
            "page": page,
            "region": region,
            "regions_with_data": regions_with_data,
            "themes": [
                (t, theme_titles()[t])
                for t in mapping.themas_voor(series.soort_misdrijf, series.incident_code)
            ],
        },
    )


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(
        access.import_runs_for_user(request.user).select_related("owner"), pk=pk
    )
    return render(
        request,
        "datasets/run_detail.html",
        {
            "run": run,
            "problems": services.problems_as_text(run.problems),
            "can_confirm": run.status == ImportRun.Status.PREVIEW
            and bool(run.file)
            and access.may_import(request.user, run.owner),
        },
    )


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    owners = _upload_owners(request.user)
    if not owners:
        raise PermissionDenied(
            _("Alleen coördinatoren en redacteuren van een plan kunnen bestanden inlezen.")
        )
    form = UploadForm(request.POST or None, request.FILES or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        services.discard_old_previews()
        upload_file = form.cleaned_data["bestand"]
        code = form.cleaned_data["eigenaar"]
        owner = None if code == OFFICIAL else Gemeente.objects.get(code=code)
        data = upload_file.read()
        run = services.import_file(
            data,
            upload_file.name,
            user=request.user,
            tabel_id=form.cleaned_data["tabel"],
            dataset_name=form.cleaned_data["bron"],
            dry_run=True,
            keep_file=True,
            owner=owner,
        )
        return redirect("datasets:run", pk=run.pk)
    from ivp.datasets.xlsx_templates import TEMPLATES

    return render(
        request, "datasets/upload.html", {"form": form, "templates": list(TEMPLATES.values())}
    )


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(access.import_runs_for_user(request.user), pk=pk)
    if not access.may_import(request.user, run.owner):
        raise PermissionDenied(_("U mag dit voorbeeld niet opslaan."))
    try:
        run = services.confirm_import(run, user=request.user)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("datasets:run", pk=pk)
    if run.status == ImportRun.Status.DONE:
        messages.success(
            request,
            _("Opgeslagen: %(new)s nieuw, %(changed)s gewijzigd, %(same)s ongewijzigd.")
            % {"new": run.created, "changed": run.changed, "same": run.unchanged},
        )
    else:
        messages.error(request, _("Het bestand is afgewezen; er is niets opgeslagen."))
    return redirect("datasets:run", pk=run.pk)


def _mapping_rows(indeling, titles):
    rows = []
    for entries, categories in (
        (indeling.soort_misdrijf, offences.soort_misdrijf()),
        (indeling.incidentcodes, offences.overlast()),
    ):
        for row in entries.values():
            category = categories.get(row.code)
            rows.append(
                {
                    "code": row.code,
                    "naam": category.titel if category else "",
                    "themas": [(t, titles.get(t, "")) for t in row.themas],
                    "waarom": row.waarom,
                    "herkomst": row.herkomst,
                    "incidentcodes": category.incident_codes if category else (),
                }
            )
    return rows


@login_required
def mapping(request: HttpRequest) -> HttpResponse:
    indeling = default_indeling()
    titles = theme_titles()
    per_theme = indeling.per_thema()
    return render(
        request,
        "datasets/mapping.html",
        {
            "indeling": indeling,
            "rows": _mapping_rows(indeling, titles),
            "per_theme": [(c, titles[c], per_theme.get(c, [])) for c in THEMA_CODES],
            "aggregates": indeling.aggregaten.values(),
        },
    )


@login_required
def plan_mapping(request: HttpRequest, plan_pk: int) -> HttpResponse:
    from ivp.plans.access import Permission, get_plan_for_user, permissions_for

    plan = get_plan_for_user(request.user, plan_pk)
    may_edit = Permission.EDIT_CONTENT in permissions_for(request.user, plan)
    titles = theme_titles()
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("U mag de indeling van dit plan niet wijzigen."))
        form = PlanMappingForm(request.POST, titles=titles)
        if form.is_valid():
            code = form.cleaned_data["code"]
            try:
                themes = None if form.cleaned_data["standaard"] else form.themes()
                services.set_plan_mapping(
                    plan,
                    by=request.user,
                    code=code,
                    themes=themes,
                    note=form.cleaned_data["toelichting"],
                )
            except (ValueError, ValidationError) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(
                    request,
                    _("De indeling van %(code)s is bijgewerkt voor dit plan.") % {"code": code},
                )
            return redirect("datasets:plan_mapping", plan_pk=plan.pk)
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
        return redirect("datasets:plan_mapping", plan_pk=plan.pk)
    indeling = services.mapping_for_plan(plan)
    edit_code = request.GET.get("code", "")
    form = None
    if may_edit and edit_code:
        entry = indeling.soort_misdrijf.get(edit_code) or indeling.incidentcodes.get(edit_code)
        if entry is None:
            raise Http404
        form = PlanMappingForm(
            initial={
                "code": edit_code,
                "hoofdthema": entry.themas[0] if entry.themas else "",
                "ook": list(entry.themas[1:]),
                "toelichting": PlanMapping.objects.filter(plan=plan, code=edit_code)
                .values_list("note", flat=True)
                .first()
                or "",
            },
            titles=titles,
        )
    return render(
        request,
        "datasets/plan_mapping.html",
        {
            "plan": plan,
            "rows": _mapping_rows(indeling, titles),
            "may_edit": may_edit,
            "form": form,
            "edit_code": edit_code,
            "n_own": PlanMapping.objects.filter(plan=plan).count(),
        },
    )


@login_required
def gemeente(request: HttpRequest, code: str) -> HttpResponse:
    gemeente_obj = get_object_or_404(Gemeente, code=code.upper())
    figures = queries.figures(gemeente_obj.code, with_comparison=False)
    years = sorted(
        {p for per_region in figures.counts.values() for p in per_region.get(gemeente_obj.code, {})}
    )
    titles = theme_titles()
    mapping_ = default_indeling()
    rows = []
    for code_, category in offences.soort_misdrijf().items():
        per_period = figures.counts.get(code_, {}).get(gemeente_obj.code)
        if not per_period:
            continue
        rows.append(
            {
                "code": code_,
                "naam": category.label,
                "themes": [(t, titles[t]) for t in mapping_.themas_voor(code_)],
                "values": [per_period.get(p) for p in years],
                "rates": [figures.rate(code_, gemeente_obj.code, int(p[:4])) for p in years],
            }
        )
    return render(
        request,
        "datasets/gemeente.html",
        {
            "gemeente": gemeente_obj,
            "context": area_services.gemeente_context(gemeente_obj.code),
            "years": [Periode(p).label for p in years],
            "statuses": [_status_label(figures.status.get(p, "")) for p in years],
            "population": [figures.population.get(gemeente_obj.code, {}).get(p) for p in years],
            "rows": rows,
            "availability": queries.availability(gemeente_obj.code),
            "sources": sorted(
                {
                    (s.title, s.table_id, s.attribution, s.retrieved_note, s.retrieved_at)
                    for s in figures.sources.values()
                }
            ),
            "can_fetch": services.can_fetch(request.user),
            "sees_own": access.visible_owners(request.user).filter(pk=gemeente_obj.pk).exists(),
        },
    )


@login_required
def fetch_page(request: HttpRequest) -> HttpResponse:
    if not services.can_fetch(request.user):
        raise PermissionDenied(_("Alleen coördinatoren kunnen cijfers ophalen bij het CBS."))
    gemeenten = services.fetchable_gemeenten(request.user).order_by("naam")
    choices = [(g.code, f"{g.naam} ({g.code})") for g in gemeenten]
    allow_all = request.user.is_superuser
    initial = {"gemeente": request.GET.get("gemeente", "")}
    form = FetchForm(request.POST or None, initial=initial, choices=choices, allow_all=allow_all)
    job = None
    if request.method == "POST" and form.is_valid():
        # Fetching runs as a background job (ivp.jobs) with a progress bar on this page.
        from ivp.jobs import services as jobs

        everyone = allow_all and form.cleaned_data.get("alle")
        codes = None if everyone else [form.cleaned_data["gemeente"]]
        job = jobs.active_for(request.user, kind="datasets.cbs_fetch", params={"gemeenten": codes})
        if job is None:
            title = (
                _("Cijfers ophalen bij het CBS: alle gemeenten")
                if everyone
                else _("Cijfers ophalen bij het CBS: %(code)s") % {"code": codes[0]}
            )
            job = jobs.start(
                "datasets.cbs_fetch",
                by=request.user,
                title=title,
                gemeente="" if everyone else codes[0],
                params={"gemeenten": codes},
            )
    return render(request, "datasets/fetch.html", {"form": form, "job": job})
