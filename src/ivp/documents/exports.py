"""The export door: which documents exist, and writing one in a format. Used by the web
views and the CLI alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import slugify

from ivp.documents.analyserapport import build_analyserapport
from ivp.documents.docx_writer import write_docx
from ivp.documents.html_writer import write_html
from ivp.documents.model import Document
from ivp.documents.pdf_writer import write_pdf
from ivp.documents.startnotitie import build_startnotitie
from ivp.plans.models import Plan

FORMATS: dict[str, tuple[str, Callable[[Document], bytes | str]]] = {
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        write_docx,
    ),
    "pdf": ("application/pdf", write_pdf),
    "html": ("text/html; charset=utf-8", write_html),
}


@dataclass(frozen=True)
class DocumentKind:
    code: str
    title: str
    build: Callable[[Plan], Document]


DOCUMENTS: dict[str, DocumentKind] = {
    "startnotitie": DocumentKind("startnotitie", "Startnotitie", build_startnotitie),
    "veiligheidsanalyse": DocumentKind(
        "veiligheidsanalyse", "Veiligheidsanalyse", build_analyserapport
    ),
}


class UnknownExport(ValueError):
    pass


def export(plan: Plan, document: str, fmt: str, *, public: bool = True) -> tuple[bytes, str, str]:
    """Return (content, content type, file name) of ``document`` of ``plan`` in ``fmt``.
    Public exports leave confidential sections out."""
    if document not in DOCUMENTS:
        raise UnknownExport(f"Unknown document {document!r}; choose from {sorted(DOCUMENTS)}")
    if fmt not in FORMATS:
        raise UnknownExport(f"Unknown format {fmt!r}; choose from {sorted(FORMATS)}")
    built = DOCUMENTS[document].build(plan)
    if public:
        built = built.public()
    content_type, writer = FORMATS[fmt]
    content = writer(built)
    if isinstance(content, str):
        content = content.encode("utf-8")
    filename = f"{slugify(f'{document} {plan.titel}')}.{fmt}"
    return content, content_type, filename
