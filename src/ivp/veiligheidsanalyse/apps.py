from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VeiligheidsanalyseConfig(AppConfig):
    name = "ivp.veiligheidsanalyse"
    label = "veiligheidsanalyse"
    verbose_name = _("Veiligheidsanalyse")

    def ready(self) -> None:
        # named, not imported: ready() runs in every process (ivp.lazy)
        from ivp.lazy import Lazy
        from ivp.plans import progress

        progress.register(2, Lazy("ivp.veiligheidsanalyse.services.step_gaps"))
