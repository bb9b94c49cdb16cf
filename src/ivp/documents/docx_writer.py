"""Write a :class:`~ivp.documents.model.Document` as DOCX with python-docx.

What makes it behave like a document made in Word:

- headings use Word's heading styles and carry the same numbers as the PDF
  (``model.numbered``), each with a bookmark;
- the table of contents is a TOC field whose result already holds the entries (hyperlinks
  to the headings with a PAGEREF field for the page), so it is readable on opening and Word
  still updates it (F9, or when it asks on opening);
- page numbers (a PAGE field) in the footer of every page but the title page;
- Dutch (nl-NL) as the language of the document defaults and every style, Dutch decimal
  symbol, and real file properties: title, subject, author = the municipality, created and
  modified now;
- Arial (LibreOffice uses the metric-compatible Liberation Sans), so text and tables break
  the same in Word and LibreOffice; columns at least as wide as their longest word;
- a text alternative on every chart image; "'s-" in place names never ends a line;
- landscape pages for wide sections (``Section.landscape``).

python-docx cannot draw native charts: figures are PNG images with their source under them.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt, RGBColor

from ivp.documents.model import (
    BulletList,
    DefinitionList,
    Document,
    Figure,
    Heading,
    Paragraph,
    Rich,
    Span,
    Table,
    cover_facts,
    in_toc,
    keep_place_names,
    numbered,
    plain,
    spans,
)

PRIMARY = RGBColor(0x15, 0x42, 0x73)
MUTED = RGBColor(0x55, 0x55, 0x55)
ALERT = RGBColor(0xA4, 0x26, 0x2C)
FONT = "Arial"
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
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN_SIDE, MARGIN_TOP = Cm(2.5), Cm(2.2)
LANDSCAPE_MARGIN = Cm(2.0)
# Average width of a character of Arial at 1 pt, in cm (bold a little wider): used to keep
# every column at least as wide as its longest word.
CHAR_CM_PER_PT = 0.0195
CELL_PADDING_CM = 0.45


def dutch_date(d) -> str:
    return DATE_FORMAT.format(d=d, month=MONTHS[d.month - 1])


# -- text --------------------------------------------------------------------------------


def _text_elements(run, text: str) -> None:
    """Append ``text`` to a run: line breaks as <w:br/>, tabs as <w:tab/>."""
    for index, line in enumerate(text.split("\n")):
        if index:
            run._r.append(OxmlElement("w:br"))
        for tab_index, chunk in enumerate(line.split("\t")):
            if tab_index:
                run._r.append(OxmlElement("w:tab"))
            if chunk:
                element = OxmlElement("w:t")
                element.set(qn("xml:space"), "preserve")
                element.text = chunk
                run._r.append(element)


def _add(paragraph, text: Rich, *, size=None, colour=None, bold=None, italic=None) -> None:
    """Add ``text`` (plain or spans) to ``paragraph`` as runs."""
    for span in spans(text):
        run = paragraph.add_run()
        _text_elements(run, keep_place_names(span.text))
        if span.bold or bold:
            run.bold = True
        if span.italic or italic:
            run.italic = True
        if size is not None:
            run.font.size = size
        if colour is not None:
            run.font.color.rgb = colour


def _field(paragraph, instruction: str, result: str = "") -> None:
    """A complex field (PAGE, PAGEREF …) with ``result`` as its shown value."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None)):
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
    if result:
        paragraph.add_run(result)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


# -- styles and properties ---------------------------------------------------------------


def _set_font(style, name: str) -> None:
    """The font of a style for every script, without the theme fonts that would win."""
    style.font.name = name
    fonts = style.element.rPr.find(qn("w:rFonts"))
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(attribute)) is not None:
            del fonts.attrib[qn(attribute)]
    fonts.set(qn("w:cs"), name)
    fonts.set(qn("w:eastAsia"), name)


def _language(docx, language: str) -> None:
    """``language`` for the document defaults, every style that names one, and the theme;
    the Dutch decimal comma for fields."""
    styles = docx.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = run_defaults.find(qn("w:rFonts"))
    if fonts is not None:  # the default font itself, not the theme's (Calibri)
        for attribute in list(fonts.attrib):
            del fonts.attrib[attribute]
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), FONT)
    if run_defaults.find(qn("w:lang")) is None:
        run_defaults.append(OxmlElement("w:lang"))
    for lang in styles.iter(qn("w:lang")):
        for attribute in ("w:val", "w:eastAsia"):
            lang.set(qn(attribute), language)
    settings = docx.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), language)
        theme.set(qn("w:eastAsia"), language)
    for tag, value in (("w:decimalSymbol", ","), ("w:listSeparator", ";")):
        element = settings.find(qn(tag))
        if element is not None:
            element.set(qn("w:val"), value)


def _styles(docx, language: str) -> None:
    styles = docx.styles
    for style in styles:
        rpr = getattr(style.element, "rPr", None)
        if hasattr(style, "font") and rpr is not None and rpr.find(qn("w:rFonts")) is not None:
            _set_font(style, FONT)
    _set_font(styles["Normal"], FONT)
    styles["Normal"].font.size = Pt(10.5)
    styles["Normal"].paragraph_format.space_after = Pt(6)
    for name, size in (("Title", 26), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
        styles[name].font.color.rgb = PRIMARY
        styles[name].font.size = Pt(size)
        _set_font(styles[name], FONT)
    styles["Heading 1"].paragraph_format.space_before = Pt(18)
    for name in ("Caption",):
        styles[name].font.color.rgb = PRIMARY
        styles[name].font.size = Pt(9.5)
        styles[name].font.bold = True
        styles[name].font.italic = False
    _language(docx, language)


def _toc_style(docx, level: int, width):
    """Word's own "toc N" style: indented per level, the page number right with dots."""
    name = f"toc {level}"
    try:
        return docx.styles[name]
    except KeyError:
        pass
    from docx.enum.style import WD_STYLE_TYPE

    style = docx.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = docx.styles["Normal"]
    style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
    style.paragraph_format.space_after = Pt(3)
    style.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    if level == 1:
        style.font.bold = True
    return style


def _properties(docx, document: Document) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    core = docx.core_properties
    core.title = plain(document.title)
    core.subject = document.kind
    core.author = document.organisation
    core.last_modified_by = document.organisation
    core.created = now
    core.modified = now
    core.revision = 1
    core.keywords = ""
    core.comments = ""
    core.category = document.kind
    core.language = document.language
    core.content_status = document.status
    core.identifier = ""
    core.version = document.version


# -- page layout -------------------------------------------------------------------------


def _page(section, *, landscape: bool) -> None:
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
        section.left_margin = section.right_margin = LANDSCAPE_MARGIN
        section.top_margin = section.bottom_margin = LANDSCAPE_MARGIN
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin = section.right_margin = MARGIN_SIDE
        section.top_margin = section.bottom_margin = MARGIN_TOP


def _text_width(section) -> Length:
    return Length(section.page_width - section.left_margin - section.right_margin)


def _footer(docx, section, document: Document) -> None:
    """The document's title and status left, the page number right."""
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = docx.styles["Normal"]
    paragraph.paragraph_format.space_after = Pt(0)
    stops = paragraph.paragraph_format.tab_stops
    stops.add_tab_stop(_text_width(section), WD_TAB_ALIGNMENT.RIGHT)
    _add(paragraph, f"{document.title} — {document.status}\t", size=Pt(8), colour=MUTED)
    _field(paragraph, "PAGE", "1")
    for run in paragraph.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = MUTED


# -- blocks ------------------------------------------------------------------------------


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
    _add(paragraph, text, size=Pt(8.5), colour=MUTED, italic=True)


def _font_size(columns: int) -> float:
    # Wide tables (a year per column) get a smaller type so the figures fit their columns.
    return 9.5 if columns <= 6 else 8.5 if columns <= 8 else 8.0


_WORD = re.compile(r"\S+")


def column_widths(block: Table, total_cm: float, size_pt: float) -> list[float]:
    """Widths in cm that add up to ``total_cm``: the table's relative widths (equal when it
    has none), but every column at least as wide as its longest word (headers are bold), so
    a word is never split over two lines ("Uitgangswaa|rde")."""
    count = len(block.columns)
    relative = list(block.widths) if len(block.widths) == count else [1.0] * count
    wanted = [total_cm * w / sum(relative) for w in relative]
    need = []
    for index, header in enumerate(block.columns):
        words = [len(w) * 1.08 for w in _WORD.findall(header)]
        for row_index, row in enumerate(block.rows):
            if index < len(row) and row_index not in block.group_rows:
                words += [len(w) for w in _WORD.findall(plain(row[index]))]
        longest = max(words, default=0)
        need.append(longest * size_pt * CHAR_CM_PER_PT + CELL_PADDING_CM)
    if sum(need) >= total_cm:  # cannot fit every word: share out in proportion to need
        return [total_cm * n / sum(need) for n in need]
    widths = wanted[:]
    for _ in range(count):
        short = [i for i in range(count) if widths[i] < need[i] - 1e-6]
        if not short:
            break
        deficit = sum(need[i] - widths[i] for i in short)
        for i in short:
            widths[i] = need[i]
        spare = [i for i in range(count) if widths[i] > need[i] + 1e-6]
        room = sum(widths[i] - need[i] for i in spare)
        for i in spare:
            widths[i] -= deficit * (widths[i] - need[i]) / room
    return widths


def _table(docx, block: Table, width_cm: float) -> None:
    if block.caption:
        caption = docx.add_paragraph(style="Caption")
        _add(caption, block.caption)
        caption.paragraph_format.keep_with_next = True
    table = docx.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = Pt(_font_size(len(block.columns)))
    for index, title in enumerate(block.columns):
        cell = table.rows[0].cells[index]
        paragraph = cell.paragraphs[0]
        _add(paragraph, title, bold=True, size=size)
        _set_cell_shading(cell, "E8EEF5")
        if index in block.numeric_columns:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for row_index, row in enumerate(block.rows):
        cells = table.add_row().cells
        if row_index in block.group_rows:
            merged = cells[0].merge(cells[-1])
            _add(merged.paragraphs[0], row[0], bold=True, size=size)
            _set_cell_shading(merged, "F3F6F9")
            continue
        for index, value in enumerate(row):
            paragraph = cells[index].paragraphs[0]
            _add(paragraph, value, size=size)
            if index in block.numeric_columns:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    # Word reads the cell widths, LibreOffice the table grid: set both, and switch off
    # autofit so neither stretches the columns back.
    table.autofit = False
    widths = column_widths(block, width_cm, size.pt)
    grid = table._tbl.tblGrid
    for index, column in enumerate(grid.findall(qn("w:gridCol"))):
        column.set(qn("w:w"), str(int(Cm(widths[index]).twips)))
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            if index < len(widths):
                cell.width = Cm(widths[index])
    _source(docx, block.source)


def _picture(docx, block: Figure, width_cm: float) -> None:
    docx.add_picture(io.BytesIO(block.png), width=Cm(min(block.width_cm, width_cm)))
    picture = docx.paragraphs[-1]
    picture.paragraph_format.keep_with_next = True
    for properties in picture._p.iter(qn("wp:docPr")):
        properties.set("descr", block.alt_text)
        properties.set("title", block.caption)
    caption = docx.add_paragraph(style="Caption")
    _add(caption, block.caption)
    _source(docx, block.source)


LIST_STYLES = ("List Bullet", "List Bullet 2", "List Bullet 3")


def _blocks(docx, blocks, width_cm: float) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            paragraph = docx.add_paragraph()
            if block.style == "lead":
                _add(paragraph, block.text, size=Pt(12))
            elif block.style == "note":
                _add(paragraph, block.text, italic=True, colour=MUTED)
            elif block.style == "concept":
                _add(paragraph, block.text, italic=True, colour=ALERT)
            else:
                _add(paragraph, block.text)
        elif isinstance(block, BulletList):
            for index, item in enumerate(block.items):
                style = LIST_STYLES[min(block.level(index), len(LIST_STYLES) - 1)]
                _add(docx.add_paragraph(style=style), item)
        elif isinstance(block, DefinitionList):
            for term, value in block.items:
                paragraph = docx.add_paragraph()
                _add(paragraph, (Span(f"{term}: ", bold=True), *spans(value)))
        elif isinstance(block, Table):
            _table(docx, block, width_cm)
        elif isinstance(block, Figure):
            _picture(docx, block, width_cm)
        else:  # pragma: no cover - the model is closed
            raise TypeError(f"Unknown block {block!r}")


def _bookmark(paragraph, name: str, ident: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(ident))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(ident))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def _bookmark_name(heading: Heading) -> str:
    return "_Toc" + heading.anchor.removeprefix("h-").replace("-", "_")


def _heading(docx, heading: Heading, ident: int, *, page_break: bool) -> None:
    paragraph = docx.add_heading(level=heading.level)
    _add(paragraph, heading.text)
    if page_break:
        paragraph.paragraph_format.page_break_before = True
    _bookmark(paragraph, _bookmark_name(heading), ident)


# -- title page and table of contents ----------------------------------------------------


def _title_page(docx, document: Document) -> None:
    for _ in range(5):
        docx.add_paragraph()
    kind = docx.add_paragraph()
    _add(kind, document.kind.upper(), size=Pt(12), colour=MUTED)
    title = docx.add_paragraph(style="Title")
    _add(title, document.title)
    if document.subtitle:
        subtitle = docx.add_paragraph()
        _add(subtitle, document.subtitle, size=Pt(16), colour=PRIMARY)
    docx.add_paragraph()
    for term, value in cover_facts(document, dutch_date(document.date)):
        paragraph = docx.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        _add(paragraph, (Span(f"{term}: ", bold=True), Span(value)))
    if document.cover_note:
        docx.add_paragraph()
        _add(docx.add_paragraph(), document.cover_note, italic=True, colour=MUTED)
    docx.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)


def _toc(docx, headings: list[Heading], depth: int, width) -> None:
    """A TOC field whose shown result already lists the headings (with a PAGEREF to each
    heading's bookmark), so the contents show on opening and Word can still update them."""
    title = docx.add_paragraph()
    _add(title, "Inhoud", size=Pt(16), colour=PRIMARY, bold=True)
    entries = [h for h in headings if in_toc(h, depth)] or [None]
    for index, heading in enumerate(entries):
        style = _toc_style(docx, heading.level if heading else 1, width)
        paragraph = docx.add_paragraph(style=style)
        if index == 0:
            for kind in ("begin", "instr", "separate"):
                run = paragraph.add_run()
                if kind == "instr":
                    element = OxmlElement("w:instrText")
                    element.set(qn("xml:space"), "preserve")
                    element.text = f' TOC \\o "1-{depth}" \\h \\z \\u '
                else:
                    element = OxmlElement("w:fldChar")
                    element.set(qn("w:fldCharType"), kind)
                    if kind == "begin":
                        element.set(qn("w:dirty"), "true")
                run._r.append(element)
        if heading is not None:
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), _bookmark_name(heading))
            link.set(qn("w:history"), "1")
            paragraph._p.append(link)
            holder = docx.add_paragraph()  # build the runs here, then move them into the link
            _add(holder, heading.text + "\t")
            _field(holder, f"PAGEREF {_bookmark_name(heading)} \\h")
            for run in list(holder._p.findall(qn("w:r"))):
                link.append(run)
            holder._p.getparent().remove(holder._p)
        if index == len(entries) - 1:
            end = OxmlElement("w:fldChar")
            end.set(qn("w:fldCharType"), "end")
            paragraph.add_run()._r.append(end)
    # Ask Word to update the fields (page numbers of the contents) when the file is opened.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    docx.settings.element.append(update)


# -- the document ------------------------------------------------------------------------


def write_docx(document: Document) -> bytes:
    """Render ``document`` as DOCX and return the file's bytes."""
    docx = new_docx()
    _styles(docx, document.language)
    _properties(docx, document)
    first = docx.sections[0]
    _page(first, landscape=False)
    first.different_first_page_header_footer = True  # no footer on the title page
    _footer(docx, first, document)

    headings = list(numbered(document))
    width = _text_width(first)
    _title_page(docx, document)
    if document.with_toc:
        _toc(docx, [h for h, _s in headings], document.toc_depth, width)
        docx.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)

    landscape = False
    chapter_index = -1
    for ident, (heading, section) in enumerate(headings, start=1):
        page_break = False
        if heading.level == 1:
            chapter_index += 1
            wanted = bool(section.landscape)
            if wanted != landscape:
                new = docx.add_section(WD_SECTION.NEW_PAGE)
                new.different_first_page_header_footer = False
                _page(new, landscape=wanted)
                _footer(docx, new, document)
                landscape = wanted
            elif chapter_index > 0 and (document.new_page_per_chapter or section.new_page):
                page_break = True
        width_cm = _text_width(docx.sections[-1]).cm
        _heading(docx, heading, ident, page_break=page_break)
        _blocks(docx, section.blocks, width_cm)
    buffer = io.BytesIO()
    docx.save(buffer)
    return buffer.getvalue()
