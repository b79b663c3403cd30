"""The web registry under load: 100,000 synthetic patients in PostgreSQL, waitress, 20
concurrent clients on loopback for 60 s over the list, search and patient pages, the MDT
board of a meeting with 30 cases and the cohort dashboard.

A 10 s warm-up with the same clients precedes the measured run (see ``WARM_UP``).

Targets: patient page p95 <= 150 ms, list page p95 <= 200 ms, MDT board (30 cases) p95 <=
300 ms, dashboard p95 <= 500 ms, no error. Baseline, in the same
run and with the same clients: a static file served by the same server (WhiteNoise), the cost
of the HTTP round trip itself. Patients are chosen at random, so most patient pages miss the
verdict cache and classify on the request.

Beside the latencies, each run prints where the machine's CPU went per request: the server's
processes, the database's (the postmaster and its backends, when the database runs on this
machine), this client process, and everything else on the machine (``psutil``).

Usage: ``python benchmarks/web.py [N] [SECONDS]``; the database is ``DATABASE_URL`` or a
throw-away PostgreSQL cluster (``tests/postgres_cluster.py``).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from datetime import date
from pathlib import Path

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
CLIENTS = 20
WARM_UP = 10.0  # seconds of the same load before the measured run
WORKERS = int(os.environ.get("RAIRTC_BENCH_WORKERS", os.cpu_count() or 1))
TARGETS = {"patient": 0.150, "list": 0.200, "board": 0.300, "dashboard": 0.500}
MEETING = date(2025, 6, 27)
BOARD_CASES = 30
BATCH = 2_000
PASSWORD = "benchmark-password"
ROOT = Path(__file__).parents[1]


@contextlib.contextmanager
def database() -> Iterator[str]:
    url = os.environ.get("DATABASE_URL")
    if url:
        yield url
        return
    sys.path.insert(0, str(ROOT))
    from tests import postgres_cluster

    with postgres_cluster.cluster() as url:
        yield url


def load(url: str) -> tuple[list[str], list[str]]:
    """Synthetic patients written in bulk through the web app's converters; returns the ids
    and a few MRNs and name fragments to search for."""
    from rairtc.synth.registry import synthetic_patients
    from rairtc.web.server import prepare

    prepare(url)
    from django.db import transaction

    from rairtc.web.accounts.roles import Role
    from rairtc.web.accounts.users import create_user
    from rairtc.web.registry import models as m
    from rairtc.web.registry.convert import to_rows
    from rairtc.web.registry.verdicts import pseudonym_key, summary_row

    create_user("bench", PASSWORD, Role.CLINICIAN)
    if m.Patient.objects.count() >= N:
        ids = list(m.Patient.objects.values_list("id", flat=True)[:N])
    else:
        start = time.perf_counter()
        patients = synthetic_patients(N, 2024)
        print(f"generated {N:,} patients in {time.perf_counter() - start:.0f} s", flush=True)
        start, key, today = time.perf_counter(), pseudonym_key(), date(2025, 6, 30)
        for first in range(0, N, BATCH):
            chunk = patients[first : first + BATCH]
            rows = [to_rows(p) for p in chunk]
            with transaction.atomic():
                m.Patient.objects.bulk_create([r.patient for r in rows])
                m.Identifiers.objects.bulk_create([r.identifiers for r in rows if r.identifiers])
                for model, name in (
                    (m.Surgery, "surgeries"),
                    (m.RaiCourse, "courses"),
                    (m.Imaging, "imaging"),
                    (m.Lab, "labs"),
                    (m.Mdt, "mdt"),
                ):
                    model.objects.bulk_create([x for r in rows for x in getattr(r, name)])
                findings = [f for r in rows for f in r.findings]
                for f in findings:
                    f.imaging_id = f.imaging.pk
                m.Finding.objects.bulk_create(findings)
                recommendations = [x for r in rows for x in r.recommendations]
                for x in recommendations:
                    x.mdt_id = x.mdt.pk
                m.MdtRecommendation.objects.bulk_create(recommendations)
                m.ClassificationSummary.objects.bulk_create(
                    [summary_row(p, today, key) for p in chunk]
                )
        print(f"stored {N:,} patients in {time.perf_counter() - start:.0f} s", flush=True)
        ids = [p.id for p in patients]
    from django.db import connection

    from rairtc.web.registry.revision import bump

    bump()  # rows written in bulk, outside the store: registry-wide caches must not reuse keys
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # fresh statistics and visibility map (index-only scans)
    from rairtc.web.cycle.models import AgendaItem

    if not AgendaItem.objects.filter(meeting=MEETING).exists():
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=MEETING, patient_id=pid, added_by="bench")
            for pid in random.Random(14).sample(ids, min(BOARD_CASES, len(ids)))
        )
    sample = list(m.Identifiers.objects.order_by("?").values_list("mrn", "full_name")[:200])
    # half MRNs, half full names as a clinician types them (any case)
    searches = [mrn for mrn, _ in sample[:100]] + [name.lower() for _, name in sample[100:]]
    from django.db import connections

    connections.close_all()
    return ids, searches


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def session_cookie(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/login/")
    response = conn.getresponse()
    page = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf_cookie and token
    body = urllib.parse.urlencode(
        {"username": "bench", "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    )
    conn.request(
        "POST",
        "/login/",
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie.group(1)}",
            "Referer": f"http://127.0.0.1:{port}/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
    assert response.status == 302 and session, response.status
    return f"sessionid={session.group(1)}"


def drive(
    port: int, cookie: str, paths: dict[str, list[str]], seconds: float, clients: int = CLIENTS
) -> tuple[dict[str, list[float]], dict[str, int], float]:
    timings: dict[str, list[float]] = {kind: [] for kind in paths}
    errors: dict[str, int] = dict.fromkeys(paths, 0)
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        kinds = list(paths)
        while time.perf_counter() < stop:
            kind = rng.choice(kinds)
            path = rng.choice(paths[kind])
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = time.perf_counter() - start
            with lock:
                timings[kind].append(elapsed)
                if not ok:
                    errors[kind] += 1

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return timings, errors, time.perf_counter() - start


def tree_seconds(pid: int) -> float:
    """CPU seconds of a process and all its descendants, the finished ones included (a
    parent's ``children_*`` times hold the children it has reaped)."""
    import psutil

    total = 0.0
    root = psutil.Process(pid)
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            t = process.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
    return total


def busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (every core, every process)."""
    import psutil

    t = psutil.cpu_times()
    return float(sum(t) - t.idle - getattr(t, "iowait", 0.0))


def postmaster(url: str) -> int | None:
    """The database server's process id when it runs on this machine, else None."""
    import psutil
    import psycopg

    host = urllib.parse.urlsplit(url).hostname or ""
    if host not in ("127.0.0.1", "localhost", "::1"):
        return None
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT pg_backend_pid()").fetchone()
    return None if row is None else psutil.Process(int(row[0])).ppid()


class CpuMeter:
    """CPU seconds spent during a run by the server, the database, this client and the rest."""

    def __init__(self, server: int, database: int | None) -> None:
        self.server, self.database = server, database

    def sample(self) -> dict[str, float]:
        import psutil

        t = psutil.Process().cpu_times()
        found = {
            "server": tree_seconds(self.server),
            "database": tree_seconds(self.database) if self.database else 0.0,
            "client": t.user + t.system,
            "machine": busy_seconds(),
        }
        return found

    @contextlib.contextmanager
    def measure(self) -> Iterator[dict[str, float]]:
        spent: dict[str, float] = {}
        before = self.sample()
        yield spent
        after = self.sample()
        spent.update({k: after[k] - before[k] for k in before})
        spent["other"] = spent["machine"] - spent["server"] - spent["database"] - spent["client"]


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def report(
    label: str,
    timings: dict[str, list[float]],
    errors: dict[str, int],
    wall: float,
    cpu: dict[str, float],
) -> None:
    total = sum(len(v) for v in timings.values())
    print(f"{label}: {total:,} requests in {wall:.0f} s = {total / wall:,.1f} req/s")
    if total:
        each = {k: v / total * 1000 for k, v in cpu.items()}
        print(
            f"  CPU per request: server {each['server']:.2f} ms, database "
            f"{each['database']:.2f} ms, client {each['client']:.2f} ms "
            f"({cpu['client'] / max(cpu['machine'], 1e-9):.0%} of the machine's busy CPU), "
            f"other processes {each['other']:.2f} ms; machine busy "
            f"{cpu['machine'] / wall / (os.cpu_count() or 1):.0%} of {os.cpu_count()} cores"
        )
    for kind, values in timings.items():
        if not values:
            continue
        p50, p95 = p(values, 50) * 1000, p(values, 95) * 1000
        target = TARGETS.get(kind)
        verdict = "" if target is None else (" meets" if p95 <= target * 1000 else " MISSES")
        goal = "" if target is None else f" (target p95 <= {target * 1000:.0f} ms{verdict})"
        print(
            f"  {kind:8} n={len(values):6,}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
            f"errors {errors[kind]}{goal}"
        )


def main() -> None:
    with database() as url, tempfile.TemporaryDirectory() as data:
        os.environ["RAIRTC_DATA_DIR"] = data
        ids, searches = load(url)
        load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
        port = free_port()
        env = dict(os.environ, RAIRTC_DATABASE_URL=url, RAIRTC_DATA_DIR=data)
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "rairtc.cli", "serve", "--port", str(port)),
                *("--database", url, "--workers", str(WORKERS)),
            ],
            env=env,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(180):  # migrations and the workers' warm-up first (3 min at most)
                with contextlib.suppress(OSError, http.client.HTTPException):
                    probe = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                    probe.request("GET", "/healthz")
                    if probe.getresponse().status == 200:
                        break
                time.sleep(1)
            cookie = session_cookie(port)
            meter = CpuMeter(server.pid, postmaster(url))
            pages = max(1, min(N // 50, 2000))
            paths = {
                "list": [f"/patients/?page={k}" for k in range(1, pages + 1)]
                + [f"/patients/?status=refractory&page={k}" for k in range(1, 20)]
                + [f"/patients/?sort=-onset&page={k}" for k in range(1, 20)],
                "search": [f"/patients/?q={urllib.parse.quote(q)}" for q in searches],
                "patient": [f"/patients/{pid}/" for pid in ids],
                "board": [f"/mdt/{MEETING.isoformat()}/"],
                "dashboard": ["/dashboard/", "/dashboard/?from=2010&to=2020"],
            }
            baseline = {"static": ["/static/rairtc/app.css"]}
            with meter.measure() as base_cpu:
                base = drive(port, cookie, baseline, min(SECONDS, 20))
            # Warm-up, not measured: each worker process fills its caches once (the board's
            # 30 case summaries, the dashboard's counts, the list's totals) as a running
            # server has long done; the patients stay random, so patient pages stay cold.
            drive(port, cookie, paths, WARM_UP)
            with meter.measure() as load_cpu:
                timings, errors, wall = drive(port, cookie, paths, SECONDS)
            with meter.measure() as alone_cpu:
                alone = drive(port, cookie, paths, min(SECONDS, 20), clients=1)
            load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(
        f"web: {N:,} patients in PostgreSQL, waitress ({WORKERS} worker(s) x 8 threads), "
        f"{CLIENTS} clients, {os.cpu_count()} CPU cores; load average before {load_before}, "
        f"after {load_after} (the machine's other work competes for the cores)"
    )
    report("baseline (static file)", *base, base_cpu)
    report(f"pages, {CLIENTS} clients", timings, errors, wall, load_cpu)
    report("pages, one client (service time without queueing)", *alone, alone_cpu)
    static_p95 = p(base[0]["static"], 95)
    for kind in ("list", "search", "patient", "board", "dashboard"):
        if timings[kind]:
            print(f"  {kind} p95 / static p95 = {p(timings[kind], 95) / static_p95:.1f}x")


if __name__ == "__main__":
    main()
