"""Download a document of a plan.

Query parameters: ``jaar`` (the uitvoeringsplan or jaarbeeld of a year), ``periode`` (a
voortgangsrapportage: 2027-Q2), ``versie`` (a frozen version of the IVP), ``intern=1`` (with
the confidential sections; for coordinators and editors only), ``gemeente`` (a joint plan:
the document for that member's council).

HTML is written at once; Word, PDF and slides are made by a background job
(``ivp.jobs``): the link leads to the job's page with a progress bar and, when it is
done, the download. A job that is done at once (the tests' immediate queue) is downloaded
directly.
"""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from ivp.documents.exports import DOCUMENTS, FORMATS, UnknownExport, export
from ivp.plans.access import Permission, can, get_plan_for_user
from ivp.userinput import whole_number


@login_required
@csp_update({"style-src": [UNSAFE_INLINE]})  # an HTML document carries its own <style>
def download(request: HttpRequest, pk: int, document: str, fmt: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    options = {}
    year = request.GET.get("jaar", "")
    if year:
        if whole_number(year) is None:
            raise Http404
        options["year"] = whole_number(year)
    period = request.GET.get("periode", "")
    if period:
        options["period"] = period
    version = request.GET.get("versie", "")
    if version:
        from ivp.beleidsplan.models import PlanVersie

        number = whole_number(version)
        frozen = PlanVersie.objects.filter(plan=plan, nummer=-1 if number is None else number)
        if not frozen.exists():
            raise Http404
        options["content"] = frozen.get().inhoud
    gemeente = request.GET.get("gemeente", "")
    if gemeente:
        if not plan.gemeenten.filter(code=gemeente).exists():
            raise Http404
        options["municipality"] = gemeente
    public = request.GET.get("intern") != "1"
    if not public and not can(request.user, plan, Permission.EDIT_CONTENT):
        raise PermissionDenied
    kind = DOCUMENTS.get(document)
    if kind is None or fmt not in FORMATS or fmt not in kind.formats or set(options) - kind.options:
        raise Http404
    if fmt != "html":
        return _as_job(
            request,
            plan,
            document,
            fmt,
            public=public,
            year=year,
            version=version,
            period=period,
            gemeente=gemeente,
        )
    try:
        content, content_type, filename = export(plan, document, fmt, public=public, **options)
    except (UnknownExport, TypeError):
        raise Http404 from None
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _as_job(
    request,
    plan,
    document: str,
    fmt: str,
    *,
    public: bool,
    year: str,
    version: str,
    period: str = "",
    gemeente: str = "",
):
    from django.utils.translation import gettext as _

    from ivp.jobs import services as jobs
    from ivp.jobs.views import result_response

    params = {
        "document": document,
        "format": fmt,
        "public": public,
        "year": int(year) if year else None,
        "version": int(version) if version else None,
    }
    if period:
        params["period"] = period
    if gemeente:
        params["municipality"] = gemeente
    job = jobs.active_for(request.user, kind="documents.export", plan=plan, params=params)
    if job is None:
        title = f"{DOCUMENTS[document].title} ({fmt.upper()})"
        if year:
            title += f" {year}"
        if period:
            title += f" {period}"
        if version:
            title += " " + _("versie %(n)s") % {"n": version}
        if gemeente:
            title += " — " + str(plan.gemeenten.get(code=gemeente).naam)
        if not public:
            title += " — " + _("interne versie")
        job = jobs.start("documents.export", by=request.user, title=title, plan=plan, params=params)
    if job.has_result:
        return result_response(job)
    return redirect("jobs:detail", pk=job.pk)
