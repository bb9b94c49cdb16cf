"""Read-only API of the Themabibliotheek under ``/api/v1/catalogus/``. The responses come
from the same functions as ``ivp catalogue --json`` (``catalogue.document``), read from the
shipped content files.

    catalogus/                       the whole catalogue (fields, strategic_themes)
    catalogus/themas/[3.1/]          themes
    catalogus/aanpakaspecten/[A1.3/] aspects of approach of field 1
    catalogus/strategische-themas/[zorg-en-veiligheid/]
    catalogus/maatregelen/[3.1-m02/] measures by stable id
    catalogus/indicatoren/[3.1-i01/] suggested effect indicators by stable id
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from ivp.catalogue import document
from ivp.catalogue.content_loader import shipped_catalogue

_OBJECT = extend_schema(responses=OpenApiTypes.OBJECT)
_LIST = extend_schema(responses={200: {"type": "array", "items": {"type": "object"}}})


@extend_schema_view(list=_OBJECT)
class CatalogusViewSet(viewsets.ViewSet):
    """The whole Themabibliotheek."""

    def list(self, request: Request, format: str | None = None) -> Response:  # noqa: A002
        return Response(document.catalogue_document(shipped_catalogue()))


class _ItemViewSet(viewsets.ViewSet):
    lookup_field = "code"

    def items(self) -> list[dict]:
        raise NotImplementedError

    def list(self, request: Request, format: str | None = None) -> Response:  # noqa: A002
        return Response(self.items())

    def retrieve(self, request: Request, code: str, format: str | None = None) -> Response:  # noqa: A002
        for item in self.items():
            if item.get("code", item.get("id")) == code:
                return Response(item)
        raise NotFound()


@extend_schema_view(list=_LIST, retrieve=_OBJECT)
class ThemaViewSet(_ItemViewSet):
    """The 22 themes with all their attributes and raakvlakken in both directions."""

    lookup_value_regex = r"[1-9]\.[1-9]"

    def items(self) -> list[dict]:
        cat = shipped_catalogue()
        return [document.theme_document(cat, t) for t in cat.themas]


@extend_schema_view(list=_LIST, retrieve=_OBJECT)
class AanpakaspectViewSet(_ItemViewSet):
    """The six fixed aspects of approach of field 1."""

    lookup_value_regex = r"A[1-9]\.[1-9]"

    def items(self) -> list[dict]:
        return [document.aspect_document(a) for a in shipped_catalogue().aanpakaspecten]


@extend_schema_view(list=_LIST, retrieve=_OBJECT)
class StrategischThemaViewSet(_ItemViewSet):
    """The cross-cutting strategic themes."""

    lookup_value_regex = r"[a-z0-9-]+"

    def items(self) -> list[dict]:
        return [
            document.strategic_theme_document(st) for st in shipped_catalogue().strategische_themas
        ]


@extend_schema_view(list=_LIST, retrieve=_OBJECT)
class MaatregelViewSet(_ItemViewSet):
    """Every measure by its stable id, with the theme or aspect it belongs to."""

    lookup_value_regex = r"A?[1-9]\.[1-9]-m\d{2,3}"

    def items(self) -> list[dict]:
        return [document.measure_document(o, m) for o, m in shipped_catalogue().maatregelen()]


@extend_schema_view(list=_LIST, retrieve=_OBJECT)
class IndicatorViewSet(_ItemViewSet):
    """Every suggested effect indicator by its stable id."""

    lookup_value_regex = r"[1-9]\.[1-9]-i\d{2,3}"

    def items(self) -> list[dict]:
        return [document.indicator_document(o, i) for o, i in shipped_catalogue().indicatoren()]


def register(router) -> None:
    router.register("catalogus/themas", ThemaViewSet, basename="catalogus-thema")
    router.register(
        "catalogus/aanpakaspecten", AanpakaspectViewSet, basename="catalogus-aanpakaspect"
    )
    router.register(
        "catalogus/strategische-themas",
        StrategischThemaViewSet,
        basename="catalogus-strategisch-thema",
    )
    router.register("catalogus/maatregelen", MaatregelViewSet, basename="catalogus-maatregel")
    router.register("catalogus/indicatoren", IndicatorViewSet, basename="catalogus-indicator")
    router.register("catalogus", CatalogusViewSet, basename="catalogus")
