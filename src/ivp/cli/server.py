"""``ivp serve``: the production web server, gunicorn with several worker processes of a
few threads each (gthread); static files are served by WhiteNoise from the collected
folder. Behind a reverse proxy that ends TLS (see docs/deployment.md)."""

from __future__ import annotations

import argparse
import os
import sys

from ivp.conf.env import config

BIND = config("IVP_BIND", "127.0.0.1:8000", "Address `ivp serve` listens on (host:port).")
WEB_WORKERS = config(
    "IVP_WEB_WORKERS",
    3,
    "Worker processes of `ivp serve` (gunicorn); about 1–2 per core.",
)
WEB_THREADS = config("IVP_WEB_THREADS", 4, "Threads per worker process of `ivp serve`.")
WEB_TIMEOUT = config(
    "IVP_WEB_TIMEOUT", 60, "Seconds a request may take before its worker is restarted."
)
ACCESS_LOG = config("IVP_ACCESS_LOG", False, "`ivp serve` logs every request to stderr.")


def gunicorn_options(
    *, bind: str, workers: int, threads: int, timeout: int, access_log: bool
) -> dict:
    return {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": timeout,
        "graceful_timeout": 30,
        "keepalive": 5,
        "max_requests": 2000,
        "max_requests_jitter": 200,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "ivp",
        # load Django and every view once in the master, so workers start warm (also after
        # max_requests) and share that memory
        "preload_app": True,
        # the proxy on this host sets X-Forwarded-For/-Proto (see docs/deployment.md)
        "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
    }


def run_gunicorn(options: dict) -> None:
    """Serve ivp's WSGI application with gunicorn until it is stopped."""
    from gunicorn.app.base import BaseApplication

    class Application(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                if value is not None:
                    self.cfg.set(key, value)

        def load(self):
            return preload_application()

    Application().run()


def preload_application():
    """The WSGI application as the gunicorn master loads it before forking: Django and every
    view imported, no database connection open, and everything loaded so far frozen for the
    garbage collector. Frozen objects are left out of the collector's full passes, which
    otherwise walk the ~190,000 objects of the loaded code in every worker (about 100 ms
    that stop all its threads; some 10 ms after freezing), and the workers keep sharing
    their pages with the master instead of copying them when the collector touches them."""
    import gc

    from django.core.wsgi import get_wsgi_application
    from django.db import connections
    from django.urls import get_resolver

    application = get_wsgi_application()
    get_resolver().url_patterns  # noqa: B018 - import every view before forking
    connections.close_all()  # no database connection is shared with the workers
    gc.collect()
    gc.freeze()
    return application


def cmd_serve(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if not args.no_collectstatic:
        call_command("collectstatic", interactive=False, verbosity=0)
    print(
        f"ivp: serving on http://{args.addr}/ with {args.workers} workers × {args.threads} "
        f"threads ({os.environ.get('DJANGO_SETTINGS_MODULE')}, {connection.vendor} "
        f"database, jobs: {settings.HUEY['huey_class'].rsplit('.', 1)[-1]})",
        file=sys.stderr,
        flush=True,
    )
    connection.close()  # no connection is shared with the forked workers
    run_gunicorn(
        gunicorn_options(
            bind=args.addr,
            workers=args.workers,
            threads=args.threads,
            timeout=args.timeout,
            access_log=args.access_log or ACCESS_LOG,
        )
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser(
        "serve", help="run the web server (gunicorn; production: behind a reverse proxy)"
    )
    serve.add_argument("--addr", default=BIND, help=f"host:port to listen on (default {BIND})")
    serve.add_argument("--workers", type=int, default=WEB_WORKERS, help="worker processes")
    serve.add_argument("--threads", type=int, default=WEB_THREADS, help="threads per worker")
    serve.add_argument("--timeout", type=int, default=WEB_TIMEOUT, help="request timeout (s)")
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.add_argument(
        "--no-collectstatic", action="store_true", help="do not collect the static files first"
    )
    serve.set_defaults(handler=cmd_serve)
