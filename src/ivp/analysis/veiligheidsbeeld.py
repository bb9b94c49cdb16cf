"""The veiligheidsbeeld: the figures of one area per offence category, theme and safety
field for a reference year, with rates, change, trend, comparison and priority candidates.

This is the one door through which the CLI (``ivp analyse``), the pages of step 2 and the
analysis report get their figures, so a number is the same everywhere. It reads stored
figures through :mod:`ivp.datasets.queries`, the offence→theme mapping through
:mod:`ivp.datasets.mapping` and the theme titles from the shipped catalogue; the
calculations are the plain functions of the sibling modules (rates, change, significance,
trend, benchmark, candidates).

Conventions (see ``docs/analysis.md``):

- A **theme's** figure is the sum of the offence categories whose *main* theme it is (the
  first theme in the mapping), so no offence counts twice in a field; categories shown at a
  theme as a secondary theme are listed (``also_shown``) but not added. Only categories the
  store holds are added, and the ones it lacks are named (``missing_categories``): the sum is
  "these categories", never an estimate of the whole theme.
- A **field's** figure is the sum over the categories whose main theme lies in the field.
- A year where any part of a sum is withheld has no sum (``None``): a partial sum is no total.
- Rates are per 1,000 inhabitants; residential burglary also per 1,000 dwellings when the
  dwellings are known. Before a gemeente's last boundary change no rate is given (47018NED
  counts all years in the newest division, inhabitants are per year's own division).
- Comparisons: the CBS size class of the gemeente (median of the other members, rank,
  percentile, ratio), the gemeenten of its politie-eenheid (idem), and as reference areas the
  politie-eenheid taken as one area and the Netherlands (47025NED, all categories).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from ivp.analysis.benchmark import GroupComparison
from ivp.analysis.candidates import PROPOSE_AT, Candidate, Evidence, assess, evidence
from ivp.analysis.change import Comparison
from ivp.analysis.trend import Trend
from ivp.datasets.rates import PER, per_1000

CATEGORY = "categorie"
THEME = "thema"
FIELD = "veld"
INDICATOR = "indicator"

SIZE_CLASS = "vergelijkbare gemeenten"
UNIT_MEMBERS = "gemeenten van de politie-eenheid"
NETHERLANDS = "Nederland"
PROVISIONAL_CODES = frozenset({"v", "nv"})  # Observation.Status of voorlopig figures

# Survey and own indicators have no offence code; these words in their name place them at a
# theme (first match wins). Kept short and documented in docs/analysis.md.
INDICATOR_THEMES: tuple[tuple[str, str], ...] = (
    ("jeugd", "3.1"),
    ("verward", "1.1"),
    ("overlast", "1.1"),
    ("verloedering", "1.2"),
    ("vernieling", "1.2"),
    ("onveilig", "1.4"),
    ("veiligheid buurt", "1.4"),
    ("veiligheidsgevoel", "1.4"),
    ("slachtoffer", "1.3"),
)


class UnknownArea(LookupError):
    """No gemeente with that code or name; ``suggestions`` holds close names."""

    def __init__(self, query: str, suggestions: Sequence[str] = ()) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        hint = f" (bedoelt u: {', '.join(suggestions)}?)" if suggestions else ""
        super().__init__(f"Onbekende gemeente: {query!r}{hint}")


class AmbiguousArea(LookupError):
    def __init__(self, query: str, matches: Sequence[str]) -> None:
        self.query = query
        self.matches = tuple(matches)
        super().__init__(f"{query!r} is niet eenduidig: {', '.join(matches)}")


class NoData(LookupError):
    """The store holds no registered crime for the area (load or fetch it first)."""


@dataclass(frozen=True)
class GroupLine:
    """A comparison group's rates over the years: median and quartiles per year."""

    name: str
    kind: str  # "groep" (median of members) or "referentie" (one area)
    median: dict[str, float | None]
    p25: dict[str, float | None] = field(default_factory=dict)
    p75: dict[str, float | None] = field(default_factory=dict)
    members: int = 0


@dataclass(frozen=True)
class SeriesPicture:
    """One offence category, a theme's sum or a field's sum, for one area."""

    key: str  # "1.1.1", "thema:1.3", "veld:1"
    code: str
    kind: str  # categorie | thema | veld | indicator
    title: str
    categories: tuple[str, ...]  # the categories summed (a category: itself)
    missing_categories: tuple[str, ...] = ()  # mapped here, but not in the store
    also_shown: tuple[str, ...] = ()  # categories shown here with another main theme
    counts: dict[str, float | None] = field(default_factory=dict)
    rates: dict[str, float | None] = field(default_factory=dict)  # per 1,000 inhabitants
    rates_dwellings: dict[str, float | None] = field(default_factory=dict)
    rate_notes: tuple[str, ...] = ()
    unit: str = "aantal"
    evidence: Evidence | None = None
    candidate: Candidate | None = None
    lines: tuple[GroupLine, ...] = ()  # for charts: comparison over the years
    # % change of a reference area's rate against the year before (same members both years)
    reference_changes: dict[str, float | None] = field(default_factory=dict)
    sources: tuple[str, ...] = ()  # keys of Veiligheidsbeeld.sources
    note: str = ""  # e.g. why there are no figures
    # a series merged from several sources (the total 0.0.0): year → source key
    source_per_year: dict[str, str] = field(default_factory=dict)

    @property
    def has_data(self) -> bool:
        return any(v is not None for v in self.counts.values())

    @property
    def proposed(self) -> bool:
        return self.candidate is not None and self.candidate.score >= PROPOSE_AT


@dataclass(frozen=True)
class WijkFigures:
    code: str
    name: str
    counts: dict[str, dict[str, float | None]]  # category → year → count


@dataclass(frozen=True)
class ThemePicture:
    code: str
    title: str
    veld: str
    total: SeriesPicture  # the sum of its main-theme categories
    categories: tuple[SeriesPicture, ...]  # every category shown here (main and secondary)
    indicators: tuple[SeriesPicture, ...]  # survey and own figures placed at this theme
    sources_without_data: tuple[str, ...]  # the catalogue's sources of effect information


@dataclass(frozen=True)
class FieldPicture:
    code: str
    title: str
    total: SeriesPicture
    themes: tuple[ThemePicture, ...]
    aspects: tuple[tuple[str, str], ...]  # (code, title) of the aspects of approach (field 1)


@dataclass(frozen=True)
class Veiligheidsbeeld:
    area_code: str
    area_name: str
    members: tuple[str, ...]  # the gemeenten of the area
    year: int
    years: tuple[int, ...]
    provisional_years: tuple[int, ...]
    population: dict[str, float | None]
    dwellings: dict[str, float | None]
    categories: tuple[SeriesPicture, ...]
    fields: tuple[FieldPicture, ...]
    missing_categories: tuple[str, ...]  # categories of 47018NED the store lacks
    groups: tuple[tuple[str, str, int], ...]  # (name, description, members)
    sources: dict[str, dict[str, str]]
    wijken: tuple[WijkFigures, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def themes(self) -> tuple[ThemePicture, ...]:
        return tuple(t for f in self.fields for t in f.themes)

    def theme(self, code: str) -> ThemePicture | None:
        return next((t for t in self.themes if t.code == code), None)

    def category(self, code: str) -> SeriesPicture | None:
        return next((c for c in self.categories if c.code == code), None)

    def candidates(self, *, only_proposed: bool = True) -> list[SeriesPicture]:
        """Series with a candidate, best first: categories, themes and fields."""
        pool = [*self.categories, *(t.total for t in self.themes)]
        chosen = [s for s in pool if s.candidate and (s.proposed or not only_proposed)]
        return sorted(chosen, key=lambda s: (-s.candidate.score, s.key))


# -- resolving the area ---------------------------------------------------------------


# Names people use that are not the CBS name.
ALIASES = {
    "denbosch": "'s-Hertogenbosch",
    "denhaag": "'s-Gravenhage",
    "thehague": "'s-Gravenhage",
    "sgravenhage": "'s-Gravenhage",
    "hertogenbosch": "'s-Hertogenbosch",
}


def _normal(name: str) -> str:
    """Lower case letters and digits only: "'s-Hertogenbosch" → "shertogenbosch"."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def resolve_gemeente(query: str) -> tuple[str, str]:
    """A gemeente by CBS code (``GM0597``, ``0597``) or by name (case and accents as typed
    are forgiven where unambiguous); current gemeenten first."""
    from ivp.areas.models import Gemeente

    text = (query or "").strip()
    if not text:
        raise UnknownArea(query)
    code = text.upper()
    if code.isdigit():
        code = f"GM{int(code):04d}"
    found = Gemeente.objects.filter(code=code).first()
    if found:
        return found.code, found.naam
    wanted = _normal(ALIASES.get(_normal(text), text))
    candidates = list(Gemeente.objects.order_by("-actief", "code"))
    matches = [g for g in candidates if _normal(g.naam) == wanted]
    if not matches:
        matches = [g for g in candidates if g.actief and wanted and wanted in _normal(g.naam)]
    active = [g for g in matches if g.actief] or matches
    if len(active) == 1:
        return active[0].code, active[0].naam
    if len(active) > 1:
        raise AmbiguousArea(query, [f"{g.code} {g.naam}" for g in active])
    import difflib

    names = list(Gemeente.objects.filter(actief=True).values_list("naam", flat=True))
    raise UnknownArea(query, difflib.get_close_matches(text, names, n=3, cutoff=0.6))


# -- building ----------------------------------------------------------------------


def _year(period: str) -> int | None:
    if len(period) == 8 and period.endswith("JJ00") and period[:4].isdigit():
        return int(period[:4])
    return None


def _by_year(per_period: Mapping[str, float | None] | None) -> dict[int, float | None]:
    result: dict[int, float | None] = {}
    for period, value in (per_period or {}).items():
        year = _year(period)
        if year is not None:
            result[year] = value
    return result


def _sum(
    parts: Iterable[Mapping[int, float | None]], years: Iterable[int]
) -> dict[int, float | None]:
    parts = list(parts)
    result: dict[int, float | None] = {}
    for year in years:
        values = [p.get(year) for p in parts]
        result[year] = None if not parts or any(v is None for v in values) else float(sum(values))
    return result


@cache
def _catalogue_index() -> tuple[dict, dict, dict]:
    from ivp.catalogue.content_loader import shipped_catalogue

    catalogue = shipped_catalogue()
    fields = {v.code: v for v in catalogue.velden}
    themes = {t.code: t for t in catalogue.themas}
    return fields, themes, {a.code: a for a in catalogue.aanpakaspecten}


class _Store:
    """The stored figures converted once to year → value, and to region × year matrices
    (NaN = withheld or absent) for the comparison groups, with memoised sums: one store
    serves one gemeente, or a whole batch (then the sums and rates of a set of categories
    are computed once for all gemeenten)."""

    def __init__(self, figures) -> None:
        self.f = figures
        self.boundary = figures.boundary_change
        self.population = {code: _by_year(p) for code, p in figures.population.items()}
        self.dwellings = {code: _by_year(p) for code, p in figures.dwellings.items()}
        self.counts = {
            code: {region: _by_year(pp) for region, pp in per_region.items()}
            for code, per_region in figures.counts.items()
        }
        self.national = {code: _by_year(pp) for code, pp in figures.national.items()}
        regions = sorted(
            {r for per_region in self.counts.values() for r in per_region} | set(self.population)
        )
        years = sorted(
            {y for per_region in self.counts.values() for pp in per_region.values() for y in pp}
            | {y for pp in self.population.values() for y in pp}
        )
        self.region_index = {r: i for i, r in enumerate(regions)}
        self.missing_row = len(regions)  # an all-NaN row for regions without figures
        self.year_index = {y: i for i, y in enumerate(years)}
        shape = (len(regions) + 1, len(years))
        self.base = np.full(shape, np.nan)
        for region, per_year in self.population.items():
            row = self.region_index[region]
            changed = self.boundary.get(region)
            for year, value in per_year.items():
                if value is not None and value > 0 and not (changed and year < changed):
                    self.base[row, self.year_index[year]] = value
        self._matrices: dict[str, np.ndarray] = {}
        self._sums: dict[tuple[tuple[str, ...], str], dict[int, float | None]] = {}
        self._sum_matrices: dict[tuple[str, ...], np.ndarray] = {}
        self._rate_matrices: dict[tuple[str, ...], np.ndarray] = {}

    def _matrix(self, code: str) -> np.ndarray:
        found = self._matrices.get(code)
        if found is None:
            found = np.full(self.base.shape, np.nan)
            for region, per_year in self.counts.get(code, {}).items():
                row = self.region_index[region]
                for year, value in per_year.items():
                    if value is not None:
                        found[row, self.year_index[year]] = value
            self._matrices[code] = found
        return found

    def sum_matrix(self, codes: Sequence[str]) -> np.ndarray:
        """Region × year sums of ``codes``; NaN where any part is withheld or absent."""
        key = tuple(codes)
        found = self._sum_matrices.get(key)
        if found is None:
            found = np.sum([self._matrix(c) for c in codes], axis=0)
            self._sum_matrices[key] = found
        return found

    def rate_matrix(self, codes: Sequence[str]) -> np.ndarray:
        key = tuple(codes)
        found = self._rate_matrices.get(key)
        if found is None:
            found = self._rate_matrices[key] = self.sum_matrix(codes) / self.base * PER
        return found

    def rows(self, regions: Sequence[str]) -> np.ndarray:
        return np.array([self.region_index.get(r, self.missing_row) for r in regions], dtype=int)

    def region_sum(self, codes: Sequence[str], region: str) -> dict[int, float | None]:
        key = (tuple(codes), region)
        found = self._sums.get(key)
        if found is None:
            per_code = [self.counts.get(c, {}).get(region, {}) for c in codes]
            all_years = sorted({y for part in per_code for y in part})
            found = self._sums[key] = _sum(per_code, all_years)
        return found


def _column_quantiles(values: np.ndarray, qs: Sequence[float]) -> list[np.ndarray]:
    """Quantiles of each column ignoring NaN, with linear interpolation (numpy's default
    and ``statistics.quantiles(method="inclusive")``); NaN for a column without values.
    One sort instead of ``nanpercentile``'s per-column loop."""
    ordered = np.sort(values, axis=0)  # NaN sort last
    n = np.sum(~np.isnan(values), axis=0)
    result = []
    for q in qs:
        position = q * np.maximum(n - 1, 0)
        lower = np.floor(position).astype(int)
        upper = np.minimum(lower + 1, np.maximum(n - 1, 0))
        if ordered.shape[0] == 0:
            result.append(np.full(values.shape[1], np.nan))
            continue
        low_values = np.take_along_axis(ordered, lower[None, :], axis=0)[0]
        high_values = np.take_along_axis(ordered, upper[None, :], axis=0)[0]
        quantile = low_values + (high_values - low_values) * (position - lower)
        result.append(np.where(n > 0, quantile, np.nan))
    return result


def _none(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


class _Builder:
    def __init__(self, figures, indeling, year: int | None, context, store: _Store) -> None:
        self.f = figures
        self.store = store
        self.indeling = indeling
        self.context = context
        self.own = figures.gemeente
        own_years = sorted(
            {
                y
                for per_region in store.counts.values()
                for y, v in per_region.get(self.own, {}).items()
                if v is not None
            }
        )
        if not own_years:
            raise NoData(
                f"Geen geregistreerde misdrijven van {self.own} in de database: laad de "
                "meegeleverde cijfers (ivp data load-bundled) of haal ze op (ivp data fetch)."
            )
        self.year = year if year is not None else own_years[-1]
        if self.year not in own_years:
            raise NoData(
                f"Geen cijfers van {self.own} voor {self.year}; beschikbaar: "
                f"{own_years[0]}–{own_years[-1]}."
            )
        self.years = [y for y in own_years if y <= self.year]
        self.provisional = tuple(
            sorted(
                y
                for period, st in figures.status.items()
                if (y := _year(period)) and st in PROVISIONAL_CODES
            )
        )
        self.boundary = store.boundary
        self.population = store.population
        self.dwellings = store.dwellings
        self.counts = store.counts
        self.national = store.national
        self.group_members: list[tuple[str, str, list[str]]] = []
        for key, members in figures.groups.items():
            kind, _, code = key.partition(":")
            if kind == "vergelijkingsgroep":
                label = next(
                    (
                        n
                        for c, n, _m in (context.vergelijkingsgroepen if context else ())
                        if c == code
                    ),
                    code,
                )
                self.group_members.append((SIZE_CLASS, label, list(members)))
            elif kind == "politie-eenheid":
                name = context.politie_eenheid[1] if context and context.politie_eenheid else code
                self.group_members.append((UNIT_MEMBERS, f"politie-eenheid {name}", list(members)))

    # rates with the boundary rule
    def _blocked(self, region: str, years: Iterable[int], codes: Sequence[str] = ()) -> set[int]:
        """Years without a rate because of the boundary rule. Counts in the division of
        their own year (83648NED's total) have a right rate on that year's inhabitants, also
        before a boundary change."""
        changed = self.boundary.get(region)
        if not changed:
            return set()
        own_division = getattr(self.f, "own_division", None)
        return {
            y
            for y in years
            if y < changed
            and not (codes and own_division and all(own_division(c, region, y) for c in codes))
        }

    def _rates(
        self, region: str, counts: Mapping[int, float | None], codes: Sequence[str] = ()
    ) -> dict[int, float | None]:
        pop = self.population.get(region, {})
        blocked = self._blocked(region, counts, codes)
        return {y: None if y in blocked else per_1000(c, pop.get(y)) for y, c in counts.items()}

    def _pooled(
        self, sums: np.ndarray, bases: np.ndarray, members: Sequence[str], years: Sequence[int]
    ) -> tuple[float | None, tuple[str, ...]]:
        """The rate of the members taken as one area in ``years[-1]``, counting only the
        members with a count and a base in each of ``years`` (so that a change compares the
        same area); with the members left out."""
        cols = [self.store.year_index[y] for y in years]
        usable = np.all(~np.isnan(sums[:, cols]) & ~np.isnan(bases[:, cols]), axis=1)
        left_out = tuple(sorted(m for m, ok in zip(members, usable, strict=True) if not ok))
        if not usable.any():
            return None, left_out
        col = cols[-1]
        return per_1000(float(sums[usable, col].sum()), float(bases[usable, col].sum())), left_out

    def _region_sum(self, codes: Sequence[str], region: str) -> dict[int, float | None]:
        return self.store.region_sum(codes, region)

    def series(self, key, code, kind, title, codes, *, missing=(), also=(), higher_is_worse=True):
        own_counts = self._region_sum(codes, self.own) if codes else {}
        own_counts = {y: own_counts.get(y) for y in self.years if y in own_counts}
        if not codes or not any(v is not None for v in own_counts.values()):
            return SeriesPicture(key, code, kind, title, tuple(codes), tuple(missing), tuple(also))
        own_rates = self._rates(self.own, own_counts, codes)
        notes = []
        changed = self.boundary.get(self.own)
        if self._blocked(self.own, own_counts, codes):
            notes.append(
                f"grens gewijzigd in {changed}: geen cijfers per 1.000 voor eerdere jaren "
                "(de misdrijfcijfers staan in de indeling van 2024)"
            )
        dwellings = {}
        homes = self.dwellings.get(self.own, {})
        if codes == ["1.1.1"] or list(codes) == ["1.1.1"]:
            if homes:
                dwellings = {str(y): per_1000(c, homes.get(y)) for y, c in own_counts.items()}
            else:
                notes.append("aantal woningen onbekend: woninginbraak per 1.000 inwoners")
        # comparison groups, vectorised over the members (matrices shared by a batch)
        groups_in_year: dict[str, dict[str, float | None]] = {}
        lines: list[GroupLine] = []
        references: dict[str, float | None] = {}
        reference_changes: dict[str, float | None] = {}
        store = self.store
        year_col = store.year_index[self.year]
        cols = [store.year_index[y] for y in self.years]
        rates = store.rate_matrix(codes)
        for name, label, members in self.group_members:
            rows = store.rows(members)
            member_rates = rates[rows]
            groups_in_year[name] = {
                m: _none(member_rates[i, year_col]) for i, m in enumerate(members)
            }
            others = member_rates[[i for i, m in enumerate(members) if m != self.own]][:, cols]
            low, med, high = _column_quantiles(others, (0.25, 0.5, 0.75))
            keys = [str(y) for y in self.years]
            lines.append(
                GroupLine(
                    f"mediaan {name}",
                    "groep",
                    {k: _none(v) for k, v in zip(keys, med, strict=True)},
                    {k: _none(v) for k, v in zip(keys, low, strict=True)},
                    {k: _none(v) for k, v in zip(keys, high, strict=True)},
                    len(members) - 1,
                )
            )
            if name == UNIT_MEMBERS:
                sums = store.sum_matrix(codes)[rows]
                bases = store.base[rows]
                pooled = {str(y): self._pooled(sums, bases, members, [y])[0] for y in self.years}
                references[label], left_out = self._pooled(sums, bases, members, [self.year])
                lines.append(GroupLine(label, "referentie", pooled))
                if left_out:
                    notes.append(
                        f"{label} als één gebied zonder {len(left_out)} gemeente(n) zonder "
                        f"cijfer in {self.year} ({', '.join(left_out)})"
                    )
                if self.year - 1 in self.years:
                    both = [self.year - 1, self.year]
                    before, _ = self._pooled(sums, bases, members, both[::-1])
                    after, _ = self._pooled(sums, bases, members, both)
                    if before and after is not None:
                        reference_changes[label] = (after / before - 1) * 100
        nl_parts = [self.national.get(c) for c in codes]
        if nl_parts and all(p for p in nl_parts):
            nl_counts = _sum(nl_parts, self.years)
            nl_pop = self.population.get("NL01", {})
            nl_rates = {str(y): per_1000(c, nl_pop.get(y)) for y, c in nl_counts.items()}
            references[NETHERLANDS] = nl_rates.get(str(self.year))
            lines.append(GroupLine(NETHERLANDS, "referentie", nl_rates))
        base = {y: self.population.get(self.own, {}).get(y) for y in own_counts}
        ev = evidence(
            key,
            title,
            {str(y): v for y, v in own_counts.items()},
            self.year,
            base={str(y): v for y, v in base.items()},
            provisional=self.provisional,
            groups={k: v for k, v in groups_in_year.items()},
            references=references,
            own_code=self.own,
            higher_is_worse=higher_is_worse,
            boundary_change=changed,
        )
        sources = [f"{self.f.table}|{c}" for c in codes if f"{self.f.table}|{c}" in self.f.sources]
        sources += [f"47025NED|{c}" for c in codes if f"47025NED|{c}" in self.f.sources]
        merged = getattr(self.f, "period_sources", {})
        source_per_year: dict[str, str] = {}
        if len(codes) == 1 and codes[0] in merged:
            per_period = merged[codes[0]].get(self.own, {})
            source_per_year = {
                str(y): key
                for p, key in sorted(per_period.items())
                if (y := _year(p)) in own_counts
            }
            sources = [k for k in dict.fromkeys(source_per_year.values()) if k in self.f.sources]
            sources += [f"47025NED|{c}" for c in codes if f"47025NED|{c}" in self.f.sources]
            if len(set(source_per_year.values())) > 1:
                notes.append(
                    "meer dan één bron (zie bron per jaar): tussen de bronnen zit een breuk "
                    "in de reeks, geen verandering"
                )
        return SeriesPicture(
            source_per_year=source_per_year,
            key=key,
            code=code,
            kind=kind,
            title=title,
            categories=tuple(codes),
            missing_categories=tuple(missing),
            also_shown=tuple(also),
            counts={str(y): v for y, v in own_counts.items()},
            rates={str(y): v for y, v in own_rates.items()},
            rates_dwellings=dwellings,
            rate_notes=tuple(notes),
            evidence=ev,
            candidate=assess(ev),
            lines=tuple(lines),
            reference_changes=reference_changes,
            sources=tuple(sources),
        )


def _category_title(code: str) -> str:
    from ivp.datasets import offences

    found = offences.soort_misdrijf().get(code)
    return found.titel if found else code


def build(
    gemeente: str,
    year: int | None = None,
    *,
    indeling=None,
    with_wijken: bool = True,
    with_indicators: bool = True,
) -> Veiligheidsbeeld:
    """The veiligheidsbeeld of ``gemeente`` (CBS code) for reference ``year`` (default: the
    latest year with figures). ``indeling``: a plan's mapping (default: the shipped one)."""
    from ivp.areas import services as area_services
    from ivp.datasets import queries

    context = area_services.gemeente_context(gemeente)
    if context is None:
        raise UnknownArea(gemeente)
    figures = queries.figures(gemeente)
    return _assemble(
        figures, _Store(figures), context, year, indeling, with_wijken, with_indicators
    )


def build_all(
    year: int | None = None,
    *,
    indeling=None,
    codes: Iterable[str] | None = None,
    workers: int | None = None,
) -> Iterable[tuple[str, Veiligheidsbeeld | NoData]]:
    """The veiligheidsbeeld of every current gemeente (or of ``codes``), from one load of
    the store; yields (code, picture) or (code, NoData) for a gemeente without figures, in
    the order of ``codes``. With more than one worker (default: one per core, for batches
    of 50 or more) the calculation is spread over forked processes after the database work
    is done, so they share the loaded store and touch no database."""
    import dataclasses
    import os

    from ivp.areas import services as area_services
    from ivp.areas.models import Gemeente
    from ivp.datasets import offences, queries
    from ivp.datasets.mapping import default_indeling

    wanted = (
        list(codes)
        if codes is not None
        else list(
            Gemeente.objects.filter(actief=True)
            .exclude(code="GM0000")
            .values_list("code", flat=True)
        )
    )
    if not wanted:
        return
    indeling = indeling or default_indeling()
    base = queries.figures(wanted[0], all_regions=True)
    store = _Store(base)
    jobs = []
    for code in wanted:
        context = area_services.gemeente_context(code)
        if context is None:
            jobs.append((code, None, None))
            continue
        figures = dataclasses.replace(
            base,
            gemeente=code,
            groups=queries.comparison_groups(context),
            missing=[c for c in offences.soort_misdrijf() if code not in base.counts.get(c, {})],
        )
        jobs.append((code, figures, context))
    _catalogue_index()  # loaded once, before any fork
    _known_categories()
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers > 1 and len(jobs) >= 50:
        yield from _in_processes(jobs, store, year, indeling, workers)
        return
    for job in jobs:
        yield _one(job, store, year, indeling)


def _one(job, store: _Store, year, indeling) -> tuple[str, Veiligheidsbeeld | NoData]:
    code, figures, context = job
    if figures is None:
        return code, NoData(f"Onbekende gemeente {code}")
    try:
        return code, _assemble(figures, store, context, year, indeling, False, False)
    except NoData as error:
        return code, error


_FORKED: dict = {}


def _run_chunk(chunk: list[int]) -> list[tuple[str, Veiligheidsbeeld | NoData]]:
    jobs, store, year, indeling = _FORKED["state"]
    return [_one(jobs[i], store, year, indeling) for i in chunk]


def _in_processes(jobs, store, year, indeling, workers: int):
    import multiprocessing

    from django.db import connections

    connections.close_all()  # children must not share the parent's connections
    _FORKED["state"] = (jobs, store, year, indeling)
    size = max(1, len(jobs) // (workers * 4))
    chunks = [list(range(i, min(i + size, len(jobs)))) for i in range(0, len(jobs), size)]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for results in pool.imap(_run_chunk, chunks):
                yield from results
    finally:
        _FORKED.clear()


def _assemble(
    figures, store: _Store, context, year, indeling, with_wijken: bool, with_indicators: bool
) -> Veiligheidsbeeld:
    from ivp.datasets.mapping import default_indeling

    indeling = indeling or default_indeling()
    gemeente = figures.gemeente
    builder = _Builder(figures, indeling, year, context, store)
    fields_idx, themes_idx, aspects_idx = _catalogue_index()
    in_store = sorted(
        (c for c in figures.counts if gemeente in figures.counts[c]),
        key=lambda c: [int(p) for p in c.split(".")],
    )
    categories = {c: builder.series(c, c, CATEGORY, _category_title(c), [c]) for c in in_store}
    main = indeling.per_thema(alleen_hoofdthema=True)
    shown = indeling.per_thema()
    indicators, indicator_sources = (
        _indicators(gemeente, builder, indeling) if with_indicators else ({}, {})
    )
    field_pictures = []
    for veld in fields_idx.values():
        theme_pictures = []
        field_codes: list[str] = []
        field_missing: list[str] = []
        for thema in veld.themas:
            mains = [c for c in main.get(thema.code, []) if "." in c and c != "0.0.0"]
            present = [c for c in mains if c in categories]
            missing = [c for c in mains if c not in categories and c in _known_categories()]
            field_codes += present
            field_missing += missing
            also = [c for c in shown.get(thema.code, []) if c not in mains and c in categories]
            total = builder.series(
                f"thema:{thema.code}",
                thema.code,
                THEME,
                thema.titel,
                present,
                missing=missing,
                also=also,
            )
            if not total.has_data:
                sources_text = "; ".join(thema.effectinformatie) or "geen bron genoemd"
                total = SeriesPicture(
                    total.key,
                    total.code,
                    THEME,
                    thema.titel,
                    (),
                    tuple(missing),
                    tuple(also),
                    note=(
                        "Geen politiecijfers in ivp voor dit thema"
                        + (f" (ontbrekende categorieën: {', '.join(missing)})" if missing else "")
                        + f". Bronnen volgens de handreiking: {sources_text}."
                    ),
                )
            theme_pictures.append(
                ThemePicture(
                    code=thema.code,
                    title=thema.titel,
                    veld=veld.code,
                    total=total,
                    categories=tuple(categories[c] for c in [*present, *also]),
                    indicators=tuple(indicators.get(thema.code, ())),
                    sources_without_data=tuple(thema.effectinformatie),
                )
            )
        field_total = builder.series(
            f"veld:{veld.code}", veld.code, FIELD, veld.titel, field_codes, missing=field_missing
        )
        field_pictures.append(
            FieldPicture(
                code=veld.code,
                title=veld.titel,
                total=field_total,
                themes=tuple(theme_pictures),
                aspects=tuple((a.code, a.titel) for a in veld.aanpakaspecten),
            )
        )
    sources = {
        key: {
            "dataset": s.dataset,
            "table": s.table_id,
            "title": s.title,
            "series": s.series_name,
            "attribution": s.attribution or "Bron: CBS / Politie",
            "retrieved": s.retrieved_at or s.retrieved_note,
            "origin": s.origin,
            "import_run": str(s.import_run),
        }
        for key, s in figures.sources.items()
    }
    sources.update(indicator_sources)
    notes = []
    if figures.missing:
        notes.append(
            f"{len(figures.missing)} van de {len(_known_categories())} categorieën van "
            f"47018NED ontbreken voor {context.naam} (ook het totaal 0.0.0 als dat ontbreekt); "
            "haal ze op met ‘ivp data fetch --municipality "
            f"{gemeente}’ of de knop ‘Cijfers ophalen’."
        )
    return Veiligheidsbeeld(
        area_code=gemeente,
        area_name=context.naam,
        members=(gemeente,),
        year=builder.year,
        years=tuple(builder.years),
        provisional_years=tuple(sorted(y for y in builder.provisional if y <= builder.year)),
        population={str(y): builder.population.get(gemeente, {}).get(y) for y in builder.years},
        dwellings={str(y): v for y, v in builder.dwellings.get(gemeente, {}).items()},
        categories=tuple(categories.values()),
        fields=tuple(field_pictures),
        missing_categories=tuple(figures.missing),
        groups=tuple((n, label, len(m) - 1) for n, label, m in builder.group_members),
        sources=sources,
        wijken=_wijken(gemeente, builder) if with_wijken else (),
        notes=tuple(notes),
    )


@cache
def _known_categories() -> frozenset[str]:
    from ivp.datasets import offences

    return frozenset(c for c in offences.soort_misdrijf() if c != "0.0.0")


def _wijken(gemeente: str, builder: _Builder) -> tuple[WijkFigures, ...]:
    """Counts per wijk and category, where the store has wijk figures (after a fetch)."""
    from ivp.areas.models import Wijk
    from ivp.areas.services import region_names
    from ivp.datasets.models import Observation, Series

    # by the gemeente's wijk codes (an indexed lookup), not a prefix scan of the store
    codes = list(Wijk.objects.filter(gemeente__code=gemeente).values_list("code", flat=True))
    codes = codes or [c for c in builder.store.region_index if c.startswith(f"WK{gemeente[2:]}")]
    if not codes:
        return ()
    crime = {
        s.pk: s.soort_misdrijf
        for s in Series.objects.filter(dataset__key=builder.f.table).only("pk", "soort_misdrijf")
    }
    rows = (
        (region, crime[sid], period, value)
        for sid, region, period, value in Observation.objects.filter(
            series_id__in=list(crime), region__in=codes, period__endswith="JJ00"
        ).values_list("series_id", "region", "period", "value")
    )
    per: dict[str, dict[str, dict[str, float | None]]] = {}
    for region, code, period, value in rows:
        year = _year(period)
        if year is not None and year <= builder.year:
            per.setdefault(region, {}).setdefault(code, {})[str(year)] = value
    names = region_names(per)
    return tuple(WijkFigures(code, names.get(code, code), per[code]) for code in sorted(per))


def _indicators(
    gemeente: str, builder: _Builder, indeling
) -> tuple[dict[str, list[SeriesPicture]], dict[str, dict[str, str]]]:
    """Survey, nuisance and own figures of the gemeente, placed at their themes, and their
    sources."""
    from ivp.datasets.access import official_or_owned_by
    from ivp.datasets.models import Observation, Series

    # official series and the gemeente's own; never another gemeente's own data
    series = (
        Series.objects.filter(
            official_or_owned_by(gemeente),
            kind__in=[Series.Kind.INDICATOR, Series.Kind.NUISANCE],
            observations__region=gemeente,
        )
        .distinct()
        .select_related("dataset")
    )
    result: dict[str, list[SeriesPicture]] = {}
    sources: dict[str, dict[str, str]] = {}
    for s in series:
        themes = indeling.themas_voor(s.soort_misdrijf, s.incident_code)
        if not themes:
            lowered = s.name.lower()
            themes = tuple(t for word, t in INDICATOR_THEMES if word in lowered)[:1]
        if not themes:
            continue
        values = {
            str(y): v
            for period, v in Observation.objects.filter(series=s, region=gemeente).values_list(
                "period", "value"
            )
            if (y := _year(period)) is not None and y <= builder.year
        }
        if not values:
            continue
        is_count = s.unit in ("aantal", "")
        higher_is_worse = not any(w in s.name.lower() for w in ("rapportcijfer", "tevreden"))
        years_sorted = dict(sorted(values.items()))
        ev = evidence(
            s.code,
            s.name,
            years_sorted,
            max(int(y) for y in years_sorted),
            is_count=is_count,
            higher_is_worse=higher_is_worse,
        )
        picture = SeriesPicture(
            key=f"indicator:{s.dataset.key}|{s.code}",
            code=s.code,
            kind=INDICATOR,
            title=s.name,
            categories=(),
            counts=years_sorted,
            unit=s.unit,
            evidence=ev,
            candidate=assess(ev),
            sources=(f"{s.dataset.key}|{s.code}",),
        )
        for theme in themes:
            result.setdefault(theme, []).append(picture)
        run = (
            Observation.objects.filter(series=s, region=gemeente)
            .select_related("import_run")
            .first()
            .import_run
        )
        sources[f"{s.dataset.key}|{s.code}"] = {
            "dataset": s.dataset.key,
            "table": s.dataset.table_id,
            "title": s.dataset.title,
            "series": s.name,
            "attribution": s.dataset.attribution or s.dataset.title,
            "retrieved": run.retrieved_at.date().isoformat() if run.retrieved_at else "",
            "origin": run.origin,
            "import_run": str(run.pk),
        }
    return result, sources


# -- plain values for JSON ------------------------------------------------------------


def _r(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(float(value), digits)


def _int_or_float(value: float | None):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _trend_json(tr: Trend) -> dict:
    return {
        "period": tr.period,
        "years": [str(y) for y in tr.years],
        "annual_percent": _r(tr.annual_percent, 2),
        "ci_low": _r(tr.ci_low, 2),
        "ci_high": _r(tr.ci_high, 2),
        "p_value": _r(tr.p_value, 5),
        "method": str(tr.methode) if tr.methode else None,
        "dispersion": _r(tr.dispersion, 3),
        "direction": str(tr.richting),
        "significant": tr.significant,
        "verdict": tr.verdict,
    }


def _comparison_change_json(c: Comparison) -> dict:
    return {
        "against": c.against,
        "years": [str(y) for y in c.years],
        "count": _int_or_float(c.count),
        "earlier_count": _r(c.earlier_count, 2),
        "count_change": _r(c.count_change, 2),
        "count_percent": _r(c.count_percent, 2),
        "rate": _r(c.rate),
        "earlier_rate": _r(c.earlier_rate),
        "rate_percent": _r(c.rate_percent, 2),
        "percent": _r(c.percent, 2),
        "small_count": c.small_count,
        "p_value": _r(c.test.p_value, 5) if c.test.p_value is not None else None,
        "significant": c.test.significant,
        "verdict": c.verdict,
        "reason": c.reason,
    }


def _group_json(g: GroupComparison) -> dict:
    return {
        "name": g.name,
        "members_with_value": g.n,
        "missing": list(g.missing),
        "median": _r(g.median),
        "p25": _r(g.p25),
        "p75": _r(g.p75),
        "rank": g.rank,
        "of": g.of,
        "percentile": _r(g.percentile, 1),
        "ratio_to_median": _r(g.ratio_to_median),
        "small_group": g.small_group,
    }


def series_json(s: SeriesPicture) -> dict:
    data: dict = {
        "code": s.code,
        "title": s.title,
        "counts": {y: _int_or_float(v) for y, v in s.counts.items()},
        "rate_per_1000": {y: _r(v) for y, v in s.rates.items()},
    }
    if s.kind != CATEGORY:
        data["categories"] = list(s.categories)
        if s.missing_categories:
            data["missing_categories"] = list(s.missing_categories)
        if s.also_shown:
            data["also_shown"] = list(s.also_shown)
    if s.rates_dwellings:
        data["rate_per_1000_dwellings"] = {y: _r(v) for y, v in s.rates_dwellings.items()}
    if s.rate_notes:
        data["rate_notes"] = list(s.rate_notes)
    if s.unit != "aantal":
        data["unit"] = s.unit
    ev = s.evidence
    if ev is not None:
        data["change_pct_prev_year"] = _r(ev.change.vs_previous.percent, 2)
        data["change_abs_prev_year"] = _r(ev.change.vs_previous.count_change, 2)
        data["change_prev_year"] = _comparison_change_json(ev.change.vs_previous)
        data["change_vs_3yr_mean"] = _comparison_change_json(ev.change.vs_mean)
        data["trend"] = {**_trend_json(ev.trend), "long": _trend_json(ev.long_trend)}
        bench = ev.benchmark
        data["comparison"] = {
            "rate": _r(bench.value) if bench else None,
            "groups": [_group_json(g) for g in bench.groups] if bench else [],
            "references": {
                name: {
                    "rate": _r(v),
                    "ratio": _r(bench.ratios.get(name)),
                    "change_pct_prev_year": _r(s.reference_changes.get(name), 2),
                }
                for name, v in (bench.references.items() if bench else [])
            },
        }
        data["candidate"] = {
            "score": s.candidate.score,
            "proposed": s.proposed,
            "summary": s.candidate.summary,
            "reasons": list(s.candidate.reasons),
            "caveats": list(s.candidate.caveats),
        }
        data["provisional"] = ev.provisional
    if s.note:
        data["note"] = s.note
    data["sources"] = list(s.sources)
    if s.source_per_year:
        data["source_per_year"] = dict(s.source_per_year)
    return data


def to_json(picture: Veiligheidsbeeld) -> dict:
    """The stable JSON contract of ``ivp analyse --json`` (docs/analysis.md)."""
    return {
        "municipality": {
            "code": picture.area_code,
            "name": picture.area_name,
            "population": {y: _int_or_float(v) for y, v in picture.population.items()},
        },
        "year": str(picture.year),
        "years": [str(y) for y in picture.years],
        "provisional_years": [str(y) for y in picture.provisional_years],
        "comparison_groups": [
            {"name": n, "description": d, "members": m} for n, d, m in picture.groups
        ],
        "categories": [series_json(c) for c in picture.categories],
        "themes": [
            {
                **series_json(t.total),
                "field": t.veld,
                "shown_categories": [c.code for c in t.categories],
                "indicators": [series_json(i) for i in t.indicators],
                "effect_information_sources": list(t.sources_without_data),
            }
            for t in picture.themes
        ],
        "fields": [
            {
                **series_json(f.total),
                "themes": [t.code for t in f.themes],
                "aspects": [{"code": c, "title": t} for c, t in f.aspects],
            }
            for f in picture.fields
        ],
        "wijken": [
            {
                "code": w.code,
                "name": w.name,
                "counts": {
                    c: {y: _int_or_float(v) for y, v in per.items()} for c, per in w.counts.items()
                },
            }
            for w in picture.wijken
        ],
        "missing_categories": list(picture.missing_categories),
        "notes": list(picture.notes),
        "sources": [{"key": k, **v} for k, v in picture.sources.items()],
    }
