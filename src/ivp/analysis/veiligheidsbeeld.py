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
- Comparisons: "vergelijkbare gemeenten" (by default the 30 gemeenten most alike in
  inhabitants and density in the reference year, or the plan's choice: see
  :mod:`ivp.areas.comparison`) and the gemeenten of its politie-eenheid (median of the other
  members, rank, percentile, ratio, funnel limits), and as reference areas the
  politie-eenheid taken as one area and the Netherlands (47025NED, on its average
  population, as the gemeenten' rates).
- The calculations run in :func:`ivp.analysis.engine.analyse`, one vectorised call per
  series kind for one gemeente or a batch of all of them; :func:`build` and
  :func:`build_all` give the same figures.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from types import SimpleNamespace

import numpy as np

from ivp.analysis import engine, from_arrays
from ivp.analysis.benchmark import GroupComparison
from ivp.analysis.candidates import (
    FIELD_NOTE,
    PROPOSE_AT,
    Candidate,
    Evidence,
    Role,
    assess,
    assess_facts,
    assess_family,
    evidence,
)
from ivp.analysis.change import Comparison
from ivp.analysis.enforcement import enforcement_driven
from ivp.analysis.store import Store, by_year, year_of_period
from ivp.analysis.survey import MarginChange, latest_change
from ivp.analysis.trend import Trend
from ivp.areas import comparison
from ivp.areas.comparison import Vergelijking
from ivp.datasets.rates import PER, per_1000
from ivp.userinput import whole_number

__all__ = ["PROPOSE_AT", "Vergelijking", "build", "build_all", "resolve_gemeente", "to_json"]

CATEGORY = "categorie"
THEME = "thema"
FIELD = "veld"
INDICATOR = "indicator"
COMBINED = "som"  # a combined series: the sum of several categories (an indicator's)

SIZE_CLASS = "vergelijkbare gemeenten"
UNIT_MEMBERS = "gemeenten van de politie-eenheid"
NETHERLANDS = "Nederland"
PROVISIONAL_CODES = frozenset({"v", "nv"})  # Observation.Status of voorlopig figures
TOTAL = "0.0.0"

# What a category's count is, where its title could mislead (the bundled tiers).
CATEGORY_NOTES = {
    "1.4.2": "telt geregistreerde misdrijven, vooral pogingen, niet het aantal doden",
}

# Survey and own series have no offence code: ``ivp.datasets.own_series`` places them at a
# theme (a plan's choice, their code, the catalogue's effect indicators, a keyword table).


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
    # for the funnel chart: (code, inhabitants, rate) of the first group's other members
    funnel: tuple[tuple[str, float, float], ...] = ()
    # a series merged from several sources (the total 0.0.0): year → source key
    source_per_year: dict[str, str] = field(default_factory=dict)

    @property
    def has_data(self) -> bool:
        return any(v is not None for v in self.counts.values())

    @property
    def proposed(self) -> bool:
        return self.candidate is not None and self.candidate.proposed


@dataclass(frozen=True)
class WijkFigures:
    code: str
    name: str
    counts: dict[str, dict[str, float | None]]  # category → year → count


@dataclass(frozen=True)
class OtherPicture:
    """A gemeente's own or survey series at a theme (``datasets.own_series.OtherSeries``),
    with its change: judged with the 95 % margins where published (``analysis.survey``),
    with the overdispersion-aware tests for counts (``evidence``)."""

    key: str  # "<dataset>|<code>"; linked from an indicator as "eigen:<key>"
    indicator: str
    source: str
    unit: str
    own: bool
    values: dict[str, float | None]
    margins: dict[str, float] | None
    theme_rule: str
    theme_why: str
    change: MarginChange | None = None
    evidence: Evidence | None = None

    @property
    def link(self) -> str:
        return "eigen:" + self.key

    @property
    def has_data(self) -> bool:
        return any(v is not None for v in self.values.values())


@dataclass(frozen=True)
class ThemePicture:
    code: str
    title: str
    veld: str
    total: SeriesPicture  # the sum of its main-theme categories
    categories: tuple[SeriesPicture, ...]  # every category shown here (main and secondary)
    indicators: tuple[SeriesPicture, ...]  # survey and own figures placed at this theme
    sources_without_data: tuple[str, ...]  # the catalogue's sources of effect information
    # the same figures as ``indicators``, one entry per series with its margins and the
    # margin-based change (``other_series`` of the JSON)
    other_series: tuple[OtherPicture, ...] = ()

    @property
    def has_figures(self) -> bool:
        """Any figure at this theme: police categories or another series."""
        return self.total.has_data or any(o.has_data for o in self.other_series)


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
    group_members: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (name, kind, codes)
    wijken: tuple[WijkFigures, ...] = ()
    notes: tuple[str, ...] = ()
    combined: tuple[SeriesPicture, ...] = ()  # sums of categories asked for (indicators)

    @property
    def themes(self) -> tuple[ThemePicture, ...]:
        return tuple(t for f in self.fields for t in f.themes)

    def theme(self, code: str) -> ThemePicture | None:
        return next((t for t in self.themes if t.code == code), None)

    def category(self, code: str) -> SeriesPicture | None:
        return next((c for c in self.categories if c.code == code), None)

    def candidates(self, *, only_proposed: bool = True) -> list[SeriesPicture]:
        """Series with a candidate, strongest evidence first: categories and themes (a
        copy of another series' figures only when ``only_proposed`` is False)."""
        pool = [*self.categories, *(t.total for t in self.themes)]
        chosen = [s for s in pool if s.candidate and (s.proposed or not only_proposed)]

        def order(s: SeriesPicture) -> tuple:
            c = s.candidate
            rank = c.rank if c.rank is not None else 10**6
            return (not c.proposed, rank, -c.score, s.key)

        return sorted(chosen, key=order)


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
    number = whole_number(code)
    if number is not None:
        code = f"GM{number:04d}"
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


# -- reading the store ----------------------------------------------------------------


def _read_figures(gemeente: str, regions: Iterable[str] | None = None, *, all_regions=False):
    """The one place where the veiligheidsbeeld reads stored figures: the gemeente's and
    those of ``regions`` (its comparison groups), or of every current gemeente."""
    from ivp.datasets import queries

    if all_regions:
        return queries.figures(gemeente, all_regions=True)
    return queries.figures(gemeente, regions=sorted(set(regions or ())))


def _latest_own_year(gemeente: str) -> int | None:
    """The latest year with registered crime of the gemeente (one indexed query)."""
    from django.db.models import Max

    from ivp.datasets.models import Observation
    from ivp.datasets.queries import CRIME_TABLE

    latest = Observation.objects.filter(
        series__dataset__key=CRIME_TABLE,
        region=gemeente,
        period__endswith="JJ00",
        value__isnull=False,
    ).aggregate(m=Max("period"))["m"]
    return _year(latest) if latest else None


POPULATION_LOOKBACK = 3  # years before the reference year searched for inhabitants


def _populations(codes: Iterable[str], year: int) -> dict[str, dict[int, float | None]]:
    """Inhabitants of ``codes`` in ``year`` and the few years before, from the same sources
    and in the same order of preference as the rates (``queries.base_values``), in one
    query."""
    from ivp.datasets import queries
    from ivp.datasets.models import Observation, Series

    codes = list(codes)
    periods = [f"{y}JJ00" for y in range(year - POPULATION_LOOKBACK, year + 1)]
    order: dict[int, int] = {}
    for rank, (table, code) in enumerate(queries.POPULATION):
        for pk in Series.objects.filter(dataset__key=table, code=code).values_list("pk", flat=True)[
            :1
        ]:
            order[pk] = rank
    best: dict[tuple[str, int], tuple[int, float]] = {}
    for series, region, period, value in Observation.objects.filter(
        series_id__in=list(order), region__in=codes, period__in=periods, value__isnull=False
    ).values_list("series_id", "region", "period", "value"):
        y = _year(period)
        rank = order[series]
        key = (region, y)
        if y is not None and (key not in best or rank < best[key][0]):
            best[key] = (rank, value)
    found: dict[str, dict[int, float | None]] = {}
    for (region, y), (_rank, value) in best.items():
        found.setdefault(region, {})[y] = value
    return found


def _national_population(nl: Mapping[int, float | None]) -> dict[int, float]:
    """The Netherlands' *average* population per year, the basis of the gemeenten' rates:
    70072NED's average where the store has it, else the mean of 31 December of the year
    before and of the year (37230NED), which is how CBS averages a year."""
    from ivp.datasets.models import Observation

    averages = {
        y: v
        for period, v in Observation.objects.filter(
            series__dataset__key="70072NED", series__code="inwoners", region="NL01"
        ).values_list("period", "value")
        if (y := _year(period)) is not None and v
    }
    if averages:
        return averages
    return {y: (nl[y - 1] + nl[y]) / 2 for y in nl if nl.get(y) and nl.get(y - 1)}


def _year(period: str | None) -> int | None:
    return year_of_period(period) if period else None


@cache
def _default_mapping():
    """The shipped offence→theme mapping's lookups (parsed once, cached on disk)."""
    from ivp.analysis.catalogue_index import default_mapping

    return default_mapping()


@cache
def _catalogue_index() -> tuple[dict, dict, dict]:
    from ivp.analysis.catalogue_index import catalogue_index

    return catalogue_index()


def _population_in(
    population: Mapping[str, Mapping[int, float | None]], codes: Iterable[str], year: int
) -> dict[str, float]:
    """Inhabitants of ``codes`` in ``year`` (the latest earlier year where that one is
    missing)."""
    result = {}
    for code in codes:
        per = population.get(code) or {}
        known = [y for y, v in per.items() if v and y <= year]
        if known:
            result[code] = float(per[max(known)])
    return result


# -- one run of the analysis ------------------------------------------------------------


@dataclass
class _Spec:
    key: str
    code: str
    kind: str
    title: str
    codes: tuple[str, ...]
    missing: tuple[str, ...] = ()
    also: tuple[str, ...] = ()


@dataclass
class _Target:
    """One gemeente of a run: its context, year, groups and series."""

    code: str
    context: object
    year: int
    groups: list[tuple[str, str, tuple[str, ...], str]]  # (name, description, members, kind)
    pool: tuple[str, ...]  # the standard group: dispersion is pooled over it
    notes: list[str] = field(default_factory=list)
    specs: list[_Spec] = field(default_factory=list)
    fields: list = field(default_factory=list)  # (veld, [(thema, mains, present, missing, also)])


def _groups_for(
    code: str,
    context,
    year: int,
    population_year: Mapping[str, float],
    neighbours,
    eenheden: Mapping[str, list[str]],
    choice: Vergelijking,
) -> tuple[list, tuple[str, ...], list[str]]:
    standard = comparison.standard_group(code, context.naam, year, neighbours)
    chosen = comparison.group_for(choice, code, context.naam, year, population_year, neighbours)
    groups = [(SIZE_CLASS, chosen.description, chosen.members, chosen.kind)]
    notes = [chosen.note] if chosen.note else []
    if context.politie_eenheid:
        eenheid_code, eenheid_name = context.politie_eenheid
        members = tuple(eenheden.get(eenheid_code, ()))
        groups.append((UNIT_MEMBERS, f"politie-eenheid {eenheid_name}", members, "politie-eenheid"))
    return groups, standard.members, notes


def combined_key(codes: Sequence[str]) -> str:
    """The key of a combined series: ``som:1.2.1+1.2.2``."""
    return "som:" + "+".join(codes)


def parse_combined(key: str) -> tuple[str, ...] | None:
    """``som:1.2.1+1.2.2`` (or ``1.2.1+1.2.2``) → the category codes; None if not one."""
    text = key.removeprefix("som:")
    parts = tuple(p.strip() for p in text.split("+") if p.strip())
    if len(parts) < 2 or len(set(parts)) != len(parts):
        return None
    if not all(p.replace(".", "").isdecimal() and p.count(".") == 2 for p in parts):
        return None
    return parts


def _combined_title(codes: Sequence[str]) -> str:
    return "Som van " + " + ".join(f"{c} {_category_title(c)}" for c in codes)


def _plan_series(target: _Target, store: Store, indeling, sums=()) -> None:
    """The series of one gemeente: its categories, themes and fields (conventions above),
    and the combined series in ``sums`` (each only where every part is in the store)."""
    gemeente = target.code
    fields_idx, _themes, _aspects = _catalogue_index()
    in_store = sorted(
        (c for c in store.counts if gemeente in store.counts[c]),
        key=lambda c: [int(p) for p in c.split(".")],
    )
    known = _known_categories()
    for c in in_store:
        target.specs.append(_Spec(c, c, CATEGORY, _category_title(c), (c,)))
    main = indeling.per_thema(alleen_hoofdthema=True)
    shown = indeling.per_thema()
    categories = set(in_store)
    for veld in fields_idx.values():
        field_codes: list[str] = []
        field_missing: list[str] = []
        themes = []
        for thema in veld.themas:
            mains = [c for c in main.get(thema.code, []) if "." in c and c != "0.0.0"]
            present = [c for c in mains if c in categories]
            missing = [c for c in mains if c not in categories and c in known]
            field_codes += present
            field_missing += missing
            also = [c for c in shown.get(thema.code, []) if c not in mains and c in categories]
            spec = _Spec(
                f"thema:{thema.code}",
                thema.code,
                THEME,
                thema.titel,
                tuple(present),
                tuple(missing),
                tuple(also),
            )
            target.specs.append(spec)
            themes.append((thema, spec))
        spec = _Spec(
            f"veld:{veld.code}",
            veld.code,
            FIELD,
            veld.titel,
            tuple(field_codes),
            tuple(field_missing),
        )
        target.specs.append(spec)
        target.fields.append((veld, themes, spec))
    for codes in sums:
        codes = tuple(codes)
        missing = tuple(c for c in codes if c not in categories)
        target.specs.append(
            _Spec(
                combined_key(codes),
                "+".join(codes),
                COMBINED,
                _combined_title(codes),
                () if missing else codes,
                missing,
            )
        )


class _StackedCodes:
    """Region code of a row of the stacked panel (kind × region)."""

    def __init__(self, codes: list[str]) -> None:
        self.codes = codes
        self.array = np.array(codes, dtype=object)

    def __getitem__(self, row: int) -> str:
        return self.codes[row % len(self.codes)]

    def take(self, rows: np.ndarray) -> list[str]:
        """The codes of many rows at once (a comparison group lists up to a few hundred
        members without a figure; looked up one by one they cost a second per batch)."""
        return self.array[rows % len(self.codes)].tolist()


class _Run:
    """The engine over the targets of one store: per reference year one call over all
    series kinds stacked (rows = kind × region), so a batch is a few array operations."""

    def __init__(self, store: Store, targets: list[_Target], *, with_lines: bool) -> None:
        self.store = store
        self.targets = targets
        self.with_lines = with_lines
        self.own_years = store.own_years()
        self.member_codes = [*store.regions, ""]
        # (year, codes, gemeente) → (block, index into the results of that block); a block
        # is one engine call over some series kinds of one reference year
        self.index: dict[tuple[int, tuple[str, ...], str], tuple[tuple[int, int], int]] = {}
        self.results: dict[tuple[int, int], SimpleNamespace] = {}
        self.group_names = (SIZE_CLASS, UNIT_MEMBERS)
        self.years_axis = store.years.tolist()
        self._provisional: frozenset[int] | None = None
        self._stacked_codes = _StackedCodes(self.member_codes)
        self._source_map: dict | None = None
        self._quartiles: dict[tuple, dict] = {}  # see _group_quartiles
        self._own_columns_cache: dict[tuple, list[tuple[int, str]]] = {}
        self.series_themes: Mapping[str, str] | None = None  # a plan's themes of own series
        self.viewer = None  # who reads the picture (None: the caller checked the own data)
        self.json_columns = False  # a batch for JSON: see restricted()
        self.columns: dict[tuple[int, int], SimpleNamespace] = {}
        self.raw: dict[tuple[int, int], engine.KindArrays] = {}
        self._rows = {
            t.code: (
                self._rows_of(t.pool, t.code),
                {name: self._rows_of(m, t.code) for name, _d, m, _k in t.groups},
            )
            for t in targets
        }

    def restricted(self, codes: Iterable[str]) -> _Run:
        """This run for the gemeenten in ``codes`` only, with the results as lists and the
        column-wise JSON pieces (each worker of a batch prepares just its own share)."""
        import copy

        from ivp.analysis import batch_json

        wanted = set(codes)
        view = copy.copy(self)
        view.results, view.columns, view.index = {}, {}, {}
        keys_of: dict[tuple[int, int], list] = {}
        for k, (block, _i) in self.index.items():
            if k[2] in wanted:
                keys_of.setdefault(block, []).append(k)
        codes = self._stacked_codes.array
        for block, keys in keys_of.items():
            result = self.raw[block]
            rows = np.array([self.index[k][1] for k in keys], dtype=int)
            part = engine.take(result, rows, len(result.targets))
            view.results[block] = listed = from_arrays.listed(part)
            listed.trend.used_cols = batch_json.true_columns(part.trend.used)  # for facts_at
            view.columns[block] = batch_json.columns(part, self.years_axis, codes)
            view.index.update({k: (block, i) for i, k in enumerate(keys)})
        return view

    def provisional(self, figures) -> frozenset[int]:
        if self._provisional is None:
            self._provisional = frozenset(
                y
                for period, st in figures.status.items()
                if (y := _year(period)) and st in PROVISIONAL_CODES
            )
        return self._provisional

    def _rows_of(self, members: Iterable[str], own: str) -> list[int]:
        store = self.store
        return [r for m in members if m != own and (r := store.row(m)) != store.missing_row]

    @staticmethod
    def _matrix(lists: list[list[int]], offsets: np.ndarray) -> np.ndarray:
        # at least one column: a gemeente without a group (a former gemeente) has none
        width = max(1, max((len(m) for m in lists), default=0))
        matrix = np.full((len(lists), width), -1, dtype=np.int32)
        for i, rows in enumerate(lists):
            matrix[i, : len(rows)] = rows
        return np.where(matrix >= 0, matrix + offsets[:, None], -1)

    def compute(self) -> None:
        store = self.store
        height = store.base.shape[0]
        per_year: dict[int, dict[tuple[str, ...], list[_Target]]] = {}
        for target in self.targets:
            kinds = per_year.setdefault(target.year, {})
            for spec in target.specs:
                if spec.codes:
                    kinds.setdefault(spec.codes, []).append(target)
        for year, kinds in per_year.items():
            for b, order in enumerate(_blocks(kinds)):
                self._compute_block(year, (year, b), order, kinds, height)

    def _compute_block(self, year, block, order, kinds, height) -> None:
        """One engine call over the series kinds in ``order`` (rows = kind × region)."""
        store = self.store
        panels = [store.panel(codes) for codes in order]
        stacked = engine.Panel(
            store.years,
            np.concatenate([p.counts for p in panels]),
            np.concatenate([p.present for p in panels]),
            np.concatenate([p.base for p in panels]),
        )
        own_years = np.tile(self.own_years, (len(order), 1))
        targets, offsets, pools = [], [], []
        groups: dict[str, list[list[int]]] = {name: [] for name in self.group_names}
        for k, codes in enumerate(order):
            for target in kinds[codes]:
                self.index[(year, codes, target.code)] = (block, len(targets))
                offset = k * height
                targets.append(store.row(target.code) + offset)
                offsets.append(offset)
                pool, by_name = self._rows[target.code]
                pools.append(pool)
                for name in self.group_names:
                    groups[name].append(by_name.get(name, []))
        offsets_array = np.array(offsets, dtype=np.int32)
        result = engine.analyse(
            stacked,
            year,
            np.array(targets, dtype=int),
            own_years=own_years,
            dispersion_members=self._matrix(pools, offsets_array),
            groups=tuple(
                (name, self._matrix(groups[name], offsets_array)) for name in self.group_names
            ),
            pooled=(UNIT_MEMBERS,),
        )
        if self.json_columns:
            # listed per worker, for its own gemeenten; without what the JSON never reads
            self.raw[block] = _lean(result)
        else:
            self.results[block] = from_arrays.listed(result)

    # -- the pictures of one gemeente ------------------------------------------------------

    def picture(self, target: _Target, indeling, figures, *, with_wijken, with_indicators):
        store = self.store
        gemeente = target.code
        row = store.row(gemeente)
        own_years = [
            y
            for y, ok in zip(self.years_axis, self.own_years[row].tolist(), strict=True)
            if ok and y <= target.year
        ]
        provisional = frozenset(y for y in self.provisional(figures) if y <= target.year)
        pictures: dict[str, SeriesPicture] = {}
        evidences: list[Evidence] = []
        year_counts = {
            c: store.counts.get(c, {}).get(gemeente, {}).get(target.year)
            for spec in target.specs
            for c in spec.codes
        }
        for spec in target.specs:
            picture = self._series(target, spec, own_years, provisional, year_counts)
            pictures[spec.key] = picture
            if picture.evidence is not None:
                evidences.append(picture.evidence)
        roles = self._roles(target, {k: p.evidence for k, p in pictures.items()})
        candidates = {c.key: c for c in assess_family(evidences, roles)}
        pictures = {
            key: replace(p, candidate=candidates.get(key)) if p.evidence is not None else p
            for key, p in pictures.items()
        }
        return self._assemble(
            target,
            pictures,
            indeling,
            figures,
            own_years,
            provisional,
            with_wijken=with_wijken,
            with_indicators=with_indicators,
        )

    def json_of(self, target: _Target, indeling, figures) -> dict:
        """``to_json(picture)`` of a batch picture (no wijken, no indicators), written
        straight from the arrays (:mod:`ivp.analysis.batch_json`)."""
        from ivp.analysis import batch_json

        store = self.store
        gemeente = target.code
        row = store.row(gemeente)
        own_years = [
            y
            for y, ok in zip(self.years_axis, self.own_years[row].tolist(), strict=True)
            if ok and y <= target.year
        ]
        provisional = frozenset(y for y in self.provisional(figures) if y <= target.year)
        year_counts = {
            c: store.counts.get(c, {}).get(gemeente, {}).get(target.year)
            for spec in target.specs
            for c in spec.codes
        }
        parts = {s.key: self._parts(target, s, own_years, year_counts) for s in target.specs}
        facts = []
        for spec in target.specs:
            found = parts[spec.key]
            if found is None:
                continue
            facts.append(
                batch_json.facts_at(
                    found.result,
                    found.i,
                    key=spec.key,
                    title=spec.title,
                    years=self.years_axis,
                    provisional=provisional,
                    notes=found.ev_notes,
                    enforcement=found.enforcement,
                )
            )
        roles = self._roles(target, parts)
        candidates = {c.key: c for c in assess_facts(facts, roles)}

        def series(spec: _Spec, *, no_data_note: str = "") -> dict:
            found = parts[spec.key]
            if found is None:
                codes = () if no_data_note else spec.codes
                data = _head_json(
                    spec.code, spec.title, spec.kind, {}, {}, codes, spec.missing, spec.also, {}, ()
                )
                if no_data_note:
                    data["note"] = no_data_note
                data["sources"] = []
                return data
            data = _head_json(
                spec.code,
                spec.title,
                spec.kind,
                found.counts,
                found.rates,
                spec.codes,
                spec.missing,
                spec.also,
                found.dwellings,
                found.notes,
            )
            data.update(
                batch_json.evidence_json_from_columns(
                    self.columns[found.block],
                    found.result,
                    found.i,
                    year=target.year,
                    provisional=provisional,
                    references=found.references,
                    reference_changes=found.reference_changes,
                    candidate=candidates[spec.key],
                )
            )
            data["sources"] = found.sources
            if found.source_per_year:
                data["source_per_year"] = found.source_per_year
            return data

        frame = self._frame(target, figures, own_years, provisional, with_wijken=False)
        categories = [series(s) for s in target.specs if s.kind == CATEGORY]
        themes, fields = [], []
        for veld, theme_specs, field_spec in target.fields:
            for thema, spec in theme_specs:
                note = "" if parts[spec.key] is not None else _no_data_note(thema, spec)
                themes.append(
                    {
                        **series(spec, no_data_note=note),
                        "field": veld.code,
                        "shown_categories": [*spec.codes, *spec.also],
                        "indicators": [],
                        "other_series": [],
                        "effect_information_sources": list(thema.effectinformatie),
                    }
                )
            fields.append(
                {
                    **series(field_spec),
                    "themes": [t.code for t, _s in theme_specs],
                    "aspects": [{"code": a.code, "title": a.titel} for a in veld.aanpakaspecten],
                }
            )
        return _document(frame, categories, themes, fields)

    def _roles(self, target: _Target, parts) -> dict[str, Role]:
        """Which series may be proposed: not a field, not a copy of a theme's figures."""
        theme_of_codes: dict[tuple[str, ...], _Spec] = {}
        for spec in target.specs:
            if spec.kind == THEME and spec.codes:
                theme_of_codes.setdefault(spec.codes, spec)
        roles = {}
        for spec in target.specs:
            if parts.get(spec.key) is None:
                continue
            same = theme_of_codes.get(spec.codes)
            if same is not None and same.key != spec.key:
                roles[spec.key] = Role(
                    eligible=False,
                    note=f"dezelfde cijfers als thema {same.code} ({same.title}): daar getoond",
                    same_as=same.key,
                )
            elif spec.kind == FIELD:
                roles[spec.key] = Role(eligible=False, note=FIELD_NOTE)
            elif spec.kind == COMBINED:
                roles[spec.key] = Role(
                    eligible=False, note="samengestelde reeks van een indicator, geen voorstel"
                )
        return roles

    def _own_columns(self, own_years) -> list[tuple[int, str]]:
        """(column of the years axis, year as text) of the years a gemeente has figures
        for: the same for all its series, and for most gemeenten."""
        key = tuple(own_years)
        found = self._own_columns_cache.get(key)
        if found is None:
            own = set(key)
            found = [(c, str(y)) for c, y in enumerate(self.years_axis) if y in own]
            self._own_columns_cache[key] = found
        return found

    def _parts(self, target, spec, own_years, year_counts) -> SimpleNamespace | None:
        """What a series of a gemeente shows besides its evidence (None: no figures)."""
        store = self.store
        gemeente = target.code
        if not spec.codes:
            return None
        block, i = self.index[(target.year, spec.codes, gemeente)]
        result = self.results[block]
        own = set(own_years)
        counts = {}
        rates = {}
        count_row, present_row, rate_row = result.counts[i], result.present[i], result.rates[i]
        for column, label in self._own_columns(own_years):
            if present_row[column]:
                v, r = count_row[column], rate_row[column]
                counts[label] = None if v != v else v
                rates[label] = None if r != r else r
        if not any(v is not None for v in counts.values()):
            return None
        notes: list[str] = []
        ev_notes: list[str] = []
        changed = store.boundary.get(gemeente)
        own_division = store.own_division_years(spec.codes, gemeente) if changed else set()
        if changed and any(int(y) < changed and int(y) not in own_division for y in counts):
            notes.append(
                f"grens gewijzigd in {changed}: geen cijfers per 1.000 voor eerdere jaren "
                "(de misdrijfcijfers staan in de indeling van 2024)"
            )
            ev_notes.append(
                f"grens gewijzigd in {changed}: geen cijfers per 1.000 voor eerdere jaren"
            )
        dwellings = {}
        if spec.codes == ("1.1.1",):
            homes = store.dwellings.get(gemeente, {})
            if homes:
                dwellings = {y: per_1000(c, homes.get(int(y))) for y, c in counts.items()}
            else:
                notes.append("aantal woningen onbekend: woninginbraak per 1.000 inwoners")
        if len(spec.codes) == 1 and spec.codes[0] in CATEGORY_NOTES:
            ev_notes.append(CATEGORY_NOTES[spec.codes[0]])
        references: dict[str, float | None] = {}
        reference_changes: dict[str, float | None] = {}
        for gi, (name, label, members, _kind) in enumerate(target.groups):
            if name != UNIT_MEMBERS:
                continue
            group = result.groups[self.group_names.index(name)]
            rate = group.pooled_rate[i]
            references[label] = None if rate != rate else rate
            change = group.pooled_change[i]
            if change == change and target.year - 1 in own:
                reference_changes[label] = change
            left = []
            if group.pooled_left_count[i]:
                everyone = [store.row(gemeente), *self._rows[gemeente][1][name]]
                flags = group.pooled_left[i].tolist()
                left = [self.member_codes[r] for r, x in zip(everyone, flags, strict=False) if x]
            if left:
                notes.append(
                    f"{label} als één gebied zonder {len(left)} gemeente(n) zonder cijfer "
                    f"per 1.000 in {target.year} ({', '.join(sorted(left))})"
                )
            del gi, members
        national = store.national_rates(spec.codes)
        if national is not None:
            references[NETHERLANDS] = national.get(target.year)
            if national.get(target.year) is None:
                known = [y for y, v in national.items() if v is not None and y <= target.year]
                notes.append(
                    f"geen landelijk cijfer voor {target.year} (47025NED loopt tot "
                    f"{max(known) if known else 'een eerder jaar'})"
                )
        table = store.f.table
        sources = [f"{table}|{c}" for c in spec.codes if f"{table}|{c}" in store.f.sources]
        source_per_year: dict[str, str] = {}
        merged = store.f.period_sources
        if len(spec.codes) == 1 and spec.codes[0] in merged:
            per_period = merged[spec.codes[0]].get(gemeente, {})
            source_per_year = {
                str(y): key
                for period, key in sorted(per_period.items())
                if str(y := year_of_period(period)) in counts
            }
            sources = [k for k in dict.fromkeys(source_per_year.values()) if k in store.f.sources]
            if len(set(source_per_year.values())) > 1:
                notes.append(
                    "meer dan één bron (zie bron per jaar): tussen de bronnen zit een breuk "
                    "in de reeks, geen verandering"
                )
        sources += [f"47025NED|{c}" for c in spec.codes if f"47025NED|{c}" in store.f.sources]
        return SimpleNamespace(
            source_per_year=source_per_year,
            result=result,
            block=block,
            i=i,
            counts=counts,
            rates=rates,
            notes=notes,
            ev_notes=ev_notes,
            dwellings=dwellings,
            references=references,
            reference_changes=reference_changes,
            sources=sources,
            enforcement=enforcement_driven(spec.codes, year_counts),
        )

    def _series(self, target, spec, own_years, provisional, year_counts) -> SeriesPicture:
        parts = self._parts(target, spec, own_years, year_counts)
        if parts is None:
            codes = spec.codes if spec.codes else ()
            return SeriesPicture(
                spec.key, spec.code, spec.kind, spec.title, codes, spec.missing, spec.also
            )
        ev = from_arrays.evidence_at(
            parts.result,
            parts.i,
            key=spec.key,
            title=spec.title,
            years=self.years_axis,
            provisional=provisional,
            member_codes=self._stacked_codes,
            references=parts.references,
            notes=parts.ev_notes,
            enforcement=parts.enforcement,
        )
        panel = self.store.panel(spec.codes) if self.with_lines else None
        lines = self._lines(target, spec, panel, own_years) if self.with_lines else ()
        funnel = self._funnel_points(target, panel) if self.with_lines else ()
        return SeriesPicture(
            key=spec.key,
            code=spec.code,
            kind=spec.kind,
            title=spec.title,
            categories=spec.codes,
            missing_categories=spec.missing,
            also_shown=spec.also,
            counts=parts.counts,
            rates=parts.rates,
            rates_dwellings=parts.dwellings,
            rate_notes=tuple(parts.notes),
            evidence=ev,
            candidate=None,
            lines=lines,
            reference_changes=parts.reference_changes,
            sources=tuple(parts.sources),
            funnel=funnel,
            source_per_year=parts.source_per_year,
        )

    def _funnel_points(self, target, panel) -> tuple[tuple[str, float, float], ...]:
        store = self.store
        col = store.year_index[target.year]
        members = next((m for n, _d, m, _k in target.groups if n == SIZE_CLASS), ())
        others = [
            (code, row)
            for code in members
            if code != target.code and (row := store.row(code)) != store.missing_row
        ]
        if not others:
            return ()
        rows = np.array([row for _code, row in others], dtype=int)
        counts = panel.counts[rows, col].tolist()  # Python floats: no numpy scalar per member
        bases = panel.base[rows, col].tolist()
        return tuple(
            (code, base, count / base * PER)
            for (code, _row), count, base in zip(others, counts, bases, strict=True)
            if math.isfinite(count) and math.isfinite(base) and base > 0
        )

    def _lines(self, target, spec, panel, own_years) -> tuple[GroupLine, ...]:
        """The groups' medians and quartiles and the reference areas per year (charts)."""
        store = self.store
        cols = [store.year_index[y] for y in own_years]
        keys = [str(y) for y in own_years]
        quartiles = self._group_quartiles(target, own_years)[tuple(spec.codes)]
        lines = []
        for name, label, members, _kind in target.groups:
            low, med, high = quartiles[name]
            lines.append(
                GroupLine(
                    f"mediaan {name}",
                    "groep",
                    dict(zip(keys, _nones(med), strict=True)),
                    dict(zip(keys, _nones(low), strict=True)),
                    dict(zip(keys, _nones(high), strict=True)),
                    len(members) - 1,
                )
            )
            if name == UNIT_MEMBERS:
                # engine.pooled_rates for every year at once: the members with a count
                # and a base in that year, taken as one area
                unit_rows = [store.row(m) for m in members]
                counts = panel.counts[unit_rows][:, cols]
                base = panel.base[unit_rows][:, cols]
                ok = np.isfinite(counts) & np.isfinite(base) & (base > 0)
                total = np.where(ok, counts, 0.0).sum(axis=0)
                exposure = np.where(ok, base, 0.0).sum(axis=0)
                with np.errstate(invalid="ignore", divide="ignore"):
                    unit = np.where(exposure > 0, total / exposure * PER, np.nan)
                pooled = dict(zip(keys, _nones(unit), strict=True))
                lines.append(GroupLine(label, "referentie", pooled))
        national = store.national_rates(spec.codes)
        if national is not None:
            lines.append(
                GroupLine(NETHERLANDS, "referentie", {str(y): national.get(y) for y in own_years})
            )
        return tuple(lines)

    def _group_quartiles(self, target, own_years) -> dict[tuple[str, ...], dict[str, tuple]]:
        """Per series kind of ``target`` and group: the quartiles (low, median, high) of the
        other members' rates in each of ``own_years``, for every kind in one sort (the
        same numbers as :func:`_column_quantiles` kind by kind, in a fraction of the
        time)."""
        key = (target.code, tuple(own_years))
        found = self._quartiles.get(key)
        if found is not None:
            return found
        store = self.store
        kinds = list(dict.fromkeys(tuple(s.codes) for s in target.specs if s.codes))
        cols = [store.year_index[y] for y in own_years]
        found = {k: {} for k in kinds}
        if kinds:
            panels = [store.panel(k) for k in kinds]
            counts = np.stack([p.counts for p in panels])[:, :, cols]
            base = np.stack([p.base for p in panels])[:, :, cols]
            with np.errstate(invalid="ignore", divide="ignore"):
                rates = np.where(base > 0, counts / base * PER, np.nan)  # kind × region × year
            for name, _label, members, _kind in target.groups:
                rows = store.rows([m for m in members if m != target.code])
                others = rates[:, rows, :]
                n_kinds, n_members, n_years = others.shape
                flat = others.transpose(0, 2, 1).reshape(n_kinds * n_years, n_members)
                low, med, high = (
                    q.reshape(n_kinds, n_years)
                    for q in engine.sorted_quantiles(flat, (0.25, 0.5, 0.75))
                )
                for i, k in enumerate(kinds):
                    found[k][name] = (low[i], med[i], high[i])
        self._quartiles[key] = found
        return found

    def _assemble(
        self,
        target,
        pictures,
        indeling,
        figures,
        own_years,
        provisional,
        *,
        with_wijken,
        with_indicators,
    ) -> Veiligheidsbeeld:
        frame = self._frame(target, figures, own_years, provisional, with_wijken=with_wijken)
        indicators, indicator_sources, others = (
            _indicators(target.code, target.year, indeling, self.series_themes, self.viewer)
            if with_indicators
            else ({}, {}, {})
        )
        categories = tuple(pictures[s.key] for s in target.specs if s.kind == CATEGORY)
        combined = tuple(pictures[s.key] for s in target.specs if s.kind == COMBINED)
        by_code = {c.code: c for c in categories}
        field_pictures = []
        for veld, themes, field_spec in target.fields:
            theme_pictures = []
            for thema, spec in themes:
                total = pictures[spec.key]
                if not total.has_data:
                    total = SeriesPicture(
                        total.key,
                        total.code,
                        THEME,
                        thema.titel,
                        (),
                        spec.missing,
                        spec.also,
                        note=_no_data_note(thema, spec),
                    )
                theme_pictures.append(
                    ThemePicture(
                        code=thema.code,
                        title=thema.titel,
                        veld=veld.code,
                        total=total,
                        categories=tuple(by_code[c] for c in [*spec.codes, *spec.also]),
                        indicators=tuple(indicators.get(thema.code, ())),
                        sources_without_data=tuple(thema.effectinformatie),
                        other_series=tuple(others.get(thema.code, ())),
                    )
                )
            field_pictures.append(
                FieldPicture(
                    code=veld.code,
                    title=veld.titel,
                    total=pictures[field_spec.key],
                    themes=tuple(theme_pictures),
                    aspects=tuple((a.code, a.titel) for a in veld.aanpakaspecten),
                )
            )
        return replace(
            frame,
            categories=categories,
            combined=combined,
            fields=tuple(field_pictures),
            sources={**frame.sources, **indicator_sources},
        )

    def _frame(self, target, figures, own_years, provisional, *, with_wijken) -> Veiligheidsbeeld:
        """The picture without its series: the gemeente, years, groups, notes, sources."""
        from ivp.readcache import cached

        store = self.store
        gemeente = target.code
        sources = self._sources(figures)
        missing = [c for c in _all_codes() if gemeente not in store.counts.get(c, {})]
        notes = list(target.notes)
        custom = getattr(target.context, "missing_note", None)  # an area (analysis.area)
        former = (
            cached(("former-note", gemeente), lambda: _former_note(gemeente))
            if custom is None and missing
            else ""
        )
        if missing and custom:
            notes.append(custom.format(missing=missing_phrase(missing)))
        elif missing and former:
            notes.append(former)
        elif missing:
            notes.append(
                f"Van {target.context.naam} {missing_phrase(missing)}; haal ze op met ‘ivp "
                f"data fetch --municipality {gemeente}’ of de knop ‘Cijfers ophalen’."
            )
        wijken = _wijken(gemeente, target.year, store) if with_wijken else ()
        population = store.population.get(gemeente, {})
        return Veiligheidsbeeld(
            area_code=gemeente,
            area_name=target.context.naam,
            members=(gemeente,),
            year=target.year,
            years=tuple(own_years),
            provisional_years=tuple(sorted(provisional)),
            population={str(y): population.get(y) for y in own_years},
            dwellings={str(y): v for y, v in store.dwellings.get(gemeente, {}).items()},
            categories=(),
            fields=(),
            missing_categories=tuple(missing),
            groups=tuple(
                (name, description, len([m for m in members if m != gemeente]))
                for name, description, members, _kind in target.groups
            ),
            group_members=tuple(
                (name, kind, tuple(m for m in members if m != gemeente))
                for name, _description, members, kind in target.groups
            ),
            sources=sources,
            wijken=wijken,
            notes=tuple(notes),
        )

    def _sources(self, figures) -> dict[str, dict[str, str]]:
        if self._source_map is None:
            self._source_map = {
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
        return dict(self._source_map)


# Notes of every former gemeente, read once by a batch before it forks its workers (which
# must not touch the database): code → note. ``None``: read per gemeente.
_former_notes: dict[str, str] | None = None


def _former_note_text(naam: str, opgegaan_in: str | None) -> str:
    into = f" (opgegaan in {opgegaan_in})" if opgegaan_in else ""
    return (
        f"{naam} bestaat niet meer{into}. De politie publiceert de soorten misdrijf "
        "alleen in de huidige gemeentelijke indeling; van deze voormalige gemeente is alleen "
        "het totaal van de geregistreerde misdrijven bekend, in de indeling van elk jaar "
        "zelf (CBS 83648NED)."
    )


def _all_former_notes() -> dict[str, str]:
    from ivp.areas.models import Gemeente

    return {
        code: _former_note_text(naam, into)
        for code, naam, into in Gemeente.objects.filter(actief=False).values_list(
            "code", "naam", "opgegaan_in__naam"
        )
    }


def _former_note(gemeente: str) -> str:
    """For a former gemeente: why only the total is shown (empty for a current one)."""
    if _former_notes is not None:
        return _former_notes.get(gemeente, "")
    from ivp.areas.models import Gemeente

    found = (
        Gemeente.objects.filter(code=gemeente, actief=False).select_related("opgegaan_in").first()
    )
    if found is None:
        return ""
    return _former_note_text(found.naam, found.opgegaan_in.naam if found.opgegaan_in else None)


# Targets (series of gemeenten) per engine call: the engine's temporaries grow with the
# targets times the group members (about 8 kB a target), so a batch of every category of
# every gemeente runs in blocks and its peak memory stays bounded.
BLOCK_TARGETS = 4096


def _blocks(kinds: Mapping[tuple[str, ...], list]) -> list[list[tuple[str, ...]]]:
    """The series kinds of one reference year in blocks of at most BLOCK_TARGETS targets
    (a kind with more targets is a block of its own)."""
    blocks: list[list[tuple[str, ...]]] = []
    size = 0
    for codes, targets in kinds.items():
        if not blocks or size + len(targets) > BLOCK_TARGETS:
            blocks.append([])
            size = 0
        blocks[-1].append(codes)
        size += len(targets)
    return blocks


def _lean(result: engine.KindArrays) -> engine.KindArrays:
    """``result`` without the arrays the batch's JSON never reads (the group members'
    rates, the fitted trend lines): a third of a batch's memory."""
    empty = np.zeros((len(result.targets), 0))
    return replace(
        result,
        trend=replace(result.trend, fitted=empty),
        long_trend=replace(result.long_trend, fitted=empty),
        groups=tuple(replace(g, values=empty) for g in result.groups),
    )


def missing_phrase(missing: Sequence[str]) -> str:
    """What of 47018NED is missing, verb first, counting the categories apart from the
    total: "ontbreken 46 van de 58 categorieën van 47018NED en het totaal (0.0.0)"."""
    categories = [c for c in missing if c != TOTAL]
    total = TOTAL in missing
    if not categories:
        return "ontbreekt het totaal (0.0.0) van 47018NED" if total else ""
    known = len(_known_categories())
    noun = "categorie" if len(categories) == 1 and known == 1 else "categorieën"
    verb = "ontbreekt" if len(categories) == 1 and not total else "ontbreken"
    text = f"{verb} {len(categories)} van de {known} {noun} van 47018NED"
    return text + (" en het totaal (0.0.0)" if total else "")


def _no_data_note(thema, spec: _Spec) -> str:
    sources_text = "; ".join(thema.effectinformatie) or "geen bron genoemd"
    return (
        "Geen politiecijfers in ivp voor dit thema"
        + (f" (ontbrekende categorieën: {', '.join(spec.missing)})" if spec.missing else "")
        + f". Bronnen volgens de handreiking: {sources_text}."
    )


def _column_quantiles(values: np.ndarray, qs: Sequence[float]) -> list[np.ndarray]:
    """Quantiles of each column ignoring NaN, with linear interpolation (numpy's default
    and ``statistics.quantiles(method="inclusive")``); NaN for a column without values."""
    return engine.sorted_quantiles(values.T, qs)


def _none(value: float) -> float | None:
    return None if value is None or np.isnan(value) else float(value)


def _nones(values: np.ndarray) -> list[float | None]:
    """:func:`_none` of every value of a 1-d array (as Python floats: no numpy scalar
    per value, which a warm build would otherwise make thousands of)."""
    return [None if v != v else v for v in values.tolist()]


def _category_title(code: str) -> str:
    from ivp.datasets import offences

    found = offences.soort_misdrijf().get(code)
    return found.titel if found else code


def _check_year(store: Store, gemeente: str, year: int | None) -> int:
    row = store.row(gemeente)
    own = [y for y, ok in zip(store.years.tolist(), store.own_years()[row], strict=True) if ok]
    if row == store.missing_row or not own:
        raise NoData(
            f"Geen geregistreerde misdrijven van {gemeente} in de database: laad de "
            "meegeleverde cijfers (ivp data load-bundled) of haal ze op (ivp data fetch)."
        )
    chosen = year if year is not None else own[-1]
    if chosen not in own:
        raise NoData(f"Geen cijfers van {gemeente} voor {chosen}; beschikbaar: {own[0]}–{own[-1]}.")
    return chosen


def build(
    gemeente: str,
    year: int | None = None,
    *,
    indeling=None,
    with_wijken: bool = True,
    with_indicators: bool = True,
    vergelijking: Vergelijking | None = None,
    sums: Sequence[Sequence[str]] = (),
    series_themes: Mapping[str, str] | None = None,
    viewer=None,
) -> Veiligheidsbeeld:
    """The veiligheidsbeeld of ``gemeente`` (CBS code) for reference ``year`` (default: the
    latest year with figures). ``indeling``: a plan's mapping (default: the shipped one);
    ``vergelijking``: the plan's choice of comparison group (default: the standard group);
    ``sums``: combined series to compute too (each a tuple of category codes, see
    :func:`parse_combined`); ``series_themes``: a plan's own themes of other series
    (series key → theme, '' for none; ``datasets.own_series.plan_choices``); ``viewer``: the
    user who reads it — the gemeente's own series only if that user may see them
    (``datasets.access``; None: the command line, or a caller that checked)."""
    from ivp import readcache

    # the reads of the store come from the in-process cache while the data version is the
    # same (ADR 0029); the engine and the pictures are computed every time
    with readcache.reading():
        return _build(
            gemeente,
            year,
            indeling=indeling,
            with_wijken=with_wijken,
            with_indicators=with_indicators,
            vergelijking=vergelijking,
            sums=sums,
            series_themes=series_themes,
            viewer=viewer,
        )


def _store_of(figures) -> Store:
    return Store(figures, _national_population(by_year(figures.population.get("NL01"))))


def _build(
    gemeente: str,
    year: int | None,
    *,
    indeling,
    with_wijken: bool,
    with_indicators: bool,
    vergelijking: Vergelijking | None,
    sums: Sequence[Sequence[str]],
    series_themes: Mapping[str, str] | None,
    viewer,
) -> Veiligheidsbeeld:
    from ivp.areas import services as area_services
    from ivp.readcache import cached

    context = cached(("context", gemeente), lambda: area_services.gemeente_context(gemeente))
    if context is None:
        raise UnknownArea(gemeente)
    choice = vergelijking or Vergelijking()
    indeling = indeling or _default_mapping()
    wanted_year = (
        year
        if year is not None
        else cached(("latest-year", gemeente), lambda: _latest_own_year(gemeente))
    )
    if wanted_year is None:
        raise NoData(
            f"Geen geregistreerde misdrijven van {gemeente} in de database: laad de "
            "meegeleverde cijfers (ivp data load-bundled) of haal ze op (ivp data fetch)."
        )
    current = cached(("current",), lambda: tuple(area_services.current_gemeenten()))
    population = cached(("populations", wanted_year), lambda: _populations(current, wanted_year))
    population_year = _population_in(population, current, wanted_year)
    neighbours = comparison.neighbours_all(population_year, only=[gemeente]).get(gemeente)
    eenheid = {}
    if context.politie_eenheid:
        unit = context.politie_eenheid[0]
        eenheid[unit] = cached(
            ("eenheid", unit), lambda: tuple(area_services.gemeenten_of_eenheid(unit))
        )
    groups, pool, notes = _groups_for(
        gemeente, context, wanted_year, population_year, neighbours, eenheid, choice
    )
    regions = tuple(sorted({m for _n, _d, members, _k in groups for m in members} | set(pool)))
    # the figures and their matrices, shared by later builds: read, never changed (the
    # joint analysis, which adds a region, reads its own: ``analysis.area``)
    store = cached(
        ("store", gemeente, regions),
        lambda: _store_of(_read_figures(gemeente, regions)),
        large=True,
    )
    figures = store.f
    target = _Target(gemeente, context, _check_year(store, gemeente, year), groups, pool, notes)
    _plan_series(target, store, indeling, sums)
    run = _Run(store, [target], with_lines=True)
    run.series_themes = series_themes
    run.viewer = viewer
    run.compute()
    return run.picture(
        target, indeling, figures, with_wijken=with_wijken, with_indicators=with_indicators
    )


def _prepare_batch(
    year, indeling, codes, vergelijking, *, json_columns: bool = False, compute: bool = True
):
    """Load the store once, plan every gemeente's series and (``compute``) run the engine:
    the shared part of :func:`build_all` and :func:`encoded_batch`."""
    from ivp.areas import services as area_services

    contexts = area_services.gemeente_contexts(codes)
    wanted = list(codes) if codes is not None else sorted(contexts)
    if not wanted:
        return None
    indeling = indeling or _default_mapping()
    choice = vergelijking or Vergelijking()
    figures = _read_figures(wanted[0], all_regions=True)
    store = Store(figures, _national_population(by_year(figures.population.get("NL01"))))
    current = area_services.current_gemeenten()
    eenheden = area_services.eenheid_members()
    targets: dict[str, _Target | NoData] = {}
    by_year_targets: dict[int, list[str]] = {}
    for code in wanted:
        if code not in contexts:
            targets[code] = NoData(f"Onbekende gemeente {code}")
            continue
        try:
            chosen = _check_year(store, code, year)
        except NoData as error:
            targets[code] = error
            continue
        by_year_targets.setdefault(chosen, []).append(code)
    for chosen, codes_in_year in by_year_targets.items():
        population_year = _population_in(store.population, current, chosen)
        neighbours = comparison.neighbours_all(population_year, only=codes_in_year)
        for code in codes_in_year:
            context = contexts[code]
            groups, pool, notes = _groups_for(
                code, context, chosen, population_year, neighbours.get(code), eenheden, choice
            )
            target = _Target(code, context, chosen, groups, pool, notes)
            _plan_series(target, store, indeling)
            targets[code] = target
    run = _Run(store, [t for t in targets.values() if isinstance(t, _Target)], with_lines=False)
    run.json_columns = json_columns
    if compute:
        run.compute()
    return wanted, targets, run, indeling, figures


def build_all(
    year: int | None = None,
    *,
    indeling=None,
    codes: Iterable[str] | None = None,
    vergelijking: Vergelijking | None = None,
    as_json: bool = False,
) -> Iterator[tuple[str, Veiligheidsbeeld | dict | NoData]]:
    """The veiligheidsbeeld of every current gemeente (or of ``codes``) from one load of
    the store, in one vectorised run per reference year (docs/analysis.md, "Speed");
    yields (code, picture) or (code, NoData) in the order of ``codes`` (default: by code);
    ``as_json``: (code, ``to_json(picture)``) written straight from the arrays (faster)."""
    prepared = _prepare_batch(year, indeling, codes, vergelijking, json_columns=as_json)
    if prepared is None:
        return
    wanted, targets, run, indeling, figures = prepared
    if as_json:
        run = run.restricted(wanted)
    for code in wanted:
        target = targets[code]
        if isinstance(target, NoData):
            yield code, target
        elif as_json:
            yield code, run.json_of(target, indeling, figures)
        else:
            yield (
                code,
                run.picture(target, indeling, figures, with_wijken=False, with_indicators=False),
            )


CHUNK_GEMEENTEN = 16


def _encode(run: _Run, targets, indeling, figures, codes) -> list[tuple[str, bytes | NoData]]:
    """Compact JSON (UTF-8) of the gemeenten in ``codes`` from ``run`` (restricted to them).
    orjson writes the same JSON as the standard library a little under three times as fast
    (a fifth of a batch was the encoding of its 100+ MB); it writes no NaN, and none
    reaches it: every missing figure is None by then."""
    import orjson

    cached: tuple[object, bytes] | None = None
    result = []
    for code in codes:
        target = targets[code]
        if isinstance(target, NoData):
            result.append((code, target))
            continue
        data = run.json_of(target, indeling, figures)
        sources = data.pop("sources")  # the same list for every gemeente: encoded once
        if cached is None or cached[0] != sources:
            cached = (sources, orjson.dumps(sources))
        result.append((code, orjson.dumps(data)[:-1] + b',"sources":' + cached[1] + b"}"))
    return result


def _worker(connection, chunks: list[list[str]], run: _Run, targets, indeling, figures) -> None:
    """A forked worker of :func:`encoded_batch`: the engine for its own gemeenten, then
    their JSON, one chunk per message (an error is sent as its text)."""
    import traceback

    try:
        codes = [c for chunk in chunks for c in chunk]
        own = _Run(
            run.store, [t for c in codes if isinstance(t := targets[c], _Target)], with_lines=False
        )
        own.json_columns = True
        own.compute()
        for chunk in chunks:  # as lists one chunk at a time: a fraction of the memory
            connection.send(_encode(own.restricted(chunk), targets, indeling, figures, chunk))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        connection.send(traceback.format_exc())
    finally:
        connection.close()
        from django.db import connections

        connections.close_all()  # the database session ends with the worker, not after it


def encoded_batch(
    year: int | None = None,
    *,
    indeling=None,
    codes: Iterable[str] | None = None,
    vergelijking: Vergelijking | None = None,
    workers: int | None = None,
) -> Iterator[tuple[str, bytes | NoData]]:
    """``to_json`` of every gemeente as compact JSON (UTF-8), in the order of ``codes``. The
    store is read and the series planned once, here; then forked workers (default: one per
    core) each run the engine for their share of the gemeenten and write their JSON, in
    chunks of CHUNK_GEMEENTEN taken in turn, so that the engine and the writing are spread
    over the cores and one chunk at a time is in transit."""
    import os

    workers = workers if workers is not None else (os.cpu_count() or 1)
    parallel = workers > 1
    prepared = _prepare_batch(year, indeling, codes, vergelijking, json_columns=True, compute=False)
    if prepared is None:
        return
    wanted, targets, run, indeling, figures = prepared
    global _former_notes
    _former_notes = _all_former_notes()  # one query, before any worker forks
    try:
        yield from _encoded_parts(wanted, targets, run, indeling, figures, parallel, workers)
    finally:
        _former_notes = None


def _encoded_parts(wanted, targets, run, indeling, figures, parallel: bool, workers: int):
    if not parallel or len(wanted) < 50:
        run.compute()
        yield from _encode(run.restricted(wanted), targets, indeling, figures, wanted)
        return
    import multiprocessing

    from django.db import connections

    connections.close_all()  # the workers must not share this process's connections
    chunks = [wanted[i : i + CHUNK_GEMEENTEN] for i in range(0, len(wanted), CHUNK_GEMEENTEN)]
    context = multiprocessing.get_context("fork")
    pipes, processes = [], []
    for w in range(workers):
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(
            target=_worker,
            args=(sending, chunks[w::workers], run, targets, indeling, figures),
            daemon=True,
        )
        process.start()
        sending.close()
        pipes.append(receiving)
        processes.append(process)
    try:
        for j in range(len(chunks)):
            part = pipes[j % workers].recv()
            if isinstance(part, str):
                raise RuntimeError(f"analyse: a worker failed:\n{part}")
            yield from part
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()


@cache
def _known_categories() -> frozenset[str]:
    from ivp.datasets import offences

    return frozenset(c for c in offences.soort_misdrijf() if c != TOTAL)


@cache
def _all_codes() -> tuple[str, ...]:
    from ivp.datasets import offences

    return tuple(offences.soort_misdrijf())


def _wijken(gemeente: str, year: int, store: Store) -> tuple[WijkFigures, ...]:
    """Counts per wijk and category, where the store has wijk figures (after a fetch)."""
    from ivp.readcache import cached

    rows, names = cached(
        ("wijken", gemeente, store.f.table), lambda: _wijk_rows(gemeente, store), large=True
    )
    per: dict[str, dict[str, dict[str, float | None]]] = {}
    for region, code, found, value in rows:
        if found <= year:
            per.setdefault(region, {}).setdefault(code, {})[str(found)] = value
    return tuple(WijkFigures(code, names.get(code, code), per[code]) for code in sorted(per))


def _wijk_rows(gemeente: str, store: Store) -> tuple[tuple[tuple, ...], dict[str, str]]:
    """The stored wijk figures of a gemeente, (wijk, category, year, count), and the wijken'
    names."""
    from ivp.areas.models import Wijk
    from ivp.areas.services import region_names
    from ivp.datasets.models import Observation, Series

    # by the gemeente's wijk codes (an indexed lookup), not a prefix scan of the store
    codes = list(Wijk.objects.filter(gemeente__code=gemeente).values_list("code", flat=True))
    codes = codes or [c for c in store.region_index if c.startswith(f"WK{gemeente[2:]}")]
    if not codes:
        return (), {}
    crime = {
        s.pk: s.soort_misdrijf
        for s in Series.objects.filter(dataset__key=store.f.table).only("pk", "soort_misdrijf")
    }
    rows = tuple(
        (region, crime[sid], found, value)
        for sid, region, period, value in Observation.objects.filter(
            series_id__in=list(crime), region__in=codes, period__endswith="JJ00"
        ).values_list("series_id", "region", "period", "value")
        if (found := _year(period)) is not None
    )
    return rows, region_names({row[0] for row in rows})


def _indicators(
    gemeente: str,
    year: int,
    indeling,
    series_themes: Mapping[str, str] | None = None,
    viewer=None,
) -> tuple[
    dict[str, list[SeriesPicture]], dict[str, dict[str, str]], dict[str, list[OtherPicture]]
]:
    """Survey and own figures of the gemeente (``datasets.own_series``: official non-police
    series and the gemeente's own, never another gemeente's), placed at their themes:
    as series pictures (a margin as its own ``…|marge`` picture, as the pages and the
    report read them), as :class:`OtherPicture` (``other_series``), and their sources."""
    from ivp.analysis.catalogue_index import default_mapping
    from ivp.datasets import own_series

    found = own_series.other_series(
        gemeente,
        # the shipped mapping from its cached index: parsing its YAML would cost a cold start
        indeling=indeling or default_mapping(),
        until_year=year,
        choices=series_themes or {},
        user=viewer,
    )
    result: dict[str, list[SeriesPicture]] = {}
    others: dict[str, list[OtherPicture]] = {}
    sources: dict[str, dict[str, str]] = {}
    for s in found:
        theme = s.theme.theme
        if not theme or not s.has_data:
            continue
        values = {str(y): v for y, v in s.values.items()}
        lowered = s.indicator.lower()
        higher_is_worse = not any(
            w in lowered for w in ("rapportcijfer", "tevreden", "veilig", "cohesie")
        ) or any(w in lowered for w in ("onveilig", "overlast"))
        ev = evidence(
            s.code,
            s.indicator,
            values,
            max(s.values),
            is_count=s.is_count,
            higher_is_worse=higher_is_worse,
        )
        picture = SeriesPicture(
            key=f"indicator:{s.key}",
            code=s.code,
            kind=INDICATOR,
            title=s.indicator,
            categories=(),
            counts=values,
            unit=s.unit,
            evidence=ev,
            candidate=replace(assess(ev), proposed=False),  # not part of the proposals
            sources=(s.key,),
        )
        result.setdefault(theme, []).append(picture)
        if s.margins:
            result[theme].append(
                SeriesPicture(
                    key=f"indicator:{s.key}|marge",
                    code=f"{s.code}|marge",
                    kind=INDICATOR,
                    title=f"{s.indicator} — 95%-marge",
                    categories=(),
                    counts={str(y): v for y, v in s.margins.items()},
                    unit=s.unit,
                    sources=(s.key,),
                )
            )
        others.setdefault(theme, []).append(
            OtherPicture(
                key=s.key,
                indicator=s.indicator,
                source=s.source,
                unit=s.unit,
                own=s.own,
                values=values,
                margins={str(y): v for y, v in s.margins.items()} if s.margins else None,
                theme_rule=s.theme.rule,
                theme_why=s.theme.why,
                change=latest_change(s.values, s.margins) if s.margins or not s.is_count else None,
                evidence=ev if s.is_count else None,
            )
        )
        sources[s.key] = {
            "dataset": s.dataset,
            "table": "",
            "title": s.source,
            "series": s.indicator,
            "attribution": s.source,
            "retrieved": s.retrieved,
            "origin": "eigen" if s.own else "officieel",
            "import_run": str(s.import_run or ""),
        }
    return result, sources, others


# -- plain values for JSON ------------------------------------------------------------


def _r(value: float | None, digits: int = 3) -> float | None:
    """As ``batch_json._r``: Python's round, None for a missing value."""
    return None if value is None or value != value else round(float(value), digits)


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
        "missing_boundary": list(g.missing_boundary),
        "funnel": {
            "limit_low": _r(g.limit_low),
            "limit_high": _r(g.limit_high),
            "z": _r(g.z, 3),
            "p_value": _r(g.p_value, 5),
            "between_variance": _r(g.tau2, 5),
            "verdict": g.spread_verdict,
        }
        if g.has_funnel
        else None,
    }


def _head_json(
    code: str,
    title: str,
    kind: str,
    counts: Mapping[str, float | None],
    rates: Mapping[str, float | None],
    categories: Sequence[str],
    missing: Sequence[str],
    also: Sequence[str],
    dwellings: Mapping[str, float | None],
    notes: Sequence[str],
    unit: str = "aantal",
) -> dict:
    data: dict = {
        "code": code,
        "title": title,
        "counts": {y: _int_or_float(v) for y, v in counts.items()},
        "rate_per_1000": {y: _r(v) for y, v in rates.items()},
    }
    if kind != CATEGORY:
        data["categories"] = list(categories)
        if missing:
            data["missing_categories"] = list(missing)
        if also:
            data["also_shown"] = list(also)
    if dwellings:
        data["rate_per_1000_dwellings"] = {y: _r(v) for y, v in dwellings.items()}
    if notes:
        data["rate_notes"] = list(notes)
    if unit != "aantal":
        data["unit"] = unit
    return data


def series_json(s: SeriesPicture) -> dict:
    data = _head_json(
        s.code,
        s.title,
        s.kind,
        s.counts,
        s.rates,
        s.categories,
        s.missing_categories,
        s.also_shown,
        s.rates_dwellings,
        s.rate_notes,
        s.unit,
    )
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
        c = s.candidate
        data["dispersion"] = {
            "phi": _r(ev.dispersion, 3),
            "df": _r(ev.dispersion_df, 1),
            "own": _r(ev.dispersion_own, 3),
            "pooled": _r(ev.dispersion_pool, 3),
        }
        from ivp.analysis.batch_json import candidate_json

        data["candidate"] = candidate_json(c, s.proposed)
        data["provisional"] = ev.provisional
    if s.note:
        data["note"] = s.note
    data["sources"] = list(s.sources)
    if s.source_per_year:
        data["source_per_year"] = dict(s.source_per_year)
    return data


def other_series_json(o: OtherPicture) -> dict:
    """One entry of a theme's ``other_series`` (docs/analysis.md)."""
    data: dict = {
        "key": o.key,
        "link": o.link,
        "indicator": o.indicator,
        "source": o.source,
        "unit": o.unit,
        "own": o.own,
        "values": {y: _int_or_float(v) for y, v in o.values.items()},
        "margins": {y: _int_or_float(v) for y, v in o.margins.items()} if o.margins else None,
        "theme_rule": o.theme_rule,
        "theme_why": o.theme_why,
    }
    c = o.change
    data["change"] = (
        {
            "year": str(c.year),
            "earlier_year": str(c.earlier_year),
            "difference": _r(c.difference, 3),
            "combined_margin": _r(c.margin, 3),
            "significant": c.significant,
            "verdict": c.verdict,
        }
        if c is not None
        else None
    )
    if o.evidence is not None:
        data["change_prev_year"] = _comparison_change_json(o.evidence.change.vs_previous)
        data["trend"] = _trend_json(o.evidence.trend)
    return data


def _group_members(picture: Veiligheidsbeeld, name: str) -> dict:
    found = next((g for g in picture.group_members if g[0] == name), None)
    return {"kind": found[1], "codes": list(found[2])} if found else {}


def to_json(picture: Veiligheidsbeeld) -> dict:
    """The stable JSON contract of ``ivp analyse --json`` (docs/analysis.md)."""
    document = _json_document(picture)
    if picture.combined:
        document["combined_series"] = [series_json(c) for c in picture.combined]
    return document


def _json_document(picture: Veiligheidsbeeld) -> dict:
    return _document(
        picture,
        [series_json(c) for c in picture.categories],
        [
            {
                **series_json(t.total),
                "field": t.veld,
                "shown_categories": [c.code for c in t.categories],
                "indicators": [series_json(i) for i in t.indicators],
                "other_series": [other_series_json(o) for o in t.other_series],
                "effect_information_sources": list(t.sources_without_data),
            }
            for t in picture.themes
        ],
        [
            {
                **series_json(f.total),
                "themes": [t.code for t in f.themes],
                "aspects": [{"code": c, "title": t} for c, t in f.aspects],
            }
            for f in picture.fields
        ],
    )


def _document(picture, categories: list, themes: list, fields: list) -> dict:
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
            {"name": n, "description": d, "members": m, **_group_members(picture, n)}
            for n, d, m in picture.groups
        ],
        "categories": categories,
        "themes": themes,
        "fields": fields,
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
