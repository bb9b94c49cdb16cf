from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from ivp.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Organisaties"), {"fields": ("organisaties",)}),
    )
    filter_horizontal = ("organisaties", "groups", "user_permissions")
    list_display = ("username", "email", "first_name", "last_name", "is_staff")
