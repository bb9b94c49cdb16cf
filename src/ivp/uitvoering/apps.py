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

        from ivp.plans import targets
        from ivp.uitvoering.targets import plan_targets

        targets.register(plan_targets)

        from ivp.plans import progress
        from ivp.uitvoering.services import step_gaps

        progress.register(5, step_gaps)
