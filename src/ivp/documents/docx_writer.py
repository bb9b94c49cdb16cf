"""Write a :class:`~ivp.documents.model.Document` as DOCX with python-docx.

Headings use Word's built-in heading styles so that the table of contents (a TOC field that
Word and LibreOffice fill when the document is opened or updated) and the navigation pane work.
python-docx cannot draw native charts: figures are PNG images with their source under them.
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ivp.documents.model import (
    BulletList,
    DefinitionList,
    Document,
    Figure,
    Paragraph,
    Section,
    Table,
)

PRIMARY = RGBColor(0x15, 0x42, 0x73)
MUTED = RGBColor(0x55, 0x55, 0x55)
DATE_FORMAT = "{d.day} {month} {d.year}"
MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def dutch_date(d) -> str:
    return DATE_FORMAT.format(d=d, month=MONTHS[d.month - 1])


def _add_toc(docx, depth: int = 3) -> None:
    paragraph = docx.add_paragraph()
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f'TOC \\o "1-{depth}" \\h \\z \\u'
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "Inhoudsopgave: kies in Word ‘Veld bijwerken’ (F9) om deze te vullen."
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, placeholder, end):
        run._r.append(element)
    # Ask Word to update fields (the TOC) when the file is opened.
    settings = docx.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _set_cell_shading(cell, hex_fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), hex_fill)
    properties.append(shading)


def _source(docx, text: str) -> None:
    if not text:
        return
    paragraph = docx.add_paragraph()
    run = paragraph.add_run(text)
    run.italic = True
    run.font.size = Pt(8.5)
    run.font.color.rgb = MUTED


def _table(docx, block: Table) -> None:
    if block.caption:
        caption = docx.add_paragraph(block.caption, style="Caption")
        caption.paragraph_format.keep_with_next = True
    table = docx.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, title in enumerate(block.columns):
        cell = table.rows[0].cells[index]
        cell.text = ""
        run = cell.paragraphs[0].add_run(title)
        run.bold = True
        _set_cell_shading(cell, "E8EEF5")
        if index in block.numeric_columns:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for row in block.rows:
        cells = table.add_row().cells
        for index, value in enumerate(row):
            cells[index].text = value
            if index in block.numeric_columns:
                cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if block.widths:
        # Word reads the cell widths, LibreOffice the table grid: set both, and switch off
        # autofit so neither stretches the columns back to equal widths.
        table.autofit = False
        total = sum(block.widths)
        for index, width in enumerate(block.widths):
            column = table.columns[index]
            column.width = Cm(16 * width / total)
            for cell in column.cells:
                cell.width = Cm(16 * width / total)
    # Wide tables (a year per column) get a smaller type so the figures fit their columns.
    size = Pt(9.5) if len(block.columns) <= 6 else Pt(8.5) if len(block.columns) <= 8 else Pt(8)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = size
    _source(docx, block.source)


def _blocks(docx, blocks) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            paragraph = docx.add_paragraph(block.text)
            if block.style == "lead":
                for run in paragraph.runs:
                    run.font.size = Pt(12)
            elif block.style == "note":
                for run in paragraph.runs:
                    run.italic = True
                    run.font.color.rgb = MUTED
        elif isinstance(block, BulletList):
            for item in block.items:
                docx.add_paragraph(item, style="List Bullet")
        elif isinstance(block, DefinitionList):
            for term, value in block.items:
                paragraph = docx.add_paragraph()
                paragraph.add_run(f"{term}: ").bold = True
                paragraph.add_run(value)
        elif isinstance(block, Table):
            _table(docx, block)
        elif isinstance(block, Figure):
            docx.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
            docx.add_paragraph(block.caption, style="Caption")
            _source(docx, block.source)
        else:  # pragma: no cover - the model is closed
            raise TypeError(f"Unknown block {block!r}")


def _section(docx, section: Section, level: int, new_page: bool = False) -> None:
    title = f"{section.number} {section.title}" if section.number else section.title
    heading = docx.add_heading(title, level=level)
    if new_page:
        heading.paragraph_format.page_break_before = True
    _blocks(docx, section.blocks)
    for sub in section.subsections:
        _section(docx, sub, min(level + 1, 3))


def _title_page(docx, document: Document) -> None:
    for _ in range(6):
        docx.add_paragraph()
    kind = docx.add_paragraph()
    run = kind.add_run(document.kind.upper())
    run.font.size = Pt(12)
    run.font.color.rgb = MUTED
    title = docx.add_paragraph(style="Title")
    title.add_run(document.title)
    if document.subtitle:
        subtitle = docx.add_paragraph()
        run = subtitle.add_run(document.subtitle)
        run.font.size = Pt(16)
        run.font.color.rgb = PRIMARY
    docx.add_paragraph()
    meta = [
        ("Organisatie", document.organisation),
        ("Datum", dutch_date(document.date)),
        ("Status", document.status),
    ]
    if document.version:
        meta.append(("Versie", document.version))
    for term, value in meta:
        paragraph = docx.add_paragraph()
        paragraph.add_run(f"{term}: ").bold = True
        paragraph.add_run(value)
    docx.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)


def write_docx(document: Document) -> bytes:
    """Render ``document`` as DOCX and return the file's bytes."""
    docx = new_docx()
    section = docx.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.2)
    styles = docx.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(10.5)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        styles[name].font.color.rgb = PRIMARY
    core = docx.core_properties
    core.title = document.title
    core.subject = document.kind
    core.author = document.organisation
    core.language = "nl-NL"

    _title_page(docx, document)
    if document.with_toc:
        docx.add_heading("Inhoud", level=1)
        _add_toc(docx, document.toc_depth)
        docx.add_section(WD_SECTION.NEW_PAGE)
    for index, part in enumerate(document.sections):
        _section(docx, part, 1, new_page=document.new_page_per_chapter and index > 0)

    footer = docx.sections[-1].footer.paragraphs[0]
    footer.text = f"{document.title} — {document.status}"
    for run in footer.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = MUTED
    buffer = io.BytesIO()
    docx.save(buffer)
    return buffer.getvalue()
