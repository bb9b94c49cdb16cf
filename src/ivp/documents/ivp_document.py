"""The integraal veiligheidsplan (step 4): the council-ready document in the seven chapters
of the handbook — uitgangssituatie, strategische doelstelling, strategische uitgangspunten,
prioriteiten, overige strategische thema's, coördinatie en beleidscyclus, begroting.

Built from the plan's content as JSON (``beleidsplan.content.plan_content``, format
``ivp-plan/1``), never from the tables directly, because a version frozen when the council
adopted it (``PlanVersie.inhoud``) holds exactly that JSON and must give the same document
years later. Confidential priorities, clusters and chapters are left out of the public
version; a text nobody has written yet is printed as a visible placeholder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any

from ivp.documents.docx_writer import dutch_date
from ivp.documents.model import BulletList, Document, Paragraph, Section, Table

KIND = "Integraal Veiligheidsplan"
PLACEHOLDER = "Nog niet ingevuld."
NO_VALUE = "nog te bepalen"
CONFIDENTIAL_NOTE = "Vertrouwelijk: dit onderdeel staat niet in de openbare versie van het plan."

#: The chapters of the IVP in the handbook's order (step 4).
CHAPTERS: Mapping[int, str] = {
    1: "Uitgangssituatie",
    2: "Strategische doelstelling",
    3: "Strategische uitgangspunten",
    4: "Prioriteiten",
    5: "Overige strategische thema's",
    6: "Coördinatie en beleidscyclus",
    7: "Begroting",
}
PRIORITY_PARTS = (
    ("why", "Waarom een prioriteit"),
    ("approach", "Hoofdlijnen van de aanpak"),
    ("flanking", "Flankerend beleid"),
    ("goal", "Doelstelling"),
)
CLUSTER_PARTS = (
    ("why", "Toelichting"),
    ("approach", "Hoofdlijnen van de aanpak"),
    ("flanking", "Flankerend beleid"),
    ("goal", "Doelstelling"),
)
INDICATOR_COLUMNS = ("Indicator", "Bron", "Uitgangswaarde", "Doelstelling")
SOURCES = {
    "politie": "Politie",
    "veiligheidsmonitor": "Veiligheidsmonitor",
    "gemeente": "Gemeente",
    "anders": "Anders",
}
UNITS = {
    "aantal": "aantal",
    "per_1000_inwoners": "per 1.000 inwoners",
    "per_1000_woningen": "per 1.000 woningen",
    "procent": "%",
    "rapportcijfer": "rapportcijfer",
}
DIRECTIONS = {"<=": "≤", ">=": "≥"}
MAX_PRIORITIES = 4


# -- numbers and dates the Dutch way -----------------------------------------------------


def dutch_number(value: float) -> str:
    """8.2 → "8,2"; 1259 → "1.259"; 6.75 → "6,75" (at most two decimals)."""
    value = float(value)
    text = f"{int(value):,}" if value.is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    text = text.translate(str.maketrans({",": ".", ".": ","}))
    return text.replace("-", "\N{MINUS SIGN}")


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def status_text(info: Mapping[str, Any]) -> str:
    """ "Concept", or "Vastgesteld door de raad op 15 mei 2027"."""
    if info.get("status") == "vastgesteld":
        adopted = _as_date(info.get("adopted_on"))
        return f"Vastgesteld door de raad op {dutch_date(adopted)}" if adopted else "Vastgesteld"
    return "Concept"


# -- the catalogue -----------------------------------------------------------------------


@cache
def _titles() -> tuple[dict[str, str], dict[str, str]]:
    from ivp.catalogue.content_loader import shipped_catalogue

    catalogue = shipped_catalogue()
    return (
        {t.code: t.titel for t in catalogue.themas},
        {t.code: t.titel for t in catalogue.strategische_themas},
    )


def theme_label(code: str) -> str:
    """ "1.3 Objectieve veiligheid/…" (the code alone if the catalogue does not know it)."""
    title = _titles()[0].get(code)
    return f"{code} {title}" if title else code


def strategic_label(code: str) -> str:
    return _titles()[1].get(code, code)


# -- blocks ----------------------------------------------------------------------------


BULLETS = ("- ", "* ", "• ", "– ")


def text_blocks(text: str | None, placeholder: str = PLACEHOLDER) -> list:
    """A user's text as blocks: blank lines separate paragraphs, lines starting with "- "
    form a bulleted list; an empty text gives the placeholder in note style."""
    blocks: list = []
    for part in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines: list[str] = []
        items: list[str] = []
        for line in part.split("\n"):
            stripped = line.strip()
            if not stripped:
                continue
            if stripped.startswith(BULLETS):
                if lines:
                    blocks.append(Paragraph("\n".join(lines)))
                    lines = []
                items.append(stripped[2:].strip())
            else:
                if items:
                    blocks.append(BulletList(tuple(items)))
                    items = []
                lines.append(stripped)
        if lines:
            blocks.append(Paragraph("\n".join(lines)))
        if items:
            blocks.append(BulletList(tuple(items)))
    return blocks or [Paragraph(placeholder, "note")]


def _field(item: Mapping[str, Any], *names: str) -> str:
    """The first of ``names`` that ``item`` has (the stored JSON uses Dutch keys in places:
    a red thread is {"titel", "tekst"})."""
    for name in names:
        value = item.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _indicator_name(ind: Mapping[str, Any]) -> str:
    name = (ind.get("name") or "").strip() or "(zonder naam)"
    unit = UNITS.get(ind.get("unit") or "", "")
    if unit and unit != "%" and unit.lower() not in name.lower():
        return f"{name} ({unit})"
    return name


_TABLE_ID = re.compile(r"\b\d{5}[A-Z]{3}\b")
SOURCE_CELL_MAX = 40


def _indicator_source(ind: Mapping[str, Any]) -> str:
    """The source in a few words ("CBS / Politie (47018NED)"); the full note of where a
    baseline came from is listed under Bronnen."""
    source = ind.get("source") or ""
    label = "CBS / Politie" if source == "politie" else SOURCES.get(source, source or "—")
    note = (ind.get("source_note") or "").strip()
    if not note:
        return label
    tables = list(dict.fromkeys(_TABLE_ID.findall(note)))
    if tables:
        return f"{label} ({tables[0]})"
    if len(note) > SOURCE_CELL_MAX:
        note = note[:SOURCE_CELL_MAX].rsplit(" ", 1)[0].rstrip(",;:(") + " …"
    return note if source == "anders" else f"{label} ({note})"


def _value(ind: Mapping[str, Any], key: str) -> str:
    value = ind.get(key)
    if value is None:
        return ""
    suffix = "%" if ind.get("unit") == "procent" else ""
    return f"{dutch_number(value)}{suffix}"


def baseline_text(ind: Mapping[str, Any]) -> str:
    """ "8,2 (2017)"."""
    value = _value(ind, "baseline")
    if not value:
        return NO_VALUE
    year = ind.get("baseline_year")
    return f"{value} ({year})" if year else value


def target_text(ind: Mapping[str, Any]) -> str:
    """ "≤ 6,5 in 2030"."""
    value = _value(ind, "target")
    if not value:
        return NO_VALUE
    sign = DIRECTIONS.get(ind.get("direction") or "", "")
    text = f"{sign} {value}" if sign else value
    year = ind.get("target_year")
    return f"{text} in {year}" if year else text


def indicator_table(indicators: Sequence[Mapping[str, Any]], caption: str = "") -> Table:
    ordered = sorted(indicators, key=lambda i: i.get("order") or 0)
    return Table(
        columns=INDICATOR_COLUMNS,
        rows=tuple(
            (_indicator_name(i), _indicator_source(i), baseline_text(i), target_text(i))
            for i in ordered
        ),
        caption=caption,
        source="Uitgangswaarde: de gemeten waarde in het genoemde jaar. Doelstelling: de waarde "
        "die in het streefjaar ten hoogste (≤) of ten minste (≥) wordt nagestreefd.",
        widths=(6.0, 3.0, 2.6, 2.8),
    )


# -- chapters ----------------------------------------------------------------------------


def _strategic_blocks(chapter: Mapping[str, Any]) -> list:
    codes = [c for c in chapter.get("strategic_themes") or [] if c]
    if not codes:
        return []
    return [
        Paragraph("Doorsnijdende strategische thema's in dit hoofdstuk:"),
        BulletList(tuple(strategic_label(c) for c in codes)),
    ]


def _themes_line(codes: Iterable[str]) -> str:
    labels = [theme_label(c) for c in codes]
    if not labels:
        return "Thema's: nog niet gekozen."
    return ("Thema: " if len(labels) == 1 else "Thema's: ") + "; ".join(labels) + "."


def _part_section(
    part: Mapping[str, Any],
    number: str,
    parts: Sequence[tuple[str, str]],
    *,
    is_priority: bool,
    public: bool,
) -> Section:
    section = Section(part.get("title") or "(zonder titel)", number=number)
    if part.get("confidential") and not public:
        section.blocks.append(Paragraph(CONFIDENTIAL_NOTE, "note"))
    section.blocks.append(Paragraph(_themes_line(part.get("themes") or [])))
    accents = [a for a in part.get("accents") or [] if str(a).strip()]
    if accents:
        section.blocks += [Paragraph("Accenten:"), BulletList(tuple(str(a) for a in accents))]
    indicators = list(part.get("indicators") or [])
    missing: list[str] = []
    index = 0
    for key, title in parts:
        text = (part.get(key) or "").strip()
        if not is_priority and not text:
            # An ongoing theme is shorter: its empty parts are named in one line.
            if key != "flanking":
                missing.append(title.lower())
            continue
        index += 1
        sub = Section(title, text_blocks(text), number=f"{number}.{index}")
        if key == "goal":
            if indicators:
                sub.blocks.append(
                    indicator_table(indicators, f"Effectindicatoren {part.get('title', '')}")
                )
            elif is_priority:
                sub.blocks.append(Paragraph("Nog geen effectindicatoren vastgelegd.", "note"))
        section.subsections.append(sub)
    if missing:
        section.blocks.append(Paragraph(f"Nog niet ingevuld: {', '.join(missing)}.", "note"))
    if not is_priority and indicators and not (part.get("goal") or "").strip():
        section.blocks.append(
            indicator_table(indicators, f"Effectindicatoren {part.get('title', '')}")
        )
    return section


def _chapter_intro(chapter: Mapping[str, Any], public: bool) -> list:
    blocks: list = []
    if chapter.get("confidential") and not public:
        blocks.append(Paragraph(CONFIDENTIAL_NOTE, "note"))
    return blocks


def _chapter(
    number: int,
    chapter: Mapping[str, Any],
    content: Mapping[str, Any],
    public: bool,
) -> Section:
    section = Section(
        CHAPTERS[number],
        _chapter_intro(chapter, public),
        confidential=bool(chapter.get("confidential")),
        number=str(number),
    )
    text = chapter.get("text") or ""
    if number == 4:
        priorities = _visible(content.get("priorities"), public)
        if text.strip():
            section.blocks += text_blocks(text)
        if priorities:
            names = "; ".join(p.get("title") or "(zonder titel)" for p in priorities)
            count = len(priorities)
            section.blocks.append(
                Paragraph(
                    f"Dit plan kent {count} {'prioriteit' if count == 1 else 'prioriteiten'}: "
                    f"{names}."
                )
            )
            reasons = [
                p.get("reason_over_maximum", "").strip()
                for p in priorities
                if (p.get("reason_over_maximum") or "").strip()
            ]
            if count > MAX_PRIORITIES and reasons:
                section.blocks.append(
                    Paragraph(
                        "De methode vraagt om drie à vier prioriteiten. Reden voor meer: "
                        + " ".join(dict.fromkeys(reasons))
                    )
                )
        elif not text.strip():
            section.blocks.append(Paragraph("Nog geen prioriteiten vastgelegd.", "note"))
        section.blocks += _strategic_blocks(chapter)
        section.subsections = [
            _part_section(p, f"4.{i}", PRIORITY_PARTS, is_priority=True, public=public)
            for i, p in enumerate(priorities, start=1)
        ]
        return section
    if number == 5:
        clusters = _visible(content.get("ongoing"), public)
        if text.strip():
            section.blocks += text_blocks(text)
        elif not clusters:
            section.blocks.append(Paragraph(PLACEHOLDER, "note"))
        section.blocks += _strategic_blocks(chapter)
        section.subsections = [
            _part_section(c, f"5.{i}", CLUSTER_PARTS, is_priority=False, public=public)
            for i, c in enumerate(clusters, start=1)
        ]
        return section
    section.blocks += text_blocks(text)
    if number == 2:
        indicators = list(content.get("indicators") or [])
        if indicators:
            section.blocks.append(
                indicator_table(indicators, "Overkoepelende effectindicatoren van het plan")
            )
        else:
            section.blocks.append(
                Paragraph("Nog geen overkoepelende effectindicatoren vastgelegd.", "note")
            )
    section.blocks += _strategic_blocks(chapter)
    if number == 3:
        threads = [t for t in chapter.get("red_threads") or [] if isinstance(t, Mapping)]
        section.subsections = [
            Section(
                _field(t, "title", "titel") or "(zonder titel)",
                text_blocks(_field(t, "text", "tekst")),
                number=f"3.{i}",
            )
            for i, t in enumerate(threads, start=1)
        ]
    return section


def _visible(parts: Iterable[Mapping[str, Any]] | None, public: bool) -> list[Mapping[str, Any]]:
    ordered = sorted(parts or [], key=lambda p: p.get("order") or 0)
    return [p for p in ordered if not (public and p.get("confidential"))]


def _all_indicators(content: Mapping[str, Any], public: bool) -> list[Mapping[str, Any]]:
    chapters = {c.get("number"): c for c in content.get("chapters") or []}
    found = []
    if not (public and chapters.get(2, {}).get("confidential")):
        found += list(content.get("indicators") or [])
    for key, number in (("priorities", 4), ("ongoing", 5)):
        if public and chapters.get(number, {}).get("confidential"):
            continue
        for part in _visible(content.get(key), public):
            found += list(part.get("indicators") or [])
    return found


def _sources_section(content: Mapping[str, Any], public: bool) -> Section:
    indicators = _all_indicators(content, public)
    kinds = {i.get("source") for i in indicators}
    items = [
        "Methode: VNG, Kernbeleid Veiligheid (handreiking, 2021); de thema's en velden volgen "
        "de themabibliotheek van die methode.",
    ]
    if "politie" in kinds:
        items.append(
            "Politiecijfers (geregistreerde criminaliteit): open data van de politie via CBS "
            "StatLine (onder meer tabel 47018NED), licentie CC BY 4.0; bronvermelding ‘Bron: "
            "CBS / Politie’."
        )
    if "veiligheidsmonitor" in kinds:
        items.append("Enquêtecijfers: Veiligheidsmonitor (CBS en gemeenten).")
    if "gemeente" in kinds:
        items.append("Eigen registraties van de gemeente, zoals bij de indicator vermeld.")
    notes = list(
        dict.fromkeys(
            (i.get("source_note") or "").strip() for i in indicators if i.get("source_note")
        )
    )
    items += [f"Herkomst uitgangswaarden: {note}" for note in notes]
    return Section("Bronnen", [BulletList(tuple(items))], number="")


def _has_confidential(content: Mapping[str, Any]) -> bool:
    return any(
        part.get("confidential")
        for key in ("chapters", "priorities", "ongoing")
        for part in content.get(key) or []
    )


def build_ivp_from_content(content: Mapping[str, Any], *, public: bool) -> Document:
    """The IVP from a plan's content (``ivp-plan/1``). ``public`` leaves out the
    confidential chapters, priorities and clusters; the internal version marks them."""
    info = content.get("plan") or {}
    names = [m.get("name") or m.get("code") or "" for m in info.get("municipalities") or []]
    joined = ", ".join(n for n in names if n) or "(geen gemeente)"
    period = info.get("period") or [None, None]
    period_text = f"{period[0]}–{period[1]}" if period and period[0] else ""
    chapters = {c.get("number"): c for c in content.get("chapters") or []}
    sections = [_chapter(n, chapters.get(n, {}), content, public) for n in CHAPTERS]
    if public:
        sections = [s for s in sections if not s.confidential]
    sections.append(_sources_section(content, public))

    status = status_text(info)
    if not public and _has_confidential(content):
        status += " · interne versie"
    adopted = _as_date(info.get("adopted_on")) if info.get("status") == "vastgesteld" else None
    version = info.get("version")
    document = Document(
        title=info.get("title") or KIND,
        subtitle=f"Planperiode {period_text}" if period_text else "",
        organisation=f"Gemeente {joined}" if len(names) <= 1 else f"Gemeenten {joined}",
        kind=KIND,
        status=status,
        version=f"versie {version}" if version else "",
        date=adopted or _as_date(content.get("exported_at")) or date.today(),
        sections=sections,
        new_page_per_chapter=True,
        toc_depth=2,
    )
    return document.public() if public else document


def build_ivp(plan, *, public: bool = False, content: Mapping[str, Any] | None = None) -> Document:
    """The IVP of ``plan`` from its live content, or from ``content`` (a frozen version's
    ``PlanVersie.inhoud``)."""
    from ivp.beleidsplan.content import plan_content

    return build_ivp_from_content(content or plan_content(plan), public=public)
