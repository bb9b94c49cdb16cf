from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SturingConfig(AppConfig):
    name = "ivp.sturing"
    label = "sturing"
    verbose_name = _("Sturing in de uitvoeringsfase")

    def ready(self) -> None:
        from ivp.sturing import reports

        reports.register_documents()
