from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatasetsConfig(AppConfig):
    name = "ivp.datasets"
    label = "datasets"
    verbose_name = _("Data")

    def ready(self) -> None:
        # A save of stored data changes the data version (ADR 0029); ``services._write``
        # (the bulk writes of every import and fetch) calls ``readcache.bump`` itself. No
        # delete signal for observations: it would make every bulk delete of them load
        # each row; deleting their series or dataset is signalled.
        from django.db.models.signals import post_delete, post_save

        from ivp.datasets import models
        from ivp.readcache import bump_on_signal

        for model in (models.Dataset, models.Series, models.ImportRun):
            for signal in (post_save, post_delete):
                signal.connect(bump_on_signal, sender=model, dispatch_uid=f"readcache-{model}")
        post_save.connect(
            bump_on_signal, sender=models.Observation, dispatch_uid="readcache-observation"
        )
