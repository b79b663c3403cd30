"""``rairtc serve``, ``createuser`` and ``reclassify`` as a user runs them (subprocesses on a
fresh SQLite file)."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

RAIRTC = [sys.executable, "-m", "rairtc.cli"]


def environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "RAIRTC_DATABASE_URL")}
    env |= {
        "RAIRTC_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "rairtc.web.settings",
    }
    return env


def run(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RAIRTC, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment(tmp_path),
        timeout=120,
    )


def test_createuser_reads_the_password_from_stdin_and_stores_the_role(tmp_path: Path) -> None:
    database = tmp_path / "registry.sqlite3"
    done = run(
        tmp_path,
        "createuser",
        "aigerim",
        "--role",
        "manager",
        "--database",
        f"sqlite:///{database}",
        stdin="s3cret-pass\n",
    )
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(database) as db:
        (role,) = db.execute(
            "select role from accounts_profile join auth_user on auth_user.id = user_id where username = 'aigerim'"
        ).fetchone()
        (password,) = db.execute(
            "select password from auth_user where username = 'aigerim'"
        ).fetchone()
    assert role == "manager"
    assert "s3cret-pass" not in password


def test_createuser_refuses_an_unknown_role(tmp_path: Path) -> None:
    done = run(tmp_path, "createuser", "x", "--role", "admin", stdin="pw\n")
    assert done.returncode == 2
    assert "clinician, manager, researcher" in done.stderr


def test_the_demo_refuses_an_address_that_is_not_loopback(tmp_path: Path) -> None:
    done = run(tmp_path, "serve", "--demo", "--host", "0.0.0.0")
    assert done.returncode == 2
    assert "loopback" in done.stderr


def test_reclassify_on_an_empty_registry(tmp_path: Path) -> None:
    done = run(tmp_path, "reclassify", "--database", f"sqlite:///{tmp_path / 'r.sqlite3'}")
    assert done.returncode == 0, done.stderr
    assert "0 patient(s) reclassified" in done.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [*RAIRTC, "serve", "--port", str(port)],
        env=environment(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_answers_health_checks_and_serves_htmx_itself(server: str, tmp_path: Path) -> None:
    with urllib.request.urlopen(server + "/healthz") as response:
        assert (response.status, response.read()) == (200, b"ok")
    with urllib.request.urlopen(server + "/static/django_htmx/htmx-2.min.js") as response:
        assert response.status == 200 and b"htmx" in response.read()
    with urllib.request.urlopen(server + "/login/") as response:
        assert response.headers["Server"] == "rairtc"  # waitress, not runserver
    with sqlite3.connect(tmp_path / "data" / "registry.sqlite3") as db:
        assert db.execute("pragma journal_mode").fetchone() == ("wal",)


def test_two_workers_serve_one_port_and_stop_together(tmp_path: Path) -> None:
    import psutil

    port = free_port()
    process = subprocess.Popen(
        [*RAIRTC, "serve", "--port", str(port), "--workers", "2"],
        env=environment(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        workers = psutil.Process(process.pid).children()
        assert len(workers) == 1
        for _ in range(20):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
                assert response.read() == b"ok"
    finally:
        process.terminate()
        process.wait(timeout=10)
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == []


def test_token_create_prints_a_token_for_an_existing_account(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    made = run(
        tmp_path,
        "createuser",
        "script",
        "--role",
        "researcher",
        "--database",
        database,
        stdin="s3cret-pass\n",
    )
    assert made.returncode == 0, made.stderr
    done = run(tmp_path, "token", "create", "script", "--database", database)
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip()
    assert token.startswith("rt_") and len(token) > 40
    with sqlite3.connect(tmp_path / "registry.sqlite3") as db:
        (digest,) = db.execute("select digest from accounts_apitoken").fetchone()
    import hashlib

    assert digest == hashlib.sha256(token.encode()).hexdigest()


def test_token_create_refuses_an_unknown_account(tmp_path: Path) -> None:
    done = run(
        tmp_path, "token", "create", "nobody", "--database", f"sqlite:///{tmp_path / 'r.sqlite3'}"
    )
    assert done.returncode == 2 and "nobody" in done.stderr
