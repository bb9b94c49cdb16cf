"""The veiligheidsanalyserapportage on the bundled real data: 's-Hertogenbosch (GM0796) with
reference year 2017, the year its IVP 2019–2022 quotes (1.2.1 auto-inbraak: 1,259, 8,2 per
1,000 inhabitants). The figure-heavy tests share this module, so ``bundle`` loads once."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn
from pypdf import PdfReader

from ivp.areas.models import Gemeente
from ivp.catalogue.content_loader import shipped_catalogue
from ivp.documents import analyserapport
from ivp.documents.analyserapport import build_analyserapport
from ivp.documents.exports import DOCUMENTS, export
from ivp.documents.model import Figure, Table
from ivp.plans.factories import GemeenteFactory, PlanFactory
from ivp.plans.models import Rol
from ivp.veiligheidsanalyse import services

pytestmark = pytest.mark.django_db

FIELD_TITLES = [v.titel for v in shipped_catalogue().velden]


def _coordinator(plan):
    return plan.rollen.get(rol=Rol.COORDINATOR).user


@pytest.fixture
def den_bosch(bundle):
    return Gemeente.objects.get(code="GM0796")


@pytest.fixture
def plan_2017(den_bosch):
    plan = PlanFactory(in_analysis=True, gemeente=den_bosch)
    services.set_peiljaar(plan, by=_coordinator(plan), peiljaar=2017)
    return plan


def _themes_with_chart(plan) -> list[str]:
    picture = services.veiligheidsbeeld(plan)
    return [
        t.code
        for t in picture.themes
        if t.total.has_data and any(v is not None for v in t.total.rates.values())
    ]


def _body_in_order(docx):
    """(kind, object) for the paragraphs and tables of the body, in document order."""
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    for child in docx.element.body.iterchildren():
        if child.tag == qn("w:p"):
            yield "p", DocxParagraph(child, docx)
        elif child.tag == qn("w:tbl"):
            yield "t", DocxTable(child, docx)


def _section_text(docx, heading: str) -> str:
    """The text from the heading ``heading`` up to the next heading of any level."""
    lines, inside = [], False
    for kind, item in _body_in_order(docx):
        if kind == "p" and item.style.name.startswith("Heading"):
            if inside:
                break
            # headings carry their number ("3.4 Thema …"), as in the PDF
            inside = item.text == heading or item.text.split(" ", 1)[-1] == heading
            continue
        if inside:
            if kind == "p":
                lines.append(item.text)
            else:
                lines += [c.text for row in item.rows for c in row.cells]
    return "\n".join(lines)


def test_registered_as_an_export():
    assert DOCUMENTS["veiligheidsanalyse"].title == "Veiligheidsanalyse"


def test_docx_follows_the_method_with_the_real_figures_charts_and_sources(plan_2017):
    content, content_type, filename = export(plan_2017, "veiligheidsanalyse", "docx")
    assert "wordprocessingml" in content_type and filename.startswith("veiligheidsanalyse-")
    docx = read_docx(io.BytesIO(content))

    chapters = [p.text for p in docx.paragraphs if p.style.name == "Heading 1"]
    # numbered as in the PDF
    assert chapters == [
        f"{n} {t}"
        for n, t in enumerate(
            [
                "Inleiding",
                "Samenvatting",
                *FIELD_TITLES,
                "Technische bijlage: de toetsen",
                "Bronnen",
            ],
            start=1,
        )
    ]
    themes = [p.text.split(" ", 1)[1] for p in docx.paragraphs if p.style.name == "Heading 2"]
    assert "Thema 1.3 Objectieve veiligheid/veel voorkomende en 'high impact'-criminaliteit" in (
        themes
    )
    assert themes.count("Plausibele prioriteiten") == 5
    # no answers about the aspects yet: that part is left out, not printed empty
    assert "Aanpak per aspect" not in themes

    # 1.2.1 in the table of theme 1.3: 1.259 in 2017, 8,2 per 1.000 inhabitants
    table = next(
        t
        for t in docx.tables
        if t.rows[0].cells[0].text == "Soort misdrijf"
        and any(c.text.startswith("1.2.1 ") for c in t.columns[0].cells)
    )
    header = [c.text for c in table.rows[0].cells]
    row = next(r for r in table.rows if r.cells[0].text.startswith("1.2.1 "))
    values = dict(zip(header, [c.text for c in row.cells], strict=True))
    assert values["2017"] == "1.259"
    assert values["per 1.000 inw. 2017"] == "8,2"
    assert values["2016"] == "1.682"
    # −26 % on 1,682 car break-ins: within the usual variation of such a series (no *)
    assert values["t.o.v. 2016"] == "−26%"

    # a chart per theme with figures
    assert len(docx.inline_shapes) == len(_themes_with_chart(plan_2017)) >= 4

    # every table is followed by its source line, naming the tables
    body = list(_body_in_order(docx))
    for index, (kind, item) in enumerate(body):
        if kind == "t":
            following = body[index + 1]
            assert following[0] == "p" and following[1].text.startswith("Bron:"), (
                item.rows[0].cells[0].text
            )
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "47018NED" in text and "70072NED" in text and "geraadpleegd" in text
    # sources as a publication writes them: no software, no retrieval route
    assert "Bron: CBS/Politie, Geregistreerde misdrijven (47018NED" in text
    for software in ("Bewerking: ivp", "docs/", "build_data", "commit", "ivp data"):
        assert software not in text

    # a theme without data says so and names the handbook's source
    informatieveiligheid = _section_text(docx, "Thema 5.4 Informatieveiligheid")
    assert "Geen politiecijfers" in informatieveiligheid and "ENSIA" in informatieveiligheid
    # the working group has not answered yet: nothing is printed for the open questions
    assert "Problematiek" not in informatieveiligheid
    assert "Nog niet ingevuld" not in text
    # reading guide, in the words of the tests
    assert "binnen de gewone schommeling" in text.lower()


def test_the_working_groups_answers_and_decisions_appear(plan_2017):
    by = _coordinator(plan_2017)
    services.save_tekst(
        plan_2017,
        by=by,
        onderwerp="1.3",
        expected_version=0,
        probleem="Veel auto-inbraken rond het station en in de binnenstad.",
        oordeel="prioriteit",
    )
    services.save_tekst(
        plan_2017,
        by=by,
        onderwerp="A1.5",
        expected_version=0,
        huidige_aanpak="Boa's in de binnenstad op vrijdag en zaterdag.",
    )
    services.save_tekst(
        plan_2017,
        by=by,
        onderwerp="5.2",
        expected_version=0,
        probleem="Signalen van drugshandel in twee wijken.",
        huidige_aanpak="Bibob en sluitingen (artikel 13b Opiumwet).",
        extra="Een wijkgerichte aanpak met het RIEC.",
        oordeel="aandacht",
    )
    services.save_tekst(
        plan_2017,
        by=by,
        onderwerp="V1",
        expected_version=0,
        conclusie="Autokraak en fietsendiefstal zijn plausibele prioriteiten.",
    )
    picture = services.veiligheidsbeeld(plan_2017)
    decision = services.decide_candidate(
        plan_2017,
        by=by,
        series=services.series_by_key(picture, "1.2.1"),
        gemeente="GM0796",
        year=picture.year,
        besluit="aanvaard",
        toelichting="hoogste van de vergelijkbare gemeenten",
    )

    docx = read_docx(io.BytesIO(export(plan_2017, "veiligheidsanalyse", "docx")[0]))
    theme = _section_text(
        docx, "Thema 1.3 Objectieve veiligheid/veel voorkomende en 'high impact'-criminaliteit"
    )
    assert "Problematiek: Veel auto-inbraken rond het station en in de binnenstad." in theme
    assert "Oordeel werkgroep: Plausibele prioriteit" in theme
    assert "Huidige aanpak: Boa's in de binnenstad op vrijdag en zaterdag." in _section_text(
        docx, "A1.5 Toezicht en handhaving"
    )
    ondermijning = _section_text(docx, "Thema 5.2 Georganiseerde/ondermijnende criminaliteit")
    assert "Extra gewenst: Een wijkgerichte aanpak met het RIEC." in ondermijning
    assert "Oordeel werkgroep: Aandacht nodig" in ondermijning

    first_field = [
        p.text
        for kind, p in _body_in_order(docx)
        if kind == "p" and p.text and not p.style.name.startswith("Heading")
    ]
    text = "\n".join(first_field)
    assert "Autokraak en fietsendiefstal zijn plausibele prioriteiten." in text
    assert (
        f"1.2.1 Diefstal uit/vanaf motorvoertuigen (score {decision.score}): hoogste van de" in text
    )
    # the summary table carries the working group's verdict and the decision
    cells = [c.text for t in docx.tables for row in t.rows for c in row.cells]
    assert "plausibele prioriteit" in cells
    assert any(
        c.startswith("Aanvaard als mogelijke prioriteit (hoogste van de vergelijkbare gemeenten)")
        for c in cells
    )


def test_pdf_has_pages_with_the_same_figures(plan_2017):
    content, content_type, _ = export(plan_2017, "veiligheidsanalyse", "pdf")
    assert content_type == "application/pdf"
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 10
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "1.259" in text and "8,2" in text
    for number, chapter in enumerate(["Inleiding", "Samenvatting", *FIELD_TITLES], start=1):
        assert re.search(rf"{number}\s+{re.escape(chapter)}", text), chapter
    assert "ENSIA" in text


def test_html_has_the_charts_inline_and_a_source_under_each(plan_2017):
    html = export(plan_2017, "veiligheidsanalyse", "html")[0].decode()
    images = re.findall(r'<img src="data:image/png;base64,', html)
    assert len(images) == len(_themes_with_chart(plan_2017))
    # the figure width is CSS, not a Dutch decimal
    assert "width: 15.0cm" in html or "width: 15cm" in html
    assert "15,0cm" not in html
    assert html.count('<p class="source">Bron:') >= html.count("<table")


def test_model_every_table_and_figure_has_a_source(plan_2017):
    document = build_analyserapport(plan_2017)

    def blocks(sections):
        for section in sections:
            yield from section.blocks
            yield from blocks(section.subsections)

    found = [b for b in blocks(document.sections) if isinstance(b, Table | Figure)]
    assert found
    for block in found:
        assert block.source.startswith("Bron:"), block
        if isinstance(block, Table) and block.widths:
            assert len(block.widths) == len(block.columns)
            assert all(len(row) == len(block.columns) for row in block.rows)
    assert document.title == "Veiligheidsanalyse"
    assert "peiljaar 2017" in document.subtitle


def test_a_joint_plan_shows_each_gemeente(den_bosch):
    heusden = Gemeente.objects.get(code="GM0797")
    plan = PlanFactory(gemeente=den_bosch, extra_gemeenten=[heusden])
    document = build_analyserapport(plan)
    captions = [
        b.caption
        for s in document.sections
        for sub in s.subsections
        for b in sub.blocks
        if isinstance(b, Table)
    ]
    assert "Veiligheidsbeeld 's-Hertogenbosch, peiljaar 2025" in captions
    assert "Veiligheidsbeeld Heusden, peiljaar 2025" in captions
    assert document.organisation == "Gemeenten 's-Hertogenbosch, Heusden"


def test_a_gemeente_without_figures_still_gives_a_report(bundle):
    plan = PlanFactory(gemeente=GemeenteFactory(code="GM9999", naam="Nergenshuizen"))
    html = export(plan, "veiligheidsanalyse", "html")[0].decode()
    assert "Nergenshuizen: geen cijfers beschikbaar" in html
    assert "ivp data" not in html
    assert "<img" not in html


@pytest.mark.parametrize(
    ("function", "value", "expected"),
    [
        (analyserapport.number, 1259, "1.259"),
        (analyserapport.number, 152922.0, "152.922"),
        (analyserapport.number, None, "–"),
        (analyserapport.rate, 8.2331, "8,2"),
        (analyserapport.rate, 27.78, "27,8"),
        (analyserapport.rate, 0.334, "0,33"),
        (analyserapport.percent, -26.4, "−26%"),
        (analyserapport.percent, 16.2, "+16%"),
        (analyserapport.percent, 0.2, "0%"),
        (analyserapport.percent, None, "–"),
        (analyserapport.times, 1.234, "1,2×"),
    ],
)
def test_dutch_number_format(function, value, expected):
    assert function(value) == expected


def test_when_a_table_was_consulted_in_a_publications_words():
    from ivp.documents.sources import consulted, source_line

    assert consulted("2024-01-22") == "22 januari 2024"
    note = "Opgehaald door iemand (build_data.py), uiterlijk bij commit 62569b5d (2026); later"
    assert consulted(note) == "in 2026"
    assert consulted("") == ""
    line = source_line(
        [
            {
                "table": "47018NED",
                "title": "Geregistreerde misdrijven; soort misdrijf, regio",
                "attribution": "Bron: CBS / Politie",
                "retrieved": "2026-01-22",
            },
            {"table": "70072NED", "title": "Regionale kerncijfers Nederland", "retrieved": ""},
        ]
    )
    assert line == (
        "Bron: CBS/Politie, Geregistreerde misdrijven (47018NED), geraadpleegd 22 januari 2026; "
        "CBS, Regionale kerncijfers Nederland (70072NED)."
    )
