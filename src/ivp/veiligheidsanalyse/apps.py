from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VeiligheidsanalyseConfig(AppConfig):
    name = "ivp.veiligheidsanalyse"
    label = "veiligheidsanalyse"
    verbose_name = _("Veiligheidsanalyse")

    def ready(self) -> None:
        from ivp.plans import progress
        from ivp.veiligheidsanalyse.services import step_gaps

        progress.register(2, step_gaps)
