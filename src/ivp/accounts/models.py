"""A user of ivp belongs to one or more organisations: gemeenten by CBS code."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A coordinator, working-group member, manager or reader.

    ``organisaties`` are the gemeenten the user works for; the user sees the plans of
    those gemeenten (see ``ivp.plans.access``).
    """

    organisaties = models.ManyToManyField(
        "areas.Gemeente",
        blank=True,
        related_name="gebruikers",
        verbose_name=_("organisaties"),
        help_text=_("De gemeenten waarvoor deze gebruiker werkt."),
    )

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
