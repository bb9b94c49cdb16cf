"""The integraal veiligheidsplan (step 4): the council-ready document in the plan's own
shape. The method's seven chapters (uitgangssituatie, strategische doelstelling, strategische
uitgangspunten, prioriteiten, overige strategische thema's, coördinatie en beleidscyclus,
begroting) are the default skeleton; a plan gives them its own titles and order, leaves one
out, adds its own chapters (Inleiding, Voorwoord, Leeswijzer), numbered sections and annexes
(the theme overview, the first year's uitvoeringsplan, free annexes). The numbering comes from
``beleidsplan.outline``, the same the pages show, and ``[[sleutel]]`` in a text becomes
"hoofdstuk 5" or "paragraaf 4.2" as numbered now.

Built from the plan's content as JSON (``beleidsplan.content.plan_content``), never from the
tables directly, because a version frozen when the council adopted it (``PlanVersie.inhoud``)
holds exactly that JSON and must give the same document years later. The starting situation's
key figures (``documents.situation``) are frozen with it.

A council document holds no placeholders and no software: an empty optional part is left out;
an empty required part cannot be frozen "ter vaststelling" (``beleidsplan.completeness``) and,
in a concept, is shown as a marked gap. Confidential priorities, clusters, chapters and
sections are left out of the public version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any

from ivp.beleidsplan import outline as ol
from ivp.documents.docx_writer import dutch_date
from ivp.documents.model import (
    BulletList,
    Document,
    Paragraph,
    Rich,
    Section,
    Table,
    inline,
)

KIND = "Integraal Veiligheidsplan"
CONFIDENTIAL_NOTE = "Vertrouwelijk: dit onderdeel staat niet in de openbare versie van het plan."
GAP = "Concept – nog uit te werken: {what}."
UNKNOWN_REFERENCE = "[verwijzing ‘{key}’ bestaat niet]"

#: The method's chapters (their default titles), for documents that list them.
CHAPTERS: Mapping[int, str] = {n: title for n, (_key, title) in ol.METHOD_CHAPTERS.items()}
PART_TITLES = {
    "why": "Waarom een prioriteit",
    "approach": "Hoofdlijnen van de aanpak",
    "flanking": "Flankerend beleid",
    "goal": "Doelstelling",
}
INDICATOR_COLUMNS = ("Indicator", "Bron", "Uitgangswaarde", "Doelstelling")
UNITS = {
    "aantal": "aantal",
    "per_1000_inwoners": "per 1.000 inwoners",
    "per_1000_woningen": "per 1.000 woningen",
    "procent": "%",
    "rapportcijfer": "rapportcijfer",
}
DIRECTIONS = {"<=": "≤", ">=": "≥"}
MAX_PRIORITIES = 4
PROVISIONAL = " (v)"


# -- numbers and dates the Dutch way -----------------------------------------------------


def dutch_number(value: float, decimals: int | None = None) -> str:
    """8.2 → "8,2"; 1259 → "1.259"; with ``decimals`` exactly that many ("7,0")."""
    value = float(value)
    if decimals is not None:
        text = f"{value:,.{decimals}f}"
    elif value.is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
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
    """ "Concept", "Ter vaststelling aan de raad", or "Vastgesteld door de raad op 15 mei
    2027"."""
    if info.get("status") == "vastgesteld":
        adopted = _as_date(info.get("adopted_on"))
        return f"Vastgesteld door de raad op {dutch_date(adopted)}" if adopted else "Vastgesteld"
    if info.get("status") == "ter_vaststelling":
        return "Ter vaststelling aan de raad"
    return "Concept"


def version_text(info: Mapping[str, Any]) -> str:
    """The version as the versions table on the IVP page names it: "versie 2" for a frozen
    version; the live content is the work on the next one ("werkversie na versie 1")."""
    number = info.get("version")
    if not isinstance(number, int):
        return ""
    if info.get("frozen"):
        return f"versie {number}"
    return f"werkversie na versie {number - 1}" if number > 1 else "werkversie"


# -- the catalogue -----------------------------------------------------------------------


@cache
def _catalogue() -> tuple[dict[str, str], dict[str, str], tuple[tuple[str, str, tuple], ...]]:
    from ivp.catalogue.content_loader import shipped_catalogue

    catalogue = shipped_catalogue()
    return (
        {t.code: t.titel for t in catalogue.themas},
        {t.code: t.titel for t in catalogue.strategische_themas},
        tuple(
            (v.code, v.titel, tuple((t.code, t.titel) for t in v.themas)) for v in catalogue.velden
        ),
    )


def theme_label(code: str) -> str:
    """ "1.3 Objectieve veiligheid/…" (the code alone if the catalogue does not know it)."""
    title = _catalogue()[0].get(code)
    return f"{code} {title}" if title else code


def strategic_label(code: str) -> str:
    return _catalogue()[1].get(code, code)


# -- text --------------------------------------------------------------------------------


BULLETS = ("- ", "* ", "• ", "– ")
_INDENT = re.compile(r"^(\s*)")


def _bullet_level(line: str) -> int:
    indent = _INDENT.match(line.replace("\t", "    ")).group(1)
    return min(len(indent) // 2, 2)


def _bullets(items: Sequence[tuple[Rich, int]]) -> list:
    if not items:
        return []
    base = min(level for _text, level in items)
    return [BulletList(tuple(t for t, _l in items), tuple(level - base for _t, level in items))]


def text_blocks(text: str | None, entries: Mapping[str, ol.Entry] | None = None) -> list:
    """A user's text as blocks: blank lines separate paragraphs; lines starting with "- "
    form a bulleted list, indented ones (two spaces or a tab) a level deeper; ``**bold**``
    and ``*italic*`` are kept; ``[[sleutel]]`` becomes "hoofdstuk 5". An empty text gives no
    blocks."""
    if entries is not None:
        text = ol.resolve(text or "", entries, missing=UNKNOWN_REFERENCE)
    blocks: list = []
    for part in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines: list[str] = []
        items: list[tuple[Rich, int]] = []
        for line in part.split("\n"):
            stripped = line.strip()
            if not stripped:
                continue
            if stripped.startswith(BULLETS):
                if lines:
                    blocks.append(Paragraph(inline("\n".join(lines))))
                    lines = []
                items.append((inline(stripped[2:].strip()), _bullet_level(line)))
            else:
                blocks += _bullets(items)
                items = []
                lines.append(stripped)
        if lines:
            blocks.append(Paragraph(inline("\n".join(lines))))
        blocks += _bullets(items)
    return blocks


def _gap(what: str, concept: bool) -> list:
    """A required part that is still empty: marked in a concept, nothing otherwise (a
    version for the council cannot be frozen with it, see ``beleidsplan.completeness``)."""
    return [Paragraph(GAP.format(what=what), "concept")] if concept else []


def _field(item: Mapping[str, Any], *names: str) -> str:
    """The first of ``names`` that ``item`` has (the stored JSON uses Dutch keys in places:
    a red thread is {"titel", "tekst"})."""
    for name in names:
        value = item.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


# -- indicators --------------------------------------------------------------------------

_UNIT_WORDS = {
    "per_1000_inwoners": ("1.000 inw", "1000 inw", "duizend inw", "per inwoner"),
    "per_1000_woningen": ("1.000 won", "1000 won", "duizend won"),
    "procent": ("%", "procent", "percentage"),
    "rapportcijfer": ("cijfer",),
    "aantal": ("aantal",),
}


def indicator_name(ind: Mapping[str, Any]) -> str:
    """The name as entered; the unit after it only where the name does not already say it
    (also when written short, as "p. 1.000 inwoners")."""
    name = (ind.get("name") or "").strip() or "(zonder naam)"
    unit = ind.get("unit") or ""
    lowered = name.lower().replace(" ", "")
    said = any(word.replace(" ", "") in lowered for word in _UNIT_WORDS.get(unit, ()))
    if said or unit in ("aantal", "procent", "rapportcijfer") or unit not in UNITS:
        return name
    return f"{name} ({UNITS[unit]})"


_INCIDENT_TABLES = ("47021NED", "47024NED")
_INCIDENT_CODE = re.compile(r"^[A-Z]\d")


def indicator_source(ind: Mapping[str, Any]) -> str:
    """Where the figure comes from, named after its series: "CBS/Politie misdrijven",
    "Politie incidentregistratie", "Veiligheidsmonitor", "Eigen registratie"."""
    source = ind.get("source") or ""
    series = (ind.get("series") or "").strip()
    table, _sep, code = series.partition("|")
    note = (ind.get("source_note") or "").strip()
    if table in _INCIDENT_TABLES or _INCIDENT_CODE.match(code or ""):
        return "Politie incidentregistratie"
    if series:
        return "CBS/Politie misdrijven"
    if source == "politie":
        return "Politie incidentregistratie" if "incident" in note.lower() else "Politie"
    if source == "veiligheidsmonitor":
        return "Veiligheidsmonitor"
    if source == "gemeente":
        return "Eigen registratie"
    return note[:40].rsplit(" ", 1)[0] if len(note) > 40 else (note or "Andere bron")


def _decimals(ind: Mapping[str, Any]) -> int:
    """The baseline's precision: none for counts and percentages, one for rates and report
    marks (two for a rate below 1)."""
    unit = ind.get("unit") or ""
    baseline = ind.get("baseline")
    if unit in ("aantal", "procent"):
        return 0 if baseline is None or float(baseline).is_integer() else 1
    if unit != "rapportcijfer" and baseline is not None and abs(baseline) < 1:
        return 2
    return 1


def _value(ind: Mapping[str, Any], key: str) -> str:
    value = ind.get(key)
    if value is None:
        return ""
    decimals = _decimals(ind)
    if key == "target" and round(float(value), decimals) != round(float(value), 6):
        # a target set more precisely than the baseline is printed as it was set
        decimals = min(len(f"{float(value):.6f}".rstrip("0").split(".")[1]), 3)
    suffix = "%" if ind.get("unit") == "procent" else ""
    return f"{dutch_number(value, decimals)}{suffix}"


def baseline_text(ind: Mapping[str, Any]) -> str:
    """ "8,2 (2017)", "6,3 (2025, v)" for a provisional figure."""
    value = _value(ind, "baseline")
    if not value:
        return "–"
    year = ind.get("baseline_year")
    mark = ", v" if ind.get("baseline_provisional") else ""
    return f"{value} ({year}{mark})" if year else value + (PROVISIONAL if mark else "")


def target_text(ind: Mapping[str, Any]) -> str:
    """ "≤ 6,5 in 2030"."""
    value = _value(ind, "target")
    if not value:
        return "–"
    sign = DIRECTIONS.get(ind.get("direction") or "", "")
    text = f"{sign} {value}" if sign else value
    year = ind.get("target_year")
    return f"{text} in {year}" if year else text


def indicator_table(indicators: Sequence[Mapping[str, Any]], caption: str = "") -> Table:
    ordered = sorted(indicators, key=lambda i: i.get("order") or 0)
    provisional = any(i.get("baseline_provisional") for i in ordered)
    note = (
        "Uitgangswaarde: de gemeten waarde in het genoemde jaar"
        + ("; v = voorlopig cijfer" if provisional else "")
        + ". Doelstelling: de waarde die in het streefjaar ten hoogste (≤) of ten minste (≥) "
        "wordt nagestreefd."
    )
    return Table(
        columns=INDICATOR_COLUMNS,
        rows=tuple(
            (indicator_name(i), indicator_source(i), baseline_text(i), target_text(i))
            for i in ordered
        ),
        caption=caption,
        source=note,
        widths=(6.2, 3.4, 2.6, 2.8),
    )


# -- chapters ----------------------------------------------------------------------------


class _Context:
    """What every chapter needs: the content, the numbering, public/concept."""

    def __init__(
        self, content: Mapping[str, Any], *, public: bool, situation: Mapping[str, Any] | None
    ):
        self.content = content
        self.public = public
        self.situation = situation
        self.entries = ol.outline(content)
        info = content.get("plan") or {}
        self.concept = info.get("status") not in ("vastgesteld", "ter_vaststelling")
        settings = content.get("document") or {}
        titles = settings.get("part_titles") or {}
        self.part_titles = {k: titles.get(k, v) for k, v in PART_TITLES.items()}
        self.names = [
            m.get("name") or m.get("code") or "" for m in info.get("municipalities") or []
        ]

    def text(self, text: str | None) -> list:
        return text_blocks(text, self.entries)

    def visible(self, parts: Iterable[Mapping[str, Any]] | None) -> list[Mapping[str, Any]]:
        return [
            p
            for p in ol.visible_parts(list(parts or []))
            if not (self.public and p.get("confidential"))
        ]


def _strategic_blocks(chapter: Mapping[str, Any]) -> list:
    codes = [c for c in chapter.get("strategic_themes") or [] if c]
    if not codes:
        return []
    labels = [strategic_label(c).lower() for c in codes]
    joined = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} en {labels[-1]}"
    noun = "het overkoepelende thema" if len(labels) == 1 else "de overkoepelende thema's"
    return [Paragraph(f"In dit hoofdstuk komt ook {noun} {joined} aan bod.")]


def _part_section(part: Mapping[str, Any], number: str, ctx: _Context, *, priority: bool):
    """A priority (its why, main lines, flanking policy and goal with indicators) or a
    cluster of ongoing themes (shorter: only what is written)."""
    title = part.get("title") or "(zonder titel)"
    section = Section(title, number=number, confidential=bool(part.get("confidential")))
    if part.get("confidential") and not ctx.public:
        section.blocks.append(Paragraph(CONFIDENTIAL_NOTE, "note"))
    accents = [str(a).strip() for a in part.get("accents") or [] if str(a).strip()]
    texts = {key: (part.get(key) or "").strip() for key in PART_TITLES}
    indicators = list(part.get("indicators") or [])
    table = indicator_table(indicators, f"Effectindicatoren {title}") if indicators else None

    if not priority:
        filled = [key for key in ("why", "approach", "flanking", "goal") if texts[key]]
        if len(filled) <= 1:
            for key in filled:
                section.blocks += ctx.text(texts[key])
            if not filled:
                section.blocks += _gap("toelichting of hoofdlijnen van de aanpak", ctx.concept)
        else:
            section.blocks += ctx.text(texts["why"])
            for key in ("approach", "flanking", "goal"):
                if texts[key]:
                    heading = ctx.part_titles[key] or PART_TITLES[key]
                    section.subsections.append(Section(heading, ctx.text(texts[key]), number=""))
        if table is not None:
            (section.subsections[-1] if section.subsections else section).blocks.append(table)
        return section

    why_title = ctx.part_titles["why"]
    if texts["why"] and not why_title:
        section.blocks += ctx.text(texts["why"])
    elif texts["why"]:
        section.subsections.append(Section(why_title, ctx.text(texts["why"]), number=""))
    else:
        section.blocks += _gap("waarom dit een prioriteit is", ctx.concept)
    if accents:
        section.blocks += [
            Paragraph("Binnen deze prioriteit ligt het accent op:"),
            BulletList(tuple(inline(a) for a in accents)),
        ]
    # a joint plan's priorities: ambition, intended effect, actions by term
    for key, heading in (("ambition", "Ambitie"), ("effect", "Beoogd effect")):
        if (part.get(key) or "").strip():
            section.subsections.append(Section(heading, ctx.text(part[key]), number=""))
    from ivp.documents.joint import action_blocks

    actions = action_blocks(part)
    if actions:
        section.subsections.append(Section("Acties", actions, number=""))
    for key, what in (("approach", "de hoofdlijnen van de aanpak"), ("flanking", "")):
        heading = ctx.part_titles[key] or PART_TITLES[key]
        if texts[key]:
            section.subsections.append(Section(heading, ctx.text(texts[key]), number=""))
        elif what:
            section.subsections.append(Section(heading, _gap(what, ctx.concept), number=""))
    goal = Section(ctx.part_titles["goal"] or PART_TITLES["goal"], number="")
    goal.blocks += ctx.text(texts["goal"]) or _gap("de doelstelling", ctx.concept)
    if table is not None:
        goal.blocks.append(table)
    section.subsections.append(goal)
    section.subsections = [s for s in section.subsections if s.blocks]
    return section


def _own_sections(chapter: ol.Chapter, numbers: Sequence[str], ctx: _Context) -> list[Section]:
    sections = []
    for data, number in zip(chapter.sections, numbers, strict=True):
        if ctx.public and data.get("confidential"):
            continue
        blocks = ctx.text(data.get("text")) or _gap("de tekst", ctx.concept)
        section = Section(
            data.get("title") or "(zonder titel)",
            blocks,
            number=number,
            confidential=bool(data.get("confidential")),
        )
        if data.get("confidential") and not ctx.public:
            section.blocks.insert(0, Paragraph(CONFIDENTIAL_NOTE, "note"))
        if section.blocks:
            sections.append(section)
    return sections


def _priorities_intro(ctx: _Context, priorities: Sequence[Mapping[str, Any]]) -> list:
    if not priorities:
        return _gap("de prioriteiten (stap 3)", ctx.concept)
    names = [p.get("title") or "(zonder titel)" for p in priorities]
    count = len(names)
    joined = names[0] if count == 1 else f"{', '.join(names[:-1])} en {names[-1]}"
    blocks: list = [
        Paragraph(
            f"Dit plan kent {count} {'prioriteit' if count == 1 else 'prioriteiten'}: {joined}."
        )
    ]
    reasons = [
        (p.get("reason_over_maximum") or "").strip()
        for p in priorities
        if (p.get("reason_over_maximum") or "").strip()
    ]
    if count > MAX_PRIORITIES and reasons:
        blocks.append(
            Paragraph(
                "De methode vraagt om drie à vier prioriteiten. Reden voor meer: "
                + " ".join(dict.fromkeys(reasons))
            )
        )
    return blocks


def _chapter(chapter: ol.Chapter, ctx: _Context) -> Section:
    data = chapter.data
    section = Section(chapter.title, confidential=chapter.confidential, number=chapter.number)
    if chapter.confidential and not ctx.public:
        section.blocks.append(Paragraph(CONFIDENTIAL_NOTE, "note"))
    text = data.get("text") or ""
    blocks = ctx.text(text)
    generated_numbers, own_numbers = ol.section_numbers(chapter, ctx.content)
    own = _own_sections(chapter, own_numbers, ctx)
    method = chapter.method_number

    if method == 4:
        priorities = ctx.visible(ctx.content.get("priorities"))
        section.blocks += blocks or _priorities_intro(ctx, priorities)
        section.blocks += _strategic_blocks(data)
        all_parts = ol.visible_parts(ctx.content.get("priorities"))
        numbers = dict(zip((id(p) for p in all_parts), generated_numbers, strict=True))
        section.subsections = [
            _part_section(p, numbers[id(p)], ctx, priority=True) for p in priorities
        ]
    elif method == 5:
        clusters = ctx.visible(ctx.content.get("ongoing"))
        section.blocks += blocks
        if not blocks and not clusters:
            section.blocks += _gap("de overige strategische thema's", ctx.concept)
        section.blocks += _strategic_blocks(data)
        all_parts = ol.visible_parts(ctx.content.get("ongoing"))
        numbers = dict(zip((id(p) for p in all_parts), generated_numbers, strict=True))
        section.subsections = [
            _part_section(c, numbers[id(c)], ctx, priority=False) for c in clusters
        ]
    elif method == 3:
        threads = [t for t in data.get("red_threads") or [] if isinstance(t, Mapping)]
        section.blocks += blocks
        if not blocks and not threads and not own:
            section.blocks += _gap("de strategische uitgangspunten", ctx.concept)
        section.blocks += _strategic_blocks(data)
        section.subsections = [
            Section(
                _field(t, "title", "titel") or "(zonder titel)",
                ctx.text(_field(t, "text", "tekst")),
                number=number,
            )
            for t, number in zip(threads, generated_numbers, strict=True)
        ]
    else:
        section.blocks += blocks
        if not blocks and not own and method != 1:
            section.blocks += _gap("de tekst van dit hoofdstuk", ctx.concept)
        if method == 2:
            indicators = list(ctx.content.get("indicators") or [])
            if indicators:
                section.blocks.append(
                    indicator_table(indicators, "Overkoepelende effectindicatoren van het plan")
                )
        if method == 1:
            from ivp.documents.situation import situation_sections

            figures = situation_sections(ctx.situation, ctx.names) if ctx.situation else []
            if not blocks and not figures and not own:
                section.blocks += _gap("de uitgangssituatie", ctx.concept)
            section.subsections += figures
        section.blocks += _strategic_blocks(data)
    section.subsections += own
    return section


# -- annexes -----------------------------------------------------------------------------


def _theme_annex(ctx: _Context) -> list:
    """The 22 themes per safety field and where the plan places each."""
    places: dict[str, str] = {}
    for key, label in (("priorities", "Prioriteit"), ("ongoing", "Overig thema")):
        for part in ol.visible_parts(ctx.content.get(key)):
            if ctx.public and part.get("confidential"):
                place = "Elders in het plan"  # do not name what the public version leaves out
            else:
                where = ctx.entries.get(part.get("key") or "")
                place = f"{label}: {part.get('title') or ''}"
                if where is not None:
                    place += f" ({where.reference})"
            for code in part.get("themes") or []:
                places[code] = place
    rows: list[tuple[Rich, ...]] = []
    groups = set()
    for field_code, field_title, themes in _catalogue()[2]:
        groups.add(len(rows))
        rows.append((f"{field_code} {field_title}", "", ""))
        for code, title in themes:
            rows.append((code, title, places.get(code, "Niet ingedeeld")))
    return [
        Paragraph(
            "De methode Kernbeleid Veiligheid deelt de veiligheid in vijf velden met "
            f"{sum(len(t) for _c, _t, t in _catalogue()[2])} thema's in. Per thema staat hier "
            "waar het in dit plan aan bod komt."
        ),
        Table(
            columns=("Code", "Thema", "Plaats in dit plan"),
            rows=tuple(rows),
            caption="Veiligheidsthema's en hun plaats in het plan",
            source="Thema's: VNG, Kernbeleid Veiligheid (2021).",
            widths=(1.4, 7.0, 7.6),
            group_rows=frozenset(groups),
        ),
    ]


def _annex(chapter: ol.Chapter, ctx: _Context) -> Section | None:
    section = Section(
        chapter.heading,
        number="",
        confidential=chapter.confidential,
        new_page=True,
    )
    blocks = ctx.text(chapter.data.get("text"))
    if chapter.kind == "bijlage_themas":
        section.blocks += blocks + _theme_annex(ctx)
    elif chapter.kind == "bijlage_uitvoeringsplan":
        from ivp.documents.uitvoeringsplan import annex_sections

        parts = annex_sections(ctx.content, public=ctx.public)
        section.blocks += blocks
        if parts is None:
            section.blocks += _gap("het uitvoeringsplan van het eerste jaar", ctx.concept)
        else:
            intro, subsections = parts
            section.blocks += intro
            section.subsections = subsections
            section.landscape = True
    else:
        section.blocks += blocks or _gap("de tekst van deze bijlage", ctx.concept)
    if not section.blocks and not section.subsections:
        return None
    return section


# -- sources -----------------------------------------------------------------------------


def _all_indicators(content: Mapping[str, Any], public: bool) -> list[Mapping[str, Any]]:
    chapters = {c.method_number: c for c in ol.chapter_list(content)}
    found = []
    if not (public and chapters.get(2) and chapters[2].confidential):
        found += list(content.get("indicators") or [])
    for key, number in (("priorities", 4), ("ongoing", 5)):
        if public and chapters.get(number) and chapters[number].confidential:
            continue
        for part in ol.visible_parts(content.get(key)):
            if public and part.get("confidential"):
                continue
            found += list(part.get("indicators") or [])
    return found


def _sources_section(ctx: _Context) -> Section:
    from ivp.documents.sources import source_list

    indicators = _all_indicators(ctx.content, ctx.public)
    labels = {indicator_source(i) for i in indicators}
    items = [
        "VNG, Kernbeleid Veiligheid, handreiking voor gemeenten (2021): de methode, de "
        "veiligheidsvelden en de thema's.",
    ]
    if ctx.situation:
        items += source_list(ctx.situation.get("sources") or [])
    if "CBS/Politie misdrijven" in labels and not ctx.situation:
        items.append("CBS/Politie, Geregistreerde misdrijven (47018NED).")
    if "Politie incidentregistratie" in labels:
        items.append("Politie, incidentregistratie (geregistreerde overlast).")
    if "Veiligheidsmonitor" in labels:
        items.append("CBS en gemeenten, Veiligheidsmonitor.")
    if "Eigen registratie" in labels:
        items.append(f"Gemeente {', '.join(ctx.names)}, eigen registraties.")
    notes = [
        _public_note(i.get("source_note") or "")
        for i in indicators
        if not i.get("series") and (i.get("source_note") or "").strip()
    ]
    notes = [n for n in notes if n]
    items += [f"{note.rstrip('.')}." for note in dict.fromkeys(notes)]
    return Section("Bronnen", [BulletList(tuple(dict.fromkeys(items)))], number="")


_RETRIEVAL = re.compile(r"\s*\((?:[^()]*\b(?:opgehaald|commit|\.py)\b[^()]*)\)", re.I)


def _public_note(note: str) -> str:
    """A user's source note without a retrieval note in brackets ("(opgehaald 2024-01-22)"),
    and nothing of it when it names software (a repository, a script)."""
    text = _RETRIEVAL.sub("", note).strip().rstrip(".")
    if re.search(r"\b(?:commit|github|\w+\.py)\b|/", text, re.I):
        return ""
    return text.replace(" / ", "/")


def _has_confidential(content: Mapping[str, Any]) -> bool:
    return any(
        part.get("confidential")
        for key in ("chapters", "priorities", "ongoing")
        for part in content.get(key) or []
    ) or any(
        s.get("confidential")
        for c in content.get("chapters") or []
        for s in c.get("sections") or []
    )


def build_ivp_from_content(
    content: Mapping[str, Any],
    *,
    public: bool,
    situation: Mapping[str, Any] | None = None,
    municipality: str | None = None,
    figures: Mapping[str, Any] | None = None,
) -> Document:
    """The IVP from a plan's content (``ivp-plan/1``) and the key figures of its starting
    situation (``content["situation"]`` in a frozen version). ``public`` leaves out the
    confidential parts; the internal version marks them.

    A joint plan (several gemeenten, ``documents.joint``): the shared chapters, then the
    local part of ``municipality`` (its council's document) or of every gemeente (the joint
    document); ``figures``: the area's and the members' figures (``joint.area_figures``)."""
    from ivp.documents import joint

    full = content
    joint_plan = joint.is_joint(content)
    if municipality is not None:
        joint.member_name(content, municipality)  # UnknownMember for a stranger
    if joint_plan:
        content = joint.shared_content(content)
    info = content.get("plan") or {}
    ctx = _Context(content, public=public, situation=situation or content.get("situation"))
    joined = ", ".join(n for n in ctx.names if n) or "(geen gemeente)"
    period = info.get("period") or [None, None]
    period_text = f"{period[0]}–{period[1]}" if period and period[0] else ""

    chapters, annexes = [], []
    for chapter in ol.chapter_list(content):
        if chapter.omitted or (public and chapter.confidential):
            continue
        if chapter.is_annex:
            annex = _annex(chapter, ctx)
            if annex is not None:
                annexes.append(annex)
        else:
            chapters.append(_chapter(chapter, ctx))
    if joint_plan:
        chapters += _joint_chapters(full, ctx, municipality, figures, chapters)
    sections = [*chapters, _sources_section(ctx), *annexes]

    status = status_text(info)
    if not public and _has_confidential(content):
        status += " · interne versie"
    adopted = _as_date(info.get("adopted_on")) if info.get("status") == "vastgesteld" else None
    settings = content.get("document") or {}
    subtitle = (settings.get("subtitle") or "").strip()
    organisation = f"Gemeente {joined}" if len(ctx.names) <= 1 else f"Gemeenten {joined}"
    if municipality is not None:
        own = joint.member_name(full, municipality)
        organisation = f"Gemeente {own}"
        together = _and_names(ctx.names)
        subtitle = " · ".join(
            t for t in (subtitle, f"Gezamenlijk plan van de gemeenten {together}") if t
        )
    document = Document(
        title=info.get("title") or KIND,
        subtitle=subtitle,
        organisation=organisation,
        kind=KIND,
        status=status,
        version=version_text(info),
        date=adopted or _as_date(content.get("exported_at")) or date.today(),
        sections=sections,
        toc_depth=2,
        period=period_text,
    )
    return document.public() if public else document


def _and_names(names: Sequence[str]) -> str:
    names = [n for n in names if n]
    return ", ".join(names[:-1]) + " en " + names[-1] if len(names) > 1 else "".join(names)


def _joint_chapters(content, ctx: _Context, municipality, figures, chapters) -> list[Section]:
    """After the shared chapters: the local part of one gemeente, or a chapter with every
    gemeente's local part (the joint document)."""
    from ivp.documents import joint

    up = joint.first_up(content)
    budget = (
        joint.joint_budget(content, up, joint.populations_of(figures), public=ctx.public)
        if up is not None
        else None
    )
    number = joint.next_number(chapters)

    def part_section(part, num, *, priority):
        return _part_section(part, num, ctx, priority=priority)

    if municipality is not None:
        return [
            joint.local_section(
                content,
                municipality,
                figures=figures,
                budget=budget,
                part_section=part_section,
                number=number,
                public=ctx.public,
            )
        ]
    chapter = Section("Lokale delen per gemeente", number=number)
    chapter.blocks.append(
        Paragraph(
            "Naast de gezamenlijke prioriteiten heeft elke gemeente een eigen deel: haar "
            "cijfers naast die van het gebied, haar lokale prioriteiten en thema's, en haar "
            "bijdrage aan de begroting. Elke raad stelt het plan vast met het eigen deel."
        )
    )
    if budget is not None:
        blocks = joint.budget_blocks(budget)
        if blocks:
            chapter.blocks += blocks
    for index, (code, _name) in enumerate(joint.members(content), start=1):
        section = joint.local_section(
            content,
            code,
            figures=figures,
            budget=None,
            part_section=part_section,
            number=f"{number}.{index}",
            public=ctx.public,
            with_intro=False,
        )
        section.title = section.title.replace("Lokaal deel ", "")
        chapter.subsections.append(section)
    return [chapter]


def build_ivp(
    plan,
    *,
    public: bool = False,
    content: Mapping[str, Any] | None = None,
    municipality: str | None = None,
) -> Document:
    """The IVP of ``plan`` from its live content and the figures now, or from ``content`` (a
    frozen version's ``PlanVersie.inhoud``, with the figures frozen in it). A joint plan:
    ``municipality`` gives that council's document (see ``documents.joint``)."""
    from ivp.beleidsplan.content import plan_content
    from ivp.documents import joint
    from ivp.documents.situation import starting_situation

    data = content if content is not None else plan_content(plan)
    figures = None
    if joint.is_joint(data):
        if municipality is not None:
            joint.member_name(data, municipality)
        figures = joint.area_figures(plan)
    if content is not None:
        return build_ivp_from_content(
            content, public=public, municipality=municipality, figures=figures
        )
    return build_ivp_from_content(
        data,
        public=public,
        situation=starting_situation(plan),
        municipality=municipality,
        figures=figures,
    )
