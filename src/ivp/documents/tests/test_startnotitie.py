import io
import re

import pytest
from django.urls import reverse
from docx import Document as read_docx
from pypdf import PdfReader

from ivp.documents.exports import export
from ivp.documents.model import Document, Paragraph, Section
from ivp.plans import services
from ivp.plans.factories import PlanFactory

pytestmark = pytest.mark.django_db

CHAPTERS = [
    "Aanleiding",
    "Op te leveren producten",
    "Werkwijze en planning",
    "Werkgroep en partners",
    "Rol van de gemeenteraad en besluitvorming",
]


@pytest.fixture
def plan_with_content(plan, coordinator):
    services.add_werkgroeplid(
        plan, by=coordinator, naam="Teamchef", organisatie="Politie Oost-Brabant", functie="Politie"
    )
    services.update_plan(
        plan, by=coordinator, expected_version=plan.version, toelichting="Het vorige IVP loopt af."
    )
    from datetime import date

    services.set_planning(
        plan,
        by=coordinator,
        expected_version=plan.version,
        dates={1: (date(2027, 1, 4), date(2027, 2, 14))},
    )
    return plan


def test_the_docx_has_the_chapters_as_word_headings_a_toc_and_the_planning(plan_with_content):
    content, content_type, filename = export(plan_with_content, "startnotitie", "docx")
    assert filename.endswith(".docx") and "wordprocessingml" in content_type
    docx = read_docx(io.BytesIO(content))
    headings = [p.text for p in docx.paragraphs if p.style.name == "Heading 1"]
    # numbered as in the PDF
    assert headings == [f"{n} {c}" for n, c in enumerate(CHAPTERS, start=1)]
    assert 'TOC \\o "1-3"' in docx.element.xml
    planning = next(t for t in docx.tables if t.rows[0].cells[0].text == "Stap")
    first = [c.text for c in planning.rows[1].cells]
    assert first == ["1. Opstart", "4 à 6 weken", "4 januari 2027", "14 februari 2027", "Afgerond"]
    assert len(planning.rows) == 7
    werkgroep = next(t for t in docx.tables if t.rows[0].cells[0].text == "Naam")
    assert ["Teamchef", "Politie Oost-Brabant", "Politie"] in [
        [c.text for c in r.cells] for r in werkgroep.rows
    ]
    assert "Het vorige IVP loopt af." in [p.text for p in docx.paragraphs]


def test_the_pdf_renders_with_title_page_contents_and_chapters(plan_with_content):
    content, content_type, _ = export(plan_with_content, "startnotitie", "pdf")
    assert content_type == "application/pdf"
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 3
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Startnotitie" in text.splitlines()[0].title() or "STARTNOTITIE" in text
    for number, chapter in enumerate(CHAPTERS, start=1):
        assert re.search(rf"{number}\s+{re.escape(chapter)}", text), chapter
    assert "Politie Oost-Brabant" in text


def test_an_empty_plan_marks_its_gaps_as_concept_without_naming_the_software(db):
    plan = PlanFactory()
    html = export(plan, "startnotitie", "html")[0].decode()
    assert "Concept – nog uit te werken: de aanleiding." in html
    assert "Concept – nog uit te werken: de samenstelling van de werkgroep." in html
    body = html.split("<main>")[1]
    assert "in ivp" not in body and "Nog in te vullen" not in body


def test_a_word_file_behaves_like_one_made_in_word(plan_with_content):
    """Page numbers (not on the title page), Dutch everywhere, real file properties."""
    import zipfile

    content = export(plan_with_content, "startnotitie", "docx")[0]
    parts = zipfile.ZipFile(io.BytesIO(content))
    xml = {n: parts.read(n).decode() for n in parts.namelist() if n.endswith(".xml")}
    footers = " ".join(v for k, v in xml.items() if k.startswith("word/footer"))
    assert " PAGE " in footers
    assert "<w:titlePg/>" in xml["word/document.xml"]  # no footer on the title page
    styles = xml["word/styles.xml"]
    assert 'w:val="nl-NL"' in styles and "en-US" not in styles
    assert 'w:val="nl-NL"' in xml["word/settings.xml"]
    docx = read_docx(io.BytesIO(content))
    core = docx.core_properties
    assert core.author == "Gemeente 's-Hertogenbosch"
    assert core.title == plan_with_content.titel
    assert core.language == "nl-NL"
    assert core.created.year >= 2026 and "python-docx" not in (core.comments + core.keywords)
    # Arial: LibreOffice lays it out with the metric-compatible Liberation Sans
    assert 'w:ascii="Arial"' in styles and "minorHAnsi" not in styles.split("<w:style ")[0]


def test_public_documents_leave_confidential_sections_out():
    document = Document(
        title="IVP",
        subtitle="",
        organisation="Gemeente X",
        kind="IVP",
        sections=[
            Section("Openbaar", [Paragraph("zichtbaar")]),
            Section("Ondermijning", [Paragraph("geheim")], confidential=True),
        ],
    )
    assert [s.title for s in document.public().sections] == ["Openbaar"]


def test_outsiders_cannot_download_and_members_can(client, plan, coordinator, outsider):
    url = reverse("documents:download", args=[plan.pk, "startnotitie", "docx"])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        client.get(reverse("documents:download", args=[plan.pk, "bestaatniet", "docx"])).status_code
        == 404
    )
