"""The stored figures of one load as region × year matrices, for the engine. Plain numpy.

One :class:`Store` serves one gemeente (its comparison groups are rows too) or a whole batch:
the matrices of a set of categories are summed once and shared by every gemeente that
needs them. NaN is a withheld or absent figure; ``present`` tells them apart (a withheld
figure is shown as "–", an absent year not at all).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ivp.analysis.engine import Panel
from ivp.datasets.rates import PER


def year_of_period(period: str) -> int | None:
    if len(period) == 8 and period.endswith("JJ00") and period[:4].isdecimal():
        return int(period[:4])
    return None


_YEARS: dict[str, int | None] = {}  # period → year: a store holds a few dozen periods


def by_year(per_period: Mapping[str, float | None] | None) -> dict[int, float | None]:
    result: dict[int, float | None] = {}
    years = _YEARS
    for period, value in (per_period or {}).items():
        year = years.get(period, -1)
        if year == -1:
            year = years[period] = year_of_period(period)
        if year is not None:
            result[year] = value
    return result


class Store:
    """``figures`` (:class:`ivp.datasets.queries.Figures`) as matrices."""

    def __init__(self, figures, national_population: Mapping[int, float] | None = None) -> None:
        self.f = figures
        self.boundary = figures.boundary_change
        self.population = {code: by_year(p) for code, p in figures.population.items()}
        self.dwellings = {code: by_year(p) for code, p in figures.dwellings.items()}
        self.counts = {
            code: {region: by_year(pp) for region, pp in per_region.items()}
            for code, per_region in figures.counts.items()
        }
        self.national = {code: by_year(pp) for code, pp in figures.national.items()}
        self.national_population = dict(national_population or {})
        regions = sorted(
            {r for per_region in self.counts.values() for r in per_region} | set(self.population)
        )
        years = sorted(
            {y for per_region in self.counts.values() for pp in per_region.values() for y in pp}
            | {y for pp in self.population.values() for y in pp}
        )
        self.regions = regions
        self.region_index = {r: i for i, r in enumerate(regions)}
        self.missing_row = len(regions)  # an all-NaN row for regions without figures
        self.years = np.array(years, dtype=int)
        self.year_index = {y: i for i, y in enumerate(years)}
        shape = (len(regions) + 1, len(years))
        self.base = np.full(shape, np.nan)
        # the bases the boundary rule takes away: counts in each year's own division (the
        # total from 83648NED) get them back (``panel``)
        self._before_change: list[tuple[str, int, int, int, float]] = []
        for region, per_year in self.population.items():
            row = self.region_index[region]
            changed = self.boundary.get(region)
            for year, value in per_year.items():
                if value is None or value <= 0:
                    continue
                if changed and year < changed:
                    self._before_change.append((region, year, row, self.year_index[year], value))
                else:
                    self.base[row, self.year_index[year]] = value
        self._matrices: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._panels: dict[tuple[str, ...], Panel] = {}
        self._own_years: np.ndarray | None = None
        self._national: dict[tuple[str, ...], dict[int, float | None] | None] = {}

    def _matrix(self, code: str) -> tuple[np.ndarray, np.ndarray]:
        found = self._matrices.get(code)
        if found is None:
            values = np.full(self.base.shape, np.nan)
            present = np.zeros(self.base.shape, dtype=bool)
            for region, per_year in self.counts.get(code, {}).items():
                row = self.region_index[region]
                for year, value in per_year.items():
                    col = self.year_index[year]
                    present[row, col] = True
                    if value is not None:
                        values[row, col] = value
            found = self._matrices[code] = (values, present)
        return found

    def own_years(self) -> np.ndarray:
        """Region × year: the region has a figure of any category that year."""
        if self._own_years is None:
            own = np.zeros(self.base.shape, dtype=bool)
            for code in self.counts:
                own |= np.isfinite(self._matrix(code)[0])
            self._own_years = own
        return self._own_years

    def panel(self, codes: Sequence[str]) -> Panel:
        """The panel of the sum of ``codes``: NaN in a year where any part is withheld or
        absent (a total with missing parts is no total); present where any part is."""
        key = tuple(codes)
        found = self._panels.get(key)
        if found is None:
            parts = [self._matrix(c) for c in key]
            values = np.sum([p[0] for p in parts], axis=0)
            present = np.any([p[1] for p in parts], axis=0)
            found = self._panels[key] = Panel(self.years, values, present, self._base_of(key))
        return found

    def _base_of(self, codes: tuple[str, ...]) -> np.ndarray:
        """The inhabitants under ``codes``: without the years before a boundary change,
        unless every part was counted in that year's own division (then its rate is right)."""
        own_division = getattr(self.f, "own_division", None)
        if own_division is None or not any(c in self.f.period_sources for c in codes):
            return self.base
        base = self.base
        for region, year, row, col, value in self._before_change:
            if all(own_division(c, region, year) for c in codes):
                if base is self.base:
                    base = self.base.copy()
                base[row, col] = value
        return base

    def own_division_years(self, codes: Sequence[str], region: str) -> set[int]:
        """Years before ``region``'s boundary change whose counts of ``codes`` are in that
        year's own division (so they have a rate)."""
        own_division = getattr(self.f, "own_division", None)
        if own_division is None:
            return set()
        return {
            year
            for r, year, _row, _col, _value in self._before_change
            if r == region and all(own_division(c, region, year) for c in codes)
        }

    def rows(self, regions: Sequence[str]) -> np.ndarray:
        return np.array([self.region_index.get(r, self.missing_row) for r in regions], dtype=int)

    def row(self, region: str) -> int:
        return self.region_index.get(region, self.missing_row)

    def national_rates(self, codes: Sequence[str]) -> dict[int, float | None] | None:
        """The Netherlands' rate per year (47025NED counts on the average population), or
        None when a category has no national figures."""
        key = tuple(codes)
        if key not in self._national:
            self._national[key] = self._national_rates(key)
        return self._national[key]

    def _national_rates(self, codes: tuple[str, ...]) -> dict[int, float | None] | None:
        parts = [self.national.get(c) for c in codes]
        if not parts or not all(parts):
            return None
        result = {}
        for year in self.years.tolist():
            values = [p.get(year) for p in parts]
            population = self.national_population.get(year)
            if any(v is None for v in values) or not population:
                result[year] = None
            else:
                result[year] = sum(values) / population * PER
        return result
