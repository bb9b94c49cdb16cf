"""The data layer at national scale (issue 4, item 7).

1. Import of the bundled data into an empty store (regions and all bundled files).
2. Load of a national buurt-level year-by-category table of 47018NED: every gemeente, wijk
   and buurt of the 2024 division (18,312 regions) × 59 'soort misdrijf' codes × one year
   = 1,080,408 figures, as CBS OData JSON pages of 10,000 rows (the API's page size).
   **Generated**: no real national buurt-level table is bundled (too large for the
   snapshots it came from), so the region codes, category codes, period and response
   format are real and the counts are pseudo-random. It exists only in the benchmark's
   temporary database.
3. The same table imported a second time (nothing new, nothing changed).
4. A typical query: one gemeente, all categories, all years, with its size-class group,
   its politie-eenheid and the Netherlands (``datasets.queries.figures``), median of 20.

``IVP_BENCH_YEARS`` (default 1) loads more years of the generated table before the query,
e.g. 12 for 2012–2023 (13 million figures).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PAGE = 10_000
GENERATED_NOTE = (
    "generated benchmark table with the real schema (real region and category codes, "
    "pseudo-random counts); not real data"
)


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def generate_pages(folder: Path, year: int, seed: int = 47018) -> int:
    """Write the national table for ``year`` as OData JSON pages; return the row count."""
    import csv

    from ivp.areas.sources import WIJKEN_BUURTEN_CSV
    from ivp.datasets import offences

    with WIJKEN_BUURTEN_CSV.open(encoding="utf-8-sig", newline="") as handle:
        regions = [row["Key"] for row in csv.DictReader(handle) if not row["Key"].startswith("NL")]
    categories = [c.ljust(6) if len(c) < 6 else c for c in offences.soort_misdrijf()]
    rng = random.Random(seed + year)
    rows, page_number, count = [], 0, 0
    feed = "https://dataderden.cbs.nl/ODataFeed/odata/47018NED"

    def flush() -> None:
        nonlocal rows, page_number
        page_number += 1
        document = {
            "odata.metadata": f"{feed}/$metadata#Cbs.OData.WebAPI.TypedDataSet",
            "value": rows,
        }
        (folder / f"page-{year}-{page_number:04d}.json").write_text(json.dumps(document))
        rows = []

    for region in regions:
        scale = 40 if region.startswith("GM") else 8 if region.startswith("WK") else 2
        for category in categories:
            value = None if rng.random() < 0.02 else int(rng.expovariate(1 / scale))
            rows.append(
                {
                    "SoortMisdrijf": category,
                    "WijkenEnBuurten": region,
                    "Perioden": f"{year}JJ00",
                    "GeregistreerdeMisdrijven_1": value,
                }
            )
            count += 1
            if len(rows) == PAGE:
                flush()
    if rows:
        flush()
    return count


def read_pages(folder: Path, year: int) -> Iterator[dict]:
    for path in sorted(folder.glob(f"page-{year}-*.json")):
        yield json.loads(path.read_text())


def load_table(folder: Path, year: int):
    from ivp.datasets.models import Origin
    from ivp.datasets.services import store_result
    from ivp.datasets.sources.bundled import metadata_47018
    from ivp.datasets.sources.cbs_odata import parse_typed_dataset

    result = parse_typed_dataset(
        read_pages(folder, year), tabel_id="47018NED", metadata=metadata_47018()
    )
    assert result.ok, result.problems[:3]
    # overwrite=False: where the bundle has a real figure (12 categories per gemeente), the
    # real figure stays in the benchmark database.
    run = store_result(
        result, origin=Origin.FILE, filename=f"generated-47018NED-{year}.json", overwrite=False
    )
    return run


def run() -> list[tuple[str, float, str]]:
    from ivp.datasets import queries
    from ivp.datasets.models import Observation
    from ivp.datasets.services import load_bundled_data
    from ivp.datasets.sources import bundled

    years = int(os.environ.get("IVP_BENCH_YEARS", "1"))
    out: list[tuple[str, float, str]] = []

    _report, seconds = _timed(load_bundled_data)
    files = len(bundled.BUNDLED_SETS)
    out.append((f"import bundled data (regions + {files} files, empty store)", seconds, "s"))
    print(f"bundled: {Observation.objects.count():,} figures")

    with tempfile.TemporaryDirectory(prefix="ivp-bench-pages-") as tmp:
        folder = Path(tmp)
        print(f"national table: {GENERATED_NOTE}")
        first_year = 2023
        n_rows, seconds = _timed(generate_pages, folder, first_year)
        print(f"generated {n_rows:,} rows for {first_year} in {seconds:.1f} s (not timed below)")
        run_, seconds = _timed(load_table, folder, first_year)
        assert run_.created + run_.kept + run_.unchanged == n_rows
        print(f"stored {run_.created:,} new figures; kept {run_.kept:,} real bundled ones")
        out.append(
            (
                f"load national buurt-level table, 1 year × 59 categories ({n_rows:,} rows)",
                seconds,
                "s",
            )
        )
        out.append(("  rows per second", n_rows / seconds, "rows/s"))
        run_, seconds = _timed(load_table, folder, first_year)
        assert run_.created == 0 and run_.unchanged + run_.kept == n_rows
        out.append(("re-import of the same table (0 new, all unchanged)", seconds, "s"))
        for extra in range(1, years):
            year = first_year - extra
            generate_pages(folder, year)
            _run, seconds = _timed(load_table, folder, year)
            print(f"loaded generated {year} in {seconds:.1f} s")
            for path in folder.glob(f"page-{year}-*.json"):
                path.unlink()
    total = Observation.objects.count()
    print(f"store: {total:,} figures")

    samples = []
    for _ in range(20):
        figures, seconds = _timed(queries.figures, "GM0796")
        samples.append(seconds)
    regions = len(figures.regions)
    out.append(
        (
            f"query: one gemeente, all categories and years, with comparison ({regions} regions)",
            statistics.median(samples) * 1000,
            "ms",
        )
    )
    out.append((f"  store size during the query ({total:,} figures)", total / 1e6, "M rows"))
    return out
