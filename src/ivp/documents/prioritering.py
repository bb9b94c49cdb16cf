"""The council session of step 3 (prioritering): a handout and slides with the working
group's proposal — per proposed priority its themes, why it is proposed and the key figures
of the veiligheidsbeeld — then the ongoing themes and the table of contents of the IVP that
results.

The proposal comes from the plan's content (``beleidsplan.content.plan_content``, the same
JSON the IVP is built from); the figures from ``veiligheidsanalyse.services.veiligheidsbeeld``
(the same the pages, the analysis report and ``ivp analyse`` show). Where no figures can be
built the documents say so instead of failing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ivp.analysis import veiligheidsbeeld as vb
from ivp.documents.analyserapport import (
    DASH,
    number,
    percent,
    rate,
    sources_line,
    times,
)
from ivp.documents.ivp_document import (
    CHAPTERS,
    MAX_PRIORITIES,
    PLACEHOLDER,
    _visible,
    text_blocks,
    theme_label,
)
from ivp.documents.model import BulletList, DefinitionList, Document, Paragraph, Section, Table
from ivp.documents.slides_writer import Deck, Item, KeyFigure, Slide

TITLE = "Prioritering — voorstel voor de raad"
SLIDES_TITLE = "Prioritering"
KIND = "Raadsinformatie stap 3"
MAX_FIGURES = 5
WHY_ON_SLIDE = 260  # characters of the working group's text on a slide


# -- the figures -----------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeFigures:
    """The key figures of one theme in one gemeente, in the reference year."""

    code: str
    title: str
    year: int
    has_data: bool
    count: float | None = None
    rate: float | None = None
    rate_label: str = "per 1.000 inwoners"
    change_percent: float | None = None
    change_verdict: str = ""
    ratio: float | None = None  # to the median of comparable gemeenten
    rank: int | None = None
    of: int | None = None
    score: int | None = None
    proposed: bool = False
    summary: str = ""
    note: str = ""
    sources: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}"


def theme_figures(picture: vb.Veiligheidsbeeld, code: str) -> ThemeFigures:
    theme = picture.theme(code)
    if theme is None:
        return ThemeFigures(code, theme_label(code).removeprefix(f"{code} "), picture.year, False)
    series = theme.total
    ev = series.evidence
    if not series.has_data or ev is None:
        missing = series.missing_categories
        note = "geen politiecijfers in ivp" + (
            f" (ontbrekende categorieën: {', '.join(missing)})" if missing else ""
        )
        return ThemeFigures(code, theme.title, picture.year, False, note=note)
    group = ev.benchmark.group(vb.SIZE_CLASS) if ev.benchmark else None
    candidate = series.candidate
    return ThemeFigures(
        code=code,
        title=theme.title,
        year=picture.year,
        has_data=True,
        count=ev.count,
        rate=ev.rate,
        rate_label=ev.rate_label,
        change_percent=ev.change.vs_previous.percent,
        change_verdict=ev.change.vs_previous.verdict,
        ratio=group.ratio_to_median if group else None,
        rank=group.rank if group else None,
        of=group.of if group else None,
        score=candidate.score if candidate else None,
        proposed=series.proposed,
        summary=candidate.summary if candidate else "",
        sources=tuple(series.sources),
    )


@dataclass
class AreaFigures:
    """One gemeente of the plan with its veiligheidsbeeld, or why there is none."""

    code: str
    name: str
    picture: vb.Veiligheidsbeeld | None
    problem: str = ""


def plan_areas(plan, year: int | None = None) -> list[AreaFigures]:
    """The veiligheidsbeeld of each gemeente of the plan in its reference year (or
    ``year``)."""
    from ivp.veiligheidsanalyse import services

    areas = []
    for code, name in services.plan_gemeenten(plan):
        try:
            areas.append(AreaFigures(code, name, services.veiligheidsbeeld(plan, code, year)))
        except (vb.NoData, vb.UnknownArea) as error:
            areas.append(AreaFigures(code, name, None, str(error)))
    if not areas:
        areas.append(AreaFigures("", "", None, "Dit plan heeft geen gemeente."))
    return areas


def _no_figures(area: AreaFigures) -> str:
    who = f" van {area.name}" if area.name else ""
    reason = area.problem.strip() or "Er zijn geen cijfers in ivp geladen."
    return f"Geen cijfers{who} beschikbaar: {reason}"


def _ratio_text(figures: ThemeFigures) -> str:
    if figures.ratio is None:
        return DASH
    text = times(figures.ratio)
    if figures.rank is not None and figures.of:
        text += f" (plaats {figures.rank}/{figures.of})"
    return text


def _change_text(figures: ThemeFigures) -> str:
    if figures.change_percent is None:
        return DASH
    return percent(figures.change_percent)


# -- the handout -----------------------------------------------------------------------


def _figures_blocks(part: Mapping[str, Any], areas: Sequence[AreaFigures]) -> list:
    codes = list(part.get("themes") or [])
    blocks: list = []
    if not codes:
        return [Paragraph("Nog geen thema's gekozen: er zijn geen cijfers te tonen.", "note")]
    for area in areas:
        of = f", {area.name}" if len(areas) > 1 else ""
        picture = area.picture
        if picture is None:
            blocks.append(Paragraph(_no_figures(area), "note"))
            continue
        year = picture.year
        figures = [theme_figures(picture, c) for c in codes]
        blocks.append(
            Table(
                columns=(
                    "Thema",
                    f"Aantal {year}",
                    "Per 1.000 inw.",
                    f"t.o.v. {year - 1}",
                    "Oordeel verandering",
                    "t.o.v. mediaan vergelijkbare gemeenten",
                ),
                rows=tuple(
                    (
                        f.label,
                        number(f.count) if f.has_data else DASH,
                        rate(f.rate) if f.has_data else DASH,
                        _change_text(f),
                        f.change_verdict or ("geen politiecijfers" if not f.has_data else DASH),
                        _ratio_text(f),
                    )
                    for f in figures
                ),
                caption=f"Kerncijfers {part.get('title', '')}{of}, peiljaar {year}",
                source=sources_line(picture, [k for f in figures for k in f.sources])
                + " Geregistreerde misdrijven (som van de categorieën met dit thema als "
                "hoofdthema). Vergelijkbare gemeenten: de CBS-grootteklasse; verhouding tot de "
                "mediaan, plaats 1 = hoogste.",
                numeric_columns=frozenset({1, 2, 3, 5}),
                widths=(4.6, 1.5, 1.4, 1.4, 3.1, 2.6),
            )
        )
        without = [f"{f.label}: {f.note}" for f in figures if not f.has_data]
        if without:
            blocks.append(
                Paragraph(
                    "Zonder cijfers in ivp: "
                    + "; ".join(without)
                    + ". Bronnen voor deze thema's staan in de veiligheidsanalyse.",
                    "note",
                )
            )
        reasons = [
            f"{f.label}: {f.summary} (score {f.score}"
            + (", mogelijke prioriteit volgens de rekenregels)" if f.proposed else ")")
            for f in figures
            if f.has_data and f.summary
        ]
        if reasons:
            blocks += [Paragraph("Wat de cijfers laten zien:"), BulletList(tuple(reasons))]
        elif any(f.has_data for f in figures):
            blocks.append(
                Paragraph(
                    "De rekenregels van ivp geven bij deze thema's geen bijzondere redenen "
                    "(hoog niveau, stijging of reeks van verslechteringen).",
                    "note",
                )
            )
    return blocks


def _priority_section(part: Mapping[str, Any], areas: Sequence[AreaFigures], public: bool):
    section = Section(
        part.get("title") or "(zonder titel)", confidential=bool(part.get("confidential"))
    )
    if part.get("confidential") and not public:
        section.blocks.append(
            Paragraph("Vertrouwelijk: dit onderdeel staat niet in de openbare versie.", "note")
        )
    themes = [theme_label(c) for c in part.get("themes") or []]
    items = [("Thema's", "; ".join(themes) or "nog niet gekozen")]
    accents = [str(a) for a in part.get("accents") or [] if str(a).strip()]
    if accents:
        items.append(("Accenten", "; ".join(accents)))
    section.blocks.append(DefinitionList(tuple(items)))
    section.subsections = [
        Section("Waarom een prioriteit", text_blocks(part.get("why"))),
        Section("Kerncijfers", _figures_blocks(part, areas)),
    ]
    return section


def _ongoing_section(content: Mapping[str, Any], public: bool) -> Section:
    clusters = _visible(content.get("ongoing"), public)
    section = Section("Overige strategische thema's")
    section.blocks.append(
        Paragraph(
            "De thema's die geen prioriteit worden, krijgen de reguliere aanpak. In het IVP "
            "staan ze in hoofdstuk 5, gebundeld als volgt:"
        )
    )
    if clusters:
        section.blocks.append(
            DefinitionList(
                tuple(
                    (
                        (c.get("title") or "(zonder titel)")
                        + (" (vertrouwelijk)" if c.get("confidential") else ""),
                        "; ".join(theme_label(t) for t in c.get("themes") or [])
                        or "nog geen thema's",
                    )
                    for c in clusters
                )
            )
        )
    else:
        section.blocks.append(Paragraph("Nog geen overige thema's gebundeld.", "note"))
    unplaced = _unplaced(content)
    if unplaced:
        section.blocks.append(
            Paragraph(
                "Nog niet ondergebracht bij een prioriteit of een overig thema: "
                + "; ".join(theme_label(c) for c in unplaced)
                + ".",
                "note",
            )
        )
    return section


def _unplaced(content: Mapping[str, Any]) -> list[str]:
    """Themes of the catalogue in no priority and no cluster. A confidential part's themes
    count as placed in a public document too: naming them would point at what was left out."""
    from ivp.catalogue.content_loader import shipped_catalogue

    placed = {
        code
        for key in ("priorities", "ongoing")
        for part in content.get(key) or []
        for code in part.get("themes") or []
    }
    return [t.code for t in shipped_catalogue().themas if t.code not in placed]


def toc_lines(content: Mapping[str, Any], public: bool) -> list[tuple[int, str]]:
    """The chapters of the resulting IVP with the priorities under 4 and the clusters
    under 5: (level, text)."""
    chapters = {c.get("number"): c for c in content.get("chapters") or []}
    lines: list[tuple[int, str]] = []
    for n, title in CHAPTERS.items():
        if public and chapters.get(n, {}).get("confidential"):
            continue
        lines.append((0, f"{n} {title}"))
        key = {4: "priorities", 5: "ongoing"}.get(n)
        if key:
            for i, part in enumerate(_visible(content.get(key), public), start=1):
                lines.append((1, f"{n}.{i} {part.get('title') or '(zonder titel)'}"))
    return lines


CHAPTER_CONTENTS = {
    1: "De veiligheidssituatie nu, uit de veiligheidsanalyse",
    2: "Waar de gemeente aan het eind van de planperiode wil staan, met overkoepelende "
    "effectindicatoren",
    3: "De rode draden die in de hele aanpak terugkomen",
    6: "Regie, overleg en de jaarlijkse cyclus van uitvoeringsplan en verantwoording",
    7: "De middelen voor de uitvoering",
}


def _toc_section(content: Mapping[str, Any], public: bool) -> Section:
    rows = []
    current: list[str] = []
    for level, text in [*toc_lines(content, public), (0, "")]:
        if level == 0:
            if rows and current:
                rows[-1] = (rows[-1][0], "; ".join(current))
            current = []
            if text:
                number = int(text.split(" ", 1)[0])
                rows.append((text, CHAPTER_CONTENTS.get(number, "nog geen onderdelen")))
        else:
            current.append(text)
    return Section(
        "Inhoud van het integraal veiligheidsplan",
        [
            Paragraph(
                "Met deze keuze krijgt het integraal veiligheidsplan de volgende opbouw "
                "(de hoofdstukken van de methode Kernbeleid Veiligheid):"
            ),
            Table(
                columns=("Hoofdstuk", "Inhoud"),
                rows=tuple(rows),
                caption="Opbouw van het IVP",
                source="Hoofdstukken: VNG, Kernbeleid Veiligheid (2021); prioriteiten en "
                "clusters: voorstel van de werkgroep.",
                widths=(4.5, 10.5),
            ),
        ],
    )


def _intro_section(content, areas: Sequence[AreaFigures], priorities) -> Section:
    info = content.get("plan") or {}
    names = ", ".join(a.name for a in areas if a.name) or "(geen gemeente)"
    years = sorted({a.picture.year for a in areas if a.picture})
    count = len(priorities)
    section = Section("Voorstel")
    section.blocks.append(
        Paragraph(
            "De methode Kernbeleid Veiligheid vraagt de raad om uit de veiligheidsanalyse drie "
            "à vier prioriteiten te kiezen: de thema's waar de komende periode extra inzet "
            "naartoe gaat. De overige thema's houden hun reguliere aanpak. De werkgroep stelt "
            f"voor om {count} {'prioriteit' if count == 1 else 'prioriteiten'} te kiezen:"
            if count
            else "De methode Kernbeleid Veiligheid vraagt de raad om uit de veiligheidsanalyse "
            "drie à vier prioriteiten te kiezen. De werkgroep heeft nog geen prioriteiten "
            "voorgesteld."
        )
    )
    if priorities:
        section.blocks.append(
            BulletList(
                tuple(
                    f"{p.get('title') or '(zonder titel)'} ("
                    + (", ".join(p.get("themes") or []) or "nog geen thema's")
                    + ")"
                    for p in priorities
                )
            )
        )
    if count > MAX_PRIORITIES:
        reasons = [
            (p.get("reason_over_maximum") or "").strip()
            for p in priorities
            if (p.get("reason_over_maximum") or "").strip()
        ]
        section.blocks.append(
            Paragraph(
                f"Dat is meer dan het maximum van {MAX_PRIORITIES} van de methode. "
                + (" ".join(dict.fromkeys(reasons)) if reasons else PLACEHOLDER),
            )
        )
    period = info.get("period") or [None, None]
    section.blocks.append(
        DefinitionList(
            (
                ("Plan", info.get("title") or ""),
                ("Gemeente" if len(areas) == 1 else "Gemeenten", names),
                ("Planperiode", f"{period[0]}–{period[1]}" if period[0] else "—"),
                (
                    "Peiljaar cijfers",
                    ", ".join(str(y) for y in years) if years else "geen cijfers beschikbaar",
                ),
            )
        )
    )
    for area in areas:
        if area.picture is None:
            section.blocks.append(Paragraph(_no_figures(area), "note"))
    return section


def _sources_section(areas: Sequence[AreaFigures]) -> Section:
    items = [
        "Methode: VNG, Kernbeleid Veiligheid (handreiking, 2021), stap 3 Prioritering.",
        "Politiecijfers: open data van de politie via CBS StatLine (47018NED, 47025NED), "
        "CC BY 4.0, ‘Bron: CBS / Politie’. Inwoners: CBS, CC BY 4.0. Berekeningen "
        "(cijfers per 1.000, toetsen, vergelijking, redenen) door ivp; alle cijfers en de "
        "rekenregels staan in de veiligheidsanalyse.",
    ]
    if any(a.picture is None for a in areas):
        items.append("Voor een of meer gemeenten waren geen cijfers beschikbaar (zie boven).")
    return Section("Bronnen", [BulletList(tuple(items))])


def _status(content: Mapping[str, Any], public: bool) -> str:
    confidential = any(p.get("confidential") for p in content.get("priorities") or [])
    return "Voorstel van de werkgroep" + ("" if public or not confidential else " · interne versie")


def _organisation(areas: Sequence[AreaFigures]) -> str:
    names = ", ".join(a.name for a in areas if a.name) or "(geen gemeente)"
    return f"Gemeente {names}" if len(areas) <= 1 else f"Gemeenten {names}"


def build_prioritering_from(
    content: Mapping[str, Any], areas: Sequence[AreaFigures], *, public: bool
) -> Document:
    info = content.get("plan") or {}
    priorities = _visible(content.get("priorities"), public)
    sections = [_intro_section(content, areas, priorities)]
    sections += [_priority_section(p, areas, public) for p in priorities]
    sections += [
        _ongoing_section(content, public),
        _toc_section(content, public),
        _sources_section(areas),
    ]
    document = Document(
        title=TITLE,
        subtitle=info.get("title") or "",
        organisation=_organisation(areas),
        kind=KIND,
        status=_status(content, public),
        version=f"versie {info['version']}" if info.get("version") else "",
        date=date.today(),
        sections=sections,
    )
    return document.public() if public else document


def build_prioritering(
    plan,
    *,
    public: bool = False,
    content: Mapping[str, Any] | None = None,
    year: int | None = None,
) -> Document:
    """From the plan's live content (or a frozen version's ``content``) and the figures of
    its reference year (or ``year``)."""
    from ivp.beleidsplan.content import plan_content

    areas = plan_areas(plan, year)
    return build_prioritering_from(content or plan_content(plan), areas, public=public)


# -- the slides ------------------------------------------------------------------------


def key_figures(figures: Sequence[ThemeFigures]) -> tuple[KeyFigure, ...]:
    """3–5 key figures: with one theme its count, rate, change and comparison; with two,
    per theme rate and change; with more, per theme its rate (change and comparison in the
    note), at most five themes."""
    shown = [f for f in figures if f.has_data]
    result: list[KeyFigure] = []

    def change_note(f: ThemeFigures) -> str:
        return f"{_change_text(f)} t.o.v. {f.year - 1}: {f.change_verdict}"

    def ratio_note(f: ThemeFigures) -> str:
        return "" if f.ratio is None else f"{times(f.ratio)} de mediaan van vergelijkbare gemeenten"

    if len(shown) == 1:
        f = shown[0]
        result.append(KeyFigure(number(f.count), f"misdrijven in {f.year}", f"thema {f.code}"))
        result.append(KeyFigure(rate(f.rate), f.rate_label, f"thema {f.code}, {f.year}"))
        result.append(KeyFigure(_change_text(f), f"t.o.v. {f.year - 1}", f.change_verdict))
        if f.ratio is not None:
            result.append(
                KeyFigure(
                    times(f.ratio),
                    "de mediaan van vergelijkbare gemeenten",
                    f"plaats {f.rank} van {f.of}" if f.rank is not None else "",
                )
            )
    elif len(shown) == 2:
        for f in shown:
            result.append(
                KeyFigure(rate(f.rate), f"{f.rate_label} · thema {f.code}, {f.year}", ratio_note(f))
            )
            result.append(
                KeyFigure(_change_text(f), f"thema {f.code} t.o.v. {f.year - 1}", f.change_verdict)
            )
    else:
        for f in shown[:MAX_FIGURES]:
            note = "; ".join(x for x in (change_note(f), ratio_note(f)) if x)
            result.append(KeyFigure(rate(f.rate), f"{f.rate_label} · thema {f.code}", note))
    return tuple(result)


def _short(text: str, limit: int = WHY_ON_SLIDE) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return f"{cut} …"


def _priority_slide(part: Mapping[str, Any], areas: Sequence[AreaFigures]) -> Slide:
    codes = list(part.get("themes") or [])
    slide = Slide(
        title=part.get("title") or "(zonder titel)",
        subtitle="; ".join(theme_label(c) for c in codes) or "Nog geen thema's gekozen",
        confidential=bool(part.get("confidential")),
    )
    area = next((a for a in areas if a.picture is not None), None)
    items: list[Item] = []
    if area is None:
        items.append(Item(_no_figures(areas[0]) if areas else "Geen cijfers beschikbaar."))
    else:
        picture = area.picture
        assert picture is not None
        figures = [theme_figures(picture, c) for c in codes]
        slide.figures = key_figures(figures)
        if slide.figures:
            slide.source = (
                sources_line(picture, [k for f in figures for k in f.sources])
                + f" {area.name}, peiljaar {picture.year}."
            )
        for f in figures:
            if f.has_data and f.summary:
                items.append(Item(f"{f.code}: {f.summary}"))
            elif not f.has_data:
                items.append(Item(f"{f.code}: geen politiecijfers in ivp"))
    why = _short(part.get("why") or "")
    items.append(Item(f"Werkgroep: {why}" if why else f"Werkgroep: {PLACEHOLDER}"))
    slide.items_title = "Waarom"
    slide.items = tuple(items)
    return slide


def build_prioritering_slides_from(
    content: Mapping[str, Any], areas: Sequence[AreaFigures], *, public: bool
) -> Deck:
    info = content.get("plan") or {}
    priorities = _visible(content.get("priorities"), public)
    clusters = _visible(content.get("ongoing"), public)
    years = sorted({a.picture.year for a in areas if a.picture})
    title = Slide(
        title="Prioritering: voorstel voor de raad",
        subtitle=info.get("title") or "",
        items=(
            Item(
                f"De werkgroep stelt {len(priorities)} "
                f"{'prioriteit' if len(priorities) == 1 else 'prioriteiten'} voor"
                + (f" · cijfers peiljaar {', '.join(map(str, years))}" if years else "")
            ),
        ),
    )
    slides = [title]
    slides += [_priority_slide(p, areas) for p in priorities]
    ongoing_items: list[Item] = []
    for cluster in clusters:
        ongoing_items.append(
            Item(
                (cluster.get("title") or "(zonder titel)")
                + (" (vertrouwelijk)" if cluster.get("confidential") else "")
            )
        )
        ongoing_items += [Item(theme_label(t), 1) for t in cluster.get("themes") or []]
    slides.append(
        Slide(
            title="Overige strategische thema's",
            subtitle="Reguliere aanpak; in het IVP hoofdstuk 5",
            items=tuple(ongoing_items) or (Item("Nog geen overige thema's gebundeld."),),
            columns=2,
        )
    )
    slides.append(
        Slide(
            title="Inhoud van het integraal veiligheidsplan",
            items=tuple(Item(text, level) for level, text in toc_lines(content, public)),
            columns=2,
        )
    )
    deck = Deck(
        title=SLIDES_TITLE,
        subtitle=info.get("title") or "",
        organisation=_organisation(areas),
        kind=KIND,
        status=_status(content, public),
        date=date.today(),
        slides=slides,
    )
    return deck.public() if public else deck


def build_prioritering_slides(
    plan,
    *,
    public: bool = False,
    content: Mapping[str, Any] | None = None,
    year: int | None = None,
) -> Deck:
    """From the plan's live content (or a frozen version's ``content``) and the figures of
    its reference year (or ``year``)."""
    from ivp.beleidsplan.content import plan_content

    areas = plan_areas(plan, year)
    return build_prioritering_slides_from(content or plan_content(plan), areas, public=public)
