"""The parts of a joint plan's documents (the plan of several gemeenten of one base team):
which priorities are shared and which local, a gemeente's figures next to the area's, and
the budget per gemeente with the shared budget divided by inhabitants.

The IVP and the uitvoeringsplan of a joint plan come in two kinds (docs/joint-plans.md):
the joint document for the base team (the shared chapters, then a chapter with a section per
gemeente), and one document per council (the shared chapters, then that gemeente's local
chapter with its own figures next to the area's and its own budget).

The content is the plan's JSON (``beleidsplan.content.plan_content``): a local part carries
its gemeente's code in ``municipality``. The figures (``area_figures``) come from
``veiligheidsanalyse.services.area_pictures`` at export time.

Plain Python apart from :func:`area_figures`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ivp.documents.model import BulletList, Paragraph, Section, Table, inline

SOURCE = "Bron: CBS / Politie (47018NED; 83648NED voor voormalige gemeenten), CBS 70072NED"
TERMS = {"kort": "Korte termijn", "lang": "Lange termijn", "": "Acties"}


class UnknownMember(ValueError):
    """A municipality that is not one of the plan's gemeenten."""


def members(content: Mapping[str, Any]) -> list[tuple[str, str]]:
    info = content.get("plan") or {}
    return [(m.get("code") or "", m.get("name") or "") for m in info.get("municipalities") or []]


def is_joint(content: Mapping[str, Any]) -> bool:
    return len(members(content)) > 1


def member_name(content: Mapping[str, Any], code: str) -> str:
    found = dict(members(content))
    if code not in found:
        raise UnknownMember(
            f"{code} is not a municipality of this plan; choose from {', '.join(found)}"
        )
    return found[code]


def shared_content(content: Mapping[str, Any]) -> dict[str, Any]:
    """``content`` with only the shared priorities and clusters (the joint chapters)."""
    return {
        **content,
        "priorities": [p for p in content.get("priorities") or [] if not p.get("municipality")],
        "ongoing": [p for p in content.get("ongoing") or [] if not p.get("municipality")],
    }


def local_parts(content: Mapping[str, Any], code: str) -> tuple[list[dict], list[dict]]:
    """The priorities and clusters local to gemeente ``code``."""
    return (
        [p for p in content.get("priorities") or [] if p.get("municipality") == code],
        [p for p in content.get("ongoing") or [] if p.get("municipality") == code],
    )


def action_blocks(part: Mapping[str, Any]) -> list:
    """A priority's actions, grouped by term (short, long, without term)."""
    actions = [a for a in part.get("actions") or [] if (a.get("text") or "").strip()]
    blocks: list = []
    for term in ("kort", "lang", ""):
        chosen = [a["text"].strip() for a in actions if (a.get("term") or "") == term]
        if chosen:
            if len({a.get("term") or "" for a in actions}) > 1 or term:
                blocks.append(Paragraph(f"{TERMS[term]}:"))
            blocks.append(BulletList(tuple(inline(t) for t in chosen)))
    return blocks


# -- figures ---------------------------------------------------------------------------


def _nl(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def area_figures(plan) -> dict[str, Any] | None:
    """The area's and each member's registered crime in the reference year: the total and
    every theme with figures, as plain values (None when no figures at all)."""
    from ivp.veiligheidsanalyse import services

    aggregate, pictures = services.area_pictures(plan)
    shown = [p for _c, _n, p, _r in pictures if p is not None]
    if aggregate is None and not shown:
        return None
    year = aggregate.year if aggregate else shown[0].year
    key = str(year)

    def rows(picture) -> dict[str, list]:
        if picture is None:
            return {}
        found = {}
        total = picture.category("0.0.0")
        if total is not None and total.has_data:
            found["0.0.0"] = ["Totaal misdrijven", total.counts.get(key), total.rates.get(key)]
        for theme in picture.themes:
            if theme.total.has_data:
                found[theme.code] = [
                    f"{theme.code} {theme.title}",
                    theme.total.counts.get(key),
                    theme.total.rates.get(key),
                ]
        return found

    def population(picture) -> float | None:
        return picture.population.get(key) if picture is not None else None

    return {
        "year": year,
        "area": {
            "name": services.area_name(plan),
            "rows": rows(aggregate),
            "population": population(aggregate),
        },
        "members": {
            code: {
                "name": naam,
                "rows": rows(p),
                "population": population(p),
                "note": reason,
            }
            for code, naam, p, reason in pictures
        },
    }


def figures_table(figures: Mapping[str, Any], code: str) -> Table | None:
    """Gemeente ``code`` next to the area: count and rate per theme in the reference year."""
    member = (figures.get("members") or {}).get(code) or {}
    area = figures.get("area") or {}
    keys = list(dict.fromkeys([*(member.get("rows") or {}), *(area.get("rows") or {})]))
    if not keys:
        return None
    rows = []
    for k in keys:
        own = (member.get("rows") or {}).get(k)
        whole = (area.get("rows") or {}).get(k)
        title = (own or whole)[0]
        rows.append(
            (
                title,
                _nl(own[1]) if own else "–",
                _nl(own[2], 2) if own else "–",
                _nl(whole[1]) if whole else "–",
                _nl(whole[2], 2) if whole else "–",
            )
        )
    name = member.get("name") or code
    year = figures.get("year")
    return Table(
        ("Thema", f"{name}: aantal", "per 1.000 inwoners", "Gebied: aantal", "per 1.000 inwoners"),
        tuple(rows),
        caption=f"Geregistreerde misdrijven {name} en het gebied als geheel, {year}",
        source=SOURCE,
        numeric_columns=frozenset({1, 2, 3, 4}),
        widths=(3.2, 1.3, 1.3, 1.3, 1.3),
    )


def figures_note(figures: Mapping[str, Any], code: str) -> list:
    """Why a member has fewer figures (a former gemeente: only the total)."""
    member = (figures.get("members") or {}).get(code) or {}
    name = member.get("name") or code
    rows = member.get("rows") or {}
    if member.get("note"):
        return [Paragraph(f"Van {name} zijn voor dit jaar geen cijfers beschikbaar.", "note")]
    if rows and set(rows) == {"0.0.0"}:
        return [
            Paragraph(
                f"Van {name} is alleen het totaal van de geregistreerde misdrijven bekend: de "
                "politie publiceert de soorten misdrijf in de huidige gemeentelijke indeling, "
                f"waarin {name} niet meer voorkomt.",
                "note",
            )
        ]
    return []


# -- budgets ---------------------------------------------------------------------------


@dataclass
class MemberBudget:
    code: str
    name: str
    population: float | None
    share: Decimal | None  # of the shared budget, by inhabitants
    local: Decimal = Decimal("0")
    local_measures: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal | None:
        return None if self.share is None else self.share + self.local


@dataclass
class JointBudget:
    year: int
    shared: Decimal
    population: float | None
    per_inhabitant: Decimal | None
    members: list[MemberBudget]


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def joint_budget(
    content: Mapping[str, Any],
    up: Mapping[str, Any],
    populations: Mapping[str, float | None],
    *,
    public: bool,
) -> JointBudget:
    """The shared budget (measures of shared priorities and clusters) divided over the
    members by inhabitants, and each member's own budget (measures of its local parts).
    Confidential parts count only in the internal version."""
    owners: dict[tuple[str, str], Mapping[str, Any]] = {}
    for key, kind in (("priorities", "priority"), ("ongoing", "ongoing")):
        for part in content.get(key) or []:
            owners[(kind, part.get("title") or "")] = part
    shared = Decimal("0")
    local: dict[str, Decimal] = {}
    for item in up.get("items") or []:
        owner = owners.get((item.get("owner_kind") or "", item.get("owner") or ""))
        if owner is None or (public and owner.get("confidential")):
            continue
        for m in item.get("measures") or []:
            if m.get("budget") is None:
                continue
            amount = Decimal(str(m["budget"]))
            code = owner.get("municipality")
            if code:
                local[code] = local.get(code, Decimal("0")) + amount
            else:
                shared += amount
    known = [v for v in populations.values() if v]
    total_population = sum(known) if len(known) == len(populations) and known else None
    per_inhabitant = _cents(shared / Decimal(str(total_population))) if total_population else None
    result = []
    for code, name in members(content):
        pop = populations.get(code)
        share = (
            _cents(shared * Decimal(str(pop)) / Decimal(str(total_population)))
            if pop and total_population
            else None
        )
        result.append(MemberBudget(code, name, pop, share, local.get(code, Decimal("0"))))
    return JointBudget(up.get("year"), shared, total_population, per_inhabitant, result)


def budget_table(budget: JointBudget, only: str | None = None) -> Table:
    from ivp.documents.uitvoeringsplan import money

    rows = []
    for m in budget.members:
        if only and m.code != only:
            continue
        rows.append(
            (
                m.name,
                _nl(m.population),
                money(m.share) if m.share is not None else "–",
                money(m.local),
                money(m.total) if m.total is not None else "–",
            )
        )
    return Table(
        ("Gemeente", "Inwoners", "Aandeel gezamenlijk", "Eigen inzet", "Totaal"),
        tuple(rows),
        caption=f"Bijdrage per gemeente, {budget.year}",
        source="Inwoners: CBS 70072NED; bedragen: het uitvoeringsplan",
        numeric_columns=frozenset({1, 2, 3, 4}),
        widths=(2.4, 1.3, 1.6, 1.4, 1.4),
    )


def budget_blocks(budget: JointBudget, only: str | None = None) -> list:
    from ivp.documents.uitvoeringsplan import money

    if not budget.shared and not any(m.local for m in budget.members):
        return []
    blocks: list = []
    if budget.shared:
        text = f"De gezamenlijke inzet in {budget.year} kost {money(budget.shared)}"
        if budget.per_inhabitant is not None:
            text += (
                f", {money(budget.per_inhabitant)} per inwoner; elke gemeente draagt bij naar "
                "haar aantal inwoners."
            )
        else:
            text += (
                "; het aantal inwoners van elke gemeente is niet bekend, dus de verdeling nog niet."
            )
        blocks.append(Paragraph(text))
    blocks.append(budget_table(budget, only))
    return blocks


def populations_of(figures: Mapping[str, Any] | None) -> dict[str, float | None]:
    if not figures:
        return {}
    return {c: m.get("population") for c, m in (figures.get("members") or {}).items()}


def local_section(
    content: Mapping[str, Any],
    code: str,
    *,
    figures: Mapping[str, Any] | None,
    budget: JointBudget | None,
    part_section,
    number: str,
    public: bool,
    with_intro: bool = True,
) -> Section:
    """Gemeente ``code``'s local part: its figures next to the area's, its local priorities
    and clusters (``part_section(part, number, priority=…)`` as in the joint chapters) and
    its budget."""
    name = member_name(content, code)
    section = Section(f"Lokaal deel {name}", number=number)
    if with_intro:
        section.blocks.append(
            Paragraph(
                f"Dit deel geldt alleen voor de gemeente {name}: de eigen cijfers naast die van "
                "het gebied, de lokale prioriteiten en thema's, en de eigen bijdrage aan de "
                "begroting."
            )
        )
    subsections: list[Section] = []
    if figures:
        table = figures_table(figures, code)
        if table is not None:
            subsections.append(
                Section(
                    f"Cijfers van {name} en het gebied",
                    [*figures_note(figures, code), table],
                )
            )
    priorities, clusters = local_parts(content, code)
    priorities = [p for p in priorities if not (public and p.get("confidential"))]
    clusters = [c for c in clusters if not (public and c.get("confidential"))]
    for part in priorities:
        subsections.append(part_section(part, "", priority=True))
    for part in clusters:
        subsections.append(part_section(part, "", priority=False))
    if not priorities and not clusters:
        section.blocks.append(
            Paragraph(f"{name} heeft naast de gezamenlijke prioriteiten geen eigen prioriteiten.")
        )
    if budget is not None:
        blocks = budget_blocks(budget, only=code)
        if blocks:
            subsections.append(Section(f"Begroting {name}", blocks))
    for index, sub in enumerate(subsections, start=1):
        sub.number = f"{number}.{index}" if number else ""
    section.subsections = subsections
    return section


def first_up(content: Mapping[str, Any]) -> Mapping[str, Any] | None:
    plans = sorted(content.get("implementation_plans") or [], key=lambda p: p["year"])
    return plans[0] if plans else None


def next_number(sections: Sequence[Section]) -> str:
    numbers = [int(s.number) for s in sections if s.number and s.number.isdecimal()]
    return str(max(numbers) + 1) if numbers else str(len(sections) + 1)
