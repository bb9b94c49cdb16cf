"""The uitvoeringsplan (step 5): the college's yearly implementation plan of an IVP, in the
handbook's structure — the main line of the IVP, a look back at last year's plan, per priority
and per cluster of ongoing themes the measures (who, with whom, when, with what money), and the
budget — and the same measures as an annex of the IVP (``annex_sections``).

Written as municipalities write it: the measures on landscape pages so the Inzet column has
room; per item (onderdeel) its optional sub-groups as a label row; a measure's title in italics
as the lead of its description; the partners as one list, as written; the planning as written
("doorlopend", "2019 e.v.", or the plan's own words); "Prestaties en middelen" only for the
measures that have them; and no budget total when no amounts were given.

Built from the plan's content as JSON (``beleidsplan.content.plan_content``: its
``implementation_plans``, priorities, clusters and chapters), so the annex of a frozen IVP shows
the measures as they were frozen. Confidential priorities and clusters are
``Section(confidential=True)`` and marked in the internal version; the public version leaves
them out of every list, table and total too, so no figure gives them away.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ivp.beleidsplan import outline as ol
from ivp.documents.docx_writer import dutch_date
from ivp.documents.ivp_document import (
    GAP,
    indicator_table,
    text_blocks,
)
from ivp.documents.model import BulletList, Document, Paragraph, Rich, Section, Span, Table
from ivp.plans.models import Plan

KIND = "Uitvoeringsplan"
DASH = "–"
CONFIDENTIAL_NOTE = "Vertrouwelijk: dit onderdeel staat niet in de openbare versie van het plan."
NO_SOURCE = "Dekking niet opgegeven"
STATUS_LABELS = {
    "gepland": "gepland",
    "lopend": "lopend",
    "gereed": "gereed",
    "vertraagd": "vertraagd",
    "vervallen": "vervallen",
}

MEASURE_COLUMNS = (
    "Onderdeel",
    "Inzet/activiteiten",
    "Trekker (bestuurlijk, ambtelijk)",
    "Partners",
    "Planning",
)
MEASURE_WIDTHS = (3.4, 10.0, 3.4, 5.4, 3.4)
DETAIL_COLUMNS = ("Inzet/activiteit", "Prestatie-indicator", "Budget", "Dekking")
DETAIL_WIDTHS = (8.5, 8.0, 3.0, 5.0)
MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


# -- numbers, money and names the Dutch way ----------------------------------------------


def _swap(text: str) -> str:
    return text.translate(str.maketrans({",": ".", ".": ","}))


def money(amount: Decimal | int | float | str) -> str:
    """12500 → "€ 12.500"; 1250.5 → "€ 1.250,50"."""
    value = Decimal(str(amount))
    text = f"{int(value):,}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"€ {_swap(text)}"


def _join(items: Sequence[str], last: str = "en") -> str:
    """ "a", "a en b", "a, b en c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def status_text(up: Mapping[str, Any]) -> str:
    """ "Concept", or "Vastgesteld door het college op 3 februari 2027"."""
    if up.get("status") == "vastgesteld":
        adopted = up.get("adopted_on")
        if adopted:
            return f"Vastgesteld door het college op {dutch_date(date.fromisoformat(adopted))}"
        return "Vastgesteld door het college"
    return "Concept"


def _organisation(content: Mapping[str, Any]) -> str:
    names = [
        m.get("name") or m.get("code")
        for m in (content.get("plan") or {}).get("municipalities") or []
    ]
    joined = ", ".join(n for n in names if n) or "(geen gemeente)"
    return f"Gemeente {joined}" if len(names) <= 1 else f"Gemeenten {joined}"


def planning_text(measure: Mapping[str, Any]) -> str:
    """As plans write it: "doorlopend", "2027 e.v.", "Q2 2027", "mrt 2027 – jun 2028", or
    the plan's own words."""
    planning = measure.get("planning") or {}
    kind = planning.get("kind")
    if kind == "vrij":
        return (planning.get("text") or "").strip()
    if kind == "doorlopend":
        return "doorlopend"
    if kind == "jaar" and planning.get("year"):
        return f"{planning['year']}{' e.v.' if planning.get('onwards') else ''}"
    if kind == "kwartaal" and planning.get("quarter"):
        return f"Q{planning['quarter']} {planning.get('year') or ''}".strip()
    if kind == "periode":
        parts = []
        for key in ("start", "end"):
            if planning.get(key):
                day = date.fromisoformat(planning[key])
                parts.append(f"{MONTHS[day.month - 1]} {day.year}")
        return " – ".join(parts)
    return (planning.get("text") or "").strip()


# -- the parts: a priority or a cluster with its items and measures ----------------------


@dataclass
class _Part:
    """A priority or a cluster of ongoing themes with its items in one implementation plan."""

    owner: Mapping[str, Any]
    is_priority: bool
    number: str = ""
    items: list[Mapping[str, Any]] = field(default_factory=list)

    @property
    def confidential(self) -> bool:
        return bool(self.owner.get("confidential"))

    @property
    def title(self) -> str:
        return self.owner.get("title") or "(zonder titel)"

    @property
    def kind(self) -> str:
        return "Prioriteit" if self.is_priority else "Overig thema"

    def measures(self) -> list[Mapping[str, Any]]:
        return [m for item in self.items for m in item.get("measures") or []]


@dataclass
class _Money:
    total: Decimal = Decimal("0")
    count: int = 0
    with_amount: int = 0
    without_amount: list[str] = field(default_factory=list)
    per_source: dict[str, Decimal] = field(default_factory=dict)

    def add(self, measures: Iterable[Mapping[str, Any]]) -> _Money:
        for m in measures:
            self.count += 1
            if m.get("budget") is None:
                self.without_amount.append(m.get("title") or "")
                continue
            amount = Decimal(str(m["budget"]))
            self.with_amount += 1
            self.total += amount
            source = (m.get("budget_source") or "").strip() or NO_SOURCE
            self.per_source[source] = self.per_source.get(source, Decimal("0")) + amount
        return self


def _parts(
    content: Mapping[str, Any], up: Mapping[str, Any], public: bool
) -> tuple[list[_Part], list[_Part]]:
    """The priorities and clusters of the plan with their items in ``up`` (numbered as in
    the IVP); without the confidential ones when ``public``."""
    entries = ol.outline(content)
    result = []
    for key, is_priority in (("priorities", True), ("ongoing", False)):
        parts = []
        for owner in ol.visible_parts(content.get(key)):
            if public and owner.get("confidential"):
                continue
            entry = entries.get(owner.get("key") or "")
            parts.append(_Part(owner, is_priority, entry.number if entry else ""))
        by_title = {p.title: p for p in parts}
        kind = "priority" if is_priority else "ongoing"
        for item in sorted(up.get("items") or [], key=lambda i: i.get("order") or 0):
            if item.get("owner_kind") == kind and item.get("owner") in by_title:
                by_title[item["owner"]].items.append(item)
        result.append(parts)
    return result[0], result[1]


def _activity(m: Mapping[str, Any]) -> Rich:
    """The measure's title as the italic lead of its description."""
    title = (m.get("title") or "").strip()
    description = " ".join((m.get("description") or "").split())
    if not description:
        return title
    return (Span(title, italic=True), Span(f" {description}"))


def _lead(m: Mapping[str, Any]) -> Rich:
    administrative = (m.get("administrative_lead") or "").strip()
    official = (m.get("official_lead") or "").strip()
    if administrative and official:
        return (Span(administrative), Span(f"\n{official}", italic=True))
    return administrative or official or DASH


def _partners(m: Mapping[str, Any]) -> str:
    names = [str(p).strip() for p in m.get("partners") or [] if str(p).strip()]
    if not names:  # a frozen version from before the one partner list
        names = [*m.get("internal_partners", []), *m.get("external_partners", [])]
    return ", ".join(names) or DASH


def measures_table(part: _Part, year: int) -> Table:
    """One row per measure: the item's title only in the first row of its group, a label
    row where a sub-group starts."""
    rows: list[tuple[Rich, ...]] = []
    for item in part.items:
        measures = list(item.get("measures") or [])
        first = True
        subgroup = ""
        for m in measures:
            label = item.get("title", "") if first else ""
            if (m.get("subgroup") or "").strip() and m["subgroup"].strip() != subgroup:
                subgroup = m["subgroup"].strip()
                text = subgroup if subgroup.endswith(":") else f"{subgroup}:"
                rows.append((label, (Span(text, bold=True),), "", "", ""))
                label, first = "", False
            rows.append(
                (
                    label,
                    _activity(m),
                    _lead(m),
                    _partners(m),
                    planning_text(m) or DASH,
                )
            )
            first = False
    return Table(
        columns=MEASURE_COLUMNS,
        rows=tuple(rows),
        caption=f"Inzet {year}: {part.title}",
        widths=MEASURE_WIDTHS,
    )


def _performance(m: Mapping[str, Any]) -> str:
    indicator = (m.get("performance_indicator") or "").strip()
    goal = (m.get("performance_target") or "").strip()
    if indicator and goal:
        return f"{indicator}: {goal}"
    return indicator or goal or DASH


def _has_details(m: Mapping[str, Any]) -> bool:
    return bool(
        (m.get("performance_indicator") or "").strip()
        or (m.get("performance_target") or "").strip()
        or m.get("budget") is not None
        or (m.get("budget_source") or "").strip()
    )


def details_table(part: _Part, year: int) -> Table | None:
    """Performance and money, only for the measures that have them."""
    measures = [m for m in part.measures() if _has_details(m)]
    if not measures:
        return None
    return Table(
        columns=DETAIL_COLUMNS,
        rows=tuple(
            (
                m.get("title") or "",
                _performance(m),
                money(m["budget"]) if m.get("budget") is not None else DASH,
                (m.get("budget_source") or "").strip() or DASH,
            )
            for m in measures
        ),
        caption=f"Prestaties en middelen {year}: {part.title}",
        numeric_columns=frozenset({2}),
        widths=DETAIL_WIDTHS,
    )


def budget_blocks(part: _Part) -> list:
    figures = _Money().add(part.measures())
    if not figures.with_amount:
        return []
    return [
        Paragraph(f"Budget: {money(figures.total)} (totaal van de maatregelen met een bedrag).")
    ]


def part_section(part: _Part, number: str, year: int, *, with_indicators: bool = True) -> Section:
    section = Section(part.title, confidential=part.confidential, number=number)
    if part.confidential:
        section.blocks.append(Paragraph(CONFIDENTIAL_NOTE, "note"))
    indicators = list(part.owner.get("indicators") or [])
    if with_indicators and indicators:
        section.blocks.append(indicator_table(indicators, f"Effectindicatoren {part.title}"))
    if not part.measures():
        section.blocks.append(Paragraph(f"Voor {year} is hier geen extra inzet opgenomen."))
        return section
    section.blocks.append(measures_table(part, year))
    details = details_table(part, year)
    if details is not None:
        section.blocks.append(details)
    section.blocks += budget_blocks(part)
    return section


def _marked(part: _Part) -> str:
    """The title, with "(vertrouwelijk)" in the internal version."""
    return f"{part.title} (vertrouwelijk)" if part.confidential else part.title


def _part_label(part: _Part) -> str:
    label = _marked(part)
    return f"{label} (paragraaf {part.number} van het IVP)" if part.number else label


# -- chapters -----------------------------------------------------------------------------


def _overview_blocks(priorities: Sequence[_Part], clusters: Sequence[_Part]) -> list:
    blocks: list = []
    if priorities:
        blocks += [
            Paragraph("De prioriteiten van het IVP:"),
            BulletList(tuple(_part_label(p) for p in priorities)),
        ]
    if clusters:
        blocks += [
            Paragraph("De overige strategische thema's:"),
            BulletList(tuple(_part_label(c) for c in clusters)),
        ]
    return blocks


def _coordination(content: Mapping[str, Any], public: bool) -> tuple[str, str]:
    """The IVP's chapter on coordination and the policy cycle: its heading ("hoofdstuk 7
    ‘Coördinatie, verantwoording en begroting’") and text."""
    for chapter in ol.chapter_list(content):
        if chapter.method_number == 6 and not chapter.omitted:
            if public and chapter.confidential:
                return "", ""
            text = (chapter.data.get("text") or "").strip()
            sections = "\n\n".join(
                (s.get("text") or "").strip()
                for s in chapter.sections
                if not (public and s.get("confidential"))
            )
            return f"hoofdstuk {chapter.number} ‘{chapter.title}’", "\n\n".join(
                t for t in (text, sections) if t
            )
    return "", ""


def hoofdlijn_chapter(
    up: Mapping[str, Any],
    content: Mapping[str, Any],
    priorities: Sequence[_Part],
    clusters: Sequence[_Part],
    *,
    public: bool,
    concept: bool,
) -> Section:
    period = (content.get("plan") or {}).get("period") or ["", ""]
    chapter = Section(
        "Hoofdlijn IVP",
        text_blocks(up.get("main_line"))
        or ([Paragraph(GAP.format(what="de hoofdlijn van het IVP"), "concept")] if concept else []),
    )
    overview = _overview_blocks(priorities, clusters)
    if overview:
        chapter.subsections.append(
            Section("Prioriteiten en overige strategische thema's", overview)
        )
    where, text = _coordination(content, public)
    cycle = Section("Coördinatie en beleidscyclus")
    if text:
        cycle.blocks.append(Paragraph(f"Uit {where} van het IVP:"))
        cycle.blocks += text_blocks(text)
    else:
        cycle.blocks.append(
            Paragraph(
                f"Het college stelt jaarlijks een uitvoeringsplan vast bij het IVP "
                f"{period[0]}–{period[1]}. De voortgang wordt gevolgd in de "
                "voortgangsoverleggen met de partners en over elk uitvoeringsjaar volgt een "
                "voortgangsrapportage aan de raad."
            )
        )
    chapter.subsections.append(cycle)
    return chapter


def _status_sentence(measures: Sequence[Mapping[str, Any]], year: int) -> str:
    counts: dict[str, int] = {}
    for m in measures:
        counts[m.get("status") or "gepland"] = counts.get(m.get("status") or "gepland", 0) + 1
    parts = [f"{n} {STATUS_LABELS.get(s, s)}" for s, n in counts.items() if n]
    total = len(measures)
    noun = "maatregel" if total == 1 else "maatregelen"
    verb = "is" if total == 1 else "zijn"
    return f"Van de {total} {noun} uit het uitvoeringsplan {year} {verb} er {_join(parts)}."


def _look_back_table(parts: Sequence[_Part], year: int) -> Table:
    rows: list[tuple[str, ...]] = []
    for part in parts:
        for item in part.items:
            for index, m in enumerate(item.get("measures") or []):
                owner = f"{part.title}, vertrouwelijk" if part.confidential else part.title
                label = f"{item.get('title')} ({owner})" if index == 0 else ""
                rows.append((label, m.get("title") or "", STATUS_LABELS.get(m.get("status"), "")))
    return Table(
        columns=("Onderdeel", "Maatregel", "Status"),
        rows=tuple(rows),
        caption=f"Maatregelen uit het uitvoeringsplan {year} en hun status",
        widths=(5.0, 10.0, 2.4),
    )


def terugblik_chapter(
    content: Mapping[str, Any], up: Mapping[str, Any], *, public: bool
) -> Section | None:
    plans = {p.get("year"): p for p in content.get("implementation_plans") or []}
    previous = plans.get(up.get("previous_year"))
    look_back = text_blocks(up.get("look_back"))
    if previous is None and not look_back:
        return None
    chapter = Section("Terugblik", look_back)
    if previous is None:
        return chapter
    priorities, clusters = _parts(content, previous, public)
    parts = [*priorities, *clusters]
    measures = [m for p in parts for m in p.measures()]
    if not measures:
        return chapter if chapter.blocks else None
    sentence = _status_sentence(measures, previous["year"])
    current = [m for item in up.get("items") or [] for m in item.get("measures") or []]
    continued = sum(1 for m in current if m.get("carried_over"))
    if continued:
        sentence += f" {continued} {'loopt' if continued == 1 else 'lopen'} door in {up['year']}."
    chapter.blocks += [Paragraph(sentence), _look_back_table(parts, previous["year"])]
    return chapter


def uitwerking_chapter(
    title: str, parts: Sequence[_Part], number: str, year: int, *, priorities: bool
) -> Section | None:
    if not parts:
        return None
    chapter = Section(title, landscape=True)
    if priorities:
        intro = (
            "Per prioriteit van het IVP: de effectindicatoren met hun uitgangswaarde en "
            f"doelstelling, en de inzet in {year}."
        )
    else:
        intro = (
            f"Per cluster van overige strategische thema's de inzet in {year}. Hier gaat het "
            "vooral om het voortzetten en bewaken van de lopende aanpak."
        )
    chapter.blocks.append(Paragraph(intro))
    chapter.subsections = [
        part_section(p, f"{number}.{i}", year) for i, p in enumerate(parts, start=1)
    ]
    return chapter


def _budget_table(parts: Sequence[_Part], year: int) -> tuple[Table, _Money]:
    overall = _Money()
    rows = []
    for part in parts:
        if not part.measures():
            continue
        figures = _Money().add(part.measures())
        overall.add(part.measures())
        rows.append(
            (
                _marked(part),
                part.kind,
                str(figures.count),
                str(len(figures.without_amount)),
                money(figures.total) if figures.with_amount else DASH,
            )
        )
    rows.append(
        ("Totaal", "", str(overall.count), str(len(overall.without_amount)), money(overall.total))
    )
    table = Table(
        columns=("Prioriteit / overig thema", "Soort", "Maatregelen", "Zonder bedrag", "Budget"),
        rows=tuple(rows),
        caption=f"Budget {year} per prioriteit en overig strategisch thema",
        source="Het totaal telt de maatregelen met een bedrag.",
        numeric_columns=frozenset({2, 3, 4}),
        widths=(6.0, 2.6, 2.4, 2.4, 2.6),
    )
    return table, overall


def _source_table(figures: _Money, year: int) -> Table:
    ordered = sorted(figures.per_source.items(), key=lambda kv: (kv[0] == NO_SOURCE, -kv[1]))
    return Table(
        columns=("Dekking", "Budget"),
        rows=(*((s, money(a)) for s, a in ordered), ("Totaal", money(figures.total))),
        caption=f"Budget {year} per dekking",
        numeric_columns=frozenset({1}),
        widths=(10.0, 3.0),
    )


def begroting_chapter(up: Mapping[str, Any], parts: Sequence[_Part]) -> Section:
    year = up["year"]
    chapter = Section("Begroting")
    chapter.blocks += text_blocks(up.get("budget_note"))
    measures = [m for p in parts for m in p.measures()]
    if not any(m.get("budget") is not None for m in measures):
        chapter.blocks.append(
            Paragraph(
                f"In dit uitvoeringsplan zijn geen bedragen per maatregel opgenomen; de inzet "
                f"in {year} valt binnen de bestaande begroting en budgetten van de partners."
                if not chapter.blocks
                else "In dit uitvoeringsplan zijn geen bedragen per maatregel opgenomen."
            )
        )
        return chapter
    table, overall = _budget_table(parts, year)
    chapter.blocks += [
        Paragraph(f"Het totaal van de maatregelen met een bedrag is {money(overall.total)}."),
        table,
    ]
    if len(overall.per_source) > 1:
        chapter.blocks.append(_source_table(overall, year))
    missing = len(overall.without_amount)
    if missing:
        verb = "maatregel heeft" if missing == 1 else "maatregelen hebben"
        chapter.blocks.append(
            Paragraph(f"{missing} {verb} geen eigen bedrag; die tellen niet mee in het totaal.")
        )
    return chapter


# -- the document -------------------------------------------------------------------------


def _choose(
    content: Mapping[str, Any], year: int | None
) -> tuple[Mapping[str, Any] | None, list[int]]:
    plans = list(content.get("implementation_plans") or [])
    years = sorted(p["year"] for p in plans)
    if year is None:
        return (max(plans, key=lambda p: p["year"]) if plans else None), years
    return next((p for p in plans if p["year"] == year), None), years


def _missing(content: Mapping[str, Any], year: int | None, years: Sequence[int]) -> Document:
    info = content.get("plan") or {}
    period = info.get("period") or ["", ""]
    period_text = f"{period[0]}–{period[1]}"
    if year is None:
        text = f"Er is nog geen uitvoeringsplan bij het IVP {period_text}."
    else:
        text = f"Er is geen uitvoeringsplan voor {year} bij het IVP {period_text}."
    blocks = [Paragraph(text)]
    if years:
        blocks.append(
            Paragraph(f"Wel beschikbaar: uitvoeringsplan {_join([str(y) for y in years])}.")
        )
    else:
        blocks.append(
            Paragraph("Een uitvoeringsplan wordt in stap 5 gemaakt, na vaststelling van het IVP.")
        )
    return Document(
        title=info.get("title") or KIND,
        subtitle=f"Uitvoeringsplan {year}" if year else KIND,
        organisation=_organisation(content),
        kind=KIND,
        status="Geen uitvoeringsplan",
        sections=[Section("Geen uitvoeringsplan", blocks, number="")],
        with_toc=False,
    )


def _joint_view(content: Mapping[str, Any], municipality: str | None) -> dict[str, Any]:
    """A joint plan's content for one council (the shared parts and its own) or for the
    base team (every part, a local one marked with its gemeente)."""
    from ivp.documents import joint

    names = dict(joint.members(content))
    if municipality is not None:
        keep = (None, "", municipality)
        return {
            **content,
            "priorities": [
                p for p in content.get("priorities") or [] if p.get("municipality") in keep
            ],
            "ongoing": [p for p in content.get("ongoing") or [] if p.get("municipality") in keep],
        }
    renamed: dict[tuple[str, str], str] = {}
    parts: dict[str, list] = {}
    for key, kind in (("priorities", "priority"), ("ongoing", "ongoing")):
        parts[key] = []
        for part in content.get(key) or []:
            code = part.get("municipality")
            if code:
                title = f"{part.get('title')} (lokaal: {names.get(code, code)})"
                renamed[(kind, part.get("title") or "")] = title
                part = {**part, "title": title}
            parts[key].append(part)
    plans = [
        {
            **up,
            "items": [
                {
                    **item,
                    "owner": renamed.get(
                        (item.get("owner_kind") or "", item.get("owner") or ""), item.get("owner")
                    ),
                }
                for item in up.get("items") or []
            ],
        }
        for up in content.get("implementation_plans") or []
    ]
    return {**content, **parts, "implementation_plans": plans}


def build_uitvoeringsplan_from_content(
    content: Mapping[str, Any],
    year: int | None = None,
    *,
    public: bool = False,
    municipality: str | None = None,
    figures: Mapping[str, Any] | None = None,
) -> Document:
    """The implementation plan of ``year`` from the plan's content. A joint plan
    (``documents.joint``): ``municipality`` gives that council's plan (the shared parts and
    its own), without it the base team's plan with every local part marked; the budget
    chapter then shows each gemeente's contribution (``figures`` give the inhabitants)."""
    from ivp.documents import joint

    full = content
    joint_plan = joint.is_joint(content)
    if joint_plan:
        content = _joint_view(content, municipality)
    up, years = _choose(content, year)
    if up is None:
        return _missing(content, year, years)
    concept = up.get("status") != "vastgesteld"
    priorities, clusters = _parts(content, up, public)
    sections: list[Section] = [
        hoofdlijn_chapter(up, content, priorities, clusters, public=public, concept=concept)
    ]
    look_back = terugblik_chapter(content, up, public=public)
    if look_back is not None:
        sections.append(look_back)
    for title, parts, is_priority in (
        ("Uitwerking prioriteiten", priorities, True),
        ("Uitwerking overige strategische thema's", clusters, False),
    ):
        chapter = uitwerking_chapter(
            title, parts, str(len(sections) + 1), up["year"], priorities=is_priority
        )
        if chapter is not None:
            sections.append(chapter)
    sections.append(begroting_chapter(up, [*priorities, *clusters]))
    if joint_plan:
        full_up = next(p for p in full.get("implementation_plans") or [] if p["year"] == up["year"])
        budget = joint.joint_budget(full, full_up, joint.populations_of(figures), public=public)
        blocks = joint.budget_blocks(budget, only=municipality)
        if blocks:
            sections[-1].subsections.append(Section("Bijdrage per gemeente", blocks))
    for index, section in enumerate(sections, start=1):
        section.number = str(index)
    adopted = (
        date.fromisoformat(up["adopted_on"])
        if up.get("status") == "vastgesteld" and up.get("adopted_on")
        else None
    )
    status = status_text(up)
    if not public and any(p.confidential for p in [*priorities, *clusters]):
        status += " · interne versie met vertrouwelijke onderdelen"
    info = content.get("plan") or {}
    period = info.get("period") or [None, None]
    organisation = _organisation(content)
    if municipality is not None:
        organisation = f"Gemeente {joint.member_name(full, municipality)}"
    document = Document(
        title=info.get("title") or KIND,
        subtitle=f"Uitvoeringsplan {up['year']}",
        organisation=organisation,
        kind=KIND,
        status=status,
        date=adopted or date.today(),
        sections=sections,
        period=f"{period[0]}–{period[1]}" if period and period[0] else "",
    )
    return document.public() if public else document


def build_uitvoeringsplan(
    plan: Plan, year: int | None = None, *, public: bool = False, municipality: str | None = None
) -> Document:
    """The implementation plan of ``plan`` for ``year`` (default: the latest one). Without
    such a plan, a short document that says so. ``public`` leaves the confidential
    priorities and clusters out of everything; the internal version marks them. A joint
    plan: ``municipality`` gives that council's plan (``documents.joint``)."""
    from ivp.beleidsplan.content import plan_content
    from ivp.documents import joint

    content = plan_content(plan)
    figures = joint.area_figures(plan) if joint.is_joint(content) else None
    return build_uitvoeringsplan_from_content(
        content, year, public=public, municipality=municipality, figures=figures
    )


def annex_sections(
    content: Mapping[str, Any], *, public: bool
) -> tuple[list, list[Section]] | None:
    """The first year's implementation plan as an annex of the IVP: an introduction and per
    priority and cluster its measures (None when there is no plan with measures)."""
    plans = sorted(content.get("implementation_plans") or [], key=lambda p: p["year"])
    up = next((p for p in plans if any(i.get("measures") for i in p.get("items") or [])), None)
    if up is None:
        return None
    priorities, clusters = _parts(content, up, public)
    parts = [p for p in [*priorities, *clusters] if p.measures()]
    status = status_text(up).lower()
    intro = [
        Paragraph(
            f"Het uitvoeringsplan {up['year']} werkt de prioriteiten en de overige "
            "strategische thema's van dit plan uit in concrete inzet voor het eerste jaar: wie "
            f"wat doet, met welke partners en wanneer ({status})."
        )
    ]
    subsections = [part_section(p, "", up["year"], with_indicators=False) for p in parts]
    return intro, subsections
