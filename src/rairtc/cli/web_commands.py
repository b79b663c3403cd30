"""``rairtc serve``, ``rairtc createuser`` and ``rairtc reclassify``: thin commands over
:mod:`rairtc.web.server` (Django is imported only when one of them runs)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from rairtc.cli.errors import reports_errors
from rairtc.cli.options import Today, parse_date

Database = Annotated[
    str | None,
    typer.Option(
        "--database",
        metavar="URL",
        help="sqlite:////abs/path.sqlite3 or postgresql://user@host:port/name "
        "(default: DATABASE_URL, else SQLite in the user data directory).",
    ),
]


@reports_errors
def serve(
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Load the demo registry and accounts clinician, manager, researcher "
            "(password demo); loopback only.",
        ),
    ] = False,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    database: Database = None,
    workers: Annotated[
        int, typer.Option("--workers", help="Server processes (one per CPU core is a good start).")
    ] = 1,
) -> None:
    """Serve the web registry (migrations applied on start)."""
    from rairtc.web.server import serve as run

    print(f"rairtc web registry on http://{host}:{port}/ (Ctrl+C stops it)", file=sys.stderr)
    run(host, port, database, demo=demo, workers=workers)


@reports_errors
def createuser(
    name: Annotated[str, typer.Argument(help="The user name to sign in with.")],
    role: Annotated[str, typer.Option("--role", help="clinician, manager or researcher.")],
    database: Database = None,
) -> None:
    """Create an account (or reset its password and role); the password is prompted, or read
    from stdin when stdin is not a terminal."""
    from rairtc.web.server import createuser as create

    if sys.stdin.isatty():
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    create(database, name, role, password)
    print(f"account {name} ({role}) saved", file=sys.stderr)


@reports_errors
def reclassify(database: Database = None, today: Today = None) -> None:
    """Recompute the list page's classification summary of every patient."""
    from rairtc.web.server import reclassify as run

    count = run(database, parse_date(today))
    print(f"{count} patient(s) reclassified", file=sys.stderr)


token_app = typer.Typer(
    help="API tokens of the web registry (sent as Authorization: Bearer <token>).",
    no_args_is_help=True,
)


@token_app.command("create")
@reports_errors
def token_create(
    name: Annotated[str, typer.Argument(help="The account the token acts as (its role).")],
    database: Database = None,
) -> None:
    """Print a new API token for an existing account (shown once; managers revoke it in the app)."""
    from rairtc.web.server import create_token

    print(create_token(database, name))
