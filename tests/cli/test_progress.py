"""Progress bars appear only on a terminal; the result is the same either way."""

from __future__ import annotations

import io
import sys

from rairtc.cli.progress import tracked


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_pipe_gets_no_progress_and_every_item(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert list(tracked(range(5000), 5000, "x")) == list(range(5000))
    assert sys.stderr.getvalue() == ""


def test_a_terminal_gets_every_item_too(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert list(tracked(range(5000), 5000, "x")) == list(range(5000))
