"""The uitvoeringsplan (step 5): the college's yearly implementation plan of an IVP, in the
handbook's structure — the main line of the IVP, a look back at last year's plan, per
priority and per cluster of ongoing themes the measures (who, with whom, when, with what
money), and the budget.

Built from ``uitvoering`` (the plan of one year, its items and measures) and ``beleidsplan``
(the priorities, clusters, effect indicators and chapter 6 of the IVP). Confidential
priorities and clusters are ``Section(confidential=True)`` and marked in the internal
version; the public version (``public=True``) leaves them out of every list, table and total
too, so no figure gives them away. A text nobody has written yet is printed as a visible
placeholder.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

from ivp.beleidsplan.models import Effectindicator, Hoofdstuk, OverigThema, Prioriteit
from ivp.documents.docx_writer import dutch_date
from ivp.documents.model import BulletList, Document, Paragraph, Section, Table
from ivp.plans.models import Plan
from ivp.uitvoering.models import Maatregel, Onderdeel, Uitvoeringsplan

KIND = "Uitvoeringsplan"
PLACEHOLDER = "Nog niet ingevuld."
DASH = "—"
CONFIDENTIAL_NOTE = "Vertrouwelijk: dit onderdeel staat niet in de openbare versie van het plan."
NO_SOURCE = "Dekking niet opgegeven"

MEASURE_COLUMNS = (
    "Onderdeel",
    "Inzet/activiteiten",
    "Bestuurlijk trekker",
    "Interne en externe partners",
    "Planning",
)
MEASURE_WIDTHS = (3.0, 4.3, 2.5, 3.5, 1.9)
DETAIL_COLUMNS = (
    "Inzet/activiteit",
    "Ambtelijk trekker",
    "Prestatie-indicator",
    "Budget",
    "Dekking",
)
DETAIL_WIDTHS = (4.2, 2.9, 4.0, 1.8, 2.7)
INDICATOR_COLUMNS = ("Indicator", "Uitgangswaarde", "Doelstelling")
INDICATOR_WIDTHS = (7.0, 2.6, 2.8)
UNITS = {
    "aantal": "aantal",
    "per_1000_inwoners": "per 1.000 inwoners",
    "per_1000_woningen": "per 1.000 woningen",
    "procent": "%",
    "rapportcijfer": "rapportcijfer",
}
DIRECTIONS = {"<=": "≤", ">=": "≥"}
INDICATOR_SOURCES = {
    Effectindicator.Bron.POLITIE: "CBS / Politie (geregistreerde criminaliteit, CBS StatLine)",
    Effectindicator.Bron.VEILIGHEIDSMONITOR: "Veiligheidsmonitor (CBS en gemeenten)",
    Effectindicator.Bron.GEMEENTE: "eigen registratie van de gemeente",
}


# -- numbers, money and names the Dutch way ----------------------------------------------


def _swap(text: str) -> str:
    return text.translate(str.maketrans({",": ".", ".": ","}))


def money(amount: Decimal | int | float) -> str:
    """12500 → "€ 12.500"; 1250.5 → "€ 1.250,50"."""
    value = Decimal(str(amount))
    text = f"{int(value):,}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"€ {_swap(text)}"


def dutch_number(value: float) -> str:
    """8.2 → "8,2"; 1259 → "1.259"; 6.75 → "6,75" (at most two decimals)."""
    value = float(value)
    text = f"{int(value):,}" if value.is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return _swap(text).replace("-", "\N{MINUS SIGN}")


def _join(items: Sequence[str], last: str = "en") -> str:
    """ "a", "a en b", "a, b en c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


@cache
def _theme_titles() -> dict[str, str]:
    from ivp.catalogue.content_loader import shipped_catalogue

    return {t.code: t.titel for t in shipped_catalogue().themas}


def theme_label(code: str) -> str:
    title = _theme_titles().get(code)
    return f"{code} {title}" if title else code


def _themes_line(codes: Iterable[str]) -> str:
    labels = [theme_label(c) for c in codes if c]
    if not labels:
        return "Thema's: nog niet gekozen."
    return ("Thema: " if len(labels) == 1 else "Thema's: ") + "; ".join(labels) + "."


def text_blocks(text: str | None, placeholder: str = PLACEHOLDER) -> list:
    """Paragraphs of a text (blank lines separate them), or the placeholder in note style."""
    parts = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]
    if not parts:
        return [Paragraph(placeholder, "note")]
    return [Paragraph(p) for p in parts]


def status_text(up: Uitvoeringsplan) -> str:
    """ "Concept", or "Vastgesteld door het college op 3 februari 2027"."""
    if up.status == Uitvoeringsplan.Status.VASTGESTELD:
        if up.vastgesteld_op:
            return f"Vastgesteld door het college op {dutch_date(up.vastgesteld_op)}"
        return "Vastgesteld door het college"
    return "Concept"


def _organisation(plan: Plan) -> str:
    names = [g.naam for g in plan.gemeenten.all()]
    joined = ", ".join(names) or "(geen gemeente)"
    return f"Gemeente {joined}" if len(names) <= 1 else f"Gemeenten {joined}"


# -- the parts: a priority or a cluster with its items and measures ----------------------


@dataclass
class _Part:
    """A priority or a cluster of ongoing themes with its items in one implementation plan."""

    owner: Prioriteit | OverigThema
    items: list[Onderdeel] = field(default_factory=list)

    @property
    def is_priority(self) -> bool:
        return isinstance(self.owner, Prioriteit)

    @property
    def confidential(self) -> bool:
        return bool(self.owner.vertrouwelijk)

    @property
    def title(self) -> str:
        return self.owner.titel or "(zonder titel)"

    @property
    def kind(self) -> str:
        return "Prioriteit" if self.is_priority else "Overig thema"

    def measures(self) -> list[Maatregel]:
        return [m for item in self.items for m in item.maatregelen.all()]


@dataclass
class _Money:
    total: Decimal = Decimal("0")
    count: int = 0
    with_amount: int = 0
    without_amount: list[str] = field(default_factory=list)
    per_source: dict[str, Decimal] = field(default_factory=dict)

    def add(self, measures: Iterable[Maatregel]) -> _Money:
        for m in measures:
            self.count += 1
            if m.budget is None:
                self.without_amount.append(m.titel)
                continue
            self.with_amount += 1
            self.total += m.budget
            source = (m.budget_bron or "").strip() or NO_SOURCE
            self.per_source[source] = self.per_source.get(source, Decimal("0")) + m.budget
        return self


def _parts(plan: Plan, up: Uitvoeringsplan, public: bool) -> tuple[list[_Part], list[_Part]]:
    """The priorities and clusters of ``plan`` with their items in ``up``; without the
    confidential ones when ``public``."""
    owners = (
        Prioriteit.objects.filter(plan=plan),
        OverigThema.objects.filter(plan=plan),
    )
    priorities, clusters = (
        [
            _Part(o)
            for o in query.prefetch_related("indicatoren")
            if not (public and o.vertrouwelijk)
        ]
        for query in owners
    )
    by_key = {("p", p.owner.pk): p for p in priorities}
    by_key.update({("o", c.owner.pk): c for c in clusters})
    items = Onderdeel.objects.filter(uitvoeringsplan=up).prefetch_related("maatregelen")
    for item in items:
        key = ("p", item.prioriteit_id) if item.prioriteit_id else ("o", item.overig_thema_id)
        if key in by_key:
            by_key[key].items.append(item)
    return priorities, clusters


def _partners(m: Maatregel) -> str:
    parts = []
    intern = [str(p).strip() for p in m.partners_intern or [] if str(p).strip()]
    extern = [str(p).strip() for p in m.partners_extern or [] if str(p).strip()]
    if intern:
        parts.append(f"intern: {', '.join(intern)}")
    if extern:
        parts.append(f"extern: {', '.join(extern)}")
    return "; ".join(parts) or DASH


def _activity(m: Maatregel) -> str:
    description = (m.beschrijving or "").strip().replace("\n", " ")
    return f"{m.titel} — {description}" if description else m.titel


def _performance(m: Maatregel) -> str:
    indicator = (m.prestatie_indicator or "").strip()
    goal = (m.prestatie_doel or "").strip()
    if indicator and goal:
        return f"{indicator}: {goal}"
    return indicator or goal or DASH


# -- blocks -------------------------------------------------------------------------------


def _indicator_name(ind: Effectindicator) -> str:
    name = (ind.naam or "").strip() or "(zonder naam)"
    unit = UNITS.get(ind.eenheid or "", "")
    if unit and unit != "%" and unit.lower() not in name.lower():
        return f"{name} ({unit})"
    return name


def _value(ind: Effectindicator, value: float | None) -> str:
    if value is None:
        return ""
    return f"{dutch_number(value)}{'%' if ind.eenheid == 'procent' else ''}"


def baseline_text(ind: Effectindicator) -> str:
    value = _value(ind, ind.uitgangswaarde)
    if not value:
        return "nog te bepalen"
    return f"{value} ({ind.uitgangsjaar})" if ind.uitgangsjaar else value


def target_text(ind: Effectindicator) -> str:
    value = _value(ind, ind.streefwaarde)
    if not value:
        return "nog te bepalen"
    sign = DIRECTIONS.get(ind.richting or "", "")
    text = f"{sign} {value}" if sign else value
    return f"{text} in {ind.streefjaar}" if ind.streefjaar else text


def _indicator_source(indicators: Sequence[Effectindicator], plan: Plan) -> str:
    sources: list[str] = []
    for ind in indicators:
        if ind.bron in INDICATOR_SOURCES:
            label = INDICATOR_SOURCES[ind.bron]
        else:
            label = (ind.bron_toelichting or "").strip() or "andere bron"
        if ind.bron != Effectindicator.Bron.ANDERS and (ind.bron_toelichting or "").strip():
            label = f"{label}, {ind.bron_toelichting.strip()}"
        if label not in sources:
            sources.append(label)
    return f"Bron uitgangswaarden: {'; '.join(sources)}. Doelstellingen: IVP {plan.periode}, ivp."


def indicator_blocks(part: _Part, plan: Plan) -> list:
    indicators = list(part.owner.indicatoren.all())
    if not indicators:
        if part.is_priority:
            return [Paragraph("Nog geen effectindicatoren vastgelegd in het IVP.", "note")]
        return []
    return [
        Table(
            columns=INDICATOR_COLUMNS,
            rows=tuple((_indicator_name(i), baseline_text(i), target_text(i)) for i in indicators),
            caption=f"Effectindicatoren {part.title}",
            source=_indicator_source(indicators, plan),
            widths=INDICATOR_WIDTHS,
        )
    ]


def measures_table(part: _Part, year: int) -> Table:
    """One row per measure; the item's title only in the first row of its group."""
    rows: list[tuple[str, ...]] = []
    for item in part.items:
        measures = list(item.maatregelen.all())
        if not measures:
            rows.append((item.titel, "Nog geen maatregelen.", DASH, DASH, DASH))
        for index, m in enumerate(measures):
            rows.append(
                (
                    item.titel if index == 0 else "",
                    _activity(m),
                    (m.bestuurlijk_trekker or "").strip() or DASH,
                    _partners(m),
                    m.planning_tekst or DASH,
                )
            )
    return Table(
        columns=MEASURE_COLUMNS,
        rows=tuple(rows),
        caption=f"Inzet {year}: {part.title}",
        source=f"Bron: uitvoeringsplan {year}, ivp.",
        widths=MEASURE_WIDTHS,
    )


def details_table(part: _Part, year: int) -> Table:
    return Table(
        columns=DETAIL_COLUMNS,
        rows=tuple(
            (
                m.titel,
                (m.ambtelijk_trekker or "").strip() or DASH,
                _performance(m),
                money(m.budget) if m.budget is not None else DASH,
                (m.budget_bron or "").strip() or DASH,
            )
            for m in part.measures()
        ),
        caption=f"Prestaties en middelen {year}: {part.title}",
        source=f"Bron: uitvoeringsplan {year}, ivp.",
        numeric_columns=frozenset({3}),
        widths=DETAIL_WIDTHS,
    )


def budget_blocks(part: _Part) -> list:
    figures = _Money().add(part.measures())
    blocks: list = []
    if figures.with_amount:
        blocks.append(
            Paragraph(f"Budget: {money(figures.total)} (totaal van de maatregelen met een bedrag).")
        )
    else:
        blocks.append(Paragraph("Budget: nog geen bedragen opgegeven.", "note"))
    if figures.without_amount and figures.with_amount:
        blocks.append(Paragraph("Nog zonder bedrag: " + "; ".join(figures.without_amount) + "."))
    return blocks


def part_section(part: _Part, number: str, year: int, plan: Plan) -> Section:
    section = Section(part.title, confidential=part.confidential, number=number)
    if part.confidential:
        section.blocks.append(Paragraph(CONFIDENTIAL_NOTE, "note"))
    section.blocks.append(Paragraph(_themes_line(part.owner.themas or [])))
    section.blocks += indicator_blocks(part, plan)
    if not part.items:
        section.blocks.append(
            Paragraph(f"Nog geen onderdelen of maatregelen in het uitvoeringsplan {year}.", "note")
        )
        return section
    section.blocks.append(measures_table(part, year))
    if part.measures():
        section.blocks.append(details_table(part, year))
    section.blocks += budget_blocks(part)
    return section


def _marked(part: _Part) -> str:
    """The title, with "(vertrouwelijk)" in the internal version."""
    return f"{part.title} (vertrouwelijk)" if part.confidential else part.title


def _part_label(part: _Part) -> str:
    codes = [c for c in part.owner.themas or [] if c]
    label = _marked(part)
    return f"{label} (thema {', '.join(codes)})" if codes else label


# -- chapters -----------------------------------------------------------------------------


def _overview_blocks(priorities: Sequence[_Part], clusters: Sequence[_Part]) -> list:
    blocks: list = [Paragraph("Prioriteiten van het IVP:")]
    if priorities:
        blocks.append(BulletList(tuple(_part_label(p) for p in priorities)))
    else:
        blocks.append(Paragraph("Nog geen prioriteiten vastgelegd in het IVP.", "note"))
    blocks.append(Paragraph("Overige strategische thema's (clusters):"))
    if clusters:
        blocks.append(BulletList(tuple(_part_label(c) for c in clusters)))
    else:
        blocks.append(Paragraph("Nog geen overige strategische thema's vastgelegd.", "note"))
    return blocks


def hoofdlijn_chapter(
    up: Uitvoeringsplan,
    plan: Plan,
    priorities: Sequence[_Part],
    clusters: Sequence[_Part],
    *,
    public: bool,
) -> Section:
    chapter = Section(
        "Hoofdlijn IVP", text_blocks(up.hoofdlijn, "Hoofdlijn nog niet ingevuld."), number="1"
    )
    chapter.subsections.append(
        Section(
            "Prioriteiten en overige strategische thema's",
            _overview_blocks(priorities, clusters),
            number="1.1",
        )
    )
    cycle = Section("Coördinatie en beleidscyclus", number="1.2")
    hoofdstuk = Hoofdstuk.objects.filter(plan=plan, nummer=Hoofdstuk.Nummer.COORDINATIE).first()
    text = (hoofdstuk.tekst if hoofdstuk else "").strip()
    if hoofdstuk is not None and hoofdstuk.vertrouwelijk and public:
        text = ""
    if text:
        cycle.blocks.append(
            Paragraph("Uit hoofdstuk 6 van het IVP (coördinatie en beleidscyclus):")
        )
        if hoofdstuk.vertrouwelijk:
            cycle.blocks.append(Paragraph(CONFIDENTIAL_NOTE, "note"))
        cycle.blocks += text_blocks(text)
    else:
        cycle.blocks += [
            Paragraph(
                "Hoofdstuk 6 van het IVP (coördinatie en beleidscyclus) is nog niet ingevuld.",
                "note",
            )
            if hoofdstuk is None or not hoofdstuk.vertrouwelijk
            else Paragraph("Zie hoofdstuk 6 van het IVP (coördinatie en beleidscyclus)."),
            Paragraph(
                f"Het college stelt jaarlijks een uitvoeringsplan vast bij het IVP "
                f"{plan.periode}. De voortgang wordt gevolgd in de voortgangsoverleggen met de "
                "partners en over elk uitvoeringsjaar volgt een voortgangsrapportage aan de raad."
            ),
        ]
    chapter.subsections.append(cycle)
    return chapter


def _status_sentence(measures: Sequence[Maatregel], year: int) -> str:
    counts = {s: 0 for s in Maatregel.Status}
    for m in measures:
        counts[Maatregel.Status(m.status)] += 1
    parts = [f"{n} {status.label.lower()}" for status, n in counts.items() if n]
    total = len(measures)
    noun = "maatregel" if total == 1 else "maatregelen"
    verb = "is" if sum(counts.values()) == 1 else "zijn"
    return f"Van de {total} {noun} uit het uitvoeringsplan {year} {verb} er {_join(parts)}."


def _look_back_table(parts: Sequence[_Part], year: int) -> Table:
    rows: list[tuple[str, ...]] = []
    for part in parts:
        for item in part.items:
            for index, m in enumerate(item.maatregelen.all()):
                owner = f"{part.title}, vertrouwelijk" if part.confidential else part.title
                label = f"{item.titel} ({owner})" if index == 0 else ""
                rows.append((label, m.titel, m.get_status_display()))
    return Table(
        columns=("Onderdeel", "Maatregel", "Status"),
        rows=tuple(rows),
        caption=f"Maatregelen uit het uitvoeringsplan {year} en hun status",
        source=f"Bron: uitvoeringsplan {year}, ivp (status zoals vastgelegd in ivp).",
        widths=(4.4, 7.8, 2.2),
    )


def terugblik_chapter(up: Uitvoeringsplan, *, public: bool) -> Section | None:
    previous = up.vorig
    if previous is None and not (up.terugblik or "").strip():
        return None
    chapter = Section("Terugblik", text_blocks(up.terugblik, "Terugblik nog niet ingevuld."))
    if previous is None:
        return chapter
    priorities, clusters = _parts(previous.plan, previous, public)
    parts = [*priorities, *clusters]
    measures = [m for p in parts for m in p.measures()]
    if not measures:
        chapter.blocks.append(
            Paragraph(f"Het uitvoeringsplan {previous.jaar} bevat geen maatregelen.", "note")
        )
        return chapter
    follow = set(
        Maatregel.objects.filter(onderdeel__uitvoeringsplan=up)
        .exclude(overgenomen_van=None)
        .values_list("overgenomen_van_id", flat=True)
    )
    sentence = _status_sentence(measures, previous.jaar)
    continued = sum(1 for m in measures if m.pk in follow)
    if continued:
        sentence += (
            f" Daarvan {'loopt' if continued == 1 else 'lopen'} er {continued} door in {up.jaar}."
        )
    chapter.blocks += [Paragraph(sentence), _look_back_table(parts, previous.jaar)]
    return chapter


def uitwerking_chapter(
    title: str, parts: Sequence[_Part], number: str, year: int, plan: Plan, *, priorities: bool
) -> Section:
    chapter = Section(title)
    if not parts:
        what = "prioriteiten" if priorities else "overige strategische thema's"
        chapter.blocks.append(Paragraph(f"Het IVP heeft nog geen {what}.", "note"))
        return chapter
    if priorities:
        intro = (
            "Per prioriteit van het IVP: de thema's, de effectindicatoren met hun "
            f"uitgangswaarde en doelstelling, en de inzet in {year}."
        )
    else:
        intro = (
            "Per cluster van overige strategische thema's: de thema's en de inzet in "
            f"{year}. Hier gaat het vooral om het voortzetten en bewaken van de lopende aanpak."
        )
    chapter.blocks.append(Paragraph(intro))
    chapter.subsections = [
        part_section(p, f"{number}.{i}", year, plan) for i, p in enumerate(parts, start=1)
    ]
    return chapter


def _budget_table(parts: Sequence[_Part], year: int, caption: str) -> tuple[Table, _Money]:
    overall = _Money()
    rows = []
    for part in parts:
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
        (
            "Totaal",
            "",
            str(overall.count),
            str(len(overall.without_amount)),
            money(overall.total),
        )
    )
    table = Table(
        columns=("Prioriteit / overig thema", "Soort", "Maatregelen", "Zonder bedrag", "Budget"),
        rows=tuple(rows),
        caption=caption,
        source=f"Bron: uitvoeringsplan {year}, ivp (som van de budgetten van de maatregelen).",
        numeric_columns=frozenset({2, 3, 4}),
        widths=(5.4, 2.4, 2.4, 2.2, 2.4),
    )
    return table, overall


def _source_table(figures: _Money, year: int, caption: str) -> Table:
    ordered = sorted(figures.per_source.items(), key=lambda kv: (kv[0] == NO_SOURCE, -kv[1]))
    return Table(
        columns=("Dekking", "Budget"),
        rows=(*((s, money(a)) for s, a in ordered), ("Totaal", money(figures.total))),
        caption=caption,
        source=f"Bron: uitvoeringsplan {year}, ivp (dekking zoals per maatregel opgegeven).",
        numeric_columns=frozenset({1}),
        widths=(9.0, 3.0),
    )


def begroting_chapter(up: Uitvoeringsplan, parts: Sequence[_Part]) -> Section:
    year = up.jaar
    chapter = Section("Begroting")
    if not any(p.measures() for p in parts):
        chapter.blocks.append(
            Paragraph(f"Nog geen maatregelen in het uitvoeringsplan {year}.", "note")
        )
    else:
        table, overall = _budget_table(
            parts, year, f"Budget {year} per prioriteit en overig strategisch thema"
        )
        chapter.blocks += [
            Paragraph(
                f"Totaal budget {year}: {money(overall.total)}, het totaal van de maatregelen "
                "met een bedrag."
            ),
            table,
        ]
        if overall.per_source:
            chapter.blocks.append(_source_table(overall, year, f"Budget {year} per dekking"))
        missing = len(overall.without_amount)
        if missing:
            verb = "maatregel heeft" if missing == 1 else "maatregelen hebben"
            chapter.blocks.append(
                Paragraph(f"{missing} {verb} nog geen bedrag; die tellen niet mee in het totaal.")
            )
    chapter.blocks += [
        Paragraph("Toelichting:"),
        *text_blocks(up.begroting_toelichting, "Nog geen toelichting op de begroting."),
    ]
    return chapter


# -- the document -------------------------------------------------------------------------


def _choose(plan: Plan, year: int | None) -> tuple[Uitvoeringsplan | None, list[int]]:
    plans = list(Uitvoeringsplan.objects.filter(plan=plan).select_related("vorig"))
    years = sorted(p.jaar for p in plans)
    if year is None:
        return (max(plans, key=lambda p: p.jaar) if plans else None), years
    return next((p for p in plans if p.jaar == year), None), years


def _missing(plan: Plan, year: int | None, years: Sequence[int]) -> Document:
    if year is None:
        text = f"Er is nog geen uitvoeringsplan bij het IVP {plan.periode}."
    else:
        text = f"Er is geen uitvoeringsplan voor {year} bij het IVP {plan.periode}."
    blocks = [Paragraph(text)]
    if years:
        blocks.append(Paragraph(f"Wel in ivp: uitvoeringsplan {_join([str(y) for y in years])}."))
    else:
        blocks.append(
            Paragraph("Een uitvoeringsplan wordt in stap 5 gemaakt, na vaststelling van het IVP.")
        )
    return Document(
        title=plan.titel,
        subtitle=f"Uitvoeringsplan {year}" if year else KIND,
        organisation=_organisation(plan),
        kind=KIND,
        status="Geen uitvoeringsplan",
        sections=[Section("Geen uitvoeringsplan", blocks, number="")],
        with_toc=False,
    )


def build_uitvoeringsplan(plan: Plan, year: int | None = None, *, public: bool = False) -> Document:
    """The implementation plan of ``plan`` for ``year`` (default: the latest one). Without
    such a plan, a short document that says so. ``public`` leaves the confidential
    priorities and clusters out of everything; the internal version marks them."""
    up, years = _choose(plan, year)
    if up is None:
        return _missing(plan, year, years)
    priorities, clusters = _parts(plan, up, public)
    sections = [hoofdlijn_chapter(up, plan, priorities, clusters, public=public)]
    look_back = terugblik_chapter(up, public=public)
    if look_back is not None:
        sections.append(look_back)
    first = len(sections) + 1
    sections += [
        uitwerking_chapter(
            "Uitwerking prioriteiten", priorities, str(first), up.jaar, plan, priorities=True
        ),
        uitwerking_chapter(
            "Uitwerking overige strategische thema's",
            clusters,
            str(first + 1),
            up.jaar,
            plan,
            priorities=False,
        ),
        begroting_chapter(up, [*priorities, *clusters]),
    ]
    for index, section in enumerate(sections, start=1):
        section.number = str(index)
    adopted = up.vastgesteld_op if up.status == Uitvoeringsplan.Status.VASTGESTELD else None
    status = status_text(up)
    if not public and any(p.confidential for p in [*priorities, *clusters]):
        status += " · interne versie met vertrouwelijke onderdelen"
    document = Document(
        title=plan.titel,
        subtitle=f"Uitvoeringsplan {up.jaar}",
        organisation=_organisation(plan),
        kind=KIND,
        status=status,
        version=f"versie {up.version}",
        date=adopted or date.today(),
        sections=sections,
        new_page_per_chapter=True,
    )
    return document.public() if public else document
