"""Write a :class:`~ivp.documents.model.Document` as PDF: the HTML rendering, laid out by
WeasyPrint (needs Pango from Debian: ``bin/install-system-deps``)."""

from __future__ import annotations

from ivp.documents.html_writer import write_html
from ivp.documents.model import Document


def write_pdf(document: Document) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango takes a moment

    return HTML(string=write_html(document)).write_pdf()
