"""Starting the web registry: migrations, the demo, accounts, then waitress.

``rairtc serve`` calls :func:`serve`; nothing here reads the command line.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import signal
import socket
from datetime import date
from pathlib import Path

from rairtc.core.errors import UsageError

DEMO_ACCOUNTS = ("clinician", "manager", "researcher")
DEMO_PASSWORD = "demo"
DEMO_USER = "demo-loader"


def is_loopback(host: str) -> bool:
    """True when every address ``host`` resolves to is a loopback address."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False
    return bool(infos) and all(ipaddress.ip_address(i[4][0]).is_loopback for i in infos)


def prepare(database: str | None) -> None:
    """Configure Django and bring the schema up to date."""
    from rairtc.web import setup

    setup(database)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def load_demo(today: date | None = None) -> int:
    """The embedded demo registry and its three accounts (password ``demo``); patients already
    stored unchanged are not written again. Returns the number of patients written."""
    from rairtc.synth.registry import demo_patients
    from rairtc.web.accounts.roles import Role
    from rairtc.web.accounts.users import create_user
    from rairtc.web.registry.importing import run_import, with_ids

    for name in DEMO_ACCOUNTS:
        create_user(name, DEMO_PASSWORD, Role(name))
    return run_import(DEMO_USER, [with_ids(p) for p in demo_patients()])


def serve(
    host: str,
    port: int,
    database: str | None,
    *,
    demo: bool,
    workers: int = 1,
    threads: int = 8,
) -> None:
    """Waitress on ``host:port``. With several workers the socket is bound once and each forked
    process serves it: Python runs one thread at a time per process, so workers are how a
    multi-core server uses its cores."""
    if demo and not is_loopback(host):
        raise UsageError(
            f"--demo serves known passwords and refuses {host}; use --host 127.0.0.1 (loopback)",
            code="web.demo_not_loopback",
            params={"host": host},
        )
    if workers < 1:
        raise UsageError(
            f"--workers must be at least 1 (got {workers})",
            code="web.workers_invalid",
            params={"workers": workers},
        )
    prepare(database)
    if demo:
        load_demo()
    import waitress
    from django.db import connections

    from rairtc.web.wsgi import application

    listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(1024)  # connections wait in the backlog while the workers warm up
    warm()
    connections.close_all()  # every worker opens its own database connections
    signal.signal(signal.SIGTERM, _exit)  # so that `finally` stops the workers
    children: list[int] = []
    for _ in range(workers - 1):
        pid = os.fork()
        if pid == 0:
            children = []
            break
        children.append(pid)
    try:
        waitress.serve(application, sockets=[listener], threads=threads, ident="rairtc")
    finally:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)


def warm() -> None:
    """Do before the workers fork what every worker's first requests would otherwise do, each
    for itself and while its other threads wait: import every view and what the views import
    lazily (the dashboard's Wilson interval imports statsmodels, seconds on a busy machine),
    compile every template and load the three languages' catalogs."""
    import importlib

    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    for module in ("rairtc.study.rates", "rairtc.explain", "rairtc.web.text"):
        importlib.import_module(module)
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder).rglob("*.html")):
            get_template(path.relative_to(folder).as_posix())
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Patients")


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(0)


def reclassify(database: str | None, today: date | None = None) -> int:
    prepare(database)
    from rairtc.web.registry.verdicts import reclassify as run

    return run(today=today)


def createuser(database: str | None, username: str, role: str, password: str) -> None:
    from rairtc.web.accounts.roles import Role

    if role not in {r.value for r in Role}:
        allowed = ", ".join(r.value for r in Role)
        raise UsageError(
            f"unknown role '{role}'; allowed: {allowed}",
            code="web.role_unknown",
            params={"role": role, "allowed": allowed},
        )
    if not password:
        raise UsageError(
            "the password is empty; give one at the prompt or on stdin", code="web.password_empty"
        )
    prepare(database)
    from rairtc.web.accounts.users import create_user

    create_user(username, password, Role(role))


def create_token(database: str | None, username: str) -> str:
    """A new API token for an existing account (``rairtc token create``), audited."""
    prepare(database)
    from rairtc.web.accounts.tokens import create_token as create

    try:
        return create(username, by="command-line")
    except LookupError as exc:
        raise UsageError(str(exc), code="web.account_unknown", params={"name": username}) from exc
