"""The data version: one row whose random token changes with every write to the figures or
the regions (see the package docstring and ADR 0029)."""

from __future__ import annotations

from django.db import models


class DataVersion(models.Model):
    """One row (pk 1). ``token`` is a fresh random value after every write to the data the
    analysis reads, written in the same transaction as that write."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = "dataversie"
        verbose_name_plural = "dataversie"

    def __str__(self) -> str:
        return self.token
