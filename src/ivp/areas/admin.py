from django.contrib import admin

from ivp.areas.models import Gemeente


@admin.register(Gemeente)
class GemeenteAdmin(admin.ModelAdmin):
    list_display = ("code", "naam")
    search_fields = ("code", "naam")
