"""Read-only API of the veiligheidsbeeld under ``/api/v1/veiligheidsbeeld/``: the same JSON
as ``ivp analyse --json`` (``veiligheidsbeeld.to_json``), for a gemeente by CBS code.

    veiligheidsbeeld/GM0597/?jaar=2018
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from ivp.analysis import veiligheidsbeeld as vb
from ivp.userinput import whole_number


class VeiligheidsbeeldViewSet(viewsets.ViewSet):
    """The veiligheidsbeeld of a gemeente: categories, themes, fields, comparison, candidates
    and sources (public CBS/politie figures; any signed-in user may read it). A gemeente's
    own series (``other_series``) only for who may see that gemeente's own data."""

    lookup_field = "code"
    lookup_value_regex = r"GM\d{4}"

    @extend_schema(
        parameters=[OpenApiParameter("jaar", int, description="peiljaar (standaard: laatste)")],
        responses=OpenApiTypes.OBJECT,
    )
    def retrieve(self, request: Request, code: str, format: str | None = None) -> Response:  # noqa: A002
        raw = request.query_params.get("jaar")
        year = whole_number(raw)
        if raw is not None and year is None:
            raise ValidationError({"jaar": "Geef een jaartal, bijvoorbeeld 2018."})
        try:
            picture = vb.build(code, year, viewer=request.user)
        except vb.UnknownArea as error:
            raise NotFound(str(error)) from error
        except vb.NoData as error:
            raise NotFound(str(error)) from error
        return Response(vb.to_json(picture))


def register(router) -> None:
    router.register("veiligheidsbeeld", VeiligheidsbeeldViewSet, basename="veiligheidsbeeld")
