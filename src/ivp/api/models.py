"""Personal API keys: a user creates them on their own page; each acts with that user's
rights. Only a SHA-256 hash of the key is stored; the key itself is shown once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("gebruiker"),
    )
    naam = models.CharField(
        _("naam"), max_length=100, help_text=_("Waarvoor u de sleutel gebruikt, bijv. ‘Power BI’.")
    )
    prefix = models.CharField(_("begin van de sleutel"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    verloopt_op = models.DateField(_("verloopt na"), null=True, blank=True)
    laatst_gebruikt_op = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.naam} ({self.prefix}…)"

    @property
    def actief(self) -> bool:
        if self.ingetrokken_op is not None:
            return False
        return self.verloopt_op is None or self.verloopt_op >= timezone.localdate()
