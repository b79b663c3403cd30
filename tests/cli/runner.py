"""Run the command line in-process and capture stdout, stderr and the exit code."""

from __future__ import annotations

from dataclasses import dataclass

from typer.testing import CliRunner

from rairtc.cli.app import app


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str


def invoke(*args: str) -> Outcome:
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Outcome(result.exit_code, result.stdout, result.stderr)
