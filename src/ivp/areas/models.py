"""Regions by their CBS codes."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

gemeente_code_validator = RegexValidator(
    r"^GM\d{4}$", _("Een gemeentecode bestaat uit GM en vier cijfers, bijvoorbeeld GM0796.")
)


class Gemeente(models.Model):
    """A municipality by its CBS code (e.g. GM0796 's-Hertogenbosch)."""

    code = models.CharField(
        _("CBS-code"), max_length=6, unique=True, validators=[gemeente_code_validator]
    )
    naam = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["naam"]

    def __str__(self) -> str:
        return f"{self.naam} ({self.code})"
