"""The ``ivp`` command. Sub-commands come from this module (``demo``, ``plan``,
``manage``) and from the ``cli.py`` of each domain package listed in ``COMMAND_MODULES``."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import sys
from collections.abc import Sequence

COMMAND_MODULES = (
    "ivp.catalogue.cli",
    "ivp.datasets.cli",
    "ivp.analysis.cli",
    "ivp.cli.embedded",
    "ivp.cli.server",
    "ivp.jobs.cli",
    "ivp.backup.cli",
)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ivp.conf.dev")
    import django

    django.setup()


def cmd_demo(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    from ivp.demo.loader import load_demo

    print("ivp: database bijwerken (migrate)…", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    print("ivp: demo laden (themabibliotheek, data, demoplan)…", flush=True)
    result = load_demo()
    for line in result.loaded:
        print(f"  {line}")
    url = f"http://{args.addr}/"
    print()
    print("=" * 64)
    if args.no_serve:
        print("  ivp is klaar (niet gestart: --no-serve)")
    else:
        print(f"  ivp start op {url}")
    print(f"  Demoplan: {result.plan.titel}")
    for username, password, rol in result.logins:
        print(f"  Login ({rol}): gebruikersnaam {username}  wachtwoord {password}")
    from django.conf import settings

    if settings.IVP_MAIL_OUTBOX:
        print(f"  Verstuurde e-mail (uitnodigingen): {url}account/postvak/")
    print("=" * 64, flush=True)
    if args.no_serve:
        return 0
    return _serve_demo(args.addr)


def _serve_demo(addr: str) -> int:
    """Serve the demo as production does (gunicorn, several workers, SQLite in WAL mode),
    with a job worker next to it, so that one command is enough."""
    import subprocess

    from django.core.management import call_command
    from django.db import connection

    from ivp.cli.server import gunicorn_options, run_gunicorn

    call_command("collectstatic", interactive=False, verbosity=0)
    connection.close()
    worker = subprocess.Popen([sys.executable, "-m", "ivp.cli.main", "worker"])  # noqa: S603
    try:
        run_gunicorn(
            gunicorn_options(bind=addr, workers=2, threads=4, timeout=120, access_log=False)
        )
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
    return 0


def cmd_plan_list(args: argparse.Namespace) -> int:
    from ivp.beleidsplan.models import PlanVersie
    from ivp.plans.models import Plan

    plans = []
    for p in Plan.objects.prefetch_related("stappen", "gemeenten"):
        latest = PlanVersie.objects.filter(plan=p).order_by("-nummer").first()
        adopted = (
            PlanVersie.objects.filter(plan=p, status=PlanVersie.Status.VASTGESTELD)
            .order_by("-nummer")
            .first()
        )
        plans.append(
            {
                "id": p.pk,
                "title": p.titel,
                "municipalities": sorted(g.code for g in p.gemeenten.all()),
                "period": [p.periode_start, p.periode_eind],
                "status": "vastgesteld" if adopted else "concept",
                "adopted_on": adopted.vastgesteld_op.isoformat() if adopted else None,
                "version": (latest.nummer + 1) if latest else 1,
                "versions": [
                    {"number": v.nummer, "status": v.status}
                    for v in PlanVersie.objects.filter(plan=p).order_by("nummer")
                ],
                "steps": {str(s.nummer): s.status for s in p.stappen.all()},
            }
        )
    if args.json:
        print(json.dumps(plans, ensure_ascii=False, indent=2))
    else:
        for p in plans:
            period = "–".join(str(y) for y in p["period"])
            print(f"{p['id']:>4}  {p['title']}  {period}  ({', '.join(p['municipalities'])})")
    return 0


def _get_plan(pk: str):
    from ivp.plans.models import Plan

    try:
        return Plan.objects.get(pk=pk)
    except (Plan.DoesNotExist, ValueError):
        print(f"ivp: no plan with id {pk!r} (see 'ivp plan list')", file=sys.stderr)
        return None


def cmd_plan_export(args: argparse.Namespace) -> int:
    from django.utils.text import slugify

    from ivp.beleidsplan.content import plan_backup
    from ivp.beleidsplan.models import PlanVersie
    from ivp.documents.exports import UnknownExport, export

    plan = _get_plan(args.plan)
    if plan is None:
        return 1
    frozen = None
    if args.version is not None:
        frozen = PlanVersie.objects.filter(plan=plan, nummer=args.version).first()
        if frozen is None:
            numbers = list(PlanVersie.objects.filter(plan=plan).values_list("nummer", flat=True))
            print(
                f"ivp: plan {plan.pk} has no frozen version {args.version} "
                f"(frozen: {numbers or 'none'})",
                file=sys.stderr,
            )
            return 1
    if args.format == "xlsx" and args.document == "uitvoeringsplan":
        from ivp.uitvoering.models import Uitvoeringsplan
        from ivp.uitvoering.spreadsheet import export_xlsx

        plans = Uitvoeringsplan.objects.filter(plan=plan).order_by("-jaar")
        up = plans.filter(jaar=args.year).first() if args.year else plans.first()
        if up is None:
            years = sorted(plans.values_list("jaar", flat=True))
            print(
                f"ivp: plan {plan.pk} has no implementation plan"
                + (f" for {args.year}" if args.year else "")
                + (f" (years: {', '.join(map(str, years))})" if years else ""),
                file=sys.stderr,
            )
            return 1
        content = export_xlsx(up, public=not args.internal)
        filename = f"uitvoeringsplan-{up.jaar}.xlsx"
    elif args.format == "json":
        data = frozen.inhoud if frozen else plan_backup(plan)
        content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        filename = f"{slugify(plan.titel)}.json"
    else:
        try:
            options = {"public": not args.internal}
            if frozen is not None:
                options["content"] = frozen.inhoud
            if args.year is not None:
                options["year"] = args.year
            if args.period is not None:
                options["period"] = args.period
            if args.municipality:
                options["municipality"] = args.municipality
            content, _type, filename = export(plan, args.document, args.format, **options)
        except UnknownExport as error:
            print(f"ivp: {error}", file=sys.stderr)
            return 2
        except TypeError:
            print(
                f"ivp: document {args.document!r} cannot be exported with "
                "--version/--year/--period",
                file=sys.stderr,
            )
            return 2
    out = args.out or filename
    with open(out, "wb") as handle:
        handle.write(content)
    print(f"ivp: wrote {out} ({len(content):,} bytes)")
    return 0


def cmd_plan_progress(args: argparse.Namespace) -> int:
    from ivp.sturing.cli import progress_command

    plan = _get_plan(args.plan)
    if plan is None:
        return 1
    return progress_command(plan, args)


def read_json_file(path: str, *, what: str = "file") -> tuple[object, str | None]:
    """Read a JSON file a user gives: (data, None) or (None, one-line error). Refuses
    files above IVP_UPLOAD_MAX_MB, broken or truncated JSON and JSON nested too deep."""
    from django.conf import settings

    limit = settings.IVP_UPLOAD_MAX_MB
    try:
        size = os.path.getsize(path)
        if size > limit * 1024 * 1024:
            return None, f"{path} is larger than {limit} MB (IVP_UPLOAD_MAX_MB)"
        with open(path, encoding="utf-8") as handle:
            return json.load(handle), None
    except OSError as error:
        return None, f"cannot read {path}: {error.strerror or error}"
    except UnicodeDecodeError:
        return None, f"{path} is not UTF-8 text"
    except json.JSONDecodeError as error:
        return (
            None,
            f"{path} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
        )
    except RecursionError:
        return None, f"{path} is nested too deeply to be a {what}"


def cmd_plan_import(args: argparse.Namespace) -> int:
    """Exit codes: 0 imported, 1 not found or refused (already present), 2 invalid file."""
    from ivp.accounts.models import User
    from ivp.beleidsplan.content import DuplicatePlanError, PlanImportError, import_plan

    data, error = read_json_file(args.file, what="plan export")
    if error:
        print(f"ivp: {error}; nothing was stored", file=sys.stderr)
        return 2
    if args.user:
        user = User.objects.filter(username=args.user).first()
        if user is None:
            print(f"ivp: no user {args.user!r}", file=sys.stderr)
            return 1
    else:
        user = User.objects.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            print("ivp: give --user USERNAME (the new plan's coordinator)", file=sys.stderr)
            return 1
    try:
        plan = import_plan(data, by=user, as_new=args.as_new)
    except DuplicatePlanError as error:
        print(f"ivp: {args.file} was not imported: {error.problems[0][1]}", file=sys.stderr)
        return 1
    except PlanImportError as error:
        first = "; ".join(f"{path}: {message}" for path, message in error.problems[:3])
        more = f" (and {len(error.problems) - 3} more)" if len(error.problems) > 3 else ""
        print(
            f"ivp: {args.file} was not imported, nothing was stored: {first}{more}", file=sys.stderr
        )
        if args.verbose:
            for path, message in error.problems:
                print(f"  {path}: {message}", file=sys.stderr)
        return 2
    print(f"ivp: imported plan {plan.pk} ‘{plan.titel}’ (coordinator {user.username})")
    for note in getattr(plan, "import_notes", []):
        print(f"ivp: note: {note}", file=sys.stderr)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ivp manage", *args.rest])
    return 0


# set by ``main`` when the command that ran may leave at once (see ``console``)
_EXIT_AT_ONCE = False


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ivp",
        description="ivp — werkbank voor integraal veiligheidsbeleid (Kernbeleid Veiligheid).",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an unexpected error"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="set up the demo (migrate, content, demo plan) and serve it")
    demo.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on")
    demo.add_argument("--no-serve", action="store_true", help="set up and print the login only")
    demo.set_defaults(handler=cmd_demo, needs_db=False)

    plan = sub.add_parser("plan", help="list plans and export their documents")
    plan_sub = plan.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    plan_list = plan_sub.add_parser("list", help="list the plans")
    plan_list.add_argument("--json", action="store_true", help="print JSON")
    plan_list.set_defaults(handler=cmd_plan_list)
    plan_export = plan_sub.add_parser("export", help="write a document of a plan to a file")
    plan_export.add_argument("plan", help="plan id (see 'ivp plan list')")
    plan_export.add_argument(
        "--document",
        default="startnotitie",
        help=(
            "startnotitie, veiligheidsanalyse, prioritering, prioritering-slides, ivp, "
            "uitvoeringsplan, voortgangsrapportage, jaarbeeld"
        ),
    )
    plan_export.add_argument(
        "--format", default="docx", choices=["docx", "pdf", "html", "json", "pptx", "xlsx"]
    )
    plan_export.add_argument(
        "--version", type=int, help="a frozen version (see 'ivp plan list --json')"
    )
    plan_export.add_argument("--year", type=int, help="year (implementation plan, jaarbeeld)")
    plan_export.add_argument(
        "--period", help="period of a voortgangsrapportage: YYYY-Qn, YYYY-MM or YYYY"
    )
    plan_export.add_argument(
        "--municipality",
        help="a joint plan: the document for this member's council (code or name)",
    )
    plan_export.add_argument("--out", help="file to write (default: a name from the plan)")
    plan_export.add_argument(
        "--internal", action="store_true", help="include confidential sections"
    )
    plan_export.set_defaults(handler=cmd_plan_export)
    plan_progress = plan_sub.add_parser(
        "progress", help="where a running plan stands (step 6): measures and indicators"
    )
    plan_progress.add_argument("plan", help="plan id (see 'ivp plan list')")
    plan_progress.add_argument("--json", action="store_true", help="print JSON")
    plan_progress.add_argument("--period", help="YYYY-Qn, YYYY-MM or YYYY (default: current)")
    plan_progress.add_argument("--internal", action="store_true", help="include confidential parts")
    plan_progress.set_defaults(handler=cmd_plan_progress)
    plan_import = plan_sub.add_parser("import", help="restore a plan exported as JSON (new plan)")
    plan_import.add_argument("file", help="a file written by 'ivp plan export --format json'")
    plan_import.add_argument("--user", help="username of the new plan's coordinator")
    plan_import.add_argument(
        "--as-new",
        action="store_true",
        help="import a plan that is already here (same UUID or same file) as a new plan",
    )
    plan_import.add_argument(
        "--verbose", action="store_true", help="list every problem of an invalid file"
    )
    plan_import.set_defaults(handler=cmd_plan_import)

    manage = sub.add_parser("manage", help="run a Django management command (migrate, …)")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=cmd_manage, needs_db=False)

    for module_name in COMMAND_MODULES:
        if importlib.util.find_spec(module_name) is not None:
            importlib.import_module(module_name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; an error the user can act on is one line on stderr (exit code 1,
    or 2 for usage and set-up), never a traceback unless ``--debug`` or ``IVP_DEBUG``."""
    from ivp.cli import errors

    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv or os.environ.get("IVP_DEBUG", "").lower() in ("1", "true", "yes")
    try:
        _setup_django()
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "handler", None):
            parser.print_help()
            return 2
        if getattr(args, "needs_db", True):
            from ivp.cli.embedded import ensure_database

            ensure_database()
        code = int(args.handler(args) or 0)
        global _EXIT_AT_ONCE
        _EXIT_AT_ONCE = bool(getattr(args, "exit_at_once", False))
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `ivp analyse --all | head`
        sys.stderr.close()
        return 0
    except Exception as error:
        if debug:
            raise
        line, code = errors.describe(error)
        print(f"ivp: {line}", file=sys.stderr)
        return code


def console() -> None:
    """The ``ivp`` command as installed (``[project.scripts]``). A read-only command that
    asks for it (``exit_at_once``: ``ivp analyse``) leaves without the interpreter's
    tear-down of every module and cached object, about a fifth of a one-gemeente run:
    its output is flushed first, it holds no open file or transaction, and the database
    connection is closed."""
    argv = sys.argv[1:]
    code = main(argv)
    if _EXIT_AT_ONCE:
        from django.db import connections

        connections.close_all()
        import contextlib

        for stream in (sys.stdout, sys.stderr):
            # a reader that left (`| head`) or a stream already closed: nothing to flush
            with contextlib.suppress(BrokenPipeError, ValueError):
                stream.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    console()
