from django.contrib import admin

from ivp.plans.models import Plan, PlanRol, PlanStap, Reactie, WerkgroepLid, Wijziging


class PlanStapInline(admin.TabularInline):
    model = PlanStap
    extra = 0
    can_delete = False
    max_num = 6


class PlanRolInline(admin.TabularInline):
    model = PlanRol
    extra = 0
    autocomplete_fields = ["user"]


class WerkgroepLidInline(admin.TabularInline):
    model = WerkgroepLid
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("titel", "periode_start", "periode_eind", "updated_at")
    search_fields = ("titel", "gemeenten__naam", "gemeenten__code")
    filter_horizontal = ("gemeenten",)
    inlines = [PlanStapInline, PlanRolInline, WerkgroepLidInline]
    readonly_fields = ("version", "created_by", "created_at", "updated_at")


@admin.register(Wijziging)
class WijzigingAdmin(admin.ModelAdmin):
    """History is appended by the services and never edited, also not here."""

    list_display = ("tijdstip", "plan", "user", "actie", "onderdeel")
    list_filter = ("actie",)
    search_fields = ("plan__titel", "onderdeel")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reactie)
class ReactieAdmin(admin.ModelAdmin):
    list_display = ("onderwerp", "plan", "auteur", "created_at")
