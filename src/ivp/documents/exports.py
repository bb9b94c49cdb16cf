"""The export door: which documents exist, and writing one in a format. Used by the web
views and the CLI alike."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import slugify

from ivp.documents.analyserapport import build_analyserapport
from ivp.documents.docx_writer import write_docx
from ivp.documents.html_writer import write_html
from ivp.documents.ivp_document import build_ivp
from ivp.documents.model import Document
from ivp.documents.pdf_writer import write_pdf
from ivp.documents.prioritering import build_prioritering, build_prioritering_slides
from ivp.documents.slides_writer import write_slides_pdf, write_slides_pptx
from ivp.documents.startnotitie import build_startnotitie
from ivp.documents.uitvoeringsplan import build_uitvoeringsplan
from ivp.plans.models import Plan

FORMATS: dict[str, tuple[str, Callable[[Document], bytes | str]]] = {
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        write_docx,
    ),
    "pdf": ("application/pdf", write_pdf),
    "html": ("text/html; charset=utf-8", write_html),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        write_slides_pptx,
    ),
}
DOCUMENT_FORMATS = ("docx", "pdf", "html")


@dataclass(frozen=True)
class DocumentKind:
    code: str
    title: str
    build: Callable[..., Any]
    """``build(plan)``; with ``public_aware``: ``build(plan, public=…, **options)``, leaving
    confidential parts out itself (so e.g. a source note names only what is shown)."""
    formats: tuple[str, ...] = DOCUMENT_FORMATS
    writers: Mapping[str, Callable[[Any], bytes | str]] = field(default_factory=dict)
    """Writers of this kind where they differ from those of ``FORMATS`` (slides)."""
    public_aware: bool = False
    options: frozenset[str] = frozenset()
    """Keyword options the builder takes besides ``public`` (``content``: a frozen version's
    JSON; ``year``: the reference year of the figures)."""


DOCUMENTS: dict[str, DocumentKind] = {
    "startnotitie": DocumentKind("startnotitie", "Startnotitie", build_startnotitie),
    "veiligheidsanalyse": DocumentKind(
        "veiligheidsanalyse", "Veiligheidsanalyse", build_analyserapport
    ),
    "prioritering": DocumentKind(
        "prioritering",
        "Prioritering — voorstel voor de raad",
        build_prioritering,
        public_aware=True,
        options=frozenset({"content", "year"}),
    ),
    "prioritering-slides": DocumentKind(
        "prioritering-slides",
        "Prioritering — presentatie voor de raad",
        build_prioritering_slides,
        formats=("pdf", "pptx"),
        writers={"pdf": write_slides_pdf, "pptx": write_slides_pptx},
        public_aware=True,
        options=frozenset({"content", "year"}),
    ),
    "ivp": DocumentKind(
        "ivp",
        "Integraal Veiligheidsplan",
        build_ivp,
        public_aware=True,
        options=frozenset({"content", "municipality"}),
    ),
    "uitvoeringsplan": DocumentKind(
        "uitvoeringsplan",
        "Uitvoeringsplan",
        build_uitvoeringsplan,
        public_aware=True,
        options=frozenset({"year", "municipality"}),
    ),
}


def _kinds_of_other_apps() -> None:
    """Documents of apps above this one (step 6's reports): an app's config offers them by
    ``document_kinds()``, so this package never imports the apps that build on it."""
    from django.apps import apps

    for config in apps.get_app_configs():
        for kind in getattr(config, "document_kinds", lambda: ())():
            DOCUMENTS.setdefault(kind.code, kind)


_kinds_of_other_apps()


class UnknownExport(ValueError):
    pass


def export(
    plan: Plan, document: str, fmt: str, *, public: bool = True, **options: Any
) -> tuple[bytes, str, str]:
    """Return (content, content type, file name) of ``document`` of ``plan`` in ``fmt``.
    Public exports leave confidential sections out. ``options`` go to builders that take
    them (``DocumentKind.options``); others raise ``TypeError``."""
    if document not in DOCUMENTS:
        raise UnknownExport(f"Unknown document {document!r}; choose from {sorted(DOCUMENTS)}")
    if fmt not in FORMATS:
        raise UnknownExport(f"Unknown format {fmt!r}; choose from {sorted(FORMATS)}")
    kind = DOCUMENTS[document]
    if fmt not in kind.formats:
        raise UnknownExport(
            f"Document {document!r} is not available as {fmt!r}; choose from {list(kind.formats)}"
        )
    options = {key: value for key, value in options.items() if value is not None}
    unknown = set(options) - kind.options
    if "year" in unknown:
        raise UnknownExport(f"Document {document!r} has no year")
    if "municipality" in unknown:
        raise UnknownExport(f"Document {document!r} has no document per municipality")
    if "municipality" in options:
        found = dict(plan.gemeenten.values_list("code", "naam"))
        wanted = str(options["municipality"]).strip()
        code = wanted.upper()
        if len(found) < 2:
            raise UnknownExport(f"Plan {plan.pk} is not a joint plan: it has one municipality")
        if code not in found:
            try:
                code = next(c for c, n in found.items() if n.lower() == wanted.lower())
            except StopIteration:
                raise UnknownExport(
                    f"{options['municipality']} is not a municipality of plan {plan.pk}; "
                    f"choose from {', '.join(sorted(found))}"
                ) from None
        options["municipality"] = code
    if unknown:
        raise TypeError(f"Document {document!r} takes no option(s) {sorted(unknown)}")
    built = kind.build(plan, public=public, **options) if kind.public_aware else kind.build(plan)
    if public:
        built = built.public()
    content_type, writer = FORMATS[fmt]
    content = kind.writers.get(fmt, writer)(built)
    if isinstance(content, str):
        content = content.encode("utf-8")
    suffix = f" {options['year']}" if "year" in options else ""
    if "period" in options:
        suffix += f" {options['period']}"
    if "municipality" in options:
        suffix += f" {dict(plan.gemeenten.values_list('code', 'naam'))[options['municipality']]}"
    if "content" in options:
        suffix += f" versie {options['content'].get('plan', {}).get('version', '')}"
    filename = f"{slugify(f'{document} {plan.titel}{suffix}')}.{fmt}"
    return content, content_type, filename
