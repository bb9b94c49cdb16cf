"""Download a document of a plan."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from ivp.documents.exports import UnknownExport, export
from ivp.plans.access import get_plan_for_user


@login_required
def download(request: HttpRequest, pk: int, document: str, fmt: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    try:
        content, content_type, filename = export(plan, document, fmt)
    except UnknownExport:
        raise Http404 from None
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
