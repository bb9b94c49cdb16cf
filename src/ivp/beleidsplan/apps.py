from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeleidsplanConfig(AppConfig):
    name = "ivp.beleidsplan"
    label = "beleidsplan"
    verbose_name = _("Prioritering en IVP")

    def ready(self) -> None:
        # named, not imported: ready() runs in every process (ivp.lazy)
        from ivp.lazy import Lazy
        from ivp.plans import confidential, progress, targets

        confidential.register(Lazy("ivp.beleidsplan.confidential.history_keys"))
        targets.register(Lazy("ivp.beleidsplan.targets.plan_targets"))
        progress.register(3, Lazy("ivp.beleidsplan.services.prioritering_step_gaps"))
        progress.register(4, Lazy("ivp.beleidsplan.services.ivp_step_gaps"))
