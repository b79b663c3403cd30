"""The timeline's tables computed on a worker thread while the rest of the plan is built
(DuckDB).

Why: building and compiling the plan is single-threaded Python (about a second); computing
the timeline's tables is DuckDB's work on every core. In sequence the two add up. Here each
table is declared at once (its schema is the expression's, as Ibis's ``create_table`` would
declare it), its ``INSERT`` is queued on one worker thread that holds its own cursor on the
same in-memory database, in the order the tables were asked for (a later table reads the
earlier ones), and the main thread goes on building and compiling the plan.
:meth:`Background.settle` waits for every queued ``INSERT`` before anything is executed on
the main connection.

Nothing can read a half-filled table: an ``INSERT`` commits as a whole, and only
:meth:`settle` (called by :mod:`rairtc.bulk.api` before the final query) lets the plan run.
An expression that reads one of Ibis's in-memory tables (an absent registry table read as
empty) is filled on the main connection instead, after the queue: such tables are
connection-local and the worker's cursor would not see them.
"""

from __future__ import annotations

import itertools
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

import ibis.expr.operations as ops
import ibis.expr.types as ir

_NAMES = itertools.count()
INTERRUPT_EVERY_S = 0.05
SESSION_SETTINGS = ("TimeZone", "python_enable_replacements")
"""DuckDB's per-session settings that Ibis gives its connection (UTC, no Python variables
read as tables) and the worker's cursor must share."""


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "'" + str(value).replace("'", "''") + "'"


class Background:
    """The queue of one registry's tables on one DuckDB connection (the Ibis backend)."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self._pool: ThreadPoolExecutor | None = None
        self._cursor: Any = None
        self._pending: list[Future[None]] = []

    def table(self, expr: ir.Table) -> ir.Table:
        """``expr`` as a table of the database, declared now and filled in the background."""
        backend = self.backend
        name = f"rairtc_timeline_{next(_NAMES)}"
        backend._run_pre_execute_hooks(expr)  # Ibis's in-memory tables, on the main connection
        insert = f'INSERT INTO "{name}" {backend.compile(expr)}'
        backend.create_table(name, schema=expr.schema())
        if expr.op().find(ops.InMemoryTable):
            self.settle()
            backend.con.execute(insert).fetchall()
        else:
            self._pending.append(self._worker().submit(self._run, insert))
        return backend.table(name)

    def _worker(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rairtc-timeline")
            self._cursor = self._session_like_main()
        return self._pool

    def _session_like_main(self) -> Any:
        """A cursor with the main connection's session settings: a cursor is a new session,
        and a time stamp with a time zone read as a date would otherwise fall on the machine's
        local day in the timeline's tables and on UTC's in the final query."""
        main = self.backend.con
        cursor = main.cursor()
        for name in SESSION_SETTINGS:
            [(value,)] = main.execute(f"SELECT current_setting('{name}')").fetchall()
            cursor.execute(f"SET {name} = {_literal(value)}").fetchall()
        return cursor

    def _run(self, insert: str) -> None:
        self._cursor.execute(insert).fetchall()

    def settle(self) -> None:
        """Wait for every queued table; the first failure is raised (DuckDB's own error)."""
        try:
            for future in self._pending:
                future.result()
        except BaseException:
            self.abandon()
            raise
        self._pending = []
        self._shut_down(cancel=False)

    def abandon(self) -> None:
        """Stop the queue after a failure while the plan was built: the queued ``INSERT``s
        never start and the running one is interrupted (again until it stops: it may have
        been taken up but not yet begun when first interrupted)."""
        pending, self._pending = self._pending, []
        try:
            for future in pending:
                future.cancel()
            while self._cursor is not None and not all(f.done() for f in pending):
                self._cursor.interrupt()
                wait(pending, timeout=INTERRUPT_EVERY_S)
        finally:
            self._shut_down(cancel=True)

    def _shut_down(self, *, cancel: bool) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
            self._pool = None
        if self._cursor is not None:
            self._cursor.close()
            self._cursor = None
