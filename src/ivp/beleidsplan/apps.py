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

        from ivp.beleidsplan.targets import plan_targets
        from ivp.plans import targets

        targets.register(plan_targets)

        from ivp.beleidsplan.services import ivp_step_gaps, prioritering_step_gaps
        from ivp.plans import progress

        progress.register(3, prioritering_step_gaps)
        progress.register(4, ivp_step_gaps)
