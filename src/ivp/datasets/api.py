"""Read-only API of the figures: datasets with provenance, series, observations (filter by
series, region and period), import runs and the mapping to themes. Every list holds only
what the user may see (``datasets.access``): the official data and the own data of the
user's gemeenten and plans; anything else answers 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ivp.datasets import access
from ivp.datasets.mapping import default_indeling
from ivp.datasets.models import Dataset, ImportRun, Observation, Series  # noqa: F401
from ivp.datasets.services import STATUS_NAMES, mapping_for_plan
from ivp.userinput import whole_number


class DatasetSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Dataset
        fields = [
            "key",
            "owner",
            "title",
            "source",
            "table_id",
            "url",
            "licence",
            "attribution",
            "notes",
            "updated_at",
        ]


class SeriesSerializer(serializers.ModelSerializer):
    dataset = serializers.SlugRelatedField(slug_field="key", read_only=True)

    class Meta:
        model = Series
        fields = [
            "id",
            "dataset",
            "code",
            "name",
            "kind",
            "unit",
            "soort_misdrijf",
            "incident_code",
            "topic",
            "notes",
        ]


class ObservationSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()

    class Meta:
        model = Observation
        fields = ["series", "region", "period", "value", "status", "import_run"]

    def get_status(self, obj: Observation) -> str:
        return STATUS_NAMES.get(obj.status, "")


class ImportRunSerializer(serializers.ModelSerializer):
    datasets = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "owner",
            "origin",
            "status",
            "format",
            "filename",
            "sha256",
            "urls",
            "retrieved_at",
            "retrieved_note",
            "table_id",
            "datasets",
            "rows",
            "created",
            "changed",
            "unchanged",
            "kept",
            "problems",
            "started_at",
            "finished_at",
        ]


class DatasetViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DatasetSerializer
    lookup_field = "key"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return access.datasets_for_user(self.request.user).select_related("owner")


class SeriesViewSet(viewsets.ReadOnlyModelViewSet):
    """Filters: ``dataset`` (key), ``soort_misdrijf``, ``incident_code``, ``kind``."""

    serializer_class = SeriesSerializer

    def get_queryset(self):
        queryset = access.series_for_user(self.request.user).select_related("dataset")
        params = self.request.query_params
        if params.get("dataset"):
            queryset = queryset.filter(dataset__key=params["dataset"])
        for name in ("soort_misdrijf", "incident_code", "kind"):
            if params.get(name):
                queryset = queryset.filter(**{name: params[name]})
        return queryset


class ObservationViewSet(viewsets.ReadOnlyModelViewSet):
    """Filters: ``series`` (id, comma-separated), ``region`` (codes, comma-separated),
    ``period`` (CBS codes, comma-separated), ``dataset`` (key)."""

    serializer_class = ObservationSerializer

    def get_queryset(self):
        queryset = access.observations_for_user(self.request.user).order_by(
            "series_id", "region", "period", "pk"
        )
        params = self.request.query_params
        if params.get("series"):
            queryset = queryset.filter(
                series_id__in=[
                    n for s in params["series"].split(",") if (n := whole_number(s)) is not None
                ]
            )
        if params.get("region"):
            queryset = queryset.filter(
                region__in=[r.strip().upper() for r in params["region"].split(",")]
            )
        if params.get("period"):
            queryset = queryset.filter(
                period__in=[p.strip().upper() for p in params["period"].split(",")]
            )
        if params.get("dataset"):
            queryset = queryset.filter(series__dataset__key=params["dataset"])
        return queryset


class ImportRunViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ImportRunSerializer

    def get_queryset(self):
        return (
            access.import_runs_for_user(self.request.user, previews=False)
            .select_related("owner")
            .prefetch_related("datasets")
        )


class MappingViewSet(viewsets.ViewSet):
    """The default mapping (``/indeling/``) and a plan's mapping (``/indeling/plan/{id}/``)."""

    def _payload(self, indeling):
        return {
            "versie": indeling.versie,
            "soort_misdrijf": {
                c: {"themas": list(e.themas), "herkomst": e.herkomst, "waarom": e.waarom}
                for c, e in indeling.soort_misdrijf.items()
            },
            "incidentcodes": {
                c: {"themas": list(e.themas), "herkomst": e.herkomst, "waarom": e.waarom}
                for c, e in indeling.incidentcodes.items()
            },
            "aggregaten": {
                k: {"naam": a.naam, "codes": list(a.codes), "totaalregel": a.roll_up}
                for k, a in indeling.aggregaten.items()
            },
        }

    def list(self, request, format=None):  # noqa: A002
        return Response(self._payload(default_indeling()))

    @action(detail=False, url_path=r"plan/(?P<plan_pk>\d+)")
    def plan(self, request, plan_pk=None, format=None):  # noqa: A002
        from ivp.plans.access import plans_for_user

        plan = get_object_or_404(plans_for_user(request.user), pk=plan_pk)
        return Response(self._payload(mapping_for_plan(plan)))


def register(router) -> None:
    router.register("datasets", DatasetViewSet, basename="dataset")
    router.register("reeksen", SeriesViewSet, basename="reeks")
    router.register("waarnemingen", ObservationViewSet, basename="waarneming")
    router.register("importruns", ImportRunViewSet, basename="importrun")
    router.register("indeling", MappingViewSet, basename="indeling")
