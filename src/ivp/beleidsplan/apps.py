from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeleidsplanConfig(AppConfig):
    name = "ivp.beleidsplan"
    label = "beleidsplan"
    verbose_name = _("Prioritering en IVP")

    def ready(self) -> None:
        from ivp.beleidsplan.confidential import history_keys
        from ivp.plans.confidential import register

        register(history_keys)
