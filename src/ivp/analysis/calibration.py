"""Calibration by simulation: how often do the tests call a stable series "changed"?
Plain Python (numpy), no database.

A simulated Netherlands: the 342 gemeenten of the bundled data with their real number of
inhabitants, their real comparison groups (:mod:`ivp.areas.comparison`) and, per offence
category, a true rate that differs between gemeenten as real rates do (log-normal around
the category's national median rate, :data:`BETWEEN_SD`). Each gemeente's series is
*stable*: the same expected count every year, drawn with a chosen dispersion ``φ``
(negative binomial of type 1: variance ``φ·mean``; 1 = Poisson). The real engine
(:func:`ivp.analysis.engine.analyse`) then tests every series as it tests real ones.

On stable series every "significant" verdict is a false positive: at α = 5 % a calibrated
test gives about 5 %. :func:`false_positive_rates` counts them per test, for series with
at least :data:`MIN_EXPECTED` offences a year (with fewer, a change is never given as a
reason, and no test of a handful of offences can reach 5 %: the rate for them is reported
separately). :func:`candidates_per_gemeente` runs the candidate rules on the same stable
gemeenten, :func:`power` gives the share of truly trending series that the trend test
finds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import numpy as np

from ivp.analysis import engine
from ivp.analysis.significance import two_count_arrays

YEARS = np.arange(2012, 2026)
BETWEEN_SD = 0.3  # sd of log rates between gemeenten (real: 0.3–0.5 within a group)
MIN_EXPECTED = 10.0
DISPERSIONS = (1.0, 3.0, 10.0)
TESTS = (
    "year-on-year",
    "against the 3-year mean",
    "run test (year against 3 years before)",
    "trend of the last 5 years",
    "trend of all years",
    "comparison with vergelijkbare gemeenten (funnel)",
)


@dataclass(frozen=True)
class World:
    codes: tuple[str, ...]
    population: np.ndarray  # per gemeente
    neighbours: np.ndarray  # G × k row indices
    medians: np.ndarray  # national median rate per category (per 1,000)
    categories: tuple[str, ...]


@cache
def world() -> World:
    """The gemeenten, groups and category rates of the bundled 47018NED data."""
    from ivp.areas.comparison import areas_km2, neighbours_all
    from ivp.areas.sources import GEMEENTEN_JSON

    data = json.loads(GEMEENTEN_JSON.read_text(encoding="utf-8"))
    area = areas_km2()
    population = {
        code: float(per["2025"])
        for code, per in data["population"].items()
        if code in area and per.get("2025")
    }
    codes = tuple(sorted(population))
    index = {c: i for i, c in enumerate(codes)}
    nearest = neighbours_all(population, area)
    width = max(len(v[0]) for v in nearest.values())
    neighbours = np.full((len(codes), width), -1, dtype=int)
    for code, (members, _d) in nearest.items():
        rows = [index[m] for m in members if m in index]
        neighbours[index[code], : len(rows)] = rows
    categories = tuple(sorted(data["counts"]))
    medians = []
    for category in categories:
        rates = [
            v["2025"] / population[c] * 1000
            for c, v in data["counts"][category].items()
            if c in population and v.get("2025") is not None
        ]
        medians.append(float(np.median(rates)))
    return World(
        codes, np.array([population[c] for c in codes]), neighbours, np.array(medians), categories
    )


def _draw(rng: np.random.Generator, mean: np.ndarray, phi: float) -> np.ndarray:
    if phi <= 1:
        return rng.poisson(mean).astype(float)
    return rng.poisson(rng.gamma(mean / (phi - 1), phi - 1)).astype(float)


def simulate(rng: np.random.Generator, phi: float, *, trend: float = 0.0, w: World | None = None):
    """Counts (series × years) of every gemeente × category, the expected count per
    series, and the panel; ``trend``: yearly growth over the last five years (0: stable)."""
    w = w or world()
    g, k = len(w.codes), len(w.categories)
    level = w.medians[None, :] * np.exp(rng.normal(0, BETWEEN_SD, (g, k)))
    expected = (level * w.population[:, None] / 1000).reshape(-1)
    growth = np.ones(len(YEARS))
    if trend:
        growth[-5:] = (1 + trend) ** np.arange(1, 6)
    mean = expected[:, None] * growth[None, :]
    counts = _draw(rng, mean, phi)
    base = np.repeat(w.population[:, None], k, axis=0) * np.ones((1, len(YEARS)))
    panel = engine.Panel(YEARS, counts, np.ones_like(counts, dtype=bool), base)
    return counts, expected, panel


def _members(w: World, k: int, rows: np.ndarray) -> np.ndarray:
    """Member rows of each series (same category, the gemeente's neighbours)."""
    gemeente, category = rows // k, rows % k
    neighbours = w.neighbours[gemeente]
    return np.where(neighbours >= 0, neighbours * k + category[:, None], -1)


def analyse(panel: engine.Panel, w: World | None = None) -> engine.KindArrays:
    w = w or world()
    k = len(w.categories)
    rows = np.arange(panel.counts.shape[0])
    members = _members(w, k, rows)
    return engine.analyse(
        panel,
        int(YEARS[-1]),
        rows,
        dispersion_members=members,
        groups=(("vergelijkbare gemeenten", members),),
    )


def _rejections(result: engine.KindArrays, counts: np.ndarray) -> dict[str, np.ndarray]:
    """Per test: True where it calls the series changed, NaN where it does not test."""
    col = result.col
    d = result.dispersion
    run = two_count_arrays(
        counts[:, col - 3], counts[:, col], 1.0, 1.0, np.maximum(d.phi, 1.0), d.df
    )
    funnel = result.groups[0].funnel
    found = {
        TESTS[0]: (result.previous.test.p_value, result.previous.test.direction != 2),
        TESTS[1]: (result.mean.test.p_value, result.mean.test.direction != 2),
        TESTS[2]: (run.p_value, run.direction != 2),
        TESTS[3]: (result.trend.p_value, result.trend.reason == 0),
        TESTS[4]: (result.long_trend.p_value, result.long_trend.reason == 0),
        TESTS[5]: (funnel.p_value, np.isfinite(funnel.p_value)),
    }
    return {
        name: np.where(tested, np.nan_to_num(p, nan=1.0) < 0.05, np.nan)
        for name, (p, tested) in found.items()
    }


def false_positive_rates(
    phi: float, *, replicates: int = 4, seed: int = 47018
) -> tuple[dict[str, float], dict[str, float], float]:
    """(rate per test for series with ≥ :data:`MIN_EXPECTED` offences a year, the same for
    smaller series, share of stable series showing the run signal: three rises in a row
    with a significant rise), in %, on stable series with dispersion ``phi``."""
    rng = np.random.default_rng(seed + int(phi * 10))
    hits = {name: [] for name in TESTS}
    small = {name: [] for name in TESTS}
    run_signal = []
    for _ in range(replicates):
        counts, expected, panel = simulate(rng, phi)
        result = analyse(panel)
        large = expected >= MIN_EXPECTED
        for name, rejected in _rejections(result, counts).items():
            tested = np.isfinite(rejected)
            hits[name].append(rejected[tested & large])
            small[name].append(rejected[tested & ~large])
        run_signal.append((result.streak >= 3) & (result.streak_test.p_value < 0.05) & large)
    rates = {name: 100 * float(np.mean(np.concatenate(v))) for name, v in hits.items()}
    small_rates = {name: 100 * float(np.mean(np.concatenate(v))) for name, v in small.items()}
    signal = 100 * float(np.mean(np.concatenate(run_signal)))
    return rates, small_rates, signal


def candidates_per_gemeente(phi: float = 3.0, *, replicates: int = 2, seed: int = 4) -> float:
    """The mean number of proposed candidates per stable gemeente (its categories weighed
    together by :func:`ivp.analysis.candidates.assess_facts`)."""
    from ivp.analysis.batch_json import facts_at
    from ivp.analysis.candidates import assess_facts
    from ivp.analysis.from_arrays import listed

    w = world()
    k = len(w.categories)
    rng = np.random.default_rng(seed)
    years = YEARS.tolist()
    proposed = []
    for _ in range(replicates):
        _counts, _expected, panel = simulate(rng, phi)
        result = listed(analyse(panel))
        for g in range(len(w.codes)):
            facts = [
                facts_at(
                    result,
                    g * k + c,
                    key=w.categories[c],
                    title=w.categories[c],
                    years=years,
                    provisional=frozenset(),
                    notes=(),
                    enforcement=False,
                )
                for c in range(k)
            ]
            proposed.append(sum(c.proposed for c in assess_facts(facts)))
    return float(np.mean(proposed))


def power(phi: float, trend: float, *, replicates: int = 2, seed: int = 7) -> dict[str, float]:
    """Share (%) of series rising ``trend`` a year over the last five years (≥ 10
    offences) that each test calls a rise."""
    rng = np.random.default_rng(seed)
    found = {name: [] for name in TESTS[:4]}
    for _ in range(replicates):
        counts, expected, panel = simulate(rng, phi, trend=trend)
        result = analyse(panel)
        large = expected >= MIN_EXPECTED
        rejected = _rejections(result, counts)
        for name in found:
            found[name].append(np.nan_to_num(rejected[name][large], nan=0.0))
    return {name: 100 * float(np.mean(np.concatenate(v))) for name, v in found.items()}
