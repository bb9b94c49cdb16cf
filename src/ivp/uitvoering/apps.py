from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UitvoeringConfig(AppConfig):
    name = "ivp.uitvoering"
    label = "uitvoering"
    verbose_name = _("Uitvoeringsplannen")

    def ready(self) -> None:
        # named, not imported: ready() runs in every process (ivp.lazy)
        from ivp.lazy import Lazy
        from ivp.plans import confidential, progress, targets

        confidential.register(Lazy("ivp.uitvoering.confidential.history_keys"))
        targets.register(Lazy("ivp.uitvoering.targets.plan_targets"))
        progress.register(5, Lazy("ivp.uitvoering.services.step_gaps"))
