"""Read figures as plain values for ``analysis``, the pages and the API.

Every function returns plain Python (dicts, tuples, dataclasses) that carries where each
figure came from: dataset, table, series, import run and retrieval date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from ivp.areas import services as area_services
from ivp.areas.models import Gemeente
from ivp.datasets import offences
from ivp.datasets.models import ImportRun, Observation, Series
from ivp.datasets.periods import year_code
from ivp.datasets.rates import NOEMER_LABELS, Rate, default_noemer, rate

CRIME_TABLE = "47018NED"
NATIONAL_TABLE = "47025NED"
FIRST_YEAR = 2012  # first year of 47018NED
POPULATION = (
    ("70072NED", "inwoners"),
    ("85984NED", "inwoners"),
    ("37230NED", "bevolking-31-december"),
)
DWELLINGS = (("70072NED", "woningen"),)
TOTAL = offences.TOTAAL
# The total of registered crime (0.0.0) per gemeente comes from the crime table itself where
# it has the figure (after a fetch), else from these bundled sources, in this order; they stay
# separate series, merged only here, per period, with the source of every period kept.
TOTAL_SOURCES = (("47013NED", TOTAL), ("83648NED", TOTAL))
# Sources whose counts are in the municipal division of each year itself (47018NED and
# 47013NED count every year in the newest division).
OWN_DIVISION_SOURCES = frozenset({"83648NED"})
# The merged total starts where the categories start (47018NED: 2012), so that every series
# of a veiligheidsbeeld shares one year axis; 83648NED's 2010 and 2011 stay in the store.
TOTAL_FROM = FIRST_YEAR


@dataclass(frozen=True)
class Source:
    """Where a figure comes from."""

    dataset: str
    table_id: str
    title: str
    attribution: str
    series: str
    series_name: str
    import_run: int
    origin: str
    retrieved_at: str
    retrieved_note: str
    filename: str


@dataclass
class Figures:
    """Counts per offence category and region and period, with bases and provenance."""

    gemeente: str
    regions: dict[str, str]  # code → name (the gemeente, its group, eenheid, NL)
    # "vergelijkingsgroep:<code>", "politie-eenheid:<code>" → member codes
    groups: dict[str, list[str]]
    counts: dict[str, dict[str, dict[str, float | None]]]  # code → region → period → value
    status: dict[str, str]  # period → status of the gemeente's figures
    population: dict[str, dict[str, float]]  # region → period → inhabitants
    dwellings: dict[str, dict[str, float]]
    sources: dict[str, Source]  # series key "dataset|code" → source
    missing: list[str] = field(default_factory=list)  # soort misdrijf codes without any figure
    table: str = CRIME_TABLE
    national: dict[str, dict[str, float | None]] = field(default_factory=dict)  # 47025NED
    # Year of the last boundary change of a gemeente (CBS): 47018NED counts all years in
    # the 2024 division, population is per year's own division, so earlier rates are off.
    boundary_change: dict[str, int] = field(default_factory=dict)
    # Where a merged series (the total 0.0.0) has each value: code → region → period →
    # source key ("47013NED|0.0.0", "83648NED|0.0.0", or the table's own "47018NED|0.0.0").
    period_sources: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    def count(self, code: str, region: str, year: int) -> float | None:
        return self.counts.get(code, {}).get(region, {}).get(year_code(year))

    def source_of(self, code: str, region: str, year: int) -> str:
        """The source key of one value: the merged source, else the table's series."""
        found = self.period_sources.get(code, {}).get(region, {}).get(year_code(year))
        return found or f"{self.table}|{code}"

    def own_division(self, code: str, region: str, year: int) -> bool:
        """True when the count is in the division of that year itself (83648NED), so that
        a rate on that year's inhabitants is right even before a boundary change."""
        return self.source_of(code, region, year).split("|")[0] in OWN_DIVISION_SOURCES

    def rate(self, code: str, region: str, year: int) -> Rate:
        period = year_code(year)
        changed = self.boundary_change.get(region)
        if (
            changed
            and year < changed
            and self.table == CRIME_TABLE
            and not self.own_division(code, region, year)
        ):
            return Rate(
                None,
                self.count(code, region, year),
                default_noemer(code),
                None,
                NOEMER_LABELS[default_noemer(code)],
                f"grens gewijzigd in {changed}: het inwonertal van {year} hoort bij een ander "
                "gebied dan de misdrijfcijfers (indeling 2024)",
            )
        return rate(
            self.count(code, region, year),
            inwoners=self.population.get(region, {}).get(period),
            woningen=self.dwellings.get(region, {}).get(period),
            soort_misdrijf=code,
        )


def _series(table: str, codes: Iterable[str] | None = None) -> list[Series]:
    queryset = Series.objects.filter(dataset__key=table).select_related("dataset")
    if codes is not None:
        queryset = queryset.filter(code__in=list(codes))
    return list(queryset)


def _source(series: Series, run: ImportRun) -> Source:
    return Source(
        dataset=series.dataset.key,
        table_id=series.dataset.table_id,
        title=series.dataset.title,
        attribution=series.dataset.attribution,
        series=series.code,
        series_name=series.name,
        import_run=run.pk,
        origin=run.origin,
        retrieved_at=run.retrieved_at.date().isoformat() if run.retrieved_at else "",
        retrieved_note=run.retrieved_note,
        filename=run.filename,
    )


def values(
    series: Iterable[Series], regions: Iterable[str], periods: Iterable[str] | None = None
) -> dict[int, dict[str, dict[str, tuple[float | None, str, int]]]]:
    """series pk → region → period → (value, status, import run)."""
    series_ids = [s.pk for s in series]
    region_list = sorted(set(regions))
    queryset = Observation.objects.filter(series_id__in=series_ids, region__in=region_list)
    if periods is not None:
        queryset = queryset.filter(period__in=list(periods))
    result: dict[int, dict[str, dict[str, tuple]]] = defaultdict(lambda: defaultdict(dict))
    for sid, region, period, value, status, run in queryset.values_list(
        "series_id", "region", "period", "value", "status", "import_run_id"
    ):
        result[sid][region][period] = (value, status, run)
    return result


def base_values(
    choices: tuple[tuple[str, str], ...], regions: Iterable[str]
) -> tuple[dict[str, dict[str, float]], dict[str, Source]]:
    """Inhabitants or dwellings per region and period, taking the first source in
    ``choices`` that has a value."""
    regions = list(regions)
    found: dict[str, dict[str, float]] = defaultdict(dict)
    sources: dict[str, Source] = {}
    for table, code in choices:
        series = (
            Series.objects.filter(dataset__key=table, code=code).select_related("dataset").first()
        )
        if series is None:
            continue
        used_run = None
        for region, per_period in values([series], regions).get(series.pk, {}).items():
            for period, (value, _status, run) in per_period.items():
                if value is not None and period not in found[region]:
                    found[region][period] = value
                    used_run = used_run or run
        if used_run:
            sources[f"{table}|{code}"] = _source(series, ImportRun.objects.get(pk=used_run))
    return {k: v for k, v in found.items() if v}, sources


def comparison_groups(context: area_services.GemeenteContext) -> dict[str, list[str]]:
    """The comparison groups of a gemeente: ``"vergelijkingsgroep:<code>"`` (its CBS size
    class) and ``"politie-eenheid:<code>"`` → member codes (the gemeente included)."""
    groups: dict[str, list[str]] = {}
    for group_code, _name, members in context.vergelijkingsgroepen:
        groups[f"vergelijkingsgroep:{group_code}"] = list(members)
    if context.politie_eenheid:
        members = area_services.gemeenten_of_eenheid(context.politie_eenheid[0])
        groups[f"politie-eenheid:{context.politie_eenheid[0]}"] = members
    return groups


def figures(
    gemeente: str,
    *,
    with_comparison: bool = True,
    table: str = CRIME_TABLE,
    years: Iterable[int] | None = None,
    all_regions: bool = False,
    regions: Iterable[str] | None = None,
) -> Figures:
    """All offence categories and years of one gemeente, with its size-class group, its
    politie-eenheid's gemeenten and the Netherlands (where present), with population,
    dwellings and the source of every series. ``all_regions``: also every current
    gemeente (for a batch over all of them, which then reuses this one load);
    ``regions``: these regions (and the Netherlands) instead of the default groups."""
    context = area_services.gemeente_context(gemeente) if regions is None else None
    wanted = list(regions) if regions is not None else []
    regions = [gemeente, *wanted] + (["NL01"] if wanted else [])
    groups: dict[str, list[str]] = {}
    if with_comparison and context:
        groups = comparison_groups(context)
        regions += [m for members in groups.values() for m in members]
        regions.append("NL01")
    if all_regions:
        regions += list(Gemeente.objects.filter(actief=True).values_list("code", flat=True))
        regions.append("NL01")
    regions = sorted(set(regions))
    periods = [year_code(y) for y in years] if years else None
    series = _series(table)
    stored = values(series, regions, periods)
    counts: dict[str, dict[str, dict[str, float | None]]] = {}
    status: dict[str, str] = {}
    run_ids: set[int] = set()
    by_pk = {s.pk: s for s in series}
    for sid, per_region in stored.items():
        code = by_pk[sid].soort_misdrijf or by_pk[sid].code
        counts[code] = {
            region: {period: v for period, (v, _s, _r) in per_period.items()}
            for region, per_period in per_region.items()
        }
        for period, (_v, st, _run) in per_region.get(gemeente, {}).items():
            status[period] = st
    # The run that wrote a series' value for the gemeente (else for any region) is its source.
    first_run = {
        sid: next(iter((per_region.get(gemeente) or next(iter(per_region.values()))).values()))[2]
        for sid, per_region in stored.items()
    }
    run_ids.update(first_run.values())
    runs = {r.pk: r for r in ImportRun.objects.filter(pk__in=run_ids)}
    sources: dict[str, Source] = {
        f"{table}|{by_pk[sid].code}": _source(by_pk[sid], runs[run_id])
        for sid, run_id in first_run.items()
    }
    period_sources: dict[str, dict[str, dict[str, str]]] = {}
    if table == CRIME_TABLE:
        _merge_total(gemeente, regions, periods, counts, status, sources, period_sources)
    population, pop_sources = base_values(POPULATION, regions)
    dwellings, dwell_sources = base_values(DWELLINGS, regions)
    names = area_services.region_names(regions)
    missing = [code for code in offences.soort_misdrijf() if gemeente not in counts.get(code, {})]
    national: dict[str, dict[str, float | None]] = {}
    if with_comparison:
        nl_series = _series(NATIONAL_TABLE)
        nl_values = values(nl_series, ["NL01"], periods)
        for s in nl_series:
            per_period = nl_values.get(s.pk, {}).get("NL01", {})
            if per_period:
                national[s.soort_misdrijf or s.code] = {
                    p: v for p, (v, _st, _r) in per_period.items()
                }
                run_ids.add(next(iter(per_period.values()))[2])
        runs = {r.pk: r for r in ImportRun.objects.filter(pk__in=run_ids)}
        for s in nl_series:
            per_period = nl_values.get(s.pk, {}).get("NL01", {})
            if per_period:
                run_id = next(iter(per_period.values()))[2]
                sources[f"{NATIONAL_TABLE}|{s.code}"] = _source(s, runs[run_id])
    changes = {
        code: year
        for code, year in (
            (g.code, g.laatste_grenswijziging())
            for g in Gemeente.objects.filter(code__in=regions, actief=True)
        )
        if year and year > FIRST_YEAR
    }
    return Figures(
        period_sources=period_sources,
        boundary_change=changes,
        table=table,
        national=national,
        gemeente=gemeente,
        regions=names,
        groups=groups,
        counts=counts,
        status=status,
        population=population,
        dwellings=dwellings,
        sources={**sources, **pop_sources, **dwell_sources},
        missing=missing,
    )


def _merge_total(
    gemeente: str,
    regions: list[str],
    periods: list[str] | None,
    counts: dict[str, dict[str, dict[str, float | None]]],
    status: dict[str, str],
    sources: dict[str, Source],
    period_sources: dict[str, dict[str, dict[str, str]]],
) -> None:
    """Complete the total 0.0.0 from :data:`TOTAL_SOURCES` for the periods the crime table
    lacks, recording the source of every period (no silent splice: the series stay apart
    in the store and the break between sources is visible per period)."""
    own = counts.get(TOTAL, {})
    merged: dict[str, dict[str, float | None]] = {r: dict(pp) for r, pp in own.items()}
    where: dict[str, dict[str, str]] = {
        region: dict.fromkeys(per_period, f"{CRIME_TABLE}|{TOTAL}")
        for region, per_period in own.items()
    }
    for dataset_key, code in TOTAL_SOURCES:
        found = _series(dataset_key, [code])
        if not found:
            continue
        series = found[0]
        stored = values([series], regions, periods).get(series.pk, {})
        own_run = any_run = None
        for region, per_period in stored.items():
            for period, (value, st, run) in per_period.items():
                if period in merged.get(region, {}) or int(period[:4]) < TOTAL_FROM:
                    continue
                merged.setdefault(region, {})[period] = value
                where.setdefault(region, {})[period] = f"{dataset_key}|{code}"
                any_run = any_run or run
                if region == gemeente:
                    status.setdefault(period, st)
                    own_run = own_run or run
        run_id = own_run or any_run
        if run_id:
            run = ImportRun.objects.get(pk=run_id)
            sources[f"{dataset_key}|{code}"] = _source(series, run)
    if merged:
        counts[TOTAL] = merged
        period_sources[TOTAL] = where


def latest_population_year() -> tuple[int | None, dict[str, float]]:
    """The latest year in which the inhabitants of at least 95 % of the current gemeenten
    are known, with those values."""
    series = Series.objects.filter(dataset__key="70072NED", code="inwoners").first()
    if series is None:
        return None, {}
    current = set(Gemeente.objects.filter(actief=True).values_list("code", flat=True))
    per_year: dict[str, dict[str, float]] = defaultdict(dict)
    final: dict[str, int] = defaultdict(int)
    for region, period, value, status in Observation.objects.filter(
        series=series, period__endswith="JJ00", value__isnull=False
    ).values_list("region", "period", "value", "status"):
        if region in current:
            per_year[period][region] = value
            final[period] += status == Observation.Status.DEFINITIEF
    complete = [
        p for p in sorted(per_year, reverse=True) if len(per_year[p]) >= 0.95 * len(current)
    ]
    # Prefer the latest year whose figures are final; else the latest complete one.
    for period in [p for p in complete if final[p] >= 0.95 * len(current)] + complete:
        return int(period[:4]), per_year[period]
    return None, {}


def provenance(observation: Observation) -> Source:
    return _source(observation.series, observation.import_run)


def availability(gemeente: str) -> dict[str, object]:
    """What the data hold for a gemeente and what is missing (and can be fetched)."""
    crime = Series.objects.filter(dataset__key=CRIME_TABLE)
    with_data = set(
        Observation.objects.filter(series__in=crime, region=gemeente)
        .values_list("series__soort_misdrijf", flat=True)
        .distinct()
    )
    total_years = total_source_years(gemeente)
    if total_years:
        with_data.add(TOTAL)
    wijken = Observation.objects.filter(
        series__in=crime, region__startswith=f"WK{gemeente[2:]}"
    ).exists()
    dwellings = Observation.objects.filter(
        Q(series__kind=Series.Kind.DWELLINGS), region=gemeente
    ).exists()
    missing = [c for c in offences.soort_misdrijf() if c not in with_data]
    return {
        "categorieen": sorted(with_data),
        "ontbrekend": missing,
        "totaal_aanwezig": "0.0.0" in with_data,
        "totaal_bronnen": total_years,
        "wijken_aanwezig": wijken,
        "woningen_aanwezig": dwellings,
    }


def total_source_years(gemeente: str) -> list[dict[str, object]]:
    """Which source holds the total 0.0.0 of a gemeente for which years (from
    :data:`TOTAL_FROM`), in the order the figures use them (the crime table, then
    :data:`TOTAL_SOURCES`): the break in the series made visible. Each: table, title,
    first and last year, the years, and whether the counts are in the division of each
    year."""
    found = []
    taken: set[str] = set()
    for dataset_key, code in ((CRIME_TABLE, TOTAL), *TOTAL_SOURCES):
        series = _series(dataset_key, [code])
        if not series:
            continue
        periods = sorted(
            p
            for p in Observation.objects.filter(
                series=series[0], region=gemeente, value__isnull=False, period__endswith="JJ00"
            ).values_list("period", flat=True)
            if p not in taken and int(p[:4]) >= TOTAL_FROM
        )
        if not periods:
            continue
        taken.update(periods)
        years = [int(p[:4]) for p in periods]
        found.append(
            {
                "tabel": series[0].dataset.table_id or dataset_key,
                "titel": series[0].dataset.title,
                "van": years[0],
                "tot": years[-1],
                "jaren": years,
                "eigen_indeling": dataset_key in OWN_DIVISION_SOURCES,
            }
        )
    return sorted(found, key=lambda f: f["van"])
