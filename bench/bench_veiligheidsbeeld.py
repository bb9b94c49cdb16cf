"""The veiligheidsbeeld (issue 5, item 5; issue 12, item 7).

Runs after ``bench_data`` (alphabetical order), so the store holds the bundled data plus
the generated national buurt-level table of that benchmark (one year, 59 categories; see
there: generated, not real).

1. ``ivp analyse`` in a fresh process, as a user runs it: one gemeente (Amsterdam, 2023,
   ``--json``, best of 3) and all 342 gemeenten (2025, ``--json``, best of 2), each also
   *beyond* the start-up of ``python -c "import django, numpy"`` (best of 3), and the peak
   memory (maximum resident set) of the batch's processes, measured from a small wrapper.
2. One gemeente ('s-Hertogenbosch, GM0796) in this process: first call, then warm (median
   of 5), with comparisons (size class, politie-eenheid, Nederland).
3. All current gemeenten in one batch in this process (``veiligheidsbeeld.build_all``),
   reference year 2023.
4. The analysis report of a plan for GM0796: DOCX, PDF and HTML (when the report exists).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def _best(command: list[str], times: int) -> tuple[float, float]:
    """Best wall time of ``times`` runs, and the processor time (user + system, the
    process and its workers) of that run: on a busy machine the wall time also holds the
    waiting for a core, the processor time does not."""
    best = (float("inf"), 0.0)
    for _ in range(times):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = min(best, (wall, cpu))
    return best


def _peak_memory(python: str, command: list[str]) -> float:
    """The largest resident set (MB) of ``command``'s processes, read by a small wrapper
    process: a child forked from this (large) process would count this one's pages."""
    code = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(  # noqa: S603
        [python, "-c", code, *command], check=True, capture_output=True, text=True
    )
    return int(out.stdout.split()[-1]) / 1024


def _cold() -> list[tuple[str, float, str]]:
    ivp = str(BIN / "ivp")
    env_python = str(BIN / "python")
    base, base_cpu = _best([env_python, "-c", "import django, numpy"], 3)
    one, one_cpu = _best(
        [ivp, "analyse", "--municipality", "GM0363", "--year", "2023", "--json"], 3
    )
    batch_command = [ivp, "analyse", "--all", "--year", "2025", "--json"]
    batch, batch_cpu = _best(batch_command, 2)
    peak = _peak_memory(env_python, batch_command)
    print(
        f"cold: python+django+numpy {base:.2f} s; one gemeente {one:.2f} s (+{one - base:.2f}); "
        f"all 342 {batch:.2f} s (+{batch - base:.2f}); peak memory of a process {peak:.0f} MB; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    return [
        ("start-up of python -c 'import django, numpy' (best of 3)", base, "s"),
        ("ivp analyse one gemeente --json, fresh process (best of 3)", one, "s"),
        ("  beyond the start-up of django and numpy", one - base, "s"),
        ("  processor time beyond that of the start-up", one_cpu - base_cpu, "s"),
        ("ivp analyse --all --year 2025 --json, fresh process (best of 2)", batch, "s"),
        ("  beyond the start-up of django and numpy", batch - base, "s"),
        (
            "  processor time (all its processes) beyond that of the start-up",
            batch_cpu - base_cpu,
            "s",
        ),
        ("  peak memory (largest resident set of its processes)", peak, "MB"),
    ]


def run() -> list[tuple[str, float, str]]:
    from ivp.analysis import veiligheidsbeeld as vb
    from ivp.datasets.services import load_bundled_data

    load_bundled_data()  # idempotent: already there after bench_data
    out: list[tuple[str, float, str]] = []
    if os.environ.get("DATABASE_URL"):
        out += _cold()
    picture, seconds = _timed(vb.build, "GM0796")
    out.append(("veiligheidsbeeld GM0796 in this process, first call", seconds, "s"))
    warm = [_timed(vb.build, "GM0796")[1] for _ in range(5)]
    out.append(("veiligheidsbeeld GM0796, warm (median of 5)", statistics.median(warm), "s"))
    print(
        f"GM0796: {len(picture.categories)} categories, {len(picture.themes)} themes, "
        f"{len(picture.candidates())} proposed"
    )

    start = time.perf_counter()
    done = failed = 0
    for _code, result in vb.build_all(2023, as_json=True):
        if isinstance(result, vb.NoData):
            failed += 1
        else:
            done += 1
    seconds = time.perf_counter() - start
    out.append(
        (
            f"veiligheidsbeeld all gemeenten in this process, JSON ({done} done, {failed} "
            "without data)",
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
