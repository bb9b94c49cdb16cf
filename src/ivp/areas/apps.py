from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "ivp.areas"
    label = "areas"
    verbose_name = _("Gebieden")

    def ready(self) -> None:
        # A save of a region changes the data version (ADR 0029); the bulk writes of
        # ``services`` call ``readcache.bump`` themselves. Buurten are not read by the
        # analysis (and a delete signal would make deleting a gemeente load its buurten).
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from ivp.areas import models
        from ivp.readcache import bump_on_signal

        for model in (
            models.PolitieEenheid,
            models.Veiligheidsregio,
            models.Provincie,
            models.Basisteam,
            models.Gemeente,
            models.Wijk,
            models.Vergelijkingsgroep,
        ):
            for signal in (post_save, post_delete):
                signal.connect(bump_on_signal, sender=model, dispatch_uid=f"readcache-{model}")
        m2m_changed.connect(
            bump_on_signal,
            sender=models.Vergelijkingsgroep.gemeenten.through,
            dispatch_uid="readcache-vergelijkingsgroep-gemeenten",
        )
