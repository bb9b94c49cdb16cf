"""Calibration of the tests on simulated series (issue 12): run standalone or in ``make bench``.

    .venv/bin/python bench/bench_calibration.py

Simulates the 342 gemeenten of the bundled data (their inhabitants, comparison groups and
realistic rates per category, see ``ivp.analysis.calibration``) with *stable* series of
dispersion 1, 3 and 10, runs the real engine on them and prints, per test, the share of
stable series it calls changed (the false-positive rate; α = 5 %), for series with at least
10 offences a year; then the same for smaller series (for information: no test of a
handful of offences can reach 5 %), the share showing the run signal, the power against a
real trend, and the mean number of proposed candidates per stable gemeente.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``ivp`` importable from the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

REPLICATES = 4


def run() -> list[tuple[str, float, str]]:
    from ivp.analysis import calibration

    start = time.perf_counter()
    rows: list[tuple[str, float, str]] = []
    print("Calibration on stable simulated series (α = 5 %; series with ≥ 10 offences a year)")
    for phi in calibration.DISPERSIONS:
        rates, small, signal = calibration.false_positive_rates(phi, replicates=REPLICATES)
        print(f"\ndispersion {phi:g}:")
        for name, value in rates.items():
            label = f"{name} (dispersion {phi:g})"
            print(f"false-positive rate {label}: {value:.2f} %")
            rows.append((f"false positives, {label}", value, "%"))
        print(
            "  smaller series (< 10 a year), for information: "
            + "; ".join(f"{name} {value:.1f} %" for name, value in small.items())
        )
        print(
            f"  run signal (three rises in a row, the last significant): {signal:.2f} % of series"
        )
    print()
    for phi in (1.0, 3.0):
        found = calibration.power(phi, 0.10)
        print(
            f"power against a rise of 10 % a year over five years (dispersion {phi:g}): "
            + "; ".join(f"{name} {value:.0f} %" for name, value in found.items())
        )
    candidates = calibration.candidates_per_gemeente(3.0)
    print(f"\ncandidates per stable gemeente: {candidates:.2f}")
    rows.append(("candidates per stable gemeente (dispersion 3)", candidates, "candidates"))
    seconds = time.perf_counter() - start
    print(f"(calibration took {seconds:.1f} s)")
    rows.append(("calibration benchmark", seconds, "s"))
    return rows


if __name__ == "__main__":
    run()
