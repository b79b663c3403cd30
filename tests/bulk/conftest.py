"""Fixtures of the bulk engine's tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from rairtc.cli.app import app

EXAMPLES = Path(__file__).parents[2] / "src" / "rairtc" / "examples" / "registry.json"


@pytest.fixture(scope="module")
def registry_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example registry as a Parquet folder (``rairtc convert --parquet``)."""
    target = tmp_path_factory.mktemp("examples") / "parquet"
    outcome = CliRunner().invoke(app, ["convert", str(EXAMPLES), str(target), "--parquet"])
    assert outcome.exit_code == 0, outcome.output
    return target
