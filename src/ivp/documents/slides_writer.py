"""Slides (16:9) for a council session: a small model of its own (a deck of slides with key
figures, points, a chart and speaker notes) and two writers, PDF (HTML laid out by WeasyPrint,
like the documents, tagged as PDF/UA) and PPTX (python-pptx, to be edited in PowerPoint or
Impress, with the notes in the notes pane and real file properties). Every slide that shows
figures carries their source; confidential slides are left out of public decks.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from django.template.loader import render_to_string

from ivp.documents.docx_writer import dutch_date
from ivp.documents.model import keep_place_names

# PowerPoint's 16:9 page: 13.333 × 7.5 inch.
WIDTH_CM = 33.867
HEIGHT_CM = 19.05
PRIMARY = "154273"
MUTED = "555555"
CARD = "E8EEF5"
ALERT = "A4262C"


@dataclass(frozen=True)
class KeyFigure:
    value: str  # "8,2"
    label: str  # "per 1.000 inwoners, 1.3 Objectieve veiligheid, 2023"
    note: str = ""  # "−5% t.o.v. 2022: geen aantoonbare verandering"


@dataclass(frozen=True)
class Item:
    text: str
    level: int = 0  # 0 or 1 (indented)


@dataclass
class Slide:
    title: str
    subtitle: str = ""
    figures: tuple[KeyFigure, ...] = ()
    items: tuple[Item, ...] = ()
    items_title: str = ""
    source: str = ""
    """Required where the slide shows figures: "Bron: CBS / Politie, 47018NED (opgehaald …)"."""
    confidential: bool = False
    columns: int = 1
    """Items in one or two columns (a long table of contents)."""
    chart: bytes = b""
    """A chart (PNG) beside the points; its text alternative in ``chart_alt``."""
    chart_alt: str = ""
    notes: str = ""
    """What the speaker says with this slide (the notes pane of PowerPoint/Impress)."""


@dataclass
class Deck:
    title: str
    subtitle: str
    organisation: str
    kind: str
    status: str = "concept"
    date: date = field(default_factory=date.today)
    slides: list[Slide] = field(default_factory=list)

    def public(self) -> Deck:
        """A copy without confidential slides."""
        return replace(self, slides=[s for s in self.slides if not s.confidential])


def _columns(slide: Slide) -> list[list[Item]]:
    if slide.columns < 2 or len(slide.items) < 8:
        return [list(slide.items)]
    # Split at a top-level item near the middle, so a chapter keeps its parts together.
    middle = (len(slide.items) + 1) // 2
    starts = [i for i, item in enumerate(slide.items) if item.level == 0 and i > 0]
    cut = min(starts, key=lambda i: abs(i - middle)) if starts else middle
    return [list(slide.items[:cut]), list(slide.items[cut:])]


# -- PDF -------------------------------------------------------------------------------


def _unbreakable(deck: Deck) -> Deck:
    """The deck with "'s-" in place names made unbreakable, for the HTML/PDF slides."""
    k = keep_place_names
    slides = [
        replace(
            s,
            title=k(s.title),
            subtitle=k(s.subtitle),
            items=tuple(replace(i, text=k(i.text)) for i in s.items),
            figures=tuple(replace(f, label=k(f.label), note=k(f.note)) for f in s.figures),
            source=k(s.source),
        )
        for s in deck.slides
    ]
    return replace(deck, title=k(deck.title), organisation=k(deck.organisation), slides=slides)


def write_slides_html(deck: Deck) -> str:
    deck = _unbreakable(deck)
    return render_to_string(
        "documents/slides.html",
        {
            "deck": deck,
            "date": dutch_date(deck.date),
            "slides": [
                {
                    "slide": s,
                    "columns": _columns(s),
                    "chart": "data:image/png;base64," + base64.b64encode(s.chart).decode()
                    if s.chart
                    else "",
                }
                for s in deck.slides
            ],
            "width_cm": f"{WIDTH_CM:.3f}",
            "height_cm": f"{HEIGHT_CM:.3f}",
        },
    )


def write_slides_pdf(deck: Deck) -> bytes:
    from ivp.documents.pdf_writer import html_to_pdf

    return html_to_pdf(write_slides_html(deck))


# -- PPTX ------------------------------------------------------------------------------


def _rgb(hex_colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour)


def _text(slide, left, top, width, height, text, *, size, bold=False, colour="1A1A1A"):
    from pptx.util import Pt

    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    run = paragraph.add_run()
    run.text = keep_place_names(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = _rgb(colour)
    return box


def _footer(pptx_slide, deck: Deck, slide: Slide, number: int) -> None:
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Cm

    if slide.source:
        _text(pptx_slide, Cm(1.5), Cm(17.3), Cm(25), Cm(1.4), slide.source, size=9, colour=MUTED)
    right = _text(
        pptx_slide,
        Cm(26.8),
        Cm(17.7),
        Cm(5.6),
        Cm(0.8),
        f"{deck.title} · {number}",
        size=9,
        colour=MUTED,
    )
    right.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT


def _title_slide(prs, deck: Deck, slide: Slide) -> None:
    from pptx.util import Cm

    page = prs.slides.add_slide(prs.slide_layouts[6])
    band = page.shapes.add_shape(1, 0, 0, prs.slide_width, Cm(0.6))  # 1 = rectangle
    band.fill.solid()
    band.fill.fore_color.rgb = _rgb(PRIMARY)
    band.line.fill.background()
    band.shadow.inherit = False
    _text(page, Cm(2.5), Cm(4.5), Cm(29), Cm(1), deck.kind.upper(), size=16, colour=MUTED)
    _text(page, Cm(2.5), Cm(5.8), Cm(29), Cm(3.5), slide.title, size=40, bold=True, colour=PRIMARY)
    if slide.subtitle:
        _text(page, Cm(2.5), Cm(9.6), Cm(29), Cm(1.6), slide.subtitle, size=22, colour=PRIMARY)
    lines = [deck.organisation, dutch_date(deck.date), deck.status]
    _text(page, Cm(2.5), Cm(12.5), Cm(29), Cm(3), " · ".join(x for x in lines if x), size=16)
    for item_index, item in enumerate(slide.items):
        _text(page, Cm(2.5), Cm(14 + item_index * 0.9), Cm(29), Cm(0.9), item.text, size=14)


def _bullets(frame, items: list[Item], size: int) -> None:
    from pptx.util import Pt

    first = True
    for item in items:
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        run = paragraph.add_run()
        run.text = ("• " if item.level == 0 else "\u2003– ") + keep_place_names(item.text)
        run.font.size = Pt(size if item.level == 0 else size - 2)
        paragraph.space_after = Pt(6 if item.level == 0 else 3)


def _content_slide(prs, deck: Deck, slide: Slide, number: int) -> None:
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Cm, Pt

    page = prs.slides.add_slide(prs.slide_layouts[6])
    band = page.shapes.add_shape(1, 0, 0, Cm(0.6), prs.slide_height)
    band.fill.solid()
    band.fill.fore_color.rgb = _rgb(PRIMARY)
    band.line.fill.background()
    band.shadow.inherit = False
    _text(page, Cm(1.5), Cm(0.9), Cm(27), Cm(1.8), slide.title, size=30, bold=True, colour=PRIMARY)
    if slide.confidential:
        badge = _text(page, Cm(27.5), Cm(1.1), Cm(5), Cm(0.9), "VERTROUWELIJK", size=12, bold=True)
        badge.text_frame.paragraphs[0].runs[0].font.color.rgb = _rgb(ALERT)
        badge.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
    top = Cm(2.8)
    if slide.subtitle:
        _text(page, Cm(1.5), top, Cm(30.5), Cm(1.2), slide.subtitle, size=15, colour=MUTED)
        top = Cm(4.2)
    if slide.figures:
        count = len(slide.figures)
        gap = Cm(0.5)
        width = int((Cm(30.8) - gap * (count - 1)) / count)
        for index, figure in enumerate(slide.figures):
            left = Cm(1.5) + index * (width + gap)
            card = page.shapes.add_shape(1, left, top, width, Cm(4.6))
            card.fill.solid()
            card.fill.fore_color.rgb = _rgb(CARD)
            card.line.fill.background()
            card.shadow.inherit = False
            frame = card.text_frame
            frame.word_wrap = True
            frame.vertical_anchor = MSO_ANCHOR.TOP
            frame.margin_left = frame.margin_right = Cm(0.4)
            lines = [
                (figure.value, 30 if count <= 4 else 26, True, PRIMARY),
                (figure.label, 12, False, "1A1A1A"),
            ]
            if figure.note:
                lines.append((figure.note, 11, False, MUTED))
            for line_index, (text, size, bold, colour) in enumerate(lines):
                paragraph = frame.paragraphs[0] if line_index == 0 else frame.add_paragraph()
                paragraph.alignment = PP_ALIGN.LEFT
                run = paragraph.add_run()
                run.text = keep_place_names(text)
                run.font.size = Pt(size)
                run.font.bold = bold
                run.font.color.rgb = _rgb(colour)
        top = top + Cm(5.2)
    if slide.items_title:
        _text(page, Cm(1.5), top, Cm(30.5), Cm(1), slide.items_title, size=16, bold=True)
        top = top + Cm(1.1)
    columns = _columns(slide)
    text_width = Cm(30.5)
    if slide.chart:
        from pptx.util import Emu

        chart_width = Cm(14)
        chart_height = int(chart_width / 2)
        left = Cm(1.5) + text_width - chart_width
        picture = page.shapes.add_picture(
            io.BytesIO(slide.chart), left, top, width=chart_width, height=Emu(chart_height)
        )
        properties = picture._element.nvPicPr.cNvPr
        properties.set("descr", slide.chart_alt)
        properties.set("title", slide.chart_alt[:100])
        text_width = Cm(16)
    if any(columns):
        width = text_width if len(columns) == 1 else Cm(15)
        size = 16 if slide.figures else 18
        for index, column in enumerate(columns):
            box = page.shapes.add_textbox(Cm(1.5) + index * Cm(15.5), top, width, Cm(17) - top)
            box.text_frame.word_wrap = True
            _bullets(box.text_frame, column, size)
    _footer(page, deck, slide, number)
    _notes(page, slide)


def _notes(page, slide: Slide) -> None:
    if slide.notes:
        page.notes_slide.notes_text_frame.text = keep_place_names(slide.notes)


def _properties(prs, deck: Deck) -> None:
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    core = prs.core_properties
    core.title = deck.title if not deck.subtitle else f"{deck.title}: {deck.subtitle}"
    core.subject = deck.kind
    core.author = deck.organisation
    core.last_modified_by = deck.organisation
    core.created = now
    core.modified = now
    core.revision = 1
    core.keywords = ""
    core.comments = ""
    core.category = deck.kind
    core.language = "nl-NL"
    core.content_status = deck.status


def _language(prs) -> None:
    """nl-NL on every run, so PowerPoint checks the spelling as Dutch."""
    for slide in prs.slides:
        for part in (slide, slide.notes_slide) if slide.has_notes_slide else (slide,):
            for shape in part.shapes:
                if not shape.has_text_frame:
                    continue
                for paragraph in shape.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run._r.get_or_add_rPr().set("lang", "nl-NL")


def write_slides_pptx(deck: Deck) -> bytes:
    from pptx import Presentation
    from pptx.util import Cm

    prs = Presentation()
    prs.slide_width, prs.slide_height = Cm(WIDTH_CM), Cm(HEIGHT_CM)
    _properties(prs, deck)
    for number, slide in enumerate(deck.slides, start=1):
        if number == 1:
            _title_slide(prs, deck, slide)
            _notes(prs.slides[-1], slide)
        else:
            _content_slide(prs, deck, slide, number)
    _language(prs)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
