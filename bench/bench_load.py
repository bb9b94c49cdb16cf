"""Load on a real server (issue 11): ``ivp serve`` (gunicorn, 3 workers × 4 threads) on
PostgreSQL with the demo loaded, loopback only, bounded in time.

Readers are an open loop: 20 requests/s offered, spread evenly over the plan overview, the
veiligheidsanalyse (step 2), the IVP composer and the uitvoeringsplan page, each request
on its own thread so a slow answer never lowers the offered rate; a request's time counts
from the moment it was due, so waiting for a free thread or connection is not hidden.
Beside them, 5 writers each save their own step-2 text in a loop. Prints p50/p95/p99 and
errors per page; target on a 2-core machine: p95 < 500 ms and 0 errors for the four pages,
0 errors for the writers.

PostgreSQL: ``IVP_BENCH_LOAD_DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/ivp_bench_load``), a scratch database that is created
and loaded with the demo when it is missing (reused after that). When PostgreSQL does not
answer, the benchmark says so and is skipped. ``IVP_BENCH_LOAD_SECONDS`` (default 40) and
``IVP_BENCH_LOAD_RATE`` (default 20) change the load.

Run alone: ``.venv/bin/python bench/bench_load.py``.
"""

from __future__ import annotations

import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ivp_bench_load"
PASSWORD = "ivp-demo-2027"  # noqa: S105 - the demo login, printed by `ivp demo`
WRITERS = 5
WARMUP_SECONDS = 8


def _pages(plan: int) -> dict[str, str]:
    return {
        "plan overview": f"/plannen/{plan}/",
        "analyse (step 2)": f"/plannen/{plan}/analyse/",
        "IVP composer": f"/plannen/{plan}/ivp/",
        "uitvoeringsplan": f"/plannen/{plan}/uitvoering/2027/",
    }


def _ivp(*args: str, env: dict, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "ivp.cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _postgres(url: str) -> str | None:
    """None when the scratch database can be used (created when missing), else why not."""
    import psycopg

    base, _sep, name = url.rpartition("/")
    try:
        with psycopg.connect(
            f"{base}/postgres".replace("postgres://", "postgresql://", 1),
            connect_timeout=3,
            autocommit=True,
        ) as conn:
            exists = conn.execute(
                "select 1 from pg_database where datname = %s", (name,)
            ).fetchone()
            if not exists:
                conn.execute(f'create database "{name}"')
    except Exception as error:  # noqa: BLE001 - any failure means: skip
        return " ".join(str(error).split())[:200]
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _login(base: str, username: str):
    import httpx

    client = httpx.Client(base_url=base, timeout=30, follow_redirects=False)
    page = client.get("/account/inloggen/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        "/account/inloggen/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/"},
    )
    if response.status_code != 302:
        raise RuntimeError(f"login of {username} failed ({response.status_code})")
    client.get("/")
    client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
    client.headers["Referer"] = base + "/"
    return client


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.errors: dict[str, list[str]] = {}

    def record(self, name: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times.setdefault(name, []).append(seconds)
            self.errors.setdefault(name, [])
            if error:
                self.errors[name].append(error)


def _get(client, recorder: Recorder, name: str, path: str, due: float | None = None) -> None:
    """One request; its time counts from ``due`` (when the open loop meant to send it), so
    time spent waiting for a free client thread or connection is not hidden."""
    start = time.perf_counter() if due is None else due
    error = None
    try:
        response = client.get(path)
        if response.status_code != 200:
            error = f"HTTP {response.status_code}"
    except Exception as exc:  # noqa: BLE001 - counted as an error
        error = type(exc).__name__
    recorder.record(name, time.perf_counter() - start, error)


def _writer(client, recorder: Recorder, plan: int, subject: str, stop: threading.Event) -> None:
    prefix = "o" + subject.replace(".", "_").lower()
    # a text no earlier run stored: saving the stored text again keeps its version, and the
    # writer would then count on a version that does not exist
    run = f"{time.time():.0f}"
    version = None
    n = 0
    while not stop.is_set():
        if version is None:
            page = client.get(f"/plannen/{plan}/analyse/veld/{subject[0]}/").text
            found = re.search(rf'name="{prefix}-version" value="(\d+)"', page)
            version = int(found.group(1)) if found else 0
        n += 1
        start = time.perf_counter()
        error = None
        try:
            response = client.post(
                f"/plannen/{plan}/analyse/tekst/{subject}/",
                data={f"{prefix}-version": version, f"{prefix}-probleem": f"belasting {run}-{n}"},
                headers={"HX-Request": "true"},
            )
            if response.status_code != 200 or "De tekst is opgeslagen." not in response.text:
                error = f"HTTP {response.status_code}" + (
                    " (not saved)" if response.status_code == 200 else ""
                )
                version = None
            else:
                version += 1
        except Exception as exc:  # noqa: BLE001 - counted as an error
            error = type(exc).__name__
            version = None
        recorder.record("5 writers (step-2 texts)", time.perf_counter() - start, error)
        stop.wait(1.0)


def run() -> list[tuple[str, float, str]]:
    url = os.environ.get("IVP_BENCH_LOAD_DATABASE_URL", DEFAULT_URL)
    seconds = float(os.environ.get("IVP_BENCH_LOAD_SECONDS", "40"))
    rate = float(os.environ.get("IVP_BENCH_LOAD_RATE", "20"))
    problem = _postgres(url)
    if problem:
        print(f"load benchmark skipped: PostgreSQL is not reachable ({problem})")
        return []
    with tempfile.TemporaryDirectory(prefix="ivp-load-") as tmp:
        return _run(url, Path(tmp), seconds, rate)


def _run(url: str, tmp: Path, seconds: float, rate: float) -> list[tuple[str, float, str]]:
    import httpx

    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "ivp.conf.production",
        "DATABASE_URL": url,
        "IVP_VAR_DIR": str(tmp),
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "IVP_REDIS_URL": "",
        "AXES_FAILURE_LIMIT": "1000",
        # under `make bench` the earlier benchmarks set up the embedded default in this
        # process, whose settings put the demo's mail outbox in the environment; production
        # refuses it
        "IVP_MAIL_OUTBOX": "false",
        "IVP_EMAIL_BACKEND": "console",
    }
    started = time.perf_counter()
    listing = _ivp("plan", "list", "--json", env=env)
    plans = json.loads(listing.stdout) if listing.returncode == 0 and listing.stdout else []
    if not any("(demo)" in p["title"] for p in plans):
        print("load benchmark: loading the demo into the scratch database…", flush=True)
        demo = _ivp("demo", "--no-serve", env=env, timeout=600)
        if demo.returncode != 0:
            raise RuntimeError("ivp demo --no-serve failed: " + demo.stderr[-500:])
        plans = json.loads(_ivp("plan", "list", "--json", env=env).stdout)
    else:
        _ivp("demo", "--no-serve", env=env, timeout=600)  # migrate; reset the demo logins
    plan = next(p["id"] for p in plans if "(demo)" in p["title"])
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(tmp / "server.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "ivp.cli.main", "serve", "--addr", f"127.0.0.1:{port}"]
        + ["--workers", "3", "--threads", "4"],
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(base + "/account/inloggen/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                log.flush()
                raise RuntimeError(
                    "ivp serve did not start: " + (tmp / "server.log").read_text()[-800:]
                )
            time.sleep(0.3)
        setup = time.perf_counter() - started
        return _load(base, plan, seconds, rate, setup, server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        errors = [
            line for line in (tmp / "server.log").read_text().splitlines() if "Traceback" in line
        ]
        if errors:
            print(f"server log: {len(errors)} traceback(s); see the log of `ivp serve`")


def _cpu_seconds(root: int) -> float | None:
    """Processor time (user + system) so far of ``root`` and its child processes (the
    gunicorn master and its workers), from /proc; None where there is no /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    found = False
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after the name: state, ppid, …; utime and stime are the 12th and 13th
        if int(entry.name) == root or int(fields[1]) == root:
            total += (int(fields[11]) + int(fields[12])) / ticks
            found = True
    return total if found else None


def _load(base: str, plan: int, seconds: float, rate: float, setup: float, server: int):
    pages = _pages(plan)
    readers = [_login(base, "demo") for _ in range(4)]
    writers = [_login(base, "demo") for _ in range(WRITERS)]
    subjects = ["2.1", "2.2", "3.1", "4.1", "5.1"]
    # warm every worker process (first requests load code and caches), on the pages the
    # readers ask for and on the step-2 field pages the writers save on: a server that has
    # run for a while has both warm, and the load measures that steady state
    warm = Recorder()
    warm_pages = {
        **pages,
        **{f"field {s[0]}": f"/plannen/{plan}/analyse/veld/{s[0]}/" for s in subjects},
    }
    with ThreadPoolExecutor(max_workers=12) as pool:
        deadline = time.monotonic() + WARMUP_SECONDS
        while time.monotonic() < deadline:
            list(
                pool.map(
                    lambda item: _get(readers[item[0] % 4], warm, *item[1]),
                    enumerate(warm_pages.items()),
                )
            )
    recorder = Recorder()
    stop = threading.Event()
    writer_threads = [
        threading.Thread(target=_writer, args=(writers[i], recorder, plan, subjects[i], stop))
        for i in range(WRITERS)
    ]
    for thread in writer_threads:
        thread.start()
    names = list(pages)
    interval = 1.0 / rate
    sent = 0
    cpu_before = _cpu_seconds(server)
    with ThreadPoolExecutor(max_workers=128) as pool:
        begin = time.perf_counter()
        while True:
            due = begin + sent * interval
            now = time.perf_counter()
            if now - begin >= seconds:
                break
            if due > now:
                time.sleep(due - now)
            name = names[sent % len(names)]
            pool.submit(_get, readers[sent % len(readers)], recorder, name, pages[name], due)
            sent += 1
        achieved = sent / (time.perf_counter() - begin)
        stop.set()
    for thread in writer_threads:
        thread.join(timeout=60)
    cpu_after = _cpu_seconds(server)
    served = sum(len(v) for v in recorder.times.values())
    for client in readers + writers:
        client.close()

    print(
        f"\nload: {seconds:.0f} s, readers offered {rate:.0f} req/s (sent {achieved:.1f}/s), "
        f"{WRITERS} writers; set-up {setup:.0f} s"
    )
    print(f"{'page':<28}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    rows = []
    for name in [*names, "5 writers (step-2 texts)"]:
        times = [t * 1000 for t in recorder.times.get(name, [])]
        errors = recorder.errors.get(name, [])
        p50, p95, p99 = (_percentile(times, q) for q in (50, 95, 99))
        print(f"{name:<28}{len(times):>6}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}{len(errors):>8}")
        if errors:
            print(f"    errors: {sorted(set(errors))[:5]}")
        rows += [
            (f"load {name}: p50", p50, "ms"),
            (f"load {name}: p95", p95, "ms"),
            (f"load {name}: p99", p99, "ms"),
            (f"load {name}: errors of {len(times)}", float(len(errors)), "count"),
        ]
    if cpu_before is not None and cpu_after is not None and served:
        # what the server itself spent per request, whatever else the machine runs: at 20
        # requests/s two cores give at most 100 ms each (PostgreSQL and the client included)
        per_request = (cpu_after - cpu_before) / served * 1000
        load1 = os.getloadavg()[0]
        print(
            f"server processor time per request (gunicorn workers): {per_request:.0f} ms; "
            f"load average at the end {load1:.1f} on {os.cpu_count()} cores"
        )
        rows.append(("load server processor time per request", per_request, "ms"))
    all_reads = [t for n in names for t in recorder.times.get(n, [])]
    if all_reads:
        rows.append(("load all pages: mean", statistics.mean(all_reads) * 1000, "ms"))
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    for label, value, unit in run():
        print(f"{label:<60} {value:>10.1f} {unit}")
