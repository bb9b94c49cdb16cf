from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolitieConfig(AppConfig):
    name = "ivp.politie"
    label = "politie"
    verbose_name = _("Overzicht voor de politie")
