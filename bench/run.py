"""Print benchmark figures. Each benchmark module in ``bench/`` exposes ``run() -> list of
(name, value, unit)``; this script runs them all and prints a table."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent / "src"))
sys.path.insert(0, str(BENCH_DIR))


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ivp.conf.dev")
    modules = sorted(p.stem for p in BENCH_DIR.glob("bench_*.py"))
    if not modules:
        print("no benchmarks yet")
        return 0
    print(f"{'benchmark':<60} {'value':>12}  unit")
    for name in modules:
        for label, value, unit in importlib.import_module(name).run():
            print(f"{label:<60} {value:>12.3f}  {unit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
