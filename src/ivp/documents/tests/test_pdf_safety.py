"""PDF rendering fetches nothing but ivp's own static files, and no text escapes into CSS.

The finding: a newline in the plan title ended the CSS string of the page footer; a
``url(http://127.0.0.1:…)`` after it was fetched by WeasyPrint and ``url(file:///…)``
embedded a local file in the PDF.
"""

from __future__ import annotations

import http.server
import io
import threading

import pytest
from pypdf import PdfReader

from ivp.documents.html_writer import css_string, write_html
from ivp.documents.model import Document, Paragraph, Section
from ivp.documents.pdf_writer import STATIC_BASE, RefusedURL, fetcher, html_to_pdf, write_pdf


@pytest.fixture
def server():
    """A web server on the loopback that records every request."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], hits
    httpd.shutdown()


def _document(title: str, text: str = "tekst") -> Document:
    return Document(
        title=title,
        subtitle="",
        organisation="Gemeente X",
        kind="IVP",
        sections=[Section("Een", [Paragraph(text)])],
    )


def test_a_newline_in_the_title_cannot_make_the_pdf_fetch_a_url(server, tmp_path):
    port, hits = server
    secret = tmp_path / "geheim.txt"
    secret.write_text("GEHEIM-DE-INHOUD")
    title = (
        f"X\n;}} }} html {{ background-image: url(http://127.0.0.1:{port}/css.png) }} "
        f"@font-face {{ src: url(file://{secret}) }} @page {{ @bottom-left {{"
    )
    pdf = write_pdf(_document(title))
    assert hits == []
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "GEHEIM-DE-INHOUD" not in text


def test_html_naming_urls_directly_is_refused(server, tmp_path):
    """Even HTML that names resources itself (as a future template or a bug might) gets
    nothing from the network, the disk or foreign data: URLs."""
    port, hits = server
    secret = tmp_path / "geheim.txt"
    secret.write_text("GEHEIM")
    html = (
        f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/s.css">'
        f"<style>body {{ background: url(http://127.0.0.1:{port}/bg.png) }}</style></head>"
        f'<body><img src="http://127.0.0.1:{port}/img.png"><img src="file://{secret}">'
        f'<object data="file://{secret}"></object>'
        '<img src="data:text/html;base64,PHNjcmlwdD4="><p>ok</p></body></html>'
    )
    assert html_to_pdf(html).startswith(b"%PDF")
    assert hits == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x.png",
        "https://example.org/x.png",
        "file:///etc/passwd",
        "ftp://example.org/x",
        "data:text/plain;base64,R0VIRUlN",
        "data:image/svg+xml;base64,PHN2Zz4=",
        STATIC_BASE + "static/../../etc/passwd",
        STATIC_BASE + "elders/ivp/ivp.css",
        STATIC_BASE + "static/bestaat/niet.css",
    ],
)
def test_the_fetcher_refuses(url):
    with pytest.raises(RefusedURL):
        fetcher().fetch(url)


def test_the_fetcher_serves_own_static_files_and_embedded_charts():
    css = fetcher().fetch(STATIC_BASE + "static/ivp/ivp.css")
    assert b"ivp" in css.read()
    png = fetcher().fetch("data:image/png;base64,iVBORw0KGgo=")
    assert png.read() == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "text",
    [
        'a"b',
        "a\nb",
        "a\\b",
        "a</style><script>x</script>",
        "a;} body{color:red",
        "a\x00b",
        "a\rb\fc",
    ],
)
def test_css_string_escapes_everything_that_could_end_it(text):
    quoted = css_string(text)
    inner = quoted[1:-1]
    assert quoted[0] == quoted[-1] == '"'
    for bad in ('"', "\n", "\r", "\f", "<", ">", ";", "}", "{", "\x00"):
        assert bad not in inner
    # every backslash starts a hex escape
    assert all(part[:1] in "0123456789abcdef" for part in inner.split("\\")[1:])


def test_the_footer_shows_the_title_as_text():
    html = write_html(_document("Plan 2027–2030\n} body { color: red"))
    footer = next(line for line in html.splitlines() if "@bottom-left" in line)
    assert "color: red" not in footer
