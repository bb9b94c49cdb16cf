"""A job: one piece of background work, who started it, what it concerns and how it went."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _result_path(job: Job, filename: str) -> str:
    return f"jobs/{job.pk or 'nieuw'}/{filename}"


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "wachtrij", _("in de wachtrij")
        RUNNING = "bezig", _("bezig")
        DONE = "klaar", _("klaar")
        FAILED = "mislukt", _("mislukt")

    kind = models.CharField(_("soort"), max_length=60)
    title = models.CharField(_("omschrijving"), max_length=300)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gestart door"),
    )
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan"),
    )
    gemeente = models.CharField(_("gemeente"), max_length=10, blank=True)
    params = models.JSONField(_("opties"), default=dict, blank=True)
    input_file = models.FileField(_("invoer"), upload_to=_result_path, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    message = models.CharField(_("melding"), max_length=300, blank=True)
    error = models.TextField(_("foutmelding"), blank=True)
    result_file = models.FileField(_("resultaat"), upload_to=_result_path, blank=True)
    result_name = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    result_type = models.CharField(_("bestandssoort"), max_length=120, blank=True)
    result_url = models.CharField(_("vervolgpagina"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    worker = models.CharField(_("verwerker"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("laatste teken van leven"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("achtergrondtaak")
        verbose_name_plural = _("achtergrondtaken")
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="jobs_status_heartbeat")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def has_result(self) -> bool:
        return self.status == self.Status.DONE and bool(self.result_file)
