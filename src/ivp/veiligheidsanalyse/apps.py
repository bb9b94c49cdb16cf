from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VeiligheidsanalyseConfig(AppConfig):
    name = "ivp.veiligheidsanalyse"
    label = "veiligheidsanalyse"
    verbose_name = _("Veiligheidsanalyse")
