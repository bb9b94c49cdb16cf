"""The veiligheidsbeeld of an area of several gemeenten (a joint plan of one police base
team): one picture per member, exactly as :func:`veiligheidsbeeld.build` gives it, and the
same picture for the area taken as one region.

The area is one more region of the store: its counts are the members' counts summed, its
inhabitants the members' inhabitants summed, and the engine then computes the same rates,
changes, overdispersion-aware tests, trends and comparisons as for a gemeente. Which
members are summed in a year depends on the division the figures are in
(``docs/joint-plans.md``):

- figures in the division of the year itself (the 83648NED totals): the members that existed
  that year, a former gemeente included;
- figures in today's division (47018NED, 47013NED): the current members, and only when every
  former member merged into a current member (the area then covers the same ground in both
  divisions); otherwise the area has no such figure, with a note.

A boundary change of a member with a gemeente outside the area changes the area, so the area
has no rates before it (as a gemeente has none); a merger inside the area does not.

May import: ``analysis`` (veiligheidsbeeld and its engine), ``areas``, ``datasets``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from types import SimpleNamespace

from ivp.analysis import veiligheidsbeeld as vb
from ivp.analysis.store import Store, by_year
from ivp.areas.comparison import Vergelijking
from ivp.datasets.queries import OWN_DIVISION_SOURCES

AREA_KIND = "gebied"


class NotInYear(LookupError):
    """A former gemeente asked for a year after it was dissolved."""


@dataclass(frozen=True)
class Member:
    code: str
    naam: str
    actief: bool
    opgegaan_in: str | None  # code of the gemeente it merged into
    opgegaan_in_naam: str | None
    bestond_tot: int | None  # last year it existed (None: current)


@dataclass(frozen=True)
class AreaPicture:
    """The members' pictures (in the order given) and the area's."""

    members: tuple[vb.Veiligheidsbeeld, ...]
    aggregate: vb.Veiligheidsbeeld
    area_members: tuple[Member, ...]

    @property
    def year(self) -> int:
        return self.aggregate.year


def split_query(text: str) -> list[str]:
    """``"GM0370, Purmerend"`` → ``["GM0370", "Purmerend"]``."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def resolve_members(queries: Iterable[str]) -> list[tuple[str, str]]:
    """Each code or name resolved as :func:`veiligheidsbeeld.resolve_gemeente` does (former
    gemeenten by their own code or name), duplicates dropped, order kept."""
    found: dict[str, str] = {}
    for query in queries:
        code, name = vb.resolve_gemeente(query)
        found.setdefault(code, name)
    return list(found.items())


def members_of(codes: Sequence[str]) -> tuple[Member, ...]:
    from ivp.areas.models import Gemeente

    rows = {
        g.code: g
        for g in Gemeente.objects.filter(code__in=list(codes)).select_related("opgegaan_in")
    }
    result = []
    for code in codes:
        g = rows.get(code)
        if g is None:
            raise vb.UnknownArea(code)
        result.append(
            Member(
                code=g.code,
                naam=g.naam,
                actief=g.actief,
                opgegaan_in=g.opgegaan_in.code if g.opgegaan_in else None,
                opgegaan_in_naam=g.opgegaan_in.naam if g.opgegaan_in else None,
                bestond_tot=None if g.actief else _last_year(g),
            )
        )
    return tuple(result)


def _last_year(gemeente) -> int | None:
    """The last year a former gemeente existed: the year before its successor's boundary
    change, else its last year with inhabitants in its own division."""
    if gemeente.opgegaan_in is not None:
        changed = gemeente.opgegaan_in.laatste_grenswijziging()
        if changed:
            return changed - 1
    from ivp.datasets import queries
    from ivp.datasets.models import Observation

    periods = Observation.objects.filter(
        series__dataset__key__in=[t for t, _c in queries.POPULATION],
        region=gemeente.code,
        value__isnull=False,
    ).values_list("period", flat=True)
    years = [y for p in periods if (y := vb._year(p)) is not None]
    return max(years) if years else None


def check_years(members: Sequence[Member], year: int) -> None:
    for m in members:
        if m.bestond_tot is not None and year > m.bestond_tot:
            into = f", opgegaan in {m.opgegaan_in_naam}" if m.opgegaan_in_naam else ""
            raise NotInYear(
                f"{m.naam} ({m.code}) bestond in {year} niet meer (laatste jaar "
                f"{m.bestond_tot}{into}); kies een jaar tot en met {m.bestond_tot} of de "
                "gemeente waarin zij is opgegaan."
            )


def area_name(members: Sequence[Member]) -> str:
    """The base team whose gemeenten these are exactly, else the members' names."""
    from ivp.areas.models import Basisteam

    codes = {m.code for m in members}
    for team in Basisteam.objects.prefetch_related("gemeenten"):
        team_codes = {g.code for g in team.gemeenten.all()}
        if team_codes and team_codes == codes:
            return f"basisteam {team.naam}"
    return _and(sorted(m.naam for m in members))


def _and(names: Sequence[str]) -> str:
    """ "A, B en C"."""
    names = list(names)
    return ", ".join(names[:-1]) + " en " + names[-1] if len(names) > 1 else "".join(names)


def area_code(codes: Sequence[str]) -> str:
    return "+".join(codes)


def _latest_year(member: Member) -> int | None:
    """The latest year with registered crime of a member: of a former gemeente, its own
    total in the division of that year (83648NED), up to the year it was dissolved."""
    if member.actief:
        return vb._latest_own_year(member.code)
    from django.db.models import Max

    from ivp.datasets.models import Observation
    from ivp.datasets.queries import TOTAL_SOURCES

    latest = Observation.objects.filter(
        series__dataset__key__in=[t for t, _c in TOTAL_SOURCES],
        region=member.code,
        period__endswith="JJ00",
        value__isnull=False,
    ).aggregate(m=Max("period"))["m"]
    year = vb._year(latest) if latest else None
    if year is not None and member.bestond_tot is not None:
        year = min(year, member.bestond_tot)
    return year


def _latest_common_year(members: Sequence[Member]) -> int | None:
    """The latest year every member has figures for."""
    years = [_latest_year(m) for m in members]
    known = [y for y in years if y is not None]
    return min(known) if known else None


def build_area(
    queries_or_codes: Sequence[str],
    year: int | None = None,
    *,
    indeling=None,
    vergelijking: Vergelijking | None = None,
    name: str | None = None,
    with_member_wijken: bool = False,
) -> AreaPicture:
    """The pictures of the members and of the area (codes or names; see module docstring).
    ``year``: the reference year (default: the latest year every member has figures for)."""
    resolved = resolve_members(queries_or_codes)
    codes = [c for c, _n in resolved]
    members = members_of(codes)
    chosen = year if year is not None else _latest_common_year(members)
    if chosen is None:
        raise vb.NoData("Geen geregistreerde misdrijven van deze gemeenten in de database.")
    check_years(members, chosen)
    indeling = indeling or vb._default_mapping()
    pictures = tuple(
        vb.build(
            code,
            chosen,
            indeling=indeling,
            vergelijking=vergelijking,
            with_wijken=with_member_wijken,
        )
        for code in codes
    )
    aggregate = build_aggregate(members, chosen, indeling=indeling, name=name)
    return AreaPicture(pictures, aggregate, members)


def build_aggregate(
    members: Sequence[Member], year: int, *, indeling=None, name: str | None = None
) -> vb.Veiligheidsbeeld:
    """The veiligheidsbeeld of the members taken as one area."""
    from ivp.areas import services as area_services

    indeling = indeling or vb._default_mapping()
    codes = [m.code for m in members]
    code = area_code(codes)
    label = name or area_name(members)
    contexts = {c: area_services.gemeente_context(c) for c in codes}
    units = Counter(ctx.politie_eenheid for ctx in contexts.values() if ctx and ctx.politie_eenheid)
    eenheid = units.most_common(1)[0][0] if units else None
    notes: list[str] = []
    if len(units) > 1:
        notes.append(
            "De gemeenten horen bij meer dan één politie-eenheid; vergeleken wordt met "
            f"politie-eenheid {eenheid[1]}."
        )
    unit_members = area_services.gemeenten_of_eenheid(eenheid[0]) if eenheid else []
    # the rest of the unit: the area's own members are in the area's row already
    others = tuple(c for c in unit_members if c not in codes)
    regions = set(codes) | set(unit_members)
    figures = vb._read_figures(codes[0], regions)
    added_notes = add_area_region(figures, members, code, label)
    notes += added_notes
    store = Store(figures, vb._national_population(by_year(figures.population.get("NL01"))))
    groups = []
    if eenheid:
        groups.append(
            (vb.UNIT_MEMBERS, f"politie-eenheid {eenheid[1]}", (code, *others), "politie-eenheid")
        )
    missing_note = (
        "Van het gebied als geheel {missing}: alleen soorten misdrijf die van alle gemeenten "
        "in dezelfde indeling bekend zijn, worden opgeteld."
    )
    context = SimpleNamespace(naam=label, politie_eenheid=eenheid, missing_note=missing_note)
    target = vb._Target(code, context, vb._check_year(store, code, year), groups, others, notes)
    vb._plan_series(target, store, indeling)
    run = vb._Run(store, [target], with_lines=True)
    run.compute()
    picture = run.picture(target, indeling, figures, with_wijken=False, with_indicators=False)
    return replace(picture, members=tuple(codes))


def _is_own_division(figures, code: str, region: str, period: str) -> bool:
    found = figures.period_sources.get(code, {}).get(region, {}).get(period, "")
    return found.split("|")[0] in OWN_DIVISION_SOURCES


def add_area_region(figures, members: Sequence[Member], code: str, name: str) -> list[str]:
    """Add the area as a region to ``figures`` (counts, inhabitants, sources, boundary
    change), by the rules of the module docstring; return the notes for the picture."""
    codes = [m.code for m in members]
    current = [m.code for m in members if m.actief]
    closed = all(m.opgegaan_in in codes for m in members if not m.actief)
    notes: list[str] = []
    population = figures.population
    periods = sorted({p for c in codes for p in population.get(c, {})})
    area_population: dict[str, float] = {}
    existing: dict[str, list[str]] = {}
    for p in periods:
        there = [c for c in codes if population.get(c, {}).get(p)]
        if current and not all(population.get(c, {}).get(p) for c in current):
            continue
        existing[p] = there
        area_population[p] = float(sum(population[c][p] for c in there))
    for cat, per_region in figures.counts.items():
        area: dict[str, float | None] = {}
        where: dict[str, str] = {}
        cat_periods = sorted({p for c in codes for p in per_region.get(c, {})})
        for p in cat_periods:
            there = existing.get(p, [])
            if there and all(
                p in per_region.get(c, {}) and _is_own_division(figures, cat, c, p) for c in there
            ):
                parts = [per_region[c][p] for c in there]
                source = figures.period_sources[cat][there[0]][p]
            elif (
                closed
                and current
                and all(
                    p in per_region.get(c, {}) and not _is_own_division(figures, cat, c, p)
                    for c in current
                )
            ):
                parts = [per_region[c][p] for c in current]
                source = figures.source_of(cat, current[0], int(p[:4]))
            else:
                continue
            area[p] = None if any(v is None for v in parts) else float(sum(parts))
            where[p] = source
        if area:
            per_region[code] = area
            if cat in figures.period_sources:
                figures.period_sources[cat][code] = where
    population[code] = area_population
    figures.regions[code] = name
    # a boundary change with a gemeente outside the area changes the area
    external = []
    for m in members:
        changed = figures.boundary_change.get(m.code)
        if not changed:
            continue
        predecessors = [o for o in members if o.opgegaan_in == m.code]
        if not predecessors:
            external.append(changed)
    if external:
        figures.boundary_change[code] = max(external)
    if not closed:
        loose = [m.naam for m in members if not m.actief and m.opgegaan_in not in codes]
        notes.append(
            f"{', '.join(loose)} is niet (geheel) opgegaan in een gemeente van dit gebied: de "
            "cijfers in de huidige indeling (de soorten misdrijf) zijn voor het gebied niet op "
            "te tellen; alleen cijfers in de indeling van elk jaar zelf (het totaal, CBS "
            "83648NED) worden opgeteld."
        )
    former = [m for m in members if not m.actief]
    if former and closed:
        notes.append(
            "Het gebied bestaat uit "
            + _and([m.naam for m in members])
            + ". "
            + "; ".join(f"{m.naam} is opgegaan in {m.opgegaan_in_naam}" for m in former)
            + ": cijfers in de huidige indeling zijn opgeteld over de huidige gemeenten, "
            "het totaal in de indeling van elk jaar over de gemeenten van dat jaar; het gebied "
            "is in beide gevallen hetzelfde."
        )
    return notes


def to_json(area: AreaPicture) -> dict:
    """``{"members": [...], "aggregate": ...}`` (docs/analysis.md, "Several gemeenten")."""
    aggregate = vb.to_json(area.aggregate)
    aggregate["area"] = {
        "kind": AREA_KIND,
        "members": [
            {
                "code": m.code,
                "name": m.naam,
                "current": m.actief,
                **({"merged_into": m.opgegaan_in} if m.opgegaan_in else {}),
                **({"last_year": str(m.bestond_tot)} if m.bestond_tot else {}),
            }
            for m in area.area_members
        ],
    }
    return {"members": [vb.to_json(p) for p in area.members], "aggregate": aggregate}
