"""Read-only admin for the catalogue: the rows mirror the content files and are written
only by ``sync_catalogue``; change the content files instead (see docs/catalogue.md)."""

from django.contrib import admin

from ivp.catalogue.models import (
    Aanpakaspect,
    CatalogueSync,
    Indicator,
    Maatregel,
    StrategischThema,
    Thema,
    Veiligheidsveld,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Veiligheidsveld)
class VeiligheidsveldAdmin(ReadOnlyAdmin):
    list_display = ("code", "titel")


@admin.register(Thema)
class ThemaAdmin(ReadOnlyAdmin):
    list_display = ("code", "titel", "veld")
    list_filter = ("veld",)
    search_fields = ("code", "titel", "zoektekst")


@admin.register(Aanpakaspect)
class AanpakaspectAdmin(ReadOnlyAdmin):
    list_display = ("code", "titel", "veld")


@admin.register(StrategischThema)
class StrategischThemaAdmin(ReadOnlyAdmin):
    list_display = ("code", "titel")


@admin.register(Maatregel)
class MaatregelAdmin(ReadOnlyAdmin):
    list_display = ("code", "tekst", "thema", "aanpakaspect", "groep", "actief")
    list_filter = ("actief", "thema__veld")
    search_fields = ("code", "tekst", "toelichting")


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ("code", "bron", "tekst", "thema", "actief")
    list_filter = ("actief", "bron")
    search_fields = ("code", "tekst", "bron")


@admin.register(CatalogueSync)
class CatalogueSyncAdmin(ReadOnlyAdmin):
    list_display = ("version", "ran_at")
