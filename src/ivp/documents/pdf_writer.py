"""Write a :class:`~ivp.documents.model.Document` as PDF: the HTML rendering, laid out by
WeasyPrint (needs Pango from Debian: ``bin/install-system-deps``). The PDF is tagged
(PDF/UA-1: headings, lists, tables and figures with their text alternative are marked for
screen readers) and carries the document's language, title and author."""

from __future__ import annotations

from ivp.documents.html_writer import write_html
from ivp.documents.model import Document

PDF_VARIANT = "pdf/ua-1"


def write_pdf(document: Document) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango takes a moment

    return HTML(string=write_html(document)).write_pdf(pdf_variant=PDF_VARIANT)
