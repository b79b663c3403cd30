"""Command-line tests speak English unless a test chooses otherwise: the language otherwise
follows RAIRTC_LANG and the locale of the machine running the tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def english_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAIRTC_LANG", "en")
