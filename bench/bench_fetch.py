"""A national buurt-level fetch streamed page by page into the store (issue 14, part 4).

``ivp data fetch --all --level buurt`` reads 47018NED in pages of 10,000 rows and stores each
page (with its checkpoint) before reading the next, so memory is bounded by one page, not
by the table (about 15 million rows for twelve years). This benchmark serves the generated
national table of ``bench_data`` (real codes and format, pseudo-random counts; see there)
for one year through a mock of the CBS service and runs the real fetch service on it:

1. the fetch, timed (1,080,408 new figures);
2. the same fetch again under ``tracemalloc``: the peak of Python memory while streaming
   (all figures unchanged this time, so every page is read, compared and checkpointed);
3. for comparison, the peak of parsing the whole year into one result first, as the
   fetch did before it streamed.

The fetched year is removed again afterwards, so the later benchmarks see the same store.
"""

from __future__ import annotations

import re
import tempfile
import time
import tracemalloc
from pathlib import Path

YEAR = 2022
FIXTURES = Path(__file__).resolve().parents[1] / "src/ivp/datasets/tests/fixtures/cbs"


def _transport(folder: Path):
    import httpx

    pages = sorted(folder.glob(f"page-{YEAR}-*.json"))

    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        match = re.search(r"/odata/(\w+)/(\w+)$", path, re.IGNORECASE)
        table, entity = match.group(1).upper(), match.group(2)
        if entity != "TypedDataSet":
            file = FIXTURES / table / f"{entity}.json"
            if not file.exists():
                return httpx.Response(404, json={"odata.error": {"message": {"value": "?"}}})
            return httpx.Response(200, content=file.read_bytes())
        if table != "47018NED":
            return httpx.Response(200, json={"odata.metadata": "", "value": []})
        skip = int(request.url.params.get("$skip", "0"))
        number = skip // 10_000
        text = pages[number].read_text()
        if number + 1 < len(pages):
            base = str(request.url).split("&$skip=")[0]
            link = f'"odata.nextLink": "{base}&$skip={skip + 10_000}", '
            text = text.replace('{"odata.metadata"', "{" + link + '"odata.metadata"', 1)
        return httpx.Response(200, content=text.encode())

    return httpx.MockTransport(handle)


def _fetch(folder: Path):
    from ivp.datasets import services
    from ivp.datasets.cbs_client import CbsClient

    with CbsClient(transport=_transport(folder), sleep=lambda s: None) as client:
        return services.fetch_from_cbs(
            gemeenten=None,
            levels=("GM", "WK", "BU"),
            years=[YEAR],
            client=client,
            resume=False,
        )


def run() -> list[tuple[str, float, str]]:
    from bench_data import generate_pages, read_pages

    from ivp.datasets.models import ImportRun, Observation
    from ivp.datasets.sources.bundled import metadata_47018
    from ivp.datasets.sources.cbs_odata import parse_typed_dataset

    out: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory(prefix="ivp-bench-fetch-") as tmp:
        folder = Path(tmp)
        n_rows = generate_pages(folder, YEAR, seed=14)
        start = time.perf_counter()
        outcome = _fetch(folder)
        seconds = time.perf_counter() - start
        crime = outcome.runs[0]
        assert crime.created + crime.kept + crime.unchanged + crime.changed == n_rows
        pages = crime.meta["ophalen"]["pages"]
        out.append(
            (f"fetch --all --level buurt, 1 year ({n_rows:,} rows, {pages} pages)", seconds, "s")
        )
        out.append(
            ("  rows per second (parse, compare, store, checkpoint)", n_rows / seconds, "rows/s")
        )

        tracemalloc.start()
        again = _fetch(folder)
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert again.runs[0].created == 0
        out.append(("  peak Python memory of the streamed fetch (all unchanged)", peak / 1e6, "MB"))

        tracemalloc.start()
        whole = parse_typed_dataset(
            read_pages(folder, YEAR), tabel_id="47018NED", metadata=metadata_47018()
        )
        _now, peak_whole = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert len(whole.records) == n_rows
        del whole
        out.append(
            ("  for comparison: one year parsed into one result first", peak_whole / 1e6, "MB")
        )

        runs = [r.pk for r in (*outcome.runs, *again.runs)]
        Observation.objects.filter(import_run_id__in=runs).delete()
        ImportRun.objects.filter(pk__in=runs).delete()
    return out
