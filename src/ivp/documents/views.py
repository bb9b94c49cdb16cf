"""Download a document of a plan.

Query parameters: ``jaar`` (the uitvoeringsplan of a year), ``versie`` (a frozen version of
the IVP), ``intern=1`` (with the confidential sections; for coordinators and editors only).
"""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from ivp.documents.exports import UnknownExport, export
from ivp.plans.access import Permission, can, get_plan_for_user


@login_required
@csp_update({"style-src": [UNSAFE_INLINE]})  # an HTML document carries its own <style>
def download(request: HttpRequest, pk: int, document: str, fmt: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    options = {}
    year = request.GET.get("jaar", "")
    if year:
        if not year.isdigit():
            raise Http404
        options["year"] = int(year)
    version = request.GET.get("versie", "")
    if version:
        from ivp.beleidsplan.models import PlanVersie

        frozen = PlanVersie.objects.filter(plan=plan, nummer=version if version.isdigit() else -1)
        if not frozen.exists():
            raise Http404
        options["content"] = frozen.get().inhoud
    public = request.GET.get("intern") != "1"
    if not public and not can(request.user, plan, Permission.EDIT_CONTENT):
        raise PermissionDenied
    try:
        content, content_type, filename = export(plan, document, fmt, public=public, **options)
    except (UnknownExport, TypeError):
        raise Http404 from None
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
