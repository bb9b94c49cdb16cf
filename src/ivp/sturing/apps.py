from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _terugblik(plan, year: int) -> str | None:
    from ivp.sturing.reports import terugblik

    return terugblik(plan, year)


class SturingConfig(AppConfig):
    name = "ivp.sturing"
    label = "sturing"
    verbose_name = _("Sturing in de uitvoeringsfase")

    def ready(self) -> None:
        # nothing heavy here: every process (a one-line ``ivp analyse`` too) runs ready();
        # the report builders load only when documents are exported (``document_kinds``)
        from ivp.uitvoering import services as uv

        uv.register_terugblik(_terugblik)

    def document_kinds(self) -> list:
        """The voortgangsrapportage and the jaarbeeld, for ``documents.exports``."""
        from ivp.sturing import reports

        return reports.document_kinds()
