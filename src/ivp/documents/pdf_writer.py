"""Write a :class:`~ivp.documents.model.Document` as PDF: the HTML rendering, laid out by
WeasyPrint (needs Pango from Debian: ``bin/install-system-deps``).

WeasyPrint fetches every URL a page names (images, stylesheets, fonts). Plan texts are user
input, so rendering goes through :class:`StaticOnlyFetcher`: it serves the project's own
static files (``STATIC_BASE`` + a path the static-file finders know) and the PNG charts ivp
embeds as ``data:image/png``; every other URL — http(s), ``file:``, other ``data:`` — is
refused, so a crafted text can neither reach the network nor read a local file.

The PDF is tagged (PDF/UA-1: headings, lists, tables and figures with their text alternative
are marked for screen readers) and carries the document's language, title and author.
"""

from __future__ import annotations

import base64
import binascii
import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ivp.documents.html_writer import write_html
from ivp.documents.model import Document

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/ua-1"

# Base URL of the HTML given to WeasyPrint: ``{% static %}`` paths resolve below it. The
# ``.invalid`` top-level domain never resolves (RFC 2606); the fetcher never goes online.
STATIC_BASE = "https://ivp-static.invalid/"
_DATA_PNG = "data:image/png;base64,"
_MAX_BYTES = 20 * 1024 * 1024


class RefusedURL(ValueError):
    """A document asked for a resource ivp does not serve to the PDF renderer."""


def _static_file(url: str) -> Path:
    """The file of a static URL under ``STATIC_BASE``; RefusedURL otherwise."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    parts = urlsplit(url)
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if parts.query or parts.fragment or not parts.path.startswith(prefix):
        raise RefusedURL(url)
    relative = unquote(parts.path[len(prefix) :])
    if not relative or ".." in Path(relative).parts or relative.startswith("/"):
        raise RefusedURL(url)
    found = finders.find(relative)
    if not found:
        raise RefusedURL(url)
    path = Path(found).resolve()
    roots = [Path(p).resolve() for p in _static_roots()]
    if not path.is_file() or not any(path.is_relative_to(root) for root in roots):
        raise RefusedURL(url)
    return path


def _static_roots() -> list[str]:
    from django.contrib.staticfiles import finders

    roots: list[str] = []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(location)
    return roots


def fetcher():
    """A WeasyPrint URL fetcher that serves only ivp's own static files and embedded PNGs."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)

        def fetch(self, url, headers=None):
            try:
                if url.startswith(_DATA_PNG):
                    body = base64.b64decode(url[len(_DATA_PNG) :], validate=True)
                    if len(body) > _MAX_BYTES:
                        raise RefusedURL("data: too large")
                    return URLFetcherResponse(url, body, {"Content-Type": "image/png"})
                if url.startswith(STATIC_BASE):
                    path = _static_file(url)
                    return URLFetcherResponse(url, path.read_bytes(), {})
            except (binascii.Error, OSError) as error:
                raise RefusedURL(url[:80]) from error
            logger.warning("PDF: refused to fetch %s", url[:200])
            raise RefusedURL(url[:200])

    return StaticOnlyFetcher()


def html_to_pdf(html: str) -> bytes:
    """Lay out ``html`` as PDF with the restricted fetcher (the one door to WeasyPrint)."""
    from weasyprint import HTML  # imported late: loading Pango takes a moment

    return HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetcher()).write_pdf(
        pdf_variant=PDF_VARIANT
    )


def write_pdf(document: Document) -> bytes:
    return html_to_pdf(write_html(document))
