"""The kinds of background job. Each calls the service of the package that owns the work
and checks, when it runs, that the user who started it may still do it.

- ``documents.export``: a document of a plan (IVP, analysis report, …) as a file;
- ``uitvoering.xlsx_apply``: apply an uploaded sheet to an uitvoeringsplan (all or nothing);
- ``datasets.cbs_fetch``: fetch 47018NED and population from the CBS API and store them;
- ``analysis.batch``: the veiligheidsbeeld of every gemeente as one JSON file.
"""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from ivp.jobs.models import Job
from ivp.jobs.registry import JobFailed, Outcome, Report, kind


def _require_plan(job: Job, *, edit: bool = False) -> None:
    from ivp.plans.access import Permission, can

    user = job.started_by
    if user is None or job.plan is None:
        raise PermissionDenied(_("Deze taak hoort bij geen plan of gebruiker meer."))
    if not can(user, job.plan, Permission.EDIT_CONTENT if edit else Permission.VIEW):
        raise PermissionDenied(_("U heeft geen rechten (meer) voor deze actie in dit plan."))


@kind("documents.export")
def export_document(job: Job, report: Report) -> Outcome:
    from ivp.documents.exports import DOCUMENTS, UnknownExport, export

    params = job.params
    public = bool(params.get("public", True))
    _require_plan(job, edit=not public)
    options = {}
    if params.get("year"):
        options["year"] = int(params["year"])
    if params.get("period"):
        options["period"] = str(params["period"])
    if params.get("municipality"):
        options["municipality"] = str(params["municipality"])
    if params.get("version"):
        from ivp.beleidsplan.models import PlanVersie

        frozen = PlanVersie.objects.filter(plan=job.plan, nummer=int(params["version"])).first()
        if frozen is None:
            raise JobFailed(_("Deze versie van het plan bestaat niet (meer)."))
        options["content"] = frozen.inhoud
    document = params.get("document", "")
    title = DOCUMENTS[document].title if document in DOCUMENTS else document
    report(10, _("%(title)s opbouwen") % {"title": title})
    try:
        content, content_type, filename = export(
            job.plan, document, params.get("format", ""), public=public, **options
        )
    except (UnknownExport, TypeError) as error:
        raise JobFailed(_("Dit document bestaat niet in deze vorm: %(e)s") % {"e": error}) from None
    return Outcome(
        content=content,
        filename=filename,
        content_type=content_type,
        message=_("Het document is klaar."),
    )


@kind("uitvoering.xlsx_apply", atomic=True)
def apply_sheet(job: Job, report: Report) -> Outcome:
    from ivp.uitvoering import spreadsheet
    from ivp.uitvoering.models import Uitvoeringsplan

    _require_plan(job, edit=True)
    up = Uitvoeringsplan.objects.filter(plan=job.plan, jaar=job.params.get("jaar")).first()
    if up is None:
        raise JobFailed(_("Dit uitvoeringsplan bestaat niet meer."))
    if not job.input_file:
        raise JobFailed(_("Het ingelezen bestand is er niet meer; lees het opnieuw in."))
    with job.input_file.open("rb") as handle:
        data = handle.read()
    try:
        result = spreadsheet.apply_xlsx(up, data, by=job.started_by)
    except spreadsheet.SheetError as error:
        raise JobFailed(
            _("Er is niets doorgevoerd: %(errors)s") % {"errors": "; ".join(error.report.errors)}
        ) from None
    new = sum(1 for c in result.changes if c.kind == "nieuw")
    return Outcome(
        message=_(
            "De wijzigingen uit het bestand zijn doorgevoerd: %(new)s nieuwe en %(changed)s "
            "gewijzigde maatregelen."
        )
        % {"new": new, "changed": len(result.changes) - new},
        url=reverse("uitvoering:detail", args=[up.plan_id, up.jaar]),
    )


@kind("datasets.cbs_fetch")
def fetch_cbs(job: Job, report: Report) -> Outcome:
    from ivp.datasets import services
    from ivp.datasets.cbs_client import CbsError
    from ivp.datasets.models import ImportRun

    if not services.can_fetch(job.started_by):
        raise PermissionDenied(_("Alleen coördinatoren kunnen cijfers ophalen bij het CBS."))
    gemeenten = job.params.get("gemeenten") or None

    def progress(done: int, total: int, label: str) -> None:
        report(5 + int(85 * done / max(total, 1)), _("Ophalen: %(label)s") % {"label": label})

    try:
        outcome = services.fetch_from_cbs(
            gemeenten=gemeenten, user=job.started_by, progress=progress
        )
    except CbsError as error:
        raise JobFailed(_("Ophalen is niet gelukt: %(e)s") % {"e": error}) from None
    if not outcome.ok:
        raise JobFailed(
            _("Het CBS gaf cijfers die niet konden worden opgeslagen; er is niets gewijzigd.")
        )
    counts = {
        "new": sum(r.created for r in outcome.runs),
        "changed": sum(r.changed for r in outcome.runs),
        "same": sum(r.unchanged for r in outcome.runs),
    }
    first = next((r for r in outcome.runs if r.status == ImportRun.Status.DONE), None)
    return Outcome(
        message=_(
            "De cijfers zijn opgehaald en opgeslagen: %(new)s nieuw, %(changed)s gewijzigd, "
            "%(same)s ongewijzigd."
        )
        % counts,
        url=reverse("datasets:run", args=[first.pk]) if first else reverse("datasets:index"),
    )


@kind("analysis.batch")
def analyse_all(job: Job, report: Report) -> Outcome:
    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.areas.models import Gemeente

    user = job.started_by
    if user is not None and not (user.is_staff or user.is_superuser):
        raise PermissionDenied(_("Alleen beheerders kunnen alle gemeenten laten analyseren."))
    year = job.params.get("year")
    total = Gemeente.objects.filter(actief=True).exclude(code="GM0000").count()
    report(2, _("Cijfers laden"))
    results, failed = [], []
    for done, (code, picture) in enumerate(vb.build_all(year), start=1):
        if isinstance(picture, vb.NoData):
            failed.append({"municipality": code, "error": str(picture)})
        else:
            results.append(vb.to_json(picture))
        report(
            5 + int(90 * done / max(total, 1)),
            _("%(done)s van %(total)s gemeenten")
            % {
                "done": done,
                "total": total,
            },
        )
    content = json.dumps({"results": results, "failed": failed}, ensure_ascii=False).encode()
    return Outcome(
        content=content,
        filename=f"veiligheidsbeeld-alle-gemeenten-{year or 'laatste-jaar'}.json",
        content_type="application/json",
        message=_("%(n)s gemeenten geanalyseerd, %(failed)s zonder cijfers.")
        % {"n": len(results), "failed": len(failed)},
    )
