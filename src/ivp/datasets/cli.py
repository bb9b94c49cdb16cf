"""``ivp data …``: import a file, fetch from the CBS API, show the mapping and the datasets.

The web upload and ``ivp data import`` call the same service (``services.import_file``).
Exit codes: 0 done, 1 refused or failed (message on stderr), 2 usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


class ProgressBar:
    """A one-line text progress bar on stderr (only when stderr is a terminal, unless
    ``force``)."""

    def __init__(self, *, stream=None, width: int = 30, force: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.enabled = force or self.stream.isatty()
        self.last = ""

    def __call__(self, done: int, total: int, label: str) -> None:
        if not self.enabled:
            return
        total = max(total, 1)
        filled = int(self.width * min(done, total) / total)
        line = f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} {label}"
        self.stream.write(line.ljust(len(self.last)))
        self.stream.flush()
        self.last = line

    def close(self) -> None:
        if self.enabled and self.last:
            self.stream.write("\n")
            self.stream.flush()


def _run_dict(run) -> dict:
    return {
        "id": run.pk,
        "status": run.status,
        "herkomst": run.origin,
        "formaat": run.format,
        "bestand": run.filename,
        "tabel": run.table_id,
        "regels": run.rows,
        "nieuw": run.created,
        "gewijzigd": run.changed,
        "ongewijzigd": run.unchanged,
        "behouden": run.kept,
        "problemen": run.problems,
        "problemen_afgekapt": run.problems_truncated,
        "herzieningen": run.changes[:50],
        "voorbeeld": run.sample[:10],
        "adressen": run.urls,
    }


def _print_run(run, *, dry_run: bool) -> None:
    from ivp.datasets.services import problems_as_text

    if run.problems:
        print(
            f"ivp: {len(run.problems)} probleem/problemen; er is niets opgeslagen.", file=sys.stderr
        )
        for line in problems_as_text(run.problems):
            print(f"  {line}", file=sys.stderr)
        if run.problems_truncated:
            print("  … (meer problemen; de eerste 1000 staan hierboven)", file=sys.stderr)
        return
    verb = "zou opslaan" if dry_run else "opgeslagen"
    print(
        f"ivp: {run.rows} regels gelezen ({run.format}); {verb}: {run.created} nieuw, "
        f"{run.changed} gewijzigd, {run.unchanged} ongewijzigd"
        + (f", {run.kept} behouden" if run.kept else "")
    )
    for change in run.changes[:10]:
        print(
            f"  herzien: {change['reeks']} {change['regio']} {change['periode']}: "
            f"{change['oud']} → {change['waarde']}"
        )


def cmd_import(args: argparse.Namespace) -> int:
    from django.conf import settings

    from ivp.areas.models import Gemeente
    from ivp.datasets import services

    path = Path(args.file)
    if not path.is_file():
        print(f"ivp: bestand niet gevonden: {path}", file=sys.stderr)
        return 1
    owner = None
    if args.owner:
        owner = Gemeente.objects.filter(code=args.owner.strip().upper()).first()
        if owner is None:
            print(
                f"ivp: onbekende gemeente {args.owner!r} (verwacht een CBS-code als GM0796)",
                file=sys.stderr,
            )
            return 2
    limit = settings.IVP_UPLOAD_MAX_MB
    if path.stat().st_size > limit * 1024 * 1024:
        print(
            f"ivp: {path.name} is groter dan {limit} MB (IVP_UPLOAD_MAX_MB); er is niets "
            "opgeslagen",
            file=sys.stderr,
        )
        return 1
    # The command line runs with system rights (user None): without --owner the figures go
    # into the official datasets, with --owner into that gemeente's own datasets.
    run = services.import_file(
        path.read_bytes(),
        path.name,
        tabel_id=args.table or "",
        dataset_name=args.source or "",
        dry_run=args.dry_run,
        owner=owner,
    )
    if args.json:
        print(json.dumps(_run_dict(run), ensure_ascii=False, indent=2))
    else:
        _print_run(run, dry_run=args.dry_run)
    return 1 if run.problems else 0


def _years(text: str | None) -> list[int] | None:
    if not text:
        return None
    if "-" in text:
        start, end = (int(part) for part in text.split("-", 1))
        return list(range(start, end + 1))
    return [int(part) for part in text.split(",")]


def cmd_fetch(args: argparse.Namespace) -> int:
    from ivp.datasets import services
    from ivp.datasets.cbs_client import CbsError

    if not args.all and not args.municipality:
        print("ivp: geef --municipality GM0597 (één of meer) of --all", file=sys.stderr)
        return 2
    levels = {"gemeente": ("GM",), "wijk": ("GM", "WK"), "buurt": ("GM", "WK", "BU")}.get(
        args.level or ""
    )
    bar = ProgressBar(force=args.progress)
    try:
        outcome = services.fetch_from_cbs(
            gemeenten=None if args.all else [m.upper() for m in args.municipality],
            years=_years(args.years),
            levels=levels,
            progress=bar,
            resume=not args.restart,
        )
    except CbsError as error:
        bar.close()
        print(f"ivp: {error}", file=sys.stderr)
        return 1
    except ValueError as error:
        bar.close()
        print(f"ivp: {error}", file=sys.stderr)
        return 2
    bar.close()
    if args.json:
        print(json.dumps([_run_dict(r) for r in outcome.runs], ensure_ascii=False, indent=2))
    else:
        for run in outcome.runs:
            print(f"{run.table_id}:", end=" ")
            _print_run(run, dry_run=False)
    return 0 if outcome.ok else 1


def cmd_mapping(args: argparse.Namespace) -> int:
    from ivp.datasets import offences
    from ivp.datasets.mapping import THEMA_TITELS, default_indeling

    indeling = default_indeling()
    if args.plan:
        from ivp.datasets.services import mapping_for_plan
        from ivp.plans.models import Plan

        plan = Plan.objects.filter(pk=args.plan).first()
        if plan is None:
            print(f"ivp: geen plan met id {args.plan}", file=sys.stderr)
            return 1
        indeling = mapping_for_plan(plan)
    rows = [
        {
            "code": row.code,
            "soort": kind,
            "naam": categories[row.code].titel if row.code in categories else "",
            "themas": list(row.themas),
            "herkomst": row.herkomst,
            "waarom": row.waarom,
        }
        for kind, entries, categories in (
            ("soort misdrijf", indeling.soort_misdrijf, offences.soort_misdrijf()),
            ("incidentcode", indeling.incidentcodes, offences.overlast()),
        )
        for row in entries.values()
    ]
    if args.json:
        print(
            json.dumps(
                {
                    "versie": indeling.versie,
                    "indeling": rows,
                    "aggregaten": {
                        k: {"naam": a.naam, "codes": list(a.codes), "totaalregel": a.roll_up}
                        for k, a in indeling.aggregaten.items()
                    },
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(f"Indeling versie {indeling.versie}")
    for row in rows:
        themes = ", ".join(f"{t} {THEMA_TITELS[t]}" for t in row["themas"]) or "—"
        mark = " (eigen keuze van het plan)" if row["herkomst"] == "plan" else ""
        print(f"{row['code']:<7} {row['naam'][:40]:<40} {themes}{mark}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from ivp.datasets.services import dataset_overview

    rows = dataset_overview()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "sleutel": r["dataset"].key,
                        "tabel": r["dataset"].table_id,
                        "titel": r["dataset"].title,
                        "bronvermelding": r["dataset"].attribution,
                        "reeksen": r["series"],
                        "waarnemingen": r["observations"],
                        "laatste_periode": r["last_period"],
                        "laatste_import": r["last_run"].started_at.isoformat()
                        if r["last_run"]
                        else None,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for r in rows:
        d = r["dataset"]
        print(
            f"{d.table_id or d.key:<28} {r['series']:>4} reeksen {r['observations']:>9,} waarden  "
            f"t/m {r['last_period'] or '—'}  {d.title[:60]}"
        )
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from ivp.datasets.services import load_bundled_data

    print(load_bundled_data())
    return 0


def register(subparsers) -> None:
    data = subparsers.add_parser("data", help="import, fetch and list figures")
    sub = data.add_subparsers(dest="data_command", metavar="ACTION", required=True)

    imp = sub.add_parser("import", help="import a file (CBS JSON, StatLine CSV, long CSV/XLSX)")
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="check and show, store nothing")
    imp.add_argument("--json", action="store_true", help="print JSON")
    imp.add_argument("--table", help="CBS table of a StatLine download, e.g. 47018NED")
    imp.add_argument("--source", help="name of the source for rows without a 'bron' column")
    imp.add_argument(
        "--owner",
        metavar="GMxxxx",
        help="import as this gemeente's own data (seen only by it and its plans); "
        "without it the figures are official",
    )
    imp.set_defaults(handler=cmd_import)

    fetch_parser = sub.add_parser("fetch", help="fetch 47018NED and population from the CBS API")
    who = fetch_parser.add_mutually_exclusive_group()
    who.add_argument("--municipality", nargs="+", metavar="GM0597", help="one or more gemeenten")
    who.add_argument("--all", action="store_true", help="all gemeenten")
    fetch_parser.add_argument("--years", help="e.g. 2016-2023 or 2017,2018")
    fetch_parser.add_argument(
        "--level",
        choices=["gemeente", "wijk", "buurt"],
        help="down to which level (default: buurt for --municipality, gemeente for --all)",
    )
    fetch_parser.add_argument("--json", action="store_true", help="print JSON")
    fetch_parser.add_argument(
        "--restart",
        action="store_true",
        help="start again from the first page instead of resuming an interrupted fetch",
    )
    fetch_parser.add_argument(
        "--progress", action="store_true", help="show the progress bar even when not on a terminal"
    )
    fetch_parser.set_defaults(handler=cmd_fetch)

    mapping = sub.add_parser("mapping", help="show the mapping of offence categories to themes")
    mapping.add_argument("--plan", type=int, help="with the plan's own choices")
    mapping.add_argument("--json", action="store_true", help="print JSON")
    mapping.set_defaults(handler=cmd_mapping)

    listing = sub.add_parser("list", help="list the datasets with their provenance")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=cmd_list)

    load = sub.add_parser("load-bundled", help="load the bundled data (as 'ivp demo' does)")
    load.set_defaults(handler=cmd_load)
