"""``ivp plan progress``: where a running plan stands, as JSON or as text."""

from __future__ import annotations

import argparse
import json
import sys

from ivp.plans.models import Plan
from ivp.sturing import periods
from ivp.sturing.progress import progress


def progress_command(plan: Plan, args: argparse.Namespace) -> int:
    if args.period:
        try:
            p = periods.parse(args.period)
        except periods.BadPeriod as error:
            print(f"ivp: {error}", file=sys.stderr)
            return 2
        if not plan.periode_start <= p.year <= plan.periode_eind:
            print(
                f"ivp: {p.code} is outside the plan's years "
                f"{plan.periode_start}–{plan.periode_eind}",
                file=sys.stderr,
            )
            return 2
    snapshot = progress(plan, period=args.period, internal=args.internal)
    if args.json:
        print(json.dumps(snapshot, ensure_ascii=False, indent=2))
        return 0
    print(f"{snapshot['plan']['title']} — {snapshot['period']['label']}")
    counts = ", ".join(f"{k}: {v}" for k, v in snapshot["counts"].items())
    print(f"  measures: {counts}")
    for row in snapshot.get("local") or []:
        local = ", ".join(f"{k}: {v}" for k, v in row["counts"].items())
        print(f"  local {row['name']} ({row['gemeente']}): {local}")
    for ind in snapshot["indicators"]:
        reals = ", ".join(f"{r['year']}: {r['value']:g}" for r in ind["realisations"]) or "-"
        print(f"  {ind['name']}: {reals} → {ind['verdict']['label']}")
    return 0
