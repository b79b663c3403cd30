"""docs/languages-and-explain.md: every command of the page runs, with the exit code it states."""

from __future__ import annotations

import re
import shlex
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from rairtc.examples import example_registry_path
from rairtc.io.registry import load_registry, write_registry
from tests.cli.runner import invoke

DOC = Path(__file__).parents[2] / "docs" / "languages-and-explain.md"


def examples() -> list[str]:
    blocks = re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]


def workspace(folder: Path) -> None:
    """registry.json (the bundled examples) and partly-bad.xlsx: the same patients as a
    workbook, with an unknown sex for the second and a negative activity for the fourth."""
    source = example_registry_path()
    (folder / "registry.json").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    patients = load_registry(source, today=date(2025, 1, 1)).patients
    write_registry(patients, folder / "partly-bad.xlsx")
    book = openpyxl.load_workbook(folder / "partly-bad.xlsx")
    set_cell(book["patients"], "id", patients[1].id, "sex", "X")
    set_cell(book["rai_courses"], "patient_id", patients[3].id, "activity_mci", -1)
    book.save(folder / "partly-bad.xlsx")


def set_cell(sheet: Any, key: str, value: str, column: str, new: object) -> None:
    """Change the first row whose ``key`` column holds ``value``."""
    header = [c.value for c in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, header.index(key) + 1).value == value:
            sheet.cell(row, header.index(column) + 1, new)
            return
    raise AssertionError(f"no row with {key} = {value}")


@pytest.mark.parametrize("command", examples())
def test_each_documented_command_runs(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace(tmp_path)
    monkeypatch.chdir(tmp_path)
    line, _, comment = command.partition("#")
    expected = int(comment.split("exit")[1]) if "exit" in comment else 0
    args = shlex.split(line)
    assert args[0] == "rairtc"
    outcome = invoke(*args[1:])
    assert outcome.code == expected, outcome.stderr
    if "--skip-invalid" in args:
        rejected = tmp_path / ("report/rejected.csv" if "study" in args else "rejected.csv")
        assert rejected.read_text(encoding="utf-8").count("\n") == 3  # header and two errors


def test_the_page_has_examples_of_every_new_feature() -> None:
    joined = "\n".join(examples())
    for feature in ("--lang ru", "--lang kk", "explain", "--skip-invalid", "--help"):
        assert feature in joined
