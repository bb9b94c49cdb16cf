"""Comparison groups of gemeenten: who is "comparable"? Plain Python (Django's settings only
to find the folder where the areas of the gemeenten are kept, when there are settings).

A gemeente's figures mean little without comparable gemeenten, and size alone is a poor
yardstick: a town of 30,000 inhabitants in a rural region and a suburb of 30,000 have very
different crime. ivp therefore offers three groups, all computed from each year's own
figures (membership follows the population of the reference year):

- **standaard** — the :data:`NEIGHBOURS` gemeenten most like it in *number of inhabitants*
  and *population density* (inhabitants per km² of land and water inside the municipal
  boundary, from the bundled CBS boundaries): the distance is Euclidean on the standardised
  logarithms of both (each counts equally), nearest first. Density stands in for
  urbanity (CBS's "stedelijkheid" uses address density, which the bundled data lack).
- **grootteklasse** — the CBS size class of its population in that year (the 20,000–50,000
  class holds over half of all gemeenten, hence not the default).
- **eigen** — a selection the working group makes (stored per plan).

The gemeenten of the politie-eenheid are a separate group (see ``areas.services``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

NEIGHBOURS = 30
STANDAARD = "standaard"
GROOTTEKLASSE = "grootteklasse"
EIGEN = "eigen"
KINDS = (STANDAARD, GROOTTEKLASSE, EIGEN)
MIN_OWN = 5  # an own selection needs at least this many other gemeenten

# CBS gemeentegrootteklassen (inhabitants): lower bound inclusive, upper bound exclusive.
SIZE_CLASSES: tuple[tuple[int, int | None, str], ...] = (
    (0, 5_000, "minder dan 5.000 inwoners"),
    (5_000, 10_000, "5.000 tot 10.000 inwoners"),
    (10_000, 20_000, "10.000 tot 20.000 inwoners"),
    (20_000, 50_000, "20.000 tot 50.000 inwoners"),
    (50_000, 100_000, "50.000 tot 100.000 inwoners"),
    (100_000, 150_000, "100.000 tot 150.000 inwoners"),
    (150_000, 250_000, "150.000 tot 250.000 inwoners"),
    (250_000, None, "250.000 inwoners of meer"),
)


def size_class(inhabitants: float) -> tuple[int, int | None, str]:
    for low, high, label in SIZE_CLASSES:
        if inhabitants >= low and (high is None or inhabitants < high):
            return low, high, label
    raise ValueError(inhabitants)


@dataclass(frozen=True)
class Vergelijking:
    """The choice of comparison group: ``kind`` (standaard, grootteklasse, eigen) and, for
    ``eigen``, the codes chosen."""

    kind: str = STANDAARD
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    kind: str
    description: str  # Dutch, e.g. "de 30 gemeenten die in 2025 het meest lijken …"
    members: tuple[str, ...]  # the gemeente itself included
    year: int | None = None
    note: str = ""  # e.g. why the own selection could not be used
    distances: dict[str, float] = field(default_factory=dict)


def _ring_area_km2(ring: list[list[float]]) -> float:
    """Area of a WGS84 ring (lon, lat) in km², on a local equirectangular projection (error
    well below 1 % at the size of a gemeente)."""
    if len(ring) < 3:
        return 0.0
    lat0 = math.radians(sum(p[1] for p in ring) / len(ring))
    kx = 111.320 * math.cos(lat0)
    ky = 110.574
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += (x1 * kx) * (y2 * ky) - (x2 * kx) * (y1 * ky)
    return abs(total) / 2


def _polygon_area(polygon: list) -> float:
    outer, *holes = polygon
    return max(0.0, _ring_area_km2(outer) - sum(_ring_area_km2(h) for h in holes))


@cache
def areas_km2() -> dict[str, float]:
    """GM code → area in km² of the 342 gemeenten of 2024 (bundled CBS boundaries).
    Computed once and kept in ``IVP_VAR_DIR/cache/`` under a hash of the boundaries file, so
    a fresh process (``ivp analyse``) reads 342 numbers instead of the polygons."""
    from ivp.areas.sources import GEMEENTEN_GEOJSON
    from ivp.filecache import cached_json

    def compute() -> dict[str, float]:
        return _areas(json.loads(GEMEENTEN_GEOJSON.read_text(encoding="utf-8")))

    return cached_json("areas-km2", [GEMEENTEN_GEOJSON], compute)


def _areas(document: dict) -> dict[str, float]:
    result = {}
    for feature in document["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            area = _polygon_area(geometry["coordinates"])
        elif geometry["type"] == "MultiPolygon":
            area = sum(_polygon_area(p) for p in geometry["coordinates"])
        else:
            continue
        result[feature["properties"]["statcode"]] = area
    return result


def _standardised(values: Mapping[str, float]) -> dict[str, float]:
    logs = {code: math.log(v) for code, v in values.items() if v and v > 0}
    if len(logs) < 2:
        return dict.fromkeys(logs, 0.0)
    mean = sum(logs.values()) / len(logs)
    sd = math.sqrt(sum((v - mean) ** 2 for v in logs.values()) / (len(logs) - 1)) or 1.0
    return {code: (v - mean) / sd for code, v in logs.items()}


def neighbours_all(
    population: Mapping[str, float],
    area: Mapping[str, float] | None = None,
    *,
    k: int = NEIGHBOURS,
    only: Iterable[str] | None = None,
) -> dict[str, tuple[tuple[str, ...], dict[str, float]]]:
    """For every gemeente in ``population`` (code → inhabitants in the year), or only for
    those in ``only``: its ``k`` nearest gemeenten in standardised log population and log
    density, nearest first, with their distances. Ties are broken by code."""
    import numpy as np

    area = area if area is not None else areas_km2()
    codes = sorted(c for c, v in population.items() if v and v > 0 and area.get(c))
    if not codes:
        return {}
    pop = _standardised({c: population[c] for c in codes})
    density = _standardised({c: population[c] / area[c] for c in codes})
    points = np.array([[pop[c], density[c]] for c in codes])
    index = {c: i for i, c in enumerate(codes)}
    wanted = [c for c in (codes if only is None else only) if c in index]
    rows = np.array([index[c] for c in wanted], dtype=int)
    if not rows.size:
        return {}
    distance = np.sqrt(((points[rows][:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    distance[np.arange(rows.size), rows] = np.inf
    order = np.argsort(distance, axis=1, kind="stable")  # codes are sorted: ties by code
    take = min(k, len(codes) - 1)
    result = {}
    for i, code in enumerate(wanted):
        nearest = order[i, :take]
        result[code] = (
            tuple(codes[j] for j in nearest),
            {codes[j]: float(distance[i, j]) for j in nearest},
        )
    return result


def standard_group(
    code: str, name: str, year: int, neighbours: tuple[tuple[str, ...], dict[str, float]] | None
) -> Group:
    members, distances = neighbours or ((), {})
    return Group(
        STANDAARD,
        f"De {len(members)} gemeenten die in {year} het meest op {name} lijken in inwonertal "
        "en bevolkingsdichtheid",
        (code, *members),
        year,
        distances=distances,
    )


def size_class_group(code: str, year: int, population: Mapping[str, float]) -> Group:
    own = population.get(code)
    if not own:
        return Group(GROOTTEKLASSE, f"Geen inwonertal van {year} bekend", (code,), year)
    low, _high, label = size_class(own)
    members = sorted(c for c, v in population.items() if v and size_class(v)[0] == low)
    if code not in members:
        members.append(code)
    return Group(GROOTTEKLASSE, f"Gemeenten met {label} in {year}", tuple(members), year)


def own_group(code: str, chosen: Iterable[str], known: Iterable[str]) -> Group:
    """A selection; unknown codes and the gemeente itself are left out."""
    known_set = set(known)
    members = sorted({c for c in chosen if c in known_set and c != code})
    note = ""
    if len(members) < MIN_OWN:
        note = (
            f"de eigen selectie telt {len(members)} andere gemeenten (minder dan {MIN_OWN}); "
            "daarom vergeleken met de standaardgroep"
        )
    return Group(
        EIGEN, f"Eigen selectie van {len(members)} gemeenten", (code, *members), None, note
    )


def group_for(
    choice: Vergelijking,
    code: str,
    name: str,
    year: int,
    population: Mapping[str, float],
    neighbours: tuple[tuple[str, ...], dict[str, float]] | None,
) -> Group:
    """The comparison group ``choice`` gives for gemeente ``code`` in ``year``; an own
    selection that is too small falls back to the standard group, with the note."""
    if choice.kind == GROOTTEKLASSE:
        return size_class_group(code, year, population)
    if choice.kind == EIGEN:
        group = own_group(code, choice.codes, population)
        if not group.note:
            return group
        standard = standard_group(code, name, year, neighbours)
        return Group(
            standard.kind,
            standard.description,
            standard.members,
            year,
            group.note,
            standard.distances,
        )
    return standard_group(code, name, year, neighbours)
