"""The console script hands its objects to the operating system on the way out instead of
having Python collect them first (every command closes its own files and connections)."""

from __future__ import annotations

import gc
import sys

import pytest

from rairtc.cli.app import main


def _freezes(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> tuple[object, list[bool]]:
    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    monkeypatch.setattr(sys, "argv", ["rairtc", *argv])
    with pytest.raises(SystemExit) as ended:
        main()
    return ended.value.code, frozen


def test_a_finished_command_skips_the_last_garbage_collection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _freezes(monkeypatch, ["--version"]) == (0, [True])


def test_a_failed_command_skips_it_too(monkeypatch: pytest.MonkeyPatch) -> None:
    code, frozen = _freezes(monkeypatch, ["no-such-command"])
    assert code != 0 and frozen == [True]
