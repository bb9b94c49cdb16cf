"""``ivp worker`` runs the job queue's consumer; ``ivp jobs`` lists jobs, starts the analysis
of every gemeente in the background and writes a job's result to a file.

    ivp worker                          run queued jobs until stopped (Ctrl-C: finish first)
    ivp jobs list [--json]
    ivp jobs analyse-all --year 2025    queue the veiligheidsbeeld of every gemeente
    ivp jobs result 12 --out alle.json
"""

from __future__ import annotations

import argparse
import json
import logging
import sys


def cmd_worker(args: argparse.Namespace) -> int:
    from django.conf import settings
    from huey.consumer_options import ConsumerConfig
    from huey.contrib.djhuey import HUEY

    from ivp.jobs import registry, services

    registry.load_tasks()
    registry.load_kinds()
    options = dict(settings.HUEY.get("consumer", {}))
    if args.threads:
        options["workers"] = args.threads
    config = ConsumerConfig(**options)
    config.validate()
    logger = logging.getLogger("huey")
    if not logger.handlers:
        config.setup_logger(logger)
        logger.propagate = False  # not twice through the root handler as well
    recovered = services.recover_interrupted(starting=True)
    where = settings.HUEY.get("url") or settings.HUEY.get("filename")
    print(
        f"ivp: worker started ({HUEY.__class__.__name__} {where}, {config.workers} threads)"
        + (f"; {len(recovered)} interrupted job(s) recovered" if recovered else ""),
        file=sys.stderr,
        flush=True,
    )
    from django.db import connection

    connection.close()
    HUEY.create_consumer(**config.values).run()
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from ivp.jobs.models import Job

    jobs = Job.objects.select_related("started_by")[: args.limit]
    rows = [
        {
            "id": j.pk,
            "kind": j.kind,
            "title": j.title,
            "status": j.status,
            "progress": j.progress,
            "message": j.message,
            "error": j.error,
            "started_by": j.started_by.username if j.started_by else None,
            "plan": j.plan_id,
            "created_at": j.created_at.isoformat(),
            "finished_at": j.finished_at.isoformat() if j.finished_at else None,
            "result": j.result_name or None,
        }
        for j in jobs
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            print(f"{r['id']:>5}  {r['status']:<8} {r['progress']:>3}%  {r['title']}")
            if r["error"]:
                print(f"       {r['error']}")
    return 0


def cmd_analyse_all(args: argparse.Namespace) -> int:
    from ivp.jobs import services

    title = "Veiligheidsbeeld van alle gemeenten" + (f" ({args.year})" if args.year else "")
    job = services.start("analysis.batch", by=None, title=title, params={"year": args.year})
    print(f"ivp: queued job {job.pk} ({job.get_status_display()}); see 'ivp jobs list'")
    return 0


def cmd_result(args: argparse.Namespace) -> int:
    from ivp.jobs.models import Job

    job = Job.objects.filter(pk=args.job).first()
    if job is None:
        print(f"ivp: no job {args.job}", file=sys.stderr)
        return 1
    if job.status == Job.Status.FAILED:
        print(f"ivp: job {job.pk} failed: {job.error}", file=sys.stderr)
        return 1
    if not job.has_result:
        print(f"ivp: job {job.pk} has no result (yet): {job.get_status_display()}", file=sys.stderr)
        return 1
    out = args.out or job.result_name
    with job.result_file.open("rb") as source, open(out, "wb") as target:
        target.write(source.read())
    print(f"ivp: wrote {out}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    worker = sub.add_parser("worker", help="run background jobs (the job queue's consumer)")
    worker.add_argument("--threads", type=int, help="jobs run at once (IVP_WORKER_THREADS)")
    worker.set_defaults(handler=cmd_worker)

    jobs = sub.add_parser("jobs", help="background jobs: list, analyse all gemeenten, result")
    jobs_sub = jobs.add_subparsers(dest="jobs_command", metavar="ACTION", required=True)
    listing = jobs_sub.add_parser("list", help="the latest jobs")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--limit", type=int, default=20)
    listing.set_defaults(handler=cmd_list)
    batch = jobs_sub.add_parser(
        "analyse-all", help="queue the veiligheidsbeeld of every gemeente (JSON result)"
    )
    batch.add_argument("--year", type=int, help="reference year (default: the latest)")
    batch.set_defaults(handler=cmd_analyse_all)
    result = jobs_sub.add_parser("result", help="write the result file of a finished job")
    result.add_argument("job", type=int)
    result.add_argument("--out", help="file to write (default: the job's file name)")
    result.set_defaults(handler=cmd_result)
