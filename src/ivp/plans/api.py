"""Read-only API of plans: the plans the requesting user may see."""

from rest_framework import serializers, viewsets

from ivp.plans.access import plans_for_user
from ivp.plans.models import Plan, PlanStap


class PlanStapSerializer(serializers.ModelSerializer):
    titel = serializers.CharField(read_only=True)

    class Meta:
        model = PlanStap
        fields = ["nummer", "titel", "status", "gepland_start", "gepland_eind"]


class PlanSerializer(serializers.ModelSerializer):
    gemeenten = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    stappen = PlanStapSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "titel",
            "gemeenten",
            "periode_start",
            "periode_eind",
            "toelichting",
            "stappen",
            "version",
            "updated_at",
        ]


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanSerializer

    def get_queryset(self):
        return plans_for_user(self.request.user).prefetch_related("gemeenten", "stappen")


def register(router) -> None:
    router.register("plannen", PlanViewSet, basename="plan")
