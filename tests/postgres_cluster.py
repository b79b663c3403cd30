"""A throw-away PostgreSQL 15 cluster on loopback for the tests that need a real server.

The web app and the bulk engine are tested against PostgreSQL as well as their embedded
defaults. ``initdb`` refuses to run as root, so as root the cluster belongs to the
``postgres`` user (the recipe verified on this machine kind); it listens on 127.0.0.1 only,
on a free port, with fsync off, and is removed at the end of the session. Set
``RAIRTC_TEST_DATABASE_URL`` to use a server of your own instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def available() -> bool:
    return bool(os.environ.get("RAIRTC_TEST_DATABASE_URL")) or (PG_BIN / "initdb").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_cluster_owner(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(command)]


@contextmanager
def cluster() -> Iterator[str]:
    """Yield the URL of a fresh cluster's ``postgres`` database; stop and remove it after."""
    own = os.environ.get("RAIRTC_TEST_DATABASE_URL")
    if own:
        yield own
        return
    root = Path(tempfile.mkdtemp(prefix="rairtc-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", _free_port()
    subprocess.run(
        _as_cluster_owner(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        capture_output=True,
    )
    options = f"'-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off'"
    subprocess.run(
        _as_cluster_owner(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(root / "log"),
                "-w",
                "-o",
                options,
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_cluster_owner([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)
