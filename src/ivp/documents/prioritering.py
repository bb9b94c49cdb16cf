"""The council session of step 3 (prioritering): a handout and slides with the working
group's proposal — per proposed priority its themes, why it is proposed and the key figures
of the veiligheidsbeeld — then the ongoing themes and the table of contents of the IVP that
results.

The proposal comes from the plan's content (``beleidsplan.content.plan_content``, the same
JSON the IVP is built from), with the working group's step-2 texts (the problem per theme and
the conclusion per field) beside the motivation written in step 3; the figures from
``veiligheidsanalyse.services.veiligheidsbeeld`` (the same the pages, the analysis report and
``ivp analyse`` show). Every comparison names its basis (gemeenten of the same size, the police
unit). The slides carry a chart per priority and speaker notes. Where no figures can be built
the documents say so instead of failing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ivp.analysis import veiligheidsbeeld as vb
from ivp.beleidsplan import outline as ol
from ivp.documents import charts
from ivp.documents.analyserapport import (
    DASH,
    _png,
    number,
    percent,
    rate,
    sources_line,
    times,
)
from ivp.documents.ivp_document import (
    GAP,
    MAX_PRIORITIES,
    text_blocks,
    theme_label,
)
from ivp.documents.model import (
    BulletList,
    DefinitionList,
    Document,
    Figure,
    Paragraph,
    Section,
    Table,
    inline,
    plain,
)
from ivp.documents.slides_writer import Deck, Item, KeyFigure, Slide

TITLE = "Prioritering — voorstel voor de raad"
SLIDES_TITLE = "Prioritering"
KIND = "Raadsinformatie stap 3"
MAX_FIGURES = 5
WHY_ON_SLIDE = 260  # characters of the working group's text on a slide
SAME_SIZE = "gemeenten van dezelfde omvang"


def _visible(parts, public: bool) -> list[Mapping[str, Any]]:
    return [p for p in ol.visible_parts(parts) if not (public and p.get("confidential"))]


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
    rates: tuple[tuple[str, float | None], ...] = ()
    median: tuple[tuple[str, float | None], ...] = ()
    national: tuple[tuple[str, float | None], ...] = ()

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
        note = "geen politiecijfers beschikbaar" + (
            f" (ontbrekende categorieën: {', '.join(missing)})" if missing else ""
        )
        return ThemeFigures(code, theme.title, picture.year, False, note=note)
    group = ev.benchmark.group(vb.SIZE_CLASS) if ev.benchmark else None
    candidate = series.candidate
    median = next((g.median for g in series.lines if g.name == f"mediaan {vb.SIZE_CLASS}"), {})
    national = next(
        (g.median for g in series.lines if g.kind == "referentie" and g.name == vb.NETHERLANDS),
        {},
    )
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
        rates=tuple(series.rates.items()),
        median=tuple(median.items()),
        national=tuple((y, v) for y, v in national.items() if v is not None),
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
    return f"Er zijn geen cijfers{who} beschikbaar."


def _ratio_text(figures: ThemeFigures) -> str:
    if figures.ratio is None:
        return DASH
    text = times(figures.ratio)
    if figures.rank is not None and figures.of:
        text += f" (plaats {figures.rank} van {figures.of})"
    return text


def _group_text(picture: vb.Veiligheidsbeeld) -> str:
    """ "gemeenten met 150.000 tot 250.000 inwoners (13 andere gemeenten)"."""
    for name, description, members in picture.groups:
        if name == vb.SIZE_CLASS:
            return f"{description[:1].lower()}{description[1:]} ({members} andere gemeenten)"
    return SAME_SIZE


def priority_chart(
    figures: Sequence[ThemeFigures], area: str, year: int
) -> tuple[bytes, str, str] | None:
    """One chart per priority: with one theme its rate against the median of gemeenten of
    the same size and the Netherlands; with more, the rate of each theme (at most three).
    Returns (png, caption, text alternative)."""
    shown = [f for f in figures if f.has_data and any(v is not None for _y, v in f.rates)]
    if not shown:
        return None
    styles = ("own", "group", "national")
    if len(shown) == 1:
        f = shown[0]
        lines = [charts.Line(area, dict(f.rates), style="own")]
        if f.median:
            lines.append(charts.Line(f"mediaan {SAME_SIZE}", dict(f.median), style="group"))
        if f.national:
            lines.append(charts.Line("Nederland", dict(f.national), style="national"))
        what = f"{f.label}: {area} vergeleken met de mediaan van {SAME_SIZE}" + (
            " en Nederland" if f.national else ""
        )
    else:
        lines = [
            charts.Line(f.label, dict(f.rates), style=styles[i]) for i, f in enumerate(shown[:3])
        ]
        what = f"{area}: " + ", ".join(f.label for f in shown[:3])
    chart = charts.TrendChart(
        title="",
        y_label="per 1.000 inwoners",
        lines=tuple(lines),
        source="Bron: CBS/Politie",
        highlight_year=str(year),
    )
    years = sorted(int(y) for f in shown for y, v in f.rates if v is not None)
    caption = f"Misdrijven per 1.000 inwoners, {years[0]}–{year}"
    alt = f"Lijngrafiek, misdrijven per 1.000 inwoners van {years[0]} tot {year}. {what}."
    return _png(chart), caption, alt


def _analysis_texts(content: Mapping[str, Any], codes: Sequence[str]) -> list:
    """The working group's step-2 texts for these themes: the problem per theme and the
    conclusion of their safety fields."""
    texts = {t.get("subject"): t for t in (content.get("analysis") or {}).get("texts") or []}
    blocks: list = []
    for code in codes:
        problem = (texts.get(code) or {}).get("problem", "").strip()
        if problem:
            blocks += [Paragraph(f"{theme_label(code)}:"), *text_blocks(problem)]
    from ivp.documents.ivp_document import _catalogue

    fields = {code: title for code, title, _themes in _catalogue()[2]}
    for veld in dict.fromkeys(c.split(".")[0] for c in codes):
        conclusion = (texts.get(f"V{veld}") or {}).get("conclusion", "").strip()
        if conclusion:
            title = fields.get(veld, f"veld {veld}")
            blocks += [Paragraph(f"Conclusie over {title.lower()}:"), *text_blocks(conclusion)]
    return blocks


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
        if not any(f.has_data for f in figures):
            blocks.append(
                Paragraph(
                    f"Voor {'; '.join(f.label for f in figures)} zijn geen politiecijfers "
                    "beschikbaar; de veiligheidsanalyse noemt de bronnen die de methode daarvoor "
                    "geeft.",
                    "note",
                )
            )
            continue
        blocks.append(
            Table(
                columns=(
                    "Thema",
                    f"Aantal {year}",
                    "Per 1.000 inwoners",
                    f"t.o.v. {year - 1}",
                    "Oordeel verandering",
                    f"t.o.v. mediaan {SAME_SIZE}",
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
                + " Geregistreerde misdrijven (som van de soorten misdrijf met dit thema als "
                f"hoofdthema). Gemeenten van dezelfde omvang: {_group_text(picture)}; "
                "verhouding tot hun mediaan, plaats 1 = hoogste cijfer.",
                numeric_columns=frozenset({1, 2, 3, 5}),
                widths=(4.6, 1.5, 1.4, 1.4, 3.1, 2.6),
            )
        )
        chart = priority_chart(figures, area.name, year)
        if chart is not None:
            png, caption, alt = chart
            blocks.append(
                Figure(
                    png=png,
                    caption=f"{caption}{of}",
                    source=sources_line(picture, [k for f in figures for k in f.sources]),
                    width_cm=14.0,
                    alt=alt,
                )
            )
        without = [f.label for f in figures if not f.has_data]
        if without:
            blocks.append(
                Paragraph(
                    "Voor "
                    + "; ".join(without)
                    + " zijn geen politiecijfers beschikbaar; de veiligheidsanalyse noemt de "
                    "bronnen die de methode daarvoor geeft.",
                    "note",
                )
            )
        reasons = [
            f"{f.label}: {f.summary}"
            + (" (mogelijke prioriteit volgens de analyse)" if f.proposed else "")
            for f in figures
            if f.has_data and f.summary
        ]
        if reasons:
            blocks += [Paragraph("Wat de cijfers laten zien:"), BulletList(tuple(reasons))]
        elif any(f.has_data for f in figures):
            blocks.append(
                Paragraph(
                    "De cijfers geven bij deze thema's geen bijzondere signalen (een hoog "
                    "niveau, een stijging of een reeks van verslechteringen)."
                )
            )
    return blocks


def _priority_section(
    part: Mapping[str, Any],
    areas: Sequence[AreaFigures],
    public: bool,
    content: Mapping[str, Any] | None = None,
):
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
        items.append(("Accenten", "; ".join(plain(inline(a)) for a in accents)))
    section.blocks.append(DefinitionList(tuple(items)))
    why = text_blocks(part.get("why"))
    analysis = _analysis_texts(content or {}, list(part.get("themes") or []))
    if not why and not analysis:
        why = [Paragraph(GAP.format(what="de motivering van de werkgroep"), "concept")]
    section.subsections = [Section("Waarom een prioriteit", why)] if why else []
    if analysis:
        section.subsections.append(Section("Uit de veiligheidsanalyse", analysis))
    section.subsections.append(Section("Kerncijfers", _figures_blocks(part, areas)))
    return section


def _ongoing_section(content: Mapping[str, Any], public: bool) -> Section:
    clusters = _visible(content.get("ongoing"), public)
    section = Section("Overige strategische thema's")
    chapter = next((c for c in ol.chapter_list(content) if c.method_number == 5), None)
    where = f"hoofdstuk {chapter.number}" if chapter and chapter.number else "het IVP"
    section.blocks.append(
        Paragraph(
            "De thema's die geen prioriteit worden, krijgen de reguliere aanpak. In het IVP "
            f"staan ze in {where}, gebundeld als volgt:"
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
    unplaced = _unplaced(content)
    if unplaced:
        section.blocks.append(
            Paragraph(
                GAP.format(what="een plaats voor " + "; ".join(theme_label(c) for c in unplaced)),
                "concept",
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


def _generated(chapter, content: Mapping[str, Any], public: bool) -> list[tuple[str, str]]:
    """(number, title) of what the method puts in ``chapter`` (red threads, priorities,
    clusters), without the confidential parts in a public document."""
    generated, _own = ol.section_numbers(chapter, content)
    parts: list[Mapping[str, Any] | None] = [None] * len(generated)
    key = {4: "priorities", 5: "ongoing"}.get(chapter.method_number)
    if key:
        parts = list(ol.visible_parts(content.get(key)))
    return [
        (number, title)
        for (_key, title), number, part in zip(
            ol.generated_sections(chapter, content), generated, parts, strict=True
        )
        if not (public and part is not None and part.get("confidential"))
    ]


def toc_lines(content: Mapping[str, Any], public: bool) -> list[tuple[int, str]]:
    """The chapters of the resulting IVP in the plan's own shape, with their sections (red
    threads, priorities, clusters and the plan's own): (level, text)."""
    lines: list[tuple[int, str]] = []
    for chapter in ol.chapter_list(content):
        if chapter.omitted or chapter.is_annex or (public and chapter.confidential):
            continue
        lines.append((0, f"{chapter.number} {chapter.title}"))
        lines += [
            (1, f"{n} {t or '(zonder titel)'}") for n, t in _generated(chapter, content, public)
        ]
        _generated_numbers, own = ol.section_numbers(chapter, content)
        for section, label in zip(chapter.sections, own, strict=True):
            if not (public and section.get("confidential")):
                lines.append((1, f"{label} {section.get('title') or ''}"))
    for chapter in ol.chapter_list(content):
        if chapter.is_annex and not chapter.omitted and not (public and chapter.confidential):
            lines.append((0, chapter.heading))
    return lines


CHAPTER_CONTENTS = {
    1: "De veiligheidssituatie nu, uit de veiligheidsanalyse, met de kerncijfers per veld",
    2: "Waar de gemeente aan het eind van de planperiode wil staan, met overkoepelende "
    "effectindicatoren",
    3: "De rode draden die in de hele aanpak terugkomen",
    6: "Regie, overleg en de jaarlijkse cyclus van uitvoeringsplan en verantwoording",
    7: "De middelen voor de uitvoering",
}


def _toc_section(content: Mapping[str, Any], public: bool) -> Section:
    rows = []
    for chapter in ol.chapter_list(content):
        if chapter.omitted or (public and chapter.confidential):
            continue
        lines = [f"{n} {t}" for n, t in _generated(chapter, content, public)]
        _generated_numbers, own = ol.section_numbers(chapter, content)
        lines += [
            f"{number} {s.get('title') or ''}".strip()
            for s, number in zip(chapter.sections, own, strict=True)
            if not (public and s.get("confidential"))
        ]
        what = "; ".join(lines) or CHAPTER_CONTENTS.get(chapter.method_number or 0, "")
        if chapter.kind == "bijlage_themas":
            what = "Waar elk van de veiligheidsthema's in het plan aan bod komt"
        elif chapter.kind == "bijlage_uitvoeringsplan":
            what = "De inzet in het eerste jaar"
        label = chapter.heading if chapter.is_annex else f"{chapter.number} {chapter.title}"
        rows.append((label, what))
    return Section(
        "Inhoud van het integraal veiligheidsplan",
        [
            Paragraph("Met deze keuze krijgt het integraal veiligheidsplan de volgende opbouw:"),
            Table(
                columns=("Hoofdstuk", "Inhoud"),
                rows=tuple(rows),
                caption="Opbouw van het IVP",
                source="Opbouw: de hoofdstukken van de methode Kernbeleid Veiligheid (VNG, "
                "2021) in de indeling van dit plan; prioriteiten en clusters: voorstel van de "
                "werkgroep.",
                widths=(5.0, 10.0),
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
                + " ".join(dict.fromkeys(reasons))
                if reasons
                else GAP.format(what="de reden voor meer dan vier prioriteiten"),
                "body" if reasons else "concept",
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
    from ivp.documents.sources import source_list

    items = ["VNG, Kernbeleid Veiligheid, handreiking voor gemeenten (2021), stap 3."]
    for area in areas:
        if area.picture is not None:
            items += source_list(area.picture.sources.values())
    if any(a.picture is None for a in areas):
        items.append("Voor een of meer gemeenten waren geen cijfers beschikbaar (zie boven).")
    items.append(
        "De cijfers per 1.000 inwoners, de toetsen op verandering en de vergelijking met andere "
        "gemeenten zijn uitgelegd in de veiligheidsanalyse."
    )
    return Section("Bronnen", [BulletList(tuple(dict.fromkeys(items)))])


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
    sections += [_priority_section(p, areas, public, content) for p in priorities]
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
        date=date.today(),
        sections=sections,
        period="–".join(str(y) for y in info.get("period") or [] if y),
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
        return "" if f.ratio is None else f"{times(f.ratio)} de mediaan van {SAME_SIZE}"

    if len(shown) == 1:
        f = shown[0]
        result.append(KeyFigure(number(f.count), f"misdrijven in {f.year}", f"thema {f.code}"))
        result.append(KeyFigure(rate(f.rate), f.rate_label, f"thema {f.code}, {f.year}"))
        result.append(KeyFigure(_change_text(f), f"t.o.v. {f.year - 1}", f.change_verdict))
        if f.ratio is not None:
            result.append(
                KeyFigure(
                    times(f.ratio),
                    f"de mediaan van {SAME_SIZE}",
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


def _notes(part: Mapping[str, Any], content: Mapping[str, Any], group: str) -> str:
    """What the speaker tells with a priority's slide: the motivation in full, the working
    group's step-2 texts, and how to read the figures."""
    lines = []
    why = " ".join((part.get("why") or "").split())
    if why:
        lines.append(f"Waarom een prioriteit: {why}")
    for block in _analysis_texts(content, list(part.get("themes") or [])):
        if isinstance(block, Paragraph):
            lines.append(" ".join(plain(block.text).split()))
        elif isinstance(block, BulletList):
            lines += [f"– {plain(item)}" for item in block.items]
    lines.append(
        "De kerncijfers zijn geregistreerde misdrijven in het peiljaar. De vergelijking is met "
        f"de mediaan van {group}: 1,0× is gelijk aan de mediaan, plaats 1 is het hoogste cijfer."
    )
    return "\n".join(lines)


def _priority_slide(
    part: Mapping[str, Any],
    areas: Sequence[AreaFigures],
    content: Mapping[str, Any] | None = None,
) -> Slide:
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
        chart = priority_chart(figures, area.name, picture.year)
        if chart is not None:
            slide.chart, _caption, slide.chart_alt = chart
        for f in figures:
            if f.has_data and f.summary:
                items.append(Item(f"{f.code}: {f.summary}"))
            elif not f.has_data:
                items.append(Item(f"{f.code}: geen politiecijfers beschikbaar"))
        slide.notes = _notes(part, content or {}, _group_text(picture))
    why = _short(part.get("why") or "", WHY_ON_SLIDE // 2 if slide.chart else WHY_ON_SLIDE)
    if why:
        items.append(Item(f"Werkgroep: {why}"))
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
    slides += [_priority_slide(p, areas, content) for p in priorities]
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
            subtitle="Reguliere aanpak; in het IVP "
            + next(
                (
                    f"hoofdstuk {c.number}"
                    for c in ol.chapter_list(content)
                    if c.method_number == 5 and c.number
                ),
                "in een eigen hoofdstuk",
            ),
            items=tuple(ongoing_items) or (Item("Nog in te delen in stap 3."),),
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
