"""The veiligheidsbeeld (issue 5, item 5).

Runs after ``bench_data`` (alphabetical order), so the store holds the bundled data plus
the generated national buurt-level table of that benchmark (one year, 59 categories; see
there: generated, not real).

1. One gemeente ('s-Hertogenbosch, GM0796), full analysis with comparisons (size class,
   politie-eenheid, Nederland): first call in the process, then warm (median of 5).
2. All current gemeenten in one batch (``veiligheidsbeeld.build_all``), reference year 2023.
3. The analysis report of a plan for GM0796: DOCX, PDF and HTML (when the report exists).
"""

from __future__ import annotations

import statistics
import time


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def run() -> list[tuple[str, float, str]]:
    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.datasets.services import load_bundled_data

    load_bundled_data()  # idempotent: already there after bench_data
    out: list[tuple[str, float, str]] = []
    picture, seconds = _timed(vb.build, "GM0796")
    out.append(("veiligheidsbeeld GM0796, first call (all categories, comparisons)", seconds, "s"))
    warm = [_timed(vb.build, "GM0796")[1] for _ in range(5)]
    out.append(("veiligheidsbeeld GM0796, warm (median of 5)", statistics.median(warm), "s"))
    print(
        f"GM0796: {len(picture.categories)} categories, {len(picture.themes)} themes, "
        f"{len(picture.candidates())} candidates"
    )

    start = time.perf_counter()
    done = failed = 0
    for _code, result in vb.build_all(2023):
        if isinstance(result, vb.NoData):
            failed += 1
        else:
            done += 1
    seconds = time.perf_counter() - start
    out.append(
        (
            f"veiligheidsbeeld all gemeenten in one batch ({done} done, {failed} without data)",
            seconds,
            "s",
        )
    )
    out.append(("  per gemeente", seconds / max(done, 1) * 1000, "ms"))

    try:
        from ivp.documents.exports import DOCUMENTS, export
    except ImportError:
        return out
    if "veiligheidsanalyse" not in DOCUMENTS:
        print("analysis report not registered yet: not timed")
        return out
    from ivp.areas.models import Gemeente
    from ivp.plans.factories import PlanFactory

    plan = PlanFactory(gemeente=Gemeente.objects.get(code="GM0796"))
    for fmt in ("docx", "pdf", "html"):
        (content, _type, _name), seconds = _timed(export, plan, "veiligheidsanalyse", fmt)
        out.append((f"analysis report GM0796 as {fmt} ({len(content) / 1e6:.1f} MB)", seconds, "s"))
    return out
