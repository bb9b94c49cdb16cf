"""Many users at once on the embedded default: real parallel HTTP requests (threads) to
``ivp serve`` (gunicorn, three worker processes) on a file-based SQLite database, with a
job worker beside it.

Saves of different texts all succeed; saves of the same text are refused cleanly by the
optimistic lock (the user's input stays in the form); saves that arrive during a long write
wait for it and succeed. No request answers 500 and no input is lost.
"""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import httpx
import pytest

SETUP = """
import django
django.setup()
from decimal import Decimal
from ivp.beleidsplan import services as bp
from ivp.plans.factories import PlanFactory, UserFactory, give_role
from ivp.uitvoering import services as uv
plan = PlanFactory(in_analysis=True)
coordinator = plan.rollen.get(rol="coordinator").user
coordinator.username = "coordinator"
coordinator.set_password("geheim-wachtwoord-1")
coordinator.save()
editor = UserFactory(username="redacteur", organisaties=[plan.gemeenten.first()])
editor.set_password("geheim-wachtwoord-1")
editor.save()
give_role(plan, editor, "redacteur")
wijken = bp.add_prioriteit(plan, by=coordinator, titel="Veilige wijken", themas=["1.3"])
up = uv.create_uitvoeringsplan(plan, by=coordinator, jaar=2027)
item = uv.add_onderdeel(up, by=coordinator, titel="Preventie", prioriteit=wijken)
for n in range(150):
    uv.add_maatregel(item, by=coordinator, titel=f"Maatregel {n}", budget=Decimal(1000 + n))
print(plan.pk)
"""
HOLD_WRITE = """
import sys, time, django
django.setup()
from django.db import transaction
from ivp.plans.models import Plan
with transaction.atomic():
    Plan.objects.filter(pk=int(sys.argv[1])).update(toelichting="lange schrijfactie")
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _subjects() -> list[str]:
    from ivp.veiligheidsanalyse.services import onderwerpen

    return [code for code, o in onderwerpen().items() if "probleem" in o.vragen]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder: Path = tmp_path_factory.mktemp("ivp-serve")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ivp.conf.dev",
        "IVP_VAR_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'ivp.sqlite3'}",
        "IVP_REDIS_URL": "",
        "IVP_ACCESS_LOG": "false",
    }
    run = {"env": env, "check": True, "timeout": 300, "capture_output": True, "text": True}
    subprocess.run([sys.executable, "-m", "ivp.cli.main", "manage", "migrate", "-v", "0"], **run)
    plan_pk = int(subprocess.run([sys.executable, "-c", SETUP], **run).stdout.split()[-1])
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "ivp.cli.main", "serve", "--addr", f"127.0.0.1:{port}"]
        + ["--workers", "3", "--threads", "4", "--no-collectstatic"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "server.log", "w"),  # noqa: SIM115 - closed with the folder
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "ivp.cli.main", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "worker.log", "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/account/inloggen/", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            raise AssertionError((folder / "server.log").read_text()[-2000:])
        time.sleep(0.3)
    yield {"base": base, "env": env, "plan": plan_pk, "folder": folder}
    for process in (server, worker):
        process.terminate()
    for process in (server, worker):
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    log = (folder / "server.log").read_text()
    assert "Traceback" not in log, log[-3000:]


def _login(site, username: str) -> httpx.Client:
    client = httpx.Client(base_url=site["base"], timeout=90, follow_redirects=False)
    page = client.get("/account/inloggen/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        "/account/inloggen/",
        data={
            "username": username,
            "password": "geheim-wachtwoord-1",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302, response.text[:500]
    client.get(f"/plannen/{site['plan']}/")  # a fresh CSRF cookie after login
    client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
    client.headers["Referer"] = site["base"] + "/"
    return client


def _save(client: httpx.Client, plan: int, subject: str, version: int, text: str):
    prefix = "o" + subject.replace(".", "_").lower()
    return client.post(
        f"/plannen/{plan}/analyse/tekst/{subject}/",
        data={f"{prefix}-version": str(version), f"{prefix}-probleem": text},
        headers={"HX-Request": "true"},
    )


def _stored(site, subject: str) -> tuple[int, str] | None:
    import sqlite3

    with sqlite3.connect(site["folder"] / "ivp.sqlite3", timeout=30) as db:
        row = db.execute(
            "select version, probleem from veiligheidsanalyse_analysetekst "
            "where plan_id = ? and onderwerp = ?",
            (site["plan"], subject),
        ).fetchone()
    return row


@pytest.fixture(scope="module")
def clients(site):
    made = [_login(site, name) for name in ("coordinator", "redacteur") for _ in range(3)]
    yield made
    for client in made:
        client.close()


def _fire(calls, threads: int = 16):
    """Run the calls at the same moment (a barrier) on parallel threads."""
    barrier = threading.Barrier(len(calls))

    def go(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=max(threads, len(calls))) as pool:
        return list(pool.map(go, calls))


def test_parallel_saves_of_different_texts_all_succeed(site, clients):
    subjects = _subjects()[:12]
    n = len(clients)
    for round_ in range(3):
        calls = [
            partial(_save, clients[i % n], site["plan"], s, round_, f"{s} r{round_}")
            for i, s in enumerate(subjects)
        ]
        # readers at the same time
        calls += [
            partial(clients[i % n].get, f"/plannen/{site['plan']}/analyse/") for i in range(4)
        ]
        responses = _fire(calls)
        assert [r.status_code for r in responses] == [200] * len(calls)
        assert all("De tekst is opgeslagen." in r.text for r in responses[: len(subjects)])
    for subject in subjects:
        assert _stored(site, subject) == (3, f"{subject} r2")


def test_parallel_saves_of_the_same_text_keep_one_and_refuse_the_others(site, clients):
    subject = _subjects()[-1]
    texts = [f"versie van schrijver {n}" for n in range(10)]
    n = len(clients)
    responses = _fire(
        [partial(_save, clients[i % n], site["plan"], subject, 0, t) for i, t in enumerate(texts)]
    )
    assert [r.status_code for r in responses] == [200] * 10
    saved = [r for r in responses if "De tekst is opgeslagen." in r.text]
    refused = [r for r in responses if "heeft deze tekst intussen opgeslagen" in r.text]
    assert len(saved) == 1 and len(refused) == 9
    version, stored = _stored(site, subject)
    assert version == 1 and stored in texts
    # every refused writer still has their own text in the form
    for response, text in zip(responses, texts, strict=True):
        if response in refused:
            assert text in response.text


def test_saves_during_a_long_write_wait_for_it_and_succeed(site, clients):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE, str(site["plan"]), "4"],
        env=site["env"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "holding"
    subjects = _subjects()[12:20]
    n = len(clients)
    started = time.monotonic()
    responses = _fire(
        [
            partial(_save, clients[i % n], site["plan"], s, 0, f"tijdens {s}")
            for i, s in enumerate(subjects)
        ]
    )
    assert holder.wait(timeout=30) == 0
    assert [r.status_code for r in responses] == [200] * len(subjects)
    assert all("De tekst is opgeslagen." in r.text for r in responses)
    assert time.monotonic() - started > 2  # they did wait for the long write
    assert all(_stored(site, s) == (1, f"tijdens {s}") for s in subjects)


def test_saves_during_an_xlsx_apply_succeed_and_the_apply_completes(site, clients):
    from openpyxl import load_workbook

    client = clients[0]
    plan = site["plan"]
    sheet_response = client.get(f"/plannen/{plan}/uitvoering/2027/excel/")
    assert sheet_response.status_code == 200
    book = load_workbook(io.BytesIO(sheet_response.content))
    sheet = book["Maatregelen"]
    header = [c.value for c in sheet[1]]
    budget_column = next(i for i, h in enumerate(header) if h and "Budget" in str(h)) + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, budget_column).value is not None:
            sheet.cell(row, budget_column).value = 5000
    data = io.BytesIO()
    book.save(data)
    preview = client.post(
        f"/plannen/{plan}/uitvoering/2027/excel/inlezen/",
        files={"bestand": ("uitvoeringsplan.xlsx", data.getvalue())},
    )
    assert preview.status_code == 200, preview.text[:300]
    token = re.search(r'name="token" value="([^"]+)"', preview.text).group(1)
    subjects = _subjects()[20:] or _subjects()[:4]
    versions = {s: (_stored(site, s) or (0,))[0] for s in subjects}
    others = clients[1:]
    calls = [
        partial(
            client.post, f"/plannen/{plan}/uitvoering/2027/excel/doorvoeren/", data={"token": token}
        )
    ] + [
        partial(_save, others[i % len(others)], plan, s, versions[s], f"naast de Excel {s}")
        for i, s in enumerate(subjects)
    ]
    responses = _fire(calls)
    apply = responses[0]
    assert apply.status_code == 302 and "/taken/" in apply.headers["Location"]
    assert all(r.status_code == 200 for r in responses[1:])
    assert all("De tekst is opgeslagen." in r.text for r in responses[1:])
    job_url = apply.headers["Location"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        page = client.get(job_url).text
        if "Bekijk het resultaat" in page or "Dit is niet gelukt." in page:
            break
        time.sleep(0.5)
    assert "doorgevoerd: 0 nieuwe en 150 gewijzigde maatregelen" in page
