from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UitvoeringConfig(AppConfig):
    name = "ivp.uitvoering"
    label = "uitvoering"
    verbose_name = _("Uitvoeringsplannen")

    def ready(self) -> None:
        from ivp.plans.confidential import register
        from ivp.uitvoering.confidential import history_keys

        register(history_keys)
