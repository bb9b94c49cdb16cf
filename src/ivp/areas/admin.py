from django.contrib import admin

from ivp.areas.models import (
    Basisteam,
    Buurt,
    Gemeente,
    PolitieEenheid,
    Provincie,
    Veiligheidsregio,
    Vergelijkingsgroep,
    Wijk,
)


@admin.register(Gemeente)
class GemeenteAdmin(admin.ModelAdmin):
    list_display = ("code", "naam", "actief", "provincie", "veiligheidsregio", "basisteam")
    list_filter = ("actief", "provincie", "veiligheidsregio")
    search_fields = ("code", "naam")
    autocomplete_fields = ("basisteam",)
    raw_id_fields = ("opgegaan_in",)


@admin.register(Wijk)
class WijkAdmin(admin.ModelAdmin):
    list_display = ("code", "naam", "gemeente")
    search_fields = ("code", "naam", "gemeente__naam")
    raw_id_fields = ("gemeente",)


@admin.register(Buurt)
class BuurtAdmin(admin.ModelAdmin):
    list_display = ("code", "naam", "wijk", "gemeente")
    search_fields = ("code", "naam", "gemeente__naam")
    raw_id_fields = ("gemeente", "wijk")


@admin.register(PolitieEenheid)
class PolitieEenheidAdmin(admin.ModelAdmin):
    list_display = ("code", "naam")


@admin.register(Veiligheidsregio)
class VeiligheidsregioAdmin(admin.ModelAdmin):
    list_display = ("code", "naam", "politie_eenheid")


@admin.register(Provincie)
class ProvincieAdmin(admin.ModelAdmin):
    list_display = ("code", "naam")


@admin.register(Basisteam)
class BasisteamAdmin(admin.ModelAdmin):
    list_display = ("naam", "politie_eenheid", "bron")
    search_fields = ("naam",)


@admin.register(Vergelijkingsgroep)
class VergelijkingsgroepAdmin(admin.ModelAdmin):
    list_display = ("naam", "soort", "peiljaar")
    filter_horizontal = ("gemeenten",)
